"""Pieces every read model uses: paging, the business plans, unit names, live lights, leaf tasks.

Lights are computed live with `read.lights.status_rows` (the one rule), not read from the column `tick`
stores, so a list never shows yesterday's colour.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from duban.ledger import rates
from duban.ledger.config import LightConfig
from duban.ledger.db import utcnow
from duban.ledger.models import Plan, TaskUnit, Unit
from duban.ledger.rates import leaf_filter  # noqa: F401 (the rule lives with the rates)
from duban.ledger.read.cache import kept
from duban.ledger.read.lights import NOT_OVERDUE, status_rows  # noqa: F401 (NOT_OVERDUE: readers import it here)
from duban.ledger.users import list_units

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list; the API answers it as is (its schema is the response's)."""

    items: list[T]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def business_plans(session: Session) -> list[Plan]:
    """Plans of kind "plan", newest first (year, then import order)."""
    stmt = select(Plan).where(Plan.kind == "plan").order_by(Plan.year.desc(), Plan.id.desc())
    return list(session.execute(stmt).scalars())


@dataclass(frozen=True)
class PlanChoice:
    id: int
    title: str
    year: int | None


@dataclass(frozen=True)
class UnitChoice:
    id: int
    name: str


def plan_choices(session: Session) -> list[PlanChoice]:
    """`business_plans` for a page's plan picker, kept until the ledger changes."""
    return kept(
        session,
        now=utcnow(),
        key=("plan_choices",),
        compute=lambda: [PlanChoice(p.id, p.title, p.year) for p in business_plans(session)],
    )


def unit_choices(session: Session) -> list[UnitChoice]:
    """`users.list_units` (tree order) for a page's unit picker, kept until the ledger changes."""
    return kept(
        session,
        now=utcnow(),
        key=("unit_choices",),
        compute=lambda: [UnitChoice(u.id, u.name) for u in list_units(session)],
    )


def default_plan(session: Session) -> Plan | None:
    """The plan being supervised (`rates.supervised_plan`), else the newest plan."""
    plans = business_plans(session)
    return rates.supervised_plan(session) or (plans[0] if plans else None)


def unit_names(session: Session) -> dict[int, str]:
    return dict(session.execute(select(Unit.id, Unit.name).order_by(Unit.id)).all())


def units_of(session: Session, task_ids: list[int]) -> dict[int, list[tuple[str, int, str]]]:
    """task id -> [(role, unit id, unit name)], lead first."""
    out: dict[int, list[tuple[str, int, str]]] = defaultdict(list)
    if not task_ids:
        return out
    rows = session.execute(
        select(TaskUnit.task_id, TaskUnit.role, Unit.id, Unit.name)
        .join(Unit, Unit.id == TaskUnit.unit_id)
        .where(TaskUnit.task_id.in_(task_ids))
        .order_by(TaskUnit.task_id, TaskUnit.id)
    )
    for tid, role, uid, name in rows:
        out[tid].append((role, uid, name))
    for lst in out.values():
        lst.sort(key=lambda r: r[0] != "lead")
    return out


def live_lights(
    session: Session,
    *,
    now: datetime,
    cfg: LightConfig,
    plan_id: int | None = None,
    task_ids: Collection[int] | None = None,
) -> dict[int, str]:
    """task id -> light by the one rule in `lights` (unassigned tasks: ""), of the given tasks only."""
    rows = status_rows(session, now=now, cfg=cfg, include_unassigned=True, plan_id=plan_id, task_ids=task_ids)
    return {r.task_id: r.light for r in rows}
