"""What a module string of a JS/TS tree is: the one classifier of import sites.

The extractor (depreport.extract.js) reaches a site from a keyword (`import`, `export`, `require`) and
the codemods (codemods.jssites) from a module string they may rewrite; both ask this module what the
statement or call is (`site_of_statement`, `site_of_call`, `site_of_string`) and read every string
through `string_value`, so they cannot drift apart. A site names its form, the module string and its
value with escapes decoded (`'lodash\\x2fdebounce'` is `lodash/debounce`), and whether it is type-only.
What a site binds is each caller's own business: the extractor records names, the codemods rewrite them.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import NamedTuple

from tree_sitter import Node

from depreport.extract.ancestry import Parent, tree_parent

# Calls that name a module outside import syntax: test mocks and resolvers. Not imports: the codemods
# rewrite their module strings, the extractor records none.
MODULE_CALLS = frozenset(
    {
        "jest.mock", "jest.doMock", "jest.unmock", "jest.dontMock", "jest.requireActual", "jest.requireMock",
        "jest.setMock", "jest.createMockFromModule", "vi.mock", "vi.doMock", "vi.unmock", "vi.doUnmock",
        "vi.importActual", "vi.importMock", "require.resolve", "import.meta.resolve",
    }
)  # fmt: skip
# Nodes between a call and what its result is bound to: `await import(x)`, `(require(x))`, `require(x)!`.
TRANSPARENT = frozenset({"await_expression", "parenthesized_expression", "non_null_expression"})
# Ancestors that put an `import("x")` in type position (`let a: import("x").T`).
_TYPE_CONTEXTS = frozenset(
    {
        "type_annotation",
        "type_alias_declaration",
        "type_arguments",
        "interface_declaration",
        "generic_type",
        "lookup_type",
        "type_query",
        "index_signature",
    }
)
# `value as T`, `value satisfies T`: what follows the value is a type.
_CASTS = frozenset({"as_expression", "satisfies_expression"})
_STATEMENT_BOUNDARIES = frozenset({"program", "statement_block", "class_body", "expression_statement"})
# `\u{1F600}`, `\u0041`, `\x41`, a legacy octal `\101`, a line continuation, or any one character
_ESCAPE = re.compile(
    r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[0-3][0-7]{0,2}|[4-7][0-7]?|\r\n|.)", re.S
)
_SINGLE = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\r\n": "", "\n": "", "\r": ""}
_SINGLE.update({"\u2028": "", "\u2029": ""})  # a backslash before a line terminator continues the line


class Form(Enum):
    """The syntax that names a module."""

    IMPORT = "import"  # import D, {a}, * as ns from 'x' (also `import {} from 'x'`)
    SIDE_EFFECT = "side-effect import"  # import 'x'
    IMPORT_EQUALS = "import = require()"  # import x = require('x')
    REEXPORT = "export from"  # export {a} from 'x' / export * (as ns) from 'x'
    REQUIRE = "require()"  # require('x')
    DYNAMIC = "import()"  # import('x'), also in a type: `import('x').T`
    MODULE_CALL = "module call"  # jest.mock('x'), require.resolve('x'), ... (MODULE_CALLS)


class ModuleSite(NamedTuple):
    """One statement or call that names a module (a tuple: one is made for every import, cheaply)."""

    form: Form
    node: Node  # the import/export statement or the call
    string: Node | None  # the module string; None when a call's argument is not a literal
    value: str | None  # the module string's value, escapes decoded; None with `string`
    type_only: bool = False  # `import type`, `export type`, `import("x")` in a type
    call: str = ""  # the function a call names: require, import, jest.mock, ...
    clause: Node | None = None  # an import statement's import_clause or import_require_clause


def text(node: Node | None) -> str:
    """The source text of a node ("" for none)."""
    raw = None if node is None else node.text  # each read of .text copies the bytes: read it once
    return "" if raw is None else raw.decode("utf-8", "replace")


def is_word(node: Node, word: bytes) -> bool:
    """`node.text == word`, without copying the text of a long node (an error node may hold the rest of
    the file, and errors nest: copying each one's text took time growing as the square of the file)."""
    return node.end_byte - node.start_byte == len(word) and node.text == word


def starts_with(node: Node, source: bytes | bytearray, prefix: bytes) -> bool:
    """`node.text.startswith(prefix)`, read from `source`, the bytes the tree was parsed from (for the
    same reason as `is_word`)."""
    start = node.start_byte
    return node.end_byte - start >= len(prefix) and source[start : start + len(prefix)] == prefix


def string_value(node: Node | None) -> str | None:
    """The value of a string literal (or a template literal without `${}`), escapes decoded, else None."""
    if node is None or node.type not in ("string", "template_string"):
        return None
    if node.type == "template_string" and any(c.type == "template_substitution" for c in node.named_children):
        return None
    raw = text(node)[1:-1]
    if node.type == "template_string" and "\r" in raw:  # a template's line ends are read as \n
        raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    return _decode(raw) if "\\" in raw else raw


def _decode(raw: str) -> str:
    value = _ESCAPE.sub(_unescape, raw)
    # `\ud83d\ude00` is one character; a lone surrogate is no text at all
    return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _unescape(match: re.Match[str]) -> str:
    escape = match.group(1)
    if escape[0] in "ux" and len(escape) > 1:
        code = int(escape[1:].strip("{}"), 16)
        return chr(code) if code <= 0x10FFFF else "\ufffd"
    if escape[0] in "01234567":
        return chr(int(escape, 8))
    return _SINGLE.get(escape, escape)


def name_value(node: Node) -> str:
    """A name that may be written as a string (`import {"a-b" as c}`): its value, else its text."""
    value = string_value(node)
    return text(node) if value is None else value


def has_token(node: Node, token: str) -> bool:
    """True when `node` has the keyword or punctuation `token` as a direct child."""
    return any(c.type == token and not c.is_named for c in node.children)


def type_only_specifier(spec: Node) -> bool:
    """Is an import or export specifier type-only: `{type X}`, or Flow's `{typeof X}`?"""
    return has_token(spec, "type") or has_token(spec, "typeof")


def site_of_statement(statement: Node) -> ModuleSite | None:
    """An import statement, or an export statement with `from`; None for other statements."""
    if statement.type == "import_statement":
        return _import(statement)
    if statement.type != "export_statement":
        return None
    string = statement.child_by_field_name("source")
    value = string_value(string)
    if value is None:
        return None
    type_only = (
        has_token(statement, "type")
        or any(c.type == "ERROR" and has_token(c, "type") for c in statement.children)  # `export type * from`
        or _flow_declared(statement)
    )
    return ModuleSite(Form.REEXPORT, statement, string, value, type_only)


def _flow_declared(statement: Node) -> bool:
    """Flow's `declare export * from "x"` (a library definition, often in `declare module "m" {…}`): it
    declares types and runs nothing. The grammar reads the word `declare` just before the export statement
    on its line as a name: in the error it is part of, an error of its own or a statement of its own."""
    before = statement.prev_sibling
    if before is not None and before.type == "expression_statement":  # its `;` is missing
        before = before.named_children[0] if before.named_child_count == 1 else None
    elif before is not None and before.is_error and before.children:
        before = before.children[-1]
    return (
        before is not None
        and before.type in ("identifier", "declare")
        and before.text == b"declare"
        and before.end_point.row == statement.start_point.row
    )


def _import(statement: Node) -> ModuleSite | None:
    type_only = has_token(statement, "type") or has_token(statement, "typeof")
    clause = next(
        (c for c in statement.named_children if c.type in ("import_clause", "import_require_clause")), None
    )
    if clause is not None and clause.type == "import_require_clause":
        string = clause.child_by_field_name("source")
        if string is None:
            string = next((c for c in clause.named_children if c.type == "string"), None)
        form = Form.IMPORT_EQUALS
    else:
        string = statement.child_by_field_name("source")
        form = Form.SIDE_EFFECT if clause is None else Form.IMPORT
    value = string_value(string)
    return None if value is None else ModuleSite(form, statement, string, value, type_only, clause=clause)


def site_of_call(call: Node, parent: Parent = tree_parent) -> ModuleSite | None:
    """`require(…)`, `import(…)` or a call of `MODULE_CALLS` with an argument; None for other calls.

    The first argument (comments and parentheses around it skipped) is the module; when it is not a
    literal, the site has no string (the module is known only at run time). `parent` finds a node's
    parent (see `ancestry`).
    """
    function = call.child_by_field_name("function") if call.type == "call_expression" else None
    if function is None:
        return None
    if function.type == "import":
        form, name = Form.DYNAMIC, "import"
    elif function.type == "identifier" and text(function) == "require":
        form, name = Form.REQUIRE, "require"
    elif function.type == "member_expression" and "".join(text(function).split()) in MODULE_CALLS:
        form, name = Form.MODULE_CALL, "".join(text(function).split())
    else:
        return None
    argument = first_argument(call)
    if argument is None:
        return None
    value = string_value(argument)
    string = argument if value is not None else None
    type_only = form is Form.DYNAMIC and in_type_position(call, parent)
    return ModuleSite(form, call, string, value, type_only, name)


def first_argument(call: Node) -> Node | None:
    """A call's first argument, without the comments and parentheses around it."""
    arguments = call.child_by_field_name("arguments")
    values = [c for c in arguments.named_children if c.type != "comment"] if arguments is not None else []
    if not values:
        return None
    first = values[0]
    while first.type == "parenthesized_expression" and first.named_children:
        first = next((c for c in first.named_children if c.type != "comment"), first.named_children[0])
    return first


def site_of_string(string: Node) -> ModuleSite | None:
    """The site whose module string `string` is; None when it is just a string (in a comment-free
    sense: a value, an argument of another call, `declare module 'x'`, an export name...)."""
    parent = string.parent
    if parent is not None and parent.type == "import_require_clause":
        parent = parent.parent
    elif parent is not None and parent.type not in ("import_statement", "export_statement"):
        while parent is not None and parent.type == "parenthesized_expression":
            parent = parent.parent  # `require(/** @type {string} */ ("x"))`
        arguments = parent
        parent = arguments.parent if arguments is not None and arguments.type == "arguments" else None
    if parent is None:
        return None
    site = site_of_call(parent) if parent.type == "call_expression" else site_of_statement(parent)
    return site if site is not None and site.string == string else None


def in_type_position(node: Node, parent_of: Parent = tree_parent) -> bool:
    """True when a node is part of a type (`let a: import("x").T`, `typeof import("x")`, the type of
    `v as import("x").T` or `v satisfies import("x").T`, which the grammar reads as an expression)."""
    child, parent = node, parent_of(node)
    while parent is not None and parent.type not in _STATEMENT_BOUNDARIES:
        if parent.type in _TYPE_CONTEXTS:
            return True
        if parent.type in _CASTS and child != parent.named_children[0]:
            return True
        child, parent = parent, parent_of(parent)
    return False


def bound_from(call: Node, parent_of: Parent = tree_parent) -> tuple[Node, bool]:
    """The outermost node a call's result passes through unchanged (`await`, parentheses, `!`), and
    whether an `await` is on the way: what the result is bound to is that node's parent."""
    node, awaited = call, False
    while (parent := parent_of(node)) is not None:
        if parent.type in TRANSPARENT:
            node = parent
            awaited = awaited or node.type == "await_expression"
            continue
        misread_await = _await_call_of(node, parent, parent_of)
        if misread_await is None:
            break
        node, awaited = misread_await, True
    return node, awaited


def _await_call_of(argument: Node, arguments: Node, parent_of: Parent) -> Node | None:
    """The `await (…)` whose one argument the node is, which the JavaScript grammar reads as a call
    of a function named `await` (`await (await import("vite")).createServer()`, Vite's playground)."""
    if arguments.type != "arguments":
        return None
    call = parent_of(arguments)
    function = call.child_by_field_name("function") if call is not None else None
    if function is None or function.type != "identifier" or function.text != b"await":
        return None
    alone = [c for c in arguments.named_children if c.type != "comment"] == [argument]
    return call if alone else None
