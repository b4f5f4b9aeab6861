"""Periods pages: create (supervisor), who has not reported, 催办 from the page."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select

from duban.ledger.models import Period
from tests.web.api.test_reports import world  # noqa: F401  (fixture)


def test_supervisor_creates_a_period_and_sees_errors_in_chinese(world, signed_in, Session):  # noqa: F811, N803
    sup = signed_in("dc", "supervisor")
    page = sup.get("/periods").text
    assert 'id="period-form"' in page and "本期" in page and "上期" in page
    r = sup.post(
        "/periods",
        data={
            "name": "2024年<i>5</i>月",
            "start": "2024-05-01",
            "end": "2024-05-31",
            "cutoff": "2024-06-05T18:00",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    page = sup.get(r.headers["location"]).text
    assert "报送周期已新建" in page and "2024年&lt;i&gt;5&lt;/i&gt;月" in page and "2024-06-05 18:00" in page
    with Session() as s:  # typed on Beijing time, kept in UTC like every timestamp
        stored = s.execute(select(Period.cutoff).where(Period.name == "2024年<i>5</i>月")).scalar_one()
        assert stored == datetime(2024, 6, 5, 10, 0)
    bad = sup.post(
        "/periods",
        data={"name": "坏", "start": "2024-05-01", "end": "2024-04-01", "cutoff": "2024-06-05T18:00"},
    )
    assert bad.status_code == 422 and "日期无效" in bad.text and 'value="坏"' in bad.text
    bad = sup.post("/periods", data={"name": "坏2", "start": "五月", "end": "2024-04-01", "cutoff": ""})
    assert bad.status_code == 422 and "开始日期格式应为 YYYY-MM-DD" in bad.text


def test_period_detail_missing_units_and_remind(world, signed_in):  # noqa: F811
    jj = signed_in("jj", "unit_member", unit="基础教育科")
    jj.post("/api/v1/reports", json={"period_id": world.p2, "entries": []})
    sup = signed_in("dc", "supervisor")
    page = sup.get(f"/periods/{world.p2}").text
    missing = page[page.index('id="missing-table"') : page.index('id="submitted"')]
    # 财务科 only helps on a task: it sends its input to the lead unit and owes the supervisor nothing
    assert "人事科" in missing and "基础教育科" not in missing and "财务科" not in missing
    assert f'href="/reports/{world.p2}?unit_id={world.lead}"' in page
    r = sup.post(f"/periods/{world.p2}/remind", data={"unit_id": str(world.other)}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/periods/{world.p2}?reminded=1"
    assert "已发出 1 条催办" in sup.get(r.headers["location"]).text
    rs = signed_in("rs", "unit_member", unit="人事科")
    assert "尚未报送“本期”的工作进展" in rs.get("/inbox").text
    r = sup.post(f"/periods/{world.p2}/remind", data={}, follow_redirects=False)
    assert r.headers["location"] == f"/periods/{world.p2}?reminded=1"


def test_periods_page_shows_who_has_not_signed_and_reminds(world, signed_in):  # noqa: F811
    sup = signed_in("dc", "supervisor")
    page = sup.get("/periods").text
    table = page[page.index('id="unsigned-table"') :]
    assert (
        f'id="unsigned-{world.t11}-{world.co}"' in table
        and f'id="unsigned-{world.t11}-{world.lead}"' in table
    )
    cw = signed_in("cw", "unit_member", unit="财务科")
    cw.post("/inbox/sign", follow_redirects=False)
    page = sup.get("/periods").text
    assert (
        f'id="unsigned-{world.t11}-{world.co}"' not in page
        and f'id="unsigned-{world.t11}-{world.lead}"' in page
    )
    r = sup.post(
        "/reminders",
        data={"task_id": str(world.t11), "unit_id": str(world.lead), "message": "请签收", "next": "/periods"},
        follow_redirects=False,
    )
    assert (
        r.headers["location"] == "/periods?reminded=1" and "已催办签收" in sup.get(r.headers["location"]).text
    )
    assert "请签收" in signed_in("jj", "unit_member", unit="基础教育科").get("/inbox").text


def test_task_reminder_form_and_refusals(world, signed_in):  # noqa: F811
    sup = signed_in("dc", "supervisor")
    r = sup.post(
        "/reminders",
        data={"task_id": str(world.t21), "message": "请加快招聘", "next": "//evil.example"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == f"/tasks/{world.t21}?reminded=1"
    assert "请加快招聘" in signed_in("rs", "unit_member", unit="人事科").get("/inbox").text
    leader = signed_in("ld", "leader")
    page = leader.get(f"/periods/{world.p2}").text  # a leader reads, but has no buttons
    assert "全部催办" not in page and 'id="period-form"' not in leader.get("/periods").text
    listing = leader.get("/periods").text
    assert f'<a href="/periods/{world.p2}">详情</a>' in listing and "详情与催办" not in listing
    assert leader.post(f"/periods/{world.p2}/remind", data={}).status_code == 403
    assert leader.post("/reminders", data={"task_id": str(world.t21)}).status_code == 403
    assert leader.post("/periods", data={"name": "x"}).status_code == 403
    jj = signed_in("jj", "unit_member", unit="基础教育科")
    for path in ("/periods", f"/periods/{world.p2}"):
        assert jj.get(path).status_code == 403
    assert jj.post(f"/periods/{world.p2}/remind", data={}).status_code == 403
    assert sup.get("/periods/99999").status_code == 404
    assert re.search(r"找不到", sup.get("/periods/99999").text)
