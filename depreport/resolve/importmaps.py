"""Deno's import maps as aliases of a folder, as tsconfig `paths` are.

The `imports` of a deno.json or deno.jsonc (or of the file its `importMap` names) map specifiers: a key
ending in `/` every specifier it starts (`"@/": "./"` in every Fresh app, so `@/utils.ts` is the repo's
`utils.ts`), another key one specifier. Only targets in the repository become aliases (resolved as
`tsconfig-paths`); `npm:`, `jsr:` and URL targets name packages their specifier already names, as an npm
alias does, so such a key leaves its specifiers as written, also when a shorter key of the repo's matches
them (lume's `"lume/cms/": "https://…/cms@0.15.8/"` beside `"lume/": "./"`). A map applies to the folder of
its config and the folders below, as a root config's map applies to the members of a Deno workspace.
"""

from __future__ import annotations

import posixpath

from depreport.model import Problem
from depreport.resolve.tsconfig import PathAliases, ReadText, within_repo
from depreport.resolve.workspaces import json_object


def import_map_aliases(read: ReadText, config: str, problems: list[Problem]) -> PathAliases | None:
    """The aliases a deno.json's import map gives its folder, or None when it maps nothing of the repo.

    A broken config is a problem the workspaces already reported; a broken `importMap` file one here."""
    data = json_object(read(config))
    imports, base = data.get("imports"), posixpath.dirname(config)
    named = data.get("importMap")
    if imports is None and isinstance(named, str) and "://" not in named:
        path = posixpath.normpath(posixpath.join(base, named))
        imports, base = json_object(read(path), path, problems).get("imports"), posixpath.dirname(path)
    patterns: list[tuple[str, tuple[str, ...]]] = []
    elsewhere: list[tuple[str, str]] = []
    for key, target in imports.items() if isinstance(imports, dict) else ():
        if not (isinstance(key, str) and isinstance(target, str)):
            continue
        prefix = key.endswith("/") and target.endswith("/")
        if not target.startswith(("./", "../")):
            elsewhere.append((key + "*", target + "*") if prefix else (key, target))
            continue
        joined = within_repo(base, target)
        if joined is None:
            continue
        if prefix:
            patterns.append((key + "*", (("" if joined == "." else joined + "/") + "*",)))
        else:
            patterns.append((key, (joined,)))
    if not patterns:
        return None
    return PathAliases.of(config, None, patterns, elsewhere)
