"""The files of a folder that is not a git work tree: nested `.gitignore` files honoured, links judged.

The walk never leaves the folder: a symbolic link is never followed into a folder, and a link's own
name is reported (`link_problem`) instead of being read, wherever it points. Folders are walked with a
stack, not recursion, so a chain a thousand folders deep is just a long walk.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pathspec

from depreport.model import Problem, ProblemReason
from depreport.scan.globs import git_reads, lenient_spec, shown_path

Ignores = list[tuple[str, pathspec.GitIgnoreSpec]]
# Files larger than this are not read (`max_file_size`): minified bundles and generated code, mostly.
DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024


@dataclass(frozen=True)
class Root:
    """The folder being scanned: its path with a trailing slash, and its real path."""

    prefix: str
    real: str

    @classmethod
    def of(cls, root: Path) -> Root:
        """The Root of a folder."""
        return cls(os.path.join(root, ""), os.path.realpath(root))

    def holds(self, real: str) -> bool:
        """Is a real path the root or under it?"""
        return real == self.real or real.startswith(self.real.rstrip("/") + "/")

    def relative(self, real: str) -> str:
        """A real path under the root as a repo-relative path ('.' for the root)."""
        return os.path.relpath(real, self.real).replace(os.sep, "/")


class NotRegularFile(OSError):
    """The path is a link, FIFO, device or folder: it is not read (a FIFO would block forever)."""


def read_regular(path: str | Path, limit: int = -1) -> bytes:
    """A regular file's bytes (its first `limit` when given); never follows a final symbolic link, never
    blocks on a FIFO."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    handle = os.open(path, flags)
    with os.fdopen(handle, "rb") as file:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            raise NotRegularFile(errno.EINVAL, "not a regular file (a FIFO, device or folder)")
        return file.read(limit)


def read_named(path: str | Path) -> bytes:
    """The bytes of a file named on the command line: a regular file, or a pipe (`<(...)`, /dev/stdin),
    read to its end; a device (whose end may never come: /dev/zero), a socket or a folder raises
    NotRegularFile (OSError) instead."""
    with open(path, "rb") as file:
        if not stat.S_ISREG(mode := os.fstat(file.fileno()).st_mode) and not stat.S_ISFIFO(mode):
            raise NotRegularFile(errno.EINVAL, "not a file or a pipe (a device, socket or folder)")
        return file.read()


def read_inside(root: Root, path: str) -> bytes | None:
    """The bytes of a regular file at a repo-relative path, or None: absent, not a regular file, or
    reached through a link that leaves the repository (config files are never read from outside)."""
    if os.path.isabs(path) or "\0" in path:  # no file has a NUL byte in its name
        return None
    real = os.path.realpath(root.prefix + path)  # a link inside the repo is followed; one out is not
    if not root.holds(real):
        return None
    try:
        return read_regular(real)
    except OSError:
        return None


def walk(
    root: Root, skipped: frozenset[str], problems: list[Problem], excluded: Callable[[str], bool]
) -> Iterator[tuple[str, dict[str, os.DirEntry[str]]]]:
    """Folder by folder, its repo-relative path and a slash ('' for the top) and its files and file
    links by name, in name order, minus ignored ones; a link to a folder is a problem unless `excluded`
    says everything under that path is left out."""
    stack: list[tuple[str, str, Ignores]] = [(root.prefix, "", [])]
    while stack:
        directory, prefix, ignores = stack.pop()
        try:
            with os.scandir(directory) as scan:
                entries = {entry.name: entry for entry in scan}  # names are unique in a folder
        except OSError as error:
            where = shown_path(prefix.rstrip("/")) or "."
            message = f"cannot list this folder: {error.strerror}; its files are not scanned ({_fix(error)})"
            problems.append(Problem(where, ProblemReason.UNREADABLE.value, message))
            continue
        if ".gitignore" in entries:  # not opened blindly in 6,000 folders
            ignores = ignores + _gitignore(directory, prefix, problems)
        folders = []
        files = {}
        for name in sorted(entries):
            entry = entries[name]
            path = prefix + name
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            if (is_dir and name in skipped) or (ignores and _ignored(ignores, path, is_dir)):
                continue
            if is_dir:
                folders.append((entry.path + "/", path + "/", ignores))
            elif not entry.is_symlink() or not _leads_to_folder(entry.path):
                files[name] = entry
            elif entry.name not in skipped and not excluded(path):
                problems.append(link_problem(root, path))
        if files:
            yield prefix, files
        stack.extend(reversed(folders))


def _fix(error: OSError) -> str:
    """What to do about a folder that cannot be listed, by why."""
    if error.errno == errno.ENAMETOOLONG:
        return "its path is longer than the system allows: shorten the folder names on the way to it"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "check permissions"
    return "check the folder and the file system it is on"


def _leads_to_folder(path: str) -> bool:
    """A link to a folder, or one that loops (both are reported, never followed)."""
    try:
        return stat.S_ISDIR(os.stat(path).st_mode)
    except OSError as error:
        return error.errno == errno.ELOOP


def link_problem(root: Root, path: str) -> Problem:
    """Why the symbolic link at a repo-relative path is not read: it loops, leaves the repo, or is a copy."""
    full = root.prefix + path
    shown = shown_path(path)
    try:
        os.stat(full)
    except OSError as error:
        if error.errno == errno.ELOOP:
            message = "symbolic link that loops: not followed; point it at a real file or remove it"
            return Problem(shown, ProblemReason.SYMLINK_LOOP.value, message)
        message = f"symbolic link to a missing target ({error.strerror}): nothing to read; fix or remove it"
        return Problem(shown, ProblemReason.UNREADABLE.value, message)
    target = os.path.realpath(full)
    parent = os.path.realpath(os.path.dirname(full))
    if parent == target or parent.startswith(target.rstrip("/") + "/"):
        where = shown_path(root.relative(target)) if root.holds(target) else shown_path(target)
        message = f"symbolic link loops back to its own folder {where}: not followed"
        return Problem(shown, ProblemReason.SYMLINK_LOOP.value, message)
    if not root.holds(target):
        return link_outside(shown, shown_path(target))
    return link_inside(shown, shown_path(root.relative(target)))


def link_outside(shown: str, target: str) -> Problem:
    """The problem of a symbolic link to something outside the repository."""
    message = (
        f"symbolic link to {target}, outside the repository: not read (depreport never "
        "leaves the folder it is given); give that folder itself if its imports matter"
    )
    return Problem(shown, ProblemReason.UNREADABLE.value, message)


def link_inside(shown: str, inside: str) -> Problem:
    """The problem of a symbolic link to a path of the repository."""
    message = (
        f"symbolic link to {inside} in the repository: not followed, so nothing is counted twice "
        f"({inside} is scanned where it is)"
    )
    return Problem(shown, ProblemReason.UNREADABLE.value, message)


def _gitignore(directory: str, prefix: str, problems: list[Problem]) -> Ignores:
    try:  # never blocks on a FIFO; a byte order mark is skipped, as git does
        lines = (
            read_regular(os.path.join(directory, ".gitignore")).decode("utf-8-sig", "replace").splitlines()
        )
    except OSError as error:
        message = f"cannot read it: {error.strerror}; its patterns are not applied (make it a readable file)"
        problems.append(Problem(shown_path(prefix + ".gitignore"), ProblemReason.UNREADABLE.value, message))
        return []
    spec, bad = lenient_spec(lines)
    for number, line, why in bad:
        kept = "" if git_reads(line) else ", as git does"
        message = f"line {number}: {line!r} is not a valid pattern ({why}); ignored{kept}: "
        message += "fix or remove that line"
        problems.append(Problem(shown_path(prefix + ".gitignore"), ProblemReason.SYNTAX_ERROR.value, message))
    return [(prefix, spec)]


def _ignored(ignores: Ignores, path: str, is_dir: bool) -> bool:
    """The deepest .gitignore with an opinion decides, as in git."""
    verdict = False
    for prefix, spec in ignores:
        relative = path[len(prefix) :] + ("/" if is_dir else "")
        result = spec.check_file(relative).include
        if result is not None:
            verdict = result
    return verdict
