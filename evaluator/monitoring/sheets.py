"""Monitoring PDFs beside the follow-up summary (docs/follow-up.md):

* the **monitoring visit sheet** (``evaluator report monitoring-sheets``): one page per visit, blank
  for paper (the checklist with boxes to tick, each rated criterion with its level descriptions to
  mark, room for findings and required actions, a signature line) or filled from a recorded visit;
* the **follow-up dossier** of one project (``evaluator report follow-up-dossier``): the award,
  every visit with its checklist, ratings, findings and actions, the open actions, the tranches and
  the settlement, the support log.

A recorded visit's photos (``evaluator.monitoring.photos``) are printed after its actions, on the
filled sheet and in the dossier, as thumbnails like the application dossier's photo section
(``evaluator.reports.dossier``): each with its file name, visitor and caption; a file that is not
an image, or cannot be read, is listed by name; a removed photo is not printed.

Korean by default, English with ``lang="en"``, Hangul embedded (the reports' fonts and page frame),
every applicant's or visitor's text escaped for reportlab's markup.  Visit attendees are personal
data: printed only when the caller asks for them (the store logs the output and the reason)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit.anchors import last_anchor
from ..awards import service as awards_svc
from ..awards.model import SUPPORT_LABELS, AwardInfo, status_label
from ..db.models import MonitoringVisit, Program
from ..jobs import NEVER, CancelToken, Progress, no_progress
from ..reports.blocks import base_table_style
from ..reports.data import AttachmentRecord
from ..reports.document import ReportDocument, Section, Tick, document_id
from ..reports.dossier import _photos as photo_grid  # (one home for the thumbnails)
from ..reports.fmt import day, esc, krw
from ..reports.fonts import REGULAR
from ..reports.labels import labels
from ..reports.styles import FRAME_WIDTH, styles
from ..rubric import Rubric
from . import photos, service
from .model import FINALISED, VisitInfo

_T = {  # (Korean, English)
    "sheet_blank": ("사후관리 점검표 (현장용)", "Monitoring visit sheet (for paper)"),
    "sheet_filled": ("사후관리 점검표", "Monitoring visit sheet"),
    "dossier": ("사후관리 기록부", "Follow-up dossier"),
    "app": ("접수번호", "Application"), "group": ("단체명", "Group"), "project": ("사업명", "Project"),
    "track": ("사업유형", "Track"), "visit": ("점검 회차", "Visit"), "plan": ("계획 구분", "Planned as"),
    "beyond": ("계획 외", "beyond the plan"), "due": ("예정일", "Due"), "visitor": ("점검자", "Visitor"),
    "state": ("상태", "State"), "award": ("지원 내용", "Award"), "amount": ("지원액", "Awarded"),
    "period": ("사업 기간", "Project period"), "agreed": ("협약일", "Agreement"), "status": ("지원 상태", "Status"),
    "visited_at": ("점검 일시", "Visited on"), "attendees": ("참석자", "Attendees"),
    "checklist": ("확인 사항", "Checklist"), "item": ("항목", "Item"), "yes": ("예", "Yes"), "no": ("아니오", "No"),
    "required": ("필수", "required"), "ratings": ("평정", "Ratings"), "criterion": ("평가 항목", "Criterion"),
    "level": ("등급", "Level"), "description": ("등급 설명", "What the level means"), "mark": ("표시", "Mark"), "not_rated": ("평정 없음", "not rated"),
    "findings": ("점검 의견", "Findings"), "actions": ("조치 요구 사항", "Required actions"),
    "action": ("조치 사항", "Action"), "action_due": ("기한", "Due"), "done": ("완료", "Done"),
    "open": ("미완료", "Open"), "none": ("없음", "None"),
    "hint": ("해당 칸에 ■ 표시하고, 평정은 항목마다 등급 하나에 표시합니다.",
             "Tick one box per item; mark one level per criterion."),
    "sign_visitor": ("점검자", "Visitor"), "sign": ("서명", "Signature"), "sign_date": ("일자", "Date"),
    "sign_group": ("단체 대표 확인", "Group's representative"),
    "states": ({"planned": "예정", "draft": "작성 중 (미완료)", "finalised": "완료"},
               {"planned": "planned", "draft": "draft (not finalised)", "finalised": "finalised"}),
    "visits": ("점검 기록", "Monitoring visits"), "no_visits": ("점검 기록이 없습니다.", "No visit yet."),
    "open_actions": ("미완료 조치 사항", "Open required actions"),
    "money": ("지급 및 정산", "Disbursements and settlement"), "tranche": ("차수", "Tranche"),
    "paid_on": ("지급일", "Paid on"), "note": ("비고", "Note"), "disbursed": ("지급 합계", "Disbursed"),
    "balance": ("잔액", "Balance"), "settlement": ("정산", "Settlement"), "returned": ("반납액", "Returned"),
    "no_money": ("지급 기록이 없습니다.", "Nothing paid out yet."),
    "settlements": ({"": "정산 전", "submitted": "정산 제출", "checked": "정산 확인"},
                    {"": "not settled", "submitted": "submitted", "checked": "checked"}),
    "support": ("지원 기록 (교육·컨설팅·상담)", "Support log (training, consulting, counselling)"),
    "held_on": ("일자", "Date"), "kind": ("구분", "Kind"), "topic": ("주제", "Topic"), "by": ("담당", "Given by"),
    "people": ("참석 인원", "Attendees"), "no_support": ("지원 기록이 없습니다.", "No session logged yet."),
    "stepped_in": ("예비 선정 (대체)", "reserve stepping in for"),
    "photos": ("사진", "Photos"),
}


class _Text:
    def __init__(self, lang: str) -> None:
        self.L = labels(lang)
        self.i = 1 if self.L.lang == "en" else 0

    def __call__(self, key: str) -> str:
        return _T[key][self.i]

    def state(self, state: str) -> str:
        return _T["states"][self.i].get(state, state)


def _table(header: list, rows: list[list], widths: list[float], *, extra: list | None = None) -> Table:
    tbl = Table([header] + rows, colWidths=[w * FRAME_WIDTH for w in widths], repeatRows=1, hAlign="LEFT")
    tbl.setStyle(TableStyle(base_table_style() + (extra or [])))
    return tbl


def _info(pairs: list[tuple[str, str]]) -> Table:
    st = styles()
    rows, row = [], []
    for k, v in pairs:
        row += [Paragraph(esc(k), st.cell_bold), Paragraph(esc(v), st.cell)]
        if len(row) == 4:
            rows.append(row)
            row = []
    if row:
        rows.append(row + ["", ""])
    tbl = Table(rows, colWidths=[w * FRAME_WIDTH for w in (0.16, 0.34, 0.16, 0.34)], hAlign="LEFT")
    tbl.setStyle(TableStyle(base_table_style() + [("BACKGROUND", (0, 0), (0, -1), "#eeeeee"),
                                                  ("BACKGROUND", (2, 0), (2, -1), "#eeeeee")]))
    return tbl


def _award_pairs(t: _Text, a: AwardInfo) -> list[tuple[str, str]]:
    period = f"{day(a.starts_on)} ~ {day(a.ends_on)}"
    status = status_label(a.status, t.L.lang) + (f" ({a.status_reason})" if a.status_reason else "")
    pairs = [(t("amount"), krw(a.amount, t.L.lang)), (t("period"), period), (t("agreed"), day(a.agreed_on)),
             (t("status"), status)]
    if a.stepped_in_for:
        pairs.append((t("stepped_in"), a.stepped_in_for))
    return pairs


def _checklist(t: _Text, rd: Rubric | None, v: VisitInfo | None) -> Flowable:
    st = styles()
    rows = []
    for c in rd.checklist if rd else ():
        name = c.name(t.L.lang) + (f" ({t('required')})" if c.required else "")
        if v is None:
            yes, no = "□", "□"
        else:
            ticked = v.checklist.get(c.code)
            yes, no = ("■" if ticked else "□"), ("■" if ticked is False else "□")
        rows.append([Paragraph(esc(name), st.cell), yes, no])
    if not rows:
        return Paragraph(esc(t("none")), st.body)
    return _table([t("item"), t("yes"), t("no")], rows, [0.76, 0.12, 0.12], extra=[("ALIGN", (1, 0), (2, -1), "CENTER")])


def _ratings(t: _Text, rd: Rubric | None, v: VisitInfo | None) -> list[Flowable]:
    """Each rated criterion with every level and its description; the level given marked ■."""
    st = styles()
    out: list[Flowable] = []
    for c in rd.criteria if rd else ():
        given = (v.ratings.get(c.code) if v is not None else None)
        rows = []
        for lv in rd.levels:
            mark = "■" if given == lv.key else "□"
            rows.append([mark, Paragraph(esc(lv.label(t.L.lang)), st.cell_bold),
                         Paragraph(esc(c.describe_level(lv.key, t.L.lang)), st.cell_small)])
        head = c.name(t.L.lang)
        if v is not None and not given:
            head += f" — {t('not_rated')}"
        out.append(KeepTogether([Paragraph(f"<b>{esc(head)}</b>", st.body),
                                 _table([t("mark"), t("level"), t("description")], rows, [0.08, 0.16, 0.76],
                                        extra=[("ALIGN", (0, 0), (0, -1), "CENTER")]), Spacer(1, 4)]))
    return out


def _box(text: str, height: float) -> Table:
    st = styles()
    tbl = Table([[Paragraph(esc(text), st.small) if text.strip() else ""]], colWidths=[FRAME_WIDTH],
                rowHeights=[None if text.strip() else height], hAlign="LEFT")
    tbl.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), REGULAR, 7.5), ("BOX", (0, 0), (-1, -1), 0.9, "#000000"),
                             ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return tbl


def _actions(t: _Text, v: VisitInfo | None) -> Flowable:
    st = styles()
    if v is None:  # blank: three lines to write on
        rows = [["", "", "□"] for _ in range(3)]
        return _table([t("action"), t("action_due"), t("done")], rows, [0.66, 0.2, 0.14],
                      extra=[("ROWHEIGHT", (0, 1), (-1, -1), 22), ("ALIGN", (2, 0), (2, -1), "CENTER")])
    if not v.actions:
        return Paragraph(esc(t("none")), st.body)
    rows = [[Paragraph(esc(a.text), st.cell), day(a.due_on), "■" if a.done else "□"] for a in v.actions]
    return _table([t("action"), t("action_due"), t("done")], rows, [0.66, 0.2, 0.14],
                  extra=[("ALIGN", (2, 0), (2, -1), "CENTER")])


def _signature(t: _Text, name: str, date_text: str) -> Table:
    st = styles()
    rows = [[Paragraph(esc(t("sign_visitor")), st.cell_bold), Paragraph(esc(name), st.cell),
             Paragraph(esc(t("sign")), st.cell_bold), "", Paragraph(esc(t("sign_date")), st.cell_bold),
             Paragraph(esc(date_text), st.cell)],
            [Paragraph(esc(t("sign_group")), st.cell_bold), "", Paragraph(esc(t("sign")), st.cell_bold), "",
             Paragraph(esc(t("sign_date")), st.cell_bold), ""]]
    tbl = Table(rows, colWidths=[w * FRAME_WIDTH for w in (0.18, 0.2, 0.1, 0.24, 0.1, 0.18)], rowHeights=[30, 30],
                hAlign="LEFT")
    tbl.setStyle(TableStyle(base_table_style() + [("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return tbl


def _visit_photos(s: Session, visits: list[VisitInfo]) -> dict[str, list[AttachmentRecord]]:
    """The photos (not removed) of these visits, by visit uuid, as the thumbnails need them."""
    ids = dict(s.execute(select(MonitoringVisit.uuid, MonitoringVisit.id)
                         .where(MonitoringVisit.uuid.in_([v.uuid for v in visits]))).all()) if visits else {}
    by_id = photos.records(s, list(ids.values()))
    who = {v.uuid: v.evaluator for v in visits}
    return {uuid: [AttachmentRecord(a.filename or "", a.media_type or "", int(a.size or 0), a.data, a.path,
                                    a.caption or "", who[uuid], None, a.created_at) for a in by_id.get(pk, [])]
            for uuid, pk in ids.items()}


def _no_file(_path: str) -> Path | None:  # (a visit's photos are always in the database)
    return None


def _visit_body(t: _Text, rd: Rubric | None, v: VisitInfo, filled: bool, attendees: str | None,
                pictures: list[AttachmentRecord] | None = None) -> list[Flowable]:
    """Checklist, ratings, findings and actions of one visit (``filled``: its recorded values),
    then its photos, if it has any."""
    st = styles()
    rec = v if filled else None
    out: list[Flowable] = []
    if filled:
        out.append(_info([(t("visited_at"), v.visited_at.strftime("%Y-%m-%d %H:%M") if v.visited_at else "—"),
                          (t("attendees"), attendees if attendees is not None else (v.attendees or "—"))]))
    else:
        out.append(_info([(t("visited_at"), ""), (t("attendees"), "")]))
    out += [Spacer(1, 6), Paragraph(esc(t("checklist")), styles().h2), _checklist(t, rd, rec),
            Paragraph(esc(t("ratings")), st.h2)]
    out += _ratings(t, rd, rec) or [Paragraph(esc(t("none")), st.body)]
    out += [CondPageBreak(90), Paragraph(esc(t("findings")), st.h2), _box(v.findings if filled else "", 70),
            Paragraph(esc(t("actions")), st.h2), _actions(t, rec)]
    if filled and pictures:
        out += [CondPageBreak(150), Paragraph(esc(t("photos")), st.h2), *photo_grid(pictures, t.L, _no_file)]
    return out


def visit_sheets(s: Session, program: Program, out: str | Path, *, visits: list[VisitInfo], blank: bool, lang: str,
                 withheld: str | None, progress: Progress = no_progress, cancel: CancelToken = NEVER) -> Path:
    """One monitoring visit sheet per visit in ``visits`` (blank: the paper form for each; else
    filled with what was recorded, a draft marked DRAFT).  ``withheld``: the text printed instead
    of the attendees (None: print them)."""
    t = _Text(lang)
    st = styles()
    rubrics = service.monitoring_rubrics(s, program)
    awards = {a.application_id: a for a in awards_svc.award_infos(s, program)}
    story: list = []
    n = len(visits)
    pictures = {} if blank else _visit_photos(s, visits)
    for k, v in enumerate(visits):
        if k:
            story.append(PageBreak())
        a = awards[v.application_id]
        filled = not blank
        story += [Section(f"{v.application_id} · {v.sequence}", draft=filled and v.state != FINALISED),
                  Paragraph(esc(t("sheet_filled" if filled else "sheet_blank")), st.title),
                  Paragraph(esc(f"{a.group_name} — {a.title}"), st.subtitle)]
        pairs = [(t("app"), v.application_id), (t("track"), t.L.pick(*_track_names(s, program, v.track))),
                 (t("visit"), str(v.sequence)), (t("plan"), v.plan_code or t("beyond")), (t("due"), day(v.due_on)),
                 (t("visitor"), v.evaluator or "—")]
        if filled:
            pairs.append((t("state"), t.state(v.state)))
        story += [_info(pairs + _award_pairs(t, a)), Spacer(1, 4)]
        if not filled:
            story.append(Paragraph(esc(t("hint")), st.small))
        story += _visit_body(t, rubrics.get(v.track), v, filled, withheld, pictures.get(v.uuid))
        story += [Spacer(1, 10), _signature(t, v.evaluator or "",
                                            v.visited_at.strftime("%Y-%m-%d") if filled and v.visited_at else "")]
        story.append(Tick(0.1 + 0.85 * (k + 1) / n, v.application_id, progress, cancel))
    now = datetime.now().astimezone().replace(microsecond=0)
    title = t("sheet_blank" if blank else "sheet_filled")
    doc = ReportDocument(out, kind="monitoring-sheet", title=title,
                         program=t.L.pick(program.name_ko, program.name_en or ""), labels=t.L, generated=now,
                         anchor=last_anchor(s),
                         doc_id=document_id("monitoring-sheet", now, program.code, blank,
                                            [(v.uuid, v.version) for v in visits],
                                            _photo_keys(pictures, visits)))
    return doc.build(story, progress=progress, cancel=cancel)


def _track_names(s: Session, program: Program, code: str) -> tuple[str, str]:
    for tr in program.tracks:
        if tr.code == code:
            return tr.name_ko, tr.name_en or tr.name_ko
    return code, code


def follow_up_dossier(s: Session, program: Program, out: str | Path, *, application_id: str, lang: str,
                      withheld: str | None, today: date, progress: Progress = no_progress,
                      cancel: CancelToken = NEVER) -> Path:
    """Everything the follow-up knows about one awarded project (see the module's doc)."""
    from ..awards.service import award_for

    award_for(s, program, application_id)  # NotFound: no award (one clear sentence)
    t = _Text(lang)
    st = styles()
    a = awards_svc.award_infos(s, program, application_id)[0]
    visits = service.visits(s, program, application_id)
    support = awards_svc.support_log(s, program, application_id)
    rubrics = service.monitoring_rubrics(s, program)
    pictures = _visit_photos(s, visits)
    cancel.raise_if_cancelled()
    story: list = [Section(application_id), Paragraph(esc(t("dossier")), st.title),
                   Paragraph(esc(f"{a.group_name} — {a.title}"), st.subtitle),
                   _info([(t("app"), a.application_id), (t("track"), t.L.pick(*_track_names(s, program, a.track)))]
                         + _award_pairs(t, a))]
    progress(0.2, "")
    story.append(Paragraph(esc(t("visits")), st.h1))
    if not visits:
        story.append(Paragraph(esc(t("no_visits")), st.body))
    for v in visits:
        head = (f"{t('visit')} {v.sequence} · {v.plan_code or t('beyond')} · {t('visitor')} {v.evaluator or '—'} · "
                f"{t('due')} {day(v.due_on)} · {t.state(v.state)}")
        story += [CondPageBreak(120), Paragraph(esc(head), st.h2)]
        if v.state == "planned":
            continue
        story += _visit_body(t, rubrics.get(v.track), v, True, withheld, pictures.get(v.uuid))
    progress(0.5, "")
    story.append(Paragraph(esc(t("open_actions")), st.h1))
    open_rows = [[v.sequence, Paragraph(esc(x.text), st.cell), day(x.due_on),
                  "!" if x.due_on and x.due_on < today else ""] for v in visits for x in v.actions if not x.done]
    story.append(_table([t("visit"), t("action"), t("action_due"), ""], open_rows, [0.1, 0.6, 0.2, 0.1])
                 if open_rows else Paragraph(esc(t("none")), st.body))
    story.append(Paragraph(esc(t("money")), st.h1))
    if a.disbursements:
        story.append(_table([t("tranche"), t("paid_on"), t("amount"), t("note")],
                            [[d.tranche, day(d.paid_on), krw(d.amount, t.L.lang), Paragraph(esc(d.note), st.cell)]
                             for d in a.disbursements], [0.12, 0.2, 0.26, 0.42]))
    else:
        story.append(Paragraph(esc(t("no_money")), st.body))
    settlement = _T["settlements"][t.i].get(a.settlement, a.settlement)
    story += [Spacer(1, 4), _info([(t("disbursed"), krw(a.disbursed, t.L.lang)), (t("balance"), krw(a.balance, t.L.lang)),
                                   (t("settlement"), settlement),
                                   (t("returned"), krw(a.returned_amount, t.L.lang) if a.returned_amount else "—")])]
    story.append(Paragraph(esc(t("support")), st.h1))
    if support:
        story.append(_table([t("held_on"), t("kind"), t("topic"), t("by"), t("people")],
                            [[day(e.held_on), SUPPORT_LABELS.get(e.kind, (e.kind, e.kind))[t.i],
                              Paragraph(esc(e.topic + (f" — {e.note}" if e.note else "")), st.cell),
                              Paragraph(esc(e.given_by), st.cell), "—" if e.attendees is None else e.attendees]
                             for e in support], [0.14, 0.12, 0.44, 0.18, 0.12]))
    else:
        story.append(Paragraph(esc(t("no_support")), st.body))
    story.append(Tick(0.95, application_id, progress, cancel))
    now = datetime.now().astimezone().replace(microsecond=0)
    doc = ReportDocument(out, kind="follow-up-dossier", title=t("dossier"),
                         program=t.L.pick(program.name_ko, program.name_en or ""), labels=t.L, generated=now,
                         anchor=last_anchor(s),
                         doc_id=document_id("follow-up-dossier", now, program.code, application_id, a,
                                            [(v.uuid, v.version) for v in visits], support,
                                            _photo_keys(pictures, visits)))
    return doc.build(story, progress=progress, cancel=cancel)


def _photo_keys(pictures: dict[str, list[AttachmentRecord]], visits: list[VisitInfo]) -> list[tuple]:
    """What of the photos makes the document what it is (its id changes when they do)."""
    return [(v.uuid, a.filename, a.size, a.caption) for v in visits for a in pictures.get(v.uuid, [])]


__all__ = ["follow_up_dossier", "visit_sheets"]
