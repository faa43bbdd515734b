"""Crafted intake workbooks that stay inside every documented cap but try to exhaust the office:
parts renamed so that no name says what they are, and sheets of tens of millions of empty rows.

Everything is built here, streamed into the zip a megabyte at a time (the test process never holds
a whole part).  Blank rows carry one random bit of whitespace each (a space or a line break), so
the part does not compress beyond the zip-bomb ratio cap: a 250 MiB sheet part is an 18 MB file
(packed fast, at level 1; the issue's own file, packed harder, was 6.4 MB).
"""

from __future__ import annotations

import random
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from ..core.excel_fixtures import intake_rows, write_sheet

SHEET = "xl/worksheets/sheet1.xml"
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_STRINGS_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_STRINGS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
_CHUNK_ROWS = 1 << 17

#: a random byte → a space or a line break (one bit of entropy per row)
_WS = bytes(b" \n"[b & 1] for b in range(256))


def blank_rows(n: int, rng: random.Random, noise: bool = True) -> Iterator[bytes]:
    """``n`` empty rows ``<row/>`` (no ``r`` attribute: they are numbered by position), each
    followed by a random space or line break (``noise``; else always a line break: the part then
    packs about a thousand times smaller), in chunks."""
    left = n
    while left > 0:
        k = min(left, _CHUNK_ROWS)
        buf = bytearray(7 * k)
        for i, ch in enumerate(b"<row/>"):
            buf[i::7] = bytes([ch]) * k
        buf[6::7] = rng.randbytes(k).translate(_WS) if noise else b"\n" * k
        yield bytes(buf)
        left -= k


def rows_for_bytes(size: int) -> int:
    """How many :func:`blank_rows` make ``size`` bytes."""
    return size // 7


def cell_formats(size: int, rng: random.Random) -> Iterator[bytes]:
    """A stylesheet of about ``size`` bytes of bare cell formats ``<xf/>`` (Excel allows 64,000)."""
    yield f'<styleSheet xmlns="{_MAIN}"><cellXfs>'.encode()
    left = size // 6
    while left > 0:
        k = min(left, _CHUNK_ROWS)
        buf = bytearray(6 * k)
        for i, ch in enumerate(b"<xf/>"):
            buf[i::6] = bytes([ch]) * k
        buf[5::6] = rng.randbytes(k).translate(_WS)
        yield bytes(buf)
        left -= k
    yield b"</cellXfs></styleSheet>"


def shared_strings(size: int, rng: random.Random) -> Iterator[bytes]:
    """A shared-string table of about ``size`` bytes: ``<si><t>N</t></si>`` items, random digits."""
    yield f'<sst xmlns="{_MAIN}">'.encode()
    left = size
    while left > 0:
        k = min(left // 16 + 1, _CHUNK_ROWS)
        digits = rng.randbytes(k * 2).translate(bytes(b"0123456789"[b % 10] for b in range(256)))
        yield b"".join(b"<si><t>" + digits[2 * i:2 * i + 2] + b"</t></si>" for i in range(k))
        left -= 17 * k
    yield b"</sst>"


def _data_row(i: int) -> bytes:
    return ("<row>" + "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in (
        f"2012-T-{i:07d}", "activity", "기타", f"먼 행 {i}", "모임", "종로구")) + "</row>").encode()


def intake_with(path: Path, *, blank: int = 0, far_row: bool = False, data_every: int = 0, sheet_part: str = SHEET,
                strings_part: str | None = None, strings_bytes: int = 0, styles_bytes: int = 0, noise: bool = True,
                level: int = 1, seed: int = 7) -> Path:
    """An intake workbook (three good data rows under a title and a header, written by openpyxl)
    whose sheet gets ``blank`` empty rows after the data — then, with ``far_row``, one more data
    row — with its sheet part stored as ``sheet_part`` and, with ``strings_part``, a shared-string
    table of ``strings_bytes`` stored there; [Content_Types].xml and the workbook's relationships
    name the parts where they are, so openpyxl reads them.  With ``data_every``, a data row comes
    after every ``data_every - 1`` blank rows (runs too short to end the table: every row is parsed).
    With ``styles_bytes``, the stylesheet is that many bytes of bare cell formats.  ``level``: how hard
    the parts are packed (1, fast, by default)."""
    rng = random.Random(seed)
    base = write_sheet(path.with_suffix(".base.xlsx"), intake_rows(3))
    with zipfile.ZipFile(base) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    base.unlink()
    sheet = parts.pop(SHEET)
    head, tail = sheet.split(b"</sheetData>", 1)
    head = re.sub(rb"<dimension [^>]*/>", b"", head)  # like many writers: no <dimension>
    types = parts["[Content_Types].xml"].decode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    if sheet_part != SHEET:
        types = types.replace(f'PartName="/{SHEET}"', f'PartName="/{sheet_part}"')
        rels = rels.replace(f'Target="/{SHEET}"', f'Target="/{sheet_part}"')
    if strings_part:
        types = types.replace("</Types>", f'<Override PartName="/{strings_part}" ContentType="{_STRINGS_CT}" /></Types>')
        rels = rels.replace("</Relationships>",
                            f'<Relationship Type="{_STRINGS_REL}" Target="/{strings_part}" Id="rId99" /></Relationships>')
    parts["[Content_Types].xml"], parts["xl/_rels/workbook.xml.rels"] = types.encode(), rels.encode()
    far = _data_row(9000)
    if styles_bytes:
        del parts["xl/styles.xml"]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as out:
        for name, body in parts.items():
            out.writestr(name, body)
        if styles_bytes:
            with out.open("xl/styles.xml", "w", force_zip64=True) as fh:
                for chunk in cell_formats(styles_bytes, rng):
                    fh.write(chunk)
        with out.open(sheet_part, "w", force_zip64=True) as fh:
            fh.write(head)
            if data_every:
                for k in range(blank // data_every):
                    for chunk in blank_rows(data_every - 1, rng):
                        fh.write(chunk)
                    fh.write(_data_row(10_000 + k))
            else:
                for chunk in blank_rows(blank, rng, noise):
                    fh.write(chunk)
            if far_row:
                fh.write(far)
            fh.write(b"</sheetData>" + tail)
        if strings_part:
            with out.open(strings_part, "w", force_zip64=True) as fh:
                for chunk in shared_strings(strings_bytes, rng):
                    fh.write(chunk)
    return path


def part_sizes(path: Path) -> dict[str, tuple[int, int]]:
    """{part: (unpacked bytes, stored bytes)}."""
    with zipfile.ZipFile(path) as zf:
        return {i.filename: (i.file_size, i.compress_size) for i in zf.infolist()}
