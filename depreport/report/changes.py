"""What changed between two full reports of a repo: imports added and removed, per adoption group.

Pure functions over report documents (no I/O). A report lists, per package and export, the lines of each
file that import it (``packages[p]["exports"][e]["files"][path]``); the change is the difference of those
line sets. Which group an import belongs to is not decided here: the caller passes ``group_of``
(package, file) -> a group name, `UNGROUPED`, or None to leave the import out (one a local group makes
inside its own folder), so the same diff serves any view of the groups (the dashboard's, or a command
line's from today's configuration).

A line number moving because lines were inserted above it counts as removed at the old number and added at
the new one: reports record lines, not identities. ``moved`` pairs the two so a listing can say so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from depreport.report.shape import Report
from depreport.report.walk import export_files

GroupOf = Callable[[str, str], str | None]  # (package, importing file) -> group, UNGROUPED or None
UNGROUPED = "(no group)"

ImportKey = tuple[str, str, str]  # package, export, file


@dataclass(frozen=True, order=True)
class ImportChange:
    """The lines of one file that started (``added``) or stopped (``removed``) importing one export."""

    group: str
    repo: str
    package: str
    export: str
    file: str
    added: tuple[int, ...]
    removed: tuple[int, ...]

    @property
    def moved(self) -> bool:
        """Same number of lines before and after: the import stayed, its lines moved."""
        return len(self.added) == len(self.removed)


@dataclass(frozen=True)
class GroupChanges:
    """One group's changes between two reports (or two sets of reports), file by file."""

    group: str
    changes: tuple[ImportChange, ...]

    @property
    def added(self) -> int:
        """Import lines added in the group (lines that only moved count too)."""
        return sum(len(change.added) for change in self.changes)

    @property
    def removed(self) -> int:
        """Import lines removed from the group."""
        return sum(len(change.removed) for change in self.changes)

    @property
    def net(self) -> int:
        """Import lines added less those removed."""
        return self.added - self.removed


def import_lines(report: Report) -> dict[ImportKey, frozenset[int]]:
    """(package, export, file) -> the lines importing it, from a full report."""
    return {
        (package, export, path): frozenset(int(n) for n in numbers)
        for package, export, path, numbers in export_files(report)
    }


def report_changes(older: Report | None, newer: Report, group_of: GroupOf) -> list[ImportChange]:
    """Every (package, export, file) whose importing lines differ from ``older`` to ``newer``.

    ``older`` None (a repo's first report) yields no change: everything would be new, which says nothing.
    Imports ``group_of`` leaves out (None) are not listed.
    """
    if older is None:
        return []
    before, after = import_lines(older), import_lines(newer)
    repo = str(newer.get("repo") or older.get("repo") or "")
    changes = []
    for key in sorted(before.keys() | after.keys()):
        was, now = before.get(key, frozenset()), after.get(key, frozenset())
        if was == now:
            continue
        package, export, path = key
        group = group_of(package, path)
        if group is None:
            continue
        added, removed = tuple(sorted(now - was)), tuple(sorted(was - now))
        changes.append(ImportChange(group, repo, package, export, path, added, removed))
    return changes


def by_group(changes: Iterable[ImportChange], order: Iterable[str] = ()) -> list[GroupChanges]:
    """The changes gathered per group: groups in ``order`` first (as given), then the rest by name."""
    grouped: dict[str, list[ImportChange]] = {}
    for change in changes:
        grouped.setdefault(change.group, []).append(change)
    ranked = [name for name in dict.fromkeys(order) if name in grouped]
    ranked += sorted(name for name in grouped if name not in ranked)
    return [GroupChanges(name, tuple(sorted(grouped[name]))) for name in ranked]
