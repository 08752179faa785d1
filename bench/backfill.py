"""Benchmark: a 52-week backfill against one cold scan of the same ~5,000-file repository.

Builds a git repository from real files of the benchmark corpus (bench/.corpus/full, see
bench/README.md), with one commit per week that rewrites ~1% of the files, then times
`depreport scan` (cold, no cache) and `depreport backfill --weeks 52` (fresh cache) on it.

    python bench/backfill.py [--files 5000] [--weeks 52]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / ".corpus" / "full"
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


def timed(command: list[str]) -> float:
    """Wall time of a command (output discarded)."""
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--weeks", type=int, default=52)
    args = parser.parse_args()
    depreport = [sys.executable, "-m", "depreport"]
    with tempfile.TemporaryDirectory() as temp:
        repo, work = Path(temp) / "repo", Path(temp)
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
        ]
        cold = min(timed([*scan, "--progress", "never"]) for _ in range(2))
        backfill = timed(
            [*depreport, "backfill", str(repo), "--weeks", str(args.weeks), "--out-dir", str(work / "weeks"),
             "--cache-dir", str(work / "cache"), "--repo", "bench/repo"]
        )  # fmt: skip
    print("| files | weeks | cold scan (best of 2) | backfill | backfill ÷ cold scan |")
    print("|---:|---:|---:|---:|---:|")
    print(f"| {args.files:,} | {args.weeks} | {cold:.1f} s | {backfill:.1f} s | {backfill / cold:.2f}x |")


if __name__ == "__main__":
    main()
