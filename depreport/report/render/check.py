"""A ratchet verdict as text, Markdown (`$GITHUB_STEP_SUMMARY`, PR comments) or GitHub annotations."""

from __future__ import annotations

from collections.abc import Callable

from depreport.history.ratchet import Growth, Verdict
from depreport.report.render.safe import markdown_code, markdown_text, plain

CHECK_FORMATS = ("text", "markdown", "github")


def render_verdict(verdict: Verdict, fmt: str) -> str:
    """The verdict in one of CHECK_FORMATS."""
    return _FORMATS[fmt](verdict)


def _headline(verdict: Verdict) -> str:
    change = verdict.after - verdict.before
    trend = f"{verdict.before:,} → {verdict.after:,} ({change:+,})"
    if verdict.passed:
        return (
            f"ok: usage that must shrink did not grow; {verdict.tracked:,} tracked exports, {trend} imports"
        )
    grown = len(verdict.growths)
    grew = f"{grown} tracked export{'' if grown == 1 else 's'} grew"
    return f"failed: {grew}; {verdict.tracked:,} tracked exports, {trend} imports"


def _name(growth: Growth) -> str:
    return f"{growth.package} {growth.export}" + (" (instances)" if growth.unit != "imports" else "")


def _text(verdict: Verdict) -> str:
    out = [f"depreport check {_headline(verdict)}"]
    for growth in verdict.growths:
        out.append(f"  {plain(_name(growth))}: {growth.before} → {growth.after} ({plain(growth.why)})")
        out += [
            f"    {plain(path)}:{line}  {before} → {after} in this file"
            for path, line, before, after in growth.sites
        ]
    return "\n".join(out) + "\n"


def _markdown(verdict: Verdict) -> str:
    mark = "✅" if verdict.passed else "❌"
    out = [f"### {mark} depreport check", "", _headline(verdict).capitalize()]
    if verdict.growths:
        out += ["", "| import | before | after | why | where |", "|---|---:|---:|---|---|"]
        for growth in verdict.growths:
            where = "<br>".join(
                f"{markdown_code(f'{path}:{line}', in_table=True)} {b} → {a}"
                for path, line, b, a in growth.sites
            )
            name, why = markdown_code(_name(growth), in_table=True), markdown_text(growth.why)
            out.append(f"| {name} | {growth.before} | {growth.after} | {why} | {where} |")
    return "\n".join(out) + "\n"


def _github(verdict: Verdict) -> str:
    out = []
    for growth in verdict.growths:
        for path, line, before, after in growth.sites:
            message = (
                f"{_name(growth)} grew from {growth.before} to {growth.after} {growth.unit} ({growth.why});"
                f" {before} → {after} in this file"
            )
            out.append(f"::error file={_escape(path, True)},line={line}::{_escape(message)}")
    out.append(
        ("::notice::" if verdict.passed else "::error::") + _escape("depreport check " + _headline(verdict))
    )
    return "\n".join(out) + "\n"


def _escape(value: str, is_property: bool = False) -> str:
    """GitHub workflow-command escaping (other control characters are shown escaped, as in text)."""
    value = plain(value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))
    return value.replace(":", "%3A").replace(",", "%2C") if is_property else value


_FORMATS: dict[str, Callable[[Verdict], str]] = {"text": _text, "markdown": _markdown, "github": _github}
