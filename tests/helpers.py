"""Helpers that build real repositories on disk for the tests, and walk parsed trees."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from tree_sitter import Node


def write_files(root: Path, files: dict[str, str | bytes]) -> None:
    """Create files (text or bytes) under root, making folders as needed."""
    for path, content in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")


def git(root: Path, *args: str) -> str:
    """Run git in root with a fixed identity; returns stdout."""
    env = {
        "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com",
        "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com",
        "GIT_AUTHOR_DATE": "2026-01-05T10:00:00Z", "GIT_COMMITTER_DATE": "2026-01-05T10:00:00Z",
        "HOME": str(root), "PATH": "/usr/bin:/bin:/usr/local/bin",
    }  # fmt: skip
    done = subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, env=env, check=True
    )
    return done.stdout


def commit_at(root: Path, when: str) -> None:
    """Commit what is staged in `root`, authored and committed at `when` (ISO 8601), named after it."""
    subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=T", "-c", "user.email=t@e", "commit", "-qm", when],
        env={"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "PATH": "/usr/bin:/bin"},
        check=True,
    )


def git_repo(root: Path, files: dict[str, str | bytes]) -> Path:
    """A git repository with `files` committed on branch main."""
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    write_files(root, files)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "initial")
    return root


def git_copy(source: Path, dest: Path, extra: dict[str, str | bytes] | None = None) -> Path:
    """A git repository at `dest` with every file of the folder `source` (plus `extra`) committed."""
    files: dict[str, str | bytes] = {
        p.relative_to(source).as_posix(): p.read_bytes() for p in source.rglob("*") if p.is_file()
    }
    return git_repo(dest, {**files, **(extra or {})})


def every_node(root: Node) -> list[Node]:
    """Every node of a tree, parents before their children."""
    found, stack = [], [root]
    while stack:
        node = stack.pop()
        found.append(node)
        stack.extend(node.children)
    return found


@dataclass
class Calls:
    """How many times a replaced function was called: a test of how much work, not of how long."""

    count: int = 0


def count_calls(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> Calls:
    """Replace `owner.name` (a module's function, or a class's method) by one counting its calls."""
    calls = Calls()
    real = getattr(owner, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.count += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls
