"""CLI verbs for evaluators, assignments, eligibility gates and withdrawals:

    evaluator evaluators [add CODE --name … | import FILE | remove CODE]
    evaluator assign --auto [--per-application N] [--track T] [--round R] · assign APP EV · unassign APP EV
    evaluator recuse APP EV --type TYPE [--note …]
    evaluator likely-conflicts [--track T] [--round R] | likely-conflicts dismiss APP EV --reason …
        | likely-conflicts dismissed | likely-conflicts restore APP EV --reason …
    evaluator gate APP [GATE pass|fail [--note …]]
    evaluator withdraw APP --reason …
"""

from __future__ import annotations

import argparse
from datetime import date

from ..domain import CONFLICT_TYPES
from ..errors import ValidationError
from ..messages import language, msg
from .common import CliContext, table


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add this area's commands to the `evaluator` parser."""
    p = sub.add_parser("evaluators", parents=[common], help="list evaluators with their load; add, import, remove",
                       description="Without an action: every evaluator with their load in the current program and "
                                   "their key's fingerprint.")
    p.set_defaults(func=cmd_evaluators)
    es = p.add_subparsers(dest="evaluators_command", metavar="ACTION")
    c = es.add_parser("add", parents=[common], help="add an evaluator")
    c.add_argument("code", metavar="CODE", help="the evaluator's code, e.g. EV06")
    c.add_argument("--name", required=True, help="their name")
    c.add_argument("--organisation", default="", help="their organisation (likely conflicts are suggested from it)")
    c.add_argument("--district", default="", help="their district, e.g. 종로구 (likely conflicts are suggested from it)")
    c.add_argument("--email", default="", help="their e-mail address")
    c.add_argument("--phone", default="", help="their phone")
    c.add_argument("--role", default="", help="e.g. private expert, community activist, public official")
    c.set_defaults(func=cmd_evaluators_add)
    c = es.add_parser("import", parents=[common], help="add or update evaluators from an Excel sheet",
                      description="One row per evaluator: 평가위원번호 (code), 성명 (name), 소속 (organisation), "
                                  "자치구 (district), 이메일, 연락처, 구분 (role). All or nothing: every problem is "
                                  "reported with its sheet, row and column.")
    c.add_argument("file", metavar="FILE", help="the .xlsx file")
    c.add_argument("--dry-run", action="store_true", help="only report what would be added or updated")
    c.set_defaults(func=cmd_evaluators_import)
    c = es.add_parser("remove", parents=[common], help="remove an evaluator who holds no work")
    c.add_argument("code", metavar="CODE")
    c.set_defaults(func=cmd_evaluators_remove)

    p = sub.add_parser("assign", parents=[common], help="assign evaluators: automatically (--auto) or one by one",
                       description="With --auto: give every application of the program (rounds not signed off) "
                                   "N evaluators, the least loaded first (each evaluator's load within one of the "
                                   "others'), never one with a declared conflict; likely conflicts (the "
                                   "evaluator's organisation or district is the applicant group's, a shared e-mail "
                                   "domain or phone) are listed for you to confirm with 'evaluator recuse'. "
                                   "Otherwise: assign evaluator EV to application APP.")
    p.add_argument("application_id", metavar="APP", nargs="?", help="application ID (접수번호)")
    p.add_argument("evaluator", metavar="EV", nargs="?", help="evaluator code")
    p.add_argument("--auto", action="store_true", help="assign automatically")
    p.add_argument("--per-application", type=int, default=3, metavar="N",
                   help="(--auto) evaluators per application (default 3)")
    p.add_argument("--track", help="(--auto) only this track")
    p.add_argument("--round", help="(--auto) only this round")
    p.add_argument("--dry-run", action="store_true", help="(--auto) only show what would be assigned")
    p.add_argument("--visit-on", metavar="YYYY-MM-DD", help="the planned visit date")
    p.set_defaults(func=cmd_assign)

    p = sub.add_parser("unassign", parents=[common], help="take an application back from an evaluator who has not "
                                                          "started it")
    p.add_argument("application_id", metavar="APP")
    p.add_argument("evaluator", metavar="EV")
    p.set_defaults(func=cmd_unassign)

    p = sub.add_parser("recuse", parents=[common], help="declare an evaluator's conflict of interest with an "
                                                        "application (they never get or score it)")
    p.add_argument("application_id", metavar="APP")
    p.add_argument("evaluator", metavar="EV")
    p.add_argument("--type", required=True, choices=CONFLICT_TYPES, help="the kind of conflict")
    p.add_argument("--note", default="", help="why")
    p.set_defaults(func=cmd_recuse)

    p = sub.add_parser("likely-conflicts", parents=[common], help="likely conflicts of interest to confirm or "
                                                                  "dismiss; the dismissed ones",
                       description="Without an action: the pairings of evaluators and applications (rounds not "
                                   "signed off) that look like a conflict of interest — the evaluator's organisation "
                                   "or district is the applicant group's, a shared e-mail domain or phone — and are "
                                   "neither declared ('evaluator recuse') nor dismissed. A dismissed pairing is listed "
                                   "again when a new kind of suspicion appears.")
    p.add_argument("--track", help="only this track")
    p.add_argument("--round", help="only this round")
    p.set_defaults(func=cmd_likely_conflicts)
    ls = p.add_subparsers(dest="likely_command", metavar="ACTION")
    c = ls.add_parser("dismiss", parents=[common], help="record that a likely conflict is not one (with the reason)")
    c.add_argument("application_id", metavar="APP")
    c.add_argument("evaluator", metavar="EV")
    c.add_argument("--reason", required=True, help="why it is not a conflict (kept with the dismissal, audited)")
    c.set_defaults(func=cmd_likely_dismiss)
    c = ls.add_parser("dismissed", parents=[common], help="the dismissed likely conflicts: who, when, why")
    c.set_defaults(func=cmd_likely_dismissed)
    c = ls.add_parser("restore", parents=[common], help="undo a dismissal: the pairing is listed again")
    c.add_argument("application_id", metavar="APP")
    c.add_argument("evaluator", metavar="EV")
    c.add_argument("--reason", required=True, help="why (audited)")
    c.set_defaults(func=cmd_likely_restore)

    p = sub.add_parser("gate", parents=[common], help="an application's eligibility gates; record a manual one",
                       description="Without GATE: list the application's eligibility gates and their outcome. "
                                   "With GATE pass|fail: record a manual gate's outcome (audited); the next ranking "
                                   "of the application's round uses it.")
    p.add_argument("application_id", metavar="APP")
    p.add_argument("gate", metavar="GATE", nargs="?", help="the gate's id in the rubric, e.g. no_double_funding")
    p.add_argument("outcome", metavar="pass|fail", nargs="?", choices=("pass", "fail"))
    p.add_argument("--note", default="", help="what was checked")
    p.set_defaults(func=cmd_gate)

    p = sub.add_parser("withdraw", parents=[common], help="record that an applicant withdrew (kept, not ranked, "
                                                          "shown with the reason)")
    p.add_argument("application_id", metavar="APP")
    p.add_argument("--reason", required=True, help="why (shown with the application, kept in the audit trail)")
    p.set_defaults(func=cmd_withdraw)


# --- evaluators -----------------------------------------------------------------------------------
def cmd_evaluators(ctx: CliContext) -> int:
    rows = ctx.store().people.evaluators()
    text = table([[e.code, e.name, e.organisation, e.district, e.role, e.assigned, e.finalised,
                   e.key_fingerprint or "-"] for e in rows],
                 [msg("cli.column_evaluator_id", "ID"), "name", "organisation", "district", "role", "assigned",
                  "finalised", "key"])
    ctx.out(rows, text)
    return 0


def cmd_evaluators_add(ctx: CliContext) -> int:
    a = ctx.args
    e = ctx.store().people.add_evaluator(a.code, a.name, organisation=a.organisation, district=a.district,
                                         email=a.email, phone=a.phone, role=a.role).value
    ctx.out(e, msg("cli.evaluator_added_org", "Added evaluator {code} ({name}, {organisation}).", code=e.code,
                   name=e.name, organisation=e.organisation) if e.organisation else
            msg("cli.evaluator_added", "Added evaluator {code} ({name}).", code=e.code, name=e.name))
    return 0


def cmd_evaluators_import(ctx: CliContext) -> int:
    rep = ctx.store().excel.import_evaluators(ctx.args.file, dry_run=ctx.args.dry_run).value
    counts = dict(file=rep.file, added=len(rep.evaluators_added), codes=", ".join(rep.evaluators_added) or "—",
                  updated=len(rep.evaluators_updated), unchanged=len(rep.evaluators_unchanged))
    lines = [str(msg("cli.evaluators_import_dry", "{file}: would add {added} {added:evaluator|evaluators} ({codes}), "
                     "would update {updated}, unchanged {unchanged}.", **counts) if rep.dry_run else
                 msg("cli.evaluators_imported", "{file}: added {added} {added:evaluator|evaluators} ({codes}), updated "
                     "{updated}, unchanged {unchanged}.", **counts))]
    if rep.dry_run:
        lines.append(str(msg("cli.dry_run", "Dry run: nothing was written.")))
    lines += ["  " + str(msg("cli.warning", "warning: {warning}", warning=w)) for w in rep.warnings]
    ctx.out(rep, "\n".join(lines))
    return 0


def cmd_evaluators_remove(ctx: CliContext) -> int:
    ctx.store().people.remove_evaluator(ctx.args.code)
    ctx.out({"removed": ctx.args.code}, msg("cli.evaluator_removed", "Removed evaluator {code}.", code=ctx.args.code))
    return 0


# --- assignments ----------------------------------------------------------------------------------
def cmd_assign(ctx: CliContext) -> int:
    a = ctx.args
    store = ctx.store()
    if a.auto:
        if a.application_id or a.evaluator:
            raise ValidationError(msg("cli.assign_auto_or_pair", "Give either --auto or an application and an "
                                      "evaluator, not both."))
        r = store.people.auto_assign(a.per_application, track=a.track, round=a.round, dry_run=a.dry_run).value
        counts = dict(count=len(r.added), applications=r.applications, each=r.per_application)
        lines = [str(msg("cli.auto_assign_dry", "Would assign {count} {count:pairing|pairings} over {applications} "
                         "{applications:application|applications} ({each} {each:evaluator|evaluators} each).",
                         **counts) if r.dry_run else
                     msg("cli.auto_assigned", "Assigned {count} {count:pairing|pairings} over {applications} "
                         "{applications:application|applications} ({each} {each:evaluator|evaluators} each).",
                         **counts))]
        if r.loads:
            lo, hi = min(r.loads.values()), max(r.loads.values())
            lines.append(str(msg("cli.auto_assign_loads", "Load per evaluator: {loads} (from {low} to {high}).",
                                 loads=", ".join(f"{k} {v}" for k, v in r.loads.items()), low=lo, high=hi)))
        for app, n in r.short:
            lines.append("  " + str(msg("cli.auto_assign_short", "SHORT {app}: only {count} "
                                        "{count:evaluator|evaluators} without a declared conflict", app=app, count=n)))
        if r.likely_conflicts:
            lines.append(str(msg("cli.likely_conflicts", "Likely conflicts of interest to confirm ({count}; 'evaluator "
                                 "recuse APP EV --type TYPE' declares one, then 'evaluator assign --auto' fills the "
                                 "gap; 'evaluator likely-conflicts dismiss APP EV --reason TEXT' dismisses one that "
                                 "is not):", count=len(r.likely_conflicts))))
            lines += ["  " + _likely_line(c) for c in r.likely_conflicts]
        if r.dry_run:
            lines.append(str(msg("cli.dry_run", "Dry run: nothing was written.")))
        ctx.out(r, "\n".join(lines))
        return 0
    if not (a.application_id and a.evaluator):
        raise ValidationError(msg("cli.assign_usage", "Use: evaluator assign APP EV, or evaluator assign --auto."))
    visit = None
    if a.visit_on:
        try:
            visit = date.fromisoformat(a.visit_on)
        except ValueError:
            raise ValidationError(msg("cli.visit_on_not_date", "--visit-on: '{text}' is not a date (YYYY-MM-DD).",
                                      text=a.visit_on)) from None
    store.people.assign(a.application_id, a.evaluator, planned_visit_on=visit)
    ctx.out({"application_id": a.application_id, "evaluator": a.evaluator},
            msg("cli.assigned", "Assigned {evaluator} to {app}.", evaluator=a.evaluator, app=a.application_id))
    return 0


def cmd_unassign(ctx: CliContext) -> int:
    a = ctx.args
    ctx.store().people.unassign(a.application_id, a.evaluator)
    ctx.out({"application_id": a.application_id, "evaluator": a.evaluator},
            msg("cli.unassigned", "{evaluator} no longer evaluates {app}.", evaluator=a.evaluator, app=a.application_id))
    return 0


def cmd_recuse(ctx: CliContext) -> int:
    a = ctx.args
    store = ctx.store()
    before = store.scoring.evaluation(a.application_id, a.evaluator)
    store.people.declare_conflict(a.application_id, a.evaluator, a.type, a.note)
    text = str(msg("cli.recused", "Declared a conflict of interest ({type}): {evaluator} will not evaluate {app}.",
                   type=a.type, evaluator=a.evaluator, app=a.application_id))
    if before is not None and before.scores:  # (as an import of the conflict warns)
        text += "\n" + str(msg("cli.recused_scores", "The {count} {count:score|scores} {evaluator} gave {app} stay on "
                               "record but no longer count in its ranking.",
                               count=len(before.scores), evaluator=a.evaluator,
                               app=a.application_id))
    ctx.out({"application_id": a.application_id, "evaluator": a.evaluator, "conflict_type": a.type, "note": a.note},
            text)
    return 0


# --- likely conflicts -----------------------------------------------------------------------------
def _kinds(reasons: tuple[str, ...]) -> str:
    """What matched, in words: "same district, same phone"."""
    said = {"organisation": msg("cli.likely_same_organisation", "same organisation"),
            "district": msg("cli.likely_same_district", "same district"),
            "email_domain": msg("cli.likely_same_email_domain", "same e-mail domain"),
            "phone": msg("cli.likely_same_phone", "same phone")}
    return ", ".join(str(said[r]) if r in said else r for r in reasons)


def _detail(c) -> str:  # noqa: ANN001 - a LikelyConflict
    return c.detail_ko if language() == "ko" and c.detail_ko else c.detail


def _likely_line(c) -> str:  # noqa: ANN001 - a LikelyConflict
    detail = _detail(c)
    if c.dismissed_for:
        detail = str(msg("cli.likely_dismissed_before", "{detail} — previously dismissed for {kinds} ({reason}); "
                         "something new matches since", detail=detail, kinds=_kinds(c.dismissed_for),
                         reason=c.dismissal_reason))
    if c.assigned:
        return str(msg("cli.likely_conflict_assigned", "{app} × {evaluator}: {detail} (assigned)",
                       app=c.application_id, evaluator=c.evaluator, detail=detail))
    return f"{c.application_id} × {c.evaluator}: {detail}"


def cmd_likely_conflicts(ctx: CliContext) -> int:
    a = ctx.args
    rows = ctx.store().people.likely_conflicts(track=a.track, round=a.round)
    if not rows:
        ctx.out(rows, msg("cli.likely_none", "No likely conflicts of interest to confirm."))
        return 0
    lines = [str(msg("cli.likely_listed", "Likely conflicts of interest ({count}): 'evaluator recuse APP EV --type "
                     "TYPE' declares one, 'evaluator likely-conflicts dismiss APP EV --reason TEXT' dismisses one.",
                     count=len(rows)))]
    lines += ["  " + _likely_line(c) for c in rows]
    ctx.out(rows, "\n".join(lines))
    return 0


def cmd_likely_dismiss(ctx: CliContext) -> int:
    a = ctx.args
    d = ctx.store().people.dismiss_conflict(a.application_id, a.evaluator, a.reason).value
    ctx.out(d, msg("cli.likely_dismissed", "Dismissed the likely conflict of {evaluator} with {app} ({kinds}): "
                   "{reason}. It is not listed again unless something new matches.", evaluator=d.evaluator,
                   app=d.application_id, kinds=_kinds(d.reasons), reason=d.reason))
    return 0


def cmd_likely_dismissed(ctx: CliContext) -> int:
    rows = ctx.store().people.dismissed_conflicts()
    text = table([[d.application_id, d.evaluator, _kinds(d.reasons), d.reason, d.dismissed_by,
                   d.dismissed_at.strftime("%Y-%m-%d %H:%M")] for d in rows],
                 ["application", "evaluator", "matched", "reason", "by", "at (UTC)"])
    ctx.out(rows, text + "\n" + str(msg("cli.likely_dismissed_count", "{count} dismissed likely "
                                        "{count:conflict|conflicts}",
                                        count=len(rows))))
    return 0


def cmd_likely_restore(ctx: CliContext) -> int:
    a = ctx.args
    d = ctx.store().people.restore_conflict(a.application_id, a.evaluator, a.reason).value
    ctx.out(d, msg("cli.likely_restored", "Restored the likely conflict of {evaluator} with {app}: it is listed again "
                   "while it looks like a conflict.", evaluator=d.evaluator, app=d.application_id))
    return 0


# --- gates and withdrawals ------------------------------------------------------------------------
def cmd_gate(ctx: CliContext) -> int:
    a = ctx.args
    store = ctx.store()
    if a.gate is None:
        gates = store.applications.gates(a.application_id)
        text = table([[g.code, g.name_ko, g.kind, {True: "pass", False: "FAIL", None: "not recorded (presumed pass)"
                                                   if g.kind == "manual" else "—"}[g.passed], g.note, g.decided_by]
                      for g in gates], ["gate", "name", "kind", "outcome", "note", "by"])
        ctx.out(gates, str(msg("cli.gates_of", "Eligibility gates of {app}:", app=a.application_id)) + f"\n{text}")
        return 0
    if a.outcome is None:
        raise ValidationError(msg("cli.gate_outcome_missing", "Say whether {app} passes gate {gate}: 'pass' or 'fail'.",
                                  app=a.application_id, gate=a.gate))
    g = store.applications.record_gate(a.application_id, a.gate, a.outcome == "pass", a.note).value
    params = dict(app=a.application_id, gate=g.code, name=g.name_ko, note=g.note)
    ctx.out(g, {(True, True): msg("cli.gate_passed_note", "{app}: gate {gate} ({name}) recorded as passed — {note}.",
                                  **params),
                (True, False): msg("cli.gate_passed", "{app}: gate {gate} ({name}) recorded as passed.", **params),
                (False, True): msg("cli.gate_failed_note", "{app}: gate {gate} ({name}) recorded as FAILED — {note}.",
                                   **params),
                (False, False): msg("cli.gate_failed", "{app}: gate {gate} ({name}) recorded as FAILED.", **params),
                }[(bool(g.passed), bool(g.note))])
    return 0


def cmd_withdraw(ctx: CliContext) -> int:
    a = ctx.args
    info = ctx.store().applications.withdraw(a.application_id, a.reason).value
    ctx.out(info, msg("cli.withdrawn", "{app} is withdrawn ({reason}); it stays on record and is no longer ranked.",
                      app=info.id, reason=info.status_reason))
    return 0
