"""Counts in words, for every message and title."""

from __future__ import annotations


def plural(count: int, noun: str, nouns: str = "") -> str:
    """A count and its noun: "1 repo", "2 repos", "1,024 files" (`nouns` for irregular plurals)."""
    return f"{count:,} {noun if count == 1 else nouns or noun + 's'}"
