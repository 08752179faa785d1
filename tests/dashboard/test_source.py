"""Store reads: history fetches only the weekly summaries, usage only each repo's latest report."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from dashboard.source import LEADING_KEYS, leading_keys, read_history, read_newest_week, read_usage
from depreport.history.adoption import Group, Groups, adoption_json
from depreport.history.publish import publish
from depreport.report.schema.validate import TOTAL_KEYS
from depreport.store import LocalStore, MemoryStore, RunRef

GROUPS = Groups((Group("DS", packages=("ds",), target=True), Group("Old", packages=("old",))))
MONDAY = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


class CountingStore(MemoryStore):
    """A MemoryStore that records what was downloaded."""

    def __init__(self) -> None:
        super().__init__()
        self.summaries: list[RunRef] = []
        self.reports: list[RunRef] = []
        self.heads: list[tuple[str, int]] = []  # summaries of which only the first bytes were read

    def get_summary(self, ref: RunRef) -> dict[str, Any]:
        self.summaries.append(ref)
        return super().get_summary(ref)

    def get_report(self, ref: RunRef) -> dict[str, Any]:
        self.reports.append(ref)
        return super().get_report(ref)

    def read_head(self, key: str, size: int) -> bytes | None:
        self.heads.append((key.split("/summaries/")[0], int(key.rpartition("/")[2][8:10])))  # repo, day
        return super().read_head(key, size)


def report(repo: str, when: datetime, ds: int) -> dict[str, Any]:
    counts = {
        "DS": {"imports": ds, "files": ds, "components": 1},
        "Old": {"imports": 1, "files": 1, "components": 1},
    }
    uses = {"count": ds, "type_only": 0, "files": {"src/a.ts": list(range(1, ds + 1))}, "locals": []}
    return {
        "repo": repo, "commit": "ab" * 20, "generated_at": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "options": {"adoption": GROUPS.to_json()}, "adoption": adoption_json(counts, GROUPS),
        "packages": {"ds": {"resolved_as": "npm", "imports": ds, "files": 1, "type_only_imports": 0,
                            "exports": {"Button": uses}}},
        "problems": [], "totals": dict.fromkeys(TOTAL_KEYS, 0), "exports": {},
    }  # fmt: skip


def filled_store() -> CountingStore:
    """Two repos; `a` has three runs in its first week and one in each of the next two weeks."""
    store = CountingStore()
    for day in (0, 2, 4):
        publish(store, report("org/a", MONDAY + timedelta(days=day), 1 + day))
    for n in (1, 2):
        publish(store, report("org/a", MONDAY + timedelta(weeks=n), 10 + n))
    publish(store, report("org/b", MONDAY, 3))
    return store


def test_history_reads_only_the_last_summary_of_each_week_and_no_report() -> None:
    store = filled_store()
    history = read_history(store)
    assert history.repos == ["org/a", "org/b"] and history.runs == 4 and history.problems == []
    assert store.reports == [] and store.summaries == []  # each summary's head was enough
    assert sorted(store.heads) == [
        ("org/a", 9),
        ("org/a", 12),
        ("org/a", 19),
        ("org/b", 5),
    ]
    a = history.frame[(history.frame["repo"] == "org/a") & (history.frame["group"] == "DS")]
    assert a["imports"].tolist() == [5, 11, 12]


def test_a_damaged_summary_is_named_and_left_out() -> None:
    store = filled_store()
    damaged = store.list_runs("org/b")[0]
    store.objects[damaged.summary_key] = b"{not json"
    history = read_history(store)
    assert history.runs == 3 and set(history.frame["repo"]) == {"org/a"}
    assert len(history.problems) == 1 and history.problems[0].startswith(f"org/b {damaged.stem}: ")
    assert "not valid JSON" in history.problems[0]


def test_an_empty_store() -> None:
    history = read_history(MemoryStore())
    assert (history.repos, history.runs, history.problems) == ([], 0, [])
    assert history.frame.empty
    assert read_usage(MemoryStore(), []).frame.empty


def test_usage_reads_each_repos_latest_report_only() -> None:
    store = filled_store()
    usage = read_usage(store, ["org/a", "org/b"])
    assert [(ref.repo, ref.time.day) for ref in store.reports] == [("org/a", 19), ("org/b", 5)]
    assert usage.frame.groupby("repo")["imports"].sum().to_dict() == {"org/a": 12, "org/b": 3}
    assert store.summaries == []


def test_newest_week_reads_the_latest_reports_and_the_ones_before_it() -> None:
    store = filled_store()
    newest = read_newest_week(store, ["org/a", "org/b"])
    fetched = [(ref.repo, ref.time.day) for ref in store.reports]
    assert fetched == [("org/a", 19), ("org/b", 5), ("org/a", 12)]  # org/b did not publish in the newest week
    assert [report["packages"]["ds"]["imports"] for report in newest.latest] == [12, 3]
    before = newest.before["org/a"]
    assert (
        list(newest.before) == ["org/a"] and before is not None and before["packages"]["ds"]["imports"] == 11
    )
    assert newest.problems == [] and store.summaries == []


def test_history_of_one_team_reads_its_by_owner_counts() -> None:
    store = MemoryStore()
    for n, owners in ((0, {"@web": 4}), (1, {"@web": 6, "@ds": 2})):
        document = report("org/a", MONDAY + timedelta(weeks=n), 8)
        document["adoption"]["by_owner"] = {
            owner: adoption_json({"DS": {"imports": ds, "files": 1, "components": 1},
                                  "Old": {"imports": 1, "files": 1, "components": 1}}, GROUPS)
            for owner, ds in owners.items()
        }  # fmt: skip
        publish(store, document)
    assert read_history(store).teams == ["@ds", "@web"]
    web = read_history(store, "@web").frame
    assert web.loc[web["group"] == "DS", "imports"].tolist() == [4, 6]
    ds = read_history(store, "@ds").frame
    assert ds.loc[ds["group"] == "DS", "imports"].tolist() == [2]  # @ds owned nothing in the first week
    assert read_history(store, "@nobody").frame.empty


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            '{"adoption":{"x":1},"b":"}","options":[1],"packages":{',
            {"adoption": {"x": 1}, "options": [1]},
            id="stops-before-the-bulk",
        ),
        pytest.param('{"adoption":null,"commit":"c"}', {"adoption": None, "commit": "c"}, id="whole-object"),
        pytest.param('{"adoption": {"x": 1}}', None, id="whitespace"),
        pytest.param('{"commit":"c","adoption":{}}', None, id="unsorted"),
        pytest.param('{"adoption":{"x":', None, id="damaged"),
        pytest.param("[1]", None, id="not-an-object"),
        pytest.param('{"adoption":' + "9" * 5000 + "}", None, id="integer-of-5000-digits"),
        pytest.param('{"adoption":' + "[" * 100_000 + "]" * 100_000 + "}", None, id="nested-100k"),
    ],
)
def test_leading_keys(text: str, expected: dict[str, Any] | None) -> None:
    assert leading_keys(text, LEADING_KEYS) == expected


def test_local_store_heads_give_the_same_history_as_whole_summaries(tmp_path: Path) -> None:
    local, memory = LocalStore(tmp_path), MemoryStore()
    for n in range(3):
        for store in (local, memory):
            publish(store, report("org/a", MONDAY + timedelta(weeks=n), 1 + n))
    pd.testing.assert_frame_equal(read_history(local).frame, read_history(memory).frame)
    reformatted = local.list_runs("org/a")[0]
    path = tmp_path / reformatted.summary_key
    path.write_text(
        json.dumps(json.loads(path.read_text()), indent=2)
    )  # not the compact layout: parsed whole
    pd.testing.assert_frame_equal(read_history(local).frame, read_history(memory).frame)


def test_usage_says_when_a_group_has_a_version_range() -> None:
    store = filled_store()
    assert not read_usage(store, ["org/a"]).versioned
    pinned = report("org/c", MONDAY, 2)
    pinned["options"]["adoption"]["groups"][1]["version"] = "<2"
    publish(store, pinned)
    assert read_usage(store, ["org/a", "org/c"]).versioned
