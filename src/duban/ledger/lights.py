"""Status lights (红黄蓝绿灯): named rules, thresholds from configuration; the status queries.

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
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict, dataclass
from datetime import date, datetime
from functools import lru_cache

from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.orm import Session, aliased

from duban.ledger.clock import local_date
from duban.ledger.config import LightConfig
from duban.ledger.models import Period, Plan, Report, Task, TaskUnit, Unit
from duban.ledger.reported import target_states

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


def light(**kw) -> str:
    """The light of one task (`light_rule` without the rule)."""
    return light_rule(**kw)[0]


def last_due_period(session: Session, *, now: datetime) -> Period | None:
    """The most recent period whose cut-off has passed: the report that should be in."""
    return session.execute(
        select(Period).where(Period.cutoff < now).order_by(Period.cutoff.desc()).limit(1)
    ).scalar_one_or_none()


@dataclass
class StatusRow:
    task_id: int
    plan: str
    path: str
    title: str
    status: str
    lead_unit: str
    due_date: date | None
    percent: float | None
    light: str
    report_missing: bool
    rule: str = ""  # the rule that gave the light (RULE_NAMES)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["rule_name"] = RULE_NAMES.get(self.rule, "")
        d["due_date"] = self.due_date.isoformat() if self.due_date else None
        return d


def status_rows(
    session: Session,
    *,
    now: datetime,
    cfg: LightConfig,
    unit_id: int | None = None,
    only_light: str | None = None,
    include_unassigned: bool = False,
    plan_id: int | None = None,
    task_ids: Collection[int] | Select | None = None,
) -> list[StatusRow]:
    """Every current task with its light and rule (one query for tasks, one for the period's reports,
    two for the latest reported values).

    `plan_id` and `task_ids` narrow the rows, so a page or a plan's dashboard computes the lights
    of its own tasks only, not of every task in the ledger.
    """
    today = local_date(now)
    day = lru_cache(maxsize=None)(local_date)  # assignments share few timestamps; zone math once each
    period = last_due_period(session, now=now)
    reported: set[int] = set()
    if period is not None:
        reported = set(session.execute(select(Report.unit_id).where(Report.period_id == period.id)).scalars())
    lead = aliased(TaskUnit)
    stmt = (
        select(
            Task.id,
            Plan.title,
            Task.path,
            Task.title,
            Task.status,
            Unit.id,
            Unit.name,
            Task.due_date,
            Task.last_percent,
            Task.assigned_at,
        )
        .join(Plan, Plan.id == Task.plan_id)
        .outerjoin(lead, and_(lead.task_id == Task.id, lead.role == "lead"))
        .outerjoin(Unit, Unit.id == lead.unit_id)
        .where(Task.removed_at.is_(None))
        .order_by(Task.plan_id, Task.position)
    )
    if not include_unassigned:
        stmt = stmt.where(Task.status != "unassigned")
    red_is_overdue = cfg.behind_red_points <= 0 and cfg.target_short != "red"
    if only_light == "red" and red_is_overdue:  # the rules' only red, pushed into SQL: overdue and open
        stmt = stmt.where(Task.due_date < today, Task.status.not_in(("closed", "unassigned")))
    if unit_id is not None:
        mine = select(TaskUnit.task_id).where(TaskUnit.unit_id == unit_id)
        stmt = stmt.where(Task.id.in_(mine))
    if plan_id is not None:
        stmt = stmt.where(Task.plan_id == plan_id)
    if isinstance(task_ids, Select):  # a subquery of matching ids
        stmt = stmt.where(Task.id.in_(task_ids))
    elif task_ids is not None:
        if not task_ids:
            return []
        stmt = stmt.where(Task.id.in_(list(task_ids)))
    found = session.execute(stmt).all()
    short: set[int] = set()
    if cfg.target_short:
        open_ids = [r[0] for r in found if r[4] not in ("closed", "unassigned")]
        states = target_states(session, task_ids=open_ids)
        short = {tid for tid, ts in states.items() if any(t.state == "not_met" for t in ts)}
    rows = []
    for tid, plan, path, title, status, uid, uname, due, pct, assigned_at in found:
        missing = bool(
            period is not None
            and uid is not None
            and uid not in reported
            and assigned_at is not None
            and day(assigned_at) <= period.end
        )
        lt, rule = light_rule(
            status=status,
            due_date=due,
            today=today,
            cfg=cfg,
            percent=pct,
            assigned_on=day(assigned_at) if assigned_at else None,
            report_missing=missing,
            target_short=tid in short,
        )
        if only_light and lt != only_light:
            continue
        rows.append(StatusRow(tid, plan, path, title, status, uname or "", due, pct, lt, missing, rule))
    return rows


@dataclass
class UnitCompletion:
    unit_id: int
    unit: str
    tasks: int
    closed: int
    avg_percent: float | None

    @property
    def rate(self) -> float:
        return self.closed / self.tasks if self.tasks else 0.0


def unit_completion(session: Session) -> list[UnitCompletion]:
    """Per lead unit: tasks, closed tasks, average reported percent (one grouped query)."""
    stmt = (
        select(
            Unit.id,
            Unit.name,
            func.count(Task.id),
            func.sum(case((Task.status == "closed", 1), else_=0)),
            func.avg(Task.last_percent),
        )
        .join(TaskUnit, TaskUnit.unit_id == Unit.id)
        .join(Task, Task.id == TaskUnit.task_id)
        .where(TaskUnit.role == "lead", Task.removed_at.is_(None))
        .group_by(Unit.id, Unit.name)
        .order_by(Unit.id)
    )
    return [
        UnitCompletion(uid, name, n, int(closed or 0), float(avg) if avg is not None else None)
        for uid, name, n, closed, avg in session.execute(stmt)
    ]
