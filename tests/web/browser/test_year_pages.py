"""The year-end pages in chromium on the five seed documents: each tab opens without a script error,
the indicator chart is drawn, a correction is saved through the form, a download starts.

Screenshots go to test-artifacts/browser/year-end/ for people to look at.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from duban.ledger import plans, reports, tasks
from duban.ledger.models import Plan, Task
from duban.ledger.users import SYSTEM, Actor, create_unit, create_user
from tests.conftest import SEEDS

from .conftest import Shots, new_page

PASSWORD = "Passw0rd!"
SUP = Actor("ducha", "supervisor")


def seed_world(factory) -> None:
    """The five seeds imported, a supervisor, two units with a task each, a reporting period."""
    with factory() as s:
        for path in sorted(SEEDS.iterdir()):
            plans.import_file(s, path=path)
        create_user(
            s, actor=SYSTEM, username="ducha", password=PASSWORD, role="supervisor", display_name="督查科王"
        )
        units = [create_unit(s, actor=SYSTEM, name=n).id for n in ("基础教育科", "人事科")]
        leaves = []
        for plan in s.execute(select(Plan).where(Plan.kind == "plan").order_by(Plan.year.desc())).scalars():
            rows = (
                s.execute(select(Task).where(Task.plan_id == plan.id).order_by(Task.position)).scalars().all()
            )
            parents = {t.parent_id for t in rows}
            leaves = [t for t in rows if t.id not in parents][:2]
            if len(leaves) == 2:
                break
        for t, unit, due in zip(leaves, units, (date(2099, 12, 31), date(2024, 8, 31)), strict=True):
            tasks.assign(s, actor=SUP, task_id=t.id, lead_unit_id=unit, due_date=due)
        reports.create_period(
            s,
            actor=SUP,
            name="2024年8月",
            start=date(2024, 8, 1),
            end=date(2024, 8, 31),
            cutoff=datetime(2024, 9, 5),
        )


def test_year_end_tabs_in_the_browser(live_server, browser, browser_db):
    seed_world(browser_db)
    shots = Shots("year-end")
    page = new_page(browser)
    page.goto(live_server.url + "/login")
    page.fill("input[name=username]", "ducha")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/**")

    page.click("header >> text=年终考核")
    page.wait_for_url("**/year/reconcile**")
    # by default the plan being supervised (the newest plan with assigned tasks) ...
    assert "2024年工作要点" in page.locator("#rec-plan option:checked").inner_text()
    # ... and any other by choice: Chengde's 2021 plan against its 2020 summary
    chengde = page.locator("#rec-plan option", has_text="2021年工作要点").first.get_attribute("value")
    page.goto(live_server.url + f"/year/reconcile?plan_id={chengde}")
    assert "2021年工作要点" in page.locator("#rec-plan option:checked").inner_text()
    assert "2020年工作总结" in page.locator("#rec-source option:checked").inner_text()
    assert page.locator("#rec-table tbody tr").count() > 5
    shots(page, "reconcile")
    met = int(page.inner_text("#count-met .kpi-value"))
    assert met >= 1, "the summary meets at least one of the plan's targets"
    # correct the first matched row to "not mentioned"
    row = page.locator("#rec-table tbody tr.rec-met").first
    row_id = row.get_attribute("id")
    row.locator("summary").click()
    row.locator("select[name=actual_id]").select_option("")
    row.locator("input[name=note]").fill("口径不同")
    row.locator("button[type=submit]").click()
    page.wait_for_selector("#done")
    fixed = page.locator(f"#{row_id}")
    assert "未提及" in fixed.inner_text() and "人工更正" in fixed.inner_text()
    assert int(page.inner_text("#count-met .kpi-value")) == met - 1
    shots(page, "reconcile-corrected")

    page.click(".year-tabs >> text=指标库")
    page.wait_for_url("**/year/indicators")
    assert page.locator("#ind-table tbody tr").count() >= 5
    shots(page, "indicators")

    page.click(".year-tabs >> text=指标对比")
    page.wait_for_url("**/year/compare**")
    page.select_option("#cmp-name", "学前三年毛入园率")
    page.click("#cmp-filters button[type=submit]")
    page.wait_for_selector("#cmp-chart canvas")
    years = page.locator("#cmp-table tbody tr td:first-child").all_inner_texts()
    assert {"2018", "2019", "2020", "2021", "2024"} <= set(years)
    shots(page, "compare-preschool")

    page.click(".year-tabs >> text=计划对比")
    page.wait_for_url("**/year/plans**")
    assert page.locator("#pc-tasks tbody tr").count() > 5
    shots(page, "plans")

    page.click(".year-tabs >> text=单位考核")
    page.wait_for_url("**/year/assessment**")
    page.locator("#as-table details summary", has_text="人事科").click()
    assert "逾期" in page.inner_text("#as-table")
    shots(page, "assessment")

    page.click(".year-tabs >> text=导出文件")
    page.wait_for_url("**/exports")
    assert page.inner_text("header a[aria-current=page]") == "年终考核"  # the exports sit under it
    shots(page, "exports")
    with page.expect_download() as dl:
        page.click("#ex-decomposition button[type=submit]")
    assert dl.value.suggested_filename.endswith(".xlsx") and "任务分解表" in dl.value.suggested_filename

    assert page.errors == [], page.errors  # type: ignore[attr-defined]
    page.context.close()
