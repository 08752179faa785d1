"""Import sites of a JS/TS tree that name given modules: where the module string is, and what it binds.

A regular expression finds the string literals that start like a wanted module (as written: a module
string whose start is written with escapes is not found); the core's classifier
(depreport.extract.sites, which the extractor uses too) says what each one is (an import, a re-export,
a `require`/`import()` call, `import x = require()`, a test mock) and its value, escapes decoded. This
module adds what a rewrite needs to know of it: which names it binds and where they are written.
Strings in comments, JSX text or other calls are not sites.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from tree_sitter import Node

from codemods.edits import Edit
from codemods.ruleindex import string_starts
from depreport.extract.exportclause import type_named_first, type_without_name
from depreport.extract.sites import (
    Form,
    bound_from,
    name_value,
    site_of_string,
    string_value,
    text,
    type_only_specifier,
)

SIDE_EFFECT_IMPORT = Form.SIDE_EFFECT.value


class SiteKind(Enum):
    """What a site binds, which decides how it can be rewritten."""

    IMPORT = "import"  # import D, {a as b} from 'x' / import * as ns from 'x'
    EXPORT = "export"  # export {a as b} from 'x'
    PATTERN = "pattern"  # const {a, b: c} = require('x') / await import('x')
    MEMBER = "member"  # require('x').a, require('x')['a']
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
    tail: Node | None = None  # where the item ends, when `node` does not hold all of it (`{ type, a as b }`)


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
    parameter: bool = False  # a PATTERN that is a callback's parameter: `import('x').then(({ a }) => …)`


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
    pattern = string_starts(prefixes)
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
        site = site_of(string)
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


def site_of(string: Node) -> Site | None:
    """The site a module string belongs to, or None when it is just a string."""
    found = site_of_string(string)
    if found is None or found.value is None:
        return None
    top = found.node.parent is not None and found.node.parent.type == "program"
    site = Site(
        SiteKind.WHOLE, found.node, string, found.value, found.form.value, found.type_only, top_level=top
    )
    if found.form is Form.IMPORT and found.clause is not None:
        _import(site, found.clause)
    elif found.form is Form.REEXPORT:
        _export(site)
    elif found.form in (Form.REQUIRE, Form.DYNAMIC):
        _call(site)
    elif found.form is Form.MODULE_CALL:
        site.what = f"{found.call}()"
    return site


def _import(site: Site, clause: Node) -> None:
    site.kind, site.what = SiteKind.IMPORT, ""
    for part in clause.named_children:
        if part.type == "identifier":
            site.default = part
        elif part.type == "namespace_import":
            site.namespace = part
        elif part.type == "named_imports":
            site.items = part
            site.specs = [_spec(c) for c in part.named_children if c.type == "import_specifier"]


def _export(site: Site) -> None:
    clause = next((c for c in site.node.named_children if c.type == "export_clause"), None)
    if clause is None:
        site.what = "export * from"
        return
    site.kind, site.what, site.items = SiteKind.EXPORT, "", clause
    site.specs = [spec for entry in clause.named_children for spec in _export_specs(entry)]


def _export_specs(entry: Node) -> list[Spec]:
    """The items one entry of an export clause stands for. The grammar misreads a name `type` (Babel and
    TypeScript read it as a name): as an error of its own (`{ a, type }`), as the modifier of the name
    after it (`{ type, a }`), or as a modifier whose name is missing (`{ a, type, }`)."""
    if entry.is_error:
        return [_type_spec(entry)] if entry.text == b"type" else []
    if entry.type != "export_specifier":
        return []
    name, alias = entry.child_by_field_name("name"), entry.child_by_field_name("alias")
    if type_named_first(entry) and name is not None:  # no node holds `a as b`: from its name to its alias
        item = Spec(name, text(name), text(alias or name), False, name, alias, alias)
        return [_type_spec(entry.children[0]), item]
    if type_without_name(entry):
        return [Spec(entry, "type", "type", False, entry.children[0], None)]
    return [_spec(entry)]


def _type_spec(word: Node) -> Spec:
    return Spec(word, "type", "type", False, word, None)


def _spec(node: Node) -> Spec:
    name, alias = node.child_by_field_name("name"), node.child_by_field_name("alias")
    assert name is not None
    export = name_value(name)
    return Spec(node, export, name_value(alias) if alias is not None else export, type_only_specifier(node),
                name, alias)  # fmt: skip


def _call(site: Site) -> None:
    """`require('x')` or `import('x')`: a whole module, a member (`require('x').a`) or a pattern."""
    outer, awaited = bound_from(site.node)
    parent = outer.parent
    # `import(x)` gives a promise: only `(await import(x)).a`, `const {a} = await import(x)`,
    # `import(x).then(({a}) => …)` and an import type (`let a: import(x).A`) name its exports
    if parent is None or not (site.what == Form.REQUIRE.value or awaited or site.type_only):
        pattern = _then_parameter(outer) if site.what == Form.DYNAMIC.value else None
        specs = [pattern_spec(c) for c in (pattern.named_children if pattern else []) if c.type != "comment"]
        if pattern is not None and all(s is not None for s in specs):
            site.kind, site.items, site.parameter = SiteKind.PATTERN, pattern, True
            site.specs = [s for s in specs if s is not None]
        return
    prop = member_taken(outer)
    if prop is not None:
        site.kind, site.node, site.member = SiteKind.MEMBER, parent, prop
    elif parent.type == "variable_declarator" and parent.child_by_field_name("value") == outer:
        pattern = parent.child_by_field_name("name")
        if pattern is not None and pattern.type == "object_pattern":
            specs = [pattern_spec(c) for c in pattern.named_children if c.type != "comment"]
            if all(s is not None for s in specs):
                site.kind, site.items = SiteKind.PATTERN, pattern
                site.specs = [s for s in specs if s is not None]


def _then_parameter(promise: Node) -> Node | None:
    """The `{…}` pattern of the callback's first parameter in `promise.then(({…}) => …)`, if any."""
    member = promise.parent
    if member is None or member.type != "member_expression":
        return None
    if member.child_by_field_name("object") != promise:
        return None
    then, call = member.child_by_field_name("property"), member.parent
    if then is None or text(then) != "then" or call is None or call.type != "call_expression":
        return None
    called = call.child_by_field_name("function") == member
    arguments = call.child_by_field_name("arguments") if called else None
    callback = arguments.named_children[0] if arguments is not None and arguments.named_children else None
    if callback is None or callback.type not in ("arrow_function", "function_expression", "function"):
        return None
    parameters = callback.child_by_field_name("parameters")
    first = parameters.named_children[0] if parameters is not None and parameters.named_children else None
    if first is not None and first.type == "required_parameter":  # TypeScript: `({ a }: T) => …`
        first = first.child_by_field_name("pattern")
    return first if first is not None and first.type == "object_pattern" else None


# The expressions that take a member of an object, with the fields of the object and of the member.
_MEMBER_FIELDS = {
    "member_expression": ("object", "property"),
    "subscript_expression": ("object", "index"),
    "nested_type_identifier": ("module", "name"),
}


def member_taken(node: Node) -> Node | None:
    """The member taken by name from `node` when it is the object of a member access: `name` in
    `node.name` and in `node['name']` (a string, not a computed key)."""
    expression = node.parent
    fields = _MEMBER_FIELDS.get(expression.type) if expression is not None else None
    if expression is None or fields is None or expression.child_by_field_name(fields[0]) != node:
        return None
    member = expression.child_by_field_name(fields[1])
    if member is None:
        return None
    if member.type in ("property_identifier", "type_identifier"):
        return member
    return member if string_value(member) is not None else None


def member_name(member: Node) -> str:
    """The name a member found by `member_taken` takes: `name` in `a.name` and in `a['name']`."""
    return name_value(member)


def member_edit(member: Node, name: str) -> Edit:
    """Write another name for a member found by `member_taken`, inside the quotes when it is a string."""
    if member.type in ("string", "template_string"):
        return Edit(member.start_byte + 1, member.end_byte - 1, name.encode())
    return Edit(member.start_byte, member.end_byte, name.encode())


def split_statement(site: Site) -> Node | None:
    """The statement of a destructuring site (`const { a } = require('m')`) when it declares nothing else,
    has no type annotation, stands where statements go (not in `for (…)`, not after `export`) and on
    lines of its own (a comment may follow it): one it can be split into, the new ones on the next lines."""
    declarator = site.items.parent if site.kind is SiteKind.PATTERN and site.items is not None else None
    if declarator is None or declarator.child_by_field_name("type") is not None:
        return None
    statement = declarator.parent
    if statement is None or statement.type not in ("lexical_declaration", "variable_declaration"):
        return None
    declarators = [c for c in statement.named_children if c.type == "variable_declarator"]
    blocks = ("program", "statement_block", "switch_case", "switch_default")
    if declarators != [declarator] or statement.parent is None or statement.parent.type not in blocks:
        return None
    before, after = statement.prev_sibling, statement.next_sibling
    if before is not None and before.end_point[0] == statement.start_point[0]:
        return None
    while after is not None and after.start_point[0] == statement.end_point[0]:
        if after.type != "comment":
            return None
        after = after.next_sibling
    return statement


def pattern_spec(node: Node) -> Spec | None:
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
            return Spec(node, name_value(key), local, False, key, value)
    return None
