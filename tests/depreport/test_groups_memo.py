"""`Groups.group_of` remembers its answers (a backfill asks for every key of every week): the same answers
as asking each group, and a question asked twice is worked out once."""

from __future__ import annotations

import pytest

from depreport.history.adoption import Group, Groups

GROUPS = Groups(
    (
        Group("next", packages=("@acme/ui/next/**",), target=True),
        Group("old", packages=("@acme/ui",)),
        Group("folder", paths=("src/ui/**",)),
    )
)
ASKED = [
    ("@acme/ui", "npm", None, "next/button"),
    ("@acme/ui", "npm", None, ""),
    ("src/ui/Button", "relative", None, ""),
    ("src/ui/Button", "npm", None, ""),
    ("lodash", "npm", None, ""),
]


def test_remembered_answers_are_the_groups_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    expected = [next((g for g in GROUPS.groups if g.matches(*q)), None) for q in ASKED]
    asked: list[str] = []
    real = Group.matches

    def counting(self: Group, *args: str | None) -> bool:
        asked.append(self.name)
        return real(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(Group, "matches", counting)
    groups = Groups(GROUPS.groups)
    first = [groups.group_of(*q) for q in ASKED]
    calls = len(asked)
    again = [groups.group_of(*q) for q in ASKED]
    assert first == again == expected
    assert [g.name if g else None for g in first] == ["next", "old", "folder", None, None]
    assert calls > 0 and len(asked) == calls  # the second round asked no group
    assert groups == GROUPS and hash(groups) == hash(GROUPS)  # the memo is no part of the value
