"""The shape of a partial report (what `scan --shard I/N` writes), checked once when `merge` reads one.

A partial is a file a user hands over, perhaps damaged, edited or not a partial at all; `merge_partials`
trusts every document that passes. A failure names the field, e.g. `files["src/a.ts"].records[3]`.
"""

from __future__ import annotations

import json
from typing import Any

from depreport.report.schema.validate import history_problem
from depreport.scan.shard import PARTIAL_FORMAT
from depreport.tally.index import STATUSES

_NONE = type(None)
# The JSON types of the fields of a record and a use, in order (model.ImportRecord, model.UseRecord).
_RECORD_TYPES = {
    (str, int, int, str, str, str, str, str, local, bool, str, str) for local in (str, _NONE)
}  # fmt: skip
_USE_TYPES = (str, int, int, str, str, str, str, str, str, str, list, str)
_PROBLEM_KEYS = {"path", "reason", "message"}
_ENTRY_KEYS = ("records", "uses", "problems", "status", "syntax_error", "unresolvable", "owners", "versions")


class _Bad(Exception):
    """The first problem found: a field path and what is wrong with it."""


def partial_problem(document: Any) -> str | None:
    """Why ``document`` is not a partial report `merge_partials` can use (None when it is)."""
    try:
        _partial(document)
    except _Bad as bad:
        return str(bad)
    return None


def _partial(document: Any) -> None:
    part = _object(document, "the document")
    if part.get("format") != PARTIAL_FORMAT:
        raise _Bad(f"format is {_shown(part.get('format'))}, not {PARTIAL_FORMAT!r}")
    shard: Any = part.get("shard")
    plain = type(shard) is list and len(shard) == 2 and all(type(n) is int for n in shard)
    _need(plain and 1 <= shard[0] <= shard[1], "shard", "[I, N] with 1 <= I <= N", shard)
    _header(part.get("header"))
    _problems(part.get("discovery_problems"), "discovery_problems")
    workspaces = part.get("workspaces", {})  # absent from partials made before it was kept
    plain = type(workspaces) is dict and all(type(folder) is str for folder in workspaces.values())
    _need(plain, "workspaces", "an object of package name -> folder", workspaces)
    for path, entry in _object(part.get("files"), "files").items():
        _entry(entry, f"files[{json.dumps(path)}]")


def _header(value: Any) -> None:
    """The run's header as build_header writes it, with the keys merge compares across partials."""
    problem = history_problem(_object(value, "header"))
    if problem is not None:
        raise _Bad(f"header: {problem}")
    missing = [key for key in ("repo", "commit", "options") if key not in value]
    if missing:
        raise _Bad(f"header has no {', '.join(missing)}")
    options = _object(value["options"], "header.options")
    adoption = _object(options.get("adoption", {}), "header.options.adoption")
    include_type_only = adoption.get("include_type_only", True)
    where = "header.options.adoption.include_type_only"
    _need(type(include_type_only) is bool, where, "true or false", include_type_only)
    for index, group in enumerate(adoption.get("groups", [])):
        where = f"header.options.adoption.groups[{index}]"
        target, version = group.get("target"), group.get("version")
        _need(type(target) in (bool, _NONE), f"{where}.target", "true or false", target)
        _need(type(version) in (str, _NONE), f"{where}.version", "a string", version)


def _entry(value: Any, where: str) -> None:
    """One file: its records, uses and problems, and the facts adoption needs about it."""
    entry = _object(value, where)
    missing = [key for key in _ENTRY_KEYS if key not in entry]
    if missing:
        raise _Bad(f"{where} has no {', '.join(missing)}")
    for index, record in enumerate(_list(entry["records"], f"{where}.records")):
        plain = type(record) is list and tuple(map(type, record)) in _RECORD_TYPES and _at(record)
        _need(plain, f"{where}.records[{index}]", "an import record", record)
    for index, use in enumerate(_list(entry["uses"], f"{where}.uses")):
        plain = type(use) is list and tuple(map(type, use)) == _USE_TYPES and _at(use) and _props(use[10])
        _need(plain, f"{where}.uses[{index}]", "a component use", use)
    own_exports = entry.get("own_exports", [])  # absent from partials made before it was kept
    plain = type(own_exports) is list and all(type(name) is str for name in own_exports)
    _need(plain, f"{where}.own_exports", "a list of names", own_exports)
    _problems(entry["problems"], f"{where}.problems")
    status, syntax_error = entry["status"], entry["syntax_error"]
    unresolvable, owners = entry["unresolvable"], entry["owners"]
    _need(status in STATUSES, f"{where}.status", f"one of {', '.join(STATUSES)}", status)
    _need(type(syntax_error) is bool, f"{where}.syntax_error", "true or false", syntax_error)
    plain = type(unresolvable) is int and unresolvable >= 0
    _need(plain, f"{where}.unresolvable", "a whole number, 0 or more", unresolvable)
    plain = owners is None or (type(owners) is list and all(type(o) is str for o in owners))
    _need(plain, f"{where}.owners", "null or a list of owner names", owners)
    versions = _object(entry["versions"], f"{where}.versions")
    plain = all(type(version) in (str, _NONE) for version in versions.values())
    _need(plain, f"{where}.versions", "an object of package: version (or null)", versions)


def _at(record: list[Any]) -> bool:
    """A record's or use's line (1 or more) and column (0 or more)."""
    return bool(record[1] >= 1 and record[2] >= 0)


def _props(props: list[Any]) -> bool:
    """A use's props: [name, value] pairs of strings."""
    return all(type(p) is list and len(p) == 2 and type(p[0]) is str and type(p[1]) is str for p in props)


def _problems(value: Any, where: str) -> None:
    for index, problem in enumerate(_list(value, where)):
        plain = type(problem) is dict and problem.keys() == _PROBLEM_KEYS
        plain = plain and all(type(text) is str for text in problem.values())
        _need(plain, f"{where}[{index}]", "an object of path, reason and message (strings)", problem)


def _need(ok: bool, where: str, what: str, value: Any) -> None:
    if not ok:
        raise _Bad(f"{where} must be {what}, got {_shown(value)}")


def _object(value: Any, where: str) -> dict[str, Any]:
    if type(value) is not dict:
        raise _Bad(f"{where} must be an object, got {_shown(value)}")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if type(value) is not list:
        raise _Bad(f"{where} must be a list, got {_shown(value)}")
    return value


def _shown(value: Any, limit: int = 60) -> str:
    text = json.dumps(value)
    return text if len(text) <= limit else f"{text[: limit - 3]}..."
