"""The paper fallback: the score template out, typed-in scores back.

The template has one row per application × criterion for each assignment (of one evaluator, or
all), with the allowed values as data validation and the current score and its version filled in.
:func:`read_scores` / :func:`plan_scores` / :func:`apply_scores` bring a filled template — or a
scores export, which has the same key columns — back through :mod:`evaluator.services.scoring`,
so values are validated exactly like autosaves, versions advance and every change is audited.

Rules: a row with neither level nor value leaves the score as it is (an import never clears);
a finalised evaluation is locked (changed values there are an error; unchanged ones are fine); a
row whose version differs from the database's (the score changed since the sheet was made) is an
edit conflict; with any problem nothing is saved.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..db.models import Application, Assignment, Criterion, Evaluation, Evaluator, Program, Round, Score, Track
from ..domain import FINALISED
from ..errors import NotFound, Problem, ValidationError
from ..messages import Message, msg
from ..jobs import NEVER, CancelToken, Progress, no_progress
from ..rubric import Rubric as RubricDef
from ..services import scoring
from ..services.common import rubric_def
from .columns import SCORE_TEMPLATE, SCORES as SCORE_EXPORT
from .columns import sheet_title
from .normalise import (
    BadValue, clean_id, clean_multiline, clean_text, header_key, label_key, parse_number, strip_controls,
)
from .results import ExportReport, OpenEvaluation, ScoreChange, ScoreImportReport
from .safety import ExcelFileError
from .sheet import duplicate_fields, find_table, sheet_titles
from .vocab import SCORES as SCORE_VOCAB
from .writer import WorkbookWriter, read_meta

#: our own informational columns, headed by key (English layout) or Korean label: read quietly
#: past on import
_CONTEXT_COLUMNS = {header_key(h) for c in SCORE_TEMPLATE + SCORE_EXPORT
                    if c.key not in {"application_id", "evaluator", "criterion", "level", "value", "comment",
                                     "version", "conflict_type"}
                    for h in (c.key, c.ko)}


# --- template ------------------------------------------------------------------------------------
def _ranges(col: str, rows: list[int]) -> list[str]:
    out, start, prev = [], None, None
    for r in rows:
        if start is None:
            start = prev = r
        elif r == prev + 1:
            prev = r
        else:
            out.append(f"{col}{start}:{col}{prev}")
            start = prev = r
    if start is not None:
        out.append(f"{col}{start}:{col}{prev}")
    return out


def export_template(s: Session, program: Program, path, *, evaluator: str | None = None, round: Round | None = None,
                    lang: str = "ko", progress: Progress = no_progress, cancel: CancelToken = NEVER) -> ExportReport:
    """``lang`` "ko": Korean sheet title (``점수``) and headers; "en": keys, as schema 1 always had.
    With ``round``, only that round's applications (``_meta`` names the round)."""
    in_round = () if round is None else (Application.round_id == round.id,)
    q = (
        select(Assignment, Application, Evaluator, Track)
        .join(Application, Application.id == Assignment.application_id)
        .join(Evaluator, Evaluator.id == Assignment.evaluator_id)
        .join(Track, Track.id == Application.track_id)
        .where(Application.program_id == program.id, *in_round, Assignment.conflict_type.is_(None))
        .order_by(Evaluator.code, Application.external_id)
    )
    if evaluator:
        if s.execute(select(Evaluator.id).where(Evaluator.code == evaluator)).first() is None:
            raise NotFound(msg("scores.no_such_evaluator", "There is no evaluator '{evaluator}'.", evaluator=evaluator))
        q = q.where(Evaluator.code == evaluator)
    pairs = s.execute(q).all()
    current: dict[int, dict[int, Score]] = defaultdict(dict)
    states: dict[int, str] = {}
    for ev_row, sc in s.execute(
        select(Evaluation, Score).outerjoin(Score, Score.evaluation_id == Evaluation.id)
        .join(Assignment, Assignment.id == Evaluation.assignment_id)
        .join(Application, Application.id == Assignment.application_id)
        .where(Application.program_id == program.id, *in_round)
    ):
        states[ev_row.assignment_id] = ev_row.state
        if sc is not None:
            current[ev_row.assignment_id][sc.criterion_id] = sc
    book = WorkbookWriter(path, kind="template-scores", program=program.code, program_name=program.name_ko,
                          extra_meta={"evaluator": evaluator or "", **({"round": round.code} if round else {})},
                          cancel=cancel, lang=lang)
    sheet = book.sheet(sheet_title("scores", lang), SCORE_TEMPLATE, key="scores")
    level_rows: dict[tuple[str, ...], list[int]] = defaultdict(list)
    point_rows: dict[float, list[int]] = defaultdict(list)
    crit_cache: dict[int, dict[str, Criterion]] = {}
    n = len(pairs)
    for i, (asg, app, ev, track) in enumerate(pairs):
        if not i % 50:
            cancel.raise_if_cancelled()
            progress(i / max(1, n), f"{app.external_id} · {ev.code}")
        rd = rubric_def(track)
        crits = crit_cache.get(track.rubric_id)
        if crits is None:
            crits = crit_cache[track.rubric_id] = {
                c.code: c for c in s.execute(select(Criterion).where(Criterion.rubric_id == track.rubric_id)).scalars()}
        labels = tuple(lv.label_ko for lv in rd.levels)
        have = current.get(asg.id, {})
        for c in rd.criteria:
            sc = have.get(crits[c.code].id)
            r = sheet.rows + 2
            if c.scoring == "levels":
                allowed = "/".join(labels)
                level = rd.level(sc.level).label_ko if sc is not None and sc.level else None
                value = None
                level_rows[labels].append(r)
            else:
                allowed = f"0–{c.max_points:g}"
                level = None
                value = sc.points if sc is not None else None
                point_rows[c.max_points].append(r)
            sheet.row([app.external_id, ev.code, track.code, app.title, c.code, c.name_ko, c.max_points, allowed,
                       level, value, sc.comment if sc is not None and sc.comment else None,
                       sc.version if sc is not None else 0])
    for labels, rows in level_rows.items():
        dv = DataValidation(type="list", formula1='"' + ",".join(labels) + '"', allow_blank=True,
                            showErrorMessage=True, errorTitle="등급", error="수·우·미·양·가 중 하나를 고르세요.")
        dv.sqref = " ".join(_ranges("I", rows))  # type: ignore[assignment]
        sheet.ws.data_validations.append(dv)
    for mx, rows in point_rows.items():
        dv = DataValidation(type="decimal", operator="between", formula1="0", formula2=f"{mx:g}", allow_blank=True,
                            showErrorMessage=True, errorTitle="점수", error=f"0부터 {mx:g}까지의 점수를 입력하세요.")
        dv.sqref = " ".join(_ranges("J", rows))  # type: ignore[assignment]
        sheet.ws.data_validations.append(dv)
    path_out = book.save()
    progress(1.0, msg("progress.done", "Done"))
    return ExportReport(str(path_out), "template-scores", {sheet.title: sheet.rows})


# --- import --------------------------------------------------------------------------------------
@dataclass
class ScoreRow:
    row: int
    where: str
    application_id: str
    evaluator: str
    criterion: str
    level: str | None
    value: float | None
    comment: str | None
    version: int | None


@dataclass
class ParsedScores:
    file: str
    sheet: str
    meta: dict[str, Any]
    rows: list[ScoreRow] = field(default_factory=list)
    read: int = 0
    skipped_recused: int = 0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def at(self, r: ScoreRow, message: Message, field_key: str | None, params: dict[str, Any] | None = None,
           code: str | None = None) -> Problem:
        """A problem found when planning row ``r`` (located by its sheet and row, and the field it is about);
        its code and params are the message's unless given."""
        return Problem(message, code=code or "", params=params or {}, file=self.file, sheet=self.sheet, row=r.row,
                       field=field_key)


_MISSING_ID = msg("scores.application_id_missing", "the application ID (접수번호) is missing")
_MISSING_EVALUATOR = msg("scores.evaluator_missing", "the evaluator ID (평가위원번호) is missing")
_MISSING_CRITERION = msg("scores.criterion_missing", "the criterion (평가항목코드) is missing")


class _Clause(Message):
    """Another error's sentence quoted as a clause: without its final full stop, in any language."""

    __slots__ = ()

    def render(self, lang: str | None = None) -> str:
        return Message.render(self, lang).rstrip(".")


def _without_stop(exc: ValidationError) -> Message | str:
    sentence = exc.sentence
    if isinstance(sentence, Message):
        return _Clause(sentence.code, sentence.english, sentence.params)
    return exc.message.rstrip(".")


def read_scores(wb, file: str, *, progress: Progress = no_progress, cancel: CancelToken = NEVER) -> ParsedScores:
    meta = read_meta(wb)
    escaped = meta.get("text_escape") == "leading-apostrophe"
    table = None
    for title in sheet_titles(wb):
        table = find_table(wb, file, title, SCORE_VOCAB, min_matches=3,
                           must_have=("application_id", "evaluator", "criterion"))
        if table is not None:
            break
    if table is None:
        raise ExcelFileError(msg(
            "scores.no_table", "No score table found in {file}: no sheet has a header row with application_id "
            "(접수번호), evaluator (평가위원번호) and criterion (평가항목코드); use 'evaluator export template scores'.",
            file=file))
    out = ParsedScores(file, table.sheet, meta)
    out.problems += duplicate_fields(table)
    fc = table.field_columns()
    if "level" not in fc and "value" not in fc:
        out.problems.append(table.problem(msg("scores.no_score_column",
                                              "there is neither a level (등급) nor a value (점수) column"),
                                          row=table.header_row))
    for c in table.columns:
        if c.field is None and c.header and header_key(c.header) not in _CONTEXT_COLUMNS:
            out.warnings.append(table.problem(msg("sheet.unknown_column", "unknown column, ignored"), column=c))

    def text(v: Any) -> str:
        # our leading apostrophe off; the cleaners decode any _xHHHH_ escapes themselves (once)
        if escaped and type(v) is str and v.startswith("'"):
            v = v[1:]
        return v

    def col(f: str):
        c = fc.get(f)
        return (c.index, c) if c is not None else (None, None)

    ia, ca = col("application_id")
    ie, ce = col("evaluator")
    ic, cc = col("criterion")
    il, cl = col("level")
    iv, cv = col("value")
    im, cm = col("comment")
    iver, cver = col("version")
    ict, _ = col("conflict_type")
    seen: dict[tuple[str, str, str], int] = {}

    def blank(v: Any) -> bool:
        return v is None or (type(v) is str and (not v or v.isspace()))

    for rno, row in table.rows(progress=progress, cancel=cancel, label=msg("progress.reading_scores", "Reading scores")):
        out.read += 1
        if ict is not None and not blank(row[ict]):
            out.skipped_recused += 1
            continue
        bad = False
        keys = []
        for idx, c, missing in ((ia, ca, _MISSING_ID), (ie, ce, _MISSING_EVALUATOR), (ic, cc, _MISSING_CRITERION)):
            v = row[idx]
            if blank(v):
                out.problems.append(table.problem(missing, row=rno, column=c))
                bad = True
                keys.append("")
                continue
            try:
                keys.append(clean_id(text(v)))
            except BadValue as exc:
                out.problems.append(table.bad_value(exc, rno, c))
                bad = True
                keys.append("")
        level = value = comment = version = None
        if il is not None and not blank(row[il]):
            level = clean_text(text(row[il]))
        if iv is not None and not blank(row[iv]):
            try:
                value = parse_number(row[iv])
            except BadValue as exc:
                out.problems.append(table.bad_value(exc, rno, cv))
                bad = True
        if im is not None and not blank(row[im]):
            v = row[im]
            comment = strip_controls(text(v)) if escaped and type(v) is str else clean_multiline(v)
        if iver is not None and not blank(row[iver]):
            try:
                x = parse_number(row[iver])
                if x < 0 or not float(x).is_integer():
                    shown = "'" + str(row[iver]) + "'"
                    raise BadValue(msg("value.not_version", "{value} is not a version number", value=shown))
                version = int(x)
            except BadValue as exc:
                out.problems.append(table.bad_value(exc, rno, cver))
                bad = True
        if bad:
            continue
        key = (keys[0], keys[1], keys[2])
        if key in seen:
            out.problems.append(table.problem(msg("scores.duplicate_row", "{application_id} · {evaluator} · "
                                                  "{criterion} appears twice (also row {first_row})",
                                                  application_id=keys[0], evaluator=keys[1], criterion=keys[2],
                                                  first_row=seen[key]), row=rno))
            continue
        seen[key] = rno
        out.rows.append(ScoreRow(rno, table.where(rno), keys[0], keys[1], keys[2], level, value, comment, version))
    if table.data_end is not None:
        out.warnings.append(table.data_end)
    if out.skipped_recused:
        out.warnings.append(table.problem(msg("scores.recusals_skipped", "{count} {count:row|rows} of declared "
                                              "conflicts (recusals) {count:was|were} skipped",
                                              count=out.skipped_recused)))
    if out.read == 0:
        out.problems.append(table.problem(msg("sheet.no_rows.scores", "has a header in row {header_row} but no rows",
                                              header_row=table.header_row), code="sheet.no_rows"))
    return out


@dataclass
class PlannedScore:
    row: ScoreRow
    app: Application
    ev: Evaluator
    criterion: str
    level: str | None
    points: float | None
    comment: str | None
    expected_version: int | None
    old: dict[str, Any] | None


@dataclass
class ScorePlan:
    changes: list[PlannedScore] = field(default_factory=list)
    unchanged: int = 0
    blank: int = 0
    pairs: list[tuple[Application, Evaluator]] = field(default_factory=list)
    finalise: list[tuple[Application, Evaluator]] = field(default_factory=list)
    #: with finalise: the evaluations that stay open, each with the required criteria still unscored
    left_open: list[tuple[Application, Evaluator, tuple[str, ...]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _criterion(rd: RubricDef, text: str):
    for c in rd.criteria:
        if c.code == text:
            return c
    k = label_key(text)
    for c in rd.criteria:
        if k in (label_key(c.code), label_key(c.name_ko), label_key(c.name_en)):
            return c
    return None


def plan_scores(s: Session, program: Program, parsed: ParsedScores, *, finalise: bool = False) -> ScorePlan:
    plan = ScorePlan()
    if parsed.meta.get("program") and parsed.meta["program"] != program.code:
        plan.problems.append(Problem(msg(
            "scores.other_program", "this workbook belongs to program '{program}', but the database holds "
            "'{database_program}'", program=parsed.meta["program"], database_program=program.code), file=parsed.file))
        return plan
    app_ids = sorted({r.application_id for r in parsed.rows})
    ev_codes = sorted({r.evaluator for r in parsed.rows})
    apps: dict[str, Application] = {}
    for i in range(0, len(app_ids), 500):
        apps.update({a.external_id: a for a in s.execute(select(Application).where(
            Application.program_id == program.id, Application.external_id.in_(app_ids[i:i + 500]))).scalars()})
    evs = {e.code: e for e in s.execute(select(Evaluator).where(Evaluator.code.in_(ev_codes))).scalars()}
    asgs: dict[tuple[int, int], Assignment] = {}
    app_pks = [a.id for a in apps.values()]
    for i in range(0, len(app_pks), 500):
        for a in s.execute(select(Assignment).where(Assignment.application_id.in_(app_pks[i:i + 500]))).scalars():
            asgs[(a.application_id, a.evaluator_id)] = a
    current: dict[tuple[int, int], dict[str, Score]] = defaultdict(dict)
    crit_codes: dict[int, str] = {}
    for a in asgs.values():
        e = a.evaluation
        if e is not None:
            for sc in e.scores:
                if sc.criterion_id not in crit_codes:
                    crit_codes[sc.criterion_id] = sc.criterion.code
                current[(a.application_id, a.evaluator_id)][crit_codes[sc.criterion_id]] = sc
    touched: dict[tuple[int, int], tuple[Application, Evaluator]] = {}
    planned_points: dict[tuple[int, int], dict[str, float | None]] = defaultdict(dict)
    for r in parsed.rows:
        app, ev = apps.get(r.application_id), evs.get(r.evaluator)
        if app is None:
            plan.problems.append(parsed.at(r, msg("scores.unknown_application", "there is no application "
                                                  "'{application_id}' in program '{program}'",
                                                  application_id=r.application_id, program=program.code),
                                           "application_id"))
            continue
        if ev is None:
            plan.problems.append(parsed.at(r, msg("scores.unknown_evaluator", "there is no evaluator '{evaluator}'",
                                                  evaluator=r.evaluator), "evaluator"))
            continue
        a = asgs.get((app.id, ev.id))
        if a is None:
            plan.problems.append(parsed.at(r, msg("scores.not_assigned", "{evaluator} is not assigned to "
                                                  "{application_id}", evaluator=ev.code,
                                                  application_id=app.external_id), None))
            continue
        if a.conflict_type is not None:
            plan.problems.append(parsed.at(r, msg("scores.conflict", "{evaluator} declared a {conflict_type} conflict "
                                                  "of interest with {application_id} and cannot score it",
                                                  evaluator=ev.code, application_id=app.external_id,
                                                  conflict_type=a.conflict_type), None))
            continue
        rd = rubric_def(app.track)
        c = _criterion(rd, r.criterion)
        if c is None:
            criteria = ", ".join(x.code for x in rd.criteria)
            plan.problems.append(parsed.at(r, msg("scores.unknown_criterion", "rubric '{rubric}' has no criterion "
                                                  "'{criterion}' (criteria: {criteria})", criterion=r.criterion,
                                                  rubric=rd.code, criteria=criteria), "criterion"))
            continue
        key = (app.id, ev.id)
        touched.setdefault(key, (app, ev))
        cur = current.get(key, {}).get(c.code)
        if r.level is None and r.value is None:
            if r.comment is not None and cur is not None and cur.points is not None and r.comment != (cur.comment or ""):
                level, points = cur.level, (None if cur.level else cur.points)  # a comment-only correction
            else:
                plan.blank += 1
                continue
        else:
            level, points = r.level, r.value
        if c.scoring == "levels":
            if level is None:
                match = [lv for lv in rd.levels if abs(rd.points_for_level(c, lv.key) - float(points)) < 1e-6]  # type: ignore[arg-type]
                if not match:
                    allowed = ", ".join(f"{lv.label_ko} = {rd.points_for_level(c, lv.key):g}" for lv in rd.levels)
                    plan.problems.append(parsed.at(r, msg("scores.points_not_a_level", "criterion '{criterion}' is "
                                                          "scored by level; {points:g} is none of its levels' points "
                                                          "({allowed})", criterion=c.code, points=points,
                                                          allowed=allowed), "value"))
                    continue
                level = match[0].key
            points = None
        try:
            lvl, pts = scoring.validate_value(rd, c.code, level, points)
        except ValidationError as exc:
            plan.problems.append(parsed.at(r, msg("scores.invalid_score", "{reason}", reason=_without_stop(exc)),
                                           "level" if c.scoring == "levels" else "value",
                                           params={"criterion": c.code, "level": level, "points": points}))
            continue
        planned_points[key][c.code] = pts
        old = None if cur is None else {"level": cur.level, "points": cur.points, "comment": cur.comment}
        new_comment = r.comment if r.comment is not None else (cur.comment if cur is not None else "")
        if cur is not None and (cur.level, cur.points, cur.comment or "") == (lvl, pts, new_comment or ""):
            plan.unchanged += 1
            continue
        e = a.evaluation
        if e is not None and e.state == FINALISED:
            plan.problems.append(parsed.at(r, msg("scores.finalised", "the evaluation of {application_id} by "
                                                  "{evaluator} is finalised; reopen it (with a reason) before "
                                                  "importing changed scores", application_id=app.external_id,
                                                  evaluator=ev.code), None))
            continue
        if r.version is not None and cur is not None and cur.version != r.version:
            plan.problems.append(parsed.at(r, msg("scores.edit_conflict", "edit conflict: the score for '{criterion}' "
                                                  "changed since this sheet was made (version {sheet_version} in the "
                                                  "sheet, {version} now)", criterion=c.code, sheet_version=r.version,
                                                  version=cur.version), "version"))
            continue
        if r.version is not None and r.version == 0 and cur is not None:
            plan.problems.append(parsed.at(r, msg("scores.edit_conflict.new", "edit conflict: '{criterion}' was scored "
                                                  "after this sheet was made", criterion=c.code), "version",
                                           params={"criterion": c.code, "sheet_version": 0, "version": cur.version},
                                           code="scores.edit_conflict"))
            continue
        plan.changes.append(PlannedScore(r, app, ev, c.code, lvl, pts, r.comment,
                                         cur.version if cur is not None else None, old))
    plan.pairs = list(touched.values())
    if finalise:
        for key, (app, ev) in touched.items():
            a = asgs[key]
            e = a.evaluation
            if e is not None and e.state == FINALISED:
                continue
            rd = rubric_def(app.track)
            pts = {code: sc.points for code, sc in current.get(key, {}).items()}
            pts.update(planned_points.get(key, {}))
            miss = scoring.finalise_problems(s, rd, app, ev, pts)
            if miss and not (e is not None and e.abstained):
                # not complete: left as it is (a draft, or not started) and reported, while the complete
                # ones are finalised — a template holding every assignment is mostly untouched rows
                plan.left_open.append((app, ev, tuple(p.field or p.code for p in miss)))
                continue
            plan.finalise.append((app, ev))
    return plan


def apply_scores(s: Session, plan: ScorePlan, *, actor: str, device: str, finalise: bool, file: str,
                 progress: Progress = no_progress, cancel: CancelToken = NEVER) -> None:
    n = len(plan.changes)
    for i, p in enumerate(plan.changes):
        if not i % 200:
            cancel.raise_if_cancelled()
            progress(0.5 + 0.45 * i / max(1, n), msg("progress.saving", "Saving {app}", app=p.app.external_id))
        scoring.save_score(s, p.app, p.ev, p.criterion, level=p.level, points=p.points, comment=p.comment,
                           expected_version=p.expected_version, actor=actor, device=device)
    if finalise:
        for app, ev in plan.finalise:
            scoring.finalise(s, app, ev, actor=actor, device=device)
    if plan.changes or plan.finalise:
        audit.append(s, actor=actor, device=device, action="import_scores", entity="program",
                     entity_uuid=plan.pairs[0][0].track.program.uuid if plan.pairs else None,
                     new={"file": file, "saved": len(plan.changes), "unchanged": plan.unchanged,
                          "finalised": [[a.external_id, e.code] for a, e in plan.finalise]})
    s.flush()


def report(file: str, parsed: ParsedScores, plan: ScorePlan, dry_run: bool) -> ScoreImportReport:
    return ScoreImportReport(
        file=file, sheet=parsed.sheet, dry_run=dry_run, rows=parsed.read,
        saved=tuple(ScoreChange(p.app.external_id, p.ev.code, p.criterion, p.old,
                                {"level": p.level, "points": p.points, "comment": p.comment}) for p in plan.changes),
        unchanged=plan.unchanged, blank=plan.blank,
        evaluations=tuple(sorted({(p.app.external_id, p.ev.code) for p in plan.changes})),
        finalised=tuple((a.external_id, e.code) for a, e in plan.finalise),
        not_finalised=tuple(OpenEvaluation(a.external_id, e.code, missing) for a, e, missing in plan.left_open),
        warnings=tuple(parsed.warnings),
    )
