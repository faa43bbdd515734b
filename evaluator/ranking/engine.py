"""The ranking engine: one track's inputs in, a :class:`TrackRanking` out (pure, no database).

The steps, each documented in ``docs/ranking.md``:

1. **Totals** — each evaluation's weighted total on 0–100 (``100·Σwᵢsᵢ/Σwᵢmaxᵢ``, the rubric's own
   formula).  Recusals (declared conflicts) and abstentions are left out and reported; an evaluation
   missing a required criterion is *incomplete*: flagged and left out, never counted as zero; a
   draft counts only in a provisional ranking.
2. **Aggregation** — mean, median, trimmed mean or normalised mean of the counted totals; the raw
   and the normalised score are always both computed.
3. **Quality** — spread, standard deviation, disagreement flag; evaluator leniency; Krippendorff's
   alpha (interval) for the track.
4. **Eligibility** — automatic gates test an application field, manual gates use the recorded
   outcome (unrecorded = presumed passed); withdrawn applications are not ranked.
5. **Order and selection** — score (to 6 decimals), then the tie-breaks, then the application ID;
   walk down the list: minimum score, quota, budget cap, reserves.  Every row gets a reason.
6. **Stability** — :mod:`evaluator.ranking.stability` re-runs the selection under perturbations.
7. **Overrides** — the committee's decision is shown beside the computed one, never mixed into it.
"""

from __future__ import annotations

import dataclasses
from functools import partial
from math import sqrt
from operator import itemgetter, mul

from ..heap import gc_paused
from ..jobs import NEVER, CancelToken, Progress, no_progress
from . import labels as L
from .inputs import FINALISED, NOT_STARTED, ApplicationInput, TrackInputs
from .model import (
    FLAG_ABSTENTION, FLAG_CUT_LINE, FLAG_DISAGREEMENT, FLAG_INCOMPLETE, FLAG_NO_EVALUATIONS, FLAG_NORMALIZED_FALLBACK,
    FLAG_OVERRIDDEN, FLAG_PROVISIONAL, FLAG_RECUSAL, FLAG_TIE, FLAG_WITHDRAWN, EvaluatorQuality, EvaluatorScore,
    RankedApplication, TrackRanking,
)
from .stats import aggregate, fsum, pstdev

#: flags as bits, in the order of their names (so the bits of a set name it as a sorted tuple)
_ALL_FLAGS = sorted((FLAG_ABSTENTION, FLAG_CUT_LINE, FLAG_DISAGREEMENT, FLAG_INCOMPLETE, FLAG_NO_EVALUATIONS,
                     FLAG_NORMALIZED_FALLBACK, FLAG_OVERRIDDEN, FLAG_PROVISIONAL, FLAG_RECUSAL, FLAG_TIE, FLAG_WITHDRAWN))
_BIT = {f: 1 << k for k, f in enumerate(_ALL_FLAGS)}
_FLAG_NAMES = [tuple(f for f in _ALL_FLAGS if bits & _BIT[f]) for bits in range(1 << len(_ALL_FLAGS))]
_POPCOUNT = [bin(bits).count("1") for bits in range(1 << len(_ALL_FLAGS))]

#: scores are compared in whole millionths of a point (so float noise never decides a place)
SCORE_UNIT = 1_000_000
INF = float("inf")
AUTO_GATE_FIELDS = ("members", "requested_amount", "self_contribution")


def rscore(x: float) -> int:
    """The score as compared: rounded to 6 decimals, as an integer number of millionths."""
    return round(x * SCORE_UNIT)


def _builder(cls, given: tuple[str, ...]):
    """A fast constructor for a frozen model dataclass, given the fields ``given``: fills
    ``__dict__`` directly.

    The generated ``__init__`` of a frozen dataclass sets each field through
    ``object.__setattr__``; for rows with ~40 fields that was most of the cost of a 10,000-row
    ranking.  The result is the same object (equal, hashable, immutable).  The call sites pass
    exactly ``given`` (checked here once against the class: every required field is given; the
    others get their declared defaults)."""
    fields = dataclasses.fields(cls)
    names = {f.name for f in fields}
    unknown = set(given) - names
    missing = {f.name for f in fields if f.default is dataclasses.MISSING
               and f.default_factory is dataclasses.MISSING} - set(given)
    if unknown or missing or hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__}: cannot build fast (unknown {sorted(unknown)}, missing {sorted(missing)})")
    rest = {f.name: f.default for f in fields if f.name not in given and f.default is not dataclasses.MISSING}
    factories = [(f.name, f.default_factory) for f in fields
                 if f.name not in given and f.default_factory is not dataclasses.MISSING]
    new = object.__new__

    def build(values: dict):
        o = new(cls)
        d = o.__dict__
        if rest:
            d.update(rest)
        for name, factory in factories:
            d[name] = factory()
        d.update(values)
        return o

    return build


class Prepared:
    """Everything computed once per track and reused by the stability analysis."""

    def __init__(self, inp: TrackInputs) -> None:
        self.inp = inp
        crit = inp.criteria
        self.K = len(crit)
        self.W = [float(c.weight) for c in crit]
        self.MX = [float(c.max_points) for c in crit]
        self.M = sum(map(mul, self.W, self.MX))  # the rubric's weighted maximum
        self.base = "mean" if inp.method == "normalized" else inp.method
        self.trim = inp.trim_min_evaluators
        n = len(inp.applications)
        # counted evaluations per application, as parallel lists
        self.codes: list[list[str]] = [[] for _ in range(n)]
        self.totals: list[list[float]] = [[] for _ in range(n)]
        self.points: list[list[list[float]]] = [[] for _ in range(n)]  # optional blanks as 0
        self.unit = all(w == 1.0 for w in self.W)  # Σ 1.0·sᵢ is Σ sᵢ, the same additions in the same order

    def sums(self, i: int) -> list[float]:
        """Σ wᵢsᵢ of each counted evaluation of application i (total = 100·sum/M), as the totals
        were computed."""
        if self.unit:
            return [sum(p) for p in self.points[i]]
        W = self.W
        return [sum(map(mul, W, p)) for p in self.points[i]]


def _field_share(filled, fc: list[int], fc_max: float) -> float:
    return sum([filled[k] for k in fc]) / fc_max


_by_evaluator = itemgetter(0)  # an evaluation's evaluator code


#: what :func:`_judge` makes of an evaluation
COUNTED, RECUSED, ABSTAINED, UNFINISHED, INCOMPLETE = range(5)


def _judge(pts: tuple, state: str, abstained: bool, abstain_reason: str, conflict: str | None, conflict_note: str,
           crit, W: list[float], M: float, K: int, provisional: bool) -> tuple:
    """One evaluation: ``(kind, state, note, total, acc, filled)``.

    ``pts`` is aligned with the criteria (padded with None).  Recusals and abstentions are left out;
    nothing scored (or not started) is not started; a draft counts only in a provisional ranking; a
    required criterion left blank makes it incomplete (left out, never counted as zero); an optional
    one counts 0.  ``total`` is the weighted total on 0–100 (None when incomplete), ``acc`` Σ wᵢsᵢ."""
    missing: list[str] = []
    blanks = pts.count(None)
    if blanks:
        filled: tuple | list = []
        for k, p in enumerate(pts):
            if p is None:
                if crit[k].required:
                    missing.append(crit[k].code)
                filled.append(0.0)  # type: ignore[union-attr]
            else:
                filled.append(p)  # type: ignore[union-attr]
    else:
        filled = pts
    acc = sum(map(mul, W, filled)) if not missing else None
    total = 100.0 * acc / M if acc is not None else None
    if conflict:
        return RECUSED, "recused", L.note_conflict(conflict, conflict_note), total, acc, filled
    if abstained:
        return ABSTAINED, "abstained", L.note_abstained(abstain_reason), total, acc, filled
    if state == NOT_STARTED or blanks == K:
        return UNFINISHED, NOT_STARTED, _NO_NOTE, total, acc, filled
    if state != FINALISED and not provisional:
        return UNFINISHED, state, L.note_not_finalised(), total, acc, filled
    if total is None:
        return INCOMPLETE, "incomplete", L.note_missing(missing), total, acc, filled
    return COUNTED, state, _NO_NOTE, total, acc, filled


def _aligned(pts, K: int) -> tuple:
    if type(pts) is not tuple:
        pts = tuple(pts)
    if len(pts) < K:
        pts = pts + (None,) * (K - len(pts))
    return pts


class _Detail:
    """Builds one application's :class:`EvaluatorScore` rows when they are first read (see
    ``RankedApplication.evaluators``): the same rules as the ranking itself (:func:`_judge`)."""

    __slots__ = ("evs", "codes", "norm", "ctx")

    def __init__(self, ctx: tuple, evs, codes: list[str], norm: list[float]) -> None:
        self.evs, self.codes, self.norm, self.ctx = evs, codes, norm, ctx

    def __call__(self) -> list[EvaluatorScore]:
        crit, W, M, K, provisional, crit_codes = self.ctx
        by_code = dict(zip(self.codes, self.norm))
        out = []
        for code, pts, state, abstained, ab_reason, conflict, cnote in self.evs:
            pts = _aligned(pts, K)
            kind, state, note, total, _acc, _filled = _judge(pts, state, abstained, ab_reason, conflict, cnote,
                                                             crit, W, M, K, provisional)
            counted = kind == COUNTED
            out.append(_new_score({"evaluator": code, "total": total,
                                   "normalized": by_code.get(code) if counted else None, "state": state,
                                   "counted": counted, "note": note[0], "criteria": dict(zip(crit_codes, pts)),
                                   "note_ko": note[1]}))
        return out


def normalise(codes: list[list[str]], totals: list[list[float]]) -> tuple[list[list[float]], set[str]]:
    """Per-evaluator z-scores rescaled to the track's raw mean and spread (kept within 0–100).

    z = (t − μₑ)/σₑ over the evaluator's own counted totals in the track (population SD); the
    normalised total is μ + σ·z with μ, σ the mean and SD of every counted raw total in the track.
    An evaluator with fewer than 3 totals, or all totals equal, keeps raw totals (the fallback).
    Returns (normalised totals aligned with ``totals``, evaluators that fell back)."""
    norm, fallback, _per_ev = _normalise(codes, totals)
    return norm, fallback


def _normalise(codes: list[list[str]], totals: list[list[float]]
               ) -> tuple[list[list[float]], set[str], dict[str, list[float]]]:
    """:func:`normalise`, also returning each evaluator's counted totals."""
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
    sd_all = _pstdev(every, mu_all)
    stats: dict[str, tuple[float, float]] = {}
    fallback: set[str] = set()
    for c, ts in per_ev.items():
        if len(ts) < 3:
            fallback.add(c)
            continue
        mu = fsum(ts) / len(ts)
        sd = _pstdev(ts, mu)
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


def _pstdev(xs: list[float], mu: float) -> float:
    """:func:`.stats.pstdev` (the same sum) without a generator."""
    return sqrt(fsum([(x - mu) * (x - mu) for x in xs]) / len(xs))


def scores_of(prep: Prepared, codes: list[list[str]], totals: list[list[float]]) -> list[float | None]:
    """The score of every application under the track's method, from counted totals."""
    if prep.inp.method == "normalized":
        norm, _ = normalise(codes, totals)
        return [fsum(v) / len(v) if v else None for v in norm]
    base, trim = prep.base, prep.trim
    return [aggregate(base, ts, trim)[0] if ts else None for ts in totals]


def _gates(inp: TrackInputs, a: ApplicationInput) -> tuple[list[str], list[tuple[str, str]], int]:
    failed: list[str] = []
    parts: list[tuple[str, str]] = []
    unchecked = 0
    for g in inp.gates:
        if g.kind == "auto":
            value = getattr(a, g.field) if g.field in AUTO_GATE_FIELDS else None
            if value is None or (g.min_value is not None and value < g.min_value):
                failed.append(g.code)
                parts.append(L.gate_failed_auto(g.code, g.name_ko, g.name_en, g.field or "", value,
                                                g.min_value if g.min_value is not None else 0))
        else:
            outcome = a.gate_results.get(g.code)
            if outcome is False:
                failed.append(g.code)
                parts.append(L.gate_failed_manual(g.code, g.name_ko, g.name_en))
            elif outcome is None:
                unchecked += 1
    return failed, parts, unchecked


_FIELD_AT = {f: ApplicationInput._fields.index(f) for f in AUTO_GATE_FIELDS}
_GATES_AT = ApplicationInput._fields.index("gate_results")


def _gate_suspects(inp: TrackInputs, apps) -> tuple[list[int], int]:
    """The applications that fail some gate (:func:`_gates` says which and why; the others pass
    every gate), and the number of manual gate outcomes not recorded yet (presumed passed)."""
    out: set[int] = set()
    unchecked = 0
    for g in inp.gates:
        if g.kind == "auto":
            k = _FIELD_AT.get(g.field)  # type: ignore[arg-type]
            if k is None:  # not a field a gate may test: fails everywhere (as _gates says)
                out.update(range(len(apps)))
                continue
            lo = g.min_value
            if lo is None:
                out.update(i for i, a in enumerate(apps) if a[k] is None)
            else:
                out.update(i for i, a in enumerate(apps) if a[k] is None or a[k] < lo)
        else:
            code = g.code
            outcomes = [a[_GATES_AT].get(code) for a in apps]
            unchecked += outcomes.count(None)
            if False in outcomes:
                out.update(i for i, x in enumerate(outcomes) if x is False)
    return sorted(out), unchecked


def walk_selected(stream, neg, requested: list[int | None], quota: int, min_key: int,
                  budget: int | None) -> list[int]:
    """The selection rule, as the stability analysis runs it: indices selected from ``stream``.

    ``stream`` yields candidates in ranking order; ``neg(i)`` is minus :func:`rscore`; ``min_key`` is
    ``rscore(min_score)``.  The same
    rule as the baseline walk in :func:`rank_track` (minimum score, budget skip, quota)."""
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
                continue
            left -= amt
        out.append(i)
        if len(out) >= quota:
            break
    return out


def rank_track(inp: TrackInputs, *, progress: Progress = no_progress, cancel: CancelToken = NEVER) -> TrackRanking:
    """Rank one track.  Deterministic: the same inputs, in any order, give the same result."""
    with gc_paused():
        return _rank_track(inp, progress, cancel)


def _rank_track(inp: TrackInputs, progress: Progress, cancel: CancelToken) -> TrackRanking:
    from .stability import analyse

    prep = Prepared(inp)
    crit = inp.criteria
    apps = inp.applications
    n = len(apps)
    K, W, M = prep.K, prep.W, prep.M
    fc = [k for k, c in enumerate(crit) if c.field_check]
    fc_max = fsum(prep.MX[k] for k in fc)
    if fc_max <= 0:
        fc = []
    f0 = fc[0] if len(fc) == 1 else None
    method = inp.method
    provisional = inp.provisional
    unit = prep.unit

    # --- 1. totals: classify each evaluation; the counted ones go into ``prep`` -------------------
    codes, totals, points = prep.codes, prep.totals, prep.points
    fshare: list[float | None] = [None] * n
    flags = [0] * n  # each application's flags as bits (_BIT), named at the end
    recused = [0] * n
    abstained_n = [0] * n
    incomplete = [0] * n
    unfinished = [0] * n
    evs_of: list = [()] * n  # each application's evaluations in evaluator order (for the detail rows)
    for i, a in enumerate(apps):
        evs = a.evaluations
        ne = len(evs)
        if ne > 1 and not (ne == 2 and evs[0][0] <= evs[1][0]
                           or ne == 3 and evs[0][0] <= evs[1][0] <= evs[2][0]):
            evs = sorted(evs, key=_by_evaluator)  # (stable: what is in order already stays as it is)
        evs_of[i] = evs
        ci, ti, pi = codes[i], totals[i], points[i]
        fi = []
        for code, pts, state, abstained, ab_reason, conflict, cnote in evs:
            if type(pts) is not tuple or len(pts) < K:
                pts = _aligned(pts, K)
            if (not conflict and not abstained and None not in pts
                    and (state == FINALISED or (provisional and state != NOT_STARTED))):
                # the common case, as _judge would count it: complete, finalised (or provisional), plain
                acc = sum(pts) if unit else sum(map(mul, W, pts))
                filled = pts
                total = 100.0 * acc / M
            else:
                kind, _state, _note, total, acc, filled = _judge(pts, state, abstained, ab_reason, conflict, cnote,
                                                                 crit, W, M, K, provisional)
                if kind != COUNTED:
                    if kind == RECUSED:
                        recused[i] += 1
                        flags[i] |= _BIT[FLAG_RECUSAL]
                    elif kind == ABSTAINED:
                        abstained_n[i] += 1
                        flags[i] |= _BIT[FLAG_ABSTENTION]
                    elif kind == INCOMPLETE:
                        incomplete[i] += 1
                        flags[i] |= _BIT[FLAG_INCOMPLETE]
                    else:
                        unfinished[i] += 1
                    continue
            ci.append(code)
            ti.append(total)
            pi.append(filled)
            if fc:
                fi.append((0 + filled[f0]) / fc_max if f0 is not None else _field_share(filled, fc, fc_max))
        if fi:
            fshare[i] = fsum(fi) / len(fi)
    cancel.raise_if_cancelled()

    # --- 2–3. aggregation (raw and normalised side by side), spread, agreement ---------------------
    norm, fallback, per_ev = _normalise(codes, totals)
    raw_score: list[float | None] = [None] * n
    norm_score: list[float | None] = [None] * n
    trimmed = [False] * n
    spread: list[float | None] = [None] * n
    sdev: list[float | None] = [None] * n
    within: list[float] = []  # Krippendorff's alpha: per unit 2·m·Σ(v − v̄)²/(m − 1) …
    values: list[float] = []  # … over the pairable values
    devs: dict[str, list[float]] = {}  # leniency: each total minus the mean of the co-evaluators' totals
    base, trim = prep.base, prep.trim
    mean_base = base == "mean"
    threshold = inp.disagreement_threshold
    for i in range(n):
        ts = totals[i]
        if not ts:
            continue
        m = len(ts)
        whole = fsum(ts)
        if mean_base:
            raw_score[i] = whole / m
            nv = norm[i]
            norm_score[i] = fsum(nv) / len(nv)
        else:
            raw_score[i], trimmed[i] = aggregate(base, ts, trim)
            norm_score[i] = aggregate(base, norm[i], trim)[0]
        if m == 3:  # the common case, without building lists (max and min as the builtins pick them)
            a, b, c = ts
            hi = a if a >= b else b
            lo = a if a <= b else b
            sp = spread[i] = (hi if hi >= c else c) - (lo if lo <= c else c)
        else:
            sp = spread[i] = max(ts) - min(ts)
        if m > 1:
            mu = whole / m
            if m == 3:
                ss = fsum(((a - mu) * (a - mu), (b - mu) * (b - mu), (c - mu) * (c - mu)))
            else:
                ss = fsum([(x - mu) * (x - mu) for x in ts])
            sdev[i] = sqrt(ss / (m - 1))
            within.append(2.0 * m * ss / (m - 1))
            values += ts
            m1 = m - 1
            for c, t in zip(codes[i], ts):
                d = devs.get(c)
                if d is None:
                    devs[c] = [t - (whole - t) / m1]
                else:
                    d.append(t - (whole - t) / m1)
        if sp > threshold:  # type: ignore[operator]
            flags[i] |= _BIT[FLAG_DISAGREEMENT]
        if fallback and not fallback.isdisjoint(codes[i]):
            flags[i] |= _BIT[FLAG_NORMALIZED_FALLBACK]
    if method == "normalized":
        score = norm_score
        trimmed = [False] * n
    else:
        score = raw_score
    quality_bits = (_BIT[FLAG_DISAGREEMENT] | _BIT[FLAG_INCOMPLETE]
                    | (_BIT[FLAG_NORMALIZED_FALLBACK] if method == "normalized" else 0))

    # --- 4. eligibility ------------------------------------------------------------------------------
    failed: list[list[str]] = [_NONE] * n
    gate_parts: list[list[tuple[str, str]]] = [_NONE] * n
    unchecked_total = 0
    withdrawn = [a.status == "withdrawn" for a in apps]
    if inp.gates:
        suspects, unchecked_total = _gate_suspects(inp, apps)
        for i in suspects:
            failed[i], gate_parts[i], _unchecked = _gates(inp, apps[i])
    eligible = [not w and not f for w, f in zip(withdrawn, failed)]
    cands = [i for i in range(n) if eligible[i] and score[i] is not None]

    # --- 5. order: score, then tie-breaks, then application ID ---------------------------------------
    rules = list(inp.tie_breaks)
    cols: list[list] = []
    for r in rules:
        if r == "field_check":
            cols.append([-round(fshare[i], 9) if fshare[i] is not None else 0.0 for i in cands])  # type: ignore[arg-type]
        elif r == "fewer_flags":
            cols.append([_POPCOUNT[flags[i] & quality_bits] for i in cands])
        else:  # earlier_submission
            days = []
            for i in cands:
                d = apps[i].submitted_on
                days.append(d.toordinal() if d is not None else 10**9)
            cols.append(days)
    cols.append([apps[i].application_id for i in cands])
    sec_keys = list(zip(*cols)) if cands else []
    secpos = [0] * n
    sec_order = sorted(range(len(cands)), key=sec_keys.__getitem__)
    by_sec = [cands[j] for j in sec_order]
    sec_sorted = [sec_keys[j] for j in sec_order]  # the tie-break keys by tie-break position
    for pos, i in enumerate(by_sec):
        secpos[i] = pos
    neg = [INF] * n
    for i in cands:
        neg[i] = -round(score[i] * SCORE_UNIT)  # type: ignore[operator]  # rscore
    order = sorted(by_sec, key=neg.__getitem__)  # stable: equal scores keep the tie-break order
    rank: list[int | None] = [None] * n
    for pos, i in enumerate(order):
        rank[i] = pos + 1
    N = len(order)
    tie_rule = [""] * n
    all_rules = rules + ["application_id"]
    prev_key = None
    for pos, i in enumerate(order):
        key = neg[i]
        nb = None
        if pos > 0 and prev_key == key:
            nb = order[pos - 1]
        elif pos + 1 < N and neg[order[pos + 1]] == key:
            nb = order[pos + 1]
        prev_key = key
        if nb is not None:
            flags[i] |= _BIT[FLAG_TIE]
            for r, x, y in zip(all_rules, sec_sorted[secpos[i]], sec_sorted[secpos[nb]]):
                if x != y:
                    tie_rule[i] = r
                    break

    # --- selection walk, with the reason of every row -------------------------------------------------
    decision = [""] * n
    reason: list[tuple[str, str]] = [_NO_NOTE] * n
    requested = [a.requested_amount for a in apps]
    quota, reserve_size, budget, min_score = inp.quota, inp.reserve_size, inp.budget, inp.min_score
    min_key = rscore(min_score)
    selected: list[int] = []
    reserves = 0
    left = budget
    # the words of the common reasons, formatted once (labels.py builds the same strings)
    within_en, within_ko = L.selected_within_quota(quota)
    beyond_en, beyond_ko = L.beyond_reserves(quota, reserve_size)
    below_en, below_ko = f" below the minimum {L.num(min_score)}", f"점으로 최저 점수 {L.num(min_score)}점 미달"
    tie_words = {r: L.tie_broken(r) for r in all_rules}
    for i in order:
        s = score[i]
        assert s is not None
        r = rank[i]
        rule = tie_rule[i]
        tie_en, tie_ko = ("; " + tie_words[rule][0], "; " + tie_words[rule][1]) if rule else _NO_NOTE
        if -neg[i] < min_key:
            decision[i] = "not_selected"
            reason[i] = (f"rank {r} of {N}; score {s:.1f}{below_en}{tie_en}",
                         f"{N}건 중 {r}위; {s:.1f}{below_ko}{tie_ko}")
            continue
        if len(selected) < quota and left is None:
            selected.append(i)
            decision[i] = "selected"
            reason[i] = (f"rank {r} of {N}; score {s:.1f}; {within_en}{tie_en}",
                         f"{N}건 중 {r}위; {s:.1f}점; {within_ko}{tie_ko}")
            continue
        head = L.rank_head(r, N, s)  # type: ignore[arg-type]
        skip: tuple[str, str] | None = None
        if len(selected) < quota:  # with a budget cap
            amt = requested[i]
            if amt is None or amt > left:  # type: ignore[operator]
                skip = L.budget_skipped(amt, left)  # type: ignore[arg-type]
            else:
                left -= amt  # type: ignore[operator]
                selected.append(i)
                decision[i] = "selected"
                reason[i] = L.join(head, L.selected_within_quota(quota), L.budget_fits(amt, left),  # type: ignore[arg-type]
                                   _tie(rule, tie_words))
                continue
        why = skip if skip is not None else L.quota_filled(quota)
        amt = requested[i]
        fundable = budget is None or (amt is not None and amt <= budget)  # a reserve must fit the whole budget
        if fundable and reserves < reserve_size:
            reserves += 1
            decision[i] = "reserve"
            reason[i] = L.join(head, why, L.reserve_place(reserves), _tie(rule, tie_words))
        else:
            decision[i] = "not_selected"
            if skip is not None:
                reason[i] = L.join(head, skip, _tie(rule, tie_words))
            elif not fundable:
                reason[i] = L.join(head, why, L.exceeds_budget(amt, budget), _tie(rule, tie_words))  # type: ignore[arg-type]
            else:
                reason[i] = (f"{head[0]}; {beyond_en}{tie_en}", f"{head[1]}; {beyond_ko}{tie_ko}")
    for i in range(n):
        if decision[i]:
            continue
        if withdrawn[i]:
            decision[i], reason[i] = "not_selected", L.withdrawn()
            flags[i] |= _BIT[FLAG_WITHDRAWN]
        elif failed[i]:
            decision[i], reason[i] = "ineligible", L.ineligible(gate_parts[i])
        else:
            decision[i] = "not_selected"
            reason[i] = L.not_ranked(recused[i], abstained_n[i], incomplete[i], unfinished[i])
            flags[i] |= _BIT[FLAG_NO_EVALUATIONS]
        if score[i] is None and not totals[i]:
            flags[i] |= _BIT[FLAG_NO_EVALUATIONS]
    cancel.raise_if_cancelled()

    # --- 6. stability of the cut line -----------------------------------------------------------------
    stab = analyse(prep, score, cands, order, neg, secpos, set(selected), requested,
                   progress=progress, cancel=cancel) if inp.stability else None

    # --- 7. overrides, rows ---------------------------------------------------------------------------
    ctx = (crit, W, M, K, provisional, [c.code for c in crit])
    budget_used = sum(requested[i] or 0 for i in selected)
    final_selected = final_reserve = 0
    share = stab.share if stab is not None else {}
    flips = stab.flips if stab is not None else set()
    track = inp.track
    detail = partial(_Detail, ctx)
    new_row, iso = _object_new, {}
    by_index: list[RankedApplication] = []
    # built in input order (the order the values were made in: far fewer cache misses on a large
    # track than visiting them in rank order), then put in rank order
    for i, ((app_id, _evs, title, group_name, district, category, _members, amount, _own, submitted, _status,
             _gate_results, override, override_reason), computed, fl, computed_decision) in enumerate(
            zip(apps, reason, flags, decision)):
        if provisional:
            computed = L.provisional(computed)
            fl |= _BIT[FLAG_PROVISIONAL]
        shown = computed
        final = computed_decision
        if override:
            final = override
            fl |= _BIT[FLAG_OVERRIDDEN]
            shown = L.join(computed, L.overridden(override, override_reason))
        else:
            override_reason = ""
        if final == "selected":
            final_selected += 1
        elif final == "reserve":
            final_reserve += 1
        on_cut = i in flips
        if on_cut:
            fl |= _BIT[FLAG_CUT_LINE]
        if submitted is not None:
            day = iso.get(submitted)
            if day is None:
                day = iso[submitted] = submitted.isoformat()
        else:
            day = None
        gates_failed = failed[i]
        row = new_row(RankedApplication)  # every field but ``evaluators`` (built on first read)
        d = row.__dict__
        d["application_id"] = app_id
        d["track"] = track
        d["title"] = title
        d["group_name"] = group_name
        d["district"] = district
        d["category"] = category
        d["requested_amount"] = amount
        d["submitted_on"] = day
        d["rank"] = rank[i]
        d["score"] = score[i]
        d["raw_score"] = raw_score[i]
        d["normalized_score"] = norm_score[i]
        d["method"] = method
        d["evaluations"] = len(totals[i])
        d["spread"] = spread[i]
        d["stddev"] = sdev[i]
        d["flags"] = _FLAG_NAMES[fl]
        d["eligible"] = eligible[i]
        d["failed_gates"] = tuple(gates_failed) if gates_failed else ()
        d["computed_decision"] = computed_decision
        d["decision"] = final
        d["reason"] = shown[0]
        d["override"] = override
        d["override_reason"] = override_reason
        d["stability"] = share.get(i)
        d["on_cut_line"] = on_cut
        d["field_check"] = fshare[i]
        d["reason_ko"] = shown[1]
        d["computed_reason"] = computed[0]
        d["computed_reason_ko"] = computed[1]
        d["trimmed"] = trimmed[i]
        d["tie_break"] = tie_rule[i]
        d["recusals"] = recused[i]
        d["abstentions"] = abstained_n[i]
        d["_evaluators_src"] = detail(evs_of[i], codes[i], norm[i])
        by_index.append(row)
    rows = [by_index[i] for i in order]
    rows += [by_index[i] for i in sorted((i for i in range(n) if rank[i] is None), key=lambda i: (
        2 if failed[i] else 1 if withdrawn[i] else 0, apps[i].application_id))]

    # --- notes and quality ----------------------------------------------------------------------------
    notes = [L.note_method(method, prep.trim), L.note_minimum(min_score), L.note_tie_breaks(rules)]
    if budget is not None:
        notes.append(L.note_budget(budget, budget_used))
    if unchecked_total:
        notes.append(L.note_unchecked_gates(unchecked_total))
    if provisional:
        notes.insert(0, L.note_provisional())
    if final_selected > quota:
        notes.append(L.note_overrides(final_selected, quota))
    if stab is not None:
        notes.append(L.note_stability(stab.perturbations, stab.evaluators, stab.criteria))
    alpha = _alpha(within, values)
    notes.append(L.note_reliability(alpha))
    seen = {ev[0] for evs in evs_of for ev in evs}
    quality = []
    for c in sorted(seen):
        ts = per_ev.get(c, _NONE)
        ds = devs.get(c, _NONE)
        quality.append(EvaluatorQuality(evaluator=c, applications=len(ts),
                                        mean_total=fsum(ts) / len(ts) if ts else None,
                                        leniency=fsum(ds) / len(ds) if ds else None))
    return TrackRanking(
        track=inp.track, name_ko=inp.name_ko, name_en=inp.name_en, quota=quota, reserve_size=reserve_size,
        budget=budget, min_score=min_score, method=method, rows=tuple(rows),
        evaluator_quality=tuple(quality), reliability=alpha,
        reliability_method="Krippendorff's alpha (interval)", selected=final_selected, reserve=final_reserve,
        eligible=sum(eligible), budget_used=budget_used, notes=tuple(x[0] for x in notes),
        notes_ko=tuple(x[1] for x in notes), provisional=provisional, trim_min_evaluators=prep.trim,
        disagreement_threshold=inp.disagreement_threshold, perturbations=stab.perturbations if stab else 0,
        tie_breaks=tuple(rules),
    )


def _tie(rule: str, words: dict[str, tuple[str, str]]) -> tuple[str, str]:
    return words[rule] if rule else _NO_NOTE


_NONE: list = []  # shared, never mutated


_object_new = object.__new__
#: the fields the rows loop in :func:`_rank_track` stores (every one but ``evaluators``, built on
#: first read); checked here once, as ``_builder`` checks its callers
_ROW_FIELDS = ("application_id", "track", "title", "group_name", "district", "category", "requested_amount",
               "submitted_on", "rank", "score", "raw_score", "normalized_score", "method", "evaluations", "spread",
               "stddev", "flags", "eligible", "failed_gates", "computed_decision", "decision", "reason", "override",
               "override_reason", "stability", "on_cut_line", "field_check", "reason_ko", "computed_reason",
               "computed_reason_ko", "trimmed", "tie_break", "recusals", "abstentions")
if set(_ROW_FIELDS) != {f.name for f in dataclasses.fields(RankedApplication)} - {"evaluators"}:
    raise TypeError("RankedApplication's fields changed: update the rows loop of _rank_track and _ROW_FIELDS")


_new_score = _builder(EvaluatorScore, ("evaluator", "total", "normalized", "state", "counted", "note", "criteria",
                                       "note_ko"))
_NO_NOTE = ("", "")


def _alpha(within: list[float], values: list[float]) -> float | None:
    """Krippendorff's alpha (interval) from the per-unit terms (see :func:`.stats.krippendorff_alpha_interval`)."""
    n = len(values)
    if n < 2 or not within:
        return None
    mu = fsum(values) / n
    ss_all = fsum([(v - mu) * (v - mu) for v in values])
    d_e = 2.0 * ss_all / (n - 1)
    if d_e <= 0.0:
        return None
    d_o = fsum(within) / n
    return 1.0 - d_o / d_e
