"""Import drafts on both backends: upload a real seed, correct, undo, import; refusals and conflicts."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from duban.documents import DocumentError
from duban.ledger import audit, drafts
from duban.ledger.errors import ConflictError, PermissionDenied, TransitionError, ValidationError
from duban.ledger.models import AuditRecord, Blob, ImportDraft, Plan, Quantity, Task
from duban.ledger.users import Actor

from .conftest import SEEDS

SUP = Actor(name="sup", role="supervisor")
SEED = SEEDS / "000_fc4be4de5af6bc2e.txt"


def _count(session, model, *where) -> int:
    return session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def _upload(session, path=SEED, actor=SUP):
    return drafts.create_draft(session, actor=actor, content=path.read_bytes(), name=path.name)


def test_upload_edit_undo_import_a_seed(session):
    up = _upload(session)
    draft = up.draft
    assert not up.reused and draft.status == "draft" and draft.version == 1
    plan = drafts.draft_plan(draft)
    assert plan.documents[0].title == "许昌市教育局2019年工作要点"
    assert "许昌市教育局" in drafts.draft_text(draft)
    assert session.get(Blob, draft.sha256).size == SEED.stat().st_size

    draft, scope = drafts.edit_draft(
        session,
        actor=SUP,
        draft_id=draft.id,
        version=1,
        op={"op": "set_title", "item": 1, "title": "压实责任"},
    )
    assert draft.version == 2 and scope.part == "item"
    draft, _ = drafts.edit_draft(
        session,
        actor=SUP,
        draft_id=draft.id,
        version=2,
        op={"op": "set_units", "item": 1, "lead": "机关党委"},
    )
    assert drafts.undo_count(session, draft) == 2
    assert drafts.last_edit_name(session, draft) == "设置责任单位"
    draft = drafts.undo_edit(session, actor=SUP, draft_id=draft.id, version=3)
    items = drafts.draft_plan(draft).documents[0].items
    assert items[1].title == "压实责任" and items[1].responsible == []
    assert drafts.undo_count(session, draft) == 1
    assert "text" in draft.plan  # the source text survives edits and undo

    draft, result = drafts.import_draft(session, actor=SUP, draft_id=draft.id, version=draft.version)
    assert draft.status == "imported" and not result.duplicate
    plan_row = session.get(Plan, result.plans[0].plan_id)
    task = session.execute(select(Task).where(Task.plan_id == plan_row.id, Task.path == "一/1")).scalar_one()
    assert task.title == "压实责任"
    assert [p.id for p in drafts.draft_plans(session, draft)] == [plan_row.id]
    actions = session.execute(
        select(AuditRecord.action).where(AuditRecord.entity == "import_draft").order_by(AuditRecord.seq)
    ).scalars()
    assert list(actions) == [
        "import_draft.create",
        "import_draft.edit",
        "import_draft.edit",
        "import_draft.undo",
        "import_draft.import",
    ]
    assert audit.verify(session).ok

    # the same file again: refused with a link to what it became
    with pytest.raises(drafts.AlreadyImported) as err:
        _upload(session)
    assert err.value.plans == [(plan_row.id, "许昌市教育局2019年工作要点")]
    assert "已于" in str(err.value) and "无需重复导入" in str(err.value)
    with pytest.raises(TransitionError, match="已导入"):
        drafts.edit_draft(session, actor=SUP, draft_id=draft.id, op={"op": "set_meta", "year": 2020})


def test_same_file_while_a_draft_is_open_reuses_it(session):
    first = _upload(session).draft
    again = _upload(session)
    assert again.reused and again.draft.id == first.id
    assert _count(session, ImportDraft) == 1


def test_unreadable_file_stores_nothing(session):
    with pytest.raises(DocumentError) as err:
        drafts.create_draft(session, actor=SUP, content=b"\x00\x01\x02" * 100, name="x.bin")
    assert err.value.user_message
    with pytest.raises(DocumentError) as err:
        drafts.create_draft(session, actor=SUP, content=b"", name="empty.txt")
    assert "空" in err.value.user_message
    with pytest.raises(ValidationError, match="未在文件中识别出"):
        drafts.create_draft(session, actor=SUP, content="这是一段没有编号的文字。".encode(), name="a.txt")
    with pytest.raises(ValidationError, match="文件过大"):
        drafts.create_draft(session, actor=SUP, content=SEED.read_bytes(), name="a.txt", max_bytes=100)
    assert (
        _count(session, ImportDraft) == 0 and _count(session, Blob) == 0 and _count(session, AuditRecord) == 0
    )


@pytest.mark.parametrize("role", ["leader", "unit_member", "security_admin", "audit_admin"])
def test_only_supervisors_and_admins_handle_drafts(session, role):
    draft = _upload(session).draft
    other = Actor(name="x", role=role, unit_id=None)
    with pytest.raises(PermissionDenied):
        _upload(session, actor=other)
    for call in (
        lambda: drafts.get_draft(session, actor=other, draft_id=draft.id),
        lambda: drafts.list_drafts(session, actor=other),
        lambda: drafts.edit_draft(
            session, actor=other, draft_id=draft.id, op={"op": "set_meta", "year": 2020}
        ),
        lambda: drafts.undo_edit(session, actor=other, draft_id=draft.id),
        lambda: drafts.import_draft(session, actor=other, draft_id=draft.id),
        lambda: drafts.discard_draft(session, actor=other, draft_id=draft.id),
    ):
        with pytest.raises(PermissionDenied):
            call()
    admin = Actor(name="adm", role="admin")
    assert drafts.get_draft(session, actor=admin, draft_id=draft.id).id == draft.id


def test_stale_version_and_invalid_edit_change_nothing(session):
    draft = _upload(session).draft
    with pytest.raises(ConflictError, match="请刷新页面"):
        drafts.edit_draft(
            session, actor=SUP, draft_id=draft.id, version=7, op={"op": "set_meta", "year": 2020}
        )
    with pytest.raises(ValidationError, match="第一个条目之前没有可合并的条目"):
        drafts.edit_draft(session, actor=SUP, draft_id=draft.id, version=1, op={"op": "merge", "item": 0})
    with pytest.raises(ValidationError, match="没有可撤销的修改"):
        drafts.undo_edit(session, actor=SUP, draft_id=draft.id)
    session.expire_all()
    assert session.get(ImportDraft, draft.id).version == 1
    assert _count(session, AuditRecord, AuditRecord.action == "import_draft.edit") == 0


def test_discard_and_list(session):
    a = _upload(session).draft
    b = _upload(session, SEEDS / "004_4953a450a86010f3.txt").draft
    drafts.discard_draft(session, actor=SUP, draft_id=a.id, version=1)
    rows, total = drafts.list_drafts(session, actor=SUP, status="draft")
    assert total == 1 and [r.id for r in rows] == [b.id]
    rows, total = drafts.list_drafts(session, actor=SUP)
    assert total == 2
    with pytest.raises(ValidationError, match="状态无效"):
        drafts.list_drafts(session, actor=SUP, status="open")
    with pytest.raises(TransitionError, match="已放弃"):
        drafts.import_draft(session, actor=SUP, draft_id=a.id)


def test_corrected_targets_and_deadlines_reach_the_ledger(session):
    draft = _upload(session, SEEDS / "004_4953a450a86010f3.txt").draft
    doc = drafts.draft_plan(draft).documents[0]
    n_targets = sum(q.role == "target" for q in doc.quantities)
    item = next(i for i, it in enumerate(doc.items) if it.level == 2)
    drafts.edit_draft(
        session,
        actor=SUP,
        draft_id=draft.id,
        op={
            "op": "add_quantity",
            "item": item,
            "text": "培训教师1000人",
            "indicator": "培训教师",
            "value": 1000,
            "unit": "人",
        },
    )
    last = len(doc.quantities)  # the added one sits before it in reading order
    drafts.edit_draft(session, actor=SUP, draft_id=draft.id, op={"op": "delete_quantity", "index": last})
    _, result = drafts.import_draft(session, actor=SUP, draft_id=draft.id)
    pid = result.plans[0].plan_id
    texts = set(session.execute(select(Quantity.text).where(Quantity.plan_id == pid)).scalars())
    assert "培训教师1000人" in texts and doc.quantities[-1].text not in texts
    assert result.plans[0].targets == n_targets + 1 - (doc.quantities[-1].role == "target")


def test_undo_restores_the_exact_previous_documents(session):
    draft = _upload(session).draft
    original = json.dumps(draft.plan["documents"], sort_keys=True)
    for op in (
        {"op": "merge", "item": 2},
        {"op": "set_level", "item": 2, "delta": 1},
        {"op": "delete_item", "item": 3},
    ):
        drafts.edit_draft(session, actor=SUP, draft_id=draft.id, op=op)
    while drafts.undo_count(session, draft):
        draft = drafts.undo_edit(session, actor=SUP, draft_id=draft.id)
    assert json.dumps(draft.plan["documents"], sort_keys=True) == original
