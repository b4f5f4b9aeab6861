"""Every page each role can reach, in chromium at the office screen size (1366x768).

Six people sign in in turn (系统管理员, 安全管理员, 审计管理员, 督查, 领导, 单位用户) on a small ledger: one
imported plan (Xuchang 2019) with a few tasks assigned to two units, a reporting period, a reminder, a
close-out request and an open import draft. Each visits every entry of their menu, the password page,
and - for the business roles - a filtered task list, a task page, the plan list and a plan page; the
audit administrator the audit log with a filter; a 404 and a 403 error page. On every page: no script
error or CSP refusal, the menu shows exactly that role's entries, nothing is wider than the screen.
Screenshots of all of them go to test-artifacts/browser/tour/ for people to look at.
"""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import Page, expect
from sqlalchemy import select

from duban.ledger import drafts, plans, reminders, reports, tasks
from duban.ledger.clock import local_date
from duban.ledger.db import utcnow
from duban.ledger.models import Task
from duban.ledger.rights import roles_with
from duban.ledger.users import SYSTEM, Actor, create_unit, create_user
from duban.web.templating import MENU
from tests.conftest import SEEDS

from .conftest import Shots, new_page

PASSWORD = "Passw0rd!"
WIDTH = 1366
LEAD, OTHER = "学前教育科", "基础教育科"
PEOPLE = [  # (user name, role, display name)
    ("xitong", "admin", "系统管理员张"),
    ("anquan", "security_admin", "安全管理员刘"),
    ("shenji", "audit_admin", "审计管理员陈"),
    ("ducha", "supervisor", "督查科王"),
    ("lingdao", "leader", "分管局长赵"),
    ("xueqian", "unit_member", "学前科李"),
]
BUSINESS = {"admin", "supervisor", "leader", "unit_member"}


def seed_ledger(factory) -> dict[str, int]:
    """One imported plan, five tasks assigned to two units, a period, a reminder, a close-out request."""
    today = local_date(utcnow())
    sup = Actor("ducha", "supervisor")
    with factory() as s:
        units = {n: create_unit(s, actor=SYSTEM, name=n).id for n in (LEAD, OTHER)}
        for username, role, shown in PEOPLE:
            unit = LEAD if role == "unit_member" else None
            create_user(
                s,
                actor=SYSTEM,
                username=username,
                password=PASSWORD,
                role=role,
                unit=unit,
                display_name=shown,
                must_change=False,  # their first-login change is done
            )
        plan_id = plans.import_file(s, path=SEEDS / "000_fc4be4de5af6bc2e.txt").plans[0].plan_id
        rows = s.execute(select(Task).where(Task.plan_id == plan_id).order_by(Task.position)).scalars().all()
        parents = {t.parent_id for t in rows}
        leaves = [t.id for t in rows if t.id not in parents]
        due = [today + timedelta(days=d) for d in (-3, 4, 60, 30, 90)]  # red, blue, the rest in time
        for tid, unit, day in zip(leaves, (LEAD, LEAD, LEAD, OTHER, OTHER), due, strict=False):
            tasks.assign(s, actor=sup, task_id=tid, lead_unit_id=units[unit], due_date=day)
        reports.create_period(
            s,
            actor=sup,
            name=f"{today.year}年{today.month}月",
            start=today - timedelta(days=20),
            end=today + timedelta(days=5),
            cutoff=utcnow() + timedelta(days=6),
        )
        reminders.remind(s, actor=sup, task_id=leaves[0], message="该任务已超过完成时限，请说明情况。")
        member = Actor("xueqian", "unit_member", unit_id=units[LEAD])
        tasks.transition(s, actor=member, task_id=leaves[2], action="start")
        tasks.transition(s, actor=member, task_id=leaves[2], action="request_closeout", reason="已完成。")
        second = SEEDS / "003_e30f107987b653df.txt"
        draft = drafts.create_draft(s, actor=sup, content=second.read_bytes(), name=second.name).draft
        return {"plan": plan_id, "own": leaves[0], "other": leaves[3], "draft": draft.id}


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


def test_every_page_of_every_role(live_server, browser, browser_db):
    ids = seed_ledger(browser_db)
    base = live_server.url
    shots = Shots("tour")
    extra = {  # pages besides the menu, by role
        "admin": ["/plans/{plan}/decompose"],
        "supervisor": ["/imports/{draft}", "/plans/{plan}/decompose", "/tasks?light=red", "/approvals"],
        "unit_member": ["/reports"],
        "audit_admin": ["/audit?entity=task"],
    }
    seen = 0
    for username, role, shown in PEOPLE:
        page = new_page(browser)
        page.on(
            "response", lambda r, p=page: p.errors.append(f"{r.status} {r.url}") if r.status >= 400 else None
        )
        sign_in(page, base, username)
        expect(page.locator("header .who")).to_contain_text(shown)
        menu = [(path, label) for path, label, right in MENU if role in roles_with(right)]
        paths = [path for path, _ in menu] + ["/password"]
        if role in BUSINESS:
            paths += [
                "/tasks?status=assigned&plan_id={plan}",
                "/tasks/{own}",
                "/plans",
                "/plans/{plan}",
            ]
        paths += extra.get(role, [])
        for path in dict.fromkeys(paths):  # once each, in order
            url = path.format(**ids)
            response = page.goto(base + url)
            last = url
            assert response is not None and response.ok, f"{role} {url}: {response and response.status}"
            check(page, role, url, [label for _, label in menu])
            shots(page, f"{role}-{name_of(url)}")
            seen += 1
        if role == "supervisor":  # a task that does not exist: 404, and the way back works under the CSP
            response = page.goto(base + "/tasks/999999")
            assert response.status == 404
            expect(page.locator("h1")).to_have_text("找不到")
            page.errors.clear()  # the 404 itself is what we asked for
            check(page, role, "/tasks/999999", [label for _, label in menu])
            shots(page, f"{role}-404")
            page.click("text=返回上一页")
            page.wait_for_url(base + last)
            assert page.errors == [], page.errors
        if role == "unit_member":  # another unit's task: 403
            response = page.goto(base + f"/tasks/{ids['other']}")
            assert response.status == 403
            expect(page.locator("h1")).to_have_text("无权访问")
            expect(page.locator(".error-page")).to_contain_text("只能查看本单位承办的任务")
            page.errors.clear()
            check(page, role, "/tasks/other", [label for _, label in menu])
            shots(page, f"{role}-403")
        page.context.close()
    assert seen >= 40


def name_of(url: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", url.lower()).strip("-") or "home"


def check(page: Page, role: str, url: str, labels: list[str]) -> None:
    """No script error, exactly the role's menu, nothing wider than the screen, no empty message box."""
    assert page.errors == [], f"{role} {url}: {page.errors}"
    assert page.locator("header nav.menu a").all_inner_texts() == labels, f"{role} {url}"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{role} {url}: {width}px wide"
    flash = page.evaluate("getComputedStyle(document.getElementById('flash')).display")
    assert flash == "none", f"{role} {url}: an empty message box takes room"
