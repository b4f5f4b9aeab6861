"""The supervisor's view of 签收: who has not signed for which task, since when."""

from __future__ import annotations

from datetime import timedelta

import pytest

from duban.ledger.errors import PermissionDenied
from duban.ledger.read.signing import unsigned

from ..test_tasks import World


def test_unsigned_lists_each_waiting_unit_until_it_signs(session):
    w = World(session)
    w.do("assign", "supervisor", lead_unit_id=w.lead, co_unit_ids=[w.co])
    sup = w.actors["supervisor"]
    later = w.task().assigned_at + timedelta(days=4, hours=1)
    rows = unsigned(session, actor=sup, now=later)
    assert [(r.unit, r.role, r.days) for r in rows] == [("基础教育科", "lead", 4), ("财务科", "co", 4)]
    w.do("sign", "co_member")
    assert [r.unit_id for r in unsigned(session, actor=sup, now=later)] == [w.lead]
    w.do("start", "lead_member")  # starting signs too
    assert unsigned(session, actor=sup, now=later) == []
    with pytest.raises(PermissionDenied):
        unsigned(session, actor=w.actors["lead_member"], now=later)
