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


BASE_URL: dict[str, str | bytes] = {  # jellyfin-web: "baseUrl": "src", style sheets imported by bare path
    "tsconfig.json": '{"compilerOptions": {"baseUrl": "src"}}',
    "src/apps/experimental/components/library/GuideView.tsx": (
        "import 'elements/emby-tabs/emby-tabs';\n"
        "import 'components/guide/guide.scss';\n"
        "import 'styles/scrollstyles.scss';\n"
        "import appIcon from 'assets/img/icon-transparent.png';\n"
        "import 'swiper/css';\n"
        "import 'material-design-icons-iconfont/dist/material-design-icons.css';\n"
    ),
    "src/elements/emby-tabs/emby-tabs.js": "import './emby-tabs.scss';\n",
    "src/components/guide/guide.js": "export default 1;\n",
    "src/components/guide/guide.scss": ".guide {}\n",
    "src/styles/scrollstyles.scss": ".scroll {}\n",
    "src/assets/img/icon-transparent.png": b"\x89PNG\r\n\x1a\n",
}


def test_files_that_are_not_modules_under_base_url_are_repo_paths(tmp_path: Path) -> None:
    root = git_repo(tmp_path / "web", BASE_URL)
    found = packages(scan(options(root), INFO))
    for path in ("src/components/guide/guide.scss", "src/styles/scrollstyles.scss",
                 "src/assets/img/icon-transparent.png", "src/elements/emby-tabs/emby-tabs"):  # fmt: skip
        assert found.pop(path) == "tsconfig-paths", path
    assert found == {
        "material-design-icons-iconfont": "npm",  # no such file under src: the npm package
        "swiper": "npm",
        "src/elements/emby-tabs/emby-tabs.scss": "relative",
    }


def test_a_scan_from_a_pack_resolves_them_as_a_cold_scan_does(tmp_path: Path) -> None:
    root = git_repo(tmp_path / "web", {**BASE_URL, **{f"src/m{n}.ts": "export {};\n" for n in range(8)}})
    first = scan(options(root), INFO, keep=True)
    write_files(root, {"src/components/list.ts": "import 'components/guide/guide.scss';\n"})
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "list")
    assert first.pack is not None
    second = scan(options(root), INFO, previous=decode_pack(encode_pack(first.pack)))
    assert second.restored
    assert second.report_json() == scan(options(root), INFO).report_json()
    assert packages(second)["src/components/guide/guide.scss"] == "tsconfig-paths"
