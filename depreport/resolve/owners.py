"""CODEOWNERS (GitHub and GitLab syntax): which owners or teams a file belongs to.

GitHub: the last matching line wins. GitLab: the same within each `[Section]`, and every section with a
match contributes its owners; a section header may carry default owners (`[Section] @team`).

A file asks only the lines that can match it: a pattern anchored to the root (a `/` before its end)
whose first segments are literal (`/src/team1/**`) matches only paths in that folder, so lines are
found by those segments; the others (`*.js`, `docs/`, `**/x`) are asked by every file. A CODEOWNERS
of 10,000 `/src/teamN/**` lines asked each of 2,000 files' paths about 4,500 lines (39 s; 20,000
lines: 85 s).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pathspec

from depreport.model import Problem, ProblemReason
from depreport.scan.globs import gitignore_spec, literal_folder, pattern_error

LOCATIONS = ("CODEOWNERS", ".github/CODEOWNERS", ".gitlab/CODEOWNERS", "docs/CODEOWNERS")
UNOWNED = "(no owner)"
_NOT_UTF8 = "not valid UTF-8: bytes were replaced, so such owners or paths may not match; save it as UTF-8"
_TOKEN = re.compile(r"(?:\\.|\S)+")  # a word; `\ ` escapes a space in a path (GitLab's syntax)


@dataclass(frozen=True)
class _Rule:
    spec: pathspec.GitIgnoreSpec
    owners: tuple[str, ...]
    folder: str | None = None  # the literal folder every path it matches is in or is; None: anywhere


class _Section:
    """The rules of one section, by the literal folder they match in (`folder`), in file order."""

    def __init__(self, rules: list[_Rule]) -> None:
        self.rules = rules
        self.anywhere = [index for index, rule in enumerate(rules) if rule.folder is None]
        self.folders: dict[str, list[int]] = {}
        for index, rule in enumerate(rules):
            if rule.folder is not None:
                self.folders.setdefault(rule.folder, []).append(index)

    def last_match(self, path: str) -> _Rule | None:
        """The last rule that matches `path`, asking only those that can."""
        candidates = list(self.anywhere)
        parts = path.split("/")
        for depth in range(1, len(parts) + 1):
            candidates += self.folders.get("/".join(parts[:depth]), ())
        for index in sorted(candidates, reverse=True):
            if self.rules[index].spec.match_file(path):
                return self.rules[index]
        return None


class CodeOwners:
    """Rules of a CODEOWNERS file, grouped by section."""

    def __init__(self, sections: list[list[_Rule]], problems: list[Problem] | None = None) -> None:
        self._sections = [_Section(rules) for rules in sections]
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
            sections[-1].append(_Rule(spec, tuple(owners) or defaults, literal_folder(pattern)))
        return cls([s for s in sections if s], problems)

    def owners(self, path: str) -> tuple[str, ...]:
        """The owners of a repo-relative path, sorted; empty when no rule matches."""
        found = self._memo.get(path)
        if found is None:
            owners: set[str] = set()
            for section in self._sections:
                match = section.last_match(path)
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
