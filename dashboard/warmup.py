"""Reading the store as soon as `depreport dashboard` has started, so the first visitor does not wait."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from dashboard.settings import Settings

log = logging.getLogger(__name__)
# Streamlit warns when its caches are used outside a page run, which is the point here.
_QUIET = (
    "streamlit.runtime.scriptrunner_utils.script_run_context",
    "streamlit.runtime.caching.cache_data_api",
)


def warm_up(settings: Settings, wait: float = 60.0, ready: Callable[[], bool] | None = None) -> None:
    """Once Streamlit's runtime exists: import the page's modules and fill the caches it reads.

    Meant for a background thread of the server's process. The calls match the page's exactly (same
    arguments), so the page finds the values cached; a failure is left for the page to explain.
    ``ready`` says whether the runtime exists (Streamlit's own check by default).
    """
    from streamlit import runtime

    ready = ready or runtime.exists
    deadline = time.monotonic() + wait
    while not ready():
        if time.monotonic() > deadline:
            return
        time.sleep(0.05)
    levels = {name: logging.getLogger(name).level for name in _QUIET}
    for name in _QUIET:
        logging.getLogger(name).setLevel(logging.ERROR)
    try:
        from dashboard import cached, panels, sections  # noqa: F401  (pandas and the page's modules load here)

        found = cached.history(settings.store, settings.endpoint_url, None, settings.groups)
        cached.usage(settings.store, settings.endpoint_url, tuple(found.repos))
    except Exception:  # the page reads the store again and says what is wrong
        log.debug("warming the dashboard's caches failed", exc_info=True)
    finally:
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)
