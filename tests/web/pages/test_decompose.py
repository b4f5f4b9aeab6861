"""Decomposition page: the task table, pre-filled units, flags, bulk apply, bulk assign with partial failure."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from duban.ledger import plans
from duban.ledger.models import Plan, Task
from duban.ledger.users import SYSTEM, create_unit
from tests.ledger.conftest import small_plan

XSS = "<script>alert(1)</script>"


@pytest.fixture
def plan(Session):  # noqa: N803
    with Session() as s:
        units = {n: create_unit(s, actor=SYSTEM, name=n).id for n in ("基础教育科", "人事科")}
        plans.import_plan(s, plan=small_plan(), content=b"v1", name="plan.txt")
        tasks = {t.path: t.id for t in s.execute(select(Task)).scalars()}
        s.get(Task, tasks["一"]).title = XSS
        s.commit()
        return {
            "id": s.execute(select(Plan.id)).scalar_one(),
            **units,
            **{f"t{p}": i for p, i in tasks.items()},
        }


def csrf(text: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', text).group(1)


def test_table_prefilled_and_flagged(plan, signed_in):
    sup = signed_in("s1", "supervisor")
    page = sup.get(f"/plans/{plan['id']}/decompose")
    assert page.status_code == 200 and 'id="decompose-table"' in page.text and 'id="bulk-bar"' in page.text
    assert XSS not in page.text and "&lt;script&gt;" in page.text
    assert 'class="heading-row level-1"' in page.text
    row = re.search(rf'<tr[^>]*id="row-{plan["t一/1"]}".*?</tr>', page.text, re.S).group(0)
    assert "unmatched" in row and "未匹配单位：财务科" in row
    assert re.search(rf'<option value="{plan["基础教育科"]}" selected>基础教育科', row)
    assert 'value="2024-08-31"' in row
    leader = signed_in("l1", "leader").get(f"/plans/{plan['id']}/decompose")
    assert leader.status_code == 200 and 'id="bulk-bar"' not in leader.text
    r = signed_in("m1", "unit_member", unit="人事科").get(f"/plans/{plan['id']}/decompose")
    assert r.status_code == 403
    assert sup.get("/plans/999/decompose").status_code == 404


def test_a_task_without_units_gets_a_marked_suggestion(plan, signed_in, Session):  # noqa: N803
    with Session() as s:
        t = s.get(Task, plan["t二/1"])
        t.responsible, t.title, t.body = [], "推进课后服务", "推进中小学课后服务全覆盖。"
        s.commit()
    page = signed_in("s1", "supervisor").get(f"/plans/{plan['id']}/decompose").text
    row = re.search(rf'<tr[^>]*id="row-{plan["t二/1"]}".*?</tr>', page, re.S).group(0)
    assert re.search(rf'<option value="{plan["基础教育科"]}" selected>基础教育科', row)
    assert re.search(r"建议牵头：主题“[^<]*课后服务[^<]*”属基础教育科", row)
    assert 'id="suggested-count">1 项原文未写明责任单位' in page


def test_bulk_apply_then_assign_with_partial_failure(plan, signed_in, Session):  # noqa: N803
    sup = signed_in("s1", "supervisor")
    page = sup.get(f"/plans/{plan['id']}/decompose").text
    a, b, c = plan["t一/1"], plan["t一/2"], plan["t二/1"]
    form = {
        "csrf_token": csrf(page),
        "sel": [str(a), str(b), str(c)],
        "bulk_lead": str(plan["人事科"]),
        "bulk_due": "2024-11-30",
        "op": "apply",
        **{f"ver_{t}": "1" for t in (a, b, c)},
        f"lead_{a}": str(plan["基础教育科"]),
        f"co_{a}": "财务科",  # no such unit: this row fails
    }
    applied = sup.post(f"/plans/{plan['id']}/decompose", data=form)
    assert applied.status_code == 200 and "已将批量设置应用到 3 行" in applied.text
    row_b = re.search(rf'<tr[^>]*id="row-{b}".*?</tr>', applied.text, re.S).group(0)
    assert 'value="2024-11-30"' in row_b and re.search(rf'<option value="{plan["人事科"]}" selected>', row_b)
    with Session() as s:
        versions = {t: s.get(Task, t).version for t in (a, b, c)}
    form.update({"op": "assign", **{f"ver_{t}": str(v) for t, v in versions.items()}})
    done = sup.post(f"/plans/{plan['id']}/decompose", data=form)
    assert done.status_code == 200 and "已交办 2 项，1 项未交办" in done.text
    assert "配合单位不存在：财务科" in done.text
    with Session() as s:
        assert s.get(Task, a).status == "unassigned"
        assert s.get(Task, b).status == "assigned" and str(s.get(Task, b).due_date) == "2024-11-30"
        assert s.get(Task, c).lead_unit_id == plan["人事科"]


def test_assign_refusals(plan, signed_in):
    leader = signed_in("l1", "leader")
    token = csrf(leader.get(f"/plans/{plan['id']}/decompose").text)
    r = leader.post(
        f"/plans/{plan['id']}/decompose",
        data={"csrf_token": token, "sel": str(plan["t一/2"]), "op": "assign"},
    )
    assert r.status_code == 403
    sup = signed_in("s1", "supervisor")
    r = sup.post(
        f"/plans/{plan['id']}/decompose", data={"csrf_token": csrf(sup.get("/tasks").text), "op": "assign"}
    )
    assert r.status_code == 422 and "请先勾选" in r.text
    del sup.headers["X-CSRF-Token"]  # a browser form without its token
    r = sup.post(f"/plans/{plan['id']}/decompose", data={"sel": str(plan["t一/2"]), "op": "assign"})
    assert r.status_code == 403  # no CSRF token
