"""Field: today's visits — the evaluator's assigned applications, by planned date and district."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QStackedWidget, QTableView,
    QVBoxLayout, QWidget,
)

from ..context import ASSIGNMENTS, EVALUATIONS
from ..i18n import tr
from ..labels import track_label, visit_state_label
from ..models import CENTER, Column, RecordModel
from ..style import tones
from .scoring import ScoringForm


@dataclass(frozen=True)
class Visit:
    application_id: str
    title: str
    group_name: str
    district: str
    track: str
    planned: date | None
    state: str | None
    abstained: bool


def visit_rows(st, evaluator: str, search: str = "") -> list[Visit]:
    """Runs on the worker: the evaluator's visits, sorted by planned date then district."""
    assignments = [a for a in st.people.assignments(evaluator=evaluator) if not a.is_conflict]
    ids = [a.application_id for a in assignments]
    if search.strip():
        keep = set(st.applications.ids(evaluator=evaluator, search=search.strip()))
        ids = [i for i in ids if i in keep]
    rows = {r.id: r for r in st.applications.rows(ids)}
    out = []
    for a in assignments:
        r = rows.get(a.application_id)
        if r is None:
            continue
        out.append(Visit(a.application_id, r.title, r.group_name, r.district, r.track, a.planned_visit_on, a.state,
                         a.abstained))
    out.sort(key=lambda v: (v.planned or date.max, v.district, v.application_id))
    return out


def _state_colour(state: str | None):
    t = tones()
    return {"draft": t.row_draft, "finalised": t.row_done}.get(state)


class TodayScreen(QWidget):
    """A list page and the scoring form page, in one stack."""

    formOpened = Signal(object)

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("todayScreen")
        self.ctx = ctx
        self.form: ScoringForm | None = None
        self.stack = QStackedWidget(self)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.stack)

        page = QWidget(self)
        pl = QVBoxLayout(page)
        head = QHBoxLayout()
        self.heading = QLabel(tr("Your visits"), page)
        self.heading.setObjectName("screenTitle")
        head.addWidget(self.heading)
        head.addStretch(1)
        self.search = QLineEdit(page)
        self.search.setObjectName("todaySearch")
        self.search.setAccessibleName(tr("Search your visits (Ctrl+F)"))
        self.search.setPlaceholderText(tr("Search ID, title, group or district"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(280)
        self.search.textChanged.connect(lambda _t: self.refresh())
        # Ctrl+F, type, Enter: the (first) visit found opens (docs/gui.md)
        self.search.returnPressed.connect(self.open_selected)
        head.addWidget(self.search)
        pl.addLayout(head)
        self.summary = QLabel("", page)
        self.summary.setObjectName("muted")
        pl.addWidget(self.summary)

        self.model = RecordModel([
            Column("planned", tr("Planned visit"), lambda v: v.planned.isoformat() if v.planned else "",
                   sort_key=lambda v: v.planned or date.max),
            Column("district", tr("District"), lambda v: v.district),
            Column("id", tr("Application ID"), lambda v: v.application_id),
            Column("title", tr("Project title"), lambda v: v.title),
            Column("group", tr("Group name"), lambda v: v.group_name),
            Column("track", tr("Track"), lambda v: track_label(ctx, v.track)),
            Column("state", tr("Visit status"), lambda v: visit_state_label(v.state, v.abstained), CENTER,
                   background=lambda v: _state_colour(v.state)),
        ], self)
        self.table = QTableView(page)
        self.table.setObjectName("todayTable")
        self.table.setAccessibleName(tr("Your visits"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.Stretch)
        self.table.activated.connect(lambda idx: self.open_row(idx.row()))
        self.table.doubleClicked.connect(lambda idx: self.open_row(idx.row()))
        pl.addWidget(self.table, 1)
        row = QHBoxLayout()
        hint = QLabel(tr("Enter or double-click opens the visit and scoring form."), page)
        hint.setObjectName("muted")
        row.addWidget(hint)
        row.addStretch(1)
        self.open_btn = QPushButton(tr("Open visit"), page)
        self.open_btn.setObjectName("openVisit")
        self.open_btn.clicked.connect(self.open_selected)
        row.addWidget(self.open_btn)
        pl.addLayout(row)
        QShortcut(QKeySequence("Ctrl+F"), page, lambda: self.search.setFocus(Qt.ShortcutFocusReason))
        self.list_page = page
        self.stack.addWidget(page)
        ctx.changed.connect(self._on_changed)

    def _on_changed(self, changes, initiator) -> None:
        if changes & {EVALUATIONS, ASSIGNMENTS} and self.stack.currentWidget() is self.list_page:
            self.refresh()

    def refresh(self) -> None:
        ev = self.ctx.evaluator
        if not ev:
            self.model.set_rows([])
            self.summary.setText(tr("Choose who you are in Settings to see your visits."))
            return
        search = self.search.text()
        self.ctx.query(lambda st: visit_rows(st, ev, search), self._fill, parent=self).run_in_background()

    def _fill(self, rows: list[Visit]) -> None:
        selected = self.selected_id()
        self.model.set_rows(rows)
        done = sum(1 for v in rows if v.state == "finalised")
        started = sum(1 for v in rows if v.state == "draft")
        self.summary.setText(tr("%n visits · {started} in progress · {done} finalised", "", len(rows)).format(
            started=started, done=done))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.Stretch)
        target = next((i for i, v in enumerate(rows) if v.application_id == selected), 0 if rows else None)
        if target is not None:
            self.table.selectRow(target)

    def selected_id(self) -> str | None:
        idx = self.table.currentIndex()
        if not idx.isValid():
            return None
        return self.model.record(idx.row()).application_id

    def open_selected(self) -> None:
        idx = self.table.currentIndex()
        if idx.isValid():
            self.open_row(idx.row())

    def open_row(self, row: int) -> None:
        self.open_application(self.model.record(row).application_id)

    def open_application(self, application_id: str) -> ScoringForm:
        self.close_form()
        form = ScoringForm(self.ctx, application_id, self.ctx.evaluator, self)
        form.closed.connect(self.close_form)
        self.form = form
        self.stack.addWidget(form)
        self.stack.setCurrentWidget(form)
        self.formOpened.emit(form)
        return form

    def initial_focus(self) -> QWidget:
        """Where the keyboard starts when the field app opens: the visits, Enter opens the one selected."""
        return self.table

    def close_form(self) -> None:
        if self.form is None:
            return
        form, self.form = self.form, None
        form.flush()
        self.stack.setCurrentWidget(self.list_page)
        self.stack.removeWidget(form)
        form.deleteLater()
        self.formOpened.emit(None)
        self.refresh()
        self.table.setFocus()

    def flush(self) -> None:
        if self.form is not None:
            self.form.flush()
