"""A synthetic bureau-year for the benchmarks: plans, units, users, assignments, periods, reports.

Plans go through the real import service; assignments, periods and reports are bulk inserts (this
is a data generator, not the audited path), shaped like a real year: each task has a lead unit,
every fifth a co-unit, due dates spread over the year around "now", reports per unit and period.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func, insert, select, text, update
from sqlalchemy.orm import Session

from duban.ledger import plans
from duban.ledger.models import Period, Quantity, Report, ReportItem, ReportValue, Task, TaskUnit, Unit
from duban.plan import model as pm

N_UNITS = 60


def make_plan(i: int, tasks_per_plan: int, year: int) -> pm.Plan:
    """One plan of about `tasks_per_plan` tasks: a heading per ten, each task with a target and a deadline."""
    items, quantities, deadlines = [], [], []
    heads = max(1, tasks_per_plan // 10)
    n = 0
    for h in range(1, heads + 1):
        if n >= tasks_per_plan:
            break
        items.append(pm.Item(path=str(h), level=1, number=str(h), title=f"第{h}部分重点工作"))
        n += 1
        for k in range(1, 10):
            if n >= tasks_per_plan:
                break
            path = f"{h}/{k}"
            items.append(
                pm.Item(path=path, level=2, number=str(k), title=f"计划{i}任务{h}.{k}：新建学校{k}所")
            )
            quantities.append(pm.Quantity(path, f"新建学校{k}所", "新建学校", "=", k, None, "所", "target"))
            month = 1 + (h + k) % 12
            deadlines.append(pm.Deadline(path, f"{month}月底前", f"{year}-{month:02d}-28", "month"))
            n += 1
    doc = pm.Document(
        title=f"第{i}号工作要点",
        kind="plan",
        year=year,
        issuer=f"第{i % 20}县教育局",
        items=items,
        quantities=quantities,
        deadlines=deadlines,
    )
    return pm.Plan(source=f"plan{i}.txt", documents=[doc])


def import_plans(s: Session, *, n_plans: int, tasks_per_plan: int, year: int) -> int:
    for i in range(n_plans):
        plans.import_plan(
            s, plan=make_plan(i, tasks_per_plan, year), content=f"plan {i}".encode(), name=f"plan{i}.txt"
        )
    return s.execute(select(func.count()).select_from(Task)).scalar_one()


def sync_sequences(s: Session, *models: type) -> None:
    """PostgreSQL: move each table's id sequence past the ids inserted explicitly here, so rows the
    services add later (a report through the API) get fresh ids instead of a duplicate key."""
    if s.get_bind().dialect.name != "postgresql":
        return
    for model in models:
        table = model.__tablename__
        s.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT coalesce(max(id), 1) FROM {table}))"
            )
        )
    s.commit()


def add_units(s: Session) -> list[int]:
    s.execute(insert(Unit), [{"id": u + 1, "name": f"单位{u + 1}", "kind": "office"} for u in range(N_UNITS)])
    s.commit()
    sync_sequences(s, Unit)
    return list(range(1, N_UNITS + 1))


def assign_all(s: Session, *, today: date) -> dict[int, list[int]]:
    """Every leaf task to a lead unit (round robin) and every fifth also to a co-unit; unit -> its tasks.

    Due dates spread from four months ago to eight months ahead, so every light colour occurs.
    """
    child = select(Task.parent_id).where(Task.parent_id.is_not(None))
    leaves = list(s.execute(select(Task.id).where(Task.id.not_in(child)).order_by(Task.id)).scalars())
    s.execute(
        insert(TaskUnit),
        [{"task_id": t, "unit_id": i % N_UNITS + 1, "role": "lead"} for i, t in enumerate(leaves)]
        + [
            {"task_id": t, "unit_id": (i + 7) % N_UNITS + 1, "role": "co"}
            for i, t in enumerate(leaves)
            if i % 5 == 0
        ],
    )
    assigned = datetime.combine(today - timedelta(days=150), datetime.min.time())
    for offset in range(12):  # twelve due-date groups, one UPDATE each
        due = today + timedelta(days=30 * offset - 120)
        s.execute(
            update(Task.__table__)
            .where(Task.id.not_in(child), Task.id % 12 == offset)  # a subquery: 100k ids overflow PG's binds
            .values(status="in_progress", assigned_at=assigned, due_date=due, last_percent=(offset * 9) % 100)
        )
    s.commit()
    by_unit: dict[int, list[int]] = {}
    for i, t in enumerate(leaves):
        by_unit.setdefault(i % N_UNITS + 1, []).append(t)
    return by_unit


def add_periods(s: Session, *, first: date, n: int, days: int = 14, cutoff_after: int = 3) -> list[int]:
    """`n` consecutive periods of `days` days from `first`, each cut off `cutoff_after` days after its end."""
    base = s.execute(select(func.coalesce(func.max(Period.id), 0))).scalar_one()
    rows = [
        {
            "id": base + p + 1,
            "name": f"P{base + p + 1:04d}",
            "start": first + timedelta(days=days * p),
            "end": first + timedelta(days=days * p + days - 1),
            "cutoff": datetime.combine(
                first + timedelta(days=days * p + days - 1 + cutoff_after), datetime.min.time()
            ),
        }
        for p in range(n)
    ]
    s.execute(insert(Period), rows)
    s.commit()
    sync_sequences(s, Period)
    return [r["id"] for r in rows]


def add_reports(
    s: Session,
    *,
    by_unit: dict[int, list[int]],
    period_ids: list[int],
    limit: int,
    start: int = 0,
    batch: int = 20_000,
    figures: bool = False,
) -> tuple[int, int]:
    """Whole reports (one per unit and period, one entry per task of the unit; with `figures`, a
    value for each of the task's targets, every third left blank) until about `limit` entries, from the `start`-th
    (period, unit) pair on: (entries added, the next pair's index)."""
    report_id = s.execute(select(func.coalesce(func.max(Report.id), 0))).scalar_one()
    item_id = s.execute(select(func.coalesce(func.max(ReportItem.id), 0))).scalar_one()
    targets: dict[int, list[int]] = {}
    for qid, tid in (
        []
        if not figures
        else s.execute(
            select(Quantity.id, Quantity.task_id).where(
                Quantity.role == "target", Quantity.removed_at.is_(None)
            )
        )
    ):
        targets.setdefault(tid, []).append(qid)
    pairs = [(n, p, u) for n, p in enumerate(period_ids) for u in by_unit]
    done, k = 0, start
    reps: list[dict] = []
    items: list[dict] = []
    values: list[dict] = []

    def flush() -> None:
        if reps:
            s.execute(insert(Report), reps)
            s.execute(insert(ReportItem), items)
            if values:
                s.execute(insert(ReportValue), values)
            s.commit()
            reps.clear()
            items.clear()
            values.clear()

    while done < limit and k < len(pairs):
        n, period, unit = pairs[k]
        k += 1
        report_id += 1
        reps.append(
            {"id": report_id, "unit_id": unit, "period_id": period, "submitted_at": datetime(2020, 1, 1)}
        )
        for t in by_unit[unit]:
            item_id += 1
            percent = min(100.0, n * 4 + t % 10)
            items.append(
                {
                    "id": item_id,
                    "report_id": report_id,
                    "task_id": t,
                    "work_done": "按计划推进",
                    "percent": percent,
                }
            )
            for qid in targets.get(t, ()):  # 0-11 against targets of 1-9: met and short both occur
                values.append(
                    {
                        "report_item_id": item_id,
                        "quantity_id": qid,
                        "value": None if item_id % 3 == 0 else item_id % 12,
                    }
                )
            done += 1
        if len(items) >= batch:
            flush()
    flush()
    sync_sequences(s, Report, ReportItem)
    return done, k
