"""What a result package carries, checked strictly before anything of it is used.

* :func:`read_manifest` — the signed manifest, after its signature verified: every field's type,
  and every number within its documented range (docs/package-format.md, "Ranges");
* :func:`read_data` — data.json: evaluations with their scores, site visits with their checklist
  answers, attachment records (``_evaluations``, ``_visits``, ``_attachments``);
* :func:`trail_entries` (:func:`check_trail`), :func:`check_counts`, :func:`check_times` — the
  laptop's audit trail is a list of entries ending at the signed head, the manifest's counts equal
  what the package holds, and no time is later than the office's clock allows;
* :class:`_RubricCheck` — a score is valid for its rubric (used while merging, per track).

Every problem raises :class:`formats.Invalid` naming the member, record and field; the merge adds
the file name.  The JSON members were parsed with :func:`formats.loads` under their limits
(size, nesting depth, number of values), so nothing here meets a structure deeper than those.
"""

from __future__ import annotations

import functools
import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import chain, repeat
from operator import eq, is_not, itemgetter
from typing import Any

from ..domain import DRAFT, FINALISED
from ..messages import Message, msg
from . import formats as F

#: the largest record version a package may carry (a version counts one record's changes on its laptop;
#: the office adds one per change it merges, within the database's 32-bit integers)
MAX_VERSION = 1_000_000_000
#: package numbers run from 1 to this, per laptop …
MAX_SEQUENCE = 1_000_000_000
#: … and grow one by one: a package numbered more than this past the last one merged from its
#: laptop is refused (a laptop cannot have made so many packages that the office never saw)
SEQUENCE_STEP = 1_000
#: the manifest's counts are at most this (and exactly what the package holds)
MAX_COUNT = 1_000_000_000
#: a time in a package may be at most this much later than the office computer's clock
FUTURE_TOLERANCE = timedelta(hours=1)
_COUNTS = ("evaluations", "finalised", "scores", "site_visits", "attachments", "audit_entries")
_HEX = frozenset("0123456789abcdef")


# --- the manifest ---------------------------------------------------------------------------------
@dataclass(slots=True)
class Manifest:
    """The fields of a signed manifest the office uses, checked (``doc`` is the whole of it)."""

    doc: dict[str, Any]
    evaluator: str
    program_uuid: str
    program_code: str
    rubrics: dict[str, str]
    device: str
    sequence: int
    kit_sequence: int
    created_at: datetime
    counts: dict[str, int]
    audit_head: str
    #: every member but the manifest and its signature: name -> (sha256, size)
    members: dict[str, tuple[str, int]]
    #: the package's format version (F.PACKAGE_VERSIONS)
    version: int = 1
    #: (version 2) members also listed as the archive stores them: name -> (sha256, size) of
    #: those bytes; audit.json must be (a merge checks it so, without inflating it)
    stored: dict[str, tuple[str, int]] | None = None


def whole(v: Any, where: str, low: int, high: int) -> int:
    """``v`` if it is a whole number (not a boolean) from ``low`` to ``high``."""
    if type(v) is not int or not low <= v <= high:
        shown = repr(v) if type(v) is not int or abs(v) < 10**30 else f"a {len(str(abs(v)))}-digit number"
        raise F.Invalid(msg("packages.data.not_whole", "{where} is {shown}; it must be a whole number from {low:,} "
                            "to {high:,}", where=where, shown=shown[:60], low=low, high=high))
    return v


def _digest(v: Any, where: str) -> str:
    if type(v) is not str or len(v) != 64 or not _HEX.issuperset(v):
        raise F.Invalid(msg("packages.data.not_sha256", "{where} is not a SHA-256 hash (64 lower-case hexadecimal "
                            "digits)", where=where))
    return v


def read_manifest(doc: Any) -> Manifest:
    """The manifest's fields, each of its type and within its range (:class:`formats.Invalid`)."""
    if not isinstance(doc, dict) or doc.get("format") != F.PACKAGE_FORMAT:
        raise F.Invalid(msg("packages.manifest.not_package", "its manifest is not that of a Maeul Evaluator result "
                            "package"))
    version = doc.get("format_version")
    if type(version) is not int or version not in F.PACKAGE_VERSIONS:
        raise F.Invalid(msg("packages.manifest.format_version", "it has format version {version}; this version reads "
                            "version {supported}", version=str(version)[:20], supported=F.PACKAGE_VERSIONS_SHOWN))
    evaluator = F.need(doc, "evaluator", dict, "manifest")
    program = F.need(doc, "program", dict, "manifest")
    rubrics = F.need(doc, "rubrics", dict, "manifest")
    for code, digest in rubrics.items():
        _digest(digest, f"manifest rubrics[{code[:40]!r}]")
    device = F.need(doc, "device", str, "manifest")
    if not 1 <= len(device) <= 80:
        raise F.Invalid(msg("packages.manifest.device", "manifest device is not a laptop id (1 to 80 characters)"))
    counts = F.need(doc, "counts", dict, "manifest")
    members: dict[str, tuple[str, int]] = {}
    stored: dict[str, tuple[str, int]] = {}
    for name, entry in F.need(doc, "members", dict, "manifest").items():
        where = f"manifest members[{name[:80]!r}]"
        members[name] = (_digest(F.need(entry, "sha256", str, where), f"{where}.sha256"),
                         whole(F.need(entry, "size", int, where), f"{where}.size", 0, 2**40))
        if version >= 2 and (name == "audit.json" or "stored" in entry):
            kept = F.need(entry, "stored", dict, where)
            stored[name] = (_digest(F.need(kept, "sha256", str, f"{where}.stored"), f"{where}.stored.sha256"),
                            whole(F.need(kept, "size", int, f"{where}.stored"), f"{where}.stored.size", 0, 2**40))
    return Manifest(
        doc=doc, evaluator=F.need(evaluator, "code", str, "manifest evaluator"),
        program_uuid=F.need(program, "uuid", str, "manifest program"),
        program_code=str(program.get("code"))[:80], rubrics=rubrics, device=device,
        sequence=whole(doc.get("sequence"), "manifest sequence", 1, MAX_SEQUENCE),
        kit_sequence=whole(doc.get("kit_sequence"), "manifest kit_sequence", 0, MAX_SEQUENCE),
        created_at=_when(doc.get("created_at"), "manifest created_at"),
        counts={k: whole(counts.get(k), f"manifest counts.{k}", 0, MAX_COUNT) for k in _COUNTS},
        audit_head=_digest(doc.get("audit_head"), "manifest audit_head"), members=members, version=version,
        stored=stored if version >= 2 else None,
    )


# --- data.json ------------------------------------------------------------------------------------
@dataclass(slots=True)
class Contents:
    """The records of data.json, checked (see :func:`read_data`)."""

    evaluations: list[dict[str, Any]]
    site_visits: list[dict[str, Any]]
    attachments: list[dict[str, Any]]


def read_data(data: Any, m: Manifest, members: dict[str, bytes], program_uuid: str) -> Contents:
    if F.need(data, "evaluator", str, "data.json") != m.evaluator or F.need(data, "device", str, "data.json") != m.device \
            or F.need(data, "program", str, "data.json") != program_uuid:
        raise F.Invalid(msg("packages.data.not_manifest", "data.json does not match the manifest"))
    return Contents(_evaluations(data), _visits(data), _attachments(data, members))


def check_trail(trail: Any, m: Manifest) -> None:
    """The laptop's audit trail is a list of entries ending at the head the manifest signs.  (Its
    hash chain is checked on the laptop before export and at the office by ``packages --verify``.)"""
    if type(trail) is not list or not all(type(e) is dict for e in trail):
        raise F.Invalid(msg("packages.trail.not_list", "audit.json is not a list of audit entries"))
    head = trail[-1].get("hash") if trail else _GENESIS
    if head != m.audit_head:
        raise F.Invalid(msg("packages.trail.head", "audit.json does not end at the audit_head of the manifest"))


_GENESIS = "0" * 64  # (audit.GENESIS: the head of an empty trail)
#: how an entry of a laptop's trail begins: its JSON is canonical (sorted keys), "action" first
_ENTRY_START = b'{"action":"'


def trail_entries(data: bytes, m: Manifest) -> int:
    """The number of entries of ``audit.json`` (its bytes), after :func:`check_trail`'s checks —
    without parsing the whole trail when it is as a laptop writes it: its bounds and its outline (a
    list of objects, counted from its bytes alone: :func:`formats.objects_in_list`), and its last
    entry, parsed, whose hash must be the manifest's ``audit_head``.  The merge keeps the trail as
    evidence and reads nothing else of it; parsing it all (one entry per keystroke) cost more than
    checking the visits of a package.  Anything else is parsed whole and checked as before, so
    every refusal says the same sentence.  (The trail's hash chain, and every entry parsed, are
    checked at the office by ``packages --verify``.)"""
    n = F.objects_in_list(data, "audit.json", F.AUDIT_LIMITS)
    if n is not None:
        n = _last_entry(data, m, n)
    if n is None:
        trail = F.loads(data, "audit.json", F.AUDIT_LIMITS)
        check_trail(trail, m)
        n = len(trail)
    return n


def _last_entry(data: bytes, m: Manifest, n: int) -> int | None:
    """``n`` when the last of the trail's ``n`` objects is an entry ending at the signed head (and
    the text is UTF-8 without a lone surrogate, as :func:`formats.loads` wants); None when this
    cannot say."""
    if not (data == b"[]" or data.startswith(b"[" + _ENTRY_START) and data.endswith(b"}]")) \
            or F._SURROGATE_ESCAPE.search(data):
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if n == 0:
        return n if m.audit_head == _GENESIS else None
    start = data.rfind(_ENTRY_START)
    if start < 0:
        return None
    try:  # (the last object of the list when this is where it starts: else no JSON object is there)
        last = F._DECODER.decode(data[start:-1].decode("utf-8"))
    except ValueError:
        return None
    return n if type(last) is dict and last.get("hash") == m.audit_head else None


def check_counts(m: Manifest, c: Contents, audit_entries: int) -> None:
    """The manifest's counts are exactly what the package holds (``audit_entries``: the entries of
    its audit.json, :func:`trail_entries`)."""
    points = list(map(_POINTS, chain.from_iterable(map(_SCORES, c.evaluations))))
    present = {"evaluations": len(c.evaluations), "finalised": list(map(_STATE, c.evaluations)).count(FINALISED),
               "scores": len(points) - points.count(None), "site_visits": len(c.site_visits),
               "attachments": len(c.attachments), "audit_entries": audit_entries}
    for k in _COUNTS:
        if m.counts[k] != present[k]:
            raise F.Invalid(msg("packages.manifest.count", "manifest counts.{key} is {count:,}, but the package "
                                "holds {held:,}", key=k, count=m.counts[k], held=present[k]))


_POINTS, _SCORES, _STATE = itemgetter(3), itemgetter("scores"), itemgetter("state")
_UPDATED_AT = itemgetter("updated_at")
_SCORE_UPDATED_AT = itemgetter(6)


def check_times(m: Manifest, c: Contents, now: datetime, monitoring_photos: list[dict[str, Any]] = ()) -> None:
    """No time that orders changes ("the later change wins") is later than ``now`` plus
    :data:`FUTURE_TOLERANCE`: a laptop clock set ahead, or a forged time, would otherwise win
    every later decision.  (``monitoring_photos``: a package's photos of monitoring visits, whose
    ``created_at`` is kept and orders them like an evaluation's photos.)"""
    limit = now + FUTURE_TOLERANCE
    latest = max(chain([m.created_at], map(_UPDATED_AT, c.evaluations), map(_UPDATED_AT, c.site_visits),
                       filter(None, map(itemgetter("finalised_at"), c.evaluations)),
                       filter(None, map(itemgetter("created_at"), c.attachments)),
                       filter(None, map(itemgetter("created_at"), monitoring_photos)),
                       map(_SCORE_UPDATED_AT, chain.from_iterable(map(itemgetter("scores"), c.evaluations)))))
    if latest <= limit:
        return
    for where, when in chain(_times(m, c), ((f"monitoring_photos[{i}].created_at", p["created_at"])
                                            for i, p in enumerate(monitoring_photos))):  # the first one, to name it
        if when is not None and when > limit:
            raise F.Invalid(msg("packages.data.future_time",
                                "{where} is {when}, later than this computer's clock ({now} UTC) plus {hours:g} hour; "
                                "a laptop clock set ahead would win every later 'later change wins' decision. Check "
                                "the clocks of the laptop and of this computer, then export and merge again",
                                where=where, when=F.iso(when), now=now.strftime("%Y-%m-%d %H:%M"),
                                hours=FUTURE_TOLERANCE.total_seconds() / 3600))


def _times(m: Manifest, c: Contents):
    yield "manifest created_at", m.created_at
    for i, e in enumerate(c.evaluations):
        yield f"evaluations[{i}].updated_at", e["updated_at"]
        yield f"evaluations[{i}].finalised_at", e["finalised_at"]
        for j, sc in enumerate(e["scores"]):
            yield f"evaluations[{i}].scores[{j}].updated_at", sc[6]
    for i, v in enumerate(c.site_visits):
        yield f"site_visits[{i}].updated_at", v["updated_at"]
    for i, a in enumerate(c.attachments):
        yield f"attachments[{i}].created_at", a["created_at"]


# (the checks of data.json's records)
_EVAL_KEYS = {"uuid", "application", "state", "finalised_at", "abstained", "abstain_reason", "comment", "version",
              "updated_at", "scores"}
_SCORE_KEYS = {"uuid", "criterion", "level", "points", "comment", "version", "updated_at"}
_VISIT_KEYS = {"uuid", "application", "visited_at", "attendees", "checklist", "notes", "version", "updated_at"}
_MAX_TEXT = 100_000
_NONE = type(None)
_NOT_NONE = functools.partial(is_not, None)
_SCORE_KEY = itemgetter(1, 2, 3, 4)  # of an incoming score tuple: (criterion, level, points, comment)
_SCORE_CODE = itemgetter(1)


def _naive_datetime(text: str) -> datetime | None:
    """A timestamp as the laptop writes it (ISO 8601, no zone); None when ``text`` is not one."""
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        return None
    return None if dt.tzinfo is not None else dt


def _text(v: Any, where: str, limit: int = _MAX_TEXT) -> str:
    if type(v) is not str or len(v) > limit:
        raise F.Invalid(msg("packages.data.not_text", "{where} is not a text of at most {limit:,} characters",
                            where=where, limit=limit))
    return v


def _int(v: Any, where: str) -> int:
    if type(v) is not int or v < 0 or v > MAX_VERSION:
        raise F.Invalid(msg("packages.data.not_version", "{where} is not a whole number from 0 to {high:,}",
                            where=where, high=MAX_VERSION))
    return v


def need_time(v: Any, where: str, *, optional: bool = False) -> datetime | None:
    """A date and time of data.json as the laptop writes it (ISO 8601, UTC, no zone), else
    :class:`formats.Invalid` naming ``where``."""
    return _when(v, where, optional=optional)


def _when(v: Any, where: str, *, optional: bool = False) -> datetime | None:
    if v is None and optional:
        return None
    if type(v) is not str or len(v) > 40:
        raise F.Invalid(msg("packages.data.not_datetime", "{where} is not a date and time", where=where))
    try:
        dt = datetime.fromisoformat(v)
    except ValueError:
        raise F.Invalid(msg("packages.data.not_datetime", "{where} is not a date and time", where=where)) from None
    if dt.tzinfo is not None:
        raise F.Invalid(msg("packages.data.time_zone", "{where} must be in UTC without a time zone", where=where))
    return dt


def _list(data: Any, key: str) -> list[Any]:
    v = data.get(key) if isinstance(data, dict) else None
    if type(v) is not list:
        raise F.Invalid(msg("packages.data.no_list", "data.json has no '{key}' list", key=key))
    return v


def _evaluations(data: Any) -> list[dict[str, Any]]:
    """The evaluations of data.json, checked strictly; scores become tuples
    (uuid, criterion, level, points, comment, version, updated_at, updated_at as SQLite text)."""
    if not isinstance(data, dict) or data.get("score_columns") != list(F.SCORE_COLUMNS):
        raise F.Invalid(msg("packages.data.score_columns", "data.json does not list its score_columns as this "
                            "version expects"))
    raw = _list(data, "evaluations")
    out = _evaluations_at_once(raw)
    if out is None:  # something is wrong: the careful loop says what
        out = _evaluations_one_by_one(raw)
    # the scores (100,000 in a big merge) are checked all at once, column by column; only when that
    # finds something wrong does the careful loop run, to say exactly where
    lists = [e["scores"] for e in out]
    flat = _scores_at_once(list(chain.from_iterable(lists)))
    if flat is not None:
        lengths = list(map(len, lists))
        # the criteria of each evaluation are distinct: (evaluation, criterion) pairs all differ
        if len(set(zip(chain.from_iterable(map(repeat, range(len(lengths)), lengths)),
                       map(_SCORE_CODE, flat)))) != len(flat):
            flat = None
    if flat is not None:
        at = 0
        for e, n in zip(out, lengths):
            e["scores"] = flat[at:at + n]
            at += n
    else:
        for i, e in enumerate(out):
            e["scores"] = _scores_one_by_one(e["scores"], f"evaluations[{i}]")
    return out


_EVAL_COLUMNS = itemgetter("uuid", "application", "state", "finalised_at", "abstained", "abstain_reason", "comment",
                           "version", "updated_at", "scores")


def _evaluations_at_once(raw: list[Any]) -> list[dict[str, Any]] | None:
    """Every evaluation checked field by field, over all of them at once (C-speed); None if
    anything is off.  The JSON objects themselves are returned, their timestamps parsed."""
    if not raw:
        return []
    if set(map(type, raw)) != {dict} or not all(map(eq, map(dict.keys, raw), repeat(_EVAL_KEYS))):
        return None
    uuids, apps, states, fins, abstained, reasons, comments, versions, updated, scores = zip(*map(_EVAL_COLUMNS, raw))
    if set(map(type, apps)) != {str} or max(map(len, apps)) > 60 or len(set(apps)) != len(apps):
        return None
    if set(map(type, states)) != {str} or not set(states) <= {DRAFT, FINALISED}:
        return None
    if set(map(type, abstained)) != {bool} or set(map(type, scores)) != {list}:
        return None
    if set(map(type, uuids)) != {str} or max(map(len, uuids)) > 36:
        return None
    for texts in (reasons, comments):
        if set(map(type, texts)) != {str} or max(map(len, texts)) > _MAX_TEXT:
            return None
    if set(map(type, versions)) != {int} or min(versions) < 0 or max(versions) > MAX_VERSION:
        return None
    if not set(map(type, fins)) <= {str, _NONE} or set(map(type, updated)) != {str}:
        return None
    when: dict[str | None, datetime | None] = {None: None}
    for text in set(fins).union(updated):
        if text is None:
            continue
        dt = _naive_datetime(text) if len(text) <= 40 else None
        if dt is None:
            return None
        when[text] = dt
    for e, fin, upd in zip(raw, fins, updated):
        e["finalised_at"] = when[fin]
        e["updated_at"] = when[upd]
    return raw


def _evaluations_one_by_one(raw: list[Any]) -> list[dict[str, Any]]:
    """The same checks as :func:`_evaluations_at_once`, naming the first evaluation that fails."""
    out, seen = [], set()
    for i, e in enumerate(raw):
        w = f"evaluations[{i}]"
        if type(e) is not dict or e.keys() != _EVAL_KEYS:
            raise F.Invalid(msg("packages.data.evaluation_fields", "{where} does not have the fields of an evaluation",
                                where=w))
        app = _text(e["application"], f"{w}.application", 60)
        if app in seen:
            raise F.Invalid(msg("packages.data.application_twice", "{where}: application {app} appears twice", where=w,
                                app=app))
        seen.add(app)
        if e["state"] not in (DRAFT, FINALISED):
            raise F.Invalid(msg("packages.data.state", "{where}.state is not draft or finalised", where=w))
        if type(e["abstained"]) is not bool:
            raise F.Invalid(msg("packages.data.abstained", "{where}.abstained has the wrong type", where=w))
        if type(e["scores"]) is not list:
            raise F.Invalid(msg("packages.data.scores_type", "{where}.scores has the wrong type", where=w))
        out.append({
            "uuid": _text(e["uuid"], f"{w}.uuid", 36), "application": app, "state": e["state"],
            "finalised_at": _when(e["finalised_at"], f"{w}.finalised_at", optional=True),
            "abstained": e["abstained"], "abstain_reason": _text(e["abstain_reason"], f"{w}.abstain_reason"),
            "comment": _text(e["comment"], f"{w}.comment"), "version": _int(e["version"], f"{w}.version"),
            "updated_at": _when(e["updated_at"], f"{w}.updated_at"), "scores": e["scores"],
        })
    return out


def _scores_at_once(raw: list[Any]) -> list[tuple] | None:
    """Every score checked column by column (C-speed); None if anything is off."""
    if not raw:
        return []
    if set(map(type, raw)) != {list} or set(map(len, raw)) != {len(F.SCORE_COLUMNS)}:
        return None
    uuids, crits, levels, points, comments, versions, updated = zip(*raw)
    if set(map(type, uuids)) != {str} or max(map(len, uuids)) > 36:
        return None
    # columns of few distinct texts are checked on their distinct values (a value equal to a text is
    # a text; a list or an object makes set() fail)
    try:
        distinct = [set(crits), set(levels), set(comments), set(updated)]
    except TypeError:
        return None
    crit_set, level_set, comment_set, updated_set = distinct
    if set(map(type, crit_set)) != {str} or max(map(len, crit_set)) > 80:
        return None
    if not set(map(type, level_set)) <= {str, _NONE} or max(map(len, filter(None, level_set)), default=0) > 10:
        return None
    if set(map(type, comment_set)) != {str} or max(map(len, comment_set)) > _MAX_TEXT:
        return None
    if set(map(type, updated_set)) != {str} or max(map(len, updated_set)) > 40:
        return None
    kinds = set(map(type, points))
    if not kinds <= {float, int, _NONE}:
        return None
    if int in kinds:
        points = tuple(float(p) if type(p) is int else p for p in points)
    if not all(map(math.isfinite, filter(_NOT_NONE, points) if _NONE in kinds else points)):
        return None
    if set(map(type, versions)) != {int} or min(versions) < 0 or max(versions) > MAX_VERSION:
        return None
    dts, texts = {}, {}
    for text in updated_set:  # a laptop's scores share few distinct timestamps
        dt = _naive_datetime(text)
        if dt is None:
            return None
        dts[text] = dt
        # the timestamp also as SQLite stores it, made here (while opening, on the worker thread)
        texts[text] = dt.isoformat(" ", "microseconds")
    return list(zip(uuids, crits, levels, points, comments, versions, map(dts.__getitem__, updated),
                    map(texts.__getitem__, updated)))


def _scores_one_by_one(raw: list[Any], w: str) -> list[tuple]:
    """The same checks as :func:`_scores_at_once`, naming the first score that fails."""
    scores, crits = [], set()
    for j, sc in enumerate(raw):
        if type(sc) is not list or len(sc) != len(F.SCORE_COLUMNS):
            raise F.Invalid(msg("packages.data.not_score", "{where}.scores[{index}] is not a score ({count} values)",
                                where=w, index=j, count=len(F.SCORE_COLUMNS)))
        uuid, crit, level, points, comment, version, updated = sc
        if type(crit) is not str or len(crit) > 80 or crit in crits:
            raise F.Invalid(msg("packages.data.score_criterion", "{where}.scores[{index}]: the criterion is not a "
                                "text or appears twice", where=w, index=j))
        crits.add(crit)
        if level is not None and (type(level) is not str or len(level) > 10):
            raise F.Invalid(msg("packages.data.score_level", "{where}.scores[{index}]: the level has the wrong type",
                                where=w, index=j))
        if points is not None and type(points) is not float:
            if type(points) is int:
                points = float(points)
            else:
                raise F.Invalid(msg("packages.data.score_points", "{where}.scores[{index}]: the points are not a "
                                    "number", where=w, index=j))
        if points is not None and not math.isfinite(points):
            raise F.Invalid(msg("packages.data.score_points", "{where}.scores[{index}]: the points are not a number",
                                where=w, index=j))
        if type(uuid) is not str or len(uuid) > 36 or type(comment) is not str or len(comment) > _MAX_TEXT:
            raise F.Invalid(msg("packages.data.score_uuid", "{where}.scores[{index}]: the uuid or comment has the "
                                "wrong type or length", where=w, index=j))
        if type(version) is not int or not 0 <= version <= MAX_VERSION:
            raise F.Invalid(msg("packages.data.score_version", "{where}.scores[{index}]: the version is not a whole "
                                "number", where=w, index=j))
        try:
            when = datetime.fromisoformat(updated) if type(updated) is str and len(updated) <= 40 else None
        except ValueError:
            when = None
        if when is None or when.tzinfo is not None:
            raise F.Invalid(msg("packages.data.score_updated_at", "{where}.scores[{index}]: updated_at is not a date "
                                "and time (UTC)", where=w, index=j))
        scores.append((uuid, crit, level, points, comment, version, when, when.isoformat(" ", "microseconds")))
    return scores


def _visits(data: Any) -> list[dict[str, Any]]:
    out, seen = [], set()
    for i, v in enumerate(_list(data, "site_visits")):
        w = f"site_visits[{i}]"
        if type(v) is not dict or v.keys() != _VISIT_KEYS:
            raise F.Invalid(msg("packages.data.visit_fields", "{where} does not have the fields of a site visit",
                                where=w))
        app = _text(v["application"], f"{w}.application", 60)
        if app in seen:
            raise F.Invalid(msg("packages.data.application_twice", "{where}: application {app} appears twice", where=w,
                                app=app))
        seen.add(app)
        checklist = v["checklist"]
        if type(checklist) is not dict or not all(type(x) is bool for x in checklist.values()):
            raise F.Invalid(msg("packages.data.checklist", "{where}.checklist answers must be true or false", where=w))
        out.append({
            "uuid": _text(v["uuid"], f"{w}.uuid", 36), "application": app,
            "visited_at": _when(v["visited_at"], f"{w}.visited_at", optional=True),
            "attendees": _text(v["attendees"], f"{w}.attendees"), "checklist": checklist,
            "notes": _text(v["notes"], f"{w}.notes"), "version": _int(v["version"], f"{w}.version"),
            "updated_at": _when(v["updated_at"], f"{w}.updated_at"),
        })
    return out


def _attachments(data: Any, members: dict[str, bytes]) -> list[dict[str, Any]]:
    out = []
    for i, a in enumerate(_list(data, "attachments")):
        w = f"attachments[{i}]"
        digest = F.need(a, "sha256", str, w)
        body = members.get(f"attachments/{digest}")
        deleted = F.need(a, "deleted", bool, w)
        size = F.need(a, "size", int, w)
        if body is None and deleted:  # a deleted photo's record travels without its bytes
            if not 0 <= size < 2**63:
                raise F.Invalid(msg("packages.data.attachment_size", "{where}: its size is out of range", where=w))
        elif body is None or size != len(body):
            raise F.Invalid(msg("packages.data.attachment_content", "{where}: its content is missing or of the wrong "
                                "size", where=w))
        out.append({
            "uuid": _text(F.need(a, "uuid", str, w), f"{w}.uuid", 36), "application": _text(F.need(a, "application", str, w), f"{w}.application", 60),
            "criterion": F.need(a, "criterion", str, w, optional=True),
            "filename": F.need(a, "filename", str, w)[:300], "media_type": F.need(a, "media_type", str, w)[:100],
            "sha256": digest, "size": len(body) if body is not None else size,
            "caption": _text(F.need(a, "caption", str, w), f"{w}.caption"),
            "created_at": _when(a.get("created_at"), f"{w}.created_at", optional=True),
            "deleted": deleted,
        })
    return out


# --- scores against their rubric ------------------------------------------------------------------
_UNSCORED = (None, None, "")
#: at most this many score items kept per rubric during a merge (points-scored criteria add some)
_ITEMS_CACHED = 20_000


class _RubricCheck:
    """What a score may be under one rubric: {criterion: ("levels", {key: points}) | ("points", max)}."""

    def __init__(self, rd: Any, crits: dict[str, Any]) -> None:
        self.rd = rd
        self.ids = {code: c.id for code, c in crits.items()}
        #: the required criteria (a finalised evaluation scores them all: ``rd.missing`` is empty)
        self.required = tuple(c.code for c in rd.criteria if c.required)
        self.allowed: dict[str, tuple[str, Any]] = {}
        #: every valid (criterion, level, points) of level-scored criteria: one set lookup per score
        self.valid: set[tuple[str, str | None, float | None]] = set()
        for c in rd.criteria:
            if c.scoring == "levels":
                pts = {lv.key: rd.points_for_level(c, lv.key) for lv in rd.levels}
                self.allowed[c.code] = ("levels", pts)
                self.valid.update((c.code, k, p) for k, p in pts.items())
                self.valid.add((c.code, None, None))
            else:
                self.allowed[c.code] = ("points", c.max_points)
        self.required_set = frozenset(self.required)
        self.n_codes = len(self.allowed)
        #: the content-hash item (see :func:`formats.evaluation_hash`) of a valid score without a
        #: comment, by (criterion, level, points, comment): "" for an empty score (not hashed),
        #: else ``repr((criterion, level, points, comment))`` — filled in as scores are met
        self.items: dict[tuple, str] = {(code, None, None, ""): "" for code in self.allowed}
        for code, key, pts in self.valid:
            if key is not None and pts:  # (never 0: -0.0 == 0.0, but their repr differs)
                self.items[(code, key, pts, "")] = repr((code, key, float(pts), ""))
        # a score's item starts with "(" + repr(criterion) + ", ": when those prefixes sort as the
        # criteria do and none is a prefix of another, sorting the items sorts them by criterion
        pre = {code: f"({code!r}, " for code in self.allowed}
        ordered = sorted(self.allowed, key=pre.__getitem__)
        self.items_sort = ordered == sorted(self.allowed) and \
            not any(pre[b].startswith(pre[a]) for a, b in zip(ordered, ordered[1:]))

    def checked_hash(self, e: dict[str, Any]) -> str | None:
        """The checks of one incoming evaluation's scores (each valid for the rubric; a finalised
        evaluation has every required score) and, when they pass, its content hash — exactly
        :func:`formats.evaluation_hash`, built from each score's item (made once per distinct
        score) instead of one ``repr`` of the whole evaluation.  None when anything is off: the
        caller then runs the plain checks, which say what."""
        items = self.items
        parts = list(map(items.get, map(_SCORE_KEY, e["scores"])))  # by (criterion, level, points, comment)
        unscored = False
        if None in parts:
            keys = list(map(_SCORE_KEY, e["scores"]))
            for i, part in enumerate(parts):
                if part is not None:
                    continue
                key = keys[i]
                code, lv, pts, m = key
                if (code, lv, pts) not in self.valid and self.problem(code, lv, pts) is not None:
                    return None
                if pts is None:  # (a valid score without points has no level)
                    unscored = True
                    if not m:
                        parts[i] = ""
                        continue
                parts[i] = part = repr((code, lv, None if pts is None else float(pts), m))
                if not m and pts and len(items) < _ITEMS_CACHED:
                    items[key] = part
        empty = "" in parts
        if e["state"] == FINALISED and not e["abstained"]:
            if empty or unscored:
                if not self.required_set.issubset([sc[1] for sc in e["scores"] if sc[3] is not None]):
                    return None
            elif len(parts) != self.n_codes and not self.required_set.issubset(map(_SCORE_CODE, e["scores"])):
                return None
        if self.items_sort:
            parts.sort()
        else:
            parts = [part for _, part in sorted(zip(map(_SCORE_CODE, e["scores"]), parts))]
        if empty:
            parts = [part for part in parts if part]
        text = f"({e['state']!r}, {e['abstained']!r}, {e['abstain_reason']!r}, {e['comment']!r}, [{', '.join(parts)}])"
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def problem(self, code: str, level: str | None, points: float | None) -> Message | None:
        """What is wrong with one score, as the end of a sentence about its evaluation (None if nothing)."""
        rule = self.allowed.get(code)
        if rule is None:
            return msg("packages.score.unknown_criterion", "scores criterion '{criterion}', which rubric '{rubric}' "
                       "does not have", criterion=code, rubric=self.rd.code)
        kind, spec = rule
        if kind == "levels":
            if level is None:
                return None if points is None else msg("packages.score.points_without_level",
                                                      "gives criterion '{criterion}' points without a level",
                                                      criterion=code)
            want = spec.get(level)
            if want is None:
                return msg("packages.score.unknown_level", "gives criterion '{criterion}' the unknown level '{level}'",
                           criterion=code, level=level)
            if points is None or abs(points - want) > 1e-6:
                return msg("packages.score.points_not_level", "gives criterion '{criterion}' points that do not "
                           "match its level", criterion=code)
            return None
        if level is not None:
            return msg("packages.score.level_for_points", "gives criterion '{criterion}' (scored in points) a level",
                       criterion=code)
        if points is not None and not 0 <= points <= spec:
            return msg("packages.score.points_out_of_range", "gives criterion '{criterion}' {points:g} "
                       "{points:point|points}, outside 0–{max:g}", criterion=code, points=points, max=spec)
        return None


def _incoming(e: dict[str, Any]) -> dict[str, tuple]:
    """An incoming evaluation's scores by criterion: (level, points, comment).  (The criteria of
    one evaluation are distinct: :func:`_evaluations` made sure.)"""
    return {code: (level, points, comment) for _, code, level, points, comment, _, _, _ in e["scores"]}
