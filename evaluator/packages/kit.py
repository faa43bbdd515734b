"""Field kits (office → evaluator): one file per evaluator, imported into a field database.

A kit is a ZIP (see docs/package-format.md): ``kit.json`` (the manifest: format, program,
evaluator, kit sequence number, the office's public keys and fingerprint, each rubric's content
hash, every other member's SHA-256), ``data.json`` (program, tracks, the evaluator, their
assignments and only the application fields a visit needs) and ``rubrics/CODE.toml`` (each rubric's
source exactly as the office loaded it).  Conflicted applications are never in a kit; personal
contact fields only when the office asks for them — and then the kit is encrypted
(:mod:`.kitseal`): to the evaluator's registered key, or with a passphrase the office sets.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..db.models import Application, Assignment, Evaluator, Program, Track, utcnow
from ..domain import FIELD, OFFICE, PERSONAL_FIELDS
from ..errors import PermissionDenied
from ..messages import Message, msg
from ..monitoring import fieldwork
from ..outfile import write_bytes
from ..rubric import parse_rubric
from ..services import applications as apps_svc
from ..services import people, programs
from ..services.common import current_program, evaluator_by_code, get_setting, set_setting
from . import formats as F
from . import kitseal
from .kitseal import kit_named
from .archive import read_archive, write_archive
from .envelope import MAGIC as PACKAGE_MAGIC
from .errors import KeyProblem, KitRejected, UnsafeArchive, reason_of
from .keys import KeyInfo, b64, key_fingerprint, load_identity, normalise_fingerprint, read_key_info, key_path, unb64
from .results import KitInfo

#: application fields a visit needs (always in a kit)
VISIT_FIELDS = ("category", "title", "group_name", "district", "neighbourhood", "members", "requested_amount",
                "self_contribution", "summary", "submitted_on", "status")
MAX_KIT_BYTES = 256 * 1024 * 1024

# settings keys
OFFICE_KEYS = "office_keys"
KIT_SEQUENCES = "kit_sequences"  # office: {evaluator code: last kit number}
FIELD_KIT = "kit"  # field: {sequence, sha256, created_at, program_uuid, evaluator, include_personal}


# --- office side ----------------------------------------------------------------------------------
def office_key_info(s: Session) -> KeyInfo | None:
    doc = get_setting(s, OFFICE_KEYS)
    if not doc:
        return None
    sp = unb64(doc["signing_public"], msg("keys.office_signing_key", "The office signing key"), 32)
    ep = unb64(doc["encryption_public"], msg("keys.office_encryption_key", "The office encryption key"), 32)
    return KeyInfo("office", "office", sp, ep, key_fingerprint(sp, ep))


def office_keys_document(info: KeyInfo) -> dict[str, Any]:
    assert info.encryption_public is not None
    return {"signing_public": b64(info.signing_public), "encryption_public": b64(info.encryption_public),
            "fingerprint": info.fingerprint}


def build_kit(s: Session, evaluator: str, *, include_personal: bool,
              kit_passphrase: str | None = None) -> tuple[bytes, KitInfo]:
    """The kit for ``evaluator`` (bumps that evaluator's kit number; call inside a write).

    A kit with personal data is sealed (:mod:`.kitseal`): with ``kit_passphrase`` when the office
    gives one, otherwise to the evaluator's registered key; an evaluator without a registered key
    and no passphrase is refused (:class:`~.kitseal.KitPassphraseNeeded`) before anything changes."""
    if get_setting(s, "role", OFFICE) != OFFICE:
        raise PermissionDenied(msg("kit.made_in_office", "Kits are made in the office database; this is a field "
                                   "database."))
    office = office_key_info(s)
    if office is None:
        raise KeyProblem(msg("kit.no_office_key", "The office has no key pair yet; create it with 'evaluator keys "
                             "init' (the kit must carry the office's public key)."))
    p = current_program(s)
    ev = evaluator_by_code(s, evaluator)
    if include_personal and kit_passphrase is None and not ev.public_key:
        raise kitseal.KitPassphraseNeeded(msg(
            "kit.passphrase_needed",
            "A kit with applicants' contact data is encrypted, and evaluator {evaluator} has no registered key yet: "
            "set a kit passphrase (--kit-passphrase-file FILE or EVALUATOR_KIT_PASSPHRASE) and tell it to the "
            "evaluator in person or by phone, never with the kit. Nothing was written.", evaluator=ev.code))
    if kit_passphrase is not None:
        kitseal.check_kit_passphrase(kit_passphrase)
    seqs = dict(get_setting(s, KIT_SEQUENCES) or {})
    sequence = int(seqs.get(ev.code, 0)) + 1
    seqs[ev.code] = sequence
    set_setting(s, KIT_SEQUENCES, seqs)
    p.kits_issued = (p.kits_issued or 0) + 1  # from now on the program's rubrics may not change

    rows = s.execute(
        select(Assignment, Application, Track.code)
        .join(Application, Application.id == Assignment.application_id)
        .join(Track, Track.id == Application.track_id)
        .where(Assignment.evaluator_id == ev.id, Assignment.conflict_type.is_(None),
               Application.program_id == p.id)
        .order_by(Application.external_id)
    ).all()
    fields = VISIT_FIELDS + (PERSONAL_FIELDS if include_personal else ())
    applications, assignments = [], []
    for a, app, track in rows:
        doc: dict[str, Any] = {"uuid": app.uuid, "id": app.external_id, "track": track}
        for f in fields:
            v = getattr(app, f)
            doc[f] = v.isoformat() if isinstance(v, date) else v
        applications.append(doc)
        assignments.append({"uuid": a.uuid, "application": app.external_id,
                            "planned_visit_on": F.iso(a.planned_visit_on)})
    # the awards this evaluator follows for monitoring, and their applications (docs/follow-up.md)
    monitoring, followed = fieldwork.kit_part(s, p, ev)
    for app in followed:
        if app.external_id not in {a["id"] for a in applications}:
            doc = {"uuid": app.uuid, "id": app.external_id, "track": app.track.code}
            for f in fields:
                v = getattr(app, f)
                doc[f] = v.isoformat() if isinstance(v, date) else v
            applications.append(doc)
    tracks = [{"code": t.code, "name_ko": t.name_ko, "name_en": t.name_en, "rubric": t.rubric.code,
               "quota": t.quota, "reserve_size": t.reserve_size, "budget": t.budget} for t in p.tracks]
    rubrics = {t.rubric.code: t.rubric for t in p.tracks}
    data = {
        "program": {"uuid": p.uuid, "code": p.code, "name_ko": p.name_ko, "name_en": p.name_en, "status": p.status,
                    "opened_on": F.iso(p.opened_on), "closed_on": F.iso(p.closed_on),
                    "settings": dict(p.settings or {})},
        "tracks": tracks,
        "evaluator": {"uuid": ev.uuid, "code": ev.code, "name": ev.name, "organisation": ev.organisation,
                      "role": ev.role},
        "applications": applications,
        "assignments": assignments,
    }
    if monitoring is not None:
        data["monitoring"] = monitoring
    members: list[tuple[str, bytes, bool]] = [("data.json", F.dumps(data), True)]
    for code, r in sorted(rubrics.items()):
        members.append((f"rubrics/{code}.toml", r.source.encode("utf-8"), True))
    created = utcnow()
    manifest = {
        "format": F.KIT_FORMAT, "format_version": F.FORMAT_VERSION, "sequence": sequence,
        "created_at": F.iso(created), "program": {"uuid": p.uuid, "code": p.code},
        "evaluator": {"uuid": ev.uuid, "code": ev.code}, "office": office_keys_document(office),
        "include_personal": include_personal,
        "rubrics": {code: r.content_hash for code, r in sorted(rubrics.items())},
        "members": {name: {"sha256": F.sha256(body), "size": len(body)} for name, body, _ in members},
    }
    blob = write_archive([("kit.json", F.dumps(manifest), True)] + members)
    protection = ""
    if include_personal:  # contact data never leaves the office in clear
        if kit_passphrase is not None:
            blob = kitseal.seal_with_passphrase(blob, evaluator=ev.code, passphrase=kit_passphrase)
            protection = protected_by_passphrase()
        else:
            blob = kitseal.seal_to_evaluator(blob, evaluator=ev.code, signing_public=ev.public_key)
            protection = protected_by_key(key_fingerprint(ev.public_key))
    info = KitInfo(
        path="", program=p.code, program_uuid=p.uuid, evaluator=ev.code, sequence=sequence,
        applications=tuple(a["id"] for a in applications), include_personal=include_personal,
        office_fingerprint=office.fingerprint,
        rubrics={code: r.content_hash[:12] for code, r in rubrics.items()}, created_at=created,
        protection=protection,
    )
    return blob, info


# how a kit is protected, as KitInfo.protection says it ("" for a plain kit), in the language in effect
def protected_by_passphrase() -> str:
    return str(msg("kit.protected_by_passphrase", "encrypted with the office's kit passphrase"))


def protected_by_key(fingerprint: str) -> str:
    return str(msg("kit.protected_by_key", "encrypted to the evaluator's key {fingerprint}", fingerprint=fingerprint))


@dataclass(frozen=True)
class KitUnlock:
    """What opens an encrypted kit on the laptop: the office's kit passphrase, or the evaluator's
    key file (in ``key_dir``) and its passphrase.  Only the one the kit needs is used."""

    kit_passphrase: str | None = None
    key_passphrase: str | None = None
    key_dir: str | Path | None = None


def sealed_kit(path: str | Path) -> kitseal.SealedKit | None:
    """The envelope of an encrypted kit (readable without a secret, to know what to ask for), or
    None for a plain kit."""
    path = Path(path)
    blob = _read(path)
    return kitseal.parse(blob, what=kit_named(path.name)) if kitseal.is_sealed(blob) else None


def _unseal(blob: bytes, unlock: KitUnlock | None, what: Message) -> tuple[bytes, str]:
    sealed = kitseal.parse(blob, what=what)
    unlock = unlock or KitUnlock()
    if sealed.to == kitseal.TO_PASSPHRASE:
        if not unlock.kit_passphrase:
            raise kitseal.KitLocked(msg(
                "kit.locked_passphrase",
                "{what} carries applicants' contact data and is encrypted with a passphrase the office set: give it "
                "with --kit-passphrase-file FILE or EVALUATOR_KIT_PASSPHRASE (ask the office for it); nothing was "
                "changed.", what=what))
        return kitseal.open_with_passphrase(sealed, unlock.kit_passphrase, what=what), protected_by_passphrase()
    try:
        has_key = read_key_info(unlock.key_dir, sealed.evaluator) is not None
    except KeyProblem:  # the header names no usable evaluator code: it was altered
        raise KitRejected(msg("kit.header_no_evaluator", "{what} is damaged (its header names no evaluator).",
                              what=what)) from None
    if not has_key:
        raise kitseal.KitLocked(msg(
            "kit.locked_no_key_file",
            "{what} carries applicants' contact data and is encrypted to evaluator {evaluator}'s key "
            "({fingerprint}), but this computer has no key file for {evaluator} "
            "({path}). Import it on the laptop that holds the key (or give "
            "--key-dir), or ask the office for a kit with a passphrase; nothing was changed.",
            what=what, evaluator=sealed.evaluator, fingerprint=sealed.recipient,
            path=str(key_path(unlock.key_dir, sealed.evaluator))))
    if unlock.key_passphrase is None:
        raise kitseal.KitLocked(msg(
            "kit.locked_key_passphrase",
            "{what} is encrypted to evaluator {evaluator}'s key ({fingerprint}): give that key's "
            "passphrase (--passphrase-file FILE or EVALUATOR_PASSPHRASE); nothing was changed.",
            what=what, evaluator=sealed.evaluator, fingerprint=sealed.recipient))
    identity = load_identity(unlock.key_dir, unlock.key_passphrase, owner=sealed.evaluator)
    inner = kitseal.open_with_key(sealed, identity.signing_key, what=what)
    return inner, protected_by_key(sealed.recipient)


def write_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (a temporary file renamed into place; a failure leaves
    nothing and says why in one sentence)."""
    write_bytes(path, data)


# --- field side -----------------------------------------------------------------------------------
def _read(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_KIT_BYTES:
            raise KitRejected(msg("kit.too_big", "The kit {path} is {size:,} bytes; a kit is at most {limit:,}.",
                                  path=str(path), size=size, limit=MAX_KIT_BYTES))
        return path.read_bytes()
    except FileNotFoundError:
        raise KitRejected(msg("kit.file_missing", "The kit file {path} does not exist.", path=str(path))) from None
    except OSError as exc:
        raise KitRejected(msg("kit.cannot_read", "Cannot read the kit {path}: {reason}.", path=str(path),
                              reason=exc.strerror or str(exc))) from None


def _allowed(name: str) -> bool:
    if name in ("kit.json", "data.json"):
        return True
    return name.startswith("rubrics/") and name.endswith(".toml") and name.count("/") == 1


def read_kit(path: str | Path, *, unlock: KitUnlock | None = None) -> dict[str, Any]:
    """Open (decrypting with ``unlock`` when the kit is encrypted) and check a kit file; returns
    its parsed parts (nothing is written)."""
    path = Path(path)
    what = kit_named(path.name)
    blob = file_blob = _read(path)
    if blob[:len(PACKAGE_MAGIC)] == PACKAGE_MAGIC:
        raise KitRejected(msg("kit.is_a_package", "{what} is a result package, not a field kit: the office merges it "
                              "('evaluator merge' on the office database); a laptop imports the kit (.mekit) the "
                              "office made.", what=what))
    protection = ""
    if kitseal.is_sealed(blob):
        blob, protection = _unseal(blob, unlock, what)
    try:
        members = read_archive(blob, what=what, allowed=_allowed)
    except UnsafeArchive as exc:
        raise KitRejected(exc.sentence) from None
    if "kit.json" not in members or "data.json" not in members:
        raise KitRejected(msg("kit.not_a_kit_members", "{path} is not a Maeul Evaluator field kit (no "
                              "kit.json/data.json).", path=str(path)))
    try:
        manifest = F.loads(members["kit.json"], "kit.json")
        if not isinstance(manifest, dict) or manifest.get("format") != F.KIT_FORMAT:
            raise KitRejected(msg("kit.not_a_kit", "{path} is not a Maeul Evaluator field kit.", path=str(path)))
        if manifest.get("format_version") != F.FORMAT_VERSION:
            raise KitRejected(msg("kit.format_version", "{what} has format version {version}; this version reads "
                                  "version {supported}. Install the same version as the office.", what=what,
                                  version=str(manifest.get("format_version")), supported=F.FORMAT_VERSION))
        listed = F.need(manifest, "members", dict, "kit.json")
        if set(listed) != set(members) - {"kit.json"}:
            raise KitRejected(msg("kit.members_differ", "{what} is incomplete or has extra members (the manifest "
                                  "lists {members}).", what=what, members=", ".join(sorted(listed))))
        for name, body in members.items():
            if name != "kit.json" and F.need(listed[name], "sha256", str, f"members[{name}]") != F.sha256(body):
                raise KitRejected(msg("kit.member_hash", "{what} is damaged or was altered: {name} does not match "
                                      "its hash.", what=what, name=name))
        seq = F.need(manifest, "sequence", int, "kit.json")
        office_doc = F.need(manifest, "office", dict, "kit.json")
        sp = unb64(F.need(office_doc, "signing_public", str, "kit.json office"),
                   msg("kit.its_office_signing_key", "the office signing key"), 32)
        ep = unb64(F.need(office_doc, "encryption_public", str, "kit.json office"),
                   msg("kit.its_office_encryption_key", "the office encryption key"), 32)
        office = KeyInfo("office", "office", sp, ep, key_fingerprint(sp, ep))
        if F.need(office_doc, "fingerprint", str, "kit.json office") != office.fingerprint:
            raise KitRejected(msg("kit.office_key_altered", "{what} was altered: the office key does not match its "
                                  "fingerprint.", what=what))
        data = F.loads(members["data.json"], "data.json")
        prog = F.need(data, "program", dict, "data.json")
        for k in ("uuid", "code", "name_ko"):
            F.need(prog, k, str, "data.json program")
        evd = F.need(data, "evaluator", dict, "data.json")
        for k in ("uuid", "code", "name"):
            F.need(evd, k, str, "data.json evaluator")
        if prog["uuid"] != F.need(F.need(manifest, "program", dict, "kit.json"), "uuid", str, "kit.json program") or \
                evd["code"] != F.need(F.need(manifest, "evaluator", dict, "kit.json"), "code", str, "kit.json"):
            raise KitRejected(msg("kit.manifest_data_disagree", "{what} was altered: its manifest and data disagree.",
                                  what=what))
        rubric_hashes = F.need(manifest, "rubrics", dict, "kit.json")
        rubrics = {}
        for code, digest in rubric_hashes.items():
            name = f"rubrics/{code}.toml"
            if name not in members:
                raise KitRejected(msg("kit.lacks_rubric", "{what} lacks the rubric {rubric}.", what=what, rubric=code))
            rd = parse_rubric(members[name].decode("utf-8"), source_name=f"{path.name}:{name}")
            if rd.content_hash != digest:
                raise KitRejected(msg("kit.rubric_hash", "{what}: rubric {rubric} does not match its version hash.",
                                      what=what, rubric=code))
            rubrics[code] = rd
        tracks = []
        for i, t in enumerate(F.items(data, "tracks", "data.json")):
            w = f"data.json tracks[{i}]"
            tracks.append(programs.TrackSpec(
                code=F.need(t, "code", str, w), name_ko=F.need(t, "name_ko", str, w),
                name_en=F.need(t, "name_en", str, w, optional=True) or "",
                rubric=rubrics[F.need(t, "rubric", str, w)] if t.get("rubric") in rubrics else _no_rubric(what, t),
                quota=F.need(t, "quota", int, w), reserve_size=F.need(t, "reserve_size", int, w, optional=True) or 0,
                budget=F.need(t, "budget", int, w, optional=True)))
        track_codes = {t.code for t in tracks}
        apps = []
        for i, a in enumerate(F.items(data, "applications", "data.json")):
            w = f"data.json applications[{i}]"
            F.need(a, "uuid", str, w)
            F.need(a, "id", str, w)
            if F.need(a, "track", str, w) not in track_codes:
                raise F.Invalid(msg("kit.track_not_in_kit", "{where}.track is not a track of the kit", where=w))
            for f in ("title", "group_name", "district", "category"):
                F.need(a, f, str, w)
            for f in ("members", "requested_amount", "self_contribution"):
                F.need(a, f, int, w, optional=True)
            F.need_date(a, "submitted_on", w)
            apps.append(a)
        app_ids = {a["id"] for a in apps}
        assignments = []
        for i, a in enumerate(F.items(data, "assignments", "data.json")):
            w = f"data.json assignments[{i}]"
            F.need(a, "uuid", str, w)
            if F.need(a, "application", str, w) not in app_ids:
                raise F.Invalid(msg("kit.application_not_in_kit", "{where}.application is not in the kit", where=w))
            F.need_date(a, "planned_visit_on", w)
            assignments.append(a)
    except F.Invalid as exc:
        raise KitRejected(msg("kit.damaged_because", "{what} is damaged: {reason}.", what=what,
                              reason=reason_of(exc))) from None
    except KeyProblem as exc:
        raise KitRejected(msg("kit.damaged_key", "{what} is damaged: {reason}", what=what,
                              reason=reason_of(exc))) from None
    return {"manifest": manifest, "data": data, "office": office, "sequence": seq, "tracks": tracks,
            "rubrics": rubrics, "applications": apps, "assignments": assignments, "sha256": F.sha256(file_blob),
            "path": path, "protection": protection}


def _no_rubric(what: Message, t: dict) -> Any:
    raise KitRejected(msg("kit.track_without_rubric", "{what}: track {track} names a rubric the kit does not carry.",
                          what=what, track=str(t.get("code"))))


def check_office_key(kit: dict[str, Any], expected_office_fingerprint: str | None) -> None:
    """Refuse a kit whose office key is not the one the evaluator was told (read aloud, on paper)."""
    office = kit["office"]
    if expected_office_fingerprint and normalise_fingerprint(expected_office_fingerprint) != office.fingerprint:
        raise KitRejected(msg("kit.office_key_not_told", "The kit {name} carries office key {fingerprint}, not the "
                              "{expected} you were told; do not use it and ask the office.", name=kit["path"].name,
                              fingerprint=office.fingerprint,
                              expected=normalise_fingerprint(expected_office_fingerprint)))


def install(s: Session, kit: dict[str, Any], *, database: str, device: str) -> KitInfo:
    """Create or update the FIELD database of session ``s`` from the kit read by :func:`read_kit`.

    Refuses (changing nothing) a kit for another program or another evaluator than the one the
    database already holds, a kit older than the one already imported, and an office key that
    differs from the one this database already trusts.  Opening (and encrypting) the field
    database itself is :func:`evaluator.workflows.import_kit`."""
    manifest, data, office = kit["manifest"], kit["data"], kit["office"]
    path: Path = kit["path"]
    what = kit_named(path.name)
    prog, evd = data["program"], data["evaluator"]
    seq = kit["sequence"]
    role = get_setting(s, "role")
    has_program = s.execute(select(Program.id).limit(1)).first() is not None
    if role != FIELD:
        if has_program:
            raise KitRejected(msg("kit.into_office_database", "{database} is an office database; import the kit into "
                                  "a field database (give another --db).", database=database))
        set_setting(s, "role", FIELD)
    current = get_setting(s, FIELD_KIT) or {}
    status = "created" if not current else "updated"
    if current:
        if current.get("program_uuid") != prog["uuid"]:
            raise KitRejected(msg("kit.other_program", "{what} is for program '{program}', but this field database "
                                  "holds program '{current}'; use another field database for it.", what=what,
                                  program=prog["code"], current=str(current.get("program_code"))))
        if current.get("evaluator") != evd["code"]:
            raise KitRejected(msg("kit.other_evaluator", "{what} is for evaluator {evaluator}, but this field database "
                                  "belongs to {current}; nothing was changed.", what=what, evaluator=evd["code"],
                                  current=str(current.get("evaluator"))))
        if seq < int(current.get("sequence", 0)):
            raise KitRejected(msg("kit.older", "{what} is kit number {sequence}, older than kit number {current} "
                                  "already imported; nothing was changed.", what=what, sequence=seq,
                                  current=current["sequence"]))
        if seq == int(current.get("sequence", 0)):
            if current.get("sha256") != kit["sha256"]:
                raise KitRejected(msg("kit.same_number_other_contents", "{what} has the same number ({sequence}) as "
                                      "the kit already imported but different contents; ask the office for a new "
                                      "kit.", what=what, sequence=seq))
            status = "unchanged"
    elif has_program:
        raise KitRejected(msg("kit.program_not_from_kit", "{database} already holds a program that did not come from "
                              "a kit.", database=database))
    pinned = get_setting(s, OFFICE_KEYS)
    if pinned and pinned.get("fingerprint") != office.fingerprint:
        raise KitRejected(msg("kit.other_office_key", "{what} carries office key {fingerprint}, but this field "
                              "database trusts office key {trusted}; nothing was changed. Ask the office.", what=what,
                              fingerprint=office.fingerprint, trusted=str(pinned.get("fingerprint"))))
    if status != "unchanged":
        _apply_kit(s, kit, actor=evd["code"], device=device)
        set_setting(s, OFFICE_KEYS, office_keys_document(office))
        set_setting(s, "evaluator", evd["code"])
        set_setting(s, "program_uuid", prog["uuid"])
        set_setting(s, FIELD_KIT, {
            "sequence": seq, "sha256": kit["sha256"], "created_at": manifest.get("created_at"),
            "program_uuid": prog["uuid"], "program_code": prog["code"], "evaluator": evd["code"],
            "include_personal": bool(manifest.get("include_personal")), "imported_at": F.iso(utcnow()),
        })
    created = manifest.get("created_at")
    return KitInfo(
        path=str(path), program=prog["code"], program_uuid=prog["uuid"], evaluator=evd["code"], sequence=seq,
        applications=tuple(sorted(a["application"] for a in kit["assignments"])),
        include_personal=bool(manifest.get("include_personal")), office_fingerprint=office.fingerprint,
        rubrics={code: rd.version for code, rd in kit["rubrics"].items()},
        created_at=F.parse_dt(created) if isinstance(created, str) else None,
        status=status, database=database, protection=kit["protection"],
    )


def _apply_kit(s: Session, kit: dict[str, Any], *, actor: str, device: str) -> None:
    data = kit["data"]
    prog, evd = data["program"], data["evaluator"]
    p = s.execute(select(Program).where(Program.uuid == prog["uuid"])).scalar_one_or_none()
    if p is None:
        p = programs.create_program(
            s, code=prog["code"], name_ko=prog["name_ko"], name_en=prog.get("name_en") or "", tracks=kit["tracks"],
            opened_on=F.parse_date(prog.get("opened_on")), closed_on=F.parse_date(prog.get("closed_on")),
            settings=prog.get("settings") or {}, uuid=prog["uuid"], status=prog.get("status") or "field_study",
        )
    else:
        have = {t.code: t for t in p.tracks}
        for spec in kit["tracks"]:
            t = have.get(spec.code)
            if t is None:
                raise KitRejected(msg("kit.new_track", "The kit adds track '{track}', which this field database does "
                                      "not have; start a new field database for it.", track=spec.code))
            if t.rubric.content_hash != spec.rubric.content_hash:
                raise KitRejected(msg(
                    "kit.rubric_differs",
                    "The kit's rubric for track '{track}' (version {version}) differs from the one "
                    "this field database was made with (version {current}); ask the office.",
                    track=spec.code, version=spec.rubric.version, current=t.rubric.content_hash[:12]))
        p.status = prog.get("status") or p.status
    ev = s.execute(select(Evaluator).where(Evaluator.code == evd["code"])).scalar_one_or_none()
    ev = people.put_evaluator(s, code=evd["code"], name=evd["name"], organisation=evd.get("organisation") or "",
                              role=evd.get("role") or "", email=ev.email if ev else "",
                              uuid=None if ev else evd["uuid"])
    tracks = {t.code: t for t in p.tracks}
    apps: dict[str, Application] = {}
    for a in kit["applications"]:
        values = {k: a[k] for k in ("id", "track") + VISIT_FIELDS + PERSONAL_FIELDS if k in a and k != "status"}
        values["submitted_on"] = F.parse_date(a.get("submitted_on"))
        for k in PERSONAL_FIELDS:  # a kit without contact data also clears what an earlier kit brought
            values.setdefault(k, "")
        for k in ("title", "group_name", "district", "neighbourhood", "summary", "category") + PERSONAL_FIELDS:
            if k in values and values[k] is None:
                values[k] = ""
        app, _ = apps_svc.put_application(s, p, tracks, values, uuid=a["uuid"])
        if a.get("status"):
            app.status = a["status"]
        apps[a["id"]] = app
    existing = {
        ext: asg
        for asg, ext in s.execute(
            select(Assignment, Application.external_id)
            .join(Application, Application.id == Assignment.application_id)
            .where(Assignment.evaluator_id == ev.id)
        ).all()
    }
    for a in kit["assignments"]:
        planned = F.parse_date(a.get("planned_visit_on"))
        asg = existing.get(a["application"])
        if asg is None:
            people.assign(s, apps[a["application"]], ev, actor=actor, planned_visit_on=planned, uuid=a["uuid"])
        elif asg.conflict_type is None:
            asg.planned_visit_on = planned
    in_kit = {a["application"] for a in kit["assignments"]}
    for ext, asg in existing.items():
        if ext not in in_kit and asg.conflict_type is None:
            # the office withdrew it (e.g. declared a conflict): the laptop must not score it any more
            people.declare_conflict(s, asg.application, ev, conflict_type="other",
                                    note=f"no longer assigned (kit {kit['sequence']})", actor=actor)
    s.flush()
    fieldwork.install(s, p, ev, data.get("monitoring"), apps, kit_named(Path(kit['path']).name))
    audit.append(s, actor=actor, device=device, action="import_kit", entity="program", entity_uuid=p.uuid,
                 new={"kit": kit["sequence"], "sha256": kit["sha256"], "evaluator": evd["code"],
                      "applications": len(kit["applications"]), "office_key": kit["office"].fingerprint})


def field_kit_info(s: Session, database: str | None = None) -> KitInfo | None:
    cur = get_setting(s, FIELD_KIT)
    if not cur:
        return None
    office = get_setting(s, OFFICE_KEYS) or {}
    ids = tuple(s.execute(
        select(Application.external_id)
        .join(Assignment, Assignment.application_id == Application.id)
        .join(Evaluator, Evaluator.id == Assignment.evaluator_id)
        .where(Evaluator.code == cur.get("evaluator"), Assignment.conflict_type.is_(None))
        .order_by(Application.external_id)
    ).scalars())
    p = current_program(s)
    created = cur.get("created_at")
    return KitInfo(
        path="", program=p.code, program_uuid=p.uuid, evaluator=cur.get("evaluator", ""),
        sequence=int(cur.get("sequence", 0)), applications=ids,
        include_personal=bool(cur.get("include_personal")), office_fingerprint=office.get("fingerprint", ""),
        rubrics={t.rubric.code: t.rubric.content_hash[:12] for t in p.tracks},
        created_at=datetime.fromisoformat(created) if created else None, status="imported", database=database,
    )


__all__ = ["KitUnlock", "build_kit", "check_office_key", "install", "read_kit", "sealed_kit", "field_kit_info",
           "office_key_info", "write_file"]
