"""Who may read which task: the visibility rule, here and nowhere else.

A unit member sees the tasks where its unit is the lead or a co-unit; leaders, supervisors and system
administrators see every task; the security and audit administrators see no business data at all.
Which role is which is the rights table's (ledger/rights.py: task.read, task.read_all, overview).
Reading another unit's task is refused with 403 (PermissionDenied), the same answer for pages and API.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, select, true
from sqlalchemy.orm import Session

from duban.ledger.errors import PermissionDenied
from duban.ledger.models import Task, TaskUnit
from duban.ledger.rights import can, require
from duban.ledger.tasks import get_task
from duban.ledger.users import Actor


def require_business_reader(actor: Actor) -> None:
    """Security and audit administrators see no business data (separation of duties)."""
    require(actor, "task.read")


def require_overview(actor: Actor) -> None:
    require(actor, "overview")


def visible_task_filter(actor: Actor) -> ColumnElement[bool]:
    """A WHERE clause on Task limiting rows to what the actor may read."""
    require_business_reader(actor)
    if can(actor, "task.read_all"):
        return true()
    if actor.unit_id is None:
        return false()
    return Task.id.in_(select(TaskUnit.task_id).where(TaskUnit.unit_id == actor.unit_id))


def can_read_task(actor: Actor, task: Task) -> bool:
    if not can(actor, "task.read"):
        return False
    if can(actor, "task.read_all"):
        return True
    return actor.unit_id is not None and any(u.unit_id == actor.unit_id for u in task.units)


def readable_task(session: Session, *, actor: Actor, task_id: int) -> Task:
    """The task, or NotFoundError / PermissionDenied (403 for another unit's task)."""
    require_business_reader(actor)
    task = get_task(session, task_id=task_id)
    if not can_read_task(actor, task):
        raise PermissionDenied("无权查看该任务：只能查看本单位承办的任务")
    return task
