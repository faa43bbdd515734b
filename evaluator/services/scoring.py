"""Evaluations: autosaved scores, comments, abstention, finalise and reopen, site visits.

Every change bumps the record's version and is appended to the audit log with old and new values.
A finalised evaluation is locked: changing it needs :func:`reopen` with a reason.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..db.models import Application, Assignment, Criterion, Evaluation, Evaluator, Score, SiteVisit, utcnow
from ..domain import DRAFT, FINALISED, EvaluationInfo, SavedScore, ScoreValue
from ..errors import ConflictOfInterest, EditConflict, EvaluationLocked, NotFound, ValidationError, Problem
from ..rubric import VISIT_ATTENDEES, VISIT_DATE, Rubric as RubricDef
from .common import assignment_for, criteria_by_code, rubric_def
from ..messages import msg


# --- the rules of an evaluation change: one home for the ORM path here and the autosave's fast path
# (evaluator.services.autosave), which raise the same errors and write the same audit entries
def not_assigned(application_id: str, evaluator: str) -> NotFound:
    return NotFound(msg("services.not_assigned", "Evaluator {evaluator} is not assigned to application {app}.",
                        evaluator=evaluator, app=application_id))


def conflicted(application_id: str, evaluator: str, conflict_type: str) -> ConflictOfInterest:
    return ConflictOfInterest(msg(
        "services.conflicted",
        "Evaluator {evaluator} declared a {conflict_type} conflict of interest with application "
        "{app} and cannot evaluate it.", evaluator=evaluator, conflict_type=conflict_type, app=application_id))


def locked(application_id: str, evaluator: str) -> EvaluationLocked:
    return EvaluationLocked(msg(
        "services.evaluation_locked",
        "The evaluation of application {app} by {evaluator} is finalised; reopen it with a reason "
        "before changing it.", app=application_id, evaluator=evaluator))


def edit_conflict(criterion: str, application_id: str, evaluator: str, expected: int, current: int) -> EditConflict:
    return EditConflict(msg(
        "services.edit_conflict",
        "Edit conflict: the score for '{criterion}' of {app} by {evaluator} changed since version "
        "{expected} (now {current}); nothing was saved.", criterion=criterion, app=application_id,
        evaluator=evaluator, expected=expected, current=current))


def score_change(current: tuple[str | None, float | None, str | None] | None, level: str | None,
                 points: float | None, comment: str | None) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    """(old, new) values of a score set to validated ``level``/``points``, ``comment`` (None: keep
    the current one) — ``current`` is (level, points, comment) or None before the first save.  Equal
    values mean there is nothing to save."""
    old = None if current is None else {"level": current[0], "points": current[1], "comment": current[2]}
    kept = "" if current is None else current[2]
    return old, {"level": level, "points": points, "comment": comment if comment is not None else kept}


def score_entry(*, score: str, old: dict[str, Any] | None, new: dict[str, Any], application: str, evaluator: str,
                evaluation: str, criterion: str, actor: str, device: str, at: datetime,
                subject: str | None = None) -> dict[str, Any]:
    """The audit entry of a score change (keyword arguments of :func:`evaluator.audit.new_entry`):
    the old and new values, and where they belong — application, evaluator, the evaluation's uuid
    and criterion — so that the chain alone says what every score must be (see
    :mod:`evaluator.audit.replay`).  ``subject`` is the application's uuid: the comment, which may
    speak of its people, is sealed (:mod:`evaluator.audit.personal`)."""
    return {"actor": actor, "device": device, "action": "score", "entity": "score", "entity_uuid": score,
            "old": old, "new": {**new, "application": application, "criterion": criterion, "evaluator": evaluator,
                                "evaluation": evaluation}, "at": at, "subject": subject}


def state_entry(*, evaluation: str, state: str, application: str, evaluator: str, actor: str, device: str,
                at: datetime | None = None, reason: str = "") -> dict[str, Any]:
    """The audit entry of an evaluation finalised (``state`` finalised) or reopened (draft)."""
    return {"actor": actor, "device": device, "action": "finalise" if state == FINALISED else "reopen",
            "entity": "evaluation", "entity_uuid": evaluation,
            "old": {"state": DRAFT if state == FINALISED else FINALISED},
            "new": {"state": state, "application": application, "evaluator": evaluator}, "reason": reason, "at": at}


def _assignment(s: Session, app: Application, ev: Evaluator) -> Assignment:
    a = assignment_for(s, app, ev)
    if a is None:
        raise not_assigned(app.external_id, ev.code)
    if a.conflict_type is not None:
        raise conflicted(app.external_id, ev.code, a.conflict_type)
    return a


def evaluation_for(s: Session, app: Application, ev: Evaluator, *, create: bool, device: str = "",
                   at: datetime | None = None) -> Evaluation | None:
    a = _assignment(s, app, ev)
    if a.evaluation is None and create:
        a.evaluation = Evaluation(assignment=a, device=device, updated_at=at or utcnow())
        s.add(a.evaluation)
        s.flush()
    return a.evaluation


def _unlocked(e: Evaluation, app: Application, ev: Evaluator) -> None:
    if e.state == FINALISED:
        raise locked(app.external_id, ev.code)


def validate_value(rd: RubricDef, code: str, level: str | None, points: float | None) -> tuple[str | None, float | None]:
    """Return (level, points) for a score, or raise ValidationError saying what is allowed."""
    try:
        c = rd.criterion(code)
    except KeyError:
        raise ValidationError(msg("services.no_such_criterion", "Rubric '{rubric}' has no criterion '{code}'.",
                                  rubric=rd.code, code=code)) from None
    if level is None and points is None:
        return None, None
    if c.scoring == "levels":
        if level is None:
            raise ValidationError(msg(
                "services.scored_by_level", "Criterion '{criterion}' is scored by level ({levels}), not points.",
                criterion=c.code, levels="/".join(lv.label_ko for lv in rd.levels)))
        lv = rd.level_by_label(level)
        if lv is None:
            raise ValidationError(msg(
                "services.not_a_level", "'{level}' is not a level of criterion '{criterion}'; use one of {levels}.",
                level=level, criterion=c.code, levels=", ".join(f"{lv.label_ko} ({lv.key})" for lv in rd.levels)))
        return lv.key, rd.points_for_level(c, lv.key)
    if level is not None and points is None:
        raise ValidationError(msg("services.scored_in_points", "Criterion '{criterion}' is scored in points "
                                  "(0–{max:g}), not by level.", criterion=c.code, max=c.max_points))
    try:
        p = float(points)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValidationError(msg("services.points_not_number", "'{points}' is not a number of points for "
                                  "criterion '{criterion}'.", points=str(points), criterion=c.code)) from None
    if not math.isfinite(p) or p < 0 or p > c.max_points:
        raise ValidationError(msg("services.points_out_of_range", "{points} is outside 0–{max:g} for criterion "
                                  "'{criterion}'.", points=str(points), max=c.max_points, criterion=c.code))
    return None, p


def _points(e: Evaluation) -> dict[str, float | None]:
    return {sc.criterion.code: sc.points for sc in e.scores}


def save_score(
    s: Session,
    app: Application,
    ev: Evaluator,
    criterion: str,
    *,
    level: str | None = None,
    points: float | None = None,
    comment: str | None = None,
    expected_version: int | None = None,
    actor: str,
    device: str = "",
    at: datetime | None = None,
) -> SavedScore:
    """Set (or clear, with neither level nor points) one criterion's score and/or comment."""
    rd = rubric_def(app.track)
    lvl, pts = validate_value(rd, criterion, level, points)
    now = at or utcnow()  # (one clock reading per save, as on the autosave's path)
    e = evaluation_for(s, app, ev, create=True, device=device, at=now)
    assert e is not None
    _unlocked(e, app, ev)
    crit: Criterion = criteria_by_code(s, app.track.rubric_id)[criterion]
    sc = next((x for x in e.scores if x.criterion_id == crit.id), None)
    if expected_version is not None and (sc.version if sc else 0) != expected_version:
        raise edit_conflict(criterion, app.external_id, ev.code, expected_version, sc.version if sc else 0)
    old, new = score_change(None if sc is None else (sc.level, sc.points, sc.comment), lvl, pts, comment)
    if old == new:
        return SavedScore(criterion, sc.points, sc.level, sc.version, e.version, rd.total(_points(e)))
    if sc is None:
        sc = Score(evaluation=e, criterion=crit, author=ev.code, version=0)
        s.add(sc)
    sc.level, sc.points, sc.comment = new["level"], new["points"], new["comment"]
    sc.version += 1
    sc.updated_at = now
    sc.device = device
    e.version += 1
    e.updated_at = now
    s.flush()
    audit.append(s, **score_entry(score=sc.uuid, old=old, new=new, application=app.external_id, evaluator=ev.code,
                                  evaluation=e.uuid, criterion=criterion, actor=actor, device=device, at=now,
                                  subject=app.uuid))
    return SavedScore(criterion, sc.points, sc.level, sc.version, e.version, rd.total(_points(e)))


def set_comment(s: Session, app: Application, ev: Evaluator, comment: str, *, actor: str, device: str = "") -> int:
    e = evaluation_for(s, app, ev, create=True, device=device)
    assert e is not None
    _unlocked(e, app, ev)
    if e.comment != comment:
        audit.append(s, actor=actor, device=device, action="evaluation_comment", entity="evaluation",
                     entity_uuid=e.uuid, old=e.comment, new=comment, subject=app.uuid)
        e.comment = comment
        e.version += 1
        e.updated_at = utcnow()
    return e.version


def abstain(s: Session, app: Application, ev: Evaluator, reason: str, *, actor: str, device: str = "",
            withdraw: bool = False) -> int:
    e = evaluation_for(s, app, ev, create=True, device=device)
    assert e is not None
    _unlocked(e, app, ev)
    if not withdraw and not reason.strip():
        raise ValidationError(msg("services.abstention_needs_reason", "An abstention needs a reason."))
    old = {"abstained": e.abstained, "reason": e.abstain_reason}
    e.abstained = not withdraw
    e.abstain_reason = "" if withdraw else reason.strip()
    e.version += 1
    e.updated_at = utcnow()
    # (the reason may speak of the applicant's people: it is sealed in ``new``, not the entry's reason)
    audit.append(s, actor=actor, device=device, action="abstain" if not withdraw else "withdraw_abstention",
                 entity="evaluation", entity_uuid=e.uuid, old=old,
                 new={"abstained": e.abstained, "reason": e.abstain_reason}, subject=app.uuid)
    return e.version


def finalise(s: Session, app: Application, ev: Evaluator, *, actor: str, device: str = "",
             at: datetime | None = None) -> Evaluation:
    e = evaluation_for(s, app, ev, create=True, device=device)
    assert e is not None
    if e.state == FINALISED:
        return e
    rd = rubric_def(app.track)
    if not e.abstained:
        problems = finalise_problems(s, rd, app, ev, _points(e))
        if problems:
            n_scores = sum(1 for p in problems if p.code == "scoring.not_scored")
            n_visit = len(problems) - n_scores
            if n_scores and n_visit:
                why = msg("services.cannot_finalise_both", "The evaluation of {app} by {evaluator} cannot be "
                          "finalised: {scores} required {scores:criterion is|criteria are} not scored and the visit "
                          "log lacks {entries} required {entries:entry|entries}.",
                          app=app.external_id, evaluator=ev.code, scores=n_scores,
                          entries=n_visit)
            elif n_scores:
                why = msg("services.cannot_finalise_scores", "The evaluation of {app} by {evaluator} cannot be "
                          "finalised: {scores} required {scores:criterion is|criteria are} not scored.",
                          app=app.external_id,
                          evaluator=ev.code, scores=n_scores)
            else:
                why = msg("services.cannot_finalise_visit", "The evaluation of {app} by {evaluator} cannot be "
                          "finalised: the visit log lacks {entries} required {entries:entry|entries}.",
                          app=app.external_id,
                          evaluator=ev.code, entries=n_visit)
            raise ValidationError(why, problems)
    now = at or utcnow()
    e.state, e.finalised_at = FINALISED, now
    e.version += 1
    e.updated_at = now
    audit.append(s, **state_entry(evaluation=e.uuid, state=FINALISED, application=app.external_id, evaluator=ev.code,
                                  actor=actor, device=device, at=now))
    return e


def visit_values(s: Session, app: Application, ev: Evaluator) -> dict[str, Any] | None:
    """The saved visit log of one assignment as the rubric's visit check reads it (None: nothing yet)."""
    v = s.execute(
        select(SiteVisit).where(SiteVisit.application_id == app.id, SiteVisit.evaluator_id == ev.id)
    ).scalar_one_or_none()
    if v is None:
        return None
    return {"visited_at": v.visited_at, "attendees": v.attendees or "", "checklist": dict(v.checklist or {})}


def finalise_problems(s: Session, rd: RubricDef, app: Application, ev: Evaluator,
                      points: dict[str, float | None]) -> list[Problem]:
    """What stands between an evaluation with ``points`` and finalising it: required criteria not
    scored, and what the rubric requires of the visit log (date, attendees, checklist items)."""
    # (places and sentences are messages: rendered in the language of whoever reads them)
    out = [Problem(msg("scoring.where_criterion", "criterion {criterion}", criterion=c.code),
                   msg("scoring.not_scored", "'{name}' has no score", criterion=c.code, name=c.name_ko), field=c.code)
           for c in rd.missing(points)]
    missing = rd.visit_missing(visit_values(s, app, ev))
    visit_log = msg("scoring.where_visit_log", "visit log") if missing else ""
    for key in missing:
        if key == VISIT_DATE:
            out.append(Problem(visit_log, msg("scoring.visit_date_missing", "the visit date and time are not recorded"),
                               field="visited_at"))
        elif key == VISIT_ATTENDEES:
            out.append(Problem(visit_log, msg("scoring.attendees_missing", "the attendees are not recorded"),
                               field="attendees"))
        else:
            code = key.removeprefix("check:")
            name = rd.visit_requirement_name(key, "ko")
            out.append(Problem(visit_log, msg("scoring.check_missing", "checklist item '{name}' is not ticked",
                                              item=code, name=name), field=f"checklist.{code}"))
    return out


def reopen(s: Session, app: Application, ev: Evaluator, reason: str, *, actor: str, device: str = "") -> Evaluation:
    if not reason or not reason.strip():
        raise ValidationError(msg("services.reopen_needs_reason", "Reopening a finalised evaluation needs a reason "
                                  "(it goes in the audit trail)."))
    e = evaluation_for(s, app, ev, create=False)
    if e is None or e.state != FINALISED:
        raise ValidationError(msg("services.not_finalised", "The evaluation of {app} by {evaluator} is not "
                                  "finalised.", app=app.external_id, evaluator=ev.code))
    e.state, e.finalised_at = DRAFT, None
    e.version += 1
    e.updated_at = utcnow()
    audit.append(s, **state_entry(evaluation=e.uuid, state=DRAFT, application=app.external_id, evaluator=ev.code,
                                  actor=actor, device=device, reason=reason.strip()))
    return e


def evaluation_info(s: Session, app: Application, ev: Evaluator) -> EvaluationInfo | None:
    a = assignment_for(s, app, ev)
    if a is None or a.evaluation is None:
        return None
    e = a.evaluation
    rd = rubric_def(app.track)
    pts = _points(e)
    order = {c.code: i for i, c in enumerate(rd.criteria)}
    scores = tuple(
        sorted(
            (ScoreValue(sc.criterion.code, sc.level, sc.points, sc.comment, sc.version, sc.updated_at) for sc in e.scores),
            key=lambda v: order.get(v.criterion, 999),
        )
    )
    return EvaluationInfo(
        application_id=app.external_id, evaluator=ev.code, uuid=e.uuid, state=e.state, finalised_at=e.finalised_at,
        abstained=e.abstained, abstain_reason=e.abstain_reason, comment=e.comment, version=e.version,
        scores=scores, total=rd.total(pts), missing=tuple(c.code for c in rd.missing(pts)),
        package_fingerprint=e.package_fingerprint, visit_missing=tuple(rd.visit_missing(visit_values(s, app, ev))),
    )


def save_site_visit(
    s: Session, app: Application, ev: Evaluator, *, actor: str, device: str = "",
    visited_at: datetime | None = None, attendees: str | None = None, checklist: dict[str, Any] | None = None,
    notes: str | None = None,
) -> SiteVisit:
    _assignment(s, app, ev)
    v = s.execute(
        select(SiteVisit).where(SiteVisit.application_id == app.id, SiteVisit.evaluator_id == ev.id)
    ).scalar_one_or_none()
    if v is None:
        v = SiteVisit(application_id=app.id, evaluator_id=ev.id, version=0, checklist={})
        s.add(v)
    old = {"visited_at": v.visited_at.isoformat() if v.visited_at else None, "attendees": v.attendees,
           "checklist": dict(v.checklist or {}), "notes": v.notes}
    if visited_at is not None:
        v.visited_at = visited_at
    if attendees is not None:
        v.attendees = attendees
    if checklist is not None:
        rd = rubric_def(app.track)
        known = {c.code for c in rd.checklist}
        unknown = sorted(set(checklist) - known)
        if unknown:
            raise ValidationError(msg("services.unknown_checklist_items", "Unknown checklist item(s) for rubric "
                                      "'{rubric}': {items}.", rubric=rd.code, items=", ".join(unknown)))
        v.checklist = {**(v.checklist or {}), **{k: bool(x) for k, x in checklist.items()}}
    if notes is not None:
        v.notes = notes
    new = {"visited_at": v.visited_at.isoformat() if v.visited_at else None, "attendees": v.attendees,
           "checklist": dict(v.checklist or {}), "notes": v.notes}
    if new != old:
        v.version += 1
        v.updated_at = utcnow()
        v.device = device
        s.flush()
        audit.append(s, actor=actor, device=device, action="site_visit", entity="site_visit", entity_uuid=v.uuid,
                     old=old, new=new, subject=app.uuid)
    return v
