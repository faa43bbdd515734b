"""The work on awards, given a session: creating them at a round's sign-off, amounts and dates,
statuses, a reserve stepping in, tranches, the settlement and the support log.

Every change is audited (entity ``award``) with its old and new values and the reason; refusals
are one sentence naming the application, raised before anything is written.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import audit
from ..db.models import Application, Award, Decision, Disbursement, Program, Round, SupportEntry, utcnow
from ..domain import RESERVE, SELECTED
from ..errors import NotFound, ValidationError
from ..messages import Message, msg
from ..services.common import application_by_id
from .model import (
    AWARD_STATUSES, CLOSED_STATUSES, NEXT_STATUSES, SETTLEMENTS, SUPPORT_KINDS, AwardInfo,
    DisbursementInfo, SupportInfo, status_label, status_text,
)


def _won(n: int | None) -> Message | str:
    return "—" if n is None else msg("awards.won", "{amount:,} won", amount=n)


def _reason(reason: str, what: Message) -> str:
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise ValidationError(msg("awards.reason_needed", "{what} needs its reason (--reason); it goes in the audit "
                                  "trail. Nothing changed.", what=what))
    return reason


def _values(a: Award) -> dict[str, Any]:
    return {"application": a.application.external_id, "amount": a.amount, "status": a.status,
            "agreed_on": a.agreed_on and a.agreed_on.isoformat(), "starts_on": a.starts_on and a.starts_on.isoformat(),
            "ends_on": a.ends_on and a.ends_on.isoformat(), "stepped_in_for": a.stepped_in_for,
            "settlement": a.settlement, "returned_amount": a.returned_amount}


# --- creating awards --------------------------------------------------------------------------------
def create_award(s: Session, app: Application, *, actor: str, device: str, reason: str, stepped_in_for: str = "",
                 agreed_on: date | None = None, amount: int | None = None) -> Award:
    """An award for ``app`` of ``amount`` (None: the requested amount), audited with ``reason``."""
    amount = int(app.requested_amount or 0) if amount is None else amount
    award = Award(application_id=app.id, application=app, amount=amount, status="agreed",
                  status_reason="", agreed_on=agreed_on, stepped_in_for=stepped_in_for, settlement="")
    s.add(award)
    s.flush()
    audit.append(s, actor=actor, device=device, action="award_create", entity="award", entity_uuid=award.uuid,
                 new=_values(award), reason=reason)
    return award


def create_for_sign_off(s: Session, program: Program, rnd: Round, selected: list[str], *, actor: str,
                        device: str, amounts: dict[str, int] | None = None) -> int:
    """An award for each application the signed-off round selected that has none yet; how many.
    ``amounts``: the computed support amount of those the program's ``[support]`` rule gives one
    (docs/rules.md); the others are awarded their requested amount."""
    have = set(s.execute(select(Application.external_id).join(Award, Award.application_id == Application.id)
                         .where(Application.round_id == rnd.id)).scalars())
    made = 0
    for ext in selected:
        if ext in have:
            continue
        app = application_by_id(s, ext, program)
        create_award(s, app, actor=actor, device=device,
                     reason=f"round {rnd.code} ({rnd.name_ko}) signed off: selected", amount=(amounts or {}).get(ext))
        made += 1
    return made


def award_for(s: Session, program: Program, application_id: str) -> Award:
    app = application_by_id(s, application_id, program)
    award = s.execute(select(Award).where(Award.application_id == app.id)).scalar_one_or_none()
    if award is None:
        raise NotFound(msg("awards.no_award", "Application {app} has no award (awards are made when its round is "
                           "signed off with it selected, or when it steps in for a selected group that withdrew).",
                           app=application_id))
    return award


# --- reading --------------------------------------------------------------------------------------
def award_infos(s: Session, program: Program, application_id: str | None = None) -> list[AwardInfo]:
    q = (select(Award).join(Application, Application.id == Award.application_id)
         .where(Application.program_id == program.id).order_by(Application.external_id))
    if application_id is not None:
        q = q.where(Application.external_id == application_id)
    awards = list(s.execute(q).scalars())
    support = dict(s.execute(select(SupportEntry.award_id, func.count(SupportEntry.id))
                             .group_by(SupportEntry.award_id)).all())
    return [award_info(a, support.get(a.id, 0)) for a in awards]


def award_info(a: Award, support_sessions: int = 0) -> AwardInfo:
    app = a.application
    paid = tuple(DisbursementInfo(d.tranche, d.paid_on, d.amount, d.note) for d in a.disbursements)
    disbursed = sum(d.amount for d in paid)
    return AwardInfo(
        application_id=app.external_id, uuid=a.uuid, track=app.track.code, round=app.round.code, title=app.title,
        group_name=app.group_name, requested_amount=app.requested_amount, amount=a.amount, status=a.status,
        status_reason=a.status_reason, agreed_on=a.agreed_on, starts_on=a.starts_on, ends_on=a.ends_on,
        stepped_in_for=a.stepped_in_for, disbursed=disbursed, balance=a.amount - disbursed, disbursements=paid,
        settlement=a.settlement, returned_amount=a.returned_amount, support_sessions=support_sessions)


# --- changing -------------------------------------------------------------------------------------
def set_terms(s: Session, award: Award, *, amount: int | None, agreed_on: date | None, starts_on: date | None,
              ends_on: date | None, reason: str, actor: str, device: str) -> None:
    """Adjust an award's amount and dates (each given value; None keeps it), audited with the reason."""
    ext = award.application.external_id
    reason = _reason(reason, msg("awards.what.change_terms", "Changing the award of application {app}", app=ext))
    if amount is not None:
        if amount < 0:
            raise ValidationError(msg("awards.negative", "The award of application {app} cannot be negative "
                                      "({amount:,} won). Nothing changed.", app=ext, amount=amount))
        paid = sum(d.amount for d in award.disbursements)
        if amount < paid:
            raise ValidationError(msg("awards.below_disbursed", "The award of application {app} cannot become "
                                      "{amount}: {paid} was already disbursed. Nothing changed.", app=ext,
                                      amount=_won(amount), paid=_won(paid)))
    start = starts_on if starts_on is not None else award.starts_on
    end = ends_on if ends_on is not None else award.ends_on
    if start is not None and end is not None and end < start:
        raise ValidationError(msg("awards.period_backwards", "The project period of application {app} ends ({end}) "
                                  "before it starts ({start}). Nothing changed.", app=ext, end=str(end),
                                  start=str(start)))
    old = _values(award)
    for name, value in (("amount", amount), ("agreed_on", agreed_on), ("starts_on", starts_on), ("ends_on", ends_on)):
        if value is not None:
            setattr(award, name, value)
    new = _values(award)
    if new == old:
        return
    award.updated_at = utcnow()
    audit.append(s, actor=actor, device=device, action="award_terms", entity="award", entity_uuid=award.uuid,
                 old=old, new=new, reason=reason)


def set_status(s: Session, award: Award, status: str, reason: str, *, actor: str, device: str) -> None:
    ext = award.application.external_id
    if status not in AWARD_STATUSES:
        raise ValidationError(msg("awards.unknown_status", "'{status}' is not an award status; use one of {allowed}.",
                                  status=status, allowed=", ".join(x.replace("_", " ") for x in AWARD_STATUSES)))
    reason = _reason(reason, msg("awards.what.change_status", "Changing the status of the award of application "
                                 "{app}", app=ext))
    if status == award.status:
        raise ValidationError(msg("awards.already", "The award of application {app} is already {status}; nothing "
                                  "changed.", app=ext, status=status_text(status)))
    if status not in NEXT_STATUSES[award.status]:
        allowed = NEXT_STATUSES[award.status]
        raise ValidationError(
            msg("awards.cannot_become", "The award of application {app} is {status} and cannot become {new} (it may "
                "become {allowed}). Nothing changed.", app=ext, status=status_text(award.status),
                new=status_text(status), allowed=", ".join(str(status_text(x)) for x in allowed)) if allowed else
            msg("awards.status_final", "The award of application {app} is {status} and cannot become {new} (that "
                "status is final). Nothing changed.", app=ext, status=status_text(award.status),
                new=status_text(status)))
    old = {"status": award.status, "reason": award.status_reason}
    award.status, award.status_reason, award.updated_at = status, reason, utcnow()
    audit.append(s, actor=actor, device=device, action="award_status", entity="award", entity_uuid=award.uuid,
                 old=old, new={"application": ext, "status": status}, reason=reason)


def step_in(s: Session, program: Program, withdrawn: Award, reserve_id: str | None, *, actor: str,
            device: str) -> Award:
    """The reserve ``reserve_id`` (None: the best-ranked reserve of the same round and track without an
    award) steps in for the withdrawn or cancelled award ``withdrawn``: the committee's decision on it
    becomes *selected* with a reason saying so (audited as an override), and it gets its award."""
    from ..ranking.rounds import signed_off_result

    gone = withdrawn.application
    if withdrawn.status not in CLOSED_STATUSES:
        raise ValidationError(msg("awards.step_in_not_closed", "A reserve steps in only for a withdrawn or cancelled "
                                  "award; the award of application {app} is {status}. Nothing changed.",
                                  app=gone.external_id, status=status_text(withdrawn.status)))
    taken = set(s.execute(select(Application.external_id).join(Award, Award.application_id == Application.id)
                          .where(Application.program_id == program.id)).scalars())
    result = signed_off_result(s, program, gone.round, [gone.track])
    if reserve_id is None:
        reserves = sorted((r for t in result.tracks for r in t.rows if r.decision == RESERVE
                           and r.application_id not in taken), key=lambda r: (r.rank is None, r.rank or 0))
        if not reserves:
            raise ValidationError(msg("awards.no_reserve", "Round {round} has no reserve left in track {track} to "
                                      "step in for application {app}. Nothing changed.", round=gone.round.code,
                                      track=gone.track.code, app=gone.external_id))
        reserve_id = reserves[0].application_id
    app = application_by_id(s, reserve_id, program)
    if app.external_id in taken:
        raise ValidationError(msg("awards.has_award", "Application {app} already has an award. Nothing changed.",
                                  app=app.external_id))
    if (app.round_id, app.track_id) != (gone.round_id, gone.track_id):
        raise ValidationError(msg("awards.other_round_or_track", "Application {app} is not in the same round and "
                                  "track as application {other} ({round}, {track}); it cannot step in for it. Nothing "
                                  "changed.", app=app.external_id, other=gone.external_id, round=gone.round.code,
                                  track=gone.track.code))
    why = (f"예비 승계: {gone.external_id} 포기({withdrawn.status_reason}) — reserve stepping in for "
           f"{gone.external_id}, {status_label(withdrawn.status, 'en')}: {withdrawn.status_reason}")
    row = s.execute(select(Decision).where(Decision.application_id == app.id)).scalar_one_or_none()
    if row is None:
        row = Decision(application_id=app.id, override_reason="", overridden_by="")
        s.add(row)
    old = {"override": row.override, "reason": row.override_reason or "", "computed": row.computed}
    row.override, row.override_reason, row.overridden_by, row.overridden_at = SELECTED, why, actor, utcnow()
    audit.append(s, actor=actor, device=device, action="override", entity="application", entity_uuid=app.uuid,
                 old=old, new={"application": app.external_id, "override": SELECTED, "computed": row.computed,
                               "after_sign_off": app.round.code, "stepped_in_for": gone.external_id}, reason=why)
    frozen_row = next((r for t in result.tracks for r in t.rows if r.application_id == app.external_id), None)
    amount = frozen_row.support.awarded if frozen_row is not None and frozen_row.support is not None else None
    return create_award(s, app, actor=actor, device=device, reason=why, stepped_in_for=gone.external_id,
                        amount=amount)


def disburse(s: Session, award: Award, amount: int, paid_on: date, note: str, *, actor: str,
             device: str) -> Disbursement:
    """Pay the next tranche; refused (nothing written) if it would take the total above the award."""
    ext = award.application.external_id
    if award.status in CLOSED_STATUSES:
        raise ValidationError(msg("awards.closed_no_tranche", "The award of application {app} is {status}: no "
                                  "tranche is paid on it. Nothing was recorded.", app=ext,
                                  status=status_text(award.status)))
    if not isinstance(amount, int) or amount <= 0:
        raise ValidationError(msg("awards.tranche_not_positive", "A tranche for application {app} must be a positive "
                                  "amount in won (got {amount}). Nothing was recorded.", app=ext,
                                  amount=repr(amount)))
    paid = sum(d.amount for d in award.disbursements)
    tranche = max((d.tranche for d in award.disbursements), default=0) + 1
    if paid + amount > award.amount:
        raise ValidationError(msg(
            "awards.tranche_exceeds", "Tranche {tranche} of {amount} for application {app} would exceed its award: "
            "{awarded} awarded, {paid} disbursed, balance {balance}. Nothing was recorded.", tranche=tranche,
            amount=_won(amount), app=ext, awarded=_won(award.amount), paid=_won(paid),
            balance=_won(award.amount - paid)))
    if award.agreed_on is not None and paid_on < award.agreed_on:
        raise ValidationError(msg("awards.tranche_before_agreement", "Tranche {tranche} for application {app} is "
                                  "dated {paid_on}, before the agreement ({agreed_on}). Nothing was recorded.",
                                  tranche=tranche, app=ext, paid_on=str(paid_on), agreed_on=str(award.agreed_on)))
    d = Disbursement(award_id=award.id, tranche=tranche, paid_on=paid_on, amount=amount, note=note.strip())
    award.disbursements.append(d)
    s.flush()
    audit.append(s, actor=actor, device=device, action="disbursement", entity="award", entity_uuid=award.uuid,
                 new={"application": ext, "tranche": tranche, "paid_on": paid_on.isoformat(), "amount": amount,
                      "disbursed": paid + amount, "balance": award.amount - paid - amount}, reason=note.strip())
    return d


def settle(s: Session, award: Award, settlement: str, returned_amount: int | None, note: str, *, actor: str,
           device: str) -> None:
    ext = award.application.external_id
    if settlement not in SETTLEMENTS:
        raise ValidationError(msg("awards.unknown_settlement", "'{settlement}' is not a settlement status; use one "
                                  "of {allowed}.", settlement=settlement, allowed=", ".join(SETTLEMENTS)))
    paid = sum(d.amount for d in award.disbursements)
    if returned_amount is not None and not 0 <= returned_amount <= paid:
        raise ValidationError(msg("awards.returned_out_of_range", "The amount returned by application {app} "
                                  "({returned}) must be between 0 and what was disbursed ({paid}). Nothing changed.",
                                  app=ext, returned=_won(returned_amount), paid=_won(paid)))
    old = {"settlement": award.settlement, "returned_amount": award.returned_amount}
    award.settlement, award.returned_amount, award.updated_at = settlement, returned_amount, utcnow()
    audit.append(s, actor=actor, device=device, action="award_settlement", entity="award", entity_uuid=award.uuid,
                 old=old, new={"application": ext, "settlement": settlement, "returned_amount": returned_amount},
                 reason=note.strip())


def add_support(s: Session, award: Award, *, held_on: date, kind: str, topic: str, given_by: str,
                attendees: int | None, note: str, actor: str, device: str) -> SupportInfo:
    ext = award.application.external_id
    if kind not in SUPPORT_KINDS:
        raise ValidationError(msg("awards.unknown_support_kind", "'{kind}' is not a kind of support session; use one "
                                  "of {allowed}.", kind=kind, allowed=", ".join(SUPPORT_KINDS)))
    topic = " ".join(str(topic or "").split())
    if not topic:
        raise ValidationError(msg("awards.support_topic", "A support session for application {app} needs its topic "
                                  "(--topic). Nothing was recorded.", app=ext))
    if attendees is not None and attendees < 0:
        raise ValidationError(msg("awards.support_attendees", "The attendees of a support session for application "
                                  "{app} cannot be negative.", app=ext))
    e = SupportEntry(award_id=award.id, held_on=held_on, kind=kind, topic=topic[:300], given_by=given_by.strip(),
                     attendees=attendees, note=note.strip())
    s.add(e)
    s.flush()
    audit.append(s, actor=actor, device=device, action="support", entity="award", entity_uuid=award.uuid,
                 new={"application": ext, "held_on": held_on.isoformat(), "kind": kind, "topic": e.topic,
                      "given_by": e.given_by, "attendees": attendees})
    return support_info(ext, e)


def support_info(ext: str, e: SupportEntry) -> SupportInfo:
    return SupportInfo(ext, e.held_on, e.kind, e.topic, e.given_by, e.attendees, e.note)


def support_log(s: Session, program: Program, application_id: str | None = None) -> list[SupportInfo]:
    q = (select(Application.external_id, SupportEntry).join(Award, Award.id == SupportEntry.award_id)
         .join(Application, Application.id == Award.application_id).where(Application.program_id == program.id)
         .order_by(SupportEntry.held_on, SupportEntry.id))
    if application_id is not None:
        q = q.where(Application.external_id == application_id)
    return [support_info(ext, e) for ext, e in s.execute(q).all()]


__all__ = ["add_support", "award_for", "award_info", "award_infos", "create_award", "create_for_sign_off",
           "disburse", "set_status", "set_terms", "settle", "step_in", "support_log"]
