"""The social-housing demo (``evaluator demo --program social-housing``): 30 fictional operators of the
remodelling call, some failing each gate, both caps, every period, scored at once so the ranking shows
the computed amounts; the same database every time; the Community Building demo unchanged beside it."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from evaluator.cli import main
from evaluator.demo_housing import CAP_RAISED_ON, build_social_housing_demo, operators
from evaluator.store import Store

from .test_demo import canonical_dump

#: the demo database is dumped with the plain sqlite3 driver (canonical_dump), so the module is
#: skipped by make test-encrypted
pytestmark = pytest.mark.plain_sqlite

_AS_MADE: dict = {}  # the demo database's canonical dump as the command made it (ranking then records decisions)


@pytest.fixture(scope="module")
def housing(tmp_path_factory):
    path = tmp_path_factory.mktemp("housing") / "office.sqlite3"
    assert main(["demo", "--program", "social-housing", "--db", str(path)]) == 0
    _AS_MADE[path] = canonical_dump(path)
    return path


def _ranking(path):
    with Store(f"sqlite:///{path}") as st:
        return st.ranking.current().value


def test_the_demo_ranks_at_once_with_computed_amounts_under_the_threshold_budget(housing):
    result = _ranking(housing)
    assert result.program == "seoul-remodel-2017" and result.round == "2"
    t = result.track("remodel")
    assert len(t.rows) == 30 and t.selection == "threshold-budget" and t.fill
    ineligible = [r for r in t.rows if r.computed_decision == "ineligible"]
    # some fail each gate of the call
    assert {g for r in ineligible for g in r.failed_gates} == {"operator", "building_age", "consent", "period", "rent"}
    assert {r.application_id: r.failed_gates[0] for r in ineligible} == {
        o.id: o.fails for o in operators() if o.fails}
    eligible = [r for r in t.rows if r.eligible]
    assert len(eligible) == 22 and all(r.support is not None for r in eligible)
    assert {int(r.support.basis_value) for r in eligible} == {6, 7, 8, 9, 10}
    assert {r.support.rate_percent for r in eligible} == {60.0, 70.0, 80.0}
    # submissions before and after the raise: both caps in force, and each of rate, cap and request decides some
    assert {r.support.cap for r in eligible} == {150_000_000, 200_000_000}
    assert all((r.support.cap == 200_000_000) == (date.fromisoformat(r.submitted_on) >= CAP_RAISED_ON)
               for r in eligible)
    assert {r.support.limited_by for r in eligible} == {"rate", "cap", "requested"}
    assert any(r.support.computed > r.support.cap for r in eligible)  # costs above the caps
    # the budget draws on the computed amounts and is never exceeded
    selected = [r for r in t.rows if r.computed_decision == "selected"]
    assert selected and t.budget_used == sum(r.support.awarded for r in selected) <= t.budget
    assert t.reserve == 0
    assert any(p[0] == "support_skipped" for r in t.rows for p in r.structured_reason)


def test_the_demo_people_and_places_are_fictional(housing):
    with Store(f"sqlite:///{housing}") as st:
        for r in st.applications.list():
            a = st.applications.get(r.id)
            assert re.fullmatch(r"010-0\d{3}-\d{4}", a.phone), a.phone
            assert a.email.endswith("@example.org")
            assert re.search(r"(가상로|예시길|샘플로|보기길|연습로)\d+길", a.address), a.address
        assert all(e.email.endswith("@example.org") for e in st.people.evaluators())
        assert st.verify_audit().ok


@pytest.mark.plain_sqlite
def test_the_demo_is_the_same_every_time_and_the_command_line_shows_the_amounts(housing, tmp_path, capsys):
    other = tmp_path / "again.sqlite3"
    with Store(f"sqlite:///{other}") as st:
        build_social_housing_demo(st)
    assert canonical_dump(other) == _AS_MADE[housing]
    capsys.readouterr()
    assert main(["rank", "--json", "--db", str(housing)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["tracks"][0]["selection"] == "threshold-budget" and doc["tracks"][0]["fill"] is True
    assert all("support" in a for a in doc["applications"] if a["eligible"])
    assert main(["rank", "--db", str(housing)]) == 0
    out = capsys.readouterr().out
    assert "selection threshold-budget with fill" in out and "cut line: budget 600,000,000 won" in out


def test_an_unknown_demo_is_refused_before_anything_is_made(tmp_path, capsys):
    path = tmp_path / "none.sqlite3"
    assert main(["demo", "--program", "housing", "--db", str(path)]) == 2
    assert "community-building (the default) or social-housing" in capsys.readouterr().err
    assert not path.exists()
