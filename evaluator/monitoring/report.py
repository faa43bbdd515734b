"""The program follow-up summary for the committee (PDF, ``evaluator report follow-up``): awards
by status with the money awarded, disbursed and left, the visits overdue, the ratings given on
finalised visits, and the open required actions.  Korean by default, English with ``lang="en"``,
Hangul embedded (the reports' own fonts and page frame).  A read: nothing is stored."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from pathlib import Path

from reportlab.platypus import Paragraph, Spacer, Table, TableStyle
from sqlalchemy.orm import Session

from ..audit.anchors import last_anchor
from ..awards import service as awards_svc
from ..awards.model import AWARD_STATUSES, status_label
from ..db.models import Program
from ..jobs import NEVER, CancelToken, Progress, no_progress
from ..reports.blocks import base_table_style
from ..reports.document import ReportDocument, document_id
from ..reports.fmt import esc
from ..reports.labels import labels
from ..reports.styles import FRAME_WIDTH, styles
from . import service

_T = {  # (Korean, English)
    "title": ("사후관리 현황", "Follow-up summary"),
    "status": ("지원 상태", "Awards by status"),
    "count": ("건수", "Awards"), "amount": ("지원액", "Awarded"), "disbursed": ("지급액", "Disbursed"),
    "balance": ("잔액", "Balance"), "total": ("합계", "Total"),
    "overdue": ("기한이 지난 점검", "Overdue monitoring visits"),
    "app": ("접수번호", "Application"), "group": ("단체명", "Group"), "visit": ("회차", "Visit"),
    "visitor": ("점검자", "Visitor"), "due": ("예정일", "Due"), "days": ("경과 일수", "Days overdue"),
    "none_overdue": ("기한이 지난 점검이 없습니다.", "No visit is overdue."),
    "ratings": ("점검 평정 분포 (완료된 점검)", "Ratings on finalised visits"),
    "criterion": ("평가 항목", "Criterion"),
    "none_rated": ("완료된 점검이 아직 없습니다.", "No visit is finalised yet."),
    "actions": ("미완료 조치 사항", "Open required actions"), "action": ("조치 사항", "Action"),
    "none_open": ("미완료 조치가 없습니다.", "No action is open."),
    "as_of": ("기준일", "As of"),
}


def _won(n: int) -> str:
    return f"{n:,}"


def follow_up_summary(s: Session, program: Program, out: str | Path, *, lang: str, today: date,
                      progress: Progress = no_progress, cancel: CancelToken = NEVER) -> Path:
    L = labels(lang)
    i = 1 if L.lang == "en" else 0

    def t(key: str) -> str:
        return _T[key][i]

    st = styles()
    awards = awards_svc.award_infos(s, program)
    visits = service.visits(s, program)
    overdue = service.due(s, program, today=today, overdue_only=True)
    rubrics = service.monitoring_rubrics(s, program)
    cancel.raise_if_cancelled()
    story: list = [Paragraph(esc(t("title")), st.title),
                   Paragraph(esc(f"{L.pick(program.name_ko, program.name_en or '')} · {t('as_of')} {today}"),
                             st.subtitle)]

    def table(header: list[str], rows: list[list], widths: list[float]) -> Table:
        tbl = Table([header] + rows, colWidths=[w * FRAME_WIDTH for w in widths], repeatRows=1)
        tbl.setStyle(TableStyle(base_table_style()))
        return tbl

    story.append(Paragraph(esc(t("status")), st.h1))
    rows = []
    for code in AWARD_STATUSES:
        mine = [a for a in awards if a.status == code]
        if mine:
            rows.append([status_label(code, L.lang), len(mine), _won(sum(a.amount for a in mine)),
                         _won(sum(a.disbursed for a in mine)), _won(sum(a.balance for a in mine))])
    rows.append([t("total"), len(awards), _won(sum(a.amount for a in awards)), _won(sum(a.disbursed for a in awards)),
                 _won(sum(a.balance for a in awards))])
    story.append(table([t("status"), t("count"), t("amount"), t("disbursed"), t("balance")], rows,
                       [0.28, 0.12, 0.2, 0.2, 0.2]))
    progress(0.3, "")

    story.append(Paragraph(esc(t("overdue")), st.h1))
    if overdue:
        story.append(table([t("app"), t("group"), t("visit"), t("visitor"), t("due"), t("days")],
                           [[d.application_id, Paragraph(esc(d.group_name), st.cell), d.sequence, d.evaluator or "—",
                             str(d.due_on), d.days_overdue] for d in overdue],
                           [0.16, 0.34, 0.1, 0.12, 0.14, 0.14]))
    else:
        story.append(Paragraph(esc(t("none_overdue")), st.body))

    story.append(Paragraph(esc(t("ratings")), st.h1))
    done = [v for v in visits if v.state == "finalised"]
    counted: dict[str, Counter] = {}
    for v in done:
        for crit, level in v.ratings.items():
            counted.setdefault(f"{v.track}:{crit}", Counter())[level] += 1
    if counted:
        for track, rd in sorted(rubrics.items()):
            rows = []
            for c in rd.criteria:
                n = counted.get(f"{track}:{c.code}", Counter())
                rows.append([Paragraph(esc(c.name(L.lang)), st.cell)] + [n.get(lv.key, 0) for lv in rd.levels])
            story.append(Paragraph(esc(rd.name(L.lang)), st.h2))
            story.append(table([t("criterion")] + [lv.label(L.lang) for lv in rd.levels], rows,
                               [0.46] + [0.54 / len(rd.levels)] * len(rd.levels)))
    else:
        story.append(Paragraph(esc(t("none_rated")), st.body))
    progress(0.6, "")

    story.append(Paragraph(esc(t("actions")), st.h1))
    open_rows = [[v.application_id, v.sequence, v.evaluator or "—", Paragraph(esc(a.text), st.cell),
                  str(a.due_on) if a.due_on else "—"] for v in visits for a in v.actions if not a.done]
    if open_rows:
        story.append(table([t("app"), t("visit"), t("visitor"), t("action"), t("due")], open_rows,
                           [0.16, 0.08, 0.12, 0.48, 0.16]))
    else:
        story.append(Paragraph(esc(t("none_open")), st.body))
    story.append(Spacer(1, 4))
    now = datetime.now().astimezone().replace(microsecond=0)
    doc = ReportDocument(out, kind="follow-up", title=t("title"), program=L.pick(program.name_ko, program.name_en or ""),
                         labels=L, generated=now, anchor=last_anchor(s),
                         doc_id=document_id("follow-up", now, program.code, [(a.application_id, a.status, a.amount,
                                                                             a.disbursed) for a in awards],
                                            [(v.uuid, v.version) for v in visits]))
    return doc.build(story, progress=progress, cancel=cancel)
