#!/usr/bin/env bash
# Adoption trend on a real migration history: depreport backfill + adoption vs an independent Babel count.
#
# usage: bench/real-history/run.sh CLONE [WORK]
#   CLONE  a clone of github.com/saleor/saleor-dashboard (full history; main at f5a84f3afb)
#   WORK   scratch folder for the store, caches and outputs (default /tmp/real-history)
# Run from the repository root (uses .venv/bin/depreport). Needs node >= 18 and npm.
set -euo pipefail

clone=$(realpath "$1")
work=$(realpath -m "${2:-/tmp/real-history}")
here=$(realpath "$(dirname "$0")")
depreport=$(realpath .venv/bin/depreport)
repo=saleor/saleor-dashboard
weeks_of_interest=2023-10-09,2023-10-16,2023-10-23,2026-02-16,2026-02-23  # rename and lint-only weeks
mkdir -p "$work"

# the independent counter's one dependency, installed in the scratch folder (never committed)
cp "$here/package.json" "$here/package-lock.json" "$here/count-imports.mjs" "$here/compare.py" "$work/"
(cd "$work" && npm ci --silent)

echo "== backfill (wall and CPU)"; uptime
/usr/bin/time -f "backfill: wall %e s, user %U s, sys %S s, cpu %P, max rss %M KB" \
  "$depreport" backfill "$clone" --since 2023-01-02 --weeks 190 --publish "$work/store" --repo "$repo" \
  --config "$here/groups-a.toml" --cache-dir "$work/backfill-cache" --progress never > "$work/backfill.txt"

echo "== cold scan of the head commit"; uptime
rm -rf "$work/scan-cache"
/usr/bin/time -f "scan: wall %e s, user %U s, sys %S s, cpu %P, max rss %M KB" \
  "$depreport" scan "$clone" --config "$here/groups-a.toml" --cache-dir "$work/scan-cache" \
  --no-store-cache --progress never --format json --out "$work/head.json"

# groups a: as backfilled; b and c: the config edited afterwards, the same stored weeks re-read
for grouping in a b c; do
  "$depreport" adoption --store "$work/store" --repo "$repo" --weeks 200 --format json \
    --config "$here/groups-$grouping.toml" > "$work/adoption-$grouping.json"
  python3 "$work/compare.py" "$clone" "$work/adoption-$grouping.json" "$grouping" --samples 12 \
    --weeks "$weeks_of_interest" --store "$work/store" --name "$repo" --counts-dir "$work/counts" \
    | tee "$work/table-$grouping.md"
done

# single commits: the lint-only `import type` commit and the /next -> npm alias rename, each with its parent
for rev in 9a824cb969^ 9a824cb969 f39cc6986a^ f39cc6986a; do
  sha=$(git -C "$clone" rev-parse "$rev")
  tree="$work/tree-$sha"
  if [ ! -d "$tree" ]; then
    git -C "$clone" worktree add -q --detach --no-checkout "$tree" "$sha"
    # the mirror this was measured on lacks one large JSON blob; it is no source file
    git -C "$tree" sparse-checkout set --no-cone '/*' '!/introspection.json'
    git -C "$tree" checkout -q --detach "$sha"
  fi
  "$depreport" scan "$tree" --config "$here/groups-a.toml" --cache-dir "$work/scan-cache" --no-store-cache \
    --progress never --format json --out "$work/commit-$sha.json" 2>/dev/null
  printf '%s %s ' "$rev" "${sha:0:10}"
  "$depreport" adoption --report "$work/commit-$sha.json" --config "$here/groups-a.toml" --format json \
    | python3 -c 'import json,sys; g=json.load(sys.stdin)["groups"]; print({x["group"]: x["imports"] for x in g})'
  printf '  independent: '
  python3 - "$clone" "$sha" "$work" <<'PY'
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[3])
import compare
counts = compare.independent(Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]) / "counts")["counts"]
totals = compare.group_totals(counts, "a")
in_groups = [v for k, v in counts.items() if k.startswith(("@saleor/macaw-ui", "@material-ui/"))]
print(totals, f"share {compare.target_share(totals, 'a'):.2f}, type-only", sum(v["type"] for v in in_groups))
PY
done
