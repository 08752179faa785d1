"""Key layout of a store: repo-name rules, run stems, key parsing and the JSON codec.

```
<repo>/reports/<YYYY>/<MM>/<YYYY-MM-DDTHHMMSSZ>_<sha12>[_<8 hex>].json.gz
<repo>/summaries/<YYYY>/<MM>/<same stem>.json
```
The stem starts with a fixed-width UTC timestamp, so key order is time order.
"""

from __future__ import annotations

import gzip
import json
import re
import secrets
import struct
import zlib
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from depreport.store.base import DamagedRun, InvalidRepoName, InvalidRunName, RunRef
from depreport.textslices import Text, encoded_slices

MAX_REPO_LENGTH = 200
_GZIP_LEVEL = 1  # about a third larger than 9, many times faster
_GZIP_HEADER = gzip.compress(b"", compresslevel=_GZIP_LEVEL, mtime=0)[:10]  # as gzip.compress writes it
NO_COMMIT = "0" * 12
# A lone surrogate (valid in JSON as an escape, "\ud800", which json.loads keeps) has no UTF-8 form; in
# JSON text it can only stand inside a string, where `\ud800` is its own JSON escape: the same value.
_JSON_ESCAPES = "backslashreplace"
LAYOUT_DIRS = ("reports", "summaries")

_SEGMENT = re.compile(r"[A-Za-z0-9._-]+")
_YEAR = re.compile(r"[0-9]{4}")
_COMMIT = re.compile(r"[0-9a-f]{12,64}")
_STEM = re.compile(
    r"(?P<y>[0-9]{4})-(?P<mo>[0-9]{2})-(?P<d>[0-9]{2})"
    r"T(?P<h>[0-9]{2})(?P<mi>[0-9]{2})(?P<s>[0-9]{2})Z"
    r"_(?P<commit>[0-9a-f]{12})(?:_[0-9a-f]{8})?"
)
_SUMMARY_KEY = re.compile(r"(?P<repo>.+)/summaries/(?P<y>[0-9]{4})/(?P<mo>[0-9]{2})/(?P<stem>[^/]+)\.json")


def validate_repo(repo: object) -> str:
    """Return ``repo`` if it is a safe ``org/name`` style name, else raise InvalidRepoName."""
    if not isinstance(repo, str) or not repo:
        raise InvalidRepoName("repo name is empty: give an 'org/name' style name")
    shown = repr(repo)
    if len(repo) > MAX_REPO_LENGTH:
        raise InvalidRepoName(f"repo name {shown[:60]}... is longer than {MAX_REPO_LENGTH} chars")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in repo):
        raise InvalidRepoName(f"repo name {shown} contains control characters")
    if "\\" in repo:
        raise InvalidRepoName(f"repo name {shown} contains a backslash: separate segments with '/'")
    if repo.startswith("/"):
        raise InvalidRepoName(f"repo name {shown} starts with '/': absolute paths are not allowed")
    segments = repo.split("/")
    for index, segment in enumerate(segments):
        _check_segment(shown, segment)
        if index > 0 and segments[index - 1] in LAYOUT_DIRS and _YEAR.fullmatch(segment):
            raise InvalidRepoName(
                f"repo name {shown} has a 4-digit segment after {segments[index - 1]!r}, "
                "which the store layout reserves"
            )
    return repo


def _check_segment(shown: str, segment: str) -> None:
    if not segment:
        raise InvalidRepoName(f"repo name {shown} has an empty segment ('//' or a trailing '/')")
    if segment in (".", ".."):
        raise InvalidRepoName(f"repo name {shown} has a {segment!r} segment")
    if not _SEGMENT.fullmatch(segment):
        raise InvalidRepoName(
            f"repo name {shown} has segment {segment!r} with characters other than "
            "letters, digits, '.', '_' and '-'"
        )


def validate_ref(ref: RunRef) -> RunRef:
    """Return ``ref`` if its repo and stem are safe to turn into keys."""
    validate_repo(ref.repo)
    if not _STEM.fullmatch(ref.stem):
        raise InvalidRunName(f"{ref.stem!r} is not a run name (YYYY-MM-DDTHHMMSSZ_<sha12>)")
    return ref


def normalize_time(time: datetime) -> datetime:
    """The run time as an aware UTC datetime truncated to the second."""
    if time.tzinfo is None or time.utcoffset() is None:
        raise ValueError("run time must be timezone-aware (e.g. datetime.now(UTC))")
    return time.astimezone(UTC).replace(microsecond=0)


def short_commit(commit: str) -> str:
    """The first 12 hex digits of a commit id (12 to 64 hex digits; use NO_COMMIT if none)."""
    value = commit.strip().lower()
    if not _COMMIT.fullmatch(value):
        raise ValueError(
            f"commit {commit!r} is not a full hex commit id (12 to 64 digits); "
            "pass `git rev-parse HEAD`, or NO_COMMIT outside git"
        )
    return value[:12]


def make_ref(repo: str, time: datetime, commit: str, unique: bool) -> RunRef:
    """Build the RunRef for a new run; ``unique`` adds a random 8-hex suffix to the stem."""
    utc = normalize_time(time)
    sha = short_commit(commit)
    stem = f"{utc:%Y-%m-%dT%H%M%SZ}_{sha}"
    if unique:
        stem = f"{stem}_{secrets.token_hex(4)}"
    return RunRef(repo=validate_repo(repo), time=utc, commit=sha, stem=stem)


def parse_summary_key(key: str) -> RunRef | None:
    """The RunRef a summary key (relative to the root) names, or None if it is not one."""
    match = _SUMMARY_KEY.fullmatch(key)
    if match is None:
        return None
    stem = _STEM.fullmatch(match["stem"])
    if stem is None or (stem["y"], stem["mo"]) != (match["y"], match["mo"]):
        return None
    try:
        repo = validate_repo(match["repo"])
        y, mo, d, h, mi, s = (int(stem[name]) for name in ("y", "mo", "d", "h", "mi", "s"))
        time = datetime(y, mo, d, h, mi, s, tzinfo=UTC)
    except (InvalidRepoName, ValueError):
        return None
    return RunRef(repo=repo, time=time, commit=stem["commit"], stem=match["stem"])


def encode_json(document: Mapping[str, Any] | str) -> bytes:
    """Deterministic compact JSON: sorted keys, UTF-8, no NaN. A document given as text is taken to be
    that JSON already."""
    if isinstance(document, str):
        return document.encode("utf-8", _JSON_ESCAPES)
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return text.encode("utf-8", _JSON_ESCAPES)


def encode_report(report: Mapping[str, Any] | Text) -> bytes:
    """Gzipped deterministic JSON (mtime 0, so equal reports give equal bytes).

    A report given as text, whole or in pieces, is taken to be JSON already (e.g. written by
    depreport.report.schema).
    """
    if isinstance(report, Mapping):
        return gzip.compress(encode_json(report), compresslevel=_GZIP_LEVEL, mtime=0)
    # the text a piece at a time: the same bytes as gzip.compress, without a whole encoded copy of it
    deflate = zlib.compressobj(_GZIP_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    out, crc, size = [_GZIP_HEADER], 0, 0
    for data in encoded_slices(report):
        crc, size = zlib.crc32(data, crc), size + len(data)
        out.append(deflate.compress(data))
    out += (deflate.flush(), struct.pack("<LL", crc, size & 0xFFFFFFFF))
    return b"".join(out)


def decode_json(data: bytes, key: str) -> dict[str, Any]:
    """Parse a stored JSON object, naming the key if it is damaged."""
    try:
        document = json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError) as exc:  # bad UTF-8, bad JSON, an integer of over 4300 digits
        raise DamagedRun(f"stored object {key} is not valid JSON: {exc}") from exc
    if not isinstance(document, dict):
        raise DamagedRun(f"stored object {key} is not a JSON object")
    return document


def decode_report(data: bytes, key: str) -> dict[str, Any]:
    """Parse a stored gzipped report."""
    try:
        raw = gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as exc:
        raise DamagedRun(f"stored report {key} is not valid gzip: {exc}") from exc
    return decode_json(raw, key)


def is_segment(name: str) -> bool:
    """Whether ``name`` could be one segment of a repo name."""
    return bool(_SEGMENT.fullmatch(name)) and name not in (".", "..")


def is_year(name: str) -> bool:
    """Whether a folder name is a 4-digit year of the layout."""
    return bool(_YEAR.fullmatch(name))
