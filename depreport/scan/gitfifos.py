"""Ignore files that are FIFOs: git lists untracked files (`ls-files --others`, `status`) reading the
`.gitignore` of every folder it enters, and it opens one that is a FIFO and waits for ever for a writer.

Nothing is looked for while git is quick. A git still running after `PATIENCE` seconds is asked (on
Linux, /proc tells) whether it waits to open a FIFO; if it does, or if that cannot be told, the
`.gitignore` FIFOs of the folder and of the folders above it are found once (one walk), and each one git
waits on is opened for writing and closed at once: git reads it as empty and goes on. Those are
returned, to be said with the fix. A git that waits on a FIFO none of them is (`.git/info/exclude`,
core.excludesFile) is stopped, and that is said too: git never hangs the run.
"""

from __future__ import annotations

import os
import stat
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from depreport.model import Problem, ProblemReason
from depreport.scan.globs import shown_path

PATIENCE = 0.5  # seconds git runs before it is asked whether it waits on a FIFO
_FIFO_WAITS = frozenset({"wait_for_partner", "fifo_open"})  # Linux's names for that wait


@dataclass
class GitOutput:
    """What a git command printed, and the ignore FIFOs it waited on."""

    out: bytes
    err: bytes
    returncode: int
    released: list[str] = field(default_factory=list)  # FIFOs it read as empty, relative to the folder
    stopped: bool = False  # it waited to open a FIFO that is no .gitignore of the folder: killed

    def problems(self) -> list[Problem]:
        """The FIFOs git waited on, as a scan's problems with the fix. When git was stopped, its listing
        is not used: the folder is walked instead, and the walk names each .gitignore FIFO itself."""
        if self.stopped:
            message = (
                "git waited for ever to open a FIFO while listing untracked files, one of its ignore files "
                "that is no .gitignore (.git/info/exclude or core.excludesFile): it was stopped and the "
                "folder walked instead, with its .gitignore files alone; make that file a regular file"
            )
            return [Problem(".", ProblemReason.UNREADABLE.value, message)]
        message = (
            "a FIFO, not a file: git waited on it listing untracked files and was given nothing to read, "
            "so its patterns are not applied; make it a regular file (or remove it)"
        )
        return [Problem(shown_path(path), ProblemReason.UNREADABLE.value, message) for path in self.released]


def communicate(process: subprocess.Popen[bytes], folder: Path) -> GitOutput:
    """The output of a started git command that may read the `.gitignore` files under `folder`; each one
    that is a FIFO and that git waits on is released (read as empty) instead of hanging the run."""
    fifos: list[str] | None = None
    released: list[str] = []
    while True:
        try:
            out, err = process.communicate(timeout=PATIENCE)
            return GitOutput(out, err, process.returncode, released)
        except subprocess.TimeoutExpired:
            pass
        waiting = waits_on_fifo(process.pid)
        if waiting is False:
            continue  # slow, not stuck
        if fifos is None:
            fifos = gitignore_fifos(folder)
        now = [path for path in fifos if release(os.path.join(folder, path))]
        released += [path for path in now if path not in released]
        if not now and waiting and waits_on_fifo(process.pid):  # on a FIFO that is none of them
            process.kill()
            out, err = process.communicate()
            return GitOutput(out, err, process.returncode, released, stopped=True)


def waits_on_fifo(pid: int) -> bool | None:
    """Does the process wait to open a FIFO? None when this system does not tell (no /proc)."""
    try:
        with open(f"/proc/{pid}/wchan", encoding="ascii", errors="replace") as file:
            wchan = file.read().strip()
        if wchan and wchan != "0":
            return wchan in _FIFO_WAITS
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as file:
            state = file.read().rpartition(")")[2].split()[:1]
    except OSError:
        return None
    return None if state != ["R"] else False  # asleep where the kernel hides: it may be


def gitignore_fifos(folder: Path) -> list[str]:
    """The `.gitignore` files that are FIFOs under `folder` (its `.git` left out, no link followed) and
    in the folders above it, relative to `folder`."""
    found = []
    for directory, folders, files in os.walk(folder):
        folders[:] = [name for name in folders if name != ".git"]
        if ".gitignore" in files and _is_fifo(os.path.join(directory, ".gitignore")):
            found.append(os.path.relpath(os.path.join(directory, ".gitignore"), folder))
    above = Path(os.path.abspath(folder)).parents
    found += [os.path.relpath(p / ".gitignore", folder) for p in above if _is_fifo(p / ".gitignore")]
    return found


def _is_fifo(path: str | Path) -> bool:
    try:
        return stat.S_ISFIFO(os.lstat(path).st_mode)
    except OSError:
        return False


def release(path: str) -> bool:
    """Open a FIFO for writing and close it, if a reader waits on it (which then reads it as empty)."""
    try:
        handle = os.open(path, os.O_WRONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return False  # ENXIO: nobody waits on it (yet); or it is gone, or no longer a FIFO
    try:
        return stat.S_ISFIFO(os.fstat(handle).st_mode)
    finally:
        os.close(handle)
