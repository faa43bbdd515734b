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


def check_name(name: str) -> str | None:
    """Why ``name`` is unsafe as a member name, or None if it is fine."""
    if not name:
        return "has an empty name"
    if "\\" in name:
        return "contains a backslash"
    if name.startswith("/"):
        return "is an absolute path"
    if _DRIVE.match(name):
        return "starts with a drive letter"
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        return "contains control characters"
    parts = name.split("/")
    if ".." in parts:
        return "contains '..' (path traversal)"
    if name.endswith("/"):
        return "is a directory entry"
    if any(p in ("", ".") for p in parts):
        return "has an empty or '.' path component"
    return None


def read_archive(
    data: bytes,
    *,
    what: str,
    allowed: Callable[[str], bool],
    limits: Limits = DEFAULT_LIMITS,
    raw: dict[str, tuple[int, bytes]] | None = None,
) -> dict[str, bytes]:
    """Every member of the ZIP ``data`` by name, after the safety checks above.

    Pass a dict as ``raw`` to also get each member's bytes as stored in the archive:
    ``raw[name] = (compression method, bytes)`` (raw deflate for ZIP_DEFLATED) — to keep a member
    compressed without compressing it again."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise UnsafeArchive(f"{what} is not a readable archive ({exc}).") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > limits.max_members:
            raise UnsafeArchive(f"{what} has {len(infos)} members; at most {limits.max_members} are accepted.")
        seen: set[str] = set()
        total = 0
        for info in infos:
            name = info.filename
            shown = repr(name[:120])
            why = check_name(name)
            if why is None and info.orig_filename != name:
                why = "has a name that is not a plain path"
            if why:
                raise UnsafeArchive(f"{what}: member {shown} {why}; the archive was rejected.")
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise UnsafeArchive(f"{what}: member {shown} is a link; the archive was rejected.")
            if mode and not stat.S_ISREG(mode) and stat.S_IFMT(mode):
                raise UnsafeArchive(f"{what}: member {shown} is not a regular file; the archive was rejected.")
            if info.is_dir():
                raise UnsafeArchive(f"{what}: member {shown} is a directory entry; the archive was rejected.")
            folded = name.casefold()
            if folded in seen:
                raise UnsafeArchive(f"{what}: member {shown} appears twice; the archive was rejected.")
            seen.add(folded)
            if not allowed(name):
                raise UnsafeArchive(f"{what}: member {shown} is not part of this format; the archive was rejected.")
            if info.flag_bits & 0x1:
                raise UnsafeArchive(f"{what}: member {shown} is encrypted; the archive was rejected.")
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise UnsafeArchive(f"{what}: member {shown} uses an unsupported compression method.")
            if info.file_size > limits.max_member_size:
                raise UnsafeArchive(f"{what}: member {shown} is {info.file_size:,} bytes; at most "
                                    f"{limits.max_member_size:,} are accepted.")
            if info.file_size > limits.ratio_floor and info.file_size > limits.max_ratio * max(info.compress_size, 1):
                raise UnsafeArchive(f"{what}: member {shown} expands {info.file_size / max(info.compress_size, 1):.0f}"
                                    f" times (a decompression bomb); the archive was rejected.")
            total += info.file_size
            if total > limits.max_total_size:
                raise UnsafeArchive(f"{what} expands to more than {limits.max_total_size:,} bytes; the archive "
                                    "was rejected.")
        out: dict[str, bytes] = {}
        for info in infos:
            body, stored = _read_member(data, info, what)
            out[info.filename] = body
            if raw is not None:
                raw[info.filename] = (info.compress_type, stored)
        return out


_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")  # (zipfile's structFileHeader)
#: general purpose flags zipfile refuses to read: compressed patched data, strong encryption
_UNREADABLE_FLAGS = 0x20 | 0x40


def _read_member(data: bytes, info: zipfile.ZipInfo, what: str) -> tuple[bytes, bytes]:
    """(content, bytes as stored) of one member, straight from the archive's bytes — what
    ``ZipFile.open`` checks, without its file objects: the local header's signature and name (the
    same as the directory's), no patched data or strong encryption; the content inflated to at
    most one byte past its declared size, which it must have exactly, and its CRC-32."""
    shown = repr(info.filename[:120])
    at = info.header_offset
    head = data[at:at + _LOCAL_HEADER.size]
    if len(head) != _LOCAL_HEADER.size:
        raise UnsafeArchive(f"{what}: member {shown} has a damaged local header.")
    signature, _, _, flags, _, _, _, _, _, _, name_len, extra_len = _LOCAL_HEADER.unpack(head)
    if signature != b"PK\x03\x04":
        raise UnsafeArchive(f"{what}: member {shown} has a damaged local header.")
    start = at + _LOCAL_HEADER.size
    try:
        name = data[start:start + name_len].decode("utf-8" if flags & 0x800 else "cp437")
    except UnicodeDecodeError:
        name = None
    if name != info.orig_filename:
        raise UnsafeArchive(f"{what}: member {shown} has another name in its local header; the archive was "
                            "rejected.")
    if info.flag_bits & _UNREADABLE_FLAGS:
        raise UnsafeArchive(f"{what}: member {shown} cannot be read (patched or strongly encrypted data).")
    start += name_len + extra_len
    stored = data[start:start + info.compress_size]
    if len(stored) != info.compress_size:
        raise UnsafeArchive(f"{what}: member {shown} is cut short.")
    if info.compress_type == zipfile.ZIP_STORED:
        body = stored
    else:
        try:
            body = zlib.decompressobj(-15).decompress(stored, info.file_size + 1)
        except zlib.error as exc:
            raise UnsafeArchive(f"{what}: member {shown} is damaged ({exc}).") from None
    if len(body) != info.file_size:
        raise UnsafeArchive(f"{what}: member {shown} is not the size its header says.")
    if zlib.crc32(body) != info.CRC:
        raise UnsafeArchive(f"{what}: member {shown} is damaged (its CRC-32 does not match).")
    return body, stored


def unstore(method: int, body: bytes) -> bytes:
    """Undo :func:`read_archive`'s ``raw`` form."""
    if method == zipfile.ZIP_STORED:
        return body
    if method == zipfile.ZIP_DEFLATED:
        try:
            return zlib.decompress(body, -15)
        except zlib.error as exc:
            raise ValueError(f"damaged compressed data ({exc})") from None
    raise ValueError(f"unknown compression method {method}")


def write_archive(members: list[tuple[str, bytes, bool]]) -> bytes:
    """A ZIP of ``(name, data, compress)`` members with fixed timestamps and permissions."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data, compress in members:
            assert check_name(name) is None, name
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            info.create_system = 3
            zf.writestr(info, data, compresslevel=6 if compress else None)
    return buf.getvalue()
