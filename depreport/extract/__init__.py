"""Bytes of one file -> the imports in it. Pure: no file system, no resolution."""

from __future__ import annotations

from depreport.extract import js, jsx, python, tolerant
from depreport.model import Extraction

# Bumped whenever extraction changes what it returns (or the cache's layout), so nothing stale is reused.
EXTRACTOR_VERSION = 7

_FINDERS = {
    "javascript": (js.CANDIDATES, js.find_imports),
    "typescript": (js.CANDIDATES, js.find_imports),
    "tsx": (js.CANDIDATES, js.find_imports),
    "python": (python.CANDIDATES, python.find_imports),
}


def extract_imports(source: bytes, language: str, uses: bool = True) -> Extraction:
    """Every import in `source`, parsed with the grammar of `language`, and (JS/TS/TSX, unless `uses`
    is False) every use of an imported binding beyond its import (see `jsx`).

    Files in which no import keyword occurs at all are not parsed. Valid code the grammar misreads
    (see `tolerant`) is no syntax error.
    """
    candidates, find = _FINDERS[language]
    offsets = [match.span() for match in candidates.finditer(source)]
    if not offsets:
        return Extraction(imports=(), syntax_error=False, unresolvable=0, parsed=False, size=len(source))
    parsed = tolerant.parse(source, language)
    found = find(parsed.tree.root_node, source, offsets, language)
    imports = found.found
    if parsed.import_types:  # `f<typeof import("x")>()`, read as a call: a type, not a value import
        at = {_line_and_column(source, offset) for offset in parsed.import_types}
        imports = [r._replace(type_only=True) if (r.line, r.column) in at else r for r in imports]
    names = jsx.imported_locals(imports) if uses and language != "python" else frozenset()
    return Extraction(
        imports=tuple(imports),
        uses=jsx.find_uses(parsed.tree.root_node, source, names) if names else (),
        syntax_error=parsed.syntax_error,
        unresolvable=found.unresolvable,
        parsed=True,
        size=len(source),
    )


def _line_and_column(source: bytes, offset: int) -> tuple[int, int]:
    return source.count(b"\n", 0, offset) + 1, offset - (source.rfind(b"\n", 0, offset) + 1)
