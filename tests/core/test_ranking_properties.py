"""Properties of the ranking engine that must hold for any input (hypothesis)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evaluator.ranking.engine import rank_track
from evaluator.ranking.inputs import ApplicationInput, CriterionSpec, EvaluationInput, TrackInputs
from evaluator.ranking.model import METHODS

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
EVALUATORS = ["E1", "E2", "E3", "E4", "E5", "E6"]


@st.composite
def tracks(draw, methods=METHODS, budget=True, flags=True):
    k = draw(st.integers(1, 4))
    criteria = tuple(
        CriterionSpec(f"c{i}", draw(st.sampled_from([0.5, 1.0, 2.0])), draw(st.sampled_from([10.0, 15.0, 20.0])),
                      field_check=(i == 0))
        for i in range(k)
    )
    n = draw(st.integers(1, 10))
    apps = []
    for a in range(n):
        who = draw(st.lists(st.sampled_from(EVALUATORS), min_size=0, max_size=5, unique=True))
        evs = []
        for e in who:
            # points on the five-level scale (20 % steps) so that ties happen
            pts = tuple(c.max_points * draw(st.sampled_from([0.2, 0.4, 0.6, 0.8, 1.0])) for c in criteria)
            evs.append(EvaluationInput(e, pts, abstained=draw(st.booleans()) and draw(st.booleans()) and
                                       draw(st.booleans())))
        apps.append(ApplicationInput(
            f"A-{a:02d}", tuple(evs), members=draw(st.sampled_from([2, 5, 8])),
            requested_amount=draw(st.sampled_from([1_000_000, 3_000_000, 5_000_000])),
            submitted_on=date(2012, 4, 1) + timedelta(days=draw(st.integers(0, 3))),
        ))
    return TrackInputs(
        "t", criteria, tuple(apps), quota=draw(st.integers(0, 5)), reserve_size=draw(st.integers(0, 3)),
        budget=draw(st.sampled_from([None, None, 6_000_000, 10_000_000])) if budget else None,
        min_score=draw(st.sampled_from([0.0, 50.0, 60.0])), method=draw(st.sampled_from(methods)),
        trim_min_evaluators=draw(st.integers(3, 5)),
        disagreement_threshold=draw(st.sampled_from([10.0, 20.0])) if flags else 101.0,
        stability=draw(st.booleans()),
    )


def summary(result) -> dict:
    return {r.application_id: (r.rank, r.score, r.raw_score, r.normalized_score, r.computed_decision, r.reason,
                               r.reason_ko, r.flags, r.stability, r.on_cut_line, r.evaluations, r.spread)
            for r in result.rows}


@SETTINGS
@given(tracks())
def test_quota_reserves_and_budget_are_never_exceeded_and_every_row_has_a_reason(t):
    out = rank_track(t)
    computed = [r.computed_decision for r in out.rows]
    assert computed.count("selected") <= t.quota
    assert computed.count("reserve") <= t.reserve_size
    if t.budget is not None:
        assert out.budget_used <= t.budget
        assert sum(r.requested_amount for r in out.rows if r.computed_decision == "selected") == out.budget_used
    assert len(out.rows) == len(t.applications)
    for r in out.rows:
        assert r.decision in ("selected", "reserve", "not_selected", "ineligible")
        assert r.reason and r.reason_ko
        if r.computed_decision in ("selected", "reserve"):
            assert r.eligible and r.score is not None and round(r.score, 6) >= t.min_score
    ranks = [r.rank for r in out.rows if r.rank is not None]
    assert ranks == list(range(1, len(ranks) + 1))


@SETTINGS
@given(tracks(), st.randoms(use_true_random=False))
def test_result_does_not_depend_on_the_order_of_applications_or_evaluators(t, rnd: random.Random):
    apps = [a._replace(evaluations=tuple(rnd.sample(a.evaluations, len(a.evaluations)))) for a in t.applications]
    rnd.shuffle(apps)
    assert summary(rank_track(replace(t, applications=tuple(apps)))) == summary(rank_track(t))


@SETTINGS
@given(tracks(methods=("mean", "median", "trimmed"), flags=False), st.data())
def test_raising_one_criterion_score_never_lowers_the_applications_rank(t, data):
    # Flags are switched off (disagreement threshold 101): a raised score can widen the spread and add a
    # disagreement flag, which by design counts in the "fewer flags" tie-break.  The normalised method is
    # not monotone by construction (a raised total also moves that evaluator's mean and spread, and so the
    # other applications' z-scores); docs/ranking.md says so.
    before = rank_track(t)
    ranked = [r for r in before.rows if r.rank is not None]
    if not ranked:
        return
    target = data.draw(st.sampled_from(ranked))
    a_index = next(i for i, a in enumerate(t.applications) if a.application_id == target.application_id)
    a = t.applications[a_index]
    counted = [j for j, e in enumerate(a.evaluations) if not e.abstained]
    j = data.draw(st.sampled_from(counted))
    k = data.draw(st.integers(0, len(t.criteria) - 1))
    e = a.evaluations[j]
    pts = list(e.points)
    pts[k] = min(t.criteria[k].max_points, pts[k] + data.draw(st.sampled_from([0.2, 1.0, 5.0])) *
                 t.criteria[k].max_points / 5)
    evs = list(a.evaluations)
    evs[j] = e._replace(points=tuple(pts))
    apps = list(t.applications)
    apps[a_index] = a._replace(evaluations=tuple(evs))
    after = {r.application_id: r for r in rank_track(replace(t, applications=tuple(apps))).rows}
    assert after[target.application_id].rank <= target.rank


@SETTINGS
@given(st.lists(st.floats(0, 100, allow_nan=False), min_size=1, max_size=8), st.integers(3, 6))
def test_trimmed_mean_is_its_definition(totals, trim_min):
    crit = (CriterionSpec("c", 1.0, 100.0),)
    app = ApplicationInput("X", tuple(EvaluationInput(f"E{i}", (t,)) for i, t in enumerate(totals)))
    out = rank_track(TrackInputs("t", crit, (app,), quota=1, method="trimmed", trim_min_evaluators=trim_min,
                                 stability=False)).rows[0]
    if len(totals) >= trim_min:
        # drop one highest and one lowest, average the rest
        expected = (sum(totals) - max(totals) - min(totals)) / (len(totals) - 2)
        assert out.trimmed
    else:
        expected = sum(totals) / len(totals)
        assert not out.trimmed
    assert abs(out.score - expected) < 1e-9


@SETTINGS
@given(tracks())
def test_identical_inputs_give_identical_outputs(t):
    assert rank_track(t) == rank_track(t)


def brute_force_stability(t: TrackInputs) -> dict[str, float]:
    """Every perturbation as a complete re-ranking of modified inputs (no shortcuts)."""
    runs: list[TrackInputs] = []
    counted = {a.application_id: [e.evaluator for e in a.evaluations if not e.abstained] for a in t.applications}
    base = rank_track(replace(t, stability=False))
    candidates = {r.application_id for r in base.rows if r.rank is not None}
    evaluators = sorted({e for a in t.applications if a.application_id in candidates
                         for e in counted[a.application_id]})
    for who in evaluators:
        apps = []
        for a in t.applications:
            others = [e for e in counted[a.application_id] if e != who]
            if others:  # an application only this evaluator scored keeps its score
                a = a._replace(evaluations=tuple(e for e in a.evaluations if e.evaluator != who))
            apps.append(a)
        runs.append(replace(t, applications=tuple(apps), stability=False))
    for k, c in enumerate(t.criteria):
        for f in (0.9, 1.1):
            crit = list(t.criteria)
            crit[k] = replace(c, weight=c.weight * f)
            runs.append(replace(t, criteria=tuple(crit), stability=False))
    selected = {a: 0 for a in candidates}
    for run in runs:
        for r in rank_track(run).rows:
            if r.computed_decision == "selected" and r.application_id in selected:
                selected[r.application_id] += 1
    return {a: n / len(runs) for a, n in selected.items()}


@SETTINGS
@given(tracks())
def test_stability_equals_a_brute_force_rerun_of_every_perturbation(t):
    # Tie-breaks other than the application ID are switched off: the analysis keeps the baseline's
    # tie-break keys (field check, flags) while a full re-run would recompute them.
    t = replace(t, tie_breaks=(), stability=True)
    fast = {r.application_id: r.stability for r in rank_track(t).rows if r.stability is not None}
    slow = brute_force_stability(t)
    assert fast.keys() == slow.keys()
    for a in fast:
        assert abs(fast[a] - slow[a]) < 1e-9, a


@SETTINGS
@given(tracks())
def test_the_stability_analysis_selects_by_the_same_rule_as_the_ranking(t):
    # walk_selected (the selection rule the perturbed runs use, without reasons) picks, from the
    # ranking's own order, the very applications the ranking selected
    from evaluator.ranking.scoring import rscore, walk_selected

    out = rank_track(replace(t, stability=False))
    ranked = [r for r in out.rows if r.rank is not None]
    neg = [-rscore(r.score) for r in ranked]
    requested = [r.requested_amount for r in ranked]
    chosen = walk_selected(range(len(ranked)), neg.__getitem__, requested, t.quota, rscore(t.min_score), t.budget)
    assert {ranked[i].application_id for i in chosen} == {
        r.application_id for r in out.rows if r.computed_decision == "selected"}


@SETTINGS
@given(tracks(), st.floats(0, 50, allow_nan=False), st.floats(0, 50, allow_nan=False))
def test_a_wider_points_range_from_the_loader_changes_nothing(t, below, above):
    # The loader hands the stability analysis the range of every point it read (of every track, of
    # evaluations not counted): any range that holds the track's points gives the same ranking.
    points = [0.0 if p is None else p for a in t.applications for e in a.evaluations for p in e.points]
    t = replace(t, stability=True)
    plain = rank_track(t)
    if points:
        wide = replace(t, points_range=(min(points) - below, max(points) + above))
        assert rank_track(wide) == plain
