"""Façade methods for keys, field kits, result packages, merges and photos
(mixed into :class:`evaluator.store.Store`).

Private keys are unlocked with a passphrase and kept in memory for the life of the Store
(:meth:`unlock_identity` / :meth:`ensure_identity`), so a GUI asks once; each method that needs a
key also accepts ``passphrase=`` directly (the CLI's way).
"""

from __future__ import annotations

import mimetypes
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from .. import audit
from ..db.models import (
    Application, Attachment, Criterion, Evaluation, Evaluator, PackageReceipt, Score, SiteVisit, utcnow,
)
from ..domain import FIELD, OFFICE
from ..errors import (
    Cancelled, DatabaseInUse, DatabaseUnavailable, EditConflict, NotFound, PermissionDenied, ValidationError,
)
from ..jobs import NEVER, CancelToken, Progress, no_progress
from ..services.common import (
    application_by_id, criteria_by_code, current_program, evaluator_by_code, get_setting, rubric_def, set_setting,
)
from ..services.scoring import _assignment
from . import formats as F
from . import keys as K
from . import kit as kitmod
from .envelope import MAGIC
from .errors import KeyProblem, PackageRejected
from .merge import (
    OfficeContext, OpenedPackage, PinnedEvaluator, apply_package, open_package, rejected, signer_key, unseal,
)
from .models import MergeConflict, PackageEvidence
from .package import build_package
from .results import (
    REJECTED, AttachmentInfo, ConflictInfo, EvidenceCheck, KitInfo, MergeReport, PackageInfo, ReceiptInfo,
)

#: settings key of a field database's own (evaluator) public key
EVALUATOR_KEY = "evaluator_key"
MAX_ATTACHMENT = 50 * 1024 * 1024
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


def _open_or_reject(path: Path, office: K.Identity, ctx: OfficeContext) -> OpenedPackage | MergeReport:
    try:
        return open_package(path, office, ctx)
    except PackageRejected as exc:
        return rejected(path, exc.message)


class PackageOps:
    # --- identities and keys ----------------------------------------------------------------------
    def _identities(self) -> dict[str, K.Identity]:
        return self.__dict__.setdefault("_pkg_identities", {})

    def _owner(self, s) -> str:
        if get_setting(s, "role", OFFICE) == OFFICE:
            return K.OFFICE
        kit = get_setting(s, kitmod.FIELD_KIT)
        if not kit:
            raise PermissionDenied("This field database has no kit yet; import the kit from the office first (the "
                                   "key belongs to the evaluator the kit names).")
        return kit["evaluator"]

    def _pinned(self, s, owner: str) -> dict | None:
        return get_setting(s, kitmod.OFFICE_KEYS if owner == K.OFFICE else EVALUATOR_KEY)

    def _check_pinned(self, pinned: dict | None, identity: K.Identity) -> None:
        if pinned and pinned.get("fingerprint") != identity.fingerprint:
            raise KeyProblem(
                f"This database uses key {pinned.get('fingerprint')}, but the key file {identity.info.path} holds key "
                f"{identity.fingerprint}; use the right key folder (--key-dir)."
            )

    def ensure_identity(self, passphrase: str, *, key_dir: str | Path | None = None) -> K.KeyInfo:
        """Unlock this database's key — the office's, or on a field database its evaluator's —
        creating the key file on first use; pins the public key in the database."""
        with self.read() as s:
            owner = self._owner(s)
            pinned = self._pinned(s, owner)
        identity, created = K.load_or_generate(key_dir, passphrase, owner=owner)
        self._check_pinned(pinned, identity)
        if not pinned:
            info = identity.info
            with self.write() as s:
                if owner == K.OFFICE:
                    set_setting(s, kitmod.OFFICE_KEYS, kitmod.office_keys_document(info))
                else:
                    set_setting(s, EVALUATOR_KEY, {"signing_public": K.b64(info.signing_public),
                                                   "fingerprint": info.fingerprint})
                    ev = evaluator_by_code(s, owner)
                    ev.public_key, ev.key_fingerprint, ev.key_registered_at = info.signing_public, info.fingerprint, utcnow()
                audit.append(s, actor=self.actor, device=self.device, action="key", entity="key",
                             new={"owner": owner, "fingerprint": info.fingerprint, "created": created})
        self._identities()[owner] = identity
        return identity.info

    def unlock_identity(self, passphrase: str, *, key_dir: str | Path | None = None) -> K.KeyInfo:
        """Unlock the existing key of this database (never creates one)."""
        with self.read() as s:
            owner = self._owner(s)
            pinned = self._pinned(s, owner)
        if not pinned:
            raise KeyProblem("This database has no key yet; create it with 'evaluator keys init'.")
        identity = K.load_identity(key_dir, passphrase, owner=owner)
        self._check_pinned(pinned, identity)
        self._identities()[owner] = identity
        return identity.info

    def lock_identity(self) -> None:
        """Forget unlocked private keys."""
        self._identities().clear()

    def identity(self, *, key_dir: str | Path | None = None) -> K.KeyInfo | None:
        """The public half of this database's key (from its key file if present), or None."""
        with self.read() as s:
            owner = self._owner(s)
            pinned = self._pinned(s, owner)
        info = K.read_key_info(key_dir, owner)
        if info is not None:
            return info
        if not pinned:
            return None
        sp = K.unb64(pinned["signing_public"], "The stored signing key", 32)
        ep = K.unb64(pinned["encryption_public"], "The stored encryption key", 32) if pinned.get("encryption_public") else None
        return K.KeyInfo(K.OFFICE if owner == K.OFFICE else K.EVALUATOR, owner, sp, ep, K.key_fingerprint(sp, ep))

    def _identity(self, passphrase: str | None, key_dir: str | Path | None, *, create: bool) -> K.Identity:
        with self.read() as s:
            owner = self._owner(s)
        if passphrase is not None:
            if create:
                self.ensure_identity(passphrase, key_dir=key_dir)
            else:
                self.unlock_identity(passphrase, key_dir=key_dir)
        identity = self._identities().get(owner)
        if identity is None:
            raise KeyProblem(f"The {'office' if owner == K.OFFICE else owner} key is locked; give its passphrase.")
        return identity

    def export_public_key(self, out: str | Path, *, key_dir: str | Path | None = None) -> K.KeyInfo:
        info = self.identity(key_dir=key_dir)
        if info is None:
            raise KeyProblem("This database has no key yet; create it with 'evaluator keys init'.")
        K.write_public_key(info, out)
        return replace(info, path=str(out))

    def register_evaluator_key(self, code: str, source: bytes | str | Path, expected_fingerprint: str | None = None,
                               *, passphrase: str | None = None, key_dir: str | Path | None = None) -> K.KeyInfo:
        """Pin ``code``'s public key in the office database.

        ``source`` is a public key file (or its bytes, or 32 raw bytes), or the evaluator's first
        result package — then ``expected_fingerprint`` (read aloud by the evaluator) is required and
        the office key must be unlocked to open the package."""
        if self.role != OFFICE:
            raise PermissionDenied("Evaluator keys are registered in the office database.")
        if isinstance(source, (bytes, bytearray)):
            info = K.parse_public_key(bytes(source), "The key")
        else:
            path = Path(source)
            try:
                data = path.read_bytes() if path.stat().st_size < 2**31 else b""
            except OSError as exc:
                raise KeyProblem(f"Cannot read {path}: {exc.strerror}.") from None
            if data.startswith(MAGIC):
                if not expected_fingerprint:
                    raise KeyProblem("Registering a key from a package needs the fingerprint the evaluator reads to "
                                     "you (--fingerprint); nothing was registered.")
                office = self._identity(passphrase, key_dir, create=False)
                manifest, manifest_bytes, signature, _ = unseal(data, office, f"Package {path.name}")
                pk, fp = signer_key(manifest, f"Package {path.name}")
                if not K.verify_signature(pk, signature, F.SIGNING_CONTEXT + manifest_bytes):
                    raise KeyProblem(f"Package {path.name} is not signed by the key it carries; nothing was registered.")
                owner = str((manifest.get("evaluator") or {}).get("code") or "")
                info = K.KeyInfo(K.EVALUATOR, owner, pk, None, fp)
            else:
                info = K.parse_public_key(data, f"The public key file {path}")
        if info.kind != K.EVALUATOR:
            raise KeyProblem("That is the office's key, not an evaluator's; nothing was registered.")
        if info.owner and info.owner != code:
            raise KeyProblem(f"That key belongs to {info.owner}, not {code}; nothing was registered.")
        if expected_fingerprint and K.normalise_fingerprint(expected_fingerprint) != info.fingerprint:
            raise KeyProblem(f"The key's fingerprint is {info.fingerprint}, not {K.normalise_fingerprint(expected_fingerprint)}"
                             "; nothing was registered. Check with the evaluator.")
        with self.write() as s:
            ev = evaluator_by_code(s, code)
            other = s.execute(select(Evaluator.code).where(Evaluator.public_key == info.signing_public,
                                                           Evaluator.id != ev.id)).scalar()
            if other:
                raise KeyProblem(f"That key is already registered for {other}; every evaluator needs their own key.")
            if ev.public_key != info.signing_public:
                old = ev.key_fingerprint
                ev.public_key, ev.key_fingerprint, ev.key_registered_at = info.signing_public, info.fingerprint, utcnow()
                audit.append(s, actor=self.actor, device=self.device, action="register_key", entity="evaluator",
                             entity_uuid=ev.uuid, old={"fingerprint": old}, new={"fingerprint": info.fingerprint})
        return replace(info, owner=code)

    # --- field kits -------------------------------------------------------------------------------
    def export_kit(self, evaluator: str, out: str | Path, *, include_personal: bool = False) -> KitInfo:
        """Write ``evaluator``'s field kit to ``out`` (office side)."""
        out = Path(out)
        with self.write() as s:
            blob, info = kitmod.build_kit(s, evaluator, include_personal=include_personal)
            ev = evaluator_by_code(s, evaluator)
            audit.append(s, actor=self.actor, device=self.device, action="export_kit", entity="evaluator",
                         entity_uuid=ev.uuid, new={"kit": info.sequence, "applications": len(info.applications),
                                                   "include_personal": include_personal, "sha256": F.sha256(blob)})
            kitmod.write_file(out, blob)
        return replace(info, path=str(out))

    @staticmethod
    def import_kit(kit_path: str | Path, db_url: str | None = None, *,
                   expected_office_fingerprint: str | None = None, passphrase: str | None = None) -> KitInfo:
        """Create or update the field database at ``db_url`` from a kit (see :func:`kit.import_kit`);
        with ``passphrase`` the field database is encrypted at rest."""
        return kitmod.import_kit(kit_path, db_url, expected_office_fingerprint=expected_office_fingerprint,
                                 passphrase=passphrase)

    def kit_info(self) -> KitInfo | None:
        """The kit this field database was made from (None on an office database)."""
        with self.read() as s:
            return kitmod.field_kit_info(s, self.display_url)

    # --- result packages --------------------------------------------------------------------------
    def export_package(self, out: str | Path, *, passphrase: str | None = None,
                       key_dir: str | Path | None = None) -> PackageInfo:
        """Write this field database's signed, encrypted result package to ``out``.

        The evaluator's key is created on first use (with ``passphrase``)."""
        if self.role != FIELD:
            raise PermissionDenied("Result packages are made on a field database; this is an office database.")
        identity = self._identity(passphrase, key_dir, create=True)
        out = Path(out)
        with self.write() as s:
            blob, info = build_package(s, identity, device=self.device)
            audit.append(s, actor=identity.owner, device=self.device, action="export_package", entity="package",
                         new={"sequence": info.sequence, "sha256": info.sha256, "signature": info.fingerprint,
                              "evaluations": info.evaluations, "scores": info.scores})
            kitmod.write_file(out, blob)
        return replace(info, path=str(out))

    # --- merge ------------------------------------------------------------------------------------
    def _office_context(self) -> OfficeContext:
        with self.read() as s:
            p = current_program(s)
            evs = {
                e.code: PinnedEvaluator(e.id, e.code, e.public_key, e.key_fingerprint)
                for e in s.execute(select(Evaluator)).scalars()
            }
            return OfficeContext(program_id=p.id, program_uuid=p.uuid, program_code=p.code,
                                 rubric_hashes={t.rubric.code: t.rubric.content_hash for t in p.tracks},
                                 evaluators=evs)

    def merge_packages(self, paths: list[str | Path], *, passphrase: str | None = None,
                       key_dir: str | Path | None = None, progress: Progress = no_progress,
                       cancel: CancelToken = NEVER) -> list[MergeReport]:
        """Verify and merge result packages, each one all or nothing; one report per package.

        A package that fails verification changes nothing and is reported as rejected with the
        reason; merging the same package again is reported as unchanged.  Packages are applied in
        short transactions holding several packages each (one savepoint per package), so a big
        merge pays for few commits.  Cancelling stops before the next package; packages already
        merged stay merged."""
        if self.role != OFFICE:
            raise PermissionDenied("Packages are merged into the office database; this is a field database.")
        office = self._identity(passphrase, key_dir, create=False)
        ctx = self._office_context()
        paths = [Path(p) for p in paths]
        reports: list[MergeReport] = []
        n = max(len(paths), 1)
        i = 0
        opened: dict[int, OpenedPackage | MergeReport] = {}  # kept across a retried transaction
        while i < len(paths) and not cancel.cancelled:
            for attempt in range(_RETRIES):
                batch: list[MergeReport] = []
                try:
                    with self._merge_unit() as s:
                        audit.lock(s)  # merges queue here, before they touch any row
                        started = time.monotonic()
                        while i + len(batch) < len(paths) and not cancel.cancelled:
                            k = i + len(batch)
                            progress(k / n, paths[k].name)
                            if cancel.cancelled:
                                break
                            if k not in opened:
                                opened[k] = _open_or_reject(paths[k], office, ctx)
                            batch.append(self._merge_one(s, paths[k], opened[k], ctx))
                            if time.monotonic() - started > _BATCH_SECONDS:
                                break
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
                raise Cancelled("Cancelled; nothing was merged.")
            reports.extend(rejected(p, "Not merged: the merge was cancelled before this package.") for p in paths[i:])
        progress(1.0, "")
        return reports

    @contextmanager
    def _merge_unit(self) -> Iterator[Session]:
        """A write unit of work for merging.

        On SQLite the connection's foreign-key enforcement is switched off for it (outside the
        transaction, where SQLite allows it, and back on before the connection returns to the
        pool): every id a merge writes comes from rows it has just read in the same transaction,
        and checking each of 100,000 score rows again would cost more than the rows themselves."""
        if self.engine.dialect.name != "sqlite":
            with self.write() as s:
                yield s
            return
        from ..db.errors import translate_errors as _translate_errors

        with _translate_errors(self._where):
            conn = self._writer_engine.connect()
            raw = conn.connection.driver_connection
            cache = raw.execute("PRAGMA cache_size").fetchone()[0]
            raw.execute("PRAGMA foreign_keys=OFF")
            raw.execute("PRAGMA cache_size=-65536")  # 64 MB: a merge touches every page of the indexes it grows
            try:
                with Session(bind=conn, expire_on_commit=False) as s, s.begin():
                    yield s
            finally:
                try:
                    raw.execute(f"PRAGMA cache_size={int(cache)}")
                    raw.execute("PRAGMA foreign_keys=ON")
                except Exception:  # noqa: BLE001 - never hand out a connection without its checks
                    conn.invalidate()
                conn.close()

    def _merge_one(self, s, path: Path, pkg: OpenedPackage | MergeReport, ctx: OfficeContext) -> MergeReport:
        """Apply one opened package inside a savepoint of the caller's transaction."""
        if isinstance(pkg, MergeReport):  # rejected while opening
            return pkg
        savepoint = s.begin_nested()
        try:
            report, wrote = apply_package(s, pkg, ctx, actor=self.actor, device=self.device)
        except PackageRejected as exc:
            savepoint.rollback()
            s.info.pop("audit_head", None)  # the chain head of the rolled-back entries is void
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

    def merged_packages(self) -> list[ReceiptInfo]:
        with self.read() as s:
            rows = s.execute(
                select(PackageReceipt, Evaluator.code).join(Evaluator, Evaluator.id == PackageReceipt.evaluator_id)
                .order_by(PackageReceipt.id)
            ).all()
            return [ReceiptInfo(uuid=r.uuid, evaluator=code, device=r.device, sequence=r.sequence, sha256=r.sha256,
                                fingerprint=r.signature_fingerprint, merged_at=r.merged_at, report=dict(r.report or {}))
                    for r, code in rows]

    def verify_package_evidence(self) -> list[EvidenceCheck]:
        """Check every merged package again from what the office kept: the signature over its
        manifest with the evaluator's pinned key, the hashes of its data and of the laptop's audit
        trail, and that trail's hash chain (which merges leave for later: it has one entry per
        keystroke)."""
        from .archive import unstore

        out = []
        with self.read() as s:
            rows = s.execute(
                select(PackageReceipt, PackageEvidence, Evaluator)
                .join(PackageEvidence, PackageEvidence.receipt_id == PackageReceipt.id)
                .join(Evaluator, Evaluator.id == PackageReceipt.evaluator_id).order_by(PackageReceipt.id)
            ).all()
            for r, evd, ev in rows:
                problem = ""
                try:
                    manifest = F.loads(evd.manifest, "the kept manifest", F.MANIFEST_LIMITS)
                    listed = manifest["members"]
                    if ev.public_key is None or not K.verify_signature(ev.public_key, evd.signature,
                                                                       F.SIGNING_CONTEXT + evd.manifest):
                        problem = f"the signature does not match the key registered for {ev.code}"
                    elif F.sha256(unstore(evd.data_method, evd.data)) != listed["data.json"]["sha256"]:
                        problem = "the kept data does not match its hash in the signed manifest"
                    else:
                        trail_bytes = unstore(evd.audit_method, evd.audit_trail)
                        if F.sha256(trail_bytes) != listed["audit.json"]["sha256"]:
                            problem = "the kept audit trail does not match its hash in the signed manifest"
                        else:
                            trail = F.loads(trail_bytes, "the kept audit trail", F.AUDIT_LIMITS)
                            check = audit.verify_entries(trail)
                            if not check.ok:
                                problem = f"the laptop's audit trail is broken: {check.problem}"
                            elif (trail[-1]["hash"] if trail else audit.GENESIS) != evd.audit_head:
                                problem = "the laptop's audit trail does not end where the manifest says"
                            elif len(trail) != evd.audit_entries:
                                problem = (f"the laptop's audit trail has {len(trail):,} entries, the manifest says "
                                           f"{evd.audit_entries:,}")
                except F.Invalid as exc:
                    problem = f"the kept evidence is unreadable: {exc}"
                except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
                    problem = f"the kept evidence is unreadable ({type(exc).__name__})"
                out.append(EvidenceCheck(receipt=r.uuid, evaluator=ev.code, device=r.device, sequence=r.sequence,
                                         fingerprint=r.signature_fingerprint, ok=not problem, problem=problem,
                                         audit_entries=evd.audit_entries))
        return out

    # --- conflicts --------------------------------------------------------------------------------
    def merge_conflicts(self, *, open_only: bool = True) -> list[ConflictInfo]:
        """Conflicts found by merges (only those the office has not decided, by default)."""
        from .merge import _conflict_info

        with self.read() as s:
            q = (select(MergeConflict, Application.external_id, Evaluator.code)
                 .join(Application, Application.id == MergeConflict.application_id)
                 .join(Evaluator, Evaluator.id == MergeConflict.evaluator_id).order_by(MergeConflict.id))
            if open_only:
                q = q.where(MergeConflict.resolution.is_(None))
            return [_conflict_info(c, ext, code) for c, ext, code in s.execute(q).all()]

    def resolve_conflict(self, conflict_id: int, take: str = "other", reason: str = "") -> ConflictInfo:
        """Decide a conflict: ``take="kept"`` confirms the rule's choice, ``take="other"`` puts the
        other value in place (refused if the record changed since the merge)."""
        from .merge import _conflict_info

        if take not in ("kept", "other"):
            raise ValidationError(f"Choose 'kept' or 'other' to resolve a conflict, not {take!r}.")
        with self.write() as s:
            audit.lock(s)
            c = s.get(MergeConflict, conflict_id)
            if c is None:
                raise NotFound(f"There is no merge conflict {conflict_id}.")
            app = s.get(Application, c.application_id)
            ev = s.get(Evaluator, c.evaluator_id)
            if c.resolution is not None:
                raise ValidationError(f"Conflict {conflict_id} ({app.external_id}, {ev.code}) was already resolved "
                                      f"({c.resolution}, by {c.resolved_by}).")
            entity_uuid = None
            if take == "other":
                entity_uuid = self._put_snapshot(s, c, app)
            c.resolution, c.resolved_by, c.resolved_at, c.resolution_reason = take, self.actor, utcnow(), reason
            audit.append(s, actor=self.actor, device=self.device, action="resolve_conflict", entity=c.entity,
                         entity_uuid=entity_uuid, old=c.kept.get("values"),
                         new=(c.other if take == "other" else c.kept).get("values"),
                         reason=reason or f"conflict {conflict_id}: took the {take} value")
            s.flush()
            return _conflict_info(c, app.external_id, ev.code)

    def _put_snapshot(self, s, c: MergeConflict, app: Application) -> str:
        values, device = dict(c.other["values"]), c.other.get("device", "")
        now = utcnow()
        if c.entity == "evaluation":
            e = s.get(Evaluation, c.record_id)
            if e is None:
                raise NotFound(f"The evaluation of conflict {c.id} no longer exists.")
            crits = criteria_by_code(s, app.track.rubric_id)
            by_id = {cr.id: code for code, cr in crits.items()}
            current = F.evaluation_values(e.state, e.abstained, e.abstain_reason, e.comment,
                                          {by_id[sc.criterion_id]: F.score_value(sc.level, sc.points, sc.comment)
                                           for sc in e.scores}, F.iso(e.finalised_at))
            if F.content_hash(current) != F.content_hash(c.kept["values"]):
                raise EditConflict(f"The evaluation of {app.external_id} changed after conflict {c.id} was found; "
                                   "nothing was changed (merge again or edit it directly).")
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
            raise NotFound(f"The site visit of conflict {c.id} no longer exists.")
        current = F.visit_values(F.iso(v.visited_at), v.attendees, v.checklist or {}, v.notes)
        if F.content_hash(current) != F.content_hash(c.kept["values"]):
            raise EditConflict(f"The site visit of {app.external_id} changed after conflict {c.id} was found; nothing "
                               "was changed.")
        v.visited_at = F.parse_dt(values.get("visited_at"))
        v.attendees, v.checklist, v.notes = values["attendees"], dict(values["checklist"]), values["notes"]
        v.version += 1
        v.updated_at, v.device = now, device
        return v.uuid

    # --- photos and documents ---------------------------------------------------------------------
    def add_attachment(self, application_id: str, evaluator: str, source: str | Path | bytes, *,
                       filename: str | None = None, media_type: str | None = None, criterion: str | None = None,
                       caption: str = "") -> AttachmentInfo:
        """Attach a photo (or document) to an evaluator's evaluation of an application; it travels in
        the result package."""
        if isinstance(source, (bytes, bytearray)):
            data = bytes(source)
            name = filename or "photo"
        else:
            path = Path(source)
            try:
                if path.stat().st_size > MAX_ATTACHMENT:
                    raise ValidationError(f"{path} is larger than {MAX_ATTACHMENT // (1024 * 1024)} MB; attach a "
                                          "smaller photo.")
                data = path.read_bytes()
            except OSError as exc:
                raise ValidationError(f"Cannot read {path}: {exc.strerror}.") from None
            name = filename or path.name
        if len(data) > MAX_ATTACHMENT:
            raise ValidationError(f"{name} is larger than {MAX_ATTACHMENT // (1024 * 1024)} MB; attach a smaller photo.")
        kind = media_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
        with self.write() as s:
            app = application_by_id(s, application_id, current_program(s))
            ev = evaluator_by_code(s, evaluator)
            _assignment(s, app, ev)
            crit_id = None
            if criterion:
                crits = criteria_by_code(s, app.track.rubric_id)
                if criterion not in crits:
                    raise ValidationError(f"Rubric '{rubric_def(app.track).code}' has no criterion '{criterion}'.")
                crit_id = crits[criterion].id
            a = Attachment(application_id=app.id, evaluator_id=ev.id, criterion_id=crit_id, filename=name[:300],
                           media_type=kind[:100], sha256=F.sha256(data), size=len(data), data=data, caption=caption)
            s.add(a)
            s.flush()
            audit.append(s, actor=self.actor, device=self.device, action="attachment", entity="attachment",
                         entity_uuid=a.uuid, new={"application": app.external_id, "filename": a.filename,
                                                  "sha256": a.sha256, "criterion": criterion})
            return AttachmentInfo(a.uuid, app.external_id, ev.code, criterion, a.filename, a.media_type, a.sha256,
                                  a.size, a.caption, a.created_at)

    def attachments(self, application_id: str | None = None, evaluator: str | None = None) -> list[AttachmentInfo]:
        with self.read() as s:
            q = (select(Attachment, Application.external_id, Evaluator.code, Criterion.code)
                 .join(Application, Application.id == Attachment.application_id)
                 .outerjoin(Evaluator, Evaluator.id == Attachment.evaluator_id)
                 .outerjoin(Criterion, Criterion.id == Attachment.criterion_id)
                 .where(Attachment.deleted.is_(False)).order_by(Attachment.id))
            if application_id:
                q = q.where(Application.external_id == application_id)
            if evaluator:
                q = q.where(Evaluator.code == evaluator)
            return [AttachmentInfo(a.uuid, ext, code, crit, a.filename, a.media_type, a.sha256, a.size, a.caption,
                                   a.created_at) for a, ext, code, crit in s.execute(q).all()]

    def attachment_data(self, uuid: str) -> bytes:
        with self.read() as s:
            a = s.execute(select(Attachment).where(Attachment.uuid == uuid)).scalar_one_or_none()
            if a is None:
                raise NotFound(f"There is no attachment {uuid}.")
            if a.data is not None:
                return bytes(a.data)
            try:
                return Path(a.path or "").read_bytes()
            except OSError as exc:
                raise NotFound(f"The attachment {a.filename} is missing ({a.path}: {exc.strerror}).") from None

    def remove_attachment(self, uuid: str) -> None:
        """Mark a photo deleted (the removal travels in the next result package)."""
        with self.write() as s:
            a = s.execute(select(Attachment).where(Attachment.uuid == uuid)).scalar_one_or_none()
            if a is None:
                raise NotFound(f"There is no attachment {uuid}.")
            if not a.deleted:
                a.deleted = True
                audit.append(s, actor=self.actor, device=self.device, action="remove_attachment",
                             entity="attachment", entity_uuid=a.uuid, old={"deleted": False}, new={"deleted": True})

