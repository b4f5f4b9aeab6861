"""Read models are kept while the ledger, the local day and the due period hold, and only then."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from duban.ledger import reports, tasks
from duban.ledger.clock import local_date, to_utc
from duban.ledger.db import utcnow
from duban.ledger.read.cache import ReadCache, cache_of, kept
from duban.ledger.read.dashboard import dashboard
from duban.ledger.read.tasks import TaskFilter, list_tasks
from duban.ledger.users import Actor
from tests.ledger.read.helpers import CFG, NOW, SUP, setup_plan


def _page(session, now=NOW, **kw):
    return list_tasks(session, actor=SUP, filters=TaskFilter(**kw), now=now, cfg=CFG)


def test_the_same_question_is_answered_from_the_cache(session):
    setup_plan(session)
    first = _page(session)
    assert _page(session) is first  # nothing moved: the kept answer
    assert _page(session, status="unassigned") is not first  # another question


def test_a_change_of_data_is_seen_at_once(session):
    ids = setup_plan(session)
    before = _page(session)
    member = Actor("p", "unit_member", unit_id=ids["人事科"])
    tasks.transition(session, actor=member, task_id=ids["t二/1"], action="start")
    after = _page(session)
    assert after is not before
    status = {r.id: r.status for r in after.items}
    assert status[ids["t二/1"]] == "in_progress"


def test_the_next_day_and_a_passed_cut_off_are_recomputed(session):
    ids = setup_plan(session)
    board = dashboard(session, actor=SUP, now=NOW, cfg=CFG)
    assert dashboard(session, actor=SUP, now=NOW + timedelta(hours=1), cfg=CFG) is board  # same day
    assert dashboard(session, actor=SUP, now=NOW + timedelta(days=1), cfg=CFG) is not board
    # a period whose cut-off falls between two calls of one (local) day: the second sees it due
    day = local_date(utcnow()) + timedelta(days=1)  # after the assignments, so a report is owed
    base = to_utc(datetime.combine(day, time(9, 0)))
    reports.create_period(
        session, actor=SUP, name="明日", start=day, end=day, cutoff=base + timedelta(hours=2)
    )
    before = _page(session, now=base + timedelta(hours=1))
    assert _page(session, now=base + timedelta(hours=1, minutes=30)) is before
    after = _page(session, now=base + timedelta(hours=3))
    assert after is not before
    assert {r.id: r.light for r in before.items}[ids["t一/1"]] == "green"
    lights = {r.id: r.light for r in after.items}
    assert lights[ids["t一/1"]] == "yellow"  # assigned, due later, its report now missing


def test_units_see_their_own_answer(session):
    ids = setup_plan(session)
    one = Actor("a", "unit_member", unit_id=ids["人事科"])
    other = Actor("b", "unit_member", unit_id=ids["财务科"])
    mine = list_tasks(session, actor=one, filters=TaskFilter(), now=NOW, cfg=CFG)
    theirs = list_tasks(session, actor=other, filters=TaskFilter(), now=NOW, cfg=CFG)
    assert {r.id for r in mine.items} == {ids["t二/1"]}
    assert {r.id for r in theirs.items} == {ids["t一/1"]}


def test_the_cache_is_bounded_and_per_database(session):
    small = ReadCache(size=2)
    for k in range(5):
        small.put(k, k)
    assert len(small._items) == 2 and small.get(4) == 4
    setup_plan(session)
    calls = []
    kept(session, now=NOW, key=("x",), compute=lambda: calls.append(1))
    kept(session, now=NOW, key=("x",), compute=lambda: calls.append(1))
    assert calls == [1]
    assert cache_of(session) is cache_of(session)
