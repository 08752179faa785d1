"""`depreport migrate`: rewrite imports across a code base from declarative TOML rules.

A dry run prints a unified diff; `--write` applies it, `--check` only says whether anything would change.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from codemods.files import NOT_REWRITTEN, collect_tasks, dirty_files
from codemods.rulefile import load_rules
from codemods.rules import JS, RuleSet
from codemods.runner import Failure, FileOutcome, Outcome, RunOptions, run_migration
from depreport.cli.findings import describe_unused_excludes
from depreport.cli.output import add_jobs_option, note
from depreport.cli.progressbar import add_progress_option, progress_display
from depreport.errors import EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK, UsageError
from depreport.model import Problem
from depreport.report.render.words import plural
from depreport.scan.discover import DiscoverOptions

_SHOWN = 20  # site notes and problems listed on stderr; --format json lists them all


def add_parser(commands: Any) -> None:
    """Register the command."""
    parser = commands.add_parser("migrate", help="rewrite imports from TOML rules (a dry run shows a diff)")
    parser.add_argument("rules", type=Path, help="rules file (TOML)")
    parser.add_argument("paths", nargs="*", type=Path, help="files or folders (default: .)")
    parser.add_argument("--write", action="store_true", help="apply the changes")
    parser.add_argument("--diff", action="store_true", help="print the diff (the default of a dry run)")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file would change")
    add_jobs_option(parser)
    parser.add_argument("--allow-dirty", action="store_true", help="--write even with uncommitted changes")
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="how to report outcomes (default text)"
    )
    parser.add_argument("--include", action="append", default=[], metavar="GLOB", help="only these files")
    parser.add_argument("--exclude", action="append", default=[], metavar="GLOB", help="leave these out")
    parser.add_argument("--no-default-excludes", action="store_true", help="also build output and bundles")
    parser.add_argument("--no-git", action="store_true", help="walk folders even in a git work tree")
    add_progress_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Load the rules, migrate every file, print diffs and counts; the exit code says what happened."""
    if args.write and args.check:
        raise UsageError("--write and --check do not go together", "--check only reports; drop one")
    rules = load_rules(args.rules)
    paths = args.paths or [Path(".")]
    options = DiscoverOptions(
        tuple(args.include),
        tuple(args.exclude),
        include_declarations=True,  # hand-written .d.ts and .pyi files import types too
        default_excludes=not args.no_default_excludes,
        use_git=not args.no_git,
    )
    problems: list[Problem] = []
    collected = collect_tasks(paths, options, rules.languages(), problems, lambda s: _moved(rules, s))
    tasks = collected.tasks
    describe_unused_excludes(collected.unused_excludes, args.exclude, relative_to="each folder given")
    for problem in problems:  # files found but not migrated: links, FIFOs, names that are not UTF-8, .vue
        note(f"not migrated: {problem.path}: {problem.message}")
    if args.write and not args.allow_dirty:
        _refuse_dirty(paths)
    show_diff = args.diff or not (args.write or args.check)
    run_options = RunOptions(write=args.write, diff=show_diff, jobs=args.jobs)
    started = time.perf_counter()
    outcomes: list[FileOutcome] = []
    with progress_display(args.progress, "migrating") as progress:
        progress.start(len(tasks))
        try:
            outcomes.extend(run_migration(tasks, rules, run_options, progress.advance))
        except KeyboardInterrupt:
            if args.write:
                _say_interrupted(outcomes, len(tasks))
            raise
    outcomes.sort(key=lambda o: o.path)
    elapsed = time.perf_counter() - started
    unmatched = unmatched_rules(rules, outcomes)
    if args.format == "json":
        sys.stdout.write(_json(outcomes, elapsed, show_diff, unmatched, problems) + "\n")
    elif show_diff:
        sys.stdout.write("".join(o.diff for o in outcomes))
    _summary(outcomes, elapsed, args, len(problems))
    if unmatched:
        shown = ", ".join(unmatched[:_SHOWN])
        hidden = len(unmatched) - _SHOWN
        more = f" and {hidden:,} more (--format json lists them all)" if hidden > 0 else ""
        note(f"migrate: {plural(len(unmatched), 'rule')} matched no site: {shown}{more} "
             "(already migrated, or a typo in from?)")  # fmt: skip
    by_hand = any(problem.reason == NOT_REWRITTEN for problem in problems)  # still naming a moved module
    return _exit_code(outcomes, args.check, by_hand)


def _moved(rules: RuleSet, specifier: str) -> bool:
    """Does a JS rule move this module (not one that keeps it out of a pattern)?"""
    match = rules.match(specifier, JS)
    return match is not None and not match.rule.keeps


def _say_interrupted(outcomes: list[FileOutcome], files: int) -> None:
    """How far an interrupted --write got, and how to finish: the tree is dirty with its own changes now.

    A file being migrated when the signal came (one per worker) may be written without its outcome
    having come back: it is whole either way (written by rename), but it is not among those counted."""
    written = sum(o.outcome is Outcome.CHANGED for o in outcomes)
    done = f"{len(outcomes):,} of {plural(files, 'file')} ({written:,} written"
    note(f"migrate: interrupted after {done}, and perhaps the ones in progress then; every file is whole, "
         "migrated or as it was; git status lists them): run the same command with --allow-dirty "
         "to finish")  # fmt: skip


def _refuse_dirty(paths: list[Path]) -> None:
    dirty = dirty_files(paths)
    if dirty:
        shown = ", ".join(dirty[:5]) + (f" and {len(dirty) - 5} more" if len(dirty) > 5 else "")
        raise UsageError(
            f"uncommitted changes in {shown}",
            "commit or stash them first so the migration can be reviewed and undone, or pass --allow-dirty",
        )


def _counts(outcomes: list[FileOutcome]) -> dict[str, int]:
    counts = Counter(o.outcome for o in outcomes)
    return {outcome.value: counts.get(outcome, 0) for outcome in Outcome}


def unmatched_rules(rules: RuleSet, outcomes: list[FileOutcome]) -> list[str]:
    """The ids of the rules that matched no site in any file, in file order."""
    matched = {rule for outcome in outcomes for rule in outcome.rules}
    return [rule.id for rule in rules.rules if rule.id not in matched]


def _json(
    outcomes: list[FileOutcome], elapsed: float, diffs: bool, unmatched: list[str], problems: list[Problem]
) -> str:
    """The run as JSON: totals, each file not left unchanged, the rules that matched nothing, and the
    files found but not migrated (a link, a FIFO, a name that is not UTF-8, a .vue naming a moved module)."""
    listed = [o for o in outcomes if o.outcome is not Outcome.UNCHANGED]
    files = [{**o.to_json(), **({"diff": o.diff} if diffs and o.diff else {})} for o in listed]
    document = {
        "totals": {"files": len(outcomes), **_counts(outcomes)},
        "seconds": round(elapsed, 3),
        "unmatched_rules": unmatched,
        "not_migrated": [{"path": p.path, "reason": p.reason, "message": p.message} for p in problems],
    }
    return json.dumps({**document, "files": files}, indent=1, sort_keys=True)


def _summary(
    outcomes: list[FileOutcome], elapsed: float, args: argparse.Namespace, not_migrated: int
) -> None:
    counts = _counts(outcomes)
    text = ", ".join(f"{count:,} {name}" for name, count in counts.items())
    mode = "written" if args.write else "nothing written (dry run; --write applies)"
    if not_migrated:  # found, but never handed to a rule: each named above (`not migrated: ...`)
        mode += f"; {plural(not_migrated, 'file')} found but not migrated (named above)"
    note(f"migrate: {text} ({plural(len(outcomes), 'file')}, {elapsed:.1f} s); {mode}")
    if args.format == "json":
        return
    lines: list[str] = []
    for outcome in outcomes:
        if outcome.outcome in (Outcome.SKIPPED, Outcome.FAILED):
            lines.append(f"  {outcome.outcome.value} {outcome.path}: {outcome.detail}")
        lines.extend(f"    {outcome.path}:{n.line}: {n.message}" for n in outcome.notes)
    for line in lines[:_SHOWN]:
        print(line, file=sys.stderr)
    if len(lines) > _SHOWN:
        print(f"  ... {len(lines) - _SHOWN} more lines; --format json lists them all", file=sys.stderr)


def _exit_code(outcomes: list[FileOutcome], check: bool, by_hand: bool = False) -> int:
    """Internal error, findings or OK; `--check` finds a file that would change, or one migrate does not
    rewrite that names a moved module (`by_hand`): either way the migration is not done."""
    failed = [o for o in outcomes if o.outcome is Outcome.FAILED]
    if any(o.failure is Failure.INTERNAL for o in failed):
        return EXIT_INTERNAL
    if failed or (check and (by_hand or any(o.outcome is Outcome.CHANGED for o in outcomes))):
        return EXIT_FINDINGS
    return EXIT_OK
