"""Cell value normalisers for intake-style sheets.

Each parser takes a raw cell value (``str``, ``int``, ``float``, ``bool``, ``datetime`` …, never
``None``) and returns the normalised value, or raises :class:`BadValue` with the short reason a
person reads after the cell's location ("'abc' is not an amount").  They are plain functions with
precompiled patterns and a fast path for the common case, because an import calls them once per
cell.

Header texts are compared through :func:`header_key`: NFKC-folded (full-width letters and spaces
become ASCII), bracketed notes such as ``(원)`` or ``[필수]`` dropped, spaces, underscores, dots
and separators removed, case folded — so ``신청금액 (원)``, ``Requested amount`` and
``requested_amount`` all mean the same column.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any
from datetime import date, datetime, timedelta

from ..domain import CATEGORIES, CONFLICT_TYPES, SEOUL_DISTRICTS
from ..messages import SOURCE_LANGUAGE, Message, msg, text


class BadValue(ValueError):
    """A cell value that cannot be read: ``sentence`` is the reason (a message of the core's
    catalogue; ``str(exc)`` renders it), ``code`` and ``params`` say the same as fields
    (``params["value"]`` is the value as the message shows it, quoted).  The problem code is the
    message's unless ``code`` is given (one problem code said in several sentences), and so are the
    params unless ``params`` is given (a sentence that says more than the problem's fields)."""

    def __init__(self, message: Message, code: str | None = None, params: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.sentence = message
        self.code = code or message.code
        self.params = ({k: text(v, SOURCE_LANGUAGE) if isinstance(v, Message) else v for k, v in message.params.items()}
                       if params is None else params)

    def __str__(self) -> str:
        return str(self.sentence)


def show(v: object, limit: int = 40) -> str:
    """A cell value as it appears in a message: quoted and shortened."""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    s = str(v)
    if not s.isprintable():
        s = "".join(ch if ch.isprintable() or ch in "\n" else "⍰" for ch in s)
    if len(s) > limit:
        s = s[: limit - 1] + "…"
    return "'" + s.replace("\n", "⏎") + "'"


# --- keys for matching headers and labels ---------------------------------------------------------
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]|<[^>]*>|（[^）]*）")
_KEY_DROP = re.compile(r"[\s_\-.·ㆍ・/:*※,'\"]+")


def header_key(text: object) -> str:
    """The comparison key of a header text or a label (see module docstring)."""
    s = unicodedata.normalize("NFKC", str(text))
    stripped = _BRACKETS.sub("", s)
    if _KEY_DROP.sub("", stripped):  # a header that is only a bracket keeps its content
        s = stripped
    return _KEY_DROP.sub("", s).casefold()


def label_key(text: object) -> str:
    """The comparison key of a value label (track, category, district, conflict type)."""
    return _KEY_DROP.sub("", unicodedata.normalize("NFKC", str(text))).casefold()


# --- text -----------------------------------------------------------------------------------------
def _number_text(v: int | float) -> str:
    if isinstance(v, float):
        if v.is_integer():
            return str(int(v))
        return repr(v)
    return str(v)


#: OOXML's escape for characters XML cannot hold: ``_x000D_`` is CR, ``_x005F_`` a literal "_"
#: (Excel writes CRLF line breaks as ``_x000D_\n``; openpyxl hands the escapes over undecoded)
_XESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
#: characters no text we store may hold: C0/C1 controls other than the whitespace ones (which
#: become spaces or line breaks), DEL, zero-width space, BOM, lone surrogates, non-characters
_JUNK = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x9f\u200b\ufeff\ud800-\udfff\ufffe\uffff]")
#: characters an identifier may not hold at all (besides _JUNK): other invisible format characters
_ID_JUNK = re.compile("[\x00-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff"
                      "\ud800-\udfff\ufffe\uffff]")


def _unescape(m: re.Match[str]) -> str:
    return chr(int(m.group(1), 16))


def decode_escapes(s: str) -> str:
    """``s`` with OOXML ``_xHHHH_`` escapes decoded (one pass, as Excel reads them)."""
    return _XESCAPE.sub(_unescape, s) if "_x" in s else s


def strip_controls(s: str) -> str:
    """``s`` without control characters, BOMs, zero-width spaces and lone surrogates; line breaks
    and tabs stay.  Escapes (``_x0000_``) are decoded first, so an escaped NUL goes too."""
    if "_x" in s:
        s = decode_escapes(s)
    if s.isprintable():
        return s
    return _JUNK.sub("", s)


def clean_text(v: object) -> str:
    """One line of text: every run of whitespace (full-width U+3000 and NBSP included) → one space;
    control characters (NUL, DEL …, also as ``_x0000_`` escapes), BOMs and zero-width spaces dropped."""
    if type(v) is str:
        if v.isascii() and v.isprintable() and "  " not in v and v[:1] != " " and v[-1:] != " " and "_x" not in v:
            return v
        return " ".join(strip_controls(v).split())
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, (int, float)):
        return _number_text(v)
    if isinstance(v, datetime):
        return v.isoformat(sep=" ") if (v.hour, v.minute, v.second) != (0, 0, 0) else v.date().isoformat()
    if isinstance(v, date):
        return v.isoformat()
    return " ".join(strip_controls(str(v)).split())


def clean_multiline(v: object) -> str:
    """Text that keeps its line breaks; each line cleaned like :func:`clean_text`, blank lines
    at both ends dropped."""
    if type(v) is not str:
        return clean_text(v)
    v = strip_controls(v)
    if "\n" not in v and "\r" not in v:
        return clean_text(v)
    lines = [" ".join(line.split()) for line in v.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip("\n")


def clean_id(v: object) -> str:
    """An identifier (접수번호, evaluator code): no whitespace at all, full-width forms folded.

    A control or invisible format character (NUL, a ``_x0000_`` escape, a zero-width or
    direction-changing character) is refused rather than dropped: two IDs that look the same must
    be the same."""
    if isinstance(v, bool):
        raise BadValue(msg("value.not_id", "{value} is not an identifier", value=show(v)))
    if isinstance(v, float):
        if not v.is_integer():
            raise BadValue(msg("value.not_id", "{value} is not an identifier", value=show(v)))
        return str(int(v))
    if isinstance(v, int):
        return str(v)
    s = str(v)
    if s.isascii():
        if s.isprintable() and " " not in s and "_x" not in s:
            return s  # the common case: keep the very string object (shared with the sheet's string table)
    else:
        s = unicodedata.normalize("NFKC", s)
    s = decode_escapes(s)
    out = "".join(s.split())
    bad = _ID_JUNK.search(out)
    if bad is not None:
        char = f"U+{ord(bad.group()):04X}"
        raise BadValue(msg("value.control_character", "{value} contains an invisible control character ({character}); "
                           "retype the identifier", value=show(_visible(s)), character=char))
    return out


def _visible(s: str) -> str:
    """``s`` with control and format characters shown as ⍰ (for messages)."""
    return _ID_JUNK.sub("⍰", s)


# --- numbers --------------------------------------------------------------------------------------
MAX_AMOUNT = 10**12  # one trillion won: anything larger is a typo
_UNITS = {"억": 10**8, "천만": 10**7, "백만": 10**6, "십만": 10**5, "만": 10**4, "천": 10**3}
_AMOUNT_PREFIX = re.compile(r"^(?:₩|\\|krw|금)")
_AMOUNT_SUFFIX = re.compile(r"(?:원정|원|krw|won)$")
_AMOUNT_GROUP = re.compile(r"(\d[\d,]*(?:\.\d+)?)(억|천만|백만|십만|만|천)")
_PLAIN_NUMBER = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")


def _whole(x: float, v: object) -> int:
    if not math.isfinite(x):
        raise BadValue(msg("value.not_amount", "{value} is not an amount", value=show(v)))
    if not float(x).is_integer():
        raise BadValue(msg("value.not_whole_won", "{value} is not a whole number of won", value=show(v)))
    return int(x)


def parse_amount(v: object) -> int:
    """KRW amounts: ``5000000``, ``5,000,000원``, ``₩5,000,000``, ``500만원``, ``1억 2,000만``."""
    t = type(v)
    if t is int:
        n = v
    elif t is float:
        n = _whole(v, v)  # type: ignore[arg-type]
    elif t is str:
        s = v.replace(",", "")  # type: ignore[union-attr]
        if s[-1:] == "원":  # the usual "5,000,000원"
            s = s[:-1].rstrip()
        if s.isdigit() and s.isascii():
            n = int(s)
        else:
            n = _parse_amount_text(v)  # type: ignore[arg-type]
    else:
        raise BadValue(msg("value.not_amount", "{value} is not an amount", value=show(v)))
    if n < 0:
        raise BadValue(msg("value.negative.amount", "{value} is negative; amounts are 0 or more won", value=show(v)),
                       "value.negative")
    if n > MAX_AMOUNT:
        raise BadValue(msg("value.too_large.amount", "{value} is implausibly large for an amount in won", value=show(v)),
                       "value.too_large")
    return n


def _parse_amount_text(v: str) -> int:
    s = "".join(unicodedata.normalize("NFKC", v).split()).casefold()
    neg = s.startswith("-") or s.startswith("−")
    if neg:
        s = s[1:]
    s = _AMOUNT_SUFFIX.sub("", _AMOUNT_PREFIX.sub("", s))
    if not s:
        raise BadValue(msg("value.not_amount", "{value} is not an amount", value=show(v)))
    total = 0.0
    pos = 0
    matched = False
    for m in _AMOUNT_GROUP.finditer(s):
        if m.start() != pos:
            raise BadValue(msg("value.not_amount", "{value} is not an amount", value=show(v)))
        total += float(m.group(1).replace(",", "")) * _UNITS[m.group(2)]
        pos = m.end()
        matched = True
    rest = s[pos:]
    if rest:
        if not _PLAIN_NUMBER.match(rest):
            raise BadValue(msg("value.not_amount", "{value} is not an amount", value=show(v)))
        total += float(rest.replace(",", ""))
    elif not matched:
        raise BadValue(msg("value.not_amount", "{value} is not an amount", value=show(v)))
    n = _whole(round(total, 6), v)
    return -n if neg else n


_COUNT_TEXT = re.compile(r"^(\d[\d,]*)(?:명|인|people|persons|members)?$")


def parse_count(v: object) -> int:
    """A head count: ``12``, ``12명``, ``12 명``."""
    t = type(v)
    if t is int:
        n = v
    elif t is float:
        if not math.isfinite(v) or not v.is_integer():  # type: ignore[union-attr]
            raise BadValue(msg("value.not_count.whole", "{value} is not a whole number of people", value=show(v)),
                           "value.not_count")
        n = int(v)  # type: ignore[arg-type]
    elif t is str:
        s = "".join(unicodedata.normalize("NFKC", v).split()).casefold()  # type: ignore[arg-type]
        m = _COUNT_TEXT.match(s)
        if m is None:
            raise BadValue(msg("value.not_count", "{value} is not a number of people", value=show(v)))
        n = int(m.group(1).replace(",", ""))
    else:
        raise BadValue(msg("value.not_count", "{value} is not a number of people", value=show(v)))
    if n < 0:  # type: ignore[operator]
        raise BadValue(msg("value.negative", "{value} is negative", value=show(v)))
    if n > 1_000_000:  # type: ignore[operator]
        raise BadValue(msg("value.too_large.count", "{value} is implausibly large for a number of people", value=show(v)),
                       "value.too_large")
    return n  # type: ignore[return-value]


def parse_number(v: object) -> float:
    """A plain number (points): ``16``, ``16.5``, ``16점``."""
    if isinstance(v, bool):
        raise BadValue(msg("value.not_number", "{value} is not a number", value=show(v)))
    if isinstance(v, (int, float)):
        x = float(v)
    else:
        s = "".join(unicodedata.normalize("NFKC", str(v)).split()).casefold().removesuffix("점").removesuffix("points")
        try:
            x = float(s.replace(",", ""))
        except ValueError:
            raise BadValue(msg("value.not_number", "{value} is not a number", value=show(v))) from None
    if not math.isfinite(x):
        raise BadValue(msg("value.not_number", "{value} is not a number", value=show(v)))
    return x


# --- dates ----------------------------------------------------------------------------------------
MIN_YEAR, MAX_YEAR = 1990, 2100
_EXCEL_EPOCH = datetime(1899, 12, 30)
_DATE_TEXT = re.compile(
    r"^(\d{4})\s*[.\-/년]\s*(\d{1,2})\s*[.\-/월]\s*(\d{1,2})\s*[.일]?\s*"
    r"(?:\(\s*[^)]{1,3}\s*\))?\s*(?:[T ]\s*\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def _make_date(y: int, m: int, d: int, v: object) -> date:
    try:
        out = date(y, m, d)
    except ValueError:
        raise BadValue(msg("value.not_date.invalid", "{value} is not a valid date", value=show(v)),
                       "value.not_date") from None
    if not MIN_YEAR <= out.year <= MAX_YEAR:
        raise BadValue(msg("value.not_date.year", "{value} is not a plausible date (year {year})", value=show(v),
                           year=out.year), "value.not_date", {"value": show(v)})
    return out


def parse_date(v: object) -> date:
    """Dates: date cells, ``2012.04.12``, ``2012. 4. 12.``, ``2012-04-12``, ``2012/4/12``,
    ``2012년 4월 12일``, ``20120412`` and Excel serial numbers (``41011``)."""
    if isinstance(v, datetime):
        return _make_date(v.year, v.month, v.day, v)
    if isinstance(v, date):
        return _make_date(v.year, v.month, v.day, v)
    if isinstance(v, bool):
        raise BadValue(msg("value.not_date.plain", "{value} is not a date", value=show(v)), "value.not_date")
    if isinstance(v, (int, float)):
        if not math.isfinite(v):
            raise BadValue(msg("value.not_date.plain", "{value} is not a date", value=show(v)), "value.not_date")
        if 19000101 <= v <= 21001231 and float(v).is_integer():
            n = int(v)
            return _make_date(n // 10000, n // 100 % 100, n % 100, v)
        if 1 <= v < 2958466:  # an Excel serial day number (1900 date system)
            d = (_EXCEL_EPOCH + timedelta(days=int(v))).date()
            return _make_date(d.year, d.month, d.day, v)
        raise BadValue(msg("value.not_date.plain", "{value} is not a date", value=show(v)), "value.not_date")
    s = str(v)
    if not s.isascii():
        s = unicodedata.normalize("NFKC", s)
    s = s.strip()
    m = _DATE_TEXT.match(s) or _DATE_COMPACT.match(s)
    if m is None:
        raise BadValue(msg("value.not_date", "{value} is not a date (use 2012-04-12 or 2012.04.12)", value=show(v)))
    return _make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)), v)


# --- contact details ------------------------------------------------------------------------------
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def parse_email(v: object) -> str:
    s = clean_text(v)
    if not _EMAIL.match(s):
        raise BadValue(msg("value.not_email", "{value} is not an e-mail address", value=show(v)))
    return s


def parse_phone(v: object) -> str:
    """Phone numbers stay text; a number cell that lost its leading 0 (``1012345678``) gets it back."""
    if isinstance(v, bool):
        raise BadValue(msg("value.not_phone", "{value} is not a phone number", value=show(v)))
    if isinstance(v, (int, float)):
        if isinstance(v, float) and not v.is_integer():
            raise BadValue(msg("value.not_phone", "{value} is not a phone number", value=show(v)))
        s = str(int(v))
        if 8 <= len(s) <= 10:
            s = "0" + s
        return s
    s = clean_text(v)
    if sum(map(str.isdigit, s)) < 7:
        raise BadValue(msg("value.not_phone", "{value} is not a phone number", value=show(v)))
    return s


# --- labelled values ------------------------------------------------------------------------------
class LabelParser:
    """Maps labels (Korean, English, code; spacing and case insensitive) to a code."""

    def __init__(self, what: str | Message, choices: dict[str, Iterable[str]], allowed_hint: str) -> None:
        self.what = what
        self.hint = allowed_hint
        self._map: dict[str, str] = {}
        for code, labels in choices.items():
            for lab in (code, *labels):
                k = label_key(lab)
                if k:
                    self._map.setdefault(k, code)
        self._exact = {lab: code for code, labels in choices.items() for lab in (code, *labels)}

    def __call__(self, v: object) -> str:
        if type(v) is str:
            hit = self._exact.get(v)
            if hit is not None:
                return hit
        code = self._map.get(label_key(clean_text(v)))
        if code is None:
            raise BadValue(msg("value.unknown_label", "{value} is not a known {what}; use one of {allowed}",
                               value=show(v), what=self.what, allowed=self.hint))
        return code


def category_parser(categories: Iterable[tuple[str, str, str, Iterable[str]]] | None = None) -> LabelParser:
    """A program's categories by code, Korean or English label or alias (and each part of a label
    written ``마을카페·모임``); without ``categories``: the Community Building Project's."""
    if categories is None:
        categories = [(code, ko, en, ()) for code, (ko, en) in CATEGORIES.items()]
    categories = list(categories)
    choices: dict[str, list[str]] = {}
    for code, ko, en, aliases in categories:
        parts = [ko, en, *aliases] + re.split(r"[·/]", ko) + re.split(r"\s*/\s*", en)
        choices[code] = [p for p in parts if p.strip()]
    hint = ", ".join(f"{ko} ({code})" for code, ko, _en, _a in categories)
    return LabelParser(msg("value.what.category", "category"), choices, hint)


# --- a program's typed intake fields (docs/programs.md) -------------------------------------------
_INTEGER_TEXT = re.compile(r"^([+-]?\d[\d,]*)(?:[가-힣]{1,2})?$")
_YEAR_TEXT = re.compile(r"^(\d{4})(?:년|년도)?$")
_TRUE = {"y", "yes", "o", "v", "✓", "✔", "예", "네", "있음", "유", "해당", "true", "t", "1", "참"}
_FALSE = {"n", "no", "x", "-", "아니오", "아니요", "없음", "무", "해당없음", "미해당", "false", "f", "0", "거짓"}


def parse_integer(v: object) -> int:
    """A whole number: ``12``, ``1,200``, ``12개``."""
    if isinstance(v, bool):
        raise BadValue(msg("value.not_integer", "{value} is not a whole number", value=show(v)))
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        if not math.isfinite(v) or not v.is_integer():
            raise BadValue(msg("value.not_integer", "{value} is not a whole number", value=show(v)))
        return int(v)
    t = "".join(unicodedata.normalize("NFKC", str(v)).split())
    m = _INTEGER_TEXT.match(t)
    if m is None:
        raise BadValue(msg("value.not_integer", "{value} is not a whole number", value=show(v)))
    return int(m.group(1).replace(",", ""))


def parse_year(v: object) -> int:
    """A year: ``2010``, ``2010년``, or a date cell (its year)."""
    if isinstance(v, (date, datetime)):
        y = v.year
    elif isinstance(v, bool):
        raise BadValue(msg("value.not_year", "{value} is not a year", value=show(v)))
    elif isinstance(v, (int, float)):
        if not math.isfinite(v) or not float(v).is_integer():
            raise BadValue(msg("value.not_year", "{value} is not a year", value=show(v)))
        y = int(v)
    else:
        m = _YEAR_TEXT.match("".join(unicodedata.normalize("NFKC", str(v)).split()))
        if m is None:
            raise BadValue(msg("value.not_year.example", "{value} is not a year (e.g. 2010)", value=show(v)),
                           "value.not_year")
        y = int(m.group(1))
    if not 1800 <= y <= 2100:
        raise BadValue(msg("value.not_year.plausible", "{value} is not a plausible year", value=show(v)), "value.not_year")
    return y


def parse_boolean(v: object) -> bool:
    """Yes or no: ``Y``/``N``, ``O``/``X``, ``예``/``아니오``, ``있음``/``없음``, TRUE/FALSE, 1/0."""
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)) and v in (0, 1):
        return bool(v)
    k = label_key(clean_text(v))
    if k in _TRUE:
        return True
    if k in _FALSE:
        return False
    raise BadValue(msg("value.not_boolean", "{value} is not yes or no (예/아니오, Y/N, O/X)", value=show(v)))


def field_parser(kind: str, values: Iterable[str] = (), what: str = "value") -> Callable[[object], Any]:
    """The parser of a typed intake field: its value as stored (JSON: dates as ISO text)."""
    if kind == "integer":
        return parse_integer
    if kind == "money":
        return parse_amount
    if kind == "decimal":
        return parse_number
    if kind == "date":
        return lambda v: parse_date(v).isoformat()
    if kind == "year":
        return parse_year
    if kind == "boolean":
        return parse_boolean
    if kind == "choice":
        values = list(values)
        return LabelParser(what, {value: [] for value in values}, ", ".join(values))
    return clean_text


_SEOUL_PREFIX = re.compile(r"^(?:서울특별시|서울시|서울|seoul(?:city)?)")


def district_parser(districts: dict[str, str] | None = None) -> Callable[[object], str]:
    """Seoul's districts by Korean (``종로구``, ``종로``) or English name (``Jongno-gu``, ``Jongno``),
    with or without a ``서울특별시`` prefix; returns the Korean name."""
    districts = districts or SEOUL_DISTRICTS
    table: dict[str, str] = {}
    for ko, en in districts.items():
        for lab in (ko, en, ko.removesuffix("구") if len(ko) > 2 else ko, en.removesuffix("-gu")):
            table.setdefault(label_key(lab), ko)
    exact = {**{ko: ko for ko in districts}, **{en: ko for ko, en in districts.items()}}

    def parse(v: object) -> str:
        if type(v) is str:
            hit = exact.get(v)
            if hit is not None:
                return hit
        k = _SEOUL_PREFIX.sub("", label_key(clean_text(v)))
        hit = table.get(k)
        if hit is None:
            raise BadValue(msg("value.not_district", "{value} is not one of Seoul's {districts} districts (e.g. 종로구 "
                               "or Jongno-gu)", value=show(v), districts=len(districts)))
        return hit

    return parse


def evaluator_district(v: object) -> str:
    """An evaluator's district: a Seoul district by any of its names, stored in Korean as the
    applications have it (so likely conflicts of interest are found), else the place as written (an
    evaluator may live elsewhere).  The one rule for a sheet's evaluators and for one added by hand."""
    try:
        return _SEOUL_EVALUATOR(v)
    except BadValue:
        return clean_text(v)


_SEOUL_EVALUATOR = district_parser()


_CONFLICT_LABELS = {
    "personal": ["개인", "개인적", "친인척", "가족", "personal"],
    "professional": ["업무", "업무상", "직업", "직무", "professional"],
    "financial": ["재정", "재정적", "금전", "금전적", "financial"],
    "institutional": ["기관", "소속", "소속기관", "institutional"],
    "other": ["기타", "other", "y", "yes", "o", "v", "✓", "✔", "예", "있음", "해당", "true", "1"],
}
_NO_CONFLICT = {label_key(x) for x in ("", "n", "no", "x", "-", "아니오", "아니요", "없음", "해당없음", "false", "0")}
_conflict = LabelParser(
    msg("value.what.conflict_type", "conflict type"), _CONFLICT_LABELS, ", ".join(CONFLICT_TYPES) + " (or 개인/업무/재정/기관/기타)"
)


def parse_conflict(v: object) -> str | None:
    """A conflict-of-interest type, or ``None`` for 'no conflict' (blank, N, 없음, …)."""
    if label_key(clean_text(v)) in _NO_CONFLICT:
        return None
    return _conflict(v)
