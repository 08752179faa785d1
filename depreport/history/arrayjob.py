"""Array jobs: which share of a repository list one index of an engine's array job backfills.

A repository belongs to a shard by a hash of its name in the store, not by its place in the list, so
adding or removing a line moves no other repository, and every shard of a run sees the same split
whatever the order of the lines. `--shard auto` takes the index from the engine that started the job:
a Kubernetes Indexed Job sets `JOB_COMPLETION_INDEX`, an AWS Batch array job sets
`AWS_BATCH_JOB_ARRAY_INDEX` (both 0-based); neither says how many indexes there are, so the count comes
from `--shards` or `DEPREPORT_SHARDS`. A GitHub Actions matrix passes `I/N` itself.
"""

from __future__ import annotations

from collections.abc import Mapping

from depreport.errors import UsageError
from depreport.scan.shard import parse_shard

SHARDS_ENV = "DEPREPORT_SHARDS"
INDEX_ENVS = {
    "JOB_COMPLETION_INDEX": "a Kubernetes Indexed Job",
    "AWS_BATCH_JOB_ARRAY_INDEX": "an AWS Batch array job",
}
_GITHUB_HINT = "on GitHub Actions: --shard ${{ matrix.shard }}/${{ strategy.job-total }}"


def resolve_shard(text: str, shards: int | None, env: Mapping[str, str]) -> tuple[int, int]:
    """`I/N` or `auto` (read from the engine's environment) -> (I, N), 1-based."""
    if text != "auto":
        if shards is not None:
            raise UsageError("--shards goes with --shard auto", "drop --shards, or write --shard auto")
        return parse_shard(text)
    found = [name for name in INDEX_ENVS if env.get(name, "").strip()]
    if not found:
        names = " nor ".join(INDEX_ENVS)
        raise UsageError(f"--shard auto: neither {names} is set", f"give --shard I/N; {_GITHUB_HINT}")
    if len(found) > 1:
        raise UsageError(f"--shard auto: both {' and '.join(found)} are set", "give --shard I/N")
    index = _whole(found[0], env[found[0]])
    count = shards if shards is not None else _count(env, INDEX_ENVS[found[0]])
    if count < 1 or index >= count:
        raise UsageError(
            f"--shard auto: {found[0]}={index} with {count} shards: the index must be below the count",
            f"set --shards or {SHARDS_ENV} to the number of indexes of {INDEX_ENVS[found[0]]}",
        )
    return index + 1, count


def _count(env: Mapping[str, str], engine: str) -> int:
    text = env.get(SHARDS_ENV, "").strip()
    if not text:
        raise UsageError(
            f"--shard auto: {engine} does not say how many indexes it has",
            f"give --shards N or set {SHARDS_ENV}=N (N = the job's completions / array size)",
        )
    return _whole(SHARDS_ENV, text)


def _whole(name: str, text: str) -> int:
    if not text.strip().isdecimal():  # what int() reads: "²" is a digit it does not
        raise UsageError(f"--shard auto: {name}={text!r} is not a whole number", f"check how {name} is set")
    return int(text)
