"""Uses of imported bindings beyond their import: JSX instances with their props, and value uses.

As in `js`, a quick scan of the bytes finds the candidates (see `occurrences`: where one of the file's
imported names occurs after its imports, as a whole word that may be a use) and the tree says what
each one is (asked of one `Ancestry` of the tree): an element name (`<Button>`, `<EG.Button>`), a value
passed on (`as={Link}`, `styled(Button)`, `const C = cond ? A : B`, `{ icon: X }`, `[A, B]`, `return X`),
or nothing to count (a call of the binding, a property access, a type, an import or export, a declaration).

Value uses are of components only: a name whose last part is capitalised (JSX renders only those as
components: `Button`, `EG.Button`, `Icons.Add`), or one the file also renders. `PropTypes.string`,
`lodash` passed to a function or `t` handed to a hook are values of other things and are not counted.

Shadowing, best effort: a declaration of the same name in an inner scope (a parameter, a destructured
or plain `const`/`let`/`var`, a function or class declaration, a catch parameter, a `for (const X of)`)
hides the import inside that scope (the whole function for a parameter, the enclosing block otherwise),
and no use is counted there. A `require` binding inside a function is the import, not a shadow.
Not handled: `var` hoisted out of a nested block, a declaration that
comes after a use in the same block (its scope starts at the block, so the earlier use is dropped too,
as JavaScript's temporal dead zone would make it an error anyway), and names brought in by `with`.
"""

from __future__ import annotations

from collections.abc import Iterable

from tree_sitter import Node

from depreport.extract import jsxprops
from depreport.extract.ancestry import Ancestry, Parent
from depreport.extract.occurrences import after_imports, member_names, occurrences, opens_tag
from depreport.extract.scopes import DECLARING, declared_scope
from depreport.model import EXPRESSION, Kind, RawImport, RawUse, UseKind

_INSTANCE = UseKind.INSTANCE.value
_VALUE = UseKind.VALUE.value
_BINDING_KINDS = frozenset({Kind.IMPORT, Kind.REQUIRE, Kind.DYNAMIC, Kind.IMPORT_EQUALS})
_ELEMENTS = frozenset({"jsx_opening_element", "jsx_self_closing_element"})
_MEMBERS = frozenset({"member_expression", "nested_identifier"})
# Wrappers that pass a value through: `(X)`, `X as T`, `X!`, `X satisfies T`, `<T>X`.
_TRANSPARENT = frozenset(
    {
        "parenthesized_expression",
        "as_expression",
        "satisfies_expression",
        "non_null_expression",
        "type_assertion",
    }
)
_CALLEE_WRAPPERS = frozenset({"call_expression", "parenthesized_expression", "sequence_expression"})
_CHOICES = frozenset({"||", "??"})
# Where the binding is not used as a value: the statements that bring it in or send it out, and types.
_NOT_USES = frozenset(
    {
        "import_specifier",
        "namespace_import",
        "import_clause",
        "import_require_clause",
        "export_statement",
        "export_specifier",
        "export_clause",
        "jsx_closing_element",
        "type_query",
        "nested_type_identifier",
        "type_predicate",
        "asserts",
        "decorator",
    }
)
_TYPE_ANCESTORS = frozenset(
    {"type_annotation", "type_arguments", "type_alias_declaration", "interface_declaration", "generic_type"}
)
_STATEMENTS = frozenset({"program", "statement_block", "class_body", "expression_statement"})


def imported_locals(imports: Iterable[RawImport]) -> frozenset[str]:
    """The names a file binds by importing (not type-only imports, not re-exports)."""
    return frozenset(
        record.local
        for record in imports
        if record.local and not record.type_only and record.kind in _BINDING_KINDS
    )


def find_uses(root: Node, source: bytes, names: frozenset[str]) -> tuple[RawUse, ...]:
    """Every use of the imported `names` in a parsed JS/TS/TSX file, sorted by line and column."""
    found: list[tuple[int, RawUse]] = []
    hidden: dict[str, list[tuple[int, int]]] = {}
    in_type: TypeMemo = {}
    tree = Ancestry(root)
    parent_of = tree.parent
    for start, end in occurrences(source, names, after_imports(root)):
        node = tree.locate(start, end)
        if node is None or node.start_byte != start or node.end_byte != end:
            continue
        name = source[start:end].decode("utf-8")
        parent = parent_of(node)
        if parent is None:
            continue
        scope = declared_scope(node, parent, parent_of) if parent.type in DECLARING else None
        if scope is not None:
            hidden.setdefault(name, []).append(scope)
            continue
        use = _use(node, parent, name, source, in_type, parent_of)
        if use is not None:
            found.append((start, use))
    kept = [use for start, use in found if not _hidden(hidden.get(use.local), start)]
    rendered = {(use.local, use.member) for use in kept if use.kind == _INSTANCE}
    return tuple(use for use in kept if use.kind == _INSTANCE or _component(use, rendered))


def names_after(source: bytes, names: frozenset[str], begin: int) -> frozenset[str] | None:
    """The names of `names` that occur at or after `begin` where `find_uses` on the whole file may
    look (see `occurrences`); None when one of them may be a use whatever the file renders before
    `begin`. Read from the bytes alone, wide on purpose: an occurrence that may open a JSX element
    (`<X`), or whose last part (`X`, `x.a.B`: the member chain read after it) is capitalised. Any
    other occurrence, when it is a use, is a value use, counted only if the file renders its name.
    """
    found = set()
    for start, end in occurrences(source, names, begin):
        name = source[start:end].decode("utf-8")
        if opens_tag(source, start):
            return None
        members = member_names(source, end)
        if members is None or (members[-1] if members else name)[:1].isupper():
            return None
        found.add(name)
    return frozenset(found)


def rendered_names(uses: Iterable[RawUse]) -> frozenset[str]:
    """The names rendered as JSX elements among `uses`."""
    return frozenset(use.local for use in uses if use.kind == _INSTANCE)


def _component(use: RawUse, rendered: set[tuple[str, str]]) -> bool:
    """Whether a value use is of a component: capitalised, or rendered in the same file."""
    last = (use.member or use.local).rpartition(".")[2]
    return last[:1].isupper() or (use.local, use.member) in rendered


def _hidden(scopes: list[tuple[int, int]] | None, offset: int) -> bool:
    return scopes is not None and any(start <= offset < end for start, end in scopes)


def _use(
    node: Node, parent: Node, name: str, source: bytes, in_type: TypeMemo, parent_of: Parent
) -> RawUse | None:
    """What one occurrence of an imported name is, if it is a use."""
    if node.type == "shorthand_property_identifier":  # `{ Button }`
        return _value(node, name, "", "object", "")
    if node.type != "identifier":
        return None  # a property name, a type name, text in a comment or a string
    expression, member = _member_chain(node, parent, parent_of) if parent.type in _MEMBERS else (node, "")
    holder = parent_of(expression)
    if holder is None:
        return None
    if holder.type in _ELEMENTS:  # its only child that is a name or a member expression is its name
        row, column = node.start_point
        props = jsxprops.props_of(holder, source)
        return RawUse(row + 1, column, name, member, _INSTANCE, "", "", props)
    how = _value_context(expression, in_type, parent_of)
    if how is None:
        return None
    return _value(node, name, member, *how)


def _value(node: Node, name: str, member: str, via: str, detail: str) -> RawUse:
    row, column = node.start_point
    return RawUse(row + 1, column, name, member, _VALUE, via, detail, ())


def _member_chain(node: Node, parent: Node | None, parent_of: Parent) -> tuple[Node, str]:
    """`EG.Modal.Header` from its first identifier: the whole expression and 'Modal.Header'.

    The object of a member expression is its first child, so it starts where the expression starts.
    """
    names = []
    while parent is not None and parent.type in _MEMBERS and parent.start_byte == node.start_byte:
        tail = parent.child(parent.child_count - 1)
        if tail is None or tail.type not in ("property_identifier", "identifier"):
            break  # `EG.#private`, `EG?.[x]`, or a grammar's error
        names.append(_text(tail))
        node, parent = parent, parent_of(parent)
    return node, ".".join(names)


def _value_context(expression: Node, in_type: TypeMemo, parent_of: Parent) -> tuple[str, str] | None:
    """(via, detail) when `expression` is used as a value; None when it is not a use."""
    node = _passed_through(expression, parent_of)
    parent = parent_of(node)
    if parent is None:
        return None
    kind = parent.type
    if kind == "jsx_expression":
        holder = parent_of(parent)
        if holder is not None and holder.type == "jsx_attribute":
            return "attribute", _text(holder.named_children[0])
        return "other", ""
    if kind == "arguments":
        call = parent_of(parent)
        callee = None if call is None else call.named_children[0]  # the function or the constructor
        return "call", _callee(callee)
    return _plain_context(node, parent, in_type, parent_of)


def _plain_context(node: Node, parent: Node, in_type: TypeMemo, parent_of: Parent) -> tuple[str, str] | None:
    kind = parent.type
    if kind == "variable_declarator":
        name = parent.child_by_field_name("name")
        return "variable", _text(name) if name is not None else ""
    if kind == "assignment_expression":
        target = parent.child_by_field_name("left")
        return None if target == node else ("variable", _text(target) if target is not None else "")
    if kind == "pair":
        return None if parent.child_by_field_name("key") == node else ("object", "")
    if kind == "array":
        return "array", ""
    if kind == "return_statement" or (kind == "arrow_function" and _is_field(parent, "body", node)):
        return "return", ""
    if kind in ("call_expression", "new_expression") and parent.named_children[0] == node:
        return None  # called, not passed: `Button()`, `EG.render()`, styled.div`...`
    if kind == "sequence_expression" and _called_unbound(parent, node, parent_of):
        return None  # `(0, lib.f)(x)`: how compilers call an import without a `this`
    if kind in _NOT_USES or kind in _MEMBERS or _in_type(parent, in_type, parent_of):
        return None
    return "other", ""


def _passed_through(node: Node, parent_of: Parent) -> Node:
    """Climb wrappers and choices that hand the value on: `(X)`, `X as T`, `c ? A : B`, `A || B`."""
    while True:
        parent = parent_of(node)
        if parent is None:
            return node
        kind = parent.type
        if kind in _TRANSPARENT:
            pass
        elif kind == "ternary_expression":
            if parent.child_by_field_name("condition") == node:
                return node
        elif kind == "binary_expression":
            operator = parent.child_by_field_name("operator")
            operator_type = "" if operator is None else operator.type
            right = operator_type == "&&" and _is_field(parent, "right", node)
            if not (operator_type in _CHOICES or right):
                return node
        else:
            return node
        node = parent


def _called_unbound(sequence: Node, node: Node, parent_of: Parent) -> bool:
    """True for `f` in `(0, f)(...)`: the last of a sequence in parentheses that is called."""
    if sequence.named_children[-1] != node:
        return False
    wrapper = parent_of(sequence)
    call = None if wrapper is None else parent_of(wrapper)
    return (
        wrapper is not None
        and wrapper.type == "parenthesized_expression"
        and call is not None
        and call.type == "call_expression"
        and call.named_children[0] == wrapper
    )


def _callee(function: Node | None) -> str:
    """The name of what is called: `styled`, `React.memo`; `connect(a)(X)` -> `connect`, `(0, f)` -> `f`."""
    while function is not None and function.type in _CALLEE_WRAPPERS:
        children = function.named_children
        last = function.type == "sequence_expression"
        function = (children[-1] if last else children[0]) if children else None
    if function is None or function.type not in ("identifier", "member_expression", "super", "this"):
        return EXPRESSION
    return " ".join(_text(function).split())


TypeMemo = dict[tuple[int, int, int], bool]  # (start, end, kind) of a node climbed -> whether in a type


def _in_type(node: Node, known: TypeMemo, parent_of: Parent) -> bool:
    """True when a node sits in a type (only asked where nothing else decided).

    `known` keeps the answer for every node climbed, so the uses in one long expression (`a+a+...`,
    thousands deep) climb it once, not once each: tree-sitter finds a parent by walking from the root,
    so climbing from each use would take time cubic in the depth.
    """
    climbed = []
    current: Node | None = node
    answer = False
    while current is not None and current.type not in _STATEMENTS:
        key = (current.start_byte, current.end_byte, current.kind_id)
        if key in known:
            answer = known[key]
            break
        climbed.append(key)
        if current.type in _TYPE_ANCESTORS:
            answer = True
            break
        current = parent_of(current)
    known.update(dict.fromkeys(climbed, answer))
    return answer


def _is_field(parent: Node, field: str, node: Node) -> bool:
    return parent.child_by_field_name(field) == node


def _text(node: Node | None) -> str:
    return node.text.decode("utf-8", "replace") if node is not None and node.text is not None else ""
