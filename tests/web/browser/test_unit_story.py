"""A unit's side of the year in chromium, at the office screen (1366 px) and on a phone (390 px).

A member of the lead unit signs in, signs for (签收) the tasks assigned to the unit in one click,
starts the period's report and 暂存 it, comes back to it, types 8 for a 94.5% target and is asked
"是否为 8%？", tries 9000 and is refused with the reason, confirms, submits, edits the report, and
files a 补报 for a period whose cut-off has passed. Once the supervisor has read the report, the unit
can no longer change it. On every page: no sideways scroll (the full-page screenshot is exactly as
wide as the screen) and no field cut off at the screen's edge.
"""

from __future__ import annotations

import re
import struct
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from duban.ledger import plans, reports, tasks
from duban.ledger.db import utcnow
from duban.ledger.models import Quantity, Task
from duban.ledger.users import SYSTEM, Actor, create_unit, create_user
from tests.conftest import small_plan

from .conftest import Shots

PASSWORD = "Passw0rd!"
WIDTHS = {"desktop": (1366, 768), "phone": (390, 844)}

# every visible field, button and link: its box must lie within the screen, unless it sits in a box that
# scrolls sideways on its own (a wide table on a phone), which is allowed; returns the ones cut off
CUT_OFF = """() => {
  const w = document.documentElement.clientWidth;
  const scrolls = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if ((o === "auto" || o === "scroll") && p.scrollWidth > p.clientWidth) return true;
    }
    return false;
  };
  const out = [];
  for (const el of document.querySelectorAll("input:not([type=hidden]), textarea, select, button, a[role=button], summary")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || scrolls(el)) continue;
    if (r.left < -0.5 || r.right > w + 0.5) out.push(`${el.tagName}#${el.id || el.name || el.textContent.trim().slice(0, 10)} ${r.left}-${r.right}`);
  }
  return out;
}"""


def png_width(path: Path) -> int:
    return struct.unpack(">I", path.read_bytes()[16:20])[0]


class Story:
    def __init__(self, base: str, width: tuple[int, int], name: str) -> None:
        self.base, self.width = base, width
        self.shots = Shots(f"unit-{name}")

    def open(self, browser: Browser) -> Page:
        w, h = self.width
        context = browser.new_context(viewport={"width": w, "height": h}, locale="zh-CN")
        page = context.new_page()
        page.errors = []  # type: ignore[attr-defined]
        page.on("pageerror", lambda exc: page.errors.append(str(exc)))  # type: ignore[attr-defined]
        page.on("dialog", lambda d: d.accept())
        return page

    def fits(self, page: Page, name: str) -> None:
        """No sideways scroll, no field cut off; the screenshot is the screen's width."""
        w = self.width[0]
        assert page.evaluate("document.documentElement.scrollWidth") <= w, f"{name}: page scrolls sideways"
        assert page.evaluate(CUT_OFF) == [], f"{name}: fields cut off"
        shot = self.shots(page, name)
        assert png_width(shot) == w, f"{name}: screenshot {png_width(shot)} px wide at {w} px"
        assert page.errors == [], page.errors  # type: ignore[attr-defined]


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/(dashboard|inbox)$"))


def _world(factory, tag: str) -> dict[str, int]:
    """Two tasks of one plan assigned to the lead unit (one with a co-unit), a missed and an open period."""
    now = utcnow()
    with factory() as s:
        lead = create_unit(s, actor=SYSTEM, name=f"基础教育科{tag}")
        co = create_unit(s, actor=SYSTEM, name=f"财务科{tag}")
        create_user(s, actor=SYSTEM, username=f"dc{tag}", password=PASSWORD, role="supervisor")
        create_user(
            s, actor=SYSTEM, username=f"jj{tag}", password=PASSWORD, role="unit_member", unit=lead.name
        )
        plan = small_plan(year=now.year, title=f"某市教育局{now.year}年工作要点（{tag}）")
        result = plans.import_plan(s, plan=plan, content=f"plan {tag}".encode(), name=f"{tag}.txt")
        sup = Actor(f"dc{tag}", "supervisor")
        found = dict(
            s.execute(
                select(Task.path, Task.id).where(
                    Task.plan_id == result.plans[0].plan_id, Task.path.in_(["一/1", "一/2"])
                )
            ).all()
        )
        tasks.assign(s, actor=sup, task_id=found["一/1"], lead_unit_id=lead.id, co_unit_ids=[co.id])
        tasks.assign(s, actor=sup, task_id=found["一/2"], lead_unit_id=lead.id)
        missed = reports.create_period(
            s,
            actor=sup,
            name=f"上月{tag}",
            start=(now - timedelta(days=40)).date(),
            end=(now - timedelta(days=10)).date(),
            cutoff=now - timedelta(days=2),
        )
        current = reports.create_period(
            s,
            actor=sup,
            name=f"本月{tag}",
            start=(now - timedelta(days=9)).date(),
            end=(now + timedelta(days=5)).date(),
            cutoff=now + timedelta(days=10),
        )
        rate = s.execute(
            select(Quantity.id).where(Quantity.task_id == found["一/2"], Quantity.role == "target")
        ).scalar_one()
        return {
            "t11": found["一/1"],
            "t12": found["一/2"],
            "rate": rate,
            "missed": missed.id,
            "now": current.id,
        }


@pytest.mark.parametrize("screen", sorted(WIDTHS))
def test_unit_signs_drafts_reports_edits_and_reports_late(live_server, browser, browser_db, screen):
    base = live_server.url
    w = _world(browser_db, screen)
    story = Story(base, WIDTHS[screen], screen)
    unit = story.open(browser)

    unit.goto(base + "/login")
    story.fits(unit, "login")
    sign_in(unit, base, f"jj{screen}")

    # 签收: the inbox says what is waiting, one click signs for all
    expect(unit.locator("#sign")).to_contain_text("2 项新交办的任务待本单位签收")
    expect(unit.locator(f"#task-{w['t11']} [data-unsigned]")).to_have_text("待签收")
    story.fits(unit, "inbox-unsigned")
    unit.click("#sign-all button")
    expect(unit.locator("#done-flash")).to_contain_text("已签收本单位全部待签收任务")
    expect(unit.locator("#sign")).to_have_count(0)
    expect(unit.locator("[data-unsigned]")).to_have_count(0)
    story.fits(unit, "inbox-signed")
    unit.goto(f"{base}/tasks/{w['t11']}")
    expect(unit.locator("#lead-unit + [data-signed]")).to_have_text("（已签收）")
    expect(unit.locator("#co-units")).to_contain_text("待签收")  # the co-unit signs for itself
    story.fits(unit, "task")

    # 暂存, then resumed next time
    t, rate = w["t12"], w["rate"]
    unit.goto(f"{base}/reports/{w['now']}")
    story.fits(unit, "form")
    unit.fill(f"#work_done_{t}", "已完成摸底统计")
    unit.click("#report-draft")
    expect(unit.locator("#saved-flash")).to_contain_text("已暂存")
    unit.goto(f"{base}/inbox")
    unit.goto(f"{base}/reports/{w['now']}")
    expect(unit.locator("#draft-notice")).to_contain_text("暂存的内容")
    expect(unit.locator(f"#work_done_{t}")).to_have_value("已完成摸底统计")

    # the scale check: 9000 for a rate refused with the reason, 8 for 94.5% asked about
    unit.fill(f"#value_{t}_{rate}", "9000")
    unit.click("#report-submit")
    expect(unit.locator("#form-error")).to_contain_text("0 到 100")
    expect(unit.locator(f"#work_done_{t}")).to_have_value("已完成摸底统计")  # nothing typed is lost
    unit.fill(f"#value_{t}_{rate}", "8")
    unit.click("#report-submit")
    expect(unit.locator(f"#question_{t}_{rate}")).to_contain_text("是否为 8%？")
    story.fits(unit, "form-question")
    unit.check(f"#confirm_{t}_{rate}")
    unit.click("#report-submit")
    expect(unit.locator("#done-flash")).to_contain_text("报送成功")
    expect(unit.locator(f"#item-{t}")).to_contain_text("8%")
    story.fits(unit, "report-submitted")

    # edit the submitted report
    unit.click("#edit-link")
    unit.fill(f"#value_{t}_{rate}", "93")
    unit.fill(f"#work_done_{t}", "全市毛入园率93%")
    story.fits(unit, "form-edit")
    unit.click("#report-submit")
    expect(unit.locator("#done-flash")).to_contain_text("已保存修改")
    expect(unit.locator(f"#item-{t}")).to_contain_text("全市毛入园率93%")

    # 补报 for the missed period
    unit.goto(f"{base}/reports")
    expect(unit.locator(f"#period-{w['missed']}")).to_contain_text("可补报")
    story.fits(unit, "periods")
    unit.click(f"#period-{w['missed']} a[role=button]")
    expect(unit.locator("#late-notice")).to_contain_text("补报")
    unit.click("#report-submit")
    expect(unit.locator("#report-meta")).to_contain_text("补报（逾期报送）")
    story.fits(unit, "report-late")

    # the supervisor reads the report: the unit can no longer change it
    sup = story.open(browser)
    sign_in(sup, base, f"dc{screen}")
    with browser_db() as s:
        lead_id = s.execute(select(Task).where(Task.id == t)).scalar_one().lead_unit_id
    sup.goto(f"{base}/reports/{w['now']}?unit_id={lead_id}")
    expect(sup.locator(f"#item-{t}")).to_contain_text("全市毛入园率93%")
    story.fits(sup, "supervisor-reads")
    unit.goto(f"{base}/reports/{w['now']}")
    expect(unit.locator("#report-read")).to_have_text("督查已阅")
    expect(unit.locator("#edit-link")).to_have_count(0)
    expect(unit.locator("#report-edit")).to_contain_text("不能再修改")
