"""Reading a little of a run cheaply: a summary's leading keys, and how many fetches to run at once.

Summaries are stored as compact JSON with sorted keys (`layout.encode_json`), so the header and adoption
block come before `packages` and `usage` (nearly all of a summary's bytes). `summary_head` reads only the
first bytes of a summary (an S3 GET with a Range) and decodes only that head; when the head is longer,
the caller reads the whole summary with `get_summary`. The knowledge of which backend can do what
stays here, behind the store package's interface.
"""

from __future__ import annotations

import codecs
import json
from typing import Any

from depreport.store.base import RunRef, Store, StoreError
from depreport.store.keyed import KeyedStore
from depreport.store.local import LocalStore

_DECODER = json.JSONDecoder()
HEAD_BYTES = 1 << 18  # of a summary, read for its head (a summary of 42k files: 8.6 MB, its head ~10 KB)


def summary_head(store: Store, ref: RunRef, wanted: frozenset[str]) -> dict[str, Any] | None:
    """The ``wanted`` keys of a run's summary read from its first `HEAD_BYTES` alone, or None when they
    are not all there (read the whole summary then), or the store cannot say (not a store of objects,
    an unreadable object, text not laid out as the store writes it)."""
    if not isinstance(store, KeyedStore):
        return None
    try:
        data = store.read_head(ref.summary_key, HEAD_BYTES)  # a regular file only: a FIFO would block
        if data is None:
            return None
        text = codecs.getincrementaldecoder("utf-8")().decode(data, final=len(data) < HEAD_BYTES)
        return leading_keys(text, wanted)
    except (StoreError, UnicodeDecodeError):
        return None


def parallel_fetches(store: Store, most: int) -> int:
    """How many fetches to run at once: one for a local folder (threads only fight over the GIL), else
    ``most`` (object stores wait on the network)."""
    return 1 if isinstance(store, LocalStore) else most


def leading_keys(text: str, wanted: frozenset[str]) -> dict[str, Any] | None:
    """The ``wanted`` keys of a compact JSON object with sorted keys, read only up to the last of them.

    None when the text is not laid out that way (whitespace, unsorted keys, damage): parse it whole then.
    """
    if not text.startswith("{"):
        return None
    last, position, previous = max(wanted), 1, ""
    found: dict[str, Any] = {}
    try:
        while True:
            key, position = _DECODER.raw_decode(text, position)
            if not isinstance(key, str) or key < previous or text[position] != ":":
                return None
            if key > last:
                return found  # keys are sorted: nothing wanted comes later
            value, position = _DECODER.raw_decode(text, position + 1)
            if key in wanted:
                found[key] = value
            previous, separator, position = key, text[position], position + 1
            if separator == "}":
                return found
            if separator != ",":
                return None
    except (ValueError, RecursionError, IndexError):  # damage, an integer of over 4300 digits, deep nesting
        return None
