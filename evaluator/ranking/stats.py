"""The arithmetic of aggregation, normalisation and agreement (plain Python, order independent).

Sums use :func:`math.fsum` (exactly rounded), and order statistics sort first, so every figure
is the same whatever order the evaluators or applications come in.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

fsum = math.fsum


def mean(xs: Sequence[float]) -> float:
    return fsum(xs) / len(xs)


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


def pstdev(xs: Sequence[float], mu: float | None = None) -> float:
    """Population standard deviation (divides by n)."""
    if mu is None:
        mu = fsum(xs) / len(xs)
    return math.sqrt(fsum((x - mu) * (x - mu) for x in xs) / len(xs))


def stdev(xs: Sequence[float]) -> float | None:
    """Sample standard deviation (divides by n − 1); None for fewer than two values."""
    n = len(xs)
    if n < 2:
        return None
    mu = fsum(xs) / n
    return math.sqrt(fsum((x - mu) * (x - mu) for x in xs) / (n - 1))


def krippendorff_alpha_interval(units: Iterable[Sequence[float]]) -> float | None:
    """Krippendorff's alpha for interval data, any number of coders per unit, missing data allowed.

    α = 1 − D_o / D_e over the pairable values (units with at least two values), where
    D_o = (1/n) Σ_u Σ_{i≠j in u} (v_i − v_j)² / (m_u − 1) and
    D_e = Σ_{i≠j over all n pairable values} (v_i − v_j)² / (n (n − 1)).
    Using Σ_{i≠j} (v_i − v_j)² = 2 m Σ (v − v̄)² keeps it O(n) and numerically stable.
    Returns None when there is nothing to compare or no variation at all.
    (Hayes & Krippendorff 2007; Krippendorff 2011, "Computing Krippendorff's alpha-reliability".)
    """
    within: list[float] = []
    values: list[float] = []
    for u in units:
        m = len(u)
        if m < 2:
            continue
        mu = fsum(u) / m
        within.append(2.0 * m * fsum((v - mu) * (v - mu) for v in u) / (m - 1))
        values.extend(u)
    n = len(values)
    if n < 2 or not within:
        return None
    mu = fsum(values) / n
    ss_all = fsum((v - mu) * (v - mu) for v in values)
    d_e = 2.0 * ss_all / (n - 1)
    if d_e <= 0.0:
        return None
    d_o = fsum(within) / n
    return 1.0 - d_o / d_e
