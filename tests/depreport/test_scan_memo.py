"""The scan memo: a re-scan with nothing changed writes the last scan's report from the cache, as it was."""

from __future__ import annotations

import marshal
import sqlite3
import zlib
from pathlib import Path

import pytest

from depreport import textslices
from depreport.cli import output
from depreport.runinfo import RunInfo
from depreport.scan import cache as cache_module
from depreport.scan.assembly import ScanOptions
from depreport.scan.cache import ExtractionCache, ScanMemo, cache_file
from depreport.scan.pipeline import scan
from tests.helpers import git_repo

pytestmark = pytest.mark.integration
INFO = RunInfo(repo="acme/web", commit="0" * 40, branch="main", generated_at="2026-01-05T10:00:00Z")
FILES = {
    # JSX instances make a components block, whose text is kept per entry (a str subclass)
    "src/app.tsx": "import { Button } from 'evergreen-ui';\nexport const A = () => <Button appearance='primary' />;\n",
    "src/b.ts": "import debounce from 'lodash/debounce';\nimport { a } from './c';\n",
    "src/c.ts": "export const a = 1;\n",
}


def _memos(cache: Path) -> int:
    with sqlite3.connect(cache_file(cache)) as db:
        count: int = db.execute("SELECT count(*) FROM scan").fetchone()[0]
    return count


def test_a_rescan_writes_the_memo_bytes_and_keeps_the_cache(tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "repo", FILES)
    options = ScanOptions(repo, cache_dir=tmp_path / "cache")
    first = scan(options, INFO)
    assert cache_file(tmp_path / "cache").exists() and _memos(tmp_path / "cache") == 1
    again = scan(options, INFO)
    assert again.outline is None  # from the memo: no index was built
    assert again.report_json() == first.report_json()
    assert '"Button"' in again.parts()["components"]


def test_a_rescan_knows_the_unresolved_imports_without_decoding_the_report(tmp_path: Path) -> None:
    """Saying the imports that resolve to nothing decoded every block of a memo's report (38 MB on the
    bench corpus): a warm scan took 2.1 s instead of 0.9 s. The memo keeps them beside the problems."""
    repo = git_repo(tmp_path / "repo", {**FILES, "src/d.ts": "import Old from '@/legacy/Old';\n"})
    options = ScanOptions(repo, cache_dir=tmp_path / "cache")
    first = scan(options, INFO)
    again = scan(options, INFO)
    assert again.outline is None  # from the memo
    assert first.unresolved == again.unresolved == {"@/legacy/Old": 1}
    assert again.totals == first.totals and again.totals["files_seen"] == 4  # read from its own block
    assert again.body is None  # no block was decoded as a whole


def test_a_memo_of_an_earlier_layout_without_unresolved_imports_is_no_memo(tmp_path: Path) -> None:
    cache = ExtractionCache(tmp_path)
    cache.remember_scan("/repo", "d1", ScanMemo({"packages": "{}"}, [], None, {"@/a": 2}, {"hooks": 3}))
    assert ExtractionCache(tmp_path).scan_memo("/repo", "d1", records=False) == ScanMemo(
        {"packages": "{}"}, [], None, {"@/a": 2}, {"hooks": 3}
    )
    with sqlite3.connect(cache_file(tmp_path)) as db:  # kept before the folders of src/ were said
        db.execute("""UPDATE scan SET problems = '{"problems": [], "unresolved": {}}'""")
    assert ExtractionCache(tmp_path).scan_memo("/repo", "d1", records=False) is None
    with sqlite3.connect(cache_file(tmp_path)) as db:
        db.execute("UPDATE scan SET problems = '[]'")  # problems alone, as earlier versions kept them
    assert ExtractionCache(tmp_path).scan_memo("/repo", "d1", records=False) is None


def test_a_memo_is_stored_block_by_block_and_one_compressed_earlier_is_read(tmp_path: Path) -> None:
    cache = ExtractionCache(tmp_path)
    body = {"packages": '{"x":{}}', "totals": "{}"}
    cache.remember_scan("/repo", "d1", ScanMemo(body, [], "{}\n"))
    with sqlite3.connect(cache_file(tmp_path)) as db:
        rows = dict(db.execute("SELECT key, text FROM scan_block"))
        assert rows == {"packages#000000": '{"x":{}}', "totals#000000": "{}"}  # as it is: short, one row
        old = (zlib.compress(marshal.dumps(body), 1), zlib.compress(b"{}\n", 1))
        db.execute("UPDATE scan SET body = ?, records = ?", old)  # the layout of earlier versions
        db.execute("DELETE FROM scan_block")
    assert ExtractionCache(tmp_path).scan_memo("/repo", "d1", records=True) == ScanMemo(body, [], "{}\n")


def test_a_memo_missing_a_block_is_no_memo(tmp_path: Path) -> None:
    cache = ExtractionCache(tmp_path)
    cache.remember_scan("/repo", "d1", ScanMemo({"packages": "{}", "totals": "{}"}, []))
    with sqlite3.connect(cache_file(tmp_path)) as db:
        db.execute("DELETE FROM scan_block WHERE key = 'totals#000000'")
    assert ExtractionCache(tmp_path).scan_memo("/repo", "d1", records=False) is None


def test_a_long_block_is_kept_in_pieces_and_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bound whole, a 21 MB block is copied twice more by SQLite at a scan's peak of memory."""
    monkeypatch.setattr(cache_module, "_ROW_CHARACTERS", 4)
    body = {"packages": '{"é":{"€":[1,22]}}', "totals": "{}", "usage": ""}
    ExtractionCache(tmp_path).remember_scan("/repo", "d1", ScanMemo(body, []))
    with sqlite3.connect(cache_file(tmp_path)) as db:
        pieces = [text for key, text in db.execute("SELECT key, text FROM scan_block ORDER BY key")]
    assert pieces == ['{"é"', ':{"€', '":[1', ",22]", "}}", "{}", ""]
    assert ExtractionCache(tmp_path).scan_memo("/repo", "d1", records=False) == ScanMemo(body, [])
    with sqlite3.connect(cache_file(tmp_path)) as db:
        db.execute("DELETE FROM scan_block WHERE key = 'packages#000002'")  # a piece missing: no memo
    assert ExtractionCache(tmp_path).scan_memo("/repo", "d1", records=False) is None


def test_a_report_is_written_slice_by_slice_as_one_encode_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(textslices, "SLICE", 3)  # slices end inside words, beside "é", "€" and a surrogate
    text = '{"a":"é€x","b":"\udcff"}\n' * 5
    out = tmp_path / "report.json"
    output.write_text(str(out), text)
    assert out.read_bytes() == text.encode("utf-8", "backslashreplace")
    output.write_text(str(out), (text[:7], "", text[7:]))  # in pieces, one after the other
    assert out.read_bytes() == text.encode("utf-8", "backslashreplace")
    output.write_text(str(out), "")
    assert out.read_bytes() == b""
