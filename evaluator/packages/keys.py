"""Identities: the office's and each evaluator's key pairs, key files and fingerprints.

* An **evaluator** has an Ed25519 key pair: the laptop signs result packages with it.
* The **office** has an Ed25519 key pair and an X25519 key pair: packages are encrypted to its
  X25519 public key (and kits carry both public keys).

Private keys live only in a key file in the user's data directory (``keys/`` under
:func:`evaluator.paths.data_dir`), each encrypted under a passphrase (PKCS#8 with the best
encryption ``cryptography`` offers) — never in a database, never in a kit or package.  Public keys
are pinned in the databases (the office's in the office database's settings, each evaluator's in
``Evaluator.public_key``).

An office key belongs to the office database that created it: its file is named by its
fingerprint (``office-K7QF-2M4D-XRA9-ABCD.key``) and names that database, and a database finds its
key by the fingerprint it pinned — so two office databases in one data folder never share a key by
accident (a key is shared only on purpose, ``evaluator keys use FILE``).  A key file written before
that (``office.key``) is still found by its fingerprint.

A fingerprint is short enough to read aloud over the phone: SHA-256 of the public key(s) in
base32, four groups of four characters (``K7QF-2M4D-XRA9-…`` without ambiguous digits 0/1/8/9).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization as ser
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from ..messages import Message, msg
from ..paths import data_dir
from . import formats as F
from .errors import KeyProblem, NotAKey, WrongPassphrase, reason_of

KEY_FORMAT = "maeul-evaluator-key"
PUBLIC_FORMAT = "maeul-evaluator-public-key"
FORMAT_VERSION = 1
OFFICE = "office"
EVALUATOR = "evaluator"
MIN_PASSPHRASE = 8
_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")


#: settings key of a field database's own (evaluator) public key
EVALUATOR_KEY = "evaluator_key"


# --- fingerprints ---------------------------------------------------------------------------------
def fingerprint(*parts: bytes) -> str:
    """Four groups of four base32 characters over SHA-256 of ``parts`` (readable aloud)."""
    h = hashlib.sha256()
    for p in parts:
        h.update(len(p).to_bytes(4, "big"))
        h.update(p)
    text = base64.b32encode(h.digest()).decode()[:16]
    return "-".join(text[i:i + 4] for i in range(0, 16, 4))


def normalise_fingerprint(fp: str) -> str:
    """Accept a fingerprint typed with spaces, lower case or without dashes."""
    t = "".join(ch for ch in str(fp).upper() if ch.isalnum())
    return "-".join(t[i:i + 4] for i in range(0, len(t), 4))


def signature_fingerprint(signature: bytes) -> str:
    return fingerprint(b"signature", signature)


# --- values ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class KeyInfo:
    """The public half of an identity (safe to show, print, export and store)."""

    kind: str  # office | evaluator
    owner: str  # "office" or the evaluator code
    signing_public: bytes  # raw Ed25519 public key (32 bytes)
    encryption_public: bytes | None  # raw X25519 public key (office only)
    fingerprint: str
    path: str | None = None  # the key file, when known
    #: the database that created the key (its device id), as its key file says
    database: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "owner": self.owner, "fingerprint": self.fingerprint,
            "signing_public": b64(self.signing_public),
            "encryption_public": b64(self.encryption_public) if self.encryption_public else None,
            "path": self.path, "database": self.database,
        }


@dataclass(frozen=True)
class Identity:
    """An unlocked identity: the private keys in memory (never written anywhere in clear)."""

    info: KeyInfo
    signing_key: Ed25519PrivateKey = field(repr=False, compare=False)
    encryption_key: X25519PrivateKey | None = field(default=None, repr=False, compare=False)

    @property
    def fingerprint(self) -> str:
        return self.info.fingerprint

    @property
    def owner(self) -> str:
        return self.info.owner

    def sign(self, message: bytes) -> bytes:
        return self.signing_key.sign(message)


def key_fingerprint(signing_public: bytes, encryption_public: bytes | None = None) -> str:
    return fingerprint(signing_public, encryption_public) if encryption_public else fingerprint(signing_public)


def raw_public(key: Any) -> bytes:
    return key.public_bytes(ser.Encoding.Raw, ser.PublicFormat.Raw)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: Any, what: str | Message, size: int | None = None) -> bytes:
    try:
        data = base64.b64decode(str(text).encode("ascii"), validate=True)
    except (ValueError, UnicodeError):
        raise KeyProblem(msg("keys.not_base64", "{what} is not valid base64.", what=what)) from None
    if size is not None and len(data) != size:
        raise KeyProblem(msg("keys.wrong_size", "{what} has {count} bytes; a key has {size}.", what=what,
                             count=len(data), size=size))
    return data


def key_file_named(path: str | Path) -> Message:
    """The words "The key file PATH", which begin a sentence about it."""
    return msg("keys.the_key_file", "The key file {path}", path=str(path))


def verify_signature(public: bytes, signature: bytes, message: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, message)
        return True
    except (InvalidSignature, ValueError):
        return False


# --- key files ------------------------------------------------------------------------------------
def default_key_dir() -> Path:
    return data_dir() / "keys"


class KeyMismatch(KeyProblem):
    """The key folder holds no key file with the key this database pinned (``code`` and ``params``
    let the desktop app say it in its language)."""

    code = "keys.not_in_folder"

    def __init__(self, message: str | Message, **params: Any) -> None:
        super().__init__(message)
        self.params = params


def key_path(key_dir: str | Path | None, owner: str) -> Path:
    """``office.key`` (written before office keys were named by fingerprint) for the office,
    ``evaluator-CODE.key`` for an evaluator."""
    d = Path(key_dir) if key_dir is not None else default_key_dir()
    if owner == OFFICE:
        return d / "office.key"
    if not _CODE_RE.match(owner):
        raise KeyProblem(msg("keys.bad_owner", "'{owner}' cannot name a key (letters, digits, '-', '_' and '.' only).",
                             owner=owner))
    return d / f"evaluator-{owner}.key"


def office_key_path(key_dir: str | Path | None, fingerprint: str) -> Path:
    """Where the office key with ``fingerprint`` is kept: ``office-FINGERPRINT.key``."""
    d = Path(key_dir) if key_dir is not None else default_key_dir()
    return d / f"office-{fingerprint}.key"


def office_key_files(key_dir: str | Path | None) -> list[Path]:
    """The office key files in the folder (named by fingerprint, and an older ``office.key``)."""
    d = Path(key_dir) if key_dir is not None else default_key_dir()
    try:
        return sorted(p for p in d.glob("office*.key") if p.is_file())
    except OSError:
        return []


def find_office_key(key_dir: str | Path | None, fingerprint: str) -> Path | None:
    """The office key file with ``fingerprint`` in the folder, or None."""
    named = office_key_path(key_dir, fingerprint)
    for p in [named] + [x for x in office_key_files(key_dir) if x != named]:
        if not p.is_file():
            continue
        try:
            if _info_from(_read_key_file(p), p, key_file_named(p)).fingerprint == fingerprint:
                return p
        except KeyProblem:
            continue  # another file, unreadable: not this key
    return None


def _office_file(key_dir: str | Path | None, fingerprint: str | None) -> Path:
    """The office key file: the one with ``fingerprint``, else the only one in the folder."""
    d = Path(key_dir) if key_dir is not None else default_key_dir()
    if fingerprint is not None:
        found = find_office_key(key_dir, fingerprint)
        if found is None:
            raise KeyProblem(msg("keys.no_office_key_with", "There is no office key file with fingerprint {fingerprint} "
                                 "in {folder}.", fingerprint=fingerprint, folder=str(d)))
        return found
    files = office_key_files(key_dir)
    if not files:
        return key_path(key_dir, OFFICE)  # (reading it says there is none)
    if len(files) > 1:
        raise KeyProblem(msg("keys.several_office_keys", "The key folder {folder} holds {count} office keys; name the "
                             "one you mean by its fingerprint.", folder=str(d), count=len(files)))
    return files[0]


def _check_passphrase(passphrase: str) -> bytes:
    if not isinstance(passphrase, str) or len(passphrase) < MIN_PASSPHRASE:
        raise KeyProblem(msg("keys.short_passphrase", "A key passphrase needs at least {count} characters.",
                             count=MIN_PASSPHRASE))
    return passphrase.encode("utf-8")


def generate_identity(key_dir: str | Path | None, passphrase: str, *, owner: str = OFFICE,
                      database: str | None = None) -> Identity:
    """Create a new key file for ``owner`` ("office" or an evaluator code); refuses to overwrite one.
    An office key's file is named by its fingerprint and names the ``database`` that created it."""
    pw = _check_passphrase(passphrase)
    path = key_path(key_dir, owner)
    if owner != OFFICE and path.exists():
        raise KeyProblem(msg("keys.file_exists", "A key file already exists at {path}; it was left as it is (load it "
                             "instead).", path=str(path)))
    signing = Ed25519PrivateKey.generate()
    encryption = X25519PrivateKey.generate() if owner == OFFICE else None
    enc = ser.BestAvailableEncryption(pw)
    sp = raw_public(signing.public_key())
    ep = raw_public(encryption.public_key()) if encryption else None
    fp = key_fingerprint(sp, ep)
    if owner == OFFICE:
        path = office_key_path(key_dir, fp)
    doc = {
        "format": KEY_FORMAT, "format_version": FORMAT_VERSION,
        "kind": OFFICE if owner == OFFICE else EVALUATOR, "owner": owner, "fingerprint": fp,
        "database": database,
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "signing_public": b64(sp), "encryption_public": b64(ep) if ep else None,
        "signing_private": signing.private_bytes(ser.Encoding.PEM, ser.PrivateFormat.PKCS8, enc).decode("ascii"),
        "encryption_private": (encryption.private_bytes(ser.Encoding.PEM, ser.PrivateFormat.PKCS8, enc).decode("ascii")
                               if encryption else None),
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, indent=2)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        raise KeyProblem(msg("keys.cannot_write", "Cannot write the key file {path}: {reason}.", path=str(path),
                             reason=exc.strerror)) from None
    info = KeyInfo(doc["kind"], owner, sp, ep, fp, str(path), database)
    return Identity(info, signing, encryption)


def _read_key_file(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            data = fh.read(F.KEY_LIMITS.max_bytes + 1)
        doc = F.loads(data, key_file_named(path), F.KEY_LIMITS)
    except FileNotFoundError:
        raise KeyProblem(msg("keys.no_key_file", "There is no key file at {path}; create one with 'evaluator keys "
                             "init'.", path=str(path))) from None
    except OSError as exc:
        raise KeyProblem(msg("keys.cannot_read", "The key file {path} cannot be read ({reason}).", path=str(path),
                             reason=exc.strerror or str(exc))) from None
    except F.Invalid as exc:
        raise KeyProblem(msg("keys.not_ours", "{reason}; it is not a key file written by Maeul Evaluator.",
                             reason=reason_of(exc))) from None
    if not isinstance(doc, dict) or doc.get("format") != KEY_FORMAT:
        raise KeyProblem(msg("keys.not_a_key_file", "{path} is not a Maeul Evaluator key file.", path=str(path)))
    if doc.get("format_version") != FORMAT_VERSION:
        raise KeyProblem(msg("keys.format_version", "The key file {path} has format version {version}; this version "
                             "reads version {supported}.", path=str(path), version=str(doc.get("format_version")),
                             supported=FORMAT_VERSION))
    return doc


def _info_from(doc: dict[str, Any], path: Path | None, what: str | Message) -> KeyInfo:
    kind = doc.get("kind")
    if kind not in (OFFICE, EVALUATOR):
        raise KeyProblem(msg("keys.unknown_kind", "{what} is neither an office nor an evaluator key.", what=what))
    sp = unb64(doc.get("signing_public"), msg("keys.its_signing_key", "{what}: the signing key", what=what), 32)
    ep = (unb64(doc["encryption_public"], msg("keys.its_encryption_key", "{what}: the encryption key", what=what), 32)
          if doc.get("encryption_public") else None)
    if kind == OFFICE and ep is None:
        raise KeyProblem(msg("keys.office_without_encryption", "{what} is an office key without its encryption key.",
                             what=what))
    fp = key_fingerprint(sp, ep)
    if doc.get("fingerprint") not in (None, fp):
        raise KeyProblem(msg("keys.fingerprint_altered", "{what} states fingerprint {stated} but its keys have "
                             "{fingerprint}; it was altered.", what=what, stated=str(doc.get("fingerprint")),
                             fingerprint=fp))
    database = doc.get("database")
    return KeyInfo(kind, str(doc.get("owner") or ""), sp, ep, fp, str(path) if path else None,
                   str(database) if isinstance(database, str) else None)


def read_key_info(key_dir: str | Path | None, owner: str = OFFICE, *, fingerprint: str | None = None) -> KeyInfo | None:
    """The public half of ``owner``'s key file (no passphrase needed); None if there is none.  An
    office key is the one with ``fingerprint``, else the only one in the folder."""
    if owner == OFFICE:
        path = find_office_key(key_dir, fingerprint) if fingerprint else _office_file(key_dir, None)
        if path is None:
            return None
    else:
        path = key_path(key_dir, owner)
    if not path.exists():
        return None
    return _info_from(_read_key_file(path), path, key_file_named(path))


def load_identity(key_dir: str | Path | None, passphrase: str, *, owner: str = OFFICE,
                  fingerprint: str | None = None, path: str | Path | None = None) -> Identity:
    """Unlock ``owner``'s key file with ``passphrase``: the file ``path``, or the one in
    ``key_dir`` (an office key: the one with ``fingerprint``, else the only one there)."""
    if path is not None:
        path = Path(path)
    elif owner == OFFICE:
        path = _office_file(key_dir, fingerprint)
    else:
        path = key_path(key_dir, owner)
    doc = _read_key_file(path)
    info = _info_from(doc, path, key_file_named(path))
    pw = (passphrase or "").encode("utf-8")

    def private(pem: Any):
        try:
            return ser.load_pem_private_key(str(pem).encode("ascii"), password=pw)
        except (ValueError, TypeError):
            raise WrongPassphrase(msg("keys.wrong_passphrase", "The passphrase does not open the key file {path}.",
                                      path=str(path))) from None

    signing = private(doc.get("signing_private"))
    if not isinstance(signing, Ed25519PrivateKey) or raw_public(signing.public_key()) != info.signing_public:
        raise KeyProblem(msg("keys.signing_mismatch", "The key file {path} holds a signing key that does not match "
                             "its public key.", path=str(path)))
    encryption = None
    if info.kind == OFFICE:
        encryption = private(doc.get("encryption_private"))
        if not isinstance(encryption, X25519PrivateKey) or raw_public(encryption.public_key()) != info.encryption_public:
            raise KeyProblem(msg("keys.encryption_mismatch", "The key file {path} holds an encryption key that does "
                                 "not match its public key.", path=str(path)))
    return Identity(info, signing, encryption)


def load_or_generate(key_dir: str | Path | None, passphrase: str, *, owner: str) -> tuple[Identity, bool]:
    """Unlock an evaluator's key, creating it on first use; returns (identity, created).  (An office
    key is never unlocked this way: a new office database makes its own, see the module docstring.)"""
    assert owner != OFFICE
    if key_path(key_dir, owner).exists():
        return load_identity(key_dir, passphrase, owner=owner), False
    return generate_identity(key_dir, passphrase, owner=owner), True


# --- public key files -----------------------------------------------------------------------------
def public_key_document(info: KeyInfo) -> dict[str, Any]:
    return {
        "format": PUBLIC_FORMAT, "format_version": FORMAT_VERSION, "kind": info.kind, "owner": info.owner,
        "fingerprint": info.fingerprint, "signing_public": b64(info.signing_public),
        "encryption_public": b64(info.encryption_public) if info.encryption_public else None,
    }


def write_public_key(info: KeyInfo, out: str | Path) -> Path:
    path = Path(out)
    try:
        path.write_text(json.dumps(public_key_document(info), indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        raise KeyProblem(msg("keys.cannot_write_public", "Cannot write the public key file {path}: {reason}.",
                             path=str(path), reason=exc.strerror)) from None
    return path


def parse_public_key(data: bytes, what: str | Message) -> KeyInfo:
    """A public key from a public key file (JSON), a key file (its public half), a PEM public key
    or 32 raw bytes."""
    if len(data) == 32:
        return KeyInfo(EVALUATOR, "", data, None, key_fingerprint(data))
    text = data.decode("utf-8", "replace").strip()
    if text.startswith("-----BEGIN PUBLIC KEY-----"):
        try:
            key = ser.load_pem_public_key(text.encode("ascii"))
        except (ValueError, UnicodeError):
            raise NotAKey(msg("keys.bad_pem", "{what} is not a readable PEM public key.", what=what)) from None
        if not isinstance(key, Ed25519PublicKey):
            raise NotAKey(msg("keys.not_ed25519", "{what} is not an Ed25519 public key.", what=what))
        raw = raw_public(key)
        return KeyInfo(EVALUATOR, "", raw, None, key_fingerprint(raw))
    try:
        doc = F.loads(text.encode("utf-8"), what, F.KEY_LIMITS)
    except (F.Invalid, UnicodeError):
        raise NotAKey(msg("keys.not_public_key_file", "{what} is not a public key file (expected the file written "
                          "by 'evaluator keys export-public').", what=what)) from None
    if not isinstance(doc, dict) or doc.get("format") not in (PUBLIC_FORMAT, KEY_FORMAT):
        raise NotAKey(msg("keys.not_our_public_key", "{what} is not a Maeul Evaluator public key file.", what=what))
    try:
        return _info_from(doc, None, what)
    except KeyProblem as exc:  # a key document whose keys cannot be used: not a key either
        raise NotAKey(exc.sentence) from None
