"""The HTML report as one self-contained page: `render(content) -> str`, pure.

No server and no network: the styles, the ECharts bundle (vendor/, see vendor/build.sh), our script and
the data are inlined, and a Content-Security-Policy forbids the page any request. Every name from a
report (repo, file, package, component, group) goes through `text` (HTML-escaped, control characters
shown) or into the JSON data block, whose `<`, `>` and `&` are written as JSON escapes; the script puts
names into the page as text nodes only.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from typing import Any

import pandas as pd

from dashboard import charts, components, data, usage
from dashboard.markup import chart_text
from depreport import __version__
from depreport.report.changes import UNGROUPED, GroupChanges, ImportChange
from depreport.report.htmlreport.content import Content

CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
    "font-src data:; connect-src 'none'; form-action 'none'; base-uri 'none'"
)
CHANGES_SHOWN = 100  # changed files listed per group; the counts cover them all


def text(value: object) -> str:
    """A name or number as HTML text: escaped, control characters (newlines) shown as `\\xNN`."""
    return html.escape(chart_text(value), quote=True)


def _lines(value: str) -> str:
    """Lines of our own (a config example, commands) as preformatted HTML text: escaped, breaks kept."""
    return html.escape(value, quote=True)


def render(content: Content) -> str:
    """The whole page."""
    body = "\n".join(
        [
            _header(content),
            _problems(content.problems),
            _headline(content),
            _trend(content),
            _usage(content),
            _fruit(content.fruit, grouped=content.headline.week is not None),
            _changes(content),
            _footer(),
        ]
    )
    payload = {
        "trend": content.trend, "treemap": content.treemap, "files": content.files,
        "byInstances": content.by_instances, "props": content.props,
    }  # fmt: skip
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<link rel="icon" href="data:,"><title>{text(content.options.title)}</title>\n'
        f"<style>{_asset('report.css')}</style></head>\n<body>\n{body}\n"
        f'<script type="application/json" id="depreport-data">{json_for_html(payload)}</script>\n'
        f"<script>{script_text(_asset('vendor/echarts.min.js'))}</script>\n"
        f"<script>{script_text(_asset('report.js'))}</script>\n"
        f'<script type="text/plain" id="third-party-licences">{script_text(_asset("vendor/LICENSES.txt"))}'
        "</script>\n</body></html>\n"
    )


def json_for_html(value: Any) -> str:
    """JSON that cannot end its script element nor open a comment: `<`, `>` and `&` as JSON escapes."""
    raw = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return raw.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def script_text(source: str) -> str:
    """A script's text that cannot end its script element early."""
    return source.replace("</script", "<\\/script").replace("<!--", "<\\!--")


def _asset(name: str) -> str:
    return resources.files("depreport.report.htmlreport").joinpath(name).read_text(encoding="utf-8")


def _header(content: Content) -> str:
    made = f"{content.generated_at:%Y-%m-%d %H:%M} UTC"
    return (
        f"<header><h1>{text(content.options.title)}</h1>"
        f'<p class="meta">Store {text(content.store)} · repositories: {len(content.repos)} · '
        f"made {made} by depreport {text(__version__)}</p></header>"
    )


def _problems(problems: Sequence[str]) -> str:
    if not problems:
        return ""
    items = "".join(f"<li><code>{text(problem)}</code></li>" for problem in problems)
    summary = f"<summary>Stored runs unreadable and left out: {len(problems)}</summary>"
    return f'<details class="warning">{summary}<ul>{items}</ul></details>'


def _headline(content: Content) -> str:
    head, what = content.headline, charts.METRIC_LABELS[content.options.metric]
    if head.week is None:
        return (
            '<section id="adoption"><h2>Global adoption</h2><p class="note">The reports in this store carry '
            "no adoption groups, so there is no share to show yet. Name the packages being adopted and those "
            "they replace in <code>depreport.toml</code> (or give <code>--config</code>): stored runs are "
            "counted under them. To fill a store:</p>"
            f"<pre>{_lines(data.GROUPS_EXAMPLE)}</pre><pre>{_lines(data.setup_commands(content.store))}</pre></section>"
        )
    cards = [_card(row, head.total, what, content.colours) for row in head.groups.to_dict("records")]
    notes = "".join(f'<p class="warning">{text(note)}</p>' for note in content.counting_notes)
    return (
        f'<section id="adoption"><h2>Global adoption</h2>{notes}'
        f'<p class="week">Week of {head.week:%Y-%m-%d} (the last report of each ISO week)</p>'
        f'<div class="cards">{"".join(cards)}</div>{_indirect(content.indirect)}{_per_repo(content.per_repo)}'
        "</section>"
    )


def _indirect(found: list[tuple[str, int, int, int]]) -> str:
    """Files that reach a group being replaced only through local wrapper modules (latest reports)."""
    if not found:
        return ""
    items = ""
    for group, *counts in found:
        lead, stress = components.indirect_words(*counts)
        items += f"<li>{text(group)}: {text(lead)} <strong>{text(stress)}</strong></li>"
    return f'<div id="indirect"><h3>Indirect via wrappers (latest reports)</h3><ul>{items}</ul></div>'


def _card(row: Mapping[Any, Any], total: int, what: str, colours: dict[str, str]) -> str:
    """A group's share, its count and its change; the target's is the headline."""
    change = None if pd.isna(row["change"]) else float(row["change"])
    good_when_up = bool(row["target"])
    tone = "none" if not change else ("good" if (change > 0) == good_when_up else "bad")
    arrow = "" if not change else ("▲ " if change > 0 else "▼ ")
    since = " since last week" if good_when_up else ""
    delta = "" if change is None else f'<p class="delta {tone}">{arrow}{change:+.1f} pts{since}</p>'
    label = f"{text(row['group'])}: share of {what}" if good_when_up else text(row["group"])
    colour = text(colours.get(str(row["group"]), charts.UNGROUPED_COLOUR))
    return (
        f'<div class="card{" target" if good_when_up else ""}" style="border-top-color:{colour}">'
        f'<p class="label">{label}</p><p class="value">{float(row["share"]):.1f}%</p>{delta}'
        f'<p class="count">{int(row["count"]):,} of {total:,} {what}</p></div>'
    )


def _per_repo(shares: pd.DataFrame) -> str:
    if shares.empty:
        return ""
    groups = [column for column in shares.columns if column != "repo"]
    rows = [[r["repo"], *(f"{100 * float(r[g]):.1f}%" for g in groups)] for r in shares.to_dict("records")]
    return f"<h3>Per repo (each repo's latest run)</h3>{table(['repo', *groups], rows, right=groups)}"


def _trend(content: Content) -> str:
    if content.trend is None:
        return ""
    weekly = content.weekly
    rows = [
        [f"{week:%Y-%m-%d}", *("no run" if pd.isna(v) else f"{v:.1f}%" for v in values)]
        for week, values in weekly.iterrows()
    ]
    target = content.options.target_share
    goal = f" The dashed line is the target, {100 * target:g}%." if target is not None else ""
    notes = "".join(f'<p class="note">{text(note)}</p>' for note in content.history_notes)
    return (
        '<section id="trend-section"><h2>Adoption week over week</h2>'
        f'<p class="note">Each group\'s share of {charts.METRIC_LABELS[content.options.metric]}.{goal}</p>'
        f'<div id="trend" class="chart" style="height:{charts.TREND_HEIGHT}px" role="img" '
        'aria-label="Stacked areas: each adoption group\'s share, week by week"></div>'
        f"{notes}"
        f"<details><summary>The newest {len(rows)} weeks as a table</summary>"
        f"{table(['week', *weekly.columns], rows, right=list(weekly.columns))}</details></section>"
    )


def _usage(content: Content) -> str:
    stale = note(data.stale_usage_note(content.stale)) if content.stale else ""
    if content.treemap is None:
        return f'<section id="usage"><h2>Component usage</h2>{stale}{note("No grouped import.")}</section>'
    sizes = ""
    if content.by_instances is not None:
        choices = "".join(
            f'<label><input type="radio" name="treemap-size" value="{size}"{checked}> {size}</label>'
            for size, checked in (("imports", " checked"), ("instances", ""))
        )
        sizes = f'<p id="treemap-size" class="sizes">Size tiles by {choices}</p>'
    return (
        f'<section id="usage"><h2>Component usage</h2>{stale}'
        '<p class="note">Click a tile to list the files that import it (a box\'s top strip selects a whole '
        "package); a component's props show beside them.</p>"
        f"{sizes}"
        f'<div id="treemap" class="chart" style="height:{charts.TREEMAP_HEIGHT}px" role="img" '
        'aria-label="Treemap of imports: adoption group, package, component"></div>'
        '<div class="tile-panels"><div id="files" class="files" aria-live="polite"></div>'
        '<div id="props" class="props" aria-live="polite"></div></div></section>'
    )


def _fruit(fruit: pd.DataFrame, grouped: bool = True) -> str:
    header = '<section id="fruit"><h2>Low-hanging fruit</h2><p class="note">Components of the other groups '
    header += "imported at most twice: each one is a small migration.</p>"
    if not grouped:
        return header + note(usage.NO_GROUPS_FRUIT) + "</section>"
    if fruit.empty:
        return header + '<p class="note">No component of the other groups is that rare.</p></section>'
    rows = [[r["group"], r["package"], r["component"], r["imports"], r["files"], r["where"]]
            for r in fruit.to_dict("records")]  # fmt: skip
    names = ["group", "package", "component", "imports", "files", "where (file:lines)"]
    return header + table(names, rows, right=("imports", "files")) + "</section>"


def _changes(content: Content) -> str:
    week = content.headline.week
    title = f"What changed in the week of {week:%Y-%m-%d}" if week else "What changed in the newest week"
    if not content.changes:
        return f'<section id="changes"><h2>{title}</h2>{note("No import added or removed.")}</section>'
    several = len({change.repo for group in content.changes for change in group.changes}) > 1
    blocks = [_group_changes(group, several, content.colours) for group in content.changes]
    intro = note("Against each repo's last report of an earlier week: import lines added and removed.")
    return f'<section id="changes"><h2>{title}</h2>{intro}{"".join(blocks)}</section>'


def _group_changes(group: GroupChanges, several_repos: bool, colours: dict[str, str]) -> str:
    colour = text(colours.get(group.group, charts.UNGROUPED_COLOUR))
    summary = (
        f'<span class="swatch" style="background:{colour}"></span>{text(group.group)}: '
        f'<span class="added">+{group.added:,}</span> '
        f'<span class="removed">&minus;{group.removed:,}</span> import lines'
    )
    columns = ["file", "package", "component", "lines added", "lines removed"]
    names = [*(["repo"] if several_repos else []), *columns]
    rows = [_change_row(change, several_repos) for change in group.changes[:CHANGES_SHOWN]]
    more = len(group.changes) - CHANGES_SHOWN
    tail = f'<p class="note">… and {more} more files</p>' if more > 0 else ""
    shown = "" if group.group == UNGROUPED else " open"  # the groups' changes first; the rest on demand
    return f'<details class="group"{shown}><summary>{summary}</summary>{table(names, rows)}{tail}</details>'


def _change_row(change: ImportChange, with_repo: bool) -> list[object]:
    lines = [", ".join(map(str, change.added)), ", ".join(map(str, change.removed))]
    return [*([change.repo] if with_repo else []), change.file, change.package, change.export, *lines]


def note(words: str) -> str:
    """A paragraph of our own words (escaped all the same)."""
    return f'<p class="note">{text(words)}</p>'


def table(header: Sequence[str], rows: Iterable[Sequence[object]], right: Iterable[str] = ()) -> str:
    """An HTML table with every cell escaped; columns named in ``right`` align right."""
    aligned = set(right)
    cls = [' class="num"' if name in aligned else "" for name in header]
    head = "".join(f"<th{c}>{text(name)}</th>" for name, c in zip(header, cls, strict=True))
    body = "".join(
        "<tr>" + "".join(f"<td{c}>{text(cell)}</td>" for cell, c in zip(row, cls, strict=True)) + "</tr>"
        for row in rows
    )
    return f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def _footer() -> str:
    return (
        "<footer><p>Made by depreport: the numbers are those of <code>depreport adoption --store</code> and "
        "the dashboard. Charts drawn by Apache ECharts (Apache License 2.0), inlined with its licences.</p>"
        "</footer>"
    )
