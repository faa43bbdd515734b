"""Finding the table in a real-world sheet and streaming its rows.

Intake sheets have a title row or two (often a merged cell) above the header, notes beside it and
blank rows between records.  :func:`find_table` reads the first rows of a sheet, scores each row by
how many of its cells are known header aliases, takes the best row as the header and maps its
columns to fields; :meth:`Table.rows` then streams the remaining rows (``read_only`` +
``values_only``), skipping blank ones and enforcing the row and cell caps.  After a long run of
blank rows the table has ended: the rest of the sheet is searched for values rather than parsed
(:mod:`.sheetxml`) — data found there is refused with its row, and :attr:`Table.data_end` says where
the data ended.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from openpyxl.utils import get_column_letter

from ..errors import Problem
from ..messages import Message, msg
from ..jobs import NEVER, CancelToken, Progress, no_progress
from . import safety
from .normalise import BadValue, clean_text, header_key
from .safety import ExcelFileError
from .sheetxml import RowSource

HEADER_SCAN_ROWS = 30
#: this many blank rows in a row end the table (formatted-but-empty rows to the sheet's bottom)
BLANK_RUN_END = 5_000
#: mapping value meaning "ignore this column" (it is reported, never silently dropped)
IGNORE = "-"
#: mapping value meaning "keep this column aside" (stored as an unknown column)
KEEP = ""


@dataclass(frozen=True)
class FieldSpec:
    """A field a sheet may carry: its key, human labels and header aliases."""

    key: str
    label_ko: str
    label_en: str
    aliases: tuple[str, ...] = ()
    required: bool = False

    def label(self, lang: str = "ko") -> str:
        return self.label_en if lang == "en" else self.label_ko


class Vocabulary:
    """Header aliases → field keys, for one kind of sheet."""

    def __init__(self, specs: tuple[FieldSpec, ...], ignored: tuple[str, ...] = ()) -> None:
        self.specs = specs
        self.by_key = {s.key: s for s in specs}
        self._alias: dict[str, str] = {}
        for s in specs:
            for a in (s.key, s.label_ko, s.label_en, *s.aliases):
                self._alias.setdefault(header_key(a), s.key)
        self._ignored = {header_key(a) for a in ignored}

    def match(self, header: str) -> str | None:
        k = header_key(header)
        if k in self._alias:
            return self._alias[k]
        if k in self._ignored:
            return IGNORE
        return None


@dataclass(frozen=True)
class Column:
    index: int  # 0-based position in the row tuple
    letter: str  # A, B, … AA
    header: str  # the header text as it reads (cleaned)
    field: str | None  # field key, IGNORE, or None (unknown: kept aside)

    @property
    def name(self) -> str:
        """How a message names this column."""
        return self.header or f"({self.letter})"


class Table:
    """A located table: where its header is, what its columns mean, and its data rows."""

    def __init__(self, *, file: str, sheet: str, header_row: int, columns: list[Column], rows: Iterator[tuple],
                 estimate: int | None, width: int, warnings: list[Problem], source: RowSource | None = None) -> None:
        self.file = file
        self.sheet = sheet
        self.header_row = header_row
        self.columns = columns
        self._rows = rows
        self._estimate = estimate
        self.width = width
        self.warnings = warnings
        self.rows_read = 0
        self._source = source
        #: the warning saying where the data ended, once a long run of blank rows ended the table
        self.data_end: Problem | None = None

    def where(self, row: int, column: Column | None = None) -> str:
        """The place of ``row`` (and ``column``) in English, as a problem there names it."""
        return Problem(file=self.file, sheet=self.sheet, row=row, column=column.name if column is not None else None,
                       letter=column.letter if column is not None else None).where

    def problem(self, message: Message, *, row: int | None = None, column: Column | None = None,
                field: str | None = None, params: dict[str, Any] | None = None, code: str | None = None) -> Problem:
        """A problem in this table: its file and sheet, and the row, column and field given.  Its code
        and params are the message's, unless ``code`` (one problem code said in several sentences) or
        ``params`` (a sentence that quotes more than the problem's fields) are given."""
        if column is not None and field is None and column.field not in (None, IGNORE):
            field = column.field
        return Problem(message, code=code or "", params=params or {}, file=self.file, sheet=self.sheet, row=row,
                       column=column.name if column is not None else None,
                       letter=column.letter if column is not None else None, field=field)

    def bad_value(self, exc: BadValue, row: int, column: Column) -> Problem:
        """A cell whose value cannot be read."""
        return self.problem(exc.sentence, row=row, column=column, params=exc.params, code=exc.code)

    def field_columns(self) -> dict[str, Column]:
        return {c.field: c for c in self.columns if c.field and c.field != IGNORE}

    def unknown_columns(self) -> list[Column]:
        return [c for c in self.columns if c.field is None]

    def _check_nothing_after(self, first_blank: int, rno: int, cancel: CancelToken) -> None:
        """After a long run of blank rows the table has ended, unless data follows further down: then
        refuse (nothing is imported) rather than leave those rows out without a word.  The rest of
        the sheet is searched for values, not parsed (bounded time and memory for a sheet of
        millions of empty rows); where the data ended is kept for a warning."""
        src = self._source
        sparse = src is not None and src.skip_blank_rows(cancel.raise_if_cancelled)
        last = rno
        for k, row in enumerate(self._rows, start=1):
            if not k & 4095:
                cancel.raise_if_cancelled()
            last = src.index if sparse else rno + k  # type: ignore[union-attr]
            if any(v is not None and not (type(v) is str and (not v or v.isspace())) for v in row):
                raise ExcelFileError(msg(
                    "excel.data_below_blank_rows", "Sheet '{sheet}' of {file}: row {row} holds data below a long run "
                    "of blank rows (from row {first_blank}); delete the blank rows so the table is in one piece, then "
                    "import again.", sheet=self.sheet, file=self.file, row=last, first_blank=first_blank))
        if sparse:
            last = max(last, src.last_row)  # type: ignore[union-attr]
        self.data_end = self.problem(
            msg("sheet.data_ends", "the data ends at row {end:,}; rows {first_blank:,} to {last:,} are blank and were "
                "skipped", end=first_blank - 1, first_blank=first_blank, last=last),
            params={"end": first_blank - 1, "last": last})

    def rows(self, *, progress: Progress = no_progress, cancel: CancelToken = NEVER,
             label: str | Message = "") -> Iterator[tuple[int, tuple]]:
        """(sheet row number, values) for every non-blank data row, with caps and cancel checks."""
        max_rows, max_cells = safety.MAX_DATA_ROWS, safety.MAX_CELLS
        width = self.width
        est = self._estimate
        where = self._source.fraction if self._source is not None else None
        n = 0
        blanks = 0
        rno = self.header_row
        try:
            for row in self._rows:
                rno += 1
                if not any(row) or all(v is None or (type(v) is str and (not v or v.isspace())) for v in row):
                    blanks += 1
                    if blanks >= BLANK_RUN_END:
                        self._check_nothing_after(rno - blanks + 1, rno, cancel)
                        break
                    continue
                blanks = 0
                n += 1
                if n > max_rows or n * width > max_cells:
                    raise ExcelFileError(msg(
                        "excel.too_many_rows", "Sheet '{sheet}' of {file} has more than {limit:,} data rows of "
                        "{width} columns (the limit); split the file.", sheet=self.sheet, file=self.file,
                        limit=min(max_rows, max_cells // width), width=width))
                if not n & 511:
                    cancel.raise_if_cancelled()
                    f = where() if where is not None else None
                    if f is None and est:
                        f = rno / est
                    if f is not None:
                        progress(min(0.99, f), msg("progress.label_row", "{label}: row {row:,}", label=label or msg("progress.reading", "Reading"), row=rno))
                yield rno, row
        except ExcelFileError:
            raise
        except GeneratorExit:
            raise
        except Exception as exc:  # damaged sheet XML surfaces only while streaming
            if type(exc).__name__ == "Cancelled":
                raise
            raise safety.translate_read_error(exc, self.file, self.sheet) from None
        finally:
            self.rows_read = n


def _is_meta_sheet(title: str) -> bool:
    return title.startswith("_")


def sheet_titles(wb) -> list[str]:
    """Visible sheet titles, the active one first."""
    titles = [ws.title for ws in wb.worksheets
              if not _is_meta_sheet(ws.title) and getattr(ws, "sheet_state", "visible") == "visible"]
    try:
        active = wb.active.title if wb.active is not None else None
    except Exception:  # a damaged workbook view
        active = None
    if active in titles:
        titles.remove(active)
        titles.insert(0, active)
    return titles


def find_table(wb, file: str, sheet: str, vocab: Vocabulary, *, mapping: dict[str, str] | None = None,
               min_matches: int = 3, must_have: tuple[str, ...] = ()) -> Table | None:
    """Locate the header row of ``sheet``; ``None`` when no row looks like a header."""
    ws = wb[sheet]
    declared_cols = ws.max_column if getattr(ws, "_max_column", None) else None
    declared_rows = ws.max_row if getattr(ws, "_max_row", None) else None
    ws.reset_dimensions()  # trust no <dimension>: read every row there is
    source = RowSource(ws, safety.MAX_COLUMNS)
    it = iter(source)
    head: list[tuple] = []
    try:
        for row in it:
            head.append(row)
            if len(head) >= HEADER_SCAN_ROWS:
                break
    except Exception as exc:
        raise safety.translate_read_error(exc, file, sheet) from None

    mapping = dict(mapping or {})
    mapped_headers = {header_key(k): v for k, v in mapping.items()}

    def field_of(text: str, letter: str, by_letter: bool = True) -> str | None:
        if by_letter and letter in mapping:
            return mapping[letter] or None
        k = header_key(text)
        if k in mapped_headers:
            v = mapped_headers[k]
            return v if v else None
        return vocab.match(text)

    def locate(by_letter: bool) -> int | None:
        best, best_score = None, 0
        for i, row in enumerate(head):
            seen = set()
            for j, v in enumerate(row):
                if v is None or not isinstance(v, str):
                    continue
                f = field_of(v, get_column_letter(j + 1), by_letter)
                if f and f != IGNORE:
                    seen.add(f)
            score = len(seen) + (len(must_have) if all(m in seen for m in must_have) else 0)
            if len(seen) >= min_matches and all(m in seen for m in must_have) and score > best_score:
                best, best_score = i, score
        return best

    # the header is found by its texts; a mapping by column letter (what the import wizard sends
    # back) only changes what the columns mean — unless the texts alone find no header at all
    best = locate(False)
    if best is None and any(len(k) <= 3 and k.isalpha() and k.isupper() for k in mapping):
        best = locate(True)
    if best is None:
        return None

    header = head[best]
    last = 0
    for j, v in enumerate(header):
        if v is not None and clean_text(v):
            last = j + 1
    # data further right than the header (a column someone forgot to name) must not vanish
    for row in head[best + 1:]:
        for j in range(len(row) - 1, last - 1, -1):
            if row[j] is not None and not (isinstance(row[j], str) and not row[j].strip()):
                last = max(last, j + 1)
                break
    columns: list[Column] = []
    for j in range(last):
        text = clean_text(header[j]) if header[j] is not None else ""
        letter = get_column_letter(j + 1)
        columns.append(Column(j, letter, text, field_of(text, letter) if text else (mapping.get(letter) or None)))
    warnings: list[Problem] = []
    if declared_cols and declared_cols > safety.MAX_COLUMNS:
        warnings.append(Problem(msg("sheet.columns_cut", "only the first {limit} columns were read",
                                    limit=safety.MAX_COLUMNS), file=file, sheet=sheet))
    width = max(1, last)

    rest = [_fit(row, width) for row in head[best + 1:]]
    del head[:]
    source.width = width  # from now on the parser makes rows exactly this wide

    def rows(more: Iterator) -> Iterator:
        yield from rest
        rest.clear()
        yield from more

    return Table(file=file, sheet=sheet, header_row=best + 1, columns=columns,
                 rows=rows(it), estimate=declared_rows, width=width, warnings=warnings, source=source)


def _fit(row, width: int):
    n = len(row)
    if n == width:
        return row
    return row[:width] if n > width else (*row, *(None,) * (width - n))


def duplicate_fields(table: Table) -> list[Problem]:
    """Two columns that mean the same field are an error (which one is right?)."""
    seen: dict[str, Column] = {}
    out = []
    for c in table.columns:
        if not c.field or c.field == IGNORE:
            continue
        if c.field in seen:
            first = seen[c.field]
            out.append(table.problem(
                msg("sheet.duplicate_field", "columns {first} ({first_letter}) and {other} ({other_letter}) both "
                    "mean '{field}'; rename or remove one", first=first.name, first_letter=first.letter,
                    other=c.name, other_letter=c.letter, field=c.field),
                row=table.header_row, column=c,
                params={"first": first.name, "first_letter": first.letter, "other": c.name, "other_letter": c.letter},
            ))
        else:
            seen[c.field] = c
    return out

