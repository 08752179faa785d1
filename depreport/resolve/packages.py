"""Bare specifiers as packages: an npm name and its subpath, a Node builtin, Deno's and Bun's registry
specifiers (`npm:`, `jsr:`), a path into an installed copy; and `Resolved`, where a specifier points."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from depreport.model import Resolution

NODE_BUILTINS = frozenset({
    "assert", "async_hooks", "buffer", "child_process", "cluster", "console", "constants", "crypto",
    "dgram", "diagnostics_channel", "dns", "domain", "events", "fs", "http", "http2", "https", "inspector",
    "module", "net", "os", "path", "perf_hooks", "process", "punycode", "querystring", "readline", "repl",
    "stream", "string_decoder", "sys", "timers", "tls", "trace_events", "tty", "url", "util", "v8", "vm",
    "wasi", "worker_threads", "zlib", "test", "sqlite", "sea"
})  # fmt: skip
# A name npm can hold: never one starting with `~` (Nuxt's, Remix's and babel-plugin-root-import's alias of
# the source folder, defined in a bundler's config: `~/utils` names no package) and never a line break.
NPM_NAME = re.compile(r"(?:@[a-z0-9][\w.~-]*/)?[a-z0-9_][\w.~-]*", re.I | re.ASCII)


@dataclass(frozen=True, slots=True)
class Resolved:
    """Where a specifier points."""

    package: str
    subpath: str
    how: str  # a Resolution value


def split_package(specifier: str) -> tuple[str, str]:
    """`@scope/name/sub/path` -> (`@scope/name`, `sub/path`); `name/sub` -> (`name`, `sub`)."""
    parts = specifier.split("/")
    count = 2 if specifier.startswith("@") and len(parts) > 1 else 1
    return "/".join(parts[:count]), "/".join(parts[count:])


def types_package(name: str) -> str:
    """A package's DefinitelyTyped package: `mdx` -> `@types/mdx`, `@babel/core` -> `@types/babel__core`."""
    return "@types/" + name.removeprefix("@").replace("/", "__")


def node_builtin(specifier: str) -> Resolved | None:
    bare = specifier.removeprefix("node:")
    name, _, subpath = bare.partition("/")
    if specifier.startswith("node:") or name in NODE_BUILTINS:
        return Resolved("node:" + name, subpath, Resolution.BUILTIN.value)
    return None


def installed_package(path: str) -> Resolved | None:
    """A relative path into a `node_modules` folder (`../node_modules/jest-expo/android/jest-preset.js`)
    names the package installed there, as its bare specifier would."""
    before, marker, inside = posixpath.normpath(path).rpartition("node_modules/")
    if not marker or (before and not before.endswith("/")):
        return None
    name, subpath = split_package(inside)
    return Resolved(name, subpath, Resolution.NPM.value) if NPM_NAME.fullmatch(name) else None


def registry_package(specifier: str) -> Resolved | None:
    """Deno's and Bun's `npm:name@version/sub` and `jsr:@scope/name@version/sub`: the package without its
    version, as when written bare (an import map's `"@std/assert": "jsr:@std/assert@^1"` makes them one)."""
    scheme, colon, rest = specifier.partition(":")
    if not colon or scheme not in ("npm", "jsr"):
        return None
    name, subpath = split_package(rest.removeprefix("/"))
    versioned = name.find("@", 1)
    name = name[:versioned] if versioned > 0 else name
    return Resolved(name, subpath, Resolution.NPM.value) if NPM_NAME.fullmatch(name) else None
