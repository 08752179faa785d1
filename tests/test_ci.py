"""CI runs what the repository claims: the linters and type checker README names, then README's tests."""

from __future__ import annotations

import re
import shlex

from tests.conftest import ROOT


def commands() -> list[list[str]]:
    """The commands `.ci/run` runs itself, each as words (shell lines that start with a command)."""
    found = []
    for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines():
        words = shlex.split(line, comments=True)
        if words and words[0] == "check":
            words = words[1:]
        if words:
            found.append(words)
    return found


def test_ci_runs_the_linters_and_the_type_checker() -> None:
    ran = commands()
    for expected in (["ruff", "check", "."], ["ruff", "format", "--check", "."], ["mypy", "--strict"]):
        assert expected in ran, f"{' '.join(expected)} is not run by .ci/run"


def test_ci_runs_readmes_test_command_and_fails_on_no_tests() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(r"^scripts/test\b", readme, re.M), "README no longer names scripts/test"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ["scripts/test", "-q"] in commands()
    assert '"$code" -eq 5' in ci  # pytest's "no tests collected" fails the build
