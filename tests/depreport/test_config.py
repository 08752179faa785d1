"""Configuration: every error names the key and the fix."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

from depreport.config import load_config, parse_config
from depreport.errors import ConfigError
from depreport.sizes import parse_size


def parse(text: str, in_pyproject: bool = False):  # type: ignore[no-untyped-def]
    return parse_config(tomllib.loads(text), "depreport.toml", in_pyproject)


def test_groups_and_deprecations() -> None:
    config = parse(
        """
        type_only_in_adoption = true
        [[groups]]
        name = "v4"
        packages = ["evergreen-ui"]
        target = true
        [[groups]]
        name = "legacy"
        paths = ["src/ui/**"]
        [deprecated]
        packages = ["moment"]
        exports = ["evergreen-ui:Autocomplete", "@scope/pkg:Thing"]
        """
    )
    assert [g.name for g in config.groups.groups] == ["v4", "legacy"]
    assert config.groups.target is not None and config.groups.target.name == "v4"
    assert config.groups.include_type_only
    assert config.deprecated.exports == (("evergreen-ui", "Autocomplete"), ("@scope/pkg", "Thing"))


@pytest.mark.parametrize(
    ("text", "message", "hint"),
    [
        pytest.param("exclud = []", "unknown key exclud", "did you mean 'exclude'?", id="typo"),
        pytest.param("include = 'src'", "include has the wrong type", "list of gitignore-style globs", id="type"),
        pytest.param("max_file_size = '2 parsecs'", "max_file_size", "size", id="size"),
        pytest.param(
            "[[groups]]\nname='a'\npackages=['x']", "exactly one group needs target = true", "target = true", id="no-target"
        ),
        pytest.param(
            "[[groups]]\nname='a'\npackages=['x']\ntarget=true\n[[groups]]\nname='a'\npackages=['y']",
            "group names must be unique: a", "rename", id="duplicate",
        ),
        pytest.param("[[groups]]\nname='a'\ntarget=true", "groups[0] (a) matches nothing", "packages", id="empty"),
        pytest.param("[[groups]]\nnme='a'", "groups[0]: unknown key 'nme'", "did you mean 'name'?", id="group-typo"),
        pytest.param("[deprecated]\nexports=['Button']", "'Button' is not package:Export", "evergreen-ui", id="dep"),
        pytest.param(
            "[deprecated]\npackage=['moment']", "deprecated: unknown key 'package'", "did you mean 'packages'?",
            id="dep-typo",
        ),
        pytest.param(
            "[deprecated]\nexports='evergreen-ui:Autocomplete'", "deprecated.exports must be a list",
            'exports = ["evergreen-ui:Autocomplete"]', id="dep-exports-string",
        ),
        pytest.param("[store]\nuri = 's3://b/p'", "unknown key store", "known keys: include", id="store-is-read-nowhere"),
        pytest.param(
            "[[groups]]\nname='a'\npackages=['x']\ntarget=true\nversion='four'", "is not an npm version range", "<4", id="version"
        ),
    ],
)  # fmt: skip
def test_errors_name_the_key_and_the_fix(text: str, message: str, hint: str) -> None:
    with pytest.raises(ConfigError) as raised:
        parse(text)
    assert message in raised.value.message
    assert hint in raised.value.hint


def test_aliases_are_a_bundlers_patterns_and_repo_paths() -> None:
    config = parse(
        """
        [aliases]
        "@/*" = "./src/*"
        "~/*" = ["app/*", "src/app/*"]
        "@env" = "src/env.ts"
        """
    )
    assert config.aliases == (("@/*", ("src/*",)), ("~/*", ("app/*", "src/app/*")), ("@env", ("src/env.ts",)))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param('aliases = ["@/*"]', "aliases must be a table", id="not-a-table"),
        pytest.param('[aliases]\n"@/*" = 3', 'aliases."@/*" must be a repo path or a list of them', id="number"),
        pytest.param('[aliases]\n"@/*" = []', 'aliases."@/*" must be a repo path or a list of them', id="empty-list"),
        pytest.param('[aliases]\n"@/*/*" = "src/*"', "at most one *", id="two-stars"),
        pytest.param('[aliases]\n"" = "src"', "at most one *", id="empty-name"),
        pytest.param('[aliases]\n"@/*" = "../shared/*"', "'../shared/*' is not a path inside the repository", id="escapes"),
        pytest.param('[aliases]\n"@/*" = "/abs/src/*"', "'/abs/src/*' is not a path inside", id="absolute"),
        pytest.param('[aliases]\n"@" = "src/*"', "'src/*' is not a path inside the repository", id="star-without"),
        pytest.param('[aliases]\n"@/*" = ""', "'' is not a path inside the repository", id="empty-target"),
    ],
)  # fmt: skip
def test_alias_errors_name_the_alias_and_the_fix(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        parse(text)
    assert message in raised.value.message
    assert (
        'aliases] "@/*" = "src/*"' in raised.value.hint or "relative to the repository" in raised.value.hint
    )


def test_pyproject_keys_are_prefixed_in_errors() -> None:
    with pytest.raises(ConfigError, match=r"unknown key tool\.depreport\.exclud"):
        parse("[tool.depreport]\nexclud = []", in_pyproject=True)


@pytest.mark.parametrize(
    ("value", "size"),
    [("2MB", 2 * 1024**2), ("500KB", 500_000), ("1.5 MiB", 1572864), (1000, 1000), ("x", None)],
)
def test_sizes(value: object, size: int | None) -> None:
    assert parse_size(value) == size


def test_a_config_saved_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    (tmp_path / "depreport.toml").write_text('\ufeffinclude = ["src/**"]\n', encoding="utf-8")
    assert load_config(tmp_path).include == ("src/**",)


@pytest.mark.parametrize("kind", ["folder", "broken-link", "fifo"])
def test_a_config_that_is_no_file_is_an_error_not_ignored(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "depreport.toml"
    if kind == "folder":
        path.mkdir()
    elif kind == "broken-link":
        path.symlink_to(tmp_path / "gone.toml")
    else:
        os.mkfifo(path)
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path)
    assert "depreport.toml: not a file" in str(raised.value) and "remove it" in raised.value.hint
