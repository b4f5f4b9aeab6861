from __future__ import annotations

import pytest
from sqlalchemy import select, text

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


def _rehash_from(session, seq: int, **changes) -> None:
    """What a forger with database access does: change a record, then recompute the whole chain
    from it on with the public algorithm, and set the head to match."""
    records = session.execute(select(AuditRecord).where(AuditRecord.seq >= seq).order_by(AuditRecord.seq))
    prev = session.execute(select(AuditRecord.hash).where(AuditRecord.seq == seq - 1)).scalar()
    prev = prev or audit.GENESIS
    for rec in list(records.scalars()):
        fields = ("seq", "at", "actor", "action", "entity", "entity_id", "before", "after")
        probe = AuditRecord(**{k: getattr(rec, k) for k in fields})
        if rec.seq == seq:
            for k, v in changes.items():
                setattr(probe, k, v)
        probe.prev_hash = prev
        probe.hash = audit._digest(probe)
        session.execute(
            text("UPDATE audit_log SET actor = :a, after = :af, prev_hash = :p, hash = :h WHERE seq = :s"),
            {"a": probe.actor, "af": probe.after, "p": prev, "h": probe.hash, "s": rec.seq},
        )
        prev = probe.hash
    session.execute(text("UPDATE audit_head SET hash = :h"), {"h": prev})
    session.commit()


def test_chain_rehashed_with_the_public_algorithm_fails_against_its_anchor(session):
    world = _populate(session)
    target = audit.history(session, entity="task", entity_id=world.task_id)[0]
    _rehash_from(session, target.seq, actor="someone_else")
    session.expire_all()
    result = audit.verify(session)
    # the chain itself is consistent again: only the anchor outside the database tells
    assert not any("链接不符" in p or "内容被修改" in p for p in result.problems)
    assert any(f"审计记录 {target.seq} 与锚定的哈希不符" in p for p in result.problems)


def test_emptied_log_fails(session):
    _populate(session)
    session.execute(text("DELETE FROM audit_log"))
    session.execute(text("DELETE FROM audit_head"))
    session.commit()
    result = audit.verify(session)
    assert result.count == 0 and not result.ok
    assert any("日志比锚定记录短" in p for p in result.problems)


def test_truncated_log_with_its_head_set_back_fails(session):
    _populate(session)
    keep = session.execute(text("SELECT seq, hash FROM audit_log WHERE seq = 2")).one()
    session.execute(text("DELETE FROM audit_log WHERE seq > 2"))
    session.execute(text("UPDATE audit_head SET seq = :s, hash = :h"), {"s": keep.seq, "h": keep.hash})
    session.commit()
    result = audit.verify(session)
    assert not result.ok
    assert any("审计记录 4 已被锚定，但日志中不存在" in p for p in result.problems)


def test_anchor_is_a_separate_append_only_file(session, engine):
    from duban.ledger import anchor

    _populate(session)
    path = anchor.path_for(engine)
    lines = path.read_text().splitlines()
    assert [int(line.split()[0]) for line in lines] == [1, 2, 3, 4]  # one line per committed use case
    assert path.stat().st_mode & 0o077 == 0  # readable by the service account only
    path.unlink()  # someone removes it: verify says so instead of passing silently
    assert any("未找到审计锚定文件" in p for p in audit.verify(session).problems)
