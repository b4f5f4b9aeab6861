"""Plans (工作要点) as the list and the plan page show them: one page of plans with counts, one plan
with its tasks in reading order and as a tree.

Every business role reads plans (the plan text is not secret within a bureau); a unit member sees
the supervision state (status, due date, light) only of its own unit's tasks.
"""

from __future__ import annotations

from typing import Any, Self

from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from duban.ledger.errors import NotFoundError
from duban.ledger.lights import LIGHT_NAMES
from duban.ledger.models import Deadline, Plan, Quantity, SourceFile, Task, TaskUnit, Unit
from duban.ledger.plans import counts
from duban.ledger.rights import can
from duban.ledger.tasks import STATUS_NAMES
from duban.ledger.users import Actor
from duban.plan.model import KIND_NAMES


def get_plan(session: Session, plan_id: int) -> Plan:
    """The stored plan (or summary) with this id; NotFoundError in Chinese otherwise."""
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise NotFoundError(f"计划不存在：{plan_id}")
    return plan


class PlanBrief(BaseModel):
    """A plan's name card (year-end views, comparisons)."""

    id: int
    kind: str
    kind_name: str
    title: str
    year: int | None
    issuer: str


def plan_brief(p: Plan) -> PlanBrief:
    return PlanBrief(
        id=p.id,
        kind=p.kind,
        kind_name=KIND_NAMES.get(p.kind, p.kind),
        title=p.title,
        year=p.year,
        issuer=p.issuer or "",
    )


class SourceRef(BaseModel):
    """The file a plan was imported from, and where to download it."""

    name: str
    imported_at: str
    imported_by: str
    url: str


class PlanRow(BaseModel):
    """A plan as the list shows it, with its task and target counts."""

    id: int
    title: str
    kind: str
    kind_name: str
    year: int | None
    issuer: str | None
    doc_number: str | None
    date: str | None
    revision: int
    reviews_plan_id: int | None
    created_at: str
    updated_at: str
    source: SourceRef
    tasks: int
    targets: int

    @classmethod
    def of(cls, plan: Plan, src: SourceFile, counted: tuple[int, int], **more: Any) -> Self:
        return cls(
            id=plan.id,
            title=plan.title,
            kind=plan.kind,
            kind_name=KIND_NAMES.get(plan.kind, plan.kind),
            year=plan.year,
            issuer=plan.issuer,
            doc_number=plan.doc_number,
            date=plan.date,
            revision=plan.revision,
            reviews_plan_id=plan.reviews_plan_id,
            created_at=plan.created_at.isoformat(timespec="seconds"),
            updated_at=plan.updated_at.isoformat(timespec="seconds"),
            source=SourceRef(
                name=src.name,
                imported_at=src.imported_at.isoformat(timespec="seconds"),
                imported_by=src.imported_by,
                url=f"/api/v1/plans/{plan.id}/source",
            ),
            tasks=counted[0],
            targets=counted[1],
            **more,
        )


class QuantityRef(BaseModel):
    id: int
    text: str
    indicator: str
    comparator: str
    value: float | None
    value_high: float | None
    unit: str
    role: str  # target / actual
    placeholder: bool

    @classmethod
    def of(cls, q: Quantity) -> QuantityRef:
        return cls(
            id=q.id,
            text=q.text,
            indicator=q.indicator,
            comparator=q.comparator,
            value=q.value,
            value_high=q.value_high,
            unit=q.unit,
            role=q.role,
            placeholder=q.placeholder,
        )


class DeadlineRef(BaseModel):
    id: int
    text: str
    date: str
    precision: str

    @classmethod
    def of(cls, d: Deadline) -> DeadlineRef:
        return cls(id=d.id, text=d.text, date=d.date.isoformat(), precision=d.precision)


class Preamble(BaseModel):
    """Targets and deadlines written before the first item."""

    targets: list[QuantityRef]
    deadlines: list[DeadlineRef]


class UnitRole(BaseModel):
    id: int
    name: str
    role: str  # lead / co


class PlanNode(BaseModel):
    """A task of the plan with its sub-items. The supervision state (status … light_name) is there
    only when the reader may see it (`visible`): absent, not null, otherwise."""

    id: int
    parent_id: int | None
    path: str
    level: int
    number: str
    label: str
    title: str
    body: str
    line: int
    responsible: list[str]
    co_units: list[str]
    units: list[UnitRole]
    targets: list[QuantityRef]
    deadlines: list[DeadlineRef]
    visible: bool = Field(description="任务页及其督办状态对当前用户开放")
    status: str | None = None
    status_name: str | None = None
    due_date: str | None = None
    light: str | None = None
    light_name: str | None = None
    children: list[PlanNode]


class PlanDetail(PlanRow):
    """One plan with its tasks as a tree (answered without the unset supervision fields)."""

    preamble: Preamble
    tree: list[PlanNode]


class PlanOutline(PlanDetail):
    outline: list[PlanNode]  # the same nodes in reading order


def plan_rows(
    db: Session,
    *,
    kind: str | None = None,
    year: int | None = None,
    q: str | None = None,
    page: int = 1,
    per_page: int = 50,
) -> tuple[list[PlanRow], int]:
    """One page of plans (newest year first) with task and target counts, and the total."""
    where = []
    if kind:
        where.append(Plan.kind == kind)
    if year:
        where.append(Plan.year == year)
    if q:
        where.append(Plan.title.contains(q.strip()))
    total = db.execute(select(func.count()).select_from(Plan).where(*where)).scalar_one()
    rows = db.execute(
        select(Plan, SourceFile)
        .join(SourceFile, SourceFile.id == Plan.source_file_id)
        .where(*where)
        .order_by(Plan.year.desc(), Plan.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return [PlanRow.of(plan, src, counts(db, plan_id=plan.id)) for plan, src in rows], total


def plan_with_source(db: Session, plan_id: int) -> tuple[Plan, SourceFile]:
    plan = get_plan(db, plan_id)
    return plan, db.get(SourceFile, plan.source_file_id)


def plan_outline(db: Session, *, actor: Actor, plan_id: int) -> PlanOutline:
    """A plan with its tasks in reading order ("outline", each with its level) and as a tree ("tree")."""
    plan, src = plan_with_source(db, plan_id)
    tasks = list(
        db.execute(
            select(Task).where(Task.plan_id == plan.id, Task.removed_at.is_(None)).order_by(Task.position)
        ).scalars()
    )
    ids = [t.id for t in tasks]
    quantities: dict[int | None, list[QuantityRef]] = {}
    for q in db.execute(
        select(Quantity)
        .where(Quantity.plan_id == plan.id, Quantity.removed_at.is_(None))
        .order_by(Quantity.position, Quantity.id)
    ).scalars():
        quantities.setdefault(q.task_id, []).append(QuantityRef.of(q))
    deadlines: dict[int | None, list[DeadlineRef]] = {}
    for d in db.execute(
        select(Deadline)
        .where(Deadline.plan_id == plan.id, Deadline.removed_at.is_(None))
        .order_by(Deadline.id)
    ).scalars():
        deadlines.setdefault(d.task_id, []).append(DeadlineRef.of(d))
    units: dict[int, list[UnitRole]] = {}
    if ids:
        for tu, unit in db.execute(
            select(TaskUnit, Unit).join(Unit, Unit.id == TaskUnit.unit_id).where(TaskUnit.task_id.in_(ids))
        ).all():
            units.setdefault(tu.task_id, []).append(UnitRole(id=unit.id, name=unit.name, role=tu.role))
    flat = []
    for t in tasks:
        assigned = units.get(t.id, [])
        own = can(actor, "task.read_all") or any(u.id == actor.unit_id for u in assigned)
        state = (
            {
                "status": t.status,
                "status_name": STATUS_NAMES.get(t.status, t.status),
                "due_date": t.due_date.isoformat() if t.due_date else None,
                "light": t.light,
                "light_name": LIGHT_NAMES.get(t.light, ""),
            }
            if own
            else {}  # left unset: the answer has no such keys
        )
        flat.append(
            PlanNode(
                id=t.id,
                parent_id=t.parent_id,
                path=t.path,
                level=t.level,
                number=t.number,
                label=t.label,
                title=t.title,
                body=t.body,
                line=t.line,
                responsible=list(t.responsible or []),
                co_units=list(t.co_units_text or []),
                units=assigned,
                targets=quantities.get(t.id, []),
                deadlines=deadlines.get(t.id, []),
                visible=own,
                **state,
                children=[],
            )
        )
    by_id = {n.id: n for n in flat}
    tree = []
    for n in flat:
        parent = by_id.get(n.parent_id) if n.parent_id else None
        (parent.children if parent else tree).append(n)
    return PlanOutline.of(
        plan,
        src,
        counts(db, plan_id=plan.id),
        preamble=Preamble(targets=quantities.get(None, []), deadlines=deadlines.get(None, [])),
        tree=tree,
        outline=flat,
    )
