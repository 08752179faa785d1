"""The usage block a tally writes week after week (kept barrel lookups and signatures) is the one a
fresh index of the same files writes, whatever changed in between, re-exports included."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from depreport.model import ImportRecord
from depreport.tally.barrels import Barrels, Through
from depreport.tally.body import ReportBody
from depreport.tally.index import FileEntry, LiveIndex
from tests.depreport.test_index import GROUPS, updates


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
        for path, entry in steps:
            if entry is None:
                live.remove_file(path)
                files.pop(path, None)
            else:
                live.set_file(path, entry)
                files[path] = entry
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
