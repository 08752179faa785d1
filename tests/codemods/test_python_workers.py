"""Worker processes that die, hang or recurse deeply cost their own file only; the run goes on."""

from __future__ import annotations

import faulthandler
import os
import signal
import sys
import time
import tomllib
from pathlib import Path

import pytest

from codemods.rulefile import parse_rules
from codemods.runner import Outcome, RunOptions, Task, run_migration
from depreport.scan.workers import Limits, supervise


def _work(task: str) -> str:
    if task == "segfault":
        faulthandler.disable()  # a crash on purpose: no traceback dump in the test log
        os.kill(os.getpid(), signal.SIGSEGV)
    if task == "killed":
        os.kill(os.getpid(), signal.SIGKILL)
    if task == "exit":
        os._exit(3)
    if task == "hang":
        time.sleep(60)
    if task == "deep":
        return f"done deep {_depth(20_000)}"
    return f"done {task}"


def _depth(n: int) -> int:
    return 0 if n == 0 else 1 + _depth(n - 1)


def _failed(task: str, why: str) -> str:
    return f"failed {task}: {why}"


def _run(tasks: list[str], jobs: int = 2, timeout: float = 30.0, chunk: int = 4) -> dict[str, str]:
    results = list(supervise(tasks, _work, _failed, jobs, Limits(timeout, chunk)))
    assert len(results) == len(tasks)
    return {r.split(" ", 2)[1].rstrip(":"): r for r in results}  # task -> its result


@pytest.mark.parametrize(
    ("bad", "why"),
    [
        pytest.param("segfault", "died (SIGSEGV)", id="segfault"),
        pytest.param("killed", "died (SIGKILL)", id="killed"),
        pytest.param("exit", "ended (exit code 3)", id="exit"),
    ],
)
def test_a_worker_that_dies_fails_its_task_only(bad: str, why: str) -> None:
    tasks = [f"a{i}" for i in range(6)] + [bad] + [f"b{i}" for i in range(6)]
    results = _run(tasks, jobs=2, chunk=4)
    assert results[bad].startswith(f"failed {bad}: the worker process {why}")
    assert all(results[t] == f"done {t}" for t in tasks if t != bad)


def test_a_task_past_its_deadline_is_stopped_and_the_rest_go_on() -> None:
    started = time.monotonic()
    results = _run(["a", "hang", "b", "c"], jobs=1, timeout=1.0, chunk=4)
    assert results["hang"] == "failed hang: took longer than 1 s; stopped"
    assert [results[t] for t in "abc"] == ["done a", "done b", "done c"]
    assert time.monotonic() - started < 20


def test_workers_recurse_far_deeper_than_the_default_limit() -> None:
    assert sys.getrecursionlimit() < 20_000
    assert _run(["deep"], jobs=1)["deep"] == "done deep 20000"


def test_no_tasks_start_no_workers() -> None:
    assert list(supervise([], _work, _failed, 2)) == []


RULES = parse_rules(tomllib.loads('[[rule]]\nlanguage = "python"\nfrom = "old"\nto = "new"\n'), "rules.toml")


@pytest.mark.integration
def test_a_python_file_that_crashes_libcst_is_failed_and_the_others_are_rewritten(tmp_path: Path) -> None:
    deep = tmp_path / "deep.py"
    deep.write_text("import old\nx = " + "(" * 100_000 + "old.A" + ")" * 100_000 + "\n")
    tasks = [Task(str(deep), "deep.py", "python")]
    for i in range(3):
        (tmp_path / f"ok{i}.py").write_text("import old\nx = old.A\n")
        tasks.append(Task(str(tmp_path / f"ok{i}.py"), f"ok{i}.py", "python"))
    outcomes = {o.path: o for o in run_migration(tasks, RULES, RunOptions(write=True, jobs=1))}
    assert outcomes["deep.py"].outcome is Outcome.FAILED
    assert "the worker process died (SIGSEGV)" in outcomes["deep.py"].detail
    for i in range(3):
        assert outcomes[f"ok{i}.py"].outcome is Outcome.CHANGED
        assert (tmp_path / f"ok{i}.py").read_text() == "import new\nx = new.A\n"


@pytest.mark.integration
def test_a_deep_but_finite_python_file_is_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "long.py"
    path.write_text("import old\nx = " + " + ".join(["old.A"] * 2000) + "\n")
    [outcome] = run_migration([Task(str(path), "long.py", "python")], RULES, RunOptions(write=True))
    assert outcome.outcome is Outcome.CHANGED, outcome.detail
    assert path.read_text() == "import new\nx = " + " + ".join(["new.A"] * 2000) + "\n"
