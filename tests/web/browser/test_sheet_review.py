"""A spreadsheet uploaded in chromium: the review page shows the sheet as a table beside the plan,
and an item's line number finds its row in the table."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from duban.ledger.users import SYSTEM, create_user
from tests.documents.sheet_files import decomposition_xlsx

from .conftest import Shots, new_page

PASSWORD = "Passw0rd!"


def test_spreadsheet_review_in_the_browser(live_server, browser, browser_db, tmp_path):
    with browser_db() as s:
        create_user(
            s, actor=SYSTEM, username="sheet", password=PASSWORD, role="supervisor", display_name="督查科"
        )
    shots = Shots("sheet-review")
    page = new_page(browser)
    page.goto(live_server.url + "/login")
    page.fill("input[name=username]", "sheet")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/(dashboard|inbox)$"))
    page.goto(live_server.url + "/imports")
    upload = tmp_path / "2025年重点任务分解表.xlsx"
    upload.write_bytes(decomposition_xlsx())
    page.set_input_files("#upload-file", str(upload))
    page.click("#upload-submit")
    page.wait_for_url(re.compile(r"/imports/\d+$"))

    table = page.locator("#source table.sheet-table")
    expect(table).to_be_visible()
    expect(page.locator(".parsed")).to_be_visible()  # beside the parsed plan
    row = table.locator("tr", has_text="新建幼儿园5所")
    expect(row.locator("td")).to_have_text(
        [
            re.compile(r"\d+"),
            "基础教育",
            "3",
            "新建幼儿园5所",
            "基础教育科",
            "规划财务科、发展中心",
            "2025年9月底前",
            "重点",
        ]
    )
    box_table, box_plan = page.locator("#source").bounding_box(), page.locator(".parsed").bounding_box()
    assert box_table["x"] + box_table["width"] <= box_plan["x"] + 1  # side by side, not stacked
    item = page.locator("li.item", has=page.locator(".title", has_text="新建幼儿园5所"))
    item.locator("a.goto").click()
    expect(row).to_have_class(re.compile(r"\bhit\b"))
    expect(row.locator("mark.d")).to_have_text("2025年9月底前")  # the deadline marked in its cell
    expect(row.locator("mark.q")).to_have_text("新建幼儿园5所")
    shots(page, "review")
    assert not page.errors, page.errors
    page.context.close()
