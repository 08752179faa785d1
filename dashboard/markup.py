"""Showing names from reports safely: Markdown escaping, chart text, and links to a repo's files.

Every path, package, export, group, repo or team name comes from a report, i.e. from someone else's
repository: a file may be called `<img src=x onerror=alert(1)>.tsx`. Streamlit renders Markdown (with
`$math$`), so every such name goes through one of these functions before it is shown. ECharts draws
names as text and escapes them in its default tooltips; `chart_text` only makes control characters
visible there.
"""

from __future__ import annotations

import re
import string
from collections.abc import Collection, Iterable, Sequence
from urllib.parse import quote, urlsplit

URL_FIELDS = ("repo", "commit", "path", "line")
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character may be escaped
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_BACKTICKS = re.compile(r"`+")
_URL_SAFE = ":/?#[]@!$&'*+,;=%~"  # RFC 3986 reserved + '%'; '(' and ')' are encoded for Markdown


class TemplateError(ValueError):
    """A URL template that cannot build safe links."""


def _visible(value: object) -> str:
    """The text with control characters (newlines included) shown as `\\xNN`."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(value))


def md_text(value: object) -> str:
    """Plain text for Markdown: every punctuation character backslash-escaped, so nothing is markup."""
    return _PUNCTUATION.sub(r"\\\1", _visible(value))


def md_code(value: object) -> str:
    """An inline code span showing ``value`` literally (HTML, `$`, `*` and backticks included)."""
    text = _visible(value)
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    fence = "`" * (longest + 1)
    return f"{fence} {text} {fence}"


def chart_text(value: object) -> str:
    """Text for ECharts labels, legends and tooltips: as it is, control characters (newlines) as `\\xNN`."""
    return _visible(value)


def check_url_template(template: str) -> str:
    """Return ``template`` if it builds http(s) links from {repo}, {commit}, {path} and {line} only."""
    if urlsplit(template).scheme not in ("http", "https"):
        raise TemplateError(
            f"url template {template!r} must start with https:// or http://, "
            "e.g. https://github.com/{repo}/blob/{commit}/{path}#L{line}"
        )
    try:
        parsed = [(name, spec, conv) for _, name, spec, conv in string.Formatter().parse(template)]
    except ValueError as error:
        raise TemplateError(f"url template {template!r} is malformed: {error}") from error
    fields = [name for name, _, _ in parsed if name is not None]
    formatted = [f"{{{name}{'!' + conv if conv else ''}{':' + spec if spec else ''}}}"
                 for name, spec, conv in parsed if spec or conv]  # fmt: skip
    if formatted:  # {line:>999999999} would build a gigabyte per link, {line:d} fails on every link
        raise TemplateError(
            f"url template {template!r} formats a field ({', '.join(formatted)}); "
            "write the bare fields: {repo}, {commit}, {path}, {line}"
        )
    unknown = sorted({name for name in fields if name not in URL_FIELDS})
    if unknown:
        raise TemplateError(
            f"url template {template!r} uses unknown field(s) {', '.join(unknown)}; "
            f"known: {', '.join('{' + f + '}' for f in URL_FIELDS)}"
        )
    return template


def file_url(template: str | None, repo: str, commit: str, path: str, line: int | None) -> str | None:
    """A link to ``path`` (at ``line``) in ``repo`` at ``commit``, or None without a template."""
    if not template:
        return None
    values = {
        "repo": quote(repo, safe="/"),
        "commit": quote(commit, safe=""),
        "path": quote(path, safe="/"),
        "line": "" if line is None else str(int(line)),
    }
    url = template.format_map(values)
    return quote(url, safe=_URL_SAFE)


def md_link(text_markdown: str, url: str | None) -> str:
    """A Markdown link around already-escaped text, or the text alone without a URL."""
    return f"[{text_markdown}]({url})" if url else text_markdown


def file_item(template: str | None, repo: str, commit: str, path: str, lines: tuple[int, ...]) -> str:
    """One Markdown list item: the file (linked to its first import) and each line number."""
    first = lines[0] if lines else None
    shown = md_link(md_code(path), file_url(template, repo, commit, path, first))
    numbers = ", ".join(md_link(str(line), file_url(template, repo, commit, path, line)) for line in lines)
    label = "line" if len(lines) == 1 else "lines"
    return f"- {shown} — {label} {numbers}" if lines else f"- {shown}"


def md_table(header: Sequence[str], rows: Iterable[Sequence[object]], right: Collection[str] = ()) -> str:
    """A Markdown table with every cell escaped as text; columns named in ``right`` align right."""
    lines = [
        "| " + " | ".join(md_text(name) for name in header) + " |",
        "|" + "|".join("---:" if name in right else "---" for name in header) + "|",
    ]
    lines.extend("| " + " | ".join(md_text(cell) for cell in row) + " |" for row in rows)
    return "\n".join(lines)
