"""`depreport query --props`: the props table of a component, from the report's `components` block.

The reports are the sample app's golden report with a `components` block written by hand in the shape
the report documents (USAGE: packages -> exports -> instances, files, members, props, values).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from depreport.cli import main
from depreport.cli.query import props_text
from depreport.errors import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE
from depreport.report.query import NoMatch, component_props, every_props, merge_props, props_of, values_text
from depreport.report.walk import component_uses
from tests.conftest import FIXTURES

BUTTON = {
    "instances": 14,  # 12 of its own, 2 of its member
    "files": {"src/pages/Home.tsx": [3, 9, 14], "src/pages/Settings.jsx": [8]},
    "members": {"Group": {"instances": 2, "files": {"src/pages/Home.tsx": [20, 21]},
                          "props": {"gap": {"count": 2, "not_set": 0, "values": {"8": 2}}}}},
    "props": {
        "appearance": {"count": 7, "not_set": 5, "values": {"\"primary\"": 4, "[expression]": 3}},
        "[spread]": {"count": 1, "not_set": 11, "values": {"[spread]": 1}},
        "disabled": {"count": 7, "not_set": 5, "values": {"true": 2, "false": 2, "[expression]": 3}},
    },
    "values": {"count": 3, "files": {"src/pages/Home.tsx": [30]}, "via": {"call:styled": 3}},
}  # fmt: skip


def golden() -> dict[str, Any]:
    report: dict[str, Any] = json.loads((FIXTURES / "golden" / "mini-app.report.json").read_text("utf-8"))
    return report


def with_components() -> dict[str, Any]:
    report = golden()
    report["components"] = {
        "evergreen-ui": {
            "Button": copy.deepcopy(BUTTON),
            "Pane": {"instances": 0, "files": {}, "props": {},
                     "values": {"count": 2, "files": {"src/ui/Card.tsx": [5, 6]}, "via": {"attribute:as": 2}}},
        }
    }  # fmt: skip
    return report


def test_props_most_passed_first_values_most_frequent_first() -> None:
    [table] = component_props(with_components(), "evergreen-ui", ["Button"])
    assert (table.package, table.name, table.instances, table.files) == ("evergreen-ui", "Button", 14, 2)
    assert table.own == 12
    assert [(p.name, p.passed, p.not_set) for p in table.props] == [
        ("appearance", 7, 5), ("disabled", 7, 5), ("[spread]", 1, 11),
    ]  # fmt: skip
    assert list(table.props[0].values.items()) == [('"primary"', 4), ("[expression]", 3)]
    assert list(table.props[1].values.items()) == [("[expression]", 3), ("false", 2), ("true", 2)]  # ties


def test_a_member_has_its_own_table() -> None:
    [table] = component_props(with_components(), "evergreen-*", ["Button"], member="Group")
    assert (table.name, table.instances, table.files) == ("Button.Group", 2, 1)
    assert [(p.name, p.values) for p in table.props] == [("gap", {"8": 2})]


def test_the_sample_apps_real_scan() -> None:
    """src/pages/Home.tsx `<Pane {...props}>`, src/ui/Card.tsx `<Pane elevation={1}>`, Settings.jsx
    `<EG.Pane>` (a namespace import): three instances, one spread and one elevation={1}, each not set on
    the other two."""
    [table] = component_props(golden(), "evergreen-ui", ["Pane"])
    assert (table.instances, table.files, table.own) == (3, 3, 3)
    assert [(p.name, p.passed, p.not_set, p.values) for p in table.props] == [
        ("[spread]", 1, 2, {"[spread]": 1}), ("elevation", 1, 2, {"1": 1}),
    ]  # fmt: skip
    [aliased] = component_props(golden(), "evergreen-ui", ["Button"])  # imported as EgButton
    assert [(p.name, p.values) for p in aliased.props] == [("onClick", {"[expression]": 1})]


def test_a_report_without_any_instance_says_to_scan_again() -> None:
    older = golden()
    older["components"] = {}  # how a report of schema 1 reads
    with pytest.raises(NoMatch) as raised:
        component_props(older, "evergreen-ui", ["Button"])
    assert "no JSX instance of any component" in raised.value.message and "scan again" in raised.value.hint


def test_merged_over_repos_a_prop_unseen_in_one_is_not_set_on_all_its_elements() -> None:
    [one] = component_props(with_components(), "evergreen-ui", ["Button"])
    [two] = component_props(golden(), "evergreen-ui", ["Button"])
    merged = merge_props([one, two])
    assert merged is not None and (merged.instances, merged.files, merged.own) == (15, 3, 13)
    assert merged.members == {"Group": 2}
    by_name = {p.name: (p.passed, p.not_set) for p in merged.props}
    assert by_name["appearance"] == (7, 5 + 1) and by_name["onClick"] == (1, 0 + 12)
    assert merge_props([]) is None


def test_imported_but_never_rendered_says_so_and_counts_value_uses() -> None:
    with pytest.raises(NoMatch) as raised:
        component_props(with_components(), "evergreen-ui", ["Pane"])
    message = raised.value.message
    assert "no instance of Pane" in message and "imported in 2 files" in message
    assert "used as a value 2 times" in message


def test_imported_but_absent_from_components_is_never_rendered() -> None:
    with pytest.raises(NoMatch) as raised:
        component_props(with_components(), "evergreen-ui", ["Heading"])
    assert "no instance of Heading" in raised.value.message and "imported in 1 file " in raised.value.message


def test_an_export_never_imported_says_not_imported_and_what_comes_close() -> None:
    with pytest.raises(NoMatch) as raised:
        component_props(with_components(), "evergreen-ui", ["Buton"])
    assert "not imported" in raised.value.message and "'Button'" in raised.value.hint


def test_no_such_package() -> None:
    with pytest.raises(NoMatch) as raised:
        component_props(with_components(), "evergren-ui", ["Button"])
    assert "no package matches" in raised.value.message and "evergreen-ui" in raised.value.hint


def test_text_lines_up_and_cuts_long_value_lists() -> None:
    [table] = component_props(with_components(), "evergreen-ui", ["Button"])
    lines = props_text(table).splitlines()
    assert lines[0] == "evergreen-ui Button: 14 instances in 2 files"
    assert lines[1] == "members: Group 2"
    assert lines[2].split() == ["prop", "passed", "not", "set", "values"]
    assert lines[4].split(None, 3) == ["appearance", "7", "5", '"primary" 4, [expression] 3']
    assert lines[2].index("values") == lines[4].index('"primary"')
    three = {"a": 3, "b": 2, "c": 1}
    assert values_text(three, 13) == "a 3, b 2, c 1"
    assert values_text(three, 12) == "a 3 +2 more"  # "a 3, b 2 +1 more" is too wide
    assert values_text(three, 16) == "a 3, b 2, c 1"
    assert values_text(three, 1) == "a 3 +2 more"  # one value always shows


@pytest.fixture
def report_file(tmp_path: Path) -> Path:
    path = tmp_path / "report.json"
    path.write_text(json.dumps(with_components()), encoding="utf-8")
    return path


def test_cli_json(report_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["query", "--report", str(report_file), "--package", "evergreen-ui", "--export", "Button"]
    assert main([*args, "--props", "--format", "json"]) == EXIT_OK
    [table] = json.loads(capsys.readouterr().out)
    assert table["instances"] == 14 and table["member"] == "" and table["members"] == {"Group": 2}
    assert table["props"][0] == {
        "prop": "appearance", "count": 7, "not_set": 5,
        "values": [{"value": '"primary"', "count": 4}, {"value": "[expression]", "count": 3}],
    }  # fmt: skip


def test_cli_csv_has_a_row_per_value(report_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["query", "--report", str(report_file), "--package", "evergreen-ui", "--export", "Button"]
    assert main([*args, "--props", "--format", "csv"]) == EXIT_OK
    rows = capsys.readouterr().out.splitlines()
    assert rows[0] == "package,component,prop,passed,not set,value,count"
    assert len(rows) == 1 + 2 + 3 + 1


def test_cli_text_and_failures(report_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["query", "--report", str(report_file), "--package", "evergreen-ui"]
    assert main([*args, "--export", "Button", "--props"]) == EXIT_OK
    assert capsys.readouterr().out.startswith("evergreen-ui Button: 14 instances in 2 files\n")
    assert main([*args, "--export", "Pane", "--props"]) == EXIT_FINDINGS
    assert "never rendered" in capsys.readouterr().err
    assert main([*args, "--export", "Modal", "--member", "Header"]) == EXIT_USAGE
    assert "--member goes with --props" in capsys.readouterr().err


def test_every_props_is_props_of_each_component() -> None:
    for report in (golden(), with_components()):
        every = every_props(report)
        rendered = {(use.package, use.export) for use in component_uses(report)}
        assert set(every) == rendered and rendered
        assert all(every[key] == props_of(report, *key) for key in rendered)
    assert set(every_props(golden(), {("evergreen-ui", "Pane")})) == {("evergreen-ui", "Pane")}


def test_cli_on_a_schema_1_report_says_to_scan_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    older = golden()
    del older["components"]
    older["schema_version"] = 1
    path = tmp_path / "old.json"
    path.write_text(json.dumps(older), encoding="utf-8")
    args = ["query", "--report", str(path), "--package", "evergreen-ui", "--export", "Pane", "--props"]
    assert main(args) == EXIT_FINDINGS
    err = capsys.readouterr().err
    assert "imported in 2 files but never rendered" in err and "scan again" in err  # Settings.jsx: `*`
