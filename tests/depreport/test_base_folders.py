"""A bare specifier going into a folder under tsconfig `baseUrl` whose module is generated (in no checkout).

hoppscotch/hoppscotch's packages/hoppscotch-backend (NestJS, `"baseUrl": "./"`) imports its Prisma client
as `src/generated/prisma/client` from 24 files (62 imports); `prisma generate` writes that folder and
.gitignore leaves it out. With `src/` a folder under baseUrl, tsc finds the module there once generated,
but every import was counted as an npm package `src`, which no package.json declares.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from depreport.cli import main
from depreport.config import load_config
from depreport.resolve.packages import types_package
from depreport.resolve.specifiers import Resolver, declared_lookup, moved_lookups
from depreport.resolve.tsconfig import PathAliases
from depreport.runinfo import RunInfo
from depreport.scan.assembly import ScanOptions
from depreport.scan.pack import decode_pack, encode_pack
from depreport.scan.pipeline import scan
from tests.helpers import git, git_repo, write_files

INFO = RunInfo(repo="acme/api", commit="0" * 40, branch="main", generated_at="2026-01-05T10:00:00Z")

BACKEND = "packages/hoppscotch-backend"
FILES = [f"{BACKEND}/src/user/user.service.ts", f"{BACKEND}/src/prisma/prisma.service.ts", "lodash/fp.js"]
ALIASES = {
    BACKEND: PathAliases.of(f"{BACKEND}/tsconfig.json", BACKEND, []),
    "": PathAliases.of("tsconfig.json", "", []),
}


@pytest.mark.parametrize(
    ("specifier", "importer", "declared", "expected"),
    [
        pytest.param(
            "src/generated/prisma/client",
            f"{BACKEND}/src/user/user.service.ts",
            (),
            (f"{BACKEND}/src/generated/prisma/client", "", "tsconfig-paths"),
            id="generated-module",
        ),
        pytest.param(
            "src/prisma/prisma.service",
            f"{BACKEND}/src/user/user.service.ts",
            (),
            (f"{BACKEND}/src/prisma/prisma.service", "", "tsconfig-paths"),
            id="a-module-there",
        ),
        pytest.param(
            "@prisma/client/runtime",
            f"{BACKEND}/src/a.ts",
            (),
            ("@prisma/client", "runtime", "npm"),
            id="npm",
        ),
        pytest.param("lodash/get", "src/a.ts", ("lodash",), ("lodash", "get", "npm"), id="declared"),
        pytest.param(
            "lodash/get", "src/a.ts", (), ("lodash/get", "", "tsconfig-paths"), id="undeclared-root-folder"
        ),
        pytest.param("src", f"{BACKEND}/src/a.ts", (), ("src", "", "npm"), id="the-folder-itself"),
        # formbricks' apps/formbricks-com ("baseUrl": ".") has a folder mdx/ and imports `mdx/types` from
        # the declared `@types/mdx`, where tsc finds it: not the folder's module (1 import over 71 weeks)
        pytest.param(
            "lodash/get", "src/a.ts", ("@types/lodash",), ("lodash", "get", "npm"), id="types-declared"
        ),
        pytest.param(
            "lodash/get",
            "src/a.ts",
            ("@types/lodash-es",),
            ("lodash/get", "", "tsconfig-paths"),
            id="other-types",
        ),
    ],
)
def test_a_bare_specifier_into_a_folder_under_base_url(
    specifier: str, importer: str, declared: tuple[str, ...], expected: tuple[str, str, str]
) -> None:
    resolver = Resolver(FILES, ALIASES, declared=frozenset(declared))
    found = resolver.resolve(specifier, importer, "typescript")
    assert (found.package, found.subpath, found.how) == expected


def test_the_folder_and_the_declared_dependency_are_lookups_a_new_file_there_answers() -> None:
    looked_up: set[str] = set()
    Resolver(FILES, ALIASES).for_file(FILES[0], "typescript", looked_up)("src/generated/prisma/client")
    assert {declared_lookup("src"), declared_lookup("@types/src"), f"{BACKEND}/src/"} <= looked_up
    assert f"{BACKEND}/src/" in moved_lookups([f"{BACKEND}/src/health/health.controller.ts"])
    assert f"{BACKEND}/src/" not in moved_lookups([f"{BACKEND}/test/e2e.ts"])


def test_an_incremental_scan_resolves_again_when_the_folder_appears(tmp_path: Path) -> None:
    root = git_repo(
        tmp_path / "repo",
        {
            "tsconfig.json": json.dumps({"compilerOptions": {"baseUrl": "."}}),
            "main.ts": "import { User } from 'src/generated/prisma/client';\n",
            **{f"lib/m{n}.ts": f"export const m{n} = {n};\n" for n in range(8)},
        },
    )
    first = scan(_options(root), INFO, keep=True)
    assert first.pack is not None and "src" in json.loads(first.report_json())["packages"]
    write_files(root, {"src/app.module.ts": "export class AppModule {}\n"})
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "src")
    second = scan(_options(root), INFO, previous=decode_pack(encode_pack(first.pack)))
    assert second.restored
    assert second.report_json() == scan(_options(root), INFO).report_json()
    assert "src/generated/prisma/client" in json.loads(second.report_json())["packages"]


def _options(root: Path) -> ScanOptions:
    return ScanOptions(root=root, config=load_config(root), jobs=1, cache_dir=None)


def test_a_scan_counts_the_generated_client_as_the_backends_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = git_repo(
        tmp_path / "repo",
        {
            f"{BACKEND}/.gitignore": "src/generated/\n",
            f"{BACKEND}/package.json": json.dumps(
                {"name": "hoppscotch-backend", "dependencies": {"@prisma/client": "6"}}
            ),
            f"{BACKEND}/tsconfig.json": json.dumps(
                {"compilerOptions": {"baseUrl": "./", "module": "commonjs"}}
            ),
            f"{BACKEND}/src/user/user.service.ts": "import { User } from 'src/generated/prisma/client';\n",
        },
    )
    assert main(["scan", str(repo), "--no-cache", "--format", "jsonl"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["package"], r["resolved"]) for r in records] == [
        (f"{BACKEND}/src/generated/prisma/client", "tsconfig-paths")
    ]


@pytest.mark.parametrize(
    ("name", "types"),
    [("mdx", "@types/mdx"), ("@babel/core", "@types/babel__core"), ("node", "@types/node")],
)
def test_the_types_package_of_a_package(name: str, types: str) -> None:
    assert types_package(name) == types
