"""Small shared widgets: a file drop zone, a screen title, a date field with a calendar, a checklist
that reflows to the width it is given, table columns as wide as their language needs."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QGridLayout, QLabel, QListWidget, QListWidgetItem, QWidget


class DropZone(QLabel):
    """Accepts files dropped from the file manager (only the given suffixes)."""

    filesDropped = Signal(list)

    def __init__(self, text: str, suffixes: tuple[str, ...], parent=None) -> None:
        super().__init__(text, parent)
        self.setObjectName("dropZone")
        self.setAlignment(Qt.AlignCenter)
        self.setWordWrap(True)
        self.setAcceptDrops(True)
        self.suffixes = tuple(s.lower() for s in suffixes)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        # a good target to drop on, and never shorter than its text wrapped at its width (a fixed
        # minimum height let a splitter squeeze a two-line text until its second line was cut)
        wrapped = self.heightForWidth(self.width()) if self.width() > 0 else 0
        return QSize(super().minimumSizeHint().width(), max(60, wrapped))

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()  # the wrapped text's height (the minimum above) changed

    def _paths(self, mime) -> list[Path]:
        if not mime.hasUrls():
            return []
        out = []
        for url in mime.urls():
            if url.isLocalFile():
                p = Path(url.toLocalFile())
                if not self.suffixes or p.suffix.lower() in self.suffixes:
                    out.append(p)
        return out

    def _hover(self, on: bool) -> None:
        self.setProperty("hover", on)
        self.style().unpolish(self)
        self.style().polish(self)

    def dragEnterEvent(self, event) -> None:  # noqa: N802
        if self._paths(event.mimeData()):
            event.acceptProposedAction()
            self._hover(True)
        else:
            event.ignore()

    def dragLeaveEvent(self, event) -> None:  # noqa: N802
        self._hover(False)

    def dropEvent(self, event) -> None:  # noqa: N802
        self._hover(False)
        paths = self._paths(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.filesDropped.emit(paths)


class ReflowColumns(QWidget):
    """Widgets side by side in two columns where the width allows, else one below the other.

    For checklists: a check box's text does not wrap, and two columns of long items (the English
    checklist of the space rubric) made the scoring form wider than a 1280-pixel laptop's window.
    The minimum width is the widest single item; the height follows the arrangement shown."""

    def __init__(self, parent=None, columns: int = 2) -> None:
        super().__init__(parent)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._max_columns = columns
        self._columns = columns
        self._items: list[QWidget] = []

    def add_widget(self, widget: QWidget) -> None:
        self._items.append(widget)
        self._place(self._columns)

    def items(self) -> list[QWidget]:
        return list(self._items)

    def columns(self) -> int:
        """How many columns are shown now."""
        return self._columns

    def _place(self, columns: int) -> None:
        for w in self._items:
            self._grid.removeWidget(w)
        for i, w in enumerate(self._items):
            self._grid.addWidget(w, i // columns, i % columns)
        for c in range(self._max_columns):
            self._grid.setColumnStretch(c, 1 if c < columns else 0)
        self._columns = columns

    def _width_for(self, columns: int) -> int:
        if not self._items:
            return 0
        widths = [max((w.sizeHint().width() for w in self._items[c::columns]), default=0) for c in range(columns)]
        return sum(widths) + self._grid.horizontalSpacing() * (columns - 1)

    def _columns_for(self, width: int) -> int:
        for columns in range(self._max_columns, 1, -1):
            if self._width_for(columns) <= width:
                return columns
        return 1

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(self._width_for(1), self._grid.minimumSize().height())

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(self._width_for(self._max_columns), self._grid.sizeHint().height())

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        columns = self._columns_for(event.size().width())
        if columns != self._columns:
            self._place(columns)
            self.updateGeometry()  # taller or shorter now


def fit_columns(view, widths: dict[int, int], values: dict[int, Iterable[str]] | None = None,
                stretch: int | None = None) -> None:
    """Set the columns of ``view`` as wide as the language shown needs: each at least as wide as its
    header's text (with the sort arrow's room) and as the widest of its known ``values`` (a status, a
    track: the few texts the column can show), and at least ``widths`` (the room chosen for free text
    such as a title).  Widths tuned for the Korean headers cut the longer English ones (and the other
    way round), so they are worked out here from the font; a person's own widths, remembered per
    language (MainWindow.save_layout), replace them when the window opens again.

    The ``stretch`` column takes the room left, but never less than its width in ``widths``: when
    the others leave less, the table scrolls sideways instead of squeezing it to a few letters."""
    from PySide6.QtWidgets import QStyle

    header = view.horizontalHeader()
    view.ensurePolished()
    header.ensurePolished()
    fm = view.fontMetrics()
    margin = view.style().pixelMetric(QStyle.PM_FocusFrameHMargin, None, view) + 1
    pad = 2 * margin + 4  # the cell's text margins and the grid line, with a little air
    values = values or {}
    for col in range(header.count()):
        hidden = header.isSectionHidden(col)
        if hidden:
            header.showSection(col)  # a hidden section has no size hint
        need = header.sectionSizeHint(col)
        if hidden:
            header.hideSection(col)
        need = max(need, widths.get(col, 0), *(fm.horizontalAdvance(v) + pad for v in values.get(col, ()) if v))
        view.setColumnWidth(col, need)
    if stretch is not None:
        _StretchKeeper(view, stretch, widths.get(stretch, 0))


class _StretchKeeper(QObject):
    """Stretches a column over the room the others leave while that room is at least ``minimum``;
    below it the column keeps ``minimum`` and the table scrolls sideways."""

    def __init__(self, view, column: int, minimum: int) -> None:
        super().__init__(view)
        self.view, self.column, self.minimum = view, column, minimum
        self._busy = False
        view.horizontalHeader().sectionResized.connect(lambda *_a: self.update())
        view.horizontalScrollBar().rangeChanged.connect(lambda *_a: self.update())
        self.update()

    def update(self) -> None:
        if self._busy:
            return
        from PySide6.QtWidgets import QHeaderView

        header = self.view.horizontalHeader()
        others = sum(header.sectionSize(i) for i in range(header.count())
                     if i != self.column and not header.isSectionHidden(i))
        stretch = self.view.viewport().width() - others >= self.minimum
        mode = QHeaderView.Stretch if stretch else QHeaderView.Interactive
        if header.sectionResizeMode(self.column) == mode:
            return
        self._busy = True
        try:
            header.setSectionResizeMode(self.column, mode)
            if not stretch:
                header.resizeSection(self.column, self.minimum)
        finally:
            self._busy = False



def plain(label: QLabel) -> QLabel:
    """Show the text as typed: applicant data such as ``<b>`` or ``<img src=…>`` is never markup."""
    label.setTextFormat(Qt.PlainText)
    return label


def rich_escaped(text: str) -> str:
    """Text for a widget that decides on its own whether text is HTML (QMessageBox): escaped, so it
    is always shown literally."""
    from html import escape

    return "<p>" + escape(text).replace("\n", "<br>") + "</p>"


def whole_hint(edit, hint: str):
    """Give a line edit its placeholder ``hint`` and room to show it whole (a hint cut off in a narrow
    dialog no longer said what to type)."""
    edit.setPlaceholderText(hint)
    edit.setMinimumWidth(edit.fontMetrics().horizontalAdvance(hint) + 24)
    return edit


def title_label(text: str, parent=None) -> QLabel:
    lab = QLabel(text, parent)
    lab.setObjectName("screenTitle")
    return lab


class DateField(QWidget):
    """A date typed as ``2013-05-10`` (also ``2013.05.10`` or ``2013/5/10``) or picked from a calendar
    that opens at the date typed, or at today; empty means "no date".  :meth:`value` raises
    ``ValueError`` for text that is not a date, and the field says so beside itself."""

    changed = Signal()

    def __init__(self, placeholder: str, parent=None) -> None:
        from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QToolButton

        from .i18n import tr

        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText(placeholder)
        self.edit.setClearButtonEnabled(True)
        self.edit.textChanged.connect(self._check)
        lay.addWidget(self.edit, 1)
        self.button = QToolButton(self)
        self.button.setArrowType(Qt.DownArrow)
        self.button.setToolTip(tr("Pick the date from a calendar"))
        self.button.setAccessibleName(tr("Pick the date from a calendar"))
        self.button.clicked.connect(self.open_calendar)
        lay.addWidget(self.button)
        self.error = QLabel("", self)
        self.error.setObjectName("inlineError")
        self.error.hide()
        lay.addWidget(self.error)
        self.setFocusProxy(self.edit)
        self.calendar = None

    def setAccessibleName(self, name: str) -> None:  # noqa: N802 - the field is what a reader reads
        super().setAccessibleName(name)
        self.edit.setAccessibleName(name)

    def text(self) -> str:
        return self.edit.text().strip()

    def set_date(self, value: date | None) -> None:
        self.edit.setText(value.isoformat() if value else "")

    def value(self) -> date | None:
        """The date typed, None when empty; ``ValueError`` when the text is not a date."""
        return parse_date(self.text())

    def _check(self) -> None:
        from .i18n import tr

        try:
            self.value()
        except ValueError:
            self.error.setText(tr("not a date (use 2013-05-10)"))
            self.error.show()
        else:
            self.error.hide()
        self.changed.emit()

    def open_calendar(self):
        """The calendar opens at the date typed, or at today when there is none (never at year 2000)."""
        from PySide6.QtCore import QDate
        from PySide6.QtWidgets import QCalendarWidget

        try:
            current = self.value()
        except ValueError:
            current = None
        cal = QCalendarWidget(self)
        cal.setObjectName("dateFieldCalendar")
        cal.setWindowFlags(Qt.Popup)
        cal.setGridVisible(True)
        start = QDate(current) if current else QDate.currentDate()
        cal.setSelectedDate(start)
        cal.setCurrentPage(start.year(), start.month())
        cal.clicked.connect(lambda d: (self.set_date(d.toPython()), cal.close()))
        cal.activated.connect(lambda d: (self.set_date(d.toPython()), cal.close()))
        cal.move(self.mapToGlobal(self.rect().bottomLeft()))
        cal.setAttribute(Qt.WA_DeleteOnClose)
        cal.show()
        cal.setFocus()
        self.calendar = cal
        return cal


def parse_date(text: str) -> date | None:
    """``2013-05-10``, ``2013.05.10``, ``2013/5/10`` or ``20130510`` → a date; '' → None."""
    import re

    text = (text or "").strip().rstrip(".")
    if not text:
        return None
    m = re.fullmatch(r"(\d{4})[-./ ]\s*(\d{1,2})[-./ ]\s*(\d{1,2})", text) or re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
    if not m:
        raise ValueError(text)
    return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))  # ValueError for 2013-02-30


def fill_photo_list(view: QListWidget, photos) -> None:
    """A visit's photos as the list's items — ``(attachment info, thumbnail image or None)`` pairs
    made on the worker: the file's name, its size as a tooltip, the thumbnail as its icon, its uuid as
    its data (the scoring form and the monitoring visit form)."""
    view.clear()
    for info, image in photos or []:
        item = QListWidgetItem(info.filename)
        item.setData(Qt.UserRole, info.uuid)
        item.setToolTip(f"{info.filename} · {info.size // 1024} KB")
        if image is not None and not image.isNull():
            item.setIcon(QPixmap.fromImage(image))
        view.addItem(item)
