"""Specifier resolution, table-driven."""

from __future__ import annotations

import subprocess
import sys

import pytest

from depreport.resolve.packages import split_package
from depreport.resolve.specifiers import Resolver, declared_lookup, module_id
from depreport.resolve.tsconfig import PathAliases, parse_jsonc
from depreport.resolve.workspaces import Workspace

FILES = [
    "src/ui/Button.tsx",
    "src/ui/index.ts",
    "src/app/main.ts",
    "lib/util.js",
    "pkg/mod.py",
    "pkg/__init__.py",
]
ALIASES = {"": PathAliases("tsconfig.json", "src", (("@ui/*", ("src/ui/*",)), ("*", ("types/*",))))}
RESOLVER = Resolver(FILES, ALIASES, {"@acme/theme": Workspace("packages/theme")})


@pytest.mark.parametrize(
    ("specifier", "importer", "expected"),
    [
        pytest.param("evergreen-ui", "src/a.ts", ("evergreen-ui", "", "npm"), id="bare"),
        pytest.param("evergreen-ui/buttons", "src/a.ts", ("evergreen-ui", "buttons", "npm"), id="subpath"),
        pytest.param("@mui/material/Button", "src/a.ts", ("@mui/material", "Button", "npm"), id="scoped"),
        pytest.param("fs", "src/a.ts", ("node:fs", "", "builtin"), id="builtin"),
        pytest.param("node:fs/promises", "src/a.ts", ("node:fs", "promises", "builtin"), id="node-prefix"),
        pytest.param("./Button", "src/ui/index.ts", ("src/ui/Button", "", "relative"), id="relative"),
        pytest.param("../ui", "src/app/main.ts", ("src/ui", "", "relative"), id="index-folded"),
        pytest.param("../ui/index.js", "src/app/main.ts", ("src/ui", "", "relative"), id="index-with-ext"),
        pytest.param(
            "../node_modules/jest-expo/android/jest-preset.js",
            "jest/presetAndroid.js",
            ("jest-expo", "android/jest-preset.js", "npm"),
            id="relative-into-node-modules",
        ),
        pytest.param(
            "../../node_modules/@scope/pkg/node_modules/dep/x",
            "src/app/main.ts",
            ("dep", "x", "npm"),
            id="relative-into-nested-node-modules",
        ),
        pytest.param(
            "./node_modules", "src/app/main.ts", ("src/app/node_modules", "", "relative"), id="no-package"
        ),
        pytest.param(
            "./my_node_modules/x", "src/a.ts", ("src/my_node_modules/x", "", "relative"), id="not-the-folder"
        ),
        pytest.param("@ui/Button", "src/app/main.ts", ("src/ui/Button", "", "tsconfig-paths"), id="paths"),
        pytest.param("ui/Button", "src/app/main.ts", ("src/ui/Button", "", "tsconfig-paths"), id="base-url"),
        pytest.param("react", "src/app/main.ts", ("react", "", "npm"), id="star-path-missing-falls-back"),
        pytest.param(
            "@acme/theme/colors", "src/a.ts", ("packages/theme/colors", "", "workspace"), id="workspace"
        ),
        pytest.param("npm:chalk@5", "src/a.ts", ("chalk", "", "npm"), id="deno-npm"),
        pytest.param(
            "npm:@types/node@^22.0.0/fs",
            "src/a.ts",
            ("@types/node", "fs", "npm"),
            id="deno-npm-scoped-subpath",
        ),
        pytest.param("npm:/preact/hooks", "src/a.ts", ("preact", "hooks", "npm"), id="deno-npm-slash"),
        pytest.param("jsr:@std/assert@1/equals", "src/a.ts", ("@std/assert", "equals", "npm"), id="deno-jsr"),
        pytest.param("jsr:/@std/path@^1.0.0", "src/a.ts", ("@std/path", "", "npm"), id="deno-jsr-slash"),
        pytest.param("npm:", "src/a.ts", ("npm:", "", "unresolved"), id="deno-npm-empty"),
        pytest.param("virtual:icons", "src/a.ts", ("virtual:icons", "", "unresolved"), id="unresolved"),
        pytest.param("virtual:x?raw", "src/a.ts", ("virtual:x?raw", "", "unresolved"), id="unresolved-raw"),
        pytest.param("~/utils/c", "src/a.ts", ("~/utils/c", "", "unresolved"), id="tilde-alias"),
        pytest.param("~", "src/a.ts", ("~", "", "unresolved"), id="tilde-alone"),
        pytest.param("lodash.get~1", "src/a.ts", ("lodash.get~1", "", "npm"), id="tilde-inside"),
        pytest.param("react\n", "src/a.ts", ("react\n", "", "unresolved"), id="newline-after-name"),
        pytest.param("@acme/ui\n/x", "src/a.ts", ("@acme/ui\n/x", "", "unresolved"), id="newline-in-scope"),
    ],
)
def test_javascript_resolution(specifier: str, importer: str, expected: tuple[str, str, str]) -> None:
    found = RESOLVER.resolve(specifier, importer, "typescript")
    assert (found.package, found.subpath, found.how) == expected


def test_bundler_aliases_resolve_what_no_tsconfig_maps_after_the_files_own_config() -> None:
    bundler = PathAliases.of("depreport.toml", None, [("@/*", ("src/*",)), ("@ui/*", ("lib/*",))])
    resolver = Resolver(FILES, ALIASES, bundler_aliases=bundler)
    for specifier, expected in [
        ("@/ui/Button", ("src/ui/Button", "", "tsconfig-paths")),
        ("@/ui", ("src/ui", "", "tsconfig-paths")),
        ("@ui/Button", ("src/ui/Button", "", "tsconfig-paths")),  # the tsconfig's own alias comes first
        ("evergreen-ui", ("evergreen-ui", "", "npm")),
    ]:
        found = resolver.resolve(specifier, "src/app/main.ts", "typescript")
        assert (found.package, found.subpath, found.how) == expected
    assert resolver.layout() != Resolver(FILES, ALIASES).layout()  # a pack made without them is not reused
    assert resolver.resolve("@/ui", "pkg/mod.py", "python").how != "tsconfig-paths"


@pytest.mark.parametrize(
    ("specifier", "importer", "expected"),
    [
        pytest.param("os.path", "x.py", ("os", "path", "builtin"), id="stdlib"),
        pytest.param("requests.adapters", "x.py", ("requests", "adapters", "python"), id="third-party"),
        pytest.param("pkg.mod", "x.py", ("pkg/mod", "", "local"), id="local-module"),
        pytest.param("pkg", "x.py", ("pkg", "", "local"), id="local-package"),
        pytest.param(".mod", "pkg/other.py", ("pkg/mod", "", "relative"), id="relative"),
        pytest.param(".", "pkg/other.py", ("pkg", "", "relative"), id="relative-package"),
        pytest.param("..x", "pkg/sub/a.py", ("pkg/x", "", "relative"), id="parent"),
    ],
)
def test_python_resolution(specifier: str, importer: str, expected: tuple[str, str, str]) -> None:
    found = RESOLVER.resolve(specifier, importer, "python")
    assert (found.package, found.subpath, found.how) == expected


ASSET_ALIASES = {
    "": PathAliases(
        "tsconfig.json",
        "src",
        (
            ("@assets/*", ("src/assets/*",)),
            ("@shared/*", ("src/shared/*", "lib/*")),
            ("react", ("node_modules/preact/compat",)),
            ("legacy-lib", ("types/legacy-lib.d.ts",)),
            ("@/*", ("src/*",)),
            ("~/*", ("src/*",)),
            ("*", ("types/*",)),
        ),
    )
}
ASSET_RESOLVER = Resolver(
    ["src/app/main.tsx", "lib/util.ts", "src/config.ts"],
    ASSET_ALIASES,
    {"@acme/theme": Workspace("packages/theme")},
)


@pytest.mark.parametrize(
    ("specifier", "expected"),
    [
        pytest.param(
            "@assets/images/logo.svg", ("src/assets/images/logo.svg", "tsconfig-paths"), id="alias-svg"
        ),
        pytest.param(
            "@/styles/main.module.scss", ("src/styles/main.module.scss", "tsconfig-paths"), id="scss"
        ),
        pytest.param("~/data/countries.json", ("src/data/countries.json", "tsconfig-paths"), id="tilde-json"),
        pytest.param(
            "@assets/fonts/Inter.woff2", ("src/assets/fonts/Inter.woff2", "tsconfig-paths"), id="font"
        ),
        pytest.param("@assets/icons/x.svg?react", ("src/assets/icons/x.svg", "tsconfig-paths"), id="query"),
        pytest.param("./logo.png", ("src/app/logo.png", "relative"), id="relative-png"),
        pytest.param("../styles.css?inline", ("src/styles.css", "relative"), id="relative-query"),
        pytest.param("./doc.md", ("src/app/doc.md", "relative"), id="relative-md"),
        pytest.param("@acme/theme/fonts.css", ("packages/theme/fonts.css", "workspace"), id="workspace-css"),
        pytest.param("@/generated/api", ("src/generated/api", "tsconfig-paths"), id="missing-module"),
        pytest.param("@shared/util", ("lib/util", "tsconfig-paths"), id="second-target-exists"),
        pytest.param("@shared/x.wasm", ("src/shared/x.wasm", "tsconfig-paths"), id="first-target-mapped"),
        pytest.param("@/config", ("src/config", "tsconfig-paths"), id="existing-module"),
        pytest.param("react", ("react", "npm"), id="node-modules-target-is-npm"),
        pytest.param("legacy-lib", ("legacy-lib", "npm"), id="declaration-target-is-npm"),
        pytest.param("bootstrap/dist/css/bootstrap.css", ("bootstrap", "npm"), id="catch-all-css-is-npm"),
        pytest.param("@fontsource/inter/400.css", ("@fontsource/inter", "npm"), id="npm-css"),
    ],
)
def test_files_that_are_not_modules_resolve_to_repo_paths(specifier: str, expected: tuple[str, str]) -> None:
    found = ASSET_RESOLVER.resolve(specifier, "src/app/main.tsx", "tsx")
    assert (found.package, found.how) == expected


def test_a_mapped_path_records_every_target_it_looked_for() -> None:
    resolver = Resolver(["src/app/main.tsx"], ASSET_ALIASES)
    looked_up: set[str] = set()
    resolve = resolver.for_file("src/app/main.tsx", "tsx", looked_up)
    assert resolve("@shared/missing").package == "src/shared/missing"
    assert {"src/shared/missing", "lib/missing"} <= looked_up  # adding either file re-resolves the importer
    after = Resolver(["src/app/main.tsx", "lib/missing.ts"], ASSET_ALIASES)
    assert after.resolve("@shared/missing", "src/app/main.tsx", "tsx").package == "lib/missing"


def test_nearest_tsconfig_wins() -> None:
    aliases = {
        "": PathAliases("tsconfig.json", None, (("@/*", ("src/*",)),)),
        "apps/web": PathAliases("apps/web/tsconfig.json", None, (("@/*", ("apps/web/src/*",)),)),
    }
    resolver = Resolver(["src/x.ts", "apps/web/src/x.ts"], aliases)
    assert resolver.resolve("@/x", "apps/web/src/deep/a.ts", "typescript").package == "apps/web/src/x"
    assert resolver.resolve("@/x", "src/a.ts", "typescript").package == "src/x"


@pytest.mark.parametrize(
    ("path", "module"),
    [
        ("src/a.tsx", "src/a"),
        ("src/ui/index.ts", "src/ui"),
        ("pkg/__init__.py", "pkg"),
        ("index.js", "index"),
    ],
)
def test_module_id(path: str, module: str) -> None:
    assert module_id(path) == module


def test_split_package() -> None:
    assert split_package("@s/p/x/y") == ("@s/p", "x/y")
    assert split_package("p") == ("p", "")


def test_jsonc_allows_comments_and_trailing_commas_but_not_inside_strings() -> None:
    text = '{\n // c\n "a": "http://x", /* b */ "b": [1, 2,],\n}'
    assert parse_jsonc(text) == {"a": "http://x", "b": [1, 2]}


@pytest.mark.parametrize("text", ["/*a" * 200_000, '"' + '\\"' * 100_000, '{"a": 1} /* open'])
def test_jsonc_with_a_comment_or_string_left_open_is_no_json_and_read_in_linear_time(text: str) -> None:
    """An open `/*` or `"` was looked for again from each later one, to the end: 120 KB of `/*a` in a
    tsconfig.json took 27 s, 80 KB of `\\"` 78 s (quadratic: a 2 MB one, hours), hanging scan and
    each backfill week."""
    code = "import sys\nfrom depreport.resolve.tsconfig import parse_jsonc\nparse_jsonc(sys.stdin.read())"
    done = subprocess.run(
        [sys.executable, "-c", code], input=text, capture_output=True, text=True, timeout=60
    )
    assert "JSONDecodeError" in done.stderr.splitlines()[-1]  # a ValueError: a tsconfig that is no JSON


VUE_ALIASES = {  # vuejs/core's tsconfig.json
    "": PathAliases(
        "tsconfig.json",
        None,
        (
            ("@vue/compat", ("packages/vue-compat/src",)),
            ("@vue/*", ("packages/*/src",)),
            ("vue", ("packages/vue/src",)),
        ),
    )
}


@pytest.mark.parametrize(
    ("specifier", "expected"),
    [
        pytest.param("@vue/shared", ("packages/shared/src", "", "tsconfig-paths"), id="repo-package"),
        pytest.param("@vue/consolidate", ("@vue/consolidate", "", "npm"), id="declared-dependency"),
        pytest.param(
            "@vue/consolidate/package.json",
            ("@vue/consolidate", "package.json", "npm"),
            id="declared-subpath",
        ),
        pytest.param("@vue/generated", ("packages/generated/src", "", "tsconfig-paths"), id="undeclared"),
    ],
)
def test_a_declared_dependency_no_paths_target_holds_is_its_npm_package(
    specifier: str, expected: tuple[str, str, str]
) -> None:
    """TypeScript and bundlers look in node_modules when no `paths` target exists: vuejs/core maps `@vue/*`
    to `packages/*/src`, while `@vue/consolidate` is a dependency of packages/compiler-sfc/package.json."""
    resolver = Resolver(
        ["packages/shared/src/index.ts", "packages/compiler-sfc/src/compileTemplate.ts"],
        VUE_ALIASES,
        declared=frozenset({"@vue/consolidate", "@vue/shared"}),
    )
    found = resolver.resolve(specifier, "packages/compiler-sfc/src/compileTemplate.ts", "typescript")
    assert (found.package, found.subpath, found.how) == expected


def test_declared_dependencies_are_an_input_of_resolution() -> None:
    assert Resolver([], declared=frozenset({"a"})).inputs() != Resolver([]).inputs()


def test_a_file_that_looked_for_a_declared_dependency_is_named_when_its_declaration_changes() -> None:
    """jaegertracing/jaeger-ui's 52 weeks: in 17 a package.json began or ceased to declare some
    dependency, and each time a backfill resolved all ~600 files again; only a file whose `paths`
    fallback asked whether its package is declared can resolve otherwise."""
    files = ["packages/shared/src/index.ts", "packages/compiler-sfc/src/compileTemplate.ts"]
    before = Resolver(files, VUE_ALIASES, declared=frozenset({"react"}))
    after = Resolver(files, VUE_ALIASES, declared=frozenset({"react", "@vue/consolidate", "left-pad"}))
    looked_up: set[str] = set()
    resolve = before.for_file(files[1], "typescript", looked_up)
    assert resolve("@vue/consolidate").package == "packages/consolidate/src"
    assert resolve("@vue/shared").package == "packages/shared/src"  # a target exists: no look at declared
    changed = after.lookups_changed_since(before)
    assert changed is not None and looked_up & changed == {declared_lookup("@vue/consolidate")}
    assert after.for_file(files[1], "typescript")("@vue/consolidate").package == "@vue/consolidate"
    assert after.lookups_changed_since(Resolver(files, declared=after.declared)) is None  # aliases changed


def test_a_declaration_file_not_read_coming_or_going_names_the_files_that_looked_for_its_module() -> None:
    """jaegertracing/jaeger-ui's 52 weeks: in 2 a declaration file came or went, and each time a backfill
    resolved all ~600 files again; only a file that looked for the module it declares (or a folder
    above it) can resolve otherwise."""
    star = {"": PathAliases("tsconfig.json", None, (("*", ("types/*",)),))}
    files = ["src/a.ts", "src/b.ts"]
    before = Resolver(files, star, declarations=[])
    after = Resolver(files, star, declarations=["types/foo.d.ts"])
    foo_looked_up: set[str] = set()
    assert before.for_file("src/a.ts", "typescript", foo_looked_up)("foo").package == "foo"
    react_looked_up: set[str] = set()
    before.for_file("src/b.ts", "typescript", react_looked_up)("react")
    changed = after.lookups_changed_since(before)
    assert changed is not None and "types/foo" in changed & foo_looked_up
    assert not react_looked_up & changed
    assert after.for_file("src/a.ts", "typescript")("foo").package == "types/foo"
