"""Report store: runs published to a local folder or S3, listed by key name.

``open_store(uri)`` picks the backend: a folder path or ``file://`` URI (default
``.depreport/store``), or ``s3://bucket/prefix``. boto3 is imported only for S3.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from depreport.store.base import (
    DamagedRun,
    InvalidRepoName,
    InvalidRunName,
    InvalidStoreURI,
    RunNotFound,
    RunRef,
    Store,
    StoreError,
)
from depreport.store.heads import leading_keys, parallel_fetches, summary_head
from depreport.store.history import weekly
from depreport.store.layout import NO_COMMIT, short_commit, validate_repo
from depreport.store.local import DEFAULT_ROOT, LocalStore
from depreport.store.memory import MemoryStore
from depreport.store.reading import (
    Skipped,
    check_history_part,
    current_runs,
    latest_readable,
    split,
    stored_report,
    stored_summary,
    weekly_readable,
)

if TYPE_CHECKING:
    from depreport.store.s3 import S3Options

__all__ = [
    "DEFAULT_ROOT",
    "NO_COMMIT",
    "DamagedRun",
    "InvalidRepoName",
    "InvalidRunName",
    "InvalidStoreURI",
    "LocalStore",
    "MemoryStore",
    "RunNotFound",
    "RunRef",
    "Skipped",
    "Store",
    "StoreError",
    "check_history_part",
    "current_runs",
    "latest_readable",
    "leading_keys",
    "open_store",
    "parallel_fetches",
    "short_commit",
    "split",
    "stored_report",
    "stored_summary",
    "summary_head",
    "validate_repo",
    "weekly",
    "weekly_readable",
]


def open_store(
    uri: str | None = None,
    endpoint_url: str | None = None,
    options: S3Options | None = None,
) -> Store:
    """Open the store at ``uri`` (None or '' means the default local folder).

    ``endpoint_url`` (or AWS_ENDPOINT_URL) and ``options`` apply to s3:// stores only.
    """
    if not uri:
        uri = DEFAULT_ROOT
    scheme = urlsplit(uri).scheme if "://" in uri else ""
    if scheme == "s3":
        from depreport.store.s3 import S3Store

        return S3Store(uri, endpoint_url=endpoint_url, options=options)
    if endpoint_url:
        raise InvalidStoreURI(
            f"--endpoint-url was given but store {uri!r} is not an s3:// URI",
            hint="drop --endpoint-url, or use --store s3://bucket/prefix",
        )
    if scheme == "file":
        return LocalStore(_file_uri_path(uri))
    if scheme:
        raise InvalidStoreURI(f"store URI {uri!r} has unsupported scheme {scheme!r}")
    return LocalStore(uri)


def _file_uri_path(uri: str) -> str:
    """The local path of a ``file:///abs/path`` URI (host must be empty or localhost)."""
    parts = urlsplit(uri)
    if parts.netloc not in ("", "localhost"):
        raise InvalidStoreURI(
            f"file URI {uri!r} names host {parts.netloc!r}; use file:///absolute/path",
        )
    path = unquote(parts.path)
    if not path:
        raise InvalidStoreURI(f"file URI {uri!r} has no path")
    return path
