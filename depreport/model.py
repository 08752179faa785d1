"""The data model: what an import is, and what became of each file. No I/O here."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from depreport.report.shape import ProblemEntry


class Kind(StrEnum):
    """How a module is brought in."""

    IMPORT = "import"
    REEXPORT = "reexport"
    REQUIRE = "require"
    DYNAMIC = "dynamic"
    IMPORT_EQUALS = "import-equals"
    SIDE_EFFECT = "side-effect"


class Resolution(StrEnum):
    """How a specifier was turned into a package id."""

    NPM = "npm"
    PYTHON = "python"
    BUILTIN = "builtin"
    RELATIVE = "relative"
    TSCONFIG_PATHS = "tsconfig-paths"
    WORKSPACE = "workspace"
    LOCAL = "local"
    UNRESOLVED = "unresolved"


LOCAL_RESOLUTIONS = frozenset(
    {Resolution.RELATIVE, Resolution.TSCONFIG_PATHS, Resolution.WORKSPACE, Resolution.LOCAL}
)

ALL_EXPORTS = "*"
DEFAULT_EXPORT = "default"


class RawImport(NamedTuple):
    """One imported binding as the parser sees it, before its specifier is resolved.

    A plain tuple so that millions of them pickle and cache cheaply.
    """

    line: int
    column: int
    kind: str
    specifier: str
    export: str
    local: str | None
    type_only: bool


class UseKind(StrEnum):
    """How an imported component is used beyond being imported."""

    INSTANCE = "instance"  # rendered as a JSX element: `<Button>`, `<EG.Button>`, `<Modal.Header>`
    VALUE = "value"  # passed around: `as={Link}`, `styled(Button)`, `const C = cond ? A : B`


# A prop as written on one JSX element: (name, value). The value is the JSON text of a literal
# ('"primary"', '3', 'true' also for a bare `disabled`, 'false', 'null'), or EXPRESSION; a spread
# attribute is (SPREAD, SPREAD).
Prop = tuple[str, str]
EXPRESSION = "[expression]"
SPREAD = "[spread]"


class RawUse(NamedTuple):
    """One use of an imported binding in a JSX/TSX/JS file, before the import is resolved.

    `local` is the binding as imported in the file (`Button`, `Btn`, `EG`, `Modal`); `member` the dotted
    path after it ('' for `<Button>`, 'Button' for `<EG.Button>`, 'Header' for `<Modal.Header>`). Value
    uses say how in `via` ('attribute', 'call', 'variable', ...) and `detail` (the attribute name, the
    callee `styled`/`React.memo`, the variable); instances carry their props in source order.
    """

    line: int
    column: int
    local: str
    member: str
    kind: str  # a UseKind value
    via: str
    detail: str
    props: tuple[Prop, ...]


class ImportRecord(NamedTuple):
    """One imported binding in one file, resolved to a package. A tuple: scans make millions."""

    file: str
    line: int
    column: int
    kind: str
    specifier: str
    package: str
    subpath: str
    export: str
    local: str | None
    type_only: bool
    language: str
    resolved: str

    def to_json(self) -> dict[str, object]:
        """The record as the JSON object of the jsonl output."""
        return self._asdict()


class UseRecord(NamedTuple):
    """One use of an imported component in one file, resolved like its import.

    `export` is the real name imported (an alias is reported under the name it imports, a default
    import as 'default', `<EG.Button>` through a namespace import as 'Button' with the rest of the path
    in `member`).
    """

    file: str
    line: int
    column: int
    package: str
    subpath: str
    export: str
    member: str
    kind: str  # a UseKind value
    via: str
    detail: str
    props: tuple[Prop, ...]
    resolved: str


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file chosen for scanning."""

    path: str  # repo-relative POSIX path
    language: str
    size: int
    mtime_ns: int
    blob: str | None = None  # git blob id when git already knows the content


class ProblemReason(StrEnum):
    """Why a file could not be read fully; each is reported, never silently dropped."""

    TOO_LARGE = "too-large"
    BINARY = "binary"
    NOT_UTF8 = "not-utf8"
    SYNTAX_ERROR = "syntax-error"
    UNREADABLE = "unreadable"
    SYMLINK_LOOP = "symlink-loop"
    NOT_CHECKED_OUT = "not-checked-out"  # outside a sparse checkout, or a Git LFS pointer
    INTERNAL_ERROR = "internal-error"
    TOO_SLOW = "too-slow"  # reading it took longer than a scan gives one file (scan.runner.FILE_SECONDS)


@dataclass(frozen=True, slots=True)
class Problem:
    """A per-file problem: the path, a stable reason, and a human message."""

    path: str
    reason: str
    message: str

    def to_json(self) -> ProblemEntry:
        """The problem as a JSON object."""
        return {"path": self.path, "reason": self.reason, "message": self.message}


@dataclass(frozen=True, slots=True)
class Extraction:
    """What the parser found in one file's content; cached by content id."""

    imports: tuple[RawImport, ...]
    syntax_error: bool
    unresolvable: int  # require()/import() calls whose argument is not a literal
    parsed: bool  # False when a quick look showed the file cannot import anything
    utf8: bool = True
    size: int = 0  # bytes of the content, so a cached result still honours the size cap
    uses: tuple[RawUse, ...] = ()  # JSX instances and value uses of imported bindings, in source order
    stopped_after: float | None = None  # the deadline (s) the parser overran on this content: nothing found
    # names the module exports itself, kept when it also has an `export * from` (which they shadow)
    own_exports: tuple[str, ...] = ()

    def problems(self, path: str) -> tuple[Problem, ...]:
        """The warnings a parsed file still deserves (its imports are kept)."""
        found = []
        if not self.utf8:
            message = "not valid UTF-8; parsed anyway, undecodable bytes replaced in names"
            found.append(Problem(path, ProblemReason.NOT_UTF8.value, message))
        if self.syntax_error:
            message = "syntax error; imports outside the broken region were kept"
            found.append(Problem(path, ProblemReason.SYNTAX_ERROR.value, message))
        return tuple(found)


@dataclass(frozen=True, slots=True)
class Extracted:
    """A file that was read and parsed (possibly with problems worth reporting)."""

    path: str
    blob: str
    extraction: Extraction


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file that was not parsed, and why."""

    path: str
    problem: Problem


@dataclass(frozen=True, slots=True)
class Failed:
    """A file whose processing raised: a bug of ours, reported per file."""

    path: str
    problem: Problem


@dataclass(frozen=True, slots=True)
class TooSlow(Skipped):
    """A file skipped because reading it overran the deadline (ProblemReason.TOO_SLOW). Its content id
    and `extraction` (nothing found, `stopped_after` the deadline) are kept like an Extracted file's, so
    that no later run spends the deadline on the same content again."""

    blob: str
    extraction: Extraction


FileResult = Extracted | Skipped | Failed
# The results whose content id and extraction are kept by content (the cache, a pack): a file read, and
# one the parser was stopped on.
KeptByContent = Extracted | TooSlow
