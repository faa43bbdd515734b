"""Helpers and fixtures for the Excel tests: committed LibreOffice fixtures, sheet builders, and a
snapshot of everything an import could change (to prove "nothing was written")."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "xlsx"
LO_MESSY = FIXTURES / "lo_messy_intake.xlsx"
LO_TEN_ERRORS = FIXTURES / "lo_ten_errors.xlsx"
LO_ASSIGNMENTS = FIXTURES / "lo_assignments.xlsx"
ENCRYPTED = FIXTURES / "encrypted.xlsx"

INTAKE_HEADER = ["접수번호", "사업유형", "분야", "사업명", "단체명", "자치구", "참여인원", "신청금액", "자부담", "접수일"]

#: hostile applicant text: formula triggers (ASCII and full-width), markup, entities
HOSTILE = [
    '=HYPERLINK("http://example.invalid","클릭")', "+82 모임", "-1+2", "@SUM(A1)", "\t탭으로 시작", "\r캐리지",
    "\n줄바꿈", "＝전각 등호", "＋전각 더하기", "－전각 빼기", "＠전각 골뱅이", "'작은따옴표", "O<Brien & <b>굵게</b>",
    "&amp; &lt;entity&gt;",
]


def write_sheet(path: Path, rows: list[list[Any]], title: str = "접수현황", extra: dict[str, list[list[Any]]] | None = None) -> Path:
    """A workbook written by openpyxl (normal mode) with ``rows`` on sheet ``title``."""
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for r in rows:
        ws.append(r)
    for name, more in (extra or {}).items():
        w2 = wb.create_sheet(name)
        for r in more:
            w2.append(r)
    wb.save(path)
    return path


def intake_rows(n: int, start: int = 1, prefix: str = "2012-T-", **override: Any) -> list[list[Any]]:
    rows = [["2012년 접수현황 (가상)"], [], INTAKE_HEADER]
    for i in range(start, start + n):
        r = [f"{prefix}{i:04d}", "activity" if i % 2 else "space", "기타", f"시험 사업 {i}", f"모임 {i}", "종로구",
             5 + i % 10, f"{(i % 9 + 1) * 1_000_000:,}원", 0, "2012.04.12"]
        rows.append(r)
    return rows


def state(store) -> dict[str, Any]:
    """Everything an import may change, read straight from the tables (cheap enough to call often)."""
    from sqlalchemy import select

    from evaluator.db.models import (
        Application, Assignment, AuditEvent, Evaluation, Evaluator, Score, SiteVisit,
    )

    out: dict[str, Any] = {}
    with store.uow.read() as s:
        for model in (Application, Evaluator, Assignment, Evaluation, Score, SiteVisit, AuditEvent):
            cols = [c for c in model.__table__.columns]
            out[model.__tablename__] = sorted(
                (tuple(repr(v) for v in row) for row in s.execute(select(*cols))), key=lambda r: r[0])
    return out


def sheet_xml(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")}


def load(path: Path, **kw):
    return load_workbook(path, **kw)


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture
def before_visits(demo_before_visits_store):
    """The demo program before the field study (48 applications, assignments, no scores)."""
    return demo_before_visits_store
