"""What changed between two reports: a table over small reports, then two real scans of an edited app."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from dashboard.usage import group_of
from depreport.cli import main
from depreport.report.changes import UNGROUPED, ImportChange, by_group, import_lines, report_changes
from tests.conftest import FIXTURES


def report(repo: str = "acme/app", **files: dict[str, list[int]]) -> dict[str, Any]:
    """A report whose files import ``package:export`` keys (``files[path] = {"pkg:Export": lines}``)."""
    packages: dict[str, Any] = {}
    for path, imports in files.items():
        for key, lines in imports.items():
            package, export = key.split(":")
            exports = packages.setdefault(package, {"exports": {}})["exports"]
            exports.setdefault(export, {"count": 0, "files": {}})["files"][path.replace("__", "/")] = lines
    return {"repo": repo, "packages": packages}


def by_package(package: str, path: str) -> str | None:
    return {"ds": "DS", "old": "Old"}.get(package, UNGROUPED) if not path.startswith("old/") else None


@pytest.mark.parametrize(
    ("older", "newer", "expected"),
    [
        pytest.param({"a.ts": {"ds:Button": [1]}}, {"a.ts": {"ds:Button": [1]}}, [], id="same"),
        pytest.param({}, {"a.ts": {"ds:Button": [1, 4]}}, [("DS", "ds", "Button", "a.ts", (1, 4), ())], id="added"),
        pytest.param({"a.ts": {"old:Dialog": [2]}}, {"a.ts": {"ds:Button": [2]}},
                     [("DS", "ds", "Button", "a.ts", (2,), ()), ("Old", "old", "Dialog", "a.ts", (), (2,))],
                     id="replaced"),
        pytest.param({"a.ts": {"ds:Button": [1]}}, {"a.ts": {"ds:Button": [3]}},
                     [("DS", "ds", "Button", "a.ts", (3,), (1,))], id="moved"),
        pytest.param({}, {"b.ts": {"lodash:debounce": [7]}}, [(UNGROUPED, "lodash", "debounce", "b.ts", (7,), ())],
                     id="ungrouped"),
        pytest.param({}, {"old__x.ts": {"old:Dialog": [1]}}, [], id="left-out"),
    ],
)  # fmt: skip
def test_report_changes(
    older: dict[str, Any], newer: dict[str, Any], expected: list[tuple[Any, ...]]
) -> None:
    changes = report_changes(report(**older), report(**newer), by_package)
    assert [(c.group, c.package, c.export, c.file, c.added, c.removed) for c in changes] == expected
    assert {c.repo for c in changes} <= {"acme/app"}


def test_a_first_report_has_no_changes() -> None:
    assert report_changes(None, report(**{"a.ts": {"ds:Button": [1]}}), by_package) == []


def test_by_group_counts_lines_and_keeps_the_order_asked_for() -> None:
    changes = [
        ImportChange("Old", "r", "old", "Dialog", "a.ts", (), (2, 5)),
        ImportChange("DS", "r", "ds", "Button", "b.ts", (1,), ()),
        ImportChange("DS", "r", "ds", "Button", "a.ts", (2, 5), ()),
        ImportChange("Alpha", "r", "alpha", "x", "a.ts", (1,), (3,)),
    ]
    groups = by_group(changes, order=["DS", "Missing", "Old"])
    assert [g.group for g in groups] == ["DS", "Old", "Alpha"]
    assert [(g.added, g.removed, g.net) for g in groups] == [(3, 0, 3), (0, 2, -2), (1, 1, 0)]
    assert [c.file for c in groups[0].changes] == ["a.ts", "b.ts"]
    assert groups[2].changes[0].moved and not groups[0].changes[0].moved


def scan(app: Path, out: Path) -> dict[str, Any]:
    args = ["scan", str(app), "--format", "json", "--out", str(out), "--no-cache", "--jobs", "1"]
    assert main([*args, "--progress", "never", "--no-git", "--repo", "acme/mini-app"]) == 0
    loaded: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return loaded


@pytest.mark.integration
def test_two_scans_of_an_edited_app(tmp_path: Path) -> None:
    app = tmp_path / "mini-app"
    shutil.copytree(FIXTURES / "repos" / "mini-app", app)
    before = scan(app, tmp_path / "before.json")
    home = app / "src" / "pages" / "Home.tsx"
    text = home.read_text(encoding="utf-8")
    text = text.replace("import OldDialog from 'evergreen-ui-v3/dialog';\n", "")  # line 7 goes
    home.write_text(text.replace("import { Card } from '../ui';\n", "import { Card } from '../ui';\nimport { Dialog } from 'evergreen-ui';\n"), encoding="utf-8")  # fmt: skip
    after = scan(app, tmp_path / "after.json")
    changes = report_changes(before, after, group_of(after))
    summary = {
        (c.group, c.package, c.export, c.added, c.removed) for c in changes if c.file == "src/pages/Home.tsx"
    }
    assert ("Evergreen v4", "evergreen-ui", "Dialog", (6,), ()) in summary
    assert ("Evergreen v3", "evergreen-ui-v3", "default", (), (7,)) in summary
    assert all(c.file == "src/pages/Home.tsx" for c in changes), changes
    assert len(import_lines(after)) == len(import_lines(before))  # one (package, export, file) out, one in
    groups = {g.group: (g.added, g.removed) for g in by_group(changes)}
    assert groups["Evergreen v4"] == (1, 0) and groups["Evergreen v3"] == (0, 1)
