"""The page frame every report shares: A4, running header and footer, page X of Y, DRAFT marks.

* Header (every page): the program on the left, the document title on the right.
* Footer (every page): generation time and document ID on the left, the current section (the
  application or sheet the page belongs to) in the middle, "page X of Y" on the right; below them
  the database's last audit anchor (short hash of the signed audit-trail head, the key's
  fingerprint, the time — :mod:`evaluator.audit.anchors`), so a printout names the state of the
  audit trail it was made from.
* "Y" is only known at the end, so the canvas keeps each finished page and draws the header and
  footer when the document is saved (the NumberedCanvas pattern: one layout pass, no rebuild).
* :class:`Section` markers in the story name the section and say whether its pages carry the
  DRAFT watermark (a filled sheet whose evaluation is not finalised).
* The file appears only when complete: the PDF is written to a temporary file beside the target
  and renamed; a cancelled or failed build leaves nothing behind.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from ..heap import gc_paused
from ..jobs import NEVER, CancelToken, Progress, no_progress
from ..messages import msg
from ..outfile import NotAPdfName, atomic_output
from ..version import __version__
from .fmt import now_stamp, one_line
from .fonts import BOLD, REGULAR, register_fonts
from .labels import Labels
from .styles import FRAME_HEIGHT, FRAME_WIDTH, MARGIN_BOTTOM, MARGIN_TOP, MARGIN_X, MUTED, PAGE, RULE, SOFT_BG

# Binary (Flate) streams instead of reportlab's legacy ASCII85 wrapping: 20 % smaller files and
# no pure-Python base-85 pass over every page.
rl_config.useA85 = 0

#: baselines of the footer's two lines (points above the page's bottom edge)
FOOTER_Y = MARGIN_BOTTOM - 8.6 * 2.83465
ANCHOR_Y = FOOTER_Y - 7
#: a page banner (an unfinished round's committee summary): its box's height and the room it takes
BANNER_H = 15
BANNER_SPACE = BANNER_H + 6


def document_id(kind: str, generated: datetime, *parts: object) -> str:
    """A short ID printed on every page: a hash of the document kind, its content and the time."""
    h = hashlib.blake2b(digest_size=6)
    h.update(kind.encode())
    h.update(generated.isoformat().encode())
    for p in parts:
        h.update(b"\x1f")
        h.update(repr(p).encode("utf-8", "surrogatepass"))
    d = h.hexdigest().upper()
    return f"{d[:4]}-{d[4:8]}-{d[8:]}"


class Section(Flowable):
    """A zero-size marker: the pages from here on belong to ``label`` (DRAFT-marked if ``draft``)."""

    _ZEROSIZE = 1

    def __init__(self, label: str, *, draft: bool = False) -> None:
        super().__init__()
        self.label, self.draft = label, draft
        self.width = self.height = 0

    def wrap(self, availWidth, availHeight):
        return 0, 0

    def draw(self) -> None:
        c = self.canv
        c._section = (self.label, self.draft, c.getPageNumber())  # type: ignore[attr-defined]


class Tick(Flowable):
    """A zero-size marker that reports progress and honours cancellation while pages are laid out."""

    _ZEROSIZE = 1

    def __init__(self, fraction: float, message: str, progress: Progress, cancel: CancelToken) -> None:
        super().__init__()
        self.fraction, self.message, self.progress, self.cancel = fraction, message, progress, cancel
        self.width = self.height = 0

    def wrap(self, availWidth, availHeight):
        self.cancel.raise_if_cancelled()
        return 0, 0

    def draw(self) -> None:
        self.progress(self.fraction, self.message)


class ReportCanvas(Canvas):
    """Keeps finished pages until the end so each can say "page X of Y"."""

    def __init__(self, *args, decorate: Callable[[Canvas, int, int], None], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._decorate = decorate
        self._pages: list[dict] = []
        self._section = None

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for n, state in enumerate(self._pages, 1):
            self.__dict__.update(state)
            self._decorate(self, n, total)
            Canvas.showPage(self)
        self._pages = []
        Canvas.save(self)


class ReportDocument:
    """Build one report: ``ReportDocument(path, …).build(story)``."""

    def __init__(self, path: str | Path, *, kind: str, title: str, program: str, labels: Labels,
                 generated: datetime, doc_id: str, subject: str = "", anchor: Any = None, banner: str = "") -> None:
        """``banner``: one line boxed at the top of every page (the body starts below it)."""
        self.path = Path(path)
        if self.path.suffix and self.path.suffix.lower() != ".pdf":  # (as a workbook must be .xlsx)
            raise NotAPdfName(msg("reports.not_pdf_target", "Cannot write {file}: reports are PDF files "
                                  "(.pdf).", file=self.path.name))
        register_fonts()
        self.banner = banner
        self.kind, self.title, self.program, self.L = kind, title, program, labels
        self.generated, self.doc_id, self.subject = generated, doc_id, subject
        self.pages = 0
        self._left_footer = f"{labels('hf.generated')} {now_stamp(generated)} · {labels('hf.doc_id')} {doc_id}"
        self._anchor_footer = anchor_line(anchor, labels)

    # --- decoration ----------------------------------------------------------------------------
    # The parts that are the same on every page (program, title, rules, generation time and ID,
    # the DRAFT watermark) are forms drawn once; each page adds its number and section.
    def _decorate(self, c: Canvas, n: int, total: int) -> None:
        from .blocks import draw_strings, use_form

        L = self.L
        w, h = PAGE
        left, right = MARGIN_X, w - MARGIN_X
        section = getattr(c, "_section", None)
        c.saveState()
        if section is not None and section[1]:
            self._watermark(c)  # not a form: reportlab forms cannot carry the transparency it needs
        use_form(c, "hf", w, h, self._static_frame)
        fy = FOOTER_Y
        page_text = L("hf.page", n=n) + L("hf.pages_suffix", n=total)
        pw = stringWidth(page_text, BOLD, 7.5)
        items = [(right - pw, fy, page_text, BOLD, 7.5)]
        if section is not None and section[0]:
            label = section[0] if section[2] == n else f"{section[0]} ({L('hf.cont')})"
            room = right - left - self._footer_w - pw - 24
            label = _fit(label, BOLD, 7, room)
            mid = left + self._footer_w + 12 + room / 2
            items.append((mid - stringWidth(label, BOLD, 7) / 2, fy, label, BOLD, 7))
        c.setFillColor(colors.black)
        draw_strings(c, items)
        if self.banner:
            self._banner(c)
        c.restoreState()

    def _banner(self, c: Canvas) -> None:
        top = MARGIN_BOTTOM + FRAME_HEIGHT
        c.setFillColor(SOFT_BG)
        c.setStrokeColor(colors.black)
        c.setLineWidth(1.2)
        c.rect(MARGIN_X, top - BANNER_H, FRAME_WIDTH, BANNER_H, stroke=1, fill=1)
        c.setFillColor(colors.black)
        text = _fit(self.banner, BOLD, 8, FRAME_WIDTH - 8)
        c.setFont(BOLD, 8)
        c.drawCentredString(MARGIN_X + FRAME_WIDTH / 2, top - BANNER_H + 4.6, text)

    @property
    def _footer_w(self) -> float:
        return stringWidth(self._left_footer, REGULAR, 6.5)

    def _static_frame(self, c: Canvas) -> None:
        w, h = PAGE
        left, right = MARGIN_X, w - MARGIN_X
        y = h - MARGIN_TOP + 6.5 * 2.83465
        c.setFillColor(colors.black)
        c.setFont(BOLD, 8.5)
        tw = stringWidth(self.title, BOLD, 8.5)
        c.drawRightString(right, y, self.title)
        c.setFont(REGULAR, 7.5)
        c.drawString(left, y, _fit(self.program, REGULAR, 7.5, right - left - tw - 12))
        c.setStrokeColor(RULE)
        c.setLineWidth(0.6)
        c.line(left, y - 3.5, right, y - 3.5)
        fy = FOOTER_Y
        c.line(left, fy + 9, right, fy + 9)
        c.setFillColor(MUTED)
        c.setFont(REGULAR, 6.5)
        c.drawString(left, fy, self._left_footer)
        c.setFont(REGULAR, 5.5)
        c.drawString(left, ANCHOR_Y, _fit(self._anchor_footer, REGULAR, 5.5, right - left))

    def _watermark(self, c: Canvas) -> None:
        L = self.L
        w, h = PAGE
        c.saveState()
        c.setFillColor(colors.Color(0.5, 0.5, 0.5), alpha=0.22)
        c.translate(w / 2, h / 2)
        c.rotate(35)
        c.setFont(BOLD, 110)
        c.drawCentredString(0, -20, L("draft.mark"))
        c.setFont(BOLD, 13)
        c.drawCentredString(0, -52, L("draft.sub"))
        c.restoreState()

    # --- build ----------------------------------------------------------------------------------
    def build(self, story: list[Flowable], *, progress: Progress = no_progress, cancel: CancelToken = NEVER) -> Path:
        """Lay out ``story`` and write the PDF atomically; returns the path written."""
        target = self.path
        with atomic_output(target) as tmp:  # a failure (full disk, file open in a viewer) leaves nothing
            doc = BaseDocTemplate(
                str(tmp), pagesize=PAGE, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
                bottomMargin=MARGIN_BOTTOM, title=f"{self.title} — {self.program}", author="Maeul Evaluator",
                subject=self.subject or self.title, creator=f"Maeul Evaluator {__version__}",
                keywords=[self.doc_id], initialFontName=REGULAR, initialFontSize=9, lang=self.L.lang,
            )
            height = FRAME_HEIGHT - (BANNER_SPACE if self.banner else 0)
            frame = Frame(MARGIN_X, MARGIN_BOTTOM, FRAME_WIDTH, height, leftPadding=0, rightPadding=0,
                          topPadding=0, bottomPadding=0, id="body")
            doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
            # Layout allocates millions of small objects that all stay alive until the end; the
            # cyclic collector would rescan them again and again (time growing faster than the
            # document).  Nothing here needs it mid-build; afterwards what was built is moved out of
            # the young generation at once (gc_paused), or the first collection after the build
            # would walk all of it with the GIL held (a 44 ms stall of the desktop app's window).
            with gc_paused():
                doc.build(story, canvasmaker=partial(ReportCanvas, decorate=self._decorate))
            self.pages = doc.page
            cancel.raise_if_cancelled()
        progress(1.0, "")
        return target


def anchor_line(anchor: Any, L: Labels) -> str:
    """The footer's audit line: the last anchor (an :class:`evaluator.audit.anchors.AnchorInfo`)
    as short hash, key fingerprint and time (UTC), or that the trail is not signed yet."""
    if anchor is None:
        return L("hf.no_anchor")
    return (f"{L('hf.anchor')} {anchor.short_head} · {L('hf.anchor_key')} {anchor.key_fingerprint} · "
            f"{anchor.at:%Y-%m-%d %H:%M} UTC")


def _fit(text: str, font: str, size: float, width: float) -> str:
    """``text`` shortened with an ellipsis to fit ``width`` points."""
    text = one_line(text)
    if width <= 0:
        return ""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def ticks(n: int, label: Callable[[int], str], progress: Progress, cancel: CancelToken,
          start: float = 0.1, end: float = 0.98) -> Iterable[Tick]:
    """One :class:`Tick` per unit of work, spreading ``start..end`` of the progress bar."""
    for i in range(n):
        yield Tick(start + (end - start) * (i + 1) / max(n, 1), label(i), progress, cancel)
