"""Local policy in configuration: status-light thresholds, reminder ladder, SMTP.

Read from a TOML file (`DUBAN_CONFIG`, else `duban.toml` in the data directory);
every key has a default, so the file is optional.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from duban.ledger.db import data_dir


@dataclass(frozen=True)
class LightConfig:
    """The light rules' thresholds (`lights.RULES` names each rule); a colour "" switches a rule off."""

    due_soon_days: int = 7  # blue when the due date is this close
    behind_tolerance: float = (
        15.0  # yellow when percent lags elapsed time (序时进度) by more than this (points)
    )
    behind_red_points: float = 0.0  # red when it lags by more than this (0: never red for lagging)
    report_missing_is_yellow: bool = True  # yellow when this period's report is missing after cut-off
    target_short: str = "yellow"  # a reported value short of its target: "yellow", "red" or "" (off)

    def __post_init__(self) -> None:
        if self.target_short not in ("", "yellow", "red"):
            raise ValueError(f"配置项 lights.target_short 应为 yellow、red 或空：{self.target_short}")


@dataclass(frozen=True)
class ReminderConfig:
    days_before: tuple[int, ...] = (7, 3)  # ladder before the due date
    overdue_daily: bool = True  # one reminder a day once overdue
    overdue_cap: int = 10  # at most this many overdue reminders per task and due date
    sign_days: int = 3  # 签收 time limit: a unit not signed this many days after 交办 is reminded (0: never)


@dataclass(frozen=True)
class ReportConfig:
    # false: a co-unit (配合单位) sends its input on a task to the lead unit, which folds it into its
    # report, and only lead units are owed a report; true: co-units also report to the supervisor
    co_units_report_directly: bool = False


@dataclass(frozen=True)
class SmtpConfig:
    host: str = ""  # empty: no e-mail, inbox only
    port: int = 25
    sender: str = "duban@localhost"
    username: str = ""
    password: str = ""
    starttls: bool = False
    timeout: float = 10.0


@dataclass(frozen=True)
class NotifyConfig:
    """Push channels for reminders besides inbox and e-mail; a channel is on when its URL is set."""

    webhook_url: str = ""  # generic: JSON POST, signed with webhook_secret (X-Duban-Signature)
    webhook_secret: str = ""
    wecom_url: str = ""  # 企业微信 group robot: https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…
    dingtalk_url: str = ""  # 钉钉 group robot: https://oapi.dingtalk.com/robot/send?access_token=…
    dingtalk_secret: str = ""  # 加签 secret (SEC…), optional
    timeout: float = 5.0
    max_attempts: int = 5  # then the delivery is marked failed and shown to the admin
    retry_minutes: tuple[int, ...] = (1, 5, 15, 60)  # wait before the 2nd, 3rd, … try (last one repeats)


@dataclass(frozen=True)
class WebConfig:
    idle_timeout_minutes: int = 30  # 等保: a session unused this long ends
    session_max_hours: int = 12  # and no session lives longer than this
    secure_cookie: bool = False  # true behind an HTTPS reverse proxy
    tick_interval_minutes: int = 15  # `duban serve` runs lights + reminders this often
    max_upload_mb: int = 50
    parse_timeout_seconds: int = 240  # an upload's read + parse is stopped after this (plan/worker.py)
    parse_memory_mb: int = 1536  # and may use this much memory


@dataclass(frozen=True)
class Config:
    lights: LightConfig = field(default_factory=LightConfig)
    reminders: ReminderConfig = field(default_factory=ReminderConfig)
    reports: ReportConfig = field(default_factory=ReportConfig)
    smtp: SmtpConfig = field(default_factory=SmtpConfig)
    web: WebConfig = field(default_factory=WebConfig)
    notify: NotifyConfig = field(default_factory=NotifyConfig)


def _build(cls: type, data: dict[str, Any]) -> Any:
    known = {f.name: f for f in fields(cls)}
    kwargs = {}
    for key, value in data.items():
        if key not in known:
            raise ValueError(f"配置项未知：{key}")
        kwargs[key] = tuple(value) if isinstance(value, list) else value
    return cls(**kwargs)


def load_config(path: str | Path | None = None) -> Config:
    """Config from a TOML file; defaults when there is none."""
    if path is None:
        env = os.environ.get("DUBAN_CONFIG")
        path = Path(env) if env else data_dir() / "duban.toml"
    path = Path(path)
    if not path.exists():
        return Config()
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return Config(
        lights=_build(LightConfig, data.get("lights", {})),
        reminders=_build(ReminderConfig, data.get("reminders", {})),
        reports=_build(ReportConfig, data.get("reports", {})),
        smtp=_build(SmtpConfig, data.get("smtp", {})),
        web=_build(WebConfig, data.get("web", {})),
        notify=_build(NotifyConfig, data.get("notify", {})),
    )
