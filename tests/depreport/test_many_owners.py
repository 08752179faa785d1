"""A CODEOWNERS of thousands of lines: each file asks only the lines that can match it. Counted, not
timed: before, each path asked every line from the last up (10,000 `/src/teamN/**` lines and 2,000
files: 39 s of a scan)."""

from __future__ import annotations

import random

import pathspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from depreport.resolve.owners import CodeOwners
from tests.helpers import count_calls

LINES = 2000


def test_a_path_asks_only_the_lines_of_its_folders_and_those_matched_anywhere(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = "* @org/all\n*.md @org/docs\n" + "".join(f"/src/team{i}/** @org/team{i}\n" for i in range(LINES))
    owners = CodeOwners.parse(text)
    asked = count_calls(monkeypatch, pathspec.GitIgnoreSpec, "match_file")
    paths = [f"src/team{i}/f.ts" for i in range(0, LINES, 7)] + ["src/README.md", "lib/x.ts"]
    found = [owners.owners(path) for path in paths]
    assert found[:-2] == [(f"@org/team{i}",) for i in range(0, LINES, 7)]
    assert found[-2:] == [("@org/docs",), ("@org/all",)]
    assert asked.count <= 3 * len(paths), asked  # before: about half the lines per path


_SEGMENTS = ["src", "a", "b", "*", "**", "*.md", "x*", "?", "a[ab]", "docs", ""]
_PATHS = ["src/a/b.md", "src/a", "a/src/b", "docs/x.md", "src/b/a/x.ts", "a", "x1/a", "b/src/a/b"]


@given(
    st.lists(
        st.tuples(st.booleans(), st.lists(st.sampled_from(_SEGMENTS), min_size=1, max_size=3), st.booleans()),
        max_size=8,
    ),
    st.integers(0, 2**16),
)
def test_the_owners_are_those_of_the_last_matching_line(
    lines: list[tuple[bool, list[str], bool]], seed: int
) -> None:
    patterns = [
        ("/" if rooted else "") + "/".join(parts) + ("/" if folder else "") for rooted, parts, folder in lines
    ]
    patterns = [p for p in patterns if p.strip("/") and "//" not in p]
    text = "".join(f"{p} @o{i}\n" for i, p in enumerate(patterns))
    owners = CodeOwners.parse(text)
    specs = [(pathspec.GitIgnoreSpec.from_lines([p]), f"@o{i}") for i, p in enumerate(patterns)]
    for path in random.Random(seed).sample(_PATHS, 4):
        last = next((who for spec, who in reversed(specs) if spec.match_file(path)), None)
        assert owners.owners(path) == ((last,) if last else ()), (patterns, path)
