"""Rubrics are data: loading validates them and reports every problem with file and key."""

from __future__ import annotations

import pytest

from evaluator.errors import RubricError
from evaluator.paths import resource
from evaluator.rubric import load_rubric, parse_rubric

from .rubric_samples import small_rubric


def test_small_rubric_totals_follow_weighted_sum():
    rd = parse_rubric(small_rubric(weight_b=2.0), "mini.toml")
    # levels: a=우 (80% of 60 = 48), b=미 (60% of 40 = 24)
    a = rd.points_for_level(rd.criterion("a"), "u")
    b = rd.points_for_level(rd.criterion("b"), "mi")
    assert (a, b) == (48.0, 24.0)
    # weighted total on 0–100: 100 × (1×48 + 2×24) / (1×60 + 2×40) = 100 × 96 / 140
    assert rd.total({"a": a, "b": b}) == pytest.approx(100 * 96 / 140)
    # a missing required criterion makes the evaluation incomplete (None), never zero
    assert rd.total({"a": a}) is None
    assert [c.code for c in rd.missing({"a": a})] == ["b"]


def test_content_hash_ignores_formatting_but_not_content():
    text = small_rubric()
    same = "# a comment\n" + text.replace('max = 60', 'max   =   60')
    assert parse_rubric(text).content_hash == parse_rubric(same).content_hash
    assert parse_rubric(text).content_hash != parse_rubric(text.replace("max = 60", "max = 50")).content_hash


def test_levels_accept_korean_label_key_and_english():
    rd = parse_rubric(small_rubric())
    assert rd.level_by_label("우").key == "u"
    assert rd.level_by_label(" SU ").key == "su"
    assert rd.level_by_label("very good").key == "u"
    assert rd.level_by_label("최우수") is None


def test_every_problem_is_reported_with_file_and_key():
    broken = (
        small_rubric()
        .replace('max = 60', 'max = -5')
        .replace('id = "b"', 'id = "a"')
        .replace('weight = 1.0\nscoring = "levels"\n[criteria.levels]', 'weight = "heavy"\nscoring = "levels"\n[criteria.levels]', 1)
        .replace('percent = 60', 'percent = 90')
        + '\n[[criteria]]\nid = "c"\nname_ko = "다"\nmax = 10\nwieght = 2\n'
    )
    with pytest.raises(RubricError) as err:
        parse_rubric(broken, "broken.toml")
    text = str(err.value)
    assert "broken.toml" in text
    assert "criteria[0] (a).max: must be greater than 0, got -5" in text
    assert "criteria[1] (a).id: duplicate criterion id 'a'" in text
    assert "criteria[0] (a).weight: must be a number, got 'heavy'" in text
    assert "levels: percentages must be distinct and in descending order" in text
    assert "criteria[2] (c).wieght: is not a known key (typo?)" in text
    assert "criteria[2] (c).levels.su: level description is missing" in text
    assert len(err.value.problems) >= 6


def test_not_toml_and_missing_file_are_clear(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("format = 1\nid = [unclosed", encoding="utf-8")
    with pytest.raises(RubricError, match="bad.toml is not valid TOML"):
        load_rubric(bad)
    with pytest.raises(RubricError, match="does not exist"):
        load_rubric(tmp_path / "nope.toml")


@pytest.mark.parametrize("name", ["activity", "space"])
def test_shipped_rubrics_load_and_total_100_points(name):
    rd = load_rubric(resource("rubrics", f"{name}.toml"))
    assert rd.track == name
    assert sum(c.max_points for c in rd.criteria) == 100
    assert [lv.label_ko for lv in rd.levels] == ["수", "우", "미", "양", "가"]
    assert [lv.percent for lv in rd.levels] == [100, 80, 60, 40, 20]
    assert sum(c.field_check for c in rd.criteria) == 1
    for c in rd.criteria:
        assert set(c.level_descriptions) == {"su", "u", "mi", "yang", "ga"}
    # all top marks give exactly 100
    assert rd.total({c.code: c.max_points for c in rd.criteria}) == pytest.approx(100)
