"""Every cell of a workbook as plain JSON values, for comparing whole exports cell by cell.

The cells that say *when* a workbook was made (``_meta``'s ``generated_at`` and ``computed_at``, a
ranking summary's ``computed_at`` column) are masked: two exports of the same database differ
only there.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

NOW = "<now>"
_NOW_KEYS = {"generated_at", "computed_at"}


def _plain(v: Any) -> Any:
    return v.isoformat() if isinstance(v, (datetime, date)) else v


def cells(path: Path) -> dict[str, list[list[Any]]]:
    """{sheet title: rows of plain values}, the moment of writing masked as ``<now>``."""
    wb = load_workbook(path)
    out: dict[str, list[list[Any]]] = {}
    for ws in wb.worksheets:
        rows = [[_plain(c) for c in row] for row in ws.iter_rows(values_only=True)]
        if ws.title == "_meta":
            for row in rows:
                if row and row[0] in _NOW_KEYS and len(row) > 1:
                    row[1] = NOW
        elif rows and "computed_at" in rows[0]:
            j = rows[0].index("computed_at")
            for row in rows[1:]:
                if j < len(row) and row[j] is not None:
                    row[j] = NOW
        out[ws.title] = rows
    wb.close()
    return out
