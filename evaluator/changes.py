"""What a write changed: the small record every writing façade call returns with its result.

Like Anki's ``OpChanges``: the core computes which kinds of records a unit of work wrote (from the
tables its statements touched, see :mod:`evaluator.uow`), never the caller; the desktop app
redraws the screens that show those kinds.

    outcome = store.scoring.finalise("2012-A-001", "EV01")
    outcome.value            # the EvaluationInfo
    EVALUATIONS in outcome.changes
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

#: kinds of records (screens listen for these)
PROGRAMS = "programs"
APPLICATIONS = "applications"
EVALUATORS = "evaluators"
ASSIGNMENTS = "assignments"
EVALUATIONS = "evaluations"
ATTACHMENTS = "attachments"
DECISIONS = "decisions"
PACKAGES = "packages"
CONFLICTS = "conflicts"
SETTINGS = "settings"
#: awards, their tranches and support log; monitoring visits (docs/follow-up.md)
AWARDS = "awards"
MONITORING = "monitoring"
KINDS = frozenset({PROGRAMS, APPLICATIONS, EVALUATORS, ASSIGNMENTS, EVALUATIONS, ATTACHMENTS, DECISIONS,
                   PACKAGES, CONFLICTS, SETTINGS, AWARDS, MONITORING})

#: table -> kind; tables not named here (the audit trail, Alembic's) are not a change anyone shows
TABLE_KINDS = {
    "program": PROGRAMS, "track": PROGRAMS, "rubric": PROGRAMS, "criterion": PROGRAMS, "eligibility_gate": PROGRAMS,
    "program_round": PROGRAMS, "round_track": PROGRAMS,
    "application": APPLICATIONS, "gate_result": APPLICATIONS,
    "evaluator": EVALUATORS,
    "assignment": ASSIGNMENTS,
    "evaluation": EVALUATIONS, "score": EVALUATIONS, "site_visit": EVALUATIONS,
    "attachment": ATTACHMENTS,
    "decision": DECISIONS,
    "package_receipt": PACKAGES, "package_evidence": PACKAGES, "merge_lineage": PACKAGES,
    "merge_conflict": CONFLICTS,
    "setting": SETTINGS,
    "award": AWARDS, "disbursement": AWARDS, "support_entry": AWARDS,
    "monitoring_visit": MONITORING,
}

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Changes:
    """The kinds of records a write changed (empty: nothing did)."""

    kinds: frozenset[str] = frozenset()

    @classmethod
    def of(cls, *kinds: str) -> Changes:
        unknown = set(kinds) - KINDS
        if unknown:
            raise ValueError(f"unknown kinds of change: {sorted(unknown)}")
        return cls(frozenset(kinds))

    @classmethod
    def of_tables(cls, tables: Iterable[str]) -> Changes:
        return cls(frozenset(k for t in tables if (k := TABLE_KINDS.get(t)) is not None))

    def __bool__(self) -> bool:
        return bool(self.kinds)

    def __contains__(self, kind: object) -> bool:
        return kind in self.kinds

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.kinds | other.kinds)


NOTHING = Changes()


@dataclass(frozen=True, slots=True)
class Outcome(Generic[T]):
    """A write's result and what it changed."""

    value: T
    changes: Changes = NOTHING
