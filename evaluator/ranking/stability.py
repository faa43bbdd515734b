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
from math import ceil, fsum

from ..jobs import NEVER, CancelToken, Progress, no_progress
from .scoring import SCORE_UNIT, Counted, rscore, scores_of, walk_selected
from .stats import aggregate


@dataclass(frozen=True)
class Stability:
    share: dict[int, float]  # application index -> share of perturbed rankings where selected
    flips: set[int]  # indices whose selected status differs from the baseline at least once
    perturbations: int
    evaluators: int
    criteria: int


def analyse(prep: Counted, score: list[float | None], cands: list[int], order: list[int], neg: list[int],
            secpos: list[int], base_selected: set[int], requested: list[int | None], *,
            progress: Progress = no_progress, cancel: CancelToken = NEVER) -> Stability:
    """Re-run the selection under each perturbation.  Works on candidate positions 0..m-1 (the
    eligible applications with a score, in input order); ``neg`` holds minus :func:`rscore`."""
    inp = prep.inp
    quota, budget = inp.quota, inp.budget
    min_key = rscore(inp.min_score)
    cut_min = -min_key  # a candidate may be selected only if its score key is ≤ cut_min
    m = len(cands)
    dense = {i: j for j, i in enumerate(cands)}
    codes = [prep.codes[i] for i in cands]
    totals = [prep.totals[i] for i in cands]
    negd = [neg[i] for i in cands]
    secd = [secpos[i] for i in cands]
    reqd = [requested[i] for i in cands]
    base_flag = [i in base_selected for i in cands]
    base_sel = {dense[i] for i in base_selected}
    order_d = [dense[i] for i in order]

    by_evaluator: dict[str, list[int]] = {}
    for j in range(m):
        for c in codes[j]:
            got = by_evaluator.get(c)
            if got is None:
                by_evaluator[c] = [j]
            else:
                got.append(j)
    evaluators = sorted(by_evaluator)
    weighted = [k for k in range(prep.K) if prep.W[k] > 0]
    runs = len(evaluators) + 2 * len(weighted)
    if not m or runs == 0:
        return Stability({i: (1.0 if i in base_selected else 0.0) for i in cands}, set(), 0, len(evaluators),
                         len(weighted))

    gained = [0] * m  # perturbations in which a candidate not selected in the baseline is selected
    lost = [0] * m  # … and in which a selected one is not
    flipped: set[int] = set()

    def record(diff) -> None:
        for j in diff:
            if base_flag[j]:
                lost[j] += 1
            else:
                gained[j] += 1
            flipped.add(j)

    # --- places as integers: score key, then tie-break position ------------------------------------
    NS = max(secd) + 1  # tie-break positions are 0 … NS − 1
    pos_of = [0] * m
    for p, j in enumerate(order_d):
        pos_of[j] = p
    base_keys = [negd[j] * NS + secd[j] for j in order_d]  # ascending: the baseline order
    s0 = len(base_selected)
    limit_key = cut_min * NS + NS - 1  # keys above this are below the minimum score

    def diff_full(neg2: list[int]) -> list[int]:
        """Every candidate has a new key: the candidates whose selected status changed."""
        if budget is not None:
            key = (lambda j: neg2[j] * NS + secd[j])
            sel = walk_selected(sorted(range(m), key=key), neg2.__getitem__, reqd, quota, min_key, budget)
            return list(set(sel) ^ base_sel)
        if quota <= 0:
            return [j for j in range(m) if base_flag[j]]
        ok = [x for x in neg2 if x <= cut_min]
        if len(ok) <= quota:
            return [j for j, (x, b) in enumerate(zip(neg2, base_flag)) if (x <= cut_min) != b]
        ok.sort()
        v = ok[quota - 1]
        room = quota - bisect_left(ok, v)  # places left for the candidates whose key equals v
        if room == bisect_right(ok, v) - bisect_left(ok, v):
            return [j for j, (x, b) in enumerate(zip(neg2, base_flag)) if (x <= v) != b]
        tie_in = {j for _, j in sorted((secd[j], j) for j in range(m) if neg2[j] == v)[:room]}
        return [j for j, (x, b) in enumerate(zip(neg2, base_flag)) if (x < v or j in tie_in) != b]

    def diff_partial(changed: list[int], new_key: list[int]) -> list[int]:
        """Only ``changed`` moved (to ``new_key``, aligned); the others keep their baseline keys and
        relative order."""
        if budget is not None:
            moved = set(changed)
            where = dict(zip(changed, new_key))
            neg2 = list(negd)
            for j, x in where.items():
                neg2[j] = x // NS
            key = (lambda j: neg2[j] * NS + secd[j])
            stream = heapq.merge((j for j in order_d if j not in moved), sorted(changed, key=key), key=key)
            sel = walk_selected(stream, neg2.__getitem__, reqd, quota, min_key, budget)
            return list(set(sel) ^ base_sel)
        new_keys = sorted(new_key)
        old_keys = sorted([base_keys[pos_of[j]] for j in changed])

        def count_le(x) -> int:  # candidates of the perturbed ranking whose key is ≤ x
            return bisect_right(base_keys, x) - bisect_right(old_keys, x) + bisect_right(new_keys, x)

        t = limit_key
        if m >= quota > 0:
            moved = set(changed)
            # the quota-th key: the smallest key present whose count reaches the quota
            lo, hi = 0, m
            while lo < hi:
                mid = (lo + hi) // 2
                if count_le(base_keys[mid]) >= quota:
                    hi = mid
                else:
                    lo = mid + 1
            while lo < m and order_d[lo] in moved:
                lo += 1
            best = base_keys[lo] if lo < m else None
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
            p_new = bisect_right(base_keys, t)  # unchanged candidates at positions < p_new are selected
            out = [order_d[p] for p in range(min(p_new, s0), max(p_new, s0)) if order_d[p] not in moved]
        elif quota <= 0:
            return [j for j in range(m) if base_flag[j]]
        else:
            p_new = bisect_right(base_keys, t)
            out = [order_d[p] for p in range(min(p_new, s0), max(p_new, s0))]
            moved = set(changed)
            out = [j for j in out if j not in moved]
        out.extend([j for j, x in zip(changed, new_key) if (x <= t) != base_flag[j]])
        return out

    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        progress(done / runs, "stability")

    normalized = inp.method == "normalized"
    base, trim = prep.base, prep.trim
    # (a) leave one evaluator out
    if normalized:
        for e in evaluators:
            cancel.raise_if_cancelled()
            # removing an evaluator moves the track's mean and spread: every score moves (the
            # non-candidates' totals take part in the track's mean and spread too)
            codes2, totals2 = [], []
            for cs, ts in zip(prep.codes, prep.totals):
                if e in cs and len(cs) > 1:
                    codes2.append([c for c in cs if c != e])
                    totals2.append([t for c, t in zip(cs, ts) if c != e])
                else:  # not scored by e, or e's is its only evaluation (kept, as above)
                    codes2.append(cs)
                    totals2.append(ts)
            new = scores_of(prep, codes2, totals2)
            neg2 = [-rscore(new[i]) for i in cands]  # type: ignore[arg-type]
            record(diff_full(neg2))
            step()
    else:
        # every candidate's key without each of its evaluators, in one pass
        loo_js: dict[str, list[int]] = {e: [] for e in evaluators}
        loo_keys: dict[str, list[int]] = {e: [] for e in evaluators}
        su = SCORE_UNIT
        mean_base = base == "mean"
        for j in range(m):
            cs = codes[j]
            n = len(cs)
            if n < 2:
                continue  # an application only this evaluator scored keeps its score
            ts = totals[j]
            sj = secd[j]
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
                    x = fsum(rest) / (n - 1) if mean_base else aggregate(base, rest, trim)[0]
                    ks.append(-round(x * su) * NS + sj)
            for c, key in zip(cs, ks):
                loo_js[c].append(j)
                loo_keys[c].append(key)
        for e in evaluators:
            cancel.raise_if_cancelled()
            record(diff_partial(loo_js[e], loo_keys[e]))
            step()

    # (b) each criterion weight ±10 %
    M = prep.M
    points = [prep.points[i] for i in cands]
    sums_at: dict[int, list[float]] = {}

    def sums(j: int) -> list[float]:  # Σ wᵢsᵢ of candidate j's counted evaluations (cached)
        got = sums_at.get(j)
        if got is None:
            got = sums_at[j] = prep.sums(cands[j])
        return got

    mean_fast = base == "mean" and not normalized
    window = budget is None and not normalized and 0 < quota and s0 == quota and quota <= m and M > 0
    if window:
        # the ranges of a criterion's points (any criterion: cheap, and a bound is all that is
        # needed) and of S over every counted evaluation of a candidate: they bound the moves
        every = [p for pts in points for p in pts]
        p_lo, p_hi = min(map(min, every)), max(map(max, every))
        # S from the totals (t = 100·S/M), widened far beyond their rounding
        s_lo = min(map(min, totals)) * M / 100.0
        s_hi = max(map(max, totals)) * M / 100.0
        s_lo, s_hi = s_lo - 1e-9 * (abs(s_lo) + M), s_hi + 1e-9 * (abs(s_hi) + M)
        v_key = negd[order_d[quota - 1]]  # the baseline's cut: the quota-th score key
        neg_sorted = [negd[j] for j in order_d]
    msum: dict[int, float] = {}
    cmean: dict[int, list[float]] = {}

    def means(js) -> None:
        """Per application: the mean of S and of each sₖ over its counted evaluations (cached)."""
        for j in js:
            if j not in msum:
                ss = sums(j)
                msum[j] = sum(ss) / len(ss)
                pts = points[j]
                n = len(pts)
                cmean[j] = [sum(col) / n for col in zip(*pts)]

    def perturbed_keys(js, k: int, d: float, c: float) -> list[int]:
        """Score keys of candidates ``js`` with criterion k's weight moved by d (c = 100/(M + d·maxₖ))."""
        if mean_fast:
            means(js)
            cu = c * SCORE_UNIT
            return [-round((msum[j] + d * cmean[j][k]) * cu) for j in js]
        out = []
        for j in js:
            ts2 = [c * (s + d * p[k]) for s, p in zip(sums(j), points[j])]
            out.append(-rscore(aggregate(base, ts2, trim)[0]))
        return out

    for k in weighted:
        mk = prep.MX[k]
        for f in (0.9, 1.1):
            cancel.raise_if_cancelled()
            d = (f - 1.0) * prep.W[k]
            c = 100.0 / (M + d * mk)
            if window and M + d * mk > 0:
                # how far any score can move, in score-key units (with room for rounding)
                a_k = max(abs(p_hi * M - s_lo * mk), abs(p_lo * M - s_hi * mk))
                bound = ceil(SCORE_UNIT * 100.0 * abs(d) * a_k / (M * (M + d * mk)) * (1 + 1e-9)) + 4
                pa = bisect_left(neg_sorted, v_key - 2 * bound)  # before: selected whatever happens
                pb = bisect_right(neg_sorted, v_key + 2 * bound)  # from here: out whatever happens
                js = order_d[pa:pb]
                keys = [x * NS + secd[j] for j, x in zip(js, perturbed_keys(js, k, d, c))]
                room = quota - pa  # places left after the applications that stay selected (≥ 1)
                ok = sorted(x for x in keys if x <= limit_key)
                last = ok[room - 1] if len(ok) >= room else limit_key  # the last place selected
                record([j for j, x in zip(js, keys) if (x <= last) != base_flag[j]])
            elif not normalized:
                record(diff_full(perturbed_keys(range(m), k, d, c)))
            else:  # the non-candidates' totals take part in the track's mean and spread
                totals2 = [[] for _ in prep.totals]
                for j, i in enumerate(cands):
                    totals2[i] = [c * (s + d * p[k]) for s, p in zip(sums(j), points[j])]
                for i, ts in enumerate(prep.totals):
                    if ts and not totals2[i]:
                        totals2[i] = [c * (s + d * p[k]) for s, p in zip(prep.sums(i), prep.points[i])]
                new = scores_of(prep, prep.codes, totals2)
                record(diff_full([-rscore(new[i]) for i in cands]))  # type: ignore[arg-type]
            step()

    share = {i: ((runs if base_flag[j] else 0) + gained[j] - lost[j]) / runs for j, i in enumerate(cands)}
    return Stability(share, {cands[j] for j in flipped}, runs, len(evaluators), len(weighted))
