"""Which files a migration reads, and whether git has uncommitted changes under them."""

from __future__ import annotations

import os
import re
import stat
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from codemods.rules import RULE_LANGUAGE
from codemods.runner import Task
from depreport.errors import UsageError
from depreport.model import Problem
from depreport.scan.discover import DiscoverOptions, discover_files
from depreport.scan.gitfifos import communicate
from depreport.scan.globs import shown_path
from depreport.scan.languages import language_for
from depreport.scan.walk import read_regular

MAX_UNREAD_BYTES = 2_000_000  # a component or page larger than this is read only this far
NOT_REWRITTEN = (
    "not-rewritten"  # the reason of a problem: a file migrate does not rewrite names a moved module
)


@dataclass(frozen=True)
class Collected:
    """The files to migrate, and the exclude globs given that left out nothing in any folder (a glob
    is applied to the files of folders, not to a file given by name)."""

    tasks: list[Task]
    unused_excludes: tuple[str, ...]


def collect_tasks(
    paths: Iterable[Path],
    options: DiscoverOptions,
    languages: frozenset[str],
    problems: list[Problem] | None = None,
    moved: Callable[[str], bool] | None = None,
) -> Collected:
    """Every file under `paths` in a language some rule is written for (folders honour .gitignore).

    Files found in folders but not migrated (links, names that are not UTF-8, FIFOs...) are added to
    `problems`, with their path from the current folder, and so are the components and pages whose
    imports are not read (`.vue`, `.svelte`, `.astro`, `.mdx`) that name a module `moved` accepts in a
    string. A file given by name must be a regular file.
    """
    tasks: dict[str, Task] = {}
    unused = set(options.exclude)
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            found = discover_files(path, options)
            unused.intersection_update(found.unused_excludes)
            for source in found.files:
                if RULE_LANGUAGE.get(source.language) in languages:
                    full = os.path.join(path, source.path)
                    tasks.setdefault(full, Task(full, _display(full), source.language))
            if problems is not None:
                problems.extend(_from(path, p) for p in found.problems)
                if moved is not None:
                    problems.extend(_unread_naming(path, found.unread, moved))
            continue
        _check_named_file(path)
        language = language_for(path.name, include_declarations=True)
        if language is not None and RULE_LANGUAGE.get(language) in languages:
            tasks.setdefault(str(path), Task(str(path), _display(str(path)), language))
    ordered = sorted(tasks.values(), key=lambda t: t.display)
    return Collected(ordered, tuple(glob for glob in dict.fromkeys(options.exclude) if glob in unused))


_STRING = re.compile(r"""(['"`])([^'"`\s]+)\1""")


def _unread_naming(folder: Path, unread: list[str], moved: Callable[[str], bool]) -> list[Problem]:
    """A problem for each file of a kind migrate does not rewrite (a Vue component's <script>) with a
    string that names a module a rule moves: its imports would be left as they are without a word."""
    found = []
    for name in unread:
        full = os.path.join(folder, name)
        try:  # as scan reads a file: no link followed, no FIFO waited on
            content = read_regular(full, MAX_UNREAD_BYTES).decode("utf-8", "replace")
        except OSError:
            continue
        named = sorted({m.group(2) for m in _STRING.finditer(content) if moved(m.group(2))})
        if named:
            kind = name[name.rfind(".") :]
            why = f"names {', '.join(named)}, which a rule moves, but migrate does not rewrite {kind} files"
            found.append(Problem(_display(full), NOT_REWRITTEN, f"{why}: change its imports by hand"))
    return found


def _check_named_file(path: Path) -> None:
    """A file named on the command line is a regular file, reached without a symbolic link."""
    shown = shown_path(str(path))
    try:
        mode = os.lstat(path).st_mode
    except OSError as error:
        raise UsageError(f"no such file or folder: {shown}", "give files or folders to migrate") from error
    if stat.S_ISLNK(mode) or os.path.realpath(path) != os.path.abspath(path):
        raise UsageError(
            f"{shown} is reached through a symbolic link (to {shown_path(os.path.realpath(path))})",
            "give the real path: migrate never writes through a link, nor replaces one",
        )
    if not stat.S_ISREG(mode):
        raise UsageError(f"{shown} is not a regular file (a FIFO or device?)", "give files or folders")


def _from(folder: Path, problem: Problem) -> Problem:
    where = _display(os.path.join(shown_path(str(folder)), problem.path))
    return Problem(where, problem.reason, problem.message)


def _display(path: str) -> str:
    return shown_path(Path(os.path.normpath(path)).as_posix())


def dirty_files(paths: Iterable[Path]) -> list[str]:
    """Files under `paths` with changes git has not committed (empty outside a git work tree); a
    UsageError when git cannot say (it refuses a work tree owned by another user).

    Read with `-z`, so names git would quote (spaces, quotes, bytes that are not UTF-8) are covered.
    """
    dirty: set[str] = set()
    for path in paths:
        folder = path if path.is_dir() else path.parent
        command = ["git", "-C", str(folder), "status", "--porcelain=v1", "-z", "--untracked-files=all", "--"]
        command.append(os.path.abspath(path))
        env = {**os.environ, "LC_ALL": "C", "LANGUAGE": ""}  # git's message in the words matched below
        try:
            process = subprocess.Popen(
                [*command, os.path.abspath(path)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
            )
        except OSError:
            continue
        done = communicate(process, folder)  # a .gitignore that is a FIFO is read as empty, not waited on
        if done.stopped:
            raise UsageError(
                f"cannot tell whether {path} has uncommitted changes: git status waited for ever to open a "
                "FIFO, one of its ignore files (.git/info/exclude or core.excludesFile), and was stopped",
                "make that file a regular file, or pass --allow-dirty",
            )
        if done.returncode == 0:
            dirty.update(_dirty(done.out.decode("utf-8", "surrogateescape")))
        elif b"not a git repository" not in done.err:  # in a work tree git will not read, nothing is known
            said = done.err.decode("utf-8", "replace").strip().splitlines()
            raise UsageError(
                f"cannot tell whether {path} has uncommitted changes: git status failed: "
                f"{said[0] if said else done.returncode}",
                "fix what git says (a work tree of another user: git config --global --add safe.directory "
                "PATH), or pass --allow-dirty",
            )
    return sorted(dirty)


def _dirty(listing: str) -> list[str]:
    """The paths of a `git status --porcelain -z` listing that matter: changed, or untracked source
    files (a new rules file or notes do not block a migration). Both names of a rename count."""
    found: list[str] = []
    entries = iter(listing.split("\0"))
    for entry in entries:
        if len(entry) < 4:
            continue
        status, path = entry[:2], entry[3:]
        names = [path, next(entries, "")] if "R" in status or "C" in status else [path]
        for name in filter(None, names):
            if status == "??" and language_for(name, include_declarations=True) is None:
                continue
            found.append(shown_path(name))
    return found
