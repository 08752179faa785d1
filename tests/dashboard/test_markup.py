"""Escaping names from reports for Markdown, chart text, and building file links from a URL template."""

from __future__ import annotations

import pytest

from dashboard.markup import (
    TemplateError,
    chart_text,
    check_url_template,
    file_item,
    file_url,
    md_code,
    md_table,
    md_text,
)

GITHUB = "https://github.com/{repo}/blob/{commit}/{path}#L{line}"
XSS = "src/<img src=x onerror=alert(1)>.tsx"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("Evergreen v4", "Evergreen v4", id="plain"),
        pytest.param(XSS, r"src\/\<img src\=x onerror\=alert\(1\)\>\.tsx", id="html-tag"),
        pytest.param("*bold* _it_ $x$", r"\*bold\* \_it\_ \$x\$", id="emphasis-and-math"),
        pytest.param("[a](javascript:x)", r"\[a\]\(javascript\:x\)", id="link"),
        pytest.param("![i](http://h/i.png)", r"\!\[i\]\(http\:\/\/h\/i\.png\)", id="image"),
        pytest.param("a\nb", r"a\\x0ab", id="newline-shown-not-obeyed"),
    ],
)
def test_md_text_escapes_every_markdown_character(value: str, expected: str) -> None:
    assert md_text(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("Button", "` Button `", id="plain"),
        pytest.param(XSS, f"` {XSS} `", id="html-is-literal-in-code"),
        pytest.param("a`b", "`` a`b ``", id="one-backtick"),
        pytest.param("x``y`", "``` x``y` ```", id="longest-run-decides"),
        pytest.param("a\r\nb", r"` a\x0d\x0ab `", id="control-characters"),
    ],
)
def test_md_code_fences_longer_than_any_backtick_run(value: str, expected: str) -> None:
    assert md_code(value) == expected


def test_chart_text_keeps_names_and_shows_control_characters() -> None:
    assert chart_text('<a href="javascript:x">&</a>') == '<a href="javascript:x">&</a>'  # ECharts draws text
    assert chart_text("two\nlines") == r"two\x0alines"


@pytest.mark.parametrize(
    "template",
    [
        pytest.param(GITHUB, id="github"),
        pytest.param("https://gitlab.example.com/{repo}/-/blob/{commit}/{path}#L{line}", id="gitlab"),
        pytest.param("http://code.local/{path}", id="only-path"),
    ],
)
def test_good_templates(template: str) -> None:
    assert check_url_template(template) == template


@pytest.mark.parametrize(
    ("template", "message"),
    [
        pytest.param("javascript:alert(1)//{path}", "must start with https://", id="javascript-scheme"),
        pytest.param("github.com/{repo}/{path}", "must start with https://", id="no-scheme"),
        pytest.param("https://h/{branch}/{path}", "unknown field(s) branch", id="unknown-field"),
        pytest.param("https://h/{path", "malformed", id="unclosed-brace"),
        pytest.param("https://h/{path:>999999999}", "formats a field ({path:>999999999})", id="huge-width"),
        pytest.param("https://h/{path}#L{line:d}", "formats a field ({line:d})", id="spec-that-fails"),
        pytest.param("https://h/{path!r}", "formats a field ({path!r})", id="conversion"),
    ],
)
def test_bad_templates_say_why(template: str, message: str) -> None:
    with pytest.raises(TemplateError, match=message.replace("(", r"\(").replace(")", r"\)")):
        check_url_template(template)


def test_file_url_quotes_each_part() -> None:
    url = file_url(GITHUB, "acme/app", "ab" * 20, XSS, 3)
    assert (
        url
        == f"https://github.com/acme/app/blob/{'ab' * 20}/src/%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E.tsx#L3"
    )
    assert file_url(GITHUB, "acme/app", "c", "a (1)/#b?.ts", None) == (
        "https://github.com/acme/app/blob/c/a%20%281%29/%23b%3F.ts#L"
    )
    assert file_url(None, "acme/app", "c", "a.ts", 1) is None


def test_file_item_links_the_file_and_every_line() -> None:
    item = file_item("https://h/{path}#L{line}", "r", "c", "src/a.ts", (2, 9))
    assert (
        item
        == "- [` src/a.ts `](https://h/src/a.ts#L2) — lines [2](https://h/src/a.ts#L2), [9](https://h/src/a.ts#L9)"
    )
    assert file_item(None, "r", "c", XSS, (1,)) == f"- ` {XSS} ` — line 1"


def test_md_table_escapes_every_cell() -> None:
    table = md_table(["file", "n"], [[XSS, 1], ["a|b", 22]], right=["n"])
    assert table.split("\n") == [
        "| file | n |",
        "|---|---:|",
        r"| src\/\<img src\=x onerror\=alert\(1\)\>\.tsx | 1 |",
        r"| a\|b | 22 |",
    ]
