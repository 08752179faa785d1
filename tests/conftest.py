"""Shared test options: `--update-goldens` rewrites expected files instead of comparing."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["tests.s3_fixtures"]

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true", help="rewrite golden files from current output")


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))
