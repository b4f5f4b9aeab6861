"""The supervisor's approval queue."""

from __future__ import annotations

from datetime import date

import pytest

from duban.ledger import tasks
from duban.ledger.errors import PermissionDenied
from duban.ledger.read.approvals import approval_queue
from duban.ledger.users import Actor
from tests.ledger.read.helpers import SUP, setup_plan


def test_approval_queue(session):
    ids = setup_plan(session)
    lead = Actor("a", "unit_member", unit_id=ids["基础教育科"])
    tid = ids["t一/1"]
    tasks.transition(session, actor=lead, task_id=tid, action="start")
    tasks.transition(
        session,
        actor=lead,
        task_id=tid,
        action="request_extension",
        due_date=date(2100, 1, 31),
        reason="资金未到位",
    )
    tasks.transition(session, actor=lead, task_id=tid, action="request_closeout")
    q = approval_queue(session, actor=SUP)
    assert [r.id for r in q["closeout"]] == [tid] and [r.id for r in q["extension"]] == [tid]
    assert q["contest"] == []
    with pytest.raises(PermissionDenied):
        approval_queue(session, actor=Actor("l", "leader"))
