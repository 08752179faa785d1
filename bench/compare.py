"""Compare depreport's import records with the reference extractor's (bench/peers/reference.js).

Both sides are JSON Lines files with one import record per line. A record is compared by the key
(file, line, kind, specifier, export); `local`, `column` and `type_only` are not part of it. The key is a
multiset: two identical imports on one line must be found twice. Agreement is matched / (matched +
only-in-depreport + only-in-reference).

The reference speaks depreport's vocabulary already (see reference.js), so normalising is small:
kinds pass through KIND_ALIASES, and files the reference could not parse are left out of both sides.
Each record found on one side only is put in a category, by looking for a partner on the other side
that differs in exactly one part of the key (line, kind, export or specifier).

    python bench/compare.py DEPREPORT.jsonl REFERENCE.jsonl [--root CORPUS] [--report REPORT.json]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

# Different names for one kind. Both sides use depreport's names today; kept as the one place to map.
KIND_ALIASES: dict[str, str] = {"import_equals": "import-equals", "sideeffect": "side-effect"}
EXAMPLES_PER_CATEGORY = 3


class Key(NamedTuple):
    """What identifies one import record in the comparison."""

    file: str
    line: int
    kind: str
    specifier: str
    export: str


@dataclass
class RecordSet:
    """The records of one side, plus the files it could not parse or parsed with errors."""

    keys: Counter[Key] = field(default_factory=Counter)
    failed_files: set[str] = field(default_factory=set)
    error_files: set[str] = field(default_factory=set)


@dataclass
class Category:
    """Disagreements of one kind, with a few examples."""

    name: str
    count: int = 0
    examples: list[str] = field(default_factory=list)


@dataclass
class Comparison:
    """The outcome: counts, agreement and categories of disagreement."""

    matched: int
    only_depreport: int
    only_reference: int
    files_compared: int
    files_left_out: int
    categories: list[Category]

    @property
    def agreement(self) -> float:
        """Matched records over all distinct records of either side, in percent."""
        total = self.matched + self.only_depreport + self.only_reference
        return 100.0 * self.matched / total if total else 100.0


def load_records(path: Path) -> RecordSet:
    """Read a JSON Lines record file (depreport's `--format jsonl`, or reference.js output)."""
    records = RecordSet()
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            if "parse_error" in row:
                records.failed_files.add(row["file"])
            elif "recovered_errors" in row:
                records.error_files.add(row["file"])
            else:
                kind = KIND_ALIASES.get(row["kind"], row["kind"])
                key = Key(row["file"], int(row["line"]), kind, row["specifier"], str(row["export"]))
                records.keys[key] += 1
    return records


def syntax_error_files(report_path: Path) -> set[str]:
    """Files that depreport's JSON report lists with a syntax-error problem."""
    report = json.loads(report_path.read_text(encoding="utf-8"))
    return {p["path"] for p in report.get("problems", []) if p.get("reason") == "syntax-error"}


# Ways two unmatched records can be partners: the parts of the key they must share, and what differs.
_PARTNERS: list[tuple[str, Callable[[Key], tuple[object, ...]]]] = [
    ("line", lambda k: (k.file, k.kind, k.specifier, k.export)),
    ("kind", lambda k: (k.file, k.line, k.specifier, k.export)),
    ("export", lambda k: (k.file, k.line, k.kind, k.specifier)),
    ("specifier", lambda k: (k.file, k.line, k.kind, k.export)),
]


def _expand(counter: Counter[Key]) -> list[Key]:
    return sorted(counter.elements())


def pair_up(ours: list[Key], theirs: list[Key]) -> tuple[list[tuple[str, Key, Key]], list[Key], list[Key]]:
    """Pair records that differ in one part of the key; return the pairs and what is left on each side."""
    pairs: list[tuple[str, Key, Key]] = []
    for part, project in _PARTNERS:
        waiting: dict[tuple[object, ...], list[Key]] = defaultdict(list)
        for key in theirs:
            waiting[project(key)].append(key)
        left: list[Key] = []
        for key in ours:
            partners = waiting.get(project(key))
            if partners:
                pairs.append((part, key, partners.pop(0)))
            else:
                left.append(key)
        ours, theirs = left, [k for keys in waiting.values() for k in keys]
    return pairs, ours, sorted(theirs)


def _source_line(root: Path | None, key: Key) -> str:
    if root is None:
        return ""
    try:
        lines = (root / key.file).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    text = lines[key.line - 1].strip() if 0 < key.line <= len(lines) else ""
    return f"  `{text[:140]}`"


def _describe(key: Key) -> str:
    return f"{key.file}:{key.line} {key.kind} {key.specifier!r} export={key.export!r}"


def categorise(
    only_ours: Counter[Key], only_theirs: Counter[Key], errors: set[str], root: Path | None
) -> list[Category]:
    """Sort the unmatched records into named categories with examples."""
    found: dict[str, Category] = {}

    def note(name: str, example: str) -> None:
        category = found.setdefault(name, Category(name))
        category.count += 1
        if len(category.examples) < EXAMPLES_PER_CATEGORY:
            category.examples.append(example)

    pairs, left_ours, left_theirs = pair_up(_expand(only_ours), _expand(only_theirs))
    for part, ours, theirs in pairs:
        name = f"{part} differs ({ours.kind})"
        if part == "kind":
            name = f"kind differs: depreport {ours.kind}, reference {theirs.kind}"
        value = {
            "line": theirs.line,
            "kind": theirs.kind,
            "export": theirs.export,
            "specifier": theirs.specifier,
        }
        note(name, f"{_describe(ours)}; reference {part}={value[part]!r}{_source_line(root, ours)}")
    for side, keys in (("depreport", left_ours), ("reference", left_theirs)):
        for key in keys:
            broken = " (file has syntax errors)" if key.file in errors else ""
            note(f"only in {side}: {key.kind}{broken}", _describe(key) + _source_line(root, key))
    return sorted(found.values(), key=lambda c: (-c.count, c.name))


def compare(ours: RecordSet, theirs: RecordSet, errors: set[str], root: Path | None = None) -> Comparison:
    """Compare two record sets, leaving out files either side could not parse."""
    left_out = ours.failed_files | theirs.failed_files

    def kept(keys: Iterable[tuple[Key, int]]) -> Counter[Key]:
        return Counter({k: n for k, n in keys if k.file not in left_out})

    a, b = kept(ours.keys.items()), kept(theirs.keys.items())
    only_a, only_b = a - b, b - a
    files = {k.file for k in a} | {k.file for k in b}
    return Comparison(
        matched=sum((a & b).values()),
        only_depreport=sum(only_a.values()),
        only_reference=sum(only_b.values()),
        files_compared=len(files),
        files_left_out=len(left_out),
        categories=categorise(only_a, only_b, errors | theirs.error_files, root),
    )


def format_comparison(result: Comparison) -> str:
    """A plain-text summary with the categories and their examples."""
    lines = [
        f"agreement: {result.agreement:.3f}% ({result.matched} matched, {result.only_depreport} only in "
        f"depreport, {result.only_reference} only in reference; {result.files_compared} files with imports, "
        f"{result.files_left_out} left out because the reference could not parse them)",
    ]
    for category in result.categories:
        lines.append(f"  {category.count:6d}  {category.name}")
        lines.extend(f"            e.g. {example}" for example in category.examples)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Compare two record files and print the agreement and the categories of disagreement."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("depreport", type=Path, help="depreport scan --format jsonl output")
    parser.add_argument("reference", type=Path, help="reference.js output")
    parser.add_argument("--root", type=Path, help="corpus folder, to quote source lines in examples")
    parser.add_argument("--report", type=Path, help="depreport --format json report, for syntax-error files")
    args = parser.parse_args(argv)
    errors = syntax_error_files(args.report) if args.report else set()
    result = compare(load_records(args.depreport), load_records(args.reference), errors, args.root)
    print(format_comparison(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
