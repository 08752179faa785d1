"""Hostile inputs through the real CLI: depth and size, broken configs, a damaged cache, misread files.

Each case is built in a temp folder and run with `main([...])` (a subprocess where a hang is the
failure to catch); each asserts the exit code, the message, and what the report counted.
"""

from __future__ import annotations

import codecs
import itertools
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from depreport.cli import main
from depreport.extract import extract_imports
from depreport.extract.ancestry import Ancestry
from depreport.extract.jsx import _in_type
from depreport.model import Extraction
from depreport.scan.cache import ExtractionCache, cache_file
from depreport.scan.languages import parser
from tests.helpers import git, git_repo, write_files

pytestmark = pytest.mark.integration

ALIASES = '{"compilerOptions": {"baseUrl": ".", "paths": {"@app/*": ["src/*"]}}}'
APP = {"src/a.ts": "import b from '@app/b';\n", "src/b.ts": "export default 1;\n"}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().err


def scan(capsys: pytest.CaptureFixture[str], root: Path, *extra: str) -> tuple[int, dict[str, Any], str]:
    out = root.parent / f"{root.name}.report.json"
    if not any(arg.startswith("--cache-dir") for arg in extra):
        extra = (*extra, "--no-cache")
    code, err = run(
        capsys, "scan", str(root), "--format", "json", "--out", str(out), "--progress", "never", *extra
    )
    return code, (json.loads(out.read_text(encoding="utf-8")) if code == 0 else {}), err


def problems(report: dict[str, Any]) -> dict[str, tuple[str, str]]:
    return {p["path"]: (p["reason"], p["message"]) for p in report["problems"]}


# 6. Depth and size ---------------------------------------------------------------------------------


@pytest.mark.parametrize("use_git", [False, True], ids=["walk", "git"])
def test_a_thousand_folders_deep_is_scanned(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], use_git: bool
) -> None:
    root = tmp_path / "repo"
    folder = root
    for _ in range(1000):  # one by one: os.makedirs and Path.mkdir(parents=True) recurse
        folder = folder / "d"
        folder.mkdir(parents=folder.parent == root)
    (folder / "deep.js").write_text("import x from 'x';\n", encoding="utf-8")
    (root / "a.js").write_text("import y from 'y';\n", encoding="utf-8")
    if use_git:
        git_repo(root, {})
    try:
        code, report, err = scan(capsys, root)
    finally:
        _remove_chain(root, folder)
    assert code == 0, err
    assert set(report["packages"]) == {"x", "y"} and report["problems"] == []


def test_a_folder_whose_path_is_too_long_is_a_problem_naming_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A folder whose path is longer than the system allows (PATH_MAX, 4096 bytes on Linux: twenty
    folders of 250-character names) could not be listed, and the problem said "check permissions",
    which were fine. It now says the path is too long, and what to shorten."""
    root = tmp_path / "repo"
    root.mkdir()
    (root / "a.js").write_text("import y from 'y';\n", encoding="utf-8")
    handle = os.open(root, os.O_RDONLY)
    for _ in range(20):  # made through folder handles: a path this long cannot be named in one call
        os.mkdir("d" * 250, dir_fd=handle)
        inner = os.open("d" * 250, os.O_RDONLY, dir_fd=handle)
        os.close(handle)
        handle = inner
    os.close(handle)
    code, report, err = scan(capsys, root, "--no-git")
    assert code == 0, err
    [(path, (reason, message))] = problems(report).items()
    assert len(path) > 4096 - len(str(root)) - 260 and reason == "unreadable"
    assert "longer than the system allows" in message and "permissions" not in message


def _remove_chain(root: Path, deepest: Path) -> None:
    """Remove the chain from the bottom up: Python 3.11's rmtree (pytest's cleanup too) recurses."""
    (deepest / "deep.js").unlink()
    while deepest != root:
        deepest.rmdir()
        deepest = deepest.parent


def test_uses_in_one_long_expression_climb_it_once() -> None:
    """`import a from 'a';a+a+...` on one line (as minified code is) took 160 s for 2,000 terms: each use
    climbed the whole expression to ask whether it sits in a type, and tree-sitter finds each parent from
    the root. The answer is kept for every node climbed, so later uses stop where an earlier one passed."""
    terms = 200
    source = b"import a from 'a';" + b"a+" * terms + b"1;\n"
    root = parser("javascript").parse(source).root_node
    known: dict[tuple[int, int, int], bool] = {}
    uses = [
        root.descendant_for_byte_range(at, at + 1)
        for at in range(len(b"import a from 'a';"), len(source) - 3, 2)
    ]
    climbed, parent_of = [], Ancestry(root).parent
    for node in uses:
        assert node is not None and node.parent is not None and not _in_type(node.parent, known, parent_of)
        climbed.append(len(known))
    assert climbed[0] >= terms  # the first use climbs the whole expression
    assert all(later - earlier <= 1 for earlier, later in itertools.pairwise(climbed))
    extraction = extract_imports(b"import a from 'a';" + b"a+" * 2000 + b"1;\n", "javascript")
    assert [i.specifier for i in extraction.imports] == ["a"] and extraction.uses == ()  # no component


def test_a_deeply_nested_config_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    nested = "a = " + "[" * 50_000 + "]" * 50_000 + "\n"
    root = git_repo(tmp_path / "repo", {"a.js": "", "depreport.toml": nested})
    code, _, err = scan(capsys, root)
    assert code == 2 and "depreport.toml: nested too deeply to read" in err


def test_a_deeply_nested_tsconfig_is_a_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    nested = '{"compilerOptions": {"x": ' + "[" * 100_000 + "]" * 100_000 + "}}"
    code, report, err = scan(capsys, git_repo(tmp_path / "repo", {**APP, "tsconfig.json": nested}))
    assert code == 0, err
    reason, message = problems(report)["tsconfig.json"]
    assert reason == "syntax-error" and "nested too deeply" in message and "fix the file" in message


def test_backfill_weeks_beyond_a_thousand_years_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = git_repo(tmp_path / "repo", {"a.js": ""})
    code, err = run(capsys, "backfill", str(repo), "--weeks", "200000", "--cache-dir", str(tmp_path / "c"))
    assert code == 2 and "--weeks 200,000" in err and "give at most 52,000" in err


# 7. Broken or unusual configs ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(codecs.BOM_UTF8.decode("utf-8") + ALIASES, id="utf8-bom"),
        pytest.param(
            '// tsc reads comments\n{"compilerOptions": {"baseUrl": ".", /* here too */ '
            '"paths": {"@app/*": ["src/*"],},},}\n',
            id="jsonc",
        ),
    ],
)
def test_tsconfig_forms_tsc_accepts_keep_their_aliases(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    code, report, err = scan(capsys, git_repo(tmp_path / "repo", {**APP, "tsconfig.json": text}))
    assert code == 0, err
    assert "@app/b" not in report["packages"] and "src/b" in report["packages"]
    assert report["problems"] == []


@pytest.mark.parametrize(
    ("files", "path", "words"),
    [
        pytest.param(
            {"tsconfig.json": '{"compilerOptions": '}, "tsconfig.json", "not valid JSON", id="tsconfig"
        ),
        pytest.param(
            {"tsconfig.json": '{"extends": "./base.json"}'},
            "tsconfig.json",
            "'./base.json'",
            id="extends-missing",
        ),
        pytest.param(
            {"depreport.toml": 'tsconfig = ["web/tsconfig.json"]\n'},
            "web/tsconfig.json",
            "depreport.toml",
            id="configured-missing",
        ),
        pytest.param(
            {"package.json": '{"workspaces": ["pkgs/*"],'},
            "package.json",
            "not valid JSON",
            id="package-json",
        ),
        pytest.param(
            {"pnpm-workspace.yaml": "packages: [unclosed\n"},
            "pnpm-workspace.yaml",
            "not valid YAML",
            id="pnpm-workspace",
        ),
        pytest.param({"lerna.json": "[1, 2"}, "lerna.json", "not valid JSON", id="lerna"),
        pytest.param(
            {"tsconfig.json": '{"extends": 5}'}, "tsconfig.json", "extends 5", id="extends-not-a-path"
        ),
        pytest.param(
            {"tsconfig.json": '{"compilerOptions": {"paths": {"@app/*": "src/*"}}}'},
            "tsconfig.json",
            "'@app/*' that is not a list of strings",
            id="paths-value-not-a-list",
        ),
        pytest.param(
            {"tsconfig.json": '{"compilerOptions": {"paths": {"@app/*/*": ["src/*/*"]}}}'},
            "tsconfig.json",
            "more than one '*'",
            id="paths-with-two-stars",
        ),
        pytest.param(
            {"CODEOWNERS": b"* @\xe9quipe\n"}, "CODEOWNERS", "not valid UTF-8", id="codeowners-latin1"
        ),
        pytest.param(  # saved as Latin-1: `@\xe9cole/*` is read as an alias matching no import
            {"tsconfig.json": b'{"compilerOptions": {"baseUrl": ".", "paths": {"@\xe9cole/*": ["src/*"]}}}'},
            "tsconfig.json",
            "has bytes that are not UTF-8",
            id="tsconfig-latin1",
        ),
    ],
)
def test_a_broken_config_file_is_a_warning_in_the_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], files: dict[str, str | bytes], path: str, words: str
) -> None:
    code, report, err = scan(capsys, git_repo(tmp_path / "repo", {**APP, **files}))
    assert code == 0, err
    assert path in problems(report), report["problems"]
    message = problems(report)[path][1]
    assert words in message and ("fix" in message or "save it as UTF-8" in message)
    assert path in err


@pytest.mark.parametrize(
    ("options", "words"),
    [
        pytest.param({"paths": {"@app/*": ["../outside/*"]}}, "'@app/*' -> '../outside/*'", id="paths-above"),
        pytest.param(
            {"paths": {"@app/*": ["{outside}/*"]}}, "'@app/*' -> '{outside}/*'", id="paths-absolute"
        ),
        pytest.param(
            {"baseUrl": "{outside}", "paths": {"@app/*": ["./*"]}},
            "baseUrl '{outside}'",
            id="base-url-absolute",
        ),
    ],
)
def test_a_tsconfig_alias_out_of_the_repository_is_a_problem_not_a_package(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], options: dict[str, Any], words: str
) -> None:
    outside = tmp_path / "outside"
    write_files(outside, {"b.ts": "export default 1;\n"})
    text = json.dumps({"compilerOptions": options}).replace("{outside}", str(outside))
    code, report, err = scan(capsys, git_repo(tmp_path / "repo", {**APP, "tsconfig.json": text}))
    assert code == 0, err
    assert words.replace("{outside}", str(outside)) in problems(report)["tsconfig.json"][1]
    assert all(not p.startswith(("/", "..")) and "outside" not in p for p in report["packages"]), report[
        "packages"
    ]


@pytest.mark.parametrize("mode", ["walk", "git", "backfill"])
def test_a_tsconfig_that_is_a_link_is_read_inside_the_repository_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], mode: str
) -> None:
    """A tsconfig.json linking to a preset of the repo was read walking the folder but passed over in a git
    work tree and in every week of a backfill, its aliases unused; one linking out of the repo was passed
    over unsaid."""
    outside = tmp_path / "outside.json"
    outside.write_text(ALIASES, encoding="utf-8")
    repo = tmp_path / "repo"
    write_files(repo, {**APP, "configs/base.json": ALIASES})
    (repo / "tsconfig.json").symlink_to("configs/base.json")
    (repo / "web").mkdir()
    (repo / "web" / "tsconfig.json").symlink_to(outside)
    if mode != "walk":
        git(repo, "init", "-q", "-b", "main")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "linked configs")
    if mode == "backfill":
        weeks = tmp_path / "weeks"
        code, err = run(
            capsys, "backfill", str(repo), "--weeks", "1", "--out-dir", str(weeks), "--progress", "never"
        )
        report = json.loads(next(weeks.iterdir()).read_text(encoding="utf-8")) if code == 0 else {}
    else:
        code, report, err = scan(capsys, repo, *(["--no-git"] if mode == "walk" else []))
    assert code == 0, err
    assert report["packages"]["src/b"]["resolved_as"] == "tsconfig-paths"
    assert list(problems(report)) == ["web/tsconfig.json"]
    assert "a link out of the repository" in problems(report)["web/tsconfig.json"][1]


def test_a_configured_tsconfig_with_a_nul_byte_is_a_missing_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = 'tsconfig = ["\\u0000", "web\\u0000/../../tsconfig.json"]\n'
    code, report, err = scan(capsys, git_repo(tmp_path / "repo", {**APP, "depreport.toml": config}))
    assert code == 0, err
    assert problems(report) == {
        path: ("unreadable", f"tsconfig named in {tmp_path / 'repo' / 'depreport.toml'} (tsconfig = [...]) "
               "is not in the repository: its baseUrl/paths aliases are not used, so aliased imports may be "
               "counted as npm packages; fix the path")
        for path in ("\0", "web\0/../../tsconfig.json")
    }  # fmt: skip
    assert "Traceback" not in err and "\\x00: tsconfig named in" in err


def test_pyproject_with_a_tool_that_is_not_a_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = git_repo(
        tmp_path / "repo", {"a.js": "import x from 'x';\n", "pyproject.toml": 'tool = "depreport"\n'}
    )
    code, report, err = scan(capsys, root)  # not a depreport config: the scan goes on
    assert code == 0 and set(report["packages"]) == {"x"}, err
    code, _, err = scan(capsys, root, "--config", str(root / "pyproject.toml"))  # named as one: exit 2
    assert code == 2 and "[tool] must be a table" in err


# 9. Local cache damage -----------------------------------------------------------------------------


def test_a_damaged_cache_is_rebuilt(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = git_repo(tmp_path / "repo", {"a.js": "import x from 'x';\n"})
    cache = tmp_path / "cache"
    code, _, err = scan(capsys, repo, "--cache-dir", str(cache))
    assert code == 0, err
    file = cache_file(cache)
    file.write_bytes(file.read_bytes()[: len(file.read_bytes()) // 2])  # a partial CI cache restore
    code, report, err = scan(capsys, repo, "--cache-dir", str(cache))
    assert code == 0 and "was damaged (cut short" in err and "builds it again" in err
    assert set(report["packages"]) == {"x"}
    code, _, err = scan(capsys, repo, "--cache-dir", str(cache))
    assert code == 0 and "damaged" not in err  # rebuilt whole


def test_a_cache_dir_that_is_a_file_is_not_used(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = git_repo(tmp_path / "repo", {"a.js": "import x from 'x';\n"})
    (tmp_path / "not-a-folder").write_text("keep", encoding="utf-8")
    code, report, err = scan(capsys, repo, "--cache-dir", str(tmp_path / "not-a-folder"))
    assert code == 0 and "is not a folder: scanning without a cache" in err
    assert (
        set(report["packages"]) == {"x"} and (tmp_path / "not-a-folder").read_text(encoding="utf-8") == "keep"
    )


def test_damage_met_while_in_use_turns_the_cache_off_and_removes_it(tmp_path: Path) -> None:
    cache = ExtractionCache(tmp_path)
    cache.put({"k:js": Extraction((), False, 0, True)})
    cache.close()
    with sqlite3.connect(cache_file(tmp_path)) as db:
        db.execute("UPDATE extraction SET payload = x'00ff'")  # a row no decoder can read
    cache = ExtractionCache(tmp_path)
    assert cache.get(["k:js"]) == {} and cache.damage is not None
    cache.put({"k:js": Extraction((), False, 0, True)})  # ignored from now on
    cache.close()
    assert not cache_file(tmp_path).exists()  # the next scan builds it again


def test_a_cache_that_fails_during_a_scan_is_said(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Damage met while in use (a full disk, a locked or unreadable row) turned the cache off without a
    word: the run went on, and the next one parsed every file again, also without a word."""
    repo = git_repo(tmp_path / "repo", {"a.js": "import x from 'x';\n"})
    cache = tmp_path / "cache"
    assert scan(capsys, repo, "--cache-dir", str(cache))[0] == 0
    with sqlite3.connect(cache_file(cache)) as db:
        db.execute("UPDATE extraction SET payload = x'00ff'")  # a row no decoder can read
    (repo / "b.js").write_text("import y from 'y';\n")  # not the last scan: a.js is read from the cache
    code, report, err = scan(capsys, repo, "--cache-dir", str(cache))
    assert code == 0 and set(report["packages"]) == {"x", "y"}
    assert f"warning: the extraction cache in {cache} could not be used (" in err
    assert "the next one parses these files again" in err
    assert "could not be used" not in scan(capsys, repo, "--cache-dir", str(cache))[2]  # built again


# 13. Inputs misread --------------------------------------------------------------------------------


def test_binary_without_nul_bytes_is_skipped_and_utf16_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    noise = bytes((i * 37 + 11) % 255 + 1 for i in range(4096))  # no NUL byte, not text
    utf16 = codecs.BOM_UTF16_LE + "import u from 'utf16-pkg';\n".encode("utf-16-le")
    files: dict[str, str | bytes] = {"logo.js": noise, "wide.js": utf16, "a.js": "import x from 'x';\n"}
    code, report, err = scan(capsys, git_repo(tmp_path / "repo", files))
    assert code == 0, err
    reason, message = problems(report)["logo.js"]
    assert reason == "binary" and "exclude it" in message
    assert set(report["packages"]) == {"x", "utf16-pkg"}


def test_a_fifo_named_like_a_source_file_does_not_hang(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    write_files(root, {"a.js": "import x from 'x';\n"})
    os.mkfifo(root / "pipe.js")
    reason, message = problems(_scan_in_a_process(root))["pipe.js"]
    assert reason == "unreadable" and "a FIFO" in message


def _scan_in_a_process(root: Path, *extra: str) -> dict[str, Any]:
    """The report of a scan run in a process of its own, where a hang fails the test instead of the run."""
    out = root.parent / "report.json"
    done = subprocess.run(
        [sys.executable, "-m", "depreport", "scan", str(root), "--no-cache", "--format", "json", "--out",
         str(out), "--progress", "never", *extra],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    report: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return report


def test_a_gitignore_that_is_a_fifo_does_not_hang_a_walk(tmp_path: Path) -> None:
    """Walking a folder (no git), a FIFO named .gitignore blocked the scan forever on open()."""
    root = tmp_path / "repo"
    write_files(root, {"a.js": "import x from 'x';\n"})
    os.mkfifo(root / ".gitignore")
    report = _scan_in_a_process(root, "--no-git")
    assert problems(report)[".gitignore"][0] == "unreadable" and list(report["packages"]) == ["x"]


def test_a_gitignore_saved_with_a_byte_order_mark_is_honoured(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Its first line was read as `\ufeffskipped.js`, which matches no file: git skips the mark."""
    root = tmp_path / "repo"
    write_files(
        root,
        {
            ".gitignore": "\ufeffskipped.js\n",
            "a.js": "import x from 'x';\n",
            "skipped.js": "import y from 'y';\n",
        },
    )
    code, report, err = scan(capsys, root, "--no-git")
    assert code == 0, err
    assert list(report["packages"]) == ["x"]


def test_a_bare_repository_or_git_folder_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = git_repo(tmp_path / "repo", {"a.js": "import x from 'x';\n"})
    subprocess.run(["git", "clone", "-q", "--bare", str(repo), str(tmp_path / "bare.git")], check=True)
    for target in (tmp_path / "bare.git", repo / ".git"):
        code, _, err = scan(capsys, target)
        assert code == 2 and "bare repository or a .git folder" in err and "backfill" in err
    code, err = run(capsys, "backfill", str(tmp_path / "bare.git"), "--weeks", "1", "--repo", "org/r",
                    "--cache-dir", str(tmp_path / "c"), "--progress", "never")  # fmt: skip
    assert code == 0, err  # history is read from git objects: a bare repository has them


def test_a_commit_dated_after_the_year_9999_is_scanned_and_backfilled(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = git_repo(tmp_path / "repo", {"a.js": "import x from 'x';\n"})
    tree = git(repo, "rev-parse", "HEAD^{tree}").strip()
    when = "999999999999999 +0000"  # git log prints it as the year 31690708
    commit = subprocess.run(
        ["git", "-C", str(repo), "hash-object", "-t", "commit", "-w", "--stdin", "--literally"],
        input=f"tree {tree}\nauthor t <t@t> {when}\ncommitter t <t@t> {when}\n\nfar\n",
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    git(repo, "update-ref", "refs/heads/main", commit)
    code, report, err = scan(capsys, repo)
    assert code == 0 and report["commit"] == commit and report["committed_at"] is None, err
    code, err = run(capsys, "backfill", str(repo), "--weeks", "2", "--out-dir", str(tmp_path / "weeks"),
                    "--cache-dir", str(tmp_path / "c"), "--progress", "never")  # fmt: skip
    assert code == 0 and f"commit {commit[:12]} has a date no computer can hold" in err, err


@pytest.mark.parametrize("epoch", ["\u00b2", "99999999999999999999", "253402300800", "-5", "soon"])
def test_a_source_date_epoch_that_is_no_time_exits_2(
    epoch: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    code, _, err = scan(capsys, git_repo(tmp_path / "repo", APP))
    assert code == 2 and f"SOURCE_DATE_EPOCH={epoch!r} is not a time" in err and "Traceback" not in err


def test_a_commit_dated_before_its_parent_takes_the_parents_week(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = git_repo(tmp_path / "repo", {"a.js": "import x from 'x';\n"})  # 2026-01-05
    (repo / "b.js").write_text("import y from 'y';\n", encoding="utf-8")
    git(repo, "add", "-A")
    env = {
        **os.environ,
        "GIT_COMMITTER_DATE": "2025-12-01T10:00:00Z",
        "GIT_AUTHOR_DATE": "2025-12-01T10:00:00Z",
    }
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "skewed"],
                   env=env, check=True)  # fmt: skip
    out = tmp_path / "weeks"
    code, err = run(capsys, "backfill", str(repo), "--weeks", "10", "--out-dir", str(out), "--repo", "org/r",
                    "--cache-dir", str(tmp_path / "c"), "--progress", "never")  # fmt: skip
    assert code == 0, err
    assert "is dated 2025-12-01 10:00, before its parent" in err and "given its parent's time" in err
    weeks = sorted(p.name for p in out.iterdir())
    assert len(weeks) == 1 and weeks[0].startswith("2026-01-05")  # the newest code, in the newest week
    report = json.loads((out / weeks[0]).read_text(encoding="utf-8"))
    assert set(report["packages"]) == {"x", "y"}


def test_backfill_keeps_a_broken_config_reported_in_every_week(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = git_repo(tmp_path / "repo", {**APP, "tsconfig.json": '{"compilerOptions": '})  # week of 2026-01-05
    (repo / "src" / "b.ts").write_text("export default 2;\n", encoding="utf-8")  # only a source file changes
    git(repo, "add", "-A")
    env = {
        **os.environ,
        "GIT_COMMITTER_DATE": "2026-01-13T10:00:00Z",
        "GIT_AUTHOR_DATE": "2026-01-13T10:00:00Z",
    }
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "b"],
                   env=env, check=True)  # fmt: skip
    out = tmp_path / "weeks"
    code, err = run(capsys, "backfill", str(repo), "--weeks", "2", "--out-dir", str(out), "--repo", "org/r",
                    "--cache-dir", str(tmp_path / "c"), "--progress", "never")  # fmt: skip
    assert code == 0, err
    reports = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(out.iterdir())]
    assert len(reports) == 2
    assert all(problems(r)["tsconfig.json"][0] == "syntax-error" for r in reports)
