"""A scan pauses Python's cycle collector and hands what it made to the oldest generation on the way
out, so the first collection after it does not walk every object of the index (0.4 s after a job from
the pack of 42k files); nothing is left frozen and the collector is on again."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from depreport.runinfo import RunInfo
from depreport.scan.assembly import ScanOptions
from depreport.scan.pipeline import scan
from tests.helpers import git_repo

pytestmark = pytest.mark.integration


def _files(count: int) -> dict[str, str]:
    return {
        f"src/m{i}.ts": f"import {{ a{i}, b }} from 'pkg-{i % 7}';\nexport const c = [a{i}, b];\n"
        for i in range(count)
    }


def test_what_the_scan_made_goes_to_the_oldest_generation(tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "repo", _files(300))
    gc.collect()
    frozen = gc.get_freeze_count()
    result = scan(ScanOptions(repo, use_git=False), RunInfo())
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert result.report["totals"]["files_parsed"] == 300  # the scan did make an index
    assert id(result) in oldest and id(result.header) in oldest  # not walked by young collections
    assert gc.isenabled() and gc.get_freeze_count() == frozen  # nothing left frozen


def test_a_collector_that_was_off_stays_off(tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "repo", _files(3))
    gc.disable()
    try:
        scan(ScanOptions(repo, use_git=False), RunInfo())
        assert not gc.isenabled()
    finally:
        gc.enable()
