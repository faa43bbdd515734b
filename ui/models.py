"""Table models.

* :class:`RecordModel` — a short list of plain records (evaluators, one evaluator's assignments,
  a track's ranking, an import preview): columns are declared once, sorting in Python is fine at
  these sizes.
* :class:`ApplicationsModel` — the big one: an ordered list of application IDs from the core
  (``store.application_ids(sort=…, **filters)``), rows fetched lazily in pages through
  ``store.application_rows(ids)`` on the worker.  Sorting and filtering ask the core again; there is
  no proxy model over all rows (Anki's browser table and calibre's view do the same).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from .i18n import tr
from .labels import category_label, status_label, track_label
from .worker import make_timer

RIGHT = int(Qt.AlignRight | Qt.AlignVCenter)
LEFT = int(Qt.AlignLeft | Qt.AlignVCenter)
CENTER = int(Qt.AlignCenter)


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    value: Callable[[Any], Any]
    align: int = LEFT
    tooltip: Callable[[Any], str | None] | None = None
    background: Callable[[Any], QColor | None] | None = None
    foreground: Callable[[Any], QColor | None] | None = None
    sort_key: Callable[[Any], Any] | None = None


def fmt_amount(v: int | None) -> str:
    return "" if v is None else f"{v:,}"


def fmt_score(v: float | None, digits: int = 1) -> str:
    return "" if v is None else f"{v:.{digits}f}"


def _display(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.1f}"
    return str(v)


class RecordModel(QAbstractTableModel):
    """A read-only table over a list of records, described by :class:`Column` s."""

    def __init__(self, columns: Sequence[Column], parent=None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def record(self, row: int) -> Any:
        return self.rows[row]

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self.rows)):
            return None
        rec, col = self.rows[index.row()], self.columns[index.column()]
        if role == Qt.DisplayRole:
            return _display(col.value(rec))
        if role == Qt.TextAlignmentRole:
            return col.align
        if role == Qt.ToolTipRole and col.tooltip is not None:
            return col.tooltip(rec)
        if role == Qt.BackgroundRole and col.background is not None:
            c = col.background(rec)
            return QBrush(c) if c is not None else None
        if role == Qt.ForegroundRole and col.foreground is not None:
            c = col.foreground(rec)
            return QBrush(c) if c is not None else None
        if role == Qt.UserRole:
            return index.row()
        return None

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if orientation == Qt.Horizontal and 0 <= section < len(self.columns):
            if role == Qt.DisplayRole:
                return self.columns[section].header
            if role == Qt.TextAlignmentRole:
                return self.columns[section].align
        if orientation == Qt.Vertical and role == Qt.DisplayRole and 0 <= section < len(self.rows):
            return str(section + 1)
        return None

    def sort(self, column: int, order=Qt.AscendingOrder) -> None:
        if not (0 <= column < len(self.columns)):
            return
        col = self.columns[column]
        key = col.sort_key or col.value

        def k(rec):
            v = key(rec)
            return (v is None, v if v is not None else 0)

        self.layoutAboutToBeChanged.emit()
        before = list(self.rows)
        persistent = self.persistentIndexList()
        try:
            self.rows.sort(key=k, reverse=order == Qt.DescendingOrder)
        except TypeError:
            self.rows.sort(key=lambda r: str(key(r)), reverse=order == Qt.DescendingOrder)
        position = {id(r): i for i, r in enumerate(self.rows)}
        for p in persistent:
            if p.isValid():
                self.changePersistentIndex(p, self.index(position[id(before[p.row()])], p.column()))
        self.layoutChanged.emit()


# --------------------------------------------------------------------------------------------------
class ApplicationsModel(QAbstractTableModel):
    """Applications over an ordered ID list; rows arrive in pages from the worker."""

    PAGE = 200
    #: (sort key for the core, descending) — the screen reloads the IDs from the core
    sortRequested = Signal(str, bool)
    #: emitted whenever a page of rows arrived (tests and the detail pane use it)
    rowsFetched = Signal()

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ids: list[str] = []
        self._cache: dict[str, Any] = {}
        self._wanted: set[int] = set()  # page numbers requested from data(), fetched on the next turn
        self._fresh: set[int] = set()  # pages fetched since the last change
        self._in_flight: set[int] = set()
        self._generation = 0
        self._timer = make_timer(self, timeout=self._fetch_wanted)
        self.columns = [
            Column("id", tr("Application ID"), lambda r: r.id),
            Column("track", tr("Track"), lambda r: track_label(ctx, r.track)),
            Column("category", tr("Category"), lambda r: category_label(r.category)),
            Column("title", tr("Project title"), lambda r: r.title),
            Column("group_name", tr("Group name"), lambda r: r.group_name),
            Column("district", tr("District"), lambda r: r.district),
            Column("requested_amount", tr("Requested (KRW)"), lambda r: fmt_amount(r.requested_amount), RIGHT),
            Column("submitted_on", tr("Submitted on"), lambda r: r.submitted_on.isoformat() if r.submitted_on else ""),
            Column("status", tr("Status"), lambda r: status_label(r.status)),
            Column("", tr("Evaluations"), lambda r: f"{r.finalised}/{r.evaluators}", CENTER,
                   tooltip=lambda r: tr("{done} of {n} assigned evaluators have finalised").format(
                       done=r.finalised, n=r.evaluators)),
        ]

    # --- the ID list ------------------------------------------------------------------------------
    def set_ids(self, ids: list[str]) -> None:
        self.beginResetModel()
        self._generation += 1
        self.ids = list(ids)
        self._fresh.clear()
        self._wanted.clear()
        self._in_flight.clear()
        self.endResetModel()
        if self.ids:
            self._request_page(0)

    def row_record(self, row: int):
        if 0 <= row < len(self.ids):
            return self._cache.get(self.ids[row])
        return None

    def is_loaded(self) -> bool:
        return all(i in self._cache for i in self.ids)

    # --- paging -----------------------------------------------------------------------------------
    def _request_page(self, page: int) -> None:
        if page in self._in_flight:
            return
        start = page * self.PAGE
        ids = self.ids[start:start + self.PAGE]
        if not ids:
            return
        self._in_flight.add(page)
        gen = self._generation

        def arrived(rows) -> None:
            if gen != self._generation:
                return
            self._in_flight.discard(page)
            self._fresh.add(page)
            for r in rows:
                self._cache[r.id] = r
            last = min(len(self.ids), start + self.PAGE) - 1
            if last >= start:
                self.dataChanged.emit(self.index(start, 0), self.index(last, len(self.columns) - 1))
            self.rowsFetched.emit()

        self.ctx.query(lambda st: st.application_rows(ids), arrived, parent=self).run_in_background()

    def _fetch_wanted(self) -> None:
        wanted, self._wanted = self._wanted, set()
        for page in sorted(wanted):
            if page not in self._fresh:
                self._request_page(page)

    def refresh_rows(self) -> None:
        """Re-read the rows on screen (after assignments or evaluations changed); keeps the order.

        Rows already fetched stay visible until their fresh copy arrives; pages nobody looks at
        are fetched again only when they are shown."""
        self._generation += 1
        self._fresh.clear()
        self._in_flight.clear()
        if self.ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.ids) - 1, len(self.columns) - 1))

    # --- Qt model API -----------------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.ids)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self.ids)):
            return None
        app_id = self.ids[index.row()]
        col = self.columns[index.column()]
        if role == Qt.UserRole:
            return app_id
        if role == Qt.TextAlignmentRole:
            return col.align
        row = self._cache.get(app_id)
        if role == Qt.DisplayRole:
            page = index.row() // self.PAGE
            if page not in self._fresh and page not in self._in_flight:
                self._wanted.add(page)
                if not self._timer.isActive():
                    self._timer.start()
        if row is None:
            return (app_id if col.key == "id" else "…") if role == Qt.DisplayRole else None
        if role == Qt.DisplayRole:
            return _display(col.value(row))
        if role == Qt.ToolTipRole and col.tooltip is not None:
            return col.tooltip(row)
        if role == Qt.ForegroundRole and col.key == "" and row.evaluators and row.finalised >= row.evaluators:
            return QBrush(QColor("#1b7a3a"))
        return None

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if orientation == Qt.Horizontal and 0 <= section < len(self.columns):
            if role == Qt.DisplayRole:
                return self.columns[section].header
            if role == Qt.TextAlignmentRole:
                return self.columns[section].align
        return None

    def sort(self, column: int, order=Qt.AscendingOrder) -> None:
        if 0 <= column < len(self.columns) and self.columns[column].key:
            self.sortRequested.emit(self.columns[column].key, order == Qt.DescendingOrder)
