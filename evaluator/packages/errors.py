"""Errors of kits, packages and keys (each one sentence naming the file or key)."""

from __future__ import annotations

from ..errors import EvaluatorError
from ..messages import Message


def reason_of(exc: BaseException) -> Message | str:
    """The sentence of ``exc`` for a message that quotes it (``reason=reason_of(exc)``): its
    message, rendered in the language of the message quoting it, or its text."""
    if isinstance(exc, EvaluatorError):
        return exc.sentence
    first = exc.args[0] if exc.args else None
    return first if isinstance(first, Message) else str(exc)


class KeyProblem(EvaluatorError):
    """A key file is missing, unreadable, of the wrong kind, or the passphrase is wrong."""


class NotAKey(KeyProblem):
    """A file given as a public key is not one (or not one this version reads): bad input, exit 2
    (docs/cli.md); nothing was registered."""

    exit_code = 2


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
