"""Stability of the cut line: how often each application is selected under small perturbations.

Perturbations (one at a time, each a full re-run of the selection rule):

* **leave one evaluator out** — every evaluator with a counted evaluation of a ranked application,
  in turn: that evaluator's evaluations are left out of every application that has another counted
  evaluation (an application only that evaluator scored keeps it: it would otherwise be unrankable,
  which says nothing about the cut line);
* **move one criterion weight by ±10 %** — every criterion with a positive weight, down and up.

``stability`` = share of the perturbed rankings in which the application is selected; an
application whose selected/not-selected status differs from the baseline in any of them is
*on the cut line*.  Perturbed rankings keep the baseline's tie-break keys (field check, flags,
submission date, ID); only the scores move.

It is cheap because nothing is re-read and little is re-sorted.  A candidate's place is one integer,
``key = −score·10⁶ · n + tie-break position`` (its score in millionths, then its tie-break order),
so comparing, sorting and searching places is integer work.

* **Leaving an evaluator out** moves only that evaluator's applications.  Their new keys are
  worked out once for all evaluators (one pass over the applications); the others keep their
  baseline keys and relative order, so each run finds the new cut by binary search and compares
  with the baseline only near it.
* **A weight change** moves every score, but by little and by a known bound: a total
  ``t = 100·S/M`` becomes ``t' = 100·(S + d·sₖ)/(M + d·maxₖ)`` (``d = ±0.1·wₖ``), so
  ``|t' − t| = 100·|d|·|sₖ·M − S·maxₖ| / (M·(M + d·maxₖ))``, bounded over the track's actual
  ranges of ``sₖ`` and ``S`` — and a mean, median or trimmed mean of totals moves no more than
  its totals.  With the quota filled at the baseline's cut key ``v`` and every score moving by at
  most ``B``, an application whose key is below ``v − 2B`` stays selected (fewer than the quota can
  come before it) and one above ``v + 2B`` stays out (the quota's baseline selection all stays
  ahead of it), so only the applications in between are re-scored and re-ordered.  For the mean
  the new score is ``100·(mean S + d·mean sₖ)/(M + d·maxₖ)`` per application, no per-evaluation
  work.  (Under the normalised method every score moves with the track's mean and spread, and with
  a budget cap the selection is a walk down the list where skips depend on amounts: those re-score
  and walk every candidate, as the baseline does.)
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import chain
from math import ceil, fsum

from ..jobs import NEVER, CancelToken, Progress, no_progress
from ..messages import msg
from .scoring import SCORE_UNIT, Counted, rscore, scores_of, walk_selected
from .stats import aggregate


@dataclass(frozen=True)
class Stability:
    share: dict[int, float]  # application index -> share of perturbed rankings where selected
    flips: set[int]  # indices whose selected status differs from the baseline at least once
    perturbations: int
    evaluators: int
    criteria: int


def analyse(counted: Counted, cands: list[int], order: list[int], neg: list, secpos: list[int],
            base_selected: set[int], requested: list[int | None], *,
            progress: Progress = no_progress, cancel: CancelToken = NEVER) -> Stability:
    """Re-run the selection under each perturbation.  ``cands`` are the eligible applications with
    a score (in input order), ``order`` the same in rank order, ``neg`` minus each one's
    :func:`rscore`, ``secpos`` its place in the order of the tie-break keys alone."""
    base = Baseline(counted, cands, order, neg, secpos, base_selected, requested)
    evaluators = sorted(set(chain.from_iterable(base.codes)))
    weighted = [k for k in range(counted.K) if counted.W[k] > 0]
    total = len(evaluators) + 2 * len(weighted)
    if not base.m or total == 0:
        return Stability({i: (1.0 if i in base_selected else 0.0) for i in cands}, set(), 0, len(evaluators),
                         len(weighted))
    runs = Runs(base.selected, total, progress)
    if counted.inp.method == "normalized":
        leave_out_rescored(counted, base, evaluators, runs, cancel)
    else:
        leave_out(counted, base, evaluators, runs, cancel)
    reweigh(counted, base, weighted, runs, cancel)
    return Stability(runs.shares(cands), {cands[j] for j in runs.flipped}, total, len(evaluators), len(weighted))


# --- the baseline, and the new selection when scores move --------------------------------------------------
class Baseline:
    """The candidates as every perturbed run sees them, at dense positions 0 … m − 1 (input order),
    and what changes when their scores move.

    A candidate's place is one integer, its *key*: its score key (−rscore) · NS + its tie-break
    position, so places compare, sort and search as integers."""

    def __init__(self, counted: Counted, cands: list[int], order: list[int], neg: list, secpos: list[int],
                 base_selected: set[int], requested: list[int | None]) -> None:
        inp = counted.inp
        self.budget = inp.budget
        self.min_key = rscore(inp.min_score)
        self.cut_min = -self.min_key  # a candidate may be selected only if its score key is ≤ cut_min
        self.m = m = len(cands)
        # threshold-budget: every candidate may be selected (no quota); without fill the walk stops
        # at the first amount that does not fit
        threshold = inp.selection == "threshold-budget"
        self.quota = m if threshold else inp.quota
        self.fill = inp.fill or not threshold
        dense = [0] * (max(cands) + 1 if cands else 0)  # application index -> dense position
        for j, i in enumerate(cands):
            dense[i] = j
        self.cands = cands
        self.codes = [counted.codes[i] for i in cands]
        self.totals = [counted.totals[i] for i in cands]
        self.points = [counted.points[i] for i in cands]
        self.neg = [neg[i] for i in cands]  # score keys
        self.sec = [secpos[i] for i in cands]  # tie-break positions
        self.requested = [requested[i] for i in cands]
        self.selected = [i in base_selected for i in cands]
        self.selected_set = {dense[i] for i in base_selected}
        self.s0 = len(base_selected)
        self.order = [dense[i] for i in order]  # the candidates in rank order
        self.NS = NS = max(self.sec) + 1 if m else 1  # tie-break positions are 0 … NS − 1
        self.keys = [self.neg[j] * NS + self.sec[j] for j in self.order]  # ascending: the baseline order
        self.limit_key = self.cut_min * NS + NS - 1  # keys above this are below the minimum score

    def flips_if_all_move(self, neg2: list[int]) -> list[int]:
        """Every candidate has a new score key (``neg2``): the candidates whose selected status changed."""
        m, quota, cut_min, was = self.m, self.quota, self.cut_min, self.selected
        if self.budget is not None:
            NS, sec = self.NS, self.sec
            key = (lambda j: neg2[j] * NS + sec[j])
            chosen = walk_selected(sorted(range(m), key=key), neg2.__getitem__, self.requested, quota, self.min_key,
                                   self.budget, self.fill)
            return list(set(chosen) ^ self.selected_set)
        if quota <= 0:
            return [j for j in range(m) if was[j]]
        ok = [x for x in neg2 if x <= cut_min]
        if len(ok) <= quota:
            return [j for j, (x, b) in enumerate(zip(neg2, was)) if (x <= cut_min) != b]
        ok.sort()
        v = ok[quota - 1]
        room = quota - bisect_left(ok, v)  # places left for the candidates whose key equals v
        if room == bisect_right(ok, v) - bisect_left(ok, v):
            return [j for j, (x, b) in enumerate(zip(neg2, was)) if (x <= v) != b]
        tie_in = {j for _, j in sorted((self.sec[j], j) for j in range(m) if neg2[j] == v)[:room]}
        return [j for j, (x, b) in enumerate(zip(neg2, was)) if (x < v or j in tie_in) != b]

    def flips_if_some_move(self, changed: list[int], new_key: list[int], old_key: list[int]) -> list[int]:
        """Only ``changed`` moved (from their baseline keys ``old_key`` to the keys ``new_key``, both
        aligned with it); the others keep their baseline keys and relative order: the new cut is found
        by binary search, and compared with the baseline's only near it."""
        m, quota, order, keys, was = self.m, self.quota, self.order, self.keys, self.selected
        if self.budget is not None:
            NS, sec = self.NS, self.sec
            moved = set(changed)
            neg2 = list(self.neg)
            for j, x in zip(changed, new_key):
                neg2[j] = x // NS
            key = (lambda j: neg2[j] * NS + sec[j])
            stream = heapq.merge((j for j in order if j not in moved), sorted(changed, key=key), key=key)
            chosen = walk_selected(stream, neg2.__getitem__, self.requested, quota, self.min_key, self.budget,
                                   self.fill)
            return list(set(chosen) ^ self.selected_set)
        if quota <= 0:
            return [j for j in range(m) if was[j]]
        new_keys = sorted(new_key)
        old_keys = sorted(old_key)

        def count_le(x) -> int:  # candidates of the perturbed ranking whose key is ≤ x
            return bisect_right(keys, x) - bisect_right(old_keys, x) + bisect_right(new_keys, x)

        moved = set(changed)
        t = self.limit_key  # the last key selected
        if m >= quota:
            # the quota-th key: the smallest key present whose count reaches the quota
            lo, hi = 0, m
            while lo < hi:
                mid = (lo + hi) // 2
                if count_le(keys[mid]) >= quota:
                    hi = mid
                else:
                    lo = mid + 1
            while lo < m and order[lo] in moved:
                lo += 1
            best = keys[lo] if lo < m else None
            lo, hi = 0, len(new_keys)
            while lo < hi:
                mid = (lo + hi) // 2
                if count_le(new_keys[mid]) >= quota:
                    hi = mid
                else:
                    lo = mid + 1
            if lo < len(new_keys) and (best is None or new_keys[lo] < best):
                best = new_keys[lo]
            if best is not None and best < t:
                t = best
        p_new = bisect_right(keys, t)  # unchanged candidates at positions < p_new are selected
        out = [order[p] for p in range(min(p_new, self.s0), max(p_new, self.s0)) if order[p] not in moved]
        out.extend([j for j, x in zip(changed, new_key) if (x <= t) != was[j]])
        return out


class Runs:
    """The perturbed runs: how often each candidate's selected status differs from the baseline."""

    def __init__(self, selected: list[bool], total: int, progress: Progress) -> None:
        self.selected = selected
        self.gained = [0] * len(selected)  # runs in which a candidate not selected in the baseline is selected
        self.lost = [0] * len(selected)  # … and in which a selected one is not
        self.flipped: set[int] = set()
        self.total, self.done, self.progress = total, 0, progress

    def record(self, flips: list[int]) -> None:
        """One perturbed run, by the candidates whose status it changed."""
        for j in flips:
            if self.selected[j]:
                self.lost[j] += 1
            else:
                self.gained[j] += 1
            self.flipped.add(j)
        self.done += 1
        self.progress(self.done / self.total, msg("progress.stability", "stability"))

    def shares(self, cands: list[int]) -> dict[int, float]:
        total = self.total
        return {i: ((total if self.selected[j] else 0) + self.gained[j] - self.lost[j]) / total
                for j, i in enumerate(cands)}


# --- (a) leave one evaluator out ----------------------------------------------------------------------------
def leave_out(counted: Counted, base: Baseline, evaluators: list[str], runs: Runs, cancel: CancelToken) -> None:
    """Each evaluator left out in turn: only that evaluator's applications move.  Every candidate's
    key without each of its evaluators is worked out in one pass."""
    keys_without = _keys_without(counted, base, evaluators)
    for e in evaluators:
        cancel.raise_if_cancelled()
        changed, new_keys, old_keys = keys_without[e]
        runs.record(base.flips_if_some_move(changed, new_keys, old_keys))


def _keys_without(counted: Counted, base: Baseline, evaluators: list[str]
                  ) -> dict[str, tuple[list[int], list[int], list[int]]]:
    """Per evaluator: the candidates it scored (an application only it scored keeps its score),
    their keys without its evaluation, and their baseline keys (all read here in input order: far
    fewer cache misses on a large track than looking them up in rank order, run by run)."""
    out: dict[str, tuple[list[int], list[int], list[int]]] = {e: ([], [], []) for e in evaluators}
    su, NS, agg, trim = SCORE_UNIT, base.NS, counted.base, counted.trim
    mean_base = agg == "mean"
    for j, (cs, ts, sj, nj) in enumerate(zip(base.codes, base.totals, base.sec, base.neg)):
        n = len(cs)
        if n < 2:
            continue  # an application only this evaluator scored keeps its score
        if mean_base and n == 3:  # the mean of the other two: fsum of two numbers is their sum
            a, b, c = ts
            ks: tuple | list = (-round((b + c) / 2 * su) * NS + sj, -round((a + c) / 2 * su) * NS + sj,
                                -round((a + b) / 2 * su) * NS + sj)
        elif mean_base and n == 2:
            ks = (-round(ts[1] * su) * NS + sj, -round(ts[0] * su) * NS + sj)
        else:
            ks = []
            for q in range(n):
                rest = ts[:q] + ts[q + 1:]
                x = fsum(rest) / (n - 1) if mean_base else aggregate(agg, rest, trim)[0]
                ks.append(-round(x * su) * NS + sj)
        old = nj * NS + sj
        for c, key in zip(cs, ks):
            js, keys, olds = out[c]
            js.append(j)
            keys.append(key)
            olds.append(old)
    return out


def leave_out_rescored(counted: Counted, base: Baseline, evaluators: list[str], runs: Runs,
                       cancel: CancelToken) -> None:
    """Under the normalised method removing an evaluator moves the track's mean and spread: every
    score moves (the non-candidates' totals take part in them too), so every run re-scores all."""
    for e in evaluators:
        cancel.raise_if_cancelled()
        codes2, totals2 = [], []
        for cs, ts in zip(counted.codes, counted.totals):
            if e in cs and len(cs) > 1:
                codes2.append([c for c in cs if c != e])
                totals2.append([t for c, t in zip(cs, ts) if c != e])
            else:  # not scored by e, or e's is its only evaluation (kept, as above)
                codes2.append(cs)
                totals2.append(ts)
        new = scores_of(counted, codes2, totals2)
        runs.record(base.flips_if_all_move([-rscore(new[i]) for i in base.cands]))  # type: ignore[arg-type]


# --- (b) each criterion weight ±10 % ----------------------------------------------------------------------
def reweigh(counted: Counted, base: Baseline, weighted: list[int], runs: Runs, cancel: CancelToken) -> None:
    """Each weighted criterion's weight moved by −10 % and +10 % in turn."""
    M, normalized = counted.M, counted.inp.method == "normalized"
    rescore = Rescore(counted, base)
    window = Window.of(counted, base)
    for k in weighted:
        mk = counted.MX[k]
        for f in (0.9, 1.1):
            cancel.raise_if_cancelled()
            d = (f - 1.0) * counted.W[k]
            c = 100.0 / (M + d * mk)
            if window is not None and M + d * mk > 0:
                runs.record(window.flips(base, rescore, k, d, c))
            elif not normalized:
                runs.record(base.flips_if_all_move(rescore.score_keys(range(base.m), k, d, c)))
            else:  # the non-candidates' totals take part in the track's mean and spread
                totals2: list[list[float]] = [[] for _ in counted.totals]
                for j, i in enumerate(base.cands):
                    totals2[i] = [c * (s + d * p[k]) for s, p in zip(rescore.sums(j), base.points[j])]
                for i, ts in enumerate(counted.totals):
                    if ts and not totals2[i]:
                        totals2[i] = [c * (s + d * p[k]) for s, p in zip(counted.sums(i), counted.points[i])]
                new = scores_of(counted, counted.codes, totals2)
                runs.record(base.flips_if_all_move([-rscore(new[i]) for i in base.cands]))  # type: ignore[arg-type]


class Rescore:
    """Candidates' score keys under a moved weight, from their counted points (sums and means kept)."""

    def __init__(self, counted: Counted, base: Baseline) -> None:
        self.counted, self.base = counted, base
        self.mean_fast = counted.base == "mean" and counted.inp.method != "normalized"
        self._sums: dict[int, list[float]] = {}
        self._msum: dict[int, float] = {}
        self._cmean: dict[int, list[float]] = {}

    def sums(self, j: int) -> list[float]:
        """Σ wᵢsᵢ of candidate j's counted evaluations."""
        got = self._sums.get(j)
        if got is None:
            got = self._sums[j] = self.counted.sums(self.base.cands[j])
        return got

    def score_keys(self, js, k: int, d: float, c: float) -> list[int]:
        """Score keys of candidates ``js`` with criterion k's weight moved by d (c = 100/(M + d·maxₖ))."""
        if self.mean_fast:  # per application: 100·(mean S + d·mean sₖ)/(M + d·maxₖ)
            self._means(js)
            msum, cmean = self._msum, self._cmean
            cu = c * SCORE_UNIT
            return [-round((msum[j] + d * cmean[j][k]) * cu) for j in js]
        agg, trim, points = self.counted.base, self.counted.trim, self.base.points
        out = []
        for j in js:
            ts2 = [c * (s + d * p[k]) for s, p in zip(self.sums(j), points[j])]
            out.append(-rscore(aggregate(agg, ts2, trim)[0]))
        return out

    def _means(self, js) -> None:
        """Per application: the mean of S and of each sₖ over its counted evaluations."""
        msum, cmean, points = self._msum, self._cmean, self.base.points
        for j in js:
            if j not in msum:
                ss = self.sums(j)
                msum[j] = sum(ss) / len(ss)
                pts = points[j]
                n = len(pts)
                cmean[j] = [sum(col) / n for col in zip(*pts)]


@dataclass(frozen=True)
class Window:
    """How far a weight change can move any score, so that only the candidates near the cut need
    re-scoring (the quota filled at the baseline's cut, no budget cap, not the normalised method)."""

    p_lo: float  # the range of any criterion's points …
    p_hi: float
    s_lo: float  # … and of S = Σ wᵢsᵢ over every counted evaluation of a candidate
    s_hi: float
    cut: int  # the baseline's cut: the quota-th score key
    neg_sorted: list[int]  # the score keys in rank order
    near: _Near | None = None  # the mean's figures of the candidates near the cut, by rank position

    @classmethod
    def of(cls, counted: Counted, base: Baseline) -> Window | None:
        M, quota = counted.M, base.quota
        if not (base.budget is None and counted.inp.method != "normalized" and 0 < quota and base.s0 == quota
                and quota <= base.m and M > 0):
            return None
        # the range of the points: the loader's (it read them all; a wider range only widens the
        # window), else every point in one flat list (min and max then run in C, with no call per
        # evaluation)
        p_range = counted.inp.points_range
        if p_range is None:
            every = list(chain.from_iterable(chain.from_iterable(base.points)))
            p_range = (min(every), max(every))
        # the range of the totals: the aggregation's (over every counted total of the track, the
        # candidates' among them), else the candidates' in one flat list
        t_range = counted.totals_range
        if t_range is None:
            totals = list(chain.from_iterable(base.totals))
            t_range = (min(totals), max(totals))
        # S from the totals (t = 100·S/M), widened far beyond their rounding
        s_lo = t_range[0] * M / 100.0
        s_hi = t_range[1] * M / 100.0
        NS = base.NS
        return cls(p_range[0], p_range[1], s_lo - 1e-9 * (abs(s_lo) + M),
                   s_hi + 1e-9 * (abs(s_hi) + M), base.neg[base.order[quota - 1]],
                   [key // NS for key in base.keys],  # (key = neg·NS + a tie-break position < NS)
                   _Near(counted, base) if counted.base == "mean" else None)

    def flips(self, base: Baseline, rescore: Rescore, k: int, d: float, c: float) -> list[int]:
        """The run with criterion k's weight moved by d: with every score moving by at most B, a
        candidate more than 2B above the cut stays selected and one more than 2B below stays out;
        only those in between are re-scored and re-ordered."""
        M, mk = rescore.counted.M, rescore.counted.MX[k]
        a_k = max(abs(self.p_hi * M - self.s_lo * mk), abs(self.p_lo * M - self.s_hi * mk))
        bound = ceil(SCORE_UNIT * 100.0 * abs(d) * a_k / (M * (M + d * mk)) * (1 + 1e-9)) + 4  # (room for rounding)
        pa = bisect_left(self.neg_sorted, self.cut - 2 * bound)  # before: selected whatever happens
        pb = bisect_right(self.neg_sorted, self.cut + 2 * bound)  # from here: out whatever happens
        js = base.order[pa:pb]
        NS = base.NS
        near = self.near
        if near is not None:  # the mean: 100·(mean S + d·mean sₖ)/(M + d·maxₖ), read by rank position
            ms, cm, secs, was = near.between(pa, pb, k)
            cu = c * SCORE_UNIT
            keys = [-round((s + d * m) * cu) * NS + q for s, m, q in zip(ms, cm, secs)]
        else:
            sec = base.sec
            keys = [x * NS + sec[j] for j, x in zip(js, rescore.score_keys(js, k, d, c))]
            was = [base.selected[j] for j in js]
        room = base.quota - pa  # places left after the applications that stay selected (≥ 1)
        ok = sorted(x for x in keys if x <= base.limit_key)
        last = ok[room - 1] if len(ok) >= room else base.limit_key  # the last place selected
        return [j for j, x, b in zip(js, keys, was) if (x <= last) != b]


class _Near:
    """For the mean: each candidate's mean S and mean points per criterion (what a moved weight
    re-scores, as :meth:`Rescore.score_keys` does), its tie-break position and baseline status, as
    columns by rank position over the places the weight runs re-score so far.  Every run's places
    lie around the same cut, so the columns grow at either end; each candidate is read once, and
    each run reads a slice in order instead of looking its candidates up one by one."""

    def __init__(self, counted: Counted, base: Baseline) -> None:
        self.counted, self.base = counted, base
        self.lo = self.hi = 0  # the rank positions held: lo … hi − 1
        self.ms: list[float] = []
        self.cm: list[list[float]] = [[] for _ in range(counted.K)]
        self.sec: list[int] = []
        self.was: list[bool] = []

    def between(self, pa: int, pb: int, k: int) -> tuple[list[float], list[float], list[int], list[bool]]:
        """Rank positions pa … pb − 1: mean S, mean points of criterion k, tie-break position, selected."""
        if self.lo == self.hi:
            self.lo = self.hi = pa
        if pa < self.lo:
            self._add(pa, self.lo, front=True)
            self.lo = pa
        if pb > self.hi:
            self._add(self.hi, pb, front=False)
            self.hi = pb
        a, b = pa - self.lo, pb - self.lo
        return self.ms[a:b], self.cm[k][a:b], self.sec[a:b], self.was[a:b]

    def _add(self, pa: int, pb: int, *, front: bool) -> None:
        base, counted = self.base, self.counted
        js = base.order[pa:pb]
        ms: list[float] = []
        rows: list[list[float]] = []
        cands, points = base.cands, base.points
        for j in js:  # the arithmetic of Rescore._means
            ss = counted.sums(cands[j])
            ms.append(sum(ss) / len(ss))
            pts = points[j]
            n = len(pts)
            rows.append([sum(col) / n for col in zip(*pts)])
        cols = [list(col) for col in zip(*rows)] if rows else [[] for _ in self.cm]
        sec = [base.sec[j] for j in js]
        was = [base.selected[j] for j in js]
        if front:
            self.ms[:0] = ms
            self.sec[:0] = sec
            self.was[:0] = was
            for have, col in zip(self.cm, cols):
                have[:0] = col
        else:
            self.ms += ms
            self.sec += sec
            self.was += was
            for have, col in zip(self.cm, cols):
                have += col

