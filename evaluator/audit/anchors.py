"""Anchors: the audit chain's head signed with the database's own key.

Whoever can edit the database file can also rewrite the chain after an entry and recompute every
hash, or cut entries off its end — the chain alone cannot show that.  So at each moment a record
leaves the database (a result package, a field kit), at each merge and when a round is signed off,
the head is signed with a key the database editor does not have: the evaluator's key on a laptop
(package export), the office's key at the office (merge, kit export, sign-off).  An anchor:

1. is announced in the chain by an ``anchor`` entry (its sequence number, the event, the key), and
2. signs exactly that entry's hash, with the number of entries up to it — so the anchor row
   (``audit_anchor``) cannot be removed without its entry missing it, and the chain up to it cannot
   be cut short or rewritten without the signed hash no longer being there.

:func:`check` verifies every anchor against the database's pinned public key (or the key
unlocked for an export) and the chain; :func:`seal` makes one, after checking that the chain still
leads from the last anchor to the head (a laptop runs the whole check first:
:func:`evaluator.audit.check.require_intact`).  The last anchor also travels in the outputs that
leave the database: the result package's manifest (``audit_anchor``), PDF footers and the
``_meta`` sheet of Excel workbooks (:func:`last_anchor`, :meth:`AnchorInfo.line`).

Entries after the last anchor are only as trustworthy as the database: they are anchored by the
next export, merge or sign-off.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..db.models import AuditAnchor, AuditEvent, utcnow
from ..errors import EvaluatorError
from ..messages import msg
from . import chain

#: what an anchor's signature covers starts with this (no other signature of the app can pass for one)
CONTEXT = b"maeul-evaluator audit anchor v1\n"
EVENTS = ("package_export", "kit_export", "merge", "sign_off")
#: the chain entry that announces an anchor
ACTION = "anchor"


class AuditBroken(EvaluatorError):
    """The audit trail fails its check: nothing is signed (and no package is made)."""

    exit_code = 5  # as `evaluator audit verify` on a broken trail


@dataclass(frozen=True)
class Announced:
    """An ``anchor`` entry met while the chain was verified: its id, hash and place (1 = first)."""

    entry_id: int
    head: str
    position: int


@dataclass(frozen=True)
class AnchorInfo:
    sequence: int
    event: str
    at: datetime
    entry_id: int
    head: str
    entries: int
    key_fingerprint: str
    detail: dict[str, Any] = field(default_factory=dict)
    signature: bytes = field(default=b"", repr=False)
    public_key: bytes = field(default=b"", repr=False)

    @property
    def short_head(self) -> str:
        return self.head[:12]

    def line(self) -> str:
        """One line for a footer or a sheet: short hash, key fingerprint, time (UTC)."""
        return f"audit {self.short_head} · key {self.key_fingerprint} · {self.at:%Y-%m-%d %H:%M} UTC"

    def as_document(self) -> dict[str, Any]:
        """The anchor as a JSON document (in a package's manifest): everything needed to check it."""
        from ..packages.keys import b64

        return {"sequence": self.sequence, "event": self.event, "at": self.at.isoformat(timespec="microseconds"),
                "entry_id": self.entry_id, "head": self.head, "entries": self.entries,
                "key_fingerprint": self.key_fingerprint, "detail": self.detail,
                "public_key": b64(self.public_key), "signature": b64(self.signature)}


def message(database: str, sequence: int, event: str, at: datetime, entry_id: int, head: str, entries: int,
            fingerprint: str, detail: dict[str, Any]) -> bytes:
    """The bytes an anchor's signature covers (canonical JSON after :data:`CONTEXT`)."""
    doc = {"database": database, "sequence": sequence, "event": event, "at": at.isoformat(timespec="microseconds"),
           "entry_id": entry_id, "head": head, "entries": entries, "key": fingerprint, "detail": detail}
    return CONTEXT + json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _database_id(s: Session) -> str:
    from ..services.common import get_setting

    return str(get_setting(s, "device_id") or "")


def database_key(s: Session) -> tuple[bytes, str] | None:
    """The public signing key this database pins for itself — the office's, or on a field database
    its evaluator's — and its fingerprint; None before it has one."""
    from ..packages.keys import KeyProblem, key_fingerprint, unb64
    from ..packages.kit import OFFICE_KEYS
    from ..packages.keys import EVALUATOR_KEY
    from ..services.common import get_setting

    doc = get_setting(s, OFFICE_KEYS if get_setting(s, "role", "office") == "office" else EVALUATOR_KEY)
    if not isinstance(doc, dict) or not doc.get("signing_public"):
        return None
    try:
        pk = unb64(doc["signing_public"], msg("audit.pinned_signing_key", "The pinned signing key"), 32)
    except KeyProblem:
        return None
    ep = doc.get("encryption_public")
    try:
        return pk, key_fingerprint(pk, unb64(ep, msg("audit.pinned_encryption_key", "The pinned encryption key"), 32)
                                   if ep else None)
    except KeyProblem:
        return None


def _info(a: AuditAnchor) -> AnchorInfo:
    return AnchorInfo(sequence=a.sequence, event=a.event, at=a.at, entry_id=a.entry_id, head=a.head,
                      entries=a.entries, key_fingerprint=a.key_fingerprint, detail=dict(a.detail or {}),
                      signature=bytes(a.signature), public_key=bytes(a.public_key))


def last_anchor(s: Session) -> AnchorInfo | None:
    """The newest anchor (for footers and workbooks), or None."""
    a = s.execute(select(AuditAnchor).order_by(AuditAnchor.sequence.desc()).limit(1)).scalar_one_or_none()
    return None if a is None else _info(a)


def seal(s: Session, identity: Any, event: str, *, actor: str, device: str,
         detail: dict[str, Any] | None = None) -> AnchorInfo:
    """Sign the chain's head with ``identity`` (an unlocked :class:`evaluator.packages.keys.Identity`)
    inside the caller's write transaction: appends the ``anchor`` entry, signs its hash, stores the
    anchor.  Refuses (:class:`AuditBroken`) when the chain no longer leads from the last anchor to
    the head (the whole chain when there is none yet), or the last anchor no longer matches its
    signature.  (The last anchor may be signed by a key the office replaced since.)"""
    assert event in EVENTS, event
    detail = dict(detail or {})
    chain.lock(s)  # (PostgreSQL) writers that sign at once queue here: each anchor follows the one before
    s.flush()
    prior = s.execute(select(AuditAnchor).order_by(AuditAnchor.sequence.desc()).limit(1)).scalar_one_or_none()
    public = identity.info.signing_public
    database = _database_id(s)
    if prior is None:
        problem = chain.verify(s).problem
    elif not _signed(prior, bytes(prior.public_key), database):
        problem = str(msg("audit.anchor_signature", "anchor {sequence} does not match its signature",
                          sequence=prior.sequence))
    else:  # (signed by an earlier key of this database when the key was replaced since)
        # up to this transaction's own entries: those were chained here, under the lock, onto the
        # last entry checked (a merge's entries are as big as its packages: checking them again
        # would cost as much as writing them)
        problem = chain.verify_since(s, prior.entry_id, prior.head, until=chain.appended_after(s))
    if problem:
        raise AuditBroken(msg("audit.broken_nothing_signed", "The audit trail of this database is broken ({problem}); "
                              "nothing was signed. Run 'evaluator audit verify' and tell whoever looks after the "
                              "data.", problem=problem))
    sequence = (prior.sequence if prior else 0) + 1
    at = utcnow()
    ev = chain.append(s, actor=actor, device=device, action=ACTION, entity="audit", at=at,
                      new={"sequence": sequence, "event": event, "key": identity.fingerprint, **detail})
    s.flush()
    entries = int(s.execute(select(func.count(AuditEvent.id))).scalar() or 0)
    signature = identity.sign(message(database, sequence, event, at, ev.id, ev.hash, entries, identity.fingerprint,
                                      detail))
    row = AuditAnchor(sequence=sequence, event=event, at=at, actor=actor, entry_id=ev.id, head=ev.hash,
                      entries=entries, public_key=public, key_fingerprint=identity.fingerprint, signature=signature,
                      detail=detail)
    s.add(row)
    s.flush()
    return _info(row)


def _signed(a: AuditAnchor, public: bytes, database: str) -> bool:
    from ..packages.keys import verify_signature

    return verify_signature(public, bytes(a.signature), message(database, a.sequence, a.event, a.at, a.entry_id,
                                                                 a.head, a.entries, a.key_fingerprint,
                                                                 dict(a.detail or {})))


def check(s: Session, announced: dict[int, Announced], last_entry: int, *,
          key: bytes | None = None) -> tuple[list[str], list[AnchorInfo]]:
    """Every anchor against the chain verified just before: ``announced`` holds each ``anchor``
    entry by the sequence number it announces; ``last_entry`` is the chain's last id (0 when
    empty).  Returns (problems, anchors).

    Each anchor must match its signature, and the last one must be signed by ``key`` (the key
    unlocked for an export) or else the key the database pins for itself: the last anchor signs a
    hash that commits to every entry before it, so it alone needs the key the editor lacks (earlier
    anchors may be signed by a key the office replaced since)."""
    problems: list[str] = []
    rows = s.execute(select(AuditAnchor).order_by(AuditAnchor.sequence)).scalars().all()
    if not rows and not announced:
        return problems, []
    pinned = database_key(s)
    trusted = key if key is not None else (pinned[0] if pinned else None)
    database = _database_id(s)
    seen = set()
    for n, a in enumerate(rows, 1):
        seen.add(a.sequence)
        what = msg("audit.anchor_named", "anchor {sequence} ({event}, {at} UTC)", sequence=a.sequence,
                   event=a.event.replace("_", " "), at=a.at.strftime("%Y-%m-%d %H:%M"))
        if a.sequence != n:
            problems.append(str(msg("audit.anchor_missing", "anchor {sequence} is missing (the anchors go on with "
                                    "{next})", sequence=n, next=a.sequence)))
        if not _signed(a, bytes(a.public_key), database):
            problems.append(str(msg("audit.anchor_altered", "{what} does not match its signature: the anchor was "
                                    "altered", what=what)))
            continue
        if n == len(rows):
            if trusted is None:
                problems.append(str(msg("audit.anchor_no_key", "{what} cannot be checked: this database has no key of "
                                        "its own", what=what)))
            elif bytes(a.public_key) != trusted:
                from ..packages.keys import key_fingerprint

                problems.append(str(msg("audit.anchor_forged", "{what} is signed by key {fingerprint}, not by this "
                                        "database's key {own}: the anchor was forged", what=what,
                                        fingerprint=a.key_fingerprint,
                                        own=pinned[1] if key is None and pinned else key_fingerprint(trusted))))
        entry = announced.get(a.sequence)
        if entry is not None and (entry.entry_id, entry.head) == (a.entry_id, a.head):
            if a.entries != entry.position:
                problems.append(str(msg("audit.anchor_count", "{what} signed {entries} {entries:entry|entries} up to "
                                        "entry {entry}; the trail now holds {position} there: entries were removed or "
                                        "inserted",
                                        what=what, entries=a.entries, entry=a.entry_id, position=entry.position)))
            continue
        if a.entry_id > last_entry:
            problems.append(str(msg("audit.anchor_cut", "{what} signed entry {entry} (hash {head}), but the audit "
                                    "trail now ends at entry {last}: entries were cut off its end", what=what,
                                    entry=a.entry_id, head=a.head[:12], last=last_entry)))
        else:
            problems.append(str(msg("audit.anchor_rewritten", "{what} signed entry {entry} with hash {head}, which "
                                    "the audit trail no longer holds: the trail was rewritten up to there",
                                    what=what, entry=a.entry_id, head=a.head[:12])))
    for sequence, entry in sorted(announced.items()):
        if sequence not in seen:
            problems.append(str(msg("audit.anchor_announced_missing", "the audit trail announces anchor {sequence} at "
                                    "entry {entry}, but the anchor is missing from the database", sequence=sequence,
                                    entry=entry.entry_id)))
    return problems, [_info(a) for a in rows]


# --- the events that anchor (one-line hooks in the façade) ----------------------------------------
