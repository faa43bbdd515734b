"""Plain values about awards, disbursements and the support log (what ``store.awards`` returns)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..messages import Message, msg

AGREED, IN_PROGRESS, COMPLETED, AWARD_WITHDRAWN, CANCELLED = "agreed", "in_progress", "completed", "withdrawn", \
    "cancelled"
#: an award's statuses, in the order a project goes through them
AWARD_STATUSES = (AGREED, IN_PROGRESS, COMPLETED, AWARD_WITHDRAWN, CANCELLED)
#: statuses an award may move to from each status (withdrawn and cancelled are final)
NEXT_STATUSES = {
    AGREED: (IN_PROGRESS, AWARD_WITHDRAWN, CANCELLED),
    IN_PROGRESS: (COMPLETED, AWARD_WITHDRAWN, CANCELLED),
    COMPLETED: (IN_PROGRESS, CANCELLED),
    AWARD_WITHDRAWN: (),
    CANCELLED: (),
}
#: an award that no longer runs: no tranche, no monitoring visit
CLOSED_STATUSES = (AWARD_WITHDRAWN, CANCELLED)
STATUS_LABELS = {AGREED: ("협약", "agreed"), IN_PROGRESS: ("진행 중", "in progress"), COMPLETED: ("완료", "completed"),
                 AWARD_WITHDRAWN: ("포기", "withdrawn"), CANCELLED: ("취소", "cancelled")}
#: settlement (정산) at the end of the project
SETTLEMENTS = ("submitted", "checked")
#: the support log's kinds of session
SUPPORT_KINDS = ("training", "consulting", "counselling")
SUPPORT_LABELS = {"training": ("교육", "training"), "consulting": ("컨설팅", "consulting"),
                  "counselling": ("상담", "counselling")}


#: the statuses as the core's messages say them (the Korean text is the label above)
STATUS_TEXTS = {AGREED: msg("awards.status.agreed", "agreed"), IN_PROGRESS: msg("awards.status.in_progress", "in progress"),
                COMPLETED: msg("awards.status.completed", "completed"),
                AWARD_WITHDRAWN: msg("awards.status.withdrawn", "withdrawn"),
                CANCELLED: msg("awards.status.cancelled", "cancelled")}


def status_text(status: str) -> Message | str:
    """The status in a message, rendered in the language in effect (an unknown code as it is)."""
    return STATUS_TEXTS.get(status, status)


def status_label(status: str, lang: str = "ko") -> str:
    ko, en = STATUS_LABELS.get(status, (status, status))
    return en if lang == "en" else ko


def parse_status(text: str) -> str | None:
    """``in progress``, ``in-progress``, ``IN_PROGRESS`` or a Korean label → ``in_progress``; None if unknown."""
    key = "_".join(str(text).replace("-", " ").split()).casefold()
    for code, (ko, _en) in STATUS_LABELS.items():
        if key in (code, "".join(ko.split())):
            return code
    return None


@dataclass(frozen=True)
class DisbursementInfo:
    tranche: int
    paid_on: date
    amount: int
    note: str


@dataclass(frozen=True)
class SupportInfo:
    """A training, consulting or counselling session given to an awarded group."""

    application_id: str
    held_on: date
    kind: str
    topic: str
    given_by: str
    attendees: int | None
    note: str


@dataclass(frozen=True)
class AwardInfo:
    """An award: the application it went to, the amount, dates, status, money paid out and left."""

    application_id: str
    uuid: str
    track: str
    round: str
    title: str
    group_name: str
    requested_amount: int | None
    amount: int
    status: str
    status_reason: str
    agreed_on: date | None
    starts_on: date | None
    ends_on: date | None
    stepped_in_for: str
    disbursed: int
    balance: int
    disbursements: tuple[DisbursementInfo, ...]
    settlement: str
    returned_amount: int | None
    support_sessions: int


__all__ = ["AGREED", "AWARD_STATUSES", "AWARD_WITHDRAWN", "AwardInfo", "CANCELLED", "CLOSED_STATUSES", "COMPLETED",
           "DisbursementInfo", "IN_PROGRESS", "NEXT_STATUSES", "SETTLEMENTS", "SUPPORT_KINDS", "SupportInfo",
           "parse_status", "status_label"]
