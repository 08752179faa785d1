"""A scan that starts from the last scan's pack gives the report a cold scan gives, parsing only new contents."""

from __future__ import annotations

import gc
import json
import weakref
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from depreport import __version__
from depreport.config import load_config
from depreport.extract import EXTRACTOR_VERSION
from depreport.model import Extraction
from depreport.runinfo import RunInfo
from depreport.scan.assembly import ScanOptions
from depreport.scan.pack import PACK_FORMAT, Pack, decode_pack, encode_pack
from depreport.scan.pipeline import Scan, scan
from depreport.tally.body import ReportBody
from tests.helpers import git, git_repo, write_files

INFO = RunInfo(repo="acme/web", commit="0" * 40, branch="main", generated_at="2026-01-05T10:00:00Z")
CONFIG = """
[[groups]]
name = "Evergreen"
packages = ["evergreen-ui"]
target = true

[[groups]]
name = "Legacy ui"
paths = ["apps/web/src/ui/**"]
"""
TSCONFIG = '{"compilerOptions": {"baseUrl": ".", "paths": {"@ui/*": ["src/ui/*"]}}}'


def lib_file(n: int, extra: str = "") -> str:
    use = (
        f'<Button{n % 3} size="s{n % 4}" {{...x}} />' if n % 2 else f"styled(Button{n % 3})"
    )  # an instance, a value
    return f"import {{ Button{n % 3} }} from 'evergreen-ui';\nimport x from './lib{n + 1}';\n{extra}export const V = {use};\n"


START: dict[str, str | bytes] = {
    "depreport.toml": CONFIG,
    "CODEOWNERS": "/apps/ @acme/web\n/lib/ @acme/core\n",
    "apps/web/tsconfig.json": TSCONFIG,
    "apps/web/src/ui/Button.tsx": "import { Pane } from 'evergreen-ui';\nexport const Button = 1;\n",
    "apps/web/src/pages/Home.tsx": "import { Button } from '@ui/Button';\nimport { Card } from '@ui/Card';\n",
    "tools/report.py": "import helpers\nfrom os import path\n",
    "lib/broken.ts": "import { a } from 'evergreen-ui';\nexport const = ;\n",
    "lib/blob.js": b"\x00\x01binary\x00",
    **{f"lib/lib{n}.js": lib_file(n) for n in range(30)},
}


def options(root: Path) -> ScanOptions:
    return ScanOptions(root=root, config=load_config(root), jobs=1, cache_dir=None)


def body(found: Scan) -> dict[str, Any]:
    report = json.loads(found.report_json())
    return {key: value for key, value in report.items() if key != "generated_at"}


def commit(root: Path, files: dict[str, str | bytes], removed: tuple[str, ...] = ()) -> None:
    write_files(root, files)
    for path in removed:
        (root / path).unlink()
    git(root, "add", "-A")
    git(root, "commit", "-q", "--allow-empty", "-m", "change")


def carried(pack: Pack | None) -> Pack:
    """The pack as the next run gets it: encoded, stored, decoded."""
    assert pack is not None
    decoded = decode_pack(encode_pack(pack))
    assert decoded is not None
    return decoded


def packed_repo(root: Path, files: dict[str, str | bytes]) -> tuple[Path, Scan]:
    """A repo of these files and 8 others that never change (so that one change stays well under the
    share of files that builds the index afresh), and its first scan, which leaves a pack."""
    fillers = {f"src/x{n}.ts": "import React from 'react';\n" for n in range(8)}
    root = git_repo(root, {"package.json": '{"dependencies": {"react": "^18"}}', **fillers, **files})
    return root, scan(options(root), INFO, keep=True)


def from_the_pack(
    root: Path, last: Scan, change: dict[str, str | bytes], removed: tuple[str, ...] = ()
) -> Scan:
    """Commit a change, then scan from the last scan's pack: the index is updated, not built again, and
    the report is the cold scan's."""
    commit(root, change, removed)
    found = scan(options(root), INFO, previous=carried(last.pack), keep=True)
    assert found.restored
    assert body(found) == body(scan(options(root), INFO))
    return found


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return git_repo(tmp_path / "web", START)


def test_changed_added_and_removed_files_update_the_restored_index(repo: Path) -> None:
    first = scan(options(repo), INFO, keep=True)
    assert first.parsed == len(START) - 3 and not first.restored  # toml, CODEOWNERS, tsconfig are not sources
    commit(
        repo,
        {
            "lib/lib1.js": lib_file(1, "import { Dialog } from 'evergreen-ui';\n"),  # changed
            "lib/lib20.js": lib_file(3),  # new path, content seen before (lib3.js): not parsed
            "apps/web/src/ui/Card.tsx": "export const Card = 2;\n",  # '@ui/Card' now resolves to it
            "helpers.py": "import json\n",  # 'import helpers' is now a local module
            "lib/blob.js": "import { Pane } from 'evergreen-ui';\n",  # binary became a source
        },
        removed=("lib/lib5.js", "lib/broken.ts"),
    )
    second = scan(options(repo), INFO, previous=carried(first.pack), keep=True)
    cold = scan(options(repo), INFO)
    assert body(second) == body(cold)
    assert second.restored and second.parsed == 4  # lib1, Card, helpers, blob; lib20 was known
    records = scan(options(repo), INFO, previous=carried(second.pack), records=True)
    assert records.records_jsonl == scan(options(repo), INFO, records=True).records_jsonl
    assert records.restored and records.parsed == 0


def test_other_settings_rebuild_the_index_from_the_packs_contents(repo: Path) -> None:
    first = scan(options(repo), INFO, keep=True)
    commit(repo, {"depreport.toml": CONFIG.replace('"Legacy ui"', '"Old ui"'), "lib/lib1.js": lib_file(7)})
    second = scan(options(repo), INFO, previous=carried(first.pack), keep=True)
    assert not second.restored and second.parsed == 1  # only the binary file: the pack keeps no skipped file
    assert body(second) == body(scan(options(repo), INFO))


def test_a_tsconfig_change_rebuilds_the_index(repo: Path) -> None:
    first = scan(options(repo), INFO, keep=True)
    commit(repo, {"apps/web/tsconfig.json": TSCONFIG.replace("src/ui/*", "src/*")})
    second = scan(options(repo), INFO, previous=carried(first.pack))
    assert not second.restored
    assert body(second) == body(scan(options(repo), INFO))


def test_a_new_module_re_resolves_only_the_files_that_looked_for_it(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {f"src/m{n}.py": f"import m{n + 1}\nimport os\n" for n in range(8)}
    root = git_repo(tmp_path / "py", files)
    first = scan(options(root), INFO, keep=True)
    commit(root, {"src/m8.py": "import os\n"})  # m7's 'import m8' becomes local
    second = scan(options(root), INFO, previous=carried(first.pack), keep=True)
    assert second.restored and second.parsed == 1
    assert body(second) == body(scan(options(root), INFO))
    commit(root, {f"src/m{n}.py": "import common\n" for n in range(8)})
    third = scan(options(root), INFO, previous=carried(second.pack), keep=True)
    commit(root, {"src/common.py": "import sys\n"})  # every file looked for it: cheaper to build afresh
    fourth = scan(options(root), INFO, previous=carried(third.pack))
    assert not fourth.restored and fourth.parsed == 1
    assert body(fourth) == body(scan(options(root), INFO))


def test_a_new_module_moves_the_uses_of_the_files_that_looked_for_it(tmp_path: Path) -> None:
    page = "import { Card } from 'lib/Card';\nexport const P = () => <Card.Body tone=\"warm\" />;\n"
    files: dict[str, str | bytes] = {"tsconfig.json": TSCONFIG, "src/page.tsx": page}
    files.update(
        {
            f"src/x{n}.tsx": "import { Pane } from 'evergreen-ui';\nexport const X = <Pane />;\n"
            for n in range(8)
        }
    )
    root = git_repo(tmp_path / "web", files)
    first = scan(options(root), INFO, keep=True)
    assert "lib" in body(first)["components"]  # a package of npm until the module exists (baseUrl ".")
    commit(root, {"lib/Card.tsx": "export const Card = 1;\n"})
    second = scan(options(root), INFO, previous=carried(first.pack), keep=True)
    assert second.restored and second.parsed == 1  # page.tsx resolved again from the pack's extraction
    assert body(second) == body(scan(options(root), INFO))
    assert body(second)["components"]["lib/Card"]["Card"]["members"]["Body"]["instances"] == 1


def test_a_dependency_declared_re_resolves_only_the_files_that_asked_for_it(tmp_path: Path) -> None:
    """A pull request that adds a dependency rebuilt the whole index (the declared names were in the
    pack's inputs); only a file whose `paths` fallback asked whether its package is declared changes."""
    vue = '{"compilerOptions": {"baseUrl": ".", "paths": {"@vue/*": ["packages/*/src"]}}}'
    files: dict[str, str | bytes] = {
        "tsconfig.json": vue,
        "package.json": '{"dependencies": {"react": "^18"}}',
        "src/sfc.ts": "import { compile } from '@vue/consolidate';\n",
        **{f"src/x{n}.tsx": "import { Pane } from 'evergreen-ui';\n" for n in range(8)},
    }
    root = git_repo(tmp_path / "vue", files)
    first = scan(options(root), INFO, keep=True)
    assert "packages/consolidate/src" in body(first)["packages"]
    for declared in ('"react": "^18", "@vue/consolidate": "^1"', '"react": "^18", "left-pad": "1"'):
        first = from_the_pack(root, first, {"package.json": f'{{"dependencies": {{{declared}}}}}'})
        assert first.parsed == 0
    assert "packages/consolidate/src" in body(first)["packages"]


def test_a_declaration_file_read_coming_or_going_re_resolves_the_files_that_import_its_module(
    tmp_path: Path,
) -> None:
    """Read (include_declarations), `types/foo.d.ts` is the repo's module `foo` under `"*": ["types/*"]`:
    an unchanged file importing `foo` resolved again as an npm package was left counting it as one."""
    star = '{"compilerOptions": {"baseUrl": ".", "paths": {"*": ["types/*"]}}}'
    root, first = packed_repo(
        tmp_path / "dts",
        {
            "depreport.toml": "include_declarations = true\n",
            "tsconfig.json": star,
            "src/a.ts": "import { x } from 'foo';\n",
        },
    )
    assert "foo" in body(first)["packages"]
    added: dict[str, str | bytes] = {"types/foo.d.ts": "export declare const x: number;\n"}
    first = from_the_pack(root, from_the_pack(root, first, added), {}, ("types/foo.d.ts",))
    assert "foo" in body(first)["packages"] and "types/foo" not in body(first)["packages"]


def test_a_file_that_is_no_module_coming_or_going_re_resolves_the_files_that_looked_for_it(
    tmp_path: Path,
) -> None:
    """Under `baseUrl: "src"`, `styles/main.scss` is the repo's file once it exists, else the npm package
    `styles`: a pack does not list such files, so the file that imports it kept the first answer."""
    root, first = packed_repo(
        tmp_path / "scss",
        {
            "tsconfig.json": '{"compilerOptions": {"baseUrl": "src"}}',
            "src/a.ts": "import 'styles/main.scss';\n",
        },
    )
    assert "styles" in body(first)["packages"]
    added: dict[str, str | bytes] = {"src/styles/main.scss": "body {}\n"}
    second = from_the_pack(root, first, added)
    assert "src/styles/main.scss" in body(second)["packages"]
    third = from_the_pack(root, second, {}, ("src/styles/main.scss",))
    assert "styles" in body(third)["packages"]


def test_unreadable_or_foreign_packs_are_ignored(repo: Path) -> None:
    pack = scan(options(repo), INFO, keep=True).pack
    assert pack is not None
    data = encode_pack(pack)
    assert decode_pack(b"not a pack") is None
    assert decode_pack(data[:-20] + bytes(20)) is None  # checksum
    assert decode_pack(encode_pack(Pack("x", {}, {}, None, {}))) is not None
    import marshal

    import zstandard

    foreign = marshal.dumps((("other-format", "0", 0), "x", {}, {}, None))
    assert decode_pack(zstandard.compress(foreign)) is None
    assert PACK_FORMAT.startswith("depreport-pack/")
    head = (("depreport-pack/3", __version__, EXTRACTOR_VERSION), pack.inputs, pack.sources, pack.extractions)
    assert decode_pack(zstandard.compress(marshal.dumps((*head, None, {})))) is None  # one frame, as before
    assert decode_pack(data[:-1]) is None  # a section cut short
    assert decode_pack(data + data[-8:]) is None  # more than the head's sizes say


def test_a_pack_whose_index_does_not_match_its_files_is_not_restored(repo: Path) -> None:
    pack = carried(scan(options(repo), INFO, keep=True).pack)
    missing = dict(pack.sources)
    missing.pop("lib/lib0.js")
    assert (
        decode_pack(
            encode_pack(Pack(pack.inputs, missing, pack.extractions, pack.index, pack.looked_up))
        ).index
        is None
    )  # type: ignore[union-attr]
    assert pack.index is not None
    for spoiled in (
        pack.index._replace(facts=[]),  # a field of the wrong type
        pack.index._replace(imports=pack.index.imports._replace(texts={})),  # packages without their text
        pack.index._replace(usage=pack.index.usage[:3]),  # a tally cut short
    ):
        broken = decode_pack(
            encode_pack(Pack(pack.inputs, pack.sources, pack.extractions, spoiled, pack.looked_up))
        )
        assert broken is not None and broken.index is None and broken.extractions == pack.extractions
    commit(repo, {"lib/lib1.js": lib_file(9)})
    second = scan(options(repo), INFO, previous=broken)  # the extractions still serve
    assert body(second) == body(scan(options(repo), INFO))


EDITS = st.lists(
    st.tuples(
        st.sampled_from([f"lib/lib{n}.js" for n in range(32)] + ["apps/web/src/ui/Card.tsx", "helpers.py"]),
        st.one_of(st.none(), st.integers(0, 20)),
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rounds=st.lists(EDITS, min_size=1, max_size=3))
def test_any_sequence_of_edits_gives_the_cold_scans_report(
    tmp_path_factory: pytest.TempPathFactory, rounds: list[list[tuple[str, int | None]]]
) -> None:
    root = git_repo(tmp_path_factory.mktemp("edits") / "web", START)
    pack = scan(options(root), INFO, keep=True).pack
    for edits in rounds:
        present = {path for path, _ in edits if (root / path).exists()}
        changes: dict[str, str | bytes] = {}
        removed = []
        for path, content in edits:
            if content is None:
                if path in present and path not in changes:
                    removed.append(path)
                    present.discard(path)
            elif path not in removed:
                text = (
                    lib_file(content)
                    if path.endswith(".js")
                    else f"import {{ X{content} }} from 'evergreen-ui';\n"
                )
                changes[path] = text if not path.endswith(".py") else f"import m{content}\n"
        commit(root, changes, removed=tuple(removed))
        found = scan(options(root), INFO, previous=carried(pack), keep=True)
        assert body(found) == body(scan(options(root), INFO))
        assert body(found)["components"]["evergreen-ui"]  # the lib files' instances and values
        assert found.restored  # few files resolve through aliases or Python modules here
        pack = found.pack


def test_outside_git_without_a_cache_every_file_is_read_and_the_index_built_afresh(repo: Path) -> None:
    walk = replace(options(repo), use_git=False)
    first = scan(walk, INFO, keep=True)
    second = scan(walk, INFO, previous=carried(first.pack))
    assert not second.restored and second.parsed == first.parsed
    assert body(second) == body(first)


class _Facts(dict[str, Any]):
    """A saved index's facts that a weak reference can follow."""


class _Source:
    """Hands a pack over once, as the store's packs do (`StoredPacks.previous`)."""

    def __init__(self, pack: Pack | None) -> None:
        self.pack = pack

    def previous(self) -> Pack | None:
        given, self.pack = self.pack, None
        return given


def test_a_restored_pack_s_saved_index_is_let_go_before_the_report_is_made(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The saved index is copied into the live one: held while the report is made, it would add its
    size to a job's peak of memory."""
    first = scan(options(repo), INFO, keep=True)
    commit(repo, {"lib/lib1.js": lib_file(1, "import { Dialog } from 'evergreen-ui';\n")})
    pack = carried(first.pack)
    assert pack.index is not None
    facts = _Facts(pack.index.facts)
    alive = weakref.ref(facts)
    source = _Source(replace(pack, index=pack.index._replace(facts=facts)))
    del facts, pack
    held: list[bool] = []
    outline = ReportBody.outline

    def watched(body: ReportBody) -> Any:
        gc.collect()
        held.append(alive() is not None)
        return outline(body)

    monkeypatch.setattr(ReportBody, "outline", watched)
    found = scan(options(repo), INFO, previous=source, keep=True)
    assert found.restored and held == [False]
    assert body(found) == body(scan(options(repo), INFO))


def test_a_scan_that_keeps_no_pack_holds_its_usage_block_as_text_alone(repo: Path) -> None:
    """Its dicts take ~10 times its text: let go once encoded, and decoded again when the outline is
    asked for (a publish without a pack checks and summarises it)."""
    found = scan(options(repo), INFO)
    assert found.outline is not None and found.outline["usage"] is None
    usage = json.loads(found.parts()["usage"])
    assert usage["keys"] and found.report_outline["usage"] == usage == found.report["usage"]


@pytest.mark.parametrize("keep", [True, False], ids=["keeping-a-pack", "keeping-none"])
def test_a_new_index_holds_no_file_s_records_or_extraction_when_its_report_is_made(
    repo: Path, monkeypatch: pytest.MonkeyPatch, keep: bool
) -> None:
    """The index keeps its files' facts (the tallies hold every count) and the scan keeps of each result
    its content id, and for the pack its extraction encoded: the records and extractions of every file
    would add ~140 MB to the peak of a scan of 42k files."""
    held: list[tuple[int, int]] = []
    outline = ReportBody.outline

    def watched(body: ReportBody) -> Any:
        gc.collect()
        extractions = sum(isinstance(o, Extraction) for o in gc.get_objects())
        held.append((len(body.index.files), extractions))
        return outline(body)

    monkeypatch.setattr(ReportBody, "outline", watched)
    found = scan(options(repo), INFO, keep=keep)
    assert held == [(0, 0)] and found.totals["files_parsed"] > 3
    monkeypatch.undo()
    assert body(found) == body(scan(options(repo), INFO, records=True))
    if keep:  # the pack holds every content's extraction, and the next scan starts from it
        totals = found.totals
        assert found.pack is not None and totals["files_skipped"] == 1  # a binary file: no extraction
        assert len(found.pack.extractions) == totals["files_seen"] - totals["files_skipped"]
        commit(repo, {"lib/lib1.js": lib_file(1, "import { Dialog } from 'evergreen-ui';\n")})
        again = scan(options(repo), INFO, previous=carried(found.pack), keep=True)
        assert again.restored and again.parsed == 1 and body(again) == body(scan(options(repo), INFO))
