"""A report's shape as types: the JSON Schema (`schema/report.vN.json`, `summary.vN.json`) for mypy.

One TypedDict per object of the schema, keys and required keys as the schema has them (keys a schema
lists but does not require are `NotRequired`); objects keyed by names (package ids, exports, files,
groups, owners) are `dict[str, ...]`. `tests/depreport/test_report_shape.py` holds the two together,
so a key added to one and not the other fails there.

The positional rows of the `usage` block (keys, rows, file signatures, the import graph) are arrays of
mixed items, described where they are read (`depreport.history.adoption`, `depreport.tally.wrappers`);
they stay `list[Any]` here.

These types describe documents that passed the shape checks (`schema.loads`, `store.reading`): a
document of unknown shape stays `dict[str, Any]` until then.
"""

# No `from __future__ import annotations` here: TypedDict reads `NotRequired` from evaluated annotations
# (with postponed ones, Python 3.11 counts every key as required).
from typing import Any, NotRequired, TypedDict

LinesByFile = dict[str, list[int]]  # importing file -> line numbers


class GroupDefinition(TypedDict):
    """One adoption group as a report's options record it (`Groups.to_json`)."""

    name: str
    packages: list[str]
    paths: list[str]
    target: bool
    version: NotRequired[str]


class AdoptionOptions(TypedDict, total=False):
    """The adoption groups a report was made with."""

    groups: list[GroupDefinition]
    include_type_only: bool


class Options(TypedDict, total=False):
    """Options that shaped the file selection and the adoption groups."""

    include: list[str]
    exclude: list[str]
    include_declarations: bool
    default_excludes: bool
    max_file_size: int
    adoption: AdoptionOptions


class Totals(TypedDict):
    """File and import counts of a scan."""

    files_seen: int
    files_parsed: int
    files_without_imports: int
    files_skipped: int
    files_failed: int
    files_with_syntax_errors: int
    imports: int
    packages: int
    unresolvable_dynamic_imports: int


class Shares(TypedDict):
    """A group's share of the grouped imports, importing files, components (and instances)."""

    imports: float
    files: float
    components: float
    instances: NotRequired[float]


class Wrapper(TypedDict):
    """A local module wrapping a group, and how many files import it."""

    module: str
    importers: int


class GroupAdoption(TypedDict):
    """One group's counts in an adoption block."""

    imports: int
    files: int
    components: int
    share: Shares
    target: bool
    instances: NotRequired[int]
    values: NotRequired[int]
    files_direct: NotRequired[int]
    files_indirect: NotRequired[int]
    wrappers: NotRequired[list[Wrapper]]


class Left(TypedDict, total=False):
    """What is left to migrate: the non-target groups' counts."""

    imports: int
    components: int
    files: int
    grouped_files: int
    instances: int
    indirect_files: int


class AdoptionBlock(TypedDict):
    """Groups applied to a run's usage (`depreport.history.adoption.adoption_of`)."""

    target: str | None
    target_share: Shares | None
    groups: dict[str, GroupAdoption]
    left: NotRequired[Left]
    warnings: NotRequired[list[str]]
    unmatched: NotRequired[list[list[str]]]  # [group, "packages" | "paths" | "workspace", pattern]


class Adoption(AdoptionBlock):
    """A report's adoption block: the block for the whole repo, and per owner with a CODEOWNERS file."""

    by_owner: NotRequired[dict[str, AdoptionBlock]]


class Graph(TypedDict):
    """The local import graph of a run (`depreport.tally.wrappers.graph_json`)."""

    modules: list[list[Any]]  # [key, rest of path, row of usage.files, key ids used | None]
    importers: list[list[int]]  # [row of usage.files, files]


class Usage(TypedDict):
    """Group-agnostic counts that adoption groups are applied to (`depreport.tally.usage`)."""

    keys: list[list[Any]]  # [package, subpath, resolved, version, folder, local barrel passed]
    owners: list[list[str]]
    rows: list[list[Any]]  # [owner set, key, {export: [value imports, type-only imports]}]
    files: list[list[Any]]  # [owner set, [2 * key + has value import, ...], files]
    barrel_cycles: NotRequired[list[list[str]]]
    through: NotRequired[list[list[Any]]]  # [module, export, package, subpath, resolved, export, barrel]
    owned: NotRequired[bool]
    versioned: NotRequired[bool]
    uses: NotRequired[list[list[Any]]]  # [owner set, key, {export: [instances, value uses]}]
    graph: NotRequired[Graph]
    workspaces: NotRequired[dict[str, str]]  # the repo's workspace packages: name -> folder


class ExportUse(TypedDict):
    """How one export of a package is imported: counts, the lines per file, the local names."""

    count: int
    type_only: int
    files: LinesByFile
    locals: list[str]
    subpaths: NotRequired[dict[str, LinesByFile]]  # subpath -> importing file -> lines


class Package(TypedDict):
    """One imported package of a report."""

    resolved_as: str
    imports: int
    type_only_imports: int
    files: int
    exports: dict[str, ExportUse]


class PropStats(TypedDict):
    """One prop: how often it is passed, elements without it, and its values with counts."""

    count: int
    not_set: int
    values: dict[str, int]


class Member(TypedDict):
    """A sub-component's elements (`Header` of `<Modal.Header>`)."""

    instances: int
    files: LinesByFile
    props: dict[str, PropStats]


class ValueUses(TypedDict):
    """Uses of a component as a value: count, lines per file, count per way."""

    count: int
    files: LinesByFile
    via: dict[str, int]


class Component(TypedDict):
    """How one export is used beyond being imported (`depreport.tally.components`)."""

    instances: int
    files: LinesByFile
    members: dict[str, Member]
    props: dict[str, PropStats]
    values: ValueUses


class ProblemEntry(TypedDict):
    """A file the scan could not read, or read with errors."""

    path: str
    reason: str
    message: str


class Header(TypedDict):
    """Who, what and when: the part of a report that does not depend on the files."""

    schema_version: int
    tool_version: str
    repo: str | None
    commit: str | None
    branch: str | None
    committed_at: str | None
    generated_at: str | None
    options: Options


FileVersions = dict[str, dict[str, list[str]]]  # package -> version -> files importing that version


class BodyRest(TypedDict):
    """The blocks of a report's body made whole at the end of a scan (`depreport.tally.body`)."""

    totals: Totals
    adoption: Adoption | None
    usage: NotRequired[Usage]
    versions: NotRequired[FileVersions]  # when groups have version ranges
    problems: list[ProblemEntry]


class Body(BodyRest):
    """A report without its header: what a scan of the files gives."""

    packages: dict[str, Package]
    exports: dict[str, dict[str, int]]  # export -> package -> imports
    components: dict[str, dict[str, Component]]  # package -> export -> uses


class Report(Header, Body):
    """A full report (`depreport scan --format json`)."""


class PackageOutline(TypedDict):
    """A package as a summary is made from: counts, and per export for packages of adoption groups."""

    resolved_as: str
    imports: int
    files: int
    exports: NotRequired[dict[str, dict[str, int]]]  # export -> {"count": imports}


class Outline(BodyRest):
    """A report body without file lists, locals or the `exports` block (`ReportBody.outline`)."""

    packages: dict[str, PackageOutline]


class ReportOutline(Header, Outline):
    """A report with its body outlined: all a summary is made from."""


class PackageSummary(TypedDict):
    """A package in a run summary: counts only (and per export, for packages of adoption groups)."""

    resolved_as: str
    imports: int
    files: int
    group: NotRequired[str]
    exports: NotRequired[dict[str, int]]


class Summary(TypedDict):
    """The small document stored beside each published report; history reads only these."""

    schema_version: int
    tool_version: str
    repo: str
    commit: str | None
    branch: str | None
    committed_at: str | None
    generated_at: str | None
    run_time: str | None
    options: Options
    totals: Totals
    adoption: Adoption | None
    usage: NotRequired[Usage]
    packages: dict[str, PackageSummary]
    problems: int  # files with a problem


class RunHead(TypedDict):
    """What adoption history reads of a run: a summary's header, run time, options and adoption (and its
    usage, to apply other groups). Every `Summary` is one; so is the head a view reads cheaply."""

    repo: str
    commit: str | None
    committed_at: str | None
    generated_at: str | None
    run_time: str | None
    options: Options
    adoption: Adoption | None
    usage: NotRequired[Usage]
