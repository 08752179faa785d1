"""A Table (title, columns, rows) rendered as aligned text, Markdown, CSV or JSON."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from depreport.report.render.safe import csv_writer, markdown_text, plain


@dataclass(frozen=True)
class Table:
    """Rows of plain values under named columns."""

    title: str
    columns: list[str]
    rows: list[list[Any]]

    def records(self) -> list[dict[str, Any]]:
        """One JSON object per row, keyed by column (the rows of every JSON table output)."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def render_table(table: Table, fmt: str) -> str:
    """The table in one of: table, markdown, csv, json."""
    return _FORMATS[fmt](table)


def _text(table: Table) -> str:
    cells = [[plain(c) for c in table.columns], *[[plain(_cell(v)) for v in row] for row in table.rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(table.columns))]
    numeric = [all(isinstance(row[i], int | float) for row in table.rows) for i in range(len(table.columns))]

    def line(row: list[str]) -> str:
        parts = [c.rjust(w) if num else c.ljust(w) for c, w, num in zip(row, widths, numeric, strict=True)]
        return "  ".join(parts).rstrip()

    out = [plain(table.title)] if table.title else []
    out += [line(cells[0]), "  ".join("-" * w for w in widths), *(line(r) for r in cells[1:])]
    return "\n".join(out) + "\n"


def _markdown(table: Table) -> str:
    def escape(value: Any) -> str:
        return markdown_text(_cell(value))

    out = [f"**{escape(table.title)}**", ""] if table.title else []
    out.append("| " + " | ".join(escape(c) for c in table.columns) + " |")
    out.append(
        "|" + "|".join("---:" if _is_numeric(table, i) else "---" for i in range(len(table.columns))) + "|"
    )
    out += ["| " + " | ".join(escape(v) for v in row) + " |" for row in table.rows]
    return "\n".join(out) + "\n"


def csv_text(columns: list[str], rows: Iterable[list[Any]]) -> str:
    """A header and rows as CSV (every CSV output): "\\n" line ends, text cells defused (`csv_writer`)."""
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue()


def _csv(table: Table) -> str:
    return csv_text(table.columns, table.rows)


def _json(table: Table) -> str:
    return json.dumps(table.records(), indent=2, ensure_ascii=False) + "\n"


def _cell(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:.1f}"
    return "" if value is None else str(value)


def _is_numeric(table: Table, index: int) -> bool:
    return bool(table.rows) and all(isinstance(row[index], int | float) for row in table.rows)


_FORMATS: dict[str, Callable[[Table], str]] = {
    "table": _text,
    "markdown": _markdown,
    "csv": _csv,
    "json": _json,
}
