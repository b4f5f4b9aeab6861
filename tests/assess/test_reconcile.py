"""Reconciliation on made-up plan/summary pairs with known answers, and against progress reports."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from duban.assess.reconcile import correct, evidence, reconcile
from duban.ledger import reports, tasks
from duban.ledger.errors import PermissionDenied, ValidationError
from duban.ledger.models import AuditRecord, Quantity, Task, Unit
from duban.ledger.users import Actor
from tests.conftest import small_plan

from .helpers import doc, load, q

SUP = Actor("dc1", "supervisor")

PLAN_ITEMS = [
    ("一", "推进学前教育普及普惠", ""),
    ("一/1", "提高普及水平", "学前三年毛入园率达到95%以上，普惠性幼儿园覆盖率达到85%。"),
    ("一/2", "发展校园足球", "创建校园足球特色学校20所。"),
    ("一/3", "巩固义务教育成果", "义务教育巩固率达到99%。教师培训覆盖率达到100%。"),
    ("二", "加强教师队伍建设", ""),
    ("二/1", "补充教师", "新招聘补充教师3000人以上；普通高中招生9.5万人。"),
    ("二/2", "保障经费", "教育经费投入增长5%。"),
]
PLAN_QS = [
    q("一/1", "学前三年毛入园率达到95%以上", "学前三年毛入园率", 95, "%", "target", ">="),
    q("一/1", "普惠性幼儿园覆盖率达到85%", "普惠性幼儿园覆盖率", 85, "%", "target"),
    q("一/2", "校园足球特色学校20所", "校园足球特色学校", 20, "所", "target"),
    q("一/3", "义务教育巩固率达到99%", "义务教育巩固率", 99, "%", "target"),
    q("一/3", "教师培训覆盖率达到100%", "教师培训覆盖率", 100, "%", "target"),
    q("二/1", "新招聘补充教师3000人以上", "新招聘补充教师", 3000, "人", "target", ">="),
    q("二/1", "普通高中招生9.5万人", "普通高中招生", 9.5, "万人", "target"),
    q("二/2", "教育经费投入增长5%", "教育经费投入", 5, "%", "target", "delta+"),
]
SUMMARY_ITEMS = [
    (
        "一",
        "学前教育普惠发展取得新进展",
        "全市学前三年毛入园率达到96.2%，比上年提高1.2个百分点。普惠园覆盖率83%。",
    ),
    ("二", "素质教育", "新增全国校园足球特色学校25所。教师培训覆盖率达到x%。"),
    ("三", "教师与保障", "全年补充教师0.32万人。普通高中招生96000人。全年教育经费投入294亿元。"),
]
SUMMARY_QS = [
    q("一", "全市学前三年毛入园率达到96.2%", "全市学前三年毛入园率", 96.2, "%", "actual"),
    q("一", "比上年提高1.2个百分点", "学前三年毛入园率比上年", 1.2, "个百分点", "actual", "delta+"),
    q("一", "普惠园覆盖率83%", "普惠园覆盖率", 83, "%", "actual"),
    q("二", "新增全国校园足球特色学校25所", "新增全国校园足球特色学校", 25, "所", "actual"),
    q("二", "教师培训覆盖率达到x%", "教师培训覆盖率", None, "%", "actual"),
    q("三", "全年补充教师0.32万人", "全年补充教师", 0.32, "万人", "actual"),
    q("三", "普通高中招生96000人", "普通高中招生", 96000, "人", "actual"),
    q("三", "全年教育经费投入294亿元", "全年教育经费投入", 294, "亿元", "actual"),
]


@pytest.fixture
def pair(session):
    plan_id, summary_id = load(
        session, doc("plan", 2024, PLAN_ITEMS, PLAN_QS), doc("summary", 2024, SUMMARY_ITEMS, SUMMARY_QS)
    )
    return plan_id, summary_id


def _by_text(result):
    return {r.target_text: r for r in result.rows}


def test_states_against_a_summary(session, pair):
    plan_id, summary_id = pair
    rows = _by_text(reconcile(session, plan_id=plan_id, summary_id=summary_id))
    r = rows["学前三年毛入园率达到95%以上"]
    assert (r.state, r.actual_value, r.method) == ("met", 96.2, "indicator")  # the level, not the change
    assert r.actual_evidence == "全市学前三年毛入园率达到96.2%，比上年提高1.2个百分点。"
    assert r.target_evidence == "学前三年毛入园率达到95%以上，普惠性幼儿园覆盖率达到85%。"
    # written differently in the summary (an alias of the registry)
    r = rows["普惠性幼儿园覆盖率达到85%"]
    assert (r.state, r.actual_text, r.indicator) == ("not_met", "普惠园覆盖率83%", "普惠性幼儿园覆盖率")
    # no registry entry: a qualified form of the same phrase
    r = rows["校园足球特色学校20所"]
    assert (r.state, r.actual_value, r.method) == ("met", 25, "similar")
    assert rows["义务教育巩固率达到99%"].state == "not_mentioned"
    r = rows["教师培训覆盖率达到100%"]
    assert (r.state, r.note) == ("unknown", "数值已隐去或缺失")  # redacted x%
    # units scaled before comparing: 0.32万人 >= 3000人, 96000人 >= 9.5万人
    assert rows["新招聘补充教师3000人以上"].state == "met"
    assert rows["普通高中招生9.5万人"].state == "met"
    # the same indicator in another unit: cannot tell
    r = rows["教育经费投入增长5%"]
    assert r.state == "unknown" and r.note.startswith("单位不一致") and r.actual_value == 294


def test_corrections_are_audited_and_kept(session, pair):
    plan_id, summary_id = pair
    rows = _by_text(reconcile(session, plan_id=plan_id, summary_id=summary_id))
    target = rows["义务教育巩固率达到99%"].target_id
    redacted = rows["教师培训覆盖率达到100%"].target_id
    actual = session.execute(select(Quantity.id).where(Quantity.text == "普惠园覆盖率83%")).scalar_one()
    with pytest.raises(PermissionDenied):
        correct(session, actor=Actor("u", "unit_member", unit_id=1), target_id=target, summary_id=summary_id)
    with pytest.raises(ValidationError):
        correct(session, actor=SUP, target_id=target, summary_id=summary_id, actual_id=target)
    correct(session, actor=SUP, target_id=redacted, summary_id=summary_id, note="总结未给出数值")
    correct(session, actor=SUP, target_id=target, summary_id=summary_id, actual_id=actual)  # a wrong pick...
    correct(session, actor=SUP, target_id=target, summary_id=summary_id, note="总结未写巩固率")  # ...undone
    rows = _by_text(reconcile(session, plan_id=plan_id, summary_id=summary_id))
    r = rows["教师培训覆盖率达到100%"]
    assert (r.state, r.method, r.corrected_by, r.note) == (
        "not_mentioned",
        "correction",
        "dc1",
        "总结未给出数值",
    )
    assert rows["义务教育巩固率达到99%"].state == "not_mentioned"
    history = (
        session.execute(select(AuditRecord.action).where(AuditRecord.entity == "quantity")).scalars().all()
    )
    assert history == ["reconcile.correct"] * 3
    # a revised summary is imported: the correction still applies to the same target
    revised = [*SUMMARY_ITEMS[:2], ("三", "教师与保障", "全年补充教师0.32万人。普通高中招生97000人。")]
    revised_qs = [*SUMMARY_QS[:6], q("三", "普通高中招生97000人", "普通高中招生", 97000, "人", "actual")]
    load(session, doc("summary", 2024, revised, revised_qs), name="revised.txt")
    rows = _by_text(reconcile(session, plan_id=plan_id, summary_id=summary_id))
    assert rows["教师培训覆盖率达到100%"].method == "correction"
    assert rows["普通高中招生9.5万人"].actual_value == 97000
    assert rows["教育经费投入增长5%"].state == "not_mentioned"  # dropped from the revision


def test_against_progress_reports(session):
    units = [Unit(name="基础教育科"), Unit(name="人事科")]
    session.add_all(units)
    session.commit()
    load(session, *small_plan().documents)
    ids = dict(session.execute(select(Task.path, Task.id)).all())
    tasks.assign(session, actor=SUP, task_id=ids["一/1"], lead_unit_id=units[0].id)
    tasks.assign(session, actor=SUP, task_id=ids["二/1"], lead_unit_id=units[1].id)
    period = reports.create_period(
        session,
        actor=SUP,
        name="2024-06",
        start=date(2024, 6, 1),
        end=date(2024, 6, 30),
        cutoff=datetime(2024, 7, 5),
    )
    later = reports.create_period(
        session,
        actor=SUP,
        name="2024-07",
        start=date(2024, 7, 1),
        end=date(2024, 7, 31),
        cutoff=datetime(2024, 8, 5),
    )
    qid = dict(session.execute(select(Quantity.text, Quantity.id)).all())
    member = Actor("jj", "unit_member", unit_id=units[0].id)
    for p, value, when in ((period, 6, datetime(2024, 7, 1)), (later, 11, datetime(2024, 8, 1))):
        reports.submit(
            session,
            actor=member,
            unit_id=units[0].id,
            period_id=p.id,
            now=when,
            entries=[
                reports.Entry(
                    task_id=ids["一/1"], work_done=f"已建成{value}所", values={qid["新建幼儿园10所"]: value}
                )
            ],
        )
    teacher = Actor("rs", "unit_member", unit_id=units[1].id)
    reports.submit(
        session,
        actor=teacher,
        unit_id=units[1].id,
        period_id=period.id,
        now=datetime(2024, 7, 1),
        entries=[
            reports.Entry(
                task_id=ids["二/1"], work_done="招聘进行中", values={qid["新招聘补充教师3000人以上"]: 2100}
            )
        ],
    )
    plan_id = session.execute(select(Task.plan_id)).scalars().first()
    result = reconcile(session, plan_id=plan_id)
    rows = _by_text(result)
    assert result.source == "reports"
    r = rows["新建幼儿园10所"]
    assert (r.state, r.actual_value, r.actual_evidence) == ("met", 11, "已建成11所")  # the latest report
    assert rows["新招聘补充教师3000人以上"].state == "not_met"
    assert rows["学前三年毛入园率达到94.5%以上"].state == "not_mentioned"
    assert result.counts() == {"met": 1, "not_met": 1, "not_mentioned": 1, "unknown": 0}
    correct(session, actor=SUP, target_id=qid["新建幼儿园10所"], summary_id=None, note="数据待核实")
    assert _by_text(reconcile(session, plan_id=plan_id))["新建幼儿园10所"].state == "not_mentioned"


def test_evidence_sentence():
    task = Task(title="推进学前教育", body="一是扩资源。新建幼儿园10所；改扩建5所。二是提质量。")
    assert evidence(task, "新建幼儿园10所") == "新建幼儿园10所；"
    assert evidence(task, "改扩建5所") == "改扩建5所。"
    assert evidence(task, "不在文中") == "不在文中"


def test_an_intention_in_the_summary_is_not_a_result(session):
    """计划/力争/明年 before a summary's figure (in its clause) make it an intention: cannot tell."""
    plan_items = [("一", "师资", "培养骨干教师50名，建设名校20所，新建幼儿园8所。")]
    plan_qs = [
        q("一", "培养骨干教师50名", "培养骨干教师", 50, "名", "target"),
        q("一", "建设名校20所", "建设名校", 20, "所", "target"),
        q("一", "新建幼儿园8所", "新建幼儿园", 8, "所", "target"),
    ]
    summary_items = [
        (
            "一",
            "师资",
            "实施名师工程，计划培养骨干教师60名、建设名校20所。全年新建幼儿园9所，落实营养改善计划惠及学生3万人。",
        )
    ]
    summary_qs = [
        q("一", "计划培养骨干教师60名", "培养骨干教师", 60, "名", "actual"),
        q("一", "建设名校20所", "建设名校", 20, "所", "actual"),
        q("一", "新建幼儿园9所", "新建幼儿园", 9, "所", "actual"),
    ]
    plan_id, summary_id = load(
        session, doc("plan", 2024, plan_items, plan_qs), doc("summary", 2024, summary_items, summary_qs)
    )
    rows = _by_text(reconcile(session, plan_id=plan_id, summary_id=summary_id))
    r = rows["培养骨干教师50名"]
    assert (r.state, r.actual_value) == ("unknown", 60) and "计划" in r.note
    r = rows["建设名校20所"]  # shares the intention of its enumeration
    assert r.state == "unknown" and r.actual_text == "建设名校20所"
    assert rows["新建幼儿园8所"].state == "met"  # a result; 营养改善计划 later is a programme's name


def test_a_change_meets_a_change_written_another_way(session):
    """较上年增长5% in the plan, 同比增长4.8% in the summary: the same indicator's change, not met;
    the level beside it (4.3亿元) is another unit and is not taken instead."""
    plan_id, summary_id = load(
        session,
        doc(
            "plan",
            2025,
            [("一", "经费", "全年教育经费投入4.5亿元，较上年增长5%。")],
            [
                q("一", "全年教育经费投入4.5亿元", "教育经费投入", 4.5, "亿元", "target"),
                q("一", "较上年增长5%", "教育经费投入较上年", 5, "%", "target", "delta+"),
            ],
        ),
        doc(
            "summary",
            2024,
            [("一", "经费", "全年教育经费投入4.3亿元，同比增长4.8%。")],
            [
                q("一", "全年教育经费投入4.3亿元", "教育经费投入", 4.3, "亿元", "actual"),
                q("一", "同比增长4.8%", "教育经费投入同比", 4.8, "%", "actual", "delta+"),
            ],
        ),
    )
    rows = _by_text(reconcile(session, plan_id=plan_id, summary_id=summary_id))
    r = rows["较上年增长5%"]
    assert (r.state, r.actual_text) == ("not_met", "同比增长4.8%")
    assert rows["全年教育经费投入4.5亿元"].actual_text == "全年教育经费投入4.3亿元"
