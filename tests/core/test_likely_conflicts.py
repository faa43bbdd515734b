"""Dismissed likely conflicts of interest: the office's "not a conflict" is recorded (who, when,
why, what matched), audited, and the pairing is not listed again — by ``likely_conflicts`` nor by
the automatic assignment — unless a new kind of suspicion appears; a restore undoes it.  Real
SQLite files (and PostgreSQL), real intake and evaluator workbooks, the command line with --json."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from evaluator.changes import ASSIGNMENTS
from evaluator.errors import NotFound, PermissionDenied, ValidationError
from evaluator.messages import using
from evaluator.store import Store

from .program_fixtures import app_row, calls, dump, evaluators_sheet, intake_sheet, run

EVALUATORS = [
    ["EV01", "김서연", "예시대학교", "", "서초구", "ev01@example.org", ""],
    ["EV02", "박준호", "새싹품앗이", "", "마포구", "ev02@example.org", ""],  # the group of 2013-A-03
    ["EV03", "이민정", "가상구청", "", "강북구", "ev03@example.org", ""],  # the district of 2013-A-04
    ["EV04", "최동욱", "샘플연구원", "", "", "", ""],
]


def fill(st: Store, tmp_path: Path) -> None:
    """The rolling program, 11 applications of 2차 and 4 evaluators: two likely conflicts."""
    st.programs.create_from_file(calls(tmp_path) / "programs" / "seoul-cbp-2013-rolling.toml")
    rows = [app_row(f"2013-A-{i:02d}", "activity" if i % 2 else "space", f"2013.05.{i:02d}",
                    group="새싹품앗이" if i == 3 else "", district="강북구" if i == 4 else "종로구")
            for i in range(1, 12)]
    st.excel.import_applications(intake_sheet(tmp_path / "in.xlsx", rows))
    st.excel.import_evaluators(evaluators_sheet(tmp_path / "ev.xlsx", EVALUATORS))


def pairs(conflicts) -> set[tuple[str, str]]:
    return {(c.application_id, c.evaluator) for c in conflicts}


def entries(st: Store, action: str):
    from evaluator.db.models import AuditEvent

    with st.uow.read() as s:
        return [SimpleNamespace(actor=e.actor, reason=e.reason, entity=e.entity, old=e.old, new=e.new)
                for e in s.execute(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id))
                .scalars()]


@pytest.fixture
def office(tmp_path):
    path = tmp_path / "office.sqlite3"
    st = Store(f"sqlite:///{path}")
    fill(st, tmp_path)
    yield st, path
    st.close()


def test_a_dismissed_likely_conflict_is_not_listed_again_survives_reopening_and_is_audited(office):
    st, path = office
    assert pairs(st.people.likely_conflicts()) == {("2013-A-03", "EV02"), ("2013-A-04", "EV03")}
    st.set_actor("김담당")
    out = st.people.dismiss_conflict("2013-A-04", "EV03", "  EV03 moved from 강북구 in 2020;\n no tie with the group ")
    d = out.value
    assert (d.application_id, d.evaluator, d.reasons) == ("2013-A-04", "EV03", ("district",))
    assert d.reason == "EV03 moved from 강북구 in 2020; no tie with the group"
    assert d.dismissed_by == st.actor and d.dismissed_by.startswith("김담당")
    assert ASSIGNMENTS in out.changes
    # neither the listing nor the automatic assignment (dry run or not) lists it; the other stays
    assert pairs(st.people.likely_conflicts()) == {("2013-A-03", "EV02")}
    assert pairs(st.people.auto_assign(3, dry_run=True).value.likely_conflicts) == {("2013-A-03", "EV02")}
    result = st.people.auto_assign(3).value
    assert pairs(result.likely_conflicts) == {("2013-A-03", "EV02")} and len(result.added) == 33
    st.close()

    with Store(f"sqlite:///{path}") as again:
        assert pairs(again.people.likely_conflicts()) == {("2013-A-03", "EV02")}
        [kept] = again.people.dismissed_conflicts()
        assert kept == d
        [entry] = entries(again, "dismiss_likely_conflict")
        assert entry.actor == d.dismissed_by and entry.reason == d.reason and entry.entity == "application"
        assert entry.new["application"] == "2013-A-04" and entry.new["evaluator"] == "EV03"
        assert entry.new["reasons"] == ["district"]
        assert again.verify_audit().ok


def test_a_new_kind_of_suspicion_brings_a_dismissed_pairing_back_saying_so(office):
    st, _path = office
    st.people.dismiss_conflict("2013-A-04", "EV03", "다른 동 거주")
    # EV03's phone is now the applicant's (every application of the sheet gives 010-0000-0000)
    st.people.put_evaluator("EV03", "이민정", "가상구청", email="ev03@example.org", phone="010-0000-0000")
    listed = {(c.application_id, c.evaluator): c for c in st.people.likely_conflicts()}
    back = listed[("2013-A-04", "EV03")]
    assert back.reasons == ("district", "phone") and back.dismissed_for == ("district",)
    assert back.previously_dismissed and back.dismissal_reason == "다른 동 거주"
    # the other applications only share the phone: listed as new, never dismissed
    assert not listed[("2013-A-05", "EV03")].previously_dismissed
    auto = {(c.application_id, c.evaluator): c for c in st.people.auto_assign(3, dry_run=True).value.likely_conflicts}
    assert auto[("2013-A-04", "EV03")].dismissed_for == ("district",)
    # dismissed again for both, it is gone again
    st.people.dismiss_conflict("2013-A-04", "EV03", "전화번호는 구청 대표번호")
    assert ("2013-A-04", "EV03") not in pairs(st.people.likely_conflicts())
    [d] = st.people.dismissed_conflicts()
    assert d.reasons == ("district", "phone") and d.reason == "전화번호는 구청 대표번호"
    second = entries(st, "dismiss_likely_conflict")[-1]
    assert second.old["reasons"] == ["district"] and second.new["reasons"] == ["district", "phone"]


def test_a_restore_lists_the_pairing_again_and_is_audited(office):
    st, _path = office
    st.people.dismiss_conflict("2013-A-04", "EV03", "다른 동 거주")
    out = st.people.restore_conflict("2013-A-04", "EV03", "잘못 해제함")
    assert out.value.reason == "다른 동 거주" and ASSIGNMENTS in out.changes
    assert ("2013-A-04", "EV03") in pairs(st.people.likely_conflicts())
    assert st.people.dismissed_conflicts() == []
    [entry] = entries(st, "restore_likely_conflict")
    assert entry.reason == "잘못 해제함" and entry.old["reasons"] == ["district"]
    with pytest.raises(NotFound, match="is not dismissed; there is nothing to restore"):
        st.people.restore_conflict("2013-A-04", "EV03", "again")
    # a dismissal overtaken by a declared conflict is not listed as dismissed any more
    st.people.dismiss_conflict("2013-A-03", "EV02", "동명 단체")
    st.people.declare_conflict("2013-A-03", "EV02", "institutional", "실제로 같은 단체")
    assert st.people.dismissed_conflicts() == []


@pytest.mark.plain_sqlite
def test_bad_dismissals_and_restores_are_refused_with_the_database_unchanged(office, tmp_path):
    st, path = office
    st.people.dismiss_conflict("2013-A-04", "EV03", "다른 동 거주")
    st.people.declare_conflict("2013-A-01", "EV01", "personal", "가족")
    before = dump(path)
    bad = [
        (lambda: st.people.dismiss_conflict("2013-A-03", "EV02", "   "), ValidationError,
         "Dismissing the likely conflict of EV02 with application 2013-A-03 needs its reason (--reason)"),
        (lambda: st.people.restore_conflict("2013-A-04", "EV03", ""), ValidationError,
         "Restoring the dismissed likely conflict of EV03 with application 2013-A-04 needs its reason"),
        (lambda: st.people.dismiss_conflict("2013-Z-99", "EV02", "x"), NotFound, "There is no application '2013-Z-99'"),
        (lambda: st.people.dismiss_conflict("2013-A-03", "EV99", "x"), NotFound, "There is no evaluator 'EV99'"),
        (lambda: st.people.dismiss_conflict("2013-A-03", "EV04", "x"), ValidationError,
         "Evaluator EV04 and application 2013-A-03 do not look like a conflict of interest"),
        (lambda: st.people.dismiss_conflict("2013-A-01", "EV01", "x"), ValidationError,
         "Evaluator EV01 has a declared personal conflict of interest with application 2013-A-01"),
        (lambda: st.people.dismiss_conflict("2013-A-04", "EV03", "again"), ValidationError,
         "The likely conflict of EV03 with application 2013-A-04 was already dismissed by "),
        (lambda: st.people.restore_conflict("2013-A-03", "EV02", "x"), NotFound,
         "The likely conflict of EV02 with application 2013-A-03 is not dismissed"),
    ]
    for call, error, sentence in bad:
        with pytest.raises(error) as caught:
            call()
        assert sentence in caught.value.message
    assert dump(path) == before

    field = Store(f"sqlite:///{tmp_path / 'field.sqlite3'}", role="field")
    try:
        with pytest.raises(PermissionDenied, match="Cannot dismiss a likely conflict in a field database"):
            field.people.dismiss_conflict("2013-A-04", "EV03", "x")
        with pytest.raises(PermissionDenied, match="Cannot restore a dismissed likely conflict in a field database"):
            field.people.restore_conflict("2013-A-04", "EV03", "x")
    finally:
        field.close()


def test_a_withdrawn_application_or_a_signed_off_round_has_nothing_to_dismiss_or_restore(office, tmp_path):
    """Likely conflicts are listed for the applications still to be evaluated; a dismissal or a
    restore for a withdrawn application, or for one of a signed-off round, is refused with the
    database unchanged (the signed record stays as it was signed)."""
    st, path = office
    st.people.dismiss_conflict("2013-A-03", "EV02", "같은 이름의 다른 단체")
    st.applications.withdraw("2013-A-04", "신청 단체가 철회함")
    assert pairs(st.people.likely_conflicts()) == set()
    before = dump(path)
    for call, sentence in [
        (lambda: st.people.dismiss_conflict("2013-A-04", "EV03", "x"),
         "Application 2013-A-04 was withdrawn: its likely conflicts are no longer listed, so there is nothing to "
         "dismiss for EV03. Nothing was changed."),
    ]:
        with pytest.raises(ValidationError) as caught:
            call()
        assert caught.value.message == sentence
    assert dump(path) == before

    from .packages_fixtures import PASS

    st.keys.ensure(PASS, key_dir=tmp_path / "keys")
    round_code = st.applications.get("2013-A-03").round
    st.rounds.sign_off(round_code, by="위원장", key_dir=tmp_path / "keys")
    before = dump(path)
    with pytest.raises(ValidationError) as caught:
        st.people.restore_conflict("2013-A-03", "EV02", "다시 보기")
    err = caught.value
    assert err.message == (f"Round {round_code} of application 2013-A-03 is signed off: its assignments and their "
                           "record stay as they were signed, so there is nothing to restore for EV02. Nothing was "
                           "changed.")
    with using("ko"):
        assert err.message == (f"신청 2013-A-03의 차수 {round_code}은(는) 확정 서명되었습니다. 배정과 그 기록은 서명된 "
                               "그대로 남으므로 평가위원 EV02에 대해 해제를 취소할 것이 없습니다. 아무것도 바꾸지 않았습니다.")
    assert dump(path) == before
    assert [d.application_id for d in st.people.dismissed_conflicts()] == ["2013-A-03"]


def test_the_reason_is_asked_in_korean_too(office):
    st, _path = office
    with pytest.raises(ValidationError) as caught:
        st.people.dismiss_conflict("2013-A-03", "EV02", "")
    err = caught.value
    assert err.code == "services.dismissal_needs_reason"
    with using("ko"):
        assert err.message == ("평가위원 EV02와(과) 신청 2013-A-03의 이해충돌 의심을 해제하려면 사유(--reason)가 필요합니다. "
                               "사유는 해제 기록과 감사 기록에 남습니다. 아무것도 바꾸지 않았습니다.")
    with using("en"):
        assert err.message.startswith("Dismissing the likely conflict of EV02 with application 2013-A-03 needs its "
                                      "reason (--reason)")


def test_the_command_line_round_trip_with_json_documents_valid_against_their_schemas(office, capsys):
    from .test_cli_schemas import Cli

    st, path = office
    st.close()
    db = f"sqlite:///{path}"
    cli = Cli(capsys)
    listed = cli("likely-conflicts", "--db", db)["items"]
    assert {(c["application_id"], c["evaluator"]) for c in listed} == {("2013-A-03", "EV02"), ("2013-A-04", "EV03")}
    assert cli("likely-conflicts", "--track", "space", "--db", db)["items"][0]["application_id"] == "2013-A-04"
    d = cli("likely-conflicts", "dismiss", "2013-A-04", "EV03", "--reason", "다른 동 거주", "--db", db)
    assert d["reasons"] == ["district"] and d["reason"] == "다른 동 거주"
    assert [c["evaluator"] for c in cli("likely-conflicts", "--db", db)["items"]] == ["EV02"]
    [kept] = cli("likely-conflicts", "dismissed", "--db", db)["items"]
    assert kept["application_id"] == "2013-A-04" and kept["dismissed_by"] == d["dismissed_by"]
    auto = cli("assign", "--auto", "--dry-run", "--db", db)
    assert [c["evaluator"] for c in auto["likely_conflicts"]] == ["EV02"]
    cli("likely-conflicts", "restore", "2013-A-04", "EV03", "--reason", "잘못 해제함", "--db", db)
    assert len(cli("likely-conflicts", "--db", db)["items"]) == 2
    assert cli("likely-conflicts", "dismissed", "--db", db)["items"] == []
    # a refusal is the error document, exit 2; the text output names what matched and the reason
    err = cli("likely-conflicts", "dismiss", "2013-A-03", "EV04", "--reason", "x", "--db", db, code=2)
    assert "do not look like a conflict of interest" in err["error"]
    code, out, _ = run(capsys, "likely-conflicts", "dismiss", "2013-A-03", "EV02", "--reason", "동명 단체", "--db", db)
    assert code == 0 and "Dismissed the likely conflict of EV02 with 2013-A-03 (same organisation): 동명 단체." in out
    code, out, _ = run(capsys, "likely-conflicts", "dismissed", "--db", db, "--lang", "ko")
    assert code == 0 and "같은 소속" in out and "동명 단체" in out and "해제된 이해충돌 의심 1건" in out
    assert cli.seen == {"assign", "error", "likely-conflicts", "likely-conflicts-dismiss", "likely-conflicts-dismissed",
                        "likely-conflicts-restore"}


def test_dismiss_and_restore_on_both_engines(any_db_url, tmp_path):
    with Store(any_db_url) as st:
        fill(st, tmp_path)
        st.people.dismiss_conflict("2013-A-03", "EV02", "동명 단체")
        assert pairs(st.people.likely_conflicts()) == {("2013-A-04", "EV03")}
    with Store(any_db_url) as st:
        assert [d.evaluator for d in st.people.dismissed_conflicts()] == ["EV02"]
        st.people.restore_conflict("2013-A-03", "EV02", "잘못 해제함")
        assert pairs(st.people.likely_conflicts()) == {("2013-A-03", "EV02"), ("2013-A-04", "EV03")}
        assert st.verify_audit().ok


def test_a_purge_of_the_applicants_data_replaces_the_dismissal_reason(demo_store):
    from evaluator.audit.personal import TOMBSTONE

    from .privacy_fixtures import PURGE_DAY, plant

    st = demo_store
    app = plant(st).application
    district = st.applications.get(app).district
    st.people.add_evaluator("EV90", "가상위원", district=district)
    st.people.dismiss_conflict(app, "EV90", "홍길순 대표와 이웃일 뿐")
    report = st.privacy.subject_delete(app, reason="삭제 요청 (2013-06-01)", today=PURGE_DAY).value
    assert report.counts["notes"] >= 1
    [d] = st.people.dismissed_conflicts()
    # what matched, who and when stay; the office's words about the applicant's people do not
    assert (d.application_id, d.evaluator, d.reasons, d.reason) == (app, "EV90", ("district",), TOMBSTONE)
    assert st.verify_audit().ok
