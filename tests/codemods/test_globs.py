"""A `from` pattern finds what the regular expression it replaced found, without trying a way twice."""

from __future__ import annotations

import re
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from codemods.rules import JS, PYTHON, _split, compile_pattern


def reference(pattern: str, language: str) -> re.Pattern[str]:
    """The regular expression a pattern was matched with before: greedy groups, backtracking."""
    separator = re.escape("/" if language == JS else ".")
    parts = {"*": f"([^{separator}]+)", "**": "(.+)", "<tail>": f"(?:{separator}(.+))?"}
    return re.compile("".join(parts.get(token, re.escape(token)) for token in _split(pattern, language)))


@settings(max_examples=1000, deadline=None)
@given(
    language=st.sampled_from([JS, PYTHON]),
    parts=st.lists(st.sampled_from(["a", "b", "-", "/", ".", "*", "**"]), max_size=7),
    tail=st.booleans(),
    text=st.text(alphabet="ab-/.\n", max_size=14),
)
def test_a_pattern_matches_as_its_regular_expression_did(
    language: str, parts: list[str], tail: bool, text: str
) -> None:
    separator = "/" if language == JS else "."
    pattern = "a" + "".join(parts) + (separator + "**" if tail else "")
    glob = compile_pattern(pattern, language)
    if glob is None:
        return
    for specifier in (text, "a" + text):
        found = reference(pattern, language).fullmatch(specifier)
        assert glob.fullmatch(specifier) == (None if found is None else found.groups())


def test_a_specifier_a_pattern_nearly_matches_takes_no_time() -> None:
    """`from = "x-*-*-*-*-*-*-*-*-end"` against an import of x-a-a-…-a (80 characters): the regular
    expression tried every way its eight wildcards split the name, 48 s for nine; now each way once."""
    glob = compile_pattern("x" + "-*" * 8 + "-end", JS)
    assert glob is not None
    started = time.monotonic()
    assert glob.fullmatch("x" + "-a" * 40) is None
    assert glob.fullmatch("x" + "-a" * 40 + "-end") == ("a" + "-a" * 32,) + ("a",) * 7  # greedy, as before
    assert time.monotonic() - started < 1
