"""The visit and scoring form: one application, one evaluator.

* Every change is saved at once (no Save button): each criterion, comment and visit field is synced
  to the core on the worker as soon as it changes.  Saves are coalesced per field: while one save of
  a criterion waits in the queue, newer keystrokes ride along with it, so typing never floods the
  worker and the last value always lands.
* Undo/redo: thin ``QUndoCommand`` s that set the new/old value and save it (Orange canvas style).
* Keyboard first: Tab walks visit fields → each criterion's level picker → its comment → the next
  criterion; in a picker the digits 1–5 pick 수/우/미/양/가 (0 or Delete clears); Ctrl+Enter finalises.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDateTime, QSize, Qt, Signal
from PySide6.QtGui import QImage, QKeySequence, QPixmap, QShortcut, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractSpinBox, QButtonGroup, QCheckBox, QDateTimeEdit, QDoubleSpinBox, QFrame, QGridLayout, QGroupBox,
    QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit, QPushButton, QScrollArea,
    QSizePolicy, QToolButton, QVBoxLayout, QWidget,
)

from evaluator.changes import NOTHING, Outcome
from evaluator.domain import FINALISED

from .. import dialogs

from ..i18n import language, tr
from ..labels import category_label, track_label
from ..models import fmt_amount
from ..widgets import plain

NOT_RECORDED = QDateTime(datetime(2000, 1, 1, 0, 0))


# --------------------------------------------------------------------------------------------------
@dataclass
class Draft:
    """The form's values as plain data, shared with save jobs on the worker (never widgets)."""

    application_id: str
    evaluator: str
    #: criterion -> (level, points, comment)
    scores: dict[str, tuple[str | None, float | None, str]] = field(default_factory=dict)
    visit: dict[str, Any] = field(default_factory=dict)
    queued: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def mark_queued(self, key: str) -> bool:
        """True if a save for ``key`` must be queued (none is waiting already)."""
        with self.lock:
            if key in self.queued:
                return False
            self.queued.add(key)
            return True

    def take(self, key: str):
        with self.lock:
            self.queued.discard(key)
            if key == "@visit":
                return dict(self.visit)
            return self.scores.get(key, (None, None, ""))


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

    def set_level(self, key: str | None) -> None:
        self.key = key
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
        lay.addWidget(self.picker)
        crow = QHBoxLayout()
        crow.addWidget(QLabel(tr("Comment"), self))
        self.comment = QLineEdit(self)
        self.comment.setObjectName(f"comment_{criterion.code}")
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

    def set_missing(self, missing: bool) -> None:
        if self.property("missing") != missing:
            self.setProperty("missing", missing)
            self.style().unpolish(self)
            self.style().polish(self)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --------------------------------------------------------------------------------------------------
class ScoreCommand(QUndoCommand):
    POINTS_ID = 0x5C1

    def __init__(self, form: ScoringForm, code: str, old, new, text: str, *, typed: bool = False) -> None:
        super().__init__(text)
        self.form, self.code, self.old, self.new = form, code, old, new
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
        self.form.set_value(self.code, self.new)

    def undo(self) -> None:
        self.form.set_value(self.code, self.old)


class CommentCommand(QUndoCommand):
    ID = 0x5C0

    def __init__(self, form: ScoringForm, code: str, old: str, new: str) -> None:
        super().__init__(tr("Edit comment"))
        self.form, self.code, self.old, self.new = form, code, old, new
        self._first = True

    def id(self) -> int:
        return self.ID

    def mergeWith(self, other) -> bool:  # noqa: N802
        if not isinstance(other, CommentCommand) or other.code != self.code:
            return False
        self.new = other.new
        return True

    def redo(self) -> None:
        self.form.set_comment(self.code, self.new, update_widget=not self._first)
        self._first = False

    def undo(self) -> None:
        self.form.set_comment(self.code, self.old, update_widget=True)


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
        self.draft = Draft(application_id, evaluator)
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

        def load(st):
            app = st.applications.get(app_id)
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
            self._build_body(data)
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

    def _build_body(self, data: dict) -> None:
        app, rubric = self.app, self.rubric
        lang = language()
        self.title.setText(
            f"<b>{_esc(app.id)}</b> · {_esc(app.title)}<br><span style='font-size:small'>"
            f"{_esc(app.group_name)} · {_esc(app.district)} · {_esc(track_label(self.ctx, app.track))}</span>")
        body = QWidget()
        body.setObjectName("formBody")
        lay = QVBoxLayout(body)
        lay.setContentsMargins(12, 6, 12, 12)
        lay.setSpacing(10)

        # summary
        summary = QGroupBox(tr("Application"), body)
        sg = QGridLayout(summary)
        facts = [
            (tr("Group name"), app.group_name), (tr("Representative"), app.representative),
            (tr("Category"), category_label(app.category)),
            (tr("District"), " ".join(x for x in (app.district, app.neighbourhood) if x)),
            (tr("Address"), app.address), (tr("Members"), "" if app.members is None else str(app.members)),
            (tr("Requested (KRW)"), fmt_amount(app.requested_amount)),
            (tr("Self-contribution (KRW)"), fmt_amount(app.self_contribution)),
            (tr("Submitted on"), app.submitted_on.isoformat() if app.submitted_on else ""),
        ]
        facts = [(k, v) for k, v in facts if v]
        for i, (k, v) in enumerate(facts):
            kl = plain(QLabel(k, summary))
            kl.setObjectName("muted")
            vl = plain(QLabel(v, summary))
            vl.setTextInteractionFlags(Qt.TextSelectableByMouse)
            sg.addWidget(kl, i // 2, (i % 2) * 2)
            sg.addWidget(vl, i // 2, (i % 2) * 2 + 1)
        if app.summary:
            s = plain(QLabel(app.summary, summary))
            s.setWordWrap(True)
            sg.addWidget(s, (len(facts) + 1) // 2, 0, 1, 4)
        sg.setColumnStretch(1, 1)
        sg.setColumnStretch(3, 1)
        lay.addWidget(summary)

        # visit log
        visit = QGroupBox(tr("Visit log"), body)
        visit.setObjectName("visitBox")
        vg = QGridLayout(visit)
        vg.addWidget(QLabel(tr("Visited at"), visit), 0, 0)
        self.visited_at = QDateTimeEdit(visit)
        self.visited_at.setObjectName("visitedAt")
        self.visited_at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.visited_at.setMinimumDateTime(NOT_RECORDED)
        self.visited_at.setSpecialValueText(tr("not recorded"))
        self.visited_at.setDateTime(NOT_RECORDED)
        self.visited_at.setCalendarPopup(True)
        self.visited_at.dateTimeChanged.connect(lambda _v: self._visit_changed())
        now_btn = QPushButton(tr("Now"), visit)
        now_btn.setFocusPolicy(Qt.NoFocus)
        now_btn.clicked.connect(lambda: self.visited_at.setDateTime(QDateTime.currentDateTime()))
        vrow = QHBoxLayout()
        vrow.addWidget(self.visited_at)
        vrow.addWidget(now_btn)
        vrow.addStretch(1)
        vg.addLayout(vrow, 0, 1)
        vg.addWidget(QLabel(tr("Attendees"), visit), 1, 0)
        self.attendees = QLineEdit(visit)
        self.attendees.setObjectName("attendees")
        self.attendees.setPlaceholderText(tr("Who was there (names or roles)"))
        self.attendees.textEdited.connect(lambda _t: self._visit_changed())
        vg.addWidget(self.attendees, 1, 1)
        self.checks: dict[str, QCheckBox] = {}
        if rubric.checklist:
            vg.addWidget(QLabel(tr("Checklist"), visit), 2, 0, Qt.AlignTop)
            cl = QGridLayout()
            for i, item in enumerate(rubric.checklist):
                cb = QCheckBox(item.name(lang), visit)
                cb.setObjectName(f"check_{item.code}")
                cb.toggled.connect(lambda _c: self._visit_changed())
                self.checks[item.code] = cb
                cl.addWidget(cb, i // 2, i % 2)
            vg.addLayout(cl, 2, 1)
        vg.addWidget(QLabel(tr("Notes"), visit), 3, 0, Qt.AlignTop)
        self.notes = QPlainTextEdit(visit)
        self.notes.setObjectName("visitNotes")
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(60)
        self.notes.textChanged.connect(self._visit_changed)
        vg.addWidget(self.notes, 3, 1)
        vg.setColumnStretch(1, 1)
        lay.addWidget(visit)
        self.visit_box = visit

        # abstention banner
        self.abstain_banner = plain(QLabel("", body))
        self.abstain_banner.setObjectName("banner")
        self.abstain_banner.setWordWrap(True)
        self.abstain_banner.hide()
        lay.addWidget(self.abstain_banner)

        # criteria
        crit = QGroupBox(tr("Scores — {rubric} (version {version})").format(
            rubric=rubric.name(lang), version=rubric.version), body)
        cg = QVBoxLayout(crit)
        hint = QLabel(tr("Keys: 1–5 pick a level (1 = {top}), 0 clears, Tab moves on, Ctrl+Z undoes, "
                         "Ctrl+Enter finalises. Every change is saved at once.").format(
            top=rubric.levels[0].label(lang) if rubric.levels else "1"), crit)
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        cg.addWidget(hint)
        self.rows = {}
        for c in rubric.criteria:
            row = CriterionRow(self, rubric, c)
            self.rows[c.code] = row
            cg.addWidget(row)
        lay.addWidget(crit)
        self.criteria_box = crit

        # photos
        photos = QGroupBox(tr("Photos"), body)
        pg = QVBoxLayout(photos)
        self.photo_list = QListWidget(photos)
        self.photo_list.setObjectName("photoList")
        self.photo_list.setViewMode(QListWidget.IconMode)
        self.photo_list.setIconSize(QSize(160, 120))
        self.photo_list.setFixedHeight(160)
        pg.addWidget(self.photo_list)
        QShortcut(QKeySequence.Delete, self.photo_list, self.remove_photo, context=Qt.WidgetShortcut)
        self.add_photo_btn = QPushButton(tr("Attach photos…"), photos)
        self.add_photo_btn.setObjectName("attachPhotos")
        self.add_photo_btn.clicked.connect(self.attach_photos)
        self.remove_photo_btn = QPushButton(tr("Remove photo"), photos)
        self.remove_photo_btn.setObjectName("removePhoto")
        self.remove_photo_btn.clicked.connect(self.remove_photo)
        self.remove_photo_btn.setEnabled(False)
        prow = QHBoxLayout()
        prow.addWidget(self.add_photo_btn)
        prow.addWidget(self.remove_photo_btn)
        prow.addStretch(1)
        pg.addLayout(prow)
        lay.addWidget(photos)

        # actions
        actions = QHBoxLayout()
        self.abstain_btn = QPushButton(tr("Abstain…"), body)
        self.abstain_btn.setObjectName("abstainButton")
        self.abstain_btn.clicked.connect(self.ask_abstain)
        actions.addWidget(self.abstain_btn)
        actions.addStretch(1)
        self.reopen_btn = QPushButton(tr("Reopen…"), body)
        self.reopen_btn.setObjectName("reopenButton")
        self.reopen_btn.clicked.connect(self.ask_reopen)
        actions.addWidget(self.reopen_btn)
        self.finalise_btn = QPushButton(tr("Finalise…"), body)
        self.finalise_btn.setObjectName("finaliseButton")
        self.finalise_btn.setToolTip(tr("Lock this evaluation (Ctrl+Enter)"))
        self.finalise_btn.clicked.connect(self.ask_finalise)
        actions.addWidget(self.finalise_btn)
        lay.addLayout(actions)
        lay.addStretch(1)

        old = self.scroll.takeWidget()
        if old is not None:
            old.deleteLater()
        self.scroll.setWidget(body)
        # tab order: visit fields, then each criterion's picker and comment, then the buttons
        chain: list[QWidget] = [self.visited_at, self.attendees, *self.checks.values(), self.notes]
        for row in self.rows.values():
            chain += [row.picker, row.comment]
        chain += [self.photo_list, self.add_photo_btn, self.remove_photo_btn, self.abstain_btn, self.reopen_btn,
                  self.finalise_btn]
        for a, b in zip(chain, chain[1:]):
            QWidget.setTabOrder(a, b)

    # --- showing core state -----------------------------------------------------------------------
    def _apply_evaluation(self, info) -> None:
        self.info = info
        values = {c.code: (None, None, "") for c in self.rubric.criteria}
        if info is not None:
            for sv in info.scores:
                values[sv.criterion] = (sv.level, sv.points, sv.comment or "")
        self.draft.scores = dict(values)
        for code, (level, points, comment) in values.items():
            row = self.rows[code]
            row.show_value(level, points)
            row.show_comment(comment)
        self.state = info.state if info is not None else "draft"
        self.started = info is not None
        self.abstained = bool(info and info.abstained)
        self._update_state()
        self._update_total()

    def _apply_visit(self, visit: dict | None) -> None:
        v = visit or {}
        when = v.get("visited_at")
        self.visited_at.setDateTime(QDateTime(when) if when else NOT_RECORDED)
        self.attendees.setText(v.get("attendees") or "")
        checklist = v.get("checklist") or {}
        for code, cb in self.checks.items():
            cb.setChecked(bool(checklist.get(code)))
        self.notes.setPlainText(v.get("notes") or "")
        self.draft.visit = self._visit_values()

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
        for row in self.rows.values():
            row.setEnabled(not finalised)
        self.visit_box.setEnabled(not finalised)
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
            self.total_label.setText(tr("Total: — (%n criteria to score)", "", len(missing)))
        else:
            self.total_label.setText(tr("Total: {total:.1f} / 100").format(total=total))
        for code, row in self.rows.items():
            row.set_missing(False)

    def _set_saved_text(self) -> None:
        if self.saves_in_flight:
            self.saved_label.setText(tr("Saving…"))
        else:
            self.saved_label.setText(tr("All changes saved {time}").format(time=datetime.now().strftime("%H:%M:%S")))

    # --- user edits -------------------------------------------------------------------------------
    def user_set_value(self, code: str, value) -> None:
        if self._loading or self.state == FINALISED:
            return
        c = self.rubric.criterion(code)
        level, points, _ = self.draft.scores.get(code, (None, None, ""))
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
        self.undo_stack.push(ScoreCommand(self, code, old, new, tr("Score {criterion}: {value}").format(
            criterion=c.name(language()), value=label), typed=c.scoring != "levels"))

    def user_set_comment(self, code: str, text: str) -> None:
        if self._loading or self.state == FINALISED:
            return
        old = self.draft.scores.get(code, (None, None, ""))[2]
        if old != text:
            self.undo_stack.push(CommentCommand(self, code, old, text))

    # --- applying a value (from an edit, undo or redo) --------------------------------------------
    def set_value(self, code: str, value: tuple[str | None, float | None]) -> None:
        _, _, comment = self.draft.scores.get(code, (None, None, ""))
        self.draft.scores[code] = (value[0], value[1], comment)
        self.rows[code].show_value(*value)
        self._update_total()
        self._queue_save(code)

    def set_comment(self, code: str, text: str, *, update_widget: bool) -> None:
        level, points, _ = self.draft.scores.get(code, (None, None, ""))
        self.draft.scores[code] = (level, points, text)
        if update_widget:
            self.rows[code].show_comment(text)
        self._queue_save(code)

    def _visit_values(self) -> dict:
        when = self.visited_at.dateTime()
        return {
            "visited_at": None if when == NOT_RECORDED else when.toPython().replace(second=0, microsecond=0),
            "attendees": self.attendees.text(),
            "checklist": {code: cb.isChecked() for code, cb in self.checks.items()},
            "notes": self.notes.toPlainText(),
        }

    def _visit_changed(self) -> None:
        if self._loading or self.state == FINALISED:
            return
        self.draft.visit = self._visit_values()
        self._queue_save("@visit")

    # --- saving -----------------------------------------------------------------------------------
    def _queue_save(self, key: str) -> None:
        if not self.draft.mark_queued(key):
            return
        draft = self.draft

        def save(st):
            value = draft.take(key)
            if key == "@visit":
                if value.get("visited_at") is None and "visited_at" in value:
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
        """Make sure edits still being typed are queued (called before the form goes away)."""
        if self._loading or self.rubric is None or self.state == FINALISED:
            return
        for code, row in self.rows.items():
            level, points, comment = self.draft.scores.get(code, (None, None, ""))
            if row.comment.text() != comment:
                self.set_comment(code, row.comment.text(), update_widget=False)
        if self._visit_values() != self.draft.visit:
            self._visit_changed()

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
        if missing_codes and not abstained:
            names = "\n".join(f"• {self.rubric.criterion(c).name(lang)}" for c in missing_codes)
            for code in missing_codes:
                self.rows[code].set_missing(True)
            dialogs.inform(self, tr("Finalise"),
                           tr("%n required criteria have no score yet; score them before finalising:", "",
                              len(missing_codes)), names)
            self.rows[missing_codes[0]].picker.setFocus(Qt.OtherFocusReason)
            self.scroll.ensureWidgetVisible(self.rows[missing_codes[0]])
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
        self.photo_list.clear()
        for info, image in photos or []:
            item = QListWidgetItem(info.filename)
            item.setData(Qt.UserRole, info.uuid)
            item.setToolTip(f"{info.filename} · {info.size // 1024} KB")
            if image is not None and not image.isNull():
                item.setIcon(QPixmap.fromImage(image))
            self.photo_list.addItem(item)
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
