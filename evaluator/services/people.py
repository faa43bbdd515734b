"""Evaluators, assignments and declared conflicts of interest."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import audit
from ..db.models import Application, Assignment, Evaluation, Evaluator
from ..domain import CONFLICT_TYPES, FINALISED, AssignmentInfo, EvaluatorInfo
from ..errors import ConflictOfInterest, ValidationError
from .common import assignment_for


def put_evaluator(s: Session, *, code: str, name: str, organisation: str = "", role: str = "",
                  email: str = "", uuid: str | None = None) -> Evaluator:
    ev = s.execute(select(Evaluator).where(Evaluator.code == code)).scalar_one_or_none()
    if ev is None:
        ev = Evaluator(code=code, name=name)
        if uuid:
            ev.uuid = uuid
        s.add(ev)
    ev.name, ev.organisation, ev.role, ev.email = name, organisation, role, email
    s.flush()
    return ev


def evaluator_infos(s: Session) -> list[EvaluatorInfo]:
    assigned = dict(
        s.execute(
            select(Assignment.evaluator_id, func.count())
            .where(Assignment.conflict_type.is_(None))
            .group_by(Assignment.evaluator_id)
        ).all()
    )
    finalised = dict(
        s.execute(
            select(Assignment.evaluator_id, func.count())
            .join(Evaluation, Evaluation.assignment_id == Assignment.id)
            .where(Evaluation.state == FINALISED)
            .group_by(Assignment.evaluator_id)
        ).all()
    )
    return [
        EvaluatorInfo(
            code=e.code, uuid=e.uuid, name=e.name, organisation=e.organisation, role=e.role, email=e.email,
            key_fingerprint=e.key_fingerprint, assigned=assigned.get(e.id, 0), finalised=finalised.get(e.id, 0),
        )
        for e in s.execute(select(Evaluator).order_by(Evaluator.code)).scalars()
    ]


def assign(s: Session, app: Application, ev: Evaluator, *, actor: str, planned_visit_on: date | None = None,
           uuid: str | None = None) -> Assignment:
    a = assignment_for(s, app, ev)
    if a is not None and a.conflict_type is not None:
        raise ConflictOfInterest(
            f"Evaluator {ev.code} ({ev.name}) declared a {a.conflict_type} conflict of interest with application "
            f"{app.external_id}; they cannot be assigned to it."
        )
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
        raise ValidationError(
            f"Conflict type '{conflict_type}' is not one of: {', '.join(CONFLICT_TYPES)}."
        )
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
                     evaluator: Evaluator | None = None) -> list[AssignmentInfo]:
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
    return [
        AssignmentInfo(
            application_id=app_id, evaluator=ev_code, conflict_type=a.conflict_type, conflict_note=a.conflict_note,
            planned_visit_on=a.planned_visit_on, state=state, abstained=bool(abstained),
        )
        for a, app_id, ev_code, state, abstained in s.execute(q)
    ]
