"""A worksheet's rows straight from its XML, in bounded memory and — below the table — without
parsing what holds nothing.

:class:`ValuesParser` is openpyxl's read-only sheet parser (the same defused parser, the same cell
decoding: ``parse_cell`` for dates, booleans, errors and formula strings) driven a chunk at a time:
each chunk is cut after its last complete row, and every finished cell, row and other element
leaves the tree as soon as it is read (openpyxl clears them but keeps them in the tree: a sheet of
forty million ``<row/>`` took 3.65 GB).  The limits of :mod:`.xmlstream` apply, a cell being the
item.

Once the reader has seen a long run of blank rows (:data:`evaluator.excel.sheet.BLANK_RUN_END`)
it sets :attr:`ValuesParser.tail`: the rest of the sheet can only matter if it holds a value, so
the parser stops parsing and searches the remaining bytes for value elements (``<v>``, ``<is>``),
parsing exactly — with the sheet's own namespaces and the same cell decoding — only the rows that
hold one, and counting the rows in between.  Forty million empty rows are then a byte search, not
forty million parser events.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from xml.sax.saxutils import quoteattr

from openpyxl.cell.text import Text
from openpyxl.utils.cell import column_index_from_string
from openpyxl.worksheet._reader import INLINE_STRING, ROW_TAG, VALUE_TAG, WorkSheetParser, _cast_number
from openpyxl.xml.constants import SHEET_MAIN_NS

from ..messages import msg
from .xmlstream import CHUNK, MAX_DEPTH, Guard, UnreadableXML

#: the last row of an Excel (and LibreOffice) sheet: a row past it, above the table's end, is refused
MAX_SHEET_ROWS = 1_048_576
MAX_SHEET_COLUMNS = 16_384
#: bytes searched at a time below the table
SCAN_CHUNK = 1024 * 1024
#: a piece with no complete row in it this long is fed as it is (a long row, or the XML after the rows)
MAX_CARRY = 1024 * 1024

_T_TAG = "{%s}t" % SHEET_MAIN_NS
_NAME = rb"(?:[A-Za-z_][\w.\-]*:)?"
#: the end of a row: ``</row>`` or ``<row …/>`` (``<`` cannot occur inside text or attribute values)
_ROW_END = re.compile(rb"</" + _NAME + rb"row\s*>|<" + _NAME + rb"row(?:\s[^<>]*)?/>")
_ROW_START = re.compile(rb"<(" + _NAME + rb")row(?=[\s/>])")
#: an element that holds a cell's value
_VALUE = re.compile(rb"<" + _NAME + rb"(?:v|is)(?=[\s>])(?!>\s*</)")  # not an empty <v></v> (a formula's "")
_DATA_END = re.compile(rb"</" + _NAME + rb"sheetData\s*>")
_XML_DECL = re.compile(rb"<\?xml[^>]*\?>")
_LETTERS: dict[str, int] = {}


def _column_of(coordinate: str) -> int:
    col = coordinate.rstrip("0123456789")
    n = _LETTERS.get(col)
    if n is None:  # at most 16,384 valid column names; an invalid one raises ValueError
        n = _LETTERS[col] = column_index_from_string(col)
    return n


def _row_boundary(buf: bytes) -> int | None:
    """Where the last complete row in ``buf`` ends (None: no row ends in it)."""
    start = max(0, len(buf) - 4096)
    while True:
        last = None
        for last in _ROW_END.finditer(buf, start):
            pass
        if last is not None:
            return last.end()
        if start == 0:
            return None
        start = max(0, start - 16 * (len(buf) - start))


def _last_row_start(buf: bytes, lo: int, hi: int) -> re.Match | None:
    """The last row start tag beginning in ``buf[lo:hi]``."""
    while True:
        i = buf.rfind(b"row", lo, hi)
        if i < 0:
            return None
        j = i - 1
        while j >= lo and buf[j] not in b"<>/ \t\r\n\"'=":
            j -= 1  # over a namespace prefix
        if j >= lo and buf[j] == 0x3C:  # "<"
            m = _ROW_START.match(buf, j)
            if m is not None and m.end() == i + 3:
                return m
        hi = i


_NUMBERED: dict[bytes, re.Pattern] = {}
#: the names of the value elements, searched for with ``bytes.find`` (memchr-fast where they do not
#: occur at all, as in a run of empty rows); a hit counts when it follows ``<`` or a prefix's ``:``
_VALUE_NAMES = (b"v", b"is")


class _Values:
    """The value elements of a buffer in order, confirmed with :data:`_VALUE`."""

    def __init__(self, buf: bytes) -> None:
        self.buf = buf
        self._next = [-2] * len(_VALUE_NAMES)  # each name's next hit at or after the last position asked

    def search(self, pos: int) -> re.Match | None:
        buf, nxt = self.buf, self._next
        while True:
            best = -1
            for k, name in enumerate(_VALUE_NAMES):
                i = nxt[k]
                if i != -1 and i < pos:
                    i = nxt[k] = buf.find(name, pos)
                if i >= 0 and (best < 0 or i < best):
                    best = i
            if best < 0:
                return None
            before = buf[best - 1] if best else 0
            if before == 0x3C:  # "<v"
                m = _VALUE.match(buf, best - 1)
            elif before == 0x3A:  # "<x:v"
                start = buf.rfind(b"<", max(0, best - 128), best)
                m = _VALUE.match(buf, start) if start >= 0 else None
            else:
                m = None
            if m is not None and m.start() >= pos:
                return m
            pos = best + 1


def _data_end(buf: bytes) -> int | None:
    """Where ``</sheetData>`` starts in ``buf`` (None: not in it)."""
    pos = 0
    while True:
        i = buf.find(b"sheetData", pos)
        if i < 0:
            return None
        start = buf.rfind(b"</", max(0, i - 128), i)
        if start >= 0:
            m = _DATA_END.match(buf, start)
            if m is not None:
                return start
        pos = i + 1


def _advance(counter: int, buf: bytes, lo: int, hi: int, tag: bytes) -> tuple[int, int]:
    """The row counter after the rows that start in ``buf[lo:hi]`` (``tag``: ``<row`` or ``<x:row``;
    a row's ``r`` sets the counter, a row without one adds one), and the highest row number among
    them (0: no row)."""
    if lo >= hi:
        return counter, 0
    if buf.find(b"=", lo, hi) < 0:  # no attribute at all: a run of bare <row/>, counted in C
        n = buf.count(tag, lo, hi)
        return counter + n, counter + n if n else 0
    pat = _NUMBERED.get(tag)
    if pat is None:
        pat = _NUMBERED[tag] = re.compile(re.escape(tag) + rb"(?=[\s/>])(?:[^<>]*?\sr\s*=\s*[\"']\s*(\d+))?")
    highest = 0
    for m in pat.finditer(buf, lo, hi):
        counter = int(m.group(1)) if m.group(1) else counter + 1
        if counter > highest:
            highest = counter
    return counter, highest


class ValuesParser(WorkSheetParser):
    """``parse()`` yields (row number, list of values) instead of (row number, cell dicts)."""

    source_rows: Any  # the RowSource: its width (once known) and column cap
    #: set by the reader after a long run of blank rows: from then on only rows with a value count
    tail = False
    #: called between chunks while searching below the table (the reader's cancel check)
    on_chunk: Any = None
    #: while searching: the highest row number passed before the row just given
    passed = 0

    # --- one row, cell by cell ------------------------------------------------------------------
    def _begin_row(self, row) -> None:
        r = row.get("r")
        if r is not None:
            try:
                self.row_counter = int(r)
            except ValueError:
                val = float(r)
                if not val.is_integer():
                    raise ValueError(f"{r} is not a valid row number") from None
                self.row_counter = int(val)
        else:
            self.row_counter += 1
        if self.row_counter > MAX_SHEET_ROWS and not self.tail:
            raise UnreadableXML(msg("excel.xml.row_past_end", "row {row:,} is past the last row a spreadsheet can "
                                    "have ({limit:,}); the file was not saved by Excel or LibreOffice",
                                    row=self.row_counter, limit=MAX_SHEET_ROWS))
        src = self.source_rows
        self._width = width = src.width
        self._cap = width or src.max_col
        self._values = [None] * width if width else []
        self._col = 0

    def _cell(self, el) -> None:
        coordinate = el.get("r")
        if coordinate:
            try:
                col = _column_of(coordinate)
            except ValueError:
                col = self.parse_cell(el)["column"]  # openpyxl's own error for a bad reference
        else:
            col = self._col + 1
        self._col = col
        if col > self._cap:
            if col > MAX_SHEET_COLUMNS:
                raise UnreadableXML(msg("excel.xml.column_past_end", "row {row:,} has a cell past column {limit:,} "
                                        "(XFD), the last a spreadsheet can have", row=self.row_counter,
                                        limit=MAX_SHEET_COLUMNS))
            return
        t = el.get("t")
        if t == "s":
            v = el.findtext(VALUE_TAG, None)
            value = self.shared_strings[int(v)] if v else None
        elif t is None or t == "n":
            v = el.findtext(VALUE_TAG, None)
            if not v:
                value = None
            elif el.get("s") and int(el.get("s")) in self.date_formats:
                self.col_counter = col - 1
                value = self.parse_cell(el)["value"]  # a date: openpyxl's conversion and limits
            else:
                value = _cast_number(v)
        elif t == "inlineStr":
            child = el.find(INLINE_STRING)
            if child is None:
                value = None
            elif len(child) == 1 and child[0].tag == _T_TAG:
                value = child[0].text or ""
            else:
                value = Text.from_tree(child).content
        else:  # booleans, errors, formula strings, ISO dates: exactly as openpyxl reads them
            self.col_counter = col - 1
            value = self.parse_cell(el)["value"]
        values = self._values
        if self._width:
            values[col - 1] = value
        else:
            if len(values) < col:
                values.extend([None] * (col - len(values)))
            values[col - 1] = value

    def _end_row(self) -> tuple[int, list]:
        self.col_counter = self._col
        return self.row_counter, self._values

    def parse_row(self, row):
        self._begin_row(row)
        for el in row:
            self._cell(el)
        return self._end_row()

    # --- the sheet, chunk by chunk --------------------------------------------------------------
    def parse(self) -> Iterator[tuple[int, list]]:
        """(row number, values) for every row of the sheet, in order.

        Expat drives this directly: outside rows nothing is built at all (an element is a depth
        count), and inside a row a tree builder makes each cell an element — exactly as
        ElementTree would, so openpyxl's cell decoding applies — which is read and dropped when it
        ends.  defusedxml's rules hold: no entity declarations, no external references."""
        from xml.etree.ElementTree import ParseError, TreeBuilder
        from xml.parsers import expat

        from defusedxml.common import EntitiesForbidden, ExternalReferenceForbidden

        src = self.source
        guard = Guard()
        px = expat.ParserCreate(None, "}")
        px.buffer_text = True
        names: dict[str, str] = {}
        ns: dict[str, str] = {}
        self._ns, self._decl = ns, b""
        done: list[tuple[int, list]] = []  # rows finished by the last piece fed
        depth = row_at = seen = 0  # the element depth now, the row's (0: outside rows), elements seen
        tb: Any = None
        row: Any = None

        def fix(name: str) -> str:
            tag = names.get(name)
            if tag is None:
                tag = names[name] = "{" + name if "}" in name else name
            return tag

        def attrib(attrs: dict) -> dict:
            for k in attrs:
                if "}" in k:  # a namespaced attribute (xml:space): named as ElementTree names it
                    return {fix(k): v for k, v in attrs.items()}
            return attrs

        def start(name: str, attrs: dict) -> None:
            nonlocal depth, row_at, seen, tb, row
            depth += 1
            seen += 1
            if depth > MAX_DEPTH:
                raise UnreadableXML(msg("excel.xml.too_deep", "elements are nested more than {limit} deep", limit=MAX_DEPTH))
            if row_at:
                if depth == row_at + 1:
                    guard.item_start = guard.fed  # a cell
                tb.start(fix(name), attrib(attrs) if attrs else {})
            elif fix(name) == ROW_TAG:
                row_at = depth
                tb = TreeBuilder()
                row = tb.start(ROW_TAG, attrib(attrs) if attrs else {})
                self._begin_row(row)
                px.CharacterDataHandler = tb.data

        def end(name: str) -> None:
            nonlocal depth, row_at, seen, tb, row
            seen += 1
            if row_at:
                el = tb.end(fix(name))
                if depth == row_at + 1:  # a cell of the row: read, then dropped
                    self._cell(el)
                    del row[:]
                    guard.item_start = -1
                elif depth == row_at:
                    done.append(self._end_row())
                    row_at, tb, row = 0, None, None
                    px.CharacterDataHandler = None
            depth -= 1

        def start_ns(prefix: str | None, uri: str | None) -> None:
            ns[prefix or ""] = uri or ""  # kept for parsing single rows below the table

        def entity(name, *_args) -> None:
            raise EntitiesForbidden(name, None, None, None, None, None)

        def external(context, base, sysid, pubid) -> None:
            raise ExternalReferenceForbidden(context, base, sysid, pubid)

        px.StartElementHandler, px.EndElementHandler = start, end
        px.StartNamespaceDeclHandler = start_ns
        px.EntityDeclHandler, px.UnparsedEntityDeclHandler = entity, entity
        px.ExternalEntityRefHandler = external

        def feed(data: bytes, final: bool = False) -> None:
            try:
                px.Parse(data, final)
            except expat.ExpatError as exc:
                err = ParseError(exc)
                err.code, err.position = exc.code, (exc.lineno, exc.offset)
                raise err from None

        try:
            scannable = None
            carry = b""
            while True:
                chunk = src.read(CHUNK)
                if scannable is None:
                    scannable = self._sniff(chunk)
                aligned = False
                seen = 0
                if chunk:
                    buf = carry + chunk if carry else chunk
                    cut = _row_boundary(buf)
                    if cut is None:
                        if len(buf) < MAX_CARRY:
                            carry = buf
                            continue
                        piece, carry = buf, b""
                    else:
                        piece, carry, aligned = buf[:cut], buf[cut:], True
                    guard.fed_chunk(len(piece))
                    feed(piece)
                else:
                    guard.fed_chunk(len(carry))
                    feed(carry, True)
                    carry = b""
                guard.events_seen(seen > 0, depth)
                if done:
                    for idx, values in done:
                        width = self.source_rows.width  # may be set while rows are taken
                        if width and len(values) != width:
                            values = values[:width] if len(values) > width else values + [None] * (width - len(values))
                        yield idx, values
                    done.clear()
                if not chunk:
                    return
                if self.tail and aligned and not row_at and scannable:
                    yield from self._below(carry)
                    return
        finally:
            # the handlers close over the parser: unhooked, the parser and its buffers (about twice
            # the largest piece fed) go now, not at the next full cyclic garbage collection
            px.StartElementHandler = px.EndElementHandler = px.CharacterDataHandler = None
            px.StartNamespaceDeclHandler = px.EntityDeclHandler = px.UnparsedEntityDeclHandler = None
            px.ExternalEntityRefHandler = None

    def _sniff(self, head: bytes) -> bool:
        """The XML declaration (repeated when single rows are parsed); False for a part whose markup
        is not ASCII bytes (UTF-16), which is then read to its end by the parser instead."""
        if head.startswith((b"\xff\xfe", b"\xfe\xff")) or head[:2] in (b"<\x00", b"\x00<"):
            return False
        m = _XML_DECL.match(head.removeprefix(b"\xef\xbb\xbf"))
        self._decl = m.group(0) if m else b""
        return b"utf-16" not in self._decl.lower()

    # --- below the table ------------------------------------------------------------------------
    def _below(self, buf: bytes) -> Iterator[tuple[int, list]]:
        """The rows below the point reached that hold a value element, each parsed exactly; the
        others are only counted.  ``buf`` starts where a row may start."""
        src = self.source
        counter = passed = self.row_counter
        decls = b"".join(
            (b" xmlns:" + p.encode() if p else b" xmlns") + b"=" + quoteattr(uri).encode() for p, uri in self._ns.items()
        )
        tag = b""
        done = False
        while not done:
            more = src.read(SCAN_CHUNK)
            if self.on_chunk is not None:
                self.on_chunk()
            buf = buf + more if buf else more
            if more:
                cut = _row_boundary(buf)
                if cut is None:
                    if len(buf) < MAX_CARRY:
                        continue
                    cut = len(buf)
            else:
                cut, done = len(buf), True
            region, buf = buf[:cut], buf[cut:]
            end = _data_end(region)
            if end is not None:
                region, done = region[:end], True
            if not tag:
                first = _ROW_START.search(region)
                tag = b"<" + first.group(1) + b"row" if first is not None else b""
            pos = 0
            values = _Values(region)
            rows = tag or b"<row"
            while True:
                v = values.search(pos)
                if v is None:
                    break
                start = _last_row_start(region, pos, v.start())
                if start is None or _ROW_END.search(region, start.start(), v.start()) is not None:
                    counter, high = _advance(counter, region, pos, v.end(), rows)  # not in a row: nothing to read
                    passed = max(passed, high)
                    pos = v.end()
                    continue
                counter, high = _advance(counter, region, pos, start.start(), rows)
                passed = max(passed, high)
                stop = _ROW_END.search(region, v.end())
                end = stop.end() if stop is not None else len(region)
                got = self._single_row(region[start.start():end], counter, decls)
                if got is None:
                    counter, high = _advance(counter, region, start.start(), end, rows)
                    passed = max(passed, high)
                else:
                    self.passed = passed  # the rows before it: one numbered at or below is dropped
                    counter = got[0]
                    passed = max(passed, counter)
                    yield got
                pos = end
            counter, high = _advance(counter, region, pos, len(region), rows)
            passed = max(passed, high)
        self.passed = passed
        self.row_counter = counter

    def _single_row(self, data: bytes, counter: int, decls: bytes) -> tuple[int, list] | None:
        """One row's bytes parsed exactly as the sheet would parse it (``decls``: its namespaces)."""
        from defusedxml.ElementTree import fromstring

        root = fromstring(self._decl + b"<maeul-row" + decls + b">" + data + b"</maeul-row>")
        if len(root) != 1 or root[0].tag != ROW_TAG:
            return None
        self.row_counter = counter
        return self.parse_row(root[0])


class RowSource:
    """The values of a read-only sheet, row by row: one list per sheet row from row 1 (a row the
    file leaves out comes as an empty tuple), cells right of ``max_col`` dropped.

    This is what ``ws.iter_rows(values_only=True)`` gives — openpyxl's cell decoding, defusedxml's
    rules — read by :class:`ValuesParser` in bounded memory, without openpyxl's per-row
    padding to ``max_col``, its dict per cell and its rich-text machinery for plain inline strings.
    Once :attr:`width` is set, every row is exactly that wide; after :meth:`skip_blank_rows` only
    rows that may hold a value come.  Falls back to ``iter_rows`` when the openpyxl internals it
    relies on are missing."""

    def __init__(self, ws, max_col: int) -> None:
        self.ws, self.max_col = ws, max_col
        self.width: int | None = None
        self._src = None
        self._size = 0
        self._parser: ValuesParser | None = None
        self.sparse = False
        self.index = 0  # the row number of the last row yielded
        self.last_row = 0

    def fraction(self) -> float | None:
        """How far through the sheet's XML the parser is (0..1), or None when unknown."""
        src, size = self._src, self._size
        if src is None or size <= 0:
            return None
        try:
            return min(1.0, src.tell() / size)
        except (OSError, ValueError, AttributeError):
            return None

    def __iter__(self) -> Iterator:
        ws = self.ws
        try:
            src = ws._get_source()
            wb = ws.parent
            parser = ValuesParser(src, ws._shared_strings, data_only=True, epoch=wb.epoch,
                                  date_formats=wb._date_formats, timedelta_formats=wb._timedelta_formats)
        except AttributeError:  # pragma: no cover - a normal (not read-only) sheet or other openpyxl
            yield from self._fallback()
            return
        parser.source_rows = self
        self._parser = parser
        self._src = src
        try:
            self._size = wb._archive.getinfo(ws._worksheet_path).file_size
        except (AttributeError, KeyError):
            self._size = 0
        counter = 1
        with src:
            for idx, values in parser.parse():
                if self.sparse:  # below the table: only rows that hold a value element come
                    counter = max(counter, parser.passed + 1)  # the rows searched past count as read
                    if idx >= counter:
                        counter = idx + 1
                        self.index = idx
                        yield values
                    continue
                while counter < idx:
                    self.index = counter
                    counter += 1
                    yield self._blank()
                if counter == idx:  # rows out of order or repeated are dropped, as openpyxl does
                    self.index = idx
                    counter += 1
                    yield values
        self.last_row = max(counter - 1, parser.row_counter, parser.passed)

    def skip_blank_rows(self, check=None) -> bool:
        """From now on yield only rows that may hold a value, each with its row number in
        :attr:`index` (:attr:`last_row` is the sheet's last row once they are read): the rows below a
        table are searched, not parsed (see :mod:`.sheetxml`).  False when this source cannot."""
        if self._parser is None:
            return False
        self._parser.tail = True
        self._parser.on_chunk = check
        self.sparse = True
        return True

    def _blank(self):
        return (None,) * self.width if self.width else ()

    def _fallback(self) -> Iterator:  # pragma: no cover
        for row in self.ws.iter_rows(max_col=self.max_col, values_only=True):
            w = self.width
            if w is not None and len(row) != w:
                row = row[:w] if len(row) > w else row + (None,) * (w - len(row))
            yield row
