"""Rubrics as data: TOML files validated into frozen dataclasses.

A rubric's version is its content hash (SHA-256 of its canonical JSON form), so two offices that
load the same rubric agree on its version whatever the file's whitespace or key order.
The file format is documented in ``docs/rubrics.md``.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Problem, RubricError
from .messages import Message, msg

FORMAT_VERSION = 1
SCORING_KINDS = ("levels", "points")
GATE_KINDS = ("auto", "manual")
#: what a rubric is for: scoring applications (the default), or follow-up monitoring visits to
#: awarded projects (a checklist and rated criteria; no gates, no minimum score — docs/follow-up.md)
EVALUATION, MONITORING = "evaluation", "monitoring"
RUBRIC_KINDS = (EVALUATION, MONITORING)
#: application fields an automatic gate may test (numeric, compared with ``min``)
GATE_FIELDS = ("members", "requested_amount", "self_contribution")

_TOP_KEYS = {
    "format", "id", "track", "name_ko", "name_en", "min_score", "levels", "criteria", "gates", "checklist", "visit",
    "kind",
}
_LEVEL_KEYS = {"key", "label_ko", "label_en", "percent"}
_CRITERION_KEYS = {
    "id", "name_ko", "name_en", "max", "weight", "scoring", "required", "field_check",
    "help_ko", "help_en", "levels",
}
_GATE_KEYS = {"id", "name_ko", "name_en", "kind", "field", "min"}
_CHECK_KEYS = {"id", "name_ko", "name_en", "required"}
_VISIT_KEYS = {"date_required", "attendees_required"}
#: what the visit log misses, as :meth:`Rubric.visit_missing` names it (a checklist item: ``check:ID``)
VISIT_DATE = "visit_date"
VISIT_ATTENDEES = "attendees"


def _pick(lang: str, ko: str, en: str) -> str:
    return en if lang == "en" and en else ko


@dataclass(frozen=True)
class Level:
    key: str
    label_ko: str
    label_en: str
    percent: float

    def label(self, lang: str = "ko") -> str:
        return _pick(lang, self.label_ko, self.label_en)


@dataclass(frozen=True)
class Criterion:
    code: str
    name_ko: str
    name_en: str
    max_points: float
    weight: float = 1.0
    scoring: str = "levels"
    required: bool = True
    field_check: bool = False
    help_ko: str = ""
    help_en: str = ""
    #: level key -> (Korean description, English description)
    level_descriptions: dict[str, tuple[str, str]] = field(default_factory=dict, hash=False, compare=True)

    def name(self, lang: str = "ko") -> str:
        return _pick(lang, self.name_ko, self.name_en)

    def help(self, lang: str = "ko") -> str:
        return _pick(lang, self.help_ko, self.help_en)

    def describe_level(self, key: str, lang: str = "ko") -> str:
        ko, en = self.level_descriptions.get(key, ("", ""))
        return _pick(lang, ko, en)


@dataclass(frozen=True)
class Gate:
    code: str
    name_ko: str
    name_en: str
    kind: str  # "auto" | "manual"
    field: str | None = None
    min_value: float | None = None

    def name(self, lang: str = "ko") -> str:
        return _pick(lang, self.name_ko, self.name_en)


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    name_ko: str
    name_en: str
    #: the item must be ticked before the evaluation can be finalised
    required: bool = False

    def name(self, lang: str = "ko") -> str:
        return _pick(lang, self.name_ko, self.name_en)


@dataclass(frozen=True)
class Rubric:
    code: str
    track: str
    name_ko: str
    name_en: str
    min_score: float
    levels: tuple[Level, ...]
    criteria: tuple[Criterion, ...]
    gates: tuple[Gate, ...]
    checklist: tuple[ChecklistItem, ...]
    content_hash: str
    source: str = field(repr=False, compare=False, default="")
    #: the visit log must have a date (and time) before the evaluation can be finalised
    visit_date_required: bool = False
    #: the visit log must name who attended before the evaluation can be finalised
    attendees_required: bool = False
    #: evaluation (scoring applications) or monitoring (follow-up visits to awarded projects)
    kind: str = EVALUATION

    def name(self, lang: str = "ko") -> str:
        return _pick(lang, self.name_ko, self.name_en)

    def visit_missing(self, visit: dict[str, Any] | None) -> list[str]:
        """What the visit log still lacks that this rubric requires (ODK's required questions):
        :data:`VISIT_DATE`, :data:`VISIT_ATTENDEES` and ``check:ID`` for each required checklist item
        not ticked.  ``visit``: ``{"visited_at", "attendees", "checklist"}`` as saved, or None."""
        v = visit or {}
        out: list[str] = []
        if self.visit_date_required and not v.get("visited_at"):
            out.append(VISIT_DATE)
        if self.attendees_required and not str(v.get("attendees") or "").strip():
            out.append(VISIT_ATTENDEES)
        ticked = v.get("checklist") or {}
        out += [f"check:{code}" for code in self._required_checks if not ticked.get(code)]
        return out

    def visit_complete(self, visited_at: Any, attendees: str | None, checklist: dict[str, Any] | None) -> bool:
        """``not visit_missing(…)`` for these values of the visit log, without the list (a merge
        asks for thousands of visits)."""
        return not ((self.visit_date_required and not visited_at)
                    or (self.attendees_required and not str(attendees or "").strip())
                    or (self._required_checks and not all(map((checklist or {}).get, self._required_checks))))

    @functools.cached_property
    def _required_checks(self) -> tuple[str, ...]:
        """The codes of the checklist items that must be ticked (worked out once: a merge asks for
        every visit)."""
        return tuple(c.code for c in self.checklist if c.required)

    def visit_requirement_name(self, key: str, lang: str = "ko") -> str:
        """A :meth:`visit_missing` key as people read it."""
        if key == VISIT_DATE:
            return "방문 일시" if lang != "en" else "visit date and time"
        if key == VISIT_ATTENDEES:
            return "참석자" if lang != "en" else "attendees"
        code = key.removeprefix("check:")
        item = next((c for c in self.checklist if c.code == code), None)
        return item.name(lang) if item is not None else code

    @property
    def version(self) -> str:
        """Short form of the content hash, for people."""
        return self.content_hash[:12]

    def criterion(self, code: str) -> Criterion:
        for c in self.criteria:
            if c.code == code:
                return c
        raise KeyError(code)

    def level(self, key: str) -> Level:
        for lv in self.levels:
            if lv.key == key:
                return lv
        raise KeyError(key)

    def level_by_label(self, text: str) -> Level | None:
        """Accept a level by key, Korean label or English label (case/space-insensitive)."""
        t = "".join(str(text).split()).casefold()
        for lv in self.levels:
            if t in (lv.key.casefold(), lv.label_ko.casefold(), "".join(lv.label_en.split()).casefold()):
                return lv
        return None

    def points_for_level(self, criterion: Criterion, key: str) -> float:
        return round(criterion.max_points * self.level(key).percent / 100.0, 6)

    @property
    def weighted_max(self) -> float:
        return sum(c.weight * c.max_points for c in self.criteria)

    def total(self, points: dict[str, float | None]) -> float | None:
        """Weighted total on a 0–100 scale; ``None`` when a required criterion is missing.

        total = 100 × Σ wᵢ·sᵢ / Σ wᵢ·maxᵢ over every criterion (an optional criterion left blank
        counts as 0 — it is optional, not missing).
        """
        acc = 0.0
        for c in self.criteria:
            v = points.get(c.code)
            if v is None:
                if c.required:
                    return None
                continue
            acc += c.weight * float(v)
        return 100.0 * acc / self.weighted_max

    def subtotal(self, points: dict[str, float | None]) -> float:
        """The running total on the 0–100 scale of what is scored so far (what :meth:`total` becomes
        once every required criterion is scored)."""
        acc = sum(c.weight * float(points[c.code]) for c in self.criteria if points.get(c.code) is not None)
        return 100.0 * acc / self.weighted_max

    def missing(self, points: dict[str, float | None]) -> list[Criterion]:
        return [c for c in self.criteria if c.required and points.get(c.code) is None]


# --- loading --------------------------------------------------------------------------------------
def content_hash(data: dict[str, Any]) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


#: a real rubric is a few KB; anything much bigger is not a rubric (and tomllib's cost grows with it)
MAX_RUBRIC_BYTES = 256 * 1024
#: most dotted parts in one key or table header (``a.b.c``); Python's tomllib needs memory
#: quadratic in this number, so a small file of one long dotted key could exhaust memory
MAX_KEY_PARTS = 32

_KEY_PART = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')"""
#: a key of more than MAX_KEY_PARTS parts where a key can start: a line's start (or a table
#: header's bracket) or inside an inline table; followed by '=' or ']'
_LONG_KEY = re.compile(
    rf"(?:^[ \t]*\[{{0,2}}|[{{,])[ \t]*{_KEY_PART}(?:[ \t]*\.[ \t]*{_KEY_PART}){{{MAX_KEY_PARTS},}}[ \t]*[=\]]",
    re.MULTILINE,
)


def load_rubric(path: str | Path) -> Rubric:
    path = Path(path)
    try:
        if path.is_file() and path.stat().st_size > MAX_RUBRIC_BYTES:
            raise RubricError(msg("rubric.file_too_large", "Rubric file {path} is too large ({size:,} bytes; a rubric is "
                                  "at most {limit} KB).", path=str(path), size=path.stat().st_size,
                                  limit=MAX_RUBRIC_BYTES // 1024))
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RubricError(msg("rubric.file_missing", "Rubric file {path} does not exist.", path=str(path))) from None
    except IsADirectoryError:
        raise RubricError(msg("rubric.file_is_folder", "Rubric file {path} is a folder, not a file.",
                              path=str(path))) from None
    except UnicodeDecodeError as exc:
        raise RubricError(msg("rubric.file_not_utf8", "Rubric file {path} is not UTF-8 text (byte {byte}).",
                              path=str(path), byte=exc.start)) from None
    except OSError as exc:
        raise RubricError(msg("rubric.file_unreadable", "Cannot read rubric file {path}: {reason}.", path=str(path),
                              reason=exc.strerror or str(exc))) from None
    return parse_rubric(text, source_name=path.name)


def read_toml(text: str, source_name: str, *, kind: Message | None = None, error: type = RubricError,
              what: Message | None = None, limit: int = MAX_RUBRIC_BYTES) -> dict[str, Any]:
    """``text`` parsed as TOML with the guards every data file of ours gets: a size limit, no key of
    more than :data:`MAX_KEY_PARTS` dotted parts, no nesting deep enough to exhaust the parser.
    Each refusal is one ``error`` naming the file (``kind``, e.g. "Rubric file", and ``source_name``;
    ``what`` is the kind of file in a sentence, e.g. "a rubric")."""
    kind = kind or msg("rubric.kind", "Rubric file")
    what = what or msg("rubric.what", "a rubric")
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > limit:
        raise error(msg("core.toml_too_large", "{kind} {file} is too large ({size:,} bytes; {what} is at most {limit} "
                        "KB).", kind=kind, file=source_name, size=size, what=what, limit=limit // 1024))
    long_key = _LONG_KEY.search(text)
    if long_key is not None:
        line = text.count("\n", 0, long_key.start()) + 1
        raise error(msg("core.toml_long_key", "{kind} {file}, line {line}: a key has more than {parts} dotted parts; "
                        "{what} never needs that many.", kind=kind, file=source_name, line=line,
                        parts=MAX_KEY_PARTS, what=what))
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(msg("core.toml_invalid", "{kind} {file} is not valid TOML: {reason}.", kind=kind,
                        file=source_name, reason=str(exc))) from None
    except RecursionError:
        raise error(msg("core.toml_too_deep", "{kind} {file} nests arrays or tables too deeply.", kind=kind,
                        file=source_name)) from None


def parse_rubric(text: str, source_name: str = "<rubric>") -> Rubric:
    data = read_toml(text, source_name)
    problems: list[Problem] = []
    try:
        rubric = _validate(data, source_name, problems)
    except RecursionError:  # pragma: no cover - tomllib refuses such nesting first
        raise RubricError(msg("core.toml_too_deep", "{kind} {file} nests arrays or tables too deeply.",
                              kind=msg("rubric.kind", "Rubric file"), file=source_name)) from None
    if problems or rubric is None:
        raise RubricError(
            msg("rubric.problems_one", "Rubric file {file} has 1 problem:", file=source_name) if len(problems) == 1 else
            msg("rubric.problems", "Rubric file {file} has {count} problems:", file=source_name, count=len(problems)),
            problems,
        )
    return Rubric(**{**rubric.__dict__, "source": text})


@dataclass(frozen=True)
class _Key:
    """A key path in a rubric file, as messages show it (``criteria[2] (c).max``: the criterion's id
    beside its index) and as the problem's field (``criteria[2].max``)."""

    shown: str = ""
    path: str = ""

    def __add__(self, key: str) -> _Key:
        return _Key(self.shown + key, self.path + key)


def _validate(data: dict[str, Any], src: str, problems: list[Problem]) -> Rubric | None:
    def bad(where: _Key, message: Message, code: str | None = None, **params: Any) -> None:
        """A problem at ``where`` that ``message`` states; its code is ``rubric.<code>`` (the message's
        code when not given), its params ``params`` (the message's when not given)."""
        problems.append(Problem(f"{src}, {where.shown}" if where.shown else src, message,
                                code=f"rubric.{code}" if code else message.code, params=params, file=src,
                                field=where.path or None))

    top = _Key()

    def text_field(obj: dict, key: str, where: _Key, required: bool = True) -> str:
        v = obj.get(key)
        if v is None:
            if required:
                bad(where + key, msg("rubric.missing", "is missing"))
            return ""
        if not isinstance(v, str) or (required and not v.strip()):
            bad(where + key, msg("rubric.not_text", "must be non-empty text, got {got}", got=repr(v)))
            return ""
        return v.strip()

    def number(obj: dict, key: str, where: _Key, *, positive: bool = True, default=None) -> float | None:
        v = obj.get(key, default)
        if v is None:
            bad(where + key, msg("rubric.missing", "is missing"))
            return None
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            bad(where + key, msg("rubric.not_number", "must be a number, got {got}", got=repr(v)))
            return None
        if positive and v <= 0:
            bad(where + key, msg("rubric.not_positive", "must be greater than 0, got {got}", got=repr(v)))
            return None
        return float(v)

    def boolean(obj: dict, key: str, where: _Key, default: bool) -> bool:
        v = obj.get(key, default)
        if not isinstance(v, bool):
            bad(where + key, msg("rubric.not_boolean", "must be true or false, got {got}", got=repr(v)))
            return default
        return v

    def unknown(obj: dict, allowed: set[str], where: _Key) -> None:
        for k in sorted(set(obj) - allowed):
            bad(where + k, msg("rubric.unknown_key", "is not a known key (typo?)", key=k))

    def table_list(key: str) -> list[dict]:
        v = data.get(key, [])
        if not isinstance(v, list) or not all(isinstance(x, dict) for x in v):
            bad(top + key, msg("rubric.not_table_list", "must be a list of tables ([[{key}]])", key=key))
            return []
        return v

    unknown(data, _TOP_KEYS, top)
    fmt = data.get("format")
    if fmt != FORMAT_VERSION:
        bad(top + "format", msg("rubric.wrong_format", "must be {expected}, got {got}", expected=FORMAT_VERSION,
                                got=repr(fmt)))
    rubric_kind = data.get("kind", EVALUATION)
    if rubric_kind not in RUBRIC_KINDS:
        bad(top + "kind", msg("rubric.not_one_of", "must be one of {allowed}, got {got}",
                              allowed=", ".join(RUBRIC_KINDS), got=repr(rubric_kind)))
    elif rubric_kind == MONITORING:
        for key in ("gates", "min_score"):
            if key in data:
                bad(top + key, msg("rubric.not_for_monitoring", "is for evaluation rubrics; a monitoring rubric has a "
                                   "checklist and rated criteria only"))
    code = text_field(data, "id", top)
    track = text_field(data, "track", top)
    name_ko = text_field(data, "name_ko", top)
    name_en = text_field(data, "name_en", top, required=False)
    min_score = number(data, "min_score", top, positive=False, default=60)
    if min_score is not None and not 0 <= min_score <= 100:
        bad(top + "min_score", msg("rubric.out_of_range", "must be between {low} and {high}, got {got:g}", low=0,
                                   high=100, got=min_score))

    levels: list[Level] = []
    raw_levels = table_list("levels")
    if not raw_levels:
        bad(top + "levels", msg("rubric.no_levels", "at least one level is required"), "none_given")
    seen: set[str] = set()
    for i, lv in enumerate(raw_levels):
        w = _Key(f"levels[{i}].", f"levels[{i}].")
        unknown(lv, _LEVEL_KEYS, w)
        key = text_field(lv, "key", w)
        if key in seen:
            bad(w + "key", msg("rubric.duplicate_level", "duplicate level key {value}", value=repr(key)), "duplicate",
                id=key)
        seen.add(key)
        pct = number(lv, "percent", w)
        if pct is not None and pct > 100:
            bad(w + "percent", msg("rubric.out_of_range_max", "must be at most {high}, got {got:g}", low=0, high=100,
                                   got=pct), "out_of_range")
        levels.append(Level(key, text_field(lv, "label_ko", w), text_field(lv, "label_en", w, False), pct or 0))
    pcts = [lv.percent for lv in levels]
    if pcts != sorted(pcts, reverse=True) or len(set(pcts)) != len(pcts):
        bad(top + "levels", msg("rubric.levels_order", "percentages must be distinct and in descending order (best "
                                "level first)"))

    criteria: list[Criterion] = []
    raw_criteria = table_list("criteria")
    if not raw_criteria:
        bad(top + "criteria", msg("rubric.no_criteria", "at least one criterion is required"), "none_given")
    seen = set()
    for i, c in enumerate(raw_criteria):
        cid = c.get("id") if isinstance(c.get("id"), str) else None
        w = _Key(f"criteria[{i}]{f' ({cid})' if cid else ''}.", f"criteria[{i}].")
        unknown(c, _CRITERION_KEYS, w)
        cid = text_field(c, "id", w)
        if cid and cid in seen:
            bad(w + "id", msg("rubric.duplicate_criterion", "duplicate criterion id {value}", value=repr(cid)),
                "duplicate", id=cid)
        seen.add(cid)
        mx = number(c, "max", w)
        weight = number(c, "weight", w, default=1.0)
        scoring = c.get("scoring", "levels")
        if scoring not in SCORING_KINDS:
            bad(w + "scoring", msg("rubric.not_one_of", "must be one of {allowed}, got {got}",
                                   allowed=", ".join(SCORING_KINDS), got=repr(scoring)))
        descr: dict[str, tuple[str, str]] = {}
        raw_d = c.get("levels", {})
        if not isinstance(raw_d, dict):
            bad(w + "levels", msg("rubric.not_table_levels", "must be a table of level descriptions"), "not_table")
            raw_d = {}
        for lv in levels:
            d = raw_d.get(lv.key)
            if d is None:
                bad(w + f"levels.{lv.key}", msg("rubric.level_description_missing", "level description is missing",
                                                level=lv.key))
                continue
            if not isinstance(d, dict) or not isinstance(d.get("ko"), str) or not d.get("ko", "").strip():
                bad(w + f"levels.{lv.key}", msg("rubric.level_description_shape", "must be {{ ko = \"…\", en = \"…\" }} "
                                                "with non-empty Korean text", level=lv.key))
                continue
            descr[lv.key] = (d["ko"].strip(), str(d.get("en", "")).strip())
        for k in sorted(set(raw_d) - {lv.key for lv in levels}):
            bad(w + f"levels.{k}", msg("rubric.not_a_level", "is not a level of this rubric's scale", level=k))
        criteria.append(
            Criterion(
                code=cid,
                name_ko=text_field(c, "name_ko", w),
                name_en=text_field(c, "name_en", w, False),
                max_points=mx or 0,
                weight=weight or 0,
                scoring=scoring if scoring in SCORING_KINDS else "levels",
                required=boolean(c, "required", w, True),
                field_check=boolean(c, "field_check", w, False),
                help_ko=text_field(c, "help_ko", w, False),
                help_en=text_field(c, "help_en", w, False),
                level_descriptions=descr,
            )
        )

    gates: list[Gate] = []
    seen = set()
    for i, g in enumerate(table_list("gates")):
        w = _Key(f"gates[{i}].", f"gates[{i}].")
        unknown(g, _GATE_KEYS, w)
        gid = text_field(g, "id", w)
        if gid and gid in seen:
            bad(w + "id", msg("rubric.duplicate_gate", "duplicate gate id {value}", value=repr(gid)), "duplicate",
                id=gid)
        seen.add(gid)
        kind = g.get("kind", "manual")
        fld, mn = None, None
        if kind not in GATE_KINDS:
            bad(w + "kind", msg("rubric.not_one_of", "must be one of {allowed}, got {got}",
                                allowed=", ".join(GATE_KINDS), got=repr(kind)))
        elif kind == "auto":
            fld = g.get("field")
            if fld not in GATE_FIELDS:
                bad(w + "field", msg("rubric.not_one_of", "must be one of {allowed}, got {got}",
                                     allowed=", ".join(GATE_FIELDS), got=repr(fld)))
            mn = number(g, "min", w, positive=False)
        gates.append(Gate(gid, text_field(g, "name_ko", w), text_field(g, "name_en", w, False), kind, fld, mn))

    checklist: list[ChecklistItem] = []
    seen = set()
    for i, it in enumerate(table_list("checklist")):
        w = _Key(f"checklist[{i}].", f"checklist[{i}].")
        unknown(it, _CHECK_KEYS, w)
        iid = text_field(it, "id", w)
        if iid and iid in seen:
            bad(w + "id", msg("rubric.duplicate_checklist", "duplicate checklist id {value}", value=repr(iid)),
                "duplicate", id=iid)
        seen.add(iid)
        checklist.append(ChecklistItem(iid, text_field(it, "name_ko", w), text_field(it, "name_en", w, False),
                                       boolean(it, "required", w, False)))

    visit = data.get("visit", {})
    if not isinstance(visit, dict):
        bad(top + "visit", msg("rubric.not_table_visit", "must be a table ([visit])"), "not_table")
        visit = {}
    unknown(visit, _VISIT_KEYS, top + "visit.")
    date_required = boolean(visit, "date_required", top + "visit.", False)
    attendees_required = boolean(visit, "attendees_required", top + "visit.", False)

    if problems:
        return None
    return Rubric(
        code=code,
        track=track,
        name_ko=name_ko,
        name_en=name_en,
        min_score=min_score if min_score is not None else 60.0,
        levels=tuple(levels),
        criteria=tuple(criteria),
        gates=tuple(gates),
        checklist=tuple(checklist),
        content_hash=content_hash(data),
        visit_date_required=date_required,
        attendees_required=attendees_required,
        kind=rubric_kind,
    )
