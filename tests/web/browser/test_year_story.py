"""The whole year on a seed plan, in chromium, through the real pages only.

The supervisor uploads Xuchang's 2019 工作要点, corrects an item's title on the review page (htmx),
imports it, assigns one task on the decomposition page and opens a reporting period whose cut-off has
passed (so the task shows a yellow light: its unit's report is missing). A member of the lead unit, in
a browser of their own, files the period's report with an actual figure and an attachment and asks
for close-out. The supervisor sees the light turn from yellow to blue and the reported figure on the
dashboard and the task page, approves the close-out, and the task is closed with a green light.
Every page visited is saved as a screenshot under test-artifacts/browser/year/.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from playwright.sync_api import Page, expect

from duban.ledger.clock import local_date
from duban.ledger.db import utcnow
from duban.ledger.users import SYSTEM, create_unit, create_user

from .conftest import Shots, new_page

PASSWORD = "Passw0rd!"
SEED = Path(__file__).resolve().parents[4] / "shared" / "seeds" / "000_fc4be4de5af6bc2e.txt"  # Xuchang 2019
PARSED_TITLE = "促进学前教育普及普惠安全优质发展"
TITLE = "促进学前教育普及普惠、安全优质发展"
LEAD = "学前教育科"
CO = "基础教育科"


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/(dashboard|inbox)$"))


def kpi(page: Page, light: str) -> str:
    return page.inner_text(f"#kpi-{light} .kpi-value").strip()


def watch(page: Page) -> Page:
    """Also record every failed request by URL (the console only says "Failed to load resource")."""
    page.on(
        "response",
        lambda r: page.errors.append(f"{r.status} {r.url}") if r.status >= 400 else None,  # type: ignore[attr-defined]
    )
    page.on("dialog", lambda d: d.accept())  # data-confirm buttons ask before importing, closing...
    return page


def assert_clean(page: Page) -> None:
    """No script error and nothing refused by the Content-Security-Policy on any page visited."""
    assert page.errors == [], page.errors  # type: ignore[attr-defined]


def test_year_on_a_seed_plan(live_server, browser, browser_db, tmp_path):
    base = live_server.url
    today = local_date(utcnow())  # the bureau's day (DUBAN_TIMEZONE, Beijing by default)
    due = today + timedelta(days=5)  # within the "due soon" window: blue once the report is in
    with browser_db() as s:
        create_unit(s, actor=SYSTEM, name=LEAD)
        create_unit(s, actor=SYSTEM, name=CO)
        create_user(
            s, actor=SYSTEM, username="ducha", password=PASSWORD, role="supervisor", display_name="督查科王"
        )
        create_user(
            s,
            actor=SYSTEM,
            username="xueqian",
            password=PASSWORD,
            role="unit_member",
            unit=LEAD,
            display_name="学前科李",
        )
    shots = Shots("year")

    # ---------------------------------------------------------------- supervisor: upload and review
    sup = watch(new_page(browser))
    sign_in(sup, base, "ducha")
    expect(sup.locator("main")).to_contain_text("还没有导入工作要点")
    shots(sup, "dashboard-empty")

    sup.click("header >> text=导入计划")
    sup.wait_for_url("**/imports")
    shots(sup, "imports")
    upload = tmp_path / "许昌市教育局2019年工作要点.txt"  # the name an office would give it
    upload.write_bytes(SEED.read_bytes())
    sup.set_input_files("#upload-file", str(upload))
    sup.click("#upload-submit")
    sup.wait_for_url(re.compile(r"/imports/\d+$"))
    expect(sup.locator("h1")).to_contain_text(upload.name)
    expect(sup.locator(".doc-title")).to_contain_text("许昌市教育局2019年工作要点")
    shots(sup, "review")

    item = sup.locator("li.item", has=sup.locator(".title", has_text=re.compile(f"^{PARSED_TITLE}$")))
    expect(item).to_have_count(1)
    item_id = item.get_attribute("id")
    item.locator("summary", has_text="修改").click()
    title_form = item.locator("form.row-form").first
    title_form.locator("input[name=title]").fill(TITLE)
    shots(sup, "review-editing")
    title_form.locator("button", has_text="保存标题").click()
    expect(sup.locator("#flash")).to_contain_text("已保存")
    expect(sup.locator(f"#{item_id} .title")).to_have_text(TITLE)  # swapped in place by htmx
    expect(sup.locator("#undo-button")).to_be_enabled()
    expect(sup.locator(".review-head")).to_contain_text("督查科王 上传于")  # not the user name
    # the message takes room from the split view, which still ends on the screen
    assert sup.evaluate("document.documentElement.scrollHeight") <= 768
    assert sup.locator("#source").bounding_box()["height"] > 400
    shots(sup, "review-corrected")

    sup.click("#import-button")
    sup.wait_for_url(re.compile(r"/plans/\d+\?imported=1$"))
    expect(sup.locator("#flash")).to_contain_text("已导入")
    expect(sup.locator("#flash")).to_contain_text("37 个任务")  # as the decomposition counts: headings aside
    expect(sup.locator("#plan-outline")).to_contain_text(TITLE)
    shots(sup, "plan-imported")

    # ---------------------------------------------------------------- supervisor: decompose and assign
    sup.click("#go-decompose")
    sup.wait_for_url(re.compile(r"/plans/\d+/decompose$"))
    shots(sup, "decompose")
    row = sup.locator("tr.leaf-row", has=sup.locator("a", has_text=TITLE))
    expect(row).to_have_count(1)
    task_url = base + row.locator("a", has_text=TITLE).get_attribute("href")
    row.locator("select.lead").select_option(label=LEAD)
    row.locator("input.co").fill(CO)
    row.locator("input.due").fill(due.isoformat())
    row.locator("input.row-sel").check()
    expect(sup.locator("#sel-count")).to_have_text("1")
    sup.click("#assign-selected")
    expect(sup.locator("#decompose-notice")).to_have_text("已交办 1 项")
    row = sup.locator("tr.leaf-row", has=sup.locator("a", has_text=TITLE))
    expect(row.locator(".badge")).to_have_text("已交办")
    shots(sup, "decompose-assigned")

    # a reporting period whose cut-off (this morning, local time) has passed: the lead unit has not reported
    sup.click("header >> text=报送周期")
    sup.wait_for_url("**/periods")
    sup.fill("#period-name", f"{today.year}年{today.month}月")
    sup.fill("#period-start", (today - timedelta(days=27)).isoformat())
    sup.fill("#period-end", today.isoformat())
    sup.fill("#period-cutoff", f"{today.isoformat()}T00:00")
    sup.click("#period-submit")
    expect(sup.locator("#done-flash")).to_contain_text("报送周期已新建")
    shots(sup, "periods")
    sup.click("#period-table >> text=详情与催办")
    expect(sup.locator("#missing-table")).to_contain_text(LEAD)
    sup.locator("#missing-table tr", has_text=LEAD).locator("button", has_text="催办").click()
    expect(sup.locator("#done-flash")).to_contain_text("已发出 1 条催办")
    shots(sup, "period-reminded")

    sup.click("header >> text=督办总览")
    sup.wait_for_url("**/dashboard")
    assert (kpi(sup, "yellow"), kpi(sup, "blue"), kpi(sup, "green")) == ("1", "0", "0")
    expect(sup.locator("#chart-lights canvas")).to_have_count(1)  # ECharts drew under the CSP
    shots(sup, "dashboard-yellow")
    sup.goto(task_url)
    expect(sup.locator("#task-title .light")).to_have_class(re.compile(r"\byellow\b"))
    expect(sup.locator("#lead-unit")).to_have_text(LEAD)
    expect(sup.locator("#task-light")).to_contain_text("未按时报送")
    sup.fill("#remind-form input[name=message]", "请于本周内报送学前教育项目进展。")
    sup.click("#remind-form button")
    expect(sup.locator("#reminded")).to_contain_text(f"已向{LEAD}发出催办")
    expect(sup.locator("#timeline")).to_contain_text("请于本周内报送学前教育项目进展。")
    shots(sup, "task-yellow")

    # ---------------------------------------------------------------- unit member: report and close-out
    unit = watch(new_page(browser))
    sign_in(unit, base, "xueqian")
    expect(unit.locator("#task-table")).to_contain_text(TITLE)
    expect(unit.locator("#reminder-list")).to_contain_text("尚未报送")
    expect(unit.locator("#reminder-list")).to_contain_text("请于本周内报送学前教育项目进展。")
    shots(unit, "inbox")

    unit.locator("p.notice a", has_text="去补报").click()  # its cut-off has passed: a 补报
    unit.wait_for_url(re.compile(r"/reports/\d+$"), timeout=8000)
    entry = unit.locator("fieldset.u-entry", has_text=TITLE)
    expect(entry).to_have_count(1)
    entry.locator("textarea[name^=work_done]").fill("新建、改扩建幼儿园36所全部竣工，学前三年毛入园率94.1%。")
    entry.locator("textarea[name^=next_steps]").fill("巩固普惠性资源覆盖成果。")
    entry.locator("input[name^=percent]").fill("100")
    entry.locator("label", has_text="学前三年毛入园率").locator("input").fill("94.1")
    evidence = tmp_path / "幼儿园验收情况.txt"
    evidence.write_text("2019年新建、改扩建幼儿园验收情况：36所，全部通过验收。\n", encoding="utf-8")
    entry.locator("input[type=file]").set_input_files(str(evidence))
    shots(unit, "report-form")
    unit.click("#report-submit")
    unit.wait_for_url(re.compile(r"/reports/\d+\?done=submitted$"))
    expect(unit.locator("#done-flash")).to_contain_text("报送成功")
    expect(unit.locator("#report-meta")).to_contain_text("逾期报送")  # after this morning's cut-off
    link = unit.locator("a[download]", has_text=evidence.name)
    with unit.expect_download() as dl:
        link.click()
    assert Path(dl.value.path()).read_bytes() == evidence.read_bytes()
    assert dl.value.suggested_filename == evidence.name
    shots(unit, "report-submitted")

    unit.click("header >> text=进展报送")
    unit.wait_for_url("**/reports")
    expect(unit.locator("#period-table")).to_contain_text("逾期报送")
    shots(unit, "reports")

    unit.click("header >> text=本单位待办")
    unit.wait_for_url("**/inbox")
    task_row = unit.locator("#task-table tr", has_text=TITLE)
    expect(task_row).to_contain_text("推进中")  # the report started the task
    task_row.locator("summary", has_text="申请销号").click()
    closeout = unit.locator(f"#act-request_closeout-{task_url.rsplit('/', 1)[1]}")
    closeout.locator("textarea[name=reason]").fill("36所幼儿园已竣工投用，入园率达到目标。")
    shots(unit, "inbox-closeout")
    closeout.locator("button", has_text="提交申请销号").click()
    expect(unit.locator("#done-flash")).to_contain_text("申请销号")
    expect(unit.locator("#task-table tr", has_text=TITLE)).to_contain_text("申请销号")
    shots(unit, "inbox-requested")

    # ---------------------------------------------------------------- supervisor: sees it, approves
    sup.goto(base + "/dashboard")
    assert (kpi(sup, "yellow"), kpi(sup, "blue"), kpi(sup, "green")) == ("0", "1", "0")
    expect(sup.locator("#kpis")).to_contain_text("100%")  # average progress of the one assigned task
    attained = sup.locator("#attainment tr", has_text="学前三年毛入园率")
    expect(attained).to_contain_text("94.1%")
    expect(attained).to_contain_text("已完成")
    recent = sup.locator("#recent-reports tr", has_text=LEAD)
    expect(recent).to_contain_text("逾期")
    shots(sup, "dashboard-reported")

    sup.click("#kpi-blue")  # from the count to the tasks behind it
    sup.wait_for_url(re.compile(r"/tasks\?.*light=blue"))
    listed = sup.locator("#task-table tbody tr")
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text(TITLE)
    expect(listed).to_contain_text("申请销号")
    shots(sup, "tasks-blue")
    listed.locator("a", has_text=TITLE).click()
    sup.wait_for_url(task_url)
    expect(sup.locator("#task-title .light")).to_have_class(re.compile(r"\bblue\b"))
    expect(sup.locator("#task-status")).to_have_text("申请销号")
    expect(sup.locator("#targets")).to_contain_text("94.1%")
    expect(sup.locator("#timeline")).to_contain_text("申请销号")
    expect(sup.locator("#task-light")).to_contain_text("蓝灯")
    shots(sup, "task-reported")
    sup.click("#timeline >> text=查看报送与佐证材料")  # the evidence, before deciding
    sup.wait_for_url(re.compile(r"/reports/\d+\?unit_id=\d+$"))
    expect(sup.locator("#report-meta")).to_contain_text("学前科李")
    expect(sup.locator("main")).to_contain_text("94.1%")
    expect(sup.locator("a[download]", has_text=evidence.name)).to_be_visible()
    shots(sup, "report-seen-by-supervisor")

    sup.click("header >> text=审批")
    sup.wait_for_url("**/approvals")
    pending = sup.locator("#q-closeout tr", has_text=TITLE)
    expect(pending).to_contain_text(LEAD)
    expect(pending).to_contain_text("100%")
    shots(sup, "approvals")
    pending.locator("button", has_text="同意销号").click()
    sup.wait_for_url(re.compile(r"/approvals\?done=close&task=\d+$"))
    expect(sup.locator("#action-done")).to_contain_text("销号")
    expect(sup.locator("#action-done a")).to_contain_text(TITLE)  # which task it was
    expect(sup.locator("#q-closeout")).to_contain_text("没有待审批的销号申请")
    shots(sup, "approvals-done")

    sup.goto(task_url)
    expect(sup.locator("#task-status")).to_have_text("已销号")
    expect(sup.locator("#task-title .light")).to_have_class(re.compile(r"\bgreen\b"))
    shots(sup, "task-closed")
    sup.click("header >> text=督办总览")
    sup.wait_for_url("**/dashboard")
    assert (kpi(sup, "yellow"), kpi(sup, "blue"), kpi(sup, "green")) == ("0", "0", "1")
    expect(sup.locator("#kpis a.kpi", has_text="已销号")).to_contain_text("1")
    shots(sup, "dashboard-closed")

    unit.goto(base + "/inbox")
    expect(unit.locator("#inbox-summary")).to_contain_text("已销号 1")
    shots(unit, "inbox-closed")

    assert_clean(sup)
    assert_clean(unit)
    sup.context.close()
    unit.context.close()
