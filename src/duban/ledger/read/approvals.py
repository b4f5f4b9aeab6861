"""What waits for a supervisor's decision: close-out requests, extension requests, contests."""

from __future__ import annotations

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, aliased

from duban.ledger.models import Plan, Task, TaskUnit, Unit
from duban.ledger.read.tasks import TaskRow
from duban.ledger.rights import require
from duban.ledger.users import Actor


def approval_queue(session: Session, *, actor: Actor) -> dict[str, list[TaskRow]]:
    """What waits for a supervisor: close-out requests, extension requests, contests."""
    require(actor, "approve")
    lead = aliased(TaskUnit)
    base = (
        select(Task, Plan.title, Unit.id, Unit.name)
        .join(Plan, Plan.id == Task.plan_id)
        .outerjoin(lead, and_(lead.task_id == Task.id, lead.role == "lead"))
        .outerjoin(Unit, Unit.id == lead.unit_id)
        .where(Task.removed_at.is_(None))
        .order_by(Task.updated_at)
    )
    queues = {
        "closeout": base.where(Task.status == "closeout_requested"),
        "extension": base.where(Task.extension_status == "requested", Task.status != "closed"),
        "contest": base.where(Task.contest_status == "pending", Task.status != "closed"),
    }
    out: dict[str, list[TaskRow]] = {}
    for key, stmt in queues.items():
        out[key] = [TaskRow.of(t, plan, uid, uname) for t, plan, uid, uname in session.execute(stmt)]
    return out


def approval_extras(session: Session, *, task_ids: list[int]) -> dict[int, Task]:
    """The tasks behind the queue rows (reasons, requested dates), by id."""
    if not task_ids:
        return {}
    return {t.id: t for t in session.execute(select(Task).where(Task.id.in_(task_ids))).scalars()}
