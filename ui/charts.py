"""Two small charts drawn with QPainter: a track's score distribution and evaluator leniency.

Each chart says in words what it draws (its accessible description: the text a screen reader reads,
also shown as the tooltip), its labels never sit on the bars (the marker labels have a row of their
own above the plot), and its lines and text take the palette's colours.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from .i18n import tr

SELECTED = QColor("#2f8f4e")
RESERVE = QColor("#e0a526")
OTHER = QColor("#8a96a8")
INELIGIBLE = QColor("#c9cdd4")
CUT = QColor("#d9534f")
LENIENT = QColor("#3d7bd9")
STRICT = QColor("#c0504d")
BIN = 5  # points per bar


def _axis(widget: QWidget) -> QColor:
    """Axis lines: the text colour, softened (readable on light and dark backgrounds alike)."""
    pal = widget.palette()
    text, base = pal.color(QPalette.WindowText), pal.color(QPalette.Window)
    return QColor((text.red() * 2 + base.red()) // 3, (text.green() * 2 + base.green()) // 3,
                  (text.blue() * 2 + base.blue()) // 3)


class ScoreHistogram(QWidget):
    """Scores in 5-point bins, coloured by decision; the minimum score and the cut score marked."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("scoreHistogram")
        self.setMinimumHeight(170)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self.setFocusPolicy(Qt.TabFocus)  # a screen reader user reaches the description with Tab
        self.setAccessibleName(tr("Score distribution"))
        self.rows: list[tuple[float, str]] = []  # (score, decision)
        self.min_score: float | None = None
        self.cut_score: float | None = None
        self._describe()

    def set_data(self, rows: list[tuple[float, str]], min_score: float | None, cut_score: float | None) -> None:
        self.rows, self.min_score, self.cut_score = rows, min_score, cut_score
        self._describe()
        self.update()

    def bins(self) -> list[list[int]]:
        """Per 5-point band: [selected, reserve, other, ineligible] counts."""
        counts = [[0, 0, 0, 0] for _ in range(100 // BIN)]
        order = {"selected": 0, "reserve": 1, "not_selected": 2, "ineligible": 3}
        for score, decision in self.rows:
            b = min(len(counts) - 1, max(0, int(score // BIN)))
            counts[b][order.get(decision, 2)] += 1
        return counts

    def _describe(self) -> None:
        """The chart in words (accessible description and tooltip)."""
        parts = [tr("%n applications scored", "", len(self.rows))]
        if self.min_score is not None:
            parts.append(tr("minimum score {score:g}").format(score=self.min_score))
        if self.cut_score is not None:
            parts.append(tr("{cut_line} at {score:.1f}").format(cut_line=tr("cut line"), score=self.cut_score))
        bands = [f"{i * BIN}–{i * BIN + BIN - 1}: {sum(c)}" for i, c in enumerate(self.bins()) if sum(c)]
        text = "; ".join(parts) + ("." if not bands else ". " + tr("Per band: {bands}.").format(bands=", ".join(bands)))
        self.setAccessibleDescription(text)
        self.setToolTip(text)

    def plot_rect(self) -> QRectF:
        """Where the bars go: below the title row and the marker-label row, above the axis labels."""
        line_h = QFontMetricsF(self.font()).height()
        return QRectF(self.rect()).adjusted(36, 2 * line_h + 8, -12, -(line_h + 8))

    def bar_rects(self) -> list[tuple[QRectF, QColor]]:
        r = self.plot_rect()
        counts = self.bins()
        top = max([sum(c) for c in counts] + [1])
        bw = r.width() / len(counts)
        colours = [SELECTED, RESERVE, OTHER, INELIGIBLE]
        out = []
        for i, c in enumerate(counts):
            y = r.bottom()
            for k, n in enumerate(c):
                if n:
                    h = r.height() * n / top
                    out.append((QRectF(r.left() + i * bw + 1, y - h, bw - 2, h), colours[k]))
                    y -= h
        return out

    def marker_labels(self) -> list[tuple[QRectF, str, float, QColor | None]]:
        """(label rectangle, text, line x, colour) of the minimum and cut-line markers: in their own
        row above the plot, the second moved right when the two would touch."""
        fm = QFontMetricsF(self.font())
        r = self.plot_rect()
        out = []
        taken_right = -1.0
        for value, colour, label in ((self.min_score, None, tr("minimum")), (self.cut_score, CUT, tr("cut line"))):
            if value is None:
                continue
            px = r.left() + r.width() * max(0.0, min(100.0, value)) / 100
            w = fm.horizontalAdvance(label) + 4
            left = min(max(px - w / 2, taken_right + 6, 0.0), self.width() - w)
            out.append((QRectF(left, fm.height() + 4, w, fm.height()), label, px, colour))
            taken_right = left + w
        return out

    def paintEvent(self, _event) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        text_colour = self.palette().color(QPalette.WindowText)
        line_h = QFontMetricsF(self.font()).height()
        r = self.plot_rect()
        p.setPen(text_colour)
        p.drawText(QRectF(0, 0, self.width(), line_h + 2), Qt.AlignCenter, tr("Score distribution"))
        for rect, colour in self.bar_rects():
            p.fillRect(rect, colour)
        axis = _axis(self)
        p.setPen(QPen(axis, 1))
        p.drawLine(r.bottomLeft(), r.bottomRight())
        p.setPen(text_colour)
        for x in range(0, 101, 20):
            px = r.left() + r.width() * x / 100
            p.drawText(QRectF(px - 15, r.bottom() + 3, 30, line_h), Qt.AlignCenter, str(x))
        top = max([sum(c) for c in self.bins()] + [1])
        p.drawText(QRectF(0, r.top() - 2, 32, line_h), Qt.AlignRight, str(top))
        for rect, label, px, colour in self.marker_labels():
            p.setPen(QPen(colour or axis, 2, Qt.DashLine))
            p.drawLine(QPointF(px, r.top()), QPointF(px, r.bottom()))
            p.setPen(colour or text_colour)
            p.drawText(rect, Qt.AlignCenter, label)
        p.end()


class LeniencyChart(QWidget):
    """Each evaluator's mean deviation from co-evaluators: right = lenient, left = strict."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("leniencyChart")
        self.setMinimumHeight(170)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self.setFocusPolicy(Qt.TabFocus)
        self.setAccessibleName(tr("Evaluator leniency (points vs. co-evaluators)"))
        self.items: list[tuple[str, float | None]] = []
        self._describe()

    def set_data(self, items: list[tuple[str, float | None]]) -> None:
        self.items = items
        self._describe()
        self.update()

    def _describe(self) -> None:
        shown = [f"{k} {v:+.1f}" for k, v in self.items if v is not None]
        text = (tr("Points above (+) or below (−) co-evaluators on shared applications: {items}.").format(
            items=", ".join(shown)) if shown else tr("Not enough shared applications yet"))
        self.setAccessibleDescription(text)
        self.setToolTip(text)

    def paintEvent(self, _event) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        text_colour = self.palette().color(QPalette.WindowText)
        fm = QFontMetricsF(self.font())
        p.setPen(text_colour)
        p.drawText(QRectF(0, 0, self.width(), fm.height() + 2), Qt.AlignCenter,
                   tr("Evaluator leniency (points vs. co-evaluators)"))
        items = [(k, v) for k, v in self.items if v is not None]
        if not items:
            p.drawText(QRectF(self.rect()), Qt.AlignCenter, tr("Not enough shared applications yet"))
            p.end()
            return
        name_w = max(fm.horizontalAdvance(k) for k, _ in items) + 8
        value_w = fm.horizontalAdvance("+00.0") + 6
        r = QRectF(self.rect()).adjusted(name_w + value_w + 8, fm.height() + 8, -value_w - 4, -8)
        span = max([abs(v) for _, v in items] + [1.0])
        row_h = min(max(24.0, fm.height() + 6), r.height() / len(items))
        mid = r.left() + r.width() / 2
        p.setPen(QPen(_axis(self), 1))
        p.drawLine(QPointF(mid, r.top()), QPointF(mid, r.top() + row_h * len(items)))
        for i, (name, v) in enumerate(items):
            y = r.top() + i * row_h
            p.setPen(text_colour)
            p.drawText(QRectF(0, y, name_w, row_h), Qt.AlignRight | Qt.AlignVCenter, name)
            w = (r.width() / 2) * v / span
            bar = QRectF(mid, y + 3, w, row_h - 6).normalized()
            p.fillRect(bar, LENIENT if v >= 0 else STRICT)
            # the value past the bar's end (right of a lenient bar, left of a strict one): never on a bar
            if v >= 0:
                p.drawText(QRectF(bar.right() + 4, y, value_w, row_h), Qt.AlignLeft | Qt.AlignVCenter, f"{v:+.1f}")
            else:
                p.drawText(QRectF(bar.left() - value_w - 4, y, value_w, row_h), Qt.AlignRight | Qt.AlignVCenter,
                           f"{v:+.1f}")
        p.end()
