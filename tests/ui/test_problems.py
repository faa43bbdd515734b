"""Core problems and errors in the UI's language: places and the common kinds of problem in Korean
(the quoted value kept exactly), rendered by the core's message catalogue from the problems' fields
and messages — never by reading an English sentence back — the problems of one row under one
heading, a Korean headline above the core's own sentence, and no applicant data in the GUI's log."""

from __future__ import annotations

import pytest

from evaluator import errors as E
from evaluator.errors import Problem, ValidationError
from evaluator.messages import msg
from ui.errors import describe, log_file, show_error
from ui.problems import grouped, grouped_text, headline, problem_text

from ..core.excel_fixtures import LO_TEN_ERRORS


def _amount(value: str, **where) -> Problem:  # as the intake reader reports it
    return Problem(msg("value.not_amount", "{value} is not an amount", value=value), **where)


def _id_missing(**where) -> Problem:
    return Problem(msg("intake.id_missing", "the application ID (접수번호) is missing"), **where)


def test_places_and_common_problems_read_in_korean_with_the_value_as_typed():
    p = _amount("'5,000,000원!'", sheet="접수현황", row=17, column="신청금액", letter="H", field="requested_amount")
    assert problem_text(p) == "시트 '접수현황' 17행, 열 신청금액: '5,000,000원!'은(는) 금액이 아닙니다"
    assert problem_text(_id_missing(sheet="접수현황", row=3)) == "시트 '접수현황' 3행: 접수번호가 없습니다"
    assert (p.code, p.params) == ("value.not_amount", {"value": "'5,000,000원!'"})
    # the text is never read back: a sentence that is not a message stays as written
    assert problem_text(Problem("Sheet '접수현황' row 3", "'x' is not an amount")) == \
        "Sheet '접수현황' row 3: 'x' is not an amount"


def test_the_problems_of_a_row_come_under_one_heading():
    problems = [
        Problem(msg("intake.unknown_columns", "unknown columns kept aside with each application: {columns}",
                    columns="비고"), sheet="접수현황"),
        _amount("'abc'", sheet="접수현황", row=5, column="신청금액"),
        _amount("'x'", sheet="접수현황", row=7, column="자부담"),
        _id_missing(sheet="접수현황", row=5),
    ]
    groups = grouped(problems)
    assert [(g.heading, g.lines) for g in groups] == [
        ("", ("시트 '접수현황': 알 수 없는 열은 신청서마다 따로 보관합니다: 비고",)),
        ("시트 '접수현황' 5행", ("열 신청금액: 'abc'은(는) 금액이 아닙니다", "접수번호가 없습니다")),
        ("시트 '접수현황' 7행", ("열 자부담: 'x'은(는) 금액이 아닙니다",)),
    ]
    assert grouped_text(problems).splitlines()[1:3] == ["시트 '접수현황' 5행", "  열 신청금액: 'abc'은(는) 금액이 아닙니다"]


def test_problems_of_a_real_workbook_read_in_korean(demo_before_visits_store):
    with pytest.raises(ValidationError) as ei:
        demo_before_visits_store.excel.import_applications(LO_TEN_ERRORS, dry_run=True)
    texts = [problem_text(p) for p in ei.value.problems]
    assert "시트 '접수현황' 5행, 열 신청금액(원): 'abc'은(는) 금액이 아닙니다" in texts, texts
    assert any(t.startswith("시트 '접수현황' 14행, 열 접수 번호: 접수번호가 없습니다") for t in texts), texts
    assert all(t.startswith("시트 '접수현황' ") for t in texts), texts
    # all ten in Korean: only the values as typed (quoted) and codes in brackets keep their letters
    import re

    from ..core.excel_fixtures import LO_MESSY

    warnings = [problem_text(p) for p in demo_before_visits_store.excel.preview_applications(LO_MESSY).warnings]
    assert len(texts) == 10 and warnings
    for t in texts + warnings:
        bare = re.sub(r"'[^']*'|\([a-z_]+\)", "", t)
        assert not re.search(r"[A-Za-z]{3,}", bare), t


def test_an_error_dialog_leads_with_korean_and_keeps_the_cores_sentence(dialogs):
    exc = ValidationError("Cannot import intake.xlsx: 1 problem.", problems=[Problem(
        msg("value.not_phone", "{value} is not a phone number", value="'010-5555-0199x'"),
        file="intake.xlsx", sheet="접수현황", row=5, column="전화번호", field="phone")])
    what, todo, details = describe(exc)
    assert what.startswith("입력에 문제가 있습니다") and "Cannot import intake.xlsx" in what
    assert "고친 뒤" in todo or "다시" in todo
    assert details == "시트 '접수현황' 5행\n  열 전화번호: '010-5555-0199x'은(는) 전화번호가 아닙니다"
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
        p = _amount("'abc'", sheet="접수현황", row=17, column="신청금액")
        assert problem_text(p) == str(p) == "Sheet '접수현황' row 17, column 신청금액: 'abc' is not an amount"
        assert grouped_text([p]) == "Sheet '접수현황' row 17\n  column 신청금액: 'abc' is not an amount"
        assert describe(E.DatabaseInUse("The database is in use."))[0] == "The database is in use."
    finally:
        install_language(qapp, "ko")


def test_an_error_without_a_list_of_problems_does_not_point_to_one(demo_store, make_window, tmp_path, dialogs):
    """A file that is no workbook at all: one sentence names it, and the advice does not send the
    person to a list of items that is not there."""
    w = make_window(demo_store)
    not_a_workbook = tmp_path / "접수현황.xlsx"
    not_a_workbook.write_bytes(b"a text file, not a workbook")
    dialogs.expect_error()
    w.show_screen("import").load(not_a_workbook)
    assert len(dialogs.errors) == 1
    what, todo, details = dialogs.errors[0].split(" | ")
    assert "접수현황.xlsx" in what and details == ""
    assert "위 문장" in todo and "아래 항목" not in todo
