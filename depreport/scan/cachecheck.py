"""Checking the extraction cache before a scan: a damaged file is removed so the scan builds it again.

A CI job that restores its cache in part leaves a SQLite file cut short; a path given as the cache
folder may be a file. Neither may stop a scan: a cache only saves time.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from depreport.scan.cache import cache_file


def prepare_cache(directory: Path) -> tuple[Path | None, str | None]:
    """The cache folder to use (None: scan without one) and a warning to show, if any.

    A path that is not a folder cannot hold the cache; a damaged file (say, a CI cache restored in
    part) is removed so that this scan builds it again. Neither stops a scan: a cache only saves time.
    """
    if directory.exists() and not directory.is_dir():
        return None, f"--cache-dir {directory} is not a folder: scanning without a cache (give a folder)"
    path = cache_file(directory)
    if not path.exists():
        return directory, None
    damage = _damage(path)
    if damage is None:
        return directory, None
    try:
        path.unlink()
    except OSError as error:
        return (
            None,
            f"the cache {path} is damaged ({damage}) and cannot be removed ({error.strerror}): "
            "scanning without it; delete it",
        )
    return directory, f"the cache {path} was damaged ({damage}): removed; this scan builds it again"


def _damage(path: Path) -> str | None:
    """What is wrong with a cache file, or None when it looks whole.

    Cheap enough for every scan: the header, the size it announces, and the tables. A page damaged
    inside is found when read (`_guarded`).
    """
    try:
        with open(path, "rb") as file:
            header = file.read(100)
            size = os.fstat(file.fileno()).st_size
    except OSError as error:
        return error.strerror or str(error)
    if size == 0:
        return None  # an empty file is a new database to SQLite
    if len(header) < 100 or not header.startswith(b"SQLite format 3\0"):
        return "not a SQLite file"
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages, valid_for, changes = (int.from_bytes(header[i : i + 4], "big") for i in (28, 92, 24))
    if valid_for == changes and size < page_size * pages:
        return f"cut short: {size:,} of {page_size * pages:,} bytes"
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            db.close()
    except sqlite3.Error as error:
        return str(error)
    return None
