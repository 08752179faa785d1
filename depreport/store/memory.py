"""In-memory store: the same contract as the real ones, for tests elsewhere."""

from __future__ import annotations

import threading
from collections.abc import Iterator

from depreport.store.keyed import KeyedStore


class MemoryBackend:
    """A thread-safe dict of key -> bytes with create-only writes."""

    def __init__(self) -> None:
        self.objects: dict[str, bytes] = {}
        self._lock = threading.Lock()

    @property
    def uri(self) -> str:
        """A pseudo URI for messages."""
        return "memory://"

    def put_new(self, key: str, data: bytes, content_type: str) -> bool:
        """Store ``data`` unless ``key`` exists."""
        with self._lock:
            if key in self.objects:
                return False
            self.objects[key] = bytes(data)
            return True

    def get(self, key: str, limit: int = -1) -> bytes | None:
        """The bytes under ``key`` (its first ``limit`` when given), or None."""
        with self._lock:
            data = self.objects.get(key)
        return data if data is None or limit < 0 else data[:limit]

    def delete(self, key: str) -> None:
        """Remove ``key`` if present."""
        with self._lock:
            self.objects.pop(key, None)

    def list_keys(self, prefix: str) -> Iterator[str]:
        """Keys under ``prefix``, sorted (a snapshot)."""
        with self._lock:
            keys = sorted(key for key in self.objects if key.startswith(prefix))
        return iter(keys)

    def list_dirs(self, prefix: str) -> list[str]:
        """Immediate sub-folder names under ``prefix``."""
        with self._lock:
            rests = [key[len(prefix) :] for key in self.objects if key.startswith(prefix)]
        return sorted({rest.split("/", 1)[0] for rest in rests if "/" in rest})


class MemoryStore(KeyedStore):
    """A ``Store`` kept in memory; ``objects`` exposes the raw keys for assertions."""

    def __init__(self) -> None:
        self._memory = MemoryBackend()
        super().__init__(self._memory)

    @property
    def objects(self) -> dict[str, bytes]:
        """The stored objects by key (live view)."""
        return self._memory.objects
