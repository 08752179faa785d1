"""A store's weekly history as a Hive-partitioned Parquet dataset, for Athena, Trino, Spark or DuckDB.

```
<out>/adoption/repo=<repo>/week=<YYYY-MM-DD>/part-0.parquet   one row per adoption group
<out>/imports/repo=<repo>/week=<YYYY-MM-DD>/part-0.parquet    one row per (package, export, file, line)
```
Partition values are URI-encoded in the path (`acme%2Fweb`), as pyarrow writes and query engines read
them; the rows do not repeat them. One run per repo and ISO week: the last one, as everywhere else.
Adoption rows count each run under the groups given (today's configuration), as `depreport adoption`
does; a run that cannot be regrouped keeps its import rows, has no adoption rows and is named. Rows carry
the run's full commit id, as git and the reports write it.
"""

from __future__ import annotations

import os
import secrets
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pyarrow as pa
import pyarrow.parquet as pq

from depreport.errors import UsageError
from depreport.history.adoption import METRICS, Groups
from depreport.history.frames import left_out_note, regroup
from depreport.history.weeks import week_start
from depreport.report.shape import Report, RunHead, Summary
from depreport.report.walk import export_entries
from depreport.store import RunRef, Skipped, Store, stored_report, stored_summary, weekly_readable

_RUN = [("run_time", pa.timestamp("s", tz="UTC")), ("commit", pa.string())]
_ADOPTION = pa.schema(
    [*_RUN, ("group", pa.string()), ("target", pa.bool_()), *((m, pa.int64()) for m in METRICS),
     *((f"share_{m}", pa.float64()) for m in METRICS)]
)  # fmt: skip
_IMPORTS = pa.schema(
    [*_RUN, ("package", pa.string()), ("resolved_as", pa.string()), ("export", pa.string()),
     ("file", pa.string()), ("line", pa.int32())]
)  # fmt: skip


@dataclass(frozen=True)
class Exported:
    """How much was written."""

    runs: int
    adoption_rows: int
    import_rows: int
    skipped: list[Skipped] = field(default_factory=list)  # damaged runs passed over, to warn about
    notes: list[str] = field(default_factory=list)  # runs without adoption rows: they cannot be regrouped


Writer = Callable[[str, bytes], None]  # relative key -> bytes


def open_destination(out: str, endpoint_url: str | None = None) -> Writer:
    """Where the dataset goes: a folder, or `s3://bucket/prefix` (through the store's S3 client)."""
    if out.startswith("s3://"):
        from depreport.store.s3 import object_writer

        return object_writer(out, endpoint_url)
    if os.path.exists(out) and not os.path.isdir(out):
        raise UsageError(
            f"--out {out} is not a folder", "give a folder (made if missing) or s3://bucket/prefix"
        )
    base = Path(os.path.realpath(out))  # --out may itself be a link; below it, none is followed

    def write(key: str, data: bytes) -> None:
        _write_inside(base, key, data)

    return write


def _write_inside(base: Path, key: str, data: bytes) -> None:
    """Write ``base/key`` unless that goes through a link or replaces a file export did not write."""
    target = base / key
    if os.path.realpath(target) != str(target):
        raise UsageError(
            f"{target} goes through a symbolic link: export writes only inside --out",
            "remove the link, or give --out a folder without links in it",
        )
    try:
        if target.exists() and not _written_by_export(target):
            raise UsageError(
                f"{target} is not a file export wrote: not replacing it",
                "move it out of the way, or give --out a new or empty folder",
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        _write_whole(target, data)
    except OSError as error:
        raise UsageError(
            f"cannot write {target}: {error.strerror or error}", "give --out a folder you can write to"
        ) from error


def _write_whole(target: Path, data: bytes) -> None:
    """Write beside ``target``, then move the file into place: a write that fails (a full disk) or is
    interrupted leaves no truncated part file, which no engine could read and the next export would not
    replace. The hidden `.tmp` name matches no `*.parquet` glob while it exists."""
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies
        with os.fdopen(fd, "wb") as file:
            file.write(data)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _written_by_export(path: Path) -> bool:
    """Is ``path`` a regular file holding a Parquet table of this dataset (written by an earlier export)?"""
    if not path.is_file():
        return False
    try:
        schema = pq.read_schema(path)
    except (pa.ArrowException, OSError):
        return False
    return schema.names in (_ADOPTION.names, _IMPORTS.names)  # types as read back may differ (ms for s)


def export_parquet(
    store: Store, write: Writer, repos: list[str], weeks: int | None, groups: Groups
) -> Exported:
    """Write the last readable run of each week of each repo, its adoption under `groups` (today's; each
    run's own when there are none, as `depreport adoption` counts); returns the counts and what was left
    out."""
    runs = adoption_rows = import_rows = 0
    skipped: list[Skipped] = []
    left_out: Counter[str] = Counter()
    for repo in repos:
        for item in weekly_readable(store, repo, _read_run, weeks):
            if isinstance(item, Skipped):
                skipped.append(item)
                continue
            run, (stored, report) = item
            regrouped, _ = regroup([stored], groups)
            if not regrouped:  # made under other groups, without the counts to regroup it
                left_out[repo] += 1
            folder = f"repo={quote(run.repo, safe='')}/week={week_start(run.time.date()).isoformat()}"
            commit = stored.get("commit") or run.commit  # the full id, as git and the report write it
            adoption = _adoption_table(regrouped[0] if regrouped else None, run, commit)
            imports = _imports_table(report, run, commit)
            for name, table in (("adoption", adoption), ("imports", imports)):
                buffer = pa.BufferOutputStream()
                pq.write_table(table, buffer)
                write(f"{name}/{folder}/part-0.parquet", buffer.getvalue().to_pybytes())
            runs, adoption_rows, import_rows = (
                runs + 1,
                adoption_rows + adoption.num_rows,
                import_rows + imports.num_rows,
            )
    notes = [left_out_note(repo, count) for repo, count in sorted(left_out.items())]
    return Exported(runs, adoption_rows, import_rows, skipped, notes)


def _read_run(store: Store, run: RunRef) -> tuple[Summary, Report]:
    """A run's summary and report: both must read for the run to be exported."""
    return stored_summary(store, run), stored_report(store, run)


def _adoption_table(summary: RunHead | None, run: RunRef, commit: str) -> pa.Table:
    """One row per group, none for a run that could not be counted under the groups asked for."""
    adoption = summary.get("adoption") if summary is not None else None
    groups = adoption["groups"] if adoption else {}
    rows = [
        {"run_time": run.time, "commit": commit, "group": name, "target": bool(group["target"]),
         **{m: group[m] for m in METRICS}, **{f"share_{m}": float(group["share"][m]) for m in METRICS}}
        for name, group in groups.items()
    ]  # fmt: skip
    return pa.Table.from_pylist(rows, schema=_ADOPTION)


def _imports_table(report: Report, run: RunRef, commit: str) -> pa.Table:
    packages, resolved, exports, files, lines = [], [], [], [], []
    for package, export, resolved_as, use in export_entries(report):
        for path, numbers in use["files"].items():
            for line in numbers:
                packages.append(package)
                resolved.append(resolved_as)
                exports.append(export)
                files.append(path)
                lines.append(line)
    rows = len(lines)
    columns = [[run.time] * rows, [commit] * rows, packages, resolved, exports, files, lines]
    return pa.Table.from_arrays(
        [pa.array(c, type=f.type) for c, f in zip(columns, _IMPORTS, strict=True)], schema=_IMPORTS
    )
