"""Charts for the committee summary (reportlab.graphics), legible when printed in black and white.

Series differ by grey level *and* outline (solid black vs light grey with a black edge), lines by
dash pattern; every value that matters is also printed as a number.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import STATE_DEFAULTS, Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from .fonts import BOLD, REGULAR, register_fonts

# The graphics renderer starts every drawing with its default font (Helvetica), which would
# otherwise end up in the PDF next to the embedded Korean font.
register_fonts()
STATE_DEFAULTS["fontName"] = REGULAR

DARK = colors.Color(0.15, 0.15, 0.15)
LIGHT = colors.Color(0.82, 0.82, 0.82)
MID = colors.Color(0.55, 0.55, 0.55)


def _nice_step(top: float) -> int:
    if top <= 5:
        return 1
    raw = top / 5
    mag = 10 ** int(math.floor(math.log10(raw)))
    for m in (1, 2, 5, 10):
        if m * mag >= raw:
            return int(m * mag)
    return int(10 * mag)


def score_distribution(scores: Sequence[tuple[float, bool]], *, min_score: float, width: float, height: float,
                       title: str, selected_label: str, other_label: str, min_label: str) -> Drawing:
    """Histogram of scores in 10-point bins, selected applications stacked in dark grey."""
    sel = [0] * 10
    other = [0] * 10
    for value, selected in scores:
        b = min(9, max(0, int(value // 10)))
        (sel if selected else other)[b] += 1
    d = Drawing(width, height)
    d.add(String(0, height - 10, title, fontName=BOLD, fontSize=7.5))
    bc = VerticalBarChart()
    bc.x, bc.y = 26, 16
    bc.width, bc.height = width - 34, height - 46
    bc.data = [sel, other]
    bc.categoryAxis.style = "stacked"
    bc.categoryAxis.categoryNames = [str(10 * i) for i in range(10)]
    bc.categoryAxis.labels.fontName = REGULAR
    bc.categoryAxis.labels.fontSize = 6.5
    bc.categoryAxis.labels.dy = -2
    top = max((a + b for a, b in zip(sel, other)), default=0)
    step = _nice_step(top)
    bc.valueAxis.valueMin = 0
    bc.valueAxis.valueMax = max(step, int(math.ceil(top / step)) * step)
    bc.valueAxis.valueStep = step
    bc.valueAxis.labels.fontName = REGULAR
    bc.valueAxis.labels.fontSize = 6.5
    bc.valueAxis.visibleGrid = True
    bc.valueAxis.gridStrokeColor = colors.Color(0.85, 0.85, 0.85)
    bc.valueAxis.gridStrokeWidth = 0.3
    bc.bars.strokeColor = colors.black
    bc.bars.strokeWidth = 0.5
    bc.bars[0].fillColor = DARK
    bc.bars[1].fillColor = LIGHT
    bc.barSpacing = 0
    bc.groupSpacing = 3
    d.add(bc)
    # the minimum score as a dashed line across the plot
    x = bc.x + bc.width * max(0.0, min(100.0, min_score)) / 100.0
    d.add(Line(x, bc.y, x, bc.y + bc.height + 4, strokeColor=colors.black, strokeWidth=0.9,
               strokeDashArray=[3, 2]))
    d.add(String(x - 2, bc.y + bc.height + 6, min_label, fontName=REGULAR, fontSize=6.3, textAnchor="end"))
    # legend
    lx = width - 110
    for i, (label, fill) in enumerate(((selected_label, DARK), (other_label, LIGHT))):
        xx = lx + i * 55
        d.add(Rect(xx, height - 11, 7, 7, fillColor=fill, strokeColor=colors.black, strokeWidth=0.5))
        d.add(String(xx + 10, height - 10, label, fontName=REGULAR, fontSize=6.8))
    return d


def leniency(values: Sequence[tuple[str, float | None]], *, width: float, height: float, title: str) -> Drawing:
    """Per-evaluator leniency: bars right of zero are lenient, left harsh; values printed."""
    d = Drawing(width, height)
    d.add(String(0, height - 10, title, fontName=BOLD, fontSize=7.5))
    rows = [(code, v) for code, v in values]
    if not rows:
        return d
    bc = HorizontalBarChart()
    bc.x, bc.y = 40, 14
    bc.width = width - 56
    bc.height = min(height - 34, 16 * len(rows))
    bc.y = height - 22 - bc.height
    data = [v if v is not None else 0.0 for _, v in rows]
    bc.data = [list(reversed(data))]
    bc.categoryAxis.categoryNames = [code for code, _ in reversed(rows)]
    bc.categoryAxis.labels.fontName = REGULAR
    bc.categoryAxis.labels.fontSize = 6.8
    bc.categoryAxis.visibleTicks = False
    bc.categoryAxis.joinAxisMode = "left"  # names at the left edge, not on the zero line
    m = max((abs(v) for v in data), default=1.0)
    step = _nice_step(m) if m > 5 else (1 if m > 2 else 0.5)
    lim = max(step, math.ceil(m / step) * step)
    # room for each value beside its bar's end: a bar reaching near the edge would push its value
    # over the evaluator names (left) or out of the frame (right)
    room = 3 + max(stringWidth(f"{abs(v):+.1f}", REGULAR, 6.3) for v in data)
    for _ in range(10):  # (a chart too narrow for any room stops trying)
        if all(bc.width * (lim - abs(v)) / (2 * lim) >= room for v in data):
            break
        lim += step
    bc.valueAxis.valueMin = -lim
    bc.valueAxis.valueMax = lim
    bc.valueAxis.valueStep = step
    bc.valueAxis.labels.fontName = REGULAR
    bc.valueAxis.labels.fontSize = 6.3
    bc.valueAxis.labelTextFormat = "%+g"
    bc.valueAxis.visibleGrid = True
    bc.valueAxis.gridStrokeColor = colors.Color(0.85, 0.85, 0.85)
    bc.valueAxis.gridStrokeWidth = 0.3
    bc.bars.strokeColor = colors.black
    bc.bars.strokeWidth = 0.5
    bc.bars[0].fillColor = MID
    d.add(bc)
    # values beside the bar ends (outside the bar, on whichever side it grows)
    n = len(data)
    for i, v in enumerate(reversed(data)):
        x = bc.x + bc.width * (v + lim) / (2 * lim)
        y = bc.y + bc.height * (i + 0.5) / n - 2.2
        text = f"{v:+.1f}" if values[n - 1 - i][1] is not None else "—"
        if v >= 0:
            d.add(String(x + 3, y, text, fontName=REGULAR, fontSize=6.3, textAnchor="start"))
        else:
            d.add(String(x - 3, y, text, fontName=REGULAR, fontSize=6.3, textAnchor="end"))
    x0 = bc.x + bc.width / 2
    d.add(Line(x0, bc.y - 2, x0, bc.y + bc.height + 2, strokeColor=colors.black, strokeWidth=0.9))
    return d
