"""Benchmark `depreport migrate` against jscodeshift running the equivalent transform: same files, same run.

    .venv/bin/python bench/migrate/run.py [--runs 3] [--update-readme]

The input is every file of the real-package corpus (bench/.corpus/full, built by bench/corpus.py) that
imports react or react-dom: the migration (rules.toml, transform.js) moves them to preact/compat. Each
tool gets a fresh copy of the same files for every run, with 2 worker processes, and writes its result.
Then both outputs are checked: files changed, imports of react left (depreport scan), files that parse
worse than before, and files on which the two tools agree import by import.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from codemods.js import error_count  # noqa: E402
from depreport.extract import extract_imports  # noqa: E402
from depreport.scan.languages import language_for, parser  # noqa: E402

CORPUS = ROOT / "bench" / ".corpus" / "full"
WORK = HERE / ".work"
RESULTS = HERE / ".results"
JSCODESHIFT = HERE / "node_modules" / "jscodeshift" / "bin" / "jscodeshift.js"
EXTENSIONS = "js,jsx,mjs,cjs,ts,tsx,mts,cts"
IMPORTS_REACT = re.compile(rb"""(?:\bfrom|\brequire\(|\bimport\(?)\s*['"`]react(?:-dom)?(?:/[^'"`]*)?['"`]""")
OLD = ("react", "react-dom")


@dataclass
class Run:
    """One tool's best run and what its output looks like."""

    tool: str
    seconds: float
    runs: list[float]
    changed: int = 0
    react_left: int = 0
    preact: int = 0
    worse: int = 0


def select_files() -> list[str]:
    """Corpus files (repo-relative) that import react or react-dom."""
    listed = (CORPUS.parent / "files.txt").read_text(encoding="utf-8").split()
    return [rel for rel in listed if IMPORTS_REACT.search((CORPUS / rel).read_bytes())]


def fresh_copy(files: list[str], target: Path) -> None:
    """A pristine copy of the files, read once so no tool pays for the first read from disk."""
    shutil.rmtree(target, ignore_errors=True)
    for rel in files:
        destination = target / rel
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(CORPUS / rel, destination)
        destination.read_bytes()


def timed(command: list[str], log: Path) -> float:
    """Wall-clock seconds of a command, from process start to exit; its output goes to `log`."""
    started = time.perf_counter()
    with log.open("wb") as out:
        done = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"{command[0]} exited with {done.returncode}; see {log}")
    return elapsed


def depreport_command(target: Path) -> list[str]:
    """depreport migrate with 2 workers, writing, on a folder outside git with nothing excluded."""
    return [sys.executable, "-m", "depreport", "migrate", str(HERE / "rules.toml"), str(target), "--write",
            "--allow-dirty", "--no-git", "--no-default-excludes", "--jobs", "2", "--progress", "never",
            "--format", "json"]  # fmt: skip


def jscodeshift_command(target: Path) -> list[str]:
    """jscodeshift with 2 workers (two-workers.js lifts its cap of CPUs - 1) and the equivalent transform."""
    return ["node", "-r", str(HERE / "two-workers.js"), str(JSCODESHIFT), "-t", str(HERE / "transform.js"),
            "--cpus=2", "--no-babel", f"--extensions={EXTENSIONS}", "--fail-on-error=false",
            str(target)]  # fmt: skip


def interleaved(runs: int, files: list[str]) -> list[Run]:
    """Every round runs each tool once on a fresh copy, one after the other, so that a busy moment of
    the machine does not favour one tool; the best round of each counts."""
    commands = {"depreport": depreport_command, "jscodeshift": jscodeshift_command}
    times: dict[str, list[float]] = {name: [] for name in commands}
    for attempt in range(runs):
        for name, command in commands.items():
            fresh_copy(files, WORK / name)
            times[name].append(timed(command(WORK / name), RESULTS / f"{name}-{attempt}.log"))
    return [Run(name, min(seconds), seconds) for name, seconds in times.items()]


def inspect(run: Run, files: list[str], target: Path) -> dict[str, Counter[tuple[str, str, str | None]]]:
    """Fill in what the output looks like; returns each file's import records."""
    records: dict[str, Counter[tuple[str, str, str | None]]] = {}
    for rel in files:
        before, after = (CORPUS / rel).read_bytes(), (target / rel).read_bytes()
        language = language_for(rel) or "javascript"
        found = extract_imports(after, language).imports
        records[rel] = Counter((r.specifier, r.export, r.local) for r in found)
        run.react_left += sum(1 for r in found if r.specifier.split("/")[0] in OLD)
        run.preact += sum(1 for r in found if r.specifier.startswith("preact"))
        if before != after:
            run.changed += 1
            old, new = parser(language).parse(before), parser(language).parse(after)
            run.worse += error_count(new.root_node) > error_count(old.root_node)
    return records


def versions() -> dict[str, str]:
    """Tool and machine versions for the README."""
    package = json.loads((HERE / "node_modules" / "jscodeshift" / "package.json").read_text())
    from depreport import __version__

    node = subprocess.run(["node", "--version"], capture_output=True, text=True, check=False).stdout.strip()
    return {
        "depreport": __version__, "jscodeshift": package["version"], "node": node,
        "python": platform.python_version(), "cpus": str(len(os.sched_getaffinity(0))),
        "machine": f"{platform.machine()} {_cpu_model()}",
    }  # fmt: skip


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


def table(runs: list[Run], files: int, agree: int, info: dict[str, str]) -> str:
    """The results as Markdown."""
    date = datetime.date.today().isoformat()
    lines = [
        f"Measured {date} on {info['machine']}, {info['cpus']} cores; Python {info['python']}, "
        f"node {info['node']}; depreport {info['depreport']}, jscodeshift {info['jscodeshift']}.",
        "",
        "| tool | files | best wall (s) | all runs (s) | files/s | files changed | react imports left | "
        "preact imports | files parsing worse |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for run in runs:
        every = ", ".join(f"{t:.1f}" for t in run.runs)
        lines.append(f"| {run.tool} | {files:,} | {run.seconds:.1f} | {every} | {files / run.seconds:,.0f} | "
                     f"{run.changed:,} | {run.react_left:,} | {run.preact:,} | {run.worse:,} |")  # fmt: skip
    ratio = runs[1].seconds / runs[0].seconds
    typical = statistics.median(runs[1].runs) / statistics.median(runs[0].runs)
    lines += ["", f"**depreport is {ratio:.1f} times faster** than jscodeshift on the same {files:,} files "
              f"(best run against best run; {typical:.1f} times, median against median).",
              f"The two outputs have the same import records (specifier, export, local) in {agree:,} of "
              f"{files:,} files."]  # fmt: skip
    return "\n".join(lines) + "\n"


def main() -> None:
    """Select, run both tools, inspect, print (and optionally store) the table."""
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--runs", type=int, default=3, help="rounds (each tool once); the best counts")
    options.add_argument("--limit", type=int, default=0, help="only the first N files (for a quick try)")
    options.add_argument("--update-readme", action="store_true", help="rewrite the results in README.md")
    args = options.parse_args()
    if not CORPUS.is_dir() or not JSCODESHIFT.is_file():
        raise SystemExit("needs bench/.corpus/full (python bench/corpus.py) and `npm ci` in bench/migrate")
    RESULTS.mkdir(exist_ok=True)
    files = select_files()[: args.limit or None]
    print(f"{len(files):,} files import react or react-dom", file=sys.stderr)
    ours, theirs = interleaved(args.runs, files)
    mine, other = inspect(ours, files, WORK / "depreport"), inspect(theirs, files, WORK / "jscodeshift")
    agree = sum(1 for rel in files if mine[rel] == other[rel])
    text = table([ours, theirs], len(files), agree, versions())
    (RESULTS / "results.md").write_text(text, encoding="utf-8")
    print(text)
    if args.update_readme:
        readme = HERE / "README.md"
        start, end = "<!-- results -->\n", "<!-- /results -->"
        body = readme.read_text(encoding="utf-8")
        head, _, rest = body.partition(start)
        readme.write_text(head + start + text + end + rest.partition(end)[2], encoding="utf-8")


if __name__ == "__main__":
    main()
