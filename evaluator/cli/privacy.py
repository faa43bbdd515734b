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
from ..messages import msg
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
    r.add_argument("--signed-off-on", type=_day, metavar="DATE", help="the committee's sign-off, for the "
                   "applications whose round was not signed off in the app")
    r.add_argument("--project-ends-on", type=_day, metavar="DATE", help="the end of the supported projects, for the "
                   "awardees whose award states no project end")
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
                 ["name", "role", "since", "registered by"]) + "\n" + \
        str(msg("cli.acting_now_role", "Acting now: {who} ({role})", who=who.label, role=who.role) if who.role else
            msg("cli.acting_now", "Acting now: {who} (no role registered)", who=who.label))
    ctx.out({"people": rows, "acting": who.as_dict()}, text)
    return 0


def cmd_people_add(ctx: CliContext) -> int:
    p = ctx.store().privacy.add_person(ctx.args.name, ctx.args.role).value
    ctx.out(p, msg("cli.person_added", "{name} acts on this database as {role}.", name=p.name, role=p.role))
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
        state = (msg("cli.access_log_intact", "Access log intact: {entries} {entries:entry|entries}, hash chain "
                     "verified",
                     entries=v.entries) if v.ok else
                 msg("cli.access_log_broken", "Access log BROKEN: {problem}", problem=v.problem))
        pruned = (" " + str(msg("cli.access_log_pruned", "({count} older {count:entry|entries} pruned after their "
                                "retention)",
                                count=v.pruned))) if v.pruned else ""
        kept = (msg("cli.access_log_kept_years", "kept {years} years ({subjects:,} data {subjects:subject|subjects}).",
                    years=years,
                    subjects=subjects) if years > 1 else
                msg("cli.access_log_kept_year", "kept {years} year ({subjects:,} data {subjects:subject|subjects}).",
                    years=years,
                    subjects=subjects))
        ctx.out(doc, f"{state}{pruned}; {kept}")
        return 0 if v.ok else 5
    rows = store.privacy.access_log(since=_when(a.since), until=_when(a.until), subject=a.subject)
    text = table([[e.at.strftime("%Y-%m-%d %H:%M"), e.actor, e.role, e.action, e.what,
                   ", ".join(e.subjects[:3]) + (f" +{e.subject_count - 3}" if e.subject_count > 3 else ""),
                   ",".join(e.fields) or "-", e.reason or "", e.fingerprint[:12]] for e in rows],
                 ["at (UTC)", "who", "role", "action", "what", msg("cli.column_subjects", "applications"),
                  "personal fields", "reason", "sha256"])
    ctx.out([e.as_dict() for e in rows], text + "\n" + str(msg("cli.entries_count", "{count} {count:entry|entries}",
                                                               count=len(rows))))
    return 0


def cmd_access_review(ctx: CliContext) -> int:
    a = ctx.args
    path = ctx.store().privacy.review(a.month, a.out, lang=ctx.document_lang(), progress=ctx.progress(
        msg("cli.progress_review", "Review")))
    ctx.out({"path": str(path), "month": a.month}, msg("cli.access_review_written", "Wrote the access-log review of "
                                                       "{month} to {path}; print it, check it and sign it.",
                                                       month=a.month, path=str(path)))
    return 0


# --- retention and purge --------------------------------------------------------------------------
def cmd_retention(ctx: CliContext) -> int:
    store = ctx.store()
    rules = store.privacy.retention()
    milestones = store.privacy.milestones()
    today = ctx.args.today or date.today()
    items = store.privacy.schedule(today)
    years, subjects = store.privacy.access_retention()
    lines = [str(msg("cli.retention_rules", "Retention rules (program settings; docs/privacy.md):"))]
    lines += [f"  {r.text()}" for r in rules]
    lines.append("  " + str(msg("cli.retention_access_years", "the access log: {years} years ({subjects:,} data "
                                "{subjects:subject|subjects})", years=years, subjects=subjects) if years > 1 else
                            msg("cli.retention_access_year", "the access log: {years} year ({subjects:,} data "
                                "{subjects:subject|subjects})", years=years, subjects=subjects)))
    not_set = msg("cli.not_set", "not set")
    lines.append(str(msg("cli.retention_milestones_own", "Milestones: each application's round sign-off and its "
                         "award's project end; where they give none, sign-off {sign_off}; projects end {project_end}",
                         sign_off=str(milestones.get("sign_off")) if milestones.get("sign_off") else not_set,
                         project_end=str(milestones.get("project_end")) if milestones.get("project_end") else not_set)))
    due = [i for i in items if i.due]
    lines.append(str(msg("cli.retention_due", "{count} {count:application holds|applications hold} personal data; "
                         "{due} due for destruction on {today}.", count=len(items), due=len(due), today=today)))
    doc = {"rules": [{"class": r.data_class, "years": r.years, "after": r.after, "with": r.with_class,
                      "text": r.text()} for r in rules],
           "milestones": {k: v.isoformat() if v else None for k, v in milestones.items()},
           "access_log_years": years,
           "applications": [{"application": i.application_id, "class": i.data_class,
                             "since": i.since.isoformat() if i.since else None,
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
        raise ValidationError(msg("cli.retention_nothing_to_set", "Nothing to set: give --signed-off-on, "
                                  "--project-ends-on, --not-selected-years or --selected-years."))
    settings = ctx.store().privacy.set_retention(rules=rules or None, signed_off_on=a.signed_off_on,
                                                 project_ends_on=a.project_ends_on).value
    ctx.out({k: settings.get(k) for k in ("retention", "signed_off_on", "project_ends_on")},
            msg("cli.retention_saved", "Retention settings saved."))
    return 0


def _plan_text(p) -> list[str]:  # noqa: ANN001 - evaluator.privacy.purge.PurgePlan
    head = msg("cli.purge_due", "Due for destruction on {today}: {count} {count:application|applications}",
               today=p.today, count=len(p.due))
    lines = [str(head) + (": " + ", ".join(d.application_id for d in p.due[:30]) + (" …" if len(p.due) > 30 else "")
                          if p.due else "")]
    for rule in sorted({d.rule for d in p.due}):
        lines.append("  " + str(msg("cli.purge_under_rule", "under '{rule}': {count}", rule=rule,
                                    count=sum(1 for d in p.due if d.rule == rule))))
    waiting = [d for d in p.waiting if d.until is not None]
    if waiting:
        nxt = min(d.until for d in waiting)
        lines.append(str(msg("cli.purge_not_due_next", "Not due yet: {count} (the next on {next})", count=len(p.waiting),
                             next=nxt)))
    elif p.waiting:
        lines.append(str(msg("cli.purge_not_due_unset", "Not due yet: {count} (their retention has not started: set the "
                             "sign-off and the projects' end with 'evaluator retention set')", count=len(p.waiting))))
    if p.access_entries:
        lines.append(str(msg("cli.purge_access_entries", "Access-log entries older than {years} {years:year|years}: "
                             "{count}",
                             years=p.access_years, count=p.access_entries)))
    if p.evidence:
        lines.append(str(msg("cli.purge_evidence", "Package evidence to re-write: {count} merged "
                             "{count:package|packages}",
                             count=len(p.evidence))))
    for b in p.backups:
        lines.append("  " + str(msg("cli.purge_backup_holds", "backup {path}: holds them: destroyed", path=b.path)
                                if b.holds else
                                msg("cli.purge_backup_unchecked", "backup {path}: cannot be checked: {problem}",
                                    path=b.path, problem=b.problem) if b.holds is None else
                                msg("cli.purge_backup_kept", "backup {path}: does not hold them: kept", path=b.path)))
    if p.legacy_entries:
        lines.append(str(msg("cli.purge_legacy", "Note: {count} audit {count:entry|entries} written before this "
                             "version (schema 0006) {count:holds|hold} these applications' values in the clear and "
                             "cannot be redacted without breaking the audit chain (docs/privacy.md, 'Entries written "
                             "before 0006').",
                             count=p.legacy_entries)))
    return lines


def cmd_purge(ctx: CliContext) -> int:
    store = ctx.store()
    a = ctx.args
    if a.compact:
        done = store.privacy.compact()
        ctx.out({"compacted": done}, msg("cli.compacted", "Database rewritten: {done}.", done=done))
        return 0
    if a.dry_run:
        p = store.privacy.purge_plan(a.today)
        ctx.out(p.as_dict(), "\n".join(_plan_text(p) + [str(msg("cli.purge_dry_run", "Dry run: nothing was destroyed."))]))
        return 0
    r = store.privacy.purge(a.today, progress=ctx.progress(msg("cli.progress_purge", "Purging"))).value
    if not r.purge:
        ctx.out(r.as_dict(), "\n".join(_plan_text(r.plan) + [str(msg("cli.purge_nothing_due", "Nothing is due; nothing "
                                                                      "was destroyed."))]))
        return 0
    counts = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in r.counts.items() if v)
    lines = _plan_text(r.plan) + [str(msg("cli.purged", "Destroyed ({counts}); purge record {purge}; {compacted}.",
                                          counts=counts, purge=r.purge, compacted=r.compacted))]
    lines += ["  " + str(msg("cli.purged_file", "destroyed {file}", file=f)) for f in r.files]
    ctx.out(r.as_dict(), "\n".join(lines))
    return 0


# --- data subjects --------------------------------------------------------------------------------
def cmd_subject_export(ctx: CliContext) -> int:
    a = ctx.args
    path = ctx.store().privacy.subject_export(a.application, a.out, reason=a.reason)
    ctx.out({"path": str(path), "application": a.application},
            msg("cli.subject_exported", "Wrote everything held about {app}'s people to {path} (in the access log).",
                app=a.application, path=str(path)))
    return 0


def cmd_subject_correct(ctx: CliContext) -> int:
    a = ctx.args
    done = ctx.store().privacy.subject_correct(a.application, a.field, a.value, reason=a.reason).value
    ctx.out(done, msg("cli.subject_corrected", "Corrected the {field} of {app}.", field=a.field, app=a.application)
            if done["changed"] else
            msg("cli.subject_unchanged", "The {field} of {app} already had that value; nothing changed.", field=a.field,
                app=a.application))
    return 0


def cmd_subject_delete(ctx: CliContext) -> int:
    a = ctx.args
    r = ctx.store().privacy.subject_delete(a.application, reason=a.reason, today=a.today,
                                           progress=ctx.progress(msg("cli.progress_delete", "Deleting"))).value
    ctx.out(r.as_dict(), msg("cli.subject_deleted", "Destroyed the personal data of {app} (purge record {purge}; "
                             "{compacted}).", app=a.application, purge=r.purge, compacted=r.compacted))
    return 0


# --- PostgreSQL roles -----------------------------------------------------------------------------
def cmd_admin_grant(ctx: CliContext) -> int:
    a = ctx.args
    password = None
    if a.password_file:
        try:
            password = Path(a.password_file).read_text(encoding="utf-8").rstrip("\r\n")
        except OSError as exc:
            raise EvaluatorError(msg("cli.password_file_unreadable", "Cannot read the password file {path}: {reason}.",
                                     path=a.password_file, reason=exc.strerror)) from None
    done = ctx.store().privacy.grant(a.user, a.role, password=password)
    ctx.out(done, msg("cli.granted_login", "{user} is now the {role} of this database (login created); PostgreSQL "
                      "enforces it (role {group}).", user=a.user, role=a.role, group=done["group"])
            if done["login_created"] else
            msg("cli.granted", "{user} is now the {role} of this database; PostgreSQL enforces it (role {group}).",
                user=a.user, role=a.role, group=done["group"]))
    return 0


def cmd_admin_revoke(ctx: CliContext) -> int:
    taken = ctx.store().privacy.revoke(ctx.args.user)
    ctx.out({"revoked": taken}, msg("cli.revoked", "Took {count} {count:role|roles} of this database from {user}.",
                                    count=len(taken), user=ctx.args.user))
    return 0


def cmd_admin_roles(ctx: CliContext) -> int:
    rows = ctx.store().privacy.members()
    ctx.out([{"login": u, "role": r} for u, r in rows], table([[u, r] for u, r in rows], ["login", "role"]))
    return 0
