"""Approval queue: close-out, extension and contest requests; approve or return with a reason."""

from __future__ import annotations

import re
from datetime import date

from duban.ledger import tasks
from duban.ledger.models import Task
from duban.ledger.users import Actor
from tests.ledger.read.helpers import setup_plan

XSS = "<script>alert(1)</script>"


def test_queue_and_decisions(signed_in, Session):  # noqa: N803
    with Session() as s:
        ids = setup_plan(s)
        lead = Actor("a", "unit_member", unit_id=ids["基础教育科"])
        people = Actor("p", "unit_member", unit_id=ids["人事科"])
        t1, t2 = ids["t一/1"], ids["t二/1"]
        tasks.transition(s, actor=lead, task_id=t1, action="start")
        tasks.transition(s, actor=lead, task_id=t1, action="request_closeout")
        tasks.transition(
            s, actor=people, task_id=t2, action="request_extension", due_date=date(2100, 1, 1), reason=XSS
        )
        tasks.transition(
            s, actor=people, task_id=t2, action="contest", contest_kind="wording", reason="表述不清"
        )
        s.get(Task, t1).title = XSS
        s.commit()
    sup = signed_in("s1", "supervisor")
    page = sup.get("/approvals")
    assert page.status_code == 200 and XSS not in page.text and "&lt;script&gt;" in page.text
    for form_id in (f"close-{t1}", f"return-{t1}", f"approve_extension-{t2}", f"accept_contest-{t2}"):
        assert f'id="{form_id}"' in page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    version = re.search(rf'id="return-{t1}".*?name="version" value="(\d+)"', page.text, re.S).group(1)
    r = sup.post(
        f"/tasks/{t1}/actions/return", data={"csrf_token": token, "version": version, "next": "/approvals"}
    )
    assert r.status_code == 422 and "退回必须填写原因" in r.text
    r = sup.post(
        f"/tasks/{t1}/actions/return",
        data={"csrf_token": token, "version": version, "reason": "材料不全", "next": "/approvals"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == f"/approvals?done=return&task={t1}"
    after = sup.get(r.headers["location"]).text
    assert "已完成操作：退回" in after and f'id="close-{t1}"' not in after
    # the message names the task (its title from the plan, escaped)
    done = re.search(r'<p class="ok flash-box" id="action-done">(.*?)</p>', after).group(1)
    assert f'<a href="/tasks/{t1}">一/1 &lt;script&gt;alert(1)&lt;/script&gt;</a>' in done
    unknown = sup.get("/approvals?done=return&task=999999")  # no such task: the message alone
    assert unknown.status_code == 200 and "已完成操作：退回</p>" in unknown.text
    v2 = re.search(rf'id="approve_extension-{t2}".*?name="version" value="(\d+)"', after, re.S).group(1)
    r = sup.post(
        f"/tasks/{t2}/actions/approve_extension",
        data={"csrf_token": token, "version": v2, "next": "/approvals"},
    )
    assert r.status_code == 200 and f'id="approve_extension-{t2}"' not in r.text
    for who, role, unit in (
        ("l1", "leader", None),
        ("m1", "unit_member", "人事科"),
        ("au", "audit_admin", None),
    ):
        assert signed_in(who, role, unit=unit).get("/approvals").status_code == 403


def test_closeout_row_shows_evidence_and_asks_for_an_opinion(signed_in, Session):  # noqa: N803
    from tests.exports.conftest import build_world

    with Session() as s:
        w = build_world(s)
        jj = Actor("jj1", "unit_member", unit_id=w.units["基础教育科"])
        tasks.transition(s, actor=jj, task_id=w.tasks["一/2"], action="request_closeout")
    tid = w.tasks["一/2"]
    sup = signed_in("s1", "supervisor")
    page = sup.get("/approvals").text
    block = re.search(rf'<div class="evidence small" id="evidence-{tid}">(.*?)</div>', page, re.S).group(1)
    assert "学前三年毛入园率达到94.5%以上" in block and "93%" in block and "未完成" in block
    assert f'id="short-{tid}"' in block
    close_form = re.search(rf'<form[^>]*id="close-{tid}">(.*?)</form>', page, re.S).group(1)
    assert "审核意见（目标未达到，必填）" in close_form and " required" in close_form
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    version = re.search(r'name="version" value="(\d+)"', close_form).group(1)
    data = {"csrf_token": token, "version": version, "next": "/approvals"}
    r = sup.post(f"/tasks/{tid}/actions/close", data=data)
    assert r.status_code == 422 and "同意销号须填写审核意见" in r.text
    r = sup.post(
        f"/tasks/{tid}/actions/close", data={**data, "reason": "口径调整，同意"}, follow_redirects=False
    )
    assert r.status_code == 303
    unit = signed_in("m1", "unit_member", unit="基础教育科")
    assert "审核意见：口径调整，同意" in unit.get(f"/tasks/{tid}").text
