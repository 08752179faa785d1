"""A repo's packs in the store: fetched in the background, kept after publishing, every outcome a note."""

from __future__ import annotations

from datetime import UTC, datetime

from depreport.scan.pack import Pack, decode_pack
from depreport.scan.storedpack import StoredPacks
from depreport.store import RunRef, StoreError
from depreport.store.memory import MemoryStore

REF = RunRef("acme/app", datetime(2026, 11, 30, 12, tzinfo=UTC), "a" * 40, "2026-11-30T120000Z_aaaaaaaaaaaa")
PACK = Pack("inputs", {"a.js": ("javascript", "b" * 40)}, {}, None, {})


class BrokenStore(MemoryStore):
    def latest_pack(self, repo: str) -> bytes | None:
        raise StoreError("connection refused")

    def put_pack(self, ref: RunRef, data: bytes) -> str:
        raise StoreError("access denied")


def test_no_pack_yet_is_a_note_naming_what_stores_one() -> None:
    with StoredPacks(MemoryStore(), "acme/app", keep=False) as packs:
        assert packs.previous() is None
        assert packs.previous() is None  # asked again: None, and no second note
        (note,) = packs.take_notes()
    assert "no pack of acme/app" in note and "scan --publish" in note
    assert not packs.fetched


def test_a_stored_pack_is_fetched_by_the_next_run() -> None:
    store = MemoryStore()
    with StoredPacks(store, "acme/app", keep=True) as first:
        first.previous()
        first.compress(PACK)
        first.save(REF)
        assert (
            first.take_notes()[-1]
            == "stored the pack for the next scan: acme/app/packs/2026-11-30T120000Z_aaaaaaaaaaaa.pack"
        )
    data = store.latest_pack("acme/app")
    assert data is not None and decode_pack(data) == PACK
    with StoredPacks(store, "acme/app", keep=True) as second:
        assert second.previous() == PACK and second.fetched
        assert second.previous() is None  # handed over once: the scan lets it go when done with it
        assert second.take_notes() == []


def test_store_failures_are_warnings_and_the_scan_goes_on() -> None:
    with StoredPacks(BrokenStore(), "acme/app", keep=True) as packs:
        assert packs.previous() is None
        packs.compress(PACK)
        packs.save(REF)
        read, stored = packs.take_notes()
    assert (
        read.startswith("warning: could not read the last pack of acme/app") and "connection refused" in read
    )
    assert stored.startswith("warning: the report is published but its pack is not (access denied)")


def test_an_unreadable_pack_is_ignored_with_a_note() -> None:
    store = MemoryStore()
    store.put_pack(REF, b"not a pack")
    with StoredPacks(store, "acme/app", keep=False) as packs:
        assert packs.previous() is None
        assert "unreadable or from another version" in packs.take_notes()[0]


def test_save_without_a_compressed_pack_does_nothing_and_says_nothing() -> None:
    with StoredPacks(MemoryStore(), "acme/app", keep=False) as packs:
        packs.previous()
        packs.take_notes()
        packs.save(REF)
        assert packs.take_notes() == []
