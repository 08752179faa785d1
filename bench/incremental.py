"""Benchmark: a CI job on a fresh clone, cold against starting from the last published run's pack.

The corpus (bench/.corpus/full, ~42,000 files, see bench/README.md) becomes a git repository with two
commits: the base, and one that changes 1% of the files. Every job is what CI does: `git clone` into
an empty folder, then `depreport scan --publish s3://…` with an empty cache, against a SeaweedFS S3
server on 127.0.0.1. Timed (wall, the scan command only, the clone excluded):

* cold: the changed commit scanned with `--no-store-cache` (nothing from the store);
* from the pack: the base commit was published first (it stores its pack); the changed commit's job
  fetches that pack, parses the changed files and updates the restored index, then publishes the
  report and its own pack. Download, decode, publish and upload are all inside the time.

Each job's CPU seconds (user + system, its workers included) and peak RSS are taken from the process's
resource usage as well. Both reports are checked equal. Two kinds of change: 1% of the files edited;
and 1% changed as 0.8% edited, 0.1% added, 0.1% deleted.

    python bench/incremental.py [--rounds 3] [--update-readme]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

from bench import corpus, tools  # noqa: E402
from bench.readme import load_average, show  # noqa: E402
from tests.s3server import WeedServer  # noqa: E402

WORK = BENCH / ".cache" / "incremental"
README = BENCH / "README.md"
BEGIN, END = "<!-- incremental:begin -->", "<!-- incremental:end -->"
SCAN_FLAGS = (
    "--format",
    "json",
    "--jobs",
    "2",
    "--no-default-excludes",
    "--progress",
    "never",
    "--repo",
    "bench/corpus",
)


@dataclass(frozen=True)
class Change:
    """How the second commit differs from the first."""

    name: str
    edited: float
    added: float
    deleted: float


CHANGES = (
    Change("1% of files edited", 0.01, 0.0, 0.0),
    Change("1% changed: 0.8% edited, 0.1% added, 0.1% deleted", 0.008, 0.001, 0.001),
)


def git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=B", "-c", "user.email=b@e", *args],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return done.stdout


def build_origin(source: Path, dest: Path, change: Change) -> tuple[str, str, int]:
    """A repo of the corpus with a base commit and a changed one; returns both commits and the file count."""
    shutil.copytree(source, dest, ignore=shutil.ignore_patterns("files.txt"))
    git(dest, "init", "-q", "-b", "main")
    git(dest, "config", "gc.auto", "0")  # a gc started in the background deletes objects a clone copies
    git(dest, "add", "-A")
    git(dest, "commit", "-qm", "base")
    base = git(dest, "rev-parse", "HEAD").strip()
    files = sorted(git(dest, "ls-files").splitlines())
    rng = random.Random(7)
    picked = rng.sample(files, round(len(files) * (change.edited + change.deleted)))
    deleted, edited = (
        picked[: round(len(files) * change.deleted)],
        picked[round(len(files) * change.deleted) :],
    )
    for path in edited:
        with (dest / path).open("a", encoding="utf-8") as file:
            file.write("\nimport { Changed } from 'evergreen-ui';\n")
    for path in deleted:
        (dest / path).unlink()
    for index, path in enumerate(rng.sample(files, round(len(files) * change.added))):
        new = (dest / path).with_name(f"added{index}{Path(path).suffix}")
        new.write_text(
            f"import {{ Added{index} }} from 'evergreen-ui';\nimport x from './{Path(path).stem}';\n"
        )
    git(dest, "add", "-A")
    git(dest, "commit", "-qm", "change")
    return base, git(dest, "rev-parse", "HEAD").strip(), len(files)


@dataclass(frozen=True)
class Job:
    """One timed job: wall seconds, CPU seconds (user + system, its workers included), peak RSS in MB."""

    wall: float
    cpu: float
    peak_mb: float
    report: Path


def run_timed(command: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Run a command to its end: wall and CPU seconds, and the peak RSS (MB) of it or any of its workers."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise subprocess.CalledProcessError(process.returncode, command)
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def ci_job(origin: Path, commit: str, work: Path, store: str, env: dict[str, str], *extra: str) -> Job:
    """Clone afresh, then time `scan --publish` with an empty cache."""
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    clone = work / "clone"
    subprocess.run(["git", "clone", "-q", "--no-checkout", str(origin), str(clone)], check=True)
    subprocess.run(["git", "-C", str(clone), "checkout", "-q", commit], check=True)
    out = work / "report.json"
    command = [sys.executable, "-m", "depreport", "scan", str(clone), *SCAN_FLAGS, "--out", str(out),
               "--cache-dir", str(work / "cache"), "--publish", store, *extra]  # fmt: skip
    return Job(*run_timed(command, env), out)


def same_report(a: Path, b: Path) -> bool:
    left, right = json.loads(a.read_text()), json.loads(b.read_text())
    for report in (left, right):
        report.pop("generated_at")
        report.pop("commit")
    return bool(left == right)


def measure(change: Change, rounds: int, server: WeedServer, env: dict[str, str]) -> dict[str, object]:
    built = corpus.load_corpus()
    if built is None:
        built = corpus.build_corpus(corpus.load_spec())
    origin = WORK / "origin"
    if origin.exists():
        shutil.rmtree(origin)
    base, changed, files = build_origin(built.full, origin, change)
    client = server.client()
    cold: list[Job] = []
    warm: list[Job] = []
    pack_sizes = []
    for round_ in range(rounds):
        bucket = f"bench-{change.added > 0:d}-{round_}"
        client.create_bucket(Bucket=bucket)
        store = f"s3://{bucket}/depreport"
        ci_job(origin, base, WORK / "base", store, env)  # the last published run, which stores a pack
        from_pack = ci_job(origin, changed, WORK / "warm", store, env)
        warm.append(from_pack)
        cold_job = ci_job(origin, changed, WORK / "cold", store, env, "--no-store-cache")
        cold.append(cold_job)
        assert same_report(from_pack.report, cold_job.report), (
            "the report from the pack differs from the cold one"
        )
        listed = client.list_objects_v2(Bucket=bucket, Prefix="depreport/bench/corpus/packs/")["Contents"]
        pack_sizes.append(max(item["Size"] for item in listed))
    return {"change": change.name, "files": files, "cold": cold, "warm": warm, "pack": max(pack_sizes)}


def table(rows: list[dict[str, object]], load: tuple[str, str]) -> str:
    lines = [
        "| change since the last published run | files | cold job: wall, CPU, peak (medians) "
        "| from the pack: wall, CPU, peak (medians) | speed-up: wall, CPU | pack |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        cold, warm = row["cold"], row["warm"]
        assert isinstance(cold, list) and isinstance(warm, list)
        c, w = _medians(cold), _medians(warm)
        lines.append(
            f"| {row['change']} | {row['files']:,} | {c[0]:.1f} s, {c[1]:.1f} s, {c[2]:.0f} MB "
            f"| {w[0]:.2f} s, {w[1]:.2f} s, {w[2]:.0f} MB | **{c[0] / w[0]:.1f}x**, **{c[1] / w[1]:.1f}x** "
            f"| {int(row['pack']) / 1e6:.1f} MB |"  # type: ignore[call-overload]
        )
    rounds = len(rows[0]["cold"])  # type: ignore[arg-type]
    lines += [
        "",
        f"{rounds} round{'' if rounds == 1 else 's'} each, jobs 2, on {os.cpu_count()} cores "
        f"({platform.machine()}), "
        f"load average {load[0]} at the start and {load[1]} at the end; S3 is SeaweedFS on 127.0.0.1.",
    ]
    return "\n".join(lines)


def _medians(jobs: list[Job]) -> tuple[float, float, float]:
    """Median wall seconds, CPU seconds and peak MB of some jobs."""
    return (
        statistics.median(j.wall for j in jobs),
        statistics.median(j.cpu for j in jobs),
        statistics.median(j.peak_mb for j in jobs),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--update-readme", action="store_true")
    args = parser.parse_args(argv)
    WORK.mkdir(parents=True, exist_ok=True)
    start_load = load_average()
    with tempfile.TemporaryDirectory() as temp:
        server = WeedServer(Path(temp) / "weed").start()
        env = {**tools.as_installed(), "AWS_ACCESS_KEY_ID": server.key,
               "AWS_SECRET_ACCESS_KEY": server.secret, "AWS_DEFAULT_REGION": "us-east-1",
               "AWS_ENDPOINT_URL": server.endpoint}  # fmt: skip
        try:
            rows = [measure(change, args.rounds, server, env) for change in CHANGES]
        finally:
            server.stop()
    text = table(rows, (start_load, load_average()))
    show(text, args.update_readme, README, BEGIN, END)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
