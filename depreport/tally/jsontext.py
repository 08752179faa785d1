"""JSON text kept per entry of a large object, so that re-encoding a report costs what changed.

A report body holds tens of thousands of small values; `dumps` uses one encoder made once (dumps with
options builds an encoder per call), and `join_sorted` encodes an object from the kept `"key":value`
text of each entry, encoding only the entries whose text was dropped.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def dumps(value: object) -> str:
    """Compact JSON text with sorted keys."""
    return _ENCODER.encode(value)


def loads_fragment(text: str, key: str) -> Any:
    """The value of a kept `"key":value` text."""
    return json.loads(text[len(dumps(key)) + 1 :])


def join_sorted(keys: Iterable[str], texts: dict[str, str], encode: Callable[[str], str]) -> str:
    """`dumps(values)` for a dict with these keys, reusing the kept `"key":value` text of each entry."""
    parts = []
    for key in sorted(keys):
        text = texts.get(key)
        parts.append(text if text is not None else kept(texts, key, encode))
    return "{" + ",".join(parts) + "}"


def kept(texts: dict[str, str], key: str, encode: Callable[[str], str]) -> str:
    """The `"key":value` text of an entry, made and kept when it is missing."""
    text = texts.get(key)
    if text is None:
        text = texts[key] = dumps(key) + ":" + encode(key)
    return text
