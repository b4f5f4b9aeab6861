"""Per-unit scores for a period from the [assessment] rules, on a small made-up ledger."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from duban.assess.config import AssessmentConfig, load_assessment_config
from duban.assess.scoring import assess_period, assessment_rows, breakdown_rows
from duban.ledger import reports, tasks
from duban.ledger.errors import NotFoundError
from duban.ledger.models import Quantity, Task, Unit
from duban.ledger.users import Actor
from tests.conftest import small_plan

from .helpers import load

SUP = Actor("dc1", "supervisor")


@pytest.fixture
def ledger(session):
    """基础教育科 leads 一/1 (closed on time, extended) and 一/2 (overdue); 人事科 leads 二/1 (closed late)."""
    units = [Unit(name="基础教育科"), Unit(name="人事科"), Unit(name="财务科")]
    session.add_all(units)
    session.commit()
    basic, staff, finance = (u.id for u in units)
    load(session, *small_plan().documents)
    ids = dict(session.execute(select(Task.path, Task.id)).all())
    qid = dict(session.execute(select(Quantity.text, Quantity.id)).all())
    tasks.assign(
        session,
        actor=SUP,
        task_id=ids["一/1"],
        lead_unit_id=basic,
        co_unit_ids=[finance],
        due_date=date(2024, 6, 10),
    )
    tasks.assign(session, actor=SUP, task_id=ids["一/2"], lead_unit_id=basic, due_date=date(2024, 6, 20))
    tasks.assign(session, actor=SUP, task_id=ids["二/1"], lead_unit_id=staff, due_date=date(2024, 6, 15))
    period = reports.create_period(
        session,
        actor=SUP,
        name="2024-06",
        start=date(2024, 6, 1),
        end=date(2024, 6, 30),
        cutoff=datetime(2024, 7, 5),
    )
    member = Actor("jj", "unit_member", unit_id=basic)
    tasks.transition(session, actor=member, task_id=ids["一/1"], action="start")
    tasks.transition(
        session,
        actor=member,
        task_id=ids["一/1"],
        action="request_extension",
        due_date=date(2024, 6, 25),
        reason="雨季",
    )
    tasks.transition(session, actor=SUP, task_id=ids["一/1"], action="approve_extension")
    reports.submit(
        session,
        actor=member,
        unit_id=basic,
        period_id=period.id,
        now=datetime(2024, 7, 1),
        entries=[
            reports.Entry(task_id=ids["一/1"], work_done="建成12所", values={qid["新建幼儿园10所"]: 12}),
            reports.Entry(
                task_id=ids["一/2"], work_done="93%", values={qid["学前三年毛入园率达到94.5%以上"]: 93}
            ),
        ],
    )
    staff_member = Actor("rs", "unit_member", unit_id=staff)
    tasks.transition(session, actor=staff_member, task_id=ids["二/1"], action="start")
    reports.submit(
        session, actor=staff_member, unit_id=staff, period_id=period.id, now=datetime(2024, 7, 8), entries=[]
    )
    for tid, who in ((ids["一/1"], member), (ids["二/1"], staff_member)):
        tasks.transition(session, actor=who, task_id=tid, action="request_closeout")
        tasks.transition(session, actor=SUP, task_id=tid, action="close")
    # close times: 一/1 by its extended date, 二/1 after its date
    session.get(Task, ids["一/1"]).closed_at = datetime(2024, 6, 24)
    session.get(Task, ids["二/1"]).closed_at = datetime(2024, 6, 18)
    session.commit()
    return {"basic": basic, "staff": staff}


def test_scores_breakdown_and_ranking(session, ledger):
    scores = assess_period(session, period_name="2024-06", cfg=AssessmentConfig(), now=datetime(2024, 7, 10))
    by_name = {s.unit_name: s for s in scores}
    basic = by_name["基础教育科"]
    assert sorted((p.rule, p.points) for p in basic.breakdown) == sorted(
        [
            ("extension_approved", -2.0),
            ("closed_on_time", 10.0),
            ("overdue_open", -5.0),
            ("report_on_time", 10.0),
            ("target_met", 3.0),
            ("target_not_met", 0.0),
        ]
    )
    assert basic.total == 16 and basic.possible == 10 + 10 + 10 + 3 + 3
    staff = by_name["人事科"]
    assert sorted(p.rule for p in staff.breakdown) == ["closed_late", "report_late"]
    assert staff.total == 10 and staff.rate == 50.0
    assert [s.unit_name for s in scores] == ["人事科", "基础教育科"]  # 50% against 44.4%
    assert [s.rank for s in scores] == [1, 2]
    rows = assessment_rows(scores)
    assert rows[1]["单位"] == "基础教育科" and rows[1]["得分"] == 16 and rows[1]["延期"] == 1
    assert any("延期至 2024-06-25" in r["说明"] for r in breakdown_rows(scores))


def test_rules_from_configuration(session, ledger, tmp_path):
    path = tmp_path / "duban.toml"
    path.write_text(
        "[lights]\ndue_soon_days = 3\n[assessment]\nextension_approved = 0\nclosed_late = 8\n",
        encoding="utf-8",
    )
    cfg = load_assessment_config(path)
    assert cfg.closed_late == 8 and cfg.closed_on_time == 10
    scores = {
        s.unit_name: s
        for s in assess_period(session, period_name="2024-06", cfg=cfg, now=datetime(2024, 7, 10))
    }
    assert scores["人事科"].total == 13 and scores["基础教育科"].total == 18
    assert load_assessment_config(tmp_path / "missing.toml") == AssessmentConfig()
    path.write_text("[assessment]\nbonus = 1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="未知"):
        load_assessment_config(path)
    with pytest.raises(NotFoundError):
        assess_period(session, period_name="2099-01", cfg=cfg)


def test_missing_report_counts_after_cutoff(session, ledger):
    from duban.ledger.models import Report

    session.delete(session.execute(select(Report).where(Report.unit_id == ledger["staff"])).scalar_one())
    session.commit()
    before = {
        s.unit_name: s
        for s in assess_period(
            session, period_name="2024-06", cfg=AssessmentConfig(), now=datetime(2024, 7, 1)
        )
    }
    assert (
        "report_missing" not in before["人事科"].counts() or before["人事科"].counts()["report_missing"] == 0
    )
    after = {
        s.unit_name: s
        for s in assess_period(
            session, period_name="2024-06", cfg=AssessmentConfig(), now=datetime(2024, 7, 6)
        )
    }
    assert after["人事科"].counts()["report_missing"] == 1
