"""Problems and errors from the core in the UI's language.

Every problem the core reports carries its place and its kind as fields (see
:class:`evaluator.errors.Problem`): the file, sheet, row and column it is in, the field it is
about, a stable ``code`` and the ``params`` its sentence quotes.  The Korean UI shows the place in
Korean ("시트 '접수현황' 17행, 열 신청금액") and the commonest kinds of problem (a value that is
not an amount, a date, a number …; something missing; an unknown column) as Korean sentences that
keep the quoted value exactly; any other kind stays as the core wrote it (a message catalogue for
every code comes later).  :func:`grouped` puts the problems of one row under one heading.  Nothing
here reads an English sentence back into fields.  Each error class also gets a short headline in
the UI's language above the core's own sentence (``headline``).
"""

from __future__ import annotations

from dataclasses import dataclass

from evaluator import errors as E

from .i18n import language, tr


def _templates() -> dict[str, str]:
    """Problem code → translated template over its params (built per call so tr() sees the language)."""
    missing_id = tr("the application ID (접수번호) is missing")
    return {
        "value.not_amount": tr("{value} is not an amount"),
        "value.not_whole_won": tr("{value} is not a whole number of won"),
        "value.not_count": tr("{value} is not a number of people"),
        "value.not_number": tr("{value} is not a number"),
        "value.not_date": tr("{value} is not a date (use 2012-04-12 or 2012.04.12)"),
        "value.not_email": tr("{value} is not an e-mail address"),
        "value.not_phone": tr("{value} is not a phone number"),
        "value.not_id": tr("{value} is not an ID"),
        "value.negative": tr("{value} is negative"),
        "value.not_district": tr("{value} is not one of Seoul's 25 districts (e.g. 종로구)"),
        "intake.id_missing": missing_id,
        "scores.application_id_missing": missing_id,
        "intake.track_missing": tr("the track (사업유형) is missing"),
        "intake.title_missing": tr("the project title (사업명) is missing"),
        "sheet.unknown_column": tr("unknown column, ignored"),
        "intake.unknown_columns": tr("unknown columns kept aside with each application: {columns}"),
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
    template = _templates().get(problem.code)
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
