"""Task list and task page: visibility, filters, action forms, conflicts, escaping."""

from __future__ import annotations

import re

import pytest

from duban.ledger.models import Plan, Task
from tests.ledger.read.helpers import setup_plan

XSS = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture
def ids(Session):  # noqa: N803
    with Session() as s:
        ids = setup_plan(s)
        s.get(Task, ids["t二/1"]).title = XSS
        s.execute(Plan.__table__.update().values(title=f"计划{XSS}"))
        s.commit()
        return ids


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_task_list_filters_scope_and_escaping(ids, signed_in):
    sup = signed_in("s1", "supervisor")
    page = sup.get("/tasks")
    assert page.status_code == 200 and 'id="task-table"' in page.text and "新建幼儿园10所" in page.text
    assert ESCAPED in page.text and XSS not in page.text
    red = sup.get("/tasks", params={"light": "red"}).text
    assert ESCAPED in red and "新建幼儿园10所" not in red
    assert "新建幼儿园10所" in sup.get("/tasks", params={"q": "幼儿园", "page": "x"}).text
    paged = sup.get("/tasks", params={"per_page": 2}).text
    assert "共 5 条" in paged and 'id="page-next"' in paged
    member = signed_in("m1", "unit_member", unit="基础教育科").get("/tasks").text
    assert "新建幼儿园10所" in member and f'href="/tasks/{ids["t二/1"]}"' not in member
    r = signed_in("au", "audit_admin").get("/tasks")
    assert r.status_code == 403 and "无权" in r.text


def test_task_page_shows_fields_actions_timeline(ids, signed_in):
    member = signed_in("m1", "unit_member", unit="人事科")
    page = member.get(f"/tasks/{ids['t二/1']}")
    assert page.status_code == 200 and ESCAPED in page.text and XSS not in page.text
    assert 'id="action-start"' in page.text and 'id="action-close"' not in page.text
    assert "人事科" in page.text and 'id="timeline"' in page.text and "交办" in page.text
    assert "新招聘补充教师3000人以上" in page.text
    other = member.get(f"/tasks/{ids['t一/1']}")
    assert other.status_code == 403 and "本单位" in other.text
    assert member.get("/tasks/99999").status_code == 404
    leader = signed_in("l1", "leader").get(f"/tasks/{ids['t二/1']}").text
    assert 'id="no-actions"' in leader and "action-form" not in leader


def test_action_form_flow_conflict_and_errors(ids, signed_in):
    tid = ids["t二/1"]
    member = signed_in("m1", "unit_member", unit="人事科")
    page = member.get(f"/tasks/{tid}").text
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    form = {"csrf_token": csrf(page), "version": version}
    r = member.post(f"/tasks/{tid}/actions/start", data=form, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/tasks/{tid}?done=start"
    assert "已完成操作：开始办理" in member.get(r.headers["location"]).text
    stale = member.post(f"/tasks/{tid}/actions/request_closeout", data=form)  # same old version
    assert stale.status_code == 409 and "已被他人修改，请刷新" in stale.text
    bad = member.post(
        f"/tasks/{tid}/actions/request_extension", data={**form, "version": "", "due_date": "明天"}
    )
    assert bad.status_code == 422 and "YYYY-MM-DD" in bad.text
    sup = signed_in("s1", "supervisor")
    r = sup.post(f"/tasks/{tid}/actions/close", data={"csrf_token": csrf(sup.get(f"/tasks/{tid}").text)})
    assert r.status_code == 409 and "不能销号" in r.text
    other = signed_in("m2", "unit_member", unit="基础教育科")
    token = csrf(other.get("/tasks").text)
    r = other.post(f"/tasks/{tid}/actions/request_closeout", data={"csrf_token": token})
    assert r.status_code == 403
    leader = signed_in("l1", "leader")
    r = leader.post(f"/tasks/{tid}/actions/close", data={"csrf_token": csrf(leader.get("/tasks").text)})
    assert r.status_code == 403
    del member.headers["X-CSRF-Token"]  # a browser form without its token
    r = member.post(f"/tasks/{tid}/actions/request_closeout", data={"version": version})  # no CSRF token
    assert r.status_code == 403


def test_next_is_local_only(ids, signed_in):
    tid = ids["t二/1"]
    member = signed_in("m1", "unit_member", unit="人事科")
    token = csrf(member.get(f"/tasks/{tid}").text)
    r = member.post(
        f"/tasks/{tid}/actions/start",
        data={"csrf_token": token, "next": "//evil.example/"},
        follow_redirects=False,
    )
    assert r.headers["location"].startswith(f"/tasks/{tid}")
