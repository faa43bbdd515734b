"""Destruction that cannot be recovered, once the retention period ends.

``evaluator purge --dry-run`` lists what is due (:func:`plan`); ``evaluator purge`` destroys it
(:func:`destroy` inside one write, then :func:`compact` and the files).  For each application due:

* its personal fields — representative, phone, e-mail, address, the program's typed intake fields
  marked ``personal``, the unknown intake columns kept
  aside — and every free text about its people — evaluations' and scores' comments, abstention
  reasons, visit attendees and notes, conflict-of-interest and eligibility notes, the reasons given
  for dismissing likely conflicts, photo captions and file names — are replaced by
  :data:`~evaluator.audit.personal.TOMBSTONE`, also in the merge conflicts that kept both values;
* its follow-up: monitoring visits' attendees, findings and required actions' texts, support-log notes;
* its photos' bytes are deleted (and a photo stored beside the database overwritten and removed);
* the redactable chain forgets it: its sealed values and its salt are deleted, so what the entries
  still hold (the commitments) says nothing; ``audit verify`` passes before and after;
* the evidence kept of each merged package that carried its records is re-written without them
  (announced in the chain by a ``redact_evidence`` entry naming the new hashes);
* an audit entry ``purge`` names the application and the rule; a purge record keeps what, when, by
  whom and under which rule — never the data.

Then the database itself forgets: SQLite with ``secure_delete`` on, ``VACUUM`` (every page written
anew, the free pages gone) and the WAL checkpointed and truncated; PostgreSQL with ``VACUUM FULL``
of the tables touched (new files; the old ones removed at the next checkpoint).  Backups beside
the database (the upgrade's ``NAME.backup-REV-STAMP``, restore's ``NAME.before-restore-STAMP``, a
field database's ``NAME-old-STAMP``) and those ``evaluator backup`` made, which hold a purged
application, are listed by the dry run and destroyed by the purge (overwritten, then removed).
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from .. import audit
from ..audit.personal import MARK, PERSONAL_KEYS, TOMBSTONE
from ..db.models import (
    Application, Assignment, Attachment, AuditEvent, AuditPersonal, AuditSubject, Award, Evaluation, GateResult,
    MonitoringVisit, PackageReceipt, Program, Score, SiteVisit, SupportEntry, new_uuid, utcnow,
)
from ..db.settings import get_setting, set_setting
from ..services.assign import forget_reasons
from ..services.programs import field_defs
from . import access
from .models import PurgeRecord
from .retention import DueItem, schedule
from .shred import destroy_file

#: the settings key listing the backups ``evaluator backup`` made of this database
BACKUPS = "backups_made"
#: the application fields a purge replaces by the tombstone
CONTACT = ("representative", "phone", "email", "address")


@dataclass(frozen=True)
class BackupCheck:
    """A backup file of this database: whether it holds a purged application (None: unknown)."""

    path: str
    holds: bool | None
    problem: str = ""


@dataclass(frozen=True)
class PurgePlan:
    today: date
    due: tuple[DueItem, ...]
    waiting: tuple[DueItem, ...]
    access_entries: int
    access_years: int
    #: entries written before schema revision 0006 that still hold a due application's values in
    #: the clear (they cannot be re-written without breaking the chain: docs/privacy.md)
    legacy_entries: int
    #: merged packages whose kept evidence carries a due application's records
    evidence: tuple[str, ...]
    backups: tuple[BackupCheck, ...]

    @property
    def nothing(self) -> bool:
        return not self.due and not self.access_entries

    def as_dict(self) -> dict[str, Any]:
        return {"today": self.today.isoformat(),
                "due": [{"application": d.application_id, "class": d.data_class, "rule": d.rule,
                         "until": d.until.isoformat() if d.until else None} for d in self.due],
                "waiting": [{"application": d.application_id, "class": d.data_class,
                             "until": d.until.isoformat() if d.until else None} for d in self.waiting],
                "access_entries": self.access_entries, "access_log_years": self.access_years,
                "legacy_entries": self.legacy_entries, "evidence": list(self.evidence),
                "backups": [{"path": b.path, "holds": b.holds, "problem": b.problem} for b in self.backups]}


@dataclass(frozen=True)
class PurgeReport:
    plan: PurgePlan
    purge: str = ""
    at: datetime | None = None
    counts: dict[str, int] = field(default_factory=dict)
    #: files destroyed (backups, photos stored beside the database)
    files: tuple[str, ...] = ()
    #: how the database forgot: "vacuum" … or what stopped it
    compacted: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"purge": self.purge, "at": self.at.isoformat() if self.at else None, "counts": dict(self.counts),
                "files": list(self.files), "compacted": self.compacted, "plan": self.plan.as_dict()}


def _t(value: Any) -> Any:
    return TOMBSTONE if isinstance(value, str) and value else value


def tombstoned(obj: Any) -> Any:
    """``obj`` with every non-empty value under a personal key (and every marker) replaced by the
    tombstone: what a purged record's values look like wherever they were copied."""
    if isinstance(obj, dict):
        if MARK in obj:
            return TOMBSTONE
        return {k: (_t(v) if k in PERSONAL_KEYS and not isinstance(v, (dict, list)) else tombstoned(v))
                for k, v in obj.items()}
    if isinstance(obj, list):
        return [tombstoned(v) for v in obj]
    return obj


def _plain_personal(obj: Any) -> bool:
    """Does ``obj`` hold a personal value in the clear (an entry written before revision 0006)?"""
    if isinstance(obj, dict):
        if MARK in obj:
            return False
        return any((k in PERSONAL_KEYS and isinstance(v, str) and v and v != TOMBSTONE) or _plain_personal(v)
                   for k, v in obj.items())
    if isinstance(obj, list):
        return any(_plain_personal(v) for v in obj)
    return False


# --- what a subject's records are -----------------------------------------------------------------
@dataclass
class _Subjects:
    """The records of the applications being purged, by id and uuid."""

    apps: dict[int, tuple[str, str]]  # application id -> (external id, uuid)
    uuids: set[str] = field(default_factory=set)  # every record uuid of theirs (evaluations, scores …)

    @property
    def exts(self) -> set[str]:
        return {ext for ext, _ in self.apps.values()}


def _subjects(s: Session, items: list[DueItem]) -> _Subjects:
    by_uuid = {d.uuid: d.application_id for d in items}
    apps = {pk: (ext, uuid) for pk, ext, uuid in s.execute(
        select(Application.id, Application.external_id, Application.uuid).where(Application.uuid.in_(list(by_uuid))))}
    out = _Subjects(apps, set(by_uuid))
    ids = list(apps)
    if not ids:
        return out
    for (u,) in s.execute(select(Assignment.uuid).where(Assignment.application_id.in_(ids))):
        out.uuids.add(u)
    for (u,) in s.execute(select(Evaluation.uuid).join(Assignment, Assignment.id == Evaluation.assignment_id)
                          .where(Assignment.application_id.in_(ids))):
        out.uuids.add(u)
    for (u,) in s.execute(select(Score.uuid).join(Evaluation, Evaluation.id == Score.evaluation_id)
                          .join(Assignment, Assignment.id == Evaluation.assignment_id)
                          .where(Assignment.application_id.in_(ids))):
        out.uuids.add(u)
    for (u,) in s.execute(select(SiteVisit.uuid).where(SiteVisit.application_id.in_(ids))):
        out.uuids.add(u)
    for (u,) in s.execute(select(Attachment.uuid).where(Attachment.application_id.in_(ids))):
        out.uuids.add(u)
    return out


def _about(entry: dict[str, Any] | Any, subjects: _Subjects) -> bool:
    get = entry.get if isinstance(entry, dict) else (lambda k: getattr(entry, k))
    if get("entity_uuid") in subjects.uuids:
        return True
    for side in (get("new"), get("old")):
        if isinstance(side, dict) and str(side.get("application") or "") in subjects.exts:
            return True
        if isinstance(side, dict):
            for item in side.get("changed") or ():
                if isinstance(item, dict) and str(item.get("application") or "") in subjects.exts:
                    return True
    return False


def legacy_entries(s: Session, subjects: _Subjects) -> int:
    """Entries that still hold a subject's personal values in the clear (written before revision
    0006; the chain's hashes commit to them as they are)."""
    if not subjects.apps:
        return 0
    n = 0
    for r in s.execute(select(AuditEvent.entity_uuid, AuditEvent.old, AuditEvent.new)
                       .execution_options(yield_per=2000)):
        if (_plain_personal(r.new) or _plain_personal(r.old)
                or (isinstance(r.new, str) and r.new and r.new != TOMBSTONE)) and _about(r, subjects):
            n += 1
    return n


# --- package evidence -----------------------------------------------------------------------------
#: the records of a package's data.json, each naming its application (monitoring visits and their
#: photos included: a purged subject's follow-up leaves the evidence like its evaluations)
_EVIDENCE_RECORDS = ("evaluations", "site_visits", "attachments", "monitoring_visits", "monitoring_photos")
#: those a package carries only when it has any (not written in as empty lists by a purge)
_SINCE_FOLLOW_UP = ("monitoring_visits", "monitoring_photos")


def _deflate(data: bytes) -> bytes:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def _evidence_of(s: Session, subjects: _Subjects) -> list[tuple[Any, Any, dict, list | None]]:
    """(receipt, evidence, data.json, audit.json) of every merged package that carried a record of
    the subjects."""
    from ..packages.archive import unstore
    from ..packages.models import PackageEvidence

    out = []
    if not subjects.apps:
        return out
    for r, e in s.execute(select(PackageReceipt, PackageEvidence)
                          .join(PackageEvidence, PackageEvidence.receipt_id == PackageReceipt.id)
                          .order_by(PackageReceipt.id)):
        try:
            data = json.loads(unstore(e.data_method, bytes(e.data)))
        except (ValueError, TypeError):
            continue
        items = [x for k in _EVIDENCE_RECORDS for x in (data.get(k) or ()) if isinstance(x, dict)]
        if not any(str(x.get("application") or "") in subjects.exts for x in items):
            continue
        try:
            trail = json.loads(unstore(e.audit_method, bytes(e.audit_trail)))
        except (ValueError, TypeError, RecursionError):  # (a trail a merge kept unread: packages --verify names it)
            trail = None
        out.append((r, e, data, trail if isinstance(trail, list) else None))
    return out


def _redact_evidence(s: Session, subjects: _Subjects, purge: str, *, actor: str, device: str) -> int:
    from ..packages.formats import dumps, sha256

    n = 0
    for r, e, data, trail in _evidence_of(s, subjects):
        cols = data.get("score_columns")
        comment = cols.index("comment") if isinstance(cols, list) and "comment" in cols else 4
        for k in _EVIDENCE_RECORDS:
            if k in _SINCE_FOLLOW_UP and k not in data:  # (a package from before the follow-up)
                continue
            data[k] = [tombstoned(x) if isinstance(x, dict) and str(x.get("application") or "") in subjects.exts
                       else x for x in (data.get(k) or ())]
        for x in data.get("evaluations") or ():  # (scores are rows: their comment by its column)
            if isinstance(x, dict) and str(x.get("application") or "") in subjects.exts:
                x["scores"] = [[_t(v) if i == comment else v for i, v in enumerate(row)] if isinstance(row, list)
                               else row for row in (x.get("scores") or ())]
        body = dumps(data)
        e.data, e.data_method = _deflate(body), 8
        doc = {"purge": purge, "at": utcnow().isoformat(timespec="seconds"), "data_sha256": sha256(body)}
        if trail is not None:
            trail = [tombstoned(x) if isinstance(x, dict) and _about(x, subjects) else x for x in trail]
            trail_body = dumps(trail)
            e.audit_trail, e.audit_method = _deflate(trail_body), 8
            doc["audit_sha256"] = sha256(trail_body)
        elif e.audit_trail is not None and len(e.audit_trail):
            # a trail that cannot be read (a format 2 merge keeps the laptop's trail unread; packages
            # --verify names it) cannot have the subjects' entries picked out: it is destroyed whole
            # rather than left holding them
            trail_body = dumps([])
            e.audit_trail, e.audit_method = _deflate(trail_body), 8
            doc["audit_sha256"] = sha256(trail_body)
            doc["audit_destroyed"] = "unreadable"
        e.redacted = doc
        audit.append(s, actor=actor, device=device, action="redact_evidence", entity="package", entity_uuid=r.uuid,
                     new=doc, reason="purge: the evidence no longer holds the purged people's records")
        n += 1
    return n


# --- the plan -------------------------------------------------------------------------------------
def plan(s: Session, program: Any, today: date, *, backups: Callable[[set[str]], list[BackupCheck]],
         only: list[str] | None = None) -> PurgePlan:
    """What a purge on ``today`` would destroy (``only``: these applications, whatever their rule
    says — a subject's deletion)."""
    items = schedule(s, program, today)
    if only is not None:
        due = [d for d in items if d.application_id in only]
        waiting: list[DueItem] = []
    else:
        due = [d for d in items if d.due]
        waiting = [d for d in items if not d.due]
    subjects = _subjects(s, due)
    years, _ = access.retention(s)
    return PurgePlan(
        today=today, due=tuple(due), waiting=tuple(waiting),
        access_entries=access.due_for_pruning(s, today) if only is None else 0, access_years=years,
        legacy_entries=legacy_entries(s, subjects),
        evidence=tuple(r.signature_fingerprint or r.uuid for r, _, _, _ in _evidence_of(s, subjects)),
        backups=tuple(backups({d.uuid for d in due})) if due else ())


# --- the destruction ------------------------------------------------------------------------------
def destroy(s: Session, p: PurgePlan, *, actor: str, device: str, kind: str = "purge",
            reason: str = "", db_folder: Path | None = None) -> tuple[PurgeRecord, list[Path]]:
    """Everything :func:`plan` found, inside the caller's write: returns the purge record and the
    files (photos stored beside the database) to destroy once the transaction commits."""
    purge = new_uuid()
    now = utcnow()
    subjects = _subjects(s, list(p.due))
    counts: dict[str, int] = {"applications": 0, "evaluations": 0, "scores": 0, "site_visits": 0, "photos": 0,
                              "notes": 0, "conflicts": 0, "sealed_values": 0, "evidence": 0}
    later: list[Path] = []
    ids = list(subjects.apps)
    rules = {d.uuid: d.rule for d in p.due}
    personal_keys: dict[int, set[str]] = {}
    if ids:
        for app in s.execute(select(Application).where(Application.id.in_(ids))).scalars():
            for f in CONTACT:
                setattr(app, f, _t(getattr(app, f)))
            app.extra = {}
            if app.program_id not in personal_keys:  # the program's own typed fields marked personal
                personal_keys[app.program_id] = {f.key for f in field_defs(s.get(Program, app.program_id))
                                                 if f.personal}
            personal = personal_keys[app.program_id]
            if personal & set(app.fields or {}):
                app.fields = {k: (_t(v) if k in personal else v) for k, v in app.fields.items()}
            app.purged_at = now
            counts["applications"] += 1
        for e in s.execute(select(Evaluation).join(Assignment, Assignment.id == Evaluation.assignment_id)
                           .where(Assignment.application_id.in_(ids))).scalars():
            e.comment, e.abstain_reason = _t(e.comment), _t(e.abstain_reason)
            counts["evaluations"] += 1
            for sc in e.scores:
                if sc.comment:
                    sc.comment = TOMBSTONE
                    counts["scores"] += 1
        for v in s.execute(select(SiteVisit).where(SiteVisit.application_id.in_(ids))).scalars():
            v.attendees, v.notes = _t(v.attendees), _t(v.notes)
            counts["site_visits"] += 1
        awards = select(Award.id).where(Award.application_id.in_(ids))
        for m in s.execute(select(MonitoringVisit).where(MonitoringVisit.award_id.in_(awards))).scalars():
            m.attendees, m.findings = _t(m.attendees), _t(m.findings)  # follow-up visits' people and findings
            if m.actions:  # and the required actions' texts (their due dates and states stay)
                m.actions = [{**a, "text": _t(a.get("text"))} if isinstance(a, dict) else a for a in m.actions]
            counts["site_visits"] += 1
        for e in s.execute(select(SupportEntry).where(SupportEntry.award_id.in_(awards),
                                                      SupportEntry.note != "")).scalars():
            e.note = TOMBSTONE
            counts["notes"] += 1
        for a in s.execute(select(Assignment).where(Assignment.application_id.in_(ids),
                                                    Assignment.conflict_note != "")).scalars():
            a.conflict_note = TOMBSTONE
            counts["notes"] += 1
        for g in s.execute(select(GateResult).where(GateResult.application_id.in_(ids), GateResult.note != "")).scalars():
            g.note = TOMBSTONE
            counts["notes"] += 1
        for a in s.execute(select(Attachment).where(Attachment.application_id.in_(ids))).scalars():
            if a.path:
                path = Path(a.path)
                later.append(path if path.is_absolute() or db_folder is None else db_folder / path)
            a.data, a.path, a.deleted = None, None, True
            a.filename, a.caption = TOMBSTONE, _t(a.caption)
            counts["photos"] += 1
        # the reasons the office gave for dismissing likely conflicts with these applications
        counts["notes"] += forget_reasons(s, {uuid for _, uuid in subjects.apps.values()}, TOMBSTONE)
        from ..packages.models import MergeConflict

        for c in s.execute(select(MergeConflict).where(MergeConflict.application_id.in_(ids))).scalars():
            c.kept, c.other = tombstoned(c.kept), tombstoned(c.other)
            counts["conflicts"] += 1
        uuids = [uuid for _, uuid in subjects.apps.values()]
        counts["sealed_values"] = int(s.execute(delete(AuditPersonal).where(AuditPersonal.subject.in_(uuids)))
                                      .rowcount or 0)
        s.execute(update(AuditSubject).where(AuditSubject.subject.in_(uuids))
                  .values(salt=None, purged_at=now, purge=purge))
        known = set(s.execute(select(AuditSubject.subject).where(AuditSubject.subject.in_(uuids))).scalars())
        for uuid in uuids:  # a subject no entry sealed anything of yet: remembered as purged all the same
            if uuid not in known:
                s.add(AuditSubject(subject=uuid, salt=None, created_at=now, purged_at=now, purge=purge))
        counts["evidence"] = _redact_evidence(s, subjects, purge, actor=actor, device=device)
        for pk, (ext, uuid) in sorted(subjects.apps.items(), key=lambda kv: kv[1][0]):
            audit.append(s, actor=actor, device=device, action="purge", entity="application", entity_uuid=uuid,
                         new={"application": ext, "purge": purge, "rule": rules.get(uuid, "")},
                         reason=reason or rules.get(uuid, ""))
    pruned = access.prune(s, p.today, actor=actor) if p.access_entries else None
    if pruned is not None:
        if not subjects.apps:  # only the access log's own retention: its record says it all
            return pruned, later
        counts["access_entries"] = int(pruned.counts.get("access_entries", 0))
    record = PurgeRecord(uuid=purge, at=now, actor=actor, kind=kind,
                         rule="; ".join(sorted(set(rules.values()))) or (pruned.rule if pruned else ""),
                         subjects=sorted(subjects.exts), counts=counts,
                         files=[b.path for b in p.backups if b.holds],
                         detail={"reason": reason, "legacy_entries": p.legacy_entries,
                                 "unchecked_backups": [b.path for b in p.backups if b.holds is None]})
    s.add(record)
    s.flush()
    return record, later


# --- backups ----------------------------------------------------------------------------------------
def backup_files(path: Path, registered: list[str]) -> list[Path]:
    """The backups of the SQLite database ``path`` the program knows of: beside it (the upgrade's,
    restore's and a replaced field database's) and those ``evaluator backup`` made."""
    folder, name, stem, suffix = path.parent, path.name, path.stem, path.suffix
    found: list[Path] = []
    for pattern in (f"{name}.backup-*", f"{name}.before-restore-*", f"{stem}-old-*{suffix}"):
        found += [p for p in folder.glob(pattern) if p.is_file() and not p.name.endswith(("-wal", "-shm", "-journal"))]
    for r in registered:
        p = Path(r)
        if p.is_file() and p not in found:
            found.append(p)
    return sorted(set(found))


def check_backups(engine: Engine, files: list[Path], uuids: set[str]) -> list[BackupCheck]:
    """Which ``files`` hold any of the applications ``uuids`` (opened beside the database, with its
    key when it is encrypted)."""
    out = []
    raw = engine.raw_connection()
    try:
        conn = raw.driver_connection
        marks = ",".join("?" for _ in uuids)
        for f in files:
            literal = "'" + str(f).replace("'", "''") + "'"
            try:
                conn.execute(f"ATTACH DATABASE {literal} AS purge_check")
            except Exception as exc:  # noqa: BLE001 - not a database, another key: listed, never removed
                out.append(BackupCheck(str(f), None, str(exc).splitlines()[0][:120]))
                continue
            try:
                hit = conn.execute(f"SELECT 1 FROM purge_check.application WHERE uuid IN ({marks}) LIMIT 1",
                                   sorted(uuids)).fetchone()
                out.append(BackupCheck(str(f), hit is not None))
            except Exception as exc:  # noqa: BLE001
                out.append(BackupCheck(str(f), None, str(exc).splitlines()[0][:120]))
            finally:
                try:
                    conn.execute("DETACH DATABASE purge_check")
                except Exception:  # noqa: BLE001 - it was not attached
                    pass
    finally:
        raw.close()
    return out


def remember_backup(s: Session, path: Path, *, forget: bool = False) -> None:
    """Note a backup ``evaluator backup`` makes, so that a purge finds it (``forget``: it was not made)."""
    made = [p for p in (get_setting(s, BACKUPS) or []) if Path(p).exists() and p != str(path)]
    set_setting(s, BACKUPS, made if forget else made + [str(path)])


# --- the database forgets ---------------------------------------------------------------------------
_TOUCHED = ("application", "evaluation", "score", "site_visit", "assignment", "gate_result", "attachment",
            "merge_conflict", "package_evidence", "audit_personal", "audit_subject", "access_event")


def compact(engine: Engine) -> str:
    """Rewrite the database so that no page keeps what was deleted: SQLite ``VACUUM`` (with
    ``secure_delete``, the temporary copy in memory) and the WAL checkpointed and truncated;
    PostgreSQL ``VACUUM FULL`` of the tables a purge touches, then ``ANALYZE`` (whose statistics
    sample column values) and, as a superuser, ``VACUUM FULL pg_statistic`` (where the old samples
    stay otherwise).  Returns what was done."""
    if engine.dialect.name == "sqlite":
        raw = engine.raw_connection()
        try:
            conn = raw.driver_connection
            conn.execute("PRAGMA secure_delete=ON")
            conn.execute("PRAGMA temp_store=MEMORY")
            conn.execute("VACUUM")
            busy, log, done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            raw.close()
        return "VACUUM; WAL truncated" if not busy else f"VACUUM; WAL checkpoint busy ({done}/{log} pages)"
    from sqlalchemy import text

    done, refused = [], []
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        owned = set(conn.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND "
            "pg_has_role(current_user, tableowner, 'MEMBER')")).scalars())
        for t in _TOUCHED:
            if t not in owned:  # (VACUUM would only warn and skip it)
                refused.append(t)
                continue
            conn.execute(text(f'VACUUM (FULL, ANALYZE) "{t}"'))
            done.append(t)
        # the planner's statistics sample column values (names among them); the new ones were just
        # made, the old row versions go only with a rewrite of the catalogue, which needs a superuser
        superuser = conn.execute(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).scalar()
        if superuser:
            conn.execute(text("VACUUM FULL pg_catalog.pg_statistic"))
    note = "" if superuser else ("; the server's column statistics (pg_statistic) are rewritten only by a superuser: "
                                 "run VACUUM FULL pg_catalog.pg_statistic as one")
    if refused:
        return (f"VACUUM FULL of {len(done)} tables; {len(refused)} need the database owner ({', '.join(refused)}): "
                "run 'evaluator purge --compact' as the owner" + note)
    return f"VACUUM FULL of {len(done)} tables and the statistics" if superuser else \
        f"VACUUM FULL of {len(done)} tables" + note


__all__ = ["BACKUPS", "BackupCheck", "PurgePlan", "PurgeReport", "backup_files", "check_backups", "compact",
           "destroy", "destroy_file", "legacy_entries", "plan", "remember_backup", "tombstoned"]
