"""Which files a migration reads, and whether git has uncommitted changes under them."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable
from pathlib import Path

from codemods.rules import RULE_LANGUAGE
from codemods.runner import Task
from depreport.discover import DiscoverOptions, discover_files
from depreport.errors import UsageError
from depreport.languages import language_for


def collect_tasks(paths: Iterable[Path], options: DiscoverOptions, languages: frozenset[str]) -> list[Task]:
    """Every file under `paths` in a language some rule is written for (folders honour .gitignore)."""
    tasks: dict[str, Task] = {}
    for path in paths:
        if path.is_file():
            language = language_for(path.name, include_declarations=True)
            if language is not None and RULE_LANGUAGE.get(language) in languages:
                tasks.setdefault(str(path), Task(str(path), _display(str(path)), language))
        elif path.is_dir():
            for source in discover_files(path, options).files:
                if RULE_LANGUAGE.get(source.language) in languages:
                    full = os.path.join(path, source.path)
                    tasks.setdefault(full, Task(full, _display(full), source.language))
        else:
            raise UsageError(f"no such file or folder: {path}", "give files or folders to migrate")
    return sorted(tasks.values(), key=lambda t: t.display)


def _display(path: str) -> str:
    return Path(os.path.normpath(path)).as_posix()


def dirty_files(paths: Iterable[Path]) -> list[str]:
    """Files under `paths` with changes git has not committed (empty outside a git work tree)."""
    dirty: list[str] = []
    for path in paths:
        folder = path if path.is_dir() else path.parent
        try:
            done = subprocess.run(
                ["git", "-C", str(folder), "status", "--porcelain", "--untracked-files=all", "--",
                 os.path.abspath(path)],
                capture_output=True, text=True, encoding="utf-8", check=False,
            )  # fmt: skip
        except OSError:
            continue
        if done.returncode == 0:
            dirty.extend(_dirty(line) for line in done.stdout.splitlines() if _dirty(line))
    return sorted(set(dirty))


def _dirty(line: str) -> str:
    """The path of a `git status --porcelain` line that matters: changed, or an untracked source file
    (a new rules file or notes do not block a migration)."""
    path = line[3:].strip()
    if line.startswith("??") and language_for(path, include_declarations=True) is None:
        return ""
    return path
