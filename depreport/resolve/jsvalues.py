"""The static value of an expression of a JS/TS config file, read off its tree-sitter tree; nothing runs.

What a bundler's config computes a path with is read: string literals, templates and `+` of them,
`__dirname` (and `import.meta.dirname`, `import.meta.url`), Node's `path.resolve`/`join`/`dirname`/
`normalize` (the module or its functions, imported or required), `fileURLToPath`, `new URL(rel, base)`,
`process.cwd()` (the folder the bundler runs in), names bound to such values in the scopes around the
expression, and calls of the file's own functions that return one (`function resolve(dir) { return
path.join(__dirname, '..', dir) }`). Anything else (an unknown call, a parameter, an environment
variable) has no value here: None, never a guess.

Absolute paths are strings under `REPO`, the repository's root: a path that climbs out of it is no longer
under it. No string of a config can forge it: one holding a NUL has no value.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass

from tree_sitter import Node

from depreport.extract.sites import string_value, text
from depreport.resolve.jsnames import (
    FUNCTION_NODES,
    binding,
    parameter_names,
    pattern_key,
    unwrapped,
)

REPO = "/\0repo"  # the repository's root, as an absolute path
_MODULES = {"path": "path", "node:path": "path", "url": "url", "node:url": "url"}
_MODULES |= {"process": "process", "node:process": "process"}
_FUNCTIONS = frozenset(
    {"path.resolve", "path.join", "path.dirname", "path.normalize", "url.fileURLToPath", "url.URL"}
    | {"process.cwd"}
)
_DEPTH = 40  # names and calls followed at most, one inside the other (`const a = b, b = a` ends)
_STEPS = 20_000  # expressions valued at most in one config (`const b = a + a, c = b + b, …` doubles)
_LONGEST = 4096  # characters of a string value: a path is shorter


@dataclass(frozen=True)
class Module:
    """A Node module bound to a name (`path`, `url`, `process`), or one of its functions (`path.join`)."""

    name: str


@dataclass(frozen=True)
class FileUrl:
    """A `file:` URL, by its absolute path."""

    path: str


@dataclass(frozen=True)
class Function:
    """A function of the config file itself."""

    node: Node


Value = str | Module | FileUrl | Function


def repo_path(path: str) -> str | None:
    """The repo-relative path of an absolute path under `REPO` ("" for the root); None when it is not
    under it (it climbed out, or was absolute to begin with)."""
    normal = posixpath.normpath(path)
    if normal == REPO:
        return ""
    return normal[len(REPO) + 1 :] if normal.startswith(REPO + "/") else None


class Values:
    """Static values in one config file (`config`: its repo path; `cwd`: the repo folder the bundler runs
    in, for `process.cwd()` and relative `path.resolve`)."""

    def __init__(self, config: str, cwd: str) -> None:
        self.file = posixpath.join(REPO, config)
        self.cwd = posixpath.join(REPO, cwd) if cwd else REPO
        self._depth = 0
        self._steps = _STEPS
        self._declared: dict[int, dict[bytes | None, Node]] = {}  # each block's names (jsnames.binding)

    def value(self, node: Node | None, args: Mapping[int, Value] | None = None) -> Value | None:
        """The value of an expression; None when it has none that can be read. `args`: the parameters of
        the file's functions being called (the identifier node id of each parameter -> its value)."""
        if node is None or self._depth > _DEPTH or self._steps <= 0:
            return None
        self._depth += 1
        self._steps -= 1
        try:
            found = self._value(node, args or {})
        finally:
            self._depth -= 1
        return None if isinstance(found, str) and len(found) > _LONGEST else found

    def expression(self, node: Node | None) -> Node | None:
        """The expression a name stands for, followed through names bound by `const`/`let`/`var` (an
        object or array written elsewhere in the file: `alias: aliases`); the node itself otherwise."""
        for _ in range(_DEPTH):
            node = unwrapped(node)
            if node is None or node.type not in ("identifier", "shorthand_property_identifier"):
                return node
            bound = binding(node, self._declared)
            name = None if bound is None else bound.child_by_field_name("name")
            if (
                bound is None
                or bound.type != "variable_declarator"
                or name is None
                or name.type != "identifier"
            ):
                return None
            node = bound.child_by_field_name("value")
        return None

    def _value(self, node: Node, args: Mapping[int, Value]) -> Value | None:
        node = unwrapped(node) or node
        kind = node.type
        if kind in ("string", "template_string"):
            return self._string(node, args)
        if kind in ("identifier", "shorthand_property_identifier"):
            return self._name(node, args)
        if kind == "member_expression":
            return self._member(node, args)
        if kind == "call_expression":
            return self._call(node, args)
        if kind == "new_expression":
            constructor = self.value(node.child_by_field_name("constructor"), args)
            arguments = self._arguments(node.child_by_field_name("arguments"), args)
            return None if constructor != Module("url.URL") or arguments is None else _url(arguments)
        if kind == "binary_expression" and text(node.child_by_field_name("operator")) == "+":
            left = self.value(node.child_by_field_name("left"), args)
            right = self.value(node.child_by_field_name("right"), args)
            return left + right if isinstance(left, str) and isinstance(right, str) else None
        if kind in FUNCTION_NODES:
            return Function(node)
        return None

    def _string(self, node: Node, args: Mapping[int, Value]) -> str | None:
        if node.type == "string" or not node.named_children:
            found = string_value(node)
            return None if found is None or "\0" in found else found
        parts = []
        for child in node.named_children:
            if child.type == "string_fragment" and "\0" not in text(child):
                parts.append(text(child))
            elif child.type == "template_substitution" and len(child.named_children) == 1:
                part = self.value(child.named_children[0], args)
                if not isinstance(part, str):
                    return None
                parts.append(part)
            else:  # an escape sequence: not read
                return None
        return "".join(parts)

    def _name(self, node: Node, args: Mapping[int, Value]) -> Value | None:
        bound = binding(node, self._declared)
        word = text(node)
        if bound is None:
            return self._global(word)
        if bound.type in ("identifier", "shorthand_property_identifier_pattern"):  # a parameter
            return args.get(bound.id)  # its value in the call read, if any
        if bound.type in (*FUNCTION_NODES, "generator_function_declaration"):
            return Function(bound)
        if bound.type == "import_statement":
            return _imported(bound, word)
        value = bound.child_by_field_name("value")
        pattern = bound.child_by_field_name("name")
        if pattern is not None and pattern.type == "object_pattern":  # `const { resolve } = require('path')`
            whole = self.value(value, args)
            member = pattern_key(pattern, word)
            return _member_of(whole, member) if isinstance(whole, Module) and member else None
        return self.value(value, args)

    def _global(self, word: str) -> Value | None:
        if word == "__dirname":
            return posixpath.dirname(self.file)
        if word == "__filename":
            return self.file
        if word == "process":
            return Module("process")
        if word == "URL":
            return Module("url.URL")
        return None

    def _member(self, node: Node, args: Mapping[int, Value]) -> Value | None:
        target, name = node.child_by_field_name("object"), text(node.child_by_field_name("property"))
        if target is not None and target.type == "meta_property":  # import.meta.x
            meta: dict[str, Value] = {"url": FileUrl(self.file), "filename": self.file}
            return meta.get(name, posixpath.dirname(self.file) if name == "dirname" else None)
        whole = self.value(target, args)
        if isinstance(whole, FileUrl) and name == "pathname":
            return whole.path
        if isinstance(whole, Module):
            return _member_of(whole, name)
        return None

    def _call(self, node: Node, args: Mapping[int, Value]) -> Value | None:
        callee_node = node.child_by_field_name("function")
        if (
            callee_node is not None
            and text(callee_node) == "require"
            and binding(callee_node, self._declared) is None
        ):
            found = self._arguments(node.child_by_field_name("arguments"), args)
            name = found[0] if found and len(found) == 1 else None
            return Module(_MODULES[name]) if isinstance(name, str) and name in _MODULES else None
        callee = self.value(callee_node, args)
        arguments = self._arguments(node.child_by_field_name("arguments"), args)
        if arguments is None:
            return None
        if isinstance(callee, Function):
            return self._returned(callee.node, arguments)
        if isinstance(callee, Module) and callee.name in _FUNCTIONS:
            return self._builtin(callee.name, arguments)
        return None

    def _arguments(self, node: Node | None, args: Mapping[int, Value]) -> list[Value] | None:
        if node is None:
            return None
        found = []
        for child in node.named_children:
            if child.type == "comment":
                continue
            value = self.value(child, args)
            if value is None:
                return None
            found.append(value)
        return found

    def _returned(self, function: Node, arguments: list[Value]) -> Value | None:
        """What a function of the file returns for these arguments: one whose body is an expression or a
        single `return` of one, its parameters plain names."""
        parameters = function.child_by_field_name("parameters") or function.child_by_field_name("parameter")
        names = parameter_names(parameters)
        body = function.child_by_field_name("body")
        if names is None or body is None:
            return None
        if body.type == "statement_block":
            statements = [c for c in body.named_children if c.type != "comment"]
            if len(statements) != 1 or statements[0].type != "return_statement":
                return None
            body = statements[0].named_children[0] if statements[0].named_children else None
        bound = {name.id: arguments[i] for i, name in enumerate(names) if i < len(arguments)}
        return self.value(body, bound)

    def _builtin(self, name: str, arguments: list[Value]) -> Value | None:
        if name == "process.cwd":
            return self.cwd if not arguments else None
        if name == "url.fileURLToPath":
            return arguments[0].path if len(arguments) == 1 and isinstance(arguments[0], FileUrl) else None
        if name == "url.URL":
            return None  # a call without `new`
        strings = [a for a in arguments if isinstance(a, str)]
        if len(strings) != len(arguments):
            return None
        if name == "path.resolve":
            resolved = self.cwd
            for part in strings:
                resolved = posixpath.join(resolved, part)  # an absolute part starts over, as in Node
            return posixpath.normpath(resolved)
        if name == "path.join":
            return posixpath.normpath("/".join(strings)) if strings else "."
        if len(strings) != 1:
            return None
        return posixpath.dirname(strings[0]) if name == "path.dirname" else posixpath.normpath(strings[0])


def _imported(statement: Node, word: str) -> Value | None:
    """What an import statement binds to `word`: a module of Node, or one of its functions."""
    source = statement.child_by_field_name("source")
    module = _MODULES.get(string_value(source) or "")
    clause = next((c for c in statement.named_children if c.type == "import_clause"), None)
    if module is None or clause is None:
        return None
    for child in clause.named_children:
        if child.type in ("identifier", "namespace_import") and word in text(child).split():
            return Module(module)
        if child.type == "named_imports":
            for spec in child.named_children:
                name, alias = spec.child_by_field_name("name"), spec.child_by_field_name("alias")
                if text(alias or name) == word:
                    return _member_of(Module(module), text(name))
    return None


def _member_of(module: Value | None, name: str) -> Value | None:
    if not isinstance(module, Module):
        return None
    if module.name == "path" and name in ("posix", "default"):
        return module
    qualified = f"{module.name}.{name}"
    return Module(qualified) if qualified in _FUNCTIONS else None


def _url(arguments: list[Value]) -> FileUrl | None:
    """`new URL(relative, base)` with a `file:` URL as base."""
    if len(arguments) != 2 or not isinstance(arguments[0], str) or not isinstance(arguments[1], FileUrl):
        return None
    relative = arguments[0]
    if relative.startswith("/"):
        return FileUrl(posixpath.normpath(relative))
    return FileUrl(posixpath.normpath(posixpath.join(posixpath.dirname(arguments[1].path), relative)))
