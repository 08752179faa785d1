"""Many tsconfigs extending one preset of many `paths`: the preset is read, and its paths joined and
sorted, once for all of them, and they share the result. Each held its own copy: 2,000 packages extending
a preset of 1,000 paths took 726 MB and 12.7 s. Configs whose paths resolve otherwise (a `baseUrl` or
`paths` of their own, `${configDir}` in a target) do not share."""

from __future__ import annotations

import json

import pytest

from depreport.model import Problem
from depreport.resolve import tsconfig
from depreport.resolve.tsconfig import SharedReads, load_aliases
from tests.helpers import count_calls

PRESET_PATHS = {f"@lib/l{i}/*": [f"libs/l{i}/src/*"] for i in range(40)}


def _texts(packages: int, **own: dict[str, object]) -> dict[str, str]:
    """A preset of 40 paths (and two refused) at the root, and `packages` packages extending it; `own`:
    the compilerOptions of some package's own (`p3=...`)."""
    paths: dict[str, object] = {**PRESET_PATHS, "@up/*": ["../up/*"], "@bad": 5}
    texts = {"tsconfig.base.json": json.dumps({"compilerOptions": {"baseUrl": ".", "paths": paths}})}
    for i in range(packages):
        config: dict[str, object] = {"extends": "../../tsconfig.base.json"}
        if f"p{i}" in own:
            config["compilerOptions"] = own[f"p{i}"]
        texts[f"packages/p{i}/tsconfig.json"] = json.dumps(config)
    return texts


def _load_all(texts: dict[str, str], problems: list[Problem]) -> list[tsconfig.PathAliases]:
    shared = SharedReads()
    configs = [path for path in texts if path.startswith("packages/")]
    loaded = [load_aliases(texts.get, path, problems, shared=shared) for path in configs]
    assert all(found is not None for found in loaded)
    return [found for found in loaded if found is not None]


def test_configs_extending_one_preset_share_its_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    joins = count_calls(monkeypatch, tsconfig, "_join")
    parses = count_calls(monkeypatch, tsconfig, "parse_jsonc")
    problems: list[Problem] = []
    found = _load_all(_texts(50), problems)
    assert all(aliases.paths is found[0].paths for aliases in found)  # one tuple, not fifty
    assert len(found[0].paths) == 40 and found[7].config == "packages/p7/tsconfig.json"
    assert joins.count == 41 + 2 * 50  # the preset's 41 targets once; its path and baseUrl for each config
    # (each config joined the 41 targets again: 2,150)
    assert parses.count == 51  # the preset once, each package's own once (100 before)
    # the refused paths are still said for each config, naming it, as when each was read alone
    alone: list[Problem] = []
    load_aliases(_texts(50).get, "packages/p7/tsconfig.json", alone)
    assert len(alone) == 2 and len(problems) == 100 and alone == problems[2 * 7 : 2 * 7 + 2]


def test_a_config_with_paths_or_base_of_its_own_does_not_share() -> None:
    own: dict[str, dict[str, object]] = {
        "p1": {"baseUrl": "."},
        "p2": {"paths": {"@lib/l0/*": ["mine/*"]}},
    }
    found = _load_all(_texts(4, **own), [])
    assert found[0].paths is found[3].paths and dict(found[0].paths)["@lib/l0/*"] == ("libs/l0/src/*",)
    assert dict(found[1].paths)["@lib/l0/*"] == ("packages/p1/libs/l0/src/*",)  # its own baseUrl
    assert found[2].paths == (("@lib/l0/*", ("mine/*",)),)  # its own paths replace the preset's


def test_config_dir_in_a_target_is_each_config_s_own() -> None:
    paths = {"@/*": ["${configDir}/src/*"], "@lib/*": ["libs/*"]}
    texts = {
        "preset.json": json.dumps({"compilerOptions": {"paths": paths}}),
        "a/tsconfig.json": json.dumps({"extends": "../preset.json"}),
        "b/tsconfig.json": json.dumps({"extends": "../preset.json"}),
    }
    shared = SharedReads()
    a = load_aliases(texts.get, "a/tsconfig.json", shared=shared)
    b = load_aliases(texts.get, "b/tsconfig.json", shared=shared)
    assert a is not None and dict(a.paths) == {"@/*": ("a/src/*",), "@lib/*": ("libs/*",)}
    assert b is not None and dict(b.paths) == {"@/*": ("b/src/*",), "@lib/*": ("libs/*",)}
