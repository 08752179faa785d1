"""Hostile stores, baselines and names: bad runs are refused or skipped, never a crash or an injection.

Reports come from real scans; malformed objects are planted in a real local store folder and in a
real SeaweedFS bucket; outputs are read the way a CI log or a Markdown viewer reads them.
"""

from __future__ import annotations

import gzip
import json
import math
import os
import shutil
import socket
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from referencing import Registry, Resource

from dashboard.source import read_history, read_usage
from depreport.cli import main
from depreport.history.adoption import Groups
from depreport.history.publish import publish
from depreport.model import ProblemReason, Resolution
from depreport.report.schema import ReportError, json_schema
from depreport.report.schema.validate import report_problem, summary_problem
from depreport.store import LocalStore, latest_readable, open_store, stored_report, stored_summary
from fixtures.sample_app.build import build_sample_repo
from tests.conftest import FIXTURES
from tests.helpers import git_copy, git_repo
from tests.s3server import TEST_KEY, TEST_SECRET, WeedServer

pytestmark = pytest.mark.integration
CODEOWNERS = "* @acme/web\nsrc/ui/ @acme/ui\n"
WEEK1, WEEK2 = "2026-01-07T10:00:00Z", "2026-01-14T10:00:00Z"  # two Wednesdays
LATER_IN_WEEK2 = ("2026-01-14T110000Z", "2026-01-14T120000Z", "2026-01-14T130000Z", "2026-01-14T140000Z")
FUTURE = "2999-01-06T100000Z"
SHA = "abcdef012345"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main([*args])
    out = capsys.readouterr()
    return code, out.out, out.err


def scan_json(capsys: pytest.CaptureFixture[str], repo: Path, out: Path, *extra: str) -> dict[str, Any]:
    code, _, err = run(
        capsys, "scan", str(repo), "--progress", "never", "--format", "json", "--out", str(out), *extra
    )
    assert code in (0, 1), err
    report: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return report


@pytest.fixture
def app(tmp_path: Path) -> Path:
    """A git copy of the mini app with a CODEOWNERS file (its reports have adoption.by_owner)."""
    return git_copy(FIXTURES / "repos" / "mini-app", tmp_path / "app", {".github/CODEOWNERS": CODEOWNERS})


@pytest.fixture
def report(app: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    return scan_json(capsys, app, tmp_path / "report.json", "--repo", "acme/app")


# --- the schema and the checks accept every real report -------------------------------------------


def test_reports_with_codeowners_match_the_schema(report: dict[str, Any]) -> None:
    assert report["adoption"]["by_owner"]  # the case the schema used to refuse
    jsonschema.validate(report, json_schema())
    assert report_problem(report) is None


def test_sample_app_reports_and_summaries_pass(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = tmp_path / "sample"
    build_sample_repo(repo, weeks=2)
    owners = repo / ".github" / "CODEOWNERS"
    if not owners.exists():  # the sample app may have its own
        owners.parent.mkdir(exist_ok=True)
        owners.write_text(CODEOWNERS)
    store = tmp_path / "store"
    report = scan_json(capsys, repo, tmp_path / "r.json", "--repo", "acme/sample", "--publish", str(store))
    jsonschema.validate(report, json_schema())
    assert report_problem(report) is None and report["adoption"]["by_owner"]
    local = LocalStore(store)
    (ref,) = local.list_runs("acme/sample")
    summary = local.get_summary(ref)
    assert summary_problem(summary) is None and summary["usage"]
    summary_validator().validate(summary)


def summary_validator() -> jsonschema.Draft202012Validator:
    """The summary's JSON Schema, which refers to the report's."""
    schemas = (json_schema(), json_schema("summary"))
    registry = Registry().with_resources([(s["$id"], Resource.from_contents(s)) for s in schemas])
    return jsonschema.Draft202012Validator(json_schema("summary"), registry=registry)


def test_the_summary_schema_refuses_what_the_checks_refuse(report: dict[str, Any], tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "store")
    summary = store.get_summary(publish(store, report))
    summary_validator().validate(summary)
    for spoil in (
        lambda s: s["adoption"]["by_owner"].update({"@x": {"groups": 5}}),
        lambda s: s["totals"].update(imports=-1),
        lambda s: s["totals"].update(imports=2**64),
        lambda s: s["usage"].update(rows={}),
        lambda s: s.update(problems=[]),
    ):
        bad = json.loads(json.dumps(summary))
        spoil(bad)
        assert summary_problem(bad) is not None
        assert not summary_validator().is_valid(bad)


def test_the_schema_names_every_reason_and_resolution() -> None:
    schema = json_schema()
    assert set(schema["properties"]["problems"]["items"]["properties"]["reason"]["enum"]) == set(
        ProblemReason
    )
    assert set(schema["$defs"]["package"]["properties"]["resolved_as"]["enum"]) == set(Resolution)


# --- publish refuses bad runs, naming the field -----------------------------------------------------


def _share(report: dict[str, Any]) -> dict[str, Any]:
    return report["adoption"]["groups"]["Evergreen v4"]["share"]  # type: ignore[no-any-return]


def _an_export(report: dict[str, Any]) -> dict[str, Any]:
    return report["packages"]["evergreen-ui"]["exports"]["Pane"]  # type: ignore[no-any-return]


BAD_REPORTS: list[Any] = [
    pytest.param(lambda r: _share(r).update(imports=math.nan), "share.imports", id="nan-share"),
    pytest.param(lambda r: _share(r).update(files=math.inf), "share.files", id="infinite-share"),
    pytest.param(lambda r: r.update(generated_at="2999-01-01T00:00:00Z"), "generated_at", id="future"),
    pytest.param(lambda r: r.update(generated_at="2026-13-45T00:00:00Z"), "generated_at", id="no-such-day"),
    pytest.param(lambda r: r["totals"].update(imports="many"), "totals.imports", id="count-is-text"),
    pytest.param(lambda r: r["totals"].update(files_seen=-1), "totals.files_seen", id="negative"),
    pytest.param(lambda r: r["totals"].update(imports=2**64), "totals.imports", id="count-over-2**53"),
    pytest.param(lambda r: _an_export(r).update(files={"a.ts": [2**64]}), '"a.ts"', id="line-over-2**53"),
    pytest.param(lambda r: _an_export(r).update(files={"a.ts": [0]}), '"a.ts"', id="line-zero"),
    pytest.param(lambda r: r["adoption"].update(groups=[]), "adoption.groups", id="groups-list"),
    pytest.param(
        lambda r: r["adoption"]["by_owner"].update({"@x": {"groups": 5}}), 'by_owner["@x"]', id="by-owner"
    ),
    pytest.param(lambda r: r.update(packages=[]), "packages", id="packages-list"),
    pytest.param(lambda r: r.update(problems={}), "problems", id="problems-object"),
]


@pytest.mark.parametrize(("spoil", "field"), BAD_REPORTS)
def test_publish_refuses_a_bad_report_naming_the_field(
    report: dict[str, Any], spoil: Callable[[dict[str, Any]], None], field: str, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    spoil(report)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(report))  # json writes NaN and Infinity, as a careless tool would
    code, _, err = run(capsys, "publish", str(path), "--store", str(tmp_path / "store"))
    assert code == 2 and field in err and "Traceback" not in err
    assert not (tmp_path / "store").exists()
    with pytest.raises(ReportError, match="cannot publish"):
        publish(LocalStore(tmp_path / "store2"), report)  # the scan's own path checks the same


def test_a_backfilled_run_is_dated_by_its_commit(report: dict[str, Any], tmp_path: Path) -> None:
    report["committed_at"] = "2999-01-01T00:00:00Z"
    publish(LocalStore(tmp_path / "a"), report)  # filed under generated_at: accepted
    with pytest.raises(ReportError, match="committed_at is 2999"):
        publish(LocalStore(tmp_path / "b"), report, use_commit_time=True)


# --- readers skip damaged runs, with a warning, and fall back ---------------------------------------


def hostile_objects(report: dict[str, Any]) -> dict[str, bytes]:
    """Keys (under a store root) of runs newer than the good ones, each damaged in its own way."""
    summary = json.dumps({"repo": "acme/app", "adoption": report["adoption"], "run_time": WEEK2})
    nan_summary = summary.replace('"imports": 0.', '"imports": NaN, "x": 0.', 1)
    assert "NaN" in nan_summary
    bodies = {
        LATER_IN_WEEK2[0]: (b"{not json", None),
        LATER_IN_WEEK2[1]: (b"[1, 2]", None),
        LATER_IN_WEEK2[2]: (json.dumps({"repo": "acme/app", "adoption": {"groups": 5}}).encode(), None),
        LATER_IN_WEEK2[3]: (nan_summary.encode(), b"garbage, not gzip"),
        FUTURE: (summary.encode(), gzip.compress(json.dumps(report).encode())),
    }
    objects = {}
    for time, (summary_bytes, report_bytes) in bodies.items():
        month = f"{time[:4]}/{time[5:7]}"
        objects[f"acme/app/summaries/{month}/{time}_{SHA}.json"] = summary_bytes
        objects[f"acme/app/reports/{month}/{time}_{SHA}.json.gz"] = report_bytes or b"\x1f\x8b broken"
    return objects


def publish_two_weeks(report: dict[str, Any], store_uri: str, endpoint: str | None = None) -> None:
    store = open_store(store_uri, endpoint)
    for when in (WEEK1, WEEK2):
        publish(store, {**report, "generated_at": when, "committed_at": when})


def assert_warned_of_every_bad_run(err: str, expect: tuple[str, ...] = (*LATER_IN_WEEK2, FUTURE)) -> None:
    for time in expect:
        assert f"warning: skipped run {time}_{SHA} of acme/app" in err, err
    assert "Traceback" not in err


@pytest.fixture
def hostile_local(report: dict[str, Any], tmp_path: Path) -> Path:
    store = tmp_path / "store"
    publish_two_weeks(report, str(store))
    for key, data in hostile_objects(report).items():
        (store / key).parent.mkdir(parents=True, exist_ok=True)
        (store / key).write_bytes(data)
    return store


def test_reports_latest_is_the_newest_run_that_reads(
    hostile_local: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys, "reports", "latest", "--store", str(hostile_local), "--repo", "acme/app", "--format", "json"
    )
    assert code == 0 and json.loads(out)["generated_at"] == WEEK2
    assert_warned_of_every_bad_run(err)
    code, out, err = run(capsys, "reports", "list", "--store", str(hostile_local), "--format", "json")
    assert code == 0 and not json.loads(out)[0]["latest"].startswith("2999")
    assert_warned_of_every_bad_run(err, (FUTURE,))


def test_reports_show_names_a_damaged_run(hostile_local: Path, capsys: pytest.CaptureFixture[str]) -> None:
    show = [
        "reports",
        "show",
        f"{LATER_IN_WEEK2[0]}_{SHA}",
        "--store",
        str(hostile_local),
        "--repo",
        "acme/app",
    ]
    code, _, err = run(capsys, *show, "--format", "json")
    assert code == 3 and "is not valid JSON" in err and "Traceback" not in err


def test_org_adoption_skips_damaged_runs(
    hostile_local: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # no depreport.toml: each run counts under its own groups
    code, out, err = run(capsys, "adoption", "--store", str(hostile_local), "--format", "json")
    assert code == 0 and "Evergreen v4" in out
    assert_warned_of_every_bad_run(err, (*LATER_IN_WEEK2, FUTURE))


def test_export_skips_damaged_runs(
    hostile_local: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "export", "--store", str(hostile_local), "--out", str(tmp_path / "out"))
    assert code == 0 and "wrote 2 weekly runs" in err
    assert_warned_of_every_bad_run(err)
    assert len(list((tmp_path / "out" / "imports").rglob("*.parquet"))) == 2


def test_check_against_a_store_with_damaged_runs(
    hostile_local: Path, app: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    check = ["check", str(app), "--progress", "never", "--repo", "acme/app", "--store", str(hostile_local)]
    code, out, err = run(capsys, *check)
    assert code == 0 and out.startswith("depreport check ok")
    assert_warned_of_every_bad_run(err)


def test_dashboard_reads_around_damaged_runs(hostile_local: Path) -> None:
    store = LocalStore(hostile_local)
    history = read_history(store)  # the last run of each week, each named when it does not read
    assert history.runs == 1 and set(history.frame["repo"]) == {"acme/app"}
    assert [p.split(":")[0] for p in history.problems] == [
        f"acme/app {LATER_IN_WEEK2[3]}_{SHA}",
        f"acme/app {FUTURE}_{SHA}",
    ]
    usage = read_usage(store, ["acme/app"])
    assert not usage.frame.empty and set(usage.frame["commit"]) == {report_commit(store)}
    assert [p.split(":")[0] for p in usage.problems] == [
        f"acme/app {t}_{SHA}" for t in (FUTURE, *LATER_IN_WEEK2[::-1])
    ]


def report_commit(store: LocalStore) -> str:
    good = [ref for ref in store.list_runs("acme/app") if not ref.stem.endswith(SHA)]
    return str(store.get_report(good[-1])["commit"])


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _endless_device(path: Path) -> None:
    path.symlink_to("/dev/zero")


def _link_loop(path: Path) -> None:
    path.symlink_to(path.name)


@pytest.mark.parametrize("plant", [_fifo, _endless_device, _link_loop], ids=["fifo", "dev-zero", "link-loop"])
@pytest.mark.parametrize("part", ["summary", "report"])
def test_a_stored_object_that_is_no_file_is_a_skipped_run(
    report: dict[str, Any], tmp_path: Path, plant: Callable[[Path], None], part: str
) -> None:
    """A FIFO would block every reader, /dev/zero never ends, a link loop never resolves: a skipped run."""
    publish_two_weeks(report, str(tmp_path / "store"))
    store = LocalStore(tmp_path / "store")
    older, newest = store.list_runs("acme/app")
    path = tmp_path / "store" / (newest.summary_key if part == "summary" else newest.report_key)
    path.unlink()
    plant(path)
    read = stored_summary if part == "summary" else stored_report
    found: list[Any] = []
    reader = threading.Thread(
        target=lambda: found.append(latest_readable(store, "acme/app", read)), daemon=True
    )
    reader.start()
    reader.join(timeout=10)
    if reader.is_alive():  # blocked on the FIFO: open its other end so the thread can finish
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
    assert found, "the read did not return"
    latest, skipped = found[0]
    assert latest is not None and latest[0] == older
    assert [s.stem for s in skipped] == [newest.stem] and "not a file" in skipped[0].reason


@pytest.mark.parametrize("plant", [_fifo, _endless_device], ids=["fifo", "dev-zero"])
def test_dashboard_history_skips_a_summary_that_is_no_file(
    report: dict[str, Any], tmp_path: Path, plant: Callable[[Path], None]
) -> None:
    """History reads a summary's head from the file itself: a FIFO there blocked the page, /dev/zero
    filled memory."""
    publish_two_weeks(report, str(tmp_path / "store"))
    store = LocalStore(tmp_path / "store")
    newest = store.list_runs("acme/app")[-1]
    path = tmp_path / "store" / newest.summary_key
    path.unlink()
    plant(path)
    found: list[Any] = []
    reader = threading.Thread(target=lambda: found.append(read_history(store)), daemon=True)
    reader.start()
    reader.join(timeout=10)
    if reader.is_alive():  # blocked on the FIFO: open its other end so the thread can finish
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
    assert found, "the read did not return"
    assert found[0].runs == 1 and len(found[0].problems) == 1
    assert (
        found[0].problems[0].startswith(f"acme/app {newest.stem}:") and "not a file" in found[0].problems[0]
    )


HUGE_NUMBER = "9" * 5000  # Python reads no integer of over 4300 digits from text (a ValueError)
DEEP = "[" * 100_000 + "]" * 100_000


def test_export_skips_a_run_counting_more_than_64_bits_hold(
    report: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A Parquet column holds 64-bit integers: a run whose adoption counts do not fit is a skipped run."""
    publish_two_weeks(report, str(tmp_path / "store"))
    store = LocalStore(tmp_path / "store")
    newest = store.list_runs("acme/app")[-1]
    summary = store.get_summary(newest)
    next(iter(summary["adoption"]["groups"].values()))["imports"] = 10**30
    (tmp_path / "store" / newest.summary_key).write_text(json.dumps(summary), encoding="utf-8")
    code, _, err = run(capsys, "export", "--store", str(tmp_path / "store"), "--out", str(tmp_path / "out"))
    assert code == 0 and "wrote 1 weekly run" in err and "Traceback" not in err
    assert f"skipped run {newest.stem} of acme/app" in err and "from 0 to 9007199254740991" in err


def test_a_line_number_parquet_cannot_hold_is_refused_and_skipped(
    report: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The export's line column holds 32-bit integers (2**31-1 lines is a file of 2 GB of newlines): a
    larger line number was taken by publish and crashed export with pyarrow's ArrowInvalid."""
    publish_two_weeks(report, str(tmp_path / "store"))
    store = LocalStore(tmp_path / "store")
    newest = store.list_runs("acme/app")[-1]
    stored = stored_report(store, newest)
    files = next(iter(next(iter(stored["packages"].values()))["exports"].values()))["files"]
    files[next(iter(files))] = [2**31]
    (tmp_path / "store" / newest.report_key).write_bytes(gzip.compress(json.dumps(stored).encode()))
    code, _, err = run(capsys, "export", "--store", str(tmp_path / "store"), "--out", str(tmp_path / "out"))
    assert code == 0 and "wrote 1 weekly run" in err and "Traceback" not in err
    assert f"skipped run {newest.stem} of acme/app" in err and "from 1 to 2147483647" in err
    path = tmp_path / "big-line.json"
    path.write_text(json.dumps(stored), encoding="utf-8")
    code, _, err = run(capsys, "publish", str(path), "--store", str(tmp_path / "store2"))
    assert code == 2 and "from 1 to 2147483647" in err and not (tmp_path / "store2").exists()


@pytest.mark.parametrize("value", [HUGE_NUMBER, DEEP], ids=["5000-digit-integer", "nested-100k"])
@pytest.mark.parametrize("part", ["summary", "report"])
def test_a_stored_document_no_reader_can_decode_is_a_skipped_run(
    report: dict[str, Any], tmp_path: Path, value: str, part: str, capsys: pytest.CaptureFixture[str]
) -> None:
    publish_two_weeks(report, str(tmp_path / "store"))
    store = LocalStore(tmp_path / "store")
    older, newest = store.list_runs("acme/app")
    key = newest.summary_key if part == "summary" else newest.report_key
    text = json.dumps({**report, "adoption": "@"}, sort_keys=True, separators=(",", ":")).replace(
        '"@"', value
    )
    (tmp_path / "store" / key).write_bytes(
        text.encode() if part == "summary" else gzip.compress(text.encode())
    )
    read = stored_summary if part == "summary" else stored_report
    latest, skipped = latest_readable(store, "acme/app", read)
    assert latest is not None and latest[0] == older
    assert [s.stem for s in skipped] == [newest.stem] and "not valid JSON" in skipped[0].reason
    history = read_history(store)  # the dashboard reads a summary's head on its own
    assert history.runs == (1 if part == "summary" else 2)
    code, _, err = run(capsys, "adoption", "--store", str(tmp_path / "store"), "--repo", "acme/app")
    assert code == 0 and "Traceback" not in err


@pytest.mark.s3
def test_damaged_runs_in_s3_are_skipped(
    report: dict[str, Any], s3_server: WeedServer, s3_bucket: str, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    uri, endpoint = f"s3://{s3_bucket}/dr", s3_server.endpoint
    publish_two_weeks(report, uri, endpoint)
    client = s3_server.client()
    for key, data in hostile_objects(report).items():
        client.put_object(Bucket=s3_bucket, Key=f"dr/{key}", Body=data)
    where = ["--store", uri, "--endpoint-url", endpoint]
    code, out, err = run(capsys, "reports", "latest", *where, "--repo", "acme/app", "--format", "json")
    assert code == 0 and json.loads(out)["generated_at"] == WEEK2
    assert_warned_of_every_bad_run(err)
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "adoption", *where, "--format", "json")
    assert code == 0 and "Evergreen v4" in out
    assert_warned_of_every_bad_run(err)


# --- credentials: exit 3 with the cause --------------------------------------------------------------

BROKEN_INI = "[default]\naws_access_key_id = x\n  a line without a key\n[[[\n"


@pytest.mark.s3
@pytest.mark.parametrize(
    ("env", "cause"),
    [
        pytest.param(
            {"AWS_PROFILE": "nosuch"}, "The config profile (nosuch) could not be found", id="missing-profile"
        ),
        pytest.param(
            {"AWS_ACCESS_KEY_ID": TEST_KEY, "AWS_SECRET_ACCESS_KEY": None},
            "missing: AWS_SECRET_ACCESS_KEY",
            id="partial-keys",
        ),
        pytest.param(
            {"AWS_SHARED_CREDENTIALS_FILE": "broken"},
            "Unable to parse config file",
            id="broken-credentials-file",
        ),
        pytest.param({"AWS_CONFIG_FILE": "broken"}, "Unable to parse config file", id="broken-config-file"),
    ],
)
def test_credential_problems_exit_3_with_the_cause(
    env: dict[str, str | None], cause: str, s3_server: WeedServer, s3_bucket: str, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    broken = tmp_path / "aws-file"
    broken.write_text(BROKEN_INI)
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    for name, value in env.items():
        if value is not None:
            monkeypatch.setenv(name, str(broken) if value == "broken" else value)
    store = ["--store", f"s3://{s3_bucket}/c", "--endpoint-url", s3_server.endpoint]
    code, _, err = run(capsys, "reports", "list", *store)
    assert code == 3 and cause in err and "AWS_PROFILE" in err, err
    assert "Traceback" not in err and TEST_SECRET not in err


# --- check: baselines ---------------------------------------------------------------------------------

SPACED_CONFIG = """
[[groups]]
name = "New"
packages = ["new-ui"]
target = true

[[groups]]
name = "Old folder"
paths = ["src/old stuff/**"]
"""


def test_check_with_spaces_in_package_ids_and_paths(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = git_repo(tmp_path / "spaced", {
        "depreport.toml": SPACED_CONFIG,
        "src/old stuff/button.ts": "export const Button = 1;\n",
        "src/a page.ts": "import { Button } from './old stuff/button';\n",
    })  # fmt: skip
    baseline = tmp_path / "baseline.json"
    check = ["check", str(repo), "--progress", "never", "--baseline", str(baseline)]
    assert run(capsys, *check, "--update-baseline")[0] == 0
    assert json.loads(baseline.read_text())["tracked"] == {
        "src/old stuff/button Button": {"count": 1, "files": {"src/a page.ts": 1}}
    }
    (repo / "src/b page.ts").write_text("import { Button } from './old stuff/button';\n")
    code, out, err = run(capsys, *check)
    assert code == 1 and "    src/b page.ts:1  0 → 1 in this file" in out, err
    code, out, _ = run(capsys, *check, "--format", "github")
    assert code == 1 and "::error file=src/b page.ts,line=1::src/old stuff/button Button grew" in out


BAD_BASELINES = [
    pytest.param(b"{not json", "not JSON", id="not-json"),
    pytest.param(b"[" * 100_000, "not JSON", id="too-deep"),
    pytest.param(b"\xff\xfe binary", "not UTF-8", id="not-utf8"),
    pytest.param(b'{"format": "other/1", "tracked": {}}', "not a depreport-baseline/1 file", id="format"),
    pytest.param(b'{"format": "depreport-baseline/1"}', '"tracked" must be an object', id="no-tracked"),
    pytest.param(
        b'{"format": "depreport-baseline/1", "tracked": []}', '"tracked" must be an object', id="list"
    ),
    pytest.param(
        b'{"format": "depreport-baseline/1", "tracked": {"a b": 3}}',
        'tracked["a b"] must be an object',
        id="entry",
    ),
    pytest.param(
        b'{"format": "depreport-baseline/1", "tracked": {"a b": {"count": "3", "files": {}}}}',
        'tracked["a b"] count',
        id="count",
    ),
    pytest.param(
        b'{"format": "depreport-baseline/1", "tracked": {"a b": {"count": 1, "files": []}}}',
        'tracked["a b"] files',
        id="files",
    ),
    pytest.param(
        b'{"format": "depreport-baseline/1", "tracked": {"a b": {"count": 1, "files": {"x": -1}}}}',
        'files["x"]',
        id="file-count",
    ),
]


@pytest.mark.parametrize(("content", "message"), BAD_BASELINES)
def test_a_malformed_baseline_exits_2(
    app: Path, tmp_path: Path, content: bytes, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    baseline = tmp_path / "baseline.json"
    baseline.write_bytes(content)
    code, _, err = run(capsys, "check", str(app), "--progress", "never", "--baseline", str(baseline))
    assert code == 2 and message in err and "Traceback" not in err, err
    assert "delete it and run check --update-baseline" in err  # --update-baseline refuses it too
    update = ["check", str(app), "--progress", "never", "--baseline", str(baseline), "--update-baseline"]
    assert run(capsys, *update)[0] == 2 and baseline.read_bytes() == content
    baseline.unlink()
    assert run(capsys, *update)[0] == 0 and run(capsys, *update[:-1])[0] == 0


def test_a_baseline_saved_with_a_byte_order_mark_is_read(
    app: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Notepad and other Windows editors save UTF-8 with a byte-order mark."""
    baseline = tmp_path / "baseline.json"
    check = ["check", str(app), "--progress", "never", "--baseline", str(baseline)]
    assert run(capsys, *check, "--update-baseline")[0] == 0
    baseline.write_bytes(b"\xef\xbb\xbf" + baseline.read_bytes().replace(b"\n", b"\r\n"))
    code, out, err = run(capsys, *check)
    assert code == 0 and out.startswith("depreport check ok"), err


def test_a_baseline_that_is_a_folder_exits_2(
    app: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "check", str(app), "--progress", "never", "--baseline", str(tmp_path))
    assert code == 2 and "cannot read baseline" in err


def test_a_baseline_path_ending_with_a_slash_is_a_usage_error_and_writes_nothing(
    app: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--baseline dir/` wrote a file named `dir` (the slash dropped): it names a folder, as `--out dir/` does."""
    wanted = tmp_path / "baselines"
    with pytest.raises(SystemExit) as exited:
        main(["check", str(app), "--progress", "never", "--baseline", f"{wanted}/", "--update-baseline"])
    assert exited.value.code == 2 and "ends with '/', so names a folder" in capsys.readouterr().err
    assert not wanted.exists()


# --- output injection ------------------------------------------------------------------------------

HOSTILE = {
    "command": "::error::pwned",
    "formula": "=HYPERLINK(1)",
    "html": "<img src=x onerror=alert(1)>",
    "code": "a`b|c",
    "plus": "+1",
}
HOSTILE_CONFIG = (
    '[[groups]]\nname = "New"\npackages = ["new-ui"]\ntarget = true\n\n[deprecated]\npackages = ["*"]\n'
)


@pytest.fixture
def hostile_repo(tmp_path: Path) -> Path:
    lines = "".join(f'import {name} from "{spec}";\n' for name, spec in HOSTILE.items())
    return git_repo(tmp_path / "hostile", {"depreport.toml": HOSTILE_CONFIG, "src/app.ts": lines})


def assert_no_workflow_command(text: str) -> None:
    assert text.strip()
    for line in text.splitlines():
        assert not line.lstrip().startswith("::"), line


def test_scan_outputs_escape_names(hostile_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scan = ["scan", str(hostile_repo), "--progress", "never", "--format"]
    code, table, _ = run(capsys, *scan, "table")
    assert code == 0 and "\\x3a:error::pwned" in table
    assert_no_workflow_command(table)
    _, markdown, _ = run(capsys, *scan, "markdown")
    assert "\\<img src=x onerror=alert(1)\\>" in markdown and markdown.count("<img") == markdown.count(
        "\\<img"
    )
    assert "a\\`b\\|c" in markdown
    _, csv_text, _ = run(capsys, *scan, "csv")
    assert_no_workflow_command(csv_text)
    cells = [line.split(",")[0] for line in csv_text.splitlines()[1:]]
    assert "'=HYPERLINK(1)" in cells and "'+1" in cells and "=HYPERLINK(1)" not in cells


def test_check_outputs_escape_names(
    hostile_repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    baseline = tmp_path / "b.json"
    baseline.write_text('{"format": "depreport-baseline/1", "tracked": {}}')
    check = ["check", str(hostile_repo), "--progress", "never", "--baseline", str(baseline), "--format"]
    code, text, _ = run(capsys, *check, "text")
    assert code == 1
    assert_no_workflow_command(text)
    _, markdown, _ = run(capsys, *check, "markdown")
    assert "<img" not in markdown.replace("`<img", "")  # only inside a code span
    assert "``a`b\\|c default``" in markdown
    _, github, _ = run(capsys, *check, "github")
    commands = [line for line in github.splitlines() if line.startswith("::")]
    assert len(commands) == len(github.splitlines())  # every line is one of ours, none injected
    assert all(line.startswith(("::error file=", "::error::depreport check")) for line in commands)


def test_query_escapes_names_in_tables_and_errors(
    hostile_repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "r.json"
    scan_json(capsys, hostile_repo, report)
    code, out, _ = run(capsys, "query", "--report", str(report), "--package", "*", "--format", "csv")
    assert code == 0 and "'=HYPERLINK(1)" in out
    assert_no_workflow_command(out)
    code, _, err = run(capsys, "query", "--report", str(report), "--package", "::*", "--export", "nope")
    assert code == 1 and "\\x3a:error::pwned has no export named nope" in err
    assert_no_workflow_command(err)


# --- the dashboard checks where it serves before it starts -------------------------------------------


def test_dashboard_refuses_a_taken_port_before_serving(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, _, err = run(capsys, "dashboard", "--store", str(tmp_path), "--port", str(port))
    assert code == 2 and "the port is taken" in err and "--port" in err
    assert "dashboard over" not in err  # nothing claimed to be serving


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["--port", "0"], "--port 0 is not a TCP port", id="port-zero"),
        pytest.param(["--port", "70000"], "--port 70000 is not a TCP port", id="port-too-big"),
        pytest.param(
            ["--address", "no-such-host.invalid"], "is not an IP address or host name", id="bad-host"
        ),
        pytest.param(["--address", "192.0.2.1"], "not one of this machine's", id="not-local"),
        pytest.param(["--url-template", "https://x/{file}"], "unknown field(s) file", id="template-field"),
        pytest.param(
            ["--url-template", "javascript:alert(1)//{path}"],
            "must start with https://",
            id="template-scheme",
        ),
    ],
)
def test_dashboard_settings_are_checked_at_start(
    args: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "dashboard", "--store", str(tmp_path), *args)
    assert code == 2 and message in err and "hint:" in err, err


def test_stderr_never_starts_a_workflow_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = git_repo(
        tmp_path / "names", {"ok.js": "import x from 'y';\n", "a\n::error::pwned.js": b"\x00\x01"}
    )
    code, _, err = run(capsys, "scan", str(repo), "--progress", "never", "--format", "table")
    assert code == 0 and "a\\n::error::pwned.js: binary" in err
    assert_no_workflow_command(err)


def test_a_damaged_usage_block_is_skipped_when_regrouping(
    report: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    store = LocalStore(tmp_path / "store")
    good = publish(store, {**report, "generated_at": WEEK2})
    summary = store.get_summary(good)
    summary["usage"]["rows"][0][1] = len(summary["usage"]["keys"])  # points past the keys
    bad = tmp_path / "store" / good.summary_key.replace("T100000Z", "T110000Z")
    bad.write_text(json.dumps(summary))
    (tmp_path / "depreport.toml").write_text((FIXTURES / "repos/mini-app/depreport.toml").read_text())
    monkeypatch.chdir(tmp_path)  # today's groups: every run is regrouped from its usage block
    code, out, err = run(capsys, "adoption", "--store", str(tmp_path / "store"), "--format", "json")
    assert code == 0 and "Evergreen v4" in out, err
    assert "skipped run 2026-01-14T110000Z" in err and "usage.rows[0][1] must point into a list" in err


def test_a_report_file_holding_a_lone_surrogate_is_published_and_read_back(
    report: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "r.json"
    path.write_text(json.dumps({**report, "branch": "\ud800"}), encoding="utf-8")  # as "\\ud800", ASCII
    code, _, err = run(capsys, "publish", str(path), "--store", str(tmp_path / "store"))
    assert code == 0 and "Traceback" not in err, err
    (ref,) = LocalStore(tmp_path / "store").list_runs("acme/app")
    assert LocalStore(tmp_path / "store").get_report(ref)["branch"] == "\ud800"


@pytest.mark.parametrize("command", [["query", "--package", "*"], ["adoption"]], ids=["query", "adoption"])
def test_a_malformed_report_file_exits_2_naming_the_field(
    report: dict[str, Any], command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report["packages"]["evergreen-ui"]["exports"] = ["Pane"]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(report))
    code, _, err = run(capsys, *command, "--report", str(path))
    assert (
        code == 2 and 'packages["evergreen-ui"].exports must be an object' in err and "Traceback" not in err
    )


def test_runs_copied_to_another_name_in_the_store_are_read_under_that_name(
    report: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A repo's runs copied in the store under a new name (`cp -r acme/app acme/web`, `aws s3 sync` after
    a repository was renamed) were listed under the new name by `reports list`, `export` and the
    dashboard's quick path, but `adoption`, `reports latest` and the dashboard's regrouping path took
    the name written inside each run: the copy was counted as acme/app, one repo instead of two. A run
    is now named and dated by where it is stored, by every reader."""
    store = tmp_path / "store"
    publish_two_weeks(report, str(store))
    shutil.copytree(store / "acme" / "app", store / "acme" / "web")
    monkeypatch.chdir(tmp_path)  # no depreport.toml: each run counts under its own groups
    code, out, err = run(capsys, "adoption", "--store", str(store), "--format", "json")
    assert code == 0 and json.loads(out)["scope"] == "2 repos", err
    code, out, err = run(
        capsys, "reports", "latest", "--store", str(store), "--repo", "acme/web", "--format", "json"
    )
    assert code == 0 and json.loads(out)["repo"] == "acme/web", err
    assert set(
        read_history(LocalStore(store), groups=Groups.from_json(report["options"]["adoption"])).frame["repo"]
    ) == {"acme/app", "acme/web"}


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["reports", "list"], id="reports-list"),
        pytest.param(["reports", "latest", "--repo", "acme/web"], id="reports-latest"),
        pytest.param(["adoption"], id="adoption"),
        pytest.param(["report", "--out", "{tmp}/adoption.html"], id="report"),
        pytest.param(["export", "--out", "{tmp}/dataset"], id="export"),
    ],
)
def test_a_store_that_is_a_file_is_said_not_taken_for_an_empty_store(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Given a file as --store, readers said it held no reports yet (and to publish there)."""
    taken = tmp_path / "store.json"
    taken.write_text("{}", encoding="utf-8")
    code, _, err = run(capsys, *(arg.format(tmp=tmp_path) for arg in argv), "--store", str(taken))
    assert code == 3 and f"local store {taken} is not a folder" in err and "give --store a folder" in err
    assert "no reports" not in err and taken.read_text(encoding="utf-8") == "{}"
