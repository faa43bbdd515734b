"""Small shared widgets: a file drop zone, a screen title, a date field with a calendar, a checklist
that reflows to the width it is given, table columns as wide as their language needs."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QObject, QRect, QSize, Qt, Signal
from PySide6.QtGui import QPalette, QPixmap
from PySide6.QtWidgets import (
    QCheckBox, QGridLayout, QLabel, QLayout, QListWidget, QListWidgetItem, QSizePolicy, QStyle, QStyleOptionButton,
    QStyleOptionFocusRect, QWidget,
)


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


class ElidedLabel(QLabel):
    """One line of text that ends in "…" when the window leaves it less room than it needs (the whole
    text in its tooltip), so that a long line never makes the window wider than the screen."""

    def __init__(self, text: str = "", parent=None, least_chars: int = 14) -> None:
        super().__init__(text, parent)
        self._least_chars = least_chars
        self.setToolTip(text)

    def setText(self, text: str) -> None:  # noqa: N802
        super().setText(text)
        self.setToolTip(text)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        hint = super().minimumSizeHint()
        least = self.fontMetrics().horizontalAdvance("x" * self._least_chars)
        return QSize(min(hint.width(), least), hint.height())

    def paintEvent(self, event) -> None:  # noqa: N802
        from PySide6.QtGui import QPainter

        rect = self.contentsRect()
        text = self.fontMetrics().elidedText(self.text(), Qt.ElideRight, rect.width())
        painter = QPainter(self)
        self.style().drawItemText(painter, rect, int(self.alignment()), self.palette(), self.isEnabled(), text,
                                  self.foregroundRole())
        painter.end()


class WrappingCheckBox(QCheckBox):
    """A check box whose text wraps at the width it is given: a QCheckBox's text stays on one line, so
    a long sentence made its screen wider than a laptop's window at a large font.  The whole text is
    its text (and accessible name); a click anywhere on it toggles it."""

    def __init__(self, text: str, parent=None) -> None:
        super().__init__(text, parent)
        policy = self.sizePolicy()
        policy.setHorizontalPolicy(QSizePolicy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def _option(self) -> QStyleOptionButton:
        opt = QStyleOptionButton()
        self.initStyleOption(opt)
        return opt

    def _text_left(self) -> int:
        opt = self._option()
        style = self.style()
        return (style.pixelMetric(QStyle.PM_IndicatorWidth, opt, self)
                + style.pixelMetric(QStyle.PM_CheckBoxLabelSpacing, opt, self))

    def _line_height(self) -> int:
        return max(self.fontMetrics().height(), self.style().pixelMetric(QStyle.PM_IndicatorHeight, self._option(), self))

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        room = max(1, width - self._text_left())
        text = self.fontMetrics().boundingRect(QRect(0, 0, room, 100_000), int(Qt.TextWordWrap), self.text())
        return max(self._line_height(), text.height())

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(self._text_left() + self.fontMetrics().horizontalAdvance(self.text()) + 2, self._line_height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        # a few words wide, and never shorter than the text wrapped at the width it has
        least = self._text_left() + self.fontMetrics().horizontalAdvance("x" * 24)
        wrapped = self.heightForWidth(self.width()) if self.width() > 0 else self._line_height()
        return QSize(min(least, self.sizeHint().width()), wrapped)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()  # the wrapped text's height (the minimum above) changed

    def hitButton(self, pos) -> bool:  # noqa: N802
        return self.rect().contains(pos)

    def paintEvent(self, event) -> None:  # noqa: N802
        from PySide6.QtWidgets import QStylePainter

        painter = QStylePainter(self)
        opt = self._option()
        opt.rect = QRect(0, 0, self.width(), self._line_height())
        indicator = QStyleOptionButton(opt)
        indicator.rect = self.style().subElementRect(QStyle.SE_CheckBoxIndicator, opt, self)
        painter.drawPrimitive(QStyle.PE_IndicatorCheckBox, indicator)
        text_rect = self.rect().adjusted(self._text_left(), 0, 0, 0)
        painter.drawItemText(text_rect, int(Qt.AlignLeft | Qt.AlignTop | Qt.TextWordWrap), self.palette(),
                             self.isEnabled(), self.text(), QPalette.WindowText)
        if self.hasFocus():
            focus = QStyleOptionFocusRect()
            focus.initFrom(self)
            focus.rect = self.fontMetrics().boundingRect(text_rect, int(Qt.AlignLeft | Qt.AlignTop | Qt.TextWordWrap),
                                                         self.text()).adjusted(-1, 0, 1, 0)
            painter.drawPrimitive(QStyle.PE_FrameFocusRect, focus)


class FlowLayout(QLayout):
    """Widgets in a row that wraps onto the next line where the width runs out (Qt's flow layout
    example): a toolbar of buttons at a large font would otherwise widen its screen past the window."""

    def __init__(self, parent=None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item) -> None:  # noqa: N802
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int):  # noqa: N802
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int):  # noqa: N802
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self):  # noqa: N802
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect) -> None:  # noqa: N802
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def sizeHint(self) -> QSize:  # noqa: N802
        visible = [i for i in self._items if not i.isEmpty()]
        width = sum(i.sizeHint().width() for i in visible) + self._spacing * max(0, len(visible) - 1)
        height = max((i.sizeHint().height() for i in visible), default=0)
        m = self.contentsMargins()
        return QSize(width + m.left() + m.right(), height + m.top() + m.bottom())

    def minimumSize(self) -> QSize:  # noqa: N802
        size = QSize()
        for item in self._items:
            if not item.isEmpty():
                size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _arrange(self, rect, apply: bool) -> int:
        """Lay the items out in lines (each item centred in its line's height); returns the height."""
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        lines: list[list] = [[]]
        x = area.x()
        for item in self._items:
            if item.isEmpty():
                continue
            hint = item.sizeHint()
            width = min(hint.width(), area.width())
            if lines[-1] and x + width > area.right() + 1:
                lines.append([])
                x = area.x()
            lines[-1].append((item, x, width, hint.height()))
            x += width + self._spacing
        y = area.y()
        for line in lines:
            height = max((h for *_rest, h in line), default=0)
            if apply:
                for item, left, width, h in line:
                    item.setGeometry(QRect(left, y + (height - h) // 2, width, h))
            y += height + self._spacing
        return max(0, y - self._spacing) - rect.y() + m.bottom()


def together(parent, *widgets) -> QWidget:
    """Widgets kept side by side on one line of a :class:`FlowLayout` (a label and its field)."""
    from PySide6.QtWidgets import QHBoxLayout

    box = QWidget(parent)
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    for w in widgets:
        row.addWidget(w)
    return box


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
