"""Images, styles, fonts and JSON imported through aliases are repo paths in a real scan, never npm packages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from depreport.config import load_config
from depreport.runinfo import RunInfo
from depreport.scan.assembly import ScanOptions
from depreport.scan.pack import decode_pack, encode_pack
from depreport.scan.pipeline import Scan, scan
from tests.helpers import git, git_repo, write_files

pytestmark = pytest.mark.integration

INFO = RunInfo(repo="acme/web", commit="0" * 40, branch="main", generated_at="2026-01-05T10:00:00Z")
TSCONFIG = """{
  // comments, as tsconfig files are written
  "compilerOptions": {
    "baseUrl": ".",
    "paths": {"@assets/*": ["src/assets/*"], "@shared/*": ["src/shared/*", "lib/*"], "@/*": ["src/*"]},
  },
}"""
APP = """import logo from '@assets/images/logo.svg';
import '@/styles/main.scss';
import countries from '@/data/countries.json';
import Icon from '@assets/icons/close.svg?react';
import { Button } from '@/ui/Button';
import { helper } from '@shared/helper';
import 'normalize.css';
"""
START: dict[str, str | bytes] = {
    "tsconfig.json": TSCONFIG,
    "src/App.tsx": APP,
    "src/ui/Button.tsx": "import { Pane } from 'evergreen-ui';\nimport './Button.css';\n",
    "src/assets/images/logo.svg": "<svg/>",
    **{f"src/m{n}.ts": f"import x from './m{n + 1}';\n" for n in range(8)},
}


def options(root: Path) -> ScanOptions:
    return ScanOptions(root=root, config=load_config(root), jobs=1, cache_dir=None)


def packages(found: Scan) -> dict[str, Any]:
    report = json.loads(found.report_json())
    return {name: entry["resolved_as"] for name, entry in report["packages"].items()}


def test_non_code_imports_through_aliases_are_repo_paths(tmp_path: Path) -> None:
    found = packages(scan(options(git_repo(tmp_path / "web", START)), INFO))
    assert found["src/assets/images/logo.svg"] == found["src/assets/icons/close.svg"] == "tsconfig-paths"
    assert found["src/styles/main.scss"] == found["src/data/countries.json"] == "tsconfig-paths"
    assert found["src/ui/Button.css"] == "relative"
    assert found["src/shared/helper"] == "tsconfig-paths"  # no such module yet: the first target
    assert found["normalize.css"] == found["evergreen-ui"] == "npm"
    assert not any(name.startswith(("@assets", "@/", "@shared")) for name in found)


def test_adding_the_module_an_alias_names_re_resolves_its_importers(tmp_path: Path) -> None:
    root = git_repo(tmp_path / "web", START)
    first = scan(options(root), INFO, keep=True)
    write_files(root, {"lib/helper.ts": "export const helper = 1;\n"})
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "helper")
    assert first.pack is not None
    previous = decode_pack(encode_pack(first.pack))
    second = scan(options(root), INFO, previous=previous)
    assert second.restored
    assert second.report_json() == scan(options(root), INFO).report_json()
    found = packages(second)
    assert "lib/helper" in found and "src/shared/helper" not in found
