"""Domain errors.

Every error the core raises on purpose derives from :class:`EvaluatorError` and carries one clear
sentence that says what went wrong and where (file, sheet, row, column, field, database).  The CLI
prints ``str(error)`` and exits non-zero; the GUI shows it in its one error dialog.  Anything that
is not an ``EvaluatorError`` is a bug.
"""

from __future__ import annotations

import dataclasses
from dataclasses import KW_ONLY, dataclass
from typing import Any

from .messages import SOURCE_LANGUAGE, Localised, Message, msg, text


class EvaluatorError(Exception):
    """Base class of every expected, user-facing error.

    Its sentence and hint are messages of the core's catalogue (:func:`evaluator.messages.msg`),
    rendered in the language in effect when they are read (``message``, ``hint``, ``str()``);
    ``sentence`` is the message itself, for an error that quotes another, and ``code`` its code."""

    #: process exit code used by the CLI
    exit_code = 1

    def __init__(self, message: str | Message, *, hint: str | Message | None = None) -> None:
        super().__init__(message)
        self.sentence = message
        self._hint = hint

    @property
    def message(self) -> str:
        return text(self.sentence) or ""

    @property
    def hint(self) -> str | None:
        return text(self._hint)

    @property
    def code(self) -> str | None:
        """The sentence's message code (``None`` for text that is not in the catalogue)."""
        return self.sentence.code if isinstance(self.sentence, Message) else None

    def __str__(self) -> str:
        hint = self.hint
        return self.message if not hint else f"{self.message} {hint}"


# --- database -------------------------------------------------------------------------------------
class DatabaseError(EvaluatorError):
    exit_code = 3


class InvalidDatabaseURL(DatabaseError):
    """The --db value is not a usable database URL."""


class DatabaseUnavailable(DatabaseError):
    """The server cannot be reached or the file cannot be opened."""


class DatabaseInUse(DatabaseError):
    """Another program holds the write lock longer than we are willing to wait."""


class DatabaseTooNew(DatabaseError):
    """The database was written by a newer version of the application."""


class NotAnEvaluatorDatabase(DatabaseError):
    """The file is a database, but not one of ours."""


class DatabaseDamaged(DatabaseError):
    """The database file is damaged (cut short, overwritten, corrupt pages): restore a backup."""


class MigrationFailed(DatabaseError):
    """An upgrade failed; the original is untouched and a backup sits beside it."""


class ReadOnlyDatabase(DatabaseError):
    """The database or its folder cannot be written."""


class TransactionLost(DatabaseError):
    """SQLite rolled back the whole transaction by itself after an error (disk full, I/O error,
    out of memory, interrupt), even though the code only meant to undo one savepoint."""


# --- data -----------------------------------------------------------------------------------------
class NotFound(EvaluatorError):
    exit_code = 4


class ValidationError(EvaluatorError):
    """Input data is wrong.  ``problems`` lists every problem found, each with its location."""

    exit_code = 2

    def __init__(self, message: str, problems: list[Problem] | None = None, *, hint: str | None = None):
        super().__init__(message, hint=hint)
        self.problems: list[Problem] = list(problems or [])

    def __str__(self) -> str:
        head = super().__str__()
        if not self.problems:
            return head
        lines = [head] + [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


class RubricError(ValidationError):
    """A rubric file is malformed; every problem names the file and the key."""


class ProgramFileError(ValidationError):
    """A program file is malformed (or a rubric file it names); every problem names the file and the key."""


class ConflictOfInterest(EvaluatorError):
    """An operation would give an evaluator an application they declared a conflict with."""


class EvaluationLocked(EvaluatorError):
    """The evaluation is finalised; reopen it (with a reason) before changing it."""


class EditConflict(EvaluatorError):
    """A stale version of a record was submitted (HotCRP's 'edit conflict'); nothing was saved."""


class PermissionDenied(EvaluatorError):
    """The operation is not available in this database's mode (office or field)."""


class RoleRefused(PermissionDenied):
    """The database server refused the change: the login's role does not allow it (PostgreSQL
    roles, ``evaluator admin grant``)."""


class Cancelled(EvaluatorError):
    """The user cancelled a long job; nothing was written."""

    exit_code = 130


@dataclass(frozen=True)
class Problem:
    """One located problem in user input, as fields and as text.

    The fields say where the problem is (``file``, ``sheet``, ``row``, ``column`` — the column's
    name as the sheet shows it — its ``letter``, and the ``field`` it means: a field key such as
    ``requested_amount``, or a rubric key path such as ``criteria[2].max``) and what it is (a stable
    ``code`` such as ``value.not_amount`` with its ``params``).  Sorting, grouping and translation
    use them.  The message is one of the core's catalogue (:func:`evaluator.messages.msg`; its code
    and params become the problem's); ``where`` and ``message`` are its English text (logs, tests),
    :meth:`render` and ``str()`` the text in a language, which the command line prints and its JSON
    carries.  ``where`` is rendered from the fields when not given.  Params may quote the input
    (``params["value"]``, as the message does), so logs use ``where`` only.
    """

    where: str = ""  # e.g. "Sheet '접수현황' row 17, column 신청금액" or "activity.toml, criteria[2].max"
    message: str | Message = ""  # e.g. msg("value.not_amount", "{value} is not an amount", value="'abc'")
    _: KW_ONLY
    code: str = ""  # e.g. "value.not_amount"
    params: dict[str, Any] = dataclasses.field(default_factory=dict, hash=False)
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    letter: str | None = None
    field: str | None = None

    def __post_init__(self) -> None:
        if isinstance(self.where, Message) and not self.message:  # Problem(msg(...), sheet=…): the sentence
            object.__setattr__(self, "message", self.where)
            object.__setattr__(self, "where", "")
        if isinstance(self.where, Message):  # a place said in words ("the visit log"): rendered when shown
            object.__setattr__(self, "_where_message", self.where)
            object.__setattr__(self, "where", self.where.render(SOURCE_LANGUAGE))
        sentence = self.message
        if isinstance(sentence, Message):
            object.__setattr__(self, "_sentence", sentence)
            object.__setattr__(self, "message", sentence.render(SOURCE_LANGUAGE))
            if not self.code:
                object.__setattr__(self, "code", sentence.code)
            if not self.params:
                object.__setattr__(self, "params", {k: v.render(SOURCE_LANGUAGE) if isinstance(v, (Message, Localised)) else v
                                                    for k, v in sentence.params.items()})
        object.__setattr__(self, "_where_given", bool(self.where))
        if not self.where:
            object.__setattr__(self, "where", self.location(SOURCE_LANGUAGE))

    def location(self, lang: str | None = None) -> str:
        """The location from the fields, in ``lang`` (the current language by default; a
        workbook's file is named by the error that lists the problems, so a sheet location leaves
        it out)."""
        if getattr(self, "_where_given", False):
            said = getattr(self, "_where_message", None)
            return said.render(lang) if said is not None else self.where
        if self.sheet is not None:
            if self.row is not None:
                m = (msg("where.sheet_row_column", "Sheet '{sheet}' row {row}, column {column}", sheet=self.sheet,
                         row=self.row, column=self.column) if self.column else
                     msg("where.sheet_row", "Sheet '{sheet}' row {row}", sheet=self.sheet, row=self.row))
            else:
                m = (msg("where.sheet_column", "Sheet '{sheet}' column {column}", sheet=self.sheet,
                         column=self.column) if self.column else msg("where.sheet", "Sheet '{sheet}'", sheet=self.sheet))
            return m.render(lang)
        if self.file:
            return f"{self.file}, {self.field}" if self.field else self.file
        return self.field or ""

    def text(self, lang: str | None = None) -> str:
        """The problem's sentence in ``lang`` (the current language by default)."""
        sentence = getattr(self, "_sentence", None)
        return sentence.render(lang) if sentence is not None else str(self.message)

    def render(self, lang: str | None = None) -> str:
        """Where and what, in ``lang`` (the current language by default)."""
        where, what = self.location(lang), self.text(lang)
        return f"{where}: {what}" if where else what

    def to_dict(self) -> dict[str, Any]:
        """What the command line's JSON carries: the text in the current language and every field
        that is set."""
        out: dict[str, Any] = {"where": self.location(), "message": self.text()}
        for k in ("code", "file", "sheet", "row", "column", "letter", "field"):
            v = getattr(self, k)
            if v is not None and v != "":
                out[k] = v
        if self.params:
            out["params"] = dict(self.params)
        return out

    def __str__(self) -> str:
        return self.render()
