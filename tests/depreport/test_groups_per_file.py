"""Where `check` and the treemap place each file's imports: at the version the file imports, and inside
a legacy folder as adoption does.

A major-version migration (antd 4 -> 5, one app at a time) is configured as two groups of one package
with version ranges. Adoption counted them by version, but `check` tracked none of the old version's
imports and the treemap placed none of them: both classified an import by its package alone.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dashboard.usage import report_usage
from depreport.cli import main
from depreport.report.schema.validate import report_problem
from tests.helpers import git, git_repo

CONFIG = """
[[groups]]
name = "antd 5"
packages = ["antd"]
version = ">=5"
target = true

[[groups]]
name = "antd 4"
packages = ["antd"]
version = "<5"
"""
FILES: dict[str, str | bytes] = {
    "depreport.toml": CONFIG,
    "package.json": json.dumps({"private": True, "workspaces": ["apps/*"]}),
    "apps/new/package.json": json.dumps({"name": "new", "dependencies": {"antd": "5.21.0"}}),
    "apps/old/package.json": json.dumps({"name": "old", "dependencies": {"antd": "4.24.16"}}),
    "apps/new/src/a.tsx": "import { Button } from 'antd';\nexport const A = () => <Button />;\n",
    "apps/old/src/b.tsx": "import { Button, Modal } from 'antd';\nexport const B = () => <Modal><Button /></Modal>;\n",
}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return git_repo(tmp_path / "app", FILES)


def scan(repo: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, object]:
    assert main(["scan", str(repo), "--format", "json", "--progress", "never", "--no-cache", *extra]) == 0
    report: dict[str, object] = json.loads(capsys.readouterr().out)
    return report


def test_a_report_names_the_version_each_file_imports(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = scan(repo, capsys)
    assert report["versions"] == {
        "antd": {"4.24.16": ["apps/old/src/b.tsx"], "5.21.0": ["apps/new/src/a.tsx"]}
    }
    assert report_problem(report) is None
    (repo / "depreport.toml").write_text(
        CONFIG.replace('version = ">=5"\n', "").replace('version = "<5"\n', "")
    )
    assert "versions" not in scan(repo, capsys)  # no group has a range: nothing to record


def test_the_treemap_places_each_file_by_its_version(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = report_usage(scan(repo, capsys))  # type: ignore[arg-type]
    placed = {(row.file, row.export): (row.group, bool(row.target)) for row in rows.itertuples()}
    assert placed == {
        ("apps/new/src/a.tsx", "Button"): ("antd 5", True),
        ("apps/old/src/b.tsx", "Button"): ("antd 4", False),
        ("apps/old/src/b.tsx", "Modal"): ("antd 4", False),
    }


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_tracks_the_old_versions_imports(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    baseline = repo.parent / "baseline.json"
    check = ["check", str(repo), "--progress", "never", "--baseline", str(baseline)]
    code, _, err = run(capsys, *check, "--update-baseline")
    assert code == 0 and "created" in err
    made = json.loads(baseline.read_text())
    assert made["by_version"] is True
    assert made["tracked"] == {
        "antd Button": {"count": 1, "files": {"apps/old/src/b.tsx": 1}},
        "antd Modal": {"count": 1, "files": {"apps/old/src/b.tsx": 1}},
    }
    (repo / "apps/new/src/c.tsx").write_text("import { Modal } from 'antd';\n")
    code, out, _ = run(capsys, *check)
    assert code == 0, out  # the target version's imports may grow
    (repo / "apps/old/src/c.tsx").write_text("import { Modal } from 'antd';\n")
    code, out, _ = run(capsys, *check)
    assert code == 1
    assert "antd Modal: 1 → 2 (group 'antd 4' is being replaced)" in out and "apps/old/src/c.tsx:1" in out


def test_a_baseline_made_without_versions_is_compared_as_made_and_upgraded(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Its tracked usage has none of the old version's imports: compared as it is, every one of them
    would be new. Both sides are read without versions, said; --update-baseline on main upgrades it."""
    baseline = repo.parent / "baseline.json"
    baseline.write_text('{"format": "depreport-baseline/1", "tracked": {}, "instances": {}}\n')
    check = ["check", str(repo), "--progress", "never", "--baseline", str(baseline)]
    code, out, err = run(capsys, *check)
    assert code == 0 and "0 tracked exports" in out
    assert "those groups' imports are not checked this time; run check --update-baseline" in err
    code, _, err = run(capsys, *check, "--update-baseline")
    assert code == 0 and "the imports of groups of a version range are tracked from now on" in err
    assert set(json.loads(baseline.read_text())["tracked"]) == {"antd Button", "antd Modal"}
    (repo / "apps/old/src/c.tsx").write_text("import { Button } from 'antd';\n")
    git(repo, "add", "-A")
    assert run(capsys, *check)[0] == 1


def test_check_counts_a_legacy_folders_own_package_imports_as_adoption_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A legacy wrapper folder's own imports of the legacy package count for the group (adoption counts
    them: only modules of the folder imported inside it are internal); check passed them over, so a new
    evergreen-ui import written inside src/legacy/ never failed it."""
    config = '[[groups]]\nname = "new"\npackages = ["ui"]\ntarget = true\n'
    config += '[[groups]]\nname = "old"\npackages = ["evergreen-ui"]\npaths = ["src/legacy/**"]\n'
    repo = git_repo(
        tmp_path / "app",
        {
            "depreport.toml": config,
            "src/legacy/Button.tsx": "import { Button } from 'evergreen-ui';\nexport { Button };\n",
            "src/legacy/Card.tsx": "import { Button } from './Button';\nexport const Card = Button;\n",
            "src/page.tsx": "import { Card } from './legacy/Card';\n",
        },
    )
    baseline = tmp_path / "baseline.json"
    check = ["check", str(repo), "--progress", "never", "--baseline", str(baseline)]
    assert run(capsys, *check, "--update-baseline")[0] == 0
    assert json.loads(baseline.read_text())["tracked"] == {
        "evergreen-ui Button": {"count": 1, "files": {"src/legacy/Button.tsx": 1}},
        "src/legacy/Card Card": {"count": 1, "files": {"src/page.tsx": 1}},
    }  # the folder's own import of its Button module is internal to it
    (repo / "src/legacy/Pane.tsx").write_text("import { Pane } from 'evergreen-ui';\n")
    code, out, _ = run(capsys, *check)
    assert code == 1 and "evergreen-ui Pane: 0 → 1" in out
