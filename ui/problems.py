"""Problems and errors from the core in the UI's language.

Every problem the core reports carries its place and its kind as fields (see
:class:`evaluator.errors.Problem`): the file, sheet, row and column it is in, the field it is
about, a stable ``code`` and the ``params`` its sentence quotes, and its sentence is a message of
the core's catalogue (:mod:`evaluator.messages`), so the core renders place and sentence in the
UI's language ("시트 '접수현황' 17행, 열 신청금액: 'abc'은(는) 금액이 아닙니다") with the quoted value
exactly as typed.  :func:`grouped` puts the problems of one row under one heading.  Nothing here
reads an English sentence back into fields.  Each error class also gets a short headline in
the UI's language above the core's own sentence (``headline``).
"""

from __future__ import annotations

from dataclasses import dataclass

from evaluator import errors as E

from .i18n import language, tr


def where_text(problem: E.Problem) -> str:
    """A problem's place in the UI's language (the core renders it from its fields)."""
    return problem.location(language())


def message_text(problem: E.Problem) -> str:
    """A problem's sentence in the UI's language, from the core's message catalogue (the quoted
    value kept as typed)."""
    return problem.text(language())


def problem_text(problem: E.Problem) -> str:
    return problem.render(language())


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
