"""Read models: visibility, task list filters, detail, timeline, approvals, dashboard, audit log, decomposition."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from duban.ledger import decomposition as decomp
from duban.ledger import plans, queries, reports, tasks
from duban.ledger.config import LightConfig
from duban.ledger.errors import PermissionDenied
from duban.ledger.models import Period, Plan, Quantity, Task
from duban.ledger.users import SYSTEM, Actor, create_unit

from .conftest import small_plan

NOW = datetime(2024, 9, 10, 9, 0)
CFG = LightConfig()
SUP = Actor("sup", "supervisor")


def setup_plan(session) -> dict[str, int]:
    """Units, the small plan; 一/1 assigned to 基础教育科 + 财务科, 二/1 to 人事科 (due 2024-08-31: overdue)."""
    ids = {n: create_unit(session, actor=SYSTEM, name=n).id for n in ("基础教育科", "财务科", "人事科")}
    plans.import_plan(session, plan=small_plan(), content=b"v1", name="plan.txt")
    by_path = {t.path: t.id for t in session.execute(select(Task)).scalars()}
    tasks.assign(
        session,
        actor=SUP,
        task_id=by_path["一/1"],
        lead_unit_id=ids["基础教育科"],
        co_unit_ids=[ids["财务科"]],
        due_date=date(2099, 11, 30),
    )
    tasks.assign(
        session, actor=SUP, task_id=by_path["二/1"], lead_unit_id=ids["人事科"], due_date=date(2024, 8, 31)
    )
    return {**ids, **{f"t{p}": i for p, i in by_path.items()}}


def test_visibility_one_rule(session):
    ids = setup_plan(session)
    basic = Actor("a", "unit_member", unit_id=ids["基础教育科"])
    co = Actor("c", "unit_member", unit_id=ids["财务科"])
    people = Actor("p", "unit_member", unit_id=ids["人事科"])
    f = queries.TaskFilter()
    seen = lambda a: {r.id for r in queries.list_tasks(session, actor=a, filters=f, now=NOW, cfg=CFG).items}  # noqa: E731
    assert seen(basic) == {ids["t一/1"]}
    assert seen(co) == {ids["t一/1"]}  # a co-unit reads the task too
    assert seen(people) == {ids["t二/1"]}
    assert len(seen(Actor("l", "leader"))) == 5
    for role in ("security_admin", "audit_admin"):
        with pytest.raises(PermissionDenied):
            seen(Actor("x", role))
    with pytest.raises(PermissionDenied):
        queries.task_detail(session, actor=people, task_id=ids["t一/1"], now=NOW, cfg=CFG)
    with pytest.raises(PermissionDenied):
        queries.timeline(session, actor=people, task_id=ids["t一/1"])


def test_task_list_filters_and_pages(session):
    ids = setup_plan(session)
    run = lambda **kw: queries.list_tasks(  # noqa: E731
        session, actor=SUP, filters=queries.TaskFilter(**kw), now=NOW, cfg=CFG
    )
    assert run(overdue=True).total == 1 and run(overdue=True).items[0].id == ids["t二/1"]
    assert [r.id for r in run(light="red").items] == [ids["t二/1"]]
    assert run(status="unassigned").total == 3
    assert run(unit_id=ids["财务科"]).items[0].co_units == ["财务科"]
    assert run(q="幼儿园").total == 1
    assert run(q="5%以上").total == 1 and run(q="_").total == 0  # LIKE wildcards are text
    assert {r.id for r in run(heading_id=ids["t一"]).items} == {ids["t一"], ids["t一/1"], ids["t一/2"]}
    page2 = run(per_page=2, page=2)
    assert page2.total == 5 and len(page2.items) == 2 and page2.pages == 3


def test_detail_targets_values_attainment_and_timeline(session):
    ids = setup_plan(session)
    tid = ids["t二/1"]
    qid = session.execute(
        select(Quantity.id).where(Quantity.task_id == tid, Quantity.role == "target")
    ).scalar_one()
    member = Actor("p", "unit_member", unit_id=ids["人事科"])
    for name, start, value in (
        ("2024年7月", date(2024, 7, 1), 1200.0),
        ("2024年8月", date(2024, 8, 1), 3100.0),
    ):
        p = reports.create_period(
            session, actor=SUP, name=name, start=start, end=start.replace(day=28), cutoff=datetime(2099, 1, 1)
        )
        entry = reports.Entry(task_id=tid, work_done="已招聘", percent=50.0, values={qid: value})
        reports.submit(
            session,
            actor=member,
            unit_id=ids["人事科"],
            period_id=p.id,
            entries=[entry],
            now=datetime.combine(start.replace(day=20), datetime.min.time()),
        )
    d = queries.task_detail(session, actor=member, task_id=tid, now=NOW, cfg=CFG)
    t = d["targets"][0]
    assert [v["value"] for v in t["values"]] == [1200.0, 3100.0]
    assert t["attainment"] == "met" and d["light"] == "red" and d["lead_unit"]["name"] == "人事科"
    assert "request_closeout" in d["actions"] and "close" not in d["actions"]
    events = queries.timeline(session, actor=SUP, task_id=tid)
    titles = [e.title for e in events]
    assert [e.at for e in events] == sorted((e.at for e in events), reverse=True)  # newest first
    reported = [t for t in titles if t.startswith("报送进展")]
    assert reported == ["报送进展（2024年8月）", "报送进展（2024年7月）"]
    assert "交办" in titles and "开始办理" in titles
    assert any("人事科" in e.detail for e in events if e.title == "交办")
    att = queries.dashboard(session, actor=SUP, now=NOW, cfg=CFG)["attainment"]
    assert att["met"] == 1 and att["rows"][0]["actual"] == 3100.0


def test_allowed_actions_follow_rules_and_substates(session):
    ids = setup_plan(session)
    lead = Actor("a", "unit_member", unit_id=ids["基础教育科"])
    co = Actor("c", "unit_member", unit_id=ids["财务科"])
    task = tasks.get_task(session, task_id=ids["t一/1"])
    assert set(queries.allowed_actions(lead, task)) == {"sign", "start", "request_extension", "contest"}
    assert queries.allowed_actions(co, task) == ["sign", "contest"]
    assert queries.allowed_actions(Actor("l", "leader"), task) == []
    assert set(queries.allowed_actions(SUP, task)) == {"reassign"}
    tasks.transition(
        session, actor=co, task_id=task.id, action="contest", contest_kind="wording", reason="表述"
    )
    task = tasks.get_task(session, task_id=task.id)
    assert "contest" not in queries.allowed_actions(co, task)
    assert {"accept_contest", "reject_contest"} <= set(queries.allowed_actions(SUP, task))


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
    q = queries.approval_queue(session, actor=SUP)
    assert [r.id for r in q["closeout"]] == [tid] and [r.id for r in q["extension"]] == [tid]
    assert q["contest"] == []
    with pytest.raises(PermissionDenied):
        queries.approval_queue(session, actor=Actor("l", "leader"))


def test_dashboard_counts_leaves_by_heading_and_unit(session):
    ids = setup_plan(session)
    d = queries.dashboard(session, actor=SUP, now=NOW, cfg=CFG)
    assert d["plan"]["title"] == "某市教育局2024年工作要点"
    assert d["overall"]["tasks"] == 3  # leaves only
    assert d["overall"]["avg_percent"] == 0.0  # assigned, not reported: 0, not left out
    assert [h["label"] for h in d["by_heading"]] == ["一、推进学前教育普惠发展", "二、加强教师队伍建设"]
    assert {u["label"] for u in d["by_unit"]} == {"基础教育科", "人事科"}
    assert d["lights"]["red"] == 1 and [o["id"] for o in d["overdue"]] == [ids["t二/1"]]
    only = queries.dashboard(session, actor=SUP, now=NOW, cfg=CFG, unit_id=ids["人事科"])
    assert only["overall"]["tasks"] == 1
    with pytest.raises(PermissionDenied):
        queries.dashboard(session, actor=Actor("u", "unit_member", unit_id=ids["人事科"]), now=NOW, cfg=CFG)


def test_default_plan_is_the_newest_being_run(session):
    assert queries.default_plan(session) is None
    plans.import_plan(session, plan=small_plan(year=2023, title="2023年工作要点"), content=b"a", name="a.txt")
    plans.import_plan(session, plan=small_plan(year=2024, title="2024年工作要点"), content=b"b", name="b.txt")
    assert queries.default_plan(session).title == "2024年工作要点"  # nothing assigned: the newest
    unit = create_unit(session, actor=SYSTEM, name="基础教育科")
    old = session.execute(select(Task).join(Plan).where(Plan.year == 2023, Task.level == 2)).scalars().first()
    tasks.assign(session, actor=SYSTEM, task_id=old.id, lead_unit_id=unit.id)
    assert queries.default_plan(session).title == "2023年工作要点"  # the one with assigned tasks


def test_audit_log_filters_and_rights(session):
    setup_plan(session)
    auditor = Actor("au", "audit_admin")
    page = queries.audit_log(session, actor=auditor, filters=queries.AuditFilter(action="task.assign"))
    assert page.total == 2 and page.items[0]["action_name"] == "交办"
    assert queries.audit_log(session, actor=auditor, filters=queries.AuditFilter(action="task.")).total == 2
    assert queries.audit_log(session, actor=auditor, filters=queries.AuditFilter(actor="sup")).total == 2
    future = queries.AuditFilter(date_from=date(2999, 1, 1))
    assert queries.audit_log(session, actor=auditor, filters=future).total == 0
    with pytest.raises(PermissionDenied):
        queries.audit_log(session, actor=SUP, filters=queries.AuditFilter())


def test_decomposition_prefills_and_flags(session):
    ids = {n: create_unit(session, actor=SYSTEM, name=n).id for n in ("基础教育科", "人事科")}
    plans.import_plan(session, plan=small_plan(), content=b"v1", name="plan.txt")
    plan_id = session.execute(select(Task.plan_id)).scalars().first()
    _, rows = decomp.decomposition(session, actor=SUP, plan_id=plan_id)
    by = {r.path: r for r in rows}
    assert not by["一"].leaf and by["一/1"].leaf
    assert by["一/1"].lead_unit_id == ids["基础教育科"] and by["一/1"].unmatched == ["财务科"]
    assert by["一/1"].due_date == date(2024, 8, 31) and by["一/2"].due_date == date(2024, 12, 31)
    assert by["一/1"].targets == ["新建幼儿园10所"]
    with pytest.raises(PermissionDenied):
        decomp.decomposition(session, actor=Actor("u", "unit_member", unit_id=1), plan_id=plan_id)


def test_decomposition_proposes_a_lead_unit_by_topic_when_the_plan_names_none(session):
    """Made-up plan: one task names its unit, one is about kindergartens, one about nothing known."""
    from duban.plan import model as pm

    ids = {n: create_unit(session, actor=SYSTEM, name=n).id for n in ("学前教育科", "人事科")}
    items = [
        pm.Item(path="一", level=1, number="一", title="重点工作", body=""),
        pm.Item(path="一/1", level=2, number="1", title="扩充普惠性资源", body="新建公办幼儿园5所。"),
        pm.Item(path="一/2", level=2, number="2", title="补充教师", body="", responsible=["人事科"]),
        pm.Item(path="一/3", level=2, number="3", title="做好其他工作", body="按上级要求落实。"),
    ]
    doc = pm.Document(
        title="某县教育局2025年工作要点", kind="plan", year=2025, issuer="某县教育局", items=items
    )
    plans.import_plan(session, plan=pm.Plan(source="p.txt", documents=[doc]), content=b"p", name="p.txt")
    plan_id = session.execute(select(Task.plan_id)).scalars().first()
    by = {r.path: r for r in decomp.decomposition(session, actor=SUP, plan_id=plan_id)[1]}
    assert by["一/1"].lead_unit_id == ids["学前教育科"] and "幼儿园" in by["一/1"].suggestion
    assert by["一/2"].lead_unit_id == ids["人事科"] and by["一/2"].suggestion == ""  # the plan's word wins
    assert by["一/3"].lead_unit_id is None and by["一/3"].suggestion == ""
    assert by["一/1"].to_dict()["suggestion"] == by["一/1"].suggestion


def test_unit_matcher_near_names(session):
    units = [create_unit(session, actor=SYSTEM, name=n) for n in ("基础教育科", "人事科")]
    m = decomp.UnitMatcher(units)
    assert m.match("市教育局基础教育科").name == "基础教育科"
    assert m.match("基础教育科 ").name == "基础教育科"
    assert m.match("财务科") is None


def test_assign_rows_partial_success(session):
    ids = setup_plan(session)
    stale = tasks.get_task(session, task_id=ids["t一/2"]).version
    rows = [
        decomp.AssignRow(ids["t一/2"], ids["基础教育科"], [], date(2024, 10, 1), stale),
        decomp.AssignRow(ids["t一"], ids["基础教育科"]),  # a heading: refused
        decomp.AssignRow(ids["t一/1"], ids["人事科"], expected_version=1),  # stale version: conflict
    ]
    out = decomp.assign_rows(session, actor=SUP, rows=rows)
    assert [o.ok for o in out] == [True, False, False]
    assert "下级任务" in out[1].message and "已被他人修改" in out[2].message
    assert tasks.get_task(session, task_id=ids["t一/2"]).due_date == date(2024, 10, 1)
    with pytest.raises(PermissionDenied):
        decomp.assign_rows(session, actor=Actor("l", "leader"), rows=rows)
    assert session.execute(select(Period)).first() is None
