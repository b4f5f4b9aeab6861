"""Dashboard page: figures, charts as JSON data attributes, filters, rights, escaping."""

from __future__ import annotations

import html
import json
import re

from duban.ledger.models import Task
from tests.ledger.read.helpers import setup_plan

XSS = "<script>alert(1)</script>"


def test_dashboard_page(signed_in, Session):  # noqa: N803
    with Session() as s:
        ids = setup_plan(s)
        s.get(Task, ids["t二"]).title = XSS  # a heading: shows in the table and in chart data
        s.get(Task, ids["t二/1"]).title = XSS
        s.commit()
    sup = signed_in("s1", "supervisor")
    page = sup.get("/dashboard")
    assert page.status_code == 200 and "督办总览" in page.text
    assert 'id="chart-lights"' in page.text and "echarts.min.js" in page.text
    assert XSS not in page.text and "&lt;script&gt;" in page.text
    assert 'id="overdue"' in page.text and f'href="/tasks/{ids["t二/1"]}"' in page.text
    attr = re.search(r"id=\"chart-headings\"[^>]*data-series='([^']*)'", page.text).group(1)
    series = json.loads(html.unescape(attr))
    assert [h["name"] for h in series][1] == f"二、{XSS}" and series[0]["url"].startswith("/tasks?plan_id=")
    unit = sup.get("/dashboard", params={"unit_id": ids["人事科"]}).text
    assert "人事科" in unit
    assert signed_in("l1", "leader").get("/dashboard").status_code == 200
    r = signed_in("m1", "unit_member", unit="人事科").get("/dashboard")
    assert r.status_code == 403 and "无权" in r.text


def test_dashboard_without_plan_says_what_to_do(signed_in):
    page = signed_in("s1", "supervisor").get("/dashboard").text
    assert "还没有导入工作要点" in page
