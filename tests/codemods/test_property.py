"""Property: after `migrate --write` on generated files, `scan` finds no import of a migrated module,
every file still parses, every binding went exactly where the rules send it, and a second run is a no-op.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codemods.rulefile import load_rules
from depreport.cli import main
from depreport.extract import extract_imports
from depreport.runinfo import RunInfo
from depreport.scan.assembly import ScanOptions
from depreport.scan.languages import parser
from depreport.scan.pipeline import scan

RULES = """
[[rule]]
id = "components"
from = "evergreen-*"
to = "evergreen-ui"

[[rule]]
id = "buttons"
from = "evergreen-buttons"
to = "evergreen-ui"
default = "Button"
[rule.exports]
BackButton = "Button"
Cog = "@evergreen/icons:CogIcon"

[[rule]]
id = "material"
from = "@material-ui/core/**"
to = "@mui/material/**"
"""
PURE = ["evergreen-layers", "evergreen-typography", "@material-ui/core", "@material-ui/core/styles"]
MERGED = ["evergreen-layers", "evergreen-typography"]  # "components" merges them into evergreen-ui
NAMES = ["Button", "BackButton", "Cog", "Pane", "Text", "Card", "default"]
OTHER = ["evergreen-ui", "react", "./local"]


@st.composite
def statement(draw: st.DrawFn, index: int, typescript: bool) -> str:
    """One import site; locals are numbered so that no two bindings of a file collide."""
    pure = draw(st.booleans())
    module = draw(st.sampled_from(PURE if pure else ["evergreen-buttons", *OTHER]))
    quote = draw(st.sampled_from(["'", '"']))
    semi = draw(st.sampled_from([";", ""]))
    spec = f"{quote}{module}{quote}"
    names = draw(st.lists(st.sampled_from(NAMES[:-1]), min_size=1, max_size=3, unique=True))
    locals_ = [f"{n}{index}_{i}" for i, n in enumerate(names)]
    multiline = draw(st.booleans())
    items = [f"{n} as {local}" for n, local in zip(names, locals_, strict=True)]
    braces = ("{\n  " + ",\n  ".join(items) + ",\n}") if multiline else "{ " + ", ".join(items) + " }"
    shapes = [
        f"import {braces} from {spec}{semi}",
        f"export {{ {names[0]} as E{index} }} from {spec}{semi}",
        f"const M{index} = require({spec}).{names[0]}{semi}",
    ]
    if module not in MERGED:  # a merged module's default stays where it is, reported: tested apart
        shapes += [f"import D{index} from {spec}{semi}", f"import D{index}, {braces} from {spec}{semi}"]
    if "Cog" not in names or len(names) == 1:
        pairs = ", ".join(f"{n}: {local}" for n, local in zip(names, locals_, strict=True))
        shapes += [
            f"const {{ {pairs} }} = require({spec}){semi}",
            f"const {{ {pairs} }} = await import({spec}){semi}",
        ]
    if pure or module in OTHER:
        shapes += [f"import * as N{index} from {spec}{semi}", f"import {spec}{semi}",
                   f"export * from {spec}{semi}", f"const P{index} = import({spec}){semi}"]  # fmt: skip
    if (pure or module in OTHER) and module not in MERGED:  # never read, a merged one may be its default
        shapes.append(f"const R{index} = require({spec}){semi}")
        if typescript:
            shapes.append(f"import Q{index} = require({spec}){semi}")
    if typescript:
        shapes.append(f"import type {braces} from {spec}{semi}")
    return draw(st.sampled_from(shapes))


@st.composite
def source_file(draw: st.DrawFn) -> tuple[str, bytes]:
    typescript = draw(st.booleans())
    count = draw(st.integers(min_value=1, max_value=8))
    lines = [draw(statement(i, typescript)) for i in range(count)]
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = "\n".join([*lines, "export const done = 1;", ""]).replace("\n", newline)
    return ("ts" if typescript else "js"), text.encode()


def _records(data: bytes, language: str) -> Counter[tuple[str, str, str | None, str, bool]]:
    found = extract_imports(data, language).imports
    return Counter((r.specifier, r.export, r.local, r.kind, r.type_only) for r in found)


def _expected(
    before: Counter[tuple[str, str, str | None, str, bool]],
) -> Counter[tuple[str, str, str | None, str, bool]]:
    rules = load_rules_cached()
    out: Counter[tuple[str, str, str | None, str, bool]] = Counter()
    renamed: Counter[str] = Counter()  # side-effect imports a rename made name another module
    for (specifier, export, local, kind, type_only), count in before.items():
        match = rules.match(specifier, "js")
        target = match.target(export) if match is not None and export != "*" else None
        module = target.module if target is not None else match.module if match is not None else specifier
        if kind == "side-effect" and match is not None:
            renamed[module] += count
            continue
        out[(module or specifier, target.name if target else export, local, kind, type_only)] += count
    for module in renamed:  # deduplicated: the import already there stays, else the first
        key = (module, "*", None, "side-effect", False)
        out[key] = out[key] or 1
    return out


_CACHE: dict[str, object] = {}


def load_rules_cached():  # type: ignore[no-untyped-def]
    if "rules" not in _CACHE:
        path = Path(tempfile.mkdtemp()) / "rules.toml"
        path.write_text(RULES, encoding="utf-8")
        _CACHE["rules"], _CACHE["path"] = load_rules(path), path
    return _CACHE["rules"]


@settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(source_file(), min_size=1, max_size=4))
def test_migrated_tree_has_no_legacy_imports(files: list[tuple[str, bytes]]) -> None:
    load_rules_cached()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        paths = []
        for number, (ext, data) in enumerate(files):
            path = root / f"f{number}.{ext}"
            path.write_bytes(data)
            paths.append((path, "typescript" if ext == "ts" else "javascript", data))
        code = main(["migrate", str(_CACHE["path"]), str(root), "--write", "--allow-dirty", "--jobs", "1",
                     "--progress", "never", "--format", "json"])  # fmt: skip
        assert code == 0
        for path, language, before in paths:
            after = path.read_bytes()
            assert not parser(language).parse(after).root_node.has_error, after.decode()
            assert _records(after, language) == _expected(_records(before, language)), after.decode()
        packages = scan(ScanOptions(root=root, use_git=False), RunInfo()).report["packages"]
        assert not [
            p for p in packages if p.startswith(("evergreen-", "@material-ui/")) and p != "evergreen-ui"
        ]
        assert main(["migrate", str(_CACHE["path"]), str(root), "--check", "--progress", "never"]) == 0
