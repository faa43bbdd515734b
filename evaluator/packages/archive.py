"""Reading and writing the ZIP archives inside kits and packages — safely.

Nothing is ever extracted to disk: members are read into memory, and only after every member of
the archive passed these checks (so a hostile archive is rejected before anything is written):

* names: no ``..`` component, no absolute path, no drive letter, no backslash, no empty or ``.``
  component, no control characters, only names the format allows;
* no links, directories or encrypted members; only stored or deflated members;
* no duplicate names (also not differing only in case);
* caps on the number of members, each member's size, the total size and the compression ratio
  (decompression bombs), checked on the declared sizes and again while reading.
"""

from __future__ import annotations

import io
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from ..messages import Message, msg
from ..zips import add_deflated
from .errors import UnsafeArchive

_DRIVE = re.compile(r"^[A-Za-z]:")
#: fixed timestamp so the same content always gives the same bytes
_EPOCH = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Limits:
    max_members: int = 20_000
    max_member_size: int = 256 * 1024 * 1024
    max_total_size: int = 1024 * 1024 * 1024
    #: uncompressed / compressed, checked for members larger than ``ratio_floor`` bytes
    max_ratio: float = 200.0
    ratio_floor: int = 1024 * 1024


DEFAULT_LIMITS = Limits()


def check_name(name: str) -> Message | None:
    """Why ``name`` is unsafe as a member name (the end of a sentence about the member), or None if
    it is fine."""
    if not name:
        return msg("packages.archive.name_empty", "has an empty name")
    if "\\" in name:
        return msg("packages.archive.name_backslash", "contains a backslash")
    if name.startswith("/"):
        return msg("packages.archive.name_absolute", "is an absolute path")
    if _DRIVE.match(name):
        return msg("packages.archive.name_drive", "starts with a drive letter")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        return msg("packages.archive.name_control", "contains control characters")
    parts = name.split("/")
    if ".." in parts:
        return msg("packages.archive.name_traversal", "contains '..' (path traversal)")
    if name.endswith("/"):
        return msg("packages.archive.name_directory", "is a directory entry")
    if any(p in ("", ".") for p in parts):
        return msg("packages.archive.name_dot", "has an empty or '.' path component")
    return None


def read_archive(
    data: bytes,
    *,
    what: str | Message,
    allowed: Callable[[str], bool],
    limits: Limits = DEFAULT_LIMITS,
    raw: dict[str, tuple[int, bytes]] | None = None,
    keep_deflated: Callable[[str, dict[str, bytes]], bool] | None = None,
) -> dict[str, bytes]:
    """Every member of the ZIP ``data`` by name, after the safety checks above.

    Pass a dict as ``raw`` to also get each member's bytes as stored in the archive:
    ``raw[name] = (compression method, bytes)`` (raw deflate for ZIP_DEFLATED) — to keep a member
    compressed without compressing it again.  A deflated member for which ``keep_deflated(name,
    members read so far)`` says True is not inflated: it is only in ``raw`` (every check above is
    made on it but those of its content — its size and CRC-32 — which whoever needs its content
    makes with :func:`inflate_member`; a package's signed manifest names its stored bytes' hash)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise UnsafeArchive(msg("packages.archive.unreadable", "{what} is not a readable archive ({detail}).",
                                what=what, detail=str(exc))) from None
    with zf:
        infos = zf.infolist()
        if len(infos) > limits.max_members:
            raise UnsafeArchive(msg("packages.archive.too_many_members", "{what} has {count} members; at most "
                                    "{limit} are accepted.", what=what, count=len(infos), limit=limits.max_members))
        seen: set[str] = set()
        total = 0
        for info in infos:
            name = info.filename
            shown = repr(name[:120])
            why = check_name(name)
            if why is None and info.orig_filename != name:
                why = msg("packages.archive.name_not_plain", "has a name that is not a plain path")
            if why:
                raise UnsafeArchive(msg("packages.archive.unsafe_name", "{what}: member {member} {why}; the archive "
                                        "was rejected.", what=what, member=shown, why=why))
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise UnsafeArchive(msg("packages.archive.link", "{what}: member {member} is a link; the archive was "
                                        "rejected.", what=what, member=shown))
            if mode and not stat.S_ISREG(mode) and stat.S_IFMT(mode):
                raise UnsafeArchive(msg("packages.archive.not_regular", "{what}: member {member} is not a regular "
                                        "file; the archive was rejected.", what=what, member=shown))
            if info.is_dir():
                raise UnsafeArchive(msg("packages.archive.directory", "{what}: member {member} is a directory entry; "
                                        "the archive was rejected.", what=what, member=shown))
            folded = name.casefold()
            if folded in seen:
                raise UnsafeArchive(msg("packages.archive.duplicate", "{what}: member {member} appears twice; the "
                                        "archive was rejected.", what=what, member=shown))
            seen.add(folded)
            if not allowed(name):
                raise UnsafeArchive(msg("packages.archive.not_allowed", "{what}: member {member} is not part of this "
                                        "format; the archive was rejected.", what=what, member=shown))
            if info.flag_bits & 0x1:
                raise UnsafeArchive(msg("packages.archive.encrypted", "{what}: member {member} is encrypted; the "
                                        "archive was rejected.", what=what, member=shown))
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise UnsafeArchive(msg("packages.archive.compression", "{what}: member {member} uses an unsupported "
                                        "compression method.", what=what, member=shown))
            if info.file_size > limits.max_member_size:
                raise UnsafeArchive(msg("packages.archive.member_too_big", "{what}: member {member} is {size:,} "
                                        "bytes; at most {limit:,} are accepted.", what=what, member=shown,
                                        size=info.file_size, limit=limits.max_member_size))
            if info.file_size > limits.ratio_floor and info.file_size > limits.max_ratio * max(info.compress_size, 1):
                raise UnsafeArchive(msg("packages.archive.bomb", "{what}: member {member} expands {ratio:.0f} times (a "
                                         "decompression bomb); the archive was rejected.", what=what, member=shown,
                                         ratio=info.file_size / max(info.compress_size, 1)))
            total += info.file_size
            if total > limits.max_total_size:
                raise UnsafeArchive(msg("packages.archive.total_too_big", "{what} expands to more than {limit:,} "
                                        "bytes; the archive was rejected.", what=what, limit=limits.max_total_size))
        out: dict[str, bytes] = {}
        for info in infos:
            lazy = (raw is not None and keep_deflated is not None and info.compress_type == zipfile.ZIP_DEFLATED
                    and keep_deflated(info.filename, out))
            body, stored = _read_member(data, info, what, inflate=not lazy)
            if not lazy:
                out[info.filename] = body
            if raw is not None:
                raw[info.filename] = (info.compress_type, stored)
        return out


def stored_member(data: bytes, name: str) -> bytes:
    """The bytes of member ``name`` as stored in the archive ``data`` (for the writer's check)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.getinfo(name)
    return _read_member(data, info, name, inflate=False)[1]


def inflate_member(data: bytes, name: str, what: str | Message) -> bytes:
    """The content of member ``name`` of an archive :func:`read_archive` already checked (one it
    kept deflated), with the same checks and sentences as when it reads a member."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.getinfo(name)
    return _read_member(data, info, what)[0]


_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")  # (zipfile's structFileHeader)
#: general purpose flags zipfile refuses to read: compressed patched data, strong encryption
_UNREADABLE_FLAGS = 0x20 | 0x40


def _read_member(data: bytes, info: zipfile.ZipInfo, what: str | Message, *,
                 inflate: bool = True) -> tuple[bytes, bytes]:
    """(content, bytes as stored) of one member, straight from the archive's bytes — what
    ``ZipFile.open`` checks, without its file objects: the local header's signature and name (the
    same as the directory's), no patched data or strong encryption; the content inflated to at
    most one byte past its declared size, which it must have exactly, and its CRC-32."""
    shown = repr(info.filename[:120])
    at = info.header_offset
    head = data[at:at + _LOCAL_HEADER.size]
    if len(head) != _LOCAL_HEADER.size:
        raise UnsafeArchive(msg("packages.archive.local_header", "{what}: member {member} has a damaged local header.",
                                 what=what, member=shown))
    signature, _, _, flags, _, _, _, _, _, _, name_len, extra_len = _LOCAL_HEADER.unpack(head)
    if signature != b"PK\x03\x04":
        raise UnsafeArchive(msg("packages.archive.local_header", "{what}: member {member} has a damaged local header.",
                                 what=what, member=shown))
    start = at + _LOCAL_HEADER.size
    try:
        name = data[start:start + name_len].decode("utf-8" if flags & 0x800 else "cp437")
    except UnicodeDecodeError:
        name = None
    if name != info.orig_filename:
        raise UnsafeArchive(msg("packages.archive.header_name", "{what}: member {member} has another name in its local "
                                 "header; the archive was rejected.", what=what, member=shown))
    if info.flag_bits & _UNREADABLE_FLAGS:
        raise UnsafeArchive(msg("packages.archive.unreadable_member", "{what}: member {member} cannot be read "
                                "(patched or strongly encrypted data).", what=what, member=shown))
    start += name_len + extra_len
    stored = data[start:start + info.compress_size]
    if len(stored) != info.compress_size:
        raise UnsafeArchive(msg("packages.archive.cut_short", "{what}: member {member} is cut short.", what=what,
                                 member=shown))
    if not inflate:
        return b"", stored
    if info.compress_type == zipfile.ZIP_STORED:
        body = stored
    else:
        try:
            body = zlib.decompressobj(-15).decompress(stored, info.file_size + 1)
        except zlib.error as exc:
            raise UnsafeArchive(msg("packages.archive.member_damaged", "{what}: member {member} is damaged ({detail}).",
                                     what=what, member=shown, detail=str(exc))) from None
    if len(body) != info.file_size:
        raise UnsafeArchive(msg("packages.archive.wrong_size", "{what}: member {member} is not the size its header "
                                "says.", what=what, member=shown))
    if zlib.crc32(body) != info.CRC:
        raise UnsafeArchive(msg("packages.archive.crc", "{what}: member {member} is damaged (its CRC-32 does not "
                                "match).", what=what, member=shown))
    return body, stored


def unstore(method: int, body: bytes, limit: int = DEFAULT_LIMITS.max_member_size) -> bytes:
    """Undo :func:`read_archive`'s ``raw`` form (at most ``limit`` bytes: a member a merge kept
    deflated was never inflated there, so its declared size is no bound)."""
    if method == zipfile.ZIP_STORED:
        return body
    if method == zipfile.ZIP_DEFLATED:
        d = zlib.decompressobj(-15)
        try:
            out = d.decompress(body, limit + 1)
        except zlib.error as exc:
            raise ValueError(f"damaged compressed data ({exc})") from None
        if len(out) > limit:
            raise ValueError(f"compressed data larger than {limit:,} bytes")
        if not d.eof:
            raise ValueError("damaged compressed data (Error -5 while decompressing data: incomplete or truncated "
                             "stream)")
        return out
    raise ValueError(f"unknown compression method {method}")


def deflate(body: bytes) -> bytes:
    """``body`` as :func:`write_archive` stores a compressed member (raw deflate, level 6)."""
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(body) + c.flush()


@dataclass(frozen=True)
class Deflated:
    """A member's content compressed already, as :func:`write_archive` would store it
    (:func:`deflated`): written into the archive as it is, not compressed a second time."""

    stored: bytes
    size: int
    crc: int


def deflated(body: bytes) -> Deflated:
    return Deflated(deflate(body), len(body), zlib.crc32(body))


def write_archive(members: list[tuple[str, bytes | Deflated, bool]]) -> bytes:
    """A ZIP of ``(name, data, compress)`` members with fixed timestamps and permissions (``data``
    :class:`Deflated`: compressed already)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data, compress in members:
            assert check_name(name) is None, name
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            info.create_system = 3
            if isinstance(data, Deflated):
                add_deflated(zf, info, data.stored, size=data.size, compressed_size=len(data.stored), crc=data.crc)
            else:
                zf.writestr(info, data, compresslevel=6 if compress else None)
    return buf.getvalue()
