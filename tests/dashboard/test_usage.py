"""Usage rows from full reports: groups, the treemap nodes, a clicked tile's files, low-hanging fruit."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from dashboard.usage import (
    OWNERS,
    UNGROUPED,
    csv_bytes,
    file_list,
    files_for,
    low_hanging_fruit,
    node_id,
    report_groups,
    report_usage,
    select,
    sort_fruit,
    treemap_nodes,
    usage_frame,
)
from depreport.cli import main
from depreport.history.adoption import Groups
from depreport.report.htmlreport.content import node_files
from tests.conftest import FIXTURES
from tests.helpers import git_repo

GROUPS = [
    {"name": "DS", "packages": ["ds"], "paths": [], "target": True},
    {"name": "Legacy", "packages": [], "paths": ["src/legacy/**"], "target": False},
]


def use(files: dict[str, list[int]], type_only: int = 0, locals_: tuple[str, ...] = ()) -> dict[str, Any]:
    count = sum(len(lines) for lines in files.values())
    return {"count": count, "type_only": type_only, "files": files, "locals": list(locals_)}


def report(repo: str = "acme/app", **extra: Any) -> dict[str, Any]:
    """A small report: DS exports, a local legacy folder, an ungrouped npm package."""
    packages = {
        "ds": {"resolved_as": "npm", "exports": {
            "Button": use({"src/a.tsx": [1], "src/b.tsx": [2, 9]}),
            "ButtonProps": use({"src/a.tsx": [3]}, type_only=1),
            "default": use({"src/c.tsx": [1]}, locals_=("DS",)),
        }},
        "src/legacy/Card": {"resolved_as": "relative", "exports": {
            "Card": use({"src/a.tsx": [4], "src/legacy/Panel.tsx": [1]}),
        }},
        "lodash": {"resolved_as": "npm", "exports": {"debounce": use({"src/b.tsx": [5]})}},
    }  # fmt: skip
    adoption = {"groups": GROUPS, "include_type_only": False}  # a report always says which
    return {"repo": repo, "commit": "c0ffee" * 6, "options": {"adoption": adoption},
            "packages": packages, **extra}  # fmt: skip


def rows_of(frame: pd.DataFrame) -> list[tuple[Any, ...]]:
    return [
        tuple(r)
        for r in frame[["group", "package", "export", "file", "lines", "imports"]].itertuples(index=False)
    ]


def test_report_usage_rows_follow_the_reports_own_groups() -> None:
    assert rows_of(report_usage(report())) == [
        ("DS", "ds", "Button", "src/a.tsx", (1,), 1),
        ("DS", "ds", "Button", "src/b.tsx", (2, 9), 2),
        ("DS", "ds", "default", "src/c.tsx", (1,), 1),  # ButtonProps: only type imports, left out
        ("Legacy", "src/legacy/Card", "Card", "src/a.tsx", (4,), 1),  # Panel.tsx is inside the folder
        (UNGROUPED, "lodash", "debounce", "src/b.tsx", (5,), 1),
    ]
    assert OWNERS not in report_usage(report()).columns


def test_type_only_imports_count_when_the_report_says_so() -> None:
    counted = report()
    counted["options"]["adoption"]["include_type_only"] = True
    assert "ButtonProps" in set(report_usage(counted)["export"])


def test_default_and_namespace_exports_are_named_by_their_locals() -> None:
    frame = report_usage(report())
    assert frame.loc[frame["export"] == "default", "component"].tolist() == ["default (DS)"]


def test_groups_are_read_as_summaries_and_the_ratchet_read_them() -> None:
    """A version-pinned group listed first: the dashboard places each import where `Groups.from_json`
    (summaries, history, the ratchet) does, not in the pinned group its version is unknown for."""
    pinned = [
        {"name": "Pinned", "packages": ["ds"], "paths": [], "target": False, "version": "<2"},
        *GROUPS,
    ]
    made = report(options={"adoption": {"groups": pinned, "include_type_only": True}})
    groups = Groups.from_json(made["options"]["adoption"])
    frame = report_usage(made)
    expected = [groups.classify(p, made["packages"][p]["resolved_as"]) or UNGROUPED for p in frame["package"]]
    assert frame["group"].tolist() == expected and set(frame.loc[frame["package"] == "ds", "group"]) == {"DS"}
    assert report_groups(made) == groups
    assert "ButtonProps" in set(frame["export"])  # type-only imports count when the report says so


def test_a_report_without_groups_puts_everything_ungrouped() -> None:
    bare = report()
    del bare["options"]
    assert set(report_usage(bare)["group"]) == {UNGROUPED}


def test_owners_column_and_team_filter() -> None:
    owned = report(owners={"src/a.tsx": ["@acme/web", "@acme/ds"], "src/b.tsx": "@acme/ds"})
    frame = usage_frame([owned, report("acme/other")])
    assert frame.loc[frame["repo"] == "acme/other", OWNERS].tolist() == [()] * 5
    web = select(frame, team="@acme/web")
    assert set(web["file"]) == {"src/a.tsx"} and set(web["repo"]) == {"acme/app"}
    assert len(select(frame, repo="acme/other")) == 5
    assert OWNERS not in usage_frame([report()]).columns and usage_frame([]).empty


def test_treemap_nodes_sum_imports_up_the_tree() -> None:
    nodes = treemap_nodes(report_usage(report()))
    table = {tuple(json.loads(n.id)): (n.parent, n.label, n.value, n.depth) for n in nodes.itertuples()}
    assert table == {
        (): ("", "all imports", 5, 0),
        ("DS",): (node_id(), "DS", 4, 1),
        ("DS", "ds"): (node_id("DS"), "ds", 4, 2),
        ("DS", "ds", "Button"): (node_id("DS", "ds"), "Button", 3, 3),
        ("DS", "ds", "default"): (node_id("DS", "ds"), "default (DS)", 1, 3),
        ("Legacy",): (node_id(), "Legacy", 1, 1),
        ("Legacy", "src/legacy/Card"): (node_id("Legacy"), "src/legacy/Card", 1, 2),
        ("Legacy", "src/legacy/Card", "Card"): (node_id("Legacy", "src/legacy/Card"), "Card", 1, 3),
    }
    assert nodes.loc[nodes["group"] == "DS", "target"].all()
    with_rest = treemap_nodes(report_usage(report()), include_ungrouped=True)
    assert with_rest.loc[with_rest["id"] == node_id(UNGROUPED, "lodash", "debounce"), "value"].tolist() == [1]
    assert treemap_nodes(report_usage(report())[0:0]).empty


def test_files_for_a_tile_and_file_list() -> None:
    frame = usage_frame([report(), report("acme/other")])
    button = files_for(frame, ("DS", "ds", "Button"))
    assert button[["repo", "file"]].values.tolist() == [
        ["acme/app", "src/a.tsx"], ["acme/app", "src/b.tsx"], ["acme/other", "src/a.tsx"], ["acme/other", "src/b.tsx"],
    ]  # fmt: skip
    listing = file_list(files_for(frame[frame["repo"] == "acme/app"], ("DS",)))
    assert listing[["file", "lines", "imports", "components"]].values.tolist() == [
        ["src/a.tsx", (1,), 1, ("Button",)], ["src/b.tsx", (2, 9), 2, ("Button",)], ["src/c.tsx", (1,), 1, ("default (DS)",)],
    ]  # fmt: skip
    assert len(files_for(frame, ())) == len(frame)
    assert files_for(frame, ("Nope",)).empty and file_list(files_for(frame, ("Nope",))).empty


def test_low_hanging_fruit_lists_rare_non_target_components() -> None:
    fruit = low_hanging_fruit(report_usage(report()))
    assert fruit.to_dict("records") == [
        {
            "group": "Legacy",
            "package": "src/legacy/Card",
            "component": "Card",
            "imports": 1,
            "files": 1,
            "where": "src/a.tsx:4",
        }
    ]
    across = low_hanging_fruit(usage_frame([report(), report("acme/other")]), most=2)
    assert across["where"].tolist() == ["acme/app:src/a.tsx:4; acme/other:src/a.tsx:4"]
    assert low_hanging_fruit(usage_frame([report(), report("b"), report("c")]), most=2).empty


def test_csv_defuses_spreadsheet_formulas() -> None:
    frame = pd.DataFrame({"file": ["=HYPERLINK(1)", "+a", "-b", "@c", "src/ok.ts"], "n": [1, 2, 3, 4, 5]})
    assert csv_bytes(frame).decode() == "file,n\n'=HYPERLINK(1),1\n'+a,2\n'-b,3\n'@c,4\nsrc/ok.ts,5\n"


def test_the_golden_report_reads_whole() -> None:
    golden = json.loads((FIXTURES / "golden" / "mini-app.report.json").read_text())
    frame = report_usage(golden)
    grouped = frame[frame["group"] != UNGROUPED]
    by_group = grouped.groupby("group")["imports"].sum().to_dict()
    adoption = {name: g["imports"] for name, g in golden["adoption"]["groups"].items()}
    assert by_group == adoption  # the treemap's sizes agree with the report's adoption block


def test_sort_fruit_keeps_fewest_imports_as_the_tie_break() -> None:
    fruit = pd.DataFrame({"group": ["B", "A", "B"], "package": ["p", "q", "r"], "component": ["z", "y", "x"],
                          "imports": [1, 1, 2], "files": [1, 1, 1], "where": ["", "", ""]})  # fmt: skip
    assert sort_fruit(fruit, "group")["package"].tolist() == ["q", "p", "r"]
    assert sort_fruit(fruit, "component")["component"].tolist() == ["x", "y", "z"]
    assert sort_fruit(fruit, "fewest imports")["imports"].tolist() == [1, 1, 2]
    assert sort_fruit(fruit, "nonsense") is fruit


def test_the_page_lists_each_tile_as_a_click_on_it_does() -> None:
    """The HTML report lists every tile's files in one grouping per level; each is what the dashboard
    lists for a click on that tile (files_for, then file_list)."""
    frame = usage_frame([report(), report("acme/other")])
    listings = node_files(frame)
    paths = {path for row in frame.itertuples() for path in ((row.group,), (row.group, row.package),
             (row.group, row.package, row.export))}  # fmt: skip
    assert set(listings) == paths and len(paths) > 6
    for path in paths:
        expected = file_list(files_for(frame, path))
        pd.testing.assert_frame_equal(listings[path], expected, check_dtype=False)


def scanned(root: Path, files: dict[str, str]) -> dict[str, Any]:
    """The report of a real scan of a git repository holding `files` (its depreport.toml included)."""
    repo = git_repo(root / "app", files)
    out = root / "report.json"
    args = ["scan", str(repo), "--format", "json", "--out", str(out), "--no-cache", "--jobs", "1"]
    assert main([*args, "--progress", "never"]) == 0
    found: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return found


def treemap_groups(made: dict[str, Any]) -> dict[str, tuple[int, int]]:
    """Per group of the treemap: imports and importing files, as the adoption block counts them."""
    frame = report_usage(made)
    frame = frame[frame["group"] != UNGROUPED]
    return {
        str(g): (int(rows["imports"].sum()), int(rows["file"].nunique()))
        for g, rows in frame.groupby("group")
    }


def adoption_groups(made: dict[str, Any]) -> dict[str, tuple[int, int]]:
    groups = made["adoption"]["groups"]
    return {name: (g["imports"], g["files"]) for name, g in groups.items() if g["imports"]}


@pytest.mark.integration
def test_a_package_of_the_group_imported_inside_its_folder_is_in_the_treemap(tmp_path: Path) -> None:
    """kubernetes-sigs/headlamp: one group of `material-react-table` and its wrapper folder
    `frontend/src/components/common/Table/**`; the wrapper's own imports of the package count, as
    adoption counts them (19 of the group's 29 imports, all in Table/Table.tsx, were left out of the
    treemap, which showed 10); a module of the folder imported inside it stays internal."""
    config = '[[groups]]\nname = "Table"\npackages = ["material-react-table"]\n'
    config += 'paths = ["src/common/Table/**", "src/common/Cell/**"]\ntarget = true\n'
    config += '[[groups]]\nname = "SimpleTable"\npaths = ["src/common/SimpleTable"]\n'
    made = scanned(
        tmp_path,
        {
            "depreport.toml": config,
            "src/common/Table/Table.tsx": "import { MRT_Row, useMaterialReactTable } from 'material-react-table';\n"
            "import { helper } from './helper';\nimport Cell from '../Cell/Cell';\n",
            "src/common/Table/helper.ts": "export const helper = 1;\n",
            "src/common/Cell/Cell.tsx": "export default function Cell() { return null; }\n",
            "src/common/SimpleTable.tsx": "export default function SimpleTable() { return null; }\n",
            "src/pod/List.tsx": "import Table from '../common/Table/Table';\nimport SimpleTable from '../common/SimpleTable';\n",
        },
    )
    assert adoption_groups(made) == {"Table": (4, 2), "SimpleTable": (1, 1)}
    assert treemap_groups(made) == adoption_groups(made)


@pytest.mark.integration
def test_a_group_of_a_subpath_takes_its_imports_in_the_treemap(tmp_path: Path) -> None:
    """A new major shipped as a subpath of the old package (`@acme/ui/next`, saleor-dashboard's
    `@saleor/macaw-ui/next`) and Python's `unittest.mock` (beetbox/beets: 43 imports in 24 files of a
    `unittest/mock` group were in the treemap's `unittest` group, which showed 74 imports for 32) are
    each their own group's, line by line, as adoption counts them."""
    config = '[[groups]]\nname = "Acme next"\npackages = ["@acme/ui/next/**"]\ntarget = true\n'
    config += '[[groups]]\nname = "Acme"\npackages = ["@acme/ui"]\n'
    config += '[[groups]]\nname = "unittest.mock"\npackages = ["unittest/mock"]\n'
    config += '[[groups]]\nname = "unittest"\npackages = ["unittest"]\n'
    made = scanned(
        tmp_path,
        {
            "depreport.toml": config,
            "src/a.tsx": "import { Button } from '@acme/ui/next';\n",
            "src/b.tsx": "import { Button } from '@acme/ui';\nimport { Button as B } from '@acme/ui/next';\n",
            "test/test_a.py": "import unittest\nfrom unittest.mock import patch\nfrom unittest import mock\n",
        },
    )
    expected = {"Acme next": (2, 2), "Acme": (1, 1), "unittest.mock": (1, 1), "unittest": (2, 1)}
    assert adoption_groups(made) == expected
    assert treemap_groups(made) == expected
