"""Problems and errors from the core in the UI's language.

Every problem the core reports carries its place and its kind as fields (see
:class:`evaluator.errors.Problem`): the file, sheet, row and column it is in, the field it is
about, a stable ``code`` and the ``params`` its sentence quotes.  The Korean UI shows the place in
Korean ("시트 '접수현황' 17행, 열 신청금액") and every kind of problem the importers and finalising
report as a Korean sentence that keeps the quoted value exactly; a kind without a sentence here
stays as the core wrote it (the core's own catalogue for every code comes later).  :func:`grouped` puts the problems of one row under one heading.  Nothing
here reads an English sentence back into fields.  Each error class also gets a short headline in
the UI's language above the core's own sentence (``headline``).
"""

from __future__ import annotations

from dataclasses import dataclass

from evaluator import errors as E

from .i18n import language, tr


def _templates() -> dict[str, str]:
    """Problem code → translated template over its params (built per call so tr() sees the language).

    Every code the importers (``evaluator/excel``) and finalising (``evaluator/services/scoring``)
    emit has a sentence here; a code without one shows the core's English sentence."""
    missing_id = tr("the application ID (접수번호) is missing")
    return {
        # a cell's value
        "value.invalid": tr("{value} cannot be read"),
        "value.not_amount": tr("{value} is not an amount"),
        "value.not_whole_won": tr("{value} is not a whole number of won"),
        "value.not_count": tr("{value} is not a number of people"),
        "value.not_number": tr("{value} is not a number"),
        "value.not_date": tr("{value} is not a date (use 2012-04-12 or 2012.04.12)"),
        "value.not_email": tr("{value} is not an e-mail address"),
        "value.not_phone": tr("{value} is not a phone number"),
        "value.not_id": tr("{value} is not an ID"),
        "value.not_version": tr("{value} is not a version number"),
        "value.negative": tr("{value} is negative"),
        "value.too_large": tr("{value} is implausibly large"),
        "value.too_long": tr("the text is {length} characters long; at most {limit} fit"),
        "value.control_character": tr("{value} holds a control character that cannot be stored"),
        "value.not_district": tr("{value} is not one of Seoul's 25 districts (e.g. 종로구)"),
        "value.unknown_label": tr("{value} is not a known value; use one of {allowed}"),
        "value.unknown_label.track": tr("{value} is not a known track; use one of {allowed}"),
        "value.unknown_label.category": tr("{value} is not a known category; use one of {allowed}"),
        # the sheet
        "sheet.unknown_column": tr("unknown column, ignored"),
        "sheet.row_number_column": tr("row numbers, ignored"),
        "sheet.columns_cut": tr("only the first {limit} columns were read"),
        "sheet.no_rows": tr("has a header in row {header_row} but no data rows"),
        "sheet.data_ends": tr("the data ends at row {end}; the blank rows after it (to row {last}) were skipped"),
        "sheet.duplicate_field": tr("columns {first} ({first_letter}) and {other} ({other_letter}) mean the same "
                                    "field; rename or remove one"),
        "problems.more": tr("… and {count} more problems"),
        # intake
        "intake.id_missing": missing_id,
        "intake.duplicate_id": tr("application ID {id} appears twice (also in row {first_row})"),
        "intake.track_missing": tr("the track (사업유형) is missing"),
        "intake.title_missing": tr("the project title (사업명) is missing"),
        "intake.new_needs_track": tr("a new application needs a track (사업유형)"),
        "intake.new_needs_title": tr("a new application needs a project title (사업명)"),
        "intake.not_a_field": tr("'{field}' is not an application field"),
        "intake.unknown_columns": tr("unknown columns kept aside with each application: {columns}"),
        "intake.total_or_note_row": tr("skipped: a total or note row ({text})"),
        # evaluators and assignments
        "assignments.no_table": tr("skipped: no header with an evaluator column (평가위원번호)"),
        "assignments.evaluator_missing": tr("the evaluator ID (평가위원번호) is missing"),
        "assignments.evaluator_disagrees": tr("evaluator {evaluator} has '{value}' here but '{other}' in "
                                              "{other_where}"),
        "assignments.application_missing": tr("the application ID (접수번호) is missing for this assignment"),
        "assignments.duplicate_pair": tr("{evaluator} and application {application_id} appear twice (also {first})"),
        "assignments.note_without_conflict": tr("a conflict note without a conflict type is ignored"),
        # paper scores
        "scores.application_id_missing": missing_id,
        "scores.evaluator_missing": tr("the evaluator ID (평가위원번호) is missing"),
        "scores.criterion_missing": tr("the criterion (평가항목코드) is missing"),
        "scores.no_score_column": tr("there is neither a level (등급) nor a points (점수) column"),
        "scores.duplicate_row": tr("{application_id} · {evaluator} · {criterion} appears twice (also row {first_row})"),
        "scores.recusals_skipped": tr("{count} rows of declared conflicts (recusals) were skipped"),
        "scores.other_program": tr("this workbook belongs to program '{program}', but the database holds "
                                   "'{database_program}'"),
        "scores.unknown_application": tr("there is no application {application_id} in this program"),
        "scores.unknown_evaluator": tr("there is no evaluator {evaluator}"),
        "scores.not_assigned": tr("{evaluator} is not assigned to {application_id}"),
        "scores.conflict": tr("{evaluator} declared a conflict of interest with {application_id} and cannot score it"),
        "scores.unknown_criterion": tr("the rubric has no criterion '{criterion}' (criteria: {criteria})"),
        "scores.points_not_a_level": tr("criterion {criterion} is scored by level; {points} is none of its levels' "
                                        "points ({allowed})"),
        "scores.invalid_score": tr("this is not a valid score for criterion {criterion}"),
        "scores.finalised": tr("the evaluation of {application_id} by {evaluator} is finalised; reopen it (with a "
                               "reason) before importing changed scores"),
        "scores.edit_conflict": tr("edit conflict: the score of {criterion} changed after this sheet was made "
                                   "(version {sheet_version} in the sheet, {version} now)"),
        # finalising
        "scoring.not_scored": tr("'{name}' has no score"),
        "scoring.visit_date_missing": tr("the visit date and time are not recorded"),
        "scoring.attendees_missing": tr("the attendees are not recorded"),
        "scoring.check_missing": tr("the checklist item '{name}' is not ticked"),
        # program files (docs/programs.md): the place is the file and the key, as in the file
        "program.missing": tr("is missing"),
        "program.unknown_key": tr("is not a known key (typo?)"),
        "program.not_text": tr("must be non-empty text, got {got}"),
        "program.bad_code": tr("{got} is not a valid code (letters, digits, '.', '_' and '-', at most 40)"),
        "program.not_integer": tr("must be a whole number, got {got}"),
        "program.not_number": tr("must be a number, got {got}"),
        "program.not_boolean": tr("must be true or false, got {got}"),
        "program.not_date": tr("must be a date (YYYY-MM-DD), got {got}"),
        "program.not_one_of": tr("must be one of {allowed}, got {got}"),
        "program.duplicate": tr("duplicate code {id}"),
        "program.out_of_range": tr("is out of range, got {got}"),
        "program.rubric_missing": tr("names the rubric file {path}, which does not exist (paths are relative to the "
                                     "program file)"),
        "program.none_given": tr("at least one track is required ([[tracks]])"),
        "program.rolling_needs_rounds": tr("a rolling program lists its rounds ([[rounds]]) with their intake windows"),
        "program.window_backwards": tr("the window ends before it opens"),
        "program.window_overlap": tr("the intake window overlaps round {round}"),
    }


def where_text(problem: E.Problem) -> str:
    """A problem's place in the UI's language, from its fields."""
    if language() == "en" or problem.sheet is None:
        return problem.where
    sheet, row, column = problem.sheet, problem.row, problem.column
    if row is not None and column:
        return tr("Sheet '{sheet}' row {row}, column {column}").format(sheet=sheet, row=row, column=column)
    if row is not None:
        return tr("Sheet '{sheet}' row {row}").format(sheet=sheet, row=row)
    if column:
        return tr("Sheet '{sheet}' column {column}").format(sheet=sheet, column=column)
    return tr("Sheet '{sheet}'").format(sheet=sheet)


def message_text(problem: E.Problem) -> str:
    """A problem's sentence in the UI's language when its kind has a translation (the quoted value
    kept as typed); otherwise the core's own sentence."""
    if language() == "en":
        return problem.message
    templates = _templates()
    template = templates.get(f"{problem.code}.{problem.params.get('what')}") or templates.get(problem.code)
    if template is None:
        return problem.message
    try:
        return template.format(**problem.params)
    except (KeyError, IndexError, ValueError):  # params that do not fit: the core's sentence
        return problem.message


def problem_text(problem: E.Problem) -> str:
    where, message = where_text(problem), message_text(problem)
    return f"{where}: {message}" if where else message


@dataclass(frozen=True)
class ProblemGroup:
    """The problems of one place: a row of a sheet (``heading`` names it, each line names the column),
    or a single problem elsewhere (no heading, the line says it all)."""

    heading: str
    lines: tuple[str, ...]


def grouped(problems) -> list[ProblemGroup]:
    """The problems of each sheet row under one heading, rows in the order they first come; a problem
    with no row is a group of its own."""
    rows: dict[tuple, list[E.Problem]] = {}
    order: list[tuple] = []
    for i, p in enumerate(problems):
        key = (p.file, p.sheet, p.row) if p.sheet is not None and p.row is not None else ("", None, i)
        if key not in rows:
            rows[key] = []
            order.append(key)
        rows[key].append(p)
    out = []
    for key in order:
        group = rows[key]
        if key[1] is None:
            out.append(ProblemGroup("", (problem_text(group[0]),)))
            continue
        first = group[0]
        heading = where_text(E.Problem(sheet=first.sheet, row=first.row))
        lines = tuple(
            f"{_column_text(p.column)}: {message_text(p)}" if p.column else message_text(p) for p in group)
        out.append(ProblemGroup(heading, lines))
    return out


def grouped_text(problems) -> str:
    """:func:`grouped` as plain text: each heading, then its lines indented."""
    out: list[str] = []
    for g in grouped(problems):
        if g.heading:
            out.append(g.heading)
            out.extend(f"  {line}" for line in g.lines)
        else:
            out.extend(g.lines)
    return "\n".join(out)


def _column_text(column: str) -> str:
    return tr("column {column}").format(column=column)


def headline(exc: BaseException) -> str:
    """A short sentence in the UI's language saying what kind of error this is ('' for English,
    where the core's own sentence says it all)."""
    if language() == "en" or not isinstance(exc, E.EvaluatorError):
        return ""
    table: list[tuple[type, str]] = [
        (E.DatabaseInUse, tr("The database is in use by another program.")),
        (E.DatabaseTooNew, tr("This database was written by a newer version of Maeul Evaluator.")),
        (E.NotAnEvaluatorDatabase, tr("This file is not a Maeul Evaluator database.")),
        (E.ReadOnlyDatabase, tr("The database cannot be written.")),
        (E.TransactionLost, tr("The database undid the whole change after an error; nothing was saved.")),
        (E.DatabaseUnavailable, tr("The database cannot be opened.")),
        (E.MigrationFailed, tr("The database could not be upgraded.")),
        (E.DatabaseError, tr("A database problem stopped the work.")),
        (E.ConflictOfInterest, tr("This evaluator has a declared conflict of interest with this application.")),
        (E.EvaluationLocked, tr("This evaluation is finalised and locked.")),
        (E.EditConflict, tr("Someone else changed this in the meantime.")),
        (E.PermissionDenied, tr("This cannot be done in this database.")),
        (E.ValidationError, tr("The input has problems; nothing was changed.")),
        (E.NotFound, tr("What was asked for does not exist.")),
        (E.Cancelled, tr("Cancelled.")),
    ]
    for cls, text in table:
        if isinstance(exc, cls):
            return text
    return tr("The work could not be done.")
