"""Which dotted names are submodules of the standard library, so that a rewritten use imports them.

`import urllib` does not load `urllib.request`: a use `urllib.request.urlopen()` needs `import
urllib.request`, where the old code reached it through a package that loads it (six.moves.urllib). The
standard library of the Python running depreport is looked up on disk, without importing anything;
other packages are not looked up: their code is not run, and a rule that moves `old.**` to `new.**`
says that `new` loads what `old` did.
"""

from __future__ import annotations

import sys
import sysconfig
from collections.abc import Sequence
from functools import cache
from importlib.machinery import PathFinder


@cache
def stdlib_submodule(name: str) -> bool:
    """True when `name` (`urllib.request`) is a module inside a package of the standard library."""
    parts = name.split(".")
    if len(parts) < 2 or parts[0] not in sys.stdlib_module_names:
        return False
    # in the standard library's folder only: a folder of the same name in the scanned repository, first
    # on sys.path under `python -m`, is not the standard library
    spec = PathFinder.find_spec(parts[0], [sysconfig.get_path("stdlib")])
    for k in range(2, len(parts) + 1):
        locations = None if spec is None else spec.submodule_search_locations
        if not locations:
            return False
        spec = PathFinder.find_spec(".".join(parts[:k]), list(locations))
    return spec is not None


def deepest_module(module: str, attrs: Sequence[str]) -> str:
    """The module to import for a use `module.a.b...`: `module`, or the deepest standard-library
    submodule the use goes through (`urllib` + `request.urlopen` -> `urllib.request`)."""
    found = module
    for name in attrs:
        if not stdlib_submodule(f"{found}.{name}"):
            break
        found = f"{found}.{name}"
    return found
