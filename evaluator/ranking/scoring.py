"""What the ranking (:mod:`.engine`) and its stability analysis (:mod:`.stability`) share: the counted
evaluations of a track, scores as compared (integer keys), re-scoring, and the selection rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from operator import mul

from .inputs import TrackInputs
from .stats import aggregate, fsum, normalise

#: scores are compared in whole millionths of a point (so float noise never decides a place)
SCORE_UNIT = 1_000_000
INF = float("inf")


def rscore(x: float) -> int:
    """The score as compared: rounded to 6 decimals, as an integer number of millionths."""
    return round(x * SCORE_UNIT)


class Counted:
    """One track's rubric figures and counted evaluations, computed once by the engine (its first
    step fills ``codes``, ``totals`` and ``points``) and reused by the stability analysis."""

    def __init__(self, inp: TrackInputs) -> None:
        self.inp = inp
        crit = inp.criteria
        self.K = len(crit)
        self.W = [float(c.weight) for c in crit]
        self.MX = [float(c.max_points) for c in crit]
        self.M = sum(map(mul, self.W, self.MX))  # the rubric's weighted maximum
        self.base = "mean" if inp.method == "normalized" else inp.method  # what aggregates the totals
        self.trim = inp.trim_min_evaluators
        n = len(inp.applications)
        # each application's counted evaluations, as parallel lists: evaluator, total, points
        self.codes: list[list[str]] = [[] for _ in range(n)]
        self.totals: list[list[float]] = [[] for _ in range(n)]
        self.points: list[list[list[float]]] = [[] for _ in range(n)]  # optional blanks as 0
        self.unit = all(w == 1.0 for w in self.W)  # Σ 1.0·sᵢ is Σ sᵢ, the same additions in the same order
        #: the smallest and the largest counted total of the track (set by the engine's aggregation;
        #: None: not known, the stability analysis finds the range of its candidates' totals itself)
        self.totals_range: tuple[float, float] | None = None

    def sums(self, i: int) -> list[float]:
        """Σ wᵢsᵢ of each counted evaluation of application i (total = 100·sum/M), as the totals
        were computed."""
        if self.unit:
            return [sum(p) for p in self.points[i]]
        W = self.W
        return [sum(map(mul, W, p)) for p in self.points[i]]


def scores_of(counted: Counted, codes: list[list[str]], totals: list[list[float]]) -> list[float | None]:
    """The score of every application under the track's method, from counted totals."""
    if counted.inp.method == "normalized":
        norm, _fallback, _per_ev = normalise(codes, totals)
        return [fsum(v) / len(v) if v else None for v in norm]
    base, trim = counted.base, counted.trim
    return [aggregate(base, ts, trim)[0] if ts else None for ts in totals]


def walk_selected(stream: Iterable[int], neg: Callable[[int], int], requested: list[int | None], quota: int,
                  min_key: int, budget: int | None, fill: bool = True) -> list[int]:
    """The selection rule, as the stability analysis runs it: the indices selected from ``stream``.

    ``stream`` yields candidates in ranking order; ``neg(i)`` is minus :func:`rscore`; ``min_key`` is
    ``rscore(min_score)``.  The rule of the ranking's own walk down the list
    (:func:`.engine.walk_down`, which also gives the reserves and every reason): stop at the first
    score below the minimum, skip what does not fit the budget left, stop when the quota is filled.
    A property test holds the two to the same selection.  Without ``fill`` the walk stops at the first
    amount that does not fit (the threshold-budget selection without fill, :func:`.engine._walk_threshold`,
    whose quota is the number of candidates)."""
    out: list[int] = []
    if quota <= 0:
        return out
    left = budget
    for i in stream:
        if -neg(i) < min_key:
            break
        if left is not None:
            amt = requested[i]
            if amt is None or amt > left:
                if not fill:
                    break
                continue
            left -= amt
        out.append(i)
        if len(out) >= quota:
            break
    return out
