"""Shared helpers of the commands: writing output, reading reports (progress bars:
`depreport.cli.progressbar`; what a scan says about what it read: `depreport.cli.findings`)."""

from __future__ import annotations

import argparse
import difflib
import errno
import os
import stat
import sys
import tempfile
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from depreport.errors import UsageError
from depreport.report.render.safe import guard_lines
from depreport.report.schema import loads
from depreport.report.shape import Report
from depreport.scan.walk import read_named
from depreport.store import InvalidRepoName, RunRef, Store, validate_repo
from depreport.textslices import Text, encoded_slices


def store_uri(text: str) -> str:
    """A --store or --publish value: anything but empty (which would name no store at all)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("empty: give a folder or s3://bucket/prefix")
    return text


def repo_name(text: str) -> str:
    """A --repo value: anything but blank, which would quietly mean "the default" (the folder's name, every
    repo of the store, the report's own)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("empty: give the repository's name, org/name, or leave --repo out")
    return text


def add_store_options(parser: argparse.ArgumentParser, required: bool = True) -> None:
    """Where reports are stored."""
    if required:
        default = os.environ.get("DEPREPORT_STORE", ".depreport/store")
        parser.add_argument(
            "--store",
            type=store_uri,
            default=default,
            help="folder or s3://bucket/prefix (default: $DEPREPORT_STORE, else .depreport/store)",
        )
    parser.add_argument("--endpoint-url", help="S3-compatible endpoint (default: $AWS_ENDPOINT_URL)")


def repo_to_store(repo: str | None, given: bool, origin: str) -> str:
    """The checked name a run is stored under; one the user did not give says where it came from."""
    try:
        return validate_repo(repo)
    except InvalidRepoName as error:
        if given:
            raise
        raise InvalidRepoName(
            f"{error.message} (taken from {origin}, as no --repo was given)",
            "give the name to store it under: --repo org/name",
        ) from error


def stored_repo(store: Store, repo: str) -> str:
    """`--repo` checked against the store: a name it does not hold is an error listing the nearest."""
    known = store.list_repos()
    if validate_repo(repo) in known or not known:
        return repo
    nearest = difflib.get_close_matches(repo, known, n=3, cutoff=0) if len(known) > 10 else known
    raise UsageError(f"{store.uri} holds no repo {repo}", f"its repos include {', '.join(nearest)}")


OUT_FORMATS = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".md": "markdown"}


def format_of(given: str | None, out: str, choices: Sequence[str], default: str) -> str:
    """The --format given, else the one --out's extension names (`report.json`: json), else the default."""
    if given is not None:
        return given
    named = OUT_FORMATS.get(os.path.splitext(out)[1].lower(), default)
    return named if named in choices else default


def add_jobs_option(parser: argparse.ArgumentParser) -> None:
    """--jobs: how many worker processes, at least one."""
    from depreport.scan.runner import default_jobs  # the scan's modules: only for commands that scan

    parser.add_argument(
        "--jobs", "-j", type=_job_count, default=default_jobs(), help="worker processes (default: all cores)"
    )


def file_to_write(text: str) -> Path:
    """An argument naming a file the command may write: a path ending with '/' names a folder (Path()
    would drop the slash, and a file be made where a folder was meant)."""
    if text.endswith("/"):
        raise argparse.ArgumentTypeError(f"{text} ends with '/', so names a folder: give a file path")
    return Path(text)


def _job_count(text: str) -> int:
    try:
        count = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if count < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {count} (leave it out for all cores)")
    return count


def write_text(out: str, text: Text, flag: str = "--out") -> None:
    """Write a text (whole, or in pieces written one after the other) to stdout ('-'), atomically onto a
    regular file or a new path, or through anything else.

    Only a regular file (or a new path) is replaced in one step: a device (/dev/null), a FIFO,
    /dev/stdout or a symbolic link is written through and stays what it is, even for root.
    """
    if out == "-":
        encoding = sys.stdout.encoding or "utf-8"
        for chunk in encoded_slices(text, encoding):
            sys.stdout.write(chunk.decode(encoding))
        sys.stdout.flush()
        return
    if out.endswith("/"):  # Path() drops the slash: a file would be made where a folder was meant
        raise UsageError(
            f"{out} ends with '/', so names a folder", f"give {flag} a file path, e.g. {out}report.json"
        )
    try:
        _write_bytes(Path(out), encoded_slices(text))
    except OSError as error:
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            hint = f"free space on that disk, or give {flag} a path on another one"
        else:
            hint = f"give {flag} a writable path" + (" (or '-' for stdout)" if flag == "--out" else "")
        raise UsageError(f"cannot write {out}: {error.strerror or error}", hint) from error


def write_into(folder: Path, name: str, text: str) -> str:
    """Write a file the command names itself (backfill --out-dir's weeks) into ``folder``; returns its path.

    Unlike a path the user gives, a link, FIFO or device found at that name was not asked for: it is
    refused, never written through (a link would lead out of the folder, a FIFO block forever).
    """
    path = folder / name
    try:
        kind = os.lstat(path).st_mode
    except FileNotFoundError:
        kind = None
    except OSError as error:
        raise UsageError(
            f"cannot write {path}: {error.strerror or error}", "give a folder you can write to"
        ) from error
    if kind is not None and not stat.S_ISREG(kind):
        raise UsageError(
            f"{path} is not a regular file (a link, FIFO, device or folder): not written through",
            f"remove it from {folder}, or give another folder",
        )
    write_text(str(path), text, "--out-dir")
    return str(path)


def _write_bytes(path: Path, data: Iterable[bytes]) -> None:
    try:
        kind = os.lstat(path).st_mode
    except FileNotFoundError:
        kind = None
    if kind is not None and stat.S_ISDIR(kind):
        raise UsageError(f"{path} is a folder", "give --out a file path inside it, e.g. report.json")
    if kind is not None and not stat.S_ISREG(kind):  # a link, device or FIFO: write through it
        if os.path.isdir(path):
            raise UsageError(f"{path} leads to a folder", "give --out a file path inside it")
        with open(path, "wb") as file:
            file.writelines(data)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.writelines(data)
        if kind is not None:
            os.chmod(temporary, stat.S_IMODE(os.stat(path).st_mode))  # keep the file's permissions
        else:
            os.chmod(temporary, 0o666 & ~_UMASK)  # as open() would have made it
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _read_umask() -> int:
    mask = os.umask(0o022)  # the only way to read it; done once, at import, before any thread starts
    os.umask(mask)
    return mask


_UMASK = _read_umask()


def read_report(path: Path) -> Report:
    """A report file written by `scan --format json`."""
    try:
        return loads(read_named(path))
    except OSError as error:
        raise UsageError(
            f"cannot read {path}: {error.strerror}", "write one with scan --format json"
        ) from error


def usable_cache(directory: Path) -> Path | None:
    """The --cache-dir to scan with: a damaged cache is rebuilt, a path that is not a folder is not
    used; either is said on stderr and the scan goes on (a cache only saves time)."""
    from depreport.scan.cachecheck import prepare_cache  # SQLite and the parsers: for commands that scan

    usable, warning = prepare_cache(directory)
    if warning is not None:
        note(f"warning: {warning}")
    return usable


def note_already_stored(run: RunRef, where: str) -> None:
    """Say that a report is not published again: the store holds it already."""
    note(f"{run.repo}: this report is in {where} already, as {run.report_key}: not stored again")


def note(message: str) -> None:
    """A line of information on stderr (stdout is kept for the requested output)."""
    print(f"depreport: {guard_lines(message)}", file=sys.stderr)  # names quoted in it never start a line


class Described:
    """Subcommands whose --help has a description (the one-line help as a sentence) and an example.

    Wraps argparse's subparsers; `examples` gives the epilog of a command whose parser has none.
    """

    def __init__(self, commands: Any, examples: Mapping[str, str] | None = None) -> None:
        self._commands, self._examples = commands, examples or {}

    def add_parser(self, name: str, **options: Any) -> argparse.ArgumentParser:
        """`add_parser` with a description, an example epilog and line breaks kept in both."""
        text = str(options.get("help") or "")
        description = options.get("description") or (text[:1].upper() + text[1:] + "." if text else "")
        options["description"] = textwrap.fill(description, 100) if description else None  # kept as wrapped
        options.setdefault("epilog", self._examples.get(name))
        options.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        parser: argparse.ArgumentParser = self._commands.add_parser(name, **options)
        return parser
