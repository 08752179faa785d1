"""The report format: version, construction from records, and (de)serialisation.

A breaking change bumps SCHEMA_VERSION and adds a `_migrate_vN` step so old stored reports stay readable.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from importlib import resources
from typing import Any

from depreport import __version__
from depreport.aggregate import FileTotals, index_exports, index_packages, problems_json, totals_json
from depreport.errors import DepreportError
from depreport.model import ImportRecord, Problem
from depreport.runinfo import RunInfo

SCHEMA_VERSION = 1


def build_report(
    info: RunInfo,
    options: dict[str, Any],
    records: Iterable[ImportRecord],
    problems: Iterable[Problem],
    files: FileTotals,
) -> dict[str, Any]:
    """The report of one scan, as a JSON-ready dict with a stable key order."""
    records = list(records)
    packages = index_packages(records)
    return {
        "schema_version": SCHEMA_VERSION,
        "tool_version": __version__,
        "repo": info.repo,
        "commit": info.commit,
        "branch": info.branch,
        "committed_at": info.committed_at,
        "generated_at": info.generated_at,
        "options": options,
        "totals": totals_json(files, packages, len(records)),
        "packages": packages,
        "exports": index_exports(packages),
        "problems": problems_json(problems),
    }


def dumps(report: dict[str, Any], indent: int | None = 2) -> str:
    """Deterministic JSON text of a report (sorted keys)."""
    separators = (",", ": ") if indent else (",", ":")
    return json.dumps(report, indent=indent, sort_keys=True, ensure_ascii=False, separators=separators) + "\n"


def loads(text: str | bytes) -> dict[str, Any]:
    """A report from JSON text, migrated to the current schema version."""
    try:
        report = json.loads(text)
    except ValueError as error:
        raise ReportError(f"not a depreport report: invalid JSON ({error})") from error
    if not isinstance(report, dict) or "schema_version" not in report:
        raise ReportError("not a depreport report: no schema_version")
    version = report["schema_version"]
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        raise ReportError(
            f"report schema version {version} is newer than this depreport understands ({SCHEMA_VERSION})",
            "upgrade depreport: pip install -U depreport",
        )
    return report


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the current report version."""
    text = resources.files(__package__).joinpath(f"report.v{SCHEMA_VERSION}.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


class ReportError(DepreportError):
    """A file that is not a report this version can read."""

    exit_code = 2
