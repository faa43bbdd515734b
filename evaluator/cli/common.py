"""Shared CLI plumbing: common options, output, errors, progress, passphrases."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import Any

from ..errors import DatabaseError, EvaluatorError, Problem, ValidationError
from ..messages import LANGUAGES, Message, msg
from ..paths import log_dir


def common_options() -> argparse.ArgumentParser:
    """Options every command accepts before or after its name."""
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--db", metavar="URL", default=argparse.SUPPRESS,
                   help="database: sqlite:///PATH or postgresql+psycopg://USER@HOST/NAME "
                        "(default: evaluator.sqlite3 in the user data directory)")
    p.add_argument("--program", metavar="CODE", default=argparse.SUPPRESS,
                   help="work on this program (default: the database's current program, see 'evaluator program use')")
    p.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                   help="print one JSON document instead of text")
    p.add_argument("--actor", metavar="NAME", default=argparse.SUPPRESS,
                   help="who is acting: a person registered in this database ('evaluator people'; another name is "
                        "refused); else $EVALUATOR_ACTOR, else the operating-system account. On PostgreSQL the login "
                        "is the identity")
    p.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help="log more detail")
    p.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS,
                   help="language: ko (Korean) or en (English). Messages follow the locale when not given (Korean "
                        "for ko_*, else English); workbooks and PDFs are Korean unless --lang en")
    return p


class _LogFile(RotatingFileHandler):
    """The log file; a disk too full (or a file too large) to log to must not print logging's own
    traceback after the command's one sentence: the record is dropped instead."""

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 (logging's name)
        pass


def setup_logging(verbose: bool) -> None:
    root = logging.getLogger()
    if any(isinstance(h, RotatingFileHandler) for h in root.handlers):
        return
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    try:
        d = log_dir()
        d.mkdir(parents=True, exist_ok=True)
        h = _LogFile(d / "evaluator.log", maxBytes=2_000_000, backupCount=3, encoding="utf-8",
                     errors="backslashreplace")
        h.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(h)
    except OSError:
        pass  # a read-only home must not stop the command; errors still reach stderr
    if verbose:
        sh = logging.StreamHandler(sys.stderr)
        sh.setLevel(logging.DEBUG)
        root.addHandler(sh)


def tolerant_output() -> None:
    """File names whose bytes are not UTF-8 reach Python as lone surrogates; a strict UTF-8 stdout
    (a UTF-8 locale other than C.UTF-8) would fail printing them *after* the work was done.  Show
    such characters as escapes instead."""
    for stream in (sys.stdout, sys.stderr):
        if getattr(stream, "errors", None) == "strict" and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="backslashreplace")
            except (ValueError, OSError):  # pragma: no cover - a closed or unusual stream
                pass


def os_error_sentence(exc: OSError) -> Message:
    """One sentence for an OSError that reached the command line (a file or folder the system
    refused) — the safety net behind the clear messages of each command."""
    from ..db.errors import short_path

    what = exc.strerror or str(exc) or type(exc).__name__
    if exc.filename is not None:
        return msg("cli.os_refused_file", "The system refused the file or folder {path}: {reason}. Nothing further was "
                   "done.", path=short_path(exc.filename), reason=what)
    return msg("cli.os_refused", "The system refused a file operation: {reason}. Nothing further was done.",
               reason=what)


#: the subcommand attributes that, after the command's name, name a JSON document (``kit-import``)
_SUBCOMMANDS = ("rubric_command", "audit_command", "keys_command", "kit_command", "package_command",
                "conflicts_command", "program_command", "round_command", "evaluators_command", "people_command",
                "access_command", "retention_command", "subject_command", "admin_command", "awards_command",
                "monitoring_command", "photo_command", "likely_command")
ERROR_DOCUMENT = "error"
#: exit code of a command line that is not understood (an unknown option, a missing argument):
#: distinct from 2, input that was understood but is invalid (BSD sysexits' EX_USAGE)
USAGE_EXIT = 64


def document_name(args: argparse.Namespace) -> str:
    """The name of the JSON document a command prints: the command and its action (``kit-import``,
    ``import-scores``, ``packages-verify``)."""
    parts = [str(getattr(args, "command", "") or "")]
    parts += [str(getattr(args, a)) for a in _SUBCOMMANDS if getattr(args, a, None)]
    if parts[0] == "import" and getattr(args, "kind", None):
        parts.append(args.kind)
    if parts[0] == "packages" and getattr(args, "verify", False):
        parts.append("verify")
    if parts[0] == "access-log" and getattr(args, "verify", False):
        parts.append("verify")
    if parts[0] == "purge" and getattr(args, "compact", False):
        parts.append("compact")
    if parts[0] == "gate" and getattr(args, "gate", None) is None:
        parts.append("list")
    return "-".join(p for p in parts if p)


def schema_ref(name: str) -> dict[str, Any]:
    from .schemas import version

    return {"name": name, "version": version(name)}


def with_schema(name: str, doc: Any) -> dict[str, Any]:
    """``doc`` with its schema named first; a list goes under ``items``."""
    head = {"schema": schema_ref(name)}
    if isinstance(doc, dict):
        return {**head, **doc}
    return {**head, "items": doc}


class UsageParser(argparse.ArgumentParser):
    """An argument parser whose usage errors exit with :data:`USAGE_EXIT` (argparse's own is 2, the
    code of invalid input)."""

    def error(self, message: str):  # noqa: D401 - argparse's name
        self.print_usage(sys.stderr)
        self.exit(USAGE_EXIT, f"{self.prog}: error: {message}\n")


def to_jsonable(obj: Any) -> Any:
    if isinstance(obj, Problem):
        return obj.to_dict()  # its text and the fields that are set
    if is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_jsonable(getattr(obj, f.name)) for f in fields(obj)}
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, (date, datetime)):
        return obj.isoformat()
    if isinstance(obj, Path):
        return str(obj)
    if isinstance(obj, bytes):
        return obj.hex()
    return obj


class CliContext:
    """What a command needs: its arguments, the store (opened lazily) and output helpers."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.json = bool(getattr(args, "json", False))
        self.db = getattr(args, "db", None) or os.environ.get("EVALUATOR_DB") or None
        #: the language asked for with --lang (None: messages follow the locale, documents are Korean)
        self.lang: str | None = getattr(args, "lang", None)
        self._store = None
        self._new_file = None  # the SQLite file this command creates (removed again if it fails)

    def document_lang(self) -> str:
        """The language of the workbooks and PDFs a command writes: --lang, else Korean."""
        return self.lang or "ko"

    def store(self, *, create: bool = False, **kwargs: Any):
        """The database named by --db / EVALUATOR_DB / the default.  Only commands that make a
        database (``init``, ``demo``; ``kit import`` makes its own) pass ``create``: every other one
        refuses a SQLite path that does not exist, so a typo never leaves an empty database behind."""
        if self._store is None:
            from ..store import Store

            path = _sqlite_file(self.db)
            if not create and path is not None and not path.exists():
                from ..errors import DatabaseUnavailable

                raise DatabaseUnavailable(msg(
                    "cli.no_database", "There is no database at {path}; nothing was created. Check the path (--db or "
                    "EVALUATOR_DB), or make one with 'evaluator init' or 'evaluator demo'.", path=str(path)))

            # an encrypted field database: the passphrase comes from the environment or the terminal,
            # never from argv (other users can read a process's arguments)
            if "passphrase" not in kwargs:
                kwargs["passphrase"] = database_passphrase(self.db, creating=False)
            kwargs.setdefault("actor", getattr(self.args, "actor", None) or os.environ.get("EVALUATOR_ACTOR") or None)
            if create:
                from ..db.newfile import NewDatabaseFile

                self._new_file = NewDatabaseFile(path)
            try:
                self._store = Store(self.db, **kwargs)
            except BaseException:
                self.discard_new_database()
                raise
            if not create:
                self._refuse_unknown_actor()
            program = getattr(self.args, "program", None)
            if program and getattr(self.args, "select_program", True):
                self._store.programs.select(program)  # an unknown code: one sentence naming the programs there are
        return self._store

    def _refuse_unknown_actor(self) -> None:
        """A name given with --actor (or $EVALUATOR_ACTOR) that is no person of this SQLite office
        database: a typo would otherwise sign the audit trail and the access log with a name nobody
        has (a field database's actor is its evaluator; on PostgreSQL the login acts)."""
        who = self._store.identity
        if who.source != "person" or who.role:
            return
        given = "--actor" if getattr(self.args, "actor", None) else "$EVALUATOR_ACTOR"
        self.close()
        from ..errors import NotFound

        raise NotFound(msg("cli.unknown_actor", "There is no person '{name}' in this database ({given}); "
                           "'evaluator people' lists the people who act on it, and 'evaluator people add NAME "
                           "--role coordinator|chair|viewer' registers one. Nothing was done.",
                           name=who.name, given=given))

    def replace_store(self, store) -> None:  # noqa: ANN001
        """A workflow closed the store and opened the database again (restore): use the new one."""
        self._store = store

    def discard_new_database(self) -> None:
        """The command failed: remove the database file it created (none that existed before)."""
        if self._new_file is None:
            return
        self.close()
        if self._new_file.discard():
            logging.getLogger("evaluator").info("removed the unfinished new database")
        self._new_file = None

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def out(self, data: Any, text: str | Message | None = None) -> None:
        """Print ``data`` as JSON with --json, otherwise ``text`` (or a plain rendering of data).

        The JSON document names its schema (``{"schema": {"name", "version"}}``, the files in
        ``docs/schemas``); a list becomes ``{"schema": …, "items": [...]}``."""
        if self.json:
            json.dump(with_schema(document_name(self.args), to_jsonable(data)), sys.stdout, ensure_ascii=False,
                      indent=2)
            sys.stdout.write("\n")
        else:
            print(text if text is not None else _plain(data))

    def fail(self, exc: EvaluatorError) -> None:
        # the log never quotes applicants' data: the error's kind and, for located problems, where they
        # are (file, sheet, row, column) — not the cell values the message quotes
        if isinstance(exc, ValidationError) and exc.problems:
            places = "; ".join(p.where for p in exc.problems[:20] if p.where)
            logging.getLogger("evaluator").info("command failed: %s with %d problem(s) at %s", type(exc).__name__,
                                                len(exc.problems), places or "(no location)")
        else:
            logging.getLogger("evaluator").info("command failed: %s", type(exc).__name__)
        if self.json:
            doc: dict[str, Any] = {"schema": schema_ref(ERROR_DOCUMENT), "error": exc.message,
                                   "type": type(exc).__name__}
            if exc.code:
                doc["code"] = exc.code
            if exc.hint:
                doc["hint"] = exc.hint
            if isinstance(exc, ValidationError) and exc.problems:
                doc["problems"] = [p.to_dict() for p in exc.problems]
            json.dump(doc, sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
        print(msg("cli.error", "error: {error}", error=str(exc)), file=sys.stderr)

    def progress(self, label: str | Message):
        """A progress callback printing a bar on a terminal (silent otherwise and with --json)."""
        return TerminalProgress(label, enabled=sys.stderr.isatty() and not self.json)


class TerminalProgress:
    """``callback(fraction, message)`` that draws a one-line bar on stderr."""

    def __init__(self, label: str | Message, enabled: bool) -> None:
        self.label, self.enabled, self._last = label, enabled, -1

    def __call__(self, fraction: float, message: str = "") -> None:
        if not self.enabled:
            return
        pct = int(max(0.0, min(1.0, fraction)) * 100)
        if pct == self._last:
            return
        self._last = pct
        bar = "#" * (pct // 4)
        sys.stderr.write(f"\r{self.label} [{bar:<25}] {pct:3d}% {str(message)[:40]:<40}")
        if pct >= 100:
            sys.stderr.write("\n")
        sys.stderr.flush()


def _plain(data: Any) -> str:
    data = to_jsonable(data)
    if isinstance(data, dict):
        return "\n".join(f"{k}: {v}" for k, v in data.items())
    if isinstance(data, list):
        return "\n".join(str(x) for x in data)
    return str(data)


#: every column header of the command line's tables, by its English text: a table shows them in the
#: language in effect (``--lang``); "#" and an empty header are not words and stay as they are
COLUMNS: dict[str, Message] = {
    "ID": msg("cli.column_id", "ID"),
    "action": msg("cli.column_action", "action"),
    "application": msg("cli.column_application", "application"),
    "applications": msg("cli.column_applications", "applications"),
    "assigned": msg("cli.column_assigned", "assigned"),
    "at (UTC)": msg("cli.column_at_utc", "at (UTC)"),
    "attendees": msg("cli.column_attendees", "attendees"),
    "audit entries": msg("cli.column_audit_entries", "audit entries"),
    "award (won)": msg("cli.column_award_won", "award (won)"),
    "awarded (won)": msg("cli.column_awarded_won", "awarded (won)"),
    "balance": msg("cli.column_balance", "balance"),
    "budget (won)": msg("cli.column_budget_won", "budget (won)"),
    "budget available (won)": msg("cli.column_budget_available_won", "budget available (won)"),
    "by": msg("cli.column_by", "by"),
    "caption": msg("cli.column_caption", "caption"),
    "category": msg("cli.column_category", "category"),
    "check": msg("cli.column_check", "check"),
    "conflicts": msg("cli.column_conflicts", "conflicts"),
    "counted": msg("cli.column_counted", "counted"),
    "date": msg("cli.column_date", "date"),
    "decision": msg("cli.column_decision", "decision"),
    "disbursed": msg("cli.column_disbursed", "disbursed"),
    "district": msg("cli.column_district", "district"),
    "due": msg("cli.column_due", "due"),
    "eligible": msg("cli.column_eligible", "eligible"),
    "evaluation": msg("cli.column_evaluation", "evaluation"),
    "evaluator": msg("cli.column_evaluator", "evaluator"),
    "file": msg("cli.column_file", "file"),
    "final/assigned": msg("cli.column_final_assigned", "final/assigned"),
    "finalised": msg("cli.column_finalised", "finalised"),
    "flags": msg("cli.column_flags", "flags"),
    "gate": msg("cli.column_gate", "gate"),
    "group": msg("cli.column_group", "group"),
    "intake": msg("cli.column_intake", "intake"),
    "kept": msg("cli.column_kept", "kept"),
    "key": msg("cli.column_key", "key"),
    "kind": msg("cli.column_kind", "kind"),
    "laptop": msg("cli.column_laptop", "laptop"),
    "leniency": msg("cli.column_leniency", "leniency"),
    "login": msg("cli.column_login", "login"),
    "matched": msg("cli.column_matched", "matched"),
    "mean total": msg("cli.column_mean_total", "mean total"),
    "merged": msg("cli.column_merged", "merged"),
    "minimum": msg("cli.column_minimum", "minimum"),
    "n": msg("cli.column_n", "n"),
    "name": msg("cli.column_name", "name"),
    "norm.": msg("cli.column_norm", "norm."),
    "note": msg("cli.column_note", "note"),
    "open actions": msg("cli.column_open_actions", "open actions"),
    "organisation": msg("cli.column_organisation", "organisation"),
    "other": msg("cli.column_other", "other"),
    "outcome": msg("cli.column_outcome", "outcome"),
    "package": msg("cli.column_package", "package"),
    "personal fields": msg("cli.column_personal_fields", "personal fields"),
    "photo": msg("cli.column_photo", "photo"),
    "plan": msg("cli.column_plan", "plan"),
    "planned visit": msg("cli.column_planned_visit", "planned visit"),
    "program": msg("cli.column_program", "program"),
    "quota": msg("cli.column_quota", "quota"),
    "rank": msg("cli.column_rank", "rank"),
    "reason": msg("cli.column_reason", "reason"),
    "record": msg("cli.column_record", "record"),
    "registered by": msg("cli.column_registered_by", "registered by"),
    "requested": msg("cli.column_requested", "requested"),
    "requested (won)": msg("cli.column_requested_won", "requested (won)"),
    "reserves": msg("cli.column_reserves", "reserves"),
    "resolution": msg("cli.column_resolution", "resolution"),
    "role": msg("cli.column_role", "role"),
    "round": msg("cli.column_round", "round"),
    "rounds": msg("cli.column_rounds", "rounds"),
    "rubric (version)": msg("cli.column_rubric_version", "rubric (version)"),
    "score": msg("cli.column_score", "score"),
    "sha256": msg("cli.column_sha256", "sha256"),
    "since": msg("cli.column_since", "since"),
    "size": msg("cli.column_size", "size"),
    "spread": msg("cli.column_spread", "spread"),
    "stable": msg("cli.column_stable", "stable"),
    "state": msg("cli.column_state", "state"),
    "status": msg("cli.column_status", "status"),
    "stepped in": msg("cli.column_stepped_in", "stepped in"),
    "support (won)": msg("cli.column_support_won", "support (won)"),
    "title": msg("cli.column_title", "title"),
    "topic": msg("cli.column_topic", "topic"),
    "track": msg("cli.column_track", "track"),
    "type": msg("cli.column_type", "type"),
    "visit": msg("cli.column_visit", "visit"),
    "visited": msg("cli.column_visited", "visited"),
    "visitor": msg("cli.column_visitor", "visitor"),
    "what": msg("cli.column_what", "what"),
    "who": msg("cli.column_who", "who"),
    "why": msg("cli.column_why", "why"),
    "window": msg("cli.column_window", "window"),
}


def column(header: str | Message, lang: str | None = None) -> str:
    """A table's column header in ``lang`` (the language in effect when None)."""
    if isinstance(header, Message):
        return header.render(lang)
    known = COLUMNS.get(header)  # tests/core/test_cli_tables.py keeps every header of evaluator/cli in COLUMNS
    return header if known is None else known.render(lang)


def display_width(s: str) -> int:
    """How many terminal columns ``s`` takes: wide (Hangul, CJK) characters count two, combining marks none."""
    import unicodedata

    return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def table(rows: list[list[Any]], headers: list[str | Message], lang: str | None = None) -> str:
    """A plain text table whose columns line up for Hangul (wide characters count double); the headers
    are named by their English text (see :data:`COLUMNS`) and shown in ``lang``."""
    width = display_width
    cells = [[column(h, lang) for h in headers]] + [["" if v is None else str(v) for v in r] for r in rows]
    widths = [max(width(r[i]) for r in cells) for i in range(len(headers))]
    lines = []
    for n, r in enumerate(cells):
        lines.append("  ".join(v + " " * (widths[i] - width(v)) for i, v in enumerate(r)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def read_passphrase(args: argparse.Namespace, prompt: str | Message | None = None, confirm: bool = False) -> str:
    """From --passphrase-file, then EVALUATOR_PASSPHRASE, then a terminal prompt."""
    path = getattr(args, "passphrase_file", None)
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").rstrip("\r\n")
        except OSError as exc:
            raise EvaluatorError(msg("cli.passphrase_file_unreadable", "Cannot read the passphrase file {path}: "
                                     "{reason}.", path=str(path), reason=exc.strerror)) from None
    env = os.environ.get("EVALUATOR_PASSPHRASE")
    if env is not None:
        return env
    if sys.stdin.isatty():
        import getpass

        first = getpass.getpass(str(prompt or msg("cli.prompt_passphrase", "Passphrase: ")))
        if confirm and getpass.getpass(str(msg("cli.prompt_repeat_passphrase", "Repeat passphrase: "))) != first:
            raise EvaluatorError(msg("cli.passphrases_differ", "The two passphrases differ; nothing was changed."))
        return first
    if prompt is not None:  # say which: the office key's, the laptop's own key's …
        raise EvaluatorError(msg(
            "cli.passphrase_needed_which", "A passphrase is needed ({which}): use --passphrase-file FILE or set "
            "EVALUATOR_PASSPHRASE (no terminal to ask on).", which=str(prompt).strip().rstrip(":：").strip()))
    raise EvaluatorError(msg(
        "cli.passphrase_needed",
        "A passphrase is needed: use --passphrase-file FILE or set EVALUATOR_PASSPHRASE (no terminal to ask on)."))


def _sqlite_file(db: str | None) -> Path | None:
    from ..db.newfile import sqlite_file

    return sqlite_file(db)


def database_passphrase(db: str | None, *, creating: bool) -> str | None:
    """The passphrase of an encrypted SQLite field database: EVALUATOR_DB_PASSPHRASE, else asked on
    the terminal.  ``None`` for a plain database (or PostgreSQL).  With ``creating`` a new file will
    be created encrypted (field kits default to encrypted databases), so a passphrase is needed for it."""
    from ..db import encryption

    path = _sqlite_file(db)
    if path is None or encryption.is_plain_sqlite(path):
        return None
    exists = path.exists() and path.stat().st_size > 0
    if not exists and not creating:
        return None
    if exists and not encryption.may_be_encrypted(path):
        return None
    env = os.environ.get("EVALUATOR_DB_PASSPHRASE")
    if env:
        return env
    if sys.stdin.isatty():
        import getpass

        if exists:
            return getpass.getpass(str(msg("cli.prompt_database", "Passphrase of the database {path}: ", path=str(path))))
        first = getpass.getpass(str(msg("cli.prompt_new_database", "New passphrase to encrypt the field database "
                                        "{path}: ", path=str(path))))
        if getpass.getpass(str(msg("cli.prompt_repeat_it", "Repeat it: "))) != first:
            raise EvaluatorError(msg("cli.passphrases_differ", "The two passphrases differ; nothing was changed."))
        return first
    if exists:
        raise DatabaseError(msg("cli.maybe_encrypted", "The database {path} is not a Maeul Evaluator database, or it "
                                "is an encrypted field database: then set EVALUATOR_DB_PASSPHRASE to its passphrase "
                                "(there is no terminal to ask on).", path=str(path)))
    raise EvaluatorError(msg("cli.encrypted_by_default", "Field databases are encrypted by default: set "
                             "EVALUATOR_DB_PASSPHRASE to the passphrase for {path}, or give --no-encrypt to keep it "
                             "unencrypted (no terminal to ask on).", path=str(path)))
