"""Local folder store specifics: URIs, files on disk, atomic create-only writes."""

from __future__ import annotations

import errno
import gzip
import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from depreport.store import (
    DEFAULT_ROOT,
    InvalidStoreURI,
    LocalStore,
    MemoryStore,
    StoreError,
    open_store,
)

T0 = datetime(2024, 3, 4, 12, 0, 0, tzinfo=UTC)
SHA = "0123456789abcdef0123456789abcdef01234567"
STEM = "2024-03-04T120000Z_0123456789ab"


def test_default_store_is_the_local_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for uri in (None, ""):
        store = open_store(uri)
        assert isinstance(store, LocalStore) and store.root == Path(DEFAULT_ROOT)
    ref = open_store().put_run("org/app", T0, SHA, {"b": 1, "a": [2]}, {"n": 1})
    report = tmp_path / ".depreport/store/org/app/reports/2024/03" / f"{STEM}.json.gz"
    summary = tmp_path / ".depreport/store/org/app/summaries/2024/03" / f"{STEM}.json"
    assert gzip.decompress(report.read_bytes()) == b'{"a":[2],"b":1}'
    assert json.loads(summary.read_text()) == {"n": 1}
    assert open_store().uri == str(tmp_path / ".depreport/store")
    assert open_store().list_runs("org/app") == [ref]


def test_file_uris(tmp_path: Path) -> None:
    for uri in (f"file://{tmp_path}/s", f"file://localhost{tmp_path}/s", str(tmp_path / "s")):
        store = open_store(uri)
        assert isinstance(store, LocalStore) and store.root == tmp_path / "s"
    spaced = open_store(f"file://{tmp_path}/with%20space")
    assert isinstance(spaced, LocalStore) and spaced.root == tmp_path / "with space"


@pytest.mark.parametrize(
    ("uri", "kwargs", "message"),
    [
        pytest.param("file://host/x", {}, "names host", id="file-host"),
        pytest.param("file://", {}, "no path", id="file-empty"),
        pytest.param("gs://bucket/x", {}, "unsupported scheme 'gs'", id="gs"),
        pytest.param("https://example.invalid/x", {}, "unsupported scheme", id="https"),
        pytest.param("some/dir", {"endpoint_url": "http://127.0.0.1:9"}, "not an s3://", id="endpoint-local"),
    ],
)
def test_bad_store_uris(uri: str, kwargs: dict[str, str], message: str) -> None:
    with pytest.raises(InvalidStoreURI, match=message) as caught:
        open_store(uri, **kwargs)
    assert caught.value.exit_code == 2 and caught.value.hint


def test_existing_file_is_never_overwritten(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    taken = tmp_path / "org/app/reports/2024/03" / f"{STEM}.json.gz"
    taken.parent.mkdir(parents=True)
    taken.write_bytes(b"someone else's")
    ref = store.put_run("org/app", T0, SHA, {"n": 1}, {"n": 1})
    assert ref.stem != STEM and store.get_report(ref) == {"n": 1}
    assert taken.read_bytes() == b"someone else's"


def test_no_temporary_files_are_left(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    for n in range(3):
        store.put_run("org/app", T0, SHA, {"n": n}, {"n": n})
    names = [name for _, _, files in os.walk(tmp_path) for name in files]
    assert len(names) == 6 and not [name for name in names if name.startswith(".")]


def test_file_systems_without_hard_links(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_links(src: object, dst: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    store = LocalStore(tmp_path)
    first = store.put_run("org/app", T0, SHA, {"n": 1}, {"n": 1})
    second = store.put_run("org/app", T0, SHA, {"n": 2}, {"n": 2})
    assert first.stem == STEM and second.stem != STEM
    assert [store.get_report(ref)["n"] for ref in store.list_runs("org/app")] == [1, 2]


def test_unwritable_root_gives_a_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    store = LocalStore(blocker / "store")
    with pytest.raises(StoreError, match="cannot write") as caught:
        store.put_run("org/app", T0, SHA, {}, {})
    assert str(blocker) in caught.value.message and "writable" in caught.value.hint
    assert store.list_repos() == [] and store.list_runs("org/app") == []


def test_missing_root_reads_as_empty(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "nothing-here")
    assert store.list_repos() == [] and store.latest("org/app") is None
    assert not (tmp_path / "nothing-here").exists()


def test_memory_store_exposes_raw_objects() -> None:
    store = MemoryStore()
    store.put_run("org/app", T0, SHA, {"n": 1}, {"n": 1})
    assert sorted(store.objects) == [
        f"org/app/reports/2024/03/{STEM}.json.gz",
        f"org/app/summaries/2024/03/{STEM}.json",
    ]
    assert store.uri == "memory://"


def test_stores_satisfy_the_protocol(tmp_path: Path) -> None:
    from depreport.store import Store
    from depreport.store.s3 import S3Store

    s3 = S3Store("s3://bucket-x/ci", endpoint_url="http://127.0.0.1:9")
    for store in (MemoryStore(), LocalStore(tmp_path), s3):
        assert isinstance(store, Store)


def test_a_run_whose_summary_cannot_land_leaves_no_report(tmp_path: Path) -> None:
    """A file where the summaries folder should be: the publish fails, and the report it wrote is
    taken back (a key under a file reads as absent, it is no error of its own)."""
    root = tmp_path / "store"
    (root / "org" / "app").mkdir(parents=True)
    (root / "org" / "app" / "summaries").write_text("in the way\n")
    store = LocalStore(root)
    with pytest.raises(StoreError, match="not published"):
        store.put_run("org/app", T0, SHA, {"report": 1}, {"summary": 1})
    assert not (root / "org" / "app" / "reports").exists() or not any(
        (root / "org" / "app" / "reports").rglob("*.gz")
    )
    assert (root / "org" / "app" / "summaries").read_text() == "in the way\n"  # not ours: left as it was


@pytest.mark.parametrize("linked", ["org", "org/app", "org/app/reports"])
def test_a_linked_folder_inside_the_store_is_not_written_through(tmp_path: Path, linked: str) -> None:
    """A run written through a link lands outside the store, and `reports list` (which never follows a
    link) would not show it: the publish is refused naming the link, and nothing lands behind it."""
    root, elsewhere = tmp_path / "store", tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / linked).parent.mkdir(parents=True, exist_ok=True)
    (root / linked).symlink_to(elsewhere)
    store = LocalStore(root)
    with pytest.raises(StoreError, match="is a symbolic link") as caught:
        store.put_run("org/app", T0, SHA, {"report": 1}, {"summary": 1})
    assert (
        f"its folder {linked} is a symbolic link" in caught.value.message
        and "real folder" in caught.value.hint
    )
    assert list(elsewhere.rglob("*")) == []


def test_a_store_folder_given_through_a_link_is_written(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "store").symlink_to(tmp_path / "real")
    store = LocalStore(tmp_path / "store")
    store.put_run("org/app", T0, SHA, {"report": 1}, {"summary": 1})
    assert store.list_repos() == ["org/app"] and (tmp_path / "real" / "org" / "app" / "summaries").is_dir()
