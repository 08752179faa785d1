"""A CLI that reads well: every --help describes its command with an example; outputs a person can read."""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from depreport.cli import build_parser, main
from depreport.cli.query import file_line
from tests.depreport.test_notify import CONFIG  # two groups, Evergreen v4 the target
from tests.helpers import git_repo


def _commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every command and nested action, as the words typed after `depreport`."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield (*path, name)
                yield from _commands(sub, (*path, name))


COMMANDS = list(_commands(build_parser()))


def test_every_command_is_listed() -> None:
    assert {"scan", "query", "backfill", "merge", "reports", "reports latest", "migrate"} <= {
        " ".join(c) for c in COMMANDS
    }


@pytest.mark.parametrize("command", [pytest.param(c, id=" ".join(c)) for c in COMMANDS])
def test_help_has_a_description_and_an_example(
    command: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as done:
        main([*command, "--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    usage, description, *_ = text.split("\n\n")
    assert usage.startswith("usage: depreport " + " ".join(command))
    assert description.strip().endswith(".")  # a sentence, not the options list
    assert max(len(line) for line in description.splitlines()) <= 100
    epilog = text.rstrip().split("\n\n")[-1]
    assert epilog.startswith("example"), f"no example in `depreport {' '.join(command)} --help`"
    assert f"depreport {command[0]}" in epilog
    assert "(s)" not in text  # "1 repo", "2 runs": never "repo(s)"


@pytest.mark.parametrize("command", [pytest.param(c, id=" ".join(c)) for c in COMMANDS])
def test_every_option_says_what_it_does(command: tuple[str, ...]) -> None:
    parser = build_parser()
    for word in command:
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        parser = sub.choices[word]
    silent = [a.option_strings[0] for a in parser._actions if a.option_strings and not a.help]
    assert not silent, f"`depreport {' '.join(command)} --help` says nothing of {', '.join(silent)}"
    unsaid = [
        a.option_strings[0]
        for a in parser._actions
        if a.option_strings and a.default not in (None, False, [], "", argparse.SUPPRESS)
        and "default" not in str(a.help) and str(a.default) not in str(a.help)
    ]  # fmt: skip
    assert not unsaid, (
        f"`depreport {' '.join(command)} --help` does not say the default of {', '.join(unsaid)}"
    )


def test_merge_lists_each_format_once(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["merge", "--help"])
    formats = re.search(r"--format \{([^}]*)\}", capsys.readouterr().out)
    assert formats and formats.group(1).split(",") == ["json", "table", "markdown", "csv"]


@pytest.fixture
def report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A scanned repo: Button in 30 lines of one file, and in a few other files."""
    many = "".join(f"import {{ Button as B{i} }} from 'evergreen-ui';\n" for i in range(30))
    repo = git_repo(tmp_path / "repo", {
        "depreport.toml": CONFIG,
        "src/pages/Settings/very/deep/folder/with/a/long/name/SettingsPage.tsx": many,
        "src/a.tsx": "import { Button, Pane } from 'evergreen-ui';\n",
        "src/b.tsx": "import { Button } from 'evergreen-ui-v3';\n",
    })  # fmt: skip
    out = tmp_path / "report.json"
    args = ["scan", str(repo), "--format", "json", "--out", str(out), "--no-cache", "--progress", "never"]
    assert main([*args, "--repo", "acme/web"]) == 0
    capsys.readouterr()
    return out


def test_query_prints_one_file_per_line_with_its_lines(
    report: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["query", "--report", str(report), "--package", "evergreen-*", "--export", "Button"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "2 packages matching 'evergreen-*'"
    assert lines[1] == "evergreen-ui Button: 31 imports in 2 files"
    assert lines[2] == "  src/a.tsx:1"
    deep = lines[3]
    assert deep.startswith("  src/pages/Settings/very/deep/folder/with/a/long/name/SettingsPage.tsx:1,2,3,")
    assert (
        re.search(r",\d+ \+\d+ more$", deep) and len(deep) <= 100
    )  # wrapped to the width, with the rest counted
    shown = deep.split(":")[1].split(" ")[0].split(",")
    assert len(shown) + int(deep.split("+")[1].split()[0]) == 30
    assert lines[4:] == ["evergreen-ui-v3 Button: 1 import in 1 file", "  src/b.tsx:1"]


def test_query_by_export_and_as_json(report: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "--report", str(report), "--export", "Pane"]) == 0
    assert capsys.readouterr().out.splitlines() == ["evergreen-ui Pane: 1 import in 1 file", "  src/a.tsx:1"]
    assert main(["query", "--report", str(report), "--export", "Pane", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["where"] == "src/a.tsx:1"


@pytest.mark.parametrize(
    ("lines", "width", "expected"),
    [
        pytest.param([3], 40, "a.tsx:3", id="one"),
        pytest.param([1, 2, 3], 40, "a.tsx:1,2,3", id="fits"),
        pytest.param(list(range(1, 30)), 24, "a.tsx:1,2,3,4,5 +24 more", id="cut"),
        pytest.param([100000, 200000], 8, "a.tsx:100000 +1 more", id="at-least-one"),
    ],
)
def test_file_line(lines: list[int], width: int, expected: str) -> None:
    assert file_line("a.tsx", lines, width) == expected


def test_reports_latest_is_a_summary_and_json_on_demand(
    report: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = str(tmp_path / "store")
    assert main(["publish", str(report), "--store", store]) == 0
    capsys.readouterr()
    assert main(["reports", "latest", "--store", store, "--repo", "acme/web"]) == 0
    text = capsys.readouterr().out
    lines = text.splitlines()
    assert lines[0].startswith("acme/web at ") and "(main)" in lines[0]
    assert lines[1] == "files: 3 seen, 3 parsed, 0 skipped, 0 problems"
    assert lines[2] == "imports: 33 of 2 packages"
    assert re.search(r"^  Evergreen v4 +97\.0% +32 +2 +2  <- target$", text, re.MULTILINE)
    assert re.search(r"^  Evergreen v3 +3\.0% +1 +1 +1$", text, re.MULTILINE)
    assert "{" not in text and len(lines) < 30
    assert main(["reports", "latest", "--store", store, "--repo", "acme/web", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["adoption"]["target"] == "Evergreen v4"


def test_plurals_in_backfill(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = git_repo(tmp_path / "repo", {"depreport.toml": CONFIG, "a.tsx": "import {A} from 'evergreen-ui';"})
    assert main(["backfill", str(repo), "--weeks", "1", "--cache-dir", str(tmp_path / "c")]) == 0
    assert capsys.readouterr().out.startswith("backfilled 1 week of ")


def test_a_check_that_finds_no_pack_does_not_claim_to_store_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = git_repo(tmp_path / "repo", {"depreport.toml": CONFIG, "a.tsx": "import {A} from 'evergreen-ui';"})
    store = tmp_path / "store"
    scan = ["scan", str(repo), "--publish", str(store), "--repo", "acme/web", "--no-store-cache",
            "--no-cache"]  # fmt: skip
    assert main(scan) == 0
    capsys.readouterr()
    check = ["check", str(repo), "--store", str(store), "--repo", "acme/web", "--cache-dir",
             str(tmp_path / "c")]  # fmt: skip
    assert main(check) == 0
    err = capsys.readouterr().err
    assert "a publishing run (scan --publish) stores one" in err and "this run stores one" not in err
    assert not (store / "acme/web/packs").exists()
