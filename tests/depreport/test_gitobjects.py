"""Reading blobs from a real git repository's object store."""

from __future__ import annotations

from pathlib import Path

import pytest

from depreport.scan import gitobjects
from depreport.scan.gitobjects import BlobReader, list_tree
from tests.helpers import git, git_repo

pytestmark = pytest.mark.integration


def test_many_blobs_are_read_at_once_and_a_missing_one_is_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files: dict[str, str | bytes] = {f"src/f{i}.js": f"import a{i} from 'p{i}';\n" * i for i in range(40)}
    files["src/empty.js"] = ""
    files["src/binary.bin"] = bytes(range(256)) * 3  # newlines and NULs inside a blob
    git_repo(tmp_path, files)
    tree = list_tree(tmp_path, git(tmp_path, "rev-parse", "HEAD").strip())
    missing = "0" * 40
    asked = [tree["src/f3.js"], missing, *sorted(tree.values())]
    monkeypatch.setattr(gitobjects, "_ASKED_AT_ONCE", 7)  # several rounds of questions
    reader = BlobReader(tmp_path)
    try:
        found = reader.read_many(asked)
        assert missing not in found
        by_path = {path: found[blob] for path, blob in tree.items()}
        expected = {p: (c.encode() if isinstance(c, str) else c) for p, c in files.items()}
        assert by_path == expected
        assert reader.read(tree["src/f5.js"]) == expected["src/f5.js"]  # still in step after a miss
        with pytest.raises(OSError, match="no object"):
            reader.read(missing)
    finally:
        reader.close()
