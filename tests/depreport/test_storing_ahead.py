"""A backfill's weeks are stored by a thread while the next week is made, one in flight (`StoringAhead`)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any, cast

import pytest

from depreport.history.publish import Filing, StoringAhead
from depreport.store import RunRef, Store, StoreError


class _Store:
    """A store that records the runs put in it, fails for the commits named, and can be held back."""

    def __init__(self, failing: set[str]) -> None:
        self.failing = failing
        self.stored: list[str] = []
        self.go = threading.Event()
        self.go.set()

    def put_run(self, repo: str, time: datetime, commit: str, report: Any, summary: str) -> RunRef:
        self.go.wait(5)
        if commit in self.failing:
            raise StoreError(f"could not store {commit}")
        self.stored.append(commit)
        return RunRef(repo=repo, time=time, commit=commit, stem=f"stem-{commit}")


def _run(commit: str) -> Filing:
    return Filing("acme/app", datetime(2026, 1, 5, tzinfo=UTC), commit, "{}", "{}")


def test_runs_are_stored_in_order_and_each_says_where_it_went() -> None:
    store = _Store(failing=set())
    with StoringAhead(cast(Store, store)) as storing:
        stored = [storing.store(_run(commit)) for commit in ("a" * 12, "b" * 12, "c" * 12)]
    assert store.stored == ["a" * 12, "b" * 12, "c" * 12]
    assert [future.result().stem for future in stored] == [f"stem-{c * 12}" for c in "abc"]


def test_one_run_in_flight_a_run_handed_in_waits_for_the_last_to_be_stored() -> None:
    store = _Store(failing=set())
    store.go.clear()  # the first run is held in the store
    with StoringAhead(cast(Store, store)) as storing:
        first = storing.store(_run("a" * 12))
        second = threading.Thread(target=storing.store, args=(_run("b" * 12),))
        second.start()
        second.join(0.2)
        assert second.is_alive() and not first.done()  # handing in the second waits for the first
        store.go.set()
        second.join(5)
    assert store.stored == ["a" * 12, "b" * 12]


def test_a_store_that_fails_is_raised_with_the_next_run_and_nothing_is_stored_after_it() -> None:
    store = _Store(failing={"b" * 12})
    with pytest.raises(StoreError, match="could not store b"), StoringAhead(cast(Store, store)) as storing:
        for commit in ("a" * 12, "b" * 12, "c" * 12, "d" * 12):
            storing.store(_run(commit))
    assert store.stored == ["a" * 12]


def test_the_last_run_s_failure_is_raised_at_the_end() -> None:
    store = _Store(failing={"b" * 12})
    with pytest.raises(StoreError, match="could not store b"), StoringAhead(cast(Store, store)) as storing:
        storing.store(_run("a" * 12))
        storing.store(_run("b" * 12))
    assert store.stored == ["a" * 12]
