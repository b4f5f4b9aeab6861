"""签收 at a glance for the supervisor: which unit has not signed for which task, and since when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from duban.ledger.models import Task, TaskUnit, Unit
from duban.ledger.read.visibility import require_overview
from duban.ledger.tasks import SIGNABLE
from duban.ledger.users import Actor


@dataclass(frozen=True)
class Unsigned:
    unit_id: int
    unit: str
    task_id: int
    path: str
    title: str
    role: str  # lead / co
    assigned_at: datetime
    days: int  # whole days since the 交办


def unsigned(session: Session, *, actor: Actor, now: datetime) -> list[Unsigned]:
    """Every (unit, task) still waiting for its 签收, the longest waiting first."""
    require_overview(actor)
    rows = session.execute(
        select(Unit.id, Unit.name, Task.id, Task.path, Task.title, TaskUnit.role, Task.assigned_at)
        .join(TaskUnit, TaskUnit.task_id == Task.id)
        .join(Unit, Unit.id == TaskUnit.unit_id)
        .where(
            Task.removed_at.is_(None),
            Task.status.in_(SIGNABLE),
            Task.assigned_at.is_not(None),
            TaskUnit.signed_at.is_(None),
        )
        .order_by(Task.assigned_at, Unit.id, Task.plan_id, Task.position)
    ).all()
    return [Unsigned(u, n, t, p, title, r, at, (now - at).days) for u, n, t, p, title, r, at in rows]
