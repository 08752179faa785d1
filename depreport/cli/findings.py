"""What a scan or a backfill says on stderr about what it read, besides its output: the files with
problems (of one run, or of a backfill's weeks), the files it did not read, and the imports that
resolve to nothing though they look like a bundler's aliases."""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from depreport.cli.output import note
from depreport.config import ALIASES_EXAMPLE, SOURCE_FOLDERS_EXAMPLE, Config
from depreport.report.render.safe import plain
from depreport.report.render.words import plural
from depreport.report.shape import ProblemEntry
from depreport.scan.discover import NotRead

if TYPE_CHECKING:  # the scan's modules are not loaded by commands that do not scan
    from depreport.scan.pipeline import Scan


@dataclass
class ProblemWeeks:
    """The file problems of a backfill's weeks: each file's first message and the weeks it was seen in."""

    weeks: int = 0
    files: dict[tuple[str, str], tuple[str, date, date]] = field(default_factory=dict)

    def add(self, monday: date, problems: Sequence[ProblemEntry]) -> None:
        """The problems of one week's report."""
        self.weeks += bool(problems)
        for p in problems:
            message, first, _ = self.files.get((p["path"], p["reason"]), (p["message"], monday, monday))
            self.files[p["path"], p["reason"]] = (message, first, monday)

    def describe(self, weeks: int, shown: int = 5) -> None:
        """A short summary on stderr: how many weeks, which files and when."""
        if not self.files:
            return
        summary = _by_reason(reason for _, reason in self.files)
        print(f"depreport: {self.weeks} of {plural(weeks, 'week')} read files with problems "
              f"({plural(len(self.files), 'file')}: {summary}); each week's report lists its own under "
              "'problems':", file=sys.stderr)  # fmt: skip
        for (path, _), (message, first, last) in list(self.files.items())[:shown]:
            when = f"{first} to {last}" if first != last else f"{first}"
            print(f"  {plain(path)}: {plain(message)} ({when})", file=sys.stderr)
        if len(self.files) > shown:
            print(f"  ... {len(self.files) - shown} more files", file=sys.stderr)


def describe_problems(problems: Sequence[ProblemEntry], shown: int = 5) -> None:
    """A short summary of per-file problems on stderr."""
    if not problems:
        return
    summary = _by_reason(p["reason"] for p in problems)
    print(f"depreport: {plural(len(problems), 'file problem')}: {summary}", file=sys.stderr)
    for problem in problems[:shown]:
        print(f"  {plain(problem['path'])}: {plain(problem['message'])}", file=sys.stderr)
    if len(problems) > shown:
        print(f"  ... {len(problems) - shown} more in the report's 'problems' list", file=sys.stderr)


def describe_selection(config: Config, result: Scan) -> None:
    """Say when the include globs selected no file, and what the adoption block warns of (a group's
    glob that matches no import: a typo leaves its imports to no group, unsaid in a CI job)."""
    parts = result.body_parts if result.body is None else None  # no other block of the body decoded
    adoption = json.loads(parts["adoption"]) if parts is not None else result.report_outline["adoption"]
    warnings = adoption["warnings"] if adoption else []
    if config.include and not result.totals["files_seen"]:
        globs = ", ".join(repr(g) for g in config.include)
        but = ", ".join(repr(g) for g in config.exclude)
        but = f" that the exclude globs ({but}) leave in" if but else ""
        note(f"warning: the include globs ({globs}) selected no source file{but}: nothing was scanned; "
             "they are gitignore-style, relative to the repository (e.g. 'src/**')")  # fmt: skip
    for warning in warnings:
        note(f"warning: {plain(warning)}")


def describe_unused_excludes(
    unused: Sequence[str],
    flags: Sequence[str] = (),
    source: str = "",
    where: str = "",
    relative_to: str = "the repository root",
) -> None:
    """Say each exclude glob given that left out no file or folder: a misspelt one scans what it was
    meant to leave out, as a group's glob that matches no import counts nothing (both said, not passed
    over). `flags`: the globs given as --exclude (the others are the `exclude` of the configuration
    file `source`); `where` names the repository when several are said (`backfill --repos`)."""
    for glob in unused:
        given = (
            f"--exclude {plain(glob)!r}" if glob in flags else f"exclude entry {plain(glob)!r} in {source}"
        )
        note(
            f"warning: {where}{given} excluded nothing: it matches no file or folder that would "
            f"otherwise be read; check its spelling (gitignore-style, relative to {relative_to}, e.g. "
            "'src/legacy/**'), or remove it"
        )


def describe_not_read(not_read: NotRead, where: str = "") -> None:
    """Say which files holding imports were not read (Vue, Svelte, Astro, MDX) and which git submodules
    were not scanned, so no count looks whole, which tsconfig files extend a package that is not
    installed (read without it) and which bundler configs set an alias in a form not read; `where`
    names the repository when several are said (`backfill --repos`)."""
    presets = not_read.presets
    if presets:
        config, package = min(presets.items())
        more = f" (and {plural(len(presets) - 1, 'other tsconfig')})" if len(presets) > 1 else ""
        note(
            f"{where}{plain(config)}{more} extends {plain(package)!r}, which is not installed: read without "
            "it, so a baseUrl or paths alias it sets is not used; install the dependencies before scanning "
            "(e.g. npm ci) when it sets them"
        )
    if not_read.aliases:
        config, alias = min(not_read.aliases.items())
        others_count = len(not_read.aliases) - 1
        others = f" (and {plural(others_count, 'other bundler config')})" if others_count else ""
        note(
            f"{where}{plain(config)}{others} sets an alias in a form depreport does not read "
            f"({plain(alias)}): it runs no JavaScript, only paths written with strings, __dirname, "
            "path.resolve/join, fileURLToPath(new URL(...)) and process.cwd() are read; that alias is not "
            "used, so its imports may be counted as unresolved or as npm packages; give it in "
            f"depreport.toml, e.g. {ALIASES_EXAMPLE}"
        )
    if not_read.submodules:
        first, others_count = not_read.submodules[0], len(not_read.submodules) - 1
        others = f" and {plural(others_count, 'other')}" if others_count else ""
        note(
            f"{where}git submodule {plain(first)}{others} not scanned: a submodule is a repository of its "
            "own, its imports are not this one's; scan it on its own, and to say it is meant to be left out, "
            f"exclude it (--exclude '{plain(first)}/')"
        )
    if not_read.declarations:
        note(
            f"{where}{plural(not_read.declarations, 'declaration file')} (.d.ts, .pyi) not read: they "
            "declare types, and the imports in them are not counted; read them too with "
            "--include-declarations (or include_declarations = true in depreport.toml)"
        )
    files = not_read.files
    if not files:
        return
    counts = " and ".join(f"{plural(n, f'{ext} file')}" for ext, n in sorted(files.items()))
    note(
        f"{where}{counts} not read: the imports inside Vue and Svelte components, Astro pages and MDX are "
        "not counted (an import of such a file from a JS/TS file is); to say they are meant to be left out, "
        f"exclude them (--exclude '*{min(files)}', or `exclude` in depreport.toml)"
    )


# A specifier a bundler's alias may stand for: a name, then path segments (no scheme or spaces).
_ALIAS_LIKE = re.compile(r"[@~$\w][\w@~$.+-]*(?:/[\w@~$.+-]+)*/?(?:\?\S*)?")


def describe_unresolved(specifiers: Mapping[str, int], shown: int = 3) -> None:
    """Say which imports name neither a file nor a package (`specifiers`: each with its imports, as
    `Scan.unresolved` holds them), when they look like a bundler's aliases
    (`@/components/Button`, `~/utils`, SvelteKit's `$lib`): a legacy folder imported through one is not
    counted as that folder until the alias is given. Not URL, `virtual:` or `#` imports, absolute paths
    (`/vite.svg`), webpack's loader syntax (`!raw-loader!./a.txt`) or what names no module at all."""
    unresolved = {name: count for name, count in specifiers.items() if _ALIAS_LIKE.fullmatch(name)}
    if not unresolved:
        return
    examples = ", ".join(repr(name) for name in sorted(unresolved, key=lambda n: -unresolved[n])[:shown])
    imports = sum(unresolved.values())
    note(
        f"{plural(imports, 'import')} of {plural(len(unresolved), 'specifier')} "
        f"{'resolves' if imports == 1 else 'resolve'} to no file of the repo and no package "
        f"({examples}): if they are aliases a bundler's config sets in a form depreport does not read, "
        f"give them in a tsconfig's paths or in depreport.toml, e.g. {ALIASES_EXAMPLE}"
    )


def describe_aliases_read(aliases: Mapping[str, tuple[str, ...]], shown: int = 3) -> None:
    """Say which bundler configs gave aliases (`Scan.aliases_read`: config -> the aliases used from it),
    as their imports are counted under `tsconfig-paths` like a tsconfig's."""
    if not aliases:
        return
    configs = sorted(aliases)
    listed = "; ".join(
        f"{plain(config)}: {', '.join(repr(plain(a)) for a in aliases[config][:4])}"
        + (f" and {len(aliases[config]) - 4} more" if len(aliases[config]) > 4 else "")
        for config in configs[:shown]
    )
    more = f"; and {plural(len(configs) - shown, 'other config')}" if len(configs) > shown else ""
    note(
        f"aliases read from bundler configs ({listed}{more}): what they map resolves as tsconfig-paths, "
        "after the file's tsconfig paths; [aliases] in depreport.toml take precedence over them"
    )


def describe_config(config: Config) -> None:
    """Say a pyproject.toml [tool.depreport] table that depreport.toml took precedence over (not read)."""
    if config.unread:
        note(f"{config.unread} has a [tool.depreport] table that is not read: {config.source} takes "
             "precedence; move its settings into one of them and remove the other")  # fmt: skip


def describe_source_folders(packages: Mapping[str, int], shown: int = 3) -> None:
    """Say which packages no package.json declares name a folder of src/ (`Scan.source_folders`): a
    bundler resolving bare specifiers from src/ makes them the repo's own modules, which a group of their
    folder does not count until the alias is given."""
    if not packages:
        return
    examples = ", ".join(repr(name) for name in sorted(packages, key=lambda n: (-packages[n], n))[:shown])
    imports, one = sum(packages.values()), len(packages) == 1
    counted = "is counted as an npm package" if one else "are counted as npm packages"
    note(
        f"{plural(imports, 'import')} of {plural(len(packages), 'package')} no package.json declares "
        f"({examples}) {counted}, but src/ has a folder of {'that name' if one else 'each name'}: if the "
        f"bundler resolves bare imports from src/ (webpack's resolve.modules, NODE_PATH=src), say so in "
        f"depreport.toml: {SOURCE_FOLDERS_EXAMPLE}"
    )


def _by_reason(reasons: Iterable[str]) -> str:
    """How many problems of each reason: "2 syntax-error, 1 unreadable"."""
    return ", ".join(f"{count} {reason}" for reason, count in sorted(Counter(reasons).items()))
