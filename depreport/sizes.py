"""Sizes as people write them (`2MB`, `512KiB`, `1000000`): --max-file-size and `max_file_size`."""

from __future__ import annotations

import re
from decimal import Decimal

MAX_SIZE = 2**63 - 1  # the largest size a file system reports (a signed 64-bit offset)
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]?i?b?)?\s*$", re.I)
_UNITS = {"": 1, "b": 1, "k": 1000, "kb": 1000, "kib": 1024, "m": 1000**2, "mb": 1024**2, "mib": 1024**2,
          "g": 1000**3, "gb": 1024**3, "gib": 1024**3}  # fmt: skip


def parse_size(value: object) -> int | None:
    """`2MB`, `512KiB`, `1000000` -> bytes; None when it is not a size from 1 byte to MAX_SIZE."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 1 <= value <= MAX_SIZE else None
    match = _SIZE.match(value) if isinstance(value, str) else None
    unit = (match.group(2) or "").lower() if match else ""
    if match is None or unit not in _UNITS:
        return None
    size = Decimal(match.group(1)) * _UNITS[unit]  # a Decimal: no overflow, however many digits
    return int(size) if 1 <= size <= MAX_SIZE else None  # a fraction of a byte is dropped
