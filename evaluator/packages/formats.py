"""Shared pieces of the kit and package formats: JSON, timestamps, hashes, record snapshots and a
small strict validator for what arrives from another machine."""

from __future__ import annotations

import hashlib
import json
import math
from datetime import date, datetime
from typing import Any

KIT_FORMAT = "maeul-evaluator-kit"
PACKAGE_FORMAT = "maeul-evaluator-package"
FORMAT_VERSION = 1
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
    """A located problem in a kit's or package's JSON (the caller adds the file name)."""


def need(obj: Any, key: str, kind: type | tuple[type, ...], where: str, *, optional: bool = False) -> Any:
    if not isinstance(obj, dict):
        raise Invalid(f"{where} is not an object")
    if key not in obj:
        if optional:
            return None
        raise Invalid(f"{where} has no '{key}'")
    v = obj[key]
    if v is None and optional:
        return None
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if float in kinds and isinstance(v, int) and not isinstance(v, bool):
        v = float(v)
    if isinstance(v, bool) and bool not in kinds:
        raise Invalid(f"{where}.{key} has the wrong type")
    if not isinstance(v, kinds):
        raise Invalid(f"{where}.{key} has the wrong type ({type(v).__name__})")
    if isinstance(v, float) and not math.isfinite(v):
        raise Invalid(f"{where}.{key} is not a finite number")
    if isinstance(v, str) and len(v) > 100_000:
        raise Invalid(f"{where}.{key} is too long")
    return v


def need_date(obj: Any, key: str, where: str) -> str | None:
    v = need(obj, key, str, where, optional=True)
    if v is None:
        return None
    try:
        date.fromisoformat(v)
    except ValueError:
        raise Invalid(f"{where}.{key} is not a date") from None
    return v


def items(obj: Any, key: str, where: str) -> list[Any]:
    v = need(obj, key, list, where)
    return v


def loads(data: bytes, what: str) -> Any:
    try:
        return json.loads(data.decode("utf-8"))
    except (ValueError, UnicodeError) as exc:
        raise Invalid(f"{what} is not valid JSON ({exc})") from None
