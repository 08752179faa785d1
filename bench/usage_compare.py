"""Component usage: depreport's JSX instances and props against react-scanner's, on the bench sample.

    python bench/usage_compare.py [--runs 3] [--no-timing] [--examples 3] [--corpus sample|full]
    python bench/usage_compare.py --folder PATH --no-timing   # any checkout: its JS/TS files git lists

react-scanner (pinned in bench/peers) runs over bench/.corpus/sample with its `raw-report` processor
(one entry per JSX element, with the import it was tied to, its props and where it starts) and
`includeSubComponents: true`; depreport's `extract_imports` runs in-process on the same files. Every
instance react-scanner ties to an import is looked up among depreport's instances by
(file, line, component as written: the local name and its members), and their props are compared:
the prop names, the spread, and each literal value. Each difference is put in a named cause.
Then the extraction of the sample is timed with and without the usage pass (same run, best of N).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import tools

from depreport.extract import extract_imports
from depreport.model import EXPRESSION, SPREAD, Extraction, UseKind
from depreport.scan.languages import language_for

CORPUS = tools.BENCH / ".corpus"
# corpus name -> (folder, list of its files)
CORPORA = {
    "sample": (CORPUS / "sample", CORPUS / "sample.txt"),
    "full": (CORPUS / "full", CORPUS / "files.txt"),
}
OUT = tools.BENCH / ".results" / "usage"
CONFIG = """module.exports = {
  crawlFrom: process.env.BENCH_CRAWL_FROM,
  globs: ['**/*.{js,jsx,mjs,cjs,ts,tsx,mts,cts}'],
  includeSubComponents: true,
  processors: [['raw-report', { outputTo: process.env.BENCH_REPORT }]],
}
"""
# react-scanner writes a non-literal value as "(NodeType)".
_NODE_TYPE = re.compile(r"^\([A-Z][A-Za-z]+\)$")


@dataclass(frozen=True)
class Instance:
    """One JSX element as react-scanner reports it."""

    file: str
    line: int
    column: int
    written: str  # the name as written in the file: local binding plus members
    props: dict[str, object]
    spread: bool
    imported: bool


@dataclass
class Tally:
    """Counts and differences, each difference under its cause."""

    counts: Counter[str] = field(default_factory=Counter)
    causes: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def differ(self, cause: str, where: str) -> None:
        """Record one difference."""
        self.causes[cause].append(where)


def run_react_scanner(root: Path, out: Path) -> tuple[list[Instance], set[str]]:
    """react-scanner's instances over a corpus folder, and the files it could not parse."""
    out.mkdir(parents=True, exist_ok=True)
    config, report = out / "react-scanner.usage.config.js", out / "react-scanner.raw.json"
    config.write_text(CONFIG, encoding="utf-8")
    env = {"BENCH_CRAWL_FROM": str(root), "BENCH_REPORT": str(report)}
    command = tools.Command(["node", str(tools.REACT_SCANNER), "-c", str(config)], env=env)
    stderr = out / "react-scanner.stderr"
    run = tools.run_command(command, stderr)
    print(f"react-scanner: {run.wall:.1f} s", file=sys.stderr)
    failed = {
        str(Path(line.split(": ", 1)[1]).relative_to(root))
        for line in stderr.read_text("utf-8").splitlines()
        if line.startswith("Failed to parse: ")
    }
    return list(_instances(json.loads(report.read_text("utf-8")), [], root)), failed


def _instances(tree: dict[str, dict[str, object]], parents: list[str], root: Path) -> list[Instance]:
    found = []
    for name, entry in tree.items():
        for raw in entry.get("instances", []):  # type: ignore[attr-defined]
            info = raw.get("importInfo")
            path = [*parents, name]
            written = ".".join([info["local"] if info else path[0], *path[1:]])
            start = raw["location"]["start"]
            file = str(Path(raw["location"]["file"]).relative_to(root))
            found.append(
                Instance(
                    file,
                    start["line"],
                    start["column"],
                    written,
                    raw["props"],
                    raw["propsSpread"],
                    bool(info),
                )
            )
        found.extend(_instances(entry.get("components", {}), [*parents, name], root))  # type: ignore[arg-type]
    return found


def extract_sample(data: dict[str, tuple[bytes, str]], uses: bool = True) -> dict[str, Extraction]:
    """depreport's extraction of every file of the sample."""
    return {path: extract_imports(source, language, uses) for path, (source, language) in data.items()}


def compare(theirs: list[Instance], ours: dict[str, Extraction], failed: set[str]) -> Tally:
    """Match react-scanner's instances with depreport's; count agreements and explain differences."""
    tally = Tally()
    mine: dict[tuple[str, int, str], list[tuple[int, tuple[tuple[str, str], ...]]]] = defaultdict(list)
    for path, extraction in ours.items():
        for use in extraction.uses:
            if use.kind == UseKind.INSTANCE.value:
                tally.counts["depreport instances"] += 1
                written = ".".join(filter(None, (use.local, use.member)))
                mine[(path, use.line, written)].append((use.column, use.props))
    for key in mine:
        mine[key].sort()
    unmatched_theirs = defaultdict(list)
    for instance in sorted(theirs, key=lambda i: (i.file, i.line, i.column)):
        key = (instance.file, instance.line, instance.written)
        if not instance.imported:
            tally.counts["react-scanner instances not tied to an import (out of scope)"] += 1
            unmatched_theirs[key].append(instance)
            continue
        tally.counts["react-scanner instances tied to an import"] += 1
        if not mine.get(key):
            tally.differ(_why_missing(instance, ours[instance.file]), _where(instance))
            continue
        _column, props = mine[key].pop(0)
        tally.counts["found by depreport"] += 1
        _compare_props(instance, props, tally)
    for (path, line, written), left in mine.items():
        for _leftover in left:
            cause = _why_extra(path, written, ours[path], failed, unmatched_theirs.get((path, line, written)))
            tally.differ(cause, f"{path}:{line} <{written}>")
    return tally


def _why_missing(instance: Instance, extraction: Extraction) -> str:
    local = instance.written.split(".")[0]
    records = [r for r in extraction.imports if r.local == local]
    if records and all(r.type_only for r in records):
        return "react-scanner: a type-only import tied to an element (not a value binding)"
    if records:
        return "react-scanner: element of a name a local declaration hides (shadowing)"
    return "depreport: element missed (to fix)"


def _why_extra(
    path: str, written: str, extraction: Extraction, failed: set[str], untied: list[Instance] | None
) -> str:
    local = written.split(".")[0]
    kinds = {r.kind for r in extraction.imports if r.local == local}
    if path in failed:
        return "react-scanner: could not parse the file"
    if kinds and not kinds & {"import"}:
        return f"react-scanner: reads only import declarations (binding from {'/'.join(sorted(kinds))})"
    if untied:
        return "react-scanner: element found but not tied to its import"
    return "depreport: instance react-scanner does not report (to check)"


def _compare_props(instance: Instance, props: tuple[tuple[str, str], ...], tally: Tally) -> None:
    named = [(name, value) for name, value in props if name != SPREAD]
    spread = any(name == SPREAD for name, _ in props)
    where = _where(instance)
    # react-scanner keys props by name, and a namespaced name (`xlink:href`) by its name object
    keys = {("[object Object]" if ":" in name else name) for name, _ in named}
    if spread != instance.spread:
        tally.differ("props: spread differs (to fix)", where)
    elif keys != set(instance.props):
        tally.differ("props: names differ (to fix)", where)
    elif len(named) != len(instance.props):
        tally.differ("props: react-scanner keeps one entry per name (repeated or namespaced names)", where)
    else:
        tally.counts["same prop names, count and spread"] += 1
    values = dict(named)
    for name, theirs in instance.props.items():
        if name in values:
            tally.counts["literal values compared"] += 1
            cause = _value_cause(theirs, values[name])
            if cause is None:
                tally.counts["same value"] += 1
            else:
                tally.differ(cause, f"{where} {name}: {theirs!r} vs {values[name]}")


def _value_cause(theirs: object, ours: str) -> str | None:
    """None when both sides say the same; else why not."""
    if isinstance(theirs, str) and _NODE_TYPE.match(theirs):
        if ours == EXPRESSION:
            return None
        return {
            "(TemplateLiteral)": "values: react-scanner gives no value for a template literal without ${}",
            "(UnaryExpression)": "values: react-scanner gives no value for a negative number",
        }.get(theirs, f"values: react-scanner {theirs} read as a literal by depreport (to check)")
    if theirs is None:
        return None if ours in ("true", "null") else "values: bare or null attribute (to fix)"
    if isinstance(theirs, dict):
        return None if ours == EXPRESSION else "values: regular expression literal (to fix)"
    if isinstance(theirs, bool):
        return None if ours == json.dumps(theirs) else "values: boolean differs (to fix)"
    if isinstance(theirs, (int, float)):
        expected = str(int(theirs)) if float(theirs).is_integer() else repr(float(theirs))
        return None if ours == expected else "values: number differs (to fix)"
    return None if ours == json.dumps(theirs) else "values: string differs (to fix)"


def _where(instance: Instance) -> str:
    return f"{instance.file}:{instance.line} <{instance.written}>"


@dataclass(frozen=True)
class Timing:
    """Best wall-clock and best CPU seconds of extracting the sample, without and with usage."""

    wall: tuple[float, float]
    cpu: tuple[float, float]


def time_extraction(data: dict[str, tuple[bytes, str]], runs: int) -> Timing:
    """Extract the sample without and with the usage pass, in alternation, `runs` times each.

    CPU seconds of this process are kept beside wall clock: other work on the machine moves them less.
    """
    wall: dict[bool, list[float]] = {False: [], True: []}
    cpu: dict[bool, list[float]] = {False: [], True: []}
    for _ in range(runs):
        for uses in (False, True):
            start, start_cpu = time.perf_counter(), time.process_time()
            extract_sample(data, uses)
            wall[uses].append(time.perf_counter() - start)
            cpu[uses].append(time.process_time() - start_cpu)
    return Timing((min(wall[False]), min(wall[True])), (min(cpu[False]), min(cpu[True])))


def read_sample(corpus: str = "sample") -> dict[str, tuple[bytes, str]]:
    """The files of a corpus (path -> content, language), read once."""
    root, listing = CORPORA[corpus]
    return read_files(root, listing.read_text("utf-8").splitlines())


def read_folder(root: Path) -> dict[str, tuple[bytes, str]]:
    """The JS/TS files git lists in a checkout (path -> content, language), outside node_modules."""
    listed = subprocess.run(
        ["git", "-C", str(root), "ls-files", "-z"], check=True, capture_output=True
    ).stdout.decode("utf-8", "replace")
    paths = [p for p in listed.split("\0") if p and "node_modules/" not in p]
    return read_files(root, [p for p in paths if language_for(p) not in (None, "python")])


def read_files(root: Path, paths: list[str]) -> dict[str, tuple[bytes, str]]:
    """The given files under `root` (path -> content, language), read once."""
    data = {}
    for path in paths:
        language = language_for(path)
        if language is not None:
            data[path] = ((root / path).read_bytes(), language)
    return data


def print_tally(tally: Tally, examples: int) -> None:
    """The agreement numbers, then every difference grouped by cause."""
    for name, count in tally.counts.items():
        print(f"{name}: {count}")
    for cause, places in sorted(tally.causes.items(), key=lambda item: -len(item[1])):
        print(f"\n{cause}: {len(places)}")
        for place in places[:examples]:
            print(f"  {place}")


def main(argv: list[str] | None = None) -> int:
    """Run both sides, compare, time; exit 1 when a difference has no known cause."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-timing", action="store_true")
    parser.add_argument("--examples", type=int, default=3)
    parser.add_argument("--corpus", choices=sorted(CORPORA), default="sample")
    parser.add_argument("--folder", type=Path, help="a checkout to compare on instead of a corpus")
    args = parser.parse_args(argv)
    tools.install_peers()
    if args.folder is not None:
        root, data = args.folder.resolve(), read_folder(args.folder)
        theirs, failed = run_react_scanner(root, OUT / "folder")
        theirs = [i for i in theirs if i.file in data]  # react-scanner also crawls what git ignores
    else:
        data = read_sample(args.corpus)
        theirs, failed = run_react_scanner(CORPORA[args.corpus][0], OUT / args.corpus)
    ours = extract_sample(data)
    tally = compare(theirs, ours, failed)
    print_tally(tally, args.examples)
    values = Counter(f"{use.via}" for e in ours.values() for use in e.uses if use.kind == UseKind.VALUE.value)
    print(f"\ndepreport value uses (react-scanner has none): {dict(values.most_common())}")
    if not args.no_timing:
        timing = time_extraction(data, args.runs)
        for name, (without, with_uses) in (("wall clock", timing.wall), ("CPU", timing.cpu)):
            print(
                f"extraction of {len(data)} files, best of {args.runs}, {name}: without usage "
                f"{without:.2f} s, with usage {with_uses:.2f} s, ratio {with_uses / without:.3f}"
            )
    unknown = [cause for cause in tally.causes if "(to fix)" in cause or "(to check)" in cause]
    return 1 if unknown else 0


if __name__ == "__main__":
    sys.exit(main())
