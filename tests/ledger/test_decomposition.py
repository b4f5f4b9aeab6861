"""Decomposition table: pre-filled rows, proposed lead units, unit matching, assigning many rows."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import TypeAdapter
from sqlalchemy import select

from duban.ledger import decomposition as decomp
from duban.ledger import plans, tasks
from duban.ledger.errors import PermissionDenied
from duban.ledger.models import Period, Task
from duban.ledger.users import SYSTEM, Actor, create_unit
from tests.conftest import small_plan
from tests.ledger.read.helpers import SUP, setup_plan


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
    assert TypeAdapter(decomp.DecompositionRow).dump_python(by["一/1"])["suggestion"] == by["一/1"].suggestion


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
