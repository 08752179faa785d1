"""Adoption groups: matching, shares, type-only handling."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import pytest

from depreport.history.adoption import Group, Groups, adoption_of
from depreport.model import ImportRecord
from depreport.tally.shown import within
from depreport.tally.usage import AdoptionContext, UsageTally

GROUPS = Groups(
    (
        Group("Evergreen v4", packages=("evergreen-ui",), target=True),
        Group("Evergreen v3", packages=("evergreen-ui-v3", "evergreen-*")),
        Group("Legacy folder", paths=("src/ui/**",)),
    )
)


def measure_adoption(records: Iterable[ImportRecord], groups: Groups) -> dict[str, Any] | None:
    """The adoption block for records: usage counted file by file as a scan does, then the groups applied."""
    return adoption_of(usage_of(records), groups)


def usage_of(records: Iterable[ImportRecord], context: AdoptionContext | None = None) -> dict[str, Any]:
    tally = UsageTally(context)
    by_file: dict[str, list[ImportRecord]] = {}
    for found in records:
        by_file.setdefault(found.file, []).append(found)
    for path, found_in_file in by_file.items():
        tally.apply(path, found_in_file, +1)
    return json.loads(json.dumps(tally.to_json()))  # as a stored run gives it back


def record(
    file: str, package: str, export: str, resolved: str = "npm", type_only: bool = False, subpath: str = ""
) -> ImportRecord:
    specifier = f"{package}/{subpath}" if subpath else package
    return ImportRecord(
        file, 1, 0, "import", specifier, package, subpath, export, export, type_only, "tsx", resolved
    )


@pytest.mark.parametrize(
    ("package", "resolved", "group"),
    [
        pytest.param("evergreen-ui", "npm", "Evergreen v4", id="exact"),
        pytest.param("evergreen-buttons", "npm", "Evergreen v3", id="glob"),
        pytest.param("src/ui/Button", "relative", "Legacy folder", id="folder"),
        pytest.param("src/ui", "relative", "Legacy folder", id="folder-index"),
        pytest.param("src/ui", "npm", None, id="paths-only-match-local-modules"),
        pytest.param("src/uix/Button", "relative", None, id="folder-prefix-is-not-enough"),
        pytest.param("react", "npm", None, id="ungrouped"),
    ],
)
def test_classify(package: str, resolved: str, group: str | None) -> None:
    assert GROUPS.classify(package, resolved) == group


def test_shares_by_three_metrics() -> None:
    records = [
        record("a.tsx", "evergreen-ui", "Button"),
        record("a.tsx", "evergreen-ui", "Pane"),
        record("b.tsx", "evergreen-ui", "Button"),
        record("b.tsx", "evergreen-ui-v3", "Button"),
        record("c.tsx", "react", "default"),
    ]
    adoption = measure_adoption(records, GROUPS)
    assert adoption is not None
    v4, v3 = adoption["groups"]["Evergreen v4"], adoption["groups"]["Evergreen v3"]
    assert (v4["imports"], v4["files"], v4["components"]) == (3, 2, 2)
    assert (v3["imports"], v3["files"], v3["components"]) == (1, 1, 1)
    shares = {"imports": 0.75, "files": 0.666667, "components": 0.666667, "instances": 0.0}
    assert adoption["target_share"] == shares  # no uses counted here: no instance of any group
    assert set(adoption["groups"]["Legacy folder"]["share"].values()) == {0.0}


def test_type_only_imports_count_unless_left_out() -> None:
    records = [
        record("a.ts", "evergreen-ui", "Props", type_only=True),
        record("a.ts", "evergreen-ui-v3", "X"),
    ]
    left_out = measure_adoption(records, Groups(GROUPS.groups, include_type_only=False))
    counted = measure_adoption(records, GROUPS)
    assert left_out is not None and counted is not None
    assert left_out["target_share"]["imports"] == 0.0
    assert counted["target_share"]["imports"] == 0.5


def test_imports_inside_a_legacy_folder_are_internal() -> None:
    records = [
        record("src/ui/index.ts", "src/ui/Button", "default", resolved="relative"),
        record("src/app.tsx", "src/ui/Button", "default", resolved="relative"),
    ]
    adoption = measure_adoption(records, GROUPS)
    assert adoption is not None and adoption["groups"]["Legacy folder"]["imports"] == 1


def test_no_groups_no_adoption() -> None:
    assert measure_adoption([record("a.ts", "x", "y")], Groups()) is None


def test_a_lint_only_import_type_commit_moves_no_number() -> None:
    before = [record(f"f{i}.tsx", "evergreen-ui", "Button") for i in range(3)] + [
        record("g.tsx", "evergreen-ui-v3", "Pane")
    ]
    after = [r._replace(type_only=True) for r in before[:3]] + before[3:]
    assert measure_adoption(after, GROUPS) == measure_adoption(before, GROUPS)


SUBPATH_GROUPS = Groups(
    (
        Group("Next", packages=("@acme/ui/next/**", "@acme/ui-next"), target=True),
        Group("Legacy", packages=("@acme/ui",)),
    )
)


@pytest.mark.parametrize(
    ("package", "subpath", "group"),
    [
        pytest.param("@acme/ui", "next", "Next", id="module-itself-under-trailing-globstar"),
        pytest.param("@acme/ui", "next/Button", "Next", id="below-the-subpath"),
        pytest.param("@acme/ui-next", "", "Next", id="npm-alias"),
        pytest.param("@acme/ui", "", "Legacy", id="the-package-root"),
        pytest.param("@acme/ui", "nextish", "Legacy", id="a-longer-segment-is-not-the-subpath"),
    ],
)
def test_groups_match_subpaths(package: str, subpath: str, group: str) -> None:
    assert SUBPATH_GROUPS.classify(package, "npm", subpath=subpath) == group


def test_renaming_a_subpath_import_to_an_alias_moves_no_number() -> None:
    through_subpath = [
        record("a.tsx", "@acme/ui", "Button", subpath="next"),
        record("b.tsx", "@acme/ui", "Pane"),
    ]
    through_alias = [record("a.tsx", "@acme/ui-next", "Button"), record("b.tsx", "@acme/ui", "Pane")]
    first, second = (
        measure_adoption(through_subpath, SUBPATH_GROUPS),
        measure_adoption(through_alias, SUBPATH_GROUPS),
    )
    assert first is not None and second is not None
    assert (
        first["target_share"]
        == second["target_share"]
        == {"imports": 0.5, "files": 0.5, "components": 0.5, "instances": 0.0}
    )


def test_a_glob_that_matches_nothing_is_a_warning_with_the_nearest_ids() -> None:
    groups = Groups(
        (Group("Next", packages=("@acme/uii/next",), target=True), Group("Old", paths=("src/legacy/**",)))
    )
    adoption = measure_adoption([record("a.tsx", "@acme/ui", "X", subpath="next")], groups)
    assert adoption is not None
    packages, paths = adoption["warnings"]
    assert "'@acme/uii/next' matches no import" in packages and "@acme/ui/next" in packages
    assert "'src/legacy/**' matches no import" in paths


def test_a_group_whose_imports_all_go_to_an_earlier_group_is_a_warning() -> None:
    """README's own example once listed a version-pinned group after the group of the same package."""
    records = [record("a.tsx", "evergreen-ui", "Button"), record("b.tsx", "evergreen-ui-v3", "Pane")]
    groups = Groups(
        (
            Group("Evergreen v4", packages=("evergreen-ui",), target=True),
            Group("Evergreen v3", packages=("evergreen-ui-v3",)),
            Group("Any Evergreen", packages=("evergreen-*",)),
        )
    )
    adoption = measure_adoption(records, groups)
    assert adoption is not None and adoption["warnings"] == [
        "group 'Any Evergreen' counts no import: every import it matches goes to 'Evergreen v4' and "
        "'Evergreen v3', listed before it (the first group that matches takes an import); list it first if "
        "it narrows that group"
    ]
    adoption = measure_adoption(records, GROUPS)  # overlapping globs, each group counting some import
    assert adoption is not None and not any("counts no import" in w for w in adoption["warnings"])


def test_a_group_left_empty_by_an_earlier_version_range_is_no_warning() -> None:
    """Which imports a version-ranged group takes depends on the versions a week has, not on the order:
    once every file gets Paragon 22, the group of the older major counts nothing, as it should."""
    records = [record("a.tsx", "@openedx/paragon", "Button"), record("b.tsx", "@openedx/paragon", "Card")]
    tally = UsageTally(AdoptionContext(version=lambda file, package: "22.17.0"), versioned=True)
    for found in records:
        tally.apply(found.file, [found], +1)
    usage = json.loads(json.dumps(tally.to_json()))
    by_major = Groups(
        (
            Group("Paragon 22+", packages=("@openedx/paragon",), version=">=22", target=True),
            Group("Paragon 21", packages=("@openedx/paragon",)),
        )
    )
    adoption = adoption_of(usage, by_major)
    assert adoption is not None and adoption["warnings"] == []
    pinned_last = Groups((Group("Paragon", packages=("@openedx/*",), target=True), *by_major.groups))
    adoption = adoption_of(usage, pinned_last)
    assert adoption is not None
    assert [w[:40] for w in adoption["warnings"]] == [
        "group 'Paragon 22+' counts no import: ev",
        "group 'Paragon 21' counts no import: eve",
    ]


def test_a_prerelease_counts_on_the_line_of_the_release_it_leads_to() -> None:
    """RedHatInsights/insights-rbac-ui locked `@patternfly/react-component-groups` at 5.4.0-prerelease.2
    from June to November 2024: npm's rule (a range admits a prerelease only when it names one of that
    release) kept its 28 imports out of `<6` and `>=6` alike, so they counted for no group, silently."""
    versions = {"a.tsx": "5.4.0-prerelease.2", "b.tsx": "5.4.8", "c.tsx": "6.0.0-alpha.1", "d.tsx": "6.4.0"}
    records = [record(path, "@patternfly/react-component-groups", "ContentHeader") for path in versions]
    tally = UsageTally(AdoptionContext(version=lambda file, package: versions[file]), versioned=True)
    for found in records:
        tally.apply(found.file, [found], +1)
    usage = json.loads(json.dumps(tally.to_json()))
    groups = Groups(
        (
            Group("PatternFly 6", packages=("@patternfly/react-*",), version=">=6", target=True),
            Group("PatternFly 5", packages=("@patternfly/react-*",), version="<6"),
        )
    )
    adoption = adoption_of(usage, groups)
    assert adoption is not None
    files = {name: group["files"] for name, group in adoption["groups"].items()}
    assert files == {"PatternFly 6": 2, "PatternFly 5": 2}
    exact = Groups((Group("The alpha", packages=("@patternfly/*",), version="6.0.0-alpha.3", target=True),))
    alpha = adoption_of(usage, exact)
    assert alpha is not None and alpha["groups"]["The alpha"]["files"] == 0  # 6.0.0 is no 6.0.0-alpha.3


@pytest.mark.parametrize(
    ("first", "second", "warned"),
    [
        pytest.param(">=22", ">=22.5", True, id="narrower-range-after"),
        pytest.param("^22", "22.17.x", True, id="a-minor-after-its-major"),
        pytest.param(">=22.5", ">=22", False, id="wider-range-after"),
        pytest.param("<22", ">=22", False, id="disjoint"),
    ],
)
def test_a_ranged_group_within_the_range_of_one_before_it_is_a_warning(
    first: str, second: str, warned: bool
) -> None:
    """Two version-ranged groups of one package were never compared: `>=22.5` listed after `>=22` counts
    nothing at any week, and was passed over without a word as if the versions had decided."""
    records = [record("a.tsx", "@openedx/paragon", "Button")]
    tally = UsageTally(AdoptionContext(version=lambda file, package: "22.17.0"), versioned=True)
    for found in records:
        tally.apply(found.file, [found], +1)
    usage = json.loads(json.dumps(tally.to_json()))
    groups = Groups(
        (
            Group("First", packages=("@openedx/paragon",), version=first, target=True),
            Group("Second", packages=("@openedx/paragon",), version=second),
        )
    )
    adoption = adoption_of(usage, groups)
    assert adoption is not None
    shadowed = [w for w in adoption["warnings"] if "counts no import" in w]
    assert shadowed == (["group 'Second' counts no import: every import it matches goes to 'First', "
                         "listed before it (the first group that matches takes an import); list it first "
                         "if it narrows that group"] if warned else [])  # fmt: skip


def test_what_is_left_counts_each_file_once() -> None:
    records = [
        record("a.tsx", "evergreen-ui-v3", "Button"),
        record("a.tsx", "src/ui/Card", "default", resolved="relative"),
        record("b.tsx", "evergreen-ui", "Button"),
        record("c.tsx", "evergreen-ui-v3", "Pane"),
        record("c.tsx", "evergreen-ui", "Pane"),
    ]
    adoption = measure_adoption(records, GROUPS)
    assert adoption is not None
    left = {
        "imports": 3,
        "components": 3,
        "files": 2,
        "grouped_files": 3,
        "instances": 0,
        "indirect_files": 0,
    }
    assert adoption["left"] == left


def test_groups_are_a_view_over_stored_usage() -> None:
    """Usage counted once answers any grouping later, exactly as counting again under it would."""
    records = [
        record("a.tsx", "evergreen-ui", "Button"),
        record("a.tsx", "evergreen-ui-v3", "Pane", type_only=True),
        record("b.tsx", "@acme/react-ui", "Card"),
        record("src/ui/x.tsx", "src/ui/Card", "default", resolved="relative"),
        record("src/app.tsx", "src/ui/Card", "default", resolved="relative"),
    ]
    usage = usage_of(records)
    regrouped = Groups(
        (Group("Acme", packages=("@acme/*",), target=True), Group("EG", packages=("evergreen-*",)))
    )
    block = adoption_of(usage, regrouped)
    assert block is not None
    assert block["groups"]["Acme"]["imports"] == 1 and block["groups"]["EG"]["imports"] == 2
    assert block["groups"]["EG"]["files"] == 1
    legacy = adoption_of(usage, GROUPS)
    assert legacy is not None and legacy["groups"]["Legacy folder"]["imports"] == 1  # the other is internal


def test_owners_are_counted_per_team() -> None:
    owners = {"a.tsx": ("@web",), "b.tsx": ("@web", "@ds")}
    context = AdoptionContext(owners=lambda path: owners.get(path, ()))
    records = [
        record("a.tsx", "evergreen-ui", "Button"),
        record("b.tsx", "evergreen-ui-v3", "X"),
        record("c.tsx", "evergreen-ui", "Y"),
    ]
    block = adoption_of(usage_of(records, context), GROUPS)
    assert block is not None
    assert set(block["by_owner"]) == {"@web", "@ds", "(no owner)"}
    assert block["by_owner"]["@web"]["groups"]["Evergreen v4"]["files"] == 1
    assert block["by_owner"]["@ds"]["target_share"]["imports"] == 0.0


@pytest.mark.parametrize(
    ("path", "module", "folder"),
    [
        pytest.param("src/ui/Table.tsx", "src/ui/Button", "src/ui", id="same-folder"),
        pytest.param("src/ui/a/X.tsx", "src/ui/Button", "src/ui", id="below"),
        pytest.param("src/pages/X.tsx", "src/ui/Button", "src", id="sibling-folders"),
        pytest.param("App.tsx", "src/ui/Button", "", id="root"),
    ],
)
def test_within_is_the_deepest_common_folder(path: str, module: str, folder: str) -> None:
    assert within(path, module) == folder


def test_removing_a_file_leaves_no_trace() -> None:
    tally = UsageTally()
    kept = [record("a.tsx", "evergreen-ui", "Button")]
    gone = [
        record("b.tsx", "evergreen-ui-v3", "X", type_only=True),
        record("b.tsx", "src/ui/Y", "default", resolved="relative"),
    ]
    tally.apply("a.tsx", kept, +1)
    alone = tally.to_json()
    tally.apply("b.tsx", gone, +1)
    tally.apply("b.tsx", gone, -1)
    assert tally.to_json() == alone
