"""Office: the automatic assignment (``evaluator assign --auto``) — N evaluators per application of
the round shown, the least loaded first, never a declared conflict; the likely conflicts it found
(organisation or district equal to the applicant group's, a shared e-mail domain or phone) are
listed for the office to confirm as declared conflicts or dismiss (with the reason, kept and
audited: a dismissed pairing is not listed again unless something new matches; "Show dismissed"
lists the dismissals, each can be restored); then the load per evaluator."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QHeaderView, QLabel,
    QPushButton, QSpinBox, QTableView, QVBoxLayout,
)

from .. import dialogs
from ..context import ASSIGNMENTS, EVALUATORS
from ..i18n import language, tr
from ..labels import conflict_labels, track_label
from ..models import RIGHT, Column, RecordModel

#: the conflict type a likely conflict is confirmed as, by what matched (the office can choose another)
TYPE_FOR_REASON = {"organisation": "institutional", "email_domain": "institutional", "phone": "personal",
                   "district": "other"}


def reason_labels() -> dict[str, str]:
    return {"organisation": tr("same organisation"), "district": tr("same district"),
            "email_domain": tr("same e-mail domain"), "phone": tr("same phone")}


def _what(reasons) -> str:
    labels = reason_labels()
    return ", ".join(labels.get(r, r) for r in reasons)


def _why(c) -> str:
    what = _what(c.reasons)
    detail = c.detail_ko if language() == "ko" and c.detail_ko else c.detail
    text = f"{what}: {detail}" if detail else what
    if c.dismissed_for:  # said first: the detail may be longer than the column
        text = tr("[previously dismissed for {what}: {reason}; something new matches since]").format(
            what=_what(c.dismissed_for), reason=c.dismissal_reason) + " " + text
    return text


class AutoAssignDialog(QDialog):
    def __init__(self, ctx, track: str | None = None, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("autoAssignDialog")
        self.setWindowTitle(tr("Assign automatically"))
        self.ctx = ctx
        self.track = track
        self.result = None
        lay = QVBoxLayout(self)
        scope = tr("all tracks") if not track else track_label(ctx, track)
        rnd = next((r for r in (ctx.program.rounds if ctx.program else ()) if r.code == ctx.round), None)
        intro = QLabel(tr("Applications of {round}, {scope}: each gets the number of evaluators below, the least "
                          "loaded first (each evaluator's load within one of the others'), never one with a declared "
                          "conflict. Evaluators already assigned stay.").format(
            round=rnd.name(language()) if rnd else tr("the current round"), scope=scope), self)
        intro.setWordWrap(True)
        lay.addWidget(intro)
        form = QFormLayout()
        row = QHBoxLayout()
        self.per_application = QSpinBox(self)
        self.per_application.setObjectName("perApplication")
        self.per_application.setRange(1, 15)
        self.per_application.setValue(3)
        self.per_application.setAccessibleName(tr("Evaluators per application"))
        row.addWidget(self.per_application)
        self.run_btn = QPushButton(tr("Assign"), self)
        self.run_btn.setObjectName("runAutoAssign")
        self.run_btn.clicked.connect(self.run)
        row.addWidget(self.run_btn)
        row.addStretch(1)
        form.addRow(tr("Evaluators per application"), row)
        lay.addLayout(form)
        self.outcome = QLabel("", self)
        self.outcome.setObjectName("autoAssignOutcome")
        self.outcome.setWordWrap(True)
        lay.addWidget(self.outcome)

        lay.addWidget(QLabel(tr("Likely conflicts to confirm"), self))
        self.conflicts = RecordModel([
            Column("app", tr("Application"), lambda c: c.application_id),
            Column("evaluator", tr("Evaluator"), lambda c: c.evaluator),
            Column("assigned", tr("Assigned"), lambda c: tr("yes") if c.assigned else tr("no")),
            Column("why", tr("Why"), _why),
        ], self)
        self.conflict_view = QTableView(self)
        self.conflict_view.setObjectName("likelyConflicts")
        self.conflict_view.setAccessibleName(tr("Likely conflicts to confirm"))
        self.conflict_view.setModel(self.conflicts)
        self.conflict_view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.conflict_view.setSelectionMode(QAbstractItemView.SingleSelection)
        self.conflict_view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.conflict_view.setTabKeyNavigation(False)  # Tab goes on to the buttons (it walked the cells and wrapped)
        self.conflict_view.verticalHeader().setVisible(False)
        self.conflict_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.conflict_view.horizontalHeader().setStretchLastSection(True)
        self.conflict_view.selectionModel().currentRowChanged.connect(lambda *_: self._selected())
        lay.addWidget(self.conflict_view, 2)
        row = QHBoxLayout()
        self.conflict_type = QComboBox(self)
        self.conflict_type.setObjectName("likelyConflictType")
        self.conflict_type.setAccessibleName(tr("Conflict type"))
        for code, label in conflict_labels().items():
            self.conflict_type.addItem(label, code)
        row.addWidget(self.conflict_type)
        self.confirm_btn = QPushButton(tr("Confirm as a declared conflict"), self)
        self.confirm_btn.setObjectName("confirmConflict")
        self.confirm_btn.clicked.connect(self.confirm_selected)
        row.addWidget(self.confirm_btn)
        self.dismiss_btn = QPushButton(tr("Dismiss"), self)
        self.dismiss_btn.setObjectName("dismissConflict")
        self.dismiss_btn.clicked.connect(self.dismiss_selected)
        row.addWidget(self.dismiss_btn)
        row.addStretch(1)
        self.show_dismissed = QCheckBox(tr("Show dismissed"), self)
        self.show_dismissed.setObjectName("showDismissed")
        self.show_dismissed.toggled.connect(self._toggle_dismissed)
        row.addWidget(self.show_dismissed)
        lay.addLayout(row)
        self.hint = QLabel("", self)
        self.hint.setObjectName("muted")
        self.hint.setWordWrap(True)
        lay.addWidget(self.hint)

        # the dismissed likely conflicts (shown on demand): who dismissed each, when and why
        self.dismissed = RecordModel([
            Column("app", tr("Application"), lambda d: d.application_id),
            Column("evaluator", tr("Evaluator"), lambda d: d.evaluator),
            Column("what", tr("What matched"), lambda d: _what(d.reasons)),
            Column("reason", tr("Reason"), lambda d: d.reason),
            Column("by", tr("Dismissed by"), lambda d: d.dismissed_by),
            Column("at", tr("On"), lambda d: d.dismissed_at.strftime("%Y-%m-%d")),
        ], self)
        self.dismissed_view = QTableView(self)
        self.dismissed_view.setObjectName("dismissedConflicts")
        self.dismissed_view.setAccessibleName(tr("Dismissed likely conflicts"))
        self.dismissed_view.setModel(self.dismissed)
        self.dismissed_view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.dismissed_view.setSelectionMode(QAbstractItemView.SingleSelection)
        self.dismissed_view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.dismissed_view.setTabKeyNavigation(False)  # Tab goes on to the buttons (it walked the cells and wrapped)
        self.dismissed_view.verticalHeader().setVisible(False)
        self.dismissed_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.dismissed_view.horizontalHeader().setStretchLastSection(True)
        self.dismissed_view.selectionModel().currentRowChanged.connect(lambda *_: self._dismissed_selected())
        self.restore_btn = QPushButton(tr("Restore"), self)
        self.restore_btn.setObjectName("restoreConflict")
        self.restore_btn.setToolTip(tr("List it as a likely conflict again (asks why; kept in the audit trail)"))
        self.restore_btn.clicked.connect(self.restore_selected)
        lay.addWidget(self.dismissed_view, 1)
        row = QHBoxLayout()
        row.addWidget(self.restore_btn)
        row.addStretch(1)
        lay.addLayout(row)
        self.dismissed_view.setVisible(False)
        self.restore_btn.setVisible(False)

        lay.addWidget(QLabel(tr("Load per evaluator"), self))
        self.loads = RecordModel([
            Column("code", tr("Code"), lambda e: e.code),
            Column("name", tr("Name"), lambda e: e.name),
            Column("assigned", tr("Assigned"), lambda e: e.assigned, RIGHT),
        ], self)
        self.load_view = QTableView(self)
        self.load_view.setObjectName("autoAssignLoads")
        self.load_view.setAccessibleName(tr("Load per evaluator"))
        self.load_view.setModel(self.loads)
        self.load_view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.load_view.setTabKeyNavigation(False)  # Tab goes on to the buttons (it walked the cells and wrapped)
        self.load_view.verticalHeader().setVisible(False)
        self.load_view.horizontalHeader().setStretchLastSection(True)
        lay.addWidget(self.load_view, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.Close, self)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        ctx.changed.connect(self._on_changed)
        self.resize(860, 640)
        self._selected()
        self._dismissed_selected()
        self.reload_loads()
        self.reload_conflicts()

    # --- running ----------------------------------------------------------------------------------
    def run(self) -> None:
        n, track, rnd = self.per_application.value(), self.track, self.ctx.round_shown()
        self.run_btn.setEnabled(False)
        self.ctx.write(lambda st: st.people.auto_assign(n, track=track, round=rnd), self._assigned,
                       parent=self).finally_(lambda: self.run_btn.setEnabled(True)).run_in_background()

    def _assigned(self, result) -> None:
        self.result = result
        text = tr("%n assignments added", "", len(result.added)) + " · " + tr(
            "%n applications considered", "", result.applications)
        if result.short:
            text += " · " + tr("{count} applications could not get {n} evaluators without a conflict: {which}").format(
                count=len(result.short), n=result.per_application,
                which=", ".join(f"{a} ({k})" for a, k in result.short))
        self.outcome.setText(text)
        self._show_conflicts(result.likely_conflicts)
        self.reload_loads()

    def _show_conflicts(self, rows) -> None:
        self.conflicts.set_rows(list(rows))
        if rows:
            self.conflict_view.selectRow(0)
            self.hint.setText(tr("Confirm each likely conflict that is one (it becomes a declared conflict and the "
                                 "evaluator no longer holds the application), or dismiss it. Then assign again to "
                                 "give those applications another evaluator."))
        else:
            self.hint.setText(tr("No likely conflicts."))
        self._selected()

    def reload_loads(self) -> None:
        self.ctx.query(lambda st: st.people.evaluators(), self.loads.set_rows, parent=self).run_in_background()

    def reload_conflicts(self) -> None:
        """The likely conflicts of the round (and track) shown, not declared nor dismissed — as the
        automatic assignment lists them — and the dismissed ones when they are shown."""
        track, rnd = self.track, self.ctx.round_shown()
        self.ctx.query(lambda st: st.people.likely_conflicts(track=track, round=rnd), self._show_conflicts,
                       parent=self).run_in_background()
        if self.show_dismissed.isChecked():
            self.reload_dismissed()

    def reload_dismissed(self) -> None:
        def shown(rows) -> None:
            self.dismissed.set_rows(rows)
            if rows:
                self.dismissed_view.selectRow(0)
            self._dismissed_selected()

        self.ctx.query(lambda st: st.people.dismissed_conflicts(), shown, parent=self).run_in_background()

    def _on_changed(self, changes, initiator) -> None:
        if changes & {ASSIGNMENTS, EVALUATORS} and initiator is not self:
            self.reload_loads()
            self.reload_conflicts()

    # --- the likely conflicts ---------------------------------------------------------------------
    def selected(self):
        idx = self.conflict_view.currentIndex()
        return self.conflicts.record(idx.row()) if idx.isValid() and idx.row() < len(self.conflicts.rows) else None

    def _selected(self) -> None:
        c = self.selected()
        self.confirm_btn.setEnabled(c is not None)
        self.dismiss_btn.setEnabled(c is not None)
        if c is not None:
            kind = next((TYPE_FOR_REASON[r] for r in c.reasons if r in TYPE_FOR_REASON), "other")
            self.conflict_type.setCurrentIndex(max(0, self.conflict_type.findData(kind)))

    def _drop(self, c) -> None:
        rows = [x for x in self.conflicts.rows if x is not c]
        self.conflicts.set_rows(rows)
        if rows:
            self.conflict_view.selectRow(0)
        self._selected()

    def confirm_selected(self) -> None:
        c = self.selected()
        if c is None:
            return
        kind, note = self.conflict_type.currentData(), _why(c)

        def done(_none) -> None:
            self._drop(c)
            self.ctx.status_message(tr("Declared a conflict of {evaluator} with {app}.").format(
                evaluator=c.evaluator, app=c.application_id))
            self.reload_loads()

        self.ctx.write(lambda st: st.people.declare_conflict(c.application_id, c.evaluator, kind, note), done,
                       parent=self).run_in_background()

    def dismiss_selected(self) -> None:
        """Not a conflict: asks why, records the dismissal (audited) and takes it off the list; it is
        not listed again unless something new matches.  Cancel leaves it listed."""
        c = self.selected()
        if c is None:
            return
        reason = dialogs.text(self, tr("Dismiss a likely conflict"), tr(
            "Why is {evaluator} with {app} not a conflict of interest? (kept with the dismissal and in the audit "
            "trail)").format(evaluator=c.evaluator, app=c.application_id))
        if reason is None:
            return

        def done(_dismissal) -> None:
            self._drop(c)
            self.ctx.status_message(tr("Dismissed the likely conflict of {evaluator} with {app}.").format(
                evaluator=c.evaluator, app=c.application_id))
            if self.show_dismissed.isChecked():
                self.reload_dismissed()

        self.ctx.write(lambda st: st.people.dismiss_conflict(c.application_id, c.evaluator, reason), done,
                       parent=self).run_in_background()

    # --- the dismissed ones -----------------------------------------------------------------------
    def _toggle_dismissed(self, on: bool) -> None:
        self.dismissed_view.setVisible(on)
        self.restore_btn.setVisible(on)
        if on:
            self.reload_dismissed()

    def selected_dismissed(self):
        idx = self.dismissed_view.currentIndex()
        return self.dismissed.record(idx.row()) if idx.isValid() and idx.row() < len(self.dismissed.rows) else None

    def _dismissed_selected(self) -> None:
        self.restore_btn.setEnabled(self.selected_dismissed() is not None)

    def restore_selected(self) -> None:
        """Undo a dismissal (asks why, audited): the pairing is listed as a likely conflict again."""
        d = self.selected_dismissed()
        if d is None:
            return
        reason = dialogs.text(self, tr("Restore a likely conflict"), tr(
            "Why should {evaluator} with {app} be listed as a likely conflict again? (kept in the audit trail)").format(
            evaluator=d.evaluator, app=d.application_id))
        if reason is None:
            return

        def done(_dismissal) -> None:
            self.ctx.status_message(tr("{evaluator} with {app} is listed as a likely conflict again.").format(
                evaluator=d.evaluator, app=d.application_id))
            self.reload_conflicts()

        self.ctx.write(lambda st: st.people.restore_conflict(d.application_id, d.evaluator, reason), done,
                       parent=self).run_in_background()
