"""Evaluators, assignments and conflict declarations from a workbook (LibreOffice-written fixture)."""

from __future__ import annotations

import pytest

from evaluator.errors import ValidationError

from .excel_fixtures import LO_ASSIGNMENTS, before_visits, state, write_sheet  # noqa: F401


def test_libreoffice_assignment_workbook_imports_and_reimports_unchanged(before_visits):
    st = before_visits
    dry = st.excel.import_assignments(LO_ASSIGNMENTS, dry_run=True).value
    assert dry.dry_run and st.info().evaluators == 5
    rep = st.excel.import_assignments(LO_ASSIGNMENTS).value
    assert rep.sheets == ("평가위원", "배정")
    assert rep.evaluators_added == ("EV06", "EV07") and rep.evaluators_updated == ("EV01",)
    assert rep.assignments_added == (("2012-A-001", "EV06"), ("2012-A-002", "EV06"), ("2012-S-001", "EV07"))
    assert rep.conflicts_added == (("2012-A-003", "EV07"), ("2012-S-002", "EV06"))  # " ev06 " is EV06
    evs = {e.code: e for e in st.people.evaluators()}
    assert evs["EV06"].name == "한가상" and evs["EV01"].organisation == "서울예시대학교 도시사회학과 (겸임)"
    a = {(x.application_id, x.evaluator): x for x in st.people.assignments()}
    assert a[("2012-A-003", "EV07")].conflict_type == "personal"
    assert a[("2012-A-003", "EV07")].conflict_note == "대표자와 친척 관계"
    assert a[("2012-S-002", "EV06")].conflict_type == "institutional"
    assert str(a[("2012-A-001", "EV06")].planned_visit_on) == "2012-04-17"
    assert str(a[("2012-A-002", "EV06")].planned_visit_on) == "2012-04-18"
    again = st.excel.import_assignments(LO_ASSIGNMENTS).value
    assert again.evaluators_added == again.evaluators_updated == again.assignments_added == ()
    assert again.conflicts_added == again.conflicts_changed == ()
    assert len(again.assignments_unchanged) == 3 and len(again.conflicts_unchanged) == 2


def test_assignment_errors_are_all_reported_and_nothing_changes(before_visits, tmp_path):
    st = before_visits
    rows = [
        ["접수번호", "평가위원번호", "성명", "방문예정일", "이해충돌"],
        ["2012-X-404", "EV01", None, None, None],  # no such application
        ["2012-A-001", "EV09", None, None, None],  # new evaluator without a name
        ["2012-A-007", "EV02", None, None, None],  # EV02 declared a conflict with 2012-A-007 (demo)
        ["2012-A-004", "EV03", None, "다음 주", None],  # bad date
        ["2012-A-005", "EV03", None, None, "글쎄"],  # bad conflict type
        ["2012-A-006", "EV01", "다른 이름", None, None],  # EV01's name differs from row 8
        ["2012-A-008", "EV01", "김서연", None, None],
        ["2012-A-008", "EV01", None, None, None],  # the same pair twice
        [None, None, "이름만", None, None],  # no evaluator
    ]
    f = write_sheet(tmp_path / "bad.xlsx", rows, title="배정")
    before = state(st)
    with pytest.raises(ValidationError) as ei:
        st.excel.import_assignments(f)
    text = "\n".join(str(p) for p in ei.value.problems)
    for needle in ("row 2: there is no application '2012-X-404'",
                   "row 3: evaluator EV09 does not exist yet; give their name",
                   "row 4: EV02 declared a personal conflict of interest with 2012-A-007",
                   "row 5, column 방문예정일: '다음 주' is not a date",
                   "row 6, column 이해충돌: '글쎄' is not a known conflict type",
                   "row 8, column 성명: evaluator EV01 has name '김서연' here but '다른 이름'",
                   "row 9: EV01 and application 2012-A-008 appear twice",
                   "row 10, column 평가위원번호: the evaluator ID (평가위원번호) is missing"):
        assert needle in text, (needle, text)
    assert state(st) == before


def test_a_workbook_without_an_evaluator_column_is_refused(before_visits, tmp_path):
    f = write_sheet(tmp_path / "x.xlsx", [["접수번호", "사업명"], ["2012-A-001", "가"]])
    with pytest.raises(ValidationError, match="No evaluator or assignment table found in x.xlsx"):
        before_visits.excel.import_assignments(f)


def test_conflict_declared_after_scoring_is_a_recusal_with_a_warning(demo_store, tmp_path):
    a = next(x for x in demo_store.people.assignments(evaluator="EV03") if x.conflict_type is None)
    f = write_sheet(tmp_path / "c.xlsx", [["접수번호", "평가위원번호", "이해충돌", "사유"],
                                          [a.application_id, "ev03", "업무", "사후 확인된 협력 관계"]])
    rep = demo_store.excel.import_assignments(f).value
    assert rep.conflicts_added == ((a.application_id, "EV03"),)
    assert any("no longer count" in str(w) for w in rep.warnings)
    got = next(x for x in demo_store.people.assignments(application_id=a.application_id) if x.evaluator == "EV03")
    assert got.conflict_type == "professional"
