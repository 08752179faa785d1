"""Module calls of test runners and resolvers (`jest.mock('x')`, `require.resolve('x')`): whether one
follows a rule, and what to do by hand when it cannot.

A mock replaces the whole module it names, so it follows a rule only when the module is renamed one to
one. When names move into a module that holds more (many modules merged into one, one export moved into
a bigger module), the mock stays where it is, reported: mocking the target would replace all of it.
Resolvers and unmocks use only the path: they follow any rule that sends every export to one module.
"""

from __future__ import annotations

from codemods.jssites import Site
from codemods.rules import Match, RuleSet

# Calls that replace the module they name (with a factory, or an automock of every export).
_MOCKS = frozenset({"jest.mock", "jest.doMock", "jest.setMock", "vi.mock", "vi.doMock"})
# Calls that use only the module's path, not the names it exports (when given just the path).
_PATH_ONLY = frozenset({"require.resolve", "import.meta.resolve", "jest.unmock", "jest.dontMock", "vi.unmock",
                        "vi.doUnmock", "jest.mock", "jest.doMock", "vi.mock", "vi.doMock"})  # fmt: skip


def follow_call(site: Site, match: Match, rules: RuleSet) -> tuple[str | None, str | None]:
    """The module a call's string becomes (None: it stays), and a note when it is left for a person."""
    rule = match.rule
    automock = _names_only_the_path(site)
    whole = rule.move_all and rule.single_target  # every moved name goes to match.module
    if site.what.removesuffix("()") not in _MOCKS:
        return (match.module, None) if rule.pure or (automock and whole) else (None, _by_hand(site, match))
    unchanged = match.module == site.specifier
    if rules.renamed_one_to_one(match) or (unchanged and rule.pure):
        return match.module, None
    if unchanged and automock and whole:
        return None, None  # renamed inside the module: the automock still covers every export
    if rule.pure or (automock and whole):
        return None, _merged_mock(site, match)
    return None, _by_hand(site, match)


def _by_hand(site: Site, match: Match) -> str:
    return (
        f"{site.what} of {site.specifier} left as it is: rule {match.rule.id!r} renames or moves single "
        "exports; change this by hand"
    )


def _merged_mock(site: Site, match: Match) -> str:
    actual = "await vi.importActual" if site.what.startswith("vi.") else "jest.requireActual"
    return (
        f"{site.what} of {site.specifier} left as it is: a mock replaces a whole module, and rule "
        f"{match.rule.id!r} moves {site.specifier} into {match.module}, which holds more; mock the moved "
        f"names in {match.module} by hand, spreading {actual}('{match.module}')"
    )


def _names_only_the_path(site: Site) -> bool:
    """True for a resolver, an unmock, or an automock (`jest.mock('x')` without a factory)."""
    arguments = site.node.child_by_field_name("arguments")
    alone = arguments is not None and arguments.named_child_count == 1
    return site.what.removesuffix("()") in _PATH_ONLY and (alone or "resolve" in site.what)
