"""Backfill a whole organisation: a list of repositories (clone URLs or local paths), several at a time.

Each repository is cloned once into a work folder (kept, so a second run starts where the first
stopped, after fetching what was pushed since), backfilled week by week into the shared store, and
reported as a value: one repository that fails does not stop the others. Weeks already in the store
are skipped, so the whole run resumes.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from depreport.config import load_config
from depreport.errors import DepreportError, UsageError
from depreport.history.backfill import backfill, file_week
from depreport.history.plan import Span, branch_of, plan_weeks, weeks_in_store
from depreport.history.publish import StoringAhead
from depreport.runinfo import detect_run_info, is_remote_url, repo_from_remote, without_credentials
from depreport.scan.assembly import ScanOptions
from depreport.scan.discover import NotRead
from depreport.scan.shard import shard_of
from depreport.scan.workers import Limits, supervise
from depreport.store import open_store, validate_repo


@dataclass(frozen=True)
class Source:
    """One repository of the list: where it is, and its name in the store."""

    location: str
    name: str
    line: int = 0  # its line in the list, for messages

    @property
    def is_url(self) -> bool:
        """A clone URL rather than a local path."""
        return is_remote_url(self.location)


@dataclass(frozen=True)
class Job:
    """Everything a worker needs to backfill one repository."""

    source: Source
    workdir: Path
    store: str
    endpoint_url: str | None
    span: Span  # the same weeks (and ref) for every repository
    cache_dir: Path


@dataclass(frozen=True)
class Outcome:
    """What became of one repository."""

    name: str
    published: int = 0
    skipped: int = 0
    error: str | None = None
    hint: str = ""  # how to fix the error (said on stderr; the table's status cell holds the error alone)
    not_read: NotRead = field(default_factory=NotRead)  # what the latest week did not read
    unused_excludes: tuple[str, ...] = ()  # the configuration's exclude globs that left out nothing


def read_sources(text: str) -> list[Source]:
    """Lines of `LOCATION [org/name | name=org/name]` (`#` starts a comment); the name defaults to
    org/name of the URL. A bad line is a UsageError naming it and saying what is wrong."""
    sources: list[Source] = []
    lines: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        try:
            source = _source(line, number)
        except DepreportError as error:
            raise UsageError(f"line {number}: {error.message}", error.hint or _LINE_HINT) from error
        if source.name in lines:
            raise UsageError(
                f"line {number}: {source.name} is already the name of line {lines[source.name]}: "
                "the two repositories would publish over each other's weeks",
                "give one of them another name: LOCATION name=org/other",
            )
        lines[source.name] = number
        sources.append(source)
    _refuse_clashing_clones(sources)
    return sources


_WORKDIR_OWN = (".claims", ".commits", ".partial")  # the work folder's own folders beside the clones


def _refuse_clashing_clones(sources: list[Source]) -> None:
    """Each clone is the folder of its name in the work folder: a name inside another's folder
    (`acme/web` and `acme/web/ui`) or inside the work folder's own would clone one repository into
    another's clone. A UsageError naming the lines."""
    cloned = {source.name: source for source in sources if source.is_url}
    for source in cloned.values():
        if source.name.split("/")[0] in _WORKDIR_OWN:
            raise UsageError(
                f"line {source.line}: {source.name} starts with {source.name.split('/')[0]}, a folder "
                "--workdir keeps for itself: its clone would take that folder's place",
                "give it another name: LOCATION name=org/other",
            )
        parts = source.name.split("/")
        for end in range(1, len(parts)):
            outer = cloned.get("/".join(parts[:end]))
            if outer is not None:
                raise UsageError(
                    f"line {source.line}: {source.name} would be cloned inside the clone of {outer.name} "
                    f"(line {outer.line}): --workdir holds each clone in the folder of its name",
                    "give one of them another name: LOCATION name=org/other",
                )


_LINE_HINT = "write `LOCATION` or `LOCATION name=org/name` (LOCATION: a clone URL or a folder)"


def _source(line: str, number: int) -> Source:
    location, *rest = line.split()
    if len(rest) > 1:
        raise UsageError(f"{len(rest) + 1} fields where at most 2 are expected: {line!r}")
    name = rest[0] if rest else ""
    if "=" in name:
        key, _, name = name.partition("=")
        if key != "name":
            raise UsageError(f"unknown setting {key!r} (only name= is known)")
    if not name:
        name = repo_from_remote(location) or Path(location).resolve().name
    return Source(location, validate_repo(name), number)


def in_shard(sources: list[Source], number: int, count: int) -> list[Source]:
    """The sources of shard `number` of `count`, by a hash of their name (stable as lines come and go)."""
    return [source for source in sources if shard_of(source.name, count) == number]


def backfill_all(jobs: list[Job], processes: int) -> Iterator[Outcome]:
    """Run the jobs, `processes` at a time; yields each outcome as it finishes."""
    if processes <= 1 or len(jobs) <= 1:
        yield from map(backfill_one, jobs)
        return
    yield from supervise(jobs, backfill_one, _lost, processes, _LIMITS)


# A repository takes what it takes (no deadline); one at a time per worker; no deep stack needed.
_LIMITS = Limits(timeout=None, chunk=1, guarded=False, doing="backfilling this repository")


def _lost(job: Job, why: str) -> Outcome:
    """The outcome of a repository whose worker process died: an error, and the others go on."""
    return Outcome(job.source.name, error=why)


def backfill_one(job: Job) -> Outcome:
    """Clone (once) and backfill one repository; failures are returned, not raised.

    Without a clone yet, the weeks are planned on a clone of the commits alone (no trees, no files), so
    a repository whose weeks are all in the store (a retried array job on a fresh machine) is not
    cloned in full again."""
    try:
        with _claimed(job):
            return _backfill_claimed(job)
    except DepreportError as error:
        return Outcome(job.source.name, error=error.message, hint=error.hint)
    except Exception as error:  # one repository's bug must not end the others
        return Outcome(job.source.name, error=f"internal error: {type(error).__name__}: {error}")


def _backfill_claimed(job: Job) -> Outcome:
    """Plan, clone and backfill one repository whose place in the work folder this run holds."""
    store = open_store(job.store, job.endpoint_url)
    plan = plan_weeks(_checkout(job, full=False), job.span)
    stored = weeks_in_store(store, job.source.name, plan)
    todo = [week for week in plan if week.monday not in stored]
    if not todo:
        return Outcome(job.source.name, skipped=len(plan))
    root = _checkout(job, full=True)
    cache = job.cache_dir / job.source.name  # one cache per repo: workers never write the same file
    options = ScanOptions(root=root, config=load_config(root), jobs=1, cache_dir=cache)
    info = replace(detect_run_info(root), repo=job.source.name)
    if job.span.ref != "HEAD":
        info = replace(info, branch=branch_of(root, job.span.ref))
    last = None
    with StoringAhead(store) as storing:
        for last in backfill(options, info, todo):
            storing.store(file_week(last))
    return Outcome(
        job.source.name, published=len(todo), skipped=len(plan) - len(todo),
        not_read=last.not_read if last is not None else NotRead(),  # the latest week's, as a backfill says it
        unused_excludes=last.unused_excludes if last is not None else (),
    )  # fmt: skip


@contextlib.contextmanager
def _claimed(job: Job) -> Iterator[None]:
    """Hold the repository's place in the work folder for this run alone (an advisory lock the system
    drops when the process ends, however it ends), so what another run left there is known to be left
    by a run that is over: a git lock file of a run killed while it updated the clone, for one."""
    if not job.source.is_url:
        yield
        return
    path = job.workdir / ".claims" / job.source.name
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise UsageError(
                f"line {job.source.line}: another backfill is working on {job.workdir / job.source.name} now",
                "wait for it to finish, or give this run a --workdir of its own",
            ) from error
        yield
    finally:
        os.close(handle)


def _checkout(job: Job, full: bool) -> Path:
    """The repository's folder: the local path, the clone in the work folder, or (not `full`, no clone
    yet) a bare clone of its commits only, enough to plan the weeks. A clone is made beside the work
    folder's clones and moved in once git finished it, so a `.git` there is always a whole clone."""
    if not job.source.is_url:
        if not Path(job.source.location).is_dir():
            message = f"line {job.source.line}: {job.source.location} is neither a folder nor a clone URL"
            raise UsageError(message, "give the path of a git clone, or a URL git can clone")
        return Path(job.source.location)
    target = job.workdir / job.source.name
    probe = job.workdir / ".commits" / job.source.name
    if (target / ".git").exists():
        if not full:  # once a run, before its weeks are planned
            _remove_git_locks(target / ".git")
            _update(job, target)
        return target
    shutil.rmtree(probe, ignore_errors=True)
    if not full:
        return _clone(job, probe, "--bare", "--filter=tree:0")
    partial = job.workdir / ".partial" / job.source.name  # a clone killed midway stays out of `target`
    shutil.rmtree(partial, ignore_errors=True)
    _clone(job, partial)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        partial.rename(target)
    except OSError as error:
        raise UsageError(
            f"line {job.source.line}: cannot put the clone in {target}: {error.strerror}",
            f"move {target} out of --workdir: only clones of the list belong there",
        ) from error
    return target


def _update(job: Job, clone: Path) -> None:
    """Bring a clone kept from an earlier run to what the list's URL has now: its branch as the remote
    has it (the commits pushed since are the new weeks)."""
    steps = (
        ("remote", "set-url", "origin", job.source.location),
        ("fetch", "--quiet", "origin"),
        ("reset", "--quiet", "--hard", "@{upstream}"),
    )
    for step in steps:
        done = subprocess.run(["git", "-C", str(clone), *step], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            shown = without_credentials(job.source.location)
            why = done.stderr.strip()
            message = f"line {job.source.line}: cannot update the clone of {shown} in {clone}: {why}"
            fix = f"check the URL and your access to it, or delete {clone} to clone it again"
            raise UsageError(message, fix)


def _remove_git_locks(git_dir: Path) -> None:
    """Remove the lock files git left in a clone of the work folder when it was killed midway (`kill -9`,
    a preempted pod): every later git command there would refuse with "File exists". Only called while
    this run holds the clone (`_claimed`), so no git of a live run holds them."""
    for lock in git_dir.rglob("*.lock"):
        if lock.is_file() and not lock.is_symlink():
            lock.unlink(missing_ok=True)


def _clone(job: Job, dest: Path, *flags: str) -> Path:
    dest.parent.mkdir(parents=True, exist_ok=True)
    command = ["git", "clone", "--quiet", *flags, job.source.location, str(dest)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        shown = without_credentials(job.source.location)
        message = f"line {job.source.line}: cannot clone {shown}: {done.stderr.strip()}"
        raise UsageError(message, "check the URL and your access to it")
    return dest
