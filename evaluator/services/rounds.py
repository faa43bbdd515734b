"""Rounds (차수): each round's quota and budget per track, with what signed-off rounds awarded
carried over; where an application belongs; opening and closing a round's intake.

Budgets (``docs/programs.md``): a track's budget is the whole program's; a round may set its own
budget per track.  What a signed-off round awarded (the awards of its selected applications,
committee overrides included; a withdrawn or cancelled award for what was paid out of it) is drawn
from the track's budget before a later round is ranked, and what it left of its own round budget carries over to the next round that has one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from ..awards.model import CLOSED_STATUSES
from ..db.models import Application, Award, Decision, Disbursement, Program, Round, RoundTrack
from ..domain import CLOSED, OPEN, SELECTED, SIGNED_OFF, RoundInfo, RoundTrackInfo
from ..errors import ValidationError
from ..messages import msg


@dataclass(frozen=True)
class RoundTerms:
    """One track in one round: what the ranking of that round works with."""

    quota: int
    budget: int | None  # the round's own budget for the track, else the track's
    available: int | None  # what the round may award (None: no cap)
    awarded: int | None  # what it awarded, once signed off


def _awarded(s: Session, program: Program) -> dict[tuple[int, int], int]:
    """(round id, track id) -> what each signed-off round awarded: the award of each selected
    application (made at sign-off: the computed support amount or the requested one, then as the
    office adjusted it), its requested amount where it has no award (a round signed off before
    awards existed); the committee's override decides what is selected.  A withdrawn or cancelled
    award counts what was disbursed of it less what was returned."""
    signed = [r.id for r in program.rounds if r.status == SIGNED_OFF]
    if not signed:
        return {}
    final = func.coalesce(Decision.override, Decision.computed)
    # a withdrawn or cancelled award draws only what was paid out of it and not returned (its place
    # and the rest of its money go to the reserve stepping in, whose award draws as any other)
    paid = (select(func.coalesce(func.sum(Disbursement.amount), 0)).where(Disbursement.award_id == Award.id)
            .correlate(Award).scalar_subquery())
    amount = case((Award.status.in_(CLOSED_STATUSES), paid - func.coalesce(Award.returned_amount, 0)),
                  else_=func.coalesce(Award.amount, Application.requested_amount))
    rows = s.execute(
        select(Application.round_id, Application.track_id, func.coalesce(func.sum(amount), 0))
        .join(Decision, Decision.application_id == Application.id)
        .outerjoin(Award, Award.application_id == Application.id)
        .where(Application.round_id.in_(signed), final == SELECTED)
        .group_by(Application.round_id, Application.track_id)
    ).all()
    return {(rid, tid): int(n) for rid, tid, n in rows}


def _own(s: Session, program: Program) -> dict[tuple[int, int], RoundTrack]:
    ids = [r.id for r in program.rounds]
    if not ids:
        return {}
    return {(rt.round_id, rt.track_id): rt
            for rt in s.execute(select(RoundTrack).where(RoundTrack.round_id.in_(ids))).scalars()}


def terms(s: Session, program: Program, rnd: Round) -> dict[int, RoundTerms]:
    """Track id -> the quota and budget round ``rnd`` works with."""
    return _all_terms(s, program)[rnd.id]


def _all_terms(s: Session, program: Program) -> dict[int, dict[int, RoundTerms]]:
    awarded, own = _awarded(s, program), _own(s, program)
    out: dict[int, dict[int, RoundTerms]] = {}
    rounds = list(program.rounds)
    for r in rounds:
        earlier = [x for x in rounds if x.position < r.position and x.status == SIGNED_OFF]
        per_track: dict[int, RoundTerms] = {}
        for t in program.tracks:
            mine = own.get((r.id, t.id))
            quota = mine.quota if mine is not None and mine.quota is not None else t.quota
            explicit = mine.budget if mine is not None else None
            spent = sum(awarded.get((x.id, t.id), 0) for x in earlier)
            remaining = None if t.budget is None else t.budget - spent
            caps = [] if remaining is None else [remaining]
            if explicit is not None:
                carry = sum(own[(x.id, t.id)].budget - awarded.get((x.id, t.id), 0) for x in earlier
                            if (x.id, t.id) in own and own[(x.id, t.id)].budget is not None)
                caps.append(explicit + carry)
            available = max(0, min(caps)) if caps else None
            per_track[t.id] = RoundTerms(
                quota=quota, budget=explicit if explicit is not None else t.budget, available=available,
                awarded=awarded.get((r.id, t.id), 0) if r.status == SIGNED_OFF else None)
        out[r.id] = per_track
    return out


def current_round_id(program: Program, s: Session | None = None) -> int | None:
    """The round commands work on when none is named: the first round not signed off that holds
    applications; else the first not signed off after the last signed-off one; else the first not
    signed off; else (every round signed off) the last one."""
    rounds = list(program.rounds)
    if not rounds:
        return None
    open_rounds = [r for r in rounds if r.status != SIGNED_OFF]
    if not open_rounds:
        return rounds[-1].id
    if s is not None and len(open_rounds) > 1:
        for r in open_rounds:  # (one index probe per round)
            if s.execute(select(Application.id).where(Application.round_id == r.id).limit(1)).first() is not None:
                return r.id
    last_signed = max((r.position for r in rounds if r.status == SIGNED_OFF), default=-1)
    return next((r for r in open_rounds if r.position > last_signed), open_rounds[0]).id


def round_infos(s: Session, program: Program) -> tuple[RoundInfo, ...]:
    counts: dict[tuple[int, int], int] = {
        (rid, tid): n for rid, tid, n in s.execute(
            select(Application.round_id, Application.track_id, func.count())
            .where(Application.program_id == program.id).group_by(Application.round_id, Application.track_id))
    }
    all_terms = _all_terms(s, program)
    current = current_round_id(program, s)
    out = []
    for r in program.rounds:
        tracks = tuple(
            RoundTrackInfo(track=t.code, quota=all_terms[r.id][t.id].quota, budget=all_terms[r.id][t.id].budget,
                           available=all_terms[r.id][t.id].available, awarded=all_terms[r.id][t.id].awarded,
                           applications=counts.get((r.id, t.id), 0))
            for t in program.tracks)
        out.append(RoundInfo(
            code=r.code, uuid=r.uuid, name_ko=r.name_ko, name_en=r.name_en, opens_on=r.opens_on,
            closes_on=r.closes_on, status=r.status, applications=sum(t.applications for t in tracks), tracks=tracks,
            signed_off_at=r.signed_off_at, signed_off_by=r.signed_off_by or "", sign_off_note=r.sign_off_note or "",
            current=r.id == current))
    return tuple(out)


def round_info(s: Session, program: Program, rnd: Round) -> RoundInfo:
    return next(r for r in round_infos(s, program) if r.uuid == rnd.uuid)


def set_status(rnd: Round, status: str) -> str | None:
    """Open or close ``rnd``'s intake; returns the old status (None: nothing to change)."""
    if status not in (OPEN, CLOSED):  # pragma: no cover - callers pass these two
        raise ValueError(status)
    if rnd.status == SIGNED_OFF:
        raise ValidationError(
            msg("services.signed_off_cannot_open", "Round {round} ({name}) was signed off on {date:%Y-%m-%d} by "
                "{by}; it cannot be opened again.", round=rnd.code, name=rnd.name_ko, date=rnd.signed_off_at,
                by=rnd.signed_off_by) if status == OPEN else
            msg("services.signed_off_cannot_close", "Round {round} ({name}) was signed off on {date:%Y-%m-%d} by "
                "{by}; it cannot be closed again.", round=rnd.code, name=rnd.name_ko, date=rnd.signed_off_at,
                by=rnd.signed_off_by))
    if rnd.status == status:
        return None
    old, rnd.status = rnd.status, status
    return old


# --- where an application belongs -----------------------------------------------------------------
def round_for_date(program: Program, day: date) -> Round | None:
    """The round whose intake window holds ``day`` (windows never overlap)."""
    for r in program.rounds:
        if (r.opens_on is not None or r.closes_on is not None) and \
                (r.opens_on is None or r.opens_on <= day) and (r.closes_on is None or day <= r.closes_on):
            return r
    return None


def windows_text(program: Program) -> str:
    return ", ".join(f"{r.code} {r.opens_on or '…'} – {r.closes_on or '…'}" for r in program.rounds)


def default_intake_round(program: Program) -> Round | None:
    """Where a fixed program puts an application that names no round: its only round, else its only
    open round (None when that is ambiguous)."""
    rounds = list(program.rounds)
    if len(rounds) == 1:
        return rounds[0]
    open_rounds = [r for r in rounds if r.status == OPEN]
    return open_rounds[0] if len(open_rounds) == 1 else None
