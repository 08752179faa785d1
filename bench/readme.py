"""What every benchmark script does to its README: record the machine's load, rewrite its results."""

from __future__ import annotations

import os
from pathlib import Path


def load_average() -> str:
    """The 1, 5 and 15 minute load averages (other jobs on the machine slow every number down)."""
    return " / ".join(f"{value:.1f}" for value in os.getloadavg())


def write_between(readme: Path, begin: str, end: str, text: str) -> None:
    """Put `text` between the `begin` and `end` markers of a README, replacing what was there."""
    whole = readme.read_text(encoding="utf-8")
    head, _, rest = whole.partition(begin)
    _, _, tail = rest.partition(end)
    readme.write_text(f"{head}{begin}\n{text.rstrip(chr(10))}\n{end}{tail}", encoding="utf-8")


def show(text: str, update: bool, readme: Path, begin: str, end: str) -> None:
    """Print a results table, and with `update` (--update-readme) also write it into the README."""
    print(text)
    if update:
        write_between(readme, begin, end, text)
