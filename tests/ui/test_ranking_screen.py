"""The Ranking screen: Korean reasons, notes and labels in the Korean UI; another method than the
program's is a labelled what-if view that leaves the decisions of record alone."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from evaluator.db.models import Application, Decision


def cell(model, row: int, key: str, role=Qt.DisplayRole):
    col = next(i for i, c in enumerate(model.columns) if c.key == key)
    return model.data(model.index(row, col), role)


def stored(store) -> dict:
    with store.uow.read() as s:
        rows = s.execute(select(Application.external_id, Decision.computed, Decision.computed_method,
                                Decision.computed_reason, Decision.computed_at)
                         .join(Decision, Decision.application_id == Application.id)).all()
    return {r[0]: tuple(r[1:]) for r in rows}


@pytest.fixture
def ranking(demo_store, make_window):
    w = make_window(demo_store)
    return w.show_screen("ranking"), demo_store


def test_korean_ui_shows_korean_reasons_notes_and_reliability(ranking, dialogs):
    screen, _store = ranking
    rows = screen.model.rows
    assert rows and screen.method.currentData() is None  # the program's setting
    for i, r in enumerate(rows):
        assert cell(screen.model, i, "reason") == r.reason_ko != r.reason
        assert cell(screen.model, i, "reason", Qt.ToolTipRole) == r.reason_ko
    t = screen.track_ranking()
    assert "크리펜도르프 알파(등간)" in screen.summary.text() and "Krippendorff" not in screen.summary.text()
    assert screen.summary.toolTip() == "\n".join(t.notes_ko)
    # an evaluation left out for a conflict of interest: its note in Korean
    i = next(i for i, r in enumerate(rows) if r.recusals)
    screen.table.selectRow(i)
    ev = next(k for k, e in enumerate(screen.evaluator_model.rows) if e.state == "recused")
    text = cell(screen.evaluator_model, ev, "counted")
    assert "이해충돌" in text and "conflict of interest" not in text
    # the override dialog shows the computed reason in Korean
    screen.table.selectRow(0)
    seen = {}

    def look(dlg):
        seen["text"] = " ".join(lbl.text() for lbl in dlg.findChildren(type(screen.summary)))
        return False

    dialogs.on_exec["overrideDialog"] = look
    screen.override_selected()
    assert rows[0].computed_reason_ko in seen["text"] and rows[0].computed_reason not in seen["text"]


def test_another_method_is_a_labelled_what_if_that_stores_nothing(ranking):
    screen, store = ranking
    assert screen.result.recorded and not screen.result.what_if and screen.what_if.isHidden()
    before = stored(store)
    assert before and {v[1] for v in before.values()} == {"trimmed"}  # the demo's program file
    screen.method.setCurrentIndex(screen.method.findData("median"))
    assert screen.result.what_if and not screen.result.recorded and screen.result.method == "median"
    assert not screen.what_if.isHidden()
    assert "가정 분석" in screen.what_if.text() and "중앙값" in screen.what_if.text()
    assert stored(store) == before
    screen.method.setCurrentIndex(screen.method.findData("trimmed"))  # the program's own method: no what-if
    assert not screen.result.what_if and screen.what_if.isHidden()
    screen.method.setCurrentIndex(0)
    assert screen.result.recorded and screen.what_if.isHidden()


def test_the_committee_adopts_the_what_if_method_and_it_becomes_the_decision_of_record(ranking, dialogs):
    screen, store = ranking
    screen.method.setCurrentIndex(screen.method.findData("median"))
    assert not screen.adopt.isHidden()
    dialogs.confirms.append(False)  # cancelled: nothing changes
    screen.adopt.click()
    assert store.ranking.settings()["method"] == "trimmed" and screen.result.what_if
    dialogs.confirms.append(True)
    screen.adopt.click()
    assert store.ranking.settings()["method"] == "median"
    assert screen.method.currentData() is None and screen.result.recorded and not screen.result.what_if
    assert screen.what_if.isHidden() and screen.adopt.isHidden()
    assert {v[1] for v in stored(store).values()} == {"median"}


def test_rank_again_says_it_was_done_and_whether_it_was_recorded(ranking):
    from PySide6.QtWidgets import QPushButton

    screen, store = ranking
    bar = screen.window().statusBar()
    again = screen.findChild(QPushButton, "rankAgain")
    bar.clearMessage()
    again.click()
    assert "다시 산정했습니다" in bar.currentMessage() and "결정이 기록되었습니다" in bar.currentMessage()
    screen.method.setCurrentIndex(screen.method.findData("median"))  # a what-if view
    recorded = stored(store)
    again.click()
    assert "아무것도 저장하지 않았습니다" in bar.currentMessage()
    assert stored(store) == recorded
