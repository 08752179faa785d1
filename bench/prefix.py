"""Measure the prefix parse on the bench corpus: what it could skip, what it does skip, and that it is right.

For every JS/TS file of bench/.corpus/full (list: bench/.corpus/files.txt) in which an import keyword
occurs (the others are not parsed today either):

* ideal: from the whole file's tree, the end of the top-level statement holding the last
  import/export/require keyword that may bring a record (`prefix.last_keyword_end`: not an `export`
  that declares a local); the bytes after it are what any prefix parse could skip at best (also
  counted with every keyword, local exports included);
* names: whether any local name the file's imports bind occurs after that end (the `jsx` usage pass's
  own pattern); only files where none does could skip the rest of the parse once usage is extracted;
* actual: `depreport.extract.prefix.parse_prefix` (cut only where it is safe), its bytes and time
  against parsing the whole file, and whether `js.find_imports` on the prefix's tree finds exactly the
  imports (and import types) of the whole file's. Any difference is listed and fails the run;
* with usage: `extract_with_cut` (the prefix's tree kept when no use can follow the cut) against
  `extract_imports(..., whole=True)`: bytes not parsed, CPU seconds of both, and whether imports, uses
  and counts are equal on every file (a syntax error only after a kept cut is listed apart).

Times are CPU seconds of this process (`time.process_time`), taken file by file, side by side.

    python bench/prefix.py [--limit N] [--update-readme]
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

from bench.readme import load_average, write_between  # noqa: E402
from depreport.extract import extract_with_cut, js, jsx, prefix, tolerant  # noqa: E402
from depreport.scan.languages import language_for  # noqa: E402

CORPUS = BENCH / ".corpus"
BEGIN, END = "<!-- prefix:begin -->", "<!-- prefix:end -->"


@dataclass
class Tally:
    """Sums over the files parsed."""

    files: int = 0
    not_parsed: int = 0
    bytes: int = 0
    any_keyword_skip: int = 0  # after the statement of the last keyword, local exports included
    ideal_skip: int = 0
    ideal_tenth: int = 0  # files whose imports all end in the first 10% of the bytes
    no_name_after: int = 0
    no_name_after_bytes: int = 0  # bytes after the cut in those files
    binds_nothing: int = 0
    cut: int = 0
    cut_bytes: int = 0
    full_seconds: float = 0.0
    prefix_seconds: float = 0.0
    full_find_seconds: float = 0.0  # js.find_imports on the whole file's tree
    prefix_find_seconds: float = 0.0
    wrong: list[str] = field(default_factory=list)
    # extraction with usage (`extract_with_cut` against `whole=True`), over the same files
    whole_extract_seconds: float = 0.0
    cut_extract_seconds: float = 0.0
    kept: int = 0  # files whose prefix tree was enough, uses included
    kept_bytes: int = 0  # bytes after the cut in those files
    reparsed: int = 0  # files whose prefix was parsed, then the whole file for its uses
    differ: list[str] = field(default_factory=list)  # imports, uses or counts differ
    syntax_differ: list[str] = field(default_factory=list)  # only whether there is a syntax error


def measure(path: str, source: bytes, language: str, tally: Tally) -> None:
    """Add one file's numbers to the tally."""
    offsets = [m.span() for m in js.CANDIDATES.finditer(source)]
    if not offsets:
        tally.not_parsed += 1
        return
    started = time.process_time()
    whole = tolerant.parse(source, language)
    parsed_at = time.process_time()
    found = js.find_imports(whole.tree.root_node, source, offsets, language).found
    tally.full_seconds += parsed_at - started
    tally.full_find_seconds += time.process_time() - parsed_at
    last = prefix.last_keyword_end(source, offsets)
    any_keyword = _statement_end(whole, offsets[-1][0])
    ideal = _statement_end(whole, last - 1) if last else 0
    tally.files += 1
    tally.bytes += len(source)
    tally.any_keyword_skip += len(source) - any_keyword
    tally.ideal_skip += len(source) - ideal
    tally.ideal_tenth += ideal <= len(source) // 10
    names = jsx.imported_locals(found)
    tally.binds_nothing += not names
    if not names or not _words(names).search(source, ideal):
        tally.no_name_after += 1
        tally.no_name_after_bytes += len(source) - ideal
    started = time.process_time()
    parsed, cut = prefix.parse_prefix(source, language, last)
    parsed_at = time.process_time()
    mine = js.find_imports(
        parsed.tree.root_node, source[:cut], [o for o in offsets if o[1] <= cut], language
    ).found
    tally.prefix_seconds += parsed_at - started
    tally.prefix_find_seconds += time.process_time() - parsed_at
    if cut < len(source):
        tally.cut += 1
        tally.cut_bytes += len(source) - cut
    if mine != found or parsed.import_types != whole.import_types:
        tally.wrong.append(path)
    measure_extraction(path, source, language, tally, cut < len(source))


def measure_extraction(path: str, source: bytes, language: str, tally: Tally, cuttable: bool) -> None:
    """Extraction with usage, whole file against the prefix when the uses allow it."""
    started = time.process_time()
    whole = extract_with_cut(source, language, whole=True)[0]
    done = time.process_time()
    mine, cut = extract_with_cut(source, language)
    tally.whole_extract_seconds += done - started
    tally.cut_extract_seconds += time.process_time() - done
    tally.kept += cut < len(source)
    tally.kept_bytes += len(source) - cut
    tally.reparsed += cuttable and cut == len(source)
    if replace(mine, syntax_error=whole.syntax_error) != whole:
        tally.differ.append(path)
    elif mine != whole:
        tally.syntax_differ.append(path)


def _words(names: frozenset[str]) -> re.Pattern[bytes]:
    """Any whole-word occurrence of a name (a property or a call included: wider than the usage pass)."""
    alternatives = b"|".join(re.escape(name.encode("utf-8")) for name in sorted(names, key=len, reverse=True))
    return re.compile(rb"(?<![\w$])(?:" + alternatives + rb")(?![\w$])")


def _statement_end(parsed: tolerant.Parsed, offset: int) -> int:
    """The end of the top-level node holding `offset` (a statement, or a comment)."""
    node = parsed.tree.root_node.first_child_for_byte(offset)
    return node.end_byte if node is not None else parsed.tree.root_node.end_byte


def run(files: list[str], root: Path) -> Tally:
    """Measure every file of the list."""
    tally = Tally()
    for path in files:
        language = language_for(path)
        if language is None or language == "python":
            continue
        measure(path, (root / path).read_bytes(), language, tally)
    return tally


def _pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "n/a"


def _mb(size: int) -> str:
    return f"{size / 1e6:,.1f} MB"


def summary(tally: Tally, corpus_files: int) -> str:
    """The README section's table."""
    t = tally
    speedup = t.full_seconds / max(t.prefix_seconds, 1e-9)
    rows = [
        ("JS/TS files with an import keyword (parsed today)", f"{t.files:,} of {corpus_files:,}"),
        ("their bytes", _mb(t.bytes)),
        ("bytes after the statement of the last keyword, `export const`/`export {a}` included",
         f"{_mb(t.any_keyword_skip)} ({_pct(t.any_keyword_skip, t.bytes)})"),
        ("ideal: bytes after the statement of the last keyword that may bring a record",
         f"{_mb(t.ideal_skip)} ({_pct(t.ideal_skip, t.bytes)})"),
        ("ideal: files whose last keyword's statement ends in the first 10 %",
         f"{t.ideal_tenth:,} ({_pct(t.ideal_tenth, t.files)})"),
        ("files with no imported name after that statement",
         f"{t.no_name_after:,} ({_pct(t.no_name_after, t.files)}; {t.binds_nothing:,} bind no name at all)"),
        ("their bytes after that statement (could be skipped with usage extracted)",
         f"{_mb(t.no_name_after_bytes)} ({_pct(t.no_name_after_bytes, t.bytes)})"),
        ("prefix.py: files cut", f"{t.cut:,} ({_pct(t.cut, t.files)})"),
        ("prefix.py: bytes not parsed", f"{_mb(t.cut_bytes)} ({_pct(t.cut_bytes, t.bytes)})"),
        ("parse time, whole files (tolerant.parse, 1 process)", f"{t.full_seconds:.1f} s"),
        ("parse time, prefix.py (tries and fallbacks included)",
         f"{t.prefix_seconds:.1f} s ({speedup:.2f} times as fast)"),
        ("imports only (parse + find_imports), whole files -> prefix.py",
         f"{t.full_seconds + t.full_find_seconds:.1f} s -> {t.prefix_seconds + t.prefix_find_seconds:.1f} s"),
        ("files whose imports differ from the whole file's", f"{len(t.wrong)}"),
        ("with usage: files whose prefix tree is enough (no use can follow the cut)",
         f"{t.kept:,} ({_pct(t.kept, t.files)}; {t.reparsed:,} cut, then parsed whole for their uses)"),
        ("with usage: bytes not parsed", f"{_mb(t.kept_bytes)} ({_pct(t.kept_bytes, t.bytes)})"),
        ("extraction with usage (extract_imports, 1 process), whole files -> prefix when enough",
         f"{t.whole_extract_seconds:.1f} s -> {t.cut_extract_seconds:.1f} s "
         f"({_pct(t.whole_extract_seconds - t.cut_extract_seconds, t.whole_extract_seconds)} less)"),
        ("with usage: files whose imports, uses or counts differ", f"{len(t.differ)}"),
        ("with usage: files that differ only in a syntax error after the cut", f"{len(t.syntax_differ)}"),
    ]  # fmt: skip
    lines = ["| measure | value |", "|---|---:|", *(f"| {a} | {b} |" for a, b in rows)]
    load = f"{os.cpu_count()} cores, load {load_average()} (1/5/15 min) at the end of the run"
    return "\n".join([*lines, "", f"Machine: {load}."])


def main(argv: list[str] | None = None) -> int:
    """Run the measure; exit 1 when any file's imports (or, with usage, imports, uses or counts) differ."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="only the first N files of the list")
    parser.add_argument("--update-readme", action="store_true", help="write the table into bench/README.md")
    args = parser.parse_args(argv)
    listing = (CORPUS / "files.txt").read_text(encoding="utf-8").splitlines()
    files = listing[: args.limit] if args.limit else listing
    tally = run(files, CORPUS / "full")
    text = summary(tally, len(files))
    print(text)
    for path in tally.wrong:
        print(f"imports differ: {path}", file=sys.stderr)
    for path in tally.differ:
        print(f"extraction differs: {path}", file=sys.stderr)
    for path in tally.syntax_differ:
        print(f"syntax error only in the whole file: {path}", file=sys.stderr)
    if args.update_readme:
        write_between(BENCH / "README.md", BEGIN, END, text)
    return 1 if tally.wrong or tally.differ else 0


if __name__ == "__main__":
    sys.exit(main())
