"""The adoption dashboard: `depreport dashboard`, or `streamlit run dashboard/app.py` with DEPREPORT_STORE.

Layout only; see `dashboard.sections` and `dashboard.panels` for the sections, `dashboard.data` and
`dashboard.usage` for the numbers, `dashboard.charts` for the chart options.
"""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard import charts, data, panels, sections, usage
from dashboard.markup import md_code
from dashboard.settings import Settings
from dashboard.source import History


def main() -> None:
    """Draw the page: history first (the charts start loading), then the latest reports' usage."""
    st.set_page_config(page_title="depreport: adoption", page_icon=":bar_chart:", layout="wide")
    settings = Settings.from_env()
    history = sections.load_history(settings)
    if history is None:
        return
    view = sections.sidebar(settings, history.repos, history.teams)
    st.title("Design-system adoption")
    st.caption(f"Repositories: {len(history.repos)} · weekly runs read: {history.runs}")
    colours = charts.group_colours(*data.groups_and_target(history.frame))  # one colour per group, everywhere
    indirect = None
    if history.frame.empty:
        sections.explain_no_groups(settings)
    else:
        indirect = adoption(settings, view, history, colours)
    used = sections.load_usage(settings, history.repos)
    stale = data.stale_left_out(history.frame, view.repo)
    if indirect is not None:  # under the headline, filled once the latest reports are read
        with indirect:
            sections.indirect_dependence(used.dependence, view.repo, view.team, stale)
    if view.team is not None and usage.OWNERS not in used.frame.columns:
        st.caption("Component usage covers every team: the reports count adoption per owner, not per file.")
    rows = usage.select(used.frame, view.repo, view.team, stale) if not used.frame.empty else used.frame
    panels.component_usage(rows, settings, colours, used, stale)
    panels.low_hanging_fruit(rows)


def adoption(
    settings: Settings, view: sections.View, history: History, colours: dict[str, str]
) -> DeltaGenerator | None:
    """The headline numbers and the trend, of the chosen repo (or all) and team (or all); returns the
    place under the headline for the files that depend on a group only through local wrappers."""
    if view.team is not None:
        history = sections.load_history(settings, view.team) or history
        st.caption(f"Counting the files owned by {md_code(view.team)}.")
    frame = data.for_repo(data.carry_forward(history.frame), view.repo)
    if frame.empty and view.team is not None:
        st.info(f"No weekly run counts files owned by {md_code(view.team)} here.")
        return None
    sections.global_adoption(frame, view.metric, history.notes)
    below = st.container()
    sections.adoption_trend(frame, view.metric, colours, settings.target_share)
    return below


main()
