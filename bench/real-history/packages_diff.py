"""Per-package import counts: a stored depreport report vs count-imports.mjs output (npm packages only).

usage: python3 packages_diff.py REPORT.json[.gz] COUNTS.json [ALIAS_PREFIX...]
ALIAS_PREFIX: specifier prefixes that are tsconfig aliases of repo folders (e.g. @dashboard/), left out.
Prints packages whose counts differ (depreport, independent) and the totals over npm packages;
a bare specifier depreport files as a Node builtin (node:fs) is compared with that.
"""

from __future__ import annotations

import gzip
import json
import sys
from collections import Counter
from pathlib import Path


def load(path: Path) -> dict:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt") as handle:
        return json.load(handle)


def main(report_path: str, counts_path: str, *aliases: str) -> int:
    report = load(Path(report_path))
    counts = load(Path(counts_path))["counts"]
    ours = Counter({p: v["imports"] for p, v in report["packages"].items() if v.get("resolved_as") == "npm"})
    theirs: Counter[str] = Counter()
    for key, c in counts.items():
        package = key.split("\t")[0]
        if (package + "/").startswith(aliases) if aliases else False:
            continue
        builtin = package if package.startswith("node:") else "node:" + package
        if report["packages"].get(builtin, {}).get("resolved_as") == "builtin":
            continue  # a Node builtin: not an npm package on either side
        theirs[package] += c["value"] + c["type"]
    differ = sorted(p for p in set(ours) | set(theirs) if ours[p] != theirs[p])
    for p in differ:
        as_what = report["packages"].get(p, {}).get("resolved_as", "-")
        print(f"{p}\tdepreport={ours[p]} ({as_what})\tindependent={theirs[p]}")
    print(
        f"npm packages: depreport {len(ours)}, {sum(ours.values())} imports; "
        f"independent {len(theirs)}, {sum(theirs.values())} imports; {len(differ)} differ"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
