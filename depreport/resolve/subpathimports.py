"""Node's subpath imports: a package.json's `imports`, which map `#name` specifiers for its package.

`"imports": {"#module-evaluator": {"__vitest_source__": "./src/…/moduleEvaluator.ts", "default":
"./dist/module-evaluator.js"}}` (vitest) maps `#module-evaluator` for the files of that package: its folder
and those below, up to the next package.json, as Node and TypeScript look for the nearest one (a package
without `imports` maps nothing, whatever a package.json above it says). A key's targets are listed in the
order its conditions list them, `#internal/*` patterns too; only paths of the repo become aliases (a
bare package name as a target is not followed). The resolver tries them as it tries tsconfig `paths`:
the first target that is a file of the repo, else the first that may be one.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable

from depreport.resolve.tsconfig import PathAliases, ReadText, within_repo
from depreport.resolve.workspaces import condition_targets, json_object

PACKAGE_JSON = "package.json"


def package_imports(read: ReadText, manifests: Iterable[str]) -> dict[str, PathAliases | None]:
    """The folder of every package.json of the repo -> the aliases its `imports` give, None for none.

    A broken package.json maps nothing here; the workspaces report it when it is one of theirs."""
    found: dict[str, PathAliases | None] = {}
    for manifest in sorted(manifests):
        if posixpath.basename(manifest) != PACKAGE_JSON:
            continue
        directory = posixpath.dirname(manifest)
        imports = json_object(read(manifest)).get("imports")
        patterns: list[tuple[str, tuple[str, ...]]] = []
        for key, value in imports.items() if isinstance(imports, dict) else ():
            targets = tuple(within_repo(directory, t) for t in condition_targets(value, ("./", "../")))
            kept = tuple(t for t in targets if t is not None)
            if str(key).startswith("#") and kept:
                patterns.append((str(key), kept))
        found[directory] = PathAliases.of(manifest, None, patterns) if patterns else None
    return found
