"""One scan's parts, wired in one place, for a working tree or a git tree.

Every way of scanning (scan, check, shard, backfill) goes the same way: discover the files, read them,
build the resolver and the adoption context from the repo's configuration files, extract each content
(from a pack, else the cache, else the worker pool) and turn each file's result into an index entry.
`Assembly` holds those parts for one tree; callers choose only what differs: a slice of the files
(shard), a week's commit (backfill), a pack to start from (scan).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from depreport.config import Config
from depreport.history.adoption import AdoptionContext
from depreport.model import Extraction, FileResult, KeptByContent, SourceFile
from depreport.progress import Progress
from depreport.resolve.entries import (
    build_context,
    build_resolver,
    context_paths,
    file_entry,
    working_tree_reader,
)
from depreport.resolve.specifiers import Resolver
from depreport.resolve.tsconfig import ReadText
from depreport.scan.cache import ExtractionCache
from depreport.scan.discover import DiscoverOptions, Discovery, discover_files
from depreport.scan.extractions import cache_key, decode
from depreport.scan.runner import FILE_SECONDS, Work, cached_outcome, run_files
from depreport.tally.index import FileEntry, LiveIndex


@dataclass(frozen=True)
class ScanOptions:
    """How to scan: the repo, its configuration, parallelism and the cache."""

    root: Path
    config: Config = field(default_factory=Config)
    jobs: int = 1
    cache_dir: Path | None = None
    use_git: bool = True
    # How long reading one file may take. Not an option of the command line: a release changes it, and
    # with it the depreport version the scan memo and a pack's index are keyed by (tests make it tiny).
    file_seconds: float | None = FILE_SECONDS


def discover_options(options: ScanOptions) -> DiscoverOptions:
    """What file discovery needs of the scan's options."""
    config = options.config
    return DiscoverOptions(
        include=config.include,
        exclude=config.exclude,
        include_declarations=config.include_declarations,
        default_excludes=config.default_excludes,
        use_git=options.use_git,
    )


@dataclass
class Assembly:
    """The files of one tree, how to read them and how their imports resolve."""

    options: ScanOptions
    discovery: Discovery
    read: ReadText
    resolver: Resolver
    from_git_objects: bool = False  # contents are read by blob id from git (a past commit)

    @classmethod
    def working_tree(cls, options: ScanOptions) -> Assembly:
        """The repo's working tree as it is on disk."""
        discovery = discover_files(options.root, discover_options(options))
        read = working_tree_reader(options.root)
        return cls(options, discovery, read, build_resolver(discovery, options.config, read))

    @classmethod
    def git_tree(cls, options: ScanOptions, discovery: Discovery, read: ReadText) -> Assembly:
        """A tree of git objects (a past commit), already listed into `discovery`."""
        resolver = build_resolver(discovery, options.config, read)
        return cls(options, discovery, read, resolver, from_git_objects=True)

    def context(self) -> AdoptionContext:
        """Dependency versions and CODEOWNERS owners, read from this tree."""
        return build_context(self.discovery, self.options.config, self.read)

    def context_texts(self) -> tuple[str | None, ...]:
        """The texts the adoption context is built from, for digests of what a report depends on."""
        return tuple(self.read(path) for path in context_paths(self.discovery, self.options.config))

    def work(self, look_up: bool = True) -> Work:
        """What a worker of the pool needs to read and parse a file of this tree."""
        return _work(self.options, self.from_git_objects, look_up)

    def entries(self, results: Iterable[FileResult]) -> Iterator[tuple[str, FileEntry]]:
        """Each file's index entry: its records resolved."""
        languages = {f.path: f.language for f in self.discovery.files}
        return ((r.path, file_entry(r, languages[r.path], self.resolver)) for r in results)

    def new_index(self, context: AdoptionContext) -> LiveIndex:
        """An empty index for this tree's files."""
        return LiveIndex(context, self.options.config.groups.versioned)


def git_objects_work(options: ScanOptions, look_up: bool = True) -> Work:
    """What a worker needs to read contents by blob id from the repo's git objects."""
    return _work(options, True, look_up)


def _work(options: ScanOptions, from_git_objects: bool, look_up: bool) -> Work:
    max_bytes, seconds = options.config.max_file_size, options.file_seconds
    return Work(options.root, options.cache_dir, max_bytes, from_git_objects, look_up, seconds)


@dataclass
class Extractor:
    """Extracts batches of files: from the pack, else the cache, else the parser; counts what it parsed."""

    work: Work
    jobs: int
    cache: ExtractionCache
    known: Mapping[str, bytes]  # a pack's extractions
    progress: Progress
    total: int  # files in the scan, for the progress display
    parsed: int = 0

    def __call__(self, batch: list[SourceFile]) -> list[FileResult]:
        return sorted(self.stream(batch), key=lambda r: r.path)

    def stream(self, batch: list[SourceFile]) -> Iterator[FileResult]:
        """The results one by one as they come (known ones first, then parsed ones in no set order), so
        that a caller can index each while the workers parse the rest; kept in the cache at the end."""
        found, misses = look_up(batch, self.work, self.cache, self.known)
        self.progress.start(self.total)
        self.progress.advance(self.total - len(misses))
        yield from found
        fresh = []
        for result in run_files(misses, self.work, self.jobs, self.progress.advance):
            fresh.append(result)
            yield result
        self.cache.put(extractions(misses, fresh))
        self.parsed += len(misses)


def extract_all(
    files: list[SourceFile],
    work: Work,
    jobs: int,
    cache: ExtractionCache,
    progress: Progress,
    known: Mapping[str, bytes] | None = None,
) -> list[FileResult]:
    """Every file's result: from `known` or the cache when its content was seen before, else parsed."""
    return Extractor(work, jobs, cache, known or {}, progress, len(files))(files)


def look_up(
    files: list[SourceFile], work: Work, cache: ExtractionCache, known: Mapping[str, bytes]
) -> tuple[list[FileResult], list[SourceFile]]:
    """The results of files whose content was seen before (in `known`, else the cache), and the others."""
    keys = {f.path: cache_key(f.blob, f.language) for f in files if f.blob is not None}
    hits = {key: decode(known[key]) for key in keys.values() if key in known}
    hits.update(cache.get(key for key in keys.values() if key not in hits))
    cache.close()  # workers open their own read-only connection
    results: list[FileResult] = []
    misses: list[SourceFile] = []
    for source in files:
        hit = hits.get(keys.get(source.path, ""))
        seen = (
            None
            if hit is None or source.blob is None
            else cached_outcome(source.path, source.blob, hit, work)
        )
        if seen is not None:
            results.append(seen)
        else:  # never seen, or the parser was stopped on it at a deadline shorter than this run's
            misses.append(source)
    return results, misses


def extractions(files: list[SourceFile], results: list[FileResult]) -> dict[str, Extraction]:
    """The extractions of parsed files (and of those the parser was stopped on) by cache key, to keep for
    the next run."""
    language = {f.path: f.language for f in files}
    return {
        cache_key(r.blob, language[r.path]): r.extraction for r in results if isinstance(r, KeptByContent)
    }
