"""Destroying files: overwritten with zeros, synced, then removed.

What this can promise is what the file system offers: on an ordinary disk (ext4, NTFS, APFS without
snapshots) the blocks the file used are overwritten in place before it is unlinked.  Copy-on-write
file systems and snapshots (Btrfs, ZFS, APFS snapshots, Time Machine, Windows' Volume Shadow Copy),
SSD wear levelling and backups taken by other programs keep copies that no program can reach;
docs/privacy.md says so and says what the office does about them (full-disk encryption).
"""

from __future__ import annotations

import os
from pathlib import Path

_BLOCK = 1 << 20


def destroy_file(path: str | os.PathLike) -> bool:
    """Overwrite ``path`` with zeros, sync it, truncate and remove it; False when there was no file."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        return False
    with open(p, "r+b", buffering=0) as fh:
        zeros = bytes(min(size, _BLOCK))
        left = size
        while left > 0:
            n = fh.write(zeros[:min(left, _BLOCK)])
            left -= n
        os.fsync(fh.fileno())
        fh.truncate(0)
        os.fsync(fh.fileno())
    p.unlink()
    return True


def sqlite_family(path: str | os.PathLike) -> list[Path]:
    """A SQLite file and the files beside it that hold its pages: the WAL, the shared-memory index
    and a rollback journal."""
    p = Path(path)
    return [p] + [p.with_name(p.name + extra) for extra in ("-wal", "-shm", "-journal")]


def destroy_database_files(path: str | os.PathLike) -> list[str]:
    """Destroy a SQLite database file and its WAL, shared-memory and journal files; the names of
    those that existed."""
    return [str(p) for p in sqlite_family(path) if destroy_file(p)]


__all__ = ["destroy_database_files", "destroy_file", "sqlite_family"]
