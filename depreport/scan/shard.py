"""Sharded scans of very large monorepos: each job scans a stable 1/N of the files, `merge` rebuilds the
report a single scan would have made.

Every shard discovers all files (resolution needs the whole file list) but reads and parses only its
slice, chosen by a hash of the path. A partial carries, per file, the resolved records and what adoption
needs about the file (its owners, dependency versions), so merging needs no checkout.
"""

from __future__ import annotations

import hashlib
from typing import Any, cast

from depreport.errors import UsageError
from depreport.history.adoption import AdoptionContext, Groups
from depreport.model import ImportRecord, Problem, UseRecord
from depreport.progress import Progress
from depreport.report.schema import build_header
from depreport.report.shape import Header
from depreport.runinfo import RunInfo, now_utc
from depreport.scan.assembly import Assembly, ScanOptions, extract_all
from depreport.scan.cache import ExtractionCache
from depreport.scan.discover import Discovery
from depreport.scan.inputs import options_used
from depreport.scan.pipeline import Scan
from depreport.tally.body import ReportBody
from depreport.tally.index import FileEntry, LiveIndex

PARTIAL_FORMAT = "depreport-partial/2"  # 2: files carry their uses


def parse_shard(text: str) -> tuple[int, int]:
    """`I/N` (1-based) -> (I, N)."""
    number, _, count = text.partition("/")
    if not (number.isdecimal() and count.isdecimal()) or not 1 <= int(number) <= int(count):
        hint = "e.g. --shard 2/4 for the second of four"
        raise UsageError(f"--shard {text!r} is not I/N with 1 <= I <= N", hint)
    return int(number), int(count)


def shard_of(path: str, count: int) -> int:
    """The shard (1-based) a path belongs to: stable across machines and runs."""
    digest = hashlib.sha1(path.encode("utf-8"), usedforsecurity=False).digest()
    return int.from_bytes(digest[:8], "big") % count + 1


def scan_shard(
    options: ScanOptions, info: RunInfo, number: int, count: int, progress: Progress
) -> tuple[dict[str, Any], Discovery]:
    """Scan this shard's files; returns the partial document `merge` reads, and the discovery of the
    whole tree (what it did not read and the exclude globs that left nothing out are said as a scan of
    it says them)."""
    config = options.config
    tree = Assembly.working_tree(options)
    context = tree.context()
    mine = [f for f in tree.discovery.files if shard_of(f.path, count) == number]
    results = extract_all(mine, tree.work(), options.jobs, ExtractionCache(options.cache_dir), progress)
    files = {path: _entry_json(path, entry, context, config.groups) for path, entry in tree.entries(results)}
    document = {
        "format": PARTIAL_FORMAT,
        "shard": [number, count],
        "header": build_header(info, options_used(config)),
        "discovery_problems": [p.to_json() for p in tree.discovery.problems],
        "workspaces": tree.resolver.workspace_folders(),
        "files": files,
    }
    return document, tree.discovery


def _entry_json(path: str, entry: FileEntry, context: AdoptionContext, groups: Groups) -> dict[str, Any]:
    versions = {}
    if groups.versioned and context.version is not None:
        versions = {r.package: context.version(path, r.package) for r in entry.records}
    return {
        "records": [list(r) for r in entry.records],
        "uses": [list(u) for u in entry.uses],
        "own_exports": list(entry.own_exports),
        "problems": [p.to_json() for p in entry.problems],
        "status": entry.status,
        "syntax_error": entry.syntax_error,
        "unresolvable": entry.unresolvable,
        "owners": list(context.owners(path)) if context.owners is not None else None,
        "versions": versions,
    }


def merge_partials(parts: list[dict[str, Any]]) -> Scan:
    """The report of the whole repo from all its partials (any order), each passed by `partial_problem`."""
    _check_complete(parts)
    first = parts[0]
    files = {path: data for part in parts for path, data in part["files"].items()}
    owners = {path: tuple(data["owners"]) for path, data in files.items() if data["owners"] is not None}
    versions = {path: data["versions"] for path, data in files.items()}
    context = AdoptionContext(
        version=lambda path, package: versions.get(path, {}).get(package),
        owners=(lambda path: owners.get(path, ())) if owners else None,
    )
    groups = Groups.from_json(first["header"]["options"].get("adoption") or {})
    index = LiveIndex(context, groups.versioned)
    index.seen_problems = [Problem(**p) for p in first["discovery_problems"]]
    for path in sorted(files):
        data = files[path]
        records = tuple(ImportRecord(*r) for r in data["records"])
        problems = tuple(Problem(**p) for p in data["problems"])
        facts = (data["status"], data["syntax_error"], data["unresolvable"])
        uses = tuple(_use(u) for u in data["uses"])
        own = tuple(data.get("own_exports", ()))  # absent from partials made before it was kept
        entry = FileEntry(records, problems, *facts, uses=uses, own_exports=own)
        index.set_file(path, entry)
    # the last shard's time, not the merge's: merging the same partials again (a retried job) makes the
    # same report, which publishing then finds already stored
    times = [t for p in parts if isinstance(t := p["header"].get("generated_at"), str)]
    header = cast(Header, {**first["header"], "generated_at": max(times, default=None) or now_utc()})
    workspaces = first.get("workspaces") or {}  # the same in every shard: each discovers every file
    return Scan(header, index.problems(), body=ReportBody(index, groups, workspaces).to_dict())


def _use(data: list[Any]) -> UseRecord:
    """A use from its JSON list (its props come back as lists too)."""
    file, line, column, package, subpath, export, member, kind, via, detail, props, resolved = data
    props = tuple((name, value) for name, value in props)
    return UseRecord(file, line, column, package, subpath, export, member, kind, via, detail, props, resolved)


def _check_complete(parts: list[dict[str, Any]]) -> None:
    if not parts:
        raise UsageError("merge needs the partial reports of every shard", "depreport merge part-*.json")
    if any(p.get("format") != PARTIAL_FORMAT for p in parts):
        raise UsageError(
            "not a partial report (scan --shard I/N writes them)", "give the files scan --shard wrote"
        )
    count = parts[0]["shard"][1]
    numbers = sorted(p["shard"][0] for p in parts)
    if any(p["shard"][1] != count for p in parts) or numbers != list(range(1, count + 1)):
        raise UsageError(
            f"shards {numbers} of {count} given", f"give exactly one partial for each of 1..{count}"
        )
    first = parts[0]["header"]
    for part in parts[1:]:
        for key in ("commit", "options", "repo"):
            if part["header"][key] != first[key]:
                raise UsageError(f"partials disagree on {key}", "merge the shards of one scan of one commit")
