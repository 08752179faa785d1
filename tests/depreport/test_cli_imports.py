"""A command imports what it runs: a warm scan in CI does not pay for codemods, pandas or the dashboard."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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
