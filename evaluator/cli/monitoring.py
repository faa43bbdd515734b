"""CLI verbs for follow-up monitoring (docs/follow-up.md):

    evaluator monitoring plan [--visit CODE=MONTHS … | --every-months N --count K | --default] [--rubric TRACK=FILE …]
    evaluator monitoring assign [--evaluators EV01,EV02]
    evaluator monitoring due [--overdue] [--today DATE] [--json]
    evaluator monitoring visits [APP] [--evaluator EV01]
    evaluator monitoring record APP VISIT [--date …] [--attendees …] [--check ITEM …] [--rate CRITERION=LEVEL …]
                                          [--findings …] [--action "TEXT@YYYY-MM-DD" …] [--finalise]
    evaluator monitoring add-visit APP --evaluator EV01
    evaluator monitoring photo add APP VISIT FILE [--caption TEXT]
    evaluator monitoring photo list [APP [VISIT]]
    evaluator monitoring photo remove PHOTO --reason TEXT
"""

from __future__ import annotations

import argparse
from datetime import date

from ..errors import NotFound, ValidationError
from ..monitoring.model import PLANNED, MonitoringPlan
from ..monitoring.photos import MonitoringPhoto
from ..messages import msg
from .common import CliContext, table


def _pair(text: str) -> tuple[str, str]:
    key, sep, value = str(text).partition("=")
    if not sep or not key.strip() or not value.strip():
        raise argparse.ArgumentTypeError(f"'{text}' is not KEY=VALUE")
    return key.strip(), value.strip()


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("monitoring", parents=[common], help="follow-up monitoring of awarded projects: plan, assign, "
                       "due, visits",
                       description="The program's monitoring plan says which visits each award gets and when "
                                   "(months after the project starts); visits are assigned to visitors "
                                   "(load-balanced, declared conflicts respected), carried in their kits, recorded "
                                   "in the field with the track's monitoring rubric and merged back from signed "
                                   "packages (docs/follow-up.md).")
    ps = p.add_subparsers(dest="monitoring_command", metavar="ACTION")
    ps.required = True
    c = ps.add_parser("plan", parents=[common], help="show or set the monitoring plan")
    c.add_argument("--visit", action="append", type=_pair, metavar="CODE=MONTHS",
                   help="a visit due MONTHS after the project starts (repeat: --visit mid=3 --visit final=6)")
    c.add_argument("--every-months", type=int, metavar="N", help="a visit every N months …")
    c.add_argument("--count", type=int, metavar="K", help="… K times")
    c.add_argument("--default", action="store_true", help="a mid-term visit at 3 months and a final one at 6")
    c.add_argument("--rubric", action="append", type=_pair, metavar="TRACK=FILE",
                   help="the track's monitoring rubric file (default: the shipped monitoring-TRACK.toml)")
    c.set_defaults(func=cmd_plan)
    c = ps.add_parser("assign", parents=[common], help="give every planned visit a visitor")
    c.add_argument("--evaluators", metavar="CODES", help="only these evaluators (comma-separated)")
    c.set_defaults(func=cmd_assign)
    c = ps.add_parser("due", parents=[common], help="visits due, soonest first")
    c.add_argument("--overdue", action="store_true", help="only visits past their due date")
    c.add_argument("--today", metavar="DATE", help="count from this day (default: today)")
    c.set_defaults(func=cmd_due)
    c = ps.add_parser("visits", parents=[common], help="monitoring visits (of one award, or one visitor's)")
    c.add_argument("application_id", metavar="APP", nargs="?")
    c.add_argument("--evaluator", metavar="CODE")
    c.set_defaults(func=cmd_visits)
    c = ps.add_parser("record", parents=[common], help="record what was found on a visit")
    c.add_argument("application_id", metavar="APP")
    c.add_argument("sequence", type=int, metavar="VISIT", help="the visit's number (1, 2, 3 …)")
    c.add_argument("--date", metavar="WHEN", help="when it took place (YYYY-MM-DD or YYYY-MM-DD HH:MM)")
    c.add_argument("--attendees", default="")
    c.add_argument("--check", action="append", default=[], metavar="ITEM", help="a checklist item found true")
    c.add_argument("--rate", action="append", type=_pair, default=[], metavar="CRITERION=LEVEL")
    c.add_argument("--findings", default="")
    c.add_argument("--action", action="append", default=[], metavar="TEXT@DATE",
                   help="a required action and its due date (\"영수증 정리@2012-10-31\")")
    c.add_argument("--finalise", action="store_true")
    c.set_defaults(func=cmd_record)
    c = ps.add_parser("add-visit", parents=[common], help="a visit beyond the plan")
    c.add_argument("application_id", metavar="APP")
    c.add_argument("--evaluator", required=True, metavar="CODE")
    c.set_defaults(func=cmd_add_visit)
    _register_photo(ps, common)


def _register_photo(ps: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = ps.add_parser("photo", parents=[common], help="photos of a monitoring visit: add, list, remove",
                      description="A visit's photos travel with it in the visitor's package (at most 50 MB each; "
                                  "JPEG, PNG, HEIC, WebP, GIF, BMP or TIFF). A finalised visit, or a visit of a "
                                  "withdrawn or cancelled award, keeps its photos as they are.")
    pp = p.add_subparsers(dest="photo_command", metavar="ACTION")
    pp.required = True
    c = pp.add_parser("add", parents=[common], help="attach a photo to a visit")
    c.add_argument("application_id", metavar="APP")
    c.add_argument("sequence", type=int, metavar="VISIT", help="the visit's number (1, 2, 3 …)")
    c.add_argument("file", metavar="FILE", help="the photo (JPEG, PNG, HEIC …)")
    c.add_argument("--caption", default="", metavar="TEXT")
    c.set_defaults(func=cmd_photo_add)
    c = pp.add_parser("list", parents=[common], help="the photos of the visits (of one award, of one visit)")
    c.add_argument("application_id", metavar="APP", nargs="?")
    c.add_argument("sequence", type=int, metavar="VISIT", nargs="?")
    c.set_defaults(func=cmd_photo_list)
    c = pp.add_parser("remove", parents=[common], help="remove a photo from its visit (the removal travels in "
                      "the next package)")
    c.add_argument("photo", metavar="PHOTO", help="the photo's id, or its first characters as 'photo list' shows")
    c.add_argument("--reason", required=True, metavar="TEXT", help="why (kept in the audit trail)")
    c.set_defaults(func=cmd_photo_remove)


def plan_text(plan: MonitoringPlan) -> str:
    if not plan.visits:
        return str(msg("cli.monitoring_no_plan", "Program '{program}' has no monitoring plan yet: set it with "
                       "'evaluator monitoring plan --default' (a mid-term visit at 3 months, a final one at 6) or "
                       "--visit CODE=MONTHS.", program=plan.program))
    visits = ", ".join(str(msg("cli.monitoring_plan_visit", "{code} at {months} {months:month|months}", code=v.code,
                               months=v.months)) for v in plan.visits)
    lines = [str(msg("cli.monitoring_plan", "Monitoring plan of program '{program}': {visits} after each project "
                     "starts.", program=plan.program, visits=visits))]
    lines += ["  " + str(msg("cli.monitoring_plan_rubric", "{track}: rubric {rubric} {version} ({file})",
                             track=r.track, rubric=r.code, version=r.version, file=r.file)) for r in plan.rubrics]
    return "\n".join(lines)


def cmd_plan(ctx: CliContext) -> int:
    a = ctx.args
    store = ctx.store()
    if a.visit or a.every_months or a.default or a.rubric:
        visits = [(code, _months(m)) for code, m in a.visit or []]
        plan = store.monitoring.set_plan(visits or None, every_months=a.every_months, count=a.count,
                                         rubrics=dict(a.rubric or [])).value
    else:
        plan = store.monitoring.plan()
    ctx.out(plan, plan_text(plan))
    return 0


def _months(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ValidationError(msg("cli.visit_months", "--visit needs a whole number of months, got '{text}'.",
                                  text=text)) from None


def cmd_assign(ctx: CliContext) -> int:
    codes = [c.strip() for c in (ctx.args.evaluators or "").split(",") if c.strip()] or None
    r = ctx.store().monitoring.assign(codes).value
    loads = ", ".join(f"{k} {n}" for k, n in r.loads.items())
    lines = [str(msg("cli.monitoring_assigned_one", "Assigned 1 monitoring visit; visits to make per visitor: {loads}.",
                     loads=loads) if r.added == 1 else
                 msg("cli.monitoring_assigned", "Assigned {count} monitoring {count:visit|visits}; visits to make per "
                     "visitor: {loads}.", count=r.added, loads=loads))]
    if r.unassigned:
        lines.append(str(msg("cli.monitoring_unassigned", "Not assigned (every visitor has a declared conflict): "
                             "{apps}.", apps=", ".join(r.unassigned))))
    ctx.out(r, "\n".join(lines))
    return 0


def cmd_due(ctx: CliContext) -> int:
    a = ctx.args
    try:
        today = date.fromisoformat(a.today) if a.today else None
    except ValueError:
        raise ValidationError(msg("cli.today_not_date", "--today must be a date as YYYY-MM-DD, got '{text}'.",
                                  text=a.today)) from None
    rows = ctx.store().monitoring.due(overdue=a.overdue, today=today)
    text = (table([[r.application_id, r.sequence, r.plan_code, r.evaluator or "—", r.due_on,
                    f"OVERDUE {r.days_overdue} days" if r.overdue else "", r.state, r.group_name] for r in rows],
                  ["application", "visit", "plan", "visitor", "due", "", "state", "group"])
            if rows else msg("cli.monitoring_none_overdue", "No monitoring visit is overdue.") if a.overdue else
            msg("cli.monitoring_none_due", "No monitoring visit is due."))
    ctx.out(rows, text)
    return 0


def cmd_visits(ctx: CliContext) -> int:
    rows = ctx.store().monitoring.visits(ctx.args.application_id, ctx.args.evaluator)
    ctx.out(rows, table([[v.application_id, v.sequence, v.plan_code, v.evaluator or "—", v.due_on or "—", v.state,
                          v.visited_at or "", v.open_actions] for v in rows],
                        ["application", "visit", "plan", "visitor", "due", "state", "visited", "open actions"])
            if rows else msg("cli.monitoring_none", "No monitoring visit yet."))
    return 0


def cmd_record(ctx: CliContext) -> int:
    a = ctx.args
    actions = []
    for text in a.action:
        what, _, due = text.rpartition("@") if "@" in text else (text, "", "")
        actions.append({"text": what, "due_on": due or None})
    v = ctx.store().monitoring.record(a.application_id, a.sequence, visited_at=a.date, attendees=a.attendees,
                                      checklist={c: True for c in a.check}, ratings=dict(a.rate),
                                      findings=a.findings, actions=actions, finalise=a.finalise).value
    ctx.out(v, msg("cli.monitoring_saved", "Monitoring visit {sequence} of {app} is saved ({state}).",
                   sequence=v.sequence, app=v.application_id, state=v.state))
    return 0


def cmd_add_visit(ctx: CliContext) -> int:
    v = ctx.store().monitoring.add_visit(ctx.args.application_id, ctx.args.evaluator).value
    ctx.out(v, msg("cli.monitoring_added", "Added monitoring visit {sequence} of {app} for {evaluator}.",
                   sequence=v.sequence, app=v.application_id, evaluator=v.evaluator))
    return 0


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{max(1, round(n / 1024))} KB"


def cmd_photo_add(ctx: CliContext) -> int:
    a = ctx.args
    store = ctx.store()
    photo = store.monitoring.add_photo(a.application_id, a.sequence, a.file, caption=a.caption).value
    said = str(msg("cli.monitoring_photo_added", "Photo {name} ({size}) is attached to monitoring visit {sequence} "
                   "of {app} as {photo}.", name=photo.filename, size=_size(photo.size), sequence=photo.sequence,
                   app=photo.application_id, photo=photo.uuid[:8]))
    # a result package carries the photos of recorded visits only: say so while this one is planned
    if any(v.sequence == photo.sequence and v.state == PLANNED for v in store.monitoring.visits(a.application_id)):
        said += "\n" + str(msg("cli.monitoring_photo_waits", "The visit is not recorded yet: the photo stays on this "
                                "laptop and travels in your result package once the visit is recorded ('evaluator "
                                "monitoring record')."))
    ctx.out(photo, said)
    return 0


def cmd_photo_list(ctx: CliContext) -> int:
    a = ctx.args
    rows = ctx.store().monitoring.photos(a.application_id, a.sequence)
    ctx.out(rows, table([[p.uuid[:8], p.application_id, p.sequence, p.evaluator or "—", p.filename, p.media_type,
                          _size(p.size), p.caption] for p in rows],
                        ["photo", "application", "visit", "visitor", "file", "type", "size", "caption"])
            if rows else msg("cli.monitoring_no_photo", "No monitoring visit photo."))
    return 0


def _photo(store, key: str) -> MonitoringPhoto:  # noqa: ANN001 - a Store
    """The photo (not removed) whose id is ``key`` or starts with it."""
    key = key.strip().lower()
    found = [p for p in store.monitoring.photos() if key and p.uuid.lower().startswith(key)]
    if not found:
        raise NotFound(msg("monitoring.photo_missing", "There is no monitoring visit photo {uuid}.", uuid=key))
    if len(found) > 1:
        raise ValidationError(msg("cli.monitoring_photo_ambiguous", "Photo id {key} is the start of {count} photos' "
                                  "ids; give more of it ('evaluator monitoring photo list --json' shows them whole). "
                                  "Nothing was changed.", key=key, count=len(found)))
    return found[0]


def cmd_photo_remove(ctx: CliContext) -> int:
    reason = ctx.args.reason.strip()
    if not reason:
        raise ValidationError(msg("cli.monitoring_photo_reason", "Say why the photo is removed: --reason TEXT "
                                  "(it is kept in the audit trail). Nothing was changed."))
    store = ctx.store()
    photo = _photo(store, ctx.args.photo)
    store.monitoring.remove_photo(photo.uuid, reason=reason)
    ctx.out(photo, msg("cli.monitoring_photo_removed", "Photo {name} is removed from monitoring visit {sequence} of "
                       "{app}.", name=photo.filename, sequence=photo.sequence, app=photo.application_id))
    return 0
