"""What a scan's output depends on, as digests: the whole body (the scan memo of the extraction cache) and
a file's index entry (a pack); and the options a report's header records, part of both."""

from __future__ import annotations

import hashlib
from dataclasses import fields

from depreport import __version__
from depreport.byidentity import ByIdentity
from depreport.config import Config
from depreport.extract import EXTRACTOR_VERSION
from depreport.model import SourceFile
from depreport.report.schema import SCHEMA_VERSION
from depreport.report.shape import Options
from depreport.resolve.specifiers import Resolver
from depreport.resolve.tsconfig import PathAliases
from depreport.scan.discover import Discovery


def options_used(config: Config) -> Options:
    return {
        "include": list(config.include),
        "exclude": list(config.exclude),
        "include_declarations": config.include_declarations,
        "default_excludes": config.default_excludes,
        "max_file_size": config.max_file_size,
        "adoption": config.groups.to_json(),
    }


def pack_inputs(config: Config, resolver: Resolver, texts: tuple[str | None, ...]) -> str:
    """A digest of what a file's index entry depends on besides its content, the list of files and the
    declared dependencies (a pack keeps those, and a change re-resolves the files that looked for one)."""
    inputs = (__version__, EXTRACTOR_VERSION, options_used(config), resolver.layout(), texts)
    digest = hashlib.sha256()
    update_repr(digest, inputs)
    return digest.hexdigest()


def scan_digest(
    files: list[SourceFile],
    discovery: Discovery,
    resolver: Resolver,
    config: Config,
    texts: tuple[str | None, ...],
) -> str | None:
    """A digest of everything a report body depends on, or None while some file's content is unknown."""
    digest = hashlib.sha256()
    digest.update(repr((__version__, SCHEMA_VERSION, EXTRACTOR_VERSION, options_used(config))).encode())
    lines = []
    for source in files:
        identity = source.blob
        if identity is None and source.size > config.max_file_size:
            identity = f"large:{source.size}"
        if identity is None:
            return None
        lines.append(f"{source.path}\0{source.language}\0{identity}\n")
    digest.update("".join(lines).encode())  # one update: the same digest, without 40k calls
    update_repr(digest, ([p.to_json() for p in discovery.problems], resolver.inputs(), texts))
    return digest.hexdigest()


def update_repr(digest: hashlib._Hash, value: object) -> None:
    """`digest.update(repr(value).encode())`, the same digest, without making that text: the configs of
    2,000 packages extending one preset of 1,000 paths are 86 MB of it. The repr of a `paths` tuple
    many configs share (tsconfig.SharedReads) is made once."""
    writer = _ReprWriter(digest)
    writer.write(value)
    writer.flush()


class _ReprWriter:
    """Writes what `repr` would of tuples, lists and PathAliases piece by piece into a digest."""

    def __init__(self, digest: hashlib._Hash) -> None:
        self.digest = digest
        self.pieces: list[bytes] = []
        self.size = 0
        # a paths tuple -> [] until written once, then [None], then [its repr] (shared: written again)
        self.shared: ByIdentity[list[bytes | None]] = ByIdentity()

    def write(self, value: object) -> None:
        if type(value) is tuple or type(value) is list:
            self.add(b"(" if type(value) is tuple else b"[")
            for i, item in enumerate(value):
                self.add(b", " if i else b"")
                self.write(item)
            self.add((b",)" if len(value) == 1 else b")") if type(value) is tuple else b"]")
        elif type(value) is PathAliases:
            self.add(f"{type(value).__qualname__}(".encode())
            for i, each in enumerate(f for f in fields(value) if f.repr):
                self.add(f"{', ' if i else ''}{each.name}=".encode())
                self.write_paths(getattr(value, each.name))
            self.add(b")")
        else:
            self.add(_text(value))

    def write_paths(self, value: object) -> None:
        """A field of PathAliases: its repr, kept from the second time a tuple is seen (shared)."""
        if type(value) is not tuple or not value:
            self.add(_text(value))
            return
        seen = self.shared.get(value, list)
        if not seen:  # the first time: its text is not kept (most tuples are seen once)
            seen.append(None)
            self.add(_text(value))
            return
        text = seen[0]
        if text is None:
            text = seen[0] = _text(value)
        self.add(text)

    def add(self, piece: bytes) -> None:
        """One piece of the text, handed to the digest by the megabyte."""
        self.pieces.append(piece)
        self.size += len(piece)
        if self.size > 1 << 20:
            self.flush()

    def flush(self) -> None:
        self.digest.update(b"".join(self.pieces))
        self.pieces, self.size = [], 0


def _text(value: object) -> bytes:
    return repr(value).encode()
