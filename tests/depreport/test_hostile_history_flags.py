"""`adoption`/`export` --weeks out of range, and `export --out` that is a file, holds files export did not
write or links out of it: exit 2 with the fix, nothing written outside --out, nothing replaced."""

from __future__ import annotations

from pathlib import Path

import pytest

from depreport.cli import main
from tests.helpers import git_repo

pytestmark = pytest.mark.integration

PART = Path("adoption/repo=a%2Fb")  # the repo's folder in the dataset; a week folder and part-0.parquet below


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A real store: one scan of a tiny git repo, published as a/b."""
    folder = tmp_path_factory.mktemp("history")
    repo = git_repo(folder / "repo", {"a.js": "import x from 'x';\n"})
    store = str(folder / "store")
    argv = ["scan", str(repo), "--publish", store, "--repo", "a/b", "--no-cache", "--progress", "never"]
    assert main([*argv, "--out", str(folder / "report.json")]) == 0
    return store


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().err


@pytest.mark.parametrize(
    ("command", "weeks", "shown"),
    [
        pytest.param(
            "adoption", "99999999999999999999", "reaches back more than 1,000 years", id="adoption-huge"
        ),
        pytest.param("adoption", "52001", "reaches back more than 1,000 years", id="adoption-over"),
        pytest.param(
            "export", "99999999999999999999", "reaches back more than 1,000 years", id="export-huge"
        ),
        pytest.param("export", "0", "--weeks must be at least 1, got 0", id="export-0"),
        pytest.param("export", "-1", "--weeks must be at least 1, got -1", id="export-negative"),
    ],
)
def test_weeks_out_of_range_exit_2_with_the_fix(
    store: str, command: str, weeks: str, shown: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = ["--out", str(tmp_path / "dataset")] if command == "export" else []
    code, err = run(capsys, command, "--store", store, "--weeks", weeks, *out)
    assert code == 2 and shown in err and "hint: " in err
    assert not (tmp_path / "dataset").exists()


@pytest.mark.parametrize("command", ["scan", "check", "backfill"])
@pytest.mark.parametrize(
    ("jobs", "shown"),
    [
        pytest.param("0", "must be at least 1, got 0", id="zero"),
        pytest.param("-4", "must be at least 1, got -4", id="negative"),
        pytest.param("four", "not a number: 'four'", id="text"),
    ],
)
def test_jobs_below_one_exit_2_naming_the_flag(
    command: str, jobs: str, shown: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--jobs -4 ran silently with one worker; it is a usage error naming the flag, as --weeks 0 is."""
    repo = git_repo(tmp_path / "repo", {"a.js": "import x from 'x';\n"})
    with pytest.raises(SystemExit) as exited:
        main([command, str(repo), "--jobs", jobs, "--progress", "never"])
    assert exited.value.code == 2
    assert f"argument --jobs/-j: {shown}" in capsys.readouterr().err


def test_export_out_naming_a_file_exits_2_and_keeps_it(
    store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    taken = tmp_path / "taken"
    taken.write_text("keep", encoding="utf-8")
    code, err = run(capsys, "export", "--store", store, "--out", str(taken))
    assert code == 2 and "is not a folder" in err and "give a folder" in err
    assert taken.read_text(encoding="utf-8") == "keep"
    code, err = run(capsys, "export", "--store", store, "--out", str(taken / "below"))
    assert code == 2 and "cannot write" in err


def test_export_again_replaces_its_own_files(
    store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "dataset"
    assert run(capsys, "export", "--store", store, "--out", str(out))[0] == 0
    assert run(capsys, "export", "--store", store, "--out", str(out))[0] == 0
    assert len(list(out.rglob("part-0.parquet"))) == 2


def test_export_does_not_replace_a_file_it_did_not_write(
    store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "dataset"
    assert run(capsys, "export", "--store", store, "--out", str(out))[0] == 0
    [part] = (out / PART).rglob("part-0.parquet")
    part.write_text("notes of mine", encoding="utf-8")
    code, err = run(capsys, "export", "--store", store, "--out", str(out))
    assert (
        code == 2
        and "is not a file export wrote: not replacing it" in err
        and "move it out of the way" in err
    )
    assert part.read_text(encoding="utf-8") == "notes of mine"


def test_export_never_writes_through_a_link_out_of_out(
    store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere, out = tmp_path / "elsewhere", tmp_path / "dataset"
    elsewhere.mkdir()
    out.mkdir()
    (out / "adoption").symlink_to(elsewhere, target_is_directory=True)
    code, err = run(capsys, "export", "--store", store, "--out", str(out))
    assert code == 2 and "goes through a symbolic link" in err and "remove the link" in err
    assert list(elsewhere.iterdir()) == []


def test_export_never_writes_through_a_linked_file(
    store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "dataset"
    assert run(capsys, "export", "--store", store, "--out", str(out))[0] == 0
    [part] = (out / PART).rglob("part-0.parquet")
    secret = tmp_path / "secret.txt"
    secret.write_text("keep", encoding="utf-8")
    part.unlink()
    part.symlink_to(secret)
    code, err = run(capsys, "export", "--store", store, "--out", str(out))
    assert code == 2 and "goes through a symbolic link" in err
    assert secret.read_text(encoding="utf-8") == "keep"
