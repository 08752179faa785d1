"""S3 store (any S3-compatible server): create-only puts with ``If-None-Match: *``.

The only module that imports boto3. Credentials come from the standard AWS chain
(environment, profile, SSO, instance role) and are never logged or stored.

Over 300 lines on purpose: the S3 backend with its error mapping is the only boto3 user, kept whole
so the layer rule has one file to watch.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import boto3  # type: ignore[import-untyped, unused-ignore]
from botocore.config import Config  # type: ignore[import-untyped, unused-ignore]
from botocore.exceptions import (  # type: ignore[import-untyped, unused-ignore]
    BotoCoreError,
    ClientError,
    CredentialRetrievalError,
    HTTPClientError,
    NoCredentialsError,
    PartialCredentialsError,
)
from botocore.exceptions import (  # type: ignore[import-untyped, unused-ignore]
    ConnectionError as BotoConnectionError,
)

from depreport.store.base import InvalidStoreURI, StoreError
from depreport.store.keyed import KeyedStore

_BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_TAKEN = {"PreconditionFailed", "ConditionalRequestConflict"}
_MISSING_KEY = {"NoSuchKey", "404", "NotFound"}
_DENIED = {
    "AccessDenied",
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "ExpiredToken",
    "InvalidToken",
    "403",
}
_CREDENTIAL_ERRORS = (NoCredentialsError, PartialCredentialsError, CredentialRetrievalError)
_CREDENTIALS_HINT = (
    "check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), or AWS_PROFILE and the "
    "files it is read from (~/.aws/config, ~/.aws/credentials), and that they grant s3:ListBucket, "
    "s3:GetObject, s3:PutObject and s3:DeleteObject on the store"
)


@dataclass(frozen=True)
class S3Options:
    """Client settings: botocore standard retries and socket timeouts (seconds).

    ``max_attempts`` counts every try of a request, the first one included.
    """

    max_attempts: int = 4
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    max_pool_connections: int = 32


def parse_s3_uri(uri: str) -> tuple[str, str]:
    """Split ``s3://bucket/prefix`` into (bucket, prefix without slashes)."""
    if any(ord(c) < 32 or ord(c) == 127 for c in uri) or "\\" in uri:
        raise InvalidStoreURI(  # a tab or newline urlsplit drops; SeaweedFS stores a\b as a/b
            f"{uri!r} has a backslash or a control character: runs stored there could not be found again "
            "(servers and URL parsers drop or turn them into '/')"
        )
    parts = urlsplit(uri)
    if parts.scheme != "s3" or parts.query or parts.fragment:
        raise InvalidStoreURI(f"{uri!r} is not an s3://bucket/prefix URI")
    bucket, prefix = parts.netloc, parts.path.strip("/")
    if not _BUCKET.fullmatch(bucket) or ".." in bucket:
        raise InvalidStoreURI(
            f"{uri!r}: bucket {bucket!r} is not a valid S3 bucket name "
            "(3-63 lowercase letters, digits, '.' or '-')"
        )
    if prefix and any(seg in ("", ".", "..") for seg in prefix.split("/")):
        raise InvalidStoreURI(f"{uri!r}: prefix {prefix!r} has an empty, '.' or '..' segment")
    return bucket, prefix


def resolve_endpoint(endpoint_url: str | None) -> str | None:
    """The explicit endpoint, else AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL, else None (AWS)."""
    endpoint = (
        endpoint_url or os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL") or None
    )
    if endpoint is not None and urlsplit(endpoint).scheme not in ("http", "https"):
        raise InvalidStoreURI(
            f"endpoint URL {endpoint!r} must start with http:// or https://",
            hint="pass e.g. --endpoint-url http://127.0.0.1:9000 or set AWS_ENDPOINT_URL",
        )
    return endpoint


def make_client(endpoint_url: str | None, options: S3Options) -> Any:
    """A boto3 S3 client with standard-mode retries and small timeouts."""
    config = Config(
        retries={"mode": "standard", "total_max_attempts": options.max_attempts},
        connect_timeout=options.connect_timeout,
        read_timeout=options.read_timeout,
        max_pool_connections=options.max_pool_connections,
        # S3-compatible servers often lack virtual-host DNS and newer default checksums.
        s3={"addressing_style": "path"} if endpoint_url else {},
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )
    try:
        return boto3.session.Session().client("s3", endpoint_url=endpoint_url, config=config)
    except (
        BotoCoreError
    ) as exc:  # the AWS config: a missing AWS_PROFILE, partial keys, a file that does not parse
        raise StoreError(f"cannot set up the S3 client: {exc}", _CREDENTIALS_HINT) from exc


class S3Backend:
    """Objects under ``s3://bucket/prefix/``."""

    def __init__(self, client: Any, bucket: str, prefix: str) -> None:
        self._client = client
        self.attempts = int(client.meta.config.retries.get("total_max_attempts", 1))
        self.bucket = bucket
        self._root = f"{prefix}/" if prefix else ""
        self.endpoint = str(client.meta.endpoint_url)

    @property
    def uri(self) -> str:
        """The store URI (no credentials)."""
        return f"s3://{self.bucket}/{self._root}"

    def put_new(self, key: str, data: bytes, content_type: str) -> bool:
        """PUT with ``If-None-Match: *``; False when the key already exists (412/409)."""
        try:
            self._client.put_object(
                Bucket=self.bucket,
                Key=self._root + key,
                Body=data,
                ContentType=content_type,
                IfNoneMatch="*",
            )
        except ClientError as exc:
            if _code(exc) in _TAKEN:
                return False
            raise self._error("write", key, exc) from exc
        except BotoCoreError as exc:
            raise self._error("write", key, exc) from exc
        return True

    def get(self, key: str, limit: int = -1) -> bytes | None:
        """The object's bytes (its first ``limit``, asked with a Range, when given), or None if there is no
        such key."""
        ranged = {"Range": f"bytes=0-{limit - 1}"} if limit > 0 else {}
        try:
            response = self._client.get_object(Bucket=self.bucket, Key=self._root + key, **ranged)
            data = bytes(response["Body"].read())
            return data if limit < 0 else data[:limit]  # a server that ignores Range sends it all
        except ClientError as exc:
            if _code(exc) in _MISSING_KEY:
                return None
            raise self._error("read", key, exc) from exc
        except BotoCoreError as exc:
            raise self._error("read", key, exc) from exc

    def delete(self, key: str) -> None:
        """Delete the object (absent keys are fine)."""
        try:
            self._client.delete_object(Bucket=self.bucket, Key=self._root + key)
        except (ClientError, BotoCoreError) as exc:
            raise self._error("delete", key, exc) from exc

    def list_keys(self, prefix: str) -> Iterator[str]:
        """Every key under ``prefix``, relative to the store root."""
        for page in self._pages(prefix, delimiter=None):
            for item in page.get("Contents", []):
                yield str(item["Key"])[len(self._root) :]

    def list_dirs(self, prefix: str) -> list[str]:
        """Immediate 'folder' names under ``prefix`` (S3 common prefixes)."""
        start = len(self._root) + len(prefix)
        names = []
        for page in self._pages(prefix, delimiter="/"):
            for item in page.get("CommonPrefixes", []):
                names.append(str(item["Prefix"])[start:].rstrip("/"))
        return sorted(names)

    def _pages(self, prefix: str, delimiter: str | None) -> Iterator[dict[str, Any]]:
        params: dict[str, Any] = {"Bucket": self.bucket, "Prefix": self._root + prefix}
        if delimiter:
            params["Delimiter"] = delimiter
        try:
            yield from self._client.get_paginator("list_objects_v2").paginate(**params)
        except (ClientError, BotoCoreError) as exc:
            raise self._error("list", prefix, exc) from exc

    def _error(self, action: str, key: str, exc: Exception) -> StoreError:
        """Turn a boto error (after botocore's retries) into an actionable StoreError."""
        where = f"{self.uri}{key} (endpoint {self.endpoint})"
        if isinstance(exc, _CREDENTIAL_ERRORS):
            return StoreError(f"no usable AWS credentials to {action} {where}: {exc}", _CREDENTIALS_HINT)
        if isinstance(exc, (BotoConnectionError, HTTPClientError)):
            return StoreError(
                f"cannot reach S3 endpoint {self.endpoint} to {action} {self.uri}{key} "
                f"({type(exc).__name__}, after {self.attempts} attempts)",
                hint="check --endpoint-url / AWS_ENDPOINT_URL, that the server is running "
                "and the network allows it, then retry",
            )
        code = _code(exc) if isinstance(exc, ClientError) else type(exc).__name__
        if code == "NoSuchBucket":
            return StoreError(
                f"bucket {self.bucket!r} does not exist at {self.endpoint} ({action} {where})",
                hint=f"create it first (e.g. `aws s3 mb s3://{self.bucket}`"
                " with the same endpoint) or fix the store URI",
            )
        if code in _DENIED:
            return StoreError(f"access denied ({code}) to {action} {where}", _CREDENTIALS_HINT)
        if code == "NotImplemented":
            return StoreError(
                f"S3 server at {self.endpoint} does not support the request to {action} {where}",
                hint="use a server with conditional writes (If-None-Match), e.g. AWS S3",
            )
        return StoreError(
            f"S3 {action} of {where} failed: {exc}",
            hint="retry later; if it persists, check the server logs and the store URI",
        )


def _code(exc: ClientError) -> str:
    error = exc.response.get("Error", {})
    status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    return str(error.get("Code") or status or "")


class S3Store(KeyedStore):
    """A ``Store`` in ``s3://bucket/prefix`` (optionally at an S3-compatible endpoint).

    The URI is checked at once; the client (a fifth of a second to make) on first use, so a scan
    makes it in the background while it lists files.
    """

    def __init__(self, uri: str, endpoint_url: str | None = None, options: S3Options | None = None) -> None:
        bucket, prefix = parse_s3_uri(uri)
        endpoint = resolve_endpoint(endpoint_url)
        self._s3 = _OnFirstUse(
            lambda: S3Backend(make_client(endpoint, options or S3Options()), bucket, prefix)
        )
        self._uri = f"s3://{bucket}/{prefix}/" if prefix else f"s3://{bucket}/"
        super().__init__(self._s3)

    @property
    def uri(self) -> str:
        """The store URI (no credentials)."""
        return self._uri

    @property
    def endpoint(self) -> str:
        """The endpoint URL the client talks to."""
        return self._s3.backend().endpoint


class _OnFirstUse:
    """An ``ObjectBackend`` whose S3 backend is made when first needed (by whichever thread asks)."""

    def __init__(self, make: Callable[[], S3Backend]) -> None:
        self._make = make
        self._made: S3Backend | None = None
        self._lock = threading.Lock()

    def backend(self) -> S3Backend:
        with self._lock:
            if self._made is None:
                self._made = self._make()
            return self._made

    @property
    def uri(self) -> str:
        return self.backend().uri

    def put_new(self, key: str, data: bytes, content_type: str) -> bool:
        return self.backend().put_new(key, data, content_type)

    def get(self, key: str, limit: int = -1) -> bytes | None:
        return self.backend().get(key, limit)

    def delete(self, key: str) -> None:
        self.backend().delete(key)

    def list_keys(self, prefix: str) -> Iterator[str]:
        return self.backend().list_keys(prefix)

    def list_dirs(self, prefix: str) -> list[str]:
        return self.backend().list_dirs(prefix)


def object_writer(uri: str, endpoint_url: str | None = None) -> Callable[[str, bytes], None]:
    """A function that writes (and overwrites) objects under ``s3://bucket/prefix`` — for derived
    data such as exports, never for reports, which are create-only."""
    bucket, prefix = parse_s3_uri(uri)
    backend = S3Backend(make_client(resolve_endpoint(endpoint_url), S3Options()), bucket, prefix)

    def write(key: str, data: bytes) -> None:
        full = f"{prefix}/{key}" if prefix else key
        try:
            backend._client.put_object(Bucket=bucket, Key=full, Body=data)
        except (ClientError, BotoCoreError) as exc:
            raise backend._error("write", key, exc) from exc

    return write
