"""The imports of one file as an extractor finds them (JS/TS and Python alike), in source order."""

from __future__ import annotations

from tree_sitter import Node

from depreport.model import Kind, RawImport


def record_order(record: RawImport) -> tuple[int, int, str, str, str, str, bool]:
    """Records in source order; a missing local name sorts first (None does not compare with str)."""
    return (
        record.line,
        record.column,
        record.kind,
        record.specifier,
        record.export,
        record.local or "",
        record.type_only,
    )


class Imports:
    """Collects the imports of one file; `unresolvable` counts calls with a non-literal argument."""

    def __init__(self) -> None:
        self.found: list[RawImport] = []
        self.unresolvable = 0
        self.seen: set[tuple[int, str]] = set()
        self.own_exports: set[str] = set()  # names the module exports itself (JS/TS: see js._own_exports)

    def first_visit(self, node: Node) -> bool:
        """True the first time a statement or call is seen (two keywords may lead to one node)."""
        key = (node.start_byte, node.type)
        if key in self.seen:
            return False
        self.seen.add(key)
        return True

    def add(self, at: Node, kind: Kind, spec: str, export: str, local: str | None, type_only: bool) -> None:
        """Record one binding found at a node."""
        row, column = at.start_point
        self.found.append(RawImport(row + 1, column, kind.value, spec, export, local, type_only))
