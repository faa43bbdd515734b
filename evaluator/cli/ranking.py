"""CLI verbs for ranking: ``evaluator rank`` and ``evaluator override`` (BRIEF §6, docs/ranking.md)."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from typing import Any

from ..domain import DECISIONS
from ..errors import ValidationError
from ..messages import language, msg
from ..ranking.labels import decision_label
from ..ranking.model import METHODS, RankedApplication, RankingResult, TrackRanking
from .common import CliContext, display_width, table


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add this area's commands to the `evaluator` parser."""
    p = sub.add_parser(
        "rank", parents=[common], help="rank each track: decisions with reasons, the cut line and its stability",
        description="Aggregate the evaluations, apply eligibility, the minimum score, quota, budget and reserves, "
                    "and print every application's decision with a reason (a table per track, or --json). "
                    "A non-provisional ranking with the program's own method is stored as the computed decision; "
                    "one with another --method is a what-if view and stores nothing. Committee overrides are "
                    "shown beside it. Rules: docs/ranking.md.")
    p.add_argument("--track", help="only this track (code, e.g. activity)")
    p.add_argument("--round", metavar="CODE", help="the round to rank (its code or name; default: the program's "
                   "current round, its first not signed off). A signed-off round shows its frozen decisions")
    p.add_argument("--method", choices=METHODS,
                   help="aggregation method (default: the program's setting); another method than "
                        "the program's gives a what-if view that is not stored")
    p.add_argument("--provisional", action="store_true",
                   help="also count evaluations that are not finalised (labelled provisional; nothing stored)")
    p.add_argument("--no-stability", dest="stability", action="store_false",
                   help="skip the cut-line stability analysis")
    p.set_defaults(func=cmd_rank)

    e = sub.add_parser(
        "eligibility", parents=[common], help="each application against the program's gates and support rule",
        description="Before any score: each application of a round checked against the program file's gates "
                    "(eligible, or why not with the values) and its computed support amount with how it was "
                    "computed. Reads only; the ranking applies the same rules. Rules: docs/rules.md.")
    e.add_argument("--track", help="only this track (code)")
    e.add_argument("--round", metavar="CODE", help="the round (default: the program's current round)")
    e.set_defaults(func=cmd_eligibility)

    o = sub.add_parser(
        "override", parents=[common], help="the committee's decision on an application, with a written reason",
        description="Record (or with --clear remove) the committee's decision on an application. The reason is "
                    "required and goes in the audit trail; the computed decision is kept beside it.")
    o.add_argument("application_id", metavar="APP_ID", help="application ID (접수번호)")
    o.add_argument("decision", nargs="?", choices=DECISIONS, help="the committee's decision")
    o.add_argument("--clear", action="store_true", help="remove the override (the computed decision applies)")
    o.add_argument("--reason", required=True, help="why (required; recorded in the audit trail)")
    o.set_defaults(func=cmd_override)

    st = sub.add_parser(
        "settings", parents=[common], help="show or change the program's ranking settings (method, thresholds …)",
        description="Without options: print the program's ranking settings. With options: change them (audited); "
                    "the next 'evaluator rank' stores its decisions with the new settings. Rules: docs/ranking.md.")
    st.add_argument("--method", choices=METHODS, help="the aggregation method of record")
    st.add_argument("--trim-min-evaluators", type=int, metavar="N",
                    help="the trimmed mean drops the highest and lowest total from N evaluations up (≥ 3)")
    st.add_argument("--disagreement-threshold", type=float, metavar="POINTS",
                    help="a spread above this many points flags the application for moderation")
    st.add_argument("--min-score", action="append", metavar="[TRACK=]POINTS",
                    help="the minimum score to be selected: POINTS for every track, TRACK=POINTS for one (repeat), "
                         "or 'rubric' for each rubric's own")
    st.add_argument("--tie-breaks", metavar="RULE,RULE,…",
                    help="order of the tie-break rules (field_check, fewer_flags, earlier_submission)")
    st.set_defaults(func=cmd_settings)


# --- rank -----------------------------------------------------------------------------------------
def row_json(r: RankedApplication) -> dict[str, Any]:
    out = _row_json(r)
    if r.support is not None:  # a program with a support amount rule (docs/rules.md): how it was computed
        out["support"] = dataclasses.asdict(r.support)
    return out


def _row_json(r: RankedApplication) -> dict[str, Any]:
    return {
        "application_id": r.application_id, "track": r.track, "rank": r.rank, "score": r.score,
        "raw_score": r.raw_score, "normalized_score": r.normalized_score, "decision": r.decision,
        "computed_decision": r.computed_decision, "reason": r.reason, "reason_ko": r.reason_ko,
        "evaluations": r.evaluations, "spread": r.spread, "stddev": r.stddev, "flags": list(r.flags),
        "stability": r.stability, "on_cut_line": r.on_cut_line, "override": r.override,
        "override_reason": r.override_reason, "eligible": r.eligible, "failed_gates": list(r.failed_gates),
        "method": r.method, "title": r.title, "group_name": r.group_name, "district": r.district,
        "category": r.category, "requested_amount": r.requested_amount, "submitted_on": r.submitted_on,
        "field_check": r.field_check, "trimmed": r.trimmed, "tie_break": r.tie_break, "recusals": r.recusals,
        "abstentions": r.abstentions,
        "evaluators": [{"evaluator": e.evaluator, "total": e.total, "normalized": e.normalized, "state": e.state,
                        "counted": e.counted, "note": e.note, "note_ko": e.note_ko} for e in r.evaluators],
    }


def track_json(t: TrackRanking) -> dict[str, Any]:
    out = {
        "track": t.track, "name_ko": t.name_ko, "name_en": t.name_en, "method": t.method, "quota": t.quota,
        "reserve_size": t.reserve_size, "budget": t.budget, "budget_used": t.budget_used, "min_score": t.min_score,
        "eligible": t.eligible, "selected": t.selected, "reserve": t.reserve, "reliability": t.reliability,
        "reliability_method": t.reliability_method, "perturbations": t.perturbations,
        "trim_min_evaluators": t.trim_min_evaluators, "disagreement_threshold": t.disagreement_threshold,
        "tie_breaks": list(t.tie_breaks), "notes": list(t.notes), "notes_ko": list(t.notes_ko),
        "evaluator_quality": [{"evaluator": q.evaluator, "applications": q.applications,
                               "mean_total": q.mean_total, "leniency": q.leniency} for q in t.evaluator_quality],
    }
    if t.selection != "quota":  # (a quota track's document is as it was before selection models)
        out["selection"], out["fill"] = t.selection, t.fill
    return out


def result_json(result: RankingResult) -> dict[str, Any]:
    return {
        "program": result.program, "round": result.round, "signed_off": result.signed_off,
        "method": result.method, "provisional": result.provisional,
        "program_method": result.program_method, "what_if": result.what_if, "recorded": result.recorded,
        "computed_at": result.computed_at.isoformat(), "tracks": [track_json(t) for t in result.tracks],
        "applications": [row_json(r) for r in result.all_rows()],
    }


def _num(x: float | None, fmt: str = "{:.1f}") -> str:
    return "—" if x is None else fmt.format(x)


def track_text(t: TrackRanking, lang: str = "en") -> str:
    name = t.name_en if lang == "en" and t.name_en else t.name_ko
    threshold = t.selection == "threshold-budget"
    terms = ((msg("cli.track_threshold_fill", "selection threshold-budget with fill") if t.fill else
              msg("cli.track_threshold", "selection threshold-budget")) if threshold else
             msg("cli.track_quota", "quota {quota}, reserves {reserves}", quota=t.quota, reserves=t.reserve_size))
    head = msg("cli.track_head", "{name} ({track}) — {terms}, minimum {minimum:g}, method {method}", name=name,
               track=t.track, terms=terms, minimum=t.min_score, method=t.method).render(lang)
    if t.budget:
        head += msg("cli.track_budget", ", budget {budget:,} won (used {used:,})", budget=t.budget,
                    used=t.budget_used).render(lang)
    if t.provisional:
        head += msg("cli.track_provisional", " — PROVISIONAL").render(lang)
    rows = []
    cut_after = None
    for pos, r in enumerate(t.rows):
        if r.rank is not None and r.computed_decision == "selected":
            cut_after = pos
        decision = decision_label(r.decision, lang) + ("*" if r.override else "")
        rows.append([
            r.rank if r.rank is not None else "—", r.application_id, _num(r.score), _num(r.normalized_score),
            r.evaluations, _num(r.spread), _num(r.stability, "{:.0%}"), decision, ",".join(r.flags) or "",
            r.reason if lang == "en" else r.reason_ko,
        ])
    headers = ["rank", "application", "score", "norm.", "n", "spread", "stable", "decision", "flags", "reason"]
    lines = table(rows, headers, lang).splitlines()
    if cut_after is not None:
        label = (msg("cli.cut_line_budget", " cut line: budget {budget:,} won ", budget=t.budget) if threshold and t.budget
                 else msg("cli.cut_line_quota", " cut line: quota {quota} ", quota=t.quota)).render(lang)
        lines.insert(2 + cut_after + 1, "=" * 4 + label + "=" * (60 - display_width(label)))
    out = [head, "=" * min(display_width(head), 100), *lines, ""]
    if any(r.override for r in t.rows):
        out.append(msg("cli.override_marker", "* committee override (the computed decision is in the reason)")
                   .render(lang))
    out.extend(t.notes if lang == "en" else t.notes_ko)
    q_rows = [[q.evaluator, q.applications, _num(q.mean_total), _num(q.leniency, "{:+.1f}")]
              for q in t.evaluator_quality]
    if q_rows:
        out.append("")
        out.append(table(q_rows, ["evaluator", "counted", "mean total", "leniency"], lang))
    return "\n".join(out)


def warn_laptop_view(store: Any) -> None:
    """On a field laptop's database a ranking holds only that laptop's evaluations (the workbook's
    note says it is not the decisions of record): said on stderr, so the one-evaluator list is not
    taken for the office's ranking."""
    if store.is_field:
        print(msg("cli.rank_laptop_view", "warning: this is a field laptop's database: the ranking holds only the "
                  "evaluations on this laptop — the laptop's own view, not the office's ranking (the office ranks in "
                  "its database once every evaluator's package is merged)."), file=sys.stderr)


def cmd_rank(ctx: CliContext) -> int:
    a = ctx.args
    warn_laptop_view(ctx.store())
    result = ctx.store().ranking.current(track=a.track, method=a.method, provisional=a.provisional,
                                         stability=a.stability, round=a.round, progress=ctx.progress(msg("cli.progress_rank", "Ranking"))).value
    text = "\n\n".join(track_text(t, language()) for t in result.tracks)
    how = (msg("cli.rank_method_provisional", "{method}, provisional", method=result.method) if result.provisional
           else result.method)
    title = str(msg("cli.rank_title_round", "Ranking of {program}, round {round} ({how})", program=result.program,
                    round=result.round, how=how) if result.round else
                msg("cli.rank_title", "Ranking of {program} ({how})", program=result.program, how=how))
    if result.signed_off:
        title += "\n" + str(msg("cli.rank_signed_off", "SIGNED OFF: these are the round's frozen decisions of record "
                                "(later overrides, with their reasons, are shown)."))
    if result.what_if:
        title += "\n" + str(msg("cli.rank_what_if", "WHAT-IF VIEW: ranked by {method}, but the program's method is "
                                "{program_method}; the stored decisions are unchanged.", method=result.method,
                                program_method=result.program_method))
    ctx.out(result_json(result), f"{title}\n\n{text}")
    return 0


# --- eligibility ----------------------------------------------------------------------------------
def cmd_eligibility(ctx: CliContext) -> int:
    a = ctx.args
    rows = ctx.store().ranking.eligibility(a.track, round=a.round)
    ko = language() == "ko"
    table_rows = [[r.application_id, r.track, "yes" if r.eligible else "NO",
                   f"{r.requested_amount:,}" if r.requested_amount is not None else "—",
                   f"{r.support.awarded:,}" if r.support is not None else "—",
                   (r.reason_ko if ko else r.reason) or (_support_words(r.support, ko) if r.support else "")]
                  for r in rows]
    n_no = sum(not r.eligible for r in rows)
    text = (table(table_rows, ["application", "track", "eligible", "requested (won)", "support (won)", "why"])
            + "\n\n" + str(msg("cli.eligibility_summary", "{count} {count:application|applications}: {eligible} "
                               "eligible, {ineligible} not.",
                                count=len(rows), eligible=len(rows) - n_no, ineligible=n_no)))
    ctx.out(rows, text)
    return 0


def _support_words(amount: Any, ko: bool) -> str:
    from ..ranking.reasons import words

    en, k = words((amount.phrase(),))
    return k if ko else en


# --- override -------------------------------------------------------------------------------------
def cmd_override(ctx: CliContext) -> int:
    a = ctx.args
    store = ctx.store()
    if a.clear:
        if a.decision:
            raise ValidationError(msg("cli.override_decision_or_clear", "Give either a DECISION or --clear, not both."))
        store.ranking.clear_override(a.application_id, a.reason)
        ctx.out({"application_id": a.application_id, "override": None, "reason": a.reason},
                msg("cli.override_cleared", "Override on {app} cleared; the computed decision applies again.",
                    app=a.application_id))
        return 0
    if not a.decision:
        raise ValidationError(msg("cli.override_which", "Say which decision ({decisions}) or use --clear.",
                                  decisions=", ".join(DECISIONS)))
    store.ranking.override(a.application_id, a.decision, a.reason)
    ctx.out({"application_id": a.application_id, "override": a.decision, "reason": a.reason},
            msg("cli.override_set", "{app}: the committee's decision is now '{decision}' (reason recorded in the "
                "audit trail).", app=a.application_id, decision=a.decision))
    return 0


# --- settings -------------------------------------------------------------------------------------
def _min_score(values: list[str]) -> Any:
    if values == ["rubric"]:
        return None
    per_track: dict[str, float] = {}
    for v in values:
        track, sep, points = v.rpartition("=")
        try:
            number = float(points)
        except ValueError:
            raise ValidationError(msg("cli.min_score_syntax", "--min-score: '{value}' is not POINTS, TRACK=POINTS or "
                                      "'rubric'.", value=v)) from None
        if not sep:
            if len(values) > 1:
                raise ValidationError(msg("cli.min_score_mixed", "--min-score: give one number for every track, or "
                                          "TRACK=POINTS per track."))
            return number
        per_track[track] = number
    return per_track


def cmd_settings(ctx: CliContext) -> int:
    a = ctx.args
    store = ctx.store()
    changes: dict[str, Any] = {}
    if a.method is not None:
        changes["method"] = a.method
    if a.trim_min_evaluators is not None:
        changes["trim_min_evaluators"] = a.trim_min_evaluators
    if a.disagreement_threshold is not None:
        changes["disagreement_threshold"] = a.disagreement_threshold
    if a.min_score:
        changes["min_score"] = _min_score(a.min_score)
    if a.tie_breaks is not None:
        changes["tie_breaks"] = [r.strip() for r in a.tie_breaks.split(",") if r.strip()]
    settings = store.ranking.set_settings(**changes).value if changes else store.ranking.settings()
    lines = [str(msg("cli.settings_changed", "Changed the ranking settings:") if changes else
                 msg("cli.settings", "Ranking settings:"))]
    for key, value in settings.items():
        shown = msg("cli.min_score_rubric", "each rubric's own") if key == "min_score" and value is None else value
        if isinstance(shown, list):
            shown = ", ".join(shown)
        elif isinstance(shown, dict):
            shown = str(msg("cli.min_score_per_track", "{tracks}; other tracks: rubric's own",
                            tracks=", ".join(f"{track} {points:g}" for track, points in shown.items())))
        lines.append(f"  {key:24} {shown}")
    ctx.out(settings, "\n".join(lines))
    return 0
