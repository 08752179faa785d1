"""Imports that rules add to the files they match (`[[rule.add]]`), and side-effect imports that a rename
made identical.

An added import goes after the file's last top-level import, written like it; it is added once: not
when the file already imports it, and into the file's import of that module when there is one (the
plan's merge). A file with no import statement to stand with, or a name already taken, is reported.
"""

from __future__ import annotations

from tree_sitter import Node

from codemods.jscomments import has_comments
from codemods.jslocals import Use, occurrences
from codemods.jsmerge import attributes
from codemods.jsplan import Binding, Decl, Note, Plan
from codemods.jssites import Site, SiteKind, find_sites, site_of
from codemods.rules import Add, Rule


def plan_adds(plan: Plan, root: Node, body: bytes) -> None:
    """Plan the imports that the rules which matched a site add."""
    wanted = [(rule, add) for rule in plan.rules.adding if rule.id in plan.importers for add in rule.adds]
    anchor: Site | None = None
    for rule, add in wanted:
        if add.when and not add.when & plan.imported.get(rule.id, set()):
            continue
        if _present(plan, root, body, add):
            continue
        problem = _taken(plan, root, body, add)
        anchor = anchor or last_import(root)
        if problem is None and anchor is None:
            problem = "the file has no import statement to put it with"
        if problem is not None:
            plan.notes.append(Note(plan.matched[rule.id], _message(rule, add, problem)))
            continue
        assert anchor is not None
        bindings = [] if add.name is None else [Binding(add.name, add.name)]
        plan.decls.append(Decl(SiteKind.IMPORT, add.module, False, bindings, anchor, existing=False))


def _message(rule: Rule, add: Add, problem: str) -> str:
    what = f"import '{add.module}'" if add.name is None else f"import {{ {add.name} }} from '{add.module}'"
    return f"rule {rule.id!r} adds {what}, not added: {problem}; add it by hand"


def _present(plan: Plan, root: Node, body: bytes, add: Add) -> bool:
    """True when the file imports the module (a side-effect add) or the name from it (a named add)."""
    for decl in plan.decls:
        names = {b.export for b in decl.bindings}
        if decl.module == add.module and not decl.deleted and (add.name is None or add.name in names):
            return True
    if any(module == add.module for _, module, _ in plan.simple) and add.name is None:
        return True
    sites = find_sites(root, body, (add.module.encode(),), add.module.__eq__)
    return any(add.name is None or any(s.export == add.name for s in site.specs) for site in sites)


def _taken(plan: Plan, root: Node, body: bytes, add: Add) -> str | None:
    if add.name is None:
        return None
    for node, use in occurrences(root, body, add.name):
        if use in (Use.DECLARATION, Use.IMPORTED):
            return f"{add.name} is already declared at line {node.start_point[0] + 1}"
    return None


def last_import(root: Node) -> Site | None:
    """The file's last top-level import statement without attributes, as a site (an added import is
    written like it, and joins the file's import of its module only where that one has none)."""
    for node in reversed(root.named_children):
        plain = node.type == "import_statement" and attributes(node) is None
        string = node.child_by_field_name("source") if plain else None
        site = site_of(string) if string is not None else None
        if site is not None:
            return site
    return None


def dedupe_side_effects(plan: Plan) -> None:
    """Delete a top-level `import 'x'` that a rename made the same as another one (the one that was
    already there, else the first, stays; a statement with its own comments stays too)."""
    groups: dict[tuple[str, bytes | None], list[Site]] = {}
    for site, module in plan.side_effects:
        groups.setdefault((module, attributes(site.node)), []).append(site)
    for (module, _), sites in groups.items():
        if len(sites) < 2:
            continue
        keep = min(sites, key=lambda s: (s.specifier != module, s.node.start_byte))
        gone = {id(s) for s in sites if s is not keep and s.specifier != module and not has_comments(s.node)}
        plan.removed.extend(s.node for s in sites if id(s) in gone)
        plan.simple = [entry for entry in plan.simple if id(entry[0]) not in gone]
