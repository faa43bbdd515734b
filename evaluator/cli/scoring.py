"""Scoring verbs: finalise and reopen one evaluation (the paper fallback's last step, and
corrections at the office)."""

from __future__ import annotations

import argparse

from ..messages import msg
from .common import CliContext


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("finalise", parents=[common], help="finalise (lock) one evaluation",
                       description="Finalise the evaluation of APPLICATION by EVALUATOR: every required criterion "
                                   "must be scored and the visit log must hold what the rubric requires; otherwise "
                                   "nothing changes and each missing item is listed (exit 2).")
    p.add_argument("application", metavar="APPLICATION", help="application ID (접수번호)")
    p.add_argument("evaluator", metavar="EVALUATOR", help="evaluator ID (e.g. EV01)")
    p.set_defaults(func=cmd_finalise)

    p = sub.add_parser("reopen", parents=[common], help="reopen a finalised evaluation (with a reason)",
                       description="Reopen the finalised evaluation of APPLICATION by EVALUATOR so that it can be "
                                   "changed; the reason goes in the audit trail.")
    p.add_argument("application", metavar="APPLICATION", help="application ID (접수번호)")
    p.add_argument("evaluator", metavar="EVALUATOR", help="evaluator ID (e.g. EV01)")
    p.add_argument("--reason", required=True, help="why the finalised evaluation must change")
    p.set_defaults(func=cmd_reopen)


def cmd_finalise(ctx: CliContext) -> int:
    a = ctx.args
    info = ctx.store().scoring.finalise(a.application, a.evaluator).value
    total = (msg("cli.abstained", "abstained") if info.abstained else
             msg("cli.total", "total {total:.2f}", total=info.total) if info.total is not None else
             msg("cli.no_total", "no total"))
    ctx.out(info, msg("cli.finalised", "Finalised the evaluation of {app} by {evaluator} ({total}).",
                      app=info.application_id, evaluator=info.evaluator, total=total))
    return 0


def cmd_reopen(ctx: CliContext) -> int:
    a = ctx.args
    ctx.store().scoring.reopen(a.application, a.evaluator, a.reason)
    ctx.out({"application_id": a.application, "evaluator": a.evaluator, "state": "draft", "reason": a.reason},
            msg("cli.reopened", "Reopened the evaluation of {app} by {evaluator}; it can be changed again.",
                app=a.application, evaluator=a.evaluator))
    return 0
