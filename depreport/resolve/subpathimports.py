"""Node's subpath imports: a package.json's `imports`, which map `#name` specifiers for its package.

`"imports": {"#module-evaluator": {"__vitest_source__": "./src/…/moduleEvaluator.ts", "default":
"./dist/module-evaluator.js"}}` (vitest) maps `#module-evaluator` for the files of that package: its folder
and those below, up to the next package.json, as Node and TypeScript look for the nearest one (a package
without `imports` maps nothing, whatever a package.json above it says). A key's targets are listed in the
order its conditions list them, `#internal/*` patterns too. Paths of the repo become aliases, tried as
tsconfig `paths` are: the first target that is a file of the repo, else the first that may be one. A
package name as a target (`"#dep": {"node": "dep-node-native", "default": "./dep-polyfill.js"}`, Node's
own example; `"#fs": "node:fs"`) is resolved as that specifier when no target is a file of the repo.
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
        elsewhere: list[tuple[str, str]] = []
        for key, value in imports.items() if isinstance(imports, dict) else ():
            if not str(key).startswith("#"):
                continue
            targets = tuple(within_repo(directory, t) for t in condition_targets(value, ("./", "../")))
            kept = tuple(t for t in targets if t is not None)
            packages = [t for t in condition_targets(value, ("",)) if _names_a_package(t)]
            if kept:
                patterns.append((str(key), kept))
            if packages:
                elsewhere.append((str(key), packages[0]))
        found[directory] = (
            PathAliases.of(manifest, None, patterns, elsewhere) if patterns or elsewhere else None
        )
    return found


def _names_a_package(target: str) -> bool:
    """Is an `imports` target a package specifier (`dep-node-native`, `node:fs`), not a path or a key?"""
    return bool(target) and not target.startswith(("./", "../", "/", "#")) and "://" not in target
