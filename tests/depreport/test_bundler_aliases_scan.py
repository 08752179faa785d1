"""A bundler config's aliases in a scan: where they apply and in which order, what a scan says of them, and
every run that keeps resolution inputs (the scan memo, a pack, a backfill's weeks) sees the config change."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from depreport.cli import main
from depreport.config import load_config
from depreport.runinfo import RunInfo
from depreport.scan.assembly import ScanOptions
from depreport.scan.pack import Pack, decode_pack, encode_pack
from depreport.scan.pipeline import Scan, scan
from tests.depreport.test_backfill_rolling import build
from tests.helpers import git, git_repo, write_files

pytestmark = pytest.mark.integration
INFO = RunInfo(repo="acme/web", commit="0" * 40, branch="main", generated_at="2026-01-05T10:00:00Z")
VITE = """import { defineConfig } from 'vite'
import { fileURLToPath, URL } from 'node:url'
export default defineConfig({ resolve: { alias: { '@': fileURLToPath(new URL('./src/%s', import.meta.url)) } } })
"""
FILES: dict[str, str | bytes] = {
    "apps/web/vite.config.ts": VITE % "legacy",
    "apps/web/src/legacy/Button.ts": "export const Button = 0;\n",
    "apps/web/src/next/Button.ts": "export const Button = 1;\n",
    "apps/web/src/app.ts": "import { Button } from '@/Button';\n",
    "apps/other/src/page.ts": "import { Button } from '@/Button';\n",  # no config of its own applies
}


def packages(found: Scan) -> dict[str, Any]:
    return {name: entry["resolved_as"] for name, entry in json.loads(found.report_json())["packages"].items()}


def options(root: Path, cache: Path | None = None) -> ScanOptions:
    return ScanOptions(root=root, config=load_config(root), cache_dir=cache)


def commit(root: Path, files: dict[str, str | bytes]) -> None:
    write_files(root, files)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "change")


def test_a_configs_aliases_apply_under_its_folder_as_tsconfig_paths(tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "repo", FILES)
    found = packages(scan(options(repo), INFO))
    assert found["apps/web/src/legacy/Button"] == "tsconfig-paths"
    assert found["@/Button"] == "unresolved"  # apps/other's import: the config of apps/web is not its own
    assert scan(options(repo), INFO).aliases_read == {"apps/web/vite.config.ts": ("@",)}


def test_a_tsconfig_and_the_configurations_aliases_come_first(tmp_path: Path) -> None:
    tsconfig = '{"compilerOptions": {"paths": {"@/*": ["./src/next/*"]}}}'
    repo = git_repo(tmp_path / "repo", {**FILES, "apps/web/tsconfig.json": tsconfig})
    assert "apps/web/src/next/Button" in packages(scan(options(repo), INFO))
    repo = git_repo(
        tmp_path / "repo2", {**FILES, "depreport.toml": '[aliases]\n"@/*" = "apps/web/src/next/*"\n'}
    )
    found = packages(scan(options(repo), INFO))
    assert "apps/web/src/next/Button" in found and "apps/web/src/legacy/Button" not in found


def test_a_scan_says_where_aliases_come_from_and_what_it_did_not_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = "const path = require('path')\nmodule.exports = {resolve: {alias: {x: process.env.X, " \
             "y: path.resolve(__dirname, '../../../y'), '@': path.resolve(__dirname, 'src/legacy')}}}\n"  # fmt: skip
    repo = git_repo(tmp_path / "repo", {**FILES, "apps/other/webpack.config.js": config})
    out = tmp_path / "r.json"
    assert main(["scan", str(repo), "--no-cache", "--format", "json", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert (
        "aliases read from bundler configs (apps/other/webpack.config.js: '@'; apps/web/vite.config.ts: '@')"
        in err
    )
    assert (
        "apps/other/webpack.config.js sets an alias in a form depreport does not read ('x': process.env.X)"
        in err
    )
    assert "[aliases]" in err
    report = json.loads(out.read_text())
    assert [p["path"] for p in report["problems"]] == ["apps/other/webpack.config.js"]
    assert (
        "'y': path.resolve(__dirname, '../../../y') leads out of the repository"
        in report["problems"][0]["message"]
    )
    assert report["packages"]["apps/other/src/legacy/Button"]["resolved_as"] == "tsconfig-paths"


def test_a_warm_scan_sees_a_changed_alias(tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "repo", FILES)
    cache = tmp_path / "cache"
    first = scan(options(repo, cache), INFO)
    assert "apps/web/src/legacy/Button" in packages(first)
    assert scan(options(repo, cache), INFO).outline is None  # nothing changed: the memo
    (repo / "apps/web/vite.config.ts").write_text(VITE % "next")  # not committed: the working tree counts
    again = scan(options(repo, cache), INFO)
    assert again.outline is not None  # not the memo
    assert "apps/web/src/next/Button" in packages(again) and "apps/web/src/legacy/Button" not in packages(
        again
    )


def carried(pack: Pack | None) -> Pack:
    assert pack is not None
    decoded = decode_pack(encode_pack(pack))
    assert decoded is not None
    return decoded


def test_a_scan_from_a_pack_sees_a_changed_alias(tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "repo", FILES)
    first = scan(options(repo), INFO, keep=True)
    commit(repo, {"apps/web/vite.config.ts": VITE % "next"})
    second = scan(options(repo), INFO, previous=carried(first.pack), keep=True)
    assert not second.restored  # the resolver's inputs changed: the index is built again
    assert "apps/web/src/next/Button" in packages(second)
    assert packages(second) == packages(scan(options(repo), INFO))
    commit(repo, {"apps/web/src/more.ts": "export const more = 1;\n"})  # the aliases are the same
    third = scan(options(repo), INFO, previous=carried(second.pack))
    assert third.restored and "apps/web/src/next/Button" in packages(third)


BABELRC = '{"plugins": [["module-resolver", {"alias": {"#lib": "./%s"}}]]}'
HISTORY: list[tuple[str, dict[str, str], list[str]]] = [
    ("2026-01-07T10:00:00Z", {k: str(v) for k, v in FILES.items()}, []),
    ("2026-01-14T10:00:00Z", {"apps/web/vite.config.ts": VITE % "next"}, []),
    ("2026-01-21T10:00:00Z", {"tools/x.js": "import { a } from '#lib/a';\n", "tools/old/a.js": "",
                              "tools/new/a.js": ""}, []),
    # a config that is no source file, added alone, then changed alone
    ("2026-01-28T10:00:00Z", {"tools/.babelrc": BABELRC % "old"}, []),
    ("2026-02-04T10:00:00Z", {"tools/.babelrc": BABELRC % "new"}, []),
    ("2026-02-11T10:00:00Z", {}, ["apps/web/vite.config.ts"]),
]  # fmt: skip


def test_backfill_weeks_resolve_with_each_weeks_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "repo"
    shas = build(root, HISTORY)
    out = tmp_path / "weeks"
    args = ["backfill", str(root), "--weeks", "6", "--out-dir", str(out), "--repo", "a/b", "--format", "json",
            "--cache-dir", str(tmp_path / "cache")]  # fmt: skip
    assert main(args) == 0
    capsys.readouterr()
    weeks = [json.loads(path.read_text())["packages"] for path in sorted(out.glob("*.json"))]
    assert len(weeks) == len(HISTORY)
    shown = [
        sorted(p for p in week if p.endswith(("/Button", "/a")) or p.startswith(("@", "#"))) for week in weeks
    ]
    assert shown == [
        ["@/Button", "apps/web/src/legacy/Button"],
        ["@/Button", "apps/web/src/next/Button"],
        ["#lib/a", "@/Button", "apps/web/src/next/Button"],
        ["@/Button", "apps/web/src/next/Button", "tools/old/a"],
        ["@/Button", "apps/web/src/next/Button", "tools/new/a"],
        ["@/Button", "tools/new/a"],
    ]
    for sha, week in zip(shas, weeks, strict=True):  # each week is what a scan of its commit says
        tree = tmp_path / f"tree-{sha[:8]}"
        subprocess.run(
            ["git", "-C", str(root), "worktree", "add", "-q", "--detach", str(tree), sha], check=True
        )
        report = tmp_path / "scan.json"
        assert (
            main(["scan", str(tree), "--no-cache", "--repo", "a/b", "--format", "json", "--out", str(report)])
            == 0
        )
        assert json.loads(report.read_text())["packages"] == week, sha
