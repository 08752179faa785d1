"""Names and shapes of a JS/TS tree, as a config's static reading needs them: where a name is bound
(the nearest scope around it that binds it: a block's or the file's declarations and imports, a function's
parameters), object keys and pairs, and an expression without the casts and parentheses around it."""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from depreport.extract.sites import string_value, text

_SCOPES = ("program", "statement_block")
FUNCTION_NODES = ("function_declaration", "function_expression", "arrow_function", "function")
_SCOPES_LOOKED_THROUGH = 200  # a name nested deeper in a hostile file is bound to nothing known
_WRAPPERS = ("parenthesized_expression", "as_expression", "satisfies_expression", "non_null_expression")


def unwrapped(node: Node | None) -> Node | None:
    """An expression without the parentheses and TypeScript casts around it (`(x as Alias[])`)."""
    while node is not None and node.type in _WRAPPERS and node.named_children:
        node = node.named_children[0]
    return node


def binding(node: Node, declared: dict[int, dict[bytes | None, Node]]) -> Node | None:
    """Where the name `node` is bound, in the nearest scope around it that binds it: a
    `variable_declarator`, a `function_declaration`, an `import_statement`, or a parameter's identifier;
    None for a name no scope of the file binds (a global). Past `_SCOPES_LOOKED_THROUGH` scopes, the name
    itself: bound to nothing known. `declared`: each block's names, kept from one call to the next."""
    word = node.text
    scope = node.parent
    for _ in range(_SCOPES_LOOKED_THROUGH):
        if scope is None:
            return None
        if scope.type in FUNCTION_NODES or scope.type == "method_definition":
            parameters = scope.child_by_field_name("parameters") or scope.child_by_field_name("parameter")
            for name in _bound_names(parameters):
                if name.text == word:
                    return name
            if scope.type in ("function_expression", "function") and _named(scope, word):
                return scope
        if scope.type in _SCOPES:
            names = declared.get(scope.id)
            if names is None:
                names = declared[scope.id] = {}
                for declaring, name in _declarations(scope):
                    names.setdefault(name.text, declaring)
            if word in names:
                return names[word]
        scope = scope.parent
    return node


def _declarations(scope: Node) -> Iterator[tuple[Node, Node]]:
    """The declarations directly in a block or program: (declaring node, name node)."""
    for statement in scope.named_children:
        if statement.type == "export_statement":
            statement = statement.child_by_field_name("declaration") or statement
        if statement.type in ("lexical_declaration", "variable_declaration"):
            for declarator in statement.named_children:
                if declarator.type == "variable_declarator":
                    for bound in _bound_names(declarator.child_by_field_name("name")):
                        yield declarator, bound
        elif statement.type in ("function_declaration", "generator_function_declaration"):
            name = statement.child_by_field_name("name")
            if name is not None:
                yield statement, name
        elif statement.type == "import_statement":
            clause = next((c for c in statement.named_children if c.type == "import_clause"), None)
            for name in _bound_names(clause):
                yield statement, name


def _bound_names(node: Node | None) -> Iterator[Node]:
    """The identifiers a pattern, parameter list or import clause binds."""
    if node is None:
        return
    if node.type in ("identifier", "shorthand_property_identifier_pattern"):
        yield node
        return
    if node.type == "pair_pattern":
        yield from _bound_names(node.child_by_field_name("value"))
        return
    if node.type == "import_specifier":
        yield node.child_by_field_name("alias") or node.child_by_field_name("name") or node
        return
    if node.type in ("required_parameter", "optional_parameter", "assignment_pattern"):
        yield from _bound_names(node.child_by_field_name("pattern") or node.child_by_field_name("left"))
        return
    for child in node.named_children:
        if child.type not in ("type_annotation", "string", "comment"):
            yield from _bound_names(child)


def parameter_names(node: Node | None) -> list[Node] | None:
    """A function's parameters when each is a plain name (`dir`, `dir: string`), else None."""
    if node is None:
        return None
    if node.type == "identifier":  # `dir => …`
        return [node]
    names = []
    for child in node.named_children:
        if child.type == "comment":
            continue
        inner = child.child_by_field_name("pattern") if child.type == "required_parameter" else child
        if inner is None or inner.type != "identifier":
            return None
        names.append(inner)
    return names


def _named(function: Node, word: bytes | None) -> bool:
    name = function.child_by_field_name("name")
    return name is not None and name.text == word


def pattern_key(pattern: Node, word: str) -> str | None:
    """The key of an object pattern that binds `word`: `resolve` in `{ resolve }` and `{ resolve: r }`."""
    for child in pattern.named_children:
        if child.type == "shorthand_property_identifier_pattern" and text(child) == word:
            return word
        if child.type == "pair_pattern" and text(child.child_by_field_name("value")) == word:
            return name_of_key(child.child_by_field_name("key"))
    return None


def name_of_key(node: Node | None) -> str | None:
    """An object key's name: `a`, `'a'`, `['a']`, `1`; None for a computed key of any other kind."""
    if node is None:
        return None
    if node.type in ("property_identifier", "shorthand_property_identifier", "number", "identifier"):
        return text(node)
    if node.type == "computed_property_name" and node.named_children:
        return string_value(node.named_children[0])
    found = string_value(node)
    return None if found is None or "\0" in found else found


def nodes(root: Node) -> Iterator[Node]:
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.named_children))


def object_pairs(node: Node) -> dict[str, Node]:
    """An object literal's keys -> values (a shorthand `alias` is its own value)."""
    found: dict[str, Node] = {}
    for child in node.named_children:
        if child.type == "pair":
            key, value = name_of_key(child.child_by_field_name("key")), child.child_by_field_name("value")
            if key is not None and value is not None:
                found.setdefault(key, value)
        elif child.type == "shorthand_property_identifier":
            found.setdefault(text(child), child)
    return found


def calls(node: Node, function: str) -> bool:
    return text(node.child_by_field_name("function")) == function


def one_line(node: Node | None) -> str:
    """An expression as a message shows it: its text on one line, cut at 60 characters."""
    shown = " ".join(text(node).split())
    return shown if len(shown) <= 60 else shown[:57] + "..."
