"""Writing an output file — a PDF, a workbook, a kit, a package — so that a failure leaves nothing.

Every file the app writes for the user goes through :func:`atomic_output`: the content is written
to a temporary file beside the target, synced, and renamed over the target only when complete.  A
failure on the way (a full disk, a read-only folder, a file held open by a viewer on Windows, a
name the file system refuses) removes the temporary file and becomes one sentence that names the
file and says what to do; an existing file of that name is left as it was.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import EvaluatorError
from .messages import Message, msg


class OutputNotWritten(EvaluatorError):
    """An output file could not be written; nothing was left behind (an older file is untouched)."""


class NotAPdfName(OutputNotWritten):
    """A report was asked for under another kind of file's name (``summary.xlsx``): bad input, exit 2
    (docs/cli.md); nothing was written."""

    exit_code = 2


def display(path: object) -> str:
    """A path for a message (long ones shortened, bytes that are not UTF-8 shown as \\xNN)."""
    from .db.errors import short_path

    return short_path(path)


_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_DENIED = {errno.EACCES, errno.EPERM}


def sentence(exc: OSError, target: Path, *, stage: str, temporary: Path | None = None) -> Message:
    """One sentence for an OSError met while writing ``target``.

    ``stage`` is ``"create"`` (making the temporary file in the folder), ``"write"`` (filling it)
    or ``"replace"`` (renaming it over the target)."""
    name, folder = display(target), display(target.parent if str(target.parent) else ".")
    other = exc.filename
    if other is not None and stage == "write" and temporary is not None and \
            os.fspath(other) not in (os.fspath(temporary), os.fspath(target)):
        # the failure was reading something else the document needed, not writing it
        return msg("core.output_cannot_read", "Cannot write {name}: cannot read {other} ({reason}); nothing was written.",
                   name=name, other=display(other), reason=exc.strerror or str(exc))
    code = exc.errno
    if code in _FULL:
        return msg("core.output_disk_full", "The disk holding {folder} is full, so {name} was not written (nothing was "
                   "left behind). Free some space or choose another folder, and try again.", folder=folder, name=name)
    if code == errno.EROFS:
        return msg("core.output_read_only_disk", "Cannot write {name}: the folder {folder} is on a read-only disk; "
                   "choose another folder.", name=name, folder=folder)
    if code in _DENIED or isinstance(exc, PermissionError):
        if stage == "replace":
            return msg("core.output_file_open", "Cannot replace {name}: the file is open in another program (or it is "
                       "read-only). Close the file and try again; nothing was written.", name=name)
        return msg("core.output_folder_denied", "Cannot write {name}: you may not write in the folder {folder} (it is "
                   "read-only for you); choose another folder.", name=name, folder=folder)
    if code == errno.ENAMETOOLONG:
        return msg("core.output_name_too_long", "Cannot write {name}: the file name is too long for the file system; "
                   "choose a shorter name.", name=name)
    if code == errno.EFBIG:
        return msg("core.output_too_big", "Cannot write {name}: the file would be larger than this disk (or your "
                   "account) allows; choose another folder.", name=name)
    if code == errno.EISDIR or (stage == "replace" and os.path.isdir(target)):
        return msg("core.output_folder_in_way", "Cannot write {name}: a folder of that name is in the way; choose "
                   "another file name.", name=name)
    return msg("core.output_failed", "Cannot write {name}: {reason}; nothing was written.", name=name,
               reason=exc.strerror or str(exc))


def check_folder(target: Path, error: type[EvaluatorError] = OutputNotWritten) -> Path:
    folder = target.parent if str(target.parent) else Path(".")
    try:
        exists = folder.is_dir()
    except OSError as exc:  # a path the system cannot even look at
        raise error(sentence(exc, target, stage="create")) from None
    if not exists:
        raise error(msg("core.output_no_folder", "Cannot write {name}: the folder {folder} does not exist.",
                        name=display(target), folder=display(folder)))
    return folder


@contextmanager
def atomic_output(target: str | os.PathLike, *, error: type[EvaluatorError] = OutputNotWritten,
                  suffix: str = ".part", private: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside ``target`` to write; on success it is synced and renamed to
    ``target``.  Any failure removes it; an ``OSError`` becomes ``error`` with one sentence.

    The temporary file is made readable by its owner only (``mkstemp``), so nobody reads a half-written
    file; the finished file gets the mode any new file would get (``0666`` less the umask), as a
    spreadsheet program would write it — unless ``private``, when it stays ``0600``."""
    target = Path(target)
    folder = check_folder(target, error)
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name[:60]}.", suffix=suffix, dir=folder)
    except OSError as exc:
        raise error(sentence(exc, target, stage="create")) from None
    os.close(fd)
    tmp = Path(name)
    stage = "write"
    try:
        yield tmp
        if not private:
            _follow_umask(tmp)
        _fsync(tmp)
        stage = "replace"
        os.replace(tmp, target)
    except OSError as exc:
        _unlink(tmp)
        raise error(sentence(exc, target, stage=stage, temporary=tmp)) from None
    except BaseException:
        _unlink(tmp)
        raise


def write_bytes(target: str | os.PathLike, data: bytes, *, error: type[EvaluatorError] = OutputNotWritten) -> Path:
    """Write ``data`` to ``target`` atomically (see :func:`atomic_output`)."""
    target = Path(target)
    with atomic_output(target, error=error) as tmp:
        with open(tmp, "wb") as fh:
            fh.write(data)
    return target


def _umask() -> int:
    """The process's umask: read from /proc where there is one (reading it with ``os.umask`` means
    setting it for a moment, which another thread creating a file could notice)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _follow_umask(path: Path) -> None:
    """Give ``path`` the mode a newly created file gets (``mkstemp`` made it ``0600``)."""
    if os.name == "nt":  # Windows has no umask; the folder's permissions apply
        return
    os.chmod(path, 0o666 & ~_umask())


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDWR)  # Windows flushes only a handle open for writing
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


__all__ = ["OutputNotWritten", "atomic_output", "write_bytes", "sentence", "check_folder"]
