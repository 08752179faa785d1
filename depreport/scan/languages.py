"""Which grammar reads which file, and one cached parser per grammar and process."""

from __future__ import annotations

from functools import cache

from tree_sitter import Language, Parser, Point, Tree

# language name -> file extensions. `.js` files may hold JSX: the JavaScript grammar includes it.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "javascript": (".js", ".jsx", ".mjs", ".cjs"),
    "typescript": (".ts", ".mts", ".cts"),
    "tsx": (".tsx",),
    "python": (".py", ".pyi"),
}
# Declarations (types only, no code that runs), read only when asked: TypeScript's and Python's stubs.
DECLARATION_SUFFIXES = (".d.ts", ".d.mts", ".d.cts", ".pyi")
TS_DECLARATION_SUFFIXES = DECLARATION_SUFFIXES[:3]

LANGUAGE_BY_EXTENSION = {ext: lang for lang, exts in EXTENSIONS.items() for ext in exts}


def language_for(path: str, include_declarations: bool = False) -> str | None:
    """The language of a path by its extension, or None when depreport does not read it."""
    dot = path.rfind(".")
    if dot < 0:
        return None
    language = LANGUAGE_BY_EXTENSION.get(path[dot:].lower())
    if not include_declarations and path.endswith(DECLARATION_SUFFIXES):
        return None
    return language


@cache
def grammar(language: str) -> Language:
    """The tree-sitter Language for a language name."""
    if language == "javascript":
        import tree_sitter_javascript

        return Language(tree_sitter_javascript.language())
    if language in ("typescript", "tsx"):
        import tree_sitter_typescript

        if language == "tsx":
            return Language(tree_sitter_typescript.language_tsx())
        return Language(tree_sitter_typescript.language_typescript())
    if language == "python":
        import tree_sitter_python

        return Language(tree_sitter_python.language())
    raise ValueError(f"no grammar for language {language!r}")


@cache
def parser(language: str) -> Parser:
    """A parser for a language, made once per process."""
    return Parser(grammar(language))


_READ_BYTES = 512  # what tree-sitter is given at a time (and `Node.text` reads: keep it small)


def tree_of(language: str, source: bytes, old: Tree | None = None) -> Tree:
    """`source` parsed with the language's parser (`old`: a tree of an earlier text, edited to it).

    Read through callbacks, so that a signal handler can interrupt a long parse: some texts take
    tree-sitter time quadratic in their size (8,000 lines of an unclosed `/*` take 10 s, 2 MB hours),
    and a parse of bytes holds every Python handler until it is done. The per-file deadline of a scan
    or a migrate (`scan.workers.deadline`) raises from such a handler. The parser is reset when
    interrupted, or its next parse would go on with the halted text. The callback returns bytes: a
    memoryview slice crashes the binding.
    """
    chosen = parser(language)

    def read(offset: int, _: Point) -> bytes:
        return source[offset : offset + _READ_BYTES]

    try:
        if old is None:
            return chosen.parse(read, progress_callback=_go_on)
        return chosen.parse(read, old, progress_callback=_go_on)
    except BaseException as error:
        chosen.reset()
        # A handler that raised as a callback returned: Python wraps its exception in a SystemError.
        if isinstance(error, SystemError) and error.__cause__ is not None:
            raise error.__cause__ from None
        raise


def _go_on(*_: object) -> bool:
    """Tree-sitter's progress callback: never cancel (a pending signal's handler runs here)."""
    return False
