"""Merging result packages into the office database — all or nothing per package.

Phase 1, :func:`open_package` (no database lock): read the file, decrypt it with the office's key,
check the inner archive's safety, find the evaluator the manifest names and verify the signature
over the manifest's raw bytes with that evaluator's key **pinned in the office database** (never
the one the package carries) — before the manifest is parsed; then parse each JSON member within
its limits (size, nesting depth, number of values) and check every member's hash and size, the
program and rubric hashes, the data's shape, every number's range, the counts against what the
package holds, and that no time is later than this computer's clock allows
(:mod:`evaluator.packages.incoming`).  Anything wrong raises :class:`PackageRejected` with one
sentence saying what; so does anything unexpected (a bug met on this package), which is logged.

Phase 2, :func:`apply_package` (inside the caller's write transaction, in a savepoint per
package), a pipeline of named steps:

1. :func:`_sequence` — take the merge lock; the same package again is "unchanged", an older or
   reused sequence number is a replay, a number far ahead of the last one merged is refused;
2. :func:`_load_office` — the signing evaluator's assignments and records at the office, and the
   office rows the package names by uuid, in a handful of queries;
3. :func:`ownership.check` — every record must be that evaluator's (the one place the rule lives);
4. :mod:`plan` — decide per record (added, unchanged, updated, conflict) without writing;
5. :func:`_write` — write in bulk;
6. :func:`_keep` — the receipt, the evidence (signed manifest, signature, data and laptop audit
   trail as they came), any conflicts and the audit entries.

The outcome does not depend on the order in which packages are merged.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import sqlite3
import traceback
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import audit
from ..audit.personal import seal_items, session_vault
from ..db.models import (
    Application, Assignment, Attachment, Evaluation, PackageReceipt, Score, SiteVisit, Track, new_uuid, utcnow,
)
from ..heap import gc_paused
from ..messages import SOURCE_LANGUAGE, Message, msg, text
from ..monitoring import fieldwork
from ..monitoring import photos as monitoring_photos
from ..services.common import criteria_by_code, rubric_def
from . import formats as F
from . import incoming as I
from . import ownership
from . import plan as P
from .archive import inflate_member, read_archive
from .bulk import Bulk
from .envelope import HEAD, MAGIC, open_envelope, read_header
from .errors import KeyProblem, PackageRejected
from .incoming import _RubricCheck
from .keys import Identity, key_fingerprint, signature_fingerprint, unb64, verify_signature
from .models import MergeConflict, MergeLineage, PackageEvidence
from .results import MERGED, REJECTED, UNCHANGED, ConflictInfo, ConflictSide, MergeReport

log = logging.getLogger(__name__)

MAX_PACKAGE_BYTES = 2**31
_ATTACHMENT = re.compile(r"^attachments/[0-9a-f]{64}$")
_FIXED = ("manifest.json", "manifest.sig", "data.json", "audit.json")


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
    #: the visitor's monitoring visits (evaluator.monitoring.fieldwork; docs/follow-up.md)
    monitoring_visits: list[dict[str, Any]] = field(default_factory=list)
    #: the photos of those visits (evaluator.monitoring.photos)
    monitoring_photos: list[dict[str, Any]] = field(default_factory=list)


def _allowed(name: str) -> bool:
    return name in _FIXED or bool(_ATTACHMENT.match(name))


def read_package_file(path: str | Path, *, head: bool = False) -> bytes:
    """The bytes of a package file (``head``: only its first :data:`~.envelope.HEAD` bytes, or all
    of it when it does not start as a package does); :class:`PackageRejected` when it is missing,
    unreadable or too big."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_PACKAGE_BYTES:
            raise PackageRejected(msg("packages.file_too_big", "{file} is {size:,} bytes; a package is at most "
                                      "{limit:,}.", file=p.name, size=size, limit=MAX_PACKAGE_BYTES))
        if head:
            with p.open("rb") as f:
                first = f.read(HEAD)
            if first.startswith(MAGIC) or len(first) < HEAD:
                return first
        return p.read_bytes()
    except FileNotFoundError:
        raise PackageRejected(msg("packages.file_missing", "The package file {path} does not exist.",
                                  path=str(p))) from None
    except OSError as exc:
        raise PackageRejected(msg("packages.unreadable_file", "Cannot read {path}: {reason}.", path=str(p),
                                  reason=str(exc.strerror or exc))) from None


def precheck(path: str | Path) -> MergeReport | None:
    """The checks of a package file that need no key — it is there, readable, not too big, and an
    envelope with a sound header — made before any passphrase is asked for (or a key created): the
    report of a file that is not a result package, or None when only the office key can tell more."""
    p = Path(path)
    try:
        head = read_package_file(p, head=True)
        read_header(head, p.stat().st_size, what=msg("packages.package", "Package {name}", name=p.name))
    except PackageRejected as exc:
        return rejected(p, exc.message)
    except OSError as exc:
        return rejected(p, msg("packages.unreadable_file", "Cannot read {path}: {reason}.", path=str(p),
                               reason=str(exc.strerror or exc)))
    return None


def open_archive(blob: bytes, office: Identity, what: str | Message,
                 raw: dict[str, tuple[int, bytes]] | None = None) -> dict[str, bytes]:
    """Decrypt the package and read its inner archive safely; nothing in it is parsed yet."""
    inner = open_envelope(blob, office, what=what)
    members = read_archive(inner, what=what, allowed=_allowed, raw=raw)
    _complete(members, (), what)
    return members


def _complete(members: dict[str, bytes], kept: Any, what: str | Message) -> None:
    """The archive has every fixed member (read, or ``kept`` deflated)."""
    for name in _FIXED:
        if name not in members and name not in kept:
            raise PackageRejected(msg("packages.incomplete", "{what} is incomplete: it has no {member}.", what=what,
                                      member=name))


#: where a laptop's manifest says its format version (canonical JSON: sorted keys, "format" first)
_FORMAT_VERSION = re.compile(rb'"format":"maeul-evaluator-package","format_version":([0-9]{1,4})[,}]')


def _trail_kept_deflated(name: str, read: dict[str, bytes]) -> bool:
    """Whether the merge reads ``name`` as stored, not inflated: the laptop's trail of a package of
    format version 2, whose signed manifest names the trail's stored bytes (read_archive's
    ``keep_deflated``; the version read from the manifest's raw bytes, which a laptop writes before
    the trail — the parsed manifest decides: see :func:`_open`)."""
    if name != "audit.json" or "manifest.json" not in read:
        return False
    found = _FORMAT_VERSION.search(read["manifest.json"])
    return found is not None and int(found.group(1)) >= 2


def unseal(blob: bytes, office: Identity, what: str | Message,
           raw: dict[str, tuple[int, bytes]] | None = None) -> tuple[dict[str, Any], bytes, bytes, dict[str, bytes]]:
    """Decrypt and open the inner archive: (manifest, manifest bytes, signature, members).

    The manifest is parsed within its limits but its signature is **not** checked here: this is
    for registering a key from a package (whose signer key is in the manifest) and for tests; a
    merge goes through :func:`open_package`, which verifies first."""
    members = open_archive(blob, office, what, raw)
    manifest = unseal_members(members, what)[0]
    _check_format(manifest, what)
    return manifest, members["manifest.json"], members["manifest.sig"], members


def _check_format(manifest: Any, what: str | Message) -> None:
    if not isinstance(manifest, dict) or manifest.get("format") != F.PACKAGE_FORMAT:
        raise PackageRejected(msg("packages.not_a_package", "{what} is not a Maeul Evaluator result package.",
                                  what=what))
    version = manifest.get("format_version")
    if type(version) is not int or version not in F.PACKAGE_VERSIONS:
        raise PackageRejected(msg("packages.format_version", "{what} has format version {version}; this version reads "
                                  "version {supported}.", what=what, version=str(version)[:20],
                                  supported=F.PACKAGE_VERSIONS_SHOWN))


def signer_key(manifest: dict[str, Any], what: str | Message) -> tuple[bytes, str]:
    """The public key the package *says* signed it (used only to register a key, after the office
    confirmed its fingerprint out of band — never to verify a merge)."""
    try:
        signer = F.need(manifest, "signer", dict, "manifest")
        pk = unb64(F.need(signer, "public_key", str, "manifest signer"),
                   msg("packages.signer_key", "{what}: the signer key", what=what), 32)
    except (F.Invalid, KeyProblem) as exc:
        raise PackageRejected(msg("packages.damaged", "{what} is damaged: {reason}.", what=what,
                                  reason=exc.sentence)) from None
    return pk, key_fingerprint(pk)


#: where a manifest names its evaluator — canonical JSON (sorted keys, no spaces) puts "code" first
_EVALUATOR_CODE = re.compile(rb'"evaluator":\{"code":"((?:[^"\\]|\\.){1,200})"')


def _named_evaluator(manifest_bytes: bytes) -> str | None:
    """The evaluator code a manifest names, read from its raw bytes (it is not parsed before its
    signature is verified).  A second, contradicting name cannot help a forger: the parsed
    manifest must name the same evaluator whose key verified it."""
    m = _EVALUATOR_CODE.search(manifest_bytes)
    if m is None:
        return None
    try:
        code = json.loads(b'"' + m.group(1) + b'"')
    except ValueError:
        return None
    return code if isinstance(code, str) else None


def _signed_by(members: dict[str, bytes], ctx: OfficeContext, what: str | Message, path: Path) -> PinnedEvaluator:
    """The evaluator whose pinned key verifies the signature over the manifest's raw bytes."""
    manifest_bytes, signature = members["manifest.json"], members["manifest.sig"]
    code = _named_evaluator(manifest_bytes)
    if code is None:
        raise PackageRejected(msg("packages.no_evaluator", "{what} is not a Maeul Evaluator result package (its "
                                  "manifest names no evaluator).", what=what))
    ev = ctx.evaluators.get(code)
    if ev is None:
        raise PackageRejected(msg("packages.unknown_evaluator", "{what} comes from evaluator {evaluator}, who is not "
                                  "in this office database.", what=what, evaluator=code[:40]))
    if ev.public_key is None:
        manifest, _, _, _ = unseal_members(members, what)
        _, fp = signer_key(manifest, what)
        raise PackageRejected(msg(
            "packages.key_not_registered", "{what} comes from {evaluator}, whose key is not registered yet. Confirm "
            "with {evaluator} that their key fingerprint is {fingerprint}, then run 'evaluator keys register "
            "{evaluator} {path} --fingerprint {fingerprint}'.", what=what, evaluator=code, fingerprint=fp,
            path=str(path)))
    if not verify_signature(ev.public_key, signature, F.SIGNING_CONTEXT + manifest_bytes):
        raise PackageRejected(msg("packages.bad_signature", "{what} is not signed by the key registered for "
                                  "{evaluator} ({fingerprint}); it was altered or signed by someone else.", what=what,
                                  evaluator=code, fingerprint=ev.fingerprint))
    return ev


def unseal_members(members: dict[str, bytes],
                   what: str | Message) -> tuple[dict[str, Any], bytes, bytes, dict[str, bytes]]:
    """:func:`unseal` on members already read (the manifest parsed within its limits)."""
    try:
        manifest = F.loads(members["manifest.json"], "manifest.json", F.MANIFEST_LIMITS)
    except F.Invalid as exc:
        raise PackageRejected(msg("packages.manifest_unreadable", "{what}: {reason}.", what=what,
                                  reason=exc.sentence)) from None
    return manifest, members["manifest.json"], members["manifest.sig"], members


def _gc_paused(func):
    """Run ``func`` with the cyclic garbage collector paused (:func:`gc_paused`)."""

    @functools.wraps(func)
    def paused(*args: Any, **kwargs: Any) -> Any:
        with gc_paused():
            return func(*args, **kwargs)

    return paused


def _unexpected(what: str | Message, exc: BaseException) -> PackageRejected:
    """A bug met on this package's contents: the package is refused (the others go on), the log
    gets where it happened — not its message, which may quote the package's personal data."""
    log.error("%s could not be merged: unexpected %s\n%s", what, type(exc).__name__,
              "".join(traceback.format_tb(exc.__traceback__)))
    return PackageRejected(msg("packages.unexpected", "{what} could not be merged: it made the merge fail unexpectedly "
                               "({error}); nothing of it was written, and the other packages are not affected. Details "
                               "are in the log file.", what=what, error=type(exc).__name__))


@_gc_paused
def open_package(path: str | Path, office: Identity, ctx: OfficeContext) -> OpenedPackage:
    path = Path(path)
    what = msg("packages.package", "Package {name}", name=path.name)
    try:
        return _open(path, what, office, ctx)
    except PackageRejected:
        raise
    except Exception as exc:  # noqa: BLE001 - nothing here touches the database: any other error is this package's
        raise _unexpected(what, exc) from exc


def _open(path: Path, what: Message, office: Identity, ctx: OfficeContext) -> OpenedPackage:
    blob = read_package_file(path)
    raw: dict[str, tuple[int, bytes]] = {}
    inner = open_envelope(blob, office, what=what)
    members = read_archive(inner, what=what, allowed=_allowed, raw=raw, keep_deflated=_trail_kept_deflated)
    _complete(members, raw, what)
    ev = _signed_by(members, ctx, what, path)
    try:
        doc = F.loads(members["manifest.json"], "manifest.json", F.MANIFEST_LIMITS)
        _check_format(doc, what)
        m = I.read_manifest(doc)
        if m.evaluator != ev.code:
            raise F.Invalid(msg("packages.two_evaluators", "its manifest names two evaluators ({signer} and {named})",
                                signer=ev.code, named=m.evaluator[:40]))
        if "audit.json" not in members and m.version < 2:  # (its raw bytes said otherwise)
            members["audit.json"] = inflate_member(inner, "audit.json", what)
        _check_members(m, members, raw, what)
        _check_program(m, ctx, what)
        data = F.loads(members["data.json"], "data.json", F.DATA_LIMITS)
        contents = I.read_data(data, m, members, ctx.program_uuid)
        monitoring_visits = fieldwork.read_package_part(data)
        visit_photos = monitoring_photos.read_package_part(data, members)
        # The laptop's audit trail is authentic (its hash is in the signed manifest) and the laptop
        # checked its chain before exporting; it is kept as it came — its chain, bounds, count and
        # head can be checked again at any time (verify_package_evidence), not here, where a trail
        # with one entry per keystroke would cost more than the merge itself.  Format version 1:
        # its bounds, its count and its head are checked here too (from its outline and last entry:
        # I.trail_entries).  Version 2 signs the trail as stored: checked so (_check_members), it
        # is not inflated at all.
        I.check_counts(m, contents, I.trail_entries(members["audit.json"], m) if m.version < 2
                       else m.counts["audit_entries"])
        I.check_times(m, contents, utcnow(), visit_photos)
    except F.Invalid as exc:
        raise PackageRejected(msg("packages.malformed", "{what} is malformed: {reason}.", what=what,
                                  reason=exc.sentence)) from None
    blobs = {name: body for name, body in members.items() if name.startswith("attachments/")}
    return OpenedPackage(
        path=str(path), sha256=F.sha256(blob), manifest=m.doc, manifest_bytes=members["manifest.json"],
        signature=members["manifest.sig"], fingerprint=signature_fingerprint(members["manifest.sig"]), evaluator=ev,
        device=m.device, sequence=m.sequence, evaluations=contents.evaluations, site_visits=contents.site_visits,
        attachments=contents.attachments, data_raw=raw["data.json"], audit_raw=raw["audit.json"],
        audit_entries=m.counts["audit_entries"], audit_head=m.audit_head, blobs=blobs,
        monitoring_visits=monitoring_visits, monitoring_photos=visit_photos,
    )


class OpenAhead:
    """Phase 1 of the next package while the caller applies the current one.

    ``get(k)`` returns ``open_one(items[k])`` and starts opening ``items[k + 1]`` on one worker
    thread.  Opening touches no database and holds only what it read; its decompression, hashing
    and decryption run without the GIL, so they overlap the writes of the package before (whose
    driver releases the GIL too).  Nothing changes in what is checked or written, nor in their
    order per package: a package is applied only after it was opened and checked in full, and an
    error raised while opening is raised by ``get``.  ``close`` waits for an opening under way."""

    def __init__(self, open_one: Callable[[Any], Any], items: list[Any]) -> None:
        self._open_one = open_one
        self._items = items
        self._pool: ThreadPoolExecutor | None = None
        self._ahead: dict[int, Future] = {}

    def get(self, k: int) -> Any:
        fut = self._ahead.pop(k, None)
        nxt = k + 1
        if nxt < len(self._items) and nxt not in self._ahead:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="open-package")
            self._ahead[nxt] = self._pool.submit(self._open_one, self._items[nxt])
        return fut.result() if fut is not None else self._open_one(self._items[k])

    def close(self) -> None:
        for fut in self._ahead.values():
            fut.cancel()
        self._ahead.clear()
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None

    def __enter__(self) -> OpenAhead:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _check_members(m: I.Manifest, members: dict[str, bytes], raw: dict[str, tuple[int, bytes]],
                   what: Message) -> None:
    """Every member but the manifest and its signature is listed in the signed manifest, with its
    hash and size — of its content, and (format version 2) of its bytes as stored where the
    manifest lists those: a member kept deflated (the trail) is checked so alone."""
    if set(m.members) != set(raw) - {"manifest.json", "manifest.sig"}:
        raise PackageRejected(msg("packages.members_not_signed", "{what}: its members do not match the signed "
                                  "manifest.", what=what))
    stored = m.stored or {}
    for name, (digest, size) in m.members.items():
        body = members.get(name)
        if body is not None and (size != len(body) or digest != F.sha256(body)) or body is None and name not in stored:
            raise PackageRejected(msg("packages.member_hash", "{what}: {member} does not match its hash in the signed "
                                      "manifest.", what=what, member=name))
        if name in stored:
            kept = raw[name][1]
            if stored[name] != (F.sha256(kept), len(kept)):
                raise PackageRejected(msg("packages.member_hash", "{what}: {member} does not match its hash in the "
                                          "signed manifest.", what=what, member=name))


def _check_program(m: I.Manifest, ctx: OfficeContext, what: Message) -> None:
    if m.program_uuid != ctx.program_uuid:
        raise PackageRejected(msg("packages.other_program", "{what} is for program '{program}', not this office's "
                                  "program '{office_program}'.", what=what, program=m.program_code,
                                  office_program=ctx.program_code))
    for rcode, digest in m.rubrics.items():
        have = ctx.rubric_hashes.get(rcode)
        if have is None:
            raise PackageRejected(msg("packages.unknown_rubric", "{what} was scored with rubric '{rubric}', which this "
                                      "program does not have.", what=what, rubric=rcode[:80]))
        if have != digest:
            raise PackageRejected(msg("packages.rubric_changed", "{what} was scored with rubric '{rubric}' version "
                                      "{version}, but the office has version {office_version}; the rubric changed "
                                      "after the kit was made.", what=what, rubric=rcode, version=digest[:12],
                                      office_version=have[:12]))


# --- phase 2 --------------------------------------------------------------------------------------
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
_Q_RECEIPTS = (select(PackageReceipt.sequence, PackageReceipt.sha256, PackageReceipt.id)
               .where(PackageReceipt.evaluator_id == _EV, PackageReceipt.device == _DEV))
_VISIT_ASSIGNMENT = (Assignment.application_id == SiteVisit.application_id) & \
    (Assignment.evaluator_id == SiteVisit.evaluator_id)
# (with the ids of the assignment's evaluation and site visit, if any — at most one each: when the
# evaluator has none at the office yet, the queries for them are not needed)
_Q_ASSIGNMENTS = (select(Assignment.id, Assignment.conflict_type, Application.id.label("application_id"),
                         Application.external_id, Application.track_id, Evaluation.id.label("evaluation_id"),
                         SiteVisit.id.label("site_visit_id"))
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
_Q_EVALUATION_IDS = (select(Evaluation.assignment_id, Evaluation.id)
                     .join(Assignment, Assignment.id == Evaluation.assignment_id).where(Assignment.evaluator_id == _EV))
_Q_VISIT_IDS = (select(SiteVisit.application_id, SiteVisit.id).join(Assignment, _VISIT_ASSIGNMENT)
                .where(Assignment.evaluator_id == _EV))
#: errors a package's values can cause while they are written (a value the database cannot hold)
_VALUE_ERRORS = (OverflowError, TypeError, ValueError)


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
    what = msg("packages.package", "Package {name}", name=Path(pkg.path).name)
    base = dict(path=pkg.path, evaluator=pkg.evaluator.code, device=pkg.device, sequence=pkg.sequence,
                fingerprint=pkg.fingerprint)
    audit.lock(s)  # merges queue here, before touching any row: no deadlocks between them
    s.flush()  # (nothing is pending between packages: the statements below go to the connection directly)
    bulk = Bulk(s)
    same = _sequence(bulk, pkg, what)
    if same is not None:
        reason = msg("packages.already_merged", "already merged on {when}; nothing changed",
                     when=same.strftime("%Y-%m-%d %H:%M"))
        return MergeReport(status=UNCHANGED, reason=str(reason), **base), False
    office = _load_office(s, bulk, pkg, ctx)
    plan = P.Plan(what=what, evaluator_id=pkg.evaluator.id, evaluator=pkg.evaluator.code, device=pkg.device,
                  fingerprint=pkg.fingerprint, sqlite=bulk.sqlite, now=utcnow())
    try:
        _decide(plan, pkg, ctx, office)
    except PackageRejected:
        raise
    except Exception as exc:  # noqa: BLE001 - no database work happens while deciding: the package's own fault
        raise _unexpected(what, exc) from exc
    try:
        _write(s, bulk, plan)
        monitored = fieldwork.merge(s, ctx.program_id, pkg.evaluator.id, pkg.evaluator.code, pkg.monitoring_visits,
                                    what, device=pkg.device, fingerprint=pkg.fingerprint)
        # audited with the package's other records, in its one entry: by reference to the kept
        # data.json when the office had nothing of the visit, else with the old and new values
        plan.added.extend(monitored.added)
        plan.changes.extend(monitored.changes)
        photographed = monitoring_photos.merge(s, ctx.program_id, pkg.evaluator.id, pkg.evaluator.code,
                                               pkg.monitoring_photos, what)
        plan.changes.extend(photographed.changes)  # (the visits' photos too)
        report = _keep(s, bulk, pkg, plan, actor=actor, device=device, base=base, subjects=_subjects(s, ctx, plan),
                       monitoring=monitored.counts if pkg.monitoring_visits else None)
    except _VALUE_ERRORS as exc:
        raise _unexpected(what, exc) from exc
    if pkg.monitoring_visits:
        report = replace(report, counts={**report.counts, "monitoring_visits": monitored.counts})
    if pkg.monitoring_photos:
        report = replace(report, counts={**report.counts, "monitoring_photos": photographed.counts})
    return report, True


def _sequence(bulk: Bulk, pkg: OpenedPackage, what: Message) -> Any:
    """When the same package was merged before (None otherwise); :class:`PackageRejected` for a
    replay (an older number, or the same number with other contents) or a number far ahead."""
    receipts = bulk.rows(_Q_RECEIPTS, {"ev": pkg.evaluator.id, "dev": pkg.device})
    for sequence, sha256, receipt_id in receipts:
        if sequence == pkg.sequence:
            if sha256 == pkg.sha256:
                return bulk.conn.execute(select(PackageReceipt.merged_at).where(PackageReceipt.id == receipt_id)).scalar()
            raise PackageRejected(msg("packages.sequence_reused", "{what} has sequence number {sequence}, like a "
                                      "different package from the same laptop merged before; it was rejected (a "
                                      "replay or a copied laptop).", what=what, sequence=pkg.sequence))
    newest = max((sequence for sequence, _, _ in receipts), default=0)
    if newest > pkg.sequence:
        raise PackageRejected(msg("packages.sequence_older", "{what} is package {sequence} from this laptop, older "
                                  "than package {newest} already merged (a replay); the newer one already holds its "
                                  "work.", what=what, sequence=pkg.sequence, newest=newest))
    if pkg.sequence > newest + I.SEQUENCE_STEP:
        if newest:
            raise PackageRejected(msg("packages.sequence_ahead", "{what} is package number {sequence:,} from its "
                                      "laptop, but the last one merged from it is number {newest:,}; a laptop numbers "
                                      "its packages one by one, so more than {step:,} ahead is refused.", what=what,
                                      sequence=pkg.sequence, newest=newest, step=I.SEQUENCE_STEP))
        raise PackageRejected(msg("packages.sequence_ahead_first", "{what} is package number {sequence:,} from its "
                                  "laptop, but none from it was merged before; a laptop numbers its packages one by "
                                  "one, so more than {step:,} ahead is refused.", what=what, sequence=pkg.sequence,
                                  step=I.SEQUENCE_STEP))
    return None


def _load_office(s: Session, bulk: Bulk, pkg: OpenedPackage, ctx: OfficeContext) -> P.Office:
    """The signing evaluator's records at the office, and the rows the package names by uuid."""
    conn = bulk.conn
    params = {"ev": pkg.evaluator.id, "dev": pkg.device, "program": ctx.program_id}
    assignments: dict[str, ownership.Assignment] = {}
    has_evals = has_visits = False
    # (a package of monitoring visits alone names no assignment: its visits are checked by
    # ``fieldwork.merge`` against their awards)
    scored = bool(pkg.evaluations or pkg.site_visits or pkg.attachments)
    for asg_id, conflict, app_id, ext, track_id, evaluation_id, site_visit_id in (
            bulk.rows(_Q_ASSIGNMENTS, params) if scored else ()):
        assignments[ext] = ownership.Assignment(asg_id, conflict, app_id, ext, track_id)
        has_evals = has_evals or evaluation_id is not None
        has_visits = has_visits or site_visit_id is not None
    # the evaluator's evaluations, scores, site visits and lineage at the office are looked up only
    # for records found through these assignments: when there are none (a first merge), no need to ask
    checks = ctx.cache.get("checks")
    if checks is None:  # once per merge: the program's rubrics do not change while it runs
        tracks = s.execute(select(Track).where(Track.program_id == ctx.program_id)).scalars().all()
        checks = ctx.cache["checks"] = {t.id: _RubricCheck(rubric_def(t), criteria_by_code(s, t.rubric_id))
                                        for t in tracks}
        ctx.cache["criteria"] = {track: chk.ids for track, chk in checks.items()}
        ctx.cache["crit_code"] = {cid: code for chk in checks.values() for code, cid in chk.ids.items()}
    evals: dict[int, Any] = {}
    scores: dict[int, dict[int, Any]] = {}
    if has_evals:
        evals = {r.assignment_id: r for r in conn.execute(_Q_EVALUATIONS, params).all()}
        for r in conn.execute(_Q_SCORES, params).all():
            scores.setdefault(r.evaluation_id, {})[r.criterion_id] = r
    uuids = ownership.named_uuids(pkg.evaluations, pkg.site_visits, pkg.attachments)
    named: dict[str, dict[str, ownership.OfficeRow]] = {kind: {} for kind in uuids}
    if any(uuids.values()):
        for kind, *columns in bulk.rows(ownership.named_rows_query(conn.dialect.name),
                                        {kind: ownership.json_list(listed) for kind, listed in uuids.items()}):
            row = ownership.OfficeRow(*columns)
            named[kind][row.uuid] = row
    return P.Office(
        assignments=assignments, checks=checks, criteria=ctx.cache["criteria"], crit_code=ctx.cache["crit_code"],
        evaluations=evals, scores=scores,
        site_visits={r.application_id: r for r in conn.execute(_Q_VISITS, params).all()} if has_visits else {},
        lineage={(r.entity, r.record_id): r for r in conn.execute(_Q_LINEAGE, params).all()}
        if has_evals or has_visits else {},
        uuids=uuids, named=named,
    )


def _decide(plan: P.Plan, pkg: OpenedPackage, ctx: OfficeContext, office: P.Office) -> None:
    """The ownership rule, then the decision for every record (no database work)."""
    ev = pkg.evaluator
    owners = ctx.cache.get("owners")
    if owners is None:
        owners = ctx.cache["owners"] = {p.id: code for code, p in ctx.evaluators.items()}
    owned = ownership.check(plan.what, ev.code, ev.id, owners, office.assignments, office.criteria, pkg.evaluations,
                            pkg.site_visits, pkg.attachments, office.uuids, office.named)
    plan.skipped = [m.render(SOURCE_LANGUAGE) for m in owned.skipped]
    plan.skipped_messages = owned.skipped
    P.evaluations(plan, owned.evaluations, office)
    P.site_visits(plan, owned.site_visits, office)
    P.attachments(plan, owned.attachments, office, pkg.blobs)


def _write(s: Session, bulk: Bulk, plan: P.Plan) -> None:
    """Every row of the plan, in bulk; a clash with the database refuses the package."""
    params = {"ev": plan.evaluator_id}
    try:
        bulk.insert(Evaluation.__table__, _EVAL_INSERT, plan.eval_new, converted=True)
        bulk.insert(SiteVisit.__table__, _VISIT_INSERT, plan.visit_new)
        if plan.eval_new or plan.visit_new:
            eval_ids = dict(bulk.rows(_Q_EVALUATION_IDS, params)) if plan.eval_new else {}
            visit_ids = dict(bulk.rows(_Q_VISIT_IDS, params)) if plan.visit_new else {}
            for entity, key, version, digest in plan.lin_pending:
                rid = eval_ids[key] if entity == "evaluation" else visit_ids[key]
                plan.lin_new.append((entity, rid, plan.evaluator_id, plan.device, version, digest))
            evc, dev, sqlite = plan.evaluator, plan.device, plan.sqlite
            plan.score_new += [
                (eid, uuid, ids[code], level, points, comment, evc, version, text if sqlite else updated, dev)
                for asg_id, ids, rows in plan.new_evaluations for eid in (eval_ids[asg_id],)
                for uuid, code, level, points, comment, version, updated, text in rows]
        bulk.update(Evaluation.__table__, _EVAL_UPDATE, plan.eval_upd)
        bulk.insert(Score.__table__, _SCORE_INSERT, plan.score_new, converted=True)
        bulk.update(Score.__table__, _SCORE_UPDATE, plan.score_upd, converted=True)
        bulk.delete(Score.__table__, plan.score_del)
        bulk.update(SiteVisit.__table__, _VISIT_UPDATE, plan.visit_upd)
        bulk.insert(Attachment.__table__, _ATT_INSERT, plan.att_new)
        bulk.update(Attachment.__table__, ("deleted", "caption"), plan.att_upd)
        if plan.att_forget:
            s.execute(Attachment.__table__.update().where(Attachment.__table__.c.id.in_(plan.att_forget))
                      .values(data=None, path=None))
        bulk.insert(MergeLineage.__table__, _LIN_INSERT, plan.lin_new)
        bulk.update(MergeLineage.__table__, _LIN_UPDATE, plan.lin_upd)
    except (IntegrityError, sqlite3.IntegrityError, *_driver_integrity_errors(s)) as exc:  # bulk rows: driver cursor
        detail = str(getattr(exc, "orig", None) or exc).splitlines()[0][:120]
        raise PackageRejected(msg("packages.clash", "{what} clashes with records already in the office database "
                                  "({detail}); nothing of it was merged.", what=plan.what, detail=detail)) from None


def _subjects(s: Session, ctx: OfficeContext, plan: P.Plan) -> dict[str, str]:
    """The uuid of each application whose records the merge's entries carry values of (their data
    subjects: :mod:`evaluator.audit.personal`)."""
    exts = {str(c.get("application")) for c in plan.changes} | {str(c["ext"]) for c in plan.conflicts}
    if not exts:
        return {}
    return dict(s.execute(select(Application.external_id, Application.uuid).where(
        Application.program_id == ctx.program_id, Application.external_id.in_(sorted(exts)))).all())


def _keep(s: Session, bulk: Bulk, pkg: OpenedPackage, plan: P.Plan, *, actor: str, device: str,
          base: dict[str, Any], subjects: dict[str, str], monitoring: dict[str, int] | None = None) -> MergeReport:
    """The receipt, the evidence, the conflicts and the audit entries of a merged package
    (``monitoring``: the counts of its monitoring visits, whose changes are in ``plan.changes``)."""
    ev, dev, fp, now, counts = pkg.evaluator, plan.device, plan.fingerprint, plan.now, plan.counts
    reason = f"result package {fp}"
    report_doc = {"counts": counts.data, "skipped": plan.skipped, "conflicts": len(plan.conflicts)}
    # the receipt and the evidence: one row each (no ORM objects)
    receipt_uuid = new_uuid()
    receipt_id = bulk.insert_one(PackageReceipt.__table__, {
        "uuid": receipt_uuid, "evaluator_id": ev.id, "device": dev, "sequence": pkg.sequence, "sha256": pkg.sha256,
        "signature_fingerprint": fp, "manifest": pkg.manifest, "report": report_doc, "merged_at": now,
    })
    bulk.insert_one(PackageEvidence.__table__, {
        "receipt_id": receipt_id, "manifest": pkg.manifest_bytes, "signature": pkg.signature,
        "data_method": pkg.data_raw[0], "data": pkg.data_raw[1], "audit_method": pkg.audit_raw[0],
        "audit_trail": pkg.audit_raw[1], "audit_entries": pkg.audit_entries, "audit_head": pkg.audit_head,
    })
    conflict_rows = []
    audit_rows: list[dict[str, Any]] = []
    for c in plan.conflicts:
        row = MergeConflict(receipt_id=receipt_id, evaluator_id=ev.id, application_id=c["application_id"],
                            entity=c["entity"], record_id=c["record_id"], kept=c["kept"], other=c["other"],
                            kept_from=c["kept_from"], rule=c["rule"], created_at=now)
        s.add(row)
        conflict_rows.append((row, c))
        audit_rows.append({"actor": ev.code, "device": dev, "action": "merge_conflict", "entity": c["entity"],
                           "entity_uuid": c["record_uuid"], "old": c["other"]["values"], "new": c["kept"]["values"],
                           "subject": subjects.get(str(c["ext"])),
                           "reason": f"conflict in {reason} resolved by the rule ({c['rule']}): kept the "
                                     f"{c['kept_from']} value", "at": now})
    if conflict_rows:
        s.flush()
    # one entry for the whole package: who (the evaluator, from which laptop), when, every record it
    # added (by reference: their values are the kept data.json, named by its hash) and every record it
    # changed with the old and the new value
    audit_rows.insert(0, {
        "actor": ev.code, "device": dev, "action": "merge_package", "entity": "package", "entity_uuid": receipt_uuid,
        "new": {"evaluator": ev.code, "device": dev, "sequence": pkg.sequence, "sha256": pkg.sha256,
                "signature": fp, "merged_by": actor, "merged_on": device,
                "counts": counts.data if monitoring is None else {**counts.data, "monitoring_visits": monitoring},
                "conflicts": len(plan.conflicts), "skipped": plan.skipped, "laptop_audit_head": pkg.audit_head,
                "data_sha256": pkg.manifest["members"]["data.json"]["sha256"], "added": plan.added,
                "changed": _sealed(s, plan.changes, subjects, now)},
        "reason": reason, "at": now})
    audit.append_many(s, audit_rows)
    infos = tuple(_conflict_info(row, c["ext"], ev.code) for row, c in conflict_rows)
    return MergeReport(status=MERGED, added=counts.total("added"), updated=counts.total("updated"),
                       unchanged=counts.total("unchanged"), counts=counts.data, conflicts=infos,
                       skipped=tuple(map(str, plan.skipped_messages)), **base)


def _sealed(s: Session, changes: list[dict[str, Any]], subjects: dict[str, str], now: Any) -> list[dict[str, Any]]:
    """The changes with their personal values sealed under their subjects' salts: the salts read in
    one query and the sealed values stored in one statement (not one of each per value)."""
    if not subjects:
        return changes
    vault = session_vault(s)
    vault.at = now
    with vault.batch():
        vault.prefetch(dict.fromkeys(subjects.values(), now))
        return seal_items(vault, changes, subjects)


def _conflict_info(row: MergeConflict, application: str, evaluator: str) -> ConflictInfo:
    def side(d: dict[str, Any]) -> ConflictSide:
        return ConflictSide(device=d.get("device", ""), version=int(d.get("version", 0)),
                            updated_at=d.get("updated_at"), values=dict(d.get("values") or {}))

    return ConflictInfo(id=row.id, application_id=application, evaluator=evaluator, record=row.entity,
                        kept=side(row.kept), other=side(row.other), kept_from=row.kept_from, rule=row.rule,
                        resolution=row.resolution, resolved_by=row.resolved_by or "",
                        resolution_reason=row.resolution_reason or "")


def rejected(path: str | Path, reason: Message | str, **extra: Any) -> MergeReport:
    """The report of a package that was not merged (``reason`` rendered in the language in effect)."""
    return MergeReport(path=str(path), status=REJECTED, reason=text(reason) or "", **extra)
