"""Evaluators, assignments and declared conflicts of interest."""

from __future__ import annotations

import unicodedata
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import audit
from ..db.models import Application, Assignment, Evaluation, Evaluator, Program
from ..db.models import SiteVisit as SiteVisitModel
from ..domain import CONFLICT_TYPES, FINALISED, AssignmentInfo, EvaluatorInfo
from ..errors import ConflictOfInterest, NotFound, ValidationError
from .common import assignment_for
from ..messages import Message, msg


def clean_code(code: str, what: Message) -> str:
    """An identifier someone typed: no spaces, at most 40 characters (``what`` names it, e.g.
    ``msg("services.evaluator_code", "evaluator code")``)."""
    text = unicodedata.normalize("NFKC", str(code or "")).strip()
    if not text or any(ch.isspace() for ch in text) or len(text) > 40 or not text.isprintable():
        raise ValidationError(msg("services.unusable_code", "{value} is not a usable {what}: give letters and digits "
                                  "without spaces (at most 40).", value=repr(text), what=what))
    return text


def put_evaluator(s: Session, *, code: str, name: str, organisation: str = "", role: str = "",
                  email: str = "", uuid: str | None = None, district: str | None = None,
                  phone: str | None = None) -> Evaluator:
    """Add the evaluator ``code`` or update them (``district`` and ``phone`` None: left as they are)."""
    ev = s.execute(select(Evaluator).where(Evaluator.code == code)).scalar_one_or_none()
    if ev is None:
        ev = Evaluator(code=code, name=name)
        if uuid:
            ev.uuid = uuid
        s.add(ev)
    ev.name, ev.organisation, ev.role, ev.email = name, organisation, role, email
    if district is not None:
        ev.district = district
    if phone is not None:
        ev.phone = phone
    s.flush()
    return ev


def evaluator_infos(s: Session, program: Program | None = None) -> list[EvaluatorInfo]:
    """Every evaluator, with their load (assignments and finalised evaluations) in ``program``."""
    def counted(q):  # noqa: ANN001, ANN202
        if program is not None:
            q = q.join(Application, Application.id == Assignment.application_id).where(
                Application.program_id == program.id)
        return dict(s.execute(q.group_by(Assignment.evaluator_id)).all())

    assigned = counted(select(Assignment.evaluator_id, func.count()).where(Assignment.conflict_type.is_(None)))
    finalised = counted(select(Assignment.evaluator_id, func.count())
                        .join(Evaluation, Evaluation.assignment_id == Assignment.id)
                        .where(Evaluation.state == FINALISED, Assignment.conflict_type.is_(None)))
    return [
        EvaluatorInfo(
            code=e.code, uuid=e.uuid, name=e.name, organisation=e.organisation, role=e.role, email=e.email,
            key_fingerprint=e.key_fingerprint, assigned=assigned.get(e.id, 0), finalised=finalised.get(e.id, 0),
            district=e.district or "", phone=e.phone or "",
        )
        for e in s.execute(select(Evaluator).order_by(Evaluator.code)).scalars()
    ]


def work_of(s: Session, ev: Evaluator) -> str | None:
    """What work ``ev`` holds (a sentence), or None: assignments, evaluations, visits, photos, packages."""
    from ..db.models import Attachment, PackageReceipt, Program, SiteVisit

    held = []
    rows = s.execute(
        select(Program.code, func.count(Assignment.id), func.count(Evaluation.id))
        .select_from(Assignment)
        .join(Application, Application.id == Assignment.application_id)
        .join(Program, Program.id == Application.program_id)
        .outerjoin(Evaluation, Evaluation.assignment_id == Assignment.id)
        .where(Assignment.evaluator_id == ev.id, Assignment.conflict_type.is_(None))
        .group_by(Program.code).order_by(Program.code)).all()
    for code, n, evaluated in rows:
        work = (msg("services.held_assignment", "{count} assignment in program '{program}'", count=n, program=code)
                if n == 1 else
                msg("services.held_assignments", "{count} {count:assignment|assignments} in program '{program}'",
                    count=n, program=code))
        if evaluated:
            started = (msg("services.held_evaluation_started", "{count} evaluation started", count=evaluated)
                       if evaluated == 1 else
                       msg("services.held_evaluations_started", "{count} {count:evaluation|evaluations} started",
                           count=evaluated))
            work = msg("services.held_work_started", "{work} ({started})", work=work, started=started)
        held.append(work)
    counted = ((SiteVisit, lambda n: msg("services.held_visit_logs", "{count} visit {count:log|logs}", count=n)),
               (Attachment, lambda n: msg("services.held_photos", "{count} {count:photo|photos}", count=n)),
               (PackageReceipt, lambda n: msg("services.held_packages", "{count} merged result {count:package|packages}",
                                              count=n)))
    for model, said in counted:
        n = int(s.execute(select(func.count()).select_from(model).where(model.evaluator_id == ev.id)).scalar())
        if n:
            held.append(said(n))
    scored = int(s.execute(
        select(func.count()).select_from(Evaluation).join(Assignment, Assignment.id == Evaluation.assignment_id)
        .where(Assignment.evaluator_id == ev.id)).scalar())
    if scored and not rows:
        held.append(msg("services.held_evaluations", "{count} {count:evaluation|evaluations}", count=scored))
    return "; ".join(str(m) for m in held) or None  # rendered in the language in effect


def remove_evaluator(s: Session, ev: Evaluator, *, actor: str, device: str) -> None:
    """Remove an evaluator who holds no work (refused, with what they hold, otherwise)."""
    held = work_of(s, ev)
    if held:
        raise ValidationError(msg("services.evaluator_holds_work", "Evaluator {code} ({name}) holds work: {held}; "
                                  "unassign it first ('evaluator unassign APP {code}'). Nothing was removed.",
                                  code=ev.code, name=ev.name, held=held))
    audit.append(s, actor=actor, device=device, action="remove_evaluator", entity="evaluator", entity_uuid=ev.uuid,
                 old={"code": ev.code, "name": ev.name, "organisation": ev.organisation})
    s.delete(ev)
    s.flush()


def unassign(s: Session, app: Application, ev: Evaluator, *, actor: str, device: str) -> None:
    """Take an application back from an evaluator who has not started it (refused otherwise)."""
    a = assignment_for(s, app, ev)
    if a is None or a.conflict_type is not None:
        raise NotFound(msg("services.not_assigned", "Evaluator {evaluator} is not assigned to application {app}.",
                           evaluator=ev.code, app=app.external_id))
    e = a.evaluation
    if e is not None and (e.state == FINALISED or any(sc.points is not None for sc in e.scores) or e.abstained):
        raise ValidationError(
            msg("services.unassign_finalised", "Evaluator {evaluator} already finalised application {app}; the work "
                "stays (declare a conflict to take it out of the ranking, with 'evaluator recuse'). Nothing was "
                "changed.", evaluator=ev.code, app=app.external_id) if e.state == FINALISED else
            msg("services.unassign_scored", "Evaluator {evaluator} already scored application {app}; the work "
                "stays (declare a conflict to take it out of the ranking, with 'evaluator recuse'). Nothing was "
                "changed.", evaluator=ev.code, app=app.external_id))
    visited = s.execute(select(SiteVisitModel.id).where(SiteVisitModel.application_id == app.id,
                                                        SiteVisitModel.evaluator_id == ev.id,
                                                        SiteVisitModel.visited_at.is_not(None))).first()
    if visited:
        raise ValidationError(msg("services.unassign_visited", "Evaluator {evaluator} already logged a visit to "
                                  "application {app}; the work stays (declare a conflict with 'evaluator recuse' to "
                                  "take it out). Nothing was changed.", evaluator=ev.code, app=app.external_id))
    audit.append(s, actor=actor, device=device, action="unassign", entity="assignment", entity_uuid=a.uuid,
                 old={"application": app.external_id, "evaluator": ev.code})
    s.delete(a)
    s.flush()


def assign(s: Session, app: Application, ev: Evaluator, *, actor: str, planned_visit_on: date | None = None,
           uuid: str | None = None) -> Assignment:
    a = assignment_for(s, app, ev)
    if a is not None and a.conflict_type is not None:
        raise ConflictOfInterest(msg(
            "services.cannot_assign_conflicted",
            "Evaluator {code} ({name}) declared a {conflict_type} conflict of interest with application "
            "{app}; they cannot be assigned to it.", code=ev.code, name=ev.name, conflict_type=a.conflict_type,
            app=app.external_id))
    if a is None:
        a = Assignment(application=app, evaluator=ev, planned_visit_on=planned_visit_on)
        if uuid:
            a.uuid = uuid
        s.add(a)
        s.flush()
        audit.append(s, actor=actor, action="assign", entity="assignment", entity_uuid=a.uuid,
                     new={"application": app.external_id, "evaluator": ev.code})
    elif planned_visit_on is not None:
        a.planned_visit_on = planned_visit_on
    return a


def declare_conflict(s: Session, app: Application, ev: Evaluator, *, conflict_type: str, note: str, actor: str,
                     uuid: str | None = None) -> Assignment:
    if conflict_type not in CONFLICT_TYPES:
        raise ValidationError(msg("services.unknown_conflict_type", "Conflict type '{conflict_type}' is not one "
                                  "of: {known}.", conflict_type=conflict_type, known=", ".join(CONFLICT_TYPES)))
    a = assignment_for(s, app, ev)
    if a is None:
        a = Assignment(application=app, evaluator=ev)
        if uuid:
            a.uuid = uuid
        s.add(a)
    elif a.evaluation is not None and a.evaluation.scores:
        # recusal after scoring: the scores stay (audited) but no longer count anywhere
        pass
    old = {"conflict_type": a.conflict_type, "note": a.conflict_note} if a.id else None
    a.conflict_type = conflict_type
    a.conflict_note = note
    s.flush()
    audit.append(s, actor=actor, action="declare_conflict", entity="assignment", entity_uuid=a.uuid, old=old,
                 new={"application": app.external_id, "evaluator": ev.code, "conflict_type": conflict_type,
                      "note": note}, subject=app.uuid)
    return a


def assignment_infos(s: Session, *, application: Application | None = None,
                     evaluator: Evaluator | None = None, program: Program | None = None) -> list[AssignmentInfo]:
    q = (
        select(Assignment, Application.external_id, Evaluator.code, Evaluation.state, Evaluation.abstained)
        .join(Application, Application.id == Assignment.application_id)
        .join(Evaluator, Evaluator.id == Assignment.evaluator_id)
        .outerjoin(Evaluation, Evaluation.assignment_id == Assignment.id)
        .order_by(Application.external_id, Evaluator.code)
    )
    if application is not None:
        q = q.where(Assignment.application_id == application.id)
    if evaluator is not None:
        q = q.where(Assignment.evaluator_id == evaluator.id)
    if program is not None:
        q = q.where(Application.program_id == program.id)
    return [
        AssignmentInfo(
            application_id=app_id, evaluator=ev_code, conflict_type=a.conflict_type, conflict_note=a.conflict_note,
            planned_visit_on=a.planned_visit_on, state=state, abstained=bool(abstained),
        )
        for a, app_id, ev_code, state, abstained in s.execute(q)
    ]
