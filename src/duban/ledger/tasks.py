"""Assignment and the task lifecycle: ONE transition function for every state change.

`transition` checks the actor's role (and unit), the allowed-transition table and the
task's version, applies the change and appends an audit record (who, when, before, after),
all in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from duban.ledger import audit, rights
from duban.ledger.db import utcnow
from duban.ledger.errors import (
    ConflictError,
    NotFoundError,
    TransitionError,
    ValidationError,
)
from duban.ledger.models import Deadline, Milestone, Plan, Task, TaskUnit, Unit
from duban.ledger.uow import use_case
from duban.ledger.users import Actor

STATUS_NAMES = {
    "unassigned": "未交办",
    "assigned": "已交办",
    "in_progress": "推进中",
    "closeout_requested": "申请销号",
    "returned": "已退回",
    "closed": "已销号",
}
ACTION_NAMES = {
    "assign": "交办",
    "reassign": "改派",
    "start": "开始办理",
    "request_closeout": "申请销号",
    "close": "销号",
    "return": "退回",
    "resume": "重新办理",
    "request_extension": "申请延期",
    "approve_extension": "批准延期",
    "reject_extension": "驳回延期",
    "contest": "提出异议",
    "accept_contest": "采纳异议",
    "reject_contest": "驳回异议",
}
CONTEST_KINDS = {"wording": "表述需调整", "not_our_duty": "非本单位职责", "long_term": "需持续跟进"}
OPEN = frozenset({"assigned", "in_progress", "closeout_requested", "returned"})


@dataclass(frozen=True)
class Rule:
    """From which states an action may be taken and where it leads; who may take it is the right
    `task.<action>` of ledger/rights.py (roles, and the lead unit or any unit of the task)."""

    sources: frozenset[str]
    target: str | None  # None: the status stays (extension, contest)

    @staticmethod
    def right(action: str) -> str:
        return f"task.{action}"


RULES: dict[str, Rule] = {
    "assign": Rule(frozenset({"unassigned"}), "assigned"),
    "reassign": Rule(frozenset({"assigned", "in_progress", "returned"}), "assigned"),
    "start": Rule(frozenset({"assigned"}), "in_progress"),
    "request_closeout": Rule(frozenset({"in_progress", "returned"}), "closeout_requested"),
    "close": Rule(frozenset({"closeout_requested"}), "closed"),
    "return": Rule(frozenset({"closeout_requested"}), "returned"),
    "resume": Rule(frozenset({"returned"}), "in_progress"),
    "request_extension": Rule(frozenset({"assigned", "in_progress", "returned"}), None),
    "approve_extension": Rule(OPEN, None),
    "reject_extension": Rule(OPEN, None),
    "contest": Rule(frozenset({"assigned", "in_progress"}), None),
    "accept_contest": Rule(OPEN, None),
    "reject_contest": Rule(OPEN, None),
}


def snapshot(task: Task) -> dict[str, Any]:
    """The task's supervision state, as written to the audit log."""
    return {
        "status": task.status,
        "title": task.title,
        "due_date": task.due_date,
        "units": sorted((u.role, u.unit_id) for u in task.units),
        "extension": [task.extension_status, task.extension_due_date, task.extension_reason],
        "contest": [task.contest_status, task.contest_kind, task.contest_reason],
        "return_reason": task.return_reason,
        "long_term": task.long_term,
        "version": task.version,
    }


def get_task(session: Session, *, task_id: int) -> Task:
    stmt = (
        select(Task)
        .where(Task.id == task_id)
        .options(selectinload(Task.units))
        .execution_options(populate_existing=True)
    )
    task = session.execute(stmt).scalar_one_or_none()
    if task is None or task.removed_at is not None:
        raise NotFoundError(f"任务不存在：{task_id}")
    return task


def default_due_date(session: Session, *, task: Task) -> date | None:
    """The task's latest deadline, else its nearest ancestor's, else the end of the plan's year."""
    node: Task | None = task
    while node is not None:
        dates = session.execute(
            select(Deadline.date).where(Deadline.task_id == node.id, Deadline.removed_at.is_(None))
        ).scalars()
        found = max(dates, default=None)
        if found:
            return found
        node = session.get(Task, node.parent_id) if node.parent_id else None
    year = session.get(Plan, task.plan_id).year
    return date(year, 12, 31) if year else None


def _check_right(actor: Actor, task: Task, action: str) -> None:
    rights.require(actor, Rule.right(action), task)


def _set_units(session: Session, task: Task, lead_unit_id: int | None, co_unit_ids: Iterable[int]) -> None:
    if lead_unit_id is None:
        raise ValidationError("交办必须指定牵头单位")
    co = [c for c in dict.fromkeys(co_unit_ids) if c != lead_unit_id]
    for uid in [lead_unit_id, *co]:
        if session.get(Unit, uid) is None:
            raise NotFoundError(f"单位不存在：{uid}")
    task.units.clear()
    session.flush()
    task.units.append(TaskUnit(unit_id=lead_unit_id, role="lead"))
    task.units.extend(TaskUnit(unit_id=c, role="co") for c in co)


def apply(
    session: Session,
    *,
    actor: Actor,
    task: Task,
    action: str,
    reason: str = "",
    lead_unit_id: int | None = None,
    co_unit_ids: Iterable[int] = (),
    due_date: date | None = None,
    contest_kind: str = "",
    new_title: str = "",
    milestones: Iterable[tuple[str, date]] = (),
    now: datetime | None = None,
) -> Task:
    """Check and apply one action inside the caller's transaction (no commit); audited."""
    rule = RULES.get(action)
    if rule is None:
        raise ValidationError(f"未知操作：{action}")
    _check_right(actor, task, action)
    if task.status not in rule.sources:
        raise TransitionError(f"任务当前状态为“{STATUS_NAMES[task.status]}”，不能{ACTION_NAMES[action]}")
    now = now or utcnow()
    before = snapshot(task)

    if action in ("assign", "reassign"):
        _set_units(session, task, lead_unit_id, co_unit_ids)
        if action == "assign" or due_date:
            task.due_date = due_date or default_due_date(session, task=task)
        task.assigned_at = now
        for title, when in milestones:
            session.add(Milestone(task_id=task.id, title=title, due_date=when))
    elif action == "return":
        if not reason.strip():
            raise ValidationError("退回必须填写原因")
        task.return_reason = reason
    elif action == "request_extension":
        if task.extension_status == "requested":
            raise TransitionError("已有待审批的延期申请")
        if due_date is None or (task.due_date and due_date <= task.due_date):
            raise ValidationError("延期申请必须给出晚于当前完成时限的新日期")
        if not reason.strip():
            raise ValidationError("延期申请必须填写理由")
        task.extension_status, task.extension_due_date, task.extension_reason = "requested", due_date, reason
    elif action in ("approve_extension", "reject_extension"):
        if task.extension_status != "requested":
            raise TransitionError("没有待审批的延期申请")
        if action == "approve_extension":
            task.extension_status, task.due_date = "approved", task.extension_due_date
        else:
            task.extension_status = "rejected"
        if reason:
            task.extension_reason = f"{task.extension_reason}（审批意见：{reason}）"
    elif action == "contest":
        if task.contest_status == "pending":
            raise TransitionError("已有待处理的异议")
        if contest_kind not in CONTEST_KINDS:
            raise ValidationError(f"异议类型无效：{contest_kind}（可选：{'、'.join(CONTEST_KINDS)}）")
        if not reason.strip():
            raise ValidationError("提出异议必须填写理由")
        task.contest_status, task.contest_kind, task.contest_reason = "pending", contest_kind, reason
    elif action in ("accept_contest", "reject_contest"):
        if task.contest_status != "pending":
            raise TransitionError("没有待处理的异议")
        if action == "reject_contest":
            task.contest_status = "rejected"
        else:
            task.contest_status = "accepted"
            if new_title.strip():
                task.title = new_title.strip()
            if task.contest_kind == "long_term":
                task.long_term = True
            if lead_unit_id is not None:
                _set_units(session, task, lead_unit_id, co_unit_ids)
                task.status = "assigned"
                task.assigned_at = now
    elif action == "close":
        task.closed_at = now

    if rule.target is not None:
        task.status = rule.target
    task.updated_at = now
    session.flush()  # bumps the version; a concurrent change raises StaleDataError here
    after = snapshot(task)
    audit.record(
        session,
        actor=actor.name,
        action=f"task.{action}",
        entity="task",
        entity_id=task.id,
        before=before,
        after={**after, "reason": reason} if reason else after,
        at=now,
    )
    return task


def transition(
    session: Session,
    *,
    actor: Actor,
    task_id: int,
    action: str,
    expected_version: int | None = None,
    **params: Any,
) -> Task:
    """The one entry point for a task's state change: right, table, version, change, audit; one commit."""
    with use_case(session):
        task = get_task(session, task_id=task_id)
        if expected_version is not None and task.version != expected_version:
            raise ConflictError(
                f"任务 {task_id} 已被他人修改（版本 {expected_version} → {task.version}），请刷新后重试"
            )
        apply(session, actor=actor, task=task, action=action, **params)
    return task


def assign(
    session: Session,
    *,
    actor: Actor,
    task_id: int,
    lead_unit_id: int,
    co_unit_ids: Iterable[int] = (),
    due_date: date | None = None,
    milestones: Iterable[tuple[str, date]] = (),
    expected_version: int | None = None,
) -> Task:
    """交办: lead unit, co-units, due date (from the plan when not given), milestones."""
    task = session.get(Task, task_id)
    action = "assign" if task is None or task.status == "unassigned" else "reassign"
    return transition(
        session,
        actor=actor,
        task_id=task_id,
        action=action,
        expected_version=expected_version,
        lead_unit_id=lead_unit_id,
        co_unit_ids=list(co_unit_ids),
        due_date=due_date,
        milestones=list(milestones),
    )


def tasks_of_unit(session: Session, *, unit_id: int, include_closed: bool = True) -> list[Task]:
    """Tasks where the unit is lead or co-unit."""
    stmt = (
        select(Task)
        .join(TaskUnit, TaskUnit.task_id == Task.id)
        .where(TaskUnit.unit_id == unit_id, Task.removed_at.is_(None))
        .order_by(Task.plan_id, Task.position)
    )
    if not include_closed:
        stmt = stmt.where(Task.status != "closed")
    return list(session.execute(stmt).scalars().unique())
