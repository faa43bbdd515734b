"""Eligibility gates and support amounts stated in the program file (docs/rules.md).

The remodelling social-housing call (resources/programs/seoul-remodel-social-housing-2017.toml) taken from an
empty database to its ranked list: fourteen fictional operators (tests/core/rules_fixtures.py), each
gate failing once, each rate band, both caps, an amount limited by the requested one, and the
round's budget running out — checked exactly against the hand-computed table, on SQLite and on
PostgreSQL; the program file's bad rules all reported at once with file and key; the amount formula
checked by property tests.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from evaluator.cli import main
from evaluator.errors import ProgramFileError
from evaluator.programfile import load_program_file, parse_program
from evaluator.ranking import frozen
from evaluator.ranking.engine import rank_track
from evaluator.ranking.reasons import as_json, from_json, to_json, words
from evaluator.rules import compute_amount, whole_years
from evaluator.store import Store

from .program_fixtures import EXAMPLE_EVALUATORS, calls
from .ranking_fixtures import app, total, track
from .rules_fixtures import HEADER, INTAKE, OPERATORS, PROGRAM, intake_row

BY_ID = {o.id: o for o in OPERATORS}


def _rules():
    return load_program_file(PROGRAM).rules


def _values(o, **change):
    v = {"operator_type": o.operator_type, "remodel_experience": {"예": True, "아니오": False}.get(o.experience or ""),
         "approved_on": o.approved_on.isoformat(), "consent_doc": o.consent, "project_years": o.years,
         "remodel_cost": o.cost, "proposed_rent": o.proposed_rent, "market_rent": o.market_rent,
         "requested_amount": o.requested, "submitted_on": o.submitted}
    v.update(change)
    return v


# --- the rules, application by application ---------------------------------------------------------------
@pytest.mark.parametrize("o", OPERATORS, ids=lambda o: o.id)
def test_each_operator_passes_or_fails_the_gate_the_table_says_with_the_amount_worked_out_by_hand(o):
    rules = _rules()
    failed, _why = rules.check(_values(o), "remodel", "2")
    assert failed == ((o.fails,) if o.fails else ())
    amount, _ = rules.amount(_values(o), "remodel", "2")
    if o.fails is None:
        assert (amount.awarded, amount.rate_percent, amount.cap, amount.limited_by) == (
            o.awarded, o.rate * 100, o.cap, o.limited_by)
        assert amount.awarded <= min(o.requested, o.cap)


def test_a_failed_gate_is_explained_with_its_values_in_korean_and_english():
    rules = _rules()
    _, why = rules.check(_values(BY_ID["2017-2-R-09"]), "remodel")
    en, ko = words(why)
    assert ko == "사용승인 2005-03-02: 접수일 기준 12년, 15년 이상 필요(building_age)"
    assert en == "building approval 2005-03-02: 12 years at the submission date, at least 15 years required " \
                 "(rule building_age)"
    _, why = rules.check(_values(BY_ID["2017-2-R-12"]), "remodel")
    assert words(why)[1] == "제안 임대료 340,000원 ÷ 주변 시세 400,000원 = 0.85: 0.8 이하 필요(rent)"
    _, why = rules.check(_values(BY_ID["2017-2-R-07"]), "remodel")
    en, ko = words(why)
    # an 'any' gate: none of its alternatives met, each with why (the small business lacks experience)
    assert ko.startswith("'참여 자격 사업자' 중 충족한 기준 없음(operator): 사업자 유형 '중소기업': ")
    assert ko.endswith("리모델링 실적: '예'여야 함(has_experience)")
    assert "is_sme" not in en  # it is a small business: that part of the 'all' passed
    # the structured form round-trips (what the Decision table stores)
    assert from_json(to_json(why)) == why
    assert as_json(why)[0]["code"] == "rule_none_of"


def test_a_field_a_rule_needs_is_never_passed_silently():
    rules = _rules()
    o = BY_ID["2017-2-R-02"]
    for key, label in (("approved_on", "사용승인"), ("project_years", "사업기간"), ("remodel_cost", "리모델링 공사비"),
                       ("operator_type", "사업자 유형")):
        failed, why = rules.check(_values(o, **{key: None}), "remodel")
        assert failed, key
        assert f"{label} 미기재" in words(why)[1], key
    # the age counts whole years: the day before the anniversary is still the year before
    assert whole_years(date(2002, 8, 8), date(2017, 8, 7)) == 14
    assert whole_years(date(2002, 8, 8), date(2017, 8, 8)) == 15
    failed, _ = rules.check(_values(o, approved_on="2002-08-08", submitted_on=date(2017, 8, 7)), "remodel")
    assert failed == ("building_age",)
    failed, _ = rules.check(_values(o, approved_on="2002-08-08", submitted_on=date(2017, 8, 8)), "remodel")
    assert failed == ()


def test_the_cap_in_force_is_the_one_of_the_submission_date_and_a_rounds_own_cap_wins():
    rules = _rules()
    o = BY_ID["2017-2-R-01"]  # 300,000,000 × 80 % = 240,000,000, requested 240,000,000
    before, _ = rules.amount(_values(o, submitted_on=date(2017, 8, 7)), "remodel")
    on, _ = rules.amount(_values(o, submitted_on=date(2017, 8, 8)), "remodel")
    assert (before.awarded, before.cap, before.cap_from) == (150_000_000, 150_000_000, "")
    assert (on.awarded, on.cap, on.cap_from) == (200_000_000, 200_000_000, "2017-08-08")
    text = PROGRAM.read_text(encoding="utf-8").replace(
        "[[support.caps]]\nfrom = 2017-08-08", "[[support.caps]]\nround = \"3\"\ncap = 180_000_000\n\n"
        "[[support.caps]]\nfrom = 2017-08-08")
    p = parse_program(text, source_name=PROGRAM.name, base_dir=PROGRAM.parent)
    in3, _ = p.rules.amount(_values(o, submitted_on=date(2017, 10, 2)), "remodel", "3")
    assert (in3.awarded, in3.cap_round, in3.limited_by) == (180_000_000, "3", "cap")


# --- bad rules: every problem at once, with file and key; nothing written ---------------------------------------
BROKEN = {
    'field = "approved_on"\nreference': ('field = "built_on"\nreference', "gates[5].field", "unknown_field"),
    'rate_by = "project_years"': ('rate_by = "consent_doc"', "support.rate_by", "type_mismatch"),
    "from = 8\nto = 9": ("from = 7\nto = 9", "support.rates[1].from", "band_overlap"),
    "from = 10\nto = 10": ("from = 11\nto = 11", "support.rates[2].from", "band_gap"),
    "from = 2017-08-08": ("from = 2016-08-08\ncap = 1\n[[support.caps]]\nfrom = 2015-01-01",
                          "support.caps[2].from", "caps_out_of_order"),
    'gates = ["is_sme", "has_experience"]': ('gates = ["is_sme", "operator"]', "gates[2].gates", "gate_cycle"),
    'test = "present"': ('test = "exists"', "gates[6].test", "not_one_of"),
    'values = ["중소기업"]': ('values = ["대기업"]', "gates[3].values", "unknown_value"),
    "max = 0.8": ("max = 0.8\nvalues = [\"x\"]", "gates[8].values", "not_allowed"),
}


def test_bad_rules_are_all_reported_at_once_with_file_and_key(tmp_path, capsys):
    text = PROGRAM.read_text(encoding="utf-8")
    for old, (new, _key, _code) in BROKEN.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    folder = calls(tmp_path)
    path = folder / "programs" / "broken.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProgramFileError) as err:
        load_program_file(path)
    found = {(p.field, p.code) for p in err.value.problems}
    for _old, (_new, key, code) in BROKEN.items():
        assert (key, f"program.{code}") in found, (key, code, sorted(found))
    assert all(p.file == "broken.toml" for p in err.value.problems)
    assert any("gates[2] (sme_with_experience).gates" in p.where for p in err.value.problems)
    # program create refuses and writes nothing
    db = tmp_path / "office.sqlite3"
    assert main(["init", "--db", str(db)]) == 0
    capsys.readouterr()
    assert main(["program", "create", str(path), "--db", str(db)]) != 0
    out = capsys.readouterr()
    assert "support.rates[1].from" in out.err + out.out
    with Store(f"sqlite:///{db}") as st_:
        assert st_.programs.list() == []


def test_a_rule_refers_only_to_what_the_program_has():
    text = PROGRAM.read_text(encoding="utf-8").replace('[support]\ncost = "remodel_cost"',
                                                       '[support]\ntracks = ["space"]\ncost = "remodel_cost"')
    with pytest.raises(ProgramFileError) as err:
        parse_program(text, source_name=PROGRAM.name, base_dir=PROGRAM.parent)
    assert [(p.field, p.code) for p in err.value.problems] == [("support.tracks", "program.unknown_track")]


# --- the amount formula --------------------------------------------------------------------------------------
@settings(max_examples=300, deadline=None)
@given(cost=st.integers(0, 10**10), years=st.integers(6, 9), requested=st.integers(0, 10**10),
       day=st.dates(date(2017, 1, 1), date(2017, 12, 31)))
def test_the_amount_never_exceeds_the_cap_or_the_request_and_grows_with_the_period(cost, years, requested, day):
    rules = _rules()
    o = BY_ID["2017-2-R-02"]
    a, _ = rules.amount(_values(o, remodel_cost=cost, project_years=years, requested_amount=requested,
                                submitted_on=day), "remodel")
    b, _ = rules.amount(_values(o, remodel_cost=cost, project_years=years + 1, requested_amount=requested,
                                submitted_on=day), "remodel")
    cap = 200_000_000 if day >= date(2017, 8, 8) else 150_000_000
    assert a.awarded <= min(requested, cap) and b.awarded <= min(requested, cap)
    assert a.awarded <= b.awarded  # a longer period never gets less
    assert a.awarded == compute_amount(cost, Fraction(str(a.rate_percent / 100)), cap, requested, round_to=1000)
    assert a.computed % 1000 == 0 and a.computed <= cost * a.rate_percent / 100


@settings(max_examples=200, deadline=None)
@given(amounts=st.lists(st.integers(1, 300) , min_size=1, max_size=12), budget=st.integers(0, 1500),
       quota=st.integers(1, 12), model=st.sampled_from([("quota", False), ("threshold-budget", False),
                                                          ("threshold-budget", True)]),
       scores=st.lists(st.integers(40, 100), min_size=12, max_size=12))
def test_the_selected_computed_amounts_never_exceed_the_budget(amounts, budget, quota, model, scores):
    from evaluator.ranking.scoring import rscore, walk_selected
    from evaluator.rules import SupportAmount

    apps = [app(f"A{i:02d}", total("E1", scores[i]), total("E2", scores[i]), total("E3", scores[i]),
                requested=10**9) for i in range(len(amounts))]
    support = {f"A{i:02d}": SupportAmount(awarded=x * 1_000_000, requested=10**9, cost=x * 2_000_000, rate_percent=50.0,
                                          basis_value=8.0, band="8–9", computed=x * 1_000_000, cap=None)
               for i, x in enumerate(amounts)}
    selection, fill = model
    ranking = rank_track(track(*apps, quota=quota, budget=budget * 1_000_000, gates=(), support=support,
                               budget_draws_support=True, min_score=60, selection=selection, fill=fill))
    chosen = [r for r in ranking.rows if r.computed_decision == "selected"]
    assert sum(r.support.awarded for r in chosen) == ranking.budget_used <= budget * 1_000_000
    assert all(r.score >= 60 for r in chosen)
    ranked = [r for r in ranking.rows if r.rank is not None]
    if selection == "quota":
        assert len(chosen) <= quota
    else:  # no quota, no reserves: every one at or above the minimum while the budget covers it
        assert not any(r.computed_decision == "reserve" for r in ranking.rows)
        left = budget * 1_000_000
        for r in ranked:
            if r.score < 60:
                break
            if r.support.awarded <= left:
                left -= r.support.awarded
                assert r.computed_decision == "selected", r.reason
            else:
                assert r.computed_decision == "not_selected", r.reason
                if not fill:  # nothing below the first that does not fit
                    assert not any(x.computed_decision == "selected" for x in ranked[ranked.index(r):])
                    break
    # the stability analysis walks the same rule without the reasons
    walked = walk_selected(range(len(ranked)), lambda j: -rscore(ranked[j].score),
                           [r.support.awarded for r in ranked], quota if selection == "quota" else len(ranked),
                           rscore(60), budget * 1_000_000, fill or selection == "quota")
    assert [ranked[j].application_id for j in walked] == [r.application_id for r in chosen]
    # the requested amounts (far above every budget) are never what the budget drew on
    assert all(r.requested_amount == 10**9 for r in chosen)


# --- from an empty database to the ranked list ---------------------------------------------------------------
def _score(store: Store) -> None:
    """Every evaluator gives every criterion of an application the level the table says."""
    from evaluator.services import scoring
    from evaluator.services.common import application_by_id, current_program, evaluator_by_code, rubric_def

    with store.uow.write() as s:
        program = current_program(s)
        for a in store.people.assignments():
            application = application_by_id(s, a.application_id, program)
            ev = evaluator_by_code(s, a.evaluator)
            for c in rubric_def(application.track).criteria:
                scoring.save_score(s, application, ev, c.code, level=BY_ID[a.application_id].level, actor="t",
                                   device="d")
            scoring.finalise(s, application, ev, actor="t", device="d")


def _ranked(url: str, program: Path = PROGRAM):
    with Store(url) as store:
        store.programs.create_from_file(program)
        report = store.excel.import_applications(INTAKE).value
        assert len(report.added) == len(OPERATORS) and report.rounds == {"2": len(OPERATORS)}
        store.excel.import_evaluators(EXAMPLE_EVALUATORS)
        store.people.auto_assign(3)
        _score(store)
        result = store.ranking.record(round="2").value
        return result


EXPECTED_ORDER = ["2017-2-R-04", "2017-2-R-01", "2017-2-R-02", "2017-2-R-14", "2017-2-R-05", "2017-2-R-03",
                  "2017-2-R-06"]


def _check_round_2(result) -> None:
    t = result.track("remodel")
    rows = {r.application_id: r for r in t.rows}
    assert [r.application_id for r in t.rows if r.rank is not None] == EXPECTED_ORDER
    for o in OPERATORS:
        r = rows[o.id]
        if o.fails:
            assert (r.computed_decision, r.eligible, r.failed_gates, r.support) == ("ineligible", False, (o.fails,),
                                                                                   None)
        else:
            assert (r.support.awarded, r.support.cap, r.support.limited_by) == (o.awarded, o.cap, o.limited_by)
    # threshold-budget with fill: the budget (600,000,000) draws on the computed amounts: 150 + 200 + 126
    # million, then R-14's 168 million does not fit the 124 million left and is skipped; R-05's 120 million
    # still fits; R-03 and R-06 (74 and 100 million) do not fit the 4 million left.  No reserves.
    assert [r.application_id for r in t.rows if r.computed_decision == "selected"] == [
        "2017-2-R-04", "2017-2-R-01", "2017-2-R-02", "2017-2-R-05"]
    assert t.budget_used == 150_000_000 + 200_000_000 + 126_000_000 + 120_000_000
    assert rows["2017-2-R-14"].computed_decision == "not_selected" and t.reserve == 0
    assert rows["2017-2-R-14"].reason_ko.startswith(
        "7건 중 4위; 80.0점; 최저 점수 60점 이상; 지원금 168,000,000원이 남은 예산 124,000,000원 초과; ")
    assert "support 74,074,000 won exceeds the remaining budget 4,000,000 won" in rows["2017-2-R-03"].reason
    assert rows["2017-2-R-09"].reason_ko == "부적격: 사용승인 2005-03-02: 접수일 기준 12년, 15년 이상 필요(building_age)"
    assert rows["2017-2-R-13"].reason_ko == "부적격: 주변 시세 미기재(rent)"
    assert ("지원금 150,000,000원: 리모델링 공사비 260,000,000원 × 70%(사업기간 9) = 182,000,000원, "
            "한도 150,000,000원 적용") in rows["2017-2-R-04"].reason_ko
    assert "cap 200,000,000 won (from 2017-08-08) applied" in rows["2017-2-R-01"].reason
    assert any("computed support amount" in n for n in t.notes)


#: the same table under each selection model: (the file's selection lines, selected, used, each
#: not-selected eligible application's budget phrase code)
SELECTION_TABLE = {
    # with fill (the shipped file): R-14 does not fit, R-05 below it still does
    "threshold-fill": ('selection = "threshold-budget"\nfill = true',
                       ["2017-2-R-04", "2017-2-R-01", "2017-2-R-02", "2017-2-R-05"], 596_000_000,
                       {"2017-2-R-14": "support_skipped", "2017-2-R-03": "support_skipped",
                        "2017-2-R-06": "support_skipped"}),
    # without fill: selection stops at R-14 (rank 4), the first the budget does not cover
    "threshold": ('selection = "threshold-budget"',
                  ["2017-2-R-04", "2017-2-R-01", "2017-2-R-02"], 476_000_000,
                  {"2017-2-R-14": "support_skipped", "2017-2-R-05": "selection_stopped",
                   "2017-2-R-03": "selection_stopped", "2017-2-R-06": "selection_stopped"}),
    # the quota model (round 2's quota 4, no reserve list): R-14 skipped, R-05 fills the quota
    "quota": ("", ["2017-2-R-04", "2017-2-R-01", "2017-2-R-02", "2017-2-R-05"], 596_000_000,
              {"2017-2-R-14": "support_skipped", "2017-2-R-03": "reserves_filled", "2017-2-R-06": "reserves_filled"}),
}


@pytest.mark.parametrize("model", SELECTION_TABLE)
def test_each_selection_model_selects_what_the_hand_computed_table_says(model, tmp_path):
    lines, selected, used, why = SELECTION_TABLE[model]
    text = PROGRAM.read_text(encoding="utf-8")
    shipped = 'selection = "threshold-budget"\nfill = true'
    assert text.count(shipped) == 1
    path = calls(tmp_path) / "programs" / "variant.toml"
    path.write_text(text.replace(shipped, lines), encoding="utf-8")
    t = _ranked(f"sqlite:///{tmp_path / 'office.sqlite3'}", path).track("remodel")
    assert [r.application_id for r in t.rows if r.computed_decision == "selected"] == selected
    assert t.budget_used == used == sum(r.support.awarded for r in t.rows if r.computed_decision == "selected")
    rows = {r.application_id: r for r in t.rows}
    assert {i: next(p[0] for p in rows[i].structured_reason if p[0] in ("support_skipped", "selection_stopped",
                                                                        "reserves_filled"))
            for i in why} == why
    assert all(rows[i].computed_decision == "not_selected" for i in why)
    if model == "threshold":
        assert rows["2017-2-R-05"].reason_ko.startswith(
            "7건 중 5위; 80.0점; 최저 점수 60점 이상; 4위 신청이 남은 예산 124,000,000원을 넘어 선정 종료; ")
        assert ("selection stopped at rank 4, which the remaining budget 124,000,000 won did not cover"
                in rows["2017-2-R-06"].reason)
        assert any("selection stops at the first one that does not fit" in n for n in t.notes)


def test_a_bad_selection_is_reported_with_file_and_key():
    text = PROGRAM.read_text(encoding="utf-8")
    bad = text.replace('selection = "threshold-budget"\nfill = true', 'selection = "first-come"')
    bad += ('\n[[tracks]]\ncode = "small"\nname_ko = "소규모"\nrubric = "../rubrics/remodel-housing.toml"\n'
            'quota = 2\nfill = true\n\n[[tracks]]\ncode = "nobudget"\nname_ko = "예산 없음"\n'
            'rubric = "../rubrics/remodel-housing.toml"\nquota = 2\nselection = "threshold-budget"\n')
    with pytest.raises(ProgramFileError) as err:
        parse_program(bad, source_name=PROGRAM.name, base_dir=PROGRAM.parent)
    found = {(p.field, p.code) for p in err.value.problems}
    assert {("tracks[0].selection", "program.not_one_of"), ("tracks[1].fill", "program.fill_without_threshold"),
            ("tracks[2].selection", "program.threshold_needs_budget")} <= found, sorted(found)
    assert all(p.file == PROGRAM.name for p in err.value.problems)
    assert any(p.where.endswith("tracks[2] (nobudget).selection") for p in err.value.problems)
    # a budget in every round is enough for threshold-budget
    text = text.replace("budget = 1_800_000_000            # KRW", "# budget = … KRW")
    assert parse_program(text, source_name=PROGRAM.name, base_dir=PROGRAM.parent).rules.selection("remodel").fill


def test_the_remodelling_call_from_an_empty_database_to_its_ranked_list(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'office.sqlite3'}"
    result = _ranked(url)
    _check_round_2(result)
    # the decision of record keeps the structured reason: read back, ranked again, it is the same
    with Store(url) as store:
        again = store.ranking.current(round="2").value
        assert [(r.application_id, r.structured_reason) for r in again.all_rows()] == [
            (r.application_id, r.structured_reason) for r in result.all_rows()]
    # a signed-off round keeps its ranking as plain JSON: read back exactly, amounts and reasons included
    kept = frozen.from_json(json.loads(json.dumps(frozen.to_json(result), allow_nan=False)))
    assert kept == result and kept.track("remodel").rows[0].support == result.track("remodel").rows[0].support
    assert {r.application_id: r.reason_ko for r in kept.all_rows()} == {r.application_id: r.reason_ko
                                                                          for r in result.all_rows()}
    # the ranking JSON states each amount and how it was computed
    assert main(["rank", "--round", "2", "--json", "--db", str(tmp_path / "office.sqlite3")]) == 0
    doc = json.loads(capsys.readouterr().out)
    apps = {a["application_id"]: a for a in doc["applications"]}
    assert apps["2017-2-R-03"]["support"]["awarded"] == 74_074_000
    assert apps["2017-2-R-03"]["support"]["rate_percent"] == 60.0
    assert "support" not in apps["2017-2-R-09"] and apps["2017-2-R-09"]["failed_gates"] == ["building_age"]
    import jsonschema

    schema_dir = Path(__file__).resolve().parents[2] / "docs" / "schemas"
    schema = json.loads((schema_dir / "rank.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(doc, schema)  # the documented schema: support is there when the program computes it
    assert main(["eligibility", "--round", "2", "--json", "--db", str(tmp_path / "office.sqlite3")]) == 0
    listed = json.loads(capsys.readouterr().out)
    jsonschema.validate(listed, json.loads((schema_dir / "eligibility.schema.json").read_text(encoding="utf-8")))
    assert [(x["application_id"], x["failed_gates"], (x["support"] or {}).get("awarded")) for x in listed["items"]] == [
        (o.id, [o.fails] if o.fails else [], o.awarded) for o in sorted(OPERATORS, key=lambda o: o.id)]
    # the Excel ranking: the computed amount, the rate, the cap in force and the words
    out = tmp_path / "ranking.xlsx"
    assert main(["export", "ranking", str(out), "--round", "2", "--lang", "en",
                 "--db", str(tmp_path / "office.sqlite3")]) == 0
    ws = load_workbook(out)["remodel"]
    rows = list(ws.iter_rows(values_only=True))
    head = rows[0]
    by_id = {r[head.index("application_id")]: dict(zip(head, r)) for r in rows[1:]}
    r1 = by_id["2017-2-R-01"]
    assert (r1["awarded_amount"], r1["support_rate"], r1["support_cap"], r1["support_limited_by"]) == (
        200_000_000, 0.8, 200_000_000, "cap")
    assert r1["requested_amount"] == 240_000_000
    r9 = by_id["2017-2-R-09"]
    assert r9["awarded_amount"] is None and r9["failed_gates"] == "building_age"
    assert "12 years at the submission date, at least 15 years required" in r9["reason"]


@pytest.mark.postgres
def test_the_remodelling_call_ranks_the_same_on_postgresql(pg_url, tmp_path):
    on_pg = _ranked(pg_url)
    _check_round_2(on_pg)
    on_sqlite = _ranked(f"sqlite:///{tmp_path / 'office.sqlite3'}")
    assert [(r.application_id, r.structured_reason, r.support) for r in on_pg.all_rows()] == [
        (r.application_id, r.structured_reason, r.support) for r in on_sqlite.all_rows()]


def test_the_committed_intake_example_holds_the_table():
    ws = load_workbook(INTAKE)["접수현황"]
    rows = [list(r) for r in ws.iter_rows(min_row=3, values_only=True)]
    assert rows[0] == HEADER
    got = [[v.date() if isinstance(v, datetime) else v for v in r] for r in rows[1:]]
    assert got == [intake_row(o) for o in OPERATORS]


def test_a_program_without_rules_ranks_and_exports_as_before(demo_store, tmp_path, capsys):
    """The Community Building demo has no [[gates]] or [support]: no row has an amount, no reason a rule's
    phrase, and the Excel ranking has no support column (its rankings are byte for byte those of before)."""
    result = demo_store.ranking.current().value
    assert all(r.support is None for r in result.all_rows())
    assert not any(p[0].startswith(("rule_", "support")) for r in result.all_rows() for p in r.structured_reason)
    out = tmp_path / "ranking.xlsx"
    demo_store.excel.export_ranking(out, lang="en")
    head = [c.value for c in load_workbook(out)["activity"][1]]
    assert "awarded_amount" not in head and "support_basis" not in head
