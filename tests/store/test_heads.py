"""A summary's head read cheaply where the store can, and what it answers where it cannot."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from depreport.store import LocalStore, MemoryStore, parallel_fetches, summary_head

WANTED = frozenset({"adoption", "commit", "generated_at"})
SUMMARY = {"adoption": {"target": "DS"}, "commit": "ab" * 20, "generated_at": "2026-01-05T09:00:00Z",
           "packages": {"ds": {"imports": 3}}, "repo": "org/a"}  # fmt: skip
WHEN = datetime(2026, 1, 5, 9, tzinfo=UTC)


def test_a_local_store_reads_the_head_of_what_it_wrote(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    ref = store.put_run("org/a", WHEN, "ab" * 20, {"repo": "org/a"}, SUMMARY)
    assert summary_head(store, ref, WANTED) == {key: SUMMARY[key] for key in WANTED}
    assert parallel_fetches(store, 8) == 1


def test_a_damaged_local_summary_has_no_head(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    ref = store.put_run("org/a", WHEN, "ab" * 20, {"repo": "org/a"}, SUMMARY)
    (tmp_path / ref.summary_key).write_bytes(b"\xff\xfe not json")
    assert summary_head(store, ref, WANTED) is None
    (tmp_path / ref.summary_key).unlink()
    assert summary_head(store, ref, WANTED) is None


def test_other_stores_say_they_cannot() -> None:
    store = MemoryStore()
    ref = store.put_run("org/a", WHEN, "ab" * 20, {"repo": "org/a"}, SUMMARY)
    assert summary_head(store, ref, WANTED) is None
    assert store.get_summary(ref) == SUMMARY  # what the caller falls back on
    assert parallel_fetches(store, 8) == 8
