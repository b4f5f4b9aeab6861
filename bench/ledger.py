# ruff: noqa: E402  (the standard library first: bench/http.py is named like its `http` package)
"""Ledger benchmark: a large bureau-year on SQLite and PostgreSQL.

Generates PLANS plans of TASKS_PER_PLAN tasks each (imported through the real import service),
assigns them to 60 units, then adds progress reports (one per unit and period, one entry per
task, a figure for each target) up to REPORTS entries. At each checkpoint it times what the pages ask for: a page of the
task list with its lights (no filter, and filtered by light), the dashboard of a plan, the lights
of every task, and the per-unit completion queries; budget 100 ms for the page and the dashboard.
Each is timed cold (the ledger's version moved just before, so the read cache holds nothing), and
the page and the dashboard also as the read cache answers them ("kept"). Over budget, it prints
the EXPLAIN of the slowest SQL statement of that (cold) call.

    .venv/bin/python bench/ledger.py                             # both backends, 100k tasks, 2M entries
    .venv/bin/python bench/ledger.py --backends postgresql --plans 200 --reports 500000
    .venv/bin/python bench/ledger.py --pg-url postgresql+psycopg://user@host/db
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/http.py is named like the standard library's `http` package: look there first, here last
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE] + [str(HERE)]

import argparse
import statistics
import tempfile
import time
import uuid
from datetime import datetime, timedelta

from bureau import add_periods, add_reports, add_units, assign_all, import_plans
from sqlalchemy import Engine, case, event, func, select, text, update
from sqlalchemy.orm import Session

from duban.ledger import db, reports
from duban.ledger.clock import local_date
from duban.ledger.config import LightConfig
from duban.ledger.models import LedgerVersion, Period, Plan, ReportItem, Task, TaskUnit, Unit
from duban.ledger.read.dashboard import dashboard
from duban.ledger.read.lights import status_rows
from duban.ledger.read.tasks import TaskFilter, list_tasks
from duban.ledger.users import Actor

BUDGET_MS = 100.0
SUP = Actor("bench", "supervisor")


def unit_completion(session: Session) -> list:
    """Per lead unit: tasks, closed tasks, average reported percent: one GROUP BY over every task and
    its lead unit, timed as the widest aggregate the ledger's size puts on the database."""
    stmt = (
        select(
            Unit.id,
            Unit.name,
            func.count(Task.id),
            func.sum(case((Task.status == "closed", 1), else_=0)),
            func.avg(Task.last_percent),
        )
        .join(TaskUnit, TaskUnit.unit_id == Unit.id)
        .join(Task, Task.id == TaskUnit.task_id)
        .where(TaskUnit.role == "lead", Task.removed_at.is_(None))
        .group_by(Unit.id, Unit.name)
        .order_by(Unit.id)
    )
    return list(session.execute(stmt))


def new_version(s: Session) -> None:
    """Move the ledger's version, as any write would: the next read model is computed afresh."""
    s.execute(update(LedgerVersion).values(token=uuid.uuid4().hex))
    s.commit()


def timed(fn, s: Session, repeat: int = 3) -> float:
    """Median wall time in milliseconds of a cold call (the ledger just changed: nothing kept)."""
    times = []
    for _ in range(repeat):
        new_version(s)
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def timed_kept(fn, s: Session, repeat: int = 3) -> float:
    """Median wall time of a call the read cache answers (nothing changed since the first)."""
    new_version(s)
    fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


class Statements:
    """The SQL statements run on an engine, with their durations, while recording."""

    def __init__(self, engine: Engine) -> None:
        self.engine, self.on, self.seen = engine, False, []
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn, cursor, statement, params, context, many) -> None:  # noqa: ANN001
        conn.info["t0"] = time.perf_counter()

    def _after(self, conn, cursor, statement, params, context, many) -> None:  # noqa: ANN001
        if self.on:
            self.seen.append(((time.perf_counter() - conn.info["t0"]) * 1000, statement, params))

    def explain_slowest(self, fn) -> str:  # noqa: ANN001
        self.seen, self.on = [], True
        try:
            fn()
        finally:
            self.on = False
        ms, statement, params = max(self.seen, key=lambda r: r[0])
        prefix = "EXPLAIN ANALYZE " if self.engine.dialect.name == "postgresql" else "EXPLAIN QUERY PLAN "
        with self.engine.connect() as conn:
            plan = conn.exec_driver_sql(prefix + statement, params).all()
        lines = "\n".join("    " + " | ".join(str(c) for c in row) for row in plan)
        return f"  slowest statement {ms:.1f} ms:\n    {statement.strip()[:600]}\n{lines}"


def vacuum_analyze(engine: Engine, s: Session) -> None:
    """After a bulk load, what autovacuum would have done: PostgreSQL's VACUUM ANALYZE (statistics and
    the visibility map, without which no scan is index-only), SQLite's ANALYZE."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.execute(text("VACUUM ANALYZE"))
    else:
        s.execute(text("ANALYZE"))
        s.commit()


def measure(
    s: Session, stmts: Statements, *, now: datetime, plan_id: int, period_id: int, done: int
) -> list[str]:
    """Time the calls the pages make (cold, and the page and dashboard kept); EXPLAIN the slowest over budget."""
    cfg = LightConfig()
    page = TaskFilter(page=3, per_page=50)
    red = TaskFilter(light="red", page=2, per_page=50)
    calls = {
        "task page": lambda: list_tasks(s, actor=SUP, filters=page, now=now, cfg=cfg),
        "red page": lambda: list_tasks(s, actor=SUP, filters=red, now=now, cfg=cfg),
        "dashboard": lambda: dashboard(s, actor=SUP, now=now, cfg=cfg, plan_id=plan_id),
        "all lights": lambda: status_rows(s, now=now, cfg=cfg),
        "unit completion": lambda: unit_completion(s),
        "period entries": lambda: reports.report_counts(s, period_id=period_id),
    }
    out = []
    times = {name: timed(fn, s) for name, fn in calls.items()}
    times["task page kept"] = timed_kept(calls["task page"], s)
    times["dashboard kept"] = timed_kept(calls["dashboard"], s)
    out.append(f"reports {done:>9,}: " + " | ".join(f"{k} {v:.1f} ms" for k, v in times.items()))
    print(out[-1], flush=True)
    over = {k: v for k, v in times.items() if k in ("task page", "red page", "dashboard") and v > BUDGET_MS}
    if over:
        worst = max(over, key=over.get)
        new_version(s)  # explain the cold call, not the kept answer
        out.append(f"  over the {BUDGET_MS:.0f} ms budget: {worst}\n" + stmts.explain_slowest(calls[worst]))
        print(out[-1], flush=True)
    return out


def run(url: str, *, n_plans: int, tasks_per_plan: int, max_reports: int, phase: str = "all") -> list[str]:
    """Generate (a fresh schema) and time at each checkpoint; `phase` "generate" only loads the data
    (up to `max_reports`, then VACUUM ANALYZE), "time" only times the ledger already at `url`
    (migrated to head first, so a new index is measured on the same data)."""
    engine = db.make_engine(url)
    today = local_date(db.utcnow())
    now = datetime.combine(today, datetime.min.time()) + timedelta(hours=2)
    stmts = Statements(engine)
    if phase == "time":
        db.upgrade(engine)
        with Session(engine) as s:
            n_tasks = s.execute(select(func.count()).select_from(Task)).scalar_one()
            done = s.execute(select(func.count()).select_from(ReportItem)).scalar_one()
            plan_id = s.execute(select(func.max(Plan.id))).scalar_one()
            period_id = s.execute(select(func.min(Period.id))).scalar_one()
            out = [f"== {engine.dialect.name}: {n_tasks} tasks, timing only"]
            out += measure(s, stmts, now=now, plan_id=plan_id, period_id=period_id, done=done)
        engine.dispose()
        return out
    db.downgrade(engine, "base")
    db.upgrade(engine)
    out = [f"== {engine.dialect.name}: {n_plans} plans x {tasks_per_plan} tasks"]
    with Session(engine) as s:
        t0 = time.perf_counter()
        n_tasks = import_plans(s, n_plans=n_plans, tasks_per_plan=tasks_per_plan, year=today.year)
        t_import = time.perf_counter() - t0
        out.append(f"import: {n_tasks} tasks in {t_import:.1f} s ({n_tasks / t_import:.0f} tasks/s)")
        print(out[-1], flush=True)
        add_units(s)
        by_unit = assign_all(s, today=today)
        n_leaves = sum(len(v) for v in by_unit.values())
        n_periods = -(-max_reports // n_leaves)
        periods = add_periods(s, first=today - timedelta(days=14 * n_periods + 20), n=n_periods)
        checkpoints = [c for c in (10_000, 100_000, 500_000, 1_000_000, 2_000_000) if c <= max_reports]
        checkpoints = checkpoints or [max_reports]
        if phase == "generate":
            checkpoints = [max_reports]
        done, t_gen, next_pair = 0, 0.0, 0
        plan_id = n_plans  # the newest plan, the dashboard's default
        for target in checkpoints:
            g0 = time.perf_counter()
            added, next_pair = add_reports(
                s, by_unit=by_unit, period_ids=periods, limit=target - done, start=next_pair, figures=True
            )
            done += added
            t_gen += time.perf_counter() - g0
            vacuum_analyze(engine, s)
            if phase == "all":
                out += measure(s, stmts, now=now, plan_id=plan_id, period_id=periods[0], done=done)
        out.append(f"generating {done:,} report entries took {t_gen:.1f} s")
    engine.dispose()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--backends", default="sqlite,postgresql")
    ap.add_argument("--plans", type=int, default=1000)
    ap.add_argument("--tasks-per-plan", type=int, default=100)
    ap.add_argument("--reports", type=int, default=2_000_000)
    ap.add_argument("--pg-url", default="")
    ap.add_argument(
        "--phase",
        choices=("all", "generate", "time"),
        default="all",
        help="with --pg-url: only load the data (run it niced), or only time the ledger already there",
    )
    args = ap.parse_args()
    if args.phase != "all" and not args.pg_url:
        ap.error("--phase generate/time needs --pg-url (a server that outlives this run)")
    kw = {
        "n_plans": args.plans,
        "tasks_per_plan": args.tasks_per_plan,
        "max_reports": args.reports,
        "phase": args.phase,
    }
    lines: list[str] = []
    for backend in args.backends.split(","):
        if backend == "sqlite":
            with tempfile.TemporaryDirectory() as d:
                lines += run(f"sqlite:///{Path(d) / 'bench.sqlite3'}", **kw)
        elif args.pg_url:
            lines += run(args.pg_url, **kw)
        else:
            from duban.ledger.pgserver import PgServer

            with PgServer() as server:
                lines += run(server.url, **kw)
    print()
    print("\n".join(lines))


if __name__ == "__main__":
    main()
