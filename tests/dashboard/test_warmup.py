"""The warm-up thread of `depreport dashboard` fills exactly the caches the page reads."""

from __future__ import annotations

from typing import Any

import pytest

from dashboard import cached
from dashboard.settings import Settings
from dashboard.warmup import warm_up
from tests.dashboard.conftest import REPOS, HistoryStore


def test_warm_up_fills_the_caches_the_page_reads(
    dashboard_env: pytest.MonkeyPatch, history_store: HistoryStore
) -> None:
    reads: list[str] = []
    for name in ("read_history", "read_usage"):
        real = getattr(cached, name)
        dashboard_env.setattr(
            cached, name, lambda *args, real=real, name=name: reads.append(name) or real(*args)
        )
    store = str(history_store.path)
    warm_up(Settings(store=store), ready=lambda: True)
    assert reads == ["read_history", "read_usage"]
    history: Any = cached.history(store, None, None, "")  # the page's own calls (dashboard.sections)
    cached.usage(store, None, tuple(history.repos))
    assert reads == ["read_history", "read_usage"] and history.repos == list(REPOS)


def test_warm_up_gives_up_without_a_runtime_and_never_raises(dashboard_env: pytest.MonkeyPatch) -> None:
    warm_up(Settings(store="ftp://nowhere"), wait=0.0, ready=lambda: False)
    warm_up(Settings(store="ftp://nowhere"), ready=lambda: True)  # a bad store: the page will explain
