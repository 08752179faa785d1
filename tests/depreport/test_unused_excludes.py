"""An exclude glob that leaves nothing out (a typo: `src/legacyy/**`) is said with the fix, by a scan
(cold, from its memo or from a pack), a backfill (once, for all its weeks), a shard and a migration."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from depreport.cli import main
from depreport.config import Config
from depreport.runinfo import RunInfo
from depreport.scan.assembly import ScanOptions
from depreport.scan.discover import DiscoverOptions, Selector, discover_files, discover_tree
from depreport.scan.pipeline import scan
from tests.helpers import commit_at, git, git_repo, write_files

pytestmark = pytest.mark.integration
INFO = RunInfo(repo="acme/web", commit="0" * 40, branch="main", generated_at="2026-01-05T10:00:00Z")
FILES: dict[str, str | bytes] = {
    "src/a.ts": "import a from 'x';\n",
    "src/a.test.ts": "import a from './a';\n",
    "src/legacy/Old.tsx": "import b from 'y';\n",
    "src/legacy/keep.ts": "import c from 'z';\n",
    "src/B.vue": "<script>import B from 'w'</script>\n",
    "node_modules/lib/index.js": "",
    "dist/out.js": "",
}


@pytest.mark.parametrize("use_git", [True, False], ids=["git", "walk"])
def test_each_exclude_glob_that_left_nothing_out_is_named(tmp_path: Path, use_git: bool) -> None:
    root = git_repo(tmp_path / "repo", FILES) if use_git else tmp_path / "repo"
    write_files(root, FILES)
    globs = (
        "src/legacyy/**",  # a typo
        "**/*.test.ts",  # every file it names is also under src/**, which comes later and decides
        "src/legacy/**",
        "!src/legacy/keep.ts",  # takes one back
        "!src/gone.ts",  # takes nothing back
        "*.vue",  # leaves out a file that is counted, not read
        "node_modules/",  # the built-in excludes left it out already
        "dist/",
        "*.css",  # no file of it
    )
    found = discover_files(root, DiscoverOptions(exclude=globs, use_git=use_git))
    assert [f.path for f in found.files] == ["src/a.ts", "src/legacy/keep.ts"]
    assert found.unused_excludes == ("src/legacyy/**", "!src/gone.ts", "node_modules/", "dist/", "*.css")
    assert discover_files(root, DiscoverOptions(use_git=use_git)).unused_excludes == ()


def test_an_excluded_link_to_a_folder_is_something_left_out(tmp_path: Path) -> None:
    write_files(tmp_path, {"src/a.ts": "", "shared/b.ts": ""})
    os.symlink("../shared", tmp_path / "src" / "linked")
    found = discover_files(tmp_path, DiscoverOptions(exclude=("src/linked/", "shared/"), use_git=False))
    assert found.unused_excludes == () and found.problems == []


def test_a_glob_that_matched_in_one_tree_of_a_selector_is_not_said_of_a_later_one() -> None:
    """A backfill's Selector lists every week's tree: a glob is unused when it matched in none."""
    selector = Selector(DiscoverOptions(exclude=("src/legacy/**", "src/legacyy/**")))
    first = discover_tree({"src/a.ts": "1" * 40, "src/legacy/Old.ts": "2" * 40}, selector)
    later = discover_tree({"src/a.ts": "1" * 40}, selector)
    assert first.unused_excludes == later.unused_excludes == ("src/legacyy/**",)


def test_a_scan_from_its_memo_or_a_pack_says_the_same(tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "repo", FILES)
    config = Config(exclude=("src/legacyy/**", "src/legacy/**"))
    options = ScanOptions(repo, config=config, cache_dir=tmp_path / "cache")
    cold = scan(options, INFO)
    warm = scan(options, INFO)
    assert warm.outline is None  # from the memo: nothing was indexed again
    packed = scan(options, INFO, keep=True)
    from_pack = scan(options, INFO, previous=packed.pack, keep=True)
    assert from_pack.restored and from_pack.parsed == 0
    said = [s.unused_excludes for s in (cold, warm, packed, from_pack)]
    assert said == [("src/legacyy/**",)] * 4


def _scan_err(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["scan", *args, "--progress", "never", "--format", "json", "--out", os.devnull]) == 0
    return capsys.readouterr().err


def test_scan_names_the_glob_where_it_was_given_with_the_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = git_repo(tmp_path / "repo", {**FILES, "depreport.toml": 'exclude = ["lib/**"]\n'})
    cache = str(tmp_path / "cache")
    for _ in range(2):  # the second from the scan memo
        err = _scan_err(capsys, str(repo), "--exclude", "src/legacyy/**", "--exclude", "src/legacy/**",
                        "--cache-dir", cache)  # fmt: skip
        assert (
            "--exclude 'src/legacyy/**' excluded nothing: it matches no file or folder that would "
            "otherwise be read; check its spelling (gitignore-style, relative to the repository root"
        ) in err
        assert f"exclude entry 'lib/**' in {repo / 'depreport.toml'} excluded nothing" in err
        assert "'src/legacy/**' excluded" not in err
    empty = tmp_path / "empty.toml"
    empty.write_text("")
    err = _scan_err(capsys, str(repo), "--exclude", "src/legacy/**", "--no-cache", "--config", str(empty))
    assert "excluded nothing" not in err


def test_a_shard_says_it_as_a_scan_does(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = git_repo(tmp_path / "repo", FILES)
    out = str(tmp_path / "part-1.json")
    args = ["scan", str(repo), "--shard", "1/2", "--out", out, "--exclude", "src/legacyy/**", "--no-cache"]
    assert main([*args, "--progress", "never"]) == 0
    assert "--exclude 'src/legacyy/**' excluded nothing" in capsys.readouterr().err


def test_a_backfill_says_a_glob_that_matched_in_no_week_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    write_files(root, {"src/a.ts": "import a from 'x';\n", "src/legacy/Old.ts": "import b from 'y';\n",
                       "depreport.toml": 'exclude = ["src/legacy/**", "src/legacyy/**"]\n'})  # fmt: skip
    git(root, "add", "-A")
    commit_at(root, "2026-01-07T10:00:00Z")
    git(root, "rm", "-q", "src/legacy/Old.ts")  # gone by the latest week: the glob matched in the first
    commit_at(root, "2026-01-14T10:00:00Z")
    args = ["backfill", str(root), "--weeks", "4", "--until", "2026-01-31", "--out-dir", str(tmp_path / "out"),
            "--repo", "acme/app", "--cache-dir", str(tmp_path / "cache"), "--progress", "never"]  # fmt: skip
    assert main(args) == 0
    err = capsys.readouterr().err
    assert err.count("excluded nothing") == 1
    assert f"exclude entry 'src/legacyy/**' in {root / 'depreport.toml'} excluded nothing" in err


def test_migrate_says_an_exclude_that_left_nothing_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text('[[rule]]\nfrom = "old-ui"\nto = "new-ui"\n')
    write_files(tmp_path / "app", {"src/a.js": "import { B } from 'old-ui';\n", "src/b.js": ""})
    app = str(tmp_path / "app")
    assert main(["migrate", str(rules), app, "--exclude", "src/c.js", "--exclude", "src/b.js"]) == 0
    err = capsys.readouterr().err
    assert "--exclude 'src/c.js' excluded nothing" in err and "relative to each folder given" in err
    assert "'src/b.js' excluded" not in err


def test_a_backfill_of_a_list_names_the_repository_of_the_glob(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "web"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    write_files(
        root, {"src/a.ts": "import a from 'x';\n", "depreport.toml": 'exclude = ["src/legacyy/**"]\n'}
    )
    git(root, "add", "-A")
    commit_at(root, "2026-01-07T10:00:00Z")
    listing = tmp_path / "repos.txt"
    listing.write_text(f"{root} acme/web\n")
    args = ["backfill", "--repos", str(listing), "--weeks", "4", "--until", "2026-01-31", "--publish",
            str(tmp_path / "store"), "--workdir", str(tmp_path / "clones"), "--cache-dir", str(tmp_path / "cache")]  # fmt: skip
    assert main(args) == 0
    err = capsys.readouterr().err
    assert "acme/web: exclude entry 'src/legacyy/**' in its configuration excluded nothing" in err
