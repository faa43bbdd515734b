"""Office: progress of the field study — visits and finalisations per evaluator and per track."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView, QHeaderView, QLabel, QStyledItemDelegate, QTableView, QVBoxLayout, QWidget,
)

from ..context import ASSIGNMENTS, EVALUATIONS
from ..i18n import tr
from ..labels import track_label
from ..models import RIGHT, Column, RecordModel
from ..style import readable_on, tones


@dataclass(frozen=True)
class ProgressRow:
    key: str
    name: str
    assigned: int
    not_started: int
    in_progress: int
    finalised: int
    applications: int = 0
    complete_applications: int = 0

    @property
    def share(self) -> float:
        return self.finalised / self.assigned if self.assigned else 0.0


@dataclass(frozen=True)
class ProgressReport:
    evaluators: list[ProgressRow]
    tracks: list[ProgressRow]
    total: ProgressRow


def progress_report(st, round: str | None = None) -> ProgressReport:
    """Runs on the worker: counts from evaluators(), assignments() and applications() — of one round
    (the one shown in the header) when ``round`` is given."""
    evaluators = st.people.evaluators()
    apps = {r.id: r for r in st.applications.list(round=round)}
    assignments = [a for a in st.people.assignments() if not a.is_conflict and a.application_id in apps]
    per_ev: dict[str, list] = {e.code: [] for e in evaluators}
    per_track: dict[str, list] = {}
    for a in assignments:
        per_ev.setdefault(a.evaluator, []).append(a)
        r = apps.get(a.application_id)
        if r is not None:
            per_track.setdefault(r.track, []).append(a)

    def row(key, name, items, n_apps=0, complete=0) -> ProgressRow:
        return ProgressRow(key, name, len(items), sum(1 for a in items if a.state is None),
                           sum(1 for a in items if a.state == "draft"),
                           sum(1 for a in items if a.state == "finalised"), n_apps, complete)

    names = {e.code: e.name for e in evaluators}
    ev_rows = [row(code, names.get(code, ""), items) for code, items in per_ev.items()]
    track_rows = []
    tracks = sorted({r.track for r in apps.values()})
    for t in tracks:
        track_apps = [r for r in apps.values() if r.track == t]
        complete = sum(1 for r in track_apps if r.evaluators and r.finalised >= r.evaluators)
        track_rows.append(row(t, t, per_track.get(t, []), len(track_apps), complete))
    total = row("", "", assignments, len(apps),
                sum(1 for r in apps.values() if r.evaluators and r.finalised >= r.evaluators))
    return ProgressReport(ev_rows, track_rows, total)


class BarDelegate(QStyledItemDelegate):
    """Paints a share (0..1, in Qt.UserRole + 1) as a bar with its percentage."""

    def paint(self, painter: QPainter, option, index) -> None:
        share = index.data(Qt.UserRole + 1)
        if share is None:
            super().paint(painter, option, index)
            return
        painter.save()
        r = option.rect.adjusted(4, 5, -4, -5)
        painter.setPen(Qt.NoPen)
        t = tones(option.palette)
        painter.setBrush(t.badge_bg)
        painter.drawRoundedRect(r, 3, 3)
        filled = QRect(r.left(), r.top(), int(r.width() * max(0.0, min(1.0, share))), r.height())
        bar = QColor("#2f8f4e") if share >= 1 else QColor("#3d7bd9")
        painter.setBrush(bar)
        painter.drawRoundedRect(filled, 3, 3)
        # the percentage sits in the middle: over the bar once it is more than half full
        painter.setPen(readable_on(bar) if share >= 0.5 else t.text)
        painter.drawText(r, Qt.AlignCenter, f"{share * 100:.0f} %")
        painter.restore()


class ShareModel(RecordModel):
    def data(self, index, role=Qt.DisplayRole):
        if role == Qt.UserRole + 1 and index.isValid() and self.columns[index.column()].key == "share":
            return self.rows[index.row()].share
        if role == Qt.DisplayRole and index.isValid() and self.columns[index.column()].key == "share":
            return ""
        return super().data(index, role)


def _table(parent, model, name: str, label: str) -> QTableView:
    v = QTableView(parent)
    v.setObjectName(name)
    v.setAccessibleName(label)
    v.setModel(model)
    v.setEditTriggers(QAbstractItemView.NoEditTriggers)
    v.setSelectionBehavior(QAbstractItemView.SelectRows)
    v.verticalHeader().setVisible(False)
    v.setSortingEnabled(True)
    v.setItemDelegateForColumn(len(model.columns) - 1, BarDelegate(v))
    v.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
    v.horizontalHeader().setSectionResizeMode(len(model.columns) - 1, QHeaderView.Stretch)
    return v


class ProgressScreen(QWidget):
    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("progressScreen")
        self.ctx = ctx
        lay = QVBoxLayout(self)
        title = QLabel(tr("Progress"), self)
        title.setObjectName("screenTitle")
        lay.addWidget(title)
        self.summary = QLabel("", self)
        self.summary.setObjectName("summaryLine")
        self.summary.setWordWrap(True)  # a long line (English, a large font) wraps instead of widening the screen
        lay.addWidget(self.summary)
        counts = [
            Column("assigned", tr("Assigned"), lambda r: r.assigned, RIGHT),
            Column("not_started", tr("Not visited"), lambda r: r.not_started, RIGHT),
            Column("in_progress", tr("In progress"), lambda r: r.in_progress, RIGHT),
            Column("finalised", tr("Finalised"), lambda r: r.finalised, RIGHT),
        ]
        share = Column("share", tr("Finalised share"), lambda r: r.share)
        lay.addWidget(QLabel(tr("Per evaluator"), self))
        self.evaluators = ShareModel([Column("code", tr("Evaluator"), lambda r: r.key),
                                      Column("name", tr("Name"), lambda r: r.name), *counts, share], self)
        self.ev_view = _table(self, self.evaluators, "progressEvaluators", tr("Per evaluator"))
        lay.addWidget(self.ev_view, 3)
        lay.addWidget(QLabel(tr("Per track"), self))
        self.tracks = ShareModel([
            Column("track", tr("Track"), lambda r: track_label(ctx, r.key)),
            Column("apps", tr("Applications"), lambda r: r.applications, RIGHT),
            Column("complete", tr("Fully evaluated"), lambda r: r.complete_applications, RIGHT),
            *counts, share], self)
        self.track_view = _table(self, self.tracks, "progressTracks", tr("Per track"))
        lay.addWidget(self.track_view, 2)
        ctx.changed.connect(lambda changes, _i: self.refresh() if changes & {ASSIGNMENTS, EVALUATIONS} and self.isVisible()
                            else None)

    def refresh(self) -> None:
        shown = self.ctx.round_shown()
        self.ctx.query(lambda st: progress_report(st, shown), self._fill, parent=self).run_in_background()

    def _fill(self, report: ProgressReport) -> None:
        self.evaluators.set_rows(report.evaluators)
        self.tracks.set_rows(report.tracks)
        t = report.total
        self.summary.setText(
            tr("{done} of %n evaluations finalised ({pct:.0f} %), {started} in progress, {todo} not visited.", "",
               t.assigned).format(done=t.finalised, pct=100 * t.share, started=t.in_progress, todo=t.not_started)
            + " " + tr("{complete} of %n applications fully evaluated.", "", t.applications).format(
                complete=t.complete_applications))
