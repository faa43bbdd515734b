"""Office: the automatic assignment (``evaluator assign --auto``) — N evaluators per application of
the round shown, the least loaded first, never a declared conflict; the likely conflicts it found
(organisation or district equal to the applicant group's, a shared e-mail domain or phone) are
listed for the office to confirm as declared conflicts or dismiss; then the load per evaluator."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QHeaderView, QLabel,
    QPushButton, QSpinBox, QTableView, QVBoxLayout,
)

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


def _why(c) -> str:
    labels = reason_labels()
    what = ", ".join(labels.get(r, r) for r in c.reasons)
    detail = c.detail_ko if language() == "ko" and c.detail_ko else c.detail
    return f"{what}: {detail}" if detail else what


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
        lay.addLayout(row)
        self.hint = QLabel("", self)
        self.hint.setObjectName("muted")
        self.hint.setWordWrap(True)
        lay.addWidget(self.hint)

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
        self.load_view.verticalHeader().setVisible(False)
        self.load_view.horizontalHeader().setStretchLastSection(True)
        lay.addWidget(self.load_view, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.Close, self)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        ctx.changed.connect(self._on_changed)
        self.resize(860, 640)
        self._selected()
        self.reload_loads()

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
        self.conflicts.set_rows(list(result.likely_conflicts))
        if result.likely_conflicts:
            self.conflict_view.selectRow(0)
            self.hint.setText(tr("Confirm each likely conflict that is one (it becomes a declared conflict and the "
                                 "evaluator no longer holds the application), or dismiss it. Then assign again to "
                                 "give those applications another evaluator."))
        else:
            self.hint.setText(tr("No likely conflicts."))
        self._selected()
        self.reload_loads()

    def reload_loads(self) -> None:
        self.ctx.query(lambda st: st.people.evaluators(), self.loads.set_rows, parent=self).run_in_background()

    def _on_changed(self, changes, initiator) -> None:
        if changes & {ASSIGNMENTS, EVALUATORS} and initiator is not self:
            self.reload_loads()

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
        """Not a conflict: off the list (nothing is recorded; it is listed again next time)."""
        c = self.selected()
        if c is not None:
            self._drop(c)
