"""File discovery on real folders and real git repositories."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from depreport.scan.discover import DiscoverOptions, discover_files
from tests.helpers import git, git_repo, write_files

pytestmark = pytest.mark.integration

FILES: dict[str, str | bytes] = {
    "src/a.ts": "import x from 'x';",
    "src/b.tsx": "",
    "src/c.js": "",
    "src/d.mjs": "",
    "src/e.cjs": "",
    "src/f.jsx": "",
    "src/g.mts": "",
    "src/h.cts": "",
    "src/i.py": "",
    "src/types.d.ts": "",
    "src/stubs.pyi": "",
    "src/readme.md": "",
    "src/app.min.js": "",
    "node_modules/lib/index.js": "",
    "dist/out.js": "",
    "build/out.js": "",
    "ignored/x.js": "",
    "sub/.gitignore": "secret.js\n",
    "sub/secret.js": "",
    "sub/kept.js": "",
    ".gitignore": "ignored/\n",
    "tsconfig.json": "{}",
}
SOURCES = [
    "src/a.ts", "src/b.tsx", "src/c.js", "src/d.mjs", "src/e.cjs", "src/f.jsx", "src/g.mts", "src/h.cts",
    "src/i.py", "sub/kept.js",
]  # fmt: skip


def _paths(root: Path, **options: object) -> list[str]:
    return [f.path for f in discover_files(root, DiscoverOptions(**options)).files]  # type: ignore[arg-type]


def test_walk_honours_gitignore_and_default_excludes(tmp_path: Path) -> None:
    write_files(tmp_path, FILES)
    assert _paths(tmp_path) == SOURCES


def test_git_listing_gives_the_same_files_and_blob_ids(tmp_path: Path) -> None:
    git_repo(tmp_path, FILES)
    found = discover_files(tmp_path, DiscoverOptions())
    assert found.from_git
    assert [f.path for f in found.files] == SOURCES
    blob = git(tmp_path, "rev-parse", "HEAD:src/a.ts").strip()
    assert next(f.blob for f in found.files if f.path == "src/a.ts") == blob


def test_git_listing_marks_modified_and_untracked_files_unknown(tmp_path: Path) -> None:
    git_repo(tmp_path, FILES)
    (tmp_path / "src/a.ts").write_text("import y from 'y';")
    (tmp_path / "src/new.ts").write_text("")
    blobs = {f.path: f.blob for f in discover_files(tmp_path, DiscoverOptions()).files}
    assert blobs["src/a.ts"] is None
    assert blobs["src/new.ts"] is None
    assert blobs["src/c.js"] is not None


def test_a_file_deleted_but_not_committed_is_left_out_without_a_problem(tmp_path: Path) -> None:
    git_repo(tmp_path, FILES)
    (tmp_path / "src/a.ts").unlink()
    found = discover_files(tmp_path, DiscoverOptions())
    assert "src/a.ts" not in {f.path for f in found.files} and not found.problems


def test_declarations_and_build_output_on_request(tmp_path: Path) -> None:
    write_files(tmp_path, FILES)
    paths = _paths(tmp_path, include_declarations=True, default_excludes=False)
    assert {"src/types.d.ts", "src/stubs.pyi", "dist/out.js", "build/out.js", "src/app.min.js"} <= set(paths)
    assert "node_modules/lib/index.js" not in paths


def test_include_and_exclude_globs(tmp_path: Path) -> None:
    write_files(tmp_path, FILES)
    assert _paths(tmp_path, include=("src/**",), exclude=("*.py", "src/[b-h].*")) == ["src/a.ts"]


def test_tsconfig_files_are_collected(tmp_path: Path) -> None:
    write_files(tmp_path, FILES)
    assert discover_files(tmp_path, DiscoverOptions()).configs == ["tsconfig.json"]


def test_symlink_loop_is_a_problem_not_a_hang(tmp_path: Path) -> None:
    write_files(tmp_path, {"src/a.ts": ""})
    os.symlink(tmp_path / "src", tmp_path / "src" / "loop")
    os.symlink("self.js", tmp_path / "src" / "self.js")
    found = discover_files(tmp_path, DiscoverOptions())
    assert [f.path for f in found.files] == ["src/a.ts"]
    assert {(p.path, p.reason) for p in found.problems} == {
        ("src/loop", "symlink-loop"),
        ("src/self.js", "symlink-loop"),
    }


@pytest.mark.parametrize("use_git", [True, False], ids=["git", "walk"])
@pytest.mark.parametrize("exclude", [".agents/", ".agents/**", "**/saleor-dashboard-security-audit"])
def test_an_excluded_link_to_a_folder_is_no_problem(tmp_path: Path, use_git: bool, exclude: str) -> None:
    """saleor-dashboard links .agents/skills/<skill> to .claude/skills/<skill>: `--exclude` must quiet it."""
    write_files(tmp_path, {".claude/skills/saleor-dashboard-security-audit/SKILL.md": "", "src/a.ts": ""})
    (tmp_path / ".agents/skills").mkdir(parents=True)
    os.symlink("../../.claude/skills/saleor-dashboard-security-audit",
               tmp_path / ".agents/skills/saleor-dashboard-security-audit")  # fmt: skip
    if use_git:
        git_repo(tmp_path, {})
    link = ".agents/skills/saleor-dashboard-security-audit"
    found = discover_files(tmp_path, DiscoverOptions(use_git=use_git))
    assert [p.path for p in found.problems] == [link]  # not followed, and said
    found = discover_files(tmp_path, DiscoverOptions(exclude=(exclude,), use_git=use_git))
    assert found.problems == [] and [f.path for f in found.files] == ["src/a.ts"]


def test_files_outside_a_sparse_checkout_are_each_said_not_read(tmp_path: Path) -> None:
    """git lists them with the blob of their content, but they are not in the working tree: reading them
    failed one by one as 'No such file or directory', while a scan starting from a pack indexed them."""
    git_repo(tmp_path, FILES)
    git(tmp_path, "sparse-checkout", "set", "src")
    assert not (tmp_path / "sub").exists()
    found = discover_files(tmp_path, DiscoverOptions())
    assert [f.path for f in found.files] == [p for p in SOURCES if p.startswith("src/")]
    outside = {p.path: p for p in found.problems}
    assert outside.keys() == {p for p in SOURCES if not p.startswith("src/")}
    assert {p.reason for p in outside.values()} == {"not-checked-out"}
    assert "`git sparse-checkout add sub`" in outside["sub/kept.js"].message
    assert _paths(tmp_path, exclude=("sub/",)) == [p for p in SOURCES if p.startswith("src/")]
    assert not discover_files(tmp_path, DiscoverOptions(exclude=("sub/",))).problems


def test_a_folder_git_cannot_open_is_said_not_read(tmp_path: Path) -> None:
    """An untracked folder git cannot open (here a path longer than the system allows) was skipped without
    a word in git mode: git warns on stderr, which was thrown away; `--no-git` named each file."""
    git_repo(tmp_path, {"src/a.ts": "import x from 'x';"})
    name, fd = "d" * 200, os.open(tmp_path, os.O_RDONLY)
    for _ in range(25):  # 5,000 characters: past PATH_MAX (4,096), made one folder at a time
        os.mkdir(name, dir_fd=fd)
        inner = os.open(name, os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = inner
    os.close(os.open("deep.ts", os.O_WRONLY | os.O_CREAT, dir_fd=fd))
    os.close(fd)
    found = discover_files(tmp_path, DiscoverOptions())
    assert [f.path for f in found.files] == ["src/a.ts"]
    assert [(p.path[:201], p.reason) for p in found.problems] == [(name + "/", "unreadable")]
    assert "--no-git" in found.problems[0].message


@pytest.mark.parametrize("use_git", [False, True])
def test_files_holding_imports_it_does_not_read_are_counted_by_extension(
    tmp_path: Path, use_git: bool
) -> None:
    files: dict[str, str | bytes] = {
        "src/a.ts": "",
        "src/Button.vue": "<script setup>import { Button } from 'evergreen-ui'</script>",
        "src/Card.VUE": "",
        "src/Nav.svelte": "",
        "src/pages/index.astro": "",
        "docs/intro.mdx": "",
        "docs/old.mdx": "",
        "node_modules/lib/x.vue": "",
        "dist/y.vue": "",
        "vendor/z.svelte": "",
        "src/readme.md": "",
    }
    (git_repo if use_git else write_files)(tmp_path, files)
    found = discover_files(tmp_path, DiscoverOptions(exclude=("vendor/",), use_git=use_git))
    assert [f.path for f in found.files] == ["src/a.ts"]
    assert found.not_read.files == {".vue": 2, ".svelte": 1, ".astro": 1, ".mdx": 2}
    only_src = discover_files(tmp_path, DiscoverOptions(include=("src/**",), use_git=use_git))
    assert only_src.not_read.files == {".vue": 2, ".svelte": 1, ".astro": 1}


def test_declarations_not_read_are_counted_where_the_scan_would_read(tmp_path: Path) -> None:
    """Said on stderr with the flag that reads them (`describe_not_read`): a .d.ts or .pyi the selection
    takes (not under node_modules, not excluded), and none when they are read."""
    write_files(
        tmp_path, {**FILES, "src/more.d.mts": "", "node_modules/lib/index.d.ts": "", "lib/x.d.ts": ""}
    )
    assert discover_files(tmp_path, DiscoverOptions()).not_read.declarations == 4
    assert discover_files(tmp_path, DiscoverOptions(exclude=("lib/",))).not_read.declarations == 3
    assert discover_files(tmp_path, DiscoverOptions(include_declarations=True)).not_read.declarations == 0
