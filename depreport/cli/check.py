"""`depreport check`: the ratchet. Fails when usage that is meant to shrink grew since the baseline."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from depreport.cli.output import file_to_write, note, write_text
from depreport.cli.reports import note_skipped
from depreport.cli.scan import add_scan_options, add_store_cache_option, run_scan, scan_options, stored_packs
from depreport.errors import EXIT_FINDINGS, EXIT_OK, UsageError
from depreport.history.baseline import (
    REGENERATE_HINT,
    BaselineError,
    baseline_by_version,
    baseline_json,
    parse_baseline,
    parse_baseline_instances,
)
from depreport.history.ratchet import Tracked, Verdict, compare, tracked_instances, tracked_usage
from depreport.report.render.check import CHECK_FORMATS, render_verdict
from depreport.report.shape import Report
from depreport.report.walk import file_versions
from depreport.scan.walk import read_named
from depreport.store import Store, latest_readable, open_store, stored_report, validate_repo


def add_parser(commands: Any) -> None:
    """Register the command."""
    parser = commands.add_parser("check", help="fail when usage that must shrink grew (a ratchet for CI)")
    add_scan_options(parser)
    add_store_cache_option(parser)
    parser.add_argument("--baseline", type=file_to_write, help="baseline file, e.g. depreport-baseline.json")
    parser.add_argument("--store", help="compare with the latest report of --repo in this store instead")
    parser.add_argument(
        "--format", choices=CHECK_FORMATS, default="text", help="text (default); github: annotations"
    )
    parser.add_argument(
        "--update-baseline",
        action="store_true",
        help="write the baseline file when nothing grew (or create it)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Scan, compare with the baseline, report, and tighten the baseline when asked."""
    if (args.baseline is None) == (args.store is None):
        raise UsageError("check needs one baseline", "give --baseline FILE or --store URI (with --repo)")
    options = scan_options(args)
    config = options.config
    if not config.groups.groups and not config.deprecated.packages + config.deprecated.exports:
        raise UsageError(
            "nothing to check: no adoption groups and nothing deprecated in the configuration",
            "add [[groups]] (one with target = true) or [deprecated] to depreport.toml",
        )
    store = open_store(args.store, args.endpoint_url) if args.store is not None else None
    with stored_packs(args, options, store, keep=False) as packs:  # starts from the store's last pack
        result, info = run_scan(args, options=options, packs=packs)
    report = result.report
    by_version = config.groups.versioned and file_versions(report) is not None
    current = tracked_usage(report, config.groups, config.deprecated)
    instances = tracked_instances(report, config.groups, config.deprecated)
    found = _baseline(args, config, info.repo, store)
    if found is None:  # first run with --update-baseline: the current usage becomes the baseline
        write_text(str(args.baseline), baseline_json(current, instances, by_version))
        note(f"created {args.baseline} with {len(current)} tracked exports")
        return EXIT_OK
    baseline, baseline_instances, baseline_by_version = found
    upgrade = by_version and not baseline_by_version
    if upgrade:  # compare like with like: both sides read without versions, as the baseline was made
        note(_WITHOUT_VERSIONS[args.baseline is None])
        versioned = baseline_json(current, instances, by_version)
        current = tracked_usage(report, config.groups, config.deprecated, by_version=False)
        instances = tracked_instances(report, config.groups, config.deprecated, by_version=False)
    verdict = _verdict(compare(baseline, current, report), instances, baseline_instances, report)
    write_text("-", render_verdict(verdict, args.format))
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary and args.format != "markdown":
        _append_step_summary(summary, render_verdict(verdict, "markdown"))
    changed = baseline_json(current, instances) != baseline_json(baseline, baseline_instances)
    if verdict.passed and args.update_baseline and args.baseline is not None and upgrade:
        write_text(str(args.baseline), versioned)
        note(f"updated {args.baseline}: the imports of groups of a version range are tracked from now on")
    elif verdict.passed and args.update_baseline and args.baseline is not None and changed:
        write_text(str(args.baseline), baseline_json(current, instances, by_version))
        note(f"updated {args.baseline}: {verdict.before:,} → {verdict.after:,} tracked imports")
    return EXIT_OK if verdict.passed else EXIT_FINDINGS


_WITHOUT_VERSIONS = {
    False: "the baseline was made before depreport placed imports in groups of a version range by the "
    "version each file imports: those groups' imports are not checked this time; run check "
    "--update-baseline on the main branch to track them",
    True: "the stored report was made before depreport recorded the version each file imports: the "
    "imports of groups of a version range are not checked this time; publish a scan (scan --publish) "
    "to track them",
}


def _append_step_summary(path: str, text: str) -> None:
    """Add the verdict to GitHub's job summary; a summary file that cannot be written is a warning."""
    try:
        with open(path, "a", encoding="utf-8", errors="backslashreplace") as file:
            file.write(text)
    except OSError as error:
        note(
            f"warning: cannot add the verdict to GITHUB_STEP_SUMMARY ({error.strerror or error}: {path}); "
            "the verdict above stands"
        )


def _verdict(
    imports: Verdict, instances: Tracked | None, baseline: Tracked | None, report: Report
) -> Verdict:
    """The imports' verdict, with the components whose JSX instances grew (when both sides count them)."""
    if instances is None:
        return imports
    if baseline is None:
        note(
            "the baseline has no instance counts (made before depreport counted JSX instances): instances "
            "are not checked this time; check --update-baseline on the main branch (or publish a new "
            "report) to track them"
        )
        return imports
    grown = compare(baseline, instances, report, unit="instances")
    note(f"{grown.tracked:,} tracked components: {grown.before:,} → {grown.after:,} instances")
    return Verdict(imports.growths + grown.growths, imports.tracked, imports.before, imports.after)


# tracked imports, tracked instances (None: not counted), imports placed in groups by their version
Baseline = tuple[Tracked, Tracked | None, bool]


def _baseline(
    args: argparse.Namespace, config: Any, repo: str | None, store: Store | None
) -> Baseline | None:
    if store is not None:
        found, skipped = latest_readable(store, validate_repo(repo), stored_report)
        note_skipped(skipped)
        if found is None:
            raise UsageError(
                f"{args.store} has no readable report of {repo} to compare with",
                "publish one with scan --publish",
            )
        stored = found[1]
        return (
            tracked_usage(stored, config.groups, config.deprecated),
            tracked_instances(stored, config.groups, config.deprecated),
            file_versions(stored) is not None,
        )
    path: Path = args.baseline
    if not path.exists():
        if args.update_baseline:
            return None
        raise UsageError(f"baseline {path} does not exist", "create it with check --update-baseline")
    try:
        text = read_named(path).decode("utf-8")
    except OSError as error:
        raise BaselineError(
            f"cannot read baseline {path}: {error.strerror}", "give a baseline file"
        ) from error
    except UnicodeDecodeError as error:
        raise BaselineError(f"cannot read baseline {path}: not UTF-8 text", REGENERATE_HINT) from error
    tracked = parse_baseline(text, str(path))
    return (
        {key: {**value, "why": ""} for key, value in tracked.items()},
        parse_baseline_instances(text, str(path)),
        baseline_by_version(text, str(path)),
    )
