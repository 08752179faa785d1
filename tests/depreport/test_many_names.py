"""A file importing thousands of names (an icon set's barrel imported whole) is read for their uses in
time linear in its size: each name was looked for with a find over the whole file, so a file of 40,000
imported and rendered names took 35 s to scan (20,000: 8 s). Past a few hundred names the file's words
are now read once; the property test holds both ways of reading to the same answer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from depreport.cli import main
from depreport.extract import occurrences as module
from depreport.extract.occurrences import occurrences
from tests.helpers import count_calls

NAMES = ["Button", "B", "$x", "é", "Pane", "uton"]
PIECES = [*NAMES, " ", ".", "(", ")", "<", "</", "/", "...", "(0, ", "=", "require(", "\n", "é", "1", "_"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(PIECES), max_size=30),
    st.lists(st.sampled_from(NAMES), min_size=1, max_size=6),
    st.integers(min_value=0, max_value=40),
)
def test_reading_the_words_once_finds_what_a_find_per_name_finds(
    pieces: list[str], names: list[str], begin: int
) -> None:
    source = "".join(pieces).encode("utf-8")
    begin = min(begin, len(source))
    by_find = occurrences(source, names, begin)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(module, "_MANY", 0)  # every name set counts as many: the words are read once
        by_words = occurrences(source, names, begin)
    assert by_words == by_find


def test_many_names_are_not_looked_for_one_find_each(monkeypatch: pytest.MonkeyPatch) -> None:
    names = [f"I{i}" for i in range(1000)]
    source = ("".join(f"<{n} />;\n" for n in names)).encode()
    calls = count_calls(monkeypatch, module, "_each")
    assert len(occurrences(source, names)) == len(names)
    assert calls.count == 0


def test_a_file_rendering_thousands_of_imported_names_counts_each_use(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    names = [f"I{i}" for i in range(2000)]
    (tmp_path / "app.tsx").write_text(
        "import {\n" + "".join(f"  {n},\n" for n in names) + "} from 'icons';\n"
        + "".join(f"<{n} size={{1}} />;\n" for n in names),
        encoding="utf-8",
    )  # fmt: skip
    out = tmp_path / "report.json"
    assert (
        main(["scan", str(tmp_path), "--no-git", "--no-cache", "--progress", "never", "--out", str(out)]) == 0
    )
    report = json.loads(out.read_text(encoding="utf-8"))
    components = report["components"]["icons"]
    assert sorted(components) == sorted(names)
