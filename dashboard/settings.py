"""What the dashboard reads and how it links: taken from environment variables.

`depreport dashboard` sets these for the Streamlit process; `streamlit run dashboard/app.py` and
Streamlit's AppTest read the same variables, so every way of starting the app behaves alike. The store is
never taken from the page URL: a visitor must not be able to point the server at another bucket or folder.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from dashboard.markup import TemplateError, check_url_template

ENV_STORE = "DEPREPORT_STORE"
ENV_ENDPOINT_URL = "DEPREPORT_ENDPOINT_URL"
ENV_URL_TEMPLATE = "DEPREPORT_URL_TEMPLATE"
ENV_TTL = "DEPREPORT_DASHBOARD_TTL"
ENV_TARGET_SHARE = "DEPREPORT_TARGET_SHARE"
ENV_GROUPS = "DEPREPORT_GROUPS"  # today's adoption groups, as JSON (`Groups.to_json`)
DEFAULT_STORE = ".depreport/store"
DEFAULT_TTL = 300  # seconds a store read is cached; a CI run publishes at most every few minutes


@dataclass(frozen=True)
class Settings:
    """The store to read, its S3 endpoint, the link template, the cache lifetime, the target share and
    today's adoption groups."""

    store: str = DEFAULT_STORE
    endpoint_url: str | None = None
    url_template: str | None = None
    ttl: int = DEFAULT_TTL
    template_problem: str | None = None  # why a configured template was ignored
    target_share: float | None = None  # 0..1: the share the target group should reach (a line on the trend)
    target_problem: str | None = None  # why a configured target share was ignored
    groups: str = ""  # today's adoption groups as JSON (`Groups.to_json`); "" counts each run as it was made

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Settings from the environment (``os.environ`` by default); a bad template is set aside."""
        env = os.environ if env is None else env
        template = env.get(ENV_URL_TEMPLATE) or None
        problem = None
        if template is not None:
            try:
                check_url_template(template)
            except TemplateError as error:
                template, problem = None, str(error)
        target, target_problem = None, None
        try:
            target = check_target_share(env[ENV_TARGET_SHARE]) if env.get(ENV_TARGET_SHARE) else None
        except ValueError as error:
            target_problem = str(error)
        return cls(
            store=env.get(ENV_STORE) or DEFAULT_STORE,
            endpoint_url=env.get(ENV_ENDPOINT_URL) or None,
            url_template=template,
            ttl=parse_ttl(env.get(ENV_TTL)),
            template_problem=problem,
            target_share=target,
            target_problem=target_problem,
            groups=env.get(ENV_GROUPS) or "",
        )

    def to_env(self) -> dict[str, str]:
        """The variables that give these settings to a Streamlit process."""
        env = {ENV_STORE: self.store, ENV_TTL: str(self.ttl)}
        if self.endpoint_url:
            env[ENV_ENDPOINT_URL] = self.endpoint_url
        if self.url_template:
            env[ENV_URL_TEMPLATE] = self.url_template
        if self.target_share is not None:
            env[ENV_TARGET_SHARE] = repr(self.target_share)
        if self.groups:
            env[ENV_GROUPS] = self.groups
        return env


def check_target_share(value: object) -> float:
    """A target share as a fraction above 0 and at most 1 (0.8 for 80%); ValueError says what is wrong."""
    not_a_number = f"target share {value!r} is not a number; write a fraction, e.g. 0.8 for 80%"
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(not_a_number)
    try:
        share = float(value)
    except ValueError:
        raise ValueError(not_a_number) from None
    if not 0 < share <= 1:
        hint = " (a fraction: 0.8 for 80%)" if 1 < share <= 100 else ""
        raise ValueError(f"target share {value!r} must be above 0 and at most 1{hint}")
    return share


def parse_ttl(value: str | None) -> int:
    """A cache lifetime in seconds; the default for a missing or unusable value."""
    try:
        seconds = int(value) if value else DEFAULT_TTL
    except ValueError:
        return DEFAULT_TTL
    return seconds if seconds >= 0 else DEFAULT_TTL
