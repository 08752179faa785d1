"""`scan --publish --notify URL`: a week-over-week message to a chat webhook, tried against a real local server."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from depreport.cli import main
from depreport.errors import UsageError
from depreport.history import notify
from depreport.history.notify import Move, check_webhook, message, moved, redact
from depreport.store import LocalStore
from tests.helpers import git, write_files

CONFIG = """
[[groups]]
name = "Evergreen v4"
packages = ["evergreen-ui"]
target = true
[[groups]]
name = "Evergreen v3"
packages = ["evergreen-ui-v3"]
"""
SECRET = "/services/T000/B000/s3cr3t"


@dataclass
class Hook:
    """A webhook on 127.0.0.1: what it received, and how it answers."""

    url: str = ""
    received: list[dict[str, Any]] = field(default_factory=list)
    status: int = 200
    delay: float = 0.0


@pytest.fixture
def hook() -> Iterator[Hook]:
    state = Hook()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.received.append(
                {"path": self.path, "type": self.headers["Content-Type"], "body": json.loads(body)}
            )
            time.sleep(state.delay)
            try:
                self.send_response(state.status)
                self.end_headers()
                self.wfile.write(b"ok")
            except BrokenPipeError:  # the client gave up waiting (the slow-server case)
                pass

        def log_message(self, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}{SECRET}"
    yield state
    server.shutdown()
    server.server_close()


def _epoch(day: str) -> str:
    return str(int(datetime.fromisoformat(day).replace(tzinfo=UTC).timestamp()))


def _publish(
    repo: Path, store: Path, day: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    *extra: str,
) -> tuple[int, str]:  # fmt: skip
    """`scan --publish` of the repo as if run on `day`; the exit code and stderr."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", _epoch(day))
    args = ["scan", str(repo), "--publish", str(store), "--repo", "acme/web", "--no-cache",
            "--progress", "never"]  # fmt: skip
    code = main([*args, *extra])
    return code, capsys.readouterr().err


def _commit(repo: Path, files: dict[str, str | bytes]) -> None:
    write_files(repo, files)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "change")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """One of two imports is the target's: 50.0% of imports."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    _commit(root, {"depreport.toml": CONFIG, "a.tsx": "import {A} from 'evergreen-ui';",
                   "b.tsx": "import {B} from 'evergreen-ui-v3';"})  # fmt: skip
    return root


def test_a_move_since_last_week_is_posted(
    repo: Path,
    tmp_path: Path,
    hook: Hook,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    store = tmp_path / "store"
    assert _publish(repo, store, "2026-03-02T09:00:00", monkeypatch, capsys)[0] == 0  # last week: 50.0%
    _commit(repo, {"c.tsx": "import {C} from 'evergreen-ui';"})
    code, err = _publish(repo, store, "2026-03-10T09:00:00", monkeypatch, capsys, "--notify", hook.url)
    assert code == 0
    assert len(hook.received) == 1 and hook.received[0]["path"] == SECRET
    assert hook.received[0]["type"] == "application/json"
    text = hook.received[0]["body"]["text"]
    assert text == (
        "▲ *acme/web*: Evergreen v4 is at 66.7% of imports (+16.7 pts since last week, 2026-W11)\n"
        "1 import of other groups left"
    )
    assert "notified http://127.0.0.1:" in err and "+16.7 pts, now 66.7%" in err
    assert SECRET not in err  # a webhook's path is its secret


def test_no_move_and_no_week_before_post_nothing(
    repo: Path,
    tmp_path: Path,
    hook: Hook,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    store = tmp_path / "store"
    code, err = _publish(repo, store, "2026-03-02T09:00:00", monkeypatch, capsys, "--notify", hook.url)
    assert code == 0 and "not notified: Evergreen v4 is at 50.0% of imports, no run the week before" in err
    code, err = _publish(repo, store, "2026-03-10T09:00:00", monkeypatch, capsys, "--notify", hook.url)
    assert code == 0 and "not notified: Evergreen v4 is at 50.0% of imports, no change since last week" in err
    assert hook.received == []
    assert len(LocalStore(str(store)).list_runs("acme/web")) == 2


@pytest.mark.parametrize(
    ("status", "delay", "expected"),
    [
        pytest.param(500, 0.0, "answered HTTP 500", id="server-error"),
        pytest.param(404, 0.0, "answered HTTP 404", id="gone"),
        pytest.param(200, 3.0, "timed out", id="too-slow"),
    ],
)
def test_a_failed_notification_is_a_warning_and_the_run_is_published(
    repo: Path, tmp_path: Path, hook: Hook, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    status: int, delay: float, expected: str,
) -> None:  # fmt: skip
    store = tmp_path / "store"
    _publish(repo, store, "2026-03-02T09:00:00", monkeypatch, capsys)
    _commit(repo, {"c.tsx": "import {C} from 'evergreen-ui';"})
    hook.status, hook.delay = status, delay
    monkeypatch.setattr(notify, "TIMEOUT", 0.5)
    started = time.monotonic()
    code, err = _publish(repo, store, "2026-03-10T09:00:00", monkeypatch, capsys, "--notify", hook.url)
    assert code == 0 and time.monotonic() - started < delay + 2.5
    assert "warning: not notified" in err and expected in err and "the report is published" in err
    assert len(LocalStore(str(store)).list_runs("acme/web")) == 2


def test_an_unreachable_webhook_is_a_warning(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "store"
    _publish(repo, store, "2026-03-02T09:00:00", monkeypatch, capsys)
    _commit(repo, {"c.tsx": "import {C} from 'evergreen-ui';"})
    closed = "http://127.0.0.1:9/hook"  # discard port: nothing listens
    code, err = _publish(repo, store, "2026-03-10T09:00:00", monkeypatch, capsys, "--notify", closed)
    assert code == 0 and "warning: not notified (cannot reach http://127.0.0.1:9/…" in err


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        pytest.param(["--notify", "ftp://example.com/x"], "--notify: not an http(s) URL", id="ftp"),
        pytest.param(["--notify", "file:///etc/passwd"], "--notify: not an http(s) URL", id="file"),
        pytest.param(["--notify", "hooks.slack.com/x"], "--notify: not an http(s) URL", id="no-scheme"),
    ],
)
def test_only_http_urls_and_checked_before_the_scan(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    flags: list[str], expected: str,
) -> None:  # fmt: skip
    code, err = _publish(repo, tmp_path / "store", "2026-03-02T09:00:00", monkeypatch, capsys, *flags)
    assert code == 2 and expected in err
    assert not (tmp_path / "store").exists() or not LocalStore(str(tmp_path / "store")).list_runs("acme/web")


def test_notify_needs_publish(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", str(repo), "--no-cache", "--notify", "https://hooks.example.com/x"]) == 2
    assert "--notify needs --publish STORE" in capsys.readouterr().err


MOVE = Move("acme/web", "Evergreen v4", date(2026, 3, 9), 41.2, 1.3, 1063)


@pytest.mark.parametrize(
    ("move", "expected"),
    [
        pytest.param(MOVE, "▲ *acme/web*: Evergreen v4 is at 41.2% of imports (+1.3 pts since last week, "
                     "2026-W11)\n1,063 imports of other groups left", id="up"),
        pytest.param(Move("a/b", "<new> & co", date(2026, 1, 5), 9.5, -0.4, 0),
                     "▼ *a/b*: &lt;new&gt; &amp; co is at 9.5% of imports (-0.4 pts since last week, "
                     "2026-W02)\n0 imports of other groups left", id="down-escaped"),
        pytest.param(Move("a/b", "new", date(2026, 1, 5), 9.5, None, 3),
                     "• *a/b*: new is at 9.5% of imports (no run the week before, 2026-W02)\n"
                     "3 imports of other groups left", id="no-week-before"),
    ],
)  # fmt: skip
def test_message(move: Move, expected: str) -> None:
    assert message(move) == expected


@pytest.mark.parametrize(
    ("change", "expected"),
    [pytest.param(1.3, True, id="up"), pytest.param(-0.1, True, id="down"),
     pytest.param(0.0, False, id="flat"), pytest.param(None, False, id="no-week-before")],
)  # fmt: skip
def test_moved(change: float | None, expected: bool) -> None:
    assert moved(Move("a/b", "new", date(2026, 1, 5), 9.5, change, 0)) is expected


def test_webhook_urls() -> None:
    assert check_webhook("https://hooks.slack.com/services/T/B/x") == "https://hooks.slack.com/services/T/B/x"
    with pytest.raises(UsageError, match="--notify"):
        check_webhook("javascript:alert(1)")
    assert redact("https://hooks.slack.com/services/T/B/x?token=1") == "https://hooks.slack.com/…"
    assert (
        redact("https://bot:s3cr3t@chat.example.com/hooks/x") == "https://chat.example.com/…"
    )  # no user:password
