"""The paper fallback round trip: score template out, typed scores back in, through the scoring
service (validation, versions, audit); and the scores export re-imported into a fresh database."""

from __future__ import annotations

import shutil

import pytest

from evaluator.errors import ValidationError
from evaluator.excel import columns as C

from .excel_fixtures import before_visits, load, state  # noqa: F401

#: the templates and exports are Korean by default: each Korean header → its key
_KEY_OF = {c.ko: c.key for c in C.SCORE_TEMPLATE + C.SCORES}


def _sheet(wb):
    """The score sheet: ``점수`` (Korean, the default) or ``scores`` (English)."""
    return wb["점수"] if "점수" in wb.sheetnames else wb["scores"]


def _keys(ws):
    return [_KEY_OF.get(c.value, c.value) for c in ws[1]]


def _rows(ws):
    keys = _keys(ws)
    return keys, [dict(zip(keys, r)) for r in ws.iter_rows(min_row=2, values_only=True)]


def _fill(path, fill):
    """Open a template, let ``fill(row_dict) -> {key: value}`` type into it, save."""
    wb = load(path)
    ws = _sheet(wb)
    keys = _keys(ws)
    for cells in ws.iter_rows(min_row=2):
        row = {k: c.value for k, c in zip(keys, cells)}
        for k, v in (fill(row) or {}).items():
            cells[keys.index(k)].value = v
    wb.save(path)


def test_template_has_one_row_per_application_and_criterion_with_validation(before_visits, tmp_path):
    st = before_visits
    f = tmp_path / "ev01.xlsx"
    rep = st.excel.export_template("scores", f, evaluator="EV01")
    mine = [a for a in st.people.assignments(evaluator="EV01") if a.conflict_type is None]
    n_crit = {t: len(st.programs.rubric(t).criteria) for t in ("activity", "space")}
    expected = sum(n_crit["activity" if a.application_id.startswith("2012-A") else "space"] for a in mine)
    assert rep.sheets == {"점수": expected}
    ws = _sheet(load(f))
    keys, rows = _rows(ws)
    assert {r["evaluator"] for r in rows} == {"EV01"} and all(r["version"] == 0 for r in rows)
    points_rows = [i + 2 for i, r in enumerate(rows) if r["allowed"] != "수/우/미/양/가"]
    assert points_rows and all(rows[i - 2]["allowed"] == "0–15" for i in points_rows)
    dvs = ws.data_validations.dataValidation
    lists = [d for d in dvs if d.type == "list"]
    assert lists and lists[0].formula1 == '"수,우,미,양,가"'
    assert all(str(r).startswith("I") for d in lists for r in d.sqref.ranges)
    dec = [d for d in dvs if d.type == "decimal"]
    assert dec and dec[0].formula2 == "15" and {c for d in dec for r in d.sqref.ranges for c in (r.min_row,)} <= set(points_rows)


def test_filled_template_round_trips_through_the_scoring_service(before_visits, tmp_path):
    st = before_visits
    f = tmp_path / "ev02.xlsx"
    st.excel.export_template("scores", f, evaluator="EV02")
    labels = ["수", "우", "미", "양", "가"]

    def fill(r):
        if r["allowed"].startswith("0–"):
            return {"value": 12, "comment": "-현장 확인"}
        return {"level": labels[len(r["criterion"]) % 5]}

    _fill(f, fill)
    audit_before = st.info().audit_events
    dry = st.excel.import_scores(f, dry_run=True).value
    assert dry.dry_run and st.info().audit_events == audit_before
    rep = st.excel.import_scores(f).value
    assert len(rep.saved) == len(dry.saved) == _sheet(load(f)).max_row - 1 and rep.unchanged == 0
    a = next(x for x in st.people.assignments(evaluator="EV02") if x.application_id.startswith("2012-S"))
    ev = st.scoring.evaluation(a.application_id, "EV02")
    pts = {s.criterion: s for s in ev.scores}
    assert pts["budget"].points == 12 and pts["budget"].comment == "-현장 확인" and pts["budget"].version == 1
    assert ev.total is not None and ev.state == "draft"
    assert st.info().audit_events > audit_before + len(rep.saved)  # one entry per score, plus the import
    # re-importing the same sheet changes nothing
    again = st.excel.import_scores(f).value
    assert again.saved == () and again.unchanged == len(rep.saved)
    # a fresh template carries the saved values and versions; importing it changes nothing either
    g = tmp_path / "ev02-again.xlsx"
    st.excel.export_template("scores", g, evaluator="EV02")
    _, rows = _rows(_sheet(load(g)))
    assert all(r["version"] == 1 for r in rows) and any(r["comment"] == "'-현장 확인" for r in rows)
    assert st.excel.import_scores(g).value.saved == ()
    # --finalise locks them; a changed value is then refused, an unchanged one is fine
    fin = st.excel.import_scores(g, finalise=True).value
    assert len(fin.finalised) == len({(r["application_id"]) for r in rows})
    _fill(g, lambda r: {"level": "가"} if r["criterion"] == "initiative" else None)
    before = state(st)
    with pytest.raises(ValidationError) as ei:
        st.excel.import_scores(g)
    assert all("is finalised; reopen it" in p.message for p in ei.value.problems)
    assert ei.value.problems[0].where.startswith("Sheet '점수' row ")
    assert state(st) == before


def test_stale_sheet_is_an_edit_conflict_and_saves_nothing(before_visits, tmp_path):
    st = before_visits
    f = tmp_path / "ev03.xlsx"
    st.excel.export_template("scores", f, evaluator="EV03")
    first = next(a for a in st.people.assignments(evaluator="EV03") if a.conflict_type is None and a.application_id.startswith("2012-A"))
    st.scoring.save_score(first.application_id, "EV03", "initiative", level="u")  # someone scores after the sheet was made
    _fill(f, lambda r: {"level": "수"} if not r["allowed"].startswith("0–") else {"value": 3})
    before = state(st)
    with pytest.raises(ValidationError) as ei:
        st.excel.import_scores(f)
    msgs = [str(p) for p in ei.value.problems]
    assert len(msgs) == 1 and "edit conflict" in msgs[0] and "'initiative'" in msgs[0]
    assert state(st) == before


def test_bad_values_are_all_reported_with_locations(before_visits, tmp_path):
    st = before_visits
    f = tmp_path / "ev04.xlsx"
    st.excel.export_template("scores", f, evaluator="EV04")
    wb = load(f)
    ws = _sheet(wb)
    col = {k: i + 1 for i, k in enumerate(_keys(ws))}
    ws.cell(2, col["level"], "최고")  # not a level
    ws.cell(3, col["level"], None)
    ws.cell(3, col["value"], 7)  # a level criterion: 7 points matches no level
    ws.cell(4, col["criterion"], "no_such")  # unknown criterion
    ws.cell(5, col["evaluator"], "EV09")  # unknown evaluator
    ws.cell(6, col["application_id"], "2012-X-999")  # unknown application
    ws.cell(7, col["value"], "열")  # not a number
    ws.cell(8, col["application_id"], ws.cell(9, col["application_id"]).value)
    ws.cell(8, col["criterion"], ws.cell(9, col["criterion"]).value)  # duplicate of row 9
    ws.cell(10, col["evaluator"], "EV02")  # EV02 is not assigned to (most of) EV04's applications
    pts_row = next(i for i in range(2, ws.max_row + 1) if str(ws.cell(i, col["allowed"]).value).startswith("0–"))
    ws.cell(pts_row, col["value"], 99)  # out of range
    wb.save(f)
    before = state(st)
    with pytest.raises(ValidationError) as ei:
        st.excel.import_scores(f)
    text = "\n".join(str(p) for p in ei.value.problems)
    for needle in ("row 2: '최고' is not a level", "row 3: criterion", "is scored by level; 7 is none",
                   "row 4: rubric", "no criterion 'no_such'", "row 5: there is no evaluator 'EV09'",
                   "row 6: there is no application '2012-X-999'", "row 7, column 점수: '열' is not a number",
                   "appears twice", f"row {pts_row}: 99.0 is outside 0–15"):
        assert needle in text, (needle, text)
    assert state(st) == before


def _store_copy(template, folder):
    from evaluator.store import Store

    folder.mkdir()
    shutil.copyfile(template, folder / "db.sqlite3")
    return Store(f"sqlite:///{folder / 'db.sqlite3'}")


def test_scores_export_reimported_into_a_fresh_database_reproduces_the_scores(demo_template,
                                                                            demo_before_visits_template, tmp_path):
    # (two databases in one test: copies in their own folders, since both demo templates share a file name)
    with _store_copy(demo_template, tmp_path / "src") as src, \
            _store_copy(demo_before_visits_template, tmp_path / "dst") as dst:
        _roundtrip(src, dst, tmp_path)


def _roundtrip(src, dst, tmp_path):
    f = tmp_path / "scores.xlsx"
    src.excel.export_scores(f)
    rep = dst.excel.import_scores(f, finalise=True).value
    assert rep.finalised and rep.blank == 0
    pairs = [(a.application_id, a.evaluator) for a in src.people.assignments() if a.conflict_type is None]
    for app_id, ev in pairs:
        a, b = src.scoring.evaluation(app_id, ev), dst.scoring.evaluation(app_id, ev)
        assert [(s.criterion, s.level, s.points, s.comment) for s in a.scores] == \
               [(s.criterion, s.level, s.points, s.comment) for s in b.scores], (app_id, ev)
        assert b.state == "finalised" and b.total == pytest.approx(a.total)
    assert dst.info().scores == src.info().scores
    assert dst.verify_audit().ok
    # the same file again changes nothing
    assert dst.excel.import_scores(f).value.saved == ()


def test_scores_of_another_program_are_refused(demo_store, tmp_path):
    from evaluator.excel.writer import META_SHEET

    f = tmp_path / "scores.xlsx"
    demo_store.excel.export_scores(f)
    wb = load(f)
    meta = wb[META_SHEET]
    for row in meta.iter_rows(min_row=2, max_col=2):
        if row[0].value == "program":
            row[1].value = "busan-2013"
    g = tmp_path / "other.xlsx"
    wb.save(g)
    with pytest.raises(ValidationError, match="belongs to program 'busan-2013'"):
        demo_store.excel.import_scores(g)
