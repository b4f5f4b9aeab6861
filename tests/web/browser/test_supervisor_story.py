"""The supervisor's and the leader's side in chromium: units created from the decomposition page,
销号 approved with its evidence and a 审核意见, a 督办单 printed; the leader's 批示 and dashboard.

Screenshots go to test-artifacts/browser/supervisor/ for people to look at.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from playwright.sync_api import expect
from sqlalchemy import select

from duban.ledger import plans, reports, tasks
from duban.ledger.models import Plan, Quantity, Task
from duban.ledger.users import SYSTEM, Actor, create_unit, create_user
from tests.conftest import small_plan

from .conftest import Shots, new_page

PASSWORD = "Passw0rd!"


def _login(page, base: str, username: str) -> None:
    page.goto(base + "/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/**")


def test_supervisor_and_leader_in_the_browser(live_server, browser, browser_db):
    base = live_server.url
    with browser_db() as s:
        create_unit(s, actor=SYSTEM, name="人事科")
        create_unit(s, actor=SYSTEM, name="基础教育处")  # the plan writes 基础教育科
        create_user(
            s, actor=SYSTEM, username="ducha", password=PASSWORD, role="supervisor", display_name="督查科王"
        )
        create_user(
            s, actor=SYSTEM, username="lingdao", password=PASSWORD, role="leader", display_name="李局长"
        )
        plans.import_plan(s, plan=small_plan(year=date.today().year), content=b"plan", name="plan.txt")
        plan_id = s.execute(select(Plan.id)).scalar_one()
    shots = Shots("supervisor")
    sup = new_page(browser)
    _login(sup, base, "ducha")

    # ------------------------------------------------ units the plan names, created / mapped in one step
    sup.goto(f"{base}/plans/{plan_id}/decompose")
    box = sup.locator("#missing-units")
    expect(box).to_contain_text("计划中有 2 个单位名称不在单位名单中")
    shots(sup, "decompose-missing-units")
    edu = box.locator("tr", has_text="基础教育科")
    edu.locator("input[value=map]").check()
    edu.locator("select[name^=unit_]").select_option(label="基础教育处")
    fin = box.locator("tr", has_text="财务科")
    fin.locator("input[value=create]").check()
    fin.locator("select[name^=parent_]").select_option(label="基础教育处")
    sup.click("#units-submit")
    expect(sup.locator("#decompose-notice")).to_contain_text("已新建 1 个单位，对应别名 1 个")
    expect(sup.locator("#missing-units")).to_have_count(0)
    shots(sup, "decompose-units-resolved")
    sup.check("#sel-all")
    sup.click("#assign-selected")
    expect(sup.locator("#decompose-notice")).to_have_text("已交办 3 项")

    # the unit reports a figure short of its target and asks for 销号 (its own pages are tested elsewhere)
    with browser_db() as s:
        ids = dict(s.execute(select(Task.path, Task.id).where(Task.plan_id == plan_id)).all())
        qid = s.execute(select(Quantity.id).where(Quantity.text.like("学前三年毛入园率%"))).scalar_one()
        lead = s.get(Task, ids["一/2"]).lead_unit_id
        period = reports.create_period(
            s,
            actor=Actor("ducha", "supervisor"),
            name="本月",
            start=date.today().replace(day=1),
            end=date.today(),
            cutoff=datetime(2100, 1, 1),
        )
        member = Actor("jj", "unit_member", unit_id=lead)
        reports.submit(
            s,
            actor=member,
            unit_id=lead,
            period_id=period.id,
            entries=[
                reports.Entry(
                    task_id=ids["一/2"],
                    work_done="全市毛入园率93%",
                    percent=95,
                    values={qid: 93},
                    attachments=[("入园统计.xlsx", b"figures")],
                )
            ],
        )
        tasks.transition(s, actor=member, task_id=ids["一/2"], action="request_closeout")
    tid = ids["一/2"]

    # ------------------------------------------------ 销号 with the evidence beside it, and an opinion
    sup.goto(base + "/approvals")
    evidence = sup.locator(f"#evidence-{tid}")
    expect(evidence).to_contain_text("学前三年毛入园率达到94.5%以上")
    expect(evidence).to_contain_text("93%")
    expect(evidence).to_contain_text("未完成")
    expect(evidence).to_contain_text("全市毛入园率93%")
    expect(evidence.locator("a", has_text="入园统计.xlsx")).to_have_count(1)
    shots(sup, "approvals-evidence")
    form = sup.locator(f"#close-{tid}")
    form.locator("button").click()  # no opinion: the browser refuses the required field, nothing is sent
    assert sup.evaluate(f"document.querySelector('#close-{tid} input[name=reason]').validity.valueMissing")
    form.locator("input[name=reason]").fill("统计口径调整，差距已说明，同意销号")
    form.locator("button").click()
    expect(sup.locator("#action-done")).to_contain_text("已完成操作：销号")
    sup.goto(f"{base}/tasks/{tid}")
    expect(sup.locator("#timeline")).to_contain_text("审核意见：统计口径调整，差距已说明，同意销号")

    # ------------------------------------------------ the printable 督办单
    sup.click("#form-print")
    sup.wait_for_url(re.compile(rf"/tasks/{tid}/form$"))
    table = sup.locator("#duban-form table")
    for label in (
        "编号",
        "督办事项",
        "来源",
        "牵头单位",
        "配合单位",
        "完成时限",
        "督办要求",
        "办理情况",
        "领导批示",
        "签收人/签收时间",
    ):
        expect(table.locator("th", has_text=label)).to_have_count(1)
    expect(table).to_contain_text("学前三年毛入园率达到94.5%以上")
    sup.emulate_media(media="print")
    expect(sup.locator("header.topbar")).to_be_hidden()
    expect(sup.locator("#form-tools")).to_be_hidden()
    shots(sup, "duban-form-print")
    sup.emulate_media(media="screen")
    with sup.expect_download() as dl:
        sup.click("#form-docx")
    assert dl.value.suggested_filename.endswith(".docx")
    assert not sup.errors, sup.errors

    # ------------------------------------------------ the leader: 批示 and the dashboard
    leader = new_page(browser)
    _login(leader, base, "lingdao")
    leader.goto(f"{base}/tasks/{ids['二/1']}")
    leader.fill("#instruct-form textarea[name=text]", "人事科要加快招聘进度，下月报送进展")
    leader.click("#instruct-form button[type=submit]")
    expect(leader.locator("#action-done")).to_contain_text("领导批示")
    expect(leader.locator("#instructions")).to_contain_text("人事科要加快招聘进度")
    shots(leader, "leader-instruction")
    leader.goto(base + "/dashboard")
    expect(leader.locator("#d-plan option:checked")).to_contain_text("工作要点")
    assert leader.inner_text("#kpi-closeout .kpi-value").strip() == "33.3%"  # 1 of 3 assigned
    assert leader.inner_text("#kpi-unassigned .kpi-value").strip() == "0"
    expect(leader.locator("#chart-lights canvas")).to_have_count(1)
    shots(leader, "leader-dashboard")
    assert not leader.errors, leader.errors
    sup.goto(f"{base}/tasks/{ids['二/1']}")  # the supervisor sees the 批示 too
    expect(sup.locator("#instructions")).to_contain_text("人事科要加快招聘进度")
