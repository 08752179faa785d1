"""What a scan's output depends on, as digests: the whole body (the scan memo of the extraction cache) and
a file's index entry (a pack); and the options a report's header records, part of both."""

from __future__ import annotations

import hashlib

from depreport import __version__
from depreport.config import Config
from depreport.extract import EXTRACTOR_VERSION
from depreport.model import SourceFile
from depreport.report.schema import SCHEMA_VERSION
from depreport.report.shape import Options
from depreport.resolve.specifiers import Resolver
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
    return hashlib.sha256(repr(inputs).encode()).hexdigest()


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
    digest.update(repr(([p.to_json() for p in discovery.problems], resolver.inputs(), texts)).encode())
    return digest.hexdigest()
