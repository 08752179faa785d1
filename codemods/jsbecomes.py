"""Sites of a module that a rule makes one named export of another (`to = "radix-ui"`, `as = "Dialog"`),
as radix-ui's own migration does (shadcn's migrate-radix); with `old` for '@radix-ui/react-dialog':

    import * as X from 'old'              ->  import { Dialog as X } from 'radix-ui'
    import type * as X from 'old'         ->  import type { Dialog as X } from 'radix-ui'
    const X = require('old')              ->  const { Dialog: X } = require('radix-ui')   (await import() too)
    const { Root } = await import('old')  ->  const { Dialog: { Root } } = await import('radix-ui')
    require('old').Root                   ->  require('radix-ui').Dialog.Root   (typeof import('old') too)
    export * as X from 'old'              ->  export { Dialog as X } from 'radix-ui'
    import { Root } from 'old'            ->  import { Dialog } from 'radix-ui', and each Root -> Dialog.Root

A named import is rewritten only when every use of its names can be written as a member (`<Root>`,
`Root.x`, a type, `{ Root }` -> `{ Root: Dialog.Root }`) and `Dialog` names nothing else in the file
(else the uses become members of an `import * as X` of the same module, when the file has one); otherwise,
and for what has no such spelling (a default import, `export { Root } from`, `export * from`, a
side-effect import, `import x = require()`, an import() not awaited, a mock), the site is reported with
what to write.
"""

from __future__ import annotations

from tree_sitter import Node

from codemods.edits import Edit
from codemods.jscomments import has_comments
from codemods.jslocals import Use, occurrences
from codemods.jsnamespace import bound_name
from codemods.jsplan import Binding, Decl, Plan, import_kind, line_of
from codemods.jssites import SIDE_EFFECT_IMPORT, Site, SiteKind
from codemods.rules import Locals, Match
from depreport.extract.sites import MODULE_CALLS, Form, bound_from, string_value, text


def plan_becomes(plan: Plan, site: Site, match: Match, root: Node, body: bytes) -> None:
    """Plan one site of a module that becomes a named export of `match.module`."""
    rule = match.rule
    if import_kind(site) not in rule.kinds:
        return
    plan.matched.setdefault(rule.id, line_of(site))
    if site.what.removesuffix("()") not in MODULE_CALLS:
        plan.importers.add(rule.id)
    if site.kind is SiteKind.IMPORT:
        _import(plan, site, match, root, body)
    elif site.kind is SiteKind.PATTERN:
        _pattern(plan, site, match)
    elif site.kind is SiteKind.MEMBER:
        _member(plan, site, match)
    elif site.kind is SiteKind.EXPORT:
        _reexport(plan, site, match)
    else:
        _whole(plan, site, match)


def _reexport(plan: Plan, site: Site, match: Match) -> None:
    name = _name(match)
    names = ", ".join(f"export const {s.local} = {_member_text(name, s.export)}" for s in site.specs)
    why = f"its names are members of that export, which cannot be re-exported by name from {match.module}"
    _left(plan, site, match, why, f"import {{ {name} }} from '{match.module}' and {names}")


def _name(match: Match) -> str:
    assert match.rule.becomes is not None
    return match.rule.becomes


def _member_text(namespace: str, export: str) -> str:
    return f"{namespace}.{export}" if export.isidentifier() else f"{namespace}[{export!r}]"


def _left(plan: Plan, site: Site, match: Match, why: str, fix: str) -> None:
    what = site.what or ("export {…} from" if site.kind is SiteKind.EXPORT else "import")
    plan.note(
        site,
        f"{what} of {site.specifier} left as it is: rule {match.rule.id!r} makes {site.specifier} the "
        f"export {_name(match)} of {match.module}, and {why}; write by hand: {fix}",
    )


def _replace(plan: Plan, site: Site, match: Match, type_only: bool, binding: Binding) -> None:
    """The import statement is written anew (`import { Dialog as X } from 'radix-ui'`) where it stands."""
    plan.removed.append(site.node)
    decl = Decl(SiteKind.IMPORT, match.module, type_only, [binding], site, existing=False, replaces=True)
    plan.decls.append(decl)


def _import(plan: Plan, site: Site, match: Match, root: Node, body: bytes) -> None:
    name = _name(match)
    if site.default is not None:
        local = text(site.default)
        _left(plan, site, match, f"its default export is {name}.default",
              f"import {{ {name} }} from '{match.module}' and write {name}.default for {local}")  # fmt: skip
    elif site.namespace is not None:
        local_node = bound_name(site)
        assert local_node is not None
        local = text(local_node)
        binding = Binding(name, local, slot=local_node)
        if match.rule.locals is Locals.RENAME and local != name:
            binding.renamed_from, binding.local = local, name
        _replace(plan, site, match, site.type_only, binding)
    elif not site.specs:
        _left(plan, site, match, "an import of no names has nothing to take from it",
              f"import '{match.module}' if its side effects are what is needed")  # fmt: skip
    else:
        _named(plan, site, match, root, body)


def _named(plan: Plan, site: Site, match: Match, root: Node, body: bytes) -> None:
    """`import { Root, Trigger as T }`: import the namespace and write every use as a member of it; or,
    when the file also has `import * as X` of the module, a member of X."""
    name = _name(match)
    problem = _uses_problem(site, root, body)
    alias = None
    if problem is None:
        problem = _name_taken(site, match, root, body)
        alias = _namespace_alias(site, root, body) if problem is not None else None
    if problem is not None and alias is None:
        taken = _name_taken(site, match, root, body) is not None  # then import it under another name
        local = "<Alias>" if taken else name
        uses = ", ".join(f"{_member_text(local, s.export)} for {s.local}" for s in site.specs)
        spelled = f"{name} as {local}" if taken else name
        _left(plan, site, match, problem, f"import {{ {spelled} }} from '{match.module}' and write {uses}")
        return
    for spec in site.specs:
        member = _member_text(alias or name, spec.export)
        for node, use in occurrences(root, body, spec.local):
            if use is Use.REFERENCE:
                plan.renames.append(Edit(node.start_byte, node.end_byte, member.encode()))
            elif use is Use.SHORTHAND:
                plan.renames.append(Edit(node.start_byte, node.end_byte, f"{spec.local}: {member}".encode()))
    if alias is not None:
        plan.removed.append(site.node)
        return
    type_only = site.type_only or all(spec.type_only for spec in site.specs)
    _replace(plan, site, match, type_only, Binding(name, name))


def _namespace_alias(site: Site, root: Node, body: bytes) -> str | None:
    """X of an `import * as X` of the same module in the file, declared nowhere else (the named import
    can then go: its uses become members of X), or None."""
    if has_comments(site.node, site.items):
        return None
    for statement in root.named_children:
        source = statement.child_by_field_name("source") if statement.type == "import_statement" else None
        if statement == site.node or source is None or string_value(source) != site.specifier:
            continue
        clause = next((c for c in statement.named_children if c.type == "import_clause"), None)
        parts = clause.named_children if clause is not None else []
        if len(parts) == 1 and parts[0].type == "namespace_import" and parts[0].named_children:
            alias = text(parts[0].named_children[0])
            if not any(c.type == "type" for c in statement.children) and _declared_once(alias, root, body):
                return alias
    return None


def _declared_once(name: str, root: Node, body: bytes) -> bool:
    """True when `name` is declared or imported only once in the file."""
    found = [node for node, use in occurrences(root, body, name) if use in (Use.DECLARATION, Use.IMPORTED)]
    return len(found) == 1


def _uses_problem(site: Site, root: Node, body: bytes) -> str | None:
    """Why the uses of a named import cannot all become members, or None."""
    for spec in site.specs:
        for node, use in occurrences(root, body, spec.local):
            line = node.start_point[0] + 1
            inside = site.node.start_byte <= node.start_byte < site.node.end_byte
            if use in (Use.DECLARATION, Use.IMPORTED) and not inside:
                return f"{spec.local} is also declared at line {line}"
            if use is Use.EXPORTED:
                return f"{spec.local} is exported by name at line {line}, which a member cannot be"
    return None


def _name_taken(site: Site, match: Match, root: Node, body: bytes) -> str | None:
    """Why the export's name cannot be imported into the file, or None."""
    name = _name(match)
    if name in {spec.local for spec in site.specs}:
        return None  # its uses are the ones rewritten
    found = list(occurrences(root, body, name))
    imported = any(_imported_from(node, match.module, name) for node, _ in found)
    for node, use in found:
        if use is Use.OTHER or _imported_from(node, match.module, name):
            continue
        if imported and use in (Use.REFERENCE, Use.SHORTHAND, Use.EXPORTED):
            continue  # a use of that same import (`import type { Dialog }`: Dialog.DialogProps)
        return f"{name} already names something else at line {node.start_point[0] + 1}"
    return None


def _imported_from(node: Node, module: str, name: str) -> bool:
    """True for `{ name }` in an import of `module`: the name the rewrite imports is already there."""
    spec = node.parent
    if spec is None or spec.type != "import_specifier" or spec.child_by_field_name("alias") is not None:
        return False
    statement = spec.parent.parent.parent if spec.parent and spec.parent.parent else None
    source = statement.child_by_field_name("source") if statement is not None else None
    return source is not None and string_value(source) == module and text(node) == name


def _pattern(plan: Plan, site: Site, match: Match) -> None:
    """`const { Root } = require(old)` -> `const { Dialog: { Root } } = require(new)`."""
    items = site.items
    assert items is not None
    holder = items.parent
    if holder is not None and holder.child_by_field_name("type") is not None:
        _left(plan, site, match, "its destructuring has a type annotation, which would no longer fit",
              f"destructure {{ {_name(match)}: {text(items)} }} and change the annotation")  # fmt: skip
        return
    pad = " " if text(items)[1:2].isspace() else ""
    plan.renames.append(Edit(items.start_byte, items.start_byte, f"{{{pad}{_name(match)}: ".encode()))
    plan.renames.append(Edit(items.end_byte, items.end_byte, f"{pad}}}".encode()))
    plan.simple.append((site, match.module, []))


def _member(plan: Plan, site: Site, match: Match) -> None:
    """`require(old).Root` -> `require(new).Dialog.Root`."""
    holder = site.node.child_by_field_name("object") or site.node.child_by_field_name("module")
    if holder is None:
        _left(plan, site, match, "the member taken is not one it can write", f"{_name(match)}.<member>")
        return
    plan.renames.append(Edit(holder.end_byte, holder.end_byte, f".{_name(match)}".encode()))
    plan.simple.append((site, match.module, []))


def _whole(plan: Plan, site: Site, match: Match) -> None:
    name, module = _name(match), match.module
    spelled = f"{{ {name} }}" if site.what == "export * from" else ""
    if site.what.removesuffix("()") in MODULE_CALLS:
        _left(plan, site, match, "a mock or a resolver names a whole module",
              f"mock or resolve {module} and its export {name}")  # fmt: skip
    elif site.what == SIDE_EFFECT_IMPORT:
        _left(plan, site, match, "a side-effect import binds no name to take it from",
              f"import '{module}' if its side effects are what is needed, else remove it")  # fmt: skip
    elif site.what == "export * from":
        _export_all(plan, site, match, spelled)
    elif site.what == "import = require()":
        local = bound_name(site)
        _left(plan, site, match, "`import x = require()` binds the whole module",
              f"import {{ {name} as {text(local) if local else 'x'} }} from '{module}'")  # fmt: skip
    elif site.what in (Form.REQUIRE.value, Form.DYNAMIC.value):
        _call(plan, site, match)
    else:
        _left(plan, site, match, "this site has no spelling for one export", f"take {name} from {module}")


def _export_all(plan: Plan, site: Site, match: Match, spelled: str) -> None:
    """`export * as X from old` -> `export { Dialog as X } from new`; `export * from old` is reported."""
    name = _name(match)
    star = next((c for c in site.node.named_children if c.type == "namespace_export"), None)
    alias = star.named_children[0] if star is not None and star.named_children else None
    if star is None or alias is None:
        fix = (
            f"import {{ {name} }} from '{match.module}' and export const <Name> = {name}.<Name> for each "
            f"name (or export {spelled} from '{match.module}' where importers can write {name}.<Name>)"
        )
        _left(plan, site, match, "it re-exports each name of the module, now members of that export", fix)
        return
    local = text(alias)
    item = name if local == name else f"{name} as {local}"
    plan.renames.append(Edit(star.start_byte, star.end_byte, f"{{ {item} }}".encode()))
    plan.simple.append((site, match.module, []))


def _call(plan: Plan, site: Site, match: Match) -> None:
    """`const X = require(old)` / `await import(old)` -> `const { Dialog: X } = …(new)`; a `require(old)`
    used otherwise -> `require(new).Dialog`; an import() not awaited is reported."""
    name = _name(match)
    local = bound_name(site)
    if local is not None:
        spelled = name if text(local) == name else f"{name}: {text(local)}"
        plan.renames.append(Edit(local.start_byte, local.end_byte, f"{{ {spelled} }}".encode()))
    elif site.what == Form.REQUIRE.value or site.type_only:  # `typeof import(old)`: a type
        outer, _ = bound_from(site.node)
        plan.renames.append(Edit(outer.end_byte, outer.end_byte, f".{name}".encode()))
    elif bound_from(site.node)[1]:  # `f(await import(old))` -> `f((await import(new)).Dialog)`
        outer, _ = bound_from(site.node)
        plan.renames.append(Edit(outer.start_byte, outer.start_byte, b"("))
        plan.renames.append(Edit(outer.end_byte, outer.end_byte, f").{name}".encode()))
    else:
        _left(plan, site, match, "an import() not awaited gives a promise of the whole module",
              f"import('{match.module}').then((module) => module.{name})")  # fmt: skip
        return
    plan.simple.append((site, match.module, []))
