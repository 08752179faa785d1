"""Python specifiers -> package ids: the standard library, modules of the repo, or third-party packages.

A module of the repo is found where Python would find it when the repo's code runs: under the root, under
`src/`, or under the folder holding one of the repo's top-level packages (`lib/sqlalchemy/__init__.py`
puts `lib/` on the path for `import sqlalchemy`, as its packaging does; `hypothesis/src/hypothesis`, a
monorepo's), or, for a namespace package, under the `src/` folders of the repo's distributions that hold
a portion of it (opentelemetry-python's `opentelemetry-api/src/opentelemetry` and
`opentelemetry-sdk/src/opentelemetry`: `opentelemetry.sdk.trace` is the module in whichever portion has
it). Folders of test data, examples, docs and vendored code name no such folder, and a package name found
under two folders is left to the root and `src/`. A module is a `.py`/`.pyi` file (`__init__`
folded into its folder; `index.py` is a module like any other) or a folder holding Python files (a
namespace package). As in Python, a regular module or package found in any of those folders wins over a
namespace package of the same name in an earlier one: certbot's distribution folder `certbot/` (its
`setup.py` beside the package) is not the package `certbot/certbot`. A namespace package of the repo is only
one portion of that namespace: a module below it the repo does not have is another distribution's
(`poetry.core` beside poetry's own `src/poetry`). A script or test in a folder of examples, tests, scripts …
that is no package imports the modules beside it first, as Python puts its folder first on the path
(werkzeug's `examples/manage-plnt.py` imports `examples/plnt`), and a module of a package there imports
that package by name where it lies (`examples/coolmagic/utils.py`: `from coolmagic import helpers`).
JavaScript and TypeScript files are no Python modules.

The standard library is the same whichever Python runs the scan: the names of Python 3.9 to 3.14, those
removed since (`distutils`, `imp`, `asyncore`, PEP 594's) and those added (`annotationlib`,
`compression`), so a report does not change with the interpreter.
"""

from __future__ import annotations

import posixpath
import sys
from collections.abc import Callable, Iterable
from functools import cached_property

from depreport.model import Resolution

_REMOVED = frozenset({  # removed from the standard library in 3.12 and 3.13, still imported by old code
    "distutils", "imp", "asynchat", "asyncore", "smtpd", "aifc", "audioop", "cgi", "cgitb", "chunk", "crypt",
    "imghdr", "mailcap", "msilib", "nis", "nntplib", "ossaudiodev", "pipes", "sndhdr", "spwd", "sunau",
    "telnetlib", "uu", "xdrlib", "lib2to3", "tkinter", "turtle",
})  # fmt: skip
_ADDED = frozenset({"annotationlib", "compression", "_interpreters", "_pyrepl", "__future__"})  # 3.13, 3.14
PYTHON_STDLIB = frozenset(sys.stdlib_module_names) | _REMOVED | _ADDED
PYTHON_SUFFIXES = (".py", ".pyi")
_NOT_ROOTS = frozenset({
    "test", "tests", "testing", "fixtures", "examples", "example", "docs", "doc", "vendor", "vendored",
    "third_party", "site-packages", "node_modules", "build", "dist", ".venv", "venv",
})  # fmt: skip
# Folders whose files are run as scripts (with their folder first on the path) when it is no package: the
# folders above, and a repo's `scripts/` (hatch's scripts/bump.py imports the scripts/utils.py beside it).
_SCRIPT_FOLDERS = _NOT_ROOTS | {"scripts"}


def python_module_id(path: str) -> str:
    """A Python file as a module: extension dropped, `__init__` folded into its folder."""
    for suffix in PYTHON_SUFFIXES:
        if path.endswith(suffix):
            path = path[: -len(suffix)]
            break
    head, _, tail = path.rpartition("/")
    return head if head and tail == "__init__" else path


class PythonModules:
    """The repo's Python modules and the folders its top-level packages live in."""

    def __init__(self, files: Iterable[str]) -> None:
        self._files = [f for f in files if f.endswith(PYTHON_SUFFIXES)]

    @cached_property
    def modules(self) -> frozenset[str]:
        """Every module: each file's, and each folder holding Python files (namespace packages)."""
        found = {python_module_id(f) for f in self._files}
        climbed: set[str] = set()
        for path in self._files:
            folder = path.rpartition("/")[0]
            while folder and folder not in climbed:
                climbed.add(folder)
                folder = folder.rpartition("/")[0]
        return frozenset(found | climbed)

    @cached_property
    def regular(self) -> frozenset[str]:
        """The modules that are files or packages with an `__init__` (no namespace packages)."""
        return frozenset(python_module_id(f) for f in self._files)

    def runs_as_script(self, directory: str) -> bool:
        """Is the folder one of scripts or tests (examples, tests … no package): Python runs its files with
        the folder first on the path (`python examples/manage.py`, pytest's rootdir insertion)?"""
        parts = directory.split("/")
        return bool(directory) and not _SCRIPT_FOLDERS.isdisjoint(parts) and directory not in self.regular

    def top_package(self, directory: str) -> str | None:
        """The outermost regular package holding a file of `directory` (the folder itself when its parent
        is no package), None when the folder is no regular package."""
        top = None
        while directory and directory in self.regular:
            top, directory = directory, directory.rpartition("/")[0]
        return top

    @cached_property
    def portions(self) -> dict[str, tuple[str, ...]]:
        """Namespace package name -> the `src/` folders of the repo's distributions below the root that
        hold a portion of it (opentelemetry-python's `opentelemetry-api/src/opentelemetry` and
        `opentelemetry-sdk/src/opentelemetry`, each without `__init__.py`), as their editable installs
        put those folders on the path; not in folders of test data, examples, docs or vendored code."""
        found: dict[str, set[str]] = {}
        for module in self.modules - self.regular:
            parent, _, name = module.rpartition("/")
            folders = parent.split("/")
            if len(folders) > 1 and folders[-1] == "src" and _NOT_ROOTS.isdisjoint(folders):
                found.setdefault(name, set()).add(parent + "/")
        return {name: tuple(sorted(where)) for name, where in sorted(found.items())}

    def other_portions(self, module: str) -> list[str]:
        """The same module in the other portions of its namespace package (`portions`): for
        `a/src/ns/sub`, `b/src/ns/sub` when `b/src/` holds a portion of `ns`."""
        for name, folders in self.portions.items():
            for folder in folders:
                if module == folder + name or module.startswith(f"{folder}{name}/"):
                    rest = module[len(folder) :]
                    return [other + rest for other in folders if other != folder]
        return []

    @cached_property
    def roots(self) -> dict[str, str]:
        """Top-level package name -> the folder holding it, beyond the root and `src/`."""
        packages = {f.rpartition("/")[0] for f in self._files if f.rpartition("/")[2] == "__init__.py"}
        found: dict[str, set[str]] = {}
        for package in packages:
            parent, _, name = package.rpartition("/")
            folders = parent.split("/")
            if parent in packages or parent in ("", "src") or _NOT_ROOTS.intersection(folders):
                continue
            if "src" in folders[:-1]:  # in a namespace package below a `src/` folder: see `portions`
                continue
            found.setdefault(name, set()).add(parent + "/")
        return {name: next(iter(where)) for name, where in sorted(found.items()) if len(where) == 1}


def resolve_python(
    specifier: str, directory: str, modules: PythonModules, has: Callable[[str], bool]
) -> tuple[str, str, str]:
    """The package id, subpath and how (a Resolution value) of a Python specifier imported from a file
    in `directory`; `has(module)` says whether a module id is one of the repo's (noting the look)."""
    dots = len(specifier) - len(specifier.lstrip("."))
    if dots:
        base = directory
        for _ in range(dots - 1):
            base = posixpath.dirname(base)
        rest = specifier[dots:].strip().replace(".", "/")
        local = posixpath.normpath(posixpath.join(base, rest)) if rest else base or "."
        return (local, "", Resolution.RELATIVE.value)
    top, _, rest = specifier.partition(".")
    if top in PYTHON_STDLIB:
        return (top, rest, Resolution.BUILTIN.value)
    nearby = _beside_script(directory, specifier, modules, has) or _own_package(
        directory, specifier, modules, has
    )
    if nearby is not None:
        return (nearby, "", Resolution.LOCAL.value)
    extra = modules.roots.get(top)
    roots = ("", "src/", *([extra] if extra else []), *modules.portions.get(top, ()))
    regular = [root for root in roots if has(root + top) and root + top in modules.regular]
    for root in regular[:1] or roots:
        found = _longest_module(root, specifier, has, modules.regular)
        if found is not None:
            return (found, "", Resolution.LOCAL.value)
    return (top, rest, Resolution.PYTHON.value)


def _beside_script(
    directory: str, specifier: str, modules: PythonModules, has: Callable[[str], bool]
) -> str | None:
    """The module beside a script or test that the specifier names (see `PythonModules.runs_as_script`);
    None when the folder is no such folder or holds no regular module of that name."""
    if not modules.runs_as_script(directory):
        return None
    has(directory)  # noted: an `__init__.py` added there makes the folder a package
    top = f"{directory}/{specifier.partition('.')[0]}"
    if not has(top) or top not in modules.regular:
        return None
    return _longest_module(f"{directory}/", specifier, has, modules.regular)


def _own_package(
    directory: str, specifier: str, modules: PythonModules, has: Callable[[str], bool]
) -> str | None:
    """The module of the package a file belongs to when it imports that package by name (sphinx's test
    root `tests/roots/test-ext-viewcode-find-package/main_package/__init__.py` imports `from main_package
    import subpackage`): the folder above that package is on the path, or the file could not be imported
    as part of it. Only in the folders of tests, examples, docs … that the roots of `resolve_python` pass
    over: elsewhere the outermost regular package may lie in a namespace package (`opentelemetry/exporter/
    opencensus` imports the library `opencensus`). None when the specifier names another package, or the
    file is in no such package."""
    top = modules.top_package(directory)
    if top is None:
        return None
    folder = directory
    while folder:  # noted: an `__init__.py` added or removed up to the folder above changes the package
        has(folder)
        folder = "" if folder == top else posixpath.dirname(folder)
    parent, _, name = top.rpartition("/")
    if parent:
        has(parent)
    if name != specifier.partition(".")[0] or _NOT_ROOTS.isdisjoint(top.split("/")):
        return None
    return _longest_module(f"{parent}/" if parent else "", specifier, has, modules.regular)


def _longest_module(
    root: str, specifier: str, has: Callable[[str], bool], regular: frozenset[str]
) -> str | None:
    """The repo's module the specifier names, or the longest part of it the repo has; None when that part
    is a namespace package with no regular package above it: the rest lies in another portion of that
    namespace, another distribution's (`poetry.core` beside poetry's own `src/poetry`)."""
    parts = specifier.split(".")
    for count in range(len(parts), 0, -1):
        candidate = root + "/".join(parts[:count])
        if has(candidate):
            if count == len(parts):
                return candidate
            above = [root + "/".join(parts[:n]) for n in range(1, count + 1)]
            return candidate if any(has(module) and module in regular for module in above) else None
    return None
