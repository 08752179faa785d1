"""Write a large store for the dashboard benchmark: repos x weekly runs, straight into a LocalStore.

    python bench/dashboard/generate.py [DEST] [--repos 50] [--weeks 104]

Summaries are full size (about 25 KB: 250 packages, per-export counts of the grouped ones), as history
reads every weekly summary. Reports are small but real in shape (packages -> exports -> files -> lines):
the dashboard reads only each repo's latest report. Seeded: two runs give the same store.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from depreport.history.adoption import Group, Groups, adoption_json  # noqa: E402
from depreport.runinfo import iso  # noqa: E402
from depreport.store import LocalStore  # noqa: E402

DEFAULT_DEST = ROOT / "bench" / ".cache" / "dashboard" / "store"
GROUPS = Groups((
    Group("Design system", packages=("@acme/ds",), target=True),
    Group("Evergreen v3", packages=("evergreen-ui-v3",)),
    Group("React UI Library", packages=("@acme/react-ui",)),
    Group("Legacy ui folder", paths=("src/ui/**",)),
))  # fmt: skip
PACKAGES = {"Design system": "@acme/ds", "Evergreen v3": "evergreen-ui-v3",
            "React UI Library": "@acme/react-ui", "Legacy ui folder": "src/ui/Kit"}  # fmt: skip
COMPONENTS = [f"Component{i:02d}" for i in range(40)]
OTHER_PACKAGES = [f"lib-{i:03d}" for i in range(246)]
NEWEST = datetime(2026, 6, 3, 10, 0, tzinfo=UTC)


def group_counts(progress: float, rng: random.Random) -> dict[str, dict[str, int]]:
    """Adoption counts of a repo at ``progress`` (0..1) through its migration."""
    target = int(400 * (0.1 + 0.8 * progress)) + rng.randint(0, 20)
    others = {name: int(300 * (1 - 0.8 * progress)) + rng.randint(0, 20) for name in list(PACKAGES)[1:]}
    counts = {"Design system": target, **others}
    return {
        name: {"imports": n, "files": n // 3 + 1, "components": min(40, n // 10 + 1)}
        for name, n in counts.items()
    }


def summary(repo: str, when: datetime, counts: dict[str, dict[str, int]]) -> dict[str, Any]:
    """A summary in the stored format: header, totals, adoption, per-export counts."""
    other = {"resolved_as": "npm", "imports": 3, "files": 2, "exports": {"default": 3}}
    packages: dict[str, Any] = {name: dict(other) for name in OTHER_PACKAGES}
    for group, package in PACKAGES.items():
        n = counts[group]["imports"]
        exports = {c: max(1, n // len(COMPONENTS)) for c in COMPONENTS}
        packages[package] = {
            "resolved_as": "npm",
            "imports": n,
            "files": counts[group]["files"],
            "exports": exports,
        }
    return {
        "schema_version": 1, "tool_version": "bench", "repo": repo, "commit": "ab" * 20, "branch": "main",
        "committed_at": iso(when), "generated_at": iso(when), "run_time": iso(when),
        "options": {"adoption": GROUPS.to_json()}, "problems": 0,
        "totals": {"files_seen": 900, "imports": sum(c["imports"] for c in counts.values()) + 738},
        "adoption": adoption_json(counts, GROUPS), "packages": packages,
    }  # fmt: skip


def report(
    repo: str, when: datetime, counts: dict[str, dict[str, int]], rng: random.Random
) -> dict[str, Any]:
    """A small report: each group's package with 40 components imported from a few files each."""
    packages = {}
    for group, package in PACKAGES.items():
        exports = {}
        for component in COMPONENTS[: counts[group]["components"]]:
            paths = (f"src/features/f{rng.randint(0, 99):02d}/View{rng.randint(0, 9)}.tsx" for _ in range(6))
            files = {path: [rng.randint(1, 9)] for path in list(paths)[: rng.randint(1, 6)]}
            exports[component] = {"count": len(files), "type_only": 0, "files": files, "locals": [component]}
        resolved = "relative" if package.startswith("src/") else "npm"
        packages[package] = {"resolved_as": resolved, "imports": sum(e["count"] for e in exports.values()),
                             "type_only_imports": 0, "files": 1, "exports": exports}  # fmt: skip
    head = summary(repo, when, counts)
    return {**{k: head[k] for k in head if k not in ("packages", "problems", "run_time")},
            "packages": packages, "exports": {}, "problems": []}  # fmt: skip


def generate(dest: Path, repos: int, weeks: int) -> int:
    """Write the store; returns the number of runs written."""
    rng = random.Random(20260603)
    store = LocalStore(dest)
    written = 0
    for r in range(repos):
        repo = f"acme/service-{r:02d}"
        start = rng.uniform(0.0, 0.4)
        for w in range(weeks):
            when = NEWEST - timedelta(weeks=weeks - 1 - w, hours=rng.randint(0, 48))
            counts = group_counts(min(1.0, start + 0.6 * w / weeks), rng)
            small = report(repo, when, counts, rng) if w == weeks - 1 else {"repo": repo, "bench": True}
            store.put_run(repo, when, "ab" * 20, small, summary(repo, when, counts))
            written += 1
    return written


def main(argv: list[str] | None = None) -> int:
    """Generate the store (replacing an old one at DEST)."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("dest", nargs="?", type=Path, default=DEFAULT_DEST)
    parser.add_argument("--repos", type=int, default=50)
    parser.add_argument("--weeks", type=int, default=104)
    args = parser.parse_args(argv)
    shutil.rmtree(args.dest, ignore_errors=True)
    started = time.perf_counter()
    written = generate(args.dest, args.repos, args.weeks)
    print(f"{written} runs of {args.repos} repos in {args.dest} ({time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
