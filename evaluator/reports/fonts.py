"""The Korean font every report embeds: Nanum Gothic (SIL OFL, ``resources/fonts``).

reportlab embeds TrueType fonts as subsets (``AAAAAA+NanumGothic``), so the PDFs never depend on
fonts installed on the reader's machine.  Registration parses the TTF files, which takes a moment:
it happens once per process, under a lock (the GUI renders on a worker thread).
"""

from __future__ import annotations

import threading

from ..errors import EvaluatorError
from ..messages import msg
from ..paths import resource

REGULAR = "NanumGothic"
BOLD = "NanumGothic-Bold"

_lock = threading.Lock()
_registered = False


def register_fonts() -> None:
    """Register Nanum Gothic (regular and bold, mapped as one family) with reportlab, once."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        from reportlab.lib.fonts import addMapping
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont, TTFError

        for name, file in ((REGULAR, "NanumGothic.ttf"), (BOLD, "NanumGothicBold.ttf")):
            path = resource("fonts", file)
            try:
                pdfmetrics.registerFont(TTFont(name, str(path)))
            except (OSError, TTFError) as exc:
                raise EvaluatorError(msg("reports.font", "The report font {path} cannot be loaded ({error}); reinstall "
                                         "the application.", path=str(path), error=str(exc))) from None
        # <b> inside our own markup (labels) maps to the bold face; italics fall back to upright
        addMapping(REGULAR, 0, 0, REGULAR)
        addMapping(REGULAR, 1, 0, BOLD)
        addMapping(REGULAR, 0, 1, REGULAR)
        addMapping(REGULAR, 1, 1, BOLD)
        addMapping(BOLD, 0, 0, BOLD)
        addMapping(BOLD, 1, 0, BOLD)
        addMapping(BOLD, 0, 1, BOLD)
        addMapping(BOLD, 1, 1, BOLD)
        _registered = True

