"""A pack: what one scan of a repo leaves for the next, wherever that runs.

A CI job starts on a fresh checkout, so a local cache never survives. `scan --publish` stores a pack
beside the report, and the next job of the repo fetches it first. It holds:

* every file's language and content id (git blob id);
* the extraction of every content, keyed by content id and language (content-addressed: it holds for
  any path and any later commit, so moved or reverted files are not parsed again);
* the index the scan built (`LiveIndex.save`, a `SavedIndex`), valid for a later scan whose settings
  and resolution inputs have the same digest (`inputs`): that scan restores it and updates only the
  changed files. Its usage counts come with the tables the report showed (`ShownCounts.save`), which
  the next scan patches instead of making again (1.1 s of a job from the pack of 42k files);
* per file, the module ids its resolution looked for among the repo's files (tsconfig aliases, Python
  modules) and the dependencies it asked whether a package.json declares, and the declared ones, so
  that adding or removing a file, or declaring a dependency, re-resolves only the files that looked for it.

The bytes are marshal (plain values only: strings, numbers, tuples, dicts) compressed with zstandard,
one frame per section (the files, the extractions, each part of the index, what resolution looked up)
after a head frame naming the format, the versions and each section's size: a section is marshalled,
compressed and let go before the next, and read back the same way, so neither end holds the whole
pack decompressed (81 MB for 42k files) beside everything else. A pack is read only from the store the
reports go to, and is trusted like it; anything that does not decode (zstd checks a checksum), or comes
from another version of the format or the extractor, is ignored and the scan runs cold. Change
PACK_FORMAT whenever what `LiveIndex.save` returns changes.

The saved index is stored as plain tuples (marshal takes no named tuples) and turned back into a
`SavedIndex` here only after its shape is checked, so a pack that decodes is one the scan can use:
the scan does not catch errors of a pack that does not hold together, which would hide a bug.
"""

from __future__ import annotations

import marshal
import struct
from dataclasses import dataclass
from typing import Any

import zstandard

from depreport import __version__
from depreport.extract import EXTRACTOR_VERSION
from depreport.tally.imports import SavedImports
from depreport.tally.index import LiveIndex, SavedIndex

PACK_FORMAT = "depreport-pack/6"
_SIZE = struct.Struct("<I")  # the head frame's size, first
_LEVEL = 1  # faster than higher levels, and hardly larger (8.8 MB against 8.4 MB at level 3)


@dataclass(frozen=True)
class Pack:
    """A scan's files, their extractions and its index, for the next scan of the same repo."""

    inputs: str  # digest of what index entries depend on besides contents and the file set
    sources: dict[str, tuple[str, str]]  # path -> (language, blob id); "" when the content is unknown
    extractions: dict[str, bytes]  # cache key (blob:language) -> encoded extraction
    index: SavedIndex | None  # LiveIndex.save(), None when the index was not kept
    looked_up: dict[str, tuple[str, ...]]  # path -> module ids its resolution looked for (if any)
    declared: frozenset[str] = frozenset()  # the dependencies the repo's package.json files named


def encode_pack(pack: Pack) -> bytes:
    """The pack as compressed bytes: a head frame, then a frame per section."""
    compressor = zstandard.ZstdCompressor(level=_LEVEL, write_checksum=True)
    index = plain_index(pack.index) if pack.index is not None else (None,)
    sections = (pack.sources, pack.extractions, *index, pack.looked_up, pack.declared)
    frames = [compressor.compress(marshal.dumps(section)) for section in sections]
    head = compressor.compress(
        marshal.dumps((PACK_FORMAT, __version__, EXTRACTOR_VERSION, pack.inputs, [len(f) for f in frames]))
    )
    return b"".join([_SIZE.pack(len(head)), head, *frames])


def decode_pack(data: bytes) -> Pack | None:
    """The pack in `data`, or None when it is unreadable or from another format or extractor."""
    try:
        (size,) = _SIZE.unpack_from(data)
        fmt, version, extractor, inputs, sizes = _section(data, _SIZE.size, size)
        if fmt != PACK_FORMAT or extractor != EXTRACTOR_VERSION:
            return None
        sections, start = [], _SIZE.size + size
        for length in sizes:
            sections.append(_section(data, start, length))
            start += length
        if start != len(data) or len(sections) < 5:
            return None
        sources, extractions, *parts, looked_up, declared = sections
    except (zstandard.ZstdError, EOFError, ValueError, TypeError, struct.error):
        return None
    if not (isinstance(sources, dict) and isinstance(extractions, dict) and isinstance(inputs, str)):
        return None
    if not isinstance(declared, frozenset):
        return None
    index = tuple(parts) if len(parts) > 1 else parts[0]  # `(None,)`: no index kept
    saved = saved_index(index) if version == __version__ and isinstance(looked_up, dict) else None
    if saved is not None and not LiveIndex.holds(saved, sources):
        saved = None  # another version may index differently; its extractions still hold
    return Pack(inputs, sources, extractions, saved, looked_up if saved is not None else {}, declared)


def _section(data: bytes, start: int, size: int) -> Any:
    """The value marshalled in one frame of a pack."""
    return marshal.loads(zstandard.decompress(memoryview(data)[start : start + size]))


def plain_index(saved: SavedIndex) -> tuple[Any, ...]:
    """A saved index as plain tuples, as marshal stores it (`saved_index` reads it back)."""
    return (tuple(saved.imports), *saved[1:])


def saved_index(state: Any) -> SavedIndex | None:
    """The saved index of a pack, or None when it does not have the shape `LiveIndex.save` gives."""
    if not (isinstance(state, tuple) and len(state) == len(SavedIndex._fields)):
        return None
    imports, facts, usage, files, components = state
    if not (isinstance(imports, tuple) and len(imports) == len(SavedImports._fields)):
        return None
    texts, frozen, exports, export_texts = imports
    plain = (
        _dict_of(texts, str)
        and isinstance(frozen, dict)
        and texts.keys() == frozen.keys()  # every package kept as text has its counters, and back
        and _dict_of(export_texts, str)
        and _dict_of(components, str)
        and _dict_of(exports, dict)
        and _dict_of(facts, tuple)
        and all(isinstance(f, tuple) and len(f) == 5 and isinstance(f[4], bytes) for f in _values(frozen))
        and isinstance(usage, tuple)
        and len(usage) == 7
        and all(isinstance(part, list) for part in (*usage[:2], usage[6]))
        and (usage[5] is None or _shaped(usage[5], (dict, dict, list, list, dict, dict)))
        and isinstance(files, int)
    )
    return SavedIndex(SavedImports(*imports), facts, usage, files, components) if plain else None


def _shaped(value: Any, kinds: tuple[type, ...]) -> bool:
    """Is the value a tuple of values of these types, in this order?"""
    return isinstance(value, tuple) and len(value) == len(kinds) and all(map(isinstance, value, kinds))


def _dict_of(value: Any, kind: type) -> bool:
    return isinstance(value, dict) and all(isinstance(v, kind) for v in value.values())


def _values(value: Any) -> list[Any]:
    return list(value.values()) if isinstance(value, dict) else [None]
