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
import gc
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from operator import mul

from ..jobs import NEVER, CancelToken, Progress, no_progress
from . import labels as L
from .inputs import FINALISED, NOT_STARTED, ApplicationInput, TrackInputs
from .model import (
    FLAG_ABSTENTION, FLAG_CUT_LINE, FLAG_DISAGREEMENT, FLAG_INCOMPLETE, FLAG_NO_EVALUATIONS, FLAG_NORMALIZED_FALLBACK,
    FLAG_OVERRIDDEN, FLAG_PROVISIONAL, FLAG_RECUSAL, FLAG_TIE, FLAG_WITHDRAWN, EvaluatorQuality, EvaluatorScore,
    RankedApplication, TrackRanking,
)
from .stats import aggregate, fsum, krippendorff_alpha_interval, pstdev, stdev

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


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small objects (none form cycles);
    a large track otherwise spends a good part of its time in collections that free nothing."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


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
        self.sums: list[list[float]] = [[] for _ in range(n)]  # Σ wᵢsᵢ (total = 100·sum/M)
        self.points: list[list[list[float]]] = [[] for _ in range(n)]  # optional blanks as 0
        self.field: list[list[float]] = [[] for _ in range(n)]


def _field_share(filled, fc: list[int], fc_max: float) -> float:
    return sum([filled[k] for k in fc]) / fc_max


def _by_evaluator(ev) -> str:
    return ev.evaluator


def _evaluate(prep: Prepared, i: int, a: ApplicationInput, fc: list[int], fc_max: float
              ) -> tuple[list[tuple], set[str], dict[str, int]]:
    """Classify and total each evaluation of application ``i``; record the counted ones in ``prep``."""
    inp = prep.inp
    K, W, M = prep.K, prep.W, prep.M
    crit = inp.criteria
    flags: set[str] = set()
    counts = {"recused": 0, "abstained": 0, "incomplete": 0, "unfinished": 0}
    scores: list[tuple] = []  # (evaluator, total, state, counted, (note en, note ko), points)
    for ev in sorted(a.evaluations, key=_by_evaluator):
        pts = ev.points
        if type(pts) is not tuple:
            pts = tuple(pts)
        if len(pts) < K:
            pts = pts + (None,) * (K - len(pts))
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
        counted = False
        note = _NO_NOTE
        if ev.conflict:
            state = "recused"
            note = L.note_conflict(ev.conflict, ev.conflict_note)
            counts["recused"] += 1
            flags.add(FLAG_RECUSAL)
        elif ev.abstained:
            state = "abstained"
            note = L.note_abstained(ev.abstain_reason)
            counts["abstained"] += 1
            flags.add(FLAG_ABSTENTION)
        elif ev.state == NOT_STARTED or blanks == K:
            state = NOT_STARTED
            counts["unfinished"] += 1
        elif ev.state != FINALISED and not inp.provisional:
            state = ev.state
            note = L.note_not_finalised()
            counts["unfinished"] += 1
        elif total is None:
            state = "incomplete"
            note = L.note_missing(missing)
            counts["incomplete"] += 1
            flags.add(FLAG_INCOMPLETE)
        else:
            state = ev.state
            counted = True
            prep.codes[i].append(ev.evaluator)
            prep.totals[i].append(total)
            prep.sums[i].append(acc)  # type: ignore[arg-type]
            prep.points[i].append(filled)
            if fc:
                prep.field[i].append(_field_share(filled, fc, fc_max))
        scores.append((ev.evaluator, total, state, counted, note, pts))
    return scores, flags, counts


def normalise(codes: list[list[str]], totals: list[list[float]]) -> tuple[list[list[float]], set[str]]:
    """Per-evaluator z-scores rescaled to the track's raw mean and spread (kept within 0–100).

    z = (t − μₑ)/σₑ over the evaluator's own counted totals in the track (population SD); the
    normalised total is μ + σ·z with μ, σ the mean and SD of every counted raw total in the track.
    An evaluator with fewer than 3 totals, or all totals equal, keeps raw totals (the fallback).
    Returns (normalised totals aligned with ``totals``, evaluators that fell back)."""
    per_ev: dict[str, list[float]] = defaultdict(list)
    every: list[float] = []
    for cs, ts in zip(codes, totals):
        for c, t in zip(cs, ts):
            per_ev[c].append(t)
        every.extend(ts)
    if not every:
        return [[] for _ in totals], set()
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
    for cs, ts in zip(codes, totals):
        row = []
        for c, t in zip(cs, ts):
            st = stats.get(c)
            if st is None:
                row.append(t)
            else:
                v = mu_all + sd_all * (t - st[0]) / st[1]
                row.append(0.0 if v < 0.0 else 100.0 if v > 100.0 else v)
        out.append(row)
    return out, fallback


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
    fc = [k for k, c in enumerate(crit) if c.field_check]
    fc_max = fsum(prep.MX[k] for k in fc)
    if fc_max <= 0:
        fc = []
    method = inp.method

    ev_scores: list[list[tuple]] = []
    flags: list[set[str]] = []
    counts: list[dict[str, int]] = []
    for i, a in enumerate(apps):
        s, f, c = _evaluate(prep, i, a, fc, fc_max)
        ev_scores.append(s)
        flags.append(f)
        counts.append(c)
    cancel.raise_if_cancelled()

    # --- aggregation (raw and normalised side by side) -------------------------------------------
    norm, fallback = normalise(prep.codes, prep.totals)
    raw_score: list[float | None] = [None] * n
    norm_score: list[float | None] = [None] * n
    trimmed = [False] * n
    spread: list[float | None] = [None] * n
    sdev: list[float | None] = [None] * n
    fshare: list[float | None] = [None] * n
    for i in range(n):
        ts = prep.totals[i]
        if not ts:
            continue
        raw_score[i], trimmed[i] = aggregate(prep.base, ts, prep.trim)
        norm_score[i] = aggregate(prep.base, norm[i], prep.trim)[0]
        spread[i] = max(ts) - min(ts)
        sdev[i] = stdev(ts)
        if spread[i] > inp.disagreement_threshold:  # type: ignore[operator]
            flags[i].add(FLAG_DISAGREEMENT)
        if fallback.intersection(prep.codes[i]):
            flags[i].add(FLAG_NORMALIZED_FALLBACK)
        if prep.field[i]:
            fshare[i] = fsum(prep.field[i]) / len(prep.field[i])
    if method == "normalized":
        score = norm_score
        trimmed = [False] * n
    else:
        score = raw_score
    quality_flags = {FLAG_DISAGREEMENT, FLAG_INCOMPLETE} | ({FLAG_NORMALIZED_FALLBACK} if method == "normalized"
                                                             else set())

    # --- eligibility ------------------------------------------------------------------------------
    failed: list[list[str]] = []
    gate_parts: list[list[tuple[str, str]]] = []
    unchecked_total = 0
    withdrawn = [a.status == "withdrawn" for a in apps]
    for a in apps:
        fl, parts, unchecked = _gates(inp, a)
        failed.append(fl)
        gate_parts.append(parts)
        unchecked_total += unchecked
    eligible = [not withdrawn[i] and not failed[i] for i in range(n)]
    cands = [i for i in range(n) if eligible[i] and score[i] is not None]

    # --- order: score, then tie-breaks, then application ID ---------------------------------------
    rules = list(inp.tie_breaks)

    def sec_key(i: int) -> tuple:
        parts: list = []
        for r in rules:
            if r == "field_check":
                parts.append(-round(fshare[i], 9) if fshare[i] is not None else 0.0)
            elif r == "fewer_flags":
                parts.append(len(flags[i] & quality_flags))
            else:  # earlier_submission
                d = apps[i].submitted_on
                parts.append(d.toordinal() if d is not None else 10**9)
        parts.append(apps[i].application_id)
        return tuple(parts)

    sec = {i: sec_key(i) for i in cands}
    secpos = [0] * n
    for pos, i in enumerate(sorted(cands, key=sec.__getitem__)):
        secpos[i] = pos
    neg = [INF] * n
    for i in cands:
        neg[i] = -rscore(score[i])  # type: ignore[arg-type]
    order = sorted(cands, key=lambda i: (neg[i], secpos[i]))
    rank: list[int | None] = [None] * n
    for pos, i in enumerate(order):
        rank[i] = pos + 1
    N = len(order)
    tie_rule = [""] * n
    all_rules = rules + ["application_id"]
    for pos, i in enumerate(order):
        nb = None
        if pos > 0 and neg[order[pos - 1]] == neg[i]:
            nb = order[pos - 1]
        elif pos + 1 < N and neg[order[pos + 1]] == neg[i]:
            nb = order[pos + 1]
        if nb is not None:
            flags[i].add(FLAG_TIE)
            for r, x, y in zip(all_rules, sec[i], sec[nb]):
                if x != y:
                    tie_rule[i] = r
                    break

    # --- selection walk ---------------------------------------------------------------------------
    decision = [""] * n
    reason: list[tuple[str, str]] = [("", "")] * n
    requested = [a.requested_amount for a in apps]
    quota, reserve_size, budget, min_score = inp.quota, inp.reserve_size, inp.budget, inp.min_score
    min_key = rscore(min_score)
    selected: list[int] = []
    reserves = 0
    left = budget
    for i in order:
        s = score[i]
        assert s is not None
        head = L.rank_head(rank[i], N, s)  # type: ignore[arg-type]
        if -neg[i] < min_key:
            decision[i] = "not_selected"
            reason[i] = L.join(L.rank_only(rank[i], N), L.below_minimum(s, min_score))  # type: ignore[arg-type]
            continue
        skip: tuple[str, str] | None = None
        if len(selected) < quota:
            if left is not None:
                amt = requested[i]
                if amt is None or amt > left:
                    skip = L.budget_skipped(amt, left)
                else:
                    left -= amt
                    selected.append(i)
                    decision[i] = "selected"
                    reason[i] = L.join(head, L.selected_within_quota(quota), L.budget_fits(amt, left))
                    continue
            else:
                selected.append(i)
                decision[i] = "selected"
                reason[i] = L.join(head, L.selected_within_quota(quota))
                continue
        why = skip if skip is not None else L.quota_filled(quota)
        amt = requested[i]
        fundable = budget is None or (amt is not None and amt <= budget)  # a reserve must fit the whole budget
        if fundable and reserves < reserve_size:
            reserves += 1
            decision[i] = "reserve"
            reason[i] = L.join(head, why, L.reserve_place(reserves))
        else:
            decision[i] = "not_selected"
            if skip is not None:
                reason[i] = L.join(head, skip)
            elif not fundable:
                reason[i] = L.join(head, why, L.exceeds_budget(amt, budget))  # type: ignore[arg-type]
            else:
                reason[i] = L.join(head, L.beyond_reserves(quota, reserve_size))
    for i in range(n):
        if decision[i]:
            continue
        if withdrawn[i]:
            decision[i], reason[i] = "not_selected", L.withdrawn()
            flags[i].add(FLAG_WITHDRAWN)
        elif failed[i]:
            decision[i], reason[i] = "ineligible", L.ineligible(gate_parts[i])
        else:
            c = counts[i]
            decision[i] = "not_selected"
            reason[i] = L.not_ranked(c["recused"], c["abstained"], c["incomplete"], c["unfinished"])
            flags[i].add(FLAG_NO_EVALUATIONS)
        if score[i] is None and not prep.totals[i]:
            flags[i].add(FLAG_NO_EVALUATIONS)
    for i in order:
        if tie_rule[i]:
            reason[i] = L.join(reason[i], L.tie_broken(tie_rule[i]))
    cancel.raise_if_cancelled()

    # --- stability of the cut line ----------------------------------------------------------------
    stab = analyse(prep, score, cands, order, neg, secpos, set(selected), requested,
                   progress=progress, cancel=cancel) if inp.stability else None

    # --- overrides, rows ----------------------------------------------------------------------------
    crit_codes = [c.code for c in crit]
    budget_used = sum(requested[i] or 0 for i in selected)
    rows: list[RankedApplication] = []
    final_selected = final_reserve = 0
    for i in order + sorted((i for i in range(n) if rank[i] is None), key=lambda i: (
            2 if failed[i] else 1 if withdrawn[i] else 0, apps[i].application_id)):
        a = apps[i]
        computed = reason[i]
        if inp.provisional:
            computed = L.provisional(computed)
            flags[i].add(FLAG_PROVISIONAL)
        shown = computed
        final = decision[i]
        if a.override:
            final = a.override
            flags[i].add(FLAG_OVERRIDDEN)
            shown = L.join(computed, L.overridden(a.override, a.override_reason))
        final_selected += final == "selected"
        final_reserve += final == "reserve"
        evs = tuple(_evaluator_scores(ev_scores[i], prep.codes[i], norm[i], crit_codes))
        stability = on_cut = None
        if stab is not None and i in stab.share:
            stability, on_cut = stab.share[i], i in stab.flips
        if on_cut:
            flags[i].add(FLAG_CUT_LINE)
        rows.append(_new_row({
            "application_id": a.application_id, "track": inp.track, "title": a.title, "group_name": a.group_name,
            "district": a.district, "category": a.category, "requested_amount": a.requested_amount,
            "submitted_on": a.submitted_on.isoformat() if a.submitted_on else None, "rank": rank[i],
            "score": score[i], "raw_score": raw_score[i], "normalized_score": norm_score[i], "method": method,
            "evaluations": len(prep.totals[i]), "spread": spread[i], "stddev": sdev[i],
            "flags": tuple(sorted(flags[i])), "eligible": eligible[i], "failed_gates": tuple(failed[i]),
            "computed_decision": decision[i], "decision": final, "reason": shown[0], "override": a.override,
            "override_reason": a.override_reason if a.override else "", "stability": stability,
            "on_cut_line": bool(on_cut), "field_check": fshare[i], "evaluators": evs, "reason_ko": shown[1],
            "computed_reason": computed[0], "computed_reason_ko": computed[1], "trimmed": trimmed[i],
            "tie_break": tie_rule[i], "recusals": counts[i]["recused"], "abstentions": counts[i]["abstained"],
        }))

    # --- notes and quality --------------------------------------------------------------------------
    notes = [L.note_method(method, prep.trim), L.note_minimum(min_score), L.note_tie_breaks(rules)]
    if budget is not None:
        notes.append(L.note_budget(budget, budget_used))
    if unchecked_total:
        notes.append(L.note_unchecked_gates(unchecked_total))
    if inp.provisional:
        notes.insert(0, L.note_provisional())
    if final_selected > quota:
        notes.append(L.note_overrides(final_selected, quota))
    if stab is not None:
        notes.append(L.note_stability(stab.perturbations, stab.evaluators, stab.criteria))
    alpha = krippendorff_alpha_interval(prep.totals)
    notes.append(L.note_reliability(alpha))
    return TrackRanking(
        track=inp.track, name_ko=inp.name_ko, name_en=inp.name_en, quota=quota, reserve_size=reserve_size,
        budget=budget, min_score=min_score, method=method, rows=tuple(rows),
        evaluator_quality=evaluator_quality(prep, apps), reliability=alpha,
        reliability_method="Krippendorff's alpha (interval)", selected=final_selected, reserve=final_reserve,
        eligible=sum(eligible), budget_used=budget_used, notes=tuple(x[0] for x in notes),
        notes_ko=tuple(x[1] for x in notes), provisional=inp.provisional, trim_min_evaluators=prep.trim,
        disagreement_threshold=inp.disagreement_threshold, perturbations=stab.perturbations if stab else 0,
        tie_breaks=tuple(rules),
    )


_new_row = _builder(RankedApplication, (
    "application_id", "track", "title", "group_name", "district", "category", "requested_amount", "submitted_on",
    "rank", "score", "raw_score", "normalized_score", "method", "evaluations", "spread", "stddev", "flags",
    "eligible", "failed_gates", "computed_decision", "decision", "reason", "override", "override_reason",
    "stability", "on_cut_line", "field_check", "evaluators", "reason_ko", "computed_reason", "computed_reason_ko",
    "trimmed", "tie_break", "recusals", "abstentions"))
_new_score = _builder(EvaluatorScore, ("evaluator", "total", "normalized", "state", "counted", "note", "criteria",
                                       "note_ko"))
_NO_NOTE = ("", "")


def _evaluator_scores(scores: list[tuple], codes: list[str], norm: list[float], crit_codes: list[str]):
    by_code = dict(zip(codes, norm))
    for code, total, state, counted, note, pts in scores:
        yield _new_score({"evaluator": code, "total": total, "normalized": by_code.get(code) if counted else None,
                          "state": state, "counted": counted, "note": note[0], "criteria": dict(zip(crit_codes, pts)),
                          "note_ko": note[1]})


def evaluator_quality(prep: Prepared, apps) -> tuple[EvaluatorQuality, ...]:
    """Per evaluator: counted applications, mean total, leniency (mean deviation from co-evaluators)."""
    totals: dict[str, list[float]] = defaultdict(list)
    devs: dict[str, list[float]] = defaultdict(list)
    seen: set[str] = {ev.evaluator for a in apps for ev in a.evaluations}
    for cs, ts in zip(prep.codes, prep.totals):
        m = len(ts)
        for c, t in zip(cs, ts):
            totals[c].append(t)
        if m < 2:
            continue
        whole = fsum(ts)
        for c, t in zip(cs, ts):
            devs[c].append(t - (whole - t) / (m - 1))
    out = []
    for c in sorted(seen):
        ts = totals.get(c, [])
        ds = devs.get(c, [])
        out.append(EvaluatorQuality(evaluator=c, applications=len(ts), mean_total=fsum(ts) / len(ts) if ts else None,
                                    leniency=fsum(ds) / len(ds) if ds else None))
    return tuple(out)
