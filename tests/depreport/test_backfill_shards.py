"""`backfill --repos FILE --shard I/N`: stable shares of a repository list, each publishing to one store."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from depreport.cli import main
from depreport.errors import UsageError
from depreport.history.arrayjob import resolve_shard
from depreport.history.fleet import in_shard, read_sources
from depreport.store import LocalStore
from tests.helpers import write_files

pytestmark = pytest.mark.integration

CONFIG = '[[groups]]\nname = "new"\npackages = ["ui-next"]\ntarget = true\n'
FIRST_MONDAY = date(2026, 1, 5)


def weekly_repo(root: Path, weeks: int, seed: int) -> Path:
    """A repo with one commit per week, each moving one more file from `ui-old` to `ui-next`."""
    root.mkdir(parents=True)
    _git(root, None, "init", "-q", "-b", "main")
    files = {f"src/f{i}.tsx": f"import {{X{i}}} from 'ui-old';\n" for i in range(seed % 3 + 2)}
    write_files(root, {"depreport.toml": CONFIG, **files})
    for week in range(weeks):
        write_files(
            root, {f"src/w{week}.tsx": f"import {{W}} from '{'ui-next' if week % 2 else 'ui-old'}';\n"}
        )
        _git(root, None, "add", "-A")
        when = f"{FIRST_MONDAY + timedelta(weeks=week, days=seed % 5)}T10:00:00Z"
        _git(root, when, "commit", "-qm", f"week {week}")
    return root


def _git(root: Path, when: str | None, *args: str) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(root), "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@e",
           "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@e"}  # fmt: skip
    if when:
        env |= {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(["git", "-C", str(root), *args], env=env, check=True, capture_output=True)


def fleet(tmp_path: Path, repos: int, weeks: int) -> Path:
    """Local repos and bare clones served by file:// URLs, listed in a file with comments and names."""
    lines = ["# the organisation", ""]
    for i in range(repos):
        repo = weekly_repo(tmp_path / "src" / f"r{i}", weeks, i)
        if i % 2:
            lines.append(f"{repo}  name=acme/r{i}  # a local clone")
        else:
            bare = tmp_path / "remote" / f"r{i}.git"
            subprocess.run(["git", "clone", "-q", "--bare", str(repo), str(bare)], check=True)
            lines.append(f"file://{bare}")
    listing = tmp_path / "repos.txt"
    listing.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return listing


def backfill_args(tmp_path: Path, listing: Path, store: Path, *extra: str) -> list[str]:
    return ["backfill", "--repos", str(listing), "--weeks", "52", "--publish", str(store), "--jobs", "1",
            "--workdir", str(tmp_path / "clones"), "--cache-dir", str(tmp_path / "cache"),
            "--format", "json", *extra]  # fmt: skip


def stored_runs(store: Path) -> set[tuple[str, str, str]]:
    """Every run of the store as (repo, commit, time)."""
    local = LocalStore(str(store))
    return {
        (r.repo, r.commit, r.time.isoformat()) for repo in local.list_repos() for r in local.list_runs(repo)
    }


def stored_totals(store: Path) -> dict[tuple[str, str], object]:
    """Each stored report's totals and adoption, by (repo, commit): what a shard must not change."""
    local = LocalStore(str(store))
    reports = (local.get_report(r) for repo in local.list_repos() for r in local.list_runs(repo))
    return {(rep["repo"], rep["commit"]): (rep["totals"], rep["adoption"]) for rep in reports}


def run_json(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict[str, object]], str]:
    code = main(args)
    out = capsys.readouterr()
    return code, json.loads(out.out), out.err


def test_shards_partition_the_list_and_equal_a_single_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listing = fleet(tmp_path, repos=7, weeks=3)
    code, rows, _ = run_json(backfill_args(tmp_path, listing, tmp_path / "single"), capsys)
    assert code == 0 and len(rows) == 7
    names: list[str] = []
    for number in (1, 2, 3):
        args = backfill_args(tmp_path, listing, tmp_path / "sharded", "--shard", f"{number}/3")
        code, rows, err = run_json(args, capsys)
        assert code == 0 and f"shard {number}/3: {len(rows)} of 7 repositories" in err
        names += [str(row["repo"]) for row in rows]
    assert len(names) == len(set(names)) == 7  # disjoint
    assert sorted(names) == sorted(s.name for s in read_sources(listing.read_text()))  # together: all
    single, sharded = stored_runs(tmp_path / "single"), stored_runs(tmp_path / "sharded")
    assert sharded == single and len(single) == 7 * 3
    assert stored_totals(tmp_path / "sharded") == stored_totals(tmp_path / "single")


def test_a_second_run_of_a_shard_publishes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listing = fleet(tmp_path, repos=3, weeks=2)
    args = backfill_args(tmp_path, listing, tmp_path / "store", "--shard", "1/1")
    first = run_json(args, capsys)[1]
    before = stored_runs(tmp_path / "store")
    code, again, _ = run_json(args, capsys)
    assert code == 0 and sum(int(str(r["published"])) for r in first) == 6
    assert [(r["published"], r["already stored"]) for r in again] == [(0, 2)] * 3
    assert stored_runs(tmp_path / "store") == before


def test_a_killed_shard_resumes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    listing = fleet(tmp_path, repos=4, weeks=12)
    full = tmp_path / "full"
    assert main(backfill_args(tmp_path, listing, full)) == 0
    capsys.readouterr()
    store = tmp_path / "store"
    args = backfill_args(tmp_path, listing, store, "--shard", "1/1")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    job = subprocess.Popen([sys.executable, "-m", "depreport", *args], env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)  # fmt: skip
    while job.poll() is None and len(list(store.glob("**/summaries/**/*.json"))) < 3:
        time.sleep(0.01)
    job.send_signal(signal.SIGKILL)
    job.wait()
    done = stored_runs(store)
    assert 0 < len(done) < 4 * 12, "the shard must be killed part way"
    code, rows, _ = run_json(args, capsys)
    assert code == 0
    assert sum(int(str(r["published"])) for r in rows) == 4 * 12 - len(done)
    assert stored_runs(store) == stored_runs(full)
    assert stored_totals(store) == stored_totals(full)


def test_a_failing_repository_is_reported_and_the_shard_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listing = fleet(tmp_path, repos=2, weeks=2)
    missing = tmp_path / "gone"
    listing.write_text(listing.read_text() + f"{missing} name=acme/gone\nfile://{tmp_path}/nope.git\n")
    code, rows, err = run_json(backfill_args(tmp_path, listing, tmp_path / "store", "--shard", "1/1"), capsys)
    status = {row["repo"]: row["status"] for row in rows}
    assert code == 1
    assert status["remote/r0"] == status["acme/r1"] == "ok"
    assert f"line 5: {missing} is neither a folder nor a clone URL" in str(status["acme/gone"])
    assert "line 6: cannot clone" in str(status[f"{tmp_path.name}/nope"])
    assert "acme/gone: line 5" in err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("a/b c/d e/f\n", "line 1: 3 fields where at most 2 are expected", id="three-fields"),
        pytest.param("# x\n\n/srv/a branch=main\n", "line 3: unknown setting 'branch'", id="unknown-key"),
        pytest.param("/srv/a name=../x\n", "line 1: ", id="bad-name"),
        pytest.param(
            "/srv/a name=acme/a\nhttps://h/acme/a.git\n",
            "line 2: acme/a is already the name of line 1",
            id="duplicate-name",
        ),
    ],
)
def test_a_bad_line_is_named(text: str, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        read_sources(text)
    assert message in str(caught.value)


def test_lines_name_their_repositories() -> None:
    sources = read_sources("https://h/acme/web.git\n/srv/mono name=acme/mono # here\n/srv/x acme/x\n")
    assert [(s.name, s.line, s.is_url) for s in sources] == [
        ("acme/web", 1, True),
        ("acme/mono", 2, False),
        ("acme/x", 3, False),
    ]


def test_shares_are_stable_when_repositories_are_added() -> None:
    sources = read_sources("".join(f"https://h/org/repo-{i}.git\n" for i in range(400)))
    before = {s.name: n for n in range(1, 9) for s in in_shard(sources, n, 8)}
    grown = read_sources("".join(f"https://h/org/repo-{i}.git\n" for i in range(-50, 450)))
    after = {s.name: n for n in range(1, 9) for s in in_shard(grown, n, 8)}
    assert all(after[name] == shard for name, shard in before.items())
    assert sorted(before) == sorted(s.name for s in sources)  # every repo in exactly one share
    sizes = [list(before.values()).count(n) for n in range(1, 9)]
    assert min(sizes) > 25 and max(sizes) < 80, sizes  # about 50 each


@pytest.mark.parametrize(
    ("text", "shards", "env", "expected"),
    [
        pytest.param("2/4", None, {}, (2, 4), id="explicit"),
        pytest.param("auto", 8, {"JOB_COMPLETION_INDEX": "0"}, (1, 8), id="kubernetes-flag"),
        pytest.param(
            "auto", None, {"JOB_COMPLETION_INDEX": "7", "DEPREPORT_SHARDS": "8"}, (8, 8), id="k8s-env"
        ),
        pytest.param(
            "auto",
            None,
            {"AWS_BATCH_JOB_ARRAY_INDEX": "3", "DEPREPORT_SHARDS": "10"},
            (4, 10),
            id="aws-batch",
        ),
    ],
)
def test_shard_from_flag_or_engine(
    text: str, shards: int | None, env: dict[str, str], expected: object
) -> None:
    assert resolve_shard(text, shards, env) == expected


@pytest.mark.parametrize(
    ("text", "shards", "env", "message"),
    [
        pytest.param(
            "auto", None, {}, "neither JOB_COMPLETION_INDEX nor AWS_BATCH_JOB_ARRAY_INDEX", id="no-engine"
        ),
        pytest.param(
            "auto", None, {"AWS_BATCH_JOB_ARRAY_INDEX": "1"}, "does not say how many", id="no-count"
        ),
        pytest.param(
            "auto",
            4,
            {"JOB_COMPLETION_INDEX": "4"},
            "JOB_COMPLETION_INDEX=4 with 4 shards",
            id="index-too-big",
        ),
        pytest.param(
            "auto", 4, {"JOB_COMPLETION_INDEX": "x"}, "'x' is not a whole number", id="not-a-number"
        ),
        pytest.param(
            "auto",
            4,
            {"JOB_COMPLETION_INDEX": "1", "AWS_BATCH_JOB_ARRAY_INDEX": "1"},
            "both",
            id="two-engines",
        ),
        pytest.param("1/4", 4, {}, "--shards goes with --shard auto", id="shards-without-auto"),
        pytest.param("5/4", None, {}, "is not I/N", id="past-the-end"),
        pytest.param("\u00b9/\u00b2", None, {}, "is not I/N", id="superscript-digits"),
        pytest.param("", None, {}, "is not I/N", id="empty"),
        pytest.param(
            "auto", 4, {"JOB_COMPLETION_INDEX": "\u00b2"}, "is not a whole number", id="superscript-index"
        ),
        pytest.param(
            "auto",
            None,
            {"JOB_COMPLETION_INDEX": "1", "DEPREPORT_SHARDS": "\u00b2"},
            "is not a whole number",
            id="superscript-count",
        ),
    ],
)
def test_bad_shard_says_why(text: str, shards: int | None, env: dict[str, str], message: str) -> None:
    with pytest.raises(UsageError) as caught:
        resolve_shard(text, shards, env)
    assert message in str(caught.value)


def test_shard_needs_a_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["backfill", str(tmp_path), "--shard", "1/2"]) == 2
    assert "--shard splits a list of repositories" in capsys.readouterr().err


def test_a_retry_on_a_fresh_machine_does_not_clone_finished_repositories(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listing = fleet(tmp_path, repos=3, weeks=2)
    assert main(backfill_args(tmp_path, listing, tmp_path / "store")) == 0
    first = {row["repo"] for row in json.loads(capsys.readouterr().out)}
    fresh = tmp_path / "fresh"  # a new pod or runner: no clones, no cache
    args = ["backfill", "--repos", str(listing), "--weeks", "52", "--publish", str(tmp_path / "store"),
            "--jobs", "1", "--workdir", str(fresh / "clones"), "--cache-dir", str(fresh / "cache"), "--format", "json"]  # fmt: skip
    code, rows, _ = run_json(args, capsys)
    assert code == 0 and {row["repo"] for row in rows} == first
    assert [(r["published"], r["already stored"]) for r in rows] == [(0, 2)] * 3
    urls = [s for s in read_sources(listing.read_text()) if s.is_url]
    assert urls and not any((fresh / "clones" / s.name).exists() for s in urls)  # planned on commits alone
    assert all((fresh / "clones" / ".commits" / s.name / "HEAD").exists() for s in urls)
