"""openpyxl's read-only workbook loader, with every reader whose memory grows with its part
replaced by a bounded one.

openpyxl keeps every element it has read in the tree (see :mod:`.xmlstream`), holds the string
table as one Python string per entry (~60 bytes each even for two characters: a 64 MB table of tiny
strings cost over 600 MB) and builds an object for every cell format of the stylesheet (a 15 MB
``styles.xml`` of bare ``<xf/>`` took 1.6 GB).  Here, through :func:`.xmlstream.elements`:

* the shared-string table is kept as UTF-8 bytes with an offset per entry (:class:`StringTable`);
* of the stylesheet only what reading values needs is read: which cell formats are dates and which
  durations (openpyxl's own rules, one byte per format: :class:`FormatIndex`) — nothing here reads
  fonts, fills or borders;
* a sheet's ``<dimension>`` is looked for up to its ``<sheetData>``;
* ``iter_rows(values_only=True)`` (the ``_meta`` sheet, a fallback) runs on the bounded parser of
  :mod:`.sheetxml`.

Everything else is openpyxl's own code: the same parts, read in the same order, with the same
parser and the same cell and text decoding.
"""

from __future__ import annotations

from array import array
from pathlib import Path
from typing import IO

from ..messages import msg
from .xmlstream import UnreadableXML, elements

#: bytes read at a time where only a part's first elements are wanted (a sheet's ``<dimension>``)
HEAD_CHUNK = 4 * 1024


class StringTable:
    """The shared strings: a read-only sequence of ``str``, stored as UTF-8 with one offset each."""

    def __init__(self) -> None:
        self._data = bytearray()
        self._ends = array("Q")

    def append(self, text: str) -> None:
        self._data += text.encode("utf-8", "surrogatepass")
        self._ends.append(len(self._data))

    def __len__(self) -> int:
        return len(self._ends)

    def __getitem__(self, i: int) -> str:
        ends = self._ends
        if i < 0:
            i += len(ends)
        if not 0 <= i < len(ends):
            raise IndexError("shared string index out of range")
        start = ends[i - 1] if i else 0
        return self._data[start:ends[i]].decode("utf-8", "surrogatepass")

    def __iter__(self):
        return (self[i] for i in range(len(self)))


def read_strings(fh: IO[bytes]) -> StringTable:
    """The shared-string table, decoded exactly as openpyxl's ``read_string_table`` decodes it
    (a plain ``<si><t>…</t></si>`` without the rich-text machinery)."""
    from openpyxl.cell.text import Text
    from openpyxl.xml.constants import SHEET_MAIN_NS

    si, t = "{%s}si" % SHEET_MAIN_NS, "{%s}t" % SHEET_MAIN_NS
    out = StringTable()
    for event, el, _depth in elements(fh, flat=2):
        if event == "end" and el.tag == si:
            if len(el) == 1 and el[0].tag == t and not len(el[0]):
                text = el[0].text or ""
            else:
                text = Text.from_tree(el).content
            out.append(text.replace("x005F_", ""))
    return out


class FormatIndex:
    """Which cell formats (``s`` attributes) are dates, or durations: one byte per format."""

    def __init__(self, flags: bytearray) -> None:
        self._flags = flags

    def __contains__(self, style: object) -> bool:
        return type(style) is int and 0 <= style < len(self._flags) and bool(self._flags[style])

    def __len__(self) -> int:
        return sum(1 for b in self._flags if b)


def read_formats(fh: IO[bytes]) -> tuple[FormatIndex, FormatIndex]:
    """(date formats, duration formats) of a stylesheet, by openpyxl's rules
    (``Stylesheet._normalise_numbers``: a cell format's number format is the stylesheet's own
    ``numFmt`` with that id, else the built-in one)."""
    from openpyxl.styles.numbers import builtin_format_code, is_date_format, is_timedelta_format
    from openpyxl.xml.constants import SHEET_MAIN_NS

    ns = "{%s}" % SHEET_MAIN_NS
    num_fmt, cell_xfs, xf = ns + "numFmt", ns + "cellXfs", ns + "xf"
    custom: dict[int, str] = {}
    ids = array("q")
    in_cell_xfs = False
    for event, el, depth in elements(fh, flat=3):
        if event == "start":
            if el.tag == cell_xfs and depth == 2:
                in_cell_xfs = True
        elif el.tag == xf and in_cell_xfs and depth == 3:
            ids.append(int(el.get("numFmtId", 0)))
        elif el.tag == num_fmt:
            custom[int(el.get("numFmtId"))] = el.get("formatCode")
        elif el.tag == cell_xfs and depth == 2:
            in_cell_xfs = False
    kinds: dict[int, int] = {}
    for i in set(ids):
        fmt = custom[i] if i in custom else builtin_format_code(i)
        kinds[i] = (1 if is_date_format(fmt) else 0) | (2 if is_timedelta_format(fmt) else 0)
    flags = bytearray(kinds[i] for i in ids)
    return FormatIndex(bytearray(b & 1 for b in flags)), FormatIndex(bytearray(b & 2 for b in flags))


def sheet_dimensions(fh: IO[bytes]):
    """``(min_col, min_row, max_col, max_row)`` from a sheet's ``<dimension>``, or None (what
    openpyxl's ``parse_dimensions`` gives, reading no further than ``<sheetData>``)."""
    from openpyxl.worksheet._reader import DATA_TAG, DIMENSION_TAG
    from openpyxl.worksheet.dimensions import SheetDimension

    # small reads: <dimension> is among a sheet's first elements, and the parser builds every
    # element of the chunk it is fed (64 KB of rows: ~15,000 elements, for one attribute)
    for event, el, _depth in elements(fh, flat=2, chunk_size=HEAD_CHUNK):
        if event == "start" and el.tag == DATA_TAG:
            return None
        if event == "end" and el.tag == DIMENSION_TAG:
            return SheetDimension.from_tree(el).boundaries
    return None


def load(path: Path):
    """``load_workbook(path, read_only=True, data_only=True, keep_links=False)`` with the bounded
    readers above."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    class Sheet(ReadOnlyWorksheet):
        def _cells_by_row(self, min_col, min_row, max_col, max_row, values_only=False):
            if not values_only:  # pragma: no cover - the app reads values only
                yield from super()._cells_by_row(min_col, min_row, max_col, max_row, values_only)
                return
            yield from _values_by_row(self, min_col, min_row, max_col, max_row)

        def _get_size(self):
            with self._get_source() as src:
                try:
                    dimensions = sheet_dimensions(src)
                except UnreadableXML as exc:
                    raise UnreadableXML(msg("excel.xml.in_part", "in its part {part}, {reason}",
                                            part=self._worksheet_path, reason=exc.sentence)) from None
            if dimensions is not None:
                self._min_column, self._min_row, self._max_column, self._max_row = dimensions

    class Reader(ExcelReader):
        def read(self):  # openpyxl's own sequence, with the stylesheet read for its number formats only
            action = "read manifest"
            try:
                self.read_manifest()
                action = "read strings"
                self.read_strings()
                action = "read workbook"
                self.read_workbook()
                action = "read properties"
                self.read_properties()
                action = "read custom properties"
                self.read_custom()
                action = "read theme"
                self.read_theme()
                action = "read stylesheet"
                self.read_formats()
                action = "read worksheets"
                self.read_worksheets()
                action = "assign names"
                self.parser.assign_names()
            except ValueError as e:
                raise ValueError(f"Unable to read workbook: could not {action}.") from e

        def read_formats(self):
            from openpyxl.xml.constants import ARC_STYLE

            if ARC_STYLE not in self.valid_files:
                return
            with self.archive.open(ARC_STYLE) as src:
                try:
                    self.wb._date_formats, self.wb._timedelta_formats = read_formats(src)
                except UnreadableXML as exc:
                    raise UnreadableXML(msg("excel.xml.in_part", "in its part {part}, {reason}", part=ARC_STYLE,
                                            reason=exc.sentence)) from None

        def read_strings(self):
            from openpyxl.xml.constants import SHARED_STRINGS

            ct = self.package.find(SHARED_STRINGS)
            if ct is not None:
                name = ct.PartName[1:]
                with self.archive.open(name) as src:
                    try:
                        self.shared_strings = read_strings(src)
                    except UnreadableXML as exc:
                        raise UnreadableXML(msg("excel.xml.in_part", "in its part {part}, {reason}", part=name,
                                                reason=exc.sentence)) from None

        def read_worksheets(self):  # the read-only branch of openpyxl's own
            for sheet, rel in self.parser.find_sheets():
                if rel.target not in self.valid_files:
                    continue
                if "chartsheet" in rel.Type:
                    self.read_chartsheet(sheet, rel)
                    continue
                ws = Sheet(self.wb, sheet.name, rel.target, self.shared_strings)
                ws.sheet_state = sheet.state
                self.wb._sheets.append(ws)

    reader = Reader(path, read_only=True, data_only=True, keep_links=False)
    reader.read()
    return reader.wb


def _values_by_row(ws, min_col, min_row, max_col, max_row):
    """``ReadOnlyWorksheet._cells_by_row(…, values_only=True)`` on the bounded parser."""
    from .sheetxml import RowSource

    max_col = max_col or ws.max_column
    max_row = max_row or ws.max_row
    empty_row = (None,) * (max_col + 1 - min_col) if max_col is not None else ()
    counter = min_row
    idx = 0
    for idx, values in enumerate(RowSource(ws, max_col or 16_384), start=1):
        if max_row is not None and idx > max_row:
            break
        if idx < counter:
            continue
        counter += 1
        if not values and not max_col:
            yield ()
            continue
        last = max_col or len(values)
        row = list(values[min_col - 1:last])
        yield tuple(row) + (None,) * (last + 1 - min_col - len(row))
    if max_row is not None and max_row < idx:
        return
    if max_row is not None:
        for _ in range(counter, max_row + 1):
            yield empty_row
