"""The tools under test: installing the pinned peers, the command line of each tool, and timing a run.

Every command here reads a corpus folder (bench/.corpus/full or bench/.corpus/sample) that holds exactly
the files of the corpus list, so every tool is told the same files.
"""

from __future__ import annotations

import contextlib
import filecmp
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
PEERS_SRC = BENCH / "peers"
PEERS_DIR = BENCH / ".peers"
NODE_MODULES = PEERS_DIR / "node_modules"
# npm 11 does not run @ast-grep/cli's postinstall, so the platform package's binary is called directly.
AST_GREP = NODE_MODULES / "@ast-grep" / "cli-linux-x64-gnu" / "ast-grep"
DEPENDENCY_REPORT = NODE_MODULES / "@segment" / "dependency-report" / "lib" / "cli.js"
REACT_SCANNER = NODE_MODULES / "react-scanner" / "bin" / "react-scanner"
GLOB = "**/*.{js,jsx,mjs,cjs,ts,tsx,mts,cts}"
THREADS = 2

# dependency-report keeps plain objects keyed by export name and specifier, so an import named after an
# Object.prototype member (e.g. `import {toString} from ...`) makes it throw and abort the whole run.
PROTOTYPE_NAMES = frozenset(
    {
        "constructor", "hasOwnProperty", "isPrototypeOf", "propertyIsEnumerable", "toLocaleString",
        "toString", "valueOf", "__proto__", "__defineGetter__", "__defineSetter__", "__lookupGetter__",
        "__lookupSetter__",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Run:
    """One run of a command: wall-clock seconds, and CPU seconds (user + system) of its processes."""

    wall: float
    cpu: float


@dataclass(frozen=True)
class Timing:
    """Every run of one command; the fastest (wall clock) counts."""

    runs: tuple[Run, ...]

    @property
    def best(self) -> float:
        """Wall-clock seconds of the fastest run."""
        return min(run.wall for run in self.runs)

    @property
    def cpu(self) -> float:
        """CPU seconds of the fastest run."""
        return min(self.runs, key=lambda run: run.wall).cpu


@dataclass(frozen=True)
class Command:
    """A command line with where it runs, its extra environment, and where its stdout goes."""

    argv: list[str]
    cwd: Path = REPO
    env: dict[str, str] | None = None
    stdout: Path | None = None


def install_peers() -> bool:
    """Install the pinned peers into bench/.peers with `npm ci`, unless already there; True if installed."""
    PEERS_DIR.mkdir(exist_ok=True)
    manifests = ("package.json", "package-lock.json")
    same = all(
        (PEERS_DIR / name).exists() and filecmp.cmp(PEERS_SRC / name, PEERS_DIR / name, shallow=False)
        for name in manifests
    )
    if same and AST_GREP.exists() and DEPENDENCY_REPORT.exists() and REACT_SCANNER.exists():
        return False
    for name in manifests:
        shutil.copyfile(PEERS_SRC / name, PEERS_DIR / name)
    subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=PEERS_DIR,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return True


def peer_versions() -> dict[str, str]:
    """Installed version of each peer package, by name."""
    names = ("@ast-grep/cli", "@babel/parser", "@segment/dependency-report", "react-scanner")
    return {n: json.loads((NODE_MODULES / n / "package.json").read_text("utf-8"))["version"] for n in names}


def children_cpu() -> float:
    """CPU seconds of the finished child processes (and theirs), so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_command(command: Command, stderr: Path) -> Run:
    """Run a command to completion and measure it; raise if it fails."""
    env = {**os.environ, **(command.env or {})}
    with contextlib.ExitStack() as files:
        out = files.enter_context(command.stdout.open("wb")) if command.stdout else subprocess.DEVNULL
        err = files.enter_context(stderr.open("wb"))
        cpu, start = children_cpu(), time.perf_counter()
        completed = subprocess.run(
            command.argv, cwd=command.cwd, env=env, stdout=out, stderr=err, check=False
        )
        run = Run(time.perf_counter() - start, children_cpu() - cpu)
    if completed.returncode != 0:
        tail = stderr.read_text("utf-8", errors="replace")[-2000:]
        raise RuntimeError(f"{command.argv[0]} exited with {completed.returncode}:\n{tail}")
    return run


# An empty PYTHONDONTWRITEBYTECODE turns it off: depreport runs with its bytecode cached, as pip leaves it.
INSTALLED = {"PYTHONDONTWRITEBYTECODE": ""}


def as_installed(source: Path = REPO) -> dict[str, str]:
    """Compile the bytecode of depreport in `source` (once, before timing) and return the environment that
    uses it. pip compiles an installed package; with PYTHONDONTWRITEBYTECODE set (as in containers and
    CI images) a checkout would compile ~180 modules at every start of the command and of each worker,
    about 0.2 s of CPU each time, which no installed depreport pays."""
    env = {**os.environ, **INSTALLED}
    packages = [name for name in ("depreport", "codemods") if (source / name).is_dir()]
    argv = [sys.executable, "-m", "compileall", "-q", *packages]
    subprocess.run(argv, cwd=source, env=env, check=True, stdout=subprocess.DEVNULL)
    return env


def depreport_command(target: Path, out: Path, cache_dir: Path, fmt: str, source: Path = REPO) -> Command:
    """`depreport scan` over a corpus folder, with its own cache folder and every default exclude off.

    It runs as `python -m depreport` in `source`, so the depreport of that checkout is the one measured.
    """
    return Command(
        [
            sys.executable, "-m", "depreport", "scan", str(target), "--format", fmt, "--out", str(out),
            "--jobs", str(THREADS), "--cache-dir", str(cache_dir), "--no-default-excludes", "--no-git",
            "--progress", "never",
        ],
        cwd=source, env=INSTALLED,
    )  # fmt: skip


def depreport_version(source: Path = REPO) -> str:
    """`depreport --version` of the checkout in `source`."""
    argv = [sys.executable, "-m", "depreport", "--version"]
    return subprocess.run(argv, cwd=source, capture_output=True, text=True, check=True).stdout.strip()


def ast_grep_command(target: Path, out: Path) -> Command:
    """ast-grep with the import rule file, 2 threads, every ignore file off (the corpus is git-ignored)."""
    no_ignore = [
        arg for kind in ("hidden", "dot", "vcs", "parent", "global") for arg in ("--no-ignore", kind)
    ]
    rules = str(PEERS_SRC / "imports.yml")
    argv = [
        str(AST_GREP),
        "scan",
        "-r",
        rules,
        "--threads",
        str(THREADS),
        "--json=stream",
        *no_ignore,
        str(target),
    ]
    return Command(argv, stdout=out)


def dependency_report_command(target: Path, excluded: Iterable[str], out: Path) -> Command:
    """dependency-report (TypeScript+JSX parser) over the folder, minus the files that would abort it."""
    negations = [f"!{path}" for path in sorted(excluded)]
    argv = ["node", str(DEPENDENCY_REPORT), GLOB, *negations, "--parser", "typescript"]
    return Command(argv, cwd=target, stdout=out)


def react_scanner_command(target: Path, out: Path) -> Command:
    """react-scanner with the committed config, crawling the folder."""
    argv = ["node", str(REACT_SCANNER), "-c", str(PEERS_SRC / "react-scanner.config.js")]
    return Command(argv, env={"BENCH_CRAWL_FROM": str(target), "BENCH_REPORT": str(out)})


def reference_command(target: Path, file_list: Path, out: Path) -> Command:
    """The @babel/parser reference extractor over the files of a list."""
    argv = ["node", str(PEERS_SRC / "reference.js"), str(target), str(file_list), str(out)]
    return Command(argv, env={"NODE_PATH": str(NODE_MODULES)})


def files_aborting_dependency_report(reference_jsonl: Path, files: set[str]) -> set[str]:
    """Files among `files` with an ES import that dependency-report would key by an Object.prototype name.

    It keys default and namespace imports by the local name and named imports by the imported name.
    """
    bad: set[str] = set()
    with reference_jsonl.open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            if row.get("file") not in files or row.get("kind") not in ("import", "side-effect"):
                continue
            name = row["local"] if row["export"] in ("default", "*") else row["export"]
            if name in PROTOTYPE_NAMES or row["specifier"] in PROTOTYPE_NAMES:
                bad.add(row["file"])
    return bad


def count_lines(path: Path, needle: str | None = None) -> int:
    """Lines of a text file, or only those containing `needle`."""
    with path.open(encoding="utf-8", errors="replace") as lines:
        return sum(1 for line in lines if needle is None or needle in line)
