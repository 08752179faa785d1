"""What each import site of a file becomes: declarations (module + bindings) and notes on skipped sites.

Planning decides; codemods.jsemit turns the plan into byte edits. Declarations that end up importing
from the same module are merged into the first of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tree_sitter import Node

from codemods.edits import Edit
from codemods.jscalls import follow_call
from codemods.jsleft import directives_left, require_default_left, strays_left
from codemods.jssites import SIDE_EFFECT_IMPORT, Site, SiteKind, Spec, member_name, split_statement
from codemods.rules import ALL, DEFAULT, SIDE_EFFECT, TYPE, VALUE, Locals, Match, RuleSet, Target
from depreport.extract.sites import MODULE_CALLS, text


@dataclass(frozen=True, slots=True)
class Note:
    """A site that was left as it is, and why."""

    line: int
    message: str


@dataclass
class Binding:
    """One imported (or re-exported) name as it will be written."""

    export: str
    local: str
    type_only: bool = False
    spec: Spec | None = None  # the list item it was written as
    slot: Node | None = None  # the default-import identifier it was written as
    renamed_from: str | None = None  # the old local name, when references are to be renamed


@dataclass
class Decl:
    """An import or re-export statement as it will be written: existing (site) or new (after anchor)."""

    kind: SiteKind
    module: str
    type_only: bool
    bindings: list[Binding]
    anchor: Site
    existing: bool
    changed: bool = False
    deleted: bool = False
    replaces: bool = False  # a new statement written in place of its anchor, which is deleted

    @property
    def whole_module(self) -> bool:
        """`import * as Name` / `export * as Name` of a name that became a whole module (`"module:*"`)."""
        return any(binding.export == ALL for binding in self.bindings)

    @property
    def position(self) -> tuple[int, int]:
        """Where it stands in the file (new ones right after their anchor)."""
        return (self.anchor.node.start_byte, 0 if self.existing else 1)


@dataclass
class Plan:
    """Everything decided for one file."""

    rules: RuleSet
    language: str
    decls: list[Decl] = field(default_factory=list)
    simple: list[tuple[Site, str, list[Binding]]] = field(default_factory=list)  # pattern/member/whole
    namespaces: list[tuple[Site, Match]] = field(default_factory=list)  # decided by codemods.jsnamespace
    defaults: list[tuple[Site, Match, str]] = field(default_factory=list)  # default imports' local names
    renames: list[Edit] = field(default_factory=list)  # `ns.Old` -> `ns.New`
    notes: list[Note] = field(default_factory=list)
    matched: dict[str, int] = field(default_factory=dict)  # id of each rule that matched a site -> line
    imported: dict[str, set[str]] = field(default_factory=dict)  # rule id -> old names the file imports
    importers: set[str] = field(default_factory=set)  # ids of the rules that matched an import
    side_effects: list[tuple[Site, str]] = field(default_factory=list)  # `import 'x'` -> the module after
    removed: list[Node] = field(default_factory=list)  # statements to delete (duplicates)
    # destructurings split by module: the site, its statement, the names each other module gets
    splits: list[tuple[Site, Node, list[tuple[str, list[Binding]]]]] = field(default_factory=list)

    def changes_nothing(self) -> bool:
        """No statement to write, rewrite or delete: the file stays as it is."""
        return not (self.decls or self.simple or self.renames or self.removed or self.splits)

    def note(self, site: Site, message: str) -> None:
        """Report a site that stays as it is."""
        self.notes.append(Note(line_of(site), message))

    def target(self, match: Match, export: str, site: Site) -> Target | None:
        """Where one export goes; None when it stays (not moved, or unknown to the target module)."""
        found = match.target(export)
        if found is None or found.module is None:
            return None
        known = self.rules.exports_of(found.module)
        problem = match.merged_default_problem(export)
        named = found.name in (DEFAULT, ALL) or found.name.replace("$", "_").isidentifier()
        if problem is None and not named:  # `default = "*"` on a module named `trim.js`
            problem = f"its {export} export would be named {found.name!r} (from the wildcard): no name"
        if problem is None and known is not None and found.name not in (*known, ALL):
            what = "a default export" if found.name == DEFAULT else f"{found.name!r}"
            problem = f"{found.module} does not export {what} (known_exports)"
        if problem is not None:
            self.note(site, f"{problem}; left in {site.specifier}")
        return None if problem is not None else found

    def add(self, site: Site, match: Match) -> None:
        """Plan one site that a rule matched (unless the rule is limited to other kinds of imports)."""
        if match.rule.keeps:  # the module stays as it is, out of the patterns after the rule
            self.matched.setdefault(match.rule.id, line_of(site))
        elif site.kind in (SiteKind.IMPORT, SiteKind.EXPORT) and site.namespace is None:
            self._list_site(site, match)
        elif import_kind(site) not in match.rule.kinds:
            return
        elif site.kind in (SiteKind.PATTERN, SiteKind.MEMBER):
            self.matched.setdefault(match.rule.id, line_of(site))
            self._single_module_site(site, match)
        else:
            self.matched.setdefault(match.rule.id, line_of(site))
            self._whole_site(site, match)
        if match.rule.id in self.matched and site.what.removesuffix("()") not in MODULE_CALLS:
            self.importers.add(match.rule.id)  # a mock or a resolver does not use the module

    def add_existing(self, site: Site) -> None:
        """An import of a target module that no rule changes: it may receive merged names."""
        if site.kind is SiteKind.IMPORT and site.namespace is None:
            bindings = _bindings(site)
            self.decls.append(Decl(site.kind, site.specifier, site.type_only, bindings, site, existing=True))
        elif site.what == SIDE_EFFECT_IMPORT and site.top_level:
            self.side_effects.append((site, site.specifier))

    def _whole_site(self, site: Site, match: Match) -> None:
        rule = match.rule
        if site.what.removesuffix("()") in MODULE_CALLS:
            module, note = follow_call(site, match, self.rules)
            if module is not None:
                self.simple.append((site, module, []))
            if note is not None:
                self.note(site, note)
        elif (rule.pure and rule.one_to_one and self.rules.exports_of(match.module) is None) or (
            site.what == SIDE_EFFECT_IMPORT and rule.move_all
        ):  # a merging pattern's `ns.default` is checked at its uses (the target has one default)
            self.simple.append((site, match.module, []))
            if site.what == SIDE_EFFECT_IMPORT and site.top_level:
                self.side_effects.append((site, match.module))
        elif site.what == SIDE_EFFECT_IMPORT:
            pass  # move = "listed": the module stays, and so do its side effects
        else:
            self.namespaces.append((site, match))

    def whole_module_note(self, site: Site, match: Match, why: str) -> None:
        """Report a whole-module site that cannot follow a rule that renames or moves single exports."""
        what = "namespace import" if site.namespace is not None else site.what
        self.note(site, f"{what} of {site.specifier} left as it is: rule {match.rule.id!r} renames or "
                        f"moves single exports, which {why}")  # fmt: skip

    def _single_module_site(self, site: Site, match: Match) -> None:
        groups: dict[str, list[Binding]] = {}
        for export, local, spec in _single_bindings(site):
            self.imported.setdefault(match.rule.id, set()).add(export)
            target = self.target(match, export, site)
            binding = Binding(export if target is None else target.name, local, spec=spec)
            if target is not None and target.name == DEFAULT != export and site.what == "require()":
                self.note(site, require_default_left(site, export, target.module))
                return
            if target is not None and target.name == ALL:
                self.note(site, f"{site.what} of {site.specifier} left as it is: {export} becomes the whole "
                                f"module {target.module}, which it cannot take by name; take the module "
                                f"itself (import * as {export} from '{target.module}') by hand")  # fmt: skip
                return
            if target is not None:
                self._maybe_rename_local(site, match, Binding(export, local), binding)
            module = site.specifier if target is None else target.module or site.specifier
            groups.setdefault(module, []).append(binding)
        statement = split_statement(site) if len(groups) > 1 else None
        if len(groups) == 1 or statement is not None:
            keep = site.specifier if site.specifier in groups else next(iter(groups))
            self.simple.append((site, keep, groups.pop(keep)))
        if statement is not None:
            self.splits.append((site, statement, list(groups.items())))
            self._note_left(site, statement, keep, groups)
        elif len(groups) > 1:
            self.note(site, f"{site.what} of {site.specifier} left as it is: its names go to different "
                            f"modules ({', '.join(sorted(groups))})")  # fmt: skip

    def _list_site(self, site: Site, match: Match) -> None:
        groups: dict[str, list[Binding]] = {}
        kinds = match.rule.kinds
        if (TYPE if site.type_only else VALUE) in kinds or (
            TYPE in kinds and any(s.type_only for s in site.specs)
        ):
            self.matched.setdefault(match.rule.id, line_of(site))
        for old in _bindings(site):
            in_scope = (TYPE if site.type_only or old.type_only else VALUE) in kinds
            if in_scope:
                self.imported.setdefault(match.rule.id, set()).add(old.export)
            if in_scope and old.export == DEFAULT and site.kind is SiteKind.IMPORT and not match.rule.pure:
                self.defaults.append((site, match, old.local))
            target = self.target(match, old.export, site) if in_scope else None
            new = Binding(old.export, old.local, old.type_only, old.spec, old.slot)
            if target is not None:
                new.export = target.name
                self._maybe_rename_local(site, match, old, new)
            module = site.specifier if target is None or target.module is None else target.module
            groups.setdefault(module, []).append(new)
        if not groups:
            if match.rule.pure and match.rule.id in self.matched:
                self.simple.append((site, match.module, []))
            return
        wholes = [(m, b) for m, bindings in groups.items() for b in bindings if b.export == ALL]
        groups = {m: [b for b in bs if b.export != ALL] for m, bs in groups.items()}
        groups = {m: bs for m, bs in groups.items() if bs}
        keep = site.specifier if site.specifier in groups else next(iter(groups), None)
        self._note_left(site, site.node, keep, {m: bs for m, bs in groups.items() if m != keep})
        for module, bindings in groups.items():
            decl = Decl(site.kind, module, site.type_only, bindings, site, existing=module == keep)
            decl.changed = module != site.specifier
            self.decls.append(decl)
        if wholes and keep is None:  # nothing else is left of the statement: they are written in its place
            self.removed.append(site.node)
        for module, binding in wholes:
            type_only = site.type_only or binding.type_only
            binding.type_only = False
            decl = Decl(site.kind, module, type_only, [binding], site, existing=False, changed=True)
            decl.replaces = keep is None
            self.decls.append(decl)

    def _note_left(
        self, site: Site, statement: Node, keep: str | None, moved: dict[str, list[Binding]]
    ) -> None:
        """Report what the names written in statements of their own leave behind: a directive above the
        statement, a comment near a name that belongs to no name."""
        names = [b.local or b.export for bindings in moved.values() for b in bindings]
        directive = directives_left(statement, keep, names) if keep is not None else None
        if directive is not None:
            self.note(site, directive)
        for module, bindings in moved.items():
            for message in strays_left(site, module, [(b.local, b.spec) for b in bindings]):
                self.note(site, message)

    def _maybe_rename_local(self, site: Site, match: Match, old: Binding, new: Binding) -> None:
        wants = match.rule.locals is Locals.RENAME and site.kind in (SiteKind.IMPORT, SiteKind.PATTERN)
        wants = wants and not site.parameter  # a callback's parameter: its scope is the callback
        own = old.local == old.export or old.slot is not None  # not `{ Old as Mine }`; a default import's
        if wants and own and new.export not in (old.local, DEFAULT, ALL):  # name is the file's only one
            new.renamed_from, new.local = old.local, new.export


def line_of(site: Site) -> int:
    """The line a site starts on (1-based)."""
    return site.node.start_point[0] + 1


def import_kind(site: Site) -> str:
    """value, type or side-effect: what `imports = [...]` of a rule selects."""
    if site.what == SIDE_EFFECT_IMPORT:
        return SIDE_EFFECT
    return TYPE if site.type_only else VALUE


def _bindings(site: Site) -> list[Binding]:
    found = []
    if site.default is not None:
        found.append(Binding(DEFAULT, text(site.default), slot=site.default))
    found.extend(Binding(s.export, s.local, s.type_only, spec=s) for s in site.specs)
    return found


def _single_bindings(site: Site) -> list[tuple[str, str, Spec | None]]:
    if site.kind is SiteKind.MEMBER and site.member is not None:
        return [(member_name(site.member), "", None)]
    return [(s.export, s.local, s) for s in site.specs]
