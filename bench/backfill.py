"""Benchmark: a 52-week backfill against one cold scan of the same ~5,000-file repository.

Builds a git repository from real files of the benchmark corpus (bench/.corpus/full, see
bench/README.md), with one commit per week that rewrites ~1% of the files, then times
`depreport scan` (cold, no cache) and `depreport backfill --weeks 52` (fresh cache, publishing every
week to a store) on it, in wall time and in CPU time (user + sys of the command and its workers: what
other work on a shared machine inflates least).
`--repo CLONE` times a real history instead (e.g. saleor-dashboard, see bench/real-history);
`--profile` then also runs the backfill under cProfile in one process and prints where its time goes.

    python bench/backfill.py [--files 5000] [--weeks 52]
    python bench/backfill.py --repo /tmp/saleor-dashboard --config bench/real-history/groups-a.toml --profile
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import os
import pstats
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

from bench import tools  # noqa: E402

CORPUS = BENCH / ".corpus" / "full"
INSTALLED_ENV = {**os.environ, **tools.INSTALLED}
SOURCE_SUFFIXES = (".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx")


def build_repo(dest: Path, count: int, weeks: int) -> None:
    """A git repo of `count` corpus files and `weeks` weekly commits, each touching ~1% of them."""
    rng = random.Random(42)
    files = sorted(p for p in CORPUS.rglob("*") if p.suffix in SOURCE_SUFFIXES and p.stat().st_size < 200_000)
    chosen = rng.sample(files, count)
    for index, source in enumerate(chosen):
        target = dest / "src" / f"m{index // 100:03d}" / f"f{index:05d}{source.suffix}"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    _git(dest, "init", "-q", "-b", "main")
    start = datetime(2025, 1, 8, 10, tzinfo=UTC)
    paths = sorted(p for p in (dest / "src").rglob("*") if p.is_file())
    for week in range(weeks):
        for path in rng.sample(paths, max(1, count // 100)) if week else []:
            with path.open("a", encoding="utf-8") as file:
                file.write(f"\nimport {{ w{week} }} from 'evergreen-ui';\n")
        _git(dest, "add", "-A")
        when = (start + timedelta(weeks=week)).strftime("%Y-%m-%dT%H:%M:%SZ")
        env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
        subprocess.run(["git", "-C", str(dest), "-c", "user.name=B", "-c", "user.email=b@e", "commit", "-qm",
                        f"week {week}"], env=env, check=True)  # fmt: skip


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True)


def timed(command: list[str]) -> tuple[float, float]:
    """Wall and CPU time (user + sys, with its child processes) of a command (output discarded)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=INSTALLED_ENV)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


# (file suffix, function): the phases of a backfill, as cumulative time in a profile
PHASES = [
    ("depreport/cli/backfill.py", "run", "the whole command"),
    ("depreport/history/backfill.py", "prefetch", "parse every content of every week, once"),
    ("depreport/extract/tolerant.py", "parse", "  tree-sitter parse"),
    ("depreport/extract/jsx.py", "find_uses", "  component usage in the trees"),
    ("depreport/scan/gitobjects.py", "read", "  blobs read from git"),
    ("depreport/history/backfill.py", "advance", "move the index to each week"),
    ("depreport/history/backfill.py", "_update", "  files re-read from the cache and re-resolved"),
    ("depreport/scan/cache.py", "get", "    extractions read from the cache"),
    ("depreport/resolve/entries.py", "file_entry", "    imports and uses resolved"),
    ("depreport/tally/index.py", "set_file", "    entries applied to the index"),
    ("depreport/tally/body.py", "parts", "  the week's report body"),
    ("depreport/tally/usage.py", "to_json", "    its usage section"),
    ("depreport/history/adoption.py", "adoption_of", "    its adoption section"),
    ("depreport/history/publish.py", "publish", "publish each week"),
    ("depreport/report/schema/validate.py", "check_report", "  the report checked against the schema"),
]


def profile(repo: Path, weeks: int, work: Path, config: list[str]) -> str:
    """Backfill in this process (one worker) under cProfile; a table of the phases' cumulative times."""
    from depreport.cli import main as depreport_main

    args = ["backfill", str(repo), "--weeks", str(weeks), "--jobs", "1", "--publish", str(work / "store"),
            "--cache-dir", str(work / "profile-cache"), "--repo", "bench/repo", "--progress", "never",
            *config]  # fmt: skip
    profiler = cProfile.Profile()
    with open(os.devnull, "w", encoding="utf-8") as quiet, contextlib.redirect_stdout(quiet):
        profiler.runcall(depreport_main, args)
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    rows = ["| phase | calls | seconds |", "|---|---:|---:|"]
    for suffix, function, label in PHASES:
        found = [(v[1], v[3]) for k, v in stats.items() if k[0].endswith(suffix) and k[2] == function]
        calls, seconds = max(found, key=lambda f: f[1], default=(0, 0.0))
        rows.append(f"| {label.strip()} ({function}) | {calls:,} | {seconds:.1f} |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--repo", type=Path, help="a clone with real history, instead of a generated one")
    parser.add_argument("--config", type=Path, help="depreport config for --repo")
    parser.add_argument("--profile", action="store_true", help="also profile the backfill, phase by phase")
    args = parser.parse_args()
    depreport = [sys.executable, "-m", "depreport"]
    tools.as_installed()  # bytecode compiled before timing, as pip leaves depreport
    config = ["--config", str(args.config.resolve())] if args.config else []
    with tempfile.TemporaryDirectory() as temp:
        repo, work = Path(temp) / "repo", Path(temp)
        if args.repo:
            repo = args.repo.resolve()
        else:
            build_repo(repo, args.files, args.weeks)
        scan = [
            *depreport,
            "scan",
            str(repo),
            "--no-cache",
            "--format",
            "json",
            "--out",
            str(work / "r.json"),
            *config,
        ]
        load = os.getloadavg()
        cold = min(timed([*scan, "--no-store-cache", "--progress", "never"]) for _ in range(2))
        backfill = timed(
            [*depreport, "backfill", str(repo), "--weeks", str(args.weeks), "--publish", str(work / "weeks"),
             "--cache-dir", str(work / "cache"), "--repo", "bench/repo", "--progress", "never", *config]
        )  # fmt: skip
        table = profile(repo, args.weeks, work, config) if args.profile else ""
    print("| files | weeks | cold scan (best of 2): wall / CPU | backfill: wall / CPU | ratio: wall / CPU |")
    print("|---:|---:|---:|---:|---:|")
    files = "real" if args.repo else f"{args.files:,}"
    ratios = f"{backfill[0] / cold[0]:.2f}x / {backfill[1] / cold[1]:.2f}x"
    print(f"| {files} | {args.weeks} | {cold[0]:.1f} s / {cold[1]:.1f} s | {backfill[0]:.1f} s / "
          f"{backfill[1]:.1f} s | {ratios} |")  # fmt: skip
    shown = lambda loads: " / ".join(f"{x:.1f}" for x in loads)  # noqa: E731
    print(f"\nload {shown(load)} (1/5/15 min) at the start, {shown(os.getloadavg())} at the end")
    if table:
        print(
            f"\nbackfill under cProfile, one process (profiling slows Python code more than C code):\n{table}"
        )


if __name__ == "__main__":
    main()
