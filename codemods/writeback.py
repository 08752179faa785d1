"""Writing a migrated file back: in one step, only over the very file that was read, never through a link.

Between reading a file and writing it, an editor or a formatter may have saved it: that edit must not
be lost, so the file is read again just before the new content replaces it, and left alone if it
changed. A symbolic link is never replaced by a copy of its target, nor written through (its target
may lie outside the repository): the link is named, and migrating its target is the fix. A file with
more than one name (a hard link: pnpm links node_modules to its global store, `cp -l` snapshots) is
left too: writing it in place would change every other name, maybe outside the repository, and
replacing it would leave the others with the old text, unsaid. A file no
one may write (a generated file, a Perforce file not opened for edit) is left as it is, as an editor
would refuse it, though replacing it only needs its folder to be writable.

Ctrl-C and SIGTERM are held from the temporary file's creation until it has replaced the file (or is
gone): one arriving while the file is created would otherwise stop the run with the temporary file made
but not yet named to the code that removes it, left beside the file for good.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

from depreport.scan.walk import read_regular


def write_back(path: Path, before: bytes, after: bytes) -> str | None:
    """Replace `before` by `after` in the file at `path`; None when written, else why it was left alone.

    Raises OSError when the file cannot be read again or written.
    """
    info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode):
        return "symbolic link: not written (a link is never replaced nor written through); migrate its target"
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file: not written"
    if info.st_nlink > 1:
        return (
            f"hard link (this file has {info.st_nlink} names): not written, as the other names would keep "
            "the old text or, written in place, change with it; copy it to a file of its own "
            "(cp FILE tmp && mv tmp FILE) and run again"
        )
    if not info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        return "read-only: not written (chmod u+w it, or open it for edit, and run again)"
    if read_regular(path) != before:
        return "changed since it was read: left alone so that edit is kept; run migrate again"
    with _signals_held():
        return _replace(path, before, after, stat.S_IMODE(info.st_mode))


def _replace(path: Path, before: bytes, after: bytes, mode: int) -> str | None:
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".migrate", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(after)
        os.chmod(temporary, mode)
        if read_regular(path) != before:  # the last moment to notice an edit made while writing
            Path(temporary).unlink()
            return "changed while it was being written: left alone so that edit is kept; run migrate again"
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return None


_HELD = (signal.SIGINT, signal.SIGTERM)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait until the block is done; their handlers then run as usual.

    Held by handlers of our own, not by the thread's signal mask: the signal goes to any thread that
    does not block it (a progress bar's), and the main thread runs the Python handler right after.
    """
    caught: list[tuple[int, FrameType | None]] = []
    try:
        before = {number: signal.signal(number, lambda n, f: caught.append((n, f))) for number in _HELD}
    except ValueError:  # not the main thread: only it may set handlers (and only it runs them)
        yield
        return
    try:
        yield
    finally:
        for number, handler in before.items():
            signal.signal(number, handler)
        for came, frame in caught[:1]:
            _deliver(before[signal.Signals(came)], came, frame)


def _deliver(handler: Any, number: int, frame: FrameType | None) -> None:
    """Do what the handler in place when a held signal came would have done."""
    if callable(handler):
        handler(number, frame)
    elif handler == signal.SIG_DFL:
        signal.raise_signal(number)
