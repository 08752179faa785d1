"""A command imports what it runs: a warm scan in CI does not pay for codemods, pandas or the dashboard;
`--version` imports no command, and a command that only reads the store neither the scan nor the parsers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = """
import json, sys
from depreport.cli import main
code = main(sys.argv[1:])
heavy = sorted({m.split('.')[0] for m in sys.modules} & {'codemods', 'dashboard', 'pandas', 'streamlit', 'boto3', 'libcst'})
print(json.dumps([code, heavy]))
"""


def _run(*argv: str) -> tuple[int, list[str]]:
    done = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, check=True)
    code, heavy = json.loads(done.stdout.strip().splitlines()[-1])
    return code, heavy


def test_scan_imports_no_codemods_pandas_or_dashboard(tmp_path: Path) -> None:
    (tmp_path / "a.js").write_text("import { Button } from 'evergreen-ui';\n")
    out = tmp_path / "report.json"
    code, heavy = _run(
        "scan", str(tmp_path), "--format", "json", "--out", str(out), "--progress", "never", "--no-cache"
    )
    assert code == 0 and "evergreen-ui" in json.loads(out.read_text())["packages"]
    assert heavy == []


def test_migrate_still_loads_the_codemods(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text('[[rule]]\nfrom = "old-ui"\nto = "new-ui"\n')
    (tmp_path / "a.js").write_text("import { Button } from 'old-ui';\n")
    code, heavy = _run("migrate", str(rules), str(tmp_path))
    assert code == 0 and "codemods" in heavy


MODULES = """
import json, sys
from depreport.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(m for m in sys.modules if m.startswith(("depreport", "tree_sitter")))))
"""


def _imported(*argv: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", MODULES, *argv], capture_output=True, text=True, check=True)
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_version_imports_no_command() -> None:
    imported = _imported("--version")
    assert "depreport.cli" in imported
    assert not {m for m in imported if m.startswith("depreport.cli.") and m != "depreport.cli.output"}


@pytest.mark.parametrize("command", ["adoption", "reports", "export", "dashboard", "query"])
def test_a_command_that_does_not_scan_imports_no_scan(command: str) -> None:
    imported = _imported(command, "--help")
    assert f"depreport.cli.{command}" in imported  # the probe did build the command's parser
    assert not imported & {"depreport.scan.pipeline", "depreport.scan.assembly", "depreport.extract"}
    assert not any(m.startswith("tree_sitter_") for m in imported)  # no grammar loaded


def test_scan_imports_the_scan() -> None:
    assert "depreport.scan.pipeline" in _imported("scan", "--help")
