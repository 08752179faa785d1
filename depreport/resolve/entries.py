"""Per-file results + a resolver -> index entries: the step between parsing and the report."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from depreport.config import Config
from depreport.history.adoption import AdoptionContext
from depreport.model import (
    ALL_EXPORTS,
    Extracted,
    FileResult,
    ImportRecord,
    Kind,
    RawUse,
    Resolution,
    Skipped,
    UseRecord,
)
from depreport.resolve.bundlers import bundler_aliases
from depreport.resolve.importmaps import import_map_aliases
from depreport.resolve.lockfiles import lockfile_paths
from depreport.resolve.owners import LOCATIONS, find_codeowners
from depreport.resolve.specifiers import Resolver
from depreport.resolve.subpathimports import package_imports
from depreport.resolve.tsconfig import (
    PathAliases,
    ReadText,
    SharedReads,
    load_aliases,
    missing_tsconfig,
    unread_tsconfig,
)
from depreport.resolve.versions import DependencyVersions, declared_dependencies
from depreport.resolve.workspaces import CATALOG_FILES, is_deno_config, workspace_folders, workspace_packages
from depreport.scan.discover import Discovery
from depreport.scan.walk import Root, read_inside
from depreport.tally.index import FileEntry

_PYTHON_OWN = frozenset({Resolution.LOCAL.value, Resolution.RELATIVE.value})  # the repo's Python modules


def build_resolver(discovery: Discovery, config: Config, read: ReadText) -> Resolver:
    """A resolver that knows the repo's files, tsconfig aliases, Deno import maps, workspace packages,
    package.json `imports` and the aliases bundler configs set."""
    aliases: dict[str, PathAliases] = {}
    problems = discovery.problems  # a config it cannot read is reported with the files' problems
    workspaces = workspace_packages(read, discovery.manifests, problems)
    folders = workspace_folders(workspaces)
    presets_missing = dict(discovery.not_read.presets)  # tsconfig -> the package it extends, not installed
    shared = SharedReads()  # a preset many configs extend is read, and its paths joined, once
    for path in config.tsconfig or tuple(discovery.configs):
        found = load_aliases(read, path, problems, folders, presets_missing, shared)
        if found is not None:
            directory = path.rpartition("/")[0]
            aliases.setdefault(directory, found)  # tsconfig.json wins over jsconfig.json (sorted first)
        elif read(path) is None:  # named in the configuration, or listed but not readable from the repo
            problems.append(
                missing_tsconfig(path, config.source) if config.tsconfig else unread_tsconfig(path)
            )
    read_aliases = bundler_aliases(read, discovery.bundlers, problems)
    discovery.not_read = replace(discovery.not_read, presets=presets_missing, aliases=read_aliases.not_read)
    discovery.aliases_read = read_aliases.read
    for path in filter(is_deno_config, discovery.manifests):
        found = import_map_aliases(read, path, problems)
        if found is not None:
            aliases.setdefault(path.rpartition("/")[0], found)  # a tsconfig of the same folder wins
    files = [f.path for f in discovery.files]
    declared = declared_dependencies(read, discovery.manifests)
    return Resolver(
        files,
        aliases,
        workspaces,
        has_file=lambda path: read(path) is not None,
        declared=declared,
        package_imports=package_imports(read, discovery.manifests),
        bundler_aliases=PathAliases.of(config.source, None, list(config.aliases)) if config.aliases else None,
        declarations=tuple(discovery.declarations),
        read_aliases=read_aliases.folders,
    )


def build_context(discovery: Discovery, config: Config, read: ReadText) -> AdoptionContext:
    """Dependency versions (only when a group asks for a version range) and CODEOWNERS owners."""
    owners = find_codeowners(read, discovery.problems)
    versioned = config.groups.versioned
    versions = DependencyVersions(read, discovery.manifests, discovery.problems) if versioned else None
    return AdoptionContext(
        version=versions.version if versions is not None else None,
        owners=owners.owners if owners is not None else None,
    )


def context_paths(discovery: Discovery, config: Config) -> tuple[str, ...]:
    """The files `build_context` reads: CODEOWNERS, and the manifests, lockfiles and catalogs when
    versions matter."""
    manifests = discovery.manifests
    versions = (*lockfile_paths(manifests), *CATALOG_FILES, *manifests) if config.groups.versioned else ()
    return (*LOCATIONS, *versions)


def working_tree_reader(root: Path) -> ReadText:
    """Reads repo-relative paths from the working tree."""

    where = Root.of(root)

    def read(path: str) -> str | None:
        data = read_inside(where, path)  # never a FIFO, never outside the repo
        return None if data is None else data.decode("utf-8", "replace")

    return read


def file_entry(result: FileResult, language: str, resolver: Resolver) -> FileEntry:
    """What one file contributes to the index: resolved records, problems, status."""
    if isinstance(result, Extracted):
        extraction = result.extraction
        looked_up: set[str] = set()
        records = resolve_imports(result, language, resolver, looked_up)
        return FileEntry(
            records=records,
            problems=extraction.problems(result.path),
            status="parsed" if extraction.parsed else "without_imports",
            syntax_error=extraction.syntax_error,
            unresolvable=extraction.unresolvable,
            looked_up=tuple(sorted(looked_up)),
            uses=resolve_uses(extraction.uses, records),
            own_exports=extraction.own_exports,
        )
    status = "skipped" if isinstance(result, Skipped) else "failed"
    return FileEntry(records=(), problems=(result.problem,), status=status)


def resolve_imports(
    result: Extracted, language: str, resolver: Resolver, looked_up: set[str] | None = None
) -> tuple[ImportRecord, ...]:
    """The file's raw imports with their specifiers resolved to packages (see `Resolver.for_file`)."""
    path = result.path
    resolve = resolver.for_file(path, language, looked_up)
    out = []
    for line, column, kind, specifier, export, local, type_only in result.extraction.imports:
        where = resolve(specifier)
        package, subpath, how = where.package, where.subpath, where.how
        if (
            language == "python"
            and how in _PYTHON_OWN
            and export != ALL_EXPORTS
            and _whole(specifier, package)
        ):
            module = resolver.python_submodule(package, export, looked_up)
            if module is not None:  # `from pkg import mod`: the module itself, bound whole
                package, export = module, ALL_EXPORTS
        out.append(
            ImportRecord(
                path, line, column, kind, specifier, package, subpath, export, local, type_only, language, how
            )
        )
    return tuple(out)


def _whole(specifier: str, package: str) -> bool:
    """Is `package`, a module of the repo, the one a Python specifier names, not the nearest part above it
    the repo has? `from airflow.sdk import task` where the repo has `airflow` but no `airflow/sdk` (another
    distribution's) imports a name of `airflow.sdk`, not the repo's module `airflow/task`."""
    if specifier.startswith("."):  # relative: the module named, found or not
        return True
    path = "".join(specifier.split()).replace(".", "/")
    return package == path or package.endswith("/" + path)


def resolve_uses(uses: tuple[RawUse, ...], records: tuple[ImportRecord, ...]) -> tuple[UseRecord, ...]:
    """The file's uses, each resolved through the file's import of its local binding.

    The use takes that import's package, subpath and resolution; its export is the name really imported
    (an alias under its export, a default import as 'default'); through a namespace import (`* as EG`,
    `const EG = require(...)`) the first segment of the member is the export, the rest stays the member.
    A use whose binding no import of the file made (the extractor gives none) is left out.
    """
    if not uses:
        return ()
    imported: dict[str, ImportRecord] = {}
    for each in records:
        if each.local is not None and each.kind != Kind.REEXPORT:  # `export { X } from` binds no name
            imported.setdefault(each.local, each)
    out = []
    for line, column, local, member, kind, via, detail, props in uses:
        record = imported.get(local)
        if record is None:
            continue
        export = record.export
        if export == ALL_EXPORTS and member:
            export, _, member = member.partition(".")
        where = (record.file, line, column, record.package, record.subpath, export, member)
        out.append(UseRecord(*where, kind, via, detail, props, record.resolved))
    return tuple(out)
