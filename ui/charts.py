"""Two small charts drawn with QPainter: a track's score distribution and evaluator leniency."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from .i18n import tr

SELECTED = QColor("#2f8f4e")
RESERVE = QColor("#e0a526")
OTHER = QColor("#8a96a8")
INELIGIBLE = QColor("#c9cdd4")
CUT = QColor("#d9534f")


class ScoreHistogram(QWidget):
    """Scores in 5-point bins, coloured by decision; the minimum score and the cut score marked."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("scoreHistogram")
        self.setMinimumHeight(170)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self.rows: list[tuple[float, str]] = []  # (score, decision)
        self.min_score: float | None = None
        self.cut_score: float | None = None

    def set_data(self, rows: list[tuple[float, str]], min_score: float | None, cut_score: float | None) -> None:
        self.rows, self.min_score, self.cut_score = rows, min_score, cut_score
        self.update()

    def paintEvent(self, _event) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        r = QRectF(self.rect()).adjusted(36, 22, -12, -26)
        p.setPen(self.palette().text().color())
        p.drawText(QRectF(0, 0, self.width(), 20), Qt.AlignCenter, tr("Score distribution"))
        bins = 20
        counts = [[0, 0, 0, 0] for _ in range(bins)]  # selected, reserve, other, ineligible
        order = {"selected": 0, "reserve": 1, "not_selected": 2, "ineligible": 3}
        for score, decision in self.rows:
            b = min(bins - 1, max(0, int(score // 5)))
            counts[b][order.get(decision, 2)] += 1
        top = max([sum(c) for c in counts] + [1])
        bw = r.width() / bins
        colours = [SELECTED, RESERVE, OTHER, INELIGIBLE]
        for i, c in enumerate(counts):
            y = r.bottom()
            for k, n in enumerate(c):
                if not n:
                    continue
                h = r.height() * n / top
                p.fillRect(QRectF(r.left() + i * bw + 1, y - h, bw - 2, h), colours[k])
                y -= h
        p.setPen(QPen(QColor("#555"), 1))
        p.drawLine(r.bottomLeft(), r.bottomRight())
        for x in range(0, 101, 20):
            px = r.left() + r.width() * x / 100
            p.drawText(QRectF(px - 15, r.bottom() + 3, 30, 18), Qt.AlignCenter, str(x))
        p.drawText(QRectF(0, r.top() - 6, 32, 16), Qt.AlignRight, str(top))
        for i, (value, colour, label) in enumerate(((self.min_score, QColor("#555"), tr("minimum")),
                                                    (self.cut_score, CUT, tr("cut line")))):
            if value is None:
                continue
            px = r.left() + r.width() * max(0.0, min(100.0, value)) / 100
            p.setPen(QPen(colour, 2, Qt.DashLine))
            p.drawLine(QPointF(px, r.top()), QPointF(px, r.bottom()))
            if i == 0:  # the minimum's label left of its line, the cut line's to the right, one row lower
                p.drawText(QRectF(px - 93, r.top(), 90, 16), Qt.AlignRight, label)
            else:
                p.drawText(QRectF(px + 3, r.top() + 16, 90, 16), Qt.AlignLeft, label)
        p.end()


class LeniencyChart(QWidget):
    """Each evaluator's mean deviation from co-evaluators: right = lenient, left = strict."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("leniencyChart")
        self.setMinimumHeight(170)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self.items: list[tuple[str, float | None]] = []

    def set_data(self, items: list[tuple[str, float | None]]) -> None:
        self.items = items
        self.update()

    def paintEvent(self, _event) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        p.setPen(self.palette().text().color())
        p.drawText(QRectF(0, 0, self.width(), 20), Qt.AlignCenter, tr("Evaluator leniency (points vs. co-evaluators)"))
        items = [(k, v) for k, v in self.items if v is not None]
        if not items:
            p.drawText(QRectF(self.rect()), Qt.AlignCenter, tr("Not enough shared applications yet"))
            p.end()
            return
        r = QRectF(self.rect()).adjusted(60, 24, -40, -8)
        span = max([abs(v) for _, v in items] + [1.0])
        row_h = min(24.0, r.height() / len(items))
        mid = r.left() + r.width() / 2
        p.setPen(QPen(QColor("#999"), 1))
        p.drawLine(QPointF(mid, r.top()), QPointF(mid, r.top() + row_h * len(items)))
        for i, (name, v) in enumerate(items):
            y = r.top() + i * row_h
            p.setPen(self.palette().text().color())
            p.drawText(QRectF(0, y, 56, row_h), Qt.AlignRight | Qt.AlignVCenter, name)
            w = (r.width() / 2) * v / span
            colour = QColor("#3d7bd9") if v >= 0 else QColor("#c0504d")
            bar = QRectF(mid, y + 3, w, row_h - 6).normalized()
            p.fillRect(bar, colour)
            # the value on the empty side of the middle line, so it never covers a name
            p.drawText(QRectF(bar.right() + 4 if v >= 0 else mid + 4, y, 48, row_h), Qt.AlignLeft | Qt.AlignVCenter,
                       f"{v:+.1f}")
        p.end()
