"""The fast row reader (:class:`evaluator.excel.sheetxml.RowSource`) gives exactly what openpyxl's
``iter_rows(values_only=True)`` gives, for every kind of cell, in LibreOffice and openpyxl files."""

from __future__ import annotations

import zipfile
from datetime import date, datetime, time
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from evaluator.excel.sheetxml import RowSource

from .excel_fixtures import LO_ASSIGNMENTS, LO_MESSY, LO_TEN_ERRORS


def _both(path: Path, max_col: int = 256) -> tuple[list[list], list[list]]:
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        fast, slow = [], []
        for ws in wb.worksheets:
            ws.reset_dimensions()
            fast.append([list(r) for r in RowSource(ws, max_col)])
            slow.append([list(r) for r in ws.iter_rows(max_col=max_col, values_only=True)])
        return fast, slow
    finally:
        wb.close()


def _trim(rows: list[list]) -> list[list]:
    """openpyxl pads each row to max_col; RowSource does not (until its width is set)."""
    out = []
    for r in rows:
        r = list(r)
        while r and r[-1] is None:
            r.pop()
        out.append(r)
    return out


@pytest.mark.parametrize("path", [LO_MESSY, LO_TEN_ERRORS, LO_ASSIGNMENTS], ids=lambda p: p.name)
def test_same_values_as_openpyxl_for_libreoffice_files(path):
    fast, slow = _both(path)
    assert [_trim(s) for s in fast] == [_trim(s) for s in slow]


def _mixed(tmp_path: Path, write_only: bool) -> Path:
    wb = Workbook(write_only=write_only)
    ws = wb.create_sheet("s") if write_only else wb.active
    rows = [
        ["text", " spaced ", "", "한글\u3000텍스트", "line\nbreak", "_x0000_ kept as read"],
        [1, 2.5, -3, 10**15, 1e-7, True, False],
        [date(2012, 4, 12), datetime(2012, 4, 12, 9, 30), time(9, 30), None, "after a gap"],
        ["=1+1", "=A1&\"x\""],  # formulas: no cached value (openpyxl writes none)
    ]
    for r in rows:
        ws.append(r)
    if not write_only:
        ws.append([])
        ws.cell(row=8, column=3, value=CellRichText(["plain ", TextBlock(InlineFont(b=True), "bold")]))
        ws.cell(row=8, column=300, value="far right")
        ws.cell(row=12, column=2, value="after missing rows")
    p = tmp_path / f"mixed-{write_only}.xlsx"
    wb.save(p)
    return p


@pytest.mark.parametrize("write_only", [False, True])
def test_same_values_as_openpyxl_for_every_kind_of_cell(tmp_path, write_only):
    fast, slow = _both(_mixed(tmp_path, write_only))
    assert [_trim(s) for s in fast] == [_trim(s) for s in slow]
    assert any("far right" in str(r) for r in fast[0]) is False  # beyond max_col: dropped by both


def test_raw_xml_cell_kinds(tmp_path):
    """Booleans, errors, formula strings, ISO dates, cells without references, rich inline strings
    and repeated rows, written as raw sheet XML the way other producers do."""
    src = _mixed(tmp_path, False)
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    sheet = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet {ns}><sheetData>'
             '<row r="1"><c r="A1" t="b"><v>1</v></c><c r="B1" t="e"><v>#N/A</v></c>'
             '<c r="C1" t="str"><f>A1&amp;"x"</f><v>TRUEx</v></c><c r="D1" t="d"><v>2012-04-12T00:00:00</v></c></row>'
             '<row r="3"><c t="n"><v>7</v></c><c><v>8.5</v></c><c t="inlineStr"><is><r><t>ri</t></r><r><t>ch</t></r>'
             '</is></c><c r="F3" t="inlineStr"><is><t>plain</t><rPh sb="0" eb="1"><t>ふ</t></rPh></is></c></row>'
             '<row r="2"><c r="A2"><v>99</v></c></row>'
             '<row><c r="B4" t="inlineStr"><is><t/></is></c><c r="C4" t="inlineStr"/></row>'
             '</sheetData></worksheet>')
    out = tmp_path / "raw.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item.filename, sheet.encode() if item.filename == "xl/worksheets/sheet1.xml" else data)
    fast, slow = _both(out)
    assert [_trim(s) for s in fast] == [_trim(s) for s in slow]
    assert fast[0][0][:3] == [True, "#N/A", "TRUEx"]


def test_rows_are_exactly_the_width_once_it_is_set(tmp_path):
    wb = load_workbook(_mixed(tmp_path, False), read_only=True, data_only=True)
    try:
        ws = wb.worksheets[0]
        ws.reset_dimensions()
        src = RowSource(ws, 256)
        it = iter(src)
        first = next(it)
        src.width = 3
        rest = list(it)
        assert len(first) == 6 and {len(r) for r in rest} == {3}
        assert rest[0] == [1, 2.5, -3] and len(rest) == 11  # rows 2-12, the missing ones blank
    finally:
        wb.close()
