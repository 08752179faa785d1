"""Which declarations hide an imported name, and where: best-effort scopes for the usage pass.

Asked only at the places where an imported name occurs, so no scope tree is built for the file.
"""

from __future__ import annotations

from tree_sitter import Node

from depreport.extract.ancestry import Parent

# A range that hides nothing: the name is declared, but at the top of the module (the binding of a
# `require` itself, or a redeclaration the language refuses anyway).
NOWHERE = (0, 0)

_PATTERNS = frozenset(
    {
        "object_pattern",
        "array_pattern",
        "pair_pattern",
        "assignment_pattern",
        "object_assignment_pattern",
        "rest_pattern",
    }
)
_FUNCTIONS = frozenset(
    {
        "arrow_function",
        "function_expression",
        "function_declaration",
        "generator_function_declaration",
        "generator_function",
        "method_definition",
        "function",
    }
)
_NAMED = frozenset(
    {
        "function_declaration",
        "generator_function_declaration",
        "class_declaration",
        "abstract_class_declaration",
    }
)
_NAMED_EXPRESSIONS = frozenset({"function_expression", "function", "generator_function", "class"})
_BLOCKS = frozenset(
    {"statement_block", "program", "switch_body", "for_statement", "for_in_statement", "class_static_block"}
)
_PARAMETERS = frozenset({"required_parameter", "optional_parameter"})
# The parents of a name that may declare it.
DECLARING = (
    _PATTERNS
    | _NAMED
    | _NAMED_EXPRESSIONS
    | _PARAMETERS
    | {"variable_declarator", "formal_parameters", "arrow_function", "catch_clause", "for_in_statement"}
)


def declared_scope(node: Node, parent: Node, parent_of: Parent) -> tuple[int, int] | None:
    """The byte range a declaration at `node` hides its name in; None when `node` declares nothing.

    Only asked when `parent` (the node's parent) is of a type in DECLARING; `parent_of` finds a
    node's parent (see `ancestry`).
    """
    if node.type == "shorthand_property_identifier_pattern":
        return _pattern_scope(node, parent_of)
    if node.type != "identifier" and not (node.type == "type_identifier" and parent.type in _NAMED):
        return None  # (TypeScript names a class declaration with a type_identifier)
    kind = parent.type
    if kind in _PATTERNS:
        return _pattern_scope(node, parent_of) if _in_pattern_slot(parent, node) else None
    if kind in _NAMED or kind in _NAMED_EXPRESSIONS:
        if parent.child_by_field_name("name") != node:
            return None
        return (
            (parent.start_byte, parent.end_byte)
            if kind in _NAMED_EXPRESSIONS
            else _block_of(parent, parent_of)
        )
    return _binding_scope(node, parent, parent_of)


def _binding_scope(node: Node, parent: Node, parent_of: Parent) -> tuple[int, int] | None:
    """The scope of the declaration `node` (a plain name or a whole pattern) is the binding of."""
    kind = parent.type
    if kind == "variable_declarator" and parent.child_by_field_name("name") == node:
        value = parent.child_by_field_name("value")
        text = b"" if value is None or value.text is None else value.text
        if b"require(" in text or b"import(" in text:
            return NOWHERE  # the binding of the import itself
        return _block_of(parent, parent_of)
    if (
        (kind in _PARAMETERS and parent.child_by_field_name("pattern") == node)
        or kind == "formal_parameters"
        or (kind == "arrow_function" and parent.child_by_field_name("parameter") == node)
    ):
        function = parent if kind == "arrow_function" else _ancestor(parent, _FUNCTIONS, parent_of)
        return NOWHERE if function is None else (function.start_byte, function.end_byte)
    if kind == "catch_clause" and parent.child_by_field_name("parameter") == node:
        return parent.start_byte, parent.end_byte
    if kind == "for_in_statement" and parent.child_by_field_name("left") == node:
        declares = parent.child_by_field_name("kind") is not None
        return (parent.start_byte, parent.end_byte) if declares else None
    return None


def _in_pattern_slot(pattern: Node, node: Node) -> bool:
    """True when `node` is a name the pattern binds (not a key, not a default value)."""
    if pattern.type == "pair_pattern":
        return pattern.child_by_field_name("value") == node
    if pattern.type in ("assignment_pattern", "object_assignment_pattern"):
        return pattern.child_by_field_name("left") == node
    return True


def _pattern_scope(node: Node, parent_of: Parent) -> tuple[int, int] | None:
    top, parent = node, parent_of(node)
    while parent is not None and parent.type in _PATTERNS:
        if not _in_pattern_slot(parent, top):
            return None
        top, parent = parent, parent_of(parent)
    return None if parent is None else _binding_scope(top, parent, parent_of)


def _block_of(declaration: Node, parent_of: Parent) -> tuple[int, int]:
    block = _ancestor(declaration, _BLOCKS, parent_of)
    if block is None or block.type == "program":
        return NOWHERE
    return block.start_byte, block.end_byte


def _ancestor(node: Node, kinds: frozenset[str], parent_of: Parent) -> Node | None:
    current = parent_of(node)
    while current is not None and current.type not in kinds:
        current = parent_of(current)
    return current
