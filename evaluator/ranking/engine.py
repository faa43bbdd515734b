"""The ranking engine: one track's inputs in, a :class:`TrackRanking` out (pure, no database).

:func:`rank_track` is a pipeline of named steps, each documented in ``docs/ranking.md``.  The steps
work on columns: plain lists indexed like ``inp.applications`` (application ``i`` is the ``i``-th
of every list), gathered in a small record per step.

1. :func:`tally_evaluations` — each evaluation's weighted total on 0–100 (``100·Σwᵢsᵢ/Σwᵢmaxᵢ``, the rubric's
   own formula).  Recusals (declared conflicts) and abstentions are left out and reported; an
   evaluation missing a required criterion is *incomplete*: flagged and left out, never counted as
   zero; a draft counts only in a provisional ranking.
2. :func:`aggregate_scores` — mean, median, trimmed mean or normalised mean of the counted totals
   (the raw and the normalised score are always both computed); spread, standard deviation,
   disagreement; evaluator leniency; Krippendorff's alpha (interval) for the track.
3. :func:`check_gates` — automatic gates test an application field, manual gates use the
   recorded outcome (unrecorded = presumed passed); withdrawn applications are not ranked.
4. :func:`order_candidates` — score (to 6 decimals), then the tie-breaks, then the application ID.
5. :func:`walk_down` — down the list: minimum score, quota, budget cap, reserves, each row with its
   reason (:mod:`.reasons`); :func:`explain_unranked` gives the others theirs.
6. :func:`.stability.analyse` — re-runs the selection under perturbations.
7. :func:`build_rows` — the rows, with the committee's decision shown beside the computed one,
   never mixed into it; then the track's notes and each evaluator's leniency.

Flags are kept as bits of one integer per application (``_BIT``), set by the steps that find them
and named once, when the rows are built.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from math import sqrt
from operator import attrgetter, itemgetter, mul
from typing import NamedTuple

from ..heap import gc_paused
from ..jobs import NEVER, CancelToken, Progress, no_progress
from . import labels as L
from .inputs import FINALISED, NOT_STARTED, ApplicationInput, CriterionSpec, EvaluationInput, TrackInputs
from .model import (
    FLAG_ABSTENTION, FLAG_CUT_LINE, FLAG_DISAGREEMENT, FLAG_INCOMPLETE, FLAG_NO_EVALUATIONS, FLAG_NORMALIZED_FALLBACK,
    FLAG_OVERRIDDEN, FLAG_PROVISIONAL, FLAG_RECUSAL, FLAG_TIE, FLAG_WITHDRAWN, EvaluatorQuality, EvaluatorScore,
    RankedApplication, TrackRanking,
)
from .reasons import INELIGIBLE, PROVISIONAL, WITHDRAWN, Phrase, Reason
from .scoring import INF, SCORE_UNIT, Counted, rscore
from .stability import Stability, analyse
from .stats import aggregate, alpha_from_units, fsum, normalise

#: flags as bits, in the order of their names (so the bits of a set name it as a sorted tuple)
_ALL_FLAGS = sorted((FLAG_ABSTENTION, FLAG_CUT_LINE, FLAG_DISAGREEMENT, FLAG_INCOMPLETE, FLAG_NO_EVALUATIONS,
                     FLAG_NORMALIZED_FALLBACK, FLAG_OVERRIDDEN, FLAG_PROVISIONAL, FLAG_RECUSAL, FLAG_TIE, FLAG_WITHDRAWN))
_BIT = {f: 1 << k for k, f in enumerate(_ALL_FLAGS)}
_FLAG_NAMES = [tuple(f for f in _ALL_FLAGS if bits & _BIT[f]) for bits in range(1 << len(_ALL_FLAGS))]
_POPCOUNT = [bin(bits).count("1") for bits in range(1 << len(_ALL_FLAGS))]

AUTO_GATE_FIELDS = ("members", "requested_amount", "self_contribution")

# The hot loops below unpack evaluations and applications into named variables (faster than
# attribute access on 30,000 named tuples); they rely on the fields' order, checked here once.
if EvaluationInput._fields != ("evaluator", "points", "state", "abstained", "abstain_reason", "conflict",
                               "conflict_note"):
    raise TypeError("EvaluationInput's fields changed: update the loops of engine.tally_evaluations and _detail")
if ApplicationInput._fields != ("application_id", "evaluations", "title", "group_name", "district", "category",
                                "members", "requested_amount", "self_contribution", "submitted_on", "status",
                                "gate_results", "override", "override_reason"):
    raise TypeError("ApplicationInput's fields changed: update the loop of engine.build_rows")


def rank_track(inp: TrackInputs, *, progress: Progress = no_progress, cancel: CancelToken = NEVER) -> TrackRanking:
    """Rank one track.  Deterministic: the same inputs, in any order, give the same result."""
    with gc_paused():
        counted = Counted(inp)
        flags = [0] * len(inp.applications)  # each application's flags as bits, named in build_rows
        tally = tally_evaluations(inp, counted, flags)
        cancel.raise_if_cancelled()
        scores = aggregate_scores(inp, counted, flags)
        gates = check_gates(inp)
        order = order_candidates(inp, scores, gates, tally, flags)
        walk = walk_down(inp, scores, order)
        explain_unranked(inp, counted, tally, scores, gates, walk, flags)
        cancel.raise_if_cancelled()
        stab = analyse(counted, order.candidates, order.ranked, order.neg, order.secpos, set(walk.selected),
                       walk.requested, progress=progress, cancel=cancel) if inp.stability else None
        rows = build_rows(inp, counted, tally, scores, gates, order, walk, stab, flags)
        return summarise(inp, counted, tally, scores, gates, order, walk, stab, rows)


# --- 1. totals: classify each evaluation; the counted ones go into ``Counted`` ----------------------------
#: what :func:`_judge` makes of an evaluation
COUNTED, RECUSED, ABSTAINED, UNFINISHED, INCOMPLETE = range(5)
_NO_NOTE = ("", "")


@dataclass(slots=True)
class Tally:
    """What each application's evaluations came to (the counted ones themselves are in :class:`Counted`)."""

    evaluations: list  # each application's evaluations in evaluator order (for the detail rows)
    field_share: list[float | None]  # the mean share of the field-check criteria's maximum (tie-break 1)
    recused: list[int]
    abstained: list[int]
    incomplete: list[int]
    unfinished: list[int]  # not started, or a draft outside a provisional ranking


def tally_evaluations(inp: TrackInputs, counted: Counted, flags: list[int]) -> Tally:
    """Classify every evaluation (:func:`_judge`, with a fast path for the common complete, finalised
    one), fill ``counted`` with the counted ones, and flag recusals, abstentions and incomplete ones."""
    crit = inp.criteria
    K, W, M, unit = counted.K, counted.W, counted.M, counted.unit
    provisional = inp.provisional
    fc = [k for k, c in enumerate(crit) if c.field_check]
    fc_max = fsum(counted.MX[k] for k in fc)
    if fc_max <= 0:
        fc = []
    f0 = fc[0] if len(fc) == 1 else None
    n = len(inp.applications)
    codes, totals, points = counted.codes, counted.totals, counted.points
    out = Tally([()] * n, [None] * n, [0] * n, [0] * n, [0] * n, [0] * n)
    fshare, recused, abstained_n, incomplete, unfinished = (out.field_share, out.recused, out.abstained,
                                                            out.incomplete, out.unfinished)
    bit_recusal, bit_abstention, bit_incomplete = _BIT[FLAG_RECUSAL], _BIT[FLAG_ABSTENTION], _BIT[FLAG_INCOMPLETE]
    for i, a in enumerate(inp.applications):
        evs = a.evaluations
        ne = len(evs)
        if ne > 1 and not (ne == 2 and evs[0].evaluator <= evs[1].evaluator
                           or ne == 3 and evs[0].evaluator <= evs[1].evaluator <= evs[2].evaluator):
            evs = sorted(evs, key=_by_evaluator)  # (stable: what is in order already stays as it is)
        out.evaluations[i] = evs
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
                        flags[i] |= bit_recusal
                    elif kind == ABSTAINED:
                        abstained_n[i] += 1
                        flags[i] |= bit_abstention
                    elif kind == INCOMPLETE:
                        incomplete[i] += 1
                        flags[i] |= bit_incomplete
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
    return out


_by_evaluator = itemgetter(0)  # an evaluation's evaluator code (EvaluationInput.evaluator)


def _field_share(filled, fc: list[int], fc_max: float) -> float:
    return sum([filled[k] for k in fc]) / fc_max


def _aligned(pts, K: int) -> tuple:
    """Points as a tuple aligned with the criteria (padded with None)."""
    if type(pts) is not tuple:
        pts = tuple(pts)
    if len(pts) < K:
        pts = pts + (None,) * (K - len(pts))
    return pts


def _judge(pts: tuple, state: str, abstained: bool, abstain_reason: str, conflict: str | None, conflict_note: str,
           crit: tuple[CriterionSpec, ...], W: list[float], M: float, K: int, provisional: bool) -> tuple:
    """One evaluation: ``(kind, state, note, total, acc, filled)``.

    ``pts`` is aligned with the criteria (padded with None).  Recusals and abstentions are left out;
    nothing scored (or not started) is not started; a draft counts only in a provisional ranking; a
    required criterion left blank makes it incomplete (left out, never counted as zero); an optional
    one counts 0.  ``total`` is the weighted total on 0–100 (None when incomplete), ``acc`` Σ wᵢsᵢ,
    ``note`` why it is left out, in English and Korean."""
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


class _DetailContext(NamedTuple):
    criteria: tuple[CriterionSpec, ...]
    W: list[float]
    M: float
    K: int
    provisional: bool
    criterion_codes: list[str]


def _detail(ctx: _DetailContext, evs, codes: list[str], norm: list[float]) -> list[EvaluatorScore]:
    """One application's :class:`EvaluatorScore` rows, built when they are first read (see
    ``RankedApplication.evaluators``): the same rules as the ranking itself (:func:`_judge`)."""
    by_code = dict(zip(codes, norm))
    out = []
    for code, pts, state, abstained, ab_reason, conflict, cnote in evs:
        pts = _aligned(pts, ctx.K)
        kind, state, note, total, _acc, _filled = _judge(pts, state, abstained, ab_reason, conflict, cnote,
                                                         ctx.criteria, ctx.W, ctx.M, ctx.K, ctx.provisional)
        counted = kind == COUNTED
        out.append(_new_score({"evaluator": code, "total": total, "normalized": by_code.get(code) if counted else None,
                               "state": state, "counted": counted, "note": note[0],
                               "criteria": dict(zip(ctx.criterion_codes, pts)), "note_ko": note[1]}))
    return out


# --- 2–3. aggregation (raw and normalised side by side), spread, agreement -------------------------------
@dataclass(slots=True)
class Scores:
    score: list[float | None]  # under the track's method: what the rank uses
    raw: list[float | None]  # the method (or the mean, for the normalised method) of the raw totals
    normalized: list[float | None]  # the same of the normalised totals
    trimmed: list[bool]  # the trimmed mean dropped the highest and the lowest total
    spread: list[float | None]  # max − min of the counted totals
    stddev: list[float | None]  # their sample standard deviation
    norm: list[list[float]]  # each counted evaluation's normalised total (aligned with Counted.totals)
    per_evaluator: dict[str, list[float]]  # each evaluator's counted totals
    deviations: dict[str, list[float]]  # leniency: each total minus the mean of the co-evaluators' totals
    alpha: float | None  # Krippendorff's alpha (interval) of the track


def aggregate_scores(inp: TrackInputs, counted: Counted, flags: list[int]) -> Scores:
    """Every application's scores, spread and SD, in one pass that also gathers the terms of the
    track's reliability and the evaluators' leniency; flags disagreement and the normalisation's
    fallback."""
    n = len(inp.applications)
    codes, totals = counted.codes, counted.totals
    norm, fallback, per_ev = normalise(codes, totals)
    raw_score: list[float | None] = [None] * n
    norm_score: list[float | None] = [None] * n
    trimmed = [False] * n
    spread: list[float | None] = [None] * n
    sdev: list[float | None] = [None] * n
    sizes: list[int] = []  # Krippendorff's alpha: each pairable unit's size and sum of squares …
    squares: list[float] = []
    values: list[float] = []  # … and the pairable values
    devs: dict[str, list[float]] = {}
    base, trim = counted.base, counted.trim
    mean_base = base == "mean"
    threshold = inp.disagreement_threshold
    bit_disagreement, bit_fallback = _BIT[FLAG_DISAGREEMENT], _BIT[FLAG_NORMALIZED_FALLBACK]
    t_lo, t_hi, t_nan = INF, -INF, False  # the range of every counted total (for the stability analysis)
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
            hi = hi if hi >= c else c
            lo = lo if lo <= c else c
        else:
            hi, lo = max(ts), min(ts)
        sp = spread[i] = hi - lo
        if hi > t_hi:
            t_hi = hi
        if lo < t_lo:
            t_lo = lo
        if whole != whole:  # NaN
            t_nan = True
        if m > 1:
            mu = whole / m
            if m == 3:
                ss = fsum(((a - mu) * (a - mu), (b - mu) * (b - mu), (c - mu) * (c - mu)))
            else:
                ss = fsum([(x - mu) * (x - mu) for x in ts])
            sdev[i] = sqrt(ss / (m - 1))
            sizes.append(m)
            squares.append(ss)
            values += ts
            m1 = m - 1
            for c, t in zip(codes[i], ts):
                d = devs.get(c)
                if d is None:
                    devs[c] = [t - (whole - t) / m1]
                else:
                    d.append(t - (whole - t) / m1)
        if sp > threshold:  # type: ignore[operator]
            flags[i] |= bit_disagreement
        if fallback and not fallback.isdisjoint(codes[i]):
            flags[i] |= bit_fallback
    if t_lo <= t_hi and not t_nan:
        counted.totals_range = (t_lo, t_hi)
    if inp.method == "normalized":
        score, trimmed = norm_score, [False] * n
    else:
        score = raw_score
    return Scores(score, raw_score, norm_score, trimmed, spread, sdev, norm, per_ev, devs,
                  alpha_from_units(sizes, squares, values))


# --- 3. eligibility --------------------------------------------------------------------------------------
@dataclass(slots=True)
class Eligibility:
    withdrawn: list[bool]
    failed: list[list[str]]  # the codes of the gates each application fails
    why: list[list[Phrase]]  # … and why, one phrase per failed gate
    unchecked: int  # manual gate outcomes not recorded yet (presumed passed)
    eligible: list[bool]


def check_gates(inp: TrackInputs) -> Eligibility:
    apps = inp.applications
    n = len(apps)
    failed: list[list[str]] = [_NONE] * n
    why: list[list[Phrase]] = [_NONE] * n
    unchecked = 0
    withdrawn = [a.status == "withdrawn" for a in apps]
    if inp.gates:
        suspects, unchecked = _gate_suspects(inp)
        for i in suspects:
            failed[i], why[i] = _failed_gates(inp, apps[i])
    if inp.rule_failures:  # the program file's own gates, evaluated by the loader (docs/rules.md)
        rules = inp.rule_failures
        for i, a in enumerate(apps):
            hit = rules.get(a.application_id)
            if hit is not None:
                failed[i], why[i] = [*failed[i], *hit[0]], [*why[i], *hit[1]]
    eligible = [not w and not f for w, f in zip(withdrawn, failed)]
    return Eligibility(withdrawn, failed, why, unchecked, eligible)


def _failed_gates(inp: TrackInputs, a: ApplicationInput) -> tuple[list[str], list[Phrase]]:
    """The gates application ``a`` fails, and why."""
    failed: list[str] = []
    why: list[Phrase] = []
    for g in inp.gates:
        if g.kind == "auto":
            value = getattr(a, g.field) if g.field in AUTO_GATE_FIELDS else None
            if value is None or (g.min_value is not None and value < g.min_value):
                failed.append(g.code)
                if value is None:
                    why.append(("gate_not_recorded", g.code, g.name_ko, g.name_en, g.field or ""))
                else:  # (numbers as floats, always: see reasons.PhraseSpec.repeats)
                    why.append(("gate_below_min", g.code, g.name_ko, g.name_en, g.field or "", float(value),
                                float(g.min_value) if g.min_value is not None else 0.0))
        elif a.gate_results.get(g.code) is False:
            failed.append(g.code)
            why.append(("gate_failed", g.code, g.name_ko, g.name_en))
    return failed, why


def _gate_suspects(inp: TrackInputs) -> tuple[list[int], int]:
    """The applications that fail some gate (:func:`_failed_gates` says which and why; the others
    pass every gate), and the number of manual gate outcomes not recorded yet (presumed passed)."""
    apps = inp.applications
    out: set[int] = set()
    unchecked = 0
    for g in inp.gates:
        if g.kind == "auto":
            if g.field not in AUTO_GATE_FIELDS:  # not a field a gate may test: fails everywhere
                out.update(range(len(apps)))
                continue
            lo = g.min_value
            values = list(map(attrgetter(g.field), apps))
            if lo is None:
                out.update(i for i, v in enumerate(values) if v is None)
            else:
                out.update(i for i, v in enumerate(values) if v is None or v < lo)
        else:
            code = g.code
            outcomes = [a.gate_results.get(code) for a in apps]
            unchecked += outcomes.count(None)
            if False in outcomes:
                out.update(i for i, x in enumerate(outcomes) if x is False)
    return sorted(out), unchecked


# --- 4. order: score, then tie-breaks, then application ID --------------------------------------------------
@dataclass(slots=True)
class Order:
    candidates: list[int]  # the eligible applications with a score, in input order
    neg: list  # each candidate's score key, negated (−rscore); INF for the others
    secpos: list[int]  # each candidate's place in the order of the tie-break keys alone
    ranked: list[int]  # the candidates in rank order
    rank: list[int | None]  # 1 … len(ranked); None for the others
    tie_rule: list[str]  # tied on score: the rule that set the place ("" when not tied)
    rules: list[str]  # the track's tie-break rules (the application ID comes after them)
    # the same by rank position (aligned with ``ranked``), for the passes down the ranked list
    neg_ranked: list  # the score keys
    places: list[int]  # 1 … len(ranked) (the very objects ``rank`` holds)
    tie_ranked: list[str]  # the tie rules


def order_candidates(inp: TrackInputs, scores: Scores, gates: Eligibility, tally: Tally,
                     flags: list[int]) -> Order:
    """Rank the candidates by score, then by the tie-break keys; flag ties and name the rule that
    placed each tied application."""
    apps = inp.applications
    n = len(apps)
    score, fshare = scores.score, tally.field_share
    cands = [i for i in range(n) if gates.eligible[i] and score[i] is not None]
    quality_bits = (_BIT[FLAG_DISAGREEMENT] | _BIT[FLAG_INCOMPLETE]
                    | (_BIT[FLAG_NORMALIZED_FALLBACK] if inp.method == "normalized" else 0))
    rules = list(inp.tie_breaks)
    # the tie-break keys, one column each (aligned with ``cands``); a value met again is the same
    # object (a few hundred field-check shares and days among thousands of candidates), so that
    # naming the rule of each tie below compares objects that stay in the cache
    once = {}.setdefault
    cols: list[list] = []
    for r in rules:
        if r == "field_check":
            cols.append([once(v, v) for v in [-round(fshare[i], 9) if fshare[i] is not None else 0.0  # type: ignore[arg-type]
                                               for i in cands]])
        elif r == "fewer_flags":
            cols.append([_POPCOUNT[flags[i] & quality_bits] for i in cands])
        else:  # earlier_submission
            days = []
            for i in cands:
                d = apps[i].submitted_on
                days.append(once(d, d.toordinal()) if d is not None else 10**9)
            cols.append(days)
    cols.append([apps[i].application_id for i in cands])
    # the order of the tie-break keys alone (positions in ``cands``): one stable sort per key, the
    # last key first (the same order as one sort by the tuple of keys, the ID making it total; a
    # sort by plain numbers or texts compares far faster than one by tuples)
    sec_order = list(range(len(cands)))
    for col in reversed(cols):
        sec_order.sort(key=col.__getitem__)
    secpos = [0] * n
    for pos, j in enumerate(sec_order):
        secpos[cands[j]] = pos
    negc = [-round(score[i] * SCORE_UNIT) for i in cands]  # type: ignore[operator]  # rscore
    neg: list = [INF] * n
    for i, x in zip(cands, negc):
        neg[i] = x
    ranked_c = sorted(sec_order, key=negc.__getitem__)  # stable: equal scores keep the tie-break order
    ranked = [cands[j] for j in ranked_c]
    rank: list[int | None] = [None] * n
    places = list(range(1, len(ranked) + 1))
    for i, place in zip(ranked, places):
        rank[i] = place
    # ties: a candidate whose score key equals its neighbour's in rank order; the rule that placed it
    # is the first tie-break key on which the two differ (the keys gathered in rank order once)
    tie_rule = [""] * n
    negr = [negc[j] for j in ranked_c]
    N = len(ranked)
    tie_r = [""] * N
    tied = [pos for pos in range(N) if (pos and negr[pos - 1] == negr[pos]) or (pos + 1 < N and negr[pos + 1] == negr[pos])]
    if tied:
        bit_tie = _BIT[FLAG_TIE]
        ranked_cols = list(zip(rules + ["application_id"], [[col[j] for j in ranked_c] for col in cols]))
        for pos in tied:
            nb = pos - 1 if pos and negr[pos - 1] == negr[pos] else pos + 1
            i = ranked[pos]
            flags[i] |= bit_tie
            for r, col in ranked_cols:
                if col[pos] != col[nb]:
                    tie_rule[i] = tie_r[pos] = r
                    break
    return Order(cands, neg, secpos, ranked, rank, tie_rule, rules, negr, places, tie_r)


# --- 5. selection: down the ranked list, with the reason of every row -----------------------------------------
@dataclass(slots=True)
class Walk:
    decision: list[str]  # the computed decision ("" until given)
    reason: list[Reason]  # … and its reason
    selected: list[int]  # in rank order
    requested: list[int | None]  # each application's requested amount


def walk_down(inp: TrackInputs, scores: Scores, order: Order) -> Walk:
    """The selection rule (``docs/ranking.md`` §5): going down the ranked list, a score below the
    minimum is not selected; while the quota is not filled an application is selected (with a
    budget cap: if its amount fits what is left, else it is skipped); then come the reserves, up
    to the reserve list's size (a reserve must fit the whole budget); the rest are not selected.

    :func:`.scoring.walk_selected` is the same rule without the reasons, for the stability analysis."""
    n = len(inp.applications)
    score = scores.score
    decision = [""] * n
    reason: list[Reason] = [()] * n
    if inp.budget_draws_support and inp.support is not None:  # the computed amount (docs/rules.md)
        amounts = inp.support
        requested = [a.awarded if (a := amounts.get(app.application_id)) is not None else None
                     for app in inp.applications]
        fits_code, skipped_code, exceeds_code = "support_fits", "support_skipped", "support_exceeds_budget"
    else:
        requested = [a.requested_amount for a in inp.applications]
        fits_code, skipped_code, exceeds_code = "budget_fits", "budget_skipped", "exceeds_budget"
    if inp.selection == "threshold-budget":
        selected = _walk_threshold(inp, scores, order, requested, fits_code, skipped_code, decision, reason)
        return _with_support(inp, order, Walk(decision, reason, selected, requested))
    quota, reserve_size, budget = inp.quota, inp.reserve_size, inp.budget
    min_score = inp.min_score
    min_key = rscore(min_score)
    N = len(order.ranked)
    selected: list[int] = []
    reserves = 0
    left = budget
    # the phrases every row of the track shares, made once
    within: Phrase = ("within_quota", quota)
    filled: Phrase = ("quota_filled", quota)
    beyond: Phrase = ("reserves_filled", quota, reserve_size)
    tie_phrase: dict[str, Phrase] = {r: ("tie_broken", r) for r in order.rules + ["application_id"]}
    stated = _to_tenths(order.ranked, order.neg_ranked, score)  # the score as the reason states it
    # (down the ranked list by position: what each row needs is read in order, not looked up)
    for i, s, key, p, rule in zip(order.ranked, stated, order.neg_ranked, order.places, order.tie_ranked):
        if -key < min_key:
            decision[i] = "not_selected"
            why: Reason = (("rank_below_min", p, N, s, min_score),)
        elif len(selected) < quota and left is None:
            selected.append(i)
            decision[i] = "selected"
            why = (("rank", p, N, s), within)
        else:
            place: Phrase = ("rank", p, N, s)
            amt = requested[i]
            skip: Phrase | None = None
            if len(selected) < quota:  # with a budget cap
                if amt is None or amt > left:  # type: ignore[operator]
                    skip = _over_budget(amt, left, skipped_code)
                else:
                    left -= amt  # type: ignore[operator]
            if len(selected) < quota and skip is None:
                selected.append(i)
                decision[i] = "selected"
                why = (place, within, (fits_code, amt, left))
            elif (budget is None or (amt is not None and amt <= budget)) and reserves < reserve_size:
                reserves += 1
                decision[i] = "reserve"
                why = (place, skip or filled, ("reserve_place", reserves))
            else:
                decision[i] = "not_selected"
                if skip is not None:
                    why = (place, skip)
                elif budget is not None and (amt is None or amt > budget):  # it could never be funded
                    why = (place, filled, _over_budget(amt, budget, exceeds_code))
                else:
                    why = (place, beyond)
        reason[i] = (*why, tie_phrase[rule]) if rule else why
    return _with_support(inp, order, Walk(decision, reason, selected, requested))


def _with_support(inp: TrackInputs, order: Order, walk: Walk) -> Walk:
    """Each ranked application's computed support amount, and how it was computed, at the end of its reason."""
    if inp.support:
        support, reason = inp.support, walk.reason
        for i in order.ranked:
            amount = support.get(inp.applications[i].application_id)
            if amount is not None:
                reason[i] = (*reason[i], amount.phrase())
    return walk


def _walk_threshold(inp: TrackInputs, scores: Scores, order: Order, requested: list[int | None], fits_code: str,
                    skipped_code: str, decision: list[str], reason: list[Reason]) -> list[int]:
    """The threshold-budget selection (docs/rules.md): going down the ranked list, every application at or
    above the minimum score is selected while what is left of the budget covers its amount (no quota, no
    reserves).  The first one the budget does not cover is skipped with that reason; then selection
    stops, unless the track says ``fill``: then the next ones are still considered, and a smaller
    amount below may still fit.  Fills ``decision`` and ``reason``; returns the selected, in rank order.

    :func:`.scoring.walk_selected` with ``fill`` is the same rule without the reasons."""
    score = scores.score
    min_score, fill = inp.min_score, inp.fill
    min_key = rscore(min_score)
    N = len(order.ranked)
    left = inp.budget
    selected: list[int] = []
    stopped: Phrase | None = None  # without fill: where selection stopped, and why
    above: Phrase = ("at_or_above_min", min_score)
    tie_phrase: dict[str, Phrase] = {r: ("tie_broken", r) for r in order.rules + ["application_id"]}
    for i, s, key, p, rule in zip(order.ranked, _to_tenths(order.ranked, order.neg_ranked, score), order.neg_ranked,
                                  order.places, order.tie_ranked):
        if -key < min_key:
            decision[i] = "not_selected"
            why: Reason = (("rank_below_min", p, N, s, min_score),)
        else:
            place: Phrase = ("rank", p, N, s)
            amt = requested[i]
            if stopped is not None:
                decision[i] = "not_selected"
                why = (place, above, stopped)
            elif left is None:  # no budget given: every application at or above the minimum
                selected.append(i)
                decision[i] = "selected"
                why = (place, above)
            elif amt is None or amt > left:
                decision[i] = "not_selected"
                why = (place, above, _over_budget(amt, left, skipped_code))
                if not fill:
                    stopped = ("selection_stopped", p, left)
            else:
                left -= amt
                selected.append(i)
                decision[i] = "selected"
                why = (place, above, (fits_code, amt, left))
        reason[i] = (*why, tie_phrase[rule]) if rule else why
    return selected


def _to_tenths(ranked: list[int], neg_ranked: list, score: list) -> list[float]:
    """``round(score, 1)`` (what ``f"{score:.1f}"`` shows) of each ranked application, from its key
    in millionths (``neg_ranked``, aligned with ``ranked``, is minus ``round(score·10⁶)``).

    The float error of ``score·10⁶`` is far below half a millionth (up to 10⁸ points), so unless the
    key lies exactly halfway between two tenths the score lies on the key's side of that halfway
    point: the key's tenths, rounded, are the score's.  Halfway (or out of that range) the decimal
    rounding itself decides."""
    out = []
    for i, key in zip(ranked, neg_ranked):
        key = -key
        tenths, rest = divmod(key, 100_000)
        out.append((tenths + (rest > 50_000)) / 10 if rest != 50_000 and 0 <= key < 10**14 else round(score[i], 1))
    return out


def _over_budget(amount: int | None, budget: int, code: str) -> Phrase:
    return ("no_requested_amount",) if amount is None else (code, amount, budget)


def explain_unranked(inp: TrackInputs, counted: Counted, tally: Tally, scores: Scores, gates: Eligibility,
                     walk: Walk, flags: list[int]) -> None:
    """The decision and reason of every application the walk did not reach: withdrawn, ineligible,
    or with nothing counted."""
    bit_none, bit_withdrawn = _BIT[FLAG_NO_EVALUATIONS], _BIT[FLAG_WITHDRAWN]
    decision, reason = walk.decision, walk.reason
    for i in range(len(inp.applications)):
        if decision[i]:
            continue
        if gates.withdrawn[i]:
            decision[i], reason[i] = "not_selected", WITHDRAWN
            flags[i] |= bit_withdrawn
        elif gates.failed[i]:
            decision[i], reason[i] = "ineligible", (INELIGIBLE, *gates.why[i])
        else:
            decision[i] = "not_selected"
            reason[i] = (("not_ranked", tally.recused[i], tally.abstained[i], tally.incomplete[i],
                          tally.unfinished[i]),)
            flags[i] |= bit_none
        if scores.score[i] is None and not counted.totals[i]:
            flags[i] |= bit_none


# --- 7. rows, notes and quality ----------------------------------------------------------------------------
def build_rows(inp: TrackInputs, counted: Counted, tally: Tally, scores: Scores, gates: Eligibility, order: Order,
               walk: Walk, stab: Stability | None, flags: list[int]) -> list[RankedApplication]:
    """The rows in rank order, then the unranked ones (not ranked, withdrawn, ineligible; by ID).

    Built in input order (the order the values were made in: far fewer cache misses on a large
    track than visiting them in rank order), then put in rank order.  Every field but the
    evaluator detail and the words of the reason, which are built on first read (see
    :class:`RankedApplication`)."""
    crit = inp.criteria
    provisional = inp.provisional
    ctx = _DetailContext(crit, counted.W, counted.M, counted.K, provisional, [c.code for c in crit])
    share = stab.share if stab is not None else {}
    flips = stab.flips if stab is not None else set()
    track, method = inp.track, inp.method
    rank, score, raw_score, norm_score = order.rank, scores.score, scores.raw, scores.normalized
    spread, sdev, trimmed = scores.spread, scores.stddev, scores.trimmed
    fshare, tie_rule = tally.field_share, order.tie_rule
    totals, codes, norm, evs_of = counted.totals, counted.codes, scores.norm, tally.evaluations
    failed, eligible = gates.failed, gates.eligible
    recused, abstained = tally.recused, tally.abstained
    bit_provisional, bit_overridden, bit_cut = _BIT[FLAG_PROVISIONAL], _BIT[FLAG_OVERRIDDEN], _BIT[FLAG_CUT_LINE]
    new_row, set_dict, iso = _object_new, object.__setattr__, {}
    support = inp.support
    by_index: list[RankedApplication] = []
    for i, ((app_id, _evs, title, group_name, district, category, _members, amount, _own, submitted, _status,
             _gate_results, override, override_reason), computed, fl, computed_decision) in enumerate(
            zip(inp.applications, walk.reason, flags, walk.decision)):
        if provisional:
            computed = (PROVISIONAL, *computed)
            fl |= bit_provisional
        if override:
            fl |= bit_overridden
        else:
            override_reason = ""
        on_cut = i in flips
        if on_cut:
            fl |= bit_cut
        if submitted is not None:
            day = iso.get(submitted)
            if day is None:
                day = iso[submitted] = submitted.isoformat()
        else:
            day = None
        gates_failed = failed[i]
        row = new_row(RankedApplication)
        # the dict made whole in one step is half the size of one filled key by key (an instance
        # dict grows past 30 keys through resizes): 0.8 KB a row instead of 1.6 KB
        set_dict(row, "__dict__", {
            "application_id": app_id,
            "track": track,
            "title": title,
            "group_name": group_name,
            "district": district,
            "category": category,
            "requested_amount": amount,
            "submitted_on": day,
            "rank": rank[i],
            "score": score[i],
            "raw_score": raw_score[i],
            "normalized_score": norm_score[i],
            "method": method,
            "evaluations": len(totals[i]),
            "spread": spread[i],
            "stddev": sdev[i],
            "flags": _FLAG_NAMES[fl],
            "eligible": eligible[i],
            "failed_gates": tuple(gates_failed) if gates_failed else (),
            "computed_decision": computed_decision,
            "decision": override or computed_decision,
            "override": override,
            "override_reason": override_reason,
            "stability": share.get(i),
            "on_cut_line": on_cut,
            "field_check": fshare[i],
            "trimmed": trimmed[i],
            "tie_break": tie_rule[i],
            "recusals": recused[i],
            "abstentions": abstained[i],
            "structured_reason": computed,
            "support": support.get(app_id) if support is not None else None,
            "_evaluators_src": (_detail, ctx, evs_of[i], codes[i], norm[i]),
        })
        by_index.append(row)
    rows = [by_index[i] for i in order.ranked]
    rows += [by_index[i] for i in sorted((i for i in range(len(by_index)) if rank[i] is None), key=lambda i: (
        2 if failed[i] else 1 if gates.withdrawn[i] else 0, inp.applications[i].application_id))]
    return rows


def summarise(inp: TrackInputs, counted: Counted, tally: Tally, scores: Scores, gates: Eligibility, order: Order,
              walk: Walk, stab: Stability | None, rows: list[RankedApplication]) -> TrackRanking:
    """The track's ranking: its rows, counts, notes (the rules in words) and evaluator quality."""
    quota, budget = inp.quota, inp.budget
    decided = [r.decision for r in rows]  # the committee's, where it overrode the computed one
    final_selected = decided.count("selected")
    budget_used = sum(walk.requested[i] or 0 for i in walk.selected)
    notes = [L.note_method(inp.method, counted.trim), L.note_minimum(inp.min_score), L.note_tie_breaks(order.rules)]
    if inp.selection == "threshold-budget":
        notes.append(L.note_threshold(inp.min_score, budget, budget_used, inp.fill, inp.budget_draws_support))
    elif budget is not None:
        notes.append(L.note_budget(budget, budget_used, inp.budget_draws_support))
    if gates.unchecked:
        notes.append(L.note_unchecked_gates(gates.unchecked))
    if inp.provisional:
        notes.insert(0, L.note_provisional())
    if final_selected > quota and inp.selection == "quota":
        notes.append(L.note_overrides(final_selected, quota))
    if stab is not None:
        notes.append(L.note_stability(stab.perturbations, stab.evaluators, stab.criteria))
    notes.append(L.note_reliability(scores.alpha))
    return TrackRanking(
        track=inp.track, name_ko=inp.name_ko, name_en=inp.name_en, quota=quota, reserve_size=inp.reserve_size,
        budget=budget, min_score=inp.min_score, method=inp.method, rows=tuple(rows),
        evaluator_quality=evaluator_quality(tally, scores), reliability=scores.alpha,
        reliability_method=L.RELIABILITY_ALPHA, selected=final_selected,
        reserve=decided.count("reserve"), eligible=sum(gates.eligible), budget_used=budget_used,
        notes=tuple(x[0] for x in notes), notes_ko=tuple(x[1] for x in notes), provisional=inp.provisional,
        trim_min_evaluators=counted.trim, disagreement_threshold=inp.disagreement_threshold,
        perturbations=stab.perturbations if stab else 0, tie_breaks=tuple(order.rules), selection=inp.selection,
        fill=inp.fill,
    )


def evaluator_quality(tally: Tally, scores: Scores) -> tuple[EvaluatorQuality, ...]:
    """Each evaluator of the track: counted applications, mean total and leniency."""
    seen: set[str] = set()
    for evs in tally.evaluations:
        seen.update(map(_by_evaluator, evs))
    out = []
    for c in sorted(seen):
        ts = scores.per_evaluator.get(c, _NONE)
        ds = scores.deviations.get(c, _NONE)
        out.append(EvaluatorQuality(evaluator=c, applications=len(ts), mean_total=fsum(ts) / len(ts) if ts else None,
                                    leniency=fsum(ds) / len(ds) if ds else None))
    return tuple(out)


_NONE: list = []  # shared, never mutated


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


_object_new = object.__new__
#: the fields :func:`build_rows` stores: every one but those built on first read (the evaluator
#: detail and the words of the reason); checked here once, as ``_builder`` checks its callers
_ROW_FIELDS = ("application_id", "track", "title", "group_name", "district", "category", "requested_amount",
               "submitted_on", "rank", "score", "raw_score", "normalized_score", "method", "evaluations", "spread",
               "stddev", "flags", "eligible", "failed_gates", "computed_decision", "decision", "override",
               "override_reason", "stability", "on_cut_line", "field_check", "trimmed", "tie_break", "recusals",
               "abstentions", "structured_reason", "support")
if set(_ROW_FIELDS) != {f.name for f in dataclasses.fields(RankedApplication)} - {
        "evaluators", "reason", "reason_ko", "computed_reason", "computed_reason_ko"}:
    raise TypeError("RankedApplication's fields changed: update engine.build_rows and _ROW_FIELDS")

_new_score = _builder(EvaluatorScore, ("evaluator", "total", "normalized", "state", "counted", "note", "criteria",
                                       "note_ko"))
