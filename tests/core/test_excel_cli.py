"""`evaluator import …` and `evaluator export …` (BRIEF §6)."""

from __future__ import annotations

import json

from evaluator.cli import main

from .excel_fixtures import LO_MESSY, LO_TEN_ERRORS, load


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_import_applications_dry_run_then_real(capsys, demo_before_visits_store):
    db = demo_before_visits_store.url
    code, out, _ = run(capsys, "import", "applications", str(LO_MESSY), "--dry-run", "--db", db)
    assert code == 0 and "would add 6" in out and "Dry run: nothing was written." in out and "2012-A-103" in out
    code, out, _ = run(capsys, "--db", db, "import", "applications", str(LO_MESSY), "--json")
    doc = json.loads(out)
    assert doc["added"][0] == "2012-A-101" and doc["dry_run"] is False and doc["unknown_columns"] == ["담당자 메모"]
    assert any("합계" in w["message"] for w in doc["warnings"])
    code, out, _ = run(capsys, "import", "applications", str(LO_MESSY), "--db", db)
    assert code == 0 and "unchanged 6" in out


def test_import_errors_exit_2_with_every_problem(capsys, demo_before_visits_store):
    db = demo_before_visits_store.url
    code, out, err = run(capsys, "import", "applications", str(LO_TEN_ERRORS), "--db", db)
    assert code == 2
    assert "has 10 problems; nothing was imported" in err
    assert "Sheet '접수현황' row 5, column 신청금액(원): 'abc' is not an amount" in err
    code, out, _ = run(capsys, "import", "applications", str(LO_TEN_ERRORS), "--db", db, "--json")
    doc = json.loads(out)
    assert code == 2 and doc["type"] == "ValidationError" and len(doc["problems"]) == 10
    code, _, err = run(capsys, "import", "applications", "/no/such.xlsx", "--db", db)
    assert code == 2 and "does not exist" in err


def test_import_with_a_column_map(capsys, demo_before_visits_store, tmp_path):
    from .excel_fixtures import write_sheet

    f = write_sheet(tmp_path / "m.xlsx", [["접수번호", "사업유형", "사업명", "요청액"],
                                          ["2012-C-001", "activity", "지도", "3,000,000원"]])
    db = demo_before_visits_store.url
    code, out, _ = run(capsys, "import", "applications", str(f), "--map", "요청액=requested_amount", "--db", db)
    assert code == 0 and "added 1" in out
    assert demo_before_visits_store.applications.get("2012-C-001").requested_amount == 3_000_000
    code, _, err = run(capsys, "import", "applications", str(f), "--map", "요청액", "--db", db)
    assert code == 2 and "HEADER=FIELD" in err


def test_exports_and_score_round_trip_from_the_command_line(capsys, demo_path, tmp_path):
    db = f"sqlite:///{demo_path}"
    t = tmp_path / "tpl.xlsx"
    code, out, _ = run(capsys, "export", "template", "scores", str(t), "--evaluator", "EV01", "--db", db)
    assert code == 0 and "template-scores" in out
    assert {r[1] for r in load(t, read_only=True)["점수"].iter_rows(min_row=2, values_only=True)} == {"EV01"}
    code, out, _ = run(capsys, "import", "scores", str(t), "--db", db)
    assert code == 0 and "saved 0 scores" in out and "unchanged" in out
    for kind in ("ranking", "scores", "progress"):
        f = tmp_path / f"{kind}.xlsx"
        code, out, _ = run(capsys, "export", kind, str(f), "--db", db, "--json")
        doc = json.loads(out)
        assert code == 0 and doc["kind"] == kind and doc["rows"] > 0 and f.exists()
    code, out, _ = run(capsys, "export", "ranking", str(tmp_path / "median.xlsx"), "--method", "median", "--db", db,
                       "--lang", "en")
    assert code == 0 and load(tmp_path / "median.xlsx").sheetnames == ["summary", "activity", "space", "_meta"]
    kv = {r[0]: r[1] for r in load(tmp_path / "median.xlsx")["_meta"].iter_rows(min_row=2, max_col=2, values_only=True)}
    assert kv["method"] == "median"
    code, out, _ = run(capsys, "export", "template", "intake", str(tmp_path / "in.xlsx"), "--db", db)
    assert code == 0
    code, _, err = run(capsys, "export", "template", str(tmp_path / "x.xlsx"), "--db", db)
    assert code == 2 and "template scores|intake FILE" in err
    code, _, err = run(capsys, "export", "scores", str(tmp_path / "a.xlsx"), str(tmp_path / "b.xlsx"), "--db", db)
    assert code == 2


def test_the_terminal_bar_shows_only_for_large_jobs(monkeypatch):
    from evaluator.cli import excel as cli_excel

    clock = [100.0]
    monkeypatch.setattr(cli_excel.time, "monotonic", lambda: clock[0])
    drawn: list[float] = []
    small = cli_excel.LargeJobBar(lambda f, m="": drawn.append(f))
    small(0.5, "x")
    small(1.0, "Done")
    assert drawn == []  # finished within half a second: no bar at all
    large = cli_excel.LargeJobBar(lambda f, m="": drawn.append(f))
    large(0.1, "x")
    clock[0] += 2
    large(0.4, "x")
    large(1.0, "Done")
    assert drawn == [0.4, 1.0]
