"""The assess layer on the five seed documents (imported once, SQLite: the backend does not matter here)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from duban.assess.compare import compare_plans, indicator_chart, indicator_figures
from duban.assess.indicators import link_quantities
from duban.assess.reconcile import reconcile
from duban.ledger import db, plans
from duban.ledger.models import Plan
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    factory = db.open_ledger(f"sqlite:///{tmp_path_factory.mktemp('seeds') / 'ledger.sqlite3'}")
    with factory() as s:
        for path in sorted(SEEDS.iterdir()):
            plans.import_file(s, path=path)
    with factory() as s:
        yield s
    factory.kw["bind"].dispose()


def _plan(s, kind: str, year: int, issuer_part: str) -> Plan:
    rows = s.execute(select(Plan).where(Plan.kind == kind, Plan.year == year)).scalars().all()
    return next(p for p in rows if issuer_part in (p.issuer or ""))


def test_preschool_indicator_across_the_seeds(seeds):
    figures = indicator_figures(seeds, name="学前三年毛入园率")
    found = {(f.year, f.kind, f.role, f.value, f.placeholder) for f in figures}
    assert (2019, "plan", "target", 93.5, False) in found  # Xuchang
    assert (2020, "summary", "actual", 91.0, False) in found  # Chengde
    assert (2021, "plan", "target", 92.0, False) in found  # Chengde
    assert (2024, "plan", "target", 94.5, False) in found  # another Hebei city
    assert (2018, "report", "actual", None, True) in found  # the redacted x%
    xuchang = next(f for f in figures if f.year == 2019)
    assert xuchang.issuer == "许昌市教育局" and "93.5%" in xuchang.evidence
    chart = indicator_chart(seeds, name="学前三年毛入园率").model_dump(mode="json")
    points = {s["name"]: s["points"] for s in chart["series"]}
    assert points["承德市教育局·实际"] == [[2020, 91.0]] and points["承德市教育局·目标"] == [[2021, 92.0]]


def test_seed_targets_link_to_the_registry(seeds):
    linked = [lq for lq in link_quantities(seeds) if lq.quantity.role == "target"]
    with_indicator = [lq for lq in linked if lq.link]
    assert len(linked) >= 150 and len(with_indicator) >= 25
    wrong = [
        (lq.quantity.indicator, lq.link.indicator)
        for lq in with_indicator
        if lq.link.indicator == "学前三年毛入园率" and "入园率" not in lq.quantity.indicator
    ]
    assert wrong == []


def test_chengde_2020_summary_against_its_2021_targets(seeds):
    summary = _plan(seeds, "summary", 2020, "承德")
    plan = _plan(seeds, "plan", 2021, "承德")
    result = reconcile(seeds, plan_id=plan.id, summary_id=summary.id)
    rows = {r.target_text: r for r in result.rows}
    r = rows["学前三年毛入园率达到92%"]
    assert (r.state, r.actual_value, r.method) == ("not_met", 91.0, "indicator")
    r = rows["在普惠园就读比例达到82%"]
    assert (r.state, r.actual_value, r.indicator) == ("not_met", 80.5, "普惠性幼儿园覆盖率")
    assert rows["确保职普招生结构比不低于4：6"].state == "met"
    assert rows["资助各级各类学生130万人次"].actual_value == 142
    assert rows["高中阶段毛入学率达到93%"].state == "not_mentioned"  # the summary gives no such figure
    assert rows["60%幼儿园"].state == "not_mentioned"  # not the 100所幼儿园 of a partnership
    # the summary's "计划培树100名市级名师、30名市级名校（园）长…" states next year's plan, not a result
    r = rows["培树100名市级名师"]
    assert r.state == "unknown" and r.actual_text == "计划培树100名市级名师" and "计划" in r.note
    assert rows["30名市级名校（园）长"].state == "unknown"
    counts = result.counts()
    assert counts["met"] + counts["not_met"] >= 7 and sum(counts.values()) == len(result.rows) >= 25


def test_plan_against_itself_and_another(seeds):
    plan = _plan(seeds, "plan", 2021, "承德")
    same = compare_plans(seeds, plan_a=plan.id, plan_b=plan.id)
    assert same.counts()["tasks"]["new"] == 0 and same.counts()["tasks"]["dropped"] == 0
    assert same.counts()["headings"]["continued"] >= 6
    other = _plan(seeds, "plan", 2019, "许昌")
    cross = compare_plans(seeds, plan_a=other.id, plan_b=plan.id)
    assert cross.counts()["tasks"]["continued"] < len(cross.tasks) / 2  # two cities, two years: mostly new
