"""CODEOWNERS matching, dependency versions, and adoption broken down by them in a real scan."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from depreport.cli import main
from depreport.model import Problem
from depreport.resolve.owners import CodeOwners
from depreport.resolve.versions import DependencyVersions, lowest_version, range_within, satisfies
from tests.helpers import commit_at, git, git_repo, write_files

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


def _npm_lock(**locked: str) -> str:
    return json.dumps(
        {"lockfileVersion": 3, "packages": {f"node_modules/{k}": {"version": v} for k, v in locked.items()}}
    )


def test_an_undeclared_dependency_gets_the_copy_locked_nearest_its_folder() -> None:
    """kubernetes-sigs/headlamp's plugin examples import `react` without declaring it (it comes with
    `@kinvolk/headlamp-plugin`), and each locks its own copy in its package-lock.json: 18.3.1 from
    2025-03-27, while the root has no lockfile. Node finds that copy; it was the root's (none), so 12
    imports in 10 files stayed in a "React 17 and older" group."""
    files = {
        "package.json": json.dumps({"devDependencies": {"glob": "^10.3.3"}}),
        "frontend/package.json": json.dumps({"dependencies": {"react": "^17.0.1"}}),
        "frontend/package-lock.json": _npm_lock(react="17.0.2"),
        "plugins/examples/pod-counter/package.json": json.dumps(
            {"devDependencies": {"@kinvolk/headlamp-plugin": "^0.11.0"}}
        ),
        "plugins/examples/pod-counter/package-lock.json": _npm_lock(react="18.3.1"),
    }
    versions = DependencyVersions(files.get, [p for p in files if p.endswith("package.json")])
    assert versions.version("plugins/examples/pod-counter/src/index.tsx", "react") == "18.3.1"
    assert versions.version("frontend/src/App.tsx", "react") == "17.0.2"
    assert versions.version("scripts/build.js", "react") is None  # nothing locks it there


@pytest.mark.integration
def test_a_plugin_lockfile_moving_an_undeclared_dependency_moves_its_version_group(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """headlamp's plugin examples over two weeks: the example's own lockfile moves react from 17.0.2 to
    18.3.1 and its import moves to the React 18 group (it stayed with the older one)."""
    config = '[[groups]]\nname = "React 18"\npackages = ["react"]\nversion = ">=18"\ntarget = true\n'
    config += '[[groups]]\nname = "React 17 and older"\npackages = ["react"]\n'
    root = tmp_path / "headlamp"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    example = "plugins/examples/pod-counter"
    plugin = {
        f"{example}/package.json": json.dumps({"devDependencies": {"@kinvolk/headlamp-plugin": "^0.11.0"}}),
        f"{example}/src/index.tsx": "import React from 'react';\n",
    }
    for when, react in (("2025-03-18T10:00:00Z", "17.0.2"), ("2025-03-27T10:00:00Z", "18.3.1")):
        write_files(root, {**plugin, f"{example}/package-lock.json": _npm_lock(react=react)})
        git(root, "add", "-A")
        commit_at(root, when)
    store = tmp_path / "store"
    backfill = ["backfill", str(root), "--since", "2025-03-17", "--weeks", "2", "--publish", str(store)]
    common = ["--config", str(tmp_path / "groups.toml"), "--progress", "never"]
    (tmp_path / "groups.toml").write_text(config)
    assert main([*backfill, *common, "--cache-dir", str(tmp_path / "cache"), "--repo", "k/headlamp"]) == 0
    capsys.readouterr()
    assert (
        main(["adoption", "--store", str(store), "--repo", "k/headlamp", "--format", "json", *common[:2]])
        == 0
    )
    weeks = json.loads(capsys.readouterr().out)["weeks"]
    by_week = [{g["group"]: g["imports"] for g in week["groups"]} for week in weeks]
    assert by_week == [{"React 18": 0, "React 17 and older": 1}, {"React 18": 1, "React 17 and older": 0}]


_YARN_CLASSIC_MUI = """# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.
# yarn lockfile v1


"@mui/material@^5.0.2":
  version "5.0.2"
  resolved "https://registry.yarnpkg.com/@mui/material/-/material-5.0.2.tgz"
"""

_YARN_BERRY_MUI = """# This file is generated by running "yarn install" inside your project.
# Manual changes might be lost - proceed with caution!

__metadata:
  version: 5
  cacheKey: 8c0

"@mui/material@npm:^5.0.2":
  version: 5.2.8
  resolution: "@mui/material@npm:5.2.8"
"""

_RA_WORKSPACES = {
    "package.json": json.dumps({"private": True, "workspaces": ["packages/*"]}),
    "packages/ra-core/package.json": json.dumps({"name": "ra-core", "dependencies": {"react": "^17.0.0"}}),
    "packages/ra-ui-materialui/package.json": json.dumps(
        {"name": "ra-ui-materialui", "devDependencies": {"@mui/material": "^5.0.2"}}
    ),
}


@pytest.mark.parametrize(("lock", "version"), [(_YARN_CLASSIC_MUI, "5.0.2"), (_YARN_BERRY_MUI, "5.2.8")])
def test_an_undeclared_dependency_gets_the_one_copy_yarn_locks(lock: str, version: str) -> None:
    """marmelab/react-admin: ra-core's tests import @mui/material, which ra-core's package.json does not
    declare (ra-ui-materialui does); yarn hoists its one locked copy to the root's node_modules, where Node
    finds it. No version was taken, so the import stayed in a group of the older versions after the lock
    moved to 5.2.8."""
    files = {**_RA_WORKSPACES, "yarn.lock": lock}
    versions = DependencyVersions(files.get, [p for p in files if p.endswith("package.json")])
    spec = "packages/ra-core/src/controller/list/useListController.spec.tsx"
    assert versions.version(spec, "@mui/material") == version
    assert versions.version(spec, "lodash") is None  # not locked at all


def test_an_undeclared_dependency_yarn_locks_at_two_versions_gets_none() -> None:
    """Which of two locked copies yarn hoisted is not in yarn.lock: no version is taken."""
    two = _YARN_CLASSIC_MUI + '\n"@mui/material@^5.2.0":\n  version "5.2.8"\n'
    files = {**_RA_WORKSPACES, "yarn.lock": two}
    versions = DependencyVersions(files.get, [p for p in files if p.endswith("package.json")])
    assert versions.version("packages/ra-core/src/a.spec.tsx", "@mui/material") is None
    assert versions.version("packages/ra-ui-materialui/src/a.tsx", "@mui/material") == "5.0.2"


@pytest.mark.integration
def test_an_undeclared_dependency_moves_with_yarn_lock_across_its_format_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """react-admin's move from yarn classic to berry (2022-01-16) kept @mui/material at 5.0.2; the next
    lock moved it to 5.2.8 and the undeclared import in ra-core's test moves with the declared ones."""
    config = '[[groups]]\nname = "MUI 5.2+"\npackages = ["@mui/material"]\nversion = ">=5.2"\ntarget = true\n'
    config += '[[groups]]\nname = "MUI 5.0-5.1"\npackages = ["@mui/material"]\n'
    (tmp_path / "groups.toml").write_text(config)
    root = tmp_path / "react-admin"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    sources = {
        "packages/ra-core/src/list.spec.tsx": "import { TextField } from '@mui/material';\n",
        "packages/ra-ui-materialui/src/Button.tsx": "import { Button } from '@mui/material';\n",
    }
    berry_502 = _YARN_BERRY_MUI.replace("5.2.8", "5.0.2")
    weeks = (("2022-01-12T10:00:00Z", _YARN_CLASSIC_MUI), ("2022-01-19T10:00:00Z", berry_502))
    weeks += (("2022-01-26T10:00:00Z", _YARN_BERRY_MUI),)
    for when, lock in weeks:
        write_files(root, {**_RA_WORKSPACES, **sources, "yarn.lock": lock})
        git(root, "add", "-A")
        commit_at(root, when)
    store = tmp_path / "store"
    common = ["--config", str(tmp_path / "groups.toml"), "--progress", "never"]
    backfill = ["backfill", str(root), "--since", "2022-01-10", "--weeks", "3", "--publish", str(store)]
    assert main([*backfill, *common, "--cache-dir", str(tmp_path / "cache"), "--repo", "m/react-admin"]) == 0
    capsys.readouterr()
    adoption = ["adoption", "--store", str(store), "--repo", "m/react-admin", "--format", "json"]
    assert main([*adoption, *common[:2]]) == 0
    weeks_out = json.loads(capsys.readouterr().out)["weeks"]
    by_week = [{g["group"]: g["imports"] for g in week["groups"]} for week in weeks_out]
    assert by_week == [{"MUI 5.2+": 0, "MUI 5.0-5.1": 2}] * 2 + [{"MUI 5.2+": 2, "MUI 5.0-5.1": 0}]


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


# Excerpts of real lockfiles: getredash/redash's pnpm-lock.yaml (v9, two importers), outline's yarn.lock
# (berry) and excalidraw's (classic).
REDASH_PNPM = """lockfileVersion: '9.0'

settings:
  autoInstallPeers: true

importers:

  .:
    dependencies:
      '@redash/viz':
        specifier: workspace:*
        version: link:viz-lib
      antd:
        specifier: 4.4.3
        version: 4.4.3(dayjs@1.11.19)(react-dom@16.14.0(react@16.14.0))(react@16.14.0)

  viz-lib:
    dependencies:
      antd:
        specifier: '>=4.0.0'
        version: 4.4.3(dayjs@1.11.19)(react-dom@16.14.0(react@16.14.0))(react@16.14.0)

packages:

  antd@4.4.3:
    resolution: {integrity: sha512-x}
"""
OUTLINE_BERRY = """# This file is generated by running "yarn install" inside your project.

__metadata:
  version: 8
  cacheKey: 10c0

"react@npm:^17.0.2":
  version: 17.0.2
  resolution: "react@npm:17.0.2"
  dependencies:
    version: "npm:^9.9.9"

"styled-components@npm:^5.2.0, styled-components@npm:^5.3.11":
  version: 5.3.11
  resolution: "styled-components@npm:5.3.11"
"""
NPM_LOCK = json.dumps(
    {
        "lockfileVersion": 3,
        "packages": {"": {"dependencies": {"antd": ">=4.0.0"}}, "node_modules/antd": {"version": "4.4.3"}},
    }
)
EXCALIDRAW_CLASSIC = """# yarn lockfile v1


"@ampproject/remapping@^2.2.0", "@ampproject/remapping@^2.3.0":
  version "2.3.0"
  resolved "https://registry.yarnpkg.com/@ampproject/remapping/-/remapping-2.3.0.tgz"

react@19.0.0, react@>=16:
  version "19.0.0"
"""


@pytest.mark.parametrize(
    ("lockfile", "text", "manifests", "expected"),
    [
        pytest.param(
            "pnpm-lock.yaml", REDASH_PNPM,
            {"package.json": {"antd": "4.4.3"}, "viz-lib/package.json": {"antd": ">=4.0.0"}},
            {"client/app/a.jsx": ("antd", "4.4.3"), "viz-lib/src/b.jsx": ("antd", "4.4.3")},
            id="pnpm-importers",
        ),
        pytest.param(
            "yarn.lock", OUTLINE_BERRY,
            {"package.json": {"react": "^17.0.2", "styled-components": "^5.2.0"}},
            {"app/a.tsx": ("react", "17.0.2"), "app/b.tsx": ("styled-components", "5.3.11")},
            id="yarn-berry",
        ),
        pytest.param(
            "yarn.lock", EXCALIDRAW_CLASSIC,
            {"package.json": {"@ampproject/remapping": "^2.2.0"}, "web/package.json": {"react": ">=16"}},
            {"a.js": ("@ampproject/remapping", "2.3.0"), "web/src/b.jsx": ("react", "19.0.0")},
            id="yarn-classic",
        ),
        pytest.param(
            "client/pnpm-lock.yaml", REDASH_PNPM,
            {"client/package.json": {"antd": "4.4.3"}, "client/viz-lib/package.json": {"antd": ">=4.0.0"}},
            {"client/viz-lib/src/b.jsx": ("antd", "4.4.3")},
            id="pnpm-below-the-root",
        ),
        pytest.param(
            "web/yarn.lock", OUTLINE_BERRY,
            {"web/package.json": {"styled-components": "^5.2.0"}},
            {"web/app/b.tsx": ("styled-components", "5.3.11")},
            id="yarn-below-the-root",
        ),
        pytest.param(
            "frontend/package-lock.json", NPM_LOCK,
            {"frontend/package.json": {"antd": ">=4.0.0"}},
            {"frontend/src/a.jsx": ("antd", "4.4.3")},
            id="npm-below-the-root",
        ),
    ],
)  # fmt: skip
def test_versions_from_pnpm_and_yarn_lockfiles(
    lockfile: str, text: str, manifests: dict[str, dict[str, str]], expected: dict[str, tuple[str, str]]
) -> None:
    """Only package-lock.json was read: with pnpm or yarn, a version-ranged group saw the lowest version
    a range allows (redash's viz-lib declares antd '>=4.0.0': 4.0.0, where 4.4.3 is installed)."""
    files = {path: json.dumps({"dependencies": deps}) for path, deps in manifests.items()}
    files[lockfile] = text
    versions = DependencyVersions(files.get, list(manifests))
    assert {file: (package, versions.version(file, package)) for file, (package, _) in expected.items()} == (
        expected
    )


def test_the_nearest_lockfile_speaks_for_a_folder() -> None:
    """A lockfile below the root was not read: an app in `web/` with its own yarn.lock saw the root's
    versions, or the lowest its range allows."""
    files = {
        "package.json": json.dumps({"dependencies": {"styled-components": "^5.2.0"}}),
        "yarn.lock": OUTLINE_BERRY,
        "web/package.json": json.dumps({"dependencies": {"styled-components": "^5.2.0"}}),
        "web/yarn.lock": OUTLINE_BERRY.replace("version: 5.3.11", "version: 5.2.1"),
    }
    versions = DependencyVersions(files.get, ["package.json", "web/package.json"])
    assert versions.version("web/src/a.tsx", "styled-components") == "5.2.1"
    assert versions.version("src/a.tsx", "styled-components") == "5.3.11"


def test_a_peer_range_gets_the_version_the_app_above_installs() -> None:
    """getredash/redash before its move to pnpm: viz-lib declares `"antd": ">=4.0.0"` as a peer, its own
    yarn.lock has no antd, and Node finds the app's 4.4.3 above; it was the range's lowest, 4.0.0."""
    files = {
        "package.json": json.dumps({"dependencies": {"antd": "4.4.3"}}),
        "yarn.lock": 'antd@4.4.3:\n  version "4.4.3"\n',
        "viz-lib/package.json": json.dumps({"peerDependencies": {"antd": ">=4.0.0"}}),
        "viz-lib/yarn.lock": 'lodash@^4.17.20:\n  version "4.17.21"\n',
    }
    versions = DependencyVersions(files.get, ["package.json", "viz-lib/package.json"])
    assert versions.version("viz-lib/src/visualizations/Chart.jsx", "antd") == "4.4.3"
    files["viz-lib/package.json"] = json.dumps({"peerDependencies": {"antd": ">=5.0.0"}})
    versions = DependencyVersions(files.get, ["package.json", "viz-lib/package.json"])
    assert versions.version("viz-lib/src/visualizations/Chart.jsx", "antd") == "5.0.0"  # outside its range


def test_a_lockfile_that_does_not_parse_leaves_the_declared_ranges() -> None:
    files = {
        "package.json": json.dumps({"dependencies": {"antd": ">=4.1.0"}}),
        "pnpm-lock.yaml": "importers:\n  .: [b",
    }
    assert DependencyVersions(files.get, ["package.json"]).version("a.js", "antd") == "4.1.0"


@pytest.mark.parametrize("lockfile", ["pnpm-lock.yaml", "viz-lib/pnpm-lock.yaml"])
def test_a_changed_pnpm_lockfile_moves_a_version_group_on_the_next_scan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lockfile: str
) -> None:
    """The lockfile is an input of the report: a warm scan after `pnpm install` moved antd to 4.4.3 is
    not the last scan's report again, at the root or in the folder of a package.json below it."""
    config = '[[groups]]\nname = "new"\npackages = ["antd"]\nversion = ">=4.3"\ntarget = true\n'
    config += '[[groups]]\nname = "old"\npackages = ["antd"]\nversion = "<4.3"\n'
    repo = git_repo(
        tmp_path / "app",
        {
            "depreport.toml": config,
            "viz-lib/package.json": json.dumps({"name": "@redash/viz", "dependencies": {"antd": ">=4.0.0"}}),
            "viz-lib/src/a.jsx": "import { Button } from 'antd';",
            lockfile: REDASH_PNPM.replace("4.4.3", "4.1.0"),
        },
    )
    scan = ["scan", str(repo), "--format", "json", "--progress", "never", "--cache-dir", str(tmp_path / "c")]
    groups = []
    for lock in ("4.1.0", "4.4.3"):
        (repo / lockfile).write_text(REDASH_PNPM.replace("4.4.3", lock))
        assert main(scan) == 0
        adoption = json.loads(capsys.readouterr().out)["adoption"]["groups"]
        groups.append({name: group["imports"] for name, group in adoption.items()})
    assert groups == [{"new": 0, "old": 1}, {"new": 1, "old": 0}]


def test_a_peer_dependency_on_any_version_gets_the_version_the_app_declares() -> None:
    """openedx/frontend-app-authoring's `file:` plugins declare `"@openedx/paragon": "*"` as a peer: with
    no lockfile that was 0.0.0 (an 'older than any' version); the app above declares the one installed."""
    files = {
        "package.json": json.dumps({"dependencies": {"@openedx/paragon": "^22.1.0"}}),
        "plugins/live/package.json": json.dumps({"peerDependencies": {"@openedx/paragon": "*"}}),
        "plugins/wide/package.json": json.dumps({"peerDependencies": {"@openedx/paragon": ">=23"}}),
    }
    versions = DependencyVersions(files.get, list(files))
    assert versions.version("plugins/live/src/a.jsx", "@openedx/paragon") == "22.1.0"
    assert versions.version("plugins/wide/src/a.jsx", "@openedx/paragon") == "23.0.0"  # its own range
    assert versions.version("src/index.jsx", "@openedx/paragon") == "22.1.0"


@pytest.mark.parametrize(
    ("inner", "outer", "within"),
    [
        (">=4.3", ">=4", True), (">=4", ">=4.3", False), ("^4", ">=4.3", False), ("^4.3.1", "^4", True),
        ("<4", "<5", True), ("<5", "<4", False), (">=4 <5", "^4.0.0", True), ("*", ">=1", False),
        (">=22", "*", True), (">1.2.3", ">=1.2.4", True), (">=1.2.3", ">1.2.3", False),
        (">1.3.0", "<=5.2.3 || >=4.3.1", True), ("<1.0.0", "<0.9.0", False), ("latest", "*", False),
    ],
)  # fmt: skip
def test_a_range_within_another(inner: str, outer: str, within: bool) -> None:
    """Agrees with node-semver's `subset(inner, outer, {includePrerelease: true})` on 2,991 of 3,000
    random pairs; the 9 others are unions node-semver's check does not join (`>1.3.0` within
    `<=5.2.3 || >=4.3.1`), where every version one allows the other does."""
    assert range_within(inner, outer) is within


T3_WORKSPACE = """packages:
  - apps/*
  - packages/*

catalog:
  "@tanstack/react-query": ^5.90.8
  zod: ^4.1.12

catalogs:
  react19:
    react: 19.1.2
    react-dom: 19.1.2
"""


def test_a_pnpm_catalog_dependency_takes_the_catalogs_range() -> None:
    """t3-oss/create-t3-turbo's apps declare `"zod": "catalog:"` and `"react": "catalog:react19"`, the
    ranges being in pnpm-workspace.yaml: with no lockfile read they had no version at all, so a group
    `zod, version >=4` counted none of them and a group of zod at any version took them all."""
    manifest = {"zod": "catalog:", "react": "catalog:react19", "@tanstack/react-query": "catalog:default"}
    files = {
        "pnpm-workspace.yaml": T3_WORKSPACE,
        "apps/nextjs/package.json": json.dumps({"dependencies": {**manifest, "left-pad": "catalog:other"}}),
    }
    problems: list[Problem] = []
    versions = DependencyVersions(files.get, ["apps/nextjs/package.json"], problems)
    seen = {p: versions.version("apps/nextjs/src/a.tsx", p) for p in [*manifest, "left-pad"]}
    assert seen == {"zod": "4.1.12", "react": "19.1.2", "@tanstack/react-query": "5.90.8", "left-pad": None}
    (problem,) = problems  # pnpm refuses to install it: said, with the fix, not passed over
    assert problem.path == "apps/nextjs/package.json"
    assert "declares left-pad as 'catalog:other', but a catalog named 'other'" in problem.message
    assert problem.message.endswith("add `left-pad` to that catalog")


def test_a_missing_catalog_entry_is_said_whether_or_not_a_file_asks_for_its_version() -> None:
    """The problem comes from the manifests alone, so a scan that counts no file of that folder (a job
    from the pack that restores the index) says it as a cold scan does."""
    files = {
        "pnpm-workspace.yaml": T3_WORKSPACE,
        "package.json": json.dumps({"devDependencies": {"zod": "catalog:", "vitest": "catalog:"}}),
    }
    problems: list[Problem] = []
    DependencyVersions(files.get, ["package.json"], problems)
    assert [p.message.split(" as ")[0] for p in problems] == ["package.json declares vitest"]
    assert "the default catalog in pnpm-workspace.yaml or .yarnrc.yml has no entry" in problems[0].message


def test_a_yarn_catalog_dependency_takes_the_catalogs_range_and_its_locked_version() -> None:
    """Yarn 4.10+ keeps catalogs in .yarnrc.yml, shaped as pnpm's; yarn resolves the catalog's range, so
    yarn.lock holds `react@npm:^17.0.2`. They were not read: `"react": "catalog:"` had no version."""
    yarnrc = 'nodeLinker: node-modules\ncatalog:\n  react: ^17.0.2\ncatalogs:\n  legacy:\n    styled-components: "^5.2.0"\n'
    manifest = {"react": "catalog:", "styled-components": "catalog:legacy"}
    files = {
        ".yarnrc.yml": yarnrc,
        "yarn.lock": OUTLINE_BERRY,
        "package.json": json.dumps({"dependencies": manifest}),
    }
    versions = DependencyVersions(files.get, ["package.json"])
    seen = {p: versions.version("app/a.tsx", p) for p in manifest}
    assert seen == {"react": "17.0.2", "styled-components": "5.3.11"}


def test_a_yarnrc_that_does_not_parse_is_a_problem_naming_what_it_costs() -> None:
    problems: list[Problem] = []
    files = {
        ".yarnrc.yml": "catalog:\n  react: ^17\n bad: [",
        "package.json": '{"dependencies": {"react": "catalog:"}}',
    }
    versions = DependencyVersions(files.get, ["package.json"], problems)
    assert versions.version("a.js", "react") is None
    (problem,) = problems
    assert problem.path == ".yarnrc.yml" and problem.message.startswith(".yarnrc.yml is not valid YAML (")
    assert "a dependency declared as `catalog:` has no version; fix the file" in problem.message


@pytest.mark.parametrize("catalog_file", ["pnpm-workspace.yaml", ".yarnrc.yml"])
def test_an_edited_catalog_moves_a_version_group_on_the_next_scan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], catalog_file: str
) -> None:
    """The catalog is an input of the report when a group has a version range: a warm scan after zod's
    catalog entry went from ^3 to ^4 is not the last scan's report again (pnpm's file, or yarn's, whose
    `packages` key yarn ignores)."""
    config = '[[groups]]\nname = "zod 4"\npackages = ["zod"]\nversion = ">=4"\ntarget = true\n'
    config += '[[groups]]\nname = "zod 3"\npackages = ["zod"]\n'
    repo = git_repo(
        tmp_path / "t3",
        {
            "depreport.toml": config,
            catalog_file: T3_WORKSPACE,
            "apps/nextjs/package.json": json.dumps({"name": "nextjs", "dependencies": {"zod": "catalog:"}}),
            "apps/nextjs/src/env.ts": "import { z } from 'zod/v4';",
        },
    )
    scan = ["scan", str(repo), "--format", "json", "--progress", "never", "--cache-dir", str(tmp_path / "c")]
    groups = []
    for zod in ("^3.25.0", "^4.1.12"):
        (repo / catalog_file).write_text(T3_WORKSPACE.replace("^4.1.12", zod))
        assert main(scan) == 0
        adoption = json.loads(capsys.readouterr().out)["adoption"]["groups"]
        groups.append({name: group["imports"] for name, group in adoption.items()})
    assert groups == [{"zod 4": 0, "zod 3": 1}, {"zod 4": 1, "zod 3": 0}]


CONFLICTED = "\n".join(
    (
        *REDASH_PNPM.splitlines()[:12],
        "<<<<<<< HEAD",
        *REDASH_PNPM.splitlines()[12:15],
        "=======",
        "      antd:",
        "        specifier: 4.5.0",
        "        version: 4.5.0(dayjs@1.11.19)(react-dom@16.14.0(react@16.14.0))(react@16.14.0)",
        ">>>>>>> upgrade-antd",
        *REDASH_PNPM.splitlines()[15:],
    )
)


@pytest.mark.parametrize(
    ("lockfile", "text", "said"),
    [
        pytest.param("pnpm-lock.yaml", "importers:\n  .: [b", "is not valid YAML", id="pnpm-broken"),
        pytest.param("pnpm-lock.yaml", "importers:\n\t.: {}\n", "is not valid YAML", id="pnpm-tab"),
        pytest.param(
            "pnpm-lock.yaml", CONFLICTED, "has git merge conflict markers (line 13)", id="pnpm-conflict"
        ),
        pytest.param("package-lock.json", '{"packages": {', "is not valid JSON", id="npm-truncated"),
        pytest.param("package-lock.json", "[]", "is not a JSON object", id="npm-a-list"),
        pytest.param(
            "yarn.lock",
            '<<<<<<< HEAD\nantd@>=4.1.0:\n  version "4.4.3"\n=======\nantd@>=4.1.0:\n  version "4.5.0"\n>>>>>>> b\n',
            "has git merge conflict markers (line 1)",
            id="yarn-conflict",
        ),
    ],
)
def test_a_lockfile_that_does_not_parse_is_a_problem_and_leaves_the_declared_ranges(
    lockfile: str, text: str, said: str
) -> None:
    """A lockfile that did not parse gave no versions and said nothing, and one committed with a merge's
    conflict markers lost entries without a word (pnpm's reader dropped the lines from the first marker
    to the next section: antd of the root and of viz-lib); a version-ranged group silently saw the
    lowest version each declared range allows. Either is now a problem naming the file and the fix."""
    files = {"package.json": json.dumps({"dependencies": {"antd": ">=4.1.0"}}), lockfile: text}
    problems: list[Problem] = []
    assert DependencyVersions(files.get, ["package.json"], problems).version("a.js", "antd") == "4.1.0"
    assert [p.path for p in problems] == [lockfile]
    assert said in problems[0].message and "fix" in problems[0].message


def test_a_lockfile_saved_as_utf16_is_a_problem() -> None:
    """A yarn.lock saved as UTF-16 (an editor's "Unicode") gave no versions without a word."""
    files = {
        "package.json": json.dumps({"dependencies": {"styled-components": "^5.2.0"}}),
        "yarn.lock": OUTLINE_BERRY.encode("utf-16").decode("utf-8", "replace"),
    }
    problems: list[Problem] = []
    versions = DependencyVersions(files.get, ["package.json"], problems)
    assert versions.version("a.tsx", "styled-components") == "5.2.0"  # the declared range stands
    assert [(p.path, p.reason) for p in problems] == [("yarn.lock", "syntax-error")]
    assert "is not UTF-8 text (saved as UTF-16?)" in problems[0].message
