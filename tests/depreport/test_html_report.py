"""`depreport report`: one self-contained HTML file, checked as text and in headless Chromium offline.

The store is the sample app's git history backfilled week by week (fixtures/sample_app), its last commit
adding a file named like an HTML injection that imports `Button`: a real diff for "what changed".
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from depreport.report.htmlreport.content import link_parts
from depreport.report.htmlreport.page import json_for_html, script_text
from depreport.store import LocalStore
from tests.dashboard.browser import chromium, require_chromium
from tests.dashboard.conftest import adoption_rows, build_backfilled_store, run_cli

REPO = "acme/sample-app"
GITHUB = "https://github.com/{repo}/blob/{commit}/{path}#L{line}"
XSS = "<img src=x onerror=alert(1)>"
XSS_FILE = f"src/{XSS}.tsx"
WEEKS = 8


@dataclass(frozen=True)
class Built:
    """A backfilled store, the page made from it, and what `depreport adoption` says of it."""

    store: Path
    page: Path
    html: str
    latest: dict[str, Any]  # the newest full report
    headline: dict[str, Any]  # group, share, change and counts of the target, from `depreport adoption`
    groups: list[dict[str, Any]]  # every group's row of `depreport adoption`


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("html-report")
    source = "import { Button } from 'evergreen-ui';\n"
    store, _ = build_backfilled_store(root, WEEKS, REPO, last_commit={XSS_FILE: source})
    page = root / "out" / "adoption.html"
    code, _, err = run_cli("report", "--store", str(store), "--out", str(page), "--url-template", GITHUB)
    assert code == 0, err
    assert f"wrote {page}" in err
    local = LocalStore(store)
    rows = adoption_rows(store)
    [target] = [row for row in rows if row["target"]]
    return Built(store, page, page.read_text(encoding="utf-8"), local.get_report(local.list_runs(REPO)[-1]),
                 target, rows)  # fmt: skip


class Tags(HTMLParser):
    """Every start tag of a page with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_the_page_fetches_nothing_and_shows_names_as_text(built: Built) -> None:
    parser = Tags()
    parser.feed(built.html)
    fetching = [(tag, attrs) for tag, attrs in parser.tags if attrs.get("src") or (tag == "link" and
                not str(attrs.get("href")).startswith("data:"))]  # fmt: skip
    assert fetching == []  # every script and style is inlined
    assert [tag for tag, _ in parser.tags if tag in ("img", "iframe", "object", "embed")] == []
    csp = next(a["content"] for t, a in parser.tags if t == "meta" and a.get("http-equiv"))
    assert csp is not None and "default-src 'none'" in csp and "connect-src 'none'" in csp
    assert "<img" not in built.html  # the file name is escaped in HTML and in the JSON data alike
    assert "src/&lt;img src=x onerror=alert(1)&gt;.tsx" in built.html
    assert "Apache License" in built.html  # the bundled chart library's licence travels with it


def test_the_headline_is_what_depreport_adoption_says(built: Built) -> None:
    head = built.headline
    assert f'<p class="value">{head["share"]:.1f}%</p>' in built.html
    if head.get("change") is not None:
        assert f"{head['change']:+.1f} pts since last week</p>" in built.html
    if "imports" in head:
        total = sum(row["imports"] for row in built.groups)
        assert f"{head['imports']:,} of {total:,} imports</p>" in built.html


def test_what_changed_lists_the_newest_commits_imports(built: Built) -> None:
    section = built.html[built.html.index('<section id="changes">') :]
    section = section[: section.index("</section>")]
    assert "What changed in the week of" in section
    row = "<tr><td>src/&lt;img src=x onerror=alert(1)&gt;.tsx</td><td>evergreen-ui</td><td>Button</td><td>1</td>"
    assert row in section  # the file added by the last commit imports Button on line 1
    assert "Evergreen v4: " in section and '<span class="added">+' in section


def test_link_parts_cut_where_the_line_goes() -> None:
    before, after = link_parts(GITHUB, "acme/app", "ab12", f"src/{XSS}.tsx")
    assert (
        before
        == "https://github.com/acme/app/blob/ab12/src/%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E.tsx#L"
    )
    assert after == ""
    assert link_parts("https://h/{repo}/{path}", "r", "c", "a.ts") == ["https://h/r/a.ts"]
    assert link_parts(None, "r", "c", "a.ts") == []


def test_inlined_text_cannot_close_its_script() -> None:
    assert json.loads(json_for_html({"name": "</script><!-- & >"})) == {"name": "</script><!-- & >"}
    assert "<" not in json_for_html({"name": "</script>"})
    assert "</script" not in script_text("x = '</script>'; // <!--")


def test_the_target_share_from_config_is_a_line_on_the_trend(built: Built, tmp_path: Path) -> None:
    config = tmp_path / "depreport.toml"
    config.write_text("[dashboard]\ntarget_share = 0.9\n", encoding="utf-8")
    out = tmp_path / "a.html"
    assert run_cli("report", "--store", str(built.store), "--out", str(out), "--config", str(config))[0] == 0
    page = out.read_text(encoding="utf-8")
    assert '"markLine":' in page and '"yAxis":90.0' in page and "The dashed line is the target, 90%." in page
    assert '"markLine":' not in built.html
    config.write_text("[dashboard]\ntarget_share = 90.0\n", encoding="utf-8")
    code, _, err = run_cli("report", "--store", str(built.store), "--out", str(out), "--config", str(config))
    assert code == 2 and "dashboard.target_share" in err and "0.8 for 80%" in err


def test_weeks_without_a_run_are_blank_and_said(built: Built, tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(built.store, store)
    local = LocalStore(store)
    runs = local.list_runs(REPO)
    for ref in runs[1:-1]:  # published only in the first and the last week: 6 weeks between, 2 of them stale
        (local.root / ref.report_key).unlink()
        (local.root / ref.summary_key).unlink()
    out = tmp_path / "a.html"
    assert run_cli("report", "--store", str(store), "--out", str(out))[0] == 0
    page = out.read_text(encoding="utf-8")
    assert "left blank, not drawn as a change.</p>" in page and "No run counts in 2 weeks (" in page
    assert page.count('<td class="num">no run</td>') >= 2  # the weekly table too
    assert "No run counts" not in built.html and ">no run</td>" not in built.html


def test_an_empty_store_says_what_to_publish(tmp_path: Path) -> None:
    code, _, err = run_cli("report", "--store", str(tmp_path / "none"), "--out", str(tmp_path / "a.html"))
    assert code == 2 and "holds no reports" in err and "depreport scan . --publish" in err
    assert not (tmp_path / "a.html").exists()


@pytest.mark.e2e
def test_the_page_in_chromium_offline(built: Built) -> None:
    require_chromium()
    button = built.latest["packages"]["evergreen-ui"]["exports"]["Button"]["files"]
    with chromium() as browser:
        context = browser.new_context(offline=True, viewport={"width": 1100, "height": 1000})
        page = context.new_page()
        requests: list[str] = []
        errors: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("dialog", lambda dialog: (errors.append(f"dialog {dialog.message}"), dialog.dismiss()))
        page.goto(built.page.as_uri())
        page.wait_for_function("() => document.querySelector('#treemap svg text')", timeout=30_000)
        value = page.locator(".card.target .value").inner_text()
        assert value == f"{built.headline['share']:.1f}%"
        colours = page.evaluate(COLOURS)
        assert colours["trend"] and colours["trend"] == {g: colours["treemap"][g] for g in colours["trend"]}
        assert colours["cards"] == colours["trend"]  # one colour per group, in every part of the page
        click_tile(page, "Button")
        panel = page.locator("#files")
        assert panel.locator("h3").inner_text() == "Files importing Button from evergreen-ui"
        items = panel.locator("li").all_inner_texts()
        assert len(items) == len(button)
        assert f"{XSS_FILE} — line 1" in items
        home = next(path for path in sorted(button) if path != XSS_FILE)
        assert (
            f"{home} — {'line' if len(button[home]) == 1 else 'lines'} {', '.join(map(str, button[home]))}"
            in items
        )
        href = panel.locator("a", has_text=XSS_FILE).get_attribute("href")
        commit = built.latest["commit"]
        assert (
            href
            == f"https://github.com/{REPO}/blob/{commit}/src/%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E.tsx#L1"
        )
        assert page.locator('img[src="x"]').count() == 0
        context.close()
    assert errors == []
    assert requests == [built.page.as_uri()]  # nothing but the file itself


COLOURS = """() => {
  const trend = echarts.getInstanceByDom(document.getElementById('trend')).getOption();
  const treemap = echarts.getInstanceByDom(document.getElementById('treemap')).getOption();
  const cards = {};
  document.querySelectorAll('.card').forEach(card => {
    const name = card.querySelector('.label').textContent.split(': share of')[0];
    cards[name] = card.style.borderTopColor;
  });
  const hex = c => '#' + c.match(/\\d+/g).slice(0, 3).map(n => Number(n).toString(16).padStart(2, '0')).join('');
  return {
    trend: Object.fromEntries(trend.series.map(s => [s.name, s.areaStyle.color])),
    treemap: Object.fromEntries(treemap.series[0].data.map(t => [JSON.parse(t.id)[0], t.itemStyle.color])),
    cards: Object.fromEntries(Object.entries(cards).map(([name, colour]) => [name, hex(colour)])),
  };
}"""


def click_tile(page: Any, label: str) -> None:
    """Click the treemap tile whose label starts with ``label`` (its first line)."""
    for text in page.locator("#treemap svg text").all():
        if (text.text_content() or "").split("\n")[0] == label:
            text.click()
            page.locator("#files h3").wait_for(timeout=10_000)
            return
    raise AssertionError(f"no tile labelled {label!r}")
