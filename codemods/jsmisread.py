"""Import statements whose names the grammar reads with an error among them (Flow's `import type { A }` in
a .js file the TSX grammar cannot read either: the JavaScript grammar takes A for a value). Their names
are never edited nor merged into; only a whole module renamed as it is has its string rewritten."""

from __future__ import annotations

from codemods.jsplan import Plan, line_of
from codemods.jssites import Site
from codemods.rules import IMPORT_KINDS, Match
from depreport.extract.exportclause import misread_type_name

# Why such a site is left as it is.
MISREAD = (
    "the grammar reads this statement with a syntax error (Flow syntax in a .js file, such as "
    "`import type`, that the TSX grammar cannot read either?), so its names may be misread; "
    "change it by hand"
)


def misread(site: Site) -> bool:
    """Are the names of an import or re-export read with an error among them? (Flow's `import type { A }`
    in a .js file: the JavaScript grammar takes A for a value.) `export type * from` and `import defer
    * as ns` have errors too, but no list of names to misread; an error after the module string (a
    semicolon the grammar finds missing before JSX on the next line) is not among the names."""
    if not site.node.has_error or (site.items is None and site.default is None):
        return False
    stack = [c for c in site.node.children if c.start_byte < site.string.start_byte]
    while stack:
        node = stack.pop()
        if (node.is_error or node.is_missing) and not misread_type_name(node):
            return True
        if node.has_error:
            stack.extend(node.children)
    return False


def plan_misread(plan: Plan, site: Site, match: Match) -> None:
    """A misread site a rule matched: its module string is rewritten when the rule renames the whole
    module as it is, else the site is reported."""
    plan.matched.setdefault(match.rule.id, line_of(site))
    if match.rule.pure and match.rule.kinds == frozenset(IMPORT_KINDS):
        plan.simple.append((site, match.module, []))
    else:
        plan.note(site, f"{site.what or 'import'} of {site.specifier} left as it is: {MISREAD}")
