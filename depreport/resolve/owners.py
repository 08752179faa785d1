"""CODEOWNERS (GitHub and GitLab syntax): which owners or teams a file belongs to.

GitHub: the last matching line wins. GitLab: the same within each `[Section]`, and every section with a
match contributes its owners; a section header may carry default owners (`[Section] @team`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pathspec

from depreport.model import Problem, ProblemReason
from depreport.scan.globs import gitignore_spec, pattern_error

LOCATIONS = ("CODEOWNERS", ".github/CODEOWNERS", ".gitlab/CODEOWNERS", "docs/CODEOWNERS")
UNOWNED = "(no owner)"
_NOT_UTF8 = "not valid UTF-8: bytes were replaced, so such owners or paths may not match; save it as UTF-8"
_TOKEN = re.compile(r"(?:\\.|\S)+")  # a word; `\ ` escapes a space in a path (GitLab's syntax)


@dataclass(frozen=True)
class _Rule:
    spec: pathspec.GitIgnoreSpec
    owners: tuple[str, ...]


class CodeOwners:
    """Rules of a CODEOWNERS file, grouped by section."""

    def __init__(self, sections: list[list[_Rule]], problems: list[Problem] | None = None) -> None:
        self._sections = sections
        self._memo: dict[str, tuple[str, ...]] = {}
        self.problems = problems or []  # lines left out, and why

    @classmethod
    def parse(cls, text: str, path: str = "CODEOWNERS") -> CodeOwners:
        """Read CODEOWNERS text; lines it cannot use are left out (and listed in `problems`)."""
        sections: list[list[_Rule]] = [[]]
        defaults: tuple[str, ...] = ()
        problems: list[Problem] = []
        if "\ufffd" in text:  # the readers replace bytes that are not UTF-8
            problems.append(Problem(path, ProblemReason.NOT_UTF8.value, _NOT_UTF8))
        for number, raw in enumerate(text.splitlines(), 1):
            line = raw.split(" #", 1)[0].strip()
            if not line or line.startswith("#"):
                continue
            if line.lstrip("^").startswith("[") and "]" in line:
                rest = line.partition("]")[2]
                defaults = tuple(rest.split()[1:] if rest.strip().startswith("[") else rest.split())
                sections.append([])
                continue
            pattern, *owners = _TOKEN.findall(line)
            pattern = pattern.replace("\\ ", " ")
            why = pattern_error(pattern)
            if why is not None:
                message = (
                    f"line {number}: {pattern!r} is not a valid path pattern ({why}); the line is ignored"
                )
                problems.append(Problem(path, ProblemReason.SYNTAX_ERROR.value, message + ": fix it"))
                continue
            spec = gitignore_spec([pattern])
            sections[-1].append(_Rule(spec, tuple(owners) or defaults))
        return cls([s for s in sections if s], problems)

    def owners(self, path: str) -> tuple[str, ...]:
        """The owners of a repo-relative path, sorted; empty when no rule matches."""
        found = self._memo.get(path)
        if found is None:
            owners: set[str] = set()
            for rules in self._sections:
                match = next((rule for rule in reversed(rules) if rule.spec.match_file(path)), None)
                if match is not None:
                    owners.update(match.owners)
            found = self._memo[path] = tuple(sorted(owners))
        return found


def find_codeowners(
    read: Callable[[str], str | None], problems: list[Problem] | None = None
) -> CodeOwners | None:
    """The repo's CODEOWNERS file, from the places GitHub and GitLab look, or None.

    Lines it cannot use are added to `problems` (when given).
    """
    for location in LOCATIONS:
        text = read(location)
        if text is not None:
            owners = CodeOwners.parse(text, location)
            if problems is not None:
                problems.extend(owners.problems)
            return owners
    return None
