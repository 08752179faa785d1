"""Run a migration over many files: one FileOutcome per file (changed, unchanged, skipped, failed).

Every file is handled on its own, in a pool of worker processes or in this one, and every problem
becomes a value: one bad file never stops the run. Workers write their own files (atomically, keeping
the file mode) and return a unified diff when asked, so only small values travel back.
"""

from __future__ import annotations

import codecs
import difflib
import functools
import os
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from codemods.edits import OverlapError
from codemods.js import Result, rewrite_js
from codemods.jsplan import Note
from codemods.matched import matched_rules
from codemods.rules import JS, PYTHON, RULE_LANGUAGE, RuleSet
from codemods.writeback import write_back
from depreport.scan.walk import DEFAULT_MAX_FILE_SIZE, read_regular
from depreport.scan.workers import Limits, TookTooLong, deadline, supervise

_CHUNK = 32
_POOL_THRESHOLD = 64  # below this many files a pool costs more than it saves


class Outcome(StrEnum):
    """What became of one file."""

    CHANGED = "changed"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"  # left alone on purpose: unreadable, too large, or every site needs a hand
    FAILED = "failed"  # the rewrite could not be done safely, or a bug of ours


class Failure(StrEnum):
    """Why a file `failed`: what the exit code is chosen from (the outcome's detail says more)."""

    UNSAFE = "unsafe"  # the rewrite could not be done safely: the file is left as it was
    WRITE = "write"  # the new text could not be written back
    WORKER = "worker"  # its worker process died, or it ran past the timeout
    INTERNAL = "internal"  # a bug of ours (exit 4)


@dataclass(frozen=True, slots=True)
class FileOutcome:
    """One file's outcome, the sites left as they were, and the diff when one was asked for."""

    path: str
    outcome: Outcome
    notes: tuple[Note, ...] = ()
    detail: str = ""
    diff: str = ""
    rules: tuple[str, ...] = ()  # ids of the rules that matched a site of the file
    failure: Failure | None = None  # set when the outcome is FAILED

    def to_json(self) -> dict[str, object]:
        """The outcome as a JSON object."""
        notes = [{"line": n.line, "message": n.message} for n in self.notes]
        return {"path": self.path, "outcome": self.outcome.value, "detail": self.detail, "sites": notes}


@dataclass(frozen=True, slots=True)
class Task:
    """A file to migrate: where it is, how to show it, and its grammar."""

    path: str
    display: str
    language: str


@dataclass(frozen=True)
class RunOptions:
    """How to run: write the files or not, produce diffs or not, how many processes."""

    write: bool = False
    diff: bool = False
    jobs: int = 1
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    timeout: float = 60.0  # seconds one file may take (here or in a worker) before it is stopped, `failed`


def migrate_source(source: bytes, language: str, rules: RuleSet) -> Result:
    """Apply the rules to one file's bytes (pure: no file system)."""
    if RULE_LANGUAGE.get(language) == JS:
        return rewrite_js(source, language, rules)
    from codemods.py import rewrite_python  # libcst takes a while to import: only when needed

    return rewrite_python(source, rules)


def run_migration(
    tasks: list[Task], rules: RuleSet, options: RunOptions, progress: Callable[[int], None] | None = None
) -> Iterator[FileOutcome]:
    """Migrate every file; yields outcomes as they complete (order not guaranteed).

    Python files always go to worker processes: libcst can exhaust the stack, crash or take minutes
    on a deeply nested file, which must cost that file only. Other files run in this process when
    there are few of them or one job.
    """
    small = options.jobs <= 1 or len(tasks) < _POOL_THRESHOLD
    here = [t for t in tasks if small and RULE_LANGUAGE.get(t.language) != PYTHON]
    away = [t for t in tasks if not small or RULE_LANGUAGE.get(t.language) == PYTHON]
    for task in here:  # one at a time: a file written is a file reported, also when Ctrl-C comes next
        yield from _report([migrate_file(task, rules, options)], progress)
    work = functools.partial(migrate_file, rules=rules, options=options)
    limits = Limits(options.timeout, _CHUNK)
    for outcome in supervise(away, work, _failed, options.jobs, limits):
        yield from _report([outcome], progress)


def _failed(task: Task, why: str) -> FileOutcome:
    return FileOutcome(task.display, Outcome.FAILED, detail=why, failure=Failure.WORKER)


def _report(outcomes: list[FileOutcome], progress: Callable[[int], None] | None) -> list[FileOutcome]:
    if progress is not None:
        progress(len(outcomes))
    return outcomes


def migrate_file(task: Task, rules: RuleSet, options: RunOptions) -> FileOutcome:
    """Read, rewrite, and (when asked) write one file; every failure becomes a value."""
    try:
        return _migrate_file(task, rules, options)
    except OverlapError as error:
        return _internal_error(task, str(error))
    except Exception as error:  # a bug of ours must not end the run
        return _internal_error(task, "".join(traceback.format_exception_only(type(error), error)).strip())


def _internal_error(task: Task, detail: str) -> FileOutcome:
    return FileOutcome(
        task.display, Outcome.FAILED, detail=f"internal error: {detail}", failure=Failure.INTERNAL
    )


_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_UTF16 = "UTF-16 text (a byte-order mark starts it): migrate rewrites UTF-8 only; save it as UTF-8, run again"


def _migrate_file(task: Task, rules: RuleSet, options: RunOptions) -> FileOutcome:
    try:
        size = os.stat(task.path).st_size
        if size > options.max_file_size:
            detail = f"{size:,} bytes is over the {options.max_file_size:,}-byte limit"
            return FileOutcome(task.display, Outcome.SKIPPED, detail=detail)
        source = read_regular(task.path)  # never blocks on a FIFO, never reads through a link
    except OSError as error:
        return FileOutcome(task.display, Outcome.SKIPPED, detail=f"cannot read: {error.strerror}")
    if source.startswith(_UTF16_BOMS):  # its NUL bytes are no sign of binary content
        return FileOutcome(task.display, Outcome.SKIPPED, detail=_UTF16)
    if b"\0" in source[:8192]:
        return FileOutcome(task.display, Outcome.SKIPPED, detail="binary content (NUL bytes)")
    try:
        with deadline(options.timeout):  # in this process; a pool's worker is stopped by its parent
            result = migrate_source(source, task.language, rules)
            matched = matched_rules(result, source, task.language, rules)
    except TookTooLong:
        why = f"took longer than {options.timeout:g} s; stopped, left as it is"
        return FileOutcome(task.display, Outcome.FAILED, detail=why, failure=Failure.WORKER)
    if result.error is not None:
        return FileOutcome(
            task.display, Outcome.FAILED, result.notes, result.error, rules=matched, failure=Failure.UNSAFE
        )
    if result.source == source:
        if result.notes:
            count = len(result.notes)
            detail = "1 site left as it is" if count == 1 else f"{count} sites left as they are"
            return FileOutcome(task.display, Outcome.SKIPPED, result.notes, detail, rules=matched)
        return FileOutcome(task.display, Outcome.UNCHANGED, rules=matched)
    if options.write:
        try:
            refused = write_back(Path(task.path), source, result.source)
        except OSError as error:
            why = f"cannot write: {error.strerror}"
            return FileOutcome(
                task.display, Outcome.FAILED, result.notes, why, rules=matched, failure=Failure.WRITE
            )
        if refused is not None:  # a link, or a file edited since it was read: left as it is
            return FileOutcome(task.display, Outcome.SKIPPED, result.notes, refused, rules=matched)
    diff = unified_diff(task.display, source, result.source) if options.diff else ""
    return FileOutcome(task.display, Outcome.CHANGED, result.notes, diff=diff, rules=matched)


def unified_diff(display: str, old: bytes, new: bytes) -> str:
    """A unified diff of two versions of a file (`a/` and `b/` prefixes, as git writes them)."""
    before = old.decode("utf-8", "replace").splitlines(keepends=True)
    after = new.decode("utf-8", "replace").splitlines(keepends=True)
    name = display.lstrip("/")  # as git writes an absolute path: a/abs/path, not a//abs/path
    lines = difflib.unified_diff(before, after, _header_path(f"a/{name}"), _header_path(f"b/{name}"))
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )


_GIT_ESCAPES = {"\\": "\\\\", '"': '\\"', "\a": "\\a", "\b": "\\b", "\t": "\\t", "\n": "\\n",
                "\v": "\\v", "\f": "\\f", "\r": "\\r"}  # fmt: skip


def _header_path(path: str) -> str:
    """A path in a diff header as git quotes it: in double quotes, C escapes, when it holds a control
    character, a quote or a backslash (a name with a line break would end the header early)."""
    if not any(c in _GIT_ESCAPES or ord(c) < 0x20 or ord(c) == 0x7F for c in path):
        return path
    escaped = "".join(
        _GIT_ESCAPES.get(c) or (f"\\{ord(c):03o}" if ord(c) < 0x20 or ord(c) == 0x7F else c) for c in path
    )
    return f'"{escaped}"'
