"""The committee summary: per track the ranked list with the cut line, overrides, charts, counts
and the rules applied, then the committee's sign-off.

The ranked list is a :class:`~evaluator.reports.blocks.RowsTable`, so a 4,000-row track costs
four times a 1,000-row one (measured in the benchmark suite).
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle

from ..ranking.labels import reliability_label
from ..ranking.model import RankedApplication, RankingResult, TrackRanking
from . import charts
from .aggregate import flags_text, reason
from .blocks import InfoGrid, RowsTable, TextLines, base_table_style, signature_table
from .data import ProgramRecord, RoundProgress
from .document import Section
from .fmt import esc, krw, one_line, points, score, stamp
from .fonts import BOLD, REGULAR
from .labels import Labels, labels
from .styles import FRAME_WIDTH, MUTED, styles

#: ranked-table columns: key, label key, width, alignment
COLUMNS = (
    ("rank", "sum.rank", 24, "CENTER"),
    ("id", "f.id", 50, "LEFT"),
    ("title", "sum.title_group", 154, "LEFT"),
    ("district", "f.district", 40, "LEFT"),
    ("score", "sum.score", 32, "RIGHT"),
    ("evals", "sum.evals", 22, "CENTER"),
    ("spread", "sum.spread", 28, "RIGHT"),
    ("flags", "sum.flags", 60, "LEFT"),
    ("decision", "sum.decision", 42, "CENTER"),
    ("amount", "sum.amount", 58, "RIGHT"),
)
SELECTED_BG = colors.Color(0.87, 0.87, 0.87)
TABLE_FONT = 7.0
TABLE_LEADING = 8.8


def _title_cell(row: RankedApplication, L: Labels) -> TextLines:
    """Title (bold), group and the one-line reason: plain text, never parsed as markup."""
    return TextLines([(row.title, BOLD, TABLE_FONT, 0), (row.group_name, REGULAR, TABLE_FONT, 0),
                      (reason(row, L), REGULAR, 6.2, 0.27)])


def _ranked_table(tr: TrackRanking, L: Labels) -> tuple[RowsTable, list[RankedApplication]]:
    widths = [c[2] for c in COLUMNS]
    support = any(r.support is not None for r in tr.rows)  # the program computes the amounts (docs/rules.md)
    header = [[L("sum.amount_support") if support and c[0] == "amount" else L(c[1]) for c in COLUMNS]]
    rows: list[list] = []
    kinds: list[str] = []
    rows_in_order = list(tr.rows)
    last_selected = max((i for i, r in enumerate(rows_in_order) if r.computed_decision == "selected"), default=None)
    last_reserve = max((i for i, r in enumerate(rows_in_order) if r.computed_decision == "reserve"), default=None)
    reserve_no = 0
    flag_w = widths[7] - 6
    lang = L.lang
    for i, r in enumerate(rows_in_order):
        decision = L.decision(r.decision)
        if r.decision == "reserve":
            reserve_no += 1
            decision = f"{decision} {reserve_no}"
        if r.override:
            decision += " *"
        flags = flags_text(r.flags, L)
        if flags and stringWidth(flags, REGULAR, TABLE_FONT) > flag_w:
            flags_cell = TextLines([(flags, REGULAR, TABLE_FONT, 0)])
        else:
            flags_cell = flags
        rows.append([
            str(r.rank) if r.rank is not None else "—",
            r.application_id,
            _title_cell(r, L),
            one_line(r.district),
            score(r.score),
            str(r.evaluations),
            score(r.spread, 1),
            flags_cell,
            decision,
            krw(r.support.awarded if r.support is not None else None if support else r.requested_amount, lang),
        ])
        kinds.append(r.decision if r.eligible or r.decision != "ineligible" else "ineligible")
        if i == last_selected:
            n_sel = sum(1 for x in rows_in_order[:i + 1] if x.computed_decision == "selected")
            line = (L("sum.cut_line_budget", n=n_sel, budget=krw(tr.budget, L.lang))
                    if tr.selection == "threshold-budget" else L("sum.cut_line", n=n_sel, quota=tr.quota))
            rows.append([line] + [""] * (len(COLUMNS) - 1))
            kinds.append("cut")
        if i == last_reserve:
            n_res = sum(1 for x in rows_in_order if x.computed_decision == "reserve")
            rows.append([L("sum.reserve_line", n=n_res)] + [""] * (len(COLUMNS) - 1))
            kinds.append("reserve_cut")
    base = base_table_style(TABLE_FONT, TABLE_LEADING) + [
        ("ALIGN", (k, 0), (k, -1), c[3]) for k, c in enumerate(COLUMNS)
    ] + [("ALIGN", (0, 0), (-1, 0), "CENTER"), ("FONT", (8, 1), (8, -1), BOLD, TABLE_FONT, TABLE_LEADING)]

    def row_style(i: int, r: int) -> list[tuple]:
        k = kinds[i]
        if k == "selected":
            return [("BACKGROUND", (0, r), (-1, r), SELECTED_BG)]
        if k == "cut":
            return [("SPAN", (0, r), (-1, r)), ("ALIGN", (0, r), (-1, r), "CENTER"),
                    ("FONT", (0, r), (-1, r), BOLD, 7.6, 9.4),
                    ("LINEABOVE", (0, r), (-1, r), 2.2, colors.black),
                    ("LINEBELOW", (0, r), (-1, r), 2.2, colors.black)]
        if k == "reserve_cut":
            return [("SPAN", (0, r), (-1, r)), ("ALIGN", (0, r), (-1, r), "CENTER"),
                    ("FONT", (0, r), (-1, r), BOLD, 7.2, 9),
                    ("LINEABOVE", (0, r), (-1, r), 1.4, colors.black, None, (4, 2)),
                    ("LINEBELOW", (0, r), (-1, r), 1.4, colors.black, None, (4, 2))]
        if k in ("ineligible", "not_selected"):
            return [("TEXTCOLOR", (0, r), (-1, r), MUTED), ("FONT", (8, r), (8, r), REGULAR, TABLE_FONT,
                                                             TABLE_LEADING)]
        return []

    return RowsTable(header, rows, widths, base_style=base, row_style=row_style, font_size=TABLE_FONT,
                     leading=TABLE_LEADING), rows_in_order


def _counts_table(ranking: RankingResult, L: Labels) -> Table:
    head = [L("f.track"), L("sum.applications"), L("sum.eligible"), L("sum.selected") + f" ({L('sum.quota')})",
            L("sum.reserve"), L("sum.budget_used"), L("sum.budget"), L("sum.min_score")]
    rows: list[list] = [head]
    tot = [0, 0, 0, 0, 0, 0]
    st = styles()
    for t in ranking.tracks:
        rows.append([Paragraph(esc(L.pick(t.name_ko, t.name_en)), st.cell_small), str(len(t.rows)), str(t.eligible),
                     f"{t.selected} ({t.quota})", str(t.reserve), krw(t.budget_used, L.lang),
                     krw(t.budget, L.lang) if t.budget else L("sum.no_budget_cap"), points(t.min_score)])
        for k, v in enumerate((len(t.rows), t.eligible, t.selected, t.quota, t.reserve, t.budget_used)):
            tot[k] += v
    rows.append([L("sum.total"), str(tot[0]), str(tot[1]), f"{tot[2]} ({tot[3]})", str(tot[4]),
                 krw(tot[5], L.lang), "", ""])
    widths = [124, 46, 42, 60, 38, 76, 70, 54]
    cmds = base_table_style(7.6, 9.6) + [
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"), ("ALIGN", (0, 0), (-1, 0), "CENTER"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("FONT", (0, -1), (-1, -1), BOLD, 7.6, 9.6), ("LINEABOVE", (0, -1), (-1, -1), 0.9, colors.black),
    ]
    return Table(rows, colWidths=widths, style=TableStyle(cmds), hAlign="LEFT")


def _overrides(tr: TrackRanking, L: Labels) -> list[Flowable]:
    st = styles()
    rows_ = [r for r in tr.rows if r.override]
    out: list[Flowable] = [Paragraph(esc(L("sum.overrides")), st.h2)]
    if not rows_:
        out.append(Paragraph(esc(L("sum.no_overrides")), st.small))
        return out
    data: list[list] = [[L("f.id"), L("f.title"), L("agg.computed") + " → " + L("agg.override"),
                         L("agg.override_reason")]]
    for r in rows_:
        data.append([r.application_id, Paragraph(esc(r.title), st.cell_small),
                     Paragraph(f"{esc(L.decision(r.computed_decision))} → <b>{esc(L.decision(r.override))}</b>",
                               st.cell_small),
                     Paragraph(esc(r.override_reason), st.cell_small)])
    t = Table(data, colWidths=[52, 150, 96, FRAME_WIDTH - 298], repeatRows=1,
              style=TableStyle(base_table_style(7.4, 9.4)), hAlign="LEFT")
    out.append(t)
    return out


def _charts(tr: TrackRanking, L: Labels) -> Flowable:
    w = (FRAME_WIDTH - 10) / 2
    h = 132
    scores = [(r.score, r.decision == "selected") for r in tr.rows if r.score is not None]
    dist = charts.score_distribution(scores, min_score=tr.min_score, width=w, height=h,
                                     title=L("sum.chart_dist"), selected_label=L("sum.chart_selected"),
                                     other_label=L("sum.chart_other"), min_label=L("sum.chart_min", v=points(tr.min_score)))
    len_values = [(q.evaluator, q.leniency) for q in tr.evaluator_quality]
    lenc = charts.leniency(len_values, width=w, height=h, title=L("sum.chart_len"))
    t = Table([[dist, lenc]], colWidths=[w + 5, w + 5], style=TableStyle([
        ("FONT", (0, 0), (-1, -1), REGULAR, 7), ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("BOX", (0, 0), (-1, -1), 0.5, colors.Color(0.6, 0.6, 0.6)),
        ("LINEBEFORE", (1, 0), (1, 0), 0.5, colors.Color(0.6, 0.6, 0.6)),
        ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]), hAlign="LEFT")
    return t


def _track_info(tr: TrackRanking, L: Labels) -> InfoGrid:
    rel = "—"
    if tr.reliability is not None:
        rel = f"{tr.reliability:.2f} ({reliability_label(tr.reliability_method, L.lang)})"
    return InfoGrid([
        (L("sum.applications"), str(len(tr.rows))),
        (L("sum.eligible"), str(tr.eligible)),
        (L("sum.selected"), str(tr.selected) if tr.selection == "threshold-budget"
         else f"{tr.selected} / {L('sum.quota')} {tr.quota}"),
        (L("sum.reserve"), f"{tr.reserve} / {tr.reserve_size}"),
        (L("sum.budget_used"), krw(tr.budget_used, L.lang)),
        (L("sum.budget"), krw(tr.budget, L.lang) if tr.budget else L("sum.no_budget_cap")),
        (L("sum.min_score"), points(tr.min_score)),
        (L("agg.method"), L.method(tr.method)),
        (L("sum.reliability"), rel, "wide"),
    ], FRAME_WIDTH, label_width=70, bold_first=False)


def round_banner(progress: RoundProgress, L: Labels) -> str:
    """The line every page of an unfinished round's summary carries ('' once the round is complete)."""
    if progress.complete:
        return ""
    if progress.expected == 0:
        return L("round.banner_none")
    return L("round.banner", n=progress.expected, missing=progress.missing, apps=progress.applications_open)


def summary_story(program: ProgramRecord, ranking: RankingResult, lang: str, *, tick=None,
                  progress: RoundProgress | None = None) -> list[Flowable]:
    """The summary's pages.  ``progress``: how far the round's evaluations are; the signature block is
    printed only when every assigned evaluation is finalised (None: not known, printed)."""
    L = labels(lang)
    st = styles()
    story: list[Flowable] = [Section(""), Paragraph(esc(L("doc.summary")), st.title),
                             Paragraph(esc(L.pick(program.name_ko, program.name_en)), st.subtitle)]
    if ranking.provisional:
        story.append(Paragraph(esc(L("provisional.banner")), st.banner))
    if ranking.what_if:
        story.append(Paragraph(esc(L("whatif.banner", method=L.method(ranking.method),
                                     program=L.method(ranking.program_method))), st.banner))
    if ranking.recorded:
        method_line = L("sum.method_line", method=L.method(ranking.method), at=stamp(ranking.computed_at)) + " · " \
            + L("record.line")
    else:
        method_line = L("sum.method_line", method=L.method(ranking.method), at=stamp(ranking.computed_at))
        if not ranking.provisional and not ranking.what_if:
            story.append(Paragraph(esc(L("unrecorded.banner")), st.banner))
    story.append(Paragraph(esc(method_line), st.body))
    story.append(Paragraph(esc(L("sum.counts")), st.h2))
    story.append(_counts_table(ranking, L))
    story.append(Paragraph(esc(L("sum.legend")), st.h2))
    threshold = ranking.tracks[0].disagreement_threshold if ranking.tracks else 20
    for f in ("disagreement", "incomplete", "cut_line", "tie", "recusal", "overridden"):
        mark = "*" if f == "overridden" else L.flag(f)
        story.append(Paragraph(f"<b>{esc(mark)}</b>: {esc(L('help.' + f, t=points(threshold)))}", st.small))
    # the charts of every track on the overview pages
    story.append(Paragraph(esc(L("sum.charts")), st.h2))
    for tr in ranking.tracks:
        story.append(KeepTogether([
            Paragraph(f"<b>{esc(L.pick(tr.name_ko, tr.name_en))}</b>", st.small), Spacer(1, 2), _charts(tr, L),
            Spacer(1, 6)]))
    for i, tr in enumerate(ranking.tracks):
        name = L.pick(tr.name_ko, tr.name_en)
        story.append(PageBreak())
        story.append(Section(name))
        story.append(Paragraph(f"{esc(name)} <font size=9 color='#555555'>({esc(tr.track)})</font>", st.h1))
        story.append(_track_info(tr, L))
        story.append(Paragraph(esc(L("sum.ranked")), st.h2))
        table, _ = _ranked_table(tr, L)
        story.append(table)
        story += _overrides(tr, L)
        notes_ko = tuple(getattr(tr, "notes_ko", ()) or ())
        # the Korean notes when they say everything the English ones do
        notes = notes_ko if (lang != "en" and len(notes_ko) >= len(tr.notes)) else tr.notes
        if notes:
            story.append(KeepTogether([Paragraph(esc(L("sum.notes")), st.h2)]
                                      + [Paragraph("• " + esc(n), st.note) for n in notes]))
        if tick is not None:
            story.append(tick(i, len(ranking.tracks)))
    story.append(CondPageBreak(260))
    story.append(Section(L("sum.signoff")))
    story.append(Paragraph(esc(L("sum.signoff")), st.h1))
    if progress is not None and not progress.complete:
        # a result mid-round is not for signing: no signature block to sign by mistake
        story.append(Paragraph(esc(L("round.no_signature", n=progress.expected, missing=progress.missing)),
                               st.banner))
        return story
    story.append(Paragraph(esc(L("sum.signoff_text")), st.body))
    story.append(Spacer(1, 6))
    story.append(Paragraph(f"<b>{esc(L('sum.date'))}</b>  20____. ____. ____.", st.body))
    story.append(Spacer(1, 6))
    story.append(KeepTogether([signature_table([L("sum.chair")] + [L("sum.member")] * 6, name_label=L("sum.name"),
                                               sign_label=L("sheet.sign"), width=FRAME_WIDTH, row_height=24)]))
    return story
