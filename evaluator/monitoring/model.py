"""Plain values about follow-up monitoring (what ``store.monitoring`` returns)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

PLANNED, DRAFT, FINALISED = "planned", "draft", "finalised"
VISIT_STATES = (PLANNED, DRAFT, FINALISED)


@dataclass(frozen=True)
class PlannedVisit:
    """A visit the plan asks of every award: its code (``mid``, ``final`` …) and when it falls due,
    in months after the project starts (its start date, else the agreement, else the award)."""

    code: str
    months: int


@dataclass(frozen=True)
class MonitoringRubricRef:
    track: str
    code: str
    version: str
    file: str


@dataclass(frozen=True)
class MonitoringPlan:
    """A program's monitoring plan: the visits due per award and each track's monitoring rubric."""

    program: str
    visits: tuple[PlannedVisit, ...]
    rubrics: tuple[MonitoringRubricRef, ...]


@dataclass(frozen=True)
class Action:
    """A required action written on a visit: what, by when, and whether it was done."""

    text: str
    due_on: date | None
    done: bool = False


@dataclass(frozen=True)
class VisitInfo:
    """A monitoring visit: the award it belongs to, its number, who visits, when it is due, and what
    was recorded."""

    uuid: str
    application_id: str
    track: str
    sequence: int
    plan_code: str
    evaluator: str | None
    due_on: date | None
    state: str
    visited_at: datetime | None
    attendees: str
    checklist: dict[str, bool]
    ratings: dict[str, str]
    findings: str
    actions: tuple[Action, ...]
    version: int

    @property
    def open_actions(self) -> int:
        """How many of its required actions are not done yet."""
        return sum(not a.done for a in self.actions)


@dataclass(frozen=True)
class DueVisit:
    application_id: str
    group_name: str
    sequence: int
    plan_code: str
    evaluator: str | None
    due_on: date
    state: str
    overdue: bool
    days_overdue: int


@dataclass(frozen=True)
class MonitoringAssignment:
    """What ``monitoring assign`` did: visits added, each visitor's load, awards left unassigned."""

    added: int
    loads: dict[str, int]
    unassigned: tuple[str, ...]


def action_values(actions: Any) -> list[dict[str, Any]]:
    """Actions as stored (JSON)."""
    return [{"text": a.text, "due_on": a.due_on.isoformat() if a.due_on else None, "done": bool(a.done)}
            for a in actions]


__all__ = ["Action", "DRAFT", "DueVisit", "FINALISED", "MonitoringAssignment", "MonitoringPlan",
           "MonitoringRubricRef", "PLANNED", "PlannedVisit", "VISIT_STATES", "VisitInfo", "action_values"]
