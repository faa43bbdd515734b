"""Office: assign evaluators (one application or many at once), declare conflicts, see each load."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QPushButton, QSplitter, QTableView, QVBoxLayout, QWidget,
)

from evaluator.changes import NOTHING, Outcome
from evaluator.errors import EvaluatorError, Problem, ValidationError

from ..context import ASSIGNMENTS, EVALUATIONS, EVALUATORS
from ..errors import show_error
from ..i18n import language, tr
from ..labels import conflict_labels, visit_state_label
from ..models import CENTER, RIGHT, ApplicationsModel, Column, RecordModel
from ..widgets import DateField
from .applications import column_menu, filter_combo, fit_application_columns


def bulk(st, app_ids: list[str], action) -> Outcome[list[tuple[str, str]]]:
    """Run ``action(st, app_id)`` (a write) for each application; the outcome's value lists
    (app_id, error) for those that failed."""
    failed = []
    changes = NOTHING
    for app_id in app_ids:
        try:
            changes |= action(st, app_id).changes
        except EvaluatorError as exc:
            failed.append((app_id, str(exc)))
    return Outcome(failed, changes)


class AssignmentsScreen(QWidget):
    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("assignmentsScreen")
        self.ctx = ctx
        lay = QVBoxLayout(self)
        title = QLabel(tr("Assignments and conflicts"), self)
        title.setObjectName("screenTitle")
        lay.addWidget(title)
        split = QSplitter(Qt.Horizontal, self)
        split.setObjectName("assignmentsSplit")

        # left: applications (multi-select for bulk)
        left = QWidget(split)
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.search = QLineEdit(left)
        self.search.setPlaceholderText(tr("Search ID, title, group or district"))
        self.search.setAccessibleName(tr("Search applications"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _t: self.reload_applications())
        bar.addWidget(self.search, 1)
        program = ctx.program
        self.track = filter_combo(left, "assignTrack", tr("All tracks"),
                                  [(t.code, t.name(language())) for t in (program.tracks if program else ())])
        self.track.currentIndexChanged.connect(lambda _i: self.reload_applications())
        bar.addWidget(self.track)
        ll.addLayout(bar)
        self.apps = ApplicationsModel(ctx, self)
        self.apps.sortRequested.connect(lambda key, desc: self.reload_applications(key, desc))
        self.app_view = QTableView(left)
        self.app_view.setObjectName("assignApplications")
        self.app_view.setAccessibleName(tr("Applications (select one or several)"))
        self.app_view.setModel(self.apps)
        self.app_view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.app_view.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.app_view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.app_view.verticalHeader().setVisible(False)
        self.app_view.verticalHeader().setDefaultSectionSize(24)
        for col in range(self.apps.columnCount()):
            self.app_view.setColumnHidden(col, self.apps.columns[col].key in ("category", "requested_amount",
                                                                             "submitted_on", "status"))
        fit_application_columns(ctx, self.app_view, self.apps)  # the headers and tracks whole in either language
        column_menu(self.app_view)
        self.app_view.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        ll.addWidget(self.app_view, 1)
        self.selection_label = QLabel("", left)
        self.selection_label.setObjectName("muted")
        ll.addWidget(self.selection_label)
        split.addWidget(left)

        # right: the selected application's evaluators, the actions, the load per evaluator
        right = QWidget(split)
        rl = QVBoxLayout(right)
        rl.setContentsMargins(6, 0, 0, 0)
        self.current_label = QLabel(tr("Evaluators of the selected application"), right)
        rl.addWidget(self.current_label)
        self.current = RecordModel([
            Column("evaluator", tr("Evaluator"), lambda a: a.evaluator),
            Column("state", tr("State"), lambda a: (tr("Conflict: {type}").format(
                type=conflict_labels().get(a.conflict_type, a.conflict_type)) if a.is_conflict
                else visit_state_label(a.state, a.abstained))),
            Column("planned", tr("Planned visit"), lambda a: a.planned_visit_on.isoformat() if a.planned_visit_on
                   else ""),
            Column("note", tr("Note"), lambda a: a.conflict_note),
        ], self)
        self.current_view = QTableView(right)
        self.current_view.setObjectName("currentAssignments")
        self.current_view.setAccessibleName(tr("Evaluators of the selected application"))
        self.current_view.setModel(self.current)
        self.current_view.verticalHeader().setVisible(False)
        self.current_view.horizontalHeader().setStretchLastSection(True)
        self.current_view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        rl.addWidget(self.current_view, 2)

        box = QGroupBox(tr("Assign or declare a conflict"), right)
        form = QFormLayout(box)
        self.evaluator_combo = QComboBox(box)
        self.evaluator_combo.setObjectName("assignEvaluator")
        form.addRow(tr("Evaluator"), self.evaluator_combo)
        self.planned = DateField(tr("not planned (e.g. 2013-05-10)"), box)
        self.planned.setObjectName("plannedVisit")
        self.planned.setAccessibleName(tr("Planned visit"))
        form.addRow(tr("Planned visit"), self.planned)
        self.assign_btn = QPushButton(tr("Assign to selected"), box)
        self.assign_btn.setObjectName("assignButton")
        self.assign_btn.clicked.connect(self.assign_selected)
        form.addRow("", self.assign_btn)
        self.conflict_type = QComboBox(box)
        self.conflict_type.setObjectName("conflictType")
        for code, label in conflict_labels().items():
            self.conflict_type.addItem(label, code)
        form.addRow(tr("Conflict type"), self.conflict_type)
        self.conflict_note = QLineEdit(box)
        self.conflict_note.setObjectName("conflictNote")
        self.conflict_note.setPlaceholderText(tr("e.g. member of the applying group"))
        form.addRow(tr("Note"), self.conflict_note)
        self.conflict_btn = QPushButton(tr("Declare conflict for selected"), box)
        self.conflict_btn.setObjectName("conflictButton")
        self.conflict_btn.clicked.connect(self.declare_selected)
        form.addRow("", self.conflict_btn)
        rl.addWidget(box)

        auto = QHBoxLayout()
        self.auto_btn = QPushButton(tr("Assign automatically…"), right)
        self.auto_btn.setObjectName("autoAssignButton")
        self.auto_btn.setToolTip(tr("Give every application of the round shown the same number of evaluators, the "
                                    "least loaded first, never a declared conflict; likely conflicts are listed for "
                                    "you to confirm."))
        self.auto_btn.clicked.connect(self.auto_assign)
        auto.addWidget(self.auto_btn)
        auto.addStretch(1)
        rl.addLayout(auto)

        rl.addWidget(QLabel(tr("Load per evaluator"), right))
        self.load = RecordModel([
            Column("code", tr("Code"), lambda e: e.code),
            Column("name", tr("Name"), lambda e: e.name),
            Column("org", tr("Organisation"), lambda e: e.organisation),
            Column("assigned", tr("Assigned"), lambda e: e.assigned, RIGHT),
            Column("finalised", tr("Finalised"), lambda e: e.finalised, RIGHT),
            Column("pct", tr("Done"), lambda e: f"{100 * e.finalised / e.assigned:.0f} %" if e.assigned else "—",
                   CENTER, sort_key=lambda e: e.finalised / e.assigned if e.assigned else -1),
        ], self)
        self.load_view = QTableView(right)
        self.load_view.setObjectName("evaluatorLoad")
        self.load_view.setAccessibleName(tr("Load per evaluator"))
        self.load_view.setModel(self.load)
        self.load_view.setSortingEnabled(True)
        self.load_view.verticalHeader().setVisible(False)
        self.load_view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.load_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.load_view.horizontalHeader().setSectionResizeMode(2, QHeaderView.Stretch)  # the organisation elides
        rl.addWidget(self.load_view, 2)
        split.addWidget(right)
        split.setSizes([660, 470])
        lay.addWidget(split, 1)
        ctx.changed.connect(self._on_changed)
        self._selection_changed()

    # --- data -------------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.reload_evaluators()
        self.reload_applications()

    def reload_evaluators(self) -> None:
        self.ctx.query(lambda st: st.people.evaluators(), self._fill_evaluators, parent=self).run_in_background()

    def _fill_evaluators(self, evaluators) -> None:
        self.load.set_rows(evaluators)
        current = self.evaluator_combo.currentData()
        self.evaluator_combo.clear()
        for e in evaluators:
            self.evaluator_combo.addItem(tr("{code} {name} ({n} assigned)").format(code=e.code, name=e.name,
                                                                                 n=e.assigned), e.code)
        i = self.evaluator_combo.findData(current)
        self.evaluator_combo.setCurrentIndex(max(0, i))

    def reload_applications(self, sort: str = "id", descending: bool = False) -> None:
        filters = {"track": self.track.currentData(), "search": self.search.text().strip() or None,
                   "round": self.ctx.round_shown()}
        filters = {k: v for k, v in filters.items() if v}
        self.ctx.query(lambda st: st.applications.ids(sort=sort, descending=descending, **filters),
                       self._fill_ids, parent=self).run_in_background()

    def _fill_ids(self, ids) -> None:
        self.apps.set_ids(ids)
        if ids and not self.app_view.selectionModel().hasSelection():
            self.app_view.selectRow(0)
        self._selection_changed()

    def selected_ids(self) -> list[str]:
        rows = sorted({i.row() for i in self.app_view.selectionModel().selectedRows()})
        return [self.apps.ids[r] for r in rows if r < len(self.apps.ids)]

    def _selection_changed(self) -> None:
        ids = self.selected_ids()
        n = len(ids)
        self.selection_label.setText(tr("%n applications selected (Shift/Ctrl+click selects several)", "", n))
        self.assign_btn.setText(tr("Assign to %n selected", "", n))
        self.conflict_btn.setText(tr("Declare conflict for %n selected", "", n))
        self.assign_btn.setEnabled(n > 0)
        self.conflict_btn.setEnabled(n > 0)
        if n == 1:
            app_id = ids[0]
            self.current_label.setText(tr("Evaluators of {app}").format(app=app_id))
            self.ctx.query(lambda st: st.people.assignments(application_id=app_id), self.current.set_rows,
                           parent=self).run_in_background()
        else:
            self.current_label.setText(tr("Evaluators of the selected application"))
            self.current.set_rows([])

    def _on_changed(self, changes, initiator) -> None:
        if changes & {ASSIGNMENTS, EVALUATIONS, EVALUATORS} and self.isVisible():
            self.reload_evaluators()
            self.apps.refresh_rows()
            self._selection_changed()

    # --- actions ----------------------------------------------------------------------------------
    def assign_selected(self) -> None:
        ids, ev = self.selected_ids(), self.evaluator_combo.currentData()
        if not ids or not ev:
            return
        try:
            planned = self.planned.value()
        except ValueError:  # said beside the field too; nothing is saved
            show_error(self, ValidationError(tr("“{text}” is not a date; type it as 2013-05-10 or pick it from the "
                                                "calendar. Nothing was changed.").format(text=self.planned.text())))
            self.planned.setFocus()
            return
        self._run_bulk(ids, lambda st, app_id: st.people.assign(app_id, ev, planned_visit_on=planned),
                       tr("Assigned {evaluator} to %n applications.", "", len(ids)).format(evaluator=ev))

    def declare_selected(self) -> None:
        ids, ev = self.selected_ids(), self.evaluator_combo.currentData()
        if not ids or not ev:
            return
        ctype, note = self.conflict_type.currentData(), self.conflict_note.text().strip()
        self._run_bulk(ids, lambda st, app_id: st.people.declare_conflict(app_id, ev, ctype, note),
                       tr("Declared a conflict of {evaluator} with %n applications.", "", len(ids)).format(
                           evaluator=ev))

    def auto_assign(self):
        """The automatic assignment (``evaluator assign --auto``) in its own window."""
        from .auto_assign import AutoAssignDialog

        dlg = AutoAssignDialog(self.ctx, self.track.currentData(), self)
        dlg.setAttribute(Qt.WA_DeleteOnClose)
        dlg.show()
        self.auto_dialog = dlg
        return dlg

    def _run_bulk(self, ids, action, done_text: str) -> None:
        def after(failed) -> None:
            if failed:
                show_error(self, ValidationError(
                    tr("%n applications could not be changed; the others were.", "", len(failed)),
                    [Problem(app_id, msg) for app_id, msg in failed]))
            else:
                self.ctx.status_message(done_text)

        self.ctx.write(lambda st: bulk(st, ids, action), after, parent=self).run_in_background()
