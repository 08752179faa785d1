"""Byte edits, the parse check, and per-file outcomes as values."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

import codemods.js
from codemods.edits import Edit, OverlapError, apply_edits
from codemods.rulefile import parse_rules
from codemods.runner import (
    Failure,
    FileOutcome,
    Outcome,
    RunOptions,
    Task,
    migrate_file,
    migrate_source,
    run_migration,
    unified_diff,
)
from depreport.cli.migrate import _exit_code as migrate_exit_code
from depreport.errors import EXIT_FINDINGS, EXIT_INTERNAL

RULES = parse_rules(tomllib.loads('[[rule]]\nfrom = "evergreen-*"\nto = "evergreen-ui"\n'), "rules.toml")


@pytest.mark.parametrize(
    ("edits", "expected"),
    [
        pytest.param([Edit(0, 1, b"X"), Edit(2, 3, b"Y")], b"XbYd", id="two"),
        pytest.param([Edit(2, 3, b"Y"), Edit(0, 1, b"X")], b"XbYd", id="any-order"),
        pytest.param([Edit(1, 1, b"+"), Edit(1, 3, b"")], b"a+d", id="insert-before-delete"),
        pytest.param([Edit(0, 2, b""), Edit(2, 2, b"+")], b"+cd", id="insert-after-delete"),
        pytest.param([Edit(0, 1, b"X"), Edit(0, 1, b"X")], b"Xbcd", id="same-edit-twice"),
        pytest.param([], b"abcd", id="none"),
    ],
)
def test_apply_edits(edits: list[Edit], expected: bytes) -> None:
    assert apply_edits(b"abcd", edits) == expected


@pytest.mark.parametrize(
    "edits",
    [
        pytest.param([Edit(0, 2, b"X"), Edit(1, 3, b"Y")], id="overlap"),
        pytest.param([Edit(1, 1, b"X"), Edit(1, 1, b"Y")], id="two-inserts-one-place"),
        pytest.param([Edit(0, 4, b""), Edit(2, 2, b"Y")], id="insert-inside-delete"),
    ],
)
def test_overlapping_edits_are_refused(edits: list[Edit]) -> None:
    with pytest.raises(OverlapError):
        apply_edits(b"abcd", edits)


def test_a_rewrite_that_breaks_the_syntax_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    source = b"import { Button } from 'evergreen-buttons';\nexport const b = Button;\n"
    monkeypatch.setattr(codemods.js, "emit", lambda plan, body, style: [Edit(0, 6, b"imp0rt {")])
    result = migrate_source(source, "javascript", RULES)
    assert result.source == source
    assert result.error is not None and "would add syntax errors (0 before" in result.error


def test_a_file_with_syntax_errors_is_still_migrated_when_it_gets_no_worse() -> None:
    source = b"import { Button } from 'evergreen-buttons';\nconst = ;\n"
    result = migrate_source(source, "javascript", RULES)
    assert result.error is None
    assert result.source == b"import { Button } from 'evergreen-ui';\nconst = ;\n"


def _task(path: Path, language: str = "javascript") -> Task:
    return Task(str(path), path.name, language)


def test_outcomes_are_values(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {
        "changed.js": b"import { Pane } from 'evergreen-layers';\n",
        "unchanged.js": b"import { Pane } from 'evergreen-ui';\n",
        "binary.js": b"\0\0evergreen-layers",
        "broken.py": b"from evergreen import (\n",
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    rules = parse_rules(
        tomllib.loads('[[rule]]\nfrom = "evergreen-*"\nto = "evergreen-ui"\n[[rule]]\nlanguage = "python"\n'
                      'from = "evergreen"\nto = "evergreen_ui"\n'), "rules.toml")  # fmt: skip
    tasks = [_task(tmp_path / n, "python" if n.endswith(".py") else "javascript") for n in files]
    tasks.append(_task(tmp_path / "missing.js"))
    outcomes = {o.path: o for o in run_migration(tasks, rules, RunOptions(write=True, diff=True))}
    assert {p: o.outcome for p, o in outcomes.items()} == {
        "changed.js": Outcome.CHANGED, "unchanged.js": Outcome.UNCHANGED, "binary.js": Outcome.SKIPPED,
        "broken.py": Outcome.FAILED, "missing.js": Outcome.SKIPPED,
    }  # fmt: skip
    assert (tmp_path / "changed.js").read_bytes() == b"import { Pane } from 'evergreen-ui';\n"
    assert "-import { Pane } from 'evergreen-layers';" in outcomes["changed.js"].diff
    assert "not valid Python" in outcomes["broken.py"].detail
    assert "cannot read" in outcomes["missing.js"].detail

    def explode(source: bytes, language: str, rules: object) -> object:
        raise RuntimeError("boom")

    monkeypatch.setattr("codemods.runner.migrate_source", explode)
    failed = migrate_file(tasks[0], rules, RunOptions())
    assert failed.outcome is Outcome.FAILED and failed.detail == "internal error: RuntimeError: boom"
    assert failed.failure is Failure.INTERNAL


@pytest.mark.parametrize(
    ("source", "detail"),
    [
        pytest.param(b"import { Sheet } from 'evergreen-layers';\n", "1 site left as it is", id="one"),
        pytest.param(
            b"import { Sheet } from 'evergreen-layers';\nimport { Sheet as S } from 'evergreen-layers';\n",
            "2 sites left as they are",
            id="two",
        ),
    ],
)
def test_a_skipped_file_counts_its_sites_in_words(tmp_path: Path, source: bytes, detail: str) -> None:
    rules = parse_rules(
        tomllib.loads('[known_exports]\n"evergreen-ui" = ["Pane"]\n[[rule]]\nfrom = "evergreen-*"\n'
                      'to = "evergreen-ui"\n'), "rules.toml")  # fmt: skip
    (tmp_path / "a.js").write_bytes(source)
    outcome = migrate_file(_task(tmp_path / "a.js"), rules, RunOptions())
    assert outcome.outcome is Outcome.SKIPPED and outcome.detail == detail


@pytest.mark.parametrize(
    ("failure", "code"),
    [
        pytest.param(Failure.INTERNAL, EXIT_INTERNAL, id="a-bug-of-ours"),
        pytest.param(Failure.UNSAFE, EXIT_FINDINGS, id="unsafe"),
        pytest.param(Failure.WORKER, EXIT_FINDINGS, id="worker-died"),
        pytest.param(Failure.WRITE, EXIT_FINDINGS, id="cannot-write"),
    ],
)
def test_the_exit_code_follows_the_kind_of_failure_not_its_wording(failure: Failure, code: int) -> None:
    outcome = FileOutcome("a.ts", Outcome.FAILED, detail="internal error? no: a message", failure=failure)
    assert migrate_exit_code([outcome], check=False) == code


def test_write_keeps_the_file_mode(tmp_path: Path) -> None:
    script = tmp_path / "tool.js"
    script.write_bytes(b"#!/usr/bin/env node\nrequire('evergreen-layers');\n")
    script.chmod(0o751)
    outcome = migrate_file(_task(script), RULES, RunOptions(write=True))
    assert outcome.outcome is Outcome.CHANGED
    assert script.stat().st_mode & 0o777 == 0o751
    assert script.read_bytes() == b"#!/usr/bin/env node\nrequire('evergreen-ui');\n"
    assert [p.name for p in tmp_path.iterdir()] == ["tool.js"]  # no temporary file left behind


def test_diff_marks_a_missing_final_newline() -> None:
    diff = unified_diff("a.js", b"x\ny", b"x\nz")
    assert diff.splitlines() == [
        "--- a/a.js",
        "+++ b/a.js",
        "@@ -1,2 +1,2 @@",
        " x",
        "-y",
        "\\ No newline at end of file",
        "+z",
        "\\ No newline at end of file",
    ]


def test_a_diff_header_quotes_a_name_as_git_does() -> None:
    """A file name with a line break would end the `---` line early and make the patch ambiguous."""
    diff = unified_diff("src/we\nird.js", b"a\n", b"b\n")
    assert diff.splitlines()[:2] == ['--- "a/src/we\\nird.js"', '+++ "b/src/we\\nird.js"']
    assert unified_diff("src/plain.js", b"a\n", b"b\n").splitlines()[0] == "--- a/src/plain.js"


def test_a_file_the_parser_is_slow_on_is_stopped_and_left_as_it_is_when_migrated_here(tmp_path: Path) -> None:
    """A run of few JS files rewrites them in this process, where no parent watches the time: 8,000 lines
    of an unclosed `/*` took tree-sitter 10 s, 40,000 would take minutes. The file's own deadline stops it."""
    slow = b"import { Pane } from 'evergreen-layers';\n" + b"/*a\n" * 40_000
    (tmp_path / "slow.js").write_bytes(slow)
    (tmp_path / "fine.js").write_bytes(b"import { Pane } from 'evergreen-layers';\n")
    tasks = [_task(tmp_path / "slow.js"), _task(tmp_path / "fine.js")]
    options = RunOptions(write=True, jobs=1, timeout=0.5)
    outcomes = {o.path: o for o in run_migration(tasks, RULES, options)}
    assert outcomes["slow.js"].outcome is Outcome.FAILED and outcomes["slow.js"].failure is Failure.WORKER
    assert outcomes["slow.js"].detail == "took longer than 0.5 s; stopped, left as it is"
    assert (tmp_path / "slow.js").read_bytes() == slow
    assert outcomes["fine.js"].outcome is Outcome.CHANGED  # the parser stopped halfway was reset
    assert (tmp_path / "fine.js").read_bytes() == b"import { Pane } from 'evergreen-ui';\n"
