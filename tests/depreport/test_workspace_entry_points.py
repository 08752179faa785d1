"""A workspace package's import names the module its package.json points at (`exports`, `main`, ...),
the same module a relative import of that file names; so a design system kept as a workspace package
with a `src/index.ts` barrel is followed through that barrel. AFFiNE's `@affine/infra/blocksuite`
(`"exports": {"./blocksuite": "./src/blocksuite/index.ts"}`) was `packages/common/infra/blocksuite`,
a folder that does not exist."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from depreport.model import Problem
from depreport.resolve.packages import Resolved
from depreport.resolve.specifiers import Resolver
from depreport.resolve.workspaces import entry_points, workspace_packages
from depreport.scan.discover import DiscoverOptions, discover_files

MANIFESTS = {
    "package.json": {"workspaces": ["packages/*"]},
    "packages/infra/package.json": {
        "name": "@t/infra",
        "exports": {
            ".": {"types": "./dist/index.d.ts", "import": "./src/index.ts"},
            "./blocksuite": "./src/blocksuite/index.ts",
            "./ui/*": {"default": "./src/ui/*/index.tsx"},
            "./*": "./src/*.ts",
            "./private/*": None,
        },
    },
    "packages/theme/package.json": {"name": "@t/theme", "main": "lib/index.js", "source": "src/main.ts"},
    "packages/built/package.json": {"name": "@t/built", "main": "dist/index.js"},
}
FILES = [
    "packages/infra/src/index.ts",
    "packages/infra/src/blocksuite/index.ts",
    "packages/infra/src/ui/button/index.tsx",
    "packages/infra/src/utils.ts",
    "packages/theme/src/main.ts",
    "packages/built/src/index.ts",
    "app/a.ts",
]


def resolver() -> Resolver:
    texts = {path: json.dumps(data) for path, data in MANIFESTS.items()}
    return Resolver(FILES, {}, workspace_packages(texts.get, sorted(texts)))


@pytest.mark.parametrize(
    ("specifier", "module"),
    [
        ("@t/infra", "packages/infra/src"),  # the "import" target; the "types" one is not in the repo
        ("@t/infra/blocksuite", "packages/infra/src/blocksuite"),
        ("@t/infra/ui/button", "packages/infra/src/ui/button"),  # a pattern, more specific than ./*
        ("@t/infra/utils", "packages/infra/src/utils"),
        ("@t/infra/missing", "packages/infra/missing"),  # no target in the repo: folder and subpath
        ("@t/infra/private/x", "packages/infra/private/x"),
        ("@t/theme", "packages/theme/src/main"),  # `source` before `main`
        ("@t/built", "packages/built"),  # only a built entry: the package's folder, as before
        ("@t/built/src", "packages/built/src"),
    ],
)
def test_a_workspace_import_names_the_module_its_entry_point_is(specifier: str, module: str) -> None:
    assert resolver().resolve(specifier, "app/a.ts", "ts") == Resolved(module, "", "workspace")


def test_the_relative_and_the_workspace_import_of_one_file_agree() -> None:
    found = resolver()
    by_name = found.resolve("@t/infra/blocksuite", "app/a.ts", "ts")
    by_path = found.resolve("../packages/infra/src/blocksuite", "app/a.ts", "ts")
    assert by_name.package == by_path.package


def test_entry_points_of_a_string_export_and_of_conditions_without_subpaths() -> None:
    assert entry_points({"exports": "./src/index.ts", "main": "dist/index.js"}) == (
        (".", ("./src/index.ts", "dist/index.js")),
    )
    assert entry_points({"exports": {"import": "./a.mjs", "require": ["./b.cjs"]}}) == (
        (".", ("./a.mjs", "./b.cjs")),
    )
    assert entry_points({"exports": 7, "main": 3}) == ()


def test_an_import_of_a_workspace_package_goes_through_its_barrel(tmp_path: Path) -> None:
    """End to end: `@t/ui`'s src/index.ts re-exports evergreen-ui's Button; an app imports `@t/ui`."""
    files = {
        "package.json": {"name": "root", "private": True, "workspaces": ["packages/*", "apps/*"]},
        "packages/ui/package.json": {"name": "@t/ui", "main": "src/index.ts"},
        "packages/ui/src/index.ts": "export { Button } from 'evergreen-ui';\n",
        "apps/web/src/a.tsx": "import { Button } from '@t/ui';\nexport const A = () => <Button />;\n",
    }
    for path, content in files.items():
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content if isinstance(content, str) else json.dumps(content))
    done = subprocess.run(
        [sys.executable, "-m", "depreport", "scan", str(tmp_path), "--format", "json", "--no-git",
         "--progress", "never", "--no-cache"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    usage = json.loads(done.stdout)["usage"]
    assert [row[2:] for row in usage["through"]] == [["evergreen-ui", "", "npm", "Button", "packages/ui/src"]]


DENO = {  # denoland/std: a Deno workspace; deno.json may hold comments
    "deno.json": '{\n  // the packages\n  "workspace": ["./assert", "./path"],\n  "imports": {"fast-check": "npm:fast-check@3.8.0"}\n}',
    "assert/deno.json": '{"name": "@std/assert", "version": "1.0.19", "exports": {".": "./mod.ts", "./equals": "./equals.ts"}}',
    "path/deno.jsonc": '{"name": "@std/path", "exports": "./mod.ts",}',
}  # fmt: skip


@pytest.mark.parametrize(
    ("specifier", "expected"),
    [
        ("@std/assert", ("assert/mod", "", "workspace")),
        ("@std/assert/equals", ("assert/equals", "", "workspace")),
        ("@std/path", ("path/mod", "", "workspace")),
        ("@std/fmt", ("@std/fmt", "", "npm")),
    ],
)
def test_a_deno_workspace_member_is_a_workspace_package(
    specifier: str, expected: tuple[str, str, str]
) -> None:
    """denoland/std's `import { assertEquals } from "@std/assert"` is its own assert/mod.ts, a member of
    the workspace its root deno.json lists, named by assert/deno.json."""
    problems: list[Problem] = []
    workspaces = workspace_packages(DENO.get, sorted(DENO), problems)
    files = ["assert/mod.ts", "assert/equals.ts", "path/mod.ts", "path/join.ts"]
    assert Resolver(files, {}, workspaces).resolve(specifier, "path/join.ts", "ts") == Resolved(*expected)
    assert problems == []


def test_deno_manifests_are_found_with_package_json(tmp_path: Path) -> None:
    for path, text in {**DENO, "assert/mod.ts": "", "path/mod.ts": ""}.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    found = discover_files(tmp_path, DiscoverOptions(use_git=False))
    assert found.manifests == ["assert/deno.json", "deno.json", "path/deno.jsonc"]


@pytest.mark.parametrize("wrap", [lambda v: {"import": v}, lambda v: [v]], ids=["conditions", "fallbacks"])
def test_exports_nested_as_deep_as_json_allows_still_give_their_target(wrap: object) -> None:
    """An `exports` value nested 900 conditions (or fallback lists) deep, still valid JSON, ended the
    scan with a RecursionError traceback while its targets were collected; each target is found,
    at any depth."""
    value: object = "./src/index.ts"
    for _ in range(900):
        value = wrap(value)  # type: ignore[operator]
    manifest = json.loads(json.dumps({"name": "@t/deep", "exports": {".": value}}))
    assert entry_points(manifest) == ((".", ("./src/index.ts",)),)
