"""Monitoring visits in the field: what a kit carries to the visitor, what the laptop sends back in
its signed package, and the merge of those visits at the office — with the same ownership rule as
every other record (``evaluator.packages.ownership``): a package changes only the monitoring
visits of the evaluator who signed it.

* kit → laptop: ``data.json`` gains ``monitoring``: the plan (each track's monitoring rubric text),
  the awards the visitor follows, each with every visit so far (the visitor's own to record, the
  others' findings and open actions to check on site);
* laptop → office: ``data.json`` gains ``monitoring_visits``: the visitor's visits that were
  recorded (draft or finalised), each with its version;
* the merge, inside the package's transaction: a visit of an award that does not exist or was
  withdrawn or cancelled, someone else's visit, a visit dated before the agreement or an action
  due before its visit refuses the whole package (one sentence, nothing written); a visit the
  office holds finalised is kept as it is (the package's different copy is listed as skipped);
  a new visit (beyond the plan) of an award the signer follows is added with the next number;
  every visit added or changed is handed back with its old and new values, for the package's one
  ``merge_package`` audit entry (``evaluator.packages.merge``), which seals the personal ones.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..awards.model import CLOSED_STATUSES, status_text
from ..db.models import Application, Award, Evaluator, MonitoringVisit, Program, Track, utcnow
from ..db.settings import set_setting
from ..packages import formats as F
from ..packages.bulk import Bulk
from ..packages.errors import KitRejected, PackageRejected
from ..rubric import Rubric, parse_rubric
from ..errors import RubricError, ValidationError
from ..messages import msg
from . import service
from .model import DRAFT, FINALISED, PLANNED, Action

_VISIT_STATES = (PLANNED, DRAFT, FINALISED)


def _visit_doc(v: MonitoringVisit) -> dict[str, Any]:
    return {"uuid": v.uuid, "version": v.version, "updated_at": F.iso(v.updated_at), **service.values(v)}


# --- office → kit ----------------------------------------------------------------------------------
def kit_part(s: Session, program: Program, evaluator: Evaluator) -> tuple[dict[str, Any] | None, list[Application]]:
    """The kit's ``monitoring`` section for ``evaluator`` (None when they follow no award) and the
    awarded applications the kit must carry for it."""
    mine = s.execute(select(MonitoringVisit.award_id).where(MonitoringVisit.evaluator_id == evaluator.id)
                     .distinct()).scalars().all()
    if not mine:
        return None, []
    awards = list(s.execute(select(Award).join(Application, Application.id == Award.application_id)
                            .where(Award.id.in_(mine), Application.program_id == program.id)
                            .order_by(Application.external_id)).scalars())
    visits: dict[int, list[MonitoringVisit]] = {}
    for v in s.execute(select(MonitoringVisit).where(MonitoringVisit.award_id.in_([a.id for a in awards]))
                       .order_by(MonitoringVisit.sequence)).scalars():
        visits.setdefault(v.award_id, []).append(v)
    part = {
        "plan": service.plan_document(s, program),
        "as_of": F.iso(service.as_of(s, program)),  # the program's follow-up day, if it sets one (the demo)
        "awards": [{"uuid": a.uuid, "application": a.application.external_id, "amount": a.amount, "status": a.status,
                    "agreed_on": F.iso(a.agreed_on), "starts_on": F.iso(a.starts_on), "ends_on": F.iso(a.ends_on),
                    "visits": [{**_visit_doc(v), "mine": v.evaluator_id == evaluator.id, "due_on": F.iso(v.due_on)}
                               for v in visits.get(a.id, [])]} for a in awards],
    }
    return part, [a.application for a in awards]


# --- kit → field database --------------------------------------------------------------------------
def install(s: Session, program: Program, evaluator: Evaluator, part: Any, apps: dict[str, Application],
            what: str) -> int:
    """Bring the kit's monitoring section into the field database: the plan, the awards, the visits
    (the visitor's own work on the laptop is kept; the office's newer due dates and the other
    visitors' finalised visits are taken).  Returns how many visits the visitor has to make."""
    if part is None:
        return 0
    try:
        plan = F.need(part, "plan", dict, "data.json monitoring")
        for track, r in F.need(plan, "rubrics", dict, "data.json monitoring plan").items():
            if parse_rubric(F.need(r, "source", str, f"monitoring rubric {track}"), str(r.get("file"))).kind \
                    != "monitoring":
                raise F.Invalid(f"the monitoring rubric of track {track} is not a monitoring rubric")
        set_setting(s, service._key(program), plan)
        service.set_as_of(s, program, F.parse_date(F.need_date(part, "as_of", "data.json monitoring")))
        todo = 0
        for i, a in enumerate(F.items(part, "awards", "data.json monitoring")):
            w = f"data.json monitoring awards[{i}]"
            app = apps.get(F.need(a, "application", str, w))
            if app is None:
                raise F.Invalid(f"{w}.application is not in the kit")
            award = s.execute(select(Award).where(Award.uuid == F.need(a, "uuid", str, w))).scalar_one_or_none()
            if award is None:
                award = Award(uuid=a["uuid"], application_id=app.id, amount=0, status_reason="", stepped_in_for="",
                              settlement="")
                s.add(award)
            award.amount = F.need(a, "amount", int, w)
            award.status = F.need(a, "status", str, w)
            award.agreed_on, award.starts_on, award.ends_on = (
                F.parse_date(F.need_date(a, k, w)) for k in ("agreed_on", "starts_on", "ends_on"))
            s.flush()
            for j, v in enumerate(F.items(a, "visits", w)):
                todo += _install_visit(s, award, evaluator, v, f"{w}.visits[{j}]")
    except F.Invalid as exc:
        raise KitRejected(msg("monitoring.kit_damaged", "{kit} is damaged: {reason}.", kit=what, reason=str(exc))) from None
    except RubricError as exc:
        raise KitRejected(msg("monitoring.kit_rubric_damaged", "{kit} is damaged: {reason}", kit=what,
                              reason=str(exc))) from None
    return todo


def _install_visit(s: Session, award: Award, evaluator: Evaluator, v: dict[str, Any], w: str) -> int:
    uuid = F.need(v, "uuid", str, w)
    row = s.execute(select(MonitoringVisit).where(MonitoringVisit.uuid == uuid)).scalar_one_or_none()
    mine = F.need(v, "mine", bool, w)
    state = F.need(v, "state", str, w)
    if state not in _VISIT_STATES:
        raise F.Invalid(f"{w}.state is not a visit state")
    if row is None:
        row = MonitoringVisit(uuid=uuid, award_id=award.id, sequence=F.need(v, "sequence", int, w), device="",
                              evaluator_id=evaluator.id if mine else None)
        s.add(row)
        take = True
    else:  # the visitor's own work on this laptop wins over the office's copy of it
        take = not mine or row.state == PLANNED
    row.due_on = F.parse_date(F.need_date(v, "due_on", w))
    row.plan_code = F.need(v, "plan_code", str, w)
    if take:
        row.state = state
        row.visited_at = F.parse_dt(F.need(v, "visited_at", str, w, optional=True))
        row.attendees = F.need(v, "attendees", str, w)
        row.checklist = F.need(v, "checklist", dict, w)
        row.ratings = F.need(v, "ratings", dict, w)
        row.findings = F.need(v, "findings", str, w)
        row.actions = F.need(v, "actions", list, w)
        row.rubric_hash = F.need(v, "rubric_hash", str, w)
        row.version = F.need(v, "version", int, w)
    s.flush()
    return int(mine and row.state != FINALISED)


# --- laptop → package ------------------------------------------------------------------------------
def package_part(s: Session, evaluator: Evaluator) -> list[dict[str, Any]]:
    """The visitor's recorded monitoring visits (draft or finalised) for the package's data.json."""
    rows = s.execute(select(MonitoringVisit, Award.uuid, Application.external_id)
                     .join(Award, Award.id == MonitoringVisit.award_id)
                     .join(Application, Application.id == Award.application_id)
                     .where(MonitoringVisit.evaluator_id == evaluator.id, MonitoringVisit.state != PLANNED)
                     .order_by(Application.external_id, MonitoringVisit.sequence)).all()
    return [{**_visit_doc(v), "award": award, "application": ext} for v, award, ext in rows]


# --- package → office ------------------------------------------------------------------------------
def read_package_part(data: Any) -> list[dict[str, Any]]:
    """The ``monitoring_visits`` of a package's data.json, their shape checked (:class:`F.Invalid`)."""
    out = []
    raw = data.get("monitoring_visits", []) if isinstance(data, dict) else []
    if type(raw) is not list:
        raise F.Invalid("data.json monitoring_visits is not a list")
    for i, v in enumerate(raw):
        if not _well_formed(v):  # (the checks that say what is wrong, only when something is)
            _check_visit_doc(v, f"data.json monitoring_visits[{i}]")
        for j, a in enumerate(v["actions"]):
            F.need(a, "text", str, f"data.json monitoring_visits[{i}].actions[{j}]")
            F.need_date(a, "due_on", f"data.json monitoring_visits[{i}].actions[{j}]")
        out.append(v)
    return out


_TEXTS = ("uuid", "award", "application", "plan_code", "state", "attendees", "findings", "rubric_hash")


def _well_formed(v: Any) -> bool:
    """A visit (not its actions) as :func:`_check_visit_doc` accepts it, checked in one pass: a
    package carries thousands."""
    if type(v) is not dict:
        return False
    for k in _TEXTS:
        x = v.get(k)
        if type(x) is not str or len(x) > 100_000:
            return False
    for k in ("sequence", "version"):
        x = v.get(k)
        if type(x) is not int or not 1 <= x <= 1_000_000_000:
            return False
    t = v.get("visited_at")
    return (v["state"] in (DRAFT, FINALISED) and (t is None or (type(t) is str and len(t) <= 100_000))
            and type(v.get("checklist")) is dict and type(v.get("ratings")) is dict and type(v.get("actions")) is list)


def _check_visit_doc(v: Any, w: str) -> None:
    for k in _TEXTS:
        F.need(v, k, str, w)
    for k in ("sequence", "version"):
        if not 1 <= F.need(v, k, int, w) <= 1_000_000_000:
            raise F.Invalid(f"{w}.{k} is out of range")
    if v["state"] not in (DRAFT, FINALISED):
        raise F.Invalid(f"{w}.state must be draft or finalised")
    F.need(v, "visited_at", str, w, optional=True)
    for k, kind in (("checklist", dict), ("ratings", dict), ("actions", list)):
        F.need(v, k, kind, w)


def _when(text: str | None, what: str) -> datetime | None:
    try:
        return None if text is None else datetime.fromisoformat(text)
    except ValueError:
        raise PackageRejected(msg("monitoring.package_bad_time", "{package} has a visit time that is not a date and "
                                  "time ({value}).", package=what, value=repr(text[:40]))) from None


@dataclass(frozen=True)
class Merged:
    """What :func:`merge` did: how many visits were added, updated, unchanged or kept finalised, and
    each visit added or changed as an item of the package's audit entry (``merge_package``'s
    ``changed``: entity, uuid, application, old — None for a visit added — and new values)."""

    counts: dict[str, int]
    changes: list[dict[str, Any]]


def _rubrics(s: Session, program: Program) -> dict[str, Rubric]:
    """``service.monitoring_rubrics``, each plan's rubric texts parsed once (not once per package)."""
    doc = service.plan_document(s, program) or {}
    return _parsed(tuple(sorted((t, r["source"], r["file"]) for t, r in (doc.get("rubrics") or {}).items())))


@functools.lru_cache(maxsize=8)
def _parsed(rubrics: tuple[tuple[str, str, str], ...]) -> dict[str, Rubric]:
    return {track: parse_rubric(source, source_name=file) for track, source, file in rubrics}


#: the awards a package's visits name, as plain rows
_AWARDS = (select(Award.uuid, Award.id, Award.status, Award.status_reason, Award.agreed_on, Application.program_id,
                  Application.external_id, Track.code.label("track"))
           .join(Application, Application.id == Award.application_id).join(Track, Track.id == Application.track_id))
#: the office's copies of a package's visits: what ``service.values`` reads, and whose they are
_VISITS = select(MonitoringVisit.id, MonitoringVisit.uuid, MonitoringVisit.award_id, MonitoringVisit.evaluator_id,
                 *(getattr(MonitoringVisit, k) for k in service.VALUE_KEYS), MonitoringVisit.version)
#: the columns a merged visit sets, in the order of its ``stored`` values
_STORED = ("state", "visited_at", "attendees", "checklist", "ratings", "findings", "actions", "rubric_hash",
           "finalised_at", "version", "updated_at", "device", "package_fingerprint")


def merge(s: Session, program_id: int, evaluator_id: int, evaluator: str, visits: list[dict[str, Any]], what: str,
          *, device: str, fingerprint: str) -> Merged:
    """Merge a package's monitoring visits (see the module's doc); nothing is audited here: the
    caller puts :attr:`Merged.changes` in the package's entry."""
    counts = {"added": 0, "updated": 0, "unchanged": 0, "kept_finalised": 0}
    if not visits:
        return Merged(counts, [])
    program = s.get(Program, program_id)
    uuids = [v["uuid"] for v in visits]
    if len(set(uuids)) != len(uuids):
        raise PackageRejected(msg("monitoring.package_visit_twice", "{package} names a monitoring visit twice; "
                                  "nothing of it was merged.", package=what))
    # plain rows, not ORM objects (a package carries thousands of visits): the awards with their
    # applications and tracks, and the office's copies of the visits, one query each
    awards = {a.uuid: a for a in s.execute(_AWARDS.where(Award.uuid.in_({v["award"] for v in visits})))}
    office = {v.uuid: v for v in s.execute(_VISITS.where(MonitoringVisit.uuid.in_(uuids)))}
    followed = set(s.execute(select(MonitoringVisit.award_id).where(MonitoringVisit.evaluator_id == evaluator_id))
                   .scalars())
    rubrics = _rubrics(s, program)
    plan: list[tuple[dict[str, Any], Any, Any]] = []  # (the package's visit, its award, the office's copy)
    for v in visits:
        app, award = v["application"][:40], awards.get(v["award"])
        if award is None or award.program_id != program.id:
            raise PackageRejected(msg("monitoring.package_no_award", "{package} carries a monitoring visit of "
                                      "application {app}, which has no award in this office database; nothing of it "
                                      "was merged.", package=what, app=app))
        if award.external_id != v["application"]:
            raise PackageRejected(msg("monitoring.package_wrong_award", "{package} names the award of {award} as one "
                                      "of {app}; nothing of it was merged.", package=what, award=award.external_id,
                                      app=app))
        if award.status in CLOSED_STATUSES:
            raise PackageRejected(msg("monitoring.package_award_closed", "{package} carries a monitoring visit of "
                                      "application {app}, whose award was {status} ({reason}); nothing of it was "
                                      "merged.", package=what, app=app, status=status_text(award.status),
                                      reason=award.status_reason))
        row = office.get(v["uuid"])
        if row is not None and row.evaluator_id != evaluator_id:
            raise PackageRejected(msg("monitoring.package_other_evaluator", "{package} names monitoring visit "
                                      "{sequence} of {app}, which at the office is another evaluator's; a package may "
                                      "change only the records of the evaluator who signed it ({evaluator}), so "
                                      "nothing of it was merged.", package=what, sequence=v["sequence"], app=app,
                                      evaluator=evaluator))
        if row is not None and row.award_id != award.id:
            raise PackageRejected(msg("monitoring.package_other_award", "{package} names a monitoring visit of {app} "
                                      "that at the office belongs to another award; nothing of it was merged.",
                                      package=what, app=app))
        if row is None and award.id not in followed:
            raise PackageRejected(msg("monitoring.package_not_assigned", "{package} carries a monitoring visit of "
                                      "application {app}, which is not assigned to {evaluator} for monitoring; nothing "
                                      "of it was merged.", package=what, app=app, evaluator=evaluator))
        acts = [Action(a["text"], F.parse_date(a.get("due_on")), bool(a.get("done"))) for a in v["actions"]]
        try:
            service.check_visit(rubrics.get(award.track), award,
                                visited_at=_when(v["visited_at"], what), attendees=v["attendees"],
                                checklist=v["checklist"], ratings=v["ratings"], actions=acts,
                                where=msg("monitoring.where.package_visit", "{package}: monitoring visit {sequence} of "
                                          "{app}", package=what, sequence=v["sequence"], app=app),
                                finalising=v["state"] == FINALISED)
        except ValidationError as exc:
            raise PackageRejected(msg("monitoring.nothing_merged", "{reason} Nothing of it was merged.",
                                      reason=exc.sentence)) from None
        plan.append((v, award, row))
    now = utcnow()
    changes, updates, inserts = [], [], []
    used: dict[int, set[int]] = {}
    fresh = {award.id for v, award, row in plan if row is None}
    if fresh:  # the sequences taken on the awards that gain a visit (one query, not one per visit)
        for award_id, seq in s.execute(select(MonitoringVisit.award_id, MonitoringVisit.sequence)
                                       .where(MonitoringVisit.award_id.in_(fresh))):
            used.setdefault(award_id, set()).add(seq)
    for v, award, row in plan:
        incoming = {k: v[k] for k in service.VALUE_KEYS}
        if row is not None:
            have = service.values(row)
            if {**have, "sequence": 0} == {**incoming, "sequence": 0}:
                counts["unchanged"] += 1
                continue
            if row.state == FINALISED:
                counts["kept_finalised"] += 1
                continue
            old, seq, version = have, row.sequence, max(int(v["version"]), (row.version or 0) + 1)
            counts["updated"] += 1
        else:
            taken = used.setdefault(award.id, set())
            seq = v["sequence"] if v["sequence"] not in taken else max(taken) + 1
            taken.add(seq)
            old, version = None, int(v["version"])
            counts["added"] += 1
        stored = {"state": v["state"], "visited_at": _when(v["visited_at"], what), "attendees": v["attendees"],
                  "checklist": v["checklist"], "ratings": v["ratings"], "findings": v["findings"],
                  "actions": v["actions"], "rubric_hash": v["rubric_hash"],
                  "finalised_at": now if v["state"] == FINALISED else None, "version": version, "updated_at": now,
                  "device": device, "package_fingerprint": fingerprint}
        values = tuple(stored[k] for k in _STORED)
        if row is not None:
            updates.append((*values, row.id))
        else:
            inserts.append((v["uuid"], award.id, evaluator_id, seq, v["plan_code"], None, *values))
        changes.append({"entity": "monitoring_visit", "uuid": v["uuid"], "application": award.external_id,
                        "old": old,
                        "new": service.values(SimpleNamespace(sequence=seq, plan_code=v["plan_code"], **stored))})
    # one executemany each, through the driver as the package's other records (not the ORM)
    bulk, table = Bulk(s), MonitoringVisit.__table__
    bulk.update(table, _STORED, updates)
    bulk.insert(table, ("uuid", "award_id", "evaluator_id", "sequence", "plan_code", "due_on", *_STORED), inserts)
    for obj in [o for o in s.identity_map.values() if isinstance(o, MonitoringVisit)]:
        s.expire(obj)  # (any copy the session holds is read again from the database when next used)
    return Merged(counts, changes)


__all__ = ["Merged", "install", "kit_part", "merge", "package_part", "read_package_part"]
