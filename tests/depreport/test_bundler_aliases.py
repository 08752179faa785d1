"""Bundler configs' aliases read statically: the forms public projects write (fixtures/bundler-aliases),
what is not read and what leads out of the repository, each said."""

from __future__ import annotations

import pytest
from tree_sitter import Node

from depreport.model import Problem
from depreport.resolve import bundlers
from depreport.resolve.aliasshapes import AliasReader, Found
from depreport.resolve.bundlers import BundlerAliases, bundler_aliases, bundler_kind, config_scope
from tests.conftest import ROOT

FIXTURES = ROOT / "fixtures" / "bundler-aliases"

# folder of the fixture -> (folder the aliases apply to -> pattern -> target), config -> the alias not read
EXPECTED: dict[str, tuple[dict[str, dict[str, str]], dict[str, str]]] = {
    "vite-path-resolve": ({"": {"src": "src", "src/*": "src/*"}}, {}),
    "vite-local-helper": ({"": {"@": "src", "@/*": "src/*"}}, {}),
    "vite-url": ({"packages/lit": {"src": "packages/lit/src", "src/*": "packages/lit/src/*"}}, {}),
    "vite-array-cwd": ({"": {"@": "src", "@/*": "src/*"}}, {}),
    "vite-regex": (
        {"": {"~/*": "src/*", "~*": "node_modules/*"}},
        {"vite.config.ts": "'env': mode === 'test' ? './mocks/env' : './env'"},
    ),
    "babel-require-resolve": ({"": {"src": "src", "src/*": "src/*", "*": "*"}}, {}),
    "babelrc-json": (
        {
            "viz-lib": {
                "@": "viz-lib/src",
                "@/*": "viz-lib/src/*",
                "@images/*": "viz-lib/assets/images/*",
                "*": "viz-lib/src/*",
            }
        },
        {},
    ),
    "next-assign": ({"": {"@": "src", "@/*": "src/*", "public": "public", "public/*": "public/*"}}, {}),
    "webpack-destructured": ({"": {"~": "src", "~/*": "src/*"}}, {}),
    "webpack-env": (
        {"": {"@": "client/app", "@/*": "client/app/*"}},
        {"webpack.config.js": "'extensions': extensionPath"},
    ),
    "webpack-vue2": ({"": {"@": "src", "@/*": "src/*", "shared": "src/shared/index.js"}}, {}),
    "webpack-not-read": ({}, {"webpack.config.eslint.ts": "alias: config.webpack.alias"}),
}


def read_files(files: dict[str, str]) -> tuple[BundlerAliases, list[Problem]]:
    """The aliases of a repository holding these files (every bundler config among them)."""
    problems: list[Problem] = []
    configs = sorted(path for path in files if bundler_kind(path) is not None)
    return bundler_aliases(files.get, configs, problems), problems


def mapped(found: BundlerAliases) -> dict[str, dict[str, str]]:
    """Each folder's aliases: pattern -> its (one) target."""
    return {
        folder: {pattern: targets[0] for pattern, targets in aliases.paths}
        for folder, aliases in found.folders.items()
    }


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_forms_public_projects_write_are_read(name: str) -> None:
    folder = FIXTURES / name
    files = {p.relative_to(folder).as_posix(): p.read_text() for p in folder.rglob("*") if p.is_file()}
    found, problems = read_files(files)
    aliases, not_read = EXPECTED[name]
    assert mapped(found) == aliases
    assert found.not_read == not_read
    assert problems == []


def test_every_fixture_is_asserted() -> None:
    folders = {p.name for p in FIXTURES.iterdir() if p.is_dir()}
    assert folders == set(EXPECTED)


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("vite.config.ts", "vite"),
        ("apps/web/vitest.config.mts", "vite"),
        ("webpack.config.prod.js", "webpack"),
        ("build/webpack.base.conf.js", "webpack"),
        ("webpack/common.js", "webpack"),
        ("vue.config.js", "webpack"),
        ("next.config.mjs", "next"),
        (".babelrc", "babel"),
        ("babel.config.cjs", "babel"),
        ("webpack.d.ts", None),
        ("src/vite.ts", None),
        ("vite.config.json", None),
    ],
)
def test_bundler_configs_are_known_by_name(path: str, kind: str | None) -> None:
    assert bundler_kind(path) == kind


def test_a_webpack_config_in_a_folder_of_build_configs_applies_to_the_project_above() -> None:
    assert config_scope("build/webpack.base.conf.js", "webpack") == ""
    assert config_scope("apps/web/webpack/prod.js", "webpack") == "apps/web"
    assert config_scope("apps/web/config/vite.config.ts", "vite") == "apps/web/config"


VITE = """import path from 'path'
export default { resolve: { alias: { %s } } }
"""


@pytest.mark.parametrize(
    ("alias", "expected"),
    [
        ("'@': '/src'", {"@": "apps/web/src"}),  # vite's root-relative path
        ("'@/': `${path.resolve(__dirname, 'src')}/`", {"@": "apps/web/src"}),  # both slashes dropped
        ("'@': import.meta.dirname + '/src'", {"@": "apps/web/src"}),
        ("'@': path.posix.join(__dirname, 'src', '..', 'lib')", {"@": "apps/web/lib"}),
        ("'@': path.resolve(__dirname, '..', '..')", {"@": ""}),  # the repository's root itself
        ("react: path.resolve(__dirname, 'node_modules/react')", {"react": "apps/web/node_modules/react"}),
        ("vue: 'vue/dist/vue.esm.js', x: ''", {}),  # a package, nothing: passed over, not said
    ],
)
def test_vite_alias_values(alias: str, expected: dict[str, str]) -> None:
    found, problems = read_files({"apps/web/vite.config.js": VITE % alias})
    assert {p: t for p, t in mapped(found).get("apps/web", {}).items() if not p.endswith("*")} == expected
    assert not found.not_read and not problems


@pytest.mark.parametrize(
    "alias",
    [
        "'@': './src'",  # relative to each importing file in vite: no alias of the repo
        "'@': process.env.SRC",
        "'@': path.resolve(__dirname, process.env.SRC)",
        "'@': someFunction('src')",
        "'@/*': path.resolve(__dirname, 'src')",  # a `*` in a key is no name
        "[key]: path.resolve(__dirname, 'src')",
        "'@': '/\\0repo/src'",  # a NUL never stands for the repository's root
        "'@': `/\\u0000repo/src`",
        "...others",
    ],
)
def test_a_value_not_read_is_said_and_not_used(alias: str) -> None:
    found, problems = read_files({"apps/web/vite.config.js": VITE % alias})
    assert found.folders == {} and not problems
    assert list(found.not_read) == ["apps/web/vite.config.js"]


@pytest.mark.parametrize(
    "alias",
    [
        "'@': path.resolve(__dirname, '../../../other')",  # climbs out of the repository
        "'@': path.resolve('/etc')",
        "'@': '/../../../etc'",  # vite's root-relative path, climbing out
        "'@': fileURLToPath(new URL('/etc', import.meta.url))",
    ],
)
def test_a_target_out_of_the_repository_is_a_problem_and_not_used(alias: str) -> None:
    text = "import { fileURLToPath } from 'node:url'\n" + VITE % alias
    found, problems = read_files({"apps/web/vite.config.js": text})
    assert found.folders == {} and not found.not_read
    assert [p.path for p in problems] == ["apps/web/vite.config.js"]
    assert "leads out of the repository" in problems[0].message


def test_an_absolute_webpack_target_is_a_problem() -> None:
    found, problems = read_files({"webpack.config.js": "module.exports = {resolve: {alias: {x: '/src'}}}"})
    assert found.folders == {} and len(problems) == 1


@pytest.mark.parametrize(
    "text",
    [
        "const a = b; const b = a;\nexport default { resolve: { alias: { '@': a } } }",
        "function f(x) { return f(x) }\nexport default { resolve: { alias: { '@': f('src') } } }",
        # a parameter named `path` is no module of Node
        "export default (path) => ({ resolve: { alias: { '@': path.resolve(__dirname, 'src') } } })",
        "const x = 'src';\nfunction g() { const x = process.env.X; return { resolve: { alias: { '@': x } } } }",
    ],
)
def test_names_are_followed_where_they_are_bound_and_no_further(text: str) -> None:
    found, problems = read_files({"vite.config.ts": text})
    assert found.folders == {} and not problems and list(found.not_read) == ["vite.config.ts"]


def test_names_of_enclosing_scopes_and_local_helpers_are_read() -> None:
    text = """import { dirname, resolve as r } from 'node:path'
import { fileURLToPath } from 'node:url'
const __dirname = dirname(fileURLToPath(import.meta.url))
const at = (p: string): string => r(__dirname, p)
export default defineConfig(({ mode }) => {
  const shared = { '~': at('shared') }
  const alias = { ...shared, '@': at('src') } as Record<string, string>
  return { resolve: { alias } }
})
"""
    found, _ = read_files({"web/vite.config.ts": text})
    assert mapped(found)["web"] == {
        "~": "web/shared",
        "~/*": "web/shared/*",
        "@": "web/src",
        "@/*": "web/src/*",
    }


def test_webpack_forms() -> None:
    text = """const path = require('path')
module.exports = [{
  resolve: { alias: [{ name: 'x', alias: path.resolve(__dirname, 'src/x'), onlyModule: true }] },
}, merge(common, {
  resolve: { alias: { 'y$': path.resolve(__dirname, 'src/y.js'), ui: path.join(__dirname, 'src', 'ui') } },
})]
function more(config) {
  Object.assign(config.resolve.alias, { legacy: path.resolve(__dirname, 'src/legacy') })
  config.resolve.alias.icons = path.resolve(__dirname, 'src/icons')
}
"""
    found, problems = read_files({"webpack.config.js": text})
    assert mapped(found)[""] == {
        "x": "src/x", "y": "src/y.js", "ui": "src/ui", "ui/*": "src/ui/*", "legacy": "src/legacy",
        "legacy/*": "src/legacy/*", "icons": "src/icons", "icons/*": "src/icons/*",
    }  # fmt: skip
    assert not problems and not found.not_read


def test_babel_forms() -> None:
    js = """const path = require('path')
module.exports = function (api) {
  api.cache(true)
  return { plugins: [['babel-plugin-module-resolver', { root: ['./src', 'lib'], alias: {
    '@': path.resolve(__dirname, 'src'), '^~/(.*)': './src/\\\\1', underscore: 'lodash', x: process.env.X,
  } }]] }
}
"""
    found, _ = read_files({"app/babel.config.js": js, "bad/.babelrc": "{ plugins: [ nope"})
    assert mapped(found)["app"] == {
        "@": "app/src", "@/*": "app/src/*", "~/*": "app/src/*", "*": "app/src/*",
    }  # fmt: skip
    assert found.not_read == {
        "app/babel.config.js": "'x': process.env.X",
        "bad/.babelrc": "the whole file: not JSON",
    }
    assert found.read == {"app/babel.config.js": ("@", "~", "*")}


def test_the_configs_of_one_folder_are_one_map_vites_first() -> None:
    files = {
        "vite.config.ts": VITE % "'@': path.resolve(__dirname, 'src')",
        "webpack.config.js": "const path = require('path')\n"
        "module.exports = {resolve: {alias: {'@': path.resolve(__dirname, 'old'), w: path.resolve(__dirname, 'w')}}}",
    }
    found, _ = read_files(files)
    assert mapped(found)[""]["@"] == "src" and mapped(found)[""]["w"] == "w"
    assert found.read == {"vite.config.ts": ("@",), "webpack.config.js": ("w",)}
    assert found.folders[""].config == "vite.config.ts"


def test_a_config_too_large_is_not_read() -> None:
    found, _ = read_files({"vite.config.js": VITE % "'@': '/src'" + "//" + "x" * 300_000})
    assert found.folders == {} and found.not_read == {"vite.config.js": "the whole file: larger than 256 KB"}


def test_a_hostile_config_is_read_in_bounded_work() -> None:
    """A value that doubles at each name (2^40 strings without a bound on the work), and a name used
    2,000 blocks deep: neither is read, and reading ends."""
    doubling = "const a0 = 'src';\n" + "".join(f"const a{n + 1} = a{n} + a{n};\n" for n in range(40))
    deep = (
        "const path = require('path');\n"
        + "{" * 2000
        + "x = { resolve: { alias: { '@': path.resolve(__dirname, 'src') } } }"
        + "}" * 2000
    )
    found, _ = read_files({"vite.config.js": doubling + VITE % "'@': a40", "webpack.config.js": deep})
    assert found.folders == {}
    assert set(found.not_read) == {"vite.config.js", "webpack.config.js"}


def test_a_config_read_again_with_the_same_text_is_not_parsed_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """A backfill builds each week's resolver again: an unchanged config is the same answer, not a parse."""
    parsed: list[str] = []
    read_tree = AliasReader.read_tree

    def counted(reader: AliasReader, root: Node) -> Found:
        parsed.append(reader.cwd)
        return read_tree(reader, root)

    bundlers._aliases.cache_clear()  # other tests may have read the same text

    monkeypatch.setattr(AliasReader, "read_tree", counted)
    files = {"web/vite.config.ts": VITE % "'@': path.resolve(__dirname, 'src')"}
    weeks = [read_files(files)[0] for _ in range(3)]
    assert parsed == ["web"] and all(mapped(w)["web"]["@"] == "web/src" for w in weeks)
    read_files({"web/vite.config.ts": VITE % "'@': path.resolve(__dirname, 'lib')"})  # a new text: read
    assert parsed == ["web", "web"]
