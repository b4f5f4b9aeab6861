"""销号 with evidence: what the supervisor sees beside a request, and the 审核意见 an unmet target asks for."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from duban.ledger import reports, tasks
from duban.ledger.errors import ValidationError
from duban.ledger.evidence import closeout_evidence
from duban.ledger.read.timeline import timeline
from duban.ledger.users import Actor
from tests.exports.conftest import build_world

SUP = Actor("dc1", "supervisor")


@pytest.fixture
def world(session):
    w = build_world(session)
    w.jj = Actor("jj1", "unit_member", unit_id=w.units["基础教育科"])
    p = reports.create_period(
        session,
        actor=SUP,
        name="2024-07",
        start=date(2024, 7, 1),
        end=date(2024, 7, 31),
        cutoff=datetime(2024, 8, 5),
    )
    reports.submit(  # the next report, with a file as evidence
        session,
        actor=w.jj,
        unit_id=w.units["基础教育科"],
        period_id=p.id,
        entries=[
            reports.Entry(
                task_id=w.tasks["一/2"],
                work_done="入园率93%，差1.5个百分点",
                problems="新建园尚未招满",
                percent=95,
                values={w.quantities["学前三年毛入园率达到94.5%以上"]: 93},
                attachments=[("入园统计.xlsx", b"PK fake but bytes")],
            )
        ],
        now=datetime(2024, 7, 8),
    )
    tasks.transition(
        session, actor=w.jj, task_id=w.tasks["一/2"], action="request_closeout", now=datetime(2024, 7, 9)
    )
    return w


def test_evidence_beside_a_request(session, world):
    tid = world.tasks["一/2"]
    ev = closeout_evidence(session, task_ids=[tid])[tid]
    assert [(r["text"], r["latest"], r["state"]) for r in ev.target_rows()] == [
        ("学前三年毛入园率达到94.5%以上", 93, "not_met")
    ]
    assert [t.quantity.text for t in ev.short] == ["学前三年毛入园率达到94.5%以上"]
    assert (ev.entry.work_done, ev.entry.problems, ev.entry.percent) == (
        "入园率93%，差1.5个百分点",
        "新建园尚未招满",
        95,
    )
    assert [name for _, name in ev.entry.attachments] == ["入园统计.xlsx"]
    met = world.tasks["一/1"]
    assert closeout_evidence(session, task_ids=[met])[met].short == []


def test_closing_an_unmet_target_asks_for_an_opinion(session, world):
    tid = world.tasks["一/2"]
    with pytest.raises(ValidationError, match=r"目标未达到：学前三年毛入园率达到94.5%以上（最新报送93%）"):
        tasks.transition(session, actor=SUP, task_id=tid, action="close")
    assert tasks.get_task(session, task_id=tid).status == "closeout_requested"  # nothing half-written
    with pytest.raises(ValidationError):
        tasks.transition(session, actor=SUP, task_id=tid, action="close", reason="   ")
    tasks.transition(
        session, actor=SUP, task_id=tid, action="close", reason="差距系统计口径调整，经核实同意销号"
    )
    assert tasks.get_task(session, task_id=tid).status == "closed"
    # the unit sees the opinion on its task page's history
    events = timeline(session, actor=world.jj, task_id=tid)
    close = next(e for e in events if e.title == "销号")
    assert close.detail == "审核意见：差距系统计口径调整，经核实同意销号" and close.actor == "dc1"


@pytest.mark.parametrize("action", ["return", "approve_extension", "reject_contest"])
def test_every_decision_keeps_its_opinion(session, world, action):
    tid = world.tasks["一/2"]
    if action != "return":
        tasks.transition(session, actor=SUP, task_id=tid, action="return", reason="请补充佐证")
        tasks.transition(session, actor=world.jj, task_id=tid, action="resume")
        if action == "approve_extension":
            tasks.transition(
                session,
                actor=world.jj,
                task_id=tid,
                action="request_extension",
                due_date=date(2024, 9, 30),
                reason="招生未结束",
            )
        else:
            tasks.transition(
                session,
                actor=world.jj,
                task_id=tid,
                action="contest",
                contest_kind="long_term",
                reason="需持续推进",
            )
    tasks.transition(session, actor=SUP, task_id=tid, action=action, reason="同意，按新时限推进")
    title = tasks.ACTION_NAMES[action]
    event = next(e for e in timeline(session, actor=world.jj, task_id=tid) if e.title == title)
    assert "审核意见：同意，按新时限推进" in event.detail


def test_tick_keeps_the_light_history_with_its_rule(session, world):
    from duban.ledger.config import Config
    from duban.ledger.reminders import tick

    tid = world.tasks["一/2"]
    tasks.transition(session, actor=SUP, task_id=tid, action="return", reason="请补充")
    tick(session, cfg=Config(), now=datetime(2024, 5, 10))  # before the deadline: the figure is short
    tick(session, cfg=Config(), now=datetime(2024, 5, 11))  # unchanged: nothing new recorded
    tick(session, cfg=Config(), now=datetime(2024, 7, 10))  # past the deadline
    steps = closeout_evidence(session, task_ids=[tid])[tid].lights
    assert [(s.name, s.rule) for s in steps] == [("黄灯", "报送值未达到目标"), ("红灯", "已超过完成时限")]
