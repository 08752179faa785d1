"""Backfill resolves again only what a week can change, and its weeks equal scans of the same commits."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from depreport.cli import main
from depreport.scan.assembly import Assembly
from tests.helpers import write_files

pytestmark = pytest.mark.integration

TSCONFIG = '{"compilerOptions": {"baseUrl": "."}}'
GROUPS = """
[[groups]]
name = "new"
packages = ["ui"]
target = true

[[groups]]
name = "old"
packages = ["evergreen-ui"]
"""
# (commit date, files written, files deleted): `lib/x` is an npm package until a module of that id
# exists (baseUrl), then a local module, then a package again; `lib/y` is a path under baseUrl while the
# folder `lib` exists (its module may be generated), else a package; other files come and go around them.
HISTORY: list[tuple[str, dict[str, str], list[str]]] = [
    ("2026-01-07T10:00:00Z", {"tsconfig.json": TSCONFIG, "src/a.ts": "import { x } from 'lib/x';\n",
                              "src/b.ts": "import React from 'react';\n"}, []),
    ("2026-01-14T10:00:00Z", {"lib/x.ts": "export const x = 1;\n"}, []),
    ("2026-01-21T10:00:00Z", {"src/c.ts": "import { y } from 'lib/y';\n"}, []),
    ("2026-01-28T10:00:00Z", {"src/d.ts": "import 'react';\n"}, ["lib/x.ts"]),
    ("2026-02-04T10:00:00Z", {"lib/y.ts": "export const y = 2;\n"}, ["src/b.ts"]),
]  # fmt: skip
# Then a barrel, its users and its own re-exports changing (the usage block keeps barrel lookups from
# one week to the next until a re-export changes), and a week that changes nothing imported.
BARRELS: list[tuple[str, dict[str, str], list[str]]] = [
    ("2026-02-11T10:00:00Z", {"src/ui/index.ts": "export { Button } from 'evergreen-ui';\n",
                              "src/e.tsx": "import { Button } from './ui';\nexport const E = () => <Button />;\n"},
     []),
    ("2026-02-18T10:00:00Z", {"src/f.tsx": "import { Button } from './ui';\nconst F = () => <Button a />;\n"}, []),
    ("2026-02-25T10:00:00Z", {"src/ui/index.ts": "export { Button } from 'ui';\nexport * from './more';\n",
                              "src/ui/more.ts": "export { Pane } from './index';\n"}, []),
    ("2026-03-04T10:00:00Z", {"README.md": "nothing imported\n"}, []),
    ("2026-03-11T10:00:00Z", {}, ["src/f.tsx"]),
]  # fmt: skip
# Then `paths` over packages of the repo, and a dependency under them declared, dropped, declared
# again: only the file that asked whether it is declared resolves otherwise (vuejs/core's layout).
VUE_PATHS = '{"compilerOptions": {"baseUrl": ".", "paths": {"@vue/*": ["packages/*/src"]}}}'
DECLARED: list[tuple[str, dict[str, str], list[str]]] = [
    ("2026-03-18T10:00:00Z", {"tsconfig.json": VUE_PATHS, "package.json": '{"dependencies": {"react": "^18"}}',
                              "src/v.ts": "import { compile } from '@vue/consolidate';\nimport { ref } from '@vue/reactivity';\n",
                              "packages/reactivity/src/index.ts": "export const ref = 1;\n"}, []),
    ("2026-03-25T10:00:00Z", {"package.json": '{"dependencies": {"react": "^18", "@vue/consolidate": "^1"}}'}, []),
    ("2026-04-01T10:00:00Z", {"package.json": '{"dependencies": {"react": "^18", "left-pad": "1"}}'}, []),
    ("2026-04-08T10:00:00Z", {"package.json": '{"devDependencies": {"@vue/consolidate": "^1"}}'}, []),
]  # fmt: skip
# Then aliases from files no discovery lists: a tsconfig's `extends` parent, and the `importMap` a
# deno.json names; weeks in which only that file changes move `@ui/button` and `@/button` elsewhere.
BASE = '{"compilerOptions": {"baseUrl": ".", "paths": {"@vue/*": ["packages/*/src"], "@ui/*": ["src/%s/*"]}}}'
IMPORT_MAP = '{"imports": {"@/": "../src/%s/"}}'
EXTENDED: list[tuple[str, dict[str, str], list[str]]] = [
    ("2026-04-15T10:00:00Z", {"tsconfig.json": '{"extends": "./tsconfig.base.json"}',
                              "tsconfig.base.json": BASE % "ui", "src/ui/button.ts": "export const b = 1;\n",
                              "src/legacy/button.ts": "export const b = 0;\n",
                              "src/g.ts": "import { b } from '@ui/button';\n"}, []),
    ("2026-04-22T10:00:00Z", {"tsconfig.base.json": BASE % "legacy"}, []),
    ("2026-04-29T10:00:00Z", {"edge/deno.json": '{"importMap": "./import_map.json"}',
                              "edge/import_map.json": IMPORT_MAP % "ui", "edge/h.ts": "import { b } from '@/button';\n"},
     []),
    ("2026-05-06T10:00:00Z", {"edge/import_map.json": IMPORT_MAP % "legacy"}, []),
]  # fmt: skip
# Then a declaration file coming and going: under `"*": ["types/*"]`, `types/foo.d.ts` is the repo's
# module `foo`, which an unchanged file imports (read or not read, it answers only the files that looked
# for that module: a declaration file not read coming or going resolved every file again).
STAR = '{"compilerOptions": {"baseUrl": ".", "paths": {"*": ["types/*"]}}}'
DECLARATIONS: list[tuple[str, dict[str, str], list[str]]] = [
    ("2026-05-13T10:00:00Z", {"tsconfig.json": STAR, "package.json": '{"dependencies": {"react": "^18"}}',
                              "src/a.ts": "import { x } from 'foo';\n", "src/b.ts": "import React from 'react';\n"},
     []),
    ("2026-05-20T10:00:00Z", {"types/foo.d.ts": "export declare const x: number;\n"}, []),
    ("2026-05-27T10:00:00Z", {"src/c.ts": "import 'react';\n"}, []),
    ("2026-06-03T10:00:00Z", {}, ["types/foo.d.ts"]),
]  # fmt: skip
# Then a file that is no module coming and going under `baseUrl`: `styles/main.scss` is the repo's file
# while it exists, else the npm package `styles`, for a file that imports it and does not change.
OTHER_FILES: list[tuple[str, dict[str, str], list[str]]] = [
    ("2026-06-10T10:00:00Z", {"tsconfig.json": '{"compilerOptions": {"baseUrl": "src"}}',
                              "src/a.ts": "import 'styles/main.scss';\n", "src/b.ts": "import React from 'react';\n"},
     []),
    ("2026-06-17T10:00:00Z", {"src/styles/main.scss": "body {}\n"}, []),
    ("2026-06-24T10:00:00Z", {"src/c.ts": "import 'react';\n"}, []),
    ("2026-07-01T10:00:00Z", {}, ["src/styles/main.scss"]),
]  # fmt: skip
HEADER = ("commit", "branch", "committed_at", "generated_at")  # a backfill dates each week at its commit


def build(root: Path, history: list[tuple[str, dict[str, str], list[str]]] = HISTORY) -> list[str]:
    root.mkdir()
    run = lambda *args, env=None: subprocess.run(["git", "-C", str(root), *args], env=env, check=True,  # noqa: E731
                                                 capture_output=True, text=True).stdout  # fmt: skip
    run("init", "-q", "-b", "main")
    shas = []
    for when, files, deleted in history:
        write_files(root, files)
        for path in deleted:
            (root / path).unlink()
        run("add", "-A")
        env = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "PATH": "/usr/bin:/bin"}
        run("-c", "user.name=T", "-c", "user.email=t@e", "commit", "-qm", when, env=env)
        shas.append(run("rev-parse", "HEAD").strip())
    return shas


def packages(report: dict[str, object]) -> dict[str, object]:
    """What a week's report says about the imports: totals, packages, files and records."""
    keep = ("totals", "packages", "files", "imports", "usage", "adoption")
    return {key: report[key] for key in keep if key in report}


def test_weeks_equal_scans_of_their_commits(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shas = build(tmp_path / "repo")
    out = tmp_path / "weeks"
    args = ["backfill", str(tmp_path / "repo"), "--weeks", "5", "--out-dir", str(out), "--repo", "a/b",
            "--cache-dir", str(tmp_path / "cache"), "--format", "json"]  # fmt: skip
    assert main(args) == 0
    capsys.readouterr()
    weeks = sorted(out.glob("*.json"))
    assert len(weeks) == len(HISTORY)
    by_week = [json.loads(path.read_text()) for path in weeks]
    assert ["lib" in week["packages"] for week in by_week] == [True, False, False, True, False]
    for sha, week in zip(shas, by_week, strict=True):
        tree = tmp_path / f"tree-{sha[:8]}"
        subprocess.run(["git", "-C", str(tmp_path / "repo"), "worktree", "add", "-q", "--detach", str(tree), sha],
                       check=True)  # fmt: skip
        scan = [
            "scan",
            str(tree),
            "--no-cache",
            "--repo",
            "a/b",
            "--format",
            "json",
            "--out",
            str(tree / "r.json"),
        ]
        assert main(scan) == 0
        assert packages(week) == packages(json.loads((tree / "r.json").read_text())), sha


def test_weeks_are_the_bytes_a_scan_of_their_commit_writes(tmp_path: Path) -> None:
    """Every week's report, as written, is what `scan` writes for that commit (but for the header's
    commit, branch and times), through barrels that come, change and form a cycle, and dependencies
    declared and dropped under a `paths` pattern, and aliases whose file alone changes."""
    root = tmp_path / "repo"
    shas = build(root, [*HISTORY, *BARRELS, *DECLARED, *EXTENDED])
    config = tmp_path / "groups.toml"
    config.write_text(GROUPS)
    out = tmp_path / "weeks"
    args = ["backfill", str(root), "--weeks", "25", "--out-dir", str(out), "--repo", "a/b", "--config",
            str(config), "--cache-dir", str(tmp_path / "cache"), "--publish", str(tmp_path / "store")]  # fmt: skip
    assert main(args) == 0
    weeks = sorted(out.glob("*.json"))
    assert_each_week_is_a_scan_of_its_commit(root, shas, weeks, config)
    barrels = json.loads(weeks[len(HISTORY) + len(BARRELS) - 1].read_text())
    assert barrels["usage"]["through"] and barrels["usage"]["barrel_cycles"]  # the barrels were exercised
    declared = [json.loads(path.read_text())["packages"] for path in weeks[-len(DECLARED) - len(EXTENDED) :]]
    assert ["@vue/consolidate" in week for week in declared] == [
        False,
        True,
        False,
        True,
        True,
        True,
        True,
        True,
    ]
    extended = [json.loads(path.read_text())["packages"] for path in weeks[-len(EXTENDED) :]]
    assert [{p: week[p]["files"] for p in week if p.endswith("/button")} for week in extended] == [
        {"src/ui/button": 1}, {"src/legacy/button": 1}, {"src/legacy/button": 1, "src/ui/button": 1},
        {"src/legacy/button": 2},
    ]  # fmt: skip


def assert_each_week_is_a_scan_of_its_commit(
    root: Path, shas: list[str], weeks: list[Path], config: Path
) -> None:
    """Each week's report, as written, is what `scan` of its commit writes (but for the header's commit,
    branch and times)."""
    assert len(weeks) == len(shas)
    for sha, path in zip(shas, weeks, strict=True):
        tree = root.parent / f"tree-{sha[:8]}"
        subprocess.run(
            ["git", "-C", str(root), "worktree", "add", "-q", "--detach", str(tree), sha], check=True
        )
        out = root.parent / "scan.json"
        scan = ["scan", str(tree), "--no-cache", "--no-store-cache", "--repo", "a/b", "--config", str(config),
                "--format", "json", "--out", str(out)]  # fmt: skip
        assert main(scan) == 0
        week, cold = path.read_text(), out.read_text()
        assert _with_header(week, {key: json.loads(cold)[key] for key in HEADER}) == cold, sha


def _with_header(text: str, header: dict[str, object]) -> str:
    """A report's JSON text with these header values put in place of its own (keys are unique)."""
    report = json.loads(text)
    for key, value in header.items():
        old, new = json.dumps(report[key]), json.dumps(value)
        text = text.replace(f'"{key}":{old}', f'"{key}":{new}', 1)
    return text


@pytest.mark.parametrize("read", [True, False], ids=["declarations read", "declarations not read"])
def test_a_declaration_file_coming_and_going_moves_the_imports_of_its_module(
    tmp_path: Path, read: bool
) -> None:
    root = tmp_path / "repo"
    shas = build(root, DECLARATIONS)
    config = tmp_path / "depreport.toml"
    config.write_text(f"include_declarations = {str(read).lower()}\n")
    out = tmp_path / "weeks"
    args = ["backfill", str(root), "--weeks", "5", "--out-dir", str(out), "--repo", "a/b", "--config",
            str(config), "--cache-dir", str(tmp_path / "cache")]  # fmt: skip
    assert main(args) == 0
    weeks = sorted(out.glob("*.json"))
    assert [("types/foo" in json.loads(path.read_text())["packages"]) for path in weeks] == [
        False,
        True,
        True,
        False,
    ]
    assert_each_week_is_a_scan_of_its_commit(root, shas, weeks, config)


def test_a_file_that_is_no_module_coming_and_going_moves_the_imports_of_it(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shas = build(root, OTHER_FILES)
    config = tmp_path / "depreport.toml"
    config.write_text("")
    out = tmp_path / "weeks"
    args = ["backfill", str(root), "--weeks", "5", "--out-dir", str(out), "--repo", "a/b", "--config",
            str(config), "--cache-dir", str(tmp_path / "cache")]  # fmt: skip
    assert main(args) == 0
    weeks = sorted(out.glob("*.json"))
    found = [sorted(json.loads(path.read_text())["packages"]) for path in weeks]
    assert found == [["react", "styles"], ["react", "src/styles/main.scss"], ["react", "src/styles/main.scss"],
                     ["react", "styles"]]  # fmt: skip
    assert_each_week_is_a_scan_of_its_commit(root, shas, weeks, config)


def test_a_file_that_is_no_module_whose_importer_went_with_it_does_not_rebuild_the_resolver_each_week(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file the resolver looked for came in the week its only importer went: it is answered as it
    now is, and a later week that moves no file builds no resolver again."""
    history: list[tuple[str, dict[str, str], list[str]]] = [
        ("2026-06-10T10:00:00Z", {"tsconfig.json": '{"compilerOptions": {"baseUrl": "src"}}',
                                  "src/a.ts": "import 'styles/main.scss';\n", "src/b.ts": "import 'react';\n"},
         []),
        ("2026-06-17T10:00:00Z", {"src/styles/main.scss": "body {}\n"}, ["src/a.ts"]),
        ("2026-06-24T10:00:00Z", {"src/b.ts": "import 'react';\nimport 'lodash';\n"}, []),
        ("2026-07-01T10:00:00Z", {"src/b.ts": "import 'lodash';\n"}, []),
    ]  # fmt: skip
    root = tmp_path / "repo"
    build(root, history)
    built = []
    real = Assembly.git_tree.__func__  # type: ignore[attr-defined]
    monkeypatch.setattr(
        Assembly, "git_tree", classmethod(lambda cls, *a, **k: built.append(1) or real(cls, *a, **k))
    )
    args = ["backfill", str(root), "--weeks", "5", "--out-dir", str(tmp_path / "weeks"), "--repo", "a/b",
            "--cache-dir", str(tmp_path / "cache")]  # fmt: skip
    assert main(args) == 0
    assert len(built) == 2  # the first week, and the week files came and went
