"""CLI verbs for awards, disbursements, the settlement and the support log (docs/follow-up.md):

    evaluator awards [--json] · awards show APP
    evaluator awards set APP [--amount WON] [--agreed DATE] [--start DATE] [--end DATE] --reason …
    evaluator awards status APP STATUS --reason … [--step-in [RESERVE]]
    evaluator awards disburse APP AMOUNT --date DATE [--note …] · awards settle APP submitted|checked [--returned WON]
    evaluator awards support APP --date DATE --kind training|consulting|counselling --topic … [--by …] [--attendees N]
    evaluator awards support-log [APP]
"""

from __future__ import annotations

import argparse
from typing import Any

from ..awards.model import AwardInfo, status_label
from ..messages import language, msg
from .common import CliContext, table

_STEP_IN_BEST = "__best__"


def _won(text: str) -> int:
    """An amount in won as people write it: 4000000, 4,000,000, 4,000,000원."""
    clean = str(text).replace(",", "").replace("원", "").replace("_", "").strip()
    if not clean.lstrip("-").isdigit():
        raise argparse.ArgumentTypeError(f"'{text}' is not an amount in won (e.g. 4000000 or 4,000,000)")
    return int(clean)


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("awards", parents=[common], help="awards of selected applications: list, adjust, status, "
                       "disbursements, settlement, support log",
                       description="A round's sign-off gives each selected application an award (the requested "
                                   "amount). The office adjusts it with a reason, moves it through agreed, in "
                                   "progress, completed (or withdrawn, cancelled — a reserve may step in), pays it "
                                   "out in tranches never above the award, records the settlement and logs the "
                                   "training, consulting and counselling given (docs/follow-up.md).")
    p.set_defaults(func=cmd_awards)
    ps = p.add_subparsers(dest="awards_command", metavar="ACTION")
    ps.required = False
    c = ps.add_parser("show", parents=[common], help="one award with its tranches")
    c.add_argument("application_id", metavar="APP")
    c.set_defaults(func=cmd_awards_show)
    c = ps.add_parser("set", parents=[common], help="adjust an award's amount, agreement date or project period")
    c.add_argument("application_id", metavar="APP")
    c.add_argument("--amount", type=_won, metavar="WON")
    c.add_argument("--agreed", metavar="DATE", help="the agreement date (YYYY-MM-DD)")
    c.add_argument("--start", metavar="DATE", help="the project's first day")
    c.add_argument("--end", metavar="DATE", help="the project's last day")
    c.add_argument("--reason", required=True, help="why (it goes in the audit trail)")
    c.set_defaults(func=cmd_awards_set)
    c = ps.add_parser("status", parents=[common], help="change an award's status (agreed, in progress, completed, "
                      "withdrawn, cancelled)")
    c.add_argument("application_id", metavar="APP")
    c.add_argument("status", metavar="STATUS")
    c.add_argument("--reason", required=True, help="why (it goes in the audit trail)")
    c.add_argument("--step-in", nargs="?", const=_STEP_IN_BEST, metavar="RESERVE",
                   help="a reserve of the same round and track takes the place (default: the best-ranked reserve "
                        "left); its decision's reason says for whom it steps in")
    c.set_defaults(func=cmd_awards_status)
    c = ps.add_parser("disburse", parents=[common], help="record the next tranche paid (never above the award)")
    c.add_argument("application_id", metavar="APP")
    c.add_argument("amount", type=_won, metavar="WON")
    c.add_argument("--date", required=True, metavar="DATE", help="when it was paid (YYYY-MM-DD)")
    c.add_argument("--note", default="")
    c.set_defaults(func=cmd_awards_disburse)
    c = ps.add_parser("settle", parents=[common], help="the settlement (정산): submitted or checked")
    c.add_argument("application_id", metavar="APP")
    c.add_argument("settlement", choices=("submitted", "checked"))
    c.add_argument("--returned", type=_won, metavar="WON", help="the amount the group returned, if any")
    c.add_argument("--note", default="")
    c.set_defaults(func=cmd_awards_settle)
    c = ps.add_parser("support", parents=[common], help="log a training, consulting or counselling session")
    c.add_argument("application_id", metavar="APP")
    c.add_argument("--date", required=True, metavar="DATE")
    c.add_argument("--kind", required=True, choices=("training", "consulting", "counselling"))
    c.add_argument("--topic", required=True)
    c.add_argument("--by", default="", help="who gave it")
    c.add_argument("--attendees", type=int)
    c.add_argument("--note", default="")
    c.set_defaults(func=cmd_awards_support)
    c = ps.add_parser("support-log", parents=[common], help="the support log (of one award, or all)")
    c.add_argument("application_id", metavar="APP", nargs="?")
    c.set_defaults(func=cmd_awards_support_log)


def award_line(a: AwardInfo) -> list[Any]:
    return [a.application_id, a.track, a.round, f"{a.amount:,}", f"{a.disbursed:,}", f"{a.balance:,}",
            status_label(a.status, "en") + (f" ({a.status_reason})" if a.status_reason else ""),
            a.stepped_in_for and f"for {a.stepped_in_for}", a.group_name]


def awards_table(awards: list[AwardInfo]) -> str:
    return table([award_line(a) for a in awards],
                 ["application", "track", "round", "award (won)", "disbursed", "balance", "status", "stepped in",
                  "group"])


def cmd_awards(ctx: CliContext) -> int:
    store = ctx.store()
    awards = store.awards.list()
    if not awards:
        ctx.out(awards, msg("cli.awards_none", "Program '{program}' has no awards yet: a round's sign-off gives each "
                            "selected application its award ('evaluator round sign-off').",
                            program=store.programs.get().code))
        return 0
    total = sum(a.amount for a in awards)
    paid = sum(a.disbursed for a in awards)
    head = msg("cli.awards_summary", "{count} {count:award|awards}, {total:,} won awarded, {paid:,} won disbursed:",
               count=len(awards), total=total, paid=paid)
    ctx.out(awards, f"{head}\n{awards_table(awards)}")
    return 0


def cmd_awards_show(ctx: CliContext) -> int:
    a = ctx.store().awards.get(ctx.args.application_id)
    lines = [awards_table([a])]
    if a.agreed_on or a.starts_on or a.ends_on:
        lines.append(str(msg("cli.award_dates", "agreed {agreed}, project {start} to {end}", agreed=a.agreed_on or "—",
                             start=a.starts_on or "—", end=a.ends_on or "—")))
    lines += ["  " + str(msg("cli.award_tranche_note", "tranche {tranche}: {amount:,} won on {paid_on} ({note})",
                             tranche=d.tranche, amount=d.amount, paid_on=d.paid_on, note=d.note) if d.note else
                         msg("cli.award_tranche", "tranche {tranche}: {amount:,} won on {paid_on}",
                             tranche=d.tranche, amount=d.amount, paid_on=d.paid_on))
              for d in a.disbursements]
    if a.settlement:
        lines.append(str(msg("cli.award_settlement_returned", "settlement {settlement}, {returned:,} won returned",
                             settlement=a.settlement, returned=a.returned_amount) if a.returned_amount else
                         msg("cli.award_settlement", "settlement {settlement}", settlement=a.settlement)))
    ctx.out(a, "\n".join(lines))
    return 0


def cmd_awards_set(ctx: CliContext) -> int:
    a = ctx.args
    info = ctx.store().awards.set(a.application_id, amount=a.amount, agreed_on=a.agreed, starts_on=a.start,
                                  ends_on=a.end, reason=a.reason).value
    if info.agreed_on or info.starts_on or info.ends_on:
        said = msg("cli.award_set", "The award of {app} is {amount:,} won (agreed {agreed}, project {start} to "
                   "{end}).", app=info.application_id, amount=info.amount, agreed=info.agreed_on or "—",
                   start=info.starts_on or "—", end=info.ends_on or "—")
    else:  # (no agreement or project dates yet: not a line of dashes)
        said = msg("cli.award_set_amount", "The award of {app} is {amount:,} won.", app=info.application_id,
                   amount=info.amount)
    ctx.out(info, said)
    return 0


def cmd_awards_status(ctx: CliContext) -> int:
    a = ctx.args
    step_in: bool | str = False if a.step_in is None else (True if a.step_in == _STEP_IN_BEST else a.step_in)
    infos = ctx.store().awards.set_status(a.application_id, a.status, reason=a.reason, step_in=step_in).value
    lines = [str(msg("cli.award_status", "The award of {app} is {status} ({reason}).", app=infos[0].application_id,
                     status=status_label(infos[0].status, language()), reason=infos[0].status_reason))]
    if len(infos) > 1:
        r = infos[1]
        lines.append(str(msg("cli.award_step_in", "Reserve {app} steps in: it is selected and awarded {amount:,} won.",
                             app=r.application_id, amount=r.amount)))
    ctx.out(infos, "\n".join(lines))
    return 0


def cmd_awards_disburse(ctx: CliContext) -> int:
    a = ctx.args
    store = ctx.store()
    d = store.awards.disburse(a.application_id, a.amount, paid_on=a.date, note=a.note).value
    info = store.awards.get(a.application_id)
    ctx.out(d, msg("cli.award_disbursed", "Tranche {tranche} of {amount:,} won paid to {app} on {paid_on}; "
                   "{disbursed:,} of {award:,} won disbursed, balance {balance:,} won.", tranche=d.tranche,
                   amount=d.amount, app=a.application_id, paid_on=d.paid_on, disbursed=info.disbursed,
                   award=info.amount, balance=info.balance))
    return 0


def cmd_awards_settle(ctx: CliContext) -> int:
    a = ctx.args
    info = ctx.store().awards.settle(a.application_id, a.settlement, returned_amount=a.returned, note=a.note).value
    ctx.out(info, msg("cli.award_settled_returned", "The settlement of {app} is {settlement}; {returned:,} won "
                      "returned.", app=info.application_id, settlement=info.settlement,
                      returned=info.returned_amount) if info.returned_amount else
            msg("cli.award_settled", "The settlement of {app} is {settlement}.", app=info.application_id,
                settlement=info.settlement))
    return 0


def cmd_awards_support(ctx: CliContext) -> int:
    a = ctx.args
    e = ctx.store().awards.add_support(a.application_id, held_on=a.date, kind=a.kind, topic=a.topic, given_by=a.by,
                                       attendees=a.attendees, note=a.note).value
    ctx.out(e, msg("cli.support_logged", "Logged {kind} for {app} on {held_on}: {topic}.", kind=e.kind,
                   app=e.application_id, held_on=e.held_on, topic=e.topic))
    return 0


def cmd_awards_support_log(ctx: CliContext) -> int:
    log = ctx.store().awards.support_log(ctx.args.application_id)
    ctx.out(log, table([[e.application_id, e.held_on, e.kind, e.topic, e.given_by,
                         "" if e.attendees is None else e.attendees] for e in log],
                       ["application", "date", "kind", "topic", "by", "attendees"]) if log else
            msg("cli.support_none", "No support session logged yet."))
    return 0
