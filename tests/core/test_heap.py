"""The core's bulk work (ranking, merging) and the cyclic garbage collector: a heap the embedding
program froze stays frozen (the desktop app freezes its screens so the collections a long job sets
off do not stop its window), and with nothing frozen nothing is left frozen behind."""

from __future__ import annotations

import gc

import pytest

from evaluator.heap import freeze_program_heap, gc_paused, thaw_program_heap
from evaluator.store import Store

from .packages_fixtures import EVALUATORS, PASS, build_cycle, url


@pytest.fixture
def frozen():
    """A heap frozen as the desktop app freezes its own; thawed afterwards."""
    freeze_program_heap()
    before = gc.get_freeze_count()
    assert before > 0
    try:
        yield before
    finally:
        thaw_program_heap()


def test_a_ranking_keeps_the_frozen_heap_of_the_program_frozen(demo_store, frozen):
    result = demo_store.ranking.rank()
    assert len(result.all_rows()) == 48
    assert gc.get_freeze_count() >= frozen  # before: the ranking unfroze it all (freeze + unfreeze)


def test_a_merge_keeps_the_frozen_heap_of_the_program_frozen(tmp_path, demo_before_visits_template):
    cyc = build_cycle(tmp_path, demo_before_visits_template)
    freeze_program_heap()
    try:
        before = gc.get_freeze_count()
        with Store(url(cyc.office)) as office:
            reports = office.packages.merge([cyc.packages[ev] for ev in EVALUATORS], passphrase=PASS,
                                            key_dir=cyc.key_dir).value
        assert [r.status for r in reports] == ["merged"] * len(EVALUATORS)
        assert gc.get_freeze_count() >= before
    finally:
        thaw_program_heap()


def test_with_nothing_frozen_the_work_leaves_nothing_frozen_and_the_collector_on(demo_store):
    thaw_program_heap()
    demo_store.ranking.rank()
    assert gc.get_freeze_count() == 0
    assert gc.isenabled()


def test_objects_built_under_a_frozen_heap_are_still_freed_and_their_cycles_collected_later(frozen):
    class Node:
        pass

    with gc_paused():
        assert not gc.isenabled()
        a, b = Node(), Node()
        a.other, b.other = b, a  # a cycle: only the cyclic collector can free it
        plain = Node()
    assert gc.isenabled()
    assert gc.get_freeze_count() > frozen  # joined the frozen heap …
    import weakref

    ref_plain, ref_cycle = weakref.ref(plain), weakref.ref(a)
    del plain
    assert ref_plain() is None  # … where reference counting frees it as usual
    del a, b
    assert ref_cycle() is not None  # the cycle waits for the program's next freeze of its heap …
    freeze_program_heap()
    assert ref_cycle() is None  # … which collects first
