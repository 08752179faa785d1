"""The layering rules of STYLE.md, checked on the source: who may import what, and who may print."""

from __future__ import annotations

import ast
from collections.abc import Iterator

import pytest

from tests.conftest import ROOT

PACKAGES = ("depreport", "codemods", "dashboard")


def modules() -> Iterator[tuple[str, ast.Module]]:
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            yield str(path.relative_to(ROOT)), ast.parse(path.read_text(encoding="utf-8"))


def imported(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_only_the_s3_store_talks_to_boto3() -> None:
    users = {
        path
        for path, tree in modules()
        if any(n.split(".")[0] in ("boto3", "botocore") for n in imported(tree))
    }
    assert users == {"depreport/store/s3.py"}


@pytest.mark.parametrize("layer", ["depreport/extract", "depreport/model.py", "depreport/resolve.py"])
def test_the_core_imports_no_outer_layer(layer: str) -> None:
    outer = ("depreport.cli", "depreport.store", "depreport.render", "dashboard", "codemods")
    for path, tree in modules():
        if path.startswith(layer):
            assert not [n for n in imported(tree) if n.startswith(outer)], path


def test_only_the_command_line_prints() -> None:
    printers = set()
    for path, tree in modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print":
                printers.add(path)
    assert all(path.startswith("depreport/cli/") for path in printers), sorted(printers)


def test_no_module_is_named_like_a_dependency() -> None:
    shadowing = {"click.py", "streamlit.py", "plotly.py", "pandas.py", "yaml.py"}
    folders = [ROOT / name for name in (*PACKAGES, "tests", "fixtures", "scripts")]
    found = [p for folder in folders for p in folder.rglob("*.py") if p.name in shadowing]
    assert found == []
