"""Below a table's end: the rows past a long run of blank rows are searched for values instead of
parsed (a sheet of forty million empty rows reads in seconds and bounded memory).  Searching must
decide exactly what parsing every row decides — the same refusal at the same row, or the same
place where the data ended — for every way a producer writes rows: with and without ``r``, with a
namespace prefix, styled empty cells, formulas that give "", shared strings that are only spaces,
and chunks that split rows anywhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluator.excel import sheet as sheet_mod
from evaluator.excel import sheetxml
from evaluator.excel.safety import ExcelFileError, open_workbook
from evaluator.excel.sheet import find_table
from evaluator.excel.sheetxml import RowSource
from evaluator.excel.vocab import APPLICATIONS

from .xlsx_parts import cell, row, sheet_xml, write_parts

RUN = 30  # BLANK_RUN_END for these tests
HEADER = ["접수번호", "사업유형", "사업명", "단체명"]
#: shared strings: 0-3 the header, 4 a value, 5 only spaces
STRINGS = [*HEADER, "먼 행", "   "]


def _rows(p: str, numbered: bool, blank: str, below: list[str]) -> list[str]:
    out = [row(*(cell(i, kind="s", p=p) for i in range(4)), r=1 if numbered else None, p=p)]
    out += [row(cell(f"2012-T-{i:04d}", kind="inline", p=p), cell("activity", kind="inline", p=p),
                cell("사업", kind="inline", p=p), r=1 + i if numbered else None, p=p) for i in range(1, 4)]
    n = 5
    for _ in range(RUN + 7):
        out.append(blank.format(r=f' r="{n}"' if numbered else "", p=p))
        n += 1
    for b in below:
        out.append(b.replace("{r}", f' r="{n}"' if numbered else "").replace("{p}", p))
        n += 1
    return out


BLANKS = {
    "bare": "<{p}row{r}/>",
    "styled empty cells": '<{p}row{r}><{p}c s="0"/><{p}c s="0"/></{p}row>',
    "formulas giving nothing": '<{p}row{r}><{p}c t="str"><{p}f>IF(A1="","",A1)</{p}f><{p}v></{p}v></{p}c></{p}row>',
}
BELOW = {
    "nothing": [],
    "a text far below": ["<{p}row{r}/>"] * 50 + ['<{p}row{r}><{p}c t="inlineStr"><{p}is><{p}t>x</{p}t></{p}is></{p}c></{p}row>'],
    "a zero": ["<{p}row{r}/>"] * 9 + ["<{p}row{r}><{p}c><{p}v>0</{p}v></{p}c></{p}row>"],
    "a shared string": ["<{p}row{r}/>"] * 3 + ['<{p}row{r}><{p}c t="s"><{p}v>4</{p}v></{p}c></{p}row>'],
    "a shared string of spaces": ['<{p}row{r}><{p}c t="s"><{p}v>5</{p}v></{p}c></{p}row>'] * 4,
    "a boolean": ['<{p}row{r}><{p}c t="b"><{p}v>0</{p}v></{p}c></{p}row>'],
    "rich text": ["<{p}row{r}/>"] * 70 + ['<{p}row{r}><{p}c t="inlineStr"><{p}is><{p}r><{p}t>a</{p}t></{p}r></{p}is></{p}c></{p}row>'],
    "a date": ['<{p}row{r}><{p}c s="1"><{p}v>41011</{p}v></{p}c></{p}row>'],
    "an inline string of spaces": ['<{p}row{r}><{p}c t="inlineStr"><{p}is><{p}t>  </{p}t></{p}is></{p}c></{p}row>'] * 3,
    "a formula's cached text": ["<{p}row{r}/>"] * 5 + ['<{p}row{r}><{p}c t="str"><{p}f>A1</{p}f><{p}v>y</{p}v></{p}c></{p}row>'],
}


def _outcome(path: Path, *, search: bool) -> tuple:
    wb = open_workbook(path)
    try:
        try:
            table = find_table(wb, path.name, "접수현황", APPLICATIONS, min_matches=2, must_have=("id",))
            assert table is not None
            if not search:  # parse every row (what the reader did before searching)
                table._source.skip_blank_rows = lambda check=None: False  # type: ignore[union-attr]
            rows = [(rno, list(values)) for rno, values in table.rows()]
        except ExcelFileError as exc:
            return ("refused", str(exc))
        end = table.data_end
        return ("read", rows, end.message if end is not None else None, end.params if end is not None else None)
    finally:
        wb.close()


@pytest.fixture
def small_pieces(monkeypatch):
    """A short blank run, and chunks small enough that rows are split at every kind of place."""
    monkeypatch.setattr(sheet_mod, "BLANK_RUN_END", RUN)
    monkeypatch.setattr(sheetxml, "CHUNK", 97)
    monkeypatch.setattr(sheetxml, "SCAN_CHUNK", 211)
    monkeypatch.setattr(sheetxml, "MAX_CARRY", 1024)


@pytest.mark.parametrize("below", list(BELOW))
@pytest.mark.parametrize("blank", list(BLANKS))
@pytest.mark.parametrize("shape", ["plain", "numbered", "prefixed"])
def test_searching_below_the_table_decides_what_parsing_decides(tmp_path, small_pieces, shape, blank, below):
    p = "x:" if shape == "prefixed" else ""
    xml = sheet_xml(_rows(p, shape == "numbered", BLANKS[blank], BELOW[below]), p=p)
    path = write_parts(tmp_path / "below.xlsx", xml, strings=STRINGS)
    searched, parsed = _outcome(path, search=True), _outcome(path, search=False)
    assert searched == parsed
    data = below not in ("nothing", "a shared string of spaces", "an inline string of spaces")
    assert searched[0] == ("refused" if data else "read"), searched
    if data:
        assert "holds data below a long run of blank rows (from row 5)" in searched[1]
    else:
        assert searched[2].startswith("the data ends at row 4;"), searched


def test_rows_numbered_out_of_order_and_with_gaps(tmp_path, small_pieces):
    rows = _rows("", True, BLANKS["bare"], [])
    rows += [row(cell(None), r=900), row(r=1200), row(cell(7), r=1100), row(r=1500), row(cell("z", kind="inline"), r=2000)]
    path = write_parts(tmp_path / "gaps.xlsx", sheet_xml(rows), strings=STRINGS)
    searched = _outcome(path, search=True)
    assert searched == _outcome(path, search=False)
    assert "row 2000 holds data" in searched[1]  # the row numbered 1100 came after 1200: dropped, as openpyxl does


def test_a_utf16_sheet_is_parsed_to_its_end_instead(tmp_path, small_pieces):
    xml = sheet_xml(_rows("", False, BLANKS["bare"], BELOW["a zero"])).replace('encoding="UTF-8"', 'encoding="UTF-16"')
    path = write_parts(tmp_path / "utf16.xlsx", xml.encode("utf-16"), strings=STRINGS)
    searched = _outcome(path, search=True)
    assert searched == _outcome(path, search=False) and searched[0] == "refused"


def test_where_the_data_ended_is_a_warning_with_its_rows(tmp_path, small_pieces):
    path = write_parts(tmp_path / "tail.xlsx", sheet_xml(_rows("", False, BLANKS["bare"], ["<row/>"] * 500)),
                       strings=STRINGS)
    kind, rows, message, params = _outcome(path, search=True)
    assert [r for r, _ in rows] == [2, 3, 4] and params == {"end": 4, "last": 4 + RUN + 7 + 500}
    assert message == f"the data ends at row 4; rows 5 to {4 + RUN + 7 + 500:,} are blank and were skipped"


def test_rows_past_the_last_row_a_spreadsheet_has_are_refused_above_the_table_end(tmp_path):
    rows = _rows("", True, BLANKS["bare"], [])[:4] + [row(r=40 + i) for i in range(40)] + [row(cell(1), r=1_048_577)]
    path = write_parts(tmp_path / "past.xlsx", sheet_xml(rows), strings=STRINGS)
    kind, message = _outcome(path, search=True)
    assert kind == "refused" and "row 1,048,577 is past the last row a spreadsheet can have" in message
    assert "past.xlsx" in message and "Sheet '접수현황'" in message
    rows[-1] = row(cell(1), r=1_048_576)  # the last row itself is a row like any other: here, far below the table
    kind, message = _outcome(write_parts(tmp_path / "last.xlsx", sheet_xml(rows), strings=STRINGS), search=True)
    assert kind == "refused" and "row 1048576 holds data below a long run of blank rows (from row 5)" in message


def test_a_row_source_without_the_fast_parser_still_checks_row_by_row(tmp_path, small_pieces, monkeypatch):
    monkeypatch.setattr(RowSource, "skip_blank_rows", lambda self, check=None: False)
    path = write_parts(tmp_path / "slow.xlsx", sheet_xml(_rows("", False, BLANKS["bare"], BELOW["a zero"])),
                       strings=STRINGS)
    kind, message = _outcome(path, search=True)
    assert kind == "refused" and "row 51 holds data" in message
