"""Shape checks of reports and summaries: what a store accepts, and what its readers can rely on.

The JSON Schema (`report.v2.json`, `summary.v2.json`) documents the format and is checked against every
golden and real report in the tests; these checks enforce at run time the part readers depend on, plus
what a schema cannot say (finite numbers, no run dated in the future), in a fraction of the time a
general validator takes on a large report. Objects may gain keys within a schema version: keys these
checks do not know are left alone. A failure names the field, e.g. `packages["lodash"].imports`.
Documents of every version up to SCHEMA_VERSION pass (`depreport.report.schema.migrate` brings them up
to date; a stored report of version 1 simply has no `components`). A series of reports from one index
(a backfill) passes `unchanged`: the blocks, and entries of `packages`, `exports` and `components`,
that are the same as in a report of the series already checked, left out (each is checked on its own).

Over 300 lines on purpose: one small check per field of the report and summary formats, in the
order the documents nest; a table of them would read worse than the code.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Container, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from depreport.report.schema import SCHEMA_VERSION, ReportError
from depreport.runinfo import time_field

FUTURE_SLACK = timedelta(days=1)  # clocks drift; a run dated later than this would pin "latest"
METRIC_KEYS = ("imports", "files", "components")
# The largest count or line number taken: every JSON reader reads it exactly (JavaScript's largest safe
# integer), and sums of many stay within the 64-bit integers of the dashboard's frames and Parquet.
MAX_COUNT = 2**53 - 1
# The largest line number taken: the Parquet export stores lines as 32-bit integers (a file of 2 GB of
# newlines has no more lines than that).
MAX_LINE = 2**31 - 1
TOTAL_KEYS = (
    "files_seen", "files_parsed", "files_without_imports", "files_skipped", "files_failed",
    "files_with_syntax_errors", "imports", "packages", "unresolvable_dynamic_imports",
)  # fmt: skip
_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
_FIX = "regenerate it with `depreport scan --format json` (reports are not meant to be edited by hand)"


class _Every:
    """Every name: a whole block is unchanged."""

    def __contains__(self, name: object) -> bool:
        return True


EVERY: Container[str] = _Every()
# Per block, the names of its entries already checked in an equal form (EVERY: the whole block).
Unchanged = Mapping[str, Container[str]]
_NOTHING: Unchanged = {}


class _Bad(Exception):
    """The first problem found: a field path and what is wrong with it."""


def check_report(
    report: Any, use_commit_time: bool = False, now: datetime | None = None, unchanged: Unchanged = _NOTHING
) -> None:
    """Raise ReportError (exit 2) naming the field when ``report`` cannot be published.

    The report may be a scan's outline (no file lists, no ``exports`` block); what is there is checked.
    The time the run would be filed under must not be more than a day ahead of ``now``. What
    ``unchanged`` names was checked before, in an earlier report of the same series, and is left out.
    """
    problem = _first_problem(lambda: _report(report, False, unchanged))
    problem = problem or _future_problem(report, use_commit_time, now)
    if problem:
        raise ReportError(f"cannot publish: {problem}", _FIX)


def report_problem(report: Any, full: bool = True) -> str | None:
    """Why ``report`` is not a usable report (None when it is); ``full`` requires the file lists."""
    return _first_problem(lambda: _report(report, full, _NOTHING))


def summary_problem(summary: Any) -> str | None:
    """Why ``summary`` is not a usable run summary (None when it is)."""
    return _first_problem(lambda: _summary(summary))


def history_problem(part: Any) -> str | None:
    """Why a summary's header and adoption block cannot feed history (None when they can)."""
    return _first_problem(lambda: _history(part))


def is_far_future(moment: datetime, now: datetime | None = None) -> bool:
    """Is ``moment`` further ahead of ``now`` (default: the clock) than clocks drift?"""
    return moment > (now or datetime.now(UTC)) + FUTURE_SLACK


def _first_problem(check: Callable[[], object]) -> str | None:
    try:
        check()
    except _Bad as bad:
        return str(bad)
    return None


def _report(report: Any, full: bool, unchanged: Unchanged) -> None:
    document = _history(report, unchanged)
    _totals(document.get("totals"), "totals")
    packages = _object(document.get("packages"), "packages")
    same = unchanged.get("packages", ())
    for name, usage in packages.items():
        if name not in same:
            _package(usage, f"packages[{_name(name)}]", full)
    if full or "exports" in document:
        same = unchanged.get("exports", ())
        for export, sources in _object(document.get("exports"), "exports").items():
            if export in same:
                continue
            for package, count in _object(sources, f"exports[{_name(export)}]").items():
                _count(count, f"exports[{_name(export)}][{_name(package)}]")
    if document.get("components") is not None:
        _components(document["components"], "components", unchanged.get("components", ()))
    for index, problem in enumerate(_list(document.get("problems"), "problems")):
        where = f"problems[{index}]"
        for key in ("path", "reason", "message"):
            _text(_object(problem, where).get(key), f"{where}.{key}")


def _summary(summary: Any) -> None:
    """History's fields, then the other blocks a summary has (each may be dropped by a later version)."""
    document = _history(summary)
    if "totals" in document:
        _totals(document["totals"], "totals")
    for name, usage in _object(document.get("packages", {}), "packages").items():
        where = f"packages[{_name(name)}]"
        entry = _object(usage, where)
        _text(entry.get("resolved_as"), f"{where}.resolved_as")
        _count(entry.get("imports"), f"{where}.imports")
        _count(entry.get("files"), f"{where}.files")
        if "group" in entry:
            _text(entry["group"], f"{where}.group")
        for export, count in _object(entry.get("exports", {}), f"{where}.exports").items():
            _count(count, f"{where}.exports[{_name(export)}]")
    if "problems" in document:
        _count(document["problems"], "problems")


def _history(part: Any, unchanged: Unchanged = _NOTHING) -> dict[str, Any]:
    """The fields adoption history reads: header, run time, options and the adoption block."""
    document = _header(part)
    _time(document.get("run_time"), "run_time", nullable=True)
    if unchanged.get("adoption") is not EVERY:
        _adoption(document.get("adoption"), "adoption", owners=True)
    # the usage block is what today's groups are applied to at read time
    if document.get("usage") is not None and unchanged.get("usage") is not EVERY:
        _usage(document["usage"], "usage")
    return document


def _header(document: Any) -> dict[str, Any]:
    header = _object(document, "the document")
    version = header.get("schema_version", SCHEMA_VERSION)  # a summary read for history may lack it
    if type(version) is not int or not 1 <= version <= SCHEMA_VERSION:
        shown = _shown(version)
        raise _Bad(f"schema_version is {shown}, this depreport reads versions 1 to {SCHEMA_VERSION}")
    for key in ("repo", "commit", "branch"):
        if header.get(key) is not None:
            _text(header[key], key)
    for key in ("committed_at", "generated_at"):
        _time(header.get(key), key, nullable=True)
    options = _object(header.get("options") or {}, "options")
    adoption = _object(options.get("adoption") or {}, "options.adoption")
    for index, group in enumerate(_list(adoption.get("groups", []), "options.adoption.groups")):
        where = f"options.adoption.groups[{index}]"
        _text(_object(group, where).get("name"), f"{where}.name")
        for key in ("packages", "paths"):
            for item_index, item in enumerate(_list(group.get(key, []), f"{where}.{key}")):
                _text(item, f"{where}.{key}[{item_index}]")
    return header


def _totals(value: Any, where: str) -> None:
    totals = _object(value, where)
    for key in TOTAL_KEYS:
        _count(totals.get(key), f"{where}.{key}")


def _adoption(value: Any, where: str, owners: bool) -> None:
    """Null, or target, target_share and groups (and, in a run made with CODEOWNERS, by_owner)."""
    if value is None:
        return
    block = _object(value, where)
    if block.get("target") is not None:
        _text(block["target"], f"{where}.target")
    if block.get("target_share") is not None:
        _shares(block["target_share"], f"{where}.target_share")
    for name, group in _object(block.get("groups"), f"{where}.groups").items():
        at = f"{where}.groups[{_name(name)}]"
        entry = _object(group, at)
        for metric in METRIC_KEYS:
            _count(entry.get(metric), f"{at}.{metric}")
        _shares(entry.get("share"), f"{at}.share")
        if type(entry.get("target")) is not bool:
            raise _Bad(f"{at}.target must be true or false, got {_shown(entry.get('target'))}")
    if owners and "by_owner" in block:
        for owner, owned in _object(block["by_owner"], f"{where}.by_owner").items():
            _adoption(owned, f"{where}.by_owner[{_name(owner)}]", owners=False)


def _usage(value: Any, where: str) -> None:
    """Group-agnostic counts (depreport.tally.usage): rows and file signatures point into keys and owners.

    The block changes every week of a backfill and has tens of thousands of rows: each item is first
    told well-formed by a plain test, and only one that is not goes through the checks naming the field.
    """
    usage = _object(value, where)
    keys = _list(usage.get("keys"), f"{where}.keys")
    for index, key in enumerate(keys):
        if not (type(key) is list and 5 <= len(key) <= 6 and type(key[0]) is str and type(key[2]) is str):
            _usage_key(key, f"{where}.keys[{index}]")
    owner_sets = _list(usage.get("owners"), f"{where}.owners")
    for index, owners in enumerate(owner_sets):
        if not all(isinstance(owner, str) for owner in _list(owners, f"{where}.owners[{index}]")):
            raise _Bad(f"{where}.owners[{index}] must be a list of owner names")
    for index, row in enumerate(_list(usage.get("rows"), f"{where}.rows")):
        if not _plain_row(row, len(owner_sets), len(keys)):
            _usage_row(row, f"{where}.rows[{index}]", owner_sets, keys)
    for index, signature in enumerate(_list(usage.get("files"), f"{where}.files")):
        if not _plain_signature(signature, len(owner_sets), len(keys)):
            _usage_signature(signature, f"{where}.files[{index}]", owner_sets, keys)


def _plain_row(row: Any, owners: int, keys: int) -> bool:
    """Is this a well-formed `usage.rows` item: [owner set id, key id, {export: [imports, type-only]}]?"""
    if type(row) is not list or len(row) != 3:
        return False
    owner_id, key_id, exports = row
    return (
        type(owner_id) is int and 0 <= owner_id < owners and type(key_id) is int and 0 <= key_id < keys
        and type(exports) is dict
        and all(type(p) is list and len(p) == 2 and type(p[0]) is int and type(p[1]) is int
                and 0 <= p[0] <= MAX_COUNT and 0 <= p[1] <= MAX_COUNT for p in exports.values())
    )  # fmt: skip


def _plain_signature(signature: Any, owners: int, keys: int) -> bool:
    """Is this a well-formed `usage.files` item: [owner set id, [2 * key id + value], files]?"""
    if type(signature) is not list or len(signature) != 3:
        return False
    owner_id, codes, count = signature
    return (
        type(owner_id) is int and 0 <= owner_id < owners and type(count) is int and 0 <= count <= MAX_COUNT
        and type(codes) is list and all(type(code) is int and 0 <= code < 2 * keys for code in codes)
    )  # fmt: skip


def _usage_key(key: Any, at: str) -> None:
    if not 5 <= len(_list(key, at)) <= 6 or not isinstance(key[0], str) or not isinstance(key[2], str):
        raise _Bad(f"{at} must be [package, subpath, resolved, version, folder(, barrel)], got {_shown(key)}")


def _usage_row(row: Any, at: str, owner_sets: list[Any], keys: list[Any]) -> None:
    owner_id, key_id, exports = _triple(row, at)
    _index(owner_id, owner_sets, f"{at}[0]")
    _index(key_id, keys, f"{at}[1]")
    for export, counts in _object(exports, f"{at}[2]").items():
        pair = _list(counts, f"{at}[2][{_name(export)}]")
        if len(pair) != 2 or not all(type(n) is int and 0 <= n <= MAX_COUNT for n in pair):
            raise _Bad(f"{at}[2][{_name(export)}] must be [imports, type-only imports], got {_shown(pair)}")


def _usage_signature(signature: Any, at: str, owner_sets: list[Any], keys: list[Any]) -> None:
    owner_id, codes, count = _triple(signature, at)
    _index(owner_id, owner_sets, f"{at}[0]")
    for code in _list(codes, f"{at}[1]"):
        _index(code >> 1 if type(code) is int and code >= 0 else code, keys, f"{at}[1] (code {_shown(code)})")
    _count(count, f"{at}[2]")


def _triple(value: Any, where: str) -> list[Any]:
    items = _list(value, where)
    if len(items) != 3:
        raise _Bad(f"{where} must have 3 items, got {len(items)}")
    return items


def _index(value: Any, into: list[Any], where: str) -> None:
    if type(value) is not int or not 0 <= value < len(into):
        raise _Bad(f"{where} must point into a list of {len(into)}, got {_shown(value)}")


def _package(value: Any, where: str, full: bool) -> None:
    usage = _object(value, where)
    _text(usage.get("resolved_as"), f"{where}.resolved_as")
    for key in ("imports", "files", *(("type_only_imports",) if full else ())):
        _count(usage.get(key), f"{where}.{key}")
    if not full and "exports" not in usage:
        return
    for export, use in _object(usage.get("exports"), f"{where}.exports").items():
        at = f"{where}.exports[{_name(export)}]"
        entry = _object(use, at)
        _count(entry.get("count"), f"{at}.count")
        if full or "files" in entry:
            for path, lines in _object(entry.get("files"), f"{at}.files").items():
                _lines(lines, f"{at}.files[{_name(path)}]")


def _components(value: Any, where: str, same: Container[str]) -> None:
    """package -> export -> instances, own files, props, members, value uses (depreport.tally.components)."""
    for package, exports in _object(value, where).items():
        if package in same:
            continue
        for export, entry in _object(exports, f"{where}[{_name(package)}]").items():
            at = f"{where}[{_name(package)}][{_name(export)}]"
            _element_counts(_object(entry, at), at)
            for member, node in _object(entry.get("members", {}), f"{at}.members").items():
                inside = f"{at}.members[{_name(member)}]"
                _element_counts(_object(node, inside), inside)
            values = _object(entry.get("values", {}), f"{at}.values")
            _count(values.get("count", 0), f"{at}.values.count")
            _files(values.get("files", {}), f"{at}.values.files")
            for how, count in _object(values.get("via", {}), f"{at}.values.via").items():
                _count(count, f"{at}.values.via[{_name(how)}]")


def _element_counts(node: dict[str, Any], where: str) -> None:
    """A component's or member's instances, the lines of its elements per file, its props."""
    _count(node.get("instances"), f"{where}.instances")
    _files(node.get("files", {}), f"{where}.files")
    for prop, stats in _object(node.get("props", {}), f"{where}.props").items():
        at = f"{where}.props[{_name(prop)}]"
        for key in ("count", "not_set"):
            _count(_object(stats, at).get(key), f"{at}.{key}")
        for literal, count in _object(stats.get("values", {}), f"{at}.values").items():
            _count(count, f"{at}.values[{_name(literal)}]")


def _files(value: Any, where: str) -> None:
    for path, lines in _object(value, where).items():
        _lines(lines, f"{where}[{_name(path)}]")


def _lines(value: Any, where: str) -> None:
    lines = _list(value, where)
    if not all(type(line) is int and 1 <= line <= MAX_LINE for line in lines):
        raise _Bad(f"{where} must be a list of line numbers from 1 to {MAX_LINE}, got {_shown(value)}")


def _shares(value: Any, where: str) -> None:
    shares = _object(value, where)
    for metric in METRIC_KEYS:
        share: Any = shares.get(metric)
        if type(share) not in (int, float) or not math.isfinite(share) or not 0 <= share <= 1:
            raise _Bad(f"{where}.{metric} must be a number from 0 to 1, got {_shown(share)}")


def _time(value: Any, where: str, nullable: bool) -> None:
    if value is None and nullable:
        return
    if not isinstance(value, str) or not _TIME.fullmatch(value):
        raise _Bad(f"{where} must be a UTC time like 2026-01-05T10:00:00Z, got {_shown(value)}")
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as error:
        raise _Bad(f"{where} is not a real time: {_shown(value)} ({error})") from error


def _future_problem(report: dict[str, Any], use_commit_time: bool, now: datetime | None) -> str | None:
    """The run is filed under generated_at, or committed_at for a backfill (or when the other is missing)."""
    key = time_field(report, use_commit_time)
    if key is None:
        return None
    moment = datetime.fromisoformat(report[key].replace("Z", "+00:00"))
    if is_far_future(moment, now):
        return (
            f"{key} is {report[key]}, in the future: the run would stay the repo's latest until then "
            "(check the clock of the machine or commit that made it, or SOURCE_DATE_EPOCH)"
        )
    return None


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Bad(f"{where} must be an object, got {_shown(value)}")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise _Bad(f"{where} must be a list, got {_shown(value)}")
    return value


def _text(value: Any, where: str) -> None:
    if not isinstance(value, str):
        raise _Bad(f"{where} must be a string, got {_shown(value)}")


def _count(value: Any, where: str) -> None:
    if type(value) is not int or not 0 <= value <= MAX_COUNT:
        raise _Bad(f"{where} must be a whole number from 0 to {MAX_COUNT}, got {_shown(value)}")


def _name(name: str) -> str:
    """A key as JSON text in ASCII: quotes, and control and other unprintable characters escaped."""
    return json.dumps(name)


def _shown(value: Any, limit: int = 60) -> str:
    """A short JSON rendering of a bad value (NaN shown as NaN)."""
    if isinstance(value, dict | list):
        text = f"{type(value).__name__} of {len(value)}"
    else:
        text = json.dumps(value, allow_nan=True, default=repr)
    return text if len(text) <= limit else text[: limit - 1] + "…"
