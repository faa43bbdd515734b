"""The encrypted envelope of a field kit that carries applicants' personal data.

A kit made with ``include_personal`` holds representatives' names, phones, e-mails and addresses;
on a USB stick or in a mail attachment it must reveal nothing.  Such a kit is the ordinary kit ZIP
sealed in this envelope (every byte authenticated, see docs/package-format.md)::

    "MAEULKIT"  8 bytes  magic
    version     1 byte   (1)
    length      4 bytes  big-endian length of the header
    header      JSON     see below
    ciphertext  rest     AES-256-GCM of the kit ZIP, 16-byte tag at the end; the magic, version,
                         length and header are the associated data

Two ways to seal, chosen by the office:

* **to the evaluator's key** (``"to": "evaluator-key"``) once the evaluator's public key is
  registered at the office: an ephemeral X25519 exchange with the X25519 form of the evaluator's
  Ed25519 key (the birational map libsodium's ``crypto_sign_ed25519_pk_to_curve25519`` and age's
  ``ssh-ed25519`` recipients use), HKDF-SHA256 with info ``maeul-evaluator kit v1``.  Only the
  evaluator's key file, unlocked with its passphrase, opens it;
* **with a passphrase the office sets** (``"to": "passphrase"``) — the first kit, before the
  evaluator has a key: scrypt (N = 2^17, r = 8, p = 1, 16-byte salt) gives the AES key.  The
  office tells the evaluator the passphrase by another way than the kit (in person, by phone).
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization as ser
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from ..messages import Message, msg
from .errors import KeyProblem, KitRejected
from .keys import MIN_PASSPHRASE, b64, key_fingerprint, raw_public, unb64

MAGIC = b"MAEULKIT"
VERSION = 1
TO_KEY = "evaluator-key"
TO_PASSPHRASE = "passphrase"
ALG_KEY = "X25519-HKDF-SHA256-AES256GCM"
ALG_PASSPHRASE = "SCRYPT-AES256GCM"
_INFO = b"maeul-evaluator kit v1"
MAX_HEADER = 4096
#: scrypt cost for new kits (OWASP's minimum for scrypt), and the most an import will spend
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**17, 8, 1
MAX_SCRYPT_N, MAX_SCRYPT_R, MAX_SCRYPT_P = 2**20, 16, 4
_P = 2**255 - 19


class KitLocked(KitRejected):
    """The kit is encrypted and what opens it (a passphrase, the evaluator's key) was not given."""


class KitWrongSecret(KitRejected):
    """The passphrase (or key) given does not open the kit — or the kit was altered or damaged."""


class KitPassphraseNeeded(KeyProblem):
    """A kit with personal data for an evaluator without a registered key needs an office passphrase."""


def kit_named(name: str, *, lower: bool = False) -> Message:
    """The words "The kit NAME", which begin a sentence about it ("the kit NAME" inside one)."""
    if lower:
        return msg("kit.the_kit_inside", "the kit {name}", name=name)
    return msg("kit.the_kit", "The kit {name}", name=name)


def _inside(what: str | Message) -> str | Message:
    """``what`` said inside a sentence (its first letter in lower case)."""
    if isinstance(what, Message) and what.code == "kit.the_kit":
        return kit_named(what.params["name"], lower=True)
    what = str(what)
    return what[:1].lower() + what[1:]


@dataclass(frozen=True)
class SealedKit:
    """What the envelope's header says (readable without any secret)."""

    to: str  # TO_KEY | TO_PASSPHRASE
    evaluator: str
    recipient: str | None  # the evaluator key's fingerprint (TO_KEY)
    header: dict[str, Any]
    prefix: bytes
    ciphertext: bytes


# --- Ed25519 keys in their X25519 form --------------------------------------------------------------
def x25519_public_from_ed25519(public: bytes) -> bytes:
    """The Montgomery u-coordinate of an Ed25519 public key: u = (1 + y) / (1 - y) mod p."""
    if len(public) != 32:
        raise KeyProblem(msg("kitseal.key_size", "An Ed25519 public key has 32 bytes, not {count}.",
                             count=len(public)))
    y = int.from_bytes(public, "little") & ((1 << 255) - 1)
    if y >= _P or (1 - y) % _P == 0:
        raise KeyProblem(msg("kitseal.unusable_key", "The evaluator's public key is not a usable Ed25519 key."))
    u = (1 + y) * pow((1 - y) % _P, _P - 2, _P) % _P
    return u.to_bytes(32, "little")


def x25519_private_from_ed25519(key: Ed25519PrivateKey) -> X25519PrivateKey:
    """The X25519 private key of an Ed25519 private key: the first half of SHA-512(seed) (X25519
    clamps it), exactly the scalar Ed25519 signs with."""
    seed = key.private_bytes(ser.Encoding.Raw, ser.PrivateFormat.Raw, ser.NoEncryption())
    return X25519PrivateKey.from_private_bytes(hashlib.sha512(seed).digest()[:32])


# --- sealing (office) ------------------------------------------------------------------------------
def _prefix(header: dict[str, Any]) -> bytes:
    raw = json.dumps(header, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return MAGIC + bytes([VERSION]) + struct.pack(">I", len(raw)) + raw


def _hkdf(shared: bytes, epk: bytes, recipient: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=epk + recipient, info=_INFO).derive(shared)


def _scrypt(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))


def check_kit_passphrase(passphrase: str) -> str:
    if not isinstance(passphrase, str) or len(passphrase) < MIN_PASSPHRASE:
        raise KeyProblem(msg("kitseal.short_passphrase", "A kit passphrase needs at least {count} characters; nothing "
                             "was written.", count=MIN_PASSPHRASE))
    return passphrase


def seal_to_evaluator(kit: bytes, *, evaluator: str, signing_public: bytes) -> bytes:
    """Encrypt the kit ZIP to the evaluator's registered (Ed25519) public key."""
    recipient = x25519_public_from_ed25519(signing_public)
    eph = X25519PrivateKey.generate()
    epk = raw_public(eph.public_key())
    shared = eph.exchange(X25519PublicKey.from_public_bytes(recipient))
    nonce = os.urandom(12)
    header = {"alg": ALG_KEY, "to": TO_KEY, "evaluator": evaluator, "recipient": key_fingerprint(signing_public),
              "epk": b64(epk), "nonce": b64(nonce)}
    prefix = _prefix(header)
    return prefix + AESGCM(_hkdf(shared, epk, recipient)).encrypt(nonce, kit, prefix)


def seal_with_passphrase(kit: bytes, *, evaluator: str, passphrase: str) -> bytes:
    """Encrypt the kit ZIP with a passphrase the office sets (scrypt → AES-256-GCM)."""
    check_kit_passphrase(passphrase)
    salt, nonce = os.urandom(16), os.urandom(12)
    header = {"alg": ALG_PASSPHRASE, "to": TO_PASSPHRASE, "evaluator": evaluator,
              "kdf": {"n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P, "salt": b64(salt)}, "nonce": b64(nonce)}
    prefix = _prefix(header)
    key = _scrypt(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return prefix + AESGCM(key).encrypt(nonce, kit, prefix)


# --- opening (laptop) ------------------------------------------------------------------------------
def is_sealed(data: bytes) -> bool:
    return data[:len(MAGIC)] == MAGIC


def parse(data: bytes, *, what: str | Message) -> SealedKit:
    """Read the envelope's header (no secret needed); a damaged envelope is refused by name."""
    start = len(MAGIC) + 5
    if len(data) < start or not is_sealed(data):
        raise KitRejected(msg("kitseal.not_sealed", "{what} is not an encrypted Maeul Evaluator field kit.", what=what))
    if data[len(MAGIC)] != VERSION:
        raise KitRejected(msg("kitseal.version", "{what} has kit encryption version {version}; this version reads "
                              "version {supported}. Install the same version as the office.", what=what,
                              version=data[len(MAGIC)], supported=VERSION))
    (hlen,) = struct.unpack(">I", data[len(MAGIC) + 1:start])
    if hlen > MAX_HEADER or start + hlen + 16 > len(data):
        raise KitRejected(msg("kitseal.header_length", "{what} is damaged (its header length is wrong).", what=what))
    try:
        header = json.loads(data[start:start + hlen].decode("utf-8"))
    except (ValueError, UnicodeError):
        raise KitRejected(msg("kitseal.header_unreadable", "{what} is damaged (its header is not readable).",
                              what=what)) from None
    if not isinstance(header, dict) or header.get("to") not in (TO_KEY, TO_PASSPHRASE) or \
            not isinstance(header.get("evaluator"), str):
        raise KitRejected(msg("kitseal.unknown_encryption", "{what} is damaged or uses an unknown encryption.",
                              what=what))
    expected = ({"alg", "to", "evaluator", "recipient", "epk", "nonce"} if header["to"] == TO_KEY
                else {"alg", "to", "evaluator", "kdf", "nonce"})
    alg = ALG_KEY if header["to"] == TO_KEY else ALG_PASSPHRASE
    if set(header) != expected or header.get("alg") != alg:
        raise KitRejected(msg("kitseal.unknown_encryption", "{what} is damaged or uses an unknown encryption.",
                              what=what))
    recipient = header.get("recipient") if header["to"] == TO_KEY else None
    return SealedKit(header["to"], header["evaluator"], recipient if isinstance(recipient, str) else None,
                     header, data[:start + hlen], data[start + hlen:])


def _decrypt(sealed: SealedKit, key: bytes, nonce: bytes, *, wrong: Message) -> bytes:
    try:
        return AESGCM(key).decrypt(nonce, sealed.ciphertext, sealed.prefix)
    except InvalidTag:
        raise KitWrongSecret(wrong) from None


def open_with_passphrase(sealed: SealedKit, passphrase: str, *, what: str | Message) -> bytes:
    kdf = sealed.header.get("kdf")
    try:
        if not isinstance(kdf, dict) or set(kdf) != {"n", "r", "p", "salt"}:
            raise ValueError("kdf")
        n, r, p = (int(kdf[k]) if type(kdf[k]) is int else -1 for k in ("n", "r", "p"))
        if not (2 <= n <= MAX_SCRYPT_N and n & (n - 1) == 0 and 1 <= r <= MAX_SCRYPT_R and 1 <= p <= MAX_SCRYPT_P):
            raise ValueError("kdf")
        salt = unb64(kdf["salt"], msg("kitseal.its_salt", "{what}: the salt", what=what), 16)
        nonce = unb64(sealed.header["nonce"], msg("kitseal.its_nonce", "{what}: the nonce", what=what), 12)
    except (ValueError, KeyProblem):
        raise KitRejected(msg("kitseal.bad_kdf", "{what} is damaged (its key derivation settings are not valid).",
                              what=what)) from None
    key = _scrypt(passphrase, salt, n, r, p)
    return _decrypt(sealed, key, nonce, wrong=msg(
        "kitseal.wrong_passphrase", "The passphrase does not open {what} (or the kit was altered or damaged); "
        "nothing was changed.", what=_inside(what)))


def open_with_key(sealed: SealedKit, signing_key: Ed25519PrivateKey, *, what: str | Message) -> bytes:
    """Decrypt with the evaluator's unlocked Ed25519 key (its X25519 form)."""
    me = x25519_private_from_ed25519(signing_key)
    mine = raw_public(me.public_key())
    if sealed.recipient != key_fingerprint(raw_public(signing_key.public_key())):
        raise KitRejected(msg(
            "kitseal.other_key",
            "{what} was encrypted to another key of evaluator {evaluator} (fingerprint {fingerprint}); "
            "the key file here has fingerprint {here}. Use the laptop "
            "with that key, or ask the office for a kit with a passphrase; nothing was changed.", what=what,
            evaluator=sealed.evaluator, fingerprint=sealed.recipient,
            here=key_fingerprint(raw_public(signing_key.public_key()))))
    try:
        epk = unb64(sealed.header["epk"], msg("kitseal.its_ephemeral_key", "{what}: the ephemeral key", what=what), 32)
        nonce = unb64(sealed.header["nonce"], msg("kitseal.its_nonce", "{what}: the nonce", what=what), 12)
        shared = me.exchange(X25519PublicKey.from_public_bytes(epk))
    except (KeyProblem, ValueError):
        raise KitRejected(msg("kitseal.bad_key_exchange", "{what} is damaged (its key exchange is not valid).",
                              what=what)) from None
    return _decrypt(sealed, _hkdf(shared, epk, mine), nonce, wrong=msg(
        "kitseal.wrong_key", "The evaluator's key does not open {what} (or the kit was altered or damaged); "
        "nothing was changed.", what=_inside(what)))


__all__ = [
    "MAGIC", "TO_KEY", "TO_PASSPHRASE", "KitLocked", "KitPassphraseNeeded", "SealedKit", "check_kit_passphrase",
    "is_sealed", "open_with_key", "open_with_passphrase", "parse", "seal_to_evaluator", "seal_with_passphrase",
    "x25519_private_from_ed25519", "x25519_public_from_ed25519",
]
