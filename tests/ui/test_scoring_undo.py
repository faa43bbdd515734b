"""Undo in the visit and scoring form.

The commands act on the form's model (the ``Draft``), so the first tests drive undo and redo on a
bare Draft and a QUndoStack — no form, no widgets — and check what would be saved. The last ones
press Ctrl+Z in the real form and read the restored values back from the field database."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import QDateTime, Qt
from PySide6.QtGui import QUndoStack

from ui.screens.scoring import VISIT, CheckCommand, CommentCommand, Draft, ScoreCommand, VisitCommand
from ui.settings import Settings

from .conftest import type_text
from .test_field_flow import focus, open_first

MORNING = datetime(2024, 4, 20, 10, 0)
NOON = datetime(2024, 4, 20, 12, 30)


class Saver:
    """Stands in for the worker: runs each save the Draft queues at once and records what it wrote."""

    def __init__(self, draft: Draft) -> None:
        self.draft = draft
        self.saved: list[tuple[str, object]] = []
        draft.saver = self

    def __call__(self, key: str) -> None:
        self.saved.append((key, self.draft.take(key)))

    def last(self, key: str):
        return next(value for k, value in reversed(self.saved) if k == key)


@pytest.fixture
def model():
    """A Draft loaded as the form loads it, with its undo stack and a saver; no widgets."""
    draft = Draft("A01", "EV01")
    draft.load_scores({"a": (None, None, ""), "b": ("우", 16.0, "")})
    draft.load_visit({"visited_at": MORNING, "attendees": "", "checklist": {"met": False, "space": False},
                      "notes": ""})
    redrawn: list[str] = []
    draft.on_change(redrawn.append)
    return draft, QUndoStack(), Saver(draft), redrawn


def typing(stack: QUndoStack, make, old: str, text: str) -> None:
    """Push one command per keystroke, as the form does while someone types ``text`` after ``old``."""
    for i in range(1, len(text) + 1):
        stack.push(make(old + text[: i - 1], old + text[:i]))


def test_loading_saves_nothing(model):
    draft, _stack, saver, _redrawn = model
    assert saver.saved == [] and draft.pending() == []


def test_a_score_is_undone_and_redone_and_each_step_saved(model):
    draft, stack, saver, redrawn = model
    stack.push(ScoreCommand(draft, "a", (None, None), ("수", 20.0), "a: 수"))
    stack.push(ScoreCommand(draft, "a", ("수", 20.0), ("미", 12.0), "a: 미"))
    assert saver.last("a") == ("미", 12.0, "") and redrawn == ["a", "a"]
    stack.undo()
    assert draft.score("a") == ("수", 20.0, "") and saver.last("a") == ("수", 20.0, "")
    stack.undo()
    assert draft.score("a") == (None, None, "") and saver.last("a") == (None, None, "")
    assert draft.score("b") == ("우", 16.0, "")
    stack.redo()
    stack.redo()
    assert saver.last("a") == ("미", 12.0, "")
    assert redrawn == ["a"] * 6  # the form redraws the criterion after every step


def test_points_typed_digit_by_digit_are_one_step(model):
    draft, stack, saver, _redrawn = model
    stack.push(ScoreCommand(draft, "a", (None, None), (None, 1.0), "a: 1", typed=True))
    stack.push(ScoreCommand(draft, "a", (None, 1.0), (None, 12.0), "a: 12", typed=True))
    assert stack.count() == 1
    stack.undo()
    assert saver.last("a") == (None, None, "")


def test_a_comment_typed_key_by_key_is_one_step_and_keeps_the_score(model):
    draft, stack, saver, _redrawn = model
    typing(stack, lambda old, new: CommentCommand(draft, "b", old, new), "", "모임 5명")
    assert stack.count() == 1 and saver.last("b") == ("우", 16.0, "모임 5명")
    stack.undo()
    assert saver.last("b") == ("우", 16.0, "")
    stack.redo()
    assert saver.last("b") == ("우", 16.0, "모임 5명")


@pytest.mark.parametrize(("name", "old", "edits"), [
    ("attendees", "", ["대", "대표", "대표 외 3명"]),
    ("notes", "", ["현", "현장", "현장 확인\n공간 협소"]),
    ("visited_at", MORNING, [datetime(2024, 4, 20, 11, 0), NOON]),  # the time typed section by section
])
def test_a_visit_field_is_undone_and_redone_and_the_visit_saved(model, name, old, edits):
    draft, stack, saver, redrawn = model
    draft.set_check("met", True)  # saved earlier, not in the stack
    before = [old, *edits]
    for a, b in zip(before, edits):
        stack.push(VisitCommand(draft, name, a, b))
    assert stack.count() == 1  # one burst of typing in one field, one step
    assert saver.last(VISIT)[name] == edits[-1]
    stack.undo()
    saved = saver.last(VISIT)
    assert saved[name] == old and draft.visit[name] == old
    assert saved["checklist"] == {"met": True, "space": False}  # the rest of the visit log is saved as it is
    stack.redo()
    assert saver.last(VISIT)[name] == edits[-1]
    assert redrawn[-1] == VISIT


def test_each_checklist_item_is_its_own_step(model):
    draft, stack, saver, _redrawn = model
    stack.push(CheckCommand(draft, "met", False, True, "met"))
    stack.push(CheckCommand(draft, "space", False, True, "space"))
    assert stack.count() == 2
    stack.undo()
    assert saver.last(VISIT)["checklist"] == {"met": True, "space": False}
    stack.undo()
    assert saver.last(VISIT)["checklist"] == {"met": False, "space": False}
    stack.redo()
    assert saver.last(VISIT)["checklist"] == {"met": True, "space": False}


def test_typing_in_another_field_starts_a_new_step(model):
    draft, stack, saver, _redrawn = model
    typing(stack, lambda old, new: VisitCommand(draft, "attendees", old, new), "", "대표")
    typing(stack, lambda old, new: VisitCommand(draft, "notes", old, new), "", "확인")
    typing(stack, lambda old, new: VisitCommand(draft, "attendees", old, new), "대표", " 외 2명")
    assert stack.count() == 3
    stack.undo()
    assert saver.last(VISIT)["attendees"] == "대표" and saver.last(VISIT)["notes"] == "확인"
    stack.undo()
    assert saver.last(VISIT)["notes"] == ""


def test_edits_made_while_a_save_waits_ride_along_with_it(model):
    """Autosave keeps its pace: one save per field waits in the queue and writes the newest value."""
    draft, stack, _saver, _redrawn = model
    queued: list[str] = []
    draft.saver = queued.append  # a busy worker: nothing runs yet
    typing(stack, lambda old, new: VisitCommand(draft, "notes", old, new), "", "abc")
    stack.push(CheckCommand(draft, "space", False, True, "space"))
    stack.push(CommentCommand(draft, "a", "", "x"))
    stack.undo()  # the comment
    assert queued == [VISIT, "a"] and draft.pending() == ["@visit", "a"]
    visit = draft.take(VISIT)
    assert visit["notes"] == "abc" and visit["checklist"]["space"] is True
    assert draft.take("a") == (None, None, "")
    assert draft.pending() == []
    stack.undo()  # the checkbox: a new save is queued
    assert queued == [VISIT, "a", VISIT]


# --- in the form ----------------------------------------------------------------------------------
@pytest.fixture
def field_form(field_store, make_window):
    Settings().set("identity_evaluator", "EV01")
    window = make_window(field_store)
    _today, form, app_id = open_first(window)
    return form, app_id


def undo_key(widget, qtbot, *, redo: bool = False) -> None:
    modifiers = Qt.ControlModifier | (Qt.ShiftModifier if redo else Qt.NoModifier)
    qtbot.keyClick(widget, Qt.Key_Z, modifiers)


def test_ctrl_z_in_the_visit_log_restores_the_value_and_saves_it(field_form, field_store, qtbot):
    form, app_id = field_form
    visit = lambda: field_store.scoring.visit(app_id, "EV01")  # noqa: E731
    steps = form.undo_stack.count()
    focus(form.attendees, qtbot)
    type_text(form.attendees, "대표 외 2명")
    focus(form.notes, qtbot)
    type_text(form.notes, "현장 확인")
    code, check = next(iter(form.checks.items()))
    focus(check, qtbot)
    qtbot.keyClick(check, Qt.Key_Space)
    assert visit()["checklist"][code] is True
    assert form.undo_stack.count() == steps + 3  # one step per field, not per keystroke

    undo_key(check, qtbot)
    assert not check.isChecked() and visit()["checklist"][code] is False
    focus(form.notes, qtbot)
    undo_key(form.notes, qtbot)
    assert form.notes.toPlainText() == "" and visit()["notes"] == ""
    assert visit()["attendees"] == "대표 외 2명"
    focus(form.attendees, qtbot)
    undo_key(form.attendees, qtbot)
    assert form.attendees.text() == "" and visit()["attendees"] == ""
    undo_key(form.attendees, qtbot, redo=True)
    assert form.attendees.text() == "대표 외 2명" and visit()["attendees"] == "대표 외 2명"


def test_ctrl_z_in_the_visit_time_goes_back_to_the_previous_time(field_form, field_store, qtbot):
    form, app_id = field_form
    steps = form.undo_stack.count()
    form.visited_at.setDateTime(QDateTime(MORNING))
    # the first time recorded is not an undo step: the core keeps a visit time once it has one
    assert form.undo_stack.count() == steps
    form.visited_at.setDateTime(QDateTime(NOON))
    assert field_store.scoring.visit(app_id, "EV01")["visited_at"] == NOON
    focus(form.visited_at, qtbot)
    undo_key(form.visited_at, qtbot)
    assert form.visited_at.dateTime().toPython() == MORNING
    assert field_store.scoring.visit(app_id, "EV01")["visited_at"] == MORNING
    # "not recorded" cannot be chosen again once a time is saved
    form.visited_at.setDateTime(form.visited_at.minimumDateTime())
    assert form.visited_at.dateTime().toPython() == MORNING


def test_ctrl_z_in_a_comment_undoes_the_forms_edit_and_saves_it(field_form, field_store, qtbot):
    """The comment field's own undo would have changed the text behind the form's back."""
    form, app_id = field_form
    code = form.rubric.criteria[0].code
    form.user_set_value(code, form.rubric.levels[0].key)
    comment = form.rows[code].comment
    focus(comment, qtbot)
    qtbot.keyClicks(comment, "abc")
    undo_key(comment, qtbot)
    score = next(s for s in field_store.scoring.evaluation(app_id, "EV01").scores if s.criterion == code)
    assert comment.text() == "" and score.comment == ""
    assert score.level == form.rubric.levels[0].key
    undo_key(comment, qtbot)  # the next step back: the level
    score = next(s for s in field_store.scoring.evaluation(app_id, "EV01").scores if s.criterion == code)
    assert score.level is None and form.rows[code].picker.key is None
