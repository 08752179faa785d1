"""The report's `components` block: JSX instances, props and value uses per package and export.

```
"components": {"<package>": {"<export>": {
    "instances": 12,                          # JSX elements of the export, members included
    "files": {"src/a.tsx": [3, 9]},           # lines of the export's own elements (members apart)
    "members": {"Header": {"instances": 4, "files": {...}, "props": {...}}},   # `<Modal.Header>`
    "props": {"appearance": {"count": 7, "not_set": 5, "values": {"\\"primary\\"": 4, "[expression]": 3}}},
    "values": {"count": 3, "files": {"src/b.tsx": [7]}, "via": {"attribute:as": 1, "call:styled": 2}}}}}
```

`count` is how often a prop is passed, `not_set` how many of the export's own elements (or the
member's) do not pass it. A value use is counted under `via` with its detail when the detail names a
kind of use (`attribute:as`, `call:styled`, `call:React.memo`) and without it when it names a variable
of the file (`variable`, `object`, `array`, `return`, `other`). Packages are keyed as imported: a name
imported from a local barrel stays under the barrel here, and `depreport.report.walk`'s walkers show it where
it comes from (as they do for imports).

The tally is updated file by file (removal leaves no trace: the property tests hold it to a fresh
build). Every count needed for an exact removal is in the JSON itself (an export's own elements are its
instances less its members'; the elements passing a prop are the own elements less `not_set`), so the
JSON is the whole state. Each package's JSON text is kept until the package changes, so a backfill week
encodes only what changed, and a saved tally is that text.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import cast

from depreport.model import UseKind, UseRecord
from depreport.report.shape import Component, Member, ValueUses
from depreport.tally.jsontext import dumps, join_sorted, kept, loads_fragment
from depreport.tally.shown import bump

_DETAILED = frozenset({"attribute", "call"})  # ways whose detail is worth counting apart


class ComponentTally:
    """package -> export -> instances, props and value uses; updated file by file."""

    def __init__(self) -> None:
        self._json: dict[str, dict[str, Component] | None] = {}  # None: the package is still text (restored)
        self._texts: dict[str, str] = {}  # package -> its `"package":{...}` text while unchanged

    def __bool__(self) -> bool:
        return bool(self._json)

    def apply(self, path: str, uses: Iterable[UseRecord], sign: int) -> None:
        """Count (sign=1) or uncount (sign=-1) the uses of one file."""
        grouped: dict[tuple[str, str], list[UseRecord]] = defaultdict(list)
        for use in uses:
            grouped[(use.package, use.export)].append(use)
        for (package, export), group in grouped.items():
            exports = self._changing(package)
            entry = exports.get(export)
            if entry is None:
                entry = exports[export] = _new_entry()
            _apply_entry(entry, path, group, sign)
            if not entry["instances"] and not entry["values"]["count"]:
                del exports[export]
                if not exports:
                    del self._json[package]

    def _changing(self, package: str) -> dict[str, Component]:
        """The package's exports, decoded if still text, its kept text dropped; made when new."""
        text = self._texts.pop(package, None)
        exports = self._json.get(package)
        if exports is None:
            exports = self._json[package] = loads_fragment(text, package) if text is not None else {}
        return exports

    def to_json(self) -> dict[str, dict[str, Component]]:
        """The block as a dict (live: it changes with the tally)."""
        for package in [p for p, exports in self._json.items() if exports is None]:
            self._changing(package)
        return cast("dict[str, dict[str, Component]]", self._json)  # every package decoded: no None left

    def text(self) -> str:
        """The block as compact JSON text with sorted keys, reusing the text of unchanged packages."""
        if not self._json:
            return "{}"
        return join_sorted(self._json, self._texts, lambda package: dumps(self._json[package]))

    def save(self) -> dict[str, str]:
        """The tally in plain values: each package's text."""
        for package in self._json:
            kept(self._texts, package, lambda name: dumps(self._json[name]))
        return dict(self._texts)

    @classmethod
    def restore(cls, saved: dict[str, str]) -> ComponentTally:
        """The tally `save` saw; packages are decoded when a file changes them."""
        tally = cls()
        tally._texts = dict(saved)
        tally._json = dict.fromkeys(saved)
        return tally


def _new_entry() -> Component:
    return {
        "instances": 0, "files": {}, "members": {}, "props": {},
        "values": {"count": 0, "files": {}, "via": {}},
    }  # fmt: skip


def _apply_entry(entry: Component, path: str, uses: list[UseRecord], sign: int) -> None:
    """Count or uncount one file's uses of one export."""
    by_member: dict[str, list[UseRecord]] = defaultdict(list)
    values = []
    for use in uses:
        if use.kind == UseKind.INSTANCE:
            by_member[use.member].append(use)
        else:
            values.append(use)
    members = entry["members"]
    own = entry["instances"] - sum(member["instances"] for member in members.values())
    for name, elements in by_member.items():
        entry["instances"] += sign * len(elements)
        if name:
            member = members.get(name)
            if member is None:
                member = members[name] = {"instances": 0, "files": {}, "props": {}}
            _apply_elements(member, member["instances"], path, elements, sign)
            member["instances"] += sign * len(elements)
            if not member["instances"]:
                del members[name]
        else:
            _apply_elements(entry, own, path, elements, sign)
    if values:
        _apply_values(entry["values"], path, values, sign)


def _apply_elements(
    node: Component | Member, own: int, path: str, elements: list[UseRecord], sign: int
) -> None:
    """Count or uncount a file's elements of one component (or member) `node` that had `own` of them."""
    after = own + sign * len(elements)
    _set_lines(node["files"], path, elements, sign)
    props = node["props"]
    passing = {name: own - stats["not_set"] for name, stats in props.items()}  # elements passing each
    for element in elements:
        for name in {name for name, _ in element.props}:
            passing[name] = passing.get(name, 0) + sign
        for name, value in element.props:
            stats = props.get(name)
            if stats is None:
                stats = props[name] = {"count": 0, "not_set": 0, "values": {}}
            stats["count"] += sign
            bump(stats["values"], value, sign)
    for name in list(props):
        if props[name]["count"] <= 0:
            del props[name]
        else:
            props[name]["not_set"] = after - passing[name]


def _apply_values(values: ValueUses, path: str, uses: list[UseRecord], sign: int) -> None:
    values["count"] += sign * len(uses)
    _set_lines(values["files"], path, uses, sign)
    for use in uses:
        how = f"{use.via}:{use.detail}" if use.via in _DETAILED and use.detail else use.via
        bump(values["via"], how, sign)


def _set_lines(files: dict[str, list[int]], path: str, uses: list[UseRecord], sign: int) -> None:
    """A file's lines are set when it is counted and dropped when it is uncounted (all its uses at once)."""
    if sign > 0:
        files[path] = sorted({use.line for use in uses})
    else:
        files.pop(path, None)
