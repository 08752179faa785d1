"""`depreport report`: the adoption picture as one self-contained HTML file (CI artifacts, hosting, email)."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from depreport.cli.dashboard import dashboard_section, url_template
from depreport.cli.output import add_store_options, note, write_text
from depreport.config import load_config
from depreport.errors import EXIT_OK, UsageError
from depreport.history.adoption import METRICS
from depreport.report.render.words import plural
from depreport.store import open_store

EXAMPLE = "example: depreport report --store s3://reports/depreport --out adoption.html"


def add_parser(commands: Any) -> None:
    """Register the command."""
    parser = commands.add_parser(
        "report",
        help="write the adoption picture as one self-contained HTML file",
        description="Write one HTML file that needs no server and no network: the headline share, week over "
        "week, the component treemap (click a tile for its files), the low-hanging fruit and what changed "
        "in the newest week. For CI artifacts, static hosting and email.",
        epilog=EXAMPLE,
    )
    add_store_options(parser)
    parser.add_argument(
        "--out", default="adoption.html", help="the HTML file to write (default adoption.html; '-': stdout)"
    )
    parser.add_argument(
        "--metric", choices=METRICS, default="imports", help="what shares are counted in (default imports)"
    )
    parser.add_argument(
        "--url-template",
        help="link files to your code host, e.g. https://github.com/{repo}/blob/{commit}/{path}#L{line} "
        "(default: [dashboard] url_template in depreport.toml)",
    )
    parser.add_argument(
        "--title", default="Design-system adoption", help="the page's title (default: Design-system adoption)"
    )
    parser.add_argument("--config", type=Path, help="config file (default: depreport.toml or pyproject.toml)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Read the store, build the page, write it."""
    from depreport.report.htmlreport import Options, gather, render

    config = load_config(Path.cwd(), args.config)
    section = dashboard_section(config.extra)
    template = url_template(args.url_template, section)
    store = open_store(args.store, args.endpoint_url)
    if not store.list_repos():
        raise UsageError(
            f"{store.uri} holds no reports",
            f"publish some: depreport scan . --publish {args.store} "
            f"(or depreport backfill . --weeks 26 --publish {args.store})",
        )
    options = Options(args.metric, template, section.get("target_share"), args.title)
    content = gather(store, options, datetime.now(UTC), config.groups if config.groups.groups else None)
    write_text(args.out, render(content))
    if content.headline.week is None:
        note("the reports carry no adoption groups: the page says how to configure them")
    for problem in content.problems:
        note(f"left out: {problem}")
    if args.out != "-":
        note(f"wrote {args.out} ({plural(len(content.repos), 'repo')})")
    return EXIT_OK
