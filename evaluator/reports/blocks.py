"""Building blocks shared by the reports.

* :func:`use_form` — static content (a rubric's level descriptions, a checklist, a signature
  block) is drawn once per document as a PDF form XObject and placed by reference on every sheet
  that needs it; a batch of a thousand sheets lays out and encodes that text once.
* :class:`RowsTable` — a long table that splits across pages with its header repeated, in linear
  time: it measures each row once and hands the frame one page-sized :class:`Table` at a time
  (a single giant ``Table`` re-measures and re-styles the remainder at every page break).
* :class:`InfoGrid` — label/value grids (the skeleton is a shared form, values are strings).
* :class:`TextLines` — plain applicant text in table cells: word-wrapped, never parsed as markup.
* :func:`signature_table` — role / name / signature rows.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from itertools import accumulate

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Table, TableStyle

from .fonts import BOLD, REGULAR
from .styles import GRID, HEAD_BG, LABEL_BG

PAD_X = 3.0
PAD_Y = 2.6


def use_form(c: Canvas, key: str, width: float, height: float, draw: Callable[[Canvas], None]) -> None:
    """Place the form ``key`` at the current origin, drawing it first if this document lacks it."""
    # kept on the PDF document object: the canvas swaps its own state when it replays pages
    doc = c._doc
    forms = getattr(doc, "_report_forms", None)
    if forms is None:
        forms = doc._report_forms = {}
    name = forms.get(key)
    if name is None:
        name = forms[key] = f"R{len(forms)}"  # short PDF names: every page's resources list them
        c.beginForm(name, -4, -4, width + 4, height + 4)
        draw(c)
        c.endForm()
    c.doForm(name)


class FormBlock(Flowable):
    """A fixed-size block whose static part is a shared form, with optional per-use drawing
    beneath (``under``) and on top (``over``) of it."""

    def __init__(self, key: str, width: float, height: float, static: Callable[[Canvas], None],
                 under: Callable[[Canvas], None] | None = None, over: Callable[[Canvas], None] | None = None,
                 space_after: float = 0) -> None:
        super().__init__()
        self.key, self.width, self.height = key, width, height
        self.static, self.under, self.over = static, under, over
        self.spaceAfter = space_after

    def wrap(self, availWidth, availHeight):
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        if self.under is not None:
            self.under(c)
        use_form(c, self.key, self.width, self.height, self.static)
        if self.over is not None:
            self.over(c)


def cell_height(cells: Sequence, widths: Sequence[float], leading: float = 10.2, pad_y: float = PAD_Y,
                pad_x: float = PAD_X) -> float:
    """The height a table row of ``cells`` needs (strings count their lines, flowables wrap)."""
    h = 0.0
    for v, w in zip(cells, widths):
        if v is None or v == "":
            continue
        if isinstance(v, str):
            ch = leading * (v.count("\n") + 1)
        elif isinstance(v, (list, tuple)):
            ch = sum(f.wrap(w - 2 * pad_x, 10_000)[1] for f in v)
        else:
            ch = v.wrap(w - 2 * pad_x, 10_000)[1]
        if ch > h:
            h = ch
    return h + 2 * pad_y


class RowsTable(Flowable):
    """A table of many rows split across pages with repeated header rows, in linear time.

    ``rows`` are lists of cells (strings or flowables); ``row_style(i, row_index_in_page)`` returns
    extra TableStyle commands for data row ``i`` placed at table row ``row_index_in_page``.
    """

    def __init__(self, header: list[list], rows: list[list], col_widths: Sequence[float], *,
                 base_style: Sequence[tuple], row_style: Callable[[int, int], list[tuple]] | None = None,
                 font_size: float = 7.5, leading: float = 9.6, _shared: dict | None = None,
                 _start: int = 0) -> None:
        super().__init__()
        self.col_widths = list(col_widths)
        self.width = sum(self.col_widths)
        if _shared is None:
            _shared = {"header": header, "rows": rows, "base": list(base_style), "row_style": row_style,
                       "font_size": font_size, "leading": leading, "heights": None, "cum": None, "header_h": None}
        self._s = _shared
        self._start = _start

    # heights are measured once and shared by every piece of the split
    def _measure(self) -> None:
        s = self._s
        if s["heights"] is not None:
            return
        lead = s["leading"]
        s["header_h"] = sum(cell_height(r, self.col_widths, lead) for r in s["header"])
        heights = [cell_height(r, self.col_widths, lead) for r in s["rows"]]
        s["heights"] = heights
        s["cum"] = [0.0, *accumulate(heights)]

    def _height(self, start: int, end: int) -> float:
        cum = self._s["cum"]
        return self._s["header_h"] + cum[end] - cum[start]

    def wrap(self, availWidth, availHeight):
        self._measure()
        self.height = self._height(self._start, len(self._s["rows"]))
        return self.width, self.height

    def split(self, availWidth, availHeight):
        self._measure()
        s = self._s
        n = len(s["rows"])
        cum = s["cum"]
        room = availHeight - s["header_h"]
        # the last row index whose bottom still fits
        end = bisect_right(cum, cum[self._start] + room + 1e-6) - 1
        if end <= self._start:
            return []
        if end >= n:
            return [self._table(self._start, n)]
        return [self._table(self._start, end),
                RowsTable([], [], self.col_widths, base_style=(), _shared=s, _start=end)]

    def _table(self, start: int, end: int) -> Table:
        s = self._s
        header = s["header"]
        nh = len(header)
        data = [*header, *s["rows"][start:end]]
        heights = [cell_height(r, self.col_widths, s["leading"]) for r in header] + s["heights"][start:end]
        cmds = list(s["base"])
        if s["row_style"] is not None:
            for k, i in enumerate(range(start, end)):
                cmds.extend(s["row_style"](i, nh + k))
        t = Table(data, colWidths=self.col_widths, rowHeights=heights, repeatRows=nh, style=TableStyle(cmds))
        return t

    def draw(self) -> None:
        t = self._table(self._start, len(self._s["rows"]))
        t.wrapOn(self.canv, self.width, self.height)
        t.drawOn(self.canv, 0, 0)


def base_table_style(font_size: float = 7.5, leading: float = 9.6, header_rows: int = 1) -> list[tuple]:
    cmds: list[tuple] = [
        ("FONT", (0, 0), (-1, -1), REGULAR, font_size, leading),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD_X),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD_X),
        ("TOPPADDING", (0, 0), (-1, -1), PAD_Y),
        ("BOTTOMPADDING", (0, 0), (-1, -1), PAD_Y),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("BOX", (0, 0), (-1, -1), 0.9, colors.black),
    ]
    if header_rows:
        cmds += [
            ("FONT", (0, 0), (-1, header_rows - 1), BOLD, font_size, leading),
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEAD_BG),
            ("VALIGN", (0, 0), (-1, header_rows - 1), "MIDDLE"),
            ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.9, colors.black),
        ]
    return cmds


def signature_table(roles: Sequence[str], *, name_label: str, sign_label: str, width: float,
                    names: Sequence[str] | None = None, row_height: float = 26) -> Table:
    """Rows of role | name | signature boxes, tall enough to sign in."""
    widths = [width * 0.2, width * 0.4, width * 0.4]
    header = ["", name_label, sign_label]
    rows: list[list] = [header]
    for i, role in enumerate(roles):
        rows.append([role, (names[i] if names and i < len(names) else ""), ""])
    cmds = base_table_style(8, 10.5) + [
        ("VALIGN", (0, 1), (-1, -1), "MIDDLE"),
        ("FONT", (0, 1), (0, -1), BOLD, 8, 10.5),
        ("BACKGROUND", (0, 1), (0, -1), LABEL_BG),
    ]
    return Table(rows, colWidths=widths, rowHeights=[14] + [row_height] * len(roles), style=TableStyle(cmds),
                 hAlign="LEFT")


def draw_strings(c: Canvas, items: Sequence[tuple[float, float, str, str, float]]) -> None:
    """Draw many short strings (x, y, text, font, size) through one text object (cheaper than
    one ``drawString`` per string)."""
    if not items:
        return
    t = c.beginText()
    cur = None
    for x, y, text, font, size in items:
        if (font, size) != cur:
            t.setFont(font, size)
            cur = (font, size)
        t.setTextOrigin(x, y)
        t.textOut(text)
    c.drawText(t)


class InfoGrid(Flowable):
    """Label/value pairs in two column pairs, drawn directly.

    A pair is ``(label, value, *options)``: option ``"wide"`` spans the row, ``"bold"`` sets the
    value in bold.

    The labels and rules are a shared form (they are the same on every sheet); values that fit
    on one line are drawn as strings, longer ones wrap as escaped paragraphs."""

    FONT_SIZE = 8.0
    ROW_H = 14.5

    def __init__(self, pairs: Sequence[tuple], width: float, *, label_width: float = 60,
                 bold_first: bool = True) -> None:
        super().__init__()
        from .fmt import clean

        self.width = width
        # labels never overflow: the label column grows to the longest label
        longest = max((stringWidth(str(p[0]), BOLD, self.FONT_SIZE - 0.5) for p in pairs), default=0.0)
        label_width = max(label_width, longest + 2 * PAD_X + 3)
        self.label_w = label_width
        self.value_w = (width - 2 * label_width) / 2
        rows: list[list[tuple]] = []
        row: list[tuple] = []
        for pair in pairs:
            opts = set(pair[2:])
            wide = "wide" in opts
            if wide and row:
                rows.append(row)
                row = []
            row.append((pair[0], pair[1], wide, "bold" in opts))
            if wide or len(row) == 2:
                rows.append(row)
                row = []
        if row:
            rows.append(row)
        fs = self.FONT_SIZE
        self.rows: list[tuple[float, list]] = []
        for r_i, r in enumerate(rows):
            cells = []
            h = self.ROW_H
            for k, (label, value, wide, bold) in enumerate(r):
                vw = (width - label_width) if wide else self.value_w
                text = clean(value)
                font = BOLD if (bold or (bold_first and r_i == 0 and k == 0 and wide)) else REGULAR
                if "\n" in text or stringWidth(text, font, fs) > vw - 2 * PAD_X - 1:
                    p = TextLines([(text, font, fs, 0)], leading=1.28)
                    ph = p.wrap(vw - 2 * PAD_X - 1, 10_000)[1]
                    h = max(h, ph + 2 * PAD_Y + 1)
                    cells.append((label, p, wide, font))
                else:
                    cells.append((label, text, wide, font))
            self.rows.append((h, cells))
        self.height = sum(h for h, _ in self.rows)
        sig = tuple((round(h, 2), tuple((c[0], c[2]) for c in cells)) for h, cells in self.rows)
        self.key = "kv" + format(abs(hash((sig, round(width, 2), label_width))), "x")

    def wrap(self, availWidth, availHeight):
        return self.width, self.height

    def _skeleton(self, c: Canvas) -> None:
        from .styles import GRID, LABEL_BG

        lw, vw, W = self.label_w, self.value_w, self.width
        y = self.height
        c.setLineWidth(0.4)
        c.setStrokeColor(GRID)
        labels = []
        for h, cells in self.rows:
            y -= h
            x = 0.0
            for label, _, wide, _ in cells:
                c.setFillColor(LABEL_BG)
                c.rect(x, y, lw, h, stroke=0, fill=1)
                labels.append((x + PAD_X + 1, y + h - PAD_Y - self.FONT_SIZE + 0.5, label, BOLD, self.FONT_SIZE - 0.5))
                x += lw + (W - lw if wide else vw)
            c.line(0, y, W, y)
            c.line(lw, y, lw, y + h)
            if not cells[0][2]:
                c.line(lw + vw, y, lw + vw, y + h)
                c.line(2 * lw + vw, y, 2 * lw + vw, y + h)
        c.setFillColor(colors.black)
        draw_strings(c, labels)
        c.setStrokeColor(colors.black)
        c.setLineWidth(0.9)
        c.rect(0, 0, W, self.height, stroke=1, fill=0)

    def draw(self) -> None:
        c = self.canv
        use_form(c, self.key, self.width, self.height, self._skeleton)
        lw, vw, W = self.label_w, self.value_w, self.width
        y = self.height
        strings = []
        paras = []
        for h, cells in self.rows:
            y -= h
            x = 0.0
            for _, value, wide, font in cells:
                vx = x + lw + PAD_X + 1
                if isinstance(value, str):
                    if value:
                        strings.append((vx, y + h - PAD_Y - self.FONT_SIZE + 0.5, value, font, self.FONT_SIZE))
                else:
                    paras.append((value, vx, y + h - PAD_Y - value.height))
                x += lw + (W - lw if wide else vw)
        c.setFillColor(colors.black)
        draw_strings(c, strings)
        for p, px, py in paras:
            p.drawOn(c, px, py)


def wrap_words(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy word wrap of plain text at spaces; a word wider than ``width`` is cut by characters."""
    lines: list[str] = []
    for para in text.split("\n"):
        words = para.split(" ")
        line = ""
        line_w = 0.0
        space = stringWidth(" ", font, size)
        for word in words:
            if not word:
                continue
            w = stringWidth(word, font, size)
            if line and line_w + space + w <= width:
                line += " " + word
                line_w += space + w
                continue
            if line:
                lines.append(line)
                line, line_w = "", 0.0
            if w <= width:
                line, line_w = word, w
                continue
            chunk = ""
            for ch in word:  # an over-long word (a URL, a run of Hangul without spaces)
                if chunk and stringWidth(chunk + ch, font, size) > width:
                    lines.append(chunk)
                    chunk = ""
                chunk += ch
            line, line_w = chunk, stringWidth(chunk, font, size)
        lines.append(line)
    return lines


class TextLines(Flowable):
    """Plain (never parsed) text in a few styles, word-wrapped: the cheap, markup-free cell.

    ``parts`` are (text, font, size, grey level); each part starts on a new line."""

    def __init__(self, parts: Sequence[tuple[str, str, float, float]], leading: float = 1.25) -> None:
        super().__init__()
        from .fmt import clean

        self.parts = [(clean(t), f, s, g) for t, f, s, g in parts if t]
        self.leading = leading
        self._memo: dict[float, tuple[float, list]] = {}

    def wrap(self, availWidth, availHeight):
        key = round(availWidth, 2)
        hit = self._memo.get(key)
        if hit is None:
            lines = []
            h = 0.0
            for text, font, size, grey in self.parts:
                for line in wrap_words(text, font, size, availWidth):
                    h += size * self.leading
                    lines.append((h, line, font, size, grey))
            hit = self._memo[key] = (h, lines)
        self.width, self.height = availWidth, hit[0]
        self._lines = hit[1]
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        t = c.beginText()
        cur = None
        for y, line, font, size, grey in self._lines:
            if (font, size, grey) != cur:
                t.setFont(font, size)
                t.setFillGray(grey)
                cur = (font, size, grey)
            t.setTextOrigin(0, self.height - y + size * 0.22)
            t.textOut(line)
        c.drawText(t)
