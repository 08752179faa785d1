"""Import declarations of one module after planning: merged into one statement, and duplicates dropped.

`merge` runs once every site is planned; `dedupe` once local renames are settled (a binding whose local
name is a rename still to be decided is no duplicate yet).
"""

from __future__ import annotations

from tree_sitter import Node

from codemods.jscomments import has_comments, own_comments
from codemods.jsleft import dropped_left
from codemods.jsplan import Binding, Decl, Note, Plan
from codemods.jssites import SiteKind
from codemods.rules import DEFAULT
from depreport.extract.sites import text


def dedupe(plan: Plan) -> None:
    """Drop a binding that its declaration already has (same export, same local); a value import the
    rewrite wrote of a name another top-level import of the same module binds already (statements
    that stay apart: a comment pins one, or a rule renames names inside one module, `{ PseudoBox }` beside
    `{ Box }`); and a type-only import of a name the file imports as a value from the same module too,
    where the rewrite wrote either of them: both would declare the name (`import type { Dialog }` beside
    an `import * as DialogPrimitive` become `import { Dialog }`); the value import serves the types too."""
    values: dict[tuple[str, str, str], bool] = {}  # (module, export, local) -> written by the rewrite
    specs: dict[int, frozenset[int]] = {}  # for _written
    keepers: dict[tuple[str, str, str], tuple[bool, tuple[int, int], Decl]] = {}
    for decl in plan.decls:
        if decl.kind is SiteKind.IMPORT and not decl.type_only and not decl.deleted:
            for binding in decl.bindings:
                if not binding.type_only:
                    key = (decl.module, binding.export, binding.local)
                    written = _written(decl, binding, specs)
                    values[key] = values.get(key, False) or written
                    if decl.anchor.top_level and (
                        key not in keepers or (written, decl.position) < keepers[key][:2]
                    ):
                        keepers[key] = (written, decl.position, decl)
    before = [(decl, b) for decl in plan.decls for b in decl.bindings if b.spec is not None]
    for decl in plan.decls:
        seen: set[tuple[str, str]] = set()
        unique, twins = [], []
        for binding in decl.bindings:
            key = (decl.module, binding.export, binding.local)
            twin = values.get(key)
            typed = decl.kind is SiteKind.IMPORT and (decl.type_only or binding.type_only)
            if typed and twin is not None and (twin or _written(decl, binding, specs)):
                continue
            top_value = decl.kind is SiteKind.IMPORT and not typed and decl.anchor.top_level
            keeper = keepers.get(key) if top_value else None
            if keeper is not None and keeper[2] is not decl and _written(decl, binding, specs):
                twins.append(keeper[2])
                continue
            if (binding.export, binding.local) not in seen:
                seen.add((binding.export, binding.local))
                unique.append(binding)
        if decl.bindings and not unique:
            decl.deleted = True
            _note_comments_gone(plan, decl, twins[0] if twins else None)
        decl.bindings = unique
    kept = {id(b) for decl in plan.decls for b in decl.bindings}
    gone = [(b.spec, decl.module) for decl, b in before if id(b) not in kept and not decl.existing]
    plan.notes.extend(Note(line, message) for line, message in dropped_left(gone))


def _note_comments_gone(plan: Plan, decl: Decl, twin: Decl | None) -> None:
    """A statement that gives way to another import of its names takes its own comments with it (a
    `// @ts-expect-error` left behind would apply to the next statement): say which."""
    comments = own_comments(decl.anchor.node, decl.anchor.items) if decl.existing else []
    if comments:
        names = ", ".join(sorted({b.local for b in decl.bindings}))
        quoted = "; ".join(text(c).splitlines()[0] for c in comments)
        if twin is None:
            why = f"import type of {names} from {decl.module} removed (the value import serves its types too)"
        else:
            line = twin.anchor.node.start_point[0] + 1
            why = f"import of {names} from {decl.module} removed (line {line} imports it already)"
        plan.note(decl.anchor, f"{why}, and with it its comments: {quoted}")


def merge(plan: Plan) -> None:
    """Merge import declarations of one module into one; only when one of them changed.

    The survivor is the import the file already had of that module, where it stands; else a
    statement with comments; else the first. A statement with comments in it, on its line or on
    the line above is never merged away (a `// eslint-disable-next-line` would then apply to
    another statement): it keeps its own names.
    """
    groups: dict[tuple[str, bool, bytes | None], list[Decl]] = {}
    for decl in plan.decls:
        if decl.kind is SiteKind.IMPORT and decl.anchor.top_level and not decl.whole_module:
            groups.setdefault((decl.module, decl.type_only, attributes(decl.anchor.node)), []).append(decl)
    for group in groups.values():
        if len(group) > 1 and any(d.changed or not d.existing for d in group):
            survivor = min(group, key=lambda d: (d.changed or not d.existing, not pinned(d), d.position))
            kept = _Kept(survivor)
            for other in sorted(group, key=lambda d: d.position):
                if other is not survivor and not pinned(other):
                    _merge_into(survivor, other, kept)


def attributes(statement: Node) -> bytes | None:
    """An import statement's attributes (`with { type: 'json' }`, or `assert`), as written; None without.
    They ask for a kind of load (a JSON module, a Bun macro): imports that differ in them are no merge."""
    found = next((c for c in statement.children if c.type == "import_attribute"), None)
    return found.text if found is not None else None


def _written(decl: Decl, binding: Binding, specs: dict[int, frozenset[int]]) -> bool:
    """Is a binding written by the rewrite, rather than left where and as the file had it? `specs`
    keeps the ids of each statement's own specifiers, listed once (a list of 8,000 names searched
    for each of its names took 2 s)."""
    anchor = decl.anchor
    if not decl.existing or decl.module != anchor.specifier or binding.renamed_from is not None:
        return True
    if binding.slot is not None:
        return binding.slot != anchor.default or binding.export != DEFAULT
    spec = binding.spec
    if spec is None:
        return True
    own = specs.get(id(anchor))
    if own is None:
        own = specs[id(anchor)] = frozenset(map(id, anchor.specs))
    return id(spec) not in own or spec.export != binding.export


def pinned(decl: Decl) -> bool:
    """True when a statement that stays (or is written anew) has comments that belong to it: keep it."""
    return (decl.existing or decl.replaces) and has_comments(decl.anchor.node, decl.anchor.items)


class _Kept:
    """What a survivor binds, kept up to date as statements merge into it: 5,000 imports of one module,
    each merged into the first, listed its growing bindings each time (6.5 s; 10,000: 27 s)."""

    def __init__(self, survivor: Decl) -> None:
        self.keys = {(b.export, b.local, b.renamed_from) for b in survivor.bindings}
        self.default = next((b.local for b in survivor.bindings if b.export == DEFAULT), None)


def _merge_into(survivor: Decl, other: Decl, kept: _Kept) -> None:
    """Move `other`'s bindings into `survivor`, but for those it already has. A binding whose local name
    is a rename still to be decided (`locals = "rename"`, declined where the new name is shadowed) is no
    duplicate yet: `dedupe` drops what is left the same once renames are settled."""
    default = kept.default
    theirs = next((b.local for b in other.bindings if b.export == DEFAULT), None)
    if default is not None and theirs is not None and default != theirs:
        return  # two default imports cannot share a statement
    if survivor.type_only and (default or theirs) and len(survivor.bindings) + len(other.bindings) > 1:
        return  # `import type D, {T}` is not allowed
    added = [b for b in other.bindings if (b.export, b.local, b.renamed_from) not in kept.keys]
    survivor.bindings.extend(added)
    kept.keys.update((b.export, b.local, b.renamed_from) for b in added)
    kept.default = default if default is not None else theirs
    survivor.changed = True
    other.deleted = True
