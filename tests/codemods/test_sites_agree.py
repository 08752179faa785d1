"""The extractor and the codemods classify JS/TS import sites alike.

They walk from opposite ends (the extractor from the keywords `import`/`export`/`require`, the codemods
from the module strings they may rewrite), so each file of the fixtures is read both ways and the
sites must be the same: (line of the statement or call, module string). Left out on purpose: trees with
syntax errors (the extractor recovers imports inside them; a rewrite never touches them) and module
strings of test-mock calls (`jest.mock('x')`: a codemods site, not an import).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from codemods.jssites import MODULE_CALLS, find_sites
from depreport.extract import extract_imports
from depreport.scan.languages import language_for, parser
from tests.conftest import FIXTURES

MOCK_CALLS = frozenset(f"{name}()" for name in MODULE_CALLS)


def by_codemods(source: bytes, language: str) -> set[tuple[int, str]]:
    root = parser(language).parse(source).root_node
    sites = find_sites(root, source, (b"",), lambda value: True)
    return {(site.node.start_point[0] + 1, site.specifier) for site in sites if site.what not in MOCK_CALLS}


def by_extractor(source: bytes, language: str) -> set[tuple[int, str]]:
    return {(record[0], record[3]) for record in extract_imports(source, language).imports}


def js_files() -> list[Path]:
    files = [
        p for p in sorted(FIXTURES.rglob("*")) if p.is_file() and language_for(str(p)) not in (None, "python")
    ]
    return [
        p for p in files if not parser(str(language_for(str(p)))).parse(p.read_bytes()).root_node.has_error
    ]


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            b"const webpack = require(/** @type {string} */ ('webpack'));\n", id="require-of-a-cast"
        ),
        pytest.param(
            b"export default `\n#ifdef USE_MAP\n#endif\n`;\nexport { a } from './a';\n",
            id="export-default-string",
        ),
        pytest.param(
            b"import {\n  a,\n  b as c,\n} from 'x';\nconst { d } = await import('y');\n", id="multi-line"
        ),
        pytest.param(
            b"import fs = require('fs');\nexport * from './all';\nrequire('side');\n", id="whole-module"
        ),
    ],
)
def test_both_find_the_same_sites(source: bytes) -> None:
    assert by_codemods(source, "typescript") == by_extractor(source, "typescript") != set()


def test_both_find_the_same_sites_in_every_fixture() -> None:
    files = js_files()
    assert len(files) > 100
    differ = {
        str(p.relative_to(FIXTURES))
        for p in files
        if by_codemods(p.read_bytes(), str(language_for(str(p))))
        != by_extractor(p.read_bytes(), str(language_for(str(p))))
    }
    assert differ == set()
