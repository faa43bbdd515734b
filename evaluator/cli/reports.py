"""CLI verbs for PDF reports: ``evaluator report sheets|blank-sheets|aggregate|summary|dossier|follow-up|
monitoring-sheets|follow-up-dossier``."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..ranking.model import METHODS
from ..messages import msg
from .common import CliContext

KINDS = {
    "blank-sheets": "blank field score sheets (paper fallback), one per application",
    "sheets": "filled score sheets, one per application × evaluator (DRAFT until finalised)",
    "aggregate": "aggregate sheets (집계표), one page per application",
    "summary": "the committee summary: ranked lists with the cut line, charts, sign-off",
    "dossier": "everything about one application: data, evaluations, visits, photos",
    "follow-up": "the program follow-up summary: awards by status, overdue visits, ratings, open actions",
    "monitoring-sheets": "monitoring visit sheets, one per visit: filled from the recorded visits, or blank "
                         "(--blank) for paper",
    "follow-up-dossier": "everything the follow-up knows about one awarded project: award, visits, actions, "
                         "disbursements, support log",
}


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add this area's commands to the `evaluator` parser."""
    p = sub.add_parser("report", parents=[common], help="write PDF score sheets and reports",
                       description="Write a PDF: score sheets (blank or filled), aggregate sheets, the committee "
                                   "summary or an application dossier. Korean by default (--lang en for English).")
    rsub = p.add_subparsers(dest="report_kind", metavar="KIND")
    rsub.required = True
    for kind, text in KINDS.items():
        r = rsub.add_parser(kind, parents=[common], help=text, description=text[0].upper() + text[1:] + ".")
        r.add_argument("--out", required=True, metavar="PATH", help="the PDF file to write")
        if kind not in ("dossier", "follow-up", "monitoring-sheets", "follow-up-dossier"):
            r.add_argument("--track", help="only this track (code, e.g. activity)")
        if kind in ("blank-sheets", "sheets"):
            r.add_argument("--evaluator", metavar="ID", help="only this evaluator's applications (e.g. EV01)")
        if kind in ("blank-sheets", "sheets", "aggregate"):
            r.add_argument("--application", metavar="ID", action="append",
                           help="only this application (repeat for several)")
        if kind in ("dossier", "follow-up-dossier"):
            r.add_argument("--application", metavar="ID", required=True, help="the application")
        if kind == "monitoring-sheets":
            r.add_argument("--blank", action="store_true", help="blank sheets for paper, one per visit still to make")
            r.add_argument("--evaluator", metavar="ID", help="only this visitor's visits (e.g. EV01)")
            r.add_argument("--application", metavar="ID", action="append",
                           help="only this application's visits (repeat for several)")
        if kind in ("monitoring-sheets", "follow-up-dossier"):
            r.add_argument("--include-personal", action="store_true",
                           help="print the visit attendees (otherwise withheld); needs --reason")
            r.add_argument("--reason", help="why the attendees are printed (kept in the access log)")
        if kind in ("dossier", "sheets"):
            r.add_argument("--include-personal", action="store_true",
                           help="print the applicant's contact data and the visit attendees (otherwise withheld); "
                                "needs --reason")
            r.add_argument("--reason", help="why contact data is printed (kept in the access log)")
        if kind in ("aggregate", "summary"):
            r.add_argument("--method", choices=METHODS, help="aggregation method (default: the program's setting; another "
                                "method gives a what-if view, labelled so, that stores nothing)")
        if kind == "summary":
            r.add_argument("--provisional", action="store_true",
                           help="count evaluations that are not finalised yet (labelled provisional)")
            r.add_argument("--round", metavar="CODE",
                           help="the round (default: the program's current round; a signed-off round's frozen "
                                "decisions)")
        r.set_defaults(func=cmd_report)


def cmd_report(ctx: CliContext) -> int:
    a = ctx.args
    store = ctx.store()
    kind = a.report_kind
    common = {"lang": ctx.document_lang(), "progress": ctx.progress(msg("cli.progress_report", "report {kind}", kind=kind))}
    out = Path(a.out)
    if kind == "blank-sheets":
        path = store.reports.blank_sheets(out, application_ids=a.application, track=a.track, evaluator=a.evaluator,
                                         **common)
    elif kind == "sheets":
        path = store.reports.filled_sheets(out, application_ids=a.application, track=a.track, evaluator=a.evaluator,
                                          include_personal=a.include_personal, reason=a.reason, **common)
    elif kind == "aggregate":
        path = store.reports.aggregate(out, application_ids=a.application, track=a.track, method=a.method, **common)
    elif kind == "summary":
        path = store.reports.summary(out, track=a.track, method=a.method, provisional=a.provisional, round=a.round,
                                     **common)
    elif kind == "follow-up":  # awards, overdue visits, ratings, open actions (docs/follow-up.md)
        path = store.monitoring.follow_up_summary(out, **common)
    elif kind == "monitoring-sheets":  # blank or filled visit sheets (docs/follow-up.md)
        path = store.monitoring.visit_sheets(out, blank=a.blank, application_ids=a.application, evaluator=a.evaluator,
                                             include_personal=a.include_personal, reason=a.reason, **common)
    elif kind == "follow-up-dossier":  # one awarded project's follow-up (docs/follow-up.md)
        path = store.monitoring.follow_up_dossier(out, application_id=a.application,
                                                  include_personal=a.include_personal, reason=a.reason, **common)
    else:
        path = store.reports.dossier(out, application_id=a.application, include_personal=a.include_personal,
                                     reason=a.reason, **common)
    size = path.stat().st_size
    ctx.out({"report": kind, "path": str(path), "bytes": size, "lang": ctx.document_lang()},
            msg("cli.pdf_written", "Wrote the {kind} PDF to {path} ({size:,} bytes).", kind=kind, path=str(path),
                size=size))
    return 0
