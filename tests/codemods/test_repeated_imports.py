"""One Python file importing the same module many times, under a rule moving a module it goes through.

n times `import a.b.c` under `a.b` -> `z.y` took 4.9 s at n = 1,000 and ran past migrate's 60 s limit at
5,000: each use of `a` may mean any of the n imports, and each import asked each of them whether it was
a plain import (codemods/pybindings.py); each rewritten statement listed the lines of every earlier one
and of every import of `a` (codemods/pyonce.py). Counted, not timed: the work grows as n does.
"""

from __future__ import annotations

import tomllib

import pytest

from codemods import pybindings
from codemods.py import rewrite_python
from codemods.pybindings import FileNames
from codemods.rulefile import parse_rules
from tests.helpers import count_calls

RULES = parse_rules(
    tomllib.loads('[[rule]]\nid = "ab"\nlanguage = "python"\nfrom = "a.b"\nto = "z.y"\n'), "rules.toml"
)


def _source(n: int) -> str:
    return "import a.b.c\n" * n + "\n\ndef f():\n    return a.b.X(a.b.c.Y)\n\n\na.b.Z()\n"


def _work(n: int) -> tuple[int, int, str]:
    """The plain-import questions and line look-ups a rewrite of the file makes, and what it writes."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        plain = count_calls(monkeypatch, pybindings, "_plain_import")
        lines = count_calls(monkeypatch, FileNames, "line")
        result = rewrite_python(_source(n).encode(), RULES)
    assert result.error is None and not result.notes
    return plain.count, lines.count, result.source.decode()


def test_the_same_import_many_times_costs_work_linear_in_the_imports() -> None:
    plain, lines, written = _work(100)
    assert written == (
        "import a.b.c\nimport z.y\n"
        + "import a.b.c\n" * 99
        + "\n\ndef f():\n    return z.y.X(a.b.c.Y)\n\n\nz.y.Z()\n"
    )
    more_plain, more_lines, _ = _work(200)
    assert more_plain <= 2 * plain + 10 and more_lines <= 2 * lines + 10  # n² before: 4 times as many
    assert more_plain < 10 * 200 and more_lines < 10 * 200  # 238,800 and 100,499 before
