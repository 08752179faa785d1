"""After `depreport scan --publish --notify URL`: post the target's week-over-week move to a chat webhook."""

from __future__ import annotations

from depreport.cli.output import note
from depreport.history.adoption import Groups
from depreport.store import Store, StoreError, split, stored_summary, weekly_readable


def notify_move(store: Store, repo: str, groups: Groups, url: str) -> None:
    """Post the target's week-over-week move; a failure is a warning, the report stays published."""
    from depreport.history.notify import message, moved, post, redact, target_move

    try:
        found, _skipped = split(weekly_readable(store, repo, stored_summary, 2))
    except StoreError as exc:
        note(f"warning: not notified: cannot read {repo}'s last weeks: {exc.message}")
        return
    move = target_move((summary for _ref, summary in found), groups, repo)
    if move is None:
        note("not notified: no target group (configure one with target = true in [[groups]])")
    elif not moved(move):
        why = "no run the week before" if move.change is None else "no change since last week"
        note(f"not notified: {move.target} is at {move.share:.1f}% of imports, {why}")
    else:
        error = post(url, message(move))
        if error:
            note(f"warning: not notified ({error}); the report is published")
        else:
            note(f"notified {redact(url)}: {move.target} {move.change:+.1f} pts, now {move.share:.1f}%")
