"""Core problems and errors in the UI's language: locations and the common kinds of problem in
Korean (the quoted value kept exactly), a Korean headline above the core's own sentence, and no
applicant data in the GUI's log."""

from __future__ import annotations

import pytest

from evaluator import errors as E
from evaluator.errors import Problem, ValidationError
from ui.errors import describe, log_file, show_error
from ui.problems import headline, problem_text


def test_locations_and_common_problems_read_in_korean_with_the_value_as_typed():
    p = Problem("Sheet '접수현황' row 17, column 신청금액", "'5,000,000원!' is not an amount")
    assert problem_text(p) == "시트 '접수현황' 17행, 열 신청금액: '5,000,000원!'은(는) 금액이 아닙니다"
    assert problem_text(Problem("Sheet '접수현황' row 3", "the application ID (접수번호) is missing")) == \
        "시트 '접수현황' 3행: 접수번호가 없습니다"
    # a shape the UI does not know stays as the core wrote it, behind a Korean location
    odd = Problem("Sheet 'x' row 2, column 성명", "something rare happened")
    assert problem_text(odd) == "시트 'x' 2행, 열 성명: something rare happened"
    assert problem_text(Problem("", "plain")) == "plain"


def test_an_error_dialog_leads_with_korean_and_keeps_the_cores_sentence(dialogs):
    exc = ValidationError("Cannot import intake.xlsx: 1 problem.",
                          problems=[Problem("Sheet '접수현황' row 5, column 전화번호", "'010-5555-0199x' is not a phone number")])
    what, todo, details = describe(exc)
    assert what.startswith("입력에 문제가 있습니다") and "Cannot import intake.xlsx" in what
    assert "고친 뒤" in todo or "다시" in todo
    assert details == "시트 '접수현황' 5행, 열 전화번호: '010-5555-0199x'은(는) 전화번호가 아닙니다"
    assert headline(E.DatabaseInUse("x")) == "다른 프로그램이 데이터베이스를 사용하고 있습니다."
    dialogs.expect_error()
    show_error(None, exc)
    logged = log_file().read_text(encoding="utf-8")
    assert "ValidationError at Sheet '접수현황' row 5, column 전화번호" in logged
    assert "010-5555-0199" not in logged  # the GUI's log never quotes the cell


@pytest.mark.parametrize("lang", ["en"])
def test_the_english_ui_shows_the_cores_words_unchanged(qapp, lang):
    from ui.i18n import install_language

    install_language(qapp, lang)
    try:
        p = Problem("Sheet '접수현황' row 17, column 신청금액", "'abc' is not an amount")
        assert problem_text(p) == str(p)
        assert describe(E.DatabaseInUse("The database is in use."))[0] == "The database is in use."
    finally:
        install_language(qapp, "ko")
