"""The Excel area speaks the core's catalogue (issue 21): a refused import, its located problems, a file
that is not a workbook and an import's summary read in Korean under ``using("ko")`` and in English
under ``using("en")`` — with the values in them, and the problems' codes and params unchanged."""

from __future__ import annotations

import pytest

from evaluator.errors import ValidationError
from evaluator.messages import using

from .excel_fixtures import LO_MESSY, LO_TEN_ERRORS, before_visits, state  # noqa: F401


def test_a_refused_intake_sheet_reads_in_korean_and_in_english_with_the_same_codes(before_visits):
    before = state(before_visits)
    with pytest.raises(ValidationError) as ei:
        before_visits.excel.import_applications(LO_TEN_ERRORS)
    err = ei.value
    amount, track = err.problems[0], err.problems[2]
    with using("ko"):
        assert err.message == "lo_ten_errors.xlsx(시트 '접수현황')에 문제가 10건 있습니다. 아무것도 가져오지 않았습니다."
        assert str(amount).startswith("시트 '접수현황' 5행, ") and "신청금액(원)" in str(amount)
        assert str(amount).endswith(": 'abc'은(는) 금액이 아닙니다"), str(amount)
        assert "'청년 창업 지원'은(는) 알 수 없는 지원유형입니다. 다음 중 하나를 쓰세요: " in str(track)
        assert "시트 '접수현황' 7행, " in str(track)
        assert "'2012.13.45'은(는) 올바른 날짜가 아닙니다" in str(err)
    with using("en"):
        assert err.message == "lo_ten_errors.xlsx (sheet '접수현황') has 10 problems; nothing was imported."
        assert str(amount) == "Sheet '접수현황' row 5, column 신청금액(원): 'abc' is not an amount"
        assert "'청년 창업 지원' is not a known track; use one of " in str(track)
    # the problems' codes and params are what they were (JSON, the GUI and docs/excel-formats.md rely on them)
    assert (amount.code, amount.params) == ("value.not_amount", {"value": "'abc'"})
    assert err.problems[1].code == "value.not_date" and err.problems[1].params == {"value": "'2012.13.45'"}
    assert track.code == "value.unknown_label" and track.params["what"] == "track"
    assert state(before_visits) == before


def test_a_file_that_is_not_a_workbook_is_refused_in_either_language(before_visits, tmp_path):
    fake = tmp_path / "접수현황.xlsx"
    fake.write_text("접수번호,사업명\n2012-A-1,모임\n", "utf-8")
    with pytest.raises(ValidationError) as ei:
        before_visits.excel.import_applications(fake)
    with using("ko"):
        assert str(ei.value) == ("파일 접수현황.xlsx은(는) 엑셀 통합 문서(.xlsx)가 아닙니다. 텍스트나 다른 형식으로 "
                                 "보입니다.")
    with using("en"):
        assert str(ei.value) == ("The file 접수현황.xlsx is not an Excel workbook (.xlsx); it looks like text or "
                                 "another format.")
    assert ei.value.code == "excel.not_xlsx"


def test_an_import_summary_is_in_the_language_in_effect(before_visits):
    rep = before_visits.excel.import_applications(LO_MESSY, dry_run=True).value
    with using("ko"):
        ko = rep.summary()
    with using("en"):
        en = rep.summary()
    assert ko.startswith("lo_messy_intake.xlsx(시트 '접수현황', ") and "추가 예정 6건" in ko, ko
    assert en.startswith("lo_messy_intake.xlsx (sheet '접수현황', ") and "would add 6" in en, en
