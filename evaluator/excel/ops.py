"""The façade's Excel area (``store.excel``): import and export.

Every import is ONE transaction: with any problem nothing is written, and a
:class:`~evaluator.errors.ValidationError` lists every problem with its sheet, row and column.
The file is checked and opened before the transaction starts (a file that is not a workbook never
touches the database).  The intake import then streams rows through the planner inside the
transaction (bounded memory for 10k+ rows); assignments and scores are small and are read whole
first.  Exports stream to a temporary file that replaces the target only when complete.
"""

from __future__ import annotations

import os

from sqlalchemy import select

from ..audit.anchors import last_anchor
from ..db.models import Application, Assignment, Evaluation, Evaluator, Score
from ..privacy.access import CONTACT_FIELDS
from ..changes import Outcome
from ..errors import Problem, ValidationError
from ..heap import drop_in_steps
from ..messages import msg
from ..jobs import NEVER, CancelToken, Progress, no_progress
from ..paths import display_name
from ..services.common import current_program, round_by_code
from ..services.programs import categories_of, field_defs
from ..uow import Area, UnitOfWork
from . import assignments as assign_xl
from . import exports
from . import intake
from . import scores as scores_xl
from .results import (
    AssignmentImportReport, ExportReport, ImportPreview, ImportReport, PreviewColumn, ScoreImportReport,
)
from .safety import open_workbook

MAX_PROBLEMS = 1000


def refuse(file: str, problems: list[Problem], sheet: str | None = None) -> ValidationError:
    """The one error an import raises: every problem, located; nothing was imported."""
    n = len(problems)
    shown = problems[:MAX_PROBLEMS]
    if n > MAX_PROBLEMS:
        more = n - MAX_PROBLEMS
        shown = shown + [Problem(msg("problems.more", "… and {count:,} more {count:problem|problems}", count=more))]
    if sheet:
        sentence = (msg("excel.refused_sheet_one", "{file} (sheet '{sheet}') has 1 problem; nothing was imported.",
                        file=file, sheet=sheet) if n == 1 else
                    msg("excel.refused_sheet", "{file} (sheet '{sheet}') has {count} problems; nothing was imported.",
                        file=file, sheet=sheet, count=n))
    else:
        sentence = (msg("excel.refused_one", "{file} has 1 problem; nothing was imported.", file=file) if n == 1 else
                    msg("excel.refused", "{file} has {count} problems; nothing was imported.", file=file, count=n))
    return ValidationError(sentence, shown)


def by_row(problems: list[Problem]) -> list[Problem]:
    """Problems in sheet order: file- and sheet-level ones first, then by sheet and row (the sheets
    in the order their first problem came); stable otherwise."""
    order: dict[str | None, int] = {}
    for p in problems:
        order.setdefault(p.sheet, len(order))

    def key(p: Problem) -> tuple[int, int, int]:
        if p.row is None:
            return (0, 0, 0)
        return (1, order[p.sheet], p.row)

    return sorted(problems, key=key)


def _field_values(s, program, ids: list[str]) -> dict[str, dict]:  # noqa: ANN001 - a session, a Program
    """Application ID -> its typed intake fields."""
    from sqlalchemy import select

    from ..db.models import Application

    out: dict[str, dict] = {}
    for start in range(0, len(ids), 500):
        out.update((ext, dict(values or {})) for ext, values in s.execute(
            select(Application.external_id, Application.fields)
            .where(Application.program_id == program.id, Application.external_id.in_(ids[start:start + 500]))))
    return out


def _has_program(s) -> bool:  # noqa: ANN001 - a session
    from sqlalchemy import select

    from ..db.models import Program

    return s.execute(select(Program.id).limit(1)).first() is not None


class Excel(Area):
    """Excel in and out: intake import, assignments, the score template round trip and exports.

    Imports are writes (an :class:`~evaluator.changes.Outcome`; a dry run changes nothing); exports
    are reads."""

    def __init__(self, uow: UnitOfWork, ranking) -> None:  # noqa: ANN001 - evaluator.ranking.ops.Ranking
        super().__init__(uow)
        self._ranker = ranking

    # --- applications ---------------------------------------------------------------------------
    def _intake(self, wb, name: str, mapping, s, *, write: bool, progress: Progress, cancel: CancelToken,
                round: str | None = None):
        """Stream the intake sheet of the open workbook ``wb`` through the planner inside session ``s``."""
        program = current_program(s)
        round_id = round_by_code(s, program, round).id if round else None
        reader = intake.IntakeReader(wb, name, tracks=intake.tracks_of(program),
                                     districts=intake.districts_of(program), mapping=mapping,
                                     categories=intake.categories_for(program), fields=field_defs(program),
                                     rounds=intake.rounds_of(program))
        planner = intake.IntakePlanner(s, program, reader, write=write, actor=self._uow.actor,
                                       device=self._uow.device, round_id=round_id)
        for batch in reader.batches(progress=lambda f, m: progress(0.95 * f, m), cancel=cancel):
            planner.add(batch)
        intake.refuse_other_program(reader, program)
        return reader, planner

    def preview_applications(self, path: str | os.PathLike, mapping: dict[str, str] | None = None, *,
                             round: str | None = None, progress: Progress = no_progress,
                             cancel: CancelToken = NEVER) -> ImportPreview:
        """Read the intake sheet and say what an import would do; writes nothing.

        ``mapping`` overrides column meanings: {header text or column letter: field key}, with
        ``""`` to keep a column aside (unknown) and ``"-"`` to ignore it.
        """
        name = display_name(path)  # a name that is not UTF-8 is stored and shown escaped
        progress(0.0, msg("progress.opening", "Opening {name}", name=name))
        wb = open_workbook(path)
        try:
            with self._uow.read() as s:
                reader, planner = self._intake(wb, name, mapping, s, write=False, progress=progress, cancel=cancel,
                                               round=round)
        finally:
            wb.close()
        rows = tuple({"_row": r.row, **r.values, **({"extra": r.extra} if r.extra else {})} for r in reader.preview)
        return ImportPreview(
            file=reader.file, sheet=reader.sheet, header_row=reader.header_row,
            columns=tuple(PreviewColumn(c.header, c.letter, c.field) for c in reader.columns),
            unknown_columns=reader.unknown, rows=rows, problems=tuple(by_row(reader.problems + planner.problems)),
            warnings=tuple(reader.warnings), total_rows=reader.records, would_add=len(planner.added),
            would_update=len(planner.updated), would_unchanged=len(planner.unchanged),
        )

    def import_applications(self, path: str | os.PathLike, *, dry_run: bool = False,
                            mapping: dict[str, str] | None = None, round: str | None = None,
                            progress: Progress = no_progress, cancel: CancelToken = NEVER) -> Outcome[ImportReport]:
        """Add or update applications from an intake sheet, all or nothing (see BRIEF §5).

        Each new application goes to its round (``docs/programs.md``, Rounds): a 차수 column, else
        ``round``, else (a rolling program) the round whose window holds its submission date, else a
        fixed program's only open round.  The program's typed fields are read with the built-in ones."""
        self._uow.require_office(msg("excel.what_import_applications", "import applications"))
        name = display_name(path)  # a name that is not UTF-8 is stored and shown escaped
        progress(0.0, msg("progress.opening", "Opening {name}", name=name))
        wb = open_workbook(path)
        try:
            # (a bulk unit: on SQLite a page cache that holds the indexes the import grows — past
            # SQLite's default 2 MB each random uuid key cost a page read, per row more the larger the
            # table — and no foreign-key lookups for the program and track ids it has just read)
            unit = self._uow.read if dry_run else self._uow.bulk_write
            with unit() as s:
                reader, planner = self._intake(wb, name, mapping, s, write=not dry_run, progress=progress,
                                               cancel=cancel, round=round)
                problems = reader.problems + planner.problems
                if problems:
                    raise refuse(reader.file, by_row(problems), reader.sheet)
                cancel.raise_if_cancelled()
                planner.finish()
                placed, program_code = planner.rounds_placed(), planner.program.code
        finally:
            wb.close()
        progress(1.0, msg("progress.done", "Done"))
        return self._uow.outcome(s, ImportReport(
            file=reader.file, sheet=reader.sheet, dry_run=dry_run, rows=reader.records,
            added=tuple(planner.added), updated=tuple(planner.updated), unchanged=tuple(planner.unchanged),
            changes=dict(planner.changes), unknown_columns=reader.unknown, warnings=tuple(reader.warnings),
            rounds=placed, program=program_code,
        ))

    # --- evaluators, assignments, conflicts -----------------------------------------------------
    def import_assignments(self, path: str | os.PathLike, *, dry_run: bool = False,
                           progress: Progress = no_progress,
                           cancel: CancelToken = NEVER) -> Outcome[AssignmentImportReport]:
        """Evaluators, assignments and conflict declarations from a workbook, all or nothing."""
        self._uow.require_office(msg("excel.what_import_assignments", "import assignments"))
        name = display_name(path)  # a name that is not UTF-8 is stored and shown escaped
        progress(0.0, msg("progress.opening", "Opening {name}", name=name))
        wb = open_workbook(path)
        try:
            parsed = assign_xl.read_assignments(wb, name, progress=progress, cancel=cancel)
        finally:
            wb.close()
        cancel.raise_if_cancelled()
        unit = self._uow.read if dry_run or parsed.problems else self._uow.write
        with unit() as s:
            program = current_program(s)
            plan = assign_xl.plan_assignments(s, program, parsed)
            if parsed.problems or plan.problems:
                raise refuse(name, by_row(parsed.problems + plan.problems))
            cancel.raise_if_cancelled()
            if not dry_run:
                assign_xl.apply_assignments(s, program, plan, actor=self._uow.actor, device=self._uow.device)
        progress(1.0, msg("progress.done", "Done"))
        return self._uow.outcome(s, assign_xl.report(name, parsed, plan, dry_run))

    def import_evaluators(self, path: str | os.PathLike, *, dry_run: bool = False,
                          progress: Progress = no_progress,
                          cancel: CancelToken = NEVER) -> Outcome[AssignmentImportReport]:
        """Evaluators from a workbook (one row each: 평가위원번호, 성명, 소속, 자치구, 이메일, 연락처, 구분),
        added or updated by code, all or nothing.  Assignments are not read here (``import_assignments``
        takes them): a row naming an application is a problem."""
        self._uow.require_office(msg("excel.what_import_evaluators", "import evaluators"))
        name = display_name(path)
        progress(0.0, msg("progress.opening", "Opening {name}", name=name))
        wb = open_workbook(path)
        try:
            parsed = assign_xl.read_assignments(wb, name, progress=progress, cancel=cancel)
        finally:
            wb.close()
        cancel.raise_if_cancelled()
        extra = [Problem(msg("evaluators.assignment_row", "assigns application {application_id}: this file adds or "
                             "updates evaluators only (assignments: 'evaluator import assignments FILE')",
                             application_id=p.application_id),
                         file=name, sheet=p.sheet, row=p.row, field="application_id") for p in parsed.pairs]
        if not parsed.evaluators and not parsed.problems and not extra:
            extra.append(Problem(msg("evaluators.none", "no evaluator rows (평가위원번호 and 성명)"), file=name))
        parsed.pairs = []
        unit = self._uow.read if dry_run or parsed.problems or extra else self._uow.write
        with unit() as s:
            program = current_program(s) if _has_program(s) else None
            plan = assign_xl.plan_assignments(s, program, parsed)
            if parsed.problems or plan.problems or extra:
                raise refuse(name, by_row(parsed.problems + plan.problems + extra))
            if not dry_run:
                assign_xl.apply_assignments(s, program, plan, actor=self._uow.actor, device=self._uow.device)
        progress(1.0, msg("progress.done", "Done"))
        return self._uow.outcome(s, assign_xl.report(name, parsed, plan, dry_run))

    # --- scores (paper fallback) ----------------------------------------------------------------
    def import_scores(self, path: str | os.PathLike, *, dry_run: bool = False, finalise: bool = False,
                      progress: Progress = no_progress, cancel: CancelToken = NEVER) -> Outcome[ScoreImportReport]:
        """Scores from the score template (or a scores export), through the scoring service:
        validated like autosaves, versioned, audited; finalised evaluations are locked."""
        name = display_name(path)  # a name that is not UTF-8 is stored and shown escaped
        progress(0.0, msg("progress.opening", "Opening {name}", name=name))
        wb = open_workbook(path)
        try:
            parsed = scores_xl.read_scores(wb, name, progress=progress, cancel=cancel)
        finally:
            wb.close()
        cancel.raise_if_cancelled()
        unit = self._uow.read if dry_run or parsed.problems else self._uow.write
        with unit() as s:
            program = current_program(s)
            plan = scores_xl.plan_scores(s, program, parsed, finalise=finalise)
            if parsed.problems or plan.problems:
                raise refuse(name, by_row(parsed.problems + plan.problems), parsed.sheet)
            if not dry_run:
                scores_xl.apply_scores(s, plan, actor=self._uow.actor, device=self._uow.device,
                                       finalise=finalise, file=name, progress=progress, cancel=cancel)
            result = scores_xl.report(name, parsed, plan, dry_run)  # reads ORM rows: inside the unit of work
        progress(1.0, msg("progress.done", "Done"))
        return self._uow.outcome(s, result)

    # --- exports --------------------------------------------------------------------------------
    def export_template(self, kind: str, path: str | os.PathLike, *, evaluator: str | None = None,
                        round: str | None = None, lang: str = "ko", progress: Progress = no_progress,
                        cancel: CancelToken = NEVER) -> ExportReport:
        """``kind`` "scores": one row per application × criterion to type paper scores into (for one
        evaluator or all; with ``round``, its code or name, only that round's applications);
        "intake": an empty intake sheet with validation lists.  ``lang`` "ko" (Korean sheet titles
        and headers) or "en" (docs/excel-formats.md)."""
        if kind == "scores":
            with self._uow.read() as s:
                p = current_program(s)
                rnd = round_by_code(s, p, round) if round else None  # an unknown round: before any file
                report = scores_xl.export_template(s, p, path, evaluator=evaluator, round=rnd, lang=lang,
                                                   progress=progress, cancel=cancel)
                subjects = _application_ids(s, evaluator=evaluator, round_id=rnd.id if rnd else None)
            self._log_output(report.path, action="export", what="score template", subjects=subjects)
            return report
        if kind == "intake":
            with self._uow.read() as s:
                return exports.export_intake_template(s, current_program(s), path, lang=lang, cancel=cancel)
        raise ValidationError(msg("excel.unknown_template", "Unknown template '{kind}'; use 'scores' or 'intake'.",
                                  kind=kind))

    def export_ranking(self, path: str | os.PathLike, method: str | None = None, provisional: bool = False, *,
                       round: str | None = None, include_personal: bool = False, reason: str | None = None,
                       lang: str = "ko", progress: Progress = no_progress, cancel: CancelToken = NEVER) -> ExportReport:
        """The ranking of a round (default: the current one): a summary sheet plus one sheet per
        track, pseudonymised (application ID and group name); with ``include_personal`` (and a
        ``reason``) a ``contacts`` sheet of the applicants' contact data too.  The ranking computed
        now (``store.ranking.rank``; a signed-off round's frozen decisions), and the workbook says
        whether it is the decision of record; the export is in the access log.  ``lang`` "ko": Korean
        sheet titles, headers, decisions, categories and reasons; "en": keys and codes, English reasons."""
        if include_personal:
            from ..privacy.access import require_reason

            reason = require_reason(reason, msg("excel.what_ranking_contacts", "The ranking workbook with contact data"))
        progress(0.0, msg("progress.ranking", "Ranking"))
        result = self._ranker.rank(method=method or None, provisional=provisional, round=round, cancel=cancel)
        cancel.raise_if_cancelled()
        contacts = None
        with self._uow.read() as s:
            p = current_program(s)
            code, name, anchor = p.code, p.name_ko, last_anchor(s)
            fields = tuple(f for f in field_defs(p) if not f.personal)  # exports carry no more than needed
            categories = {c.code: (c.name_ko, c.name_en) for c in categories_of(p)}
            values = _field_values(s, p, [r.application_id for r in result.all_rows()]) if fields else {}
            if include_personal:
                contacts = {ext: (g, rep, ph, em, ad) for ext, g, rep, ph, em, ad in s.execute(
                    select(Application.external_id, Application.group_name, Application.representative,
                           Application.phone, Application.email, Application.address)
                    .where(Application.program_id == p.id))}
        report = exports.write_ranking(path, result, program=code, program_name=name, audit_anchor=anchor,
                                       fields=fields, field_values=values, contacts=contacts, categories=categories,
                                       lang=lang, progress=progress, cancel=cancel)
        rows = result.all_rows()
        del result  # the ranking's rows are let go of a slice at a time (drop_in_steps), not all at the return
        self._log_output(report.path, action="export", what="ranking workbook",
                         subjects=[r.application_id for r in rows],
                         fields=list(CONTACT_FIELDS) if include_personal else [], reason=reason or "")
        drop_in_steps(rows)
        return report

    def export_scores(self, path: str | os.PathLike, *, round: str | None = None, lang: str = "ko",
                      progress: Progress = no_progress, cancel: CancelToken = NEVER) -> ExportReport:
        """Every score in long format: application × evaluator × criterion (in the access log);
        with ``round`` (its code or name) only that round's applications, and ``_meta`` names the
        round; without, the whole program.  ``lang`` "ko" or "en"."""
        with self._uow.read() as s:
            p = current_program(s)
            rnd = round_by_code(s, p, round) if round else None  # an unknown round: before any file
            report = exports.export_scores(s, p, path, round=rnd, lang=lang, progress=progress, cancel=cancel)
            subjects = _application_ids(s, scored=True, round_id=rnd.id if rnd else None)
        self._log_output(report.path, action="export", what="scores workbook", subjects=subjects)
        return report

    def export_progress(self, path: str | os.PathLike, *, round: str | None = None, lang: str = "ko",
                        progress: Progress = no_progress, cancel: CancelToken = NEVER) -> ExportReport:
        """Assigned / visited / finalised per track, per evaluator and per application (in the
        access log); with ``round`` (its code or name) only that round's applications, and ``_meta``
        names the round; without, the whole program.  ``lang`` "ko" or "en"."""
        with self._uow.read() as s:
            p = current_program(s)
            rnd = round_by_code(s, p, round) if round else None  # an unknown round: before any file
            report = exports.export_progress(s, p, path, round=rnd, lang=lang, progress=progress, cancel=cancel)
            subjects = _application_ids(s, round_id=rnd.id if rnd else None)
        self._log_output(report.path, action="export", what="progress workbook", subjects=subjects)
        return report


def _application_ids(s, *, evaluator: str | None = None, scored: bool = False,  # noqa: ANN001
                     round_id: int | None = None) -> list[str]:
    """The IDs of the current program's applications (assigned to ``evaluator``; with a score; of
    the round ``round_id``)."""
    p = current_program(s)
    q = select(Application.external_id).where(Application.program_id == p.id)
    if round_id is not None:
        q = q.where(Application.round_id == round_id)
    if evaluator:
        q = q.where(Application.id.in_(select(Assignment.application_id).join(
            Evaluator, Evaluator.id == Assignment.evaluator_id).where(Evaluator.code == evaluator,
                                                                      Assignment.conflict_type.is_(None))))
    if scored:
        q = q.where(Application.id.in_(select(Assignment.application_id).join(
            Evaluation, Evaluation.assignment_id == Assignment.id).join(Score, Score.evaluation_id == Evaluation.id)))
    return list(s.execute(q.order_by(Application.external_id)).scalars())
