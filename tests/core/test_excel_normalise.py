"""Cell normalisers: the messy values real intake sheets hold."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from evaluator.excel.normalise import (
    BadValue, category_parser, clean_id, clean_multiline, clean_text, district_parser, header_key, parse_amount,
    parse_conflict, parse_count, parse_date, parse_email, parse_phone,
)
from evaluator.excel.vocab import APPLICATIONS
from evaluator.excel.writer import neutralise, recover


@pytest.mark.parametrize("raw, expected", [
    (5000000, 5_000_000), (5000000.0, 5_000_000), ("5000000", 5_000_000), ("5,000,000", 5_000_000),
    ("5,000,000원", 5_000_000), (" 5,000,000 원 ", 5_000_000), ("₩5,000,000", 5_000_000), ("\\5,000,000", 5_000_000),
    ("5000000.00", 5_000_000), ("500만원", 5_000_000), ("500만 원", 5_000_000), ("1억 2,000만원", 120_000_000),
    ("1,500만", 15_000_000), ("5백만원", 5_000_000), ("３，０００，０００원", 3_000_000), ("0", 0), ("KRW 1,000", 1000),
])
def test_amounts(raw, expected):
    assert parse_amount(raw) == expected


@pytest.mark.parametrize("raw, why", [
    ("abc", "is not an amount"), ("5,000,000달러", "is not an amount"), ("-500,000원", "negative"),
    (-1, "negative"), (1234.5, "whole number"), ("", "is not an amount"), (True, "is not an amount"),
    (10**13, "implausibly large"), ("만원", "is not an amount"),
])
def test_bad_amounts_say_what_is_wrong(raw, why):
    with pytest.raises(BadValue, match=why):
        parse_amount(raw)


@pytest.mark.parametrize("raw", [
    "2012.04.12", "2012.4.12", "2012. 4. 12.", "2012-04-12", "2012/04/12", "2012년 4월 12일", "20120412", 20120412,
    41011, 41011.0, datetime(2012, 4, 12, 15, 30), date(2012, 4, 12), "2012-04-12 00:00:00", "2012.04.12(목)",
    "２０１２．０４．１２",
])
def test_dates(raw):
    assert parse_date(raw) == date(2012, 4, 12)


@pytest.mark.parametrize("raw, why", [
    ("2012.13.45", "not a valid date"), ("04/12/2012", "not a date"), ("어제", "not a date"),
    (3_000_000, "not a date"), ("1850-01-01", "plausible"),
])
def test_bad_dates(raw, why):
    with pytest.raises(BadValue, match=why):
        parse_date(raw)


def test_text_cleaning_folds_full_width_and_stray_spaces():
    assert clean_text("\u3000골목\u3000 사랑방  모임\u00a0") == "골목 사랑방 모임"
    assert clean_text(12.0) == "12" and clean_text(True) == "TRUE"
    assert clean_multiline("  첫 줄  \r\n둘째\u3000줄\n\n") == "첫 줄\n둘째 줄"
    assert clean_id(" 2012-A-001 ") == "2012-A-001" and clean_id("２０１２－Ａ－００１") == "2012-A-001"
    assert clean_id(17.0) == "17"


def test_counts_phones_emails():
    assert parse_count("12명") == 12 and parse_count(" 12 명") == 12 and parse_count(12.0) == 12
    with pytest.raises(BadValue):
        parse_count("열두명")
    assert parse_phone(1012345678) == "01012345678" and parse_phone("02-000-0000") == "02-000-0000"
    with pytest.raises(BadValue):
        parse_phone("없음")
    assert parse_email(" a@example.org ") == "a@example.org"
    with pytest.raises(BadValue, match="e-mail"):
        parse_email("not-an-email")


@pytest.mark.parametrize("raw", ["종로구", "종로", "Jongno-gu", "jongno gu", "JONGNO", "서울특별시 종로구", "서울 종로구",
                                 " 종로구\u3000", "Seoul Jongno-gu"])
def test_districts_by_korean_or_english_name(raw):
    assert district_parser()(raw) == "종로구"


def test_every_seoul_district_and_nothing_else():
    from evaluator.domain import SEOUL_DISTRICTS

    parse = district_parser()
    for ko, en in SEOUL_DISTRICTS.items():
        assert parse(ko) == ko and parse(en) == ko
    for bad in ("부산진구", "수원시", "Haeundae-gu", ""):
        with pytest.raises(BadValue, match="25 districts"):
            parse(bad)


def test_categories_by_label_part_or_code():
    parse = category_parser()
    for raw, code in [("마을카페·모임", "cafe"), ("마을카페", "cafe"), ("마을카페 / 모임", "cafe"), ("cafe", "cafe"),
                      ("Community festival", "festival"), ("공동육아", "care"), ("기타", "other"), ("마을 기업", "business")]:
        assert parse(raw) == code, raw
    with pytest.raises(BadValue, match="기타 \\(other\\)"):
        parse("스포츠")


def test_conflict_types():
    assert parse_conflict("개인") == "personal" and parse_conflict("업무상") == "professional"
    assert parse_conflict("Y") == "other" and parse_conflict("financial") == "financial"
    assert parse_conflict("없음") is None and parse_conflict("N") is None
    with pytest.raises(BadValue):
        parse_conflict("모름")


@pytest.mark.parametrize("header, field", [
    ("접수번호", "id"), ("접수 번호", "id"), ("Application ID", "id"), ("application_id", "id"), ("APPLICATION  ID", "id"),
    ("신청금액(원)", "requested_amount"), ("신청 금액 (원)", "requested_amount"), ("Requested amount (KRW)", "requested_amount"),
    ("requested_amount", "requested_amount"), ("자부담금액", "self_contribution"), ("Self-contribution", "self_contribution"),
    ("지원유형", "track"), ("활동분야", "category"), ("모임명", "group_name"), ("전화번호", "phone"), ("행정동", "neighbourhood"),
    ("회원수", "members"), ("사업내용", "summary"), ("신청일", "submitted_on"), ("＊사업명", "title"), ("사업명\n[필수]", "title"),
    ("연번", "-"), ("담당자 메모", None),
])
def test_header_aliases(header, field):
    assert APPLICATIONS.match(header) == field
    assert header_key(header) == header_key(header.upper())


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@x", "\tx", "\rx", "\nx", "＝x", "＋x", "－x", "＠x", "'x", "plain",
                                  "", "중간에 = 기호"])
def test_neutralise_then_recover_gives_the_original(text):
    out = neutralise(text)
    assert out[:1] not in set("=+-@\t\r\n＝＋－＠") or out == ""
    assert recover(out) == text.replace("\r", "\n")  # XML cannot keep a bare CR: it is written as LF


def test_neutralise_drops_xml_illegal_characters():
    assert neutralise("a\x00b\x1bc") == "abc"
    assert len(neutralise("가" * 40_000)) == 32_767


def test_control_characters_and_ooxml_escapes_never_reach_the_database():
    # Excel stores characters XML cannot hold as _xHHHH_ escapes (a CRLF line break as _x000D_\n);
    # openpyxl hands them over undecoded: the cleaners decode them and drop what no text may hold
    assert clean_text("골목_x0000_ 모임\x00\x07") == "골목 모임"
    assert clean_text("a\x7fb\ufeff\u200bc\x85") == "abc"
    assert clean_text("lone \ud800surrogate") == "lone surrogate"
    assert clean_multiline("첫 줄_x000D_\n둘째\x00 줄") == "첫 줄\n둘째 줄"
    assert clean_text("_x005F_x0041_") == "_x0041_"  # an escaped underscore: the text as typed
    assert clean_text("ordinary_x") == "ordinary_x" and clean_text("snake_case_x00") == "snake_case_x00"
    assert clean_text("👨\u200d👩\u200d👧") == "👨\u200d👩\u200d👧"  # joiners inside emoji stay


@pytest.mark.parametrize("raw", ["2012-A_x0000_-001", "2012-A\x00-001", "2012\u202e-A-001", "2012-\u200bA-001",
                                 "EV\x0701"])
def test_identifiers_with_invisible_characters_are_refused_clearly(raw):
    with pytest.raises(BadValue, match=r"invisible control character \(U\+[0-9A-F]{4}\)") as ei:
        clean_id(raw)
    assert "\x00" not in str(ei.value) and "⍰" in str(ei.value)


def test_export_text_that_looks_like_an_escape_survives_excel():
    assert neutralise("_x0041_ 그대로") == "_x005F_x0041_ 그대로"
    assert recover(neutralise("=_x0041_")) == "=_x0041_"
    assert clean_text(neutralise("_x0041_")) == "_x0041_"
