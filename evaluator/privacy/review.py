"""The monthly review of the access log, as a PDF for the data-protection officer to sign.

One month of the log (:func:`evaluator.privacy.access.review`): whether the log's chain holds, who
accessed personal data how often (views, prints, exports, kits, subject exports), every output that
carried contact data with its reason, what deserves a second look (outputs about many applications
at once, access outside office hours — 07:00–21:00 Korea time, Monday to Friday — an output of
contact data without a reason), and a block to sign.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from ..jobs import NEVER, CancelToken, Progress, no_progress
from ..reports.blocks import base_table_style, signature_table
from ..reports.document import ReportDocument, Section, document_id
from ..reports.fmt import esc
from ..reports.labels import labels
from ..reports.styles import FRAME_WIDTH, styles
from .access import ACTIONS, Review
from .identity import Actor

WORDS: dict[str, tuple[str, str]] = {
    "title": ("개인정보 접속기록 월간 점검표", "Monthly review of the access log"),
    "sub": ("「개인정보의 안전성 확보조치 기준」 제8조: 접속기록의 보관 및 점검 · {month}",
            "Korea's safety-measure standard for personal information, Art. 8 · {month}"),
    "summary": ("개요", "Summary"),
    "period": ("기간 (UTC)", "Period (UTC)"),
    "entries": ("기록 수", "Entries"),
    "chain": ("접속기록 무결성", "Integrity of the log"),
    "chain_ok": ("이상 없음 (해시 체인 검증)", "intact (hash chain verified)"),
    "chain_bad": ("손상됨: {problem}", "BROKEN: {problem}"),
    "by_actor": ("처리자별 접속 현황", "Access by person"),
    "actor": ("처리자", "Person"),
    "role": ("역할", "Role"),
    "downloads": ("연락처가 포함된 출력·내려받기", "Outputs that carried contact data"),
    "when": ("일시 (KST)", "When (KST)"),
    "what": ("내용", "What"),
    "apps": ("신청 건수", "Applications"),
    "fields": ("항목", "Fields"),
    "reason": ("사유", "Reason"),
    "none": ("없음", "none"),
    "remarks": ("추가 확인이 필요한 기록", "Entries to look at again"),
    "remark.many": ("한 번에 많은 신청자의 연락처", "contact data of many applicants at once"),
    "remark.hours": ("업무 시간 외 (KST 07–21시, 평일) 접속", "outside office hours (07:00–21:00 KST, weekdays)"),
    "remark.no_reason": ("사유 없이 연락처 출력", "contact data output without a reason"),
    "sign": ("점검 확인", "Review signed"),
    "reviewer": ("점검자 (개인정보 보호책임자 또는 취급자)", "Reviewer (data-protection officer)"),
    "name": ("성명", "Name"),
    "signature": ("서명 / 일자", "Signature / date"),
    "prepared": ("작성: {who}", "Prepared by {who}"),
    "action.view": ("열람", "views"),
    "action.print": ("인쇄", "prints"),
    "action.export": ("내보내기", "exports"),
    "action.kit": ("현장 키트", "kits"),
    "action.subject_export": ("정보주체 제공", "subject exports"),
    "action.review": ("점검", "reviews"),
}


def _w(key: str, lang: str, **values: object) -> str:
    ko, en = WORDS[key]
    text = en if lang == "en" else ko
    return text.format(**values) if values else text


def _kst(at: datetime) -> str:
    return (at + timedelta(hours=9)).strftime("%Y-%m-%d %H:%M")


def write_review(r: Review, out: str | Path, *, lang: str, reviewer: Actor, role: str = "",
                 progress: Progress = no_progress, cancel: CancelToken = NEVER) -> Path:
    L = labels(lang)
    st = styles()
    cell = st.cell_small
    story: list = [Section(r.month), Paragraph(esc(_w("title", lang)), st.title),
                   Paragraph(esc(_w("sub", lang, month=r.month)), st.subtitle)]
    story.append(Paragraph(esc(_w("summary", lang)), st.h2))
    chain = _w("chain_ok", lang) if r.chain_ok else _w("chain_bad", lang, problem=r.chain_problem)
    rows = [[_w("period", lang), f"{r.start:%Y-%m-%d} – {(r.end - timedelta(days=1)):%Y-%m-%d}"],
            [_w("entries", lang), f"{len(r.entries):,}"], [_w("chain", lang), chain]]
    story.append(Table([[Paragraph(esc(a), st.label), Paragraph(esc(b), cell)] for a, b in rows],
                       colWidths=[120, FRAME_WIDTH - 120], style=TableStyle(base_table_style(7.5, 9.6, 0)),
                       hAlign="LEFT"))
    progress(0.3, "")
    story.append(Paragraph(esc(_w("by_actor", lang)), st.h2))
    actions = [a for a in ACTIONS]
    head = [_w("actor", lang)] + [_w(f"action.{a}", lang) for a in actions]
    body = [[Paragraph(esc(actor), cell)] + [str(counts.get(a, 0) or "") for a in actions]
            for actor, counts in sorted(r.by_actor.items())]
    if not body:
        body = [[_w("none", lang)] + [""] * len(actions)]
    first = FRAME_WIDTH - 48 * len(actions)
    story.append(Table([head] + body, colWidths=[first] + [48] * len(actions), repeatRows=1,
                       style=TableStyle(base_table_style(7, 9)), hAlign="LEFT"))
    cancel.raise_if_cancelled()
    story.append(Paragraph(esc(_w("downloads", lang)), st.h2))
    head = [_w("when", lang), _w("actor", lang), _w("what", lang), _w("apps", lang), _w("fields", lang),
            _w("reason", lang)]
    body = [[_kst(e.at), Paragraph(esc(e.actor), cell), Paragraph(esc(e.what), cell), str(e.subject_count),
             Paragraph(esc(", ".join(e.fields)), cell), Paragraph(esc(e.reason or "—"), cell)] for e in r.downloads]
    if body:
        story.append(Table([head] + body, colWidths=[62, 90, 90, 40, 90, FRAME_WIDTH - 372], repeatRows=1,
                           style=TableStyle(base_table_style(7, 9)), hAlign="LEFT"))
    else:
        story.append(Paragraph(esc(_w("none", lang)), st.small))
    story.append(Paragraph(esc(_w("remarks", lang)), st.h2))
    body = [[_kst(e.at), Paragraph(esc(e.actor), cell), Paragraph(esc(e.what), cell),
             Paragraph(esc(_w(f"remark.{why}", lang)), cell)] for e, why in r.remarks]
    if body:
        story.append(Table([[_w("when", lang), _w("actor", lang), _w("what", lang), ""]] + body,
                           colWidths=[62, 110, 150, FRAME_WIDTH - 322], repeatRows=1,
                           style=TableStyle(base_table_style(7, 9)), hAlign="LEFT"))
    else:
        story.append(Paragraph(esc(_w("none", lang)), st.small))
    progress(0.7, "")
    story += [Spacer(1, 10), Paragraph(esc(_w("sign", lang)), st.h2),
              Paragraph(esc(_w("prepared", lang, who=f"{reviewer.label}" + (f" ({reviewer.role})" if reviewer.role
                                                                            else ""))), st.small),
              Spacer(1, 4),
              signature_table([_w("reviewer", lang)], name_label=_w("name", lang), sign_label=_w("signature", lang),
                              width=FRAME_WIDTH, row_height=34)]
    now = datetime.now().astimezone().replace(microsecond=0)
    doc = ReportDocument(out, kind="access-review", title=_w("title", lang), program=role or "", labels=L,
                         generated=now, doc_id=document_id("access-review", now, r.month, len(r.entries)))
    return doc.build(story, progress=progress, cancel=cancel)


__all__ = ["write_review"]
