"""The full check of a database's audit trail, in one pass over the chain:

1. the chain — every entry in its place with its hash (:func:`evaluator.audit.chain.verify`);
2. the anchors — each signed by the database's key, over an entry the chain still holds with the
   same hash and place (:mod:`evaluator.audit.anchors`): a tail cut off or recomputed shows;
3. the records — every score, evaluation state, decision and override equals what the chain says
   last (:mod:`evaluator.audit.replay`): an edit made behind the trail's back shows.

``evaluator audit verify`` (``Store.verify_audit``) runs it; a laptop runs it before it signs a
result package and refuses a database that fails it (:func:`require_intact`).
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from . import anchors, chain
from .chain import AuditVerification
from .replay import Replay


def verify(s: Session, *, key: bytes | None = None) -> AuditVerification:
    """Chain, anchors and records; ``key`` is the database's public signing key when it was just
    unlocked (else the one the database pins for itself)."""
    replay = Replay(s)
    announced: dict[int, anchors.Announced] = {}
    place = [0, 0]  # entries seen, last id

    def visit(r: Row) -> None:
        place[0] += 1
        place[1] = r.id
        if r.action == anchors.ACTION and r.entity == "audit" and isinstance(r.new, dict) \
                and type(r.new.get("sequence")) is int:
            announced[r.new["sequence"]] = anchors.Announced(r.id, r.hash, place[0])
        replay.visit(r)

    v = chain.verify(s, visit)
    if not v.ok:
        return v
    problems, signed = anchors.check(s, announced, place[1], key=key)
    replayed, counts = replay.compare()
    problems += replayed
    return replace(v, ok=not problems, problem=problems[0] if problems else "", problems=tuple(problems),
                   anchors=len(signed), last_anchor=signed[-1] if signed else None, replayed=counts)


def require_intact(s: Session, *, key: bytes | None = None, what: str) -> AuditVerification:
    """:func:`verify`, raising :class:`~evaluator.audit.anchors.AuditBroken` — "The audit trail of
    this field database is broken (first problem); ``what``." — when anything fails."""
    from ..services.common import get_setting

    v = verify(s, key=key)
    if not v.ok:
        kind = "field" if get_setting(s, "role") == "field" else "office"
        also = "; 'evaluator audit verify' lists every problem" if len(v.problems) > 1 else ""
        raise anchors.AuditBroken(f"The audit trail of this {kind} database is broken ({v.problem}{also}); {what}.")
    return v
