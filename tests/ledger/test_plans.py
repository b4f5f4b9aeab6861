from __future__ import annotations

import copy
import json

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from duban.ledger import plans
from duban.ledger.errors import LedgerError
from duban.ledger.models import (
    AuditRecord,
    Base,
    Deadline,
    Period,
    Plan,
    PlanRevision,
    Quantity,
    Report,
    ReportItem,
    Task,
    Unit,
)
from duban.plan import model as pm
from duban.plan import parser

from .conftest import GOLD, SEEDS, small_plan


def _count(session, model, *where) -> int:
    return session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def test_import_gold_files_counts_match_plan_json(session):
    for path in sorted(GOLD.glob("*.gold.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        result = plans.import_file(session, path=path)
        assert not result.duplicate
        assert len(result.plans) == len(data["documents"])
        for change, doc in zip(result.plans, data["documents"], strict=True):
            assert change.action == "created"
            expected = (len(doc["items"]), sum(q["role"] == "target" for q in doc["quantities"]))
            assert plans.counts(session, plan_id=change.plan_id) == expected
            assert _count(session, Quantity, Quantity.plan_id == change.plan_id) == len(doc["quantities"])
            assert _count(session, Deadline, Deadline.plan_id == change.plan_id) == len(doc["deadlines"])


def test_seeds_through_parser_counts_match(session):
    for path in sorted(SEEDS.iterdir()):
        parsed = parser.parse_file(path)
        result = plans.import_file(session, path=path)
        assert len(result.plans) == len(parsed.documents)
        for change, doc in zip(result.plans, parsed.documents, strict=True):
            expected = (len(doc.items), sum(q.role == "target" for q in doc.quantities))
            assert plans.counts(session, plan_id=change.plan_id) == expected


def test_tree_and_fields_kept(session):
    plan = small_plan()
    plan.documents[0].items[1].fields = {"目标任务": "新建幼儿园10所", "责任科室": "基础教育科"}
    plans.import_plan(session, plan=plan, content=b"v1", name="plan.txt")
    tasks = {t.path: t for t in session.execute(select(Task)).scalars()}
    assert tasks["一/1"].parent_id == tasks["一"].id
    assert tasks["一"].parent_id is None
    assert tasks["二/1"].parent_id == tasks["二"].id
    assert tasks["一/1"].fields["责任科室"] == "基础教育科"
    assert tasks["一/1"].responsible == ["基础教育科", "财务科"]
    q = session.execute(select(Quantity).where(Quantity.role == "actual")).scalar_one()
    assert q.task_id == tasks["二"].id  # actuals are kept too


def test_same_file_twice_does_nothing(session, tmp_path):
    f = tmp_path / "p.json"
    f.write_text(json.dumps(small_plan().to_dict(), ensure_ascii=False), encoding="utf-8")
    first = plans.import_file(session, path=f)
    assert not first.duplicate
    before = {t.name: _count(session, t) for t in Base.metadata.sorted_tables if t.name != "audit_head"}
    second = plans.import_file(session, path=f)
    assert second.duplicate and second.plans == []
    after = {t.name: _count(session, t) for t in Base.metadata.sorted_tables if t.name != "audit_head"}
    assert before == after


def _add_report(session, task_id: int) -> int:
    unit = Unit(name="基础教育科")
    period = Period(
        name="2024-03",
        start=__import__("datetime").date(2024, 3, 1),
        end=__import__("datetime").date(2024, 3, 31),
        cutoff=__import__("datetime").datetime(2024, 4, 5),
    )
    session.add_all([unit, period])
    session.flush()
    report = Report(unit_id=unit.id, period_id=period.id)
    report.items.append(ReportItem(task_id=task_id, work_done="已开工3所", percent=30))
    session.add(report)
    session.commit()
    return report.id


def test_revision_is_a_diff_and_keeps_reports(session):
    plans.import_plan(session, plan=small_plan(), content=b"v1", name="plan.txt")
    t11 = session.execute(select(Task).where(Task.path == "一/1")).scalar_one()
    t21 = session.execute(select(Task).where(Task.path == "二/1")).scalar_one()
    _add_report(session, t11.id)

    revised = copy.deepcopy(small_plan())
    doc = revised.documents[0]
    doc.items[2].title = "学前三年毛入园率达到95%以上"  # reworded (same path)
    doc.quantities[1] = pm.Quantity(
        "一/2", "学前三年毛入园率达到95%以上", "学前三年毛入园率", ">=", 95, None, "%", "target"
    )
    del doc.items[4]  # 二/1 removed
    doc.quantities = [q for q in doc.quantities if q.item != "二/1"]
    doc.deadlines = [d for d in doc.deadlines if d.item != "二/1"]
    doc.items.append(pm.Item(path="二/2", level=2, number="2", title="开展教师培训5000人次"))
    doc.quantities.append(
        pm.Quantity("二/2", "开展教师培训5000人次", "教师培训", "=", 5000, None, "人次", "target")
    )

    result = plans.import_plan(session, plan=revised, content=b"v2", name="plan-v2.txt")
    (change,) = result.plans
    assert change.action == "revised"
    assert change.tasks_added == ["二/2"]
    assert change.tasks_removed == ["二/1"]
    assert change.tasks_reworded == ["一/2"]
    assert change.targets_added == ["开展教师培训5000人次"]
    assert change.targets_removed == ["新招聘补充教师3000人以上"]
    assert change.targets_changed == ["学前三年毛入园率达到94.5%以上 -> 学前三年毛入园率达到95%以上"]
    # the unchanged task keeps its id and its report; the removed one is kept, marked
    assert session.execute(select(Task).where(Task.path == "一/1")).scalar_one().id == t11.id
    assert _count(session, ReportItem, ReportItem.task_id == t11.id) == 1
    session.refresh(t21)
    assert t21.removed_at is not None
    assert plans.counts(session, plan_id=change.plan_id) == (5, 3)
    plan = session.get(Plan, change.plan_id)
    assert plan.revision == 2
    assert _count(session, PlanRevision) == 2
    assert _count(session, AuditRecord, AuditRecord.action == "plan.revise") == 1

    # the same content again under a new name: nothing changes
    again = plans.import_plan(session, plan=copy.deepcopy(revised), content=b"v2-copy", name="copy.txt")
    assert again.plans[0].action == "unchanged"
    assert session.get(Plan, change.plan_id).revision == 2


def test_summary_linked_to_the_year_it_reviews(session):
    plans.import_plan(
        session, plan=small_plan(year=2023, title="某市教育局2023年工作要点"), content=b"p", name="p"
    )
    summary = small_plan(year=2023, title="某市教育局2023年工作总结")
    summary.documents[0].kind = "summary"
    for q in summary.documents[0].quantities:
        q.role = "actual"
    result = plans.import_plan(session, plan=summary, content=b"s", name="s")
    s = session.get(Plan, result.plans[0].plan_id)
    p = session.execute(select(Plan).where(Plan.kind == "plan")).scalar_one()
    assert s.reviews_plan_id == p.id
    assert _count(session, Quantity, Quantity.plan_id == s.id, Quantity.role == "actual") == 4


def test_failure_mid_import_leaves_nothing(session):
    plan = small_plan()
    second = copy.deepcopy(plan.documents[0])
    second.title = "另一份要点"
    second.items[3].title = None  # NOT NULL violation in the middle of the second document
    plan.documents.append(second)
    # the database's own NOT NULL refusal (not any Python error), told in Chinese by the unit of work
    with pytest.raises(LedgerError, match="未保存任何更改") as refused:
        plans.import_plan(session, plan=plan, content=b"broken", name="broken.txt")
    assert isinstance(refused.value.__cause__, IntegrityError)
    assert "Error" not in str(refused.value)  # no driver error name reaches the user
    for table in Base.metadata.sorted_tables:
        assert _count(session, table) == 0, table.name


def test_revised_seed_file_gives_a_diff(session, tmp_path):
    """A real seed, then the same text with one task reworded and one target changed."""
    seed = sorted(SEEDS.glob("000_*"))[0]
    first = plans.import_file(session, path=seed)
    (change,) = first.plans
    tasks_before = {
        t.path: t.id for t in session.execute(select(Task).where(Task.plan_id == change.plan_id)).scalars()
    }
    text = seed.read_text(encoding="utf-8")
    assert "持之以恒正风肃纪" in text
    revised_text = text.replace("持之以恒正风肃纪", "持之以恒正风肃纪严明纪律", 1)
    parsed = parser.parse_text(revised_text, seed.name)
    target = next(
        q
        for q in parsed.documents[0].quantities
        if q.role == "target" and q.value and f"{q.value:g}" in q.text
    )
    old_number = f"{target.value:g}"
    new_text = target.text.replace(old_number, str(int(target.value) + 1), 1)
    revised_text = revised_text.replace(target.text, new_text, 1)
    revised = tmp_path / "revised.txt"
    revised.write_text(revised_text, encoding="utf-8")
    second = plans.import_file(session, path=revised)
    (diff,) = second.plans
    assert diff.action == "revised" and diff.plan_id == change.plan_id
    # the reworded title, and the body of the task whose target changed
    assert set(diff.tasks_reworded) == {"一/4", target.item}
    assert diff.tasks_added == [] and diff.tasks_removed == []
    assert diff.targets_changed and new_text in diff.targets_changed[0]
    tasks_after = {
        t.path: t.id for t in session.execute(select(Task).where(Task.plan_id == change.plan_id)).scalars()
    }
    assert tasks_after == tasks_before  # same rows: reports attached to them stay
    assert plans.counts(session, plan_id=change.plan_id) == (change.tasks, change.targets)
