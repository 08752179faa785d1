"""Which grammar reads which file, and one cached parser per grammar and process."""

from __future__ import annotations

from functools import cache

from tree_sitter import Language, Parser

# language name -> file extensions. `.js` files may hold JSX: the JavaScript grammar includes it.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "javascript": (".js", ".jsx", ".mjs", ".cjs"),
    "typescript": (".ts", ".mts", ".cts"),
    "tsx": (".tsx",),
    "python": (".py", ".pyi"),
}
# Declarations (types only, no code that runs), read only when asked: TypeScript's and Python's stubs.
DECLARATION_SUFFIXES = (".d.ts", ".d.mts", ".d.cts", ".pyi")

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
