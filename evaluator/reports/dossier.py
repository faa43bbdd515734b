"""The application dossier: everything known about one application in one document.

The application's data, the committee's decision, every evaluation with its comments, the
site-visit log, and thumbnails of the photos (attachments that are not images, or cannot be
decoded, are listed by name instead).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.platypus import Flowable, Image, KeepTogether, Paragraph, Spacer, Table, TableStyle

from .blocks import InfoGrid, base_table_style
from .data import AppRecord, AttachmentRecord, DecisionRecord, EvaluationRecord, ProgramRecord
from .document import Section
from .fmt import day, esc, krw, points, score, size, stamp, wall_time
from .fonts import REGULAR
from .labels import Labels, labels
from .styles import FRAME_WIDTH, styles

THUMB_W, THUMB_H = 160.0, 120.0
THUMB_PIXELS = 640  # thumbnails are downscaled before embedding: small PDFs, bounded memory
MAX_IMAGE_PIXELS = 60_000_000  # refuse to decode anything larger (decompression bombs)
MAX_FILE_BYTES = 40 * 1024 * 1024


def _thumbnail(data: bytes) -> tuple[io.BytesIO, int, int] | None:
    """A JPEG thumbnail of ``data`` (None if it is not an image Pillow can read safely)."""
    from PIL import Image as PILImage

    try:
        with PILImage.open(io.BytesIO(data)) as im:
            w, h = im.size
            if w <= 0 or h <= 0 or w * h > MAX_IMAGE_PIXELS:
                return None
            im.draft("RGB", (THUMB_PIXELS, THUMB_PIXELS))
            im = im.convert("RGB")
            im.thumbnail((THUMB_PIXELS, THUMB_PIXELS))
            out = io.BytesIO()
            im.save(out, "JPEG", quality=82)
            out.seek(0)
            return out, im.size[0], im.size[1]
    except Exception:  # noqa: BLE001 - any undecodable input is reported as "cannot be read"
        return None


def _attachment_cell(a: AttachmentRecord, L: Labels, resolve: Callable[[str], Path | None]) -> tuple[str, object]:
    """("image", flowables) or ("line", text)."""
    st = styles()
    name = a.filename or "?"
    data = a.data
    if data is None and a.path:
        p = resolve(a.path)
        if p is None or not p.is_file():
            return "line", L("dos.missing_file", name=name)
        if p.stat().st_size > MAX_FILE_BYTES:
            return "line", L("dos.bad_image", name=name, size=size(p.stat().st_size))
        data = p.read_bytes()
    if data is None:
        return "line", L("dos.missing_file", name=name)
    if not (a.media_type or "").lower().startswith("image/"):
        return "line", L("dos.not_image", name=name, media=a.media_type or "?", size=size(a.size or len(data)))
    thumb = _thumbnail(data)
    if thumb is None:
        return "line", L("dos.bad_image", name=name, size=size(a.size or len(data)))
    buf, w, h = thumb
    scale = min(THUMB_W / w, THUMB_H / h, 1.0 if max(w, h) < 100 else 10.0)
    img = Image(buf, width=w * scale, height=h * scale)
    parts = [name]
    if a.evaluator:
        parts.append(a.evaluator)
    if a.criterion:
        parts.append(a.criterion)
    caption = " · ".join(parts)
    text = f"<b>{esc(caption)}</b>" + (f"<br/>{esc(a.caption)}" if a.caption else "")
    return "image", [img, Spacer(1, 2), Paragraph(text, st.cell_muted)]


def _evaluation_block(ev: EvaluationRecord, program: ProgramRecord, app: AppRecord, L: Labels) -> list[Flowable]:
    st = styles()
    rubric = program.tracks[app.track].rubric
    who = f"{ev.evaluator} {ev.evaluator_name}" + (f" · {ev.organisation}" if ev.organisation else "")
    out: list[Flowable] = []
    if ev.recused:
        out.append(Paragraph(f"<b>{esc(who)}</b>", st.body))
        out.append(Paragraph(esc(L("dos.conflict", type=L.conflict(ev.conflict_type), note=ev.conflict_note or "—")),
                             st.small))
        return [KeepTogether(out), Spacer(1, 6)]
    state = L.state("abstained" if ev.abstained else (ev.state or "not_started"))
    total = None if ev.abstained else rubric.total({k: v.points for k, v in ev.scores.items()})
    head = f"<b>{esc(who)}</b> — {esc(state)} · {esc(L('dos.total'))} <b>{esc(score(total))}</b>"
    if ev.state == "finalised":
        head += f" · {esc(L('sheet.finalised_at'))} {esc(stamp(ev.finalised_at))}"
    out.append(Paragraph(head, st.body))
    if ev.state is None:
        return [KeepTogether(out), Spacer(1, 6)]
    if ev.abstained:
        out.append(Paragraph(esc(L("sheet.abstained_line", reason=ev.abstain_reason or "—")), st.small))
    rows: list[list] = [[L("sheet.criterion"), L("sheet.max"), L("sheet.score"), L("sheet.comment")]]
    for c in rubric.criteria:
        sc = ev.scores.get(c.code)
        if sc is None or sc.points is None:
            value = L("sheet.not_scored")
        elif sc.level:
            try:
                value = f"{rubric.level(sc.level).label_ko} {points(sc.points)}"
            except KeyError:
                value = points(sc.points)
        else:
            value = points(sc.points)
        rows.append([Paragraph(esc(c.name(L.lang)), st.cell_small), points(c.max_points), value,
                     Paragraph(esc(sc.comment if sc else ""), st.cell_small)])
    cmds = base_table_style(7.4, 9.4) + [("ALIGN", (1, 0), (2, -1), "CENTER")]
    out.append(Table(rows, colWidths=[150, 34, 50, FRAME_WIDTH - 234], repeatRows=1, style=TableStyle(cmds),
                     hAlign="LEFT"))
    if ev.comment.strip():
        out.append(Paragraph(f"<b>{esc(L('sheet.general_comment'))}</b>: {esc(ev.comment)}", st.small))
    return [*out, Spacer(1, 8)]


def _visits(evals: list[EvaluationRecord], program: ProgramRecord, app: AppRecord, L: Labels) -> list[Flowable]:
    st = styles()
    rubric = program.tracks[app.track].rubric
    items = {it.code: it.name(L.lang) for it in rubric.checklist}
    rows: list[list] = [[L("f.evaluator"), L("f.visited_at"), L("f.attendees"), L("sheet.checklist"), L("f.notes")]]
    for ev in evals:
        v = ev.visit
        if v is None:
            continue
        done = sum(1 for k in items if v.checklist.get(k))
        missing = [items[k] for k in items if not v.checklist.get(k)]
        check = L("dos.checklist_done", done=done, n=len(items))
        if missing:
            check += "<br/>" + "<br/>".join("□ " + esc(m) for m in missing)
        rows.append([f"{ev.evaluator}\n{ev.evaluator_name}", wall_time(v.visited_at),
                     Paragraph(esc(v.attendees), st.cell_small), Paragraph(check, st.cell_small),
                     Paragraph(esc(v.notes), st.cell_small)])
    if len(rows) == 1:
        return [Paragraph(esc(L("dos.no_visits")), st.small)]
    return [Table(rows, colWidths=[62, 70, 80, 150, FRAME_WIDTH - 362], repeatRows=1,
                  style=TableStyle(base_table_style(7.4, 9.4)), hAlign="LEFT")]


def _photos(attachments: list[AttachmentRecord], L: Labels, resolve: Callable[[str], Path | None]) -> list[Flowable]:
    st = styles()
    if not attachments:
        return [Paragraph(esc(L("dos.no_photos")), st.small)]
    cells, lines = [], []
    for a in attachments:
        kind, value = _attachment_cell(a, L, resolve)
        if kind == "image":
            cells.append(value)
        else:
            lines.append(Paragraph("• " + esc(value), st.small))
    out: list[Flowable] = []
    per_row = 3
    col_w = FRAME_WIDTH / per_row
    for i in range(0, len(cells), per_row):
        row = cells[i:i + per_row]
        row += [""] * (per_row - len(row))
        out.append(Table([row], colWidths=[col_w] * per_row, style=TableStyle([
            ("FONT", (0, 0), (-1, -1), REGULAR, 7), ("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (0, 0), (-1, -1), "LEFT"),
            ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 8)]), hAlign="LEFT"))
    return out + lines


def _field_text(value: Any, kind: str, L: Labels) -> str:
    """A typed intake field's value as the dossier prints it."""
    if kind == "boolean":
        return ("예" if value else "아니오") if L.lang == "ko" else ("Yes" if value else "No")
    if kind == "money" and isinstance(value, int):
        return krw(value, L.lang)
    return str(value)


def dossier_story(app: AppRecord, program: ProgramRecord, evals: list[EvaluationRecord],
                  attachments: list[AttachmentRecord], decision: DecisionRecord | None, lang: str,
                  resolve: Callable[[str], Path | None]) -> list[Flowable]:
    L = labels(lang)
    st = styles()
    tr = program.tracks[app.track]
    story: list[Flowable] = [Section(app.id), Paragraph(esc(L("doc.dossier")), st.title),
                             Paragraph(esc(app.id), st.subtitle)]
    story.append(Paragraph(esc(L("dos.application")), st.h2))
    location = " ".join(x for x in (app.district, app.neighbourhood) if x)
    story.append(InfoGrid([
        (L("f.title"), app.title, "wide"),
        (L("f.id"), app.id),
        (L("f.track"), L.pick(tr.name_ko, tr.name_en)),
        (L("f.group_name"), app.group_name),
        (L("f.category"), L.category(app.category, program.categories)),
        (L("f.representative"), app.representative),
        (L("f.phone"), app.phone),
        (L("f.email"), app.email),
        (L("f.location"), location),
        (L("f.address"), app.address, "wide"),
        (L("f.members"), L("persons", n=app.members) if app.members is not None else "—"),
        (L("f.submitted_on"), day(app.submitted_on)),
        (L("f.requested_amount"), krw(app.requested_amount, lang)),
        (L("f.self_contribution"), krw(app.self_contribution, lang)),
    ], FRAME_WIDTH))
    if app.summary.strip():
        story.append(Spacer(1, 4))
        story.append(Table([[Paragraph(f"<b>{esc(L('f.summary'))}</b><br/>{esc(app.summary)}", st.small)]],
                           colWidths=[FRAME_WIDTH], style=TableStyle([
                               ("FONT", (0, 0), (-1, -1), REGULAR, 7), ("BOX", (0, 0), (-1, -1), 0.9, colors.black),
                               ("LEFTPADDING", (0, 0), (-1, -1), 5), ("RIGHTPADDING", (0, 0), (-1, -1), 5),
                               ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 5)])))
    typed = [(f.label(L.lang), _field_text(app.fields.get(f.key), f.type, L)) for f in program.fields
             if app.fields.get(f.key) is not None]
    if typed:
        story.append(Paragraph(esc(L("dos.fields")), st.h2))
        rows = [[Paragraph(esc(k), st.cell_small), Paragraph(esc(v), st.cell_small)] for k, v in typed]
        story.append(Table(rows, colWidths=[140, FRAME_WIDTH - 140], style=TableStyle(base_table_style(7.4, 9.4, 0)),
                           hAlign="LEFT"))
    if app.extra:
        story.append(Paragraph(esc(L("dos.extra")), st.h2))
        rows = [[Paragraph(esc(k), st.cell_small), Paragraph(esc(v), st.cell_small)] for k, v in app.extra.items()]
        story.append(Table(rows, colWidths=[140, FRAME_WIDTH - 140], style=TableStyle(base_table_style(7.4, 9.4, 0)),
                           hAlign="LEFT"))
    if decision is not None and (decision.computed or decision.override):
        story.append(Paragraph(esc(L("dos.decision")), st.h2))
        pairs: list[tuple] = [
            (L("agg.computed"), L.decision(decision.computed)),
            (L("agg.score"), score(decision.computed_score)),
            (L("agg.rank"), str(decision.computed_rank) if decision.computed_rank is not None else "—"),
            (L("agg.method"), L.method(decision.computed_method)),
            (L("agg.reason"), (decision.computed_reason_ko if L.lang != "en" else "") or decision.computed_reason
             or "—", "wide"),
        ]
        if decision.override:
            pairs.append((L("agg.override"), f"{L.decision(decision.override)} — {decision.override_reason}", "wide",
                          "bold"))
        story.append(InfoGrid(pairs, FRAME_WIDTH, label_width=80, bold_first=False))
    story.append(Paragraph(esc(L("dos.evaluations")), st.h2))
    if not evals:
        story.append(Paragraph(esc(L("dos.no_evaluations")), st.small))
    for ev in evals:
        story += _evaluation_block(ev, program, app, L)
    story.append(Paragraph(esc(L("dos.visits")), st.h2))
    story += _visits(evals, program, app, L)
    story.append(Paragraph(esc(L("dos.photos")), st.h2))
    story += _photos(attachments, L, resolve)
    return story
