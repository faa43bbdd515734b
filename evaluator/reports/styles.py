"""Paragraph styles (built once per process) and a Paragraph that remembers its layout.

Every report is A4 and must read in black and white: emphasis is bold type, rules and grey
levels, never colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph

from .fonts import BOLD, REGULAR, register_fonts

PAGE = A4
MARGIN_X = 15 * mm
MARGIN_TOP = 19 * mm  # room for the running header
MARGIN_BOTTOM = 16 * mm  # room for the running footer
FRAME_WIDTH = PAGE[0] - 2 * MARGIN_X
FRAME_HEIGHT = PAGE[1] - MARGIN_TOP - MARGIN_BOTTOM

BLACK = colors.black
GRID = colors.Color(0.35, 0.35, 0.35)
RULE = colors.Color(0.55, 0.55, 0.55)
HEAD_BG = colors.Color(0.86, 0.86, 0.86)  # header rows
LABEL_BG = colors.Color(0.93, 0.93, 0.93)  # label cells
MARK_BG = colors.Color(0.78, 0.78, 0.78)  # the chosen level / selected rows
SOFT_BG = colors.Color(0.96, 0.96, 0.96)
MUTED = colors.Color(0.33, 0.33, 0.33)


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    tiny: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_small: ParagraphStyle
    cell_muted: ParagraphStyle
    cell_right: ParagraphStyle
    cell_center: ParagraphStyle
    label: ParagraphStyle
    desc: ParagraphStyle
    banner: ParagraphStyle
    note: ParagraphStyle


@lru_cache(maxsize=1)
def styles() -> Styles:
    register_fonts()

    def ps(name: str, size: float, *, font: str = REGULAR, leading: float | None = None, **kw) -> ParagraphStyle:
        kw.setdefault("textColor", BLACK)
        return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading or round(size * 1.32, 2), **kw)

    return Styles(
        title=ps("title", 16, font=BOLD, leading=20, alignment=TA_CENTER, spaceAfter=1 * mm),
        subtitle=ps("subtitle", 8.5, alignment=TA_CENTER, textColor=MUTED, spaceAfter=3 * mm),
        h1=ps("h1", 12, font=BOLD, leading=15, spaceBefore=3 * mm, spaceAfter=2 * mm),
        h2=ps("h2", 9.5, font=BOLD, leading=12, spaceBefore=2.5 * mm, spaceAfter=1.5 * mm),
        body=ps("body", 8.5, leading=11.5),
        small=ps("small", 7.5, leading=9.8),
        tiny=ps("tiny", 6.5, leading=8.2, textColor=MUTED),
        cell=ps("cell", 8, leading=10.2),
        cell_bold=ps("cell_bold", 8, font=BOLD, leading=10.2),
        cell_small=ps("cell_small", 7, leading=8.8),
        cell_muted=ps("cell_muted", 6.5, leading=8.2, textColor=MUTED),
        cell_right=ps("cell_right", 8, leading=10.2, alignment=TA_RIGHT),
        cell_center=ps("cell_center", 8, leading=10.2, alignment=TA_CENTER),
        label=ps("label", 7.5, font=BOLD, leading=9.6, alignment=TA_LEFT),
        desc=ps("desc", 6.8, leading=8.4),
        banner=ps("banner", 9, font=BOLD, leading=12, alignment=TA_CENTER, borderWidth=1, borderColor=BLACK,
                  borderPadding=4, backColor=SOFT_BG, spaceBefore=2 * mm, spaceAfter=4 * mm),
        note=ps("note", 7, leading=9, textColor=MUTED),
    )


class MemoParagraph(Paragraph):
    """A Paragraph that lays itself out once per width.

    Static text (level descriptions, labels) is shared by hundreds of sheets; re-breaking its
    lines on every sheet would dominate the cost of a batch.
    """

    def __init__(self, text, style, **kw) -> None:
        super().__init__(text, style, **kw)
        self._memo: dict[float, tuple] = {}

    def wrap(self, availWidth, availHeight):
        key = round(availWidth, 3)
        hit = self._memo.get(key)
        if hit is not None:
            self.width, self.height, self.blPara, self._wrapWidths = hit
            return self.width, self.height
        super().wrap(availWidth, availHeight)
        self._memo[key] = (self.width, self.height, self.blPara, self._wrapWidths)
        return self.width, self.height


def P(text: str, style: ParagraphStyle) -> Paragraph:
    """A Paragraph of *markup* (callers escape untrusted parts with :func:`fmt.esc`)."""
    return Paragraph(text, style)
