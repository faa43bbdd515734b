"""The cyclic garbage collector around bulk work (ranking, merging), and a program's frozen heap.

Ranking a track or applying a package builds hundreds of thousands of small objects that stay
alive until the work is written; every collection triggered meanwhile walks them all and frees
nothing.  :func:`gc_paused` pauses the collector for the block, and when it ends moves what was
built to where collections walk it least (:func:`settle_young`).

A long-running program (the desktop app) freezes its own long-lived heap with
:func:`freeze_program_heap` (``gc.freeze``: its screens, modules and mappings), so that the full
collections a long job sets off do not walk them with the GIL held while its window waits.  The
core keeps that heap frozen: it never calls ``gc.unfreeze`` while the program's heap is frozen.
(The flag is ours, not ``gc.get_freeze_count()``: that walks the whole frozen list on every call.)"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_program_heap_frozen = False


def freeze_program_heap() -> None:
    """Collect once, then freeze what is left (``gc.unfreeze``, ``gc.collect``, ``gc.freeze``).

    For a long-running program at a moment when what is alive lives long (the desktop app after
    building its screens).  Unfreezing first lets the collection free what an earlier freeze held
    and is no longer used — including cycles made by core work since (see :func:`settle_young`)."""
    global _program_heap_frozen
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    _program_heap_frozen = True


def thaw_program_heap() -> None:
    """Undo :func:`freeze_program_heap` (everything frozen back to the oldest generation)."""
    global _program_heap_frozen
    _program_heap_frozen = False
    gc.unfreeze()


def settle_young() -> None:
    """Move the objects the young generations hold out of their collections' way, in O(1).

    Nothing frozen (the command line, a script): ``freeze`` then ``unfreeze`` moves them to the
    oldest generation.  The program's heap frozen: they join it (``freeze`` alone); the few that
    become cyclic garbage later are reclaimed at the program's next :func:`freeze_program_heap`
    (reference counting frees the rest as usual — freezing only hides objects from the cyclic
    collector)."""
    gc.freeze()
    if not _program_heap_frozen:
        gc.unfreeze()


_pause_lock = threading.Lock()
_pauses = 0  # blocks inside gc_paused now, in every thread
_was_enabled = False  # whether the collector ran before the first of them


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector paused inside the block (for building many small objects
    that form no cycles); afterwards what was built is settled (:func:`settle_young`).

    Blocks may overlap in several threads (a merge opens the next package on a worker thread
    while it applies the current one): the collector runs again when the last of them ends, and
    only if it ran before the first began."""
    global _pauses, _was_enabled
    with _pause_lock:
        if _pauses == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pauses -= 1
            if _pauses == 0 and _was_enabled:
                settle_young()
                gc.enable()


def drop_in_steps(items: list, step: int = 500) -> None:
    """Let go of a long list's items a slice at a time (the list is emptied).

    Freeing a large structure is one step of the interpreter however many objects it frees, and
    the GIL stays with it throughout: 10,000 ranked applications take ~40 ms, during which the
    desktop app's window cannot repaint (an export's or a summary's last moment on its worker).
    Each slice freed here is a step of its own, so a thread waiting for the GIL gets it between two."""
    while items:
        del items[-step:]
