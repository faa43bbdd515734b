"""What imports and exports hand back: frozen dataclasses of plain values."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import Problem


@dataclass(frozen=True)
class PreviewColumn:
    header: str  # header text as it reads in the sheet
    letter: str  # column letter (A, B, …)
    field: str | None  # mapped field key; None = unknown (kept aside); "-" = ignored


@dataclass(frozen=True)
class ImportPreview:
    """What the import wizard shows before anything is written."""

    file: str
    sheet: str
    header_row: int  # 1-based
    columns: tuple[PreviewColumn, ...]
    unknown_columns: tuple[str, ...]  # headers kept aside in Application.extra
    rows: tuple[dict[str, Any], ...]  # the first ~20 data rows, normalised ({field: value}, plus "_row")
    problems: tuple[Problem, ...]  # every error found (import would refuse while there are any)
    warnings: tuple[Problem, ...]
    total_rows: int
    would_add: int
    would_update: int
    would_unchanged: int

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class ImportReport:
    """The outcome of an applications import (or what a dry run would do)."""

    file: str
    sheet: str
    dry_run: bool
    rows: int
    added: tuple[str, ...]
    updated: tuple[str, ...]
    unchanged: tuple[str, ...]
    #: {application ID: {field: (old, new)}} for updated applications
    changes: dict[str, dict[str, tuple[Any, Any]]] = field(default_factory=dict, hash=False, compare=False)
    unknown_columns: tuple[str, ...] = ()
    warnings: tuple[Problem, ...] = ()
    #: round code -> applications of the sheet in that round (new and updated alike)
    rounds: dict[str, int] = field(default_factory=dict, hash=False, compare=False)
    program: str = ""

    def summary(self) -> str:
        verb = "would add" if self.dry_run else "added"
        upd = "would update" if self.dry_run else "updated"
        where = ""
        if self.rounds:
            where = " In round " + ", round ".join(f"{code}: {n}" for code, n in self.rounds.items()) + "."
        return (f"{self.file} (sheet '{self.sheet}', {self.rows} rows): {verb} {len(self.added)}, "
                f"{upd} {len(self.updated)}, unchanged {len(self.unchanged)}.{where}")


@dataclass(frozen=True)
class AssignmentImportReport:
    file: str
    dry_run: bool
    sheets: tuple[str, ...]
    rows: int
    evaluators_added: tuple[str, ...]
    evaluators_updated: tuple[str, ...]
    evaluators_unchanged: tuple[str, ...]
    assignments_added: tuple[tuple[str, str], ...]  # (application ID, evaluator ID)
    assignments_unchanged: tuple[tuple[str, str], ...]
    conflicts_added: tuple[tuple[str, str], ...]
    conflicts_changed: tuple[tuple[str, str], ...]
    conflicts_unchanged: tuple[tuple[str, str], ...]
    warnings: tuple[Problem, ...] = ()

    def summary(self) -> str:
        pre = "would add" if self.dry_run else "added"
        return (f"{self.file}: {pre} {len(self.evaluators_added)} evaluators "
                f"({len(self.evaluators_updated)} updated), {len(self.assignments_added)} assignments "
                f"({len(self.assignments_unchanged)} already there), {len(self.conflicts_added)} conflict "
                f"declarations ({len(self.conflicts_changed)} changed).")


@dataclass(frozen=True)
class ScoreChange:
    application_id: str
    evaluator: str
    criterion: str
    old: dict[str, Any] | None  # {"level", "points", "comment"} before (None = not scored)
    new: dict[str, Any]


@dataclass(frozen=True)
class OpenEvaluation:
    """An evaluation ``import scores --finalise`` left open: required criteria still unscored."""

    application_id: str
    evaluator: str
    missing: tuple[str, ...]  # criterion codes; visited_at, attendees or checklist.ID for the visit log


@dataclass(frozen=True)
class ScoreImportReport:
    file: str
    sheet: str
    dry_run: bool
    rows: int
    saved: tuple[ScoreChange, ...]
    unchanged: int
    blank: int  # rows with no value (left as they are)
    evaluations: tuple[tuple[str, str], ...]  # (application, evaluator) pairs touched
    finalised: tuple[tuple[str, str], ...] = ()
    #: with finalise: the evaluations left as they were (not complete), with what they miss
    not_finalised: tuple[OpenEvaluation, ...] = ()
    warnings: tuple[Problem, ...] = ()

    def summary(self) -> str:
        verb = "would save" if self.dry_run else "saved"
        fin = (f", {'would finalise' if self.dry_run else 'finalised'} {len(self.finalised)} evaluations"
               if self.finalised else "")
        if self.not_finalised:
            fin += f", left {len(self.not_finalised)} incomplete evaluations open"
        return (f"{self.file} (sheet '{self.sheet}', {self.rows} rows): {verb} {len(self.saved)} scores in "
                f"{len(self.evaluations)} evaluations, {self.unchanged} unchanged, {self.blank} blank{fin}.")


@dataclass(frozen=True)
class ExportReport:
    path: str
    kind: str
    sheets: dict[str, int] = field(default_factory=dict, hash=False, compare=False)  # sheet → data rows

    @property
    def rows(self) -> int:
        return sum(self.sheets.values())

    def summary(self) -> str:
        parts = ", ".join(f"{k} {v}" for k, v in self.sheets.items())
        return f"Wrote {self.path} ({self.kind}: {parts})."
