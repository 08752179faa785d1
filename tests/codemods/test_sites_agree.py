"""The extractor and the codemods classify JS/TS import sites through the one classifier.

They walk from opposite ends (the extractor from the keywords `import`/`export`/`require`, the codemods
from the module strings they may rewrite); both ask depreport.extract.sites what a statement or call is.
Each file of the fixtures is read three ways (every string of the tree put to the classifier, the
extractor's records, the codemods' sites) and the sites must be the same: (line of the statement or
call, module string). Test-mock calls (`jest.mock('x')`) are sites of the codemods, not imports. Left
out on purpose: trees with syntax errors (the extractor recovers imports inside them; a rewrite never
touches them).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tree_sitter import Node

from codemods import jssites
from codemods.jssites import find_sites
from depreport.extract import extract_imports, js, sites
from depreport.extract.sites import Form, site_of_string
from depreport.scan.languages import language_for, parser
from tests.conftest import FIXTURES


def _strings(node: Node) -> Iterator[Node]:
    if node.type in ("string", "template_string"):
        yield node
    for child in node.children:
        yield from _strings(child)


def by_classifier(source: bytes, language: str) -> tuple[set[tuple[int, str]], set[tuple[int, str]]]:
    """(imports, module calls) the classifier finds at the strings of a tree."""
    found = [site_of_string(s) for s in _strings(parser(language).parse(source).root_node)]
    read = [(site.node.start_point[0] + 1, str(site.value), site.form) for site in found if site is not None]
    imports = {(line, value) for line, value, form in read if form is not Form.MODULE_CALL}
    return imports, {(line, value) for line, value, form in read if form is Form.MODULE_CALL}


def by_codemods(source: bytes, language: str) -> set[tuple[int, str]]:
    root = parser(language).parse(source).root_node
    return {(_line(site), site.specifier) for site in find_sites(root, source, (b"",), lambda value: True)}


def _line(site: jssites.Site) -> int:
    """The line of the statement or call: a member site's node is the member expression, which starts
    before the call when the call is wrapped (`(⏎ await import('x')⏎).a`)."""
    node: Node | None = site.node
    if site.kind is jssites.SiteKind.MEMBER:
        node = site.string
        while node is not None and node.type != "call_expression":
            node = node.parent
    assert node is not None
    return node.start_point[0] + 1


def by_extractor(source: bytes, language: str) -> set[tuple[int, str]]:
    return {(record.line, record.specifier) for record in extract_imports(source, language).imports}


def agree(source: bytes, language: str) -> bool:
    imports, calls = by_classifier(source, language)
    return by_extractor(source, language) == imports and by_codemods(source, language) == imports | calls


def js_files() -> list[Path]:
    files = [
        p for p in sorted(FIXTURES.rglob("*")) if p.is_file() and language_for(str(p)) not in (None, "python")
    ]
    return [
        p for p in files if not parser(str(language_for(str(p)))).parse(p.read_bytes()).root_node.has_error
    ]


def test_both_read_module_strings_with_the_classifiers_functions() -> None:
    used = {
        js: ("string_value", "site_of_call", "site_of_statement"),
        jssites: ("string_value", "site_of_string"),
    }
    for module, names in used.items():
        assert [vars(module)[name] for name in names] == [vars(sites)[name] for name in names]


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
        pytest.param(
            b"import a from 'x\\u0079';\nconst b = require(`lodash\\x2fdebounce`);\nexport * from '.\\/c';\n",
            id="escapes",
        ),
        pytest.param(b"jest.mock('./a');\nconst b = jest.requireActual('b');\n", id="module-calls"),
    ],
)
def test_both_find_the_same_sites(source: bytes) -> None:
    assert agree(source, "typescript")
    assert by_codemods(source, "typescript") != set()


@pytest.mark.parametrize(
    ("source", "value", "type_only"),
    [
        pytest.param(b"import a from 'x\\u0079';", "xy", False, id="unicode-escape"),
        pytest.param(b"export { a } from 'lodash\\x2fdebounce';", "lodash/debounce", False, id="hex-escape"),
        pytest.param(b"const a = require(`a\\\\b`);", "a\\b", False, id="backslash-in-a-template"),
        pytest.param(b"import type a = require('x');", "x", True, id="import-type-equals"),
        pytest.param(b"export type * from 'x';", "x", True, id="export-type-star"),
        pytest.param(b"let a: import('x').T;", "x", True, id="import-call-in-a-type"),
        pytest.param(b"type T = typeof import('x');", "x", True, id="typeof-import-call"),
    ],
)
def test_both_read_a_module_string_and_its_type_alike(source: bytes, value: str, type_only: bool) -> None:
    [record] = extract_imports(source, "typescript").imports
    root = parser("typescript").parse(source).root_node
    [site] = find_sites(root, source, (b"",), lambda value: True)
    assert (record.specifier, record.type_only) == (site.specifier, site.type_only) == (value, type_only)


def test_both_find_the_same_sites_in_every_fixture() -> None:
    files = js_files()
    assert len(files) > 100
    differ = {
        str(p.relative_to(FIXTURES)) for p in files if not agree(p.read_bytes(), str(language_for(str(p))))
    }
    assert differ == set()
