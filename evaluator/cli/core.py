"""Core verbs: init, upgrade, backup, restore, demo, info, applications, evaluators, assignments, audit verify."""

from __future__ import annotations

import argparse

from ..messages import msg
from .common import CliContext, table


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("init", parents=[common], help="create a new, empty office database",
                       description="Create the database (if needed) at the current schema and report it.")
    p.set_defaults(func=cmd_init, select_program=False)

    p = sub.add_parser("upgrade", parents=[common], help="upgrade the database schema (after a backup)",
                       description="Back up an older database and upgrade it to this version's schema.")
    p.set_defaults(func=cmd_upgrade, select_program=False)

    p = sub.add_parser("backup", parents=[common], help="copy the SQLite database to a new file (safe while in use)",
                       description="Copy the open SQLite database to OUT with SQLite's online backup; an encrypted "
                                   "field database's copy keeps its passphrase. PostgreSQL: use pg_dump.")
    p.add_argument("out", metavar="OUT", help="the new backup file")
    p.set_defaults(func=cmd_backup, select_program=False)

    p = sub.add_parser("restore", parents=[common], help="replace the SQLite database by a backup",
                       description="Replace the database (--db) by a copy of BACKUP; the database it replaces is "
                                   "first kept beside it as NAME.before-restore-STAMP. An encrypted database is "
                                   "restored from an encrypted backup with the same passphrase.")
    p.add_argument("backup", metavar="BACKUP", help="the backup file to restore")
    p.set_defaults(func=cmd_restore, select_program=False)

    p = sub.add_parser("demo", parents=[common], help="create the demo program (48 applications)",
                       description="Create the fictional 'Seoul Community Building Project — 2012 round 1' "
                                   "demo program: 48 applications, 5 evaluators, assignments and finalised "
                                   "evaluations. With --program social-housing, the 2017 remodelling-type social "
                                   "housing call instead: 30 fictional operators (some failing each gate), 5 "
                                   "evaluators, finalised evaluations and computed support amounts (docs/rules.md).")
    p.add_argument("--before-visits", action="store_true",
                   help="the program as it stands before the field study: no scores yet")
    p.add_argument("--if-missing", action="store_true",
                   help="do nothing (and succeed) if the database already holds a program")
    p.set_defaults(func=cmd_demo, select_program=False)

    p = sub.add_parser("info", parents=[common], help="counts: programs, applications per track, evaluators, …")
    p.set_defaults(func=cmd_info)

    p = sub.add_parser("applications", parents=[common], help="list applications with their IDs")
    p.add_argument("--track", help="only this track (code, e.g. activity)")
    p.add_argument("--district", help="only this district (e.g. 종로구)")
    p.add_argument("--category", help="only this category (its code, e.g. cafe)")
    p.add_argument("--round", help="only this round (its code)")
    p.add_argument("--status", choices=("received", "withdrawn"), help="only received or withdrawn applications")
    p.add_argument("--evaluator", help="only applications assigned to this evaluator code")
    p.add_argument("--search", help="text in ID, title, group or district")
    p.set_defaults(func=cmd_applications)

    p = sub.add_parser("assignments", parents=[common], help="list assignments and declared conflicts")
    p.add_argument("--application", help="only this application ID")
    p.add_argument("--evaluator", help="only this evaluator code")
    p.set_defaults(func=cmd_assignments)

    p = sub.add_parser("rubric", parents=[common], help="check or show a rubric file")
    rsub = p.add_subparsers(dest="rubric_command", metavar="ACTION")
    rsub.required = True
    c = rsub.add_parser("check", parents=[common], help="validate a rubric TOML file and print its version")
    c.add_argument("file", help="rubric TOML file")
    c.set_defaults(func=cmd_rubric_check, select_program=False)

    p = sub.add_parser("audit", parents=[common], help="audit trail: verify the hash chain")
    asub = p.add_subparsers(dest="audit_command", metavar="ACTION")
    asub.required = True
    v = asub.add_parser("verify", parents=[common], help="check every entry of the hash-chained audit log")
    v.set_defaults(func=cmd_audit_verify)


def cmd_init(ctx: CliContext) -> int:
    store = ctx.store(create=True)
    info = store.info()
    params = {"url": info.url, "revision": info.schema_revision, "role": info.role}
    ctx.out({"database": info.url, "created": store.schema.created, "schema_revision": info.schema_revision,
             "role": info.role},
            msg("cli.init_created", "Database {url} created (schema revision {revision}, {role} database).", **params)
            if store.schema.created else
            msg("cli.init_existed", "Database {url} already existed (schema revision {revision}, {role} database).",
                **params))
    return 0


def cmd_upgrade(ctx: CliContext) -> int:
    store = ctx.store()
    st = store.schema
    if st.upgraded_from:
        text = msg("cli.upgraded", "Upgraded from schema revision {old} to {revision}; backup at {backup}.",
                   old=st.upgraded_from, revision=st.revision, backup=str(st.backup))
    elif st.created:
        text = msg("cli.upgrade_created", "Created a new database at schema revision {revision}.", revision=st.revision)
    else:
        text = msg("cli.upgrade_current", "Already at the current schema revision {revision}; nothing to do.",
                   revision=st.revision)
    ctx.out({"revision": st.revision, "upgraded_from": st.upgraded_from, "created": st.created,
             "backup": str(st.backup) if st.backup else None}, text)
    return 0


def cmd_backup(ctx: CliContext) -> int:
    path = ctx.store().backup(ctx.args.out, remember=True)
    ctx.out({"backup": str(path)}, msg("cli.backed_up", "Backed up {db} to {path}.", db=ctx.store().display_url,
                                       path=str(path)))
    return 0


def cmd_restore(ctx: CliContext) -> int:
    from ..workflows import restore
    from .common import database_passphrase

    passphrase = database_passphrase(ctx.db, creating=False)
    store = ctx.store(passphrase=passphrase)
    restored, safety = restore(store, ctx.args.backup, passphrase=passphrase)
    ctx.replace_store(restored)
    ctx.out({"database": restored.display_url, "restored_from": ctx.args.backup, "previous": str(safety)},
            msg("cli.restored", "Restored {db} from {backup}; the database it replaced is kept as {previous}.",
                db=restored.display_url, backup=ctx.args.backup, previous=str(safety)))
    return 0


def cmd_demo(ctx: CliContext) -> int:
    from ..demo import build_demo
    from ..demo_housing import build_social_housing_demo
    from ..errors import ValidationError

    demos = {"community-building": build_demo, "seoul-cbp-2012": build_demo,
             "social-housing": build_social_housing_demo, "seoul-remodel-2017": build_social_housing_demo}
    which = getattr(ctx.args, "program", None) or "community-building"
    if which not in demos:
        raise ValidationError(msg("cli.demo_unknown", "--program {which}: there is no such demo; choose "
                                  "community-building (the default) or social-housing.", which=which))
    store = ctx.store(create=True)
    if store.programs.exists():
        if ctx.args.if_missing:
            ctx.out({"created": False}, msg("cli.demo_left", "{db} already holds a program; left as it is.",
                                            db=store.display_url))
            return 0
        raise ValidationError(msg(
            "cli.demo_needs_new_db", "{db} already holds a program; the demo needs a new database (choose another --db "
            "path, or use --if-missing).", db=store.display_url))
    summary = demos[which](store, before_visits=ctx.args.before_visits)
    ctx.out({"created": True, **summary.__dict__},
            msg("cli.demo_created", "Created the demo program '{program}' in {db}: {applications} "
                "{applications:application|applications}, {evaluators} {evaluators:evaluator|evaluators}, "
                "{assignments} {assignments:assignment|assignments}, {conflicts} declared "
                "{conflicts:conflict|conflicts}, {finalised} finalised {finalised:evaluation|evaluations}.",
                program=summary.program, db=store.display_url,
                applications=summary.applications, evaluators=summary.evaluators, assignments=summary.assignments,
                conflicts=summary.conflicts, finalised=summary.finalised))
    return 0


def cmd_info(ctx: CliContext) -> int:
    info = ctx.store().info()
    per_track = ", ".join(f"{k} {v}" for k, v in info.applications_per_track.items()) or str(msg("cli.none", "none"))
    text = msg("cli.info",
               "Database:        {url} ({role})\n"
               "Schema revision: {revision}\n"
               "Programs:        {programs}\n"
               "Applications:    {applications} ({per_track})\n"
               "Evaluators:      {evaluators}\n"
               "Assignments:     {assignments} (+ {conflicts} declared {conflicts:conflict|conflicts})\n"
               "Evaluations:     {evaluations} ({finalised} finalised)\n"
               "Scores:          {scores}\n"
               "Audit entries:   {audit}", url=info.url, role=info.role, revision=info.schema_revision,
               programs=info.programs, applications=info.applications, per_track=per_track,
               evaluators=info.evaluators, assignments=info.assignments, conflicts=info.conflicts,
               evaluations=info.evaluations, finalised=info.finalised_evaluations, scores=info.scores,
               audit=info.audit_events)
    ctx.out(info.as_dict(), text)
    return 0


def cmd_applications(ctx: CliContext) -> int:
    a = ctx.args
    rows = ctx.store().applications.list(track=a.track, district=a.district, category=a.category,
                                         evaluator=a.evaluator, search=a.search, round=a.round, status=a.status)
    text = table(
        [[r.id, r.round, r.track, r.category, r.title[:40], r.group_name[:20], r.district,
          f"{r.requested_amount:,}" if r.requested_amount is not None else "", f"{r.finalised}/{r.evaluators}",
          "" if r.status == "received" else r.status]
         for r in rows],
        [msg("cli.column_application_id", "ID"), "round", "track", "category", "title", "group", "district",
         "requested", "final/assigned", "status"],
    ) + "\n" + str(msg("cli.applications_count", "{count} {count:application|applications}", count=len(rows)))
    ctx.out(rows, text)
    return 0


def cmd_assignments(ctx: CliContext) -> int:
    rows = ctx.store().people.assignments(ctx.args.application, ctx.args.evaluator)
    text = table([[r.application_id, r.evaluator, r.conflict_type and f"CONFLICT ({r.conflict_type})" or "assigned",
                   r.state or "not started", r.planned_visit_on or ""] for r in rows],
                 ["application", "evaluator", "kind", "evaluation", "planned visit"])
    ctx.out(rows, text)
    return 0


#: problems `audit verify` prints (--json has them all)
_LISTED = 25


def cmd_audit_verify(ctx: CliContext) -> int:
    v = ctx.store().verify_audit()
    a = v.last_anchor
    anchor = None if a is None else {"sequence": a.sequence, "event": a.event, "at": a.at, "head": a.head,
                                     "entry": a.entry_id, "key_fingerprint": a.key_fingerprint}
    n = v.replayed or {}
    if v.ok:
        signed = (msg("cli.audit_last_anchor", "Last signed anchor {sequence} ({event}): {line}.", sequence=a.sequence,
                      event=a.event.replace("_", " "), line=a.line()) if a is not None
                  else msg("cli.audit_no_anchor", "No signed anchor yet (one is made at each package export, kit "
                           "export, merge and sign-off)."))
        counts = dict(entries=v.entries, anchors=v.anchors, evaluations=n.get("evaluations", 0),
                      scores=n.get("scores", 0), decisions=n.get("decisions", 0))
        head = (msg("cli.audit_intact_one", "Audit trail intact: {entries} {entries:entry|entries}, hash chain "
                    "verified; {anchors} signed anchor holds; {evaluations} {evaluations:evaluation|evaluations}, "
                    "{scores} {scores:score|scores} and {decisions} {decisions:decision|decisions} match it.",
                    **counts) if v.anchors == 1 else
                msg("cli.audit_intact", "Audit trail intact: {entries} {entries:entry|entries}, hash chain verified; "
                    "{anchors} signed anchors hold; {evaluations} {evaluations:evaluation|evaluations}, {scores} "
                    "{scores:score|scores} and {decisions} {decisions:decision|decisions} match it.",
                    **counts))
        ctx.out({"ok": True, "entries": v.entries, "anchors": v.anchors, "last_anchor": anchor, "replayed": n},
                f"{head}\n{signed}")
        return 0
    doc = {"ok": False, "entries_checked": v.entries, "first_broken": v.first_broken_id, "problem": v.problem,
           "problems": list(v.problems), "anchors": v.anchors, "last_anchor": anchor}
    if v.first_broken_id is not None:
        text = str(msg("cli.audit_broken_at", "Audit trail BROKEN at entry {entry}: {problem}.",
                       entry=v.first_broken_id, problem=v.problem))
    else:
        shown, more = v.problems[:_LISTED], len(v.problems) - _LISTED
        head = (msg("cli.audit_broken_many", "Audit trail BROKEN: {count} problems.", count=len(v.problems))
                if len(v.problems) > 1 else msg("cli.audit_broken_one", "Audit trail BROKEN: 1 problem."))
        text = f"{head}\n" + "\n".join(f"  - {p}" for p in shown)
        if more > 0:
            text += "\n  " + str(msg("cli.more_problems", "… and {count} more (--json lists them all)", count=more))
    ctx.out(doc, text)
    return 5


def cmd_rubric_check(ctx: CliContext) -> int:
    from ..rubric import load_rubric

    rd = load_rubric(ctx.args.file)
    doc = {
        "id": rd.code, "track": rd.track, "version": rd.version, "content_hash": rd.content_hash,
        "criteria": [{"id": c.code, "max": c.max_points, "weight": c.weight, "scoring": c.scoring,
                      "required": c.required, "field_check": c.field_check} for c in rd.criteria],
        "gates": [g.code for g in rd.gates], "checklist": [c.code for c in rd.checklist],
        "max_total": sum(c.max_points for c in rd.criteria),
    }
    text = msg("cli.rubric_valid", "{file}: rubric '{rubric}' for track '{track}' is valid — version {version}, "
               "{criteria} {criteria:criterion|criteria} ({points:g} {points:point|points}), {gates} eligibility "
               "{gates:gate|gates}, {checklist} checklist {checklist:item|items}.",
               file=ctx.args.file, rubric=rd.code, track=rd.track, version=rd.version, criteria=len(rd.criteria),
               points=doc["max_total"], gates=len(rd.gates), checklist=len(rd.checklist))
    ctx.out(doc, text)
    return 0
