"""The unit inbox's "due soon" is the lights' own due-soon window (one rule: config [lights])."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from duban.ledger import tasks
from duban.ledger.config import Config, LightConfig
from duban.ledger.read.inbox import unit_inbox
from duban.ledger.users import Actor
from tests.ledger.read.helpers import NOW, SUP, setup_plan


def test_due_soon_follows_the_light_config(session):
    ids = setup_plan(session)  # 二/1 (人事科) is overdue on NOW
    tasks.assign(
        session, actor=SUP, task_id=ids["t一/2"], lead_unit_id=ids["人事科"], due_date=date(2024, 9, 20)
    )
    member = Actor("p", "unit_member", unit_id=ids["人事科"])
    week = unit_inbox(session, actor=member, cfg=Config(), now=NOW)  # due_soon_days = 7
    assert [t.id for t in week.due_soon] == [ids["t二/1"]]
    assert {t.id: t.light for t in week.tasks}[ids["t一/2"]] != "blue"
    fortnight = Config(lights=replace(LightConfig(), due_soon_days=14))
    box = unit_inbox(session, actor=member, cfg=fortnight, now=NOW)
    assert [t.id for t in box.due_soon] == [ids["t二/1"], ids["t一/2"]]  # overdue first
    assert {t.id: t.light for t in box.tasks}[ids["t一/2"]] == "blue"  # the same window as its light
