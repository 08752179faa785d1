"""Deno import maps: a deno.json's `imports` alias specifiers to files of the repo, as tsconfig `paths` do.

Every Fresh 2 app is made with `"@/": "./"` (denoland/fresh's packages/init/src/init.ts), so its routes
import `@/utils.ts` and `@/components/Button.tsx`; those were `unresolved` specifiers, counted under no
folder of the repo, so a group of `paths = ["components/**"]` missed them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from depreport.cli import main
from depreport.model import Problem
from depreport.resolve.importmaps import import_map_aliases
from depreport.resolve.specifiers import Resolver
from tests.helpers import git_repo

FRESH_DENO_JSON = json.dumps(
    {
        "nodeModulesDir": "manual",
        "exclude": ["**/_fresh/*"],
        "imports": {
            "@/": "./",
            "fresh": "jsr:@fresh/core@^2.0.0",
            "preact": "npm:preact@^10.27.0",
            "@preact/signals": "npm:@preact/signals@^2.2.1",
        },
    }
)
FRESH_APP = {
    "deno.json": FRESH_DENO_JSON,
    "utils.ts": 'import { createDefine } from "fresh";\nexport const define = createDefine();\n',
    "components/Button.tsx": 'import type { ComponentChildren } from "preact";\nexport function Button() {}\n',
    "routes/index.tsx": (
        'import { define } from "@/utils.ts";\nimport { Button } from "@/components/Button.tsx";\n'
        'import { useSignal } from "@preact/signals";\nexport default define.page(() => <Button />);\n'
    ),
    "groups.toml": '[[groups]]\nname = "own components"\npaths = ["components/**"]\ntarget = true\n',
}


def test_a_fresh_apps_at_imports_are_its_own_modules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = git_repo(tmp_path / "fresh-app", FRESH_APP)
    args = ["scan", str(repo), "--config", str(repo / "groups.toml"), "--no-cache", "--format", "json"]
    assert main(args) == 0
    report = json.loads(capsys.readouterr().out)
    packages = report["packages"]
    assert packages["utils"]["exports"]["define"]["count"] == 1
    assert packages["components/Button"]["resolved_as"] == "tsconfig-paths"
    assert {"fresh", "preact", "@preact/signals"} <= packages.keys()  # mapped to jsr:/npm:, named as written
    assert not any(name.startswith("@/") for name in packages)
    assert report["adoption"]["groups"]["own components"]["imports"] == 1


@pytest.mark.parametrize(
    ("files", "config", "expected"),
    [
        pytest.param(
            {"deno.json": json.dumps({"workspace": ["./app"], "imports": {"$lib/": "./lib/", "$db": "./db/mod.ts"}})},
            "deno.json", (("$lib/*", ("lib/*",)), ("$db", ("db/mod.ts",))), id="keys-of-a-workspace-root",
        ),
        pytest.param(
            {"app/deno.json": json.dumps({"importMap": "./import_map.json"}),
             "app/import_map.json": json.dumps({"imports": {"~/": "./src/", "react": "https://esm.sh/react@18"}})},
            "app/deno.json", (("~/*", ("app/src/*",)),), id="an-import-map-file",
        ),
        pytest.param(  # a public Fresh 1.5 app's map: emoji keys beside URL targets
            {"deno.json": json.dumps({"imports": {"🛠️/": "./utils/", "🧱/": "./components/",
                                                  "$fresh/": "https://deno.land/x/fresh@1.5.4/"}})},
            "deno.json", (("🛠️/*", ("utils/*",)), ("🧱/*", ("components/*",))), id="emoji-keys",
        ),
        pytest.param(
            {"deno.json": json.dumps({"imports": {"up/": "../../", "std/": "https://deno.land/std/"}})},
            "deno.json", None, id="nothing-in-the-repository",
        ),
    ],
)  # fmt: skip
def test_import_map_keys_become_aliases_of_the_configs_folder(
    files: dict[str, str], config: str, expected: tuple[tuple[str, tuple[str, ...]], ...] | None
) -> None:
    problems: list[Problem] = []
    found = import_map_aliases(files.get, config, problems)
    assert (found.paths if found is not None else None) == expected
    assert problems == []


LUME_DENO_JSON = json.dumps(  # lumeland/lume's deno.json: its own `lume/` beside two longer keys off the repo
    {
        "imports": {
            "lume/": "./",
            "lume/cms/": "https://cdn.jsdelivr.net/gh/lumeland/cms@0.15.8/",
            "lume/jsx-runtime": "https://cdn.jsdelivr.net/gh/oscarotero/ssx@0.1.15/jsx-runtime.ts",
        }
    }
)


@pytest.mark.parametrize(
    ("specifier", "expected"),
    [
        ("lume/core/site.ts", ("core/site", "", "tsconfig-paths")),
        ("lume/cms/storage/fs.ts", ("lume", "cms/storage/fs.ts", "npm")),
        ("lume/jsx-runtime", ("lume", "jsx-runtime", "npm")),
    ],
)
def test_the_longest_key_decides_even_when_its_target_is_off_the_repo(
    specifier: str, expected: tuple[str, str, str]
) -> None:
    """lume's plugins/lume_cms.ts imports `lume/cms/storage/fs.ts` and deps/ssx.ts `lume/jsx-runtime`, which
    its map sends to URLs; they were the shorter key's `cms/storage/fs` and `jsx-runtime`, paths the repo
    does not have. The longest key decides, as in Deno: its URL target leaves the specifier as written."""
    aliases = import_map_aliases({"deno.json": LUME_DENO_JSON}.get, "deno.json", [])
    assert aliases is not None
    files = ["core/site.ts", "plugins/lume_cms.ts"]
    found = Resolver(files, aliases={"": aliases}).resolve(specifier, "plugins/lume_cms.ts", "typescript")
    assert (found.package, found.subpath, found.how) == expected


def test_a_broken_import_map_file_is_a_problem_naming_it() -> None:
    files = {"deno.json": json.dumps({"importMap": "./import_map.json"}), "import_map.json": "{oops"}
    problems: list[Problem] = []
    assert import_map_aliases(files.get, "deno.json", problems) is None
    assert [p.path for p in problems] == ["import_map.json"]
