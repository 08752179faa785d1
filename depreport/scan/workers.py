"""The process pool of every parallel run (scan, migrate, fleet): it survives its workers.

Forked workers that the parent watches: each worker gets a few tasks at a time and answers one result
per task; the parent waits on every worker's pipe and process handle, with a deadline when one is set.
A worker that dies fails the task it held (`failed(task, why)`, a value), one that overruns is killed
and fails it, and a fresh worker takes the rest: one bad input costs itself only, never the run.

Migrations need more: libcst recurses over the tree it parses, so a deeply nested or very long Python
expression can exhaust the stack (RecursionError), crash the process (its native parser overflows the C
stack: SIGSEGV) or take minutes. With `Limits.guarded` each task runs in a thread with a large stack
and a raised recursion limit, so most deep files are rewritten instead of failing.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from types import FrameType
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

STACK_BYTES = 512 * 1024 * 1024  # virtual memory: only the pages a deep file touches are used
RECURSION_LIMIT = 60_000  # well below what STACK_BYTES holds, so deep files raise RecursionError
STOP_GRACE = 2.0  # seconds stopped workers have to unwind their tasks before they are killed


@dataclass(frozen=True)
class Limits:
    """How long one task may take (None: no limit), how many tasks a worker gets at a time, whether each
    runs with a deep stack (`run_guarded`), and what a task is, for the message of a worker that died."""

    timeout: float | None = 60.0
    chunk: int = 16
    guarded: bool = True
    doing: str = "rewriting this file"


class TookTooLong(Exception):
    """Raised by `deadline`'s alarm, from wherever the work was."""


@contextlib.contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Raise TookTooLong in the body once `seconds` have passed: the time limit of one file read or
    rewritten in this process (a pool's workers are also watched by the parent). With SIGALRM, so only
    the main thread of a process can be interrupted; elsewhere, and with None, there is no limit.
    A parse is interrupted too (`scan.languages.tree_of`)."""
    if seconds is None or threading.current_thread() is not threading.main_thread():
        yield
        return

    def late(_signal: int, _frame: FrameType | None) -> None:
        raise TookTooLong

    previous = signal.signal(signal.SIGALRM, late)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_guarded(work: Callable[[T], R]) -> Callable[[T], R]:
    """`work` run in a thread with a large stack and a high recursion limit (a RecursionError it
    raises reaches the caller)."""

    def guarded(task: T) -> R:
        box: list[R] = []
        failure: list[BaseException] = []
        done = threading.Event()

        def target() -> None:
            try:
                box.append(work(task))
            except BaseException as error:  # handed to the caller's thread
                failure.append(error)
            finally:
                done.set()

        previous = threading.stack_size(STACK_BYTES)
        try:
            thread = threading.Thread(target=target, name="migrate-task")
            thread.start()
        finally:
            threading.stack_size(previous)
        try:
            done.wait()  # not thread.join(): a join that a signal interrupts marks the thread as ended
        except BaseException:  # the worker is being stopped: the task ends what it writes first
            done.wait()
            raise
        thread.join()
        if failure:
            raise failure[0]
        return box[0]

    return guarded


@dataclass
class _Worker(Generic[T]):
    process: BaseProcess
    conn: Connection
    held: deque[T] = field(default_factory=deque)  # sent, not answered yet; the first is running
    since: float = 0.0  # when the running task started (the last answer or the send)


def supervise(
    tasks: list[T],
    work: Callable[[T], R],
    failed: Callable[[T, str], R],
    jobs: int,
    limits: Limits = Limits(),
    initializer: Callable[[], None] | None = None,
) -> Iterator[R]:
    """`work(task)` for every task in at most `jobs` forked workers; yields results as they come.

    A task whose worker dies or runs past `limits.timeout` yields `failed(task, why)` instead, and
    the run goes on. `work` must turn its own errors into results. `initializer` runs once in each
    worker before its first task (open what a worker keeps: a cache, a git reader).
    """
    pending: deque[T] = deque(tasks)
    context = multiprocessing.get_context("fork")
    workers: list[_Worker[T]] = []
    try:
        while pending or any(w.held for w in workers):
            workers = [w for w in workers if w.process.is_alive() or w.held]
            while pending and len(workers) < max(1, jobs):
                workers.append(_start(context, work, limits, initializer))
            for worker in workers:
                if not worker.held and pending:
                    _send(worker, pending, limits.chunk, jobs)
            yield from _collect(workers, pending, failed, limits)
    finally:
        _stop_all(workers)


def _start(
    context: multiprocessing.context.BaseContext,
    work: Callable[[T], R],
    limits: Limits,
    initializer: Callable[[], None] | None,
) -> _Worker[T]:
    parent, child = context.Pipe()
    arguments = (child, work, limits.guarded, initializer)
    process = context.Process(target=_serve, args=arguments, daemon=True)  # type: ignore[attr-defined]
    process.start()
    child.close()
    return _Worker(process, parent)


def _send(worker: _Worker[T], pending: deque[T], chunk: int, jobs: int) -> None:
    size = max(1, min(chunk, len(pending) // (2 * max(1, jobs))))
    batch = [pending.popleft() for _ in range(min(size, len(pending)))]
    worker.held.extend(batch)
    worker.since = time.monotonic()
    with contextlib.suppress(OSError):  # the worker is gone: _collect sees it end, fails the first task
        worker.conn.send(batch)


def _collect(
    workers: list[_Worker[T]], pending: deque[T], failed: Callable[[T, str], R], limits: Limits
) -> Iterator[R]:
    busy = [w for w in workers if w.held]
    timeout = limits.timeout
    handles = [w.conn for w in busy] + [w.process.sentinel for w in busy]
    left = None if timeout is None else max(0.0, min(w.since for w in busy) + timeout - time.monotonic())
    ready = set(wait(handles, timeout=left))
    for worker in busy:
        if worker.conn in ready:
            try:
                result = worker.conn.recv()
            except (EOFError, OSError):
                result = None
            if result is not None:
                worker.held.popleft()
                worker.since = time.monotonic()
                yield result
                continue
        if worker.process.sentinel in ready or worker.conn in ready:
            yield failed(worker.held.popleft(), _death(worker, limits.doing))
        elif timeout is not None and time.monotonic() - worker.since >= timeout:
            yield failed(worker.held.popleft(), f"took longer than {timeout:g} s; stopped")
        else:
            continue
        _stop(worker)
        pending.extendleft(reversed(worker.held))  # the rest of its batch goes to another worker
        worker.held.clear()


def _death(worker: _Worker[T], doing: str) -> str:
    worker.process.join(timeout=1)
    code = worker.process.exitcode
    if code is not None and code < 0:
        name = signal.Signals(-code).name if -code in signal.valid_signals() else str(-code)
        return f"the worker process died ({name}) while {doing}"
    return f"the worker process ended (exit code {code}) while {doing}"


def _stop_all(workers: list[_Worker[T]]) -> None:
    """Ask every worker to stop (SIGTERM unwinds its task: a file half written under a temporary name is
    removed), then kill those still running after STOP_GRACE seconds."""
    for worker in workers:
        if worker.process.is_alive():
            worker.process.terminate()
    deadline = time.monotonic() + STOP_GRACE
    for worker in workers:
        worker.process.join(timeout=max(0.0, deadline - time.monotonic()))
        _stop(worker)


def _stop(worker: _Worker[T]) -> None:
    if worker.process.is_alive():
        worker.process.kill()
    worker.process.join(timeout=5)
    worker.conn.close()


def _leave(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)  # unwinds the running task, whose cleanups remove what it half wrote


def _serve(
    conn: Connection, work: Callable[[T], R], deep: bool, initializer: Callable[[], None] | None
) -> None:
    """A worker: answer each task of each batch, until the parent closes the pipe."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, _leave)  # the parent stopping this worker
    # What the parent held at the fork is set aside (an O(1) move), never walked by a collection here:
    # a scan from a pack forks while holding the restored index, millions of objects made with
    # collections paused, and the first collection in each worker walked them all, copying every page
    # they sit on (1.5-2 s of a 5 s CI job from the pack of 42k files).
    gc.freeze()
    if initializer is not None:
        initializer()
    if deep:
        sys.setrecursionlimit(RECURSION_LIMIT)
    guarded = run_guarded(work) if deep else work
    while True:
        try:
            batch = conn.recv()
        except (EOFError, OSError):
            return
        for task in batch:
            conn.send(guarded(task))
