"""Pattern rules found by the literal text their `from` starts with, so that matching a specifier asks
only the patterns that could match it, not every pattern of the file.

A pattern matches only specifiers that start with its literal start (`@old/*`: `@old/`; a wildcard
first: the empty text), so the candidates for a specifier are the patterns whose literal start is one
of its prefixes: one dictionary look-up per distinct length of literal start. A rules file of 10,000
patterns (`@old1/*` … `@old10000/*`) asked every one of them for each specifier and for each rule
checked at load: 32 s to load 5,000 of them, 98 s for 10,000 (the index: depreport/startindex.py).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from depreport.startindex import StartIndex

if TYPE_CHECKING:
    from codemods.rules import Rule


class PatternIndex:
    """The pattern rules of each language, by literal start (`StartIndex`), each with its place in the
    file."""

    def __init__(self, patterns: Iterable[tuple[Rule, str]]) -> None:
        """Index (rule, literal start) pairs, given in file order."""
        entries: dict[str, list[tuple[str, Rule]]] = defaultdict(list)
        self._places: dict[int, tuple[int, str]] = {}  # id(rule) → (place among its language's, start)
        for rule, start in patterns:
            self._places[id(rule)] = (len(entries[rule.language]), start)
            entries[rule.language].append((start, rule))
        self._languages = {language: StartIndex(found) for language, found in entries.items()}

    def candidates(self, text: str, language: str) -> list[tuple[int, Rule]]:
        """(place among the language's patterns, rule) of the patterns of `language` whose literal start
        `text` starts with, in file order: the only ones that can match `text`."""
        index = self._languages.get(language)
        return [] if index is None else index.candidates(text)

    def earlier(self, rule: Rule) -> list[Rule]:
        """The patterns before `rule` (a pattern of this index) that could match every module it matches:
        those whose literal start is a prefix of its own (a wildcard fills its samples with `\\0`, which
        no literal spells), in file order."""
        place, start = self._places[id(rule)]
        return [other for position, other in self.candidates(start, rule.language) if position < place]


def shortest_prefixes(starts: Iterable[bytes]) -> tuple[bytes, ...]:
    """The literal starts, sorted, without those that start with another (they are redundant).

    In sorted order every text between a prefix and one that starts with it starts with it too, so the
    last one kept is the only one to compare with: 10,000 starts took 24 million comparisons."""
    kept: list[bytes] = []
    for prefix in sorted(set(starts)):
        if not kept or not prefix.startswith(kept[-1]):
            kept.append(prefix)
    return tuple(kept)


@lru_cache(maxsize=16)
def string_starts(prefixes: tuple[bytes, ...]) -> re.Pattern[bytes]:
    """A quote followed by one of `prefixes`: where a string naming a wanted module starts.

    Built once per set of prefixes, not once per file: each file of a run with 5,000 patterns escaped
    and compiled 5,000 alternatives again (10 million `re.escape` calls for 2,000 files)."""
    return re.compile(rb"['\"`]" + _one_of(prefixes))


@lru_cache(maxsize=16)
def any_start(prefixes: tuple[bytes, ...], separator: bytes = b"") -> re.Pattern[bytes]:
    """Finds any of `prefixes` (cut at the first `separator`, when one is given) anywhere in a file.

    One pass over the file, however many prefixes: `any(prefix in body …)` read a file that matches
    no rule once per prefix (20,000 patterns, 2,000 files: 6 s of 8)."""
    cut = prefixes if not separator else tuple(p.split(separator)[0] for p in prefixes)
    return re.compile(_one_of(cut))


def _one_of(prefixes: tuple[bytes, ...]) -> bytes:
    """A regular expression for any one of `prefixes`, written as a tree of their shared beginnings
    (`@old(?:1/|2/)`), so that a position is matched in steps of the prefixes' length, not their
    number: an alternation of 20,000 prefixes tries each in turn. A prefix that another starts with
    stands for both (only where a match starts is used)."""
    tree: dict[int, Any] = {}
    for prefix in sorted(set(prefixes)):  # each before those that start with it
        node = tree
        for byte in prefix:
            if _END in node:
                break
            node = node.setdefault(byte, {})
        else:
            node.clear()
            node[_END] = {}
    return b"(?:" + _written(tree) + b")" if tree else b"(?!)"  # no prefix: found nowhere


_END = -1  # a key no byte is: a prefix ends here


def _written(node: dict[int, Any]) -> bytes:
    """The regular expression of one node of `_one_of`'s tree: a run of single children as one literal."""
    branches = []
    for byte, child in sorted(node.items()):
        if byte == _END:
            return b""  # a prefix ends here: longer ones add nothing
        run = bytearray([byte])
        while len(child) == 1 and _END not in child:
            ((byte, child),) = child.items()
            run.append(byte)
        branches.append(re.escape(bytes(run)) + _written(child))
    return branches[0] if len(branches) == 1 else b"(?:" + b"|".join(branches) + b")"
