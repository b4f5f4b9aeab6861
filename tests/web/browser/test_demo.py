"""`duban demo` as a newcomer meets it: run the command, sign in with the printed accounts, and find
each role's first page full: the leader's dashboard with red, yellow and green lights, a late report
and 销号, the units' inboxes with their tasks and 催办. Screenshots in test-artifacts/browser/demo/."""

from __future__ import annotations

import re

from playwright.sync_api import Page
from typer.testing import CliRunner

from duban.cli import app
from tests.conftest import GOLD

from .conftest import Shots, new_page

# the landing page of each role and the table on it that must have real rows
FIRST_PAGE = {
    "supervisor": ("/dashboard", "#overdue"),
    "leader": ("/dashboard", "#recent-reports"),
    "admin": ("/plans", "#plan-list"),
    "security_admin": ("/admin/users", "#user-table"),
    "audit_admin": ("/audit", "#audit-table"),
    "unit_member": ("/inbox", "#task-table"),
}
ROW = re.compile(r"^│ (\S+)\s+│ (\S+)\s+│ (\S*)\s+│ (\S+)\s+│$")


def run_demo(url: str, monkeypatch, tmp_path) -> tuple[str, dict[str, tuple[str, str, str]]]:
    """`duban import` the gold plans and `duban demo`; the printed accounts: name -> (role, unit, password)."""
    monkeypatch.setenv("DUBAN_DATABASE_URL", url)
    monkeypatch.setenv("DUBAN_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.delenv("COLUMNS", raising=False)
    runner = CliRunner()
    r = runner.invoke(app, ["import", *map(str, sorted(GOLD.glob("*.gold.json")))])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["demo"])
    assert r.exit_code == 0, r.output
    names = {"督查": "supervisor", "领导": "leader", "系统管理员": "admin", "单位用户": "unit_member"}
    names |= {"安全管理员": "security_admin", "审计管理员": "audit_admin"}
    accounts = {}
    for line in r.stdout.splitlines():
        m = ROW.match(line.strip())
        if m and m.group(2) in names:
            accounts[m.group(1)] = (names[m.group(2)], m.group(3), m.group(4))
    again = runner.invoke(app, ["demo"])
    assert again.exit_code == 0 and "未做更改" in again.stdout
    return r.stdout, accounts


def sign_in(page: Page, base: str, username: str, password: str) -> None:
    page.goto(base + "/")
    assert "会话已结束" not in page.inner_text("main")  # a first visit: nothing has ended
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


def real_rows(page: Page, table: str) -> int:
    """Rows of the table that are not its "nothing here" placeholder."""
    return page.locator(f"{table} tbody tr").filter(has_not=page.locator("td.muted[colspan]")).count()


def test_demo_year_in_the_browser(live_server, browser, browser_db, monkeypatch, tmp_path):
    url = browser_db.kw["bind"].url.render_as_string(hide_password=False)
    output, accounts = run_demo(url, monkeypatch, tmp_path)
    assert "已建立示例年度" in output and "逾期" in output and "销号" in output
    roles = {role for role, _, _ in accounts.values()}
    assert roles == set(FIRST_PAGE), accounts
    shots = Shots("demo")

    leader = next(name for name, (role, _, _) in accounts.items() if role == "leader")
    page = new_page(browser)
    sign_in(page, live_server.url, leader, accounts[leader][2])
    page.wait_for_url("**/dashboard")
    for light in ("red", "yellow", "green"):
        assert int(page.inner_text(f"#kpi-{light} .kpi-value")) > 0, light
    closed = page.locator(".kpi", has_text="已销号").locator(".kpi-value")
    assert int(closed.inner_text()) > 0
    assert page.locator("#recent-reports .badge.error", has_text="逾期").count() >= 1
    assert real_rows(page, "#overdue") >= 1
    shots(page, "leader-dashboard")
    assert not page.errors, page.errors
    page.context.close()

    # every role's first page, and for units one that was chased for a missing report
    missing = re.search(r"缺报：([^）]+)）", output).group(1)
    firsts = {}
    for name, (role, unit, password) in accounts.items():
        if role != "unit_member" or unit == missing:
            firsts.setdefault(role, (name, password))
    for role, (name, password) in firsts.items():
        path, table = FIRST_PAGE[role]
        page = new_page(browser)
        sign_in(page, live_server.url, name, password)
        page.wait_for_url(f"**{path}")
        assert real_rows(page, table) >= 1, (role, page.inner_text("main")[:300])
        if role == "unit_member":
            assert "尚未报送" in page.inner_text("#reminder-list li:not(.muted)")
        shots(page, f"{role}-first-page")
        assert not page.errors, (role, page.errors)
        page.context.close()
