"""The visit and scoring form: one application, one evaluator.

* The form's model is a ``Draft``: plain values, no widgets. Every edit, undo and redo changes the
  Draft; the form redraws from the Draft's change callback.
* Every change is saved at once (no Save button): each criterion, comment and visit field is synced
  to the core on the worker as soon as it changes.  Saves are coalesced per field: while one save of
  a criterion waits in the queue, newer keystrokes ride along with it, so typing never floods the
  worker and the last value always lands.
* Undo/redo: thin ``QUndoCommand`` s that set the new/old value on the Draft, which saves it (Orange
  canvas style); a burst of typing in one field is one step. Scores, comments and the visit log
  (time, attendees, checklist, notes) are undoable, with Ctrl+Z in any field of the form.
* Keyboard first: Tab walks visit fields → each criterion's level picker → its comment → the next
  criterion; in a picker the digits 1–5 pick 수/우/미/양/가 (0 or Delete clears); Ctrl+Enter finalises.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QDateTime, QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QImage, QKeySequence, QShortcut, QTextCursor, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractSpinBox, QButtonGroup, QCheckBox, QDateTimeEdit, QDoubleSpinBox, QFrame, QGridLayout, QGroupBox,
    QHBoxLayout, QLabel, QLineEdit, QListWidget, QPlainTextEdit, QPushButton, QScrollArea,
    QSizePolicy, QToolButton, QVBoxLayout, QWidget,
)

from evaluator.changes import NOTHING, Outcome
from evaluator.domain import FINALISED

from .. import dialogs

from ..i18n import language, tr
from ..labels import category_label, track_label
from ..models import fmt_amount
from ..widgets import ReflowColumns, fill_photo_list, plain

NOT_RECORDED = QDateTime(datetime(2000, 1, 1, 0, 0))


# --------------------------------------------------------------------------------------------------
# The save key of the visit log (criteria are saved under their own code).
VISIT = "@visit"
# The visit log's fields, as the core's ``save_visit`` names them.
VISIT_FIELDS = ("visited_at", "attendees", "checklist", "notes")


def empty_visit() -> dict[str, Any]:
    return {"visited_at": None, "attendees": "", "checklist": {}, "notes": ""}


@dataclass
class Draft:
    """The form's model: its values as plain data, shared with save jobs on the worker (never widgets).

    Every ``set_*`` changes one value, tells the listeners (the form redraws from here, whoever made
    the change: a keystroke, an undo or a redo) and marks the value's key as waiting to be saved;
    ``saver(key)`` is called when a key starts waiting, and the save job ``take`` s the newest values.
    Keystrokes made while a save waits ride along with it, so typing never floods the worker.
    """

    application_id: str
    evaluator: str
    #: criterion -> (level, points, comment)
    scores: dict[str, tuple[str | None, float | None, str]] = field(default_factory=dict)
    visit: dict[str, Any] = field(default_factory=empty_visit)
    # keys (criterion codes, VISIT) whose save is queued and has not taken the values yet
    queued: set[str] = field(default_factory=set)
    saver: Callable[[str], None] | None = None
    listeners: list[Callable[[str], None]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def on_change(self, listener: Callable[[str], None]) -> None:
        """Call ``listener(key)`` after every change (``key``: a criterion's code, or VISIT)."""
        self.listeners.append(listener)

    # --- reading ----------------------------------------------------------------------------------
    def score(self, code: str) -> tuple[str | None, float | None, str]:
        return self.scores.get(code, (None, None, ""))

    def pending(self) -> list[str]:
        """The keys waiting to be saved."""
        with self.lock:
            return sorted(self.queued)

    # --- loading what the core has (nothing to save) ----------------------------------------------
    def load_scores(self, scores: dict[str, tuple[str | None, float | None, str]]) -> None:
        with self.lock:
            self.scores = dict(scores)
        for code in scores:
            self._notify(code)

    def load_visit(self, visit: dict[str, Any]) -> None:
        blank = empty_visit()
        with self.lock:
            self.visit = {name: visit.get(name, blank[name]) for name in VISIT_FIELDS}
            self.visit["checklist"] = dict(self.visit["checklist"] or {})
        self._notify(VISIT)

    # --- edits (from the user, an undo or a redo) -------------------------------------------------
    def set_score(self, code: str, level: str | None, points: float | None) -> None:
        with self.lock:
            self.scores[code] = (level, points, self.score(code)[2])
        self._changed(code)

    def set_comment(self, code: str, text: str) -> None:
        with self.lock:
            level, points, _ = self.score(code)
            self.scores[code] = (level, points, text)
        self._changed(code)

    def set_visit(self, name: str, value: Any) -> None:
        """Set the visit time, the attendees or the notes."""
        if name not in ("visited_at", "attendees", "notes"):
            raise KeyError(name)
        with self.lock:
            self.visit[name] = value
        self._changed(VISIT)

    def set_check(self, item: str, checked: bool) -> None:
        with self.lock:
            self.visit["checklist"] = {**self.visit["checklist"], item: bool(checked)}
        self._changed(VISIT)

    # --- saving -----------------------------------------------------------------------------------
    def take(self, key: str):
        """The values a save of ``key`` writes (called by the save job, on the worker)."""
        with self.lock:
            self.queued.discard(key)
            if key == VISIT:
                return {**self.visit, "checklist": dict(self.visit["checklist"])}
            return self.score(key)

    def _changed(self, key: str) -> None:
        self._notify(key)
        with self.lock:
            fresh = key not in self.queued
            self.queued.add(key)
        if fresh and self.saver is not None:
            self.saver(key)

    def _notify(self, key: str) -> None:
        for listener in list(self.listeners):
            listener(key)


# --------------------------------------------------------------------------------------------------
class LevelPicker(QFrame):
    """The level buttons of one criterion with every level's description beside it."""

    picked = Signal(object)  # level key or None (user action)

    def __init__(self, rubric, criterion, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("levelPicker")
        self.setFocusPolicy(Qt.StrongFocus)
        self.setFrameShape(QFrame.StyledPanel)
        self.levels = list(rubric.levels)
        self.key: str | None = None
        lang = language()
        self._criterion_name = criterion.name(lang)
        self._labels = {lv.key: lv.label(lang) for lv in self.levels}
        self._name()
        grid = QGridLayout(self)
        grid.setContentsMargins(6, 6, 6, 6)
        grid.setHorizontalSpacing(8)
        self.group = QButtonGroup(self)
        self.group.setExclusive(False)
        self.buttons: dict[str, QToolButton] = {}
        self.descriptions: dict[str, QLabel] = {}
        for i, lv in enumerate(self.levels):
            b = QToolButton(self)
            b.setCheckable(True)
            b.setFocusPolicy(Qt.NoFocus)
            b.setObjectName(f"level_{lv.key}")
            pts = rubric.points_for_level(criterion, lv.key)
            b.setText(f"{lv.label(lang)}\n{pts:g}")
            b.setToolTip(tr("Key {n}: {label} ({percent:g} % of the maximum)").format(
                n=i + 1, label=lv.label(lang), percent=lv.percent))
            b.setMinimumSize(QSize(64, 44))
            b.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
            b.clicked.connect(lambda _=False, k=lv.key: self._click(k))
            self.group.addButton(b, i)
            grid.addWidget(b, 0, i)
            d = plain(QLabel(criterion.describe_level(lv.key, lang), self))
            d.setWordWrap(True)
            d.setAlignment(Qt.AlignTop | Qt.AlignLeft)
            d.setObjectName("levelDescription")
            d.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)
            self.descriptions[lv.key] = d
            grid.addWidget(d, 1, i)
            grid.setColumnStretch(i, 1)
            self.buttons[lv.key] = b

    def _click(self, key: str) -> None:
        self.setFocus(Qt.MouseFocusReason)
        self.picked.emit(None if key == self.key else key)

    def _name(self) -> None:
        """What a screen reader says: the criterion, the level chosen, and the keys."""
        chosen = self._labels.get(self.key) if self.key else tr("not scored")
        self.setAccessibleName(tr("{criterion}: {level}").format(criterion=self._criterion_name, level=chosen))
        self.setAccessibleDescription(tr("Keys 1–{n} pick a level, 0 clears, arrows move between levels").format(
            n=len(self.levels)))

    def set_level(self, key: str | None) -> None:
        self.key = key
        self._name()
        for k, b in self.buttons.items():
            b.setChecked(k == key)
            self.descriptions[k].setProperty("selected", k == key)
            self.descriptions[k].style().unpolish(self.descriptions[k])
            self.descriptions[k].style().polish(self.descriptions[k])

    def keyPressEvent(self, event) -> None:  # noqa: N802
        text = event.text()
        if text.isdigit() and text != "0":
            n = int(text)
            if 1 <= n <= len(self.levels):
                self.picked.emit(self.levels[n - 1].key)
                return
        if text == "0" or event.key() in (Qt.Key_Delete, Qt.Key_Backspace):
            if self.key is not None:
                self.picked.emit(None)
            return
        if event.key() in (Qt.Key_Left, Qt.Key_Right):
            keys = [lv.key for lv in self.levels]
            i = keys.index(self.key) if self.key in keys else -1
            i = max(0, i - 1) if event.key() == Qt.Key_Left else min(len(keys) - 1, i + 1)
            self.picked.emit(keys[i])
            return
        super().keyPressEvent(event)


class PointsPicker(QDoubleSpinBox):
    """Points from 0 to the criterion's maximum; the blank value (—) means not scored."""

    picked = Signal(object)  # points or None

    def __init__(self, criterion, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("pointsPicker")
        self.setDecimals(1)
        self.setSingleStep(0.5)
        self.setRange(-0.5, criterion.max_points)
        self.setSpecialValueText("—")
        self.setSuffix(tr(" pts"))
        self.setButtonSymbols(QAbstractSpinBox.UpDownArrows)
        self.setKeyboardTracking(True)
        self.setMinimumWidth(120)
        self.setToolTip(tr("Type the points (0–{max:g}); Delete leaves it blank").format(max=criterion.max_points))
        self._quiet = False
        self.valueChanged.connect(self._changed)

    def focusInEvent(self, event) -> None:  # noqa: N802
        super().focusInEvent(event)
        self.selectAll()

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if event.key() in (Qt.Key_Delete, Qt.Key_Backspace) and self.lineEdit().selectedText() == self.text():
            self.setValue(self.minimum())
            return
        super().keyPressEvent(event)

    def _changed(self, value: float) -> None:
        if not self._quiet:
            self.picked.emit(None if value < 0 else float(value))

    def set_points(self, points: float | None) -> None:
        self._quiet = True
        self.setValue(-0.5 if points is None else points)
        self._quiet = False


class CriterionRow(QFrame):
    def __init__(self, form: ScoringForm, rubric, criterion) -> None:
        super().__init__(form)
        self.setObjectName(f"criterion_{criterion.code}")
        self.setProperty("criterionRow", True)
        self.criterion = criterion
        lang = language()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 8, 10, 8)
        head = QHBoxLayout()
        name = QLabel(f"<b>{_esc(criterion.name(lang))}</b>", self)
        head.addWidget(name, 1)
        badges = [tr("max {points:g} pts").format(points=criterion.max_points)]
        if criterion.weight != 1:
            badges.append(tr("weight {w:g}").format(w=criterion.weight))
        if criterion.field_check:
            badges.append(tr("field check"))
        if not criterion.required:
            badges.append(tr("optional"))
        self.badge = QLabel(" · ".join(badges), self)
        self.badge.setObjectName("muted")
        head.addWidget(self.badge)
        lay.addLayout(head)
        if criterion.help(lang):
            h = plain(QLabel(criterion.help(lang), self))
            h.setWordWrap(True)
            h.setObjectName("muted")
            lay.addWidget(h)
        if criterion.scoring == "levels":
            self.picker: LevelPicker | PointsPicker = LevelPicker(rubric, criterion, self)
        else:
            self.picker = PointsPicker(criterion, self)
            self.picker.setAccessibleName(tr("Points for {criterion} (0–{max:g})").format(
                criterion=criterion.name(lang), max=criterion.max_points))
        lay.addWidget(self.picker)
        crow = QHBoxLayout()
        comment_label = QLabel(tr("Comment"), self)
        crow.addWidget(comment_label)
        self.comment = QLineEdit(self)
        self.comment.setObjectName(f"comment_{criterion.code}")
        comment_label.setBuddy(self.comment)
        self.comment.setAccessibleName(tr("Comment on {criterion}").format(criterion=criterion.name(lang)))
        self.comment.setPlaceholderText(tr("Evidence seen on the visit, or why this level"))
        crow.addWidget(self.comment, 1)
        lay.addLayout(crow)
        self.picker.picked.connect(lambda v: form.user_set_value(criterion.code, v))
        self.comment.textEdited.connect(lambda text: form.user_set_comment(criterion.code, text))

    def show_value(self, level: str | None, points: float | None) -> None:
        if isinstance(self.picker, LevelPicker):
            self.picker.set_level(level)
        else:
            self.picker.set_points(points)

    def show_comment(self, text: str) -> None:
        if self.comment.text() != text:
            self.comment.setText(text)

    def set_locked(self, locked: bool) -> None:
        """Finalised: the level can no longer change, the comment reads as plain text."""
        if isinstance(self.picker, PointsPicker):
            self.picker.setReadOnly(locked)
        else:
            self.picker.setEnabled(not locked)
        self.comment.setReadOnly(locked)

    def set_missing(self, missing: bool) -> None:
        if self.property("missing") != missing:
            self.setProperty("missing", missing)
            self.style().unpolish(self)
            self.style().polish(self)


def _required(text: str, required: bool) -> str:
    """A label with the required mark (the rubric requires the field before finalising)."""
    return f"{text} *" if required else text


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _button(text: str, name: str, slot, parent: QWidget) -> QPushButton:
    button = QPushButton(text, parent)
    button.setObjectName(name)
    button.clicked.connect(slot)
    return button


class VisitTimeEdit(QDateTimeEdit):
    """The visit's date and time.  Tab walks its parts, then goes on; while it says "not recorded" it
    has no parts to walk, and Qt's own date edit then kept Tab in it for good."""

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802, A002 - Qt's names
        if self.dateTime() == self.minimumDateTime():
            return QWidget.focusNextPrevChild(self, next)
        return super().focusNextPrevChild(next)


class VisitLogBox(QGroupBox):
    """The visit log: date and time (Now fills it in), attendees, the rubric's checklist, notes."""

    def __init__(self, form: ScoringForm, rubric, parent: QWidget) -> None:
        super().__init__(tr("Visit log"), parent)
        self.setObjectName("visitBox")
        self.rubric = rubric
        grid = QGridLayout(self)
        when = QLabel(_required(tr("Visited at"), rubric.visit_date_required), self)
        grid.addWidget(when, 0, 0)
        grid.addLayout(self._time_row(form), 0, 1)
        when.setBuddy(self.visited_at)
        who = QLabel(_required(tr("Attendees"), rubric.attendees_required), self)
        grid.addWidget(who, 1, 0)
        self.attendees = QLineEdit(self)
        self.attendees.setObjectName("attendees")
        self.attendees.setPlaceholderText(tr("Who was there (names or roles)"))
        self.attendees.textEdited.connect(lambda text: form.user_set_visit("attendees", text))
        who.setBuddy(self.attendees)
        grid.addWidget(self.attendees, 1, 1)
        self.checks: dict[str, QCheckBox] = {}
        if rubric.checklist:
            grid.addWidget(QLabel(tr("Checklist"), self), 2, 0, Qt.AlignTop)
            grid.addWidget(self._checklist(form, rubric), 2, 1)
        notes_label = QLabel(tr("Notes"), self)
        grid.addWidget(notes_label, 3, 0, Qt.AlignTop)
        self.notes = QPlainTextEdit(self)
        notes_label.setBuddy(self.notes)
        self.notes.setAccessibleName(tr("Visit notes"))
        self.notes.setObjectName("visitNotes")
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(60)
        self.notes.setUndoRedoEnabled(False)  # the form's undo stack keeps the history (and saves it)
        self.notes.textChanged.connect(lambda: form.user_set_visit("notes", self.notes.toPlainText()))
        grid.addWidget(self.notes, 3, 1)
        grid.setColumnStretch(1, 1)

    def _time_row(self, form: ScoringForm) -> QHBoxLayout:
        self.visited_at = VisitTimeEdit(self)
        self.visited_at.setObjectName("visitedAt")
        self.visited_at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.visited_at.setMinimumDateTime(NOT_RECORDED)
        self.visited_at.setSpecialValueText(tr("not recorded"))
        self.visited_at.setDateTime(NOT_RECORDED)
        self.visited_at.setCalendarPopup(True)
        self.visited_at.dateTimeChanged.connect(lambda _v: form.user_set_visit("visited_at", self.time()))
        now = QPushButton(tr("Now"), self)
        now.setObjectName("visitNow")
        now.setToolTip(tr("Fill in the current date and time"))
        self.now_button = now
        now.clicked.connect(lambda: self.visited_at.setDateTime(QDateTime.currentDateTime()))
        row = QHBoxLayout()
        row.addWidget(self.visited_at)
        row.addWidget(now)
        row.addStretch(1)
        return row

    def _checklist(self, form: ScoringForm, rubric) -> ReflowColumns:
        # two columns where they fit, else one (a long item's text does not wrap)
        grid = ReflowColumns(self)
        grid.setObjectName("checklist")
        for item in rubric.checklist:
            cb = QCheckBox(_required(item.name(language()), item.required), grid)
            cb.setObjectName(f"check_{item.code}")
            cb.toggled.connect(lambda checked, code=item.code: form.user_set_check(code, checked))
            self.checks[item.code] = cb
            grid.add_widget(cb)
        return grid

    def fields(self) -> list[QWidget]:
        return [self.visited_at, self.attendees, *self.checks.values(), self.notes]

    def set_locked(self, locked: bool) -> None:
        self.visited_at.setReadOnly(locked)
        self.now_button.setVisible(not locked)
        self.attendees.setReadOnly(locked)
        self.notes.setReadOnly(locked)
        for cb in self.checks.values():
            cb.setEnabled(not locked)

    def field_for(self, key: str) -> QWidget:
        """The field of a :meth:`~evaluator.rubric.Rubric.visit_missing` key."""
        if key == "visit_date":
            return self.visited_at
        if key == "attendees":
            return self.attendees
        return self.checks.get(key.removeprefix("check:"), self.visited_at)

    def set_missing(self, keys) -> None:
        """Mark the fields the rubric requires and the visit log lacks (cleared by an empty list)."""
        wanted = {self.field_for(k) for k in keys}
        for w in self.fields():
            if bool(w.property("missing")) != (w in wanted):
                w.setProperty("missing", w in wanted)
                w.style().unpolish(w)
                w.style().polish(w)

    def time(self) -> datetime | None:
        """The visit time shown, to the minute (None: not recorded)."""
        when = self.visited_at.dateTime()
        return None if when == NOT_RECORDED else when.toPython().replace(second=0, microsecond=0)

    def values(self) -> dict[str, Any]:
        """What the fields show, in the Draft's shape."""
        return {"visited_at": self.time(), "attendees": self.attendees.text(),
                "checklist": {code: cb.isChecked() for code, cb in self.checks.items()},
                "notes": self.notes.toPlainText()}

    def show_visit(self, visit: dict[str, Any]) -> None:
        """Show the Draft's values; a field that already shows its value is left alone (the one being
        typed in keeps its cursor)."""
        when = visit["visited_at"]
        if self.time() != when:
            self.visited_at.setDateTime(QDateTime(when) if when else NOT_RECORDED)
        if self.attendees.text() != visit["attendees"]:
            self.attendees.setText(visit["attendees"])
        for code, cb in self.checks.items():
            cb.setChecked(bool(visit["checklist"].get(code)))
        if self.notes.toPlainText() != visit["notes"]:
            self.notes.setPlainText(visit["notes"])
            self.notes.moveCursor(QTextCursor.End)


# --------------------------------------------------------------------------------------------------
# Undo commands (Orange canvas style): thin, they set the new or old value on the Draft, which
# redraws the form and queues the save. No widget in here, so they are tested on a bare Draft.
class ScoreCommand(QUndoCommand):
    """A criterion's (level, points)."""

    POINTS_ID = 0x5C1

    def __init__(self, draft: Draft, code: str, old, new, text: str, *, typed: bool = False) -> None:
        super().__init__(text)
        self.draft, self.code, self.old, self.new = draft, code, old, new
        self.typed = typed  # points typed digit by digit merge into one step

    def id(self) -> int:
        return self.POINTS_ID if self.typed else -1

    def mergeWith(self, other) -> bool:  # noqa: N802
        if not isinstance(other, ScoreCommand) or not other.typed or other.code != self.code:
            return False
        self.new = other.new
        self.setText(other.text())
        return True

    def redo(self) -> None:
        self.draft.set_score(self.code, *self.new)

    def undo(self) -> None:
        self.draft.set_score(self.code, *self.old)


class CommentCommand(QUndoCommand):
    """A criterion's comment; a burst of typing in one comment is one step."""

    ID = 0x5C0

    def __init__(self, draft: Draft, code: str, old: str, new: str) -> None:
        super().__init__(tr("Edit comment"))
        self.draft, self.code, self.old, self.new = draft, code, old, new

    def id(self) -> int:
        return self.ID

    def mergeWith(self, other) -> bool:  # noqa: N802
        if not isinstance(other, CommentCommand) or other.code != self.code:
            return False
        self.new = other.new
        return True

    def redo(self) -> None:
        self.draft.set_comment(self.code, self.new)

    def undo(self) -> None:
        self.draft.set_comment(self.code, self.old)


class VisitCommand(QUndoCommand):
    """The visit time, the attendees or the notes; a burst of typing in one field is one step."""

    ID = 0x5C2

    def __init__(self, draft: Draft, name: str, old, new) -> None:
        super().__init__({"visited_at": tr("Edit the visit time"), "attendees": tr("Edit the attendees"),
                          "notes": tr("Edit the visit notes")}[name])
        self.draft, self.name, self.old, self.new = draft, name, old, new

    def id(self) -> int:
        return self.ID

    def mergeWith(self, other) -> bool:  # noqa: N802
        if not isinstance(other, VisitCommand) or other.name != self.name:
            return False
        self.new = other.new
        return True

    def redo(self) -> None:
        self.draft.set_visit(self.name, self.new)

    def undo(self) -> None:
        self.draft.set_visit(self.name, self.old)


class CheckCommand(QUndoCommand):
    """One checklist item ticked or cleared (each click is one step)."""

    def __init__(self, draft: Draft, item: str, old: bool, new: bool, name: str) -> None:
        super().__init__((tr("Tick {item}") if new else tr("Untick {item}")).format(item=name))
        self.draft, self.item, self.old, self.new = draft, item, old, new

    def redo(self) -> None:
        self.draft.set_check(self.item, self.new)

    def undo(self) -> None:
        self.draft.set_check(self.item, self.old)


class UndoKeys(QObject):
    """Ctrl+Z / Ctrl+Shift+Z in the form's text fields undo and redo the form's edits. A text field
    would otherwise take the keys for its own private history, behind the form's back."""

    def __init__(self, stack: QUndoStack, parent: QObject) -> None:
        super().__init__(parent)
        self.stack = stack

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if event.type() not in (QEvent.ShortcutOverride, QEvent.KeyPress):
            return False
        for keys, act in ((QKeySequence.Undo, self.stack.undo), (QKeySequence.Redo, self.stack.redo)):
            if event.matches(keys):
                if event.type() == QEvent.KeyPress:  # the override is claimed so that the press comes here
                    act()
                event.accept()
                return True
        return False


# --------------------------------------------------------------------------------------------------
class ScoringForm(QWidget):
    """The form; ``closed`` asks the owner to go back (e.g. to Today)."""

    closed = Signal()
    loaded = Signal()
    saved = Signal()

    def __init__(self, ctx, application_id: str, evaluator: str, parent=None, *, show_back: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("scoringForm")
        self.ctx = ctx
        self.application_id = application_id
        self.evaluator = evaluator
        self.draft = Draft(application_id, evaluator, saver=self._submit_save)
        self.draft.on_change(self._draft_changed)
        self.undo_stack = QUndoStack(self)
        self.rubric = None
        self.info = None
        self.rows: dict[str, CriterionRow] = {}
        self.state = "draft"
        self.abstained = False
        self.started = False
        self.saves_in_flight = 0
        self._show_back = show_back
        self._loading = False
        self._redrawing = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self._header = QFrame(self)
        self._header.setObjectName("formHeader")
        outer.addWidget(self._header)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.NoFrame)
        outer.addWidget(self.scroll, 1)
        self._build_header()
        QShortcut(QKeySequence("Ctrl+Return"), self, self.ask_finalise)
        QShortcut(QKeySequence("Ctrl+Enter"), self, self.ask_finalise)
        if show_back:
            QShortcut(QKeySequence("Alt+Left"), self, self.closed.emit)
        self.reload()

    # --- building ---------------------------------------------------------------------------------
    def _build_header(self) -> None:
        lay = QHBoxLayout(self._header)
        lay.setContentsMargins(12, 8, 12, 8)
        if self._show_back:
            back = QPushButton(tr("← Back"), self._header)
            back.setObjectName("backButton")
            back.setToolTip(tr("Back to the list (Alt+Left). Everything is already saved."))
            back.setFocusPolicy(Qt.NoFocus)
            back.clicked.connect(self.closed.emit)
            lay.addWidget(back)
        self.title = QLabel("…", self._header)
        self.title.setObjectName("formTitle")
        self.title.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)
        self.title.setWordWrap(True)
        lay.addWidget(self.title, 1)
        self.state_label = QLabel("", self._header)
        self.state_label.setObjectName("stateBadge")
        lay.addWidget(self.state_label)
        self.total_label = QLabel("", self._header)
        self.total_label.setObjectName("totalLabel")
        lay.addWidget(self.total_label)
        self.saved_label = QLabel("", self._header)
        self.saved_label.setObjectName("savedLabel")
        lay.addWidget(self.saved_label)

    def reload(self) -> None:
        app_id, ev = self.application_id, self.evaluator
        # the contact data a kit carried for the visit is shown on the laptop, and that view is in its
        # access log (once per opening of the form); the office types paper sheets without it
        first_view = self.ctx.is_field and not getattr(self, "_contact_viewed", False)
        self._contact_viewed = True

        def load(st):
            app = st.applications.get(app_id)
            if first_view and any((app.representative, app.phone, app.email, app.address)):
                app = st.privacy.view_application(app_id).value
            return {
                "app": app,
                "rubric": st.programs.rubric(app.track),
                "evaluation": st.scoring.evaluation(app_id, ev),
                "visit": st.scoring.visit(app_id, ev),
                "photos": photo_thumbnails(st, app_id, ev),
            }

        self.ctx.query(load, self._loaded, parent=self).run_in_background()

    def _loaded(self, data: dict) -> None:
        self._loading = True
        try:
            self.app = data["app"]
            self.rubric = data["rubric"]
            self.info = data["evaluation"]
            self.undo_stack.clear()
            self._build_body()
            self._apply_evaluation(self.info)
            self._apply_visit(data["visit"])
            self._show_photos(data["photos"])
        finally:
            self._loading = False
        self._focus_first_open_field()
        self.loaded.emit()

    def _focus_first_open_field(self) -> None:
        """Keyboard first: start where the work is (the visit time, else the first unscored criterion)."""
        if self.state == FINALISED:
            self.reopen_btn.setFocus(Qt.OtherFocusReason)
            return
        if self.draft.visit.get("visited_at") is None:
            self.visited_at.setFocus(Qt.OtherFocusReason)
            return
        pts = self.points()
        code = next((c.code for c in self.rubric.criteria if pts.get(c.code) is None), None)
        target = self.rows[code].picker if code else self.finalise_btn
        target.setFocus(Qt.OtherFocusReason)
        self.scroll.ensureWidgetVisible(target)

    def _build_body(self) -> None:
        """The scrolling part, top to bottom: summary, visit log, criteria, photos, actions."""
        self._show_title()
        body = QWidget()
        body.setObjectName("formBody")
        lay = QVBoxLayout(body)
        lay.setContentsMargins(12, 6, 12, 12)
        lay.setSpacing(10)
        lay.addWidget(self._build_summary(body))
        self.visit_box = VisitLogBox(self, self.rubric, body)
        box = self.visit_box  # its fields, reachable from the form as before
        self.visited_at, self.attendees, self.checks, self.notes = box.visited_at, box.attendees, box.checks, box.notes
        lay.addWidget(self.visit_box)
        lay.addWidget(self._build_abstain_banner(body))
        lay.addWidget(self._build_criteria(body))
        lay.addWidget(self._build_photos(body))
        lay.addLayout(self._build_actions(body))
        lay.addStretch(1)
        old = self.scroll.takeWidget()
        if old is not None:
            old.deleteLater()
        self.scroll.setWidget(body)
        self._wire_keys(body)

    def _wire_keys(self, body: QWidget) -> None:
        """Ctrl+Z in every field undoes the form's last edit; Tab walks the visit fields, then each
        criterion's picker and comment, then the buttons."""
        fields = self.visit_box.fields() + [w for row in self.rows.values() for w in (row.picker, row.comment)]
        keys = UndoKeys(self.undo_stack, body)
        for w in fields:
            w.installEventFilter(keys)
        # the Now button right after the time it fills (a keyboard had no other way to it)
        chain = fields[:1] + [self.visit_box.now_button] + fields[1:] + [
            self.photo_list, self.add_photo_btn, self.remove_photo_btn, self.abstain_btn, self.reopen_btn,
            self.finalise_btn]
        for a, b in zip(chain, chain[1:]):
            QWidget.setTabOrder(a, b)

    def _show_title(self) -> None:
        app = self.app
        self.title.setText(
            f"<b>{_esc(app.id)}</b> · {_esc(app.title)}<br><span style='font-size:small'>"
            f"{_esc(app.group_name)} · {_esc(app.district)} · {_esc(track_label(self.ctx, app.track))}</span>")

    def _build_summary(self, parent: QWidget) -> QGroupBox:
        app = self.app
        box = QGroupBox(tr("Application"), parent)
        grid = QGridLayout(box)
        shown = self.ctx.is_field  # (see reload: the office does not need the contact data to type scores in)

        def personal(value: str) -> str:
            return value if shown or not value else tr("(withheld: personal data)")

        facts = [
            (tr("Group name"), app.group_name), (tr("Representative"), personal(app.representative)),
            (tr("Category"), category_label(self.ctx, app.category)),
            (tr("District"), " ".join(x for x in (app.district, app.neighbourhood) if x)),
            (tr("Address"), personal(app.address)), (tr("Members"), "" if app.members is None else str(app.members)),
            (tr("Requested (KRW)"), fmt_amount(app.requested_amount)),
            (tr("Self-contribution (KRW)"), fmt_amount(app.self_contribution)),
            (tr("Submitted on"), app.submitted_on.isoformat() if app.submitted_on else ""),
        ]
        facts = [(k, v) for k, v in facts if v]
        for i, (k, v) in enumerate(facts):
            key = plain(QLabel(k, box))
            key.setObjectName("muted")
            value = plain(QLabel(v, box))
            value.setTextInteractionFlags(Qt.TextSelectableByMouse)
            grid.addWidget(key, i // 2, (i % 2) * 2)
            grid.addWidget(value, i // 2, (i % 2) * 2 + 1)
        if app.summary:
            s = plain(QLabel(app.summary, box))
            s.setWordWrap(True)
            grid.addWidget(s, (len(facts) + 1) // 2, 0, 1, 4)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        return box

    def _build_abstain_banner(self, parent: QWidget) -> QLabel:
        self.abstain_banner = plain(QLabel("", parent))
        self.abstain_banner.setObjectName("banner")
        self.abstain_banner.setWordWrap(True)
        self.abstain_banner.hide()
        return self.abstain_banner

    def _build_criteria(self, parent: QWidget) -> QGroupBox:
        rubric, lang = self.rubric, language()
        box = QGroupBox(tr("Scores — {rubric} (version {version})").format(
            rubric=rubric.name(lang), version=rubric.version), parent)
        lay = QVBoxLayout(box)
        hint = QLabel(tr("Keys: 1–5 pick a level (1 = {top}), 0 clears, Tab moves on, Ctrl+Z undoes, "
                         "Ctrl+Enter finalises. Every change is saved at once.").format(
            top=rubric.levels[0].label(lang) if rubric.levels else "1"), box)
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        lay.addWidget(hint)
        self.rows = {}
        for c in rubric.criteria:
            self.rows[c.code] = CriterionRow(self, rubric, c)
            lay.addWidget(self.rows[c.code])
        self.criteria_box = box
        return box

    def _build_photos(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox(tr("Photos"), parent)
        lay = QVBoxLayout(box)
        self.photo_list = QListWidget(box)
        self.photo_list.setObjectName("photoList")
        self.photo_list.setViewMode(QListWidget.IconMode)
        self.photo_list.setIconSize(QSize(160, 120))
        self.photo_list.setFixedHeight(160)
        lay.addWidget(self.photo_list)
        QShortcut(QKeySequence.Delete, self.photo_list, self.remove_photo, context=Qt.WidgetShortcut)
        self.add_photo_btn = _button(tr("Attach photos…"), "attachPhotos", self.attach_photos, box)
        self.remove_photo_btn = _button(tr("Remove photo"), "removePhoto", self.remove_photo, box)
        self.remove_photo_btn.setEnabled(False)
        row = QHBoxLayout()
        row.addWidget(self.add_photo_btn)
        row.addWidget(self.remove_photo_btn)
        row.addStretch(1)
        lay.addLayout(row)
        return box

    def _build_actions(self, parent: QWidget) -> QHBoxLayout:
        self.abstain_btn = _button(tr("Abstain…"), "abstainButton", self.ask_abstain, parent)
        self.reopen_btn = _button(tr("Reopen…"), "reopenButton", self.ask_reopen, parent)
        self.finalise_btn = _button(tr("Finalise…"), "finaliseButton", self.ask_finalise, parent)
        self.finalise_btn.setToolTip(tr("Lock this evaluation (Ctrl+Enter)"))
        row = QHBoxLayout()
        row.addWidget(self.abstain_btn)
        row.addStretch(1)
        row.addWidget(self.reopen_btn)
        row.addWidget(self.finalise_btn)
        return row

    # --- showing core state -----------------------------------------------------------------------
    def _apply_evaluation(self, info) -> None:
        self.info = info
        values = {c.code: (None, None, "") for c in self.rubric.criteria}
        if info is not None:
            for sv in info.scores:
                values[sv.criterion] = (sv.level, sv.points, sv.comment or "")
        self.draft.load_scores(values)
        self.state = info.state if info is not None else "draft"
        self.started = info is not None
        self.abstained = bool(info and info.abstained)
        self._update_state()
        self._update_total()

    def _apply_visit(self, visit: dict | None) -> None:
        v = visit or {}
        when = v.get("visited_at")
        checklist = v.get("checklist") or {}
        self.draft.load_visit({
            "visited_at": when.replace(second=0, microsecond=0) if when else None,  # shown to the minute
            "attendees": v.get("attendees") or "",
            "checklist": {item.code: bool(checklist.get(item.code)) for item in self.rubric.checklist},
            "notes": v.get("notes") or "",
        })

    def _draft_changed(self, key: str) -> None:
        """Redraw what the Draft holds, whoever changed it (an edit, an undo, a redo, a load)."""
        if self.rubric is None:
            return
        self._redrawing = True  # the widgets' change signals are not user edits
        try:
            if key == VISIT:
                self.visit_box.show_visit(self.draft.visit)
            elif key in self.rows:
                level, points, comment = self.draft.score(key)
                self.rows[key].show_value(level, points)
                self.rows[key].show_comment(comment)
                self._update_total()
        finally:
            self._redrawing = False

    def _update_state(self) -> None:
        finalised = self.state == FINALISED
        if finalised:
            when = self.info.finalised_at.strftime("%Y-%m-%d %H:%M") if self.info and self.info.finalised_at else ""
            self.state_label.setText(tr("Finalised {when}").format(when=when).strip())
        elif not self.started:
            self.state_label.setText(tr("Not started"))
        else:
            self.state_label.setText(tr("Draft"))
        self.state_label.setProperty("state", self.state)
        self.state_label.style().unpolish(self.state_label)
        self.state_label.style().polish(self.state_label)
        # a finalised evaluation is read-only, not disabled: its comments and visit log stay readable
        for row in self.rows.values():
            row.set_locked(finalised)
        self.visit_box.set_locked(finalised)
        self.add_photo_btn.setEnabled(not finalised)
        self.remove_photo_btn.setEnabled(not finalised and self.photo_list.count() > 0)
        self.abstain_btn.setEnabled(not finalised)
        self.finalise_btn.setVisible(not finalised)
        self.reopen_btn.setVisible(finalised)
        self.abstain_btn.setText(tr("Withdraw abstention…") if self.abstained else tr("Abstain…"))
        if self.abstained:
            reason = self.info.abstain_reason if self.info else ""
            self.abstain_banner.setText(tr("You abstained from this evaluation: {reason}. It will not count in "
                                           "the ranking; you can still finalise it.").format(reason=reason))
        self.abstain_banner.setVisible(self.abstained)

    def points(self) -> dict[str, float | None]:
        out: dict[str, float | None] = {}
        for c in self.rubric.criteria:
            level, points, _ = self.draft.scores.get(c.code, (None, None, ""))
            if c.scoring == "levels":
                out[c.code] = None if level is None else self.rubric.points_for_level(c, level)
            else:
                out[c.code] = points
        return out

    def missing(self) -> list:
        return self.rubric.missing(self.points())

    def _update_total(self) -> None:
        pts = self.points()
        total = self.rubric.total(pts)
        missing = self.rubric.missing(pts)
        if total is None:
            # the running total as criteria are scored, and how many are left
            self.total_label.setText(tr("Total so far: {total:.1f} / 100 (%n criteria to score)", "",
                                        len(missing)).format(total=self.rubric.subtotal(pts)))
        else:
            self.total_label.setText(tr("Total: {total:.1f} / 100").format(total=total))
        self.total_label.setAccessibleName(self.total_label.text())
        for code, row in self.rows.items():
            row.set_missing(False)

    def _set_saved_text(self) -> None:
        if self.saves_in_flight:
            self.saved_label.setText(tr("Saving…"))
        else:
            self.saved_label.setText(tr("All changes saved {time}").format(time=datetime.now().strftime("%H:%M:%S")))

    # --- user edits: each becomes an undo command on the Draft ------------------------------------
    def _editable(self) -> bool:
        return not (self._loading or self._redrawing or self.state == FINALISED)

    def user_set_value(self, code: str, value) -> None:
        if not self._editable():
            return
        c = self.rubric.criterion(code)
        level, points, _ = self.draft.score(code)
        old = (level, points)
        if c.scoring == "levels":
            new = (value, None if value is None else self.rubric.points_for_level(c, value))
            if new[0] == old[0]:
                return
            label = self.rubric.level(value).label(language()) if value else tr("blank")
        else:
            new = (None, value)
            if new[1] == old[1]:
                return
            label = "—" if value is None else f"{value:g}"
        self.undo_stack.push(ScoreCommand(self.draft, code, old, new, tr("Score {criterion}: {value}").format(
            criterion=c.name(language()), value=label), typed=c.scoring != "levels"))

    def user_set_comment(self, code: str, text: str) -> None:
        if not self._editable():
            return
        old = self.draft.score(code)[2]
        if old != text:
            self.undo_stack.push(CommentCommand(self.draft, code, old, text))

    def user_set_visit(self, name: str, value) -> None:
        """The visit time, the attendees or the notes changed in the form."""
        if not self._editable():
            return
        old = self.draft.visit[name]
        if value == old:
            return
        if name == "visited_at" and (old is None or value is None):
            # The core keeps a visit time once recorded (saving "not recorded" changes nothing), so the
            # first one is not an undo step and the field cannot go back to "not recorded".
            if value is None:
                self._draft_changed(VISIT)
            else:
                self.draft.set_visit(name, value)
            return
        self.undo_stack.push(VisitCommand(self.draft, name, old, value))

    def user_set_check(self, item: str, checked: bool) -> None:
        if not self._editable():
            return
        old = bool(self.draft.visit["checklist"].get(item))
        if checked != old:
            name = next(i.name(language()) for i in self.rubric.checklist if i.code == item)
            self.undo_stack.push(CheckCommand(self.draft, item, old, checked, name))

    # --- saving -----------------------------------------------------------------------------------
    def _submit_save(self, key: str) -> None:
        """The Draft's saver: one save job for ``key``, which takes the newest values when it runs."""
        draft = self.draft

        def save(st):
            value = draft.take(key)
            if key == VISIT:
                if value.get("visited_at") is None:  # not recorded yet: leave the field alone
                    value = {k: v for k, v in value.items() if k != "visited_at"}
                return st.scoring.save_visit(draft.application_id, draft.evaluator, **value)
            level, points, comment = value
            return st.scoring.save_score(draft.application_id, draft.evaluator, key, level=level, points=points,
                                         comment=comment)

        self.saves_in_flight += 1
        self._set_saved_text()
        (self.ctx.write(save, self._saved, parent=self)
         .failure(self._save_failed).finally_(self._save_done).run_in_background())

    def _saved(self, result) -> None:
        if not self.started:  # the first save created the evaluation
            self.started = True
            self._update_state()
        self.saved.emit()

    def _save_done(self) -> None:
        self.saves_in_flight -= 1
        self._set_saved_text()

    def _save_failed(self, exc: BaseException) -> None:
        from ..errors import show_error

        show_error(self, exc)
        self.reload()

    def flush(self) -> None:
        """Make sure what the fields show is in the Draft and queued (called before the form goes away)."""
        if self._loading or self.rubric is None or self.state == FINALISED:
            return
        for code, row in self.rows.items():
            self.user_set_comment(code, row.comment.text())
        shown = self.visit_box.values()
        for name in ("visited_at", "attendees", "notes"):
            self.user_set_visit(name, shown[name])
        for item, checked in shown["checklist"].items():
            self.user_set_check(item, checked)

    # --- abstain, finalise, reopen ----------------------------------------------------------------
    def ask_abstain(self) -> None:
        if self.state == FINALISED:
            return
        app_id, ev = self.application_id, self.evaluator
        if self.abstained:
            if not dialogs.confirm(self, tr("Withdraw abstention"),
                                   tr("Withdraw your abstention and score this application again?")):
                return
            op = lambda st: st.scoring.abstain(app_id, ev, "", withdraw=True)  # noqa: E731
        else:
            reason = dialogs.text(self, tr("Abstain"), tr("Why do you abstain from evaluating this application? "
                                                          "(The reason goes in the audit trail.)"))
            if reason is None:
                return
            op = lambda st: st.scoring.abstain(app_id, ev, reason)  # noqa: E731
        self.flush()
        self.ctx.write(op, lambda _v: self.reload(), parent=self).run_in_background()

    def ask_finalise(self) -> None:
        if self.rubric is None or self.state == FINALISED:
            return
        self.flush()
        app_id, ev = self.application_id, self.evaluator
        self.ctx.query(lambda st: st.scoring.evaluation(app_id, ev), self._confirm_finalise, parent=self).run_in_background()

    def _confirm_finalise(self, info) -> None:
        lang = language()
        missing_codes = list(info.missing) if info is not None else [c.code for c in self.rubric.criteria
                                                                       if c.required]
        abstained = bool(info and info.abstained)
        optional_blank = [c for c in self.rubric.criteria if not c.required and self.points().get(c.code) is None]
        visit_missing = list(getattr(info, "visit_missing", ()) or ()) if info is not None else \
            self.rubric.visit_missing(self.draft.visit)
        if (missing_codes or visit_missing) and not abstained:
            names = [f"• {self.rubric.criterion(c).name(lang)}" for c in missing_codes]
            names += [f"• {tr('Visit log')}: {self.rubric.visit_requirement_name(k, lang)}" for k in visit_missing]
            for code in missing_codes:
                self.rows[code].set_missing(True)
            self.visit_box.set_missing(visit_missing)
            dialogs.inform(self, tr("Finalise"),
                           tr("%n required items are missing; complete them before finalising:", "",
                              len(names)), "\n".join(names))
            target = self.visit_box.field_for(visit_missing[0]) if visit_missing else \
                self.rows[missing_codes[0]].picker
            target.setFocus(Qt.OtherFocusReason)
            self.scroll.ensureWidgetVisible(target)
            return
        details = [tr("After finalising, the evaluation is locked; reopening it needs a reason that goes in the "
                      "audit trail.")]
        if optional_blank:
            details.append(tr("Optional criteria left blank: {names}").format(
                names=", ".join(c.name(lang) for c in optional_blank)))
        if abstained:
            details.append(tr("You abstained: this evaluation will not count in the ranking."))
        total = self.rubric.total(self.points())
        message = tr("Finalise the evaluation of {app}?").format(app=self.application_id)
        if total is not None and not abstained:
            message += " " + tr("Total: {total:.1f} / 100").format(total=total)
        if not dialogs.confirm(self, tr("Finalise"), message, "\n\n".join(details)):
            return
        app_id, ev = self.application_id, self.evaluator
        self.ctx.write(lambda st: st.scoring.finalise(app_id, ev), self._finalised, parent=self).run_in_background()

    def _finalised(self, info) -> None:
        self.undo_stack.clear()
        self._apply_evaluation(info)
        self.ctx.status_message(tr("Evaluation of {app} finalised.").format(app=self.application_id))

    def ask_reopen(self) -> None:
        if self.state != FINALISED:
            return
        reason = dialogs.text(self, tr("Reopen"), tr("Why must this finalised evaluation change? "
                                                     "(The reason goes in the audit trail.)"))
        if reason is None:
            return
        app_id, ev = self.application_id, self.evaluator
        self.ctx.write(lambda st: st.scoring.reopen(app_id, ev, reason), lambda _v: self.reload(), parent=self).run_in_background()

    # --- photos -----------------------------------------------------------------------------------
    def attach_photos(self) -> None:
        paths = dialogs.open_files(self.ctx, self, tr("Attach photos"),
                                   tr("Images (*.jpg *.jpeg *.png *.heic *.webp);;All files (*)"))
        if not paths:
            return
        app_id, ev = self.application_id, self.evaluator

        def add(st):
            changes = NOTHING
            for p in paths:
                changes |= st.scoring.add_attachment(app_id, ev, Path(p)).changes
            return Outcome(photo_thumbnails(st, app_id, ev), changes)

        self.ctx.write(add, self._show_photos, parent=self).run_in_background()

    def remove_photo(self) -> None:
        item = self.photo_list.currentItem()
        if item is None or self.state == FINALISED:
            return
        uuid = item.data(Qt.UserRole)
        if not dialogs.confirm(self, tr("Remove photo"), tr("Remove {name} from this evaluation?").format(
                name=item.text())):
            return
        app_id, ev = self.application_id, self.evaluator

        def remove(st):
            removed = st.scoring.remove_attachment(uuid)
            return Outcome(photo_thumbnails(st, app_id, ev), removed.changes)

        self.ctx.write(remove, self._show_photos, parent=self).run_in_background()

    def _show_photos(self, photos) -> None:
        fill_photo_list(self.photo_list, photos)
        self.remove_photo_btn.setEnabled(bool(photos) and self.state != FINALISED)


def photo_thumbnails(st, application_id: str, evaluator: str) -> list:
    """Runs on the worker: the evaluation's photos with small thumbnails (decoding happens here,
    not on the GUI thread; QImage is safe outside it)."""
    out = []
    for info in st.scoring.attachments(application_id, evaluator=evaluator):
        image = None
        if info.media_type.startswith("image/"):
            img = QImage.fromData(st.scoring.attachment_data(info.uuid))
            if not img.isNull():
                image = img.scaled(160, 120, Qt.KeepAspectRatio, Qt.SmoothTransformation)
        out.append((info, image))
    return out
