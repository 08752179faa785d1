"""What README shows a user to copy holds: its YAML and TOML blocks parse, its commands are commands."""

from __future__ import annotations

import re
import shlex
import subprocess
import tomllib

import pytest
import yaml

from depreport.cli import build_parser
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
