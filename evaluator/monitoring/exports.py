"""The follow-up workbook (``evaluator export follow-up FILE``): awards with what was disbursed and
what is left, monitoring visits in long format (one row per visit × checklist item or rated
criterion), and the required actions still open.  A read: nothing is stored."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from ..audit.anchors import last_anchor
from ..awards import service as awards_svc
from ..awards.model import status_label
from ..db.models import Program
from ..excel import columns as C
from ..excel.results import ExportReport
from ..excel.writer import WorkbookWriter, check_lang
from ..jobs import NEVER, CancelToken, Progress, no_progress
from ..messages import msg
from . import service

AWARDS = (
    C._c("application_id", "접수번호", "Application ID", "id", 14), C._c("track", "분야", "Track", "text", 10),
    C._c("round", "차수", "Round", "text", 6), C._c("group_name", "단체명", "Group", "text", 24),
    C._c("title", "사업명", "Project", "text", 30), C._c("amount", "지원액", "Awarded", "krw", 14),
    C._c("disbursed", "지급액", "Disbursed", "krw", 14), C._c("balance", "잔액", "Balance", "krw", 14),
    C._c("status", "상태", "Status", "text", 10), C._c("status_reason", "사유", "Reason", "text", 24),
    C._c("agreed_on", "협약일", "Agreed on", "date", 12), C._c("starts_on", "사업 시작", "Starts", "date", 12),
    C._c("ends_on", "사업 종료", "Ends", "date", 12), C._c("stepped_in_for", "승계 대상", "Stepped in for", "id", 14),
    C._c("settlement", "정산", "Settlement", "text", 10), C._c("returned", "반환액", "Returned", "krw", 12),
    C._c("support", "지원 활동 수", "Support sessions", "int", 10),
    C._c("next_due", "다음 점검 예정일", "Next visit due", "date", 14),
    C._c("open_actions", "미완료 조치", "Open actions", "int", 10),
)
VISITS = (
    C._c("application_id", "접수번호", "Application ID", "id", 14), C._c("visit", "회차", "Visit", "int", 6),
    C._c("plan", "계획", "Plan", "text", 8), C._c("visitor", "점검자", "Visitor", "id", 8),
    C._c("due_on", "예정일", "Due", "date", 12), C._c("state", "상태", "State", "text", 10),
    C._c("visited_at", "방문 일시", "Visited at", "text", 17), C._c("item_kind", "항목 종류", "Item kind", "text", 10),
    C._c("item", "항목", "Item", "id", 16), C._c("value", "결과", "Value", "text", 10),
)
ACTIONS = (
    C._c("application_id", "접수번호", "Application ID", "id", 14), C._c("visit", "회차", "Visit", "int", 6),
    C._c("visitor", "점검자", "Visitor", "id", 8), C._c("action", "필요 조치", "Required action", "text", 40),
    C._c("due_on", "기한", "Due", "date", 12), C._c("overdue", "기한 경과", "Overdue", "bool", 8),
)


#: the sheets' Korean titles (their keys, the English titles, stay in ``_meta``)
TITLES_KO = {"awards": "수혜", "visits": "점검", "open actions": "미완료 조치"}
#: a visit's state and an item's kind as a Korean workbook writes them
STATES_KO = {"planned": "예정", "draft": "작성 중", "finalised": "확정"}
KINDS_KO = {"checklist": "점검표", "rating": "평가"}


def export_follow_up(s: Session, program: Program, path, *, today: date, lang: str = "ko",
                     progress: Progress = no_progress, cancel: CancelToken = NEVER) -> ExportReport:
    """In Korean by default (sheet titles, headers, statuses, states and kinds; the keys in
    ``_meta``), ``lang="en"`` in English."""
    ko = check_lang(lang) == "ko"

    def title(key: str) -> str:
        return TITLES_KO[key] if ko else key

    def state(code: str) -> str:
        return STATES_KO.get(code, code) if ko else code

    awards = awards_svc.award_infos(s, program)
    visits = service.visits(s, program)
    cancel.raise_if_cancelled()
    next_due: dict[str, date] = {}
    open_actions: dict[str, int] = {}
    for v in visits:
        if v.state != "finalised" and v.due_on is not None:
            next_due[v.application_id] = min(v.due_on, next_due.get(v.application_id, v.due_on))
        open_actions[v.application_id] = open_actions.get(v.application_id, 0) + v.open_actions
    book = WorkbookWriter(path, kind="follow-up", program=program.code, program_name=program.name_ko,
                          audit_anchor=last_anchor(s), cancel=cancel, lang=lang)
    sh = book.sheet(title("awards"), AWARDS, key="awards")
    for a in awards:
        sh.row([a.application_id, a.track, a.round, a.group_name, a.title, a.amount, a.disbursed, a.balance,
                status_label(a.status, lang), a.status_reason, a.agreed_on, a.starts_on, a.ends_on, a.stepped_in_for,
                a.settlement, a.returned_amount, a.support_sessions, next_due.get(a.application_id),
                open_actions.get(a.application_id, 0)])
    progress(0.3, msg("progress.awards", "awards"))
    long = book.sheet(title("visits"), VISITS, key="visits")
    for v in visits:
        head = [v.application_id, v.sequence, v.plan_code, v.evaluator, v.due_on, state(v.state),
                v.visited_at.strftime("%Y-%m-%d %H:%M") if v.visited_at else None]
        items = ([("checklist", k, "O" if x else "X") for k, x in sorted(v.checklist.items())]
                 + [("rating", k, x) for k, x in sorted(v.ratings.items())])
        for kind, item, value in items or [("", None, None)]:
            long.row(head + [KINDS_KO.get(kind, kind) if ko else kind, item, value])
    progress(0.7, msg("progress.visits", "visits"))
    acts = book.sheet(title("open actions"), ACTIONS, key="open actions")
    for v in visits:
        for a in v.actions:
            if not a.done:
                acts.row([v.application_id, v.sequence, v.evaluator, a.text, a.due_on,
                          a.due_on is not None and a.due_on < today])
    out = book.save()
    progress(1.0, msg("progress.done", "Done"))
    return ExportReport(str(out), "follow-up", {sh.title: sh.rows, long.title: long.rows, acts.title: acts.rows})
