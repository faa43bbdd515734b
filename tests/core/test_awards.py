"""Awards (docs/follow-up.md): made by a round's sign-off for each selected application, adjusted
with a reason, moved through their statuses (audited), a reserve stepping in for a withdrawn
group, tranches never above the award, the settlement and the support log — on real SQLite files
and on PostgreSQL."""

from __future__ import annotations

import json
import sqlite3

import pytest

from evaluator.cli import main
from evaluator.errors import NotFound, ValidationError
from evaluator.store import Store

from .awards_fixtures import OFFICE_PASS, office, signed_off, signed_off_template  # noqa: F401 - fixtures
from .packages_fixtures import enter_scores
from .program_fixtures import EXAMPLE_EVALUATORS, EXAMPLE_INTAKE, calls


def _rows(path, sql: str) -> list[tuple]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _state(path) -> list[list[tuple]]:
    """Every row a refused change must leave as it was."""
    return [_rows(path, f"SELECT * FROM {t} ORDER BY id") for t in
            ("award", "disbursement", "support_entry", "decision", "audit_event")]


def test_the_sign_off_awards_each_selected_application_its_requested_amount(office):
    awards = office.awards.list()
    selected = [r for r in office.ranking.rank(round="1").all_rows() if r.decision == "selected"]
    assert len(awards) == 19 == len(selected)
    assert {a.application_id for a in awards} == {r.application_id for r in selected}
    for a in awards:
        app = office.applications.get(a.application_id)
        assert (a.amount, a.status, a.disbursed, a.balance) == (app.requested_amount, "agreed", 0, app.requested_amount)
    assert office.verify_audit().ok


@pytest.mark.plain_sqlite
def test_an_award_is_adjusted_only_with_a_reason_and_each_change_is_audited(office, signed_off):
    app = office.awards.list()[0].application_id
    before = _state(signed_off[0])
    with pytest.raises(ValidationError, match="needs its reason"):
        office.awards.set(app, amount=3_000_000, reason="  ")
    with pytest.raises(ValidationError, match="ends .* before it starts"):
        office.awards.set(app, starts_on="2012-07-01", ends_on="2012-06-01", reason="기간")
    assert _state(signed_off[0]) == before
    done = office.awards.set(app, amount=3_500_000, agreed_on="2012-06-20", starts_on="2012-07-01",
                             ends_on="2012-12-31", reason="예산 조정")
    assert "awards" in done.changes and done.value.amount == 3_500_000 and str(done.value.ends_on) == "2012-12-31"
    entry = _rows(signed_off[0], "SELECT action, old, new, reason FROM audit_event WHERE action = 'award_terms'")
    (action, old, new, reason), = entry
    assert reason == "예산 조정" and json.loads(new)["amount"] == 3_500_000 and json.loads(old)["amount"] != 3_500_000


def test_statuses_move_forward_with_reasons_and_final_ones_stay(office):
    app = office.awards.list()[1].application_id
    assert office.awards.set_status(app, "in progress", reason="협약 체결 후 착수").value[0].status == "in_progress"
    assert office.awards.set_status(app, "completed", reason="결과 보고 완료").value[0].status == "completed"
    with pytest.raises(ValidationError, match="is completed and cannot become agreed"):
        office.awards.set_status(app, "agreed", reason="x")
    office.awards.set_status(app, "cancelled", reason="부정 사용")
    with pytest.raises(ValidationError, match="that status is final"):
        office.awards.set_status(app, "in_progress", reason="x")
    with pytest.raises(ValidationError, match="not an award status"):
        office.awards.set_status(app, "paused", reason="x")
    not_selected = next(r.application_id for r in office.ranking.rank(round="1").all_rows()
                        if r.decision == "not_selected")
    with pytest.raises(NotFound, match=f"Application {not_selected} has no award"):
        office.awards.get(not_selected)


def test_a_reserve_steps_in_for_a_withdrawn_group_and_its_decision_says_so(office):
    ranking = office.ranking.rank(round="1")
    track = ranking.tracks[0]
    first_reserve = min((r for r in track.rows if r.decision == "reserve"), key=lambda r: r.rank)
    gone = next(r.application_id for r in track.rows if r.decision == "selected")
    out = office.awards.set_status(gone, "withdrawn", reason="대표자 이사", step_in=True)
    left, came = out.value
    assert left.status == "withdrawn" and came.application_id == first_reserve.application_id
    assert came.stepped_in_for == gone and came.amount == office.applications.get(came.application_id).requested_amount
    row = next(r for r in office.ranking.rank(round="1").all_rows() if r.application_id == came.application_id)
    assert row.decision == "selected" and row.override == "selected"
    assert f"reserve stepping in for {gone}" in row.override_reason and "대표자 이사" in row.override_reason
    assert len(office.awards.list()) == 20
    assert office.verify_audit().ok  # the override is replayed from the chain like any other
    with pytest.raises(ValidationError, match="steps in only when an award is withdrawn or cancelled"):
        office.awards.set_status(came.application_id, "in progress", reason="x", step_in=True)


def test_a_withdrawn_award_gives_back_to_the_budget_what_was_not_paid_out(office):
    """What a signed-off round awarded (drawn from the track's budget before the next round) counts a
    withdrawn or cancelled award only for what was paid out of it and not returned: the reserve
    stepping in draws its own award, not a second one on top of the withdrawn group's."""
    def awarded(track: str) -> int:
        return next(t.awarded for t in office.rounds.get("1").tracks if t.track == track)

    track = office.ranking.rank(round="1").tracks[0]
    before = awarded(track.track)
    assert before == sum(a.amount for a in office.awards.list() if a.track == track.track)
    gone, paid_first = [r.application_id for r in track.rows if r.decision == "selected"][:2]
    left, came = office.awards.set_status(gone, "withdrawn", reason="대표자 이사", step_in=True).value
    assert awarded(track.track) == before - left.amount + came.amount
    # a group paid a first tranche, then cancelled, returning part of it: what it kept is spent
    first = office.awards.get(paid_first)
    office.awards.disburse(paid_first, 1_000_000, paid_on="2012-07-01", note="1차 교부")
    office.awards.set_status(paid_first, "cancelled", reason="사업 중단")
    office.awards.settle(paid_first, "checked", returned_amount=400_000, note="미사용분 반납")
    assert awarded(track.track) == before - left.amount + came.amount - first.amount + 600_000


def test_a_decision_is_not_taken_from_an_application_whose_award_still_runs(office):
    """After the sign-off, overriding an awarded application to anything but selected (or clearing
    the override that selected a reserve stepping in) would leave its award, tranches and visits
    running for an application the decisions say was not selected: refused until the award is
    withdrawn or cancelled, with its own reason."""
    from evaluator.messages import using

    track = office.ranking.rank(round="1").tracks[0]
    awarded = next(r.application_id for r in track.rows if r.decision == "selected")
    amount = office.awards.get(awarded).amount
    before = office.ranking.overrides()
    with pytest.raises(ValidationError) as caught:
        office.ranking.override(awarded, "not_selected", "위원회 재심의")
    assert caught.value.message == (
        f"Application {awarded} holds a running award (agreed, {amount:,} won): withdraw or cancel the award first, "
        f"with its reason (evaluator awards status {awarded} withdrawn --reason …), then change the decision. "
        "Nothing was changed.")
    with using("ko"):
        assert caught.value.message.startswith(f"신청 {awarded}에는 진행 중인 지원 결정(협약, {amount:,}원)이 있습니다.")
    assert office.ranking.overrides() == before
    # the reserve that stepped in keeps its selection while its award runs
    left, came = office.awards.set_status(awarded, "withdrawn", reason="대표자 이사", step_in=True).value
    with pytest.raises(ValidationError, match=f"Application {came.application_id} holds a running award"):
        office.ranking.clear_override(came.application_id, "실수로 승계")
    # the withdrawn one may now be decided otherwise; selecting stays allowed whatever the award
    office.ranking.override(awarded, "not_selected", "협약 포기로 미선정 처리")
    office.ranking.override(came.application_id, "selected", "승계 확인")
    decided = {r.application_id: r.decision for r in office.ranking.rank(round="1").all_rows()}
    assert decided[awarded] == "not_selected" and decided[came.application_id] == "selected"


@pytest.mark.plain_sqlite
def test_a_tranche_beyond_the_balance_is_refused_and_nothing_is_written(office, signed_off):
    a = office.awards.list()[2]
    office.awards.set(a.application_id, agreed_on="2012-06-20", reason="협약")
    first = office.awards.disburse(a.application_id, a.amount - 1_000_000, paid_on="2012-07-01", note="1차분").value
    assert (first.tranche, first.amount) == (1, a.amount - 1_000_000)
    before = _state(signed_off[0])
    with pytest.raises(ValidationError) as err:
        office.awards.disburse(a.application_id, 1_500_000, paid_on="2012-09-01")
    assert str(err.value) == (f"Tranche 2 of 1,500,000 won for application {a.application_id} would exceed its award: "
                              f"{a.amount:,} won awarded, {a.amount - 1_000_000:,} won disbursed, balance 1,000,000 "
                              "won. Nothing was recorded.")
    with pytest.raises(ValidationError, match="before the agreement"):
        office.awards.disburse(a.application_id, 500_000, paid_on="2012-06-01")
    with pytest.raises(ValidationError, match="already disbursed"):
        office.awards.set(a.application_id, amount=1_000, reason="삭감")
    assert _state(signed_off[0]) == before
    office.awards.disburse(a.application_id, 1_000_000, paid_on="2012-09-01", note="잔금")
    info = office.awards.get(a.application_id)
    assert (info.disbursed, info.balance, [d.tranche for d in info.disbursements]) == (a.amount, 0, [1, 2])
    with pytest.raises(ValidationError, match="between 0 and what was disbursed"):
        office.awards.settle(a.application_id, "checked", returned_amount=a.amount + 1)
    assert office.awards.settle(a.application_id, "checked", returned_amount=120_000).value.returned_amount == 120_000


def test_the_support_log_records_training_consulting_and_counselling(office):
    a, b = (x.application_id for x in office.awards.list()[:2])
    office.awards.add_support(a, held_on="2012-07-10", kind="training", topic="회계 교육", given_by="마을지원센터",
                              attendees=12)
    office.awards.add_support(a, held_on="2012-08-02", kind="consulting", topic="공간 운영 컨설팅")
    office.awards.add_support(b, held_on="2012-07-15", kind="counselling", topic="갈등 상담", attendees=4)
    with pytest.raises(ValidationError, match="not a kind of support session"):
        office.awards.add_support(a, held_on="2012-07-10", kind="party", topic="x")
    assert [(e.kind, e.topic) for e in office.awards.support_log(a)] == [("training", "회계 교육"),
                                                                         ("consulting", "공간 운영 컨설팅")]
    assert office.awards.get(a).support_sessions == 2 and len(office.awards.support_log()) == 3


def test_the_command_line_lists_adjusts_and_refuses(signed_off, capsys):
    db = ["--db", f"sqlite:///{signed_off[0]}"]
    assert main(["awards", *db, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["schema"]["name"] == "awards" and len(doc["items"]) == 19
    app = doc["items"][0]["application_id"]
    assert main(["awards", "set", app, "--amount", "3,000,000원", "--reason", "조정", *db]) == 0
    assert capsys.readouterr().out.strip() == f"The award of {app} is 3,000,000 won."  # no dates yet: no dashes
    assert main(["awards", "set", app, "--agreed", "2012-06-20", "--reason", "협약", *db]) == 0
    assert capsys.readouterr().out.strip() == f"The award of {app} is 3,000,000 won (agreed 2012-06-20, project — to —)."
    assert main(["awards", "status", app, "in progress", "--reason", "착수", *db]) == 0
    capsys.readouterr()
    assert main(["awards", "disburse", app, "2,000,000", "--date", "2012-07-01", *db]) == 0
    assert "balance 1,000,000 won" in capsys.readouterr().out
    assert main(["awards", "disburse", app, "1,000,001", "--date", "2012-08-01", *db]) == 2
    assert "would exceed its award" in capsys.readouterr().err
    assert main(["awards", "support", app, "--date", "2012-07-03", "--kind", "training", "--topic", "회계", *db]) == 0
    capsys.readouterr()
    assert main(["awards", "show", app, *db, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert (shown["amount"], shown["disbursed"], shown["support_sessions"]) == (3_000_000, 2_000_000, 1)


def test_awards_on_both_engines(any_db_url, tmp_path):
    """A rolling program's round signed off on SQLite and PostgreSQL: each selected application
    awarded, a withdrawal with a reserve stepping in, a tranche refused over the balance."""
    keys = tmp_path / "keys"
    with Store(any_db_url) as st:
        st.programs.create_from_file(calls(tmp_path) / "programs" / "seoul-cbp-2013-rolling.toml")
        st.excel.import_applications(EXAMPLE_INTAKE)
        st.excel.import_evaluators(EXAMPLE_EVALUATORS)
        st.people.auto_assign(3)
        for ev in ("EV01", "EV02", "EV03"):
            enter_scores(st, ev, via_facade=0)
        st.keys.ensure(OFFICE_PASS, key_dir=keys)
        st.rounds.sign_off("2", by="위원장", key_dir=keys)
        selected = [r for r in st.ranking.rank(round="2").all_rows() if r.decision == "selected"]
        awards = st.awards.list()
        assert {a.application_id for a in awards} == {r.application_id for r in selected} and awards
        a = awards[0]
        with pytest.raises(ValidationError, match="would exceed its award"):
            st.awards.disburse(a.application_id, a.amount + 1, paid_on="2013-07-01")
        assert st.awards.get(a.application_id).disbursed == 0
        assert st.verify_audit().ok
