"""Reference import extractor for Python files: the standard library's `ast`, in depreport's record
vocabulary, so that bench/compare.py compares depreport's Python records as reference.js does the JS/TS ones.

    python bench/peers/reference_py.py ROOT FILE_LIST OUT.jsonl

`import a.b as c` is (import, "a.b", "*", local c), `from .m import n` is (import, ".m", "n"), `from m
import *` has no local, `importlib.import_module("x")` / `__import__("x")` are (dynamic, "x", "*"), and
imports in the body of `if TYPE_CHECKING:` (or `elif`) are type-only. The line is the statement's (or the
call's). Files this Python cannot parse (newer syntax, real errors) get a line {"file", "parse_error"}.
"""

from __future__ import annotations

import ast
import json
import sys
import warnings
from pathlib import Path

DYNAMIC = {"__import__", "import_module", "importlib.import_module"}
Record = dict[str, object]


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


def _record(file: str, node: ast.stmt | ast.expr, kind: str, spec: str, export: str, local: str | None,
            type_only: bool) -> Record:  # fmt: skip
    return {"file": file, "line": node.lineno, "column": node.col_offset, "kind": kind, "specifier": spec,
            "export": export, "local": local, "type_only": type_only}  # fmt: skip


def records(tree: ast.AST, file: str, type_only: bool = False) -> list[Record]:
    """The import records under one node."""
    found: list[Record] = []
    if isinstance(tree, ast.If):
        guarded = _dotted(tree.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")
        for child in tree.body:
            found.extend(records(child, file, type_only or guarded))
        for child in [tree.test, *tree.orelse]:
            found.extend(records(child, file, type_only))
        return found
    if isinstance(tree, ast.Import):
        for alias in tree.names:
            local = alias.asname or alias.name.split(".")[0]
            found.append(_record(file, tree, "import", alias.name, "*", local, type_only))
    elif isinstance(tree, ast.ImportFrom):
        spec = "." * tree.level + (tree.module or "")
        for alias in tree.names:
            local = None if alias.name == "*" else alias.asname or alias.name
            found.append(_record(file, tree, "import", spec, alias.name, local, type_only))
    elif isinstance(tree, ast.Call) and _dotted(tree.func) in DYNAMIC and tree.args:
        first = tree.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            found.append(_record(file, tree, "dynamic", first.value, "*", None, False))
    for child in ast.iter_child_nodes(tree):
        found.extend(records(child, file, type_only))
    return found


def main() -> int:
    """Write the records of every listed file."""
    root, listing, out = sys.argv[1:4]
    warnings.simplefilter("ignore")  # invalid escape sequences in old code
    with open(out, "w", encoding="utf-8") as sink:
        for file in filter(None, Path(listing).read_text(encoding="utf-8").splitlines()):
            try:
                tree = ast.parse((Path(root) / file).read_bytes(), file)
            except (SyntaxError, ValueError) as error:
                sink.write(json.dumps({"file": file, "parse_error": str(error)}) + "\n")
                continue
            sink.writelines(json.dumps(record, ensure_ascii=False) + "\n" for record in records(tree, file))
    return 0


if __name__ == "__main__":
    sys.exit(main())
