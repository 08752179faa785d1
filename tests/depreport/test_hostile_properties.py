"""Properties over hostile file names, bytes and patterns: never a crash, never a silent drop.

Hypothesis draws the inputs; each example builds its own temp folder (a function-scoped fixture would
be shared across examples).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from depreport.cli.output import write_text
from depreport.errors import UsageError
from depreport.model import Extracted, Skipped
from depreport.resolve.owners import CodeOwners
from depreport.resolve.tsconfig import load_aliases
from depreport.resolve.workspaces import workspace_packages
from depreport.scan.discover import DiscoverOptions, Selector, discover_files
from depreport.scan.globs import given_pattern_error, lenient_spec, pattern_error
from depreport.scan.runner import Work, run_files

pytestmark = pytest.mark.integration
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# A file name: any bytes but '/' and NUL, not '.' or '..'; ends in .js so that it is a source file.
names = st.binary(min_size=1, max_size=20).map(lambda b: b.replace(b"/", b"_").replace(b"\0", b"_") + b".js")
patterns = st.text(alphabet=st.sampled_from("ab/*?[]!-\\ .#z"), max_size=12)


def _is_utf8(name: bytes) -> bool:
    try:
        name.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@SETTINGS
@given(st.sets(names, min_size=1, max_size=8))
def test_every_file_name_is_scanned_or_a_problem_with_a_printable_name(raw: set[bytes]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for name in raw:
            Path(os.fsdecode(os.path.join(os.fsencode(folder), name))).write_bytes(b"import x from 'x';\n")
        found = discover_files(Path(folder), DiscoverOptions(use_git=False))
    assert len(found.files) + len(found.problems) == len(raw)  # none dropped
    assert sorted(f.path.encode("utf-8") for f in found.files) == sorted(n for n in raw if _is_utf8(n))
    for problem in found.problems:
        problem.path.encode("utf-8")  # shown with escapes: always valid UTF-8
        assert "rename it" in problem.message


@SETTINGS
@given(st.binary(max_size=3000))
def test_any_bytes_in_a_source_file_give_one_result_and_never_a_failure(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "a.ts").write_bytes(data)
        found = discover_files(root, DiscoverOptions(use_git=False))
        results = list(run_files(found.files, Work(root, None, 2 * 1024 * 1024), jobs=1))
    assert len(results) == 1 and isinstance(results[0], Extracted | Skipped)


@SETTINGS
@given(st.lists(patterns, max_size=6))
def test_a_pattern_is_either_accepted_or_a_usage_error_naming_it(given_patterns: list[str]) -> None:
    bad = [p for p in given_patterns if given_pattern_error(p) is not None]
    try:
        selector = Selector(DiscoverOptions(include=tuple(given_patterns)))
    except UsageError as error:
        assert bad and repr(bad[0]) in error.message
        return
    assert not bad
    selector.language("src/a.ts")  # matching never raises either


@SETTINGS
@given(st.lists(patterns, max_size=8))
def test_gitignore_lines_the_library_refuses_are_left_out_one_by_one(lines: list[str]) -> None:
    spec, bad = lenient_spec(lines)
    assert [line for _, line, _ in bad] == [line for line in lines if pattern_error(line) is not None]
    spec.match_file("a/b.js")


@SETTINGS
@given(st.text(max_size=300))
def test_any_codeowners_text_parses_and_answers(text: str) -> None:
    owners = CodeOwners.parse(text)
    assert isinstance(owners.owners("src/a b/c.ts"), tuple)
    assert all(
        p.path == "CODEOWNERS" and ("fix" in p.message or "UTF-8" in p.message) for p in owners.problems
    )


@SETTINGS
@given(st.text(max_size=300), st.text(max_size=200))
def test_any_tsconfig_and_package_json_text_is_read_or_reported(tsconfig: str, manifest: str) -> None:
    texts = {"tsconfig.json": tsconfig, "package.json": manifest, "lerna.json": manifest}
    problems: list = []  # type: ignore[type-arg]
    load_aliases(texts.get, "tsconfig.json", problems)
    workspace_packages(texts.get, ["package.json"], problems)
    assert all(p.path in texts for p in problems)


@SETTINGS
@given(st.text(max_size=200))
def test_write_text_round_trips_any_text(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "out" / "report.txt"
        write_text(str(target), text)
        written = target.read_bytes().decode("utf-8")
        assert sorted(os.listdir(target.parent)) == ["report.txt"]  # no temporary left behind
    assert written == text.encode("utf-8", "backslashreplace").decode("utf-8")
