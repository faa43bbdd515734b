"""Workbook XML read in bounded memory, whatever the part holds.

openpyxl's streaming readers (the read-only sheet, the shared-string table, a sheet's dimensions)
clear each element they have read but leave it in the tree, so a part of tens of millions of tiny
elements — ``<row/>`` after ``<row/>`` — grows the tree by ~90 bytes each: gigabytes from a 6 MB
file.  :func:`elements` feeds a part to the same defused parser a chunk at a time and takes every
finished element out of its parent once the caller has seen it, so memory stays flat however many
elements there are; and it refuses what no spreadsheet writes but would still grow without bound:
elements nested deeper than :data:`MAX_DEPTH`, one item (a shared string, a cell) longer than
:data:`MAX_ITEM_BYTES`, or :data:`MAX_QUIET_BYTES` of XML without a single element in it (one
giant tag, text or comment).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from ..messages import Message, msg

#: bytes read from a part at a time
CHUNK = 32 * 1024
MAX_DEPTH = 100
#: one item (a shared string, a cell and everything in it): Excel's own cell limit (32,767
#: characters, each with its own formatting) stays far below this
MAX_ITEM_BYTES = 8 * 1024 * 1024
#: XML with no element starting or ending in it
MAX_QUIET_BYTES = 8 * 1024 * 1024


class UnreadableXML(ValueError):
    """A part whose XML is shaped as no spreadsheet program writes it; the message (``sentence``, a
    message of the core's catalogue) says how."""

    def __init__(self, message: Message | str) -> None:
        super().__init__(message)
        self.sentence = message

    def __str__(self) -> str:
        return str(self.sentence)


def pull_parser():
    """An incremental parser with defusedxml's protections (no entities, no external references),
    reporting namespace declarations, element starts and element ends."""
    from xml.etree.ElementTree import TreeBuilder, XMLPullParser

    from defusedxml.ElementTree import DefusedXMLParser

    return XMLPullParser(events=("start-ns", "start", "end"), _parser=DefusedXMLParser(target=TreeBuilder()))


class Guard:
    """The three limits, checked after each chunk the parser takes in."""

    def __init__(self) -> None:
        self.fed = 0
        self._last_event = 0
        self.item_start = -1  # position where the item now open began (-1: none)

    def fed_chunk(self, n: int) -> None:
        self.fed += n

    def events_seen(self, any_event: bool, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise UnreadableXML(msg("excel.xml.too_deep", "elements are nested more than {limit} deep", limit=MAX_DEPTH))
        if any_event:
            self._last_event = self.fed
        elif self.fed - self._last_event > MAX_QUIET_BYTES:
            raise UnreadableXML(msg("excel.xml.quiet", "more than {limit} MB of XML hold no element (one giant "
                                    "tag, text or comment)", limit=MAX_QUIET_BYTES >> 20))
        if self.item_start >= 0 and self.fed - self.item_start > MAX_ITEM_BYTES:
            raise UnreadableXML(msg("excel.xml.item_too_large", "one item (a cell or a string) is larger than {limit} "
                                    "MB", limit=MAX_ITEM_BYTES >> 20))


def elements(fh: IO[bytes], *, flat: int, chunk_size: int = CHUNK) -> Iterator[tuple[str, Any, int]]:
    """``(event, element, depth)`` for every element start and end of the XML in ``fh`` (the root
    has depth 1); an element that ends at depth ``flat`` or less leaves the tree once the caller
    has handled its end, together with everything in it.  Elements deeper than ``flat`` stay in
    their item (the enclosing element at depth ``flat``) until it ends, so the caller sees a whole
    item at its end — and an item may not exceed :data:`MAX_ITEM_BYTES`.  Raises the parser's
    ``ParseError`` for XML that is not well-formed, defusedxml's errors for entities, and
    :class:`UnreadableXML`.

    A caller that stops early (one looking for the first few elements) reads the part
    ``chunk_size`` bytes at a time: the parser has already built every element of the chunk it was
    fed.  Whatever the parser still holds is let go when the caller stops, not at the next cyclic
    garbage collection (the parser and its handlers refer to each other)."""
    pull = pull_parser()
    guard = Guard()
    stack: list[Any] = []
    try:
        yield from _events(fh, flat, chunk_size, pull, guard, stack)
    finally:
        try:
            for _ in pull.read_events():  # parsed but not handed out
                pass
        except Exception:  # noqa: BLE001 - a parse error in bytes the caller stopped before: not its error
            pass
        if stack:
            del stack[0][:]  # the root, and with it every element still in the tree
        stack.clear()


def _events(fh: IO[bytes], flat: int, chunk_size: int, pull: Any, guard: Guard,
            stack: list[Any]) -> Iterator[tuple[str, Any, int]]:
    while True:
        chunk = fh.read(chunk_size)
        if chunk:
            pull.feed(chunk)
            guard.fed_chunk(len(chunk))
        else:
            pull.close()
        seen = False
        for event, el in pull.read_events():
            seen = True
            if event == "start":
                stack.append(el)
                depth = len(stack)
                if depth == flat:
                    guard.item_start = guard.fed
                elif depth > MAX_DEPTH:
                    raise UnreadableXML(msg("excel.xml.too_deep", "elements are nested more than {limit} deep", limit=MAX_DEPTH))
                yield event, el, depth
            elif event == "end":
                depth = len(stack)
                yield event, el, depth
                stack.pop()
                if depth <= flat:
                    if depth == flat:
                        guard.item_start = -1
                    if stack:
                        del stack[-1][:]  # everything before it is handled: its parent holds nothing else
        guard.events_seen(seen, len(stack))
        if not chunk:
            return
