"""The ranking engine on hand-computed cases (the arithmetic is written beside each assertion).

Test rubric (tests/core/ranking_fixtures.py): criteria a (max 60) and b (max 40, the field check),
weight 1 each, so an evaluation's total is 100·(a + b)/100 = a + b.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date

import pytest

from evaluator.ranking.engine import rank_track
from evaluator.ranking.inputs import DRAFT
from evaluator.ranking.stats import krippendorff_alpha_interval

from .ranking_fixtures import A, B, app, ev, rows_by_id, total, track


# --- totals and aggregation -------------------------------------------------------------------------
def test_mean_median_spread_and_leniency():
    # E1: 48 + 32 = 80, E2: 36 + 24 = 60, E3: 60 + 40 = 100
    x = app("X", ev("E1", 48, 32), ev("E2", 36, 24), ev("E3", 60, 40))
    r = rows_by_id(rank_track(track(x)))["X"]
    assert [e.total for e in r.evaluators] == [80.0, 60.0, 100.0]
    assert r.score == r.raw_score == pytest.approx((80 + 60 + 100) / 3)  # = 80
    assert r.spread == 100 - 60  # = 40
    # sample SD: deviations 0, −20, +20 → sqrt((0 + 400 + 400) / 2) = 20
    assert r.stddev == pytest.approx(20.0)
    assert "disagreement" in r.flags  # spread 40 > threshold 20
    # field check share: (32/40 + 24/40 + 40/40) / 3 = (0.8 + 0.6 + 1.0) / 3 = 0.8
    assert r.field_check == pytest.approx(0.8)
    med = rows_by_id(rank_track(track(x, method="median")))["X"]
    assert med.score == 80.0  # sorted 60, 80, 100 → middle value
    # leniency: E1 80 − (60 + 100)/2 = 0; E2 60 − (80 + 100)/2 = −30; E3 100 − (80 + 60)/2 = +30
    q = {e.evaluator: e for e in rank_track(track(x)).evaluator_quality}
    assert (q["E1"].leniency, q["E2"].leniency, q["E3"].leniency) == (0.0, -30.0, 30.0)
    assert q["E2"].mean_total == 60.0 and q["E2"].applications == 1


def test_median_of_an_even_number_is_the_mean_of_the_middle_two():
    x = app("X", total("E1", 70), total("E2", 90), total("E3", 60), total("E4", 100))
    r = rows_by_id(rank_track(track(x, method="median")))["X"]
    assert r.score == pytest.approx((70 + 90) / 2)  # sorted 60, 70, 90, 100


def test_trimmed_mean_drops_one_highest_and_one_lowest_from_five():
    five = app("X", *(total(f"E{i}", t) for i, t in enumerate((50, 60, 70, 80, 100))))
    r = rows_by_id(rank_track(track(five, method="trimmed")))["X"]
    assert r.score == pytest.approx((60 + 70 + 80) / 3)  # 50 and 100 dropped → 70
    assert r.trimmed
    assert r.raw_score == pytest.approx(70.0)
    # the plain mean would be (50 + 60 + 70 + 80 + 100) / 5 = 72
    assert rows_by_id(rank_track(track(five)))["X"].score == pytest.approx(72.0)
    four = app("X", *(total(f"E{i}", t) for i, t in enumerate((50, 60, 70, 100))))
    r4 = rows_by_id(rank_track(track(four, method="trimmed")))["X"]
    assert r4.score == pytest.approx((50 + 60 + 70 + 100) / 4) and not r4.trimmed  # 4 < 5: plain mean
    # the threshold is a program setting
    r3 = rows_by_id(rank_track(track(four, method="trimmed", trim_min_evaluators=4)))["X"]
    assert r3.score == pytest.approx((60 + 70) / 2) and r3.trimmed


def test_normalised_scores_use_each_evaluators_own_mean_and_spread():
    # E1 scores P 80, Q 60, R 70 (mean 70); E2 scores P 90, Q 90, R 60 (mean 80); E3 only scores R.
    p = app("P", total("E1", 80), total("E2", 90))
    q = app("Q", total("E1", 60), total("E2", 90))
    r = app("R", total("E1", 70), total("E2", 60), total("E3", 65))
    out = rows_by_id(rank_track(track(p, q, r, method="normalized")))
    # population SDs: E1 sqrt((100 + 100 + 0)/3) = sqrt(200/3); E2 sqrt((100 + 100 + 400)/3) = sqrt(200)
    # z(E1): P +10/sqrt(200/3) = +sqrt(1.5), Q −sqrt(1.5), R 0;  z(E2): P, Q +sqrt(0.5), R −2·sqrt(0.5)
    # every counted raw total: 80, 60, 70, 90, 90, 60, 65 → mean 515/7, population SD sd_all
    every = [80, 60, 70, 90, 90, 60, 65]
    mu = sum(every) / 7
    sd = math.sqrt(sum((t - mu) ** 2 for t in every) / 7)
    z1, z2 = math.sqrt(1.5), math.sqrt(0.5)
    assert out["P"].normalized_score == pytest.approx(((mu + sd * z1) + (mu + sd * z2)) / 2)
    assert out["Q"].normalized_score == pytest.approx(((mu - sd * z1) + (mu + sd * z2)) / 2)
    # E3 scored one application (< 3): its raw 65 is used, and the row says so
    assert out["R"].normalized_score == pytest.approx((mu + (mu - sd * 2 * z2) + 65) / 3)
    assert "normalized_fallback" in out["R"].flags and "normalized_fallback" not in out["P"].flags
    assert out["P"].score == out["P"].normalized_score
    assert out["P"].raw_score == pytest.approx(85.0)  # raw mean shown beside it
    assert {e.evaluator: e.normalized for e in out["R"].evaluators}["E3"] == pytest.approx(65.0)


def test_incomplete_evaluations_are_left_out_never_counted_as_zero():
    x = app("X", ev("E1", 48, 32), ev("E2", None, 30), ev("E3", 36, 24))
    r = rows_by_id(rank_track(track(x)))["X"]
    assert r.score == pytest.approx((80 + 60) / 2)  # E2 left out: not (80 + 30 + 60)/3, not (80 + 0 + 60)/3
    assert r.evaluations == 2
    assert "incomplete" in r.flags
    e2 = next(e for e in r.evaluators if e.evaluator == "E2")
    assert (e2.state, e2.counted, e2.total) == ("incomplete", False, None)
    assert "a" in e2.note


def test_recusals_and_abstentions_are_removed_and_reported():
    x = app("X", ev("E1", 48, 32), ev("E2", 60, 40, conflict="personal", conflict_note="친족"),
            ev("E3", 36, 24, abstained=True, abstain_reason="현장 방문 불가"), ev("E4", 42, 28))
    r = rows_by_id(rank_track(track(x)))["X"]
    assert r.score == pytest.approx((80 + 70) / 2)  # E2 (100) and E3 (60) removed
    assert (r.evaluations, r.recusals, r.abstentions) == (2, 1, 1)
    assert {"recusal", "abstention"} <= set(r.flags)
    states = {e.evaluator: (e.state, e.counted) for e in r.evaluators}
    assert states["E2"] == ("recused", False) and states["E3"] == ("abstained", False)
    notes = {e.evaluator: e.note for e in r.evaluators}
    assert "personal" in notes["E2"] and "현장 방문 불가" in notes["E3"]
    # the same notes in Korean, for the Korean UI and reports
    notes_ko = {e.evaluator: e.note_ko for e in r.evaluators}
    assert notes_ko["E2"] == "이해충돌(개인적 관계): 친족" and notes_ko["E3"] == "기권: 현장 방문 불가"


def test_every_note_on_an_evaluation_left_out_has_a_korean_version():
    x = app("X", ev("E1", 48, 32), ev("E2", None, 30), ev("E3", 36, 24, state=DRAFT))
    r = rows_by_id(rank_track(track(x)))["X"]
    notes = {e.evaluator: (e.note, e.note_ko) for e in r.evaluators}
    assert notes["E2"] == ("required criteria not scored: a", "필수 항목 미채점: a")
    assert notes["E3"] == ("not finalised", "미확정")
    assert notes["E1"] == ("", "")


def test_the_reliability_method_has_korean_and_english_names():
    from evaluator.ranking.labels import reliability_label

    out = rank_track(track(app("X", ev("E1", 48, 32), ev("E2", 40, 30))))
    assert reliability_label(out.reliability_method, "ko") == "크리펜도르프 알파(등간)"
    assert reliability_label(out.reliability_method, "en") == "Krippendorff's alpha (interval)"
    assert reliability_label("ICC(1,k)", "ko") == "ICC(1,k)"  # an unknown name passes through


def test_drafts_count_only_in_a_provisional_ranking_which_says_so_everywhere():
    x = app("X", ev("E1", 48, 32), ev("E2", 60, 40, state=DRAFT))
    final = rank_track(track(x))
    r = rows_by_id(final)["X"]
    assert r.score == 80.0 and r.evaluations == 1  # the draft (100) waits
    assert "provisional" not in r.flags and not final.provisional
    prov = rank_track(track(x, provisional=True))
    p = rows_by_id(prov)["X"]
    assert p.score == pytest.approx((80 + 100) / 2) and p.evaluations == 2
    assert prov.provisional and "provisional" in p.flags
    assert p.reason.startswith("provisional: ") and p.reason_ko.startswith("잠정: ")
    assert prov.notes[0].startswith("PROVISIONAL")


def test_no_counted_evaluation_means_not_ranked_with_the_reason():
    x = app("X", ev("E1", 48, 32))
    y = app("Y", ev("E1", 60, 40, conflict="financial"), ev("E2", None, None, state="not_started"))
    r = rows_by_id(rank_track(track(x, y)))["Y"]
    assert r.rank is None and r.decision == "not_selected" and "no_evaluations" in r.flags
    assert r.reason == "not ranked: no counted evaluation (1 recused, 1 not finalised)"


# --- eligibility, minimum, quota, reserves ---------------------------------------------------------
def test_decisions_and_reasons_down_the_list():
    t = track(
        app("A1", total("E1", 90)), app("A2", total("E1", 80)), app("A3", total("E1", 70)),
        app("A4", total("E1", 65)), app("A5", total("E1", 50)),
        app("A6", total("E1", 95), members=2),
        app("A7", total("E1", 99), gate_results={"no_double": False}),
        quota=2, reserve_size=1,
    )
    out = rank_track(t)
    r = rows_by_id(out)
    assert [x.application_id for x in out.rows] == ["A1", "A2", "A3", "A4", "A5", "A6", "A7"]
    assert r["A1"].reason == "rank 1 of 5; score 90.0; within the quota of 2"
    assert r["A1"].reason_ko == "5건 중 1위; 90.0점; 선정 정원 2건 이내"
    assert r["A2"].decision == "selected"
    assert r["A3"].reason == "rank 3 of 5; score 70.0; quota 2 filled; first reserve"
    assert r["A3"].reason_ko == "5건 중 3위; 70.0점; 선정 정원 2건 마감; 예비 1순위"
    assert (r["A4"].decision, r["A4"].reason) == ("not_selected",
                                                  "rank 4 of 5; score 65.0; quota 2 and 1 reserve filled")
    assert (r["A5"].decision, r["A5"].reason) == ("not_selected", "rank 5 of 5; score 50.0 below the minimum 60")
    assert r["A6"].decision == "ineligible" and r["A6"].rank is None and r["A6"].failed_gates == ("min_members",)
    assert r["A6"].reason == ("ineligible: members 2 below the minimum 3 (gate min_members: At least 3 resident "
                              "members)")
    assert r["A6"].reason_ko == "부적격: 참여인원 2명으로 최소 3명 미달(주민 3인 이상)"
    assert r["A7"].reason == "ineligible: failed 'Not funded twice' (gate no_double)"
    assert (out.selected, out.reserve, out.eligible) == (2, 1, 5)
    assert all(x.reason and x.reason_ko for x in out.rows)


def test_minimum_score_wins_over_the_quota_and_unrecorded_manual_gates_are_presumed_passed():
    out = rank_track(track(app("A1", total("E1", 61)), app("A2", total("E1", 59.9)), quota=5, min_score=60))
    r = rows_by_id(out)
    assert r["A1"].decision == "selected" and r["A2"].decision == "not_selected"
    assert r["A2"].reason == "rank 2 of 2; score 59.9 below the minimum 60"
    assert out.reserve == 0  # a reserve must reach the minimum too
    assert any("2 manual eligibility checks not recorded yet are presumed passed" in n for n in out.notes)


def test_withdrawn_applications_are_not_ranked():
    out = rank_track(track(app("A1", total("E1", 90), status="withdrawn"), app("A2", total("E1", 70))))
    r = rows_by_id(out)
    assert r["A1"].rank is None and r["A1"].decision == "not_selected" and "withdrawn" in r["A1"].flags
    assert r["A2"].rank == 1 and r["A2"].reason.startswith("rank 1 of 1;")


def test_budget_cap_skips_what_does_not_fit_and_keeps_it_as_a_reserve():
    # budget 10,000,000; quota 3; walk down the list:
    #   A 90 asks 4M → fits (6M left); B 85 asks 7M > 6M → skipped; C 80 asks 3M → fits (3M left);
    #   D 75 asks 2M → fits (1M left), quota 3 filled; reserves in rank order: B (first), E (second)
    t = track(app("A", total("E1", 90), requested=4_000_000), app("B", total("E1", 85), requested=7_000_000),
              app("C", total("E1", 80), requested=3_000_000), app("D", total("E1", 75), requested=2_000_000),
              app("E", total("E1", 70), requested=1_000_000), app("F", total("E1", 65), requested=11_000_000),
              quota=3, reserve_size=3, budget=10_000_000)
    out = rank_track(t)
    r = rows_by_id(out)
    assert [r[x].decision for x in "ABCDEF"] == ["selected", "reserve", "selected", "selected", "reserve",
                                                 "not_selected"]
    assert r["B"].reason == ("rank 2 of 6; score 85.0; requested 7,000,000 won exceeds the remaining budget "
                             "6,000,000 won; first reserve")
    assert r["D"].reason == ("rank 4 of 6; score 75.0; within the quota of 3; requested 2,000,000 won fits the "
                             "budget (1,000,000 won left)")
    assert r["E"].reason.endswith("quota 3 filled; second reserve")
    # F asks more than the whole budget: it could never be funded, so it is no reserve
    assert r["F"].reason == ("rank 6 of 6; score 65.0; quota 3 filled; requested 11,000,000 won exceeds the whole "
                             "budget 10,000,000 won")
    assert out.budget_used == 4_000_000 + 3_000_000 + 2_000_000
    assert any(n.startswith("Budget cap 10,000,000 won") for n in out.notes)


def test_ties_are_broken_by_field_check_then_flags_then_submission_then_id():
    # X and Y both total 80; X's field check b = 32/40 = 0.8 beats Y's 24/40 = 0.6
    x = app("X", ev("E1", 48, 32))
    y = app("Y", ev("E1", 56, 24))
    out = rows_by_id(rank_track(track(y, x)))
    assert (out["X"].rank, out["Y"].rank) == (1, 2)
    assert out["X"].tie_break == "field_check" and "tie" in out["Y"].flags
    assert out["Y"].reason.endswith("tie on score broken by the field check")
    assert out["Y"].reason_ko.endswith("동점, 현장확인 점수로 순위 결정")
    # same field check: fewer flags first (Z's evaluators disagree by 30 > 20)
    z = app("Z", ev("E1", 33, 32), ev("E2", 63, 32))  # totals 65 and 95: mean 80, spread 30, field 0.8
    out = rows_by_id(rank_track(track(z, x)))
    assert (out["X"].rank, out["Z"].rank) == (1, 2) and out["Z"].tie_break == "fewer_flags"
    # then the earlier submission, then the application ID
    early = app("W", ev("E1", 48, 32), submitted=date(2012, 3, 30))
    out = rows_by_id(rank_track(track(x, early)))
    assert (out["W"].rank, out["X"].rank) == (1, 2) and out["X"].tie_break == "earlier_submission"
    twin = app("V", ev("E1", 48, 32))
    out = rows_by_id(rank_track(track(x, twin)))
    assert (out["V"].rank, out["X"].rank) == (1, 2) and out["X"].tie_break == "application_id"
    # the order of the rules is a setting
    out = rows_by_id(rank_track(track(x, early, tie_breaks=("fewer_flags",))))
    assert (out["W"].rank, out["X"].rank) == (1, 2) and out["X"].tie_break == "application_id"


def test_override_is_shown_beside_the_computed_decision():
    t = track(app("A1", total("E1", 90)), app("A2", total("E1", 80)),
              app("A3", total("E1", 70), override="selected", override_reason="현장 재확인"), quota=2,
              reserve_size=1)
    out = rank_track(t)
    r = rows_by_id(out)["A3"]
    assert (r.computed_decision, r.decision, r.override) == ("reserve", "selected", "selected")
    assert "overridden" in r.flags
    assert r.computed_reason == "rank 3 of 3; score 70.0; quota 2 filled; first reserve"
    assert r.reason == r.computed_reason + "; committee override: selected — 현장 재확인"
    assert r.reason_ko.endswith("위원회 조정: 선정 — 현장 재확인")
    assert out.selected == 3  # what the committee decided …
    assert sum(x.computed_decision == "selected" for x in out.rows) == 2  # … beside what was computed
    assert any("Committee overrides put 3 applications in the selected list (quota 2)" in n for n in out.notes)


# --- stability ------------------------------------------------------------------------------------------
def test_stability_on_a_two_application_cut_line():
    # quota 1.  P: E1 (50, 30) = 80, E2 (30, 30) = 60 → 70.   Q: E1 (40, 25) = 65, E2 (40, 33) = 73 → 69.
    # Perturbations (2 evaluators + 2 criteria × ±10 % = 6):
    #   without E1: P 60, Q 73 → Q;  without E2: P 80, Q 65 → P
    #   w_a × 0.9 (M = 94):  P (75/94 + 57/94)/2·100 = 70.21, Q (61/94 + 69/94)/2·100 = 69.15 → P
    #   w_a × 1.1 (M = 106): P (85 + 63)/2/106·100 = 69.81, Q (69 + 77)/2/106·100 = 68.87 → P
    #   w_b × 0.9 (M = 96):  P (77 + 57)/2/96·100 = 69.79, Q (62.5 + 69.7)/2/96·100 = 68.85 → P
    #   w_b × 1.1 (M = 104): P (83 + 63)/2/104·100 = 70.19, Q (67.5 + 76.3)/2/104·100 = 69.13 → P
    # P is selected in 5 of 6, Q in 1 of 6: both decisions flip at least once → on the cut line.
    p = app("P", ev("E1", 50, 30), ev("E2", 30, 30))
    q = app("Q", ev("E1", 40, 25), ev("E2", 40, 33))
    out = rank_track(track(p, q, quota=1, reserve_size=0, stability=True))
    r = rows_by_id(out)
    assert out.perturbations == 6
    assert r["P"].stability == pytest.approx(5 / 6) and r["Q"].stability == pytest.approx(1 / 6)
    assert r["P"].on_cut_line and r["Q"].on_cut_line and "cut_line" in r["P"].flags
    # a clear winner is not on the cut line
    far = app("F", ev("E1", 60, 40), ev("E2", 60, 40))
    out = rows_by_id(rank_track(track(p, q, far, quota=1, stability=True)))
    assert out["F"].stability == 1.0 and not out["F"].on_cut_line
    assert out["P"].stability == 0.0 and not out["P"].on_cut_line


def test_stability_is_the_same_with_and_without_a_budget_cap_that_never_binds():
    apps = [app(f"A{i}", total("E1", 60 + 3 * i + (i % 3)), total("E2", 95 - 2 * i), total("E3", 70 + (i * 7) % 11))
            for i in range(12)]
    plain = rank_track(track(*apps, quota=4, stability=True))
    capped = rank_track(track(*apps, quota=4, stability=True, budget=10**12))
    assert [(r.application_id, r.stability, r.on_cut_line) for r in plain.rows] == \
           [(r.application_id, r.stability, r.on_cut_line) for r in capped.rows]
    for method in ("median", "trimmed", "normalized"):
        a = rank_track(track(*apps, quota=4, stability=True, method=method))
        b = rank_track(track(*apps, quota=4, stability=True, method=method, budget=10**12))
        assert [r.stability for r in a.rows] == [r.stability for r in b.rows], method


def test_the_weight_window_agrees_with_re_scoring_every_candidate():
    # Without a budget cap a weight change re-scores only the candidates near the cut (the others
    # provably keep their side); with a cap that never binds every candidate is re-scored and the
    # selection walked: both must give the same shares, on a track large enough for the window to
    # leave most candidates out, with ties and a minimum score near the cut.
    import random

    from evaluator.ranking.inputs import CriterionSpec

    rng = random.Random(7)
    crit = tuple(CriterionSpec(f"c{k}", w, m, field_check=(k == 0))
                 for k, (w, m) in enumerate([(1.0, 10.0), (1.5, 20.0), (0.5, 10.0), (2.0, 15.0), (1.0, 5.0)]))
    evaluators = [f"E{k:02d}" for k in range(12)]
    apps = []
    for a in range(300):
        quality = rng.uniform(0.3, 0.95)
        evs = []
        for e in rng.sample(evaluators, rng.choice([1, 2, 3, 3, 3, 4, 5])):
            evs.append(ev_points(e, [c.max_points * min(1.0, max(0.2, round((quality + rng.gauss(0, 0.15)) * 5) / 5))
                                     for c in crit]))
        apps.append(app(f"A{a:03d}", *evs, requested=1_000_000))
    for method in ("mean", "median", "trimmed"):
        for quota, min_score in ((120, 60.0), (40, 50.0), (200, 62.0)):
            t = replace(track(*apps, quota=quota, stability=True, method=method, min_score=min_score,
                              trim_min_evaluators=3), criteria=crit, gates=())
            windowed = [(r.application_id, r.stability, r.on_cut_line) for r in rank_track(t).rows]
            walked = [(r.application_id, r.stability, r.on_cut_line)
                      for r in rank_track(replace(t, budget=10**15)).rows]
            assert windowed == walked, (method, quota)
            assert any(r[2] for r in windowed)  # the cut line is really being tested


def ev_points(evaluator: str, points: list[float]):
    from evaluator.ranking.inputs import EvaluationInput

    return EvaluationInput(evaluator, tuple(points))


def test_evaluator_detail_is_built_on_first_read_and_then_is_an_ordinary_field():
    import copy
    import pickle
    from dataclasses import asdict, fields

    from evaluator.ranking.model import RankedApplication

    out = rank_track(track(app("X", ev("E1", 48, 32), ev("E2", None, 30), ev("E3", 36, 24, conflict="personal"))))
    row = out.rows[0]
    assert "evaluators" not in vars(row)  # not built yet
    twin = pickle.loads(pickle.dumps(row))  # pickling builds it first
    assert [e.evaluator for e in row.evaluators] == ["E1", "E2", "E3"]
    assert [(e.state, e.counted, e.total) for e in row.evaluators] == [
        ("finalised", True, 80.0), ("incomplete", False, None), ("recused", False, 60.0)]
    assert row.evaluators[1].note == "required criteria not scored: a" and row.evaluators[2].note_ko == "이해충돌(개인적 관계)"
    assert row.evaluators[1].criteria == {"a": None, "b": 30}
    assert "evaluators" in vars(row) and row.evaluators is row.evaluators  # built once, then kept
    again = RankedApplication(**{f.name: getattr(row, f.name) for f in fields(RankedApplication)})
    assert twin == row == again == copy.copy(row) and hash(twin) == hash(row)
    assert asdict(row)["evaluators"][0]["criteria"] == {"a": 48, "b": 32}
    assert replace(row, score=1.0).evaluators == row.evaluators
    assert RankedApplication(**{f.name: getattr(row, f.name) for f in fields(RankedApplication)
                                if f.name != "evaluators"}).evaluators == ()


def test_no_stability_analysis_when_asked_not_to():
    out = rank_track(track(app("A", total("E1", 80)), stability=False))
    assert out.perturbations == 0 and out.rows[0].stability is None


# --- inter-rater reliability ------------------------------------------------------------------------------
def test_krippendorff_alpha_interval_matches_the_published_example():
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability", 4 observers × 12 units with
    # missing values; the published interval alpha is 0.849.
    units = [[1, 1, 1], [2, 2, 3, 2], [3, 3, 3, 3], [3, 3, 3, 3], [2, 2, 2, 2], [1, 2, 3, 4], [4, 4, 4, 4],
             [1, 1, 2, 1], [2, 2, 2, 2], [5, 5, 5], [1, 1], [3]]
    assert krippendorff_alpha_interval(units) == pytest.approx(0.849, abs=0.0005)


def test_krippendorff_alpha_by_hand():
    # units [1, 2] and [3, 4]: n = 4 pairable values
    # D_o = (1/4)·Σ_u Σ_{i≠j}(vi − vj)²/(m − 1) = (1/4)·(2·1 + 2·1) = 1
    # D_e = Σ_{i≠j over all}(vi − vj)²/(n(n − 1)) = 2·(1+4+9+1+4+1)/12 = 40/12
    # alpha = 1 − 1/(40/12) = 0.7
    assert krippendorff_alpha_interval([[1, 2], [3, 4]]) == pytest.approx(0.7)
    assert krippendorff_alpha_interval([[5, 5], [5, 5]]) is None  # no variation at all
    assert krippendorff_alpha_interval([[1], [2]]) is None  # nothing pairable
    out = rank_track(track(app("X", total("E1", 1), total("E2", 2)), app("Y", total("E1", 3), total("E2", 4))))
    assert out.reliability == pytest.approx(0.7) and out.reliability_method == "Krippendorff's alpha (interval)"


def test_unknown_method_or_rule_is_refused():
    with pytest.raises(ValueError, match="unknown method"):
        track(method="best")
    with pytest.raises(ValueError, match="tie-break"):
        track(tie_breaks=("luck",))


def test_weights_follow_the_rubric_formula():
    # a weighted 2: total = 100·(2a + b)/(2·60 + 40) — a = 30, b = 40 → 100·100/160 = 62.5
    t = replace(track(app("X", ev("E1", 30, 40))), criteria=(replace(A, weight=2.0), B))
    assert rank_track(t).rows[0].score == pytest.approx(62.5)


def test_rows_are_ordinary_equal_and_hashable_model_objects():
    from dataclasses import fields

    from evaluator.ranking.model import EvaluatorScore, RankedApplication

    out = rank_track(track(app("X", ev("E1", 48, 32), ev("E2", 36, 24)), stability=True))
    row = out.rows[0]
    again = RankedApplication(**{f.name: getattr(row, f.name) for f in fields(RankedApplication)})
    assert again == row and hash(again) == hash(row)
    e = row.evaluators[0]
    assert EvaluatorScore(**{f.name: getattr(e, f.name) for f in fields(EvaluatorScore)}) == e
    assert e.criteria == {"a": 48, "b": 32}
    with pytest.raises(AttributeError):
        row.score = 1.0  # type: ignore[misc]


def test_an_empty_track_ranks_to_nothing():
    out = rank_track(track(stability=True))
    assert out.rows == () and out.selected == 0 and out.reliability is None


def test_the_ranking_modules_import_one_another_without_a_circle():
    # engine → stability → scoring → stats; model → reasons → labels (what both the engine and the
    # stability analysis need lives in scoring.py, so neither imports the other back)
    import ast
    from pathlib import Path

    import evaluator.ranking as pkg

    here = Path(pkg.__file__).parent
    imports = {}
    for f in here.glob("*.py"):
        found = set()
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                found |= {node.module.split(".")[0]} if node.module else {a.name for a in node.names}
        imports[f.stem] = found

    def reachable(start: str) -> set[str]:
        seen, todo = set(), [start]
        while todo:
            for m in imports.get(todo.pop(), ()):
                if m not in seen:
                    seen.add(m)
                    todo.append(m)
        return seen

    assert "stability" in imports["engine"] and "scoring" in imports["stability"]
    assert all(m not in reachable(m) for m in imports), {m: reachable(m) for m in imports if m in reachable(m)}
