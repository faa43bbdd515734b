"""What every screen shares: the open store, the worker, settings and the app-wide change signal.

Screens never keep sessions or ORM objects; they ask the store through operations
(``ctx.query``, ``ctx.write``, ``ctx.job``) and redraw when ``changed`` says their data moved
(Anki's ``OpChanges`` idea: one signal, each screen decides whether it cares).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

# the kinds of change screens listen for are the core's
from evaluator.changes import (  # noqa: F401 - re-exported for the screens
    APPLICATIONS, ASSIGNMENTS, ATTACHMENTS, CONFLICTS, DECISIONS, EVALUATIONS, EVALUATORS, PACKAGES, PROGRAMS, SETTINGS,
)
from evaluator.changes import KINDS as ALL

from .settings import Settings
from .worker import JobOp, QueryOp, TaskManager, WriteOp


class AppContext(QObject):
    #: (frozenset of change kinds, initiator widget or None)
    changed = Signal(object, object)
    #: a short message for the status bar
    status = Signal(str)

    def __init__(self, store: Any, tasks: TaskManager, settings: Settings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.tasks = tasks
        self.settings = settings
        self.active_jobs: set = set()
        self.program = None
        self.programs: list = []  # every program in the database (the header's switcher)
        #: the round every screen shows (its code; None: the program's current round)
        self.round: str | None = None
        self.evaluators: list = []
        self.key_unlocked = False  # the store holds this database's unlocked key
        self.key_info = None  # public half of this database's key (fingerprint), if any
        self.role = "office"
        self.evaluator: str | None = None  # field mode: whose evaluations this laptop holds

    # --- operations -------------------------------------------------------------------------------
    def query(self, op: Callable[[Any], Any], success: Callable[[Any], None] | None = None, *,
              parent: QWidget | None = None) -> QueryOp:
        return QueryOp(self, parent=parent, op=op, success=success)

    def write(self, op: Callable[[Any], Any], success: Callable[[Any], None] | None = None, *,
              parent: QWidget | None = None) -> WriteOp:
        """``op(store)`` returns the core's ``Outcome``; screens hear what it changed."""
        return WriteOp(self, parent=parent, op=op, success=success)

    def job(self, label: str, op: Callable[[Any, Any, Any], Any], success: Callable[[Any], None] | None = None, *,
            parent: QWidget | None = None) -> JobOp:
        """``op(store, progress, cancel)``: a long job with a progress dialog and Cancel."""
        return JobOp(self, parent=parent, label=label, op=op, success=success)

    def round_shown(self) -> str | None:
        """The round to pass to the core's reads and writes: the one shown in the header, or None when
        the program has only one round (the same answer, without a round filter on every query)."""
        program = self.program
        if program is None or len(program.rounds) <= 1:
            return None
        return self.round

    def status_message(self, text: str) -> None:
        self.status.emit(text)

    @property
    def is_field(self) -> bool:
        return self.role == "field"
