"""Local time: stored UTC shown and typed on the bureau's clock; a day is a local day."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from duban.ledger import clock
from duban.ledger.config import LightConfig
from duban.ledger.read.lights import status_rows

from .test_tasks import World


def test_conversions_default_to_beijing_time(monkeypatch):
    monkeypatch.delenv("DUBAN_TIMEZONE", raising=False)
    stored = datetime(2024, 7, 5, 10, 0)  # naive UTC, as the database keeps it
    assert clock.to_local(stored) == datetime(2024, 7, 5, 18, 0)
    assert clock.to_utc(datetime(2024, 7, 5, 18, 0)) == stored  # typed by a person: local
    assert clock.to_utc(datetime(2024, 7, 5, 10, 0, tzinfo=UTC)) == stored  # an explicit offset wins
    assert clock.local_date(datetime(2024, 7, 5, 16, 30)) == date(2024, 7, 6)  # 00:30 in Beijing
    assert clock.local_iso(stored) == "2024-07-05T18:00+08:00"


def test_another_zone_from_the_environment_and_a_clear_error(monkeypatch):
    monkeypatch.setenv("DUBAN_TIMEZONE", "Europe/Berlin")
    assert clock.to_local(datetime(2024, 1, 15, 12, 0)) == datetime(2024, 1, 15, 13, 0)  # CET
    assert clock.to_local(datetime(2024, 7, 15, 12, 0)) == datetime(2024, 7, 15, 14, 0)  # CEST
    monkeypatch.setenv("DUBAN_TIMEZONE", "Mars/Olympus")
    with pytest.raises(ValueError, match="时区无效"):
        clock.to_local(datetime(2024, 1, 1))


def test_overdue_from_the_first_minute_of_the_local_day(session, monkeypatch):
    monkeypatch.delenv("DUBAN_TIMEZONE", raising=False)
    w = World(session)
    w.do("assign", "supervisor", lead_unit_id=w.lead, due_date=date(2024, 7, 10))
    cfg = LightConfig()
    # 15:59 UTC on the 10th is 23:59 in Beijing: due today, not late
    assert status_rows(session, now=datetime(2024, 7, 10, 15, 59), cfg=cfg)[0].light != "red"
    # 16:01 UTC is 00:01 on the 11th in Beijing: overdue, though UTC still says the 10th
    late = datetime(2024, 7, 10, 16, 1)
    assert status_rows(session, now=late, cfg=cfg)[0].light == "red"
    assert [r.task_id for r in status_rows(session, now=late, cfg=cfg, only_light="red")] == [w.task_id]
