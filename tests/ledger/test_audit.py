from __future__ import annotations

import pytest
from sqlalchemy import text

from duban.ledger import audit
from duban.ledger.models import AuditRecord

from .test_tasks import World


def _populate(session) -> World:
    world = World(session)
    world.do("assign", "supervisor", lead_unit_id=world.lead)
    world.do("start", "lead_member")
    world.do("request_closeout", "lead_member")
    return world


def test_chain_verifies(session):
    _populate(session)
    result = audit.verify(session)
    assert result.ok, result.problems
    assert result.count == 4  # the plan import and three transitions
    assert audit.history(session, entity="task", entity_id=0) == []


def test_changed_record_is_found(session):
    world = _populate(session)
    rec = audit.history(session, entity="task", entity_id=world.task_id)[1]
    session.execute(text("UPDATE audit_log SET actor = 'someone_else' WHERE seq = :s"), {"s": rec.seq})
    session.commit()
    session.expire_all()
    result = audit.verify(session)
    assert not result.ok
    assert any(f"审计记录 {rec.seq} 的内容被修改" in p for p in result.problems)


def test_deleted_record_is_found(session):
    world = _populate(session)
    rec = audit.history(session, entity="task", entity_id=world.task_id)[0]
    session.execute(text("DELETE FROM audit_log WHERE seq = :s"), {"s": rec.seq})
    session.commit()
    result = audit.verify(session)
    assert not result.ok
    assert any("缺失" in p for p in result.problems)


def test_deleted_last_record_is_found(session):
    _populate(session)
    session.execute(text("DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)"))
    session.commit()
    result = audit.verify(session)
    assert not result.ok
    assert any("尾部" in p for p in result.problems)


def test_rewritten_chain_with_recomputed_hash_still_breaks_the_link(session):
    world = _populate(session)
    target = audit.history(session, entity="task", entity_id=world.task_id)[0]
    forged = target.after.replace("assigned", "closed")
    probe = AuditRecord(
        **{
            c: getattr(target, c)
            for c in ("seq", "at", "actor", "action", "entity", "entity_id", "before", "prev_hash")
        }
    )
    probe.after = forged
    new_hash = audit._digest(probe)  # a forger recomputes this record's own hash
    session.execute(
        text("UPDATE audit_log SET after = :a, hash = :h WHERE seq = :s"),
        {"a": forged, "h": new_hash, "s": target.seq},
    )
    session.commit()
    result = audit.verify(session)
    assert any(f"审计记录 {target.seq + 1} 与前一条记录的链接不符" in p for p in result.problems)


def test_orm_refuses_to_change_or_delete_audit_records(session):
    world = _populate(session)
    rec = audit.history(session, entity="task", entity_id=world.task_id)[0]
    rec.actor = "someone_else"
    with pytest.raises(PermissionError):
        session.commit()
    session.rollback()
    rec = audit.history(session, entity="task", entity_id=world.task_id)[0]
    session.delete(rec)
    with pytest.raises(PermissionError):
        session.commit()
    session.rollback()
    assert audit.verify(session).ok
