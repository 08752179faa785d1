"""Error families, each with a stable exit code and a hint that says how to fix it."""

from __future__ import annotations

# Exit codes, stable for CI scripts.
EXIT_OK = 0
EXIT_FINDINGS = 1  # --strict with problems, a ratchet that failed, `migrate --check` with changes, no match
EXIT_USAGE = 2  # bad arguments or configuration
EXIT_STORE = 3  # the store could not be read or written
EXIT_INTERNAL = 4  # a bug: please report it
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT, as shells report it)
EXIT_TERMINATED = 143  # SIGTERM: a cancelled CI job, `timeout`, `kill` (128 + SIGTERM)


class DepreportError(Exception):
    """Base of every error depreport reports to a user."""

    exit_code = EXIT_INTERNAL

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n  hint: {self.hint}" if self.hint else self.message


class UsageError(DepreportError):
    """Arguments that cannot work together, or a path that does not exist."""

    exit_code = EXIT_USAGE


class ConfigError(DepreportError):
    """A configuration file with a bad key or value; the message names the key."""

    exit_code = EXIT_USAGE
