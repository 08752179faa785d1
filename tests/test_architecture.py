"""The layer rules of docs/ARCHITECTURE.md, checked on the source, and each check checked on an offender.

Every rule is a function from the parsed modules of a source tree to the places that break it; the
tests run each rule on this repository (no place may break it) and on a small tree in tmp_path holding
one offending module (the rule must name it), so a rule that stops seeing anything fails too.
Imports are read from the syntax tree, wherever they are (inside functions too), relative ones resolved.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGES = ("depreport", "codemods", "dashboard")
# Presentation that lives under depreport: the static HTML report draws the dashboard's charts from the
# dashboard's data layer, so it sits beside the dashboard, outside the core (which never imports it).
VIEWS = ("depreport.report.htmlreport",)
# The core's modules that codemods and dashboard may import: its public interface. Everything else in
# depreport (the cache, the index, the pack, a store's backends, an extractor's parts, the CLI) is inside.
PUBLIC = frozenset(
    {
        "depreport",  # the package itself: __version__
        "depreport.history.adoption",
        "depreport.report.changes",
        "depreport.tally.components",
        "depreport.scan.discover",
        "depreport.scan.gitfifos",  # git's untracked listing past a .gitignore FIFO: migrate's `git status` too
        "depreport.errors",
        "depreport.extract",
        "depreport.extract.sites",  # the JS/TS import-site classifier the codemods share
        "depreport.extract.exportclause",  # what an export clause names (a name `type`), read alike by both
        "depreport.history.frames",
        "depreport.scan.languages",
        "depreport.model",
        "depreport.report.query",
        "depreport.report.render",
        "depreport.report.render.safe",
        "depreport.report.shape",  # the report's types
        "depreport.report.walk",
        "depreport.runinfo",
        "depreport.report.schema",
        "depreport.store",
        "depreport.tally.usage",
        "depreport.scan.walk",
        "depreport.scan.globs",  # shown_path: a name that is not UTF-8 as shown, stored and matched
        "depreport.history.weeks",
        "depreport.scan.workers",
        "depreport.startindex",  # things found by the literal text they start with: migrate's patterns too
    }
)
STORE_BACKENDS = frozenset(
    {"LocalStore", "MemoryStore", "S3Store", "KeyedStore", "LocalBackend", "MemoryBackend", "S3Backend"}
)
JSON_BY_HAND = frozenset({"JSONDecoder", "raw_decode", "scanstring"})


@dataclass(frozen=True)
class Module:
    """One source file: where it is, its dotted name, and its syntax tree."""

    path: str  # relative to the tree's root, POSIX
    name: str
    tree: ast.Module

    @property
    def is_cli(self) -> bool:
        """The command line: the only layer that prints, exits and may import every other."""
        return self.name == "depreport.__main__" or _under(self.name, ("depreport.cli",))

    @property
    def is_core(self) -> bool:
        """depreport without its command line and its views (`VIEWS`)."""
        return _under(self.name, ("depreport",)) and not self.is_cli and not _under(self.name, VIEWS)

    def imports(self) -> Iterator[tuple[str, str | None]]:
        """(module, name) for each import: `import a.b` gives (a.b, None), `from a import b` (a, b)."""
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Import):
                yield from ((alias.name, None) for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = self._absolute(node.module, node.level)
                yield from ((base, alias.name) for alias in node.names)

    def imported(self, known: set[str]) -> list[str]:
        """The modules this one loads: `from a import b` is a, and a.b too when that is a module."""
        found = set()
        for module, name in self.imports():
            found.add(module)
            if f"{module}.{name}" in known:
                found.add(f"{module}.{name}")
        return sorted(found)

    def _absolute(self, module: str | None, level: int) -> str:
        if not level:
            return module or ""
        package = self.name.split(".")
        package = package[: len(package) - level + (1 if self.path.endswith("__init__.py") else 0)]
        return ".".join([*package, *([module] if module else [])])


def modules(root: Path) -> list[Module]:
    """The parsed modules of the three packages under ``root``."""
    found = []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            relative = path.relative_to(root)
            parts = list(relative.with_suffix("").parts)
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            tree = ast.parse(path.read_text(encoding="utf-8"), str(relative))
            found.append(Module(relative.as_posix(), name, tree))
    return found


def _under(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def _importing(mods: list[Module], who: Callable[[Module], bool], what: tuple[str, ...]) -> list[str]:
    """`path: module` for each module picked by ``who`` that imports something under ``what``."""
    known = {m.name for m in mods}
    return [f"{m.path}: {name}" for m in mods if who(m) for name in m.imported(known) if _under(name, what)]


def core_imports_an_outer_layer(mods: list[Module]) -> list[str]:
    """The core never imports the CLI, codemods, the dashboard or a view."""
    return _importing(mods, lambda m: m.is_core, ("depreport.cli", "codemods", "dashboard", *VIEWS))


def inner_core_imports_the_edges(mods: list[Module]) -> list[str]:
    """Extraction, the model and resolution know nothing of stores, renderers or the command line."""
    inner = (
        "depreport.extract",
        "depreport.model",
        "depreport.resolve.specifiers",
        "depreport.resolve.packages",
    )
    edges = ("depreport.cli", "depreport.store", "depreport.report.render", "dashboard", "codemods")
    return _importing(mods, lambda m: _under(m.name, inner), edges)


def boto3_outside_the_s3_store(mods: list[Module]) -> list[str]:
    """Only depreport/store/s3.py talks to boto3 (and botocore)."""
    return _importing(mods, lambda m: m.path != "depreport/store/s3.py", ("boto3", "botocore"))


def prints_outside_the_cli(mods: list[Module]) -> list[str]:
    """Only the command line prints: no `print(`, no `sys.stdout` or `sys.stderr` elsewhere."""
    return [
        f"{m.path}:{node.lineno}" for m in mods if not m.is_cli for node in ast.walk(m.tree) if _prints(node)
    ]


def _prints(node: ast.AST) -> bool:
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return node.func.id == "print"
    return isinstance(node, ast.Attribute) and ast.unparse(node) in ("sys.stdout", "sys.stderr")


def outer_reaches_past_the_interface(mods: list[Module]) -> list[str]:
    """codemods, the dashboard and the views import the core only through its public modules, and
    no private name."""
    known = {m.name for m in mods}
    found = []
    for m in (m for m in mods if not m.is_core and not m.is_cli):
        for module, name in m.imports():
            target = f"{module}.{name}" if f"{module}.{name}" in known else module
            if not _under(target, ("depreport",)) or _under(target, VIEWS):
                continue
            if target not in PUBLIC:
                found.append(f"{m.path}: {target} is not a public module of the core")
            elif name is not None and name.startswith("_") and not name.endswith("__"):
                found.append(f"{m.path}: {module}.{name} is private")
    return found


def dashboard_around_the_store(mods: list[Module]) -> list[str]:
    """The dashboard reads stored data through the store interface only: no store backend by name
    (isinstance checks), no store submodule, no decoding of stored bytes or JSON by hand."""
    dashboard = [m for m in mods if _under(m.name, ("dashboard",))]
    found = _importing(dashboard, lambda m: True, ("gzip", "zstandard"))
    found += [
        f"{m.path}: {module}"
        for m in dashboard
        for module, _ in m.imports()
        if module.startswith("depreport.store.")
    ]
    for m in dashboard:
        for node in ast.walk(m.tree):
            word = (
                node.id
                if isinstance(node, ast.Name)
                else node.attr
                if isinstance(node, ast.Attribute)
                else ""
            )
            if word in STORE_BACKENDS or word in JSON_BY_HAND or word == "decompress":
                found.append(f"{m.path}:{node.lineno}: {word}")  # type: ignore[attr-defined]
    return found


def exit_codes_by_number(mods: list[Module]) -> list[str]:
    """Exit codes are the named constants of depreport.errors: no `exit_code = 2`, no `return 1` in the
    command line, no `sys.exit(3)`."""
    return [
        f"{m.path}:{node.lineno}: {ast.unparse(node)}"
        for m in mods
        for node in ast.walk(m.tree)
        if _numbered_exit(m, node)
    ]


def _numbered_exit(m: Module, node: ast.AST) -> bool:
    if isinstance(node, ast.Assign):
        return _is_int(node.value) and any(
            isinstance(t, ast.Name) and t.id == "exit_code" for t in node.targets
        )
    if isinstance(node, ast.Return):
        return m.is_cli and node.value is not None and _is_int(node.value)
    if isinstance(node, ast.Call):
        exits = ast.unparse(node.func) in ("sys.exit", "exit", "SystemExit")
        return exits and bool(node.args) and _is_int(node.args[0])
    return False


def _is_int(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) is int


def argparse_outside_the_cli(mods: list[Module]) -> list[str]:
    """Only the command line parses arguments: the core, codemods and the dashboard take typed options
    (ScanOptions, Config, Span ...), never an argparse Namespace."""
    return _importing(mods, lambda m: not m.is_cli, ("argparse",))


MODULE_LINES, FUNCTION_LINES, SLACK = 300, 50, 10  # the sizes a reader holds at once ("about": SLACK more)


def long_module_without_a_reason(mods: list[Module]) -> list[str]:
    """A module over ~300 lines says why in its docstring ("Over 300 lines on purpose: ...")."""
    return [
        f"{m.path}: {lines} lines"
        for m in mods
        if (lines := _last_line(m.tree)) > MODULE_LINES + SLACK
        and "Over 300 lines" not in (ast.get_docstring(m.tree) or "")
    ]


def long_function(mods: list[Module]) -> list[str]:
    """No function over ~50 lines."""
    return [
        f"{m.path}:{node.lineno}: {node.name} ({lines} lines)"
        for m in mods
        for node in ast.walk(m.tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and (lines := _last_line(node) - node.lineno + 1) > FUNCTION_LINES + SLACK
    ]


def _last_line(tree: ast.AST) -> int:
    return max((getattr(node, "end_lineno", 0) or 0 for node in ast.walk(tree)), default=0)


RULES: dict[str, Callable[[list[Module]], list[str]]] = {
    "long-module-without-a-reason": long_module_without_a_reason,
    "long-function": long_function,
    "core-imports-an-outer-layer": core_imports_an_outer_layer,
    "inner-core-imports-the-edges": inner_core_imports_the_edges,
    "boto3-outside-the-s3-store": boto3_outside_the_s3_store,
    "prints-outside-the-cli": prints_outside_the_cli,
    "outer-reaches-past-the-interface": outer_reaches_past_the_interface,
    "dashboard-around-the-store": dashboard_around_the_store,
    "exit-codes-by-number": exit_codes_by_number,
    "argparse-outside-the-cli": argparse_outside_the_cli,
}

# For each rule, a module that breaks it (path -> source) and the place the rule must name.
OFFENDERS: dict[str, tuple[dict[str, str], str]] = {
    "long-module-without-a-reason": (
        {"depreport/big.py": '"""Big."""\n' + "x = 1\n" * 320},
        "depreport/big.py: 321 lines",
    ),
    "long-function": (
        {"codemods/long.py": "def f():\n" + "    x = 1\n" * 70},
        "codemods/long.py:1: f (71 lines)",
    ),
    "argparse-outside-the-cli": (
        {"codemods/flags.py": "from argparse import Namespace\n"},
        "codemods/flags.py: argparse",
    ),
    "core-imports-an-outer-layer": (
        {"depreport/sneak.py": "def f():\n    from .cli import main\n"},
        "depreport/sneak.py: depreport.cli",
    ),
    "inner-core-imports-the-edges": (
        {"depreport/extract/sneak.py": "from depreport.store import open_store\n"},
        "depreport/extract/sneak.py: depreport.store",
    ),
    "boto3-outside-the-s3-store": (
        {"depreport/store/local.py": "import boto3.session\n"},
        "depreport/store/local.py: boto3.session",
    ),
    "prints-outside-the-cli": ({"codemods/loud.py": "def f():\n    print('hi')\n"}, "codemods/loud.py:2"),
    "outer-reaches-past-the-interface": (
        {"dashboard/sneak.py": "from depreport.tally.index import LiveIndex\n"},
        "dashboard/sneak.py: depreport.tally.index is not a public module of the core",
    ),
    "dashboard-around-the-store": (
        {
            "dashboard/sneak.py": "from depreport import store\n\ndef f(s):\n    return isinstance(s, store.LocalStore)\n"
        },
        "dashboard/sneak.py:4: LocalStore",
    ),
    "exit-codes-by-number": (
        {"depreport/cli/sneak.py": "def run(args):\n    return 2\n"},
        "depreport/cli/sneak.py:2: return 2",
    ),
}
MORE_OFFENDERS = [
    pytest.param("outer-reaches-past-the-interface", {"codemods/x.py": "from depreport.scan.walk import _private\n"},
                 "codemods/x.py: depreport.scan.walk._private is private", id="private-name"),
    pytest.param("outer-reaches-past-the-interface", {"codemods/x.py": "import depreport.store.local\n"},
                 "codemods/x.py: depreport.store.local is not a public module of the core", id="store-backend"),
    pytest.param("outer-reaches-past-the-interface", {"depreport/tally/index.py": "", "dashboard/x.py": "from depreport.tally import index\n"},
                 "dashboard/x.py: depreport.tally.index is not a public module of the core", id="module-from-package"),
    pytest.param("prints-outside-the-cli", {"depreport/x.py": "import sys\n\ndef f():\n    sys.stderr.write('x')\n"},
                 "depreport/x.py:4", id="stderr"),
    pytest.param("dashboard-around-the-store", {"dashboard/x.py": "import json\nd = json.JSONDecoder()\n"},
                 "dashboard/x.py:2: JSONDecoder", id="json-by-hand"),
    pytest.param("dashboard-around-the-store", {"dashboard/x.py": "from depreport.store.layout import decode_json\n"},
                 "dashboard/x.py: depreport.store.layout", id="store-submodule"),
    pytest.param("dashboard-around-the-store", {"dashboard/x.py": "import gzip\n"},
                 "dashboard/x.py: gzip", id="decompress"),
    pytest.param("exit-codes-by-number", {"depreport/x.py": "class E(Exception):\n    exit_code = 3\n"},
                 "depreport/x.py:2: exit_code = 3", id="error-class"),
    pytest.param("exit-codes-by-number", {"codemods/x.py": "import sys\nsys.exit(1)\n"},
                 "codemods/x.py:2: sys.exit(1)", id="sys-exit"),
    pytest.param("long-module-without-a-reason",
                 {"depreport/big.py": '"""Big.\n\nOver 300 lines on purpose: one table."""\n' + "x = 1\n" * 320,
                  "codemods/big.py": "x = 1\n" * 400},
                 "codemods/big.py: 400 lines", id="reason-given-elsewhere"),
    pytest.param("core-imports-an-outer-layer", {"depreport/x/y.py": "from ...dashboard import app\n"},
                 "depreport/x/y.py: dashboard", id="relative-two-up"),
]  # fmt: skip


@pytest.mark.parametrize("rule", RULES)
def test_the_repository_keeps_the_rule(rule: str) -> None:
    assert RULES[rule](modules(ROOT)) == []


@pytest.mark.parametrize(
    ("rule", "files", "expected"),
    [*(pytest.param(rule, *OFFENDERS[rule], id=rule) for rule in RULES), *MORE_OFFENDERS],
)
def test_the_rule_names_an_offender(rule: str, files: dict[str, str], expected: str, tmp_path: Path) -> None:
    for package in PACKAGES:
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    for path, source in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(source)
    assert expected in RULES[rule](modules(tmp_path))


def test_no_module_is_named_like_a_dependency() -> None:
    shadowing = {"click.py", "streamlit.py", "plotly.py", "pandas.py", "yaml.py"}
    folders = [ROOT / name for name in (*PACKAGES, "tests", "fixtures", "scripts")]
    found = [p for folder in folders for p in folder.rglob("*.py") if p.name in shadowing]
    assert found == []


def test_a_long_module_that_says_why_is_not_named(tmp_path: Path) -> None:
    (tmp_path / "depreport").mkdir()
    reason = '"""Big.\n\nOver 300 lines on purpose: one table of checks."""\n'
    (tmp_path / "depreport" / "big.py").write_text(reason + "x = 1\n" * 400)
    (tmp_path / "depreport" / "small.py").write_text("x = 1\n" * (MODULE_LINES + SLACK))
    assert long_module_without_a_reason(modules(tmp_path)) == []
