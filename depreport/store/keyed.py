"""The store contract implemented once, over a minimal object backend.

Backends (local folder, S3, memory) only know keys and bytes; this module owns the
layout, the no-overwrite publish protocol and listing by key name.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any, Protocol

from depreport.store.base import RunNotFound, RunRef, StoreError
from depreport.store.layout import (
    LAYOUT_DIRS,
    decode_json,
    decode_report,
    encode_json,
    encode_report,
    is_segment,
    is_year,
    make_ref,
    parse_summary_key,
    validate_ref,
    validate_repo,
)
from depreport.textslices import Text

# Each retry draws a fresh random suffix, so running out means something else is wrong.
MAX_NAME_ATTEMPTS = 8
REPORT_CONTENT_TYPE = "application/gzip"
SUMMARY_CONTENT_TYPE = "application/json"
PACK_CONTENT_TYPE = "application/zstd"
PACKS_KEPT = 2  # the newest, and the one before it for a job that listed just before a publish


class ObjectBackend(Protocol):
    """Keys (relative to the store root, '/'-separated) to bytes, with create-only writes."""

    @property
    def uri(self) -> str:
        """Where the objects live, for messages."""
        ...

    def put_new(self, key: str, data: bytes, content_type: str) -> bool:
        """Store ``data`` under ``key`` unless the key exists; False if it did."""
        ...

    def get(self, key: str, limit: int = -1) -> bytes | None:
        """The bytes under ``key`` (its first ``limit`` when given), or None if there is no such key."""
        ...

    def delete(self, key: str) -> None:
        """Remove ``key`` if present."""
        ...

    def list_keys(self, prefix: str) -> Iterator[str]:
        """Every key under ``prefix`` (which ends with '/'), at any depth."""
        ...

    def list_dirs(self, prefix: str) -> list[str]:
        """Names of the immediate sub-folders of ``prefix`` ('' for the root)."""
        ...


class KeyedStore:
    """A ``Store`` over an ``ObjectBackend``."""

    def __init__(self, backend: ObjectBackend) -> None:
        self._backend = backend

    @property
    def uri(self) -> str:
        """Where the store lives."""
        return self._backend.uri

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.uri!r})"

    def list_repos(self) -> list[str]:
        """Repos with dated summaries, found by walking folder names (no downloads).

        A folder is a repo when its ``summaries/`` folder holds a 4-digit year folder.
        Year folders under ``reports/`` or ``summaries/`` are layout, never repo segments.
        """
        found: list[str] = []
        pending: list[tuple[str, list[str] | None]] = [("", None)]
        while pending:
            prefix, children = pending.pop()
            if children is None:
                children = self._backend.list_dirs(prefix)
            in_layout = prefix.rstrip("/").rpartition("/")[2] in LAYOUT_DIRS
            for child in children:
                if not is_segment(child) or (in_layout and is_year(child)):
                    continue
                path = f"{prefix}{child}/"
                listed = None
                if prefix and child in LAYOUT_DIRS:
                    listed = self._backend.list_dirs(path)
                    if child == "summaries" and any(is_year(name) for name in listed):
                        found.append(prefix[:-1])
                pending.append((path, listed))
        return sorted(found)

    def list_runs(self, repo: str) -> list[RunRef]:
        """All runs of ``repo``, oldest first, from summary key names only."""
        validate_repo(repo)
        refs = []
        for key in self._backend.list_keys(f"{repo}/summaries/"):
            ref = parse_summary_key(key)
            if ref is not None and ref.repo == repo:
                refs.append(ref)
        return sorted(refs)

    def latest(self, repo: str) -> RunRef | None:
        """The newest run of ``repo``, or None."""
        runs = self.list_runs(repo)
        return runs[-1] if runs else None

    def get_report(self, ref: RunRef) -> dict[str, Any]:
        """The full report of ``ref``."""
        return decode_report(self._fetch(ref, ref.report_key), ref.report_key)

    def get_summary(self, ref: RunRef) -> dict[str, Any]:
        """The summary of ``ref``."""
        return decode_json(self._fetch(ref, ref.summary_key), ref.summary_key)

    def read_head(self, key: str, size: int) -> bytes | None:
        """The first ``size`` bytes stored under ``key`` (all of them when fewer), or None when there are
        none: an object store sends only those (`heads.summary_head`)."""
        return self._backend.get(key, size)

    def _fetch(self, ref: RunRef, key: str) -> bytes:
        validate_ref(ref)
        data = self._backend.get(key)
        if data is None:
            raise RunNotFound(
                f"{key} is missing from {self.uri}",
                hint="list the runs again; the run may have been deleted",
            )
        return data

    def put_run(
        self,
        repo: str,
        time: datetime,
        commit: str,
        report: Mapping[str, Any] | Text,
        summary: Mapping[str, Any] | str,
    ) -> RunRef:
        """Publish a run: the report, then its summary, both create-only (each a dict, or its compact
        JSON text).

        A name already taken (same second and commit) gets a random suffix instead.
        On failure nothing is listed: the report is removed if its summary fails.
        """
        report_bytes, summary_bytes = encode_report(report), encode_json(summary)
        for attempt in range(MAX_NAME_ATTEMPTS):
            ref = make_ref(repo, time, commit, unique=attempt > 0)
            if not self._backend.put_new(ref.report_key, report_bytes, REPORT_CONTENT_TYPE):
                continue
            try:
                stored = self._put_summary(ref, summary_bytes)
            except BaseException:  # Ctrl-C, SIGTERM (a worker stopped) between the two writes: no half run
                self._withdraw(ref)
                raise
            if stored:
                return ref
        raise StoreError(
            f"could not find a free name for a run of {repo} in {self.uri} "
            f"after {MAX_NAME_ATTEMPTS} attempts",
            hint="check that nothing else writes the same keys in a loop",
        )

    def put_pack(self, ref: RunRef, data: bytes) -> str:
        """Store the pack a published run left for the next scan; older packs of the repo are dropped."""
        validate_ref(ref)
        key = f"{ref.repo}/packs/{ref.stem}.pack"
        self._backend.put_new(key, data, PACK_CONTENT_TYPE)  # taken: the same run's pack is there
        for old in self._pack_keys(ref.repo)[:-PACKS_KEPT]:
            self._discard(old)
        return key

    def latest_pack(self, repo: str) -> bytes | None:
        """The newest pack of ``repo``, or None when it has none."""
        keys = self._pack_keys(validate_repo(repo))
        return self._backend.get(keys[-1]) if keys else None

    def _pack_keys(self, repo: str) -> list[str]:
        """Keys of the repo's packs, oldest first (run names sort by time)."""
        prefix = f"{repo}/packs/"
        return sorted(k for k in self._backend.list_keys(prefix) if "/" not in k[len(prefix) :])

    def _put_summary(self, ref: RunRef, data: bytes) -> bool:
        """Write the summary of a stored report; False if its name is taken by another."""
        try:
            if self._backend.put_new(ref.summary_key, data, SUMMARY_CONTENT_TYPE):
                return True
            # a retried PUT whose first try landed reports "taken": the summary is ours
            if self._backend.get(ref.summary_key) == data:
                return True
        except StoreError as exc:
            self._withdraw(ref)
            raise StoreError(
                f"{exc.message} (run {ref.stem} of {ref.repo} was not published)", exc.hint
            ) from exc
        self._discard(ref.report_key)
        return False

    def _withdraw(self, ref: RunRef) -> None:
        """Undo a half-published run: the summary (if it landed) first, then the report.

        If the summary cannot be removed the report stays, so no summary outlives its report.
        """
        with contextlib.suppress(StoreError):
            self._backend.delete(ref.summary_key)
            self._backend.delete(ref.report_key)

    def _discard(self, key: str) -> None:
        """Best-effort delete; a report left behind is harmless as readers list summaries."""
        with contextlib.suppress(StoreError):
            self._backend.delete(key)
