"""Which rules matched a site of a file, so that a run can list the rules that matched none.

The JS and Python engines say it themselves (`Result.matched`: for Python, every dotted name the file
imports or uses through an import); for a Python file libcst could not read, the imports are read with
the scan's extractor: a rule matched when it matches a module the file imports (`from pkg import sub`
also tries `pkg.sub`).
"""

from __future__ import annotations

from codemods.js import Result
from codemods.pybindings import FileNames
from codemods.ruleindex import any_start
from codemods.rules import PYTHON, RULE_LANGUAGE, RuleSet
from depreport.extract import extract_imports


def matched_rules(result: Result, source: bytes, language: str, rules: RuleSet) -> tuple[str, ...]:
    """The ids of the rules that matched a site of the file, sorted."""
    if result.matched is not None:
        return tuple(sorted(result.matched))
    starts = any_start(rules.prefixes(PYTHON), b".")  # the first part: `from pkg import sub`
    if RULE_LANGUAGE.get(language) != PYTHON or not starts.search(source):
        return ()
    found: set[str] = set()
    for record in extract_imports(source, language).imports:
        for module in (record.specifier, f"{record.specifier}.{record.export}"):
            match = rules.match(module, PYTHON)
            if match is not None:
                found.add(match.rule.id)
    return tuple(sorted(found))


def python_matched(rules: RuleSet, names: FileNames) -> frozenset[str]:
    """The ids of the rules that match a name a Python file imports or uses (`a.b.C` tries `a`, `a.b`
    and `a.b.C`), as codemods.py reads them."""
    spelled: set[str] = set()
    for binding in names.bindings:
        for name in [binding.qualified, *(".".join([use.qualified, *use.attrs]) for use in binding.uses)]:
            parts = name.split(".")
            spelled.update(".".join(parts[:k]) for k in range(1, len(parts) + 1))
    found = (rules.match(name, PYTHON) for name in spelled)
    return frozenset(match.rule.id for match in found if match is not None)
