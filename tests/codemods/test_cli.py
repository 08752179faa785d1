"""`depreport migrate` through `main([...])`, on real files and real git repositories."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import codemods.runner as codemods_runner
import depreport.cli.migrate as migrate_cli
from codemods.runner import FileOutcome
from depreport.cli import main
from depreport.runinfo import RunInfo
from depreport.scan.assembly import ScanOptions
from depreport.scan.pipeline import scan
from tests.conftest import FIXTURES
from tests.helpers import git, git_repo, write_files

pytestmark = pytest.mark.integration
EVERGREEN = FIXTURES / "codemods" / "evergreen"
RULES = '[[rule]]\nfrom = "evergreen-*"\nto = "evergreen-ui"\n[[rule]]\nlanguage = "python"\nfrom = "old_pkg"\nto = "new_pkg"\n'


def _migrate(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["migrate", *args, "--progress", "never", "--jobs", "1"])
    out = capsys.readouterr()
    return code, out.out, out.err


def _repo(tmp_path: Path) -> Path:
    return git_repo(tmp_path / "repo", {
        "rules.toml": RULES,
        "src/a.js": "import { Pane } from 'evergreen-layers';\n",
        "src/b.ts": "import { Pane } from 'evergreen-ui';\n",
        "src/c.py": "from old_pkg import thing\n",
        "dist/bundle.js": "require('evergreen-layers');\n",
    })  # fmt: skip


def test_dry_run_prints_a_diff_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = _repo(tmp_path)
    code, out, err = _migrate(capsys, str(repo / "rules.toml"), str(repo))
    assert code == 0
    assert f"--- a{repo}/src/a.js" in out and f"a/{repo}" not in out  # a/tmp/..., never a//tmp/...
    assert "+import { Pane } from 'evergreen-ui';" in out
    assert "+from new_pkg import thing" in out
    assert "bundle.js" not in out  # build output is left out, as in scan
    assert "migrate: 2 changed, 1 unchanged, 0 skipped, 0 failed (3 files" in err and "dry run" in err
    assert (repo / "src/a.js").read_text() == "import { Pane } from 'evergreen-layers';\n"


def test_one_file_is_one_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = _repo(tmp_path)
    code, _, err = _migrate(capsys, str(repo / "rules.toml"), str(repo / "src/a.js"))
    assert code == 0 and "migrate: 1 changed, 0 unchanged, 0 skipped, 0 failed (1 file, " in err


def test_a_rules_file_saved_with_a_byte_order_mark_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = _repo(tmp_path)
    (repo / "bom.toml").write_bytes(b"\xef\xbb\xbf" + RULES.encode())  # as Notepad saves it
    code, out, _ = _migrate(capsys, str(repo / "bom.toml"), str(repo / "src/a.js"))
    assert code == 0 and "+import { Pane } from 'evergreen-ui';" in out


def test_jobs_below_one_is_a_usage_error_naming_the_flag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--jobs -3 ran silently with one worker, as scan's did."""
    repo = _repo(tmp_path)
    with pytest.raises(SystemExit) as exited:
        main(["migrate", str(repo / "rules.toml"), str(repo), "--jobs", "-3"])
    assert exited.value.code == 2 and "argument --jobs/-j: must be at least 1" in capsys.readouterr().err


def test_write_then_check_is_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = _repo(tmp_path)
    rules = str(repo / "rules.toml")
    assert _migrate(capsys, rules, str(repo / "src"), "--check")[0] == 1
    code, out, err = _migrate(capsys, rules, str(repo / "src"), "--write")
    assert code == 0 and out == "" and "2 changed" in err and "written" in err
    assert (repo / "src/a.js").read_text() == "import { Pane } from 'evergreen-ui';\n"
    git(repo, "commit", "-qam", "migrated")
    code, out, err = _migrate(capsys, rules, str(repo / "src"), "--check")
    assert (code, out) == (0, "") and "0 changed, 3 unchanged" in err


def test_dirty_tree_is_refused_unless_allowed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = _repo(tmp_path)
    write_files(repo, {"notes.txt": "untracked, not a source file: does not count"})
    rules = str(repo / "rules.toml")
    assert _migrate(capsys, rules, str(repo), "--write")[0] == 0
    write_files(repo, {"src/b.ts": "import { Pane } from 'evergreen-layers';\n"})
    code, _, err = _migrate(capsys, rules, str(repo), "--write")
    assert code == 2 and "uncommitted changes in src/a.js" in err and "--allow-dirty" in err
    assert (repo / "src/b.ts").read_text() == "import { Pane } from 'evergreen-layers';\n"
    code, _, err = _migrate(capsys, rules, str(repo), "--write", "--allow-dirty")
    assert code == 0 and "1 changed" in err


def test_json_lists_outcomes_and_failures_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = _repo(tmp_path)
    write_files(
        repo,
        {"src/broken.py": "from old_pkg import (\n", "src/ns.js": "import * as L from 'evergreen-layers';\n"},
    )
    code, out, _ = _migrate(
        capsys, str(repo / "rules.toml"), str(repo / "src"), "--format", "json", "--check"
    )
    document = json.loads(out)
    assert code == 1
    assert document["totals"] == {"files": 5, "changed": 3, "unchanged": 1, "skipped": 0, "failed": 1}
    by_path = {f["path"]: f for f in document["files"]}
    assert by_path[f"{repo}/src/broken.py"]["outcome"] == "failed"
    assert "not valid Python" in by_path[f"{repo}/src/broken.py"]["detail"]
    assert by_path[f"{repo}/src/a.js"] == {
        "path": f"{repo}/src/a.js",
        "outcome": "changed",
        "detail": "",
        "sites": [],
    }


def test_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = _repo(tmp_path)
    assert _migrate(capsys, str(repo / "rules.toml"), "--write", "--check")[0] == 2
    code, _, err = _migrate(capsys, str(repo / "nope.toml"))
    assert code == 2 and "cannot read the rules file" in err
    code, _, err = _migrate(capsys, str(repo / "rules.toml"), str(repo / "missing"))
    assert code == 2 and "no such file or folder" in err


def test_evergreen_worked_example(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The README example end to end: write, compare with the expected files, then scan."""
    files = {}
    for source in EVERGREEN.glob("*.input.*"):
        case, _, ext = source.name.split(".", 2)
        files[f"src/{case}.{ext}"] = source.read_bytes()
    repo = git_repo(tmp_path / "app", files)
    code, _, err = _migrate(capsys, str(EVERGREEN / "rules.toml"), str(repo), "--write")
    assert code == 0 and f"{len(files)} changed, 0 unchanged, 0 skipped, 0 failed" in err
    assert "unknown.js:1: evergreen-ui does not export 'Sheet' (known_exports)" in err
    for path in files:
        case, ext = Path(path).name.split(".", 1)
        expected = EVERGREEN / f"{case}.expected.{ext}"
        assert (repo / path).read_bytes() == expected.read_bytes(), path
    report = scan(ScanOptions(root=repo, use_git=False), RunInfo()).report
    legacy = {
        p: v for p, v in report["packages"].items() if p.startswith("evergreen-") and p != "evergreen-ui"
    }
    assert legacy == {"evergreen-layers": legacy["evergreen-layers"]}  # the one reported site
    assert set(legacy["evergreen-layers"]["exports"]) == {"Sheet"}
    assert report["packages"]["evergreen-ui"]["files"] == len(files)
    assert not report["problems"]
    shutil.rmtree(repo / ".git")
    assert _migrate(capsys, str(EVERGREEN / "rules.toml"), str(repo), "--check")[0] == 0


def test_declaration_files_are_migrated_and_diff_goes_with_write(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = _repo(tmp_path)
    write_files(repo, {
        "src/types.d.ts": "export type { Pane } from 'evergreen-layers';\n",
        "src/c.pyi": "from old_pkg import thing as thing\n",  # a stub's re-export
    })  # fmt: skip
    code, out, err = _migrate(
        capsys, str(repo / "rules.toml"), str(repo / "src"), "--write", "--diff", "--allow-dirty"
    )
    assert code == 0 and "+export type { Pane } from 'evergreen-ui';" in out and "4 changed" in err
    assert (repo / "src/types.d.ts").read_text() == "export type { Pane } from 'evergreen-ui';\n"
    assert (repo / "src/c.pyi").read_text() == "from new_pkg import thing as thing\n"


@pytest.mark.parametrize(
    ("source", "to", "message"),
    [
        pytest.param(
            "old-**", "new/**", "key 'from': 'old-**': `**` must be a whole path segment", id="glued"
        ),
        pytest.param("**", "@scope/**", "key 'from': '**' starts with a wildcard", id="catch-all"),
        pytest.param("old-*", "old-x-*", "which its own from 'old-*' matches again", id="rewrites-again"),
        pytest.param("old/**", "old/v2/**", "which its own from 'old/**' matches again", id="tail-again"),
    ],
)
def test_rules_that_would_write_wrong_imports_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], source: str, to: str, message: str
) -> None:
    before = "import { Button } from 'old-ui';\nimport fs from 'fs';\nimport x from './foo';\n"
    rules = f'[[rule]]\nid = "r"\nfrom = "{source}"\nto = "{to}"\n'
    repo = git_repo(
        tmp_path / "repo", {"rules.toml": rules, "src/a.js": before, "src/b.js": "import 'old/a';\n"}
    )
    code, _, err = _migrate(capsys, str(repo / "rules.toml"), str(repo / "src"), "--write")
    assert code == 2 and message in err and ("rule #1 ('r'): key" in err or "rule 'r' writes" in err)
    assert "hint: " in err
    assert (repo / "src/a.js").read_text() == before


def test_a_wildcard_into_a_tail_keeps_the_slash_and_a_second_run_is_clean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = '[[rule]]\nfrom = "old-*"\nto = "new/**"\n'
    repo = git_repo(
        tmp_path / "repo", {"rules.toml": rules, "src/a.js": "import { Button } from 'old-ui';\n"}
    )
    code, _, _ = _migrate(capsys, str(repo / "rules.toml"), str(repo / "src"), "--write")
    assert code == 0 and (repo / "src/a.js").read_text() == "import { Button } from 'new/ui';\n"
    code, out, err = _migrate(capsys, str(repo / "rules.toml"), str(repo / "src"), "--check")
    assert (code, out) == (0, "") and "0 changed, 1 unchanged" in err


def test_an_interrupted_write_says_what_was_written_and_how_to_finish(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C during migrate --write (9,000 files, interrupted after ~4,000 were written) said only
    'interrupted': nothing told that part of the tree was migrated, and the same command again was then
    refused for the uncommitted changes migrate itself had made."""
    repo = _repo(tmp_path)
    real = migrate_cli.run_migration

    def interrupted_after_one(*args: Any, **kwargs: Any) -> Iterator[FileOutcome]:
        outcomes = real(*args, **kwargs)
        yield next(outcomes)
        raise KeyboardInterrupt

    monkeypatch.setattr(migrate_cli, "run_migration", interrupted_after_one)
    code, _, err = _migrate(capsys, str(repo / "rules.toml"), str(repo / "src"), "--write")
    assert code == 130
    assert "migrate: interrupted after 1 of 3 files (1 written, and perhaps the ones in progress then;" in err
    assert "run the same command with --allow-dirty to finish" in err


def test_an_interrupted_write_in_one_process_counts_every_file_it_wrote(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With one job the files were migrated 32 at a time and reported after each 32: Ctrl-C on the 12th
    file said '0 written' with 11 files already rewritten (seen on 6,000 real .tsx files: 448 said, 477
    written, and 'the others are as they were')."""
    files = {f"src/f{n:02}.js": "import { Pane } from 'evergreen-layers';\n" for n in range(40)}
    repo = git_repo(tmp_path / "repo", {"rules.toml": RULES, **files})
    real, calls = codemods_runner.migrate_file, []

    def ctrl_c_on_the_twelfth(*args: Any, **kwargs: Any) -> FileOutcome:
        calls.append(1)
        if len(calls) == 12:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(codemods_runner, "migrate_file", ctrl_c_on_the_twelfth)
    code, _, err = _migrate(capsys, str(repo / "rules.toml"), str(repo / "src"), "--write")
    rewritten = [p for p in (repo / "src").iterdir() if "evergreen-layers" not in p.read_text()]
    assert code == 130 and len(rewritten) == 11
    assert "migrate: interrupted after 11 of 40 files (11 written, and perhaps" in err


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"], ids=["utf-16-le-bom", "utf-16-be-bom"])
def test_a_utf16_file_is_skipped_as_utf16_not_as_binary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], encoding: str
) -> None:
    """scan reads a file saved as UTF-16 (Visual Studio does) and counts its imports, and migrate
    called it 'binary content (NUL bytes)': the usage scan shows stayed, for a reason that was not so."""
    text = "import { Pane } from 'evergreen-layers';\n".encode(encoding)
    data = text if encoding == "utf-16" else b"\xfe\xff" + text
    repo = git_repo(
        tmp_path / "repo", {"rules.toml": RULES, "src/a.ts": "import { Pane } from 'evergreen-layers';\n"}
    )
    (repo / "src/w.ts").write_bytes(data)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "utf-16")
    code, _, err = _migrate(capsys, str(repo / "rules.toml"), str(repo / "src"), "--write")
    assert code == 0 and "1 changed, 0 unchanged, 1 skipped" in err
    assert "w.ts: UTF-16 text" in err and "save it as UTF-8" in err and "binary" not in err
    assert (repo / "src/w.ts").read_bytes() == data


def test_a_component_migrate_does_not_rewrite_is_named_when_it_imports_a_moved_module(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """vue-codemod moves @vue/composition-api to vue mostly inside .vue files, whose <script> migrate
    does not read: each one naming a moved module is said, the others are not."""
    repo = git_repo(tmp_path / "repo", {
        "rules.toml": '[[rule]]\nfrom = "@vue/composition-api"\nto = "vue"\n',
        "src/setup.ts": 'import { ref } from "@vue/composition-api";\n',
        "src/Counter.vue": '<script setup lang="ts">\nimport { ref } from "@vue/composition-api";\n</script>\n',
        "src/Plain.vue": '<script setup>\nimport { ref } from "vue";\n</script>\n',
        "src/page.mdx": "Uses @vue/composition-api in prose only.\n",
    })  # fmt: skip
    code, out, err = _migrate(capsys, str(repo / "rules.toml"), str(repo / "src"))
    assert code == 0 and '+import { ref } from "vue";' in out
    assert "not migrated: " in err and "Counter.vue: names @vue/composition-api, which a rule moves" in err
    assert "migrate does not rewrite .vue files" in err
    assert "Plain.vue" not in err and "page.mdx" not in err
    (repo / "src/setup.ts").write_text('import { ref } from "vue";\n')  # the files migrate rewrites: done
    code, _, err = _migrate(capsys, str(repo / "rules.toml"), str(repo / "src"), "--check")
    assert code == 1 and "Counter.vue: names @vue/composition-api" in err  # the migration is not done
    (repo / "src/Counter.vue").write_text('<script setup lang="ts">\nimport { ref } from "vue";\n</script>\n')
    assert _migrate(capsys, str(repo / "rules.toml"), str(repo / "src"), "--check")[0] == 0


def test_a_component_that_is_a_fifo_or_a_link_out_is_not_read(tmp_path: Path) -> None:
    """Looking into the components migrate does not rewrite reads them as scan reads files: a FIFO is
    not waited on (the run would never end), a link is not followed out of the repository."""
    outside = tmp_path / "outside.vue"
    outside.write_text('<script>\nimport { ref } from "@vue/composition-api";\n</script>\n')
    repo = tmp_path / "repo"
    write_files(repo, {"rules.toml": '[[rule]]\nfrom = "@vue/composition-api"\nto = "vue"\n'})
    write_files(repo, {"src/setup.ts": 'import { ref } from "@vue/composition-api";\n'})
    os.mkfifo(repo / "src/Pipe.vue")
    (repo / "src/Linked.vue").symlink_to(outside)
    command = [sys.executable, "-m", "depreport", "migrate", str(repo / "rules.toml"), str(repo / "src")]
    done = subprocess.run(
        [*command, "--no-git", "--progress", "never"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0 and '+import { ref } from "vue";' in done.stdout
    assert "Pipe.vue" not in done.stderr and "Linked.vue: names" not in done.stderr
