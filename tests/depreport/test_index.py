"""The live index: any sequence of file updates gives the body a scan from scratch would give."""

from __future__ import annotations

import json
import marshal
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from depreport.history.adoption import AdoptionContext, Group, Groups
from depreport.history.publish import summarize
from depreport.model import EXPRESSION, SPREAD, ImportRecord, Problem, UseRecord
from depreport.scan.pack import plain_index, saved_index
from depreport.tally.body import ReportBody
from depreport.tally.index import FileEntry, FileFacts, LiveIndex

GROUPS = Groups((Group("new", packages=("ui",), target=True), Group("old", paths=("src/old/**",))))
PACKAGES = ["ui", "src/old/Button", "react", "lodash", "src/ui"]
EXPORTS = ["default", "*", "Button", "Pane"]
FILES = ["src/a.tsx", "src/b.tsx", "src/old/c.tsx", "src/d.js", "src/ui/index.ts"]  # src/ui: a barrel
PROPS = [("size", '"big"'), ("size", EXPRESSION), ("open", "true"), (SPREAD, SPREAD)]


@st.composite
def uses(draw: st.DrawFn, path: str) -> tuple[UseRecord, ...]:
    found = []
    for _ in range(draw(st.integers(0, 5))):
        package = draw(st.sampled_from(PACKAGES))
        kind = draw(st.sampled_from(["instance", "instance", "value"]))
        via, detail = ("", "") if kind == "instance" else draw(st.sampled_from(WAYS))
        props = tuple(draw(st.lists(st.sampled_from(PROPS), max_size=3))) if kind == "instance" else ()
        where = (path, draw(st.integers(1, 5)), draw(st.integers(0, 3)), package, "")
        named = (draw(st.sampled_from(EXPORTS)), draw(st.sampled_from(["", "", "Header", "Header.Title"])))
        resolved = "relative" if "/" in package else "npm"
        found.append(UseRecord(*where, *named, kind, via, detail, props, resolved))
    return tuple(sorted(found, key=lambda use: (use.line, use.column)))


WAYS = [("attribute", "as"), ("call", "styled"), ("variable", "C"), ("other", "")]


@st.composite
def entries(draw: st.DrawFn, path: str) -> FileEntry:
    records = []
    for _ in range(draw(st.integers(0, 4))):
        package = draw(st.sampled_from(PACKAGES))
        records.append(
            ImportRecord(
                path,
                draw(st.integers(1, 5)),
                0,
                draw(st.sampled_from(["import", "import", "reexport"])),
                "x",
                package,
                "" if "/" in package else draw(st.sampled_from(["", "", "next", "next/Button"])),
                draw(st.sampled_from(EXPORTS)),
                draw(st.sampled_from(["A", "B", None])),
                draw(st.booleans()),
                "tsx",
                "relative" if "/" in package else "npm",
            )
        )
    problems = (Problem(path, "syntax-error", "x"),) if draw(st.booleans()) else ()
    records.sort(key=lambda r: (r.line, r.column, r.export, r.local or ""))  # as extraction gives them
    found = draw(uses(path))
    return FileEntry(tuple(records), problems, "parsed", bool(problems), draw(st.integers(0, 2)), uses=found)


def body(index: LiveIndex) -> dict[str, object]:
    return ReportBody(index, GROUPS).to_dict()


def text(index: LiveIndex) -> str:
    return ReportBody(index, GROUPS).to_json()


def apply(
    index: LiveIndex, steps: list[tuple[str, FileEntry | None]], files: dict[str, FileEntry] | None = None
) -> None:
    """Each update (an entry, or None for a removal) to the index, and to ``files`` when given: the
    entries a fresh index of the same files is made of."""
    kept = files if files is not None else {}
    for path, entry in steps:
        if entry is None:
            index.remove_file(path)
            kept.pop(path, None)
        else:
            index.set_file(path, entry)
            kept[path] = entry


updates = st.lists(
    st.one_of(
        st.sampled_from(FILES).flatmap(lambda path: entries(path).map(lambda entry: (path, entry))),
        st.sampled_from(FILES).map(lambda path: (path, None)),
    ),
    max_size=25,
)


@settings(max_examples=150, deadline=None)
@given(updates, st.randoms(use_true_random=False))
def test_incremental_updates_equal_a_fresh_index(
    steps: list[tuple[str, FileEntry | None]], order: random.Random
) -> None:
    live = LiveIndex()
    final: dict[str, FileEntry] = {}
    apply(live, steps, final)
    fresh, bulk = LiveIndex(), LiveIndex()
    for path in sorted(final):
        fresh.set_file(path, final[path])
    arrival = order.sample(sorted(final), len(final))  # a scan adds files as their parses come back
    bulk.add_files((path, final[path]) for path in arrival)
    assert text(live) == text(fresh) == text(bulk)
    assert bulk.paths() == sorted(final)
    assert body(live) == json.loads(text(live))  # subpaths and usage kept exactly, nothing left behind


def test_removing_everything_leaves_an_empty_index() -> None:
    live = LiveIndex()
    record = ImportRecord("src/a.tsx", 3, 0, "import", "ui", "ui", "", "Button", "B", False, "tsx", "npm")
    live.set_file("src/a.tsx", FileEntry((record, record._replace(line=4, local="C"))))
    assert live.imports.packages["ui"]["exports"]["Button"] == {
        "count": 2, "type_only": 0, "files": {"src/a.tsx": [3, 4]}, "locals": ["B", "C"],
    }  # fmt: skip
    live.remove_file("src/a.tsx")
    assert live.imports.packages == {} and dict(live.imports.exports) == {}
    assert body(live)["adoption"]["groups"]["new"]["imports"] == 0 and body(live)["components"] == {}


@settings(max_examples=60, deadline=None)
@given(updates)
def test_body_json_is_the_sorted_json_of_the_body(steps: list[tuple[str, FileEntry | None]]) -> None:
    live = LiveIndex()
    for path, entry in steps:
        if entry is None:
            live.remove_file(path)
        else:
            live.set_file(path, entry)
        assert text(live) == json.dumps(body(live), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


@settings(max_examples=150, deadline=None)
@given(updates, updates)
def test_a_restored_index_updates_like_the_one_it_was_saved_from(
    before: list[tuple[str, FileEntry | None]], after: list[tuple[str, FileEntry | None]]
) -> None:
    owners = AdoptionContext(owners=lambda path: ("@old-team",) if "/old/" in path else ())
    live = LiveIndex(owners)
    apply(live, before)
    saved_entries = dict(live.files)
    state = saved_index(marshal.loads(marshal.dumps(plain_index(live.save()))))  # as a pack carries it
    assert state is not None
    loaded: list[str] = []

    def load_entry(path: str, facts: FileFacts) -> FileEntry:
        loaded.append(path)
        assert facts == saved_entries[path].facts()
        return saved_entries[path]

    restored = LiveIndex.restore(state, live.paths(), owners, False, load_entry)
    assert text(restored) == text(live) and not loaded  # nothing decoded to write the body
    for index in (live, restored):
        apply(index, after)
    assert text(restored) == text(live)
    options = {"options": {"adoption": GROUPS.to_json()}}
    outline = ReportBody(restored, GROUPS).outline()
    assert summarize({**options, **outline}) == summarize({**options, **body(live)})
    assert body(restored) == body(live)
    assert set(loaded) <= {path for path, _ in after}  # only the files an update touched were loaded


def test_a_restored_index_patches_the_counts_as_shown_through_barrels() -> None:
    """The pack carries the usage counts as a report shows them (names through local barrels): a
    restored index patches them, and a name still shows where it comes from after an update."""

    def record(path: str, kind: str, package: str, export: str) -> ImportRecord:
        resolved = "relative" if "/" in package else "npm"
        return ImportRecord(path, 1, 0, kind, "x", package, "", export, None, False, "tsx", resolved)

    live = LiveIndex()
    live.set_file("src/ui/index.ts", FileEntry((record("src/ui/index.ts", "reexport", "ui", "Button"),)))
    live.set_file("src/a.tsx", FileEntry((record("src/a.tsx", "import", "src/ui", "Button"),)))
    through = body(live)["usage"]["through"]  # type: ignore[index]
    assert through == [["src/ui", "Button", "ui", "", "npm", "Button", "src/ui"]]
    state = saved_index(marshal.loads(marshal.dumps(plain_index(live.save()))))
    assert state is not None
    restored = LiveIndex.restore(
        state, live.paths(), AdoptionContext(), False, lambda path, facts: live.files[path]
    )
    for index in (live, restored):
        index.set_file("src/b.tsx", FileEntry((record("src/b.tsx", "import", "react", "default"),)))
    assert body(restored) == body(live) and body(restored)["usage"]["through"] == through  # type: ignore[index]


@settings(max_examples=80, deadline=None)
@given(updates, st.randoms(use_true_random=False))
def test_files_added_as_facts_only_write_the_same_body(
    steps: list[tuple[str, FileEntry | None]], order: random.Random
) -> None:
    final: dict[str, FileEntry] = {}
    apply(LiveIndex(), steps, final)
    whole, lean = LiveIndex(), LiveIndex()
    arrival = order.sample(sorted(final), len(final))
    whole.add_files((path, final[path]) for path in arrival)
    lean.add_files(((path, final[path]) for path in arrival), facts_only=True)
    assert lean.files == {} and lean.paths() == whole.paths() == sorted(final)  # no entry kept, in path order
    assert text(lean) == text(whole)
    assert lean.totals() == whole.totals() and lean.problems() == whole.problems()
    for path in lean.paths()[:1]:
        with pytest.raises(RuntimeError, match="keep_facts_only"):
            lean.entry(path)


@settings(max_examples=80, deadline=None)
@given(updates)
def test_an_index_keeping_only_facts_writes_the_same_body(steps: list[tuple[str, FileEntry | None]]) -> None:
    live, facts_only, report_only = LiveIndex(), LiveIndex(), LiveIndex()
    for index in (live, facts_only, report_only):
        apply(index, steps)
    facts_only.keep_facts_only()
    report_only.for_report_only()  # also without the import counters and the usage view once made
    assert facts_only.files == {} and sorted(facts_only.paths()) == sorted(live.paths())
    assert text(facts_only) == text(live) == text(report_only) == text(report_only)
    assert facts_only.totals() == live.totals() and facts_only.problems() == live.problems()
    for path in facts_only.paths()[:1]:
        with pytest.raises(RuntimeError, match="keep_facts_only"):
            facts_only.entry(path)


@settings(max_examples=80, deadline=None)
@given(updates, updates)
def test_the_last_body_of_an_index_is_the_same_text(
    before: list[tuple[str, FileEntry | None]], after: list[tuple[str, FileEntry | None]]
) -> None:
    """`parts(last=True)` lets the import counts go as their text is made: the same text, restored
    packages (still text) included, and nothing of the tally left."""
    live = LiveIndex()
    apply(live, before)
    saved = marshal.dumps(plain_index(live.save()))

    def updated(index: LiveIndex) -> LiveIndex:
        apply(index, after)  # in a restored one, some packages thawed and others still text
        return index

    def restored_once() -> LiveIndex:  # a restored index is made of (and changes) the saved values
        state = saved_index(marshal.loads(saved))
        assert state is not None
        return LiveIndex.restore(state, live.paths(), AdoptionContext(), False, lambda p, f: live.files[p])

    fresh = [updated(LiveIndex()) for _ in range(2)]
    restored = [updated(restored_once()) for _ in range(2)]
    for twin, last in (fresh, restored):
        assert ReportBody(last, GROUPS).parts(last=True) == ReportBody(twin, GROUPS).parts()
        assert last.imports.package_count() == 0 and not last.imports.exports
