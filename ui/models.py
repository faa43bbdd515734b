"""Table models.

* :class:`RecordModel` — a short list of plain records (evaluators, one evaluator's assignments,
  a track's ranking, an import preview): columns are declared once, sorting in Python is fine at
  these sizes.
* :class:`ApplicationsModel` — the big one: an ordered list of application IDs from the core
  (``store.applications.ids(sort=…, **filters)``), rows fetched lazily in pages through
  ``store.applications.rows(ids)`` on the worker.  Sorting and filtering ask the core again; there is
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
from .style import readable_on, tones
from .worker import make_timer

RIGHT = int(Qt.AlignRight | Qt.AlignVCenter)
LEFT = int(Qt.AlignLeft | Qt.AlignVCenter)
CENTER = int(Qt.AlignCenter)

# The roles as plain ints, looked up once.  ``data()`` runs for every role of every visible cell on
# every repaint (about 900 calls for one screen of the applications table), and each ``Qt.XRole``
# spelled inside it is a PySide6 compatibility lookup costing about 3 µs: six of them made a
# repaint take 24 ms; with ints it takes a few.
DISPLAY = int(Qt.ItemDataRole.DisplayRole)
ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
USER = int(Qt.ItemDataRole.UserRole)
HORIZONTAL = Qt.Orientation.Horizontal
VERTICAL = Qt.Orientation.Vertical
DESCENDING = Qt.SortOrder.DescendingOrder


class CellRoles:
    """``multiData`` (Qt 6) for a model whose ``data()`` answers one role at a time.

    A view's delegate asks each cell for seven roles to draw it or size it.  Through ``data()``
    that is seven calls from C++ into Python, each taking the GIL; while the worker thread runs
    Python (an import, a ranking) every one of them waits for it, and drawing a screen of the table
    took several times as long.  ``multiData`` answers all seven in one call, from ``data()`` itself,
    so the two cannot disagree."""

    def multiData(self, index, roles) -> None:  # noqa: N802
        data = self.data
        for slot in roles:
            value = data(index, slot.role())
            if value is None:
                slot.clearData()
            else:
                slot.setData(value)


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


class RecordModel(CellRoles, QAbstractTableModel):
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

    def data(self, index, role=DISPLAY):
        row = index.row()
        if not (0 <= row < len(self.rows)):  # an invalid index has row -1
            return None
        rec, col = self.rows[row], self.columns[index.column()]
        if role == DISPLAY:
            return _display(col.value(rec))
        if role == ALIGNMENT:
            return col.align
        if role == TOOLTIP and col.tooltip is not None:
            return col.tooltip(rec)
        if role == BACKGROUND and col.background is not None:
            c = col.background(rec)
            return QBrush(c) if c is not None else None
        if role == FOREGROUND and (col.foreground is not None or col.background is not None):
            c = col.foreground(rec) if col.foreground is not None else None
            if c is None and col.background is not None:  # text on a tinted cell: dark or light, whichever reads
                bg = col.background(rec)
                c = readable_on(bg) if bg is not None else None
            return QBrush(c) if c is not None else None
        if role == USER:
            return row
        return None

    def headerData(self, section, orientation, role=DISPLAY):  # noqa: N802
        if orientation == HORIZONTAL and 0 <= section < len(self.columns):
            if role == DISPLAY:
                return self.columns[section].header
            if role == ALIGNMENT:
                return self.columns[section].align
        if orientation == VERTICAL and role == DISPLAY and 0 <= section < len(self.rows):
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
            self.rows.sort(key=k, reverse=order == DESCENDING)
        except TypeError:
            self.rows.sort(key=lambda r: str(key(r)), reverse=order == DESCENDING)
        position = {id(r): i for i, r in enumerate(self.rows)}
        for p in persistent:
            if p.isValid():
                self.changePersistentIndex(p, self.index(position[id(before[p.row()])], p.column()))
        self.layoutChanged.emit()


# --------------------------------------------------------------------------------------------------
class ApplicationsModel(CellRoles, QAbstractTableModel):
    """Applications over an ordered ID list; rows arrive in pages from the worker.

    The screen may hand over the pages it fetched together with the IDs (:meth:`set_ids`), so the
    table is drawn once, with its rows, instead of placeholders first; the other pages are fetched
    when they are shown.  Each row's cell texts are worked out once, when first drawn."""

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
        self._texts: dict[str, tuple[str, ...]] = {}  # application ID -> its cells' display texts
        self._wanted: set[int] = set()  # page numbers requested from data(), fetched on the next turn
        self._fresh: set[int] = set()  # pages fetched since the last change
        self._in_flight: set[int] = set()
        self._generation = 0
        self._timer = make_timer(self, timeout=self._fetch_wanted)
        self.columns = [
            Column("id", tr("Application ID"), lambda r: r.id),
            Column("track", tr("Track"), lambda r: track_label(ctx, r.track)),
            Column("category", tr("Category"), lambda r: category_label(ctx, r.category)),
            Column("title", tr("Project title"), lambda r: r.title),
            Column("group_name", tr("Group name"), lambda r: r.group_name),
            Column("district", tr("District"), lambda r: r.district),
            Column("requested_amount", tr("Requested (KRW)"), lambda r: fmt_amount(r.requested_amount), RIGHT),
            Column("submitted_on", tr("Submitted on"), lambda r: r.submitted_on.isoformat() if r.submitted_on else ""),
            Column("status", tr("Status"), lambda r: status_label(r.status)),
            Column("", tr("Evaluations"), lambda r: f"{r.finalised}/{r.evaluators}", CENTER,
                   tooltip=lambda r: tr("{done} of %n assigned evaluators have finalised", "",
                                        r.evaluators).format(done=r.finalised)),
        ]
        self._id_column = next(i for i, c in enumerate(self.columns) if c.key == "id")

    # --- the ID list ------------------------------------------------------------------------------
    def set_ids(self, ids: list[str], pages: dict[int, list] | None = None) -> None:
        """Show ``ids``.  ``pages`` ({page number: its rows}, as :meth:`pages_around` chose them and
        ``store.applications.rows`` returned them) arrive with the IDs and are shown at once; without
        them the first page is fetched."""
        self.beginResetModel()
        self._generation += 1
        self.ids = list(ids)
        self._fresh.clear()
        self._wanted.clear()
        self._in_flight.clear()
        for page, rows in (pages or {}).items():
            self._store_rows(rows)
            self._fresh.add(page)
        self.endResetModel()
        if pages:
            self.rowsFetched.emit()
        elif self.ids:
            self._request_page(0)

    @classmethod
    def pages_around(cls, count: int, row: int, visible: int) -> list[int]:
        """The pages holding rows ``row - visible`` to ``row + visible`` of ``count`` rows: those on
        screen once the view has scrolled to show ``row``, whichever way it scrolled."""
        if count <= 0:
            return []
        first = max(0, row - visible)
        last = min(count - 1, max(0, row) + visible)
        return list(range(first // cls.PAGE, last // cls.PAGE + 1))

    @classmethod
    def page_ids(cls, ids: list[str], page: int) -> list[str]:
        return ids[page * cls.PAGE:(page + 1) * cls.PAGE]

    def row_record(self, row: int):
        if 0 <= row < len(self.ids):
            return self._cache.get(self.ids[row])
        return None

    def is_loaded(self) -> bool:
        return all(i in self._cache for i in self.ids)

    def _store_rows(self, rows) -> None:
        for r in rows:
            self._cache[r.id] = r
            self._texts.pop(r.id, None)

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
            self._store_rows(rows)
            last = min(len(self.ids), start + self.PAGE) - 1
            if last >= start:
                self.dataChanged.emit(self.index(start, 0), self.index(last, len(self.columns) - 1))
            self.rowsFetched.emit()

        self.ctx.query(lambda st: st.applications.rows(ids), arrived, parent=self).run_in_background()

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

    def data(self, index, role=DISPLAY):
        # the display role first and with the fewest steps: it is asked for every cell on screen
        row = index.row()
        if not (0 <= row < len(self.ids)):  # an invalid index has row -1
            return None
        if role == DISPLAY:
            app_id = self.ids[row]
            page = row // self.PAGE
            if page not in self._fresh and page not in self._in_flight:
                self._wanted.add(page)
                if not self._timer.isActive():
                    self._timer.start()
            texts = self._texts.get(app_id)
            if texts is None:
                rec = self._cache.get(app_id)
                if rec is None:
                    return app_id if index.column() == self._id_column else "…"
                texts = self._texts[app_id] = tuple(_display(c.value(rec)) for c in self.columns)
            return texts[index.column()]
        if role == ALIGNMENT:
            return self.columns[index.column()].align
        if role == USER:
            return self.ids[row]
        if role == TOOLTIP or role == FOREGROUND:
            col = self.columns[index.column()]
            rec = self._cache.get(self.ids[row])
            if rec is None:
                return None
            if role == TOOLTIP and col.tooltip is not None:
                return col.tooltip(rec)
            if role == FOREGROUND and col.key == "" and rec.evaluators and rec.finalised >= rec.evaluators:
                return QBrush(tones().good)
        return None

    def headerData(self, section, orientation, role=DISPLAY):  # noqa: N802
        if orientation == HORIZONTAL and 0 <= section < len(self.columns):
            if role == DISPLAY:
                return self.columns[section].header
            if role == ALIGNMENT:
                return self.columns[section].align
        return None

    def sort(self, column: int, order=Qt.AscendingOrder) -> None:
        if 0 <= column < len(self.columns) and self.columns[column].key:
            self.sortRequested.emit(self.columns[column].key, order == DESCENDING)
