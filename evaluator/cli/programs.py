"""CLI verbs for programs and rounds (docs/programs.md):

    evaluator program create FILE · list · show [CODE] · update FILE [--dry-run] · use CODE · archive CODE
    evaluator program check FILE · examples --out DIR
    evaluator round list · open CODE · close CODE · sign-off CODE --by NAME [--note …]
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path
from typing import Any

from ..domain import ProgramInfo, RoundInfo
from ..errors import ValidationError
from ..messages import msg
from .common import CliContext, read_passphrase, table


def _key_options() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--key-dir", metavar="DIR", default=argparse.SUPPRESS,
                   help="folder of key files (default: keys/ in the user data directory)")
    p.add_argument("--passphrase-file", metavar="FILE", default=argparse.SUPPRESS,
                   help="read the office key's passphrase from FILE (else $EVALUATOR_PASSPHRASE or a prompt)")
    return p


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add this area's commands to the `evaluator` parser."""
    p = sub.add_parser("program", parents=[common], help="programs (calls): create from a program file, list, show, "
                       "update, use, archive",
                       description="A program (a call, 공모) is one TOML file naming its tracks with their rubric "
                                   "files, quotas, reserves and budgets, its ranking settings, categories, typed "
                                   "intake fields and rounds (docs/programs.md). Several programs live in one "
                                   "database; every command works on the current one, or on --program CODE.")
    ps = p.add_subparsers(dest="program_command", metavar="ACTION")
    ps.required = True
    c = ps.add_parser("create", parents=[common], help="create the program a program file describes (it becomes "
                      "the current program)")
    c.add_argument("file", metavar="FILE", help="the program file (.toml)")
    c.set_defaults(func=cmd_program_create, select_program=False)
    c = ps.add_parser("list", parents=[common], help="every program in the database")
    c.set_defaults(func=cmd_program_list, select_program=False)
    c = ps.add_parser("show", parents=[common], help="a program: tracks, rounds, categories, fields, settings")
    c.add_argument("code", metavar="CODE", nargs="?", help="the program (default: --program, else the current one)")
    c.set_defaults(func=cmd_program_show)
    c = ps.add_parser("update", parents=[common], help="bring a program up to a new version of its program file",
                      description="Compare the program file with the program of the same code and apply what "
                                  "changed. A change that would invalidate work already done (a rubric after kits "
                                  "went out or scores exist, a track or round holding applications, a signed-off "
                                  "round's window, quota or budget, a category or field in use) is refused with "
                                  "the reason, and then nothing changes.")
    c.add_argument("file", metavar="FILE", help="the program file (.toml)")
    c.add_argument("--dry-run", action="store_true", help="only print what would change and what is refused")
    c.set_defaults(func=cmd_program_update, select_program=False)
    c = ps.add_parser("use", parents=[common], help="make a program the database's current one")
    c.add_argument("code", metavar="CODE")
    c.set_defaults(func=cmd_program_use, select_program=False)
    c = ps.add_parser("archive", parents=[common], help="archive a program (kept, readable with --program)")
    c.add_argument("code", metavar="CODE")
    c.set_defaults(func=cmd_program_archive, select_program=False)
    c = ps.add_parser("check", parents=[common], help="validate a program file and its rubric files (nothing stored)")
    c.add_argument("file", metavar="FILE")
    c.set_defaults(func=cmd_program_check, select_program=False)
    c = ps.add_parser("examples", parents=[common], help="copy the shipped example program and rubric files (and "
                      "example intake and evaluator sheets) into a folder, to start your own from",
                      description="Writes DIR/programs/*.toml, DIR/rubrics/*.toml and DIR/examples/*.xlsx: the "
                                  "demo's program, a rolling example with three rounds, the default rubrics and "
                                  "fictional sheets to try them with.")
    c.add_argument("--out", required=True, metavar="DIR", help="the folder to write (created; files there are kept)")
    c.set_defaults(func=cmd_program_examples, select_program=False)

    p = sub.add_parser("round", parents=[common], help="rounds (차수) of the program: list, open, close, sign off",
                       description="A round has its intake window, status (open, closed, signed off) and per-track "
                                   "quota and budget. The committee's sign-off freezes the round's decisions of "
                                   "record and signs the audit trail with the office key.")
    rs = p.add_subparsers(dest="round_command", metavar="ACTION")
    rs.required = True
    c = rs.add_parser("list", parents=[common], help="the program's rounds with their windows, quotas and budgets")
    c.set_defaults(func=cmd_round_list)
    for action, text in (("open", "open a round's intake"), ("close", "close a round's intake (new applications "
                                                                      "placed in it are refused)")):
        c = rs.add_parser(action, parents=[common], help=text)
        c.add_argument("code", metavar="CODE", help="the round's code (or its name, e.g. 2차)")
        c.set_defaults(func=cmd_round_status, action=action)
    c = rs.add_parser("sign-off", parents=[common, _key_options()],
                      help="the committee signs a round off: its decisions of record are frozen",
                      description="Rank the round once more with the program's method, store and freeze its "
                                  "decisions of record (later rankings, re-imports, merges and setting changes never "
                                  "change them; an override afterwards needs its written reason and is audited), "
                                  "close it, and sign the audit trail's head with the office key.")
    c.add_argument("code", metavar="CODE", help="the round's code (or its name)")
    c.add_argument("--by", required=True, metavar="NAME", help="who signs: the committee chair or the committee")
    c.add_argument("--note", default="", help="a note kept with the sign-off (e.g. the meeting's date and minutes)")
    c.set_defaults(func=cmd_round_sign_off)


# --- programs -------------------------------------------------------------------------------------
def _money(v: int | None) -> str:
    return "—" if v is None else f"{v:,}"


def program_json(p: ProgramInfo) -> dict[str, Any]:
    from .common import to_jsonable

    return to_jsonable(p)


def program_text(p: ProgramInfo) -> str:
    s = p.settings or {}
    lines = [str(msg("cli.program_head", "Program {program} — {name}", program=p.code, name=p.name_ko))
             + (" " + str(msg("cli.marker_current", "(current)")) if p.current else "")
             + (" " + str(msg("cli.marker_archived", "(archived)")) if p.archived else "")]
    if p.name_en:
        lines.append(f"  {p.name_en}")
    office = (p.office_ko or "—") + (f" ({p.office_en})" if p.office_en else "")
    version = (msg("cli.program_version", "version {version}", version=p.version[:12]) if p.version else
               msg("cli.program_no_version", "made before program files"))
    lines.append("  " + str(msg("cli.program_office", "office: {office}; intake: {intake}; {version}", office=office,
                                intake=p.intake, version=version)))
    method = s.get("method", "mean")
    ranking = dict(method=method, count=s.get("trim_min_evaluators", 5),
                   threshold=s.get("disagreement_threshold", 20), ties=", ".join(s.get("tie_breaks") or ()))
    lines.append("  " + str(msg("cli.program_ranking_trimmed", "ranking: {method} (from {count} "
                                "{count:evaluation|evaluations}); disagreement above {threshold:g} "
                                "{threshold:point|points}; ties: {ties}", **ranking)
                            if method == "trimmed" else
                            msg("cli.program_ranking", "ranking: {method}; disagreement above {threshold:g} "
                                "{threshold:point|points}; ties: {ties}", **ranking)))
    lines.append("")
    lines.append(table([[t.code, t.name_ko, t.quota, t.reserve_size, _money(t.budget),
                         "rubric's" if t.min_score is None else f"{t.min_score:g}",
                         f"{t.rubric_code} ({t.rubric_hash[:12]})", t.applications] for t in p.tracks],
                       ["track", "name", "quota", "reserves", "budget (won)", "minimum", "rubric (version)",
                        "applications"]))
    lines.append("")
    lines.append(rounds_table(p.rounds))
    lines.append("")
    lines.append(str(msg("cli.program_categories", "categories: {categories}",
                         categories=", ".join(f"{c.name_ko} ({c.code})" for c in p.categories))))
    if p.fields:
        required, personal = msg("cli.field_required", "required"), msg("cli.field_personal", "personal")
        lines.append(str(msg("cli.program_fields", "fields: {fields}", fields="; ".join(
            f"{f.label_ko} {f.key} ({f.type}" + (f": {', '.join(f.values)}" if f.values else "")
            + (f", {required}" if f.required else "") + (f", {personal}" if f.personal else "") + ")"
            for f in p.fields))))
    return "\n".join(lines)


def rounds_table(rounds: tuple[RoundInfo, ...] | list[RoundInfo]) -> str:
    rows = []
    for r in rounds:
        window = f"{r.opens_on or '…'} – {r.closes_on or '…'}"
        status = r.status.replace("_", " ") + (" (current)" if r.current else "")
        rows.append([r.code, r.name_ko, window, status, r.applications,
                     " / ".join(f"{t.track} {t.quota}" for t in r.tracks),
                     " / ".join(f"{t.track} {_money(t.available)}" for t in r.tracks),
                     " / ".join(f"{t.track} {_money(t.awarded)}" for t in r.tracks) if r.signed_off else ""])
    return table(rows, ["round", "name", "window", "status", "applications", "quota", "budget available (won)",
                        "awarded (won)"])


def cmd_program_create(ctx: CliContext) -> int:
    store = ctx.store()
    info = store.programs.create_from_file(ctx.args.file).value
    text = msg("cli.program_created", "Created program '{program}' ({name}) from {file}, version {version}: {tracks} "
               "{tracks:track|tracks}, {rounds} {rounds:round|rounds}, {categories} {categories:category|categories}, "
               "{fields} typed {fields:field|fields}. It is now the current program.",
               program=info.code, name=info.name_ko, file=Path(ctx.args.file).name, version=info.version[:12],
               tracks=len(info.tracks), rounds=len(info.rounds), categories=len(info.categories),
               fields=len(info.fields))
    ctx.out(program_json(info), text)
    return 0


def cmd_program_list(ctx: CliContext) -> int:
    rows = ctx.store().programs.list()
    text = table([[("* " if p.current else "  ") + p.code, p.name_ko, p.intake, len(p.rounds), p.applications,
                   "archived" if p.archived else p.status] for p in rows],
                 ["program", "name", "intake", "rounds", "applications", "status"])
    text += "\n" + str(msg("cli.program_current_marker", "(* the current program)") if rows else
                       msg("cli.programs_none", "No programs yet: 'evaluator program create FILE'."))
    ctx.out([program_json(p) for p in rows], text)
    return 0


def cmd_program_show(ctx: CliContext) -> int:
    info = ctx.store().programs.get(ctx.args.code)
    ctx.out(program_json(info), program_text(info))
    return 0


def cmd_program_update(ctx: CliContext) -> int:
    store = ctx.store()
    result = store.programs.update_from_file(ctx.args.file, dry_run=ctx.args.dry_run).value
    name = Path(ctx.args.file).name
    n, r = len(result.changes), len(result.refused)
    if result.dry_run:
        head = (msg("cli.program_would_change_one", "{file}: program '{program}' would change in 1 way", file=name,
                    program=result.code) if n == 1 else
                msg("cli.program_would_change", "{file}: program '{program}' would change in {count} {count:way|ways}",
                    file=name,
                    program=result.code, count=n))
        refused = ("; " + str(msg("cli.program_refused_one", "1 change is refused") if r == 1 else
                              msg("cli.program_refused", "{count} changes are refused", count=r))) if r else ""
        lines = [f"{head}{refused}:"]
    elif result.applied:
        lines = [str(msg("cli.program_updated", "{file}: updated program '{program}' to version {version}:", file=name,
                         program=result.code, version=result.version[:12]))]
    else:
        lines = [str(msg("cli.program_unchanged", "{file}: program '{program}' already matches this file; nothing "
                         "changed.", file=name, program=result.code))]
    lines += [f"  - {c}" for c in result.changes]
    lines += ["  " + str(msg("cli.program_change_refused", "REFUSED {change}", change=r)) for r in result.refused]
    if result.dry_run:
        lines.append(str(msg("cli.dry_run", "Dry run: nothing was written.")))
    ctx.out(result, "\n".join(lines))
    return 2 if result.refused else 0


def cmd_program_use(ctx: CliContext) -> int:
    info = ctx.store().programs.use(ctx.args.code).value
    ctx.out(program_json(info), msg("cli.program_used", "The current program is now '{program}' ({name}).",
                                    program=info.code, name=info.name_ko))
    return 0


def cmd_program_archive(ctx: CliContext) -> int:
    info = ctx.store().programs.archive(ctx.args.code).value
    ctx.out(program_json(info), msg("cli.program_archived", "Archived program '{program}'; it stays in the database "
                                    "(read it with --program {program}).", program=info.code))
    return 0


def cmd_program_check(ctx: CliContext) -> int:
    from ..programfile import load_program_file

    pd = load_program_file(ctx.args.file)
    doc = {"code": pd.code, "version": pd.version, "content_hash": pd.content_hash, "intake": pd.intake,
           "tracks": [{"code": t.code, "rubric": t.rubric_file, "rubric_version": t.rubric.version, "quota": t.quota,
                       "reserve": t.reserve_size, "budget": t.budget, "min_score": t.min_score} for t in pd.tracks],
           "rounds": [{"code": r.code, "opens_on": r.opens_on, "closes_on": r.closes_on} for r in pd.rounds],
           "categories": [c.code for c in pd.categories], "fields": [f.key for f in pd.fields],
           "ranking": pd.ranking}
    text = str(msg("cli.program_valid", "{file}: program '{program}' is valid — version {version}, {count} "
                   "{count:track|tracks} ({tracks}), {rounds} {rounds:round|rounds}, {categories} "
                   "{categories:category|categories}, {fields} typed {fields:field|fields}.", file=ctx.args.file,
                   program=pd.code, version=pd.version, count=len(pd.tracks),
                   tracks=", ".join(str(msg("cli.program_track_rubric", "{track}: rubric {rubric} {version}",
                                            track=t.code, rubric=t.rubric.code, version=t.rubric.version))
                                    for t in pd.tracks),
                   rounds=len(pd.rounds), categories=len(pd.categories), fields=len(pd.fields)))
    if pd.rules:  # its eligibility gates and support amount rule (docs/rules.md)
        text += "\n" + "\n".join(f"  {line}" for line in pd.rules.describe())
    ctx.out(doc, text)
    return 0


def cmd_program_examples(ctx: CliContext) -> int:
    from ..paths import resource

    out = Path(ctx.args.out)
    written = []
    for folder, pattern in (("programs", "*.toml"), ("rubrics", "*.toml"), ("examples", "*.xlsx")):
        src = resource("programs", "examples") if folder == "examples" else resource(folder)
        (out / folder).mkdir(parents=True, exist_ok=True)
        for f in sorted(src.glob(pattern)):
            target = out / folder / f.name
            if not target.exists():
                shutil.copyfile(f, target)
                written.append(str(target))
    ctx.out({"folder": str(out), "written": written},
            msg("cli.examples_written", "Wrote {count} example files to {folder}: programs/ (program files), rubrics/ "
                "(rubric files the programs name, ../rubrics/…), examples/ (fictional intake and evaluator sheets). "
                "Files already there were kept.", count=len(written), folder=str(out)))
    return 0


# --- rounds ---------------------------------------------------------------------------------------
def cmd_round_list(ctx: CliContext) -> int:
    store = ctx.store()
    rounds = store.rounds.list()
    program = store.programs.get()
    head = msg("cli.rounds_of", "Rounds of program '{program}' ({intake} intake):", program=program.code,
               intake=program.intake)
    ctx.out(rounds, f"{head}\n{rounds_table(rounds)}")
    return 0


def cmd_round_status(ctx: CliContext) -> int:
    store = ctx.store()
    r = (store.rounds.open if ctx.args.action == "open" else store.rounds.close)(ctx.args.code).value
    ctx.out(r, msg("cli.round_status", "Round {round} ({name}) is {status}.", round=r.code, name=r.name_ko,
                   status=r.status.replace("_", " ")))
    return 0


def cmd_round_sign_off(ctx: CliContext) -> int:
    store = ctx.store()
    if store.is_field or store.keys.identity(key_dir=getattr(ctx.args, "key_dir", None)) is None:
        passphrase = None  # the core says why no sign-off can happen here (a laptop's) or without the office key
    else:
        passphrase = read_passphrase(ctx.args, prompt=msg("cli.prompt_office_key", "Office key passphrase: "))
    a = ctx.args
    if not a.by.strip():
        raise ValidationError(msg("cli.sign_off_by", "A sign-off names who signed it (--by NAME)."))
    r = store.rounds.sign_off(a.code, by=a.by, note=a.note, passphrase=passphrase,
                              key_dir=getattr(a, "key_dir", None), progress=ctx.progress(msg("cli.progress_sign_off", "Signing off"))).value
    lines = [str(msg("cli.round_signed_off", "Round {round} ({name}) of program '{program}' is signed off by {by} on "
                     "{at}; its decisions of record are frozen and the audit trail's head is signed with the office "
                     "key.", round=r.code, name=r.name_ko, program=store.programs.get().code, by=r.signed_off_by,
                     at=r.signed_off_at.strftime("%Y-%m-%d %H:%M")))]
    for t in r.tracks:
        lines.append("  " + str(msg("cli.round_track_awarded_of", "{track}: {count} {count:application|applications}, "
                                    "awarded {awarded} won of {available} available",
                                    track=t.track, count=t.applications,
                                    awarded=_money(t.awarded), available=_money(t.available))
                                if t.available is not None else
                                msg("cli.round_track_awarded", "{track}: {count} {count:application|applications}, "
                                    "awarded {awarded} won",
                                    track=t.track, count=t.applications, awarded=_money(t.awarded))))
    ctx.out(r, "\n".join(lines))
    return 0
