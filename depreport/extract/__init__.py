"""Bytes of one file -> the imports in it. Pure: no file system, no resolution."""

from __future__ import annotations

from depreport.extract import js, python
from depreport.languages import parser
from depreport.model import Extraction

# Bumped whenever extraction changes what it returns (or the cache's layout), so nothing stale is reused.
EXTRACTOR_VERSION = 4

_FINDERS = {
    "javascript": (js.CANDIDATES, js.find_imports),
    "typescript": (js.CANDIDATES, js.find_imports),
    "tsx": (js.CANDIDATES, js.find_imports),
    "python": (python.CANDIDATES, python.find_imports),
}


def extract_imports(source: bytes, language: str) -> Extraction:
    """Every import in `source`, parsed with the grammar of `language`.

    Files in which no import keyword occurs at all are not parsed.
    """
    candidates, find = _FINDERS[language]
    offsets = [match.span() for match in candidates.finditer(source)]
    if not offsets:
        return Extraction(imports=(), syntax_error=False, unresolvable=0, parsed=False, size=len(source))
    tree = parser(language).parse(source)
    found = find(tree.root_node, source, offsets, language)
    return Extraction(
        imports=tuple(found.found),
        syntax_error=tree.root_node.has_error,
        unresolvable=found.unresolvable,
        parsed=True,
        size=len(source),
    )
