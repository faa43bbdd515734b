"""The façade's key and package areas: ``store.keys`` (this database's key pair, evaluators'
public keys) and ``store.packages`` (field kits, result packages, merges, conflicts).

Private keys are unlocked with a passphrase and kept in memory for the life of the Store
(:meth:`Keys.unlock` / :meth:`Keys.ensure`), so a GUI asks once; each method that needs a key also
accepts ``passphrase=`` directly (the CLI's way).
"""

from __future__ import annotations

import random
import time
import traceback
from dataclasses import replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from .. import audit
from ..audit import signing
from ..changes import NOTHING, Outcome
from ..db.models import Application, Evaluation, Evaluator, PackageReceipt, Score, SiteVisit, utcnow
from ..domain import FIELD, OFFICE
from ..errors import (
    Cancelled, DatabaseInUse, DatabaseUnavailable, EditConflict, NotFound, PermissionDenied, ValidationError,
)
from ..jobs import NEVER, CancelToken, Progress, no_progress
from ..messages import msg
from ..services.common import criteria_by_code, current_program, evaluator_by_code, get_setting, set_setting
from ..uow import Area, UnitOfWork
from . import formats as F
from . import keys as K
from . import kit as kitmod
from .envelope import MAGIC
from .errors import KeyProblem, PackageRejected, reason_of
from .merge import (
    OfficeContext, OpenAhead, OpenedPackage, PinnedEvaluator, apply_package, open_package, precheck, rejected,
    signer_key, unseal,
)
from .models import MergeConflict, PackageEvidence
from .package import build_package
from .results import REJECTED, ConflictInfo, EvidenceCheck, KitInfo, MergeReport, PackageInfo, ReceiptInfo

_RETRIES = 6
#: a merge commits after the package that takes it past this many seconds (few commits, short locks)
_BATCH_SECONDS = 2.0


def _retryable(exc: BaseException) -> bool:
    """A deadlock, serialization failure or lock timeout (worth running the transaction again)."""
    seen: set[int] = set()
    e: BaseException | None = exc
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        if isinstance(e, DatabaseInUse):
            return True
        if isinstance(e, DBAPIError):
            code = getattr(e.orig, "sqlstate", None) or getattr(e.orig, "pgcode", None)
            if code in ("40001", "40P01", "55P03"):
                return True
            if "database is locked" in str(e.orig).lower():
                return True
        e = e.__cause__ or e.__context__
    return False


def _redacted_problem(evd: PackageEvidence, unstore) -> str:  # noqa: ANN001
    """What is wrong with evidence a purge re-wrote: its data and trail must have the hashes the
    purge recorded (announced in the audit trail by its ``redact_evidence`` entry)."""
    doc = evd.redacted or {}
    if F.sha256(unstore(evd.data_method, evd.data)) != doc.get("data_sha256"):
        return str(msg("evidence.purged_data_hash", "the data a purge re-wrote no longer has the hash the purge "
                       "recorded"))
    if "audit_sha256" in doc and F.sha256(unstore(evd.audit_method, evd.audit_trail)) != doc["audit_sha256"]:
        return str(msg("evidence.purged_trail_hash", "the trail a purge re-wrote no longer has the hash the purge "
                       "recorded"))
    return ""


def _program_or_none(s):  # noqa: ANN001, ANN202 - a session; the Program or None
    try:
        return current_program(s)
    except NotFound:
        return None


def _open_or_reject(path: Path, office: K.Identity, ctx: OfficeContext) -> OpenedPackage | MergeReport:
    try:
        return open_package(path, office, ctx)
    except PackageRejected as exc:
        return rejected(path, exc.message)


class Keys(Area):
    """This database's key pair (the office's, or on a field database its evaluator's) and the
    evaluators' public keys pinned in the office database."""

    def __init__(self, uow: UnitOfWork) -> None:
        super().__init__(uow)
        self._unlocked: dict[str, K.Identity] = {}

    def _owner(self, s) -> str:
        if get_setting(s, "role", OFFICE) == OFFICE:
            return K.OFFICE
        kit = get_setting(s, kitmod.FIELD_KIT)
        if not kit:
            raise PermissionDenied(msg("keys.field_without_kit", "This field database has no kit yet; import the kit "
                                       "from the office first (the key belongs to the evaluator the kit names)."))
        return kit["evaluator"]

    def _pinned(self, s, owner: str) -> dict | None:
        return get_setting(s, kitmod.OFFICE_KEYS if owner == K.OFFICE else K.EVALUATOR_KEY)

    def _check_pinned(self, pinned: dict | None, identity: K.Identity) -> None:
        if pinned and pinned.get("fingerprint") != identity.fingerprint:
            raise KeyProblem(msg(
                "keys.other_key_file",
                "This database uses key {pinned}, but the key file {path} holds key "
                "{fingerprint}; use the right key folder (--key-dir).", pinned=str(pinned.get("fingerprint")),
                path=str(identity.info.path), fingerprint=identity.fingerprint))

    def _pinned_office(self, key_dir: str | Path | None, passphrase: str, pinned: dict) -> K.Identity:
        """The office key this database pinned, found in the key folder by its fingerprint — or
        one sentence saying the folder does not hold it."""
        fp = str(pinned.get("fingerprint") or "")
        path = K.find_office_key(key_dir, fp)
        if path is None:
            folder = Path(key_dir) if key_dir is not None else K.default_key_dir()
            others = [p.name for p in K.office_key_files(key_dir)]
            sentence = (msg("keys.not_in_folder_others", "This database uses office key {fingerprint}, but the key "
                            "folder {folder} holds no key file for it (it holds {others}); use the right key folder "
                            "(--key-dir), or share a key on purpose with 'evaluator keys use FILE'.",
                            fingerprint=fp, folder=str(folder), others=", ".join(others)) if others else
                        msg("keys.not_in_folder", "This database uses office key {fingerprint}, but the key folder "
                            "{folder} holds no key file for it; use the right key folder (--key-dir), or share a key "
                            "on purpose with 'evaluator keys use FILE'.", fingerprint=fp, folder=str(folder)))
            raise K.KeyMismatch(sentence, fingerprint=fp, folder=str(folder), others=", ".join(others))
        return K.load_identity(key_dir, passphrase, owner=K.OFFICE, path=path)

    def ensure(self, passphrase: str, *, key_dir: str | Path | None = None) -> Outcome[K.KeyInfo]:
        """Unlock this database's key — the office's, or on a field database its evaluator's —
        creating the key file on first use; pins the public key in the database.  An office
        database that has no key yet makes a new one of its own (never another office's)."""
        with self._uow.read() as s:
            owner = self._owner(s)
            pinned = self._pinned(s, owner)
        if owner == K.OFFICE:
            if pinned:
                identity, created = self._pinned_office(key_dir, passphrase, pinned), False
            else:
                identity = K.generate_identity(key_dir, passphrase, owner=K.OFFICE, database=self._uow.device)
                created = True
        else:
            identity, created = K.load_or_generate(key_dir, passphrase, owner=owner)
        self._check_pinned(pinned, identity)
        changes = NOTHING
        if not pinned:
            info = identity.info
            with self._uow.write() as s:
                if owner == K.OFFICE:
                    set_setting(s, kitmod.OFFICE_KEYS, kitmod.office_keys_document(info))
                else:
                    set_setting(s, K.EVALUATOR_KEY, {"signing_public": K.b64(info.signing_public),
                                                   "fingerprint": info.fingerprint})
                    ev = evaluator_by_code(s, owner)
                    ev.public_key, ev.key_fingerprint, ev.key_registered_at = info.signing_public, info.fingerprint, utcnow()
                self._audit(s, action="key", entity="key",
                            new={"owner": owner, "fingerprint": info.fingerprint, "created": created})
            changes = self._uow.changes(s)
        self._unlocked[owner] = identity
        return Outcome(identity.info, changes)

    def unlock(self, passphrase: str, *, key_dir: str | Path | None = None) -> K.KeyInfo:
        """Unlock the existing key of this database (never creates one)."""
        with self._uow.read() as s:
            owner = self._owner(s)
            pinned = self._pinned(s, owner)
        if not pinned:
            raise KeyProblem(msg("keys.none_yet", "This database has no key yet; create it with 'evaluator keys "
                                 "init'."))
        if owner == K.OFFICE:
            identity = self._pinned_office(key_dir, passphrase, pinned)
        else:
            identity = K.load_identity(key_dir, passphrase, owner=owner)
        self._check_pinned(pinned, identity)
        self._unlocked[owner] = identity
        return identity.info

    def unlocked_identity(self, owner: str) -> K.Identity | None:
        """The private key of ``owner`` if it was unlocked in this session (never asks)."""
        return self._unlocked.get(owner)

    def lock(self) -> None:
        """Forget unlocked private keys."""
        self._unlocked.clear()

    def identity(self, *, key_dir: str | Path | None = None) -> K.KeyInfo | None:
        """The public half of this database's key (from its key file if present), or None."""
        with self._uow.read() as s:
            owner = self._owner(s)
            pinned = self._pinned(s, owner)
        if owner == K.OFFICE:  # this database's own key: found by the fingerprint it pinned (none: no key yet)
            info = K.read_key_info(key_dir, owner, fingerprint=pinned["fingerprint"]) if pinned else None
        else:
            info = K.read_key_info(key_dir, owner)
        if info is not None:
            return info
        if not pinned:
            return None
        sp = K.unb64(pinned["signing_public"], msg("keys.stored_signing_key", "The stored signing key"), 32)
        ep = (K.unb64(pinned["encryption_public"], msg("keys.stored_encryption_key", "The stored encryption key"), 32)
              if pinned.get("encryption_public") else None)
        return K.KeyInfo(K.OFFICE if owner == K.OFFICE else K.EVALUATOR, owner, sp, ep, K.key_fingerprint(sp, ep))

    def unlocked(self, passphrase: str | None = None, key_dir: str | Path | None = None, *,
                 create: bool = False) -> K.Identity:
        """This database's private key: unlocked now with ``passphrase`` (created first when
        ``create``), or as unlocked earlier; :class:`KeyProblem` when it is locked."""
        with self._uow.read() as s:
            owner = self._owner(s)
        if passphrase is not None:
            if create:
                self.ensure(passphrase, key_dir=key_dir)
            else:
                self.unlock(passphrase, key_dir=key_dir)
        identity = self._unlocked.get(owner)
        if identity is None:
            raise KeyProblem(msg("keys.office_locked", "The office key is locked; give its passphrase.")
                             if owner == K.OFFICE else
                             msg("keys.evaluator_locked", "The {evaluator} key is locked; give its passphrase.",
                                 evaluator=owner))
        return identity

    def use(self, key_file: str | Path, passphrase: str, *, key_dir: str | Path | None = None) -> Outcome[K.KeyInfo]:
        """Share an office key on purpose: this office database (which has no key yet) uses the key
        in ``key_file`` (its passphrase proves it is yours); the file is copied into the key folder
        under its fingerprint, and the sharing is audited."""
        import shutil

        with self._uow.read() as s:
            owner = self._owner(s)
            pinned = self._pinned(s, owner)
        if owner != K.OFFICE:
            raise PermissionDenied(msg("keys.share_in_office", "Only an office database shares an office key; a "
                                       "laptop uses its evaluator's key."))
        identity = K.load_identity(None, passphrase, owner=K.OFFICE, path=key_file)
        if identity.info.kind != K.OFFICE:
            raise KeyProblem(msg("keys.use_not_office", "{path} holds an evaluator's key, not an office key; nothing "
                                 "was changed.", path=str(key_file)))
        if pinned and pinned.get("fingerprint") != identity.fingerprint:
            raise KeyProblem(msg("keys.keeps_its_key", "This database already uses office key {fingerprint}; a "
                                 "database keeps its key, so nothing was changed.",
                                 fingerprint=str(pinned.get("fingerprint"))))
        target = K.office_key_path(key_dir, identity.fingerprint)
        if not target.exists():
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(key_file, target)
                target.chmod(0o600)
            except OSError as exc:
                raise KeyProblem(msg("keys.cannot_copy", "Cannot copy the key file to {path}: {reason}.",
                                     path=str(target), reason=exc.strerror)) from None
        changes = NOTHING
        if not pinned:
            with self._uow.write() as s:
                set_setting(s, kitmod.OFFICE_KEYS, kitmod.office_keys_document(identity.info))
                self._audit(s, action="key_use", entity="key",
                            new={"owner": K.OFFICE, "fingerprint": identity.fingerprint,
                                 "created_by_database": identity.info.database, "file": target.name})
            changes = self._uow.changes(s)
        self._unlocked[K.OFFICE] = identity
        return Outcome(replace(identity.info, path=str(target)), changes)

    def export_public(self, out: str | Path, *, key_dir: str | Path | None = None) -> K.KeyInfo:
        info = self.identity(key_dir=key_dir)
        if info is None:
            raise KeyProblem(msg("keys.none_yet", "This database has no key yet; create it with 'evaluator keys "
                                 "init'."))
        K.write_public_key(info, out)
        return replace(info, path=str(out))

    def register_evaluator(self, code: str, source: bytes | str | Path, expected_fingerprint: str | None = None,
                           *, passphrase: str | None = None,
                           key_dir: str | Path | None = None) -> Outcome[K.KeyInfo]:
        """Pin ``code``'s public key in the office database.

        ``source`` is a public key file (or its bytes, or 32 raw bytes), or the evaluator's first
        result package — then ``expected_fingerprint`` (read aloud by the evaluator) is required and
        the office key must be unlocked to open the package."""
        if self._uow.role != OFFICE:
            raise PermissionDenied(msg("keys.register_in_office", "Evaluator keys are registered in the office "
                                       "database."))
        if isinstance(source, (bytes, bytearray)):
            info = K.parse_public_key(bytes(source), msg("keys.the_key", "The key"))
        else:
            path = Path(source)
            try:
                data = path.read_bytes() if path.stat().st_size < 2**31 else b""
            except OSError as exc:
                raise KeyProblem(msg("keys.cannot_read_source", "Cannot read {path}: {reason}.", path=str(path),
                                     reason=exc.strerror)) from None
            if data.startswith(MAGIC):
                if not expected_fingerprint:
                    raise KeyProblem(msg("keys.package_needs_fingerprint", "Registering a key from a package needs the "
                                         "fingerprint the evaluator reads to you (--fingerprint); nothing was "
                                         "registered."))
                office = self.unlocked(passphrase, key_dir)
                what = msg("keys.package_named", "Package {name}", name=path.name)
                manifest, manifest_bytes, signature, _ = unseal(data, office, what)
                pk, fp = signer_key(manifest, what)
                if not K.verify_signature(pk, signature, F.SIGNING_CONTEXT + manifest_bytes):
                    raise KeyProblem(msg("keys.package_not_signed", "Package {name} is not signed by the key it "
                                         "carries; nothing was registered.", name=path.name))
                owner = str((manifest.get("evaluator") or {}).get("code") or "")
                info = K.KeyInfo(K.EVALUATOR, owner, pk, None, fp)
            else:
                info = K.parse_public_key(data, msg("keys.the_public_key_file", "The file {path}",
                                                    path=str(path)))
        if info.kind != K.EVALUATOR:
            raise KeyProblem(msg("keys.office_not_evaluator", "That is the office's key, not an evaluator's; nothing "
                                 "was registered."))
        if info.owner and info.owner != code:
            raise KeyProblem(msg("keys.belongs_to_other", "That key belongs to {owner}, not {evaluator}; nothing was "
                                 "registered.", owner=info.owner, evaluator=code))
        if expected_fingerprint and K.normalise_fingerprint(expected_fingerprint) != info.fingerprint:
            raise KeyProblem(msg("keys.fingerprint_differs", "The key's fingerprint is {fingerprint}, not {expected}; "
                                 "nothing was registered. Check with the evaluator.", fingerprint=info.fingerprint,
                                 expected=K.normalise_fingerprint(expected_fingerprint)))
        with self._uow.write() as s:
            ev = evaluator_by_code(s, code)
            other = s.execute(select(Evaluator.code).where(Evaluator.public_key == info.signing_public,
                                                           Evaluator.id != ev.id)).scalar()
            if other:
                raise KeyProblem(msg("keys.registered_for_other", "That key is already registered for {evaluator}; "
                                     "every evaluator needs their own key.", evaluator=other))
            if ev.public_key != info.signing_public:
                old = ev.key_fingerprint
                ev.public_key, ev.key_fingerprint, ev.key_registered_at = info.signing_public, info.fingerprint, utcnow()
                self._audit(s, action="register_key", entity="evaluator", entity_uuid=ev.uuid,
                            old={"fingerprint": old}, new={"fingerprint": info.fingerprint})
        return self._uow.outcome(s, replace(info, owner=code))



class Packages(Area):
    """Field kits (office → laptop), result packages (laptop → office), merges and their conflicts."""

    def __init__(self, uow: UnitOfWork, keys: Keys) -> None:
        super().__init__(uow)
        self._keys = keys

    # --- field kits -------------------------------------------------------------------------------
    def export_kit(self, evaluator: str, out: str | Path, *, include_personal: bool = False,
                   kit_passphrase: str | None = None, reason: str | None = None, progress: Progress = no_progress,
                   cancel: CancelToken = NEVER) -> Outcome[KitInfo]:
        """Write ``evaluator``'s field kit to ``out`` (office side); with ``include_personal`` the
        kit is encrypted — with ``kit_passphrase``, else to the evaluator's registered key.  With
        the office key unlocked the audit trail's head is signed too (an anchor).  Cancelled,
        nothing is written and the kit number is not used up.  The kit is entered in the access
        log (its applications, whether it carries contact data, ``reason`` — by default the field
        visits it is for)."""
        out = Path(out)
        progress(0.0, out.name)
        with self._uow.write() as s:
            blob, info = kitmod.build_kit(s, evaluator, include_personal=include_personal,
                                          kit_passphrase=kit_passphrase)
            ev = evaluator_by_code(s, evaluator)
            self._audit(s, action="export_kit", entity="evaluator", entity_uuid=ev.uuid,
                        new={"kit": info.sequence, "applications": len(info.applications),
                             "include_personal": include_personal, "sha256": F.sha256(blob)})
            signing.at_kit_export(s, self._keys.unlocked_identity(K.OFFICE), info, actor=self._uow.actor,
                                  device=self._uow.device)
            progress(0.8, out.name)
            cancel.raise_if_cancelled()
            kitmod.write_file(out, blob)
        self._log_output(out, action="kit", what=f"kit {info.sequence} for {info.evaluator}",
                         subjects=list(info.applications),
                         fields=["representative", "phone", "email", "address"] if include_personal else [],
                         reason=reason or (f"field visits of {info.evaluator}" if include_personal else ""))
        progress(1.0, "")
        return self._uow.outcome(s, replace(info, path=str(out)))

    def install_kit(self, kit_path: str | Path, *, expected_office_fingerprint: str | None = None,
                    unlock: kitmod.KitUnlock | None = None) -> Outcome[KitInfo]:
        """Make this (new or field) database the field database of the kit at ``kit_path``, or
        update it from a newer kit (field side; ``unlock`` opens a kit encrypted because it carries
        contact data; opening or creating the database itself, encrypted, is
        :func:`evaluator.workflows.import_kit`)."""
        kit = kitmod.read_kit(kit_path, unlock=unlock)
        kitmod.check_office_key(kit, expected_office_fingerprint)
        with self._uow.write() as s:
            info = kitmod.install(s, kit, database=self._uow.display_url, device=self._uow.device)
        return self._uow.outcome(s, info)

    def kit_info(self) -> KitInfo | None:
        """The kit this field database was made from (None on an office database)."""
        with self._uow.read() as s:
            return kitmod.field_kit_info(s, self._uow.display_url)

    # --- result packages --------------------------------------------------------------------------
    def export_package(self, out: str | Path, *, passphrase: str | None = None, key_dir: str | Path | None = None,
                       progress: Progress = no_progress, cancel: CancelToken = NEVER) -> Outcome[PackageInfo]:
        """Write this field database's signed, encrypted result package to ``out``.

        The evaluator's key is created on first use (with ``passphrase``).  Cancelled, nothing is
        written and the package number is not used up."""
        if self._uow.role != FIELD:
            raise PermissionDenied(msg("export.field_only", "Result packages are made on a field database; this is an "
                                       "office database."))
        identity = self._keys.unlocked(passphrase, key_dir, create=True)
        out = Path(out)
        progress(0.0, out.name)
        with self._uow.write() as s:
            blob, info = build_package(s, identity, device=self._uow.device)
            audit.append(s, actor=identity.owner, device=self._uow.device, action="export_package", entity="package",
                         new={"sequence": info.sequence, "sha256": info.sha256, "signature": info.fingerprint,
                              "evaluations": info.evaluations, "scores": info.scores})
            progress(0.8, out.name)
            cancel.raise_if_cancelled()
            kitmod.write_file(out, blob)
        self._log_output(out, action="export", what=f"result package {info.sequence}",
                         subjects=list(self._assigned()), fields=["attendees"],
                         reason="result package for the office")
        progress(1.0, "")
        return self._uow.outcome(s, replace(info, path=str(out)))

    def _assigned(self) -> list[str]:
        """The applications this field database holds (a result package carries their records)."""
        with self._uow.read() as s:
            return list(s.execute(select(Application.external_id).order_by(Application.external_id)).scalars())

    # --- merge ------------------------------------------------------------------------------------
    def _office_context(self) -> OfficeContext:
        with self._uow.read() as s:
            p = current_program(s)
            evs = {
                e.code: PinnedEvaluator(e.id, e.code, e.public_key, e.key_fingerprint)
                for e in s.execute(select(Evaluator)).scalars()
            }
            return OfficeContext(program_id=p.id, program_uuid=p.uuid, program_code=p.code,
                                 rubric_hashes={t.rubric.code: t.rubric.content_hash for t in p.tracks},
                                 evaluators=evs)

    def merge(self, paths: list[str | Path], *, passphrase: str | None = None, key_dir: str | Path | None = None,
              progress: Progress = no_progress, cancel: CancelToken = NEVER) -> Outcome[list[MergeReport]]:
        """Verify and merge result packages, each one all or nothing; one report per package.

        A package that fails verification changes nothing and is reported as rejected with the
        reason; merging the same package again is reported as unchanged.  Packages are applied in
        short transactions holding several packages each (one savepoint per package), so a big
        merge pays for few commits.  Cancelling stops before the next package; packages already
        merged stay merged."""
        if self._uow.role != OFFICE:
            raise PermissionDenied(msg("packages.merge_in_office", "Packages are merged into the office database; "
                                       "this is a field database."))
        paths = [Path(p) for p in paths]
        early = self.precheck(paths)  # (files that are no package at all need no key to say so)
        if paths and all(r is not None for r in early):
            progress(1.0, "")
            return Outcome([r for r in early if r is not None], NOTHING)
        office = self._keys.unlocked(passphrase, key_dir)
        ctx = self._office_context()
        reports: list[MergeReport] = []
        n = max(len(paths), 1)
        i = 0
        opened: dict[int, OpenedPackage | MergeReport] = {}  # kept across a retried transaction
        changes = NOTHING
        # (the next package is opened on a worker thread while this one is applied)
        with OpenAhead(lambda k: early[k] or _open_or_reject(paths[k], office, ctx), list(range(len(paths)))) as ahead:
            while i < len(paths) and not cancel.cancelled:
                for attempt in range(_RETRIES):
                    batch: list[MergeReport] = []
                    try:
                        with self._uow.bulk_write() as s:
                            audit.lock(s)  # merges queue here, before they touch any row
                            started = time.monotonic()
                            while i + len(batch) < len(paths) and not cancel.cancelled:
                                k = i + len(batch)
                                progress(k / n, paths[k].name)
                                if cancel.cancelled:
                                    break
                                if k not in opened:
                                    opened[k] = ahead.get(k)
                                batch.append(self._merge_one(s, paths[k], opened[k], ctx))
                                if time.monotonic() - started > _BATCH_SECONDS:
                                    break
                            signing.at_merge(s, office, batch, actor=self._uow.actor, device=self._uow.device)
                        changes |= self._uow.changes(s)
                        break
                    except (DBAPIError, DatabaseInUse, DatabaseUnavailable) as exc:
                        if attempt + 1 < _RETRIES and _retryable(exc):
                            time.sleep(0.05 * (2 ** attempt) * (1 + random.random()))
                            continue
                        raise
                for k in range(i, i + len(batch)):
                    opened.pop(k, None)  # let the memory go
                reports.extend(batch)
                i += len(batch)
        if i < len(paths):
            if not any(r.status != REJECTED for r in reports):
                raise Cancelled(msg("packages.merge_cancelled", "Cancelled; nothing was merged."))
            reports.extend(rejected(p, str(msg("packages.not_merged_cancelled", "Not merged: the merge was cancelled "
                                               "before this package."))) for p in paths[i:])
        progress(1.0, "")
        return Outcome(reports, changes)

    def precheck(self, paths: list[str | Path]) -> list[MergeReport | None]:
        """For each file, the report of one that is not a result package at all (missing,
        unreadable, too big, not an envelope, a field kit …) — told without the office key, so
        before any passphrase is asked for or a key created — or None when only the key can tell
        more.  Reads nothing from the database."""
        return [precheck(p) for p in paths]

    def _merge_one(self, s, path: Path, pkg: OpenedPackage | MergeReport, ctx: OfficeContext) -> MergeReport:
        """Apply one opened package inside a savepoint of the caller's transaction."""
        if isinstance(pkg, MergeReport):  # rejected while opening
            return pkg
        savepoint = s.begin_nested()
        try:
            report, wrote = apply_package(s, pkg, ctx, actor=self._uow.actor, device=self._uow.device)
        except PackageRejected as exc:
            savepoint.rollback()
            s.info.pop("audit_head", None)  # the chain head of the rolled-back entries is void
            # the traceback's frames hold the rolled-back rows in a cycle: let them go now, not at the
            # next collection (SQLAlchemy would meet their identities again as new rows reuse the ids)
            traceback.clear_frames(exc.__traceback__)
            return rejected(path, exc.message, evaluator=pkg.evaluator.code, device=pkg.device,
                            sequence=pkg.sequence, fingerprint=pkg.fingerprint)
        except BaseException:
            savepoint.rollback()
            s.info.pop("audit_head", None)
            raise
        if wrote:
            savepoint.commit()
        else:
            savepoint.rollback()
        return report

    def merged(self) -> list[ReceiptInfo]:
        """The result packages merged into the current program."""
        with self._uow.read() as s:
            rows = s.execute(
                select(PackageReceipt, Evaluator.code).join(Evaluator, Evaluator.id == PackageReceipt.evaluator_id)
                .order_by(PackageReceipt.id)
            ).all()
            program = _program_or_none(s)
            return [ReceiptInfo(uuid=r.uuid, evaluator=code, device=r.device, sequence=r.sequence, sha256=r.sha256,
                                fingerprint=r.signature_fingerprint, merged_at=r.merged_at, report=dict(r.report or {}))
                    for r, code in rows
                    if program is None or ((r.manifest or {}).get("program") or {}).get("uuid") in (None, program.uuid)]

    def verify_evidence(self) -> list[EvidenceCheck]:
        """Check every merged package again from what the office kept: the signature over its
        manifest with the evaluator's pinned key, the hashes of its data and of the laptop's audit
        trail, and that trail's hash chain (which merges leave for later: it has one entry per
        keystroke)."""
        from .archive import unstore

        out = []
        with self._uow.read() as s:
            rows = s.execute(
                select(PackageReceipt, PackageEvidence, Evaluator)
                .join(PackageEvidence, PackageEvidence.receipt_id == PackageReceipt.id)
                .join(Evaluator, Evaluator.id == PackageReceipt.evaluator_id).order_by(PackageReceipt.id)
            ).all()
            for r, evd, ev in rows:
                problem = ""
                try:
                    manifest = F.loads(evd.manifest, msg("evidence.kept_manifest", "the kept manifest"),
                                       F.MANIFEST_LIMITS)
                    listed = manifest["members"]
                    if ev.public_key is None or not K.verify_signature(ev.public_key, evd.signature,
                                                                       F.SIGNING_CONTEXT + evd.manifest):
                        problem = str(msg("evidence.signature", "the signature does not match the key registered for "
                                          "{evaluator}", evaluator=ev.code))
                    elif evd.redacted:  # a purge re-wrote the data and the trail: their hashes are the purge's
                        problem = _redacted_problem(evd, unstore)
                    elif F.sha256(unstore(evd.data_method, evd.data)) != listed["data.json"]["sha256"]:
                        problem = str(msg("evidence.data_hash", "the kept data does not match its hash in the signed "
                                          "manifest"))
                    else:
                        trail_bytes = unstore(evd.audit_method, evd.audit_trail)
                        if F.sha256(trail_bytes) != listed["audit.json"]["sha256"]:
                            problem = str(msg("evidence.trail_hash", "the kept audit trail does not match its hash in "
                                              "the signed manifest"))
                        else:
                            trail = F.loads(trail_bytes, msg("evidence.kept_trail", "the kept audit trail"),
                                            F.AUDIT_LIMITS)
                            check = audit.verify_entries(trail)
                            if not check.ok:
                                problem = str(msg("evidence.trail_broken", "the laptop's audit trail is broken: "
                                                  "{problem}", problem=check.problem))
                            elif (trail[-1]["hash"] if trail else audit.GENESIS) != evd.audit_head:
                                problem = str(msg("evidence.trail_end", "the laptop's audit trail does not end where "
                                                  "the manifest says"))
                            elif len(trail) != evd.audit_entries:
                                problem = str(msg("evidence.trail_length", "the laptop's audit trail has {count:,} "
                                                  "{count:entry|entries}, the manifest says {stated:,}",
                                                  count=len(trail),
                                                  stated=evd.audit_entries))
                except F.Invalid as exc:
                    problem = str(msg("evidence.unreadable", "the kept evidence is unreadable: {reason}",
                                      reason=reason_of(exc)))
                except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
                    problem = str(msg("evidence.unreadable_error", "the kept evidence is unreadable ({error})",
                                      error=type(exc).__name__))
                redacted = evd.redacted or {}
                out.append(EvidenceCheck(receipt=r.uuid, evaluator=ev.code, device=r.device, sequence=r.sequence,
                                         fingerprint=r.signature_fingerprint, ok=not problem, problem=problem,
                                         audit_entries=evd.audit_entries,
                                         redacted=str(msg("evidence.redacted", "re-written by purge {purge} on {date}",
                                                          purge=redacted.get("purge", "")[:8],
                                                          date=str(redacted.get("at", ""))[:10])) if redacted else ""))
        return out

    # --- conflicts --------------------------------------------------------------------------------
    def conflicts(self, *, open_only: bool = True) -> list[ConflictInfo]:
        """Conflicts found by merges (only those the office has not decided, by default)."""
        from .merge import _conflict_info

        with self._uow.read() as s:
            q = (select(MergeConflict, Application.external_id, Evaluator.code)
                 .join(Application, Application.id == MergeConflict.application_id)
                 .join(Evaluator, Evaluator.id == MergeConflict.evaluator_id).order_by(MergeConflict.id))
            program = _program_or_none(s)
            if program is not None:  # the current program's (several programs never mix)
                q = q.where(Application.program_id == program.id)
            if open_only:
                q = q.where(MergeConflict.resolution.is_(None))
            return [_conflict_info(c, ext, code) for c, ext, code in s.execute(q).all()]

    def resolve_conflict(self, conflict_id: int, take: str = "other", reason: str = "") -> Outcome[ConflictInfo]:
        """Decide a conflict: ``take="kept"`` confirms the rule's choice, ``take="other"`` puts the
        other value in place (refused if the record changed since the merge)."""
        from .merge import _conflict_info

        if take not in ("kept", "other"):
            raise ValidationError(msg("conflict.choose", "Choose 'kept' or 'other' to resolve a conflict, not {take}.",
                                      take=repr(take)))
        with self._uow.write() as s:
            audit.lock(s)
            c = s.get(MergeConflict, conflict_id)
            if c is None:
                raise NotFound(msg("conflict.not_found", "There is no merge conflict {conflict}.", conflict=conflict_id))
            app = s.get(Application, c.application_id)
            ev = s.get(Evaluator, c.evaluator_id)
            if c.resolution is not None:
                raise ValidationError(msg("conflict.already_resolved", "Conflict {conflict} ({app}, {evaluator}) was "
                                          "already resolved ({resolution}, by {by}).", conflict=conflict_id,
                                          app=app.external_id, evaluator=ev.code, resolution=c.resolution,
                                          by=c.resolved_by))
            entity_uuid = None
            if take == "other":
                entity_uuid = self._put_snapshot(s, c, app)
            c.resolution, c.resolved_by, c.resolved_at, c.resolution_reason = take, self._uow.actor, utcnow(), reason
            self._audit(s, action="resolve_conflict", entity=c.entity, entity_uuid=entity_uuid,
                        old=c.kept.get("values"), new=(c.other if take == "other" else c.kept).get("values"),
                        reason=reason or f"conflict {conflict_id}: took the {take} value", subject=app.uuid)
            s.flush()
            info = _conflict_info(c, app.external_id, ev.code)
        return self._uow.outcome(s, info)

    def _put_snapshot(self, s, c: MergeConflict, app: Application) -> str:
        values, device = dict(c.other["values"]), c.other.get("device", "")
        now = utcnow()
        if c.entity == "evaluation":
            e = s.get(Evaluation, c.record_id)
            if e is None:
                raise NotFound(msg("conflict.evaluation_gone", "The evaluation of conflict {conflict} no longer exists.",
                                   conflict=c.id))
            crits = criteria_by_code(s, app.track.rubric_id)
            by_id = {cr.id: code for code, cr in crits.items()}
            current = F.evaluation_values(e.state, e.abstained, e.abstain_reason, e.comment,
                                          {by_id[sc.criterion_id]: F.score_value(sc.level, sc.points, sc.comment)
                                           for sc in e.scores}, F.iso(e.finalised_at))
            if F.content_hash(current) != F.content_hash(c.kept["values"]):
                raise EditConflict(msg("conflict.evaluation_changed", "The evaluation of {app} changed after conflict "
                                       "{conflict} was found; nothing was changed (merge again or edit it directly).",
                                       app=app.external_id, conflict=c.id))
            e.state, e.abstained = values["state"], values["abstained"]
            e.abstain_reason, e.comment = values["abstain_reason"], values["comment"]
            e.finalised_at = F.parse_dt(values.get("finalised_at"))
            if e.state == "finalised" and e.finalised_at is None:
                e.finalised_at = now
            have = {by_id[sc.criterion_id]: sc for sc in e.scores}
            for code, v in values["scores"].items():
                sc = have.pop(code, None)
                if sc is None:
                    sc = Score(evaluation=e, criterion_id=crits[code].id, author=s.get(Evaluator, c.evaluator_id).code,
                               version=0)
                    s.add(sc)
                sc.level, sc.points, sc.comment = v["level"], v["points"], v["comment"]
                sc.version = (sc.version or 0) + 1
                sc.updated_at, sc.device = now, device
            for sc in have.values():
                e.scores.remove(sc)
            e.version += 1
            e.updated_at, e.device = now, device
            return e.uuid
        v = s.get(SiteVisit, c.record_id)
        if v is None:
            raise NotFound(msg("conflict.visit_gone", "The site visit of conflict {conflict} no longer exists.",
                               conflict=c.id))
        current = F.visit_values(F.iso(v.visited_at), v.attendees, v.checklist or {}, v.notes)
        if F.content_hash(current) != F.content_hash(c.kept["values"]):
            raise EditConflict(msg("conflict.visit_changed", "The site visit of {app} changed after conflict "
                                   "{conflict} was found; nothing was changed.", app=app.external_id, conflict=c.id))
        v.visited_at = F.parse_dt(values.get("visited_at"))
        v.attendees, v.checklist, v.notes = values["attendees"], dict(values["checklist"]), values["notes"]
        v.version += 1
        v.updated_at, v.device = now, device
        return v.uuid
