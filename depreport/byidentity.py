"""Values derived from an object, found again by the object itself rather than by its value.

For objects that are unhashable (a tsconfig's `paths` as JSON gives it) or too big to hash at each
look-up (a `paths` tuple of a thousand patterns that the configs extending one preset share): a value
is made once per object, however many holders share it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

V = TypeVar("V")


class ByIdentity(Generic[V]):
    """Values by the identity of the object they were made from. Each object is kept beside its value,
    so that its id cannot be taken by another object while the value is held."""

    def __init__(self) -> None:
        self._made: dict[int, tuple[object, V]] = {}

    def get(self, key: object, make: Callable[[], V]) -> V:
        """The value made from `key`, made now by `make()` the first time."""
        made = self._made.get(id(key))
        if made is None:
            made = self._made[id(key)] = (key, make())
        return made[1]
