"""tsconfig files a framework writes on install, into a folder git ignores (so no checkout holds one), that
an app's own tsconfig extends: what such a file says, read as if it were there.

SvelteKit 1 and 2 write `.svelte-kit/tsconfig.json` (`svelte-kit sync`) with a path for each of
`kit.alias` in svelte.config.js, then `$lib` and `$lib/*` for `kit.files.lib` (`src/lib`), relative to
that folder; every app's tsconfig extends it (`"extends": "./.svelte-kit/tsconfig.json"`). depreport runs no
JavaScript: an `alias` object of string literals is read from the config's text; one of another form, and
a `files` setting, are a problem naming the fix.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable

from depreport.model import Problem, ProblemReason

SVELTE_KIT_CONFIG = ".svelte-kit/tsconfig"  # `.json` may be left out, as tsc adds it
SVELTE_CONFIGS = ("svelte.config.js", "svelte.config.mjs", "svelte.config.cjs", "svelte.config.ts")
_COMMENT = re.compile(r"//[^\n]*|/\*.*?\*/", re.S)
_ALIAS = re.compile(r"\balias\s*:\s*\{([^{}]*)\}")
_ENTRY = re.compile(
    r"""\s*(?:(['"])(?P<quoted>[^'"\n]+)\1|(?P<name>[\w$]+))\s*:\s*(['"])(?P<value>[^'"\n]+)\4\s*"""
)
_ELSE = re.compile(r"\b(?:alias|files)\s*:")  # an alias or a lib folder set some other way
_FILE_ENDING = re.compile(r"\.\w+$")


def generated_tsconfig(
    read: Callable[[str], str | None], extended: str, problems: list[Problem]
) -> dict[str, object] | None:
    """The JSON object the framework would have written at `extended` (a repo path), or None when it is
    no such file. A framework config setting what depreport cannot read is a problem in `problems`."""
    app = _svelte_kit_app(extended)
    if app is None:
        return None
    aliases: dict[str, str] = {}
    for name in SVELTE_CONFIGS:
        path = posixpath.join(app, name)
        text = read(path)
        read_aliases = None if text is None else _kit_aliases(text)
        if read_aliases is not None:
            aliases.update(read_aliases)
        elif text is not None:
            _once(problems, _unread(path))
    aliases["$lib"] = "src/lib"
    return {"compilerOptions": {"paths": _svelte_kit_paths(aliases)}}


def _kit_aliases(text: str) -> dict[str, str] | None:
    """The aliases of a svelte.config's `alias: { $components: './src/components' }`; None when it sets
    aliases or `files` in a form not read (a computed value, a spread, `path.resolve(…)`)."""
    code = _COMMENT.sub("", text)
    found = _ALIAS.search(code)
    aliases: dict[str, str] = {}
    if found is not None:
        entries = [e.strip() for e in found.group(1).split(",") if e.strip()]
        for entry in entries:
            match = _ENTRY.fullmatch(entry)
            value = match.group("value") if match is not None else "/"
            if match is None or value.startswith("/"):
                return None
            aliases[match.group("quoted") or match.group("name")] = value
        code = code[: found.start()] + code[found.end() :]
    return None if _ELSE.search(code) else aliases


def _svelte_kit_paths(aliases: dict[str, str]) -> dict[str, list[str]]:
    """The `paths` SvelteKit writes for its aliases (its `get_tsconfig_paths`): relative to .svelte-kit,
    a key without `/*` also matching below it unless its value names a file."""
    paths: dict[str, list[str]] = {}
    for key, value in aliases.items():
        target = posixpath.join("..", value.removesuffix("/*"))
        if key.endswith("/*"):
            paths[key] = [f"{target}/*"]
            continue
        paths[key] = [target]
        if not _FILE_ENDING.search(value) and f"{key}/*" not in aliases:
            paths[f"{key}/*"] = [f"{target}/*"]
    return paths


def _svelte_kit_app(extended: str) -> str | None:
    """The app folder of a path to SvelteKit's generated tsconfig (`web/.svelte-kit/tsconfig.json` ->
    `web`), None for any other path."""
    path = extended.removesuffix(".json")
    if path == SVELTE_KIT_CONFIG:
        return ""
    app, marker, rest = path.rpartition("/" + SVELTE_KIT_CONFIG)
    return app if marker and not rest else None


def _unread(path: str) -> Problem:
    return Problem(
        path,
        ProblemReason.UNREADABLE.value,
        "sets `alias` or `files` in a form depreport does not read (it runs no JavaScript, only string "
        "values are read): `$lib` is taken as src/lib, the aliases it sets are not used; give them in "
        'depreport.toml, e.g. [aliases] "$components/*" = "src/components/*"',
    )


def _once(problems: list[Problem], problem: Problem) -> None:
    if problem not in problems:  # however many tsconfigs extend the generated one
        problems.append(problem)
