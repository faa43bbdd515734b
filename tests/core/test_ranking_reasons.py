"""The reasons of the ranking: one builder (``evaluator.ranking.reasons``) gives every reason in English
and Korean, and its stored form (canonical JSON in ``Decision.computed_reason``) renders to the very
words the ranking showed."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from evaluator.ranking.engine import rank_track
from evaluator.ranking.reasons import PHRASES, as_json, from_json, stored_words, to_json, words

from .ranking_fixtures import app, rows_by_id, total, track
from .test_ranking_properties import SETTINGS, tracks


def canonical(reason) -> str:
    return json.dumps(as_json(reason), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@SETTINGS
@given(tracks())
def test_every_stored_reason_is_canonical_json_and_renders_to_the_rows_words(t):
    for r in rank_track(t).rows:
        stored = to_json(r.structured_reason)
        assert stored == canonical(r.structured_reason)  # the fast writer is json.dumps, byte for byte
        assert from_json(stored) == r.structured_reason
        assert stored_words(stored) == (r.computed_reason, r.computed_reason_ko) == words(r.structured_reason)
        assert r.computed_reason and r.computed_reason_ko
        if r.override:
            override = words((("committee_override", r.override, r.override_reason),))
            assert (r.reason, r.reason_ko) == (r.computed_reason + "; " + override[0],
                                               r.computed_reason_ko + "; " + override[1])
        else:
            assert (r.reason, r.reason_ko) == (r.computed_reason, r.computed_reason_ko)


def test_a_reason_is_a_code_and_parameters_per_phrase():
    t = track(app("A1", total("E1", 90)), app("A2", total("E1", 57.25)), app("A3", total("E1", 95), members=2),
              quota=1, reserve_size=0, provisional=True)
    r = rows_by_id(rank_track(t))
    assert as_json(r["A2"].structured_reason) == [
        {"code": "provisional", "params": {}},
        {"code": "rank_below_min", "params": {"rank": 2, "of": 2, "score": 57.2, "min": 60.0}}]
    assert r["A2"].computed_reason == "provisional: rank 2 of 2; score 57.2 below the minimum 60"
    assert r["A2"].computed_reason_ko == "잠정: 2건 중 2위; 57.2점으로 최저 점수 60점 미달"
    assert as_json(r["A3"].structured_reason)[1:] == [
        {"code": "ineligible", "params": {}},
        {"code": "gate_below_min", "params": {"gate": "min_members", "name_ko": "주민 3인 이상",
                                              "name_en": "At least 3 resident members", "field": "members",
                                              "value": 2.0, "min": 3.0}}]
    assert r["A3"].computed_reason_ko == "잠정: 부적격: 참여인원 2명으로 최소 3명 미달(주민 3인 이상)"


def test_every_phrase_has_both_languages_and_its_stored_form_reads_back():
    samples = {"int": 3, "float": 62.5, "str": "주민 \"3인\" 이상 \\ 100%"}
    for code, spec in PHRASES.items():
        values = tuple(samples["str"] if p in ("gate", "name_ko", "name_en", "rule", "reason") else
                       "members" if p == "field" else "selected" if p == "decision" else
                       samples["float"] if p in ("score", "min", "value") else samples["int"] for p in spec.params)
        reason = ((code, *values),)
        en, ko = words(reason)
        assert en and ko and en != ko, code
        assert to_json(reason) == canonical(reason) and from_json(to_json(reason)) == reason, code
    # what is not a stored reason reads back as it is: an English sentence of an earlier version, or junk
    for old in ("rank 3 of 4; score 70.0; quota 2 filled; first reserve", "[1, 2]", "[{\"code\": \"nope\"}]",
                "[{\"code\": \"rank\", \"params\": {\"rank\": 1}}]", "[", ""):
        assert from_json(old) is None and stored_words(old) == (old, "")


@SETTINGS
@given(st.one_of(st.floats(0, 1e9), st.integers(0, 10**9).map(lambda k: k / 1e6),
                 st.integers(0, 2000).map(lambda k: k / 20 + 0.025)))
def test_the_stated_score_is_the_score_to_one_decimal(score):
    # the reason states the score to one decimal, taken from its key in millionths: the same as
    # round(score, 1), and so the same words as the score's own f"{score:.1f}"
    from evaluator.ranking.engine import _to_tenths
    from evaluator.ranking.scoring import rscore

    stated, = _to_tenths([0], [-rscore(score)], [score])
    assert repr(stated) == repr(round(score, 1)) and f"{stated:.1f}" == f"{score:.1f}"
