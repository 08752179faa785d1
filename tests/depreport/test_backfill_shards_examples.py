"""The array-job examples of examples/ run here as their engine would run them, one index at a time.

Each test reads the example file, takes the command its engine would start for every index (with the
engine's own substitutions: GitHub's `${{ }}` expressions, Kubernetes' `$(VAR)`, AWS Batch's `Ref::`),
points the store, list and scratch folders at the test's, and runs it against real repositories. The
indexes must together backfill every repository of the list exactly once.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml

from depreport.cli import main
from depreport.history.fleet import read_sources
from tests.depreport.test_backfill_shards import fleet, stored_runs

pytestmark = pytest.mark.integration

EXAMPLES = Path(__file__).parents[2] / "examples"


def run_index(
    argv: list[str], env: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> list[str]:
    """Run one index's command with its environment; returns the repositories it backfilled."""
    with monkeypatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        code = main([*argv, "--format", "json"])
    out = capsys.readouterr()
    assert code == 0, out.err
    return [row["repo"] for row in json.loads(out.out)]


def expand(pattern: str, values: dict[str, str], text: str) -> str:
    """The engine's substitution: each match of `pattern` replaced by the value its group names."""
    return re.sub(pattern, lambda match: values[match.group(1)], text)


def check_cover(tmp_path: Path, listing: Path, done: list[list[str]]) -> None:
    """Every index ran, none twice the same repository, all of them together the whole list."""
    names = [name for index in done for name in index]
    assert sorted(names) == sorted(s.name for s in read_sources(listing.read_text()))
    assert len(names) == len(set(names))
    assert {run[0] for run in stored_runs(tmp_path / "store")} == set(names)
    assert sum(1 for index in done if index) > 1  # the list was really split


def test_github_actions_matrix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    workflow = yaml.safe_load((EXAMPLES / "github-actions" / "depreport-backfill.yml").read_text())
    job = workflow["jobs"]["backfill"]
    shards = job["strategy"]["matrix"]["shard"]
    assert shards == list(range(1, len(shards) + 1))
    steps = [s for s in job["steps"] if str(s.get("run", "")).startswith("depreport ")]
    assert len(steps) == 1
    listing = fleet(tmp_path, repos=9, weeks=2)
    monkeypatch.chdir(tmp_path)  # the checkout: repos.txt at its root
    done = []
    for shard in shards:
        values = {"matrix.shard": str(shard), "strategy.job-total": str(len(shards)),
                  "runner.temp": str(tmp_path / "runner"), "vars.DEPREPORT_STORE": str(tmp_path / "store")}  # fmt: skip
        command = expand(r"\$\{\{\s*([\w.-]+)\s*\}\}", values, steps[0]["run"])
        argv = shlex.split(command)
        assert argv[:2] == ["depreport", "backfill"] and f"{shard}/{len(shards)}" in argv
        done.append(run_index(argv[1:], {}, monkeypatch, capsys))
    check_cover(tmp_path, listing, done)


def test_kubernetes_indexed_job(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    config_map, job = yaml.safe_load_all((EXAMPLES / "kubernetes" / "backfill-indexed-job.yaml").read_text())
    spec = job["spec"]
    assert spec["completionMode"] == "Indexed"
    container = spec["template"]["spec"]["containers"][0]
    env = {e["name"]: e["value"] for e in container["env"]}
    assert env["DEPREPORT_SHARDS"] == str(spec["completions"])
    assert read_sources(config_map["data"]["repos.txt"])  # the sample list is a valid list
    listing = fleet(tmp_path, repos=9, weeks=2)
    mounts = {m["mountPath"]: tmp_path / m["name"] for m in container["volumeMounts"]}
    (tmp_path / "repos").mkdir()
    (tmp_path / "repos" / "repos.txt").write_text(listing.read_text())
    env["DEPREPORT_STORE"] = str(tmp_path / "store")
    done = []
    for index in range(spec["completions"]):
        argv = [expand(r"\$\((\w+)\)", env, arg) for arg in container["args"]]
        for mount, local in mounts.items():
            argv = [arg.replace(f"={mount}/", f"={local}/") for arg in argv]
        done.append(run_index(argv, {**env, "JOB_COMPLETION_INDEX": str(index)}, monkeypatch, capsys))
    check_cover(tmp_path, listing, done)


def test_aws_batch_array_job(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    definition = json.loads((EXAMPLES / "aws-batch" / "job-definition.json").read_text())
    submit = json.loads((EXAMPLES / "aws-batch" / "submit-job.json").read_text())
    assert submit["jobDefinition"] == definition["jobDefinitionName"]
    size = submit["arrayProperties"]["size"]
    env = {e["name"]: e["value"] for e in submit["containerOverrides"]["environment"]}
    assert env["DEPREPORT_SHARDS"] == str(size)
    listing = fleet(tmp_path, repos=9, weeks=2)
    parameters = {**definition["parameters"], "store": str(tmp_path / "store")}
    local = {"/etc/depreport/repos.txt": str(listing), "/tmp/clones": str(tmp_path / "clones"),
             "/tmp/cache": str(tmp_path / "cache")}  # fmt: skip
    command = definition["containerProperties"]["command"]
    argv = [local.get(arg, parameters[arg[5:]] if arg.startswith("Ref::") else arg) for arg in command]
    done = [
        run_index(argv, {**env, "AWS_BATCH_JOB_ARRAY_INDEX": str(index)}, monkeypatch, capsys)
        for index in range(size)
    ]
    check_cover(tmp_path, listing, done)


def test_the_image_bakes_in_the_list_batch_reads() -> None:
    dockerfile = (EXAMPLES / "Dockerfile").read_text()
    definition = json.loads((EXAMPLES / "aws-batch" / "job-definition.json").read_text())
    command = definition["containerProperties"]["command"]
    assert f"COPY repos.txt {command[command.index('--repos') + 1]}" in dockerfile
    assert 'ENTRYPOINT ["depreport"]' in dockerfile
    assert read_sources((EXAMPLES / "repos.txt").read_text())
