"""The façade's awards area (``store.awards``): awards of selected applications, their amounts,
dates and statuses, a reserve stepping in, disbursements, the settlement and the support log.

Awards are created by the round's sign-off (``store.rounds.sign_off``); everything here works in
the office database and is audited (entity ``award``).
"""

from __future__ import annotations

from datetime import date

from ..changes import Outcome
from ..errors import ValidationError
from ..messages import Message, msg
from ..services.common import current_program
from ..uow import Area
from . import service
from .model import CLOSED_STATUSES, AwardInfo, DisbursementInfo, SupportInfo, parse_status


def _day(value: date | str | None, what: Message) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(msg("awards.not_a_date", "{what} must be a date as YYYY-MM-DD, got {value}.", what=what,
                                  value=repr(value))) from None


_DAYS = {"agreed_on": msg("awards.what.agreed_on", "agreed on"), "starts_on": msg("awards.what.starts_on", "starts on"),
         "ends_on": msg("awards.what.ends_on", "ends on")}


class Awards(Area):
    """Awards of selected applications, disbursements, settlement and the support log."""

    def list(self) -> list[AwardInfo]:
        """Every award of the current program, by application."""
        with self._uow.read() as s:
            return service.award_infos(s, current_program(s))

    def get(self, application_id: str) -> AwardInfo:
        with self._uow.read() as s:
            p = current_program(s)
            award = service.award_for(s, p, application_id)
            return service.award_infos(s, p, award.application.external_id)[0]

    def set(self, application_id: str, *, reason: str, amount: int | None = None,
            agreed_on: date | str | None = None, starts_on: date | str | None = None,
            ends_on: date | str | None = None) -> Outcome[AwardInfo]:
        """Adjust an award's amount, agreement date or project period (each given value), with the
        reason (audited).  The amount never goes below what was already disbursed."""
        self._uow.require_office(msg("awards.what_change", "change an award"))
        days = {k: _day(v, _DAYS[k]) for k, v in (("agreed_on", agreed_on), ("starts_on", starts_on),
                                                           ("ends_on", ends_on))}
        with self._uow.write() as s:
            p = current_program(s)
            award = service.award_for(s, p, application_id)
            service.set_terms(s, award, amount=amount, reason=reason, actor=self._uow.actor, device=self._uow.device,
                              **days)
            s.flush()
            info = service.award_infos(s, p, award.application.external_id)[0]
        return self._uow.outcome(s, info)

    def set_status(self, application_id: str, status: str, *, reason: str,
                   step_in: bool | str = False) -> Outcome[list[AwardInfo]]:
        """Change an award's status (agreed, in progress, completed, withdrawn, cancelled) with the
        reason (audited).  With ``step_in`` (True: the best-ranked reserve left; or an application
        id) a withdrawn or cancelled award's place goes to a reserve of the same round and track: it
        becomes selected, the decision's reason says for whom it steps in, and it gets its award.
        Returns the award changed (and the reserve's new award)."""
        self._uow.require_office(msg("awards.what_change_status", "change an award's status"))
        code = parse_status(status)
        if code is None:
            raise ValidationError(msg("awards.unknown_status_given", "'{status}' is not an award status; use one of "
                                      "agreed, in progress, completed, withdrawn, cancelled.", status=status))
        if step_in and code not in CLOSED_STATUSES:
            raise ValidationError(msg("awards.step_in_needs_closed", "A reserve steps in only when an award is "
                                      "withdrawn or cancelled."))
        with self._uow.write() as s:
            p = current_program(s)
            award = service.award_for(s, p, application_id)
            service.set_status(s, award, code, reason, actor=self._uow.actor, device=self._uow.device)
            changed = [award]
            if step_in:
                changed.append(service.step_in(s, p, award, None if step_in is True else str(step_in),
                                               actor=self._uow.actor, device=self._uow.device))
            s.flush()
            infos = [service.award_infos(s, p, a.application.external_id)[0] for a in changed]
        return self._uow.outcome(s, infos)

    def disburse(self, application_id: str, amount: int, *, paid_on: date | str,
                 note: str = "") -> Outcome[DisbursementInfo]:
        """Record the next tranche paid on an award; refused with the reason if the total would go
        above the award (nothing written)."""
        self._uow.require_office(msg("awards.what_disburse", "record a disbursement"))
        day = _day(paid_on, msg("awards.what.tranche_date", "The tranche's date"))
        with self._uow.write() as s:
            award = service.award_for(s, current_program(s), application_id)
            d = service.disburse(s, award, amount, day, note, actor=self._uow.actor, device=self._uow.device)
            info = DisbursementInfo(d.tranche, d.paid_on, d.amount, d.note)
        return self._uow.outcome(s, info)

    def settle(self, application_id: str, settlement: str, *, returned_amount: int | None = None,
               note: str = "") -> Outcome[AwardInfo]:
        """The settlement (정산) at the end: ``submitted`` or ``checked``, and any amount returned."""
        self._uow.require_office(msg("awards.what_settle", "record a settlement"))
        with self._uow.write() as s:
            p = current_program(s)
            award = service.award_for(s, p, application_id)
            service.settle(s, award, settlement, returned_amount, note, actor=self._uow.actor,
                           device=self._uow.device)
            s.flush()
            info = service.award_infos(s, p, award.application.external_id)[0]
        return self._uow.outcome(s, info)

    def add_support(self, application_id: str, *, held_on: date | str, kind: str, topic: str, given_by: str = "",
                    attendees: int | None = None, note: str = "") -> Outcome[SupportInfo]:
        """Log a training, consulting or counselling session given to an awarded group."""
        self._uow.require_office(msg("awards.what_support", "log a support session"))
        day = _day(held_on, msg("awards.what.session_date", "The session's date"))
        with self._uow.write() as s:
            award = service.award_for(s, current_program(s), application_id)
            info = service.add_support(s, award, held_on=day, kind=kind, topic=topic, given_by=given_by,
                                       attendees=attendees, note=note, actor=self._uow.actor,
                                       device=self._uow.device)
        return self._uow.outcome(s, info)

    def support_log(self, application_id: str | None = None) -> list[SupportInfo]:
        with self._uow.read() as s:
            return service.support_log(s, current_program(s), application_id)


__all__ = ["Awards"]
