"""`depreport dashboard`: start the Streamlit adoption dashboard over a store.

The app reads its settings from environment variables (see `dashboard.settings`), so this command
checks them, sets them and runs `streamlit run dashboard/app.py` in this process, which reads the store
as soon as the server is up: the first visitor does not wait for it (`dashboard.warmup`).
"""

from __future__ import annotations

import argparse
import errno
import importlib.util
import json
import os
import socket
import sys
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from depreport.cli.output import add_store_options, note
from depreport.config import load_config, nearest_key
from depreport.errors import EXIT_OK, ConfigError, UsageError
from depreport.report.render.safe import plain
from depreport.store import LocalStore, open_store

INSTALL_HINT = "pip install 'depreport[dashboard]'"
DEFAULT_ADDRESS = "127.0.0.1"  # reports name every file of a code base: share them on purpose only
DEFAULT_PORT = 8501
# Each key of [dashboard]: the TOML types it takes (an integer is a number too) and how to say them.
_SECTION_KEYS: dict[str, tuple[tuple[type, ...], str]] = {
    "url_template": ((str,), "a string"),
    "cache_ttl": ((int,), "an integer"),
    "target_share": ((float, int), "a number"),
}


def add_parser(commands: Any) -> None:
    """Register the command."""
    parser = commands.add_parser("dashboard", help="start the adoption dashboard (Streamlit) over a store")
    add_store_options(parser)
    parser.add_argument(
        "--url-template",
        help="link files to your code host, e.g. https://github.com/{repo}/blob/{commit}/{path}#L{line} "
        "(default: [dashboard] url_template in depreport.toml)",
    )
    parser.add_argument("--config", type=Path, help="config file (default: depreport.toml or pyproject.toml)")
    parser.add_argument("--address", default=DEFAULT_ADDRESS, help=f"address to serve on ({DEFAULT_ADDRESS})")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port to serve on ({DEFAULT_PORT})")
    parser.add_argument(
        "--cache-ttl", type=int, metavar="SECONDS", help="how long store reads are cached (300)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Check the settings, then run Streamlit in this process's place."""
    require_streamlit()
    from dashboard.settings import DEFAULT_TTL, Settings

    store = open_store(args.store, args.endpoint_url)  # a bad URI fails here, with its hint, not in the page
    if isinstance(store, LocalStore):  # and a folder that is a file (an S3 server may come up later)
        store.list_repos()
    config = load_config(Path.cwd(), args.config)
    section = dashboard_section(config.extra)
    template = url_template(args.url_template, section)
    ttl = args.cache_ttl if args.cache_ttl is not None else section.get("cache_ttl", DEFAULT_TTL)
    if ttl < 0:
        raise UsageError(f"cache TTL {ttl} is negative", "give a number of seconds, 0 or more")
    groups = json.dumps(config.groups.to_json(), sort_keys=True) if config.groups.groups else ""
    settings = Settings(store=args.store, endpoint_url=args.endpoint_url, url_template=template, ttl=ttl,
                        target_share=section.get("target_share"), groups=groups)  # fmt: skip
    check_listen(args.address, args.port)  # a taken port is said now, not after "serving"
    command = streamlit_command(app_path(), args.address, args.port)
    note(f"dashboard over {args.store} at {page_url(args.address, args.port)} (Ctrl-C stops it)")
    return launch(command, {**os.environ, **settings.to_env()})


def page_url(address: str, port: int) -> str:
    """The address a browser opens: an IPv6 address in brackets (`http://[::1]:8501`)."""
    host = f"[{address}]" if ":" in address else address
    return f"http://{host}:{port}"


def url_template(given: str | None, section: Mapping[str, Any]) -> str | None:
    """The checked link template: ``given`` (--url-template), else [dashboard] url_template, else None."""
    from dashboard.markup import TemplateError, check_url_template

    template: str | None = given or section.get("url_template")
    if template:
        try:
            check_url_template(template)
        except TemplateError as error:
            raise UsageError(str(error), "fix --url-template or [dashboard] url_template") from error
    return template


def check_listen(address: str, port: int) -> None:
    """UsageError (exit 2, with the fix) unless a server can listen on ``address``:``port`` right now."""
    if not 1 <= port <= 65535:
        raise UsageError(
            f"--port {port} is not a TCP port", f"give a port from 1 to 65535, e.g. {DEFAULT_PORT}"
        )
    shown = plain(address)
    try:
        family, kind, proto, _, where = socket.getaddrinfo(address, port, type=socket.SOCK_STREAM)[0]
    except (socket.gaierror, UnicodeError) as error:
        raise UsageError(
            f"--address {shown} is not an IP address or host name ({error})",
            f"give an address of this machine, e.g. {DEFAULT_ADDRESS} (0.0.0.0 for every interface)",
        ) from error
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does
        try:
            probe.bind(where)
        except OSError as error:
            raise UsageError(
                f"cannot serve on {shown}:{port}: {_bind_reason(error)}", _bind_fix(error)
            ) from error


def _bind_reason(error: OSError) -> str:
    if error.errno == errno.EADDRINUSE:
        return "the port is taken by another program"
    if error.errno == errno.EADDRNOTAVAIL:
        return "the address is not one of this machine's"
    return error.strerror or type(error).__name__


def _bind_fix(error: OSError) -> str:
    if error.errno == errno.EADDRINUSE:
        return f"pick a free port with --port (e.g. --port {DEFAULT_PORT + 1}), or stop the other server"
    if error.errno == errno.EACCES:
        return "ports below 1024 need privileges: pick one above 1024 with --port"
    return f"give an address of this machine with --address, e.g. {DEFAULT_ADDRESS}"


def app_path() -> Path:
    """The Streamlit script of the installed dashboard package."""
    import dashboard

    return Path(dashboard.__file__).resolve().parent / "app.py"


def require_streamlit() -> None:
    """Fail with the install command when the dashboard extra is missing."""
    if importlib.util.find_spec("streamlit") is None:
        raise UsageError(
            "the dashboard needs streamlit, which is not installed",
            f"install the dashboard extra: {INSTALL_HINT}",
        )


def dashboard_section(extra: Mapping[str, Any]) -> dict[str, Any]:
    """The checked ``[dashboard]`` table of the configuration (empty when absent)."""
    section = extra.get("dashboard") or {}
    if not isinstance(section, dict):
        raise ConfigError("[dashboard] must be a table", 'write [dashboard] then url_template = "..."')
    for key, value in section.items():
        if key not in _SECTION_KEYS:
            raise ConfigError(f"unknown key dashboard.{key}", nearest_key(key, list(_SECTION_KEYS)))
        kinds, said = _SECTION_KEYS[key]
        if not isinstance(value, kinds) or isinstance(value, bool):
            raise ConfigError(f"dashboard.{key} has the wrong type", f"dashboard.{key} must be {said}")
    checked = dict(section)
    if "target_share" in checked:  # the share the target group should reach: a line on the trend
        from dashboard.settings import check_target_share

        try:
            checked["target_share"] = check_target_share(checked["target_share"])
        except ValueError as error:
            raise ConfigError(f"dashboard.target_share: {error}", "e.g. target_share = 0.8") from error
    return checked


def streamlit_command(app: Path, address: str, port: int) -> list[str]:
    """`streamlit run` with a server that stays local, quiet and headless."""
    return [
        "streamlit", "run", str(app),
        "--server.headless", "true",
        "--server.address", address,
        "--server.port", str(port),
        "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
        "--client.toolbarMode", "minimal",
    ]  # fmt: skip


def launch(command: Sequence[str], env: Mapping[str, str]) -> int:
    """Run Streamlit's command line in this process (it returns when the server stops).

    As soon as the server runs, a background thread imports the page's modules (pandas and the charts) and
    reads the store, so the first visitor waits for neither (`dashboard.warmup`).
    """
    os.environ.update(env)
    from streamlit.web import cli as streamlit_cli

    from dashboard.settings import Settings
    from dashboard.warmup import warm_up

    threading.Thread(target=warm_up, args=(Settings.from_env(),), name="warm-up", daemon=True).start()
    sys.stdout.flush()
    streamlit_cli.main(args=list(command[1:]), prog_name=command[0], standalone_mode=False)
    return EXIT_OK
