"""Read and parse files, in a pool of worker processes or in this one; each file becomes a FileResult."""

from __future__ import annotations

import codecs
import contextlib
import errno
import functools
import gc
import io
import os
import tokenize
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from depreport.extract import extract_imports
from depreport.model import (
    Extracted,
    Extraction,
    Failed,
    FileResult,
    Problem,
    ProblemReason,
    Skipped,
    SourceFile,
    TooSlow,
)
from depreport.scan.cache import ExtractionCache
from depreport.scan.extractions import blob_id, cache_key
from depreport.scan.gitobjects import BlobReader
from depreport.scan.walk import read_regular
from depreport.scan.workers import Limits, TookTooLong, deadline, supervise

# Below this many files a pool costs more than it saves.
_POOL_THRESHOLD = 200
_CHUNK = 48
# A chunk has no deadline (each file has its own, `FILE_SECONDS`); two in hand keep a worker busy.
_POOL_LIMITS = Limits(timeout=None, chunk=2, guarded=False, doing="reading these files")
# How long reading one file may take: a 2 MB file takes a few seconds; some texts take the parser time
# quadratic in their size (thousands of unclosed `/*`), hours for 2 MB, and would hang the scan.
FILE_SECONDS = 60.0


@dataclass(frozen=True)
class Work:
    """What a worker needs besides the file: where the repo and the cache are, and the size cap."""

    root: Path
    cache_dir: Path | None
    max_file_bytes: int
    from_git_objects: bool = False  # read contents by blob id from git, not from the working tree
    look_up: bool = True  # look contents up in the cache once read (pointless while it is empty)
    file_seconds: float | None = FILE_SECONDS  # how long extracting one file may take (None: no limit)


def default_jobs() -> int:
    """The cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def run_files(
    files: list[SourceFile], work: Work, jobs: int, progress: Callable[[int], None] | None = None
) -> Iterator[FileResult]:
    """Process every file; yields results as they complete (order not guaranteed).

    Largest files first, so that no worker is left with a big one while the others are done.
    """
    files = sorted((_with_size(work, f) for f in files), key=lambda f: -f.size)
    chunks = [files[i : i + _CHUNK] for i in range(0, len(files), _CHUNK)]
    if jobs <= 1 or len(files) < _POOL_THRESHOLD:
        _init_worker(work)
        try:
            for chunk in chunks:
                results = _process_chunk(chunk)
                if progress is not None:
                    progress(len(results))
                yield from results
        finally:
            _close_worker()
        return
    initializer = functools.partial(_init_pool_worker, work)
    for results in supervise(chunks, _process_chunk, _lost_chunk, jobs, _POOL_LIMITS, initializer):
        if progress is not None:
            progress(len(results))
        yield from results


def _lost_chunk(files: list[SourceFile], why: str) -> list[FileResult]:
    """The files a worker held when it died (a crash in a parser): each failed, the scan goes on."""
    message = f"internal error: {why}"
    return [Failed(f.path, Problem(f.path, ProblemReason.INTERNAL_ERROR.value, message)) for f in files]


def _with_size(work: Work, source: SourceFile) -> SourceFile:
    """The file with its size on disk when the listing did not say (git knew its content)."""
    if source.size or work.from_git_objects:
        return source
    try:
        return replace(source, size=os.stat(work.root / source.path).st_size)
    except OSError:
        return source  # reading it will say what is wrong


_work: Work | None = None
_cache: ExtractionCache | None = None


_blobs: BlobReader | None = None


def _init_pool_worker(work: Work) -> None:
    gc.enable()  # the parent pauses it while it builds an index; parsing makes short-lived cycles
    _init_worker(work)


def _init_worker(work: Work) -> None:
    global _work, _cache, _blobs
    _work = work
    _cache = ExtractionCache(work.cache_dir, readonly=True)
    _blobs = BlobReader(work.root) if work.from_git_objects else None


def _close_worker() -> None:
    global _blobs
    if _blobs is not None:
        _blobs.close()
        _blobs = None


_fetched: dict[str, bytes] = {}  # the contents of the chunk being processed, read from git at once


def _read(source: SourceFile, work: Work) -> bytes:
    if _blobs is not None and source.blob is not None:
        data = _fetched.get(source.blob)
        return data if data is not None else _blobs.read(source.blob)
    return read_regular(work.root / source.path)


def _process_chunk(files: list[SourceFile]) -> list[FileResult]:
    global _fetched
    if _blobs is not None:
        with contextlib.suppress(OSError):  # git is gone: each file's own read says so
            _fetched = _blobs.read_many(list(dict.fromkeys(f.blob for f in files if f.blob is not None)))
    try:
        return [process_file(f) for f in files]
    finally:
        _fetched = {}


def process_file(source: SourceFile) -> FileResult:
    """Read one file and extract its imports; every failure becomes a value."""
    assert _work is not None and _cache is not None
    try:
        return _read_and_extract(source, _work, _cache)
    except Exception as error:  # a bug of ours must not end the run
        detail = "".join(traceback.format_exception_only(type(error), error)).strip()
        message = f"internal error while reading this file: {detail}"
        return Failed(source.path, Problem(source.path, ProblemReason.INTERNAL_ERROR.value, message))


def too_large(path: str, size: int, limit: int) -> Skipped:
    """The outcome of a file over the size cap."""
    message = f"{size:,} bytes is over the {limit:,}-byte limit (max_file_size)"
    return Skipped(path, Problem(path, ProblemReason.TOO_LARGE.value, message))


def too_slow(path: str, blob: str, extraction: Extraction, seconds: float) -> TooSlow:
    """The outcome of a file whose reading overran this run's deadline, `seconds` (`extraction`: what is
    kept of its content, the deadline it overran then)."""
    message = (
        f"reading it took longer than {seconds:g} s and was stopped, its imports not counted "
        "(a real source file takes seconds: a generated or damaged one?); exclude it with --exclude"
    )
    return TooSlow(path, Problem(path, ProblemReason.TOO_SLOW.value, message), blob, extraction)


def cached_outcome(path: str, blob: str, cached: Extraction, work: Work) -> FileResult | None:
    """What a content's cached extraction makes of a file in this run, or None when the file is to be
    read again: the parser was stopped on it at a deadline shorter than this run's (or this run has none),
    so a deadline raised reads it again."""
    if cached.size > work.max_file_bytes:
        return too_large(path, cached.size, work.max_file_bytes)
    if cached.stopped_after is None:
        return Extracted(path, blob, cached)
    if work.file_seconds is None or work.file_seconds > cached.stopped_after:
        return None
    return too_slow(path, blob, cached, work.file_seconds)


def _read_and_extract(source: SourceFile, work: Work, cache: ExtractionCache) -> FileResult:
    if source.size > work.max_file_bytes:
        return too_large(source.path, source.size, work.max_file_bytes)
    try:
        data = _read(source, work)
    except OSError as error:
        looped = error.errno == errno.ELOOP
        reason = ProblemReason.SYMLINK_LOOP if looped else ProblemReason.UNREADABLE
        return Skipped(source.path, Problem(source.path, reason.value, f"cannot read file: {error.strerror}"))
    if len(data) > work.max_file_bytes:  # sizes of git blobs are known only once read
        return too_large(source.path, len(data), work.max_file_bytes)
    data = decode_utf16(data)
    if source.language == "python":
        data = decode_declared(data)
    why = binary_content(data)
    if why is not None:
        message = f"binary content ({why}); not a source file: exclude it or give it another extension"
        return Skipped(source.path, Problem(source.path, ProblemReason.BINARY.value, message))
    if is_lfs_pointer(data):
        return Skipped(source.path, Problem(source.path, ProblemReason.NOT_CHECKED_OUT.value, _LFS_POINTER))
    blob = source.blob or blob_id(data)
    if source.blob is None and work.look_up:  # a known blob was looked up by the parent already
        key = cache_key(blob, source.language)
        cached = cache.get([key]).get(key)
        seen = None if cached is None else cached_outcome(source.path, blob, cached, work)
        if seen is not None:
            return seen
    try:
        with deadline(work.file_seconds):
            extraction = extract_imports(data, source.language)
    except TookTooLong:
        assert work.file_seconds is not None  # no deadline, no alarm
        stopped = Extraction((), False, 0, False, size=len(data), stopped_after=work.file_seconds)
        return too_slow(source.path, blob, stopped, work.file_seconds)
    if extraction.parsed and not _is_utf8(data):
        extraction = replace(extraction, utf8=False)
    return Extracted(source.path, blob, extraction)


_UTF16_BOMS = ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# bytes text never holds: C0 controls other than tab, newlines, form feed and escape
_CONTROL_BYTES = bytes(set(range(32)) - {9, 10, 12, 13, 27})


def decode_utf16(data: bytes) -> bytes:
    """A file saved as UTF-16 (it starts with a byte order mark) as UTF-8; other bytes unchanged."""
    for bom, codec in _UTF16_BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec).encode("utf-8")
            except UnicodeError:
                return data  # not really UTF-16: judged as it is
    return data


def decode_declared(data: bytes) -> bytes:
    """Python source in the encoding its first lines declare (PEP 263, `# -*- coding: latin-1 -*-`), as
    UTF-8, as the interpreter reads it (pip's tests/data/packages/SetupPyLatin1/setup.py); bytes that
    do not decode as declared, or declare no encoding, are left as they are (and judged as they are)."""
    if data.isascii() or _is_utf8(data):
        return data
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        return data.decode(encoding).encode("utf-8")
    except (SyntaxError, LookupError, UnicodeError):
        return data


# What Git LFS leaves in place of a file it tracks (its spec: a small text starting with this line).
_LFS_POINTER_START = (b"version https://git-lfs.github.com/spec/", b"version https://hawser.github.com/spec/")
_LFS_POINTER = (
    "a Git LFS pointer, not the file's content: fetch it (git lfs pull; actions/checkout with lfs: true); "
    "git objects hold only the pointer, so backfill never reads it"
)


def is_lfs_pointer(data: bytes) -> bool:
    """Is this the pointer Git LFS keeps in place of a file whose content was not fetched?"""
    return len(data) < 1024 and data.startswith(_LFS_POINTER_START)


def binary_content(data: bytes) -> str | None:
    """Why the first 8 KiB look like binary data (NUL bytes, control bytes, mostly invalid UTF-8), or None.

    A few NUL bytes are text: JavaScript allows one in a string (kubernetes-sigs/headlamp's
    `const LOADING_KEY = '\0loading'`); binary data and UTF-16 without a byte order mark hold many."""
    sample = data[:8192]
    if not sample:
        return None
    if sample.count(0) * 100 > len(sample):  # over 1%
        return "NUL bytes"
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls * 20 > len(sample):  # over 5%: text has almost none
        return "control bytes"
    if not _is_utf8(sample):
        text = sample.decode("utf-8", "replace")
        if text.count("\ufffd") * 4 > len(text):  # over 25% undecodable: not text in any encoding
            return "mostly invalid UTF-8"
    return None


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
