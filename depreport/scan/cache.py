"""The extraction cache: content id -> what the parser found, so no content is parsed twice.

Content ids are git blob ids (an extraction is keyed and encoded as `depreport.scan.extractions` says),
so files git already knows are looked up without being read. A second table remembers (size, mtime) ->
blob id per path, for folders that are not git work trees. One SQLite file; workers read it, only the
parent process writes.
"""

from __future__ import annotations

import contextlib
import functools
import json
import marshal
import sqlite3
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

from depreport.extract import EXTRACTOR_VERSION
from depreport.model import Extraction
from depreport.report.shape import ProblemEntry
from depreport.scan.extractions import decode, encode

_SCHEMA = """
CREATE TABLE IF NOT EXISTS extraction (key TEXT PRIMARY KEY, payload BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS stat (root TEXT PRIMARY KEY, payload BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS scan (
  root TEXT PRIMARY KEY, digest TEXT NOT NULL, problems TEXT NOT NULL, body BLOB NOT NULL, records BLOB
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS scan_block (
  root TEXT NOT NULL, key TEXT NOT NULL, text TEXT NOT NULL, PRIMARY KEY (root, key)
);
"""
_ROW_CHARACTERS = 1 << 20  # a memo's block is kept in rows of at most this many characters
_RACY_NS = 2_000_000_000  # a file changed this close to being recorded may change again unseen


@dataclass(frozen=True)
class ScanMemo:
    """A scan's output kept for the next run: the body's blocks as JSON text, problems, the records'
    JSON lines if made, and the imports that resolve to nothing or to a folder of src/ as a package (so
    that saying them decodes no block)."""

    body: dict[str, str]
    problems: list[ProblemEntry]
    records: str | None = None
    unresolved: dict[str, int] = field(default_factory=dict)
    source_folders: dict[str, int] = field(default_factory=dict)


def cache_file(directory: Path) -> Path:
    """The SQLite file of a cache folder."""
    return directory / f"extract-v{EXTRACTOR_VERSION}.sqlite"


P = ParamSpec("P")
R = TypeVar("R")
Method = Callable[Concatenate["ExtractionCache", P], R]
# what a damaged file or row raises: SQLite's errors, and marshal/zlib/json on a bad payload
_DAMAGE = (sqlite3.Error, OSError, EOFError, ValueError, TypeError, zlib.error)


def _guarded(fallback: Callable[[], R]) -> Callable[[Method[P, R]], Method[P, R]]:
    """A cache method that, on damage, stops using the cache and answers `fallback()` (a cache only
    saves time: a scan without one is slower, never wrong)."""

    def wrap(method: Method[P, R]) -> Method[P, R]:
        @functools.wraps(method)
        def run(cache: ExtractionCache, /, *args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return method(cache, *args, **kwargs)
            except _DAMAGE as error:
                cache._damaged(error)
                return fallback()

        return run

    return wrap


def _true() -> bool:
    return True


def _no_extractions() -> dict[str, Extraction]:
    return {}


def _no_blobs() -> dict[str, tuple[int, int, str]]:
    return {}


def _no_memo() -> ScanMemo | None:
    return None


def _none() -> None:
    return None


class ExtractionCache:
    """A SQLite file of extractions and file stats; `None` path means a cache that remembers nothing.

    Damage found while in use makes it a cache that remembers nothing (`damage` says why); the file
    is then removed when the cache is closed, so the next scan builds it again.
    """

    def __init__(self, directory: Path | None, readonly: bool = False) -> None:
        self.path = None if directory is None else cache_file(directory)
        self._db: sqlite3.Connection | None = None
        self._readonly = readonly
        self.damage: str | None = None
        self._corrupt = False

    def _connect(self) -> sqlite3.Connection | None:
        if self.path is None or self.damage is not None:
            return None
        if self._db is None:
            try:
                self._db = self._open(self.path)
            except (sqlite3.DatabaseError, OSError) as error:
                self._damaged(error)
        return self._db

    def _open(self, path: Path) -> sqlite3.Connection | None:
        if self._readonly:
            return sqlite3.connect(f"file:{path}?mode=ro", uri=True) if path.exists() else None
        path.parent.mkdir(parents=True, exist_ok=True)
        _ignore_folder(path.parent)
        db = sqlite3.connect(path)
        try:
            db.executescript(_SCHEMA)
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def _damaged(self, error: Exception) -> None:
        """Stop using the cache for the rest of this run."""
        self.damage = str(error) or type(error).__name__
        # a locked or read-only file is fine for the next run; a malformed one is not
        self._corrupt = not isinstance(error, (sqlite3.OperationalError, OSError))
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None

    @_guarded(_no_extractions)
    def get(self, keys: Iterable[str]) -> dict[str, Extraction]:
        """The cached extractions among `keys`."""
        db = self._connect()
        wanted = list(keys)
        if db is None or not wanted:
            return {}
        found: dict[str, Extraction] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for key, payload in db.execute(
                f"SELECT key, payload FROM extraction WHERE key IN ({marks})", chunk
            ):
                found[key] = decode(payload)
        return found

    def is_empty(self) -> bool:
        """True when no extraction is cached (a first scan): workers then need not look anything up."""
        db = self._connect()
        return db is None or db.execute("SELECT 1 FROM extraction LIMIT 1").fetchone() is None

    @_guarded(_none)
    def put(self, extractions: dict[str, Extraction]) -> None:
        """Remember extractions by key."""
        db = self._connect()
        if db is None or not extractions:
            return
        with db:
            rows = ((key, encode(value)) for key, value in extractions.items())
            db.executemany("INSERT OR REPLACE INTO extraction VALUES (?, ?)", rows)

    @_guarded(_no_blobs)
    def known_blobs(self, root: str) -> dict[str, tuple[int, int, str]]:
        """path -> (size, mtime_ns, blob) for files under root whose stat can be trusted."""
        db = self._connect()
        row = (
            None if db is None else db.execute("SELECT payload FROM stat WHERE root = ?", (root,)).fetchone()
        )
        if row is None:
            return {}
        recorded, stats = marshal.loads(row[0])
        return {path: stat for path, stat in stats.items() if stat[1] + _RACY_NS < recorded}

    @_guarded(_none)
    def remember_blobs(self, root: str, stats: dict[str, tuple[int, int, str]]) -> None:
        """Record path -> (size, mtime_ns, blob) of every file of the latest scan under root."""
        db = self._connect()
        if db is None:
            return
        with db:
            db.execute(
                "INSERT OR REPLACE INTO stat VALUES (?, ?)", (root, marshal.dumps((time.time_ns(), stats)))
            )

    @_guarded(_no_memo)
    def scan_memo(self, root: str, digest: str, records: bool) -> ScanMemo | None:
        """What the latest scan of root produced, if its inputs had this digest (records when asked for)."""
        db = self._connect()
        if db is None:
            return None
        columns = "body, problems, records" if records else "body, problems, NULL"
        query = f"SELECT {columns} FROM scan WHERE root = ? AND digest = ?"
        row = db.execute(query, (root, digest)).fetchone()
        if row is None or (records and row[2] is None):
            return None
        kept = row[2] if row[2] is None or isinstance(row[2], str) else _unpacked(row[2]).decode("utf-8")
        body = marshal.loads(_unpacked(row[0]))
        if isinstance(body, tuple):  # the blocks' names; their texts are rows of scan_block
            body = _joined(db.execute("SELECT key, text FROM scan_block WHERE root = ?", (root,)), body)
        if not (isinstance(body, dict) and all(isinstance(text, str) for text in body.values())):
            return None
        said = json.loads(row[1])
        if not isinstance(said, dict) or "source_folders" not in said:  # an older memo: scan again
            return None
        return ScanMemo(body, said["problems"], kept, said["unresolved"], said["source_folders"])

    @_guarded(_none)
    def remember_scan(self, root: str, digest: str, memo: ScanMemo) -> None:
        """Keep what the latest scan of root produced (one per root).

        Each block's text is rows of its own, a piece of at most `_ROW_CHARACTERS` each: no copy of the
        38 MB body is made at a scan's peak of memory (marshal would need plain copies and then its own
        bytes; binding a whole block, SQLite its bytes and a record of them: 21 MB each for `packages`),
        and none is compressed (inflating took a warm scan 0.12 s).
        """
        db = self._connect()
        if db is None:
            return
        names = tuple(sorted(memo.body))
        said = json.dumps(
            {"problems": memo.problems, "unresolved": memo.unresolved, "source_folders": memo.source_folders}
        )
        row = (root, digest, said, marshal.dumps(names), memo.records)
        with db:
            db.execute("DELETE FROM scan_block WHERE root = ?", (root,))
            db.executemany("INSERT INTO scan_block VALUES (?, ?, ?)", _rows_of(root, memo.body))
            db.execute("INSERT OR REPLACE INTO scan VALUES (?, ?, ?, ?, ?)", row)

    def close(self) -> None:
        """Close the connection, if one was opened; remove the file if it turned out damaged."""
        if self._db is not None:
            self._db.close()
            self._db = None
        if self._corrupt and not self._readonly and self.path is not None:
            with contextlib.suppress(OSError):
                self.path.unlink()  # the next scan builds it again


def _unpacked(payload: bytes) -> bytes:
    """A memo column as stored: as it is, or compressed with zlib by earlier versions (marshal and JSON
    text never start with zlib's first byte, 0x78)."""
    return zlib.decompress(payload) if payload[:1] == b"\x78" else payload


def _ignore_folder(directory: Path) -> None:
    """Keep the cache out of version control, as pytest does with its cache."""
    marker = directory / ".gitignore"
    if not marker.exists():
        with contextlib.suppress(OSError):  # a read-only cache folder still works
            marker.write_text("# created by depreport\n*\n", encoding="utf-8")


def _rows_of(root: str, body: dict[str, str]) -> Iterator[tuple[str, str, str]]:
    """(root, key, text) rows of a memo's blocks: each block in pieces, keyed `name#000000`, `name#000001`…"""
    for name in sorted(body):
        text = body[name]
        for number, start in enumerate(range(0, max(len(text), 1), _ROW_CHARACTERS)):
            yield root, f"{name}#{number:06d}", text[start : start + _ROW_CHARACTERS]


def _joined(rows: Iterable[tuple[str, str]], names: tuple[str, ...]) -> dict[str, str] | None:
    """The blocks `_rows_of` made rows of, joined again; None unless each of `names` is there, whole."""
    pieces: dict[str, list[tuple[str, str]]] = {}
    for key, text in rows:
        name, _, number = key.rpartition("#")
        pieces.setdefault(name, []).append((number, text))
    if pieces.keys() != set(names):
        return None
    body = {}
    for name, found in pieces.items():
        found.sort()
        if [number for number, _ in found] != [f"{n:06d}" for n in range(len(found))]:
            return None
        body[name] = "".join(text for _, text in found)
    return body
