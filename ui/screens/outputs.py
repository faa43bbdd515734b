"""Office: Excel and PDF outputs, each a long job on the worker (progress dialog after ~0.5 s with
Cancel); the result's folder opens when it is done."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QGridLayout, QGroupBox, QLabel, QPushButton, QVBoxLayout, QWidget,
)

from .. import dialogs
from ..i18n import language, tr
from ..labels import method_labels
from ..widgets import FlowLayout, WrappingCheckBox, plain, title_label, together


@dataclass(frozen=True)
class Output:
    key: str  # object name of its button
    label: str
    help: str
    kind: str  # "xlsx" | "pdf"
    stem: str
    #: the core call: run(store, out, options, progress, cancel); options are the screen's choices
    run: Callable[..., Any]
    #: whether it can carry the applicants' contact data (then only when asked, with a reason)
    personal: bool = False


def outputs() -> list[Output]:
    return [
        Output("export_ranking", tr("Ranked lists"), tr("Per track: rank, score, decision and reason."), "xlsx",
               "ranking", lambda st, out, o, progress, cancel: st.excel.export_ranking(
                   out, method=o["method"], round=o["round"], include_personal=o["include_personal"],
                   reason=o["reason"], lang=o["lang"], progress=progress, cancel=cancel), personal=True),
        Output("export_scores", tr("All scores"), tr("Every score of every evaluator, criterion by criterion."),
               "xlsx", "scores", lambda st, out, o, progress, cancel: st.excel.export_scores(
                   out, round=o["round"], lang=o["lang"], progress=progress, cancel=cancel)),
        Output("export_progress", tr("Progress"), tr("Visits and finalisations per evaluator and track."), "xlsx",
               "progress", lambda st, out, o, progress, cancel: st.excel.export_progress(
                   out, round=o["round"], lang=o["lang"], progress=progress, cancel=cancel)),
        Output("score_template", tr("Score template"), tr("One row per application and criterion, to type paper "
                                                          "scores into (import it under Import)."), "xlsx",
               "score-template", lambda st, out, o, progress, cancel: st.excel.export_template(
                   "scores", out, round=o["round"], lang=o["lang"], progress=progress, cancel=cancel)),
        Output("report_summary", tr("Committee summary"), tr("The ranking per track with the cut line, for "
                                                             "signing."), "pdf", "summary",
               lambda st, out, o, progress, cancel: st.reports.summary(
                   out, method=o["method"], track=o["track"], round=o["round"], lang=o["lang"], progress=progress,
                   cancel=cancel)),
        Output("report_aggregate", tr("Aggregate sheets"), tr("One sheet per application with every evaluator's "
                                                              "scores."), "pdf", "aggregate",
               lambda st, out, o, progress, cancel: st.reports.aggregate(
                   out, application_ids=_in_round(st, o), method=o["method"], track=o["track"], lang=o["lang"],
                   progress=progress, cancel=cancel)),
        Output("report_filled_sheets", tr("Filled score sheets"), tr("Each evaluator's score sheets as scored."),
               "pdf", "score-sheets", lambda st, out, o, progress, cancel: st.reports.filled_sheets(
                   out, application_ids=_in_round(st, o), track=o["track"], lang=o["lang"], include_personal=o["include_personal"], reason=o["reason"],
                   progress=progress, cancel=cancel), personal=True),
        Output("report_blank_sheets", tr("Blank score sheets"), tr("Paper fallback for the field study."), "pdf",
               "blank-sheets", lambda st, out, o, progress, cancel: st.reports.blank_sheets(
                   out, application_ids=_in_round(st, o), track=o["track"], lang=o["lang"], progress=progress, cancel=cancel)),
        Output("report_dossier", tr("Dossier of one application"), tr("Everything about the application chosen "
                                                                      "above in one document."), "pdf", "dossier",
               lambda st, out, o, progress, cancel: st.reports.dossier(
                   out, application_id=o["application_id"], lang=o["lang"], include_personal=o["include_personal"],
                   reason=o["reason"], progress=progress, cancel=cancel), personal=True),
    ]


def _in_round(st, options: dict) -> list[str] | None:
    """The applications of the round shown in the header (None: the program has one round, so all)."""
    return None if options["round"] is None else st.applications.ids(round=options["round"])


class IdListModel(QAbstractListModel):
    """The application chooser's items: the ids, shown and returned as the item's data.

    Filled with one reset (a whole round's 10,000 ids) instead of an ``addItem`` per id: those were
    10,000 calls on the GUI thread, 60-110 ms when the screen was first shown, each waiting for the
    interpreter lock while a job began on the worker."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.ids: list[str] = []

    def set_ids(self, ids) -> None:
        self.beginResetModel()
        self.ids = list(ids)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt's name, B008: Qt's default
        return 0 if parent.isValid() else len(self.ids)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if index.isValid() and role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole,
                                        Qt.ItemDataRole.UserRole) and 0 <= index.row() < len(self.ids):
            return self.ids[index.row()]
        return None


class OutputsScreen(QWidget):
    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("outputsScreen")
        self.ctx = ctx
        self.buttons: dict[str, QPushButton] = {}
        self.last_output: Path | None = None
        lay = QVBoxLayout(self)
        lay.addWidget(title_label(tr("Outputs"), self))

        opts = QGroupBox(tr("Options"), self)
        ol = FlowLayout(opts)  # wraps where the window is narrow (English at a large font)
        track_label = QLabel(tr("Track"), opts)
        self.track = QComboBox(opts)
        self.track.setObjectName("outputTrack")
        self.track.addItem(tr("All tracks"), None)
        for t in (ctx.program.tracks if ctx.program else ()):
            self.track.addItem(t.name(language()), t.code)
        ol.addWidget(together(opts, track_label, self.track))
        method_label = QLabel(tr("Method"), opts)
        self.method = QComboBox(opts)
        self.method.setObjectName("outputMethod")
        self.method.addItem(tr("The program's setting"), None)
        for code, label in method_labels().items():
            self.method.addItem(label, code)
        self.method.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.method.setMinimumContentsLength(12)
        ol.addWidget(together(opts, method_label, self.method))
        lang_label = QLabel(tr("Language"), opts)
        self.lang = QComboBox(opts)
        self.lang.setObjectName("outputLanguage")
        self.lang.addItem("한국어", "ko")
        self.lang.addItem("English", "en")
        self.lang.setCurrentIndex(max(0, self.lang.findData(language())))
        ol.addWidget(together(opts, lang_label, self.lang))
        application_label = QLabel(tr("Application"), opts)
        self.application = QComboBox(opts)
        self.application.setObjectName("outputApplication")
        self.application.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.application.setMinimumContentsLength(10)
        self.application_ids = IdListModel(self.application)
        self.application.setModel(self.application_ids)
        self.application.view().setUniformItemSizes(True)  # the popup lays out a round's ids at once
        ol.addWidget(together(opts, application_label, self.application))
        # a program of several rounds: the outputs follow the round shown in the header
        self.round = plain(QLabel("", opts))
        self.round.setObjectName("outputRound")
        self.round.setToolTip(tr("The ranked lists, the scores and progress workbooks, the score template, the "
                                 "committee summary and the score sheets are of the round shown at the top of the "
                                 "window."))
        ol.addWidget(self.round)
        for label, widget in ((track_label, self.track), (method_label, self.method), (lang_label, self.lang),
                              (application_label, self.application)):
            label.setBuddy(widget)
        lay.addWidget(opts)

        groups = {"xlsx": QGroupBox(tr("Excel workbooks (for the city's systems)"), self),
                  "pdf": QGroupBox(tr("PDF documents (to print and sign)"), self)}
        grids = {k: QGridLayout(g) for k, g in groups.items()}
        for o in outputs():
            grid = grids[o.kind]
            r = grid.rowCount()
            b = QPushButton(o.label + "…", groups[o.kind])
            b.setObjectName(o.key)
            b.setMinimumWidth(220)
            b.clicked.connect(lambda _=False, o=o: self.produce(o))
            grid.addWidget(b, r, 0)
            h = QLabel(o.help, groups[o.kind])
            h.setObjectName("muted")
            h.setWordWrap(True)
            grid.addWidget(h, r, 1)
            grid.setColumnStretch(1, 1)
            self.buttons[o.key] = b
        for g in groups.values():
            lay.addWidget(g)
        self.include_personal = WrappingCheckBox(tr("Include the applicants' contact data (ranked lists, filled sheets, "
                                             "dossier; you are asked why, and it is recorded in the access log)"), self)
        self.include_personal.setObjectName("includePersonal")
        lay.addWidget(self.include_personal)
        note = QLabel(tr("Without it, documents and workbooks name applications by ID and group name only. Every "
                         "output is recorded in the access log."), self)
        note.setObjectName("muted")
        note.setWordWrap(True)
        lay.addWidget(note)
        self.open_folder = QCheckBox(tr("Open the folder when done"), self)
        self.open_folder.setObjectName("openFolderWhenDone")
        self.open_folder.setChecked(True)
        lay.addWidget(self.open_folder)
        self.result = plain(QLabel("", self))
        self.result.setObjectName("outputResult")
        self.result.setWordWrap(True)
        lay.addWidget(self.result)
        lay.addStretch(1)

    def refresh(self) -> None:
        shown = self.ctx.round_shown()
        rounds = {r.code: r for r in (self.ctx.program.rounds if self.ctx.program else ())}
        self.round.setText(tr("Round: {round}").format(round=rounds[shown].name(language()))
                           if shown in rounds else "")
        self.round.setVisible(shown in rounds)
        self.ctx.query(lambda st: st.applications.ids(round=shown), self._fill_ids, parent=self).run_in_background()

    def _fill_ids(self, ids) -> None:
        current = self.application.currentData()
        ids = list(ids)
        if ids == self.application_ids.ids:
            return  # shown again, nothing new: the choice stays as it is
        self.application_ids.set_ids(ids)
        try:
            index = ids.index(current) if current is not None else 0
        except ValueError:
            index = 0
        self.application.setCurrentIndex(index if ids else -1)

    def options(self) -> dict:
        """The choices above (each output takes those it uses; the ranked lists always hold every track)."""
        return {"lang": self.lang.currentData(), "method": self.method.currentData(), "round": self.ctx.round_shown(),
                "track": self.track.currentData(), "application_id": self.application.currentData(),
                "include_personal": False, "reason": None}

    def produce(self, o: Output) -> None:
        opts = self.options()
        if o.key == "report_dossier" and not opts.get("application_id"):
            dialogs.inform(self, o.label, tr("Choose the application above first."))
            return
        if o.personal and self.include_personal.isChecked():
            reason = dialogs.text(self, o.label, tr("Why does this output need the applicants' contact data? (kept "
                                                    "in the access log)"))
            if reason is None:
                return
            opts.update(include_personal=True, reason=reason)
        stamp = datetime.now().strftime("%Y%m%d-%H%M")
        suffix = f".{o.kind}"
        stem = o.stem + (f"-{opts['application_id']}" if o.key == "report_dossier" else "")
        flt = tr("Excel workbook (*.xlsx)") if o.kind == "xlsx" else tr("PDF document (*.pdf)")
        out = dialogs.save_file(self.ctx, self, o.label, flt, f"{stem}-{stamp}{suffix}", suffix)
        if out is None:
            return
        self.ctx.job(o.label, lambda st, progress, cancel: o.run(st, out, opts, progress, cancel),
                     lambda r: self._done(o, out, r), parent=self).run_in_background()

    def _done(self, o: Output, out: Path, result) -> None:
        from ..results import export_text

        self.last_output = out
        text = export_text(result, out)
        self.result.setText(text)
        self.ctx.status_message(text)
        if self.open_folder.isChecked():
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(out.parent)))
