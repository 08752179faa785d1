"""A repo's packs in the store: fetching the last one, leaving this run's. The pack's whole life after a scan.

The last pack is fetched in the background from the moment the job starts, so the download overlaps the
listing of files; the scan takes it when it needs it (`previous`). A publishing scan's own pack is
compressed in the background (zstd releases the GIL) while the report is written and published, then
stored beside the report. Failing to read or to store a pack only makes a later scan slower: each such
event is a note kept as a value, which the CLI prints.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from typing import Protocol

from depreport.scan.pack import Pack, decode_pack, encode_pack
from depreport.store import RunRef, Store, StoreError


class PackSource(Protocol):
    """Where a scan's previous pack comes from; asked once, after the files are listed."""

    def previous(self) -> Pack | None:
        """The previous pack, or None to scan without one."""
        ...


class StoredPacks:
    """The packs of one repo in one store, read and written in the background."""

    def __init__(self, store: Store, repo: str, keep: bool) -> None:
        """`keep`: this run stores its own pack (a publishing scan); a check only reads one."""
        self.store, self.repo, self.keep = store, repo, keep
        self.notes: list[str] = []
        self.fetched = False  # whether the scan was handed a pack
        self._pool = ThreadPoolExecutor(max_workers=1)
        self._fetching: Future[tuple[Pack | None, str]] | None = self._pool.submit(self._fetch)
        self._encoding: Future[bytes] | None = None

    def previous(self) -> Pack | None:
        """The last pack of the repo (waits for the download), or None; why not is in `notes`.

        Handed over once (asked again: None), and not kept here: the scan lets the pack's saved index
        go once it has restored it (hundreds of MB for a repo of 40k files).
        """
        if self._fetching is None:
            return None
        pack, note = self._fetching.result()
        self._fetching = None
        if note:
            self.notes.append(note)
        self.fetched = pack is not None
        return pack

    def take_notes(self) -> list[str]:
        """The notes since the last call."""
        notes, self.notes = self.notes, []
        return notes

    def compress(self, pack: Pack) -> None:
        """Start compressing this run's pack while the report is written and published."""
        self._encoding = self._pool.submit(encode_pack, pack)

    def save(self, ref: RunRef) -> None:
        """Store this run's pack beside its published report; a failure is a note."""
        if self._encoding is None:
            return
        data = self._encoding.result()
        try:
            key = self.store.put_pack(ref, data)
        except StoreError as exc:
            self.notes.append(
                f"warning: the report is published but its pack is not ({exc.message}); "
                "the next scan will parse every file"
            )
            return
        self.notes.append(f"stored the pack for the next scan: {key}")

    def close(self) -> None:
        """Wait for background work and stop the thread."""
        self._pool.shutdown(wait=True)

    def __enter__(self) -> StoredPacks:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _fetch(self) -> tuple[Pack | None, str]:
        repo = self.repo
        try:
            data = self.store.latest_pack(repo)
        except StoreError as exc:
            return (
                None,
                f"warning: could not read the last pack of {repo}, scanning without it: {exc.message}",
            )
        if data is None:
            later = "this run stores one" if self.keep else "a publishing run (scan --publish) stores one"
            return None, f"no pack of {repo} in {self.store.uri} yet: every file is parsed, and {later}"
        pack = decode_pack(data)
        if pack is None:
            return None, f"the last pack of {repo} is unreadable or from another version: scanning without it"
        return pack, ""
