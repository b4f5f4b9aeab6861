"""The demo year (`duban demo`) on the gold plans: every state a page shows, the same year for the
same seed, built once, and never on a database in use. On both backends."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from duban.ledger import audit, db, demo, plans, reports, users
from duban.ledger.clock import local_date, to_utc
from duban.ledger.config import Config
from duban.ledger.errors import ValidationError
from duban.ledger.models import (
    AuditRecord,
    Period,
    Quantity,
    Reminder,
    Report,
    ReportItem,
    ReportValue,
    Task,
    TaskUnit,
    Unit,
    User,
)
from duban.ledger.read.lights import status_rows
from tests.web.conftest import cheap_hashing  # noqa: F401  (autouse: real Argon2 at its lowest cost)

from .conftest import GOLD

NOW = to_utc(datetime(2026, 6, 15, 12, 0))


def passwords():
    n = itertools.count(1)
    return lambda: f"Demo#Pass{next(n):03d}"


def import_gold(session) -> None:
    for path in sorted(GOLD.glob("*.gold.json")):
        plans.import_file(session, path=path)


def fingerprint(session) -> dict:
    """What the year is made of, by names and dates (ids and hashes differ between databases)."""
    units = dict(session.execute(select(Unit.id, Unit.name)).all())
    task_rows = session.execute(
        select(Task.path, Task.status, Task.due_date, Task.last_percent, TaskUnit.unit_id)
        .join(TaskUnit, (TaskUnit.task_id == Task.id) & (TaskUnit.role == "lead"))
        .order_by(Task.path)
    ).all()
    report_rows = session.execute(
        select(Unit.name, Period.name, Report.late, Report.submitted_at)
        .join(Unit, Unit.id == Report.unit_id)
        .join(Period, Period.id == Report.period_id)
        .order_by(Unit.name, Period.name)
    ).all()
    return {
        "tasks": [(p, s, d, pct, units[u]) for p, s, d, pct, u in task_rows],
        "reports": [tuple(r) for r in report_rows],
        "users": sorted(session.execute(select(User.username, User.role, User.unit_id)).all()),
        "reminders": session.execute(select(func.count()).select_from(Reminder)).scalar_one(),
    }


def test_the_demo_year_shows_every_state_and_is_the_same_for_the_same_seed(session, tmp_path):
    import_gold(session)
    r = demo.build(session, cfg=Config(), new_password=passwords(), seed=7, now=NOW)
    today = local_date(NOW)

    # lights now: every colour, the closed tasks green
    rows = status_rows(session, now=NOW, cfg=Config().lights)
    lights = Counter(row.light for row in rows)
    assert lights["red"] >= 3 and lights["yellow"] >= 4 and lights["blue"] >= 1 and lights["green"] >= 5
    assert r.assigned == len(rows) and r.closed == 3
    closed = session.execute(select(Task).where(Task.status == "closed")).scalars().all()
    assert len(closed) == 3 and all(t.closed_at < NOW for t in closed)
    returned = session.execute(
        select(AuditRecord.entity_id).where(AuditRecord.action == "task.return")
    ).scalars()
    assert {int(i) for i in returned} <= {t.id for t in closed}  # returned once, closed in the end

    # three monthly periods cut off before today; late reports; one unit missing the last one
    periods = session.execute(select(Period).order_by(Period.end)).scalars().all()
    assert len(periods) == 3 and all(p.cutoff < NOW for p in periods)
    assert (
        r.late >= 3
        and session.execute(select(func.count()).select_from(Report).where(Report.late)).scalar() == r.late
    )
    missing = reports.missing_units(session, period_id=periods[-1].id)
    assert [u.name for u in missing] == r.missing and len(missing) == 1
    assert [u.name for u in reports.missing_units(session, period_id=periods[0].id)] == []

    # reported figures: some targets met, some short
    figures = session.execute(
        select(ReportValue.value, Quantity.value, Quantity.comparator)
        .join(Quantity, Quantity.id == ReportValue.quantity_id)
        .where(Quantity.comparator.in_(("=", ">=")))
    ).all()
    assert any(v >= target for v, target, _ in figures) and any(v < target for v, target, _ in figures)
    texts = (
        session.execute(select(ReportItem.work_done).where(ReportItem.percent.is_not(None))).scalars().all()
    )
    assert texts and all(texts)

    # 延期: one approved (moved to today + 45 days), one waiting; a 销号 and an 异议 waiting too
    ext = Counter(session.execute(select(Task.extension_status)).scalars())
    assert ext["approved"] == 1 and ext["requested"] == 1
    approved = session.execute(select(Task).where(Task.extension_status == "approved")).scalar_one()
    assert approved.due_date == today + timedelta(days=45)
    assert session.execute(select(func.count()).where(Task.status == "closeout_requested")).scalar() == 1
    assert session.execute(select(func.count()).where(Task.contest_status == "pending")).scalar() == 1

    # 催办: by the 督查 on overdue tasks and on the missing report, and by the ticker's ladder
    kinds = Counter(session.execute(select(Reminder.kind)).scalars())
    assert kinds["manual"] >= 4 and kinds["auto"] >= 1 and r.reminders == sum(kinds.values())

    # accounts: one per role, one per unit with tasks, each unit account in its unit
    roles = Counter(a.role for a in r.accounts)
    assert all(roles[role] == 1 for _, role, _ in demo.ROLE_USERS)
    with_tasks = set(session.execute(select(TaskUnit.unit_id)).scalars())
    member_units = {users.get_unit(session, name=a.unit).id for a in r.accounts if a.role == "unit_member"}
    assert member_units == with_tasks
    leader = next(a for a in r.accounts if a.role == "leader")
    assert (
        users.authenticate(session, username=leader.username, password=leader.password).actor.role == "leader"
    )
    assert audit.verify(session).ok

    # the same seed and moment on another database: the same year
    url = f"sqlite:///{tmp_path / 'again.sqlite3'}"
    engine = db.make_engine(url)
    db.upgrade(engine)
    with sessionmaker(engine)() as other:
        import_gold(other)
        demo.build(other, cfg=Config(), new_password=passwords(), seed=7, now=NOW)
        assert fingerprint(other) == fingerprint(session)
    engine.dispose()

    # built once: a second run changes nothing
    before = fingerprint(session)
    again = demo.build(session, cfg=Config(), new_password=passwords(), seed=7, now=NOW + timedelta(days=1))
    assert again.already is not None and again.accounts == []
    assert fingerprint(session) == before


def test_a_database_in_use_is_refused_and_left_alone(session):
    import_gold(session)
    users.create_unit(session, actor=users.SYSTEM, name="基础教育科")
    with pytest.raises(ValidationError, match="已有业务数据（单位 1）"):
        demo.build(session, cfg=Config(), new_password=passwords(), now=NOW)
    assert session.execute(select(func.count()).select_from(User)).scalar() == 0
    assert session.execute(select(func.count()).select_from(Unit)).scalar() == 1
    assert session.execute(select(AuditRecord).where(AuditRecord.action.like("demo.%"))).first() is None


def test_an_empty_database_says_to_import_first(session):
    with pytest.raises(ValidationError, match="请先导入工作要点"):
        demo.build(session, cfg=Config(), new_password=passwords(), now=NOW)
