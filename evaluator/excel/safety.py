"""Opening a workbook someone sent us, safely.

Before openpyxl parses anything, the file is checked cheaply from its bytes and its zip directory:
it must exist, be small enough, be a zip (not an encrypted OLE file, an old ``.xls``, an HTML table
saved as ``.xls``, an OpenDocument file or a CSV) and hold a workbook part.  Then every part is
checked by what it is — a worksheet, the shared-string table, another XML part (read whole), a
picture or embedded file — as ``[Content_Types].xml`` and the relationship parts say (read first,
streamed), never by its name alone: its size cap, the zip-bomb ratio, and for anything read as XML
no DTD (the door to entity-expansion "XML bombs") and, for a part read whole, an element cap.
openpyxl then parses with defusedxml in read-only mode (:mod:`.reader`: bounded readers for the
strings, the stylesheet and the sheets); row and column caps are applied while reading (see
:mod:`evaluator.excel.sheet`).  Every failure is an :class:`ExcelFileError` with one sentence naming
the file (and the part); nothing has been written by then.
"""

from __future__ import annotations

import os
import struct
import warnings
import zipfile
import zlib
from pathlib import Path

from ..errors import ValidationError
from ..messages import Message, msg
from .reader import load  # openpyxl itself is imported when a workbook is opened
from .xmlstream import UnreadableXML

#: hard caps: a real intake sheet is a few hundred kilobytes; these leave a wide margin
MAX_FILE_BYTES = 64 * 1024 * 1024  # the .xlsx file itself
MAX_SHEET_XML_BYTES = 256 * 1024 * 1024  # one worksheet part, uncompressed (streamed)
MAX_STRINGS_XML_BYTES = 64 * 1024 * 1024  # the shared-string table (openpyxl holds it in memory)
MAX_OTHER_XML_BYTES = 16 * 1024 * 1024  # styles, workbook, relationships … (parsed whole)
MAX_TOTAL_XML_BYTES = 1024 * 1024 * 1024  # every part together (XML or not), uncompressed
MAX_RATIO = 250  # uncompressed / compressed for any part larger than 1 MiB
MAX_PARTS = 10_000
MAX_DATA_ROWS = 100_000  # data rows per sheet
MAX_COLUMNS = 256  # columns read per sheet (cells further right are reported, not read)
MAX_CELLS = 5_000_000  # data rows × columns per sheet
MAX_WHOLE_ELEMENTS = 200_000  # XML elements in a part openpyxl parses whole (the workbook, relationships …)

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


#: what zipfile (and zlib underneath) raise for a damaged archive, besides OSError
_DAMAGED: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile, zlib.error, NotImplementedError, EOFError, ValueError, struct.error, RuntimeError,
    KeyError, IndexError, OverflowError,
)


def _why(exc: BaseException) -> Message | str:
    """A short reason from a zip error ("unsupported zip entry: zip file version 23.5")."""
    first = (str(exc).strip().splitlines() or [""])[0][:120]
    if isinstance(exc, NotImplementedError):
        return (msg("excel.why.unsupported_entry", "unsupported zip entry: {detail}", detail=first) if first else
                msg("excel.why.unsupported", "unsupported zip entry"))
    if isinstance(exc, UnicodeDecodeError):
        return msg("excel.why.part_name", "a part name is not valid text")
    return first or type(exc).__name__


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
        raise ExcelFileError(msg("excel.file_missing", "The file {path} does not exist.", path=str(p))) from None
    except OSError as exc:
        raise ExcelFileError(msg("excel.cannot_read", "Cannot read the file {file}: {error}.", file=str(p),
                                 error=exc.strerror)) from None
    if p.is_dir():
        raise ExcelFileError(msg("excel.folder", "{path} is a folder, not an Excel workbook.", path=str(p)))
    if st.st_size == 0:
        raise ExcelFileError(msg("excel.empty", "The file {file} is empty (0 bytes); it is not an Excel workbook.",
                                 file=name))
    if st.st_size > MAX_FILE_BYTES:
        raise ExcelFileError(msg(
            "excel.too_large", "The file {file} is too large ({size}; the limit is {limit}); split it or remove "
            "pictures and unused sheets.", file=name, size=_mb(st.st_size), limit=_mb(MAX_FILE_BYTES)))
    try:
        with open(p, "rb") as fh:
            head = fh.read(4096)
    except OSError as exc:
        raise ExcelFileError(msg("excel.cannot_read", "Cannot read the file {file}: {error}.", file=name,
                                 error=exc.strerror)) from None
    if head.startswith(_OLE_MAGIC):
        if _is_encrypted_ole(p):
            raise ExcelFileError(msg(
                "excel.password", "The file {file} is password-protected (encrypted); open it in Excel or "
                "LibreOffice, remove the password and save it again as .xlsx.", file=name))
        raise ExcelFileError(msg(
            "excel.old_xls", "The file {file} is an old Excel 97–2003 (.xls) or other OLE document; open it and save "
            "it as .xlsx.", file=name))
    if not head.startswith(_ZIP_MAGIC):
        low = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if low.startswith((b"<html", b"<!doctype html", b"<table", b"<meta")) or b"<table" in low[:2048]:
            raise ExcelFileError(msg(
                "excel.html", "The file {file} is a web page (HTML table) saved with an Excel name, not a real "
                "workbook; open it in Excel or LibreOffice and save it as .xlsx.", file=name))
        if low.startswith(b"<?xml"):
            raise ExcelFileError(msg(
                "excel.xml", "The file {file} is an XML file (e.g. Excel 2003 XML or flat OpenDocument), not an .xlsx "
                "workbook; open it and save it as .xlsx.", file=name))
        raise ExcelFileError(msg("excel.not_xlsx", "The file {file} is not an Excel workbook (.xlsx); it looks like "
                                 "text or another format.", file=name))
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
        raise ExcelFileError(msg("excel.cannot_read", "Cannot read the file {file}: {error}.", file=name,
                                 error=str(exc))) from None
    except _DAMAGED as exc:
        # a flipped byte in a zip header shows up as BadZipFile, NotImplementedError ("zip file
        # version 23.5", "compression type 99"), UnicodeDecodeError (a name flagged UTF-8),
        # ValueError, struct.error or EOFError — all of them mean the same thing to the user
        raise ExcelFileError(msg(
            "excel.zip_directory", "The file {file} is damaged or truncated (its zip directory cannot be read: "
            "{reason}); save it again from Excel or LibreOffice.", file=name, reason=_why(exc))) from None
    try:
        infos = zf.infolist()
        if len(infos) > MAX_PARTS:
            raise ExcelFileError(msg("excel.too_many_parts", "The file {file} has {count:,} parts; that is not a "
                                     "normal workbook.", file=name, count=len(infos)))
        names = {i.filename for i in infos}
        if "mimetype" in names and "content.xml" in names:
            raise ExcelFileError(msg(
                "excel.ods", "The file {file} is an OpenDocument spreadsheet (.ods); open it in LibreOffice and save "
                "it as .xlsx.", file=name))
        if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
            if any(n.startswith("word/") for n in names):
                kind = msg("excel.kind.word", "a Word document")
            elif any(n.startswith("ppt/") for n in names):
                kind = msg("excel.kind.powerpoint", "a PowerPoint presentation")
            else:
                kind = msg("excel.kind.zip", "a zip archive")
            raise ExcelFileError(msg("excel.other_kind", "The file {file} is {kind}, not an Excel workbook (.xlsx).",
                                     file=name, kind=kind))
        for i in infos:
            if i.flag_bits & 0x1:
                raise ExcelFileError(msg("excel.encrypted_parts", "The file {file} contains encrypted parts; remove "
                                         "the password and save it again.", file=name))
        # what each part is, from [Content_Types].xml and every relationship part (themselves
        # checked first, as parts read whole), never from the part's name alone
        package = [i for i in infos if _is_package_part(i.filename)]
        for i in package:
            _check_part(zf, i, name, (OTHER,))
        roles = _roles(zf, package, name)
        total = 0
        for i in infos:
            if not _is_package_part(i.filename):  # (those are checked above, as parts read whole)
                kinds = roles.get(i.filename, ()) + _name_roles(i.filename)
                _check_part(zf, i, name, kinds or (OTHER,))
            total += i.file_size
            if total > MAX_TOTAL_XML_BYTES:
                raise ExcelFileError(msg("excel.unpacks_too_large", "The file {file} unpacks to more than {limit}; "
                                         "refused.", file=name, limit=_mb(MAX_TOTAL_XML_BYTES)))
        return zf
    except ExcelFileError:
        zf.close()
        raise
    except (OSError, *_DAMAGED) as exc:
        zf.close()
        raise ExcelFileError(msg("excel.damaged", "The file {file} is damaged or truncated ({reason}); save it "
                                 "again.", file=name, reason=_why(exc))) from None


# --- what each part is --------------------------------------------------------------------------
#: part kinds, each with its own cap: a worksheet is streamed row by row (:mod:`.sheet`), the
#: shared-string table is held in memory, other XML parts are parsed whole, and media (pictures,
#: printer settings, embedded files) are never parsed as XML
WORKSHEET, STRINGS, OTHER, MEDIA = "worksheet", "strings", "other", "media"
MAX_MEDIA_BYTES = MAX_FILE_BYTES  # a picture does not compress: no bigger than the file may be
_CAPS = {WORKSHEET: MAX_SHEET_XML_BYTES, STRINGS: MAX_STRINGS_XML_BYTES, OTHER: MAX_OTHER_XML_BYTES,
         MEDIA: MAX_MEDIA_BYTES}
_WHAT = {WORKSHEET: msg("excel.part.worksheet", "a worksheet"),
         STRINGS: msg("excel.part.strings", "the shared-string table"),
         OTHER: msg("excel.part.other", "an XML part read whole"),
         MEDIA: msg("excel.part.media", "a picture or embedded file")}
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_GENERIC_TYPES = {"application/xml", "text/xml", ""}
_MEDIA_PREFIXES = ("image/", "audio/", "video/", "model/", "font/", "application/x-font", "application/font")
_MEDIA_TYPES = {
    "application/octet-stream", "application/pdf", "application/x-emf", "application/x-wmf", "application/postscript",
    "application/vnd.ms-office.vbaproject", "application/vnd.ms-office.activex",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.printersettings",
    "application/vnd.openxmlformats-officedocument.oleobject", "application/vnd.openxmlformats-officedocument.obfuscatedfont",
    "application/vnd.ms-excel.sheet.binary.macroenabled.main", "application/vnd.ms-excel",
}
_MEDIA_RELS = ("/image", "/media", "/audio", "/video", "/oleObject", "/package", "/vbaProject", "/printerSettings",
               "/hdphoto", "/font", "/activeXControlBinary")


def _is_package_part(filename: str) -> bool:
    """[Content_Types].xml and the relationship parts: what says what every other part is."""
    return filename == "[Content_Types].xml" or filename.lower().endswith(".rels")


def _name_roles(filename: str) -> tuple[str, ...]:
    """What a part's name alone says (the checks before content types were read; kept, never weakened)."""
    fn = filename.lower()
    if not fn.endswith((".xml", ".rels", ".vml")):
        return ()
    if fn.startswith("xl/worksheets/") and not fn.endswith(".rels"):
        return (WORKSHEET,)
    if fn == "xl/sharedstrings.xml":
        return (STRINGS,)
    return (OTHER,)


def _type_role(content_type: str) -> str | None:
    ct = content_type.strip().lower().split(";")[0].strip()
    if ct in _GENERIC_TYPES:
        return None  # says "some XML": the name and the relationships decide
    if ct.endswith((".worksheet+xml", ".dialogsheet+xml", ".macrosheet+xml", ".intlmacrosheet+xml")):
        return WORKSHEET
    if ct.endswith(".sharedstrings+xml"):
        return STRINGS
    if ct in _MEDIA_TYPES or ct.startswith(_MEDIA_PREFIXES):  # never parsed as XML (an SVG may carry a DOCTYPE)
        return MEDIA
    return OTHER  # chartsheets, the workbook, styles, drawings …: read whole


def _rel_role(rel_type: str) -> str:
    t = rel_type.strip()
    if "chartsheet" in t.lower():
        return OTHER  # openpyxl parses a chart sheet whole
    if t.endswith(("/worksheet", "/dialogsheet", "/xlMacrosheet", "/xlIntlMacrosheet")):
        return WORKSHEET
    if t.endswith("/sharedStrings"):
        return STRINGS
    if t.endswith(_MEDIA_RELS):
        return MEDIA
    return OTHER


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _elements(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str):
    """(local tag, attributes) of every element of a part, streamed with defusedxml in bounded
    memory (:func:`.xmlstream.elements`); nothing more once the part turns out not to be
    well-formed XML (openpyxl, which reads these parts with the same parser, then refuses the file
    or never needs the part)."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError

    from .xmlstream import MAX_DEPTH, elements

    try:
        with zf.open(info) as fh:
            for event, el, _depth in elements(fh, flat=MAX_DEPTH):
                if event == "end":
                    yield _local(el.tag), el.attrib
    except DefusedXmlException:
        raise ExcelFileError(msg(
            "excel.part_entities", "The file {file} was refused: its part {part} declares XML entities or a DTD (a "
            "possible XML bomb).", file=name, part=info.filename)) from None
    except UnreadableXML as exc:
        raise ExcelFileError(msg("excel.part_unreadable", "The file {file} cannot be read: in its part {part}, "
                                 "{reason}.", file=name, part=info.filename, reason=exc.sentence)) from None
    except (ParseError, UnicodeError, ValueError, LookupError):
        return
    except zipfile.BadZipFile:
        raise ExcelFileError(msg("excel.part_checksum", "The file {file} is damaged: its part {part} fails its "
                                 "checksum.", file=name, part=info.filename)) from None
    except (OSError, *_DAMAGED) as exc:
        raise ExcelFileError(msg(
            "excel.part_damaged", "The file {file} is damaged or truncated: its part {part} cannot be unpacked "
            "({reason}).", file=name, part=info.filename, reason=_why(exc))) from None


def _check_elements(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, kind: str) -> None:
    """A part openpyxl parses whole becomes a tree of objects: refuse one with more elements than
    any workbook's part has (~100 bytes of memory each, far more once openpyxl builds objects)."""
    for n, _ in enumerate(_elements(zf, info, name), start=1):
        if n > MAX_WHOLE_ELEMENTS:
            raise ExcelFileError(msg(
                "excel.part_elements", "The file {file} was refused: its part {part} ({what}) holds more than "
                "{limit:,} XML elements, which no workbook needs.", file=name, part=info.filename, what=_WHAT[kind],
                limit=MAX_WHOLE_ELEMENTS))


def _roles(zf: zipfile.ZipFile, package: list[zipfile.ZipInfo], name: str) -> dict[str, tuple[str, ...]]:
    """{part name: the kinds [Content_Types].xml and the relationships give it}.  Relationship
    targets are resolved as openpyxl resolves them (``get_dependents``); a part named in both is
    capped by the stricter kind."""
    import posixpath

    names = set(zf.namelist())
    folded: dict[str, list[str]] = {}
    for n in names:
        folded.setdefault(n.lower(), []).append(n)
    out: dict[str, set[str]] = {}

    def claim(part: str, role: str | None) -> None:
        if role is None:
            return
        for n in folded.get(part.lower(), ()):  # part names are case-insensitive (OPC)
            out.setdefault(n, set()).add(role)

    defaults: dict[str, str] = {}
    overridden: set[str] = set()
    for i in package:
        if i.filename == "[Content_Types].xml":
            for tag, attrs in _elements(zf, i, name):
                if tag == "Default":
                    defaults[attrs.get("Extension", "").lower()] = attrs.get("ContentType", "")
                elif tag == "Override":
                    part = attrs.get("PartName", "").lstrip("/")
                    overridden.add(part.lower())
                    claim(part, _type_role(attrs.get("ContentType", "")))
        else:
            parent = posixpath.split(posixpath.dirname(i.filename))[0]
            for tag, attrs in _elements(zf, i, name):
                target = attrs.get("Target", "")
                if tag != "Relationship":
                    continue
                if attrs.get("TargetMode") == "External" or not target:
                    continue
                path = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(parent, target))
                claim(path, _rel_role(attrs.get("Type", "")))
    for n in names:  # a part without an override has its extension's default content type
        ext = n.rsplit(".", 1)[-1].lower() if "." in n.rsplit("/", 1)[-1] else ""
        if ext in defaults and n.lower() not in overridden:
            claim(n, _type_role(defaults[ext]))
    return {n: tuple(sorted(r)) for n, r in out.items()}


def _check_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, kinds: tuple[str, ...]) -> None:
    """The caps of what the part is (the strictest of its kinds), the zip-bomb ratio, and — for
    anything read as XML — the DTD probe."""
    kind = min(kinds, key=lambda k: _CAPS[k])
    cap = _CAPS[kind]
    if info.file_size > cap:
        raise ExcelFileError(msg(
            "excel.part_too_large", "The file {file} is too large to read safely: its part {part} ({what}) unpacks "
            "to {size} (limit {limit}).", file=name, part=info.filename, what=_WHAT[kind], size=_mb(info.file_size),
            limit=_mb(cap)))
    if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise ExcelFileError(msg(
            "excel.zip_bomb", "The file {file} looks like a zip bomb: its part {part} ({what}) unpacks {ratio:,} "
            "times larger than it is stored.", file=name, part=info.filename, what=_WHAT[kind],
            ratio=info.file_size // max(info.compress_size, 1)))
    if any(k != MEDIA for k in kinds):
        _check_prolog(zf, info, name)
    if kind == OTHER and info.filename != "xl/styles.xml":  # the stylesheet is streamed (.reader)
        _check_elements(zf, info, name, kind)


def _check_prolog(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> None:
    """Refuse any part that declares a DTD: workbooks never need one, entity bombs always do."""
    try:
        with zf.open(info) as fh:
            head = fh.read(2048)
    except zipfile.BadZipFile:
        raise ExcelFileError(msg("excel.part_checksum", "The file {file} is damaged: its part {part} fails its "
                                 "checksum.", file=name, part=info.filename)) from None
    except (OSError, *_DAMAGED) as exc:
        raise ExcelFileError(msg(
            "excel.part_damaged", "The file {file} is damaged or truncated: its part {part} cannot be unpacked "
            "({reason}).", file=name, part=info.filename, reason=_why(exc))) from None
    probe = head.replace(b"\x00", b"").upper()
    if b"<!DOCTYPE" in probe or b"<!ENTITY" in probe:
        raise ExcelFileError(msg(
            "excel.part_dtd", "The file {file} was refused: its part {part} declares a DTD/entities, which real "
            "workbooks never do (a possible XML bomb).", file=name, part=info.filename))


def open_workbook(path: str | os.PathLike):
    """Check ``path`` and open it with openpyxl in read-only, values-only mode (its shared-string
    table and sheet dimensions read in bounded memory: :mod:`.reader`)."""
    p = check_file(path)
    check_zip(p).close()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "unknown extension", "no default style": harmless
            return load(p)
    except ExcelFileError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for damaged files
        reason = _reason(exc)
        raise ExcelFileError(msg("excel.unreadable", "The file {file} cannot be read as an Excel workbook: {reason}.",
                                 file=p.name, reason=reason)) from None


def _reason(exc: BaseException) -> Message | str:
    for e in (exc, exc.__cause__):
        if isinstance(e, UnreadableXML):
            return e.sentence
    name = type(exc).__name__
    if name in ("EntitiesForbidden", "DTDForbidden", "ExternalReferenceForbidden", "NotSupportedError"):
        return msg("excel.reason.entities", "it declares XML entities or a DTD (a possible XML bomb)")
    cause = exc.__cause__ or exc.__context__
    if cause is not None and type(cause).__name__ in ("EntitiesForbidden", "DTDForbidden"):
        return msg("excel.reason.entities", "it declares XML entities or a DTD (a possible XML bomb)")
    if isinstance(exc, KeyError):
        return msg("excel.reason.missing_part", "a part it refers to is missing ({part})", part=str(exc))
    if isinstance(exc, zipfile.BadZipFile):
        return msg("excel.reason.damaged", "it is damaged or truncated")
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else name
    return f"{first[:160]} ({name})"


def translate_read_error(exc: BaseException, file: str, sheet: str) -> ExcelFileError:
    """An error raised while streaming a sheet's rows, as one clear sentence."""
    return ExcelFileError(msg("excel.sheet_unreadable", "Sheet '{sheet}' of {file} cannot be read: {reason}.",
                              sheet=sheet, file=file, reason=_reason(exc)))
