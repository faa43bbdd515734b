"""The header's program and round switcher: which program and which round every screen shows.

Choosing another program makes the store work on it (``store.programs.select``, nothing is
written) and rebuilds the screens; choosing another round tells the screens to show that round.
The lists follow what writes change (a new program, a round opened, closed or signed off).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSizePolicy, QWidget

from .i18n import language, tr


def round_status_label(status: str) -> str:
    return {"open": tr("open"), "closed": tr("closed"), "signed_off": tr("signed off")}.get(status, status)


def round_text(rnd) -> str:
    """A round as the switcher and the Program screen name it: its name and status."""
    return tr("{round} ({status})").format(round=rnd.name(language()), status=round_status_label(rnd.status))


class ProgramSwitcher(QWidget):
    """Two lists in the header: the program (every program in the database that is not archived,
    plus the one shown) and its rounds."""

    programChosen = Signal(str)
    roundChosen = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("programSwitcherBar")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        plabel = QLabel(tr("Program"), self)
        lay.addWidget(plabel)
        self.program = QComboBox(self)
        self.program.setObjectName("programSwitcher")
        self.program.setAccessibleName(tr("Program shown"))
        # as wide as a program's code and the start of its name: the header keeps to the default window
        self.program.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.program.setMinimumContentsLength(22)
        self.program.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Fixed)
        plabel.setBuddy(self.program)
        lay.addWidget(self.program)
        rlabel = QLabel(tr("Round"), self)
        lay.addWidget(rlabel)
        self.round = QComboBox(self)
        self.round.setObjectName("roundSwitcher")
        self.round.setAccessibleName(tr("Round shown"))
        self.round.setSizeAdjustPolicy(QComboBox.AdjustToContents)
        rlabel.setBuddy(self.round)
        lay.addWidget(self.round)
        self.program.activated.connect(self._program_activated)
        self.round.activated.connect(self._round_activated)

    def set_state(self, programs, program, round_code: str | None) -> None:
        """Show ``programs`` with ``program`` chosen, and its rounds with ``round_code`` chosen."""
        lang = language()
        self.program.blockSignals(True)
        self.program.clear()
        for p in programs:
            if p.archived and (program is None or p.code != program.code):
                continue
            self.program.addItem(f"{p.code} · {p.name(lang)}", p.code)
        if program is not None and self.program.findData(program.code) < 0:
            self.program.addItem(f"{program.code} · {program.name(lang)}", program.code)
        self.program.setCurrentIndex(max(0, self.program.findData(program.code if program else None)))
        self.program.blockSignals(False)
        self.round.blockSignals(True)
        self.round.clear()
        for r in (program.rounds if program is not None else ()):
            self.round.addItem(round_text(r), r.code)
        self.round.setCurrentIndex(max(0, self.round.findData(round_code)))
        self.round.blockSignals(False)

    def _program_activated(self, index: int) -> None:
        code = self.program.itemData(index)
        if code:
            self.programChosen.emit(code)

    def _round_activated(self, index: int) -> None:
        code = self.round.itemData(index)
        if code:
            self.roundChosen.emit(code)
