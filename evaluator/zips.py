"""A zip member whose bytes are compressed already.

Python's :mod:`zipfile` compresses what it is given; a writer that has the member's raw DEFLATE
stream at hand (a worksheet deflated as it was streamed, a package's audit trail deflated once to
sign its stored bytes) would have it compressed a second time.  :func:`add_deflated` writes such a
member as it is — local header with the sizes and CRC known beforehand, then the bytes — exactly
as ``ZipFile`` records a member it compressed itself (the central directory is written when the
archive closes, from the same ``ZipInfo``)."""

from __future__ import annotations

import io
import shutil
import zlib
from typing import BinaryIO
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

#: what :func:`add_deflated` uses of ``ZipFile``'s insides (CPython's zipfile)
_INSIDES = ("_lock", "_writing", "_seekable", "start_dir", "_writecheck", "filelist", "NameToInfo", "fp")


def add_deflated(zf: ZipFile, zinfo: ZipInfo, stored: bytes | BinaryIO, *, size: int, compressed_size: int,
                 crc: int) -> None:
    """Add member ``zinfo`` to ``zf`` (open for writing) from ``stored``, its content as raw DEFLATE
    (bytes, or a binary file read to its end), of ``size`` bytes inflated, ``compressed_size``
    stored, with CRC-32 ``crc``."""
    zinfo.compress_type = ZIP_DEFLATED
    zinfo.file_size, zinfo.compress_size, zinfo.CRC = size, compressed_size, crc
    src: BinaryIO = io.BytesIO(stored) if isinstance(stored, (bytes, bytearray, memoryview)) else stored
    if not all(hasattr(zf, a) for a in _INSIDES):  # pragma: no cover - another zipfile: inflate, let it compress
        with zf.open(zinfo, "w", force_zip64=size > 0x7FFFFFFF) as dest:
            inflate = zlib.decompressobj(-15)
            for chunk in iter(lambda: src.read(1 << 20), b""):
                dest.write(inflate.decompress(chunk))
            dest.write(inflate.flush())
        return
    with zf._lock:  # as ZipFile._open_to_write, with the sizes and CRC known beforehand
        if zf._writing:
            raise ValueError("Can't write to the ZIP file while there is another write handle open on it.")
        if zf._seekable:
            zf.fp.seek(zf.start_dir)
        zinfo.header_offset = zf.fp.tell()
        zf._writecheck(zinfo)
        zf._didModify = True
        zf.fp.write(zinfo.FileHeader())  # (zip64 fields when a size needs them)
        shutil.copyfileobj(src, zf.fp, 1 << 20)
        zf.start_dir = zf.fp.tell()
        zf.filelist.append(zinfo)
        zf.NameToInfo[zinfo.filename] = zinfo


__all__ = ["add_deflated"]
