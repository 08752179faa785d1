"""Time the dashboard's reads of a whole store, uncached; prints [wall, CPU] seconds per run as JSON.

    python bench/scale/dashboard_reads.py STORE [--endpoint-url URL] [--runs 3] [--once-over 20]
                                                [--expect-runs N]

Run by bench/scale/run.py with PYTHONPATH set to the checkout being measured. The same functions the
dashboard's cached reads call (`dashboard/cached.py`), on a newly opened store each run:
  * history: `dashboard.source.read_history` (list the runs, read the last summary of each ISO week);
  * numbers: what the page computes from it before drawing (`dashboard.data.carry_forward`, `headline`,
    `repo_shares`, `trend`), org-wide, in imports;
  * usage: `dashboard.source.read_usage` (the latest full report of every repo, for the treemap).
pandas and the dashboard's modules are imported before the clock starts.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from itertools import pairwise

from dashboard import data, source
from depreport.store import open_store


def read_once(uri: str, endpoint: str | None, expect_runs: int | None) -> dict[str, list[float]]:
    """One uncached read of the store, as the page does it; [wall, CPU] seconds per part."""
    clocks = [(time.perf_counter(), time.process_time())]  # CPU of every thread of this process
    store = open_store(uri, endpoint)
    history = source.read_history(store)
    clocks.append((time.perf_counter(), time.process_time()))
    if history.problems or (expect_runs is not None and history.runs != expect_runs):
        raise SystemExit(f"history read {history.runs} runs; problems: {history.problems[:3]}")
    frame = data.carry_forward(history.frame)
    data.headline(frame, "imports"), data.repo_shares(frame, "imports"), data.trend(frame, "imports")
    clocks.append((time.perf_counter(), time.process_time()))
    source.read_usage(store, history.repos)
    clocks.append((time.perf_counter(), time.process_time()))
    spans = pairwise(clocks)
    return {
        part: [end[0] - start[0], end[1] - start[1]]
        for part, (start, end) in zip(("history", "numbers", "usage"), spans, strict=True)
    }


def main(argv: list[str] | None = None) -> int:
    """Read the store `--runs` times (once when the first read was slow); print the seconds as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("store")
    parser.add_argument("--endpoint-url")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--once-over", type=float, default=20.0, help="no repeat after a slower first read")
    parser.add_argument("--expect-runs", type=int, help="fail unless history reads this many runs")
    args = parser.parse_args(argv)
    runs = [read_once(args.store, args.endpoint_url, args.expect_runs)]
    while len(runs) < args.runs and sum(wall for wall, _ in runs[0].values()) <= args.once_over:
        runs.append(read_once(args.store, args.endpoint_url, args.expect_runs))
    print(json.dumps({key: [run[key] for run in runs] for key in runs[0]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
