"""Status lights (红黄蓝绿灯): named rules, thresholds from configuration; pure, no database.

The rules, first match wins (so the page can say which one fired):
- overdue (red): past the due date in force and not closed;
- behind_red (red, off by default): progress lags the elapsed share of the task's time
  (序时进度) by more than `behind_red_points`;
- behind (yellow): it lags by more than `behind_tolerance`;
- report_missing (yellow): the lead unit has not reported in the last closed period;
- target_short (yellow or red, `target_short`): a reported value falls short of its target;
- due_soon (blue): due within `due_soon_days`;
- on_track (green): otherwise; closed (green): every closed task.
Unassigned tasks have no light (""). A task waiting for 销号 is not judged on progress or reports.
`duban.ledger.read.lights.status_rows` reads the tasks and applies these rules.
"""

from __future__ import annotations

from datetime import date

from duban.ledger.config import LightConfig

LIGHTS = ("red", "yellow", "blue", "green")
LIGHT_NAMES = {"red": "红灯", "yellow": "黄灯", "blue": "蓝灯", "green": "绿灯", "": "—"}
RULE_NAMES = {
    "overdue": "已超过完成时限",
    "behind_red": "进度严重落后于序时进度",
    "behind": "进度落后于序时进度",
    "report_missing": "上一报送周期进展未按时报送",
    "target_short": "报送值未达到目标",
    "due_soon": "临近完成时限",
    "on_track": "进展正常",
    "closed": "已销号",
    "": "",
}


def elapsed_share(*, assigned_on: date | None, due_date: date, today: date) -> float | None:
    """序时进度: the share of the task's time gone, in percent (None without a span to measure)."""
    if assigned_on is None or due_date <= assigned_on:
        return None
    return min(100.0, max(0.0, (today - assigned_on).days / (due_date - assigned_on).days * 100))


def light_rule(
    *,
    status: str,
    due_date: date | None,
    today: date,
    cfg: LightConfig,
    percent: float | None = None,
    assigned_on: date | None = None,
    report_missing: bool = False,
    target_short: bool = False,
) -> tuple[str, str]:
    """(light, the rule that gave it) for one task."""
    if status == "unassigned" or due_date is None:
        return "", ""
    if status == "closed":
        return "green", "closed"
    if today > due_date:
        return "red", "overdue"
    judged = status != "closeout_requested"  # waiting for 销号: the supervisor judges it now
    elapsed = elapsed_share(assigned_on=assigned_on, due_date=due_date, today=today)
    lag = elapsed - (percent or 0.0) if elapsed is not None and judged else None
    if lag is not None and cfg.behind_red_points > 0 and lag > cfg.behind_red_points:
        return "red", "behind_red"
    if target_short and judged and cfg.target_short == "red":
        return "red", "target_short"
    if lag is not None and lag > cfg.behind_tolerance:
        return "yellow", "behind"
    if report_missing and cfg.report_missing_is_yellow and judged:
        return "yellow", "report_missing"
    if target_short and judged and cfg.target_short == "yellow":
        return "yellow", "target_short"
    if (due_date - today).days <= cfg.due_soon_days:
        return "blue", "due_soon"
    return "green", "on_track"


def needs_targets(*, status: str, due_date: date | None, today: date) -> bool:
    """Whether the target_short rule can decide this task's light, so its reported figures must be
    read: not when an earlier rule always wins (no light, closed, overdue) or it waits for 销号."""
    return (
        status not in ("unassigned", "closed", "closeout_requested")
        and due_date is not None
        and today <= due_date
    )


def red_means_overdue(cfg: LightConfig) -> bool:
    """Whether overdue is the only rule that gives red under this configuration (the default)."""
    return cfg.behind_red_points <= 0 and cfg.target_short != "red"


def light(**kw) -> str:
    """The light of one task (`light_rule` without the rule)."""
    return light_rule(**kw)[0]
