"""The latest value reported for each target: one query for every reader.

A blank in a report (a unit left the figure empty this time) says nothing new, so the last
figure it did give stands; a target never given a figure has no entry. "Latest" is by
submission time, then report id (a resubmission of the same period updates its own report).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from duban.ledger.models import Period, Quantity, Report, ReportItem, ReportValue, Unit
from duban.plan.attainment import reported

IN_CHUNK = 10_000  # ids per IN (...): PostgreSQL's protocol takes at most 65,535 parameters


def chunked(ids: Iterable[int], size: int | None = None) -> Iterator[list[int]]:
    """The ids in lists of at most `size` (a ledger of 100k tasks asks about all of them)."""
    size = size or IN_CHUNK
    batch = list(ids)
    for i in range(0, len(batch), size):
        yield batch[i : i + size]


@dataclass(frozen=True)
class Reported:
    quantity_id: int
    value: float
    submitted_at: datetime
    period: str
    unit: str  # the reporting unit's name
    work_done: str  # the 工作完成情况 written with the figure


def latest_reported(
    session: Session, *, quantity_ids: Iterable[int] | None = None, plan_id: int | None = None
) -> dict[int, Reported]:
    """Quantity id -> its latest non-blank reported value, for the given quantities or a whole plan."""
    stmt = (
        select(
            ReportValue.quantity_id,
            ReportValue.value,
            Report.submitted_at,
            Period.name,
            Unit.name,
            ReportItem.work_done,
        )
        .join(ReportItem, ReportItem.id == ReportValue.report_item_id)
        .join(Report, Report.id == ReportItem.report_id)
        .join(Period, Period.id == Report.period_id)
        .join(Unit, Unit.id == Report.unit_id)
        .where(ReportValue.value.is_not(None))
        .order_by(Report.submitted_at, Report.id, ReportValue.id)
    )
    if plan_id is not None:
        stmt = stmt.join(Quantity, Quantity.id == ReportValue.quantity_id).where(Quantity.plan_id == plan_id)
    if quantity_ids is None:
        return {row[0]: Reported(*row) for row in session.execute(stmt)}  # later rows overwrite earlier
    out: dict[int, Reported] = {}
    for part in chunked(quantity_ids):  # each quantity in one part: its own rows stay in order
        out.update(
            (row[0], Reported(*row)) for row in session.execute(stmt.where(ReportValue.quantity_id.in_(part)))
        )
    return out


@dataclass(frozen=True)
class TargetState:
    """A current target of a task, its latest reported value (None: never given) and met / not met."""

    quantity: Quantity
    latest: Reported | None
    state: str  # met / not_met / unknown / "" (nothing reported)


def target_states(session: Session, *, task_ids: Iterable[int]) -> dict[int, list[TargetState]]:
    """Task id -> its current targets in plan order, each judged by `plan.attainment.reported`."""
    ids = list(task_ids)
    if not ids:
        return {}
    targets = [
        q
        for part in chunked(ids)  # a task's targets all in one part, in plan order
        for q in session.execute(
            select(Quantity)
            .where(Quantity.task_id.in_(part), Quantity.role == "target", Quantity.removed_at.is_(None))
            .order_by(Quantity.position)
        ).scalars()
    ]
    latest = latest_reported(session, quantity_ids=[q.id for q in targets])
    out: dict[int, list[TargetState]] = {i: [] for i in ids}
    for q in targets:
        hit = latest.get(q.id)
        out[q.task_id].append(TargetState(q, hit, reported(q, hit.value) if hit else ""))
    return out
