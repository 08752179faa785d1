"""`merge` given damaged or wrong partials: exit 2 naming the file (and the field), never a traceback."""

from __future__ import annotations

import copy
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from depreport.cli import main
from depreport.scan.partial import partial_problem
from tests.conftest import FIXTURES
from tests.helpers import write_files

pytestmark = pytest.mark.integration

Edit = Callable[[dict[str, Any]], None]


@pytest.fixture(scope="module")
def partials(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """The two partials of the mini app (with CODEOWNERS, so files have owners), as scan --shard wrote them."""
    folder = tmp_path_factory.mktemp("shards")
    repo = folder / "app"
    shutil.copytree(FIXTURES / "repos" / "mini-app", repo)
    write_files(repo, {"CODEOWNERS": "/src/ @acme/web\n"})
    documents = []
    for number in (1, 2):
        out = folder / f"part-{number}.json"
        argv = [
            "scan",
            str(repo),
            "--shard",
            f"{number}/2",
            "--out",
            str(out),
            "--no-cache",
            "--progress",
            "never",
        ]
        assert main(argv) == 0
        documents.append(json.loads(out.read_text(encoding="utf-8")))
    return documents


def merge(capsys: pytest.CaptureFixture[str], *paths: Path) -> tuple[int, str]:
    code = main(["merge", *map(str, paths), "--out", str(paths[0].parent / "merged.json")])
    return code, capsys.readouterr().err


def a_file(part: dict[str, Any]) -> dict[str, Any]:
    """The entry of a file with records and uses."""
    return next(entry for entry in part["files"].values() if entry["records"] and entry["uses"])


def _set(key: str, value: object) -> Edit:
    return lambda part: part.__setitem__(key, value)


def _set_in_file(key: str, value: object) -> Edit:
    return lambda part: a_file(part).__setitem__(key, value)


def _set_file(value: object) -> Edit:
    return lambda part: part["files"].__setitem__(next(iter(part["files"])), value)


EDITS = [
    pytest.param(_set("files", []), "files must be an object", id="files-a-list"),
    pytest.param(_set_file(5), "must be an object, got 5", id="file-entry-5"),
    pytest.param(_set("header", None), "header must be an object", id="header-null"),
    pytest.param(_set("header", []), "header must be an object", id="header-list"),
    pytest.param(lambda p: p["header"].pop("commit"), "header has no commit", id="header-no-commit"),
    pytest.param(lambda p: p["header"].__setitem__("options", 5), "header: options", id="header-options-5"),
    pytest.param(_set("shard", None), "shard must be [I, N]", id="shard-null"),
    pytest.param(_set("shard", ["2", "2"]), "shard must be [I, N]", id="shard-strings"),
    pytest.param(_set("shard", [3, 2]), "shard must be [I, N]", id="shard-over-count"),
    pytest.param(_set("discovery_problems", [5]), "discovery_problems[0]", id="discovery-problem-5"),
    pytest.param(
        _set("workspaces", {"@acme/ui": 5}), "workspaces must be an object of package", id="workspaces"
    ),
    pytest.param(_set_in_file("records", "x"), ".records must be a list", id="records-text"),
    pytest.param(
        _set_in_file("records", [[1, 2]]), ".records[0] must be an import record", id="record-short"
    ),
    pytest.param(_set_in_file("uses", [[1]]), ".uses[0] must be a component use", id="use-short"),
    pytest.param(_set_in_file("owners", 5), ".owners must be null or a list", id="owners-5"),
    pytest.param(
        _set_in_file("unresolvable", "x"), ".unresolvable must be a whole number", id="unresolvable-text"
    ),
    pytest.param(_set_in_file("problems", [{"path": "a"}]), ".problems[0]", id="problem-missing-keys"),
    pytest.param(_set_in_file("status", "gone"), ".status must be one of", id="status-unknown"),
    pytest.param(_set_in_file("versions", []), ".versions must be an object", id="versions-list"),
    pytest.param(lambda p: a_file(p).pop("uses"), "has no uses", id="uses-missing"),
    pytest.param(lambda p: a_file(p)["records"][0].__setitem__(1, "3"), ".records[0]", id="record-line-text"),
    pytest.param(lambda p: a_file(p)["uses"][0].__setitem__(10, [[1, 2]]), ".uses[0]", id="use-prop-numbers"),
]


@pytest.mark.parametrize(("edit", "field"), EDITS)
def test_an_edited_partial_is_refused_naming_the_file_and_the_field(
    partials: list[dict[str, Any]], edit: Edit, field: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    damaged = copy.deepcopy(partials[0])
    edit(damaged)
    paths = [tmp_path / "part-1.json", tmp_path / "part-2.json"]
    for path, document in zip(paths, [damaged, partials[1]], strict=True):
        path.write_text(json.dumps(document), encoding="utf-8")
    code, err = merge(capsys, *paths)
    assert code == 2, err
    assert f"not a partial report: {paths[0]}" in err and field in err
    assert "hint: give the files scan --shard wrote" in err


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        pytest.param("null", "the document must be an object, got null", id="null"),
        pytest.param("[1,2]", "the document must be an object, got [1, 2]", id="a-list"),
        pytest.param("[" * 100_000, "nested too deeply to read", id="nested-100k"),
        pytest.param('{"format": "depreport-partial/1"}', "format is", id="old-format"),
    ],
)
def test_a_file_that_is_no_partial_is_refused(
    text: str, shown: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "a.json"
    path.write_text(text, encoding="utf-8")
    code, err = merge(capsys, path, path)
    assert code == 2 and f"not a partial report: {path}: {shown}" in err


def test_real_partials_pass_the_check_and_still_merge(
    partials: list[dict[str, Any]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert [partial_problem(p) for p in partials] == [None, None]
    paths = [tmp_path / "part-1.json", tmp_path / "part-2.json"]
    for path, document in zip(paths, partials, strict=True):
        path.write_text(json.dumps(document), encoding="utf-8")
    assert merge(capsys, *reversed(paths))[0] == 0
    assert json.loads((tmp_path / "merged.json").read_text(encoding="utf-8"))["adoption"]["by_owner"]


def _set_in_options(keys: tuple[str, ...], value: object) -> Edit:
    def edit(part: dict[str, Any]) -> None:
        folder = part["header"]
        for key in keys[:-1]:
            folder = folder[key]
        folder[keys[-1]] = value

    return edit


HEADER_EDITS = [
    pytest.param(_set_in_options(("options",), None), "header.options must be an object", id="options-null"),
    pytest.param(
        _set_in_options(("options",), []), "header.options must be an object", id="options-empty-list"
    ),
    pytest.param(
        _set_in_options(("options", "adoption"), []),
        "header.options.adoption must be an object",
        id="adoption-empty-list",
    ),
    pytest.param(
        _set_in_options(("options", "adoption", "include_type_only"), "false"),
        "header.options.adoption.include_type_only must be true or false",
        id="include-type-only-text",
    ),
]


@pytest.mark.parametrize(("edit", "field"), HEADER_EDITS)
def test_partials_whose_headers_agree_on_a_wrong_type_are_refused(
    partials: list[dict[str, Any]], edit: Edit, field: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every shard's header edited alike: they agree with each other, and are still no header scan wrote."""
    paths = [tmp_path / "part-1.json", tmp_path / "part-2.json"]
    for path, part in zip(paths, partials, strict=True):
        damaged = copy.deepcopy(part)
        edit(damaged)
        path.write_text(json.dumps(damaged), encoding="utf-8")
    code, err = merge(capsys, *paths)
    assert code == 2 and "Traceback" not in err, err
    assert f"not a partial report: {paths[0]}" in err and field in err
