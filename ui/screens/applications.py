"""Office: the applications table (fast at 10,000 rows), its filters and a detail pane.

The detail pane withholds the applicant's contact data (representative, phone, e-mail, address,
the unknown intake columns) until "Show contact details" is pressed: that view is entered in the
access log (``store.privacy.view_application``)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QApplication, QComboBox, QDialog, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QSplitter,
    QTableView, QTextBrowser, QVBoxLayout, QWidget,
)

from evaluator.domain import SEOUL_DISTRICTS

from ..context import APPLICATIONS, ASSIGNMENTS, DECISIONS, EVALUATIONS
from ..i18n import language, tr
from ..labels import category_choices, category_label, conflict_labels, status_label, status_labels, track_label, visit_state_label
from ..models import ApplicationsModel, Column, RecordModel, fmt_amount
from ..style import tones
from ..widgets import fit_columns
from .scoring import ScoringForm


def column_menu(view: QTableView) -> None:
    """Right-click a column header: show or hide each column (remembered with the window's layout)."""
    from PySide6.QtWidgets import QMenu

    header = view.horizontalHeader()
    header.setContextMenuPolicy(Qt.CustomContextMenu)

    def menu(pos) -> None:
        m = QMenu(header)
        model = view.model()
        for i in range(model.columnCount()):
            a = m.addAction(str(model.headerData(i, Qt.Horizontal)))
            a.setCheckable(True)
            a.setChecked(not view.isColumnHidden(i))
            a.toggled.connect(lambda on, i=i: view.setColumnHidden(i, not on))
        m.popup(header.mapToGlobal(pos))

    header.customContextMenuRequested.connect(menu)


#: the least room of the free-text columns, in Hangul characters (the title, stretched, takes what is left)
TEXT_WIDTHS = {"title": 12, "group_name": 9}


def fit_application_columns(ctx, view: QTableView, model: ApplicationsModel) -> None:
    """The applications' columns as wide as the language shown needs: the headers whole, and the few
    texts a column can show (track, category, status) whole — the English ones are longer."""
    program = ctx.program
    known = {
        "id": ["2012-A-001"],
        "track": [track_label(ctx, t.code) for t in (program.tracks if program else ())],
        "category": [name for _code, name in category_choices(ctx)],
        "district": list(SEOUL_DISTRICTS),  # as the intake recorded them
        "requested_amount": [fmt_amount(99_000_000)],
        "submitted_on": ["2012-04-12"],
        "status": list(status_labels().values()),
        "": ["10/10"],
    }
    index = {c.key: i for i, c in enumerate(model.columns)}
    hangul = view.fontMetrics().horizontalAdvance("가")
    fit_columns(view, {index[k]: n * hangul for k, n in TEXT_WIDTHS.items()},
                {index[k]: texts for k, texts in known.items() if k in index}, stretch=index["title"])


def filter_combo(parent, name: str, everything: str, items: list[tuple[str, str]]) -> QComboBox:
    c = QComboBox(parent)
    c.setObjectName(name)
    c.addItem(everything, None)
    for value, label in items:
        c.addItem(label, value)
    # as wide as its longest choice where there is room, narrower (the choice cut, whole in the list it
    # opens) where there is not: five filters as wide as their longest English choices made the
    # Applications screen wider than a laptop's window at a large font
    c.setSizeAdjustPolicy(QComboBox.AdjustToContents)
    c.setMinimumWidth(c.fontMetrics().horizontalAdvance("x" * 8) + 32)
    c.view().setMinimumWidth(c.view().sizeHintForColumn(0) + 24)
    return c


def _position(ids: list[str], app_id: str | None) -> int:
    """Where ``app_id`` is in ``ids``, or -1."""
    if app_id is None:
        return -1
    try:
        return ids.index(app_id)
    except ValueError:
        return -1


class EvaluationDialog(QDialog):
    """The scoring form in its own window (office: typing in a paper score sheet)."""

    def __init__(self, ctx, application_id: str, evaluator: str, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("evaluationDialog")
        self.setWindowTitle(tr("Evaluation of {app} by {evaluator}").format(app=application_id, evaluator=evaluator))
        self.form = ScoringForm(ctx, application_id, evaluator, self, show_back=False)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.form)
        QShortcut(QKeySequence.Undo, self, self.form.undo_stack.undo)
        QShortcut(QKeySequence.Redo, self, self.form.undo_stack.redo)
        # 1000×760, or less on a small screen (a 1280×720 laptop cut the dialog's bottom and its buttons off)
        screen = (parent.screen() if parent is not None else None) or QApplication.primaryScreen()
        width, height = 1000, 760
        if screen is not None:
            room = screen.availableGeometry()
            width, height = min(width, room.width() * 9 // 10), min(height, room.height() * 9 // 10)
        self.resize(width, height)

    def done(self, result: int) -> None:
        self.form.flush()
        super().done(result)


class ApplicationsScreen(QWidget):
    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("applicationsScreen")
        self.ctx = ctx
        self.sort_key, self.descending = "id", False
        self._current: str | None = None
        self._reloads = 0
        self._latest = [0]  # the newest reload's number, read by the worker to skip overtaken ones
        self._detail_shown: str | None = None  # the application whose detail the pane shows
        self._detail_asked: tuple[str, int] | None = None  # (application, reload number) of the last detail asked
        self._selecting = False  # a reload is selecting its row (see _ids)
        lay = QVBoxLayout(self)
        title = QLabel(tr("Applications"), self)
        title.setObjectName("screenTitle")
        lay.addWidget(title)

        bar = QHBoxLayout()
        self.search = QLineEdit(self)
        self.search.setObjectName("applicationsSearch")
        self.search.setPlaceholderText(tr("Search ID, title, group or district"))
        self.search.setAccessibleName(tr("Search applications"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(self.search.fontMetrics().horizontalAdvance("x" * 18))  # the filters give way first
        bar.addWidget(self.search, 2)
        program = ctx.program
        self.track = filter_combo(self, "filterTrack", tr("All tracks"),
                                  [(t.code, t.name(language())) for t in (program.tracks if program else ())])
        self.category = filter_combo(self, "filterCategory", tr("All categories"),
                                     category_choices(ctx))
        self.district = filter_combo(self, "filterDistrict", tr("All districts"),
                                     [(ko, en if language() == "en" else ko) for ko, en in SEOUL_DISTRICTS.items()])
        self.status = filter_combo(self, "filterStatus", tr("All statuses"), list(status_labels().items()))
        self.evaluator = filter_combo(self, "filterEvaluator", tr("All evaluators"), [])
        for w in (self.track, self.category, self.district, self.status, self.evaluator):
            bar.addWidget(w)
            w.currentIndexChanged.connect(lambda _i: self.reload())
        self.search.textChanged.connect(lambda _t: self.reload())
        lay.addLayout(bar)
        self.count = QLabel("", self)
        self.count.setObjectName("muted")
        lay.addWidget(self.count)

        split = QSplitter(Qt.Horizontal, self)
        split.setObjectName("applicationsSplit")
        self.model = ApplicationsModel(ctx, self)
        self.model.sortRequested.connect(self._sort)
        self.table = QTableView(split)
        self.table.setObjectName("applicationsTable")
        self.table.setAccessibleName(tr("Applications"))
        self.table.setModel(self.model)
        self.table.setSortingEnabled(False)
        self.table.horizontalHeader().setSortIndicatorShown(True)
        self.table.horizontalHeader().setSectionsClickable(True)
        self.table.horizontalHeader().sectionClicked.connect(self._header_clicked)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.Interactive)
        # category and submission date (both in the detail pane) are hidden until asked for (right-click
        # a column header); the title takes what is left
        for key in ("category", "submitted_on"):
            self.table.setColumnHidden(next(i for i, c in enumerate(self.model.columns) if c.key == key), True)
        fit_application_columns(ctx, self.table, self.model)
        column_menu(self.table)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._show_detail(cur.row()))
        split.addWidget(self.table)

        detail = QWidget(split)
        dl = QVBoxLayout(detail)
        dl.setContentsMargins(6, 0, 0, 0)
        self.detail = QTextBrowser(detail)
        self.detail.setObjectName("applicationDetail")
        self.detail.setAccessibleName(tr("The selected application"))
        self.detail.setOpenLinks(False)
        dl.addWidget(self.detail, 2)
        self.show_contact = QPushButton(tr("Show contact details (recorded in the access log)"), detail)
        self.show_contact.setObjectName("showContact")
        self.show_contact.clicked.connect(self.reveal_contact)
        dl.addWidget(self.show_contact)
        dl.addWidget(QLabel(tr("Evaluators"), detail))
        self.assignments = RecordModel([
            Column("evaluator", tr("Evaluator"), lambda a: a.evaluator),
            Column("state", tr("State"), lambda a: (tr("Conflict: {type}").format(
                type=conflict_labels().get(a.conflict_type, a.conflict_type)) if a.is_conflict
                else visit_state_label(a.state, a.abstained))),
            Column("planned", tr("Planned visit"), lambda a: a.planned_visit_on.isoformat() if a.planned_visit_on
                   else ""),
        ], self)
        self.assign_view = QTableView(detail)
        self.assign_view.setObjectName("applicationAssignments")
        self.assign_view.setAccessibleName(tr("Evaluators of the selected application"))
        self.assign_view.setModel(self.assignments)
        self.assign_view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.assign_view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.assign_view.verticalHeader().setVisible(False)
        self.assign_view.horizontalHeader().setStretchLastSection(True)
        self.assign_view.doubleClicked.connect(lambda idx: self.open_evaluation(idx.row()))
        dl.addWidget(self.assign_view, 2)
        self.open_eval_btn = QPushButton(tr("Open evaluation (type in a paper sheet)…"), detail)
        self.open_eval_btn.setObjectName("openEvaluation")
        self.open_eval_btn.clicked.connect(lambda: self.open_evaluation(self.assign_view.currentIndex().row()))
        dl.addWidget(self.open_eval_btn)
        self._eligibility(detail, dl)
        split.addWidget(detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([820, 300])
        lay.addWidget(split, 1)
        ctx.changed.connect(self._on_changed)
        self.dialog: EvaluationDialog | None = None

    # --- loading ----------------------------------------------------------------------------------
    def filters(self) -> dict:
        f = {
            "track": self.track.currentData(), "category": self.category.currentData(),
            "district": self.district.currentData(), "status": self.status.currentData(),
            "evaluator": self.evaluator.currentData(), "search": self.search.text().strip() or None,
            "round": self.ctx.round_shown(),  # the round shown in the header
        }
        return {k: v for k, v in f.items() if v}

    def refresh(self) -> None:
        self.ctx.query(lambda st: st.people.evaluators(), self._fill_evaluators, parent=self).run_in_background()
        self.reload()

    def _fill_evaluators(self, evaluators) -> None:
        current = self.evaluator.currentData()
        self.evaluator.blockSignals(True)
        self.evaluator.clear()
        self.evaluator.addItem(tr("All evaluators"), None)
        for e in evaluators:
            self.evaluator.addItem(f"{e.code} {e.name}", e.code)
        i = self.evaluator.findData(current)
        self.evaluator.setCurrentIndex(max(0, i))
        self.evaluator.blockSignals(False)

    def reload(self) -> None:
        """Ask the core for the IDs in the current order and filters, together with the rows that
        will be on screen (around the selected application, which stays selected, or at the top):
        one trip to the worker, and the table is drawn once, with its rows.  A reload that is
        overtaken by a newer one before the worker reaches it (typing in the search box) is skipped."""
        filters, key, desc = self.filters(), self.sort_key, self.descending
        keep = self._current
        visible = self._visible_rows()
        self._reloads += 1
        ticket, latest = self._reloads, self._latest
        latest[0] = ticket
        model = type(self.model)

        def op(st):
            if latest[0] != ticket:
                return None
            ids = st.applications.ids(sort=key, descending=desc, **filters)
            pos = _position(ids, keep)
            pages = {}
            wanted = model.pages_around(len(ids), pos, visible)
            if wanted:
                rows = st.applications.rows([i for p in wanted for i in model.page_ids(ids, p)])
                page_of = {i: p for p in wanted for i in model.page_ids(ids, p)}
                pages = {p: [] for p in wanted}
                for r in rows:
                    pages[page_of[r.id]].append(r)
            return ticket, ids, keep, pos, pages

        self.ctx.query(op, self._ids, parent=self).run_in_background()

    def _visible_rows(self) -> int:
        """How many rows the table shows at once (at least a screenful when it is not laid out yet)."""
        height = self.table.viewport().height()
        row = max(1, self.table.verticalHeader().defaultSectionSize())
        return max(40, height // row + 2)

    def _ids(self, result) -> None:
        if result is None or result[0] != self._latest[0]:  # skipped, or a newer reload is on its way
            return
        _ticket, ids, keep, pos, pages = result
        self.model.set_ids(ids, pages)
        self.count.setText(tr("%n applications", "", len(ids)))
        if self._current != keep:  # the selection moved while the worker was busy
            pos = _position(ids, self._current)
        self._selecting = True  # the detail of the row selected now is read once the table is drawn
        try:
            if pos >= 0:
                self.table.selectRow(pos)
            elif ids:
                self.table.selectRow(0)
            else:
                self._show_detail(-1)
        finally:
            self._selecting = False
        if self._current is not None and self._detail_shown != self._current:
            # On the next turn, after the table's paint (posted before): read on the worker while the
            # table draws its cells, each of those hundreds of calls into Python waited for the GIL.
            QTimer.singleShot(0, self, self._current_detail)

    def _header_clicked(self, section: int) -> None:
        col = self.model.columns[section]
        if not col.key:
            return
        desc = not self.descending if col.key == self.sort_key else False
        self.table.horizontalHeader().setSortIndicator(section, Qt.DescendingOrder if desc else Qt.AscendingOrder)
        self.model.sort(section, Qt.DescendingOrder if desc else Qt.AscendingOrder)

    def _sort(self, key: str, descending: bool) -> None:
        self.sort_key, self.descending = key, descending
        self.reload()

    def _on_changed(self, changes, initiator) -> None:
        if not self.isVisible():  # the main window refreshes hidden screens when they are shown
            return
        if changes & {APPLICATIONS}:
            self.reload()
        elif changes & {ASSIGNMENTS, EVALUATIONS, DECISIONS}:
            self.model.refresh_rows()
            if self._current:
                self._load_detail(self._current)

    # --- detail pane ------------------------------------------------------------------------------
    def _show_detail(self, row: int) -> None:
        if not (0 <= row < len(self.model.ids)):
            self._current = self._detail_shown = None
            self.detail.setHtml("")
            self.assignments.set_rows([])
            self._fill_eligibility(None, [])
            self.show_contact.setEnabled(False)
            return
        app_id = self.model.ids[row]
        if app_id != self._current:
            self._current = app_id
            if not self._selecting:
                self._load_detail(app_id)

    def _current_detail(self) -> None:
        """The detail of the selected application, unless it is shown or on its way already."""
        if (self._current is not None and self._detail_shown != self._current
                and self._detail_asked != (self._current, self._latest[0])):
            self._load_detail(self._current)

    def _load_detail(self, app_id: str) -> None:
        """The detail pane's application, its evaluators and its gates, read on the worker; skipped
        there when a reload was asked for since (a sort or a search right after the selection
        moved): the reload selects a row and loads its detail then, and does not wait behind this."""
        ticket, latest = self._latest[0], self._latest
        self._detail_asked = (app_id, ticket)

        def op(st):
            if latest[0] != ticket:
                return None
            return (st.applications.get(app_id), st.people.assignments(application_id=app_id),
                    st.applications.gates(app_id))

        self.ctx.query(op, self._fill_detail, parent=self).failure(self._detail_failed).run_in_background()

    def _detail_failed(self, exc: BaseException) -> None:
        from evaluator.errors import NotFound

        from ..errors import show_error

        if isinstance(exc, NotFound):  # gone meanwhile (another program shown, or deleted): nothing to show
            return
        show_error(self, exc)

    def reveal_contact(self) -> None:
        """Show the current application's contact data: a view the access log records."""
        app_id = self._current
        if app_id is None:
            return
        self.ctx.write(lambda st: st.privacy.view_application(app_id),
                       lambda app: self._fill_detail((app, self.assignments.rows, self.gates.rows), contact=True),
                       parent=self).run_in_background()

    def _fill_detail(self, data, *, contact: bool = False) -> None:
        if data is None:  # overtaken by a reload (see _load_detail)
            return
        app, assignments, gates = data
        if app.id != self._current:
            return
        self._detail_shown = app.id
        self._fill_eligibility(app, gates)
        withheld = tr("(withheld: personal data)")

        def personal(value: str) -> str:
            return value if contact or not value else withheld

        self.show_contact.setEnabled(not contact and any((app.representative, app.phone, app.email, app.address,
                                                          app.extra)))
        rows = [
            (tr("Track"), track_label(self.ctx, app.track)), (tr("Category"), category_label(self.ctx, app.category)),
            (tr("Group name"), app.group_name), (tr("Representative"), personal(app.representative)),
            (tr("Phone"), personal(app.phone)), (tr("Email"), personal(app.email)),
            (tr("District"), " ".join(x for x in (app.district, app.neighbourhood) if x)),
            (tr("Address"), personal(app.address)), (tr("Members"), "" if app.members is None else str(app.members)),
            (tr("Requested (KRW)"), fmt_amount(app.requested_amount)),
            (tr("Self-contribution (KRW)"), fmt_amount(app.self_contribution)),
            (tr("Submitted on"), app.submitted_on.isoformat() if app.submitted_on else ""),
            (tr("Status"), status_label(app.status)),
            (tr("Withdrawn because"), app.status_reason if app.status == "withdrawn" else ""),
        ]
        muted = tones().muted.name()
        html = [f"<h3>{escape(app.id)} · {escape(app.title)}</h3><table cellspacing='2'>"]
        for k, v in rows:
            if v:
                html.append(f"<tr><td style='color:{muted};padding-right:8px'>{escape(k)}</td>"
                            f"<td>{escape(v)}</td></tr>")
        html.append("</table>")
        if app.summary:
            html.append(f"<p>{escape(app.summary)}</p>")
        if app.extra and contact:  # (unknown intake columns may hold more personal data)
            html.append(f"<p style='color:{muted}'>{escape(tr('Other columns'))}: " + "; ".join(
                f"{escape(str(k))}: {escape(str(v))}" for k, v in app.extra.items()) + "</p>")
        self.detail.setHtml("".join(html))
        self.assignments.set_rows(assignments)
        self.assign_view.resizeColumnsToContents()

    def open_evaluation(self, row: int) -> EvaluationDialog | None:
        if not (0 <= row < len(self.assignments.rows)) or self._current is None:
            return None
        a = self.assignments.record(row)
        if a.is_conflict:
            return None
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = EvaluationDialog(self.ctx, a.application_id, a.evaluator, self)
        self.dialog.setAttribute(Qt.WA_DeleteOnClose)
        self.dialog.destroyed.connect(lambda *_: setattr(self, "dialog", None))
        self.dialog.show()
        return self.dialog

    # --- eligibility gates and withdrawal --------------------------------------------------------
    def _eligibility(self, parent, lay) -> None:
        """The rubric's eligibility gates for the selected application (a manual one passed or failed
        with a note), and its withdrawal with the reason."""
        lay.addWidget(QLabel(tr("Eligibility gates"), parent))
        self.gates = RecordModel([
            Column("gate", tr("Gate"), lambda g: g.name(language())),
            Column("state", tr("State"), gate_state_label),
            Column("note", tr("Note"), lambda g: g.note),
            Column("by", tr("Recorded by"), lambda g: g.decided_by),
        ], self)
        self.gate_view = QTableView(parent)
        self.gate_view.setObjectName("applicationGates")
        self.gate_view.setAccessibleName(tr("Eligibility gates of the selected application"))
        self.gate_view.setModel(self.gates)
        self.gate_view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.gate_view.setSelectionMode(QAbstractItemView.SingleSelection)
        self.gate_view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.gate_view.verticalHeader().setVisible(False)
        self.gate_view.horizontalHeader().setStretchLastSection(True)
        self.gate_view.selectionModel().currentRowChanged.connect(lambda *_: self._gate_buttons())
        lay.addWidget(self.gate_view, 2)
        row = QHBoxLayout()
        self.gate_pass = QPushButton(tr("Passed…"), parent)
        self.gate_pass.setObjectName("gatePass")
        self.gate_pass.clicked.connect(lambda: self.record_gate(True))
        self.gate_fail = QPushButton(tr("Failed…"), parent)
        self.gate_fail.setObjectName("gateFail")
        self.gate_fail.clicked.connect(lambda: self.record_gate(False))
        self.withdraw_btn = QPushButton(tr("Withdraw…"), parent)
        self.withdraw_btn.setObjectName("withdrawApplication")
        self.withdraw_btn.clicked.connect(self.withdraw)
        for b in (self.gate_pass, self.gate_fail, self.withdraw_btn):
            row.addWidget(b)
        row.addStretch(1)
        lay.addLayout(row)
        self.withdrawn_label = QLabel("", parent)
        self.withdrawn_label.setObjectName("withdrawnLabel")
        self.withdrawn_label.setWordWrap(True)
        lay.addWidget(self.withdrawn_label)
        self._app = None
        self._fill_eligibility(None, [])

    def _fill_eligibility(self, app, gates) -> None:
        self._app = app
        keep = self.selected_gate()
        self.gates.set_rows(list(gates))
        codes = [g.code for g in gates]
        manual = [i for i, g in enumerate(gates) if g.kind == "manual"]
        pick = codes.index(keep.code) if keep is not None and keep.code in codes else (manual[0] if manual else -1)
        if pick >= 0:
            self.gate_view.selectRow(pick)
        withdrawn = app is not None and app.status == "withdrawn"
        self.withdrawn_label.setText(tr("Withdrawn: {reason}").format(reason=app.status_reason) if withdrawn else "")
        self.withdraw_btn.setEnabled(app is not None and not withdrawn and not self.ctx.is_field)
        self._gate_buttons()

    def selected_gate(self):
        idx = self.gate_view.currentIndex()
        return self.gates.record(idx.row()) if idx.isValid() and idx.row() < len(self.gates.rows) else None

    def _gate_buttons(self) -> None:
        g = self.selected_gate()
        on = g is not None and g.kind == "manual" and self._app is not None and not self.ctx.is_field
        self.gate_pass.setEnabled(on)
        self.gate_fail.setEnabled(on)

    def record_gate(self, passed: bool) -> None:
        from .. import dialogs

        g, app = self.selected_gate(), self._app
        if g is None or app is None or g.kind != "manual":
            return
        question = (tr("{gate} passed for {app}. A note (optional):") if passed else
                    tr("{gate} failed for {app}. A note (why):")).format(gate=g.name(language()), app=app.id)
        note = dialogs.text(self, tr("Eligibility gate"), question, required=False, initial=g.note)
        if note is None:
            return
        app_id, code = app.id, g.code
        self.ctx.write(lambda st: st.applications.record_gate(app_id, code, passed, note),
                       lambda status: self._gate_recorded(app_id, status), parent=self).run_in_background()

    def _gate_recorded(self, app_id: str, status) -> None:
        self.ctx.status_message(tr("{app}: {gate} {state}.").format(app=app_id, gate=status.name(language()),
                                                                     state=gate_state_label(status)))
        if app_id == self._current:
            self._load_detail(app_id)

    def withdraw(self) -> None:
        from .. import dialogs

        app = self._app
        if app is None or app.status == "withdrawn":
            return
        reason = dialogs.text(self, tr("Withdraw {app}").format(app=app.id),
                              tr("Why was {app} withdrawn? The application is kept, left out of the ranking and "
                                 "shown with this reason.").format(app=app.id))
        if not reason:
            return
        app_id = app.id
        self.ctx.write(lambda st: st.applications.withdraw(app_id, reason),
                       lambda info: self._withdrawn(info), parent=self).run_in_background()

    def _withdrawn(self, info) -> None:
        self.ctx.status_message(tr("{app} withdrawn: {reason}").format(app=info.id, reason=info.status_reason))
        if info.id == self._current:
            self._load_detail(info.id)


def gate_state_label(g) -> str:
    if g.passed is None:
        return tr("Not recorded (presumed passed)")
    kind = tr("automatic") if g.kind == "auto" else tr("manual")
    return (tr("Passed ({kind})") if g.passed else tr("Failed ({kind})")).format(kind=kind)
