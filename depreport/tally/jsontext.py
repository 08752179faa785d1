"""JSON text kept per entry of a large object, so that re-encoding a report costs what changed.

A report body holds tens of thousands of small values; `dumps` uses one encoder made once (dumps with
options builds an encoder per call), and `join_sorted` encodes an object from the kept `"key":value`
text of each entry, encoding only the entries whose text was dropped. What it returns remembers those
entry texts (`Joined.entries`), so a check of a later version of the object can tell which entries
changed (`depreport.history.publish.ReportCheck`).
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


class Joined(str):
    """The JSON text of an object, with the `"key":value` text of each of its entries (`entries`)."""

    entries: dict[str, str]


def join_sorted(keys: Iterable[str], texts: dict[str, str], encode: Callable[[str], str]) -> Joined:
    """`dumps(values)` for a dict with these keys, reusing the kept `"key":value` text of each entry."""
    entries = {}
    for key in sorted(keys):
        text = texts.get(key)
        entries[key] = text if text is not None else kept(texts, key, encode)
    joined = Joined("{" + ",".join(entries.values()) + "}")
    joined.entries = entries
    return joined


def kept(texts: dict[str, str], key: str, encode: Callable[[str], str]) -> str:
    """The `"key":value` text of an entry, made and kept when it is missing."""
    text = texts.get(key)
    if text is None:
        text = texts[key] = dumps(key) + ":" + encode(key)
    return text
