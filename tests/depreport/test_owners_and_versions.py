"""CODEOWNERS matching, dependency versions, and adoption broken down by them in a real scan."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from depreport.cli import main
from depreport.resolve.owners import CodeOwners
from depreport.resolve.versions import DependencyVersions, lowest_version, satisfies
from tests.helpers import git_repo

GITHUB = """
# comment
*                 @acme/everyone
/apps/web/        @acme/web
apps/web/legacy/  @acme/legacy @alice   # inline comment
*.py              @acme/python
"""
GITLAB = """
[Frontend] @acme/frontend
apps/
^[Docs][2] @acme/docs
*.md
"""


@pytest.mark.parametrize(
    ("path", "owners"),
    [
        ("README", ("@acme/everyone",)),
        ("apps/web/a.tsx", ("@acme/web",)),
        ("apps/web/legacy/b.tsx", ("@acme/legacy", "@alice")),
        ("apps/web/tool.py", ("@acme/python",)),
    ],
)
def test_github_last_match_wins(path: str, owners: tuple[str, ...]) -> None:
    assert CodeOwners.parse(GITHUB).owners(path) == owners


def test_gitlab_sections_each_contribute_with_default_owners() -> None:
    rules = CodeOwners.parse(GITLAB)
    assert rules.owners("apps/notes.md") == ("@acme/docs", "@acme/frontend")
    assert rules.owners("lib/x.ts") == ()


def test_versions_from_nearest_manifest_and_lockfile() -> None:
    files = {
        "package.json": json.dumps({"dependencies": {"evergreen-ui": "^7.1.0"}}),
        "apps/old/package.json": json.dumps({"dependencies": {"evergreen-ui": "^3.2.0"}}),
        "apps/new/package.json": json.dumps({"name": "new"}),
        "package-lock.json": json.dumps({"packages": {"node_modules/evergreen-ui": {"version": "7.4.2"}}}),
    }
    versions = DependencyVersions(files.get, [p for p in files if p.endswith("package.json")])
    assert versions.version("apps/old/src/a.tsx", "evergreen-ui") == "3.2.0"
    assert versions.version("apps/new/src/a.tsx", "evergreen-ui") == "7.4.2"
    assert versions.version("src/a.tsx", "evergreen-ui") == "7.4.2"
    assert versions.version("src/a.tsx", "react") is None
    assert lowest_version("npm:evergreen-ui@^3.1.0") == "3.1.0" and satisfies("3.9.0", "<4")


def test_versions_from_a_version_1_lockfile() -> None:
    """npm 5 and 6 wrote lockfile version 1: a tree of `dependencies` with no `packages` (react in
    openedx/frontend-app-learning in 2020: `^16.12.0` declared, 16.13.1 locked)."""
    lock = {
        "lockfileVersion": 1,
        "dependencies": {
            "react": {"version": "16.13.1"},
            "evergreen-ui": {"version": "npm:@acme/evergreen@3.4.0"},
            "ui-kit": {"version": "2.0.0", "dependencies": {"react": {"version": "15.7.0"}}},
        },
    }
    files = {
        "package.json": json.dumps(
            {"dependencies": {"react": "^16.12.0", "evergreen-ui": "npm:@acme/evergreen@^3"}}
        ),
        "package-lock.json": json.dumps(lock),
    }
    versions = DependencyVersions(files.get, ["package.json"])
    assert versions.version("src/a.jsx", "react") == "16.13.1"
    assert versions.version("src/a.jsx", "evergreen-ui") == "3.4.0"
    assert versions.version("src/a.jsx", "ui-kit") == "2.0.0"


def test_versions_locked_above_the_declaring_folder() -> None:
    """openedx/frontend-app-authoring's plugins (`file:plugins/course-apps/live`) declare
    `"@openedx/paragon": "*"` as a peer dependency: the app's copy locked at the root is theirs (it was
    `0.0.0`, so 36 imports in 9 files counted as an older Paragon than the 22.2.1 they get). A hoisted
    workspace dependency is found the same way, and an installed copy the range refuses is not taken."""
    lock = {
        "lockfileVersion": 3,
        "packages": {
            "node_modules/@openedx/paragon": {"version": "22.2.1"},
            "node_modules/evergreen-ui": {"version": "7.4.2"},
        },
    }
    files = {
        "package.json": json.dumps({"dependencies": {"@openedx/paragon": "^22.1.1"}}),
        "plugins/course-apps/live/package.json": json.dumps(
            {"name": "@openedx-plugins/course-app-live", "peerDependencies": {"@openedx/paragon": "*"}}
        ),
        "apps/new/package.json": json.dumps({"dependencies": {"evergreen-ui": "^7.1.0"}}),
        "apps/old/package.json": json.dumps({"dependencies": {"evergreen-ui": "^3.2.0"}}),
        "package-lock.json": json.dumps(lock),
    }
    versions = DependencyVersions(files.get, [p for p in files if p.endswith("package.json")])
    assert versions.version("plugins/course-apps/live/Settings.jsx", "@openedx/paragon") == "22.2.1"
    assert versions.version("apps/new/src/a.tsx", "evergreen-ui") == "7.4.2"
    assert versions.version("apps/old/src/a.tsx", "evergreen-ui") == "3.2.0"


@pytest.mark.integration
def test_adoption_by_version_range_and_by_owner(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = """
[[groups]]
name = "v7"
packages = ["evergreen-ui"]
version = ">=4"
target = true
[[groups]]
name = "v3"
packages = ["evergreen-ui"]
version = "<4"
"""
    repo = git_repo(
        tmp_path / "mono",
        {
            "depreport.toml": config,
            "package.json": json.dumps({"workspaces": ["apps/*"]}),
            "apps/old/package.json": json.dumps({"name": "old", "dependencies": {"evergreen-ui": "^3.2.0"}}),
            "apps/new/package.json": json.dumps({"name": "new", "dependencies": {"evergreen-ui": "^7.0.0"}}),
            "apps/old/src/a.tsx": "import { Button, Pane } from 'evergreen-ui';",
            "apps/new/src/b.tsx": "import { Button } from 'evergreen-ui';",
            ".github/CODEOWNERS": "/apps/old/ @acme/legacy-team\n/apps/new/ @acme/new-team\n",
        },
    )
    assert main(["scan", str(repo), "--format", "json", "--no-cache", "--progress", "never"]) == 0
    adoption = json.loads(capsys.readouterr().out)["adoption"]
    assert adoption["groups"]["v7"]["imports"] == 1 and adoption["groups"]["v3"]["imports"] == 2
    by_owner = adoption["by_owner"]
    assert by_owner["@acme/legacy-team"]["groups"]["v3"]["imports"] == 2
    assert by_owner["@acme/new-team"]["target_share"]["imports"] == 1.0
