"""Targets against reported values: the values over time; the plan's targets by their latest value."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from pydantic import BaseModel, Field, computed_field
from sqlalchemy import select
from sqlalchemy.orm import Session

from duban.ledger.models import Period, Quantity, Report, ReportItem, ReportValue, Task, Unit
from duban.ledger.reported import latest_reported
from duban.plan.attainment import STATE_NAMES, reported


def reported_values(session: Session, *, task_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """quantity id -> reported values over time (oldest first) with period and unit."""
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if not task_ids:
        return out
    rows = session.execute(
        select(ReportValue.quantity_id, ReportValue.value, Period.name, Report.submitted_at, Unit.name)
        .join(ReportItem, ReportItem.id == ReportValue.report_item_id)
        .join(Report, Report.id == ReportItem.report_id)
        .join(Period, Period.id == Report.period_id)
        .join(Unit, Unit.id == Report.unit_id)
        .where(ReportItem.task_id.in_(task_ids))
        .order_by(Report.submitted_at, Report.id)
    )
    for qid, value, period, at, unit in rows:
        out[qid].append(
            {"value": value, "period": period, "at": at.isoformat(timespec="seconds"), "unit": unit}
        )
    return out


class AttainmentRow(BaseModel):
    task_id: int
    task: str  # "number title"
    target: str
    actual: float | None
    unit: str
    period: str
    state: str

    @computed_field
    @property
    def state_name(self) -> str:
        return STATE_NAMES[self.state]


class Attainment(BaseModel):
    """Targets with a reported value, counted by state, and one row each."""

    met: int = 0
    not_met: int = 0
    unknown: int = 0
    rows: list[AttainmentRow] = Field(default_factory=list)


def plan_attainment(session: Session, *, task_ids: list[int]) -> Attainment:
    """Targets with a reported actual value: met / not met / unknown, by the latest reported value."""
    out = Attainment()
    if not task_ids:
        return out
    targets = session.execute(
        select(Quantity, Task.number, Task.title)
        .join(Task, Task.id == Quantity.task_id)
        .where(Quantity.task_id.in_(task_ids), Quantity.role == "target", Quantity.removed_at.is_(None))
        .order_by(Task.position, Quantity.position)
    ).all()
    latest_of = latest_reported(session, quantity_ids=[q.id for q, _, _ in targets])
    for q, number, title in targets:
        latest = latest_of.get(q.id)
        if latest is None:
            continue
        state = reported(q, latest.value)
        setattr(out, state, getattr(out, state) + 1)
        out.rows.append(
            AttainmentRow(
                task_id=q.task_id,
                task=f"{number} {title}",
                target=q.text,
                actual=latest.value,
                unit=q.unit,
                period=latest.period,
                state=state,
            )
        )
    return out
