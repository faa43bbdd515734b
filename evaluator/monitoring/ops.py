"""The façade's monitoring area (``store.monitoring``): the program's monitoring plan, visits
assigned to visitors, what is due and overdue, and visits recorded (in the office, or on a field
laptop from its kit; a signed package brings them back — ``store.packages.merge``)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..changes import Outcome
from ..excel.results import ExportReport
from ..jobs import NEVER, CancelToken, Progress, no_progress
from ..errors import NotFound, ValidationError
from ..messages import Message, msg
from ..services.common import current_program, evaluator_by_code
from ..uow import Area
from . import photos, service
from .model import Action, DueVisit, MonitoringAssignment, MonitoringPlan, PlannedVisit, VisitInfo
from .photos import MonitoringPhoto


def _when(value: datetime | date | str | None, what: Message | str) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    try:
        return datetime.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(msg("monitoring.not_a_time", "{what} must be a date (YYYY-MM-DD) or a date and time "
                                  "(YYYY-MM-DD HH:MM), got {value}.", what=what, value=repr(value))) from None


def _actions(actions: list[Any] | None) -> list[Action]:
    out = []
    for a in actions or []:
        if isinstance(a, Action):
            out.append(a)
            continue
        due = a.get("due_on")
        try:
            due = date.fromisoformat(due) if isinstance(due, str) else due
        except ValueError:
            raise ValidationError(msg("monitoring.action_due_not_date", "The action '{action}' has a due date that is "
                                      "not YYYY-MM-DD: {value}.", action=a.get("text", ""), value=repr(due))) from None
        out.append(Action(str(a.get("text", "")).strip(), due, bool(a.get("done", False))))
    return out


def _no_visits(blank: bool, evaluator: str | None, application_ids: list[str] | None) -> Message:
    """No visit to print: what was asked for (to make or recorded; by whom; of which applications)."""
    apps = ", ".join(application_ids or ())
    if blank:
        if evaluator and apps:
            return msg("monitoring.none_to_make_by_of", "No monitoring visit to make for {evaluator} of {apps}.",
                       evaluator=evaluator, apps=apps)
        if evaluator:
            return msg("monitoring.none_to_make_by", "No monitoring visit to make for {evaluator}.", evaluator=evaluator)
        if apps:
            return msg("monitoring.none_to_make_of", "No monitoring visit to make of {apps}.", apps=apps)
        return msg("monitoring.none_to_make", "No monitoring visit to make.")
    if evaluator and apps:
        return msg("monitoring.none_recorded_by_of", "No monitoring visit recorded for {evaluator} of {apps}.",
                   evaluator=evaluator, apps=apps)
    if evaluator:
        return msg("monitoring.none_recorded_by", "No monitoring visit recorded for {evaluator}.", evaluator=evaluator)
    if apps:
        return msg("monitoring.none_recorded_of", "No monitoring visit recorded of {apps}.", apps=apps)
    return msg("monitoring.none_recorded", "No monitoring visit recorded.")


def _report_lang(lang: str) -> str:
    if lang not in ("ko", "en"):
        raise ValidationError(msg("monitoring.unknown_language", "Unknown report language {lang}; use one of ko, en.",
                                  lang=repr(lang)))
    return lang


def _personal(include_personal: bool, reason: str | None, what: Message) -> str | None:
    """The reason a document printing attendees needs (asked before anything is written)."""
    if not include_personal:
        return reason
    from ..privacy.access import require_reason

    return require_reason(reason, what)


def _withheld(lang: str) -> str:
    return "비공개 (개인정보)" if lang == "ko" else "withheld (personal data)"


class Monitoring(Area):
    """Follow-up monitoring: plan, assignment, due visits, visits recorded."""

    def plan(self) -> MonitoringPlan:
        """The current program's monitoring plan (no visits: none set yet)."""
        with self._uow.read() as s:
            return service.plan_info(s, current_program(s))

    def set_plan(self, visits: list[tuple[str, int]] | None = None, *, every_months: int | None = None,
                 count: int | None = None, rubrics: dict[str, str | Path] | None = None) -> Outcome[MonitoringPlan]:
        """Set the visits due per award — ``visits`` as (code, months after the start), or one every
        ``every_months`` months ``count`` times; neither: a mid-term visit at 3 months and a final one
        at 6 — and each track's monitoring rubric (``rubrics`` {track: file}; a track not named keeps
        its rubric, else gets the shipped ``resources/rubrics/monitoring-TRACK.toml``)."""
        self._uow.require_office(msg("monitoring.what_set_plan", "set the monitoring plan"))
        if visits and every_months:
            raise ValidationError(msg("monitoring.plan_one_way", "Give the plan's visits one way: --visit "
                                      "CODE=MONTHS, or --every-months N."))
        if every_months:
            if every_months <= 0 or not count or count <= 0:
                raise ValidationError(msg("monitoring.every_months", "--every-months N needs a positive N and --count "
                                          "(how many visits)."))
            planned = [PlannedVisit(str(i + 1), every_months * (i + 1)) for i in range(count)]
        elif visits:
            planned = [PlannedVisit(str(c).strip(), int(m)) for c, m in visits]
        else:
            planned = list(service.DEFAULT_VISITS)
        with self._uow.write() as s:
            info = service.set_plan(s, current_program(s), planned, dict(rubrics or {}), actor=self._uow.actor,
                                    device=self._uow.device)
        return self._uow.outcome(s, info)

    def assign(self, evaluators: list[str] | None = None) -> Outcome[MonitoringAssignment]:
        """Give every running award's planned visits a visitor (its visitor so far, else the least
        loaded evaluator with no declared conflict on it; ``evaluators`` limits who)."""
        self._uow.require_office(msg("monitoring.what_assign", "assign monitoring visits"))
        with self._uow.write() as s:
            result = service.assign(s, current_program(s), evaluators, actor=self._uow.actor, device=self._uow.device)
        return self._uow.outcome(s, result)

    def due(self, *, overdue: bool = False, today: date | None = None) -> list[DueVisit]:
        """Visits not finalised, soonest due first (only those past due with ``overdue``)."""
        with self._uow.read() as s:
            p = current_program(s)
            return service.due(s, p, today=today or service.today(s, p), overdue_only=overdue)

    def as_of(self) -> date | None:
        """The day the program's follow-up counts from when no ``today`` is given, if the program
        sets one (the demo does, in its 2012 project period); None: the real date."""
        with self._uow.read() as s:
            return service.as_of(s, current_program(s))

    def visits(self, application_id: str | None = None, evaluator: str | None = None) -> list[VisitInfo]:
        with self._uow.read() as s:
            return service.visits(s, current_program(s), application_id, evaluator)

    def add_visit(self, application_id: str, evaluator: str) -> Outcome[VisitInfo]:
        """A visit beyond the plan (visit 3, 4 …) to an award, by ``evaluator``."""
        with self._uow.write() as s:
            p = current_program(s)
            v = service.add_visit(s, p, application_id, evaluator_by_code(s, evaluator), device=self._uow.device)
            info = service.visits(s, p, application_id)[-1]
            self._audit(s, action="monitoring_visit_add", entity="monitoring_visit", entity_uuid=v.uuid,
                        new={"application": application_id, "sequence": v.sequence, "evaluator": evaluator})
        return self._uow.outcome(s, info)

    def record(self, application_id: str, sequence: int, *, visited_at: datetime | date | str | None = None,
               attendees: str = "", checklist: dict[str, bool] | None = None, ratings: dict[str, str] | None = None,
               findings: str = "", actions: list[Any] | None = None, finalise: bool = False) -> Outcome[VisitInfo]:
        """Save what was found on visit ``sequence`` of an award (the whole visit: checklist, ratings
        by the track's monitoring rubric, findings, required actions with due dates); with
        ``finalise`` it is complete and kept as it is.  A visit dated before the agreement, an action
        due before the visit, an unknown item or level: refused with the reason, nothing written."""
        when = _when(visited_at, msg("monitoring.what.visit_date", "The visit's date"))
        acts = _actions(actions)
        with self._uow.write() as s:
            p = current_program(s)
            v = service.visit_by(s, p, application_id, sequence)
            service.record(s, p, v, visited_at=when, attendees=attendees, checklist=dict(checklist or {}),
                           ratings=dict(ratings or {}), findings=findings, actions=acts, finalise=finalise,
                           actor=self._uow.actor, device=self._uow.device)
            s.flush()
            info = next(x for x in service.visits(s, p, application_id) if x.sequence == sequence)
        return self._uow.outcome(s, info)

    # --- photos of a visit (evaluator.monitoring.photos) --------------------------------------------
    def add_photo(self, application_id: str, sequence: int, source: Any, *, filename: str | None = None,
                  media_type: str | None = None, caption: str = "") -> Outcome[MonitoringPhoto]:
        """Attach a photo (a path or bytes) to visit ``sequence`` of an award, with the limits of an
        evaluation's photos (at most 50 MB); it travels in the visitor's result package.  A file
        that cannot be read or is not a photo (its content says: :func:`photos.image_type`, which
        also gives its media type unless ``media_type`` does), a finalised visit, a closed award or
        a visit with no visitor here: refused with the reason, nothing written."""
        from ..services.attachments import read_source

        data, name, _guessed = read_source(source, filename, media_type)
        with self._uow.write() as s:
            p = current_program(s)
            v = service.visit_by(s, p, application_id, sequence)
            a = photos.add(s, v, data, name=name, media_type=media_type, caption=caption)
            self._audit(s, action="monitoring_photo", entity="attachment", entity_uuid=a.uuid,
                        new={"application": application_id, "visit": sequence, "filename": a.filename,
                             "sha256": a.sha256, "caption": a.caption}, subject=photos.subject(s, v))
            info = next(x for x in photos.photos(s, p.id, application_id, sequence) if x.uuid == a.uuid)
        return self._uow.outcome(s, info)

    def photos(self, application_id: str | None = None, sequence: int | None = None) -> list[MonitoringPhoto]:
        """The photos of the program's monitoring visits (of one award, of one of its visits)."""
        with self._uow.read() as s:
            return photos.photos(s, current_program(s).id, application_id, sequence)

    def photo_data(self, uuid: str) -> bytes:
        from ..services.attachments import data

        with self._uow.read() as s:
            return data(photos.by_uuid(s, uuid)[0])

    def remove_photo(self, uuid: str, *, reason: str = "") -> Outcome[None]:
        """Remove a visit's photo: its bytes are gone, its record stays marked removed so the removal
        travels in the next package (as an evaluation's photo's does); ``reason`` is kept in the
        audit trail.  Not on a finalised visit."""
        with self._uow.write() as s:
            a, v = photos.by_uuid(s, uuid)
            photos.check_removable(s, v)
            if not a.deleted or a.data is not None:
                a.deleted, a.data, a.path = True, None, None
                self._audit(s, action="remove_monitoring_photo", entity="attachment", entity_uuid=a.uuid,
                            old={"deleted": False}, new={"deleted": True}, reason=reason.strip(),
                            subject=photos.subject(s, v))
        return self._uow.outcome(s, None)

    def export_follow_up(self, path: str | Path, *, today: date | None = None, lang: str = "ko",
                         progress: Progress = no_progress, cancel: CancelToken = NEVER) -> ExportReport:
        """The follow-up workbook: awards (disbursed, balance, next visit due, open actions),
        monitoring visits one row per visit × item, and the open required actions.  A read."""
        from .exports import export_follow_up

        with self._uow.read() as s:
            p = current_program(s)
            report = export_follow_up(s, p, path, today=today or service.today(s, p), lang=lang, progress=progress,
                                      cancel=cancel)
            subjects = _awarded(s, p)
        self._log_output(report.path, action="export", what="follow-up workbook", subjects=subjects)
        return report

    def follow_up_summary(self, out: str | Path, *, lang: str = "ko", today: date | None = None,
                          progress: Progress = no_progress, cancel: CancelToken = NEVER) -> Path:
        """The program follow-up summary for the committee (PDF): awards by status with money
        awarded, disbursed and left, overdue visits, ratings on finalised visits, open actions."""
        from .report import follow_up_summary

        if lang not in ("ko", "en"):
            raise ValidationError(msg("monitoring.unknown_language", "Unknown report language {lang}; use one of ko, "
                                      "en.", lang=repr(lang)))
        with self._uow.read() as s:
            p = current_program(s)
            path = follow_up_summary(s, p, out, lang=lang, today=today or service.today(s, p), progress=progress,
                                     cancel=cancel)
            subjects = _awarded(s, p)
        self._log_output(path, action="print", what="follow-up summary", subjects=subjects)
        return path

    def visit_sheets(self, out: str | Path, *, blank: bool = False, application_ids: list[str] | None = None,
                     evaluator: str | None = None, lang: str = "ko", include_personal: bool = False,
                     reason: str | None = None, progress: Progress = no_progress,
                     cancel: CancelToken = NEVER) -> Path:
        """Monitoring visit sheets (PDF), one page per visit: ``blank`` the paper form of every visit
        still to make (checklist boxes, each criterion's levels with their descriptions, findings,
        actions, signature line), else filled from every recorded visit (a draft marked DRAFT).
        Select by ``application_ids`` and/or ``evaluator``.  Attendees are printed only with
        ``include_personal`` (and a ``reason``, kept in the access log)."""
        from .sheets import visit_sheets

        lang = _report_lang(lang)
        reason = _personal(include_personal, reason, msg("monitoring.what.sheets_with_attendees",
                                                          "The monitoring visit sheets with attendees"))
        with self._uow.read() as s:
            p = current_program(s)
            chosen = [v for v in service.visits(s, p, None, evaluator)
                      if (not application_ids or v.application_id in application_ids)
                      and ((v.state != "finalised") if blank else (v.state != "planned"))]
            if not chosen:
                raise NotFound(_no_visits(blank, evaluator, application_ids))
            path = visit_sheets(s, p, out, visits=chosen, blank=blank, lang=lang,
                                withheld=None if include_personal or blank else _withheld(lang),
                                progress=progress, cancel=cancel)
        self._log_output(path, action="print", what="monitoring visit sheets" + (" (blank)" if blank else ""),
                         subjects=sorted({v.application_id for v in chosen}),
                         fields=["attendees"] if include_personal and not blank else [], reason=reason or "")
        return path

    def follow_up_dossier(self, out: str | Path, *, application_id: str, lang: str = "ko",
                          include_personal: bool = False, reason: str | None = None, today: date | None = None,
                          progress: Progress = no_progress, cancel: CancelToken = NEVER) -> Path:
        """One awarded project's follow-up dossier (PDF): the award, every monitoring visit (checklist,
        ratings, findings, actions), the open actions, tranches and settlement, the support log.
        Attendees are printed only with ``include_personal`` (and a ``reason``)."""
        from .sheets import follow_up_dossier

        lang = _report_lang(lang)
        reason = _personal(include_personal, reason, msg("monitoring.what.dossier_with_attendees",
                                                          "The follow-up dossier of {app} with attendees",
                                                          app=application_id))
        with self._uow.read() as s:
            p = current_program(s)
            path = follow_up_dossier(s, p, out, application_id=application_id, lang=lang,
                                     withheld=None if include_personal else _withheld(lang),
                                     today=today or service.today(s, p), progress=progress, cancel=cancel)
        self._log_output(path, action="print", what="follow-up dossier", subjects=[application_id],
                         fields=["attendees"] if include_personal else [], reason=reason or "")
        return path

    def rubric(self, track: str):  # noqa: ANN201 - evaluator.rubric.Rubric
        """The track's monitoring rubric (from the plan; in a field database, from the kit)."""
        with self._uow.read() as s:
            p = current_program(s)
            rd = service.monitoring_rubrics(s, p).get(track)
            if rd is None:
                raise ValidationError(msg("monitoring.no_rubric_yet", "Track '{track}' has no monitoring rubric in "
                                          "program '{program}' yet: set the plan with 'evaluator monitoring plan'.",
                                          track=track, program=p.code))
            return rd


__all__ = ["Monitoring"]


def _awarded(s, program) -> list[str]:  # noqa: ANN001 - a session and a Program
    """The application IDs of the program's awards: whom a follow-up output is about (its access-log
    entry's subjects)."""
    from sqlalchemy import select

    from ..db.models import Application, Award

    return list(s.execute(select(Application.external_id).join(Award, Award.application_id == Application.id)
                          .where(Application.program_id == program.id).order_by(Application.external_id)).scalars())

