"""tsconfig/jsconfig values of the wrong shape, from a hostile-input sweep: each is a problem naming the
file, what is wrong and what of it is not used, never silently dropped; good parts are still read."""

from __future__ import annotations

import json

import pytest

from depreport.model import Problem
from depreport.resolve.tsconfig import load_aliases

ALL_UNUSED = "its baseUrl/paths aliases are not used"
PARENT_UNUSED = "the aliases it would take from there are not used (its own are)"


@pytest.mark.parametrize(
    ("config", "said", "then"),
    [
        ({"extends": "/etc/passwd"}, "extends '/etc/passwd', which is not in the repository", PARENT_UNUSED),
        ({"extends": ""}, "extends '', which is not in the repository", PARENT_UNUSED),
        ({"extends": [5]}, "extends 5, which is not in the repository", PARENT_UNUSED),
        ({"compilerOptions": 5}, "has compilerOptions that is not an object", ALL_UNUSED),
        ({"compilerOptions": {"baseUrl": "../../../../"}}, "has baseUrl '../../../../', which is no folder",
         "its baseUrl is not used (its paths are, from its folder)"),
        ({"compilerOptions": {"baseUrl": 7}}, "has baseUrl 7, which is no folder", "its baseUrl is not used"),
        ({"compilerOptions": {"paths": ["@/*"]}}, "has paths that is not an object", "its paths are not used"),
    ],
)  # fmt: skip
def test_a_config_value_of_the_wrong_shape_is_a_problem(
    config: dict[str, object], said: str, then: str
) -> None:
    """Each problem says what follows for the scan: every one said that all the config's aliases were
    not used, where a missing parent, a bad baseUrl or bad paths leave the rest of the config in use."""
    problems: list[Problem] = []
    load_aliases({"app/tsconfig.json": json.dumps(config)}.get, "app/tsconfig.json", problems)
    assert [p.path for p in problems] == ["app/tsconfig.json"]
    assert said in problems[0].message and then in problems[0].message


def test_the_good_parts_of_a_config_are_still_read() -> None:
    problems: list[Problem] = []
    config = {"compilerOptions": {"baseUrl": "../../..", "paths": {"@/*": ["src/*"]}}}
    found = load_aliases({"tsconfig.json": json.dumps(config)}.get, "tsconfig.json", problems)
    assert found is not None and found.base_url is None and found.paths == (("@/*", ("src/*",)),)
    assert len(problems) == 1


SHARED_PRESET = {  # a shared preset (TypeScript 5.5 `${configDir}`), as typescript-config packages ship it
    "node_modules/@acme/typescript-config/next.json": json.dumps(
        {"compilerOptions": {"paths": {"@/*": ["${configDir}/src/*"], "@ui": ["${configDir}"]}}}
    ),
    "tooling/typescript/base.json": json.dumps({"compilerOptions": {"baseUrl": "${configDir}/src"}}),
    "apps/web/tsconfig.json": json.dumps({"extends": "@acme/typescript-config/next.json"}),
    "apps/admin/tsconfig.json": json.dumps({"extends": "../../tooling/typescript/base.json"}),
}


def test_config_dir_in_an_extended_config_is_the_folder_of_the_config_read() -> None:
    """`${configDir}` expands relative to the config that extends the preset, not to the preset."""
    problems: list[Problem] = []
    web = load_aliases(SHARED_PRESET.get, "apps/web/tsconfig.json", problems)
    assert web is not None and dict(web.paths) == {"@/*": ("apps/web/src/*",), "@ui": ("apps/web",)}
    admin = load_aliases(SHARED_PRESET.get, "apps/admin/tsconfig.json", problems)
    assert admin is not None and admin.base_url == "apps/admin/src"
    assert problems == []


def test_extends_naming_a_workspace_package_is_read_from_its_folder() -> None:
    """create-turbo's layout: apps extend `@repo/typescript-config/nextjs.json`, a workspace package of
    the repo. Without node_modules (a fresh clone, a past commit in a backfill) the preset was not found
    and its aliases were silently lost; the package's folder is where the package manager links it from."""
    texts = {
        "packages/typescript-config/nextjs.json": json.dumps(
            {"compilerOptions": {"paths": {"@/*": ["${configDir}/src/*"]}}}
        ),
        "packages/typescript-config/base/tsconfig.json": json.dumps({"compilerOptions": {"baseUrl": "."}}),
        "apps/web/tsconfig.json": json.dumps({"extends": "@repo/typescript-config/nextjs.json"}),
        "apps/docs/tsconfig.json": json.dumps({"extends": "@repo/typescript-config/base"}),
    }
    packages = {"@repo/typescript-config": "packages/typescript-config"}
    problems: list[Problem] = []
    web = load_aliases(texts.get, "apps/web/tsconfig.json", problems, packages)
    assert web is not None and dict(web.paths) == {"@/*": ("apps/web/src/*",)}
    docs = load_aliases(texts.get, "apps/docs/tsconfig.json", problems, packages)
    assert docs is not None and docs.base_url == "packages/typescript-config/base"
    missing: dict[str, str] = {}
    assert load_aliases(texts.get, "apps/web/tsconfig.json", problems, missing=missing) is None  # not known
    assert problems == []
    assert missing == {"apps/web/tsconfig.json": "@repo/typescript-config/nextjs.json"}  # said, not a problem


def test_extends_by_a_relative_path_into_node_modules_is_the_package_it_names() -> None:
    """kubernetes-sigs/headlamp's 14 plugin examples extend
    `./node_modules/@kinvolk/headlamp-plugin/config/plugins-tsconfig.json`: a package, not installed in a
    fresh clone. Each was a problem ("not in the repository ... fix the file"), which fails `--strict`,
    while the same package named bare is passed over; now both are, and a workspace package of that
    name is read from its folder, as for a bare name."""
    texts = {
        "plugins/example/tsconfig.json": json.dumps(
            {"extends": "./node_modules/@acme/plugin/config/plugins-tsconfig.json"}
        ),
        "plugins/other/tsconfig.json": json.dumps(
            {
                "extends": "./node_modules/@acme/plugin/config/plugins-tsconfig.json",
                "compilerOptions": {"paths": {"~/*": ["./src/*"]}},
            }
        ),
        "packages/plugin/config/plugins-tsconfig.json": json.dumps(
            {"compilerOptions": {"paths": {"@/*": ["../src/*"]}}}
        ),
    }
    problems: list[Problem] = []
    not_installed: dict[str, str] = {}
    assert load_aliases(texts.get, "plugins/example/tsconfig.json", problems, missing=not_installed) is None
    assert not_installed == {
        "plugins/example/tsconfig.json": "./node_modules/@acme/plugin/config/plugins-tsconfig.json"
    }
    other = load_aliases(texts.get, "plugins/other/tsconfig.json", problems)
    assert other is not None and dict(other.paths) == {"~/*": ("plugins/other/src/*",)}
    assert problems == []
    packages = {"@acme/plugin": "packages/plugin"}
    linked = load_aliases(texts.get, "plugins/example/tsconfig.json", problems, packages)
    assert linked is not None and dict(linked.paths) == {"@/*": ("packages/plugin/src/*",)}
    assert problems == []
    missing = load_aliases(
        {"tsconfig.json": json.dumps({"extends": "./base/tsconfig.json"})}.get, "tsconfig.json", problems
    )
    assert missing is None or not dict(missing.paths)
    assert [p.message.split(":")[0] for p in problems] == [
        "tsconfig extends './base/tsconfig.json', which is not in the repository"
    ]


@pytest.mark.parametrize(
    "files",
    [
        pytest.param({"tsconfig.json": {"extends": ["./tsconfig.json"] * 4}}, id="itself-four-times"),
        pytest.param(
            {
                "tsconfig.json": {"extends": ["./a.json", "./b.json"] * 2},
                "a.json": {"extends": ["./b.json", "./tsconfig.json"] * 3},
                "b.json": {"extends": ["./a.json"] * 5},
            },
            id="a-cycle-through-three",
        ),
    ],
)
def test_a_cycle_of_extends_ends_at_once_with_a_problem(files: dict[str, object]) -> None:
    """An `extends` list naming a config of its own chain again was followed 10 levels down from every
    name of the list: 4 names, 4^11 reads; a scan of such a repo never ended. tsc calls it a circularity
    and stops; each config is now read once and a cycle is a problem naming it."""
    texts = {
        path: json.dumps({**config, "compilerOptions": {"baseUrl": "."}}) for path, config in files.items()
    }  # type: ignore[dict-item]
    reads: list[str] = []

    def read(path: str) -> str | None:
        reads.append(path)
        assert len(reads) < 100, "read again and again"
        return texts.get(path)

    problems: list[Problem] = []
    found = load_aliases(read, "tsconfig.json", problems)
    assert found is not None and found.base_url == ""
    assert problems and all("extends itself" in p.message for p in problems)
    assert all("the aliases each of these configs sets are used" in p.message for p in problems)
    assert len(problems) <= len(files)
