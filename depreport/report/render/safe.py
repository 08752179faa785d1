"""Names from scanned code (package ids, exports, paths) made safe for each output they end up in.

A name is data: it must never start a CI workflow command (`::error::…` at the start of a line of a
GitHub Actions log), close a Markdown code span or table cell, inject HTML, or run as a spreadsheet
formula. Each output escapes at the point where it places a name, with the helper for its format.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any, TextIO

# C0 and C1 controls, DEL, and the Unicode line and paragraph separators and bidi overrides.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|&~#!])")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what spreadsheets run as a formula (OWASP CSV injection)


def plain(text: str) -> str:
    """``text`` on one line with control characters escaped (``\\n``, ``\\x1b``), never starting with ``::``.

    For text output and messages on stderr: no name can start a line, so none can be read by a CI
    runner as a workflow command, nor move the cursor of a terminal.
    """
    escaped = _CONTROL.sub(_escape_char, text)
    stripped = escaped.lstrip()  # a CI runner trims any leading whitespace before looking for "::"
    if stripped.startswith("::"):
        cut = len(escaped) - len(stripped)
        escaped = escaped[:cut] + "\\x3a" + stripped[1:]
    return escaped


def guard_lines(text: str) -> str:
    """Lines of a message as ``plain`` makes a name: kept as lines, but none can start a CI command.

    For messages that are several lines on purpose (an error and its hint) yet may quote a name.
    """
    return "\n".join(plain(line) for line in text.split("\n"))


def markdown_text(text: str) -> str:
    """``text`` as literal Markdown inline content (also inside a table cell): no HTML, no markup."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", plain(text))


def markdown_code(text: str, in_table: bool = False) -> str:
    """``text`` as a Markdown code span, fenced with more backticks than it holds.

    In a table cell a pipe must still be escaped (GFM splits cells before reading code spans).
    """
    body = plain(text)
    longest = max((len(run) for run in re.findall("`+", body)), default=0)
    fence = "`" * (longest + 1)
    if body.startswith("`") or body.endswith("`") or not body.strip():
        body = f" {body} "
    if in_table:
        body = body.replace("|", "\\|")
    return f"{fence}{body}{fence}"


def defuse_formula(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula, with a leading apostrophe; others unchanged."""
    return f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_START) else value


class SafeCSVWriter:
    """``csv.writer`` whose text cells are on one line (``plain``: CSV is read in CI logs too) and
    defused (``defuse_formula``)."""

    def __init__(self, out: TextIO) -> None:
        self._writer = csv.writer(out, lineterminator="\n")

    def writerow(self, row: Iterable[Any]) -> None:
        """Write one row."""
        self._writer.writerow([defuse_formula(plain(v)) if isinstance(v, str) else v for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        """Write every row."""
        for row in rows:
            self.writerow(row)


def csv_writer(out: TextIO) -> SafeCSVWriter:
    """A CSV writer with "\\n" line ends whose text cells cannot run as formulas."""
    return SafeCSVWriter(out)


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
