"""Parse only the prefix of a JS/TS file that holds every import keyword, when that is safe.

In most modules every import sits in the first few percent of the bytes. A left-to-right parse of a
prefix yields the same subtrees as the whole file for the complete statements before the cut, as long
as (1) the prefix parses with no error (the cut did not fall inside a statement, string, template,
comment or JSX element) and (2) the first token after the cut cannot continue the last statement of
the prefix (a line starting with `(`, `[`, `` ` ``, `+`, `-`, `/`, `.`, `?.`, `,`, `=`, `from`,
`else`, `as`...; see `_CONTINUES`). The cut is tried only at the start of a line that begins at
column 0 (where formatted code starts its top-level statements) after the line of the last import,
export or require keyword that may bring a record (`last_keyword_end`); a file where no such cut
parses cleanly within `MAX_TRIES` is parsed whole.

Extraction (`depreport.extract.extract_imports`) keeps the prefix's tree when no use of an imported
name can follow the cut (`jsx.names_after`, read from the bytes and wide on purpose); otherwise the
whole file is parsed, going on incrementally from the prefix's tree. A syntax error after a kept cut
is not seen (no record or use can be there). bench/prefix.py measures what it saves and checks that
the imports, uses and counts are those of the whole file on every corpus file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from depreport.extract import tolerant

MAX_TRIES = 2
_LOCAL_EXPORT = re.compile(
    rb"export(?:\s+(?:default|const|let|var|function|class|interface|enum|abstract|declare|async|namespace"
    rb"|module)(?![\w$])|\s+type\s+[A-Za-z_$]|\s*\{[^}]*\}(?!\s*from(?![\w$])))"
)
_LINE_AT_COLUMN_0 = re.compile(rb"\n(?=\S)")
_BLANKS_AND_COMMENTS = re.compile(rb"(?:\s+|//[^\n]*|/\*.*?\*/)*", re.DOTALL)
# A token that may continue the statement before it, so a line starting with it is no place to cut.
# Deliberately wide: a wrong "continues" costs a longer prefix, a wrong "does not" a wrong tree.
_CONTINUES = re.compile(
    rb"[-+*/%&|^!~<>=?.,:;(\[{}\])`#]"
    rb"|(?:in|instanceof|as|satisfies|from|with|assert|else|catch|finally|while|extends|implements"
    rb"|of|is|keyof)(?![\w$])"
)


def last_keyword_end(source: bytes, offsets: list[tuple[int, int]]) -> int:
    """The end of the last keyword that may bring an import record: an `export` that declares a local
    (`export const`, `export function`, `export { a }` without `from`...) brings none, and built ESM
    modules end with one."""
    for start, end in reversed(offsets):
        if not _LOCAL_EXPORT.match(source, start):
            return end
    return 0


def cuts(source: bytes, after: int) -> Iterator[int]:
    """Offsets after `after` where a top-level statement may start: a line at column 0 whose first
    token (comments skipped) cannot continue the statement before it."""
    for line in _LINE_AT_COLUMN_0.finditer(source, after):
        start = line.end()
        token = _BLANKS_AND_COMMENTS.match(source, start)
        if token is None or token.end() >= len(source):  # only comments follow: nothing to skip
            return
        if not _CONTINUES.match(source, token.end()):
            yield start


def parse_prefix(source: bytes, language: str, last_keyword_end: int) -> tuple[tolerant.Parsed, int]:
    """The parse of the shortest safe prefix holding every keyword up to `last_keyword_end` (see the
    module and `last_keyword_end`), and its length; the whole file's, when no cut is safe."""
    for tries, cut in enumerate(cuts(source, last_keyword_end), 1):
        parsed = tolerant.parse(source[:cut], language)
        if not parsed.tree.root_node.has_error:
            return parsed, cut
        if tries == MAX_TRIES:
            break
    return tolerant.parse(source, language), len(source)
