"""Rules files of thousands of rules (a generated icon rename map, one pattern per package) load and
match in time linear in their rules. Counted, not timed: before, each rule was checked against every
other at load and each specifier asked every pattern (5,000 patterns: 32 s to migrate 2,000 files)."""

from __future__ import annotations

import random
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from codemods import ruleindex
from codemods.rulefile import parse_rules
from codemods.rules import JS, Rule
from codemods.runner import migrate_source
from depreport.errors import ConfigError

RULES = 2000


def _patterns(count: int) -> dict[str, Any]:
    return {"rule": [{"from": f"@old{i}/*", "to": f"@new{i}/*"} for i in range(count)]}


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The rules asked whether they match a specifier, by id."""
    calls: list[str] = []
    real = Rule.target_module

    def counted(self: Rule, specifier: str) -> str | None:
        calls.append(self.id)
        return real(self, specifier)

    monkeypatch.setattr(Rule, "target_module", counted)
    return calls


def test_thousands_of_patterns_load_asking_each_rule_a_few_times(asked: list[str]) -> None:
    ruleset = parse_rules(_patterns(RULES), "rules.toml")
    assert len(ruleset.rules) == RULES
    assert len(asked) < 10 * RULES, len(asked)  # every pair: 2 million


def test_a_specifier_asks_only_the_patterns_its_text_starts_like(asked: list[str]) -> None:
    ruleset = parse_rules(_patterns(RULES), "rules.toml")
    asked.clear()
    source = b"import a from '@old1234/x'\nimport b from '@old99/y'\nimport c from 'react'\n"
    result = migrate_source(source, "typescript", ruleset)
    assert result.source == source.replace(b"@old1234/", b"@new1234/").replace(b"@old99/", b"@new99/")
    assert set(asked) == {"@old1234/*", "@old99/*"}
    assert len(asked) < 20, len(asked)


def test_patterns_are_still_tried_in_file_order() -> None:
    ruleset = parse_rules(
        {
            "rule": [
                {"from": "@a/*-x", "to": "@one/*"},
                {"from": "@a/b-*", "to": "@two/*"},  # a longer literal start than the first's
                {"from": "@a/**", "to": "@three/**"},  # a shorter one
                {"from": "@a/b-c", "to": "@exact"},
            ]
        },
        "rules.toml",
    )
    found = {s: ruleset.match(s, JS) for s in ("@a/b-x", "@a/b-y", "@a/b-c", "@a/c", "@a", "@b/x")}
    assert {s: m and m.module for s, m in found.items()} == {
        "@a/b-x": "@one/b",  # all three patterns match: the first written wins
        "@a/b-y": "@two/y",  # the second before the third
        "@a/b-c": "@exact",  # exact rules before every pattern
        "@a/c": "@three/c",
        "@a": "@three",
        "@b/x": None,
    }


def test_a_shadowed_pattern_among_thousands_is_still_refused() -> None:
    data = _patterns(RULES)
    data["rule"].insert(1500, {"from": "@old7/x-*", "to": "@other/*"})  # @old7/* comes first
    with pytest.raises(ConfigError, match=r"rule '@old7/x-\*' can never apply.*rule '@old7/\*'"):
        parse_rules(data, "rules.toml")


class _Counted(bytes):
    compared = 0

    def startswith(self, *args: Any) -> bool:  # type: ignore[override]
        _Counted.compared += 1
        return super().startswith(*args)


def test_shortest_prefixes_compares_each_start_once() -> None:
    chosen = random.Random(7)
    starts = [
        _Counted("".join(chosen.choice("ab/") for _ in range(chosen.randint(0, 6))).encode())
        for _ in range(RULES)
    ]
    _Counted.compared = 0
    kept = ruleindex.shortest_prefixes(starts)
    assert _Counted.compared < len(starts)  # every pair: 4 million
    expected = sorted({p for p in starts if not any(q != p and p.startswith(q) for q in starts)})
    assert list(kept) == expected


def test_the_string_pattern_of_a_run_is_built_once() -> None:
    prefixes = tuple(f"@old{i}/".encode() for i in range(RULES))
    assert ruleindex.string_starts(prefixes) is ruleindex.string_starts(tuple(prefixes))
    assert ruleindex.string_starts(prefixes).search(b"x = '@old77/y'")


def test_only_rules_that_add_imports_are_asked_for_them() -> None:
    data = _patterns(RULES)
    data["rule"].append({"from": "legacy", "to": "modern", "add": [{"import": "modern/setup"}]})
    ruleset = parse_rules(data, "rules.toml")
    assert [rule.id for rule in ruleset.adding] == ["legacy"]
    result = migrate_source(b"import x from 'legacy'\n", "typescript", ruleset)
    assert result.source == b"import x from 'modern'\nimport 'modern/setup'\n"


class _CountedTuple(tuple[bytes, ...]):
    read = 0

    def __iter__(self):  # type: ignore[no-untyped-def]
        _CountedTuple.read += 1
        return super().__iter__()


def test_files_that_match_no_rule_are_skipped_without_reading_every_prefix(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ruleset = parse_rules(_patterns(RULES), "rules.toml")
    prefixes = _CountedTuple(ruleset.prefixes(JS))
    monkeypatch.setattr(type(ruleset), "prefixes", lambda self, language: prefixes)
    _CountedTuple.read = 0
    files = [f"import x{i} from 'react'\nconst old{i} = '@old{i}'\n".encode() for i in range(100)]
    assert all(migrate_source(f, "typescript", ruleset).source == f for f in files)
    assert _CountedTuple.read <= 2  # once to build the search: before, once per file
    changed = migrate_source(b"import a from '@old5/b'\n", "typescript", ruleset).source
    assert changed == b"import a from '@new5/b'\n"


@given(
    st.lists(st.binary(max_size=4).map(lambda b: b.replace(b"\n", b"")), max_size=6),
    st.binary(max_size=40),
    st.sampled_from([b"", b"."]),
)
def test_the_one_pass_search_finds_what_a_search_per_prefix_finds(
    prefixes: list[bytes], body: bytes, separator: bytes
) -> None:
    cut = [p.split(separator)[0] if separator else p for p in prefixes]
    found = ruleindex.any_start(tuple(prefixes), separator).search(body) is not None
    assert found == any(p in body for p in cut)
    if prefixes:  # the alternation of sorted prefixes that find_sites compiled before, and its matches
        written = sorted(prefixes)
        before = re.compile(rb"['\"`](?:" + b"|".join(re.escape(p) for p in written) + rb")")
        after = ruleindex.string_starts(tuple(written))
        assert [m.span() for m in after.finditer(body)] == [m.span() for m in before.finditer(body)]
