"""Sign in through the real login form in chromium; the session cookie is out of reach of scripts."""

from __future__ import annotations

from duban.ledger.users import SYSTEM, create_user

from .conftest import Shots, new_page

PASSWORD = "Passw0rd!"


def test_login_logout_in_the_browser(live_server, browser, browser_db):
    with browser_db() as s:
        create_user(
            s, actor=SYSTEM, username="ducha", password=PASSWORD, role="supervisor", display_name="督查科王"
        )
    shots = Shots("login")
    page = new_page(browser)
    page.goto(live_server.url + "/password")
    assert "/login?next=/password" in page.url
    shots(page, "login")
    page.fill("input[name=username]", "ducha")
    page.fill("input[name=password]", "wrong-Pass1")
    page.click("button[type=submit]")
    assert "用户名或密码错误" in page.inner_text("main")
    shots(page, "login-failed")
    page.fill("input[name=username]", "ducha")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/password")  # back where the user wanted to go
    assert "督查科王" in page.inner_text("header")
    assert page.evaluate("document.cookie") == ""  # HttpOnly: invisible to scripts
    shots(page, "signed-in")
    page.click("text=退出")
    page.wait_for_url("**/login**")
    assert "已退出登录" in page.inner_text("main")
    assert not [e for e in page.errors if "Content Security Policy" in e], page.errors
    page.context.close()
