"""Per-unit assessment (考核) for a reporting period, from configurable rules, every point explained.

A unit is assessed on the tasks it leads:
- each task due in the period (by its due date, extended or not): closed by then, closed
  late, or still open once due;
- each such task whose deadline was extended (an approved extension);
- its report for the period: on time, late, or missing once the cut-off has passed;
- each target of its tasks with a figure in that report: met or not (`attainment`).
The rate is the total over the most the unit could have scored; units rank by rate, then total.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from pydantic import computed_field
from sqlalchemy import select
from sqlalchemy.orm import Session

from duban.assess.config import AssessmentConfig, load_assessment_config
from duban.ledger.clock import local_date, to_local
from duban.ledger.db import utcnow
from duban.ledger.errors import NotFoundError
from duban.ledger.models import Period, Quantity, Report, ReportItem, ReportValue, Task, TaskUnit, Unit
from duban.plan.attainment import reported

RULE_NAMES = {
    "closed_on_time": "按时办结",
    "closed_late": "逾期办结",
    "overdue_open": "逾期未办结",
    "report_on_time": "按时报送",
    "report_late": "逾期报送",
    "report_missing": "未报送",
    "target_met": "目标达成",
    "target_not_met": "目标未达成",
    "extension_approved": "延期",
}


@dataclass
class Point:
    """One line of a unit's breakdown."""

    rule: str
    points: float
    detail: str
    task_id: int | None = None

    @computed_field
    @property
    def rule_name(self) -> str:
        return RULE_NAMES[self.rule]


@dataclass
class UnitScore:
    unit_id: int
    unit_name: str
    total: float = 0.0
    possible: float = 0.0
    rank: int = 0
    breakdown: list[Point] = field(default_factory=list)

    @computed_field
    @property
    def rate(self) -> float | None:
        """Percent of the most the unit could have scored; None when nothing was due."""
        return round(100.0 * self.total / self.possible, 1) if self.possible > 0 else None

    @computed_field(alias="counts")
    @property
    def rule_counts(self) -> dict[str, int]:
        """How many lines of each rule (answered as "counts")."""
        out = {r: 0 for r in RULE_NAMES}
        for p in self.breakdown:
            out[p.rule] += 1
        return out

    def counts(self) -> dict[str, int]:
        return self.rule_counts

    def add(
        self, cfg: AssessmentConfig, rule: str, detail: str, *, best: str | None, task_id: int | None = None
    ) -> None:
        """Score `rule`; `best` is the rule the unit could at most have earned for the same event."""
        points = getattr(cfg, rule)
        self.breakdown.append(Point(rule, points, detail, task_id))
        self.total += points
        if best is not None:
            self.possible += max(getattr(cfg, best), 0.0)


def get_period(session: Session, *, name: str) -> Period:
    period = session.execute(select(Period).where(Period.name == name)).scalar_one_or_none()
    if period is None:
        raise NotFoundError(f"报送周期不存在：{name}")
    return period


def _label(task: Task) -> str:
    return f"任务{task.id}《{task.title[:30]}》"


def assess_period(
    session: Session, *, period_name: str, cfg: AssessmentConfig | None = None, now: datetime | None = None
) -> list[UnitScore]:
    """Scores of every unit that leads a task, ranked, each with its breakdown."""
    cfg = cfg or load_assessment_config()
    now = now or utcnow()
    period = get_period(session, name=period_name)
    leads = session.execute(
        select(TaskUnit.unit_id, Task)
        .join(Task, Task.id == TaskUnit.task_id)
        .where(TaskUnit.role == "lead", Task.removed_at.is_(None))
        .order_by(Task.plan_id, Task.position)
    )
    by_unit: dict[int, list[Task]] = {}
    for unit_id, task in leads:
        by_unit.setdefault(unit_id, []).append(task)
    reports = {
        r.unit_id: r for r in session.execute(select(Report).where(Report.period_id == period.id)).scalars()
    }
    scores = []
    for unit_id, tasks in by_unit.items():
        unit = session.get(Unit, unit_id)
        score = UnitScore(unit_id, unit.name)
        _score_tasks(score, cfg, tasks, period, now)
        _score_report(score, cfg, reports.get(unit_id), period, now)
        if unit_id in reports:
            _score_targets(session, score, cfg, reports[unit_id], {t.id for t in tasks})
        scores.append(score)
    scores.sort(key=lambda s: (s.rate is None, -(s.rate or 0.0), -s.total, s.unit_name))
    for i, s in enumerate(scores, 1):
        s.rank = i
    return scores


def _score_tasks(
    score: UnitScore, cfg: AssessmentConfig, tasks: list[Task], period: Period, now: datetime
) -> None:
    for task in tasks:
        due = task.due_date
        if due is None or not (period.start <= due <= period.end):
            continue
        if task.extension_status == "approved":
            score.add(cfg, "extension_approved", f"{_label(task)}延期至 {due}", best=None, task_id=task.id)
        if task.status == "closed" and task.closed_at is not None:
            on_time = local_date(task.closed_at) <= due
            rule = "closed_on_time" if on_time else "closed_late"
            score.add(
                cfg,
                rule,
                f"{_label(task)}于 {local_date(task.closed_at)} 办结，时限 {due}",
                best="closed_on_time",
                task_id=task.id,
            )
        elif due < local_date(now):
            score.add(
                cfg,
                "overdue_open",
                f"{_label(task)}时限 {due}，尚未办结",
                best="closed_on_time",
                task_id=task.id,
            )


def _score_report(
    score: UnitScore, cfg: AssessmentConfig, report: Report | None, period: Period, now: datetime
) -> None:
    if report is not None:
        rule = "report_late" if report.late else "report_on_time"
        score.add(
            cfg,
            rule,
            f"{period.name}报送于 {to_local(report.submitted_at):%Y-%m-%d %H:%M}",
            best="report_on_time",
        )
    elif now > period.cutoff:
        score.add(
            cfg,
            "report_missing",
            f"{period.name}截至 {to_local(period.cutoff):%Y-%m-%d %H:%M} 未报送",
            best="report_on_time",
        )


def _score_targets(
    session: Session, score: UnitScore, cfg: AssessmentConfig, report: Report, task_ids: set[int]
) -> None:
    stmt = (
        select(ReportValue, Quantity)
        .join(ReportItem, ReportItem.id == ReportValue.report_item_id)
        .join(Quantity, Quantity.id == ReportValue.quantity_id)
        .where(ReportItem.report_id == report.id, Quantity.role == "target", Quantity.removed_at.is_(None))
        .order_by(Quantity.id)
    )
    for rv, q in session.execute(stmt):
        if q.task_id not in task_ids:
            continue
        state = reported(q, rv.value)
        if state == "unknown":
            continue
        rule = "target_met" if state == "met" else "target_not_met"
        shown = "未填" if rv.value is None else f"{rv.value:g}{q.unit}"
        score.add(cfg, rule, f"“{q.text}”报送 {shown}", best="target_met", task_id=q.task_id)


def assessment_rows(scores: list[UnitScore]) -> list[dict]:
    """Flat rows for export (one per unit): rank, unit, total, possible, rate, count of each rule."""
    rows = []
    for s in scores:
        row = {
            "排名": s.rank,
            "单位": s.unit_name,
            "得分": round(s.total, 2),
            "满分": round(s.possible, 2),
            "得分率": s.rate,
        }
        for rule, n in s.counts().items():
            row[RULE_NAMES[rule]] = n
        rows.append(row)
    return rows


def breakdown_rows(scores: list[UnitScore]) -> list[dict]:
    """Flat rows for export (one per point): unit, rule, points, detail, task."""
    return [
        {"单位": s.unit_name, "项目": p.rule_name, "分值": p.points, "说明": p.detail, "任务编号": p.task_id}
        for s in scores
        for p in s.breakdown
    ]
