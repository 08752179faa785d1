"""Schema 2: the `components` block is checked and documented; reports and summaries of version 1 still read."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import jsonschema
import pytest

from depreport.history.publish import publish
from depreport.report.schema import SCHEMA_VERSION, ReportError, json_schema, loads
from depreport.report.schema.validate import report_problem, summary_problem
from depreport.report.walk import component_totals
from depreport.store.memory import MemoryStore
from depreport.store.reading import stored_report
from tests.conftest import FIXTURES

GOLDEN = FIXTURES / "golden" / "mini-app.report.json"


def golden() -> dict[str, Any]:
    report: dict[str, Any] = json.loads(GOLDEN.read_text(encoding="utf-8"))
    return report


def as_version_1(report: dict[str, Any]) -> dict[str, Any]:
    old = {key: value for key, value in report.items() if key != "components"}
    return {**old, "schema_version": 1}


def test_the_golden_has_components_and_the_current_version() -> None:
    report = golden()
    assert report["schema_version"] == SCHEMA_VERSION == 2
    assert sum(total.instances for total in component_totals(report)) > 0


def test_a_version_1_report_reads_as_one_without_components() -> None:
    old = as_version_1(golden())
    schema_1 = json.loads(
        resources.files("depreport.report.schema").joinpath("report.v1.json").read_text("utf-8")
    )
    jsonschema.validate(old, schema_1)  # what an older depreport wrote
    read = loads(json.dumps(old))
    assert read["schema_version"] == 2 and read["components"] == {}
    jsonschema.validate(read, json_schema())
    assert list(component_totals(read)) == []


def test_stored_documents_of_version_1_still_pass_the_checks() -> None:
    old = as_version_1(golden())
    assert report_problem(old) is None
    summary = {key: old[key] for key in ("schema_version", "repo", "commit", "options", "totals", "adoption")}
    assert summary_problem({**summary, "packages": {}, "problems": 0}) is None


@pytest.mark.parametrize(
    ("spoil", "field"),
    [
        pytest.param(
            lambda c: c["evergreen-ui"]["Pane"].update(instances=-1), 'Pane"].instances', id="instances"
        ),
        pytest.param(
            lambda c: c["evergreen-ui"]["Pane"]["props"]["elevation"].update(not_set="2"),
            "not_set",
            id="not_set",
        ),
        pytest.param(lambda c: c["evergreen-ui"]["Pane"]["files"].update({"a.tsx": [0]}), "files", id="line"),
        pytest.param(lambda c: c["evergreen-ui"]["Pane"]["values"]["via"].update(x=1.5), "via", id="via"),
    ],
)
def test_a_bad_components_field_is_named(spoil: Any, field: str) -> None:
    report = golden()
    spoil(report["components"])
    problem = report_problem(report)
    assert problem is not None and field in problem and problem.startswith("components[")
    assert not jsonschema.Draft202012Validator(json_schema()).is_valid(report)


def test_a_newer_version_is_refused() -> None:
    with pytest.raises(ReportError, match="newer"):
        loads(json.dumps({**golden(), "schema_version": SCHEMA_VERSION + 1}))


def test_a_stored_report_of_version_1_reads_as_the_current_version() -> None:
    store = MemoryStore()
    ref = publish(store, as_version_1(golden()))
    read = stored_report(store, ref)
    assert read["schema_version"] == SCHEMA_VERSION and read["components"] == {}
    assert list(component_totals(read)) == []
