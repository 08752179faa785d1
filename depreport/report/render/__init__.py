"""Renderers: pure functions from a report (or a table of rows) to text. Only the CLI writes."""

from __future__ import annotations

from depreport.report.render.tables import Table, render_table
from depreport.report.render.words import plural
from depreport.report.shape import ExportUse, Report
from depreport.report.walk import export_entries

TABLE_FORMATS = ("table", "markdown", "csv", "json")
SCAN_FORMATS = ("table", "markdown", "csv", "json", "jsonl")


def render_scan(report: Report, fmt: str, top: int = 25) -> str:
    """A report in one of TABLE_FORMATS: a summary of the most used packages, or one row per export (csv)."""
    if fmt == "csv":
        return render_table(export_rows(report), "csv")
    return render_table(package_summary(report, top), fmt)


def package_summary(report: Report, top: int) -> Table:
    """The most imported packages, with a line of totals as the title."""
    totals = report["totals"]
    title = (
        f"{plural(totals['imports'], 'import')} of {plural(totals['packages'], 'package')}"
        f" in {plural(totals['files_seen'], 'file')}"
        f" ({totals['files_skipped'] + totals['files_failed']:,} skipped or failed,"
        f" {totals['files_with_syntax_errors']:,} with syntax errors)"
    )
    ranked = sorted(report["packages"].items(), key=lambda item: (-item[1]["imports"], item[0]))
    rows = [
        [name, usage["resolved_as"], usage["imports"], usage["files"], _top_exports(usage["exports"])]
        for name, usage in ranked[:top]
    ]
    if len(ranked) > top:
        title += f"; top {top} packages shown"
    return Table(title, ["package", "resolved as", "imports", "files", "most used exports"], rows)


def export_rows(report: Report) -> Table:
    """One row per package and export: the flat view for spreadsheets."""
    rows: list[list[object]] = [
        [name, resolved, export, use["count"], len(use["files"]), use["type_only"]]
        for name, export, resolved, use in export_entries(report)
    ]
    return Table("", ["package", "resolved_as", "export", "imports", "files", "type_only"], rows)


def _top_exports(exports: dict[str, ExportUse], count: int = 4) -> str:
    ranked = sorted(exports.items(), key=lambda item: (-item[1]["count"], item[0]))
    shown = ", ".join(f"{name} ({use['count']})" for name, use in ranked[:count])
    return shown + (f", +{len(ranked) - count} more" if len(ranked) > count else "")
