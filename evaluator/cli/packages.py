"""CLI verbs for keys, field kits, result packages and merges (registered by :func:`register`).

    evaluator keys [init|show|export-public FILE|register EVALUATOR FILE [--fingerprint FP]]
    evaluator kit export --evaluator ID --out FILE [--include-personal]
    evaluator kit import FILE [--office-fingerprint FP]          (--db names the field database)
    evaluator package export --out FILE
    evaluator merge FILE…
    evaluator packages [--verify]
    evaluator conflicts [--all] | conflicts resolve ID --take kept|other [--reason TEXT]

Passphrases come from --passphrase-file FILE, $EVALUATOR_PASSPHRASE, or a terminal prompt.
"""

from __future__ import annotations

import argparse
import sys

from ..packages.results import MERGED
from .common import CliContext, database_passphrase, read_passphrase, table


def _key_options() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--key-dir", metavar="DIR", default=argparse.SUPPRESS,
                   help="folder of key files (default: keys/ in the user data directory)")
    p.add_argument("--passphrase-file", metavar="FILE", default=argparse.SUPPRESS,
                   help="read the key's passphrase from FILE (else $EVALUATOR_PASSPHRASE or a prompt)")
    return p


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add this area's commands to the `evaluator` parser."""
    keyopts = _key_options()
    parents = [common, keyopts]

    p = sub.add_parser("keys", parents=parents, help="this database's key: create, show, export; register evaluators'",
                       description="Without an action: show this database's public key and fingerprint.")
    p.set_defaults(func=cmd_keys_show)
    ks = p.add_subparsers(dest="keys_command", metavar="ACTION")
    k = ks.add_parser("init", parents=parents, help="create (or unlock) this database's key pair")
    k.set_defaults(func=cmd_keys_init)
    k = ks.add_parser("show", parents=parents, help="show the public key and its fingerprint")
    k.set_defaults(func=cmd_keys_show)
    k = ks.add_parser("export-public", parents=parents, help="write the public key to FILE (to give to the office)")
    k.add_argument("file", metavar="FILE")
    k.set_defaults(func=cmd_keys_export)
    k = ks.add_parser("register", parents=parents,
                      help="office: pin an evaluator's public key (from a key file or their first package)")
    k.add_argument("evaluator", metavar="EVALUATOR")
    k.add_argument("file", metavar="FILE", help="public key file, or the evaluator's result package")
    k.add_argument("--fingerprint", metavar="FP",
                   help="the fingerprint the evaluator read to you (required when FILE is a package)")
    k.set_defaults(func=cmd_keys_register)

    p = sub.add_parser("kit", parents=[common], help="field kits: export (office) and import (laptop)")
    kt = p.add_subparsers(dest="kit_command", metavar="ACTION")
    kt.required = True
    k = kt.add_parser("export", parents=[common], help="write one evaluator's field kit")
    k.add_argument("--evaluator", required=True, metavar="ID")
    k.add_argument("--out", required=True, metavar="FILE")
    k.add_argument("--include-personal", action="store_true",
                   help="include applicants' contact data (representative, phone, email, address)")
    k.set_defaults(func=cmd_kit_export)
    k = kt.add_parser("import", parents=[common], help="create or update the field database (--db) from a kit")
    k.add_argument("file", metavar="FILE")
    k.add_argument("--office-fingerprint", metavar="FP", help="refuse the kit unless the office key has this fingerprint")
    k.add_argument("--no-encrypt", action="store_true",
                   help="keep the field database unencrypted (by default it is encrypted with a passphrase taken "
                        "from EVALUATOR_DB_PASSPHRASE or asked on the terminal)")
    k.set_defaults(func=cmd_kit_import)

    p = sub.add_parser("package", parents=[common], help="result packages (laptop)")
    pk = p.add_subparsers(dest="package_command", metavar="ACTION")
    pk.required = True
    k = pk.add_parser("export", parents=parents, help="write a signed, encrypted result package")
    k.add_argument("--out", required=True, metavar="FILE")
    k.set_defaults(func=cmd_package_export)

    p = sub.add_parser("merge", parents=parents, help="verify and merge result packages (office)")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(func=cmd_merge)

    p = sub.add_parser("packages", parents=[common], help="result packages merged into this office database")
    p.add_argument("--verify", action="store_true",
                   help="check each again: signature, hashes and the laptop's audit chain (exit 5 if one fails)")
    p.set_defaults(func=cmd_packages)

    p = sub.add_parser("conflicts", parents=[common], help="conflicts found by merges; resolve one")
    p.add_argument("--all", action="store_true", help="also list resolved conflicts")
    p.set_defaults(func=cmd_conflicts)
    cs = p.add_subparsers(dest="conflicts_command", metavar="ACTION")
    c = cs.add_parser("resolve", parents=[common], help="keep the rule's choice or take the other value")
    c.add_argument("id", type=int, metavar="ID")
    c.add_argument("--take", choices=("kept", "other"), required=True)
    c.add_argument("--reason", default="", help="why (goes into the audit trail)")
    c.set_defaults(func=cmd_conflicts_resolve)


def _key_dir(ctx: CliContext):
    return getattr(ctx.args, "key_dir", None)


def _key_text(info) -> str:
    from ..packages.keys import b64

    who = "office" if info.owner == "office" else f"evaluator {info.owner}"
    lines = [f"Key of the {who}", f"  fingerprint:           {info.fingerprint}",
             f"  signing public key:    {b64(info.signing_public)} (Ed25519)"]
    if info.encryption_public:
        lines.append(f"  encryption public key: {b64(info.encryption_public)} (X25519)")
    if info.path:
        lines.append(f"  key file:              {info.path}")
    return "\n".join(lines)


def cmd_keys_init(ctx: CliContext) -> int:
    store = ctx.store()
    existing = store.identity(key_dir=_key_dir(ctx))
    passphrase = read_passphrase(ctx.args, confirm=existing is None)
    info = store.ensure_identity(passphrase, key_dir=_key_dir(ctx))
    verb = "Unlocked the existing" if existing is not None else "Created a new"
    ctx.out(info.as_dict(), f"{verb} key pair.\n{_key_text(info)}\nRead the fingerprint aloud to confirm it.")
    return 0


def cmd_keys_show(ctx: CliContext) -> int:
    info = ctx.store().identity(key_dir=_key_dir(ctx))
    if info is None:
        ctx.out({"key": None}, "This database has no key yet; create it with 'evaluator keys init'.")
        return 4
    ctx.out(info.as_dict(), _key_text(info))
    return 0


def cmd_keys_export(ctx: CliContext) -> int:
    info = ctx.store().export_public_key(ctx.args.file, key_dir=_key_dir(ctx))
    ctx.out(info.as_dict(), f"Wrote the public key of {info.owner} ({info.fingerprint}) to {ctx.args.file}.")
    return 0


def cmd_keys_register(ctx: CliContext) -> int:
    from ..packages.envelope import MAGIC

    a = ctx.args
    store = ctx.store()
    passphrase = None
    try:
        with open(a.file, "rb") as fh:
            is_package = fh.read(len(MAGIC)) == MAGIC
    except OSError:
        is_package = False
    if is_package:
        passphrase = read_passphrase(a, prompt="Office key passphrase: ")
    info = store.register_evaluator_key(a.evaluator, a.file, a.fingerprint, passphrase=passphrase,
                                        key_dir=_key_dir(ctx))
    ctx.out(info.as_dict(), f"Registered the key {info.fingerprint} for evaluator {a.evaluator}.")
    return 0


def cmd_kit_export(ctx: CliContext) -> int:
    a = ctx.args
    info = ctx.store().export_kit(a.evaluator, a.out, include_personal=a.include_personal)
    personal = "with" if info.include_personal else "without"
    ctx.out(info, f"Wrote kit {info.sequence} for {info.evaluator} to {info.path}: {len(info.applications)} "
                  f"applications, {personal} contact data. Office key fingerprint: {info.office_fingerprint}.")
    return 0


def cmd_kit_import(ctx: CliContext) -> int:
    from ..packages.kit import import_kit, read_kit

    a = ctx.args
    read_kit(a.file)  # a damaged or missing kit is reported before anyone is asked for a passphrase
    passphrase = None if a.no_encrypt else database_passphrase(ctx.db, creating=True)
    info = import_kit(a.file, ctx.db, expected_office_fingerprint=a.office_fingerprint, passphrase=passphrase)
    what = {"created": "Created the field database", "updated": "Updated the field database",
            "unchanged": "Already imported; nothing changed in"}[info.status]
    locked = "encrypted" if passphrase is not None else "NOT encrypted"
    ctx.out(info, f"{what} {info.database} ({locked}) from kit {info.sequence} for {info.evaluator}: "
                  f"{len(info.applications)} applications.\nOffice key fingerprint: {info.office_fingerprint} — "
                  "check it with the office before sending results.")
    return 0


def cmd_package_export(ctx: CliContext) -> int:
    store = ctx.store()
    first_use = store.is_field and store.kit_info() is not None and store.identity(key_dir=_key_dir(ctx)) is None
    passphrase = read_passphrase(ctx.args, confirm=first_use)
    info = store.export_package(ctx.args.out, passphrase=passphrase, key_dir=_key_dir(ctx))
    ctx.out(info, f"Wrote result package {info.sequence} of {info.evaluator} to {info.path}: {info.evaluations} "
                  f"evaluations ({info.finalised} finalised), {info.scores} scores, {info.site_visits} site visits, "
                  f"{info.attachments} photos.\nPackage fingerprint: {info.fingerprint} (signed by key "
                  f"{info.signer_fingerprint}).")
    if not info.evaluations:
        print("warning: this package holds no evaluations yet — score the assigned applications in the app "
              "(or type paper sheets in with 'evaluator import scores') before handing it back.", file=sys.stderr)
    return 0


def cmd_merge(ctx: CliContext) -> int:
    store = ctx.store()
    passphrase = read_passphrase(ctx.args, prompt="Office key passphrase: ")
    reports = store.merge_packages(ctx.args.files, passphrase=passphrase, key_dir=_key_dir(ctx),
                                   progress=ctx.progress("Merging"))
    lines = []
    for r in reports:
        lines.append(r.summary())
        for c in r.conflicts:
            lines.append(f"  conflict {c.id}: {c.record} of {c.application_id} — kept the {c.kept_from} value "
                         f"({c.rule}); see 'evaluator conflicts'")
        for sk in r.skipped:
            lines.append(f"  skipped: {sk}")
    refused = sum(1 for r in reports if r.rejected)
    merged = sum(1 for r in reports if r.status == MERGED)
    if len(reports) > 1 or refused:
        lines.append(f"{len(reports)} packages: {merged} merged, {len(reports) - merged - refused} unchanged, "
                     f"{refused} refused" + (" (each refused package changed nothing; the others are merged)"
                                             if refused and merged else ""))
    ctx.out({"packages": reports, "ok": not refused, "merged": merged, "unchanged": len(reports) - merged - refused,
             "refused": refused}, "\n".join(lines))
    # some refused (whatever the others did): 2, like any input refused; the lines say which
    return 2 if refused else 0


def cmd_packages(ctx: CliContext) -> int:
    store = ctx.store()
    if ctx.args.verify:
        checks = store.verify_package_evidence()
        text = table([[c.evaluator, c.sequence, c.device[:8], c.fingerprint, c.audit_entries,
                       "ok" if c.ok else f"FAILED: {c.problem}"] for c in checks],
                     ["evaluator", "#", "laptop", "package", "audit entries", "check"])
        bad = [c for c in checks if not c.ok]
        ctx.out({"ok": not bad, "packages": checks},
                text + f"\nChecked {len(checks)} merged packages: {len(checks) - len(bad)} intact, {len(bad)} failed.")
        return 5 if bad else 0
    rows = store.merged_packages()
    text = table([[r.evaluator, r.sequence, r.device[:8], r.fingerprint, f"{r.merged_at:%Y-%m-%d %H:%M}",
                   r.report.get("conflicts", 0)] for r in rows],
                 ["evaluator", "#", "laptop", "package", "merged", "conflicts"])
    ctx.out(rows, text + f"\n{len(rows)} packages merged")
    return 0


def _values_text(values: dict) -> str:
    if "scores" in values:
        scores = ", ".join(f"{k}={v.get('level') or v.get('points')}" for k, v in values["scores"].items())
        return f"{values.get('state')}{' (abstained)' if values.get('abstained') else ''}: {scores}"
    return f"visited {values.get('visited_at')}, {values.get('attendees')}"


def cmd_conflicts(ctx: CliContext) -> int:
    rows = ctx.store().merge_conflicts(open_only=not ctx.args.all)
    text = table([[c.id, c.application_id, c.evaluator, c.record, f"{c.kept.device[:8]} {_values_text(c.kept.values)}",
                   f"{c.other.device[:8]} {_values_text(c.other.values)}", c.resolution or "open"] for c in rows],
                 ["ID", "application", "evaluator", "record", "kept", "other", "resolution"])
    ctx.out(rows, text + f"\n{len(rows)} conflicts")
    return 0


def cmd_conflicts_resolve(ctx: CliContext) -> int:
    a = ctx.args
    c = ctx.store().resolve_conflict(a.id, take=a.take, reason=a.reason)
    ctx.out(c, f"Conflict {c.id} ({c.record} of {c.application_id} by {c.evaluator}) resolved: took the {a.take} "
               "value.")
    return 0
