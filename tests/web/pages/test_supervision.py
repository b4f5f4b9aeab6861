"""The supervisor's and leader's pages on a task: 督办单 (print page, .docx), 领导批示, units from the plan."""

from __future__ import annotations

import io
import re

from docx import Document
from sqlalchemy import select

from duban.ledger import plans
from duban.ledger.models import Plan, Unit, UnitAlias
from duban.ledger.users import SYSTEM, create_unit
from tests.conftest import small_plan
from tests.exports.conftest import build_world

XSS = "<script>alert(1)</script>"


def csrf(text: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', text).group(1)


def test_print_page_and_docx_say_the_same(signed_in, Session):  # noqa: N803
    with Session() as s:
        w = build_world(s)
    tid = w.tasks["一/2"]
    sup = signed_in("s1", "supervisor")
    page = sup.get(f"/tasks/{tid}/form")
    assert page.status_code == 200 and 'id="duban-form"' in page.text and "duban_form.css" in page.text
    shown = re.findall(r'<th scope="row">([^<]+)</th><td>(.*?)</td>', page.text, re.S)
    labels = [label for label, _ in shown]
    assert labels[0] == "编号" and labels[-1] == "签收人/签收时间" and "领导批示" in labels
    docx = sup.get(f"/tasks/{tid}/form.docx")
    assert docx.status_code == 200 and "filename*=UTF-8''" in docx.headers["content-disposition"]
    cells = [[c.text for c in r.cells] for r in Document(io.BytesIO(docx.content)).tables[0].rows]
    assert [r[0] for r in cells] == labels
    html_values = [re.sub(r"</?p>", "", v).strip() for _, v in shown]
    assert dict(cells)["督办事项"] in html_values[1]
    other = signed_in("m2", "unit_member", unit="人事科")  # not its task
    assert other.get(f"/tasks/{tid}/form").status_code == 403
    assert other.get(f"/tasks/{tid}/form.docx").status_code == 403


def test_leader_instructs_and_the_unit_sees_it(signed_in, Session):  # noqa: N803
    with Session() as s:
        w = build_world(s)
    tid = w.tasks["一/2"]
    leader = signed_in("l1", "leader")
    page = leader.get(f"/tasks/{tid}").text
    assert 'id="instruct-form"' in page and "报送：2024-06 · 基础教育科" in page
    assert 'data-rule="overdue">红灯：已超过完成时限' in page  # the page says which light rule fired
    r = leader.post(f"/tasks/{tid}/instructions", data={"csrf_token": csrf(page), "text": "   "})
    assert r.status_code == 422 and "批示内容不能为空" in r.text
    r = leader.post(
        f"/tasks/{tid}/instructions",
        data={"csrf_token": csrf(page), "text": f"抓紧推进{XSS}"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    after = leader.get(r.headers["location"]).text
    assert "已完成操作：领导批示" in after and "抓紧推进&lt;script&gt;" in after and XSS not in after
    unit = signed_in("m1", "unit_member", unit="基础教育科")
    seen = unit.get(f"/tasks/{tid}").text
    assert "抓紧推进&lt;script&gt;" in seen and 'id="instruct-form"' not in seen
    sup = signed_in("s1", "supervisor")
    assert "抓紧推进" in sup.get(f"/tasks/{tid}").text
    assert sup.post(
        f"/tasks/{tid}/instructions", data={"csrf_token": csrf(page), "text": "x"}
    ).status_code in (403, 422)
    assert "抓紧推进" in sup.get(f"/tasks/{tid}/form").text  # on the printed form too


def test_units_from_the_plan_in_one_step(signed_in, Session):  # noqa: N803
    with Session() as s:
        create_unit(s, actor=SYSTEM, name="人事科")
        create_unit(s, actor=SYSTEM, name="基础教育处")
        plans.import_plan(s, plan=small_plan(), content=b"v1", name="plan.txt")
        plan_id = s.execute(select(Plan.id)).scalar_one()
        target = s.execute(select(Unit.id).where(Unit.name == "基础教育处")).scalar_one()
    sup = signed_in("s1", "supervisor")
    page = sup.get(f"/plans/{plan_id}/decompose").text
    assert 'id="missing-units"' in page and "计划中有 2 个单位名称不在单位名单中" in page
    names = re.findall(r'name="name_(\d+)" value="([^"]+)"', page)
    index = {name: i for i, name in names}
    data = {"csrf_token": csrf(page), "count": str(len(names)), **{f"name_{i}": n for i, n in names}}
    data[f"do_{index['基础教育科']}"] = "map"
    r = sup.post(f"/plans/{plan_id}/decompose/units", data=data)
    assert r.status_code == 422 and "请选择对应的已有单位" in r.text
    data[f"unit_{index['基础教育科']}"] = str(target)
    data[f"do_{index['财务科']}"] = "create"
    data[f"kind_{index['财务科']}"] = "office"
    r = sup.post(f"/plans/{plan_id}/decompose/units", data=data, follow_redirects=False)
    assert r.status_code == 303
    after = sup.get(r.headers["location"]).text
    assert "已新建 1 个单位，对应别名 1 个" in after and 'id="missing-units"' not in after
    with Session() as s:
        assert s.execute(select(UnitAlias.alias)).scalars().all() == ["基础教育科"]
        assert s.execute(select(Unit.id).where(Unit.name == "财务科")).first() is not None
    member = signed_in("m1", "unit_member", unit="人事科")
    assert member.post(f"/plans/{plan_id}/decompose/units", data=data).status_code == 403


def test_admin_sees_failed_pushes_and_retries(signed_in, Session):  # noqa: N803
    from datetime import datetime

    from duban.ledger import notify, reminders
    from duban.ledger.config import NotifyConfig
    from duban.ledger.models import Delivery
    from duban.ledger.users import Actor

    with Session() as s:
        w = build_world(s)
        reminders.remind(s, actor=Actor("dc1", "supervisor"), task_id=w.tasks["一/2"], message="请报送")
        dead = NotifyConfig(
            wecom_url="http://127.0.0.1:9/wecom", timeout=1, max_attempts=1
        )  # nothing listens
        assert notify.deliver(s, cfg=dead, now=datetime(2030, 1, 1)).failed == 1
        did = s.query(Delivery.id).scalar()
    admin = signed_in("root", "admin")
    page = admin.get("/admin/deliveries").text
    assert f'id="delivery-{did}"' in page and "企业微信群机器人" in page and "已放弃" in page
    r = admin.post(f"/admin/deliveries/{did}/retry", data={"csrf_token": csrf(page)}, follow_redirects=False)
    assert r.status_code == 303
    with Session() as s:
        assert s.get(Delivery, did).status == "pending"
    assert signed_in("s1", "supervisor").get("/admin/deliveries").status_code == 403
