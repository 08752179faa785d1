"""`import('x')` in JSDoc comments (`@type {import('@nx/devkit').ModuleFederationConfig}`), and the
`@import { A } from 'x'` tag: type imports that TypeScript reads in checked JavaScript. A member taken
from `import('x')` follows the rule as a named import does (`import('@nx/webpack').ModuleFederationConfig`);
the whole module, and an `@import` tag, follow only a rule that moves it as it is; anything else is
reported (a tag whose names all stay needs nothing). Other comments are not read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tree_sitter import Node

from codemods.edits import Edit
from codemods.jsplan import Note, Plan
from codemods.rules import ALL, DEFAULT, JS, Match
from depreport.extract.sites import text

_DOC_IMPORT = re.compile(rb"import\(\s*(['\"])([^'\"\n]+)\1\s*\)(\.[A-Za-z_$][\w$]*)?")
# TypeScript 5.5's `@import { A } from 'x'` tag: a type-only import statement inside a JSDoc comment
_DOC_IMPORT_TAG = re.compile(
    rb"@import\s+(\{[^}'\"]*\}|\*\s*as\s+[\w$]+|[\w$]+)\s*from\s*(['\"])([^'\"\n]+)\2"
)


def plan_doc_imports(plan: Plan, root: Node, body: bytes) -> None:
    """Rewrite or report each `import('x')` and `@import ... from 'x'` in a JSDoc comment that a rule
    matches."""
    if b"/**" not in body:
        return
    for found, match, line in _matched(plan, root, body, _DOC_IMPORT, 2):
        member = found.group(3)[1:].decode() if found.group(3) else None
        edits, problem = _edits(plan, found, match, member)
        plan.renames.extend(edits)
        if problem is not None:
            plan.notes.append(
                Note(line, f"import('{match.specifier}') in a JSDoc comment left as it is: {problem}")
            )
    for found, match, line in _matched(plan, root, body, _DOC_IMPORT_TAG, 3):
        _plan_import_tag(plan, found, match, line)


def _matched(
    plan: Plan, root: Node, body: bytes, pattern: re.Pattern[bytes], group: int
) -> Iterator[tuple[re.Match[bytes], Match, int]]:
    """Each match of `pattern` in a JSDoc comment whose module (`group`) a rule moves, with its line."""
    prefixes = plan.rules.prefixes(JS)
    for found in pattern.finditer(body):
        specifier = found.group(group).decode("utf-8", "replace")
        match = plan.rules.match(specifier, JS) if found.group(group).startswith(prefixes) else None
        node = root.descendant_for_byte_range(found.start(), found.end())
        if match is None or match.rule.keeps or node is None or not _in_doc_comment(node):
            continue
        line = body.count(b"\n", 0, found.start()) + 1
        plan.matched.setdefault(match.rule.id, line)
        yield found, match, line


def _plan_import_tag(plan: Plan, found: re.Match[bytes], match: Match, line: int) -> None:
    """An `@import ... from 'x'` tag follows a rule that moves the module as it is; names that all stay
    need nothing; anything else is reported."""
    clause = found.group(1).decode("utf-8", "replace").strip()
    names = [item.split()[-1 if item.split()[0] == "type" else 0] for item in _items(clause)]
    if match.rule.pure:
        plan.renames.append(Edit(found.start(3), found.end(3), match.module.encode()))
    elif not (names and all(match.target(name) is None for name in names)):
        why = f"rule {match.rule.id!r} renames or moves single exports; change the tag by hand"
        plan.notes.append(
            Note(line, f"@import from '{match.specifier}' in a JSDoc comment left as it is: {why}")
        )


def _items(clause: str) -> list[str]:
    """The items of `{ a, b as c }`; none for `* as ns` or a default name."""
    if not (clause.startswith("{") and clause.endswith("}")):
        return []
    return [item for item in (part.strip() for part in clause[1:-1].split(",")) if item]


def _in_doc_comment(node: Node) -> bool:
    return node.type == "comment" and text(node).startswith("/**")


def _edits(
    plan: Plan, found: re.Match[bytes], match: Match, member: str | None
) -> tuple[list[Edit], str | None]:
    """The edits for one `import('x')` (and its `.Name`), or why it stays."""
    rule, module_at = match.rule, (found.start(2), found.end(2))
    if member is None:
        if rule.pure:
            return [Edit(*module_at, match.module.encode())], None
        return [], f"rule {rule.id!r} renames or moves single exports; name the type taken from it by hand"
    if rule.becomes is not None:
        name = f"{rule.becomes}.{member}"
        return [
            Edit(*module_at, match.module.encode()),
            Edit(found.start(3) + 1, found.end(3), name.encode()),
        ], None
    target = match.target(member)
    if target is None or target.module is None:
        return [], None  # the name stays in the module
    known = plan.rules.exports_of(target.module)
    if known is not None and target.name not in known:
        return [], f"{target.module} does not export {target.name!r} (known_exports)"
    if target.name == ALL:
        whole = f"the whole module {target.module}"
        return [], f"rule {rule.id!r} makes {member} {whole}; write import('{target.module}')"
    if target.name == DEFAULT:
        return [], f"rule {rule.id!r} makes {member} the default export of {target.module}; write it by hand"
    edits = [Edit(*module_at, target.module.encode())]
    if target.name != member:
        edits.append(Edit(found.start(3) + 1, found.end(3), target.name.encode()))
    return edits, None
