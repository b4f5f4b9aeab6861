"""Ledger benchmark: a large bureau-year on SQLite and PostgreSQL.

Generates PLANS plans of TASKS_PER_PLAN tasks each (imported through the real import
service), assigns them to 60 units, then adds progress reports (one per unit and period,
one entry per task) up to 500,000 entries, timing the status-light query and the per-unit
completion queries at 10k, 100k and 500k entries.

    .venv/bin/python bench/ledger.py                 # both backends, full size
    .venv/bin/python bench/ledger.py --backends sqlite --reports 100000
    .venv/bin/python bench/ledger.py --pg-url postgresql+psycopg://user@host/db
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select, text, update
from sqlalchemy.orm import Session

from duban.ledger import db, lights, plans, reports
from duban.ledger.config import LightConfig
from duban.ledger.models import Period, Report, ReportItem, Task, TaskUnit, Unit
from duban.ledger.pgserver import PgServer
from duban.plan import model as pm

N_UNITS = 60
YEAR = 2024


def make_plan(i: int, tasks_per_plan: int) -> pm.Plan:
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
            month = 3 + (h + k) % 10
            deadlines.append(pm.Deadline(path, f"{month}月底前", f"{YEAR}-{month:02d}-28", "month"))
            n += 1
    doc = pm.Document(
        title=f"第{i}号工作要点",
        kind="plan",
        year=YEAR,
        issuer=f"第{i % 20}县教育局",
        items=items,
        quantities=quantities,
        deadlines=deadlines,
    )
    return pm.Plan(source=f"plan{i}.txt", documents=[doc])


def timed(fn, repeat: int = 3) -> float:
    """Median wall time in milliseconds."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def run(url: str, *, n_plans: int, tasks_per_plan: int, max_reports: int) -> list[str]:
    engine = db.make_engine(url)
    db.downgrade(engine, "base")
    db.upgrade(engine)
    out = [f"== {engine.dialect.name}: {n_plans} plans x {tasks_per_plan} tasks"]
    with Session(engine) as s:
        t0 = time.perf_counter()
        for i in range(n_plans):
            plans.import_plan(
                s, plan=make_plan(i, tasks_per_plan), content=f"plan {i}".encode(), name=f"plan{i}.txt"
            )
        t_import = time.perf_counter() - t0
        n_tasks = s.execute(select(func.count()).select_from(Task)).scalar_one()
        out.append(f"import: {n_tasks} tasks in {t_import:.1f} s ({n_tasks / t_import:.0f} tasks/s)")

        # units and assignment (bulk, outside the audited path: this is a data generator)
        s.execute(
            insert(Unit), [{"id": u + 1, "name": f"单位{u + 1}", "kind": "office"} for u in range(N_UNITS)]
        )
        task_ids = list(s.execute(select(Task.id).order_by(Task.id)).scalars())
        s.execute(
            insert(TaskUnit),
            [{"task_id": t, "unit_id": t % N_UNITS + 1, "role": "lead"} for t in task_ids]
            + [{"task_id": t, "unit_id": (t + 7) % N_UNITS + 1, "role": "co"} for t in task_ids[::5]],
        )
        s.execute(
            update(Task.__table__).values(
                status="in_progress", assigned_at=datetime(YEAR, 1, 15), due_date=date(YEAR, 12, 31)
            )
        )
        s.commit()
        by_unit: dict[int, list[int]] = {}
        for t in task_ids:
            by_unit.setdefault(t % N_UNITS + 1, []).append(t)

        n_periods = -(-max_reports // len(task_ids))
        start = date(YEAR, 1, 1)
        s.execute(
            insert(Period),
            [
                {
                    "id": p + 1,
                    "name": f"P{p + 1:03d}",
                    "start": start + timedelta(days=14 * p),
                    "end": start + timedelta(days=14 * p + 13),
                    "cutoff": datetime.combine(start + timedelta(days=14 * p + 16), datetime.min.time()),
                }
                for p in range(n_periods)
            ],
        )
        s.commit()

        checkpoints = [c for c in (10_000, 100_000, 500_000) if c <= max_reports] or [max_reports]
        done, report_id, item_id = 0, 0, 0
        cfg = LightConfig()
        t_gen = 0.0
        for period in range(1, n_periods + 1):
            for unit in range(1, N_UNITS + 1):
                if done >= checkpoints[-1]:
                    break
                g0 = time.perf_counter()
                report_id += 1
                s.execute(
                    insert(Report),
                    [
                        {
                            "id": report_id,
                            "unit_id": unit,
                            "period_id": period,
                            "submitted_at": datetime(YEAR, 1, 1),
                        }
                    ],
                )
                rows = []
                for t in by_unit[unit]:
                    item_id += 1
                    rows.append(
                        {
                            "id": item_id,
                            "report_id": report_id,
                            "task_id": t,
                            "work_done": "按计划推进",
                            "percent": min(100.0, period * 4 + t % 10),
                        }
                    )
                s.execute(insert(ReportItem), rows)
                s.commit()
                done += len(rows)
                t_gen += time.perf_counter() - g0
                if checkpoints and done >= checkpoints[0]:
                    s.execute(update(Task.__table__).values(last_percent=min(100, period * 4)))
                    s.commit()
                    if engine.dialect.name == "postgresql":
                        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                            c.execute(text("ANALYZE"))
                    else:
                        s.execute(text("ANALYZE"))
                    now = datetime.combine(start + timedelta(days=14 * period + 20), datetime.min.time())
                    n_rows = len(lights.status_rows(s, now=now, cfg=cfg))
                    t_light = timed(lambda now=now: lights.status_rows(s, now=now, cfg=cfg))
                    t_red = timed(lambda now=now: lights.status_rows(s, now=now, cfg=cfg, only_light="red"))
                    t_unit = timed(lambda: lights.unit_completion(s))
                    t_period = timed(lambda p=period: reports.report_counts(s, period_id=p))
                    out.append(
                        f"reports {done:>7,}: status lights (all {n_rows} tasks) {t_light:7.1f} ms | "
                        f"red only {t_red:7.1f} ms | per-unit completion {t_unit:6.1f} ms | "
                        f"per-unit period entries {t_period:6.1f} ms"
                    )
                    checkpoints.pop(0)
                    if not checkpoints:
                        break
            if not checkpoints:
                break
        out.append(f"generating {done:,} report entries took {t_gen:.1f} s")
    engine.dispose()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--backends", default="sqlite,postgresql")
    ap.add_argument("--plans", type=int, default=200)
    ap.add_argument("--tasks-per-plan", type=int, default=100)
    ap.add_argument("--reports", type=int, default=500_000)
    ap.add_argument("--pg-url", default="")
    args = ap.parse_args()
    lines: list[str] = []
    for backend in args.backends.split(","):
        if backend == "sqlite":
            with tempfile.TemporaryDirectory() as d:
                url = f"sqlite:///{Path(d) / 'bench.sqlite3'}"
                lines += run(
                    url, n_plans=args.plans, tasks_per_plan=args.tasks_per_plan, max_reports=args.reports
                )
        elif args.pg_url:
            lines += run(
                args.pg_url, n_plans=args.plans, tasks_per_plan=args.tasks_per_plan, max_reports=args.reports
            )
        else:
            with PgServer() as server:
                lines += run(
                    server.url,
                    n_plans=args.plans,
                    tasks_per_plan=args.tasks_per_plan,
                    max_reports=args.reports,
                )
        for line in lines:
            print(line, flush=True)
        lines = []


if __name__ == "__main__":
    main()
