"""A backfill runs the cycle collector once a week, over what the week made, and leaves it as it was."""

from __future__ import annotations

import gc
import weakref

from depreport.history.backfill import collected_once_a_week


class Node:
    """An object that can be part of a reference cycle."""

    other: Node | None = None


def test_weekly_collection_frees_cycles_and_restores_the_collector() -> None:
    assert gc.isenabled()
    with collected_once_a_week() as week_done:
        assert not gc.isenabled()
        a, b = Node(), Node()
        a.other, b.other = b, a
        gone = weakref.ref(a)
        del a, b
        assert gone() is not None  # a cycle: only the collector frees it, and it is off
        week_done()
        assert gone() is None
        assert gc.get_freeze_count() > 0  # what survived is set aside until the backfill ends
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    try:
        with collected_once_a_week() as week_done:
            week_done()
        assert not gc.isenabled()
    finally:
        gc.enable()
