"""How a long task reports its progress: hooks the command line draws a bar from; the core never prints."""

from __future__ import annotations


class Progress:
    """Hooks for a progress display; the core never prints."""

    def start(self, total: int) -> None:
        """`total` files are about to be processed."""

    def advance(self, count: int) -> None:
        """`count` more files are done."""
