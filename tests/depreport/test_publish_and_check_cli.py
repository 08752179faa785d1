"""Publishing, listing and the ratchet through `main([...])`, on real git repositories and stores."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import cast

import pytest

from depreport.cli import main
from depreport.history.publish import summarize, summary_text
from depreport.report.shape import Summary
from depreport.store.layout import encode_json
from tests.conftest import FIXTURES
from tests.helpers import git, git_copy, git_repo
from tests.s3server import WeedServer

pytestmark = pytest.mark.integration
CONFIG = (FIXTURES / "repos" / "mini-app" / "depreport.toml").read_text()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git copy of the sample app."""
    return git_copy(FIXTURES / "repos" / "mini-app", tmp_path / "app")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main([*args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_publish_list_and_read_back(repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = str(tmp_path / "store")
    scan = ["scan", str(repo), "--progress", "never", "--no-cache", "--repo", "acme/app", "--publish", store]
    code, _, err = run(capsys, *scan)
    assert code == 0 and "published acme/app" in err
    run(capsys, *scan)
    code, out, _ = run(capsys, "reports", "list", "--store", store, "--format", "json")
    assert json.loads(out) == [{"repo": "acme/app", "runs": 2, "latest": json.loads(out)[0]["latest"]}]
    code, out, _ = run(capsys, "reports", "list", "--store", store, "--repo", "acme/app", "--format", "json")
    runs = json.loads(out)
    assert len(runs) == 2 and len({r["run"] for r in runs}) == 2
    code, out, _ = run(
        capsys, "reports", "latest", "--store", store, "--repo", "acme/app", "--format", "json"
    )
    summary = json.loads(out)
    assert summary["adoption"]["target"] == "Evergreen v4"
    assert "files" not in summary["packages"]["evergreen-ui"]["exports"]  # summaries carry counts only
    show = ["reports", "show", runs[0]["run"], "--store", store, "--repo", "acme/app", "--full"]
    code, out, _ = run(capsys, *show, "--format", "json")
    assert json.loads(out)["packages"]["evergreen-ui"]["exports"]["Pane"]["count"] == 2
    latest = ["reports", "latest", "--store", store, "--repo", "acme/app"]
    code, out, _ = run(capsys, *latest, "--full")  # the whole report, not the summary's lines again
    assert code == 0 and json.loads(out)["packages"]["evergreen-ui"]["exports"]["Pane"]["files"]
    code, out, _ = run(capsys, *show[:-1])  # no --full: the summary's readable lines
    assert code == 0 and "--full" in out and not out.startswith("{")
    code, _, err = run(capsys, *show, "--format", "text")
    assert code == 2 and "do not go together" in err


def test_show_says_a_run_of_a_newer_schema_is_shown_unchecked(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`reports latest` passes over a run a newer depreport stored; `reports show` of it printed it as
    if it had been read."""
    store = tmp_path / "store"
    scan = [
        "scan",
        str(repo),
        "--progress",
        "never",
        "--no-cache",
        "--repo",
        "acme/app",
        "--publish",
        str(store),
    ]
    assert run(capsys, *scan)[0] == 0
    (stored,) = store.rglob("*.json.gz")
    report = json.loads(gzip.decompress(stored.read_bytes()))
    stored.write_bytes(gzip.compress(json.dumps({**report, "schema_version": 99}).encode()))
    code, out, _ = run(
        capsys, "reports", "list", "--store", str(store), "--repo", "acme/app", "--format", "json"
    )
    show = [
        "reports",
        "show",
        json.loads(out)[0]["run"],
        "--store",
        str(store),
        "--repo",
        "acme/app",
        "--full",
    ]
    code, out, err = run(capsys, *show)
    assert code == 0 and json.loads(out)["schema_version"] == 99
    assert "is of schema version 99, and this depreport reads versions 1 to" in err and "unchecked" in err


def scanned_report(capsys: pytest.CaptureFixture[str], report: Path) -> Path:
    """The mini app's report, written to `report`."""
    run(
        capsys,
        "scan",
        str(FIXTURES / "repos" / "mini-app"),
        "--no-cache",
        "--format",
        "json",
        "--out",
        str(report),
    )
    return report


def test_publish_a_report_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = scanned_report(capsys, tmp_path / "r.json")
    code, _, err = run(capsys, "publish", str(report), "--store", str(tmp_path / "s"), "--repo", "acme/mini")
    assert code == 0 and "acme/mini/reports/" in err


def test_publishing_the_same_report_again_stores_no_second_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report, store = scanned_report(capsys, tmp_path / "r.json"), str(tmp_path / "s")
    code, _, err = run(capsys, "publish", str(report), "--store", store, "--repo", "acme/mini")
    assert code == 0 and "published acme/mini" in err
    code, _, err = run(capsys, "publish", str(report), "--store", store, "--repo", "acme/mini")  # a rerun
    assert code == 0 and "this report is in" in err and "already" in err and "not stored again" in err
    code, out, _ = run(capsys, "reports", "list", "--store", store, "--repo", "acme/mini", "--format", "json")
    assert len(json.loads(out)) == 1
    (stored,) = (tmp_path / "s").rglob("*.json.gz")
    stored.write_bytes(b"damaged")  # a run that holds no readable report matches nothing, and stops nothing
    code, _, err = run(capsys, "publish", str(report), "--store", store, "--repo", "acme/mini")
    assert code == 0 and "published acme/mini" in err
    for left in (tmp_path / "s").rglob(stored.name.removesuffix(".json.gz") + ".json*"):
        left.unlink()  # that run gone: one run again
    edited = json.loads(report.read_text()) | {"branch": "other"}  # same time and commit, another report
    report.write_text(json.dumps(edited))
    code, _, err = run(capsys, "publish", str(report), "--store", store, "--repo", "acme/mini")
    assert code == 0 and "published acme/mini" in err
    code, out, _ = run(capsys, "reports", "list", "--store", store, "--repo", "acme/mini", "--format", "json")
    assert len(json.loads(out)) == 2


def test_publish_a_report_file_without_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`options` is optional in a report (older ones, other tools'): publishing takes it as no groups."""
    report = tmp_path / "r.json"
    scan_args = ["--no-cache", "--format", "json", "--out", str(report)]
    run(capsys, "scan", str(FIXTURES / "repos" / "mini-app"), *scan_args)
    document = json.loads(report.read_text())
    del document["options"]
    report.write_text(json.dumps(document))
    code, _, err = run(capsys, "publish", str(report), "--store", str(tmp_path / "s"), "--repo", "acme/mini")
    assert code == 0 and "acme/mini/reports/" in err


@pytest.mark.parametrize("name", ["../escape", "/abs/path", "a/../b", "has space"])
def test_hostile_repo_names_are_refused_before_scanning(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys, "scan", str(FIXTURES / "repos" / "mini-app"), "--repo", name, "--publish", str(tmp_path / "s")
    )
    assert code == 2 and "repo name" in err
    assert not (tmp_path / "s").exists()


@pytest.mark.parametrize("command", ["scan", "backfill", "publish"])
def test_a_detected_repo_name_that_cannot_be_stored_asks_for_repo(
    command: str, repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A clone of a local mirror (origin /work/.mirror/saleor+saleor-dashboard/repo) names no org/name."""
    git(repo, "remote", "add", "origin", "/work/.mirror/saleor+saleor-dashboard/repo")
    store = str(tmp_path / "store")
    args = {
        "scan": ["scan", str(repo), "--no-cache", "--progress", "never", "--publish", store],
        "backfill": ["backfill", str(repo), "--weeks", "1", "--progress", "never", "--publish", store],
        "publish": ["publish", str(tmp_path / "report.json"), "--store", store],
    }[command]
    if command == "publish":
        run(
            capsys,
            "scan",
            str(repo),
            "--no-cache",
            "--format",
            "json",
            "--out",
            str(tmp_path / "report.json"),
        )
    code, _, err = run(capsys, *args)
    assert code == 2 and "'saleor+saleor-dashboard/repo'" in err and "as no --repo was given" in err
    assert "hint: give the name to store it under: --repo org/name" in err
    assert not (tmp_path / "store").exists()
    code, _, err = run(capsys, *args, "--repo", "saleor/saleor-dashboard")
    assert code == 0, err


def test_unknown_store_scheme_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "reports", "list", "--store", "gs://bucket/x")
    assert code == 2 and "unsupported scheme" in err


def test_ratchet_with_a_baseline_file(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    baseline = repo / "depreport-baseline.json"
    check = ["check", str(repo), "--progress", "never", "--baseline", str(baseline)]
    code, out, err = run(capsys, *check)
    assert code == 2 and "create it with check --update-baseline" in err
    code, _, err = run(capsys, *check, "--update-baseline")
    assert code == 0 and "created" in err
    tracked = json.loads(baseline.read_text())["tracked"]
    assert set(tracked) == {
        "@acme/react-ui SelectMenu", "evergreen-ui Icon", "evergreen-ui-v3 default", "src/ui Card",
        "src/ui/Button default",
    }  # fmt: skip
    (repo / "src/pages/New.tsx").write_text("import Dialog from 'evergreen-ui-v3/dialog';\n")
    code, out, _ = run(capsys, *check, "--format", "github")
    assert code == 1
    assert "::error file=src/pages/New.tsx,line=1::evergreen-ui-v3 default grew from 1 to 2" in out
    (repo / "src/pages/New.tsx").unlink()
    (repo / "src/pages/Settings.jsx").write_text("export default () => null;\n")
    code, out, err = run(capsys, *check, "--update-baseline")
    assert code == 0 and "ok:" in out and "updated" in err
    assert "@acme/react-ui SelectMenu" not in json.loads(baseline.read_text())["tracked"]


def test_ratchet_writes_a_step_summary(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    baseline = str(repo / "b.json")
    run(capsys, "check", str(repo), "--progress", "never", "--baseline", baseline, "--update-baseline")
    code, _, _ = run(capsys, "check", str(repo), "--progress", "never", "--baseline", baseline)
    assert code == 0 and summary.read_text().startswith("### ✅ depreport check")


@pytest.mark.parametrize("where", ["missing/summary.md", "."], ids=["no-such-folder", "a-folder"])
def test_a_step_summary_that_cannot_be_written_leaves_the_verdict(
    where: str,
    repo: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / where))
    baseline = str(repo / "b.json")
    run(capsys, "check", str(repo), "--progress", "never", "--baseline", baseline, "--update-baseline")
    code, out, err = run(capsys, "check", str(repo), "--progress", "never", "--baseline", baseline)
    assert code == 0 and out.startswith("depreport check ok")
    assert "warning: cannot add the verdict to GITHUB_STEP_SUMMARY" in err and "Traceback" not in err


def test_ratchet_needs_something_to_track(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = git_repo(tmp_path / "plain", {"a.js": "import x from 'x';"})
    code, _, err = run(capsys, "check", str(repo), "--baseline", str(tmp_path / "b.json"))
    assert code == 2 and "nothing to check" in err


@pytest.mark.s3
def test_publish_to_s3_and_check_against_the_latest_report(
    repo: Path, s3_server: WeedServer, s3_bucket: str, capsys: pytest.CaptureFixture[str]
) -> None:
    store = f"s3://{s3_bucket}/depreport"
    endpoint = ["--endpoint-url", s3_server.endpoint]
    scan = ["scan", str(repo), "--progress", "never", "--repo", "acme/app", "--publish", store, *endpoint]
    assert run(capsys, *scan)[0] == 0
    code, out, _ = run(capsys, "reports", "list", "--store", store, *endpoint, "--format", "json")
    assert [r["repo"] for r in json.loads(out)] == ["acme/app"]
    (repo / "src/pages/New.tsx").write_text("import { SelectMenu } from '@acme/react-ui';\n")
    check = ["check", str(repo), "--progress", "never", "--repo", "acme/app", "--store", store, *endpoint]
    code, out, _ = run(capsys, *check)
    assert code == 1 and "@acme/react-ui SelectMenu: 1 → 2" in out


@pytest.mark.s3
def test_missing_bucket_is_a_clear_store_error(
    repo: Path, s3_server: WeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    scan = [
        "scan",
        str(repo),
        "--progress",
        "never",
        "--repo",
        "acme/app",
        "--publish",
        "s3://no-such-bucket/x",
    ]
    code, _, err = run(capsys, *scan, "--endpoint-url", s3_server.endpoint)
    assert code == 3 and "no-such-bucket" in err


SETTINGS_TWO_MENUS = """import React from 'react';
import * as EG from 'evergreen-ui';
const { SelectMenu } = require('@acme/react-ui');
const path = require('node:path');

export default function Settings() {
  return <EG.Pane><SelectMenu title={path.basename('x')} />
    <SelectMenu title="again" /></EG.Pane>;
}
"""


def baselined(repo: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, list[str]]:
    """A baseline of the repo as it is, and the check command against it."""
    baseline = repo / "depreport-baseline.json"
    check = ["check", str(repo), "--progress", "never", "--baseline", str(baseline)]
    assert run(capsys, *check, "--update-baseline")[0] == 0
    return baseline, check


def test_ratchet_on_instances_of_components_being_replaced(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One more <SelectMenu> in a file that imports it already: imports did not grow, instances did."""
    baseline, check = baselined(repo, capsys)
    instances = json.loads(baseline.read_text())["instances"]
    assert instances["@acme/react-ui SelectMenu"] == {"count": 1, "files": {"src/pages/Settings.jsx": 1}}
    assert not any(key.startswith("evergreen-ui ") for key in instances)  # the target is never tracked
    (repo / "src/pages/Settings.jsx").write_text(SETTINGS_TWO_MENUS)
    code, out, err = run(capsys, *check)
    assert code == 1
    assert "@acme/react-ui SelectMenu (instances): 1 → 2" in out
    assert "render Evergreen v4's component instead" in out
    assert "src/pages/Settings.jsx:7  1 → 2 in this file" in out
    assert "4 tracked components: 4 → 5 instances" in err  # SelectMenu, and three of the legacy groups
    code, out, _ = run(capsys, *check, "--format", "github")
    assert "::error file=src/pages/Settings.jsx,line=7::@acme/react-ui SelectMenu (instances) grew from 1 to 2 " \
        "instances" in out  # fmt: skip
    code, out, _ = run(capsys, *check, "--update-baseline")
    assert code == 1 and json.loads(baseline.read_text())["instances"] == instances  # never loosened


def test_a_baseline_made_before_instances_checks_imports_and_says_so(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    baseline, check = baselined(repo, capsys)
    older = json.loads(baseline.read_text())
    del older["instances"]
    baseline.write_text(json.dumps(older))
    (repo / "src/pages/Settings.jsx").write_text(SETTINGS_TWO_MENUS)
    code, out, err = run(capsys, *check)
    assert code == 0 and "ok:" in out
    assert "the baseline has no instance counts" in err and "--update-baseline" in err
    assert run(capsys, *check, "--update-baseline")[0] == 0
    tracked = json.loads(baseline.read_text())["instances"]["@acme/react-ui SelectMenu"]
    assert tracked["count"] == 2


def test_ratchet_on_instances_against_the_latest_stored_report(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = str(tmp_path / "store")
    scan = ["scan", str(repo), "--progress", "never", "--repo", "acme/app", "--publish", store]
    assert run(capsys, *scan)[0] == 0
    (repo / "src/pages/Settings.jsx").write_text(SETTINGS_TWO_MENUS)
    check = ["check", str(repo), "--progress", "never", "--repo", "acme/app", "--store", store]
    code, out, _ = run(capsys, *check)
    assert code == 1 and "@acme/react-ui SelectMenu (instances): 1 → 2" in out
    assert "@acme/react-ui SelectMenu: " not in out  # its imports did not grow


def test_ratchet_counts_each_import_and_instance_for_the_group_of_its_subpath(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`@acme/ui/next` is the target and the rest of `@acme/ui` is being replaced: only the rest is held."""
    config = '[[groups]]\nname = "Next"\npackages = ["@acme/ui/next/**"]\ntarget = true\n\n'
    config += '[[groups]]\nname = "Legacy"\npackages = ["@acme/ui"]\n'
    legacy = "import { Button } from '@acme/ui';\nexport const A = () => <Button />;\n"
    repo = git_repo(tmp_path / "app", {"depreport.toml": config, "src/A.tsx": legacy})
    baseline, check = baselined(repo, capsys)
    assert json.loads(baseline.read_text())["instances"] == {
        "@acme/ui Button": {"count": 1, "files": {"src/A.tsx": 1}}
    }
    (repo / "src/B.tsx").write_text(
        "import { Button } from '@acme/ui/next';\nexport const B = () => <><Button />\n<Button /></>;\n"
    )
    code, out, _ = run(capsys, *check)
    assert code == 0 and "ok:" in out  # the target grew: that is the point
    (repo / "src/C.tsx").write_text(legacy)
    code, out, _ = run(capsys, *check)
    assert code == 1
    assert "@acme/ui Button: 1 → 2 (group 'Legacy' is being replaced)" in out
    assert "@acme/ui Button (instances): 1 → 2" in out and "src/C.tsx:2  0 → 1 in this file" in out
    assert "src/B.tsx" not in out


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(
            ["scan", str(FIXTURES / "repos" / "mini-app"), "--no-cache", "--publish", "{store}"], id="scan"
        ),
        pytest.param(["adoption", "--store", "{store}"], id="adoption"),
        pytest.param(["reports", "list", "--store", "{store}"], id="reports-list"),
        pytest.param(["export", "--store", "{store}", "--out", "{store}-out"], id="export"),
    ],
)
def test_a_blank_repo_is_refused_not_taken_for_the_default(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`scan --publish S --repo ''` stored the run under the folder's name, `adoption --repo ''` summed
    every repo: a blank name is a mistake (an unset CI variable), not a request for the default."""
    store = str(tmp_path / "store")
    args = [part.replace("{store}", store) for part in command]
    with pytest.raises(SystemExit) as refused:  # argparse refuses it
        main([*args, "--repo", " "])
    assert refused.value.code == 2 and "--repo: empty: give the repository's name" in capsys.readouterr().err
    assert not (tmp_path / "store").exists()


@pytest.mark.parametrize("cache", [["--no-cache"], []], ids=["cold", "from-the-pack"])
def test_a_published_summary_is_the_summary_of_the_report_beside_it(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], cache: list[str]
) -> None:
    """The summary copies blocks of the report as the scan's text of them: the bytes stored are the ones
    encoding the summary of the stored report gives."""
    store = tmp_path / "store"
    scan = ["scan", str(repo), "--progress", "never", "--repo", "acme/app", "--publish", str(store), *cache]
    for _ in range(2):  # the second from the first's pack, unless --no-cache
        assert run(capsys, *scan)[0] == 0
    for stored in sorted(store.rglob("reports/**/*.json.gz")):
        report = json.loads(gzip.decompress(stored.read_bytes()))
        summary_path = Path(str(stored).replace("/reports/", "/summaries/").removesuffix(".gz"))
        summary = json.loads(summary_path.read_bytes())
        assert summary["usage"] == report["usage"] and summary["usage"]["keys"]
        expected = {**summarize(report), "run_time": summary["run_time"]}
        assert summary_path.read_bytes() == encode_json(expected)


def test_summary_text_copies_the_blocks_it_is_given() -> None:
    summary = cast(Summary, {"usage": {"b": 1, "a": [2]}, "totals": {"imports": 3}, "repo": "acme/app"})
    assert json.loads(summary_text(summary, {})) == summary
    assert summary_text(summary, {}).encode() == encode_json(summary)
    given = summary_text(summary, {"usage": '{"copied":1}', "packages": "{}"})  # not encoded: copied
    assert given == '{"repo":"acme/app","totals":{"imports":3},"usage":{"copied":1}}'  # and only its blocks
