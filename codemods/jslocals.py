"""Renaming the local uses of an imported name (`locals = "rename"`), or declining to.

Occurrences of a name are found with a regular expression and classified with the tree. A rename is
done only when it cannot change what any name refers to: the old name is declared nowhere else in the
file (no shadowing), and the new name is either unused or already imported from the same target.
Otherwise the import keeps an alias (`{New as Old}`) and the site is reported.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from enum import Enum
from functools import lru_cache

from tree_sitter import Node

from codemods.edits import Edit
from codemods.jsplan import Binding, Note, Plan


class Use(Enum):
    """What an occurrence of a name is."""

    REFERENCE = "reference"
    DECLARATION = "declaration"
    IMPORTED = "imported"  # the local name of an import
    SHORTHAND = "shorthand"  # `{name}` in an object literal
    EXPORTED = "exported"  # `export {name}` of a local
    OTHER = "other"  # a property name, a comment, a string, ...


_NAMED_DECLARATIONS = frozenset(
    {
        "variable_declarator", "function_declaration", "function_expression", "function",
        "generator_function_declaration", "generator_function", "class_declaration", "class",
        "abstract_class_declaration", "type_alias_declaration", "interface_declaration",
        "enum_declaration", "internal_module", "module", "type_parameter", "method_signature",
    }
)  # fmt: skip
_FIELDS = {
    "required_parameter": "pattern", "optional_parameter": "pattern", "arrow_function": "parameter",
    "catch_clause": "parameter", "assignment_pattern": "left", "object_assignment_pattern": "left",
    "pair_pattern": "value", "for_in_statement": "left",
}  # fmt: skip
_PATTERNS = frozenset({"formal_parameters", "array_pattern", "rest_pattern"})


def classify(node: Node) -> Use:
    """What one identifier-like node is."""
    kind, parent = node.type, node.parent
    if kind == "shorthand_property_identifier":
        return Use.SHORTHAND
    if kind == "shorthand_property_identifier_pattern":
        return Use.DECLARATION
    if kind not in ("identifier", "type_identifier") or parent is None:
        return Use.OTHER
    ptype = parent.type
    if ptype in ("import_specifier", "export_specifier"):
        return _in_specifier(node, parent)
    if ptype in ("import_clause", "namespace_import", "import_require_clause"):
        return Use.IMPORTED
    if ptype in _NAMED_DECLARATIONS and parent.child_by_field_name("name") == node:
        return Use.DECLARATION
    if ptype in _FIELDS and parent.child_by_field_name(_FIELDS[ptype]) == node:
        return Use.DECLARATION
    return Use.DECLARATION if ptype in _PATTERNS else Use.REFERENCE


def _in_specifier(node: Node, spec: Node) -> Use:
    alias = spec.child_by_field_name("alias")
    if spec.type == "import_specifier":
        return Use.IMPORTED if alias == node or alias is None else Use.OTHER
    statement = spec.parent.parent if spec.parent is not None else None
    has_source = statement is not None and statement.child_by_field_name("source") is not None
    return Use.EXPORTED if not has_source and spec.child_by_field_name("name") == node else Use.OTHER


_WORD = re.compile(rb"[\w$]+")


def occurrences(root: Node, source: bytes, name: str) -> Iterator[tuple[Node, Use]]:
    """Every token spelled `name`, classified."""
    spelled = name.encode()
    if _WORD.fullmatch(spelled):
        starts = _word_starts(source).get(spelled, [])
    else:  # a name with other than ASCII word characters: not a single word of `_word_starts`
        pattern = rb"(?<![\w$])" + re.escape(spelled) + rb"(?![\w$])"
        starts = [found.start() for found in re.finditer(pattern, source)]
    for start in starts:
        end = start + len(spelled)
        node = root.descendant_for_byte_range(start, end)
        if node is not None and node.start_byte == start and node.end_byte == end:
            yield node, classify(node)


@lru_cache(maxsize=4)
def _word_starts(source: bytes) -> dict[bytes, list[int]]:
    """Where each word (a longest run of ASCII word characters and `$`) starts: one pass over the file
    for all the names asked about, instead of one per name (a file renaming 1,019 icons asked 3,000)."""
    starts: defaultdict[bytes, list[int]] = defaultdict(list)
    for found in _WORD.finditer(source):
        starts[found.group()].append(found.start())
    return starts


def rename_locals(plan: Plan, root: Node, source: bytes) -> list[Edit]:
    """Edits renaming the references of every binding marked for it; the rest fall back to an alias."""
    imported = _imported_targets(plan)
    planned = [(d.anchor, d.module, d.bindings, imported) for d in plan.decls]
    # A destructuring pattern declares its names anew: its new name must not be imported at all.
    planned += [(site, module, bindings, {}) for site, module, bindings in plan.simple]
    planned += [(site, module, bindings, {}) for site, _, moved in plan.splits for module, bindings in moved]
    edits: list[Edit] = []
    claimed: dict[str, tuple[str, str, bool, int]] = {}  # new name -> module, export, an import's, line
    for site, module, bindings, known in planned:
        line = site.node.start_point[0] + 1
        for binding in bindings:
            if binding.renamed_from is None:
                continue
            problem = _problem(root, source, binding, module, known)
            problem = problem or _claimed(claimed, binding, (module, binding.export, known is imported, line))
            if problem is None:
                edits.extend(_reference_edits(root, source, binding.renamed_from, binding.local))
            else:
                plan.notes.append(_note(site.node.start_point[0] + 1, binding, problem))
                binding.local, binding.renamed_from = binding.renamed_from, None
    return edits


def _claimed(
    claimed: dict[str, tuple[str, str, bool, int]], binding: Binding, mine: tuple[str, str, bool, int]
) -> str | None:
    """A problem when another rename of the file already gives its name to a binding, and claim it else.

    Two imports of one export may take one name (the second import is dropped as a duplicate:
    SmallAddIcon and AddIcon both LuPlus); anything else would declare the name twice (`const { LuPlus,
    LuPlus } = require()`), or make two different exports one (OldA -> x's Foo, OldB -> y's Foo)."""
    other = claimed.setdefault(binding.local, mine)
    if other is mine or (other[:2] == mine[:2] and other[2] and mine[2]):
        return None
    return f"{binding.local} is the new name of another import at line {other[3]}"


def _note(line: int, binding: Binding, problem: str) -> Note:
    return Note(line, f"kept {binding.export} as {binding.renamed_from}: {problem}")


def _imported_targets(plan: Plan) -> dict[int, tuple[str, str]]:
    """Start byte of each planned import binding's node -> (module, export) it will import."""
    found: dict[int, tuple[str, str]] = {}
    for decl in plan.decls:
        for binding in decl.bindings:
            node = binding.slot if binding.slot is not None else binding.spec.node if binding.spec else None
            if node is not None:
                found[node.start_byte] = (decl.module, binding.export)
    return found


def _problem(
    root: Node, source: bytes, binding: Binding, module: str, imported: dict[int, tuple[str, str]]
) -> str | None:
    old, new = binding.renamed_from or "", binding.local
    own = binding.spec.node if binding.spec is not None else binding.slot
    scope = _scope(own)
    for node, use in occurrences(root, source, old):
        if use in (Use.DECLARATION, Use.IMPORTED) and not _within(node, own):
            return f"{old} is also declared at line {node.start_point[0] + 1}"
        if use in (Use.REFERENCE, Use.SHORTHAND, Use.EXPORTED) and not _within(node, scope):
            return f"{old} is used at line {node.start_point[0] + 1}, outside the block that declares it"
    uses = list(occurrences(root, source, new))
    for node, use in uses:
        if use is Use.DECLARATION:
            return f"{new} is already declared at line {node.start_point[0] + 1}"
        if use is Use.IMPORTED and imported.get(_binding_start(node)) != (module, binding.export):
            return f"{new} is already imported at line {node.start_point[0] + 1}"
    if not any(use is Use.IMPORTED for _, use in uses):  # else its uses are of that same import
        for node, use in uses:
            if use in (Use.REFERENCE, Use.SHORTHAND, Use.EXPORTED):
                line = node.start_point[0] + 1
                return f"{new} is used at line {line} for something the file does not import"
    return None


def _scope(node: Node | None) -> Node | None:
    """The block a declaration is visible in: the file for an import, the block around a `const`."""
    while node is not None and node.type not in ("program", "statement_block", "switch_body"):
        node = node.parent
    return node


def _within(node: Node, container: Node | None) -> bool:
    return container is not None and container.start_byte <= node.start_byte < container.end_byte


def _binding_start(node: Node) -> int:
    parent = node.parent
    return parent.start_byte if parent is not None and parent.type == "import_specifier" else node.start_byte


def _reference_edits(root: Node, source: bytes, old: str, new: str) -> list[Edit]:
    edits = []
    for node, use in occurrences(root, source, old):
        if use is Use.REFERENCE:
            pair = _pair_keyed(node, source, new)
            start = node.start_byte if pair is None else pair.start_byte
            edits.append(Edit(start, node.end_byte, new.encode()))
        elif use is Use.SHORTHAND:
            edits.append(Edit(node.start_byte, node.end_byte, f"{old}: {new}".encode()))
        elif use is Use.EXPORTED:
            parent = node.parent
            aliased = parent is not None and parent.child_by_field_name("alias") is not None
            edits.append(
                Edit(node.start_byte, node.end_byte, (new if aliased else f"{new} as {old}").encode())
            )
    return edits


def _pair_keyed(node: Node, source: bytes, new: str) -> Node | None:
    """The `{new: old}` pair whose value the node is, written `{new}` once renamed; None for any other."""
    pair = node.parent
    if pair is None or pair.type != "pair" or pair.child_by_field_name("value") != node:
        return None
    key = pair.child_by_field_name("key")
    if key is None or key.type != "property_identifier" or key.text != new.encode():
        return None
    return pair if source[key.end_byte : node.start_byte].strip() == b":" else None
