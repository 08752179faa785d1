"""No silent no-ops: rules that can never apply are refused at load, a run lists the rules that matched
no site, and the new rule keys (`imports`, `[[rule.add]]`) are checked like the others."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from codemods.rulefile import parse_rules
from codemods.rules import Add
from codemods.runner import migrate_source
from depreport.cli import main
from depreport.errors import EXIT_USAGE, ConfigError
from tests.helpers import git_repo


def rules(text: str):  # type: ignore[no-untyped-def]
    return parse_rules(tomllib.loads(text), "rules.toml")


@pytest.mark.parametrize(
    ("text", "message", "hint"),
    [
        pytest.param(
            '[[rule]]\nid = "same"\nfrom = "a"\nto = "a"',
            "rule 'same' can never apply: its from and to are the same",
            "IconV2",
            id="same-module-without-renames",
        ),
        pytest.param(
            '[[rule]]\nid = "same"\nfrom = "a"\nto = "a"\n[rule.exports]\nX = "X"',
            "rule 'same' can never apply",
            "rename exports",
            id="same-module-identity-renames",
        ),
        pytest.param(
            '[[rule]]\nfrom = "old/**"\nto = "new/**"\n[[rule]]\nid = "keep"\nfrom = "old/kept/**"\nto = "old/kept/**"',
            "rule 'keep' can never apply: its from and to are the same, no export is renamed or moved, and no "
            "pattern after it would move the modules it matches",
            "keeps modules out of a pattern written after it",
            id="keep-after-the-pattern",
        ),
        pytest.param(
            '[[rule]]\nid = "keep"\nlanguage = "python"\nfrom = "old.kept"\nto = "old.kept"\n'
            '[[rule]]\nlanguage = "python"\nfrom = "old.*"\nto = "new.*"',
            "rule 'keep' can never apply",
            "(JavaScript rules only)",
            id="keep-in-python",
        ),
        pytest.param(
            '[[rule]]\nid = "v2"\nfrom = "a"\nto = "a"\n[rule.exports]\nX = "Y"\nY = "Z"',
            "renames X to Y, which it renames again to Z",
            'X = "Z"',
            id="same-module-rename-chain",
        ),
        pytest.param(
            '[[rule]]\nid = "all"\nfrom = "ui/**"\nto = "new/**"\n[[rule]]\nid = "icons"\nfrom = "ui/icons/*"\n'
            'to = "icons/*"',
            "rule 'icons' can never apply: every module it matches is matched first by rule 'all'",
            "put rule 'icons' before rule 'all'",
            id="shadowed-pattern",
        ),
        pytest.param(
            '[known_exports]\nb = ["Y"]\n[[rule]]\nid = "r"\nfrom = "a"\nto = "b"\n[rule.exports]\nX = "Z"',
            "rule 'r' sends X to b:Z, which known_exports says b does not export",
            "add 'Z'",
            id="export-not-known",
        ),
        pytest.param(
            '[[rule]]\nid = "css"\nfrom = "a.css"\nto = "b.css"\nimports = ["side-effect"]\n[rule.exports]\nX = "Y"',
            "only applies to side-effect imports",
            "drop [rule.exports]",
            id="side-effect-renames",
        ),
        pytest.param(
            '[[rule]]\nid = "move"\nfrom = "old"\nto = "ui"\n[[rule]]\nid = "v2"\nfrom = "ui"\nto = "ui"\n'
            '[rule.exports]\nIcon = "IconV2"',
            "rule 'move' moves names to 'ui', where rule 'v2' renames them again",
            'Icon = "IconV2"',
            id="move-into-a-same-module-rename",
        ),
        pytest.param(
            '[[rule]]\nid = "te"\nlanguage = "python"\nfrom = "typing_extensions"\nto = "typing_extensions"\n'
            'move = "listed"\n[rule.exports]\nOrderedDict = "typing:OrderedDict"\n'
            '[[rule]]\nid = "typing"\nlanguage = "python"\nfrom = "typing"\nto = "typing"\nmove = "listed"\n'
            '[rule.exports]\nOrderedDict = "collections:OrderedDict"',
            "rule 'te' moves names to 'typing', where rule 'typing' moves them on",
            'OrderedDict = "collections:OrderedDict"',
            id="move-into-a-module-whose-rule-moves-the-name-on",
        ),
        pytest.param(
            '[[rule]]\nid = "asynctest.mock"\nlanguage = "python"\nfrom = "asynctest.mock"\nto = "unittest.mock"\n'
            '[rule.exports]\nCoroutineMock = "AsyncMock"\n'
            '[[rule]]\nid = "asynctest"\nlanguage = "python"\nfrom = "asynctest"\nto = "asynctest"\n'
            'move = "listed"\n[rule.exports]\nmock = "unittest:mock"',
            "rule 'asynctest' sends mock to unittest.mock as a name, but rule 'asynctest.mock' moves the module "
            "asynctest.mock there with renames: uses reached through the name (mock.CoroutineMock) would miss them",
            "drop mock from the [rule.exports] of rule 'asynctest': rule 'asynctest.mock' moves it",
            id="python-name-sent-where-a-rule-moves-its-module-with-renames",
        ),
        pytest.param(
            '[[rule]]\nid = "a"\nfrom = "old"\nto = "mid"\n[[rule]]\nid = "b"\nfrom = "mid"\nto = "new"\n'
            'move = "listed"\ndefault = "css"',
            "rule 'a' moves names to 'mid', which rule 'b' moves on to 'new'",
            "give rule 'a' those targets in its [rule.exports] (default = \"new:css\")",
            id="move-all-into-a-listed-move",
        ),
        pytest.param(
            '[[rule]]\nid = "a"\nfrom = "old"\nto = "mid"\nmove = "listed"\n[rule.exports]\nX = "css"\n'
            '[[rule]]\nid = "b"\nfrom = "mid"\nto = "new"\nmove = "listed"\n[rule.exports]\ncss = "css"',
            "rule 'a' moves names to 'mid', which rule 'b' moves on to 'new'",
            "give rule 'a' those targets in its [rule.exports] (X = \"new:css\")",
            id="listed-name-moved-on-by-a-listed-move",
        ),
        pytest.param(  # mui-x v8: AdapterDateFns -> AdapterDateFnsV2, then AdapterDateFnsV3 -> AdapterDateFns
            '[[rule]]\nid = "v2"\nfrom = "p/Adapter"\nto = "p/AdapterV2"\n'
            '[[rule]]\nid = "v3"\nfrom = "p/AdapterV3"\nto = "p/Adapter"',
            "rule 'v3' moves names to 'p/Adapter', which rule 'v2' moves on to 'p/AdapterV2'",
            "point rule 'v3' straight at 'p/AdapterV2'; or, when 'p/Adapter' is a name given to another module "
            "(a shift), put rule 'v3' in a rules file of its own, run after the others (which must then not run "
            "again)",
            id="shift-of-module-names",
        ),
        pytest.param(
            '[[rule]]\nid = "x"\nfrom = "old-*"\nto = "old-x-*"',
            "rule 'x' writes 'old-x-<name>', which its own from 'old-*' matches again: a second run would "
            "make it 'old-x-x-<name>'",
            "write a to that 'old-*' does not match",
            id="pattern-matches-its-own-result",
        ),
        pytest.param(
            '[[rule]]\nid = "v2"\nfrom = "old/**"\nto = "old/v2/**"',
            "rule 'v2' writes 'old/v2', which its own from 'old/**' matches again: a second run would make "
            "it 'old/v2/v2'",
            "or narrow from",
            id="tail-matches-its-own-result",
        ),
        pytest.param(
            '[[rule]]\nid = "index"\nfrom = "ui/**/x"\nto = "ui/x/**/x"',
            "rule 'index' writes 'ui/x/<name>/x', which its own from 'ui/**/x' matches again",
            "write a to",
            id="inner-double-star-matches-its-own-result",
        ),
        pytest.param(
            '[[rule]]\nid = "py"\nlanguage = "python"\nfrom = "old.**"\nto = "old.compat.**"',
            "rule 'py' writes 'old.compat', which its own from 'old.**' matches again",
            "write a to",
            id="python-pattern-matches-its-own-result",
        ),
        pytest.param(
            '[[rule]]\nid = "a"\nfrom = "old-*"\nto = "mid-*"\n[[rule]]\nid = "b"\nfrom = "mid-*"\nto = "new-*"',
            "rule 'a' moves names to 'mid-<name>', which rule 'b' moves on to 'new-<name>'",
            "send 'old-<name>' straight to 'new-<name>'",
            id="pattern-into-another-pattern",
        ),
        pytest.param(
            '[[rule]]\nid = "a"\nfrom = "old-*"\nto = "@new/*"\n[[rule]]\nid = "b"\nfrom = "@new/buttons"\n'
            'to = "@new/ui"',
            "rule 'a' moves names to '@new/buttons', which rule 'b' moves on to '@new/ui'",
            "send 'old-buttons' straight to '@new/ui'",
            id="pattern-into-an-exact-rule",
        ),
        pytest.param(
            '[[rule]]\nfrom = "a"\nto = "b"\nimports = ["values"]',
            "key 'imports': 'values' is not one of value, type, side-effect",
            "did you mean 'value'?",
            id="imports-kind",
        ),
        pytest.param(
            '[[rule]]\nlanguage = "python"\nfrom = "a"\nto = "b"\nimports = ["type"]',
            "key 'imports' is for JavaScript rules",
            "remove imports",
            id="imports-python",
        ),
        pytest.param(
            '[[rule]]\nfrom = "a"\nto = "b"\n[[rule.add]]\nimport = "b:default"',
            "cannot add a default import",
            "module:Name",
            id="add-default",
        ),
        pytest.param(
            '[[rule]]\nfrom = "a"\nto = "b"\n[[rule.add]]\nimprot = "b.css"',
            "[[rule.add]]: unknown key 'improt'",
            "did you mean 'import'?",
            id="add-key",
        ),
        pytest.param(
            '[[rule]]\nfrom = "a"\nto = "b"\n[[rule.add]]\nimport = "b.css"\nwhen = "X"',
            "key 'when' must be a list of names",
            "Dialog",
            id="add-when",
        ),
    ],
)
def test_rules_that_cannot_apply_are_refused(text: str, message: str, hint: str) -> None:
    with pytest.raises(ConfigError) as raised:
        rules(text)
    assert message in raised.value.message
    assert hint in raised.value.hint
    assert raised.value.exit_code == EXIT_USAGE


@pytest.mark.parametrize(
    "text",
    [
        pytest.param('[[rule]]\nfrom = "ui/icons/*"\nto = "icons/*"\n[[rule]]\nfrom = "ui/**"\nto = "new/**"',
                     id="narrow-pattern-first"),
        pytest.param('[[rule]]\nfrom = "ui/*"\nto = "new/*"\n[[rule]]\nfrom = "ui/**"\nto = "all/**"',
                     id="one-segment-then-any"),
        pytest.param('[[rule]]\nfrom = "old"\nto = "ui"\n[rule.exports]\nIcon = "IconV2"\n[[rule]]\nfrom = "ui"\n'
                     'to = "ui"\n[rule.exports]\nIcon = "IconV2"', id="move-carrying-the-renames"),
        pytest.param('[[rule]]\nfrom = "antd"\nto = "antd"\n[[rule.add]]\nimport = "antd/reset.css"',
                     id="same-module-that-only-adds"),
        pytest.param('[[rule]]\nfrom = "lodash/*"\nto = "lodash/*/index"', id="pattern-whose-result-it-leaves"),
        pytest.param('[[rule]]\nfrom = "ui-*"\nto = "ui-*"\n[rule.exports]\nIcon = "IconV2"',
                     id="pattern-renaming-in-place"),
        pytest.param('[[rule]]\nfrom = "old-*"\nto = "mid-*"\n[[rule]]\nfrom = "mid-ui/*"\nto = "new/*"',
                     id="pattern-next-to-a-pattern-it-never-feeds"),
        pytest.param('[[rule]]\nlanguage = "python"\nfrom = "lc"\nto = "lc"\nmove = "listed"\n[rule.exports]\n'
                     'load = "core:load"\n[[rule]]\nlanguage = "python"\nfrom = "lc.load"\nto = "lc.load"\n'
                     'move = "listed"\n[rule.exports]\nReviver = "core.load:Reviver"',
                     id="python-function-beside-a-module-of-its-name"),
        pytest.param('[[rule]]\nfrom = "old"\nto = "mid"\nmove = "listed"\n[rule.exports]\ncss = "css"\n[[rule]]\n'
                     'from = "mid"\nto = "new"\nmove = "listed"\ndefault = "css"', id="listed-moves-sharing-no-name"),
    ],
)  # fmt: skip
def test_rules_that_can_apply_load(text: str) -> None:
    assert rules(text).rules


def test_a_chain_into_a_listed_move_is_undone_by_following_its_hint() -> None:
    """@emotion/eslint-plugin's pkg-renaming: emotion -> @emotion/css while the default of @emotion/css
    becomes css of @emotion/react; pointing emotion's rule at @emotion/react would send all of it there."""
    chain = '[[rule]]\nid = "emotion"\nfrom = "emotion"\nto = "@emotion/css"\n'
    listed = '[[rule]]\nfrom = "@emotion/css"\nto = "@emotion/react"\nmove = "listed"\ndefault = "css"\n'
    with pytest.raises(ConfigError) as raised:
        rules(chain + listed)
    assert raised.value.hint.endswith('(default = "@emotion/react:css")')
    fixed = rules(chain + '[rule.exports]\ndefault = "@emotion/react:css"\n' + listed)
    assert migrate_source(b"import { css } from 'emotion';\n", "javascript", fixed).source == (
        b"import { css } from '@emotion/css';\n"
    )


def test_add_and_imports_compile() -> None:
    rule = rules(
        '[[rule]]\nfrom = "a"\nto = "b"\nimports = ["type"]\n[[rule.add]]\nimport = "b/x.css"\n'
        '[[rule.add]]\nimport = "b:Provider"\nwhen = ["Dialog"]'
    ).rules[0]
    assert rule.kinds == {"type"}
    assert rule.adds == (Add("b/x.css", None), Add("b", "Provider", frozenset({"Dialog"})))


def test_a_same_module_rule_renames_and_a_second_run_changes_nothing() -> None:
    ruleset = rules('[[rule]]\nfrom = "ui"\nto = "ui"\n[rule.exports]\nIcon = "IconV2"')
    first = migrate_source(b"import { Icon, Box } from 'ui';\n<Icon />;\n", "tsx", ruleset)
    assert first.source == b"import { IconV2 as Icon, Box } from 'ui';\n<Icon />;\n"
    assert first.matched == {"ui"}
    assert migrate_source(first.source, "tsx", ruleset).source == first.source


def test_a_side_effect_import_renamed_onto_one_already_there_is_deleted() -> None:
    """`import 'evergreen-layers'` renamed to `evergreen-ui` beside an `import 'evergreen-ui'` is the same
    statement twice: the renamed one goes. The file was left unchanged (said so) when nothing but that
    deletion was planned; found by tests/codemods/test_property.py."""
    ruleset = rules('[[rule]]\nid = "components"\nfrom = "evergreen-*"\nto = "evergreen-ui"')
    source = b"import 'evergreen-ui';\nimport 'evergreen-layers';\nexport const done = 1;\n"
    result = migrate_source(source, "javascript", ruleset)
    assert result.source == b"import 'evergreen-ui';\nexport const done = 1;\n"
    assert result.matched == {"components"} and result.error is None


def test_a_rule_limited_to_types_does_not_match_values() -> None:
    ruleset = rules('[[rule]]\nid = "t"\nfrom = "ui"\nto = "ui-types"\nimports = ["type"]')
    result = migrate_source(b"import { Box } from 'ui';\nconst ui = require('ui');\n", "typescript", ruleset)
    assert result.source == b"import { Box } from 'ui';\nconst ui = require('ui');\n"
    assert result.matched == frozenset() and result.notes == ()


def test_a_rule_that_keeps_its_modules_shields_them_from_the_pattern_after_it() -> None:
    ruleset = rules(
        '[[rule]]\nid = "keep"\nfrom = "@remix-run/v1-route-convention"\nto = "@remix-run/v1-route-convention"\n'
        '[[rule]]\nid = "all"\nfrom = "@remix-run/*"\nto = "@react-router/*"'
    )
    source = (
        b'import { flatRoutes } from "@remix-run/fs-routes";\n'
        b'const { createRoutesFromFolders } = require("@remix-run/v1-route-convention");\n'
        b'const deps = { "@remix-run/v1-route-convention": "^2" };\n'
    )
    result = migrate_source(source, "javascript", ruleset)
    assert result.source == source.replace(b"@remix-run/fs-routes", b"@react-router/fs-routes", 1)
    assert result.notes == () and result.matched == frozenset({"keep", "all"})


@pytest.mark.integration
def test_a_run_lists_the_rules_that_matched_no_site(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        '[[rule]]\nid = "layers"\nfrom = "evergreen-layers"\nto = "evergreen-ui"\n'
        '[[rule]]\nid = "typo"\nfrom = "evergren-buttons"\nto = "evergreen-ui"\n'
        '[[rule]]\nid = "py"\nlanguage = "python"\nfrom = "old_pkg"\nto = "new_pkg"\n'
        '[[rule]]\nid = "py-unused"\nlanguage = "python"\nfrom = "gone_pkg"\nto = "new_pkg"\n'
    )
    repo = git_repo(tmp_path / "repo", {
        "rules.toml": text,
        "src/a.js": "import { Pane } from 'evergreen-layers';\n",
        "src/c.py": "from old_pkg import thing\n",
    })  # fmt: skip
    args = ["migrate", str(repo / "rules.toml"), str(repo), "--progress", "never", "--jobs", "1"]
    assert main(args) == 0
    err = capsys.readouterr().err
    assert "2 rules matched no site: typo, py-unused" in err
    assert main([*args, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["unmatched_rules"] == ["typo", "py-unused"]


@pytest.mark.integration
def test_a_rule_that_can_never_apply_stops_the_run_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = git_repo(tmp_path / "repo", {
        "rules.toml": '[[rule]]\nid = "noop"\nfrom = "ui"\nto = "ui"\n',
        "src/a.js": "import { Pane } from 'ui';\n",
    })  # fmt: skip
    assert main(["migrate", str(repo / "rules.toml"), str(repo), "--progress", "never"]) == EXIT_USAGE
    assert "rule 'noop' can never apply" in capsys.readouterr().err


RADIX = rules(
    '[known_exports]\n"radix-ui" = ["Dialog", "Slot"]\n"@acme/icons-v2" = ["Add", "Close"]\n'
    '[[rule]]\nfrom = "@radix-ui/react-dialog"\nto = "radix-ui"\n'
    '[[rule]]\nfrom = "@acme/icons"\nto = "@acme/icons-v2"\n'
)


@pytest.mark.parametrize(
    ("source", "expected", "reported"),
    [
        pytest.param(  # shadcn's dialog.tsx: radix-ui has no 'Root', its Dialog namespace has
            b'import * as DialogPrimitive from "@radix-ui/react-dialog";\nconst D = DialogPrimitive.Root;\n',
            None, "radix-ui does not export 'Root' (known_exports)", id="a-name-the-target-lacks",
        ),
        pytest.param(
            b"import * as icons from '@acme/icons';\nicons.Add; icons['Close'];\n",
            b"import * as icons from '@acme/icons-v2';\nicons.Add; icons['Close'];\n", None, id="known-names",
        ),
        pytest.param(
            b"const icons = require('@acme/icons');\nlist(icons); icons.Add;\n",
            b"const icons = require('@acme/icons-v2');\nlist(icons); icons.Add;\n", None, id="used-whole",
        ),
        pytest.param(
            b"export * from '@acme/icons';\n", b"export * from '@acme/icons-v2';\n", None, id="export-star",
        ),
        pytest.param(
            b"import * as icons from '@acme/icons';\nicons.Add; icons.Gone;\n",
            None, "'Gone' (known_exports)", id="one-name-lacking",
        ),
    ],
)  # fmt: skip
def test_a_module_moved_as_a_whole_checks_the_names_taken_from_a_namespace(
    source: bytes, expected: bytes | None, reported: str | None
) -> None:
    """`known_exports` were checked for named imports only: `import * as DialogPrimitive` moved to
    radix-ui as it was, and `DialogPrimitive.Root` then named nothing, without a word."""
    result = migrate_source(source, "tsx", RADIX)
    assert result.source == (source if expected is None else expected)
    notes = " ".join(note.message for note in result.notes)
    if reported is None:
        assert "known_exports" not in notes
    else:
        assert reported in notes


HYDROGEN = (  # Shopify Hydrogen's React Router migration: all of @shopify/hydrogen moves but its own exports
    '[[rule]]\nfrom = "@shopify/hydrogen"\nto = "react-router"\n[rule.exports]\n'
    'Analytics = "@shopify/hydrogen:Analytics"\nMoney = "@shopify/hydrogen:Money"\n'
)


@pytest.mark.parametrize(
    ("source", "expected", "reported"),
    [
        pytest.param(
            "import { Link, NavLink, Analytics, Money } from '@shopify/hydrogen';\n",
            "import { Analytics, Money } from '@shopify/hydrogen';\nimport { Link, NavLink } from 'react-router';\n",
            None, id="named",
        ),
        pytest.param(
            "const { Analytics, Link } = require('@shopify/hydrogen');\n",
            "const { Analytics } = require('@shopify/hydrogen');\nconst { Link } = require('react-router');\n",
            None, id="destructured",
        ),
        pytest.param(
            "import * as H from '@shopify/hydrogen';\nH.Analytics; H.Link;\n", None,
            "H.Link (line 2) goes to react-router but H.Analytics (line 2) stays in @shopify/hydrogen",
            id="namespace",
        ),
    ],
)  # fmt: skip
def test_a_name_sent_to_its_own_module_stays_out_of_a_move(
    source: str, expected: str | None, reported: str | None
) -> None:
    """Such a rule was refused as one whose result its own from matches again ('a second run would make it
    react-router'), which it is not: the kept names stay, the others move once."""
    result = migrate_source(source.encode(), "tsx", rules(HYDROGEN))
    assert result.source.decode() == (expected or source)
    messages = [note.message for note in result.notes]
    assert any(reported in m for m in messages) if reported else messages == []
    assert migrate_source(result.source, "tsx", rules(HYDROGEN)).source == result.source


@pytest.mark.integration
def test_thousands_of_rules_that_matched_no_site_are_counted_not_all_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A rules file of 3,000 rules (one per package of an old scope) that matched nothing printed all
    3,000 ids on one stderr line, 40 KB; the first 20 are listed, then how many more."""
    text = "".join(f'[[rule]]\nfrom = "old-pkg-{n}"\nto = "new-pkg-{n}"\n' for n in range(3000))
    repo = git_repo(tmp_path / "repo", {"rules.toml": text, "src/a.js": "import a from 'other';\n"})
    args = ["migrate", str(repo / "rules.toml"), str(repo), "--progress", "never", "--jobs", "1"]
    assert main(args) == 0
    [line] = [line for line in capsys.readouterr().err.splitlines() if "matched no site" in line]
    assert "3,000 rules matched no site: old-pkg-0, old-pkg-1," in line and "old-pkg-20," not in line
    assert "old-pkg-19 and 2,980 more (--format json lists them all)" in line


@pytest.mark.integration
def test_json_lists_the_files_found_but_not_migrated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What stderr says of them (`not migrated: …`) is in the machine-readable output too."""
    repo = git_repo(tmp_path / "repo", {
        "rules.toml": '[[rule]]\nfrom = "evergreen-layers"\nto = "evergreen-ui"\n',
        "src/a.js": "import { Pane } from 'evergreen-layers';\n",
        "src/Counter.vue": "<script>\nimport { Pane } from 'evergreen-layers';\n</script>\n",
    })  # fmt: skip
    args = ["migrate", str(repo / "rules.toml"), str(repo), "--progress", "never", "--jobs", "1"]
    assert main([*args, "--format", "json"]) == 0
    out, err = capsys.readouterr()
    document = json.loads(out)
    assert document["totals"]["changed"] == 1
    (vue,) = document["not_migrated"]
    assert vue["path"].endswith("src/Counter.vue") and "evergreen-layers" in vue["message"]
    assert f"not migrated: {vue['path']}: {vue['message']}" in err
    assert "(dry run; --write applies); 1 file found but not migrated (named above)" in err
