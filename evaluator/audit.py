"""The append-only, hash-chained audit log.

Each entry's hash is SHA-256 over the previous entry's hash and the entry's canonical JSON, so
changing, removing or reordering any entry breaks every hash after it; :func:`verify` names the
first broken entry.  Appends are serialised (SQLite's writer lock, a PostgreSQL advisory lock) so
concurrent writers cannot fork the chain.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from .db.models import AuditEvent, new_uuid, utcnow

GENESIS = "0" * 64
_PG_LOCK_KEY = 0x4D61_6575  # "Maeu"


#: the canonical JSON of an entry (what json.dumps with these arguments gives, encoder made once)
_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode


def _canonical(ev: dict[str, Any]) -> bytes:
    return _CANONICAL(ev).encode()


def entry_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    return hashlib.sha256(prev_hash.encode() + b"\n" + _canonical(fields)).hexdigest()


_HEAD = select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
_INSERT = insert(AuditEvent.__table__)


def _current_tx(session: Session):
    """The innermost transaction: the savepoint when one is open, else the root transaction."""
    return session.get_nested_transaction() or session.get_transaction()


def _cached_head(session: Session) -> tuple[Any, str | None]:
    """The chain head carried in the session, valid only in the very transaction it was made in.

    It is keyed on the *innermost* transaction: once a savepoint is rolled back the entries
    appended inside it are gone, so the next entry must chain to what is really in the table (and
    after a savepoint is released, likewise re-read once).  ``begin_nested()`` and the end of a
    savepoint both flush, so the re-read sees every entry still pending.  Returns
    ``(transaction, head)`` or ``(None, None)`` when the head must be read."""
    tx = _current_tx(session)
    cached = session.info.get("audit_head")
    if cached is not None and tx is not None and cached[0] is tx:
        return tx, cached[1]
    return None, None


def _lock_once(session: Session) -> None:
    """Take the chain's lock unless this root transaction already holds it.

    A PostgreSQL advisory lock taken inside a savepoint is let go when that savepoint is rolled
    back, so only a lock taken outside every savepoint counts as held to the end."""
    root = session.get_transaction()
    if root is not None and session.info.get("audit_locked") is root:
        return
    lock(session)


def _fields(e: AuditEvent | dict[str, Any]) -> dict[str, Any]:
    get = e.get if isinstance(e, dict) else lambda k: getattr(e, k)
    at = get("at")
    return {
        "uuid": get("uuid"),
        "at": at.isoformat(timespec="microseconds") if isinstance(at, datetime) else at,
        "actor": get("actor"),
        "device": get("device") or "",
        "action": get("action"),
        "entity": get("entity"),
        "entity_uuid": get("entity_uuid"),
        "old": get("old"),
        "new": get("new"),
        "reason": get("reason") or "",
    }


def append(
    session: Session,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_uuid: str | None = None,
    old: Any = None,
    new: Any = None,
    reason: str = "",
    device: str = "",
    at: datetime | None = None,
) -> AuditEvent:
    # The chain head is read once per (nested) transaction and then carried in the session, so a
    # bulk job appending thousands of entries costs no extra queries (see _cached_head).
    tx, prev = _cached_head(session)
    if tx is None:
        _lock_once(session)
        prev = session.execute(_HEAD).scalar()
        tx = _current_tx(session)
    ev = AuditEvent(
        uuid=new_uuid(),
        at=at or utcnow(),
        actor=actor,
        device=device,
        action=action,
        entity=entity,
        entity_uuid=entity_uuid,
        old=old,
        new=new,
        reason=reason,
        prev_hash=prev or GENESIS,
    )
    ev.hash = entry_hash(ev.prev_hash, _fields(ev))
    session.add(ev)
    session.info["audit_head"] = (tx, ev.hash)
    return ev


def append_core(
    conn: Connection,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_uuid: str | None = None,
    old: Any = None,
    new: Any = None,
    reason: str = "",
    device: str = "",
    at: datetime | None = None,
) -> str:
    """:func:`append` for the lean SQL-only paths (autosave): same chain, no ORM; returns the hash."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
    prev = conn.execute(_HEAD).scalar() or GENESIS
    fields = {
        "uuid": new_uuid(), "at": at or utcnow(), "actor": actor, "device": device, "action": action,
        "entity": entity, "entity_uuid": entity_uuid, "old": old, "new": new, "reason": reason,
    }
    digest = entry_hash(prev, _fields(fields))
    conn.execute(_INSERT, {**fields, "prev_hash": prev, "hash": digest})
    return digest


@dataclass(frozen=True)
class AuditVerification:
    ok: bool
    entries: int
    first_broken_id: int | None = None
    problem: str = ""


def verify(session: Session) -> AuditVerification:
    prev = GENESIS
    n = 0
    for ev in session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars():
        n += 1
        if ev.prev_hash != prev:
            return AuditVerification(False, n, ev.id, f"entry {ev.id} does not follow entry before it (chain broken)")
        if entry_hash(prev, _fields(ev)) != ev.hash:
            return AuditVerification(False, n, ev.id, f"entry {ev.id} ({ev.action} by {ev.actor}) was altered")
        prev = ev.hash
    return AuditVerification(True, n)


# --- bulk helpers (result package merges) ---------------------------------------------------------
def lock(session: Session) -> None:
    """Take the chain's lock now (PostgreSQL advisory lock; SQLite's writer lock is already held).

    A job that appends at its end may take it first, so that concurrent jobs queue up at their
    start instead of deadlocking on rows they both touch."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
        if session.get_nested_transaction() is None:
            session.info["audit_locked"] = session.get_transaction()


def append_many(session: Session, entries: list[dict[str, Any]]) -> str | None:
    """Append many entries in one statement; each dict has :func:`append`'s keyword arguments.

    Same chain, same hashes as :func:`append` (and safe to mix with it in one transaction);
    returns the new head hash (None when ``entries`` is empty)."""
    if not entries:
        return None
    session.flush()  # entries added through the ORM (still pending) come first in the chain
    tx, prev = _cached_head(session)
    if tx is None:
        _lock_once(session)
        prev = session.execute(_HEAD).scalar() or GENESIS
        tx = _current_tx(session)
    rows = []
    now = utcnow()
    for e in entries:
        row = {
            "uuid": new_uuid(), "at": e.get("at") or now, "actor": e["actor"], "device": e.get("device") or "",
            "action": e["action"], "entity": e["entity"], "entity_uuid": e.get("entity_uuid"),
            "old": e.get("old"), "new": e.get("new"), "reason": e.get("reason") or "",
        }
        row["prev_hash"] = prev
        row["hash"] = prev = entry_hash(prev, _fields(row))
        rows.append(row)
    session.execute(_INSERT, rows)
    session.info["audit_head"] = (tx, prev)
    return prev


def verify_entries(entries: list[dict[str, Any]]) -> AuditVerification:
    """:func:`verify` for an exported trail (dicts with ``at`` as an ISO string, ``prev_hash``, ``hash``)."""
    prev = GENESIS
    for n, ev in enumerate(entries, 1):
        ident = ev.get("id", n)
        if ev.get("prev_hash") != prev:
            return AuditVerification(False, n, ident, f"entry {ident} does not follow entry before it (chain broken)")
        if entry_hash(prev, _fields(ev)) != ev.get("hash"):
            return AuditVerification(False, n, ident, f"entry {ident} ({ev.get('action')} by {ev.get('actor')}) "
                                                      "was altered")
        prev = ev["hash"]
    return AuditVerification(True, len(entries))
