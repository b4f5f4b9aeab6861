"""The latest value reported for each target: one query for every reader.

A blank in a report (a unit left the figure empty this time) says nothing new, so the last
figure it did give stands; a target never given a figure has no entry. "Latest" is by
submission time, then report id (a resubmission of the same period updates its own report).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, func, select
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
    session: Session,
    *,
    quantity_ids: Iterable[int] | Select | None = None,
    plan_id: int | None = None,
) -> dict[int, Reported]:
    """Quantity id -> its latest non-blank reported value, for the given quantities (ids, or a
    subquery of them) or a whole plan.

    Set-based: a window ranks each quantity's values newest first and only the first of each is
    read, so the answer is one row per quantity, not every value ever reported.
    """
    conds: list[ColumnElement[bool]] = []
    if plan_id is not None:
        conds.append(ReportValue.quantity_id.in_(select(Quantity.id).where(Quantity.plan_id == plan_id)))
    if quantity_ids is None or isinstance(quantity_ids, Select):
        if quantity_ids is not None:
            conds.append(ReportValue.quantity_id.in_(quantity_ids))
        return {row[0]: Reported(*row) for row in session.execute(_latest(conds))}
    out: dict[int, Reported] = {}
    for part in chunked(quantity_ids):  # each quantity in one part
        out.update(
            (row[0], Reported(*row))
            for row in session.execute(_latest([*conds, ReportValue.quantity_id.in_(part)]))
        )
    return out


def _ranked(conds: list[ColumnElement[bool]]):  # noqa: ANN202 (a Subquery)
    """Each non-blank value meeting `conds`, with `newest` = 1 on its quantity's newest: by
    submission time, then report id, then value id (a window, so one pass over the values)."""
    newest = (
        func.row_number()
        .over(
            partition_by=ReportValue.quantity_id,
            order_by=(Report.submitted_at.desc(), Report.id.desc(), ReportValue.id.desc()),
        )
        .label("newest")
    )
    return (
        select(ReportValue.quantity_id, ReportValue.value, ReportValue.report_item_id, newest)
        .join(ReportItem, ReportItem.id == ReportValue.report_item_id)
        .join(Report, Report.id == ReportItem.report_id)
        .where(ReportValue.value.is_not(None), *conds)
        .subquery()
    )


def _latest(conds: list[ColumnElement[bool]]) -> Select:
    """The newest non-blank value of each quantity whose values meet `conds`, with its report's
    time, period, unit and work done."""
    ranked = _ranked(conds)
    return (
        select(
            ranked.c.quantity_id,
            ranked.c.value,
            Report.submitted_at,
            Period.name,
            Unit.name,
            ReportItem.work_done,
        )
        .join(ReportItem, ReportItem.id == ranked.c.report_item_id)
        .join(Report, Report.id == ReportItem.report_id)
        .join(Period, Period.id == Report.period_id)
        .join(Unit, Unit.id == Report.unit_id)
        .where(ranked.c.newest == 1)
    )


CURRENT_TARGET = (Quantity.role == "target", Quantity.removed_at.is_(None))


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
            select(Quantity).where(Quantity.task_id.in_(part), *CURRENT_TARGET).order_by(Quantity.position)
        ).scalars()
    ]
    latest = latest_reported(session, quantity_ids=[q.id for q in targets])
    out: dict[int, list[TargetState]] = {i: [] for i in ids}
    for q in targets:
        hit = latest.get(q.id)
        out[q.task_id].append(TargetState(q, hit, reported(q, hit.value) if hit else ""))
    return out


def short_of_targets(session: Session, *, task_ids: Iterable[int] | Select) -> set[int]:
    """The tasks (of the ids, or of a subquery of them) with a current target whose latest reported
    value is `not_met` by `plan.attainment.reported`: what `target_states` says, for the ticker's
    tens of thousands of tasks. One query: only targets with a value (the others are never
    not_met), as plain rows, each with its latest value only."""

    def of(tasks: ColumnElement[bool]) -> Select:
        targets = select(Quantity.id).where(tasks, *CURRENT_TARGET)
        newest = _ranked([ReportValue.quantity_id.in_(targets)])
        return (
            select(
                Quantity.task_id,
                Quantity.comparator,
                Quantity.value,
                Quantity.unit,
                Quantity.value_high,
                Quantity.placeholder,
                newest.c.value.label("latest"),
            )
            .join(newest, newest.c.quantity_id == Quantity.id)
            .where(newest.c.newest == 1, tasks, *CURRENT_TARGET)
        )

    if isinstance(task_ids, Select):
        parts = [of(Quantity.task_id.in_(task_ids))]
    else:
        parts = [of(Quantity.task_id.in_(part)) for part in chunked(task_ids)]
    return {
        row.task_id
        for part in parts
        for row in session.execute(part)
        if reported(row, row.latest) == "not_met"
    }
