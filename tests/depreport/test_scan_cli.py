"""The scan and query commands through `main([...])`, on real files."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest

from depreport.cli import main
from depreport.scan import assembly
from tests.conftest import FIXTURES
from tests.helpers import git, git_repo, write_files

pytestmark = pytest.mark.integration
MINI = FIXTURES / "repos" / "mini-app"


def _scan(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["scan", *args, "--no-cache", "--progress", "never"])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_jsonl_has_one_record_per_binding(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _scan(capsys, str(MINI), "--format", "jsonl")
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    home = [r for r in records if r["file"] == "src/pages/Home.tsx" and r["package"] == "evergreen-ui"]
    assert {(r["export"], r["local"], r["type_only"]) for r in home} == {
        ("Button", "EgButton", False), ("Pane", "Pane", False), ("Heading", "Heading", False),
        ("PaneProps", "PaneProps", True),
    }  # fmt: skip


def test_problems_are_reported_and_strict_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _scan(capsys, str(MINI), "--format", "json")
    assert code == 0
    assert "3 file problems:" in err and "src/logo.js" in err
    code, _, _ = _scan(capsys, str(MINI), "--format", "json", "--strict")
    assert code == 1


def test_csv_and_markdown_and_table(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _scan(capsys, str(MINI), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {"package": "evergreen-ui", "export": "Pane", "imports": "2", "files": "2"}.items() <= next(
        r for r in rows if r["package"] == "evergreen-ui" and r["export"] == "Pane"
    ).items()
    _, out, _ = _scan(capsys, str(MINI), "--format", "markdown")
    assert "| evergreen-ui | npm | 9 | 5 |" in out
    _, out, _ = _scan(capsys, str(MINI))
    assert out.splitlines()[0].startswith("29 imports of 15 packages in 12 files")


def test_out_file_is_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "deep" / "report.json"
    code, out, _ = _scan(capsys, str(MINI), "--format", "json", "--out", str(target))
    assert code == 0 and out == ""
    assert json.loads(target.read_text())["totals"]["imports"] == 29


def _format_written(text: str) -> str:
    if text.startswith("{") and "\n{" not in text.strip():
        return "json" if "packages" in json.loads(text) else "?"
    if text.startswith('{"column"'):
        return "jsonl"
    if text.startswith("package,"):
        return "csv"
    return "markdown" if "| package" in text else "table" if "resolved as" in text else "?"


@pytest.mark.parametrize(
    ("name", "given", "written"),
    [("report.json", None, "json"), ("records.JSONL", None, "jsonl"), ("imports.csv", None, "csv"),
     ("report.md", None, "markdown"), ("report.txt", None, "table"), ("report.json", "table", "table")],
)  # fmt: skip
def test_out_extension_names_the_format_unless_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, given: str | None, written: str
) -> None:
    """`--out report.json` alone wrote a table into report.json."""
    out = tmp_path / name
    code, _, _ = _scan(capsys, str(MINI), "--out", str(out), *(["--format", given] if given else []))
    assert code == 0
    assert _format_written(out.read_text()) == written


def test_oversized_files_are_skipped_with_a_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(
        tmp_path, {"big.js": "import a from 'a';\n" + "x;\n" * 5000, "small.js": "import b from 'b';"}
    )
    code, out, _ = _scan(capsys, str(tmp_path), "--format", "json", "--max-file-size", "1KB")
    report = json.loads(out)
    assert code == 0
    assert list(report["packages"]) == ["b"]
    assert report["problems"][0]["path"] == "big.js" and report["problems"][0]["reason"] == "too-large"


def test_dangling_symlink_is_an_unreadable_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(tmp_path, {"a.js": "import a from 'a';"})
    (tmp_path / "gone.js").symlink_to(tmp_path / "missing.js")
    code, out, _ = _scan(capsys, str(tmp_path), "--format", "json")
    report = json.loads(out)
    assert code == 0 and list(report["packages"]) == ["a"]
    assert [(p["path"], p["reason"]) for p in report["problems"]] == [("gone.js", "unreadable")]


def test_bad_config_names_the_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_files(tmp_path, {"depreport.toml": "exclud = ['x']\n", "a.js": ""})
    code, _, err = _scan(capsys, str(tmp_path))
    assert code == 2
    assert "unknown key exclud" in err and "did you mean 'exclude'" in err
    write_files(tmp_path, {"depreport.toml": "max_file_size = 'huge'\n"})
    code, _, err = _scan(capsys, str(tmp_path))
    assert code == 2 and "max_file_size" in err


def test_config_from_pyproject(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_files(
        tmp_path,
        {"pyproject.toml": "[tool.depreport]\nexclude = ['legacy/**']\n", "a.js": "import a from 'a'",
         "legacy/b.js": "import b from 'b'"},
    )  # fmt: skip
    _, out, _ = _scan(capsys, str(tmp_path), "--format", "json")
    assert list(json.loads(out)["packages"]) == ["a"]


def test_missing_path_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _scan(capsys, str(tmp_path / "nope"))
    assert code == 2 and "not a folder" in err


def test_warm_scan_parses_nothing_and_gives_the_same_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = git_repo(tmp_path / "repo", {"a.ts": "import {A} from 'a';", "b.py": "import os"})
    parsed: list[int] = []
    real = assembly.run_files

    def counting(files, *args, **kwargs):  # type: ignore[no-untyped-def]
        parsed.append(len(files))
        return real(files, *args, **kwargs)

    monkeypatch.setattr(assembly, "run_files", counting)
    cache = str(tmp_path / "cache")
    reports = []
    for _ in range(2):
        main(["scan", str(repo), "--format", "json", "--cache-dir", cache, "--progress", "never"])
        reports.append(json.loads(capsys.readouterr().out))
    (repo / "a.ts").write_text("import {B} from 'b';")
    main(["scan", str(repo), "--format", "json", "--cache-dir", cache, "--progress", "never"])
    changed = json.loads(capsys.readouterr().out)
    assert parsed == [2, 1]  # the second scan reused the first one whole; the third parsed one file
    for report in reports:
        report.pop("generated_at")
    assert reports[0] == reports[1]
    assert "b" in changed["packages"] and "a" not in changed["packages"]


def test_warm_scan_outside_git_uses_file_stats(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_files(tmp_path / "repo", {"a.ts": "import {A} from 'a';"})
    old = 1_600_000_000
    import os

    os.utime(tmp_path / "repo" / "a.ts", (old, old))
    parsed: list[int] = []
    real = assembly.run_files
    monkeypatch.setattr(
        assembly, "run_files", lambda files, *a, **k: (parsed.append(len(files)), real(files, *a, **k))[1]
    )
    for _ in range(2):
        assert (
            main(["scan", str(tmp_path / "repo"), "--cache-dir", str(tmp_path / "c"), "--progress", "never"])
            == 0
        )
    assert parsed == [1]


def test_query_files_per_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "r.json"
    _scan(capsys, str(MINI), "--format", "json", "--out", str(report))
    assert main(["query", "--report", str(report), "--package", "evergreen-*", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    pane = next(r for r in rows if r["package"] == "evergreen-ui" and r["export"] == "Pane")
    assert pane["imports"] == 2 and "src/ui/Card.tsx:2" in pane["where"]
    assert {r["package"] for r in rows} == {"evergreen-ui", "evergreen-ui-v3"}
    star = next(r for r in rows if r["export"] == "*")
    assert star["package"] == "evergreen-ui"  # namespace import under `*`, not under its local name


def test_query_which_packages_export_a_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "r.json"
    _scan(capsys, str(MINI), "--format", "json", "--out", str(report))
    assert main(["query", "--report", str(report), "--export", "default", "--format", "json"]) == 0
    packages = {r["package"] for r in json.loads(capsys.readouterr().out)}
    assert {"react", "src/ui/Button", "evergreen-ui-v3"} <= packages


def test_query_that_matches_nothing_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "r.json"
    _scan(capsys, str(MINI), "--format", "json", "--out", str(report))
    assert main(["query", "--report", str(report), "--package", "evergren-ui"]) == 1
    err = capsys.readouterr().err
    assert "no package matches 'evergren-ui'" in err and "evergreen-ui" in err


def test_scan_memo_follows_configuration_and_aliases(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = git_repo(
        tmp_path / "repo",
        {"src/a.ts": "import {B} from '@/b';", "src/b.ts": "export const B = 1;", "tsconfig.json": "{}"},
    )
    cache = str(tmp_path / "cache")

    def packages(*extra: str) -> list[str]:
        main(["scan", str(repo), "--format", "json", "--cache-dir", cache, "--progress", "never", *extra])
        return sorted(json.loads(capsys.readouterr().out)["packages"])

    assert packages() == ["@/b"]
    (repo / "tsconfig.json").write_text('{"compilerOptions": {"paths": {"@/*": ["src/*"]}}}')
    assert packages() == ["src/b"]
    assert packages("--exclude", "src/a.ts") == []
    assert packages() == ["src/b"]


# The head of typeshed's stubs/Markdown/markdown/blockparser.pyi, a stub package beside its __init__.pyi.
TYPESHED_STUB = """from collections.abc import Iterable
from typing import Any, TypeVar

from markdown import blockprocessors as _blockprocessors, util
from . import core
if sys.version_info >= (3, 11):
    from typing import Self as Self
"""


def test_python_stubs_are_read_with_the_declarations(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {"stubs/Markdown/markdown/__init__.pyi": "", "stubs/Markdown/markdown/core.pyi": "",
             "stubs/Markdown/markdown/blockparser.pyi": TYPESHED_STUB}  # fmt: skip
    repo = git_repo(tmp_path / "typeshed", files)
    assert main(["scan", str(repo), "--no-cache", "--format", "jsonl"]) == 0
    out, err = capsys.readouterr()
    assert out == ""  # like .d.ts files, stubs only when asked, and said with the way to ask
    assert "3 declaration files (.d.ts, .pyi) not read" in err and "--include-declarations" in err
    assert main(["scan", str(repo), "--no-cache", "--format", "jsonl", "--include-declarations"]) == 0
    out, err = capsys.readouterr()
    assert "declaration files" not in err
    records = [json.loads(line) for line in out.splitlines()]
    found = {(r["line"], r["export"], r["local"], r["resolved"], r["package"]) for r in records}
    assert found == {
        (1, "Iterable", "Iterable", "builtin", "collections"),
        (2, "Any", "Any", "builtin", "typing"),
        (2, "TypeVar", "TypeVar", "builtin", "typing"),
        (
            4,
            "blockprocessors",
            "_blockprocessors",
            "python",
            "markdown",
        ),  # the distribution the stub describes
        (4, "util", "util", "python", "markdown"),
        (5, "*", "core", "relative", "stubs/Markdown/markdown/core"),
        (7, "Self", "Self", "builtin", "typing"),
    }


def test_files_holding_imports_it_does_not_read_are_said_with_the_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(
        tmp_path,
        {
            "src/a.ts": "import a from 'x';",
            "src/B.vue": "<script>import { Button } from 'evergreen-ui'</script>",
            "src/C.vue": "",
            "docs/d.mdx": "import { Pane } from 'evergreen-ui'",
        },
    )
    code, out, err = _scan(capsys, str(tmp_path), "--format", "json")
    assert code == 0
    assert list(json.loads(out)["packages"]) == ["x"]
    assert "1 .mdx file and 2 .vue files not read" in err
    assert "--exclude '*.mdx'" in err
    code, _, err = _scan(
        capsys, str(tmp_path), "--format", "json", "--exclude", "*.vue", "--exclude", "*.mdx"
    )
    assert code == 0
    assert "not read" not in err


def test_imports_through_a_bundlers_alias_are_said_then_resolved_once_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(
        tmp_path,
        {
            "src/legacy/Button.js": "export default 1;",
            "src/App.js": "import Button from '@/legacy/Button';\nimport Old from '~/legacy/Button';\n",
            "src/Page.js": (
                "import Button from '@/legacy/Button';\nimport Icons from 'virtual:icons';\n"
                "import logo from '/vite.svg';\nimport text from '!raw-loader!./a.txt';\n"
            ),
        },
    )
    code, out, err = _scan(capsys, str(tmp_path), "--format", "json")
    assert code == 0
    assert "3 imports of 2 specifiers resolve to no file of the repo and no package" in err
    assert "('@/legacy/Button', '~/legacy/Button')" in err
    assert "virtual:icons" not in err and "vite.svg" not in err and "raw-loader" not in err
    assert '[aliases] "@/*" = "src/*"' in err
    (tmp_path / "depreport.toml").write_text(
        '[aliases]\n"@/*" = "src/*"\n"~/*" = "src/*"\n'
        '[[groups]]\nname = "Legacy"\npaths = ["src/legacy/**"]\n'
        '[[groups]]\nname = "New"\npackages = ["new-ui"]\ntarget = true\n'
    )
    code, out, err = _scan(capsys, str(tmp_path), "--format", "json")
    assert code == 0
    assert "resolve to no file" not in err
    report = json.loads(out)
    assert report["packages"]["src/legacy/Button"]["imports"] == 3
    assert report["adoption"]["groups"]["Legacy"]["imports"] == 3


def test_bare_imports_of_folders_of_src_are_said_then_resolved_once_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """openedx/frontend-app-learner-dashboard before it had a baseUrl: webpack's resolve.modules made
    `import { useX } from 'hooks'` a module of src/, which a group of its folder must count."""
    write_files(tmp_path, {
        "package.json": '{"name": "app", "dependencies": {"react": "18.2.0"}}',
        "src/hooks/index.js": "export const useX = 1;",
        "src/containers/Main/index.jsx": "export default 1;",
        "src/App.jsx": (
            "import { useX } from 'hooks';\nimport Main from 'containers/Main';\nimport React from 'react';\n"
            "import get from 'lodash/get';\n"
        ),
    })  # fmt: skip
    cache = str(tmp_path / "cache")
    for _ in range(2):  # the second from the scan memo: said again
        code, out, err = _scan(capsys, str(tmp_path), "--format", "json", "--no-git", "--cache-dir", cache)
        assert code == 0
        assert "2 imports of 2 packages no package.json declares ('containers', 'hooks') are counted" in err
        assert "lodash" not in err and '[aliases] "*" = "src/*"' in err
    (tmp_path / "depreport.toml").write_text(
        '[aliases]\n"*" = "src/*"\n[[groups]]\nname = "Hooks"\npaths = ["src/hooks/**"]\n'
        '[[groups]]\nname = "New"\npackages = ["new-ui"]\ntarget = true\n'
    )
    code, out, err = _scan(capsys, str(tmp_path), "--format", "json", "--no-git", "--cache-dir", cache)
    assert code == 0 and "src/ has a folder" not in err
    report = json.loads(out)
    assert report["adoption"]["groups"]["Hooks"]["imports"] == 1
    assert report["packages"]["react"]["resolved_as"] == "npm"


def test_a_pyproject_table_that_depreport_toml_shadows_is_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Groups written in pyproject.toml's [tool.depreport] were silently unread beside a depreport.toml."""
    write_files(tmp_path, {
        "src/a.js": "import x from 'x';\n",
        "depreport.toml": 'exclude = ["**/*.test.js"]\n',
        "pyproject.toml": '[project]\nname = "app"\n[tool.depreport]\ninclude = ["src/**"]\n',
    })  # fmt: skip
    code, _, err = _scan(capsys, str(tmp_path), "--format", "json", "--no-git", "--no-cache")
    assert code == 0
    assert f"{tmp_path / 'pyproject.toml'} has a [tool.depreport] table that is not read" in err
    assert f"{tmp_path / 'depreport.toml'} takes precedence" in err
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "app"\n')  # no table of ours: nothing said
    code, _, err = _scan(capsys, str(tmp_path), "--format", "json", "--no-git", "--no-cache")
    assert code == 0 and "[tool.depreport]" not in err


def test_a_nul_byte_in_a_string_is_text_and_many_are_binary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """kubernetes-sigs/headlamp's workload/Details.tsx keys a cache entry `'\\0loading'` with a real NUL
    byte: valid TypeScript, and its 12 import statements were lost as 'binary content'."""
    write_files(
        tmp_path,
        {
            "src/Details.tsx": (
                b"import { useTranslation } from 'react-i18next';\n"
                b"// Two keys: one for the data, one for a NUL-prefixed loading marker.\n"
                b"const LOADING_KEY = '\0loading';\n"
                b"import Box from '@mui/material/Box';\n"
                b"export default function Details() { return <Box>{LOADING_KEY}</Box>; }\n"
            ),
            "src/blob.js": b"import x from 'y';\n" + bytes(range(256)) * 4,
            "src/wide.js": "import a from 'b';\n".encode("utf-16-le"),  # UTF-16 without a byte order mark
        },
    )
    code, out, _ = _scan(capsys, str(tmp_path), "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert sorted(report["packages"]) == ["@mui/material", "react-i18next"]
    assert [(p["path"], p["reason"]) for p in report["problems"]] == [
        ("src/blob.js", "binary"),
        ("src/wide.js", "binary"),
    ]
    assert report["components"]["@mui/material"]["default"]["files"] == {"src/Details.tsx": [5]}  # after it


def test_python_source_is_read_in_the_encoding_it_declares(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """pip's tests/data/packages/SetupPyLatin1/setup.py declares `# -*- coding: latin-1 -*-`, as PEP 263
    allows: it was a 'not valid UTF-8' problem and its non-ASCII names were read with replacement
    characters. Without a declaration, bytes that are not UTF-8 are still said."""
    write_files(
        tmp_path,
        {
            "setup.py": b"# -*- coding: latin-1 -*-\nfrom caf\xe9 import cr\xe8me\nimport os\n",
            "bad.py": b"from caf\xe9 import x\n",
        },
    )
    code, out, _ = _scan(capsys, str(tmp_path), "--format", "jsonl")
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert [(r["file"], r["specifier"], r["export"]) for r in records if r["file"] == "setup.py"] == [
        ("setup.py", "café", "crème"),
        ("setup.py", "os", "*"),
    ]
    code, out, _ = _scan(capsys, str(tmp_path), "--format", "json")
    problems = {(p["path"], p["reason"]) for p in json.loads(out)["problems"]}
    assert ("bad.py", "not-utf8") in problems
    assert not any(path == "setup.py" for path, _ in problems)


def test_a_tsconfig_extending_a_package_that_is_not_installed_is_said_with_the_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A scan without node_modules (most CI jobs) reads a tsconfig without the preset package it extends;
    a preset setting `paths` (TypeScript 5.5's `${configDir}`) would leave its aliases unknown. That was
    silent; it is a note (not a problem: `--strict` must not fail every uninstalled checkout)."""
    preset = {"compilerOptions": {"paths": {"@/*": ["${configDir}/src/*"]}}}
    write_files(
        tmp_path,
        {
            "tsconfig.json": json.dumps({"extends": "@acme/tsconfig/app.json"}),
            "src/a.ts": "import { b } from '@/b';",
            "src/b.ts": "export const b = 1;",
        },
    )
    code, out, err = _scan(capsys, str(tmp_path), "--format", "json", "--strict")
    assert code == 0 and json.loads(out)["problems"] == []
    assert json.loads(out)["packages"]["@/b"]["resolved_as"] == "unresolved"  # the alias is unknown
    assert "tsconfig.json extends '@acme/tsconfig/app.json', which is not installed" in err
    assert "install the dependencies before scanning" in err
    write_files(tmp_path, {"node_modules/@acme/tsconfig/app.json": json.dumps(preset)})
    code, out, err = _scan(capsys, str(tmp_path), "--format", "json")
    assert code == 0 and "not installed" not in err
    assert json.loads(out)["packages"]["src/b"]["resolved_as"] == "tsconfig-paths"


@pytest.mark.parametrize("command", ["scan", "backfill"])
def test_a_git_submodule_not_scanned_is_said_with_the_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """A submodule's files were left out of a scan and a backfill without a word."""
    library = git_repo(tmp_path / "library", {"index.ts": "import { Button } from 'evergreen-ui';\n"})
    app = git_repo(tmp_path / "app", {"src/a.ts": "import a from 'x';\n"})
    add = ["-c", "protocol.file.allow=always", "submodule", "add", "-q", str(library), "vendor/library"]
    git(app, *add)
    git(app, "commit", "-q", "-m", "vendor the library")
    if command == "scan":
        code, out, err = _scan(capsys, str(app), "--format", "json")
    else:
        code, (out, err) = (
            main([command, str(app), "--progress", "never", "--format", "json"]),
            capsys.readouterr(),
        )
    assert code == 0
    assert "evergreen-ui" not in out
    assert "git submodule vendor/library not scanned" in err and "--exclude 'vendor/library/'" in err
    if command == "scan":
        code, _, err = _scan(capsys, str(app), "--exclude", "vendor/library/")
        assert code == 0 and "submodule" not in err


def test_a_group_whose_globs_match_no_import_is_warned_of_by_the_scan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The report's adoption block had the warning, but a scan (a CI job that publishes) said nothing of
    a group whose `packages` were mistyped: its imports counted under no group, unsaid."""
    config = '[[groups]]\nname = "Evergreen"\npackages = ["evergren-ui"]\ntarget = true\n'
    files = {"src/a.ts": "import { Pane } from 'evergreen-ui';\n", "depreport.toml": config}
    code, _, err = _scan(capsys, str(git_repo(tmp_path / "repo", files)))
    assert code == 0
    assert "warning: group 'Evergreen': packages entry 'evergren-ui' matches no import" in err
    assert "evergreen-ui" in err  # the nearest package id seen


def test_include_globs_that_the_excludes_empty_say_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = git_repo(tmp_path / "repo", {"src/a.ts": "import a from 'x';\n"})
    code, _, err = _scan(capsys, str(repo), "--include", "src/**", "--exclude", "src/*.ts")
    assert code == 0
    assert (
        "the include globs ('src/**') selected no source file that the exclude globs ('src/*.ts') leave in"
        in err
    )


def test_the_summary_title_counts_in_words(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """One file with one import said "1 imports of 1 packages in 1 files"."""
    (tmp_path / "a.ts").write_text("import { Button } from 'evergreen-ui';\n", encoding="utf-8")
    assert main(["scan", str(tmp_path), "--no-git", "--progress", "never"]) == 0
    assert capsys.readouterr().out.splitlines()[0].startswith("1 import of 1 package in 1 file (")


@pytest.mark.parametrize(
    "flags",
    [
        pytest.param(("--include", "src/**"), id="include"),
        pytest.param(("--exclude", "src/old/**"), id="exclude"),
        pytest.param((), id="gitignore"),
    ],
)
def test_a_file_name_not_in_utf8_is_said_whatever_globs_match_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], flags: tuple[str, ...]
) -> None:
    """Globs are matched with RE2, which takes only UTF-8: such a name ended the scan (internal error)."""
    write_files(tmp_path, {"src/a.ts": "import x from 'y';\n", ".gitignore": "*.log\nsrc/old/\n"})
    (tmp_path / "src").joinpath(os.fsdecode(b"b\xff.ts")).write_text("import z from 'w';\n")
    (tmp_path / "src").joinpath(os.fsdecode(b"c\xfe")).mkdir()
    (tmp_path / "src").joinpath(os.fsdecode(b"c\xfe"), "e.ts").write_text("import v from 'u';\n")
    code, out, _ = _scan(capsys, str(tmp_path), "--format", "json", "--no-git", *flags)
    assert code == 0
    report = json.loads(out)
    assert sorted(report["packages"]) == ["y"]
    assert [(p["path"], p["reason"]) for p in report["problems"]] == [
        ("src/b\\xff.ts", "unreadable"),
        ("src/c\\xfe/e.ts", "unreadable"),
    ]
