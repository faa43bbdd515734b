"""Office: the committee's ranking per track — method selector, the quota cut line drawn in the
table, selected and reserve coloured, flags, stability and a reason on every row, overrides with a
required reason, and charts of the score distribution and evaluator leniency."""

from __future__ import annotations

from datetime import timezone

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QHeaderView, QLabel,
    QLineEdit, QPushButton, QSplitter, QTableView, QVBoxLayout, QWidget,
)

from .. import dialogs
from ..charts import LeniencyChart, ScoreHistogram
from ..context import DECISIONS, EVALUATIONS
from ..i18n import language, tr
from ..labels import (
    decision_label, decision_labels, evaluation_state_label, flag_label, method_label, method_labels,
    reliability_label,
)
from ..models import CENTER, RIGHT, Column, RecordModel, fmt_score
from ..style import tones
from ..widgets import FlowLayout, plain, title_label, together, whole_hint

def _ko() -> bool:
    return language() == "ko"


def reason_text(r) -> str:
    """The row's reason (with the committee's override, if any) in the UI's language."""
    return (r.reason_ko or r.reason) if _ko() else r.reason


def computed_reason_text(r) -> str:
    """The computed reason alone (without the override) in the UI's language."""
    if _ko():
        return r.computed_reason_ko or r.reason_ko or r.reason
    return r.computed_reason or r.reason


def note_text(e) -> str:
    """Why an evaluation is not counted, in the UI's language."""
    return (e.note_ko or e.note) if _ko() else e.note


CUT_LINE = QColor("#d9534f")


def decision_colour(decision: str):
    t = tones()
    return {"selected": t.row_selected, "reserve": t.row_reserve, "ineligible": t.row_ineligible}.get(decision)

CLEAR = "(clear)"


class RankingTable(QTableView):
    """A table that draws the quota cut line under the last selected row."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.cut_after: int | None = None

    def paintEvent(self, event) -> None:  # noqa: N802
        super().paintEvent(event)
        if self.cut_after is None or self.model() is None or self.cut_after >= self.model().rowCount():
            return
        y = self.rowViewportPosition(self.cut_after) + self.rowHeight(self.cut_after)
        p = QPainter(self.viewport())
        p.setPen(QPen(CUT_LINE, 3))
        p.drawLine(0, y, self.viewport().width(), y)
        p.end()


class OverrideDialog(QDialog):
    def __init__(self, row, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("overrideDialog")
        self.setWindowTitle(tr("Override the decision on {app}").format(app=row.application_id))
        lay = QVBoxLayout(self)
        info = plain(QLabel(tr("Computed: {decision} — {reason}").format(
            decision=decision_label(row.computed_decision), reason=computed_reason_text(row)), self))
        info.setWordWrap(True)
        lay.addWidget(info)
        form = QFormLayout()
        self.decision = QComboBox(self)
        self.decision.setObjectName("overrideDecision")
        for code, label in decision_labels().items():
            self.decision.addItem(label, code)
        if row.override:
            self.decision.addItem(tr("Computed decision again (remove the override)"), CLEAR)
        self.decision.setCurrentIndex(max(0, self.decision.findData(row.decision)))
        form.addRow(tr("Decision"), self.decision)
        self.reason = QLineEdit(row.override_reason or "", self)
        self.reason.setObjectName("overrideReason")
        whole_hint(self.reason, tr("Required: the committee's reason, as it goes in the minutes"))
        form.addRow(tr("Reason"), self.reason)
        lay.addLayout(form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.reason.textChanged.connect(self._check)
        self._check()

    def _check(self) -> None:
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(bool(self.reason.text().strip()))


class RankingScreen(QWidget):
    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("rankingScreen")
        self.ctx = ctx
        self.result = None
        self._sized = False
        lay = QVBoxLayout(self)
        lay.addWidget(title_label(tr("Ranking"), self))
        # the controls wrap onto a second line where the window is narrow (English at a large font)
        bar = FlowLayout()
        track_label = QLabel(tr("Track"), self)
        self.track = QComboBox(self)
        track_label.setBuddy(self.track)
        self.track.setObjectName("rankTrack")
        for t in (ctx.program.tracks if ctx.program else ()):
            self.track.addItem(t.name(language()), t.code)
        self.track.currentIndexChanged.connect(lambda _i: self.show_track())
        bar.addWidget(together(self, track_label, self.track))
        method_caption = QLabel(tr("Method"), self)
        self.method = QComboBox(self)
        method_caption.setBuddy(self.method)
        self.method.setObjectName("rankMethod")
        self.method.addItem(tr("The program's setting"), None)
        for code, label in method_labels().items():
            self.method.addItem(label, code)
        self.method.setToolTip(tr("The program's setting gives the decision of record; another method is a "
                                  "what-if view that stores nothing."))
        self.method.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.method.setMinimumContentsLength(14)
        self.method.currentIndexChanged.connect(lambda _i: self.rank())
        bar.addWidget(together(self, method_caption, self.method))
        self.provisional = QCheckBox(tr("Provisional (count drafts)"), self)
        self.provisional.setObjectName("rankProvisional")
        self.provisional.setToolTip(tr("Count evaluations that are not finalised yet; every row is marked "
                                       "provisional and nothing is stored."))
        self.provisional.toggled.connect(lambda _c: self.rank())
        bar.addWidget(self.provisional)
        self.override_btn = QPushButton(tr("Override decision…"), self)
        self.override_btn.setObjectName("overrideButton")
        self.override_btn.clicked.connect(self.override_selected)
        bar.addWidget(self.override_btn)
        again = QPushButton(tr("Rank again"), self)
        again.setObjectName("rankAgain")
        again.clicked.connect(lambda _=False: self.rank(report=True))
        bar.addWidget(again)
        lay.addLayout(bar)
        what_if_row = QHBoxLayout()
        self.what_if = plain(QLabel("", self))
        self.what_if.setObjectName("whatIfBanner")
        self.what_if.setWordWrap(True)
        self.what_if.hide()
        what_if_row.addWidget(self.what_if, 1)
        self.adopt = QPushButton(tr("Make it the program's method…"), self)
        self.adopt.setObjectName("adoptMethodButton")
        self.adopt.setToolTip(tr("Change the program's ranking setting to this method (audited); the next ranking "
                                 "stores its decisions with it."))
        self.adopt.clicked.connect(self.adopt_method)
        self.adopt.hide()
        what_if_row.addWidget(self.adopt)
        lay.addLayout(what_if_row)
        self.summary = plain(QLabel("", self))
        self.summary.setObjectName("summaryLine")
        self.summary.setWordWrap(True)
        lay.addWidget(self.summary)

        # the ranked list gets the full width (every column fits at 1280×820); below it the selected
        # application's evaluators beside the two charts
        split = QSplitter(Qt.Vertical, self)
        split.setObjectName("rankingSplit")
        self.model = RecordModel([
            Column("rank", tr("Rank"), lambda r: r.rank if r.rank is not None else "—", CENTER,
                   sort_key=lambda r: r.rank if r.rank is not None else 10**9),
            Column("id", tr("Application ID"), lambda r: r.application_id),
            Column("title", tr("Project title"), lambda r: r.title),
            Column("score", tr("Score"), lambda r: fmt_score(r.score, 2), RIGHT, sort_key=lambda r: r.score),
            Column("decision", tr("Decision"), self._decision_text,
                   background=lambda r: decision_colour(r.decision)),
            Column("flags", tr("Flags"), lambda r: ", ".join(flag_label(f) for f in r.flags)),
            Column("stability", tr("Stability"), lambda r: "" if r.stability is None else f"{r.stability * 100:.0f} %",
                   RIGHT, sort_key=lambda r: r.stability,
                   tooltip=lambda r: tr("Share of perturbed rankings in which this application is selected")),
            Column("n", tr("Evaluations"), lambda r: r.evaluations, RIGHT),
            Column("spread", tr("Spread"), lambda r: fmt_score(r.spread), RIGHT, sort_key=lambda r: r.spread),
            Column("district", tr("District"), lambda r: r.district),
            Column("reason", tr("Reason"), reason_text, tooltip=reason_text),
        ], self)
        self.table = RankingTable(split)
        self.table.setObjectName("rankingTable")
        self.table.setAccessibleName(tr("Ranking"))
        self.table.setModel(self.model)
        # column widths from the rows on screen plus a sample, not from every ranked row
        self.table.horizontalHeader().setResizeContentsPrecision(200)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _p: self._show_evaluators(cur.row()))
        self.table.doubleClicked.connect(lambda _i: self.override_selected())
        split.addWidget(self.table)
        bottom = QSplitter(Qt.Horizontal, split)
        bottom.setObjectName("rankingBottom")
        self.evaluator_model = RecordModel([
            Column("ev", tr("Evaluator"), lambda e: e.evaluator),
            Column("total", tr("Total"), lambda e: fmt_score(e.total), RIGHT),
            Column("norm", tr("Normalised"), lambda e: fmt_score(e.normalized), RIGHT),
            Column("state", tr("State"), lambda e: evaluation_state_label(e.state)),
            Column("counted", tr("Counted"), lambda e: tr("yes") if e.counted else (tr("no") + (
                f" — {note_text(e)}" if e.note else ""))),
        ], self)
        self.ev_view = QTableView(bottom)
        self.ev_view.setObjectName("rankingEvaluators")
        self.ev_view.setAccessibleName(tr("Evaluators of the selected application"))
        self.ev_view.setModel(self.evaluator_model)
        self.ev_view.verticalHeader().setVisible(False)
        self.ev_view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.ev_view.horizontalHeader().setStretchLastSection(True)
        self.ev_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        bottom.addWidget(self.ev_view)
        self.histogram = ScoreHistogram(bottom)
        self.leniency = LeniencyChart(bottom)
        bottom.addWidget(self.histogram)
        bottom.addWidget(self.leniency)
        bottom.setSizes([330, 450, 320])
        split.addWidget(bottom)
        split.setSizes([470, 210])
        lay.addWidget(split, 1)
        ctx.changed.connect(self._on_changed)

    def _decision_text(self, r) -> str:
        text = decision_label(r.decision)
        if r.override and r.override != r.computed_decision:
            text += " " + tr("(computed: {decision})").format(decision=decision_label(r.computed_decision))
        return text

    def _on_changed(self, changes, initiator) -> None:
        if changes & {EVALUATIONS, DECISIONS} and self.result is not None and initiator is not self \
                and self.isVisible():
            self.rank()

    def refresh(self) -> None:
        self.rank()

    def rank(self, report: bool = False) -> None:
        """Rank the track shown; ``report``: say in the status bar that it was done (Rank again, which
        otherwise showed the same table and no sign of having done anything)."""
        method, provisional = self.method.currentData(), self.provisional.isChecked()
        shown = self.ctx.round_shown()  # the round shown in the header (a signed-off one: its frozen decisions)

        def op(st, progress, cancel):
            return st.ranking.current(method=method, provisional=provisional, round=shown, progress=progress,
                                      cancel=cancel)

        self.ctx.job(tr("Ranking"), op, lambda result: self._ranked(result, report), parent=self).run_in_background()

    def _ranked(self, result, report: bool = False) -> None:
        self.result = result
        self._show_what_if(result)
        self.show_track()
        if report:
            at = result.computed_at.replace(tzinfo=timezone.utc).astimezone().strftime("%H:%M")  # naive UTC
            self.ctx.status_message(tr("Ranked again at {time}; the decisions are recorded.").format(time=at)
                                    if result.recorded else
                                    tr("Ranked again at {time}; nothing is stored (a what-if or provisional "
                                       "view).").format(time=at))

    def _show_what_if(self, result) -> None:
        """A ranking with another method than the program's is a what-if view: say so."""
        if getattr(result, "what_if", False):
            self.what_if.setText(tr("What-if view: ranked by {method}, while the program's method is {program}. "
                                    "Nothing is stored; the decisions of record are unchanged.").format(
                method=method_label(result.method), program=method_label(result.program_method)))
            self.what_if.show()
            self.adopt.setVisible(True)
        else:
            self.what_if.hide()
            self.adopt.hide()

    def adopt_method(self) -> None:
        """The committee settles on the method shown: it becomes the program's, and the ranking is
        redone with it (and stored as the decision of record)."""
        method = self.method.currentData()
        if method is None or not dialogs.confirm(
                self, tr("Method of record"),
                tr("Make {method} the program's aggregation method?").format(method=method_label(method)),
                tr("The change is recorded in the audit trail. The ranking is then redone with it and its "
                   "decisions are stored as the decisions of record.")):
            return

        def op(st, progress, cancel):
            return st.ranking.set_settings(method=method)

        def done(_settings) -> None:
            self.method.blockSignals(True)
            self.method.setCurrentIndex(0)  # "the program's setting", which is now this method
            self.method.blockSignals(False)
            self.rank()

        self.ctx.job(tr("Changing the ranking method"), op, done, parent=self).run_in_background()

    def track_ranking(self):
        if self.result is None:
            return None
        code = self.track.currentData()
        for t in self.result.tracks:
            if t.track == code:
                return t
        return self.result.tracks[0] if self.result.tracks else None

    def show_track(self) -> None:
        t = self.track_ranking()
        if t is None:
            self.model.set_rows([])
            return
        keep = self.selected_row()
        rows = list(t.rows)
        self.model.set_rows(rows)
        selected_rows = [i for i, r in enumerate(rows) if r.decision == "selected"]
        self.table.cut_after = max(selected_rows) if selected_rows else None
        if not getattr(self.table, "layout_restored", False) and not self._sized:
            # sized once from what is shown (the person's own column widths are remembered after that)
            self.table.resizeColumnsToContents()
            self.table.setColumnWidth(2, min(self.table.columnWidth(2), 220))
            self.table.setColumnWidth(5, min(self.table.columnWidth(5), 140))
            self._sized = True
        self.table.viewport().update()
        parts = [tr("Quota {quota}: {selected} selected, {reserve} in reserve, {eligible} eligible.").format(
            quota=t.quota, selected=t.selected, reserve=t.reserve, eligible=t.eligible),
            tr("Minimum score {min:g}.").format(min=t.min_score)]
        if t.reliability is not None:
            parts.append(tr("Agreement between evaluators: {value:.2f} ({method}).").format(
                value=t.reliability, method=reliability_label(t.reliability_method)))
        if self.result.provisional:
            parts.append(tr("Provisional: some evaluations are not finalised yet."))
        self.summary.setText(" ".join(parts) + (" " + tr("(hover here for the rules)") if t.notes else ""))
        self.summary.setToolTip("\n".join(t.notes_ko if _ko() and t.notes_ko else t.notes))
        scored = [(r.score, r.decision) for r in rows if r.score is not None]
        cut = min((r.score for r in rows if r.decision == "selected" and r.score is not None), default=None)
        self.histogram.set_data(scored, t.min_score, cut)
        self.leniency.set_data([(q.evaluator, q.leniency) for q in t.evaluator_quality])
        target = next((i for i, r in enumerate(rows) if r.application_id == keep), 0 if rows else None)
        if target is not None:
            self.table.selectRow(target)

    def selected_row(self):
        idx = self.table.currentIndex()
        return self.model.record(idx.row()).application_id if idx.isValid() else None

    def _show_evaluators(self, row: int) -> None:
        if 0 <= row < len(self.model.rows):
            self.evaluator_model.set_rows(list(self.model.record(row).evaluators))
        else:
            self.evaluator_model.set_rows([])

    def override_selected(self) -> OverrideDialog | None:
        idx = self.table.currentIndex()
        if not idx.isValid():
            return None
        row = self.model.record(idx.row())
        dlg = OverrideDialog(row, self)
        if dlg.exec() != QDialog.Accepted:
            return dlg
        decision, reason = dlg.decision.currentData(), dlg.reason.text().strip()
        app_id = row.application_id
        if decision == CLEAR:
            op = lambda st: st.ranking.clear_override(app_id, reason)  # noqa: E731
        else:
            op = lambda st: st.ranking.override(app_id, decision, reason)  # noqa: E731
        self.ctx.write(op, lambda _r: self.rank(), parent=self).run_in_background()
        return dlg
