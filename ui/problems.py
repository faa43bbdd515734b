"""Problems and errors from the core in the UI's language.

The core speaks English (one clear sentence per error, one line per located problem: see
:mod:`evaluator.errors`).  The Korean UI shows the *location* of every problem in Korean ("시트
'접수현황' 17행, 열 신청금액") and the commonest kinds of problem (a value that is not an amount,
a date, a number …; something missing; an unknown column) as Korean sentences that keep the quoted
value exactly; anything else stays as the core wrote it.  Each error class also gets a short
headline in the UI's language above the core's own sentence (``headline``).
"""

from __future__ import annotations

import re

from evaluator import errors as E

from .i18n import language, tr

_WHERE = re.compile(r"^Sheet '(?P<sheet>.*)' row (?P<row>\d+)(?:, column (?P<column>.+))?$")
_SHEET_COLUMN = re.compile(r"^Sheet '(?P<sheet>.*)' column (?P<column>.+)$")
_SHEET = re.compile(r"^Sheet '(?P<sheet>.*)'$")
_VALUE = r"(?P<value>'.*'|\S+)"


def _kinds() -> list[tuple[re.Pattern, str]]:
    """(English message shape, translated template) — built per call so tr() sees the language."""
    return [
        (re.compile(rf"^{_VALUE} is not an amount$"), tr("{value} is not an amount")),
        (re.compile(rf"^{_VALUE} is not a whole number of won$"), tr("{value} is not a whole number of won")),
        (re.compile(rf"^{_VALUE} is not a (?:whole )?number of people$"), tr("{value} is not a number of people")),
        (re.compile(rf"^{_VALUE} is not a number$"), tr("{value} is not a number")),
        (re.compile(rf"^{_VALUE} is not a (?:valid |plausible )?date\b.*$"),
         tr("{value} is not a date (use 2012-04-12 or 2012.04.12)")),
        (re.compile(rf"^{_VALUE} is not an e-mail address$"), tr("{value} is not an e-mail address")),
        (re.compile(rf"^{_VALUE} is not a phone number$"), tr("{value} is not a phone number")),
        (re.compile(rf"^{_VALUE} is not an identifier$"), tr("{value} is not an ID")),
        (re.compile(rf"^{_VALUE} is negative.*$"), tr("{value} is negative")),
        (re.compile(rf"^{_VALUE} is not one of Seoul's \d+ districts.*$"),
         tr("{value} is not one of Seoul's 25 districts (e.g. 종로구)")),
        (re.compile(r"^the application ID \(접수번호\) is missing$"), tr("the application ID (접수번호) is missing")),
        (re.compile(r"^the track \(사업유형\) is missing$"), tr("the track (사업유형) is missing")),
        (re.compile(r"^the project title \(사업명\) is missing$"), tr("the project title (사업명) is missing")),
        (re.compile(r"^unknown column, ignored$"), tr("unknown column, ignored")),
        (re.compile(r"^unknown columns kept aside with each application: (?P<columns>.+)$"),
         tr("unknown columns kept aside with each application: {columns}")),
    ]


def where_text(where: str) -> str:
    """A problem's location in the UI's language."""
    if language() == "en" or not where:
        return where
    m = _WHERE.match(where)
    if m and m["column"]:
        return tr("Sheet '{sheet}' row {row}, column {column}").format(**m.groupdict())
    if m:
        return tr("Sheet '{sheet}' row {row}").format(sheet=m["sheet"], row=m["row"])
    m = _SHEET_COLUMN.match(where)
    if m:
        return tr("Sheet '{sheet}' column {column}").format(**m.groupdict())
    m = _SHEET.match(where)
    if m:
        return tr("Sheet '{sheet}'").format(sheet=m["sheet"])
    return where


def message_text(message: str) -> str:
    """A problem's message in the UI's language when it has a known shape (the value kept as is)."""
    if language() == "en":
        return message
    for pattern, template in _kinds():
        m = pattern.match(message)
        if m:
            return template.format(**m.groupdict())
    return message


def problem_text(problem: E.Problem) -> str:
    where, message = where_text(problem.where), message_text(problem.message)
    return f"{where}: {message}" if where else message


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
