"""Compare depreport's weekly target share with an independent @babel/parser count.

usage: python3 compare.py REPO ADOPTION_JSON GROUPING [--samples N] [--weeks W1,W2]
                          [--store DIR --name org/name]

REPO           a clone of the repository (its git history is read; nothing is checked out in it)
ADOPTION_JSON  `depreport adoption --store ... --format json` output
GROUPING       a name in GROUPINGS below (the same groups as the depreport.toml used, written again here
               as plain Python predicates: no depreport code is used)
--samples N    how many weeks to sample, spread evenly over the stored weeks (default 12); --weeks adds more

Each sampled week's commit is the last first-parent commit of that ISO week (UTC commit time),
extracted with `git archive` into a temporary folder and counted by count-imports.mjs.
Standard library only.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import resolve_local

HERE = Path(__file__).resolve().parent


def macaw_next(pkg: str, sub: str) -> bool:
    """The new Macaw UI: the npm alias, or the `next` subpath of the old package (and below it)."""
    if pkg == "@saleor/macaw-ui-next":
        return True
    return pkg == "@saleor/macaw-ui" and (sub == "next" or sub.startswith("next/"))


# grouping name -> ordered (group name, is target, predicate(package, subpath)); first match wins.
GROUPINGS = {
    "a": [
        ("Macaw UI next", True, macaw_next),
        ("Macaw UI legacy", False, lambda p, s: p == "@saleor/macaw-ui"),
        ("Material UI v4", False, lambda p, s: p.startswith("@material-ui/")),
    ],
    # regrouped: legacy Macaw is no longer a group, Material UI split in two
    "b": [
        ("Macaw UI next", True, macaw_next),
        ("Material UI core", False, lambda p, s: p == "@material-ui/core"),
        ("Material UI other", False, lambda p, s: p.startswith("@material-ui/")),
    ],
    # regrouped: only the npm alias is the target; the /next subpath falls into the legacy group
    "c": [
        ("Macaw UI next (alias only)", True, lambda p, s: p == "@saleor/macaw-ui-next"),
        ("Macaw UI (all of it)", False, lambda p, s: p == "@saleor/macaw-ui"),
        ("Material UI v4", False, lambda p, s: p.startswith("@material-ui/")),
    ],
    # round 8: umami-software/umami (round8/umami-*.toml)
    "umami-a": [
        ("React Zen", True, lambda p, s: p == "@umami/react-zen"),
        ("react-basics", False, lambda p, s: p == "react-basics"),
        ("react-spring (old name)", False, lambda p, s: p == "react-spring"),
    ],
    "umami-b": [
        ("Zen + lucide", True, lambda p, s: p in ("@umami/react-zen", "lucide-react")),
        ("react-basics", False, lambda p, s: p == "react-basics"),
        (
            "react-spring (both names)",
            False,
            lambda p, s: p == "react-spring" or p.startswith("@react-spring/"),
        ),
        ("react-intl", False, lambda p, s: p == "react-intl"),
    ],
    # round 8: openedx/frontend-app-learner-dashboard (round8/learner-*.toml)
    "learner-a": [
        ("Paragon (@openedx)", True, lambda p, s: p == "@openedx/paragon"),
        ("Paragon (@edx)", False, lambda p, s: p == "@edx/paragon"),
    ],
    "learner-b": [
        ("Testing Library", True, lambda p, s: p.startswith("@testing-library/")),
        ("react-unit-test-utils", False, lambda p, s: p == "@edx/react-unit-test-utils"),
        (
            "enzyme",
            False,
            lambda p, s: p == "enzyme" or p.startswith(("enzyme-", "@wojtekmaj/enzyme-adapter-")),
        ),
    ],
    # by version: LOCKED holds the root package-lock.json's versions at the commit counted (one lockfile)
    "learner-c": [
        ("React 18+", True, lambda p, s: p in ("react", "react-dom") and major(LOCKED.get(p, "0")) >= 18),
        ("React 17 and older", False, lambda p, s: p in ("react", "react-dom")),
    ],
}

# round 8: openedx/frontend-app-learning (round8/learning-*.toml): the same groups as learner-a and -b
GROUPINGS["learning-a"] = GROUPINGS["learner-a"]
GROUPINGS["learning-b"] = GROUPINGS["learner-b"]


def under(*folders: str):
    """A predicate: a module of the repo (resolve_local.py's LOCAL key) in one of `folders`."""
    return lambda p, s: p == resolve_local.LOCAL and any(s == f or s.startswith(f + "/") for f in folders)


# round 9: groupings of the repo's own modules (workspace packages are their folders), counted from
# resolve_local.py's per-file records; a module of a folder group imported inside that folder is not counted
LOCAL_GROUPINGS = {
    "formbricks-a": [
        ("Formbricks UI", True, under("packages/ui", "apps/web/modules/ui")),
        ("components/shared", False, under("apps/web/components/shared")),
        ("Headless UI", False, lambda p, s: p == "@headlessui/react"),
    ],
    "formbricks-b": [
        ("modules/ui (in the app)", True, under("apps/web/modules/ui")),
        ("@formbricks/ui (packages/ui)", False, under("packages/ui")),
    ],
    "plane-a": [
        ("Plane UI", True, under("packages/ui")),
        (
            "components/ui (web app)",
            False,
            under("apps/app/components/ui", "web/components/ui", "space/components/ui"),
        ),
        ("Headless UI", False, lambda p, s: p == "@headlessui/react"),
    ],
    "plane-b": [
        ("Plane UI (by name)", True, lambda p, s: p == "@plane/ui"),
        ("components/ui (web app, new place only)", False, under("web/components/ui")),
    ],
}
GROUPINGS.update(LOCAL_GROUPINGS)

# grouping -> local modules that only re-export a package (`export * from "pkg"`): (the specifier's
# key as count-imports.mjs writes it, the module's file, the package). A name imported from such a module
# counts for the package (README, "Local barrels"), in the weeks where the file is that one line.
BARRELS = {
    "umami-b": [("@/components\ticons", "src/components/icons.ts", "lucide-react")],
}


def through_barrels(repo: Path, sha: str, counts: dict, grouping: str) -> dict:
    """`counts` with the imports of a whole-package barrel module moved to the package it re-exports."""
    moved = dict(counts)
    for key, path, package in BARRELS.get(grouping, []):
        try:
            text = git(repo, "show", f"{sha}:{path}").strip()
        except subprocess.CalledProcessError:
            continue
        if key in moved and text.rstrip(";") in (f"export * from '{package}'", f'export * from "{package}"'):
            through = moved.pop(key)
            into = moved.setdefault(f"{package}\t", {"value": 0, "type": 0})
            moved[f"{package}\t"] = {k: into[k] + through[k] for k in ("value", "type")}
    return moved


# grouping -> barrels that `export *` a package beside names of their own: (the module's file, the tsconfig
# baseUrl folder by which a bare specifier names it). A name imported from it that it does not export
# itself counts for the package (README, "Local barrels"); barrel-names.mjs tells the two apart.
NAMED_BARRELS = {"learning-b": [("src/setupTest.js", "src")]}


# package -> version installed at the root (package-lock.json `packages["node_modules/<name>"]` or v1
# `dependencies`), set for each commit counted; read by the version groupings above
LOCKED: dict[str, str] = {}


def major(version: str) -> int:
    return int(version.split(".")[0] or 0)


def read_locked(repo: Path, sha: str) -> dict[str, str]:
    """The versions the root package-lock.json of a commit installs (empty when it has none)."""
    try:
        lock = json.loads(git(repo, "show", f"{sha}:package-lock.json"))
    except subprocess.CalledProcessError:
        return {}
    found = {
        k.removeprefix("node_modules/"): v.get("version", "")
        for k, v in lock.get("packages", {}).items()
        if k.startswith("node_modules/") and "/node_modules/" not in k
    }
    for name, entry in lock.get("dependencies", {}).items():
        found.setdefault(name, entry.get("version", ""))
    return found


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


def week_commits(repo: Path, ref: str = "HEAD") -> dict[str, str]:
    """ISO week (its Monday) -> last first-parent commit of that week, by UTC commit time."""
    weeks: dict[str, str] = {}
    for line in reversed(git(repo, "log", "--first-parent", "--format=%H %ct", ref).split("\n")):
        if not line:
            continue
        sha, stamp = line.split()
        day = datetime.fromtimestamp(int(stamp), UTC).date()
        monday = day - timedelta(days=day.isoweekday() - 1)
        weeks[monday.isoformat()] = sha  # oldest first: the last write is the week's last commit
    return weeks


SOURCE_SUFFIXES = (".js", ".jsx", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".tsx")


def run_on_commit(repo: Path, sha: str, script: str, *args: str) -> dict:
    """Extract a commit's JS/TS files with `git archive` and run a counting script on them (its JSON)."""
    tracked = git(repo, "ls-tree", "-r", "--name-only", sha).splitlines()
    sources = [path for path in tracked if path.lower().endswith(SOURCE_SUFFIXES)]
    with tempfile.TemporaryDirectory(prefix="babelcount-") as tmp:
        # only source files: a partial mirror may lack some large blobs (JSON dumps, images)
        archive = subprocess.Popen(
            ["git", "-C", str(repo), "archive", sha, "--", *sources], stdout=subprocess.PIPE
        )
        subprocess.run(["tar", "-x", "-C", tmp], stdin=archive.stdout, check=True)
        if archive.wait() != 0:
            raise RuntimeError(f"git archive {sha} failed")
        listing = Path(tmp) / ".tracked-files"
        listing.write_text("\n".join(sources))
        arguments = [a.replace("{listing}", str(listing)) for a in args]
        out = subprocess.run(
            ["node", str(HERE / script), tmp, *arguments], check=True, capture_output=True, text=True
        ).stdout
    return json.loads(out)


def count_commit(repo: Path, sha: str) -> dict:
    """A commit's import counts by count-imports.mjs (which selects the files as depreport does)."""
    return run_on_commit(repo, sha, "count-imports.mjs", "{listing}")


def through_named_barrels(repo: Path, sha: str, counts: dict, grouping: str, cache: Path) -> dict:
    """`counts` with the names imported through a barrel that `export *`s one package beside names of its
    own (NAMED_BARRELS) added to that package, as barrel-names.mjs tells them apart."""
    moved = dict(counts)
    for path, root in NAMED_BARRELS.get(grouping, []):
        cached = cache / f"{sha}.{path.replace('/', '_')}.json"
        if not cached.exists():
            if path not in git(repo, "ls-tree", "-r", "--name-only", sha).splitlines():
                continue
            cache.mkdir(parents=True, exist_ok=True)
            cached.write_text(json.dumps(run_on_commit(repo, sha, "barrel-names.mjs", path, root)))
        found = json.loads(cached.read_text())
        if len(found["star_packages"]) == 1 and found["through"]:
            key = f"{found['star_packages'][0]}\t"
            into = moved.get(key, {"value": 0, "type": 0})
            moved[key] = {**into, "value": into["value"] + sum(found["through"].values())}
    return moved


def local_records(repo: Path, sha: str, cache: Path) -> dict:
    """resolve_local.py's resolution of a commit's imports per file (kept in `cache` by commit id)."""
    cached = cache / f"{sha}.local.json"
    if not cached.exists():
        cache.mkdir(parents=True, exist_ok=True)
        by_file = run_on_commit(repo, sha, "count-imports.mjs", "{listing}", "--by-file")["by_file"]
        cached.write_text(json.dumps(resolve_local.resolve_commit(repo, sha, by_file)))
    return json.loads(cached.read_text())


def local_totals(records: dict, grouping: str) -> dict[str, int]:
    """Imports per group from per-file records; a module of a folder group imported from a file of the same
    folder is internal to it (README: "A module of a local group's folder imported from inside that
    folder")."""
    totals = {name: 0 for name, _, _ in GROUPINGS[grouping]}
    for importer, keys in records.items():
        for key, c in keys.items():
            pkg, sub = key.split("\t", 1)
            for name, _, matches in GROUPINGS[grouping]:
                if matches(pkg, sub):
                    if not (pkg == resolve_local.LOCAL and matches(pkg, importer)):
                        totals[name] += c["value"] + c["type"]
                    break
    return totals


def group_totals(counts: dict, grouping: str) -> dict[str, int]:
    totals = {name: 0 for name, _, _ in GROUPINGS[grouping]}
    for key, c in counts.items():
        pkg, sub = key.split("\t")
        for name, _, matches in GROUPINGS[grouping]:
            if matches(pkg, sub):
                totals[name] += c["value"] + c["type"]
                break
    return totals


def target_share(totals: dict[str, int], grouping: str) -> float:
    target = next(name for name, is_target, _ in GROUPINGS[grouping] if is_target)
    total = sum(totals.values())
    return 100.0 * totals[target] / total if total else 0.0


def depreport_weeks(adoption: dict) -> dict[str, dict]:
    """Week (Monday) -> {share: exact percent from its counts, shown: its rounded share, imports}."""
    weeks: dict[str, dict] = {}
    for week in adoption["weeks"]:
        imports = {g["group"]: g["imports"] for g in week["groups"]}
        target = next(g for g in week["groups"] if g["target"])
        total = sum(imports.values())
        share = 100.0 * target["imports"] / total if total else 0.0
        weeks[week["week"]] = {"share": share, "shown": target["share"], "imports": imports}
    return weeks


def stored_commits(store: Path, repo: str) -> dict[str, str]:
    """Week (Monday) -> the 12-hex commit prefix of the run stored for it (from the store's file names)."""
    found: dict[str, str] = {}
    for path in sorted((store / repo / "reports").glob("*/*/*.json.gz")):
        stamp, _, prefix = path.name.removesuffix(".json.gz").partition("_")
        day = datetime.strptime(stamp[:10], "%Y-%m-%d").date()
        found[(day - timedelta(days=day.isoweekday() - 1)).isoformat()] = prefix
    return found


def sample_weeks(stored: list[str], samples: int) -> list[str]:
    """`samples` weeks spread evenly from the first stored week to the last."""
    step = (len(stored) - 1) / max(1, samples - 1)
    return sorted({stored[round(i * step)] for i in range(samples)})


def independent(repo: Path, sha: str, cache: Path) -> dict:
    """count-imports.mjs's counts for a commit (kept in `cache` by commit id)."""
    cached = cache / f"{sha}.json"
    if not cached.exists():
        cache.mkdir(parents=True, exist_ok=True)
        cached.write_text(json.dumps(count_commit(repo, sha)))
    return json.loads(cached.read_text())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("repo", type=Path, help="a clone of the repository")
    ap.add_argument("adoption", type=Path, help="depreport adoption --format json output")
    ap.add_argument("grouping", choices=sorted(GROUPINGS))
    ap.add_argument("--samples", type=int, default=12, help="weeks spread evenly over the history")
    ap.add_argument("--weeks", default="", help="also these weeks (Mondays, comma-separated)")
    ap.add_argument("--store", type=Path, help="the store, to check which commit each week used")
    ap.add_argument("--name", default="", help="org/name of the repo in the store")
    ap.add_argument(
        "--ref", default="HEAD", help="the branch or commit whose first-parent history was replayed"
    )
    ap.add_argument("--counts-dir", type=Path, default=Path(tempfile.gettempdir()) / "babelcount-cache")
    args = ap.parse_args(argv)
    ours = depreport_weeks(json.loads(args.adoption.read_text()))
    commits = week_commits(args.repo, args.ref)
    used = stored_commits(args.store, args.name) if args.store else {}
    extra = [w for w in args.weeks.split(",") if w]
    committed = sorted(set(ours) & set(commits))  # weeks with a commit of their own (not carried forward)
    sample = sorted(set(sample_weeks(committed, args.samples)) | set(extra))
    print(
        "| week | commit | depreport share | independent share | difference "
        "| target / total imports (depreport vs independent) |"
    )
    print("|---|---|---:|---:|---:|---|")
    worst = 0.0
    for week in sample:
        row, sha = ours[week], commits[week]
        if used and not sha.startswith(used[week]):
            note = f"week {week}: depreport used {used[week]}, the last first-parent commit is {sha[:12]}"
            print(note, file=sys.stderr)
        LOCKED.clear()
        LOCKED.update(read_locked(args.repo, sha))
        if args.grouping in LOCAL_GROUPINGS:
            totals = local_totals(local_records(args.repo, sha, args.counts_dir)["records"], args.grouping)
        else:
            totals = None
        week_counts = through_barrels(
            args.repo, sha, independent(args.repo, sha, args.counts_dir)["counts"], args.grouping
        )
        week_counts = through_named_barrels(args.repo, sha, week_counts, args.grouping, args.counts_dir)
        totals = totals or group_totals(week_counts, args.grouping)
        share = target_share(totals, args.grouping)
        worst = max(worst, abs(row["share"] - share))
        target = next(name for name, is_target, _ in GROUPINGS[args.grouping] if is_target)
        theirs = f"{row['imports'][target]} / {sum(row['imports'].values())}"
        counts = f"{theirs} vs {totals[target]} / {sum(totals.values())}"
        difference = row["share"] - share
        if row["imports"] != totals:  # every group, not only the target and the total
            print(
                f"week {week}: groups differ: depreport {row['imports']}, independent {totals}",
                file=sys.stderr,
            )
            worst = max(worst, 0.5)
        print(f"| {week} | {sha[:10]} | {row['share']:.2f} | {share:.2f} | {difference:+.2f} | {counts} |")
        sys.stdout.flush()
    print(f"\nlargest difference: {worst:.2f} points over {len(sample)} weeks (grouping {args.grouping})")
    return 0 if worst < 0.5 else 1


if __name__ == "__main__":
    sys.exit(main())
