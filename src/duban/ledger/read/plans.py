"""Plans (工作要点) as the list and the plan page show them: one page of plans with counts, one plan
with its tasks in reading order and as a tree.

Every business role reads plans (the plan text is not secret within a bureau); a unit member sees
the supervision state (status, due date, light) only of its own unit's tasks.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
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


def plan_rows(
    db: Session,
    *,
    kind: str | None = None,
    year: int | None = None,
    q: str | None = None,
    page: int = 1,
    per_page: int = 50,
) -> tuple[list[dict[str, Any]], int]:
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
    out = []
    for plan, src in rows:
        tasks, targets = counts(db, plan_id=plan.id)
        out.append({**plan_dict(plan, src), "tasks": tasks, "targets": targets})
    return out, total


def plan_dict(plan: Plan, src: SourceFile) -> dict[str, Any]:
    return {
        "id": plan.id,
        "title": plan.title,
        "kind": plan.kind,
        "kind_name": KIND_NAMES.get(plan.kind, plan.kind),
        "year": plan.year,
        "issuer": plan.issuer,
        "doc_number": plan.doc_number,
        "date": plan.date,
        "revision": plan.revision,
        "reviews_plan_id": plan.reviews_plan_id,
        "created_at": plan.created_at.isoformat(timespec="seconds"),
        "updated_at": plan.updated_at.isoformat(timespec="seconds"),
        "source": {
            "name": src.name,
            "imported_at": src.imported_at.isoformat(timespec="seconds"),
            "imported_by": src.imported_by,
            "url": f"/api/v1/plans/{plan.id}/source",
        },
    }


def _quantity(q: Quantity) -> dict[str, Any]:
    return {
        "id": q.id,
        "text": q.text,
        "indicator": q.indicator,
        "comparator": q.comparator,
        "value": q.value,
        "value_high": q.value_high,
        "unit": q.unit,
        "role": q.role,
        "placeholder": q.placeholder,
    }


def _deadline(d: Deadline) -> dict[str, Any]:
    return {"id": d.id, "text": d.text, "date": d.date.isoformat(), "precision": d.precision}


def plan_with_source(db: Session, plan_id: int) -> tuple[Plan, SourceFile]:
    plan = get_plan(db, plan_id)
    return plan, db.get(SourceFile, plan.source_file_id)


def plan_outline(db: Session, *, actor: Actor, plan_id: int) -> dict[str, Any]:
    """A plan with its tasks in reading order ("tasks", each with "level") and as a tree ("tree")."""
    plan, src = plan_with_source(db, plan_id)
    tasks = list(
        db.execute(
            select(Task).where(Task.plan_id == plan.id, Task.removed_at.is_(None)).order_by(Task.position)
        ).scalars()
    )
    ids = [t.id for t in tasks]
    quantities: dict[int | None, list[dict[str, Any]]] = {}
    for q in db.execute(
        select(Quantity)
        .where(Quantity.plan_id == plan.id, Quantity.removed_at.is_(None))
        .order_by(Quantity.position, Quantity.id)
    ).scalars():
        quantities.setdefault(q.task_id, []).append(_quantity(q))
    deadlines: dict[int | None, list[dict[str, Any]]] = {}
    for d in db.execute(
        select(Deadline)
        .where(Deadline.plan_id == plan.id, Deadline.removed_at.is_(None))
        .order_by(Deadline.id)
    ).scalars():
        deadlines.setdefault(d.task_id, []).append(_deadline(d))
    units: dict[int, list[dict[str, Any]]] = {}
    if ids:
        for tu, unit in db.execute(
            select(TaskUnit, Unit).join(Unit, Unit.id == TaskUnit.unit_id).where(TaskUnit.task_id.in_(ids))
        ).all():
            units.setdefault(tu.task_id, []).append({"id": unit.id, "name": unit.name, "role": tu.role})
    flat = []
    for t in tasks:
        assigned = units.get(t.id, [])
        own = can(actor, "task.read_all") or any(u["id"] == actor.unit_id for u in assigned)
        row = {
            "id": t.id,
            "parent_id": t.parent_id,
            "path": t.path,
            "level": t.level,
            "number": t.number,
            "label": t.label,
            "title": t.title,
            "body": t.body,
            "line": t.line,
            "responsible": list(t.responsible or []),
            "co_units": list(t.co_units_text or []),
            "units": assigned,
            "targets": quantities.get(t.id, []),
            "deadlines": deadlines.get(t.id, []),
            "visible": own,  # the task page and its supervision state are open to this user
        }
        if own:
            row.update(
                status=t.status,
                status_name=STATUS_NAMES.get(t.status, t.status),
                due_date=t.due_date.isoformat() if t.due_date else None,
                light=t.light,
                light_name=LIGHT_NAMES.get(t.light, ""),
            )
        flat.append(row)
    by_id = {r["id"]: {**r, "children": []} for r in flat}
    tree = []
    for r in flat:
        node = by_id[r["id"]]
        parent = by_id.get(r["parent_id"]) if r["parent_id"] else None
        (parent["children"] if parent else tree).append(node)
    tasks_n, targets_n = counts(db, plan_id=plan.id)
    return {
        **plan_dict(plan, src),
        "tasks": tasks_n,
        "targets": targets_n,
        "preamble": {"targets": quantities.get(None, []), "deadlines": deadlines.get(None, [])},
        "outline": flat,
        "tree": tree,
    }
