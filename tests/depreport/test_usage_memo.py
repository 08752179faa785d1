"""The usage block a tally writes week after week (its shown counts patched, barrel lookups kept) is the
one a fresh index of the same files writes, whatever changed in between, re-exports included."""

from __future__ import annotations

import copy
import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from depreport.model import ImportRecord
from depreport.tally.barrels import Barrels, Through
from depreport.tally.body import ReportBody
from depreport.tally.index import FileEntry, LiveIndex
from tests.depreport.test_index import FILES, GROUPS, apply, entries, updates


def text(index: LiveIndex) -> str:
    return ReportBody(index, GROUPS).to_json()


@settings(max_examples=150, deadline=None)
@given(updates, updates)
def test_each_week_equals_a_fresh_index(
    first: list[tuple[str, FileEntry | None]], second: list[tuple[str, FileEntry | None]]
) -> None:
    live = LiveIndex()
    files: dict[str, FileEntry] = {}
    for steps in (first, second, first):  # three weeks; the third goes back to what the first wrote
        apply(live, steps, files)
        fresh = LiveIndex()
        fresh.add_files(sorted(files.items()))
        assert text(live) == text(fresh)


def test_a_changed_barrel_moves_its_imports() -> None:
    """A re-export edited between two weeks: the second week shows the import where it now comes from."""

    def record(path: str, kind: str, package: str, export: str, resolved: str) -> ImportRecord:
        return ImportRecord(path, 1, 0, kind, "x", package, "", export, export, False, "ts", resolved)

    live = LiveIndex()
    barrel = "src/ui/index.ts"
    live.set_file("src/a.ts", FileEntry((record("src/a.ts", "import", "src/ui", "Button", "relative"),)))
    live.set_file(barrel, FileEntry((record(barrel, "reexport", "evergreen-ui", "Button", "npm"),)))
    before = ReportBody(live, GROUPS).to_dict()["usage"]["through"]
    live.set_file(barrel, FileEntry((record(barrel, "reexport", "ui", "Button", "npm"),)))
    after = ReportBody(live, GROUPS).to_dict()["usage"]["through"]
    assert [row[2] for row in before] == ["evergreen-ui"] and [row[2] for row in after] == ["ui"]


def test_a_lookup_is_done_again_only_when_a_barrel_it_read_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two barrels; editing one re-exports drops the lookups that read it and keeps the other's."""

    def record(path: str, kind: str, package: str, export: str, resolved: str) -> ImportRecord:
        return ImportRecord(path, 1, 0, kind, "x", package, "", export, export, False, "ts", resolved)

    looked: list[tuple[str, str]] = []
    real = Barrels.through

    def counting(self: Barrels, module: str, name: str) -> Through | None:
        looked.append((module, name))
        return real(self, module, name)

    monkeypatch.setattr(Barrels, "through", counting)
    live = LiveIndex()
    ui, forms = "src/ui/index.ts", "src/forms/index.ts"
    live.set_file("src/a.ts", FileEntry((record("src/a.ts", "import", "src/ui", "Button", "relative"),)))
    live.set_file("src/b.ts", FileEntry((record("src/b.ts", "import", "src/forms", "Input", "relative"),)))
    live.set_file(ui, FileEntry((record(ui, "reexport", "evergreen-ui", "Button", "npm"),)))
    live.set_file(forms, FileEntry((record(forms, "reexport", "evergreen-ui", "TextInput", "npm"),)))
    first = text(live)
    assert sorted(looked) == [("src/forms", "Input"), ("src/ui", "Button")]
    looked.clear()
    live.set_file(forms, FileEntry((record(forms, "reexport", "evergreen-ui", "Input", "npm"),)))
    second = text(live)
    assert looked == [("src/forms", "Input")]  # the ui lookup read only src/ui: kept
    fresh = LiveIndex()
    fresh.add_files(sorted(live.entries().items()))
    assert second == text(fresh) and second != first


BARREL = "src/ui/index.ts"


def no_reexports(entry: FileEntry) -> FileEntry:
    records = tuple(r._replace(kind="import") if r.kind == "reexport" else r for r in entry.records)
    return dataclasses.replace(entry, records=records)


# Weeks in which only files without re-exports change: the barrel stays as the first week left it, so
# each later block is patched from the changed rows instead of made again.
quiet_updates = st.lists(
    st.one_of(
        st.sampled_from(FILES[:-1]).flatmap(
            lambda path: entries(path).map(lambda e: (path, no_reexports(e)))
        ),
        st.sampled_from(FILES[:-1]).map(lambda path: (path, None)),
    ),
    max_size=12,
)


@settings(max_examples=150, deadline=None)
@given(entries(BARREL), st.lists(quiet_updates, min_size=1, max_size=4))
def test_patched_weeks_equal_a_fresh_index(
    barrel: FileEntry, weeks: list[list[tuple[str, FileEntry | None]]]
) -> None:
    live = LiveIndex()
    files: dict[str, FileEntry] = {BARREL: barrel}
    live.set_file(BARREL, barrel)
    blocks = []
    for steps in weeks:
        apply(live, steps, files)
        block = ReportBody(live, GROUPS).to_dict()["usage"]
        blocks.append((copy.deepcopy(block), block))
        fresh = LiveIndex()
        fresh.add_files(sorted(files.items()))
        assert text(live) == text(fresh)
    for kept, block in blocks:  # a block handed out earlier is not changed by later patches
        assert block == kept


def test_a_patched_week_lists_only_the_lookups_its_counts_meet() -> None:
    """Through a barrel that re-exports one name and everything of itself (`export *` in a loop): once
    the file importing from it stops, `through` and `barrel_cycles` are empty again, as in a fresh index."""

    def record(path: str, kind: str, package: str, export: str, local: str | None) -> ImportRecord:
        resolved = "relative" if package.startswith("src/") else "npm"
        return ImportRecord(path, 1, 0, kind, "x", package, "", export, local, False, "ts", resolved)

    live = LiveIndex()
    named, loop = (
        record(BARREL, "reexport", "evergreen-ui", "Button", "Button"),
        record(BARREL, "reexport", "src/ui", "*", None),
    )
    live.set_file(BARREL, FileEntry((named, loop)))
    both = (
        record("src/a.ts", "import", "src/ui", "Button", "B"),
        record("src/a.ts", "import", "src/ui", "Pane", "P"),
    )
    live.set_file("src/a.ts", FileEntry(both))
    before = ReportBody(live, GROUPS).to_dict()["usage"]
    assert [row[2] for row in before["through"]] == ["evergreen-ui"]
    assert before["barrel_cycles"] == [["src/ui", "src/ui"]]
    live.set_file("src/a.ts", FileEntry((record("src/a.ts", "import", "react", "default", "R"),)))
    after = ReportBody(live, GROUPS).to_dict()["usage"]
    assert after["through"] == [] and after["barrel_cycles"] == []
    fresh = LiveIndex()
    fresh.add_files(sorted(live.entries().items()))
    assert text(live) == text(fresh)
