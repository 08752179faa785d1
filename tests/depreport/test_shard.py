"""Sharded scans merge into the report one full scan makes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from depreport.cli import main
from depreport.scan.shard import shard_of
from tests.conftest import FIXTURES
from tests.helpers import write_files

pytestmark = pytest.mark.integration


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The sample mini app, plus CODEOWNERS so per-owner adoption must survive the merge too."""
    copy = tmp_path / "app"
    shutil.copytree(FIXTURES / "repos" / "mini-app", copy)
    write_files(copy, {"CODEOWNERS": "/src/pages/ @acme/pages\n/src/ui/ @acme/ui\n"})
    return copy


def body(report: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in report.items() if k != "generated_at"}


@pytest.mark.parametrize("count", [1, 3, 5])
def test_merged_shards_equal_a_full_scan(
    repo: Path,
    tmp_path: Path,
    count: int,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767607200")
    common = ["--no-cache", "--progress", "never", "--repo", "acme/app", "--commit", "a" * 40]
    main(["scan", str(repo), "--format", "json", "--out", str(tmp_path / "full.json"), *common])
    parts = []
    for number in range(1, count + 1):
        part = tmp_path / f"part-{number}.json"
        assert main(["scan", str(repo), "--shard", f"{number}/{count}", "--out", str(part), *common]) == 0
        parts.append(str(part))
    assert main(["merge", *reversed(parts), "--out", str(tmp_path / "merged.json")]) == 0
    full = json.loads((tmp_path / "full.json").read_text())
    merged = json.loads((tmp_path / "merged.json").read_text())
    assert merged == full
    assert "by_owner" in merged["adoption"]


def test_slices_are_stable_and_cover_every_file() -> None:
    paths = [f"src/m{i}/f{i}.ts" for i in range(2000)]
    slices = [shard_of(p, 4) for p in paths]
    assert slices == [shard_of(p, 4) for p in paths]
    assert {1, 2, 3, 4} == set(slices) and all(slices.count(n) > 400 for n in (1, 2, 3, 4))


def test_missing_shard_is_refused(repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    part = tmp_path / "p1.json"
    main(["scan", str(repo), "--shard", "1/2", "--out", str(part), "--no-cache", "--progress", "never"])
    assert main(["merge", str(part)]) == 2
    assert "give exactly one partial for each of 1..2" in capsys.readouterr().err


def test_merging_the_same_partials_again_publishes_one_run(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A retried merge job of README's sharded workflow: the second publish is said and skipped.

    The merge stamped the report with its own time, so a retry in another second was a new report,
    published again: the report now has the time of the last shard."""
    common = ["--no-cache", "--progress", "never", "--repo", "acme/app", "--commit", "a" * 40]
    parts = [str(tmp_path / f"part-{n}.json") for n in (1, 2)]
    for number, part in enumerate(parts, 1):
        assert main(["scan", str(repo), "--shard", f"{number}/2", "--out", part, *common]) == 0
        document = json.loads(Path(part).read_text(encoding="utf-8"))
        document["header"]["generated_at"] = f"2026-01-0{number}T10:00:00Z"  # each shard's own time
        Path(part).write_text(json.dumps(document), encoding="utf-8")
    store = str(tmp_path / "store")
    merge = ["merge", *parts, "--out", str(tmp_path / "report.json"), "--publish", store]
    assert main(merge) == 0 and "published acme/app" in capsys.readouterr().err
    merged = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert merged["generated_at"] == "2026-01-02T10:00:00Z"
    assert main(merge) == 0 and "not stored again" in capsys.readouterr().err
    assert main(["reports", "list", "--store", store, "--repo", "acme/app", "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1


@pytest.mark.parametrize("shard", ["", "\u00b9/\u00b2"], ids=["empty", "superscript-digits"])
def test_a_shard_that_is_not_i_of_n_exits_2(
    shard: str, repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    part = tmp_path / "p.json"
    code = main(
        ["scan", str(repo), "--shard", shard, "--out", str(part), "--no-cache", "--progress", "never"]
    )
    assert code == 2 and f"--shard {shard!r} is not I/N" in capsys.readouterr().err and not part.exists()


def test_a_shard_says_what_it_did_not_read_as_a_scan_says_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A shard said the Vue files a scan of the same tree says it did not read, and passed over a tsconfig
    extending a preset package that is not installed, which the scan names too."""
    write_files(tmp_path / "app", {"src/a.ts": "import a from 'x';", "src/B.vue": "",
                                   "tsconfig.json": '{"extends": "@acme/tsconfig"}'})  # fmt: skip
    common = [str(tmp_path / "app"), "--no-cache", "--progress", "never"]
    assert main(["scan", *common, "--format", "json", "--out", str(tmp_path / "full.json")]) == 0
    scanned = capsys.readouterr().err
    assert main(["scan", *common, "--shard", "1/2", "--out", str(tmp_path / "part-1.json")]) == 0
    sharded = capsys.readouterr().err
    for said in ("1 .vue file not read", "tsconfig.json extends '@acme/tsconfig', which is not installed"):
        assert said in scanned and said in sharded
