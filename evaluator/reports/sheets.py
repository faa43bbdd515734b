"""Score sheets: the blank paper fallback and the filled sheet, one layout for both.

The layout follows the Excel score template (``evaluator export template scores``): one row per
criterion in rubric order with its code, maximum and weight, the five level descriptions with a
tick box each (or a points box when the rubric scores the criterion in points), the score, and a
comment line — so a paper sheet is typed back row by row.  Above it: the application, the
evaluator, the visit and its checklist; below: the overall comment, the declaration and the
signature.

A filled sheet is the same grid with the chosen level shaded and ticked, the points and comments
written in, the DRAFT watermark while the evaluation is not finalised, and — once finalised — the
finalisation time and the result package's signature fingerprint.

Speed: everything that depends only on the rubric and the language (the grid's text, the
checklist, the signature block) is laid out once per process and drawn once per PDF as a form
XObject; each sheet adds only its own values.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Spacer

from ..rubric import Criterion, Rubric
from .blocks import PAD_X, PAD_Y, FormBlock, InfoGrid, TextLines, draw_strings, use_form
from .data import AppRecord, EvaluationRecord, ProgramRecord
from .document import Section
from .fmt import day, esc, krw, points, score, stamp, wall_time
from .fonts import BOLD, REGULAR
from .labels import Labels, labels
from .styles import FRAME_WIDTH, GRID, HEAD_BG, LABEL_BG, MARK_BG, MUTED, MemoParagraph, styles

#: a comment taller than this moves below the grid (so one row never outgrows a page)
MAX_COMMENT_HEIGHT = 150.0
BOX = 6.2  # tick box size (pt)


def fit_size(text: str, font: str, size: float, width: float, smallest: float) -> float:
    """The largest font size ≤ ``size`` at which ``text`` fits ``width`` (not below ``smallest``)."""
    w = stringWidth(text, font, size)
    if w <= width or w <= 0:
        return size
    return max(smallest, size * width / w)


# --- static grid layout (once per rubric × language) ----------------------------------------------
@dataclass
class _CritRow:
    criterion: Criterion
    number: int
    height: float
    crit: list[Paragraph]
    levels: list[list[Paragraph]]  # per level: [label line is drawn directly, description paragraph]
    level_labels: list[str]
    key: str


@dataclass
class GridLayout:
    rubric: Rubric
    lang: str
    key: str
    xs: list[float]  # column left edges; last entry = right edge
    header_h: float
    header_cells: list[list[Paragraph]]
    rows: list[_CritRow]
    total_h: float
    max_total: float
    weighted: bool
    level_index: dict[str, int]
    level_label: dict[str, str]
    comment_indent: float
    comment_width: float

    @property
    def width(self) -> float:
        return self.xs[-1]

    def level_x(self, i: int) -> tuple[float, float]:
        return self.xs[3 + i], self.xs[4 + i]

    @property
    def score_x(self) -> tuple[float, float]:
        return self.xs[-2], self.xs[-1]


def _col_widths(n_levels: int, width: float) -> list[float]:
    no, mx, sc = 20.0, 34.0, 44.0
    lv = min(66.0, (width - no - mx - sc - 90) / n_levels)
    crit = width - no - mx - sc - lv * n_levels
    return [no, crit, mx] + [lv] * n_levels + [sc]


def _stack_height(parts: list[Paragraph], width: float, gap: float = 1.0) -> float:
    return sum(p.wrap(width, 10_000)[1] for p in parts) + gap * max(0, len(parts) - 1)


@lru_cache(maxsize=32)
def grid_layout(rubric: Rubric, lang: str, width: float = FRAME_WIDTH) -> GridLayout:
    st = styles()
    L = labels(lang)
    widths = _col_widths(len(rubric.levels), width)
    xs = [0.0]
    for w in widths:
        xs.append(xs[-1] + w)
    name_style = ParagraphStyle("crit", parent=st.cell_bold, fontSize=7.8, leading=9.6)
    code_style = ParagraphStyle("code", parent=st.cell_muted, fontSize=6.3, leading=7.8)
    help_style = ParagraphStyle("help", parent=st.cell_muted, fontSize=6.3, leading=7.9)
    desc_style = st.desc
    head_style = ParagraphStyle("gh", parent=st.cell_bold, fontSize=7.6, leading=9.2, alignment=1)
    head_small = ParagraphStyle("ghs", parent=st.cell_muted, fontSize=6.3, leading=7.6, alignment=1)

    header_cells: list[list[Paragraph]] = [
        [MemoParagraph(esc(L("sheet.no_col")), head_style)],
        [MemoParagraph(esc(L("sheet.criterion")), head_style)],
        [MemoParagraph(esc(L("sheet.max")), head_style), MemoParagraph(esc(f"({L('sheet.weight')})"), head_small)],
    ]
    for lv in rubric.levels:
        top = lv.label_ko if lang != "en" else f"{lv.label_ko} {lv.label_en}".strip()
        header_cells.append([MemoParagraph(esc(top), head_style), MemoParagraph(esc(f"{lv.percent:g}%"), head_small)])
    header_cells.append([MemoParagraph(esc(L("sheet.score")), head_style)])
    header_h = max(_stack_height([p for p in cell if p.text], widths[i] - 2 * PAD_X)
                   for i, cell in enumerate(header_cells)) + 2 * PAD_Y

    rows: list[_CritRow] = []
    digest = rubric.content_hash[:10]
    for n, c in enumerate(rubric.criteria, 1):
        tags = [c.code]
        if c.field_check:
            tags.append(L("sheet.field_check"))
        if not c.required:
            tags.append(L("sheet.optional"))
        crit = [MemoParagraph(esc(c.name(lang)), name_style), MemoParagraph(esc(" · ".join(tags)), code_style)]
        if c.help(lang):
            crit.append(MemoParagraph(esc(c.help(lang)), help_style))
        h_crit = _stack_height(crit, widths[1] - 2 * PAD_X)
        levels: list[list[Paragraph]] = []
        lvl_labels: list[str] = []
        h_lv = 0.0
        for i, lv in enumerate(rubric.levels):
            pts = rubric.points_for_level(c, lv.key)
            if c.scoring == "levels":
                label = f"{lv.label(lang)} {L('sheet.points_unit', p=points(pts))}"
            else:
                label = f"≈ {L('sheet.points_unit', p=points(pts))}"
            lvl_labels.append(label)
            d = MemoParagraph(esc(c.describe_level(lv.key, lang)), desc_style)
            levels.append([d])
            h = 10.5 + d.wrap(widths[3 + i] - 2 * PAD_X, 10_000)[1]
            h_lv = max(h_lv, h)
        height = max(h_crit, h_lv, 30.0) + 2 * PAD_Y
        rows.append(_CritRow(c, n, height, crit, levels, lvl_labels, f"g{digest}{lang}{int(width)}r{n}"))
    max_total = sum(c.max_points for c in rubric.criteria)
    weighted = any(c.weight != 1.0 for c in rubric.criteria)
    indent = stringWidth(L("sheet.comment"), BOLD, 7) + 6
    return GridLayout(rubric, lang, f"g{digest}{lang}{int(width)}", xs, header_h, header_cells, rows, 30.0,
                      max_total, weighted, {lv.key: i for i, lv in enumerate(rubric.levels)},
                      {lv.key: lv.label(lang) for lv in rubric.levels}, indent, width - xs[1] - 2 * PAD_X - indent)


def _draw_stack(c: Canvas, parts: list[Paragraph], x: float, top: float, width: float, gap: float = 1.0) -> float:
    y = top
    for p in parts:
        _, h = p.wrap(width, 10_000)
        y -= h
        p.drawOn(c, x, y)
        y -= gap
    return y


def _vlines(c: Canvas, xs: list[float], h: float) -> None:
    c.setStrokeColor(GRID)
    c.setLineWidth(0.45)
    for x in xs[1:-1]:
        c.line(x, 0, x, h)
    c.setStrokeColor(colors.black)
    c.setLineWidth(0.9)
    c.line(xs[0], 0, xs[0], h)
    c.line(xs[-1], 0, xs[-1], h)


def _draw_header(g: GridLayout):
    def draw(c: Canvas) -> None:
        h = g.header_h
        c.setFillColor(HEAD_BG)
        c.rect(0, 0, g.width, h, stroke=0, fill=1)
        c.setFillColor(colors.black)
        _vlines(c, g.xs, h)
        c.setLineWidth(0.9)
        c.line(0, h, g.width, h)
        c.line(0, 0, g.width, 0)
        for i, cell in enumerate(g.header_cells):
            x0, x1 = g.xs[i], g.xs[i + 1]
            parts = [p for p in cell if p.text]
            ch = _stack_height(parts, x1 - x0 - 2 * PAD_X)
            _draw_stack(c, parts, x0 + PAD_X, h - (h - ch) / 2, x1 - x0 - 2 * PAD_X)
    return draw


def _draw_row(g: GridLayout, r: _CritRow):
    def draw(c: Canvas) -> None:
        h = r.height
        _vlines(c, g.xs, h)
        c.setStrokeColor(GRID)
        c.setLineWidth(0.45)
        c.line(g.xs[1], 0, g.width, 0)
        c.setFillColor(colors.black)
        c.setFont(BOLD, 8)
        c.drawCentredString((g.xs[0] + g.xs[1]) / 2, h - PAD_Y - 8, str(r.number))
        _draw_stack(c, r.crit, g.xs[1] + PAD_X, h - PAD_Y, g.xs[2] - g.xs[1] - 2 * PAD_X)
        # maximum and weight
        mx = (g.xs[2] + g.xs[3]) / 2
        c.setFont(BOLD, 9.5)
        c.drawCentredString(mx, h - PAD_Y - 10, points(r.criterion.max_points))
        c.setFont(REGULAR, 6.5)
        c.setFillColor(MUTED)
        c.drawCentredString(mx, h - PAD_Y - 19, f"(×{points(r.criterion.weight)})")
        c.setFillColor(colors.black)
        levels_scored = r.criterion.scoring == "levels"
        for i, (parts, label) in enumerate(zip(r.levels, r.level_labels)):
            x0, x1 = g.level_x(i)
            top = h - PAD_Y
            tx = x0 + PAD_X
            if levels_scored:
                c.setStrokeColor(colors.black)
                c.setLineWidth(0.7)
                c.rect(x0 + PAD_X, top - BOX - 0.6, BOX, BOX, stroke=1, fill=0)
                tx += BOX + 2.5
            fs = fit_size(label, BOLD, 7.2, x1 - tx - PAD_X + 1, 5.6)
            c.setFont(BOLD, fs)
            c.drawString(tx, top - 6.6, label)
            _draw_stack(c, parts, x0 + PAD_X, top - 9.5, x1 - x0 - 2 * PAD_X)
        # score box: the maximum (or the allowed range) as a reminder
        sx0, sx1 = g.score_x
        c.setFont(REGULAR, 6.3)
        c.setFillColor(MUTED)
        hint = f"/ {points(r.criterion.max_points)}" if levels_scored else f"0–{points(r.criterion.max_points)}"
        c.drawRightString(sx1 - PAD_X, PAD_Y + 1, hint)
        c.setFillColor(colors.black)
    return draw


def _draw_total(g: GridLayout, L: Labels):
    def draw(c: Canvas) -> None:
        h = g.total_h
        c.setFillColor(LABEL_BG)
        c.rect(0, 0, g.width, h, stroke=0, fill=1)
        c.setFillColor(colors.black)
        c.setStrokeColor(colors.black)
        c.setLineWidth(0.9)
        c.rect(0, 0, g.width, h, stroke=1, fill=0)
        c.line(0, h, g.width, h)
        c.setLineWidth(0.45)
        for x in (g.xs[2], g.xs[3], g.xs[-2]):
            c.line(x, 0, x, h)
        c.setFont(BOLD, 9)
        c.drawCentredString((g.xs[0] + g.xs[2]) / 2, h / 2 - 3, L("sheet.total"))
        c.drawCentredString((g.xs[2] + g.xs[3]) / 2, h / 2 - 3, points(g.max_total))
        c.setFont(REGULAR, 6.6)
        c.setFillColor(MUTED)
        c.drawCentredString((g.xs[3] + g.xs[-2]) / 2, h / 2 - 2.5, L("sheet.total_formula"))
        c.setFillColor(colors.black)
        c.setFont(REGULAR, 6.3)
        c.setFillColor(MUTED)
        c.drawRightString(g.xs[-1] - PAD_X, PAD_Y + 1, "/ 100")
        c.setFillColor(colors.black)
    return draw


# --- the grid flowable -------------------------------------------------------------------------------
@dataclass
class _Unit:
    row: _CritRow
    value: str  # level key or ""
    pts: float | None
    comment: Paragraph | None
    comment_h: float
    moved: bool  # comment too long: printed below the grid


class ScoreGrid(Flowable):
    """The criteria grid; splits between criteria and repeats its header on the next page."""

    def __init__(self, g: GridLayout, units: list[_Unit], *, filled: bool, total: float | None,
                 with_total: bool = True, head: bool = True) -> None:
        super().__init__()
        self.g, self.units, self.filled, self.total, self.with_total = g, units, filled, total, with_total
        self.width = g.width
        self.L = labels(g.lang)

    def _unit_h(self, u: _Unit) -> float:
        return u.row.height + u.comment_h

    def wrap(self, availWidth, availHeight):
        self.height = self.g.header_h + sum(self._unit_h(u) for u in self.units) + (
            self.g.total_h if self.with_total else 0)
        return self.width, self.height

    def split(self, availWidth, availHeight):
        room = availHeight - self.g.header_h
        k = 0
        used = 0.0
        for u in self.units:
            need = self._unit_h(u)
            if used + need > room + 1e-6:
                break
            used += need
            k += 1
        if k == len(self.units):
            if used + self.g.total_h <= room + 1e-6:
                return [self]
            k -= 1  # keep the total row with at least the last criterion
        if k <= 0:
            return []
        return [ScoreGrid(self.g, self.units[:k], filled=self.filled, total=None, with_total=False),
                ScoreGrid(self.g, self.units[k:], filled=self.filled, total=self.total, with_total=self.with_total)]

    def draw(self) -> None:
        c = self.canv
        g = self.g
        strings: list[tuple] = []
        paras: list[tuple] = []
        c.saveState()
        # walk down the grid with relative moves; forms are drawn at the current origin
        y = self.height - g.header_h
        c.translate(0, y)
        use_form(c, g.key + "h", g.width, g.header_h, _draw_header(g))
        for u in self.units:
            r = u.row
            y -= r.height
            c.translate(0, -r.height)
            level_index = None
            if self.filled and u.value and r.criterion.scoring == "levels":
                level_index = g.level_index.get(u.value)
                if level_index is not None:
                    x0, x1 = g.level_x(level_index)
                    c.setFillColor(MARK_BG)
                    c.rect(x0, 0, x1 - x0, r.height, stroke=0, fill=1)
            use_form(c, r.key, g.width, r.height, _draw_row(g, r))
            if level_index is not None:
                x0, _ = g.level_x(level_index)
                c.setFillColor(colors.black)
                c.rect(x0 + PAD_X, r.height - PAD_Y - BOX - 0.6, BOX, BOX, stroke=0, fill=1)
            if self.filled:
                self._value_strings(u, y, strings)
            y -= u.comment_h
            c.translate(0, -u.comment_h)
            h = round(u.comment_h, 2)
            use_form(c, f"{g.key}c{h}", g.width, h, _draw_comment_frame(g, h, self.L))
            if u.comment is not None:
                paras.append((u.comment, g.xs[1] + PAD_X + g.comment_indent, y + h - PAD_Y - u.comment.height + 1))
        if self.with_total:
            y -= g.total_h
            c.translate(0, -g.total_h)
            use_form(c, g.key + "t", g.width, g.total_h, _draw_total(g, self.L))
            if self.filled:
                sx0, sx1 = g.score_x
                text = score(self.total)
                strings.append(((sx0 + sx1 - stringWidth(text, BOLD, 11)) / 2, y + g.total_h / 2 - 2, text, BOLD, 11))
        else:
            c.setStrokeColor(colors.black)
            c.setLineWidth(0.9)
            c.line(0, 0, g.width, 0)
        c.restoreState()
        c.setFillColor(colors.black)
        draw_strings(c, strings)
        for p, px, py in paras:
            p.wrap(g.comment_width, 10_000)
            p.drawOn(c, px, py)

    def _value_strings(self, u: _Unit, y: float, out: list) -> None:
        g, r = self.g, u.row
        sx0, sx1 = g.score_x
        mid = (sx0 + sx1) / 2
        if u.pts is None:
            text = self.L("sheet.not_scored")
            out.append((mid - stringWidth(text, REGULAR, 7) / 2, y + r.height / 2, text, REGULAR, 7))
            return
        text = points(u.pts)
        out.append((mid - stringWidth(text, BOLD, 12) / 2, y + r.height / 2 + 1, text, BOLD, 12))
        if u.value:
            label = g.level_label.get(u.value)
            if label:
                fs = fit_size(label, BOLD, 8, sx1 - sx0 - 4, 5.5)
                out.append((mid - stringWidth(label, BOLD, fs) / 2, y + r.height / 2 - 10, label, BOLD, fs))


def _draw_comment_frame(g: GridLayout, h: float, L: Labels):
    def draw(c: Canvas) -> None:
        c.setStrokeColor(GRID)
        c.setLineWidth(0.45)
        c.line(g.xs[1], 0, g.width, 0)
        c.line(g.xs[1], h, g.width, h)
        c.line(g.xs[1], 0, g.xs[1], h)
        c.setStrokeColor(colors.black)
        c.setLineWidth(0.9)
        c.line(0, 0, 0, h)
        c.line(g.width, 0, g.width, h)
        c.setFillColor(colors.black)
        c.setFont(BOLD, 7)
        c.drawString(g.xs[1] + PAD_X, h - PAD_Y - 6.5, L("sheet.comment"))
    return draw


# --- the checklist and signature blocks ------------------------------------------------------------
@lru_cache(maxsize=32)
def _checklist_layout(rubric: Rubric, lang: str, width: float = FRAME_WIDTH):
    st = styles()
    L = labels(lang)
    items = rubric.checklist
    col_w = width / 2
    yes, no = L("sheet.yes"), L("sheet.no")
    box_w = 2 * BOX + stringWidth(yes, REGULAR, 7) + stringWidth(no, REGULAR, 7) + 16
    paras = [MemoParagraph(esc(it.name(lang)), st.cell_small) for it in items]
    rows = (len(items) + 1) // 2
    heights = []
    for r in range(rows):
        hs = [paras[i].wrap(col_w - box_w - 3 * PAD_X, 10_000)[1] for i in (2 * r, 2 * r + 1) if i < len(items)]
        heights.append(max(hs + [9.0]) + 2 * PAD_Y)
    return paras, heights, col_w, box_w, yes, no


class Checklist(FormBlock):
    """The visit checklist: every item with 예/아니오 boxes; a recorded visit fills them in."""

    def __init__(self, rubric: Rubric, lang: str, answers: dict[str, bool] | None) -> None:
        paras, heights, col_w, box_w, yes, no = _checklist_layout(rubric, lang)
        height = sum(heights)
        items = rubric.checklist
        key = f"c{rubric.content_hash[:10]}{lang}"

        def positions():
            y = height
            for r, h in enumerate(heights):
                y -= h
                for k in (0, 1):
                    i = 2 * r + k
                    if i < len(items):
                        yield i, k * col_w, y, h

        def static(c: Canvas) -> None:
            c.setStrokeColor(colors.black)
            c.setLineWidth(0.9)
            c.rect(0, 0, 2 * col_w, height)
            c.setLineWidth(0.45)
            c.setStrokeColor(GRID)
            c.line(col_w, 0, col_w, height)
            for i, x, y, h in positions():
                c.line(x, y, x + col_w, y)
                top = y + h - PAD_Y
                bx = x + PAD_X
                c.setStrokeColor(colors.black)
                c.setLineWidth(0.7)
                c.rect(bx, top - BOX - 0.5, BOX, BOX)
                c.setFont(REGULAR, 7)
                c.setFillColor(colors.black)
                c.drawString(bx + BOX + 2, top - 6.2, yes)
                bx2 = bx + BOX + 2 + stringWidth(yes, REGULAR, 7) + 6
                c.rect(bx2, top - BOX - 0.5, BOX, BOX)
                c.drawString(bx2 + BOX + 2, top - 6.2, no)
                c.setStrokeColor(GRID)
                c.setLineWidth(0.45)
                p = paras[i]
                p.wrap(col_w - box_w - 3 * PAD_X, 10_000)
                p.drawOn(c, x + box_w + PAD_X, top - p.height)

        def over(c: Canvas) -> None:
            if not answers:
                return
            c.setFillColor(colors.black)
            for i, x, y, h in positions():
                v = answers.get(items[i].code)
                if v is None:
                    continue
                top = y + h - PAD_Y
                bx = x + PAD_X
                if not v:
                    bx = bx + BOX + 2 + stringWidth(yes, REGULAR, 7) + 6
                c.rect(bx, top - BOX - 0.5, BOX, BOX, stroke=0, fill=1)

        super().__init__(key, 2 * col_w, height, static, over=over if answers else None, space_after=2)


def signature_block(lang: str, *, name: str = "", date_text: str = "") -> FormBlock:
    L = labels(lang)
    st = styles()
    width = FRAME_WIDTH
    decl = _declaration(lang)
    dh = decl.wrap(width - 2 * PAD_X, 1000)[1]
    height = dh + 36
    line_y = 8.0
    name_label, sign_label, date_label = L("sheet.sign_name"), L("sheet.sign"), L("sheet.sign_date")
    xs_name = 0.0
    x_name_line = xs_name + stringWidth(name_label, BOLD, 8) + 6
    x_sign = width * 0.42
    x_sign_line = x_sign + stringWidth(sign_label, BOLD, 8) + 6
    x_date = width * 0.72
    x_date_line = x_date + stringWidth(date_label, BOLD, 8) + 6

    def static(c: Canvas) -> None:
        decl.drawOn(c, PAD_X, height - dh)
        c.setFont(BOLD, 8)
        c.setFillColor(colors.black)
        c.drawString(xs_name, line_y + 2, name_label)
        c.drawString(x_sign, line_y + 2, sign_label)
        c.drawString(x_date, line_y + 2, date_label)
        c.setStrokeColor(colors.black)
        c.setLineWidth(0.6)
        c.line(x_name_line, line_y, x_sign - 10, line_y)
        c.line(x_sign_line, line_y, x_date - 10, line_y)
        c.line(x_date_line, line_y, width, line_y)
        if lang != "en":
            c.setFont(REGULAR, 6.5)
            c.setFillColor(MUTED)
            c.drawRightString(x_date - 12, line_y + 2, "(인)")

    def over(c: Canvas) -> None:
        c.setFillColor(colors.black)
        c.setFont(REGULAR, 9)
        if name:
            c.drawString(x_name_line + 4, line_y + 2.5, name)
        if date_text:
            c.drawString(x_date_line + 4, line_y + 2.5, date_text)

    return FormBlock(f"s{lang}", width, height, static, over=over if (name or date_text) else None)


@lru_cache(maxsize=4)
def _declaration(lang: str) -> MemoParagraph:
    return MemoParagraph(esc(labels(lang)("sheet.declaration")), styles().small)


@lru_cache(maxsize=8)
def _title(kind: str, lang: str) -> tuple[MemoParagraph, MemoParagraph]:
    L = labels(lang)
    st = styles()
    sub = L("doc.blank.sub") if kind == "blank" else ""
    return MemoParagraph(esc(L(f"doc.{kind}")), st.title), MemoParagraph(esc(sub), st.subtitle)


@lru_cache(maxsize=8)
def _heading(key: str, lang: str) -> MemoParagraph:
    return MemoParagraph(esc(labels(lang)(key)), styles().h2)


@lru_cache(maxsize=4)
def _hint(lang: str) -> MemoParagraph:
    return MemoParagraph(esc(labels(lang)("sheet.level_hint")), styles().note)


# --- one sheet ------------------------------------------------------------------------------------
def _info_table(app: AppRecord, program: ProgramRecord, L: Labels, ev: EvaluationRecord | None,
                evaluator: tuple[str, str, str] | None, rubric: Rubric, filled: bool):
    st = styles()
    tr = program.tracks[app.track]
    who = ""
    if ev is not None:
        who = f"{ev.evaluator} {ev.evaluator_name}" + (f" ({ev.organisation})" if ev.organisation else "")
    elif evaluator is not None:
        who = f"{evaluator[0]} {evaluator[1]}" + (f" ({evaluator[2]})" if evaluator[2] else "")
    visit = ev.visit if (ev is not None and filled) else None
    if visit is not None and visit.visited_at is not None:
        visited = wall_time(visit.visited_at)
    elif ev is not None and ev.planned_visit_on is not None:
        visited = f"{L('f.planned_visit')} {day(ev.planned_visit_on)}"
    else:
        visited = ""
    location = " ".join(x for x in (app.district, app.neighbourhood) if x)
    pairs = [
        (L("f.title"), app.title, "wide"),
        (L("f.id"), app.id),
        (L("f.track"), L.pick(tr.name_ko, tr.name_en)),
        (L("f.group_name"), app.group_name),
        (L("f.category"), L.category(app.category, program.categories)),
        (L("f.location"), location),
        (L("f.requested_amount"), krw(app.requested_amount, L.lang)),
        (L("f.evaluator"), who),
        (L("f.visited_at"), visited),
        (L("f.attendees"), visit.attendees if visit is not None else ""),
        (L("f.rubric"), f"{rubric.code} · {rubric.version}"),
    ]
    return InfoGrid(pairs, FRAME_WIDTH, label_width=60)


def _units(g: GridLayout, ev: EvaluationRecord | None) -> tuple[list[_Unit], list[tuple[str, str]]]:
    st = styles()
    L = labels(g.lang)
    filled = ev is not None
    units: list[_Unit] = []
    long: list[tuple[str, str]] = []
    comment_w = g.comment_width
    for r in g.rows:
        sc = ev.scores.get(r.criterion.code) if ev is not None else None
        para, h, moved = None, (24.0 if not filled else 13.0), False
        if sc is not None and sc.comment.strip():
            para = TextLines([(sc.comment, REGULAR, 7, 0)])
            ph = para.wrap(comment_w, 10_000)[1]
            if ph > MAX_COMMENT_HEIGHT:
                long.append((r.criterion.name(g.lang), sc.comment))
                para = TextLines([(L("sheet.see_below"), REGULAR, 7, 0)])
                ph = para.wrap(comment_w, 10_000)[1]
                moved = True
            h = max(h, ph + 2 * PAD_Y)
        units.append(_Unit(r, (sc.level or "") if sc else "", sc.points if sc else None, para, h, moved))
    return units, long


def sheet_story(app: AppRecord, program: ProgramRecord, lang: str, *, ev: EvaluationRecord | None = None,
                filled: bool = False, evaluator: tuple[str, str, str] | None = None) -> list[Flowable]:
    """The flowables of one sheet.

    ``filled``: print ``ev``'s values (a filled sheet); otherwise a blank sheet, for which ``ev``
    (the assignment, if any) only names the evaluator and the planned visit."""
    L = labels(lang)
    st = styles()
    tr = program.tracks[app.track]
    rubric = tr.rubric
    g = grid_layout(rubric, lang)
    filled = filled and ev is not None
    draft = filled and ev.state != "finalised"
    section = app.id if not filled else f"{app.id} · {ev.evaluator}"
    title, subtitle = _title("filled" if filled else "blank", lang)
    story: list[Flowable] = [Section(section, draft=draft), title]
    if subtitle.text:
        story.append(subtitle)
    else:
        story.append(Spacer(1, 6))
    story.append(_info_table(app, program, L, ev, evaluator, rubric, filled))
    if rubric.checklist:
        story.append(_heading("sheet.checklist", lang))
        story.append(Checklist(rubric, lang, ev.visit.checklist if (filled and ev.visit) else None))
        if filled and ev.visit is not None and ev.visit.notes.strip():
            story.append(Paragraph(f"<b>{esc(L('f.notes'))}</b>  {esc(ev.visit.notes)}", st.small))
    story.append(_heading("sheet.criteria", lang))
    if not filled:
        story.append(_hint(lang))
        story.append(Spacer(1, 3))
    units, long = _units(g, ev if filled else None)
    total = None
    if filled and not ev.abstained:
        total = rubric.total({k: v.points for k, v in ev.scores.items()})
    story.append(ScoreGrid(g, units, filled=filled, total=total))
    if filled:
        notes = []
        if ev.abstained:
            notes.append(L("sheet.abstained_line", reason=ev.abstain_reason or "—"))
        else:
            missing = [c.code for c in rubric.criteria if c.required and
                       (ev.scores.get(c.code) is None or ev.scores[c.code].points is None)]
            if missing:
                notes.append(L("sheet.missing", items=", ".join(missing)))
        for n in notes:
            story.append(Paragraph(f"<b>{esc(n)}</b>", st.body))
    if long:
        story.append(_heading("sheet.long_comments", lang))
        for name, text in long:
            story.append(Paragraph(f"<b>{esc(name)}</b>: {esc(text)}", st.small))
    # overall comment
    story.append(CondPageBreak(110))
    story.append(_heading("sheet.general_comment", lang))
    story.append(_comment_box(ev.comment if filled else "", lang))
    story.append(Spacer(1, 6))
    if filled:
        story.append(_finalisation(ev, L))
    name = ""
    if ev is not None:
        name = ev.evaluator_name
    elif evaluator is not None:
        name = evaluator[1]
    date_text = day(ev.finalised_at) if filled and ev.state == "finalised" and ev.finalised_at else ""
    story.append(signature_block(lang, name=name, date_text=date_text))
    return story


class _CommentBox(Flowable):
    def __init__(self, text: str, lang: str) -> None:
        super().__init__()
        self.p = Paragraph(esc(text), styles().small) if text.strip() else None
        self.width = FRAME_WIDTH
        self.min_h = 48 if self.p is None else 20

    def wrap(self, availWidth, availHeight):
        h = self.min_h
        if self.p is not None:
            h = max(h, self.p.wrap(self.width - 2 * PAD_X - 2, 10_000)[1] + 2 * PAD_Y + 2)
        self.height = h
        return self.width, h

    def split(self, availWidth, availHeight):
        if self.p is None:
            return []
        parts = self.p.split(self.width - 2 * PAD_X - 2, availHeight - 2 * PAD_Y - 2)
        if len(parts) < 2:
            return []
        out = []
        for part in parts:
            box = _CommentBox("", "ko")
            box.p, box.min_h = part, 12
            out.append(box)
        return out

    def draw(self) -> None:
        c = self.canv
        c.setStrokeColor(colors.black)
        c.setLineWidth(0.9)
        c.rect(0, 0, self.width, self.height)
        if self.p is not None:
            self.p.drawOn(c, PAD_X + 1, self.height - PAD_Y - 1 - self.p.height)


def _comment_box(text: str, lang: str) -> Flowable:
    return _CommentBox(text or "", lang)


def _finalisation(ev: EvaluationRecord, L: Labels) -> Flowable:
    """State, version, finalisation time and package fingerprint, as a small grid."""
    state = L.state("abstained" if ev.abstained else ev.state)
    pairs: list[tuple] = [(L("sheet.state"), state), (L("sheet.version"), str(ev.version))]
    if ev.state == "finalised":
        pairs.append((L("sheet.finalised_at"), stamp(ev.finalised_at)))
        pairs.append((L("sheet.updated_at"), stamp(ev.updated_at)))
        fp = ev.package_fingerprint
        pairs.append((L("sheet.fingerprint"), fp if fp else L("sheet.fingerprint_none"), "wide"))
    else:
        pairs.append((L("sheet.updated_at"), stamp(ev.updated_at)))
    grid = InfoGrid(pairs, FRAME_WIDTH, label_width=92, bold_first=False)
    grid.spaceAfter = 8
    return grid


def sheet_fingerprint(app: AppRecord, ev: EvaluationRecord | None) -> str:
    """What the document ID of a batch depends on (cheap: the records' versions)."""
    if ev is None:
        return app.id
    return f"{app.id}/{ev.evaluator}/{ev.uuid}/{ev.version}/{ev.state}"
