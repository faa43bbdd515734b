"""Workbooks written part by part, for sheet XML that no library writes but other producers (or
attackers) do: a namespace prefix on every element, rows without ``r``, shared strings, UTF-16."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
SHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
STRINGS_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"

#: style 1 is a date (numFmtId 14)
STYLES = (f'<styleSheet xmlns="{MAIN}"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/>'
          '</cellXfs></styleSheet>')


def cell(value, *, ref: str | None = None, kind: str = "", style: int | None = None, p: str = "") -> str:
    """One ``<c>``: ``kind`` "s" (``value`` a shared-string index), "n", "b", "e", "str" (a formula's
    cached text), "inline", "rich" (runs) or "" (a number); ``value`` None: no value element."""
    attrs = (f' r="{ref}"' if ref else "") + (f' s="{style}"' if style is not None else "")
    if kind == "inline":
        return f'<{p}c{attrs} t="inlineStr"><{p}is><{p}t>{escape(str(value))}</{p}t></{p}is></{p}c>'
    if kind == "rich":
        runs = "".join(f"<{p}r><{p}t>{escape(v)}</{p}t></{p}r>" for v in value)
        return f'<{p}c{attrs} t="inlineStr"><{p}is>{runs}</{p}is></{p}c>'
    t = f' t="{kind}"' if kind else ""
    formula = f"<{p}f>A1</{p}f>" if kind == "str" else ""
    v = "" if value is None else f"<{p}v>{escape(str(value))}</{p}v>"
    return f"<{p}c{attrs}{t}>{formula}{v}</{p}c>"


def row(*cells: str, r: int | None = None, p: str = "") -> str:
    attrs = f' r="{r}"' if r is not None else ""
    return f"<{p}row{attrs}>{''.join(cells)}</{p}row>" if cells else f"<{p}row{attrs}/>"


def sheet_xml(rows: list[str], *, p: str = "") -> str:
    decl = f'xmlns:{p[:-1]}="{MAIN}"' if p else f'xmlns="{MAIN}"'
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><{p}worksheet {decl}><{p}sheetData>'
            + "".join(rows) + f"</{p}sheetData><{p}pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" "
            f"bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/></{p}worksheet>")


def write_parts(path: Path, sheet: str | bytes, *, strings: list[str] | None = None, title: str = "접수현황") -> Path:
    """A workbook of one sheet (``sheet``: its XML), an optional shared-string table and a
    stylesheet whose style 1 is a date."""
    overrides = [("/xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
                 ("/xl/worksheets/sheet1.xml", SHEET_CT),
                 ("/xl/styles.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml")]
    rels = [("worksheet", "worksheets/sheet1.xml"), ("styles", "styles.xml")]
    if strings is not None:
        overrides.append(("/xl/sharedStrings.xml", STRINGS_CT))
        rels.append(("sharedStrings", "sharedStrings.xml"))
    parts = {
        "[Content_Types].xml": f'<Types xmlns="{CT}"><Default Extension="rels" ContentType="application/vnd.'
        f'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        + "".join(f'<Override PartName="{n}" ContentType="{t}"/>' for n, t in overrides) + "</Types>",
        "_rels/.rels": f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets><sheet name="{escape(title)}" '
        'sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{PKG}">' + "".join(
            f'<Relationship Id="rId{i}" Type="{REL}/{t}" Target="{target}"/>' for i, (t, target) in enumerate(rels, 1))
        + "</Relationships>",
        "xl/styles.xml": STYLES,
        "xl/worksheets/sheet1.xml": sheet,
    }
    if strings is not None:
        parts["xl/sharedStrings.xml"] = f'<sst xmlns="{MAIN}">' + "".join(
            f'<si><t xml:space="preserve">{escape(s)}</t></si>' for s in strings) + "</sst>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in parts.items():
            zf.writestr(name, body.encode() if isinstance(body, str) else body)
    return path
