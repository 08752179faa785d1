"""`depreport adoption` on scanned repos: instances, direct and indirect dependence, wrappers, old runs."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from depreport.cli import main
from depreport.history.publish import publish
from depreport.store import LocalStore
from tests.helpers import git_repo

pytestmark = pytest.mark.integration

CONFIG = """
[[groups]]
name = "Acme DS"
packages = ["@acme/ds"]
target = true

[[groups]]
name = "Evergreen"
packages = ["evergreen-ui"]
"""

FILES: dict[str, str | bytes] = {
    "package.json": '{"name": "app"}',
    "depreport.toml": CONFIG,
    # a wrapper that renders the legacy Button, one that passes it to styled(), and a barrel of both
    "src/ui/Button.tsx": "import { Button as EgButton } from 'evergreen-ui';\n"
    "export const Button = (props: any) => <EgButton appearance='primary' {...props} />;\n",
    "src/ui/Link.tsx": "import styled from 'styled-components';\nimport { Link as EgLink } from 'evergreen-ui';\n"
    "export const Link = styled(EgLink)`color: red;`;\n",
    "src/ui/index.ts": "export { Button } from './Button';\nexport { Link } from './Link';\n",
    # pages reach Evergreen only through the wrappers; the app only through the pages
    "src/pages/Home.tsx": "import { Button } from '../ui';\nexport const Home = () => <Button>Hi</Button>;\n",
    "src/pages/About.tsx": "import { Link } from '../ui';\nimport { Home } from './Home';\n"
    "export const About = () => <><Link href='/'>home</Link><Home /></>;\n",
    "src/App.tsx": "import { About } from './pages/About';\nimport { Button, Card } from '@acme/ds';\n"
    "export const App = () => <Card><About /><Button /><Button kind='x' /></Card>;\n",
    # a file that imports Evergreen itself, and a theme that imports it without rendering anything
    "src/Legacy.tsx": "import { Pane } from 'evergreen-ui';\nexport const L = () => <Pane />;\n",
    "src/theme.ts": "import type { Theme } from 'evergreen-ui';\nexport const theme: Theme | null = null;\n",
    "src/main.tsx": "import { theme } from './theme';\nimport { App } from './App';\nconsole.log(theme, App);\n",
}


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    root = git_repo(tmp_path_factory.mktemp("app") / "app", FILES)
    out = root.parent / "report.json"
    assert main(["scan", str(root), "--format", "json", "--out", str(out), "--no-cache"]) == 0
    return root, json.loads(out.read_text())


def adoption(capsys: pytest.CaptureFixture[str], root: Path, report: Path, *args: str) -> str:
    code = main(["adoption", "--report", str(report), "--config", str(root / "depreport.toml"), *args])
    assert code == 0
    return capsys.readouterr().out


def test_direct_and_indirect_files_side_by_side(
    scanned: tuple[Path, dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    root, _ = scanned
    out = json.loads(adoption(capsys, root, root.parent / "report.json", "--format", "json"))
    groups = {g["group"]: g for g in out["groups"]}
    evergreen = groups["Evergreen"]
    # Button.tsx, Link.tsx, Legacy.tsx and theme.ts import it (the type-only import counts, by default)
    assert evergreen["files_direct"] == 4
    # Home (Button wrapper, through the barrel), About (Link wrapper), App (through About), main (through
    # App; theme.ts renders nothing of it, so is no wrapper) and the barrel itself (it loads the wrappers)
    assert evergreen["files_indirect"] == 5
    assert {(w["module"], w["group"], w["importers"]) for w in out["wrappers"]} == {
        ("src/ui/Button.tsx", "Evergreen", 2),  # Home, and the barrel
        ("src/ui/Link.tsx", "Evergreen", 2),
        ("src/App.tsx", "Acme DS", 1),  # pages reach Evergreen through wrappers but import none of it
    }
    assert groups["Acme DS"]["files_indirect"] == 1  # main.tsx, through App


def test_instances_are_a_metric(
    scanned: tuple[Path, dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    root, _ = scanned
    out = adoption(capsys, root, root.parent / "report.json", "--metric", "instances", "--format", "csv")
    rows = {row["group"]: row for row in csv.DictReader(io.StringIO(out))}
    # Acme DS: <Card>, <Button>, <Button kind>; Evergreen: <EgButton>, <Pane>, (the styled() is a value)
    assert (rows["Acme DS"]["instances"], rows["Evergreen"]["instances"]) == ("3", "2")
    assert rows["Acme DS"]["share_of_instances_pct"] == "60.0"
    assert rows["Evergreen"]["files_indirect"] == "5"


def test_the_table_names_the_wrappers(
    scanned: tuple[Path, dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    root, _ = scanned
    out = adoption(capsys, root, root.parent / "report.json")
    assert "5 more files reach them only through local modules" in out
    assert "local wrappers" in out and "src/ui/Link.tsx" in out


def test_the_table_lists_the_most_imported_wrappers_and_json_all(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """acme/dashboard of the demo has 269 wrappers, saleor-dashboard 1,111: a terminal gets each group's top."""
    files: dict[str, str | bytes] = {"package.json": '{"name": "app"}', "depreport.toml": CONFIG}
    for n in range(12):
        files[f"src/ui/W{n:02}.tsx"] = (
            f"import {{ Pane }} from 'evergreen-ui';\nexport const W{n:02} = () => <Pane />;\n"
        )
        for page in range(12 - n):  # W00 has the most importers
            files[f"src/pages/P{n:02}x{page:02}.tsx"] = (
                f"import {{ W{n:02} }} from '../ui/W{n:02}';\nW{n:02};\n"
            )
    root = git_repo(tmp_path / "app", files)
    report = tmp_path / "report.json"
    assert main(["scan", str(root), "--format", "json", "--out", str(report), "--no-cache"]) == 0
    capsys.readouterr()
    out = adoption(capsys, root, report)
    assert "(the 10 most imported of each group; 2 more in --format json)" in out
    assert "src/ui/W09.tsx" in out and "src/ui/W10.tsx" not in out
    every = json.loads(adoption(capsys, root, report, "--format", "json"))["wrappers"]
    assert len(every) == 12


def older(report: dict[str, Any]) -> dict[str, Any]:
    """The report as a version that counted no uses and kept no graph would have made it."""
    old = json.loads(json.dumps(report))
    del old["usage"]["uses"], old["usage"]["graph"]
    return old


def test_a_report_made_before_instances_says_so(
    scanned: tuple[Path, dict[str, Any]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, report = scanned
    path = tmp_path / "old.json"
    path.write_text(json.dumps(older(report)))
    config = ["--config", str(root / "depreport.toml")]
    assert main(["adoption", "--report", str(path), "--metric", "instances", *config]) == 2
    assert "before depreport counted component instances" in capsys.readouterr().err
    assert main(["adoption", "--report", str(path), "--format", "json", *config]) == 0
    captured = capsys.readouterr()
    assert {g["files_indirect"] for g in json.loads(captured.out)["groups"]} == {None}  # unknown, not 0
    assert "no local import graph" in captured.err


def test_history_by_instances_leaves_out_runs_that_did_not_count_them(
    scanned: tuple[Path, dict[str, Any]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, report = scanned
    store = LocalStore(str(tmp_path / "store"))
    monday = datetime(2026, 1, 5, 10, tzinfo=UTC)
    for week, made in enumerate([older(report), older(report), report]):
        when = (monday + timedelta(weeks=week)).strftime("%Y-%m-%dT%H:%M:%SZ")
        publish(store, {**made, "repo": "acme/app", "commit": f"{week:040x}", "generated_at": when})
    args = ["adoption", "--store", store.uri, "--repo", "acme/app", "--format", "json"]
    args += ["--config", str(root / "depreport.toml")]
    assert main([*args, "--metric", "instances"]) == 0
    captured = capsys.readouterr()
    result = json.loads(captured.out)
    assert [w["week"] for w in result["weeks"]] == ["2026-01-19"]
    assert "acme/app: 2 runs stored before depreport counted component instances" in captured.err
    assert "left out of the instance shares" in captured.err
    head = result["latest"]["groups"][0]
    assert (head["group"], head["share"], head["instances"]) == ("Acme DS", 60.0, 3)
    assert main(args) == 0
    captured = capsys.readouterr()
    assert "2 runs stored before" in captured.err and "left blank" in captured.err
    weeks = json.loads(captured.out)["weeks"]
    evergreen = [{g["group"]: g for g in w["groups"]}["Evergreen"] for w in weeks]
    assert [g["files_indirect"] for g in evergreen] == [None, None, 5]
    assert [g["instances"] for g in evergreen] == [None, None, 2]
