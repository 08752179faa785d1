"""A bare specifier under a tsconfig `baseUrl` that names a module declared only by `.d.ts` files.

makeplane/plane's web app (`"baseUrl": "."`) kept its types in `web/types/*.d.ts` with an `index.d.ts`,
imported as `from "types"` (477 lines, 827 imports in December 2023); TypeScript resolves that to
`web/types/index.d.ts`. Declaration files are not read by default, so the resolver did not know them:
every import was npm `types`, which no package.json declares, and a group `paths = ["web/types/**"]`
counted nothing until the folder moved into the `@plane/types` workspace package (January 2024).
"""

from __future__ import annotations

import json
from pathlib import Path

from depreport.cli import main
from depreport.config import load_config
from depreport.resolve.specifiers import Resolver, declaration_module_id
from depreport.resolve.tsconfig import PathAliases
from depreport.runinfo import RunInfo
from depreport.scan.assembly import ScanOptions
from depreport.scan.pack import decode_pack, encode_pack
from depreport.scan.pipeline import scan
from tests.helpers import commit_at, git, git_repo, write_files

INFO = RunInfo(repo="makeplane/plane", commit="0" * 40, branch="develop", generated_at="2026-01-05T10:00:00Z")
WEB = {
    "package.json": json.dumps({"name": "plane", "workspaces": ["web"]}),
    "web/package.json": json.dumps({"name": "web", "dependencies": {"react": "18"}}),
    "web/tsconfig.json": json.dumps({"compilerOptions": {"baseUrl": "."}}),
    "web/components/cycle.tsx": (
        'import { ICycle, IUser } from "types";\nimport { IState } from "types/state";\n'
        "export const none: ICycle | IUser | IState | null = null;\n"
    ),
}
TYPES = {
    "web/types/index.d.ts": 'export * from "./users";\nexport interface ICycle { id: string }\n',
    "web/types/users.d.ts": "export interface IUser { id: string }\n",
    "web/types/state.d.ts": "export interface IState { id: string }\n",
}
GROUPS = '[[groups]]\nname = "web types"\npaths = ["web/types/**"]\ntarget = true\n'


def test_the_module_of_a_declaration_file() -> None:
    assert declaration_module_id("web/types/index.d.ts") == "web/types"
    assert declaration_module_id("web/types/state.d.mts") == "web/types/state"
    aliases = {"web": PathAliases.of("web/tsconfig.json", "web", [])}
    resolver = Resolver(["web/components/cycle.tsx"], aliases, declarations=tuple(TYPES))
    for specifier, module in (("types", "web/types"), ("types/state", "web/types/state")):
        found = resolver.resolve(specifier, "web/components/cycle.tsx", "tsx")
        assert (found.package, found.how) == (module, "tsconfig-paths")
    found = Resolver(["web/components/cycle.tsx"], aliases).resolve(
        "types", "web/components/cycle.tsx", "tsx"
    )
    assert (found.package, found.how) == ("types", "npm")  # no declaration file: an npm package


def test_a_declaration_of_a_declared_package_types_the_npm_package() -> None:
    """`"paths": {"*": ["types/*"]}` with `types/some-lib/index.d.ts`: the code of a dependency a
    package.json declares runs from node_modules, so its imports stay the npm package's."""
    aliases = {"": PathAliases.of("tsconfig.json", "", [("*", ("types/*",))])}
    declarations = ("types/some-lib/index.d.ts", "types/internal-api/index.d.ts")
    resolver = Resolver(["src/a.ts"], aliases, declared=frozenset({"some-lib"}), declarations=declarations)
    found = [resolver.resolve(s, "src/a.ts", "typescript") for s in ("some-lib", "internal-api")]
    assert [(f.package, f.how) for f in found] == [
        ("some-lib", "npm"),
        ("types/internal-api", "tsconfig-paths"),
    ]


def test_a_scan_counts_imports_of_declared_modules_in_their_folder(tmp_path: Path) -> None:
    root = git_repo(tmp_path / "repo", {**WEB, **TYPES, "depreport.toml": GROUPS})
    report = json.loads(scan(_options(root), INFO).report_json())
    packages = {name: (p["resolved_as"], p["imports"]) for name, p in report["packages"].items()}
    assert packages == {"web/types": ("tsconfig-paths", 2), "web/types/state": ("tsconfig-paths", 1)}
    assert report["adoption"]["groups"]["web types"]["imports"] == 3


def test_a_scan_from_a_pack_resolves_again_when_a_declaration_file_comes(tmp_path: Path) -> None:
    others = {f"web/lib/m{n}.ts": f"export const m{n} = {n};\n" for n in range(8)}
    root = git_repo(tmp_path / "repo", {**WEB, **others, "depreport.toml": GROUPS})
    first = scan(_options(root), INFO, keep=True)
    assert first.pack is not None and "types" in json.loads(first.report_json())["packages"]
    write_files(root, TYPES)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "types")
    second = scan(_options(root), INFO, previous=decode_pack(encode_pack(first.pack)))
    assert second.report_json() == scan(_options(root), INFO).report_json()
    assert json.loads(second.report_json())["adoption"]["groups"]["web types"]["imports"] == 3


def test_backfilled_weeks_follow_the_declaration_files(tmp_path: Path) -> None:
    """Week 1 has no types folder (npm `types`), week 2 adds it, week 3 changes an importer only, week 4
    moves the folder into a workspace package imported by name (its folder is no longer web/types)."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    moved = {
        "package.json": json.dumps({"name": "plane", "workspaces": ["web", "packages/*"]}),
        "packages/types/package.json": json.dumps({"name": "@plane/types", "types": "./src/index.d.ts"}),
        **{f"packages/types/src/{p.rpartition('/')[2]}": text for p, text in TYPES.items()},
        "web/components/cycle.tsx": WEB["web/components/cycle.tsx"].replace('"types', '"@plane/types'),
    }
    weeks = [
        ("2026-01-06T10:00:00Z", {**WEB, "depreport.toml": GROUPS}),
        ("2026-01-13T10:00:00Z", TYPES),
        ("2026-01-20T10:00:00Z", {"web/components/a.ts": 'import type { IUser } from "types";\n'}),
        ("2026-01-27T10:00:00Z", moved),
    ]
    for when, files in weeks:
        write_files(root, files)
        if when.startswith("2026-01-27"):
            git(root, "rm", "-q", "-r", "web/types", "web/components/a.ts")
        git(root, "add", "-A")
        commit_at(root, when)
    out = tmp_path / "weeks"
    args = ["backfill", str(root), "--since", "2026-01-05", "--weeks", "4", "--out-dir", str(out),
            "--cache-dir", str(tmp_path / "cache"), "--progress", "never"]  # fmt: skip
    assert main(args) == 0
    reports = [json.loads(path.read_text()) for path in sorted(out.rglob("*.json"))]
    assert [r["adoption"]["groups"]["web types"]["imports"] for r in reports] == [0, 3, 4, 0]
    assert [r["packages"].get("types", {}).get("imports", 0) for r in reports] == [3, 0, 0, 0]


def _options(root: Path) -> ScanOptions:
    return ScanOptions(root=root, config=load_config(root), jobs=1, cache_dir=None)
