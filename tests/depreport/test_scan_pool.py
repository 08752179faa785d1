"""Scans and fleets run on the watched pool: a worker that dies costs its own task only."""

from __future__ import annotations

import faulthandler
import os
import signal
import threading
import time
from pathlib import Path

import pytest

from depreport.history import fleet
from depreport.history.plan import Span
from depreport.model import Extracted, Extraction, Failed, SourceFile
from depreport.scan import runner
from depreport.scan.runner import Work, run_files
from depreport.scan.workers import Limits, supervise


def test_a_crashing_parser_fails_its_files_and_the_scan_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = runner.extract_imports

    def crash_on_poison(data: bytes, language: str, uses: bool = True) -> Extraction:
        if b"poison" in data:
            faulthandler.disable()  # a crash on purpose: no traceback dump in the test log
            os.kill(os.getpid(), signal.SIGSEGV)  # as a native parser overflowing its stack would
        return real(data, language, uses)

    monkeypatch.setattr(runner, "extract_imports", crash_on_poison)  # forked workers inherit it
    files = []
    for number in range(300):
        text = "import poison from 'x';\n" if number == 150 else f"import {{ a{number} }} from 'lib';\n"
        (tmp_path / f"f{number:03}.ts").write_text(text)
        files.append(SourceFile(f"f{number:03}.ts", "typescript", len(text), 0))
    results = list(run_files(files, Work(tmp_path, None, 2 * 1024 * 1024), jobs=2))
    assert sorted(r.path for r in results) == sorted(f.path for f in files)  # every file, once
    failed = [r for r in results if isinstance(r, Failed)]
    assert "f150.ts" in {r.path for r in failed}
    assert all(
        "the worker process died (SIGSEGV) while reading these files" in r.problem.message for r in failed
    )
    assert len(failed) <= 48  # one chunk at most
    assert sum(isinstance(r, Extracted) for r in results) == 300 - len(failed)


def test_a_fleet_worker_that_dies_is_that_repositorys_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def backfill_one(job: fleet.Job) -> fleet.Outcome:
        if job.source.name == "acme/bad":
            os.kill(os.getpid(), signal.SIGKILL)
        return fleet.Outcome(job.source.name, published=1)

    monkeypatch.setattr(fleet, "backfill_one", backfill_one)
    names = ["acme/a", "acme/bad", "acme/b", "acme/c"]
    jobs = [fleet.Job(fleet.Source(n, n), tmp_path, str(tmp_path), None, Span(), tmp_path) for n in names]
    outcomes = {o.name: o for o in fleet.backfill_all(jobs, processes=2)}
    assert sorted(outcomes) == sorted(names)
    assert outcomes["acme/bad"].error == "the worker process died (SIGKILL) while backfilling this repository"
    assert all(outcomes[n].published == 1 and outcomes[n].error is None for n in names if n != "acme/bad")


def _write_slowly(task: tuple[Path, float]) -> str:
    """A task that writes a file under a temporary name and removes it if it is stopped before the end,
    as migrate's write-back does."""
    part, seconds = task
    try:
        part.write_text("half")
        time.sleep(seconds)
        return "done"
    finally:
        part.unlink(missing_ok=True)


def _failed(task: tuple[Path, float], why: str) -> str:
    return why


def _ctrl_c_once_written(part: Path) -> None:
    deadline = time.monotonic() + 30
    while not part.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    os.kill(os.getpid(), signal.SIGINT)


@pytest.mark.parametrize(
    ("guarded", "seconds"),
    [
        pytest.param(False, 10.0, id="stopped-mid-task"),
        pytest.param(True, 0.5, id="thread-ends-its-task"),  # migrate's tasks: a thread with a large stack
    ],
)
def test_an_interrupted_run_lets_its_workers_remove_what_they_half_wrote(
    tmp_path: Path, guarded: bool, seconds: float
) -> None:
    """Ctrl-C during migrate --write killed the workers outright (SIGKILL), so one caught between writing a
    file's new text under a temporary name and moving it into place left that file in the user's repo
    (3 of 14 runs over 9,000 files interrupted at random points). Workers are now asked to stop first
    (SIGTERM): a task unwinds its cleanups, or, run in a thread, ends; a worker is killed only when it
    does not stop in time."""
    part = tmp_path / "file.part"
    threading.Thread(target=_ctrl_c_once_written, args=(part,), daemon=True).start()
    limits = Limits(timeout=None, guarded=guarded)
    with pytest.raises(KeyboardInterrupt):
        list(supervise([(part, seconds)], _write_slowly, _failed, jobs=1, limits=limits))
    assert not part.exists()
