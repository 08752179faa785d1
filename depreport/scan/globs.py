"""Gitignore-style patterns (pathspec), checked one by one: a pattern the library refuses is named.

Files the user does not control for depreport (`.gitignore`, CODEOWNERS) lose only the bad line, as
git and the forges do; patterns the user gave depreport (flags, config) are an error naming the pattern.
"""

from __future__ import annotations

import importlib.util
import re
import warnings
from collections.abc import Collection, Iterable
from os import PathLike
from typing import Any

import pathspec

from depreport.errors import UsageError

StrPath = str | PathLike[str]

# pathspec matches with RE2 (google-re2) when it is installed: in time linear in the name, whatever the
# pattern. Without it, Python's regular expressions backtrack through every way the `*`s of one path
# segment can split a long name, so each one more multiplies the time (4 took 25 s on one
# 400-character name): a segment with more than MAX_STARS is then refused.
LINEAR = importlib.util.find_spec("re2") is not None
MAX_STARS = 3


def shown_path(path: str) -> str:
    """A path safe to show, to store and to match: bytes that are not UTF-8 written as `\\xff`."""
    if path.isascii():
        return path
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


class _Spec(pathspec.GitIgnoreSpec):
    """A GitIgnoreSpec that matches any name: one that is not valid UTF-8 (held with surrogate escapes)
    is matched as shown (`shown_path`), as RE2 takes only UTF-8 (it raised, ending the scan)."""

    def match_file(self, file: StrPath, separators: Collection[str] | None = None) -> bool:
        return super().match_file(shown_path(file) if isinstance(file, str) else file, separators)

    def check_file(self, file: StrPath, separators: Collection[str] | None = None) -> Any:
        return super().check_file(shown_path(file) if isinstance(file, str) else file, separators)


def gitignore_spec(lines: Iterable[str]) -> pathspec.GitIgnoreSpec:
    """A spec of gitignore-style lines. A bracket expression such as `[[:alpha:]]` or `[[]` makes Python's
    `re` warn of a possible nested set (a FutureWarning on stderr, in the middle of a scan's output):
    the pattern means what it means to git today, so the warning is not shown. Patterns too many for
    RE2 to compile into one set (tens of thousands of lines of a generated .gitignore) are matched
    one by one with Python's regular expressions instead."""
    lines = list(lines)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        try:
            return _Spec.from_lines(lines)
        except _RE2_ERROR as error:
            if "compile Set" not in str(error):
                raise
            return _Spec.from_lines(lines, backend="simple")


def too_wild(pattern: str, linear: bool = LINEAR) -> str | None:
    """Why a pattern has too many `*` in one path segment to be matched in reasonable time, or None
    (always None when matching is linear)."""
    if linear:
        return None
    for segment in pattern.split("/"):
        if segment != "**" and len(re.findall(r"\*+", segment)) > MAX_STARS:
            return (
                f"more than {MAX_STARS} `*` in the path segment {segment!r}: matching it against a long "
                "name can take minutes; split it into simpler patterns"
            )
    return None


def _re2_error() -> tuple[type[Exception], ...]:
    """RE2's error, raised for a bracket expression Python's `re` reads: pathspec makes `[[:alpha:]]`
    (a POSIX class, which git knows) a set that RE2 cannot parse."""
    return (importlib.import_module("re2").error,) if LINEAR else ()


_RE2_ERROR = _re2_error()
_REFUSED: tuple[type[Exception], ...] = (ValueError, re.error, *_RE2_ERROR)
_POSIX_CLASS = "a POSIX class (`[[:alpha:]]`) that cannot be matched here: write its characters (`[a-zA-Z]`)"


def pattern_error(pattern: str) -> str | None:
    """Why pathspec refuses a gitignore-style pattern (or it is too wild to match), or None if it is good."""
    wild = too_wild(pattern)
    if wild is not None:
        return wild
    try:
        gitignore_spec([pattern])
    except (ValueError, re.error) as error:
        return str(error) or type(error).__name__
    except _REFUSED:
        return _POSIX_CLASS
    return None


def git_reads(pattern: str) -> bool:
    """Does git honour a line that is left out here (one too wild to match in time, or with a POSIX
    class), rather than ignore it as an invalid pattern?"""
    return too_wild(pattern) is not None or pattern_error(pattern) == _POSIX_CLASS


def given_pattern_error(pattern: str) -> str | None:
    """Why a pattern given on purpose (--include, a config's globs) is refused: what pathspec refuses,
    and a pattern that matches no file (empty, or a comment), or None when it is good."""
    if not pattern.strip() or pattern.lstrip().startswith("#"):
        return "empty or a comment: it matches no file"
    return pattern_error(pattern)


def lenient_spec(lines: Iterable[str]) -> tuple[pathspec.GitIgnoreSpec, list[tuple[int, str, str]]]:
    """A spec of the usable lines, and (line number, line, why) of each line left out."""
    lines = list(lines)
    if not any(too_wild(line) for line in lines):
        try:
            return gitignore_spec(lines), []
        except _REFUSED:
            pass  # find the bad lines one by one (rare, so the slow way is fine)
    good: list[str] = []
    bad: list[tuple[int, str, str]] = []
    for number, line in enumerate(lines, 1):
        why = pattern_error(line)
        if why is None:
            good.append(line)
        else:
            bad.append((number, line, why))
    return gitignore_spec(good), bad


HINT = "fix the pattern: gitignore syntax (`*`, `**`, `[a-z]`; `!` negates a pattern that follows it)"


def strict_spec(patterns: Iterable[str], where: str) -> pathspec.GitIgnoreSpec:
    """A spec of patterns the user gave; a UsageError naming `where` and the first bad pattern."""
    patterns = list(patterns)
    for pattern in patterns:
        why = given_pattern_error(pattern)
        if why is not None:
            raise UsageError(f"{where}: {pattern!r} is not a valid gitignore-style pattern ({why})", HINT)
    return gitignore_spec(patterns)


_WILD = re.compile(r"[*?\[\\!]")  # what makes a gitignore-style segment other than its own text


def literal_folder(pattern: str) -> str | None:
    """The leading literal segments of a gitignore-style pattern anchored to the root (`/src/a/**`,
    `src/a/*.js`: `src/a`): every path it matches is in that folder or is it. None when it may match at
    any depth (no `/` but a last one), is a negation, or starts with a wildcard."""
    if "/" not in pattern.rstrip("/") or pattern.startswith("!"):
        return None
    literal = []
    for segment in pattern.strip("/").split("/"):
        if not segment or _WILD.search(segment) or segment in (".", ".."):
            break
        literal.append(segment)
    return "/".join(literal) or None
