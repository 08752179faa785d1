"""Following a name through barrels gives what reading every re-export of every module passed gives,
however the re-exports are arranged (named, `export *` from modules and packages, cycles), and stays
linear in the size of a barrel (the shortcuts `Barrels` takes must never change an answer)."""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from depreport.tally.barrels import Barrels, Key, Through, is_local

MODULES = [f"src/m{i}" for i in range(6)]
NAMES = ["A", "B", "C"]
PACKAGES = ["pkg-a", "pkg-b"]

# (module, export, local, target): a named re-export, or `*` with local None for `export *`
ReExport = tuple[str, str, str | None, Key]


def _key(target: str) -> Key:
    return (target, "", "relative" if target.startswith("src/") else "npm", None, "src")


_targets = st.sampled_from([*MODULES, *PACKAGES]).map(_key)
re_exports = st.lists(
    st.one_of(
        st.tuples(st.sampled_from(MODULES), st.just("*"), st.none(), _targets),  # export * from
        st.tuples(
            st.sampled_from(MODULES), st.sampled_from(NAMES), st.sampled_from([None, *NAMES]), _targets
        ),
    ),
    max_size=14,
)


class Plain:
    """The rule read off the re-exports directly, every module's re-exports read at every step."""

    def __init__(self, rows: Iterable[ReExport]) -> None:
        self.rows = [(m, e, loc, k) for m, e, loc, k in rows if not (e == "*" and loc is not None)]
        self.cycles: set[tuple[str, ...]] = set()

    def through(self, module: str, name: str) -> Through | None:
        found = self._follow(module, name, ())
        return found if isinstance(found, Through) else None

    def _follow(self, module: str, name: str, passed: tuple[str, ...]) -> Through | bool:
        if module in passed:
            loop = passed[passed.index(module) :]
            start = loop.index(min(loop))
            self.cycles.add((*loop[start:], *loop[:start], min(loop)))
            return True
        passed = (*passed, module)
        named = sorted(
            {(k, e) for m, e, loc, k in self.rows if m == module and e != "*" and (loc or e) == name}
        )
        if named:
            key, export = named[0]
            further = self._follow(key[0], export, passed) if is_local(key) else False
            return further if further is not False else Through(key, export, passed)
        stars = sorted({k for m, e, loc, k in self.rows if m == module and e == "*"})
        for key in (k for k in stars if is_local(k)):
            further = self._follow(key[0], name, passed)
            if further is not False:
                return further
        outside = [key for key in stars if not is_local(key)]
        return Through(outside[0], name, passed) if len(outside) == 1 else False


def _barrels(star_index: bool) -> Barrels:
    """Barrels that index the stars of every module (`star_index`), or of none: both ways are checked."""
    barrels = Barrels()
    barrels.few_stars = 0 if star_index else len(MODULES) * 20
    return barrels


@settings(max_examples=400, deadline=None)
@given(
    re_exports,
    st.lists(st.tuples(st.sampled_from(MODULES), st.sampled_from(NAMES)), max_size=8),
    st.booleans(),
)
def test_following_matches_reading_every_re_export(
    rows: list[ReExport], asked: list[tuple[str, str]], star_index: bool
) -> None:
    barrels, plain = _barrels(star_index), Plain(rows)
    for module, export, local, key in rows:
        barrels.apply(module, export, local, key, +1)
    for module, name in asked:
        barrels.read.clear()
        assert barrels.through(module, name) == plain.through(module, name)
    assert barrels.cycles == plain.cycles


@settings(max_examples=200, deadline=None)
@given(re_exports, re_exports, st.sampled_from(MODULES), st.sampled_from(NAMES), st.booleans())
def test_a_change_of_re_exports_is_followed(
    first: list[ReExport], then: list[ReExport], module: str, name: str, star_index: bool
) -> None:
    barrels = _barrels(star_index)
    for row in first:
        barrels.apply(*row, +1)
    barrels.through(module, name)  # tables made under the first re-exports
    for row in first:
        barrels.apply(*row, -1)
    for row in then:
        barrels.apply(*row, +1)
    assert barrels.through(module, name) == Plain(then).through(module, name)


def test_many_names_through_one_export_star_barrel_are_not_quadratic() -> None:
    """`export * from './C0'` ... for 3,000 components, each re-exported by its folder's index: every name
    is found by reading only the star that re-exports it (the other 2,999 are known to hold nothing)."""
    barrels, n = Barrels(), 3000
    for i in range(n):
        barrels.apply("src/index", "*", None, _key(f"src/C{i}"), +1)
        barrels.apply(f"src/C{i}", f"C{i}", None, _key(f"src/C{i}/C{i}"), +1)
    calls = 0
    follow = barrels._follow

    def counted(module: str, name: str, passed: tuple[str, ...]) -> Through | bool:
        nonlocal calls
        calls += 1
        return follow(module, name, passed)

    barrels._follow = counted  # type: ignore[method-assign]
    for i in range(n):
        found = barrels.through("src/index", f"C{i}")
        assert found is not None and found.key[0] == f"src/C{i}/C{i}"
    assert calls <= 4 * n


@pytest.mark.parametrize("star_index", [True, False])
def test_a_star_leading_back_to_a_module_passed_before_is_a_cycle(star_index: bool) -> None:
    """m0 re-exports m1's B as A; m1's `export *` leads back to m0: following A meets the cycle, even
    though no module the star reaches re-exports B by name."""
    rows: list[ReExport] = [
        ("src/m0", "B", "A", _key("src/m1")),
        ("src/m1", "*", None, _key("src/m2")),
        ("src/m2", "*", None, _key("src/m0")),
    ]
    barrels, plain = _barrels(star_index), Plain(rows)
    for row in rows:
        barrels.apply(*row, +1)
    assert barrels.through("src/m0", "A") == plain.through("src/m0", "A") is None
    assert barrels.cycles == plain.cycles == {("src/m0", "src/m1", "src/m2", "src/m0")}
