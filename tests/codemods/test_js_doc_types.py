"""`import('x')` types in JSDoc comments follow the rules as imports do, or are reported; they were left
as they were without a word (Nx's migrate-mf-util-usage rewrites `@type {import('@nx/devkit').X}`)."""

from __future__ import annotations

import tomllib

import pytest

from codemods.rulefile import parse_rules
from codemods.runner import migrate_source

RULES = parse_rules(
    tomllib.loads(
        '[known_exports]\n"@nx/webpack" = ["ModuleFederationConfig", "Remotes"]\n'
        '[[rule]]\nfrom = "@nx/devkit"\nto = "@nx/webpack"\nmove = "listed"\n[rule.exports]\n'
        'ModuleFederationConfig = "ModuleFederationConfig"\nRemotesConfig = "Remotes"\n'
        '[[rule]]\nfrom = "old-ui"\nto = "new-ui"\n'
        '[[rule]]\nfrom = "@radix-ui/react-dialog"\nto = "radix-ui"\nas = "Dialog"\n'
    ),
    "rules.toml",
)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(  # Nx's migrate-mf-util-usage spec, "in JSDoc comments"
            "/**\n * @type {import('@nx/devkit').ModuleFederationConfig}\n **/\nconst config = {};\n",
            "/**\n * @type {import('@nx/webpack').ModuleFederationConfig}\n **/\nconst config = {};\n",
            id="listed-name",
        ),
        pytest.param(
            '/** @param {import("@nx/devkit").RemotesConfig} r */\nfunction f(r) {}\n',
            '/** @param {import("@nx/webpack").Remotes} r */\nfunction f(r) {}\n',
            id="renamed-name",
        ),
        pytest.param(
            "/** @type {typeof import('old-ui')} */\nlet ui;\n",
            "/** @type {typeof import('new-ui')} */\nlet ui;\n",
            id="whole-module-moved-as-it-is",
        ),
        pytest.param(
            "/** @type {import('@radix-ui/react-dialog').DialogProps} */\nlet props;\n",
            "/** @type {import('radix-ui').Dialog.DialogProps} */\nlet props;\n",
            id="module-become-an-export",
        ),
    ],
)
def test_a_doc_type_import_follows_the_rule(source: str, expected: str) -> None:
    result = migrate_source(source.encode(), "javascript", RULES)
    assert (result.source.decode(), result.notes) == (expected, ())
    assert migrate_source(result.source, "javascript", RULES).source == result.source


@pytest.mark.parametrize(
    ("source", "reported"),
    [
        pytest.param(
            "/** @type {typeof import('@nx/devkit')} */\nlet devkit;\n",
            "import('@nx/devkit') in a JSDoc comment left as it is: rule '@nx/devkit' renames or moves single "
            "exports; name the type taken from it by hand",
            id="whole-module-of-a-listed-move",
        ),
        pytest.param("/** @type {import('@nx/devkit').readJson} */\nlet f;\n", None, id="a-name-that-stays"),
        pytest.param("// const ui = import('old-ui')\n", None, id="not-a-doc-comment"),
    ],
)
def test_what_a_doc_type_import_cannot_follow_is_reported(source: str, reported: str | None) -> None:
    result = migrate_source(source.encode(), "javascript", RULES)
    assert result.source == source.encode()
    assert [note.message for note in result.notes] == ([reported] if reported else [])
