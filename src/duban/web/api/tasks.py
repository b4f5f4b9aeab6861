"""Tasks through the API: list, detail, timeline, transitions, bulk assignment, decomposition, status lights.

Reading goes through `ledger.read` (the one visibility rule); every change through `ledger.tasks`.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from duban.ledger import decomposition as decomp
from duban.ledger import tasks
from duban.ledger.db import utcnow
from duban.ledger.errors import PermissionDenied, ValidationError
from duban.ledger.lights import LIGHTS
from duban.ledger.read.common import DEFAULT_PER_PAGE, MAX_PER_PAGE, Page
from duban.ledger.read.lights import StatusRow, status_rows
from duban.ledger.read.tasks import TaskDetail, TaskFilter, TaskRow, list_tasks, task_detail
from duban.ledger.read.timeline import Event, timeline
from duban.ledger.read.visibility import readable_task, require_business_reader
from duban.ledger.rights import can
from duban.web.deps import Allowed, Cfg, Db

router = APIRouter(tags=["任务"])

PageNo = Annotated[int, Query(ge=1, description="页码，从 1 开始")]
PerPage = Annotated[int, Query(ge=1, le=MAX_PER_PAGE, description="每页条数")]


class TransitionIn(BaseModel):
    action: str = Field(
        max_length=40, description="操作：" + "、".join(f"{k}={v}" for k, v in tasks.ACTION_NAMES.items())
    )
    reason: str = Field("", max_length=2000)
    due_date: date | None = None
    contest_kind: str = Field("", max_length=20)
    new_title: str = Field("", max_length=2000)
    lead_unit_id: int | None = None
    co_unit_ids: list[int] = Field(default_factory=list, max_length=100)
    expected_version: int | None = Field(None, description="乐观锁：读取时的 version")


class AssignItem(BaseModel):
    task_id: int
    lead_unit_id: int
    co_unit_ids: list[int] = Field(default_factory=list, max_length=100)
    due_date: date | None = None
    expected_version: int | None = None


class AssignIn(BaseModel):
    items: list[AssignItem] = Field(min_length=1, max_length=500)


class Timeline(BaseModel):
    items: list[Event]  # newest first
    total: int


class Assigned(BaseModel):
    results: list[decomp.AssignOutcome]  # one per row, in order
    ok: int
    failed: int


class PlanRef(BaseModel):
    id: int
    title: str
    year: int | None


class Decomposition(BaseModel):
    plan: PlanRef
    items: list[decomp.DecompositionRow]
    total: int


def _light(value: str | None) -> str | None:
    if value and value not in LIGHTS:
        raise ValidationError(f"灯色无效：{value}（可选：{'、'.join(LIGHTS)}）")
    return value or None


def _status(value: str | None) -> str | None:
    if value and value not in tasks.STATUS_NAMES:
        raise ValidationError(f"状态无效：{value}（可选：{'、'.join(tasks.STATUS_NAMES)}）")
    return value or None


@router.get("/tasks", summary="任务列表（按权限过滤；单位用户只看本单位承办的任务）")
def get_tasks(
    actor: Allowed("task.read"),
    db: Db,
    cfg: Cfg,
    plan_id: int | None = None,
    unit_id: int | None = None,
    heading_id: int | None = None,
    status: str | None = None,
    light: str | None = None,
    q: Annotated[str, Query(max_length=200)] = "",
    overdue: bool = False,
    page: PageNo = 1,
    per_page: PerPage = DEFAULT_PER_PAGE,
) -> Page[TaskRow]:
    f = TaskFilter(
        plan_id=plan_id,
        unit_id=unit_id,
        heading_id=heading_id,
        status=_status(status),
        light=_light(light),
        q=q,
        overdue=overdue,
        page=page,
        per_page=per_page,
    )
    return list_tasks(db, actor=actor, filters=f, now=utcnow(), cfg=cfg.lights)


@router.post("/tasks/assign", summary="批量交办（逐条办理：失败的条目返回原因，其余照常交办）")
def assign_many(body: AssignIn, actor: Allowed("task.assign"), db: Db) -> Assigned:
    rows = [
        decomp.AssignRow(i.task_id, i.lead_unit_id, list(i.co_unit_ids), i.due_date, i.expected_version)
        for i in body.items
    ]
    results = decomp.assign_rows(db, actor=actor, rows=rows)
    ok = sum(r.ok for r in results)
    return Assigned(results=results, ok=ok, failed=len(results) - ok)


@router.get("/tasks/{task_id}", summary="任务详情：字段、承办单位、目标及报送值、时限")
def get_task(task_id: int, actor: Allowed("task.read"), db: Db, cfg: Cfg) -> TaskDetail:
    return task_detail(db, actor=actor, task_id=task_id, now=utcnow(), cfg=cfg.lights)


@router.get("/tasks/{task_id}/timeline", summary="任务时间线（最新在前）：交办、报送、催办、状态变更")
def get_timeline(task_id: int, actor: Allowed("task.read"), db: Db) -> Timeline:
    events = timeline(db, actor=actor, task_id=task_id)
    return Timeline(items=events, total=len(events))


@router.post(
    "/tasks/{task_id}/transitions", summary="任务操作（按角色、状态、承办单位校验；带版本号防并发覆盖）"
)
def post_transition(
    task_id: int, body: TransitionIn, actor: Allowed("task.read"), db: Db, cfg: Cfg
) -> TaskDetail:
    readable_task(db, actor=actor, task_id=task_id)  # another unit's task: 403 before anything else
    tasks.transition(
        db,
        actor=actor,
        task_id=task_id,
        action=body.action,
        expected_version=body.expected_version,
        reason=body.reason,
        due_date=body.due_date,
        contest_kind=body.contest_kind,
        new_title=body.new_title,
        lead_unit_id=body.lead_unit_id,
        co_unit_ids=list(body.co_unit_ids),
    )
    return task_detail(db, actor=actor, task_id=task_id, now=utcnow(), cfg=cfg.lights)


@router.get(
    "/plans/{plan_id}/decomposition",
    summary="任务分解表：牵头单位、配合单位、完成时限（已交办的为当前值，未交办的为建议值）",
)
def get_decomposition(plan_id: int, actor: Allowed("decomposition.read"), db: Db) -> Decomposition:
    plan, rows = decomp.decomposition(db, actor=actor, plan_id=plan_id)
    return Decomposition(
        plan=PlanRef(id=plan.id, title=plan.title, year=plan.year), items=rows, total=len(rows)
    )


@router.get("/status", summary="红黄蓝绿灯状态（单位用户只看本单位）")
def get_status(
    actor: Allowed("task.read"),
    db: Db,
    cfg: Cfg,
    light: str | None = None,
    unit_id: int | None = None,
    page: PageNo = 1,
    per_page: PerPage = DEFAULT_PER_PAGE,
) -> Page[StatusRow]:
    require_business_reader(actor)
    if not can(actor, "task.read_all"):
        if unit_id is not None and unit_id != actor.unit_id:
            raise PermissionDenied("无权查看其他单位的任务状态")
        unit_id = actor.unit_id if actor.unit_id is not None else -1
    rows = status_rows(db, now=utcnow(), cfg=cfg.lights, unit_id=unit_id, only_light=_light(light))
    chunk = rows[(page - 1) * per_page : page * per_page]
    return Page(items=chunk, total=len(rows), page=page, per_page=per_page)
