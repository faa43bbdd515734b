"""Finalising: the paper fallback's ``import scores --finalise`` finalises the evaluations that are
complete and leaves the others as they are (a template holds every assignment, most of them
untouched), reporting both; ``evaluator finalise APP EV``; and a rubric that requires the visit log's
date, attendees or checklist items (ODK's required questions) refuses to finalise without them,
naming each missing item."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluator.cli import main
from evaluator.errors import ValidationError
from evaluator.rubric import parse_rubric

from .excel_fixtures import before_visits, state  # noqa: F401 - the before_visits fixture
from .rubric_samples import small_rubric
from .test_excel_scores import _fill


def _evaluation_states(st, evaluator):
    return {a.application_id: a.state for a in st.people.assignments(evaluator=evaluator) if a.conflict_type is None}


def test_import_finalise_finalises_the_complete_and_leaves_the_untouched(before_visits, tmp_path, capsys):
    st = before_visits
    f = tmp_path / "ev01.xlsx"
    st.excel.export_template("scores", f, evaluator="EV01")
    mine = sorted(_evaluation_states(st, "EV01"))
    done, partial = mine[:2], mine[2]

    def fill(r):
        if r["application_id"] in done or (r["application_id"] == partial and r["criterion"] == "initiative"):
            return {"value": 10} if r["allowed"].startswith("0–") else {"level": "우"}
        return None

    _fill(f, fill)
    dry = st.excel.import_scores(f, dry_run=True, finalise=True).value
    assert sorted(app for app, _ in dry.finalised) == done
    assert _evaluation_states(st, "EV01") == {a: None for a in mine}  # a dry run writes nothing

    db = st.url
    code = main(["import", "scores", str(f), "--finalise", "--db", db])
    out = capsys.readouterr().out
    assert code == 0, out
    states = _evaluation_states(st, "EV01")
    assert [states[a] for a in done] == ["finalised", "finalised"]
    assert states[partial] == "draft"  # its one score is saved; it stays open
    assert all(states[a] is None for a in mine[3:])  # untouched rows: left as they were
    assert f"finalised: {done[0]} · EV01, {done[1]} · EV01" in out
    assert f"left open ({len(mine) - 2}, not complete):" in out
    assert f"{partial} · EV01: missing " in out and "initiative" not in out.split(f"{partial} · EV01: missing ")[1].split("\n")[0]


def test_import_finalise_reports_both_lists_in_json(before_visits, tmp_path, capsys):
    st = before_visits
    f = tmp_path / "ev02.xlsx"
    st.excel.export_template("scores", f, evaluator="EV02")
    first = sorted(_evaluation_states(st, "EV02"))[0]
    _fill(f, lambda r: ({"value": 9} if r["allowed"].startswith("0–") else {"level": "미"})
          if r["application_id"] == first else None)
    assert main(["import", "scores", str(f), "--finalise", "--json", "--db", st.url]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["finalised"] == [[first, "EV02"]]
    left = {o["application_id"]: o for o in doc["not_finalised"]}
    assert first not in left and len(left) == len(_evaluation_states(st, "EV02")) - 1
    crit = [c.code for c in st.programs.rubric("activity").criteria if c.required]
    some = next(o for o in left.values() if o["application_id"].startswith("2012-A"))
    assert some["missing"] == crit and some["evaluator"] == "EV02"


def test_the_finalise_command(before_visits, capsys):
    st = before_visits
    app = sorted(_evaluation_states(st, "EV03"))[0]
    rubric = st.programs.rubric(st.applications.get(app).track)
    for c in rubric.criteria[:-1]:
        st.scoring.save_score(app, "EV03", c.code, level=rubric.levels[1].key)
    before = state(st)
    assert main(["finalise", app, "EV03", "--db", st.url, "--json"]) == 2
    doc = json.loads(capsys.readouterr().out)
    assert doc["type"] == "ValidationError" and [p["field"] for p in doc["problems"]] == [rubric.criteria[-1].code]
    assert state(st) == before
    last = rubric.criteria[-1]
    if last.scoring == "levels":
        st.scoring.save_score(app, "EV03", last.code, level="su")
    else:
        st.scoring.save_score(app, "EV03", last.code, points=last.max_points)
    assert main(["finalise", app, "EV03", "--db", st.url]) == 0
    assert f"Finalised the evaluation of {app} by EV03 (total " in capsys.readouterr().out
    assert st.scoring.evaluation(app, "EV03").state == "finalised"
    assert main(["reopen", app, "EV03", "--reason", "a typo on the paper sheet", "--db", st.url]) == 0
    assert st.scoring.evaluation(app, "EV03").state == "draft"


# --- a rubric that requires the visit log ------------------------------------------------------------
# small_rubric's checklist ends with the item "met" (주민 면담): this marks it required
VISIT_RUBRIC = small_rubric() + """required = true

[visit]
date_required = true
attendees_required = true

[[checklist]]
id = "photos"
name_ko = "사진 촬영"
name_en = "Took photos"
"""


def test_a_rubric_can_require_the_visit_log():
    rd = parse_rubric(VISIT_RUBRIC)
    assert rd.visit_date_required and rd.attendees_required
    assert [c.required for c in rd.checklist] == [True, False]
    assert rd.visit_missing(None) == ["visit_date", "attendees", "check:met"]
    assert rd.visit_missing({"visited_at": datetime(2012, 4, 20, 10), "attendees": " 대표 외 2명 ",
                             "checklist": {"met": True}}) == []
    assert rd.visit_missing({"visited_at": datetime(2012, 4, 20, 10), "attendees": "  ", "checklist": {}}) == \
        ["attendees", "check:met"]
    # rubrics without the keys require nothing, and keep their version
    plain = parse_rubric(small_rubric())
    assert not plain.visit_date_required and plain.visit_missing(None) == []
    assert plain.content_hash == parse_rubric(small_rubric()).content_hash != rd.content_hash
    with pytest.raises(ValidationError) as ei:
        parse_rubric(small_rubric() + "\n[visit]\ndate_required = \"yes\"\nphoto_required = true\n")
    assert sorted(p.field for p in ei.value.problems) == ["visit.date_required", "visit.photo_required"]


@settings(max_examples=300, deadline=None, database=None)
@given(visited_at=st.sampled_from([None, "", datetime(2012, 4, 20, 10)]),
       attendees=st.sampled_from([None, "", "  ", " 대표 외 2명 "]),
       checklist=st.one_of(st.none(), st.dictionaries(st.sampled_from(["met", "photos", "other"]),
                                                      st.sampled_from([True, False, None, 1, 0, "", "yes"]))),
       required=st.booleans())
def test_visit_complete_is_visit_missing_found_nothing(visited_at, attendees, checklist, required):
    """The merge asks ``visit_complete`` of thousands of visits; it answers what ``visit_missing``
    (the rule, with the names of what is missing) answers by an empty list."""
    rd = parse_rubric(VISIT_RUBRIC if required else small_rubric())
    assert rd.visit_complete(visited_at, attendees, checklist) == \
        (rd.visit_missing({"visited_at": visited_at, "attendees": attendees, "checklist": checklist}) == [])


@pytest.fixture
def visit_program(sqlite_url):
    from evaluator.services.programs import TrackSpec
    from evaluator.store import Store

    st = Store(sqlite_url)
    st.programs.create(code="visit", name_ko="방문 필수 사업", name_en="Visit program",
                       tracks=[TrackSpec("activity", "주민모임 활동 지원", "Community activity support",
                                         parse_rubric(VISIT_RUBRIC), 1, 1)])
    st.people.put_evaluator("EV01", "김하나")
    st.applications.put({"id": "V-1", "track": "activity", "title": "골목 사랑방", "district": "종로구", "members": 5})
    st.people.assign("V-1", "EV01")
    st.scoring.save_score("V-1", "EV01", "a", level="su")
    st.scoring.save_score("V-1", "EV01", "b", level="u")
    yield st
    st.close()


def test_finalising_lists_what_the_visit_log_lacks(visit_program):
    st = visit_program
    info = st.scoring.evaluation("V-1", "EV01")
    assert info.missing == () and info.visit_missing == ("visit_date", "attendees", "check:met")
    with pytest.raises(ValidationError) as ei:
        st.scoring.finalise("V-1", "EV01")
    assert "the visit log lacks 3 required entries" in ei.value.message
    assert [p.code for p in ei.value.problems] == ["scoring.visit_date_missing", "scoring.attendees_missing",
                                                   "scoring.check_missing"]
    assert ei.value.problems[2].params == {"item": "met", "name": "주민 면담"}
    assert st.scoring.evaluation("V-1", "EV01").state == "draft"
    st.scoring.save_visit("V-1", "EV01", visited_at=datetime(2012, 4, 20, 10), attendees="대표 외 2명",
                          checklist={"met": True})
    assert st.scoring.finalise("V-1", "EV01").value.state == "finalised"


def test_an_abstention_needs_no_visit_log(visit_program):
    st = visit_program
    st.scoring.abstain("V-1", "EV01", "이해관계가 뒤늦게 드러남")
    assert st.scoring.finalise("V-1", "EV01").value.state == "finalised"


def test_import_finalise_leaves_an_evaluation_open_while_its_visit_log_lacks_something(visit_program, tmp_path):
    st = visit_program
    f = tmp_path / "v.xlsx"
    st.excel.export_template("scores", f)
    rep = st.excel.import_scores(f, finalise=True).value
    assert rep.finalised == () and [(o.application_id, o.missing) for o in rep.not_finalised] == [
        ("V-1", ("visited_at", "attendees", "checklist.met"))]
    st.scoring.save_visit("V-1", "EV01", visited_at=datetime(2012, 4, 20, 10), attendees="대표 외 2명",
                          checklist={"met": True})
    rep = st.excel.import_scores(f, finalise=True).value
    assert rep.finalised == (("V-1", "EV01"),) and rep.not_finalised == ()
