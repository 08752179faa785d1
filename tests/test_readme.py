"""What README shows a user to copy holds: its YAML and TOML blocks parse, its commands are commands."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

from depreport.cli import build_parser, main
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"^```(\w*)\n(.*?)^```", README, re.M | re.S)
# `depreport ...` at the start of a line, after `run:` or after `&&`; up to a comment, pipe or redirection
COMMAND = re.compile(r"(?:^|run: |&& )\s*(depreport\s[^#|>]*)")
# what README writes for "fill in your own" in a command
PLACEHOLDERS = {"…": "x", "[--full]": "--full", "${{ matrix.shard }}": "1"}


def _blocks(*languages: str) -> list[str]:
    return [text for language, text in BLOCKS if language in languages]


def readme_commands() -> list[str]:
    """Every `depreport` command line of README's shell and YAML blocks, placeholders filled in."""
    found = []
    for text in _blocks("sh", "yaml"):
        for line in text.splitlines():
            for command in COMMAND.findall(line):
                for placeholder, value in PLACEHOLDERS.items():
                    command = command.replace(placeholder, value)
                found.append(command.strip())
    return found


@pytest.mark.parametrize("text", [pytest.param(t, id=t.splitlines()[0]) for t in _blocks("yaml")])
def test_yaml_blocks_parse(text: str) -> None:
    assert yaml.safe_load(text)


@pytest.mark.parametrize("text", [pytest.param(t, id=t.splitlines()[0]) for t in _blocks("toml")])
def test_toml_blocks_parse(text: str) -> None:
    tomllib.loads(text)


def test_readme_shows_commands() -> None:
    assert len(readme_commands()) > 30


@pytest.mark.parametrize("command", readme_commands())
def test_readme_commands_are_accepted(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    words = shlex.split(command)
    try:
        build_parser().parse_args(words[1:])
    except SystemExit:
        pytest.fail(f"`{command}`: {capsys.readouterr().err.strip()}")


def test_demo_help_is_its_header_comment() -> None:
    done = subprocess.run([ROOT / "scripts" / "demo", "--help"], capture_output=True, text=True, check=True)
    header = [line for line in done.stdout.splitlines() if line]
    assert header[0].startswith("The main job on the bundled sample")
    assert any(line.startswith("Usage: scripts/demo") for line in header)
    assert not any(line.startswith("set ") for line in header)  # the help ends where the script begins


def test_the_groups_example_counts_a_pinned_old_major_as_old(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """README's `depreport.toml` on a workspace where one package still pins evergreen-ui 3."""
    block = next(text for text in _blocks("toml") if text.startswith("# depreport.toml\n[[groups]]"))
    files = {
        "depreport.toml": block,
        "package.json": '{"name": "root", "private": true, "workspaces": ["packages/*"]}',
        "packages/old/package.json": '{"name": "old", "dependencies": {"evergreen-ui": "^3.2.0"}}',
        "packages/new/package.json": '{"name": "new", "dependencies": {"evergreen-ui": "^4.1.0"}}',
        "packages/old/src/a.tsx": "import { Button } from 'evergreen-ui';\n",
        "packages/new/src/a.tsx": "import { Button } from 'evergreen-ui';\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    report = tmp_path / "report.json"
    assert main(["scan", str(tmp_path), "--no-cache", "--format", "json", "--out", str(report)]) == 0
    groups = json.loads(report.read_text())["adoption"]["groups"]
    assert groups["Evergreen v3 (pinned)"]["files"] == 1 and groups["Evergreen v4"]["files"] == 1


def test_the_first_setup_says_what_it_does_while_pip_runs_quietly(tmp_path: Path) -> None:
    """scripts/venv.sh installs with `pip --quiet`: a minute or two of silence unless it says so first."""
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "venv.sh").write_text((ROOT / "scripts" / "venv.sh").read_text())
    (tmp_path / "pyproject.toml").write_text("")
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "python").write_text('#!/bin/sh\necho "$@" >> "$(dirname "$0")/pip.log"\n')
    (bin_dir / "python").chmod(0o755)
    (bin_dir / "activate").write_text("")

    def setup() -> str:
        done = subprocess.run(
            ["bash", "-c", ". scripts/venv.sh"], cwd=tmp_path, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return done.stderr

    assert "setting up .venv" in setup() and "install" in (bin_dir / "pip.log").read_text()
    assert setup() == ""  # installed already: nothing to say
