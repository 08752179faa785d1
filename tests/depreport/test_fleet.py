"""Backfilling a list of repositories into one store, in parallel, and resuming."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from depreport.cli import main
from depreport.history.fleet import read_sources
from depreport.runinfo import without_credentials
from depreport.store import LocalStore
from tests.depreport.test_backfill import history_repo
from tests.helpers import commit_at, git

pytestmark = pytest.mark.integration


def test_read_sources_names_repos_from_urls() -> None:
    text = (
        "# fleet\nhttps://github.com/acme/web.git\ngit@github.com:acme/api.git  # ssh\n/srv/mono  acme/mono\n"
    )
    assert [(s.name, s.is_url) for s in read_sources(text)] == [
        ("acme/web", True),
        ("acme/api", True),
        ("acme/mono", False),
    ]


def test_fleet_backfill_in_parallel_and_resume(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "src").mkdir()
    for name in ("web", "api"):
        history_repo(tmp_path / "src" / name)
        subprocess.run(
            [
                "git",
                "clone",
                "-q",
                "--bare",
                str(tmp_path / "src" / name),
                str(tmp_path / "remote" / f"{name}.git"),
            ],
            check=True,
        )
    history_repo(tmp_path / "local-mono")
    listing = tmp_path / "repos.txt"
    listing.write_text(
        f"file://{tmp_path}/remote/web.git acme/web\nfile://{tmp_path}/remote/api.git acme/api\n"
        f"{tmp_path}/local-mono acme/mono\nfile://{tmp_path}/remote/missing.git acme/missing\n"
    )
    store = str(tmp_path / "store")
    args = ["backfill", "--repos", str(listing), "--weeks", "8", "--publish", store, "--jobs", "2",
            "--workdir", str(tmp_path / "clones"), "--cache-dir", str(tmp_path / "cache"), "--format", "json"]  # fmt: skip
    assert main(args) == 1  # one repository could not be cloned
    said = capsys.readouterr()
    rows = {row["repo"]: row for row in json.loads(said.out)}
    assert {name: row["published"] for name, row in rows.items()} == {
        "acme/web": 3,
        "acme/api": 3,
        "acme/mono": 3,
        "acme/missing": 0,
    }
    assert "cannot clone" in rows["acme/missing"]["status"]
    status = rows["acme/missing"]["status"]  # a table cell: git's own lines and the hint go to stderr
    assert "\n" not in status and "hint" not in status
    assert "acme/missing: line 4: cannot clone" in said.err and "\n  hint: " in said.err
    assert sorted(LocalStore(store).list_repos()) == ["acme/api", "acme/mono", "acme/web"]
    main(args)
    again = {row["repo"]: row for row in json.loads(capsys.readouterr().out)}
    assert {name: (row["published"], row["already stored"]) for name, row in again.items() if name != "acme/missing"} == {
        "acme/web": (0, 3), "acme/api": (0, 3), "acme/mono": (0, 3),
    }  # fmt: skip


def test_a_list_that_is_not_utf8_exits_2_and_a_bom_is_no_location(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    history_repo(tmp_path / "mono")
    listing = tmp_path / "repos.txt"
    store = str(tmp_path / "store")
    args = ["backfill", "--repos", str(listing), "--weeks", "8", "--publish", store,
            "--workdir", str(tmp_path / "clones"), "--cache-dir", str(tmp_path / "cache"), "--format", "json"]  # fmt: skip
    listing.write_bytes(f"{tmp_path}/mono acme/caf\xe9\n".encode("latin-1"))
    assert main(args) == 2
    assert f"{listing} is not UTF-8 text (byte {len(str(tmp_path)) + 14}: invalid" in capsys.readouterr().err
    listing.write_text(f"\ufeff{tmp_path}/mono acme/mono\n", encoding="utf-8")  # as Notepad saves it
    assert main(args) == 0
    assert [row["published"] for row in json.loads(capsys.readouterr().out)] == [3]


def test_a_clone_url_with_a_token_is_never_shown_with_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A repository that could not be cloned was named by its whole URL in the table and on stderr, so a
    token in it (https://x-access-token:TOKEN@github.com/..., as CI jobs write them) went into the job's
    log; git itself leaves it out of its own line. The URL is shown with its credentials masked."""
    listing = tmp_path / "repos.txt"
    listing.write_text("https://x-access-token:ghs_s3cr3t@127.0.0.1:1/acme/web.git\n")
    args = ["backfill", "--repos", str(listing), "--weeks", "2", "--publish", str(tmp_path / "store"),
            "--workdir", str(tmp_path / "clones"), "--format", "json"]  # fmt: skip
    assert main(args) == 1
    said = capsys.readouterr()
    assert "cannot clone https://***@127.0.0.1:1/acme/web.git" in said.err
    assert "ghs_s3cr3t" not in said.out + said.err


@pytest.mark.parametrize(
    ("location", "shown"),
    [
        ("https://user:pass@host/a/b.git", "https://***@host/a/b.git"),
        ("https://TOKEN@github.com/a/b", "https://***@github.com/a/b"),
        ("ssh://git@host/a/b.git", "ssh://git@host/a/b.git"),  # a user name only: no secret
        ("ssh://git:pw@host/a/b.git", "ssh://***@host/a/b.git"),
        ("git@github.com:acme/api.git", "git@github.com:acme/api.git"),
        ("/srv/mono", "/srv/mono"),
    ],
)
def test_locations_are_shown_without_credentials(location: str, shown: str) -> None:
    assert without_credentials(location) == shown


def _weekly_run_of_one_repo(tmp_path: Path) -> list[str]:
    """A history repo `web` and the arguments of a `backfill --repos` run over it that keeps its clone."""
    history_repo(tmp_path / "web")
    listing = tmp_path / "repos.txt"
    listing.write_text(f"file://{tmp_path}/web acme/web\n")
    return ["backfill", "--repos", str(listing), "--weeks", "8", "--publish", str(tmp_path / "store"),
            "--workdir", str(tmp_path / "clones"), "--cache-dir", str(tmp_path / "cache"), "--format", "json"]  # fmt: skip


def test_a_clone_killed_midway_is_cloned_again_on_resume(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An array job killed while git cloned (a pod preempted, `kill -9`) left the clone's folder with a
    `.git` and no commits, measured on a real `git clone` killed after 0.1 s; the rerun took that as the
    finished clone and failed the repository with 'has no commits yet' on every retry. A clone is now
    in place only once git finished it."""
    args = _weekly_run_of_one_repo(tmp_path)
    real_run = subprocess.run

    def killed_during_full_clone(command: list[str], **kwargs: object) -> object:
        if command[:2] != ["git", "clone"] or "--bare" in command:
            return real_run(command, **kwargs)  # type: ignore[call-overload]
        real_run(["git", "init", "-q", command[-1]], check=True)  # what git has made when the kill lands
        raise KeyboardInterrupt  # the process ends here: nothing after the clone runs

    monkeypatch.setattr("depreport.history.fleet.subprocess.run", killed_during_full_clone)
    assert main(args) == 130  # "interrupted"
    monkeypatch.undo()
    assert main(args) == 0, capsys.readouterr().err
    assert [row["published"] for row in json.loads(capsys.readouterr().out)] == [3]


def test_a_second_run_backfills_the_commits_pushed_since_the_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The clone kept in --workdir was never fetched again: a weekly `backfill --repos` (a cron job, an
    array job run every Monday) planned its weeks on the first run's commits and published nothing new
    ('0 weeks published', status ok) however much had been pushed since. The kept clone is now brought
    to what the remote has before its weeks are planned."""
    args = _weekly_run_of_one_repo(tmp_path)
    assert main(args) == 0
    assert [row["published"] for row in json.loads(capsys.readouterr().out)] == [3]
    (tmp_path / "web" / "d.tsx").write_text("import {D} from 'evergreen-ui';")
    when = "2026-02-04T10:00:00Z"
    git(tmp_path / "web", "add", "d.tsx")
    commit_at(tmp_path / "web", when)
    assert main(args) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(row["published"], row["already stored"]) for row in rows] == [(1, 3)]


def test_a_run_killed_while_it_updated_the_clone_is_recovered_on_resume(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A weekly run killed (`kill -9`, measured on a real one killed while `git reset --hard` ran) left
    `.git/index.lock` in the kept clone; every later run failed the repository with "Unable to create
    index.lock: File exists ... delete the clone". A run now holds the clone's place while it works on
    it, so a lock file found there was left by a run that is over, and is removed."""
    args = _weekly_run_of_one_repo(tmp_path)
    assert main(args) == 0
    capsys.readouterr()
    (tmp_path / "web" / "d.tsx").write_text("import {D} from 'evergreen-ui';")
    git(tmp_path / "web", "add", "d.tsx")
    commit_at(tmp_path / "web", "2026-02-04T10:00:00Z")
    real_run = subprocess.run

    def killed_during_reset(command: list[str], **kwargs: object) -> object:
        if "reset" not in command:
            return real_run(command, **kwargs)  # type: ignore[call-overload]
        (tmp_path / "clones" / "acme" / "web" / ".git" / "index.lock").touch()  # what git leaves
        raise KeyboardInterrupt  # the process ends here

    monkeypatch.setattr("depreport.history.fleet.subprocess.run", killed_during_reset)
    assert main(args) == 130
    monkeypatch.undo()
    assert main(args) == 0, capsys.readouterr().err
    rows = json.loads(capsys.readouterr().out)
    assert [(row["published"], row["already stored"], row["status"]) for row in rows] == [(1, 3, "ok")]


def test_a_clone_another_run_works_on_is_left_to_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two runs given the same --workdir: the second leaves the clone the first is working on (its git
    lock files are live), says so and names the fix."""
    history_repo(tmp_path / "web")
    listing = tmp_path / "repos.txt"
    listing.write_text(f"file://{tmp_path}/web acme/web\n")
    claim = tmp_path / "clones" / ".claims" / "acme" / "web"
    claim.parent.mkdir(parents=True)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(claim)], stdout=subprocess.PIPE, stdin=subprocess.PIPE
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"held\n"
        args = ["backfill", "--repos", str(listing), "--weeks", "8", "--publish", str(tmp_path / "store"),
                "--workdir", str(tmp_path / "clones"), "--format", "json"]  # fmt: skip
        code = main(args)
    finally:
        holder.communicate(b"")
    captured = capsys.readouterr()
    assert code == 1 and "another backfill is working on" in captured.out
    assert "--workdir of its own" in captured.err


HOLD_LOCK = """
import fcntl, os, sys
handle = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)
fcntl.flock(handle, fcntl.LOCK_EX)
print("held", flush=True)
sys.stdin.read()
"""


@pytest.mark.parametrize(
    ("names", "said"),
    [
        (
            ("acme/web/ui", "acme/web"),
            "line 1: acme/web/ui would be cloned inside the clone of acme/web (line 2)",
        ),
        (
            ("acme/web", "acme/web/ui"),
            "line 2: acme/web/ui would be cloned inside the clone of acme/web (line 1)",
        ),
        ((".claims/acme", "acme/api"), "line 1: .claims/acme starts with .claims, a folder --workdir keeps"),
    ],
    ids=["outer-last", "outer-first", "workdir-own-folder"],
)
def test_names_whose_clones_would_nest_are_refused_before_anything_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], names: tuple[str, str], said: str
) -> None:
    """Clones live in `--workdir/<name>`: `acme/web/ui` (a GitLab subgroup's project, named as GitLab
    shows it) beside `acme/web` cloned one repository into the other's clone, and the second failed with
    'internal error: IsADirectoryError' on its claim file (`.claims/acme/web` was a folder)."""
    (tmp_path / "src").mkdir()
    for name in ("web", "ui"):
        history_repo(tmp_path / "src" / name)
    listing = tmp_path / "repos.txt"
    rows = zip(("web", "ui"), names, strict=True)
    listing.write_text("".join(f"file://{tmp_path}/src/{repo} name={name}\n" for repo, name in rows))
    args = ["backfill", "--repos", str(listing), "--weeks", "8", "--publish", str(tmp_path / "store"),
            "--workdir", str(tmp_path / "clones"), "--format", "json"]  # fmt: skip
    assert main(args) == 2
    err = capsys.readouterr().err
    assert said in err and "name=org/other" in err and "Traceback" not in err
    assert not (tmp_path / "clones").exists() and not (tmp_path / "store").exists()
    listing.write_text(f"{tmp_path}/src/web name=acme/web\n{tmp_path}/src/ui name=acme/web/ui\n")
    assert main(args) == 0  # folders are not cloned: their names may nest, as the store's may
    assert sorted(LocalStore(tmp_path / "store").list_repos()) == ["acme/web", "acme/web/ui"]


def test_what_each_repositorys_latest_week_did_not_read_is_said_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A backfill of one repository says the Vue, Svelte, Astro and MDX files its latest week did not read
    and the tsconfig presets not installed; one of a list of repositories said nothing of them."""
    vue = tmp_path / "vue-app"
    vue.mkdir()
    git(vue, "init", "-q", "-b", "main")
    (vue / "src").mkdir()
    (vue / "src/a.ts").write_text("import a from 'x';\n")
    (vue / "src/B.vue").write_text("<script>import { B } from 'evergreen-ui'</script>\n")
    (vue / "tsconfig.json").write_text('{"extends": "@acme/tsconfig"}\n')
    git(vue, "add", "-A")
    commit_at(vue, "2026-01-07T10:00:00Z")
    history_repo(tmp_path / "plain")
    listing = tmp_path / "repos.txt"
    listing.write_text(f"{vue} acme/vue-app\n{tmp_path}/plain acme/plain\n")
    args = ["backfill", "--repos", str(listing), "--weeks", "8", "--until", "2026-02-28", "--publish",
            str(tmp_path / "store"), "--workdir", str(tmp_path / "clones"), "--cache-dir", str(tmp_path / "cache")]  # fmt: skip
    assert main(args) == 0
    err = capsys.readouterr().err
    assert "acme/vue-app: 1 .vue file not read" in err
    assert "acme/vue-app: tsconfig.json extends '@acme/tsconfig', which is not installed" in err
    assert "acme/plain: " in err and "acme/plain: 1 " not in err  # nothing of its own to say


def _one_repository_backfill(tmp_path: Path, store: Path) -> list[str]:
    """The arguments of a `backfill --repos` of a list naming one clone, `tmp_path/repo`."""
    history_repo(tmp_path / "repo")
    listing = tmp_path / "repos.txt"
    listing.write_text(f"file://{tmp_path}/repo acme/repo\n", encoding="utf-8")
    return [
        "backfill",
        "--repos",
        str(listing),
        "--weeks",
        "2",
        "--publish",
        str(store),
        "--progress",
        "never",
    ]


@pytest.mark.parametrize("workdir", ["a-file", "below-a-file"])
def test_a_workdir_that_cannot_be_a_folder_exits_2_before_any_repository(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], workdir: str
) -> None:
    """--workdir naming a file failed each repository alone, as an internal error (NotADirectoryError)."""
    taken = tmp_path / "taken"
    taken.write_text("keep", encoding="utf-8")
    folder = taken if workdir == "a-file" else taken / "clones"
    store = tmp_path / "store"
    assert main([*_one_repository_backfill(tmp_path, store), "--workdir", str(folder)]) == 2
    err = capsys.readouterr().err
    assert f"--workdir {folder}: " in err and "internal error" not in err and "give --workdir a folder" in err
    assert taken.read_text(encoding="utf-8") == "keep" and not store.exists()


def test_a_cache_dir_that_is_a_file_exits_2_before_any_repository(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--cache-dir naming a file made every repository run without a cache, unsaid."""
    taken = tmp_path / "taken"
    taken.write_text("keep", encoding="utf-8")
    store = tmp_path / "store"
    assert main([*_one_repository_backfill(tmp_path, store), "--cache-dir", str(taken)]) == 2
    err = capsys.readouterr().err
    assert f"--cache-dir {taken} is not a folder" in err and "internal error" not in err
    assert taken.read_text(encoding="utf-8") == "keep" and not store.exists()


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        pytest.param(["--config", "{tmp}/groups.toml"], "--config", id="config"),
        pytest.param(["--out-dir", "{tmp}/weeks"], "--out-dir", id="out-dir"),
        pytest.param(["--repo", "acme/other"], "--repo", id="repo"),
        pytest.param(["{tmp}/repo"], "{tmp}/repo", id="a-path"),
    ],
)
def test_options_of_one_repository_with_repos_exit_2_instead_of_being_passed_over(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], named: str
) -> None:
    """`backfill --repos list --config groups.toml` ran every repository with its own config, --config
    unsaid; so were --out-dir, --repo, --commit, --branch and a path."""
    store = tmp_path / "store"
    assert (
        main([*_one_repository_backfill(tmp_path, store), *(arg.format(tmp=tmp_path) for arg in extra)]) == 2
    )
    err = capsys.readouterr().err
    assert f"{named.format(tmp=tmp_path)} cannot be given with --repos" in err and "hint: " in err
    assert not store.exists() and not (tmp_path / "weeks").exists()
