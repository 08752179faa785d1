"""Benchmark: extraction time grows with the size of a file, not with its square.

One shape repeated n and 2n times: the time should double (ratio ~2), not quadruple (square: 4),
however deep or broken the tree it makes. The first shapes once took time growing as the square
(`import(` 4,000 times nested: 0.54 s, 3.6 times the time of 2,000; `import('a').a`: 4.7 times): the
extractor asked tree-sitter for parents, each answer costing the depth of the tree (see
`depreport.extract.ancestry`), copied the text of nested error nodes, counted rows from the start of the
file and searched each long line from its start. Each file also has the per-file deadline
(`depreport.scan.runner.FILE_SECONDS`) whatever its shape.

CPU time (not wall: other processes on the machine count less), best of three extractions; n starts at
2,000 and doubles until n repetitions take 50 ms, so that the ratio is not noise.

    python bench/scaling.py [--update-readme]   # about a minute
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

from bench.readme import load_average, show  # noqa: E402
from depreport.extract import extract_imports  # noqa: E402

README = BENCH / "README.md"
BEGIN, END = "<!-- scaling:begin -->", "<!-- scaling:end -->"
HEAD = b"import a from 'a'\nimport A from 'A'\n"  # so that uses of imported names are read too
SHAPES = {  # (what comes once, what is repeated, grammar)
    "`import(` nested": (HEAD, b"import(", "typescript"),
    "`a<` (JS)": (HEAD, b"a<", "javascript"),
    "`in: `": (HEAD, b"in: ", "typescript"),
    "`[type in `": (HEAD, b"[type in ", "typescript"),
    "`import a = `": (HEAD, b"import a = ", "typescript"),
    "`export import a = require(`": (HEAD, b"export import a = require(", "typescript"),
    "`import('a').a`": (HEAD, b"import('a').a", "typescript"),
    "`type X = import('a').`": (HEAD, b"type X = import('a').", "typescript"),
    "`export from 'a' with {`": (HEAD, b"export from 'a' with {", "typescript"),
    "`{ a: A⏎ <T>(s: T): T⏎ b: ` nested": (
        HEAD + b"type T = ",
        b"{\n a: A\n  <T>(s: T): T\n b: ",
        "typescript",
    ),
    # real shapes
    "`import a from 'a'` lines": (b"", b"import a from 'a'\n", "typescript"),
    "`export { default as A } from './a'` lines": (
        b"",
        b"export { default as A } from './a'\n",
        "typescript",
    ),
    "`const a = require('a')` lines": (b"", b"const a = require('a')\n", "javascript"),
    "Python `from a import b` lines": (b"", b"from a import b\n", "python"),
    "JSX `<A/>;` lines": (HEAD, b"<A/>;\n", "tsx"),
}
ENOUGH = 0.05  # seconds at n


def cpu_seconds(source: bytes, language: str) -> float:
    """The least CPU time of three extractions."""
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        extract_imports(source, language)
        best = min(best, time.process_time() - start)
    return best


def growth(head: bytes, unit: bytes, language: str) -> tuple[int, float, float]:
    """n (at least 2,000, doubled until n repetitions take `ENOUGH`), and the times of n and 2n."""
    n = 2000
    while (took := cpu_seconds(head + unit * n, language)) < ENOUGH and n < 64_000:
        n *= 2
    return n, took, cpu_seconds(head + unit * 2 * n, language)


def table() -> str:
    lines = [
        "| shape repeated | n | n times | 2n times | ratio (linear 2, square 4) |",
        "|---|---:|---:|---:|---:|",
    ]
    start = load_average()
    for name, shape in SHAPES.items():
        n, once, twice = growth(*shape)
        lines.append(f"| {name} | {n:,} | {once:.3f} s | {twice:.3f} s | {twice / once:.2f} |")
    lines += ["", f"CPU seconds, best of 3; load average {start} at the start, {load_average()} at the end."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update-readme", action="store_true")
    args = parser.parse_args(argv)
    text = table()
    show(text, args.update_readme, README, BEGIN, END)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
