"""Year-end pages on both backends: reconciliation with corrections, the indicator registry, an
indicator over the years (table and chart data), plan against plan, assessment, the exports page and
its downloads; escaping; refusals per role."""

from __future__ import annotations

import html
import io
import json
import re

from openpyxl import load_workbook
from sqlalchemy import select

from duban.ledger.models import AuditRecord
from tests.assess.helpers import doc, load, q
from tests.web.api.test_year import SCRIPT, make_period, year_data


def csrf(c) -> str:
    return c.headers["X-CSRF-Token"]


def post_form(c, path: str, **fields):
    return c.post(path, data={"csrf_token": csrf(c), **fields}, follow_redirects=False)


def row_of(page: str, target_id: int) -> str:
    m = re.search(rf'<tr id="t{target_id}".*?</tr>', page, re.S)
    assert m, f"row t{target_id} missing"
    return m.group(0)


def test_reconcile_page_shows_both_sides_and_a_correction_wins(signed_in, Session):  # noqa: N803
    ids = year_data(Session)
    sup = signed_in("s1", "supervisor")
    page = sup.get("/year/reconcile", params={"plan_id": ids["plan"]})
    assert page.status_code == 200, page.text
    text = page.text
    # the summary of the year before is chosen by default, and named
    assert f'<option value="{ids["summary"]}" selected>' in text and "某市教育局2023年工作总结" in text
    met = row_of(text, ids["q:学前三年毛入园率达到95%以上"])
    assert "全市学前三年毛入园率达到96.2%" in met and 'class="att met"' in met
    not_met = row_of(text, ids["q:普惠性幼儿园覆盖率达到85%"])
    assert "普惠园覆盖率83%" in not_met and 'class="att not_met"' in not_met
    # the redacted x% cannot be judged
    assert 'class="att unknown"' in row_of(text, ids["q:教师培训覆盖率达到100%"])
    # counts add up to the rows
    counts = {
        k: int(re.search(rf'id="count-{k}".*?kpi-value">(\d+)<', text, re.S).group(1))
        for k in ("met", "not_met", "not_mentioned", "unknown")
    }
    assert counts["met"] >= 2 and sum(counts.values()) == text.count('<tr id="t')
    # the same table as Excel, for the year-end meeting
    href = f"/exports/reconcile?plan_id={ids['plan']}&summary_id={ids['summary']}"
    assert f'href="{href}" id="rec-xlsx"' in text
    xlsx = sup.get(f"/exports/reconcile?plan_id={ids['plan']}&summary_id={ids['summary']}")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    # markup in a target is text, never a tag
    assert SCRIPT not in text and html.escape(SCRIPT) in text

    # correct one row through the form: back on the page, with the figure chosen by a person
    target = ids["q:普惠性幼儿园覆盖率达到85%"]
    r = post_form(
        sup,
        "/year/reconcile/correct",
        plan_id=str(ids["plan"]),
        target_id=str(target),
        summary_id=str(ids["summary"]),
        actual_id="",
        note="口径不同",
    )
    assert r.status_code == 303 and r.headers["location"].endswith(f"#t{target}")
    after = sup.get(r.headers["location"].split("#")[0])
    assert "已更正对照结果" in after.text
    row = row_of(after.text, target)
    assert 'class="att not_mentioned"' in row and "人工更正（s1）" in row and "口径不同" in row
    with Session() as s:
        assert s.execute(select(AuditRecord).where(AuditRecord.action == "reconcile.correct")).first()

    # filter by state; the ledger's reports as the source
    only = sup.get("/year/reconcile", params={"plan_id": ids["plan"], "state": "met"}).text
    assert only.count('<tr id="t') == counts["met"] and 'class="att not_met"' not in only
    reports_mode = sup.get("/year/reconcile", params={"plan_id": ids["plan"], "summary_id": "reports"})
    assert "各单位进展报送中最新的实际值" in reports_mode.text
    assert sup.get("/year/reconcile", params={"plan_id": ids["plan"], "state": "done"}).status_code == 422


def test_reconcile_page_refusals(signed_in, Session):  # noqa: N803
    ids = year_data(Session)
    leader = signed_in("l1", "leader")
    page = leader.get("/year/reconcile", params={"plan_id": ids["plan"]})
    assert page.status_code == 200 and "fix-form" not in page.text  # reads, no correction forms
    target = ids["q:普惠性幼儿园覆盖率达到85%"]
    form = {"plan_id": str(ids["plan"]), "target_id": str(target), "summary_id": str(ids["summary"])}
    assert post_form(leader, "/year/reconcile/correct", **form).status_code == 403
    member = signed_in("m1", "unit_member", "基础教育科")
    assert member.get("/year/reconcile").status_code == 403
    assert "无权访问" in member.get("/year/reconcile").text
    sup = signed_in("s1", "supervisor")
    # a figure of another document: a Chinese message on the page, nothing stored
    wrong = post_form(sup, "/year/reconcile/correct", **form, actual_id=str(target))
    assert wrong.status_code == 303 and "error=" in wrong.headers["location"]
    assert "不属于总结" in sup.get(wrong.headers["location"]).text
    # without the CSRF token the form is refused
    r = sup.post("/year/reconcile/correct", data=form, headers={"X-CSRF-Token": ""}, follow_redirects=False)
    assert r.status_code == 403
    with Session() as s:
        assert not s.execute(select(AuditRecord).where(AuditRecord.action == "reconcile.correct")).first()
    assert signed_in("a1", "admin").get("/year/reconcile", params={"plan_id": 999}).status_code == 404


def test_indicator_registry_page_lists_and_edits(signed_in, Session):  # noqa: N803
    year_data(Session)
    sup = signed_in("s1", "supervisor")
    page = sup.get("/year/indicators")
    assert page.status_code == 200
    # default registry entries with their linked targets and actuals, linked to the comparison
    m = re.search(r'<a href="/year/compare\?name=[^"]+">学前三年毛入园率</a>.*?</tr>', page.text, re.S)
    # one target (95%), two actuals (96.2% and the change of 1.2 points)
    assert m and re.findall(r'<td class="num">(\d+)</td>', m.group(0))[:2] == ["1", "2"]
    r = post_form(sup, "/year/indicators/alias", name="学前三年毛入园率", alias="三年入园率")
    assert r.status_code == 303
    after = sup.get(r.headers["location"])
    assert "已为“学前三年毛入园率”新增别名：三年入园率" in after.text and "三年入园率" in after.text
    r = post_form(
        sup,
        "/year/indicators/add",
        name="研学实践基地数",
        unit="个",
        category="素质教育",
        aliases="研学基地、研学实践基地",
    )
    assert r.status_code == 303 and "已新增指标：研学实践基地数" in sup.get(r.headers["location"]).text
    dup = post_form(sup, "/year/indicators/add", name="研学实践基地数")
    assert "error=" in dup.headers["location"]
    assert 'role="alert"' in sup.get(dup.headers["location"]).text
    empty = post_form(sup, "/year/indicators/alias", name="学前三年毛入园率", alias=" ")
    assert "请填写别名" in sup.get(empty.headers["location"]).text
    found = sup.get("/year/indicators", params={"q": "研学基地"}).text
    assert "研学实践基地数" in found and "学前三年毛入园率</a>" not in found

    leader = signed_in("l1", "leader")
    assert leader.get("/year/indicators").status_code == 200
    assert 'action="/year/indicators/alias"' not in leader.get("/year/indicators").text
    assert post_form(leader, "/year/indicators/alias", name="学前三年毛入园率", alias="x").status_code == 403
    assert post_form(leader, "/year/indicators/grow").status_code == 403
    assert signed_in("au", "audit_admin").get("/year/indicators").status_code == 403


def test_indicator_comparison_page_table_and_chart(signed_in, Session):  # noqa: N803
    year_data(Session)
    with Session() as s:  # the same indicator in another bureau's plan of 2025
        load(
            s,
            doc(
                "plan",
                2025,
                [("一", "学前教育", "学前三年毛入园率达到97%。")],
                [q("一", "学前三年毛入园率达到97%", "学前三年毛入园率", 97, "%", "target")],
                issuer="另一市教育局",
            ),
            name="other.txt",
        )
    sup = signed_in("s1", "supervisor")
    page = sup.get("/year/compare", params={"name": "学前三年毛入园率"})
    assert page.status_code == 200
    rows = re.findall(r"<tr>\s*<td class=\"num\">(\d{4})</td>.*?</tr>", page.text, re.S)
    # the summary's two actuals (96.2%, +1.2 points), then both targets, by year
    assert rows == ["2023", "2023", "2024", "2025"]
    chart = json.loads(html.unescape(re.search(r"data-series='([^']*)'", page.text).group(1)))
    series = {s["name"]: s["points"] for s in chart["series"]}
    assert series["某市教育局·实际"] == [[2023, 96.2]] and series["某市教育局·目标"] == [[2024, 95.0]]
    assert series["另一市教育局·目标"] == [[2025, 97.0]] and chart["unit"] == "%"
    assert len(chart["notes"]) == 1 and "未画入图中：1 条" in page.text  # the change is listed, not drawn
    assert "/static/year.js" in page.text and "/static/vendor/echarts-6.1.0/echarts.min.js" in page.text
    # by alias; an unknown indicator is a 404 page
    assert "学前三年毛入园率" in sup.get("/year/compare", params={"name": "学前三年毛入园率"}).text
    assert sup.get("/year/compare", params={"name": "无此指标"}).status_code == 404
    assert signed_in("m1", "unit_member", "基础教育科").get("/year/compare").status_code == 403


def test_plan_against_plan_page(signed_in, Session):  # noqa: N803
    with Session() as s:
        (a,) = load(
            s,
            doc(
                "plan",
                2023,
                [
                    ("一", "推进学前教育普及普惠", ""),
                    ("一/1", "发展校园足球", ""),
                    ("一/2", "建设智慧校园", ""),
                ],
                [],
            ),
            name="a.txt",
        )
        (b,) = load(
            s,
            doc(
                "plan",
                2024,
                [
                    ("一", "推进学前教育普及普惠", ""),
                    ("一/1", "发展校园足球", ""),
                    ("一/2", "实施课后服务", ""),
                ],
                [],
            ),
            name="b.txt",
        )
    sup = signed_in("s1", "supervisor")
    page = sup.get("/year/plans")  # newest against the one before, by default
    assert page.status_code == 200
    assert f'<option value="{a}" selected>' in page.text.split('id="pc-b"')[0]
    tasks = re.search(r'id="pc-tasks".*?</table>', page.text, re.S).group(0)
    statuses = dict(
        re.findall(r'<span class="tag st-(\w+)">[^<]+</span></td>\s*<td>.*?>([^<]+)</a>', tasks, re.S)
    )
    assert statuses == {"continued": "发展校园足球", "dropped": "建设智慧校园", "new": "实施课后服务"}
    assert sup.get("/year/plans", params={"a": a, "b": a}).status_code == 422
    assert sup.get("/year/plans", params={"a": a, "b": 999}).status_code == 404


def test_assessment_page_ranks_units_with_every_point(signed_in, Session):  # noqa: N803
    make_period(Session)
    leader = signed_in("l1", "leader")
    page = leader.get("/year/assessment")
    assert page.status_code == 200
    assert '<option value="2024年8月" selected>' in page.text
    table = re.search(r'id="as-table".*?</table>', page.text, re.S).group(0)
    assert "人事科" in table and 'class="pts neg"' in table  # the overdue task costs points, shown
    assert re.search(r"逾期未销号|逾期", table)
    assert 'href="/exports/assessment?period=2024%E5%B9%B48%E6%9C%88"' in page.text
    assert leader.get("/year/assessment", params={"period": "无此周期"}).status_code == 404
    assert signed_in("m1", "unit_member", "基础教育科").get("/year/assessment").status_code == 403
    empty = signed_in("s1", "supervisor")
    assert empty.get("/year").status_code == 200  # /year opens the first tab


def test_exports_page_and_downloads(signed_in, Session):  # noqa: N803
    ids = make_period(Session)
    sup = signed_in("s1", "supervisor")
    page = sup.get("/exports")
    assert page.status_code == 200
    kinds = (
        "decomposition",
        "bulletin",
        "summary-draft",
        "reconcile",
        "ledger",
        "assessment",
        "assessment-details",
    )
    for kind in kinds:
        assert f'id="ex-{kind}"' in page.text and f'action="/exports/{kind}"' in page.text
    plan_id = int(re.search(r'id="ex-decomposition".*?<option value="(\d+)"', page.text, re.S).group(1))
    r = sup.get("/exports/decomposition", params={"plan_id": plan_id, "format": "xlsx"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in r.headers["content-disposition"]
    ws = load_workbook(io.BytesIO(r.content)).active
    assert [c.value for c in ws[next(i for i in range(1, 6) if ws.cell(i, 1).value == "序号")]][:3] == [
        "序号",
        "工作任务",
        "目标任务/具体措施",
    ]
    r = sup.get("/exports/assessment", params={"period": "2024年8月"})
    assert (
        r.status_code == 200
        and r.content.startswith("\ufeff".encode())
        and "人事科" in r.content.decode("utf-8")
    )
    r = sup.get("/exports/bulletin", params={"period": "2024年8月", "issuer": "督查室"})
    assert r.status_code == 200 and r.content[:2] == b"PK"
    # mistakes are Chinese pages, not traces
    bad = sup.get("/exports/decomposition")
    assert bad.status_code == 422 and "需要选择计划" in bad.text
    assert sup.get("/exports/nothing").status_code == 422
    assert sup.get("/exports/decomposition", params={"plan_id": plan_id, "format": "pdf"}).status_code == 422
    member = signed_in("m1", "unit_member", "人事科")
    assert member.get("/exports").status_code == 403
    assert member.get("/exports/ledger").status_code == 403
    assert ids  # the world the downloads came from
