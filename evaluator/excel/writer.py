"""Writing workbooks staff import elsewhere: streaming (write-only), typed, self-describing, safe.

* One header row of stable column keys, frozen, with an autofilter; no merged cells; widths set.
* Numbers are numbers (KRW ``#,##0"원"``, scores ``0.00``), dates are dates shown ISO-style.
* Text is **neutralised**: a text cell whose first character is ``= + - @``, tab, CR, LF, their
  full-width forms ``＝ ＋ － ＠`` — or an apostrophe — gets one apostrophe (``'``) in front, so no
  spreadsheet or CSV consumer evaluates it.  To recover the original, remove exactly one leading
  apostrophe from any text cell that starts with one (:func:`recover`).  Text that happens to
  look like an OOXML escape (``_x0041_``) has its underscore escaped (``_x005F_x0041_``), so Excel
  shows it as typed.  Characters XML cannot
  hold (control characters) are dropped, and carriage returns are written as line feeds (XML
  reads a bare CR back as LF anyway).
* Phone cells (kind ``phone``) are text that may start with ``+`` (``+82 2-000-0000``): a value
  that reads as a phone number is written as it is; anything else in such a cell is neutralised.
  Number, amount and date cells are typed cells and never get an apostrophe.
* In Korean (``lang="ko"``) row 1 shows the Korean labels, the first header cell carries a note
  saying what the apostrophe means, and ``_meta`` says it too (``text_escape_note``) and maps each
  sheet to its stable key (``sheet_key``); the stable column keys are always in ``_meta``.
* A hidden ``_meta`` sheet records the format name, kind, schema version, program and time, the
  database's last audit anchor (short hash of the signed audit-trail head, key fingerprint, time:
  :mod:`evaluator.audit.anchors`), and documents every column; the same facts go into the document
  properties.
* The file is written to a temporary name beside the target and renamed at the end, so a failed or
  cancelled export never leaves a half-written workbook.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import time
import zlib
from collections.abc import Sequence
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

from ..errors import EvaluatorError, ValidationError
from ..jobs import NEVER, CancelToken
from ..messages import msg
from ..outfile import atomic_output, check_folder, display
from ..version import __version__
from ..zips import add_deflated
from .columns import FORMAT_NAME, FORMATS, SCHEMA_VERSION, Col
from .normalise import _XESCAPE, decode_escapes

_INF = float("inf")
#: texts up to this length are remembered per column (:meth:`SheetWriter._row_xml`), this many at most
_MEMO_TEXT = 200
_MEMO_SIZE = 4096
TRIGGERS = frozenset("=+-@\t\r\n＝＋－＠'")
MAX_CELL_TEXT = 32_767
META_SHEET = "_meta"
#: the languages a workbook is written in
LANGS = ("ko", "en")


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValidationError(msg("excel.unknown_language", "Unknown workbook language '{lang}'; use 'ko' (Korean) "
                                  "or 'en' (English). Nothing was written.", lang=lang))
    return lang


def neutralise(s: str) -> str:
    """Text as written to a cell: never read as a formula (see the module docstring)."""
    if not s.isprintable():
        s = ILLEGAL_CHARACTERS_RE.sub("", s)
        if "\r" in s:  # XML turns a bare CR into LF when read back; say so plainly by writing LF
            s = s.replace("\r\n", "\n").replace("\r", "\n")
    if "_x" in s:  # Excel would read "_x0041_" as "A": escape the underscore as OOXML says
        s = _XESCAPE.sub(r"_x005F\g<0>", s)
    if s and s[0] in TRIGGERS:
        s = "'" + s
    if len(s) > MAX_CELL_TEXT:
        s = s[: MAX_CELL_TEXT - 1] + "…"
    return s


#: a phone number as people write it: digits, spaces, ``+ - . ( )`` and an extension, 7+ digits
_PHONE = re.compile(r"[+(]?[0-9][0-9 ().\-]{5,23}(?:\s*(?:ext\.?|x|내선)\s*[0-9]{1,6})?")

#: what the leading apostrophe means, for the header's note and ``_meta`` (Korean, English)
ESCAPE_NOTE = (
    "글자 칸의 값이 = + - @ (또는 탭·줄바꿈, 전각 ＝＋－＠, 작은따옴표)로 시작하면 스프레드시트가 수식으로 "
    "실행하지 않도록 맨 앞에 작은따옴표(') 하나를 붙였습니다. 원래 값은 맨 앞의 작은따옴표 하나를 지운 값입니다. "
    "숫자·금액·날짜·연락처 칸에는 붙이지 않습니다. 열의 고정 키(영문)는 숨은 시트 _meta에 있습니다.",
    "A text cell whose value starts with = + - @ (or a tab or line break, the full-width ＝＋－＠, or an "
    "apostrophe) has one apostrophe (') put in front, so no spreadsheet runs it as a formula; the original is "
    "the text without that one leading apostrophe. Number, amount, date and phone cells never get one. The "
    "stable column keys are in the hidden sheet _meta.",
)


def neutralise_phone(s: str) -> str:
    """A phone cell as written: a phone number as it is (``+82 2-000-0000`` is text in an
    inline-string cell, never a formula), anything else neutralised like any text."""
    t = s if type(s) is str else str(s)
    return t if _PHONE.fullmatch(t) else neutralise(t)


def recover(s: str) -> str:
    """The original text of a neutralised cell (as openpyxl reads it: ``_xHHHH_`` escapes undecoded)."""
    if s.startswith("'"):
        s = s[1:]
    return decode_escapes(s) if "_x" in s else s


def _text(v: Any) -> str:
    return neutralise(v if type(v) is str else str(v))


class ExportError(EvaluatorError):
    """The workbook cannot be written (folder missing, no permission, disk full)."""


class NotAnXlsxName(ExportError):
    """The workbook was asked for under another kind of file's name (``r.xls``): bad input, exit 2
    (docs/cli.md); nothing was written."""

    exit_code = 2


_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="FFE8EEF7")


class SheetWriter:
    """One data sheet: header of keys, typed cells, frozen header, autofilter."""

    def __init__(self, book: WorkbookWriter, title: str, columns: Sequence[Col], *, header: Sequence[str] | None = None,
                 key: str | None = None):
        self.book = book
        self.columns = tuple(columns)
        self.ws = ws = book.wb.create_sheet(title=title)
        self.title = title
        self.key = key or title  # the sheet's stable name (``summary``, a track code), whatever its title
        for i, c in enumerate(self.columns, 1):
            ws.column_dimensions[get_column_letter(i)].width = c.width
        ws.freeze_panes = "A2"
        self._cells: list[WriteOnlyCell] = []
        self._conv: list[Any] = []
        for i, c in enumerate(self.columns, 1):
            cell = WriteOnlyCell(ws)
            fmt = FORMATS[c.kind]
            if fmt:
                cell.number_format = fmt
            cell.column = i
            self._cells.append(cell)
            self._conv.append(_text if c.kind in ("text", "id") else neutralise_phone if c.kind == "phone" else None)
        self.rows = 0
        self._start_rows()
        head = []
        korean = book.lang == "ko"
        if header is None:
            header = [c.ko if korean else c.key for c in self.columns]
        for i, text in enumerate(header, 1):
            cell = WriteOnlyCell(ws, value=text)
            cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
            cell.column, cell.row = i, 1
            if korean and i == 1:  # what a leading apostrophe means, where the reader looks first
                cell.comment = Comment(ESCAPE_NOTE[0], "Maeul Evaluator", width=320, height=150)
            head.append(cell)
        self._send(head, 1)
        self.validations: list[Any] = []

    # openpyxl's write-only ``append`` converts every value through a shared cell and serialises
    # each cell as an element tree; data rows are written here as XML text straight into the
    # sheet's stream instead (the same markup openpyxl writes: inline strings, numbers, booleans,
    # dates as serial numbers with the column's number format).  Falls back to openpyxl's own
    # cell writer if its internals ever change.
    def _start_rows(self) -> None:
        ws = self.ws
        self._raw = None
        try:
            _deflated_writer(ws)
            w = ws._writer
            write_row = w.write_row
            state: dict[str, Any] = {}

            def rows():
                xf = w.xf.send(True)
                try:
                    with xf.element("sheetData"):
                        state["raw"] = getattr(xf, "_file", None)
                        try:
                            while True:
                                cells, idx = yield
                                write_row(xf, cells, idx)
                        except GeneratorExit:
                            pass
                except (ValueError, OSError):
                    # an export that failed half-way is collected: its stream is closed (or its disk
                    # full); there is nothing left to finish, and nothing to print at exit
                    return
                w.xf.send(None)

            gen = rows()
            next(gen)
            ws._rows = gen
            self._send = lambda cells, idx: gen.send((cells, idx))
            raw = state.get("raw")
            if callable(raw):
                self._raw = raw
        except AttributeError:  # pragma: no cover - other openpyxl versions
            self._send = lambda cells, idx: ws.append(cells)

    def _prepare_raw(self) -> None:
        """Per column: its cell reference prefix and style attribute (the number format's xf id)."""
        self._refs = [get_column_letter(i) for i in range(1, len(self.columns) + 1)]
        self._styles = []
        for c in self._cells:
            self._styles.append(f' s="{c.style_id}"' if c.has_style else "")
        self._epoch = self.book.wb.epoch
        # Per column, the markup after the cell reference of the short texts seen lately (an
        # application ID, a code, a label: the same few values row after row) and the last date
        # with its serial number: each is neutralised, escaped and formatted once, not per cell.
        # Bounded (cleared when full), so the cost per row stays the same however many rows.
        self._memo: list[dict[str, str]] = [{} for _ in self.columns]
        self._last_date: list[tuple[Any, str] | None] = [None] * len(self.columns)

    def row(self, values: Sequence[Any]) -> None:
        r = self.rows + 2
        raw = self._raw
        if raw is not None:
            try:
                raw(self._row_xml(values, r))
            except OSError as exc:  # the temporary stream's disk is full (or the file too large)
                self.book.fail(exc)
            self.rows += 1
            return
        cells = []
        conv = self._conv
        pool = self._cells
        for i, v in enumerate(values):
            if v is None:
                continue
            f = conv[i]
            if f is not None:
                v = f(v)
                if not v:
                    continue
            elif type(v) is str:
                v = neutralise(v)
            c = pool[i]
            c.value = v
            c.row = r
            cells.append(c)
        try:
            self._send(cells, r)
        except OSError as exc:
            self.book.fail(exc)
        self.rows += 1

    def _row_xml(self, values: Sequence[Any], r: int) -> str:
        if not hasattr(self, "_refs"):
            self._prepare_raw()
        conv, refs, styles, memos = self._conv, self._refs, self._styles, self._memo
        out = [f'<row r="{r}">']
        add = out.append
        for i, v in enumerate(values):
            if v is None:
                continue
            t = type(v)
            if t is str or conv[i] is not None:  # a text, or a value the column converts to one
                if t is str and len(v) <= _MEMO_TEXT:
                    memo = memos[i]
                    tail = memo.get(v)
                    if tail is None:
                        tail = self._text_tail(i, v)
                        if len(memo) >= _MEMO_SIZE:
                            memo.clear()
                        memo[v] = tail
                else:
                    tail = self._text_tail(i, v if t is str else str(v))
                if tail:
                    add(f'<c r="{refs[i]}{r}"{tail}')
            elif t is int:
                add(f'<c r="{refs[i]}{r}"{styles[i]} t="n"><v>{v}</v></c>')
            elif t is float:
                if v == v and v not in (_INF, -_INF):
                    add(f'<c r="{refs[i]}{r}"{styles[i]} t="n"><v>{v:.16g}</v></c>')
                else:  # NaN, ±inf: an empty cell with the column's format (as openpyxl writes it)
                    add(f'<c r="{refs[i]}{r}"{styles[i]}/>')
            elif t is bool:
                add(f'<c r="{refs[i]}{r}"{styles[i]} t="b"><v>{1 if v else 0}</v></c>')
            elif isinstance(v, (datetime, date)):
                last = self._last_date[i]
                if last is None or type(last[0]) is not t or last[0] != v:
                    last = self._last_date[i] = (v, self._date_tail(i, v))
                add(f'<c r="{refs[i]}{r}"{last[1]}')
            elif isinstance(v, (int, float, Decimal)):  # int/float subclasses, Decimal
                x = float(v)
                if x == x and x not in (_INF, -_INF):
                    add(f'<c r="{refs[i]}{r}"{styles[i]} t="n"><v>{x:.16g}</v></c>')
                else:
                    add(f'<c r="{refs[i]}{r}"{styles[i]}/>')
            else:  # anything else is written as its text
                v = neutralise(str(v))
                if v:
                    v = v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                    sp = ' xml:space="preserve"' if v[0].isspace() or v[-1].isspace() else ""
                    add(f'<c r="{refs[i]}{r}"{styles[i]} t="inlineStr"><is><t{sp}>{v}</t></is></c>')
        add("</row>")
        return "".join(out)

    def _text_tail(self, i: int, v: str) -> str:
        """The markup after the cell reference of text ``v`` in column ``i`` ("" for an empty cell)."""
        v = (self._conv[i] or neutralise)(v)
        if not v:
            return ""
        if "&" in v or "<" in v or ">" in v:
            v = v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        sp = ' xml:space="preserve"' if v[0].isspace() or v[-1].isspace() else ""
        return f'{self._styles[i]} t="inlineStr"><is><t{sp}>{v}</t></is></c>'

    def _date_tail(self, i: int, v: date) -> str:
        """The markup after the cell reference of date or time ``v`` in column ``i`` (a serial number)."""
        if isinstance(v, datetime) and v.tzinfo is not None:
            v = v.astimezone(timezone.utc).replace(tzinfo=None)
        return f'{self._styles[i]} t="n"><v>{to_excel(v, self._epoch):.16g}</v></c>'

    def close(self) -> None:
        last = get_column_letter(len(self.columns))
        self.ws.auto_filter.ref = f"A1:{last}{self.rows + 1}"


class WorkbookWriter:
    """A streaming workbook of data sheets plus the hidden ``_meta`` sheet."""

    def __init__(self, path: str | os.PathLike, *, kind: str, program: str = "", program_name: str = "",
                 extra_meta: dict[str, Any] | None = None, audit_anchor: Any = None,
                 cancel: CancelToken = NEVER, lang: str = "en") -> None:
        self.path = Path(path)
        self.kind = kind
        check_lang(lang)
        #: "ko": Korean headers, the apostrophe's note, sheet keys in ``_meta``; "en": as schema 1 always was
        self.lang = lang
        self.cancel = cancel
        if self.path.suffix.lower() != ".xlsx" and self.path.suffix:
            raise NotAnXlsxName(msg("excel.not_xlsx_target", "Cannot write {file}: Excel exports are .xlsx files.",
                                    file=self.path.name))
        if not self.path.suffix:
            self.path = self.path.with_suffix(".xlsx")
        check_folder(self.path, ExportError)
        self.wb = Workbook(write_only=True)
        self.sheets: list[SheetWriter] = []
        self.meta: dict[str, Any] = {
            "format": FORMAT_NAME,
            "kind": kind,
            "schema_version": SCHEMA_VERSION,
            "program": program,
            "program_name": program_name,
            "generated_at": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
            "generated_by": f"Maeul Evaluator {__version__}",
            "text_escape": "leading-apostrophe",
            **anchor_meta(audit_anchor),
            **(extra_meta or {}),
        }
        if lang == "ko":
            self.meta.update({"lang": "ko", "text_escape_note": ESCAPE_NOTE[0], "text_escape_note_en": ESCAPE_NOTE[1]})

    def sheet(self, title: str, columns: Sequence[Col], *, header: Sequence[str] | None = None,
              key: str | None = None) -> SheetWriter:
        """A data sheet titled ``title`` (made valid and unique); ``key``: its stable name when the
        title is a translation (recorded in ``_meta`` as ``sheet_key``)."""
        try:
            sw = SheetWriter(self, safe_sheet_title(title, {s.title for s in self.sheets}), columns, header=header,
                             key=key)
        except OSError as exc:  # its temporary stream could not be made
            self.fail(exc)
        self.sheets.append(sw)
        return sw

    def fail(self, exc: OSError) -> NoReturn:
        """Rows stream into temporary files in the system's temporary folder before the workbook is
        assembled; when writing them fails, drop every stream (quietly, files removed) and say so."""
        import errno
        import tempfile

        _discard_streams(self.wb)
        self.sheets.clear()
        folder = display(Path(exc.filename).parent if exc.filename else Path(tempfile.gettempdir()))
        if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
            why = msg("excel.temp_full", "the temporary folder {folder} is full; free some space there and try again",
                      folder=folder)
        else:
            why = msg("excel.temp_failed", "writing to the temporary folder {folder} failed ({error}); set TMPDIR "
                      "(TEMP on Windows) to a folder with room and try again", folder=folder,
                      error=str(exc.strerror or exc))
        raise ExportError(msg("excel.cannot_write", "Cannot write {path}: {reason}. Nothing was written.",
                              path=display(self.path), reason=why)) from None

    def _write_meta(self) -> None:
        ws = self.wb.create_sheet(META_SHEET)
        ws.sheet_state = "hidden"
        ws.column_dimensions["A"].width = 18
        ws.column_dimensions["B"].width = 24
        ws.append(["key", "value"])
        for k, v in self.meta.items():
            ws.append([k, _text(v) if isinstance(v, str) else v])
        ws.append([])
        keyed = self.lang == "ko"  # (the English layout stays exactly as schema 1 wrote it)
        ws.append(["sheet", "column", "key", "label_ko", "label_en", "type"] + (["sheet_key"] if keyed else []))
        for s in self.sheets:
            for i, c in enumerate(s.columns, 1):
                ws.append([_text(s.title), get_column_letter(i), c.key, c.ko, c.en, c.kind]
                          + ([_text(s.key)] if keyed else []))
        props = self.wb.properties
        props.creator = "Maeul Evaluator"
        props.title = f"{FORMAT_NAME} {self.kind}"
        props.subject = str(self.meta.get("program_name") or self.meta.get("program") or "")
        props.keywords = f"{FORMAT_NAME}; kind={self.kind}; schema={SCHEMA_VERSION}"
        try:
            from openpyxl.packaging.custom import IntProperty, StringProperty

            self.wb.custom_doc_props.append(StringProperty(name="maeul_format", value=FORMAT_NAME))
            self.wb.custom_doc_props.append(StringProperty(name="maeul_kind", value=self.kind))
            self.wb.custom_doc_props.append(IntProperty(name="maeul_schema_version", value=SCHEMA_VERSION))
        except Exception:  # pragma: no cover - older openpyxl without custom properties
            pass

    def save(self) -> Path:
        self.cancel.raise_if_cancelled()
        try:
            with atomic_output(self.path, error=ExportError, suffix=".xlsx.part") as tmp:
                for s in self.sheets:
                    s.close()
                self._write_meta()
                _save_workbook(self.wb, tmp)
                self.cancel.raise_if_cancelled()
        except BaseException:
            _discard_streams(self.wb)
            raise
        return self.path


def anchor_meta(anchor: Any) -> dict[str, str]:
    """The ``_meta`` rows of the database's last audit anchor (an
    :class:`evaluator.audit.anchors.AnchorInfo`; empty values when none was signed yet)."""
    if anchor is None:
        return {"audit_anchor": "not signed yet", "audit_anchor_head": "", "audit_anchor_key": "",
                "audit_anchor_at": ""}
    return {"audit_anchor": anchor.line(), "audit_anchor_head": anchor.head, "audit_anchor_key": anchor.key_fingerprint,
            "audit_anchor_at": anchor.at.isoformat(timespec="seconds") + "Z"}


class DeflatedPart(io.BufferedIOBase):
    """A worksheet's XML as openpyxl streams it (through a text wrapper), deflated as it comes into
    a temporary file: the form a zip member holds (raw deflate; its CRC and sizes kept), so that
    saving copies the compressed bytes into the workbook (:class:`_Archive`).

    openpyxl's write-only sheets otherwise write their XML out in full to a temporary file and
    compress it again when the workbook is saved: a score export of 100,000 applications was 2.3 GB
    of XML written and read back (160 MB deflated), I/O that grew faster than the rows once it no
    longer fitted in the operating system's cache.  openpyxl's temporary-file bookkeeping sees the
    part as a path (``__fspath__``)."""

    def __init__(self) -> None:
        super().__init__()
        fd, self.path = tempfile.mkstemp(prefix="openpyxl.", suffix=".xml.deflate")
        self._file = os.fdopen(fd, "wb")
        self._z = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)  # zipfile's own settings
        self.crc = 0
        self.size = 0
        self.compressed_size = 0
        self.finished = False

    def writable(self) -> bool:
        return True

    def write(self, b) -> int:  # type: ignore[override]
        self.crc = zlib.crc32(b, self.crc)
        n = len(b)
        self.size += n
        out = self._z.compress(b)
        if out:
            self._file.write(out)
        return n

    def finish(self) -> None:
        """The XML is complete (its writer closed): flush the compressor and close the file."""
        if not self.finished:
            self._file.write(self._z.flush())
            self._file.close()
            self.compressed_size = os.path.getsize(self.path)
            self.finished = True

    def close(self) -> None:
        if not self._file.closed:
            self._file.close()
        super().close()

    def __fspath__(self) -> str:
        return self.path


def _deflated_writer(ws: Any) -> None:
    """Give write-only sheet ``ws`` its XML writer, as its own ``_get_writer`` would, but writing
    into a :class:`DeflatedPart` instead of a plain temporary file."""
    from openpyxl.worksheet._writer import ALL_TEMP_FILES, WorksheetWriter

    if ws._writer is None:
        part = DeflatedPart()
        ALL_TEMP_FILES.append(part)  # (removed by the writer's cleanup, or at exit)
        ws._writer = WorksheetWriter(ws, out=part)
        ws._writer.write_top()


class _Archive(ZipFile):
    """The workbook's zip: a :class:`DeflatedPart` goes in as it is, already compressed."""

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):  # type: ignore[override]
        if not isinstance(filename, DeflatedPart):
            return super().write(filename, arcname, compress_type, compresslevel)
        part = filename
        part.finish()
        zinfo = ZipInfo(arcname or os.path.basename(part.path), date_time=time.localtime(time.time())[:6])
        zinfo.external_attr = 0o600 << 16
        with open(part.path, "rb") as src:
            add_deflated(self, zinfo, src, size=part.size, compressed_size=part.compressed_size, crc=part.crc)
        return None


def _save_workbook(wb: Workbook, path: Path) -> None:
    """openpyxl's ``save_workbook``, but a failure (a full disk) closes the half-written archive at
    once: left to the garbage collector, ``ZipFile.__del__`` would try to finish it and print a
    traceback after our one sentence."""
    from openpyxl.writer.excel import ExcelWriter

    archive = _Archive(path, "w", ZIP_DEFLATED, allowZip64=True)
    try:
        wb.properties.modified = datetime.now(tz=timezone.utc).replace(tzinfo=None)
        ExcelWriter(wb, archive).save()  # writes every part, then closes the archive
    except BaseException:
        fp, archive.fp = archive.fp, None  # no end record for a file about to be deleted
        if fp is not None:
            try:
                fp.close()
            except OSError:
                pass
        raise


def _discard_streams(wb: Workbook) -> None:
    """Close the row streams of write-only sheets that were never finished (their temporary files
    removed), quietly: a failed or cancelled export must not print tracebacks when they are collected."""
    for ws in getattr(wb, "_sheets", []):
        rows = getattr(ws, "_rows", None)
        if rows is not None:
            try:
                rows.close()
            except Exception:  # noqa: BLE001 - the stream's file is gone or full; nothing to save
                pass
        writer = getattr(ws, "_writer", None)
        if writer is not None:
            try:
                writer.close()
            except Exception:  # noqa: BLE001
                pass
            if isinstance(getattr(writer, "out", None), DeflatedPart):
                writer.out.close()  # (an open file cannot be removed on Windows)
            try:
                writer.cleanup()
            except Exception:  # noqa: BLE001 - already removed
                pass


_BAD_TITLE = str.maketrans({ch: "_" for ch in "[]:*?/\\"})


def safe_sheet_title(title: str, taken: set[str]) -> str:
    """A valid, unique sheet title (≤ 31 characters, none of []:*?/\\, not starting with ')."""
    t = "".join(ch for ch in str(title).translate(_BAD_TITLE) if ch.isprintable()).strip().strip("'") or "sheet"
    t = t[:31]
    base, n = t, 2
    while t.casefold() in {x.casefold() for x in taken} or t.casefold() == META_SHEET:
        suffix = f" ({n})"
        t = base[: 31 - len(suffix)] + suffix
        n += 1
    return t


def read_meta(wb) -> dict[str, Any]:
    """The key/value part of a workbook's ``_meta`` sheet ({} when it has none)."""
    if META_SHEET not in wb.sheetnames:
        return {}
    out: dict[str, Any] = {}
    ws = wb[META_SHEET]
    for i, row in enumerate(ws.iter_rows(min_row=2, max_col=2, values_only=True)):
        if i > 200 or not row or row[0] is None:
            break
        k, v = row[0], row[1] if len(row) > 1 else None
        out[str(k)] = recover(v) if isinstance(v, str) else v
    return out
