"""Local barrels: a name imported from a module of the repo that only re-exports it counts for where it
comes from, through chains, aliases and stars; cycles are reported. Real scans of a repo built here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from depreport.cli import main
from depreport.config import load_config
from depreport.extract import extract_imports
from depreport.history.adoption import Group, Groups, adoption_of
from depreport.report.walk import file_imports
from depreport.runinfo import RunInfo
from depreport.scan.assembly import ScanOptions
from depreport.scan.pack import decode_pack, encode_pack
from depreport.scan.pipeline import scan as scan_tree
from tests.helpers import commit_at, git, git_repo, write_files

pytestmark = pytest.mark.integration

CONFIG = """
[[groups]]
name = "Evergreen"
packages = ["evergreen-ui"]
target = true
[[groups]]
name = "Acme"
packages = ["@acme/react-ui"]
[[groups]]
name = "Legacy ui"
paths = ["src/ui/**"]
"""
FILES = {
    "depreport.toml": CONFIG,
    "tsconfig.json": '{"compilerOptions": {"baseUrl": ".", "paths": {"@ui": ["src/ui"], "@ui/*": ["src/ui/*"]}}}',
    "src/ui/index.ts": "export { Button } from 'evergreen-ui';\n"
    "export { Pane as Box } from 'evergreen-ui';\n"
    "export * from './legacy';\n"
    "export { Card } from './Card';\n",
    "src/ui/legacy.ts": "export * from '@acme/react-ui';\n",
    "src/ui/Card.tsx": "export function Card() { return null; }\n",
    "src/components/index.ts": "export * from '../ui';\n",
    "src/loop/a.ts": "export { X } from './b';\n",
    "src/loop/b.ts": "export { X } from './a';\n",
    "src/app/Home.tsx": "import { Button, Box, Table, Card } from '../ui';\n",
    "src/app/Alias.tsx": "import { Button } from '@ui';\n",
    "src/app/Chain.tsx": "import { Button } from '../components';\n",
    "src/app/Loop.tsx": "import { X } from '../loop/a';\n",
}


def scan(root: Path, files: dict[str, str]) -> dict[str, Any]:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    out = root.parent / "report.json"
    assert main(["scan", str(root), "--no-git", "--no-cache", "--format", "json", "--out", str(out)]) == 0
    report: dict[str, Any] = json.loads(out.read_text())
    return report


def rows(report: dict[str, Any]) -> dict[tuple[str, str, str], int]:
    """(package, export, barrel passed) -> imports, from the report's usage block."""
    usage = report["usage"]
    found: dict[tuple[str, str, str], int] = {}
    for _, key_id, exports in usage["rows"]:
        package, *_, via = usage["keys"][key_id]
        for export, (value, type_only) in exports.items():
            found[(package, export, via)] = found.get((package, export, via), 0) + value + type_only
    return found


def test_names_imported_through_barrels_count_where_they_come_from(tmp_path: Path) -> None:
    report = scan(tmp_path / "repo", FILES)
    counted = rows(report)
    assert (
        counted[("evergreen-ui", "Button", "src/ui")] == 2
    )  # Home.tsx, and Alias.tsx through a tsconfig alias
    assert (
        counted[("evergreen-ui", "Button", "src/components")] == 1
    )  # Chain.tsx: components -> ui -> evergreen
    assert counted[("evergreen-ui", "Pane", "src/ui")] == 1  # `export { Pane as Box }`: imported as Box
    assert counted[("@acme/react-ui", "Table", "src/ui")] == 1  # through `export *` twice
    assert counted[("src/ui/Card", "Card", "src/ui")] == 1  # defined in a module of the legacy folder
    assert ("src/ui", "Button", "") not in counted
    adoption = report["adoption"]
    assert adoption["groups"]["Evergreen"]["imports"] == 2 + 1 + 1 + 2  # + the barrel's own two re-exports
    assert adoption["groups"]["Acme"]["imports"] == 1 + 1  # Home.tsx, and legacy.ts re-exporting it
    # Card through src/ui, and src/components re-exporting the whole folder; src/ui's own imports are internal
    assert adoption["groups"]["Legacy ui"]["imports"] == 2
    assert adoption["groups"]["Evergreen"]["files"] == 4  # Home, Alias, Chain and the barrel itself


def test_a_cycle_is_reported_and_never_looped(tmp_path: Path) -> None:
    report = scan(tmp_path / "repo", FILES)
    assert report["usage"]["barrel_cycles"] == [["src/loop/a", "src/loop/b", "src/loop/a"]]
    assert any("cycle: src/loop/a -> src/loop/b -> src/loop/a" in w for w in report["adoption"]["warnings"])
    assert (
        rows(report)[("src/loop/a", "X", "")] == 2
    )  # Loop.tsx's import, and b's re-export, stay as they were


def test_regrouping_follows_barrels_too(tmp_path: Path) -> None:
    report = scan(tmp_path / "repo", FILES)
    only_acme = Groups(
        (Group("Acme", packages=("@acme/*",), target=True), Group("EG", packages=("evergreen-ui",)))
    )
    block = adoption_of(report["usage"], only_acme)
    assert block is not None
    assert block["groups"]["EG"]["files"] == 4 and block["groups"]["Acme"]["files"] == 2


def test_editing_the_barrel_moves_its_importers(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    scan(root, FILES)
    changed = {"src/ui/index.ts": "export { Button } from '@acme/react-ui';\n"}
    report = scan(root, changed)
    assert rows(report)[("@acme/react-ui", "Button", "src/ui")] == 2
    assert ("evergreen-ui", "Button", "src/ui") not in rows(report)


def test_walking_the_full_report_shows_where_barrel_imports_come_from(tmp_path: Path) -> None:
    report = scan(tmp_path / "repo", FILES)
    home = sorted(
        (f.package, f.export, f.via, f.lines) for f in file_imports(report) if f.file == "src/app/Home.tsx"
    )
    assert home == [
        ("@acme/react-ui", "Table", "src/ui", (1,)),
        ("evergreen-ui", "Button", "src/ui", (1,)),
        ("evergreen-ui", "Pane", "src/ui", (1,)),
        ("src/ui/Card", "Card", "src/ui", (1,)),
    ]


# openedx/frontend-app-learning's src/setupTest.js (2021 .. 2026, excerpt): its own helpers, and Testing
# Library re-exported whole with its `render` overridden by the module's own.
SETUP_TEST = {
    "depreport.toml": '[[groups]]\nname = "Testing Library"\npackages = ["@testing-library/*"]\ntarget = true\n',
    "src/setupTest.js": "import { render as rtlRender } from '@testing-library/react';\n"
    "export const authenticatedUser = { userId: 'abc123' };\n"
    "export function initializeMockApp() {}\n"
    "export async function initializeTestStore(options = {}) {}\n"
    "function render(ui, { store = null, ...renderOptions } = {}) {\n"
    "  return rtlRender(ui, renderOptions);\n"
    "}\n"
    "// Re-export everything.\n"
    "export * from '@testing-library/react';\n"
    "// Override `render` method.\n"
    "export {\n  render,\n};\n",
    "src/course-home/Tab.test.jsx": "import {\n"
    "  initializeMockApp, initializeTestStore, render, screen, fireEvent,\n"
    "} from '../setupTest';\n",
}


STAR_LINE = "export * from '@testing-library/react';\n"


def test_a_name_the_barrel_exports_itself_is_not_the_starred_package(tmp_path: Path) -> None:
    report = scan(tmp_path / "repo", SETUP_TEST)
    counted = rows(report)
    assert counted[("@testing-library/react", "screen", "src/setupTest")] == 1
    assert counted[("@testing-library/react", "fireEvent", "src/setupTest")] == 1
    for own in ("initializeMockApp", "initializeTestStore", "render"):
        assert counted[("src/setupTest", own, "")] == 1
        assert ("@testing-library/react", own, "src/setupTest") not in counted
    # screen and fireEvent, and the module's own two imports of the package (`render as rtlRender`, `*`)
    assert report["adoption"]["groups"]["Testing Library"]["imports"] == 2 + 2


def test_a_barrel_s_own_names_hold_across_backfilled_weeks(tmp_path: Path) -> None:
    """Week 2 changes only an importer (the barrel's entry comes back from the stored index); week 3 drops
    the barrel's own `render`, which then is Testing Library's."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    test_file = "src/course-home/Tab.test.jsx"
    more = SETUP_TEST[test_file].replace("fireEvent,\n", "fireEvent, waitFor,\n")
    setup = SETUP_TEST["src/setupTest.js"]
    no_render = setup.split("function render(")[0] + STAR_LINE
    weeks = [
        ("2026-01-06T10:00:00Z", SETUP_TEST),
        ("2026-01-13T10:00:00Z", {test_file: more}),
        ("2026-01-20T10:00:00Z", {"src/setupTest.js": no_render}),
    ]
    for when, files in weeks:
        write_files(root, files)
        git(root, "add", "-A")
        commit_at(root, when)
    out = tmp_path / "weeks"
    args = ["backfill", str(root), "--since", "2026-01-05", "--weeks", "3", "--out-dir", str(out),
            "--cache-dir", str(tmp_path / "cache"), "--progress", "never"]  # fmt: skip
    assert main(args) == 0
    reports = [json.loads(path.read_text()) for path in sorted(out.rglob("*.json"))]
    counted = [r["adoption"]["groups"]["Testing Library"]["imports"] for r in reports]
    # screen, fireEvent (+ waitFor, + render), and the barrel's own two imports of the package
    assert counted == [2 + 2, 3 + 2, 4 + 2]


def test_a_barrel_s_own_names_hold_in_scans_from_a_pack(tmp_path: Path) -> None:
    """The second scan restores the barrel from the first one's pack (only an importer changed); the third
    reloads its stored entry to drop its own `render`, which then is Testing Library's."""
    others = {f"src/widgets/W{n}.jsx": "import React from 'react';\n" for n in range(6)}  # a small change
    root = git_repo(tmp_path / "repo", {**SETUP_TEST, **others})  # is applied to the pack's index
    test_file = SETUP_TEST["src/course-home/Tab.test.jsx"]
    options = ScanOptions(root=root, config=load_config(root), jobs=1, cache_dir=None)
    info = RunInfo(repo="openedx/frontend-app-learning", commit="0" * 40, branch="master")
    found = scan_tree(options, info, keep=True)
    counted = [json.loads(found.report_json())["adoption"]["groups"]["Testing Library"]["imports"]]
    for change in (
        # a name of the package, and one of the barrel's own not imported before (no lookup kept for it)
        {"src/course-home/Tab.test.jsx": test_file.replace(",\n}", ", waitFor, authenticatedUser,\n}")},
        {"src/setupTest.js": SETUP_TEST["src/setupTest.js"].split("function render(")[0] + STAR_LINE},
    ):
        write_files(root, change)
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "change")
        assert found.pack is not None
        found = scan_tree(options, info, previous=decode_pack(encode_pack(found.pack)), keep=True)
        assert found.restored
        assert found.report_json() == scan_tree(options, info).report_json()
        counted.append(json.loads(found.report_json())["adoption"]["groups"]["Testing Library"]["imports"])
    assert counted == [2 + 2, 3 + 2, 4 + 2]


def test_merged_shards_keep_a_barrel_s_own_names(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    write_files(root, SETUP_TEST)
    common = ["--no-git", "--no-cache", "--progress", "never", "--repo", "a/b", "--commit", "a" * 40]
    parts = [str(tmp_path / f"part-{n}.json") for n in (1, 2)]
    for n, part in enumerate(parts, 1):
        assert main(["scan", str(root), "--shard", f"{n}/2", "--out", part, *common]) == 0
    assert main(["merge", *parts, "--out", str(tmp_path / "merged.json")]) == 0
    merged = json.loads((tmp_path / "merged.json").read_text())
    assert merged["adoption"]["groups"]["Testing Library"]["imports"] == 2 + 2


def test_extraction_keeps_the_names_a_starred_module_exports_itself() -> None:
    source = (
        b"export * from 'pkg';\n"
        b"export function f() {}\nexport class C {}\nexport const { a = b, c: [d], ...e } = g, h = 1;\n"
        b"function render() {}\nexport { render, f as alias };\nexport default 1;\n"
        b"export { fromElsewhere } from './elsewhere';\n"
        b"declare module 'other' { export const inner: number; }\n"
        b"export declare const declared: number;\n"
    )
    found = extract_imports(source, "typescript").own_exports
    assert found == ("C", "a", "alias", "d", "declared", "default", "e", "f", "h", "render")
    assert extract_imports(source.replace(b"export * from 'pkg';\n", b""), "typescript").own_exports == ()


def test_a_pack_keeps_only_the_lookups_that_found_a_barrel_or_a_cycle(tmp_path: Path) -> None:
    """A name a module exports itself (most imports of a repo's modules) is looked up again when needed,
    not carried from run to run; the report from the pack is the one a fresh scan gives."""
    plain = {
        f"src/app/Plain{n}.tsx": f"import {{ Card }} from '../ui/Card';\nexport const P{n} = 1;\n"
        for n in range(3)
    }
    root = git_repo(tmp_path / "repo", {**FILES, **plain})
    options = ScanOptions(root=root, config=load_config(root), jobs=1, cache_dir=None)
    info = RunInfo(repo="acme/app", commit="0" * 40, branch="main")
    found = scan_tree(options, info, keep=True)
    assert found.pack is not None and found.pack.index is not None
    *_, met, made = found.pack.index.usage[5]  # the shown tables' barrel lookups
    assert ("src/ui/Card", "Card") not in made and ("src/ui/Card", "Card") not in met
    assert {("src/ui", "Button"), ("src/ui", "Box"), ("src/loop/a", "X")} <= made.keys() == met.keys()
    write_files(
        root, {"src/app/Plain0.tsx": "import { Card } from '../ui/Card';\nimport { Box } from '../ui';\n"}
    )
    git(root, "commit", "-qam", "change")
    again = scan_tree(options, info, previous=decode_pack(encode_pack(found.pack)), keep=True)
    assert again.restored and again.report_json() == scan_tree(options, info).report_json()
