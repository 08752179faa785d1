"""Benchmark depreport against its peers on one corpus, in one run, and check its records.

    python bench/run.py [--runs 3] [--source CHECKOUT] [--update-readme]

Builds the corpus if it is missing (bench/corpus.py), installs the pinned peers if they are missing
(bench/peers/package.json into bench/.peers), then times on the same files:
  * full corpus: depreport cold and warm, ast-grep, and the @babel/parser reference extractor;
  * seeded sample: the same, plus dependency-report and react-scanner (too slow for the full corpus).
Then compares depreport's records with the reference's (bench/compare.py), reads depreport's totals,
and writes a markdown table to bench/.results/results.md (and into bench/README.md with --update-readme).
--source measures the depreport of another checkout (e.g. a clean clone at one commit) on this harness.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import compare
import corpus
import report
import tools
from report import Outcome, Row
from tools import Timing

RESULTS = tools.BENCH / ".results"


@dataclass(frozen=True)
class Settings:
    """How to measure: runs per fast tool, and the checkout whose depreport is measured."""

    runs: int
    source: Path


def warm_page_cache(root: Path, files: tuple[str, ...]) -> None:
    """Read every file once, so that no tool pays for the first read from disk."""
    for rel in files:
        (root / rel).read_bytes()


# depreport's two outputs: the report (what `scan` is for) and every record (for the correctness check).
FORMATS = {"json": "report (--format json)", "jsonl": "records (--format jsonl)"}
LABELS = {
    **{f"depreport-{state}-{fmt}": f"depreport scan, {what}, 2 jobs, {how}"
       for fmt, what in FORMATS.items()
       for state, how in (("cold", "cold (empty cache)"), ("warm", "warm (nothing changed)"))},
    "ast-grep": "ast-grep scan (import rules), 2 threads",
}  # fmt: skip


def measure_rounds(name: str, target: Path, settings: Settings) -> dict[str, list[tools.Run]]:
    """Rounds of: for each output format a cold run (fresh cache) then a warm run; then ast-grep.

    Taking turns spreads any load from other work on the machine over all the tools alike.
    """
    found: dict[str, list[tools.Run]] = defaultdict(list)
    cache, log = RESULTS / f"cache-{name}", RESULTS / f"depreport-{name}.log"
    for _ in range(settings.runs):
        for fmt in FORMATS:
            shutil.rmtree(cache, ignore_errors=True)
            out = RESULTS / f"depreport-{name}.{fmt}"
            command = tools.depreport_command(target, out, cache, fmt, settings.source)
            found[f"depreport-cold-{fmt}"].append(tools.run_command(command, log))
            found[f"depreport-warm-{fmt}"].append(tools.run_command(command, log))
        command = tools.ast_grep_command(target, RESULTS / f"ast-grep-{name}.jsonl")
        found["ast-grep"].append(tools.run_command(command, RESULTS / "ast-grep.log"))
    shutil.rmtree(cache, ignore_errors=True)
    return found


def bench_fast_tools(name: str, target: Path, files: int, settings: Settings) -> list[Row]:
    """Rows for depreport (cold and warm, both formats) and ast-grep, best of `settings.runs` each."""
    found = measure_rounds(name, target, settings)
    records = f"{tools.count_lines(RESULTS / f'depreport-{name}.jsonl'):,} records"
    matches = f"{tools.count_lines(RESULTS / f'ast-grep-{name}.jsonl'):,} matches"
    notes = {"depreport-cold-jsonl": records, "depreport-warm-jsonl": records, "ast-grep": matches}
    return [
        Row(name, key, LABELS[key], files, Timing(tuple(runs)), notes.get(key, ""))
        for key, runs in found.items()
    ]


def bench_reference(name: str, target: Path, file_list: Path, files: int) -> tuple[Row, Path]:
    """The @babel/parser reference extractor, once (it makes the records for the correctness check)."""
    out = RESULTS / f"reference-{name}.jsonl"
    command = tools.reference_command(target, file_list, out)
    timing = Timing((tools.run_command(command, RESULTS / "reference.log"),))
    records = tools.count_lines(out, '"kind"')
    note = f"{records:,} records; correctness reference, 1 process"
    return Row(name, "reference", "@babel/parser reference extractor", files, timing, note), out


def bench_slow_peers(built: corpus.Corpus, reference_out: Path) -> list[Row]:
    """dependency-report and react-scanner on the sample, once each."""
    sample = set(built.sample)
    excluded = tools.files_aborting_dependency_report(reference_out, sample)
    out, log = RESULTS / "dependency-report-sample.json", RESULTS / "dependency-report.log"
    command = tools.dependency_report_command(built.sample_dir, excluded, out)
    timing = Timing((tools.run_command(command, log),))
    failed = tools.count_lines(log, "AST Runner failed")
    note = f"{len(excluded)} files left out (they abort its run); {failed} failed to parse"
    rows = [
        Row(
            "sample",
            "dependency-report",
            "dependency-report --parser typescript",
            len(sample) - len(excluded),
            timing,
            note,
        )
    ]
    out, log = RESULTS / "react-scanner-sample.json", RESULTS / "react-scanner.log"
    timing = Timing((tools.run_command(tools.react_scanner_command(built.sample_dir, out), log),))
    failed = tools.count_lines(log, "Failed to parse")
    rows.append(
        Row("sample", "react-scanner", "react-scanner", len(sample), timing, f"{failed} failed to parse")
    )
    return rows


def read_totals(report_json: Path) -> tuple[dict[str, int], list[str]]:
    """depreport's totals and syntax-error files, from its JSON report."""
    data = json.loads(report_json.read_text("utf-8"))
    errors = sorted(compare.syntax_error_files(report_json))
    return {k: int(v) for k, v in data["totals"].items()}, errors


def bench_corpus(name: str, built: corpus.Corpus, settings: Settings, outcome: Outcome) -> Path:
    """Time depreport, ast-grep and the reference on one corpus folder; return the reference's records."""
    target = built.full if name == "full" else built.sample_dir
    files = built.files if name == "full" else built.sample
    file_list = built.root / ("files.txt" if name == "full" else "sample.txt")
    outcome.rows.extend(bench_fast_tools(name, target, len(files), settings))
    reference_row, reference_out = bench_reference(name, target, file_list, len(files))
    outcome.rows.append(reference_row)
    if name == "full":
        outcome.totals, outcome.syntax_error_files = read_totals(RESULTS / "depreport-full.json")
        records = compare.load_records(RESULTS / "depreport-full.jsonl")
        ours, theirs = records, compare.load_records(reference_out)
        errors = set(outcome.syntax_error_files)
        outcome.comparison = compare.compare(ours, theirs, errors, target)
    return reference_out


def run(settings: Settings) -> tuple[Outcome, corpus.Corpus]:
    """The whole benchmark."""
    built = corpus.build_corpus(corpus.load_spec())
    tools.install_peers()
    tools.as_installed(settings.source)  # depreport's bytecode compiled before timing, as pip leaves it
    RESULTS.mkdir(exist_ok=True)
    warm_page_cache(built.full, built.files)
    outcome = Outcome(meta=report.machine_facts(built, settings.source))
    load_before = os.getloadavg()[0]
    bench_corpus("full", built, settings, outcome)
    reference_sample = bench_corpus("sample", built, settings, outcome)
    outcome.rows.extend(bench_slow_peers(built, reference_sample))
    outcome.meta["load"] = f"{load_before:.1f} before the run, {os.getloadavg()[0]:.1f} after (1 min)"
    return outcome, built


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the table and the correctness details, write the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per fast tool; the best counts (default 3)")
    parser.add_argument(
        "--source",
        type=Path,
        default=tools.REPO,
        help="checkout whose depreport is measured (default: this one)",
    )
    parser.add_argument("--update-readme", action="store_true", help="put the table into bench/README.md")
    args = parser.parse_args(argv)
    outcome, _ = run(Settings(args.runs, args.source.resolve()))
    markdown = report.render(outcome)
    (RESULTS / "results.md").write_text(markdown, "utf-8")
    print(markdown)
    if outcome.comparison is not None:
        print(compare.format_comparison(outcome.comparison))
    if args.update_readme:
        report.update_readme(tools.BENCH / "README.md", markdown)
    print(f"\nwritten: {RESULTS / 'results.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
