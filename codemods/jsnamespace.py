"""Whole-module imports bound to a name (`import * as ns`, `const ns = require()`, `const ns = await
import()`, `import ns = require()`) under a rule that renames exports: the module moves when every use of
the name is `ns.Export` or `ns['Export']`, and the renamed exports are renamed at their uses
(`ns.BackButton` -> `ns.Button`). Under a rule that moves the module as it is into one whose
`known_exports` are given, each `ns.Export` is checked against them: one the target lacks keeps the
site where it is, reported (`import * as Dialog from '@radix-ui/react-dialog'` is not `radix-ui`).

A use that is not a member access (`Object.keys(ns)`, `f(ns)`), a name that goes to another module, or
a shadowing declaration leaves the site as it is, reported.

A default import used the same way (`import ReactDOM from 'react-dom'; ReactDOM.useFormState()`, or
`const { useFormState } = ReactDOM`) is the module object only where the module is CommonJS, which the
file does not say: such uses of renamed or moved names are reported, not rewritten.
"""

from __future__ import annotations

from tree_sitter import Node

from codemods.edits import Edit
from codemods.jslocals import Use, occurrences
from codemods.jsplan import Note, Plan
from codemods.jssites import Site, member_edit, member_name, member_taken, pattern_spec
from codemods.rules import ALL, DEFAULT, Match, Target
from depreport.extract.sites import Form, bound_from, text


def follow_namespaces(plan: Plan, root: Node, source: bytes) -> None:
    """Move or report each whole-module site the plan could not decide alone."""
    for site, match in plan.namespaces:
        binding = bound_name(site)
        if binding is None and match.rule.pure:  # `export * from`: nothing to check the names against
            plan.simple.append((site, match.module, []))
            continue
        if binding is None and _value_unread(site):  # loaded for its effects, as `import 'x'` is
            if match.rule.move_all:
                plan.simple.append((site, match.module, []))
            continue
        if binding is None:
            plan.whole_module_note(site, match, "a whole-module import cannot follow")
            continue
        edits, problem, module = _member_edits(plan, root, source, site, match, binding)
        moved_default = _required_default(site, match, binding, root, source)
        if moved_default is not None:
            plan.note(site, moved_default)
        elif problem is not None:
            plan.whole_module_note(site, match, problem)
        elif module is not None:
            plan.simple.append((site, module, []))
            plan.renames.extend(edits)


def _required_default(site: Site, match: Match, binding: Node, root: Node, source: bytes) -> str | None:
    """Why `const X = require(old)` stays when X is never read and old's default export does not go where
    the module goes: where old is CommonJS, require() returns that default itself (gatsby-link's `const
    Link = require('gatsby-link')` under `default = "gatsby:Link"`; evergreen-layers' under a pattern
    merging every evergreen-* package into evergreen-ui, which cannot have each one's default)."""
    target = match.target(DEFAULT)
    required = site.what in (Form.REQUIRE.value, "import = require()") and not site.type_only  # no value
    merged = match.merged_default_problem(DEFAULT)
    if not required or target is None or (target == Target(match.module, DEFAULT) and merged is None):
        return None
    local = text(binding)
    if any(use is Use.REFERENCE for _, use in occurrences(root, source, local)):
        return None  # read: as `X.name` it is the module, and other uses are reported as such
    why = f"{local} is never read, and where {site.specifier} is CommonJS it is its default export"
    if merged is not None:
        return (
            f"{site.what} of {site.specifier} left as it is: {why}, and {merged}; if {local} is the module, "
            f"write const {local} = require('{match.module}') by hand"
        )
    if target == Target(site.specifier, DEFAULT):
        return (
            f"{site.what} of {site.specifier} left as it is: {why}, which rule {match.rule.id!r} keeps "
            f"there; if {local} is the module, write const {local} = require('{match.module}') by hand"
        )
    item = target.name if target.name == local else f"{target.name}: {local}"
    fix = f"const {local}" if target.name == DEFAULT else f"const {{ {item} }}"
    return (
        f"{site.what} of {site.specifier} left as it is: {why}, which rule {match.rule.id!r} sends to "
        f"{target.module} as {target.name}: if so, write {fix} = require('{target.module}') by hand"
    )


def _value_unread(site: Site) -> bool:
    """`require(x);`, `import(x);` or `await import(x);` as a statement, or `import(x).then(() => …)`:
    the module is loaded and its value never read, so no name of it is taken."""
    if site.what not in (Form.REQUIRE.value, Form.DYNAMIC.value):
        return False
    outer, _ = bound_from(site.node)
    parent = outer.parent
    if parent is not None and parent.type == "expression_statement":
        return True
    call = parent.parent if parent is not None and parent.type == "member_expression" else None
    then = parent.child_by_field_name("property") if parent is not None else None
    if site.what != Form.DYNAMIC.value or call is None or then is None or text(then) != "then":
        return False
    called = call.type == "call_expression" and call.child_by_field_name("function") == parent
    arguments = call.child_by_field_name("arguments") if called else None
    callback = arguments.named_children[0] if arguments is not None and arguments.named_children else None
    parameters = callback.child_by_field_name("parameters") if callback is not None else None
    return (
        callback is not None
        and callback.type in ("arrow_function", "function_expression", "function")
        and parameters is not None
        and not parameters.named_children
    )


def report_default_members(plan: Plan, root: Node, source: bytes) -> None:
    """Report each `D.name` and `{ name } = D` of a default import D whose `name` a rule renames or moves."""
    for site, match, local in plan.defaults:
        home = match.target(DEFAULT) or Target(site.specifier, DEFAULT)
        if home.name != DEFAULT:
            continue  # the default became a named export: D is no longer the module's default
        for node, use in occurrences(root, source, local):
            for name, where in _names_taken(node) if use is Use.REFERENCE else []:
                target = match.target(name)
                if target is not None and target != Target(home.module, name):
                    message = _default_member_message(site, match, local, name, where, home.module)
                    plan.notes.append(Note(node.start_point[0] + 1, message))


def _names_taken(node: Node) -> list[tuple[str, str]]:
    """The names a reference to D takes from it, each with how it is written: `D.name`, `{ name } = D`."""
    member = member_taken(node)
    if member is not None:
        return [(member_name(member), f"{text(node)}.{member_name(member)}")]
    parent = node.parent
    if parent is None or parent.type != "variable_declarator" or parent.child_by_field_name("value") != node:
        return []
    pattern = parent.child_by_field_name("name")
    items = pattern.named_children if pattern is not None and pattern.type == "object_pattern" else []
    specs = [spec for spec in map(pattern_spec, items) if spec is not None]
    return [(spec.export, f"{{ {spec.export} }} = {text(node)}") for spec in specs]


def _default_member_message(
    site: Site, match: Match, local: str, name: str, where: str, home: str | None
) -> str:
    """Why `D.name` was left as it is, and what to write where D is the module object."""
    target = match.target(name)
    assert target is not None
    if target.module == home:
        change, fix = f"renames {name} to {target.name}", f"write {local}.{target.name}"
    elif target.name == ALL:
        change = f"makes {name} the whole module {target.module}"
        fix = f"import * as {name} from '{target.module}'"
    elif target.name == DEFAULT:
        change, fix = f"moves {name} to {target.module}", f"import {name} from '{target.module}'"
    else:
        change, fix = f"moves {name} to {target.module}", f"import {{ {target.name} }} from '{target.module}'"
    return (
        f"{where} left as it is: {local} is the default import of {site.specifier}, and rule "
        f"{match.rule.id!r} {change}; if that default is the module object (CommonJS), {fix} by hand"
    )


def bound_name(site: Site) -> Node | None:
    """The name a whole-module site binds: `* as ns`, `const ns = require()` or `await import()`,
    `import ns = require()`."""
    if site.namespace is not None:
        if site.default is not None:
            return None  # `import D, * as ns`: the default would need its own statement
        return next((c for c in site.namespace.named_children if c.type == "identifier"), None)
    node = site.node
    if site.what == "import = require()":
        clause = next((c for c in node.named_children if c.type == "import_require_clause"), None)
        return next((c for c in clause.named_children if c.type == "identifier"), None) if clause else None
    if site.what not in (Form.REQUIRE.value, Form.DYNAMIC.value):
        return None
    outer, awaited = bound_from(node)  # `import()` gives a promise: only its awaited value is the module
    declarator = outer.parent
    if (site.what == Form.DYNAMIC.value and not awaited) or declarator is None:
        return None
    if declarator.type != "variable_declarator" or declarator.child_by_field_name("value") != outer:
        return None
    name = declarator.child_by_field_name("name")
    return name if name is not None and name.type == "identifier" else None


def _member_edits(
    plan: Plan, root: Node, source: bytes, site: Site, match: Match, binding: Node
) -> tuple[list[Edit], str | None, str | None]:
    """The renames at the uses, a problem, and the module the site moves to (None: it stays)."""
    edits: list[Edit] = []
    local = text(binding)
    stays: str | None = None  # a use whose name stays in the old module
    moves: str | None = None  # a use whose name moves
    for node, use in occurrences(root, source, local):
        line = node.start_point[0] + 1
        if use in (Use.DECLARATION, Use.IMPORTED) and node.start_byte != binding.start_byte:
            return [], f"{local} is also declared at line {line}", None
        if use is not Use.REFERENCE:
            continue
        member = member_taken(node)
        if member is None and match.rule.pure:
            continue  # the whole module moves; only the names taken from it can be checked
        if member is None:
            return [], f"{local} is used as a whole at line {line}", None
        name = member_name(member)
        plan.imported.setdefault(match.rule.id, set()).add(name)
        target = plan.target(match, name, site)
        kept = target == Target(site.specifier, name) and match.module != site.specifier  # left where it is
        if target is None or kept:
            stays = stays or f"{local}.{name} (line {line}) stays in {site.specifier}"
        elif target.module != match.module:
            return [], f"{local}.{name} (line {line}) goes to {target.module}", None
        else:
            moves = moves or f"{local}.{name} (line {line}) goes to {match.module}"
            if target.name != name:
                edits.append(member_edit(member, target.name))
    if stays and moves:
        return [], f"{moves} but {stays}", None
    return edits, None, None if stays or not (moves or match.rule.move_all) else match.module
