"""The encrypted envelope of a result package.

Layout (every byte is authenticated; see docs/package-format.md)::

    "MAEULPKG"  8 bytes  magic
    version     1 byte   (1)
    length      4 bytes  big-endian length of the header
    header      JSON     {"alg", "recipient", "epk", "nonce"}
    ciphertext  rest     AES-256-GCM of the inner ZIP, 16-byte tag at the end

The sender makes a fresh X25519 key pair for every package; the AES key is
HKDF-SHA256(X25519(ephemeral, office), salt = epk ‖ office public key, info = "maeul-evaluator
package v1").  The magic, version, length and header are the GCM associated data, so changing any
byte of the file makes decryption fail.
"""

from __future__ import annotations

import io
import json
import os
import struct
import zipfile

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ..messages import Message, msg
from . import formats as F
from .errors import KeyProblem, PackageRejected
from .keys import Identity, KeyInfo, b64, raw_public, unb64
from .kitseal import is_sealed

MAGIC = b"MAEULPKG"
VERSION = 1
ALG = "X25519-HKDF-SHA256-AES256GCM"
_INFO = b"maeul-evaluator package v1"
MAX_HEADER = 4096
_HEADER_LIMITS = F.JsonLimits(max_bytes=MAX_HEADER, max_depth=1, max_values=16)
#: AES-GCM in one piece (cryptography's limit is 2**31 - 1 bytes)
MAX_PAYLOAD = 2**31 - 1024


def _key(shared: bytes, epk: bytes, recipient: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=epk + recipient, info=_INFO).derive(shared)


def seal(payload: bytes, office: KeyInfo) -> bytes:
    """Encrypt ``payload`` to the office's X25519 public key."""
    if office.encryption_public is None:
        raise PackageRejected(msg("packages.envelope.no_encryption_key",
                                  "The office key has no encryption key; the kit is incomplete."))
    if len(payload) > MAX_PAYLOAD:
        raise PackageRejected(msg("packages.envelope.too_big", "The package would hold {size:,} bytes; at most "
                                  "{limit:,} fit in one package (leave some photos out).", size=len(payload),
                                  limit=MAX_PAYLOAD))
    eph = X25519PrivateKey.generate()
    epk = raw_public(eph.public_key())
    shared = eph.exchange(X25519PublicKey.from_public_bytes(office.encryption_public))
    nonce = os.urandom(12)
    header = json.dumps({"alg": ALG, "recipient": office.fingerprint, "epk": b64(epk), "nonce": b64(nonce)},
                        sort_keys=True, separators=(",", ":")).encode()
    prefix = MAGIC + bytes([VERSION]) + struct.pack(">I", len(header)) + header
    ct = AESGCM(_key(shared, epk, office.encryption_public)).encrypt(nonce, payload, prefix)
    return prefix + ct


def _looks_like_kit(data: bytes) -> bool:
    """A field kit given where a package belongs: sealed (kitseal's magic) or a ZIP holding kit.json."""
    if is_sealed(data):
        return True
    if data[:4] != b"PK\x03\x04":
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return "kit.json" in zf.namelist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return False


#: the bytes :func:`read_header` needs of a file that starts with the magic (the magic, the version,
#: the header's length, the longest header)
HEAD = len(MAGIC) + 5 + MAX_HEADER


def read_header(data: bytes, size: int, *, what: str | Message) -> tuple[dict[str, str], int]:
    """The envelope's header, checked as far as it can be without the office key (the magic, the
    version, the header's length and fields): :class:`PackageRejected` for a file that is not a
    result package.  ``data`` is the file's first :data:`HEAD` bytes, or all of it (a file that does
    not start with the magic is read whole: a field kit given instead is named as such); ``size``
    the file's size.  Returns the header and where the ciphertext starts."""
    if len(data) < len(MAGIC) + 5 or data[:len(MAGIC)] != MAGIC:
        if _looks_like_kit(data):
            raise PackageRejected(msg("packages.is_a_kit", "{what} is a field kit, not a result package: a kit goes to "
                                      "the evaluator's laptop ('evaluator kit import'); the office merges the result "
                                      "package (.mepkg) the laptop exports.", what=what))
        raise PackageRejected(msg("packages.not_a_package", "{what} is not a Maeul Evaluator result package.",
                                  what=what))
    version = data[len(MAGIC)]
    if version != VERSION:
        raise PackageRejected(msg("packages.envelope.version", "{what} has package format version {version}; this "
                                  "version reads version {supported}.", what=what, version=version, supported=VERSION))
    (hlen,) = struct.unpack(">I", data[len(MAGIC) + 1:len(MAGIC) + 5])
    start = len(MAGIC) + 5
    if hlen > MAX_HEADER or start + hlen + 16 > size:
        raise PackageRejected(msg("packages.envelope.header_length", "{what} is damaged (its header length is wrong).",
                                  what=what))
    raw_header = data[start:start + hlen]
    try:  # (read before anything is authenticated: a flat object of four short texts, nothing deeper)
        header = F.loads(raw_header, "header", _HEADER_LIMITS)
    except F.Invalid:
        raise PackageRejected(msg("packages.envelope.header_unreadable", "{what} is damaged (its header is not "
                                  "readable).", what=what)) from None
    if not isinstance(header, dict) or set(header) != {"alg", "recipient", "epk", "nonce"} or header["alg"] != ALG:
        raise PackageRejected(msg("packages.envelope.unknown_encryption", "{what} is damaged or uses an unknown "
                                  "encryption ({header}).", what=what, header=str(header)[:60]))
    return header, start + hlen


def open_envelope(data: bytes, office: Identity, *, what: str | Message) -> bytes:
    """Decrypt a package with the office's private key; any change to the file is rejected."""
    header, body = read_header(data, len(data), what=what)
    assert office.encryption_key is not None and office.info.encryption_public is not None
    if header["recipient"] != office.fingerprint:
        raise PackageRejected(msg(
            "packages.envelope.other_office", "{what} was encrypted for another office key ({recipient}); this "
            "office's key is {fingerprint}. The evaluator's kit came from another office database.",
            what=what, recipient=header["recipient"], fingerprint=office.fingerprint))
    try:
        epk = unb64(header["epk"], msg("packages.envelope.ephemeral_key", "{what}: the ephemeral key", what=what), 32)
        nonce = unb64(header["nonce"], msg("packages.envelope.nonce", "{what}: the nonce", what=what), 12)
        shared = office.encryption_key.exchange(X25519PublicKey.from_public_bytes(epk))
        key = _key(shared, epk, office.info.encryption_public)
        return AESGCM(key).decrypt(nonce, data[body:], data[:body])
    except InvalidTag:
        raise PackageRejected(msg("packages.envelope.authentication", "{what} was altered or damaged: its contents "
                                  "fail authentication.", what=what)) from None
    except KeyProblem as exc:
        raise PackageRejected(msg("packages.envelope.damaged", "{what} is damaged: {reason}", what=what,
                                  reason=exc.sentence)) from None
    except ValueError as exc:  # e.g. a low-order ephemeral key
        raise PackageRejected(msg("packages.envelope.altered", "{what} was altered or damaged ({detail}).", what=what,
                                  detail=str(exc))) from None


__all__ = ["HEAD", "MAGIC", "open_envelope", "read_header", "seal"]
