"""Comparison across documents: one indicator over years and bureaus, and a plan against another plan."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel
from rapidfuzz import fuzz
from sqlalchemy import select
from sqlalchemy.orm import Session

from duban.assess.indicators import link_quantities, load_registry
from duban.assess.reconcile import evidence
from duban.ledger.errors import NotFoundError
from duban.ledger.models import Task
from duban.ledger.read.plans import get_plan

ROLE_NAMES = {"target": "目标", "actual": "实际"}


@dataclass
class IndicatorFigure:
    """One target or actual of a canonical indicator, in one document."""

    indicator: str
    plan_id: int
    plan_title: str
    year: int | None
    issuer: str
    kind: str
    role: str
    comparator: str
    value: float | None
    value_high: float | None
    unit: str
    normalized_value: float | None
    normalized_unit: str
    placeholder: bool
    quantity_id: int
    text: str
    evidence: str


def indicator_figures(session: Session, *, name: str) -> list[IndicatorFigure]:
    """Every target and actual of the indicator (by name or alias) in all imported documents, by year."""
    registry = load_registry(session)
    entry = registry.resolve(name)
    if entry is None:
        raise NotFoundError(f"指标不存在：{name}")
    tasks: dict[int, Task] = {}
    out = []
    for lq in link_quantities(session, registry=registry):
        if lq.link is None or lq.link.indicator != entry.name:
            continue
        q, p = lq.quantity, lq.plan
        if q.task_id and q.task_id not in tasks:
            tasks[q.task_id] = session.get(Task, q.task_id)
        out.append(
            IndicatorFigure(
                indicator=entry.name,
                plan_id=p.id,
                plan_title=p.title,
                year=p.year,
                issuer=p.issuer or "",
                kind=p.kind,
                role=q.role,
                comparator=q.comparator,
                value=q.value,
                value_high=q.value_high,
                unit=q.unit,
                normalized_value=q.normalized_value,
                normalized_unit=q.normalized_unit,
                placeholder=q.placeholder,
                quantity_id=q.id,
                text=q.text,
                evidence=evidence(tasks.get(q.task_id), q.text),
            )
        )
    out.sort(key=lambda f: (f.year or 0, f.issuer, f.plan_id, f.role))
    return out


def short_issuer(issuer: str) -> str:
    """The last of joint issuers (中共承德市委教育工委、承德市教育局 -> 承德市教育局)."""
    return issuer.split("、")[-1] if issuer else "（未署名）"


class ChartSeries(BaseModel):
    name: str  # 承德市教育局·目标
    issuer: str
    role: str  # target / actual
    points: list[tuple[int, float]]  # [year, value]


class IndicatorChart(BaseModel):
    """Series-ready data for a chart of one indicator, in one unit; what cannot be drawn is in `notes`."""

    indicator: str
    unit: str
    years: list[int]
    series: list[ChartSeries]
    notes: list[IndicatorFigure]


def indicator_chart(
    session: Session, *, name: str, figures: list[IndicatorFigure] | None = None
) -> IndicatorChart:
    """Series-ready data for a chart: one series per issuer and role, points [year, value] in one unit.

    Redacted figures (x%) and changes (提高6个百分点) are left out of the series and listed
    under "notes" so the page can still show them.
    """
    if figures is None:  # callers that show the table too pass the figures they already have
        figures = indicator_figures(session, name=name)
    entry = load_registry(session).resolve(name)
    units = [f.normalized_unit for f in figures if f.normalized_unit]
    unit = entry.unit or (max(set(units), key=units.count) if units else "")
    series: dict[tuple[str, str], ChartSeries] = {}
    notes = []
    for f in figures:
        plottable = (
            not f.placeholder
            and f.normalized_value is not None
            and f.comparator not in ("delta+", "delta-")
            and f.normalized_unit == unit
            and f.year is not None
        )
        if not plottable:
            notes.append(f)
            continue
        key = (short_issuer(f.issuer), f.role)
        s = series.setdefault(
            key, ChartSeries(name=f"{key[0]}·{ROLE_NAMES[f.role]}", issuer=key[0], role=f.role, points=[])
        )
        s.points.append((f.year, f.normalized_value))
    years = sorted({f.year for f in figures if f.year is not None})
    return IndicatorChart(
        indicator=entry.name, unit=unit, years=years, series=list(series.values()), notes=notes
    )


# ---------------------------------------------------------------- plan against plan
CONTINUE_THRESHOLD = 70.0  # title similarity at which an item of one plan continues one of the other


@dataclass
class ItemMatch:
    """A heading or task of plan A and/or plan B: continued (both), dropped (A only) or new (B only)."""

    status: str  # continued / new / dropped
    level: str  # heading / task
    a_id: int | None
    a_path: str
    a_title: str
    b_id: int | None
    b_path: str
    b_title: str
    score: float


STATUS_NAMES = {"continued": "延续", "new": "新增", "dropped": "未再列入"}


def _items(session: Session, plan_id: int) -> tuple[list[Task], list[Task]]:
    """(headings, tasks): a heading is an item with sub-items, a task one without."""
    get_plan(session, plan_id)
    rows = list(
        session.execute(
            select(Task).where(Task.plan_id == plan_id, Task.removed_at.is_(None)).order_by(Task.position)
        ).scalars()
    )
    parents = {t.parent_id for t in rows if t.parent_id}
    return [t for t in rows if t.id in parents], [t for t in rows if t.id not in parents]


def _title(t: Task) -> str:
    return "".join(t.title.split())


def _match(a: list[Task], b: list[Task], level: str) -> list[ItemMatch]:
    """Greedy one-to-one matching by title similarity, best pairs first."""
    pairs = []
    for i, ta in enumerate(a):
        for j, tb in enumerate(b):
            score = fuzz.ratio(_title(ta), _title(tb))
            if score >= CONTINUE_THRESHOLD:
                pairs.append((score, i, j))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    used_a: dict[int, tuple[int, float]] = {}
    used_b: set[int] = set()
    for score, i, j in pairs:
        if i in used_a or j in used_b:
            continue
        used_a[i] = (j, score)
        used_b.add(j)
    out = []
    for i, ta in enumerate(a):
        if i in used_a:
            j, score = used_a[i]
            tb = b[j]
            out.append(
                ItemMatch("continued", level, ta.id, ta.path, ta.title, tb.id, tb.path, tb.title, score)
            )
        else:
            out.append(ItemMatch("dropped", level, ta.id, ta.path, ta.title, None, "", "", 0.0))
    for j, tb in enumerate(b):
        if j not in used_b:
            out.append(ItemMatch("new", level, None, "", "", tb.id, tb.path, tb.title, 0.0))
    return out


@dataclass
class PlanComparison:
    plan_a: int
    plan_b: int
    headings: list[ItemMatch]
    tasks: list[ItemMatch]

    def counts(self) -> dict[str, dict[str, int]]:
        out = {}
        for level, rows in (("headings", self.headings), ("tasks", self.tasks)):
            out[level] = {s: sum(r.status == s for r in rows) for s in STATUS_NAMES}
        return out


def compare_plans(session: Session, *, plan_a: int, plan_b: int) -> PlanComparison:
    """Which headings and tasks of plan A continue in plan B, which are new in B, which were dropped."""
    ha, ta = _items(session, plan_a)
    hb, tb = _items(session, plan_b)
    return PlanComparison(plan_a, plan_b, _match(ha, hb, "heading"), _match(ta, tb, "task"))
