"""The measured steps of the organisation-scale path, each timed on its own.

Commands run as a CI job or an operator would run them: `python -m depreport ...` (what the `depreport`
script runs), a new process each time, output discarded, the depreport of $PYTHONPATH (bench/scale/run.py
points it at the checkout measured). The dashboard's reads run in bench/scale/dashboard_reads.py the
same way; DuckDB runs in this process, imported before the clock starts.

Each timing has the wall clock and the CPU seconds (user + system) of every process the step ran: on
a machine shared with other work, CPU seconds move less than the wall clock. The S3 server's CPU is not
in them (it runs on the same cores).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from stores import Footprint, Target, folder_footprint

from bench.tools import Run, children_cpu

DEPREPORT = [sys.executable, "-m", "depreport"]
DASHBOARD_READS = str(Path(__file__).resolve().with_name("dashboard_reads.py"))
WEEKS = 26
JOBS = 2
ONCE_OVER = 20.0  # seconds: a step whose first run takes longer is not repeated
NO_STORE_CACHE = "--no-store-cache"  # scan flag of the checkouts whose scans start from a pack in the store
_IMPORT_ROWS = re.compile(r"([\d,]+) import rows")

SHARE_PER_WEEK = """
    SELECT week, sum(imports) FILTER (WHERE target) / sum(imports) AS target_share,
           count(DISTINCT repo) AS repos
    FROM read_parquet('{root}/adoption/*/*/*.parquet', hive_partitioning = true)
    GROUP BY week ORDER BY week
"""
TARGET_IMPORTS_PER_WEEK = """
    SELECT week, count(*) AS import_lines, count(DISTINCT repo || ':' || file) AS files
    FROM read_parquet('{root}/imports/*/*/*.parquet', hive_partitioning = true)
    WHERE package = 'evergreen-ui'
    GROUP BY week ORDER BY week
"""


@dataclass(frozen=True)
class Dataset:
    """What `depreport export` wrote."""

    folder: Path
    footprint: Footprint
    import_rows: int


def run(command: list[str]) -> tuple[Run, str]:
    """How long a command took, and what it wrote to stderr; fails loudly when the command fails."""
    before, started = children_cpu(), time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
    timing = Run(time.perf_counter() - started, children_cpu() - before)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}:\n{done.stderr[-3000:]}")
    return timing, done.stderr


def repeat(measure: Callable[[], Run], runs: int) -> list[Run]:
    """Up to `runs` timings of `measure`; only one when the first took over ONCE_OVER seconds."""
    times = [measure()]
    while len(times) < runs and times[0].wall <= ONCE_OVER:
        times.append(measure())
    return times


def median(times: list[Run]) -> Run:
    """The run with the median wall time (the lower middle one of an even number)."""
    return sorted(times, key=lambda timing: timing.wall)[(len(times) - 1) // 2]


def backfill(make: Callable[[], Target], repos: Path, work: Path, runs: int) -> tuple[list[Run], Target]:
    """`depreport backfill --repos` into a fresh store (and extraction cache) each run; the last store."""
    made: list[Target] = []

    def once() -> Run:
        made.append(make())
        cache = work / "cache"
        shutil.rmtree(cache, ignore_errors=True)
        command = [*DEPREPORT, "backfill", "--repos", str(repos), "--weeks", str(WEEKS), "--jobs", str(JOBS),
                   "--publish", made[-1].uri, *made[-1].flags, "--cache-dir", str(cache),
                   "--workdir", str(work / "clones")]  # fmt: skip
        return run(command)[0]

    return repeat(once, runs), made[-1]


def adoption(target: Target, runs: int) -> list[Run]:
    """`depreport adoption --store` over every repo (summed), all 26 weeks."""
    command = [*DEPREPORT, "adoption", "--store", target.uri, *target.flags, "--weeks", str(WEEKS)]
    return repeat(lambda: run(command)[0], runs)


def export(target: Target, out: Path, runs: int) -> tuple[list[Run], Dataset]:
    """`depreport export --format parquet` into an emptied local folder each run."""
    rows: list[int] = []

    def once() -> Run:
        shutil.rmtree(out, ignore_errors=True)
        command = [*DEPREPORT, "export", "--store", target.uri, *target.flags, "--format", "parquet",
                   "--out", str(out)]  # fmt: skip
        timing, note = run(command)
        found = _IMPORT_ROWS.search(note)
        rows.append(int(found.group(1).replace(",", "")) if found else -1)
        return timing

    times = repeat(once, runs)
    return times, Dataset(out, folder_footprint(out), rows[-1])


def sql(dataset: Path, query: str, runs: int) -> tuple[list[Run], list[tuple[object, ...]]]:
    """A DuckDB query over the exported dataset (a new in-memory connection each run)."""
    import duckdb

    text = query.format(root=dataset.as_posix())
    found: list[list[tuple[object, ...]]] = []

    def once() -> Run:
        started, cpu = time.perf_counter(), time.process_time()
        with duckdb.connect() as connection:
            found.append(connection.execute(text).fetchall())
        return Run(time.perf_counter() - started, time.process_time() - cpu)

    return repeat(once, runs), found[-1]


def dashboard_reads(target: Target, runs: int, expected_runs: int) -> dict[str, list[Run]]:
    """The dashboard's uncached reads of the whole store (see dashboard_reads.py), per part."""
    command = [sys.executable, DASHBOARD_READS, target.uri, *target.flags, "--runs", str(runs),
               "--once-over", str(ONCE_OVER), "--expect-runs", str(expected_runs)]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"dashboard reads of {target.uri} failed:\n{done.stderr[-3000:]}")
    parts: dict[str, list[list[float]]] = json.loads(done.stdout)
    return {part: [Run(wall, cpu) for wall, cpu in runs] for part, runs in parts.items()}


def ci_scan(target: Target, repo: Path, name: str, cache: Path, runs: int) -> dict[str, list[Run]]:
    """One repo's CI job, `depreport scan REPO --publish STORE`, from cold to warm.

    cold: empty extraction cache and (where scans can start from the last run's pack in the store)
    `--no-store-cache`; pack: empty cache, starting from the pack (a fresh CI runner); warm: the cache of
    the previous run, nothing changed.
    """
    command = [*DEPREPORT, "scan", str(repo), "--publish", target.uri, *target.flags, "--repo", name,
               "--jobs", str(JOBS), "--cache-dir", str(cache), "--progress", "never"]  # fmt: skip
    usage = subprocess.run([*DEPREPORT, "scan", "--help"], capture_output=True, text=True).stdout
    packs = NO_STORE_CACHE in usage  # this checkout's scans start from the store's last pack

    def emptied(flags: list[str]) -> Run:
        shutil.rmtree(cache, ignore_errors=True)
        return run(command + flags)[0]

    found = {"cold": repeat(lambda: emptied([NO_STORE_CACHE] if packs else []), runs)}
    if packs:
        run(command)  # publishes a run with its pack
        found["pack"] = repeat(lambda: emptied([]), runs)
    found["warm"] = repeat(lambda: run(command)[0], runs)
    return found
