"""What a supervisor weighs before deciding a close-out: the evidence beside each request.

For each task: its targets with the latest reported value and met / not met (the one rule in
`plan.attainment`), the latest report entry (its text, percent, period, unit) with the
attachments it carried, and the task's light history. Read-only; pages and API call it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from duban.ledger.lights import LIGHT_NAMES, RULE_NAMES
from duban.ledger.models import Attachment, LightChange, Period, Report, ReportItem, Unit
from duban.ledger.reported import TargetState, target_states
from duban.plan.attainment import STATE_NAMES


@dataclass
class LatestEntry:
    period: str
    unit: str
    submitted_at: datetime
    percent: float | None
    work_done: str
    problems: str
    attachments: list[tuple[int, str]] = field(default_factory=list)  # (attachment id, original name)


@dataclass
class Evidence:
    task_id: int
    targets: list[TargetState]
    entry: LatestEntry | None
    lights: list[LightStep] = field(default_factory=list)  # the task's light changes, oldest first

    @property
    def short(self) -> list[TargetState]:
        """Targets whose latest figure falls short: approving asks for a reason."""
        return [t for t in self.targets if t.state == "not_met"]

    def target_rows(self) -> list[dict]:
        return [
            {
                "text": t.quantity.text,
                "latest": t.latest.value if t.latest else None,
                "unit": t.quantity.unit,
                "period": t.latest.period if t.latest else "",
                "state": t.state,
                "state_name": STATE_NAMES.get(t.state, "未报送") if t.state else "未报送",
            }
            for t in self.targets
        ]


def latest_entries(session: Session, *, task_ids: list[int]) -> dict[int, LatestEntry]:
    """Task id -> its latest report entry (by submission time) with that entry's attachments."""
    if not task_ids:
        return {}
    rows = session.execute(
        select(ReportItem, Period.name, Unit.name, Report.submitted_at)
        .join(Report, Report.id == ReportItem.report_id)
        .join(Period, Period.id == Report.period_id)
        .join(Unit, Unit.id == Report.unit_id)
        .where(ReportItem.task_id.in_(task_ids))
        .order_by(Report.submitted_at, Report.id)
    ).all()
    latest: dict[int, tuple[ReportItem, LatestEntry]] = {}
    for item, period, unit, at in rows:  # later rows overwrite earlier
        entry = LatestEntry(period, unit, at, item.percent, item.work_done, item.problems)
        latest[item.task_id] = (item, entry)
    item_ids = {item.id: tid for tid, (item, _) in latest.items()}
    if item_ids:
        for aid, item_id, name in session.execute(
            select(Attachment.id, Attachment.report_item_id, Attachment.original_name)
            .where(Attachment.report_item_id.in_(item_ids))
            .order_by(Attachment.id)
        ):
            latest[item_ids[item_id]][1].attachments.append((aid, name))
    return {tid: entry for tid, (_, entry) in latest.items()}


@dataclass(frozen=True)
class LightStep:
    at: datetime
    light: str
    rule: str  # the rule's name in words

    @property
    def name(self) -> str:
        return LIGHT_NAMES.get(self.light, self.light)


def light_history(session: Session, *, task_ids: list[int]) -> dict[int, list[LightStep]]:
    """Task id -> its light changes as `tick` stored them, oldest first."""
    out: dict[int, list[LightStep]] = {}
    if not task_ids:
        return out
    for tid, at, light, rule in session.execute(
        select(LightChange.task_id, LightChange.at, LightChange.light, LightChange.rule)
        .where(LightChange.task_id.in_(task_ids))
        .order_by(LightChange.at, LightChange.id)
    ):
        out.setdefault(tid, []).append(LightStep(at, light, RULE_NAMES.get(rule, rule)))
    return out


def closeout_evidence(session: Session, *, task_ids: list[int]) -> dict[int, Evidence]:
    """Task id -> targets with their latest figures, the latest report entry and the light history."""
    states = target_states(session, task_ids=task_ids)
    entries = latest_entries(session, task_ids=task_ids)
    lights = light_history(session, task_ids=task_ids)
    return {
        tid: Evidence(tid, states.get(tid, []), entries.get(tid), lights.get(tid, [])) for tid in task_ids
    }
