"""Scoring verbs: finalise and reopen one evaluation (the paper fallback's last step, and
corrections at the office)."""

from __future__ import annotations

import argparse

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
    total = "abstained" if info.abstained else (f"total {info.total:.2f}" if info.total is not None else "no total")
    ctx.out(info, f"Finalised the evaluation of {info.application_id} by {info.evaluator} ({total}).")
    return 0


def cmd_reopen(ctx: CliContext) -> int:
    a = ctx.args
    ctx.store().scoring.reopen(a.application, a.evaluator, a.reason)
    ctx.out({"application_id": a.application, "evaluator": a.evaluator, "state": "draft", "reason": a.reason},
            f"Reopened the evaluation of {a.application} by {a.evaluator}; it can be changed again.")
    return 0
