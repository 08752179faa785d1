"""The usage tally's memory: files that import the same things share one copy of them."""

from __future__ import annotations

import marshal
import tracemalloc

from depreport.model import ImportRecord
from depreport.tally.usage import UsageTally

NAMES = [f"Name{i}" for i in range(20)]


def _records(path: str) -> list[ImportRecord]:
    """Twenty names from a module of the repo and twenty from a package: local keys carry a folder."""
    local = [
        ImportRecord(path, 1, 0, "import", "../ui", "src/ui", "", name, name, False, "tsx", "relative")
        for name in NAMES
    ]
    npm = [
        ImportRecord(path, 2, 0, "import", "kit", "kit", "", name, name, False, "tsx", "npm")
        for name in NAMES
    ]
    return local + npm


def _grown_by(tally: UsageTally, paths: list[str]) -> int:
    """Bytes the tally holds more after counting these files (their records made beforehand)."""
    records = [(path, _records(path)) for path in paths]
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for path, found in records:
            tally.apply(path, found, +1)
        return tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()


def test_a_file_importing_what_others_import_costs_little() -> None:
    tally = UsageTally()
    _grown_by(tally, [f"src/pages/p{i}.tsx" for i in range(50)])  # the shared import set, seen once
    per_file = _grown_by(tally, [f"src/pages/q{i}.tsx" for i in range(1000)]) / 1000
    # A file's own part: its path, its place in the tally and a small tuple. A copy of 40 imports of
    # its own (a set of 40 pairs of tuples, each with its key) would be over 6 KB.
    assert per_file < 800, per_file


def test_a_restored_tally_shares_the_import_sets_of_its_files() -> None:
    tally = UsageTally()
    for i in range(200):
        tally.apply(f"src/pages/p{i}.tsx", _records(f"src/pages/p{i}.tsx"), +1)
    tally.to_json()  # the shown view is saved too
    saved = tally.save()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        restored = UsageTally.restore(tally.context, False, saved)
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert restored.to_json() == tally.to_json()
    assert held / 200 < 1500, held / 200  # one set of 40 imports each would be over 3 KB a file


def _held_by_a_block(last: bool) -> int:
    """Bytes a tally of 300 files holds more once its usage block is made (the block let go)."""
    tally = UsageTally()
    for i in range(300):
        tally.apply(f"src/pages/p{i}.tsx", _records(f"src/pages/p{i}.tsx"), +1)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        if last:
            tally.for_last_block()
        assert tally.to_json()["rows"]
        return tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()


def test_a_tally_s_last_block_does_not_keep_the_counts_as_shown() -> None:
    """Kept for the next block (a backfill's next week patches them), they are ~85 MB of 42k files: a
    scan's last block lets them go as soon as it is made."""
    kept, let_go = _held_by_a_block(False), _held_by_a_block(True)
    assert let_go < kept / 2, (let_go, kept)


def _saved_bytes(files: int) -> int:
    tally = UsageTally()
    for i in range(files):
        tally.apply(f"src/pages/p{i}.tsx", _records(f"src/pages/p{i}.tsx"), +1)
    tally.to_json()  # the shown view is saved too
    return len(marshal.dumps(tally.save()))


def test_a_saved_tally_holds_each_shared_import_set_once() -> None:
    """Files importing the same things share one set; saved, it is one tuple of a table, each file saving
    its place (a pack of 42k files: 16.2 -> 14.8 MB), and restored, one set again."""
    per_file = (_saved_bytes(1100) - _saved_bytes(100)) / 1000
    assert per_file < 60, per_file  # its path and a place; 139 bytes a file with a tuple each
