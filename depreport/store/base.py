"""Store contract: errors, the run reference and the ``Store`` protocol."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from depreport.errors import EXIT_STORE, EXIT_USAGE, DepreportError
from depreport.textslices import Text


class StoreError(DepreportError):
    """A report store could not be read or written; ``hint`` says how to fix it."""

    exit_code = EXIT_STORE
    default_hint = ""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message, hint or self.default_hint)


class InvalidRepoName(StoreError):
    """A repo name breaks the naming rules (it would escape or confuse the layout)."""

    exit_code = EXIT_USAGE
    default_hint = "use an 'org/name' style name: segments of letters, digits, '.', '_' or '-'"


class InvalidStoreURI(StoreError):
    """A store URI has an unknown scheme or a malformed bucket or path."""

    exit_code = EXIT_USAGE
    default_hint = "use a folder path, file:///abs/path or s3://bucket/prefix"


class InvalidRunName(StoreError):
    """A RunRef whose stem is not a run name of the layout (e.g. taken from user input)."""

    exit_code = EXIT_USAGE
    default_hint = "take run references from list_runs() or latest()"


class RunNotFound(StoreError):
    """A run's report or summary is missing from the store."""


class DamagedRun(StoreError):
    """A stored report or summary that does not parse, or not as a report or summary of this version."""

    default_hint = "republish the run, or delete its summary so readers stop listing it"


@dataclass(frozen=True, order=True)
class RunRef:
    """One stored run, known from its key name alone.

    Ordering is (repo, time, commit, stem), which within one repo is the key order,
    i.e. chronological.
    """

    repo: str
    time: datetime
    commit: str
    stem: str

    @property
    def report_key(self) -> str:
        """Key of the gzipped report, relative to the store root."""
        return f"{self.repo}/reports/{self._month}/{self.stem}.json.gz"

    @property
    def summary_key(self) -> str:
        """Key of the summary, relative to the store root."""
        return f"{self.repo}/summaries/{self._month}/{self.stem}.json"

    @property
    def _month(self) -> str:
        return f"{self.time:%Y}/{self.time:%m}"


@runtime_checkable
class Store(Protocol):
    """A place where runs are published and read back, listed by key name only."""

    @property
    def uri(self) -> str:
        """Where the store lives (never contains credentials)."""
        ...

    def list_repos(self) -> list[str]:
        """Names of the repos that have at least one run, sorted."""
        ...

    def list_runs(self, repo: str) -> list[RunRef]:
        """All runs of ``repo``, oldest first."""
        ...

    def latest(self, repo: str) -> RunRef | None:
        """The newest run of ``repo``, or None when it has none."""
        ...

    def get_report(self, ref: RunRef) -> dict[str, Any]:
        """The full report of a run."""
        ...

    def get_summary(self, ref: RunRef) -> dict[str, Any]:
        """The small summary of a run."""
        ...

    def put_run(
        self,
        repo: str,
        time: datetime,
        commit: str,
        report: Mapping[str, Any] | Text,
        summary: Mapping[str, Any] | str,
    ) -> RunRef:
        """Publish a run (report first, then summary); never overwrites.

        The report and the summary are each a dict, or its compact JSON text when the caller has it (the
        report's possibly in pieces, one after the other).
        """
        ...

    def put_pack(self, ref: RunRef, data: bytes) -> str:
        """Store the pack a published run leaves for the next scan of its repo; returns its key.

        Only the newest packs of a repo are kept: a pack serves the next scan, not history.
        """
        ...

    def latest_pack(self, repo: str) -> bytes | None:
        """The newest pack of ``repo``, or None when it has none."""
        ...
