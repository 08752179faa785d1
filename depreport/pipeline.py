"""The scan, top to bottom: discover -> extract (pool, cache) -> resolve -> aggregate -> report."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from depreport.aggregate import FileTotals
from depreport.cache import ExtractionCache, cache_key
from depreport.config import Config
from depreport.discover import DiscoverOptions, Discovery, discover_files
from depreport.model import Extracted, Failed, FileResult, ImportRecord, Problem, Skipped, SourceFile
from depreport.resolve import Resolver
from depreport.runinfo import RunInfo
from depreport.runner import Work, run_files
from depreport.schema import build_report
from depreport.tsconfig import load_aliases
from depreport.workspaces import workspace_packages


@dataclass(frozen=True)
class ScanOptions:
    """How to scan: the repo, its configuration, parallelism and the cache."""

    root: Path
    config: Config = field(default_factory=Config)
    jobs: int = 1
    cache_dir: Path | None = None
    use_git: bool = True


@dataclass(frozen=True)
class Scan:
    """The outcome of a scan: the report and the records it was built from."""

    report: dict[str, Any]
    records: list[ImportRecord]


class Progress:
    """Hooks for a progress display; the core never prints."""

    def start(self, total: int) -> None:
        """`total` files are about to be processed."""

    def advance(self, count: int) -> None:
        """`count` more files are done."""


def scan(options: ScanOptions, info: RunInfo, progress: Progress | None = None) -> Scan:
    """Scan a repo into a report."""
    progress = progress or Progress()
    config = options.config
    discovery = discover_files(options.root, _discover_options(options))
    results = extract_all(discovery.files, options, progress)
    resolver = build_resolver(options.root, discovery, config)
    records, problems, totals = collect(discovery, results, resolver)
    report = build_report(info, _options_used(config), records, problems, totals)
    return Scan(report, records)


def _discover_options(options: ScanOptions) -> DiscoverOptions:
    config = options.config
    return DiscoverOptions(
        include=config.include,
        exclude=config.exclude,
        include_declarations=config.include_declarations,
        default_excludes=config.default_excludes,
        use_git=options.use_git,
    )


def extract_all(files: list[SourceFile], options: ScanOptions, progress: Progress) -> list[FileResult]:
    """Every file's result: from the cache when its content was seen before, else parsed."""
    root = str(options.root.resolve())
    cache = ExtractionCache(options.cache_dir)
    known = cache.known_blobs(root)
    files = [_with_known_blob(f, known) for f in files]
    keys = {f.path: cache_key(f.blob, f.language) for f in files if f.blob is not None}
    hits = cache.get(keys.values())
    cache.close()  # workers open their own read-only connection
    results: list[FileResult] = []
    misses: list[SourceFile] = []
    for source in files:
        hit = hits.get(keys.get(source.path, ""))
        if hit is not None and source.blob is not None:
            results.append(Extracted(source.path, source.blob, hit))
        else:
            misses.append(source)
    progress.start(len(files))
    progress.advance(len(results))
    work = Work(options.root, options.cache_dir, options.config.max_file_size)
    fresh = list(run_files(misses, work, options.jobs, progress.advance))
    _remember(cache, root, fresh, misses)
    results.extend(fresh)
    results.sort(key=lambda r: r.path)
    return results


def _with_known_blob(source: SourceFile, known: dict[str, tuple[int, int, str]]) -> SourceFile:
    if source.blob is not None:
        return source
    seen = known.get(source.path)
    if seen is not None and seen[0] == source.size and seen[1] == source.mtime_ns:
        return SourceFile(source.path, source.language, source.size, source.mtime_ns, seen[2])
    return source


def _remember(cache: ExtractionCache, root: str, fresh: list[FileResult], misses: list[SourceFile]) -> None:
    extracted = [r for r in fresh if isinstance(r, Extracted)]
    language = {f.path: f for f in misses}
    cache.put({cache_key(r.blob, language[r.path].language): r.extraction for r in extracted})
    stats = [(r.path, language[r.path].size, language[r.path].mtime_ns, r.blob) for r in extracted]
    cache.remember_blobs(root, (s for s in stats if language[s[0]].blob is None))
    cache.close()


def build_resolver(root: Path, discovery: Discovery, config: Config) -> Resolver:
    """A resolver that knows the repo's files, tsconfig aliases and workspace packages."""
    aliases = {}
    for path in config.tsconfig or tuple(discovery.configs):
        found = load_aliases(root, path)
        if found is not None:
            directory = path.rpartition("/")[0]
            aliases.setdefault(directory, found)  # tsconfig.json wins over jsconfig.json (sorted first)
    files = [f.path for f in discovery.files]
    return Resolver(files, aliases, workspace_packages(root))


def collect(
    discovery: Discovery, results: list[FileResult], resolver: Resolver
) -> tuple[list[ImportRecord], list[Problem], FileTotals]:
    """Resolve every import, gather every problem, count what became of the files."""
    languages = {f.path: f.language for f in discovery.files}
    records: list[ImportRecord] = []
    problems = list(discovery.problems)
    parsed = without = skipped = failed = syntax = unresolvable = 0
    for result in results:
        if isinstance(result, Extracted):
            extraction = result.extraction
            parsed += extraction.parsed
            without += not extraction.parsed
            syntax += extraction.syntax_error
            unresolvable += extraction.unresolvable
            problems.extend(extraction.problems(result.path))
            records.extend(_records(result, languages[result.path], resolver))
        elif isinstance(result, Skipped):
            skipped += 1
            problems.append(result.problem)
        elif isinstance(result, Failed):
            failed += 1
            problems.append(result.problem)
    seen = len(results) + len(discovery.problems)
    totals = FileTotals(seen, parsed, without, skipped, failed, syntax, unresolvable)
    return records, problems, totals


def _records(result: Extracted, language: str, resolver: Resolver) -> list[ImportRecord]:
    path = result.path
    out = []
    for raw in result.extraction.imports:
        where = resolver.resolve(raw.specifier, path, language)
        out.append(
            ImportRecord(
                path, raw.line, raw.column, raw.kind, raw.specifier, where.package, where.subpath,
                raw.export, raw.local, raw.type_only, language, where.how.value,
            )  # fmt: skip
        )
    return out


def _options_used(config: Config) -> dict[str, Any]:
    return {
        "include": list(config.include),
        "exclude": list(config.exclude),
        "include_declarations": config.include_declarations,
        "default_excludes": config.default_excludes,
        "max_file_size": config.max_file_size,
    }
