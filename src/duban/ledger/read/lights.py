"""The lights of the current tasks, read from the ledger and judged by the rules of `ledger.lights`."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from pydantic import computed_field
from sqlalchemy import ColumnElement, Select, and_, select
from sqlalchemy.orm import Session, aliased

from duban.ledger.clock import local_date
from duban.ledger.config import LightConfig
from duban.ledger.lights import RULE_NAMES, light_rule, needs_targets, red_means_overdue
from duban.ledger.models import Period, Plan, Report, Task, TaskUnit, Unit
from duban.ledger.reported import short_of_targets


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

    @computed_field
    @property
    def rule_name(self) -> str:
        return RULE_NAMES.get(self.rule, "")


NOT_OVERDUE = ("closed", "unassigned")  # statuses never overdue, whatever their due date


def overdue_clause(today: date) -> ColumnElement[bool]:
    """The overdue rule of `lights.light_rule` as SQL: past its due date and open (a red light)."""
    return and_(Task.due_date < today, Task.status.not_in(NOT_OVERDUE))


def needs_targets_clause(today: date) -> ColumnElement[bool]:
    """`lights.needs_targets` as SQL: open, with a due date not yet passed (the ticker's tasks whose
    light the target_short rule may decide). The rows are judged by `needs_targets` again."""
    return and_(
        Task.status.not_in(("unassigned", "closed", "closeout_requested")),
        Task.due_date.is_not(None),
        Task.due_date >= today,
    )


BY_SUBQUERY = 1000  # more tasks than this to judge: their targets are read by subquery, not by ids


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
    if only_light == "red" and red_means_overdue(cfg):  # the rules' only red, pushed into SQL
        stmt = stmt.where(overdue_clause(today))
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
        judged = {r[0] for r in found if needs_targets(status=r[4], due_date=r[7], today=today)}
        if len(judged) > BY_SUBQUERY:  # the same tasks, selected in SQL: no list of ids to send
            ids = select(Task.id).where(stmt.whereclause, needs_targets_clause(today))
            short = short_of_targets(session, task_ids=ids) & judged
        else:
            short = short_of_targets(session, task_ids=judged)
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
