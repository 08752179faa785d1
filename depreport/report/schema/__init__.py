"""The report format: version, construction from records, and (de)serialisation.

A breaking change bumps SCHEMA_VERSION and adds a `_migrate_vN` step so old stored reports stay readable.
The shape of a report in code is `depreport.report.shape` (TypedDicts held to the JSON Schema files here);
a document is `dict[str, Any]` until it has been checked, then a `Report`.
Version 2 added the `components` block (JSX instances, props and value uses); a report of version 1
reads as one without components.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from importlib import resources
from typing import Any, cast

from depreport import __version__
from depreport.errors import EXIT_USAGE, DepreportError
from depreport.model import ImportRecord
from depreport.report.shape import Header, Options, Report
from depreport.runinfo import RunInfo

SCHEMA_VERSION = 2


_COMPACT = (",", ":")


def build_header(info: RunInfo, options: Options) -> Header:
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


def dumps(report: Mapping[str, object], indent: int | None = None) -> str:
    """JSON text of a report with sorted keys (deterministic); compact unless an indent is asked for."""
    separators = (",", ": ") if indent else _COMPACT
    return json.dumps(report, indent=indent, sort_keys=True, ensure_ascii=False, separators=separators) + "\n"


def body_parts(body: Mapping[str, object]) -> dict[str, str]:
    """A report body as the compact JSON text of each of its top-level values (sorted keys inside)."""
    return {
        key: json.dumps(value, sort_keys=True, ensure_ascii=False, separators=_COMPACT)
        for key, value in body.items()
    }


def join_report(header: Mapping[str, object], parts: dict[str, str]) -> str:
    """The compact JSON text of a report, every key sorted: `dumps(report)` without its indent.

    The body comes as the JSON text of each top-level value (`body_parts`, or an index's kept text),
    so a report whose body is already text (from the scan memo, or an index) is written without
    decoding and encoding it again.
    """
    return "".join(report_pieces(header, parts))  # one copy of the blocks' texts, not one per step


def report_pieces(header: Mapping[str, object], parts: dict[str, str]) -> tuple[str, ...]:
    """`join_report`'s text in pieces, the blocks' texts among them as they are: written or published
    piece by piece, a report is never held whole beside its blocks (38 MB of 42k files)."""
    texts = {**body_parts(header), **parts}
    pieces = [piece for key in sorted(texts) for piece in (",", json.dumps(key), ":", texts[key])]
    pieces[:1] = ["{"]  # the first comma
    pieces.append("}\n")
    return tuple(pieces)


def dumps_records(records: Iterable[ImportRecord]) -> str:
    """Import records as JSON lines (the `jsonl` format), keys sorted."""
    return "".join(json.dumps(r.to_json(), ensure_ascii=False, sort_keys=True) + "\n" for r in records)


def loads(text: str | bytes) -> Report:
    """A report from JSON text, migrated to the current schema version; a bad shape names the field."""
    try:
        report = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise ReportError(f"not a depreport report: invalid JSON ({error})") from error
    if not isinstance(report, dict) or "schema_version" not in report:
        raise ReportError("not a depreport report: no schema_version")
    version = report["schema_version"]
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        raise ReportError(
            f"report schema version {version} is newer than this depreport understands ({SCHEMA_VERSION})",
            "upgrade depreport: pip install -U depreport",
        )
    from depreport.report.schema.validate import report_problem  # the package's own module, imported late

    problem = report_problem(migrate(report))
    if problem:
        raise ReportError(
            f"not a usable depreport report: {problem}", "write it again with scan --format json"
        )
    return cast(Report, report)  # checked above


def migrate(document: dict[str, Any]) -> dict[str, Any]:
    """A report or summary of an older schema version brought to this one, in place (and returned).

    A document of an unknown version is left as it is, for the shape checks to refuse.
    """
    version = document.get("schema_version")
    while isinstance(version, int) and 1 <= version < SCHEMA_VERSION:
        _MIGRATIONS[version](document)
        version = document["schema_version"] = version + 1
    return document


def _migrate_v1(document: dict[str, Any]) -> None:
    """Version 1 had no `components` block: a report of it reads as one with no component uses.

    A summary (it has no `exports` block either) gains nothing: summaries never carry components.
    """
    if "exports" in document:
        document.setdefault("components", {})


_MIGRATIONS = {1: _migrate_v1}


def json_schema(document: str = "report") -> dict[str, Any]:
    """The JSON Schema of the current version of a report, or of a run summary (``document="summary"``).

    The summary's schema refers to the report's (`report.v2.json#/$defs/...`).
    """
    text = resources.files(__package__).joinpath(f"{document}.v{SCHEMA_VERSION}.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


class ReportError(DepreportError):
    """A file that is not a report this version can read."""

    exit_code = EXIT_USAGE
