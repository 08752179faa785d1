"""Scanning on top of a pack: the last scan's index, updated with only what changed since.

Files whose content id and language are the pack's keep their entries untouched (not even decoded).
Changed and new files are extracted (contents the pack has seen are not parsed again); deleted files are
removed. When files came or went, or a package.json began or ceased to declare a dependency, the files
whose resolution looked for one of their module ids (through tsconfig aliases or Python's local modules),
for a folder above them (under a tsconfig `baseUrl`) or for that dependency are resolved again; the
entries they had are rebuilt with the old file list and declared dependencies, so removal stays exact.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace

from depreport.history.adoption import AdoptionContext, Groups
from depreport.model import Extracted, FileResult, ImportRecord, KeptByContent, Problem, SourceFile, UseRecord
from depreport.resolve.entries import file_entry, resolve_imports, resolve_uses
from depreport.resolve.specifiers import (
    Resolver,
    declared_changes,
    moved_lookups,
    other_file_answers,
    other_file_lookup,
)
from depreport.scan.extractions import cache_key, decode, encode
from depreport.scan.pack import Pack
from depreport.tally.index import FileEntry, FileFacts, LiveIndex

Extract = Callable[[list[SourceFile]], list[FileResult]]


@dataclass(frozen=True)
class Update:
    """A pack's index moved to the files of this scan, and what moved it."""

    index: LiveIndex
    changed: list[SourceFile]  # new files and files whose content changed
    results: list[FileResult]  # theirs
    removed: set[str]  # paths that are gone


@dataclass
class Seen:
    """What a scan keeps of each file's result and entry as its index takes them: the content id of each
    content it read (or stopped on) and, for the pack it leaves (`for_pack`), the extraction of each such
    content the previous pack does not hold, encoded, and the module ids each file's resolution looked for.
    Not the results or entries themselves: those of 42k files take ~140 MB."""

    for_pack: bool
    known: Mapping[str, bytes]  # the previous pack's extractions
    languages: Mapping[str, str]  # path -> language, of the scan's files
    blobs: dict[str, str] = field(default_factory=dict)  # path -> content id
    encoded: dict[str, bytes] = field(default_factory=dict)  # cache key -> encoded extraction
    looked_up: dict[str, tuple[str, ...]] = field(default_factory=dict)  # path -> module ids (every entry)

    def took(self, results: Iterable[FileResult], entries: Mapping[str, FileEntry]) -> None:
        """Keep what is kept of these results and entries (an update's: its changed files' results, the
        entries it loaded)."""
        for result in results:
            self.result(result)
        for path, entry in entries.items():
            self.entry(path, entry)

    def result(self, result: FileResult) -> None:
        """Keep what is kept of a file's result."""
        if isinstance(result, KeptByContent):
            self.blobs[result.path] = result.blob
            if self.for_pack:
                key = cache_key(result.blob, self.languages[result.path])
                if key not in self.encoded and _newer(self.known.get(key)):
                    self.encoded[key] = encode(result.extraction)

    def entry(self, path: str, entry: FileEntry) -> None:
        """Keep what is kept of a file's entry."""
        if self.for_pack:
            self.looked_up[path] = entry.looked_up


_NO_IMPORTS_BYTES = 48  # an encoded extraction without imports or uses is shorter (a stopped one: 33 bytes)
_MOST_FILES_AGAIN = 4  # updating more than 1/4 of the files costs about as much as a fresh index


def update_index(
    previous: Pack,
    files: list[SourceFile],
    resolver: Resolver,
    groups: Groups,
    context: AdoptionContext,
    extract: Extract,
) -> Update | None:
    """The pack's index moved to these files.

    None when so many files changed, or would have to be resolved again, that a fresh index is as cheap.
    """
    assert previous.index is not None
    old = previous.sources
    changed = [f for f in files if f.blob is None or old.get(f.path) != (f.language, f.blob)]
    if len(changed) * _MOST_FILES_AGAIN > len(files):
        return None  # e.g. outside git without a local cache: no content is known before it is read
    changed_paths = {f.path for f in changed}
    removed = set(old.keys() - {f.path for f in files})
    added = [path for path in changed_paths if path not in old]
    moved = moved_lookups((*removed, *added))
    moved |= declared_changes(previous.declared, resolver.declared)
    was_file = other_file_answers(found for lookups in previous.looked_up.values() for found in lookups)
    is_file = resolver.has_file or (lambda _path: False)
    moved |= {other_file_lookup(path, found) for path, found in was_file.items() if is_file(path) != found}
    old_resolver, recheck = resolver, []
    if moved:
        recheck = _to_resolve_again(previous, files, changed_paths, moved)
        if len(recheck) * _MOST_FILES_AGAIN > len(files):
            return None
        old_resolver = replace(  # as the pack's run resolved: its files, declarations and files no module
            resolver, files=list(old), declared=previous.declared,
            has_file=lambda path: was_file[path] if path in was_file else is_file(path),
        )  # fmt: skip

    extractions = previous.extractions  # what the restored index keeps of the pack (not its saved index)

    def load_entry(path: str, facts: FileFacts) -> FileEntry:
        language, blob = old[path]
        return stored_entry(path, language, blob, facts, extractions, old_resolver)

    index = LiveIndex.restore(previous.index, old.keys(), context, groups.versioned, load_entry)
    for path in sorted(removed):
        index.remove_file(path)
    results = extract(changed)
    languages = {f.path: f.language for f in changed}
    for result in results:
        index.set_file(result.path, file_entry(result, languages[result.path], resolver))
    for source in recheck:
        entry = index.entry(source.path)
        assert entry is not None and source.blob is not None
        facts = entry.facts()
        index.set_file(
            source.path,
            stored_entry(source.path, source.language, source.blob, facts, previous.extractions, resolver),
        )
    return Update(index, changed, results, removed)


def _to_resolve_again(
    previous: Pack, files: list[SourceFile], changed: set[str], moved: set[str]
) -> list[SourceFile]:
    """The unchanged files whose imports looked up a module that came or went, or a dependency declared
    or no longer declared: resolved anew."""
    looked = previous.looked_up
    return [
        f
        for f in files
        if f.path in looked and f.path not in changed and not moved.isdisjoint(looked[f.path])
    ]


def stored_entry(
    path: str, language: str, blob: str, facts: FileFacts, extractions: dict[str, bytes], resolver: Resolver
) -> FileEntry:
    """A file's entry from the pack: its facts, and its stored extraction resolved by `resolver`."""
    status, syntax_error, unresolvable, problems = facts
    records: tuple[ImportRecord, ...] = ()
    uses: tuple[UseRecord, ...] = ()
    looked_up: set[str] = set()
    own_exports: tuple[str, ...] = ()
    if status == "parsed":
        extraction = decode(extractions[cache_key(blob, language)])
        records = resolve_imports(Extracted(path, blob, extraction), language, resolver, looked_up)
        uses = resolve_uses(extraction.uses, records)
        own_exports = extraction.own_exports
    kept = tuple(Problem(*p) for p in problems)
    looked = tuple(sorted(looked_up))
    return FileEntry(records, kept, status, syntax_error, unresolvable, looked, uses, own_exports)


def next_pack(
    inputs: str, previous: Pack | None, update: Update | None, seen: Seen, declared: frozenset[str]
) -> Pack | None:
    """The pack after an update of the previous one: its tables with the changes applied (`seen`: what the
    update kept of its changed files).

    None when it should be made afresh instead: contents no file has any more pile up in it.
    """
    if previous is None or update is None:
        return None
    sources, extractions = dict(previous.sources), {**previous.extractions, **seen.encoded}
    looked_up = dict(previous.looked_up)
    for path in update.removed:
        del sources[path]
        looked_up.pop(path, None)
    for source in update.changed:
        sources[source.path] = (source.language, seen.blobs.get(source.path) or source.blob or "")
    for path, looked in seen.looked_up.items():  # loaded entries: changed or resolved again
        if looked:
            looked_up[path] = looked
        else:
            looked_up.pop(path, None)
    if len(extractions) > len(sources) * 5 // 4:
        return None
    return Pack(inputs, sources, extractions, update.index.save(), looked_up, declared)


def fresh_pack(
    inputs: str,
    files: list[SourceFile],
    seen: Seen,
    previous: Pack | None,
    index: LiveIndex,
    declared: frozenset[str],
) -> Pack:
    """The pack this scan leaves: every file's content id, the extractions of their contents, the index."""
    known = previous.extractions if previous is not None else {}
    looked_before = previous.looked_up if previous is not None else {}
    sources: dict[str, tuple[str, str]] = {}
    extractions: dict[str, bytes] = {}
    looked_up: dict[str, tuple[str, ...]] = {}
    for source in files:
        looked = seen.looked_up.get(source.path)  # an entry made or updated by this scan
        if looked is None:
            looked = looked_before.get(source.path, ())
        if looked:
            looked_up[source.path] = looked
        blob = seen.blobs.get(source.path) or source.blob or ""
        sources[source.path] = (source.language, blob)
        key = cache_key(blob, source.language)
        kept = seen.encoded.get(key) or known.get(key)
        if kept is not None:
            extractions[key] = kept
    return Pack(inputs, sources, extractions, index.save(), looked_up, declared)


def _newer(kept: bytes | None) -> bool:
    """Does this scan's outcome of a content replace what the pack kept of it? When it kept none, or the
    parser's stop at a shorter deadline (this scan read the content again); else both are the same.
    Only a payload of a few dozen bytes is decoded: a stopped content's holds no import."""
    return kept is None or (len(kept) <= _NO_IMPORTS_BYTES and decode(kept).stopped_after is not None)
