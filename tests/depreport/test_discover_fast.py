"""The Selector's quick reading of a path (by its extension and name first) answers as its full rules do,
and asks those rules only of the few files a config's or a declaration's name may fit."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from depreport.resolve import bundlers
from depreport.resolve.bundlers import bundler_kind, may_be_bundler_config
from depreport.scan import discover
from depreport.scan.discover import DiscoverOptions, Discovery, Selector, _GitListing, discover_files
from tests.helpers import count_calls, git_repo

FOLDERS = ("", "src/", "node_modules/x/", "build/", "dist/", "webpack/", "config/.webpack/", "a/mywebpack/")
NAMES = (
    "a.ts", "a.TS", "a.d.ts", "a.D.TS", "a.d.mts", "a.d.cts", "a.pyi", "a.py", "a.tsx", "a.jsx", "a.min.js",
    "a.MIN.JS", "a.min.mjs", "a.min.cjs", "vite.config.ts", "vitest.config.mts", "vite.config.JS",
    "next.config.mjs", "vue.config.js", "webpack.config.js", "app.webpack.prod.cjs", "babel.config.js",
    ".babelrc", ".babelrc.json", "babel.config.json", ".babelrc.js", "tsconfig.json", "TSCONFIG.JSON",
    "jsconfig.json", "package.json", "deno.json", "deno.jsonc", "a.vue", "A.VUE", "a.svelte", "a.astro",
    "a.mdx", ".mdx", "a.json", "README", "ts", ".ts", "a.", "a.d.ts.map", "config.d.ts", "babel.d.mts",
    "x.config.ts", "é.ts",
)  # fmt: skip
OPTIONS = {
    "defaults": DiscoverOptions(use_git=False),
    "no-default-excludes": DiscoverOptions(default_excludes=False, use_git=False),
    "declarations": DiscoverOptions(include_declarations=True, use_git=False),
    "include": DiscoverOptions(include=("src/**", "*.vue"), use_git=False),
    "exclude": DiscoverOptions(exclude=("*.min.js", "**/*.d.ts", "build/", "*.vue"), use_git=False),
    "exclude-kept": DiscoverOptions(exclude=("src/**", "!src/a.*"), use_git=False),
}


def _agree(options: DiscoverOptions, paths: list[str]) -> None:
    """Each path read quickly by one Selector and by the full rules (`_role`, `language`) by another:
    the same role and language, and the same paths noted as excluded or kept (the unused excludes)."""
    quick, full = Selector(options), Selector(options)
    for path in paths:
        assert quick._classify(path) == (full._role(path), full.language(path)), path
    assert quick._used.excluded == full._used.excluded
    assert quick._used.kept == full._used.kept


@pytest.mark.parametrize("options", [pytest.param(o, id=k) for k, o in OPTIONS.items()])
def test_the_quick_reading_agrees_with_the_full_rules(options: DiscoverOptions) -> None:
    _agree(options, [folder + name for folder, name in itertools.product(FOLDERS, NAMES)])


fragments = st.sampled_from(
    ["a", ".", "/", "d", "ts", "TS", "js", "mjs", "py", "pyi", "min", "config", "webpack", "babel", "babelrc",
     "vite", "next", "vue", "json", "tsconfig", "package", "node_modules", "build", "mdx", "-", "é"]
)  # fmt: skip
paths = st.lists(fragments, min_size=1, max_size=10).map("".join).filter(lambda p: "//" not in p)


@settings(max_examples=300, deadline=None)
@given(st.lists(paths, max_size=20), st.sampled_from(sorted(OPTIONS)))
def test_any_path_is_read_quickly_as_the_full_rules_read_it(given_paths: list[str], options: str) -> None:
    _agree(OPTIONS[options], given_paths)


def _agree_by_folder(options: DiscoverOptions, prefix: str, names: list[str]) -> None:
    """A folder's names taken at once answer as `take` of each path: the same languages, the same
    files noted in the Discovery (in the same order), the same paths noted as excluded or kept."""
    by_folder, one_by_one = Selector(options), Selector(options)
    found, expected = Discovery(), Discovery()
    try:
        languages = [one_by_one.take(prefix + name, expected) for name in names]
    except UnicodeEncodeError:  # RE2 matching --include or --exclude with a name that is not UTF-8
        with pytest.raises(UnicodeEncodeError):
            by_folder.take_folder(prefix, names, found)
        return
    assert by_folder.take_folder(prefix, names, found) == languages
    assert found == expected
    assert by_folder._used.excluded == one_by_one._used.excluded
    assert by_folder._used.kept == one_by_one._used.kept


@pytest.mark.parametrize("options", [pytest.param(o, id=k) for k, o in OPTIONS.items()])
@pytest.mark.parametrize("prefix", FOLDERS)
def test_a_folder_is_taken_at_once_as_file_by_file(options: DiscoverOptions, prefix: str) -> None:
    _agree_by_folder(options, prefix, list(NAMES))


@pytest.mark.parametrize("prefix", ["src/", "caf\udce9/"])
def test_a_name_that_is_not_utf8_is_taken_as_file_by_file(prefix: str) -> None:
    _agree_by_folder(OPTIONS["defaults"], prefix, [*NAMES, "b\udcff.ts", "b\udcff.md"])


names = st.lists(fragments, min_size=1, max_size=6).map("".join).filter(lambda n: "/" not in n)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from([*FOLDERS, "src/a.b/"]), st.lists(names, max_size=12), st.sampled_from(sorted(OPTIONS))
)
def test_any_folder_is_taken_at_once_as_file_by_file(
    prefix: str, given_names: list[str], options: str
) -> None:
    _agree_by_folder(OPTIONS[options], prefix, list(dict.fromkeys(given_names)))


def test_a_folder_of_plain_source_files_asks_take_of_none(monkeypatch: pytest.MonkeyPatch) -> None:
    takes = count_calls(monkeypatch, Selector, "take")
    selector, found = Selector(DiscoverOptions(use_git=False)), Discovery()
    names = [f"file{i}.{ext}" for i in range(50) for ext in ("ts", "tsx", "js", "py")] + [
        "logo.png",
        "a.min.js",
    ]
    languages = selector.take_folder("src/app/", names, found)
    assert None not in languages[:200] and languages[200:] == [None, None] and takes.count == 0
    assert selector.take_folder("src/app/", ["vite.config.ts", "b.d.ts", "tsconfig.json"], found) == [
        "typescript",
        None,
        None,
    ]
    assert takes.count == 3 and found.bundlers == ["src/app/vite.config.ts"]


@settings(max_examples=300, deadline=None)
@given(paths)
def test_a_bundler_config_is_never_passed_over_by_its_words(path: str) -> None:
    folder, _, name = path.rpartition("/")
    named = any(
        pattern.fullmatch(name)
        for pattern in (bundlers._VITE, bundlers._NEXT, bundlers._VUE_CLI, bundlers._WEBPACK)
    )
    in_webpack_folder = folder.rpartition("/")[2] in ("webpack", ".webpack")
    if named or name in bundlers.BABEL_JSON_NAMES or bundlers._BABEL_JS.fullmatch(name) or in_webpack_folder:
        assert may_be_bundler_config(folder, name)
    if not may_be_bundler_config(folder, name):
        assert bundler_kind(path) is None


def test_plain_source_files_ask_no_config_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    kinds = count_calls(monkeypatch, discover, "bundler_kind")
    roles = count_calls(monkeypatch, Selector, "_role")
    selector, found = Selector(DiscoverOptions(use_git=False)), Discovery()
    plain = [f"src/m{i}/file{i}.{ext}" for i in range(50) for ext in ("ts", "tsx", "js", "py")]
    assert all(selector.take(path, found) is not None for path in plain)
    assert selector.take("src/readme.md", found) is None and selector.take("src/logo.png", found) is None
    assert kinds.count == 0 and roles.count == 0
    assert selector.take("src/vite.config.ts", found) == "typescript" and found.bundlers == [
        "src/vite.config.ts"
    ]
    assert selector.take("src/tsconfig.json", found) is None and found.configs == ["src/tsconfig.json"]
    assert roles.count == 2 and kinds.count == 1  # a tsconfig is no bundler config: not asked


@pytest.mark.integration
def test_what_git_listed_before_it_failed_is_forgotten_with_what_it_noted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tracked files are taken while git lists the untracked ones: when that listing fails, the folder
    is walked by a fresh selector, and a tracked file the walk does not see (deleted, not yet committed)
    used no exclude glob."""
    repo = git_repo(tmp_path / "repo", {"src/a.ts": "", "gone/b.ts": "", "tsconfig.json": "{}"})
    (repo / "gone" / "b.ts").unlink()
    real = _GitListing.untracked

    def failed(listing: _GitListing) -> list[str] | None:
        real(listing)  # git is waited for all the same
        return None

    monkeypatch.setattr(_GitListing, "untracked", failed)
    found = discover_files(repo, DiscoverOptions(exclude=("gone/b.ts",)))
    assert not found.from_git and [f.path for f in found.files] == ["src/a.ts"]
    assert found.configs == ["tsconfig.json"] and found.unused_excludes == ("gone/b.ts",)
    monkeypatch.setattr(_GitListing, "untracked", real)
    found = discover_files(repo, DiscoverOptions(exclude=("gone/b.ts",)))
    assert found.from_git and found.unused_excludes == ()
