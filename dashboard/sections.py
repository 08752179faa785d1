"""Page sections above the fold: loading (or explaining an empty store), the sidebar, adoption numbers.

Layout only: numbers come from `dashboard.data`, chart options from `dashboard.charts`. Names from reports are
escaped with `dashboard.markup` before they reach Markdown.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Literal

import pandas as pd
import streamlit as st

from dashboard import cached, charts, components, data
from dashboard.markup import md_code, md_table, md_text
from dashboard.settings import Settings
from dashboard.source import History, Usage
from depreport.history.adoption import METRICS
from depreport.store import StoreError

log = logging.getLogger(__name__)
ALL_TEAMS = "All teams"


@dataclass(frozen=True)
class View:
    """What the visitor chose in the sidebar."""

    repo: str | None  # None: every repo (org-wide)
    metric: str
    team: str | None  # None: every team (or reports carry no owners)


def load_history(settings: Settings, team: str | None = None) -> History | None:
    """The store's weekly history (of one team), or None after explaining why there is nothing to show."""
    try:
        history = cached.history(settings.store, settings.endpoint_url, team, settings.groups)
    except StoreError as error:
        _explain_unreadable(settings, error.message, error.hint)
        return None
    except Exception as error:  # the page explains any failure to read; the traceback goes to the log
        log.exception("reading store %s failed", settings.store)
        _explain_unreadable(settings, f"{type(error).__name__}: {error}", "")
        return None
    if team is None:
        _warn_damaged(history.problems)
    if not history.repos:
        _explain_empty(settings)
        return None
    return history


def load_usage(settings: Settings, repos: list[str]) -> Usage:
    """Component usage from each repo's latest report (empty, with a warning, when unreadable)."""
    try:
        usage = cached.usage(settings.store, settings.endpoint_url, tuple(repos))
    except Exception as error:  # history is still worth showing without the treemap
        log.exception("reading the latest reports of %s failed", settings.store)
        usage = Usage(frame=pd.DataFrame(), problems=[f"{type(error).__name__}: {error}"])
    _warn_damaged(usage.problems)
    return usage


def _explain_unreadable(settings: Settings, message: str, hint: str) -> None:
    st.title("depreport: adoption dashboard")
    st.error(f"Cannot read the report store {md_code(settings.store)}: {md_text(message)}")
    if hint:
        st.caption(md_text(hint))
    st.markdown("Check the store URI (and `--endpoint-url` for S3), or fill a store with:")
    st.code(data.setup_commands(settings.store), language="bash")


def _explain_empty(settings: Settings) -> None:
    st.title("depreport: adoption dashboard")
    where = md_code(settings.store)
    missing = "://" not in settings.store and not Path(settings.store).exists()
    st.info(f"The store {where} {'does not exist yet' if missing else 'holds no reports yet'}. Publish some:")
    st.code(data.setup_commands(settings.store), language="bash")


def explain_no_groups(settings: Settings) -> None:
    """What to do when the store's reports carry no adoption groups (no share to show yet)."""
    st.header("Global adoption")
    st.info(
        "The reports in this store carry no adoption groups, so there is no share to show yet. "
        "Name the packages being adopted and those they replace in `depreport.toml`, then publish again:"
    )
    st.code(data.GROUPS_EXAMPLE, language="toml")
    st.code(
        f"depreport scan . --publish {settings.store}                 # this week\n"
        f"depreport backfill . --weeks 26 --publish {settings.store}  # and the weeks before",
        language="bash",
    )


def _warn_damaged(problems: list[str]) -> None:
    if problems:
        with st.expander(f"Stored runs unreadable and left out: {len(problems)}"):
            st.markdown("\n".join(f"- {md_code(problem)}" for problem in problems))


def sidebar(settings: Settings, repos: list[str], teams: list[str]) -> View:
    """Repo, metric and team pickers; a reload button; where the data comes from."""
    bar = st.sidebar
    bar.header("depreport")
    repo: str | None = repos[0]
    if len(repos) > 1:
        chosen = bar.selectbox("Repository", [data.ALL_REPOS, *repos], key="repo")
        repo = None if chosen == data.ALL_REPOS else chosen
    label = charts.METRIC_LABELS.__getitem__
    metric = bar.radio("Metric", METRICS, format_func=label, key="metric") or METRICS[0]
    team = None
    if teams:
        picked = bar.selectbox("Team (CODEOWNERS)", [ALL_TEAMS, *teams], key="team")
        team = None if picked == ALL_TEAMS else picked
    if bar.button("Reload from the store"):
        cached.clear()
        st.rerun()
    bar.caption(f"Store: {md_code(settings.store)}  \nCached for {settings.ttl} s")
    if settings.template_problem:
        bar.warning(f"File links are off: {md_text(settings.template_problem)}")
    if settings.target_problem:
        bar.warning(f"No target line: {md_text(settings.target_problem)}")
    return View(repo=repo, metric=metric, team=team)


def global_adoption(frame: pd.DataFrame, metric: str, notes: list[str] | None = None) -> None:
    """The target group's share now (big number, counts, change since last week) and every group's share;
    ``notes`` say how the runs are counted (`History.notes`: groups that differ between runs)."""
    st.header("Global adoption")
    for note in notes or ():
        st.warning(md_text(note))
    head = data.headline(frame, metric)
    if head.week is None:
        st.info("The reports carry no adoption groups: add `[[groups]]` to depreport.toml and publish again.")
        return
    numbers, others = st.columns([2, 3])
    what = charts.METRIC_LABELS[metric]
    if head.target is None or head.share is None:
        numbers.warning("No group is marked `target = true`, so there is no adoption share to show.")
    else:
        tone, arrow = _delta_style(head.change)
        numbers.metric(
            f"{md_text(head.target)}: share of {what}", f"{head.share:.1f}%", border=True,
            delta_color=tone, delta_arrow=arrow,
            delta=None if head.change is None else f"{head.change:+.1f} pts since last week",
        )  # fmt: skip
        numbers.caption(f"{count_of(head.count or 0, head.total, what)}  \nWeek of {head.week:%Y-%m-%d}")
    with others:
        group_metrics(head.groups[~head.groups["target"]], head.total, what)
    if frame["repo"].nunique() > 1:
        per_repo(frame, metric)


def indirect_dependence(
    dependence: pd.DataFrame, repo: str | None, team: str | None = None, stale: list[str] | None = None
) -> None:
    """Files that depend on a group being replaced only through local wrapper modules (from the latest
    reports, when their runs stored the local import graph): they import no component of it themselves.
    ``stale``: repos left out of the org-wide view (`data.stale_left_out`)."""
    found = components.indirect_summary(dependence, repo, stale or ())
    if not found:
        return
    lines = []
    for group, *counts in found:
        lead, stress = components.indirect_words(*counts)
        lines.append(f"- {md_text(group)}: {md_text(lead)} **{md_text(stress)}**")
    scope = " (every team: the reports count this per repo)" if team is not None else ""
    st.markdown("**Indirect via wrappers** (latest reports" + md_text(scope) + ")  \n" + "\n".join(lines))


def count_of(count: int, total: int, what: str) -> str:
    """A count beside its share: "1,088 of 1,432 imports"."""
    return f"{count:,} of {total:,} {what}"


Tone = Literal["normal", "inverse", "off"]


def _delta_style(change: float | None, good: Tone = "normal") -> tuple[Tone, Literal["auto", "off"]]:
    """The delta's colour and arrow: no change is neither good nor bad news (grey, no arrow)."""
    return ("off", "off") if change is not None and change == 0 else (good, "auto")


def group_metrics(groups: pd.DataFrame, total: int, what: str, per_row: int = 3) -> None:
    """Every other group's share now, its count and its change (shrinking is good news for them)."""
    rows = groups.to_dict("records")
    for start in range(0, len(rows), per_row):
        for place, row in zip(st.columns(per_row), rows[start : start + per_row], strict=False):
            change = None if pd.isna(row["change"]) else float(row["change"])
            tone, arrow = _delta_style(change, "inverse")
            place.metric(
                md_text(row["group"]), f"{float(row['share']):.1f}%", delta_color=tone, delta_arrow=arrow,
                delta=None if change is None else f"{change:+.1f} pts",
            )  # fmt: skip
            place.caption(count_of(int(row["count"]), total, what))


def per_repo(frame: pd.DataFrame, metric: str) -> None:
    """Each repo's latest share per group, target first (a Markdown table: light, and names stay text)."""
    with st.expander("Per repo (each repo's latest run)"):
        shares = data.repo_shares(frame, metric)
        groups = [column for column in shares.columns if column != "repo"]
        rows = [
            [row["repo"], *(f"{100 * float(row[g]):.1f}%" for g in groups)]
            for row in shares.to_dict("records")
        ]
        st.markdown(md_table(["repo", *groups], rows, right=groups))


def adoption_trend(
    frame: pd.DataFrame, metric: str, colours: dict[str, str], target_share: float | None = None
) -> None:
    """Each group's share (or count) week by week, over a chosen range of weeks; the target as a line."""
    bounds = data.week_range(frame)
    if bounds is None:
        return
    st.header("Adoption week over week")
    left, right = st.columns([3, 1])
    shown = right.radio("Show", ["share", "count"], horizontal=True, key="trend_mode") or "share"
    between = _week_slider(left, bounds)
    trend = data.trend(frame, metric, as_share=shown == "share", between=between)
    option = charts.adoption_trend(trend, metric, shown == "share", colours, target_share)
    st.echarts_chart(
        option, key="trend", renderer="svg", height=charts.TREND_HEIGHT,
        alt=f"Stacked areas: each adoption group's {shown} of {charts.METRIC_LABELS[metric]}, week by week",
    )  # fmt: skip
    for note in data.history_notes(frame):
        st.caption(md_text(note))


def _week_slider(place: st.delta_generator.DeltaGenerator, bounds: tuple[date, date]) -> tuple[date, date]:
    """A range of weeks (their Mondays), or the single week there is."""
    first, last = bounds
    if first >= last:
        place.caption(f"One week of history so far: {first:%Y-%m-%d}")
        return bounds
    chosen = place.slider(
        "Weeks", min_value=first, max_value=last, value=(first, last), step=timedelta(weeks=1),
        format="YYYY-MM-DD", key=f"weeks-{first}-{last}",  # a new range (other repo) starts afresh
    )  # fmt: skip
    return (chosen[0], chosen[1])
