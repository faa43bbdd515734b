"""Errors of kits, packages and keys (each one sentence naming the file or key)."""

from __future__ import annotations

from ..errors import EvaluatorError


class KeyProblem(EvaluatorError):
    """A key file is missing, unreadable, of the wrong kind, or the passphrase is wrong."""


class WrongPassphrase(KeyProblem):
    """The passphrase does not open the key file."""


class KitRejected(EvaluatorError):
    """A field kit cannot be imported (other program, other evaluator, older kit, damaged file)."""

    exit_code = 2


class PackageRejected(EvaluatorError):
    """A result package failed verification; nothing was written."""

    exit_code = 2


class UnsafeArchive(PackageRejected):
    """An archive member is unsafe (path traversal, link, duplicate, bomb, oversized)."""
