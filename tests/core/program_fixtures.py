"""Helpers for the program tests: program files beside copies of the shipped rubrics, intake
sheets with Korean headers, the command line."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from evaluator.cli import main
from evaluator.paths import resource

ROLLING = resource("programs", "seoul-cbp-2013-rolling.toml")
DEMO_PROGRAM = resource("programs", "seoul-cbp-2012.toml")
EXAMPLE_INTAKE = resource("programs", "examples", "intake-2013-04.xlsx")
EXAMPLE_EVALUATORS = resource("programs", "examples", "evaluators-2013.xlsx")

HEADER = ["접수번호", "사업유형", "분야", "사업명", "단체명", "대표자", "연락처", "이메일", "자치구", "참여인원", "신청금액",
          "자부담", "접수일", "설립연도", "단체유형", "이전 지원 여부"]


def calls(tmp: Path) -> Path:
    """A folder like ``evaluator program examples`` writes: programs/ and rubrics/ side by side."""
    out = tmp / "calls"
    (out / "programs").mkdir(parents=True, exist_ok=True)
    (out / "rubrics").mkdir(exist_ok=True)
    for f in resource("rubrics").glob("*.toml"):
        shutil.copyfile(f, out / "rubrics" / f.name)
    for f in resource("programs").glob("*.toml"):
        shutil.copyfile(f, out / "programs" / f.name)
    return out


def program_file(tmp: Path, name: str, text: str) -> Path:
    path = calls(tmp) / "programs" / name
    path.write_text(text, encoding="utf-8")
    return path


def rolling_text(**replace: str) -> str:
    text = ROLLING.read_text(encoding="utf-8")
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    return text


def app_row(ext: str, track: str, submitted: Any, *, group: str = "", district: str = "종로구",
            amount: Any = "5,000,000원", founded: Any = 2011, group_type: Any = "주민모임",
            funded: Any = "아니오", category: str = "기타", members: Any = 8, title: str = "") -> list[Any]:
    return [ext, track, category, title or f"{ext} 사업", group or f"{ext} 모임", "홍길동", "010-0000-0000",
            f"{ext.lower()}@example.org", district, members, amount, 0, submitted, founded, group_type, funded]


def intake_sheet(path: Path, rows: list[list[Any]], header: list[str] | None = None,
                 title: str = "2013년 접수현황 (가상)") -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "접수현황"
    ws.append([title])
    ws.append([])
    ws.append(header or HEADER)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def evaluators_sheet(path: Path, rows: list[list[Any]]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "평가위원"
    ws.append(["평가위원번호", "성명", "소속", "구분", "자치구", "이메일", "연락처"])
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def dump(path: Path) -> list[str]:
    """Every row of every table (the database as a whole, to prove nothing was written)."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return [f"{t}: {row!r}" for t in tables for row in con.execute(f'SELECT * FROM "{t}" ORDER BY rowid')]
    finally:
        con.close()
