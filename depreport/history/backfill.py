"""Backfill: one report per ISO week from git history, so a new dashboard has history on day one.

Each planned week's commit (`depreport.history.plan`) is read straight from git objects (no checkout)
and dated at its commit time. The index rolls forward from one week to the next: only files whose blob
changed are looked at again, and contents are cached by blob id, so a file unchanged across weeks is
parsed once and a week costs what changed in it.
"""

from __future__ import annotations

import gc
import posixpath
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import cast

from depreport.history.plan import Week
from depreport.history.publish import Filing, SeriesCheck, file_run
from depreport.model import Problem, SourceFile
from depreport.progress import Progress
from depreport.report.schema import build_header, join_report
from depreport.report.shape import Header, Report
from depreport.report.walk import source_folder_packages
from depreport.resolve.entries import context_paths
from depreport.resolve.specifiers import Resolver, moved_lookups, other_file_lookup
from depreport.resolve.tsconfig import ReadText, within_repo
from depreport.runinfo import RunInfo, iso, now_utc
from depreport.scan.assembly import (
    Assembly,
    ScanOptions,
    discover_options,
    extract_all,
    git_objects_work,
)
from depreport.scan.cache import ExtractionCache
from depreport.scan.discover import Discovery, NotRead, Selector, discover_tree
from depreport.scan.gitobjects import (
    BlobReader,
    list_tree,
    tree_reader,
)
from depreport.scan.inputs import options_used
from depreport.tally.body import ReportBody
from depreport.tally.index import LiveIndex

# A commit's files and its symbolic links (path -> blob id), and its submodules
_Listing = tuple[dict[str, str], dict[str, str], list[str]]


@dataclass(frozen=True)
class WeekReport:
    """A backfilled week's report: the dict view (live until the next week), its JSON text, the text
    of each block of its body, and what of the backfill's weeks was checked for publishing."""

    week: Week
    report: Report
    text: str
    parts: dict[str, str]
    checked: SeriesCheck
    not_read: NotRead = field(default_factory=NotRead)  # of the week's tree
    resolver: Resolver | None = None  # the week's
    # the exclude globs that left nothing out of any week (every week is listed before the first is done)
    unused_excludes: tuple[str, ...] = ()

    def source_folders(self) -> dict[str, int]:
        """The week's npm packages no package.json declares that name a folder of src/, as a scan of its
        tree says them (`source_folder_packages`)."""
        if self.resolver is None:
            return {}
        return source_folder_packages(self.report["packages"], self.resolver.declared, self.resolver.folders)


def backfill(
    options: ScanOptions, info: RunInfo, plan: list[Week], progress: Progress | None = None
) -> Iterator[WeekReport]:
    """Scan each planned week's commit, oldest first, yielding each week's report as it is done.

    `progress` counts the files parsed (all of them, for every week, before the first week is done).
    """
    rolling = RollingScan(options, progress or Progress())
    try:
        with collected_once_a_week() as week_done:
            rolling.prefetch(plan)
            for week in plan:
                week_done()
                header = replace(
                    info, commit=week.commit.sha, committed_at=iso(week.commit.time), generated_at=now_utc()
                )
                yield rolling.advance(week, build_header(header, options_used(options.config)))
    finally:
        rolling.close()


@contextmanager
def collected_once_a_week() -> Iterator[Callable[[], None]]:
    """Python's cycle collector off, run by hand once a week (each call of what is yielded) over only
    what the week made.

    The index holds millions of small objects that live from week to week; the collector, started by
    every so many allocations, walked them all again several times a week: a third of a backfill's CPU
    on saleor-dashboard's 52 weeks (47 s to 31 s from a warm cache, same peak memory). Reference
    counting frees nearly everything; each week's collection frees what the week left in cycles, then
    sets what survived aside (`gc.freeze`) so that later collections do not walk it again.
    """
    enabled = gc.isenabled()
    gc.disable()

    def collect() -> None:
        gc.collect()
        gc.freeze()

    try:
        yield collect
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()


def file_week(done: WeekReport) -> Filing:
    """A backfilled week checked and summarized, dated at its commit; what earlier weeks had is not
    checked again. Made before the next week: the week's report is a live view of the index."""
    filed = file_run(done.report, True, done.text, done.checked.unchanged(done.parts), done.parts)
    done.checked.passed(done.parts)
    return filed


class RollingScan:
    """An index moved from commit to commit, touching only the files that changed."""

    def __init__(self, options: ScanOptions, progress: Progress) -> None:
        self.options, self.progress = options, progress
        self.index = LiveIndex(versioned=options.config.groups.versioned)
        self.sources: dict[str, SourceFile] = {}
        self.tree: Assembly | None = None  # this week's files, reader and resolver
        self._resolver_key: tuple[object, ...] = ()
        self._resolver_reads: list[str] = []  # every file the resolver read when it was built, e.g. a
        # tsconfig's `extends` parent or the import map a deno.json names (no discovery lists them)
        self._context_key: tuple[object, ...] | None = None
        self._config_problems: dict[str, list[Problem]] = {}  # broken tsconfig, CODEOWNERS...: kept per week
        self.blobs = BlobReader(options.root)
        self.cache = ExtractionCache(options.cache_dir)
        self.selector = Selector(discover_options(options))
        self._trees: dict[str, _Listing] = {}  # commit -> its listing, until its week is done
        self.checked = SeriesCheck()

    def _resolver_inputs(
        self, tree: dict[str, str], current: dict[str, SourceFile], discovery: Discovery
    ) -> tuple[object, ...]:
        """What the week's resolver is made of: the files, the declaration files, and the blob of every
        config (tsconfig, bundler), manifest and file the last resolver read (a path absent then and
        present now counts as changed)."""
        paths = (*discovery.configs, *discovery.manifests, *discovery.bundlers, *self._resolver_reads)
        return (sorted(current), discovery.declarations, [tree.get(p) for p in paths])

    def prefetch(self, plan: list[Week]) -> None:
        """Parse, in one parallel pass, every content any planned week has (the cache keeps them)."""
        unique: dict[tuple[str, str], SourceFile] = {}
        for week in plan:
            tree, _, _ = self._trees[week.commit.sha] = self._listing(week.commit.sha)
            for source in discover_tree(tree, self.selector).files:
                unique.setdefault((source.blob or "", source.language), source)
        work = git_objects_work(self.options)
        extract_all(list(unique.values()), work, self.options.jobs, self.cache, self.progress)

    def _listing(self, commit: str) -> _Listing:
        """A commit's files and its symbolic links, path -> blob id, and its submodules."""
        links: dict[str, str] = {}
        submodules: list[str] = []
        return list_tree(self.options.root, commit, links, submodules), links, submodules

    def advance(self, week: Week, header: Header) -> WeekReport:
        """Move the index to the week's commit; returns the week's report."""
        listed = self._trees.pop(week.commit.sha, None)
        tree, links, submodules = listed if listed is not None else self._listing(week.commit.sha)
        targets = self.blobs.read_many(list(dict.fromkeys(links.values()))) if links else {}
        pointing = {path: targets.get(blob, b"").decode("utf-8", "replace") for path, blob in links.items()}
        discovery = discover_tree(tree, self.selector, self.sources, pointing)
        discovery.not_read = self.selector.submodules(discovery.not_read, submodules)
        discovered = seen = len(discovery.problems)
        current = {f.path: f for f in discovery.files}
        changed = [f for path, f in current.items() if self.sources.get(path) != f]
        for path in set(self.sources) - set(current):
            self.index.remove_file(path)
        tree = {**tree, **_followed_links(pointing, tree)}  # read as a working tree reads them, not listed
        read = tree_reader(self.blobs, tree)
        key = self._resolver_inputs(tree, current, discovery)
        others = self._other_files_moved(tree)
        if self.tree is None or key != self._resolver_key or others:  # files came or went, a config changed
            before = self.tree
            recorded = _Recorded(read)
            self.tree = replace(Assembly.git_tree(self.options, discovery, recorded), read=read)
            self._resolver_reads = recorded.taken()
            self._resolver_key = self._resolver_inputs(tree, current, discovery)
            self._config_problems["resolver"] = discovery.problems[seen:]
            seen = len(discovery.problems)
            if before is not None:  # what the files not resolved again were resolved with, as it now is
                now = {path: not found for path, found in others.items()}
                self.tree.resolver.other_files.update({**before.resolver.other_files, **now})
            changed = self._resolve_again(before, current, changed, others)
        else:
            found = self.tree.discovery.not_read  # what the resolver kept found
            discovery.not_read = replace(discovery.not_read, presets=found.presets, aliases=found.aliases)
            discovery.aliases_read = self.tree.discovery.aliases_read
            self.tree = replace(self.tree, discovery=discovery, read=read)
        context_key = tuple(tree.get(path) for path in context_paths(discovery, self.options.config))
        if context_key != self._context_key:  # CODEOWNERS, a lockfile or a package.json changed
            self.index.recount_usage(self.tree.context())
            self._context_key = context_key
            self._config_problems["context"] = discovery.problems[seen:]
        self.sources = current
        self._update(changed)
        kept = [p for problems in self._config_problems.values() for p in problems]
        self.index.seen_problems = [*discovery.problems[:discovered], *kept]
        body = ReportBody(self.index, self.options.config.groups, self.tree.resolver.workspace_folders())
        parts = body.parts()
        report = cast(Report, {**header, **body.to_dict()})
        text = join_report(header, parts)
        return WeekReport(
            week, report, text, parts, self.checked, discovery.not_read, self.tree.resolver,
            unused_excludes=discovery.unused_excludes,
        )  # fmt: skip

    def _other_files_moved(self, tree: dict[str, str]) -> dict[str, bool]:
        """The files that are no module the resolver looked for and that came or went since (path ->
        whether it was there): a resolver reused from week to week answers from its memo. Told from the
        week's listing (a file is there when the tree lists it), no blob read."""
        if self.tree is None:
            return {}
        asked = self.tree.resolver.other_files
        return {path: found for path, found in asked.items() if (path in tree) != found}

    def _resolve_again(
        self,
        before: Assembly | None,
        current: dict[str, SourceFile],
        changed: list[SourceFile],
        others: dict[str, bool],
    ) -> list[SourceFile]:
        """The files to extract and resolve again once the resolver was rebuilt: all of them when its
        aliases or workspaces changed; else the changed ones and those whose resolution looked for a
        module that came or went (as `incremental.update_index` does for a scan on top of a pack), for
        a dependency a package.json began or ceased to declare, or for a file that is no module among
        `others`. set_file leaves files whose records did not change alone."""
        assert self.tree is not None
        looked_for = None if before is None else self.tree.resolver.lookups_changed_since(before.resolver)
        if looked_for is None:
            return list(current.values())
        moved = moved_lookups(current.keys() ^ self.sources.keys()) | looked_for
        moved |= {other_file_lookup(path, found) for path, found in others.items()}
        again = {f.path for f in changed}
        for path in current:
            entry = self.index.entry(path)
            if entry is not None and path not in again and not moved.isdisjoint(entry.looked_up):
                again.add(path)
        return [source for path, source in current.items() if path in again]

    def _update(self, changed: list[SourceFile]) -> None:
        # every content was parsed by prefetch: these are cache hits, kept off the files display
        assert self.tree is not None
        results = extract_all(changed, self.tree.work(), self.options.jobs, self.cache, Progress())
        for path, entry in self.tree.entries(results):
            self.index.set_file(path, entry)

    def close(self) -> None:
        """Stop the git reader and close the cache."""
        self.blobs.close()
        self.cache.close()


def _followed_links(pointing: dict[str, str], tree: dict[str, str]) -> dict[str, str]:
    """Each link of a commit to a file of it (path -> that file's blob id): a tsconfig.json linking to a
    preset, read through the link as a scan of a working tree does; a link out of the repo is not."""
    followed = {}
    for path, target in pointing.items():
        inside = within_repo(posixpath.dirname(path), target)
        if inside is not None and inside in tree:
            followed[path] = tree[inside]
    return followed


class _Recorded:
    """A reader that notes every path asked for, until they are `taken`."""

    def __init__(self, read: ReadText) -> None:
        self.read = read
        self._paths: set[str] | None = set()

    def __call__(self, path: str) -> str | None:
        if self._paths is not None:
            self._paths.add(path)
        return self.read(path)

    def taken(self) -> list[str]:
        """The paths asked for so far, sorted; later reads are not noted."""
        paths, self._paths = self._paths or set(), None
        return sorted(paths)
