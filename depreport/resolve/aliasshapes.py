"""Where a bundler's config sets aliases, and what each one maps, read off the config's tree (or JSON).

Found anywhere in the file, whatever wraps them (`defineConfig(...)`, `export default`, `module.exports`,
a function returning the config, `merge(common, {...})`):
- vite, vitest, webpack: `resolve: { alias: ... }`, an object (`'@': path.resolve(__dirname, 'src')`) or
  an array (vite's `{ find, replacement }`, webpack's `{ name, alias, onlyModule }`);
- webpack and Next.js: `config.resolve.alias['@'] = ...`, `config.resolve.alias.x = ...`,
  `config.resolve.alias = { ...config.resolve.alias, x: ... }`, `Object.assign(config.resolve.alias, {...})`;
- babel: the options of the plugin `module-resolver` (`babel-plugin-module-resolver`): `alias` and `root`.

A key matches that specifier and those below it (`@` matches `@/x`), as vite, webpack and
module-resolver match; webpack's `x$` matches `x` alone; a regular expression of a plain prefix
(`/^~\\//`, module-resolver's `'^@/(.+)': './src/\\1'`) matches what starts with it. Targets are kept
when they name a path of the repository: an absolute path (`__dirname`…), vite's root-relative `/src`, a
module-resolver path relative to its config. A target that names a package (`vue$: 'vue/dist/vue.esm.js'`)
or is empty maps nothing of the repo and is passed over; one of another form is not read (`not_read`);
one leading out of the repository is not used (`outside`).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field

from tree_sitter import Node

from depreport.extract.sites import string_value, text
from depreport.resolve.jsnames import calls, name_of_key, nodes, object_pairs, one_line, unwrapped
from depreport.resolve.jsvalues import REPO, Values, repo_path

RESOLVER_PLUGINS = ("module-resolver", "babel-plugin-module-resolver")
# `^prefix`, then `(.*)` or `(.+)` taking the rest, `$` perhaps: a prefix read as one
_PREFIX_REGEX = re.compile(r"\^((?:[\w@~#%&=:;,<>!'\"/-]|\\[/.\-@$~#])+)(\(\.[*+]\))?(\$)?")
_GROUP_REFERENCES = {"vite": "$1", "webpack": "$1", "next": "$1", "babel": "\\1"}


@dataclass
class Found:
    """What one config's aliases map: patterns as a tsconfig's `paths` writes them, to repo paths."""

    rules: list[tuple[str, str]] = field(default_factory=list)  # (pattern, target), as read
    not_read: list[str] = field(default_factory=list)  # `'@': resolveApp('src')`: each alias not read
    outside: list[str] = field(default_factory=list)  # each alias whose target leaves the repository


class AliasReader:
    """Reads the aliases of one config (`kind`: vite, webpack, next, babel) into `found`."""

    def __init__(self, kind: str, config: str, cwd: str) -> None:
        self.kind, self.cwd = kind, cwd
        self.values = Values(config, cwd)
        self.found = Found()

    def read_tree(self, root: Node) -> Found:
        """Every alias the config's tree sets."""
        for node in nodes(root):
            if node.type == "pair" and name_of_key(node.child_by_field_name("key")) == "resolve":
                self._resolve_options(node.child_by_field_name("value"))
            elif node.type == "assignment_expression":
                self._assignment(node)
            elif node.type == "call_expression" and calls(node, "Object.assign"):
                arguments = node.child_by_field_name("arguments")
                given = [c for c in arguments.named_children if c.type != "comment"] if arguments else []
                if given and _is_alias_option(given[0]):
                    for each in given[1:]:
                        self.alias_value(each)
            elif self.kind == "babel" and node.type == "array":
                self._babel_plugin(node)
        return self.found

    def alias_value(self, node: Node | None) -> None:
        """An `alias` option's value: an object, or an array of objects."""
        expression = self.values.expression(node)
        if expression is not None and expression.type == "object":
            for child in expression.named_children:
                self._alias_entry(child)
        elif expression is not None and expression.type == "array":
            for element in expression.named_children:
                self._array_entry(element)
        elif node is not None and not _is_existing(node):
            self._not_read(f"alias: {one_line(node)}")

    def add(self, key: str, target: Node | str, regex: bool = False) -> None:
        """One alias: a key (a name, or a regular expression's source) and its target."""
        raw = target if isinstance(target, str) else self.values.value(target)
        shown = f"{key!r}: {one_line(target) if isinstance(target, Node) else repr(target)}"
        if not isinstance(raw, str):
            self._not_read(shown)
            return
        literal = isinstance(target, str) or (unwrapped(target) or target).type == "string"
        if regex:
            self._regex(key, raw, literal, shown)
            return
        if "*" in key or not key:
            self._not_read(shown)
            return
        exact = self.kind in ("webpack", "next") and key.endswith("$")
        if self.kind == "vite" and key.endswith("/") and raw.endswith("/"):  # vite drops both slashes
            key, raw = key[:-1], raw[:-1]
        self._map(key.removesuffix("$") if exact else key, raw, literal, shown, below=not exact)

    def _map(self, pattern: str, raw: str, literal: bool, shown: str, below: bool) -> None:
        target = self._target(raw, literal, shown)
        if target is None:
            return
        self.found.rules.append((pattern, target))
        if below:
            self.found.rules.append((f"{pattern}/*", posixpath.join(target, "*") if target else "*"))

    def _target(self, raw: str, literal: bool, shown: str) -> str | None:
        """The repo path an alias's target names; None (said when it should be) for any other."""
        if not raw.startswith(("/", ".")):
            return None  # empty, or a package's name: nothing of the repository
        if raw.startswith("."):
            if self.kind != "babel":  # vite and webpack read it from each importing file
                self._not_read(shown)
                return None
            raw = posixpath.join(REPO, self.cwd, raw)
        path = repo_path(raw)
        if path is None and literal and self.kind == "vite":  # `/src`: from vite's root
            path = repo_path(posixpath.join(REPO, self.cwd, raw.lstrip("/")))
        if path is None:
            self.found.outside.append(shown)
        return path

    def _regex(self, source: str, raw: str, literal: bool, shown: str) -> None:
        """A regular expression of a plain prefix; its target with the rest (`$1`, `\\1`) at the end."""
        match = _PREFIX_REGEX.fullmatch(source)
        reference = _GROUP_REFERENCES[self.kind]
        if match is None or "*" in match.group(1):
            self._not_read(shown)
            return
        prefix = re.sub(r"\\(.)", r"\1", match.group(1))
        if match.group(2):
            if not raw.endswith(reference) or raw.count(reference) != 1:
                self._not_read(shown)
                return
            raw = raw[: -len(reference)]
        elif match.group(3):  # `^name$`: that name alone
            self._map(prefix, raw, literal, shown, below=False)
            return
        target = self._target(raw + "*", literal, shown)
        if target is not None:
            self.found.rules.append((prefix + "*", target))

    def _resolve_options(self, node: Node | None) -> None:
        options = self.values.expression(node)
        for child in options.named_children if options is not None and options.type == "object" else ():
            if child.type == "pair" and name_of_key(child.child_by_field_name("key")) == "alias":
                self.alias_value(child.child_by_field_name("value"))
            elif child.type == "shorthand_property_identifier" and text(child) == "alias":
                self.alias_value(child)

    def _alias_entry(self, child: Node) -> None:
        if child.type == "pair":
            key_node = child.child_by_field_name("key")
            key, value = name_of_key(key_node), child.child_by_field_name("value")
            if key is None or value is None:
                self._not_read(f"{one_line(key_node)}: {one_line(value)}")
            else:
                self.add(key, value, regex=self.kind == "babel" and key.startswith("^"))
        elif child.type == "shorthand_property_identifier":
            self.add(text(child), child)
        elif child.type == "spread_element" and child.named_children:
            if not _is_existing(child.named_children[0]):
                self.alias_value(child.named_children[0])
        elif child.type != "comment":
            self._not_read(one_line(child))

    def _array_entry(self, element: Node) -> None:
        """vite's `{ find, replacement }`, webpack's `{ name, alias, onlyModule }`, or a spread of them."""
        if element.type == "spread_element" and element.named_children:
            self.alias_value(element.named_children[0])
            return
        entry = self.values.expression(element)
        pairs = object_pairs(entry) if entry is not None and entry.type == "object" else {}
        find = pairs.get("find") or pairs.get("name")
        replacement = pairs.get("replacement") or pairs.get("alias")
        if find is None or replacement is None:
            if element.type != "comment":
                self._not_read(one_line(element))
            return
        find = unwrapped(find) or find
        if find.type == "regex":
            flags = text(find.child_by_field_name("flags"))
            source = text(find.child_by_field_name("pattern"))
            if set(flags) <= set("gsu"):
                self.add(source, replacement, regex=True)
            else:
                self._not_read(f"{one_line(find)}: {one_line(replacement)}")
            return
        key = self.values.value(find)
        if not isinstance(key, str):
            self._not_read(f"{one_line(find)}: {one_line(replacement)}")
        elif text(pairs.get("onlyModule")) == "true":
            self.add(key + "$", replacement)
        else:
            self.add(key, replacement)

    def _assignment(self, node: Node) -> None:
        """`config.resolve.alias[key] = target`, `config.resolve.alias.key = …`, and
        `config.resolve.alias = {…}`."""
        left, right = unwrapped(node.child_by_field_name("left")), node.child_by_field_name("right")
        if left is None or right is None:
            return
        if _is_alias_option(left):
            self.alias_value(right)
            return
        holder = left.child_by_field_name("object")
        if holder is None or not _is_alias_option(holder):
            return
        if left.type == "member_expression":
            self.add(text(left.child_by_field_name("property")), right)
            return
        key = self.values.value(left.child_by_field_name("index"))
        if isinstance(key, str):
            self.add(key, right)
        else:
            self._not_read(f"{one_line(left)} = {one_line(right)}")

    def _babel_plugin(self, node: Node) -> None:
        """`['module-resolver', { root, alias }]` (the plugin named by a string or `require.resolve`)."""
        items = [c for c in node.named_children if c.type != "comment"]
        if len(items) < 2 or _plugin_name(items[0]) not in RESOLVER_PLUGINS:
            return
        options = self.values.expression(items[1])
        pairs = object_pairs(options) if options is not None and options.type == "object" else {}
        if "alias" in pairs:
            self.alias_value(pairs["alias"])
        root = self.values.expression(pairs["root"]) if "root" in pairs else None
        for each in (root.named_children if root.type == "array" else [root]) if root is not None else ():
            self.add_root(each)

    def add_root(self, folder: Node | str) -> None:
        """A module-resolver `root`: a folder bare specifiers are looked for in first."""
        raw = folder if isinstance(folder, str) else self.values.value(folder)
        shown = f"root: {repr(folder) if isinstance(folder, str) else one_line(folder)}"
        if not isinstance(raw, str) or "*" in raw:
            self._not_read(shown)
            return
        if not raw.startswith(("/", ".", REPO)):
            raw = "./" + raw
        target = self._target(raw, True, shown)
        if target is not None:
            self.found.rules.append(("*", posixpath.join(target, "*") if target else "*"))

    def _not_read(self, shown: str) -> None:
        self.found.not_read.append(shown)


def _is_alias_option(node: Node) -> bool:
    """Is the expression `<something>.resolve.alias`?"""
    node = unwrapped(node) or node
    if node.type != "member_expression" or text(node.child_by_field_name("property")) != "alias":
        return False
    holder = unwrapped(node.child_by_field_name("object"))
    return (
        holder is not None
        and holder.type == "member_expression"
        and (text(holder.child_by_field_name("property")) == "resolve")
    )


def _is_existing(node: Node) -> bool:
    """The aliases set before (`...config.resolve.alias`, `...(config.resolve.alias || {})`): nothing
    the config itself says."""
    node = unwrapped(node) or node
    if node.type == "binary_expression":
        node = unwrapped(node.child_by_field_name("left")) or node
    return _is_alias_option(node)


def _plugin_name(node: Node) -> str | None:
    node = unwrapped(node) or node
    if node.type == "call_expression" and calls(node, "require.resolve"):
        arguments = node.child_by_field_name("arguments")
        return string_value(arguments.named_children[0]) if arguments and arguments.named_children else None
    return string_value(node)
