"""Office: awards and follow-up (수혜 및 사후관리) — every award of the program with its money and
status, the actions on one award (terms, status, a tranche, a support session, the settlement), its monitoring
visits, what is due and overdue, the monitoring plan and its visitors, and the follow-up outputs.

Every change goes through ``store.awards`` / ``store.monitoring`` (docs/follow-up.md); a refusal (a
tranche above the balance, a status that cannot follow) is the core's sentence in the error dialog,
and nothing changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QHeaderView,
    QLabel, QLineEdit, QPushButton, QSpinBox, QSplitter, QTableView, QVBoxLayout, QWidget,
)

from evaluator.awards.model import AWARD_STATUSES, CLOSED_STATUSES, NEXT_STATUSES, SETTLEMENTS, SUPPORT_KINDS
from evaluator.changes import AWARDS, DECISIONS, MONITORING

from .. import dialogs
from ..i18n import language, tr
from ..models import CENTER, RIGHT, Column, RecordModel, fmt_amount
from ..style import tones
from ..widgets import DateField, FlowLayout, plain, title_label, together


# --- labels -----------------------------------------------------------------------------------------
def award_status_labels() -> dict[str, str]:
    return {"agreed": tr("Agreed", "award status"), "in_progress": tr("In progress", "award status"),
            "completed": tr("Completed", "award status"), "withdrawn": tr("Withdrawn", "award status"),
            "cancelled": tr("Cancelled", "award status")}


def award_status_label(code: str) -> str:
    return award_status_labels().get(code, code)


def monitoring_state_label(state: str) -> str:
    return {"planned": tr("Planned"), "draft": tr("Draft"), "finalised": tr("Finalised")}.get(state, state)


def support_kind_labels() -> dict[str, str]:
    return {"training": tr("Training"), "consulting": tr("Consulting"), "counselling": tr("Counselling")}


def settlement_labels() -> dict[str, str]:
    return {"submitted": tr("Settlement submitted"), "checked": tr("Settlement checked")}


def parse_amount(text: str) -> int | None:
    """``7,500,000`` or ``7500000`` → 7500000; '' → None; ``ValueError`` for anything else."""
    t = text.replace(",", "").replace(" ", "").strip()
    if not t:
        return None
    if not t.isdigit():
        raise ValueError(text)
    return int(t)


def _day(d: date | None) -> str:
    return d.isoformat() if d else ""


def _period(a) -> str:
    if a.starts_on is None and a.ends_on is None:
        return ""
    return f"{_day(a.starts_on) or '…'} – {_day(a.ends_on) or '…'}"


@dataclass(frozen=True)
class AwardRow:
    """An award with what the monitoring plan says is next for it."""

    award: object  # evaluator AwardInfo
    next_due: date | None
    overdue: int  # overdue visits
    open_actions: int  # required actions of its visits not done yet

    def __getattr__(self, name):  # the award's fields read through the row
        return getattr(self.award, name)


def award_rows(st) -> tuple[list[AwardRow], list]:
    """Runs on the worker: the awards and every visit not finalised (soonest due first)."""
    due = st.monitoring.due()
    nxt: dict[str, date] = {}
    late: dict[str, int] = {}
    for d in due:
        nxt.setdefault(d.application_id, d.due_on)
        if d.overdue:
            late[d.application_id] = late.get(d.application_id, 0) + 1
    open_: dict[str, int] = {}
    for v in st.monitoring.visits():
        open_[v.application_id] = open_.get(v.application_id, 0) + v.open_actions
    rows = [AwardRow(a, nxt.get(a.application_id), late.get(a.application_id, 0), open_.get(a.application_id, 0))
            for a in st.awards.list()]
    return rows, due


# --- dialogs ----------------------------------------------------------------------------------------
class _FormDialog(QDialog):
    """A small form with OK enabled only when :meth:`ok` says so."""

    def __init__(self, name: str, title: str, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self.lay = QVBoxLayout(self)
        self.form = QFormLayout()
        self.lay.addLayout(self.form)
        self.error = plain(QLabel("", self))
        self.error.setObjectName("inlineError")
        self.error.setWordWrap(True)
        self.lay.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.lay.addWidget(self.buttons)

    def line(self, name: str, label: str, text: str = "", placeholder: str = "") -> QLineEdit:
        e = QLineEdit(text, self)
        e.setObjectName(name)
        e.setPlaceholderText(placeholder)
        e.textChanged.connect(self.check)
        self.form.addRow(label, e)
        return e

    def date(self, name: str, label: str, value: date | None = None) -> DateField:
        f = DateField(tr("YYYY-MM-DD"), self)
        f.setObjectName(name)
        f.setAccessibleName(label)
        f.set_date(value)
        f.changed.connect(self.check)
        self.form.addRow(label, f)
        return f

    def check(self) -> None:
        problem = self.problem()
        self.error.setText(problem or "")
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(problem is None)

    def problem(self) -> str | None:  # None: fine
        return None


class TermsDialog(_FormDialog):
    """The award's amount, agreement date and project period, with the reason for the change."""

    def __init__(self, award, parent=None) -> None:
        super().__init__("awardTermsDialog", tr("Adjust the award of {application}").format(
            application=award.application_id), parent)
        self.award = award
        self.amount = self.line("termsAmount", tr("Amount (won)"), fmt_amount(award.amount))
        self.agreed = self.date("termsAgreed", tr("Agreement date"), award.agreed_on)
        self.starts = self.date("termsStarts", tr("Project starts"), award.starts_on)
        self.ends = self.date("termsEnds", tr("Project ends"), award.ends_on)
        self.reason = self.line("termsReason", tr("Reason"), placeholder=tr("kept in the audit trail"))
        self.check()

    def problem(self) -> str | None:
        try:
            amount = parse_amount(self.amount.text())
            for f in (self.agreed, self.starts, self.ends):
                f.value()
        except ValueError:
            return tr("Type the amount in won and dates as 2012-06-20.")
        if amount is None:
            return tr("The award needs its amount.")
        if not self.reason.text().strip():
            return tr("Say why (the reason is kept in the audit trail).")
        return None

    def values(self) -> dict:
        """Only what changed (the core audits each value given)."""
        a = self.award
        out = {"reason": self.reason.text().strip()}
        amount = parse_amount(self.amount.text())
        if amount != a.amount:
            out["amount"] = amount
        for key, field, old in (("agreed_on", self.agreed, a.agreed_on), ("starts_on", self.starts, a.starts_on),
                                ("ends_on", self.ends, a.ends_on)):
            if field.value() != old and field.value() is not None:
                out[key] = field.value()
        return out


class StatusDialog(_FormDialog):
    """The award's next status and the reason; a reserve may step in for a withdrawn or cancelled one."""

    def __init__(self, award, parent=None) -> None:
        super().__init__("awardStatusDialog", tr("Change the status of {application}").format(
            application=award.application_id), parent)
        self.status = QComboBox(self)
        self.status.setObjectName("statusChoice")
        for code in NEXT_STATUSES.get(award.status, ()):
            self.status.addItem(award_status_label(code), code)
        self.status.currentIndexChanged.connect(lambda _i: self.check())
        self.form.addRow(tr("New status"), self.status)
        self.reason = self.line("statusReason", tr("Reason"), placeholder=tr("kept in the audit trail"))
        self.step_in = QCheckBox(tr("The best-ranked reserve of the same round and track steps in"), self)
        self.step_in.setObjectName("statusStepIn")
        self.form.addRow("", self.step_in)
        self.check()

    def problem(self) -> str | None:
        closing = self.status.currentData() in CLOSED_STATUSES
        self.step_in.setEnabled(closing)
        if not closing:
            self.step_in.setChecked(False)
        if self.status.count() == 0:
            return tr("A withdrawn or cancelled award keeps its status.")
        if not self.reason.text().strip():
            return tr("Say why (the reason is kept in the audit trail).")
        return None


class TrancheDialog(_FormDialog):
    """The next tranche paid: amount, date and a note."""

    def __init__(self, award, parent=None) -> None:
        super().__init__("trancheDialog", tr("Record a tranche for {application}").format(
            application=award.application_id), parent)
        info = plain(QLabel(tr("Awarded {amount} won, disbursed {disbursed} won, balance {balance} won.").format(
            amount=fmt_amount(award.amount), disbursed=fmt_amount(award.disbursed),
            balance=fmt_amount(award.balance)), self))
        info.setWordWrap(True)
        self.lay.insertWidget(0, info)
        self.amount = self.line("trancheAmount", tr("Amount (won)"))
        self.paid_on = self.date("trancheDate", tr("Paid on"), date.today())
        self.note = self.line("trancheNote", tr("Note"), placeholder=tr("optional"))
        self.check()

    def problem(self) -> str | None:
        try:
            amount = parse_amount(self.amount.text())
            day = self.paid_on.value()
        except ValueError:
            return tr("Type the amount in won and dates as 2012-06-20.")
        if not amount or day is None:
            return tr("The tranche needs its amount and date.")
        return None


class SupportDialog(_FormDialog):
    """A training, consulting or counselling session given to the group."""

    def __init__(self, award, parent=None) -> None:
        super().__init__("supportDialog", tr("Log a support session for {application}").format(
            application=award.application_id), parent)
        self.held_on = self.date("supportDate", tr("Date"), date.today())
        self.kind = QComboBox(self)
        self.kind.setObjectName("supportKind")
        labels = support_kind_labels()
        for k in SUPPORT_KINDS:
            self.kind.addItem(labels[k], k)
        self.form.addRow(tr("Kind"), self.kind)
        self.topic = self.line("supportTopic", tr("Topic"))
        self.given_by = self.line("supportBy", tr("Given by"), placeholder=tr("optional"))
        self.attendees = QSpinBox(self)
        self.attendees.setObjectName("supportAttendees")
        self.attendees.setRange(0, 10000)
        self.attendees.setSpecialValueText(tr("not counted"))
        self.form.addRow(tr("Attendees"), self.attendees)
        self.note = self.line("supportNote", tr("Note"), placeholder=tr("optional"))
        self.check()

    def problem(self) -> str | None:
        try:
            day = self.held_on.value()
        except ValueError:
            return tr("Type the amount in won and dates as 2012-06-20.")
        if day is None or not self.topic.text().strip():
            return tr("The session needs its date and topic.")
        return None


class SettlementDialog(_FormDialog):
    """The settlement (정산) at the end: submitted or checked, any amount the group returned, a note
    for the audit trail."""

    def __init__(self, award, parent=None) -> None:
        super().__init__("settlementDialog", tr("Record the settlement of {application}").format(
            application=award.application_id), parent)
        self.award = award
        info = plain(QLabel(tr("Awarded {amount} won, disbursed {disbursed} won, balance {balance} won.").format(
            amount=fmt_amount(award.amount), disbursed=fmt_amount(award.disbursed),
            balance=fmt_amount(award.balance)), self))
        info.setWordWrap(True)
        self.lay.insertWidget(0, info)
        self.settlement = QComboBox(self)
        self.settlement.setObjectName("settlementChoice")
        labels = settlement_labels()
        for code in SETTLEMENTS:
            self.settlement.addItem(labels[code], code)
        # the step that comes next: a submitted settlement is checked next
        nxt = "checked" if award.settlement == "submitted" else award.settlement or "submitted"
        self.settlement.setCurrentIndex(max(0, self.settlement.findData(nxt)))
        self.form.addRow(tr("Settlement"), self.settlement)
        self.returned = self.line("settlementReturned", tr("Amount returned (won)"),
                                  fmt_amount(award.returned_amount) if award.returned_amount is not None else "",
                                  placeholder=tr("none"))
        self.note = self.line("settlementNote", tr("Note"), placeholder=tr("kept in the audit trail"))
        self.check()

    def problem(self) -> str | None:
        try:
            returned = parse_amount(self.returned.text())
        except ValueError:
            return tr("Type the amount in won, e.g. 150,000.")
        if returned is not None and returned > self.award.disbursed:
            return tr("The amount returned cannot be more than what was disbursed ({disbursed} won).").format(
                disbursed=fmt_amount(self.award.disbursed))
        return None

    def values(self) -> dict:
        return {"settlement": self.settlement.currentData(), "returned_amount": parse_amount(self.returned.text()),
                "note": self.note.text().strip()}


class PlanDialog(_FormDialog):
    """The visits every award gets, in months after its project starts."""

    def __init__(self, plan, parent=None) -> None:
        super().__init__("monitoringPlanDialog", tr("Monitoring plan"), parent)
        info = plain(QLabel(tr("Which visits every award gets, in months after its project starts (its start "
                               "date, else its agreement date): e.g. mid=3, final=6. Each track keeps its monitoring "
                               "rubric (the shipped one unless set with the command line)."), self))
        info.setWordWrap(True)
        self.lay.insertWidget(0, info)
        current = ", ".join(f"{v.code}={v.months}" for v in plan.visits) if plan and plan.visits else "mid=3, final=6"
        self.visits = self.line("planVisits", tr("Visits (code=months)"), current)
        self.check()

    def parsed(self) -> list[tuple[str, int]]:
        out = []
        for part in self.visits.text().replace(";", ",").split(","):
            if not part.strip():
                continue
            code, sep, months = part.partition("=")
            if not sep or not code.strip() or not months.strip().isdigit() or int(months) <= 0:
                raise ValueError(part)
            out.append((code.strip(), int(months)))
        return out

    def problem(self) -> str | None:
        try:
            visits = self.parsed()
        except ValueError as exc:
            return tr("'{part}' is not CODE=MONTHS (e.g. mid=3).").format(part=str(exc).strip())
        if not visits:
            return tr("Name at least one visit, e.g. mid=3, final=6.")
        return None


# --- the screen -------------------------------------------------------------------------------------
def _view(name: str, accessible: str, model, parent) -> QTableView:
    v = QTableView(parent)
    v.setObjectName(name)
    v.setAccessibleName(accessible)
    v.setModel(model)
    v.setSelectionBehavior(QAbstractItemView.SelectRows)
    v.setSelectionMode(QAbstractItemView.SingleSelection)
    v.setEditTriggers(QAbstractItemView.NoEditTriggers)
    v.setAlternatingRowColors(True)
    v.verticalHeader().setVisible(False)
    v.setSortingEnabled(True)
    return v


def _button(text: str, name: str, slot, parent) -> QPushButton:
    b = QPushButton(text, parent)
    b.setObjectName(name)
    b.clicked.connect(slot)
    return b


class AwardsScreen(QWidget):
    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("awardsScreen")
        self.ctx = ctx
        self.all_rows: list[AwardRow] = []
        self.plan = None
        self.last_output: Path | None = None
        lay = QVBoxLayout(self)
        # the title and its controls wrap onto more lines where the window is narrow (a large font)
        top = FlowLayout(spacing=8)
        top.addWidget(title_label(tr("Awards and follow-up"), self))
        status_label = QLabel(tr("Status"), self)
        self.filter = QComboBox(self)
        self.filter.setObjectName("awardStatusFilter")
        self.filter.addItem(tr("All statuses"), None)
        for code in AWARD_STATUSES:
            self.filter.addItem(award_status_label(code), code)
        self.filter.currentIndexChanged.connect(lambda _i: self._show_rows())
        status_label.setBuddy(self.filter)
        top.addWidget(together(self, status_label, self.filter))
        self.plan_btn = _button(tr("Monitoring plan…"), "monitoringPlan", self.set_plan, self)
        self.assign_btn = _button(tr("Assign visitors"), "assignVisitors", self.assign_visitors, self)
        self.export_btn = _button(tr("Follow-up workbook…"), "exportFollowUp", self.export_workbook, self)
        self.report_btn = _button(tr("Follow-up summary PDF…"), "reportFollowUp", self.export_summary, self)
        self.blank_btn = _button(tr("Blank visit sheets PDF…"), "blankVisitSheets", self.export_blank_sheets, self)
        self.blank_btn.setToolTip(tr("The paper form of every monitoring visit still to make"))
        for b in (self.plan_btn, self.assign_btn, self.export_btn, self.report_btn):
            top.addWidget(b)
        lay.addLayout(top)
        self.summary = plain(QLabel("", self))
        self.summary.setObjectName("awardsSummary")
        self.summary.setWordWrap(True)
        lay.addWidget(self.summary)

        t = tones()
        self.model = RecordModel([
            Column("id", tr("Application"), lambda r: r.application_id),
            Column("group", tr("Group"), lambda r: r.group_name),
            Column("amount", tr("Amount"), lambda r: fmt_amount(r.amount), RIGHT, sort_key=lambda r: r.amount),
            Column("disbursed", tr("Disbursed"), lambda r: fmt_amount(r.disbursed), RIGHT,
                   sort_key=lambda r: r.disbursed),
            Column("balance", tr("Balance"), lambda r: fmt_amount(r.balance), RIGHT, sort_key=lambda r: r.balance),
            Column("status", tr("Status"), lambda r: award_status_label(r.status), CENTER),
            Column("agreed", tr("Agreement"), lambda r: _day(r.agreed_on), CENTER,
                   sort_key=lambda r: r.agreed_on or date.max),
            Column("period", tr("Project period"), _period),
            Column("next", tr("Next visit due"), lambda r: _day(r.next_due), CENTER,
                   sort_key=lambda r: r.next_due or date.max),
            Column("overdue", tr("Overdue"), lambda r: tr("%n visits overdue", "", r.overdue) if r.overdue else "",
                   CENTER, sort_key=lambda r: r.overdue, foreground=lambda r: t.bad if r.overdue else None),
            Column("open", tr("Open actions"), lambda r: r.open_actions or "", RIGHT,
                   sort_key=lambda r: r.open_actions),
        ], self)
        self.table = _view("awardsTable", tr("Awards"), self.model, self)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._award_selected())

        actions = FlowLayout()
        self.terms_btn = _button(tr("Adjust amount and terms…"), "awardTerms", self.adjust_terms, self)
        self.status_btn = _button(tr("Change status…"), "awardStatus", self.change_status, self)
        self.tranche_btn = _button(tr("Record a tranche…"), "awardTranche", self.record_tranche, self)
        self.support_btn = _button(tr("Log support…"), "awardSupport", self.log_support, self)
        self.settle_btn = _button(tr("Record settlement…"), "awardSettle", self.record_settlement, self)
        self.dossier_btn = _button(tr("Dossier PDF…"), "awardDossier", self.export_dossier, self)
        self.dossier_btn.setToolTip(tr("The award's follow-up dossier: the award, every visit with its findings and "
                                       "actions, tranches, settlement, support and photos"))
        self.sheets_btn = _button(tr("Visit sheets PDF…"), "awardVisitSheets", self.export_visit_sheets, self)
        self.sheets_btn.setToolTip(tr("The filled sheet of each monitoring visit recorded for the award"))
        for b in (self.terms_btn, self.status_btn, self.tranche_btn, self.support_btn, self.settle_btn):
            actions.addWidget(b)
        # the award's documents on a row of their own: the seven buttons in one row made the screen wider
        # than a 1280-pixel laptop in English (and each row wraps where the window is narrower still)
        documents = FlowLayout()
        for b in (self.dossier_btn, self.sheets_btn):
            documents.addWidget(b)
        self.detail = plain(QLabel("", self))
        self.detail.setObjectName("awardDetail")
        self.detail.setWordWrap(True)

        self.visits = RecordModel([
            Column("seq", tr("Visit"), lambda v: v.sequence, RIGHT),
            Column("plan", tr("Plan"), lambda v: v.plan_code),
            Column("visitor", tr("Visitor"), lambda v: v.evaluator or "—"),
            Column("due", tr("Due"), lambda v: _day(v.due_on), CENTER, sort_key=lambda v: v.due_on or date.max),
            Column("state", tr("State"), lambda v: monitoring_state_label(v.state), CENTER),
            Column("visited", tr("Visited"), lambda v: v.visited_at.strftime("%Y-%m-%d %H:%M") if v.visited_at
                   else ""),
            Column("actions", tr("Open actions"), lambda v: v.open_actions, RIGHT),
        ], self)
        self.visit_view = _view("awardVisits", tr("Visits of the selected award"), self.visits, self)
        self.visit_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.visit_view.horizontalHeader().setStretchLastSection(True)

        self.due = RecordModel([
            Column("id", tr("Application"), lambda d: d.application_id),
            Column("seq", tr("Visit"), lambda d: d.sequence, RIGHT),
            Column("visitor", tr("Visitor"), lambda d: d.evaluator or "—"),
            Column("due", tr("Due"), lambda d: _day(d.due_on), CENTER, sort_key=lambda d: d.due_on),
            Column("late", tr("Overdue"), lambda d: tr("%n days", "", d.days_overdue) if d.overdue else "", RIGHT,
                   sort_key=lambda d: d.days_overdue, foreground=lambda d: t.bad if d.overdue else None),
        ], self)
        self.due_view = _view("dueVisits", tr("Visits due"), self.due, self)
        self.due_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.due_view.horizontalHeader().setStretchLastSection(True)
        self.due_view.activated.connect(lambda idx: self.select_award(self.due.record(idx.row()).application_id))
        self.overdue_only = QCheckBox(tr("Only overdue"), self)
        self.overdue_only.setObjectName("overdueOnly")
        self.overdue_only.toggled.connect(lambda _on: self._show_due())

        lower = QWidget(self)
        ll = QHBoxLayout(lower)
        ll.setContentsMargins(0, 0, 0, 0)
        left = QVBoxLayout()
        left.addLayout(actions)
        left.addLayout(documents)
        left.addWidget(self.detail)
        left.addWidget(self.visit_view, 1)
        ll.addLayout(left, 3)
        right = QVBoxLayout()
        rh = QHBoxLayout()
        due_title = QLabel(tr("Due and overdue visits"), lower)
        due_title.setObjectName("sectionTitle")
        rh.addWidget(due_title)
        rh.addStretch(1)
        rh.addWidget(self.overdue_only)
        right.addLayout(rh)
        right.addWidget(self.due_view, 1)
        rb = QHBoxLayout()
        rb.addStretch(1)
        rb.addWidget(self.blank_btn)  # the paper forms of the visits still to make, listed above
        right.addLayout(rb)
        ll.addLayout(right, 2)

        self.splitter = QSplitter(Qt.Vertical, self)
        self.splitter.setObjectName("awardsSplitter")
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(lower)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        lay.addWidget(self.splitter, 1)
        self.result = plain(QLabel("", self))
        self.result.setObjectName("awardsResult")
        self.result.setWordWrap(True)
        lay.addWidget(self.result)
        self.due_rows: list = []
        ctx.changed.connect(self._on_changed)
        self._award_selected()

    # --- data -------------------------------------------------------------------------------------
    def _on_changed(self, changes, initiator) -> None:
        if changes & {AWARDS, MONITORING, DECISIONS} and initiator is not self and self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        self.ctx.query(lambda st: (*award_rows(st), st.monitoring.plan(), st.monitoring.as_of()), self._fill,
                       parent=self).run_in_background()

    def _fill(self, loaded) -> None:
        self.all_rows, self.due_rows, self.plan, self.as_of = loaded
        awarded = sum(r.amount for r in self.all_rows if r.status not in CLOSED_STATUSES)
        disbursed = sum(r.disbursed for r in self.all_rows)
        late = sum(1 for d in self.due_rows if d.overdue)
        plan = ", ".join(f"{v.code} {v.months}" for v in self.plan.visits) if self.plan.visits else ""
        text = tr("%n awards", "", len(self.all_rows)) + " · " + tr(
            "{awarded} won awarded, {disbursed} won disbursed").format(
            awarded=fmt_amount(awarded), disbursed=fmt_amount(disbursed)) + " · " + tr(
            "%n visits overdue", "", late) + " · " + (
            tr("monitoring plan: {visits} months").format(visits=plan) if plan else tr("no monitoring plan yet"))
        if self.as_of is not None:  # the demo's 2012 round is followed up as of a day of its own
            text += " · " + tr("counted as of {date}, the program's follow-up date").format(date=_day(self.as_of))
        self.summary.setText(text)
        self._show_rows()
        self._show_due()

    def _show_rows(self) -> None:
        keep = self.selected_id()
        status = self.filter.currentData()
        rows = [r for r in self.all_rows if status is None or r.status == status]
        self.model.set_rows(rows)
        self.select_award(keep or (rows[0].application_id if rows else None))

    def _show_due(self) -> None:
        only = self.overdue_only.isChecked()
        self.due.set_rows([d for d in self.due_rows if d.overdue or not only])

    def select_award(self, application_id: str | None) -> None:
        ids = [r.application_id for r in self.model.rows]
        if application_id in ids:
            self.table.selectRow(ids.index(application_id))
        self._award_selected()

    def selected(self):
        idx = self.table.currentIndex()
        return self.model.record(idx.row()).award if idx.isValid() and idx.row() < len(self.model.rows) else None

    def selected_id(self) -> str | None:
        a = self.selected()
        return a.application_id if a is not None else None

    def _award_selected(self) -> None:
        a = self.selected()
        running = a is not None and a.status not in CLOSED_STATUSES
        self.terms_btn.setEnabled(running)
        self.status_btn.setEnabled(a is not None and bool(NEXT_STATUSES.get(a.status)))
        self.tranche_btn.setEnabled(running and a.balance > 0)
        self.support_btn.setEnabled(running)
        self.settle_btn.setEnabled(a is not None and a.disbursed > 0)  # settled: the money that went out
        self.dossier_btn.setEnabled(a is not None)
        self.sheets_btn.setEnabled(False)  # once its visits are loaded: only when one was recorded
        if a is None:
            self.detail.setText(tr("Choose an award above."))
            self.visits.set_rows([])
            return
        parts = [f"{a.application_id} · {a.title} · {award_status_label(a.status)}"]
        if a.status_reason:
            parts.append(tr("reason: {reason}").format(reason=a.status_reason))
        if a.stepped_in_for:
            parts.append(tr("steps in for {application}").format(application=a.stepped_in_for))
        parts.append(tr("%n tranches", "", len(a.disbursements)))
        parts.append(tr("%n support sessions", "", a.support_sessions))
        if a.settlement:
            parts.append(settlement_labels().get(a.settlement, a.settlement))
            if a.returned_amount:
                parts.append(tr("{amount} won returned").format(amount=fmt_amount(a.returned_amount)))
        self.detail.setText(" · ".join(parts))
        app = a.application_id
        self.ctx.query(lambda st: st.monitoring.visits(app), self._fill_visits, parent=self).run_in_background()

    def _fill_visits(self, visits) -> None:
        self.visits.set_rows(list(visits))
        self.sheets_btn.setEnabled(any(v.state != "planned" for v in visits))

    # --- actions on the selected award --------------------------------------------------------------
    def _done(self, text: str) -> None:
        self.result.setText(text)
        self.ctx.status_message(text)
        self.refresh()

    def adjust_terms(self) -> None:
        a = self.selected()
        if a is None:
            return
        dlg = TermsDialog(a, self)
        if dlg.exec() != QDialog.Accepted:
            return
        values, app = dlg.values(), a.application_id
        self.ctx.write(lambda st: st.awards.set(app, **values),
                       lambda info: self._done(tr("The award of {application} is now {amount} won.").format(
                           application=info.application_id, amount=fmt_amount(info.amount))),
                       parent=self).run_in_background()

    def change_status(self) -> None:
        a = self.selected()
        if a is None:
            return
        dlg = StatusDialog(a, self)
        if dlg.exec() != QDialog.Accepted:
            return
        code, why, step_in, app = dlg.status.currentData(), dlg.reason.text().strip(), dlg.step_in.isChecked(), \
            a.application_id

        def done(infos) -> None:
            text = tr("{application} is now {status}.").format(application=infos[0].application_id,
                                                               status=award_status_label(infos[0].status))
            if len(infos) > 1:
                text += " " + tr("Reserve {application} steps in: it is selected and awarded {amount} won.").format(
                    application=infos[1].application_id, amount=fmt_amount(infos[1].amount))
            self._done(text)

        self.ctx.write(lambda st: st.awards.set_status(app, code, reason=why, step_in=step_in), done,
                       parent=self).run_in_background()

    def record_tranche(self) -> None:
        a = self.selected()
        if a is None:
            return
        dlg = TrancheDialog(a, self)
        if dlg.exec() != QDialog.Accepted:
            return
        amount, day, note, app = parse_amount(dlg.amount.text()), dlg.paid_on.value(), dlg.note.text().strip(), \
            a.application_id
        self.ctx.write(lambda st: st.awards.disburse(app, amount, paid_on=day, note=note),
                       lambda d: self._done(tr("Tranche {n} of {amount} won recorded for {application}.").format(
                           n=d.tranche, amount=fmt_amount(d.amount), application=app)),
                       parent=self).run_in_background()

    def log_support(self) -> None:
        a = self.selected()
        if a is None:
            return
        dlg = SupportDialog(a, self)
        if dlg.exec() != QDialog.Accepted:
            return
        values = {"held_on": dlg.held_on.value(), "kind": dlg.kind.currentData(), "topic": dlg.topic.text().strip(),
                  "given_by": dlg.given_by.text().strip(), "attendees": dlg.attendees.value() or None,
                  "note": dlg.note.text().strip()}
        app = a.application_id
        self.ctx.write(lambda st: st.awards.add_support(app, **values),
                       lambda s: self._done(tr("Support session logged for {application}.").format(application=app)),
                       parent=self).run_in_background()

    def record_settlement(self) -> None:
        a = self.selected()
        if a is None:
            return
        dlg = SettlementDialog(a, self)
        if dlg.exec() != QDialog.Accepted:
            return
        values, app = dlg.values(), a.application_id

        def done(info) -> None:
            text = tr("{application}: {settlement}.").format(
                application=info.application_id, settlement=settlement_labels().get(info.settlement, info.settlement))
            if info.returned_amount:
                text += " " + tr("{amount} won returned").format(amount=fmt_amount(info.returned_amount)) + "."
            self._done(text)

        self.ctx.write(lambda st: st.awards.settle(app, values["settlement"], returned_amount=values["returned_amount"],
                                                   note=values["note"]),
                       done, parent=self).run_in_background()

    # --- the plan, its visitors, the outputs --------------------------------------------------------
    def set_plan(self) -> None:
        dlg = PlanDialog(self.plan, self)
        if dlg.exec() != QDialog.Accepted:
            return
        visits = dlg.parsed()
        self.ctx.write(lambda st: st.monitoring.set_plan(visits),
                       lambda plan: self._done(tr("Monitoring plan set: {visits}.").format(
                           visits=", ".join(f"{v.code}={v.months}" for v in plan.visits))),
                       parent=self).run_in_background()

    def assign_visitors(self) -> None:
        if not dialogs.confirm(self, tr("Assign visitors"),
                               tr("Give every running award's planned visits a visitor? An award keeps its visitor; "
                                  "the others go to the least loaded evaluator with no declared conflict.")):
            return

        def done(result) -> None:
            loads = ", ".join(f"{ev} {n}" for ev, n in sorted(result.loads.items()))
            text = tr("%n visits added.", "", result.added) + (" " + tr("Visits per visitor: {loads}.").format(
                loads=loads) if loads else "")
            if result.unassigned:
                text += " " + tr("No visitor could be found for {applications}.").format(
                    applications=", ".join(result.unassigned))
            self._done(text)

        self.ctx.write(lambda st: st.monitoring.assign(), done, parent=self).run_in_background()

    def export_workbook(self) -> None:
        lang = language()
        self._output(tr("Follow-up workbook"), "follow-up", "xlsx",
                     lambda st, out, progress, cancel: st.monitoring.export_follow_up(
                         out, lang=lang, progress=progress, cancel=cancel))

    def export_summary(self) -> None:
        lang = language()
        self._output(tr("Follow-up summary"), "follow-up-summary", "pdf",
                     lambda st, out, progress, cancel: st.monitoring.follow_up_summary(
                         out, lang=lang, progress=progress, cancel=cancel))

    def export_blank_sheets(self) -> None:
        lang = language()
        self._output(tr("Blank visit sheets"), "monitoring-blank-sheets", "pdf",
                     lambda st, out, progress, cancel: st.monitoring.visit_sheets(
                         out, blank=True, lang=lang, progress=progress, cancel=cancel))

    def export_dossier(self) -> None:
        app, lang = self.selected_id(), language()
        if app is not None:
            self._output(tr("Follow-up dossier"), f"follow-up-{app}", "pdf",
                         lambda st, out, progress, cancel: st.monitoring.follow_up_dossier(
                             out, application_id=app, lang=lang, progress=progress, cancel=cancel))

    def export_visit_sheets(self) -> None:
        app, lang = self.selected_id(), language()
        if app is not None:
            self._output(tr("Visit sheets"), f"monitoring-visits-{app}", "pdf",
                         lambda st, out, progress, cancel: st.monitoring.visit_sheets(
                             out, application_ids=[app], lang=lang, progress=progress, cancel=cancel))

    def _output(self, label: str, stem: str, kind: str, run) -> None:
        from ..results import export_text

        stamp = datetime.now().strftime("%Y%m%d-%H%M")
        flt = tr("Excel workbook (*.xlsx)") if kind == "xlsx" else tr("PDF document (*.pdf)")
        out = dialogs.save_file(self.ctx, self, label, flt, f"{stem}-{stamp}.{kind}", f".{kind}")
        if out is None:
            return

        def done(result) -> None:
            self.last_output = out
            self._done(export_text(result, out))
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(out.parent)))

        self.ctx.job(label, lambda st, progress, cancel: run(st, out, progress, cancel), done,
                     parent=self).run_in_background()
