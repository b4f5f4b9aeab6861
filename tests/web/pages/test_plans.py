"""Plan pages on both backends: the list with filters, the read-only outline, who sees what."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from duban.ledger.models import Task, Unit
from duban.ledger.tasks import assign
from duban.ledger.users import SYSTEM
from tests.web.api.test_plans import _import


def test_list_and_outline(Session, signed_in):  # noqa: N803
    pid = _import(Session, year=2024)
    _import(Session, year=2023)
    sup = signed_in("sup", "supervisor")
    html = sup.get("/plans").text
    assert 'id="plan-list"' in html and 'id="plan-filters"' in html and 'id="go-import"' in html
    assert f'href="/plans/{pid}"' in html and f"/api/v1/plans/{pid}/source" in html
    assert "共 2 个" in html
    assert "共 1 个" in sup.get("/plans", params={"year": "2023"}).text
    assert "暂无工作要点" in sup.get("/plans", params={"kind": "summary"}).text

    page = sup.get(f"/plans/{pid}")
    assert page.status_code == 200
    html = page.text
    assert 'id="plan-outline"' in html and "新建幼儿园10所" in html
    assert f'href="/plans/{pid}/decompose"' in html and 'id="source-download"' in html
    assert "牵头：基础教育科" in html and "配合：财务科" in html
    assert "2024-08-31" in html
    with Session() as s:
        task_id = s.execute(select(Task.id).where(Task.plan_id == pid, Task.path == "一/1")).scalar_one()
    assert f'href="/tasks/{task_id}"' in html
    assert "（系统 于 " in html  # imported from the command line: not the account name "system"
    with Session() as s:
        heading = s.execute(select(Task.id).where(Task.plan_id == pid, Task.path == "一")).scalar_one()
    heading_li = re.search(rf'<li class="item lv1" id="task-{heading}">(.*?)</li>', html, re.S).group(1)
    assert 'class="status"' not in heading_li  # a heading is not a task: no 未交办
    assert sup.get("/plans/99999").status_code == 404


def test_unit_member_reads_the_text_links_only_its_tasks(Session, signed_in):  # noqa: N803
    pid = _import(Session)
    member = signed_in("jj", "unit_member", unit="人事科")
    with Session() as s:
        unit = s.execute(select(Unit).where(Unit.name == "人事科")).scalar_one()
        tasks = {t.path: t.id for t in s.execute(select(Task).where(Task.plan_id == pid)).scalars()}
        assign(s, actor=SYSTEM, task_id=tasks["二/1"], lead_unit_id=unit.id)
    html = member.get(f"/plans/{pid}").text
    assert "新建幼儿园10所" in html  # the plan text is not secret
    assert f'href="/tasks/{tasks["二/1"]}"' in html and f'href="/tasks/{tasks["一/1"]}"' not in html
    assert "/decompose" not in html and 'id="go-import"' not in member.get("/plans").text


@pytest.mark.parametrize("role", ["security_admin", "audit_admin"])
def test_administrators_without_business_data_are_refused(Session, signed_in, role):  # noqa: N803
    pid = _import(Session)
    c = signed_in("x", role)
    for r in (c.get("/plans"), c.get(f"/plans/{pid}")):
        assert r.status_code == 403 and "无权" in r.text


def test_signed_out(client):
    r = client.get("/plans", follow_redirects=False)
    assert r.status_code == 303 and "/login" in r.headers["location"]
