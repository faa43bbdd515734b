"""Importing evaluators, assignments and conflict-of-interest declarations from a workbook.

Every visible sheet whose header has an evaluator column is read.  A row with an evaluator and
no application defines (or updates) the evaluator; a row with an application assigns that
evaluator to it, or — when its conflict column holds a type (개인/업무/재정/기관/기타, a code, or
just Y/O) — declares a conflict instead.  Evaluator details may repeat on assignment rows; they
must agree.  Existing assignments are never removed by an import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..db.models import Application, Assignment, Evaluation, Evaluator, Program, Score
from ..errors import Problem
from ..messages import Message, msg
from ..jobs import NEVER, CancelToken, Progress, no_progress
from ..services import people
from .normalise import (
    BadValue, clean_id, clean_text, evaluator_district, parse_conflict, parse_date, parse_email, parse_phone,
)
from .results import AssignmentImportReport
from .safety import ExcelFileError
from .sheet import IGNORE, duplicate_fields, find_table, sheet_titles
from .vocab import ASSIGNMENTS

EVALUATOR_FIELDS = ("name", "organisation", "role", "email", "district", "phone")


_PARSERS = {
    "evaluator": clean_id, "name": clean_text, "organisation": clean_text, "role": clean_text,
    "email": parse_email, "district": evaluator_district, "phone": parse_phone, "application_id": clean_id,
    "planned_visit_on": parse_date, "conflict_type": parse_conflict, "conflict_note": clean_text,
}
_MAX = {"evaluator": 40, "name": 200, "organisation": 300, "role": 60, "email": 200, "district": 40, "phone": 60,
        "application_id": 60}


@dataclass
class PairRow:
    where: str
    sheet: str
    row: int
    application_id: str
    evaluator: str
    planned_visit_on: date | None
    conflict_type: str | None
    conflict_note: str


@dataclass
class ParsedAssignments:
    file: str
    sheets: list[str] = field(default_factory=list)
    rows: int = 0
    evaluators: dict[str, dict[str, Any]] = field(default_factory=dict)  # code → {field: value, "_where": …}
    pairs: list[PairRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def at(self, sheet: str, row: int, message: Message, field_key: str | None = None,
           params: dict[str, Any] | None = None) -> Problem:
        """A problem found after reading: located by sheet and row, and the field it is about; its code
        and params are the message's (``params`` when the sentence quotes more than the problem's fields)."""
        return Problem(message, params=params or {}, file=self.file, sheet=sheet, row=row, field=field_key)


def read_assignments(wb, file: str, *, progress: Progress = no_progress, cancel: CancelToken = NEVER) -> ParsedAssignments:
    out = ParsedAssignments(file)
    titles = sheet_titles(wb)
    seen_pairs: dict[tuple[str, str], str] = {}
    for n, title in enumerate(titles):
        table = find_table(wb, file, title, ASSIGNMENTS, min_matches=2, must_have=("evaluator",))
        if table is None:
            out.warnings.append(Problem(msg("assignments.no_table", "skipped: no header with an evaluator column "
                                            "(평가위원번호)"), file=file, sheet=title))
            continue
        out.sheets.append(title)
        out.problems += duplicate_fields(table)
        cols = []
        for c in table.columns:
            if c.field in _PARSERS:
                cols.append((c.index, c.field, _PARSERS[c.field], c))
            elif c.header and c.field != IGNORE:
                out.warnings.append(table.problem(msg("sheet.unknown_column", "unknown column, ignored"), column=c))
        sub = (lambda f, m, n=n: progress((n + f) / max(1, len(titles)), m))
        for rno, row in table.rows(progress=sub, cancel=cancel):
            out.rows += 1
            vals: dict[str, Any] = {}
            for idx, f, parse, c in cols:
                v = row[idx]
                if v is None or (type(v) is str and (not v or v.isspace())):
                    continue
                try:
                    pv = parse(v)
                except BadValue as exc:
                    out.problems.append(table.bad_value(exc, rno, c))
                    vals[f] = BadValue
                    continue
                if f in _MAX and pv is not None and len(pv) > _MAX[f]:
                    out.problems.append(table.problem(msg("value.too_long.short", "is longer than {limit} characters",
                                                          limit=_MAX[f]), code="value.too_long",
                                                      row=rno, column=c, params={"length": len(pv), "limit": _MAX[f]}))
                    vals[f] = BadValue
                    continue
                vals[f] = pv
            where = table.where(rno)
            code = vals.get("evaluator")
            if code is BadValue:
                continue
            if not code:
                ec = table.field_columns().get("evaluator")
                out.problems.append(table.problem(msg("assignments.evaluator_missing",
                                                      "the evaluator ID (평가위원번호) is missing"), row=rno, column=ec,
                                                  field="evaluator"))
                continue
            ev = out.evaluators.setdefault(code, {"_where": where, "_at": (title, rno)})
            for f in EVALUATOR_FIELDS:
                v = vals.get(f)
                if v is None or v is BadValue:
                    continue
                if f in ev and ev[f] != v:
                    out.problems.append(table.problem(
                        msg("assignments.evaluator_disagrees", "evaluator {evaluator} has {field} '{value}' here but "
                            "'{other}' in {other_where}", evaluator=code, field=f, value=v, other=ev[f],
                            other_where=ev["_where_" + f]),
                        row=rno, column=table.field_columns().get(f), field=f,
                        params={"evaluator": code, "value": v, "other": ev[f], "other_where": ev["_where_" + f]},
                    ))
                    continue
                ev[f], ev["_where_" + f] = v, where
            app = vals.get("application_id")
            if app is BadValue or any(vals.get(k) is BadValue for k in ("planned_visit_on", "conflict_type")):
                continue
            if not app:
                if vals.get("conflict_type") or vals.get("planned_visit_on"):
                    ac = table.field_columns().get("application_id")
                    out.problems.append(table.problem(msg("assignments.application_missing",
                                                          "the application ID (접수번호) is missing for this assignment"),
                                                      row=rno, column=ac, field="application_id"))
                continue
            key = (app, code)
            if key in seen_pairs:
                out.problems.append(table.problem(msg("assignments.duplicate_pair", "{evaluator} and application "
                                                      "{application_id} appear twice (also {first})", evaluator=code,
                                                      application_id=app, first=seen_pairs[key]), row=rno))
                continue
            seen_pairs[key] = where
            note = vals.get("conflict_note") or ""
            if note is BadValue:
                continue
            ctype = vals.get("conflict_type")
            if note and not ctype:
                out.warnings.append(table.problem(msg("assignments.note_without_conflict",
                                                      "a conflict note without a conflict type is ignored"), row=rno,
                                                  field="conflict_note"))
                note = ""
            out.pairs.append(PairRow(where, title, rno, app, code, vals.get("planned_visit_on"), ctype, note))
        if table.data_end is not None:
            out.warnings.append(table.data_end)
    # evaluator codes typed in another case (" ev06 ") mean the evaluator defined with details
    canon = {c.casefold(): c for c, v in out.evaluators.items() if any(f in v for f in EVALUATOR_FIELDS)}
    for c in list(out.evaluators):
        if c.casefold() in canon and canon[c.casefold()] != c and not any(f in out.evaluators[c] for f in EVALUATOR_FIELDS):
            del out.evaluators[c]
    for p in out.pairs:
        p.evaluator = canon.get(p.evaluator.casefold(), p.evaluator)
    if not out.sheets:
        raise ExcelFileError(msg(
            "assignments.no_table_found", "No evaluator or assignment table found in {file}: no sheet has a header "
            "row with 평가위원번호 (Evaluator ID) and 성명 (Name) or 접수번호 (Application ID).", file=file))
    return out


@dataclass
class AssignmentPlan:
    new_evaluators: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    changed_evaluators: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    unchanged_evaluators: list[str] = field(default_factory=list)
    assign: list[PairRow] = field(default_factory=list)
    assign_unchanged: list[PairRow] = field(default_factory=list)
    assign_redate: list[PairRow] = field(default_factory=list)
    conflicts_new: list[PairRow] = field(default_factory=list)
    conflicts_changed: list[PairRow] = field(default_factory=list)
    conflicts_unchanged: list[PairRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def plan_assignments(s: Session, program: Program, parsed: ParsedAssignments) -> AssignmentPlan:
    plan = AssignmentPlan()
    existing = {e.code: e for e in s.execute(select(Evaluator)).scalars()}
    folded = {c.casefold(): c for c in existing}
    for code in list(parsed.evaluators):
        known = folded.get(code.casefold())
        if code not in existing and known is not None:  # "ev01" in the sheet is EV01 in the database
            vals = parsed.evaluators.pop(code)
            parsed.evaluators.setdefault(known, vals)
            for p in parsed.pairs:
                if p.evaluator == code:
                    p.evaluator = known
    for code, vals in parsed.evaluators.items():
        given = {f: vals[f] for f in EVALUATOR_FIELDS if f in vals}
        ev = existing.get(code)
        if ev is None:
            if "name" not in given:
                plan.problems.append(parsed.at(*vals["_at"], msg(
                    "assignments.new_evaluator_needs_name", "evaluator {evaluator} does not exist yet; give their name "
                    "(성명) to add them", evaluator=code), "name"))
                continue
            plan.new_evaluators.append((code, given))
        else:
            changed = {f: v for f, v in given.items() if getattr(ev, f) != v}
            (plan.changed_evaluators.append((code, changed)) if changed else plan.unchanged_evaluators.append(code))
    app_ids = {p.application_id for p in parsed.pairs}
    apps: dict[str, int] = {}
    for i in range(0, len(app_ids), 500):
        chunk = sorted(app_ids)[i:i + 500]
        apps.update(s.execute(select(Application.external_id, Application.id).where(
            Application.program_id == program.id, Application.external_id.in_(chunk))).all())
    existing_pairs: dict[tuple[int, int], tuple[str | None, str, date | None, bool]] = {}
    for a_id, e_id, ctype, note, planned, scored in s.execute(
        select(Assignment.application_id, Assignment.evaluator_id, Assignment.conflict_type, Assignment.conflict_note,
               Assignment.planned_visit_on, Score.id.isnot(None))
        .outerjoin(Evaluation, Evaluation.assignment_id == Assignment.id)
        .outerjoin(Score, (Score.evaluation_id == Evaluation.id) & Score.points.isnot(None))
    ):
        prev = existing_pairs.get((a_id, e_id))
        existing_pairs[(a_id, e_id)] = (ctype, note or "", planned, bool(scored) or bool(prev and prev[3]))
    new_codes = {c for c, _ in plan.new_evaluators}
    for p in parsed.pairs:
        app_pk = apps.get(p.application_id)
        if app_pk is None:
            plan.problems.append(parsed.at(p.sheet, p.row, msg(
                "assignments.unknown_application", "there is no application '{application_id}' in program '{program}'",
                application_id=p.application_id, program=program.code), "application_id"))
            continue
        ev = existing.get(p.evaluator)
        if ev is None:
            if p.evaluator not in new_codes and p.evaluator not in parsed.evaluators:
                plan.problems.append(parsed.at(p.sheet, p.row, msg(
                    "assignments.unknown_evaluator", "there is no evaluator '{evaluator}'", evaluator=p.evaluator),
                    "evaluator"))
            cur = None
        else:
            cur = existing_pairs.get((app_pk, ev.id))
        if p.conflict_type is None:
            if cur is not None and cur[0] is not None:
                plan.problems.append(parsed.at(p.sheet, p.row, msg(
                    "assignments.conflict", "{evaluator} declared a {conflict_type} conflict of interest with "
                    "{application_id}; they cannot be assigned to it", evaluator=p.evaluator,
                    application_id=p.application_id, conflict_type=cur[0])))
            elif cur is None:
                plan.assign.append(p)
            elif p.planned_visit_on is not None and p.planned_visit_on != cur[2]:
                plan.assign_redate.append(p)
            else:
                plan.assign_unchanged.append(p)
        else:
            if cur is None or cur[0] is None:
                plan.conflicts_new.append(p)
                if cur is not None and cur[3]:
                    plan.warnings.append(parsed.at(p.sheet, p.row, msg(
                        "assignments.recusal_of_scored", "{evaluator} already scored {application_id}; the scores stay "
                        "on record but no longer count", evaluator=p.evaluator, application_id=p.application_id),
                        "conflict_type"))
            elif (cur[0], cur[1]) != (p.conflict_type, p.conflict_note):
                plan.conflicts_changed.append(p)
            else:
                plan.conflicts_unchanged.append(p)
    return plan


def apply_assignments(s: Session, program: Program, plan: AssignmentPlan, *, actor: str, device: str) -> None:
    evs: dict[str, Evaluator] = {e.code: e for e in s.execute(select(Evaluator)).scalars()}
    for code, given in plan.new_evaluators:
        ev = people.put_evaluator(s, code=code, name=given["name"], organisation=given.get("organisation", ""),
                                  role=given.get("role", ""), email=given.get("email", ""),
                                  district=given.get("district", ""), phone=given.get("phone", ""))
        audit.append(s, actor=actor, device=device, action="evaluator", entity="evaluator", entity_uuid=ev.uuid,
                     new={"code": code, "name": ev.name, "source": "excel"})
        evs[code] = ev
    for code, changed in plan.changed_evaluators:
        ev = evs[code]
        old = {f: getattr(ev, f) for f in changed}
        for f, v in changed.items():
            setattr(ev, f, v)
        audit.append(s, actor=actor, device=device, action="evaluator", entity="evaluator", entity_uuid=ev.uuid,
                     old=old, new={**changed, "code": code, "source": "excel"})
    ids = {p.application_id for p in plan.assign + plan.assign_redate + plan.conflicts_new + plan.conflicts_changed}
    apps: dict[str, Application] = {}
    for i in range(0, len(ids), 500):
        chunk = sorted(ids)[i:i + 500]
        apps.update({a.external_id: a for a in s.execute(select(Application).where(
            Application.program_id == program.id, Application.external_id.in_(chunk))).scalars()})
    for p in plan.assign + plan.assign_redate:
        people.assign(s, apps[p.application_id], evs[p.evaluator], actor=actor, planned_visit_on=p.planned_visit_on)
    for p in plan.conflicts_new + plan.conflicts_changed:
        people.declare_conflict(s, apps[p.application_id], evs[p.evaluator], conflict_type=p.conflict_type or "other",
                                note=p.conflict_note, actor=actor)
    s.flush()


def report(file: str, parsed: ParsedAssignments, plan: AssignmentPlan, dry_run: bool) -> AssignmentImportReport:
    def pairs(rows: list[PairRow]) -> tuple[tuple[str, str], ...]:
        return tuple((p.application_id, p.evaluator) for p in rows)

    return AssignmentImportReport(
        file=file, dry_run=dry_run, sheets=tuple(parsed.sheets), rows=parsed.rows,
        evaluators_added=tuple(c for c, _ in plan.new_evaluators),
        evaluators_updated=tuple(c for c, _ in plan.changed_evaluators),
        evaluators_unchanged=tuple(plan.unchanged_evaluators),
        assignments_added=pairs(plan.assign), assignments_unchanged=pairs(plan.assign_unchanged + plan.assign_redate),
        conflicts_added=pairs(plan.conflicts_new), conflicts_changed=pairs(plan.conflicts_changed),
        conflicts_unchanged=pairs(plan.conflicts_unchanged),
        warnings=tuple(parsed.warnings + plan.warnings),
    )
