"""The unit inbox page: own unit's tasks, due soon, returns, reminders (unread first), quick-action forms."""

from __future__ import annotations

import re

from duban.ledger import reminders, tasks
from duban.ledger.users import Actor
from tests.web.api.test_reports import world  # noqa: F401  (fixture)


def test_inbox_shows_tasks_due_soon_reminders_and_action_forms(world, signed_in, Session):  # noqa: F811, N803
    with Session() as s:
        sup = Actor("dc", "supervisor")
        reminders.remind(s, actor=sup, task_id=world.t11, message="请尽快推进<script>alert(1)</script>")
        reminders.remind(s, actor=sup, task_id=world.t21, message="人事科的催办")
    jj = signed_in("jj", "unit_member", unit="基础教育科")
    r = jj.get("/inbox")
    assert r.status_code == 200
    html = r.text
    assert "本单位待办" in html and "基础教育科" in html
    assert "新建幼儿园10所" in html and "学前三年毛入园率达到94.5%以上" in html
    assert "新招聘补充教师" not in html and "人事科的催办" not in html  # another unit's
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    due = html[html.index('id="due-table"') : html.index('id="returned"')]
    assert "学前三年毛入园率" in due and "还有 5 天" in due and "新建幼儿园" not in due
    # quick actions post to the task action route with the version and a way back
    form = re.search(
        rf'<form method="post" action="/tasks/{world.t11}/actions/start" id="act-start-{world.t11}">(.*?)</form>',
        html,
        re.S,
    )
    assert form and 'name="version"' in form.group(1) and 'name="next" value="/inbox"' in form.group(1)
    assert 'name="csrf_token"' in form.group(1)
    assert f'action="/tasks/{world.t11}/actions/request_extension"' in html and 'name="due_date"' in html
    assert f'action="/tasks/{world.t11}/actions/contest"' in html and "非本单位职责" in html
    assert "“本期”进展待报送" in html and f'href="/reports/{world.p2}"' in html


def test_mark_reminder_read_from_the_page(world, signed_in, Session):  # noqa: F811, N803
    with Session() as s:
        rem = reminders.remind(s, actor=Actor("dc", "supervisor"), task_id=world.t11)
    jj = signed_in("jj", "unit_member", unit="基础教育科")
    assert 'class="unread" id="reminder-' in jj.get("/inbox").text
    r = jj.post(f"/inbox/reminders/{rem.id}/read", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/inbox?done=read")
    page = jj.get(r.headers["location"]).text
    assert "已标记为已读" in page and f'class="read" id="reminder-{rem.id}"' in page
    rs = signed_in("rs", "unit_member", unit="人事科")
    assert rs.post(f"/inbox/reminders/{rem.id}/read").status_code == 403


def test_quick_action_through_the_task_route(world, signed_in):  # noqa: F811
    jj = signed_in("jj", "unit_member", unit="基础教育科")
    page = jj.get("/inbox").text
    version = re.search(rf'id="act-start-{world.t11}">.*?name="version" value="(\d+)"', page, re.S).group(1)
    r = jj.post(
        f"/tasks/{world.t11}/actions/start",
        data={"version": version, "next": "/inbox"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == f"/inbox?done=start&task={world.t11}"
    page = jj.get(r.headers["location"]).text
    assert "已提交“开始办理”（" in page and f'id="act-request_closeout-{world.t11}"' in page
    assert re.search(rf'id="done-flash">[^<]*<a href="/tasks/{world.t11}">', page)  # which task


def test_returned_reason_shown(world, signed_in, Session):  # noqa: F811, N803
    with Session() as s:
        me = Actor("jj", "unit_member", unit_id=world.lead)
        tasks.transition(s, actor=me, task_id=world.t12, action="start")
        tasks.transition(s, actor=me, task_id=world.t12, action="request_closeout")
        tasks.transition(
            s, actor=Actor("dc", "supervisor"), task_id=world.t12, action="return", reason="缺少<b>佐证</b>"
        )
    html = signed_in("jj", "unit_member", unit="基础教育科").get("/inbox").text
    returned = html[html.index('id="returned-table"') :]
    assert "退回原因：缺少&lt;b&gt;佐证&lt;/b&gt;" in returned


def test_inbox_is_for_unit_members_only(world, signed_in, client):  # noqa: F811
    for role in ("supervisor", "leader", "admin", "audit_admin"):
        r = signed_in(f"u_{role}", role).get("/inbox")
        assert r.status_code == 403 and "单位用户" in r.text
    r = client.get("/inbox", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")


def test_reminder_keeps_its_task_link_after_close_out(world, signed_in, Session):  # noqa: F811, N803
    with Session() as s:
        rem = reminders.remind(s, actor=Actor("dc", "supervisor"), task_id=world.t11, message="请报送")
        me = Actor("jj", "unit_member", unit_id=world.lead)
        tasks.transition(s, actor=me, task_id=world.t11, action="start")
        tasks.transition(s, actor=me, task_id=world.t11, action="request_closeout")
        tasks.transition(s, actor=Actor("dc", "supervisor"), task_id=world.t11, action="close")
    jj = signed_in("jj", "unit_member", unit="基础教育科")
    html = jj.get("/inbox").text
    item = re.search(rf'id="reminder-{rem.id}">(.*?)</li>', html, re.S).group(1)
    assert f'href="/tasks/{world.t11}"' in item and "已销号" in item
    assert f'id="task-{world.t11}"' not in html  # no longer among the open tasks


def test_a_reminder_links_its_task_only_while_the_unit_handles_it(world, signed_in, Session):  # noqa: F811, N803
    sup = Actor("dc", "supervisor")
    with Session() as s:
        reminders.remind(s, actor=sup, task_id=world.t11, message="一号任务的催办")
        reminders.remind(s, actor=sup, task_id=world.t12, message="二号任务的催办")
        tasks.assign(s, actor=sup, task_id=world.t12, lead_unit_id=world.other)  # now 人事科's task
    html = signed_in("jj", "unit_member", unit="基础教育科").get("/inbox").text
    assert "一号任务的催办" in html and "二号任务的催办" in html  # both were sent to the unit
    assert f'href="/tasks/{world.t11}"' in html
    assert f'href="/tasks/{world.t12}"' not in html  # no link to a task the unit may no longer read
