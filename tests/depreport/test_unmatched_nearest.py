"""The warning of a group pattern that matches nothing names the nearest ids seen, and finding them
compares the pattern with a few ids, not all of them (a backfill warns every week until the library
being adopted arrives). Whether a path pattern matches anything is asked only of the ids it could
match (those starting with its anchored prefix), which must lose no match."""

from __future__ import annotations

import difflib
import json
import random
from pathlib import Path

import pathspec
import pytest

from depreport.cli import main
from depreport.history import adoption
from depreport.history.adoption import (
    _MOST_COMPARED,
    Groups,
    _near,
    _starting_with,
    _unmatched,
    adoption_of,
    lasting_warnings,
)
from depreport.scan.globs import literal_folder
from tests.helpers import git_repo


def test_a_path_is_compared_with_its_siblings() -> None:
    seen = sorted(
        ["src/ui/Button", "src/ui/Card", "src/ui/Dialog", "src/ui/forms/Input", "lib/math", "src/app"]
    )
    assert _near("src/ui/Buton", seen) == ["src/ui/Button", "src/ui/Card", "src/ui/Dialog"]
    assert "nearest seen: src/ui/Button" in _unmatched("Legacy", "paths", "src/ui/Buton/**", seen)


def test_a_folder_with_few_ids_widens_to_the_one_above() -> None:
    seen = sorted(["src/ui/forms/Input", "src/ui/forms/Select", "src/ui/Button", "src/ui/Card"])
    assert _near("src/ui/forms/Inptu", seen) == seen  # two in forms/: all four under src/ui/


def test_many_ids_are_sifted_to_a_few_and_the_typo_is_still_found(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(7)
    names = {
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz-") for _ in range(rng.randint(3, 30)))
        for _ in range(5000)
    }
    seen = sorted(names | {"evergreen-ui-v3"})
    compared: list[int] = []
    real = difflib.get_close_matches

    def counting(word: str, possibilities: list[str], n: int = 3, cutoff: float = 0.6) -> list[str]:
        compared.append(len(possibilities))
        return real(word, possibilities, n, cutoff)

    monkeypatch.setattr(adoption.difflib, "get_close_matches", counting)
    warning = _unmatched("Evergreen v3", "packages", "evergren-ui-v3", seen)
    assert "nearest seen: evergreen-ui-v3" in warning
    assert compared == [_MOST_COMPARED]


@pytest.mark.parametrize(
    "pattern",
    [
        "src/ui/**",
        "src/ui",
        "/src/ui",
        "src/ui/",
        "src/u?",
        "src/*/Card",
        "**/Card",
        "Card",
        "src/[u]i/**",
        "lib",
    ],
)
def test_the_prefix_a_pattern_is_checked_on_loses_no_match(pattern: str) -> None:
    ids = sorted(["src/ui", "src/ui/Card", "src/uix/Card", "src/app/Card", "lib/Card", "lib", "Card"])
    spec = pathspec.GitIgnoreSpec.from_lines([pattern])
    matching = [m for m in ids if spec.match_file(m) or spec.match_file(m + "/")]
    candidates = _starting_with(ids, literal_folder(pattern) or "")
    assert matching and set(matching) <= set(candidates)


MONOREPO: dict[str, str | bytes] = {
    "package.json": json.dumps({"private": True, "workspaces": ["packages/*", "apps/*"]}),
    "packages/ui/package.json": json.dumps({"name": "@acme/ui", "main": "src/index.ts"}),
    "packages/ui/src/index.ts": "export const Button = 1;\n",
    "apps/web/package.json": json.dumps({"name": "web", "dependencies": {"@acme/ui": "workspace:*"}}),
    "apps/web/src/a.tsx": "import { Button } from '@acme/ui';\nimport { Pane } from 'evergreen-ui';\n",
}
GROUPS = '[[groups]]\nname = "ui"\n%s\ntarget = true\n[[groups]]\nname = "old"\npackages = ["evergreen-ui"]\n'


def test_a_group_naming_a_workspace_package_is_told_the_paths_that_count_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A design system kept as a workspace package of the monorepo is imported by its name, but its
    imports count as the repo's own modules, under its folder: a group naming the package counted none
    of them and the warning named the nearest ids seen, unrelated when the folder's name is another."""
    repo = git_repo(tmp_path / "mono", {**MONOREPO, "depreport.toml": GROUPS % 'packages = ["@acme/*"]'})
    scan = ["scan", str(repo), "--format", "json", "--progress", "never", "--no-cache"]
    assert main(scan) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["usage"]["workspaces"] == {"@acme/ui": "packages/ui", "web": "apps/web"}
    assert report["adoption"]["warnings"] == [
        "group 'ui': packages entry '@acme/*' matches no import in this code: it names a workspace package "
        "of the repo, whose imports count as the repo's own modules, in its folder: give paths = "
        '["packages/ui/**"] instead'
    ]
    (repo / "depreport.toml").write_text(GROUPS % 'paths = ["packages/ui/**"]')
    assert main(scan) == 0
    adoption = json.loads(capsys.readouterr().out)["adoption"]
    assert {name: group["imports"] for name, group in adoption["groups"].items()} == {"ui": 1, "old": 1}
    assert adoption["warnings"] == []


def _week(package: str, resolved: str, workspaces: dict[str, str]) -> dict[str, object]:
    usage = {"keys": [[package, "", resolved, None, ""]], "owners": [[]], "rows": [[0, 0, {"Button": [1, 0]}]],
             "files": [[0, [1], 1]], "workspaces": workspaces}  # fmt: skip
    return usage


def test_a_package_that_joins_the_workspaces_is_said_in_every_later_week_until_its_folder_counts() -> None:
    """getredash/redash's `@redash/viz` was a `file:` dependency, then a workspace package: under
    `packages = ["@redash/viz"]` its imports fell from 28 to 0 with no warning from `adoption --store`,
    which passes over a pattern that matched in earlier weeks (kept for them, as after a rename)."""
    before = _week("@redash/viz", "npm", {})
    after = _week("viz-lib/lib", "workspace", {"@redash/viz": "viz-lib"})
    for paths, said in [([], ['paths = ["viz-lib/**"]']), (["viz-lib/**"], [])]:
        groups = Groups.from_json({"groups": [{"name": "viz", "packages": ["@redash/viz"], "paths": paths}]})
        blocks = [adoption_of(week, groups) for week in (before, after)]
        warnings = lasting_warnings([block for block in blocks if block is not None])
        assert [w[w.index("give") + 5 : w.index(" instead")] for w in warnings] == said
        assert blocks[1] is not None and blocks[1]["groups"]["viz"]["imports"] == len(paths)
