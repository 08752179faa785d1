"""Import sites of a JS/TS tree that name given modules: where the module string is, and what it binds.

A regular expression finds the string literals that start like a wanted module; the tree says what each
one is (an import, a re-export, a `require`/`import()` call, `import x = require()`), as in
depreport.extract.js. Strings in comments, JSX text or other calls are not sites.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from tree_sitter import Node

_TRANSPARENT = frozenset({"await_expression", "parenthesized_expression", "non_null_expression"})
# Calls that name a module outside import syntax: test mocks and resolvers.
MODULE_CALLS = frozenset(
    {
        "jest.mock", "jest.doMock", "jest.unmock", "jest.dontMock", "jest.requireActual", "jest.requireMock",
        "jest.setMock", "jest.createMockFromModule", "vi.mock", "vi.doMock", "vi.unmock", "vi.doUnmock",
        "vi.importActual", "vi.importMock", "require.resolve", "import.meta.resolve",
    }
)  # fmt: skip
SIDE_EFFECT_IMPORT = "side-effect import"


class SiteKind(Enum):
    """What a site binds, which decides how it can be rewritten."""

    IMPORT = "import"  # import D, {a as b} from 'x' / import * as ns from 'x'
    EXPORT = "export"  # export {a as b} from 'x'
    PATTERN = "pattern"  # const {a, b: c} = require('x') / await import('x')
    MEMBER = "member"  # require('x').a
    WHOLE = "whole"  # the module as a whole: side effect, export *, require, import(), import x = require


@dataclass(frozen=True, slots=True)
class Spec:
    """One item of a braced list: `a`, `a as b`, `type a`, `a: b`, `a = 1`."""

    node: Node
    export: str
    local: str  # the local binding (imports, patterns) or the exported name (re-exports)
    type_only: bool
    name: Node  # the node holding the export name
    alias: Node | None


@dataclass
class Site:
    """One place that names a module."""

    kind: SiteKind
    node: Node  # the statement, or the call / member expression
    string: Node
    specifier: str
    what: str = ""  # for WHOLE sites: what it is, for messages
    type_only: bool = False
    default: Node | None = None
    namespace: Node | None = None
    items: Node | None = None  # named_imports / export_clause / object_pattern
    specs: list[Spec] = field(default_factory=list)
    member: Node | None = None  # the property of a MEMBER site
    top_level: bool = False


def text(node: Node | None) -> str:
    """The source text of a node."""
    return "" if node is None or node.text is None else node.text.decode("utf-8", "replace")


def string_value(node: Node) -> str | None:
    """The value of a string literal (or a template literal without `${}`) without escapes, else None."""
    if node.type not in ("string", "template_string"):
        return None
    if any(c.type in ("escape_sequence", "template_substitution") for c in node.named_children):
        return None
    return text(node)[1:-1]


def find_sites(
    root: Node,
    source: bytes,
    prefixes: tuple[bytes, ...],
    wanted: Callable[[str], bool],
    strays: list[Node] | None = None,
) -> list[Site]:
    """Every site whose module string starts with one of `prefixes` and that `wanted` accepts.

    Strings that `wanted` accepts outside any site (a config value, `declare module`, a template
    literal that builds a module name at run time) are added to `strays` when it is given.
    """
    if not prefixes:
        return []
    pattern = re.compile(rb"['\"`](?:" + b"|".join(re.escape(p) for p in prefixes) + rb")")
    sites: list[Site] = []
    seen: set[int] = set()
    for found in pattern.finditer(source):
        node = root.descendant_for_byte_range(found.start(), found.start() + 1)
        string = node.parent if node is not None and node.type in ('"', "'", "`") else None
        if string is None or string.type not in ("string", "template_string") or string.start_byte in seen:
            continue
        seen.add(string.start_byte)
        value = string_value(string)
        if value is None or not wanted(value):
            if strays is not None and value is None and wanted(_runtime_value(string)):
                strays.append(string)
            continue
        site = site_of(string, value)
        if site is not None:
            sites.append(site)
        elif strays is not None:
            strays.append(string)
    return sites


def _runtime_value(string: Node) -> str:
    """A template literal's text with each `${…}` as NUL: what a rule pattern would match at run time."""
    parts = []
    for child in string.named_children:
        parts.append("\0" if child.type == "template_substitution" else text(child))
    return "".join(parts)


def site_of(string: Node, value: str) -> Site | None:
    """The site a module string belongs to, or None when it is just a string."""
    parent = string.parent
    if parent is None:
        return None
    if parent.type == "import_statement":
        return _import(parent, string, value)
    if parent.type == "export_statement":  # `export … from 'x'`, not `export default 'x'`
        return _export(parent, string, value) if parent.child_by_field_name("source") == string else None
    if parent.type == "import_require_clause":
        statement = parent.parent or parent
        return Site(SiteKind.WHOLE, statement, string, value, "import = require()")
    argument = string  # `require(/** @type {string} */ ("x"))`: the string in parentheses is the argument
    while parent is not None and parent.type == "parenthesized_expression":
        argument, parent = parent, parent.parent
    if parent is None:
        return None
    arguments = (
        [c for c in parent.named_children if c.type != "comment"] if parent.type == "arguments" else []
    )
    if arguments and arguments[0] == argument:  # `import(/* webpackChunkName: "x" */ 'module')` too
        call = parent.parent
        function = call.child_by_field_name("function") if call is not None else None
        if call is not None and call.type == "call_expression" and function is not None:
            if function.type == "import":
                return _call(call, string, value, "import()")
            if function.type == "identifier" and text(function) == "require":
                return _call(call, string, value, "require()")
            if function.type == "member_expression":
                name = "".join(text(function).split())
                if name in MODULE_CALLS:
                    return Site(SiteKind.WHOLE, call, string, value, f"{name}()")
    return None


def _has_token(node: Node, token: str) -> bool:
    return any(c.type == token and not c.is_named for c in node.children)


def _import(statement: Node, string: Node, value: str) -> Site:
    top = statement.parent is not None and statement.parent.type == "program"
    type_only = _has_token(statement, "type") or _has_token(statement, "typeof")
    clause = next((c for c in statement.named_children if c.type == "import_clause"), None)
    if clause is None:
        return Site(SiteKind.WHOLE, statement, string, value, SIDE_EFFECT_IMPORT, type_only, top_level=top)
    site = Site(SiteKind.IMPORT, statement, string, value, type_only=type_only, top_level=top)
    for part in clause.named_children:
        if part.type == "identifier":
            site.default = part
        elif part.type == "namespace_import":
            site.namespace = part
        elif part.type == "named_imports":
            site.items = part
            site.specs = [_spec(c) for c in part.named_children if c.type == "import_specifier"]
    return site


def _export(statement: Node, string: Node, value: str) -> Site:
    top = statement.parent is not None and statement.parent.type == "program"
    type_only = _has_token(statement, "type")
    clause = next((c for c in statement.named_children if c.type == "export_clause"), None)
    if clause is None:
        return Site(SiteKind.WHOLE, statement, string, value, "export * from", type_only, top_level=top)
    specs = [_spec(c) for c in clause.named_children if c.type == "export_specifier"]
    return Site(SiteKind.EXPORT, statement, string, value, type_only=type_only, items=clause, specs=specs,
                top_level=top)  # fmt: skip


def _spec(node: Node) -> Spec:
    name = node.child_by_field_name("name")
    alias = node.child_by_field_name("alias")
    assert name is not None
    export = _name(name)
    return Spec(node, export, _name(alias) if alias is not None else export, _has_token(node, "type"),
                name, alias)  # fmt: skip


def _name(node: Node) -> str:
    value = string_value(node) if node.type == "string" else None
    return text(node) if value is None else value


def _call(call: Node, string: Node, value: str, what: str) -> Site:
    outer = call
    while outer.parent is not None and outer.parent.type in _TRANSPARENT:
        outer = outer.parent
    parent = outer.parent
    # `import(x)` gives a promise: only `(await import(x)).a` and `const {a} = await import(x)` bind names
    binds = what == "require()" or (outer != call and _awaited(call, outer))
    if parent is None or not binds:
        return Site(SiteKind.WHOLE, call, string, value, what)
    if parent.type == "member_expression" and parent.child_by_field_name("object") == outer:
        prop = parent.child_by_field_name("property")
        if prop is not None and prop.type == "property_identifier":
            return Site(SiteKind.MEMBER, parent, string, value, what, member=prop)
    if parent.type == "variable_declarator" and parent.child_by_field_name("value") == outer:
        pattern = parent.child_by_field_name("name")
        if pattern is not None and pattern.type == "object_pattern":
            specs = [_pattern_spec(c) for c in pattern.named_children]
            if all(s is not None for s in specs):
                found = [s for s in specs if s is not None]
                return Site(SiteKind.PATTERN, call, string, value, what, items=pattern, specs=found)
    return Site(SiteKind.WHOLE, call, string, value, what)


def _awaited(call: Node, outer: Node) -> bool:
    node: Node | None = call
    while node is not None and node != outer:
        if node.type == "await_expression":
            return True
        node = node.parent
    return outer.type == "await_expression"


def _pattern_spec(node: Node) -> Spec | None:
    """An item of `const {…} = require()`; None for what cannot be renamed (`...rest`, computed keys)."""
    if node.type == "shorthand_property_identifier_pattern":
        return Spec(node, text(node), text(node), False, node, None)
    if node.type == "object_assignment_pattern":
        left = node.child_by_field_name("left")
        if left is not None and left.type == "shorthand_property_identifier_pattern":
            return Spec(node, text(left), text(left), False, left, None)
    if node.type == "pair_pattern":
        key, value = node.child_by_field_name("key"), node.child_by_field_name("value")
        if key is not None and value is not None and key.type in ("property_identifier", "string"):
            local = text(value) if value.type == "identifier" else ""
            return Spec(node, _name(key), local, False, key, value)
    return None
