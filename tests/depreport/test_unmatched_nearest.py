"""The warning of a group pattern that matches nothing names the nearest ids seen, and finding them
compares the pattern with a few ids, not all of them (a backfill warns every week until the library
being adopted arrives). Whether a path pattern matches anything is asked only of the ids it could
match (those starting with its anchored prefix), which must lose no match."""

from __future__ import annotations

import difflib
import random

import pathspec
import pytest

from depreport.history import adoption
from depreport.history.adoption import _MOST_COMPARED, _anchored_prefix, _near, _starting_with, _unmatched


def test_a_path_is_compared_with_its_siblings() -> None:
    seen = sorted(
        ["src/ui/Button", "src/ui/Card", "src/ui/Dialog", "src/ui/forms/Input", "lib/math", "src/app"]
    )
    assert _near("src/ui/Buton", seen) == ["src/ui/Button", "src/ui/Card", "src/ui/Dialog"]
    assert "nearest seen: src/ui/Button" in _unmatched("Legacy", "paths", "src/ui/Buton/**", seen)


def test_a_folder_with_few_ids_widens_to_the_one_above() -> None:
    seen = sorted(["src/ui/forms/Input", "src/ui/forms/Select", "src/ui/Button", "src/ui/Card"])
    assert _near("src/ui/forms/Inptu", seen) == seen  # two in forms/: all four under src/ui/


def test_many_ids_are_sifted_to_a_few_and_the_typo_is_still_found(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(7)
    names = {
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz-") for _ in range(rng.randint(3, 30)))
        for _ in range(5000)
    }
    seen = sorted(names | {"evergreen-ui-v3"})
    compared: list[int] = []
    real = difflib.get_close_matches

    def counting(word: str, possibilities: list[str], n: int = 3, cutoff: float = 0.6) -> list[str]:
        compared.append(len(possibilities))
        return real(word, possibilities, n, cutoff)

    monkeypatch.setattr(adoption.difflib, "get_close_matches", counting)
    warning = _unmatched("Evergreen v3", "packages", "evergren-ui-v3", seen)
    assert "nearest seen: evergreen-ui-v3" in warning
    assert compared == [_MOST_COMPARED]


@pytest.mark.parametrize(
    "pattern",
    [
        "src/ui/**",
        "src/ui",
        "/src/ui",
        "src/ui/",
        "src/u?",
        "src/*/Card",
        "**/Card",
        "Card",
        "src/[u]i/**",
        "lib",
    ],
)
def test_the_prefix_a_pattern_is_checked_on_loses_no_match(pattern: str) -> None:
    ids = sorted(["src/ui", "src/ui/Card", "src/uix/Card", "src/app/Card", "lib/Card", "lib", "Card"])
    spec = pathspec.GitIgnoreSpec.from_lines([pattern])
    matching = [m for m in ids if spec.match_file(m) or spec.match_file(m + "/")]
    candidates = _starting_with(ids, _anchored_prefix(pattern))
    assert matching and set(matching) <= set(candidates)
