"""Resolve the specifiers count-imports.mjs --by-file gives as npm/pnpm/yarn and TypeScript would, without
depreport code (standard library only): what is a module of the repo, and which are npm packages.

- relative specifiers: the path joined to the importing file's folder;
- the nearest tsconfig.json (else jsconfig.json) above the importing file, `extends` followed (a relative
  file, or a file of a package: a workspace package's folder, as pnpm/yarn link it into node_modules), its
  `paths` (longest matching prefix; the first substitution naming a file of the repo) and `baseUrl`; when no
  substitution names a file of the repo, module resolution goes on (TypeScript's fallback);
- the workspaces (package.json `workspaces`, pnpm-workspace.yaml `packages`, lerna.json `packages`): a
  workspace package's name is its folder, as the package manager links it (subpath appended);
- anything else bare is an npm package.

A module of the repo is written `LOCAL\\t<folder-relative path>` (extension and query kept off: only the
folder matters to the groupings), an npm package `<package>\\t<subpath>`, as count-imports.mjs writes it.
"""

from __future__ import annotations

import fnmatch
import json
import posixpath
import re
import subprocess
from pathlib import Path

LOCAL = "LOCAL"
MODULE_SUFFIXES = ("", ".ts", ".tsx", ".d.ts", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts", ".json")


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


def jsonc(text: str) -> dict:
    """JSON with comments and trailing commas (tsconfig), strings kept intact."""
    out, i, n = [], 0, len(text)
    while i < n:
        ch = text[i]
        if ch == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(text[i : j + 1])
            i = j + 1
        elif text.startswith("//", i):
            i = text.find("\n", i) if "\n" in text[i:] else n
        elif text.startswith("/*", i):
            i = text.find("*/", i + 2) + 2
        else:
            out.append(ch)
            i += 1
    cleaned = re.sub(r",(\s*[}\]])", r"\1", "".join(out))
    value = json.loads(cleaned)
    return value if isinstance(value, dict) else {}


def split_package(spec: str) -> tuple[str, str]:
    parts = spec.split("?")[0].split("/")
    n = 2 if spec.startswith("@") else 1
    return "/".join(parts[:n]), "/".join(parts[n:])


class Commit:
    """What resolution reads at one commit: its file list, workspaces and tsconfig files."""

    def __init__(self, repo: Path, sha: str) -> None:
        self.repo, self.sha = repo, sha
        self.files = set(git(repo, "ls-tree", "-r", "--name-only", sha).splitlines())
        self.dirs = {posixpath.dirname(f) for f in self.files}
        for d in list(self.dirs):
            while d:
                d = posixpath.dirname(d)
                self.dirs.add(d)
        self._texts: dict[str, str | None] = {}
        self.workspaces = self._workspaces()
        self._configs: dict[str, tuple[str | None, dict[str, list[str]], str]] = {}

    def text(self, path: str) -> str | None:
        if path not in self._texts:
            self._texts[path] = git(self.repo, "show", f"{self.sha}:{path}") if path in self.files else None
        return self._texts[path]

    def _workspaces(self) -> dict[str, str]:
        globs: list[str] = []
        root = self.text("package.json")
        if root:
            declared = json.loads(root).get("workspaces", [])
            globs += declared.get("packages", []) if isinstance(declared, dict) else declared
        pnpm = self.text("pnpm-workspace.yaml")
        if pnpm:
            inside = False
            for line in pnpm.splitlines():
                if re.match(r"^packages\s*:", line):
                    inside = True
                elif inside and re.match(r"^\s*-\s*", line):
                    globs.append(re.sub(r"^\s*-\s*", "", line).split(" #")[0].strip().strip("'\""))
                elif inside and line.strip() and not line.startswith((" ", "\t", "#")):
                    inside = False
        lerna = self.text("lerna.json")
        if lerna:
            globs += json.loads(lerna).get("packages", [])
        keep = [g.rstrip("/") for g in globs if not g.startswith("!")]
        drop = [g[1:].rstrip("/") for g in globs if g.startswith("!")]
        found: dict[str, str] = {}
        for manifest in sorted(f for f in self.files if f.endswith("/package.json")):
            folder = posixpath.dirname(manifest)
            if "node_modules" in folder.split("/"):
                continue
            if any(glob_match(g, folder) for g in keep) and not any(glob_match(g, folder) for g in drop):
                name = json.loads(self.text(manifest) or "{}").get("name")
                if isinstance(name, str):
                    found.setdefault(name, folder)
        return found

    def is_module(self, path: str) -> bool:
        """A file of the repo at `path` (as written, or with a module suffix, or its folder's index)."""
        path = posixpath.normpath(path)
        if any(path + s in self.files for s in MODULE_SUFFIXES):
            return True
        return any(f"{path}/index{s}" in self.files for s in MODULE_SUFFIXES[1:])

    def _config_file(self, spec: str, from_dir: str) -> str | None:
        """The file an `extends` names: relative to the config's folder, or a package's file."""
        if spec.startswith("."):
            path = posixpath.normpath(posixpath.join(from_dir, spec))
        else:
            package, sub = split_package(spec)
            folder = self.workspaces.get(package)
            if folder is None:
                return None  # a preset installed from npm: not in the repo, its options unknown here
            path = posixpath.join(folder, sub) if sub else posixpath.join(folder, "tsconfig.json")
        for candidate in (path, path + ".json", posixpath.join(path, "tsconfig.json")):
            if candidate in self.files:
                return candidate
        return None

    def config(self, path: str, depth: int = 0) -> tuple[str | None, dict[str, list[str]], str]:
        """(baseUrl folder, paths, the folder paths are relative to) of a tsconfig, `extends` followed."""
        if path in self._configs:
            return self._configs[path]
        folder = posixpath.dirname(path)
        data = jsonc(self.text(path) or "{}")
        base_url: str | None = None
        paths: dict[str, list[str]] = {}
        paths_dir = folder
        extends = data.get("extends", [])
        for parent in [extends] if isinstance(extends, str) else extends:
            found = self._config_file(parent, folder)
            if found and depth < 10:
                base_url, paths, paths_dir = self.config(found, depth + 1)
        options = data.get("compilerOptions", {}) or {}
        if "baseUrl" in options:
            base_url = posixpath.normpath(
                posixpath.join(folder, options["baseUrl"].replace("${configDir}", "."))
            )
        if "paths" in options:
            paths = options["paths"] or {}
            paths_dir = folder
        # TypeScript: `paths` are relative to `baseUrl` when one is set, else to the config that has them
        self._configs[path] = (base_url, paths, paths_dir)
        return self._configs[path]

    def lookup(self, path: str) -> tuple[str | None, dict[str, list[str]], str]:
        base_url, paths, paths_dir = self.config(path)
        return base_url, paths, base_url if base_url is not None else paths_dir

    def nearest_config(self, importer: str) -> str | None:
        folder = posixpath.dirname(importer)
        while True:
            for name in ("tsconfig.json", "jsconfig.json"):
                candidate = posixpath.join(folder, name) if folder else name
                if candidate in self.files:
                    return candidate
            if not folder:
                return None
            folder = posixpath.dirname(folder)

    def resolve(self, spec: str, importer: str) -> str:
        """The key of a specifier written in `importer` (LOCAL\\tpath or package\\tsubpath)."""
        spec = spec.split("?")[0]
        if spec.startswith("."):
            return f"{LOCAL}\t{posixpath.normpath(posixpath.join(posixpath.dirname(importer), spec))}"
        if spec.startswith("/") or (re.match(r"^[a-z]+:", spec) and not spec.startswith(("npm:", "node:"))):
            return f"{LOCAL}\t{spec}" if spec.startswith("/") else f"URL\t{spec}"
        config = self.nearest_config(importer)
        if config:
            base_url, paths, paths_dir = self.lookup(config)
            matches = []
            for pattern, targets in paths.items():
                prefix, star, suffix = pattern.partition("*")
                if (not star and spec == pattern) or (
                    star
                    and spec.startswith(prefix)
                    and spec.endswith(suffix)
                    and len(spec) >= len(prefix + suffix)
                ):
                    matches.append((len(prefix), pattern, targets))
            for _, pattern, targets in sorted(matches, reverse=True)[:1]:
                prefix, star, suffix = pattern.partition("*")
                middle = spec[len(prefix) : len(spec) - len(suffix)] if star else ""
                for target in targets:
                    path = posixpath.normpath(posixpath.join(paths_dir, target.replace("*", middle)))
                    if self.is_module(path):
                        return f"{LOCAL}\t{path}"
            if base_url is not None and self.is_module(posixpath.join(base_url, spec)):
                return f"{LOCAL}\t{posixpath.normpath(posixpath.join(base_url, spec))}"
        package, sub = split_package(spec)
        if package in self.workspaces:
            folder = self.workspaces[package]
            return f"{LOCAL}\t{posixpath.join(folder, sub) if sub else folder}"
        if not NPM_NAME.fullmatch(package):
            return f"UNRESOLVED\t{spec}"  # a name npm cannot hold (`@/env.mjs` without its alias): no package
        return f"{package}\t{sub}"


# npm package names: lower-case letters, digits and `-._~`, optionally scoped (`@scope/name`)
NPM_NAME = re.compile(r"(@[a-z0-9][a-z0-9._~-]*/)?[a-z0-9][a-z0-9._~-]*", re.IGNORECASE)


def glob_match(pattern: str, folder: str) -> bool:
    """A workspace glob (`packages/*`, `apps/**`) against a folder."""
    if "**" in pattern:
        return fnmatch.fnmatchcase(folder, pattern.replace("**", "*")) or folder == pattern.split("/**")[0]
    p, f = pattern.split("/"), folder.split("/")
    return len(p) == len(f) and all(fnmatch.fnmatchcase(a, b) for a, b in zip(f, p, strict=True))


def resolve_commit(repo: Path, sha: str, by_file: dict[str, dict[str, dict[str, int]]]) -> dict:
    """{"records": {importer: {key: {value, type}}}, "counts": {npm key: {value, type}}, "workspaces"}."""
    commit = Commit(repo, sha)
    records: dict[str, dict[str, dict[str, int]]] = {}
    counts: dict[str, dict[str, int]] = {}
    for importer, specs in by_file.items():
        mine = records.setdefault(importer, {})
        for spec, c in specs.items():
            key = commit.resolve(spec, importer)
            into = mine.setdefault(key, {"value": 0, "type": 0})
            into["value"] += c["value"]
            into["type"] += c["type"]
            if not key.startswith((LOCAL + "\t", "URL\t", "UNRESOLVED\t")):
                total = counts.setdefault(key, {"value": 0, "type": 0})
                total["value"] += c["value"]
                total["type"] += c["type"]
    return {"records": records, "counts": counts, "workspaces": commit.workspaces}
