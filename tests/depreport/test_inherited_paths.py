"""Many tsconfigs extending one preset of many `paths`: the preset is read, and its paths joined and
sorted, once for all of them, and they share the result. Each held its own copy: 2,000 packages extending
a preset of 1,000 paths took 726 MB and 12.7 s. Configs whose paths resolve otherwise (a `baseUrl` or
`paths` of their own, `${configDir}` in a target) do not share. The scan's digests of its inputs are
the same, made without the repr of every config's copy."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from depreport.config import Config
from depreport.model import Problem, Resolution
from depreport.resolve import specifiers, tsconfig
from depreport.resolve.entries import build_resolver, working_tree_reader
from depreport.resolve.specifiers import Resolver
from depreport.resolve.tsconfig import PathAliases, SharedReads, load_aliases
from depreport.scan import inputs
from depreport.scan.discover import DiscoverOptions, discover_files
from depreport.scan.inputs import update_repr
from tests.helpers import count_calls, git_repo

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


_PATHS = st.lists(
    st.tuples(st.text(max_size=5), st.lists(st.text(max_size=5), max_size=2).map(tuple)), max_size=3
)
_ALIASES = st.builds(
    PathAliases,
    st.text(max_size=5),
    st.none() | st.text(max_size=5),
    _PATHS.map(tuple),
    st.lists(st.tuples(st.text(max_size=3), st.text(max_size=3)), max_size=2).map(tuple),
)
_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8) | _ALIASES,
    lambda inner: st.lists(inner, max_size=4) | st.lists(inner, max_size=4).map(tuple)
    | st.dictionaries(st.text(max_size=3), inner, max_size=2),
    max_leaves=20,
)  # fmt: skip


@given(_VALUES)
def test_the_digest_of_a_repr_is_made_without_the_repr(value: object) -> None:
    expected = hashlib.sha256(repr(value).encode()).hexdigest()
    digest = hashlib.sha256()
    update_repr(digest, value)
    assert digest.hexdigest() == expected


def _resolver(tmp_path: Path, packages: int) -> Resolver:
    """The resolver of a repo of `packages` packages extending the preset."""
    files = {f"packages/p{i}/src/a.ts": f"import a from '@lib/l{i % 40}/a'\n" for i in range(packages)}
    root = git_repo(tmp_path / "repo", {**_texts(packages), **files})
    return build_resolver(discover_files(root, DiscoverOptions()), Config(), working_tree_reader(root))


def test_an_import_asks_only_the_patterns_it_may_match(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each import asked every pattern of its config's paths: 1,100 for each of 3 imports in 2,000
    packages, 6.6 million `pattern_match`. Now the patterns whose literal start it starts with."""
    resolver = _resolver(tmp_path, 30)
    asked = count_calls(monkeypatch, specifiers, "pattern_match")
    for i in range(30):
        found = resolver.resolve(f"@lib/l{i}/a", f"packages/p{i}/src/a.ts", "typescript")
        assert found.package == f"libs/l{i}/src/a" and found.how == Resolution.TSCONFIG_PATHS.value
        assert resolver.resolve("react", f"packages/p{i}/src/a.ts", "typescript").package == "react"
    assert asked.count == 30  # `@lib/li/a` asks `@lib/li/*` alone, `react` none (2,400 before)


_SPECIFIERS = st.text(alphabet="@ab/*.", max_size=6)


@given(st.lists(st.tuples(_SPECIFIERS, st.just(("t/*",))), max_size=40), _SPECIFIERS)
def test_the_patterns_asked_are_all_that_match_in_order(
    paths: list[tuple[str, tuple[str, ...]]], specifier: str
) -> None:
    resolver = Resolver([])
    ordered = tuple(paths)

    def matching(items: Iterable[tuple[str, tuple[str, ...]]]) -> list[tuple[str, tuple[str, ...]]]:
        return [item for item in items if tsconfig.pattern_match(item[0], specifier) is not None]

    assert matching(resolver._may_match(ordered, specifier)) == matching(ordered)


def test_the_scan_digests_hold_a_shared_preset_s_paths_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A scan's digests were the repr of every config's aliases: 86 MB of text for 2,000 packages
    extending a preset of 1,000 paths, made three times a scan. The digests are the same, made piece by
    piece, and the repr of the shared paths is made twice a digest, not once for each config."""
    resolver = _resolver(tmp_path, 30)
    shared = resolver.aliases["packages/p0"].paths
    assert all(aliases.paths is shared for aliases in resolver.aliases.values())
    value = (resolver.inputs(), ("text",))
    expected = hashlib.sha256(repr(value).encode()).hexdigest()
    made: list[object] = []
    real = inputs._text
    monkeypatch.setattr(inputs, "_text", lambda each: made.append(each) or real(each))
    digest = hashlib.sha256()
    update_repr(digest, value)
    assert digest.hexdigest() == expected
    assert sum(each is shared for each in made) == 2  # written once, kept the second time (30 before)
