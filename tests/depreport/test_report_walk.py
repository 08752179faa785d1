"""Walking a full report by package, subpath, export and file, on a report made by a real scan."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from depreport.cli import main
from depreport.report.walk import (
    FileImports,
    component_props,
    component_totals,
    component_uses,
    component_values,
    components_part,
    export_entries,
    export_files,
    file_imports,
)
from tests.conftest import FIXTURES

pytestmark = pytest.mark.integration


def scan(root: Path, files: dict[str, str]) -> dict[str, object]:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    out = root.parent / "report.json"
    assert main(["scan", str(root), "--no-git", "--no-cache", "--format", "json", "--out", str(out)]) == 0
    report: dict[str, object] = json.loads(out.read_text())
    return report


def test_lines_through_a_subpath_are_told_apart(tmp_path: Path) -> None:
    report = scan(
        tmp_path / "repo",
        {
            "a.tsx": "import { Button } from '@acme/ui/next';\nimport { Button as Old } from '@acme/ui';\n",
            "b.tsx": "import { Pane } from '@acme/ui/next/layout';\n",
        },
    )
    assert sorted(file_imports(report)) == [
        FileImports("@acme/ui", "", "Button", "a.tsx", (2,), "npm"),
        FileImports("@acme/ui", "next", "Button", "a.tsx", (1,), "npm"),
        FileImports("@acme/ui", "next/layout", "Pane", "b.tsx", (1,), "npm"),
    ]


def test_a_report_without_subpaths_walks_as_before(tmp_path: Path) -> None:
    report = scan(tmp_path / "repo", {"a.ts": "import x from 'left-pad';\nimport { y } from 'left-pad';\n"})
    assert [(f.package, f.subpath, f.export, f.lines) for f in file_imports(report)] == [
        ("left-pad", "", "default", (1,)),
        ("left-pad", "", "y", (2,)),
    ]


def test_export_files_are_the_lines_as_recorded_and_file_imports_split_them(tmp_path: Path) -> None:
    report = scan(
        tmp_path / "repo",
        {
            "a.tsx": "import { Button } from '@acme/ui/next';\nimport { Button as Old } from '@acme/ui';\n",
            "b.tsx": "import { Pane } from '@acme/ui/next/layout';\n",
        },
    )
    assert sorted(export_files(report)) == [
        ("@acme/ui", "Button", "a.tsx", [1, 2]),
        ("@acme/ui", "Pane", "b.tsx", [1]),
    ]
    joined: dict[tuple[str, str, str], list[int]] = {}
    for found in file_imports(report):
        joined.setdefault((found.package, found.export, found.file), []).extend(found.lines)
    assert {key: sorted(lines) for key, lines in joined.items()} == {
        (package, export, path): lines for package, export, path, lines in export_files(report)
    }
    assert [(e.package, e.export, e.resolved_as) for e in export_entries(report)] == [
        ("@acme/ui", "Button", "npm"),
        ("@acme/ui", "Pane", "npm"),
    ]


def test_a_components_part_walks_as_its_report() -> None:
    report = json.loads((FIXTURES / "golden" / "mini-app.report.json").read_text(encoding="utf-8"))
    part = components_part(report)
    assert list(component_uses(part)) == list(component_uses(report)) != []
    assert list(component_values(part)) == list(component_values(report))
    assert list(component_totals(part)) == list(component_totals(report))
    rendered = {(use.package, use.export) for use in component_uses(report)}
    assert all(component_props(part, *key) == component_props(report, *key) for key in rendered)
    assert "packages" not in part._asdict()  # the part keeps no import lists
