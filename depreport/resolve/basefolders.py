"""Folders under a tsconfig `baseUrl`: a bare specifier going into one of the repo's folders there is a path
there (tsc looks under baseUrl first), also when the module itself is generated and so in no checkout.

hoppscotch's NestJS backend (`"baseUrl": "./"`) imports its Prisma client as `src/generated/prisma/client`,
a git-ignored folder `prisma generate` writes: with `src/` under baseUrl, that is no npm package `src`.
Whether a folder exists is recorded as a lookup (`folder_lookup`), which a file coming or going in it
answers (`specifiers.moved_lookups`), so incremental scans resolve such imports again when it changes.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable


def folders_of(files: Iterable[str]) -> frozenset[str]:
    """Every folder of the repo holding some of the files, at any depth ("" not included)."""
    folders: set[str] = set()
    for path in files:
        folder = posixpath.dirname(path)
        while folder and folder not in folders:
            folders.add(folder)
            folder = posixpath.dirname(folder)
    return frozenset(folders)


def base_folder(base_url: str, specifier: str) -> str | None:
    """The folder right under baseUrl a bare specifier goes into (`src` of `src/generated/prisma/client`),
    None for a specifier of one segment."""
    first, slash, _ = specifier.partition("/")
    return (
        posixpath.normpath(posixpath.join(base_url, first))
        if slash and first not in ("", ".", "..")
        else None
    )


def folder_lookup(folder: str) -> str:
    """A resolution's look for a folder, as `looked_up` keeps it beside module ids (which never end in /)."""
    return f"{folder}/"


def ancestor_lookups(path: str) -> Iterable[str]:
    """The folder lookups a file coming or going answers: each folder above it."""
    folder = posixpath.dirname(path)
    while folder:
        yield folder_lookup(folder)
        folder = posixpath.dirname(folder)
