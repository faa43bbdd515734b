"""The append-only, hash-chained audit log: one entry builder, three ways to write it.

Each entry's hash is SHA-256 over the previous entry's hash and the entry's canonical JSON, so
changing, removing or reordering any entry breaks every hash after it; :func:`verify` names the
first broken entry.  Appends are serialised (SQLite's writer lock, a PostgreSQL advisory lock) so
concurrent writers cannot fork the chain.

Every entry is made by :func:`new_entry` and chained by :func:`link`, whichever way it is written:
:func:`append` (an ORM session), :func:`append_many` (one statement for a bulk job such as a merge)
and the autosave, which runs its own SQL on the driver connection
(:mod:`evaluator.services.autosave`) — so the three write the same rows.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from ..db.models import AuditEvent, new_uuid, utcnow
from ..messages import msg
from .personal import MARK, Vault, session_vault

GENESIS = "0" * 64
PG_LOCK_KEY = 0x4D61_6575  # "Maeu"


#: the canonical JSON of an entry (what json.dumps with these arguments gives, encoder made once)
_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode


def _canonical(ev: dict[str, Any]) -> bytes:
    return _CANONICAL(ev).encode()


def entry_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    return hashlib.sha256(prev_hash.encode() + b"\n" + _canonical(fields)).hexdigest()


#: how a marker of a personal value shows in an entry's canonical JSON
_MARKED = f'"{MARK}"'
_TABLE = AuditEvent.__table__
_HEAD = select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
_INSERT = insert(_TABLE)
#: every column of an entry, in chain order (what verification reads: no ORM objects)
_ENTRIES = select(_TABLE.c.id, _TABLE.c.uuid, _TABLE.c.at, _TABLE.c.actor, _TABLE.c.device, _TABLE.c.action,
                  _TABLE.c.entity, _TABLE.c.entity_uuid, _TABLE.c.old, _TABLE.c.new, _TABLE.c.reason,
                  _TABLE.c.prev_hash, _TABLE.c.hash).order_by(_TABLE.c.id)


def new_entry(*, actor: str, action: str, entity: str, entity_uuid: str | None = None, old: Any = None,
              new: Any = None, reason: str = "", device: str = "", at: datetime | None = None,
              subject: str | None = None, vault: Vault | None = None) -> dict[str, Any]:
    """The one builder of an audit entry: its columns except the two hashes (see :func:`link`).

    With ``subject`` (the uuid of the application whose people the entry is about) the personal
    values in ``old`` and ``new`` are sealed by ``vault``: the entry holds their commitments, never
    the values (:mod:`evaluator.audit.personal`)."""
    at = at or utcnow()
    if subject is not None:
        assert vault is not None, "an entry about a data subject needs the unit's vault"
        vault.at = at
        old, new = vault.seal(old, subject), vault.seal(new, subject)
    return {"uuid": new_uuid(), "at": at, "actor": actor, "device": device or "", "action": action,
            "entity": entity, "entity_uuid": entity_uuid, "old": old, "new": new, "reason": reason or ""}


def _fields(e: Any) -> dict[str, Any]:
    """The hashed fields of an entry (a dict of its columns, an ORM object or a row)."""
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


def link(prev_hash: str, entry: dict[str, Any]) -> str:
    """Chain ``entry`` (from :func:`new_entry`) onto ``prev_hash``: sets its ``prev_hash`` and
    ``hash`` and returns the hash (the new head)."""
    entry["prev_hash"] = prev_hash
    entry["hash"] = digest = entry_hash(prev_hash, _fields(entry))
    return digest


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


def _head(session: Session) -> tuple[Any, str]:
    """(transaction, current head) for the next append: the cached head (see :func:`_cached_head`)
    or, taking the chain's lock first, the last entry's hash."""
    tx, prev = _cached_head(session)
    if tx is None:
        _lock_once(session)
        last = session.execute(_HEAD).first()
        prev = last.hash if last is not None else None
        tx = _current_tx(session)
        root = session.get_transaction()
        base = session.info.get("audit_base")
        if root is not None and (base is None or base[0] is not root):
            # the last entry before this transaction's first append (made under the chain's lock):
            # every entry after it is this transaction's own, chained here (see :func:`appended_after`)
            session.info["audit_base"] = (root, last.id if last is not None else 0)
    return tx, prev or GENESIS


def appended_after(session: Session) -> int | None:
    """The id of the last entry before this transaction's first append through :func:`append` or
    :func:`append_many` (0: the chain was empty), or None when it appended none that way.  The
    entries after it were built and chained by this transaction, under the chain's lock."""
    base = session.info.get("audit_base")
    root = session.get_transaction()
    return base[1] if base is not None and root is not None and base[0] is root else None


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
    subject: str | None = None,
) -> AuditEvent:
    """Append one entry; ``subject`` (an application's uuid) seals the personal values in ``old``
    and ``new`` (:mod:`evaluator.audit.personal`)."""
    # The chain head is read once per (nested) transaction and then carried in the session, so a
    # bulk job appending thousands of entries costs no extra queries (see _cached_head).
    tx, prev = _head(session)
    row = new_entry(actor=actor, action=action, entity=entity, entity_uuid=entity_uuid, old=old, new=new,
                    reason=reason, device=device, at=at, subject=subject,
                    vault=session_vault(session) if subject is not None else None)
    head = link(prev, row)
    ev = AuditEvent(**row)
    session.add(ev)
    session.info["audit_head"] = (tx, head)
    return ev


@dataclass(frozen=True)
class AuditVerification:
    """What :func:`verify` (the chain) or :func:`evaluator.audit.check.verify` (the chain, its
    anchors and the records replayed against it) found.  ``problem`` is the first of
    ``problems``; ``first_broken_id`` the first entry that fails the chain, if any."""

    ok: bool
    entries: int
    first_broken_id: int | None = None
    problem: str = ""
    problems: tuple[str, ...] = ()
    #: signed anchors checked, and the last one (see :mod:`evaluator.audit.anchors`)
    anchors: int = 0
    last_anchor: Any = None
    #: records replayed against the chain: evaluations, scores, decisions
    replayed: dict[str, int] | None = None


def verify(session: Session, visit: Callable[[Row], None] | None = None,
           personal: Callable[[Row], None] | None = None) -> AuditVerification:
    """Check every entry's place in the chain and its hash, in one pass over the table;
    ``visit(row)`` sees each entry that passed (the replay of :mod:`evaluator.audit.replay`), after
    ``personal(row)`` when the entry holds markers of personal values (:mod:`.personal`)."""
    prev = GENESIS
    n = 0
    sha256, canonical = hashlib.sha256, _CANONICAL
    for r in session.execute(_ENTRIES.execution_options(yield_per=2000)):
        n += 1
        # (the hashed fields as _fields gives them, from the row's columns: one pass over 100,000
        # entries spends most of its time here)
        ident, uuid, at, actor, device, action, entity, entity_uuid, old, new, reason, prev_hash, digest = r
        if prev_hash != prev:
            problem = _not_following(ident)
            return AuditVerification(False, n, ident, problem, (problem,))
        fields = {"uuid": uuid, "at": at.isoformat(timespec="microseconds") if isinstance(at, datetime) else at,
                  "actor": actor, "device": device or "", "action": action, "entity": entity,
                  "entity_uuid": entity_uuid, "old": old, "new": new, "reason": reason or ""}
        encoded = canonical(fields)
        if sha256(prev.encode() + b"\n" + encoded.encode()).hexdigest() != digest:
            problem = _altered(ident, action, actor)
            return AuditVerification(False, n, ident, problem, (problem,))
        prev = digest
        if personal is not None and _MARKED in encoded:
            personal(r)
        if visit is not None:
            visit(r)
    return AuditVerification(True, n)


def verify_since(session: Session, entry_id: int, head: str, until: int | None = None) -> str:
    """The chain from entry ``entry_id`` (whose hash must be ``head``) to the end — or to entry
    ``until``: "" when it holds, else what is wrong (checked before an anchor is signed, see
    :mod:`evaluator.audit.anchors`; the entries before ``entry_id`` are covered by the anchor that
    signed ``head``)."""
    prev = None
    q = _ENTRIES.where(_TABLE.c.id >= entry_id)
    if until is not None and until >= entry_id:
        q = q.where(_TABLE.c.id <= until)
    for r in session.execute(q.execution_options(yield_per=2000)):
        if prev is None:
            if r.id != entry_id or r.hash != head:
                return str(msg("audit.entry_not_signed_one", "entry {entry} is no longer the one the last anchor "
                               "signed", entry=entry_id))
        elif r.prev_hash != prev:
            return _not_following(r.id)
        elif entry_hash(prev, _fields(r)) != r.hash:
            return _altered(r.id, r.action, r.actor)
        prev = r.hash
    return "" if prev is not None else str(msg("audit.signed_entry_missing", "entry {entry}, which the last anchor "
                                               "signed, is missing", entry=entry_id))


def _not_following(entry: Any) -> str:
    return str(msg("audit.chain_broken", "entry {entry} does not follow entry before it (chain broken)", entry=entry))


def _altered(entry: Any, action: Any, actor: Any) -> str:
    return str(msg("audit.entry_altered", "entry {entry} ({action} by {actor}) was altered", entry=entry,
                   action=action, actor=actor))


# --- bulk helpers (result package merges) ---------------------------------------------------------
def lock(session: Session) -> None:
    """Take the chain's lock now (PostgreSQL advisory lock; SQLite's writer lock is already held).

    A job that appends at its end may take it first, so that concurrent jobs queue up at their
    start instead of deadlocking on rows they both touch."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": PG_LOCK_KEY})
        if session.get_nested_transaction() is None:
            session.info["audit_locked"] = session.get_transaction()


def append_many(session: Session, entries: list[dict[str, Any]]) -> str | None:
    """Append many entries in one statement; each dict has :func:`append`'s keyword arguments
    (``subject`` included).

    Same chain, same hashes as :func:`append` (and safe to mix with it in one transaction);
    returns the new head hash (None when ``entries`` is empty)."""
    if not entries:
        return None
    session.flush()  # entries added through the ORM (still pending) come first in the chain
    tx, prev = _head(session)
    now = utcnow()
    rows = []
    subjects: dict[str, datetime] = {}
    for e in entries:
        if e.get("subject") is not None:
            subjects.setdefault(e["subject"], e.get("at") or now)
    vault = session_vault(session) if subjects else None
    with vault.batch() if vault is not None else nullcontext():  # salts read and values stored in bulk
        if vault is not None:
            vault.prefetch(subjects)
        for e in entries:
            row = new_entry(actor=e["actor"], action=e["action"], entity=e["entity"],
                            entity_uuid=e.get("entity_uuid"), old=e.get("old"), new=e.get("new"),
                            reason=e.get("reason") or "", device=e.get("device") or "", at=e.get("at") or now,
                            subject=e.get("subject"), vault=vault)
            prev = link(prev, row)
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
            problem = _not_following(ident)
            return AuditVerification(False, n, ident, problem, (problem,))
        if entry_hash(prev, _fields(ev)) != ev.get("hash"):
            problem = _altered(ident, ev.get("action"), ev.get("actor"))
            return AuditVerification(False, n, ident, problem, (problem,))
        prev = ev["hash"]
    return AuditVerification(True, len(entries))
