"""Page sections below the fold: the component treemap with its file list, and the low-hanging fruit.

Layout only: rows come from `dashboard.usage`, the treemap from `dashboard.charts`. A click on a tile
comes back through ``st.echarts_chart(on_select="rerun")`` as the clicked node's index, which
`charts.tile_paths` turns into its path. The chart's key names the tree it draws: another tree (another
repo, team or the ungrouped packages) is a new chart, so an index never points into a tree it was not
clicked in; the last picked path stays in the session and is outlined wherever it is drawn.
"""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from dashboard import charts, components, data, usage
from dashboard.markup import file_item, md_code, md_table, md_text
from dashboard.settings import Settings
from dashboard.source import Usage
from depreport.report.query import values_text

MAX_LISTED = 200  # files listed under the treemap; the download has them all
LIST_HEIGHT = 420  # pixels: a long list scrolls instead of stretching the page
FILES_KEY = "files"  # the files panel's container: its class is st-key-files
FRUIT_KEY = "fruit"  # the low-hanging fruit table's container
PROPS_KEY = "props"  # a clicked component's props, beside its files
# A path is one unbreakable piece (never cut mid-name); what is too wide for the page scrolls sideways.
PANEL_CSS = """<style>
.st-key-files code, .st-key-files li { white-space: nowrap; }
.st-key-files [data-testid="stMarkdownContainer"] { overflow-x: auto; }
.st-key-fruit [data-testid="stMarkdownContainer"] { overflow-x: auto; }
.st-key-fruit td { white-space: nowrap; }
.st-key-props table { width: 100%; table-layout: fixed; }
.st-key-props th, .st-key-props td { padding: 2px 6px; overflow-wrap: anywhere; }
.st-key-props th:nth-child(1) { width: 28%; }
.st-key-props th:nth-child(2), .st-key-props th:nth-child(3) { width: 5em; white-space: nowrap; }
</style>"""
PICKED = "treemap_picked"  # session key of the last clicked tile's path
TREEMAP_KEY = "treemap"  # the chart's key starts so, then names the tree it draws


def component_usage(
    rows: pd.DataFrame,
    settings: Settings,
    colours: dict[str, str],
    used: Usage | None = None,
    stale: list[str] | None = None,
) -> None:
    """Treemap group -> package -> component sized by imports or instances; a click lists the importing
    files below it, and a component's props beside them. ``stale``: repos left out (`data.stale_left_out`)."""
    st.header("Component usage")
    st.html(PANEL_CSS)
    if stale:
        st.caption(
            md_text(data.stale_usage_note(stale) + " Pick it under Repository to see its latest report.")
        )
    if rows.empty:
        st.info("The latest reports hold no imports to show.")
        return
    only_ungrouped = bool((rows["group"] == usage.UNGROUPED).all())
    ticked, sized = st.columns([3, 2])
    include = ticked.checkbox(
        "Include packages outside the adoption groups", value=only_ungrouped, key="ungrouped"
    )
    size = sized.radio("Size tiles by", usage.SIZES, horizontal=True, key="treemap_size") or usage.SIZES[0]
    nodes = usage.treemap_nodes(rows, include_ungrouped=include, size=size)
    if nodes.empty:
        st.info(NO_TILES[size])
        return
    if used is not None and used.versioned:
        st.caption(VERSIONED)
    picked = st.session_state.get(PICKED)
    option = charts.usage_treemap(nodes, picked, colours, unit=size)
    event = st.echarts_chart(
        option, key=treemap_key(nodes, size), on_select="rerun", renderer="svg", height=charts.TREEMAP_HEIGHT,
        alt=f"Treemap of {size}: adoption group, package, component",
    )  # fmt: skip
    clicked = charts.selected_path(event, charts.tile_paths(option))
    if clicked is not None and clicked != picked:
        # Redraw with the tile outlined, and keep the pick for the next tree drawn (a new, unselected chart).
        st.session_state[PICKED] = clicked
        st.rerun()
    with st.container(key=FILES_KEY, border=True):  # the page's full width: paths are long
        if picked is not None and len(picked) == 3 and used is not None:
            files, props = st.columns([1, 1])
            with files:
                files_panel(rows, picked, settings)
            with props, st.container(key=PROPS_KEY):
                props_panel(used, sorted(set(rows["repo"])), picked)
        else:
            files_panel(rows, picked, settings)


VERSIONED = (
    "A group has a version range, but a latest report was made before depreport recorded the version each "
    "file imports: the treemap places that report's imports by their package alone, so a version-pinned "
    "group's imports show under the first matching group without a range, or under none (the adoption "
    "numbers above count by version). Publish a new scan to place them."
)
NO_TILES = {
    "imports": "No import belongs to an adoption group; tick the box to see every package.",
    "instances": "No JSX instance of these components in the latest reports (reports made before depreport "
    "counted instances have none: scan again and publish); size the tiles by imports instead.",
}


def treemap_key(nodes: pd.DataFrame, size: str = "imports") -> str:
    """The treemap's widget key: the same for the same tree, another for any other tree (or sizing, which
    orders the tiles)."""
    digest = hashlib.sha256("\n".join(map(str, nodes["id"])).encode("utf-8")).hexdigest()
    return f"{TREEMAP_KEY}-{size}-{digest[:16]}"


VALUES_WIDTH = 60  # characters of values shown per prop (the most frequent first)


def props_panel(used: Usage, repos: list[str], path: tuple[str, ...]) -> None:
    """The props a clicked component's instances pass, with their values, over the repos shown."""
    _, package, export = path
    table = components.tile_props(used.components, repos, package, export)
    st.subheader(f"Props of {md_code(export)}")
    if table is None:
        known = any(components.has_instances(used.components.get(repo)) for repo in repos)
        st.info(
            "No instance: it is imported but never rendered as an element."
            if known
            else "The latest reports hold no component usage (made before depreport counted it): scan "
            "again and publish."
        )
        return
    st.caption(f"Instances: {table.instances:,} in {table.files:,} files (every file of the repos shown)")
    if table.members:
        st.caption(
            f"Sub-components (lines rendering them): {md_text(values_text(table.members, VALUES_WIDTH))}"
        )
    if not table.props:
        st.caption("No instance passes a prop.")
        return
    rows = [[p.name, p.passed, p.not_set, values_text(p.values, VALUES_WIDTH)] for p in table.props]
    with st.container(height=LIST_HEIGHT if len(rows) > 12 else "content", border=False):
        st.markdown(md_table(["prop", "passed", "not set", "values"], rows, right=("passed", "not set")))


def file_items(listing: pd.DataFrame, template: str | None, depth: int) -> list[str]:
    """Markdown list items: repo (when several), linked file, line numbers, components below a branch."""
    several_repos = listing["repo"].nunique() > 1
    items = []
    for row in listing.to_dict("records"):
        repo, commit, path = str(row["repo"]), str(row["commit"]), str(row["file"])
        item = file_item(template, repo, commit, path, tuple(row["lines"]))
        if several_repos:
            item = f"- {md_code(repo)} · {item[2:]}"
        if depth < 3:
            item += " — " + ", ".join(md_code(name) for name in row["components"])
        items.append(item)
    return items


def files_panel(rows: pd.DataFrame, path: tuple[str, ...] | None, settings: Settings) -> None:
    """The files under the clicked tile, with links when a URL template is configured."""
    if path is None:
        st.info("Click a tile to list the files that import it (a box's top strip selects a whole package).")
        return
    listing = usage.file_list(usage.files_for(rows, path))
    if listing.empty:
        st.info("Nothing under that tile in the current selection.")
        return
    st.subheader(usage.node_title(path, md_code))
    st.caption(f"Files: {len(listing):,} · import lines: {int(listing['imports'].sum()):,}")
    items = file_items(listing, settings.url_template, len(path))
    with st.container(height=LIST_HEIGHT if len(items) > 12 else "content", border=False):
        st.markdown("\n".join(items[:MAX_LISTED]))
        if len(items) > MAX_LISTED:
            st.caption(f"… and {len(items) - MAX_LISTED} more in the download")
    table = listing.assign(
        lines=[" ".join(map(str, lines)) for lines in listing["lines"]],
        components=[" ".join(names) for names in listing["components"]],
    )[["repo", "file", "lines", "components"]]
    st.download_button(
        "Download the file list (CSV)", usage.csv_bytes(table), file_name="importing-files.csv",
        mime="text/csv", key="files_csv", on_click="ignore",
    )  # fmt: skip


def low_hanging_fruit(rows: pd.DataFrame) -> None:
    """Components of the groups being replaced that are imported only once or twice: quick migrations."""
    st.header("Low-hanging fruit")
    if rows.empty:
        st.info("The latest reports hold no imports to show.")
        return
    most_at, order = st.columns([1, 2])
    most = most_at.number_input(
        "Imported at most (times)", min_value=1, max_value=50, value=2, key="fruit_most"
    )
    by = (
        order.radio("Sort by", usage.FRUIT_ORDERS, horizontal=True, key="fruit_sort") or usage.FRUIT_ORDERS[0]
    )
    fruit = usage.sort_fruit(usage.low_hanging_fruit(rows, int(most or 2)), by)
    st.caption("Components of the other groups imported this rarely: each one is a small migration.")
    if fruit.empty and bool((rows["group"] == usage.UNGROUPED).all()):
        st.info(usage.NO_GROUPS_FRUIT)
        return
    if fruit.empty:
        st.success("No component of the other groups is imported that rarely.")
        return
    table = [[r["group"], r["package"], r["component"], r["imports"], r["files"], r["where"]]
             for r in fruit.head(MAX_LISTED).to_dict("records")]  # fmt: skip
    header = ["group", "package", "component", "imports", "files", "where (file:lines)"]
    with st.container(key=FRUIT_KEY):  # a wide table scrolls sideways (see PANEL_CSS)
        st.markdown(md_table(header, table, right=("imports", "files")))
    if len(fruit) > MAX_LISTED:
        st.caption(f"… and {len(fruit) - MAX_LISTED} more in the download")
    st.download_button(
        "Download as CSV", usage.csv_bytes(fruit), file_name="low-hanging-fruit.csv", mime="text/csv",
        key="fruit_csv", on_click="ignore",
    )  # fmt: skip
