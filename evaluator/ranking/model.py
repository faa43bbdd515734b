"""The ranking result as plain values: what the committee, the exports and the PDFs read.

(The engine that fills these lives beside this module; every consumer — CLI, Excel export, PDF
summary, GUI — reads only these dataclasses.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ..rules import SupportAmount
from .reasons import Reason, words

METHODS = ("mean", "median", "trimmed", "normalized")

#: flags an application row may carry
FLAG_DISAGREEMENT = "disagreement"  # spread above the program's threshold: moderation suggested
FLAG_INCOMPLETE = "incomplete"  # at least one evaluation misses a required criterion (left out)
FLAG_NO_EVALUATIONS = "no_evaluations"  # nothing countable: cannot be ranked
FLAG_CUT_LINE = "cut_line"  # decision flips under the stability analysis
FLAG_NORMALIZED_FALLBACK = "normalized_fallback"  # an evaluator scored < 3 apps: raw score used
FLAG_PROVISIONAL = "provisional"  # ranking includes unfinalised evaluations
FLAG_OVERRIDDEN = "overridden"  # the committee changed the computed decision
FLAG_TIE = "tie"  # tied on score; order set by the tie-break rules
FLAG_RECUSAL = "recusal"  # an evaluator declared a conflict of interest: left out (reported)
FLAG_ABSTENTION = "abstention"  # an evaluator abstained: left out (reported)
FLAG_WITHDRAWN = "withdrawn"  # the applicant withdrew: not ranked


@dataclass(frozen=True)
class EvaluatorScore:
    """One evaluator's contribution to an application."""

    evaluator: str
    total: float | None  # weighted total 0–100 (None = incomplete)
    normalized: float | None  # z-score rescaled to the track's raw range
    state: str  # draft | finalised | recused | abstained | incomplete | not_started
    counted: bool  # part of the aggregate
    note: str = ""  # why not counted (conflict type, abstention reason, …)
    criteria: dict[str, float | None] = field(default_factory=dict, hash=False, compare=False)
    note_ko: str = ""  # the same note in Korean


@dataclass(frozen=True)
class RankedApplication:
    application_id: str
    track: str
    title: str
    group_name: str
    district: str
    category: str
    requested_amount: int | None
    submitted_on: str | None
    rank: int | None  # 1-based within the track among eligible ranked apps; None if not ranked
    score: float | None  # the score under the chosen method (what the rank uses)
    raw_score: float | None  # method applied to raw totals
    normalized_score: float | None  # method applied to normalised totals
    method: str
    evaluations: int  # evaluations counted
    spread: float | None  # max − min of counted totals
    stddev: float | None
    flags: tuple[str, ...]
    eligible: bool
    failed_gates: tuple[str, ...]  # gate codes that failed
    computed_decision: str  # selected | reserve | not_selected | ineligible
    decision: str  # computed_decision unless overridden
    reason: str  # one line a committee member can read aloud
    override: str | None = None
    override_reason: str = ""
    stability: float | None = None  # share of perturbed rankings in which the app is selected
    on_cut_line: bool = False
    field_check: float | None = None  # mean field-check criterion share (tie-break 1)
    evaluators: tuple[EvaluatorScore, ...] = ()
    reason_ko: str = ""  # the same reason in Korean (``reason`` is English)
    computed_reason: str = ""  # the computed reason alone (``reason`` adds the override, if any)
    computed_reason_ko: str = ""
    trimmed: bool = False  # the trimmed mean dropped the highest and the lowest total
    tie_break: str = ""  # tied on score: the tie-break rule that set its place (field_check, …)
    recusals: int = 0  # evaluators left out for a declared conflict of interest
    abstentions: int = 0  # evaluators left out because they abstained
    #: the computed reason as phrases, each a code and its values (:mod:`.reasons`): what the
    #: Decision table stores; ``computed_reason`` and ``computed_reason_ko`` are its words
    structured_reason: Reason = ()
    #: the computed support amount and how it was computed (programs with a ``[support]`` rule:
    #: docs/rules.md); None otherwise
    support: SupportAmount | None = None

    # ``evaluators`` and the words of the reason may be built on first read: the engine gives a
    # row the means to build them (``_evaluators_src``, a function and its arguments in one tuple, lighter
    # than a ``partial`` on 100,000 rows; ``structured_reason``) instead
    # of the values, since most readers of a large ranking (the GUI's table, the snapshot, the Excel
    # export) never look at the 30,000 evaluator rows behind it, nor read 10,000 reasons in two
    # languages.  Once read, the values are kept and the row behaves as any other (equal, hashable,
    # picklable, ``fields()``/``asdict()``/``replace()`` see the same values).
    def __getattr__(self, name: str):  # called only when the attribute is not found
        d = self.__dict__
        if name == "evaluators":
            src = d.get("_evaluators_src")
            if src is not None:
                value = d["evaluators"] = tuple(src[0](*src[1:]))
                del d["_evaluators_src"]
                return value
            return ()
        if name in _REASON_WORDS and "structured_reason" in d:
            computed = d["structured_reason"]
            d["computed_reason"], d["computed_reason_ko"] = words(computed)
            if d["override"]:
                d["reason"], d["reason_ko"] = words((*computed, ("committee_override", d["override"],
                                                                 d["override_reason"])))
            else:
                d["reason"], d["reason_ko"] = d["computed_reason"], d["computed_reason_ko"]
            return d[name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __getstate__(self) -> dict:
        self.evaluators  # noqa: B018 — build them before copying or pickling
        self.reason  # noqa: B018
        return self.__dict__


#: the words of a row's reason, built from ``structured_reason`` on first read
_REASON_WORDS = frozenset(("reason", "reason_ko", "computed_reason", "computed_reason_ko"))
# the dataclass left the defaults on the class, which would hide ``__getattr__`` from rows whose
# evaluators and reason words are built on first read (``__init__`` keeps its own copy of them)
del RankedApplication.evaluators, RankedApplication.reason_ko, RankedApplication.computed_reason
del RankedApplication.computed_reason_ko


@dataclass(frozen=True)
class EvaluatorQuality:
    evaluator: str
    applications: int
    mean_total: float | None
    leniency: float | None  # mean deviation from co-evaluators on shared applications (+ = lenient)


@dataclass(frozen=True)
class TrackRanking:
    track: str
    name_ko: str
    name_en: str
    quota: int
    reserve_size: int
    budget: int | None
    min_score: float
    method: str
    rows: tuple[RankedApplication, ...]  # ordered: ranked by rank, then unranked/ineligible
    evaluator_quality: tuple[EvaluatorQuality, ...]
    reliability: float | None  # inter-rater reliability figure
    reliability_method: str  # e.g. "ICC(1,k)" or "Krippendorff's alpha (interval)"
    selected: int
    reserve: int
    eligible: int
    budget_used: int
    notes: tuple[str, ...] = ()  # rule explanations (budget rule, trimming, …)
    notes_ko: tuple[str, ...] = ()  # the same notes in Korean
    provisional: bool = False
    trim_min_evaluators: int = 5
    disagreement_threshold: float = 20.0
    perturbations: int = 0  # perturbed rankings behind ``stability`` (0 = not analysed)
    tie_breaks: tuple[str, ...] = ("field_check", "fewer_flags", "earlier_submission")
    #: the selection model (docs/rules.md): "quota" or "threshold-budget" (no quota, no reserves)
    selection: str = "quota"
    fill: bool = False  # threshold-budget: smaller amounts below one that does not fit may still fit


@dataclass(frozen=True)
class RankingResult:
    program: str
    method: str
    provisional: bool
    computed_at: datetime
    tracks: tuple[TrackRanking, ...]
    #: the method in the program's ranking settings (the one whose result is the decision of record)
    program_method: str = ""
    #: ranked with another method than the program's: a what-if view, never stored as the decision
    what_if: bool = False
    #: this ranking was stored as the computed decision (office database, not provisional, not what-if)
    recorded: bool = False
    #: the round (차수) ranked: its code ("" for a ranking made without rounds)
    round: str = ""
    #: the committee signed the round off: these are its frozen decisions of record
    signed_off: bool = False

    def track(self, code: str) -> TrackRanking:
        for t in self.tracks:
            if t.track == code:
                return t
        raise KeyError(code)

    def all_rows(self) -> list[RankedApplication]:
        return [r for t in self.tracks for r in t.rows]
