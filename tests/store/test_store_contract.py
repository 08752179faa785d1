"""One contract, every backend: memory, local folder and a real S3 server."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from depreport.store import InvalidRepoName, RunNotFound, RunRef, weekly
from depreport.store.keyed import KeyedStore, ObjectBackend
from depreport.store.local import LocalBackend
from depreport.store.memory import MemoryBackend
from depreport.store.s3 import S3Backend, S3Options, make_client

UTC = UTC
T0 = datetime(2024, 3, 4, 12, 0, 0, tzinfo=UTC)  # a Monday
SHA = "0123456789abcdef0123456789abcdef01234567"
# SeaweedFS queues conditional PUTs on one key (about 1 s per waiter), hence the read timeout.
FAST = S3Options(max_attempts=2, connect_timeout=2.0, read_timeout=30.0)


@pytest.fixture(
    params=["memory", "local", pytest.param("s3", marks=pytest.mark.s3)],
)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> ObjectBackend:
    if request.param == "memory":
        return MemoryBackend()
    if request.param == "local":
        return LocalBackend(tmp_path / "store")
    server = request.getfixturevalue("s3_server")
    bucket = request.getfixturevalue("s3_bucket")
    return S3Backend(make_client(server.endpoint, FAST), bucket, "depreport/ci")


@pytest.fixture
def store(backend: ObjectBackend) -> KeyedStore:
    return KeyedStore(backend)


def publish(store: KeyedStore, repo: str, time: datetime, n: int = 0, commit: str = SHA) -> RunRef:
    """Publish a tiny run whose report and summary carry ``n``."""
    report = {"repo": repo, "n": n, "packages": {"evergreen-ui": {"imports": n}}}
    return store.put_run(repo, time, commit, report, {"repo": repo, "n": n})


def test_round_trip(store: KeyedStore) -> None:
    report = {"schema_version": 1, "z": [3, 1], "a": {"é": "ü"}}
    ref = store.put_run("org/app", T0, SHA, report, {"totals": {"imports": 2}})
    assert ref == RunRef("org/app", T0, SHA[:12], f"2024-03-04T120000Z_{SHA[:12]}")
    assert store.get_report(ref) == report
    assert store.get_summary(ref) == {"totals": {"imports": 2}}
    assert store.list_runs("org/app") == [ref]
    assert store.latest("org/app") == ref


def test_runs_sorted_by_time_across_months_and_years(store: KeyedStore) -> None:
    times = [T0 - timedelta(days=days, seconds=s) for days, s in [(0, 0), (95, 5), (3, 1), (40, 0)]]
    for n, time in enumerate(times):
        publish(store, "org/app", time, n)
    runs = store.list_runs("org/app")
    assert [run.time for run in runs] == sorted(times)
    assert runs[0].time.year == 2023
    assert store.latest("org/app") == runs[-1]
    assert store.get_report(runs[-1])["n"] == 0


def test_unknown_repo_has_no_runs(store: KeyedStore) -> None:
    assert store.list_runs("org/none") == []
    assert store.latest("org/none") is None
    assert store.list_repos() == []


def test_list_repos_including_nested_and_layout_like_names(store: KeyedStore) -> None:
    repos = ["org/b", "org/a", "solo", "org/a/sub", "acme/reports", "acme/summaries", "org/.github"]
    for n, repo in enumerate(repos):
        publish(store, repo, T0, n)
    assert store.list_repos() == sorted(repos)
    for n, repo in enumerate(repos):
        [run] = store.list_runs(repo)
        assert store.get_report(run)["n"] == n


def test_repo_name_prefix_is_not_a_match(store: KeyedStore) -> None:
    publish(store, "org/app", T0, 1)
    publish(store, "org/app2", T0, 2)
    assert [store.get_summary(r)["n"] for r in store.list_runs("org/app")] == [1]


def test_weekly_selection_over_stored_runs(store: KeyedStore) -> None:
    sunday_last = T0 + timedelta(days=6, hours=11, minutes=59, seconds=59)  # 2024-03-10 23:59:59
    times = [T0, sunday_last, T0 + timedelta(days=15), T0 + timedelta(days=16), T0 + timedelta(days=21)]
    refs = [publish(store, "org/app", time, n) for n, time in enumerate(times)]
    assert weekly(store.list_runs("org/app")) == [refs[1], refs[3], refs[4]]
    assert weekly(store.list_runs("org/app"), weeks=2) == [refs[3], refs[4]]


def test_same_second_and_commit_never_overwrites(store: KeyedStore) -> None:
    first = publish(store, "org/app", T0, 1)
    second = publish(store, "org/app", T0, 2)
    assert first.stem == f"2024-03-04T120000Z_{SHA[:12]}"
    assert second.stem.startswith(first.stem + "_") and len(second.stem) == len(first.stem) + 9
    assert second.time == first.time and second.commit == first.commit
    assert store.list_runs("org/app") == sorted([first, second])
    assert store.get_report(first)["n"] == 1 and store.get_report(second)["n"] == 2
    assert store.get_summary(first)["n"] == 1 and store.get_summary(second)["n"] == 2


HOSTILE = [
    pytest.param("../x", id="dotdot"),
    pytest.param("/abs", id="absolute"),
    pytest.param("a/../b", id="inner-dotdot"),
    pytest.param("a\\b", id="backslash"),
    pytest.param("a\x00b", id="nul"),
    pytest.param("", id="empty"),
    pytest.param("a/./b", id="dot"),
    pytest.param("a//b", id="empty-segment"),
    pytest.param("a/b/", id="trailing-slash"),
    pytest.param("a b", id="space"),
    pytest.param("x" * 201, id="too-long"),
    pytest.param("a/summaries/2024", id="layout-clash"),
]


@pytest.mark.parametrize("repo", HOSTILE)
def test_hostile_repo_names_refused(store: KeyedStore, backend: ObjectBackend, repo: str) -> None:
    with pytest.raises(InvalidRepoName) as caught:
        publish(store, repo, T0)
    assert caught.value.exit_code == 2 and caught.value.hint
    with pytest.raises(InvalidRepoName):
        store.list_runs(repo)
    with pytest.raises(InvalidRepoName):
        store.get_report(RunRef(repo, T0, SHA[:12], f"2024-03-04T120000Z_{SHA[:12]}"))
    assert store.list_repos() == []
    assert backend.list_dirs("") == []


def test_concurrent_publishes_of_the_same_run_all_survive(store: KeyedStore) -> None:
    count = 50
    barrier = threading.Barrier(count)

    def one(n: int) -> RunRef:
        barrier.wait(timeout=30)
        return publish(store, "org/app", T0, n)

    with ThreadPoolExecutor(max_workers=count) as pool:
        refs = list(pool.map(one, range(count)))
    assert len({ref.stem for ref in refs}) == count
    runs = store.list_runs("org/app")
    assert sorted(refs) == runs
    assert sorted(store.get_report(ref)["n"] for ref in runs) == list(range(count))
    assert all(store.get_summary(ref) == {"repo": "org/app", "n": store.get_report(ref)["n"]} for ref in runs)


@pytest.mark.parametrize("stem", ["../../../etc/passwd", "2024-03-04T120000Z_0123456789ab/../x", "", "x"])
def test_forged_run_names_refused(store: KeyedStore, stem: str) -> None:
    from depreport.store import InvalidRunName

    with pytest.raises(InvalidRunName) as caught:
        store.get_report(RunRef("org/app", T0, SHA[:12], stem))
    assert caught.value.exit_code == 2


def test_missing_run_raises_run_not_found(store: KeyedStore) -> None:
    ghost = RunRef("org/app", T0, SHA[:12], f"2024-03-04T120000Z_{SHA[:12]}")
    with pytest.raises(RunNotFound, match="2024-03-04T120000Z_0123456789ab"):
        store.get_report(ghost)
    with pytest.raises(RunNotFound):
        store.get_summary(ghost)


class FailingSummaries:
    """Wraps a backend so that summary writes fail, like a server dying after the report."""

    def __init__(self, inner: ObjectBackend) -> None:
        self.inner = inner

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def put_new(self, key: str, data: bytes, content_type: str) -> bool:
        from depreport.store import StoreError

        if "/summaries/" in key:
            raise StoreError("summary write failed", hint="try again")
        return self.inner.put_new(key, data, content_type)


def test_failed_summary_withdraws_the_report(store: KeyedStore, backend: ObjectBackend) -> None:
    from depreport.store import StoreError

    broken = KeyedStore(FailingSummaries(backend))  # type: ignore[arg-type]
    with pytest.raises(StoreError, match=r"summary write failed.*not published") as caught:
        publish(broken, "org/app", T0)
    assert caught.value.hint == "try again"
    assert store.list_runs("org/app") == []
    assert list(backend.list_keys("org/app/")) == []


def test_orphan_summary_name_is_skipped(store: KeyedStore, backend: ObjectBackend) -> None:
    base = RunRef("org/app", T0, SHA[:12], f"2024-03-04T120000Z_{SHA[:12]}")
    assert backend.put_new(base.summary_key, b'{"orphan":true}', "application/json")
    ref = publish(store, "org/app", T0, 7)
    assert ref.stem != base.stem
    assert backend.get(base.report_key) is None
    assert store.get_report(ref)["n"] == 7


def test_invalid_time_and_commit_rejected(store: KeyedStore) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        publish(store, "org/app", datetime(2024, 3, 4))
    with pytest.raises(ValueError, match="hex commit"):
        publish(store, "org/app", T0, commit="not-a-sha")
    assert store.list_repos() == []


class LateAckSummaries(FailingSummaries):
    """The summary lands but the (retried) PUT reports the key as taken."""

    def put_new(self, key: str, data: bytes, content_type: str) -> bool:
        written = self.inner.put_new(key, data, content_type)
        return written and "/summaries/" not in key


def test_late_acknowledged_summary_counts_as_published(store: KeyedStore, backend: ObjectBackend) -> None:
    ref = publish(KeyedStore(LateAckSummaries(backend)), "org/app", T0, 3)  # type: ignore[arg-type]
    assert store.list_runs("org/app") == [ref]
    assert store.get_report(ref)["n"] == 3


class LandedThenFailed(FailingSummaries):
    """The summary lands, then the connection dies: the PUT and every delete fail."""

    def put_new(self, key: str, data: bytes, content_type: str) -> bool:
        from depreport.store import StoreError

        written = self.inner.put_new(key, data, content_type)
        if "/summaries/" in key:
            raise StoreError("connection reset")
        return written

    def delete(self, key: str) -> None:
        from depreport.store import StoreError

        raise StoreError("still down")


def test_summary_never_outlives_its_report(store: KeyedStore, backend: ObjectBackend) -> None:
    from depreport.store import StoreError

    with pytest.raises(StoreError, match="connection reset"):
        publish(KeyedStore(LandedThenFailed(backend)), "org/app", T0, 4)  # type: ignore[arg-type]
    for ref in store.list_runs("org/app"):
        assert store.get_report(ref)["n"] == 4


def test_packs_latest_wins_and_only_the_newest_are_kept(store: KeyedStore, backend: ObjectBackend) -> None:
    assert store.latest_pack("org/app") is None
    refs = [publish(store, "org/app", T0 + timedelta(minutes=n), n) for n in range(4)]
    for n, ref in enumerate(refs):
        store.put_pack(ref, f"pack {n}".encode())
        assert store.latest_pack("org/app") == f"pack {n}".encode()
    kept = sorted(backend.list_keys("org/app/packs/"))
    assert kept == [f"org/app/packs/{ref.stem}.pack" for ref in refs[2:]]
    other = publish(store, "org/app/sub", T0, 9)
    store.put_pack(other, b"nested repo")
    assert store.latest_pack("org/app") == b"pack 3"  # a nested repo's packs are its own
    assert store.latest_pack("org/app/sub") == b"nested repo"
    assert sorted(store.list_repos()) == ["org/app", "org/app/sub"]  # packs make no repo
    assert len(store.list_runs("org/app")) == 4  # and no run
    store.put_pack(refs[3], b"again")  # the same run's pack is not replaced
    assert store.latest_pack("org/app") == b"pack 3"
