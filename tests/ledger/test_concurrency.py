"""Many writers at once, on SQLite and on the real PostgreSQL server: nobody loses a sign-in or a
report, a lost race answers in Chinese, and the audit chain stays one unbroken line."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import date, datetime

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select

from duban.ledger import audit, plans, reports, sessions, tasks, users
from duban.ledger.errors import ConflictError
from duban.ledger.models import AuditRecord, LoginSession, Report, Task
from duban.ledger.users import SYSTEM, Actor
from tests.conftest import small_plan

PW = "Jiaoyu#2024"
WRITERS = 50


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch):
    """Real argon2 at its lowest cost: fifty sign-ins test the database, not the CPU."""
    scheme = users.Argon2Scheme()
    scheme._ph = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(users, "SCHEMES", [scheme])


def _all_at_once(Session, work, n: int = WRITERS) -> list[object]:  # noqa: N803
    """Run `work(session, i)` in n threads released together; each outcome is a value or the exception."""
    outcomes: list[object] = [None] * n
    gate = threading.Barrier(n)

    def run(i: int) -> None:
        with Session() as s:
            gate.wait()
            try:
                outcomes[i] = work(s, i)
            except Exception as exc:  # noqa: BLE001 - the test inspects every outcome
                outcomes[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return outcomes


def _chain_ok(session) -> int:
    result = audit.verify(session)
    assert result.ok, result.problems
    seqs = session.execute(select(AuditRecord.seq).order_by(AuditRecord.seq)).scalars().all()
    assert seqs == list(range(1, len(seqs) + 1))
    return result.count


def test_fifty_concurrent_logins_all_succeed(Session, session):  # noqa: N803
    names = [f"u{i:02d}" for i in range(WRITERS // 2)]
    for name in names:
        users.create_user(session, actor=SYSTEM, username=name, password=PW, role="leader")
    before = session.execute(select(func.count(AuditRecord.id))).scalar_one()

    def login(s, i: int) -> str:
        actor = users.authenticate(s, username=names[i % len(names)], password=PW, client="10.0.0.1").actor
        token, _ = sessions.start(s, actor=actor, client="10.0.0.1 test")
        return token

    outcomes = _all_at_once(Session, login)
    session.commit()  # end this session's read snapshot: see what the writers committed
    failures = [o for o in outcomes if not isinstance(o, str)]
    assert failures == []
    assert len(set(outcomes)) == WRITERS  # every sign-in got its own session
    assert session.execute(select(func.count(LoginSession.id))).scalar_one() == WRITERS
    actions = Counter(session.execute(select(AuditRecord.action).where(AuditRecord.id > before)).scalars())
    assert actions == {"login.ok": WRITERS, "session.start": WRITERS}
    _chain_ok(session)


def test_fifty_concurrent_reports_one_per_unit_the_rest_told_in_chinese(Session, session):  # noqa: N803
    units = 10
    for i in range(units):
        users.create_unit(session, actor=SYSTEM, name=f"单位{i}")
    unit_ids = [users.get_unit(session, name=f"单位{i}").id for i in range(units)]
    plans.import_plan(session, plan=small_plan(), content=b"plan", name="plan.txt")
    task_id = session.execute(select(Task.id).where(Task.path == "一/1")).scalar_one()
    sup = Actor("dc1", "supervisor")
    tasks.assign(session, actor=sup, task_id=task_id, lead_unit_id=unit_ids[0], co_unit_ids=unit_ids[1:])
    period = reports.create_period(
        session,
        actor=sup,
        name="2024-03",
        start=date(2024, 3, 1),
        end=date(2024, 3, 31),
        cutoff=datetime(2099, 1, 1),
    )

    def submit(s, i: int) -> int:
        unit_id = unit_ids[i % units]  # five members of each unit press 提交 at the same moment
        member = Actor(f"m{i}", "unit_member", unit_id=unit_id)
        entry = reports.Entry(task_id=task_id, work_done=f"第{i}次提交", percent=10)
        return reports.submit(s, actor=member, unit_id=unit_id, period_id=period.id, entries=[entry]).id

    outcomes = _all_at_once(Session, submit)
    session.commit()
    won = [o for o in outcomes if isinstance(o, int)]
    lost = [o for o in outcomes if isinstance(o, ConflictError)]
    other = [o for o in outcomes if not isinstance(o, int | ConflictError)]
    assert other == []
    assert len(won) == units and len(lost) == WRITERS - units
    for exc in lost:  # the user reads why, never a driver's error name
        assert "已报送" in str(exc) and "Error" not in str(exc), str(exc)
    rows = session.execute(select(Report.unit_id)).scalars().all()
    assert sorted(rows) == sorted(unit_ids)
    submitted = session.execute(
        select(func.count()).where(AuditRecord.action == "report.submit")
    ).scalar_one()
    assert submitted == units
    _chain_ok(session)
