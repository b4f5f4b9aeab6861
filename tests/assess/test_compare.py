"""Indicator series across documents and plan against plan, on made-up plans."""

from __future__ import annotations

import pytest

from duban.assess.compare import compare_plans, indicator_chart, indicator_figures
from duban.ledger.errors import NotFoundError

from .helpers import doc, load, q


def test_indicator_across_years_and_bureaus(session):
    items = [("一", "学前教育", "")]
    load(
        session,
        doc("plan", 2023, items, [q("一", "毛入园率达到90%", "毛入园率", 90, "%", "target")], "甲市教育局"),
        name="a",
    )
    load(
        session,
        doc(
            "summary",
            2023,
            items,
            [
                q("一", "学前三年毛入园率达到91%", "学前三年毛入园率", 91, "%", "actual"),
                q("一", "学前三年毛入园率达到x%", "学前三年毛入园率", None, "%", "actual"),
            ],
            "甲市教育局",
        ),
        name="b",
    )
    load(
        session,
        doc(
            "plan",
            2024,
            items,
            [
                q("一", "学前教育毛入园率达到93%以上", "学前教育毛入园率", 93, "%", "target", ">="),
                q("一", "高中阶段毛入学率达到93%", "高中阶段毛入学率", 93, "%", "target"),
            ],
            "乙市教育局",
        ),
        name="c",
    )
    figures = indicator_figures(session, name="学前三年毛入园率")
    assert [(f.year, f.issuer, f.role, f.value) for f in figures] == [
        (2023, "甲市教育局", "target", 90),
        (2023, "甲市教育局", "actual", 91),
        (2023, "甲市教育局", "actual", None),
        (2024, "乙市教育局", "target", 93),
    ]
    assert figures[-1].comparator == ">=" and figures[-1].evidence == "学前教育毛入园率达到93%以上"
    chart = indicator_chart(session, name="毛入园率").model_dump(mode="json")
    assert chart["unit"] == "%" and chart["years"] == [2023, 2024]
    assert {s["name"]: s["points"] for s in chart["series"]} == {
        "甲市教育局·实际": [[2023, 91]],
        "甲市教育局·目标": [[2023, 90]],
        "乙市教育局·目标": [[2024, 93]],
    }
    assert [n["placeholder"] for n in chart["notes"]] == [True]
    with pytest.raises(NotFoundError):
        indicator_figures(session, name="不存在的指标")


def test_plan_against_plan(session):
    a = [
        ("一", "推进学前教育普及普惠发展", ""),
        ("一/1", "新建改扩建幼儿园20所", ""),
        ("一/2", "加强幼儿园保教质量监测", ""),
        ("二", "加强教师队伍建设", ""),
        ("二/1", "实施县管校聘管理改革", ""),
    ]
    b = [
        ("一", "推进学前教育普惠发展", ""),
        ("一/1", "新建改扩建幼儿园30所", ""),
        ("一/2", "开展托幼一体化试点", ""),
        ("二", "深化教育评价改革", ""),
        ("二/1", "深化县管校聘管理改革", ""),
    ]
    pa, pb = load(session, doc("plan", 2023, a, []), doc("plan", 2024, b, []))
    result = compare_plans(session, plan_a=pa, plan_b=pb)
    assert result.counts() == {
        "headings": {"continued": 1, "new": 1, "dropped": 1},
        "tasks": {"continued": 2, "new": 1, "dropped": 1},
    }
    pairs = {(m.a_title, m.b_title) for m in result.tasks if m.status == "continued"}
    assert pairs == {
        ("新建改扩建幼儿园20所", "新建改扩建幼儿园30所"),
        ("实施县管校聘管理改革", "深化县管校聘管理改革"),
    }
    assert [m.b_title for m in result.tasks if m.status == "new"] == ["开展托幼一体化试点"]
    assert [m.a_title for m in result.headings if m.status == "dropped"] == ["加强教师队伍建设"]
