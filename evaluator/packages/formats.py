"""Shared pieces of the kit and package formats: JSON, timestamps, hashes, record snapshots and a
small strict validator for what arrives from another machine."""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import orjson

from ..messages import Message, msg, text

KIT_FORMAT = "maeul-evaluator-kit"
PACKAGE_FORMAT = "maeul-evaluator-package"
#: the format version of kits (and of result packages made before PACKAGE_VERSION)
FORMAT_VERSION = 1
#: the format version of the result packages a laptop makes (docs/package-format.md): version 2
#: signs the laptop's audit.json also as stored (compressed), so a merge need not inflate it
PACKAGE_VERSION = 2
#: the result package versions a merge reads
PACKAGE_VERSIONS = (1, 2)
#: how the refusal of another version names those (its {supported})
PACKAGE_VERSIONS_SHOWN = "1–2"
SIGNING_CONTEXT = b"maeul-evaluator package manifest v1\n"
#: a result package's scores are arrays of these, in this order (data.json "score_columns")
SCORE_COLUMNS = ("uuid", "criterion", "level", "points", "comment", "version", "updated_at")


def dumps(obj: Any) -> bytes:
    """Canonical JSON bytes (sorted keys, UTF-8, no whitespace)."""
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def iso(v: datetime | date | None) -> str | None:
    if v is None:
        return None
    if isinstance(v, datetime):
        return v.isoformat(timespec="microseconds")
    return v.isoformat()


def parse_dt(v: Any) -> datetime | None:
    return None if v is None else datetime.fromisoformat(v)


def parse_date(v: Any) -> date | None:
    return None if v is None else date.fromisoformat(v)


# --- record snapshots (content compared and hashed by the merge) ----------------------------------
def score_value(level: str | None, points: float | None, comment: str | None) -> dict[str, Any]:
    return {"level": level, "points": None if points is None else float(points), "comment": comment or ""}


def evaluation_values(state: str, abstained: bool, abstain_reason: str, comment: str,
                      scores: dict[str, dict[str, Any]], finalised_at: str | None = None) -> dict[str, Any]:
    """An evaluation's content: its state, abstention, comment and every non-empty score."""
    kept = {c: v for c, v in scores.items() if not (v["level"] is None and v["points"] is None and not v["comment"])}
    return {"state": state, "abstained": bool(abstained), "abstain_reason": abstain_reason or "",
            "comment": comment or "", "scores": dict(sorted(kept.items())), "finalised_at": finalised_at}


def visit_values(visited_at: str | None, attendees: str, checklist: dict[str, Any], notes: str) -> dict[str, Any]:
    return {"visited_at": visited_at, "attendees": attendees or "",
            "checklist": {k: bool(v) for k, v in sorted((checklist or {}).items())}, "notes": notes or ""}


def evaluation_hash(state: str, abstained: bool, abstain_reason: str, comment: str,
                    scores: dict[str, tuple[str | None, float | None, str]]) -> str:
    """Hash of an evaluation's content (not of when it was finalised: two laptops finalising the
    same scores agree).  Empty scores (no level, no points, no comment) do not count."""
    items = sorted((c, lv, None if p is None else float(p), m or "") for c, (lv, p, m) in scores.items()
                   if not (lv is None and p is None and not m))
    return hashlib.sha256(repr((state, bool(abstained), abstain_reason or "", comment or "", items))
                          .encode("utf-8")).hexdigest()


def visit_hash(visited_at: str | None, attendees: str, checklist: dict[str, Any], notes: str) -> str:
    return hashlib.sha256(repr((visited_at, attendees or "", sorted((k, bool(v)) for k, v in (checklist or {}).items()),
                                notes or "")).encode("utf-8")).hexdigest()


def content_hash(values: dict[str, Any]) -> str:
    """:func:`evaluation_hash` or :func:`visit_hash` of a snapshot made by the functions above."""
    if "scores" in values:
        return evaluation_hash(values["state"], values["abstained"], values["abstain_reason"], values["comment"],
                               {c: (v["level"], v["points"], v["comment"]) for c, v in values["scores"].items()})
    return visit_hash(values["visited_at"], values["attendees"], values["checklist"], values["notes"])


def is_empty_evaluation(state: str, abstained: bool, comment: str, scores: dict[str, tuple]) -> bool:
    return (state == "draft" and not abstained and not comment
            and all(lv is None and p is None and not m for lv, p, m in scores.values()))


# --- strict validation of foreign JSON ------------------------------------------------------------
class Invalid(ValueError):
    """A located problem in a kit's or package's JSON (the caller adds the file name).

    Its ``sentence`` is a message of the core's catalogue; ``str()`` renders it in the language in
    effect (an error that quotes it passes ``sentence`` on as a parameter)."""

    def __init__(self, sentence: Message | str) -> None:
        super().__init__(sentence)
        self.sentence = sentence

    def __str__(self) -> str:
        return text(self.sentence) or ""


def need(obj: Any, key: str, kind: type | tuple[type, ...], where: str, *, optional: bool = False) -> Any:
    if not isinstance(obj, dict):
        raise Invalid(msg("packages.json.not_object", "{where} is not an object", where=where))
    if key not in obj:
        if optional:
            return None
        raise Invalid(msg("packages.json.no_key", "{where} has no '{key}'", where=where, key=key))
    v = obj[key]
    if v is None and optional:
        return None
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if float in kinds and isinstance(v, int) and not isinstance(v, bool):
        v = float(v)
    if isinstance(v, bool) and bool not in kinds:
        raise Invalid(msg("packages.json.wrong_type", "{where}.{key} has the wrong type", where=where, key=key))
    if not isinstance(v, kinds):
        raise Invalid(msg("packages.json.wrong_type_named", "{where}.{key} has the wrong type ({kind})", where=where,
                          key=key, kind=type(v).__name__))
    if isinstance(v, float) and not math.isfinite(v):
        raise Invalid(msg("packages.json.not_finite", "{where}.{key} is not a finite number", where=where, key=key))
    if isinstance(v, str) and len(v) > 100_000:
        raise Invalid(msg("packages.json.too_long", "{where}.{key} is too long", where=where, key=key))
    return v


def need_date(obj: Any, key: str, where: str) -> str | None:
    v = need(obj, key, str, where, optional=True)
    if v is None:
        return None
    try:
        date.fromisoformat(v)
    except ValueError:
        raise Invalid(msg("packages.json.not_date", "{where}.{key} is not a date", where=where, key=key)) from None
    return v


def items(obj: Any, key: str, where: str) -> list[Any]:
    v = need(obj, key, list, where)
    return v


# --- bounded JSON -------------------------------------------------------------------------------
@dataclass(frozen=True)
class JsonLimits:
    """What a JSON member from another machine may be, checked on its bytes before it is parsed:
    its size, how deeply its arrays and objects nest, and how many values it holds."""

    max_bytes: int
    max_depth: int
    max_values: int


#: a key file or public key file (a handful of short fields)
KEY_LIMITS = JsonLimits(max_bytes=64 * 1024, max_depth=4, max_values=1_000)
#: the signed manifest of a package (its ``members`` map lists at most 20,000 members)
MANIFEST_LIMITS = JsonLimits(max_bytes=4 * 1024 * 1024, max_depth=8, max_values=100_000)
#: a package's data.json (a record is at most 5 levels deep: data → evaluations → one → scores → one)
DATA_LIMITS = JsonLimits(max_bytes=256 * 1024 * 1024, max_depth=16, max_values=5_000_000)
#: a package's audit.json (the laptop's audit trail: one entry per change, each with its old and new values)
AUDIT_LIMITS = JsonLimits(max_bytes=256 * 1024 * 1024, max_depth=32, max_values=10_000_000)
#: anything else (a kit's members, an envelope header)
DEFAULT_LIMITS = JsonLimits(max_bytes=256 * 1024 * 1024, max_depth=32, max_values=5_000_000)

_ESCAPED_BACKSLASH, _ESCAPED_QUOTE = b"\\\\", b'\\"'
#: every byte but the quote and the structural characters (deleted to get a member's skeleton)
_NOT_STRUCTURE = bytes(b for b in range(256) if b not in b'"[]{},')
_NOT_QUOTE_OR_BRACKET = bytes(b for b in range(256) if b not in b'"[]{}')
_ONE_BRACKET = bytes.maketrans(b"{}", b"[]")


def json_shape(data: bytes, max_depth: int = 64) -> tuple[int, int]:
    """(nesting depth, number of values) of the JSON text ``data``, from its bytes alone, in a few
    passes of C-speed byte operations (no parsing, no recursion); a depth over ``max_depth`` is
    reported as ``max_depth + 1``.

    Escaped backslashes and quotes are removed first, so every remaining quote opens or closes a
    string; everything but quotes, brackets, braces and commas is deleted; then the characters
    inside strings (those after an odd number of quotes) are dropped.  What is left is the
    skeleton, e.g. ``[{,,[,]},{,,[]}]``: its commas and openings count the values (an upper bound
    for an object, whose commas separate members), and peeling its innermost empty pairs, one
    layer a pass, measures the depth.  For text that is not JSON the figures are meaningless but
    still bounded; the parser that runs afterwards says what is wrong."""
    skeleton = _skeleton(data, _NOT_STRUCTURE)
    return _depth(skeleton, max_depth), skeleton.count(b"[") + skeleton.count(b"{") + skeleton.count(b",") + 1


def json_depth(data: bytes, max_depth: int = 64) -> int:
    """:func:`json_shape`'s depth alone (a skeleton without commas: quicker)."""
    return _depth(_skeleton(data, _NOT_QUOTE_OR_BRACKET), max_depth)


def _skeleton(data: bytes, not_kept: bytes) -> bytes:
    if b"\\" in data:
        data = data.replace(_ESCAPED_BACKSLASH, b"").replace(_ESCAPED_QUOTE, b"")
    skeleton = data.translate(None, not_kept)
    quotes = skeleton.count(b'"')
    if quotes and quotes == 2 * skeleton.count(b'""'):
        # every string is an adjacent pair of quotes: none holds a kept character
        return skeleton.translate(None, b'"')
    skeleton = skeleton.replace(b'""', b"")  # (removing two adjacent quotes keeps every other byte's parity)
    if b'"' in skeleton:
        skeleton = b"".join(skeleton.split(b'"')[0::2])
    return skeleton


def _depth(skeleton: bytes, max_depth: int) -> int:
    brackets = skeleton.translate(_ONE_BRACKET, b",")  # objects and arrays alike: [ and ]
    depth = 0
    while brackets and depth <= max_depth:
        peeled = brackets.replace(b"[]", b"")
        if len(peeled) == len(brackets):  # unbalanced: not JSON (the parser will say so)
            break
        brackets, depth = peeled, depth + 1
    return depth + (1 if brackets else 0)


#: the innermost object, or array, of a skeleton whose own contents are collapsed already
_INNER_OBJECT, _INNER_ARRAY = re.compile(rb"\{[,ao]*\}"), re.compile(rb"\[[,ao]*\]")
#: a list of objects, each collapsed
_LIST_OF_OBJECTS = re.compile(rb"\[o(?:,o)*\]")


def objects_in_list(data: bytes, what: str, limits: JsonLimits) -> int | None:
    """:func:`loads`' checks before parsing (size, nesting depth, number of values: :class:`Invalid`
    when beyond ``limits``), then how many elements the JSON text ``data`` has when it is a list
    whose every element is an object — from its bytes alone, without parsing it: :func:`json_shape`'s
    skeleton, each innermost object or array collapsed to one letter, a layer a pass.  None when it
    is not such a list, or not JSON (the parser then says what is wrong).  Only the outline: the
    parser alone decides whether the text is JSON."""
    if len(data) > limits.max_bytes:
        raise Invalid(msg("packages.json.too_big", "{what} is {size:,} bytes; at most {limit:,} are accepted",
                          what=what, size=len(data), limit=limits.max_bytes))
    skeleton = _skeleton(data, _NOT_STRUCTURE)
    _within(_depth(skeleton, limits.max_depth),
            skeleton.count(b"[") + skeleton.count(b"{") + skeleton.count(b",") + 1, what, limits)
    if skeleton == b"[]":
        return 0
    for _ in range(limits.max_depth + 1):
        if _LIST_OF_OBJECTS.fullmatch(skeleton):
            return skeleton.count(b"o")
        collapsed = _INNER_OBJECT.sub(b"o", skeleton)
        if _LIST_OF_OBJECTS.fullmatch(collapsed):
            return collapsed.count(b"o")
        collapsed = _INNER_ARRAY.sub(b"a", collapsed)
        if collapsed == skeleton:
            return None
        skeleton = collapsed
    return None


def _no_constant(name: str) -> Any:
    raise Invalid(msg("packages.json.constant", "{name} is not a number JSON allows", name=name))


def loads(data: bytes, what: str, limits: JsonLimits = DEFAULT_LIMITS) -> Any:
    """Parse a JSON member from another machine after checking its size, nesting depth and number
    of values (:func:`json_shape`) against ``limits``; :class:`Invalid` with one sentence otherwise.
    ``NaN`` and ``Infinity`` are refused (JSON has no such numbers)."""
    if len(data) > limits.max_bytes:
        raise Invalid(msg("packages.json.too_big", "{what} is {size:,} bytes; at most {limit:,} are accepted",
                          what=what, size=len(data), limit=limits.max_bytes))
    _check_shape(data, what, limits)
    try:
        doc = _decode(data)
    except RecursionError:  # (cannot happen after the checks above; kept as the last line of defence)
        raise Invalid(msg("packages.json.too_deep", "{what} is nested too deeply", what=what)) from None
    except UnicodeEncodeError:
        raise Invalid(msg("packages.json.surrogate", "{what} holds text that is not valid Unicode (an unpaired "
                          "surrogate)", what=what)) from None
    except UnicodeDecodeError as exc:
        raise Invalid(msg("packages.json.not_utf8", "{what} is not UTF-8 text (byte {byte:,} cannot be read)",
                          what=what, byte=exc.start)) from None
    except Invalid as exc:  # NaN, Infinity
        raise Invalid(msg("packages.json.not_json", "{what} is not valid JSON ({detail})", what=what,
                          detail=exc.sentence)) from None
    except (ValueError, UnicodeError) as exc:
        raise Invalid(msg("packages.json.not_json", "{what} is not valid JSON ({detail})", what=what,
                          detail=str(exc)[:200])) from None
    return doc


_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
#: (built once: ``json.loads`` with a hook builds a decoder on every call)
_DECODER = json.JSONDecoder(parse_constant=_no_constant)
#: every ASCII digit as "1", any other byte as "0": a run of 19 digits is then found by ``find``
#: (a regular expression takes ten times as long over a package's data.json)
_DIGITS = bytes(0x31 if 0x30 <= b <= 0x39 else 0x30 for b in range(256))
_LONG_NUMBER = b"1" * 19


def _decode(data: bytes) -> Any:
    """``data`` parsed exactly as the standard library's ``json`` parses it (``NaN`` and
    ``Infinity`` refused), by orjson where that gives the same: 2× quicker on a package's
    data.json of thousands of records, with no separate UTF-8 decoding.  What orjson refuses is
    parsed again by the standard library, which says what is wrong in its words (or reads it, as
    it reads ``1E400``).  The standard library alone reads text with an escaped surrogate (checked
    below) or a run of 19 digits or more: orjson reads an integer beyond 64 bits as a float (the
    run may as well be in a text, a phone number, a hash: then it is read the slower way, the same)."""
    if not _SURROGATE_ESCAPE.search(data) and data.translate(_DIGITS).find(_LONG_NUMBER) < 0:
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError:
            pass
    doc = _DECODER.decode(data.decode("utf-8"))
    if _SURROGATE_ESCAPE.search(data):  # "\ud800" alone is JSON, but no text a database can hold
        json.dumps(doc, ensure_ascii=False).encode("utf-8")
    return doc


def _check_shape(data: bytes, what: str, limits: JsonLimits) -> None:
    if len(data) < limits.max_values:  # (every value takes at least a byte: fewer bytes, fewer values)
        depth, values = json_depth(data, limits.max_depth), 0
    else:
        depth, values = json_shape(data, limits.max_depth)
    _within(depth, values, what, limits)


def _within(depth: int, values: int, what: str, limits: JsonLimits) -> None:
    if values > limits.max_values:
        raise Invalid(msg("packages.json.too_many_values", "{what} holds about {values:,} values; at most {limit:,} "
                          "are accepted", what=what, values=values, limit=limits.max_values))
    if depth > limits.max_depth:
        raise Invalid(msg("packages.json.too_nested", "{what} is nested more than {depth} levels deep; at most {depth} "
                          "are accepted", what=what, depth=limits.max_depth))
