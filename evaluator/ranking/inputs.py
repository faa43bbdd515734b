"""What the ranking engine needs for one track, as plain in-memory values.

:func:`evaluator.ranking.engine.rank_track` is a pure function of a :class:`TrackInputs`; the
loader (:mod:`evaluator.ranking.load`) fills one from the database with a few bulk queries, and
tests and benchmarks build them directly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from ..rules import SELECTIONS, SupportAmount

from .model import METHODS

#: tie-break rules in the default order (BRIEF §4); the application ID always comes last
TIE_BREAKS = ("field_check", "fewer_flags", "earlier_submission")

#: evaluation states as the loader reports them
NOT_STARTED = "not_started"
DRAFT = "draft"
FINALISED = "finalised"


@dataclass(frozen=True, slots=True)
class CriterionSpec:
    code: str
    weight: float
    max_points: float
    required: bool = True
    field_check: bool = False


@dataclass(frozen=True, slots=True)
class GateSpec:
    code: str
    name_ko: str
    name_en: str = ""
    kind: str = "manual"  # auto | manual
    field: str | None = None  # auto gates: members | requested_amount | self_contribution
    min_value: float | None = None


class EvaluationInput(NamedTuple):
    """One evaluator × application pairing.

    ``points`` is aligned with :attr:`TrackInputs.criteria` (``None`` = not scored); an empty tuple
    means nothing was scored yet.  (Named tuples, not dataclasses: a 10,000-application track has
    30,000 of these and they are built on every ranking; change one with ``_replace``.)"""

    evaluator: str
    points: tuple[float | None, ...] = ()
    state: str = FINALISED  # not_started | draft | finalised
    abstained: bool = False
    abstain_reason: str = ""
    conflict: str | None = None  # declared conflict of interest (recusal) type
    conflict_note: str = ""


class ApplicationInput(NamedTuple):
    application_id: str
    evaluations: tuple[EvaluationInput, ...] = ()
    title: str = ""
    group_name: str = ""
    district: str = ""
    category: str = ""
    members: int | None = None
    requested_amount: int | None = None
    self_contribution: int | None = None
    submitted_on: date | None = None
    status: str = "received"  # received | withdrawn
    #: recorded outcomes of manual gates: gate code -> passed (an unrecorded gate is presumed passed)
    gate_results: dict[str, bool] = {}  # never mutated
    override: str | None = None
    override_reason: str = ""


@dataclass(frozen=True, slots=True)
class TrackInputs:
    track: str
    criteria: tuple[CriterionSpec, ...]
    applications: tuple[ApplicationInput, ...]
    quota: int
    reserve_size: int = 3
    budget: int | None = None
    min_score: float = 60.0
    method: str = "mean"
    trim_min_evaluators: int = 5
    disagreement_threshold: float = 20.0
    tie_breaks: tuple[str, ...] = TIE_BREAKS
    gates: tuple[GateSpec, ...] = ()
    provisional: bool = False
    stability: bool = True
    name_ko: str = ""
    name_en: str = ""
    #: the program file's own gates (docs/rules.md), evaluated by the loader: application ID ->
    #: (the failed gate codes, their phrases); an application not named passes them all
    rule_failures: Mapping[str, tuple[tuple[str, ...], tuple]] | None = None
    #: the computed support amount of each application (docs/rules.md): application ID -> amount
    support: Mapping[str, SupportAmount] | None = None
    #: the budget draws on the computed support amount (``support``), not the requested amount
    budget_draws_support: bool = False
    #: the selection model (docs/rules.md): "quota" (rank, quota, reserves) or "threshold-budget"
    #: (every application at or above the minimum while the budget covers it; no quota, no reserves)
    selection: str = "quota"
    #: threshold-budget: go on past an application the budget does not cover (smaller ones may fit)
    fill: bool = False
    #: a lower and an upper bound of every criterion's points in these evaluations, a blank counted
    #: as 0 (the loader's: 0 and every value it read; may be wider): saves the stability analysis a
    #: pass over every point (None: it makes that pass)
    points_range: tuple[float, float] | None = None

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"unknown method {self.method!r} (one of {', '.join(METHODS)})")
        unknown = [r for r in self.tie_breaks if r not in TIE_BREAKS]
        if unknown:
            raise ValueError(f"unknown tie-break rule(s) {unknown} (known: {', '.join(TIE_BREAKS)})")
        if self.selection not in SELECTIONS:
            raise ValueError(f"unknown selection {self.selection!r} (one of {', '.join(SELECTIONS)})")
        if not self.criteria or sum(c.weight * c.max_points for c in self.criteria) <= 0:
            raise ValueError(f"track {self.track!r}: the rubric has no weighted criterion")
