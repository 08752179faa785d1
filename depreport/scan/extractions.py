"""An extraction as the cache and the pack keep it: keyed by its content's git blob id and language,
encoded with marshal."""

from __future__ import annotations

import hashlib
import marshal
from typing import cast

from depreport.model import Extraction, RawImport, RawUse


def blob_id(data: bytes) -> str:
    """The git blob id of some content."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def cache_key(blob: str, language: str) -> str:
    """The same bytes read as another language give other imports."""
    return f"{blob}:{language}"


def encode(extraction: Extraction) -> bytes:
    """A compact, fast serialisation of an extraction."""
    rows = tuple(tuple(r) for r in extraction.imports)
    flags = (
        extraction.syntax_error,
        extraction.unresolvable,
        extraction.parsed,
        extraction.utf8,
        extraction.size,
        extraction.stopped_after,
    )
    uses = tuple(
        (u.line, u.column, u.local, u.member, u.kind, u.via, u.detail, u.props) for u in extraction.uses
    )
    return marshal.dumps((flags, rows, uses, extraction.own_exports))


def decode(payload: bytes) -> Extraction:
    """The inverse of `encode`."""
    flags, rows, use_rows, own_exports = marshal.loads(payload)
    syntax_error, unresolvable, parsed, utf8, size, stopped_after = flags
    # Plain tuples in RawImport's field order: a warm scan of a big repo decodes hundreds of thousands,
    # and the pipeline only unpacks them. Uses are fewer, and read by field name.
    imports = cast(tuple[RawImport, ...], rows)
    uses = tuple(RawUse._make(row) for row in use_rows)
    return Extraction(
        imports, syntax_error, unresolvable, parsed, utf8, size, uses, stopped_after, own_exports
    )
