"""Data subjects' rights: everything held about an application's people in one file, a correction
of their contact data, and deletion (refused, with the reason, while a retention duty holds)."""

from __future__ import annotations

import base64
import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit.personal import Resolver
from ..db.models import (
    Application, Assignment, Attachment, AuditEvent, Award, Criterion, Decision, EligibilityGate, Evaluation,
    Evaluator, GateResult, MonitoringVisit, PackageReceipt, Score, SiteVisit, SupportEntry,
)
from ..errors import ValidationError
from ..version import __version__
from .access import entries as access_entries
from .models import PurgeRecord
from .retention import DueItem
from ..messages import Message, msg

FORMAT = "maeul-evaluator-subject-export"
#: the fields ``subject correct`` changes (the rest of an application comes from its intake sheet)
CORRECTABLE = ("representative", "phone", "email", "address")


def _iso(v: Any) -> Any:
    return v.isoformat() if isinstance(v, (date, datetime)) else v


def document(s: Session, app: Application) -> dict[str, Any]:
    """Everything this database holds about ``app``'s people, as one JSON-ready document."""
    resolver = Resolver(s)
    doc: dict[str, Any] = {
        "format": FORMAT, "format_version": 1, "app_version": __version__,
        "application": {"id": app.external_id, "uuid": app.uuid, "track": app.track.code, "title": app.title,
                        "group_name": app.group_name, "representative": app.representative, "phone": app.phone,
                        "email": app.email, "district": app.district, "neighbourhood": app.neighbourhood,
                        "address": app.address, "members": app.members, "requested_amount": app.requested_amount,
                        "self_contribution": app.self_contribution, "summary": app.summary,
                        "submitted_on": _iso(app.submitted_on), "status": app.status, "extra": dict(app.extra or {}),
                        "created_at": _iso(app.created_at), "updated_at": _iso(app.updated_at),
                        "purged_at": _iso(app.purged_at)},
    }
    evaluations, visits = [], []
    for a, e, code in s.execute(select(Assignment, Evaluation, Evaluator.code)
                                .join(Evaluator, Evaluator.id == Assignment.evaluator_id)
                                .outerjoin(Evaluation, Evaluation.assignment_id == Assignment.id)
                                .where(Assignment.application_id == app.id).order_by(Evaluator.code)):
        item: dict[str, Any] = {"evaluator": code, "conflict_type": a.conflict_type, "conflict_note": a.conflict_note,
                                "planned_visit_on": _iso(a.planned_visit_on)}
        if e is not None:
            item.update({"state": e.state, "finalised_at": _iso(e.finalised_at), "abstained": e.abstained,
                         "abstain_reason": e.abstain_reason, "comment": e.comment, "scores": [
                             {"criterion": crit, "level": sc.level, "points": sc.points, "comment": sc.comment}
                             for sc, crit in s.execute(select(Score, Criterion.code)
                                                       .join(Criterion, Criterion.id == Score.criterion_id)
                                                       .where(Score.evaluation_id == e.id)
                                                       .order_by(Criterion.position))]})
        evaluations.append(item)
    for v, code in s.execute(select(SiteVisit, Evaluator.code).join(Evaluator, Evaluator.id == SiteVisit.evaluator_id)
                             .where(SiteVisit.application_id == app.id).order_by(Evaluator.code)):
        visits.append({"evaluator": code, "visited_at": _iso(v.visited_at), "attendees": v.attendees,
                       "checklist": dict(v.checklist or {}), "notes": v.notes})
    doc["evaluations"] = evaluations
    doc["site_visits"] = visits
    doc["gates"] = [{"gate": code, "passed": g.passed, "note": g.note, "decided_by": g.decided_by}
                    for g, code in s.execute(select(GateResult, EligibilityGate.code)
                                             .join(EligibilityGate, EligibilityGate.id == GateResult.gate_id)
                                             .where(GateResult.application_id == app.id))]
    d = s.execute(select(Decision).where(Decision.application_id == app.id)).scalar_one_or_none()
    doc["decision"] = None if d is None else {
        "computed": d.computed, "rank": d.computed_rank, "score": d.computed_score, "override": d.override,
        "override_reason": d.override_reason, "overridden_by": d.overridden_by}
    award = s.execute(select(Award).where(Award.application_id == app.id)).scalar_one_or_none()
    doc["award"] = None if award is None else {
        "amount": award.amount, "status": award.status, "status_reason": award.status_reason,
        "agreed_on": _iso(award.agreed_on), "starts_on": _iso(award.starts_on), "ends_on": _iso(award.ends_on),
        "monitoring_visits": [
            {"sequence": m.sequence, "evaluator": code, "state": m.state, "visited_at": _iso(m.visited_at),
             "attendees": m.attendees, "checklist": dict(m.checklist or {}), "ratings": dict(m.ratings or {}),
             "findings": m.findings, "actions": list(m.actions or [])}
            for m, code in s.execute(select(MonitoringVisit, Evaluator.code)
                                     .outerjoin(Evaluator, Evaluator.id == MonitoringVisit.evaluator_id)
                                     .where(MonitoringVisit.award_id == award.id).order_by(MonitoringVisit.sequence))],
        "support": [{"held_on": _iso(e.held_on), "kind": e.kind, "topic": e.topic, "given_by": e.given_by,
                     "attendees": e.attendees, "note": e.note}
                    for e in s.execute(select(SupportEntry).where(SupportEntry.award_id == award.id)
                                       .order_by(SupportEntry.held_on, SupportEntry.id)).scalars()]}
    photos = []
    visit_numbers = dict(s.execute(select(MonitoringVisit.id, MonitoringVisit.sequence).where(
        MonitoringVisit.award_id == award.id)).all()) if award is not None else {}
    for a in s.execute(select(Attachment).where(Attachment.application_id == app.id).order_by(Attachment.id)).scalars():
        photos.append({"monitoring_visit": visit_numbers.get(a.monitoring_visit_id),  # None: an evaluation's photo
                       "filename": a.filename, "media_type": a.media_type, "size": a.size, "sha256": a.sha256,
                       "caption": a.caption, "deleted": a.deleted, "created_at": _iso(a.created_at),
                       "data_base64": base64.b64encode(bytes(a.data)).decode("ascii") if a.data is not None else None})
    doc["photos"] = photos
    uuids = {app.uuid} | {u for (u,) in s.execute(select(Evaluation.uuid).join(
        Assignment, Assignment.id == Evaluation.assignment_id).where(Assignment.application_id == app.id))}
    uuids |= {u for (u,) in s.execute(select(SiteVisit.uuid).where(SiteVisit.application_id == app.id))}
    if award is not None:
        uuids |= {award.uuid} | {u for (u,) in s.execute(select(MonitoringVisit.uuid)
                                                           .where(MonitoringVisit.award_id == award.id))}
    uuids |= {u for (u,) in s.execute(select(Assignment.uuid).where(Assignment.application_id == app.id))}
    uuids |= {u for (u,) in s.execute(select(Score.uuid).join(Evaluation, Evaluation.id == Score.evaluation_id)
                                      .join(Assignment, Assignment.id == Evaluation.assignment_id)
                                      .where(Assignment.application_id == app.id))}
    trail = []
    for e in s.execute(select(AuditEvent).order_by(AuditEvent.id).execution_options(yield_per=2000)).scalars():
        about = e.entity_uuid in uuids or (isinstance(e.new, dict) and e.new.get("application") == app.external_id)
        if about:
            trail.append({"id": e.id, "at": _iso(e.at), "actor": e.actor, "action": e.action, "entity": e.entity,
                          "old": resolver.resolve(e.old), "new": resolver.resolve(e.new), "reason": e.reason})
        elif e.action == "merge_package" and isinstance(e.new, dict):
            # a package's one entry holds the records of many groups: only this group's — those it
            # changed read back from the entry, those it added from the package's kept data.json
            mine = [item for item in e.new.get("changed") or ()
                    if isinstance(item, dict) and item.get("application") == app.external_id]
            added = [item for item in e.new.get("added") or ()
                     if isinstance(item, list) and len(item) == 3 and item[2] == app.external_id]
            if mine or added:
                new: dict[str, Any] = {}
                if mine:
                    new["changed"] = resolver.resolve(mine)
                if added:
                    new["added"] = _added_records(s, e.entity_uuid, added)
                trail.append({"id": e.id, "at": _iso(e.at), "actor": e.actor, "action": e.action,
                              "entity": e.entity, "old": None, "new": new, "reason": e.reason})
    doc["audit_trail"] = trail
    doc["access_log"] = [x.as_dict() for x in access_entries(s, subject=app.external_id)]
    doc["purges"] = [{"at": _iso(p.at), "actor": p.actor, "kind": p.kind, "rule": p.rule}
                     for p in s.execute(select(PurgeRecord).order_by(PurgeRecord.id)).scalars()
                     if app.external_id in (p.subjects or ())]
    return doc


#: the lists of a package's data.json whose records a merge entry's ``added`` names
_EVIDENCE_RECORDS = ("evaluations", "site_visits", "attachments", "monitoring_visits", "monitoring_photos")


def _added_records(s: Session, receipt: str | None, added: list[list[str]]) -> list[dict[str, Any]]:
    """The records a merged package added (``[entity, uuid, application]``), each with its values
    as the package's data.json kept as evidence holds them (re-written without the people's values
    by a purge since; None when the evidence is gone)."""
    from ..packages.archive import unstore
    from ..packages.models import PackageEvidence

    records: dict[str, Any] = {}
    row = s.execute(select(PackageEvidence.data_method, PackageEvidence.data)
                    .join(PackageReceipt, PackageReceipt.id == PackageEvidence.receipt_id)
                    .where(PackageReceipt.uuid == receipt)).first() if receipt else None
    if row is not None:
        try:
            data = json.loads(unstore(row.data_method, bytes(row.data)))
        except (ValueError, TypeError):
            data = {}
        wanted = {uuid for _, uuid, _ in added}
        for k in _EVIDENCE_RECORDS:
            for x in (data.get(k) or ()) if isinstance(data, dict) else ():
                if isinstance(x, dict) and x.get("uuid") in wanted:
                    records[x["uuid"]] = x
    return [{"entity": entity, "uuid": uuid, "application": ext, "values": records.get(uuid)}
            for entity, uuid, ext in added]


def correct(app: Application, field: str, value: str) -> tuple[str, str]:
    """Set one contact field of ``app`` (validated as the intake sheet validates it); (old, new)."""
    from ..excel.normalise import BadValue, clean_text, parse_email, parse_phone

    if field not in CORRECTABLE:
        raise ValidationError(msg("privacy.not_correctable", "'{field}' cannot be corrected here; use one of "
                                  "{fields} (the rest of an application comes from its intake sheet: import the "
                                  "corrected sheet).", field=field, fields=", ".join(CORRECTABLE)))
    if app.purged_at is not None:
        raise ValidationError(msg("privacy.destroyed_nothing_to_correct", "Application {app}: its personal data was "
                                  "destroyed on {date:%Y-%m-%d}; there is nothing left to correct.",
                                  app=app.external_id, date=app.purged_at))
    parser = {"phone": parse_phone, "email": parse_email}.get(field, clean_text)
    try:
        new = parser(value) if value else ""
    except BadValue as exc:
        raise ValidationError(msg("privacy.correction_refused", "Application {app}, {field}: {reason}; nothing was "
                                  "changed.", app=app.external_id, field=field,
                                  reason=exc.args[0] if exc.args else str(exc))) from None  # (a message stays one)
    new = "" if new is None else str(new)
    old = getattr(app, field) or ""
    setattr(app, field, new)
    return old, new


def refusal(item: DueItem, today: date) -> Message | None:
    """Why ``item``'s people cannot be deleted today (a retention duty holds), or None."""
    if item.until is None:
        return msg("privacy.kept_not_started", "Application {app} cannot be deleted yet: its records must be kept "
                   "({rule}), and that period has not started (the selection is not signed off, or the project has "
                   "not ended).", app=item.application_id, rule=item.rule)
    if item.until > today:
        return msg("privacy.kept_until", "Application {app} cannot be deleted before {until:%Y-%m-%d}: its records "
                   "must be kept until then ({rule}).", app=item.application_id, until=item.until, rule=item.rule)
    return None


__all__ = ["CORRECTABLE", "FORMAT", "correct", "document", "refusal"]
