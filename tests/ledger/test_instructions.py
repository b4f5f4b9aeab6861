"""领导批示: written by a leader on a task or a report of it, audited, refused to others."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from duban.ledger import instructions
from duban.ledger.errors import NotFoundError, PermissionDenied, ValidationError
from duban.ledger.models import AuditRecord, Report
from duban.ledger.users import Actor
from tests.exports.conftest import build_world

LEADER = Actor("ld", "leader")


def test_a_leader_instructs_on_a_task_and_a_report(session):
    w = build_world(session)
    tid = w.tasks["一/2"]
    first = instructions.instruct(session, actor=LEADER, task_id=tid, text="  加快进度，月底前达标  ")
    report = session.execute(select(Report.id).order_by(Report.id)).scalars().first()
    second = instructions.instruct(session, actor=LEADER, task_id=tid, text="数据请核实", report_id=report)
    notes = instructions.instructions_of(session, task_ids=[tid])[tid]
    assert [(n.text, n.report_id) for n in notes] == [("数据请核实", report), ("加快进度，月底前达标", None)]
    assert first.author == "ld" and second.id > first.id
    audit = session.execute(select(AuditRecord).where(AuditRecord.action == "task.instruct")).scalars().all()
    assert [a.entity_id for a in audit] == [str(tid), str(tid)] and "加快进度" in audit[0].after
    assert [label for _, label in instructions.reports_of_task(session, task_id=tid)] == [
        "2024-06 · 基础教育科",
        "2024-03 · 基础教育科",
    ]


@pytest.mark.parametrize("role", ["supervisor", "unit_member", "admin"])
def test_only_leaders_instruct(session, role):
    w = build_world(session)
    with pytest.raises(PermissionDenied, match="无权批示：需要领导角色"):
        instructions.instruct(session, actor=Actor("x", role, unit_id=1), task_id=w.tasks["一/2"], text="好")


def test_bad_instructions_are_refused(session):
    w = build_world(session)
    tid = w.tasks["二/1"]
    with pytest.raises(ValidationError, match="不能为空"):
        instructions.instruct(session, actor=LEADER, task_id=tid, text="   ")
    with pytest.raises(ValidationError, match="过长"):
        instructions.instruct(session, actor=LEADER, task_id=tid, text="批" * 2001)
    report = session.execute(select(Report.id)).scalars().first()  # 基础教育科's report does not cover 二/1
    with pytest.raises(NotFoundError, match="没有这份报送"):
        instructions.instruct(session, actor=LEADER, task_id=tid, text="请核实", report_id=report)
    assert instructions.instructions_of(session, task_ids=[tid]) == {}
