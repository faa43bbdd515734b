"""Exports in the user's language (issue 21): Korean sheet names, headers, decisions, categories and
reasons by default, the stable keys kept in ``_meta``, importers that read both languages, and
``lang="en"`` writing exactly the English workbooks of before."""

from __future__ import annotations

import gzip
import json
import shutil
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from evaluator.excel import columns as C
from evaluator.excel.columns import _c
from evaluator.excel.writer import ESCAPE_NOTE, WorkbookWriter

from .excel_fixtures import FIXTURES, HOSTILE, before_visits, load, state  # noqa: F401
from .xlsx_cells import cells

DB_FIXTURE = FIXTURES.parent / "db" / "schema-0006-demo.sqlite3"
EN_OF_RECORD = FIXTURES / "en-exports-0006-demo.json.gz"
LO_SCORE_TEMPLATE = FIXTURES / "lo_score_template_ko.xlsx"
DECISIONS_KO = {"선정", "예비", "미선정", "부적격"}


def _fixture_store(folder):
    from evaluator.store import Store

    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(DB_FIXTURE, folder / "demo.sqlite3")
    return Store(f"sqlite:///{folder / 'demo.sqlite3'}")


def _export_all(st, folder, lang):
    files = {k: folder / f"{k}-{lang}.xlsx" for k in ("ranking", "scores", "progress", "template")}
    st.excel.export_ranking(files["ranking"], lang=lang)
    st.excel.export_scores(files["scores"], lang=lang)
    st.excel.export_progress(files["progress"], lang=lang)
    st.excel.export_template("scores", files["template"], lang=lang)
    return files


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    """The committed 0006 demo database, exported in Korean and in English."""
    d = tmp_path_factory.mktemp("lang")
    st = _fixture_store(d / "db")
    try:
        yield st, _export_all(st, d, "ko"), _export_all(st, d, "en")
    finally:
        st.close()


def _meta_columns(wb):
    """The ``_meta`` column table: [{sheet, column, key, label_ko, label_en, type, sheet_key?}]."""
    rows = list(wb["_meta"].iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == "sheet" and r[1] == "column")
    head = [h for h in rows[start] if h]
    return [dict(zip(head, r)) for r in rows[start + 1:] if r[0] is not None]


def _meta_values(wb):
    out = {}
    for r in wb["_meta"].iter_rows(min_row=2, max_col=2, values_only=True):
        if r[0] is None:
            break
        out[r[0]] = r[1]
    return out


#: English sentences reworded on purpose since the record was written (old → new): the record stays
#: as it was written, and each change is named here
REWORDED = [
    # the ranking workbook's note claimed a change "since the ranking was recorded" before any was
    ("(scores or settings changed since the ranking was recorded); rank again in the office database to record "
     "them.", "(none are recorded yet, or scores or settings changed since they were); rank in the office database "
     "to record them."),
]


def _reworded(text: str) -> str:
    for old, new in REWORDED:
        assert old in text, old
        text = text.replace(old, new)
    return text


def test_english_exports_are_cell_for_cell_those_written_before_korean(both):
    """``lang="en"``: every cell of every sheet (``_meta`` included) as main wrote it before the
    exports spoke Korean (tests/fixtures/xlsx/README.md), but for the moment of writing."""
    _, _, en = both
    with gzip.open(EN_OF_RECORD, "rt", encoding="utf-8") as fh:
        of_record = json.loads(_reworded(fh.read()))
    for kind, path in en.items():
        got = json.loads(json.dumps(cells(path)))  # (tuples and lists alike, as the record holds them)
        want = of_record[kind]
        assert sorted(got) == sorted(want), kind  # (the record is stored with sorted keys)
        for sheet in want:
            diff = [(i + 1, j + 1, a, b) for i, (ra, rb) in enumerate(zip(got[sheet], want[sheet]))
                    for j, (a, b) in enumerate(zip(ra, rb)) if a != b]
            assert len(got[sheet]) == len(want[sheet]) and not diff, (kind, sheet, diff[:5])


def test_korean_exports_have_korean_sheet_names_and_headers_and_keep_the_keys_in_meta(both):
    st, ko, _ = both
    tracks = {t.code: t.name_ko for t in st.programs.get().tracks}
    expected = {
        "ranking": {"요약": ("summary", C.RANKING_SUMMARY),
                    **{tracks[code]: (code, C.RANKING_TRACK) for code in ("activity", "space")}},
        "scores": {"점수": ("scores", C.SCORES)},
        "progress": {"요약": ("summary", C.PROGRESS_SUMMARY), "평가위원별": ("evaluators", C.PROGRESS_EVALUATORS),
                     "신청별": ("applications", C.PROGRESS_APPLICATIONS)},
        "template": {"점수": ("scores", C.SCORE_TEMPLATE)},
    }
    for kind, sheets in expected.items():
        wb = load(ko[kind])
        assert wb.sheetnames == [*sheets, "_meta"], kind
        columns = _meta_columns(wb)
        for title, (key, cols) in sheets.items():
            ws = wb[title]
            assert [c.value for c in ws[1]] == [c.ko for c in cols], (kind, title)
            assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
            # the note on the first header cell says what a leading apostrophe means
            assert ws["A1"].comment is not None and ws["A1"].comment.text == ESCAPE_NOTE[0]
            # _meta maps the Korean sheet and every column back to the stable keys
            mine = [c for c in columns if c["sheet"] == title]
            assert {c["sheet_key"] for c in mine} == {key}
            assert [c["key"] for c in mine] == [c.key for c in cols]
            assert [c["label_ko"] for c in mine] == [c.value for c in ws[1]]
        meta = _meta_values(wb)
        assert (meta["lang"], meta["text_escape"]) == ("ko", "leading-apostrophe")
        assert meta["text_escape_note"] == ESCAPE_NOTE[0] and meta["text_escape_note_en"] == ESCAPE_NOTE[1]
        assert "작은따옴표(')" in meta["text_escape_note"] and "apostrophe (')" in meta["text_escape_note_en"]


def test_korean_ranking_has_korean_decisions_categories_and_reasons(both):
    st, ko, en = both
    result = st.ranking.rank()
    categories = {c.code: c.name_ko for c in st.programs.get().categories}
    wb_ko, wb_en = load(ko["ranking"]), load(en["ranking"])
    seen_decisions, seen_categories = set(), set()
    for t in result.tracks:
        ko_rows = list(wb_ko[t.name_ko].iter_rows(min_row=2, values_only=True))
        en_rows = list(wb_en[t.track].iter_rows(min_row=2, values_only=True))
        keys = [c.key for c in C.RANKING_TRACK]
        assert len(ko_rows) == len(en_rows) == len(t.rows)
        for r, k, e in zip(t.rows, ko_rows, en_rows):
            k, e = dict(zip(keys, k)), dict(zip(keys, e))
            assert k["application_id"] == e["application_id"] == r.application_id
            assert k["decision"] in DECISIONS_KO and k["computed_decision"] in DECISIONS_KO
            assert (e["decision"], e["reason"]) == (r.decision, r.reason)
            assert k["reason"] == r.reason_ko and k["reason"] != r.reason
            assert k["category"] == categories[r.category] and e["category"] == r.category
            # the numbers are the same numbers
            assert (k["rank"], k["score"], k["requested_amount"], k["submitted_on"]) == (
                e["rank"], e["score"], e["requested_amount"], e["submitted_on"])
            seen_decisions.add(k["decision"])
            seen_categories.add(k["category"])
    assert {"선정", "예비", "미선정"} <= seen_decisions
    assert "마을카페·모임" in seen_categories
    summary = {r[0]: r for r in load(ko["ranking"])["요약"].iter_rows(min_row=2, values_only=True)}
    assert summary["activity"][2] == "절사평균(최고·최저 제외)" and "점수:" in summary["activity"][16]


def test_korean_scores_and_progress_say_states_in_korean(both):
    _, ko, en = both
    state_col = [c.key for c in C.SCORES].index("state")
    ko_states = {r[state_col] for r in load(ko["scores"])["점수"].iter_rows(min_row=2, values_only=True)}
    en_states = {r[state_col] for r in load(en["scores"])["scores"].iter_rows(min_row=2, values_only=True)}
    assert en_states == {"finalised"} and ko_states == {"확정"}
    a = [list(r) for r in load(ko["progress"])["신청별"].iter_rows(min_row=2, values_only=True)]
    b = [list(r) for r in load(en["progress"])["applications"].iter_rows(min_row=2, values_only=True)]
    assert a == b  # nothing there is a label: the same cells in both languages


def test_score_imports_read_korean_and_english_templates_and_exports_alike(before_visits, tmp_path):
    st = before_visits
    got = {}
    for lang in ("ko", "en"):
        f = tmp_path / f"template-{lang}.xlsx"
        st.excel.export_template("scores", f, evaluator="EV02", lang=lang)
        wb = load(f)
        ws = wb["점수" if lang == "ko" else "scores"]
        head = [c.value for c in ws[1]]
        col = {(c.key if lang == "en" else c.ko): c.key for c in C.SCORE_TEMPLATE}
        keys = [col[h] for h in head]
        for row in ws.iter_rows(min_row=2):
            cell = dict(zip(keys, row))
            if str(cell["allowed"].value).startswith("0–"):
                cell["value"].value = 11
            else:
                cell["level"].value = "미"
            cell["comment"].value = "+82 모임과 통화함"
        wb.save(f)
        rep = st.excel.import_scores(f, dry_run=True).value
        assert not rep.warnings, (lang, rep.warnings)  # every column of ours is known, in both languages
        got[lang] = sorted((c.application_id, c.criterion, c.new["level"], c.new["points"], c.new["comment"])
                           for c in rep.saved)
    assert got["ko"] == got["en"] and len(got["ko"]) > 20
    assert {c[4] for c in got["ko"]} == {"+82 모임과 통화함"}


def test_scores_export_in_either_language_reimports_into_a_fresh_database(demo_store, demo_before_visits_template,
                                                                        tmp_path):
    from evaluator.store import Store

    saved = {}
    for lang in ("ko", "en"):
        f = tmp_path / f"scores-{lang}.xlsx"
        demo_store.excel.export_scores(f, lang=lang)
        (tmp_path / lang).mkdir()
        shutil.copyfile(demo_before_visits_template, tmp_path / lang / "fresh.sqlite3")
        with Store(f"sqlite:///{tmp_path / lang / 'fresh.sqlite3'}") as dst:
            rep = dst.excel.import_scores(f, finalise=True).value
            assert rep.finalised
            saved[lang] = sorted((c.application_id, c.evaluator, c.criterion, c.new["level"], c.new["points"])
                                 for c in rep.saved)
    assert saved["ko"] == saved["en"] and len(saved["ko"]) > 900


def test_a_korean_template_saved_by_libreoffice_imports(before_visits):
    """The committed fixture: our Korean score template, filled in and saved again by LibreOffice
    Calc (tests/fixtures/xlsx/README.md); LibreOffice is not needed to run this."""
    assert b"LibreOffice" in __import__("zipfile").ZipFile(LO_SCORE_TEMPLATE).read("docProps/app.xml")
    st = before_visits
    before = state(st)
    rep = st.excel.import_scores(LO_SCORE_TEMPLATE, dry_run=True).value
    assert state(st) == before and not rep.warnings
    assert rep.saved and {c.application_id for c in rep.saved} == {"2012-A-001"}
    assert {c.new["comment"] for c in rep.saved} == {"종이 평가표에서 옮김"}
    assert {c.new["level"] for c in rep.saved if c.new["level"]} == {"u"}  # 우, as typed
    rep = st.excel.import_scores(LO_SCORE_TEMPLATE).value
    ev = st.scoring.evaluation("2012-A-001", "EV01")
    assert len(rep.saved) == len(ev.scores) and all(s.comment == "종이 평가표에서 옮김" for s in ev.scores)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_apostrophe_is_never_put_on_a_number_date_or_phone_cell(tmp_path, lang):
    """Values that start like a formula: a text cell gets the apostrophe; a number (-5), an amount, a
    date and a phone number (``+82 …``) are written as they are, typed."""
    cols = (_c("text", "글", "Text", "text"), _c("n", "수", "N", "int"), _c("won", "금액", "Won", "krw"),
            _c("on", "날짜", "On", "date"), _c("at", "일시", "At", "datetime"), _c("phone", "연락처", "Phone", "phone"),
            _c("x", "실수", "X", "float"), _c("p", "점", "P", "points"))
    rows = [
        ["-5", -5, -1_000_000, date(2012, 4, 12), datetime(2012, 4, 12, 9, 30), "+82 2-000-0000", -0.5, -3],
        ["=1+1", 0, 0, None, None, "-0000-0000", None, None],
        ["+82 모임", 7, 5_000_000, None, None, "=HYPERLINK(\"x\")", None, None],
        ["@admin", None, None, None, None, "(02) 000-0000", None, None],
    ]
    book = WorkbookWriter(tmp_path / "t.xlsx", kind="scores", lang=lang)
    sh = book.sheet("t", cols)
    for r in rows:
        sh.row(r)
    book.save()
    ws = load_workbook(tmp_path / "t.xlsx")["t"]
    got = [[(c.value, c.data_type) for c in row] for row in ws.iter_rows(min_row=2)]
    assert [r[0] for r in got] == [("'-5", "s"), ("'=1+1", "s"), ("'+82 모임", "s"), ("'@admin", "s")]
    assert got[0][1:5] == [(-5, "n"), (-1_000_000, "n"), (datetime(2012, 4, 12), "d"), (datetime(2012, 4, 12, 9, 30), "d")]
    assert got[0][6:] == [(-0.5, "n"), (-3, "n")]
    # a phone number as it is; what is no phone number in a phone column is neutralised like any text
    assert [r[5] for r in got] == [("+82 2-000-0000", "s"), ("'-0000-0000", "s"), ("'=HYPERLINK(\"x\")", "s"),
                                   ("(02) 000-0000", "s")]
    assert not any(t == "f" for row in got for _v, t in row)
    note = ws["A1"].comment
    assert (note is not None and note.text == ESCAPE_NOTE[0]) if lang == "ko" else note is None


def test_no_typed_cell_of_a_korean_export_starts_with_an_apostrophe(both):
    """Across the real Korean workbooks: every column typed as a number, amount, date or phone (by
    ``_meta``) holds no text with a leading apostrophe."""
    _, ko, _ = both
    typed = {k for k in C.FORMATS if k not in ("text", "id")}
    for kind, path in ko.items():
        wb = load(path)
        for col in _meta_columns(wb):
            if col["type"] not in typed:
                continue
            ws = wb[col["sheet"]]
            for (v,) in ws.iter_rows(min_row=2, min_col=_index(col["column"]), max_col=_index(col["column"]),
                                     values_only=True):
                assert not (isinstance(v, str) and v.startswith("'")), (kind, col, v)


def _index(letter: str) -> int:
    from openpyxl.utils import column_index_from_string

    return column_index_from_string(letter)


def test_hostile_text_in_a_korean_export_is_neutralised_and_recoverable(before_visits, tmp_path):
    from evaluator.excel.writer import recover

    st = before_visits
    a = next(x for x in st.people.assignments(evaluator="EV01") if x.conflict_type is None)
    rd = st.programs.rubric("activity" if a.application_id.startswith("2012-A") else "space")
    for c, text in zip(rd.criteria, HOSTILE):
        st.scoring.save_score(a.application_id, "EV01", c.code, level="u", comment=text)
    f = tmp_path / "scores.xlsx"
    st.excel.export_scores(f)
    ws = load(f)["점수"]
    comments = [r[10] for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == a.application_id and r[2] == "EV01"]
    want = HOSTILE[: len(comments)]
    assert [recover(c) for c in comments] == [h.replace("\r", "\n") for h in want]
    assert all(c.startswith("'") for c, h in zip(comments, want) if h[0] in "=+-@\t\r\n＝＋－＠'")


def test_the_command_line_writes_korean_by_default_and_english_with_lang_en(capsys, demo_path, tmp_path):
    from evaluator.cli import main

    db = f"sqlite:///{demo_path}"
    for lang, names in ((None, ["요약", "평가위원별", "신청별", "_meta"]),
                        ("en", ["summary", "evaluators", "applications", "_meta"])):
        f = tmp_path / f"progress-{lang}.xlsx"
        assert main(["export", "progress", str(f), "--db", db, *(["--lang", lang] if lang else [])]) == 0
        assert load(f).sheetnames == names
    capsys.readouterr()


def test_a_ranking_export_in_either_language_reads_back_as_the_same_applications(both):
    """The application importer finds the same fields in a Korean track sheet as in an English one
    (``사업유형 코드`` is the track); only the ranking's own columns are kept aside."""
    st, ko, en = both
    reports = {lang: st.excel.import_applications(files["ranking"], dry_run=True).value
               for lang, files in (("ko", ko), ("en", en))}
    assert reports["ko"].sheet == "주민모임 활동 지원" and reports["en"].sheet == "activity"
    assert reports["ko"].updated == reports["en"].updated and not reports["ko"].added
    labels = {c.ko: c.key for c in C.RANKING_TRACK}
    assert sorted(labels[h] for h in reports["ko"].unknown_columns) == sorted(reports["en"].unknown_columns)
    assert "track" not in reports["en"].unknown_columns


def test_an_unknown_language_is_one_clear_sentence_and_writes_nothing(both, tmp_path):
    from evaluator.errors import ValidationError

    st, _, _ = both
    for export in (lambda f: st.excel.export_scores(f, lang="fr"), lambda f: st.excel.export_ranking(f, lang="fr"),
                   lambda f: st.excel.export_template("scores", f, lang="fr")):
        f = tmp_path / "x.xlsx"
        with pytest.raises(ValidationError, match="Unknown workbook language 'fr'; use 'ko'"):
            export(f)
        assert not f.exists()
