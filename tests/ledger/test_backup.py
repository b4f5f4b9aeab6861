from __future__ import annotations

import pytest
from sqlalchemy import text

from duban.ledger import audit, backup, plans
from duban.ledger.errors import LedgerError

from .conftest import small_plan
from .test_tasks import World


def _populate(session) -> World:
    world = World(session)
    world.do("assign", "supervisor", lead_unit_id=world.lead, co_unit_ids=[world.co])
    world.do("start", "lead_member")
    # a revision whose new heading becomes the parent of an older task (self-references out of id order)
    revised = small_plan()
    doc = revised.documents[0]
    doc.items.insert(0, doc.items[0].__class__(path="零", level=1, number="零", title="新增一级标题"))
    plans.import_plan(session, plan=revised, content=b"v2", name="v2.txt")
    return world


@pytest.mark.parametrize("suffix", [".json", ".sqlite3"])
def test_backup_restore_round_trip(engine, session, tmp_path, suffix):
    _populate(session)
    session.close()
    original = backup.dump_tables(engine)
    path = backup.backup(engine, tmp_path / f"b{suffix}")
    assert path.exists() and not (tmp_path / f"b{suffix}.part").exists()
    # change things after the backup
    with engine.begin() as conn:
        conn.execute(text("UPDATE tasks SET title = 'changed'"))
        conn.execute(text("DELETE FROM report_items"))
    assert backup.dump_tables(engine) != original
    counts = backup.restore(engine, path, actor="ops")
    assert counts["tasks"] == len(original["tasks"])
    restored = backup.dump_tables(engine)
    log, head = restored.pop("audit_log"), restored.pop("audit_head")
    assert restored == {k: v for k, v in original.items() if k not in ("audit_log", "audit_head")}
    # the backup's chain, then the restore itself as the next record
    assert log[:-1] == original["audit_log"]
    assert log[-1]["action"] == "system.restore" and log[-1]["actor"] == "ops"
    assert head[0]["seq"] == log[-1]["seq"]
    from sqlalchemy.orm import Session

    with Session(engine) as s:
        assert audit.verify(s).ok, audit.verify(s).problems  # against the restarted anchor
        # the database keeps working after a restore (sequences reset on PostgreSQL)
        plans.import_plan(s, plan=small_plan(title="另一份要点"), content=b"v3", name="v3.txt")


def test_restore_rejects_garbage(engine, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(LedgerError):
        backup.restore(engine, bad)
    with pytest.raises(LedgerError):
        backup.restore(engine, tmp_path / "missing.json")
