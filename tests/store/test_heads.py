"""A summary's head read cheaply where the store can, and what it answers where it cannot."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from depreport.store import LocalStore, MemoryStore, heads, open_store, parallel_fetches, summary_head
from depreport.store.layout import encode_json
from tests.s3server import WeedServer

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


def test_a_memory_store_reads_the_head_too() -> None:
    store = MemoryStore()
    ref = store.put_run("org/a", WHEN, "ab" * 20, {"repo": "org/a"}, SUMMARY)
    assert summary_head(store, ref, WANTED) == {key: SUMMARY[key] for key in WANTED}
    assert parallel_fetches(store, 8) == 8


def test_a_head_longer_than_what_is_read_is_no_head(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The caller then reads the whole summary; a head cut inside a character or a value is never taken."""
    store = LocalStore(tmp_path)
    summary = {**SUMMARY, "adoption": {"target": "DS é€", "groups": list(range(50))}}
    ref = store.put_run("org/a", WHEN, "ab" * 20, {"repo": "org/a"}, summary)
    text = (tmp_path / ref.summary_key).read_bytes()
    head_end = text.index(b',"packages":') + len(b',"packages":')  # the key after the last one wanted
    for size in range(1, head_end + 40):
        monkeypatch.setattr(heads, "HEAD_BYTES", size)
        found = summary_head(store, ref, WANTED)
        assert found == ({key: summary[key] for key in WANTED} if size >= head_end else None), size


@pytest.mark.s3
def test_an_s3_store_reads_only_the_head_of_a_long_summary(s3_server: WeedServer, s3_bucket: str) -> None:
    """A summary of a large repository is mostly its `usage` block (8.6 MB of 42k files), which history
    does not need: the store sends only the first bytes asked for (a GET with a Range)."""
    store = open_store(f"s3://{s3_bucket}", endpoint_url=s3_server.endpoint)
    summary = {**SUMMARY, "usage": {"keys": [["pkg", "x" * 100]] * 30_000}}  # ~3.3 MB
    ref = store.put_run("org/a", WHEN, "ab" * 20, {"repo": "org/a"}, summary)
    sent: list[int] = []
    client = store._s3.backend()._client  # the real client: note the length of each object it receives
    client.meta.events.register(
        "after-call.s3.GetObject", lambda parsed, **_: sent.append(parsed["ContentLength"])
    )
    assert summary_head(store, ref, WANTED) == {key: SUMMARY[key] for key in WANTED}
    assert sent and sum(sent) <= heads.HEAD_BYTES < len(encode_json(summary)) / 10
