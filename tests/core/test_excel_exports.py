"""Exports staff import elsewhere: stable keys, typed cells, a self-describing _meta sheet, and no
applicant text that any spreadsheet could run as a formula.  These are the English layout
(``lang="en"``, schema 1's keys in row 1); the Korean workbooks are tested in test_excel_lang.py."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl.utils import get_column_letter

from evaluator.excel import columns as C
from evaluator.excel.exports import write_ranking
from evaluator.excel.writer import recover
from evaluator.ranking.model import RankedApplication, RankingResult, TrackRanking

from .excel_fixtures import HOSTILE, LO_MESSY, load, sheet_xml, soffice

DOCS = Path(__file__).resolve().parents[2] / "docs" / "excel-formats.md"
HOSTILE_REASON = "=1+1 위원회 재검토 결정"


@pytest.fixture(scope="module")
def exported(demo_template, tmp_path_factory):
    """The finalised demo plus the LibreOffice intake (hostile titles), a reopened evaluation with
    hostile comments and a committee override — exported once for the whole module."""
    from evaluator.store import Store

    d = tmp_path_factory.mktemp("exports")
    db = d / "demo.sqlite3"
    shutil.copyfile(demo_template, db)
    st = Store(f"sqlite:///{db}")
    st.excel.import_applications(LO_MESSY)
    asg = next(a for a in st.people.assignments(application_id="2012-A-001") if a.conflict_type is None)
    st.scoring.reopen("2012-A-001", asg.evaluator, "hostile comment test")
    rd = st.programs.rubric("activity")
    for c, text in zip(rd.criteria, HOSTILE):
        st.scoring.save_score("2012-A-001", asg.evaluator, c.code, level="u", comment=text)
    st.ranking.override("2012-A-002", "not_selected", HOSTILE_REASON)
    files = {
        "ranking": d / "ranking.xlsx", "scores": d / "scores.xlsx", "progress": d / "progress.xlsx",
        "template": d / "template.xlsx",
    }
    reports = {
        "ranking": st.excel.export_ranking(files["ranking"], lang="en"),
        "scores": st.excel.export_scores(files["scores"], lang="en"),
        "progress": st.excel.export_progress(files["progress"], lang="en"),
        "template": st.excel.export_template("scores", files["template"], lang="en"),
    }
    yield st, files, reports, asg.evaluator
    st.close()


LAYOUT = {
    "ranking": {"summary": C.RANKING_SUMMARY, "activity": C.RANKING_TRACK, "space": C.RANKING_TRACK},
    "scores": {"scores": C.SCORES},
    "progress": {"summary": C.PROGRESS_SUMMARY, "evaluators": C.PROGRESS_EVALUATORS,
                 "applications": C.PROGRESS_APPLICATIONS},
    "template": {"scores": C.SCORE_TEMPLATE},
}


@pytest.mark.parametrize("kind", list(LAYOUT))
def test_every_data_sheet_has_a_header_of_keys_frozen_filtered_and_no_merged_cells(exported, kind):
    _, files, reports, _ = exported
    wb = load(files[kind])
    assert wb.sheetnames == [*LAYOUT[kind], "_meta"]
    for name, cols in LAYOUT[kind].items():
        ws = wb[name]
        assert [c.value for c in ws[1]] == [c.key for c in cols]
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref == f"A1:{get_column_letter(len(cols))}{ws.max_row}"
        assert not ws.merged_cells.ranges
        assert all(ws.column_dimensions[get_column_letter(i + 1)].width == c.width for i, c in enumerate(cols))
        assert ws.max_row - 1 == reports[kind].sheets[name]
    meta = wb["_meta"]
    assert meta.sheet_state == "hidden"
    kv = {r[0]: r[1] for r in meta.iter_rows(min_row=2, max_col=2, values_only=True) if r[0]}
    assert kv["format"] == "maeul-evaluator" and kv["schema_version"] == C.SCHEMA_VERSION
    assert kv["program"] == "seoul-cbp-2012-1" and kv["text_escape"] == "leading-apostrophe"
    assert kv["kind"] == reports[kind].kind
    documented = {(r[0], r[2]) for r in meta.iter_rows(values_only=True) if r[0] in LAYOUT[kind]}
    assert documented == {(s, c.key) for s, cols in LAYOUT[kind].items() for c in cols}
    assert f"schema={C.SCHEMA_VERSION}" in wb.properties.keywords


def test_numbers_are_numbers_with_krw_and_score_formats_and_dates_are_iso(exported):
    st, files, _, _ = exported
    ws = load(files["ranking"])["activity"]
    keys = [c.value for c in ws[1]]
    row = {k: c for k, c in zip(keys, ws[2])}
    assert isinstance(row["requested_amount"].value, int) and row["requested_amount"].number_format == '#,##0"원"'
    assert isinstance(row["score"].value, float) and row["score"].number_format == "0.00"
    assert row["rank"].value == 1 and row["eligible"].value is True
    assert isinstance(row["submitted_on"].value, datetime) and row["submitted_on"].number_format == "yyyy-mm-dd"
    sc = load(files["scores"])["scores"]
    keys = [c.value for c in sc[1]]
    final = next({k: c for k, c in zip(keys, r)} for r in sc.iter_rows(min_row=2) if r[keys.index("state")].value == "finalised")
    assert isinstance(final["value"].value, (int, float)) and isinstance(final["finalised_at"].value, datetime)
    assert final["finalised_at"].number_format == "yyyy-mm-dd hh:mm:ss" and final["version"].value >= 1
    pr = load(files["progress"])["evaluators"]
    keys = [c.value for c in pr[1]]
    ev = {k: c for k, c in zip(keys, pr[2])}
    assert ev["finalised_share"].number_format == "0.0%" and 0 <= ev["finalised_share"].value <= 1


def test_ranking_export_matches_store_rank(exported):
    st, files, reports, _ = exported
    result = st.ranking.rank()
    wb = load(files["ranking"], read_only=True)
    for t in result.tracks:
        rows = list(wb[t.track].iter_rows(min_row=2, values_only=True))
        assert [(r[0], r[1], r[11]) for r in rows] == [(a.rank, a.application_id, a.decision) for a in t.rows]
    assert reports["ranking"].sheets == {"summary": 2, "activity": 28, "space": 26}


def test_no_cell_of_any_export_is_a_formula_and_hostile_text_is_recoverable(exported):
    st, files, _, evaluator = exported
    for f in files.values():
        for name, xml in sheet_xml(f).items():
            assert b"<f>" not in xml and b"<f " not in xml, (f.name, name)
        wb = load(f)  # formulas would come back as data_type "f"
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    assert c.data_type != "f", (f.name, ws.title, c.coordinate)
                    if isinstance(c.value, str) and c.value:
                        assert c.value[0] not in "=+-@\t\r\n＝＋－＠", (f.name, ws.title, c.coordinate, c.value)
    # the original text comes back by dropping one leading apostrophe
    sc = load(files["scores"])["scores"]
    keys = [c.value for c in sc[1]]
    comments = [dict(zip(keys, r))["comment"] for r in sc.iter_rows(min_row=2, values_only=True)
                if r[0] == "2012-A-001" and r[2] == evaluator]
    assert [recover(x) for x in comments] == [h.replace("\r", "\n") for h in HOSTILE[: len(comments)]]
    assert comments[0] == "'" + HOSTILE[0]
    ranking = load(files["ranking"])["activity"]
    keys = [c.value for c in ranking[1]]
    by_id = {r[1]: dict(zip(keys, r)) for r in ranking.iter_rows(min_row=2, values_only=True)}
    assert recover(by_id["2012-A-103"]["title"]) == st.applications.get("2012-A-103").title
    assert by_id["2012-A-103"]["title"].startswith("'=HYPERLINK")
    assert recover(by_id["2012-A-104"]["group_name"]) == "－ 전각 빼기 모임"
    assert recover(by_id["2012-A-002"]["override_reason"]) == HOSTILE_REASON
    assert by_id["2012-A-002"]["decision"] == "not_selected"


def test_progress_counts(exported):
    st, files, _, evaluator = exported
    wb = load(files["progress"], read_only=True)
    evs = {r[0]: r for r in wb["evaluators"].iter_rows(min_row=2, values_only=True)}
    info = {e.code: e for e in st.people.evaluators()}
    for code, r in evs.items():
        assert r[3] == info[code].assigned and r[6] == info[code].finalised
    assert evs[evaluator][5] == 1  # the reopened evaluation is in progress
    apps = {r[0]: r for r in wb["applications"].iter_rows(min_row=2, values_only=True)}
    assert apps["2012-A-101"][4:] == (0, 0, 0, 0, 0, 0, False)  # imported, not yet assigned
    assert apps["2012-A-007"][8] == 1  # the demo's declared conflict
    summary = {r[0]: r for r in wb["summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["activity"][2] == 28 and summary["space"][2] == 26


def test_ranking_written_from_a_hand_built_result(tmp_path):
    now = datetime(2012, 5, 1, 9, 0)
    rows = (
        RankedApplication("X-1", "odd/track:*", "=SUM(A1)", "@그룹", "종로구", "cafe", 1_000_000, "2012-04-01", 1,
                          81.256, 80.0, 82.5, "median", 3, 12.5, 6.25, ("disagreement", "tie"), True, (), "selected",
                          "selected", "-순위 1", None, "", 0.95, False, 0.8),
        RankedApplication("X-2", "odd/track:*", "미달", "그룹", "중구", "other", None, None, None, None, None, None,
                          "median", 0, None, None, ("no_evaluations",), False, ("min_members",), "ineligible",
                          "selected", "+요건 미충족", "selected", "\t위원회 판단", None, False, None),
    )
    t = TrackRanking("odd/track:*", "이상한 트랙", "Odd", 1, 3, 5_000_000, 60.0, "median", rows, (), None, "", 1, 0,
                     1, 1_000_000, ("note",))
    result = RankingResult("p", "median", True, now, (t,))
    rep = write_ranking(tmp_path / "r", result, program="p", lang="en")
    assert rep.path.endswith("r.xlsx") and rep.sheets == {"summary": 1, "odd_track__": 2}
    wb = load(Path(rep.path))
    ws = wb["odd_track__"]
    keys = [c.value for c in ws[1]]
    r1, r2 = (dict(zip(keys, r)) for r in ws.iter_rows(min_row=2, values_only=True))
    assert r1["title"] == "'=SUM(A1)" and r1["group_name"] == "'@그룹" and r1["flags"] == "disagreement, tie"
    assert r1["reason"] == "'-순위 1" and r1["submitted_on"] == datetime(2012, 4, 1)
    assert r2["rank"] is None and r2["score"] is None and r2["failed_gates"] == "min_members"
    assert r2["override"] == "selected" and recover(r2["override_reason"]) == "\t위원회 판단"
    s = dict(zip([c.value for c in wb["summary"][1]], next(wb["summary"].iter_rows(min_row=2, values_only=True))))
    assert s["provisional"] is True and s["budget"] == 5_000_000 and s["reliability"] is None


def test_export_to_a_missing_folder_or_wrong_extension_is_a_clear_error(exported, tmp_path):
    from evaluator.excel.writer import ExportError

    st = exported[0]
    with pytest.raises(ExportError, match="does not exist"):
        st.excel.export_scores(tmp_path / "no" / "such" / "scores.xlsx")
    with pytest.raises(ExportError, match=".xlsx"):
        st.excel.export_scores(tmp_path / "scores.csv")
    assert not list(tmp_path.glob("*.part"))


def test_cancelled_export_leaves_no_file(exported, tmp_path):
    from evaluator.errors import Cancelled
    from evaluator.jobs import CancelToken

    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        exported[0].excel.export_progress(tmp_path / "p.xlsx", cancel=token)
    assert not list(tmp_path.glob("*.xlsx*")) and not list(tmp_path.glob(".*.part"))


def test_every_column_key_is_documented():
    text = DOCS.read_text(encoding="utf-8")
    for kind, sheets in C.LAYOUTS.items():
        for sheet, cols in sheets.items():
            for c in cols:
                assert f"`{c.key}`" in text, (kind, sheet, c.key)
    assert f"schema version {C.SCHEMA_VERSION}" in text


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed; the export-in-LibreOffice check needs it")
def test_exports_open_in_libreoffice_and_reimport(exported, tmp_path, demo_before_visits_template):
    """LibreOffice opens the scores export and saves it again; that file re-imports with the same scores."""
    _, files, _, evaluator = exported
    profile = tmp_path / "profile"
    out = tmp_path / "lo"
    out.mkdir()
    src = tmp_path / "scores-from-us.xlsx"
    shutil.copyfile(files["scores"], src)
    r = subprocess.run([soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
                        "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(src)],
                       capture_output=True, timeout=240)
    assert r.returncode == 0, r.stderr
    resaved = out / src.name
    wb = load(resaved)
    assert [c.value for c in wb["scores"][1]] == [c.key for c in C.SCORES]
    for name, xml in sheet_xml(resaved).items():
        # LibreOffice writes boolean cells as TRUE()/FALSE() formulas; nothing else became a formula
        formulas = set(re.findall(rb"<f[^>]*>([^<]*)</f>", xml))
        assert formulas <= {b"TRUE()", b"FALSE()"}, (name, formulas)
    from evaluator.store import Store

    shutil.copyfile(demo_before_visits_template, tmp_path / "fresh.sqlite3")
    with Store(f"sqlite:///{tmp_path / 'fresh.sqlite3'}") as st:
        rep = st.excel.import_scores(resaved, finalise=True).value
        assert rep.finalised and len(rep.saved) > 900
        got = st.scoring.evaluation("2012-A-001", evaluator)
    assert [s.comment for s in got.scores] == [h.replace("\r", "\n") for h in HOSTILE[: len(got.scores)]]


def test_rows_written_as_xml_text_read_back_like_openpyxls_own_cells(tmp_path):
    """SheetWriter writes data rows as XML text; the same rows through openpyxl's cell writer give the
    same values, types and number formats."""
    from datetime import date as d_, datetime as dt_
    from decimal import Decimal

    from openpyxl import load_workbook

    from evaluator.excel.columns import _c
    from evaluator.excel.writer import WorkbookWriter

    cols = (_c("t", "t", "t", "text"), _c("i", "i", "i", "int"), _c("k", "k", "k", "krw"),
            _c("s", "s", "s", "score"), _c("b", "b", "b", "bool"), _c("d", "d", "d", "date"),
            _c("dt", "dt", "dt", "datetime"), _c("p", "p", "p", "points"), _c("x", "x", "x", "float"))
    rows = [
        ["=1+1", 7, 5_000_000, 87.456, True, d_(2012, 4, 12), dt_(2012, 4, 12, 9, 30, 5), 16.5, Decimal("0.25")],
        ["  spaced  ", 0, 0, 0.0, False, None, None, -3, float("nan")],
        ["<b>O'Brien & co</b>\n둘째 줄", -1, 10**12, 1e-9, None, d_(1999, 12, 31), dt_(2100, 1, 1), 0.1 + 0.2, 2**40],
        ["_x0041_ ＝전각", None, "=SUM(A1)", "+82", "@x", "text in a date column", None, None, None],
    ]

    def write(path, raw: bool):
        book = WorkbookWriter(path, kind="scores")
        sh = book.sheet("data", cols)
        if not raw:
            sh._raw = None
        assert (sh._raw is not None) == raw
        for r in rows:
            sh.row(r)
        book.save()
        wb = load_workbook(path)
        ws = wb["data"]
        return [[(c.value, c.data_type, c.number_format) for c in row] for row in ws.iter_rows()]

    fast, slow = write(tmp_path / "fast.xlsx", True), write(tmp_path / "slow.xlsx", False)
    assert fast == slow
    assert all(dt != "f" for row in fast for _v, dt, _f in row)  # no formulas, whatever the column
    assert fast[1][0][0] == "'=1+1" and fast[2][0][0] == "  spaced  " and fast[1][2][2] == '#,##0"원"'



def test_repeated_and_many_distinct_values_read_back_like_openpyxls_own_cells(tmp_path):
    """The XML rows remember each column's recent texts and its last date: values repeated row after
    row (hostile ones too), more distinct texts than are remembered, a long text, and dates that equal
    one another across types all read back as openpyxl's own cell writer writes them."""
    from datetime import date as d_, datetime as dt_

    from openpyxl import load_workbook

    from evaluator.excel import writer as W
    from evaluator.excel.columns import _c
    from evaluator.excel.writer import WorkbookWriter

    cols = (_c("id", "id", "id", "id"), _c("t", "t", "t", "text"), _c("ph", "ph", "ph", "phone"),
            _c("dt", "dt", "dt", "datetime"), _c("d", "d", "d", "date"), _c("n", "n", "n", "int"))
    texts = ["=1+1", "  spaced  ", "<b>O'Brien & co</b>", "_x0041_", "", "'quoted", "평가", "x" * 300, "-3", "+82 2-000-0000"]
    rows = []
    for i in range(W._MEMO_SIZE + 300):  # more distinct IDs than a column remembers
        when = dt_(2024, 5, 1, 9, 0, 0) if i % 3 else dt_(2024, 5, 1, 17, 30, 0)
        n = 1 + (i // 4) % 28
        day = d_(2024, 5, n) if i % 4 else dt_(2024, 5, n, 0, 0)  # a datetime, then dates equal to it
        rows.append([f"A-{i // 2:05d}", texts[i % len(texts)], "+82 2-000-0000" if i % 2 else "=HYPERLINK(1)",
                     when, day, i])

    def write(path, raw: bool):
        book = WorkbookWriter(path, kind="scores")
        sh = book.sheet("data", cols)
        if not raw:
            sh._raw = None
        for r in rows:
            sh.row(r)
        book.save()
        ws = load_workbook(path)["data"]
        return [[(c.value, c.data_type, c.number_format) for c in row] for row in ws.iter_rows()]

    fast, slow = write(tmp_path / "fast.xlsx", True), write(tmp_path / "slow.xlsx", False)
    assert len(fast) == len(rows) + 1
    assert fast == slow
    assert fast[10][1][0] == "'+82 2-000-0000" and fast[12][2][0] == "+82 2-000-0000"
    assert fast[1][1][0] == "'=1+1" and fast[2][1][0] == "  spaced  " and fast[1][2][0] == "'=HYPERLINK(1)"

@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed; the export-in-LibreOffice check needs it")
def test_every_export_opens_in_libreoffice_keeps_its_layout_and_values(exported, tmp_path):
    """Ranking, progress, the score template and the intake template, resaved by LibreOffice: the same
    sheets, header keys and values (no formulas); the resaved score template still imports."""
    st, files, _, _ = exported
    files = dict(files, intake=tmp_path / "intake-template.xlsx")
    st.excel.export_template("intake", files["intake"])
    layout = dict(LAYOUT, intake={"접수현황": C.INTAKE})
    src = {}
    for kind in ("ranking", "progress", "template", "intake"):
        src[kind] = tmp_path / f"ours-{kind}.xlsx"
        shutil.copyfile(files[kind], src[kind])
    out = tmp_path / "lo"
    out.mkdir()
    r = subprocess.run([soffice(), f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                        "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), *map(str, src.values())],
                       capture_output=True, timeout=240)
    assert r.returncode == 0, r.stderr
    from openpyxl import load_workbook

    def cells(ws):
        rows = []
        for row in ws.iter_rows(values_only=True):
            if any(v is not None for v in row):  # LibreOffice keeps 15 significant digits
                rows.append([v.replace(microsecond=0) if isinstance(v, datetime)
                             else float(f"{v:.12g}") if isinstance(v, float) else v for v in row])
        return rows

    for kind, path in src.items():
        resaved = out / path.name
        ours, theirs = load_workbook(path, data_only=True), load_workbook(resaved, data_only=True)
        for sheet, cols in layout[kind].items():
            got = [c.value for c in theirs[sheet][1]]
            if kind == "intake":
                assert got == [c.label("ko") for c in cols], (kind, sheet)
            else:
                assert got == [c.key for c in cols], (kind, sheet)
            a, b = cells(theirs[sheet]), cells(ours[sheet])
            diff = [(i, j, x, y) for i, (ra, rb) in enumerate(zip(a, b)) for j, (x, y) in enumerate(zip(ra, rb))
                    if x != y]
            assert len(a) == len(b) and not diff, (kind, sheet, diff[:5])
        for name, xml in sheet_xml(resaved).items():
            formulas = set(re.findall(rb"<f[^>]*>([^<]*)</f>", xml))
            assert formulas <= {b"TRUE()", b"FALSE()"}, (kind, name, formulas)
    rep = st.excel.import_scores(out / src["template"].name, dry_run=True).value
    # the unchanged template: every score as it is, but for the documented CR → LF in comments
    assert rep.rows > 900 and rep.unchanged + len(rep.saved) == rep.rows
    assert all(c.old["comment"].replace("\r", "\n") == c.new["comment"] for c in rep.saved), rep.saved
