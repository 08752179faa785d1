"""Local barrels: a name imported from a module of the repo that only re-exports it counts for where it
comes from, through chains, aliases and stars; cycles are reported. Real scans of a repo built here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from depreport.cli import main
from depreport.history.adoption import Group, Groups, adoption_of
from depreport.report.walk import file_imports

pytestmark = pytest.mark.integration

CONFIG = """
[[groups]]
name = "Evergreen"
packages = ["evergreen-ui"]
target = true
[[groups]]
name = "Acme"
packages = ["@acme/react-ui"]
[[groups]]
name = "Legacy ui"
paths = ["src/ui/**"]
"""
FILES = {
    "depreport.toml": CONFIG,
    "tsconfig.json": '{"compilerOptions": {"baseUrl": ".", "paths": {"@ui": ["src/ui"], "@ui/*": ["src/ui/*"]}}}',
    "src/ui/index.ts": "export { Button } from 'evergreen-ui';\n"
    "export { Pane as Box } from 'evergreen-ui';\n"
    "export * from './legacy';\n"
    "export { Card } from './Card';\n",
    "src/ui/legacy.ts": "export * from '@acme/react-ui';\n",
    "src/ui/Card.tsx": "export function Card() { return null; }\n",
    "src/components/index.ts": "export * from '../ui';\n",
    "src/loop/a.ts": "export { X } from './b';\n",
    "src/loop/b.ts": "export { X } from './a';\n",
    "src/app/Home.tsx": "import { Button, Box, Table, Card } from '../ui';\n",
    "src/app/Alias.tsx": "import { Button } from '@ui';\n",
    "src/app/Chain.tsx": "import { Button } from '../components';\n",
    "src/app/Loop.tsx": "import { X } from '../loop/a';\n",
}


def scan(root: Path, files: dict[str, str]) -> dict[str, Any]:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    out = root.parent / "report.json"
    assert main(["scan", str(root), "--no-git", "--no-cache", "--format", "json", "--out", str(out)]) == 0
    report: dict[str, Any] = json.loads(out.read_text())
    return report


def rows(report: dict[str, Any]) -> dict[tuple[str, str, str], int]:
    """(package, export, barrel passed) -> imports, from the report's usage block."""
    usage = report["usage"]
    found: dict[tuple[str, str, str], int] = {}
    for _, key_id, exports in usage["rows"]:
        package, *_, via = usage["keys"][key_id]
        for export, (value, type_only) in exports.items():
            found[(package, export, via)] = found.get((package, export, via), 0) + value + type_only
    return found


def test_names_imported_through_barrels_count_where_they_come_from(tmp_path: Path) -> None:
    report = scan(tmp_path / "repo", FILES)
    counted = rows(report)
    assert (
        counted[("evergreen-ui", "Button", "src/ui")] == 2
    )  # Home.tsx, and Alias.tsx through a tsconfig alias
    assert (
        counted[("evergreen-ui", "Button", "src/components")] == 1
    )  # Chain.tsx: components -> ui -> evergreen
    assert counted[("evergreen-ui", "Pane", "src/ui")] == 1  # `export { Pane as Box }`: imported as Box
    assert counted[("@acme/react-ui", "Table", "src/ui")] == 1  # through `export *` twice
    assert counted[("src/ui/Card", "Card", "src/ui")] == 1  # defined in a module of the legacy folder
    assert ("src/ui", "Button", "") not in counted
    adoption = report["adoption"]
    assert adoption["groups"]["Evergreen"]["imports"] == 2 + 1 + 1 + 2  # + the barrel's own two re-exports
    assert adoption["groups"]["Acme"]["imports"] == 1 + 1  # Home.tsx, and legacy.ts re-exporting it
    # Card through src/ui, and src/components re-exporting the whole folder; src/ui's own imports are internal
    assert adoption["groups"]["Legacy ui"]["imports"] == 2
    assert adoption["groups"]["Evergreen"]["files"] == 4  # Home, Alias, Chain and the barrel itself


def test_a_cycle_is_reported_and_never_looped(tmp_path: Path) -> None:
    report = scan(tmp_path / "repo", FILES)
    assert report["usage"]["barrel_cycles"] == [["src/loop/a", "src/loop/b", "src/loop/a"]]
    assert any("cycle: src/loop/a -> src/loop/b -> src/loop/a" in w for w in report["adoption"]["warnings"])
    assert (
        rows(report)[("src/loop/a", "X", "")] == 2
    )  # Loop.tsx's import, and b's re-export, stay as they were


def test_regrouping_follows_barrels_too(tmp_path: Path) -> None:
    report = scan(tmp_path / "repo", FILES)
    only_acme = Groups(
        (Group("Acme", packages=("@acme/*",), target=True), Group("EG", packages=("evergreen-ui",)))
    )
    block = adoption_of(report["usage"], only_acme)
    assert block is not None
    assert block["groups"]["EG"]["files"] == 4 and block["groups"]["Acme"]["files"] == 2


def test_editing_the_barrel_moves_its_importers(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    scan(root, FILES)
    changed = {"src/ui/index.ts": "export { Button } from '@acme/react-ui';\n"}
    report = scan(root, changed)
    assert rows(report)[("@acme/react-ui", "Button", "src/ui")] == 2
    assert ("evergreen-ui", "Button", "src/ui") not in rows(report)


def test_walking_the_full_report_shows_where_barrel_imports_come_from(tmp_path: Path) -> None:
    report = scan(tmp_path / "repo", FILES)
    home = sorted(
        (f.package, f.export, f.via, f.lines) for f in file_imports(report) if f.file == "src/app/Home.tsx"
    )
    assert home == [
        ("@acme/react-ui", "Table", "src/ui", (1,)),
        ("evergreen-ui", "Button", "src/ui", (1,)),
        ("evergreen-ui", "Pane", "src/ui", (1,)),
        ("src/ui/Card", "Card", "src/ui", (1,)),
    ]
