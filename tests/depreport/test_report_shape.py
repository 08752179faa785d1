"""The report's types (`depreport.report.shape`) and its JSON Schema say the same, and real documents
hold to both: every object's keys and required keys, every map, list and leaf type, walked together."""

# No `from __future__ import annotations`: `_Drifted` below needs `NotRequired` evaluated (see shape.py).
import json
import types
import typing
from pathlib import Path
from typing import Any, NotRequired, TypedDict, Union, get_args, get_origin, get_type_hints

import pytest

from depreport.history.publish import summarize
from depreport.report import shape
from depreport.report.schema import SCHEMA_VERSION, json_schema

GOLDEN = Path(__file__).parents[2] / "fixtures" / "golden" / "mini-app.report.json"
DOCUMENTS = {
    f"report.v{SCHEMA_VERSION}.json": json_schema(),
    f"summary.v{SCHEMA_VERSION}.json": json_schema("summary"),
}
LEAVES: dict[type, tuple[str, ...]] = {
    str: ("string",),
    int: ("integer",),
    float: ("number",),
    bool: ("boolean",),
}


def _deref(node: dict[str, Any], document: str) -> tuple[dict[str, Any], str]:
    """A schema node with `$ref`s followed (also into the other document), and the document it is in."""
    while "$ref" in node:
        file, _, pointer = node["$ref"].partition("#")
        document = file or document
        node = DOCUMENTS[document]
        for part in pointer.strip("/").split("/"):
            node = node[part] if part else node
    return node, document


def _is_typeddict(tp: Any) -> bool:
    return isinstance(tp, type) and typing.is_typeddict(tp)


def _optional(tp: Any) -> Any | None:
    """`X` of `X | None`, or None when `tp` does not admit None."""
    if get_origin(tp) in (Union, types.UnionType) and type(None) in get_args(tp):
        rest = [arg for arg in get_args(tp) if arg is not type(None)]
        return rest[0] if len(rest) == 1 else Union[tuple(rest)]  # noqa: UP007
    return None


def _without_null(node: dict[str, Any], document: str, where: str) -> tuple[dict[str, Any], str, list[str]]:
    """The non-null part of a node that admits null (`oneOf` with a null branch, or a type list)."""
    if "oneOf" in node:
        branches = [b for b in node["oneOf"] if _deref(b, document)[0].get("type") != "null"]
        if len(branches) == len(node["oneOf"]) - 1 == 1:
            return branches[0], document, []
    kinds = node.get("type")
    if isinstance(kinds, list) and "null" in kinds:
        rest = [k for k in kinds if k != "null"]
        return {**node, "type": rest[0] if len(rest) == 1 else rest}, document, []
    return node, document, [f"{where}: the type admits null, the schema does not"]


def _objects(node: dict[str, Any], document: str) -> tuple[dict[str, Any], set[str]]:
    """Properties (with their document) and required keys of an object node, its `allOf` parts included."""
    props = {key: (value, document) for key, value in node.get("properties", {}).items()}
    required = set(node.get("required", ()))
    for part in node.get("allOf", ()):
        inner, inner_doc = _deref(part, document)
        more, more_required = _objects(inner, inner_doc)
        props |= more
        required |= more_required
    return props, required


def disagreements(tp: Any, node: dict[str, Any], document: str, where: str) -> list[str]:
    """Where the type `tp` and the schema node say different things."""
    node, document = _deref(node, document)
    if tp is Any:
        return []
    inner = _optional(tp)
    if inner is not None:
        node, document, found = _without_null(node, document, where)
        return found or disagreements(inner, node, document, where)
    kinds = node.get("type")
    if "oneOf" in node or (isinstance(kinds, list) and "null" in kinds):
        return [f"{where}: the schema admits null, the type does not"]
    if _is_typeddict(tp):
        return _typeddict_disagreements(tp, node, document, where)
    origin, args = get_origin(tp), get_args(tp)
    if origin is dict:
        extra = node.get("additionalProperties")
        if node.get("type") != "object" or not isinstance(extra, dict):
            return [f"{where}: a map in the type, not in the schema"]
        return disagreements(args[1], extra, document, f"{where}.*")
    if origin is list:
        if node.get("type") != "array":
            return [f"{where}: a list in the type, not in the schema"]
        items = node.get("items")
        return disagreements(args[0], items, document, f"{where}[]") if isinstance(items, dict) else []
    return _leaf_disagreements(tp, node, where)


def _typeddict_disagreements(tp: Any, node: dict[str, Any], document: str, where: str) -> list[str]:
    props, required = _objects(node, document)
    keys = set(tp.__required_keys__ | tp.__optional_keys__)
    found = [f"{where}.{key}: in the schema, not in {tp.__name__}" for key in sorted(set(props) - keys)]
    found += [f"{where}.{key}: in {tp.__name__}, not in the schema" for key in sorted(keys - set(props))]
    both = keys & set(props)
    found += [
        f"{where}.{key}: required in the schema only"
        for key in sorted(both & required - tp.__required_keys__)
    ]
    found += [
        f"{where}.{key}: required in {tp.__name__} only"
        for key in sorted(both & tp.__required_keys__ - required)
    ]
    hints = get_type_hints(tp)
    for key in sorted(both):
        value, value_doc = props[key]
        found += disagreements(hints[key], value, value_doc, f"{where}.{key}")
    return found


def _leaf_disagreements(tp: Any, node: dict[str, Any], where: str) -> list[str]:
    kinds = LEAVES.get(tp)
    if kinds is None:
        return [f"{where}: {tp!r} is not a JSON type"]
    if "const" in node:
        return [] if type(node["const"]) is tp else [f"{where}: const {node['const']!r} is not {tp.__name__}"]
    if "enum" in node:
        return [] if all(type(v) is tp for v in node["enum"]) else [f"{where}: enum is not all {tp.__name__}"]
    return (
        []
        if node.get("type") in kinds
        else [f"{where}: {tp.__name__} in the type, {node.get('type')} in the schema"]
    )


@pytest.mark.parametrize(
    ("tp", "document"),
    [pytest.param(shape.Report, "report", id="report"), pytest.param(shape.Summary, "summary", id="summary")],
)
def test_types_and_schema_agree(tp: Any, document: str) -> None:
    name = f"{document}.v{SCHEMA_VERSION}.json"
    assert disagreements(tp, DOCUMENTS[name], name, "$") == []


class _Drifted(TypedDict):
    """Totals that lost a key and gained one the schema does not have."""

    files_seen: int
    files_parsed: int
    files_without_imports: int
    files_skipped: int
    files_failed: int
    files_with_syntax_errors: int
    imports: str
    packages: NotRequired[int]
    renamed: int


def test_the_comparison_sees_drift() -> None:
    name = f"report.v{SCHEMA_VERSION}.json"
    found = disagreements(_Drifted, DOCUMENTS[name]["properties"]["totals"], name, "$.totals")
    assert found == [
        "$.totals.unresolvable_dynamic_imports: in the schema, not in _Drifted",
        "$.totals.renamed: in _Drifted, not in the schema",
        "$.totals.packages: required in the schema only",
        "$.totals.imports: str in the type, integer in the schema",
    ]


def undeclared(value: Any, tp: Any, where: str = "$") -> list[str]:
    """Keys of a real document its type does not declare, and required keys it lacks."""
    if tp is Any:
        return []
    inner = _optional(tp)
    if inner is not None:
        return [] if value is None else undeclared(value, inner, where)
    if _is_typeddict(tp):
        hints = get_type_hints(tp)
        found = [f"{where}.{key}: not declared in {tp.__name__}" for key in value if key not in hints]
        found += [f"{where}.{key}: missing" for key in sorted(tp.__required_keys__ - set(value))]
        for key in value.keys() & hints.keys():
            found += undeclared(value[key], hints[key], f"{where}.{key}")
        return found
    origin, args = get_origin(tp), get_args(tp)
    if origin is dict:
        return [f for key, item in value.items() for f in undeclared(item, args[1], f"{where}.{key}")]
    if origin is list:
        return [f for i, item in enumerate(value) for f in undeclared(item, args[0], f"{where}[{i}]")]
    kinds = (int, float) if tp is float else tp  # a JSON number may be written without a fraction
    return [] if isinstance(value, kinds) else [f"{where}: {value!r} is not {tp.__name__}"]


def test_a_real_report_and_its_summary_hold_to_the_types() -> None:
    report = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert undeclared(report, shape.Report) == []
    summary = {**summarize(report), "run_time": report["generated_at"], "repo": "acme/mini-app"}
    assert undeclared(summary, shape.Summary) == []
    assert (
        report["adoption"]["groups"] and report["components"] and report["usage"]["graph"]
    )  # what was walked


def test_a_key_a_report_gains_is_seen() -> None:
    report = json.loads(GOLDEN.read_text(encoding="utf-8"))
    report["usage"]["edges"] = []
    del report["totals"]["imports"]
    assert sorted(undeclared(report, shape.Report)) == [
        "$.totals.imports: missing",
        "$.usage.edges: not declared in Usage",
    ]


def test_every_summary_is_a_run_head() -> None:
    """A RunHead's keys are a Summary's, with the same types and the same required keys."""
    head, summary = get_type_hints(shape.RunHead), get_type_hints(shape.Summary)
    assert {key: summary.get(key) for key in head} == head
    assert shape.RunHead.__required_keys__ <= shape.Summary.__required_keys__
    assert shape.RunHead.__optional_keys__ <= shape.Summary.__optional_keys__
