"""What imports and exports hand back: frozen dataclasses of plain values."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import Problem
from ..messages import msg


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
        """One sentence in the language in effect."""
        where = ""
        if self.rounds:
            rounds = ", ".join(str(msg("excel.summary.round_count", "round {round}: {count}", round=code, count=n))
                               for code, n in self.rounds.items())
            where = " " + str(msg("excel.summary.in_rounds", "In {rounds}.", rounds=rounds))
        values = dict(file=self.file, sheet=self.sheet, rows=self.rows, added=len(self.added),
                      updated=len(self.updated), unchanged=len(self.unchanged))
        head = (msg("excel.summary.intake_dry_run", "{file} (sheet '{sheet}', {rows} {rows:row|rows}): would add "
                    "{added}, would update {updated}, unchanged {unchanged}.", **values) if self.dry_run else
                msg("excel.summary.intake", "{file} (sheet '{sheet}', {rows} {rows:row|rows}): added {added}, updated "
                    "{updated}, unchanged {unchanged}.", **values))
        return str(head) + where


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
        """One sentence in the language in effect."""
        values = dict(file=self.file, evaluators=len(self.evaluators_added), updated=len(self.evaluators_updated),
                      assignments=len(self.assignments_added), already=len(self.assignments_unchanged),
                      conflicts=len(self.conflicts_added), changed=len(self.conflicts_changed))
        return str(msg("excel.summary.assignments_dry_run", "{file}: would add {evaluators} "
                       "{evaluators:evaluator|evaluators} ({updated} updated), {assignments} "
                       "{assignments:assignment|assignments} ({already} already there), {conflicts} conflict "
                       "{conflicts:declaration|declarations} ({changed} changed).", **values) if self.dry_run else
                   msg("excel.summary.assignments", "{file}: added {evaluators} {evaluators:evaluator|evaluators} "
                       "({updated} updated), {assignments} {assignments:assignment|assignments} ({already} already "
                       "there), {conflicts} conflict {conflicts:declaration|declarations} ({changed} changed).",
                       **values))


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
        """One sentence in the language in effect."""
        fin = ""
        if self.finalised:
            n = len(self.finalised)
            fin = str(msg("excel.summary.would_finalise", ", would finalise {count} {count:evaluation|evaluations}",
                          count=n)
                      if self.dry_run else msg("excel.summary.finalised", ", finalised {count} "
                                               "{count:evaluation|evaluations}", count=n))
        if self.not_finalised:
            fin += str(msg("excel.summary.left_open", ", left {count} incomplete {count:evaluation|evaluations} open",
                           count=len(self.not_finalised)))
        values = dict(file=self.file, sheet=self.sheet, rows=self.rows, saved=len(self.saved),
                      evaluations=len(self.evaluations), unchanged=self.unchanged, blank=self.blank, more=fin)
        return str(msg("excel.summary.scores_dry_run", "{file} (sheet '{sheet}', {rows} {rows:row|rows}): would save "
                       "{saved} {saved:score|scores} in {evaluations} {evaluations:evaluation|evaluations}, "
                       "{unchanged} unchanged, {blank} blank{more}.", **values)
                   if self.dry_run else
                   msg("excel.summary.scores", "{file} (sheet '{sheet}', {rows} {rows:row|rows}): saved {saved} "
                       "{saved:score|scores} in {evaluations} {evaluations:evaluation|evaluations}, {unchanged} "
                       "unchanged, {blank} blank{more}.", **values))


@dataclass(frozen=True)
class ExportReport:
    path: str
    kind: str
    sheets: dict[str, int] = field(default_factory=dict, hash=False, compare=False)  # sheet → data rows

    @property
    def rows(self) -> int:
        return sum(self.sheets.values())

    def summary(self) -> str:
        """One sentence in the language in effect."""
        parts = ", ".join(f"{k} {v}" for k, v in self.sheets.items())
        return str(msg("excel.summary.export", "Wrote {path} ({kind}: {sheets}).", path=self.path, kind=self.kind,
                       sheets=parts))
