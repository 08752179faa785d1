"""The scan's worker pool is the watched one: a parser that crashes its process costs its chunk only."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from depreport import runner
from depreport.model import Extracted, Extraction, Failed, SourceFile
from depreport.runner import Work, run_files


def test_a_crashing_parser_fails_its_files_and_the_scan_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = runner.extract_imports

    def crash_on_poison(data: bytes, language: str, uses: bool = True) -> Extraction:
        if b"poison" in data:
            os.kill(os.getpid(), signal.SIGSEGV)  # as a native parser overflowing its stack would
        return real(data, language, uses)

    monkeypatch.setattr(runner, "extract_imports", crash_on_poison)  # forked workers inherit it
    files = []
    for number in range(300):
        text = "import poison from 'x';\n" if number == 150 else f"import {{ a{number} }} from 'lib';\n"
        (tmp_path / f"f{number:03}.ts").write_text(text)
        files.append(SourceFile(f"f{number:03}.ts", "typescript", len(text), 0))
    results = list(run_files(files, Work(tmp_path, None, 2 * 1024 * 1024), jobs=2))
    assert sorted(r.path for r in results) == sorted(f.path for f in files)  # every file, once
    failed = [r for r in results if isinstance(r, Failed)]
    assert "f150.ts" in {r.path for r in failed}
    assert all(
        "the worker process died (SIGSEGV) while reading these files" in r.problem.message for r in failed
    )
    assert len(failed) <= 48  # one chunk at most
    assert sum(isinstance(r, Extracted) for r in results) == 300 - len(failed)
