"""The aliases a bundler's config sets, for the files under its folder: vite.config.* and vitest.config.*,
webpack configs (`webpack.config.js`, `webpack.common.js`, `build/webpack.base.conf.js`, `webpack/*.js`,
and Vue CLI's vue.config.* with its `configureWebpack`), next.config.*, and babel's `.babelrc`,
`.babelrc.json`, `babel.config.*`, `.babelrc.js` (module-resolver).

They are read statically (aliasshapes.py, jsvalues.py): no JavaScript runs. A config applies to the files
of its folder and those below, as a tsconfig does; one in a folder of build configs (`webpack/`, `config/`,
`build/`…) to that folder's parent, the project it builds. The configs of one folder are one map, vite's
first, then vitest's, webpack's, Next.js's and babel's. An alias in a form not read is said on stderr
(`not_read`: config -> the first one) with the fix, `[aliases]` in depreport.toml; a target leading out of
the repository is a problem of the config, and not used.
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from depreport.model import Problem, ProblemReason
from depreport.resolve.aliasshapes import RESOLVER_PLUGINS, AliasReader, Found
from depreport.resolve.tsconfig import PathAliases, ReadText, parse_jsonc
from depreport.scan.languages import language_for, tree_of

MAX_CONFIG_BYTES = 256 * 1024  # a config larger than this is not read (its parse may take long)
_VITE = re.compile(r"vite(?:st)?\.config\.(?:js|mjs|cjs|ts|mts|cts)")
_NEXT = re.compile(r"next\.config\.(?:js|mjs|cjs|ts|mts)")
_VUE_CLI = re.compile(r"vue\.config\.(?:js|mjs|cjs|ts)")  # webpack's options under `configureWebpack`
_WEBPACK = re.compile(r"(?:[\w-]+\.)?webpack(?:\.[\w-]+)*\.(?:js|mjs|cjs|ts|mts|cts)")
BABEL_JSON_NAMES = (".babelrc", ".babelrc.json", "babel.config.json")
_BABEL_JS = re.compile(r"(?:babel\.config|\.babelrc)\.(?:js|mjs|cjs|ts|mts|cts)")
_KINDS = ("vite", "webpack", "next", "babel")  # the order of a folder's configs in its map
_BUILD_FOLDERS = frozenset(
    {"webpack", ".webpack", "config", "configs", ".config", "build", "tools"} | {"scripts"}
)


def bundler_kind(path: str) -> str | None:
    """vite, webpack, next or babel for a bundler config's path; None for any other file."""
    folder, _, name = path.rpartition("/")
    if not may_be_bundler_config(folder, name) or name.endswith((".d.ts", ".d.mts", ".d.cts")):
        return None
    if _VITE.fullmatch(name):
        return "vite"
    if _NEXT.fullmatch(name):
        return "next"
    if name in BABEL_JSON_NAMES or _BABEL_JS.fullmatch(name):
        return "babel"
    in_folder = folder.rpartition("/")[2] in ("webpack", ".webpack") and language_for(name) is not None
    return "webpack" if _WEBPACK.fullmatch(name) or _VUE_CLI.fullmatch(name) or in_folder else None


def may_be_bundler_config(folder: str, name: str) -> bool:
    """False when `bundler_kind` surely says None of the file `name` in `folder`, told without a regular
    expression: every config's name holds one of these words, but a `webpack` folder's source files."""
    return "config" in name or "webpack" in name or "babel" in name or folder.endswith("webpack")


def config_scope(path: str, kind: str) -> str:
    """The folder whose files a config's aliases apply to (and which its bundler runs in)."""
    folder = posixpath.dirname(path)
    if kind == "webpack" and posixpath.basename(folder) in _BUILD_FOLDERS:
        return posixpath.dirname(folder)
    return folder


@dataclass
class BundlerAliases:
    """The aliases of a repo's bundler configs, and what a scan says of them."""

    folders: dict[str, PathAliases] = field(default_factory=dict)  # folder -> its configs' aliases
    read: dict[str, tuple[str, ...]] = field(default_factory=dict)  # config -> the aliases used from it
    not_read: dict[str, str] = field(default_factory=dict)  # config -> the first alias not read


def bundler_aliases(read: ReadText, configs: Iterable[str], problems: list[Problem]) -> BundlerAliases:
    """The aliases of these configs (repo paths); an alias leading out of the repository is a problem in
    `problems`."""
    found_all = BundlerAliases()
    by_folder: dict[str, list[tuple[int, str, Found]]] = {}
    for path in configs:
        kind = bundler_kind(path)
        text = None if kind is None else read(path)
        if kind is None or text is None:
            continue
        scope = config_scope(path, kind)
        found = _read(path, kind, scope, text)
        if isinstance(found, str):
            found_all.not_read[path] = found
            continue
        for shown in found.outside:
            problems.append(_outside(path, shown))
        if found.not_read:
            more = len(found.not_read) - 1
            found_all.not_read[path] = found.not_read[0] + (f" (and {more} more)" if more else "")
        if found.rules:
            by_folder.setdefault(scope, []).append((_KINDS.index(kind), path, found))
    for folder, found_here in by_folder.items():
        found_here.sort(key=lambda item: (item[0], item[1]))
        rules: dict[str, str] = {}
        for _, path, found in found_here:
            used = [pattern for pattern, target in found.rules if rules.setdefault(pattern, target) == target]
            found_all.read[path] = tuple(dict.fromkeys(p.removesuffix("/*") or "*" for p in used))
        patterns: list[tuple[str, tuple[str, ...]]] = [
            (pattern, (target,)) for pattern, target in rules.items()
        ]
        found_all.folders[folder] = PathAliases.of(found_here[0][1], None, patterns)
    return found_all


def _read(path: str, kind: str, scope: str, text: str) -> Found | str:
    """What one config's aliases map, or why it cannot be read."""
    if len(text) > MAX_CONFIG_BYTES:
        return f"the whole file: larger than {MAX_CONFIG_BYTES // 1024} KB"
    return _aliases(path, kind, scope, text)


@functools.lru_cache(maxsize=256)
def _aliases(path: str, kind: str, scope: str, text: str) -> Found | str:
    """`_read` of a config of at most MAX_CONFIG_BYTES, remembered (the same text, the same answer): a
    backfill builds each week's resolver again, and read every config of every week anew (6 % of
    jaeger-ui's 52 weeks). The answer is only read by its callers, never changed."""
    reader = AliasReader(kind, path, scope)
    if posixpath.basename(path) in BABEL_JSON_NAMES:
        try:
            data = parse_jsonc(text)
        except ValueError:
            return "the whole file: not JSON"
        return read_babel_json(reader, data)
    language = language_for(path) or "javascript"
    return reader.read_tree(tree_of(language, text.encode()).root_node)


def _outside(path: str, shown: str) -> Problem:
    return Problem(
        path,
        ProblemReason.UNREADABLE.value,
        f"bundler alias {shown} leads out of the repository: that alias is not used; point it inside the "
        "repository",
    )


def read_babel_json(reader: AliasReader, data: object) -> Found:
    """The module-resolver options anywhere in a babel JSON config (`plugins`, `env.*.plugins`...)."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            if len(item) >= 2 and item[0] in RESOLVER_PLUGINS and isinstance(item[1], dict):
                _babel_json_options(reader, item[1])
            else:
                stack.extend(reversed(item))
    return reader.found


def _babel_json_options(reader: AliasReader, options: dict[str, object]) -> None:
    alias, root = options.get("alias"), options.get("root")
    if isinstance(alias, dict):
        for key, value in alias.items():
            if isinstance(value, str):
                reader.add(key, value, regex=key.startswith("^"))
            else:
                reader.found.not_read.append(f"{key!r}: {value!r}"[:80])
    elif alias is not None:
        reader.found.not_read.append(f"alias: {alias!r}"[:80])
    for folder in [root] if isinstance(root, str) else root if isinstance(root, list) else []:
        if isinstance(folder, str):
            reader.add_root(folder)
