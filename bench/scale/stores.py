"""Where the measured stores live: a local folder, or a bucket of a SeaweedFS server on 127.0.0.1.

The S3 server is `tests/s3server.py`'s `weed mini` (loopback only, telemetry off, no auth): any keys
are accepted: `S3_ENV` gives this process and the commands it starts fixed test keys and keeps the
machine's AWS configuration out.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.s3server import TEST_KEY, TEST_SECRET, WeedServer

S3_ENV = {
    "AWS_ACCESS_KEY_ID": TEST_KEY,
    "AWS_SECRET_ACCESS_KEY": TEST_SECRET,
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_EC2_METADATA_DISABLED": "true",
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
}


@dataclass(frozen=True)
class Footprint:
    """How big a store or dataset is."""

    bytes: int
    objects: int

    def __str__(self) -> str:
        return f"{self.bytes / 1e6:.1f} MB / {self.objects:,}"


@dataclass
class Target:
    """One fresh store: what it is, its URI, and the server (for S3) that holds it."""

    kind: str  # "local" or "S3"
    uri: str
    server: WeedServer | None = None
    bucket: str = ""

    @property
    def flags(self) -> list[str]:
        """`--endpoint-url` for an S3 store."""
        return ["--endpoint-url", self.server.endpoint] if self.server else []

    @property
    def endpoint(self) -> str | None:
        """The S3 endpoint, None for a folder."""
        return self.server.endpoint if self.server else None

    def footprint(self) -> Footprint:
        """Bytes and objects the store holds."""
        if self.server is None:
            return folder_footprint(Path(self.uri))
        client, total, count = self.server.client(), 0, 0
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket):
            total += sum(item["Size"] for item in page.get("Contents", []))
            count += len(page.get("Contents", []))
        return Footprint(total, count)


def folder_footprint(folder: Path) -> Footprint:
    """Bytes and files under a folder."""
    sizes = [path.stat().st_size for path in folder.rglob("*") if path.is_file()]
    return Footprint(sum(sizes), len(sizes))


def local_target(folder: Path) -> Target:
    """An empty local folder store."""
    if folder.exists():
        shutil.rmtree(folder)
    return Target("local", str(folder))


def s3_target(server: WeedServer) -> Target:
    """An empty bucket on the server."""
    bucket = server.new_bucket()
    return Target("S3", f"s3://{bucket}/store", server, bucket)


@contextmanager
def s3_server(workdir: Path) -> Iterator[WeedServer]:
    """A `weed mini` server on 127.0.0.1 for the duration, its data under `workdir` (emptied first)."""
    if workdir.exists():
        shutil.rmtree(workdir)
    server = WeedServer(workdir).start()
    try:
        yield server
    finally:
        server.stop()
        server.cleanup_sockets()
