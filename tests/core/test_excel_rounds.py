"""The scores and progress workbooks of one round (docs/excel-formats.md, Export: scores / progress).

A rolling program with two rounds of scored applications: the workbook of a round holds that round's
rows and nothing of the other's, the workbook without a round holds the whole program as before,
``_meta`` names the round, the access log names only the applications exported, and an unknown round
is one sentence with no file written. On SQLite and PostgreSQL (the round is a filter in SQL).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from evaluator.errors import NotFound
from evaluator.store import Store

from .packages_fixtures import enter_scores
from .program_fixtures import EXAMPLE_EVALUATORS, app_row, calls, intake_sheet, run

ROUND_1 = ["2013-1-01", "2013-1-02", "2013-1-03", "2013-1-04"]
ROUND_2 = ["2013-2-01", "2013-2-02", "2013-2-03", "2013-2-04"]


def _two_rounds(st: Store, tmp: Path) -> None:
    """The 2013 rolling program: four applications in round 1 (February) and four in round 2 (May),
    each assigned to EV01–EV03.  Round 1 is scored, visited and finalised by all three; in round 2
    EV01 and EV02 score all but 2013-2-04 and EV03 nothing yet (round 3 has no applications)."""
    st.programs.create_from_file(calls(tmp) / "programs" / "seoul-cbp-2013-rolling.toml")
    rows = [app_row(f"2013-{r}-{i:02d}", "activity" if i <= 2 else "space", f"2013.{month}.{10 + i:02d}")
            for r, month in (("1", "02"), ("2", "05")) for i in range(1, 5)]
    assert st.excel.import_applications(intake_sheet(tmp / "year.xlsx", rows)).value.rounds == {"1": 4, "2": 4}
    st.excel.import_evaluators(EXAMPLE_EVALUATORS)
    assert len(st.people.auto_assign(3).value.added) == 24
    for ev, limit in (("EV01", 7), ("EV02", 7), ("EV03", 4)):
        enter_scores(st, ev, via_facade=0, limit=limit)
    assert st.applications.ids(round="1") == ROUND_1 and st.applications.ids(round="2") == ROUND_2
    done = {(a.application_id, a.evaluator) for a in st.people.assignments() if a.state == "finalised"}
    assert done == {(app, ev) for app in ROUND_1 for ev in ("EV01", "EV02", "EV03")} | {
        (app, ev) for app in ROUND_2[:3] for ev in ("EV01", "EV02")}


def _rows(path: Path, sheet: int = 0) -> list[tuple]:
    wb = load_workbook(path, read_only=True)
    try:
        return [tuple(r) for r in wb.worksheets[sheet].iter_rows(min_row=2, values_only=True)]
    finally:
        wb.close()


def _by_key(path: Path, key: str) -> list[dict]:
    """The rows of the sheet whose stable key is ``key`` (an English workbook: row 1 holds the keys)."""
    wb = load_workbook(path, read_only=True)
    try:
        ws = wb[key]
        rows = list(ws.iter_rows(values_only=True))
    finally:
        wb.close()
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def _meta(path: Path) -> dict:
    wb = load_workbook(path, read_only=True)
    try:
        out = {}
        for r in wb["_meta"].iter_rows(values_only=True):
            if not r or r[0] is None:
                break
            out[r[0]] = r[1]
        return out
    finally:
        wb.close()


def test_the_scores_workbook_of_a_round_holds_that_rounds_scores_only(any_db_url, tmp_path):
    with Store(any_db_url) as st:
        _two_rounds(st, tmp_path)
        whole = st.excel.export_scores(tmp_path / "all.xlsx")
        one = st.excel.export_scores(tmp_path / "r1.xlsx", round="1")
        two = st.excel.export_scores(tmp_path / "r2.xlsx", round="2차")  # a round's Korean name works too
        log = st.privacy.access_log()
    everything = _rows(tmp_path / "all.xlsx")
    # round 1: 4 applications × 3 evaluators, round 2: 3 applications × 2 evaluators, each × its criteria
    assert {(r[0], r[2]) for r in everything} == {(a, e) for a in ROUND_1 for e in ("EV01", "EV02", "EV03")} | {
        (a, e) for a in ROUND_2[:3] for e in ("EV01", "EV02")}
    assert _rows(tmp_path / "r1.xlsx") == [r for r in everything if r[0] in ROUND_1]
    assert _rows(tmp_path / "r2.xlsx") == [r for r in everything if r[0] in ROUND_2]
    assert one.rows + two.rows == whole.rows == len(everything)
    assert _meta(tmp_path / "r1.xlsx")["round"] == "1" and _meta(tmp_path / "r2.xlsx")["round"] == "2"
    assert "round" not in _meta(tmp_path / "all.xlsx")  # the whole program, as before
    # the access log names the applications each workbook holds, and no other
    assert [(e.what, list(e.subjects)) for e in log[-3:]] == [
        ("scores workbook", ROUND_1 + ROUND_2[:3]), ("scores workbook", ROUND_1), ("scores workbook", ROUND_2[:3])]


def test_the_score_template_of_a_round_holds_that_rounds_assignments_only(sqlite_url, tmp_path):
    """Staff typing a round's paper scores get that round's rows (docs/rules.md does so for round 2)."""
    with Store(sqlite_url) as st:
        _two_rounds(st, tmp_path)
        st.excel.export_template("scores", tmp_path / "t-all.xlsx")
        st.excel.export_template("scores", tmp_path / "t-2.xlsx", round="2")
        st.excel.export_template("scores", tmp_path / "t-2-ev03.xlsx", evaluator="EV03", round="2")
        with pytest.raises(NotFound):
            st.excel.export_template("scores", tmp_path / "t-9.xlsx", round="9")
        log = st.privacy.access_log()
    everything = _rows(tmp_path / "t-all.xlsx")
    assert {r[0] for r in everything} == set(ROUND_1 + ROUND_2)
    assert _rows(tmp_path / "t-2.xlsx") == [r for r in everything if r[0] in ROUND_2]
    assert _rows(tmp_path / "t-2-ev03.xlsx") == [r for r in everything if r[0] in ROUND_2 and r[1] == "EV03"]
    assert _meta(tmp_path / "t-2.xlsx")["round"] == "2" and "round" not in _meta(tmp_path / "t-all.xlsx")
    assert not (tmp_path / "t-9.xlsx").exists()
    assert [list(e.subjects) for e in log[-2:]] == [ROUND_2, ROUND_2]


def test_the_progress_workbook_of_a_round_counts_that_rounds_work_only(any_db_url, tmp_path):
    with Store(any_db_url) as st:
        _two_rounds(st, tmp_path)
        for name, rnd in (("all", None), ("r1", "1"), ("r2", "2")):
            st.excel.export_progress(tmp_path / f"{name}.xlsx", round=rnd, lang="en")
        log = st.privacy.access_log()
    apps = {n: {r["application_id"]: r for r in _by_key(tmp_path / f"{n}.xlsx", "applications")}
            for n in ("all", "r1", "r2")}
    assert list(apps["r1"]) == ROUND_1 and list(apps["r2"]) == ROUND_2
    assert {**apps["r1"], **apps["r2"]} == apps["all"]  # each application's row as in the whole workbook
    evs = {n: {r["evaluator"]: r for r in _by_key(tmp_path / f"{n}.xlsx", "evaluators")} for n in ("all", "r1", "r2")}
    counts = ("assigned", "visited", "finalised", "remaining")
    assert {e: tuple(r[k] for k in counts) for e, r in evs["r1"].items()} == {
        "EV01": (4, 4, 4, 0), "EV02": (4, 4, 4, 0), "EV03": (4, 4, 4, 0)}
    assert {e: tuple(r[k] for k in counts) for e, r in evs["r2"].items()} == {
        "EV01": (4, 3, 3, 1), "EV02": (4, 3, 3, 1), "EV03": (4, 0, 0, 4)}
    assert {e: tuple(r[k] for k in counts) for e, r in evs["all"].items()} == {
        "EV01": (8, 7, 7, 1), "EV02": (8, 7, 7, 1), "EV03": (8, 4, 4, 4)}
    summary = {n: {r["track"]: (r["applications"], r["assigned"], r["visited"], r["finalised"])
                   for r in _by_key(tmp_path / f"{n}.xlsx", "summary")} for n in ("all", "r1", "r2")}
    assert summary["r1"] == {"activity": (2, 6, 6, 6), "space": (2, 6, 6, 6)}
    assert summary["r2"] == {"activity": (2, 6, 4, 4), "space": (2, 6, 2, 2)}
    assert summary["all"] == {"activity": (4, 12, 10, 10), "space": (4, 12, 8, 8)}
    assert [_meta(tmp_path / f"{n}.xlsx").get("round") for n in ("all", "r1", "r2")] == [None, "1", "2"]
    assert [list(e.subjects) for e in log[-3:]] == [ROUND_1 + ROUND_2, ROUND_1, ROUND_2]


def test_an_unknown_round_is_one_sentence_and_no_file(sqlite_url, tmp_path):
    with Store(sqlite_url) as st:
        _two_rounds(st, tmp_path)
        logged = len(st.privacy.access_log())
        for export in (st.excel.export_scores, st.excel.export_progress):
            out = tmp_path / "r9.xlsx"
            with pytest.raises(NotFound) as e:
                export(out, round="9")
            assert str(e.value) == "Program 'seoul-cbp-2013' has no round '9' (rounds: 1, 2, 3)."
            assert not out.exists() and list(tmp_path.glob("*.xlsx")) == [tmp_path / "year.xlsx"]
        # a round with no applications yet: the headers, no rows, and nobody to name in the log
        assert st.excel.export_scores(tmp_path / "r3.xlsx", round="3").rows == 0
        assert _rows(tmp_path / "r3.xlsx") == [] and _meta(tmp_path / "r3.xlsx")["round"] == "3"
        assert len(st.privacy.access_log()) == logged


def test_export_round_on_the_command_line(sqlite_url, tmp_path, capsys):
    db = ["--db", sqlite_url]
    with Store(sqlite_url) as st:
        _two_rounds(st, tmp_path)
    code, out, _ = run(capsys, "export", "scores", tmp_path / "s2.xlsx", "--round", "2", *db, "--json")
    # two activity applications (7 criteria) and one space application (6) scored by two evaluators
    assert code == 0 and json.loads(out)["rows"] == len(_rows(tmp_path / "s2.xlsx")) == 2 * (2 * 7 + 6)
    assert {r[0] for r in _rows(tmp_path / "s2.xlsx")} == set(ROUND_2[:3])
    code, out, _ = run(capsys, "export", "progress", tmp_path / "p1.xlsx", "--round", "1", *db, "--lang", "en")
    assert code == 0 and [r[0] for r in _rows(tmp_path / "p1.xlsx", sheet=2)] == ROUND_1
    code, _, err = run(capsys, "export", "progress", tmp_path / "p9.xlsx", "--round", "9", *db)
    assert code != 0 and "Program 'seoul-cbp-2013' has no round '9' (rounds: 1, 2, 3)." in err
    assert not (tmp_path / "p9.xlsx").exists()
