"""Rules files: what a rule matches, and errors that name the rule and the key."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from codemods.rulefile import load_rules, parse_rules
from codemods.rules import Locals, Target
from codemods.runner import migrate_source
from depreport.errors import EXIT_USAGE, ConfigError


def rules(text: str):  # type: ignore[no-untyped-def]
    return parse_rules(tomllib.loads(text), "rules.toml")


def test_full_rule_compiles() -> None:
    ruleset = rules(
        """
        [known_exports]
        "evergreen-ui" = ["Button", "default"]
        [[rule]]
        id = "buttons"
        from = "evergreen-buttons"
        to = "evergreen-ui"
        default = "Button"
        move = "listed"
        locals = "rename"
        [rule.exports]
        BackButton = "Button"
        Cog = "evergreen-icons:CogIcon"
        Logo = "default"
        """
    )
    rule = ruleset.rules[0]
    assert rule.id == "buttons" and not rule.move_all and rule.locals is Locals.RENAME
    assert rule.exports == {
        "BackButton": Target(None, "Button"), "Cog": Target("evergreen-icons", "CogIcon"),
        "Logo": Target(None, "default"), "default": Target(None, "Button"),
    }  # fmt: skip
    assert ruleset.exports_of("evergreen-ui") == frozenset({"Button", "default"})
    match = ruleset.match("evergreen-buttons", "js")
    assert match is not None
    assert match.target("Cog") == Target("evergreen-icons", "CogIcon")
    assert match.target("Pane") is None  # move = "listed": not listed, stays


@pytest.mark.parametrize(
    ("source", "to", "specifier", "expected"),
    [
        pytest.param("evergreen-buttons", "evergreen-ui", "evergreen-buttons", "evergreen-ui", id="exact"),
        pytest.param("evergreen-buttons", "evergreen-ui", "evergreen-buttons/x", None, id="exact-no-subpath"),
        pytest.param("evergreen-*", "evergreen-ui", "evergreen-layers", "evergreen-ui", id="star"),
        pytest.param("evergreen-*", "evergreen-ui", "evergreen-ui", None, id="never-its-own-target"),
        pytest.param("evergreen-*", "evergreen-ui", "evergreen-layers/sub", None, id="star-one-segment"),
        pytest.param(
            "@material-ui/core/**", "@mui/material/**", "@material-ui/core", "@mui/material", id="tail-bare"
        ),
        pytest.param(
            "@material-ui/core/**",
            "@mui/material/**",
            "@material-ui/core/styles/x",
            "@mui/material/styles/x",
            id="tail-deep",
        ),
        pytest.param(
            "@material-ui/core/**", "@mui/material/**", "@material-ui/corex", None, id="tail-not-prefix"
        ),
        pytest.param("lodash/*", "lodash-es/*", "lodash/debounce", "lodash-es/debounce", id="star-keeps"),
        pytest.param("@old/**/icons", "@new/**/icons", "@old/a/b/icons", "@new/a/b/icons", id="double-star"),
        pytest.param("old-*", "new/**", "old-ui", "new/ui", id="star-into-tail-keeps-the-slash"),
        pytest.param(
            "lodash/*", "lodash-es/**", "lodash/debounce", "lodash-es/debounce", id="segment-into-tail"
        ),
        pytest.param("@old/**/icons", "@new/**", "@old/a/b/icons", "@new/a/b", id="double-star-into-tail"),
        pytest.param("@old/*/**", "@new-*/**", "@old/ui", "@new-ui", id="tail-empty-drops-its-slash"),
        pytest.param("@old/*/**", "@new-*/**", "@old/ui/a/b", "@new-ui/a/b", id="tail-then-star"),
    ],
)
def test_js_patterns(source: str, to: str, specifier: str, expected: str | None) -> None:
    match = rules(f'[[rule]]\nfrom = "{source}"\nto = "{to}"\n').match(specifier, "js")
    assert (match.module if match else None) == expected


def test_a_reserved_word_is_an_export_name_where_an_alias_binds_it() -> None:
    """`import { class as Button } from 'b'` is valid: only a local name may not be a reserved word."""
    ruleset = rules('[[rule]]\nfrom = "a"\nto = "b"\n[rule.exports]\nButton = "class"\n')
    result = migrate_source(b"import { Button } from 'a';\nButton();\n", "typescript", ruleset)
    assert result.source == b"import { class as Button } from 'b';\nButton();\n"


def test_a_python_name_called_default_is_an_ordinary_name() -> None:
    # Python has no default export: `default` is a name like any other (langchain.load.dump.default)
    ruleset = rules(
        """
        [[rule]]
        language = "python"
        from = "langchain.load.dump"
        to = "langchain.load.dump"
        move = "listed"
        [rule.exports]
        default = "langchain_core.load.dump:default"
        encode = "default"
        """
    )
    assert ruleset.rules[0].exports == {
        "default": Target("langchain_core.load.dump", "default"), "encode": Target(None, "default"),
    }  # fmt: skip


def test_python_patterns_and_exact_rules_first() -> None:
    ruleset = rules(
        """
        [[rule]]
        language = "python"
        from = "old.**"
        to = "new.**"
        [[rule]]
        language = "python"
        from = "old.special"
        to = "elsewhere"
        """
    )
    assert [ruleset.match(s, "python").module for s in ("old", "old.a.b", "old.special")] == [
        "new",
        "new.a.b",
        "elsewhere",
    ]  # type: ignore[union-attr]
    assert ruleset.match("oldx", "python") is None
    star = rules('[[rule]]\nlanguage = "python"\nfrom = "old_*"\nto = "new.**"\n')
    assert star.match("old_ui", "python").module == "new.ui"  # type: ignore[union-attr]
    assert ruleset.match("old", "js") is None  # a Python rule says nothing about JS files
    assert ruleset.prefixes("python") == (b"old",)


@pytest.mark.parametrize(
    ("text", "message", "hint"),
    [
        pytest.param("rules = []", "unknown key 'rules'", "did you mean 'rule'?", id="top-typo"),
        pytest.param('[known_exports]\n"a" = []', "no [[rule]] tables", "[[rule]]", id="no-rules"),
        pytest.param(
            '[rule]\nfrom = "a"\nto = "b"',
            "rule is one table",
            "write [[rule]] (two brackets)",
            id="single-brackets",
        ),
        pytest.param(
            '[[rule]]\nfrom = "a"\nto = "b"\n[rule.exports]\nX = ""',
            "key exports.X must be a non-empty string",
            "BackButton",
            id="export-renamed-to-nothing",
        ),
        pytest.param(
            '[[rule]]\nfrom = "a"\nto = "b"\ndefualt = "X"',
            "rule #1: unknown key 'defualt'",
            "did you mean 'default'?",
            id="rule-typo",
        ),
        pytest.param(
            '[[rule]]\nto = "b"',
            "rule #1: key 'from' is missing",
            "from is the module to move",
            id="missing-from",
        ),
        pytest.param(
            '[[rule]]\nid = "x"\nfrom = "a"\nto = 3',
            "rule #1 ('x'): key 'to' must be a non-empty string",
            "to is",
            id="to-type",
        ),
        pytest.param(
            '[[rule]]\nfrom = "a"\nto = "b"\nmove = "some"',
            "key 'move': 'some' is not one of all, listed",
            "move is",
            id="move-value",
        ),
        pytest.param(
            '[[rule]]\nfrom = "a"\nto = "b"\nlocals = "renam"',
            "key 'locals'",
            "did you mean 'rename'?",
            id="locals-typo",
        ),
        pytest.param(
            '[[rule]]\nfrom = "a"\nto = "b"\nlanguage = "ts"', "key 'language'", '"js"', id="language"
        ),
        pytest.param(
            '[[rule]]\nfrom = "./a"\nto = "b"',
            "key 'from': './a' is not a module name",
            "evergreen-ui",
            id="relative",
        ),
        pytest.param(
            '[[rule]]\nfrom = "a"\nto = "b\\u0000"',
            "key 'to': 'b\\x00' is not a module name",
            "evergreen-ui",
            id="nul-in-a-module",
        ),
        pytest.param(
            '[[rule]]\nfrom = "a\\u001b[2J"\nto = "b"',
            "key 'from': 'a\\x1b[2J' is not a module name",
            "evergreen-ui",
            id="escape-in-a-module",
        ),
        pytest.param(
            '[[rule]]\nfrom = "a"\nto = "b/*"',
            "key 'to' has more wildcards than 'from'",
            "wildcards",
            id="wildcards",
        ),
        pytest.param(
            '[[rule]]\nid = "g"\nfrom = "old-**"\nto = "new/**"',
            "rule #1 ('g'): key 'from': 'old-**': `**` must be a whole path segment",
            "write 'old-*' (one segment) or 'old-*/**'",
            id="double-star-glued-in-from",
        ),
        pytest.param(
            '[[rule]]\nfrom = "old/*"\nto = "new-**"',
            "key 'to': 'new-**': `**` must be a whole path segment",
            "write 'new-*'",
            id="double-star-glued-in-to",
        ),
        pytest.param(
            '[[rule]]\nlanguage = "python"\nfrom = "old_**"\nto = "new.**"',
            "key 'from': 'old_**': `**` must be a whole path segment",
            "'old_*.**'",
            id="python-double-star-glued",
        ),
        pytest.param(
            '[[rule]]\nid = "all"\nfrom = "**"\nto = "@scope/**"',
            "rule #1 ('all'): key 'from': '**' starts with a wildcard: it matches every module, relative "
            "imports (./x) and Node's built-in modules (fs, node:fs) too",
            "start from with the package you move",
            id="catch-all",
        ),
        pytest.param(
            '[[rule]]\nfrom = "*-ui"\nto = "@ui/*"',
            "key 'from': '*-ui' starts with a wildcard",
            "'@old/**'",
            id="wildcard-first",
        ),
        pytest.param(
            '[[rule]]\nlanguage = "python"\nfrom = "*.compat"\nto = "compat.*"',
            "the standard library (os, sys)",
            "'old_pkg.**'",
            id="python-wildcard-first",
        ),
        pytest.param(
            '[[rule]]\nfrom = "old/**"\nto = "new/**/v2"',
            "key 'to': 'new/**/v2' does not end with '/**', but from 'old/**' does: from also matches 'old' "
            "itself",
            "end to with '/**' too",
            id="tail-into-inner-wildcard",
        ),
        pytest.param(
            '[[rule]]\nfrom = "a"\nto = "b"\nmove = "listed"',
            'move = "listed" but nothing is listed',
            "[rule.exports]",
            id="listed-empty",
        ),
        pytest.param(
            '[[rule]]\nfrom = "a"\nto = "b"\n[rule.exports]\nX = 1',
            "key exports.X must be a non-empty string",
            "BackButton",
            id="export-type",
        ),
        pytest.param(
            '[[rule]]\nfrom = "a"\nto = "b"\n[rule.exports]\nX = "m:"',
            "key exports.X: '' is not an export name",
            "module:Name",
            id="export-empty-name",
        ),
        pytest.param(
            '[[rule]]\nfrom = "lodash/get"\nto = "lodash-es"\ndefault = "*"',
            "names the default export '*' after the wildcards of from 'lodash/get', which has 0 of them",
            'default = "*"',
            id="default-wildcard-without-pattern",
        ),
        pytest.param(  # a name becomes a whole module only as an export of a JS rule
            '[[rule]]\nfrom = "a"\nto = "b"\ndefault = "m:*"',
            "key default: '*' is not an export name",
            "module:Name",
            id="default-whole-module",
        ),
        pytest.param(
            '[[rule]]\nlanguage = "python"\nfrom = "a"\nto = "b"\n[rule.exports]\nX = "m:*"',
            "key exports.X: '*' is not an export name",
            "module:Name",
            id="python-whole-module",
        ),
        pytest.param(
            '[[rule]]\nfrom = "a"\nto = "b"\n[rule.exports]\nX = ":Y"',
            "key exports.X: ':Y' has no module",
            "module:Name",
            id="export-no-module",
        ),
        pytest.param(
            '[[rule]]\nfrom = "a"\nto = "b"\n[rule.exports]\nX = "evil\\n:Y"',
            "key 'exports.X': 'evil\\n' is not a module name",
            "evergreen-ui",
            id="export-module-ending-in-a-newline",
        ),
        pytest.param(
            '[[rule]]\nfrom = "a"\nto = "b"\n[rule.exports]\nX = "Y\\n"',
            "key exports.X: 'Y\\n' is not an export name",
            "module:Name",
            id="export-name-ending-in-a-newline",
        ),
        pytest.param(
            '[[rule]]\nfrom = "a"\nto = "b"\n[[rule.add]]\nimport = "x\\n:Y"',
            "key 'add.import': 'x\\n' is not a module name",
            "evergreen-ui",
            id="add-module-ending-in-a-newline",
        ),
        pytest.param(
            '[[rule]]\nlanguage = "python"\nfrom = "a"\nto = "b"\n[rule.exports]\nX = "m\\n:Y"',
            "key 'exports.X': 'm\\n' is not a module name",
            "package.module",
            id="python-export-module-ending-in-a-newline",
        ),
        pytest.param(
            '[[rule]]\nfrom = "old/' + "/".join(["**"] * 22) + '"\nto = "new"',
            "has 22 wildcards, more than 8",
            "one trailing /** matches everything below a module",
            id="more-wildcards-than-a-check-can-try",
        ),
        pytest.param(
            '[[rule]]\nlanguage = "python"\nfrom = "a"\nto = "b"\n[rule.exports]\nX = "class"',
            "key exports.X: 'class' is not an export name",
            "module:Name",
            id="python-keyword-export",
        ),
        pytest.param(
            '[[rule]]\nlanguage = "python"\nfrom = "a"\nto = "b"\nlocals = "rename"\n[rule.exports]\nX = "None"',
            "key exports.X: 'None' is not an export name",
            "module:Name",
            id="python-none-export",
        ),
        pytest.param(
            '[[rule]]\nlanguage = "python"\nfrom = "a"\nto = "new.class"',
            "key 'to': 'new.class' is not a module name",
            "package.module",
            id="python-keyword-module",
        ),
        pytest.param(
            '[[rule]]\nlanguage = "python"\nfrom = "a"\nto = "new.pkg:def"',
            "key 'to': 'def' is not an attribute name",
            "new.pkg:Thing",
            id="python-keyword-attribute",
        ),
        pytest.param(
            '[[rule]]\nfrom = "a"\nto = "b"\n[[rule.add]]\nimport = "x:class"',
            "adds import { class } from 'x': 'class' cannot be a local name",
            "import { class as Other }",
            id="add-a-reserved-word",
        ),
        pytest.param(
            '[[rule]]\nfrom = "a"\nto = "b"\nlocals = "rename"\n[rule.exports]\nX = "arguments"',
            'renames X to arguments, which locals = "rename" makes a local name',
            "{ arguments as X }",
            id="rename-locals-to-a-reserved-word",
        ),
        pytest.param(
            '[[rule]]\nfrom = "a"\nto = "b"\n[rule.exports]\n"a-b" = "Y"',
            "key exports.a-b: not a name",
            "exported names",
            id="export-key",
        ),
        pytest.param(
            '[[rule]]\nlanguage = "python"\nfrom = "a"\nto = "b"\ndefault = "X"',
            "key 'default' is for JavaScript rules",
            "Python",
            id="python-default",
        ),
        pytest.param(
            '[[rule]]\nlanguage = "python"\nfrom = "a-b"\nto = "c"',
            "'a-b' is not a module name",
            "package.module",
            id="python-module",
        ),
        pytest.param(
            '[[rule]]\nfrom = "a"\nto = "b"\n[[rule]]\nfrom = "a"\nto = "c"',
            "rule #2 ('a'): id 'a' is also used by rule #1",
            "unique id",
            id="duplicate-id",
        ),
        pytest.param(
            '[[rule]]\nid = "x"\nfrom = "a"\nto = "b"\n[[rule]]\nid = "y"\nfrom = "a"\nto = "c"',
            "rule #2 ('y'): from 'a' is also the from of rule 'x'",
            "merge",
            id="duplicate-from",
        ),
        pytest.param(
            '[known_exports]\nm = "X"\n[[rule]]\nfrom = "a"\nto = "b"',
            "known_exports.m must be a list of names",
            "m",
            id="known-exports",
        ),
    ],
)
def test_errors_name_the_rule_and_key(text: str, message: str, hint: str) -> None:
    with pytest.raises(ConfigError) as raised:
        rules(text)
    assert message in raised.value.message
    assert hint in raised.value.hint
    assert raised.value.message.startswith("rules.toml: ")
    assert raised.value.exit_code == EXIT_USAGE


def test_file_errors(tmp_path: Path) -> None:
    bad = tmp_path / "rules.toml"
    bad.write_text('[[rule]\nfrom = "a"', encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_rules(bad)
    with pytest.raises(ConfigError, match="cannot read"):
        load_rules(tmp_path / "missing.toml")
    bad.write_text("x = " + "[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(ConfigError, match="nested too deeply to read"):
        load_rules(bad)


def test_the_readme_example_is_a_valid_rules_file() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Migrate", 1)[1]
    block = section.split("```toml\n", 1)[1].split("```", 1)[0]
    ruleset = parse_rules(tomllib.loads(block), "README.md")
    assert [r.id for r in ruleset.rules] == ["evergreen-*", "badges", "@material-ui/core/**", "acme_widgets"]
    match = ruleset.match("evergreen-badges", "js")
    assert match is not None and match.target("NumberBadge") == Target("evergreen-ui", "Pill")
