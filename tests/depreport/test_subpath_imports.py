"""Node's subpath imports: a package.json's `imports` map `#name` specifiers for the files of its package.

vitest's packages/vitest imports `#module-evaluator`, which its package.json maps to the source file
under the condition `__vitest_source__`, and its test/e2e package maps `#test-utils` to
`../test-utils/index.ts` (99 imports); both were `unresolved` specifiers, counted under no folder of the
repo.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from depreport.cli import main
from depreport.resolve.specifiers import Resolver
from depreport.resolve.subpathimports import package_imports
from depreport.resolve.tsconfig import PathAliases
from depreport.resolve.workspaces import Workspace
from tests.helpers import git_repo

VITEST_IMPORTS = {
    "#module-evaluator": {
        "__vitest_source__": "./src/runtime/moduleRunner/moduleEvaluator.ts",
        "types": "./dist/module-evaluator.d.ts",
        "default": "./dist/module-evaluator.js",
    },
    "#nodejs-worker-loader": "./dist/nodejs-worker-loader.js",
}
MANIFESTS = {
    "package.json": json.dumps({"name": "vitest-monorepo", "private": True}),
    "packages/vitest/package.json": json.dumps({"name": "vitest", "imports": VITEST_IMPORTS}),
    "packages/vitest/src/runtime/moduleRunner/moduleEvaluator.ts": "export class VitestModuleEvaluator {}\n",
    "test/e2e/package.json": json.dumps({"name": "@vitest/test-e2e", "imports": {"#test-utils": "../test-utils/index.ts"}}),
    "test/test-utils/index.ts": "export function runVitest() {}\n",
    "test/e2e/fixtures/no-imports/package.json": json.dumps({"name": "fixture"}),
    "lib/package.json": json.dumps({"imports": {
        "#internal/*": "./src/internal/*.js", "#dep": "some-package", "#node:*": "node:*",
        "#polyfilled": {"node": "dep-node-native", "default": "./src/polyfill.js"},
        "#native": {"node": "dep-node-native", "default": "./dist/polyfill.js"},
        "#sub/*": "@scope/pkg/sub/*", "#ui": "@acme/ui/button",
    }}),
    "lib/src/internal/errors.js": "export class E {}\n",
    "lib/src/polyfill.js": "export {}\n",
    "packages/ui/package.json": json.dumps({"name": "@acme/ui"}),
}  # fmt: skip


def _resolver(files: dict[str, str]) -> Resolver:
    manifests = [path for path in files if path.endswith("package.json")]
    sources = [path for path in files if not path.endswith(".json")]
    return Resolver(
        sources,
        has_file=lambda path: path in files,
        package_imports=package_imports(files.get, manifests),
        workspaces={"@acme/ui": Workspace("packages/ui")},
    )


@pytest.mark.parametrize(
    ("specifier", "importer", "expected"),
    [
        pytest.param(
            "#module-evaluator", "packages/vitest/src/runtime/workers/base.ts",
            ("packages/vitest/src/runtime/moduleRunner/moduleEvaluator", "", "tsconfig-paths"),
            id="first-condition-that-is-a-file",
        ),
        pytest.param(
            "#nodejs-worker-loader", "packages/vitest/src/node/pool.ts",
            ("packages/vitest/dist/nodejs-worker-loader", "", "tsconfig-paths"), id="build-output-named-as-mapped",
        ),
        pytest.param(
            "#test-utils", "test/e2e/test/reporters/junit.test.ts", ("test/test-utils", "", "tsconfig-paths"),
            id="a-target-beside-the-package",
        ),
        pytest.param(
            "#internal/errors", "lib/src/index.js", ("lib/src/internal/errors", "", "tsconfig-paths"), id="pattern",
        ),
        pytest.param(
            "#test-utils", "test/e2e/fixtures/no-imports/basic.test.ts", ("#test-utils", "", "unresolved"),
            id="the-nearest-package-json-maps-nothing",
        ),
        pytest.param(
            "#module-evaluator", "test/e2e/test/a.test.ts", ("#module-evaluator", "", "unresolved"),
            id="another-packages-key",
        ),
        pytest.param("#dep", "lib/src/index.js", ("some-package", "", "npm"), id="a-package-target"),
        pytest.param("#node:fs", "lib/src/index.js", ("node:fs", "", "builtin"), id="a-builtin-target"),
        pytest.param("#sub/a/b", "lib/src/index.js", ("@scope/pkg", "sub/a/b", "npm"), id="a-package-pattern"),
        pytest.param(
            "#polyfilled", "lib/src/index.js", ("lib/src/polyfill", "", "tsconfig-paths"), id="a-file-of-the-repo-first",
        ),
        pytest.param(
            "#native", "lib/src/index.js", ("dep-node-native", "", "npm"), id="else-the-package-before-build-output",
        ),
        pytest.param("#ui", "lib/src/index.js", ("packages/ui/button", "", "workspace"), id="a-workspace-package"),
    ],
)  # fmt: skip
def test_a_hash_specifier_is_what_the_nearest_package_json_maps_it_to(
    specifier: str, importer: str, expected: tuple[str, str, str]
) -> None:
    found = _resolver(MANIFESTS).resolve(specifier, importer, "typescript")
    assert (found.package, found.subpath, found.how) == expected


def test_a_tsconfig_alias_of_the_same_name_is_tried_first() -> None:
    files = {**MANIFESTS, "test/test-utils/other.ts": "export {}\n"}
    resolver = _resolver(files)
    resolver.aliases = {
        "": PathAliases.of("tsconfig.json", None, [("#test-utils", ("test/test-utils/other.ts",))])
    }
    found = resolver.resolve("#test-utils", "test/e2e/test/a.test.ts", "typescript")
    assert (found.package, found.how) == ("test/test-utils/other", "tsconfig-paths")


def test_a_scan_counts_a_hash_import_under_the_file_it_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {**MANIFESTS, "test/e2e/test/junit.test.ts": "import { runVitest } from '#test-utils'\n"}
    repo = git_repo(tmp_path / "vitest", files)
    assert main(["scan", str(repo), "--no-cache", "--format", "jsonl"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["package"], r["resolved"]) for r in records if r["specifier"] == "#test-utils"] == [
        ("test/test-utils", "tsconfig-paths")
    ]


def test_a_change_of_imports_changes_the_resolvers_layout() -> None:
    changed = {**MANIFESTS, "lib/package.json": json.dumps({"imports": {"#internal/*": "./lib/*.js"}})}
    assert _resolver(MANIFESTS).layout() != _resolver(changed).layout()
