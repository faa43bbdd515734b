"""Long jobs (imports, exports, PDFs, merges) take a progress callback and a cancel token.

Both are plain Python so the CLI, the GUI's background worker and tests use the same code:
``progress(fraction, message)`` with fraction in 0..1, and ``cancel.raise_if_cancelled()`` called
between units of work (a cancelled job raises :class:`~evaluator.errors.Cancelled` and writes
nothing, because every job is one transaction or writes to a temporary file first).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from .errors import Cancelled
from .messages import Message, msg

#: ``progress(fraction, what)``: ``what`` is a message (rendered by whoever shows it, in its
#: language) or plain text
Progress = Callable[[float, "str | Message"], None]


def no_progress(_fraction: float, _message: str = "") -> None:
    return None


class CancelToken:
    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled(msg("core.cancelled", "Cancelled; nothing was written."))


NEVER = CancelToken()  # a token nobody cancels (default argument)
