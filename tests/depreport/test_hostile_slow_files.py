"""Files that took time growing faster than their size: read in time linear in it, or, where tree-sitter
itself is slow, stopped at a deadline and named, the scan going on."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tree_sitter import Node

from depreport.config import load_config
from depreport.extract.clauses import binding_clauses, reexport_attributes, statement_at, statements
from depreport.extract.errorregions import ErrorRegions
from depreport.model import Extracted, ProblemReason, RawImport, Skipped, SourceFile
from depreport.runinfo import RunInfo
from depreport.scan.assembly import ScanOptions
from depreport.scan.extractions import blob_id, cache_key, decode
from depreport.scan.languages import parser, tree_of
from depreport.scan.pack import Pack, decode_pack, encode_pack
from depreport.scan.pipeline import Scan, scan
from depreport.scan.runner import Work, run_files
from tests.helpers import every_node, git, git_repo, write_files

# The regular expressions the linear readers replace (depreport/extract/clauses.py): the reference.
BINDING_CLAUSE = re.compile(rb"""\b(?:import|export)\b[^;'"`()]*?(?:\bfrom\b|=\s*require\b)""")
STATEMENT = re.compile(
    rb"""(?:import|export)\b[^;'"`(]*?\bfrom\s*(['"])[^'"\n]*\1\s*;?|import\s*(['"])[^'"\n]*\2\s*;?"""
)
GAP = rb"(?:\s|/\*(?:[^*]|\*(?!/))*\*/)*"
REEXPORT_ATTRIBUTES = re.compile(
    rb"""\bexport\b[^;'"`]*?\bfrom\s*(['"])[^'"\n]*\1""" + GAP + rb"((?:with|assert)" + GAP + rb"\{[^{}]*\})"
)
PIECES = [
    "import", "export", "from", "require", "=", " ", "\n", ";", "'", '"', "`", "(", ")", "a", "x",
    "{", "}", "*", "as", "type", "'m'", '"n"', "importer", "fromage", "=require", "$", "with", "assert",
    "/*", "*/", "/", "\t",
]  # fmt: skip
TEXTS = st.lists(st.sampled_from(PIECES), max_size=40).map(lambda parts: "".join(parts).encode())


@settings(max_examples=3000, deadline=None)
@given(TEXTS)
def test_binding_clauses_are_what_the_regular_expression_finds(text: bytes) -> None:
    assert binding_clauses(text) == [match.span() for match in BINDING_CLAUSE.finditer(text)]


@settings(max_examples=3000, deadline=None)
@given(TEXTS)
def test_reexport_attributes_are_what_the_regular_expression_finds(text: bytes) -> None:
    assert reexport_attributes(text) == [match.span(2) for match in REEXPORT_ATTRIBUTES.finditer(text)]


@settings(max_examples=3000, deadline=None)
@given(TEXTS, st.data())
def test_statements_are_what_the_regular_expression_matches(text: bytes, data: st.DataObject) -> None:
    starts = sorted(data.draw(st.sets(st.integers(0, len(text)), max_size=8)))
    ends = statements(text)  # asked at increasing positions, as the extractor does
    for start in starts:
        match = STATEMENT.match(text, start)
        assert statement_at(start, text, ends) == (None if match is None else match.group(0))


def walked_up(node: Node) -> bool:
    """Inside an ERROR node, asking each parent (the reference: right, and slow on deep trees)."""
    parent = node.parent
    while parent is not None:
        if parent.is_error:
            return True
        parent = parent.parent
    return False


BROKEN = [
    "import", "export", "{", "}", "(", ")", "<", ">", "a", ".", ",", ";", "\n", "'s'", "=", "from",
    "def", ":", "if", "/*", "*/", "`", "as", "import.meta", "require(",
]  # fmt: skip


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(BROKEN), max_size=30), st.sampled_from(["typescript", "tsx", "python"]))
def test_error_regions_hold_the_nodes_an_error_node_holds(parts: list[str], language: str) -> None:
    root = parser(language).parse(" ".join(parts).encode()).root_node
    regions = ErrorRegions(root)
    for node in every_node(root):  # the nodes the extractor asks about: the smallest holding a span
        if node.start_byte < node.end_byte and root.descendant_for_byte_range(*node.byte_range) == node:
            assert regions.holds(node) == walked_up(node), (node, node.type)


SLOW_BEFORE = {  # what each took before, at this size or less
    "import-200k": b"import " * 200_000,  # 35 KB of it took 7 s: a lazy regular expression per keyword
    "export-200k": b"export " * 200_000,
    "import-meta-10k": b"import.meta." * 10_000,  # 12 KB took 21 s: parents asked from each keyword
}


@pytest.mark.parametrize("text", SLOW_BEFORE.values(), ids=SLOW_BEFORE.keys())
def test_texts_that_took_quadratic_or_worse_time_are_read_in_time(text: bytes) -> None:
    code = (
        "import sys\nfrom depreport.extract import extract_imports\n"
        "found = extract_imports(b'import a from \"a\"\\n' + sys.stdin.buffer.read(), 'typescript')\n"
        "print(sorted({r.specifier for r in found.imports}))"
    )
    done = subprocess.run([sys.executable, "-c", code], input=text, capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode().strip().startswith("['a'")


# 8,000 lines of it took tree-sitter 10 s, and four times as long for twice as many.
UNCLOSED_COMMENTS = b"import a from 'a';\n" + b"/*a\n" * 40_000


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_file_the_parser_is_slow_on_is_stopped_named_and_the_scan_goes_on(
    tmp_path: Path, jobs: int
) -> None:
    files = [SourceFile("slow.ts", "typescript", len(UNCLOSED_COMMENTS), 0)]
    (tmp_path / "slow.ts").write_bytes(UNCLOSED_COMMENTS)
    for number in range(250):  # past the pool's threshold; each worker reads some after the slow one
        text = f"import {{ a{number} }} from 'lib{number}';\n"
        (tmp_path / f"f{number:03}.ts").write_text(text)
        files.append(SourceFile(f"f{number:03}.ts", "typescript", len(text), 0))
    work = Work(tmp_path, None, 2 * 1024 * 1024, file_seconds=0.5)
    results = {r.path: r for r in run_files(files, work, jobs=jobs)}
    slow = results.pop("slow.ts")
    assert isinstance(slow, Skipped) and slow.problem.reason == ProblemReason.TOO_SLOW.value
    assert "longer than 0.5 s" in slow.problem.message and "--exclude" in slow.problem.message
    assert len(results) == 250 and all(isinstance(r, Extracted) for r in results.values())
    for number in range(250):  # the parser stopped halfway was reset: each file reads as itself
        result = results[f"f{number:03}.ts"]
        assert isinstance(result, Extracted)
        assert [r.specifier for r in result.extraction.imports] == [f"lib{number}"]


def test_a_parse_interrupted_by_a_signal_leaves_the_parser_ready_for_the_next_text() -> None:
    import signal

    class Late(Exception):
        pass

    def late(_signal: int, _frame: object) -> None:
        raise Late

    previous = signal.signal(signal.SIGALRM, late)
    signal.setitimer(signal.ITIMER_REAL, 0.2)
    try:
        with pytest.raises(Late):
            tree_of("typescript", UNCLOSED_COMMENTS)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    root = tree_of("typescript", b"import x from 'y';\n").root_node
    assert (
        str(root)
        == "(program (import_statement (import_clause (identifier)) source: (string (string_fragment))))"
    )


SLOW = b"import a from 'a';\n" + b"/*a\n" * 1_000  # 0.2 s of tree-sitter: ten times the deadline below
INFO = RunInfo(repo="acme/web", commit="0" * 40, branch="main", generated_at="2026-01-05T10:00:00Z")


def scanned(
    root: Path, seconds: float | None, cache: Path | None = None, previous: Pack | None = None
) -> Scan:
    """A scan giving each file `seconds`; one without a cache keeps a pack, as a CI job that publishes."""
    options = ScanOptions(root, load_config(root), jobs=1, cache_dir=cache, file_seconds=seconds)
    return scan(options, INFO, previous=previous, keep=cache is None)


def committed(root: Path, files: dict[str, str | bytes]) -> None:
    write_files(root, files)
    git(root, "commit", "-qam", "change")


def carried(pack: Pack | None) -> Pack:
    """The pack as the next run gets it: encoded, stored, decoded."""
    assert pack is not None
    decoded = decode_pack(encode_pack(pack))
    assert decoded is not None
    return decoded


def test_a_file_stopped_at_the_deadline_is_not_read_again_until_the_deadline_is_longer(
    tmp_path: Path,
) -> None:
    """A too-slow outcome was not cached: any scan but a memo's (one file changed) spent the deadline on
    the same content again. It is kept by content id; a longer deadline than the one it overran reads it."""
    root = git_repo(tmp_path / "app", {"slow.ts": SLOW, "a.ts": "import b from 'b';\n"})
    first = scanned(root, 0.02, tmp_path / "cache")
    assert first.parsed == 2 and [(p["path"], p["reason"]) for p in first.problems] == [
        ("slow.ts", "too-slow")
    ]
    committed(root, {"a.ts": "import c from 'c';\n"})
    again = scanned(root, 0.02, tmp_path / "cache")
    assert again.parsed == 1 and again.problems == first.problems  # a.ts alone; slow.ts said as before
    committed(root, {"a.ts": "import d from 'd';\n"})
    longer = scanned(root, None, tmp_path / "cache")
    assert longer.parsed == 2 and "a" in longer.report["packages"]
    assert [(p["path"], p["reason"]) for p in longer.problems] == [
        ("slow.ts", "syntax-error")
    ]  # read, at last


def test_a_pack_keeps_a_file_stopped_at_the_deadline_until_it_is_read(tmp_path: Path) -> None:
    """A CI job scanning from the stored pack (other settings: the index is rebuilt from the pack's
    contents) spent the deadline on a too-slow content again; the pack now keeps its outcome, and the
    content's extraction in its place once a longer deadline read it."""
    root = git_repo(tmp_path / "app", {"slow.ts": SLOW, "a.ts": "import b from 'b';\n", "depreport.toml": ""})
    first = scanned(root, 0.02)
    committed(root, {"depreport.toml": '[[groups]]\nname = "B"\npackages = ["b"]\ntarget = true\n'})
    again = scanned(root, 0.02, previous=carried(first.pack))
    assert not again.restored and again.parsed == 0 and again.problems == first.problems
    committed(root, {"depreport.toml": '[[groups]]\nname = "C"\npackages = ["b"]\ntarget = true\n'})
    longer = scanned(root, None, previous=carried(again.pack))
    assert longer.parsed == 1 and [p["reason"] for p in longer.problems] == ["syntax-error"]
    assert longer.pack is not None
    kept = decode(longer.pack.extractions[cache_key(blob_id(SLOW), "typescript")])
    assert kept.stopped_after is None and [RawImport._make(i).specifier for i in kept.imports] == ["a"]
