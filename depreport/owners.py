"""CODEOWNERS (GitHub and GitLab syntax): which owners or teams a file belongs to.

GitHub: the last matching line wins. GitLab: the same within each `[Section]`, and every section with a
match contributes its owners; a section header may carry default owners (`[Section] @team`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pathspec

LOCATIONS = ("CODEOWNERS", ".github/CODEOWNERS", ".gitlab/CODEOWNERS", "docs/CODEOWNERS")
UNOWNED = "(no owner)"


@dataclass(frozen=True)
class _Rule:
    spec: pathspec.GitIgnoreSpec
    owners: tuple[str, ...]


class CodeOwners:
    """Rules of a CODEOWNERS file, grouped by section."""

    def __init__(self, sections: list[list[_Rule]]) -> None:
        self._sections = sections
        self._memo: dict[str, tuple[str, ...]] = {}

    @classmethod
    def parse(cls, text: str) -> CodeOwners:
        """Read CODEOWNERS text; lines it cannot use are ignored, as the forges do."""
        sections: list[list[_Rule]] = [[]]
        defaults: tuple[str, ...] = ()
        for raw in text.splitlines():
            line = raw.split(" #", 1)[0].strip()
            if not line or line.startswith("#"):
                continue
            if line.lstrip("^").startswith("[") and "]" in line:
                rest = line.partition("]")[2]
                defaults = tuple(rest.split()[1:] if rest.strip().startswith("[") else rest.split())
                sections.append([])
                continue
            pattern, *owners = line.split()
            spec = pathspec.GitIgnoreSpec.from_lines([pattern.replace("\\ ", " ")])
            sections[-1].append(_Rule(spec, tuple(owners) or defaults))
        return cls([s for s in sections if s])

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


def find_codeowners(read: Callable[[str], str | None]) -> CodeOwners | None:
    """The repo's CODEOWNERS file, from the places GitHub and GitLab look, or None."""
    for location in LOCATIONS:
        text = read(location)
        if text is not None:
            return CodeOwners.parse(text)
    return None
