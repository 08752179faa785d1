"""Bytes of one file -> the imports in it. Pure: no file system, no resolution."""

from __future__ import annotations

import re

from depreport.extract import js, jsx, prefix, python, tolerant
from depreport.extract.collected import Imports
from depreport.extract.lines import Lines
from depreport.extract.occurrences import keywords
from depreport.model import ALL_EXPORTS, Extraction, Kind, RawImport, RawUse

# Bumped whenever extraction changes what it returns (or the cache's layout), so nothing stale is reused.
# 47: the names a module with an `export *` exports itself (Extraction.own_exports);
# 46: comments before variance annotations and between generic call signatures (no syntax error);
# 45: a content the parser was stopped on is kept (Extraction.stopped_after);
# 44: a Git LFS pointer is no file;
# 43: `export * as default from`;
# 42: comments in a re-export's `with {…}`;
# 41: `import.defer("x")`;
# 40: `export import type x = require()`; 39: a NUL byte in JS, a Python encoding declared;
# 38: `export { a, type, } from`; 37: `({ a }?: T) => R`; 36: Flow's `declare export … from`;
# 35: `export { type as t } from`; 34: `export { a, type } from`;
# 33: import types after `as`, in `<import("x").T>(`; 32: `using` as a name;
# 31: masks keep module strings and bound names; 30: f<T>?.(x); 29: `import` misread as a call;
# 28: export … with {}; 27: let as;
# 26-24: generic call signatures; 23: await (…).a; 21: JSX props; 22, 20, 19, 14-13: Python;
# 18, 16: accessor; 17: export import =; 15: Flow
EXTRACTOR_VERSION = 47

# `import("x").T`: an import type and the name it reads from the module.
_QUALIFIED_IMPORT = re.compile(rb"""import\s*\(\s*(['"])[^'"\n]*\1\s*\)\s*\.\s*([A-Za-z_$][\w$]*)""")
# The words of `js.CANDIDATES`, found by `occurrences.keywords` (the same spans, faster).
_JS_KEYWORDS = (b"import", b"export", b"require")


def _js_keywords(source: bytes) -> list[tuple[int, int]]:
    return keywords(source, _JS_KEYWORDS)


def _python_keywords(source: bytes) -> list[tuple[int, int]]:
    return [match.span() for match in python.CANDIDATES.finditer(source)]


_FINDERS = {
    "javascript": (_js_keywords, js.find_imports),
    "typescript": (_js_keywords, js.find_imports),
    "tsx": (_js_keywords, js.find_imports),
    "python": (_python_keywords, python.find_imports),
}


def extract_imports(source: bytes, language: str, uses: bool = True, *, whole: bool = False) -> Extraction:
    """Every import in `source`, parsed with the grammar of `language`, and (JS/TS/TSX, unless `uses`
    is False) every use of an imported binding beyond its import (see `jsx`).

    Files in which no import keyword occurs at all are not parsed. Valid code the grammar misreads
    (see `tolerant`) is no syntax error. A JS/TS file is parsed only up to the end of its imports
    when what follows can change neither its imports nor its uses (see `prefix`); `whole` parses
    every file whole (what the prefix must agree with).
    """
    return extract_with_cut(source, language, uses, whole=whole)[0]


def extract_with_cut(
    source: bytes, language: str, uses: bool = True, *, whole: bool = False
) -> tuple[Extraction, int]:
    """`extract_imports`, and how many bytes of `source` the tree kept covers (all of them when the
    whole file was parsed)."""
    if language != "python" and b"\0" in source:
        # JS allows a NUL in a string or a comment, which the grammar reads as an error: a space there
        # keeps every offset and every token (Python allows none: left as it is, a syntax error).
        source = source.replace(b"\0", b" ")
    candidates, find = _FINDERS[language]
    offsets = candidates(source)
    if not offsets:
        return Extraction(imports=(), syntax_error=False, unresolvable=0, parsed=False, size=len(source)), 0
    if whole or language == "python":
        parsed, cut = tolerant.parse(source, language), len(source)
    else:
        parsed, cut = prefix.parse_prefix(source, language, prefix.last_keyword_end(source, offsets))
    head = source if cut == len(source) else source[:cut]
    found = find(parsed.tree.root_node, head, [span for span in offsets if span[1] <= cut], language)
    starred = _starred(found)  # the prefix holds every `export * from`: it ends after the last keyword
    if cut < len(source) and starred:
        # a barrel's own exports may follow the cut (a prefix ends before local exports): parse it whole
        parsed, cut = tolerant.parse(source, language, parsed), len(source)
        found = find(parsed.tree.root_node, source, offsets, language)
    imports = _import_types(found.found, parsed, source)
    names = jsx.imported_locals(imports) if uses and language != "python" else frozenset()
    used: tuple[RawUse, ...] = ()
    if names:
        parsed, used = _uses(source, language, parsed, cut, names)
    extraction = Extraction(
        imports=tuple(imports),
        uses=used,
        syntax_error=parsed.syntax_error,
        unresolvable=found.unresolvable,
        parsed=True,
        size=len(source),
        own_exports=tuple(sorted(found.own_exports)) if starred else (),
    )
    return extraction, parsed.size


def _starred(found: Imports) -> bool:
    """Has the module an `export * from`, which the names it exports itself shadow? (Only then are they
    kept: nothing else reads them.)"""
    return any(r.kind == Kind.REEXPORT and r.export == ALL_EXPORTS and r.local is None for r in found.found)


def _uses(
    source: bytes, language: str, parsed: tolerant.Parsed, cut: int, names: frozenset[str]
) -> tuple[tolerant.Parsed, tuple[RawUse, ...]]:
    """The uses of `names`, from the tree of the first `cut` bytes when no use can follow them, else
    from the whole file's (parsed on from the prefix's tree); and the tree they came from."""
    after = jsx.names_after(source, names, cut) if cut < len(source) else frozenset()
    if after is not None:
        used = jsx.find_uses(parsed.tree.root_node, source[:cut] if after else source, names)
        if not after & jsx.rendered_names(used):
            return parsed, used
    whole = tolerant.parse(source, language, parsed)
    return whole, jsx.find_uses(whole.tree.root_node, source, names)


def _import_types(imports: list[RawImport], parsed: tolerant.Parsed, source: bytes) -> list[RawImport]:
    """`f<typeof import("x")>()`, `f<import("x").T>()`, read as a call: a type, not a value import; the
    name after it (`T`) is the export, as in any other type."""
    if not parsed.import_types:
        return imports
    lines = Lines(source)
    at = {_line_and_column(lines, offset): _qualifier(source, offset) for offset in parsed.import_types}
    return [
        r._replace(type_only=True, export=at[r.line, r.column] or r.export) if (r.line, r.column) in at else r
        for r in imports
    ]


def _qualifier(source: bytes, offset: int) -> str | None:
    """The name after the import type at `offset` (`T` of `import("x").T`), None when none follows."""
    match = _QUALIFIED_IMPORT.match(source, offset)
    return match.group(2).decode("utf-8", "replace") if match else None


def _line_and_column(lines: Lines, offset: int) -> tuple[int, int]:
    row, column = lines.point(offset)
    return row + 1, column
