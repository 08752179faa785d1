"""The codemod engine behind `depreport migrate`: rewrite imports across many files from TOML rules.

    rules = load_rules(Path("rules.toml"))          # codemods.rulefile: TOML -> RuleSet, checked
    result = migrate_source(source, "tsx", rules)    # one file's bytes -> new bytes + reported sites
    for outcome in run_migration(tasks, rules, RunOptions(write=True, jobs=2)): ...

JS/TS/TSX files: tree-sitter sites (codemods.jssites) -> a plan (jsplan, jsnamespace, jslocals) ->
byte edits (jsemit, jslists) applied from the end (edits) -> the result parsed again (js). Python files:
a libcst transformer (py, pylocals). Outcomes per file are values (runner); the CLI prints them.
"""

from __future__ import annotations

from codemods.rulefile import load_rules, parse_rules
from codemods.runner import FileOutcome, Outcome, RunOptions, Task, migrate_source, run_migration

__all__ = [
    "FileOutcome", "Outcome", "RunOptions", "Task", "load_rules", "migrate_source", "parse_rules",
    "run_migration",
]  # fmt: skip
