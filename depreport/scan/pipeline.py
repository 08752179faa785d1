"""The scan, top to bottom: discover -> extract (pool, cache) -> resolve -> index -> report.

Given the pack of an earlier scan of the repo (depreport/scan/pack.py), contents it has seen are not parsed
again, and when the settings and resolution inputs are the same its index is updated with only the
changed files instead of being built again (depreport/scan/incremental.py).
"""

from __future__ import annotations

import gc
import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import cast

from depreport.model import FileResult, SourceFile
from depreport.progress import Progress
from depreport.report.schema import body_parts, build_header, dumps_records, report_pieces
from depreport.report.shape import Body, Header, Outline, ProblemEntry, Report, ReportOutline, Totals
from depreport.report.walk import source_folder_packages, unresolved_imports
from depreport.runinfo import RunInfo
from depreport.scan.assembly import Assembly, Extractor, ScanOptions
from depreport.scan.cache import ExtractionCache, ScanMemo
from depreport.scan.discover import Discovery, NotRead
from depreport.scan.incremental import Seen, Update, fresh_pack, next_pack, update_index
from depreport.scan.inputs import options_used, pack_inputs, scan_digest
from depreport.scan.pack import Pack
from depreport.scan.storedpack import PackSource
from depreport.tally.body import ReportBody
from depreport.tally.index import FileEntry, LiveIndex


@dataclass
class Scan:
    """The outcome of a scan: a report (header + body) and, when asked for, its import records.

    The body is kept as the JSON text of each block when it came from an index or the scan memo, and
    decoded only if needed.
    """

    header: Header
    problems: list[ProblemEntry]
    body: Body | None = None
    body_parts: dict[str, str] | None = None  # each block of the body as JSON text
    records_jsonl: str | None = None  # every import record as JSON lines, when asked for
    pack: Pack | None = None  # what the next scan of the repo can start from, when asked for
    parsed: int = 0  # files parsed by this scan (the others came from a cache or a pack)
    restored: bool = False  # the index was the previous pack's, updated with the changed files
    # the body without file lists (ReportBody.outline); its usage block None when let go (its text is in
    # `body_parts`, and `report_outline` decodes it again if asked)
    outline: Outline | None = None
    cache_failed: str | None = None  # why the extraction cache stopped being used in this scan, if it did
    not_read: NotRead = field(default_factory=NotRead)  # said on stderr by the CLI
    unused_excludes: tuple[str, ...] = ()  # exclude globs given that left nothing out: said by the CLI
    unresolved: Mapping[str, int] = field(default_factory=dict)  # specifier -> imports resolving to nothing
    # npm package -> imports, for the undeclared ones that name a folder of src/ (`source_folder_packages`)
    source_folders: Mapping[str, int] = field(default_factory=dict)
    aliases_read: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # bundler config -> aliases

    @property
    def report(self) -> Report:
        """The whole report as a dict."""
        if self.body is None:
            self.body = cast(Body, {key: json.loads(text) for key, text in (self.body_parts or {}).items()})
        return cast(Report, {**self.header, **self.body})

    @property
    def report_outline(self) -> Report | ReportOutline:
        """The report, or its outline when the scan made one: all a summary needs, and cheap to make."""
        if self.outline is None:
            return self.report
        if self.outline["usage"] is None:
            self.outline["usage"] = json.loads(self.parts()["usage"])
        return cast(ReportOutline, {**self.header, **self.outline})

    @property
    def totals(self) -> Totals:
        """The report's totals, decoding no other block of a body kept as text."""
        if self.body is None and self.body_parts is not None:
            return cast(Totals, json.loads(self.body_parts["totals"]))
        return self.report_outline["totals"]

    def parts(self) -> dict[str, str]:
        """The body as the compact JSON text of each block."""
        if self.body_parts is None:
            self.body_parts = body_parts(self.body or {})
        return self.body_parts

    def report_json(self) -> str:
        """The report as compact JSON text."""
        return "".join(self.report_pieces())

    def report_pieces(self) -> tuple[str, ...]:
        """`report_json` in pieces, to write out and publish without joining them (`report_pieces`)."""
        return report_pieces(self.header, self.parts())


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector: an index is hundreds of thousands of acyclic containers that live
    to the end, and collecting while they pile up took 15% of a cold scan. Workers collect as usual.

    On the way out, what the scan made goes to the oldest generation at once (`gc.freeze`, then
    `gc.unfreeze`): left young, every object of the index was walked by the next collection (0.4 s after
    a job from the pack of 42k files). Nothing stays frozen: a full collection still sees them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def scan(
    options: ScanOptions,
    info: RunInfo,
    progress: Progress | None = None,
    records: bool = False,
    previous: Pack | PackSource | None = None,
    keep: bool = False,
) -> Scan:
    """Scan a repo's working tree into a report.

    `records=True` also returns every import record; `previous` is an earlier scan's pack to start from,
    or where to get it (asked once the files are listed, so a download overlaps the listing);
    `keep=True` returns this scan's pack for the next one.
    """
    with no_cycle_collection():
        return _scan(options, info, progress or Progress(), records, previous, keep)


def _scan(
    options: ScanOptions,
    info: RunInfo,
    progress: Progress,
    records: bool,
    previous: Pack | PackSource | None,
    keep: bool,
) -> Scan:
    config, root = options.config, options.root
    header = build_header(info, options_used(config))
    tree = Assembly.working_tree(options)
    cache = ExtractionCache(options.cache_dir)
    files = _with_known_blobs(tree.discovery.files, cache.known_blobs(_key(root)))
    texts = tree.context_texts()
    digest_of = partial(
        scan_digest, discovery=tree.discovery, resolver=tree.resolver, config=config, texts=texts
    )
    digest = digest_of(files)
    memo = cache.scan_memo(_key(root), digest, records) if digest is not None and not keep else None
    if memo is not None:  # nothing changed since the last scan: reuse its output as it is
        return _reused(header, memo, len(files), progress, tree.discovery)
    if previous is not None and not isinstance(previous, Pack):
        previous = previous.previous()
    known = previous.extractions if previous is not None else {}
    work = tree.work(look_up=not cache.is_empty())
    extract = Extractor(work, options.jobs, cache, known, progress, len(files))
    inputs, declared = pack_inputs(config, tree.resolver, texts), tree.resolver.declared
    # Of each result and entry, only what the memo and the pack need (`Seen`; see `_index`).
    seen = Seen(keep, known, {f.path: f.language for f in files})
    index, updated = _index(tree, files, previous, inputs, extract, seen, facts_only=not records)
    if previous is not None:
        previous = replace(previous, index=None)  # restored (or not usable): let its saved index go
    entries = index.entries() if records else {}
    if not keep and not records:
        index.for_report_only()  # before the body is made: what it frees, the body's dicts reuse
    outline, parts, problems = _body(index, tree, keep)
    scanned = Scan(
        header,
        problems,
        body_parts=parts,
        records_jsonl=_records_jsonl(entries) if records else None,
        pack=(
            next_pack(inputs, previous, updated, seen, declared)
            or fresh_pack(inputs, files, seen, previous, index, declared)
        )
        if keep
        else None,
        parsed=extract.parsed,
        restored=updated is not None,
        outline=outline,
        not_read=tree.discovery.not_read,
        unused_excludes=tree.discovery.unused_excludes,
        aliases_read=tree.discovery.aliases_read,
        unresolved=unresolved_imports(outline["packages"]),
        source_folders=source_folder_packages(outline["packages"], declared, tree.resolver.folders),
    )
    del index, entries, parts  # all made into the scan: let go before the memo is written
    _remember(cache, root, files, seen.blobs, scanned, digest_of)
    scanned.cache_failed = cache.damage  # the run goes on without it; the CLI says so
    return scanned


def _body(index: LiveIndex, tree: Assembly, keep: bool) -> tuple[Outline, dict[str, str], list[ProblemEntry]]:
    """The body's outline, the text of its blocks and its problems. Unless the index is kept (for a
    pack), this is its last use: what the text holds is let go as it is made (`ReportBody.parts`), and
    the outline's usage block too (its dicts take ~10 times its text; `Scan.report_outline` decodes it
    again if asked)."""
    body = ReportBody(index, tree.options.config.groups, tree.resolver.workspace_folders())
    outline = body.outline()
    if not keep:
        outline["usage"] = None  # type: ignore[typeddict-item]
    return outline, body.parts(last=not keep), body.rest["problems"]


def _reused(header: Header, memo: ScanMemo, files: int, progress: Progress, discovery: Discovery) -> Scan:
    """The last scan's output as it is, when nothing changed since (every file counted as done)."""
    progress.start(files)
    progress.advance(files)
    return Scan(
        header, memo.problems, body_parts=memo.body, records_jsonl=memo.records,
        not_read=discovery.not_read, unused_excludes=discovery.unused_excludes, unresolved=memo.unresolved,
        source_folders=memo.source_folders, aliases_read=discovery.aliases_read,
    )  # fmt: skip


def _records_jsonl(entries: dict[str, FileEntry]) -> str:
    """Every import record as a JSON line, file by file in path order."""
    return dumps_records(r for path in sorted(entries) for r in entries[path].records)


def _index(
    tree: Assembly,
    files: list[SourceFile],
    previous: Pack | None,
    inputs: str,
    extract: Extractor,
    seen: Seen,
    facts_only: bool,
) -> tuple[LiveIndex, Update | None]:
    """The index of the files (the previous pack's updated with the changed files when it fits, else new,
    keeping only its files' facts when `facts_only`), what is kept of the results and entries made given to
    `seen`. The records of 42k files take ~100 MB and their results ~46 MB, at the scan's peak."""
    context, groups = tree.context(), tree.options.config.groups
    updated = None
    if previous is not None and previous.index is not None and previous.inputs == inputs:
        updated = update_index(previous, files, tree.resolver, groups, context, extract)
    if updated is not None:
        index = updated.index
        seen.took(updated.results, updated.index.files)
    else:  # each file is indexed as its parse comes back, while the workers parse the others
        index = tree.new_index(context)
        index.add_files(_seeing(tree.entries(_seeing_results(extract.stream(files), seen)), seen), facts_only)
    index.seen_problems = list(tree.discovery.problems)
    return index, updated


def _seeing_results(results: Iterator[FileResult], seen: Seen) -> Iterator[FileResult]:
    """The results as they come, what is kept of each given to `seen`."""
    for result in results:
        seen.result(result)
        yield result


def _seeing(entries: Iterator[tuple[str, FileEntry]], seen: Seen) -> Iterator[tuple[str, FileEntry]]:
    """The entries as they come, what is kept of each given to `seen`."""
    for path, entry in entries:
        seen.entry(path, entry)
        yield path, entry


def _key(root: Path) -> str:
    return str(root.resolve())


def _with_known_blobs(files: list[SourceFile], known: dict[str, tuple[int, int, str]]) -> list[SourceFile]:
    """Files whose size and mtime match the last scan get that scan's blob id without being read."""
    out = []
    for source in files:
        seen = None if source.blob is not None else known.get(source.path)
        if seen is not None and seen[0] == source.size and seen[1] == source.mtime_ns:
            source = _with_blob(source, seen[2])
        out.append(source)
    return out


def _remember(
    cache: ExtractionCache, root: Path, files: list[SourceFile], blobs: dict[str, str], scanned: Scan,
    digest_of: Callable[[list[SourceFile]], str | None],
) -> None:  # fmt: skip
    """Keep new extractions, every file's blob id and the body of this scan for the next run."""
    known = [_with_blob(f, blobs[f.path]) if f.path in blobs else f for f in files]
    # size and mtime stand for content only where git did not give it (it was read, or a stat matched)
    stats = {f.path: (f.size, f.mtime_ns, f.blob) for f in known if f.blob is not None and f.mtime_ns}
    cache.remember_blobs(_key(root), stats)
    digest = digest_of(known)
    if digest is not None and scanned.pack is None:  # a scan that keeps a pack never reads the memo
        memo = ScanMemo(
            scanned.parts(), scanned.problems, scanned.records_jsonl, dict(scanned.unresolved),
            dict(scanned.source_folders),
        )  # fmt: skip
        cache.remember_scan(_key(root), digest, memo)
    cache.close()


def _with_blob(source: SourceFile, blob: str) -> SourceFile:
    return SourceFile(source.path, source.language, source.size, source.mtime_ns, blob)
