"""Importing the intake spreadsheet: one row per application, matched by application ID.

The import streams: :class:`IntakeReader` locates the table and yields batches of normalised
records (collecting every problem with its location); :class:`IntakePlanner` compares each batch
with the database (one SELECT per batch) and, while no problem has been found, writes it at once
— new rows with one bulk INSERT, changed ones with one bulk UPDATE.  Everything happens inside the
caller's single transaction: a problem anywhere in the file rolls it all back, so either every row
is imported or nothing is.  Memory stays flat: only the IDs (for duplicates and the report) and
the changes of updated applications are kept.
"""

from __future__ import annotations

import heapq
from array import array
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from .. import audit
from ..db.models import Application, Program, new_uuid, utcnow
from ..domain import CLOSED, SEOUL_DISTRICTS, SIGNED_OFF
from ..errors import Problem
from ..messages import Message, localised, msg
from ..jobs import NEVER, CancelToken, Progress, no_progress
from ..programfile import FieldDef
from ..services.programs import categories_of
from ..services.rounds import default_intake_round, round_for_date, windows_text
from .normalise import (
    BadValue, LabelParser, category_parser, clean_id, clean_multiline, clean_text, district_parser, field_parser,
    parse_amount, parse_count, parse_date, parse_email, parse_phone,
)
from .safety import ExcelFileError
from .sheet import IGNORE, Column, FieldSpec, Table, Vocabulary, duplicate_fields, find_table, sheet_titles
from .vocab import APPLICATION_SPECS, APPLICATIONS, ROUND_SPEC, SERIAL_HEADERS

TEXT_FIELDS = ("title", "group_name", "representative", "neighbourhood", "address")
#: what a blank cell in a present column means
BLANK: dict[str, Any] = {
    "track": None, "category": "other", "title": "", "group_name": "", "representative": "", "phone": "",
    "email": "", "district": "", "neighbourhood": "", "address": "", "members": None, "requested_amount": None,
    "self_contribution": None, "summary": "", "submitted_on": None,
}
MAX_LEN = {"id": 60, "title": 500, "group_name": 300, "representative": 200, "phone": 60, "email": 200,
           "neighbourhood": 80, "address": 500, "summary": 20_000}
REQUIRED_NEW = ("track", "title")
#: the longest text a program's typed text field holds
TYPED_TEXT_MAX = 2_000
_TOTAL_WORDS = {"합계", "계", "총계", "소계", "누계", "total", "sum", "subtotal"}
_NOTE_STARTS = ("※", "*", "주)", "주 )", "note", "비고")
PREVIEW_ROWS = 20
#: what became of a record (IntakePlanner._kinds)
SKIPPED, ADDED, UPDATED, UNCHANGED = 0, 1, 2, 3
BATCH = 50  # rows per SELECT/INSERT: small batches keep peak memory near a bare read
#: application columns the database holds, in a fixed order (track handled apart)
DB_FIELDS = ("category", "title", "group_name", "representative", "phone", "email", "district", "neighbourhood",
             "address", "members", "requested_amount", "self_contribution", "summary", "submitted_on")


class IdList:
    """Application IDs in sheet order, stored compactly: each batch's IDs become one string.

    A Python string per ID costs ~60 bytes; packed, 10,000 IDs take ~150 KB instead of ~700 KB, which
    keeps an import's peak memory near a bare read of the sheet.  Iterating gives the IDs back."""

    def __init__(self) -> None:
        self._chunks: list[str] = []
        self._pending: list[str] = []
        self._n = 0

    def append(self, ext: str) -> None:
        self._pending.append(ext)
        self._n += 1

    def seal(self) -> None:
        if self._pending:
            self._chunks.append("\n".join(self._pending))  # IDs hold no whitespace (clean_id)
            self._pending = []

    def __len__(self) -> int:
        return self._n

    def __bool__(self) -> bool:
        return self._n > 0

    def __iter__(self) -> Iterator[str]:
        for c in self._chunks:
            yield from c.split("\n")
        yield from self._pending

    def index(self, ext: str) -> int:
        base = 0
        for c in self._chunks:
            parts = c.split("\n")
            if ext in parts:
                return base + parts.index(ext)
            base += len(parts)
        return base + self._pending.index(ext)  # ValueError when absent

    def text(self, sep: str = ", ") -> str:
        """All IDs joined by ``sep`` without making one string per ID."""
        return sep.join([c.replace("\n", sep) for c in self._chunks] + ([sep.join(self._pending)] if self._pending else []))


class IdView:
    """The IDs of one outcome (added, updated, unchanged) of an import: a view of the reader's packed
    IDs through one byte per record, so each ID is stored once however it ends."""

    def __init__(self, order: IdList, kinds: bytearray, kind: int) -> None:
        self._order, self._kinds, self._kind = order, kinds, kind

    def __len__(self) -> int:
        return self._kinds.count(self._kind)

    def __bool__(self) -> bool:
        return self._kind in self._kinds

    def __iter__(self) -> Iterator[str]:
        kind = self._kind
        return (ext for ext, k in zip(self._order, self._kinds) if k == kind)

    def text(self, sep: str = ", ") -> str:
        return sep.join(self)


class SeenIds:
    """Which IDs were read already (for duplicates), in about 8 bytes per ID (a 4-byte hash, a 4-byte
    row number) plus the packed IDs.

    IDs of earlier batches are kept as sorted runs of string hashes (merged like a log-structured
    tree, so the work stays O(n log n)); a hash hit is confirmed against the packed IDs, so a hash
    collision can never fake a duplicate."""

    def __init__(self) -> None:
        self._runs: list[array] = []
        self._batch: dict[str, int] = {}
        self.order = IdList()
        self.rows = array("i")  # sheet row of each ID (4 bytes: Excel has at most 1,048,576 rows)

    def first_row(self, ext: str) -> int | None:
        hit = self._batch.get(ext)
        if hit is not None:
            return hit
        h = hash(ext) & 0xFFFFFFFF  # 32 bits are plenty: a hit is confirmed against the IDs
        for run in self._runs:
            i = bisect_left(run, h)
            if i < len(run) and run[i] == h:
                try:
                    return self.rows[self.order.index(ext)]
                except ValueError:
                    return None
        return None

    def add(self, ext: str, row: int) -> None:
        self._batch[ext] = row
        self.order.append(ext)
        self.rows.append(row)

    def seal(self) -> None:
        if self._batch:
            run = array("I", sorted(hash(k) & 0xFFFFFFFF for k in self._batch))
            self._batch = {}
            while self._runs and len(self._runs[-1]) <= len(run):
                merged = array("I")
                merged.extend(heapq.merge(self._runs.pop(), run))
                run = merged
            self._runs.append(run)
        self.order.seal()


@dataclass
class IntakeRecord:
    row: int
    values: dict[str, Any]  # field → normalised value (only non-blank cells)
    extra: dict[str, Any]  # unknown header → value
    bad: frozenset[str] = frozenset()  # fields whose cell could not be read (already reported)


def _json_value(v: Any) -> Any:
    if isinstance(v, str):
        return clean_multiline(v)
    if isinstance(v, bool) or isinstance(v, int):
        return v
    if isinstance(v, float):
        return int(v) if v.is_integer() else v
    if isinstance(v, datetime):
        return v.isoformat(sep=" ") if (v.hour, v.minute, v.second) != (0, 0, 0) else v.date().isoformat()
    if isinstance(v, date):
        return v.isoformat()
    return clean_text(v)


def track_parser(tracks: dict[str, tuple[str, str]]) -> LabelParser:
    hint = ", ".join(f"{ko} ({code})" for code, (ko, _en) in tracks.items())
    return LabelParser(msg("value.what.track", "track"), {code: [ko, en] for code, (ko, en) in tracks.items()}, hint)


class _TrackTally:
    """The track parser, counting the rows whose track it knows and keeping a few it does not (to tell
    a workbook of another program, where no row's track is one of this program's, from a typo)."""

    __slots__ = ("parse", "known", "unknown", "values")

    def __init__(self, parse: LabelParser) -> None:
        self.parse, self.known, self.unknown, self.values = parse, 0, 0, []

    def __call__(self, v: object) -> str:
        try:
            code = self.parse(v)
        except BadValue as exc:
            self.unknown += 1
            shown = exc.params.get("value")
            if len(self.values) < 5 and shown not in self.values:
                self.values.append(shown)
            raise
        self.known += 1
        return code


def tracks_of(program: Program) -> dict[str, tuple[str, str]]:
    return {t.code: (t.name_ko, t.name_en) for t in program.tracks}


def categories_for(program: Program) -> list[tuple[str, str, str, tuple[str, ...]]]:
    return [(c.code, c.name_ko, c.name_en, c.aliases) for c in categories_of(program)]


def rounds_of(program: Program) -> dict[str, tuple[str, str]]:
    return {r.code: (r.name_ko, r.name_en) for r in program.rounds}


def vocabulary(fields: tuple[FieldDef, ...] = ()) -> Vocabulary:
    """The intake sheet's headers: the built-in fields, the round (차수) and the program's typed fields."""
    if not fields:
        return _WITH_ROUND
    return Vocabulary(APPLICATION_SPECS + (ROUND_SPEC,) + tuple(
        FieldSpec(f.key, f.label_ko, f.label_en or f.key, f.aliases, required=f.required) for f in fields),
        SERIAL_HEADERS)


_WITH_ROUND = Vocabulary(APPLICATION_SPECS + (ROUND_SPEC,), SERIAL_HEADERS)


def districts_of(program: Program) -> dict[str, str]:
    """The program's valid districts: ``settings["districts"]`` if given, else Seoul's 25."""
    d = (program.settings or {}).get("districts")
    if isinstance(d, dict) and d:
        return {str(k): str(v) for k, v in d.items()}
    if isinstance(d, list) and d:
        return {str(k): str(k) for k in d}
    return SEOUL_DISTRICTS


class IntakeReader:
    """The located intake table of an open read-only workbook, read in batches of records."""

    def __init__(self, wb, file: str, *, tracks: dict[str, tuple[str, str]], districts: dict[str, str] | None = None,
                 mapping: dict[str, str] | None = None,
                 categories: list[tuple[str, str, str, tuple[str, ...]]] | None = None,
                 fields: tuple[FieldDef, ...] = (), rounds: dict[str, tuple[str, str]] | None = None) -> None:
        table = None
        titles = sheet_titles(wb)
        vocab = vocabulary(fields) if (fields or rounds) else APPLICATIONS
        for title in titles:
            table = find_table(wb, file, title, vocab, mapping=mapping, min_matches=3, must_have=("id",))
            if table is not None:
                break
        if table is None:
            where = ", ".join(f"'{t}'" for t in titles) or msg("intake.no_sheets", "none")
            raise ExcelFileError(msg(
                "intake.no_table", "No intake table found in {file} (sheets: {sheets}): no row in the first 30 rows "
                "of a sheet has the header 접수번호 (Application ID) and at least two of 사업유형, 사업명, 단체명, "
                "자치구, 신청금액 … — check the header row, or map the columns (--map 'HEADER=FIELD' on the command "
                "line, the import wizard in the desktop app).", file=file,
                sheets=where))
        self.file, self.table, self.sheet = file, table, table.sheet
        self.header_row, self.columns = table.header_row, table.columns
        self.tracks = _TrackTally(track_parser(tracks))
        parsers: dict[str, Any] = {
            "id": clean_id, "track": self.tracks, "category": category_parser(categories),
            "phone": parse_phone, "email": parse_email, "district": district_parser(districts or SEOUL_DISTRICTS),
            "members": parse_count, "requested_amount": parse_amount, "self_contribution": parse_amount,
            "summary": clean_multiline, "submitted_on": parse_date,
        }
        for f in TEXT_FIELDS:
            parsers[f] = clean_text
        if rounds:
            parsers["round"] = LabelParser(msg("value.what.round", "round"), {code: [ko, en] for code, (ko, en) in rounds.items()},
                                           ", ".join(f"{ko} ({code})" for code, (ko, _en) in rounds.items()))
        #: the program's typed fields: key -> its definition
        self.typed = {f.key: f for f in fields}
        for f in fields:
            parsers[f.key] = field_parser(f.type, f.values, f.label_ko)
        self.problems: list[Problem] = duplicate_fields(table)
        self.warnings: list[Problem] = list(table.warnings)
        self._plan: list[tuple[int, str, Any, Column, int]] = []
        self._extra_cols: list[tuple[int, str]] = []
        for c in table.columns:
            if c.field == IGNORE:
                self.warnings.append(table.problem(msg("sheet.row_number_column", "ignored (row numbers)"), column=c))
            elif c.field is None:
                self._extra_cols.append((c.index, c.header or f"column {c.letter}"))
            elif c.field in parsers:
                typed = self.typed.get(c.field)
                limit = MAX_LEN.get(c.field, 0) or (TYPED_TEXT_MAX if typed is not None and typed.type == "text" else 0)
                self._plan.append((c.index, c.field, parsers[c.field], c, limit))
            else:
                self.problems.append(table.problem(msg("intake.not_a_field", "'{field}' is not an application field",
                                                       field=c.field), column=c))
        self.unknown = tuple(h for _, h in self._extra_cols)
        if self.unknown:
            self.warnings.append(table.problem(msg(
                "intake.unknown_columns", "unknown columns kept aside with each application: {columns}",
                columns=", ".join(self.unknown))))
        self.present = tuple(f for f in (c.field for c in table.columns) if f and f != IGNORE and f != "id")
        self.preview: list[IntakeRecord] = []
        self.records = 0
        self._seen = SeenIds()

    def problem(self, message: Message, row: int, f: str | None = None, params: dict[str, Any] | None = None,
                code: str | None = None) -> Problem:
        """A problem in row ``row``, in the column of field ``f`` (when the sheet has one); its code and
        params are the message's unless given."""
        col = next((c for c in self.columns if c.field == f), None) if f else None
        return self.table.problem(message, row=row, column=col, field=f, params=params, code=code)

    def batches(self, *, progress: Progress = no_progress, cancel: CancelToken = NEVER,
                size: int | None = None) -> Iterator[list[IntakeRecord]]:
        table: Table = self.table
        plan, extra_cols, problems = self._plan, self._extra_cols, self.problems
        seen = self._seen
        id_col = table.field_columns().get("id")
        size = size or BATCH
        batch: list[IntakeRecord] = []
        for rno, row in table.rows(progress=progress, cancel=cancel, label=msg("progress.reading", "Reading")):
            values: dict[str, Any] = {}
            bad: set[str] | None = None
            for idx, f, parse, col, maxlen in plan:
                v = row[idx]
                if v is None or (type(v) is str and (not v or v.isspace())):
                    continue
                try:
                    out = parse(v)
                except BadValue as exc:
                    problems.append(table.bad_value(exc, rno, col))
                    (bad := bad if bad is not None else set()).add(f)
                    continue
                if maxlen and len(out) > maxlen:
                    problems.append(table.problem(msg("value.too_long", "is {length:,} characters long; the limit is "
                                                      "{limit:,}", length=len(out), limit=maxlen), row=rno, column=col))
                    (bad := bad if bad is not None else set()).add(f)
                    continue
                values[f] = out
            ext = values.get("id")
            if not ext:
                if bad and "id" in bad:
                    continue
                texts = [clean_text(v) for v in row if v is not None and not (isinstance(v, str) and not v.strip())]
                keys = {t.replace(" ", "").casefold() for t in texts}
                if keys & _TOTAL_WORDS or (len(texts) == 1 and texts[0].startswith(_NOTE_STARTS)):
                    self.warnings.append(table.problem(msg("intake.total_or_note_row",
                                                           "skipped: a total or note row ({quoted})",
                                                           quoted=repr(texts[0][:30])), row=rno,
                                                       params={"text": texts[0][:30]}))
                    continue
                problems.append(table.problem(msg("intake.id_missing", "the application ID (접수번호) is missing"),
                                              row=rno, column=id_col, field="id"))
                continue
            first = seen.first_row(ext)
            if first is not None:
                problems.append(table.problem(msg("intake.duplicate_id", "duplicate application ID '{id}' (also in row "
                                                  "{first_row})", id=ext, first_row=first), row=rno, column=id_col,
                                              field="id"))
                continue
            seen.add(ext, rno)
            extra = {}
            for idx, header in extra_cols:
                v = row[idx]
                if v is None or (type(v) is str and (not v or v.isspace())):
                    continue
                extra[header] = _json_value(v)
            rec = IntakeRecord(rno, values, extra, frozenset(bad) if bad else frozenset())
            self.records += 1
            if len(self.preview) < PREVIEW_ROWS:
                self.preview.append(rec)
            batch.append(rec)
            if len(batch) >= size:
                yield batch
                batch = []
                seen.seal()
        if batch:
            yield batch
        seen.seal()
        if table.data_end is not None:
            self.warnings.append(table.data_end)
        if table.rows_read == 0:
            problems.append(table.problem(msg("sheet.no_rows", "has a header in row {header_row} but no data rows",
                                              header_row=table.header_row)))


def refuse_other_program(reader: IntakeReader, program: Program) -> None:
    """When no row's track is one of ``program``'s — a workbook of another program, or the wrong
    database — its rows' "not a known track" problems become one, naming the program and its tracks
    (the import is refused as before: one problem is enough)."""
    tally = reader.tracks
    if not tally.unknown or tally.known:
        return
    column = reader.table.field_columns().get("track")
    reader.problems[:] = [p for p in reader.problems if not (p.field == "track" and p.code == "value.unknown_label")]
    tracks = ", ".join(f"{t.name_ko} ({t.code})" for t in program.tracks)
    reader.problems.append(reader.table.problem(msg(
        "intake.other_program", "no row's track is one of program '{program}' ({name}): the sheet says {values}, "
        "and the program's {count:track is|tracks are} {tracks}. Is the workbook for another program? Then import "
        "it into that program's database, or choose that program", program=program.code,
        name=localised(program.name_ko, program.name_en), values=", ".join(tally.values), count=len(program.tracks),
        tracks=tracks), column=column))


class IntakePlanner:
    """Compares batches with the database and (when asked) writes them, inside one transaction."""

    def __init__(self, s: Session, program: Program, reader: IntakeReader, *, write: bool, actor: str = "",
                 device: str = "", round_id: int | None = None) -> None:
        self.s, self.program, self.reader, self.write = s, program, reader, write
        self.actor, self.device = actor, device
        self.tracks = {t.code: t.id for t in program.tracks}
        self.track_codes = {t.id: t.code for t in program.tracks}
        # rounds: where each application belongs (docs/programs.md, Rounds)
        self.rounds = {r.id: r for r in program.rounds}
        self.round_ids = {r.code: r.id for r in program.rounds}
        self.rolling = (program.intake or "fixed") == "rolling"
        self.given_round = round_id  # ``import applications --round CODE``
        self.placed: dict[int, int] = {}  # round id -> applications of the sheet in it
        self.typed = reader.typed
        # one byte per record read (in the reader's order): what became of it
        self._kinds = bytearray()
        order = reader._seen.order
        self.added, self.updated, self.unchanged = (IdView(order, self._kinds, k) for k in (ADDED, UPDATED, UNCHANGED))
        self.changes: dict[str, dict[str, tuple[Any, Any]]] = {}
        self.problems: list[Problem] = []
        # Core statements on the table (not ORM-enabled ones): cheaper to compile and to execute per
        # row, and compiled once for the whole import
        t = Application.__table__
        self._select = (
            select(t.c.id, t.c.external_id, t.c.track_id, t.c.extra, *(t.c[f] for f in DB_FIELDS), t.c.round_id,
                   t.c.fields)
            .where(t.c.program_id == program.id, t.c.external_id.in_(bindparam("ids", expanding=True)))
        )
        self._insert = t.insert()
        self._table = t
        self._idx = {f: i + 4 for i, f in enumerate(DB_FIELDS)}
        self._round_at, self._fields_at = 4 + len(DB_FIELDS), 5 + len(DB_FIELDS)
        self._now = utcnow()
        self._known = self._load_known()

    @property
    def clean(self) -> bool:
        return not self.problems and not self.reader.problems

    def _load_known(self) -> array:
        """Sorted 32-bit hashes of the program's application IDs (4 bytes each): a batch none of whose
        IDs is among them needs no SELECT (a new intake, the common case, needs none at all)."""
        t = self._table
        known = array("I", sorted(hash(ext) & 0xFFFFFFFF for (ext,) in self.s.connection().execute(
            select(t.c.external_id).where(t.c.program_id == self.program.id))))
        return known

    def _existing(self, ids: list[str]) -> dict[str, Any]:
        known = self._known
        if not known:
            return {}
        n = len(known)
        maybe = []
        for ext in ids:
            h = hash(ext) & 0xFFFFFFFF
            i = bisect_left(known, h)
            if i < n and known[i] == h:
                maybe.append(ext)
        if not maybe:
            return {}
        return {r[1]: r for r in self.s.connection().execute(self._select, {"ids": maybe})}

    def add(self, batch: list[IntakeRecord]) -> None:
        existing = self._existing([r.values["id"] for r in batch])
        reader, problems, kinds = self.reader, self.problems, self._kinds
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        for rec in batch:
            if rec.bad:
                kinds.append(SKIPPED)  # its unreadable cells are reported already
                continue
            ext, vals = rec.values["id"], rec.values
            old = existing.get(ext)
            if old is None:
                missing = [f for f in REQUIRED_NEW if f not in vals]
                for f in missing:
                    problems.append(reader.problem(
                        msg("intake.new_needs_track", "a new application needs a track (사업유형)") if f == "track" else
                        msg("intake.new_needs_title", "a new application needs a project title (사업명)"), rec.row, f))
                for key, fd in self.typed.items():
                    if fd.required and key not in vals:
                        missing.append(key)
                        problems.append(reader.problem(msg("intake.new_needs_field", "a new application needs {label} "
                                                           "({key})", label=fd.label_ko, key=key), rec.row, key,
                                                       params={"key": key}))
                round_id = self._round_for(rec, None)
                if missing or round_id is None:
                    kinds.append(SKIPPED)
                    continue
                row = {f: vals.get(f, BLANK[f]) for f in DB_FIELDS}
                row.update(program_id=self.program.id, track_id=self.tracks[vals["track"]], external_id=ext,
                           uuid=new_uuid(), status="received", extra=rec.extra, created_at=self._now,
                           updated_at=self._now, round_id=round_id, status_reason="",
                           fields={k: vals[k] for k in self.typed if k in vals})
                inserts.append(row)
                self.placed[round_id] = self.placed.get(round_id, 0) + 1
                kinds.append(ADDED)
                continue
            ch, newvals = self._compare(rec, old)
            if ch is None:
                kinds.append(SKIPPED)
            elif ch:
                updates.append({"_pk": old[0], **newvals, "updated_at": self._now})
                kinds.append(UPDATED)
                self.changes[ext] = ch
            else:
                kinds.append(UNCHANGED)
        if self.write and self.clean:
            conn = self.s.connection()
            if inserts:
                conn.execute(self._insert, inserts)
            if updates:
                by_keys: dict[tuple[str, ...], list[dict[str, Any]]] = {}
                for d in updates:
                    by_keys.setdefault(tuple(sorted(d)), []).append(d)
                t = self._table
                for keys, same in by_keys.items():
                    stmt = update(t).where(t.c.id == bindparam("_pk")).values(
                        {k: bindparam(k) for k in keys if k not in ("_pk",)})
                    conn.execute(stmt, same)

    def _round_for(self, rec: IntakeRecord, old_round: int | None) -> int | None:
        """The round of the record (None: a problem was reported).  A ``round`` column names it; else
        ``--round``; else a rolling program places it by its submission date; else a fixed program's
        only (open) round.  A new application may not join a closed or signed-off round, and no
        application moves into or out of a signed-off round."""
        vals, reader = rec.values, self.reader
        if "round" in vals:
            rid = self.round_ids[vals["round"]]
        elif self.given_round is not None and old_round is None:
            rid = self.given_round
        elif self.rolling:
            day = vals.get("submitted_on")
            if day is None:
                if old_round is not None:
                    return old_round
                self.problems.append(reader.problem(msg(
                    "intake.round_needs_date", "the submission date (접수일) is missing: program '{program}' takes "
                    "applications all year and places each in the round whose window holds its date (or give a 차수 "
                    "column)", program=self.program.code), rec.row, "submitted_on"))
                return None
            r = round_for_date(self.program, day)
            if r is None:
                self.problems.append(reader.problem(msg(
                    "intake.no_round_for_date", "submitted on {date}, which falls in no round of program '{program}' "
                    "(rounds: {rounds})", date=day.isoformat(), program=self.program.code,
                    rounds=windows_text(self.program)), rec.row, "submitted_on",
                    params={"date": day.isoformat(), "program": self.program.code}))
                return None
            rid = r.id
        elif old_round is not None:
            return old_round
        else:
            r = default_intake_round(self.program)
            if r is None:
                self.problems.append(reader.problem(msg(
                    "intake.round_ambiguous", "program '{program}' has several open rounds: say which one with --round "
                    "CODE or a 차수 column", program=self.program.code), rec.row, "round"))
                return None
            rid = r.id
        rnd = self.rounds[rid]
        if old_round is None and rnd.status in (CLOSED, SIGNED_OFF):
            self.problems.append(reader.problem(
                msg("intake.round_signed_off", "a new application cannot join round {round} ({name}), which was signed "
                    "off", round=rnd.code, name=rnd.name_ko) if rnd.status == SIGNED_OFF else
                msg("intake.round_closed", "a new application cannot join round {round} ({name}), which is closed for "
                    "intake (open it with 'evaluator round open {round}')", round=rnd.code, name=rnd.name_ko),
                rec.row, "round", params={"round": rnd.code}))
            return None
        if old_round is not None and rid != old_round:
            frozen = next((r for r in (self.rounds[old_round], rnd) if r.status == SIGNED_OFF), None)
            if frozen is not None:
                self.problems.append(reader.problem(msg(
                    "intake.round_move_signed_off", "application {application_id} would move from round {old_round} "
                    "to round {new_round}, but round {round} was signed off; its applications stay as they were "
                    "decided", application_id=vals["id"], old_round=self.rounds[old_round].code, new_round=rnd.code,
                    round=frozen.code), rec.row, "round", params={"round": frozen.code}))
                return None
        return rid

    def _compare(self, rec: IntakeRecord, old) -> tuple[dict[str, tuple[Any, Any]] | None, dict[str, Any]]:
        vals, changes, newvals = rec.values, {}, {}
        ok = True
        old_round = old[self._round_at]
        rid = self._round_for(rec, old_round)
        if rid is None:
            ok = False
        else:
            self.placed[rid] = self.placed.get(rid, 0) + 1
            if rid != old_round:
                changes["round"] = (self.rounds[old_round].code, self.rounds[rid].code)
                newvals["round_id"] = rid
        typed_present = [f for f in self.reader.present if f in self.typed]
        if typed_present:
            old_fields = dict(old[self._fields_at] or {})
            merged = dict(old_fields)
            for key in typed_present:
                if key in vals:
                    merged[key] = vals[key]
                elif key in rec.bad:
                    continue
                elif self.typed[key].required:
                    self.problems.append(self.reader.problem(msg(
                        "intake.field_missing", "{label} ({key}) is missing", label=self.typed[key].label_ko, key=key),
                        rec.row, key, params={"key": key}))
                    ok = False
                else:
                    merged.pop(key, None)
            if merged != old_fields:
                for key in sorted(set(merged) | set(old_fields)):
                    if merged.get(key) != old_fields.get(key):
                        changes[key] = (old_fields.get(key), merged.get(key))
                newvals["fields"] = merged
        for f in self.reader.present:
            if f in self.typed or f == "round":
                continue
            if f == "track":
                if "track" not in vals:
                    self.problems.append(self.reader.problem(msg("intake.track_missing",
                                                                 "the track (사업유형) is missing"), rec.row, "track"))
                    ok = False
                    continue
                old_code = self.track_codes.get(old[2])
                if vals["track"] != old_code:
                    changes["track"] = (old_code, vals["track"])
                    newvals["track_id"] = self.tracks[vals["track"]]
                continue
            if f == "title" and "title" not in vals:
                self.problems.append(self.reader.problem(msg("intake.title_missing",
                                                             "the project title (사업명) is missing"), rec.row, "title"))
                ok = False
                continue
            nv = vals.get(f, BLANK[f])
            ov = old[self._idx[f]]
            if ov != nv:
                changes[f] = (ov, nv)
                newvals[f] = nv
        if self.reader.unknown:
            old_extra = dict(old[3] or {})
            merged = dict(old_extra)
            for h in self.reader.unknown:
                if h in rec.extra:
                    merged[h] = rec.extra[h]
                else:
                    merged.pop(h, None)
            if merged != old_extra:
                changes["extra"] = (old_extra, merged)
                newvals["extra"] = merged
        return (changes if ok else None), newvals

    def rounds_placed(self) -> dict[str, int]:
        """Round code -> applications of the sheet in it (new and updated alike), in round order."""
        return {r.code: self.placed[r.id] for r in self.program.rounds if self.placed.get(r.id)}

    def finish(self) -> None:
        """The one audit entry naming every ID (only when something was written)."""
        if self.write and self.clean and (self.added or self.updated):
            audit.append(
                self.s, actor=self.actor, device=self.device, action="import_applications", entity="program",
                entity_uuid=self.program.uuid,
                new={"file": self.reader.file, "sheet": self.reader.sheet, "added": len(self.added),
                     "added_ids": self.added.text(),
                     "updated": {ext: sorted(ch) for ext, ch in self.changes.items()},
                     "unchanged": len(self.unchanged), "rounds": self.rounds_placed()},
            )
            self.s.flush()
