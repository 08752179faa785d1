"""Shared test options: `--update-goldens` rewrites expected files instead of comparing."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest_plugins = ["tests.s3_fixtures"]

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true", help="rewrite golden files from current output")


@pytest.fixture(autouse=True, scope="session")
def ctrl_c_as_from_a_terminal() -> Iterator[None]:
    """Ctrl-C raises KeyboardInterrupt, as in a terminal, also when the suite was started in the
    background: a shell's `cmd &` starts it with SIGINT ignored, Python then leaves it ignored, and the
    tests that interrupt a run (and the commands they start, which inherit it) found nothing to catch."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))
