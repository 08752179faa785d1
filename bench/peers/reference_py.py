"""Reference import extractor for Python files: the standard library's `ast`, in depreport's record
vocabulary, so that bench/compare.py compares depreport's Python records as reference.js does the JS/TS ones.

    python bench/peers/reference_py.py ROOT FILE_LIST OUT.jsonl

`import a.b as c` is (import, "a.b", "*", local c), `from .m import n` is (import, ".m", "n") unless
`m/n.py` (or `m/n/__init__.py`) is a listed file: then Python loads that module, and it is (import,
".m", "*") as an `import` of it would be; an absolute `from a.b import n` likewise when a listed file
ends with `a/b/n.py`; `from m import *` has no local, `importlib.import_module("x")` /
`__import__("x")` are (dynamic, "x", "*"), and imports in the body of `if TYPE_CHECKING:` (or `elif`)
are type-only. The line is the statement's (or the call's). Files this Python cannot parse (newer
syntax, real errors) get a line {"file", "parse_error"}.
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


def _module_of_the_repo(spec: str, level: int, file: str, name: str, modules: frozenset[str]) -> bool:
    """Is `name` in `from spec import name` a module among the listed files (it is then loaded whole)?"""
    parts = [*spec.lstrip(".").split("."), name] if spec.lstrip(".") else [name]
    if level:
        base = Path(file).parent
        for _ in range(level - 1):
            base = base.parent
        path = "/".join(p for p in [base.as_posix(), *parts] if p and p != ".")
        return path in modules
    tail = "/".join(parts)
    return any(module == tail or module.endswith("/" + tail) for module in modules)


def module_paths(files: list[str]) -> frozenset[str]:
    """Each listed Python file (or stub) as a module path: `a/b.py` -> `a/b`, `a/b/__init__.pyi` -> `a/b`."""
    modules = (f.removesuffix(".pyi").removesuffix(".py") for f in files if f.endswith((".py", ".pyi")))
    return frozenset(m.removesuffix("/__init__") for m in modules)


def records(
    tree: ast.AST, file: str, type_only: bool = False, modules: frozenset[str] = frozenset()
) -> list[Record]:
    """The import records under one node."""
    found: list[Record] = []
    if isinstance(tree, ast.If):
        guarded = _dotted(tree.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")
        for child in tree.body:
            found.extend(records(child, file, type_only or guarded, modules))
        for child in [tree.test, *tree.orelse]:
            found.extend(records(child, file, type_only, modules))
        return found
    if isinstance(tree, ast.Import):
        for alias in tree.names:
            local = alias.asname or alias.name.split(".")[0]
            found.append(_record(file, tree, "import", alias.name, "*", local, type_only))
    elif isinstance(tree, ast.ImportFrom):
        spec = "." * tree.level + (tree.module or "")
        for alias in tree.names:
            local = None if alias.name == "*" else alias.asname or alias.name
            whole = alias.name != "*" and _module_of_the_repo(spec, tree.level, file, alias.name, modules)
            found.append(_record(file, tree, "import", spec, "*" if whole else alias.name, local, type_only))
    elif isinstance(tree, ast.Call) and _dotted(tree.func) in DYNAMIC and tree.args:
        first = tree.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            found.append(_record(file, tree, "dynamic", first.value, "*", None, False))
    for child in ast.iter_child_nodes(tree):
        found.extend(records(child, file, type_only, modules))
    return found


def main() -> int:
    """Write the records of every listed file."""
    root, listing, out = sys.argv[1:4]
    warnings.simplefilter("ignore")  # invalid escape sequences in old code
    files = list(filter(None, Path(listing).read_text(encoding="utf-8").splitlines()))
    modules = module_paths(files)
    with open(out, "w", encoding="utf-8") as sink:
        for file in files:
            try:
                tree = ast.parse((Path(root) / file).read_bytes(), file)
            except (SyntaxError, ValueError) as error:
                sink.write(json.dumps({"file": file, "parse_error": str(error)}) + "\n")
                continue
            found = records(tree, file, modules=modules)
            sink.writelines(json.dumps(record, ensure_ascii=False) + "\n" for record in found)
    return 0


if __name__ == "__main__":
    sys.exit(main())
