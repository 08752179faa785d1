"""A tsconfig extending one that a framework writes on install (git-ignored, in no checkout): SvelteKit's.

xyflow/xyflow's packages/svelte and TanStack/query's seven examples/svelte apps hold the tsconfig every
SvelteKit app starts with, `"extends": "./.svelte-kit/tsconfig.json"` (written by `svelte-kit sync`).
Each was a problem, "tsconfig extends './.svelte-kit/tsconfig.json', which is not in the repository ...
fix the file", and every `$lib/…` import was `unresolved` (xyflow: 163 imports of 41 specifiers, the
library's own modules under src/lib). The generated file maps `$lib` to `../src/lib`, and the aliases
svelte.config.js sets (xyflow's examples/svelte: `$components`).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from depreport.cli import main
from depreport.model import Problem
from depreport.resolve.tsconfig import load_aliases
from tests.helpers import git_repo

APP_TSCONFIG = json.dumps(
    {"extends": "./.svelte-kit/tsconfig.json", "compilerOptions": {"strict": True, "allowJs": True}}
)
XYFLOW_SVELTE_CONFIG = """import adapter from '@sveltejs/adapter-auto';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  compilerOptions: { runes: true },
  kit: { adapter: adapter() }
};

export default config;
"""


def test_an_app_extending_sveltekits_generated_config_gets_its_lib_alias() -> None:
    texts = {
        "packages/svelte/tsconfig.json": APP_TSCONFIG,
        "packages/svelte/svelte.config.js": XYFLOW_SVELTE_CONFIG,
    }
    problems: list[Problem] = []
    aliases = load_aliases(texts.get, "packages/svelte/tsconfig.json", problems)
    assert problems == []
    assert aliases is not None and dict(aliases.paths) == {
        "$lib/*": ("packages/svelte/src/lib/*",),
        "$lib": ("packages/svelte/src/lib",),
    }


def test_the_apps_own_paths_replace_the_generated_ones_as_in_tsc() -> None:
    own = {"extends": ".svelte-kit/tsconfig", "compilerOptions": {"paths": {"~/*": ["./src/*"]}}}
    problems: list[Problem] = []
    aliases = load_aliases({"tsconfig.json": json.dumps(own)}.get, "tsconfig.json", problems)
    assert problems == [] and aliases is not None and dict(aliases.paths) == {"~/*": ("src/*",)}


@pytest.mark.parametrize(
    "extended", ["./.svelte-kit/types.json", "./svelte-kit/tsconfig.json", "./.nuxt/tsconfig.json"]
)
def test_another_missing_parent_is_still_a_problem(extended: str) -> None:
    problems: list[Problem] = []
    config = json.dumps({"extends": extended})
    assert load_aliases({"app/tsconfig.json": config}.get, "app/tsconfig.json", problems) is None
    assert [p.path for p in problems] == ["app/tsconfig.json"] and "not in the repository" in problems[
        0
    ].message


def test_the_aliases_a_svelte_config_sets_as_strings_are_read() -> None:
    """xyflow's examples/svelte/svelte.config.js sets `alias: { $components: './src/components' }`."""
    config = XYFLOW_SVELTE_CONFIG.replace(
        "kit: {",
        "kit: {\n    // see https://kit.svelte.dev/docs/configuration#alias\n"
        "    alias: { $components: './src/components', 'utils/*': 'src/utils/*', '$db': 'src/db.ts' },",
    )
    texts = {"web/tsconfig.json": APP_TSCONFIG, "web/svelte.config.js": config}
    problems: list[Problem] = []
    aliases = load_aliases(texts.get, "web/tsconfig.json", problems)
    assert problems == []
    assert aliases is not None and dict(aliases.paths) == {
        "$components": ("web/src/components",),
        "$components/*": ("web/src/components/*",),
        "utils/*": ("web/src/utils/*",),
        "$db": ("web/src/db.ts",),
        "$lib": ("web/src/lib",),
        "$lib/*": ("web/src/lib/*",),
    }


@pytest.mark.parametrize(
    "setting",
    [
        "alias: { $components: path.resolve('./src/components') },",
        "alias: { ...shared },",
        "files: { lib: 'src/library' },",
    ],
)
def test_aliases_a_svelte_config_sets_otherwise_are_said_not_read(setting: str) -> None:
    config = XYFLOW_SVELTE_CONFIG.replace("kit: {", f"kit: {{ {setting}")
    texts = {
        "web/tsconfig.json": APP_TSCONFIG,
        "web/jsconfig.json": APP_TSCONFIG,
        "web/svelte.config.js": config,
    }
    problems: list[Problem] = []
    for name in ("tsconfig.json", "jsconfig.json"):
        aliases = load_aliases(texts.get, f"web/{name}", problems)
        assert aliases is not None and dict(aliases.paths)["$lib/*"] == ("web/src/lib/*",)
    assert [p.path for p in problems] == ["web/svelte.config.js"]  # once
    assert "`alias` or `files`" in problems[0].message and "[aliases]" in problems[0].message


def test_a_scan_resolves_lib_imports_and_reports_no_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = git_repo(
        tmp_path / "repo",
        {
            ".gitignore": ".svelte-kit/\n",
            "package.json": json.dumps(
                {"name": "@xyflow/svelte", "devDependencies": {"@sveltejs/kit": "^2"}}
            ),
            "tsconfig.json": APP_TSCONFIG,
            "svelte.config.js": XYFLOW_SVELTE_CONFIG,
            "src/lib/store/index.ts": "export const useStore = () => 1;\n",
            "src/lib/hooks/useStore.ts": "import { useStore } from '$lib/store';\nexport { useStore };\n",
        },
    )
    assert main(["scan", str(repo), "--no-cache", "--format", "jsonl", "--strict"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    lib = [(r["package"], r["resolved"]) for r in records if r["specifier"] == "$lib/store"]
    assert lib == [("src/lib/store", "tsconfig-paths")]
