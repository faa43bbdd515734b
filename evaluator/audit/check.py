"""The full check of a database's audit trail, in one pass over the chain:

1. the chain — every entry in its place with its hash (:func:`evaluator.audit.chain.verify`);
2. the anchors — each signed by the database's key, over an entry the chain still holds with the
   same hash and place (:mod:`evaluator.audit.anchors`): a tail cut off or recomputed shows;
3. the records — every score, evaluation state, decision and override equals what the chain says
   last (:mod:`evaluator.audit.replay`): an edit made behind the trail's back shows;
4. the personal values the entries commit to — each still matches its commitment, or was
   destroyed by a purge (:mod:`evaluator.audit.personal`);
5. the access log — its own hash chain (:mod:`evaluator.privacy.access`).

``evaluator audit verify`` (``Store.verify_audit``) runs it; a laptop runs it before it signs a
result package and refuses a database that fails it (:func:`require_intact`).
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from ..messages import Message, msg
from . import anchors, chain
from .chain import AuditVerification
from .personal import Resolver, markers
from .replay import Replay


def verify(s: Session, *, key: bytes | None = None) -> AuditVerification:
    """Chain, anchors and records; ``key`` is the database's public signing key when it was just
    unlocked (else the one the database pins for itself)."""
    resolver = Resolver(s)
    replay = Replay(s)
    announced: dict[int, anchors.Announced] = {}
    place = [0, 0]  # entries seen, last id
    sealed: list[tuple[int, str, str]] = []  # (entry, digest, subject) of every personal value committed to
    marked = [0]  # the entry just seen by ``personal``

    def personal(r: Row) -> None:
        found: list[tuple[str, str]] = []
        markers(r.old, found)
        markers(r.new, found)
        sealed.extend((r.id, d, subject) for d, subject in found)
        marked[0] = r.id

    def visit(r: Row) -> None:
        place[0] += 1
        place[1] = r.id
        if r.action == anchors.ACTION and r.entity == "audit" and isinstance(r.new, dict) \
                and type(r.new.get("sequence")) is int:
            announced[r.new["sequence"]] = anchors.Announced(r.id, r.hash, place[0])
        replay.visit(r, resolver.resolve(r.new) if marked[0] == r.id else r.new)

    v = chain.verify(s, visit, personal)
    if not v.ok:
        return v
    problems, signed = anchors.check(s, announced, place[1], key=key)
    problems += resolver.check(sealed)
    replayed, counts = replay.compare()
    problems += replayed
    problems += _access_log(s)
    return replace(v, ok=not problems, problem=problems[0] if problems else "", problems=tuple(problems),
                   anchors=len(signed), last_anchor=signed[-1] if signed else None, replayed=counts)


def _access_log(s: Session) -> list[str]:
    from ..privacy import access

    problem = access.verify(s).problem
    return [str(msg("audit.access_log", "the access log: {problem}", problem=problem))] if problem else []


def require_intact(s: Session, *, key: bytes | None = None, what: Message) -> AuditVerification:
    """:func:`verify`, raising :class:`~evaluator.audit.anchors.AuditBroken` — "The audit trail of
    this field database is broken (first problem); ``what``." — when anything fails."""
    from ..services.common import get_setting

    v = verify(s, key=key)
    if not v.ok:
        field = get_setting(s, "role") == "field"
        if len(v.problems) > 1:
            sentence = (msg("audit.field_broken_more", "The audit trail of this field database is broken ({problem}; "
                            "'evaluator audit verify' lists every problem); {what}.", problem=v.problem, what=what)
                        if field else
                        msg("audit.office_broken_more", "The audit trail of this office database is broken ({problem}; "
                            "'evaluator audit verify' lists every problem); {what}.", problem=v.problem, what=what))
        else:
            sentence = (msg("audit.field_broken", "The audit trail of this field database is broken ({problem}); "
                            "{what}.", problem=v.problem, what=what) if field else
                        msg("audit.office_broken", "The audit trail of this office database is broken ({problem}); "
                            "{what}.", problem=v.problem, what=what))
        raise anchors.AuditBroken(sentence)
    return v
