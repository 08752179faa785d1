"""Which exclude globs left something out: one that excluded nothing is said, not passed over (a typo in
`--exclude 'src/legacyy/**'` scans what it meant to leave out, and nothing would tell).

The Selector notes each path its exclude globs left out (a folder's with a trailing slash) and, when a
`!` glob takes back what another left out, each path they kept. Each glob is compared on its own with
those paths only when asked, and only with the paths noted since it was last compared: a scan's files
are matched once against all the globs together, as before; a backfill asks once a week, and a glob
that matched is never compared again.
"""

from __future__ import annotations

from itertools import islice

import pathspec

from depreport.scan.globs import gitignore_spec


class ExcludeUse:
    """The paths the user's exclude globs (flags and configuration, not the built-in ones) decided."""

    def __init__(self, globs: tuple[str, ...]) -> None:
        self.excluded: list[str] = []  # left out by the globs together
        self.kept: list[str] | None = [] if any(g.startswith("!") for g in globs) else None
        self._compared = dict.fromkeys(globs, 0)  # glob not seen matching -> paths compared with it so far
        self._specs: dict[str, pathspec.GitIgnoreSpec] = {}

    def unused(self) -> tuple[str, ...]:
        """The globs, in the order given, that match no path noted so far: a `!` glob none of those
        kept, any other none of those left out (so also one whose every match a `!` glob took back)."""
        for glob, start in list(self._compared.items()):
            paths = self.kept if glob.startswith("!") else self.excluded
            paths = paths if paths is not None else []
            spec = self._specs.get(glob)
            if spec is None:
                spec = self._specs[glob] = gitignore_spec([glob])
            if any(spec.check_file(path).index is not None for path in islice(paths, start, None)):
                del self._compared[glob]
            else:
                self._compared[glob] = len(paths)
        return tuple(self._compared)
