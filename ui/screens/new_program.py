"""Office: File → New program… — a program made from its program file, or from a guided form that
writes the same TOML file (``docs/programs.md``) and is checked as it is typed by the core's own
validator (``store.programs.check_text``).  Problems are listed with their file and key; nothing
is written to the database while there is one."""

from __future__ import annotations

import json
import os
import re
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QListWidget,
    QPlainTextEdit, QPushButton, QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget,
)

from evaluator.paths import resource

from .. import dialogs
from ..errors import show_error
from ..i18n import tr
from ..problems import problem_text
from ..worker import make_timer

#: how long the form waits after the last keystroke before it checks the file again
CHECK_DELAY_MS = 300

TRACK_COLUMNS = ("code", "name_ko", "name_en", "rubric", "quota", "reserve", "budget", "min_score")
ROUND_COLUMNS = ("code", "name_ko", "name_en", "opens_on", "closes_on")


def _track_headers() -> list[str]:
    return [tr("Code"), tr("Korean name"), tr("English name"), tr("Rubric file"), tr("Quota"), tr("Reserve"),
            tr("Budget (KRW)"), tr("Minimum score")]


def _round_headers() -> list[str]:
    return [tr("Code"), tr("Korean name"), tr("English name"), tr("Intake opens"), tr("Intake closes")]


# --- the TOML the form writes -----------------------------------------------------------------------
def _string(value: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(value, ensure_ascii=False)


def _number(text: str, *, decimal: bool = False) -> str:
    """A number as typed (``1,000,000`` and ``1_000_000`` too); anything else stays a string, so that
    the validator names the key and quotes it."""
    clean = re.sub(r"[,_\s]", "", text)
    if re.fullmatch(r"-?\d+", clean):
        return str(int(clean))
    if decimal and re.fullmatch(r"-?\d+\.\d+", clean):
        return clean
    return _string(text)


def _day(text: str) -> str:
    clean = re.sub(r"[./]", "-", text.strip())
    try:
        parts = [int(p) for p in clean.split("-")]
        return date(*parts).isoformat() if len(parts) == 3 else _string(text)
    except (TypeError, ValueError):
        return _string(text)


def rubric_reference(path: str, folder: Path | None) -> str:
    """The rubric path as the program file names it: relative to the file's folder when it can be."""
    if not path or folder is None or not os.path.isabs(path):
        return path
    try:
        return Path(os.path.relpath(path, folder)).as_posix()
    except ValueError:  # another drive (Windows): the absolute path
        return path


def program_toml(values: dict, folder: Path | None) -> str:
    """The program file of the guided form's ``values`` (code, names, intake, tracks, rounds: plain
    texts as typed); blank optional keys are left out."""
    out = ["# Made with the desktop app's guided form; the format: docs/programs.md", "format = 1"]
    for key in ("code", "name_ko", "name_en", "office_ko"):
        if values.get(key, "").strip():  # a blank key is left out: the validator says it is missing
            out.append(f"{key} = {_string(values.get(key, '').strip())}")
    out.append(f"intake = {_string(values.get('intake') or 'fixed')}")
    for t in values.get("tracks", []):
        out += ["", "[[tracks]]"]
        for key in TRACK_COLUMNS:
            text = t.get(key, "").strip()
            if not text:
                continue
            if key == "rubric":
                out.append(f"rubric = {_string(rubric_reference(text, folder))}")
            elif key in ("quota", "reserve", "budget"):
                out.append(f"{key} = {_number(text)}")
            elif key == "min_score":
                out.append(f"min_score = {_number(text, decimal=True)}")
            else:
                out.append(f"{key} = {_string(text)}")
    for r in values.get("rounds", []):
        out += ["", "[[rounds]]"]
        for key in ROUND_COLUMNS:
            text = r.get(key, "").strip()
            if not text:
                continue
            out.append(f"{key} = {_day(text) if key in ('opens_on', 'closes_on') else _string(text)}")
    return "\n".join(out) + "\n"


class ProblemList(QListWidget):
    def __init__(self, name: str, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setAccessibleName(tr("Problems"))
        self.setWordWrap(True)

    def show_problems(self, problems) -> None:
        self.clear()
        for p in problems:
            self.addItem(problem_text(p))

    def texts(self) -> list[str]:
        return [self.item(i).text() for i in range(self.count())]


class NewProgramDialog(QDialog):
    """Two ways to a new program: its program file, or the guided form."""

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("newProgramDialog")
        self.setWindowTitle(tr("New program"))
        self.ctx = ctx
        self.created = None  # the new program's ProgramInfo, once made
        self._checks = 0
        lay = QVBoxLayout(self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("newProgramTabs")
        self.tabs.addTab(self._file_tab(), tr("From a program file"))
        self.tabs.addTab(self._form_tab(), tr("Guided form"))
        lay.addWidget(self.tabs, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.Cancel, self)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.timer = make_timer(self, interval_ms=CHECK_DELAY_MS, timeout=self.check_form)
        self.resize(980, 700)
        self.add_track()
        self.check_form()

    # --- from a program file ----------------------------------------------------------------------
    def _file_tab(self) -> QWidget:
        page = QWidget(self)
        lay = QVBoxLayout(page)
        intro = QLabel(tr("A program file (TOML) describes the whole call: its tracks with their rubric files, "
                          "quotas, reserves, budgets and minimum scores, its ranking settings, categories, intake "
                          "fields and rounds (docs/programs.md). It is checked before anything is written."), page)
        intro.setWordWrap(True)
        lay.addWidget(intro)
        row = QHBoxLayout()
        self.file_path = QLineEdit(page)
        self.file_path.setObjectName("programFilePath")
        self.file_path.setReadOnly(True)
        self.file_path.setAccessibleName(tr("Program file"))
        row.addWidget(self.file_path, 1)
        choose = QPushButton(tr("Choose…"), page)
        choose.setObjectName("chooseProgramFile")
        choose.clicked.connect(self.choose_file)
        row.addWidget(choose)
        lay.addLayout(row)
        self.file_summary = QLabel("", page)
        self.file_summary.setObjectName("programFileSummary")
        self.file_summary.setWordWrap(True)
        lay.addWidget(self.file_summary)
        self.file_problems = ProblemList("programFileProblems", page)
        lay.addWidget(self.file_problems, 1)
        self.create_file_btn = QPushButton(tr("Create the program"), page)
        self.create_file_btn.setObjectName("createFromFile")
        self.create_file_btn.setEnabled(False)
        self.create_file_btn.clicked.connect(self.create_from_file)
        lay.addWidget(self.create_file_btn)
        return page

    def choose_file(self) -> None:
        path = dialogs.open_file(self.ctx, self, tr("Program file"), tr("Program file (*.toml);;All files (*)"))
        if path is not None:
            self.load_file(path)

    def load_file(self, path: Path) -> None:
        """Check the program file (nothing is written): its summary, or every problem with file and key."""
        self.file_path.setText(str(path))
        self.create_file_btn.setEnabled(False)
        self.file_problems.clear()
        self.file_summary.setText("")
        self.ctx.query(lambda st: st.programs.check_file(path), self._file_checked,
                       parent=self).failure(lambda exc: self._file_failed(exc)).run_in_background()

    def _file_checked(self, pd) -> None:
        self.file_summary.setText(_summary(pd))
        self.create_file_btn.setEnabled(True)

    def _file_failed(self, exc: BaseException) -> None:
        self.create_file_btn.setEnabled(False)
        if not _show_problems(exc, self.file_problems, self.file_summary):
            show_error(self, exc)

    def create_from_file(self) -> None:
        path = Path(self.file_path.text())
        self.create_file_btn.setEnabled(False)
        self.ctx.write(lambda st: st.programs.create_from_file(path), self._created,
                       parent=self).failure(lambda exc: self._file_failed(exc)).run_in_background()

    def _created(self, info) -> None:
        self.created = info
        self.ctx.status_message(tr("Program {program} created.").format(program=info.code))
        self.accept()

    # --- the guided form --------------------------------------------------------------------------
    def _form_tab(self) -> QWidget:
        page = QWidget(self)
        lay = QVBoxLayout(page)
        form = QFormLayout()
        self.code = self._line(page, "programCode", tr("e.g. gangbuk-2014"))
        form.addRow(tr("Code"), self.code)
        self.name_ko = self._line(page, "programNameKo", tr("e.g. 2014 마을공동체 공모"))
        form.addRow(tr("Korean name"), self.name_ko)
        self.name_en = self._line(page, "programNameEn", tr("optional"))
        form.addRow(tr("English name"), self.name_en)
        self.office_ko = self._line(page, "programOffice", tr("e.g. 강북구청 마을공동체팀"))
        form.addRow(tr("Organising office"), self.office_ko)
        self.intake = QComboBox(page)
        self.intake.setObjectName("programIntake")
        self.intake.addItem(tr("Fixed rounds"), "fixed")
        self.intake.addItem(tr("Rolling intake (placed in rounds by submission date)"), "rolling")
        self.intake.currentIndexChanged.connect(lambda _i: self.schedule_check())
        form.addRow(tr("Intake"), self.intake)
        lay.addLayout(form)

        self.track_table = self._grid(page, "programTracksForm", _track_headers(), tr("Tracks"))
        self.track_table.setColumnWidth(TRACK_COLUMNS.index("rubric"), 240)
        lay.addWidget(QLabel(tr("Tracks"), page))
        lay.addWidget(self.track_table, 2)
        row = QHBoxLayout()
        for name, text, slot in (("addTrack", tr("Add track"), self.add_track),
                                 ("removeTrack", tr("Remove track"), lambda: self._remove(self.track_table)),
                                 ("chooseRubric", tr("Rubric file…"), self.choose_rubric)):
            b = QPushButton(text, page)
            b.setObjectName(name)
            b.clicked.connect(lambda _=False, f=slot: f())
            row.addWidget(b)
        row.addStretch(1)
        lay.addLayout(row)

        self.round_table = self._grid(page, "programRoundsForm", _round_headers(), tr("Rounds"))
        lay.addWidget(QLabel(tr("Rounds (none: one round, the whole program)"), page))
        lay.addWidget(self.round_table, 1)
        row = QHBoxLayout()
        for name, text, slot in (("addRound", tr("Add round"), self.add_round),
                                 ("removeRound", tr("Remove round"), lambda: self._remove(self.round_table))):
            b = QPushButton(text, page)
            b.setObjectName(name)
            b.clicked.connect(lambda _=False, f=slot: f())
            row.addWidget(b)
        row.addStretch(1)
        lay.addLayout(row)

        row = QHBoxLayout()
        self.target = QLineEdit(page)
        self.target.setObjectName("programFileTarget")
        self.target.setReadOnly(True)
        self.target.setPlaceholderText(tr("where the program file is written (rubric paths are relative to it)"))
        self.target.setAccessibleName(tr("Program file to write"))
        row.addWidget(self.target, 1)
        save_as = QPushButton(tr("Save as…"), page)
        save_as.setObjectName("chooseTarget")
        save_as.clicked.connect(self.choose_target)
        row.addWidget(save_as)
        lay.addLayout(row)
        self.form_state = QLabel("", page)
        self.form_state.setObjectName("programFormState")
        self.form_state.setWordWrap(True)
        lay.addWidget(self.form_state)
        self.form_problems = ProblemList("programFormProblems", page)
        lay.addWidget(self.form_problems, 1)
        self.create_form_btn = QPushButton(tr("Write the file and create the program"), page)
        self.create_form_btn.setObjectName("createFromForm")
        self.create_form_btn.setEnabled(False)
        self.create_form_btn.clicked.connect(self.create_from_form)
        lay.addWidget(self.create_form_btn)
        return page

    def _line(self, parent, name: str, placeholder: str) -> QLineEdit:
        w = QLineEdit(parent)
        w.setObjectName(name)
        w.setPlaceholderText(placeholder)
        w.textChanged.connect(lambda _t: self.schedule_check())
        return w

    def _grid(self, parent, name: str, headers: list[str], accessible: str) -> QTableWidget:
        t = QTableWidget(0, len(headers), parent)
        t.setObjectName(name)
        t.setAccessibleName(accessible)
        t.setHorizontalHeaderLabels(headers)
        t.verticalHeader().setVisible(False)
        t.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        t.horizontalHeader().setStretchLastSection(True)
        t.setTextElideMode(Qt.ElideLeft)  # a rubric's path shows its file name
        t.itemChanged.connect(lambda _item: self.schedule_check())
        return t

    def _append(self, table: QTableWidget, values: list[str]) -> None:
        table.blockSignals(True)
        row = table.rowCount()
        table.insertRow(row)
        for col, value in enumerate(values):
            table.setItem(row, col, QTableWidgetItem(value))
        table.blockSignals(False)
        table.setCurrentCell(row, 0)
        self.schedule_check()

    def add_track(self) -> None:
        n = self.track_table.rowCount() + 1
        rubric = resource("rubrics", "activity.toml" if n == 1 else "space.toml")
        self._append(self.track_table, [f"track{n}", "", "", str(rubric), "10", "3", "", "60"])

    def add_round(self) -> None:
        n = self.round_table.rowCount() + 1
        self._append(self.round_table, [str(n), f"{n}차", f"Round {n}", "", ""])

    def _remove(self, table: QTableWidget) -> None:
        row = table.currentRow()
        if row >= 0:
            table.removeRow(row)
            self.schedule_check()

    def choose_rubric(self) -> None:
        row = self.track_table.currentRow()
        if row < 0:
            return
        path = dialogs.open_file(self.ctx, self, tr("Rubric file"), tr("Rubric file (*.toml);;All files (*)"),
                                 resource("rubrics"))
        if path is not None:
            self.track_table.item(row, TRACK_COLUMNS.index("rubric")).setText(str(path))

    def choose_target(self) -> None:
        code = self.code.text().strip() or "program"
        path = dialogs.save_file(self.ctx, self, tr("Program file to write"), tr("Program file (*.toml)"),
                                 f"{code}.toml", ".toml")
        if path is not None:
            self.target.setText(str(path))
            self.schedule_check()

    def _rows(self, table: QTableWidget, keys) -> list[dict]:
        out = []
        for r in range(table.rowCount()):
            out.append({k: (table.item(r, c).text() if table.item(r, c) else "") for c, k in enumerate(keys)})
        return out

    def values(self) -> dict:
        return {"code": self.code.text(), "name_ko": self.name_ko.text(), "name_en": self.name_en.text(),
                "office_ko": self.office_ko.text(),
                "intake": self.intake.currentData(), "tracks": self._rows(self.track_table, TRACK_COLUMNS),
                "rounds": self._rows(self.round_table, ROUND_COLUMNS)}

    def folder(self) -> Path | None:
        return Path(self.target.text()).parent if self.target.text() else None

    def text(self) -> str:
        """The program file the form writes, as it stands."""
        return program_toml(self.values(), self.folder())

    def schedule_check(self) -> None:
        if hasattr(self, "timer"):
            self.create_form_btn.setEnabled(False)
            self.timer.start()

    def check_form(self) -> None:
        """Check the form's program file now with the core's validator (nothing is written)."""
        self.timer.stop()
        text, folder = self.text(), self.folder()
        name = Path(self.target.text()).name if self.target.text() else f"{self.code.text().strip() or 'program'}.toml"
        base = folder if folder is not None else Path.cwd()
        self._checks += 1
        ticket = self._checks
        self.ctx.query(lambda st: st.programs.check_text(text, source_name=name, base_dir=base),
                       lambda pd: self._form_checked(ticket, pd), parent=self).failure(
            lambda exc: self._form_failed(ticket, exc)).run_in_background()

    def _form_checked(self, ticket: int, pd) -> None:
        if ticket != self._checks:
            return
        self.form_problems.clear()
        if self.target.text():
            self.form_state.setText(_summary(pd))
        else:
            self.form_state.setText(_summary(pd) + " " + tr("Choose where to save the file (Save as…) to create it."))
        self.create_form_btn.setEnabled(bool(self.target.text()))

    def _form_failed(self, ticket: int, exc: BaseException) -> None:
        if ticket != self._checks:
            return
        self.create_form_btn.setEnabled(False)
        if not _show_problems(exc, self.form_problems, self.form_state):
            show_error(self, exc)

    def create_from_form(self) -> None:
        """Write the program file, then make the program from it (as ``evaluator program create FILE``)."""
        if not self.target.text():
            return
        path = Path(self.target.text())
        if path.exists() and not dialogs.confirm(self, tr("New program"),
                                                 tr("{name} exists already. Replace it?").format(name=path.name)):
            return
        text = self.text()
        self.create_form_btn.setEnabled(False)

        def op(st):
            st.programs.check_text(text, source_name=path.name, base_dir=path.parent)  # nothing written if bad
            existed = path.exists()
            path.write_text(text, encoding="utf-8")
            try:
                return st.programs.create_from_file(path)
            except BaseException:  # e.g. the code is taken: no new file is left behind either
                if not existed:
                    path.unlink(missing_ok=True)
                raise

        self.ctx.write(op, self._created, parent=self).failure(
            lambda exc: self._form_failed(self._checks, exc)).run_in_background()

    def done(self, result: int) -> None:
        self.timer.stop()
        super().done(result)


def _summary(pd) -> str:
    return tr("{name} ({code}): %n tracks, {rounds} rounds; no problems.", "", len(pd.tracks)).format(
        name=pd.name_ko, code=pd.code, rounds=len(pd.rounds))


def _show_problems(exc: BaseException, target: ProblemList, label: QLabel) -> bool:
    """A validation error's problems in the list (its sentence above); False for any other error."""
    from evaluator.errors import ValidationError

    if not isinstance(exc, ValidationError):
        return False
    problems = exc.problems
    label.setText(tr("%n problems; nothing was written.", "", max(1, len(problems))))
    if problems:
        target.show_problems(problems)
    else:
        target.clear()
        target.addItem(exc.message if hasattr(exc, "message") else str(exc))
    return True
