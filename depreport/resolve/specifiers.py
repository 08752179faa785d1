"""Specifier -> package id.

Bare specifiers become npm packages (`@scope/name` + subpath), and so do Deno's and Bun's `npm:` and `jsr:`
specifiers (without their version); Node builtins are flagged, and relative
imports, tsconfig/jsconfig aliases (then depreport.toml's `[aliases]`, then the aliases a bundler's config
sets for the file's folder) and workspace packages become the repo path of the module they name
(no extension, `index` folded), so a local folder like `src/ui/` is a package like any other. Files that
are not modules (images, styles, fonts, JSON) keep their extension: `src/assets/logo.svg`; a bare
specifier naming such a file of the repo under a tsconfig `baseUrl` or `paths` target is that file.
Python: the top-level module, or the repo path of a local module.

Over 300 lines on purpose: one resolver, whose methods share its memo and the lookups each resolution
records for incremental scans; what it reads (tsconfig, bundler configs, workspaces, base folders…) is in
modules beside it.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property

from depreport.byidentity import ByIdentity
from depreport.model import Resolution
from depreport.resolve.basefolders import ancestor_lookups, base_folder, folder_lookup, folders_of
from depreport.resolve.packages import (
    NPM_NAME,
    Resolved,
    installed_package,
    node_builtin,
    registry_package,
    split_package,
    types_package,
)
from depreport.resolve.python import PYTHON_SUFFIXES, PythonModules, python_module_id, resolve_python
from depreport.resolve.tsconfig import PathAliases, PatternList, pattern_match
from depreport.resolve.workspaces import Workspace, workspace_folders
from depreport.scan.languages import DECLARATION_SUFFIXES, TS_DECLARATION_SUFFIXES
from depreport.startindex import StartIndex

_JS_EXTENSIONS = (".tsx", ".ts", ".jsx", ".js", ".mjs", ".cjs", ".mts", ".cts")
_ASK_ALL = 16  # `paths` of up to this many patterns are all asked; of more, only those a specifier may match


def declared_lookup(name: str) -> str:
    """A resolution's look among the declared dependencies for `name`, as `looked_up` keeps it beside
    module ids (a NUL first: no module id of a repo holds one)."""
    return f"\0{name}"


def other_file_lookup(path: str, found: bool) -> str:
    """A resolution's look for a file of the repo that is no module (`src/styles/main.scss` under
    `baseUrl`), with what it found, as `looked_up` keeps it: a pack does not list such files, so the answer
    is kept to tell when it changed (\1 found, \2 not: no module id of a repo holds either)."""
    return f"{_FOUND if found else _MISSING}{path}"


def other_file_answers(lookups: Iterable[str]) -> dict[str, bool]:
    """path -> whether it was found, of the looks for files that are no module among `lookups`."""
    return {lookup[1:]: lookup[0] == _FOUND for lookup in lookups if lookup[:1] in (_FOUND, _MISSING)}


_FOUND, _MISSING = "\1", "\2"


def declared_changes(before: frozenset[str], after: frozenset[str]) -> frozenset[str]:
    """The lookups (`declared_lookup`) of the dependencies declared before or after, not both."""
    return frozenset(map(declared_lookup, before ^ after))


def moved_lookups(paths: Iterable[str]) -> set[str]:
    """What files coming or going answer among the lookups resolutions record (`for_file`'s `looked_up`):
    their module ids (a declaration file's: also the module it declares), and the folders above them
    (basefolders.py)."""
    found = set()
    for path in paths:
        found.add(module_id(path))
        if path.endswith(TS_DECLARATION_SUFFIXES):
            found.add(declaration_module_id(path))
        found.update(ancestor_lookups(path))
    return found


def module_id(path: str) -> str:
    """A source path as a module: extension dropped, `index`/`__init__` folded into the folder (for a
    Python file only `__init__`: `index.py` is a module of its own)."""
    if path.endswith(PYTHON_SUFFIXES):
        return python_module_id(path)
    for ext in _JS_EXTENSIONS:
        if path.endswith(ext):
            path = path[: -len(ext)]
            break
    head, _, tail = path.rpartition("/")
    return head if head and tail in ("index", "__init__") else path


def declaration_module_id(path: str) -> str:
    """The module a TypeScript declaration file declares: `types/index.d.ts` is `types`."""
    stem = path[: -len(next(s for s in TS_DECLARATION_SUFFIXES if path.endswith(s)))]
    head, _, tail = stem.rpartition("/")
    return head if head and tail == "index" else stem


@dataclass
class Resolver:
    """Resolves specifiers for the files of one repo. Results are memoised per (specifier, context)."""

    files: Iterable[str]
    aliases: dict[str, PathAliases] = field(default_factory=dict)  # directory -> its tsconfig aliases
    workspaces: dict[str, Workspace] = field(default_factory=dict)  # package name -> folder, entries
    has_file: Callable[[str], bool] | None = None  # is this repo path a file? (for files that are no module)
    declared: frozenset[str] = frozenset()  # the dependencies the repo's package.json files name
    # the folder of each package.json -> the aliases of its `imports` (`#name` specifiers), None for none
    package_imports: dict[str, PathAliases | None] = field(default_factory=dict)
    bundler_aliases: PathAliases | None = None  # depreport.toml's [aliases], for every JS/TS file
    # declaration files not read, whose modules TypeScript finds all the same (`types` is `types/index.d.ts`)
    declarations: Iterable[str] = ()
    # folder -> the aliases its bundler configs set (bundlers.py), for the files under it
    read_aliases: dict[str, PathAliases] = field(default_factory=dict)
    _memo: dict[tuple[str, str, str], Resolved] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self._nearest: dict[str, PathAliases | None] = {}
        self._nearest_read: dict[str, PathAliases | None] = {}
        # id of a long `paths` tuple (shared by the configs extending one preset) -> it, by literal start
        self._starts: ByIdentity[StartIndex[tuple[str, tuple[str, ...]]]] = ByIdentity()
        # Module ids each memoised resolution looked for among the repo's files (aliases, Python).
        self._looked_up: dict[tuple[str, str, str], tuple[str, ...]] = {}
        self._looking: list[str] = []
        # The files that are no module its resolutions looked for, and whether each was there.
        self.other_files: dict[str, bool] = {}

    @cached_property
    def modules(self) -> frozenset[str]:
        """Every module of the repo (made on first use: a scan that changed nothing never needs it)."""
        return frozenset(module_id(f) for f in self.files)

    @cached_property
    def declared_modules(self) -> frozenset[str]:
        """The modules declaration files declare, without their `.d.ts` (made on first use)."""
        declared = (f for f in (*self.files, *self.declarations) if f.endswith(TS_DECLARATION_SUFFIXES))
        return frozenset(map(declaration_module_id, declared))

    @cached_property
    def folders(self) -> frozenset[str]:
        """Every folder holding a file of the repo, a declaration file included (made on first use)."""
        return folders_of((*self.files, *self.declarations))

    @cached_property
    def python(self) -> PythonModules:
        """The repo's Python modules and package folders, for Python specifiers."""
        return PythonModules(self.files)

    def resolve(self, specifier: str, file: str, language: str) -> Resolved:
        """The package a specifier imported from `file` belongs to."""
        return self.for_file(file, language)(specifier)

    def for_file(
        self, file: str, language: str, looked_up: set[str] | None = None
    ) -> Callable[[str], Resolved]:
        """A resolver bound to one importing file (its folder and tsconfig are looked up once).

        `looked_up` collects the module ids the file's resolutions looked for among the repo's files:
        adding or removing a file with one of those ids may change how this file resolves.
        """
        directory = posixpath.dirname(file)
        scripts = language == "python" and self.python.runs_as_script(directory)
        package = self.python.top_package(directory) if language == "python" else None
        context = directory if scripts else package or self._context(directory)
        memo, lookups = self._memo, self._looked_up
        slow = self._python if language == "python" else self._javascript

        def resolve(specifier: str) -> Resolved:
            key = (specifier, directory if specifier.startswith((".", "#")) else context, language)
            found = memo.get(key)
            if found is None:
                self._looking = []
                found = memo[key] = slow(specifier, directory)
                if self._looking:
                    lookups[key] = tuple(self._looking)
            if looked_up is not None and key in lookups:
                looked_up.update(lookups[key])
            return found

        return resolve

    def python_submodule(self, package: str, name: str, looked_up: set[str] | None = None) -> str | None:
        """The module of the repo that `from package import name` loads, when `package` is one of the
        repo's and holds a module `name` (`from IPython.testing import decorators`): Python imports the
        submodule, as `import IPython.testing.decorators` does; in a namespace package, the module of that
        name in any of its portions (`from opentelemetry import trace`). None for any other name."""
        module = name if package == "." else f"{package}/{name}"
        for candidate in (module, *self.python.other_portions(module)):
            if looked_up is not None:
                looked_up.add(candidate)  # a file added or removed there changes this import
            if candidate in self.python.modules:
                return candidate
        return None

    def _has_module(self, module: str) -> bool:
        self._looking.append(module)
        return module in self.modules

    def _has_declared_module(self, module: str) -> bool:
        """Does a declaration file of the repo declare this module? Such a module is the repo's only when no
        package.json names the specifier's package: `"*": ["types/*"]` beside a declared `some-lib` types
        the npm package, whose code runs from node_modules."""
        self._looking.append(module)
        return module in self.declared_modules

    def _has_folder(self, folder: str) -> bool:
        self._looking.append(folder_lookup(folder))
        return folder in self.folders

    def inputs(self) -> tuple[object, ...]:
        """What resolution depends on besides the files: aliases, workspaces, Python package folders and
        declared dependencies, in a stable order."""
        return (*self.layout(), sorted(self.declared))

    def layout(self) -> tuple[object, ...]:
        """`inputs` but the declared dependencies, whose changes reach only the files that looked for
        them (`declared_lookup`)."""
        return (*self._shape(), sorted(self.declarations))

    def _shape(self) -> tuple[object, ...]:
        """`layout` but the declaration files not read, which answer only the lookups of their modules
        and folders (`moved_lookups`)."""
        return (
            sorted(self.aliases.items()),
            sorted(self.workspaces.items()),
            sorted(self.python.roots.items()),
            sorted(self.python.portions.items()),
            sorted(self.package_imports.items()),
            self.bundler_aliases,
            sorted(self.read_aliases.items()),
        )

    def workspace_folders(self) -> dict[str, str]:
        """The repo's workspace packages: name -> folder (imports of one count as the repo's modules)."""
        return workspace_folders(self.workspaces)

    def lookups_changed_since(self, before: Resolver) -> frozenset[str] | None:
        """What files' resolutions looked for (`for_file`'s `looked_up`) and now find otherwise, besides
        files that came or went: the dependencies a package.json began or ceased to declare, the modules
        and folders of declaration files not read that came or went. None when aliases, workspaces or
        Python package folders changed: every file may resolve otherwise."""
        if self._shape() != before._shape():
            return None
        declarations = moved_lookups(set(before.declarations) ^ set(self.declarations))
        return declared_changes(before.declared, self.declared) | declarations

    def _context(self, directory: str) -> str:
        """What decides a bare specifier's resolution in this folder, besides the repo: its tsconfig, and
        its bundler configs' aliases."""
        aliases = self._aliases_for(directory)
        context = aliases.config if aliases is not None else ""
        read = _nearest(self.read_aliases, self._nearest_read, directory) if self.read_aliases else None
        return context if read is None else f"{context}\0{read.config}"

    def _aliases_for(self, directory: str) -> PathAliases | None:
        """The tsconfig aliases of the nearest folder up that has some."""
        return _nearest(self.aliases, self._nearest, directory)

    def _javascript(self, raw: str, directory: str) -> Resolved:
        specifier = raw.partition("?")[0] or raw  # `./icon.svg?react`: a bundler's query names no file
        if specifier.startswith(("./", "../")) or specifier in (".", ".."):
            path = f"{directory}/{specifier}" if directory else specifier
            return installed_package(path) or Resolved(_local(path), "", Resolution.RELATIVE.value)
        builtin = node_builtin(specifier)
        if builtin is not None:
            return builtin
        registry = registry_package(specifier)
        if registry is not None:
            return registry
        aliased = self._alias(specifier, directory)
        if aliased is None and specifier.startswith("#"):
            subpath_import = self._subpath_import(specifier, directory)
            if subpath_import is not None:
                return subpath_import
        if aliased is None and self.bundler_aliases is not None:
            aliased = self._mapped(self.bundler_aliases, specifier)
        if aliased is None and self.read_aliases:
            read = _nearest(self.read_aliases, self._nearest_read, directory)
            aliased = None if read is None else self._mapped(read, specifier)
        if aliased is not None:
            return Resolved(aliased, "", Resolution.TSCONFIG_PATHS.value)
        name, subpath = split_package(specifier)
        workspace = self.workspaces.get(name)
        if workspace is not None:
            return Resolved(self._workspace_module(workspace, subpath), "", Resolution.WORKSPACE.value)
        if NPM_NAME.fullmatch(name):
            return Resolved(name, subpath, Resolution.NPM.value)
        return Resolved(raw, "", Resolution.UNRESOLVED.value)

    def _alias(self, specifier: str, directory: str) -> str | None:
        """The repo path a tsconfig alias maps a specifier to.

        A target among the repo's files wins (every matching pattern, then baseUrl, is tried). Failing
        that, a specifier that matched a pattern other than the catch-all `*` is the mapped path of its
        first target: an image, a style sheet, a JSON file or a generated module is no npm package; unless
        a package.json of the repo names it as a dependency, which node_modules then holds (vuejs/core's
        `@vue/consolidate` under `"@vue/*": ["packages/*/src"]`).
        """
        aliases = self._aliases_for(directory)
        if aliases is None or aliases.elsewhere_target(specifier) is not None:
            return None  # a longer key of an import map sends it off the repo: as written
        return self._mapped(aliases, specifier)

    def _subpath_import(self, specifier: str, directory: str) -> Resolved | None:
        """`#name` under the `imports` of the nearest package.json up (subpathimports.py): a target that is
        a file of the repo, else a package it names, else the first path it maps to."""
        while directory not in self.package_imports and directory:
            directory = posixpath.dirname(directory)
        aliases = self.package_imports.get(directory)
        if aliases is None:
            return None
        mapped = self._mapped(aliases, specifier)
        package = aliases.elsewhere_target(specifier, ties=True)
        if package is not None and (mapped is None or not self._has_module(mapped)):
            return self._javascript(package, directory)
        return None if mapped is None else Resolved(mapped, "", Resolution.TSCONFIG_PATHS.value)

    def _mapped(self, aliases: PathAliases, specifier: str) -> str | None:
        """The repo path one config's `paths` (and `baseUrl`) map a specifier to, as `_alias` says."""
        mapped: str | None = None
        for pattern, targets in self._may_match(aliases.paths, specifier):
            star = pattern_match(pattern, specifier)
            if star is None:
                continue
            for target in targets:
                path = target.replace("*", star, 1)
                candidate = _local(path)
                if self._has_module(candidate) or self._has_other_file(path):
                    return candidate
                if self._has_declared_module(candidate) and self._unless_declared(specifier, candidate):
                    return candidate
                if mapped is None and pattern.strip("*") and _may_hold_source(target):
                    mapped = self._unless_declared(specifier, candidate)
        if aliases.base_url is not None:
            path = posixpath.join(aliases.base_url, specifier)
            candidate = _local(path)
            if self._has_module(candidate) or (mapped is None and self._has_other_file(path)):
                return candidate
            if self._has_declared_module(candidate) and self._unless_declared(specifier, candidate):
                return candidate
            folder = base_folder(aliases.base_url, specifier)
            if mapped is None and folder is not None and self._has_folder(folder):
                return self._unless_declared(specifier, candidate)  # a generated module (basefolders.py)
        return mapped

    def _may_match(
        self, paths: PatternList, specifier: str
    ) -> PatternList | list[tuple[str, tuple[str, ...]]]:
        """The patterns of a `paths` that may match a specifier, in their order: those whose literal start
        the specifier starts with (for many patterns: 2,000 packages extending a preset of 1,000 paths
        asked all of them for each import). The index is made once for each tuple, however many configs
        share it."""
        if len(paths) <= _ASK_ALL:
            return paths
        index = self._starts.get(paths, lambda: StartIndex((p.partition("*")[0], (p, t)) for p, t in paths))
        return [item for _, item in index.candidates(specifier)]

    def _unless_declared(self, specifier: str, candidate: str) -> str | None:
        """`candidate`, unless a package.json of the repo names the specifier's package as a dependency,
        itself or its types (`@types/mdx` for `mdx/types`: tsc finds it there, not under baseUrl)."""
        name = split_package(specifier)[0]
        names = (name, types_package(name))
        self._looking.extend(map(declared_lookup, names))
        return None if any(n in self.declared for n in names) else candidate

    def _has_other_file(self, path: str) -> bool:
        """Is `path` a file of the repo that is no module (`src/styles/main.scss`)? Asked only of paths
        with another extension than a module's: `baseUrl/react` is never looked for."""
        extension = posixpath.splitext(path)[1]
        if self.has_file is None or not extension or extension in _JS_EXTENSIONS:
            return False
        path = posixpath.normpath(path)
        found = self.other_files[path] = self.has_file(path)
        self._looking.append(other_file_lookup(path, found))
        return found

    def _workspace_module(self, workspace: Workspace, subpath: str) -> str:
        """The module a workspace package's entry point names, when it is a file of the repo; else the
        package's folder joined with the subpath."""
        wanted = f"./{subpath}" if subpath else "."
        for pattern, targets in workspace.entries:
            star = pattern_match(pattern, wanted)
            if star is None:
                continue
            for target in targets:
                candidate = _local(posixpath.join(workspace.directory, target.replace("*", star)))
                if self._has_module(candidate):
                    return candidate
        return _local(posixpath.join(workspace.directory, subpath))

    def _python(self, specifier: str, directory: str) -> Resolved:
        return Resolved(*resolve_python(specifier, directory, self.python, self._has_python_module))

    def _has_python_module(self, module: str) -> bool:
        self._looking.append(module)
        return module in self.python.modules


def _nearest(
    aliases: dict[str, PathAliases], memo: dict[str, PathAliases | None], directory: str
) -> PathAliases | None:
    """The aliases of the nearest folder up that has some; a loop, not recursion (folders nest deep)."""
    climbed: list[str] = []
    found: PathAliases | None = None
    while directory not in memo:
        climbed.append(directory)
        found = aliases.get(directory)
        if found is not None or not directory:
            break
        directory = posixpath.dirname(directory)
    else:
        found = memo[directory]
    for folder in climbed:
        memo[folder] = found
    return found


def _may_hold_source(target: str) -> bool:
    """Can a `paths` target be a file of the repo? Not in node_modules, not a declaration file."""
    return "node_modules/" not in f"/{target}" and not target.endswith(DECLARATION_SUFFIXES)


def _local(path: str) -> str:
    normal = posixpath.normpath(path)
    return module_id(normal) if normal != "." else "."
