"""The Ranking screen: another method than the program's is a labelled what-if view that leaves
the decisions of record alone."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from evaluator.db.models import Application, Decision


def stored(store) -> dict:
    with store.read() as s:
        rows = s.execute(select(Application.external_id, Decision.computed, Decision.computed_method,
                                Decision.computed_reason, Decision.computed_at)
                         .join(Decision, Decision.application_id == Application.id)).all()
    return {r[0]: tuple(r[1:]) for r in rows}


@pytest.fixture
def ranking(demo_store, make_window):
    w = make_window(demo_store)
    return w.show_screen("ranking"), demo_store


def test_another_method_is_a_labelled_what_if_that_stores_nothing(ranking):
    screen, store = ranking
    assert screen.result.recorded and not screen.result.what_if and screen.what_if.isHidden()
    before = stored(store)
    assert before and {v[1] for v in before.values()} == {"mean"}
    screen.method.setCurrentIndex(screen.method.findData("median"))
    assert screen.result.what_if and not screen.result.recorded and screen.result.method == "median"
    assert not screen.what_if.isHidden()
    assert "가정 분석" in screen.what_if.text() and "중앙값" in screen.what_if.text()
    assert stored(store) == before
    screen.method.setCurrentIndex(screen.method.findData("mean"))  # the program's own method: no what-if
    assert not screen.result.what_if and screen.what_if.isHidden()
    screen.method.setCurrentIndex(0)
    assert screen.result.recorded and screen.what_if.isHidden()
