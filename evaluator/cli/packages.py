"""CLI verbs for keys, field kits, result packages and merges (registered by :func:`register`).

    evaluator keys [init|show|export-public FILE|register EVALUATOR FILE [--fingerprint FP]|use FILE]
    evaluator kit export --evaluator ID --out FILE [--include-personal [--kit-passphrase-file FILE]]
                                                  (+ the office key: the audit trail's head is anchored)
    evaluator kit import FILE [--office-fingerprint FP] [--kit-passphrase-file FILE]   (--db: the field database)
    evaluator kit field-database --evaluator ID --out FILE       (office: kit + new field database)
    evaluator kit receipt --evaluator ID --out FILE               (office: signed word that the last package is merged)
    evaluator kit retire --receipt FILE                           (laptop: destroy the field database after the merge)
    evaluator package export --out FILE
    evaluator merge FILE…
    evaluator packages [--verify]
    evaluator conflicts [--all] | conflicts resolve ID --take kept|other [--reason TEXT]

Passphrases come from --passphrase-file FILE, $EVALUATOR_PASSPHRASE, or a terminal prompt (kit
export never prompts for the office key: it is optional there); a kit passphrase (a kit with contact
data for an evaluator without a registered key) from --kit-passphrase-file FILE,
$EVALUATOR_KIT_PASSPHRASE, or a terminal prompt.
"""

from __future__ import annotations

import argparse
import os
import sys

from ..messages import msg
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
    k = ks.add_parser("use", parents=parents,
                      help="office: use the office key in FILE for this database too (sharing a key on purpose)")
    k.add_argument("file", metavar="FILE", help="the office key file (its passphrase proves it is yours)")
    k.set_defaults(func=cmd_keys_use)

    p = sub.add_parser("kit", parents=[common], help="field kits: export (office) and import (laptop)")
    kt = p.add_subparsers(dest="kit_command", metavar="ACTION")
    kt.required = True
    k = kt.add_parser("export", parents=parents, help="write one evaluator's field kit")
    k.add_argument("--evaluator", required=True, metavar="ID")
    k.add_argument("--out", required=True, metavar="FILE")
    k.add_argument("--include-personal", action="store_true",
                   help="include applicants' contact data (representative, phone, email, address); the kit is "
                        "then encrypted to the evaluator's registered key, or with a kit passphrase")
    k.add_argument("--kit-passphrase-file", metavar="FILE",
                   help="encrypt a kit with contact data with the passphrase in FILE (else $EVALUATOR_KIT_PASSPHRASE; "
                        "needed when the evaluator has no registered key); tell it to the evaluator in person")
    k.add_argument("--reason", help="why the kit carries contact data (kept in the access log; default: the "
                                    "evaluator's field visits)")
    k.set_defaults(func=cmd_kit_export)
    k = kt.add_parser("import", parents=[common, keyopts],
                      help="create or update the field database (--db) from a kit")
    k.add_argument("file", metavar="FILE")
    k.add_argument("--office-fingerprint", metavar="FP", help="refuse the kit unless the office key has this fingerprint")
    k.add_argument("--kit-passphrase-file", metavar="FILE",
                   help="the passphrase the office set on a kit with contact data (else $EVALUATOR_KIT_PASSPHRASE "
                        "or a prompt); a kit encrypted to your key asks for your key's passphrase instead")
    k.add_argument("--no-encrypt", action="store_true",
                   help="keep the field database unencrypted (by default it is encrypted with a passphrase taken "
                        "from EVALUATOR_DB_PASSPHRASE or asked on the terminal)")
    k.set_defaults(func=cmd_kit_import, select_program=False)
    k = kt.add_parser("field-database", parents=parents,
                      help="office: make a ready field database for one evaluator's laptop (kit export + import)")
    k.add_argument("--evaluator", required=True, metavar="ID")
    k.add_argument("--out", required=True, metavar="FILE", help="the new field database (.sqlite3)")
    k.add_argument("--include-personal", action="store_true",
                   help="include applicants' contact data (representative, phone, email, address)")
    k.add_argument("--reason", help="why the kit carries contact data (kept in the access log)")
    k.add_argument("--no-encrypt", action="store_true",
                   help="keep the field database unencrypted (by default it is encrypted with a passphrase taken "
                        "from EVALUATOR_DB_PASSPHRASE or asked on the terminal)")
    k.set_defaults(func=cmd_kit_field_database)
    k = kt.add_parser("receipt", parents=parents,
                      help="office: a signed receipt for the last package merged from an evaluator's laptop")
    k.add_argument("--evaluator", required=True, metavar="ID")
    k.add_argument("--out", required=True, metavar="FILE")
    k.set_defaults(func=cmd_kit_receipt)
    k = kt.add_parser("retire", parents=[common],
                      help="laptop: destroy this field database, its WAL and backups, once the office's receipt "
                           "confirms the merge")
    k.add_argument("--receipt", required=True, metavar="FILE", help="the receipt the office gave back")
    k.set_defaults(func=cmd_kit_retire)

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

    lines = [str(msg("cli.key_of_office", "Key of the office") if info.owner == "office" else
                 msg("cli.key_of_evaluator", "Key of the evaluator {evaluator}", evaluator=info.owner)),
             "  " + str(msg("cli.key_fingerprint", "fingerprint:           {fingerprint}", fingerprint=info.fingerprint)),
             "  " + str(msg("cli.key_signing", "signing public key:    {key} (Ed25519)", key=b64(info.signing_public)))]
    if info.encryption_public:
        lines.append("  " + str(msg("cli.key_encryption", "encryption public key: {key} (X25519)",
                                    key=b64(info.encryption_public))))
    if info.path:
        lines.append("  " + str(msg("cli.key_file", "key file:              {path}", path=info.path)))
    return "\n".join(lines)


def cmd_keys_init(ctx: CliContext) -> int:
    store = ctx.store()
    existing = store.keys.identity(key_dir=_key_dir(ctx))
    passphrase = read_passphrase(ctx.args, confirm=existing is None)
    info = store.keys.ensure(passphrase, key_dir=_key_dir(ctx)).value
    head = (msg("cli.key_unlocked", "Unlocked this database's key pair.") if existing is not None else
            msg("cli.key_created", "Created a new key pair."))
    tail = msg("cli.key_read_aloud", "Read the fingerprint aloud to confirm it.")
    ctx.out(info.as_dict(), f"{head}\n{_key_text(info)}\n{tail}")
    return 0


def cmd_keys_show(ctx: CliContext) -> int:
    info = ctx.store().keys.identity(key_dir=_key_dir(ctx))
    if info is None:
        ctx.out({"key": None}, msg("cli.key_none", "This database has no key yet; create it with 'evaluator keys init'."))
        return 4
    ctx.out(info.as_dict(), _key_text(info))
    return 0


def cmd_keys_export(ctx: CliContext) -> int:
    info = ctx.store().keys.export_public(ctx.args.file, key_dir=_key_dir(ctx))
    ctx.out(info.as_dict(), msg("cli.key_exported", "Wrote the public key of {owner} ({fingerprint}) to {file}.",
                                owner=info.owner, fingerprint=info.fingerprint, file=ctx.args.file))
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
        passphrase = read_passphrase(a, prompt=msg("cli.prompt_office_key", "Office key passphrase: "))
    info = store.keys.register_evaluator(a.evaluator, a.file, a.fingerprint, passphrase=passphrase,
                                         key_dir=_key_dir(ctx)).value
    ctx.out(info.as_dict(), msg("cli.key_registered", "Registered the key {fingerprint} for evaluator {evaluator}.",
                                fingerprint=info.fingerprint, evaluator=a.evaluator))
    return 0


def cmd_keys_use(ctx: CliContext) -> int:
    store = ctx.store()
    passphrase = read_passphrase(ctx.args, prompt=msg("cli.prompt_that_office_key", "Passphrase of that office key: "))
    info = store.keys.use(ctx.args.file, passphrase, key_dir=_key_dir(ctx)).value
    head = msg("cli.key_used", "This database now uses the office key {fingerprint} (shared on purpose; kept as "
               "{path}).", fingerprint=info.fingerprint, path=info.path)
    ctx.out(info.as_dict(), f"{head}\n{_key_text(info)}")
    return 0


def cmd_kit_receipt(ctx: CliContext) -> int:
    a = ctx.args
    store = ctx.store()
    passphrase = read_passphrase(a, prompt=msg("cli.prompt_office_key", "Office key passphrase: "))
    r = store.privacy.merge_receipt(a.evaluator, a.out, passphrase=passphrase, key_dir=_key_dir(ctx))
    ctx.out({"path": a.out, "evaluator": r.evaluator, "device": r.device, "sequence": r.sequence,
             "package_sha256": r.package_sha256},
            msg("cli.receipt_written", "Wrote the merge receipt for package {sequence} of {evaluator}'s laptop {device} "
                "to {path}, signed with the office key. Give it to the evaluator: with it, 'evaluator kit retire' "
                "destroys the laptop's field database.", sequence=r.sequence, evaluator=r.evaluator,
                device=r.device[:8], path=a.out))
    return 0


def cmd_kit_retire(ctx: CliContext) -> int:
    from ..workflows import retire_field_database

    store = ctx.store()
    done = retire_field_database(store, ctx.args.receipt)
    ctx.close()  # (already closed by the workflow)
    lines = [str(msg("cli.kit_retired", "Destroyed the field database of {evaluator} (package {sequence} is merged at "
                     "the office):", evaluator=done.evaluator, sequence=done.sequence))]
    lines += [f"  {f}" for f in done.files]
    lines.append(str(msg("cli.kit_retired_record", "Recorded in {record}.", record=done.record)))
    ctx.out({"evaluator": done.evaluator, "device": done.device, "package": done.sequence, "files": list(done.files),
             "record": done.record}, "\n".join(lines))
    return 0


def cmd_kit_export(ctx: CliContext) -> int:
    from ..errors import ValidationError
    from ..packages.kitseal import KitPassphraseNeeded

    a = ctx.args
    kit_passphrase = read_kit_passphrase(a, ask=False)
    if kit_passphrase is not None and not a.include_personal:
        raise ValidationError(msg("cli.kit_passphrase_without_personal", "A kit passphrase protects a kit with contact "
                                  "data: add --include-personal, or leave the passphrase out (a kit without contact "
                                  "data is not encrypted). Nothing was written."))
    store = ctx.store()
    # a kit is not signed, so the office key is optional here; given its passphrase (file or
    # $EVALUATOR_PASSPHRASE, never a prompt) the export also signs the audit trail's head (an anchor)
    signing = False
    explicit = getattr(a, "passphrase_file", None) is not None
    if explicit or os.environ.get("EVALUATOR_PASSPHRASE") is not None:
        from ..packages.errors import KeyProblem

        try:
            office_key = read_passphrase(a, prompt=msg("cli.prompt_office_key", "Office key passphrase: "))
            store.keys.unlock(office_key, key_dir=_key_dir(ctx))
            signing = True
        except KeyProblem:
            if explicit:  # asked for by name: say why it cannot be done
                raise
            # only the environment's passphrase, for another key: the kit is written unsigned as usual
    progress = ctx.progress(msg("cli.progress_kit", "Writing the kit"))
    try:
        info = store.packages.export_kit(a.evaluator, a.out, include_personal=a.include_personal,
                                         kit_passphrase=kit_passphrase, reason=a.reason, progress=progress).value
    except KitPassphraseNeeded:
        if not sys.stdin.isatty():
            raise
        kit_passphrase = read_kit_passphrase(a, ask=True, confirm=True)
        info = store.packages.export_kit(a.evaluator, a.out, include_personal=a.include_personal,
                                         kit_passphrase=kit_passphrase, reason=a.reason, progress=progress).value
    params = dict(sequence=info.sequence, evaluator=info.evaluator, path=info.path, count=len(info.applications),
                  fingerprint=info.office_fingerprint)
    head = (msg("cli.kit_written_personal", "Wrote kit {sequence} for {evaluator} to {path}: {count} "
                "{count:application|applications}, with contact data, {protection}. Office key fingerprint: "
                "{fingerprint}.", protection=info.protection,
                **params) if info.include_personal else
            msg("cli.kit_written", "Wrote kit {sequence} for {evaluator} to {path}: {count} "
                "{count:application|applications}, without contact data. Office key fingerprint: {fingerprint}.",
                **params))
    anchor = (msg("cli.kit_signed", "The audit trail's head is signed with the office key.") if signing else
              msg("cli.kit_not_signed", "The audit trail's head was not signed (give --passphrase-file to sign it "
                  "with the office key)."))
    text = f"{head}\n{anchor}"
    if kit_passphrase is not None:
        text += "\n" + str(msg("cli.kit_tell_passphrase", "Tell {evaluator} the kit passphrase in person or by phone — "
                               "never with the kit, by the same mail or on the same stick.", evaluator=info.evaluator))
    ctx.out(info, text)
    return 0


def read_kit_passphrase(args: argparse.Namespace, *, ask: bool, confirm: bool = False) -> str | None:
    """The kit passphrase from --kit-passphrase-file, then EVALUATOR_KIT_PASSPHRASE, then (with
    ``ask``, on a terminal) a prompt; None when there is none."""
    import os
    from pathlib import Path

    from ..errors import EvaluatorError

    path = getattr(args, "kit_passphrase_file", None)
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").rstrip("\r\n")
        except (OSError, UnicodeError) as exc:
            raise EvaluatorError(msg("cli.kit_passphrase_file_unreadable", "Cannot read the kit passphrase file {path}: "
                                     "{reason}.", path=str(path),
                                     reason=getattr(exc, "strerror", None) or str(exc))) from None
    env = os.environ.get("EVALUATOR_KIT_PASSPHRASE")
    if env:
        return env
    if ask and sys.stdin.isatty():
        import getpass

        first = getpass.getpass(str(msg("cli.prompt_kit", "Kit passphrase: ")))
        if confirm and getpass.getpass(str(msg("cli.prompt_repeat_kit", "Repeat the kit passphrase: "))) != first:
            raise EvaluatorError(msg("cli.kit_passphrases_differ", "The two kit passphrases differ; nothing was written."))
        return first
    return None


def _kit_unlock(ctx: CliContext):
    """What opens the kit ``ctx.args.file``: nothing for a plain kit; the office's kit passphrase, or
    this laptop's evaluator key and its passphrase, for an encrypted one."""
    from ..packages import kitseal
    from ..packages.keys import read_key_info
    from ..packages.kit import KitUnlock, sealed_kit

    a = ctx.args
    sealed = sealed_kit(a.file)
    if sealed is None:
        return None
    if sealed.to == kitseal.TO_PASSPHRASE:
        return KitUnlock(kit_passphrase=read_kit_passphrase(a, ask=True))
    key_dir = _key_dir(ctx)
    key_passphrase = None
    if read_key_info(key_dir, sealed.evaluator) is not None:  # no key file: read_kit says what to do
        key_passphrase = read_passphrase(a, prompt=msg("cli.prompt_your_key", "Passphrase of your key ({evaluator}): ",
                                                         evaluator=sealed.evaluator))
    return KitUnlock(key_passphrase=key_passphrase, key_dir=key_dir)


def cmd_kit_import(ctx: CliContext) -> int:
    from ..packages.kit import read_kit
    from ..workflows import import_kit

    a = ctx.args
    unlock = _kit_unlock(ctx)
    read_kit(a.file, unlock=unlock)  # a damaged, missing or locked kit is reported before the database is touched
    passphrase = None if a.no_encrypt else database_passphrase(ctx.db, creating=True)
    info = import_kit(a.file, ctx.db, expected_office_fingerprint=a.office_fingerprint, passphrase=passphrase,
                      unlock=unlock).value
    params = dict(database=info.database, sequence=info.sequence, evaluator=info.evaluator,
                  count=len(info.applications), fingerprint=info.office_fingerprint,
                  locked=msg("cli.encrypted", "encrypted") if passphrase is not None else
                  msg("cli.not_encrypted", "NOT encrypted"))
    ctx.out(info, {
        "created": msg("cli.kit_imported_created", "Created the field database {database} ({locked}) from kit "
                       "{sequence} for {evaluator}: {count} {count:application|applications}.\nOffice key fingerprint: "
                       "{fingerprint} — check it with the office before sending results.", **params),
        "updated": msg("cli.kit_imported_updated", "Updated the field database {database} ({locked}) from kit "
                       "{sequence} for {evaluator}: {count} {count:application|applications}.\nOffice key fingerprint: "
                       "{fingerprint} — check it with the office before sending results.", **params),
        "unchanged": msg("cli.kit_imported_unchanged", "Already imported; nothing changed in {database} ({locked}) "
                         "from kit {sequence} for {evaluator}: {count} {count:application|applications}.\nOffice key "
                         "fingerprint: {fingerprint} — check it with the office before sending results.", **params),
    }[info.status])
    return 0


def cmd_kit_field_database(ctx: CliContext) -> int:
    from ..workflows import make_field_database, sqlite_url

    from pathlib import Path

    from ..errors import ValidationError

    a = ctx.args
    if Path(a.out).exists():
        raise ValidationError(msg("cli.field_db_exists", "{path} already exists; choose a new file for the field "
                                  "database (nothing was changed).", path=a.out))
    store = ctx.store()
    passphrase = None if a.no_encrypt else database_passphrase(sqlite_url(a.out), creating=True)
    info = make_field_database(store, a.evaluator, a.out, db_passphrase=passphrase,
                               include_personal=a.include_personal, reason=a.reason,
                               progress=ctx.progress(msg("cli.progress_field_db", "Field database"))).value
    locked = msg("cli.encrypted", "encrypted") if passphrase is not None else msg("cli.not_encrypted", "NOT encrypted")
    ctx.out(info, msg("cli.field_db_made", "Made the field database {database} ({locked}) for {evaluator} from kit "
                      "{sequence}: {count} {count:application|applications}. Give it to the evaluator with its "
                      "passphrase, separately.",
                      database=info.database, locked=locked, evaluator=info.evaluator, sequence=info.sequence,
                      count=len(info.applications)))
    return 0


def cmd_package_export(ctx: CliContext) -> int:
    store = ctx.store()
    first_use = store.is_field and store.packages.kit_info() is not None and store.keys.identity(key_dir=_key_dir(ctx)) is None
    passphrase = read_passphrase(ctx.args, confirm=first_use)
    info = store.packages.export_package(ctx.args.out, passphrase=passphrase, key_dir=_key_dir(ctx),
                                         progress=ctx.progress(msg("cli.progress_package", "Writing the package"))).value
    written = dict(sequence=info.sequence, evaluator=info.evaluator, path=info.path, evaluations=info.evaluations,
                   finalised=info.finalised, scores=info.scores, visits=info.site_visits, photos=info.attachments,
                   fingerprint=info.fingerprint, signer=info.signer_fingerprint)
    if info.monitoring_visits or info.monitoring_photos:  # (a follow-up visitor's: said as the merge says it)
        line = msg("cli.package_written_monitoring", "Wrote result package {sequence} of {evaluator} to {path}: "
                   "{evaluations} {evaluations:evaluation|evaluations} ({finalised} finalised), {scores} "
                   "{scores:score|scores}, {visits} site {visits:visit|visits}, {photos} {photos:photo|photos}; "
                   "{monitoring_visits} monitoring {monitoring_visits:visit|visits}, {monitoring_photos} monitoring "
                   "{monitoring_photos:photo|photos}.\nPackage fingerprint: {fingerprint} (signed by key {signer}).",
                   **written, monitoring_visits=info.monitoring_visits, monitoring_photos=info.monitoring_photos)
    else:
        line = msg("cli.package_written", "Wrote result package {sequence} of {evaluator} to {path}: {evaluations} "
                   "{evaluations:evaluation|evaluations} ({finalised} finalised), {scores} {scores:score|scores}, "
                   "{visits} site {visits:visit|visits}, {photos} {photos:photo|photos}.\nPackage fingerprint: "
                   "{fingerprint} (signed by key {signer}).", **written)
    ctx.out(info, line)
    if not info.evaluations and not info.monitoring_visits:
        print(msg("cli.package_empty", "warning: this package holds no evaluations yet — score the assigned "
                  "applications in the app (or type paper sheets in with 'evaluator import scores') before handing "
                  "it back."), file=sys.stderr)
    return 0


def cmd_merge(ctx: CliContext) -> int:
    store = ctx.store()
    early = store.packages.precheck(ctx.args.files)
    if all(r is not None for r in early):  # no package among them: said without asking for the key
        reports = [r for r in early if r is not None]
    else:
        passphrase = read_passphrase(ctx.args, prompt=msg("cli.prompt_office_key", "Office key passphrase: "))
        reports = store.packages.merge(ctx.args.files, passphrase=passphrase, key_dir=_key_dir(ctx),
                                       progress=ctx.progress(msg("cli.progress_merge", "Merging"))).value
    lines = []
    for r in reports:
        lines.append(r.summary())
        if r.fingerprint and not r.rejected:  # (the laptop printed it at export: the two are compared)
            lines.append("  " + str(msg("cli.merge_fingerprint", "package fingerprint {fingerprint}",
                                        fingerprint=r.fingerprint)))
        for c in r.conflicts:
            lines.append("  " + str(msg("cli.merge_conflict", "conflict {id}: {record} of {app} — kept the {kept} "
                                        "value ({rule}); see 'evaluator conflicts'", id=c.id, record=c.record,
                                        app=c.application_id, kept=c.kept_from, rule=c.rule)))
        for sk in r.skipped:
            lines.append("  " + str(msg("cli.merge_skipped", "skipped: {what}", what=sk)))
    refused = sum(1 for r in reports if r.rejected)
    merged = sum(1 for r in reports if r.status == MERGED)
    if len(reports) > 1 or refused:
        counts = dict(count=len(reports), merged=merged, unchanged=len(reports) - merged - refused, refused=refused)
        lines.append(str(msg("cli.merge_total_partly", "{count} {count:package|packages}: {merged} merged, {unchanged} "
                             "unchanged, {refused} refused (each refused package changed nothing; the others are "
                             "merged)",
                             **counts) if refused and merged else
                         msg("cli.merge_total", "{count} {count:package|packages}: {merged} merged, {unchanged} "
                             "unchanged, {refused} refused", **counts)))
    ctx.out({"packages": reports, "ok": not refused, "merged": merged, "unchanged": len(reports) - merged - refused,
             "refused": refused}, "\n".join(lines))
    # some refused (whatever the others did): 2, like any input refused; the lines say which
    return 2 if refused else 0


def cmd_packages(ctx: CliContext) -> int:
    store = ctx.store()
    if ctx.args.verify:
        checks = store.packages.verify_evidence()
        text = table([[c.evaluator, c.sequence, c.device[:8], c.fingerprint, c.audit_entries,
                       (f"ok ({c.redacted})" if c.redacted else "ok") if c.ok else f"FAILED: {c.problem}"]
                      for c in checks],
                     ["evaluator", "#", "laptop", "package", "audit entries", "check"])
        bad = [c for c in checks if not c.ok]
        ctx.out({"ok": not bad, "packages": checks},
                text + "\n" + str(msg("cli.packages_checked", "Checked {count} merged {count:package|packages}: "
                                      "{intact} intact, {failed} failed.",
                                      count=len(checks), intact=len(checks) - len(bad),
                                      failed=len(bad))))
        return 5 if bad else 0
    rows = store.packages.merged()
    text = table([[r.evaluator, r.sequence, r.device[:8], r.fingerprint, f"{r.merged_at:%Y-%m-%d %H:%M}",
                   r.report.get("conflicts", 0)] for r in rows],
                 ["evaluator", "#", "laptop", "package", "merged", "conflicts"])
    ctx.out(rows, text + "\n" + str(msg("cli.packages_merged", "{count} {count:package|packages} merged",
                                        count=len(rows))))
    return 0


def _values_text(values: dict) -> str:
    if "scores" in values:
        scores = ", ".join(f"{k}={v.get('level') or v.get('points')}" for k, v in values["scores"].items())
        return f"{values.get('state')}{' (abstained)' if values.get('abstained') else ''}: {scores}"
    return f"visited {values.get('visited_at')}, {values.get('attendees')}"


def cmd_conflicts(ctx: CliContext) -> int:
    rows = ctx.store().packages.conflicts(open_only=not ctx.args.all)
    text = table([[c.id, c.application_id, c.evaluator, c.record, f"{c.kept.device[:8]} {_values_text(c.kept.values)}",
                   f"{c.other.device[:8]} {_values_text(c.other.values)}", c.resolution or "open"] for c in rows],
                 ["ID", "application", "evaluator", "record", "kept", "other", "resolution"])
    ctx.out(rows, text + "\n" + str(msg("cli.conflicts_count", "{count} {count:conflict|conflicts}", count=len(rows))))
    return 0


def cmd_conflicts_resolve(ctx: CliContext) -> int:
    a = ctx.args
    c = ctx.store().packages.resolve_conflict(a.id, take=a.take, reason=a.reason).value
    ctx.out(c, msg("cli.conflict_resolved", "Conflict {id} ({record} of {app} by {evaluator}) resolved: took the "
                   "{take} value.", id=c.id, record=c.record, app=c.application_id, evaluator=c.evaluator,
                   take=a.take))
    return 0
