"""Who may read which task: one rule for lists and single tasks."""

from __future__ import annotations

import pytest

from duban.ledger.errors import PermissionDenied
from duban.ledger.read.tasks import TaskFilter, list_tasks, task_detail
from duban.ledger.read.timeline import timeline
from duban.ledger.users import Actor
from tests.ledger.read.helpers import CFG, NOW, setup_plan


def test_visibility_one_rule(session):
    ids = setup_plan(session)
    basic = Actor("a", "unit_member", unit_id=ids["基础教育科"])
    co = Actor("c", "unit_member", unit_id=ids["财务科"])
    people = Actor("p", "unit_member", unit_id=ids["人事科"])
    f = TaskFilter()
    seen = lambda a: {r.id for r in list_tasks(session, actor=a, filters=f, now=NOW, cfg=CFG).items}  # noqa: E731
    assert seen(basic) == {ids["t一/1"]}
    assert seen(co) == {ids["t一/1"]}  # a co-unit reads the task too
    assert seen(people) == {ids["t二/1"]}
    assert len(seen(Actor("l", "leader"))) == 5
    for role in ("security_admin", "audit_admin"):
        with pytest.raises(PermissionDenied):
            seen(Actor("x", role))
    with pytest.raises(PermissionDenied):
        task_detail(session, actor=people, task_id=ids["t一/1"], now=NOW, cfg=CFG)
    with pytest.raises(PermissionDenied):
        timeline(session, actor=people, task_id=ids["t一/1"])
