"""How long personal data is kept, per data class, and what is due for destruction.

The rules are data: a program's settings hold them under ``retention`` (over the defaults below),
and :func:`rules` is the one function that reads them — the program file (the programs work) will
feed the same function.  A rule keeps a class of data ``years`` after a milestone:

====================== ============================================ ===========================
data class             what                                         default
====================== ============================================ ===========================
``not_selected``       applications not selected (reserve,          1 year after sign-off
                       not selected, ineligible, withdrawn)
``selected``           awardees                                     5 years after the project ends
``photos``             photos and documents of an application       with their application
====================== ============================================ ===========================

The milestones are each application's own: the sign-off of its round (``store.rounds.sign_off``)
and the end of its award's project period (``store.awards.set(ends_on=)``).  For an application
whose round was not signed off in the app, or an awardee whose award has no end date, the program
settings ``signed_off_on`` and ``project_ends_on`` stand in (``evaluator retention set``: a sign-off
or an end recorded elsewhere) — the sign-off only for applications received on or before it.
Without a milestone nothing of that class is due: the retention duty has not started to run.

The access log has its own rule (a year, two from 50,000 data subjects:
:mod:`evaluator.privacy.access`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db.models import Application, Award, Decision, Program, Round
from ..domain import SELECTED
from ..errors import ValidationError
from ..messages import msg, plural

NOT_SELECTED = "not_selected"
AWARDED = "selected"
PHOTOS = "photos"
CLASSES = (NOT_SELECTED, AWARDED, PHOTOS)
SIGN_OFF = "sign_off"
PROJECT_END = "project_end"
WITH_APPLICATION = "application"
#: the program settings that stand in for a milestone an application's round or award does not give
MILESTONE_SETTINGS = {SIGN_OFF: "signed_off_on", PROJECT_END: "project_ends_on"}

DEFAULT_RULES: dict[str, dict[str, Any]] = {
    NOT_SELECTED: {"years": 1, "after": SIGN_OFF},
    AWARDED: {"years": 5, "after": PROJECT_END},
    PHOTOS: {"with": WITH_APPLICATION},
}

_WHAT = {NOT_SELECTED: ("applicants not selected", "미선정 신청자"),
         AWARDED: ("awardees", "선정(지원) 대상자"),
         PHOTOS: ("photos and documents", "사진·첨부 문서")}
_AFTER = {SIGN_OFF: ("after sign-off", "심사 확정 후"), PROJECT_END: ("after the project ends", "사업 종료 후")}


@dataclass(frozen=True)
class RetentionRule:
    data_class: str
    years: int | None
    after: str | None
    with_class: str | None = None

    def text(self, lang: str = "en") -> str:
        i = 1 if lang == "ko" else 0
        what = _WHAT[self.data_class][i]
        if self.with_class:
            return f"{what}: 신청서와 함께" if i else f"{what}: with their application"
        after = _AFTER.get(self.after or "", (self.after or "", self.after or ""))[i]
        if i:
            return f"{what}: {after} {self.years}년"
        return f"{what}: {self.years} {plural(self.years, 'year', 'years')} {after}"


@dataclass(frozen=True)
class DueItem:
    """One application: its data class, the rule, the day its retention ends (None: not started)."""

    application_id: str
    uuid: str
    data_class: str
    rule: str
    until: date | None
    due: bool
    #: the milestone the period runs from (its round's sign-off, its award's end, or the setting's)
    since: date | None = None


def rules(program: Program) -> list[RetentionRule]:
    """The retention rules of ``program``: its settings' ``retention`` over :data:`DEFAULT_RULES`."""
    given = (program.settings or {}).get("retention") or {}
    out = []
    for cls in CLASSES:
        r = {**DEFAULT_RULES[cls], **(given.get(cls) or {})}
        if r.get("with"):
            out.append(RetentionRule(cls, None, None, str(r["with"])))
        else:
            out.append(RetentionRule(cls, int(r["years"]), str(r["after"])))
    return out


def check_rules(changes: dict[str, Any]) -> dict[str, Any]:
    """Validate retention settings given as ``{class: {"years": n, "after": milestone}}``."""
    out: dict[str, Any] = {}
    for cls, r in changes.items():
        if cls not in (NOT_SELECTED, AWARDED):
            raise ValidationError(msg("privacy.not_a_data_class", "'{data_class}' is not a data class with its own "
                                      "period; use {not_selected} or {awarded} (photos go with their application).",
                                      data_class=cls, not_selected=NOT_SELECTED, awarded=AWARDED))
        years = r.get("years")
        if type(years) is not int or not 0 <= years <= 100:
            raise ValidationError(msg("privacy.retention_years", "The retention of {data_class} must be a whole "
                                      "number of years from 0 to 100, not {years}.", data_class=cls,
                                      years=repr(years)))
        after = r.get("after", DEFAULT_RULES[cls]["after"])
        if after not in MILESTONE_SETTINGS:
            raise ValidationError(msg("privacy.not_a_milestone", "'{after}' is not a milestone; use {milestones}.",
                                      after=after, milestones=" or ".join(MILESTONE_SETTINGS)))
        out[cls] = {"years": years, "after": after}
    return out


def milestones(program: Program) -> dict[str, date | None]:
    settings = program.settings or {}
    out: dict[str, date | None] = {}
    for key, name in MILESTONE_SETTINGS.items():
        value = settings.get(name)
        out[key] = parse_day(value, name) if value else None
    return out


def parse_day(value: Any, what: str) -> date:
    if isinstance(value, date):
        return value if not isinstance(value, datetime) else value.date()
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError(msg("privacy.not_a_date", "{what}: '{value}' is not a date (write it as 2013-04-12).",
                                  what=what, value=str(value))) from None


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def data_class(decision: str | None) -> str:
    return AWARDED if decision == SELECTED else NOT_SELECTED


def schedule(s: Session, program: Program, today: date) -> list[DueItem]:
    """Every application of ``program`` not purged yet, with its class, rule and end of retention."""
    by_class = {r.data_class: r for r in rules(program)}
    ms = milestones(program)
    signed_off = {rid: at.date() if isinstance(at, datetime) else at for rid, at in s.execute(
        select(Round.id, Round.signed_off_at).where(Round.program_id == program.id, Round.signed_off_at.is_not(None)))}
    project_end = dict(s.execute(
        select(Award.application_id, Award.ends_on).join(Application, Application.id == Award.application_id)
        .where(Application.program_id == program.id, Award.ends_on.is_not(None))).all())
    own = {SIGN_OFF: lambda pk, rnd: signed_off.get(rnd), PROJECT_END: lambda pk, rnd: project_end.get(pk)}
    decided = {pk: override or computed for pk, override, computed in s.execute(
        select(Decision.application_id, Decision.override, Decision.computed)
        .join(Application, Application.id == Decision.application_id)
        .where(Application.program_id == program.id))}
    out = []
    for pk, ext, uuid, rnd, submitted in s.execute(
            select(Application.id, Application.external_id, Application.uuid, Application.round_id,
                   Application.submitted_on)
            .where(Application.program_id == program.id, Application.purged_at.is_(None))
            .order_by(Application.external_id)):
        cls = data_class(decided.get(pk))
        rule = by_class[cls]
        after = rule.after or ""
        start = own[after](pk, rnd) if after in own else None
        if start is None:
            start = ms.get(after)
            # a sign-off recorded elsewhere cannot have decided an application received after it (a
            # later round, still open here): its retention has not started
            if after == SIGN_OFF and start is not None and submitted is not None and parse_day(submitted, "submitted_on") > start:
                start = None
        until = add_years(start, rule.years or 0) if start is not None else None
        out.append(DueItem(ext, uuid, cls, rule.text(), until, until is not None and until <= today, start))
    return out


__all__ = ["AWARDED", "CLASSES", "DEFAULT_RULES", "DueItem", "NOT_SELECTED", "PHOTOS", "PROJECT_END",
           "RetentionRule", "SIGN_OFF", "check_rules", "milestones", "rules", "schedule"]
