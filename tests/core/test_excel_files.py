"""Files that are not what they claim: each ends with one clear sentence naming the file, quickly,
and the database is unchanged."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from evaluator.errors import ValidationError
from evaluator.excel import safety

from .excel_fixtures import ENCRYPTED, LO_MESSY, before_visits, intake_rows, state, write_sheet  # noqa: F401

BOMB_DTD = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
            + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                       for i in range(1, 10))
            + b"]>\n")


def _rewrite(src: Path, dst: Path, replace: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item.filename, replace.get(item.filename, zin.read(item.filename)))
    return dst


def _plain_sheet(tmp: Path) -> Path:
    return write_sheet(tmp / "plain.xlsx", intake_rows(3))


def _bomb_strings(tmp: Path) -> Path:
    with zipfile.ZipFile(LO_MESSY) as zf:
        body = zf.read("xl/sharedStrings.xml").split(b"?>", 1)[1]
    return _rewrite(LO_MESSY, tmp / "bomb.xlsx", {"xl/sharedStrings.xml": BOMB_DTD + body.replace(b"</t>", b"&lol9;</t>", 1)})


def _bomb_hidden_deep(tmp: Path) -> Path:
    # the DTD sits after 8 KB of comment, past our quick prolog probe: defusedxml must catch it
    with zipfile.ZipFile(LO_MESSY) as zf:
        body = zf.read("xl/worksheets/sheet1.xml").split(b"?>", 1)[1]
    head, rest = BOMB_DTD.split(b"\n", 1)
    xml = head + b"\n<!--" + b" " * 8192 + b"-->\n" + rest + body.replace(b"</v>", b"&lol9;</v>", 1)
    return _rewrite(LO_MESSY, tmp / "bomb2.xlsx", {"xl/worksheets/sheet1.xml": xml})


def _zip_bomb(tmp: Path) -> Path:
    src = _plain_sheet(tmp)
    with zipfile.ZipFile(src) as zf:
        body = zf.read("xl/worksheets/sheet1.xml")
    padded = body.replace(b"<sheetData>", b"<sheetData>" + b" " * (24 * 1024 * 1024), 1)
    return _rewrite(src, tmp / "zipbomb.xlsx", {"xl/worksheets/sheet1.xml": padded})


def _truncated(tmp: Path) -> Path:
    data = LO_MESSY.read_bytes()
    p = tmp / "truncated.xlsx"
    p.write_bytes(data[: len(data) // 2])
    return p


def _corrupt(tmp: Path) -> Path:
    src = _plain_sheet(tmp)
    raw = bytearray(src.read_bytes())
    with zipfile.ZipFile(src) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for i in range(start + 10, start + min(info.compress_size, 200)):
        raw[i] ^= 0x5A
    p = tmp / "corrupt.xlsx"
    p.write_bytes(bytes(raw))
    return p


def _central_entry_edit(tmp: Path, name: str, edit) -> Path:
    """A plain sheet with one byte-level edit of the central directory entry of its worksheet."""
    raw = bytearray(_plain_sheet(tmp).read_bytes())
    at = raw.index(b"PK\x01\x02")
    while raw[at + 46: at + 46 + len(b"xl/worksheets/sheet1.xml")] != b"xl/worksheets/sheet1.xml":
        at = raw.index(b"PK\x01\x02", at + 4)
    edit(raw, at)
    p = tmp / name
    p.write_bytes(bytes(raw))
    return p


def _zip_version(tmp: Path) -> Path:  # zipfile: NotImplementedError("zip file version 25.5")
    return _central_entry_edit(tmp, "version.xlsx", lambda raw, at: raw.__setitem__(slice(at + 6, at + 8), b"\xff\x00"))


def _zip_method(tmp: Path) -> Path:  # zipfile: NotImplementedError("compression type 99")
    return _central_entry_edit(tmp, "method.xlsx", lambda raw, at: raw.__setitem__(slice(at + 10, at + 12), b"\x63\x00"))


def _zip_name(tmp: Path) -> Path:  # a name flagged UTF-8 that is not: UnicodeDecodeError
    def edit(raw: bytearray, at: int) -> None:
        raw[at + 9] |= 0x08  # general purpose flag bit 11 (0x0800): the name is UTF-8
        raw[at + 47] = 0xFF
    return _central_entry_edit(tmp, "name.xlsx", edit)


def _zip_of(tmp: Path, name: str, members: dict[str, bytes]) -> Path:
    p = tmp / name
    with zipfile.ZipFile(p, "w") as zf:
        for k, v in members.items():
            zf.writestr(k, v)
    return p


def _text_file(tmp: Path, name: str, text: str) -> Path:
    p = tmp / name
    p.write_text(text, encoding="utf-8")
    return p


def _old_xls(tmp: Path) -> Path:
    p = tmp / "old.xls"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4000 + "Workbook".encode("utf-16-le"))
    return p


CASES = {
    "empty": (lambda t: _text_file(t, "empty.xlsx", ""), "is empty"),
    "csv": (lambda t: _text_file(t, "list.xlsx", "접수번호,사업명\n1,가\n"), "is not an Excel workbook"),
    "html": (lambda t: _text_file(t, "web.xls", "<html><table><tr><td>1</td></tr></table></html>"),
             "web page (HTML table)"),
    "ods": (lambda t: _zip_of(t, "sheet.ods", {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                                               "content.xml": b"<x/>"}), "OpenDocument spreadsheet"),
    "docx": (lambda t: _zip_of(t, "letter.xlsx", {"[Content_Types].xml": b"<x/>", "word/document.xml": b"<x/>"}),
             "Word document"),
    "zip": (lambda t: _zip_of(t, "photos.xlsx", {"a.txt": b"hello"}), "a zip archive"),
    "old xls": (_old_xls, "old Excel 97–2003 (.xls)"),
    "encrypted": (lambda t: ENCRYPTED, "password-protected"),
    "truncated": (_truncated, "damaged or truncated"),
    "corrupt part": (_corrupt, "damaged"),
    "zip version": (_zip_version, "is damaged or truncated"),
    "zip method": (_zip_method, "is damaged"),
    "zip name": (_zip_name, "is damaged"),
    "entity bomb": (_bomb_strings, "declares a DTD"),
    "deep entity bomb": (_bomb_hidden_deep, "XML bomb"),
    "zip bomb": (_zip_bomb, "zip bomb"),
    "missing": (lambda t: t / "nowhere.xlsx", "does not exist"),
    "folder": (lambda t: t, "is a folder"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_files_end_with_one_clear_sentence_and_change_nothing(before_visits, tmp_path, case):
    make, needle = CASES[case]
    path = make(tmp_path)
    before = state(before_visits)
    with pytest.raises(ValidationError) as ei:
        before_visits.excel.import_applications(path)
    msg = str(ei.value)
    assert needle in msg, msg
    assert Path(path).name in msg
    assert "\n" not in msg and "Traceback" not in msg
    with pytest.raises(ValidationError):
        before_visits.excel.preview_applications(path)
    assert state(before_visits) == before


def test_absurd_sizes_are_refused(before_visits, tmp_path, monkeypatch):
    f = write_sheet(tmp_path / "rows.xlsx", intake_rows(60))
    before = state(before_visits)
    monkeypatch.setattr(safety, "MAX_DATA_ROWS", 50)
    with pytest.raises(ValidationError, match="more than 50 data rows"):
        before_visits.excel.import_applications(f)
    monkeypatch.setattr(safety, "MAX_DATA_ROWS", 100_000)
    monkeypatch.setattr(safety, "MAX_CELLS", 300)
    with pytest.raises(ValidationError, match="data rows of 10 columns"):
        before_visits.excel.import_applications(f)
    monkeypatch.setattr(safety, "MAX_FILE_BYTES", 1000)
    with pytest.raises(ValidationError, match=r"rows.xlsx is too large"):
        before_visits.excel.import_applications(f)
    assert state(before_visits) == before


def test_cells_far_right_are_not_read_but_reported(before_visits, tmp_path, monkeypatch):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "접수현황"
    for r in intake_rows(2):
        ws.append(r)
    ws.cell(row=4, column=300, value="far away")
    f = tmp_path / "wide.xlsx"
    wb.save(f)
    rep = before_visits.excel.import_applications(f).value
    assert len(rep.added) == 2
    assert any("first 256 columns" in str(w) for w in rep.warnings)


def test_blank_rows_to_the_bottom_of_the_sheet_end_the_table(before_visits, tmp_path):
    # a sheet whose formatting runs to row 20,000 reads quickly and imports its three rows
    from openpyxl import Workbook

    def tall(name: str, far_row: bool):
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("접수현황")
        for r in intake_rows(3):
            ws.append(r)
        for _ in range(20_000):
            ws.append([None, " ", None])
        if far_row:
            ws.append(["2012-T-9000", "activity", "기타", "아주 먼 행", "모임", "종로구", 5, 0, 0, "2012.04.12"])
        wb.save(tmp_path / name)
        return tmp_path / name

    # data far below the blank rows is never left out without a word: the import is refused
    before = before_visits.info().applications
    with pytest.raises(ValidationError) as err:
        before_visits.excel.import_applications(tall("far.xlsx", far_row=True))
    assert "row 20007 holds data below a long run of blank rows (from row 7)" in str(err.value)
    assert before_visits.info().applications == before
    rep = before_visits.excel.import_applications(tall("tall.xlsx", far_row=False)).value
    assert len(rep.added) == 3  # the table ended after 5,000 blank rows


def test_import_streams_in_bounded_memory(before_visits, tmp_path):
    import tracemalloc

    def peak(n: int) -> int:
        f = write_sheet(tmp_path / f"mem{n}.xlsx", intake_rows(n))
        before_visits.excel.import_applications(f, dry_run=True)  # warm caches
        tracemalloc.start()
        try:
            before_visits.excel.import_applications(f, dry_run=True)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    small, large = peak(150), peak(900)
    # six times the rows, nowhere near six times the memory: rows stream in batches; only IDs are kept
    assert large < small * 2.5, (small, large)
