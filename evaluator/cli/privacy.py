"""CLI verbs for personal data (Korea's PIPA): who acts, the access log, retention, purge, data
subjects' rights and PostgreSQL roles.

    evaluator people [add NAME --role coordinator|chair|viewer]        (SQLite: who may act)
    evaluator access-log [--since DATE] [--until DATE] [--subject APP] [--verify]
    evaluator access-log review --month 2026-11 --out FILE.pdf
    evaluator retention [set --signed-off-on DATE --project-ends-on DATE --not-selected-years N --selected-years N]
    evaluator purge [--dry-run] [--today DATE] | purge --compact
    evaluator subject export APP --out FILE --reason TEXT
    evaluator subject correct APP FIELD VALUE --reason TEXT
    evaluator subject delete APP --reason TEXT
    evaluator admin grant USER coordinator|chair|viewer [--password-file FILE] | admin revoke USER | admin roles

Every command takes ``--actor NAME`` (or ``$EVALUATOR_ACTOR``): the person acting on a SQLite
database (on PostgreSQL the login is the identity).
"""

from __future__ import annotations

import argparse
from datetime import date, datetime
from pathlib import Path

from ..errors import EvaluatorError, ValidationError
from .common import CliContext, table


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; write it as 2026-11-30") from None


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("people", parents=[common], help="the people who act on this (SQLite) database and their roles",
                       description="Without an action: list them. On PostgreSQL the login is the identity: see "
                                   "'evaluator admin grant'.")
    p.set_defaults(func=cmd_people)
    ps = p.add_subparsers(dest="people_command", metavar="ACTION")
    a = ps.add_parser("add", parents=[common], help="register a person (or change their role)")
    a.add_argument("name", metavar="NAME")
    a.add_argument("--role", required=True, choices=("coordinator", "chair", "viewer"))
    a.set_defaults(func=cmd_people_add)

    p = sub.add_parser("access-log", parents=[common], help="who viewed, printed or exported personal data, and why",
                       description="The access log (PIPA): every view of contact data in the desktop app, every "
                                   "document, workbook, kit and subject export, with who, when, which applications, "
                                   "the output's SHA-256 and the reason.")
    p.add_argument("--since", type=_day, metavar="DATE", help="from this day (UTC)")
    p.add_argument("--until", type=_day, metavar="DATE", help="before this day (UTC)")
    p.add_argument("--subject", metavar="APP", help="only entries about this application")
    p.add_argument("--verify", action="store_true", help="check the log's hash chain (exit 5 when broken)")
    p.set_defaults(func=cmd_access_log)
    ls = p.add_subparsers(dest="access_command", metavar="ACTION")
    r = ls.add_parser("review", parents=[common], help="the monthly review as a PDF to sign")
    r.add_argument("--month", required=True, metavar="YYYY-MM")
    r.add_argument("--out", required=True, metavar="FILE")
    r.set_defaults(func=cmd_access_review)

    p = sub.add_parser("retention", parents=[common], help="how long personal data is kept, and what is due",
                       description="The retention rules (in the program's settings) and when each application's "
                                   "personal data is due for destruction.")
    p.add_argument("--today", type=_day, metavar="DATE", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_retention)
    rs = p.add_subparsers(dest="retention_command", metavar="ACTION")
    r = rs.add_parser("set", parents=[common], help="set the rules and the milestones they count from")
    r.add_argument("--signed-off-on", type=_day, metavar="DATE", help="the committee's sign-off (stand-in for the "
                   "round sign-off)")
    r.add_argument("--project-ends-on", type=_day, metavar="DATE", help="the end of the supported projects")
    r.add_argument("--not-selected-years", type=int, metavar="N", help="keep applicants not selected N years after "
                   "sign-off (default 1)")
    r.add_argument("--selected-years", type=int, metavar="N", help="keep awardees N years after the project ends "
                   "(default 5)")
    r.set_defaults(func=cmd_retention_set)

    p = sub.add_parser("purge", parents=[common], help="destroy personal data whose retention has ended",
                       description="List (--dry-run) or destroy, beyond recovery, the personal data whose retention "
                                   "period has ended: personal fields replaced by a tombstone, photos deleted, the "
                                   "audit trail's sealed values and salts deleted, package evidence re-written, "
                                   "backups holding them destroyed, the database rewritten (VACUUM). A purge record "
                                   "says what, when, by whom and under which rule.")
    p.add_argument("--dry-run", action="store_true", help="only list what is due")
    p.add_argument("--today", type=_day, metavar="DATE", help="the day to judge retention by (default: today)")
    p.add_argument("--compact", action="store_true", help="only rewrite the database (VACUUM / VACUUM FULL)")
    p.set_defaults(func=cmd_purge)

    p = sub.add_parser("subject", parents=[common], help="data subjects' rights: export, correct, delete")
    ss = p.add_subparsers(dest="subject_command", metavar="ACTION")
    ss.required = True
    e = ss.add_parser("export", parents=[common], help="everything held about an application's people, one file")
    e.add_argument("application", metavar="APP")
    e.add_argument("--out", required=True, metavar="FILE", help="the JSON file to write")
    e.add_argument("--reason", required=True, help="why (kept in the access log)")
    e.set_defaults(func=cmd_subject_export)
    c = ss.add_parser("correct", parents=[common], help="correct a contact field")
    c.add_argument("application", metavar="APP")
    c.add_argument("field", choices=("representative", "phone", "email", "address"))
    c.add_argument("value", metavar="VALUE")
    c.add_argument("--reason", required=True, help="why (kept in the audit trail)")
    c.set_defaults(func=cmd_subject_correct)
    d = ss.add_parser("delete", parents=[common], help="destroy an application's personal data (refused while a "
                                                        "retention duty holds)")
    d.add_argument("application", metavar="APP")
    d.add_argument("--reason", required=True, help="the request it answers (kept in the purge record)")
    d.add_argument("--today", type=_day, metavar="DATE", help=argparse.SUPPRESS)
    d.set_defaults(func=cmd_subject_delete)

    p = sub.add_parser("admin", parents=[common], help="PostgreSQL: logins and their roles, enforced by the server")
    ad = p.add_subparsers(dest="admin_command", metavar="ACTION")
    ad.required = True
    g = ad.add_parser("grant", parents=[common], help="make a login this database's coordinator, chair or viewer")
    g.add_argument("user", metavar="USER")
    g.add_argument("role", choices=("coordinator", "chair", "viewer"))
    g.add_argument("--password-file", metavar="FILE", help="set the login's password from FILE")
    g.set_defaults(func=cmd_admin_grant)
    g = ad.add_parser("revoke", parents=[common], help="take this database's roles from a login")
    g.add_argument("user", metavar="USER")
    g.set_defaults(func=cmd_admin_revoke)
    g = ad.add_parser("roles", parents=[common], help="list the logins and their roles")
    g.set_defaults(func=cmd_admin_roles)


# --- people ---------------------------------------------------------------------------------------
def cmd_people(ctx: CliContext) -> int:
    store = ctx.store()
    rows = store.privacy.people()
    who = store.identity
    text = table([[p.name, p.role, f"{p.created_at:%Y-%m-%d}", p.created_by] for p in rows],
                 ["name", "role", "since", "registered by"]) + f"\nActing now: {who.label}" + \
        (f" ({who.role})" if who.role else " (no role registered)")
    ctx.out({"people": rows, "acting": who.as_dict()}, text)
    return 0


def cmd_people_add(ctx: CliContext) -> int:
    p = ctx.store().privacy.add_person(ctx.args.name, ctx.args.role).value
    ctx.out(p, f"{p.name} acts on this database as {p.role}.")
    return 0


# --- the access log -------------------------------------------------------------------------------
def _when(d: date | None) -> datetime | None:
    return None if d is None else datetime.combine(d, datetime.min.time())


def cmd_access_log(ctx: CliContext) -> int:
    store = ctx.store()
    a = ctx.args
    if a.verify:
        v = store.privacy.verify_access_log()
        years, subjects = store.privacy.access_retention()
        doc = {"ok": v.ok, "entries": v.entries, "pruned": v.pruned, "problem": v.problem, "kept_years": years,
               "data_subjects": subjects}
        ctx.out(doc, (f"Access log intact: {v.entries} entries, hash chain verified" if v.ok else
                      f"Access log BROKEN: {v.problem}") +
                (f" ({v.pruned} older entries pruned after their retention)" if v.pruned else "") +
                f"; kept {years} year{'s' if years > 1 else ''} ({subjects:,} data subjects).")
        return 0 if v.ok else 5
    rows = store.privacy.access_log(since=_when(a.since), until=_when(a.until), subject=a.subject)
    text = table([[e.at.strftime("%Y-%m-%d %H:%M"), e.actor, e.role, e.action, e.what,
                   ", ".join(e.subjects[:3]) + (f" +{e.subject_count - 3}" if e.subject_count > 3 else ""),
                   ",".join(e.fields) or "-", e.reason or "", e.fingerprint[:12]] for e in rows],
                 ["at (UTC)", "who", "role", "action", "what", "applications", "personal fields", "reason", "sha256"])
    ctx.out([e.as_dict() for e in rows], text + f"\n{len(rows)} entries")
    return 0


def cmd_access_review(ctx: CliContext) -> int:
    a = ctx.args
    path = ctx.store().privacy.review(a.month, a.out, lang=ctx.document_lang(), progress=ctx.progress("Review"))
    ctx.out({"path": str(path), "month": a.month}, f"Wrote the access-log review of {a.month} to {path}; print it, "
                                                   "check it and sign it.")
    return 0


# --- retention and purge --------------------------------------------------------------------------
def cmd_retention(ctx: CliContext) -> int:
    store = ctx.store()
    rules = store.privacy.retention()
    milestones = store.privacy.milestones()
    today = ctx.args.today or date.today()
    items = store.privacy.schedule(today)
    years, subjects = store.privacy.access_retention()
    lines = ["Retention rules (program settings; docs/privacy.md):"] + [f"  {r.text()}" for r in rules]
    lines.append(f"  the access log: {years} year{'s' if years > 1 else ''} ({subjects:,} data subjects)")
    lines.append("Milestones: sign-off " + (str(milestones.get("sign_off")) if milestones.get("sign_off") else
                                             "not set") +
                 "; projects end " + (str(milestones.get("project_end")) if milestones.get("project_end") else "not set"))
    due = [i for i in items if i.due]
    lines.append(f"{len(items)} applications hold personal data; {len(due)} due for destruction on {today}.")
    doc = {"rules": [{"class": r.data_class, "years": r.years, "after": r.after, "with": r.with_class,
                      "text": r.text()} for r in rules],
           "milestones": {k: v.isoformat() if v else None for k, v in milestones.items()},
           "access_log_years": years,
           "applications": [{"application": i.application_id, "class": i.data_class,
                             "until": i.until.isoformat() if i.until else None, "due": i.due} for i in items]}
    ctx.out(doc, "\n".join(lines))
    return 0


def cmd_retention_set(ctx: CliContext) -> int:
    a = ctx.args
    rules = {}
    if a.not_selected_years is not None:
        rules["not_selected"] = {"years": a.not_selected_years, "after": "sign_off"}
    if a.selected_years is not None:
        rules["selected"] = {"years": a.selected_years, "after": "project_end"}
    if not rules and a.signed_off_on is None and a.project_ends_on is None:
        raise ValidationError("Nothing to set: give --signed-off-on, --project-ends-on, --not-selected-years or "
                              "--selected-years.")
    settings = ctx.store().privacy.set_retention(rules=rules or None, signed_off_on=a.signed_off_on,
                                                 project_ends_on=a.project_ends_on).value
    ctx.out({k: settings.get(k) for k in ("retention", "signed_off_on", "project_ends_on")},
            "Retention settings saved.")
    return 0


def _plan_text(p) -> list[str]:  # noqa: ANN001 - evaluator.privacy.purge.PurgePlan
    lines = [f"Due for destruction on {p.today}: {len(p.due)} applications" +
             (": " + ", ".join(d.application_id for d in p.due[:30]) + (" …" if len(p.due) > 30 else "")
              if p.due else "")]
    for rule in sorted({d.rule for d in p.due}):
        lines.append(f"  under '{rule}': {sum(1 for d in p.due if d.rule == rule)}")
    waiting = [d for d in p.waiting if d.until is not None]
    if waiting:
        nxt = min(d.until for d in waiting)
        lines.append(f"Not due yet: {len(p.waiting)} (the next on {nxt})")
    elif p.waiting:
        lines.append(f"Not due yet: {len(p.waiting)} (their retention has not started: set the sign-off and the "
                     "projects' end with 'evaluator retention set')")
    if p.access_entries:
        lines.append(f"Access-log entries older than {p.access_years} year(s): {p.access_entries}")
    if p.evidence:
        lines.append(f"Package evidence to re-write: {len(p.evidence)} merged packages")
    for b in p.backups:
        state = "holds them: destroyed" if b.holds else ("cannot be checked: " + b.problem if b.holds is None
                                                         else "does not hold them: kept")
        lines.append(f"  backup {b.path}: {state}")
    if p.legacy_entries:
        lines.append(f"Note: {p.legacy_entries} audit entries written before this version (schema 0006) hold these "
                     "applications' values in the clear and cannot be redacted without breaking the audit chain "
                     "(docs/privacy.md, 'Entries written before 0006').")
    return lines


def cmd_purge(ctx: CliContext) -> int:
    store = ctx.store()
    a = ctx.args
    if a.compact:
        done = store.privacy.compact()
        ctx.out({"compacted": done}, f"Database rewritten: {done}.")
        return 0
    if a.dry_run:
        p = store.privacy.purge_plan(a.today)
        ctx.out(p.as_dict(), "\n".join(_plan_text(p) + ["Dry run: nothing was destroyed."]))
        return 0
    r = store.privacy.purge(a.today, progress=ctx.progress("Purging")).value
    if not r.purge:
        ctx.out(r.as_dict(), "\n".join(_plan_text(r.plan) + ["Nothing is due; nothing was destroyed."]))
        return 0
    counts = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in r.counts.items() if v)
    lines = _plan_text(r.plan) + [f"Destroyed ({counts}); purge record {r.purge}; {r.compacted}."]
    lines += [f"  destroyed {f}" for f in r.files]
    ctx.out(r.as_dict(), "\n".join(lines))
    return 0


# --- data subjects --------------------------------------------------------------------------------
def cmd_subject_export(ctx: CliContext) -> int:
    a = ctx.args
    path = ctx.store().privacy.subject_export(a.application, a.out, reason=a.reason)
    ctx.out({"path": str(path), "application": a.application},
            f"Wrote everything held about {a.application}'s people to {path} (in the access log).")
    return 0


def cmd_subject_correct(ctx: CliContext) -> int:
    a = ctx.args
    done = ctx.store().privacy.subject_correct(a.application, a.field, a.value, reason=a.reason).value
    ctx.out(done, f"Corrected the {a.field} of {a.application}." if done["changed"] else
            f"The {a.field} of {a.application} already had that value; nothing changed.")
    return 0


def cmd_subject_delete(ctx: CliContext) -> int:
    a = ctx.args
    r = ctx.store().privacy.subject_delete(a.application, reason=a.reason, today=a.today,
                                           progress=ctx.progress("Deleting")).value
    ctx.out(r.as_dict(), f"Destroyed the personal data of {a.application} (purge record {r.purge}; {r.compacted}).")
    return 0


# --- PostgreSQL roles -----------------------------------------------------------------------------
def cmd_admin_grant(ctx: CliContext) -> int:
    a = ctx.args
    password = None
    if a.password_file:
        try:
            password = Path(a.password_file).read_text(encoding="utf-8").rstrip("\r\n")
        except OSError as exc:
            raise EvaluatorError(f"Cannot read the password file {a.password_file}: {exc.strerror}.") from None
    done = ctx.store().privacy.grant(a.user, a.role, password=password)
    ctx.out(done, f"{a.user} is now the {a.role} of this database" +
            (" (login created)" if done["login_created"] else "") + f"; PostgreSQL enforces it (role {done['group']}).")
    return 0


def cmd_admin_revoke(ctx: CliContext) -> int:
    taken = ctx.store().privacy.revoke(ctx.args.user)
    ctx.out({"revoked": taken}, f"Took {len(taken)} role(s) of this database from {ctx.args.user}.")
    return 0


def cmd_admin_roles(ctx: CliContext) -> int:
    rows = ctx.store().privacy.members()
    ctx.out([{"login": u, "role": r} for u, r in rows], table([[u, r] for u, r in rows], ["login", "role"]))
    return 0
