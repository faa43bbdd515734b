"""The workbooks staff import elsewhere: ranking, scores (long format), progress, intake template.

Layouts (column keys, labels, types) live in :mod:`evaluator.excel.columns`; the rules every
workbook follows (header row, formats, neutralised text, ``_meta``) in
:mod:`evaluator.excel.writer`.  ``lang="ko"`` (the default) writes Korean sheet titles, headers and
values (decisions, categories, methods, flags, reasons, states, conflict types: the words of
:mod:`evaluator.reports.labels`, the documents' own catalogue); ``lang="en"`` writes the layout
schema 1 always had — keys in row 1 and the engine's codes and English reasons as values.  Rows
stream from the database (``yield_per``) into write-only sheets, so memory stays flat however many
scores there are.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..audit.anchors import last_anchor
from ..db.models import (
    Application, Assignment, Criterion, Evaluation, Evaluator, Program, Round, Rubric, Score, SiteVisit, Track,
)
from ..domain import FINALISED
from ..heap import gc_paused
from ..programfile import FieldDef
from ..services.programs import categories_of, field_defs
from ..jobs import NEVER, CancelToken, Progress, no_progress
from ..ranking.model import RankingResult
from ..ranking.labels import reliability_label
from ..ranking.reasons import words
from ..reports.labels import labels as labels_in
from ..messages import msg
from . import columns as C
from .intake import districts_of
from .results import ExportReport
from .writer import WorkbookWriter, neutralise
from .writer import check_lang as _check_lang

# --- ranking -------------------------------------------------------------------------------------


def _as_date(v):
    if v is None or isinstance(v, date):
        return v
    try:
        return date.fromisoformat(str(v)[:10])
    except ValueError:
        return str(v)


def field_columns(fields: tuple[FieldDef, ...], taken: set[str] = frozenset()) -> tuple[C.Col, ...]:
    """Columns for a program's typed intake fields (a key an export already uses gets ``field_``)."""
    kinds = {"integer": "int", "money": "krw", "decimal": "float", "date": "date", "year": "int", "boolean": "bool"}
    return tuple(C._c(f"field_{f.key}" if f.key in taken else f.key, f.label_ko, f.label_en or f.key,
                      kinds.get(f.type, "text"), 16) for f in fields)


def field_cell(f: FieldDef, value: Any) -> Any:
    if value is None:
        return None
    if f.type == "date" and isinstance(value, str):
        return _as_date(value)
    return value


def write_ranking(path, result: RankingResult, *, program: str = "", program_name: str = "", audit_anchor=None,
                  fields: tuple[FieldDef, ...] = (), field_values: dict[str, dict[str, Any]] | None = None,
                  contacts: dict[str, tuple] | None = None, categories: dict[str, tuple[str, str]] | None = None,
                  lang: str = "ko", progress: Progress = no_progress, cancel: CancelToken = NEVER) -> ExportReport:
    """Write a :class:`RankingResult`: a summary sheet plus one sheet per track (``audit_anchor``:
    the database's last anchor, for ``_meta``); ``fields`` (the program's typed intake fields that
    are not personal data) follow each track sheet's columns, from ``field_values`` (by application);
    with ``contacts`` ({application ID: (group name, representative, phone, e-mail, address)}) a
    ``contacts`` sheet too.  ``categories``: the program's category names by code ({code: (ko, en)}),
    for the Korean labels."""
    ko = _check_lang(lang) == "ko"
    L = labels_in("ko")
    book = WorkbookWriter(path, lang=lang, kind="ranking", program=program or result.program,
                          program_name=program_name,
                          extra_meta={"method": result.method, "provisional": bool(result.provisional),
                                      "what_if": bool(result.what_if), "decisions_of_record": bool(result.recorded),
                                      "computed_at": result.computed_at.isoformat() if result.computed_at else "",
                                      "round": result.round, "signed_off": bool(result.signed_off)},
                          audit_anchor=audit_anchor, cancel=cancel)
    support = any(r.support is not None for r in result.all_rows())
    extra = (C.RANKING_SUPPORT if support else ()) + field_columns(fields, {c.key for c in C.RANKING_TRACK})
    field_values = field_values or {}
    summary = book.sheet(C.sheet_title("summary", lang), C.RANKING_SUMMARY, key="summary")
    if result.what_if and ko:
        what_if = L("whatif.banner", method=L.method(result.method), program=L.method(result.program_method)) + " "
    elif result.what_if:
        what_if = (f"What-if view: aggregated by {result.method}, while the program's method is "
                   f"{result.program_method}; the decisions of record are unchanged. ")
    elif not result.provisional and not result.recorded:
        what_if = ("지금의 점수로 방금 산출한 결과이며 기록된 결정이 아닙니다(순위를 기록한 뒤 점수나 설정이 바뀜). "
                   "기록하려면 사무국 데이터베이스에서 순위를 다시 산출하세요. " if ko else
                   "Computed now from the current scores, and not the decisions of record (scores or settings "
                   "changed since the ranking was recorded); rank again in the office database to record them. ")
    else:
        what_if = ""
    for t in result.tracks:
        summary.row([
            t.track, t.name_ko, L.method(t.method) if ko else t.method, bool(result.provisional), t.quota,
            t.reserve_size, t.min_score, len(t.rows), t.eligible, t.selected, t.reserve, t.budget, t.budget_used,
            t.reliability, reliability_label(t.reliability_method, "ko") if ko and t.reliability_method
            else t.reliability_method, result.computed_at, what_if + " ".join(t.notes_ko if ko else t.notes),
        ])
    total = sum(len(t.rows) for t in result.tracks) or 1
    done = 0
    counts = {summary.title: summary.rows}
    row_values = _korean_row(L, categories or {}) if ko else _english_row
    for t in result.tracks:
        sh = book.sheet((t.name_ko or t.track) if ko else t.track, C.RANKING_TRACK + extra, key=t.track)
        for r in t.rows:
            done += 1
            if not done % 1000:
                cancel.raise_if_cancelled()
                progress(done / total, msg("progress.track_rows", "{track}: {done:,} rows", track=t.track, done=done))
            category, method, flags, decision, reason, override, computed = row_values(r)
            sh.row([
                r.rank, r.application_id, r.title, r.group_name, r.district, category, r.score, method,
                r.evaluations, r.spread, flags, decision, reason, r.requested_amount, override,
                r.override_reason or None, computed, r.raw_score, r.normalized_score, r.stddev,
                bool(r.eligible), ", ".join(r.failed_gates), r.field_check, r.stability, bool(r.on_cut_line),
                _as_date(r.submitted_on), r.track, *(_support_cells(r) if support else ()),
                *(field_cell(f, field_values.get(r.application_id, {}).get(f.key)) for f in fields),
            ])
        counts[sh.title] = sh.rows
    if contacts is not None:
        sh = book.sheet(C.sheet_title("contacts", lang), C.CONTACTS, key="contacts")
        for t in result.tracks:
            for r in t.rows:
                c = contacts.get(r.application_id)
                if c is not None:
                    sh.row([r.application_id, *c])
        counts[sh.title] = sh.rows
    out = book.save()
    progress(1.0, msg("progress.done", "Done"))
    return ExportReport(str(out), "ranking", counts)


def _english_row(r) -> tuple:
    """A row's category, method, flags, decision, reason, override and computed decision, as the
    English layout writes them: the engine's codes and its English reason."""
    return r.category, r.method, ", ".join(r.flags), r.decision, r.reason, r.override, r.computed_decision


def _korean_row(L, categories: dict[str, tuple[str, str]]):
    """The same cells in Korean: category and decision labels (``선정``, ``마을카페·모임``), the
    Korean reason."""
    def values(r) -> tuple:
        return (L.category(r.category, categories) if r.category else r.category, L.method(r.method),
                ", ".join(L.flag(f) for f in r.flags), L.decision(r.decision), r.reason_ko,
                L.decision(r.override) if r.override else r.override, L.decision(r.computed_decision))
    return values


def _support_cells(r) -> tuple:
    """The support columns (:data:`.columns.RANKING_SUPPORT`) of a row; blank without an amount."""
    a = r.support
    if a is None:
        return (None,) * len(C.RANKING_SUPPORT)
    return (a.awarded, a.cost, a.rate_percent / 100, a.cap, a.limited_by, words((a.phrase(),))[1])


# --- scores --------------------------------------------------------------------------------------
def _of_round(round: Round | None) -> tuple[Any, ...]:
    """The extra condition on ``Application`` for the applications of ``round`` (none: the whole program)."""
    return () if round is None else (Application.round_id == round.id,)


def _round_meta(round: Round | None) -> dict[str, Any] | None:
    """``_meta``'s ``round`` of a workbook of one round (as the ranking's); none for the whole program."""
    return None if round is None else {"round": round.code}


def export_scores(s: Session, program: Program, path, *, round: Round | None = None, lang: str = "ko",
                  progress: Progress = no_progress, cancel: CancelToken = NEVER) -> ExportReport:
    """Every score of the program's applications (of ``round`` only, when given), in long format."""
    ko = _check_lang(lang) == "ko"
    L = labels_in("ko")
    states: dict[str, str] = {}
    conflicts: dict[str, str] = {}
    labels: dict[tuple[int, str], str] = {}
    for rid, levels in s.execute(select(Rubric.id, Rubric.levels).where(Rubric.program_id == program.id)):
        for lv in levels or []:
            labels[(rid, lv.get("key"))] = lv.get("ko", "")
    total = s.execute(
        select(func.count(Score.id)).join(Evaluation, Evaluation.id == Score.evaluation_id)
        .join(Assignment, Assignment.id == Evaluation.assignment_id)
        .join(Application, Application.id == Assignment.application_id)
        .where(Application.program_id == program.id, *_of_round(round))
    ).scalar() or 0
    q = (
        select(Application.external_id, Track.code, Evaluator.code, Criterion.code, Criterion.name_ko,
               Criterion.weight, Criterion.max_points, Score.points, Score.level, Criterion.rubric_id, Score.comment,
               Evaluation.state, Evaluation.abstained, Assignment.conflict_type, Evaluation.finalised_at,
               Score.updated_at, Score.version)
        .select_from(Score)
        .join(Evaluation, Evaluation.id == Score.evaluation_id)
        .join(Assignment, Assignment.id == Evaluation.assignment_id)
        .join(Application, Application.id == Assignment.application_id)
        .join(Track, Track.id == Application.track_id)
        .join(Evaluator, Evaluator.id == Assignment.evaluator_id)
        .join(Criterion, Criterion.id == Score.criterion_id)
        .where(Application.program_id == program.id, *_of_round(round))
        .order_by(Application.external_id, Evaluator.code, Criterion.position)
        .execution_options(yield_per=5000)
    )
    progress(0.0, msg("progress.scores", "{total:,} scores", total=total))
    book = WorkbookWriter(path, kind="scores", program=program.code, program_name=program.name_ko,
                          extra_meta=_round_meta(round), audit_anchor=last_anchor(s), cancel=cancel, lang=lang)
    sh = book.sheet(C.sheet_title("scores", lang), C.SCORES, key="scores")
    row = sh.row
    n = 0
    # The rows stream through with the cyclic collector paused: each batch of driver rows (tuples,
    # strings, datetimes) lived long enough to reach the oldest generation, so the collector ran a
    # full collection every ~40,000 rows, walking the whole heap with the GIL held (~55 ms each:
    # 80 of them at 100,000 applications, ~6 s with the young collections).  Nothing here forms a
    # cycle; reference counting frees every row as before, so memory stays flat.
    with gc_paused():
        for (app, track, ev, crit, cname, weight, mx, pts, lvl, rid, comment, state, abst, conflict, fin, upd,
             ver) in s.execute(q):
            if ko:  # (a handful of codes over millions of rows: each label made once)
                state = states.get(state) or states.setdefault(state, L.state(state))
                if conflict is not None:
                    conflict = conflicts.get(conflict) or conflicts.setdefault(conflict, L.conflict(conflict))
            row((app, track, ev, crit, cname, weight, mx, pts, lvl, labels.get((rid, lvl)) if lvl else None,
                 comment, state, bool(abst), conflict, fin, upd, ver))
            n += 1
            if not n % 5000:
                cancel.raise_if_cancelled()
                progress(n / max(1, total), msg("progress.n_of_scores", "{n:,} of {total:,} scores", n=n,
                                                total=total))
    out = book.save()
    progress(1.0, msg("progress.done", "Done"))
    return ExportReport(str(out), "scores", {sh.title: sh.rows})


# --- progress ------------------------------------------------------------------------------------
def export_progress(s: Session, program: Program, path, *, round: Round | None = None, lang: str = "ko",
                    progress: Progress = no_progress, cancel: CancelToken = NEVER) -> ExportReport:
    """Assigned / visited / finalised per track, per evaluator and per application, of the program's
    applications (of ``round`` only, when given; every evaluator is listed either way)."""
    _check_lang(lang)
    visited = {
        (a, e) for a, e in s.execute(
            select(SiteVisit.application_id, SiteVisit.evaluator_id)
            .join(Application, Application.id == SiteVisit.application_id)
            .where(Application.program_id == program.id, *_of_round(round), SiteVisit.visited_at.is_not(None)))
    }
    apps = s.execute(
        select(Application.id, Application.external_id, Track.code, Application.title, Application.district)
        .join(Track, Track.id == Application.track_id)
        .where(Application.program_id == program.id, *_of_round(round)).order_by(Application.external_id)
    ).all()
    evaluators = s.execute(select(Evaluator.id, Evaluator.code, Evaluator.name, Evaluator.organisation)
                           .order_by(Evaluator.code)).all()
    keys = ("assigned", "visited", "started", "finalised", "abstained", "conflicts")
    per_app: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(keys, 0))
    per_ev: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(keys, 0))
    for app_id, ev_id, conflict, state, abstained in s.execute(
        select(Assignment.application_id, Assignment.evaluator_id, Assignment.conflict_type, Evaluation.state,
               Evaluation.abstained)
        .join(Application, Application.id == Assignment.application_id)
        .outerjoin(Evaluation, Evaluation.assignment_id == Assignment.id)
        .where(Application.program_id == program.id, *_of_round(round))
    ):
        for d in (per_app[app_id], per_ev[ev_id]):
            if conflict is not None:
                d["conflicts"] += 1
                continue
            d["assigned"] += 1
            if (app_id, ev_id) in visited:
                d["visited"] += 1
            if state == FINALISED:
                d["finalised"] += 1
            elif state is not None:
                d["started"] += 1
            if abstained:
                d["abstained"] += 1
    cancel.raise_if_cancelled()
    book = WorkbookWriter(path, kind="progress", program=program.code, program_name=program.name_ko,
                          extra_meta=_round_meta(round), audit_anchor=last_anchor(s), cancel=cancel, lang=lang)
    summary = book.sheet(C.sheet_title("summary", lang), C.PROGRESS_SUMMARY, key="summary")
    by_track: dict[str, dict[str, int]] = {t.code: dict.fromkeys(("applications",) + keys, 0) for t in program.tracks}
    for app_id, _ext, track, _title, _district in apps:
        tt = by_track.setdefault(track, dict.fromkeys(("applications",) + keys, 0))
        tt["applications"] += 1
        for k in keys:
            tt[k] += per_app[app_id][k] if app_id in per_app else 0
    names = {t.code: t.name_ko for t in program.tracks}
    for code, tt in by_track.items():
        remaining = tt["assigned"] - tt["finalised"]
        summary.row([code, names.get(code, code), tt["applications"], tt["assigned"], tt["visited"], tt["finalised"],
                     remaining, (tt["finalised"] / tt["assigned"]) if tt["assigned"] else None])
    evs = book.sheet(C.sheet_title("evaluators", lang), C.PROGRESS_EVALUATORS, key="evaluators")
    for ev_id, code, name, org in evaluators:
        d = per_ev.get(ev_id) or dict.fromkeys(keys, 0)
        evs.row([code, name, org, d["assigned"], d["visited"], d["started"], d["finalised"], d["abstained"],
                 d["conflicts"], d["assigned"] - d["finalised"],
                 (d["finalised"] / d["assigned"]) if d["assigned"] else None])
    sh = book.sheet(C.sheet_title("applications", lang), C.PROGRESS_APPLICATIONS, key="applications")
    for i, (app_id, ext, track, title, district) in enumerate(apps):
        if not i % 2000:
            cancel.raise_if_cancelled()
            progress(i / max(1, len(apps)), ext)
        d = per_app.get(app_id) or dict.fromkeys(keys, 0)
        remaining = d["assigned"] - d["finalised"]
        sh.row([ext, track, title, district, d["assigned"], d["visited"], d["finalised"], d["abstained"],
                d["conflicts"], remaining, d["assigned"] > 0 and remaining == 0])
    out = book.save()
    progress(1.0, msg("progress.done", "Done"))
    return ExportReport(str(out), "progress", {summary.title: summary.rows, evs.title: evs.rows, sh.title: sh.rows})


# --- intake template -------------------------------------------------------------------------------
TEMPLATE_ROWS = 1000
_GUIDE = (
    C._c("column", "열 제목", "Column header", "text", 16),
    C._c("key", "키", "Key", "id", 18),
    C._c("required", "필수", "Required", "bool", 8),
    C._c("format", "입력 형식", "Format", "text", 60),
)
_FORMAT_HELP = {
    "id": ("접수번호: 파일 안에서 중복 불가. 다시 가져오면 같은 번호의 신청을 갱신합니다.",
           "Unique in the file; re-importing updates the application with the same ID."),
    "track": ("목록에서 선택 (한국어 이름, 영어 이름 또는 코드)", "Pick from the list (Korean, English or code)"),
    "category": ("목록에서 선택; 비우면 기타", "Pick from the list; blank means other"),
    "district": ("서울시 25개 자치구 중 하나 (예: 종로구)", "One of Seoul's 25 districts (e.g. 종로구 / Jongno-gu)"),
    "members": ("숫자 (예: 12 또는 12명)", "A number (12 or 12명)"),
    "requested_amount": ("원 단위 금액 (예: 5000000, 5,000,000원, 500만원)", "Won (5000000, 5,000,000원, 500만원)"),
    "self_contribution": ("원 단위 금액", "Won"),
    "submitted_on": ("날짜 (2012-04-12 또는 2012.04.12)", "A date (2012-04-12 or 2012.04.12)"),
    "email": ("전자우편 주소", "E-mail address"),
    "phone": ("전화번호 (예: 02-000-0000)", "Phone number"),
}


_FIELD_HELP = {
    "integer": ("숫자 (예: 12)", "A whole number (12)"),
    "money": ("원 단위 금액 (예: 5,000,000원)", "Won (5,000,000원)"),
    "decimal": ("숫자 (예: 12.5)", "A number (12.5)"),
    "date": ("날짜 (2013-04-22 또는 2013.04.22)", "A date (2013-04-22 or 2013.04.22)"),
    "year": ("연도 (예: 2010)", "A year (2010)"),
    "boolean": ("예/아니오 (Y/N, O/X)", "Yes or no (Y/N, O/X)"),
}


def export_intake_template(s: Session, program: Program, path, *, lang: str = "ko",
                           cancel: CancelToken = NEVER) -> ExportReport:
    fields = field_defs(program)
    rounds = [] if len(program.rounds) < 2 else [r for r in program.rounds]
    columns = C.INTAKE + ((C._c("round", "차수", "Round", "text", 8),) if rounds else ()) + field_columns(fields)
    book = WorkbookWriter(path, kind="template-intake", program=program.code, program_name=program.name_ko,
                          extra_meta={"lang": lang}, audit_anchor=last_anchor(s), cancel=cancel, lang=lang)
    headers = [c.label(lang) for c in columns]
    sheet = book.sheet("applications" if lang == "en" else "접수현황", columns, header=headers,
                       key="applications")
    guide = book.sheet("guide" if lang == "en" else "안내", _GUIDE, header=[c.label(lang) for c in _GUIDE],
                       key="guide")
    required = {"id", "track", "title"} | {f.key for f in fields if f.required}
    help_of = dict(_FORMAT_HELP)
    if rounds:
        help_of["round"] = ("목록에서 선택; 비우면 " + ("접수일로 정함" if program.intake == "rolling" else "열린 차수"),
                            "Pick from the list; blank: " + ("by the submission date" if program.intake == "rolling"
                                                             else "the open round"))
    for f in fields:
        help_of[f.key] = _FIELD_HELP.get(f.type, ("글자", "Text")) if f.type != "choice" else \
            ("목록에서 선택: " + ", ".join(f.values), "Pick from the list: " + ", ".join(f.values))
    for c in columns:
        ko, en = help_of.get(c.key, ("글자", "Text"))
        guide.row([c.label(lang), c.key, c.key in required, en if lang == "en" else ko])
    idx = lang == "en"
    choices: list[tuple[str, list[str]]] = [
        ("track", [(t.name_en or t.name_ko) if idx else t.name_ko for t in program.tracks]),
        ("category", [c.name(lang) for c in categories_of(program)]),
        ("district", [(en if idx else ko) for ko, en in districts_of(program).items()]),
    ]
    if rounds:
        choices.append(("round", [r.name_en or r.code if idx else r.name_ko for r in rounds]))
    choices += [(f.key, list(f.values)) for f in fields if f.type == "choice"]
    lists = book.wb.create_sheet("_lists")
    lists.sheet_state = "hidden"
    lists.append([key for key, _ in choices])
    for i in range(max(len(values) for _, values in choices)):
        lists.append([neutralise(values[i]) if i < len(values) else None for _, values in choices])
    last = TEMPLATE_ROWS + 1
    col = {c.key: i for i, c in enumerate(columns)}

    from openpyxl.utils import get_column_letter

    def letter(key: str) -> str:
        return get_column_letter(col[key] + 1)

    for n_list, (key, values) in enumerate(choices):
        list_col = get_column_letter(n_list + 1)
        dv = DataValidation(type="list", formula1=f"'_lists'!${list_col}$2:${list_col}${len(values) + 1}",
                            allow_blank=True, showErrorMessage=True, errorStyle="stop")
        dv.sqref = f"{letter(key)}2:{letter(key)}{last}"  # type: ignore[assignment]
        sheet.ws.data_validations.append(dv)
    out = book.save()
    return ExportReport(str(out), "template-intake", {sheet.title: 0, guide.title: guide.rows})
