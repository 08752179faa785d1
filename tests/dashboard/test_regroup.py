"""The dashboard and the static report count history under today's groups (`--config`, depreport.toml),
as `depreport adoption` does, not under the groups each run was stored with: found on real stores where
a split group, groups matching nothing and repos stored with other groups all showed the stored numbers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dashboard.markup import md_text
from dashboard.source import read_history
from depreport.cli import main
from depreport.config import load_config
from depreport.store import open_store
from tests.dashboard.apptest import run_app
from tests.helpers import git_repo

pytestmark = pytest.mark.integration

STORED = '[[groups]]\nname = "DS"\npackages = ["ds", "ds-icons"]\ntarget = true\n\n[[groups]]\nname = "Old"\npackages = ["old"]\n'
TODAY = '[[groups]]\nname = "DS"\npackages = ["ds"]\ntarget = true\n\n[[groups]]\nname = "Icons"\npackages = ["ds-icons"]\n\n[[groups]]\nname = "Old"\npackages = ["old"]\n'
FILES = {
    "src/a.ts": "import { Button } from 'ds';\nimport { Star } from 'ds-icons';\n",
    "src/b.ts": "import { Pane } from 'old';\nimport { Card } from 'ds';\n",
}


@pytest.fixture
def store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    repo = git_repo(tmp_path / "repo", {**FILES, "depreport.toml": STORED})
    folder = tmp_path / "store"
    code = main(["scan", str(repo), "--publish", str(folder), "--repo", "org/app", "--no-cache",
                 "--progress", "never", "--out", str(tmp_path / "out.txt")])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    (tmp_path / "today.toml").write_text(TODAY)
    return folder


def test_history_is_counted_under_todays_groups(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    groups = load_config(tmp_path, tmp_path / "today.toml").groups
    frame = read_history(open_store(str(store)), groups=groups).frame
    shown = dict(zip(frame["group"], frame["imports"], strict=True))
    assert shown == {"DS": 2, "Icons": 1, "Old": 1}
    assert (
        main(
            ["adoption", "--store", str(store), "--config", str(tmp_path / "today.toml"), "--format", "json"]
        )
        == 0
    )
    cli = json.loads(capsys.readouterr().out)
    assert {g["group"]: g["imports"] for g in cli["latest"]["groups"]} == shown
    stored = dict(
        zip(*(read_history(open_store(str(store))).frame[k] for k in ("group", "imports")), strict=True)
    )
    assert stored == {"DS": 3, "Old": 1}  # without groups of today: as each run was made


def test_the_static_report_uses_todays_groups(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "page.html"
    code = main(
        ["report", "--store", str(store), "--config", str(tmp_path / "today.toml"), "--out", str(page)]
    )
    assert code == 0, capsys.readouterr().err
    text = page.read_text(encoding="utf-8")
    assert 'DS: share of imports</p><p class="value">50.0%' in text  # 2 of 4 imports; stored: 3 of 4
    assert "75.0%" not in text


def test_the_no_groups_page_shows_its_example_on_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Its `[[groups]]` example and setup commands were one line with literal `\\x0a` in them."""
    repo = git_repo(tmp_path / "repo", FILES)
    main(["scan", str(repo), "--publish", str(tmp_path / "store"), "--repo", "org/app", "--no-cache",
          "--progress", "never", "--out", str(tmp_path / "out.txt")])  # fmt: skip
    page = tmp_path / "page.html"
    assert main(["report", "--store", str(tmp_path / "store"), "--out", str(page)]) == 0
    capsys.readouterr()
    text = page.read_text(encoding="utf-8")
    assert "carry no adoption groups" in text and "\\x0a" not in text and "[[groups]]\nname =" in text
    assert "nothing is known to be left to migrate" in text and "is that rare" not in text


def test_runs_made_with_different_groups_are_said_so_on_the_page(
    store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Found on a store of jaeger-ui (target: Testing Library) and frontend-app-learning (target:
    @openedx/paragon): `depreport adoption` noted the mixed groups, the dashboard and the static report
    showed one repo's target over the other's groups without a word."""
    other = git_repo(tmp_path / "other", {**FILES, "depreport.toml": TODAY})
    code = main(["scan", str(other), "--publish", str(store), "--repo", "org/other", "--no-cache",
                 "--progress", "never", "--out", str(tmp_path / "out.txt")])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    assert main(["adoption", "--store", str(store), "--format", "json"]) == 0
    [note] = [line for line in capsys.readouterr().err.splitlines() if "different group definitions" in line]
    history = read_history(open_store(str(store)))
    assert [f"depreport: note: {n}" for n in history.notes] == [note] and history.problems == []
    page = tmp_path / "page.html"
    assert main(["report", "--store", str(store), "--out", str(page)]) == 0
    assert f'<p class="warning">{history.notes[0]}</p>' in page.read_text(encoding="utf-8")
    app = run_app(monkeypatch, store)
    assert [warning.value for warning in app.warning] == [md_text(history.notes[0])]
    today = load_config(tmp_path, tmp_path / "today.toml").groups
    assert read_history(open_store(str(store)), groups=today).notes == []  # one definition: today's
