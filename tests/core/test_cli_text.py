"""What the command line says, read as a user reads it: a count of one in the singular (English;
Korean names the count once), bad input exits 2 naming the file, an unknown --actor is refused,
and a workbook of another program is refused once, naming the program and its tracks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from evaluator.cli import main
from evaluator.messages import msg, using
from evaluator.messages.build import extract, load

from .excel_fixtures import intake_rows, write_sheet

ROOT = Path(__file__).resolve().parents[2]
HOUSING = ROOT / "resources" / "programs" / "seoul-remodel-social-housing-2017.toml"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --- 1. a count of one ------------------------------------------------------------------------------
def test_one_application_is_one_application_in_english_and_one_건_in_korean(capsys, demo_path):
    db = f"sqlite:///{demo_path}"
    code, out, _ = run(capsys, "--lang", "en", "applications", "--search", "2012-A-001", "--db", db)
    assert code == 0 and out.rstrip().endswith("\n1 application"), out
    code, out, _ = run(capsys, "--lang", "en", "applications", "--track", "space", "--db", db)
    assert out.rstrip().endswith("\n24 applications")
    code, out, _ = run(capsys, "--lang", "ko", "applications", "--search", "2012-A-001", "--db", db)
    assert code == 0 and out.rstrip().endswith("\n신청 1건"), out


def test_a_program_of_one_track_and_a_sheet_of_one_row_read_in_the_singular(capsys, demo_path, tmp_path):
    code, out, _ = run(capsys, "--lang", "en", "program", "check", str(HOUSING))
    assert code == 0 and ", 1 track (remodel" in out and "1 tracks" not in out
    assert "3 rounds, 3 categories, 8 typed fields" in out
    code, out, _ = run(capsys, "--lang", "ko", "program", "check", str(HOUSING))
    assert code == 0 and "지원유형 1개" in out
    sheet = write_sheet(tmp_path / "one.xlsx", intake_rows(1, start=901))
    code, out, _ = run(capsys, "--lang", "en", "import", "applications", str(sheet), "--dry-run",
                       "--db", f"sqlite:///{demo_path}")
    assert code == 0 and "(sheet '접수현황', 1 row): would add 1," in out, out


def test_every_plural_choice_has_two_english_forms_and_korean_names_the_count_once():
    korean = load("ko")
    choices = 0
    for e in extract():
        for field, spec in re.findall(r"\{(\w+):([^{}]*\|[^{}]*)\}", e.english):
            choices += 1
            one, other = spec.split("|")
            assert one and other and one != other, f"{e.file}:{e.line}: {e.code}"
            assert re.search(r"\{" + field + r"(:[^|{}]*)?\}", e.english), f"{e.code} never says the number {field}"
            assert "|" not in korean[(e.code, e.english)][0], f"{e.code}: Korean has no plural forms"
    assert choices > 50
    m = msg("t.rows", "{count:,} {count:row|rows} {count:was|were} read", count=1)
    assert str(m) == "1 row was read"
    assert str(msg("t.rows", "{count:,} {count:row|rows} {count:was|were} read", count=1200)) == "1,200 rows were read"
    with using("ko"):
        assert str(m) == "1 row was read"  # a code not in the catalogue: its English, still in the singular
