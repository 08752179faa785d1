"""Extraction time grows with the size of a file, not with its square: one shape repeated 2n times takes
about twice as long as n times, however deep or broken the tree it makes.

The first shapes below once took time growing as the square (`import(` 4,000 times nested: 0.54 s, 3.6
times the time of 2,000; `import('a').a`: 4.7 times): the extractor asked tree-sitter for parents, each
answer costing the depth of the tree (see `depreport.extract.ancestry`), copied the text of nested error
nodes, counted rows from the start of the file and searched each long line from its start.
"""

from __future__ import annotations

import time

import pytest

from depreport.extract import extract_imports

HEAD = b"import a from 'a'\nimport A from 'A'\n"
SHAPES = {  # (what comes once, what is repeated, grammar)
    "nested-dynamic-import": (HEAD, b"import(", "typescript"),
    "less-than": (HEAD, b"a<", "javascript"),
    "keyword-member": (HEAD, b"in: ", "typescript"),
    "import-equals": (HEAD, b"import a = ", "typescript"),
    "export-import-equals": (HEAD, b"export import a = require(", "typescript"),
    "import-member": (HEAD, b"import('a').a", "typescript"),
    "import-type-member": (HEAD, b"type X = import('a').", "typescript"),
    "reexport-attributes": (HEAD, b"export from 'a' with {", "typescript"),
    # real shapes, linear already: they stay so
    "import": (b"", b"import a from 'a'\n", "typescript"),
    "reexport": (b"", b"export { default as A } from './a'\n", "typescript"),
    "require": (b"", b"const a = require('a')\n", "javascript"),
    "python-from": (b"", b"from a import b\n", "python"),
    "jsx": (HEAD, b"<A/>;\n", "tsx"),
}
ENOUGH = 0.05  # seconds at n: long enough that the ratio is not noise
QUADRATIC = 4.0
BOUND = 3.0


def cpu_seconds(source: bytes, language: str) -> float:
    """The least CPU time of three extractions (CPU, not wall: other processes on the machine do not count)."""
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


# Left: each `[type in ` is masked (`typ$`), and telling the tree of each mask costs tree-sitter (Tree.edit,
# in C) the children of the flat error before it: 4 ns each, 0.4 s for 8,000 masks. One edit for all of
# them would change which parts the parse after it reuses, and so perhaps the tree of a broken file.
SQUARE_IN_TREE_SITTER = {"mapped-type-key": (HEAD, b"[type in ", "typescript")}
PARAMS = [pytest.param(shape, id=name) for name, shape in SHAPES.items()] + [
    pytest.param(shape, id=name, marks=pytest.mark.xfail(reason="Tree.edit", strict=False))
    for name, shape in SQUARE_IN_TREE_SITTER.items()
]


@pytest.mark.parametrize("shape", PARAMS)
def test_twice_the_text_takes_about_twice_the_time(shape: tuple[bytes, bytes, str]) -> None:
    ratios = []
    for _ in range(3):  # a busy machine slows one measurement: linear once is linear
        n, once, twice = growth(*shape)
        ratios.append(twice / once)
        if ratios[-1] < BOUND:
            return
    pytest.fail(
        f"{n} -> {2 * n} repetitions: {once:.3f} s -> {twice:.3f} s; ratios {ratios} (square: {QUADRATIC})"
    )
