"""Local folder store: atomic, create-only files under a root folder."""

from __future__ import annotations

import errno
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path

from depreport.store.base import DamagedRun, StoreError
from depreport.store.keyed import KeyedStore

DEFAULT_ROOT = ".depreport/store"
# errors meaning "this file system has no hard links": fall back to O_EXCL writes
_NO_LINK_ERRNOS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK}


class LocalBackend:
    """Objects as files under ``root``; keys are '/'-separated relative paths."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    @property
    def uri(self) -> str:
        """The absolute folder path."""
        return os.path.abspath(self.root)

    def put_new(self, key: str, data: bytes, content_type: str) -> bool:
        """Write a temp file, fsync it, then hard-link it into place (fails if taken)."""
        path = self.root / key
        self._refuse_linked_folders(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            return _publish(path, data)
        except OSError as exc:
            raise self._error("write", path, exc) from exc

    def _refuse_linked_folders(self, key: str) -> None:
        """StoreError when a folder of ``key`` below the root is a symbolic link: a run written through it
        would land outside the store, and listing repos (which never follows links) would not show it."""
        folders = key.split("/")[:-1]
        for depth in range(1, len(folders) + 1):
            folder = "/".join(folders[:depth])
            if (self.root / folder).is_symlink():
                raise StoreError(
                    f"cannot write {key} in local store {self.uri}: its folder {folder} is a symbolic link, "
                    "and runs behind a link are not listed",
                    hint="replace the link with a real folder, or give --store the folder it points to",
                )

    def get(self, key: str, limit: int = -1) -> bytes | None:
        """The file's bytes (its first ``limit`` when given), or None if it does not exist; DamagedRun when
        the key names no regular file (a FIFO would block the reader forever, /dev/zero never ends, a link
        loop never resolves)."""
        path = self.root / key
        try:
            return _read_regular(path, limit)
        except (FileNotFoundError, NotADirectoryError):  # a file where a folder of the key would be
            return None
        except _NotRegular as exc:
            raise DamagedRun(f"stored object {key} is {exc}, not a file", _NOT_REGULAR_HINT) from exc
        except OSError as exc:
            if exc.errno in (errno.ELOOP, errno.EISDIR, errno.ENXIO):  # a link loop, a socket
                raise DamagedRun(
                    f"stored object {key} is not a file: {exc.strerror}", _NOT_REGULAR_HINT
                ) from exc
            raise self._error("read", path, exc) from exc

    def delete(self, key: str) -> None:
        """Remove the file if present."""
        path = self.root / key
        try:
            path.unlink(missing_ok=True)
        except NotADirectoryError:
            return  # a file where a folder of the key would be: no such object
        except OSError as exc:
            raise self._error("delete", path, exc) from exc

    def list_keys(self, prefix: str) -> Iterator[str]:
        """Files under ``prefix`` at any depth, skipping hidden (temporary) files."""
        self._refuse_a_root_that_is_no_folder()
        base = self.root / prefix
        for folder, _dirs, files in os.walk(base, onerror=self._raise_walk_error):
            relative = Path(folder).relative_to(self.root).as_posix()
            for name in files:
                if not name.startswith("."):
                    yield f"{relative}/{name}"

    def list_dirs(self, prefix: str) -> list[str]:
        """Names of the sub-folders of ``prefix``."""
        self._refuse_a_root_that_is_no_folder()
        base = self.root / prefix
        try:
            with os.scandir(base) as entries:
                return sorted(e.name for e in entries if e.is_dir(follow_symlinks=False))
        except (FileNotFoundError, NotADirectoryError):
            return []
        except OSError as exc:
            raise self._error("list", base, exc) from exc

    def _refuse_a_root_that_is_no_folder(self) -> None:
        """A store given as a file (or a device) holds nothing: said as such, not as an empty store."""
        if self.root.exists() and not self.root.is_dir():
            raise StoreError(
                f"local store {self.uri} is not a folder",
                hint="give --store a folder (or s3://bucket/prefix)",
            )

    def _raise_walk_error(self, exc: OSError) -> None:
        if not isinstance(exc, (FileNotFoundError, NotADirectoryError)):
            raise self._error("list", Path(exc.filename or self.root), exc) from exc

    def _error(self, action: str, path: Path, exc: OSError) -> StoreError:
        reason = exc.strerror or type(exc).__name__
        return StoreError(
            f"cannot {action} {path} in local store {self.uri}: {reason}",
            hint="check that the folder exists, is writable and the disk is not full, "
            "or pick another folder with --store",
        )


_NOT_REGULAR_HINT = "remove it from the store folder: depreport only ever writes regular files there"


class _NotRegular(OSError):
    """A key that names a FIFO, device, socket or folder."""


def _read_regular(path: Path, limit: int = -1) -> bytes:
    """A regular file's bytes (its first ``limit`` when given; links followed); never blocks on a FIFO
    nor reads a device."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise _NotRegular(_KINDS.get(stat.S_IFMT(mode), "not a regular file"))
        return handle.read(limit)


_KINDS = {stat.S_IFIFO: "a FIFO", stat.S_IFCHR: "a device", stat.S_IFBLK: "a device",
          stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a folder"}  # fmt: skip


def _publish(path: Path, data: bytes) -> bool:
    """Atomically create ``path`` with ``data``; False if it already exists."""
    temp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        _write_synced(temp, data)
        try:
            os.link(temp, path)
        except FileExistsError:
            return False
        except OSError as exc:
            if exc.errno not in _NO_LINK_ERRNOS:
                raise
            return _write_exclusive(path, data)
        _sync_dir(path.parent)
        return True
    finally:
        temp.unlink(missing_ok=True)


def _write_synced(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _write_exclusive(path: Path, data: bytes) -> bool:
    """Fallback without hard links: O_EXCL create (still never overwrites)."""
    try:
        _write_synced(path, data)
    except FileExistsError:
        return False
    _sync_dir(path.parent)
    return True


def _sync_dir(folder: Path) -> None:
    """Persist the new directory entry (best effort: not every OS can fsync a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class LocalStore(KeyedStore):
    """A ``Store`` in a local folder (created on first write)."""

    def __init__(self, root: str | os.PathLike[str] = DEFAULT_ROOT) -> None:
        self._local = LocalBackend(root)
        super().__init__(self._local)

    @property
    def root(self) -> Path:
        """The store folder."""
        return self._local.root
