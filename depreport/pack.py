"""A pack: what one scan of a repo leaves for the next, wherever that runs.

A CI job starts on a fresh checkout, so a local cache never survives. `scan --publish` stores a pack
beside the report, and the next job of the repo fetches it first. It holds:

* every file's language and content id (git blob id);
* the extraction of every content, keyed by content id and language (content-addressed: it holds for
  any path and any later commit, so moved or reverted files are not parsed again);
* the index the scan built (`LiveIndex.save`), valid for a later scan whose settings and resolution
  inputs have the same digest (`inputs`): that scan restores it and updates only the changed files;
* per file, the module ids its resolution looked for among the repo's files (tsconfig aliases, Python
  modules), so that adding or removing a file re-resolves only the files that looked for it.

The bytes are marshal (plain values only: strings, numbers, tuples, dicts) compressed with zstandard.
A pack is read only from the store the reports go to, and is trusted like it; anything that does not
decode (zstd checks a checksum), or comes from another version of the format or the extractor, is
ignored and the scan runs cold. Change PACK_FORMAT whenever what `LiveIndex.save` returns changes.
"""

from __future__ import annotations

import marshal
from dataclasses import dataclass
from typing import Any

import zstandard

from depreport import __version__
from depreport.extract import EXTRACTOR_VERSION
from depreport.index import LiveIndex

PACK_FORMAT = "depreport-pack/2"
_LEVEL = 1  # faster than higher levels, and hardly larger (8.8 MB against 8.4 MB at level 3)


@dataclass(frozen=True)
class Pack:
    """A scan's files, their extractions and its index, for the next scan of the same repo."""

    inputs: str  # digest of what index entries depend on besides contents and the file set
    sources: dict[str, tuple[str, str]]  # path -> (language, blob id); "" when the content is unknown
    extractions: dict[str, bytes]  # cache key (blob:language) -> encoded extraction
    index: tuple[Any, ...] | None  # LiveIndex.save(), None when the index was not kept
    looked_up: dict[str, tuple[str, ...]]  # path -> module ids its resolution looked for (if any)


def encode_pack(pack: Pack) -> bytes:
    """The pack as compressed bytes."""
    head = (PACK_FORMAT, __version__, EXTRACTOR_VERSION)
    payload = marshal.dumps((head, pack.inputs, pack.sources, pack.extractions, pack.index, pack.looked_up))
    return zstandard.ZstdCompressor(level=_LEVEL, write_checksum=True).compress(payload)


def decode_pack(data: bytes) -> Pack | None:
    """The pack in `data`, or None when it is unreadable or from another format or extractor."""
    try:
        head, inputs, sources, extractions, index, looked_up = marshal.loads(zstandard.decompress(data))
        fmt, version, extractor = head
    except (zstandard.ZstdError, EOFError, ValueError, TypeError):
        return None
    if fmt != PACK_FORMAT or extractor != EXTRACTOR_VERSION:
        return None
    if not (isinstance(sources, dict) and isinstance(extractions, dict) and isinstance(inputs, str)):
        return None
    if version != __version__ or not isinstance(looked_up, dict) or not LiveIndex.holds(index, sources):
        index = None  # another version may index differently; its extractions still hold
    return Pack(inputs, sources, extractions, index, looked_up if index is not None else {})
