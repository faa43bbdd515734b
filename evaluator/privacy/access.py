"""The access log: every view, print, export and download of data about applicants' people.

PIPA's safety-measure standard asks for a record of each access to personal data — account, time,
data subject, action (views, prints and downloads included) — with a reason for downloads, kept at
least a year (two from 50,000 data subjects) and reviewed monthly.  One entry per access:

* **who** — the actor's name, role and operating-system account (or database login)
  (:class:`evaluator.privacy.identity.Actor`) and the database's device id;
* **when** (UTC) and **what** — the action (``view`` on screen, ``print`` a PDF, ``export`` a
  workbook, ``kit`` for a field kit, ``subject_export``, ``review``) and the output;
* **whom** — the application IDs concerned, the personal fields carried (representative, phone,
  e-mail, address, visit attendees; none for a pseudonymised output), the SHA-256 of the file
  written, and the **reason** (asked whenever contact data leaves the database).

Entries are hash-chained exactly like the audit trail (SHA-256 over the previous hash and the
entry's canonical JSON), so an entry changed, removed or slipped in shows in ``audit verify``.  The
log itself is personal data about staff; it is kept for its retention period and then pruned by
``evaluator purge``: the pruned part's last hash is kept in the purge record, so the rest still
verifies (:func:`prune`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from ..db.models import Application, new_uuid, utcnow
from ..errors import ValidationError
from .identity import Actor
from .models import AccessEvent, PurgeRecord
from ..messages import Message, msg, plural

GENESIS = "0" * 64
PG_LOCK_KEY = 0x4D61_6576  # "Maev" (the audit chain's is "Maeu")
ACTIONS = ("view", "print", "export", "kit", "subject_export", "review")
#: personal fields an output can carry (the "personal columns")
CONTACT_FIELDS = ("representative", "phone", "email", "address")
VISIT_FIELDS = ("attendees",)
#: the access log is kept at least this many years …
RETENTION_YEARS = 1
#: … and this many from this many data subjects on (PIPA's safety-measure standard, Art. 8)
LARGE_RETENTION_YEARS, LARGE_SUBJECTS = 2, 50_000

_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode
_TABLE = AccessEvent.__table__
_HASHED = ("uuid", "at", "actor", "role", "account", "device", "action", "what", "subjects", "subject_count",
           "fields", "fingerprint", "reason")


@dataclass(frozen=True)
class AccessEntry:
    id: int
    at: datetime
    actor: str
    role: str
    account: str
    action: str
    what: str
    subjects: tuple[str, ...]
    subject_count: int
    fields: tuple[str, ...]
    fingerprint: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "at": self.at.isoformat(timespec="seconds"), "actor": self.actor, "role": self.role,
                "account": self.account, "action": self.action, "what": self.what, "subjects": list(self.subjects),
                "subject_count": self.subject_count, "fields": list(self.fields), "fingerprint": self.fingerprint,
                "reason": self.reason}


@dataclass(frozen=True)
class AccessVerification:
    ok: bool
    entries: int
    problem: str = ""
    #: entries pruned after their retention (their last hash starts the chain of the rest)
    pruned: int = 0


def _hash(prev: str, row: dict[str, Any]) -> str:
    fields = {k: row[k] for k in _HASHED}
    at = fields["at"]
    fields["at"] = at.isoformat(timespec="microseconds") if isinstance(at, datetime) else at
    return hashlib.sha256(prev.encode() + b"\n" + _CANONICAL(fields).encode()).hexdigest()


def require_reason(reason: str | None, what: str | Message) -> str:
    """The reason an output carrying contact data needs (one sentence when it is missing; ``what``
    names the output, best as a message: ``msg("reports.the_x", "The X")``)."""
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise ValidationError(msg("privacy.reason_needed", "{what} carries applicants' contact data: give the reason "
                                  "for it (--reason TEXT; it is kept in the access log). Nothing was written.",
                                  what=what))
    if len(reason) > 500:
        raise ValidationError(msg("privacy.reason_too_long", "The reason is longer than 500 characters; say it in a "
                                  "sentence."))
    return reason


def _lock(s: Session) -> None:
    if s.get_bind().dialect.name == "postgresql":
        s.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": PG_LOCK_KEY})


def log(s: Session, *, actor: Actor, device: str, action: str, what: str, subjects: list[str],
        fields: list[str] | tuple[str, ...] = (), fingerprint: str = "", reason: str = "",
        at: datetime | None = None) -> dict[str, Any]:
    """Append one entry inside the caller's write transaction; returns it (with its hash)."""
    assert action in ACTIONS, action
    _lock(s)
    prev = s.execute(select(_TABLE.c.hash).order_by(_TABLE.c.id.desc()).limit(1)).scalar()
    if prev is None:
        prev = _pruned_head(s)[1]
    subjects = sorted({str(x) for x in subjects})
    row = {"uuid": new_uuid(), "at": at or utcnow(), "actor": actor.label, "role": actor.role,
           "account": actor.account, "device": device or "", "action": action, "what": what[:200],
           "subjects": subjects, "subject_count": len(subjects), "fields": list(fields), "fingerprint": fingerprint,
           "reason": reason or ""}
    row["prev_hash"] = prev
    row["hash"] = _hash(prev, row)
    s.execute(_TABLE.insert().values(**row))
    return row


def file_fingerprint(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _pruned_head(s: Session) -> tuple[int, str]:
    """(entries pruned, the hash the first kept entry follows) after the latest pruning."""
    detail = s.execute(select(PurgeRecord.detail).where(PurgeRecord.kind == "access_log")
                       .order_by(PurgeRecord.id.desc()).limit(1)).scalar()
    if not isinstance(detail, dict):
        return 0, GENESIS
    return int(detail.get("pruned_total", 0)), str(detail.get("head") or GENESIS)


def verify(s: Session) -> AccessVerification:
    """Every entry in its place with its hash (from the hash the last pruning kept)."""
    pruned, prev = _pruned_head(s)
    n = 0
    cols = [getattr(_TABLE.c, k) for k in (*_HASHED, "id", "prev_hash", "hash")]
    for r in s.execute(select(*cols).order_by(_TABLE.c.id).execution_options(yield_per=2000)):
        n += 1
        row = r._mapping
        if row["prev_hash"] != prev:
            return AccessVerification(False, n, f"entry {row['id']} does not follow the entry before it (chain "
                                                "broken)", pruned)
        if _hash(prev, dict(row)) != row["hash"]:
            return AccessVerification(False, n, f"entry {row['id']} ({row['action']} by {row['actor']}) was altered",
                                      pruned)
        prev = row["hash"]
    return AccessVerification(True, n, "", pruned)


def entries(s: Session, *, since: datetime | None = None, until: datetime | None = None,
            subject: str | None = None, limit: int | None = None) -> list[AccessEntry]:
    """The log, oldest first: from ``since``, before ``until``, about application ``subject``."""
    q = select(AccessEvent).order_by(AccessEvent.id)
    if since is not None:
        q = q.where(AccessEvent.at >= since)
    if until is not None:
        q = q.where(AccessEvent.at < until)
    out = []
    for e in s.execute(q).scalars():
        if subject is not None and subject not in (e.subjects or ()):
            continue
        out.append(AccessEntry(e.id, e.at, e.actor, e.role, e.account, e.action, e.what, tuple(e.subjects or ()),
                               e.subject_count, tuple(e.fields or ()), e.fingerprint, e.reason))
        if limit is not None and len(out) >= limit:
            break
    return out


def retention(s: Session) -> tuple[int, int]:
    """(years the log is kept, data subjects held): one year, two from 50,000 data subjects."""
    subjects = int(s.execute(select(func.count(Application.id))).scalar() or 0)
    return (LARGE_RETENTION_YEARS if subjects >= LARGE_SUBJECTS else RETENTION_YEARS), subjects


def cutoff(s: Session, today: date) -> datetime:
    years, _ = retention(s)
    return datetime.combine(_years_before(today, years), datetime.min.time())


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def due_for_pruning(s: Session, today: date) -> int:
    return int(s.execute(select(func.count(AccessEvent.id)).where(AccessEvent.at < cutoff(s, today))).scalar() or 0)


def prune(s: Session, today: date, *, actor: str) -> PurgeRecord | None:
    """Remove the entries older than the log's retention (inside the caller's write); the purge
    record keeps how many and the last removed hash, from which the rest of the chain verifies."""
    limit = cutoff(s, today)
    last = s.execute(select(AccessEvent.id, AccessEvent.hash).where(AccessEvent.at < limit)
                     .order_by(AccessEvent.id.desc()).limit(1)).first()
    if last is None:
        return None
    # only a prefix of the chain can go: entries are appended in time order
    n = int(s.execute(select(func.count(AccessEvent.id)).where(AccessEvent.id <= last.id)).scalar() or 0)
    total = _pruned_head(s)[0] + n
    s.execute(delete(AccessEvent).where(AccessEvent.id <= last.id))
    years, subjects = retention(s)
    record = PurgeRecord(actor=actor, kind="access_log",
                         rule=f"access log: kept {years} {plural(years, 'year', 'years')} ({subjects:,} data "
                              f"{plural(subjects, 'subject', 'subjects')})",
                         counts={"access_entries": n},
                         detail={"head": last.hash, "last_id": last.id, "pruned_total": total,
                                 "before": limit.isoformat()})
    s.add(record)
    s.flush()
    return record


# --- the monthly review ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Review:
    """What the monthly review of the access log looks at (the PDF prints it)."""

    month: str
    start: datetime
    end: datetime
    entries: tuple[AccessEntry, ...]
    by_actor: dict[str, dict[str, int]] = field(default_factory=dict)
    #: exports, prints and kits that carried contact data, each with its reason
    downloads: tuple[AccessEntry, ...] = ()
    #: what deserves a second look: many subjects at once, outside office hours, no reason
    remarks: tuple[tuple[AccessEntry, str], ...] = ()
    chain_ok: bool = True
    chain_problem: str = ""


#: an output about this many applications or more is worth a second look in the review
MANY_SUBJECTS = 100


def month_range(month: str) -> tuple[datetime, datetime]:
    try:
        first = datetime.strptime(month, "%Y-%m")
    except ValueError:
        raise ValidationError(msg("privacy.not_a_month", "'{month}' is not a month; write it as 2026-11.",
                                  month=month)) from None
    nxt = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first, nxt


def review(s: Session, month: str) -> Review:
    start, end = month_range(month)
    rows = entries(s, since=start, until=end)
    by_actor: dict[str, dict[str, int]] = {}
    for e in rows:
        counts = by_actor.setdefault(e.actor, {})
        counts[e.action] = counts.get(e.action, 0) + 1
    downloads = tuple(e for e in rows if e.fields and e.action != "view")
    remarks: list[tuple[AccessEntry, str]] = []
    for e in rows:
        if e.subject_count >= MANY_SUBJECTS and e.fields:
            remarks.append((e, "many"))
        local = e.at + timedelta(hours=9)  # Korea Standard Time (no daylight saving)
        if local.hour < 7 or local.hour >= 21 or local.weekday() >= 5:
            remarks.append((e, "hours"))
        if e.fields and e.action != "view" and not e.reason:
            remarks.append((e, "no_reason"))
    check = verify(s)
    return Review(month=month, start=start, end=end, entries=tuple(rows), by_actor=by_actor, downloads=downloads,
                  remarks=tuple(remarks), chain_ok=check.ok, chain_problem=check.problem)


__all__ = ["ACTIONS", "AccessEntry", "AccessVerification", "CONTACT_FIELDS", "Review", "VISIT_FIELDS", "entries",
           "file_fingerprint", "log", "prune", "require_reason", "retention", "review", "verify"]
