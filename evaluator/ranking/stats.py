"""The arithmetic of aggregation, normalisation and agreement (plain Python, order independent).

Sums use :func:`math.fsum` (exactly rounded), and order statistics sort first, so every figure
is the same whatever order the evaluators or applications come in.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

fsum = math.fsum


def median(xs: Sequence[float]) -> float:
    s = sorted(xs)
    n = len(s)
    m = n // 2
    return s[m] if n % 2 else (s[m - 1] + s[m]) / 2.0


def trimmed_mean(xs: Sequence[float], min_n: int) -> tuple[float, bool]:
    """Mean after dropping one highest and one lowest value when there are at least ``min_n``.

    Returns (value, trimmed?)."""
    n = len(xs)
    if n >= max(min_n, 3):
        s = sorted(xs)
        return fsum(s[1:-1]) / (n - 2), True
    return fsum(xs) / n, False


def aggregate(method: str, xs: Sequence[float], trim_min: int) -> tuple[float, bool]:
    """The aggregate of one application's totals under ``method`` (mean | median | trimmed)."""
    if method == "median":
        return median(xs), False
    if method == "trimmed":
        return trimmed_mean(xs, trim_min)
    return fsum(xs) / len(xs), False


def pstdev(xs: list[float], mu: float) -> float:
    """Population standard deviation (divides by n) around the mean ``mu``."""
    return math.sqrt(fsum([(x - mu) * (x - mu) for x in xs]) / len(xs))


def normalise(codes: list[list[str]], totals: list[list[float]]
              ) -> tuple[list[list[float]], set[str], dict[str, list[float]]]:
    """Per-evaluator z-scores rescaled to the track's raw mean and spread (kept within 0–100).

    ``codes[i]`` and ``totals[i]`` are application i's counted evaluations (evaluator, total).
    z = (t − μₑ)/σₑ over the evaluator's own counted totals in the track (population SD); the
    normalised total is μ + σ·z with μ, σ the mean and SD of every counted raw total in the track.
    An evaluator with fewer than 3 totals, or all totals equal, keeps raw totals (the fallback).
    Returns (normalised totals aligned with ``totals``, the evaluators that fell back, each
    evaluator's counted totals)."""
    per_ev: dict[str, list[float]] = {}
    every: list[float] = []
    for cs, ts in zip(codes, totals):
        if not ts:
            continue
        for c, t in zip(cs, ts):
            got = per_ev.get(c)
            if got is None:
                per_ev[c] = [t]
            else:
                got.append(t)
        every += ts
    if not every:
        return [[] for _ in totals], set(), per_ev
    mu_all = fsum(every) / len(every)
    sd_all = pstdev(every, mu_all)
    stats: dict[str, tuple[float, float]] = {}
    fallback: set[str] = set()
    for c, ts in per_ev.items():
        if len(ts) < 3:
            fallback.add(c)
            continue
        mu = fsum(ts) / len(ts)
        sd = pstdev(ts, mu)
        if sd <= 0.0:
            fallback.add(c)
            continue
        stats[c] = (mu, sd)
    out: list[list[float]] = []
    get = stats.get
    for cs, ts in zip(codes, totals):
        row = []
        for c, t in zip(cs, ts):
            st = get(c)
            if st is None:
                row.append(t)
            else:
                v = mu_all + sd_all * (t - st[0]) / st[1]
                row.append(0.0 if v < 0.0 else 100.0 if v > 100.0 else v)
        out.append(row)
    return out, fallback, per_ev


def alpha_from_units(sizes: list[int], squares: list[float], values: list[float]) -> float | None:
    """Krippendorff's alpha (interval) from each pairable unit's number of values (m ≥ 2) and sum of
    squared deviations from its mean, and every pairable value; None when there is nothing to
    compare or no variation at all.  A unit's share of D_o, Σ_{i≠j in u} (v_i − v_j)² / (m − 1), is
    2 m Σ (v − v̄)² / (m − 1)."""
    n = len(values)
    if n < 2 or not sizes:
        return None
    terms = [2.0 * m * ss / (m - 1) for m, ss in zip(sizes, squares)]
    mu = fsum(values) / n
    d_e = 2.0 * fsum([(v - mu) * (v - mu) for v in values]) / (n - 1)
    if d_e <= 0.0:
        return None
    return 1.0 - fsum(terms) / n / d_e


def krippendorff_alpha_interval(units: Iterable[Sequence[float]]) -> float | None:
    """Krippendorff's alpha for interval data, any number of coders per unit, missing data allowed.

    α = 1 − D_o / D_e over the pairable values (units with at least two values), where
    D_o = (1/n) Σ_u Σ_{i≠j in u} (v_i − v_j)² / (m_u − 1) and
    D_e = Σ_{i≠j over all n pairable values} (v_i − v_j)² / (n (n − 1)).
    Using Σ_{i≠j} (v_i − v_j)² = 2 m Σ (v − v̄)² keeps it O(n) and numerically stable.
    Returns None when there is nothing to compare or no variation at all.
    (Hayes & Krippendorff 2007; Krippendorff 2011, "Computing Krippendorff's alpha-reliability".)
    The engine gathers the same sums in its own pass over the totals (:func:`alpha_from_units`).
    """
    sizes: list[int] = []
    squares: list[float] = []
    values: list[float] = []
    for u in units:
        m = len(u)
        if m < 2:
            continue
        mu = fsum(u) / m
        sizes.append(m)
        squares.append(fsum([(v - mu) * (v - mu) for v in u]))
        values.extend(u)
    return alpha_from_units(sizes, squares, values)
