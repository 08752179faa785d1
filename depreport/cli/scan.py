"""`depreport scan`: index every import of a repo, print or write the report, optionally publish it."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from depreport.cli.findings import (
    describe_aliases_read,
    describe_config,
    describe_not_read,
    describe_problems,
    describe_selection,
    describe_source_folders,
    describe_unresolved,
    describe_unused_excludes,
)
from depreport.cli.notifying import notify_move
from depreport.cli.output import (
    add_jobs_option,
    add_store_options,
    format_of,
    note,
    repo_name,
    repo_to_store,
    store_uri,
    usable_cache,
    write_text,
)
from depreport.cli.progressbar import add_progress_option, progress_display
from depreport.config import Config, load_config
from depreport.errors import EXIT_FINDINGS, EXIT_OK, UsageError
from depreport.history.publish import publish
from depreport.report.render import SCAN_FORMATS, render_scan
from depreport.report.render.words import plural
from depreport.runinfo import RunInfo, detect_run_info
from depreport.scan.assembly import ScanOptions
from depreport.scan.pipeline import Scan, scan
from depreport.scan.shard import parse_shard, scan_shard
from depreport.scan.storedpack import StoredPacks
from depreport.sizes import parse_size
from depreport.store import Store, open_store

DEFAULT_CACHE = Path(".depreport") / "cache"  # under the repository scanned, unless --cache-dir says


EXAMPLE = """\
examples:
  depreport scan path/to/repo
  depreport scan . --format json --out report.json
  depreport scan . --publish s3://acme-depreport/reports --notify https://hooks.slack.com/services/...
"""


def add_parser(commands: Any) -> None:
    """Register the command."""
    parser = commands.add_parser("scan", help="index every import of a repo into a report", epilog=EXAMPLE)
    add_scan_options(parser)
    parser.add_argument(
        "--format",
        choices=SCAN_FORMATS,
        help="table (default), or what --out's extension names: .json, .jsonl, .csv, .md (markdown)",
    )
    parser.add_argument("--out", "-o", default="-", help="output file, '-' for stdout (default)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when any file had a problem")
    parser.add_argument(
        "--publish",
        metavar="STORE",
        type=store_uri,
        help="also store the report: a folder or s3://bucket/prefix",
    )
    parser.add_argument(
        "--notify",
        metavar="URL",
        help="after --publish, post the target's week-over-week move to this chat webhook (Slack JSON)",
    )
    add_store_cache_option(parser)
    parser.add_argument(
        "--shard", metavar="I/N", help="scan the I-th of N stable slices; write a partial for merge"
    )
    parser.set_defaults(handler=run)


def add_store_cache_option(parser: argparse.ArgumentParser) -> None:
    """`--no-store-cache`: a scan with a store starts from the last pack there unless told not to."""
    parser.add_argument(
        "--no-store-cache",
        action="store_true",
        help="do not start from the pack of the last published run in the store, nor store one",
    )


def add_scan_options(parser: argparse.ArgumentParser) -> None:
    """Options shared by every command that scans a repo."""
    parser.add_argument("path", nargs="?", default=".", type=Path, help="repo to scan (default: .)")
    parser.add_argument("--config", type=Path, help="config file (default: depreport.toml or pyproject.toml)")
    add_jobs_option(parser)
    parser.add_argument(
        "--cache-dir", type=Path, help=f"extraction cache (default: {DEFAULT_CACHE} in the repository)"
    )
    parser.add_argument("--no-cache", action="store_true", help="parse every file, remember nothing")
    parser.add_argument("--include", action="append", default=[], metavar="GLOB", help="only these files")
    parser.add_argument("--exclude", action="append", default=[], metavar="GLOB", help="leave these out")
    parser.add_argument("--include-declarations", action="store_true", help="also .d.ts and .pyi files")
    parser.add_argument("--no-default-excludes", action="store_true", help="also build output and bundles")
    parser.add_argument("--max-file-size", metavar="SIZE", help="skip larger files (default 2MB)")
    parser.add_argument("--no-git", action="store_true", help="walk the folder even in a git work tree")
    add_progress_option(parser)
    add_run_options(parser)
    add_store_options(parser, required=False)


def add_run_options(parser: argparse.ArgumentParser) -> None:
    """Repo name, commit and branch; found from git or the CI when not given."""
    parser.add_argument(
        "--repo", type=repo_name, help="repository name, org/name (default: from git or the CI)"
    )
    parser.add_argument("--commit", help="commit the report describes (default: from git or the CI)")
    parser.add_argument("--branch", help="branch (default: from git or the CI)")


def run(args: argparse.Namespace) -> int:
    """Scan, write the output, publish when asked."""
    if args.shard is not None:  # --shard "" is an error, not a whole scan
        return _run_shard(args)
    if args.notify is not None and not args.publish:
        raise UsageError(
            "--notify needs --publish STORE", "the message compares the run with the store's last week"
        )
    args.format = format_of(args.format, args.out, SCAN_FORMATS, "table")
    webhook = None
    if args.notify is not None:
        from depreport.history.notify import check_webhook  # urllib and ssl: only when asked to notify

        webhook = check_webhook(args.notify)
    store = open_store(args.publish, args.endpoint_url) if args.publish else None
    options = scan_options(args)
    with stored_packs(args, options, store, keep=True) as packs:
        result, info = run_scan(args, records=args.format == "jsonl", options=options, packs=packs)
        if packs is not None and result.pack is not None:
            packs.compress(result.pack)  # while the report is written and published
            result.pack = None  # held by the compression alone, let go as soon as it is done
        if args.format == "json":
            write_text(args.out, result.report_pieces())
        elif args.format == "jsonl":
            write_text(args.out, result.records_jsonl or "")
        else:
            write_text(args.out, render_scan(result.report, args.format))
        describe_problems(result.problems)
        describe_selection(options.config, result)
        if store is not None:
            report, text = result.report_outline, result.report_pieces()
            ref = publish(store, report, report_json=text, block_texts=result.parts())
            note(f"published {info.repo} to {args.publish}: {ref.report_key}")
            if packs is not None:
                packs.save(ref)
                _say(packs)
            if webhook is not None:
                notify_move(store, ref.repo, options.config.groups, webhook)
    return EXIT_FINDINGS if args.strict and result.problems else EXIT_OK


def run_scan(
    args: argparse.Namespace,
    records: bool = False,
    options: ScanOptions | None = None,
    packs: StoredPacks | None = None,
) -> tuple[Scan, RunInfo]:
    """Load the configuration (unless given), scan with a progress display, return the scan and its header.

    With `packs`, the scan starts from the repo's last pack in the store (downloaded while the files are
    listed) and, when they keep one (a scan that publishes), makes its own pack for the next run.
    """
    options = options or scan_options(args)
    info = run_info(args, options.root)
    with progress_display(args.progress) as progress:
        keep = packs is not None and packs.keep
        result = scan(options, info, progress, records=records, previous=packs, keep=keep)
    if result.cache_failed is not None:
        note(
            f"warning: the extraction cache in {options.cache_dir} could not be used "
            f"({result.cache_failed}): this scan went on without it, and the next one parses these "
            "files again; check that the folder is writable and its disk has room, or give --cache-dir "
            "another folder"
        )
    describe_aliases_read(result.aliases_read)
    describe_not_read(result.not_read)
    describe_unused_excludes(result.unused_excludes, args.exclude, options.config.source)
    describe_unresolved(result.unresolved)
    describe_source_folders(result.source_folders)
    if packs is not None:
        _say(packs)
        if packs.fetched:
            how = "updated the last run's index" if result.restored else "built the index again"
            note(f"started from the last published run's pack: parsed {plural(result.parsed, 'file')}, {how}")
    return result, info


@contextmanager
def stored_packs(
    args: argparse.Namespace, options: ScanOptions, store: Store | None, keep: bool
) -> Iterator[StoredPacks | None]:
    """The repo's packs in the store, fetched from now on; None without a store or without a cache.

    Fails before the work, not after it, when the repo name cannot be stored.
    """
    packs = None
    if store is not None:
        repo = repo_to_store(run_info(args, options.root).repo, bool(args.repo), DETECTED_REPO)
        asked_off = getattr(args, "no_store_cache", False)
        if options.cache_dir is not None and not asked_off:
            packs = StoredPacks(store, repo, keep)
        elif not asked_off:
            stored = " and none is stored (the next run parses every file)" if keep else ""
            note(f"--no-cache: the store's pack is not read{stored}; drop --no-cache to start from it")
    try:
        yield packs
    finally:
        if packs is not None:
            packs.close()


def _say(packs: StoredPacks) -> None:
    for line in packs.take_notes():
        note(line)


def scan_options(args: argparse.Namespace) -> ScanOptions:
    """The repo, its configuration with the command line's overrides, parallelism and cache."""
    root = args.path
    if not root.is_dir():
        raise UsageError(f"not a folder: {root}", "give the path of the repository to scan")
    config = load_config(root, args.config)
    describe_config(config)
    return ScanOptions(
        root=root,
        config=_with_flags(args, config),
        jobs=args.jobs,
        cache_dir=None if args.no_cache else usable_cache(args.cache_dir or root / DEFAULT_CACHE),
        use_git=not args.no_git,
    )


# Where a repo name comes from when --repo does not give it (`detect_run_info`).
DETECTED_REPO = "git's remote.origin.url, the CI's variables or the folder's name"


def run_info(args: argparse.Namespace, root: Path) -> RunInfo:
    """Git and CI facts, overridden by --repo, --commit and --branch."""
    info = detect_run_info(root)
    flags = {key: getattr(args, key) for key in ("repo", "commit", "branch") if getattr(args, key, None)}
    return replace(info, **flags)


def _with_flags(args: argparse.Namespace, config: Config) -> Config:
    changes: dict[str, Any] = {}
    if args.include:
        changes["include"] = (*config.include, *args.include)
    if args.exclude:
        changes["exclude"] = (*config.exclude, *args.exclude)
    if args.include_declarations:
        changes["include_declarations"] = True
    if args.no_default_excludes:
        changes["default_excludes"] = False
    if args.max_file_size is not None:
        size = parse_size(args.max_file_size)
        if size is None:
            raise UsageError(
                f"--max-file-size: not a size: {args.max_file_size!r}", "write e.g. 2MB or 500KB"
            )
        changes["max_file_size"] = size
    return replace(config, **changes)


def _run_shard(args: argparse.Namespace) -> int:
    number, count = parse_shard(args.shard)
    if args.publish or args.out == "-":
        raise UsageError(
            "--shard writes a partial report for merge", "give --out part-I.json, and publish after merge"
        )
    options = scan_options(args)
    with progress_display(args.progress) as progress:
        document, discovery = scan_shard(options, run_info(args, options.root), number, count, progress)
    describe_not_read(discovery.not_read)
    describe_unused_excludes(discovery.unused_excludes, args.exclude, options.config.source)
    write_text(args.out, json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n")
    note(f"shard {number}/{count}: {len(document['files'])} files written to {args.out}")
    return EXIT_OK
