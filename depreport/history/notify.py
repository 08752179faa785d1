"""After a publish, tell people: a short week-over-week message posted to a chat webhook.

The message is Slack-compatible JSON (`{"text": ...}`; Mattermost, Rocket.Chat, Teams workflows and
Discord's `/slack` endpoints take the same). It is sent only when the target group's share moved since
the previous ISO week. The numbers come from one call into history (`target_move`); building the text
is a pure function; posting is the only I/O, and its failure is a value for the caller to report.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from depreport.errors import UsageError
from depreport.history.adoption import Groups
from depreport.report.shape import RunHead

TIMEOUT = 5.0  # seconds: a slow chat server must not hold up a CI job


@dataclass(frozen=True)
class Move:
    """The target group's share of imports in the newest ISO week, and its change since the week before."""

    repo: str
    target: str
    week: date
    share: float  # percent, one decimal
    change: float | None  # points; None when the previous ISO week has no run
    left: int  # imports of the other groups still in the code


def check_webhook(url: str) -> str:
    """The URL itself when it is http(s) with a host; a UsageError naming --notify otherwise."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(
            f"--notify: not an http(s) URL: {redact(url)!r}",
            "give the webhook URL, e.g. https://hooks.slack.com/...",
        )
    return url


def redact(url: str) -> str:
    """The URL without its path and query (a webhook's path is its secret), nor a user:password in it."""
    parts = urllib.parse.urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return f"{parts.scheme}://{host}/…" if host else url[:12]


def target_move(summaries: Iterable[RunHead], groups: Groups, repo: str) -> Move | None:
    """The target's move in the newest week of a repo's summaries, under today's groups (None: no target).

    The one place that asks depreport.history.frames for numbers.
    """
    from depreport.history.frames import adoption_frame, regroup, target_group, week_over_week

    kept, _notes = regroup(summaries, groups)
    frame = adoption_frame(s for s in kept if s.get("repo") == repo)
    target = target_group(frame) if not frame.empty else None
    if target is None:
        return None
    changes = week_over_week(frame, "imports")
    newest = changes[(changes["week"] == changes["week"].max()) & (changes["group"] == target)].iloc[0]
    latest = frame[frame["time"] == frame["time"].max()]
    left = int(latest[~latest["target"]]["imports"].sum())
    change = None if newest["change"] != newest["change"] else float(newest["change"])  # NaN: no week before
    return Move(repo, target, newest["week"].date(), float(newest["share"]), change, left)


def moved(move: Move) -> bool:
    """True when the share changed since the previous ISO week (by at least 0.1 point)."""
    return move.change is not None and move.change != 0.0


def message(move: Move) -> str:
    """The chat message: one line with the share and its change, one with what is left."""
    week = move.week.isocalendar()
    if move.change is None:
        since = f"no run the week before, {week.year}-W{week.week:02d}"
    else:
        since = f"{move.change:+.1f} pts since last week, {week.year}-W{week.week:02d}"
    arrow = "▲" if (move.change or 0.0) > 0 else "▼" if (move.change or 0.0) < 0 else "•"
    who = f"*{_escape(move.repo)}*: {_escape(move.target)}"
    return (
        f"{arrow} {who} is at {move.share:.1f}% of imports ({since})\n"
        f"{move.left:,} {'import' if move.left == 1 else 'imports'} of other groups left"
    )


def _escape(name: str) -> str:
    """A name as Slack text: its control characters &, < and > escaped (they would start a link)."""
    return name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def post(url: str, text: str, timeout: float | None = None) -> str | None:
    """POST `{"text": text}` as JSON; None when the server took it, else why not (never raises).

    `timeout` defaults to TIMEOUT seconds, for connecting and for each read.
    """
    body = json.dumps({"text": text}).encode("utf-8")
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": "application/json", "User-Agent": "depreport"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout or TIMEOUT) as response:  # http(s) only: checked
            response.read(65536)
    except urllib.error.HTTPError as error:
        return f"{redact(url)} answered HTTP {error.code} {error.reason}"
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return f"cannot reach {redact(url)}: {reason}"
    return None
