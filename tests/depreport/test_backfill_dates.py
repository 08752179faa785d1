"""Which commit and date each backfilled week gets, found on real histories: a week stored part-way
through is backfilled again from its last commit; one commit dated years ahead does not carry every later
commit into its future; `--ref` labels the runs with that ref's branch."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from depreport.cli import main
from depreport.store import open_store
from tests.helpers import git, git_repo

pytestmark = pytest.mark.integration


def commit(repo: Path, files: dict[str, str], when: str, message: str = "change") -> str:
    for path, text in files.items():
        (repo / path).write_text(text, encoding="utf-8")
    git(repo, "add", "-A")
    env = {**os.environ, "GIT_COMMITTER_DATE": when, "GIT_AUTHOR_DATE": when}
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", message],
                   env=env, check=True)  # fmt: skip
    return git(repo, "rev-parse", "HEAD").strip()


def backfill(capsys: pytest.CaptureFixture[str], repo: Path, tmp: Path, *flags: str) -> tuple[int, str]:
    code = main(["backfill", str(repo), "--repo", "org/r", "--cache-dir", str(tmp / "cache"),
                 "--progress", "never", "--format", "json", *flags])  # fmt: skip
    return code, capsys.readouterr().err


def stored(store: Path) -> dict[str, str]:
    """Short commit -> its run's time, for every run in the store."""
    return {run.commit: run.time.isoformat() for run in open_store(str(store)).list_runs("org/r")}


def test_a_week_stored_part_way_through_is_backfilled_from_its_last_commit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = git_repo(tmp_path / "repo", {"a.js": "import x from 'x';\n"})  # Monday 2026-01-05
    middle = commit(repo, {"b.js": "import y from 'y';\n"}, "2026-01-07T10:00:00Z")
    store = tmp_path / "store"
    code, err = backfill(capsys, repo, tmp_path, "--publish", str(store), "--weeks", "1")
    assert code == 0, err
    last = commit(repo, {"c.js": "import z from 'z';\n"}, "2026-01-09T10:00:00Z")  # the week goes on
    code, err = backfill(capsys, repo, tmp_path, "--publish", str(store), "--weeks", "1")
    assert code == 0, err
    assert "already in" not in err  # the stored run is of another commit: the week is done again
    assert set(stored(store)) == {middle[:12], last[:12]}
    code, err = backfill(capsys, repo, tmp_path, "--publish", str(store), "--weeks", "1")
    assert code == 0 and "1 of 1 week are already in" in err  # now the week's last commit is stored


def test_one_commit_dated_years_ahead_does_not_carry_the_later_ones_into_its_future(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = git_repo(tmp_path / "repo", {"a.js": "import x from 'x';\n"})  # 2026-01-05
    wrong = commit(repo, {"b.js": "import y from 'y';\n"}, "2031-01-01T10:00:00Z", "wrong clock")
    commit(repo, {"c.js": "import z from 'z';\n"}, "2026-01-14T10:00:00Z")
    commit(repo, {"d.js": "import w from 'w';\n"}, "2026-01-21T10:00:00Z")
    out = tmp_path / "weeks"
    code, err = backfill(capsys, repo, tmp_path, "--out-dir", str(out), "--since", "2026-01-01")
    assert code == 0, err
    assert f"commit {wrong[:12]} is dated 2031-01-01 10:00, ahead of the clock" in err
    weeks = sorted(p.name[:10] for p in out.iterdir())
    assert weeks == ["2026-01-05", "2026-01-12", "2026-01-19"]  # no week in 2030, none lost
    first = json.loads((out / sorted(out.iterdir())[0].name).read_text(encoding="utf-8"))
    assert first["commit"] == wrong and first["committed_at"] == "2026-01-05T10:00:00Z"


def test_backfill_of_another_ref_is_labelled_with_its_branch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = git_repo(tmp_path / "repo", {"a.js": "import x from 'x';\n"})  # on main
    git(repo, "checkout", "-q", "-b", "feature")
    commit(repo, {"b.js": "import y from 'y';\n"}, "2026-01-06T10:00:00Z")
    git(repo, "checkout", "-q", "main")
    out = tmp_path / "weeks"
    code, err = backfill(capsys, repo, tmp_path, "--out-dir", str(out), "--weeks", "1", "--ref", "feature")
    assert code == 0, err
    (week,) = out.iterdir()
    assert json.loads(week.read_text(encoding="utf-8"))["branch"] == "feature"
    tag = tmp_path / "tagged"
    git(repo, "tag", "v1", "feature")
    code, err = backfill(capsys, repo, tmp_path, "--out-dir", str(tag), "--weeks", "1", "--ref", "v1")
    assert code == 0, err
    (week,) = tag.iterdir()
    assert json.loads(week.read_text(encoding="utf-8"))["branch"] is None  # a tag names no branch


def test_a_backfill_without_groups_says_the_share_column_stays_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = git_repo(tmp_path / "repo", {"a.js": "import x from 'x';\n"})
    code, err = backfill(capsys, repo, tmp_path, "--weeks", "1")
    assert code == 0 and f"no adoption groups (no depreport.toml in {repo}" in err and "--config" in err
    (repo / "depreport.toml").write_text('[[groups]]\nname = "x"\npackages = ["x"]\ntarget = true\n')
    code, err = backfill(capsys, repo, tmp_path, "--weeks", "1")
    assert code == 0 and "no adoption groups" not in err


def test_the_default_cache_goes_in_the_repository_not_in_the_working_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = git_repo(tmp_path / "repo", {"a.js": "import x from 'x';\n"})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert main(["scan", str(repo), "--progress", "never", "--out", str(tmp_path / "r.txt")]) == 0
    assert main(["backfill", str(repo), "--weeks", "1", "--repo", "org/r", "--progress", "never"]) == 0
    capsys.readouterr()
    assert list(elsewhere.iterdir()) == []
    assert any((repo / ".depreport" / "cache").iterdir())


def test_weeks_without_a_commit_are_named_not_left_out_silently(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = git_repo(tmp_path / "repo", {"a.js": "import x from 'x';\n"})  # Monday 2026-01-05
    commit(repo, {"b.js": "import y from 'y';\n"}, "2026-01-28T10:00:00Z")  # jaeger-ui went quiet so
    code, err = backfill(capsys, repo, tmp_path, "--weeks", "4", "--out-dir", str(tmp_path / "out"))
    assert code == 0, err
    assert "2 of the 4 weeks have no commit (2026-01-12, 2026-01-19)" in err
    assert "adoption carries the week before them forward" in err
    assert len(list((tmp_path / "out").iterdir())) == 2


def test_weeks_without_a_commit_past_the_carried_ones_are_named_as_gaps(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """paperless-ngx/paperless-ngx's first-parent history has no commit from 2025-02-24 to 2025-04-07 (a
    release branch merged in one commit): backfill said adoption carries the week before each of them
    forward, but adoption carries a run for 4 weeks and leaves 2025-03-31 out as a gap."""
    repo = git_repo(tmp_path / "repo", {"a.js": "import x from 'x';\n"})  # Monday 2026-01-05
    commit(repo, {"b.js": "import y from 'y';\n"}, "2026-02-18T10:00:00Z")
    store = tmp_path / "store"
    code, err = backfill(capsys, repo, tmp_path, "--weeks", "7", "--publish", str(store))
    assert code == 0, err
    carried = "2026-01-12, 2026-01-19, 2026-01-26, 2026-02-02"
    assert f"4 of the 7 weeks have no commit ({carried}): no run is made for them; adoption carries" in err
    assert (
        "1 of the 7 weeks have no commit and come more than 4 weeks after a week with one (2026-02-09)" in err
    )
    groups = tmp_path / "groups.toml"
    groups.write_text('[[groups]]\nname = "y"\npackages = ["y"]\ntarget = true\n')
    adoption = ["adoption", "--store", str(store), "--repo", "org/r", "--config", str(groups)]
    assert main([*adoption, "--format", "json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert [w["week"] for w in shown["weeks"] if w["carried_forward"]] == carried.split(", ")
    assert "2026-02-09" not in [w["week"] for w in shown["weeks"]] and "(2026-02-09)" in shown["notes"][0]


def test_weeks_that_read_files_with_problems_say_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = git_repo(tmp_path / "repo", {"a.test.js": "import { shallow } from 'enzyme';\n"})  # 2026-01-05
    conflict = (  # conflict markers committed, as on a copy of jaeger-ui's TracePage/index.test.js
        "<<<<<<< HEAD\nimport { shallow, mount } from 'enzyme';\n=======\n"
        "import { render, screen } from '@testing-library/react';\n>>>>>>> rtl\n"
    )
    commit(repo, {"a.test.js": conflict}, "2026-01-14T10:00:00Z")
    commit(repo, {"b.js": "import x from 'x';\n"}, "2026-01-21T10:00:00Z")
    commit(repo, {"a.test.js": "import { render } from '@testing-library/react';\n"}, "2026-01-28T10:00:00Z")
    code, err = backfill(capsys, repo, tmp_path, "--weeks", "4", "--out-dir", str(tmp_path / "out"))
    assert code == 0, err
    assert "2 of 4 weeks read files with problems (1 file: 1 syntax-error)" in err
    assert (
        "a.test.js: syntax error; imports outside the broken region were kept (2026-01-12 to 2026-01-19)"
        in err
    )


def test_weeks_without_a_commit_at_the_start_of_the_span_are_named_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = git_repo(tmp_path / "repo", {"a.js": "import x from 'x';\n"})  # Monday 2026-01-05
    commit(repo, {"b.js": "import y from 'y';\n"}, "2026-01-28T10:00:00Z")
    code, err = backfill(capsys, repo, tmp_path, "--since", "2026-01-12", "--out-dir", str(tmp_path / "out"))
    assert code == 0, err
    assert "the span's first 2 weeks have no commit (2026-01-12, 2026-01-19): no run is made for them" in err
    assert "history starts 2026-01-26" in err
    assert "carries" not in err  # nothing before them to carry forward


def test_weeks_without_a_commit_at_the_end_of_the_span_are_named_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """getredash/redash with --since 2020-01-06 --weeks 104: its last two weeks (2021-12-20, 2021-12-27)
    had no commit, and the note said "22 of the 102 weeks" with no word of the 2 weeks asked for."""
    repo = git_repo(tmp_path / "repo", {"a.js": "import x from 'x';\n"})  # Monday 2026-01-05
    commit(repo, {"b.js": "import y from 'y';\n"}, "2026-02-04T10:00:00Z")
    code, err = backfill(capsys, repo, tmp_path, "--since", "2026-01-05", "--weeks", "3")
    assert code == 0, err
    assert "the span's last 2 weeks have no commit (2026-01-12, 2026-01-19): no run is made for them" in err
    assert "history ends 2026-01-05" in err and "carries" not in err
