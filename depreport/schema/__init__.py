"""The report format: version, construction from records, and (de)serialisation.

A breaking change bumps SCHEMA_VERSION and adds a `_migrate_vN` step so old stored reports stay readable.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from importlib import resources
from typing import Any

from depreport import __version__
from depreport.adoption import Groups, measure_adoption
from depreport.aggregate import FileTotals, index_exports, index_packages, problems_json, totals_json
from depreport.errors import DepreportError
from depreport.model import ImportRecord, Problem
from depreport.runinfo import RunInfo

SCHEMA_VERSION = 1


HEADER_KEYS = (
    "schema_version",
    "tool_version",
    "repo",
    "commit",
    "branch",
    "committed_at",
    "generated_at",
    "options",
)
_COMPACT = (",", ":")


def build_header(info: RunInfo, options: dict[str, Any]) -> dict[str, Any]:
    """Who, what and when: the part of a report that does not depend on the files."""
    return {
        "schema_version": SCHEMA_VERSION,
        "tool_version": __version__,
        "repo": info.repo,
        "commit": info.commit,
        "branch": info.branch,
        "committed_at": info.committed_at,
        "generated_at": info.generated_at,
        "options": options,
    }


def build_body(
    records: Iterable[ImportRecord], problems: Iterable[Problem], files: FileTotals, groups: Groups
) -> dict[str, Any]:
    """The indexes: a pure function of the files, built in sorted order so its JSON is deterministic."""
    records = list(records)
    packages = index_packages(records)
    return {
        "totals": totals_json(files, packages, len(records)),
        "adoption": measure_adoption(records, groups),
        "packages": packages,
        "exports": index_exports(packages),
        "problems": problems_json(problems),
    }


def dumps(report: dict[str, Any], indent: int | None = None) -> str:
    """JSON text of a report; compact unless an indent is asked for.

    Reports are built in sorted order, so no key sorting is needed (and the C encoder stays fast).
    """
    separators = (",", ": ") if indent else _COMPACT
    return json.dumps(report, indent=indent, ensure_ascii=False, separators=separators) + "\n"


def dumps_body(body: dict[str, Any]) -> str:
    """Compact JSON text of a report body (an object)."""
    return json.dumps(body, ensure_ascii=False, separators=_COMPACT)


def join_report(header: dict[str, Any], body_json: str) -> str:
    """The compact JSON text of a report from its header and the JSON text of its body.

    Equal to `dumps({**header, **body})`, without decoding a body that is already text.
    """
    return json.dumps(header, ensure_ascii=False, separators=_COMPACT)[:-1] + "," + body_json[1:] + "\n"


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
