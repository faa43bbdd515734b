"""Field: hand back — produce the signed, encrypted result package and show its fingerprint.

The package can be produced again at any time; a later one supersedes an earlier one at the office.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QListWidget, QPushButton, QVBoxLayout, QWidget

from .. import dialogs
from ..context import EVALUATIONS
from ..i18n import tr
from ..labels import visit_state_label
from ..keys import key_passphrase
from ..widgets import plain, title_label
from evaluator.workflows import PACKAGE_SUFFIX


class HandBackScreen(QWidget):
    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("handBackScreen")
        self.ctx = ctx
        lay = QVBoxLayout(self)
        lay.addWidget(title_label(tr("Hand back your results"), self))
        intro = QLabel(tr("The result package carries your scores, visit logs, photos and your audit trail, signed "
                          "with your key and encrypted to the office. Give the file to the office (USB stick or "
                          "e-mail). You can produce it again at any time; the newest one counts."), self)
        intro.setWordWrap(True)
        lay.addWidget(intro)
        self.status = QLabel("", self)
        self.status.setObjectName("summaryLine")
        lay.addWidget(self.status)
        self.key_label = QLabel("", self)
        self.key_label.setObjectName("evaluatorKey")
        self.key_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        lay.addWidget(self.key_label)
        box = QGroupBox(tr("Not finalised yet"), self)
        bl = QVBoxLayout(box)
        self.open_items = QListWidget(box)
        self.open_items.setObjectName("openEvaluations")
        bl.addWidget(self.open_items)
        lay.addWidget(box, 1)
        row = QHBoxLayout()
        self.export_btn = QPushButton(tr("Produce the result package…"), self)
        self.export_btn.setObjectName("exportPackage")
        self.export_btn.clicked.connect(self.export)
        row.addWidget(self.export_btn)
        row.addStretch(1)
        lay.addLayout(row)
        self.result = plain(QLabel("", self))
        self.result.setObjectName("packageResult")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextSelectableByMouse)
        lay.addWidget(self.result)
        ctx.changed.connect(lambda changes, _i: self.refresh() if changes & {EVALUATIONS} and self.isVisible() else None)

    def _show_key(self) -> None:
        info = self.ctx.key_info
        self.key_label.setText(tr("Your key fingerprint: {fp}").format(fp=info.fingerprint) if info else
                               tr("Your key is made (with a passphrase you choose) when you produce the first "
                                  "package."))

    def refresh(self) -> None:
        self._show_key()
        ev = self.ctx.evaluator
        if not ev:
            self.status.setText(tr("Choose who you are in Settings first."))
            return
        self.ctx.query(lambda st: st.people.assignments(evaluator=ev), self._fill, parent=self).run_in_background()

    def _fill(self, assignments) -> None:
        mine = [a for a in assignments if not a.is_conflict]
        done = [a for a in mine if a.state == "finalised"]
        self.status.setText(tr("{done} of %n evaluations finalised.", "", len(mine)).format(done=len(done)))
        self.open_items.clear()
        for a in mine:
            if a.state != "finalised":
                self.open_items.addItem(f"{a.application_id} — {visit_state_label(a.state, a.abstained)}")

    def export(self) -> None:
        if self.open_items.count() and not dialogs.confirm(
                self, tr("Hand back"), tr("%n evaluations are not finalised. Produce the package anyway?", "",
                                          self.open_items.count()),
                tr("Draft evaluations travel in the package but the office counts only finalised ones.")):
            return
        out = dialogs.save_file(self.ctx, self, tr("Save the result package"),
                                tr("Result packages (*{suffix})").format(suffix=PACKAGE_SUFFIX),
                                f"result-{self.ctx.evaluator}-{datetime.now():%Y%m%d-%H%M}{PACKAGE_SUFFIX}",
                                PACKAGE_SUFFIX)
        if out is None:
            return
        go, passphrase = key_passphrase(self.ctx, self, has_key=self.ctx.key_info is not None, office=False)
        if not go:
            return

        def op(st, progress, cancel):
            return st.packages.export_package(out, passphrase=passphrase, progress=progress, cancel=cancel)

        self.ctx.job(tr("Producing the result package"), op, self._exported, parent=self).run_in_background()

    def _exported(self, info) -> None:
        self.ctx.key_unlocked = True
        lines = [tr("Saved {path}.").format(path=info.path),
                 tr("Package fingerprint: {fp} — the office sees the same one when it merges.").format(
                     fp=info.fingerprint),
                 tr("Your key fingerprint: {fp} — read it to the office when they ask (the first time only).").format(
                     fp=info.signer_fingerprint),
                 ", ".join([tr("%n evaluations ({finalised} finalised)", "", info.evaluations).format(
                                finalised=info.finalised),
                            tr("%n scores", "", info.scores), tr("%n visit logs", "", info.site_visits),
                            tr("%n photos", "", info.attachments)]
                           # a follow-up visitor's visits, counted as the office's merge counts them
                           + ([tr("%n monitoring visits", "", info.monitoring_visits),
                               tr("%n monitoring photos", "", info.monitoring_photos)]
                              if info.monitoring_visits or info.monitoring_photos else [])) + "."]
        self.result.setText("\n".join(lines))
        self.ctx.status_message(lines[0])
        self.ctx.query(lambda st: st.keys.identity(), self._key_known, parent=self).run_in_background()

    def _key_known(self, info) -> None:
        self.ctx.key_info = info
        self._show_key()
