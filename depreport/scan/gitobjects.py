"""Reading a repository's history straight from git objects: no checkout, the working tree untouched."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import cast

from depreport.errors import EXIT_USAGE, DepreportError, UsageError
from depreport.gitanswers import answer, is_absolute
from depreport.runinfo import epoch_time


class GitError(DepreportError):
    """git failed or the repository cannot answer what was asked."""

    exit_code = EXIT_USAGE


_CLOCK_SLACK = timedelta(days=1)  # clocks drift; a commit dated further ahead than this has a wrong one


@dataclass(frozen=True)
class Commit:
    """A commit of the branch being replayed."""

    sha: str
    time: datetime  # committer time, UTC; never before its parent's (see `first_parent_commits`)
    misdated: str = ""  # why its own date was not used (it takes its parent's), e.g. "is dated 2031-01-01"


def git(root: Path, *args: str) -> str:
    """Run git in root; its stdout, or a GitError with git's own message."""
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False)
    except OSError as error:
        raise GitError(f"cannot run git: {error.strerror}", "install git") from error
    if done.returncode != 0:
        lines = [line.strip() for line in done.stderr.decode("utf-8", "replace").splitlines() if line.strip()]
        fatal = [line for line in lines if line.startswith(("fatal:", "error:"))]
        said = (fatal or lines or [str(done.returncode)])[-1 if not fatal else 0]
        advice = " ".join(line for line in lines if line != said)  # git's own: the safe.directory command
        raise GitError(f"git {' '.join(args[:2])} failed: {said}", advice)
    return done.stdout.decode("utf-8", "surrogateescape")


def first_parent_commits(root: Path, ref: str = "HEAD", now: datetime | None = None) -> list[Commit]:
    """The commits of the current branch (first parents only), oldest first.

    A commit dated before its parent (a wrong clock, a rebase), or ahead of the clock (`now`, with a
    day of slack), takes its parent's time, so that history never runs backwards and one wrong clock
    does not carry every later commit into its future; it is marked `misdated`, with why. Bare
    repositories work too.
    """
    if not (root / ".git").exists():
        try:
            git(root, "rev-parse", "--git-dir")
        except GitError as error:
            raise UsageError(
                f"{root} is not a git repository", "backfill replays git history: run it in a clone"
            ) from error
    _refuse_a_folder_inside(root)
    if ref == "HEAD":
        try:
            git(root, "rev-parse", "--verify", "--quiet", "HEAD")
        except GitError as error:
            hint = "backfill replays git history: commit first"
            raise UsageError(f"{root} has no commits yet", hint) from error
    lines = git(root, "log", "--first-parent", "--format=%H %ct", ref).split()
    latest = (now or datetime.now(UTC)) + _CLOCK_SLACK
    commits: list[Commit] = []
    for sha, ct in reversed(list(zip(lines[::2], lines[1::2], strict=True))):
        time = epoch_time(ct)
        parent = commits[-1] if commits else None
        why = ""
        if time is None:
            why = "has a date no computer can hold"
        elif time > latest:
            why = f"is dated {time:%Y-%m-%d %H:%M}, ahead of the clock"
        elif parent is not None and time < parent.time:
            why = f"is dated {time:%Y-%m-%d %H:%M}, before its parent {parent.sha[:12]}"
        if why:  # the parent's time; a root commit's: the epoch
            time = parent.time if parent is not None else datetime.fromtimestamp(0, UTC)
        commits.append(Commit(sha, cast(datetime, time), why))
    return commits


def _refuse_a_folder_inside(root: Path) -> None:
    """A commit is the whole repository: replaying the history of a folder inside one (a package of a
    monorepo) would count every file of the repository under the folder's name."""
    asked = ("rev-parse", "--show-prefix")
    prefix = answer(asked, git(root, *asked), "a folder of the repository or nothing", _is_relative).strip()
    if prefix:
        asked = ("rev-parse", "--show-toplevel")
        top = answer(asked, git(root, *asked), "the path of a folder", is_absolute)
        raise UsageError(
            f"{root} is a folder inside the git repository {top}: backfill replays whole commits",
            f'give {top}, with include = ["{prefix}**"] in its depreport.toml to count that folder alone',
        )


def is_shallow(root: Path) -> bool:
    """True in a shallow clone, whose history stops early."""
    asked = ("rev-parse", "--is-shallow-repository")
    return answer(asked, git(root, *asked), "true or false", lambda said: said in ("true", "false")) == "true"


def _is_relative(path: str) -> bool:
    return not path.startswith("/")


def list_tree(
    root: Path, commit: str, links: dict[str, str] | None = None, submodules: list[str] | None = None
) -> dict[str, str]:
    """Every file of a commit: path -> blob id. Symbolic links go to `links` (path -> the blob holding
    where it points) and the paths of submodules to `submodules`, when they are given.

    Sizes are not asked for: that would make git read every object; they are known once read.
    """
    tree: dict[str, str] = {}
    for entry in git(root, "ls-tree", "-r", "-z", "--full-tree", commit).split("\0"):
        if not entry:
            continue
        meta, _, path = entry.partition("\t")
        mode, kind, blob = meta.split()
        if kind == "blob" and mode in ("100644", "100755"):
            tree[path] = blob
        elif kind == "blob" and mode == "120000" and links is not None:
            links[path] = blob
        elif kind == "commit" and submodules is not None:
            submodules.append(path)
    return tree


_ASKED_AT_ONCE = 512  # blob ids of 41 bytes: 21 KB, well inside a pipe's buffer


class BlobReader:
    """Reads blobs by id through one long-running `git cat-file --batch`."""

    def __init__(self, root: Path) -> None:
        self._process = subprocess.Popen(
            ["git", "-C", str(root), "cat-file", "--batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )

    def read(self, blob: str) -> bytes:
        """The content of a blob."""
        data = self.read_many([blob]).get(blob)
        if data is None:
            raise OSError(f"git has no object {blob}")
        return data

    def read_many(self, blobs: list[str]) -> dict[str, bytes]:
        """The contents of many blobs, asked for all at once and read back in order (one round trip with
        git, not one per blob); a blob git does not have is left out."""
        assert self._process.stdin is not None and self._process.stdout is not None
        found: dict[str, bytes] = {}
        for start in range(0, len(blobs), _ASKED_AT_ONCE):  # the questions fit in the pipe: no deadlock
            asked = blobs[start : start + _ASKED_AT_ONCE]
            self._process.stdin.write(b"".join(blob.encode() + b"\n" for blob in asked))
            self._process.stdin.flush()
            for blob in asked:
                header = self._process.stdout.readline().split()
                if len(header) == 3:  # else "<id> missing" (or ambiguous)
                    found[blob] = self._process.stdout.read(int(header[2]) + 1)[:-1]
        return found

    def close(self) -> None:
        """Stop the git process."""
        if self._process.stdin is not None:
            self._process.stdin.close()
        self._process.wait()


def tree_reader(blobs: BlobReader, tree: dict[str, str]) -> Callable[[str], str | None]:
    """Reads repo-relative paths of one commit (for tsconfig and package.json files)."""

    def read(path: str) -> str | None:
        blob = tree.get(path)
        if blob is None:
            return None
        try:
            data = blobs.read(blob)
        except OSError:
            return None
        return data.decode("utf-8", "replace")  # readers of CODEOWNERS and configs report the damage

    return read
