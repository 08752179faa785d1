"""Store reads cached across page views and visitors (``st.cache_data`` with a time to live).

Keyed by the store URI and endpoint only: the values are pickled copies, so a caller may change them.
Once the time to live has passed, visitors still get the cached value while it is read again in the
background (``refresh_mode="background"``): only the very first visit waits for the store.
"""

from __future__ import annotations

import json
from typing import Literal

import streamlit as st

from dashboard.settings import Settings
from dashboard.source import History, Usage, read_history, read_usage
from depreport.history.adoption import Groups
from depreport.store import open_store

TTL = Settings.from_env().ttl
REFRESH: Literal["foreground", "background"] = "background" if TTL > 0 else "foreground"  # needs a TTL


@st.cache_data(ttl=TTL, refresh_mode=REFRESH, show_spinner="Reading the weekly run summaries…", max_entries=8)
def history(store: str, endpoint_url: str | None, team: str | None = None, groups: str = "") -> History:
    """The weekly adoption history of every repo in the store (of one team's files, with ``team``),
    under ``groups`` (JSON, `Groups.to_json`) when given."""
    today = Groups.from_json(json.loads(groups)) if groups else None
    return read_history(open_store(store, endpoint_url), team, today)


@st.cache_data(ttl=TTL, refresh_mode=REFRESH, show_spinner="Reading the latest reports…", max_entries=32)
def usage(store: str, endpoint_url: str | None, repos: tuple[str, ...]) -> Usage:
    """Component usage from the latest full report of each of ``repos``."""
    return read_usage(open_store(store, endpoint_url), repos)


def clear() -> None:
    """Forget every cached read (the page's Reload button)."""
    history.clear()
    usage.clear()
