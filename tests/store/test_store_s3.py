"""S3 specifics against real SeaweedFS servers: URIs, endpoints and failures."""

from __future__ import annotations

import os
import socket
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from depreport.store import InvalidStoreURI, StoreError, open_store
from depreport.store.keyed import KeyedStore
from depreport.store.s3 import S3Backend, S3Options, S3Store, make_client, parse_s3_uri
from tests.s3server import TEST_KEY, TEST_SECRET, WeedServer

T0 = datetime(2024, 3, 4, 12, 0, 0, tzinfo=UTC)
SHA = "0123456789abcdef0123456789abcdef01234567"
FAST = S3Options(max_attempts=2, connect_timeout=1.0, read_timeout=5.0)
AUTH_KEY, AUTH_SECRET = "depreport-ci", "s3cr3t-do-not-print"
AUTH_CONFIG = {
    "identities": [
        {
            "name": "ci",
            "credentials": [{"accessKey": AUTH_KEY, "secretKey": AUTH_SECRET}],
            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
        }
    ]
}


def publish(store: Any, n: int = 0) -> Any:
    return store.put_run("org/app", T0, SHA, {"n": n}, {"n": n})


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        pytest.param("s3://bucket", ("bucket", ""), id="bucket-only"),
        pytest.param("s3://my.bucket-1/a/b/", ("my.bucket-1", "a/b"), id="prefix"),
        pytest.param("s3://bucket/pré fix/a+b", ("bucket", "pré fix/a+b"), id="prefix-any-printable"),
    ],
)
def test_parse_s3_uri(uri: str, expected: tuple[str, str]) -> None:
    assert parse_s3_uri(uri) == expected


@pytest.mark.parametrize(
    "uri",
    [
        pytest.param("s3://", id="no-bucket"),
        pytest.param("s3://Upper/x", id="uppercase"),
        pytest.param("s3://b/x", id="too-short"),
        pytest.param("s3://bucket/a/../b", id="dotdot-prefix"),
        pytest.param("s3://bucket/a//b", id="empty-segment"),
        pytest.param("s3://bucket/p?x=1", id="query"),
        # SeaweedFS stores a\b as a/b and drops a tab: runs published there could not be listed again
        pytest.param("s3://bucket/a\\b", id="backslash"),
        pytest.param("s3://bucket/a\tb", id="control-character"),
    ],
)
def test_bad_s3_uris_refused(uri: str) -> None:
    with pytest.raises(InvalidStoreURI) as caught:
        open_store(uri, endpoint_url="http://127.0.0.1:1")
    assert caught.value.exit_code == 2


def test_bad_endpoint_refused() -> None:
    with pytest.raises(InvalidStoreURI, match="http:// or https://"):
        open_store("s3://bucket/x", endpoint_url="127.0.0.1:9000")


@pytest.mark.s3
def test_open_store_uses_aws_endpoint_url_env(
    s3_server: WeedServer, s3_bucket: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", s3_server.endpoint)
    store = open_store(f"s3://{s3_bucket}")
    assert isinstance(store, S3Store) and store.endpoint == s3_server.endpoint
    assert store.uri == f"s3://{s3_bucket}/"
    ref = publish(store, 5)
    assert store.list_repos() == ["org/app"] and store.get_report(ref) == {"n": 5}
    keys = s3_server.client().list_objects_v2(Bucket=s3_bucket)["Contents"]
    assert sorted(item["Key"] for item in keys) == [
        f"org/app/reports/2024/03/2024-03-04T120000Z_{SHA[:12]}.json.gz",
        f"org/app/summaries/2024/03/2024-03-04T120000Z_{SHA[:12]}.json",
    ]


def listening_addresses(pid: int) -> list[str]:
    """The addresses a process listens on, read from /proc (no tool needed)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        target = os.readlink(fd) if fd.is_symlink() else ""
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    found = []
    for table, width in (("tcp", 8), ("tcp6", 32)):
        for line in Path(f"/proc/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:  # 0A = LISTEN
                address, port = fields[1].split(":")
                if width == 8:
                    host = ".".join(str(b) for b in reversed(bytes.fromhex(address)))
                else:
                    host = f"[{address}]"
                found.append(f"{host}:{int(port, 16)}")
    return found


@pytest.mark.s3
def test_server_listens_on_loopback_only(s3_server: WeedServer) -> None:
    assert s3_server.process is not None
    mine = listening_addresses(s3_server.process.pid)
    assert mine
    assert all(address.startswith("127.0.0.1:") for address in mine), mine


@pytest.mark.s3
def test_missing_bucket_names_it_and_says_how_to_create_it(s3_server: WeedServer) -> None:
    store = S3Store("s3://no-such-bucket-42/ci", endpoint_url=s3_server.endpoint, options=FAST)
    for action in (lambda: publish(store), lambda: store.list_runs("org/app"), store.list_repos):
        with pytest.raises(StoreError) as caught:
            action()
        assert "bucket 'no-such-bucket-42' does not exist" in caught.value.message
        assert s3_server.endpoint in caught.value.message
        assert "aws s3 mb s3://no-such-bucket-42" in caught.value.hint


@pytest.mark.s3
def test_unreachable_endpoint_fails_fast_with_defaults() -> None:
    endpoint = f"http://127.0.0.1:{closed_port()}"
    store = open_store("s3://bucket-x/ci", endpoint_url=endpoint)
    started = time.monotonic()
    with pytest.raises(StoreError) as caught:
        publish(store)
    assert time.monotonic() - started < 10
    assert f"cannot reach S3 endpoint {endpoint}" in caught.value.message
    assert "AWS_ENDPOINT_URL" in caught.value.hint


def test_no_credentials_at_all(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    store = open_store("s3://bucket-x/ci", endpoint_url=f"http://127.0.0.1:{closed_port()}")
    with pytest.raises(StoreError, match="no usable AWS credentials") as caught:
        store.list_repos()
    assert "AWS_ACCESS_KEY_ID" in caught.value.hint


@pytest.mark.s3
def test_wrong_credentials_are_reported_without_leaking_them(
    weed_factory: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = weed_factory(AUTH_CONFIG)
    server.client(AUTH_KEY, AUTH_SECRET).create_bucket(Bucket="auth-bucket")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", AUTH_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", AUTH_SECRET)
    good = S3Store("s3://auth-bucket/ci", endpoint_url=server.endpoint, options=FAST)
    assert good.get_report(publish(good, 1)) == {"n": 1}
    for key, secret, code in [(AUTH_KEY, "wrong-secret", "SignatureDoesNotMatch"),
                              (TEST_KEY, TEST_SECRET, "InvalidAccessKeyId")]:  # fmt: skip
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", key)
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", secret)
        bad = S3Store("s3://auth-bucket/ci", endpoint_url=server.endpoint, options=FAST)
        for action in (lambda s=bad: publish(s, 2), lambda s=bad: s.list_runs("org/app")):
            with pytest.raises(StoreError) as caught:
                action()
            text = f"{caught.value.message} {caught.value.hint}"
            assert f"access denied ({code})" in text and "s3://auth-bucket/ci/" in text
            assert "check AWS_ACCESS_KEY_ID" in text
            assert secret not in text and AUTH_SECRET not in text
    assert [good.get_summary(ref) for ref in good.list_runs("org/app")] == [{"n": 1}]


class KillAfterReport:
    """Delegates to an S3 backend; kills the server right after the report is stored."""

    def __init__(self, inner: S3Backend, server: WeedServer) -> None:
        self.inner, self.server = inner, server

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def put_new(self, key: str, data: bytes, content_type: str) -> bool:
        written = self.inner.put_new(key, data, content_type)
        if "/reports/" in key:
            self.server.kill()
        return written


@pytest.mark.s3
def test_server_dies_mid_publish(weed_factory: Any) -> None:
    server = weed_factory()
    bucket = server.new_bucket()
    backend = S3Backend(make_client(server.endpoint, FAST), bucket, "ci")
    store = KeyedStore(backend)
    publish(store, 1)
    dying = KeyedStore(KillAfterReport(backend, server))  # type: ignore[arg-type]
    with pytest.raises(StoreError) as caught:
        dying.put_run("org/app", T0.replace(day=5), SHA, {"n": 2}, {"n": 2})
    assert f"cannot reach S3 endpoint {server.endpoint}" in caught.value.message
    assert "was not published" in caught.value.message
    server.start()
    runs = store.list_runs("org/app")
    assert [store.get_summary(ref) for ref in runs] == [{"n": 1}]
    assert store.list_repos() == ["org/app"]
