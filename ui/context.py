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

from .settings import Settings
from .worker import JobOp, QueryOp, TaskManager, WriteOp

#: kinds of change screens listen for
APPLICATIONS = "applications"
ASSIGNMENTS = "assignments"
EVALUATIONS = "evaluations"
DECISIONS = "decisions"
EVALUATORS = "evaluators"
ALL = frozenset({APPLICATIONS, ASSIGNMENTS, EVALUATIONS, DECISIONS, EVALUATORS})


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
              parent: QWidget | None = None, changes=frozenset()) -> WriteOp:
        return WriteOp(self, parent=parent, op=op, success=success, changes=changes)

    def job(self, label: str, op: Callable[[Any, Any, Any], Any], success: Callable[[Any], None] | None = None, *,
            parent: QWidget | None = None, changes=frozenset()) -> JobOp:
        return JobOp(self, parent=parent, label=label, op=op, success=success, changes=changes)

    def has(self, name: str) -> bool:
        """Whether the core offers façade method ``name`` (areas land one by one)."""
        return callable(getattr(self.store, name, None))

    def status_message(self, text: str) -> None:
        self.status.emit(text)

    @property
    def is_field(self) -> bool:
        return self.role == "field"
