"""Problems carry structure: the file, sheet, row, column (its name and letter) and field they are
about, a stable code and the parameters their sentence quotes — read from real workbooks written by
LibreOffice, from the score template round trip and from rubric files — and the English text is
rendered from them.  Sorting uses the fields; the command line's JSON carries them."""

from __future__ import annotations

import json

import pytest

from evaluator.cli import main
from evaluator.errors import Problem, ValidationError
from evaluator.excel.ops import by_row
from evaluator.rubric import parse_rubric

from .excel_fixtures import LO_MESSY, LO_TEN_ERRORS, before_visits, load, write_sheet  # noqa: F401
from .rubric_samples import small_rubric


def _fields(p: Problem) -> tuple:
    return (p.sheet, p.row, p.column, p.letter, p.field, p.code)


def test_the_ten_errors_of_a_libreoffice_workbook_carry_their_cells(before_visits):
    with pytest.raises(ValidationError) as ei:
        before_visits.excel.import_applications(LO_TEN_ERRORS, dry_run=True)
    problems = ei.value.problems
    assert [_fields(p) for p in problems] == [
        ("접수현황", 5, "신청금액(원)", "N", "requested_amount", "value.not_amount"),
        ("접수현황", 6, "접수일", "Q", "submitted_on", "value.not_date"),
        ("접수현황", 7, "사업유형", "C", "track", "value.unknown_label"),
        ("접수현황", 8, "분야", "D", "category", "value.unknown_label"),
        ("접수현황", 9, "자치구", "J", "district", "value.not_district"),
        ("접수현황", 10, "접수 번호", "B", "id", "intake.duplicate_id"),
        ("접수현황", 11, "사업명", "E", "title", "intake.new_needs_title"),
        ("접수현황", 12, "이메일", "I", "email", "value.not_email"),
        ("접수현황", 13, "참여인원", "M", "members", "value.not_count"),
        ("접수현황", 14, "접수 번호", "B", "id", "intake.id_missing"),
    ]
    assert all(p.file == "lo_ten_errors.xlsx" for p in problems)
    first = problems[0]
    assert first.params == {"value": "'abc'"} and first.message == "'abc' is not an amount"
    assert first.where == "Sheet '접수현황' row 5, column 신청금액(원)"  # the text, rendered from the fields
    assert problems[2].params["what"] == "track" and "activity" in problems[2].params["allowed"]
    assert problems[5].params == {"id": "2012-A-201", "first_row": 4}


def test_warnings_of_a_libreoffice_workbook_carry_their_places(before_visits):
    preview = before_visits.excel.preview_applications(LO_MESSY)
    got = {(w.code, w.row, w.column, w.letter) for w in preview.warnings}
    assert ("sheet.row_number_column", None, "연번", "A") in got
    assert ("intake.unknown_columns", None, None, None) in got
    assert ("intake.total_or_note_row", 12, None, None) in got
    assert next(w for w in preview.warnings if w.code == "intake.unknown_columns").params == {"columns": "담당자 메모"}


def test_score_template_problems_carry_their_rows_and_fields(before_visits, tmp_path):
    st = before_visits
    f = tmp_path / "ev04.xlsx"
    st.excel.export_template("scores", f, evaluator="EV04", lang="en")
    wb = load(f)
    ws = wb["scores"]
    col = {c.value: i + 1 for i, c in enumerate(ws[1])}
    ws.cell(5, col["evaluator"], "EV09")  # unknown evaluator (found when planning)
    ws.cell(6, col["application_id"], "2012-X-999")  # unknown application
    ws.cell(7, col["value"], "열")  # not a number (found when reading)
    wb.save(f)
    with pytest.raises(ValidationError) as ei:
        st.excel.import_scores(f, dry_run=True)
    by_code = {p.code: p for p in ei.value.problems}
    assert _fields(by_code["value.not_number"]) == ("scores", 7, "value", "J", "value", "value.not_number")
    assert _fields(by_code["scores.unknown_evaluator"]) == ("scores", 5, None, None, "evaluator",
                                                            "scores.unknown_evaluator")
    assert by_code["scores.unknown_application"].params["application_id"] == "2012-X-999"
    assert by_code["scores.unknown_application"].where == "Sheet 'scores' row 6"
    assert [p.row for p in ei.value.problems] == sorted(p.row for p in ei.value.problems)


def test_assignment_problems_carry_their_rows_and_fields(before_visits, tmp_path):
    f = write_sheet(tmp_path / "a.xlsx", [["접수번호", "평가위원번호", "성명", "방문예정일"],
                                          ["2012-X-404", "EV01", None, None],
                                          ["2012-A-004", "EV03", None, "다음 주"]], title="배정")
    with pytest.raises(ValidationError) as ei:
        before_visits.excel.import_assignments(f)
    assert [_fields(p) for p in ei.value.problems] == [
        ("배정", 2, None, None, "application_id", "assignments.unknown_application"),
        ("배정", 3, "방문예정일", "D", "planned_visit_on", "value.not_date"),
    ]


def test_rubric_problems_name_the_file_and_the_key():
    text = small_rubric().replace("max = 60", "max = -1", 1)
    with pytest.raises(ValidationError) as ei:
        parse_rubric(text, "activity.toml")
    p = ei.value.problems[0]
    assert (p.file, p.code, p.params) == ("activity.toml", "rubric.not_positive", {"got": "-1"})
    assert p.field is not None and p.field.startswith("criteria[") and p.field.endswith("].max") and " (" not in p.field
    assert p.where.startswith("activity.toml, criteria[") and p.message == "must be greater than 0, got -1"


def test_problems_sort_by_their_fields():
    def at(sheet, row, message="x"):
        return Problem(message=message, sheet=sheet, row=row)

    problems = [at("b", 3), at("a", 10), at("a", 2), Problem(message="file-level", file="f.xlsx"), at("b", 1),
                at("a", None, "sheet-level")]
    assert [(p.sheet, p.row, p.message) for p in by_row(problems)] == [
        (None, None, "file-level"), ("a", None, "sheet-level"), ("b", 1, "x"), ("b", 3, "x"), ("a", 2, "x"),
        ("a", 10, "x")]


def test_the_json_error_document_carries_the_fields(capsys, demo_before_visits_store):
    code = main(["import", "applications", str(LO_TEN_ERRORS), "--db", demo_before_visits_store.url, "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 2
    assert doc["problems"][0] == {
        "where": "Sheet '접수현황' row 5, column 신청금액(원)", "message": "'abc' is not an amount",
        "code": "value.not_amount", "file": "lo_ten_errors.xlsx", "sheet": "접수현황", "row": 5,
        "column": "신청금액(원)", "letter": "N", "field": "requested_amount", "params": {"value": "'abc'"},
    }
