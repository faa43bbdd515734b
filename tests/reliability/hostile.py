"""Generators of hostile input (made by the tests, never downloaded).

Rubric files now; xlsx workbooks and result packages join when their readers land.
"""

from __future__ import annotations

import json
import math
import tomllib
from collections.abc import Iterator
from typing import Any

from ..core.rubric_samples import small_rubric

#: values that every kind of field gets tried with
HOSTILE_VALUES: list[Any] = [
    "", " ", "\t", -1, 0, 0.0, -0.0, 1e308, -1e308, math.nan, math.inf, -math.inf, True, False, [], {}, [1, 2],
    {"x": 1}, [[{"deep": [1]}]], "x" * 10_000, "\u202e\u200f", "=1+1", "＝HYPERLINK(\"x\")", "<b>O<Brien & </b>",
    "\x7f", "NUL\x00?", "🙂" * 50, 9_223_372_036_854_775_807, -9_223_372_036_854_775_808, 101, 1e-300,
    "1.5", "수", "../../etc/passwd",
]


def toml_value(v: Any) -> str:
    """A TOML literal for ``v`` (inline tables and arrays, so any structure fits on one line)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, str):
        out = json.dumps(v, ensure_ascii=False)  # JSON string escapes are valid TOML basic-string escapes…
        return out.replace("\x7f", "\\u007f")  # …except that TOML also wants DEL escaped
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{toml_key(k)} = {toml_value(x)}" for k, x in v.items()) + "}"
    raise TypeError(type(v))


def toml_key(k: str) -> str:
    return k if k and all(c.isascii() and (c.isalnum() or c in "_-") for c in k) else json.dumps(k, ensure_ascii=False)


def to_toml(doc: dict[str, Any]) -> str:
    return "".join(f"{toml_key(k)} = {toml_value(v)}\n" for k, v in doc.items())


def base_rubric() -> dict[str, Any]:
    return tomllib.loads(small_rubric())


def _paths(obj: Any, prefix: tuple = ()) -> Iterator[tuple]:
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield prefix + (k,)
            yield from _paths(v, prefix + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield prefix + (i,)
            yield from _paths(v, prefix + (i,))


def mutation_paths() -> list[tuple]:
    return list(_paths(base_rubric()))


_DELETE = object()


def mutate(doc: dict[str, Any], path: tuple, value: Any = _DELETE) -> dict[str, Any]:
    """A deep copy of ``doc`` with the item at ``path`` replaced by ``value`` (or deleted)."""
    out = json.loads(json.dumps(doc))
    parent = out
    for p in path[:-1]:
        parent = parent[p]
    if value is _DELETE:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    # a list index used on what an earlier change made a table (``criteria`` = {}, then
    # ``criteria.1``) leaves an int key: as TOML (and JSON) have it, a key is text
    return json.loads(json.dumps(out))


def structural_corpus() -> Iterator[tuple[str, tuple, Any, str]]:
    """(case name, path, value or 'deleted', TOML text) for every path × (delete, every hostile value)."""
    doc = base_rubric()
    for path in mutation_paths():
        name = ".".join(str(p) for p in path)
        yield f"{name} deleted", path, "deleted", to_toml(mutate(doc, path))
        for i, v in enumerate(HOSTILE_VALUES):
            yield f"{name} = hostile[{i}]", path, v, to_toml(mutate(doc, path, v))
    # duplicates and unknown keys at every level
    yield "duplicate criterion", ("criteria",), "dup", to_toml({**doc, "criteria": doc["criteria"] + doc["criteria"][:1]})
    yield "duplicate level", ("levels",), "dup", to_toml({**doc, "levels": doc["levels"] + doc["levels"][:1]})
    yield "duplicate gate", ("gates",), "dup", to_toml({**doc, "gates": doc["gates"] * 2})
    yield "duplicate checklist", ("checklist",), "dup", to_toml({**doc, "checklist": doc["checklist"] * 2})
    yield "unknown top key", ("wieght",), "typo", to_toml({**doc, "wieght": 1})


def text_corpus(step: int) -> Iterator[tuple[str, str]]:
    """Damaged text: truncated every ``step`` characters, lines dropped or doubled, stray bytes."""
    text = small_rubric()
    for cut in range(0, len(text), step):
        yield f"truncated at {cut}", text[:cut]
    lines = text.splitlines(keepends=True)
    for i in range(0, len(lines), max(1, step // 8)):
        yield f"line {i} dropped", "".join(lines[:i] + lines[i + 1:])
        yield f"line {i} doubled", "".join(lines[:i + 1] + lines[i:])
    for ch in ["\x00", "\ufeff", "\r", "\x1b", "\u2028", "'", '"', "[", "]", "=", "\\", "#"]:
        for pos in range(0, len(text), step * 3):
            yield f"{ch!r} inserted at {pos}", text[:pos] + ch + text[pos:]
    yield "CRLF line ends", text.replace("\n", "\r\n")
    yield "BOM", "\ufeff" + text
    yield "empty", ""
    yield "only whitespace", " \n\t\n"
    yield "JSON instead of TOML", json.dumps(base_rubric(), ensure_ascii=False)
    yield "a different TOML file", '[tool.poetry]\nname = "x"\n'
    yield "same key twice", text + "\nformat = 1\n"
    yield "table redefined", text + "\n[gates]\n"
    yield "5000 criteria", text + "".join(
        f'\n[[criteria]]\nid = "c{i}"\nname_ko = "항목{i}"\nmax = 1\n' for i in range(5000))
    yield "a 5 MB name", text.replace('name_ko = "소형 평가표"', 'name_ko = "' + "가" * 5_000_000 + '"', 1)


def deep_nesting(depth: int) -> list[tuple[str, str]]:
    """Nesting that makes recursive parsers overflow the stack."""
    return [
        ("deep arrays", small_rubric() + "\nextra = " + "[" * depth + "]" * depth + "\n"),
        ("deep inline tables", small_rubric() + "\nextra = " + "{a=" * depth + "1" + "}" * depth + "\n"),
        ("deep arrays inside a known key", small_rubric().replace(
            'name_en = "Mini rubric"', 'name_en = ' + "[" * depth + "]" * depth, 1)),
    ]


def long_dotted_key(parts: int) -> str:
    """``a.a.a.…= 1``: Python's tomllib needs memory quadratic in the number of parts."""
    return small_rubric() + "\n" + ".".join(["a"] * parts) + " = 1\n"
