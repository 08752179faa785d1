"""git's answers, checked before use: a `git` first on PATH that prints what git never prints (a NUL
byte, a commit id that is none, a relative path where git gives an absolute one) is an error naming
the command and what it printed, with the fix, instead of a crash further on."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence

from depreport.errors import EXIT_USAGE, DepreportError

_COMMIT_ID = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")  # SHA-1, or SHA-256 in a repository that uses it
_SHOWN = 120  # characters of the output quoted
HINT = (
    "check the git that runs first on PATH (`command -v git`, `git --version`): depreport reads git's "
    "own answers, and this one is not git's"
)


class GitOutputError(DepreportError):
    """git ran and succeeded but printed something git never prints; exits as git's other errors do."""

    exit_code = EXIT_USAGE


def answer(args: Sequence[str], out: str, wanted: str, fits: Callable[[str], bool] = bool) -> str:
    """git's one-line answer to `git ARGS` (printed `out`, its last newline dropped) when it `fits`;
    else a GitOutputError naming the command, what it printed and what was `wanted`."""
    line = out.removesuffix("\n")
    if "\0" in line or not fits(line):
        shown = repr(out[:_SHOWN]) + ("..." if len(out) > _SHOWN else "")
        raise GitOutputError(f"git {' '.join(args)} printed {shown}, which is not {wanted}", HINT)
    return line


def is_commit_id(text: str) -> bool:
    """A full commit id, as `git rev-parse` prints one."""
    return _COMMIT_ID.fullmatch(text) is not None


def is_one_line(text: str) -> bool:
    """Text on one line that is not empty (a branch name, a path git prints on its own line)."""
    return bool(text) and "\n" not in text


def is_absolute(text: str) -> bool:
    """An absolute path (`git rev-parse --show-toplevel`; a folder's name may hold a newline)."""
    return os.path.isabs(text)
