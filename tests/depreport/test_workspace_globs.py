"""Workspace globs read as pnpm and npm read them: `*` and `?` inside one folder name, a `**` folder any
number of folders (none too). chakra-ui declares `packages/**/**`: its `@chakra-ui/react` was counted as
an npm package while the glob was read as two folders at least."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from depreport.model import Problem
from depreport.resolve import workspaces
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


WILD_GLOBS = ["/".join(["**"] * 16) + "/q", "/".join(["**", "a"] * 8) + "/q", "*a" * 12 + "b"]
DEEP = ["/".join("abcdefghijklmnopqrstuvwxyz"), "/".join(["a"] * 40), "a" * 200]  # taken by none


def test_wild_workspace_globs_take_what_they_match_without_hanging() -> None:
    """The globs were regular expressions that backtracked through every way their wildcards could split
    a folder they did not take: a package.json whose `workspaces` wrote `**/` sixteen times (or a name
    with twelve `*`) never finished scanning a repo with a folder as deep (or a name as long)."""
    texts = {"package.json": json.dumps({"workspaces": WILD_GLOBS})}
    for directory in [*DEEP, "x/y/q", "a/a/a/a/a/a/a/a/q", "a" * 12 + "b"]:
        texts[f"{directory}/package.json"] = json.dumps({"name": directory[:40]})
    code = (
        "import json, sys\nfrom depreport.resolve.workspaces import workspace_packages\n"
        "texts = json.loads(sys.stdin.read())\n"
        "print(json.dumps(sorted(w.directory for w in workspace_packages(texts.get, sorted(texts)).values())))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], input=json.dumps(texts), capture_output=True, text=True, timeout=60
    )
    assert json.loads(done.stdout) == ["a/a/a/a/a/a/a/a/q", "a" * 12 + "b", "x/y/q"], done.stderr


def test_thousands_of_packages_listed_one_by_one_are_looked_up_not_each_globbed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """pnpm-workspace.yaml listing each of n packages: each manifest asked every glob (n squared)."""
    count = 1000
    texts = {
        "package.json": json.dumps({"name": "root"}),
        "pnpm-workspace.yaml": "packages:\n  - 'tools/*'\n"
        + "".join(f"  - 'packages/p{i}'\n" for i in range(count)),
        "tools/lint/package.json": json.dumps({"name": "@org/lint"}),
        "other/x/package.json": json.dumps({"name": "@org/x"}),
        **{f"packages/p{i}/package.json": json.dumps({"name": f"@org/p{i}"}) for i in range(count)},
    }
    asked = 0
    real = workspaces._glob_matches

    def counted(segments: tuple[str, ...], directory: str) -> bool:
        nonlocal asked
        asked += 1
        return real(segments, directory)

    monkeypatch.setattr(workspaces, "_glob_matches", counted)
    found = workspaces.workspace_packages(texts.get, sorted(texts))
    assert sorted(found) == sorted(["@org/lint", *(f"@org/p{i}" for i in range(count))])
    assert found["@org/p7"].directory == "packages/p7"
    assert asked <= 2 * len(texts), asked  # before: a million
