"""Workspace globs read as pnpm and npm read them: `*` and `?` inside one folder name, a `**` folder any
number of folders (none too). chakra-ui declares `packages/**/**`: its `@chakra-ui/react` was counted as
an npm package while the glob was read as two folders at least."""

from __future__ import annotations

import json

import pytest

from depreport.model import Problem
from depreport.resolve.workspaces import workspace_packages

DIRECTORIES = ["packages/react", "packages/charts", "packages/tools/cli", "apps/web", "apps/docs/site",
               "sandbox/next-app", "packages/react/fixtures/app", "other/thing"]  # fmt: skip


def _found(pnpm_globs: list[str]) -> set[str]:
    texts = {"pnpm-workspace.yaml": "packages:\n" + "".join(f"  - '{g}'\n" for g in pnpm_globs)}
    for directory in DIRECTORIES:
        texts[f"{directory}/package.json"] = json.dumps({"name": f"@acme/{directory.replace('/', '-')}"})
    return {found.directory for found in workspace_packages(texts.get, sorted(texts)).values()}


@pytest.mark.parametrize(
    ("globs", "expected"),
    [
        (
            ["packages/**/**"],
            {"packages/react", "packages/charts", "packages/tools/cli", "packages/react/fixtures/app"},
        ),
        (["packages/*"], {"packages/react", "packages/charts"}),
        (["packages/*", "apps/**/site"], {"packages/react", "packages/charts", "apps/docs/site"}),
        (["apps/**"], {"apps/web", "apps/docs/site"}),
        (["sandbox/*-app", "packages/chart?"], {"sandbox/next-app", "packages/charts"}),
        (["**"], set(DIRECTORIES)),
    ],
)
def test_a_workspace_glob_takes_the_folders_pnpm_takes(globs: list[str], expected: set[str]) -> None:
    assert _found(globs) == expected


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("package.json", json.dumps({"workspaces": {"packages": 5}})),
        ("package.json", json.dumps({"workspaces": [None, 5, "p/*"]})),
        ("lerna.json", json.dumps({"packages": "p/*"})),
        ("pnpm-workspace.yaml", "packages: 5\n"),
    ],
)
def test_a_workspace_list_of_the_wrong_shape_is_a_problem_naming_the_file(path: str, text: str) -> None:
    problems: list[Problem] = []
    texts = {path: text, "p/a/package.json": json.dumps({"name": "@acme/a"})}
    found = workspace_packages(texts.get, sorted(texts), problems)
    assert [p.path for p in problems] == [path] and "not a list of glob strings" in problems[0].message
    assert set(found) <= {"@acme/a"}  # the strings it does hold are still read
