"""Fixtures for tests that need S3: real servers on 127.0.0.1 and a hermetic AWS environment (all tests)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.s3server import TEST_KEY, TEST_SECRET, WeedServer


@pytest.fixture(autouse=True)
def aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Hermetic AWS credential chain: dummy keys from the environment, no files, no IMDS."""
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3",
                 "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                 "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    nowhere = tmp_path_factory.getbasetemp() / "no-aws-config"
    monkeypatch.setenv("AWS_CONFIG_FILE", str(nowhere))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(nowhere))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", TEST_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", TEST_SECRET)


@pytest.fixture
def weed_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Start extra, test-owned servers (stopped at the end of the test)."""
    servers: list[WeedServer] = []

    def start(s3_config: dict[str, Any] | None = None) -> WeedServer:
        server = WeedServer(tmp_path_factory.mktemp("weed"), s3_config)
        servers.append(server)
        return server.start()

    yield start
    for server in servers:
        server.stop()
        server.cleanup_sockets()


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WeedServer]:
    """The shared S3 server for the whole session; tests isolate by bucket."""
    server = WeedServer(tmp_path_factory.mktemp("weed-session")).start()
    yield server
    server.stop()
    server.cleanup_sockets()


@pytest.fixture
def s3_bucket(s3_server: WeedServer) -> str:
    """A fresh, empty bucket for one test."""
    return s3_server.new_bucket()
