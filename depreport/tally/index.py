"""The index: every file's entry, and the tallies a report body is made of, kept up to date file by file.

A scan sets every file once; a backfill moves from one week to the next by setting only the files that
changed and removing the deleted ones, so each week costs what changed, not the size of the repo.
Three tallies count what the files hold, each exact under removal: imports per package and export
(`depreport.tally.imports`, the `packages` and `exports` blocks), usage per key for any adoption
groups (`depreport.tally.usage`) and JSX usage per component (`depreport.tally.components`). The index
knows no groups: `depreport.tally.body` applies them when a report body is written.

`save()` and `LiveIndex.restore()` carry an index from one run to the next (depreport/scan/pack.py): a
restored index keeps each file as its facts until an update touches it, and each tally as text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sized
from dataclasses import dataclass
from typing import Any, NamedTuple

from depreport.model import ImportRecord, Problem, UseRecord
from depreport.report.shape import ProblemEntry, Totals
from depreport.tally.components import ComponentTally
from depreport.tally.imports import ImportTally, SavedImports
from depreport.tally.usage import AdoptionContext, UsageTally

STATUSES = ("parsed", "without_imports", "skipped", "failed")

# A file as a restored index knows it before loading its records: status, syntax error, unresolvable
# dynamic imports, problems as (path, reason, message).
FileFacts = tuple[str, bool, int, tuple[tuple[str, str, str], ...]]
PLAIN: FileFacts = ("parsed", False, 0, ())  # most files: kept once, not per file
LoadEntry = Callable[[str, FileFacts], "FileEntry"]


@dataclass(frozen=True)
class FileEntry:
    """What one file contributes: its records (sorted, as extraction gives them), its problems, its fate."""

    records: tuple[ImportRecord, ...]
    problems: tuple[Problem, ...] = ()
    status: str = "parsed"  # one of STATUSES
    syntax_error: bool = False
    unresolvable: int = 0
    looked_up: tuple[str, ...] = ()  # module ids resolution looked for among the files (Resolver.for_file)
    uses: tuple[UseRecord, ...] = ()  # JSX instances and value uses of imported components
    own_exports: tuple[str, ...] = ()  # names the module exports itself, beside an `export *` (Extraction)

    def facts(self) -> FileFacts:
        """What the totals and problems need of this file, in plain values."""
        problems = tuple((p.path, p.reason, p.message) for p in self.problems)
        facts = (self.status, self.syntax_error, self.unresolvable, problems)
        return PLAIN if facts == PLAIN else facts


class SavedIndex(NamedTuple):
    """An index in plain values; `depreport.scan.pack` stores it as plain tuples and checks it when read."""

    imports: SavedImports
    facts: dict[str, FileFacts]  # files whose facts are not PLAIN
    usage: tuple[Any, ...]
    files: int  # how many files the index held
    components: dict[str, str]


class LiveIndex:
    """Every file's entry, and the import, usage and component tallies over them."""

    def __init__(self, context: AdoptionContext | None = None, versioned: bool = False) -> None:
        """`versioned`: usage keys carry the dependency version (some adoption group names a range)."""
        self.files: dict[str, FileEntry] = {}
        self.seen_problems: list[Problem] = []  # met before reading files (discovery); not per file
        self.imports = ImportTally()
        self.versioned = versioned
        self.usage = UsageTally(context, versioned)
        self.components = ComponentTally()  # the `components` block: JSX instances, props, value uses
        # A restored index: files whose entries are loaded when an update touches them.
        self._stored: dict[str, FileFacts] = {}
        self._load_entry: LoadEntry | None = None

    def set_file(self, path: str, entry: FileEntry) -> None:
        """Make the index hold this entry for the file, replacing what it held before."""
        old = self.entry(path)
        if old == entry:
            return
        if old is not None:
            self._apply(path, old, -1)
        self.files[path] = entry
        self._apply(path, entry, +1)

    def add_files(self, entries: Iterable[tuple[str, FileEntry]], facts_only: bool = False) -> None:
        """Add many files not in the index yet, in one pass: what a scan does once, as fast as it goes.

        Gives the index `set_file` would give, file by file (the property tests hold them to it), in any
        order: a scan gives each file as its parse comes back, so that counting overlaps parsing.
        `facts_only`: keep each file as its facts alone from the start, as `keep_facts_only` does after
        (a scan whose report is all it makes of the index: its peak never holds the records of every file).
        """

        def counted() -> Iterator[tuple[str, tuple[ImportRecord, ...]]]:
            for path, entry in entries:
                if facts_only:
                    self._stored[path] = entry.facts()
                else:
                    self.files[path] = entry
                self.usage.apply(path, entry.records, +1, entry.uses, entry.own_exports)
                if entry.uses:
                    self.components.apply(path, entry.uses, +1)
                yield path, entry.records

        self.imports.add(counted())
        if facts_only:
            self._stored, self._load_entry = dict(sorted(self._stored.items())), _entries_dropped
        else:
            self.files = dict(sorted(self.files.items()))  # in path order, however they came

    def remove_file(self, path: str) -> None:
        """Forget a file (deleted from the repo)."""
        old = self.entry(path)
        if old is not None:
            del self.files[path]
            self._apply(path, old, -1)

    def keep_facts_only(self) -> None:
        """Keep each file as its facts alone, for an index whose report is all that is left to write: the
        tallies hold every count, and the records of 42k files take ~100 MB. Its entries are gone for
        good: asking for one afterwards is an error (`entry`)."""
        for path, entry in self.files.items():
            self._stored[path] = entry.facts()
        self.files = {}
        self._load_entry = _entries_dropped

    def for_report_only(self) -> None:
        """Keep only what the report needs: each file's facts (`keep_facts_only`), the import counts
        without what makes their removal exact, the usage counts for one last block
        (`UsageTally.for_last_block`). The index can be updated no more, nor saved."""
        self.keep_facts_only()
        self.imports.drop_counters()
        self.usage.for_last_block()

    def entry(self, path: str) -> FileEntry | None:
        """The file's entry; a restored one is loaded on first use."""
        entry = self.files.get(path)
        if entry is None and path in self._stored:
            assert self._load_entry is not None
            entry = self.files[path] = self._load_entry(path, self._stored.pop(path))
        return entry

    def entries(self) -> dict[str, FileEntry]:
        """Every file's entry (a restored index loads the ones it has not loaded yet)."""
        for path in list(self._stored):
            self.entry(path)
        return self.files

    def paths(self) -> list[str]:
        """Every file the index holds (what `restore` is given back)."""
        return [*self.files, *self._stored]

    def _apply(self, path: str, entry: FileEntry, sign: int) -> None:
        self.imports.apply(path, entry.records, sign)
        self.usage.apply(path, entry.records, sign, entry.uses, entry.own_exports)
        self.components.apply(path, entry.uses, sign)

    def recount_usage(self, context: AdoptionContext) -> None:
        """Count usage again under new dependency versions or owners (the files are unchanged)."""
        self.usage = UsageTally(context, self.versioned)
        for path, entry in self.entries().items():
            self.usage.apply(path, entry.records, +1, entry.uses, entry.own_exports)

    def totals(self) -> Totals:
        """The report's totals block."""
        status: Counter[str] = Counter()
        syntax = unresolvable = 0
        for entry in self.files.values():
            status[entry.status] += 1
            syntax += entry.syntax_error
            unresolvable += entry.unresolvable
        for state, syntax_error, dynamic, _ in self._stored.values():
            status[state] += 1
            syntax += syntax_error
            unresolvable += dynamic
        return {
            "files_seen": len(self.files) + len(self._stored) + len(self.seen_problems),
            "files_parsed": status["parsed"],
            "files_without_imports": status["without_imports"],
            "files_skipped": status["skipped"],
            "files_failed": status["failed"],
            "files_with_syntax_errors": syntax,
            "imports": self.imports.imports(),
            "packages": self.imports.package_count(),
            "unresolvable_dynamic_imports": unresolvable,
        }

    def problems(self) -> list[ProblemEntry]:
        """Every problem, sorted by path, reason and message."""
        found = [*self.seen_problems, *(p for e in self.files.values() for p in e.problems)]
        found += (Problem(*p) for facts in self._stored.values() for p in facts[3])
        return [p.to_json() for p in sorted(found, key=lambda p: (p.path, p.reason, p.message))]

    def save(self) -> SavedIndex:
        """The index in plain values (dicts, tuples, strings, numbers) for `restore` in a later run."""
        facts = {path: f for path, entry in self.files.items() if (f := entry.facts()) is not PLAIN}
        facts.update((path, f) for path, f in self._stored.items() if f is not PLAIN)
        files = len(self.files) + len(self._stored)
        return SavedIndex(self.imports.save(), facts, self.usage.save(), files, self.components.save())

    @staticmethod
    def holds(saved: SavedIndex, paths: Sized) -> bool:
        """Whether a saved index held as many files as `paths`."""
        return saved.files == len(paths)

    @classmethod
    def restore(
        cls,
        saved: SavedIndex,
        paths: Iterable[str],
        context: AdoptionContext,
        versioned: bool,
        load_entry: LoadEntry,
    ) -> LiveIndex:
        """An index equal to the saved one, which held `paths` (`holds(saved, paths)`). It is made of
        the saved values, not copies, and changes them: a saved index is restored once.

        `load_entry(path, facts)` gives a file's entry as it was saved.
        """
        index = cls(context, versioned)
        index.imports = ImportTally.restore(saved.imports)
        index._stored, index._load_entry = dict.fromkeys(paths, PLAIN), load_entry
        index._stored.update(saved.facts)
        index.usage = UsageTally.restore(context, versioned, saved.usage)
        index.components = ComponentTally.restore(saved.components)
        return index


def _entries_dropped(path: str, facts: FileFacts) -> FileEntry:
    raise RuntimeError(f"the index kept only the facts of its files (keep_facts_only): no entry of {path}")
