"""A SQLite database file made by a command that then failed is removed again: nothing is left.

``evaluator demo`` onto a full disk, or ``kit import`` of a kit that is then refused, used to
leave an empty (or schema-only) ``new.sqlite3`` behind after saying "nothing was changed".  A
:class:`NewDatabaseFile` notes, before the database is opened, whether its file already existed;
:meth:`discard` removes the file and SQLite's companions (-wal, -shm, -journal) only when this
run created it — never a database that was there before.
"""

from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger(__name__)

#: the files SQLite keeps beside a database
SIDECARS = ("-wal", "-shm", "-journal")


class NewDatabaseFile:
    """Remembers whether the SQLite file at ``path`` is new (``path`` None: not a SQLite file)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        try:
            self.new = path is not None and not path.exists()
        except OSError:  # cannot look: never delete anything
            self.new = False

    def discard(self) -> bool:
        """Remove the file this run created (call after closing every connection to it)."""
        if not self.new or self.path is None:
            return False
        removed = False
        for p in (self.path, *(self.path.with_name(self.path.name + s) for s in SIDECARS)):
            try:
                p.unlink()
                removed = True
            except FileNotFoundError:
                pass
            except OSError as exc:  # pragma: no cover - nothing more we can do; the message already went out
                log.warning("could not remove the unfinished database file %s: %s", p.name, exc.strerror)
        self.new = False
        return removed


def sqlite_file(url: str | None) -> Path | None:
    """The SQLite file a ``--db`` value names (None for PostgreSQL or an unusable value)."""
    from ..errors import EvaluatorError
    from ..paths import default_database_url
    from .engine import parse_url, sqlite_path

    try:
        return sqlite_path(parse_url(url or default_database_url()))
    except EvaluatorError:
        return None


__all__ = ["NewDatabaseFile", "sqlite_file", "SIDECARS"]
