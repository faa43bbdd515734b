"""The work on monitoring, given a session: the program's plan (a setting of the database), visits
assigned to visitors (load-balanced, declared conflicts respected), what is due and overdue, and
visits recorded (validated against the track's monitoring rubric).

The plan lives in the ``setting`` table under ``monitoring_plan:<program uuid>``: the visits due per
award and, per track, the monitoring rubric's TOML text exactly as loaded (its content hash is its
version; kits carry the text)."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import audit
from ..awards.model import CLOSED_STATUSES, status_text
from ..db.models import Application, Assignment, Award, Evaluator, MonitoringVisit, Program, utcnow
from ..db.settings import get_setting, set_setting
from ..errors import NotFound, RubricError, ValidationError
from ..messages import Message, localised, msg
from ..paths import resource
from ..rubric import MONITORING, Rubric, load_rubric, parse_rubric
from .model import (
    DRAFT, FINALISED, PLANNED, Action, DueVisit, MonitoringAssignment, MonitoringPlan, MonitoringRubricRef,
    PlannedVisit, VisitInfo, action_values,
)

#: the plan when the office has not set one: a mid-term and a final visit
DEFAULT_VISITS = (PlannedVisit("mid", 3), PlannedVisit("final", 6))


def _key(program: Program) -> str:
    return f"monitoring_plan:{program.uuid}"


def _as_of_key(program: Program) -> str:
    return f"follow_up_as_of:{program.uuid}"


def as_of(s: Session, program: Program) -> date | None:
    """The day the program's follow-up is counted from when the caller names none, if the program
    sets one: the demo does (its 2012 round is followed up as of a day in its own project period,
    so its visits are due or a few weeks late, not thousands of days); a real program sets none
    and counts from the real date."""
    value = get_setting(s, _as_of_key(program))
    return date.fromisoformat(value) if value else None


def set_as_of(s: Session, program: Program, day: date | None) -> None:
    set_setting(s, _as_of_key(program), day.isoformat() if day else None)


def today(s: Session, program: Program) -> date:
    """The program's follow-up "today": :func:`as_of`, else the real date."""
    return as_of(s, program) or date.today()


def plan_document(s: Session, program: Program) -> dict[str, Any] | None:
    return get_setting(s, _key(program))


def monitoring_rubrics(s: Session, program: Program) -> dict[str, Rubric]:
    """Each track's monitoring rubric from the plan ({track: rubric})."""
    doc = plan_document(s, program) or {}
    return {track: parse_rubric(r["source"], source_name=r["file"]) for track, r in (doc.get("rubrics") or {}).items()}


def plan_info(s: Session, program: Program) -> MonitoringPlan:
    doc = plan_document(s, program)
    if doc is None:
        return MonitoringPlan(program.code, (), ())
    rubrics = monitoring_rubrics(s, program)
    return MonitoringPlan(
        program.code, tuple(PlannedVisit(v["code"], int(v["months"])) for v in doc["visits"]),
        tuple(MonitoringRubricRef(t, rd.code, rd.version, doc["rubrics"][t]["file"]) for t, rd in sorted(rubrics.items())))


def _rubric_for(track: str, path: str | Path | None) -> tuple[str, str]:
    """The monitoring rubric file's (name, text) for ``track``: ``path``, else the shipped one."""
    p = Path(path) if path else resource("rubrics", f"monitoring-{track}.toml")
    if path is None and not p.is_file():
        raise ValidationError(msg("monitoring.no_rubric", "Track '{track}' has no monitoring rubric: name one with "
                                  "--rubric {track}=FILE (a rubric file with kind = \"monitoring\", docs/follow-up.md).",
                                  track=track))
    rd = load_rubric(p)
    if rd.kind != MONITORING:
        raise RubricError(msg("monitoring.rubric_kind", "Rubric file {file} is an {kind} rubric; a monitoring plan "
                              "needs a rubric with kind = \"monitoring\".", file=p.name, kind=rd.kind))
    if rd.track != track:
        raise RubricError(msg("monitoring.rubric_track", "Rubric file {file} is for track '{rubric_track}', not "
                              "'{track}'.", file=p.name, rubric_track=rd.track, track=track))
    return p.name, p.read_text(encoding="utf-8")


def set_plan(s: Session, program: Program, visits: list[PlannedVisit], rubrics: dict[str, str | Path | None], *,
             actor: str, device: str) -> MonitoringPlan:
    if not visits:
        raise ValidationError(msg("monitoring.plan_empty", "A monitoring plan needs at least one visit (--visit "
                                  "CODE=MONTHS or --every-months N)."))
    seen: set[str] = set()
    for v in visits:
        if not v.code.strip() or v.code in seen:
            raise ValidationError(msg("monitoring.plan_codes", "The plan's visits need distinct codes; '{code}' is "
                                      "empty or repeated.", code=v.code))
        if not 0 <= v.months <= 120:
            raise ValidationError(msg("monitoring.plan_months", "Visit '{code}' falls due {months} "
                                      "{months:month|months} after the start; use 0 to 120.",
                                      code=v.code, months=v.months))
        seen.add(v.code)
    tracks = [t.code for t in program.tracks]
    unknown = set(rubrics) - set(tracks)
    if unknown:
        raise ValidationError(msg("monitoring.unknown_track", "Program '{program}' has no track {unknown} (tracks: "
                                  "{tracks}).", program=program.code, unknown=", ".join(sorted(unknown)),
                                  tracks=", ".join(tracks)))
    old = plan_document(s, program)
    chosen = {}
    for t in tracks:
        if t not in rubrics and old and t in (old.get("rubrics") or {}):
            chosen[t] = old["rubrics"][t]
            continue
        name, text = _rubric_for(t, rubrics.get(t))
        chosen[t] = {"file": name, "source": text}
    doc = {"visits": [{"code": v.code, "months": v.months} for v in visits], "rubrics": chosen}
    set_setting(s, _key(program), doc)
    info = plan_info(s, program)
    audit.append(s, actor=actor, device=device, action="monitoring_plan", entity="program", entity_uuid=program.uuid,
                 old=old and {"visits": old["visits"]},
                 new={"program": program.code, "visits": doc["visits"],
                      "rubrics": {r.track: r.version for r in info.rubrics}})
    return info


def _add_months(day: date, months: int) -> date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def project_start(award: Award) -> date:
    return award.starts_on or award.agreed_on or award.created_at.date()


# --- assigning ------------------------------------------------------------------------------------
def assign(s: Session, program: Program, evaluators: list[str] | None, *, actor: str,
           device: str) -> MonitoringAssignment:
    """Every planned visit of every running award that has none yet gets its row and a visitor: the
    award's visitor so far if any, else the least loaded evaluator without a declared conflict."""
    doc = plan_document(s, program)
    if doc is None:
        raise ValidationError(msg("monitoring.no_plan", "Program '{program}' has no monitoring plan yet: set it with "
                                  "'evaluator monitoring plan --visit mid=3 --visit final=6'.", program=program.code))
    q = select(Evaluator).where(Evaluator.active.is_(True)).order_by(Evaluator.code)
    people = list(s.execute(q).scalars())
    if evaluators:
        by_code = {e.code: e for e in people}
        missing = [c for c in evaluators if c not in by_code]
        if missing:
            raise NotFound(msg("monitoring.no_active_evaluator", "No active evaluator {codes} in this database.",
                               codes=", ".join(missing)))
        people = [by_code[c] for c in evaluators]
    if not people:
        raise ValidationError(msg("monitoring.no_evaluators", "There is no active evaluator to visit the awarded "
                                  "projects."))
    load = {e.id: 0 for e in people}
    for ev_id, n in s.execute(select(MonitoringVisit.evaluator_id, func.count(MonitoringVisit.id))
                              .where(MonitoringVisit.state != FINALISED).group_by(MonitoringVisit.evaluator_id)):
        if ev_id in load:
            load[ev_id] = n
    conflicts = {(a, e) for a, e in s.execute(select(Assignment.application_id, Assignment.evaluator_id)
                                              .where(Assignment.conflict_type.is_not(None)))}
    awards = list(s.execute(select(Award).join(Application, Application.id == Award.application_id)
                            .where(Application.program_id == program.id, Award.status.not_in(CLOSED_STATUSES))
                            .order_by(Application.external_id)).scalars())
    existing: dict[int, list[MonitoringVisit]] = {}
    for v in s.execute(select(MonitoringVisit).where(MonitoringVisit.award_id.in_([a.id for a in awards]))).scalars():
        existing.setdefault(v.award_id, []).append(v)
    added, unassigned = 0, []
    for award in awards:
        have = existing.get(award.id, [])
        todo = [pv for pv in doc["visits"] if pv["code"] not in {v.plan_code for v in have}]
        if not todo:
            continue
        visitor = next((v.evaluator_id for v in have if v.evaluator_id in load
                        and (award.application_id, v.evaluator_id) not in conflicts), None)
        if visitor is None:
            free = [e for e in people if (award.application_id, e.id) not in conflicts]
            if not free:
                unassigned.append(award.application.external_id)
                continue
            visitor = min(free, key=lambda e: (load[e.id], e.code)).id
        start = project_start(award)
        seq = max((v.sequence for v in have), default=0)
        for pv in todo:
            seq += 1
            v = MonitoringVisit(award_id=award.id, evaluator_id=visitor, sequence=seq, plan_code=pv["code"],
                                due_on=_add_months(start, int(pv["months"])), state=PLANNED, checklist={},
                                ratings={}, actions=[], attendees="", findings="", device=device)
            s.add(v)
            load[visitor] += 1
            added += 1
    s.flush()
    codes = {e.id: e.code for e in people}
    if added:
        audit.append(s, actor=actor, device=device, action="monitoring_assign", entity="program",
                     entity_uuid=program.uuid, new={"program": program.code, "added": added,
                                                    "loads": {codes[k]: n for k, n in load.items()}})
    return MonitoringAssignment(added, {codes[k]: n for k, n in sorted(load.items(), key=lambda kv: codes[kv[0]])},
                                tuple(unassigned))


# --- reading --------------------------------------------------------------------------------------
def _visits_query(program: Program):
    return (select(MonitoringVisit, Application, Evaluator.code)
            .join(Award, Award.id == MonitoringVisit.award_id)
            .join(Application, Application.id == Award.application_id)
            .join(Evaluator, Evaluator.id == MonitoringVisit.evaluator_id, isouter=True)
            .where(Application.program_id == program.id))


def visit_info(v: MonitoringVisit, app: Application, evaluator: str | None) -> VisitInfo:
    return VisitInfo(
        uuid=v.uuid, application_id=app.external_id, track=app.track.code, sequence=v.sequence,
        plan_code=v.plan_code, evaluator=evaluator, due_on=v.due_on, state=v.state, visited_at=v.visited_at,
        attendees=v.attendees, checklist=dict(v.checklist or {}), ratings=dict(v.ratings or {}), findings=v.findings,
        actions=tuple(Action(a["text"], date.fromisoformat(a["due_on"]) if a.get("due_on") else None,
                             bool(a.get("done"))) for a in (v.actions or [])),
        version=v.version)


def visits(s: Session, program: Program, application_id: str | None = None,
           evaluator: str | None = None) -> list[VisitInfo]:
    q = _visits_query(program).order_by(Application.external_id, MonitoringVisit.sequence)
    if application_id is not None:
        q = q.where(Application.external_id == application_id)
    if evaluator is not None:
        q = q.where(Evaluator.code == evaluator)
    return [visit_info(v, app, ev) for v, app, ev in s.execute(q).all()]


def due(s: Session, program: Program, *, today: date, overdue_only: bool) -> list[DueVisit]:
    """Visits not finalised with a due date (only those past it with ``overdue_only``), soonest first;
    visits of withdrawn or cancelled awards are not due."""
    q = (select(Application.external_id, Application.group_name, MonitoringVisit.sequence, MonitoringVisit.plan_code,
                Evaluator.code, MonitoringVisit.due_on, MonitoringVisit.state)
         .join(Award, Award.id == MonitoringVisit.award_id)
         .join(Application, Application.id == Award.application_id)
         .join(Evaluator, Evaluator.id == MonitoringVisit.evaluator_id, isouter=True)
         .where(Application.program_id == program.id, MonitoringVisit.state != FINALISED,
                MonitoringVisit.due_on.is_not(None), Award.status.not_in(CLOSED_STATUSES))
         .order_by(MonitoringVisit.due_on, Application.external_id, MonitoringVisit.sequence))
    if overdue_only:
        q = q.where(MonitoringVisit.due_on < today)
    return [DueVisit(ext, group, seq, code, ev, d, state, d < today, max(0, (today - d).days))
            for ext, group, seq, code, ev, d, state in s.execute(q).all()]


# --- recording ------------------------------------------------------------------------------------
class _RubricSets:
    """What :func:`check_visit` looks up in a monitoring rubric, as sets (built once per rubric: a
    merge checks thousands of visits against the same one)."""

    __slots__ = ("rubric", "items", "criteria", "levels", "levels_or_blank", "required")

    def __init__(self, rd: Rubric) -> None:
        self.rubric = rd
        self.items = frozenset(c.code for c in rd.checklist)
        self.criteria = frozenset(c.code for c in rd.criteria)
        self.levels = frozenset(lv.key for lv in rd.levels)
        self.levels_or_blank = self.levels | {None}
        self.required = tuple(c.code for c in rd.criteria if c.required)


_SETS: dict[int, _RubricSets] = {}


def _sets(rd: Rubric) -> _RubricSets:
    got = _SETS.get(id(rd))
    if got is None or got.rubric is not rd:
        if len(_SETS) > 64:
            _SETS.clear()
        got = _SETS[id(rd)] = _RubricSets(rd)
    return got


def check_visit(rd: Rubric | None, award: Any, *, visited_at: datetime | None, attendees: str,
                checklist: dict[str, Any], ratings: dict[str, Any], actions: list[Action],
                where: Message | Callable[[], Message], finalising: bool = False) -> None:
    """One clear sentence for the first thing wrong with a visit's values (nothing is written).
    ``where`` names the visit in that sentence (or makes the name, when one is needed)."""
    def w() -> Message:
        return where() if callable(where) else where

    day = visited_at.date() if visited_at is not None else None
    if day is not None and award.agreed_on is not None and day < award.agreed_on:
        raise ValidationError(msg("monitoring.before_agreement", "{where} is dated {day}, before the agreement "
                                  "({agreed_on}).", where=w(), day=visited_at.strftime("%Y-%m-%d"),
                                  agreed_on=str(award.agreed_on)))
    for a in actions:
        if not a.text.strip():
            raise ValidationError(msg("monitoring.action_text", "{where}: a required action needs its text.",
                                      where=w()))
        if a.due_on is not None and day is not None and a.due_on < day:
            raise ValidationError(msg("monitoring.action_before_visit", "{where}: the action '{action}' is due {due}, "
                                      "before the visit ({day}).", where=w(), action=a.text, due=str(a.due_on),
                                      day=visited_at.strftime("%Y-%m-%d")))
    if rd is None:
        return
    sets = _sets(rd)
    if not sets.items.issuperset(checklist):
        raise ValidationError(msg("monitoring.unknown_item", "{where}: the monitoring rubric {rubric} has no "
                                  "checklist item {items}.", where=w(), rubric=rd.code,
                                  items=", ".join(sorted(set(checklist) - sets.items))))
    # (a merge checks thousands of visits: the sets first, each rating only when one is wrong)
    try:
        rated = sets.criteria.issuperset(ratings) and sets.levels_or_blank.issuperset(ratings.values())
    except TypeError:  # (a level that is not a text: the loop below says which)
        rated = False
    if not rated:
        _check_ratings(rd, sets, ratings, w)
    if finalising and not (rd.visit_complete(visited_at, attendees, checklist) and all(map(ratings.get, sets.required))):
        missing = rd.visit_missing({"visited_at": visited_at, "attendees": attendees, "checklist": checklist})
        unrated = [c for c in sets.required if not ratings.get(c)]
        if missing or unrated:
            names = [localised(rd.visit_requirement_name(m, "ko"), rd.visit_requirement_name(m, "en"))
                     for m in missing]
            by_code = {c.code: c for c in rd.criteria}
            names += [localised(by_code[c].name_ko, by_code[c].name_en) for c in unrated]
            raise ValidationError(msg("monitoring.cannot_finalise", "{where} cannot be finalised yet: missing "
                                      "{missing}.", where=w(),
                                      missing=localised(", ".join(n.ko for n in names), ", ".join(n.en for n in names))))


def _check_ratings(rd: Rubric, sets: _RubricSets, ratings: dict[str, Any], w: Callable[[], Message]) -> None:
    for code, level in ratings.items():
        if code not in sets.criteria:
            raise ValidationError(msg("monitoring.unknown_criterion", "{where}: the monitoring rubric {rubric} has no "
                                      "criterion '{criterion}'.", where=w(), rubric=rd.code, criterion=code))
        if level is not None and level not in sets.levels:
            raise ValidationError(msg("monitoring.unknown_level", "{where}: '{level}' is not a level of {rubric} for "
                                      "'{criterion}' (levels: {levels}).", where=w(), level=level, rubric=rd.code,
                                      criterion=code, levels=", ".join(lv.key for lv in rd.levels)))


def visit_by(s: Session, program: Program, application_id: str, sequence: int) -> MonitoringVisit:
    v = s.execute(select(MonitoringVisit).join(Award, Award.id == MonitoringVisit.award_id)
                  .join(Application, Application.id == Award.application_id)
                  .where(Application.program_id == program.id, Application.external_id == application_id,
                         MonitoringVisit.sequence == sequence)).scalar_one_or_none()
    if v is None:
        raise NotFound(msg("monitoring.no_visit", "Application {app} has no monitoring visit {sequence}.",
                           app=application_id, sequence=sequence))
    return v


def record(s: Session, program: Program, v: MonitoringVisit, *, visited_at: datetime | None, attendees: str,
           checklist: dict[str, bool], ratings: dict[str, str], findings: str, actions: list[Action], finalise: bool,
           actor: str, device: str) -> None:
    award = s.get(Award, v.award_id)
    app = award.application
    where = msg("monitoring.where.visit", "Monitoring visit {sequence} of application {app}", sequence=v.sequence,
                app=app.external_id)
    if award.status in CLOSED_STATUSES:
        raise ValidationError(msg("monitoring.award_closed", "{where}: the award is {status}; nothing is recorded on "
                                  "it.", where=where, status=status_text(award.status)))
    if v.state == FINALISED:
        raise ValidationError(msg("monitoring.finalised", "{where} is finalised; it is kept as it was.", where=where))
    rd = monitoring_rubrics(s, program).get(app.track.code)
    check_visit(rd, award, visited_at=visited_at, attendees=attendees, checklist=checklist, ratings=ratings,
                actions=actions, where=where,
                finalising=finalise)
    old = values(v)
    v.visited_at, v.attendees, v.findings = visited_at, attendees.strip(), findings.strip()
    v.checklist = {k: bool(x) for k, x in sorted(checklist.items())}
    v.ratings = {k: x for k, x in sorted(ratings.items()) if x}
    v.actions = action_values(actions)
    v.rubric_hash = rd.content_hash if rd else ""
    v.state = FINALISED if finalise else DRAFT
    v.finalised_at = utcnow() if finalise else None
    v.version += 1
    v.updated_at, v.device = utcnow(), device
    audit.append(s, actor=actor, device=device, action="monitoring_visit_finalise" if finalise else "monitoring_visit",
                 entity="monitoring_visit", entity_uuid=v.uuid, old=old,
                 new={"application": app.external_id, **values(v)}, subject=app.uuid)


#: what :func:`values` holds, in its order
VALUE_KEYS = ("sequence", "plan_code", "state", "visited_at", "attendees", "checklist", "ratings", "findings",
              "actions", "rubric_hash")


def values(v: MonitoringVisit) -> dict[str, Any]:
    """A visit's content as it travels and is audited."""
    return {"sequence": v.sequence, "plan_code": v.plan_code, "state": v.state,
            "visited_at": v.visited_at.isoformat(timespec="minutes") if v.visited_at else None,
            "attendees": v.attendees or "", "checklist": dict(sorted((v.checklist or {}).items())),
            "ratings": dict(sorted((v.ratings or {}).items())), "findings": v.findings or "",
            "actions": list(v.actions or []), "rubric_hash": v.rubric_hash or ""}


def add_visit(s: Session, program: Program, application_id: str, evaluator: Evaluator, *, device: str) -> MonitoringVisit:
    """A visit beyond the plan (visit 3, 4 …), by ``evaluator``."""
    from ..awards.service import award_for

    award = award_for(s, program, application_id)
    if award.status in CLOSED_STATUSES:
        raise ValidationError(msg("monitoring.closed_no_visit", "The award of application {app} is {status}; no visit "
                                  "is added.", app=application_id, status=status_text(award.status)))
    seq = (s.execute(select(func.max(MonitoringVisit.sequence)).where(MonitoringVisit.award_id == award.id))
           .scalar() or 0) + 1
    v = MonitoringVisit(award_id=award.id, evaluator_id=evaluator.id, sequence=seq, plan_code="", due_on=None,
                        state=PLANNED, checklist={}, ratings={}, actions=[], attendees="", findings="", device=device)
    s.add(v)
    s.flush()
    return v


__all__ = ["DEFAULT_VISITS", "add_visit", "assign", "check_visit", "due", "monitoring_rubrics", "plan_info",
           "project_start", "record", "set_plan", "values", "visit_by", "visit_info", "visits"]
