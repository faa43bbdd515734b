"""The redactable audit chain: entries commit to personal values; they never hold them.

An entry about a data subject (an application's people) does not carry a personal value — a
comment, visit attendees and notes, a representative's phone — but a *marker* in its place::

    {"$personal": "<HMAC-SHA256 of the value under the subject's salt>", "subject": "<application uuid>"}

The marker is what the chain hashes, so the chain verifies whatever happens to the value.  The
value sits beside the chain in ``audit_personal`` (by its digest) and the subject's secret salt in
``audit_subject``.  While they are there, ``audit verify`` recomputes every digest (a value changed
behind the trail's back shows) and the replay reads the values through :class:`Resolver`.  A purge
deletes the subject's values and its salt: the markers left in the chain then commit to nothing
anyone can recover (the salt was random and is gone; a name cannot be guessed back from its HMAC),
the chain still verifies, and the replay reads :data:`TOMBSTONE` for every purged value — what the
purge wrote into the records.

Which values are personal is said once here (:data:`PERSONAL_KEYS`); the writers of entries name
the subject (``audit.append(…, subject=app.uuid)``) and :class:`Vault` seals the values under
those keys.  The same digest stands for the same value of the same subject, so the old and new
comment of an autosave that changed only the level cost one row between them.

Entries written before schema revision 0006 hold their values in the clear.  They stay as they
are: rewriting them would break their hashes and every anchor signed after them.  A purge lists
how many such entries still name a purged subject (see docs/privacy.md).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db.models import AuditPersonal, AuditSubject, secret_bytes, utcnow
from ..messages import msg

#: the marker key in an entry's JSON
MARK = "$personal"
#: the keys whose values are personal data about an application's people (or may name them)
PERSONAL_KEYS = frozenset({
    "representative", "phone", "email", "address",      # contact data
    "attendees", "notes",                                 # the visit log
    "findings", "text",                                   # a monitoring visit's findings, its actions' texts
    "comment", "abstain_reason", "note",                  # evaluators' and the office's free text
    "reason",                                             # (an abstention's, in entries about a subject)
    "caption", "filename",                                # photos
})
#: what a purged personal text becomes, in the records and as read back from the chain
TOMBSTONE = "[파기됨 · purged]"

_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode


def digest(salt: bytes, value: Any) -> str:
    """The commitment to ``value``: HMAC-SHA256 under the subject's salt of its canonical JSON."""
    return hmac.new(salt, _CANONICAL(value).encode(), hashlib.sha256).hexdigest()


def is_marker(v: Any) -> bool:
    return type(v) is dict and MARK in v


def worth_sealing(v: Any) -> bool:
    """Empty values (None, "", {}, []) say nothing about anyone: they stay as they are."""
    return v not in (None, "", {}, []) and not is_marker(v)


class Vault:
    """Seals the personal values of one unit of work.

    ``salt_of(subject, at)`` returns the subject's salt (creating it, dated ``at``, when there is
    none, or a new one after a purge); ``put(rows)`` stores ``(digest, subject, value)`` rows,
    ignoring digests already stored.  Both run in the caller's transaction."""

    def __init__(self, salt_of: Callable[[str, datetime], bytes],
                 put: Callable[[list[tuple[str, str, Any]]], None],
                 salts_of: Callable[[dict[str, datetime]], dict[str, bytes]] | None = None) -> None:
        self._salt_of = salt_of
        self._salts_of = salts_of
        self._put = put
        self._salts: dict[str, bytes] = {}
        self._stored: set[str] = set()
        #: rows sealed inside :meth:`batch`, stored in one statement at its end
        self._pending: list[tuple[str, str, Any]] | None = None
        #: when the entry being sealed is written (a salt made for it is dated so)
        self.at: datetime | None = None

    def salt(self, subject: str) -> bytes:
        salt = self._salts.get(subject)
        if salt is None:
            salt = self._salts[subject] = self._salt_of(subject, self.at or utcnow())
        return salt

    def prefetch(self, subjects: dict[str, datetime]) -> None:
        """Read (or make, dated as given) the salts of many subjects at once, instead of one query
        per subject."""
        todo = {x: at for x, at in subjects.items() if x not in self._salts}
        if todo and self._salts_of is not None:
            self._salts.update(self._salts_of(todo))

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Values sealed inside are stored together, in one statement, when the block ends well."""
        if self._pending is not None:  # already batching: the outer block stores them
            yield
            return
        self._pending = []
        try:
            yield
            rows = self._pending
        finally:
            self._pending = None
        if rows:
            self._put(rows)

    def value(self, subject: str, value: Any) -> Any:
        """The marker standing for ``value`` (empty values are kept as they are)."""
        if not worth_sealing(value):
            return value
        d = digest(self.salt(subject), value)
        if d not in self._stored:
            if self._pending is not None:
                self._pending.append((d, subject, value))
            else:
                self._put([(d, subject, value)])
            self._stored.add(d)
        return {MARK: d, "subject": subject}

    def keys(self, obj: Any, subject: str) -> Any:
        """``obj`` with the value of every :data:`PERSONAL_KEYS` key, at any depth, sealed."""
        if isinstance(obj, dict):  # (only containers are walked into: a merge seals thousands of records)
            return {k: (self.keys(v, subject) if isinstance(v, (dict, list))
                        else self.value(subject, v) if k in PERSONAL_KEYS else v) for k, v in obj.items()}
        if isinstance(obj, list):
            return [self.keys(v, subject) if isinstance(v, (dict, list)) else v for v in obj]
        return obj

    def seal(self, obj: Any, subject: str | None) -> Any:
        """An entry's ``old`` or ``new`` about ``subject``: a dict or list has its personal keys
        sealed, a bare string (an evaluation's comment) is sealed whole; None: nothing to seal."""
        if subject is None or obj is None:
            return obj
        if isinstance(obj, str):
            return self.value(subject, obj)
        return self.keys(obj, subject)


# --- the vault of an ORM session ------------------------------------------------------------------
def _current_tx(session: Session):
    return session.get_nested_transaction() or session.get_transaction()


def session_vault(session: Session) -> Vault:
    """The vault of ``session``'s innermost transaction (a savepoint rolled back takes the rows and
    salts it stored with it, so a new transaction starts a new vault)."""
    tx = _current_tx(session)
    cached = session.info.get("audit_vault")
    if cached is not None and cached[0] is tx:
        return cached[1]
    conn = session.connection()
    vault = Vault(lambda subject, at: _salt(conn, subject, at), lambda rows: _put(conn, rows),
                  lambda subjects: _salts(conn, subjects))
    session.info["audit_vault"] = (tx, vault)
    return vault


def _salt(conn, subject: str, at: datetime) -> bytes:  # noqa: ANN001 - a SQLAlchemy Connection
    table = AuditSubject.__table__
    row = conn.execute(select(table.c.salt).where(table.c.subject == subject)).first()
    salt = secret_bytes(32)
    if row is None:
        conn.execute(table.insert().values(subject=subject, salt=salt, created_at=at))
    elif row[0] is None:  # purged before: new values of the subject get a new salt
        conn.execute(table.update().where(table.c.subject == subject).values(salt=salt))
    else:
        salt = bytes(row[0])
    return salt


def _salts(conn, subjects: dict[str, datetime]) -> dict[str, bytes]:  # noqa: ANN001
    """:func:`_salt` of many subjects (each with the date a new salt gets): one read per 500, one
    insert of the new ones."""
    table = AuditSubject.__table__
    out: dict[str, bytes] = {}
    purged: list[str] = []
    names = sorted(subjects)
    for lo in range(0, len(names), 500):
        for subject, salt in conn.execute(select(table.c.subject, table.c.salt)
                                          .where(table.c.subject.in_(names[lo:lo + 500]))):
            if salt is None:
                purged.append(subject)
            else:
                out[subject] = bytes(salt)
    for subject in purged:  # purged before: new values of the subject get a new salt
        out[subject] = _salt(conn, subject, subjects[subject])
    new = [{"subject": x, "salt": secret_bytes(32), "created_at": subjects[x]} for x in names if x not in out]
    if new:
        conn.execute(table.insert(), new)
        out.update((r["subject"], r["salt"]) for r in new)
    return out


def _put(conn, rows: list[tuple[str, str, Any]]) -> None:  # noqa: ANN001
    table = AuditPersonal.__table__
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(table).on_conflict_do_nothing(index_elements=["digest"])
    conn.execute(stmt, [{"digest": d, "subject": s, "value": v} for d, s, v in rows])


# --- reading the chain back -----------------------------------------------------------------------
class Resolver:
    """The personal values of a database, to read entries back (the replay) and to check them."""

    def __init__(self, s: Session) -> None:
        self.values: dict[str, tuple[str, Any]] = {
            d: (subject, value) for d, subject, value in s.execute(
                select(AuditPersonal.digest, AuditPersonal.subject, AuditPersonal.value))}
        self.salts: dict[str, bytes | None] = {}
        self.purged: set[str] = set()
        for subject, salt, purged_at in s.execute(
                select(AuditSubject.subject, AuditSubject.salt, AuditSubject.purged_at)):
            self.salts[subject] = None if salt is None else bytes(salt)
            if purged_at is not None:
                self.purged.add(subject)

    def resolve(self, obj: Any) -> Any:
        """``obj`` with every marker replaced by its value, or :data:`TOMBSTONE` when purged."""
        if isinstance(obj, dict):
            if MARK in obj:
                found = self.values.get(obj[MARK])
                return TOMBSTONE if found is None else found[1]
            return {k: self.resolve(v) for k, v in obj.items()}
        if isinstance(obj, list):
            return [self.resolve(v) for v in obj]
        return obj

    def check(self, markers: Iterable[tuple[int, str, str]]) -> list[str]:
        """Problems with the markers ``(entry id, digest, subject)`` met in the chain: a value that
        no longer matches its commitment (changed behind the trail's back), or one that is missing
        although its subject was never purged (deleted behind the trail's back)."""
        problems: list[str] = []
        checked: dict[str, bool] = {}
        for entry, d, subject in markers:
            found = self.values.get(d)
            if found is None:
                if subject not in self.purged:
                    problems.append(str(msg("audit.personal_missing", "entry {entry} commits to a personal value that "
                                            "is missing, and no purge removed it", entry=entry)))
                continue
            ok = checked.get(d)
            if ok is None:
                owner, value = found
                salt = self.salts.get(owner)
                ok = checked[d] = owner == subject and salt is not None and hmac.compare_digest(digest(salt, value), d)
            if not ok:
                problems.append(str(msg("audit.personal_changed", "entry {entry} commits to a personal value that was "
                                        "changed since", entry=entry)))
        return problems


def seal_items(vault: Vault, items: list[dict[str, Any]], subjects: dict[str, str]) -> list[dict[str, Any]]:
    """Records of several subjects in one entry (a merge's ``changed``): each item's ``old`` and
    ``new`` sealed under the subject its ``application`` (external ID) names in ``subjects``."""
    out = []
    for item in items:
        subject = subjects.get(str(item.get("application") or ""))
        if subject is None:
            out.append(item)
            continue
        out.append({**item, "old": vault.keys(item.get("old"), subject), "new": vault.keys(item.get("new"), subject)})
    return out


def markers(obj: Any, out: list[tuple[str, str]]) -> None:
    """Every marker in ``obj``, as (digest, subject), appended to ``out``."""
    if isinstance(obj, dict):
        if MARK in obj:
            out.append((str(obj.get(MARK)), str(obj.get("subject") or "")))
            return
        for v in obj.values():
            markers(v, out)
    elif isinstance(obj, list):
        for v in obj:
            markers(v, out)


__all__ = ["MARK", "PERSONAL_KEYS", "TOMBSTONE", "Resolver", "Vault", "digest", "is_marker", "markers",
           "seal_items", "session_vault"]
