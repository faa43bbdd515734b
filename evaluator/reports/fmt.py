"""Text going into a PDF: escaping for Paragraph markup, and how numbers, money and times read.

Applicant and evaluator text is hostile by assumption (``O<Brien``, ``A & B``, ``<b>``,
``<img src=…>``): everything that reaches a :class:`~reportlab.platypus.Paragraph` goes through
:func:`esc`, which escapes markup and turns line breaks into ``<br/>``; text drawn directly on the
canvas goes through :func:`clean` (no markup there, but control characters must not reach the PDF).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from xml.sax.saxutils import escape as _xml_escape

#: C0/C1 controls except tab and newline (which we turn into spaces / line breaks ourselves)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_NEWLINES = re.compile(r"\r\n|\r|\u2028|\u2029")


def clean(text: object) -> str:
    """Plain text for the canvas: no control characters; CR and CRLF become LF; tabs become spaces."""
    if text is None:
        return ""
    s = str(text)
    if not s:
        return s
    s = _NEWLINES.sub("\n", s).replace("\t", " ")
    return _CONTROL.sub("", s)


def one_line(text: object) -> str:
    """Plain text on a single line (for headers, table cells drawn as strings)."""
    return " ".join(clean(text).split("\n")).strip()


def esc(text: object) -> str:
    """Paragraph markup for untrusted text: every ``<``, ``>``, ``&`` prints literally."""
    s = clean(text)
    if not s:
        return ""
    return _xml_escape(s).replace("\n", "<br/>")


def krw(amount: int | float | None, lang: str = "ko") -> str:
    """``5,000,000원`` (Korean) or ``KRW 5,000,000`` (English); a dash when unknown."""
    if amount is None:
        return "—"
    n = f"{int(round(amount)):,}"
    return f"{n}원" if lang != "en" else f"KRW {n}"


def score(value: float | None, digits: int = 2) -> str:
    """A 0–100 score with fixed decimals."""
    return "—" if value is None else f"{value:.{digits}f}"


def points(value: float | None) -> str:
    """Points as people write them: 16, 7.5."""
    if value is None:
        return "—"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def day(value: date | datetime | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = value.date()
    return value.isoformat()


def wall_time(value: datetime | None) -> str:
    """A time people entered (a visit's date and time): shown as entered."""
    return "—" if value is None else value.strftime("%Y-%m-%d %H:%M")


def _offset(dt: datetime) -> str:
    off = dt.utcoffset()
    if off is None:
        return ""
    minutes = int(off.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    h, m = divmod(abs(minutes), 60)
    return f"UTC{sign}{h:02d}:{m:02d}"


def stamp(value: datetime | None) -> str:
    """A system timestamp (stored as naive UTC) in this machine's local time, with its offset."""
    if value is None:
        return "—"
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    local = value.astimezone()
    return f"{local:%Y-%m-%d %H:%M} ({_offset(local)})"


def now_stamp(now: datetime) -> str:
    """Generation time: ``now`` is aware local time."""
    return f"{now:%Y-%m-%d %H:%M} ({_offset(now)})"


def size(n: int | None) -> str:
    if n is None:
        return "—"
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n / 1024 / 1024:.1f} MB"
