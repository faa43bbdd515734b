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

It is cheap because nothing is re-read and little is re-sorted:

* totals are recomputed from the cached weighted sums and per-criterion points
  (``t' = 100·(S + d·sₖ)/(M + d·maxₖ)`` with ``d = ±0.1·wₖ``; for the mean this is
  ``100·(mean S + d·mean sₖ)/(M + d·maxₖ)`` per application, no per-evaluation work);
* each perturbation only looks for the new cut (the quota-th key) and compares with the baseline,
  so the work is proportional to the applications that moved, not to the quota;
* leaving an evaluator out re-aggregates only that evaluator's applications; the others keep their
  baseline keys and their relative order, so the new cut is found by binary search.

With a budget cap the selection is a walk down the list (skips depend on amounts), so each
perturbation walks the merged order until the quota is filled.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from ..jobs import NEVER, CancelToken, Progress, no_progress
from .engine import INF, SCORE_UNIT, Prepared, rscore, scores_of, walk_selected
from .stats import aggregate


@dataclass(frozen=True)
class Stability:
    share: dict[int, float]  # application index -> share of perturbed rankings where selected
    flips: set[int]  # indices whose selected status differs from the baseline at least once
    perturbations: int
    evaluators: int
    criteria: int


def analyse(prep: Prepared, score: list[float | None], cands: list[int], order: list[int], neg: list[int],
            secpos: list[int], base_selected: set[int], requested: list[int | None], *,
            progress: Progress = no_progress, cancel: CancelToken = NEVER) -> Stability:
    """Re-run the selection under each perturbation.  Works on candidate positions 0..m-1 (the
    eligible applications with a score, in input order); ``neg`` holds minus :func:`rscore`."""
    inp = prep.inp
    quota, budget = inp.quota, inp.budget
    min_key = rscore(inp.min_score)
    cut_min = -min_key  # a candidate may be selected only if its key is ≤ cut_min
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
            by_evaluator.setdefault(c, []).append(j)
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

    # --- the selection under new keys -----------------------------------------------------------
    pos_of = [0] * m
    for p, j in enumerate(order_d):
        pos_of[j] = p
    base_keys = [(negd[j], secd[j]) for j in order_d]
    s0 = len(base_selected)
    limit_key = (cut_min, INF)  # keys above this are below the minimum score

    def diff_full(neg2: list[int]) -> list[int]:
        """Every candidate has a new key: the candidates whose selected status changed."""
        if budget is not None:
            key = (lambda j: (neg2[j], secd[j]))
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

    def diff_partial(neg2: list[int], changed: list[int]) -> list[int]:
        """Only ``changed`` moved; the others keep their baseline keys and relative order."""
        moved = set(changed)
        key = (lambda j: (neg2[j], secd[j]))
        if budget is not None:
            stream = heapq.merge((j for j in order_d if j not in moved), sorted(changed, key=key), key=key)
            sel = walk_selected(stream, neg2.__getitem__, reqd, quota, min_key, budget)
            return list(set(sel) ^ base_sel)
        new_keys = sorted(key(j) for j in changed)
        old_keys = sorted(base_keys[pos_of[j]] for j in changed)

        def count_le(x) -> int:  # candidates of the perturbed ranking whose key is ≤ x
            return bisect_right(base_keys, x) - bisect_right(old_keys, x) + bisect_right(new_keys, x)

        t = limit_key
        if m >= quota > 0:
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
        elif quota <= 0:
            t = (-INF, -1)
        p_new = bisect_right(base_keys, t)  # unchanged candidates at positions < p_new are selected
        out = [order_d[p] for p in range(min(p_new, s0), max(p_new, s0)) if order_d[p] not in moved]
        out.extend(j for j in changed if (key(j) <= t) != base_flag[j])
        return out

    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        progress(done / runs, "stability")

    normalized = inp.method == "normalized"
    base, trim = prep.base, prep.trim
    # (a) leave one evaluator out
    for e in evaluators:
        cancel.raise_if_cancelled()
        if normalized:
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
        else:
            neg2 = list(negd)
            changed = []
            for j in by_evaluator[e]:
                ts = [t for c, t in zip(codes[j], totals[j]) if c != e]
                if ts:
                    neg2[j] = -rscore(aggregate(base, ts, trim)[0])
                    changed.append(j)
            record(diff_partial(neg2, changed))
        step()

    # (b) each criterion weight ±10 %
    M = prep.M
    sums = [prep.sums[i] for i in cands]
    points = [prep.points[i] for i in cands]
    mean_fast = base == "mean" and not normalized
    if mean_fast:
        msum = [sum(ss) / len(ss) for ss in sums]
        cmean = [[0.0] * m for _ in range(prep.K)]
        for j, pts in enumerate(points):
            n = len(pts)
            for k, col in enumerate(zip(*pts)):
                cmean[k][j] = sum(col) / n
    for k in weighted:
        for f in (0.9, 1.1):
            cancel.raise_if_cancelled()
            d = (f - 1.0) * prep.W[k]
            c = 100.0 / (M + d * prep.MX[k])
            if mean_fast:
                cu = c * SCORE_UNIT
                neg2 = [-round((ms + d * ck) * cu) for ms, ck in zip(msum, cmean[k])]
            else:
                totals2 = [[] for _ in prep.totals]
                for j, i in enumerate(cands):
                    totals2[i] = [c * (s + d * p[k]) for s, p in zip(sums[j], points[j])]
                if normalized:  # the non-candidates' totals take part in the track's mean and spread
                    for i, ts in enumerate(prep.totals):
                        if ts and not totals2[i]:
                            totals2[i] = [c * (s + d * p[k]) for s, p in zip(prep.sums[i], prep.points[i])]
                new = scores_of(prep, prep.codes, totals2)
                neg2 = [-rscore(new[i]) for i in cands]  # type: ignore[arg-type]
            record(diff_full(neg2))
            step()

    share = {i: ((runs if base_flag[j] else 0) + gained[j] - lost[j]) / runs for j, i in enumerate(cands)}
    return Stability(share, {cands[j] for j in flipped}, runs, len(evaluators), len(weighted))
