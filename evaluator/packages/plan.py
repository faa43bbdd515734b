"""What a merge writes for one package, decided record by record — no database access here.

:func:`merge._load_office` read the signing evaluator's records at the office and
:func:`ownership.check` paired each of the package's records with the evaluator's assignment; the
functions below decide, per record (with *D* the package's laptop):

* not at the office yet → added;
* *D*'s version not newer than the last one merged from *D* → unchanged (a re-sent record);
* same content as the office's → unchanged;
* the office still holds *D*'s previous value (or an empty evaluation) → updated;
* otherwise the record was changed elsewhere too (another laptop of the same evaluator, or the
  office) → a **conflict**, reported with both values and resolved by the rule: a finalised
  evaluation beats a draft; otherwise the later change wins; on equal times the larger laptop id.

Photos are added, never in conflict; a photo deleted on the laptop is marked deleted, and a package
never brings back a photo the office deleted.  The rows to write collect in a :class:`Plan`, in the
order :func:`merge._write` writes them (ids and the audit entry come out the same on every run).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..domain import FINALISED
from . import formats as F
from ..messages import Message, msg
from .errors import PackageRejected
from .incoming import _UNSCORED, _RubricCheck, _incoming
from .ownership import Assignment, OfficeRow

EPOCH = datetime(1970, 1, 1)
RULE_EVALUATION = ("a finalised evaluation beats a draft; otherwise the later change wins; on equal times the "
                   "larger device id")
RULE_VISIT = "the later change wins; on equal times the larger device id"


class Counts:
    """Records added, updated and unchanged, per kind (the merge report's ``counts``)."""

    def __init__(self) -> None:
        self.data: dict[str, dict[str, int]] = {
            k: {"added": 0, "updated": 0, "unchanged": 0}
            for k in ("evaluations", "scores", "site_visits", "attachments")
        }
        self.data["scores"]["removed"] = 0

    def add(self, kind: str, what: str, n: int = 1) -> None:
        self.data[kind][what] += n

    def total(self, what: str) -> int:
        return sum(v.get(what, 0) for v in self.data.values())


@dataclass
class Office:
    """The signing evaluator's records at the office (read by ``merge._load_office``)."""

    assignments: dict[str, Assignment]  # by application ID
    checks: dict[int, _RubricCheck]  # by track id
    criteria: dict[int, dict[str, int]]  # by track id: criterion code -> id
    crit_code: dict[int, str]  # criterion id -> code
    evaluations: dict[int, Any]  # by assignment id
    scores: dict[int, dict[int, Any]]  # by evaluation id, then criterion id
    site_visits: dict[int, Any]  # by application id
    lineage: dict[tuple[str, int], Any]  # (entity, record id) -> this laptop's last merged version and hash
    #: every uuid the package names, by kind, and the office rows of those uuids: kind -> uuid -> row
    uuids: dict[str, list[str]]
    named: dict[str, dict[str, OfficeRow]]


@dataclass
class Plan:
    """The rows one package writes, and what its report and audit entry say."""

    what: str | Message  # "Package NAME" (for sentences)
    evaluator_id: int
    evaluator: str
    device: str
    fingerprint: str
    sqlite: bool  # rows carry their timestamps in the form the database stores
    now: datetime
    counts: Counts = field(default_factory=Counts)
    skipped: list[str] = field(default_factory=list)  # in English: the receipt and the audit entry keep it
    #: the same, as messages: the report shows them in the language in effect
    skipped_messages: list[Message] = field(default_factory=list)
    #: for the audit entry: records added (their values are the package's data.json, kept as
    #: evidence and named by its hash) and records changed, with their old and new values
    added: list[list[str]] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    eval_new: list[tuple] = field(default_factory=list)
    eval_upd: list[tuple] = field(default_factory=list)
    #: new evaluations' scores, written once the evaluation's id is known: (assignment id, criterion ids, scores)
    new_evaluations: list[tuple[int, dict[str, int], list[tuple]]] = field(default_factory=list)
    score_new: list[tuple] = field(default_factory=list)
    score_upd: list[tuple] = field(default_factory=list)
    score_del: list[int] = field(default_factory=list)
    visit_new: list[tuple] = field(default_factory=list)
    visit_upd: list[tuple] = field(default_factory=list)
    att_new: list[tuple] = field(default_factory=list)
    att_upd: list[tuple] = field(default_factory=list)
    #: photos deleted on the laptop: their bytes go at the office too
    att_forget: list[int] = field(default_factory=list)
    lin_new: list[tuple] = field(default_factory=list)
    lin_upd: list[tuple] = field(default_factory=list)
    #: lineage of records added by this package: (entity, assignment/application id, version, hash)
    lin_pending: list[tuple[str, int, int, str]] = field(default_factory=list)

    def remember(self, lineage: dict[tuple[str, int], Any], entity: str, record_id: int, version: int,
                 digest: str) -> None:
        """This laptop's version and content hash of a record, as merged now."""
        old = lineage.get((entity, record_id))
        if old is None:
            self.lin_new.append((entity, record_id, self.evaluator_id, self.device, version, digest))
        else:
            self.lin_upd.append((version, digest, old.id))

    def conflict(self, asg: Assignment, entity: str, cur: Any, rule: str, incoming_wins: bool,
                 office_side: dict[str, Any], package_side: dict[str, Any]) -> None:
        self.conflicts.append({
            "application_id": asg.application_id, "ext": asg.ext, "entity": entity, "record_id": cur.id,
            "record_uuid": cur.uuid, "kept_from": "package" if incoming_wins else "office",
            "kept": package_side if incoming_wins else office_side,
            "other": office_side if incoming_wins else package_side, "rule": rule})


def side(device: str, version: int, updated_at: datetime | None, values: dict[str, Any]) -> dict[str, Any]:
    return {"device": device, "version": version, "updated_at": F.iso(updated_at), "values": values}


def _eval_values(state: str, abstained: bool, reason: str, comment: str, scores: dict[str, tuple],
                 finalised_at: datetime | None) -> dict[str, Any]:
    return F.evaluation_values(state, abstained, reason, comment,
                               {c: F.score_value(lv, p, m) for c, (lv, p, m) in scores.items()}, F.iso(finalised_at))


def _compact(state: str, abstained: bool, reason: str, comment: str, scores: dict[str, tuple]) -> dict[str, Any]:
    """An evaluation as the audit entry of a merge records it: scores as [level, points, comment]."""
    return {"state": state, "abstained": abstained, "abstain_reason": reason, "comment": comment,
            "scores": {c: [lv, p, m] for c, (lv, p, m) in scores.items()}}


# --- evaluations (with their abstention) and their scores -------------------------------------------
def evaluations(plan: Plan, records: list[tuple[dict[str, Any], Assignment]], office: Office) -> None:
    n_added = n_scores_added = 0
    for e, asg in records:
        chk = office.checks[asg.track_id]
        h_in = _checked_hash(plan, chk, e, asg)
        cur = office.evaluations.get(asg.id)
        if cur is None:  # a new evaluation (the bulk of a first merge): every score is added
            plan.eval_new.append(_eval_row(plan, e, asg.id))
            plan.new_evaluations.append((asg.id, chk.ids, e["scores"]))  # rows made once its id is known
            n_added += 1
            n_scores_added += len(e["scores"])
            plan.lin_pending.append(("evaluation", asg.id, e["version"], h_in))
            plan.added.append(["evaluation", e["uuid"], asg.ext])
        else:
            _evaluation_at_the_office(plan, e, asg, cur, h_in, office)
    plan.counts.add("evaluations", "added", n_added)
    plan.counts.add("scores", "added", n_scores_added)


def _checked_hash(plan: Plan, chk: _RubricCheck, e: dict[str, Any], asg: Assignment) -> str:
    """The evaluation's content hash, once its scores are valid for the rubric (and a finalised
    one has every required score)."""
    h_in = chk.checked_hash(e)
    if h_in is not None:
        return h_in
    # something is off: the plain checks say what (or pass, for an unusual score)
    incoming = _incoming(e)
    if not chk.valid.issuperset([(code, lv, p) for code, (lv, p, _m) in incoming.items()]):
        for code, (lv, p, _m) in incoming.items():  # the first score that is wrong, in order
            if (code, lv, p) not in chk.valid:
                problem = chk.problem(code, lv, p)
                if problem:
                    raise PackageRejected(msg("packages.evaluation_score", "{what}: the evaluation of {app} {problem}.",
                                              what=plan.what, app=asg.ext, problem=problem))
    if e["state"] == FINALISED and not e["abstained"] and \
            any(incoming.get(code, _UNSCORED)[1] is None for code in chk.required):
        raise PackageRejected(msg("packages.finalised_incomplete", "{what}: the evaluation of {app} is finalised but "
                                  "misses required scores.", what=plan.what, app=asg.ext))
    return F.evaluation_hash(e["state"], e["abstained"], e["abstain_reason"], e["comment"], incoming)


def _eval_row(plan: Plan, e: dict[str, Any], asg_id: int) -> tuple:
    if not plan.sqlite:
        return (e["uuid"], asg_id, e["state"], e["finalised_at"], e["abstained"], e["abstain_reason"],
                e["comment"], e["version"], e["updated_at"], plan.device, plan.fingerprint)
    fin = e["finalised_at"]  # as SQLite stores them (Bulk)
    return (e["uuid"], asg_id, e["state"], None if fin is None else fin.isoformat(" ", "microseconds"),
            1 if e["abstained"] else 0, e["abstain_reason"], e["comment"], e["version"],
            e["updated_at"].isoformat(" ", "microseconds"), plan.device, plan.fingerprint)


def _evaluation_at_the_office(plan: Plan, e: dict[str, Any], asg: Assignment, cur: Any, h_in: str,
                              office: Office) -> None:
    """An incoming evaluation the office already has: unchanged, updated or in conflict."""
    n_scores = len(e["scores"])
    crit_code = office.crit_code
    cur_scores = {crit_code[cid]: (r.level, r.points, r.comment or "")
                  for cid, r in office.scores.get(cur.id, {}).items()}
    h_cur = F.evaluation_hash(cur.state, cur.abstained, cur.abstain_reason, cur.comment, cur_scores)
    lin = office.lineage.get(("evaluation", cur.id))
    if lin is not None and e["version"] <= lin.version:
        plan.counts.add("evaluations", "unchanged")
        plan.counts.add("scores", "unchanged", n_scores)
        return
    if h_in == h_cur:
        plan.counts.add("evaluations", "unchanged")
        plan.counts.add("scores", "unchanged", n_scores)
    elif F.is_empty_evaluation(cur.state, cur.abstained, cur.comment, cur_scores) or \
            (lin is not None and lin.content_hash == h_cur):
        _update_evaluation(plan, e, asg, cur, cur_scores, office)
    else:
        cur_values = _eval_values(cur.state, cur.abstained, cur.abstain_reason, cur.comment, cur_scores,
                                  cur.finalised_at)
        mine = ((1 if e["state"] == FINALISED else 0), e["updated_at"], plan.device)
        theirs = ((1 if cur.state == FINALISED else 0), cur.updated_at or EPOCH, cur.device or "")
        incoming_wins = mine > theirs
        office_side = side(cur.device or "", cur.version, cur.updated_at, cur_values)
        package_side = side(plan.device, e["version"], e["updated_at"],
                            _eval_values(e["state"], e["abstained"], e["abstain_reason"], e["comment"],
                                         _incoming(e), e["finalised_at"]))
        if incoming_wins:
            _update_evaluation(plan, e, asg, cur, cur_scores, office)
        plan.conflict(asg, "evaluation", cur, RULE_EVALUATION, incoming_wins, office_side, package_side)
    plan.remember(office.lineage, "evaluation", cur.id, e["version"], h_in)


def _update_evaluation(plan: Plan, e: dict[str, Any], asg: Assignment, cur: Any, cur_scores: dict[str, tuple],
                       office: Office) -> None:
    plan.eval_upd.append((e["state"], e["finalised_at"], e["abstained"], e["abstain_reason"], e["comment"],
                          cur.version + 1, e["updated_at"], plan.device, plan.fingerprint, cur.id))
    _write_scores(plan, e, cur.id, office.checks[asg.track_id].ids, office.scores.get(cur.id, {}))
    plan.counts.add("evaluations", "updated")
    plan.changes.append({"entity": "evaluation", "uuid": cur.uuid, "application": asg.ext,
                         "old": _compact(cur.state, cur.abstained, cur.abstain_reason, cur.comment, cur_scores),
                         "new": _compact(e["state"], e["abstained"], e["abstain_reason"], e["comment"], _incoming(e))})


def _write_scores(plan: Plan, e: dict[str, Any], eval_id: int, ids: dict[str, int], existing: dict[int, Any]) -> None:
    """The scores of an updated evaluation: added, changed, unchanged or removed."""
    sqlite, ev, dev = plan.sqlite, plan.evaluator, plan.device
    if not existing:  # every score is added
        plan.score_new.extend(
            (eval_id, uuid, ids[code], level, points, comment, ev, version, text if sqlite else updated, dev)
            for uuid, code, level, points, comment, version, updated, text in e["scores"])
        plan.counts.add("scores", "added", len(e["scores"]))
        return
    seen = set()
    for uuid, code, level, points, comment, version, updated, text in e["scores"]:
        cid = ids[code]
        seen.add(cid)
        old = existing.get(cid)
        if old is None:
            plan.score_new.append((eval_id, uuid, cid, level, points, comment, ev, version,
                                   text if sqlite else updated, dev))
            plan.counts.add("scores", "added")
        elif (old.level, old.points, old.comment or "") != (level, points, comment):
            plan.score_upd.append((level, points, comment, old.version + 1, text if sqlite else updated, dev, old.id))
            plan.counts.add("scores", "updated")
        else:
            plan.counts.add("scores", "unchanged")
    for cid, old in existing.items():
        if cid not in seen:
            plan.score_del.append(old.id)
            plan.counts.add("scores", "removed")


# --- site visits (visit log, checklist answers) ------------------------------------------------------
def site_visits(plan: Plan, records: list[tuple[dict[str, Any], Assignment]], office: Office) -> None:
    for v, asg in records:
        rd = office.checks[asg.track_id].rd
        unknown = set(v["checklist"]) - {c.code for c in rd.checklist}
        if unknown:
            raise PackageRejected(msg("packages.unknown_checklist", "{what}: the site visit of {app} answers "
                                      "checklist items rubric '{rubric}' does not have ({items}).", what=plan.what,
                                      app=asg.ext, rubric=rd.code, items=", ".join(sorted(unknown))))
        values = F.visit_values(F.iso(v["visited_at"]), v["attendees"], v["checklist"], v["notes"])
        h_in = F.content_hash(values)
        cur = office.site_visits.get(asg.application_id)
        fields = (v["visited_at"], v["attendees"], values["checklist"], v["notes"], v["updated_at"], plan.device)
        if cur is None:
            plan.visit_new.append((v["uuid"], asg.application_id, plan.evaluator_id, v["version"]) + fields)
            plan.counts.add("site_visits", "added")
            plan.lin_pending.append(("site_visit", asg.application_id, v["version"], h_in))
            plan.added.append(["site_visit", v["uuid"], asg.ext])
        else:
            _visit_at_the_office(plan, v, asg, cur, values, fields, h_in, office)


def _visit_at_the_office(plan: Plan, v: dict[str, Any], asg: Assignment, cur: Any, values: dict[str, Any],
                         fields: tuple, h_in: str, office: Office) -> None:
    cur_values = F.visit_values(F.iso(cur.visited_at), cur.attendees, cur.checklist or {}, cur.notes)
    h_cur = F.content_hash(cur_values)
    lin = office.lineage.get(("site_visit", cur.id))

    if lin is not None and v["version"] <= lin.version:
        plan.counts.add("site_visits", "unchanged")
        return
    if h_in == h_cur:
        plan.counts.add("site_visits", "unchanged")
    elif lin is not None and lin.content_hash == h_cur:
        _update_visit(plan, asg, cur, cur_values, values, fields)
    else:
        incoming_wins = (v["updated_at"], plan.device) > (cur.updated_at or EPOCH, cur.device or "")
        office_side = side(cur.device or "", cur.version, cur.updated_at, cur_values)
        package_side = side(plan.device, v["version"], v["updated_at"], values)
        if incoming_wins:
            _update_visit(plan, asg, cur, cur_values, values, fields)
        plan.conflict(asg, "site_visit", cur, RULE_VISIT, incoming_wins, office_side, package_side)
    plan.remember(office.lineage, "site_visit", cur.id, v["version"], h_in)


def _update_visit(plan: Plan, asg: Assignment, cur: Any, cur_values: dict[str, Any], values: dict[str, Any],
                  fields: tuple) -> None:
    plan.visit_upd.append((cur.version + 1,) + fields + (cur.id,))
    plan.counts.add("site_visits", "updated")
    plan.changes.append({"entity": "site_visit", "uuid": cur.uuid, "application": asg.ext, "old": cur_values,
                         "new": values})


# --- photos and documents (additive; never in conflict) ----------------------------------------------
def attachments(plan: Plan, records: list[tuple[dict[str, Any], Assignment, OfficeRow | None]], office: Office,
                blobs: dict[str, bytes]) -> None:
    for a, asg, old in records:
        if old is None:
            cid = office.checks[asg.track_id].ids.get(a["criterion"]) if a["criterion"] else None
            plan.att_new.append((a["uuid"], asg.application_id, plan.evaluator_id, cid, a["filename"], a["media_type"],
                                 a["sha256"], a["size"], blobs.get(f"attachments/{a['sha256']}"), None, a["caption"],
                                 a["created_at"] or plan.now, a["deleted"]))
            plan.counts.add("attachments", "added")
            plan.added.append(["attachment", a["uuid"], asg.ext])
            continue
        # deleting is one way: a package never brings back a photo the office deleted (the laptop
        # that sends it again has simply not seen that deletion)
        deleted = bool(old.deleted) or a["deleted"]
        if (bool(old.deleted), old.caption or "") != (deleted, a["caption"]):
            plan.att_upd.append((deleted, a["caption"], old.id))
            if deleted:  # the office forgets a deleted photo's bytes too
                plan.att_forget.append(old.id)
            plan.counts.add("attachments", "updated")
            plan.changes.append({"entity": "attachment", "uuid": a["uuid"], "application": asg.ext,
                                 "old": {"deleted": bool(old.deleted), "caption": old.caption},
                                 "new": {"deleted": deleted, "caption": a["caption"]}})
        else:
            plan.counts.add("attachments", "unchanged")
