"""End-to-end golden report of the fixture repo, validated against the JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from depreport.cli import main
from depreport.config import load_config
from depreport.report.schema import dumps, json_schema, loads
from depreport.runinfo import RunInfo
from depreport.scan.assembly import ScanOptions
from depreport.scan.pipeline import scan
from tests.conftest import FIXTURES

REPO = FIXTURES / "repos" / "mini-app"
GOLDEN = FIXTURES / "golden" / "mini-app.report.json"
INFO = RunInfo(repo="acme/mini-app", commit="0" * 40, branch="main", generated_at="2026-01-05T10:00:00Z")

pytestmark = pytest.mark.integration


def _report_text(jobs: int = 1) -> str:
    options = ScanOptions(root=REPO, config=load_config(REPO), jobs=jobs, use_git=False)
    return dumps(scan(options, INFO).report, indent=1)


def test_report_matches_golden(update_goldens: bool) -> None:
    text = _report_text()
    if update_goldens:
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_golden_is_valid_against_schema() -> None:
    jsonschema.validate(json.loads(GOLDEN.read_text(encoding="utf-8")), json_schema())


def test_report_is_deterministic_across_process_pools() -> None:
    assert _report_text(jobs=1) == _report_text(jobs=2)


def test_report_round_trips() -> None:
    report = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert loads(dumps(report)) == report


def test_scan_writes_the_golden_report_in_canonical_bytes(tmp_path: Path) -> None:
    """The bytes `scan --format json` writes: every key sorted at every level, compact, one line."""
    out = tmp_path / "report.json"
    argv = ["scan", str(REPO), "--format", "json", "--out", str(out), "--no-cache", "--no-git"]
    argv += ["--repo", INFO.repo, "--commit", INFO.commit, "--branch", INFO.branch, "--progress", "never"]
    assert main(argv) == 0
    written = out.read_text(encoding="utf-8")
    report = json.loads(written)
    assert written == dumps(report)  # exactly the canonical encoding (sorted keys, compact, newline)
    assert list(report) == sorted(report)
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    for document in (report, golden):
        document.pop("generated_at"), document.pop("committed_at")  # when and from which checkout it ran
    assert report == golden
