"""Merging result packages into the office database — all or nothing per package.

Phase 1, :func:`open_package` (no database lock): read the file, decrypt it with the office's key,
check the inner archive's safety, verify the evaluator's signature with the key **pinned in the
office database** (never the one the package carries), every member's hash, the program and the
rubric hashes and the data's shape.  Anything wrong raises :class:`PackageRejected` with one
sentence saying what.  (The laptop's audit chain is checked on the laptop before export and again
on demand at the office, from the evidence kept: ``PackageOps.verify_package_evidence``.)

Phase 2, :func:`apply_package` (inside the caller's write transaction, in a savepoint per
package): take the merge lock, detect replays (an older sequence number than one already merged is
rejected; the same package again is "unchanged"), load the evaluator's records in a handful of
queries, check every record against the assignments and the rubric, decide per record, write in
bulk, and record the receipt, the evidence (signed manifest, signature, data and laptop audit
trail as they came), any conflicts and the audit entries.

Per record (an evaluation with its scores, or a site visit), with *D* the package's device:

* not at the office yet → added;
* *D*'s version not newer than the last one merged from *D* → unchanged (a re-sent record);
* same content as the office's → unchanged;
* the office still holds *D*'s previous value (or nothing yet) → updated (the newer version from
  the owning evaluator supersedes it);
* otherwise the record was changed elsewhere too (another device of the same evaluator, or the
  office) → a **conflict**, reported with both values and resolved by the rule: a finalised
  evaluation beats a draft; otherwise the later change wins; on equal times the larger device id.
  The office can choose the other value later (:meth:`PackageOps.resolve_conflict`).

The outcome does not depend on the order in which packages are merged.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain, repeat
from operator import eq, is_not, itemgetter
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import audit
from ..heap import gc_paused
from ..db.models import (
    Application, Assignment, Attachment, Evaluation, PackageReceipt, Score, SiteVisit, Track, new_uuid, utcnow,
)
from ..domain import DRAFT, FINALISED
from ..services.common import criteria_by_code, rubric_def
from . import formats as F
from .archive import read_archive
from .bulk import Bulk
from .envelope import open_envelope
from .errors import KeyProblem, PackageRejected
from .keys import Identity, key_fingerprint, signature_fingerprint, unb64, verify_signature
from .models import MergeConflict, MergeLineage, PackageEvidence
from .results import MERGED, REJECTED, UNCHANGED, ConflictInfo, ConflictSide, MergeReport

MAX_PACKAGE_BYTES = 2**31
_ATTACHMENT = re.compile(r"^attachments/[0-9a-f]{64}$")
_FIXED = ("manifest.json", "manifest.sig", "data.json", "audit.json")
EPOCH = datetime(1970, 1, 1)

RULE_EVALUATION = ("a finalised evaluation beats a draft; otherwise the later change wins; on equal times the "
                   "larger device id")
RULE_VISIT = "the later change wins; on equal times the larger device id"


# --- phase 1 --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PinnedEvaluator:
    id: int
    code: str
    public_key: bytes | None
    fingerprint: str | None


@dataclass(frozen=True)
class OfficeContext:
    program_id: int
    program_uuid: str
    program_code: str
    rubric_hashes: dict[str, str]
    evaluators: dict[str, PinnedEvaluator]
    #: what a merge works out once for all its packages (rubric checks)
    cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


@dataclass
class OpenedPackage:
    path: str
    sha256: str
    manifest: dict[str, Any]
    manifest_bytes: bytes
    signature: bytes
    fingerprint: str
    evaluator: PinnedEvaluator
    device: str
    sequence: int
    evaluations: list[dict[str, Any]]
    site_visits: list[dict[str, Any]]
    attachments: list[dict[str, Any]]
    #: data.json and audit.json as stored in the archive: (ZIP method, bytes)
    data_raw: tuple[int, bytes] = field(repr=False)
    audit_raw: tuple[int, bytes] = field(repr=False)
    audit_entries: int
    audit_head: str
    blobs: dict[str, bytes] = field(repr=False)


def _allowed(name: str) -> bool:
    return name in _FIXED or bool(_ATTACHMENT.match(name))


def read_package_file(path: str | Path) -> bytes:
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_PACKAGE_BYTES:
            raise PackageRejected(f"{p.name} is {size:,} bytes; a package is at most {MAX_PACKAGE_BYTES:,}.")
        return p.read_bytes()
    except OSError as exc:
        raise PackageRejected(f"Cannot read {p}: {exc.strerror or exc}.") from None


def unseal(blob: bytes, office: Identity, what: str,
           raw: dict[str, tuple[int, bytes]] | None = None) -> tuple[dict[str, Any], bytes, bytes, dict[str, bytes]]:
    """Decrypt and open the inner archive: (manifest, manifest bytes, signature, members)."""
    inner = open_envelope(blob, office, what=what)
    members = read_archive(inner, what=what, allowed=_allowed, raw=raw)
    for name in _FIXED:
        if name not in members:
            raise PackageRejected(f"{what} is incomplete: it has no {name}.")
    try:
        manifest = F.loads(members["manifest.json"], "manifest.json")
    except F.Invalid as exc:
        raise PackageRejected(f"{what}: {exc}.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != F.PACKAGE_FORMAT:
        raise PackageRejected(f"{what} is not a Maeul Evaluator result package.")
    if manifest.get("format_version") != F.FORMAT_VERSION:
        raise PackageRejected(f"{what} has format version {manifest.get('format_version')}; this version reads "
                              f"version {F.FORMAT_VERSION}.")
    return manifest, members["manifest.json"], members["manifest.sig"], members


def signer_key(manifest: dict[str, Any], what: str) -> tuple[bytes, str]:
    """The public key the package *says* signed it (used only to register a key, after the office
    confirmed its fingerprint out of band — never to verify a merge)."""
    try:
        signer = F.need(manifest, "signer", dict, "manifest")
        pk = unb64(F.need(signer, "public_key", str, "manifest signer"), f"{what}: the signer key", 32)
    except (F.Invalid, KeyProblem) as exc:
        raise PackageRejected(f"{what} is damaged: {exc}.") from None
    return pk, key_fingerprint(pk)


def _naive_datetime(text: str) -> datetime | None:
    """A timestamp as the laptop writes it (ISO 8601, no zone); None when ``text`` is not one."""
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        return None
    return None if dt.tzinfo is not None else dt


def _gc_paused(func):
    """Run ``func`` with the cyclic garbage collector paused (:func:`gc_paused`)."""

    @functools.wraps(func)
    def paused(*args: Any, **kwargs: Any) -> Any:
        with gc_paused():
            return func(*args, **kwargs)

    return paused


@_gc_paused
def open_package(path: str | Path, office: Identity, ctx: OfficeContext) -> OpenedPackage:
    path = Path(path)
    what = f"Package {path.name}"
    blob = read_package_file(path)
    raw: dict[str, tuple[int, bytes]] = {}
    manifest, manifest_bytes, signature, members = unseal(blob, office, what, raw)
    try:
        code = F.need(F.need(manifest, "evaluator", dict, "manifest"), "code", str, "manifest evaluator")
        ev = ctx.evaluators.get(code)
        if ev is None:
            raise PackageRejected(f"{what} comes from evaluator {code}, who is not in this office database.")
        if ev.public_key is None:
            _, fp = signer_key(manifest, what)
            raise PackageRejected(
                f"{what} comes from {code}, whose key is not registered yet. Confirm with {code} that their key "
                f"fingerprint is {fp}, then run 'evaluator keys register {code} {path} --fingerprint {fp}'."
            )
        if not verify_signature(ev.public_key, signature, F.SIGNING_CONTEXT + manifest_bytes):
            raise PackageRejected(f"{what} is not signed by the key registered for {code} ({ev.fingerprint}); it "
                                  "was altered or signed by someone else.")
        listed = F.need(manifest, "members", dict, "manifest")
        expected = set(members) - {"manifest.json", "manifest.sig"}
        if set(listed) != expected:
            raise PackageRejected(f"{what}: its members do not match the signed manifest.")
        for name in expected:
            entry = F.need(listed, name, dict, "manifest members")
            if F.need(entry, "sha256", str, f"members[{name}]") != F.sha256(members[name]):
                raise PackageRejected(f"{what}: {name} does not match its hash in the signed manifest.")
        prog = F.need(manifest, "program", dict, "manifest")
        if F.need(prog, "uuid", str, "manifest program") != ctx.program_uuid:
            raise PackageRejected(f"{what} is for program '{prog.get('code')}', not this office's program "
                                  f"'{ctx.program_code}'.")
        for rcode, digest in F.need(manifest, "rubrics", dict, "manifest").items():
            have = ctx.rubric_hashes.get(rcode)
            if have is None:
                raise PackageRejected(f"{what} was scored with rubric '{rcode}', which this program does not have.")
            if have != digest:
                raise PackageRejected(f"{what} was scored with rubric '{rcode}' version {str(digest)[:12]}, but the "
                                      f"office has version {have[:12]}; the rubric changed after the kit was made.")
        device = F.need(manifest, "device", str, "manifest")
        sequence = F.need(manifest, "sequence", int, "manifest")
        if not device or len(device) > 80 or sequence < 1:
            raise F.Invalid("manifest device or sequence is out of range")
        data = F.loads(members["data.json"], "data.json")
        if F.need(data, "evaluator", str, "data.json") != code or F.need(data, "device", str, "data.json") != device \
                or F.need(data, "program", str, "data.json") != ctx.program_uuid:
            raise F.Invalid("data.json does not match the manifest")
        evaluations = _evaluations(data)
        visits = _visits(data)
        attachments = _attachments(data, members)
        # The laptop's audit trail is authentic (its hash is in the signed manifest) and the laptop
        # checked its chain before exporting; it is kept as it came, and its chain can be checked
        # again at any time (verify_package_evidence) — not here, where a trail with one entry per
        # keystroke would cost more than the merge itself.
        counts = F.need(manifest, "counts", dict, "manifest")
        audit_entries = F.need(counts, "audit_entries", int, "manifest counts")
        audit_head = F.need(manifest, "audit_head", str, "manifest")
        if len(audit_head) != 64:
            raise F.Invalid("manifest audit_head is not a hash")
    except F.Invalid as exc:
        raise PackageRejected(f"{what} is malformed: {exc}.") from None
    blobs = {name: body for name, body in members.items() if name.startswith("attachments/")}
    return OpenedPackage(
        path=str(path), sha256=F.sha256(blob), manifest=manifest, manifest_bytes=manifest_bytes,
        signature=signature, fingerprint=signature_fingerprint(signature), evaluator=ev, device=device,
        sequence=sequence, evaluations=evaluations, site_visits=visits, attachments=attachments,
        data_raw=raw["data.json"], audit_raw=raw["audit.json"], audit_entries=audit_entries,
        audit_head=audit_head, blobs=blobs,
    )


_EVAL_KEYS = {"uuid", "application", "state", "finalised_at", "abstained", "abstain_reason", "comment", "version",
              "updated_at", "scores"}
_SCORE_KEYS = {"uuid", "criterion", "level", "points", "comment", "version", "updated_at"}
_VISIT_KEYS = {"uuid", "application", "visited_at", "attendees", "checklist", "notes", "version", "updated_at"}
_MAX_TEXT = 100_000
_NONE = type(None)
_NOT_NONE = functools.partial(is_not, None)
_SCORE_KEY = itemgetter(1, 2, 3, 4)  # of an incoming score tuple: (criterion, level, points, comment)
_SCORE_CODE = itemgetter(1)


def _text(v: Any, where: str, limit: int = _MAX_TEXT) -> str:
    if type(v) is not str or len(v) > limit:
        raise F.Invalid(f"{where} is not a text of at most {limit:,} characters")
    return v


def _int(v: Any, where: str) -> int:
    if type(v) is not int or v < 0 or v > 2**31:
        raise F.Invalid(f"{where} is not a whole number")
    return v


def _when(v: Any, where: str, *, optional: bool = False) -> datetime | None:
    if v is None and optional:
        return None
    if type(v) is not str or len(v) > 40:
        raise F.Invalid(f"{where} is not a date and time")
    try:
        dt = datetime.fromisoformat(v)
    except ValueError:
        raise F.Invalid(f"{where} is not a date and time") from None
    if dt.tzinfo is not None:
        raise F.Invalid(f"{where} must be in UTC without a time zone")
    return dt


def _list(data: Any, key: str) -> list[Any]:
    v = data.get(key) if isinstance(data, dict) else None
    if type(v) is not list:
        raise F.Invalid(f"data.json has no '{key}' list")
    return v


def _evaluations(data: Any) -> list[dict[str, Any]]:
    """The evaluations of data.json, checked strictly; scores become tuples
    (uuid, criterion, level, points, comment, version, updated_at, updated_at as SQLite text)."""
    if not isinstance(data, dict) or data.get("score_columns") != list(F.SCORE_COLUMNS):
        raise F.Invalid("data.json does not list its score_columns as this version expects")
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
    if set(map(type, versions)) != {int} or min(versions) < 0 or max(versions) > 2**31:
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
            raise F.Invalid(f"{w} does not have the fields of an evaluation")
        app = _text(e["application"], f"{w}.application", 60)
        if app in seen:
            raise F.Invalid(f"{w}: application {app} appears twice")
        seen.add(app)
        if e["state"] not in (DRAFT, FINALISED):
            raise F.Invalid(f"{w}.state is not draft or finalised")
        if type(e["abstained"]) is not bool:
            raise F.Invalid(f"{w}.abstained has the wrong type")
        if type(e["scores"]) is not list:
            raise F.Invalid(f"{w}.scores has the wrong type")
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
    if set(map(type, versions)) != {int} or min(versions) < 0 or max(versions) > 2**31:
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
            raise F.Invalid(f"{w}.scores[{j}] is not a score ({len(F.SCORE_COLUMNS)} values)")
        uuid, crit, level, points, comment, version, updated = sc
        if type(crit) is not str or len(crit) > 80 or crit in crits:
            raise F.Invalid(f"{w}.scores[{j}]: the criterion is not a text or appears twice")
        crits.add(crit)
        if level is not None and (type(level) is not str or len(level) > 10):
            raise F.Invalid(f"{w}.scores[{j}]: the level has the wrong type")
        if points is not None and type(points) is not float:
            if type(points) is int:
                points = float(points)
            else:
                raise F.Invalid(f"{w}.scores[{j}]: the points are not a number")
        if points is not None and not math.isfinite(points):
            raise F.Invalid(f"{w}.scores[{j}]: the points are not a number")
        if type(uuid) is not str or len(uuid) > 36 or type(comment) is not str or len(comment) > _MAX_TEXT:
            raise F.Invalid(f"{w}.scores[{j}]: the uuid or comment has the wrong type or length")
        if type(version) is not int or not 0 <= version <= 2**31:
            raise F.Invalid(f"{w}.scores[{j}]: the version is not a whole number")
        try:
            when = datetime.fromisoformat(updated) if type(updated) is str and len(updated) <= 40 else None
        except ValueError:
            when = None
        if when is None or when.tzinfo is not None:
            raise F.Invalid(f"{w}.scores[{j}]: updated_at is not a date and time (UTC)")
        scores.append((uuid, crit, level, points, comment, version, when, when.isoformat(" ", "microseconds")))
    return scores


def _visits(data: Any) -> list[dict[str, Any]]:
    out, seen = [], set()
    for i, v in enumerate(_list(data, "site_visits")):
        w = f"site_visits[{i}]"
        if type(v) is not dict or v.keys() != _VISIT_KEYS:
            raise F.Invalid(f"{w} does not have the fields of a site visit")
        app = _text(v["application"], f"{w}.application", 60)
        if app in seen:
            raise F.Invalid(f"{w}: application {app} appears twice")
        seen.add(app)
        checklist = v["checklist"]
        if type(checklist) is not dict or not all(type(x) is bool for x in checklist.values()):
            raise F.Invalid(f"{w}.checklist answers must be true or false")
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
        if body is None or F.need(a, "size", int, w) != len(body):
            raise F.Invalid(f"{w}: its content is missing or of the wrong size")
        out.append({
            "uuid": _text(F.need(a, "uuid", str, w), f"{w}.uuid", 36), "application": F.need(a, "application", str, w),
            "criterion": F.need(a, "criterion", str, w, optional=True),
            "filename": F.need(a, "filename", str, w)[:300], "media_type": F.need(a, "media_type", str, w)[:100],
            "sha256": digest, "size": len(body), "caption": _text(F.need(a, "caption", str, w), f"{w}.caption"),
            "created_at": _when(a.get("created_at"), f"{w}.created_at", optional=True),
            "deleted": F.need(a, "deleted", bool, w),
        })
    return out


# --- phase 2 --------------------------------------------------------------------------------------
class _Counts:
    def __init__(self) -> None:
        self.data: dict[str, dict[str, int]] = {
            k: {"added": 0, "updated": 0, "unchanged": 0}
            for k in ("evaluations", "scores", "site_visits", "attachments")
        }
        self.data["scores"]["removed"] = 0

    def add(self, kind: str, what: str, n: int = 1) -> None:
        self.data[kind][what] += n

    def total(self, what: str) -> int:
        return sum(v.get(what, 0) for v in self.data.values())


def _side(device: str, version: int, updated_at: datetime | None, values: dict[str, Any]) -> dict[str, Any]:
    return {"device": device, "version": version, "updated_at": F.iso(updated_at), "values": values}


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

    def problem(self, code: str, level: str | None, points: float | None) -> str | None:
        rule = self.allowed.get(code)
        if rule is None:
            return f"scores criterion '{code}', which rubric '{self.rd.code}' does not have"
        kind, spec = rule
        if kind == "levels":
            if level is None:
                return None if points is None else f"gives criterion '{code}' points without a level"
            want = spec.get(level)
            if want is None:
                return f"gives criterion '{code}' the unknown level '{level}'"
            if points is None or abs(points - want) > 1e-6:
                return f"gives criterion '{code}' points that do not match its level"
            return None
        if level is not None:
            return f"gives criterion '{code}' (scored in points) a level"
        if points is not None and not 0 <= points <= spec:
            return f"gives criterion '{code}' {points:g} points, outside 0–{spec:g}"
        return None


def _incoming(e: dict[str, Any]) -> dict[str, tuple]:
    """An incoming evaluation's scores by criterion: (level, points, comment).  (The criteria of
    one evaluation are distinct: :func:`_evaluations` made sure.)"""
    return {code: (level, points, comment) for _, code, level, points, comment, _, _, _ in e["scores"]}


def _eval_values(state: str, abstained: bool, reason: str, comment: str, scores: dict[str, tuple],
                 finalised_at: datetime | None) -> dict[str, Any]:
    return F.evaluation_values(state, abstained, reason, comment,
                               {c: F.score_value(lv, p, m) for c, (lv, p, m) in scores.items()}, F.iso(finalised_at))


def _compact(state: str, abstained: bool, reason: str, comment: str, scores: dict[str, tuple]) -> dict[str, Any]:
    """An evaluation as the audit entry of a merge records it: scores as [level, points, comment]."""
    return {"state": state, "abstained": abstained, "abstain_reason": reason, "comment": comment,
            "scores": {c: [lv, p, m] for c, (lv, p, m) in scores.items()}}


_EVAL_INSERT = ("uuid", "assignment_id", "state", "finalised_at", "abstained", "abstain_reason", "comment", "version",
                "updated_at", "device", "package_fingerprint")
_EVAL_UPDATE = ("state", "finalised_at", "abstained", "abstain_reason", "comment", "version", "updated_at", "device",
                "package_fingerprint")
_SCORE_INSERT = ("evaluation_id", "uuid", "criterion_id", "level", "points", "comment", "author", "version",
                 "updated_at", "device")
_SCORE_UPDATE = ("level", "points", "comment", "version", "updated_at", "device")
_VISIT_INSERT = ("uuid", "application_id", "evaluator_id", "version", "visited_at", "attendees", "checklist", "notes",
                 "updated_at", "device")
_VISIT_UPDATE = ("version", "visited_at", "attendees", "checklist", "notes", "updated_at", "device")
_LIN_INSERT = ("entity", "record_id", "evaluator_id", "device", "version", "content_hash")
_LIN_UPDATE = ("version", "content_hash")
_ATT_INSERT = ("uuid", "application_id", "evaluator_id", "criterion_id", "filename", "media_type", "sha256", "size",
               "data", "path", "caption", "created_at", "deleted")


# the statements of a merge, built once (a merge runs them for every package)
_EV, _DEV, _PROGRAM = bindparam("ev"), bindparam("dev"), bindparam("program")
_Q_RECEIPTS = (select(PackageReceipt.sequence, PackageReceipt.sha256, PackageReceipt.merged_at)
               .where(PackageReceipt.evaluator_id == _EV, PackageReceipt.device == _DEV))
_VISIT_ASSIGNMENT = (Assignment.application_id == SiteVisit.application_id) & \
    (Assignment.evaluator_id == SiteVisit.evaluator_id)
# (with the ids of the assignment's evaluation and site visit, if any — at most one each: when the
# evaluator has none at the office yet, the queries for them are not needed)
_Q_ASSIGNMENTS = (select(Assignment.id, Assignment.conflict_type, Application.id, Application.external_id,
                         Application.track_id, Evaluation.id, SiteVisit.id)
                  .join(Application, Application.id == Assignment.application_id)
                  .outerjoin(Evaluation, Evaluation.assignment_id == Assignment.id)
                  .outerjoin(SiteVisit, _VISIT_ASSIGNMENT)
                  .where(Assignment.evaluator_id == _EV, Application.program_id == _PROGRAM))
_Q_EVALUATIONS = (select(Evaluation.id, Evaluation.uuid, Evaluation.assignment_id, Evaluation.state,
                         Evaluation.finalised_at, Evaluation.abstained, Evaluation.abstain_reason, Evaluation.comment,
                         Evaluation.version, Evaluation.updated_at, Evaluation.device)
                  .join(Assignment, Assignment.id == Evaluation.assignment_id).where(Assignment.evaluator_id == _EV))
_Q_SCORES = (select(Score.id, Score.evaluation_id, Score.criterion_id, Score.level, Score.points, Score.comment,
                    Score.version)
             .join(Evaluation, Evaluation.id == Score.evaluation_id)
             .join(Assignment, Assignment.id == Evaluation.assignment_id).where(Assignment.evaluator_id == _EV))
# (site visits through the evaluator's assignments: by index, where site_visit.evaluator_id has none;
# a visit of an application not assigned to the evaluator is never looked up — such a package is rejected)
_Q_VISITS = (select(SiteVisit.id, SiteVisit.uuid, SiteVisit.application_id, SiteVisit.visited_at, SiteVisit.attendees,
                    SiteVisit.checklist, SiteVisit.notes, SiteVisit.version, SiteVisit.updated_at, SiteVisit.device)
             .join(Assignment, _VISIT_ASSIGNMENT).where(Assignment.evaluator_id == _EV))
_Q_LINEAGE = (select(MergeLineage.id, MergeLineage.entity, MergeLineage.record_id, MergeLineage.version,
                     MergeLineage.content_hash)
              .where(MergeLineage.evaluator_id == _EV, MergeLineage.device == _DEV))
_Q_ATTACHMENT_IDS = select(Attachment.id, Attachment.uuid).where(Attachment.uuid.in_(bindparam("uuids", expanding=True)))
_Q_ATTACHMENTS = (select(Attachment.id, Attachment.deleted, Attachment.caption)
                  .where(Attachment.id.in_(bindparam("ids", expanding=True))))
_Q_EVALUATION_IDS = (select(Evaluation.assignment_id, Evaluation.id)
                     .join(Assignment, Assignment.id == Evaluation.assignment_id).where(Assignment.evaluator_id == _EV))
_Q_VISIT_IDS = (select(SiteVisit.application_id, SiteVisit.id).join(Assignment, _VISIT_ASSIGNMENT)
                .where(Assignment.evaluator_id == _EV))
_RECEIPT_INSERT = PackageReceipt.__table__.insert()
_EVIDENCE_INSERT = PackageEvidence.__table__.insert()


def _driver_integrity_errors(s: Session) -> tuple[type[BaseException], ...]:
    """The DB-API driver's IntegrityError (sqlite3, or sqlcipher3 for an encrypted database)."""
    dbapi = getattr(s.get_bind().dialect, "dbapi", None)
    err = getattr(dbapi, "IntegrityError", None)
    return (err,) if isinstance(err, type) and issubclass(err, BaseException) else ()


@_gc_paused
def apply_package(s: Session, pkg: OpenedPackage, ctx: OfficeContext, *, actor: str,
                  device: str) -> tuple[MergeReport, bool]:
    """Apply an opened package inside the caller's write transaction (or savepoint).

    Returns (report, wrote): ``wrote`` is False for an unchanged re-merge (nothing to keep).
    Raises :class:`PackageRejected` for a package that must change nothing."""
    audit.lock(s)  # merges queue here, before touching any row: no deadlocks between them
    ev = pkg.evaluator
    what = f"Package {Path(pkg.path).name}"
    base = dict(path=pkg.path, evaluator=ev.code, device=pkg.device, sequence=pkg.sequence,
                fingerprint=pkg.fingerprint)
    s.flush()  # (nothing is pending between packages: the statements below go to the connection directly)
    conn = s.connection()
    receipts = conn.execute(_Q_RECEIPTS, {"ev": ev.id, "dev": pkg.device}).all()
    for seq, digest, merged_at in receipts:
        if seq == pkg.sequence:
            if digest == pkg.sha256:
                return MergeReport(status=UNCHANGED, reason=f"already merged on {merged_at:%Y-%m-%d %H:%M}; "
                                   "nothing changed", **base), False
            raise PackageRejected(f"{what} has sequence number {pkg.sequence}, like a different package from the "
                                  f"same laptop merged before; it was rejected (a replay or a copied laptop).")
    newest = max((r[0] for r in receipts), default=0)
    if newest > pkg.sequence:
        raise PackageRejected(f"{what} is package {pkg.sequence} from this laptop, older than package {newest} "
                              "already merged (a replay); the newer one already holds its work.")

    now = utcnow()
    dev, fp, reason = pkg.device, pkg.fingerprint, f"result package {pkg.fingerprint}"
    bulk = Bulk(s)
    sqlite = bulk.sqlite  # score rows carry their timestamps in the form the database stores
    counts = _Counts()
    skipped: list[str] = []
    # for the audit entry: records added (their values are the package's data.json, kept as evidence
    # and identified by its hash) and records changed, with their old and new values
    added: list[list[str]] = []
    changes: list[dict[str, Any]] = []
    conflicts: list[dict[str, Any]] = []

    # --- the evaluator's records at the office, in a handful of queries ---------------------------
    params = {"ev": ev.id, "dev": dev, "program": ctx.program_id}
    asg_rows = conn.execute(_Q_ASSIGNMENTS, params).all()
    asg_by_ext = {r[3]: tuple(r[:5]) for r in asg_rows}  # (assignment id, conflict, application id, ext, track)
    # the evaluator's evaluations, scores, site visits and lineage at the office are looked up only
    # for records found through these assignments: when there are none (a first merge), no need to ask
    has_evals = any(r[5] is not None for r in asg_rows)
    has_visits = any(r[6] is not None for r in asg_rows)
    checks = ctx.cache.get("checks")
    if checks is None:  # once per merge: the program's rubrics do not change while it runs
        tracks = s.execute(select(Track).where(Track.program_id == ctx.program_id)).scalars().all()
        checks = ctx.cache["checks"] = {t.id: _RubricCheck(rubric_def(t), criteria_by_code(s, t.rubric_id))
                                        for t in tracks}
    crit_code = {cid: code for chk in checks.values() for code, cid in chk.ids.items()}
    evals: dict[int, Any] = {}
    scores: dict[int, dict[int, Any]] = {}
    if has_evals:
        evals = {r.assignment_id: r for r in conn.execute(_Q_EVALUATIONS, params).all()}
        for r in conn.execute(_Q_SCORES, params).all():
            scores.setdefault(r.evaluation_id, {})[r.criterion_id] = r
    visits = {r.application_id: r for r in conn.execute(_Q_VISITS, params).all()} if has_visits else {}
    lineage = {(r.entity, r.record_id): r for r in conn.execute(_Q_LINEAGE, params).all()} \
        if has_evals or has_visits else {}
    have_attachments = {}
    if pkg.attachments:  # by id (indexed): never scan the table, whose rows hold the photos
        found = dict(conn.execute(_Q_ATTACHMENT_IDS, {"uuids": [a["uuid"] for a in pkg.attachments]}).all())
        if found:
            have_attachments = {found[r.id]: r for r in conn.execute(_Q_ATTACHMENTS, {"ids": list(found)}).all()}

    def assignment(ext: str, kind: str):
        row = asg_by_ext.get(ext)
        if row is None:
            raise PackageRejected(f"{what} carries {kind} of application {ext}, which is not assigned to {ev.code} "
                                  "in this office database.")
        if row[1] is not None:
            skipped.append(f"{kind} of {ext}: {ev.code} has a declared {row[1]} conflict of interest with it; "
                           "left out")
            return None
        return row

    lin_new: list[tuple] = []
    lin_upd: list[tuple] = []
    lin_pending: list[tuple[str, int, int, str]] = []  # (entity, assignment/application id, version, hash)

    def remember(entity: str, record_id: int, version: int, digest: str) -> None:
        old = lineage.get((entity, record_id))
        if old is None:
            lin_new.append((entity, record_id, ev.id, dev, version, digest))
        else:
            lin_upd.append((version, digest, old.id))

    # --- evaluations and their scores -------------------------------------------------------------
    eval_new: list[tuple] = []
    eval_upd: list[tuple] = []
    score_new: list[tuple] = []
    new_evaluations: list[tuple[int, dict[str, int], list[tuple]]] = []  # (assignment id, criterion ids, scores)
    score_upd: list[tuple] = []
    score_del: list[int] = []

    def eval_row(e: dict[str, Any], asg_id: int) -> tuple:
        if not sqlite:
            return (e["uuid"], asg_id, e["state"], e["finalised_at"], e["abstained"], e["abstain_reason"],
                    e["comment"], e["version"], e["updated_at"], dev, fp)
        fin = e["finalised_at"]  # as SQLite stores them (Bulk)
        return (e["uuid"], asg_id, e["state"], None if fin is None else fin.isoformat(" ", "microseconds"),
                1 if e["abstained"] else 0, e["abstain_reason"], e["comment"], e["version"],
                e["updated_at"].isoformat(" ", "microseconds"), dev, fp)

    n_added = n_scores_added = 0
    for e in pkg.evaluations:
        row = asg_by_ext.get(e["application"])
        if row is None or row[1] is not None:
            row = assignment(e["application"], "an evaluation")  # rejects the package, or skips a recusal
            if row is None:
                continue
        asg_id, _, app_id, ext, track_id = row
        chk = checks[track_id]
        ids = chk.ids
        h_in = chk.checked_hash(e)
        if h_in is None:  # something is off: the plain checks say what (or pass, for an unusual score)
            incoming = _incoming(e)
            if not chk.valid.issuperset([(code, lv, p) for code, (lv, p, _m) in incoming.items()]):
                for code, (lv, p, _m) in incoming.items():  # the first score that is wrong, in order
                    if (code, lv, p) not in chk.valid:
                        problem = chk.problem(code, lv, p)
                        if problem:
                            raise PackageRejected(f"{what}: the evaluation of {ext} {problem}.")
            if e["state"] == FINALISED and not e["abstained"] and \
                    any(incoming.get(code, _UNSCORED)[1] is None for code in chk.required):
                raise PackageRejected(f"{what}: the evaluation of {ext} is finalised but misses required scores.")
            h_in = F.evaluation_hash(e["state"], e["abstained"], e["abstain_reason"], e["comment"], incoming)
        cur = evals.get(asg_id)
        if cur is None:  # a new evaluation (the bulk of a first merge): every score is added
            eval_new.append(eval_row(e, asg_id))
            new_evaluations.append((asg_id, ids, e["scores"]))  # rows made once its id is known
            n_added += 1
            n_scores_added += len(e["scores"])
            lin_pending.append(("evaluation", asg_id, e["version"], h_in))
            added.append(["evaluation", e["uuid"], ext])
            continue
        incoming = _incoming(e)
        n_scores = len(e["scores"])

        def new_values() -> dict[str, Any]:
            return _eval_values(e["state"], e["abstained"], e["abstain_reason"], e["comment"], incoming,
                                e["finalised_at"])

        def compact_new() -> dict[str, Any]:
            return _compact(e["state"], e["abstained"], e["abstain_reason"], e["comment"], incoming)

        def write_scores(eval_id: int, existing: dict[int, Any]) -> None:
            if not existing:  # every score is added
                score_new.extend(
                    (eval_id, uuid, ids[code], level, points, comment, ev.code, version,
                     text if sqlite else updated, dev)
                    for uuid, code, level, points, comment, version, updated, text in e["scores"])
                counts.add("scores", "added", len(e["scores"]))
                return
            seen = set()
            for uuid, code, level, points, comment, version, updated, text in e["scores"]:
                cid = ids[code]
                seen.add(cid)
                old = existing.get(cid)
                if old is None:
                    score_new.append((eval_id, uuid, cid, level, points, comment, ev.code, version,
                                      text if sqlite else updated, dev))
                    counts.add("scores", "added")
                elif (old.level, old.points, old.comment or "") != (level, points, comment):
                    score_upd.append((level, points, comment, old.version + 1, text if sqlite else updated, dev,
                                      old.id))
                    counts.add("scores", "updated")
                else:
                    counts.add("scores", "unchanged")
            for cid, old in existing.items():
                if cid not in seen:
                    score_del.append(old.id)
                    counts.add("scores", "removed")

        def update_evaluation(cur_row: Any) -> None:
            eval_upd.append((e["state"], e["finalised_at"], e["abstained"], e["abstain_reason"], e["comment"],
                             cur_row.version + 1, e["updated_at"], dev, fp, cur_row.id))
            write_scores(cur_row.id, scores.get(cur_row.id, {}))
            counts.add("evaluations", "updated")
            changes.append({"entity": "evaluation", "uuid": cur_row.uuid, "application": ext,
                            "old": _compact(cur_row.state, cur_row.abstained, cur_row.abstain_reason,
                                            cur_row.comment, cur_scores),
                            "new": compact_new()})

        cur_scores = {crit_code[cid]: (r.level, r.points, r.comment or "") for cid, r in scores.get(cur.id, {}).items()}
        h_cur = F.evaluation_hash(cur.state, cur.abstained, cur.abstain_reason, cur.comment, cur_scores)
        lin = lineage.get(("evaluation", cur.id))
        if lin is not None and e["version"] <= lin.version:
            counts.add("evaluations", "unchanged")
            counts.add("scores", "unchanged", n_scores)
        elif h_in == h_cur:
            counts.add("evaluations", "unchanged")
            counts.add("scores", "unchanged", n_scores)
            remember("evaluation", cur.id, e["version"], h_in)
        else:
            cur_values = _eval_values(cur.state, cur.abstained, cur.abstain_reason, cur.comment, cur_scores,
                                      cur.finalised_at)
            if F.is_empty_evaluation(cur.state, cur.abstained, cur.comment, cur_scores) or \
                    (lin is not None and lin.content_hash == h_cur):
                update_evaluation(cur)
            else:
                mine = ((1 if e["state"] == FINALISED else 0), e["updated_at"], dev)
                theirs = ((1 if cur.state == FINALISED else 0), cur.updated_at or EPOCH, cur.device or "")
                incoming_wins = mine > theirs
                office_side = _side(cur.device or "", cur.version, cur.updated_at, cur_values)
                package_side = _side(dev, e["version"], e["updated_at"], new_values())
                if incoming_wins:
                    update_evaluation(cur)
                conflicts.append({"application_id": app_id, "ext": ext, "entity": "evaluation", "record_id": cur.id,
                                  "record_uuid": cur.uuid, "kept_from": "package" if incoming_wins else "office",
                                  "kept": package_side if incoming_wins else office_side,
                                  "other": office_side if incoming_wins else package_side, "rule": RULE_EVALUATION})
            remember("evaluation", cur.id, e["version"], h_in)

    counts.add("evaluations", "added", n_added)
    counts.add("scores", "added", n_scores_added)

    # --- site visits (visit log, checklist answers) ----------------------------------------------
    visit_new: list[tuple] = []
    visit_upd: list[tuple] = []
    for v in pkg.site_visits:
        row = assignment(v["application"], "a site visit")
        if row is None:
            continue
        asg_id, _, app_id, ext, track_id = row
        rd = checks[track_id].rd
        unknown = set(v["checklist"]) - {c.code for c in rd.checklist}
        if unknown:
            raise PackageRejected(f"{what}: the site visit of {ext} answers checklist items rubric '{rd.code}' does "
                                  f"not have ({', '.join(sorted(unknown))}).")
        values = F.visit_values(F.iso(v["visited_at"]), v["attendees"], v["checklist"], v["notes"])
        h_in = F.content_hash(values)
        cur = visits.get(app_id)
        fields = (v["visited_at"], v["attendees"], values["checklist"], v["notes"], v["updated_at"], dev)
        if cur is None:
            visit_new.append((v["uuid"], app_id, ev.id, v["version"]) + fields)
            counts.add("site_visits", "added")
            lin_pending.append(("site_visit", app_id, v["version"], h_in))
            added.append(["site_visit", v["uuid"], ext])
            continue
        cur_values = F.visit_values(F.iso(cur.visited_at), cur.attendees, cur.checklist or {}, cur.notes)
        h_cur = F.content_hash(cur_values)
        lin = lineage.get(("site_visit", cur.id))

        def update_visit() -> None:
            visit_upd.append((cur.version + 1,) + fields + (cur.id,))
            counts.add("site_visits", "updated")
            changes.append({"entity": "site_visit", "uuid": cur.uuid, "application": ext, "old": cur_values,
                            "new": values})

        if lin is not None and v["version"] <= lin.version:
            counts.add("site_visits", "unchanged")
        elif h_in == h_cur:
            counts.add("site_visits", "unchanged")
            remember("site_visit", cur.id, v["version"], h_in)
        elif lin is not None and lin.content_hash == h_cur:
            update_visit()
            remember("site_visit", cur.id, v["version"], h_in)
        else:
            incoming_wins = (v["updated_at"], dev) > (cur.updated_at or EPOCH, cur.device or "")
            office_side = _side(cur.device or "", cur.version, cur.updated_at, cur_values)
            package_side = _side(dev, v["version"], v["updated_at"], values)
            if incoming_wins:
                update_visit()
            conflicts.append({"application_id": app_id, "ext": ext, "entity": "site_visit", "record_id": cur.id,
                              "record_uuid": cur.uuid, "kept_from": "package" if incoming_wins else "office",
                              "kept": package_side if incoming_wins else office_side,
                              "other": office_side if incoming_wins else package_side, "rule": RULE_VISIT})
            remember("site_visit", cur.id, v["version"], h_in)

    # --- photos and documents (additive; never in conflict) ---------------------------------------
    att_new: list[tuple] = []
    att_upd: list[tuple] = []
    for a in pkg.attachments:
        row = assignment(a["application"], "a photo")
        if row is None:
            continue
        old = have_attachments.get(a["uuid"])
        if old is None:
            cid = checks[row[4]].ids.get(a["criterion"]) if a["criterion"] else None
            att_new.append((a["uuid"], row[2], ev.id, cid, a["filename"], a["media_type"], a["sha256"], a["size"],
                            pkg.blobs[f"attachments/{a['sha256']}"], None, a["caption"], a["created_at"] or now,
                            a["deleted"]))
            counts.add("attachments", "added")
            added.append(["attachment", a["uuid"], row[3]])
        elif (bool(old.deleted), old.caption or "") != (a["deleted"], a["caption"]):
            att_upd.append((a["deleted"], a["caption"], old.id))
            counts.add("attachments", "updated")
            changes.append({"entity": "attachment", "uuid": a["uuid"], "application": row[3],
                            "old": {"deleted": bool(old.deleted), "caption": old.caption},
                            "new": {"deleted": a["deleted"], "caption": a["caption"]}})
        else:
            counts.add("attachments", "unchanged")

    # --- write ------------------------------------------------------------------------------------
    try:
        bulk.insert(Evaluation.__table__, _EVAL_INSERT, eval_new, converted=True)
        bulk.insert(SiteVisit.__table__, _VISIT_INSERT, visit_new)
        if eval_new or visit_new:
            eval_ids = dict(conn.execute(_Q_EVALUATION_IDS, params).all()) if eval_new else {}
            visit_ids = dict(conn.execute(_Q_VISIT_IDS, params).all()) if visit_new else {}
            for entity, key, version, digest in lin_pending:
                rid = eval_ids[key] if entity == "evaluation" else visit_ids[key]
                lin_new.append((entity, rid, ev.id, dev, version, digest))
            evc = ev.code
            score_new += [(eid, uuid, ids[code], level, points, comment, evc, version, text if sqlite else updated, dev)
                          for asg_id, ids, rows in new_evaluations for eid in (eval_ids[asg_id],)
                          for uuid, code, level, points, comment, version, updated, text in rows]
        bulk.update(Evaluation.__table__, _EVAL_UPDATE, eval_upd)
        bulk.insert(Score.__table__, _SCORE_INSERT, score_new, converted=True)
        bulk.update(Score.__table__, _SCORE_UPDATE, score_upd, converted=True)
        bulk.delete(Score.__table__, score_del)
        bulk.update(SiteVisit.__table__, _VISIT_UPDATE, visit_upd)
        bulk.insert(Attachment.__table__, _ATT_INSERT, att_new)
        bulk.update(Attachment.__table__, ("deleted", "caption"), att_upd)
        bulk.insert(MergeLineage.__table__, _LIN_INSERT, lin_new)
        bulk.update(MergeLineage.__table__, _LIN_UPDATE, lin_upd)
    except (IntegrityError, sqlite3.IntegrityError, *_driver_integrity_errors(s)) as exc:  # bulk rows: driver cursor
        detail = str(getattr(exc, "orig", None) or exc).splitlines()[0][:120]
        raise PackageRejected(f"{what} clashes with records already in the office database ({detail}); "
                              "nothing of it was merged.") from None

    report_doc = {"counts": counts.data, "skipped": skipped, "conflicts": len(conflicts)}
    # the receipt and the evidence: one row each, written by SQLAlchemy Core (no ORM objects)
    receipt_uuid = new_uuid()
    receipt_id = conn.execute(_RECEIPT_INSERT, {
        "uuid": receipt_uuid, "evaluator_id": ev.id, "device": dev, "sequence": pkg.sequence, "sha256": pkg.sha256,
        "signature_fingerprint": fp, "manifest": pkg.manifest, "report": report_doc, "merged_at": now,
    }).inserted_primary_key[0]
    conn.execute(_EVIDENCE_INSERT, {
        "receipt_id": receipt_id, "manifest": pkg.manifest_bytes, "signature": pkg.signature,
        "data_method": pkg.data_raw[0], "data": pkg.data_raw[1], "audit_method": pkg.audit_raw[0],
        "audit_trail": pkg.audit_raw[1], "audit_entries": pkg.audit_entries, "audit_head": pkg.audit_head,
    })
    conflict_rows = []
    audit_rows: list[dict[str, Any]] = []
    for c in conflicts:
        row = MergeConflict(receipt_id=receipt_id, evaluator_id=ev.id, application_id=c["application_id"],
                            entity=c["entity"], record_id=c["record_id"], kept=c["kept"], other=c["other"],
                            kept_from=c["kept_from"], rule=c["rule"], created_at=now)
        s.add(row)
        conflict_rows.append((row, c))
        audit_rows.append({"actor": ev.code, "device": dev, "action": "merge_conflict", "entity": c["entity"],
                           "entity_uuid": c["record_uuid"], "old": c["other"]["values"], "new": c["kept"]["values"],
                           "reason": f"conflict in {reason} resolved by the rule ({c['rule']}): kept the "
                                     f"{c['kept_from']} value", "at": now})
    if conflict_rows:
        s.flush()
    # one entry for the whole package: who (the evaluator, from which laptop), when, and every record
    # it added or changed with the old and the new value
    audit_rows.insert(0, {
        "actor": ev.code, "device": dev, "action": "merge_package", "entity": "package", "entity_uuid": receipt_uuid,
        "new": {"evaluator": ev.code, "device": dev, "sequence": pkg.sequence, "sha256": pkg.sha256,
                "signature": fp, "merged_by": actor, "merged_on": device, "counts": counts.data,
                "conflicts": len(conflicts), "skipped": skipped, "laptop_audit_head": pkg.audit_head,
                "data_sha256": pkg.manifest["members"]["data.json"]["sha256"], "added": added,
                "changed": changes},
        "reason": reason, "at": now})
    audit.append_many(s, audit_rows)
    infos = tuple(_conflict_info(row, c["ext"], ev.code) for row, c in conflict_rows)
    report = MergeReport(status=MERGED, added=counts.total("added"), updated=counts.total("updated"),
                         unchanged=counts.total("unchanged"), counts=counts.data, conflicts=infos,
                         skipped=tuple(skipped), **base)
    return report, True


def _conflict_info(row: MergeConflict, application: str, evaluator: str) -> ConflictInfo:
    def side(d: dict[str, Any]) -> ConflictSide:
        return ConflictSide(device=d.get("device", ""), version=int(d.get("version", 0)),
                            updated_at=d.get("updated_at"), values=dict(d.get("values") or {}))

    return ConflictInfo(id=row.id, application_id=application, evaluator=evaluator, record=row.entity,
                        kept=side(row.kept), other=side(row.other), kept_from=row.kept_from, rule=row.rule,
                        resolution=row.resolution, resolved_by=row.resolved_by or "",
                        resolution_reason=row.resolution_reason or "")


def rejected(path: str | Path, reason: str, **extra: Any) -> MergeReport:
    return MergeReport(path=str(path), status=REJECTED, reason=reason, **extra)
