"""Opening a workbook someone sent us, safely.

Before openpyxl parses anything, the file is checked cheaply from its bytes and its zip directory:
it must exist, be small enough, be a zip (not an encrypted OLE file, an old ``.xls``, an HTML table
saved as ``.xls``, an OpenDocument file or a CSV), hold a workbook part, and no part may declare a
DTD (the door to entity-expansion "XML bombs") or uncompress beyond fixed caps.  openpyxl then
parses with defusedxml (installed with the app) in read-only mode, streaming the sheets; row and
column caps are applied while reading (see :mod:`evaluator.excel.sheet`).  Every failure is an
:class:`ExcelFileError` with one sentence naming the file; nothing has been written by then.
"""

from __future__ import annotations

import os
import struct
import warnings
import zipfile
import zlib
from pathlib import Path

from ..errors import ValidationError

#: hard caps: a real intake sheet is a few hundred kilobytes; these leave a wide margin
MAX_FILE_BYTES = 64 * 1024 * 1024  # the .xlsx file itself
MAX_SHEET_XML_BYTES = 256 * 1024 * 1024  # one worksheet part, uncompressed (streamed)
MAX_STRINGS_XML_BYTES = 64 * 1024 * 1024  # the shared-string table (openpyxl holds it in memory)
MAX_OTHER_XML_BYTES = 16 * 1024 * 1024  # styles, workbook, relationships … (parsed whole)
MAX_TOTAL_XML_BYTES = 1024 * 1024 * 1024  # every part together, uncompressed
MAX_RATIO = 250  # uncompressed / compressed for any part larger than 1 MiB
MAX_PARTS = 10_000
MAX_DATA_ROWS = 100_000  # data rows per sheet
MAX_COLUMNS = 256  # columns read per sheet (cells further right are reported, not read)
MAX_CELLS = 5_000_000  # data rows × columns per sheet

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


#: what zipfile (and zlib underneath) raise for a damaged archive, besides OSError
_DAMAGED: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile, zlib.error, NotImplementedError, EOFError, ValueError, struct.error, RuntimeError,
    KeyError, IndexError, OverflowError,
)


def _why(exc: BaseException) -> str:
    """A short reason from a zip error ("unsupported zip entry: zip file version 23.5")."""
    msg = (str(exc).strip().splitlines() or [""])[0][:120]
    if isinstance(exc, NotImplementedError):
        return f"unsupported zip entry: {msg}" if msg else "unsupported zip entry"
    if isinstance(exc, UnicodeDecodeError):
        return "a part name is not valid text"
    return msg or type(exc).__name__


class ExcelFileError(ValidationError):
    """The file is not a workbook we can read (wrong kind, damaged, protected or too big)."""


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB"


def check_file(path: str | os.PathLike) -> Path:
    """Every cheap check that needs no XML parsing; returns the path."""
    p = Path(path)
    name = p.name
    try:
        st = p.stat()
    except FileNotFoundError:
        raise ExcelFileError(f"The file {p} does not exist.") from None
    except OSError as exc:
        raise ExcelFileError(f"Cannot read the file {p}: {exc.strerror}.") from None
    if p.is_dir():
        raise ExcelFileError(f"{p} is a folder, not an Excel workbook.")
    if st.st_size == 0:
        raise ExcelFileError(f"The file {name} is empty (0 bytes); it is not an Excel workbook.")
    if st.st_size > MAX_FILE_BYTES:
        raise ExcelFileError(
            f"The file {name} is too large ({_mb(st.st_size)}; the limit is {_mb(MAX_FILE_BYTES)}); "
            "split it or remove pictures and unused sheets."
        )
    try:
        with open(p, "rb") as fh:
            head = fh.read(4096)
    except OSError as exc:
        raise ExcelFileError(f"Cannot read the file {name}: {exc.strerror}.") from None
    if head.startswith(_OLE_MAGIC):
        if _is_encrypted_ole(p):
            raise ExcelFileError(
                f"The file {name} is password-protected (encrypted); open it in Excel or LibreOffice, "
                "remove the password and save it again as .xlsx."
            )
        raise ExcelFileError(
            f"The file {name} is an old Excel 97–2003 (.xls) or other OLE document; open it and save it as .xlsx."
        )
    if not head.startswith(_ZIP_MAGIC):
        low = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if low.startswith((b"<html", b"<!doctype html", b"<table", b"<meta")) or b"<table" in low[:2048]:
            raise ExcelFileError(
                f"The file {name} is a web page (HTML table) saved with an Excel name, not a real workbook; "
                "open it in Excel or LibreOffice and save it as .xlsx."
            )
        if low.startswith(b"<?xml"):
            raise ExcelFileError(
                f"The file {name} is an XML file (e.g. Excel 2003 XML or flat OpenDocument), not an .xlsx "
                "workbook; open it and save it as .xlsx."
            )
        raise ExcelFileError(f"The file {name} is not an Excel workbook (.xlsx); it looks like text or another format.")
    return p


def _is_encrypted_ole(p: Path) -> bool:
    # An encrypted OOXML file is an OLE container holding "EncryptionInfo" and "EncryptedPackage"
    # streams; their names sit in the directory sectors as UTF-16LE.  The file is size-capped.
    needle = "EncryptionInfo".encode("utf-16-le")
    with open(p, "rb") as fh:
        return needle in fh.read()


def check_zip(p: Path) -> zipfile.ZipFile:
    """Open the zip and check its directory (sizes, ratios, DTDs) before any XML parsing."""
    name = p.name
    try:
        zf = zipfile.ZipFile(p)
    except OSError as exc:
        raise ExcelFileError(f"Cannot read the file {name}: {exc}.") from None
    except _DAMAGED as exc:
        # a flipped byte in a zip header shows up as BadZipFile, NotImplementedError ("zip file
        # version 23.5", "compression type 99"), UnicodeDecodeError (a name flagged UTF-8),
        # ValueError, struct.error or EOFError — all of them mean the same thing to the user
        raise ExcelFileError(
            f"The file {name} is damaged or truncated (its zip directory cannot be read: {_why(exc)}); "
            "save it again from Excel or LibreOffice."
        ) from None
    try:
        infos = zf.infolist()
        if len(infos) > MAX_PARTS:
            raise ExcelFileError(f"The file {name} has {len(infos):,} parts; that is not a normal workbook.")
        names = {i.filename for i in infos}
        if "mimetype" in names and "content.xml" in names:
            raise ExcelFileError(
                f"The file {name} is an OpenDocument spreadsheet (.ods); open it in LibreOffice and save it as .xlsx."
            )
        if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
            if any(n.startswith("word/") for n in names):
                kind = "a Word document"
            elif any(n.startswith("ppt/") for n in names):
                kind = "a PowerPoint presentation"
            else:
                kind = "a zip archive"
            raise ExcelFileError(f"The file {name} is {kind}, not an Excel workbook (.xlsx).")
        total = 0
        for i in infos:
            if i.flag_bits & 0x1:
                raise ExcelFileError(f"The file {name} contains encrypted parts; remove the password and save it again.")
            fn = i.filename.lower()
            if not fn.endswith((".xml", ".rels", ".vml")):
                continue
            if fn.startswith("xl/worksheets/"):
                cap = MAX_SHEET_XML_BYTES
            elif fn == "xl/sharedstrings.xml":
                cap = MAX_STRINGS_XML_BYTES
            else:
                cap = MAX_OTHER_XML_BYTES
            if i.file_size > cap:
                raise ExcelFileError(
                    f"The file {name} is too large to read safely: its part {i.filename} unpacks to "
                    f"{_mb(i.file_size)} (limit {_mb(cap)})."
                )
            if i.file_size > 1024 * 1024 and i.file_size > MAX_RATIO * max(i.compress_size, 1):
                raise ExcelFileError(
                    f"The file {name} looks like a zip bomb: its part {i.filename} unpacks "
                    f"{i.file_size // max(i.compress_size, 1):,} times larger than it is stored."
                )
            total += i.file_size
            if total > MAX_TOTAL_XML_BYTES:
                raise ExcelFileError(f"The file {name} unpacks to more than {_mb(MAX_TOTAL_XML_BYTES)}; refused.")
            _check_prolog(zf, i, name)
        return zf
    except ExcelFileError:
        zf.close()
        raise
    except (OSError, *_DAMAGED) as exc:
        zf.close()
        raise ExcelFileError(f"The file {name} is damaged or truncated ({_why(exc)}); save it again.") from None


def _check_prolog(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> None:
    """Refuse any part that declares a DTD: workbooks never need one, entity bombs always do."""
    try:
        with zf.open(info) as fh:
            head = fh.read(2048)
    except zipfile.BadZipFile:
        raise ExcelFileError(f"The file {name} is damaged: its part {info.filename} fails its checksum.") from None
    except (OSError, *_DAMAGED) as exc:
        raise ExcelFileError(
            f"The file {name} is damaged or truncated: its part {info.filename} cannot be unpacked ({_why(exc)})."
        ) from None
    probe = head.replace(b"\x00", b"").upper()
    if b"<!DOCTYPE" in probe or b"<!ENTITY" in probe:
        raise ExcelFileError(
            f"The file {name} was refused: its part {info.filename} declares a DTD/entities, which real workbooks "
            "never do (a possible XML bomb)."
        )


def open_workbook(path: str | os.PathLike):
    """Check ``path`` and open it with openpyxl in read-only, values-only mode."""
    from openpyxl import load_workbook

    p = check_file(path)
    check_zip(p).close()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "unknown extension", "no default style": harmless
            return load_workbook(p, read_only=True, data_only=True, keep_links=False)
    except ExcelFileError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for damaged files
        reason = _reason(exc)
        raise ExcelFileError(f"The file {p.name} cannot be read as an Excel workbook: {reason}.") from None


def _reason(exc: BaseException) -> str:
    name = type(exc).__name__
    if name in ("EntitiesForbidden", "DTDForbidden", "ExternalReferenceForbidden", "NotSupportedError"):
        return "it declares XML entities or a DTD (a possible XML bomb)"
    cause = exc.__cause__ or exc.__context__
    if cause is not None and type(cause).__name__ in ("EntitiesForbidden", "DTDForbidden"):
        return "it declares XML entities or a DTD (a possible XML bomb)"
    if isinstance(exc, KeyError):
        return f"a part it refers to is missing ({exc})"
    if isinstance(exc, zipfile.BadZipFile):
        return "it is damaged or truncated"
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else name
    return f"{msg[:160]} ({name})"


def translate_read_error(exc: BaseException, file: str, sheet: str) -> ExcelFileError:
    """An error raised while streaming a sheet's rows, as one clear sentence."""
    return ExcelFileError(f"Sheet '{sheet}' of {file} cannot be read: {_reason(exc)}.")
