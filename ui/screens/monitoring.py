"""Field: the follow-up monitoring visits assigned to this laptop's visitor, and the monitoring
visit form — date and time, attendees, the monitoring rubric's checklist, its rated criteria with
every level's description, findings and required actions with due dates.

The form saves by itself as you type (a moment after the last change: :data:`AUTOSAVE_MS`), with
Save (Ctrl+S), and again when it is left (Back, the window or the database closing) with edits not
yet saved, so nothing typed is lost; a change the core refuses while typing (an action due before
the visit) stays on screen, marked not saved, and Save says why.  Finalise first lists what the
rubric still needs.  Earlier visits of the same award (findings and open actions, from the kit) are
shown above the form, to check on site.  Photos are attached to the visit with Attach photos… (as
on the scoring form) and go to the office with the visit in the next package."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from html import escape
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QImage, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QFormLayout, QFrame, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
    QLineEdit, QListWidget, QPlainTextEdit, QPushButton, QScrollArea, QStackedWidget, QTableView,
    QVBoxLayout, QWidget,
)

from evaluator.changes import AWARDS, MONITORING, NOTHING, Outcome

from .. import dialogs
from ..i18n import language, tr
from ..models import CENTER, RIGHT, Column, RecordModel
from ..style import tones
from ..widgets import DateField, ReflowColumns, fill_photo_list, plain, title_label
from ..worker import make_timer
from .awards import monitoring_state_label
from .scoring import LevelPicker

# how long after the last keystroke the visit form saves by itself
AUTOSAVE_MS = 800


@dataclass(frozen=True)
class MyVisit:
    application_id: str
    group_name: str
    title: str
    sequence: int
    plan_code: str
    due_on: date | None
    state: str


def my_visits(st, evaluator: str) -> list[MyVisit]:
    """Runs on the worker: the visitor's monitoring visits, soonest due first."""
    visits = st.monitoring.visits(evaluator=evaluator)
    apps = {r.id: r for r in st.applications.rows(sorted({v.application_id for v in visits}))}
    out = []
    for v in visits:
        a = apps.get(v.application_id)
        out.append(MyVisit(v.application_id, a.group_name if a else "", a.title if a else "", v.sequence, v.plan_code,
                           v.due_on, v.state))
    out.sort(key=lambda v: (v.state == "finalised", v.due_on or date.max, v.application_id, v.sequence))
    return out


def visit_photos(st, application_id: str, sequence: int) -> list:
    """Runs on the worker: the visit's photos with small thumbnails (decoded here, not on the GUI
    thread), as the scoring form shows an evaluation's."""
    out = []
    for info in st.monitoring.photos(application_id, sequence):
        image = None
        if info.media_type.startswith("image/"):
            img = QImage.fromData(st.monitoring.photo_data(info.uuid))
            if not img.isNull():
                image = img.scaled(160, 120, Qt.KeepAspectRatio, Qt.SmoothTransformation)
        out.append((info, image))
    return out


def parse_when(text: str) -> datetime | None:
    """``2012-10-02 10:00`` (or a date alone) → a datetime; '' → None; ``ValueError`` otherwise."""
    t = text.strip().replace("T", " ")
    if not t:
        return None
    return datetime.fromisoformat(t)


class ActionRow(QWidget):
    """One required action: what, by when, done; and a button that removes it."""

    changed = Signal()
    removed = Signal(object)

    def __init__(self, n: int, text: str = "", due: date | None = None, done: bool = False, parent=None) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.text = QLineEdit(text, self)
        self.text.setObjectName("actionText")
        self.text.setAccessibleName(tr("Required action {n}").format(n=n))
        self.text.setPlaceholderText(tr("What must be done"))
        lay.addWidget(self.text, 3)
        self.due = DateField(tr("due YYYY-MM-DD"), self)
        self.due.setObjectName("actionDue")
        self.due.setAccessibleName(tr("Due date of action {n}").format(n=n))
        self.due.set_date(due)
        lay.addWidget(self.due, 1)
        self.done = QCheckBox(tr("Done", "action"), self)
        self.done.setObjectName("actionDone")
        self.done.setChecked(done)
        lay.addWidget(self.done)
        self.remove = QPushButton(tr("Remove"), self)
        self.remove.setObjectName("actionRemove")
        self.remove.setAccessibleName(tr("Remove action {n}").format(n=n))
        self.remove.clicked.connect(lambda: self.removed.emit(self))
        lay.addWidget(self.remove)
        self.text.textChanged.connect(self.changed)
        self.due.changed.connect(self.changed)
        self.done.toggled.connect(self.changed)

    def value(self) -> dict:
        return {"text": self.text.text().strip(), "due_on": self.due.value(), "done": self.done.isChecked()}


class MonitoringVisitForm(QWidget):
    """One monitoring visit of an award; ``closed`` asks the owner to go back to the list."""

    closed = Signal()
    loaded = Signal()
    saved = Signal()

    def __init__(self, ctx, application_id: str, sequence: int, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("monitoringForm")
        self.ctx = ctx
        self.application_id = application_id
        self.sequence = sequence
        self.visit = None
        self.rubric = None
        self.dirty = False
        self._loading = False
        self._edits = 0  # edits so far: a save clears "dirty" only if nothing was typed while it ran
        self._autosave = make_timer(self, interval_ms=AUTOSAVE_MS, timeout=self._autosave_now)
        self.checks: dict[str, QCheckBox] = {}
        self.pickers: dict[str, LevelPicker] = {}
        self.ratings: dict[str, str | None] = {}
        self.action_rows: list[ActionRow] = []
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        head = QFrame(self)
        head.setObjectName("formHeader")
        hl = QHBoxLayout(head)
        hl.setContentsMargins(12, 8, 12, 8)
        back = QPushButton(tr("← Back"), head)
        back.setObjectName("backButton")
        back.setToolTip(tr("Back to the list (Alt+Left). Unsaved edits are saved first."))
        back.clicked.connect(self.closed.emit)
        hl.addWidget(back)
        self.title = QLabel("…", head)
        self.title.setObjectName("formTitle")
        self.title.setWordWrap(True)
        hl.addWidget(self.title, 1)
        self.state_label = QLabel("", head)
        self.state_label.setObjectName("stateBadge")
        hl.addWidget(self.state_label)
        self.saved_label = QLabel("", head)
        self.saved_label.setObjectName("savedLabel")
        hl.addWidget(self.saved_label)
        outer.addWidget(head)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.NoFrame)
        self.scroll.setFocusPolicy(Qt.NoFocus)  # no Tab stop of its own (it scrolls to the field Tab reaches)
        outer.addWidget(self.scroll, 1)
        QShortcut(QKeySequence.Save, self, self.save)
        QShortcut(QKeySequence("Alt+Left"), self, self.closed.emit)
        self.reload()

    # --- loading ----------------------------------------------------------------------------------
    def reload(self) -> None:
        app, seq = self.application_id, self.sequence

        def load(st):
            visits = st.monitoring.visits(app)
            mine = next(v for v in visits if v.sequence == seq)
            return {"visit": mine, "earlier": [v for v in visits if v.sequence < seq],
                    "rubric": st.monitoring.rubric(mine.track), "app": st.applications.get(app),
                    "photos": visit_photos(st, app, seq)}

        self.ctx.query(load, self._loaded, parent=self).run_in_background()

    def _loaded(self, data: dict) -> None:
        self._loading = True
        try:
            self.visit, self.rubric, self.app = data["visit"], data["rubric"], data["app"]
            self._build_body(data["earlier"])
            self._show(self.visit)
            self._show_photos(data["photos"])
        finally:
            self._loading = False
        self.dirty = False
        self._show_state()
        self.focus_first()
        self.loaded.emit()

    def focus_first(self) -> None:
        """Keyboard first, as the scoring form: start at the visit time (focus was nowhere, and Tab
        started over at the list of screens)."""
        if self.visit is not None and self.isVisible():
            self.visited_at.setFocus(Qt.OtherFocusReason)

    def _build_body(self, earlier) -> None:
        lang = language()
        v = self.visit
        self.title.setText(tr("{application} · {group} — visit {n} ({plan}), due {due}").format(
            application=v.application_id, group=self.app.group_name, n=v.sequence, plan=v.plan_code,
            due=v.due_on.isoformat() if v.due_on else "—"))
        body = QWidget()
        body.setObjectName("formBody")
        lay = QVBoxLayout(body)
        lay.setContentsMargins(12, 6, 12, 12)
        lay.setSpacing(10)
        if earlier:
            box = QGroupBox(tr("Earlier visits of this project"), body)
            bl = QVBoxLayout(box)
            for e in earlier:
                open_actions = [a for a in e.actions if not a.done]
                text = tr("Visit {n} ({state}): {findings}").format(
                    n=e.sequence, state=monitoring_state_label(e.state), findings=e.findings or "—")
                if open_actions:
                    text += "\n" + tr("Open actions: {actions}").format(actions="; ".join(
                        f"{a.text} ({a.due_on.isoformat() if a.due_on else '—'})" for a in open_actions))
                lab = plain(QLabel(text, box))
                lab.setWordWrap(True)
                bl.addWidget(lab)
            lay.addWidget(box)

        visit = QGroupBox(tr("Visit"), body)
        form = QFormLayout(visit)
        self.visited_at = QLineEdit(visit)
        self.visited_at.setObjectName("monitoringVisitedAt")
        self.visited_at.setPlaceholderText(tr("YYYY-MM-DD HH:MM"))
        self.visited_at.setAccessibleName(tr("Visit date and time"))
        now = QPushButton(tr("Now"), visit)
        now.setObjectName("monitoringNow")
        now.setAccessibleName(tr("Set the visit time to now"))
        now.clicked.connect(lambda: self.visited_at.setText(datetime.now().strftime("%Y-%m-%d %H:%M")))
        row = QHBoxLayout()
        row.addWidget(self.visited_at, 1)
        row.addWidget(now)
        form.addRow(tr("Date and time"), row)
        self.attendees = QLineEdit(visit)
        self.attendees.setObjectName("monitoringAttendees")
        self.attendees.setAccessibleName(tr("Attendees"))
        self.attendees.setPlaceholderText(tr("e.g. the representative and 4 members"))
        form.addRow(tr("Attendees"), self.attendees)
        grid = ReflowColumns(visit)  # two columns where they fit, else one (check boxes do not wrap)
        grid.setObjectName("monitoringChecklist")
        for c in self.rubric.checklist:
            cb = QCheckBox(c.name(lang) + (" *" if c.required else ""), grid)
            cb.setObjectName(f"check_{c.code}")
            cb.toggled.connect(self._edited)
            self.checks[c.code] = cb
            grid.add_widget(cb)
        form.addRow(tr("Checklist"), grid)
        lay.addWidget(visit)

        crit = QGroupBox(tr("Ratings"), body)
        cl = QVBoxLayout(crit)
        for c in self.rubric.criteria:
            row = QFrame(crit)
            row.setProperty("criterionRow", True)  # the scoring form's look: muted level descriptions
            rl = QVBoxLayout(row)
            rl.setContentsMargins(8, 6, 8, 6)
            name = QLabel(f"<b>{escape(c.name(lang))}</b>" + (" *" if c.required else "")
                          + (f" — {escape(c.help(lang))}" if c.help(lang) else ""), row)
            name.setTextFormat(Qt.RichText)
            name.setWordWrap(True)
            rl.addWidget(name)
            picker = LevelPicker(self.rubric, c, row)
            picker.picked.connect(lambda key, code=c.code: self.set_rating(code, key))
            self.pickers[c.code] = picker
            rl.addWidget(picker)
            cl.addWidget(row)
        lay.addWidget(crit)

        found = QGroupBox(tr("Findings"), body)
        fl = QVBoxLayout(found)
        self.findings = QPlainTextEdit(found)
        self.findings.setObjectName("monitoringFindings")
        self.findings.setAccessibleName(tr("Findings"))
        self.findings.setTabChangesFocus(True)
        self.findings.setMinimumHeight(80)
        fl.addWidget(self.findings)
        lay.addWidget(found)

        acts = QGroupBox(tr("Required actions"), body)
        self.actions_layout = QVBoxLayout(acts)
        self.add_action_btn = QPushButton(tr("Add an action"), acts)
        self.add_action_btn.setObjectName("addAction")
        self.add_action_btn.clicked.connect(lambda: self.add_action())
        self.actions_layout.addWidget(self.add_action_btn, 0, Qt.AlignLeft)
        lay.addWidget(acts)
        lay.addWidget(self._build_photos(body))

        buttons = QHBoxLayout()
        self.missing_label = plain(QLabel("", body))
        self.missing_label.setObjectName("missingLabel")
        self.missing_label.setWordWrap(True)
        buttons.addWidget(self.missing_label, 1)
        self.save_btn = QPushButton(tr("Save (Ctrl+S)"), body)
        self.save_btn.setObjectName("monitoringSave")
        self.save_btn.clicked.connect(self.save)
        self.finalise_btn = QPushButton(tr("Finalise…"), body)
        self.finalise_btn.setObjectName("monitoringFinalise")
        self.finalise_btn.clicked.connect(self.ask_finalise)
        buttons.addWidget(self.save_btn)
        buttons.addWidget(self.finalise_btn)
        lay.addLayout(buttons)
        lay.addStretch(1)
        for w in (self.visited_at, self.attendees):
            w.textChanged.connect(self._edited)
        self.findings.textChanged.connect(self._edited)
        old = self.scroll.takeWidget()
        if old is not None:
            old.deleteLater()
        self.scroll.setWidget(body)

    def _show(self, v) -> None:
        self.visited_at.setText(v.visited_at.strftime("%Y-%m-%d %H:%M") if v.visited_at else "")
        self.attendees.setText(v.attendees)
        for code, cb in self.checks.items():
            cb.setChecked(bool(v.checklist.get(code)))
        for code, picker in self.pickers.items():
            self.ratings[code] = v.ratings.get(code)
            picker.set_level(self.ratings[code])
        self.findings.setPlainText(v.findings)
        for a in v.actions:
            self.add_action(a.text, a.due_on, a.done)
        locked = v.state == "finalised"
        for w in [self.visited_at, self.attendees, self.findings, self.save_btn, self.finalise_btn,
                  self.add_action_btn, self.add_photo_btn, *self.checks.values(), *self.pickers.values()]:
            w.setEnabled(not locked)
        for r in self.action_rows:
            r.setEnabled(not locked)

    # --- editing ----------------------------------------------------------------------------------
    def _edited(self, *_args) -> None:
        if self._loading:
            return
        self._edits += 1
        self.dirty = True
        self.saved_label.setToolTip("")
        self._show_state()
        if self.visit is not None and self.visit.state != "finalised":
            self._autosave.start()  # (restarted by every keystroke: it saves once typing pauses)

    def _autosave_now(self) -> None:
        if not self.dirty or self.visit is None or self.visit.state == "finalised":
            return
        try:
            self.values()
        except ValueError:
            return  # a date half typed: saved once it reads as one (or by Save, which says so)
        self.save(quiet=True)

    def _autosave_refused(self, exc: BaseException) -> None:
        """A save made while typing was refused: what is typed stays, marked not saved, the reason
        in the label's tooltip (Save shows it in full)."""
        from ..errors import describe

        self._show_state()
        self.saved_label.setToolTip(describe(exc)[0])

    def set_rating(self, code: str, key: str | None) -> None:
        self.ratings[code] = key
        self.pickers[code].set_level(key)
        self._edited()

    def add_action(self, text: str = "", due: date | None = None, done: bool = False) -> ActionRow:
        row = ActionRow(len(self.action_rows) + 1, text, due, done, self.add_action_btn.parentWidget())
        row.changed.connect(self._edited)
        row.removed.connect(self._remove_action)
        self.action_rows.append(row)
        self.actions_layout.insertWidget(self.actions_layout.count() - 1, row)
        if not self._loading:
            row.text.setFocus(Qt.OtherFocusReason)
            self._edited()
        return row

    def _remove_action(self, row: ActionRow) -> None:
        self.action_rows.remove(row)
        self.actions_layout.removeWidget(row)
        row.deleteLater()
        self._edited()

    def _show_state(self) -> None:
        v = self.visit
        if v is None:
            return
        self.state_label.setText(monitoring_state_label(v.state))
        if v.state == "finalised":
            self.saved_label.setText(tr("Finalised"))
        elif self.dirty:
            self.saved_label.setText(tr("Not saved yet"))
        else:
            self.saved_label.setText(tr("Saved") if v.state == "draft" else "")
        # green only for what is saved; "not saved yet" reads in the header's plain colour
        name = "unsavedLabel" if self.dirty and v.state != "finalised" else "savedLabel"
        if self.saved_label.objectName() != name:
            self.saved_label.setObjectName(name)
            self.saved_label.style().unpolish(self.saved_label)
            self.saved_label.style().polish(self.saved_label)
        missing = self.missing()
        self.missing_label.setText(tr("Still needed to finalise: {items}").format(items=", ".join(missing))
                                   if missing and v.state != "finalised" else "")

    def values(self) -> dict:
        """What the form shows, as ``store.monitoring.record`` takes it (``ValueError``: a bad date)."""
        return {"visited_at": parse_when(self.visited_at.text()), "attendees": self.attendees.text().strip(),
                "checklist": {c: cb.isChecked() for c, cb in self.checks.items() if cb.isChecked()},
                "ratings": {c: k for c, k in self.ratings.items() if k},
                "findings": self.findings.toPlainText().strip(),
                "actions": [a.value() for a in self.action_rows if a.value()["text"] or a.value()["due_on"]]}

    def missing(self) -> list[str]:
        """What the rubric still needs before the visit can be finalised, as people read it."""
        lang = language()
        try:
            when = parse_when(self.visited_at.text())
        except ValueError:
            when = None
        out = []
        if when is None:
            out.append(tr("visit date and time"))
        visit = {"visited_at": when, "attendees": self.attendees.text(),
                 "checklist": {c: cb.isChecked() for c, cb in self.checks.items()}}
        out += [self.rubric.visit_requirement_name(m, lang) for m in self.rubric.visit_missing(visit)
                if m != "visit_date"]  # the date is asked for above, rubric or not
        out += [c.name(lang) for c in self.rubric.criteria if c.required and not self.ratings.get(c.code)]
        return list(dict.fromkeys(out))

    # --- saving -----------------------------------------------------------------------------------
    def save(self, *, finalise: bool = False, then=None, quiet: bool = False) -> bool:
        """Save the visit as the form shows it (``finalise``: and finalise it); ``quiet``: a save made
        while typing, whose refusal is only marked on the form (no dialog)."""
        self._autosave.stop()
        if self.visit is None or self.visit.state == "finalised":
            return False
        try:
            values = self.values()
        except ValueError:
            dialogs.inform(self, tr("Save the visit"), tr("The visit time must read like 2012-10-02 10:00, and each "
                                                          "due date like 2012-10-31."))
            return False
        app, seq = self.application_id, self.sequence
        edits = self._edits

        def done(info) -> None:
            self.visit = info
            self.dirty = self._edits != edits  # typed on while it was saving: saved again after a pause
            self.saved_label.setToolTip("")
            self._show_state()
            if info.state == "finalised":
                self._show_locked()
            self.saved.emit()
            if then is not None:
                then()

        op = self.ctx.write(lambda st: st.monitoring.record(app, seq, finalise=finalise, **values), done, parent=self)
        if quiet:
            op.failure(self._autosave_refused)
        op.run_in_background()
        return True

    def _show_locked(self) -> None:
        for w in [self.visited_at, self.attendees, self.findings, self.save_btn, self.finalise_btn,
                  self.add_action_btn, self.add_photo_btn, self.remove_photo_btn, *self.checks.values(),
                  *self.pickers.values(), *self.action_rows]:
            w.setEnabled(False)

    # --- photos -----------------------------------------------------------------------------------
    def _build_photos(self, parent: QWidget) -> QGroupBox:
        """The visit's photos as thumbnails, with the scoring form's Attach photos… and Remove photo."""
        box = QGroupBox(tr("Photos"), parent)
        lay = QVBoxLayout(box)
        self.photo_list = QListWidget(box)
        self.photo_list.setObjectName("monitoringPhotoList")
        self.photo_list.setAccessibleName(tr("Photos"))
        self.photo_list.setViewMode(QListWidget.IconMode)
        self.photo_list.setIconSize(QSize(160, 120))
        self.photo_list.setFixedHeight(160)
        lay.addWidget(self.photo_list)
        QShortcut(QKeySequence.Delete, self.photo_list, self.remove_photo, context=Qt.WidgetShortcut)
        self.add_photo_btn = QPushButton(tr("Attach photos…"), box)
        self.add_photo_btn.setObjectName("attachMonitoringPhotos")
        self.add_photo_btn.clicked.connect(self.attach_photos)
        self.remove_photo_btn = QPushButton(tr("Remove photo"), box)
        self.remove_photo_btn.setObjectName("removeMonitoringPhoto")
        self.remove_photo_btn.clicked.connect(self.remove_photo)
        self.remove_photo_btn.setEnabled(False)
        row = QHBoxLayout()
        row.addWidget(self.add_photo_btn)
        row.addWidget(self.remove_photo_btn)
        row.addStretch(1)
        lay.addLayout(row)
        return box

    def attach_photos(self) -> None:
        if self.visit is None or self.visit.state == "finalised":
            return
        paths = dialogs.open_files(self.ctx, self, tr("Attach photos"),
                                   tr("Images (*.jpg *.jpeg *.png *.heic *.webp);;All files (*)"))
        if not paths:
            return
        self.flush()  # what is typed is saved first: the photos go to the office with the recorded visit
        app, seq = self.application_id, self.sequence

        def add(st):
            changes = NOTHING
            for p in paths:
                changes |= st.monitoring.add_photo(app, seq, Path(p)).changes
            return Outcome(visit_photos(st, app, seq), changes)

        self.ctx.write(add, self._show_photos, parent=self).run_in_background()

    def remove_photo(self) -> None:
        item = self.photo_list.currentItem()
        if item is None or self.visit is None or self.visit.state == "finalised":
            return
        uuid = item.data(Qt.UserRole)
        if not dialogs.confirm(self, tr("Remove photo"), tr("Remove {name} from this visit?").format(
                name=item.text())):
            return
        app, seq = self.application_id, self.sequence

        def remove(st):
            removed = st.monitoring.remove_photo(uuid)
            return Outcome(visit_photos(st, app, seq), removed.changes)

        self.ctx.write(remove, self._show_photos, parent=self).run_in_background()

    def _show_photos(self, photos) -> None:
        fill_photo_list(self.photo_list, photos)
        self.remove_photo_btn.setEnabled(bool(photos) and self.visit is not None and self.visit.state != "finalised")

    def ask_finalise(self) -> None:
        if self.visit is None or self.visit.state == "finalised":
            return
        missing = self.missing()
        if missing:
            dialogs.inform(self, tr("Finalise the visit"), tr("The visit cannot be finalised yet. Still needed:"),
                           "\n".join(f"• {m}" for m in missing))
            return
        if not dialogs.confirm(self, tr("Finalise the visit"),
                               tr("Finalise visit {n} of {application}? It is then kept as it is and goes to the "
                                  "office in your next package.").format(n=self.sequence,
                                                                         application=self.application_id)):
            return
        self.save(finalise=True)

    def flush(self) -> None:
        """Leaving the form: what is not saved yet is saved (nothing typed is lost)."""
        if self.dirty and self.visit is not None and self.visit.state != "finalised":
            self.save()


class FieldMonitoringScreen(QWidget):
    """The visitor's monitoring visits, and the visit form, in one stack."""

    formOpened = Signal(object)

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("fieldMonitoringScreen")
        self.ctx = ctx
        self.form: MonitoringVisitForm | None = None
        self.stack = QStackedWidget(self)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.stack)
        page = QWidget(self)
        pl = QVBoxLayout(page)
        pl.addWidget(title_label(tr("Your monitoring visits"), page))
        self.summary = plain(QLabel("", page))
        self.summary.setObjectName("muted")
        pl.addWidget(self.summary)
        t = tones()
        self.today = date.today()  # the program's follow-up day instead, if it sets one (the demo's, from the kit)
        self.model = RecordModel([
            Column("due", tr("Due"), lambda v: v.due_on.isoformat() if v.due_on else "", CENTER,
                   sort_key=lambda v: v.due_on or date.max,
                   foreground=lambda v: t.bad if v.due_on and v.due_on < self.today and v.state != "finalised"
                   else None),
            Column("id", tr("Application ID"), lambda v: v.application_id),
            Column("group", tr("Group name"), lambda v: v.group_name),
            Column("title", tr("Project title"), lambda v: v.title),
            Column("seq", tr("Visit"), lambda v: v.sequence, RIGHT),
            Column("plan", tr("Plan"), lambda v: v.plan_code),
            Column("state", tr("State"), lambda v: monitoring_state_label(v.state), CENTER),
        ], self)
        self.table = QTableView(page)
        self.table.setObjectName("monitoringVisitsTable")
        self.table.setAccessibleName(tr("Your monitoring visits"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.activated.connect(lambda idx: self.open_row(idx.row()))
        self.table.doubleClicked.connect(lambda idx: self.open_row(idx.row()))
        pl.addWidget(self.table, 1)
        row = QHBoxLayout()
        hint = QLabel(tr("Enter or double-click opens the monitoring visit form."), page)
        hint.setObjectName("muted")
        row.addWidget(hint)
        row.addStretch(1)
        self.open_btn = QPushButton(tr("Open visit"), page)
        self.open_btn.setObjectName("openMonitoringVisit")
        self.open_btn.clicked.connect(self.open_selected)
        row.addWidget(self.open_btn)
        pl.addLayout(row)
        self.list_page = page
        self.stack.addWidget(page)
        ctx.changed.connect(self._on_changed)

    def _on_changed(self, changes, initiator) -> None:
        if changes & {MONITORING, AWARDS} and self.stack.currentWidget() is self.list_page:
            self.refresh()

    def refresh(self) -> None:
        ev = self.ctx.evaluator
        if not ev:
            self.model.set_rows([])
            self.summary.setText(tr("Choose who you are in Settings to see your visits."))
            return
        self.ctx.query(lambda st: (my_visits(st, ev), st.monitoring.as_of()), self._fill,
                       parent=self).run_in_background()

    def _fill(self, loaded: tuple[list[MyVisit], date | None]) -> None:
        rows, as_of = loaded
        self.today = as_of or date.today()
        self.model.set_rows(rows)
        done = sum(1 for v in rows if v.state == "finalised")
        self.summary.setText(tr("%n monitoring visits · {done} finalised", "", len(rows)).format(done=done))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.Stretch)
        if rows and not self.table.currentIndex().isValid():
            self.table.selectRow(0)

    def open_selected(self) -> None:
        idx = self.table.currentIndex()
        if idx.isValid():
            self.open_row(idx.row())

    def open_row(self, row: int) -> MonitoringVisitForm:
        v = self.model.record(row)
        return self.open_visit(v.application_id, v.sequence)

    def open_visit(self, application_id: str, sequence: int) -> MonitoringVisitForm:
        self.close_form()
        form = MonitoringVisitForm(self.ctx, application_id, sequence, self)
        form.closed.connect(self.close_form)
        self.form = form
        self.stack.addWidget(form)
        self.stack.setCurrentWidget(form)
        form.focus_first()  # loaded already (a quick worker): now that it shows
        return form

    def close_form(self) -> None:
        if self.form is None:
            return
        form, self.form = self.form, None
        form.flush()
        self.stack.setCurrentWidget(self.list_page)
        self.stack.removeWidget(form)
        form.deleteLater()
        self.refresh()
        self.table.setFocus()

    def flush(self) -> None:
        if self.form is not None:
            self.form.flush()
