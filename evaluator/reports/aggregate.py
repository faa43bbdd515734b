"""The aggregate sheet (집계표): one page per application for the committee to check and sign.

Every evaluator's score per criterion side by side (recused and abstaining evaluators shown and
marked as left out), the totals raw and normalised, the aggregation method and its result, the
spread, the decision with its reason and any committee override, and signature lines.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from ..ranking.model import EvaluatorScore, RankedApplication, RankingResult
from .blocks import InfoGrid, base_table_style, signature_table
from .data import AppRecord, EvaluationRecord, ProgramRecord
from .document import Section
from .fmt import esc, krw, pct, points, score
from .fonts import BOLD
from .labels import Labels, labels
from .styles import FRAME_WIDTH, MUTED, SOFT_BG, styles

MAX_EVALUATOR_COLUMNS = 6


def reason(row: RankedApplication, L: Labels, *, computed: bool = False) -> str:
    """The row's one-line reason in the report's language."""
    if computed:
        ko, en = getattr(row, "computed_reason_ko", ""), getattr(row, "computed_reason", "") or row.reason
    else:
        ko, en = getattr(row, "reason_ko", ""), row.reason
    return L.pick(ko or en, en)


def flags_text(flags: Sequence[str], L: Labels) -> str:
    return ", ".join(L.flag(f) for f in flags)


def method_text(row: RankedApplication, L: Labels) -> str:
    text = L.method(row.method)
    if getattr(row, "trimmed", False):
        text += " — " + L.pick("최고·최저 총점 각 1건 제외", "highest and lowest totals dropped")
    return text


def _cell_value(rubric, crit, ev: EvaluationRecord | None, es: EvaluatorScore | None) -> str:
    sc = ev.scores.get(crit.code) if ev is not None else None
    pts = sc.points if sc is not None else None
    if pts is None and es is not None:
        pts = es.criteria.get(crit.code)
    if pts is None:
        return "—"
    if sc is not None and sc.level:
        try:
            return f"{rubric.level(sc.level).label_ko} {points(pts)}"
        except KeyError:
            pass
    return points(pts)


def _state(es: EvaluatorScore | None, ev: EvaluationRecord | None, L: Labels) -> tuple[str, bool]:
    """(state label, counted)"""
    if es is not None:
        return L.state(es.state), es.counted
    if ev is None:
        return L.state("not_started"), False
    if ev.recused:
        return L.state("recused"), False
    if ev.abstained:
        return L.state("abstained"), False
    return L.state(ev.state or "not_started"), False


def _score_tables(app: AppRecord, program: ProgramRecord, row: RankedApplication | None,
                  evals: list[EvaluationRecord], L: Labels) -> list[Flowable]:
    st = styles()
    rubric = program.tracks[app.track].rubric
    by_code = {e.evaluator: e for e in evals}
    ranked = {es.evaluator: es for es in (row.evaluators if row else ())}
    codes = sorted(set(by_code) | set(ranked))
    counted_codes = [c for c in codes if ranked.get(c) is not None and ranked[c].counted]
    out: list[Flowable] = []
    chunks = [codes[i:i + MAX_EVALUATOR_COLUMNS] for i in range(0, len(codes), MAX_EVALUATOR_COLUMNS)] or [[]]
    name_w, max_w, mean_w = 128.0, 30.0, 46.0
    for chunk_i, chunk in enumerate(chunks):
        last = chunk_i == len(chunks) - 1
        ev_w = (FRAME_WIDTH - name_w - max_w - (mean_w if last else 0)) / max(len(chunk), 1)
        header = [L("sheet.criterion"), L("sheet.max")]
        for code in chunk:
            name = (by_code[code].evaluator_name if code in by_code else "")
            header.append(Paragraph(f"<b>{esc(code)}</b><br/>{esc(name)}", st.cell_center))
        if last:
            header.append(Paragraph(f"<b>{esc(L('agg.mean_col'))}</b><br/>({esc(L('counted.yes'))})", st.cell_center))
        rows: list[list] = [header]
        for n, crit in enumerate(rubric.criteria, 1):
            r = [Paragraph(f"{n}. {esc(crit.name(L.lang))} <font size=6.3 color='#555555'>{esc(crit.code)}</font>",
                           st.cell_small), points(crit.max_points)]
            for code in chunk:
                r.append(_cell_value(rubric, crit, by_code.get(code), ranked.get(code)))
            if last:
                vals = [ranked[c].criteria.get(crit.code) for c in counted_codes]
                vals = [v for v in vals if v is not None]
                r.append(points(round(sum(vals) / len(vals), 2)) if vals else "—")
            rows.append(r)
        total_row = [L("agg.total_row"), "100"]
        norm_row = [L("agg.normalized_row"), ""]
        state_row = [L("agg.state_row"), ""]
        counted_row = [L("agg.counted_row"), ""]
        excluded_cols = []
        for k, code in enumerate(chunk):
            es, ev = ranked.get(code), by_code.get(code)
            total = es.total if es is not None else None
            if total is None and ev is not None and not ev.recused and not ev.abstained:
                total = rubric.total({c: v.points for c, v in ev.scores.items()})
            total_row.append(score(total))
            norm_row.append(score(es.normalized if es is not None else None))
            label, counted = _state(es, ev, L)
            state_row.append(Paragraph(esc(label), st.cell_center))
            counted_row.append(L("counted.yes") if counted else L("counted.no"))
            if not counted:
                excluded_cols.append(2 + k)
        if last:
            totals = [ranked[c].total for c in counted_codes if ranked[c].total is not None]
            total_row.append(score(sum(totals) / len(totals)) if totals else "—")
            norms = [ranked[c].normalized for c in counted_codes if ranked[c].normalized is not None]
            norm_row.append(score(sum(norms) / len(norms)) if norms else "—")
            state_row.append("")
            counted_row.append(str(len(counted_codes)))
        first_summary = len(rows)
        rows += [total_row, norm_row, state_row, counted_row]
        widths = [name_w, max_w] + [ev_w] * len(chunk) + ([mean_w] if last else [])
        cmds = base_table_style(7.6, 9.6) + [
            ("ALIGN", (1, 0), (-1, -1), "CENTER"),
            ("VALIGN", (0, 1), (-1, -1), "MIDDLE"),
            ("LINEABOVE", (0, first_summary), (-1, first_summary), 0.9, colors.black),
            ("FONT", (0, first_summary), (-1, first_summary), BOLD, 8, 10),
            ("FONT", (0, first_summary + 1), (0, -1), BOLD, 7.6, 9.6),
            ("FONT", (0, first_summary), (0, first_summary), BOLD, 7.6, 9.6),
            ("BACKGROUND", (0, first_summary), (1, -1), SOFT_BG),
        ]
        if last:
            cmds += [("BACKGROUND", (-1, 1), (-1, -1), SOFT_BG), ("FONT", (-1, 1), (-1, -1), BOLD, 7.6, 9.6),
                     ("LINEBEFORE", (-1, 0), (-1, -1), 0.9, colors.black)]
        for col in excluded_cols:
            # left-out evaluators: hatched-looking grey column, values struck through by the label
            cmds += [("BACKGROUND", (col, 1), (col, -1), colors.Color(0.9, 0.9, 0.9)),
                     ("TEXTCOLOR", (col, 1), (col, -1), MUTED)]
        out.append(Table(rows, colWidths=widths, repeatRows=1, style=TableStyle(cmds), hAlign="LEFT"))
        out.append(Spacer(1, 4))
    out.append(Paragraph(esc(L("agg.level_note")), st.note))
    return out


def _result_block(app: AppRecord, program: ProgramRecord, row: RankedApplication | None,
                  evals: list[EvaluationRecord], L: Labels, track_eligible: int | None) -> Flowable:
    rubric = program.tracks[app.track].rubric
    if row is None:
        return Paragraph(esc(L("agg.not_ranked")), styles().body)
    gates = {g.code: g.name(L.lang) for g in rubric.gates}
    elig = L("agg.eligible") if row.eligible else L("agg.failed_gates", gates=", ".join(
        gates.get(g, g) for g in row.failed_gates) or "—")
    excluded = []
    by_code = {e.evaluator: e for e in evals}
    for es in row.evaluators:
        if es.state not in ("recused", "abstained"):
            continue
        ev = by_code.get(es.evaluator)
        who = f"{es.evaluator} {ev.evaluator_name}" if ev is not None else es.evaluator
        if ev is not None and ev.recused:
            detail = f"{L.state('recused')} — {L.conflict(ev.conflict_type)}" + (
                f": {ev.conflict_note}" if ev.conflict_note else "")
        elif ev is not None and ev.abstained:
            detail = f"{L.state('abstained')}: {ev.abstain_reason or '—'}"
        else:
            note = (getattr(es, "note_ko", "") or es.note) if L.lang != "en" else es.note
            detail = L.state(es.state) + (f": {note}" if note else "")
        excluded.append(f"{who} {detail}")
    rank = L("agg.rank_of", rank=row.rank, n=track_eligible) if row.rank is not None and track_eligible else (
        str(row.rank) if row.rank is not None else L("agg.not_ranked"))
    pairs: list[tuple] = [
        (L("agg.method"), method_text(row, L)),
        (L("agg.score"), score(row.score)),
        (L("agg.raw_score"), score(row.raw_score)),
        (L("agg.normalized_score"), score(row.normalized_score)),
        (L("agg.evaluations"), str(row.evaluations)),
        (L("agg.rank"), rank),
        (L("agg.spread"), score(row.spread)),
        (L("agg.stddev"), score(row.stddev)),
        (L("agg.flags"), flags_text(row.flags, L) or L("none")),
        (L("agg.stability"), pct(row.stability)),
        (L("agg.eligibility"), elig, "wide"),
        (L("agg.exclusions"), "; ".join(excluded) or L("agg.no_exclusions"), "wide"),
        (L("agg.decision"), L.decision(row.decision), "wide", "bold"),
        (L("agg.reason"), reason(row, L, computed=bool(row.override)), "wide"),
    ]
    if row.override:
        pairs.append((L("agg.computed"), L.decision(row.computed_decision), "wide"))
        pairs.append((L("agg.override"), f"{L.decision(row.override)} — {row.override_reason}", "wide", "bold"))
    return InfoGrid(pairs, FRAME_WIDTH, label_width=80, bold_first=False)


def aggregate_story(app: AppRecord, program: ProgramRecord, ranking: RankingResult | None,
                    row: RankedApplication | None, evals: list[EvaluationRecord], lang: str,
                    track_eligible: int | None = None) -> list[Flowable]:
    L = labels(lang)
    st = styles()
    tr = program.tracks[app.track]
    story: list[Flowable] = [Section(app.id), Paragraph(esc(L("doc.aggregate")), st.title), Spacer(1, 4)]
    if ranking is not None and ranking.provisional:
        story.append(Paragraph(esc(L("provisional.banner")), st.banner))
    if ranking is not None and ranking.what_if:
        story.append(Paragraph(esc(L("whatif.banner", method=L.method(ranking.method),
                                     program=L.method(ranking.program_method))), st.banner))
    elif ranking is not None and not ranking.provisional and not ranking.recorded:
        story.append(Paragraph(esc(L("unrecorded.banner")), st.banner))
    location = " ".join(x for x in (app.district, app.neighbourhood) if x)
    story.append(InfoGrid([
        (L("f.title"), app.title, "wide"),
        (L("f.id"), app.id),
        (L("f.track"), L.pick(tr.name_ko, tr.name_en)),
        (L("f.group_name"), app.group_name),
        (L("f.category"), L.category(app.category, program.categories)),
        (L("f.location"), location),
        (L("f.requested_amount"), krw(app.requested_amount, lang)),
    ], FRAME_WIDTH))
    story.append(Paragraph(esc(L("agg.scores")), st.h2))
    story += _score_tables(app, program, row, evals, L)
    story.append(Paragraph(esc(L("agg.result")), st.h2))
    story.append(_result_block(app, program, row, evals, L, track_eligible))
    story.append(Paragraph(esc(L("agg.committee_sign")), st.h2))
    story.append(signature_table([L("sum.chair")] + [L("sum.member")] * 4, name_label=L("sum.name"),
                                 sign_label=L("sheet.sign"), width=FRAME_WIDTH, row_height=22))
    story.append(Spacer(1, 6))
    story.append(Paragraph(f"<b>{esc(L('sum.date'))}</b>  20____. ____. ____.", st.body))
    return story
