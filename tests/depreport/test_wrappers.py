"""Local wrappers and indirect dependence over the local import graph a run stores (depreport.tally.wrappers)."""

from __future__ import annotations

import json
import random
from collections.abc import Iterable
from typing import Any

import pytest

from depreport.history.adoption import Group, Groups, adoption_of
from depreport.model import ImportRecord, UseRecord
from depreport.resolve.specifiers import module_id
from depreport.tally.usage import UsageTally

GROUPS = Groups((Group("New", packages=("new-ui",), target=True), Group("Old", packages=("old-ui",))))


def imp(file: str, package: str, export: str = "Button", type_only: bool = False) -> ImportRecord:
    """An import of a package (npm) or of a module of the repo (a path: relative)."""
    resolved = "relative" if "/" in package and not package.startswith("@") else "npm"
    language = "python" if file.endswith(".py") else "tsx"
    return ImportRecord(
        file, 1, 0, "import", package, package, "", export, export, type_only, language, resolved
    )


def use(file: str, package: str, export: str = "Button", kind: str = "instance") -> UseRecord:
    """A JSX instance (or value use) of an imported component."""
    resolved = "relative" if "/" in package and not package.startswith("@") else "npm"
    return UseRecord(file, 2, 4, package, "", export, "", kind, "", "", (), resolved)


Files = dict[str, tuple[list[ImportRecord], list[UseRecord]]]


def tally_of(files: Files) -> UsageTally:
    tally = UsageTally()
    for path, (records, uses) in files.items():
        tally.apply(path, records, +1, uses)
    return tally


def block_of(files: Files, groups: Groups = GROUPS) -> dict[str, Any]:
    usage = json.loads(json.dumps(tally_of(files).to_json()))  # as a stored run gives it back
    block = adoption_of(usage, groups)
    assert block is not None
    return block


def app() -> Files:
    """A wrapper of old-ui, a page behind it, the app behind the page, and a file importing old-ui itself."""
    return {
        "src/ui/Button.tsx": ([imp("src/ui/Button.tsx", "old-ui")], [use("src/ui/Button.tsx", "old-ui")]),
        "src/pages/Home.tsx": (
            [imp("src/pages/Home.tsx", "src/ui/Button")],
            [use("src/pages/Home.tsx", "src/ui/Button")],
        ),
        "src/App.tsx": ([imp("src/App.tsx", "src/pages/Home", "Home")], []),
        "src/Legacy.tsx": (
            [imp("src/Legacy.tsx", "old-ui", "Pane")],
            [use("src/Legacy.tsx", "old-ui", "Pane")],
        ),
    }


def test_files_behind_a_wrapper_depend_on_its_group_indirectly() -> None:
    block = block_of(app())
    old = block["groups"]["Old"]
    assert (old["files_direct"], old["files_indirect"]) == (
        2,
        2,
    )  # Home through the wrapper, App through Home
    assert old["wrappers"] == [{"module": "src/ui/Button.tsx", "importers": 1}]
    assert block["groups"]["New"]["files_indirect"] == 0 and block["groups"]["New"]["wrappers"] == []
    assert block["left"]["indirect_files"] == 2


def test_an_import_that_is_never_used_makes_no_wrapper() -> None:
    files = app()
    files["src/ui/Button.tsx"] = ([imp("src/ui/Button.tsx", "old-ui")], [])  # imported, never rendered
    old = block_of(files)["groups"]["Old"]
    assert old["files_direct"] == 2 and old["files_indirect"] == 0 and old["wrappers"] == []


def test_where_uses_are_not_extracted_any_import_makes_a_wrapper() -> None:
    files: Files = {
        "pkg/legacy_api.py": ([imp("pkg/legacy_api.py", "old-ui", "client")], []),
        "pkg/jobs.py": ([imp("pkg/jobs.py", "pkg/legacy_api", "client")], []),
    }
    old = block_of(files)["groups"]["Old"]
    assert old["files_indirect"] == 1 and old["wrappers"] == [{"module": "pkg/legacy_api.py", "importers": 1}]


def test_a_value_use_makes_a_wrapper_too() -> None:
    files = app()
    files["src/ui/Button.tsx"] = (
        [imp("src/ui/Button.tsx", "old-ui")],
        [use("src/ui/Button.tsx", "old-ui", kind="value")],  # styled(Button)
    )
    block = block_of(files)
    assert block["groups"]["Old"]["files_indirect"] == 2
    assert (block["groups"]["Old"]["instances"], block["groups"]["Old"]["values"]) == (1, 1)


def test_import_cycles_end() -> None:
    files = app()
    files["src/ui/Button.tsx"][0].append(imp("src/ui/Button.tsx", "src/pages/Home", "Home"))
    old = block_of(files)["groups"]["Old"]
    assert old["files_indirect"] == 2
    assert {w["module"] for w in old["wrappers"]} == {"src/ui/Button.tsx"}


def test_type_only_imports_of_a_wrapper_count_unless_left_out() -> None:
    files = app()
    files["src/App.tsx"] = ([imp("src/App.tsx", "src/pages/Home", "Home", type_only=True)], [])
    assert block_of(files)["groups"]["Old"]["files_indirect"] == 2
    without = Groups(GROUPS.groups, include_type_only=False)
    assert block_of(files, without)["groups"]["Old"]["files_indirect"] == 1


def test_uses_are_counted_per_group() -> None:
    block = block_of(app())
    assert block["groups"]["Old"]["instances"] == 2 and block["groups"]["New"]["instances"] == 0
    assert block["left"]["instances"] == 2


def test_a_run_stored_before_uses_says_it_has_no_instances() -> None:
    usage = json.loads(json.dumps(tally_of(app()).to_json()))
    del usage["uses"], usage["graph"]
    block = adoption_of(usage, GROUPS, metric="instances")
    assert block is not None
    assert "instances" not in block["groups"]["Old"] and "instances" not in block["target_share"]
    assert "files_indirect" not in block["groups"]["Old"]
    assert any("before depreport counted component instances" in w for w in block["warnings"])


def test_removing_files_leaves_no_trace() -> None:
    files = app()
    kept = {path: files[path] for path in ("src/ui/Button.tsx", "src/Legacy.tsx")}
    tally = tally_of(kept)
    alone = tally.to_json()
    for path in ("src/pages/Home.tsx", "src/App.tsx"):
        tally.apply(path, *files[path][:1], +1, files[path][1])
    assert tally.to_json() != alone
    for path in ("src/App.tsx", "src/pages/Home.tsx"):
        tally.apply(path, files[path][0], -1)
    assert tally.to_json() == alone


def test_a_saved_tally_restores_the_same_usage() -> None:
    tally = tally_of(app())
    restored = UsageTally.restore(tally.context, False, tally.save())
    assert restored.to_json() == tally.to_json()


def reference(files: Files, groups: Groups) -> dict[str, tuple[int, list[tuple[str, int]]]]:
    """Per group: indirect files and wrappers, found by walking each file's imports (no stored graph)."""
    modules: dict[str, list[str]] = {}
    for path in files:
        modules.setdefault(module_id(path), []).append(path)

    def groups_of(records: Iterable[ImportRecord | UseRecord]) -> set[str]:
        return {name for r in records if (name := groups.classify(r.package, r.resolved)) is not None}

    direct = {path: groups_of(records) for path, (records, _) in files.items()}
    provides = {path: groups_of(uses) & direct[path] for path, (_, uses) in files.items()}
    targets = {
        path: {t for r in records for t in modules.get(r.package, ()) if t != path}
        for path, (records, _) in files.items()
    }
    found = {}
    for group in groups.groups:
        indirect = 0
        for path in files:
            seen, stack, reached = set(), list(targets[path]), False
            while stack and not reached:
                node = stack.pop()
                if node not in seen:
                    seen.add(node)
                    reached = group.name in provides[node]
                    stack.extend(targets[node])
            indirect += reached and group.name not in direct[path]
        importers = {t: sum(t in targets[p] for p in files) for t in files}
        wrappers = [(t, n) for t, n in importers.items() if n and group.name in provides[t]]
        found[group.name] = (indirect, sorted(wrappers, key=lambda w: (-w[1], w[0])))
    return found


@pytest.mark.parametrize("seed", range(25))
def test_any_grouping_gets_what_walking_the_files_gets(seed: int) -> None:
    """Random repos of wrappers, pages and cycles: the stored graph answers two groupings like a walk."""
    rng = random.Random(seed)
    paths = [f"src/{rng.choice(['ui', 'pages', 'lib'])}/F{i}.tsx" for i in range(rng.randint(3, 14))]
    files: Files = {}
    for path in paths:
        records, uses = [], []
        for package in rng.sample(["old-ui", "new-ui", "@x/y", "react"], rng.randint(0, 2)):
            records.append(imp(path, package))
            if rng.random() < 0.6:
                uses.append(use(path, package))
        for other in rng.sample(paths, rng.randint(0, 3)):
            records.append(imp(path, module_id(other), "default"))
        if records:
            files[path] = (records, uses)
    usage = json.loads(json.dumps(tally_of(files).to_json()))
    other = Groups((Group("XY", packages=("@x/*",), target=True), Group("Old", packages=("old-ui", "react"))))
    for groups in (GROUPS, other):
        block = adoption_of(usage, groups)
        assert block is not None
        got = {
            name: (g["files_indirect"], [(w["module"], w["importers"]) for w in g["wrappers"]])
            for name, g in block["groups"].items()
        }
        assert got == reference(files, groups)
