"""Programs as data: a program file (a call, 공모) validated into frozen dataclasses.

One TOML file describes a whole call: its code and names, the organising office, how it takes
applications (``fixed`` rounds or ``rolling`` intake), its tracks (each with a rubric file named by
a path relative to the program file, quota, reserves, budget and minimum score), its ranking
settings, its categories (activity kinds), the typed intake fields it adds to the built-in ones,
and its rounds (차수) with their intake windows and per-track quotas and budgets.  Loading checks
everything and reports every problem at once, each with the file and the key; unknown keys are
typos.  The format is documented in ``docs/programs.md``.

A program's version is its content hash: the SHA-256 of the file's canonical JSON form together
with the content hashes of its rubrics, so reformatting the file keeps the version and changing a
rubric file changes it.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .errors import Problem, ProgramFileError, RubricError
from .messages import Message, msg
from .rubric import Rubric, parse_rubric, read_toml
from .rules import EMPTY, RuleSet, parse_rules

FORMAT_VERSION = 1
INTAKE_MODES = ("fixed", "rolling")
FIELD_TYPES = ("text", "integer", "money", "decimal", "date", "year", "boolean", "choice")
#: ranking methods and tie-break rules (as :mod:`evaluator.ranking` knows them)
METHODS = ("mean", "median", "trimmed", "normalized")
TIE_BREAKS = ("field_check", "fewer_flags", "earlier_submission")
#: BRIEF §4: the default for Korean public evaluations is the trimmed mean from 5 evaluations
DEFAULT_RANKING = {"method": "trimmed", "trim_min_evaluators": 5, "disagreement_threshold": 20.0,
                   "tie_breaks": list(TIE_BREAKS)}
#: the application fields every program has (a typed field may not take one of these keys)
BUILT_IN_FIELDS = (
    "id", "track", "category", "title", "group_name", "representative", "phone", "email", "district",
    "neighbourhood", "address", "members", "requested_amount", "self_contribution", "summary", "submitted_on",
    "round", "status", "extra", "fields", "uuid",
)
#: the category a blank intake cell means; every program has it
OTHER_CATEGORY = ("other", "기타", "Other")
#: a program file is a few KB; one much bigger is not a program file
MAX_PROGRAM_BYTES = 256 * 1024

_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
_FIELD_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_TOP_KEYS = {"format", "code", "name_ko", "name_en", "office_ko", "office_en", "intake", "opened_on", "closed_on",
             "ranking", "tracks", "categories", "fields", "rounds", "districts", "gates", "support"}
_RANKING_KEYS = {"method", "trim_min_evaluators", "disagreement_threshold", "tie_breaks"}
_TRACK_KEYS = {"code", "name_ko", "name_en", "rubric", "rubric_version", "quota", "reserve", "budget", "min_score",
               "selection", "fill"}
_CATEGORY_KEYS = {"code", "name_ko", "name_en", "aliases"}
_FIELD_KEYS = {"key", "label_ko", "label_en", "aliases", "type", "required", "personal", "values"}
_ROUND_KEYS = {"code", "name_ko", "name_en", "opens_on", "closes_on", "tracks"}
_ROUND_TRACK_KEYS = {"quota", "budget"}


def _pick(lang: str, ko: str, en: str) -> str:
    return en if lang == "en" and en else ko


@dataclass(frozen=True)
class TrackDef:
    code: str
    name_ko: str
    name_en: str
    #: the rubric file as the program file names it (relative to the program file)
    rubric_file: str
    rubric: Rubric = field(repr=False)
    quota: int
    reserve_size: int = 3
    budget: int | None = None
    #: None: the rubric's own minimum
    min_score: float | None = None

    def name(self, lang: str = "ko") -> str:
        return _pick(lang, self.name_ko, self.name_en)


@dataclass(frozen=True)
class CategoryDef:
    code: str
    name_ko: str
    name_en: str = ""
    aliases: tuple[str, ...] = ()

    def name(self, lang: str = "ko") -> str:
        return _pick(lang, self.name_ko, self.name_en)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "ko": self.name_ko, "en": self.name_en, "aliases": list(self.aliases)}


@dataclass(frozen=True)
class FieldDef:
    """A typed intake field a program adds to the built-in ones."""

    key: str
    label_ko: str
    label_en: str = ""
    aliases: tuple[str, ...] = ()
    type: str = "text"
    required: bool = False
    personal: bool = False
    #: the values a ``choice`` field accepts (empty for other types)
    values: tuple[str, ...] = ()

    def label(self, lang: str = "ko") -> str:
        return _pick(lang, self.label_ko, self.label_en)

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label_ko": self.label_ko, "label_en": self.label_en, "aliases": list(self.aliases),
                "type": self.type, "required": self.required, "personal": self.personal, "values": list(self.values)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> FieldDef:
        return cls(key=d["key"], label_ko=d.get("label_ko", ""), label_en=d.get("label_en", ""),
                   aliases=tuple(d.get("aliases") or ()), type=d.get("type", "text"),
                   required=bool(d.get("required")), personal=bool(d.get("personal")),
                   values=tuple(d.get("values") or ()))


@dataclass(frozen=True)
class RoundTrackDef:
    """A round's own quota and budget for one track (None: the track's)."""

    quota: int | None = None
    budget: int | None = None


@dataclass(frozen=True)
class RoundDef:
    code: str
    name_ko: str
    name_en: str = ""
    opens_on: date | None = None
    closes_on: date | None = None
    tracks: dict[str, RoundTrackDef] = field(default_factory=dict, hash=False)

    def name(self, lang: str = "ko") -> str:
        return _pick(lang, self.name_ko, self.name_en)

    def holds(self, day: date) -> bool:
        """Whether ``day`` falls in this round's intake window (both ends included)."""
        return (self.opens_on is None or self.opens_on <= day) and (self.closes_on is None or day <= self.closes_on)


def default_round(opened_on: date | None = None, closed_on: date | None = None) -> RoundDef:
    """The one round of a program whose file names none (and of programs made before rounds)."""
    return RoundDef(code="1", name_ko="1차", name_en="Round 1", opens_on=opened_on, closes_on=closed_on)


@dataclass(frozen=True)
class ProgramDef:
    code: str
    name_ko: str
    name_en: str
    office_ko: str
    office_en: str
    intake: str
    opened_on: date | None
    closed_on: date | None
    ranking: dict[str, Any] = field(hash=False)
    tracks: tuple[TrackDef, ...]
    categories: tuple[CategoryDef, ...]
    fields: tuple[FieldDef, ...]
    rounds: tuple[RoundDef, ...]
    #: valid districts (Korean name -> English); empty: Seoul's 25
    districts: dict[str, str] = field(default_factory=dict, hash=False)
    content_hash: str = ""
    source: str = field(repr=False, compare=False, default="")
    source_name: str = field(compare=False, default="")
    #: the program's eligibility gates and support amount rule (``[[gates]]``, ``[support]``: docs/rules.md)
    rules: RuleSet = field(repr=False, compare=False, hash=False, default=EMPTY)

    def name(self, lang: str = "ko") -> str:
        return _pick(lang, self.name_ko, self.name_en)

    @property
    def version(self) -> str:
        return self.content_hash[:12]

    def track(self, code: str) -> TrackDef:
        for t in self.tracks:
            if t.code == code:
                return t
        raise KeyError(code)

    def settings(self) -> dict[str, Any]:
        """What the program keeps as its settings: the ranking settings and the valid districts."""
        out = dict(self.ranking)
        if self.districts:
            out["districts"] = dict(self.districts)
        return out


# --- loading --------------------------------------------------------------------------------------
def load_program_file(path: str | Path) -> ProgramDef:
    """Read and validate the program file ``path`` and the rubric files it names."""
    path = Path(path)
    try:
        if path.is_file() and path.stat().st_size > MAX_PROGRAM_BYTES:
            raise ProgramFileError(msg("program.file_too_large", "Program file {path} is too large ({size:,} bytes; a "
                                       "program file is at most {limit} KB).", path=str(path),
                                       size=path.stat().st_size, limit=MAX_PROGRAM_BYTES // 1024))
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProgramFileError(msg("program.file_missing", "Program file {path} does not exist.",
                                   path=str(path))) from None
    except IsADirectoryError:
        raise ProgramFileError(msg("program.file_is_folder", "Program file {path} is a folder, not a file.",
                                   path=str(path))) from None
    except UnicodeDecodeError as exc:
        raise ProgramFileError(msg("program.file_not_utf8", "Program file {path} is not UTF-8 text (byte {byte}).",
                                   path=str(path), byte=exc.start)) from None
    except OSError as exc:
        raise ProgramFileError(msg("program.file_unreadable", "Cannot read program file {path}: {reason}.",
                                   path=str(path), reason=exc.strerror or str(exc))) from None
    return parse_program(text, source_name=path.name, base_dir=path.parent)


def parse_program(text: str, *, source_name: str = "<program>", base_dir: str | Path = ".",
                  rubrics: dict[str, Rubric] | None = None) -> ProgramDef:
    """Validate a program file's text; rubric files are read relative to ``base_dir`` (or taken from
    ``rubrics``, by the path the file names)."""
    data = read_toml(text, source_name, kind=msg("program.kind", "Program file"), error=ProgramFileError,
                     what=msg("program.what", "a program file"),
                     limit=MAX_PROGRAM_BYTES)
    problems: list[Problem] = []
    try:
        program = _Validator(data, source_name, Path(base_dir), rubrics or {}, problems).program()
    except RecursionError:  # pragma: no cover - tomllib refuses such nesting first
        raise ProgramFileError(msg("core.toml_too_deep", "{kind} {file} nests arrays or tables too deeply.",
                                   kind=msg("program.kind", "Program file"), file=source_name)) from None
    if problems or program is None:
        raise ProgramFileError(
            msg("program.problems_one", "Program file {file} has 1 problem:", file=source_name) if len(problems) == 1
            else msg("program.problems", "Program file {file} has {count} problems:", file=source_name,
                     count=len(problems)), problems)
    return ProgramDef(**{**program.__dict__, "source": text, "source_name": source_name})


def _jsonable(v: Any) -> Any:
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_jsonable(x) for x in v]
    if isinstance(v, (date, datetime)):
        return v.isoformat()
    return v


def content_hash(data: dict[str, Any], rubric_hashes: dict[str, str]) -> str:
    canonical = json.dumps({"program": _jsonable(data), "rubrics": rubric_hashes}, sort_keys=True,
                           ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class _Key:
    """A key path as messages show it (``tracks[1] (space).quota``) and as the problem's field
    (``tracks[1].quota``)."""

    shown: str = ""
    path: str = ""

    def __add__(self, key: str) -> _Key:
        return _Key(self.shown + key, self.path + key)


class _Validator:
    def __init__(self, data: dict[str, Any], src: str, base: Path, rubrics: dict[str, Rubric],
                 problems: list[Problem]) -> None:
        self.data, self.src, self.base, self.rubrics, self.problems = data, src, base, rubrics, problems
        self.track_codes: set[str] = set()

    # --- checks -----------------------------------------------------------------------------------
    def bad(self, where: _Key, message: Message, code: str | None = None, **params: Any) -> None:
        """A problem at ``where`` that ``message`` states; its code is ``program.<code>`` (the message's
        code when not given), its params ``params`` (the message's when not given)."""
        self.problems.append(Problem(f"{self.src}, {where.shown}" if where.shown else self.src, message,
                                     code=f"program.{code}" if code else message.code, params=params, file=self.src,
                                     field=where.path or None))

    def rule_problem(self, shown: str, path: str, message: Message, code: str | None = None, **params: Any) -> None:
        """A problem of the gates or the support rule (:mod:`evaluator.rules`), with its key."""
        self.bad(_Key(shown, path), message, code, **params)

    def unknown(self, obj: dict, allowed: set[str], where: _Key) -> None:
        for k in sorted(set(obj) - allowed):
            self.bad(where + k, msg("program.unknown_key", "is not a known key (typo?)", key=k))

    def text(self, obj: dict, key: str, where: _Key, required: bool = True) -> str:
        v = obj.get(key)
        if v is None:
            if required:
                self.bad(where + key, msg("program.missing", "is missing"))
            return ""
        if not isinstance(v, str) or (required and not v.strip()):
            self.bad(where + key, msg("program.not_text", "must be non-empty text, got {got}", got=repr(v)))
            return ""
        return v.strip()

    def code(self, obj: dict, key: str, where: _Key, pattern: re.Pattern[str] = _CODE) -> str:
        v = self.text(obj, key, where)
        if v and not pattern.match(v):
            self.bad(where + key, msg("program.bad_field_key", "{value} is not a valid code (lower-case letters, digits "
                                      "and _, starting with a letter)", value=repr(v)) if pattern is _FIELD_KEY else
                     msg("program.bad_code", "{value} is not a valid code (letters, digits, '.', '_' and '-', at most "
                         "40)", value=repr(v)), "bad_code", got=v)
            return ""
        return v

    def integer(self, obj: dict, key: str, where: _Key, *, default: Any = None, minimum: int = 0,
                required: bool = True) -> int | None:
        v = obj.get(key, default)
        if v is None:
            if required:
                self.bad(where + key, msg("program.missing", "is missing"))
            return None
        if isinstance(v, bool) or not isinstance(v, int):
            self.bad(where + key, msg("program.not_integer", "must be a whole number, got {got}", got=repr(v)))
            return None
        if v < minimum:
            self.bad(where + key, msg("program.out_of_range_min", "must be at least {low}, got {got}", low=minimum,
                                      got=v), "out_of_range")
            return None
        return v

    def number(self, obj: dict, key: str, where: _Key, *, default: Any = None, low: float = 0.0,
               high: float = 100.0) -> float | None:
        v = obj.get(key, default)
        if v is None:
            return None
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            self.bad(where + key, msg("program.not_number", "must be a number, got {got}", got=repr(v)))
            return None
        if not low <= v <= high:
            self.bad(where + key, msg("program.out_of_range", "must be between {low:g} and {high:g}, got {got:g}",
                                      low=low, high=high, got=v))
            return None
        return float(v)

    def boolean(self, obj: dict, key: str, where: _Key, default: bool) -> bool:
        v = obj.get(key, default)
        if not isinstance(v, bool):
            self.bad(where + key, msg("program.not_boolean", "must be true or false, got {got}", got=repr(v)))
            return default
        return v

    def day(self, obj: dict, key: str, where: _Key) -> date | None:
        v = obj.get(key)
        if v is None:
            return None
        if isinstance(v, datetime):
            self.bad(where + key, msg("program.date_and_time", "must be a date (YYYY-MM-DD), got a date and time {got}",
                                      got=v.isoformat()), "not_date")
            return None
        if isinstance(v, date):
            return v
        if isinstance(v, str):
            try:
                return date.fromisoformat(v.strip())
            except ValueError:
                pass
        self.bad(where + key, msg("program.not_date", "must be a date (YYYY-MM-DD), got {got}", got=repr(v)))
        return None

    def strings(self, obj: dict, key: str, where: _Key) -> tuple[str, ...]:
        v = obj.get(key, [])
        if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
            self.bad(where + key, msg("program.not_text_list", "must be a list of non-empty texts"))
            return ()
        return tuple(x.strip() for x in v)

    def tables(self, key: str) -> list[dict]:
        v = self.data.get(key, [])
        if not isinstance(v, list) or not all(isinstance(x, dict) for x in v):
            self.bad(_Key() + key, msg("program.not_table_list", "must be a list of tables ([[{key}]])", key=key))
            return []
        return v

    @staticmethod
    def item(key: str, i: int, obj: dict, id_key: str) -> _Key:
        ident = obj.get(id_key) if isinstance(obj.get(id_key), str) else None
        return _Key(f"{key}[{i}]{f' ({ident})' if ident else ''}.", f"{key}[{i}].")

    # --- the file ---------------------------------------------------------------------------------
    def program(self) -> ProgramDef | None:
        d, top = self.data, _Key()
        self.unknown(d, _TOP_KEYS, top)
        fmt = d.get("format")
        if fmt != FORMAT_VERSION:
            self.bad(top + "format", msg("program.wrong_format", "must be {expected}, got {got}",
                                         expected=FORMAT_VERSION, got=repr(fmt)))
        code = self.code(d, "code", top)
        name_ko = self.text(d, "name_ko", top)
        name_en = self.text(d, "name_en", top, required=False)
        office_ko = self.text(d, "office_ko", top)
        office_en = self.text(d, "office_en", top, required=False)
        intake = d.get("intake", "fixed")
        if intake not in INTAKE_MODES:
            self.bad(top + "intake", msg("program.not_one_of", "must be one of {allowed}, got {got}",
                                         allowed=", ".join(INTAKE_MODES), got=repr(intake)))
            intake = "fixed"
        opened_on, closed_on = self.day(d, "opened_on", top), self.day(d, "closed_on", top)
        if opened_on and closed_on and closed_on < opened_on:
            self.bad(top + "closed_on", msg("program.closed_before_opened", "{closed_on} is before opened_on "
                                            "{opened_on}", closed_on=str(closed_on), opened_on=str(opened_on)),
                     "window_backwards")
        ranking = self.ranking()
        tracks = self.tracks()
        categories = self.categories()
        fields = self.fields()
        rounds = self.rounds(intake, self.track_codes, opened_on, closed_on)
        districts = self.districts()
        rules = parse_rules(d, {f.key: (f.label_ko, f.label_en or f.key, f.type) for f in fields if f.key},
                            self.track_codes, {r.code for r in rounds}, self.rule_problem,
                            {f.key: f.values for f in fields if f.type == "choice"})
        if self.problems:
            return None
        hashes = {t.code: t.rubric.content_hash for t in tracks}
        return ProgramDef(
            code=code, name_ko=name_ko, name_en=name_en, office_ko=office_ko, office_en=office_en, intake=intake,
            opened_on=opened_on, closed_on=closed_on, ranking=ranking, tracks=tuple(tracks),
            categories=tuple(categories), fields=tuple(fields), rounds=tuple(rounds), districts=districts,
            content_hash=content_hash(self.data, hashes), rules=rules,
        )

    def ranking(self) -> dict[str, Any]:
        top = _Key()
        raw = self.data.get("ranking", {})
        if not isinstance(raw, dict):
            self.bad(top + "ranking", msg("program.not_table_ranking", "must be a table ([ranking])"), "not_table")
            return dict(DEFAULT_RANKING)
        w = _Key("ranking.", "ranking.")
        self.unknown(raw, _RANKING_KEYS, w)
        out = dict(DEFAULT_RANKING)
        method = raw.get("method", out["method"])
        if method not in METHODS:
            self.bad(w + "method", msg("program.not_one_of", "must be one of {allowed}, got {got}",
                                       allowed=", ".join(METHODS), got=repr(method)))
        else:
            out["method"] = method
        trim = self.integer(raw, "trim_min_evaluators", w, default=out["trim_min_evaluators"], minimum=3)
        if trim is not None:
            out["trim_min_evaluators"] = trim
        spread = self.number(raw, "disagreement_threshold", w, default=out["disagreement_threshold"])
        if spread is not None:
            out["disagreement_threshold"] = spread
        rules = raw.get("tie_breaks", out["tie_breaks"])
        if not isinstance(rules, list) or any(r not in TIE_BREAKS for r in rules) or len(set(rules)) != len(rules):
            self.bad(w + "tie_breaks", msg("program.bad_tie_breaks", "must list distinct rules from {allowed}, got {got}",
                                           allowed=", ".join(TIE_BREAKS), got=repr(rules)))
        else:
            out["tie_breaks"] = list(rules)
        return out

    def rubric(self, t: dict, w: _Key) -> tuple[str, Rubric | None]:
        rel = self.text(t, "rubric", w)
        if not rel:
            return "", None
        if rel in self.rubrics:
            return rel, self.rubrics[rel]
        path = self.base / rel
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            self.bad(w + "rubric", msg("program.rubric_missing", "names the rubric file {file}, which does not exist "
                                       "(paths are relative to the program file)", file=repr(rel)), path=rel)
            return rel, None
        except UnicodeDecodeError as exc:
            self.bad(w + "rubric", msg("program.rubric_not_utf8", "names the rubric file {file}, which is not UTF-8 "
                                       "text (byte {byte})", file=repr(rel), byte=exc.start), "rubric_unreadable",
                     path=rel)
            return rel, None
        except OSError as exc:
            self.bad(w + "rubric", msg("program.rubric_unreadable", "names the rubric file {file}, which cannot be "
                                       "read: {reason}", file=repr(rel), reason=exc.strerror or str(exc)), path=rel)
            return rel, None
        try:
            rd = parse_rubric(text, source_name=Path(rel).name)
        except RubricError as exc:
            if exc.problems:
                self.problems.extend(exc.problems)  # each names the rubric file and its key
            else:
                self.bad(w + "rubric", msg("program.rubric_invalid", "{reason}", reason=exc.sentence), path=rel)
            return rel, None
        if rd.kind != "evaluation":  # a monitoring rubric rates visits to awarded projects, not applications
            self.bad(w + "rubric", msg("program.rubric_kind", "names the rubric file {file}, which is a {kind} rubric; "
                                       "a track is scored with an evaluation rubric", file=repr(rel), kind=rd.kind),
                     path=rel)
            return rel, None
        self.rubrics[rel] = rd
        return rel, rd

    def tracks(self) -> list[TrackDef]:
        raw = self.tables("tracks")
        if not raw and isinstance(self.data.get("tracks", []), list):
            self.bad(_Key() + "tracks", msg("program.none_given", "at least one track is required ([[tracks]])"))
        out: list[TrackDef] = []
        seen: set[str] = set()
        self.track_codes = seen  # every track the file names (rounds refer to them, valid or not)
        for i, t in enumerate(raw):
            w = self.item("tracks", i, t, "code")
            self.unknown(t, _TRACK_KEYS, w)
            code = self.code(t, "code", w)
            if code and code in seen:
                self.bad(w + "code", msg("program.duplicate_track", "duplicate track code {value}", value=repr(code)),
                         "duplicate", id=code)
            seen.add(code)
            name_ko = self.text(t, "name_ko", w)
            name_en = self.text(t, "name_en", w, required=False)
            rel, rd = self.rubric(t, w)
            pin = t.get("rubric_version")
            if pin is not None:
                if not isinstance(pin, str) or not re.fullmatch(r"[0-9a-f]{12,64}", pin):
                    self.bad(w + "rubric_version", msg("program.bad_version", "must be the rubric's version (12 to 64 "
                                                       "hex digits), got {got}", got=repr(pin)))
                elif rd is not None and not rd.content_hash.startswith(pin):
                    self.bad(w + "rubric_version", msg("program.rubric_version_mismatch", "the rubric file {file} is "
                                                       "version {got}, not {expected}", file=repr(rel), got=rd.version,
                                                       expected=pin), expected=pin, got=rd.version)
            quota = self.integer(t, "quota", w, minimum=0)
            reserve = self.integer(t, "reserve", w, default=3, minimum=0)
            budget = self.integer(t, "budget", w, minimum=0, required=False)
            min_score = self.number(t, "min_score", w)
            if rd is not None and code and quota is not None and reserve is not None:
                out.append(TrackDef(code=code, name_ko=name_ko, name_en=name_en, rubric_file=rel, rubric=rd,
                                    quota=quota, reserve_size=reserve, budget=budget, min_score=min_score))
        return out

    def categories(self) -> list[CategoryDef]:
        out: list[CategoryDef] = []
        seen: set[str] = set()
        labels: dict[str, str] = {}
        for i, c in enumerate(self.tables("categories")):
            w = self.item("categories", i, c, "code")
            self.unknown(c, _CATEGORY_KEYS, w)
            code = self.code(c, "code", w)
            if code and code in seen:
                self.bad(w + "code", msg("program.duplicate_category", "duplicate category code {value}",
                                         value=repr(code)), "duplicate", id=code)
            seen.add(code)
            cat = CategoryDef(code, self.text(c, "name_ko", w), self.text(c, "name_en", w, required=False),
                              self.strings(c, "aliases", w))
            for label in (cat.name_ko, cat.name_en, *cat.aliases):
                k = "".join(label.split()).casefold()
                if k and labels.setdefault(k, code) != code:
                    self.bad(w + "name_ko", msg("program.ambiguous_label", "the label {label} also names category "
                                                "{other}", label=repr(label), other=repr(labels[k])),
                             label=label, other=labels[k])
            out.append(cat)
        if OTHER_CATEGORY[0] not in seen:
            out.append(CategoryDef(*OTHER_CATEGORY))
        return out

    def fields(self) -> list[FieldDef]:
        out: list[FieldDef] = []
        seen: set[str] = set()
        for i, f in enumerate(self.tables("fields")):
            w = self.item("fields", i, f, "key")
            self.unknown(f, _FIELD_KEYS, w)
            key = self.code(f, "key", w, _FIELD_KEY)
            if key in BUILT_IN_FIELDS:
                self.bad(w + "key", msg("program.built_in", "{value} is a built-in application field; choose another "
                                        "key", value=repr(key)), id=key)
            elif key and key in seen:
                self.bad(w + "key", msg("program.duplicate_field", "duplicate field key {value}", value=repr(key)),
                         "duplicate", id=key)
            seen.add(key)
            kind = f.get("type", "text")
            if kind not in FIELD_TYPES:
                self.bad(w + "type", msg("program.not_one_of", "must be one of {allowed}, got {got}",
                                         allowed=", ".join(FIELD_TYPES), got=repr(kind)))
                kind = "text"
            values: tuple[str, ...] = ()
            if kind == "choice":
                values = self.strings(f, "values", w)
                if not values and "values" not in f:
                    self.bad(w + "values", msg("program.choice_needs_values", "a choice field lists its values "
                                               "(values = [\"…\", \"…\"])"))
                elif len({"".join(v.split()).casefold() for v in values}) != len(values):
                    self.bad(w + "values", msg("program.duplicate_values", "the values must be distinct"))
            elif "values" in f:
                self.bad(w + "values", msg("program.values_not_choice", "only a choice field has values (this one is "
                                           "{kind})", kind=kind))
            out.append(FieldDef(key=key, label_ko=self.text(f, "label_ko", w),
                                label_en=self.text(f, "label_en", w, required=False),
                                aliases=self.strings(f, "aliases", w), type=kind,
                                required=self.boolean(f, "required", w, False),
                                personal=self.boolean(f, "personal", w, False), values=values))
        return out

    def rounds(self, intake: str, track_codes: set[str], opened_on: date | None,
               closed_on: date | None) -> list[RoundDef]:
        raw = self.tables("rounds")
        if not raw:
            if intake == "rolling" and isinstance(self.data.get("rounds", []), list):
                self.bad(_Key() + "rounds", msg("program.rolling_needs_rounds", "a rolling program lists its rounds "
                                                "([[rounds]]) with their intake windows"))
            return [default_round(opened_on, closed_on)]
        out: list[RoundDef] = []
        seen: set[str] = set()
        for i, r in enumerate(raw):
            w = self.item("rounds", i, r, "code")
            self.unknown(r, _ROUND_KEYS, w)
            code = self.code(r, "code", w)
            if code and code in seen:
                self.bad(w + "code", msg("program.duplicate_round", "duplicate round code {value}", value=repr(code)),
                         "duplicate", id=code)
            seen.add(code)
            opens, closes = self.day(r, "opens_on", w), self.day(r, "closes_on", w)
            if intake == "rolling":
                for key, v in (("opens_on", opens), ("closes_on", closes)):
                    if v is None and key not in r:
                        self.bad(w + key, msg("program.missing_window", "is missing (a rolling program places "
                                              "applications by these dates)"), "missing")
            if opens and closes and closes < opens:
                self.bad(w + "closes_on", msg("program.closes_before_opens", "{closes_on} is before opens_on {opens_on}",
                                              closes_on=str(closes), opens_on=str(opens)), "window_backwards")
            per_track: dict[str, RoundTrackDef] = {}
            tr = r.get("tracks", {})
            if not isinstance(tr, dict) or not all(isinstance(v, dict) for v in tr.values()):
                self.bad(w + "tracks", msg("program.not_table_round_tracks", "must be a table of tracks "
                                           "([rounds.tracks.CODE] with quota and budget)"), "not_table")
                tr = {}
            for tcode, vals in tr.items():
                tw = w + f"tracks.{tcode}."
                if tcode not in track_codes:
                    self.bad(w + f"tracks.{tcode}", msg("program.unknown_track", "{value} is not a track of this "
                                                        "program (tracks: {tracks})", value=repr(tcode),
                                                        tracks=", ".join(sorted(track_codes)) or "none"),
                             track=tcode)
                    continue
                self.unknown(vals, _ROUND_TRACK_KEYS, tw)
                per_track[tcode] = RoundTrackDef(self.integer(vals, "quota", tw, minimum=0, required=False),
                                                 self.integer(vals, "budget", tw, minimum=0, required=False))
            rd = RoundDef(code=code, name_ko=self.text(r, "name_ko", w), name_en=self.text(r, "name_en", w, False),
                          opens_on=opens, closes_on=closes, tracks=per_track)
            for other in out:
                if _overlap(rd, other):
                    self.bad(w + "opens_on", msg("program.window_overlap", "the window {opens} – {closes} overlaps "
                                                 "round {other} ({other_opens} – {other_closes})",
                                                 opens=rd.opens_on or "…", closes=rd.closes_on or "…",
                                                 other=repr(other.code), other_opens=other.opens_on or "…",
                                                 other_closes=other.closes_on or "…"), round=other.code)
            out.append(rd)
        return out

    def districts(self) -> dict[str, str]:
        v = self.data.get("districts")
        if v is None:
            return {}
        top = _Key()
        if isinstance(v, list) and v and all(isinstance(x, str) and x.strip() for x in v):
            return {x.strip(): x.strip() for x in v}
        if isinstance(v, dict) and v and all(isinstance(x, str) and x.strip() for x in v.values()):
            return {str(k).strip(): x.strip() for k, x in v.items()}
        self.bad(top + "districts", msg("program.bad_districts", "must be a list of district names, or a table of "
                                        "Korean = English names"))
        return {}


def _overlap(a: RoundDef, b: RoundDef) -> bool:
    """Whether two rounds' intake windows share a day (an open end reaches as far as it can)."""
    if (a.opens_on is None and a.closes_on is None) or (b.opens_on is None and b.closes_on is None):
        return False  # a round without a window takes applications by their round column only
    lo_a, hi_a = a.opens_on or date.min, a.closes_on or date.max
    lo_b, hi_b = b.opens_on or date.min, b.closes_on or date.max
    return lo_a <= hi_b and lo_b <= hi_a


def program_rules(source: str, fields: list[dict[str, Any]], track_codes: set[str],
                  round_codes: set[str]) -> RuleSet:
    """The gates and support rule of a stored program file (its text, as ``Program.source`` keeps it;
    validated when the program was created, so a problem here is refused as for a new file)."""
    if not source:
        return EMPTY
    data = tomllib.loads(source)
    if "gates" not in data and "support" not in data and not any(
            isinstance(t, dict) and "selection" in t for t in data.get("tracks", [])):
        return EMPTY
    problems: list[Problem] = []
    v = _Validator(data, "<stored program>", Path("."), {}, problems)
    defs = [FieldDef.from_dict(f) for f in fields]
    rules = parse_rules(data, {f.key: (f.label_ko, f.label_en or f.key, f.type) for f in defs}, track_codes,
                        round_codes, v.rule_problem, {f.key: f.values for f in defs if f.type == "choice"})
    if problems:
        raise ProgramFileError(msg("program.stored_rules_problems", "The stored program file has {count} "
                                   "{count:problem|problems} in its rules:", count=len(problems)), problems)
    return rules


__all__ = ["CategoryDef", "FieldDef", "ProgramDef", "RoundDef", "RoundTrackDef", "TrackDef", "default_round",
           "load_program_file", "parse_program", "program_rules"]
