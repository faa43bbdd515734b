"""A ranking frozen as plain JSON: what a round's sign-off keeps as its decisions of record.

:func:`to_json` writes a :class:`~evaluator.ranking.model.RankingResult` field by field (tuples as
lists, datetimes as ISO text); :func:`from_json` builds the very same result back, guided by the
dataclasses' own type hints, so a field added to the model later is kept without a change here.
Reading it back is exact: ``from_json(to_json(r)) == r``.
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from datetime import date, datetime
from typing import Any

from .model import RankingResult

#: the format of a frozen ranking (kept with it; a later format must read this one)
FORMAT = 1


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _encode(v) for k, v in value.items()}
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None  # JSON (and PostgreSQL's json type) has no NaN or infinity
    return value


def to_json(result: RankingResult) -> dict[str, Any]:
    return {"format": FORMAT, "result": _encode(result)}


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    hints = _HINTS.get(cls)
    if hints is None:
        hints = _HINTS[cls] = typing.get_type_hints(cls)
    return hints


def _decode(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        return _decode(options[0], value) if len(options) == 1 else value
    if tp is tuple:  # a bare tuple (a reason's phrase: a code and its values) comes back as one
        return tuple(value)
    if origin is tuple:
        args = typing.get_args(tp)
        inner = args[0] if args else Any
        return tuple(_decode(inner, v) for v in value)
    if origin is list:
        args = typing.get_args(tp)
        return [_decode(args[0] if args else Any, v) for v in value]
    if origin is dict:
        args = typing.get_args(tp)
        return {k: _decode(args[1] if len(args) == 2 else Any, v) for k, v in value.items()}
    if tp is datetime:
        return datetime.fromisoformat(value)
    if tp is date:
        return date.fromisoformat(value)
    if tp is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = _hints(tp)
        kwargs = {f.name: _decode(hints[f.name], value[f.name]) for f in dataclasses.fields(tp)
                  if f.init and f.name in value}
        return tp(**kwargs)
    return value


def from_json(doc: dict[str, Any]) -> RankingResult:
    if doc.get("format") != FORMAT:
        raise ValueError(f"a frozen ranking of format {doc.get('format')!r}; this version reads format {FORMAT}")
    return _decode(RankingResult, doc["result"])


__all__ = ["from_json", "to_json"]
