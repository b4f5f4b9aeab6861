"""Assignment and the task lifecycle: ONE transition function for every state change.

`transition` checks the actor's role (and unit), the allowed-transition table and the
task's version, applies the change and appends an audit record (who, when, before, after),
all in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from duban.ledger import audit, rights
from duban.ledger.db import utcnow
from duban.ledger.errors import (
    ConflictError,
    LedgerError,
    NotFoundError,
    PermissionDenied,
    TransitionError,
    ValidationError,
)
from duban.ledger.models import Deadline, Milestone, Plan, Task, TaskUnit, Unit
from duban.ledger.reported import target_states
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
    "sign": "签收",
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
SIGNABLE = frozenset({"assigned", "in_progress", "returned"})  # 签收 once the task reaches the unit
# A supervisor's 审核 of what a unit asked for: its `reason` is the 审核意见, audited and shown to the unit.
DECISIONS = frozenset(
    {"close", "return", "approve_extension", "reject_extension", "accept_contest", "reject_contest"}
)


def _extension_pending(actor: Actor, task: Task) -> bool:
    return task.extension_status == "requested"


def _contest_pending(actor: Actor, task: Task) -> bool:
    return task.contest_status == "pending"


def _signed(actor: Actor, task: Task) -> bool:
    """The actor's unit has signed for (签收) the task."""
    return any(u.unit_id == actor.unit_id and u.signed_at is not None for u in task.units)


@dataclass(frozen=True)
class Rule:
    """From which states an action may be taken and where it leads; who may take it is the right
    `task.<action>` of ledger/rights.py (roles, and the lead unit or any unit of the task)."""

    sources: frozenset[str]
    target: str | None  # None: the status stays (extension, contest, 签收)
    # a sub-state the action needs: (predicate on the task, the refusal when it does not hold)
    needs: tuple[Callable[[Actor, Task], bool], str] | None = None

    @staticmethod
    def right(action: str) -> str:
        """Who may take the action: the right `task.<action>` of ledger/rights.py."""
        return f"task.{action}"


def _not(pred: Callable[[Actor, Task], bool]) -> Callable[[Actor, Task], bool]:
    return lambda actor, task: not pred(actor, task)


RULES: dict[str, Rule] = {
    "assign": Rule(frozenset({"unassigned"}), "assigned"),
    "reassign": Rule(frozenset({"assigned", "in_progress", "returned"}), "assigned"),
    "sign": Rule(SIGNABLE, None, needs=(_not(_signed), "本单位已签收该任务")),
    "start": Rule(frozenset({"assigned"}), "in_progress"),
    "request_closeout": Rule(frozenset({"in_progress", "returned"}), "closeout_requested"),
    "close": Rule(frozenset({"closeout_requested"}), "closed"),
    "return": Rule(frozenset({"closeout_requested"}), "returned"),
    "resume": Rule(frozenset({"returned"}), "in_progress"),
    "request_extension": Rule(
        frozenset({"assigned", "in_progress", "returned"}),
        None,
        needs=(_not(_extension_pending), "已有待审批的延期申请"),
    ),
    "approve_extension": Rule(OPEN, None, needs=(_extension_pending, "没有待审批的延期申请")),
    "reject_extension": Rule(OPEN, None, needs=(_extension_pending, "没有待审批的延期申请")),
    "contest": Rule(
        frozenset({"assigned", "in_progress"}),
        None,
        needs=(_not(_contest_pending), "已有待处理的异议"),
    ),
    # the status stays, unless the contest is settled by moving the task to another lead unit:
    # that is a 改派 and ends where "reassign" ends (see _accept_contest)
    "accept_contest": Rule(OPEN, None, needs=(_contest_pending, "没有待处理的异议")),
    "reject_contest": Rule(OPEN, None, needs=(_contest_pending, "没有待处理的异议")),
}


def snapshot(task: Task) -> dict[str, Any]:
    """The task's supervision state, as written to the audit log."""
    return {
        "status": task.status,
        "title": task.title,
        "due_date": task.due_date,
        "units": sorted((u.role, u.unit_id) for u in task.units),
        "signed": sorted(u.unit_id for u in task.units if u.signed_at is not None),
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


def _refuse(actor: Actor, task: Task, action: str) -> LedgerError | None:
    """Why the actor may not take the action on the task now, as the error to raise; None: allowed."""
    rule = RULES.get(action)
    if rule is None:
        return ValidationError(f"未知操作：{action}")
    name = ACTION_NAMES[action]
    reason = rights.refusal(actor, Rule.right(action), task)  # role, and lead unit or any unit
    if reason:
        return PermissionDenied(reason)
    if task.status not in rule.sources:
        return TransitionError(f"任务当前状态为“{STATUS_NAMES[task.status]}”，不能{name}")
    if rule.needs is not None and not rule.needs[0](actor, task):
        return TransitionError(rule.needs[1])
    return None


def refusal(actor: Actor, task: Task, action: str) -> str | None:
    """The one answer to "may this actor do this now?": the reason it may not, or None.

    The service (`apply`), the task page's buttons and the unit inbox's quick actions all ask it.
    """
    err = _refuse(actor, task, action)
    return str(err) if err else None


def allowed(actor: Actor, task: Task, actions: Iterable[str] | None = None) -> list[str]:
    """The actions (of `actions`, default every rule, in table order) the actor may take now."""
    return [a for a in (RULES if actions is None else actions) if _refuse(actor, task, a) is None]


def _set_units(session: Session, task: Task, lead_unit_id: int | None, co_unit_ids: Iterable[int]) -> None:
    if lead_unit_id is None:
        raise ValidationError("交办必须指定牵头单位")
    co = [c for c in dict.fromkeys(co_unit_ids) if c != lead_unit_id]
    for uid in [lead_unit_id, *co]:
        if session.get(Unit, uid) is None:
            raise NotFoundError(f"单位不存在：{uid}")
    # a unit that keeps its place keeps its 签收; a new one, or one whose role changed, signs again
    kept = {(u.unit_id, u.role): (u.signed_at, u.signed_by) for u in task.units}
    task.units.clear()
    session.flush()
    for uid, role in [(lead_unit_id, "lead"), *((c, "co") for c in co)]:
        at, by = kept.get((uid, role), (None, ""))
        task.units.append(TaskUnit(unit_id=uid, role=role, signed_at=at, signed_by=by))


@dataclass(frozen=True)
class Params:
    """What an action may carry besides the task; each handler reads the fields it needs."""

    actor: Actor
    now: datetime
    reason: str = ""
    lead_unit_id: int | None = None
    co_unit_ids: tuple[int, ...] = ()
    due_date: date | None = None
    contest_kind: str = ""
    new_title: str = ""
    milestones: tuple[tuple[str, date], ...] = ()


# A handler checks the action's own input and writes its change; it returns the new status when it
# differs from the rule's target (only a contest settled by 改派 does), else None.
Handler = Callable[[Session, Task, Params], str | None]


def _assign(session: Session, task: Task, p: Params) -> None:
    _set_units(session, task, p.lead_unit_id, p.co_unit_ids)
    if task.status == "unassigned" or p.due_date:
        task.due_date = p.due_date or default_due_date(session, task=task)
    task.assigned_at = p.now
    for title, when in p.milestones:
        session.add(Milestone(task_id=task.id, title=title, due_date=when))


def _sign(session: Session, task: Task, p: Params) -> None:
    for u in task.units:
        if u.unit_id == p.actor.unit_id:
            u.signed_at, u.signed_by = p.now, p.actor.name


def _start(session: Session, task: Task, p: Params) -> None:
    # starting the work is the plainest 签收: a lead unit that starts has seen the task
    if not _signed(p.actor, task):
        _sign(session, task, p)


def _return(session: Session, task: Task, p: Params) -> None:
    if not p.reason.strip():
        raise ValidationError("退回必须填写原因")
    task.return_reason = p.reason


def _request_extension(session: Session, task: Task, p: Params) -> None:
    if p.due_date is None or (task.due_date and p.due_date <= task.due_date):
        raise ValidationError("延期申请必须给出晚于当前完成时限的新日期")
    if not p.reason.strip():
        raise ValidationError("延期申请必须填写理由")
    task.extension_status, task.extension_due_date, task.extension_reason = "requested", p.due_date, p.reason


def _decide_extension(approve: bool) -> Handler:
    def handler(session: Session, task: Task, p: Params) -> None:
        if approve:
            task.extension_status, task.due_date = "approved", task.extension_due_date
        else:
            task.extension_status = "rejected"
        if p.reason:
            task.extension_reason = f"{task.extension_reason}（审批意见：{p.reason}）"

    return handler


def _contest(session: Session, task: Task, p: Params) -> None:
    if p.contest_kind not in CONTEST_KINDS:
        raise ValidationError(f"异议类型无效：{p.contest_kind}（可选：{'、'.join(CONTEST_KINDS)}）")
    if not p.reason.strip():
        raise ValidationError("提出异议必须填写理由")
    task.contest_status, task.contest_kind, task.contest_reason = "pending", p.contest_kind, p.reason


def _accept_contest(session: Session, task: Task, p: Params) -> str | None:
    task.contest_status = "accepted"
    if p.new_title.strip():
        task.title = p.new_title.strip()
    if task.contest_kind == "long_term":
        task.long_term = True
    if p.lead_unit_id is None:
        return None
    _set_units(session, task, p.lead_unit_id, p.co_unit_ids)  # 非本单位职责: the task goes elsewhere
    task.assigned_at = p.now
    return RULES["reassign"].target


def _reject_contest(session: Session, task: Task, p: Params) -> None:
    task.contest_status = "rejected"


def _close(session: Session, task: Task, p: Params) -> None:
    # closing a task whose reported figure falls short of its target is a judgement: say why
    short = [t for t in target_states(session, task_ids=[task.id])[task.id] if t.state == "not_met"]
    if short and not p.reason.strip():
        listed = "；".join(
            f"{t.quantity.text}（最新报送{t.latest.value:g}{t.quantity.unit}）" for t in short if t.latest
        )
        raise ValidationError(f"目标未达到：{listed}。同意销号须填写审核意见，说明理由")
    task.closed_at = p.now


def _nothing(session: Session, task: Task, p: Params) -> None:
    return None


HANDLERS: dict[str, Handler] = {
    "assign": _assign,
    "reassign": _assign,
    "sign": _sign,
    "start": _start,
    "request_closeout": _nothing,
    "close": _close,
    "return": _return,
    "resume": _nothing,
    "request_extension": _request_extension,
    "approve_extension": _decide_extension(True),
    "reject_extension": _decide_extension(False),
    "contest": _contest,
    "accept_contest": _accept_contest,
    "reject_contest": _reject_contest,
}


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
    err = _refuse(actor, task, action)
    if err is not None:
        raise err
    now = now or utcnow()
    before = snapshot(task)
    params = Params(
        actor=actor,
        now=now,
        reason=reason,
        lead_unit_id=lead_unit_id,
        co_unit_ids=tuple(co_unit_ids),
        due_date=due_date,
        contest_kind=contest_kind,
        new_title=new_title,
        milestones=tuple(milestones),
    )
    status = HANDLERS[action](session, task, params) or RULES[action].target
    if status is not None:
        task.status = status
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


def sign_all(session: Session, *, actor: Actor, now: datetime | None = None) -> list[int]:
    """签收 in one click: every task of the actor's unit it has not signed for yet; one commit."""
    rights.require(actor, Rule.right("sign"))
    if actor.unit_id is None:
        raise PermissionDenied("无权签收：只有承办单位用户可以签收本单位的任务")
    now = now or utcnow()
    signed = []
    with use_case(session):
        for task in tasks_of_unit(session, unit_id=actor.unit_id, include_closed=False):
            if refusal(actor, task, "sign") is None:
                apply(session, actor=actor, task=task, action="sign", now=now)
                signed.append(task.id)
    return signed


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
