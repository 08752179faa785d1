"""Walking a full report by package, subpath, export and file, on a report made by a real scan."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from depreport.cli import main
from depreport.report.walk import FileImports, file_imports

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
