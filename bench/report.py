"""The benchmark's results: what was measured, the facts of the machine, and the markdown table."""

from __future__ import annotations

import datetime
import os
import platform
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import compare
import corpus
import tools
from readme import write_between

README_BEGIN = "<!-- results:begin (written by bench/run.py --update-readme) -->"
README_END = "<!-- results:end -->"
AGREEMENT_BAR = 99.9
TIMES = "\N{MULTIPLICATION SIGN}"


@dataclass
class Row:
    """One tool on one corpus; `key` names the tool for lookups (e.g. "depreport-cold")."""

    corpus: str
    key: str
    tool: str
    files: int
    timing: tools.Timing
    note: str = ""

    @property
    def files_per_second(self) -> float:
        """Files divided by the best wall-clock time."""
        return self.files / self.timing.best


@dataclass
class Outcome:
    """Everything the table needs."""

    rows: list[Row] = field(default_factory=list)
    comparison: compare.Comparison | None = None
    totals: dict[str, int] = field(default_factory=dict)
    syntax_error_files: list[str] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)

    def row(self, corpus_name: str, key: str) -> Row | None:
        """The row of one tool on one corpus, if it was measured."""
        return next((r for r in self.rows if r.corpus == corpus_name and r.key == key), None)


def _output(argv: list[str]) -> str:
    return subprocess.run(argv, capture_output=True, text=True, check=True).stdout.strip()


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text("utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _source_state(source: Path) -> str:
    """The commit of the checkout, marked when depreport's files differ from it."""
    git = ["git", "-C", str(source)]
    try:
        commit = _output([*git, "rev-parse", "--short", "HEAD"])
        dirty = _output([*git, "status", "--porcelain", "--", "depreport"])
    except (OSError, subprocess.CalledProcessError):
        return "no git commit"
    return f"commit {commit}" + (" with uncommitted changes to depreport/" if dirty else "")


def machine_facts(built: corpus.Corpus, source: Path) -> dict[str, str]:
    """Date, machine, versions and corpus size, for the table's caption."""
    size = sum((built.full / f).stat().st_size for f in built.files)
    peers = ", ".join(f"{name} {version}" for name, version in tools.peer_versions().items())
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d"),
        "machine": f"{os.cpu_count()} cores ({_cpu_model()}), Linux {platform.release()}",
        "versions": f"Python {platform.python_version()}, Node {_output(['node', '--version'])}, "
        f"{tools.depreport_version(source)} ({_source_state(source)}); peers: {peers}",
        "corpus": f"{len(built.files):,} files ({size / 1e6:.0f} MB) from {len(built.packages)} pinned npm "
        f"packages (bench/corpus.toml); sample: {len(built.sample):,} files, seeded",
    }


BASE = "depreport-cold-json"


def _times(row: Row, base: Row | None) -> str:
    return f"{row.timing.best / base.timing.best:.2f}{TIMES}" if base else "-"


def _corpus_table(outcome: Outcome, name: str, title: str) -> list[str]:
    base = outcome.row(name, BASE)
    lines = [
        f"**{title}**",
        "",
        "| tool | files | wall s, each run | best s | files/s | CPU s of best "
        "| time ÷ depreport cold report | notes |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in (r for r in outcome.rows if r.corpus == name):
        runs = " / ".join(f"{run.wall:.2f}" for run in row.timing.runs)
        lines.append(
            f"| {row.tool} | {row.files:,} | {runs} | {row.timing.best:.2f} | {row.files_per_second:,.0f} | "
            f"{row.timing.cpu:.1f} | {_times(row, base)} | {row.note} |"
        )
    return [*lines, ""]


def _bar(label: str, measured: str, met: bool) -> str:
    return f"| {label} | {measured} | {'yes' if met else '**no**'} |"


def _speed_bars(outcome: Outcome, fmt: str) -> list[str]:
    cold, warm = outcome.row("full", f"depreport-cold-{fmt}"), outcome.row("full", f"depreport-warm-{fmt}")
    ast_grep, segment = outcome.row("full", "ast-grep"), outcome.row("sample", "dependency-report")
    sample_cold = outcome.row("sample", f"depreport-cold-{fmt}")
    lines = []
    if cold and ast_grep:
        measured = f"{cold.files_per_second:,.0f} vs {ast_grep.files_per_second:,.0f} files/s"
        label = f"{fmt}: depreport cold faster than ast-grep (full corpus, 2 cores)"
        lines.append(_bar(label, measured, cold.timing.best < ast_grep.timing.best))
    if sample_cold and segment:
        ratio = sample_cold.files_per_second / segment.files_per_second
        label = f"{fmt}: depreport cold ≥ 10{TIMES} dependency-report (sample, files/s)"
        lines.append(_bar(label, f"{ratio:.1f}{TIMES}", ratio >= 10))
    if cold and warm:
        ratio = cold.timing.best / warm.timing.best
        label = f"{fmt}: warm re-scan ≥ 20{TIMES} faster than cold (full corpus)"
        lines.append(_bar(label, f"{ratio:.1f}{TIMES}", ratio >= 20))
    return lines


def _bars(outcome: Outcome) -> list[str]:
    lines = ["| bar | measured | met |", "|---|---|---|"]
    lines += _speed_bars(outcome, "json") + _speed_bars(outcome, "jsonl")
    if outcome.comparison:
        agreement = outcome.comparison.agreement
        label = f"record agreement with @babel/parser ≥ {AGREEMENT_BAR}% (full corpus)"
        lines.append(_bar(label, f"{agreement:.3f}%", agreement >= AGREEMENT_BAR))
    return [*lines, ""]


def _correctness(outcome: Outcome) -> list[str]:
    result = outcome.comparison
    if result is None:
        return []
    lines = [
        f"**Correctness (full corpus).** {result.matched:,} records agree, {result.only_depreport:,} only in "
        f"depreport, {result.only_reference:,} only in the reference: **{result.agreement:.3f}%** agreement "
        f"over {result.files_compared:,} files with imports ({result.files_left_out} files left out: "
        f"the reference could not parse them). Files with tree-sitter error nodes "
        f"(`totals.files_with_syntax_errors`): "
        f"**{outcome.totals.get('files_with_syntax_errors', 0)}**.",
        "",
    ]
    if not result.categories:
        return [*lines, "No disagreements.", ""]
    lines += ["| records | disagreement category |", "|---:|---|"]
    lines += [f"| {c.count:,} | {c.name} |" for c in result.categories]
    lines += ["", "One example per category:", "", "```"]
    lines += [f"{c.name}:\n    {c.examples[0]}" for c in result.categories if c.examples]
    return [*lines, "```", ""]


def render(outcome: Outcome) -> str:
    """The results as markdown: caption, the two timing tables, the bars and the correctness check."""
    meta = outcome.meta
    totals = ", ".join(f"{k} {v:,}" for k, v in sorted(outcome.totals.items()))
    lines = [
        f"Measured {meta.get('date', '?')} on {meta.get('machine', '?')}.",
        f"Load average of the machine: {meta.get('load', '?')}.",
        f"Versions: {meta.get('versions', '?')}.",
        f"Corpus: {meta.get('corpus', '?')}.",
        "",
        *_corpus_table(outcome, "full", "Full corpus"),
        *_corpus_table(
            outcome, "sample", "Sample (the slow peers run only here; the other tools run on it too)"
        ),
        *_bars(outcome),
        *_correctness(outcome),
        f"depreport's totals on the full corpus: {totals}.",
        "",
    ]
    return "\n".join(lines)


def update_readme(readme: Path, markdown: str) -> None:
    """Replace the text between the results markers of the README."""
    write_between(readme, README_BEGIN, README_END, markdown)
