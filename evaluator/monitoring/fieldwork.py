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
  each visit is handed back for the package's one ``merge_package`` audit entry
  (``evaluator.packages.merge``) as the score merge audits its records: a visit the office had
  nothing of — a new one keeping its number, or a planned visit (the plan's empty skeleton) filled
  for the first time — **by reference** (``added``: its uuid and application; its values are the
  package's ``data.json``, kept as evidence and named by its hash in the entry); a visit whose
  office copy held something (recorded or corrected at the office, merged from an earlier
  package) or that the merge renumbered, with its old and new values (``changed``: the entry
  seals the personal ones).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any, NamedTuple

from sqlalchemy import TextClause, select, text
from sqlalchemy.orm import Session

from ..awards.model import CLOSED_STATUSES, status_text
from ..db.models import Application, Award, Evaluator, MonitoringVisit, Program, utcnow
from ..db.settings import set_setting
from ..packages import formats as F
from ..packages.bulk import Bulk
from ..packages.errors import KitRejected, PackageRejected
from ..packages.ownership import json_list
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
            if type(a) is not dict or type(a.get("text")) is not str or not _a_date(a.get("due_on")):
                F.need(a, "text", str, f"data.json monitoring_visits[{i}].actions[{j}]")
                F.need_date(a, "due_on", f"data.json monitoring_visits[{i}].actions[{j}]")
        out.append(v)
    return out


def _a_date(v: Any) -> bool:
    """None, or a date as ``F.need_date`` accepts it."""
    if v is None:
        return True
    try:
        return type(v) is str and bool(date.fromisoformat(v))
    except ValueError:
        return False


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
    each visit it wrote as an item of the package's audit entry: in ``changes`` (``merge_package``'s
    ``changed``: entity, uuid, application, old — None for a visit added — and new values), or, for
    a visit the office had nothing of, in ``added`` (``[entity, uuid, application]``: its values are
    the package's kept ``data.json``)."""

    counts: dict[str, int]
    changes: list[dict[str, Any]]
    added: list[list[str]] = field(default_factory=list)


def _rubrics(s: Session, program: Program) -> dict[str, Rubric]:
    """``service.monitoring_rubrics``, each plan's rubric texts parsed once (not once per package)."""
    doc = service.plan_document(s, program) or {}
    return _parsed(tuple(sorted((t, r["source"], r["file"]) for t, r in (doc.get("rubrics") or {}).items())))


@functools.lru_cache(maxsize=8)
def _parsed(rubrics: tuple[tuple[str, str, str], ...]) -> dict[str, Rubric]:
    return {track: parse_rubric(source, source_name=file) for track, source, file in rubrics}


class _Award(NamedTuple):
    """An award a package's visits name, with its application and track."""

    uuid: str
    id: int
    status: str
    status_reason: str
    agreed_on: Any  # a date (on SQLite read as the text it is stored as, then converted)
    program_id: int
    external_id: str
    track: str


class _Office(NamedTuple):
    """The office's copy of a visit a package names: what ``service.values`` reads, and whose it
    is — the time and the JSON columns as the driver gives them (on SQLite: the text stored),
    read only for a copy that holds something (:func:`_read`): a planned visit, the bulk of a
    merge, holds nothing."""

    uuid: str
    id: int
    award_id: int
    evaluator_id: int | None
    sequence: int
    plan_code: str
    state: str
    visited_at: Any
    attendees: str
    checklist: Any
    ratings: Any
    findings: str
    actions: Any
    rubric_hash: str
    version: int
    skeleton: bool  # the plan's empty skeleton (:func:`_skeleton_sql`)


_QUERIES: dict[str, tuple[TextClause, TextClause]] = {}


def _queries(dialect: str) -> tuple[TextClause, TextClause]:
    """The awards and the office's visits a package names, each list of uuids bound as one JSON
    array (the list drives the join: an index lookup per uuid, and no statement of thousands of
    parameters to build)."""
    got = _QUERIES.get(dialect)
    if got is None:
        listed = ("json_each(:uuids) AS named" if dialect == "sqlite"
                  else "json_array_elements_text(CAST(:uuids AS json)) AS named(value)")
        got = _QUERIES[dialect] = (
            text(f"SELECT w.uuid, w.id, w.status, w.status_reason, w.agreed_on, a.program_id, a.external_id, t.code "
                 f"FROM {listed} JOIN award w ON w.uuid = named.value JOIN application a ON a.id = w.application_id "
                 f"JOIN track t ON t.id = a.track_id"),
            text(f"SELECT v.uuid, v.id, v.award_id, v.evaluator_id, v.sequence, v.plan_code, v.state, v.visited_at, "
                 f"v.attendees, v.checklist, v.ratings, v.findings, v.actions, v.rubric_hash, v.version, "
                 f"CASE WHEN {_skeleton_sql(dialect, 'v.')} THEN 1 ELSE 0 END "
                 f"FROM {listed} JOIN monitoring_visit v ON v.uuid = named.value"))
    return got


def _skeleton_sql(dialect: str, col: str = "") -> str:
    """The SQL condition that a monitoring visit (its columns prefixed ``col``) is the plan's empty
    skeleton, as ``monitoring assign`` and ``add_visit`` make it: planned, nothing recorded.  A
    package filling it adds what the office never had.  (One rule for the merge's read of the
    office's copies and for its write of planned visits all at once, :func:`_fill_planned`.)"""
    def blank(c: str) -> str:
        return f"COALESCE({col}{c}, '') = ''"

    def empty(c: str) -> str:  # (a JSON column: its text as stored; not IN (…), which SQLite makes a
        # table of each time the statement runs, i.e. for each row of an executemany)
        stored = f"{col}{c}" if dialect == "sqlite" else f"CAST({col}{c} AS TEXT)"
        return "(" + " OR ".join(f"COALESCE({stored}, '') = '{e}'" for e in ("", "{}", "[]", "null")) + ")"

    return " AND ".join([f"{col}state = '{PLANNED}'", f"{col}visited_at IS NULL",
                         *map(blank, ("attendees", "findings", "rubric_hash")),
                         *map(empty, ("checklist", "ratings", "actions"))])


#: a planned visit filled by a package, on SQLite (:func:`_fill_planned`): the values of ``_STORED``
#: (its version at least one above the office's), written only where the visit is the signer's, of
#: the named award, under the same number and plan code, and still the plan's empty skeleton
_FILL_SQLITE = (
    "UPDATE monitoring_visit SET state = ?, visited_at = ?, attendees = ?, checklist = ?, ratings = ?, findings = ?, "
    "actions = ?, rubric_hash = ?, finalised_at = ?, version = max(?, version + 1), updated_at = ?, device = ?, "
    "package_fingerprint = ? WHERE uuid = ? AND evaluator_id = ? AND award_id = ? AND sequence = ? AND plan_code = ? "
    f"AND {_skeleton_sql('sqlite')}")


#: the columns a merged visit sets, in the order of its ``stored`` values
_STORED = ("state", "visited_at", "attendees", "checklist", "ratings", "findings", "actions", "rubric_hash",
           "finalised_at", "version", "updated_at", "device", "package_fingerprint")
#: a package's visit as compared with :func:`service.values` of the office's copy (sequence aside)
_COMPARED = ("plan_code", "state", "visited_at", "attendees", "checklist", "ratings", "findings", "actions",
             "rubric_hash")

def _read(row: _Office) -> _Office:
    """An office copy with its time and JSON columns as Python values."""
    def value(v: Any) -> Any:
        return json.loads(v) if isinstance(v, str) else v

    t = row.visited_at
    return row._replace(visited_at=datetime.fromisoformat(t) if isinstance(t, str) else t,
                        checklist=value(row.checklist), ratings=value(row.ratings), actions=value(row.actions))


def _same(v: Any) -> Any:
    return v


def _change(v: dict[str, Any], app: str, sequence: int, plan_code: str, visited_at: datetime | None,
            old: dict[str, Any] | None) -> dict[str, Any]:
    """A visit written with its values in the package's audit entry (``changed``): old and new."""
    new = service.values(SimpleNamespace(sequence=sequence, plan_code=plan_code, state=v["state"],
                                         visited_at=visited_at, attendees=v["attendees"], checklist=v["checklist"],
                                         ratings=v["ratings"], findings=v["findings"], actions=v["actions"],
                                         rubric_hash=v["rubric_hash"]))
    return {"entity": "monitoring_visit", "uuid": v["uuid"], "application": app, "old": old, "new": new}


def _award_of(v: dict[str, Any], awards: dict[str, _Award], program_id: int, what: str) -> _Award:
    """The award a package's visit names, refused (:class:`PackageRejected`) when the office has no
    such award in the program, it is another application's, or it was withdrawn or cancelled."""
    award = awards.get(v["award"])
    if award is None or award.program_id != program_id:
        raise PackageRejected(msg("monitoring.package_no_award", "{package} carries a monitoring visit of "
                                  "application {app}, which has no award in this office database; nothing of it "
                                  "was merged.", package=what, app=v["application"][:40]))
    app = award.external_id
    if app != v["application"]:
        raise PackageRejected(msg("monitoring.package_wrong_award", "{package} names the award of {award} as one "
                                  "of {app}; nothing of it was merged.", package=what, award=app,
                                  app=v["application"][:40]))
    if award.status in CLOSED_STATUSES:
        raise PackageRejected(msg("monitoring.package_award_closed", "{package} carries a monitoring visit of "
                                  "application {app}, whose award was {status} ({reason}); nothing of it was "
                                  "merged.", package=what, app=app, status=status_text(award.status),
                                  reason=award.status_reason))
    return award


def _checked_time(v: dict[str, Any], award: _Award, rubric: Rubric | None, what: str) -> datetime | None:
    """A package's visit checked against its award and monitoring rubric (``service.check_visit``,
    refused as :class:`PackageRejected`); its time."""
    visited_at = _when(v["visited_at"], what)
    try:
        service.check_visit(rubric, award, visited_at=visited_at, attendees=v["attendees"],
                            checklist=v["checklist"], ratings=v["ratings"],
                            actions=[Action(a["text"], F.parse_date(a.get("due_on"))) for a in v["actions"]]
                            if v["actions"] else (),
                            where=lambda: msg("monitoring.where.package_visit", "{package}: monitoring visit "
                                              "{sequence} of {app}", package=what, sequence=v["sequence"],
                                              app=award.external_id),
                            finalising=v["state"] == FINALISED)
    except ValidationError as exc:
        raise PackageRejected(msg("monitoring.nothing_merged", "{reason} Nothing of it was merged.",
                                  reason=exc.sentence)) from None
    return visited_at


def _fill_planned(bulk: Bulk, visits: list[dict[str, Any]], awards: dict[str, _Award], rubrics: dict[str, Rubric],
                  program_id: int, evaluator_id: int, what: str, *, now_stored: str, device: str,
                  fingerprint: str) -> Merged | None:
    """The common case on SQLite, in one statement: every visit of the package fills a planned
    visit of the signer's (the plan's empty skeleton, same number and plan code) — what the
    general pass of :func:`merge` would do for it, without reading the office's copies first:
    the UPDATE's own conditions check them on the row it writes.  None, with nothing written,
    as soon as one visit is otherwise (refused, new, numbered otherwise, recorded before): then
    the general pass decides, and says why in its order."""
    stamp = bulk.timestamp
    json_text = bulk.compact_json_text()  # (checklist and ratings are objects, actions a list: checked on opening)
    rows: list[tuple] = []
    added: list[list[str]] = []
    try:
        for v in visits:
            award = _award_of(v, awards, program_id, what)
            visited_at = _checked_time(v, award, rubrics.get(award.track), what)
            state = v["state"]
            rows.append((state, stamp(visited_at), v["attendees"], json_text(v["checklist"]), json_text(v["ratings"]),
                         v["findings"], json_text(v["actions"]), v["rubric_hash"],
                         now_stored if state == FINALISED else None, v["version"], now_stored, device, fingerprint,
                         v["uuid"], evaluator_id, award.id, v["sequence"], v["plan_code"]))
            added.append(["monitoring_visit", v["uuid"], award.external_id])
    except PackageRejected:
        return None
    if not bulk.update_all_or_none(MonitoringVisit.__table__, _FILL_SQLITE, rows):
        return None
    # each by reference: its values are the package's data.json, kept as evidence
    return Merged({"added": 0, "updated": len(rows), "unchanged": 0, "kept_finalised": 0}, [], added)


def merge(s: Session, program_id: int, evaluator_id: int, evaluator: str, visits: list[dict[str, Any]], what: str,
          *, device: str, fingerprint: str) -> Merged:
    """Merge a package's monitoring visits (see the module's doc); nothing is audited here: the
    caller puts :attr:`Merged.changes` and :attr:`Merged.added` in the package's entry."""
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
    bulk = Bulk(s)
    conn = bulk.conn
    awards_q, visits_q = _queries(conn.dialect.name)
    awards = {}
    days: dict[Any, Any] = {}  # (awards signed off together share their agreement date: each read once)
    for uuid_, id_, status, reason, agreed, program_id_, ext, track in bulk.rows(
            awards_q, {"uuids": json_list(list({v["award"] for v in visits}))}):
        if isinstance(agreed, str):
            agreed = days.get(agreed) or days.setdefault(agreed, date.fromisoformat(agreed))
        awards[uuid_] = _Award(uuid_, id_, status, reason, agreed, program_id_, ext, track)
    rubrics = _rubrics(s, program)
    now = utcnow()
    # the rows as the database stores them (on SQLite, the driver's: timestamps and JSON as text)
    json_text, stamp = (bulk.json_text(), bulk.timestamp) if bulk.sqlite else (_same, _same)
    now_stored = stamp(now)
    filled = _fill_planned(bulk, visits, awards, rubrics, program_id, evaluator_id, what, now_stored=now_stored,
                           device=device, fingerprint=fingerprint) if bulk.sqlite else None
    if filled is not None:
        _expire_visits(s)
        return filled
    office = {row[0]: _Office(*row) for row in bulk.rows(visits_q, {"uuids": json_list(uuids)})}
    followed: set[int] | None = None  # the awards the signer follows (asked when a visit is new at the office)
    changes: list[dict[str, Any]] = []
    added: list[list[str]] = []
    updates: list[tuple] = []
    fresh: list[tuple[dict[str, Any], _Award, datetime | None]] = []  # visits the office does not have yet
    for v in visits:  # one pass: every check, then the row it writes (all written at the end, or none)
        award = _award_of(v, awards, program_id, what)
        app = award.external_id
        row = office.get(v["uuid"])
        if row is None:
            if followed is None:
                followed = set(conn.execute(select(MonitoringVisit.award_id).distinct()
                                            .where(MonitoringVisit.evaluator_id == evaluator_id)).scalars())
            if award.id not in followed:
                raise PackageRejected(msg("monitoring.package_not_assigned", "{package} carries a monitoring visit "
                                          "of application {app}, which is not assigned to {evaluator} for monitoring; "
                                          "nothing of it was merged.", package=what, app=app, evaluator=evaluator))
        elif row.evaluator_id != evaluator_id:
            raise PackageRejected(msg("monitoring.package_other_evaluator", "{package} names monitoring visit "
                                      "{sequence} of {app}, which at the office is another evaluator's; a package may "
                                      "change only the records of the evaluator who signed it ({evaluator}), so "
                                      "nothing of it was merged.", package=what, sequence=v["sequence"], app=app,
                                      evaluator=evaluator))
        elif row.award_id != award.id:
            raise PackageRejected(msg("monitoring.package_other_award", "{package} names a monitoring visit of {app} "
                                      "that at the office belongs to another award; nothing of it was merged.",
                                      package=what, app=app))
        visited_at = _checked_time(v, award, rubrics.get(award.track), what)
        state = v["state"]
        if row is None:
            fresh.append((v, award, visited_at))
            continue
        if row.skeleton:  # a planned visit filled for the first time: the office loses nothing
            by_reference = v["sequence"] == row.sequence and v["plan_code"] == row.plan_code
            old = None if by_reference else service.values(_read(row))
        else:
            old, by_reference = service.values(_read(row)), False
            if all(old[k] == v[k] for k in _COMPARED):
                counts["unchanged"] += 1
                continue
            if row.state == FINALISED:
                counts["kept_finalised"] += 1
                continue
        counts["updated"] += 1
        version = max(v["version"], (row.version or 0) + 1)
        updates.append((state, stamp(visited_at), v["attendees"], json_text(v["checklist"]), json_text(v["ratings"]),
                        v["findings"], json_text(v["actions"]), v["rubric_hash"],
                        now_stored if state == FINALISED else None, version, now_stored, device, fingerprint, row.id))
        if by_reference:  # its values are the package's data.json, kept as evidence (the entry names its hash)
            added.append(["monitoring_visit", v["uuid"], app])
        else:
            changes.append(_change(v, app, row.sequence, row.plan_code, visited_at, old))
    inserts: list[tuple] = []
    if fresh:  # a visit beyond the plan: the next number free on its award (the numbers taken: one query)
        used: dict[int, set[int]] = {}
        for award_id, seq in conn.execute(select(MonitoringVisit.award_id, MonitoringVisit.sequence)
                                          .where(MonitoringVisit.award_id.in_({a.id for _, a, _ in fresh}))):
            used.setdefault(award_id, set()).add(seq)
        for v, award, visited_at in fresh:
            taken = used.setdefault(award.id, set())
            seq = v["sequence"] if v["sequence"] not in taken else max(taken) + 1
            taken.add(seq)
            counts["added"] += 1
            state = v["state"]
            inserts.append((v["uuid"], award.id, evaluator_id, seq, v["plan_code"], None, state, stamp(visited_at),
                            v["attendees"], json_text(v["checklist"]), json_text(v["ratings"]), v["findings"],
                            json_text(v["actions"]), v["rubric_hash"], now_stored if state == FINALISED else None,
                            v["version"], now_stored, device, fingerprint))
            if seq == v["sequence"]:  # by reference, as above
                added.append(["monitoring_visit", v["uuid"], award.external_id])
            else:  # renumbered: the entry says under which number
                changes.append(_change(v, award.external_id, seq, v["plan_code"], visited_at, None))
    # one executemany each, through the driver as the package's other records (not the ORM)
    table = MonitoringVisit.__table__
    bulk.update(table, _STORED, updates, converted=True)
    bulk.insert(table, ("uuid", "award_id", "evaluator_id", "sequence", "plan_code", "due_on", *_STORED), inserts,
                converted=True)
    _expire_visits(s)
    return Merged(counts, changes, added)


def _expire_visits(s: Session) -> None:
    """Any copy of a visit the session holds is read again from the database when next used."""
    for obj in [o for o in s.identity_map.values() if isinstance(o, MonitoringVisit)]:
        s.expire(obj)


__all__ = ["Merged", "install", "kit_part", "merge", "package_part", "read_package_part"]
