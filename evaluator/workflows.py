"""Workflows that open more than one database, above the :class:`~evaluator.store.Store`.

An area works on its own store's database only; what creates or replaces a database lives here,
so that the CLI (``evaluator kit import``, ``evaluator kit field-database``, ``evaluator restore``)
and the desktop app run the same steps:

* :func:`open_store` — open (creating or upgrading) a database, encrypted with a passphrase;
* :func:`import_kit` — a field kit into a new or existing field database (encrypted by default);
* :func:`make_field_database` — office database → kit for one evaluator → a new field database;
* :func:`restore` — replace a SQLite database by a backup, keeping the replaced one beside it;
* :func:`retire_field_database` — a laptop's field database, its WAL and backups destroyed once the
  office's signed receipt confirms the merge.

This module imports nothing heavy when it is imported (the desktop app's first frame waits for it).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ValidationError
from .jobs import NEVER, CancelToken, Progress, no_progress
from .messages import msg

if TYPE_CHECKING:
    from .changes import Outcome
    from .packages.kit import KitUnlock
    from .packages.results import KitInfo
    from .store import Store

#: the file suffixes of field kits and result packages
KIT_SUFFIX = ".mekit"
PACKAGE_SUFFIX = ".mepkg"


def sqlite_url(path: str | os.PathLike) -> str:
    return f"sqlite:///{Path(path).as_posix()}"


def sqlite_file(url: str) -> Path | None:
    """The SQLite file a database URL names, or None (PostgreSQL, or not a valid URL)."""
    from .db.engine import parse_url, sqlite_path
    from .errors import EvaluatorError

    try:
        return sqlite_path(parse_url(url))
    except EvaluatorError:
        return None


def may_be_encrypted(path: str | os.PathLike) -> bool:
    """Whether the file looks like an encrypted database (it will need a passphrase to open)."""
    from .db.encryption import may_be_encrypted as check

    return check(path)


def wrong_passphrase(exc: BaseException, of: str = "any") -> bool:
    """Whether ``exc`` says a passphrase was wrong (or missing), so that the person can be asked
    again: ``of`` "database" (an encrypted database), "kit" (a kit's passphrase or the key it is
    encrypted to) or "any" (those and a key file's)."""
    from .db.encryption import WrongPassphrase as WrongDatabasePassphrase
    from .packages.errors import WrongPassphrase as WrongKeyPassphrase
    from .packages.kitseal import KitWrongSecret

    kinds: dict[str, tuple[type, ...]] = {
        "database": (WrongDatabasePassphrase,),
        "kit": (KitWrongSecret, WrongKeyPassphrase),
    }
    wanted = kinds.get(of) or (*kinds["database"], *kinds["kit"])
    return isinstance(exc, wanted)


# --- server connections ---------------------------------------------------------------------------
def server_url(*, host: str, database: str, user: str, port: int | None = None, password: str | None = None) -> str:
    """A PostgreSQL URL for the office server (the password, when given, escaped into it)."""
    from sqlalchemy.engine import URL

    return URL.create("postgresql+psycopg", username=user or None, password=password or None, host=host or None,
                      port=port or None, database=database or None).render_as_string(hide_password=False)


def is_server_url(url: str) -> bool:
    return url.strip().lower().startswith("postgresql")


def without_password(url: str) -> str:
    """``url`` with its password removed (what may be remembered: the password never is)."""
    from sqlalchemy.engine import URL, make_url

    u = make_url(url)
    return URL.create(u.drivername, username=u.username, password=None, host=u.host, port=u.port,
                      database=u.database, query=u.query).render_as_string(hide_password=False)


def with_password(url: str, password: str | None) -> str:
    """``url`` with ``password`` put in (or left as it is when None or empty)."""
    if not password:
        return url
    from sqlalchemy.engine import make_url

    return make_url(url).set(password=password).render_as_string(hide_password=False)


def server_parts(url: str) -> dict[str, Any]:
    """Host, port, database and user of a server URL (for a dialog to show)."""
    from sqlalchemy.engine import make_url

    u = make_url(url)
    return {"host": u.host or "", "port": u.port, "database": u.database or "", "user": u.username or ""}


# --- kits -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class KitProtection:
    """How a field kit is protected, read from its envelope without any secret."""

    #: "passphrase" (the office set one), "key" (encrypted to the evaluator's key) or "none"
    kind: str
    evaluator: str = ""
    #: the evaluator key's fingerprint (kind "key")
    recipient: str = ""
    #: kind "key": this computer has the evaluator's key file
    has_key: bool = False


def kit_protection(kit_path: str | os.PathLike, key_dir: str | os.PathLike | None = None) -> KitProtection:
    """What opening the kit at ``kit_path`` needs (a damaged kit raises its one sentence)."""
    from .packages import kitseal
    from .packages.keys import read_key_info
    from .packages.kit import sealed_kit

    sealed = sealed_kit(kit_path)
    if sealed is None:
        return KitProtection("none")
    if sealed.to == kitseal.TO_PASSPHRASE:
        return KitProtection("passphrase", sealed.evaluator)
    try:
        has_key = read_key_info(key_dir, sealed.evaluator) is not None
    except Exception:  # noqa: BLE001 - a header naming no usable evaluator: the import says why
        has_key = False
    return KitProtection("key", sealed.evaluator, sealed.recipient or "", has_key)


def kit_unlock(*, kit_passphrase: str | None = None, key_passphrase: str | None = None,
               key_dir: str | os.PathLike | None = None) -> KitUnlock:
    """What opens an encrypted kit, for :func:`import_kit`'s ``unlock``: the kit passphrase the office
    set, or the evaluator's key passphrase (its key file in ``key_dir`` or the default folder)."""
    from .packages.kit import KitUnlock

    return KitUnlock(kit_passphrase=kit_passphrase, key_passphrase=key_passphrase, key_dir=key_dir)


def open_store(url: str | None = None, passphrase: str | None = None, **kwargs: Any) -> Store:
    from .store import Store

    return Store(url, passphrase=passphrase, **kwargs)


def import_kit(kit_path: str | os.PathLike, db_url: str | None = None, *, passphrase: str | None = None,
               expected_office_fingerprint: str | None = None, unlock: KitUnlock | None = None) -> Outcome[KitInfo]:
    """Create or update the FIELD database at ``db_url`` from the kit at ``kit_path``.

    With ``passphrase`` the field database is encrypted at rest (SQLCipher): a new one is created
    encrypted, an existing encrypted one is opened with it.  A kit encrypted because it carries
    contact data is opened with ``unlock``.  The kit is read and checked before the database is
    touched, and a database file this call creates is removed again when the import fails."""
    from .db.newfile import NewDatabaseFile
    from .domain import FIELD
    from .packages.kit import check_office_key, read_kit

    check_office_key(read_kit(kit_path, unlock=unlock), expected_office_fingerprint)  # before any file is made
    new_file = NewDatabaseFile(sqlite_file(db_url) if db_url else None)
    try:
        with open_store(db_url, passphrase, role=FIELD) as store:
            return store.packages.install_kit(kit_path, expected_office_fingerprint=expected_office_fingerprint,
                                              unlock=unlock)
    except BaseException:
        new_file.discard()
        raise


def make_field_database(office: Store, evaluator: str, target: str | os.PathLike, *,
                        db_passphrase: str | None, key_passphrase: str | None = None,
                        include_personal: bool = False, reason: str | None = None, progress: Progress = no_progress,
                        cancel: CancelToken = NEVER) -> Outcome[KitInfo]:
    """Office database → ``evaluator``'s kit → a new field database at ``target`` (encrypted with
    ``db_passphrase`` unless it is None), in one step: what an office does to set up a laptop.

    ``key_passphrase`` unlocks (or, on first use, creates) the office key the kit must carry.  The
    kit only passes through a temporary folder (with contact data, sealed with a one-time
    passphrase that never leaves this call).  A field database already at ``target`` is kept
    beside it as ``NAME-old-STAMP.sqlite3``."""
    import secrets
    import tempfile

    from .packages.kit import KitUnlock

    target = Path(target).expanduser().resolve()
    if key_passphrase is not None:
        office.keys.ensure(key_passphrase)
    kit_passphrase = secrets.token_urlsafe(24) if include_personal else None
    progress(0.1, evaluator)
    with tempfile.TemporaryDirectory(prefix="maeul-kit-") as folder:
        kit = Path(folder) / f"kit-{evaluator}{KIT_SUFFIX}"
        office.packages.export_kit(evaluator, kit, include_personal=include_personal, kit_passphrase=kit_passphrase,
                                   reason=reason, cancel=cancel)
        cancel.raise_if_cancelled()
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            stamp = datetime.now().strftime("%Y%m%d%H%M%S")
            target.rename(target.with_name(f"{target.stem}-old-{stamp}{target.suffix}"))
            for extra in ("-wal", "-shm"):
                target.with_name(target.name + extra).unlink(missing_ok=True)
        progress(0.5, target.name)
        outcome = import_kit(kit, sqlite_url(target), passphrase=db_passphrase,
                             unlock=KitUnlock(kit_passphrase=kit_passphrase) if kit_passphrase else None)
    progress(1.0, "")
    return outcome


def restore(current: Store, backup: str | os.PathLike, *, passphrase: str | None = None) -> tuple[Store, Path]:
    """Replace the SQLite database open in ``current`` by a copy of the backup file ``backup``.

    The open database is first copied to ``NAME.before-restore-STAMP`` beside it; ``current`` is
    closed; the returned store is the restored database (upgraded if the backup is older).  An
    encrypted backup is opened with ``passphrase`` and its copy keeps that key; a plain backup
    cannot replace an encrypted database or the other way round.  Returns (store, safety copy)."""
    from .db import encryption

    path = current.sqlite_path
    if path is None:
        raise ValidationError(msg("core.restore_sqlite_only", "Restoring works for SQLite databases only; restore a "
                                  "PostgreSQL database with pg_restore."))
    source = Path(backup).expanduser().resolve()
    path = path.resolve()
    if source == path:
        raise ValidationError(msg("core.restore_same_file", "{path} is the open database itself; choose a backup file.",
                                  path=str(source)))
    if not source.is_file():
        raise ValidationError(msg("core.restore_no_backup", "There is no backup file {path}; nothing was changed.",
                                  path=str(source)))
    current_encrypted = not encryption.is_plain_sqlite(path)
    if current_encrypted != (passphrase is not None) or encryption.is_plain_sqlite(source) == (passphrase is not None):
        raise ValidationError(msg("core.restore_encryption_mismatch", "The backup and the open database must both be "
                                  "encrypted or both be plain; nothing was changed."))
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    safety = path.with_name(f"{path.name}.before-restore-{stamp}")
    # check the backup opens (right passphrase, a Maeul Evaluator database) before anything changes
    with open_store(sqlite_url(source), passphrase, upgrade=False) as src:
        src.info()
    current.backup(safety)
    current.close()  # (the last connection's close checkpoints the WAL into the file)
    for extra in ("-wal", "-shm"):
        path.with_name(path.name + extra).unlink(missing_ok=True)
    with open_store(sqlite_url(source), passphrase, upgrade=False) as src:
        src.backup(path, overwrite=True)  # complete and checked before it replaces the file
    return open_store(sqlite_url(path), passphrase), safety


@dataclass(frozen=True)
class Retirement:
    """What ``kit retire`` destroyed, and where it recorded that it did."""

    evaluator: str
    device: str
    sequence: int
    files: tuple[str, ...]
    record: str


def retire_field_database(store: Store, receipt: str | os.PathLike) -> Retirement:
    """Destroy the laptop's field database open in ``store`` — the file, its WAL and shared-memory
    files and every backup of it the program knows of — once the office's signed merge receipt
    confirms that the last package it exported is merged and nothing changed since (checked first:
    :class:`evaluator.privacy.receipts.ReceiptRefused` says why not, and nothing is destroyed).
    ``store`` is closed.  A record of what was destroyed (never the data) is written to the user
    data folder's ``retired`` folder."""
    import json
    import socket

    from .paths import data_dir
    from .privacy.identity import os_account
    from .privacy.shred import destroy_database_files

    path = store.sqlite_path
    if path is None:
        raise ValidationError(msg("core.retire_sqlite_only", "'kit retire' destroys a laptop's SQLite field database; "
                                  "this is a PostgreSQL database."))
    check = store.privacy.check_receipt(receipt)  # refused here: nothing is touched
    path = Path(path).resolve()
    backups = store.privacy.backups()
    store.close()  # (the last connection's close checkpoints the WAL into the file)
    destroyed = destroy_database_files(path)
    for b in backups:
        destroyed += destroy_database_files(b)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = data_dir() / "retired"
    folder.mkdir(parents=True, exist_ok=True)
    record = folder / f"retired-{check.evaluator}-{stamp}.json"
    r = check.receipt
    doc = {"format": "maeul-evaluator-retirement", "retired_at": datetime.now().astimezone().isoformat(
           timespec="seconds"), "account": os_account(), "computer": socket.gethostname(),
           "evaluator": check.evaluator, "device": check.device, "package": check.sequence,
           "package_sha256": r.package_sha256, "merged_at": r.merged_at, "office_fingerprint": r.office_fingerprint,
           "office_database": r.office_database, "receipt_issued_by": r.issued_by, "files_destroyed": destroyed}
    record.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return Retirement(check.evaluator, check.device, check.sequence, tuple(destroyed), str(record))

