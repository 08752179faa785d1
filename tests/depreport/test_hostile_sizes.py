"""Sizes that overflow, or round to no bytes at all, are refused naming the flag or key and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from depreport.cli import main
from depreport.config import parse_config
from depreport.errors import ConfigError
from depreport.sizes import MAX_SIZE, parse_size
from tests.helpers import write_files

HUGE = "1" + "0" * 400
NOT_SIZES = [
    pytest.param(HUGE, id="overflows-a-float"),
    pytest.param(f"{HUGE}GB", id="overflows-with-a-unit"),
    pytest.param("1" * 5000, id="more-digits-than-int-reads"),
    pytest.param("0.0000001", id="rounds-to-0"),
    pytest.param("0.5", id="half-a-byte"),
    pytest.param("0.0001KB", id="a-tenth-of-a-byte"),
    pytest.param("0", id="zero"),
    pytest.param(str(MAX_SIZE + 1), id="over-the-largest-file-size"),
]


@pytest.mark.parametrize(
    "value", [*NOT_SIZES, pytest.param(0, id="zero-number"), pytest.param(-1, id="negative")]
)
def test_parse_size_refuses(value: object) -> None:
    assert parse_size(value) is None


@pytest.mark.parametrize(
    ("value", "size"),
    [
        ("1", 1),
        ("1.9", 1),
        ("0.001KB", 1),
        (str(MAX_SIZE), MAX_SIZE),
        (MAX_SIZE, MAX_SIZE),
        ("8GiB", 8 * 1024**3),
    ],
)
def test_parse_size_edges(value: object, size: int) -> None:
    assert parse_size(value) == size


@pytest.mark.parametrize("value", [*NOT_SIZES, pytest.param(0, id="zero-number")])
def test_config_key_that_is_not_a_size_names_the_key_and_the_fix(value: object) -> None:
    with pytest.raises(ConfigError) as raised:
        parse_config({"max_file_size": value}, "depreport.toml")
    assert "depreport.toml: max_file_size: not a size" in raised.value.message
    assert "1 byte or more" in raised.value.hint


@pytest.mark.integration
@pytest.mark.parametrize("value", NOT_SIZES)
def test_flag_that_is_not_a_size_exits_2_naming_the_flag(
    value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(tmp_path, {"a.js": "import x from 'x';\n"})
    argv = ["scan", str(tmp_path), "--max-file-size", value, "--no-cache", "--progress", "never"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "--max-file-size: not a size" in err and "hint:" in err


@pytest.mark.integration
def test_config_file_with_an_overflowing_size_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(tmp_path, {"a.js": "import x from 'x';\n", "depreport.toml": f'max_file_size = "{HUGE}GB"\n'})
    assert main(["scan", str(tmp_path), "--no-cache", "--progress", "never"]) == 2
    assert "max_file_size: not a size" in capsys.readouterr().err
