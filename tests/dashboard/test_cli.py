"""`depreport dashboard`: settings checked and handed to Streamlit, a clear error without the extra."""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from depreport.cli import dashboard as command
from depreport.cli import main

GITHUB = "https://github.com/{repo}/blob/{commit}/{path}#L{line}"


@pytest.fixture
def launched(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[tuple[list[str], dict[str, str]]]:
    """Runs of `depreport dashboard` from an empty folder, with Streamlit's launch recorded, not done."""
    calls: list[tuple[list[str], dict[str, str]]] = []

    def launch(argv: Sequence[str], env: Mapping[str, str]) -> int:
        calls.append((list(argv), dict(env)))
        return 0

    monkeypatch.setattr(command, "launch", launch)
    monkeypatch.chdir(tmp_path)
    for name in (
        "DEPREPORT_STORE",
        "DEPREPORT_URL_TEMPLATE",
        "DEPREPORT_ENDPOINT_URL",
        "DEPREPORT_TARGET_SHARE",
    ):
        monkeypatch.delenv(name, raising=False)
    return calls


def flag(argv: list[str], name: str) -> str:
    return argv[argv.index(name) + 1]


def test_starts_streamlit_on_localhost_with_the_settings(
    launched: list[Any], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["dashboard", "--store", "reports", "--port", "8999", "--url-template", GITHUB]) == 0
    [(argv, env)] = launched
    assert argv[:2] == ["streamlit", "run"] and Path(argv[2]) == command.app_path()
    assert Path(argv[2]).name == "app.py" and Path(argv[2]).is_file()
    assert (flag(argv, "--server.headless"), flag(argv, "--server.address"), flag(argv, "--server.port")) == (
        "true",
        "127.0.0.1",
        "8999",
    )
    assert flag(argv, "--browser.gatherUsageStats") == "false"
    assert (env["DEPREPORT_STORE"], env["DEPREPORT_URL_TEMPLATE"], env["DEPREPORT_DASHBOARD_TTL"]) == (
        "reports",
        GITHUB,
        "300",
    )
    assert "DEPREPORT_ENDPOINT_URL" not in env
    assert "http://127.0.0.1:8999" in capsys.readouterr().err


def test_s3_store_with_endpoint(launched: list[Any]) -> None:
    assert (
        main(["dashboard", "--store", "s3://bucket/reports", "--endpoint-url", "http://127.0.0.1:8333"]) == 0
    )
    env = launched[0][1]
    assert (env["DEPREPORT_STORE"], env["DEPREPORT_ENDPOINT_URL"]) == (
        "s3://bucket/reports",
        "http://127.0.0.1:8333",
    )


def test_store_from_the_environment_and_template_from_config(
    launched: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEPREPORT_STORE", "/srv/reports")
    Path("depreport.toml").write_text(f'[dashboard]\nurl_template = "{GITHUB}"\ncache_ttl = 60\n')
    assert main(["dashboard"]) == 0
    env = launched[0][1]
    assert (env["DEPREPORT_STORE"], env["DEPREPORT_URL_TEMPLATE"], env["DEPREPORT_DASHBOARD_TTL"]) == (
        "/srv/reports",
        GITHUB,
        "60",
    )
    assert "DEPREPORT_TARGET_SHARE" not in env
    assert main(["dashboard", "--url-template", "https://h/{path}", "--cache-ttl", "5"]) == 0
    assert (launched[1][1]["DEPREPORT_URL_TEMPLATE"], launched[1][1]["DEPREPORT_DASHBOARD_TTL"]) == (
        "https://h/{path}",
        "5",
    )


@pytest.mark.parametrize(
    ("args", "config", "message"),
    [
        pytest.param(
            ["--url-template", "javascript:alert(1)"], "", "must start with https://", id="template-scheme"
        ),
        pytest.param(
            ["--url-template", "https://h/{branch}"], "", "unknown field(s) branch", id="template-field"
        ),
        pytest.param(
            [], '[dashboard]\nurl_templte = "x"\n', "unknown key dashboard.url_templte", id="config-key"
        ),
        pytest.param(
            [], '[dashboard]\nurl_templte = "x"\n', "did you mean 'url_template'?", id="config-key-nearest"
        ),
        pytest.param(
            [], "[dashboard]\ncache_ttl = true\n", "dashboard.cache_ttl has the wrong type", id="config-type"
        ),
        pytest.param(
            [],
            "[dashboard]\ntarget_share = 80.0\n",
            "at most 1 (a fraction: 0.8 for 80%)",
            id="target-percent",
        ),
        pytest.param([], "[dashboard]\ntarget_share = 0.0\n", "must be above 0", id="target-zero"),
        pytest.param(
            [],
            '[dashboard]\ntarget_share = "80%"\n',
            "dashboard.target_share has the wrong type",
            id="target-text",
        ),
        pytest.param(["--cache-ttl", "-1"], "", "is negative", id="negative-ttl"),
        pytest.param(["--store", "ftp://x/y"], "", "unsupported scheme", id="store-scheme"),
        pytest.param(
            ["--store", "reports", "--endpoint-url", "http://h"],
            "",
            "not an s3:// URI",
            id="endpoint-for-folder",
        ),
    ],
)
def test_bad_settings_fail_before_starting(
    launched: list[Any], capsys: pytest.CaptureFixture[str], args: list[str], config: str, message: str
) -> None:
    Path("depreport.toml").write_text(config)
    assert main(["dashboard", *args]) == 2
    assert message in capsys.readouterr().err and launched == []


def test_without_streamlit_says_what_to_install(
    launched: list[Any], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real = importlib.util.find_spec

    def find_spec(name: str, *args: Any) -> Any:
        return None if name == "streamlit" else real(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    assert main(["dashboard"]) == 2
    err = capsys.readouterr().err
    assert "the dashboard needs streamlit, which is not installed" in err
    assert "pip install 'depreport[dashboard]'" in err and launched == []


@pytest.mark.parametrize(("written", "share"), [("0.8", 0.8), ("1", 1.0)])  # TOML's 1 is an integer
def test_the_target_share_from_config_reaches_the_page(
    launched: list[Any], written: str, share: float
) -> None:
    Path("depreport.toml").write_text(f"[dashboard]\ntarget_share = {written}\n")
    assert main(["dashboard", "--store", "reports"]) == 0
    env = launched[0][1]
    assert float(env["DEPREPORT_TARGET_SHARE"]) == share
    from dashboard.settings import Settings

    assert Settings.from_env(env).target_share == share


def test_the_page_url_brackets_an_ipv6_address() -> None:
    from depreport.cli.dashboard import page_url

    assert page_url("::1", 8631) == "http://[::1]:8631"
    assert page_url("127.0.0.1", 8501) == "http://127.0.0.1:8501"


def test_a_local_store_that_is_a_file_exits_3_before_serving(
    launched: list[Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """It served a page with no reports over a store given as a file."""
    (tmp_path / "store").write_text("", encoding="utf-8")
    assert main(["dashboard", "--store", str(tmp_path / "store")]) == 3
    assert "is not a folder" in capsys.readouterr().err and launched == []
