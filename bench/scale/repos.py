"""The synthetic organisation: one sample app built once, and clones of it that differ in a last commit.

`fixtures/sample_app` builds a ~430-file React app with 26 weeks of weekly commits (seeded: every build
gives the same commits). Every other repo is a `git clone` of it (full history, objects hard-linked) with
one more commit in the last week that adds a screen importing a few Evergreen components, a different
number per clone, so the repos' latest numbers differ. The numbers are about the pipeline, not about
how different the repos are: each repo is still scanned on its own, with its own extraction cache.
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

from fixtures.sample_app.build import build_sample_repo
from fixtures.sample_app.gitrepo import GitRepo

WEEKS = 26
ORG = "acme"
_READY = "READY"  # written last: its text is the number of repos the folder holds
_COMPONENTS = ("Button", "Pane", "Text", "Heading", "Badge", "Spinner", "Tooltip", "Dialog", "Table")


def repo_name(index: int) -> str:
    """The store name of the index-th repo (1-based)."""
    return f"{ORG}/app-{index:03d}"


def ensure_repos(folder: Path, count: int, rebuild: bool = False) -> list[Path]:
    """The `count` repos under `folder`, built unless a previous build made at least as many."""
    ready = folder / _READY
    if rebuild or not (ready.exists() and int(ready.read_text()) >= count):
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        build(folder, count)
        ready.write_text(str(count))
    return [folder / f"app-{index:03d}" for index in range(1, count + 1)]


def build(folder: Path, count: int) -> None:
    """Build the sample app once, then clone it `count` times and give each clone its own last commit."""
    history = build_sample_repo(folder / "base", WEEKS)
    last = history.weeks[-1]
    # An hour after the last commit: the same ISO week, so a backfill still plans 26 weeks.
    when = datetime.fromisoformat(last.time.replace("Z", "+00:00")) + timedelta(hours=1)
    for index in range(1, count + 1):
        clone = folder / f"app-{index:03d}"
        subprocess.run(["git", "clone", "--quiet", str(folder / "base"), str(clone)], check=True)
        repo = GitRepo(clone)
        repo.write({f"src/pages/Variant{index:03d}.tsx": variant_screen(index)})
        repo.commit(f"Add variant screen {index}", when)


def variant_screen(index: int) -> str:
    """A screen importing 1 to 9 Evergreen v4 components (how many depends on the index)."""
    used = _COMPONENTS[: 1 + index % len(_COMPONENTS)]
    body = "\n".join(f"      <{name} />" for name in used)
    return (
        "import React from 'react';\n"
        f"import {{ {', '.join(used)} }} from 'evergreen-ui';\n\n"
        f"export default function Variant{index:03d}() {{\n"
        f"  return (\n    <>\n{body}\n    </>\n  );\n}}\n"
    )


def repos_file(repos: list[Path], dest: Path) -> Path:
    """The `--repos` file of `depreport backfill`: one `PATH org/name` line per repo."""
    lines = [f"{path} {repo_name(index)}" for index, path in enumerate(repos, 1)]
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return dest
