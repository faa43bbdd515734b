"""CLI verbs for Excel: ``evaluator import …`` and ``evaluator export …`` (BRIEF §6).

    evaluator import applications FILE [--dry-run] [--map HEADER=FIELD …]
    evaluator import assignments FILE [--dry-run]
    evaluator import scores FILE [--dry-run] [--finalise]
    evaluator export template scores FILE [--evaluator ID] [--round CODE] [--lang ko|en]
    evaluator export template intake FILE [--lang ko|en]
    evaluator export ranking FILE [--round CODE] [--method M] [--provisional] [--lang ko|en]
    evaluator export scores FILE [--round CODE] [--lang ko|en]
    evaluator export progress FILE [--round CODE] [--lang ko|en]
    evaluator export follow-up FILE
"""

from __future__ import annotations

import argparse
import time

from ..errors import ValidationError
from ..messages import msg
from .common import CliContext

IMPORT_KINDS = ("applications", "assignments", "scores")
EXPORT_KINDS = ("template", "ranking", "scores", "progress", "follow-up")
TEMPLATE_KINDS = ("scores", "intake")


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add this area's commands to the `evaluator` parser."""
    p = sub.add_parser(
        "import", parents=[common], help="import applications, assignments or paper scores from Excel",
        description="Import an Excel workbook (.xlsx). Every problem is reported with its sheet, row and column; "
                    "with any problem nothing is written.",
    )
    p.add_argument("kind", choices=IMPORT_KINDS, help="what the workbook holds")
    p.add_argument("file", help="the .xlsx file")
    p.add_argument("--dry-run", action="store_true", help="only report what would be added, updated or unchanged")
    p.add_argument("--map", action="append", default=[], metavar="HEADER=FIELD",
                   help="(applications) give a column a meaning: header text or column letter = field key "
                        "('' keeps it aside, '-' ignores it); repeatable")
    p.add_argument("--finalise", action="store_true",
                   help="(scores) finalise each evaluation in the file whose required scores (and visit log) are "
                        "complete; the others are left as they are and listed")
    p.add_argument("--round", metavar="CODE",
                   help="(applications) the round new applications join when the sheet has no 차수 column "
                        "(default: by submission date in a rolling program, else the program's only open round)")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser(
        "export", parents=[common], help="export a template, the ranking, all scores or progress to Excel",
        description="Write an Excel workbook (.xlsx): Korean sheet names, headers and labels by default, "
                    "or with --lang en one header row of stable column keys (both documented in "
                    "docs/excel-formats.md; the hidden _meta sheet always lists the keys).",
    )
    p.add_argument("kind", choices=EXPORT_KINDS, help="what to export")
    p.add_argument("target", nargs="+", metavar="[scores|intake] FILE",
                   help="the output file; for 'template' first the template kind (scores or intake)")
    p.add_argument("--evaluator", metavar="ID", help="(template scores) only this evaluator's assignments")
    p.add_argument("--method", choices=("mean", "median", "trimmed", "normalized"),
                   help="(ranking) aggregation method (default: the program's; another method "
                        "gives a what-if view that stores nothing)")
    p.add_argument("--provisional", action="store_true",
                   help="(ranking) include evaluations that are not finalised yet")
    p.add_argument("--round", metavar="CODE",
                   help="(ranking, scores, progress, template scores) the round (its code or name); the ranking "
                        "defaults to the program's current round, the others to every round")
    p.add_argument("--include-personal", action="store_true",
                   help="(ranking) add a 'contacts' sheet with the applicants' contact data; needs --reason")
    p.add_argument("--reason", help="(ranking) why contact data is exported (kept in the access log)")
    p.set_defaults(func=cmd_export)


class LargeJobBar:
    """A progress callback that draws the terminal bar only for a job still running after ``delay``
    seconds (a large file): a small import or export prints nothing but its result."""

    def __init__(self, bar, delay: float = 0.5) -> None:
        self.bar, self.delay, self.shown = bar, delay, False
        self.t0 = time.monotonic()

    def __call__(self, fraction: float, message: str = "") -> None:
        if not self.shown:
            if fraction >= 1.0 or time.monotonic() - self.t0 < self.delay:
                return
            self.shown = True
        self.bar(fraction, message)


def _mapping(items: list[str]) -> dict[str, str] | None:
    if not items:
        return None
    out = {}
    for it in items:
        if "=" not in it:
            raise ValidationError(msg("cli.map_syntax", "--map {item}: use HEADER=FIELD (e.g. --map "
                                      "'신청액=requested_amount').", item=repr(it)))
        k, v = it.split("=", 1)
        out[k.strip()] = v.strip()
    return out


def _warnings(report) -> list[str]:
    return ["  " + str(msg("cli.warning", "warning: {warning}", warning=w)) for w in getattr(report, "warnings", ())]


def cmd_import(ctx: CliContext) -> int:
    a = ctx.args
    store = ctx.store()
    bar = LargeJobBar(ctx.progress(msg("cli.progress_import", "Importing {kind}", kind=a.kind)))
    if a.kind == "applications":
        rep = store.excel.import_applications(a.file, dry_run=a.dry_run, mapping=_mapping(a.map), round=a.round,
                                              progress=bar).value
        lines = [rep.summary()]
        if rep.added:
            added = ", ".join(rep.added[:50]) + (" …" if len(rep.added) > 50 else "")
            lines.append("  " + str(msg("cli.import_would_add", "would add: {ids}", ids=added) if rep.dry_run else
                                    msg("cli.import_added", "added: {ids}", ids=added)))
        for app_id in rep.updated[:200]:
            ch = ", ".join(f"{f} {_short(old)} → {_short(new)}" for f, (old, new) in rep.changes.get(app_id, {}).items())
            lines.append("  " + str(msg("cli.import_would_update", "would update {app}: {changes}", app=app_id,
                                        changes=ch) if rep.dry_run else
                                    msg("cli.import_updated", "updated {app}: {changes}", app=app_id, changes=ch)))
        if rep.unknown_columns:
            lines.append("  " + str(msg("cli.import_unknown_columns", "unknown columns kept aside: {columns}",
                                        columns=", ".join(rep.unknown_columns))))
    elif a.kind == "assignments":
        rep = store.excel.import_assignments(a.file, dry_run=a.dry_run, progress=bar).value
        lines = [rep.summary()]
    else:
        rep = store.excel.import_scores(a.file, dry_run=a.dry_run, finalise=a.finalise, progress=bar).value
        lines = [rep.summary()]
        if rep.finalised:
            done = (", ".join(f"{app} · {ev}" for app, ev in rep.finalised[:50])
                    + (" …" if len(rep.finalised) > 50 else ""))
            lines.append("  " + str(msg("cli.import_would_finalise", "would finalise: {items}", items=done)
                                    if rep.dry_run else msg("cli.import_finalised", "finalised: {items}", items=done)))
        if rep.not_finalised:
            lines.append("  " + str(msg("cli.import_left_open", "left open ({count}, not complete):",
                                        count=len(rep.not_finalised))))
            lines += ["    " + str(msg("cli.import_missing", "{app} · {evaluator}: missing {missing}",
                                       app=o.application_id, evaluator=o.evaluator, missing=", ".join(o.missing)))
                      for o in rep.not_finalised[:50]]
            if len(rep.not_finalised) > 50:
                lines.append("    " + str(msg("cli.more_problems", "… and {count} more (--json lists them all)",
                                              count=len(rep.not_finalised) - 50)))
    if rep.dry_run:
        lines.append(str(msg("cli.dry_run", "Dry run: nothing was written.")))
    lines += _warnings(rep)
    ctx.out(rep, "\n".join(lines))
    return 0


def _short(v) -> str:
    s = "—" if v in (None, "") else str(v)
    return s if len(s) <= 30 else s[:29] + "…"


def cmd_export(ctx: CliContext) -> int:
    a = ctx.args
    target = list(a.target)
    store = ctx.store()
    bar = LargeJobBar(ctx.progress(msg("cli.progress_export", "Exporting {kind}", kind=a.kind)))
    if a.kind == "template":
        if len(target) != 2 or target[0] not in TEMPLATE_KINDS:
            raise ValidationError(msg("cli.export_template_usage", "Use: evaluator export template scores|intake FILE."))
        rep = store.excel.export_template(target[0], target[1], evaluator=a.evaluator, round=a.round,
                                          lang=ctx.document_lang(), progress=bar)
    else:
        if len(target) != 1:
            raise ValidationError(msg("cli.export_usage", "Use: evaluator export {kind} FILE.", kind=a.kind))
        if a.include_personal and a.kind != "ranking":
            raise ValidationError(msg("cli.export_no_personal", "The {kind} workbook carries no contact data; "
                                      "--include-personal is for 'export ranking'. Nothing was written.", kind=a.kind))
        if a.kind == "ranking":
            from .ranking import warn_laptop_view

            warn_laptop_view(store)
            rep = store.excel.export_ranking(target[0], method=a.method, provisional=a.provisional, round=a.round,
                                             include_personal=a.include_personal, reason=a.reason, lang=ctx.document_lang(),
                                             progress=bar)
        elif a.kind == "scores":
            rep = store.excel.export_scores(target[0], round=a.round, lang=ctx.document_lang(), progress=bar)
        elif a.kind == "follow-up":  # awards, monitoring visits, open actions (docs/follow-up.md)
            rep = store.monitoring.export_follow_up(target[0], lang=ctx.document_lang(), progress=bar)
        else:
            rep = store.excel.export_progress(target[0], round=a.round, lang=ctx.document_lang(), progress=bar)
    ctx.out({"path": rep.path, "kind": rep.kind, "sheets": rep.sheets, "rows": rep.rows}, rep.summary())
    return 0
