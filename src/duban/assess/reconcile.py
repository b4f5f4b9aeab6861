"""Reconciliation: each target of a plan against the actual figures that review it.

The actual figures come from a summary or report (its quantities of role "actual") or,
without one, from the ledger's progress reports (the latest `ReportValue` of each target).
A target links to the summary's figure for the same indicator: the same canonical indicator
when the registry knows both, else the most similar phrase (same head noun); a compatible
unit and a similar heading (context) break ties. The state is met / not met (`attainment`),
unknown when the figures cannot be compared (redacted x%, another unit, a change against a
level), or not mentioned. A person's correction (`correct`) is stored, audited, and wins
over the automatic match on every later run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from pydantic import computed_field
from rapidfuzz import fuzz
from sqlalchemy import select
from sqlalchemy.orm import Session

from duban.assess.indicator_text import normalize, similarity, unit_key, units_compatible
from duban.assess.indicators import Registry, load_registry
from duban.ledger import audit
from duban.ledger.clock import local_date
from duban.ledger.db import utcnow
from duban.ledger.errors import NotFoundError, ValidationError
from duban.ledger.models import Plan, Quantity, ReconcileCorrection, Task
from duban.ledger.read.plans import get_plan
from duban.ledger.reported import latest_reported
from duban.ledger.rights import require
from duban.ledger.uow import use_case
from duban.ledger.users import Actor
from duban.plan.attainment import STATE_NAMES, Figure, attainment, reported

MATCH_THRESHOLD = 80.0  # phrase similarity needed when the registry links neither side
_SENTENCE_END = re.compile(r"[。；;！？!?\n]")


def _locate(task: Task | None, text: str) -> tuple[str, int] | None:
    """(title or body, offset) where a quantity's text stands in its task, or None."""
    if task is None or not text:
        return None
    for body in (task.title, task.body):
        i = body.find(text) if body else -1
        if i >= 0:
            return body, i
    return None


def _last_end(pattern: re.Pattern[str], body: str, i: int) -> int:
    """Where the sentence or clause holding offset i begins."""
    starts = [m.end() for m in pattern.finditer(body, 0, i)]
    return starts[-1] if starts else 0


def evidence(task: Task | None, text: str) -> str:
    """The sentence of the task's text that holds a quantity's text (the text itself when not found)."""
    found = _locate(task, text)
    if found is None:
        return text
    body, i = found
    m = _SENTENCE_END.search(body, i + len(text))
    return body[_last_end(_SENTENCE_END, body, i) : m.end() if m else len(body)].strip()


# words that make a summary's figure an intention, not a result (计划培树100名 / 力争达到95% / 明年新建10所);
# 计划 after 行动/改善/发展 is part of a programme's name (营养改善计划), not an intention
_INTENT = re.compile(r"(?<![动善展])计划(?!书)|拟|力争|预计|争取|下一步|明年|来年")
_CLAUSE_END = re.compile(r"[，,。；;！？!?\n]")
_LEAD = re.compile(r"\D*")


def intent_before(task: Task | None, text: str) -> str:
    """The intention word in the clause that leads to a figure (before its first digit), or ""."""
    found = _locate(task, text)
    if found is None:
        return ""
    body, i = found
    m = _INTENT.search(body[_last_end(_CLAUSE_END, body, i) : i] + _LEAD.match(text).group(0))
    return m.group(0) if m else ""


def _figure(q: Quantity) -> Figure:
    """Normalised value and unit (名 and 人 folded together) so 9.5万人 meets 95000人."""
    value = q.normalized_value if q.normalized_value is not None else q.value
    high = q.value_high
    if high is not None and q.value and q.normalized_value is not None:
        high = high * q.normalized_value / q.value
    return Figure(
        comparator=q.comparator,
        value=value,
        unit=unit_key(q.normalized_unit or q.unit),
        value_high=high,
        placeholder=q.placeholder,
    )


@dataclass
class Candidate:
    actual_id: int
    text: str
    score: float


@dataclass
class ReconcileRow:
    """One target and what the source says about it (all a table, a page or a correction needs; the
    API answers it as is)."""

    target_id: int
    task_id: int | None
    task_path: str
    task_title: str
    indicator: str  # canonical indicator, "" when the registry knows none
    target_text: str
    target_evidence: str
    comparator: str
    value: float | None
    value_high: float | None
    unit: str
    state: str  # met / not_met / unknown / not_mentioned
    actual_id: int | None = None
    actual_text: str = ""
    actual_evidence: str = ""
    actual_value: float | None = None
    actual_unit: str = ""
    score: float = 0.0
    method: str = ""  # indicator / similar / report / correction / ""
    note: str = ""
    corrected_by: str = ""
    corrected_at: datetime | None = None
    candidates: list[Candidate] = field(default_factory=list)

    @computed_field
    @property
    def state_name(self) -> str:
        return STATE_NAMES[self.state]


@dataclass
class Reconciliation:
    plan_id: int
    plan_title: str
    source: str  # "summary:<id>" or "reports"
    source_title: str
    rows: list[ReconcileRow]

    def counts(self) -> dict[str, int]:
        out = {s: 0 for s in ("met", "not_met", "not_mentioned", "unknown")}
        for r in self.rows:
            out[r.state] += 1
        return out


def _targets(session: Session, plan_id: int) -> list[tuple[Quantity, Task | None]]:
    stmt = (
        select(Quantity, Task)
        .outerjoin(Task, Task.id == Quantity.task_id)
        .where(Quantity.plan_id == plan_id, Quantity.role == "target", Quantity.removed_at.is_(None))
        .order_by(Quantity.position)
    )
    return list(session.execute(stmt))


def _heading(task: Task | None, tasks: dict[int, Task]) -> str:
    """The task's title and its parents' titles: the context a figure is written in."""
    parts = []
    while task is not None:
        parts.append(task.title)
        task = tasks.get(task.parent_id) if task.parent_id else None
    return " ".join(parts)


def _row(q: Quantity, task: Task | None, indicator: str) -> ReconcileRow:
    return ReconcileRow(
        target_id=q.id,
        task_id=task.id if task else None,
        task_path=task.path if task else "",
        task_title=task.title if task else "",
        indicator=indicator,
        target_text=q.text,
        target_evidence=evidence(task, q.text),
        comparator=q.comparator,
        value=q.value,
        value_high=q.value_high,
        unit=q.unit,
        state="not_mentioned",
    )


def _fill_actual(row: ReconcileRow, target: Quantity, actual: Quantity, task: Task | None) -> None:
    row.actual_id = actual.id
    row.actual_text = actual.text
    row.actual_evidence = evidence(task, actual.text)
    row.actual_value = actual.value
    row.actual_unit = actual.unit
    t, a = _figure(target), _figure(actual)
    row.state = attainment(t, a)
    word = intent_before(task, actual.text)
    if word and row.state in ("met", "not_met"):
        row.state = "unknown"
        row.note = f"总结中为“{word}”的表述，是打算而非完成数"
        return
    if row.state == "unknown":
        if t.placeholder or a.placeholder or a.value is None:
            row.note = "数值已隐去或缺失"
        elif t.unit != a.unit:
            row.note = f"单位不一致：{target.unit or '无'} 与 {actual.unit or '无'}"
        else:
            row.note = "一方为增减量，另一方为水平值，无法比较"


def summary_documents(session: Session) -> list[Plan]:
    """Every summary and report, the newest year first."""
    stmt = select(Plan).where(Plan.kind.in_(("summary", "report"))).order_by(Plan.year.desc(), Plan.id)
    return list(session.execute(stmt).scalars())


def reviews(summary: Plan, plan: Plan) -> bool:
    """The summary reviews the plan: linked to it, or by the same issuer a year before.

    A bureau's summary of year N often comes with (or before) its plan of year N+1, so the
    summary of the year before is what the plan's targets are first read against.
    """
    if summary.reviews_plan_id == plan.id:
        return True
    return (
        plan.year is not None
        and summary.year == plan.year - 1
        and summary.reviews_plan_id is None
        and (summary.issuer or "") == (plan.issuer or "")
    )


def summaries_of(session: Session, plan: Plan) -> list[Plan]:
    """Summaries and reports that review the plan (see `reviews`)."""
    return [s for s in summary_documents(session) if reviews(s, plan)]


def reconcile(
    session: Session, *, plan_id: int, summary_id: int | None = None, registry: Registry | None = None
) -> Reconciliation:
    """Every target of the plan with its state against the summary, or against progress reports."""
    plan = get_plan(session, plan_id)
    registry = registry or load_registry(session)
    targets = _targets(session, plan_id)
    if summary_id is None:
        source, title = "reports", "进展报送"
        rows = _against_reports(session, targets, registry)
    else:
        summary = get_plan(session, summary_id)
        source, title = f"summary:{summary.id}", summary.title
        rows = _against_summary(session, targets, summary, registry)
    _apply_corrections(session, rows, source, summary_id)
    return Reconciliation(plan.id, plan.title, source, title, rows)


def _against_summary(
    session: Session, targets: list[tuple[Quantity, Task | None]], summary: Plan, registry: Registry
) -> list[ReconcileRow]:
    actuals = list(
        session.execute(
            select(Quantity, Task)
            .outerjoin(Task, Task.id == Quantity.task_id)
            .where(Quantity.plan_id == summary.id, Quantity.role == "actual", Quantity.removed_at.is_(None))
            .order_by(Quantity.position)
        )
    )
    plan_tasks = (
        {
            t.id: t
            for t in session.execute(select(Task).where(Task.plan_id == targets[0][0].plan_id)).scalars()
        }
        if targets
        else {}
    )
    summary_tasks = {
        t.id: t for t in session.execute(select(Task).where(Task.plan_id == summary.id)).scalars()
    }
    a_info = []
    for a, at in actuals:
        link = registry.match(a.indicator, a.normalized_unit)
        a_info.append(
            (a, at, link.indicator if link else "", normalize(a.indicator), _heading(at, summary_tasks))
        )
    rows = []
    for q, task in targets:
        link = registry.match(q.indicator, q.normalized_unit)
        ind = link.indicator if link else ""
        row = _row(q, task, ind)
        t_norm, t_ctx = normalize(q.indicator), _heading(task, plan_tasks)
        scored = []
        for a, at, a_ind, a_norm, a_ctx in a_info:
            if ind and a_ind:
                if ind != a_ind:
                    continue
                score, method = 100.0, "indicator"
            else:
                score, method = similarity(t_norm, a_norm), "similar"
                if score < MATCH_THRESHOLD:
                    continue
            compatible = units_compatible(q.normalized_unit, a.normalized_unit)
            if method == "similar" and not compatible and (score < 95 or len(t_norm) < 4):
                # without the registry another unit means another thing (60%幼儿园 / 100所幼儿园),
                # unless the phrase is specific and the same: then the figures cannot be compared
                continue
            context = fuzz.partial_ratio(t_ctx, a_ctx) if t_ctx and a_ctx else 0.0
            # a level beats a change (比上年提高6个百分点) and a comparable unit beats another
            level = (a.comparator in ("delta+", "delta-")) == (q.comparator in ("delta+", "delta-"))
            scored.append(((compatible, level, score, context, -a.position), a, at, score, method))
        scored.sort(key=lambda s: s[0], reverse=True)
        row.candidates = [Candidate(a.id, a.text, round(score, 1)) for _, a, _, score, _ in scored[:5]]
        if scored:
            _, a, at, score, method = scored[0]
            _fill_actual(row, q, a, at)
            row.score, row.method = round(score, 1), method
        rows.append(row)
    return rows


def _against_reports(
    session: Session, targets: list[tuple[Quantity, Task | None]], registry: Registry
) -> list[ReconcileRow]:
    latest = latest_reported(session, quantity_ids=[q.id for q, _ in targets])
    rows = []
    for q, task in targets:
        link = registry.match(q.indicator, q.normalized_unit)
        row = _row(q, task, link.indicator if link else "")
        hit = latest.get(q.id)
        if hit is not None:
            row.method, row.score = "report", 100.0
            row.actual_value, row.actual_unit = hit.value, q.unit
            row.actual_text = f"{hit.value:g}{q.unit}"
            row.actual_evidence = hit.work_done
            row.note = f"报送于 {local_date(hit.submitted_at)}"
            row.state = reported(q, hit.value)
        rows.append(row)
    return rows


def _apply_corrections(
    session: Session, rows: list[ReconcileRow], source: str, summary_id: int | None
) -> None:
    ids = [r.target_id for r in rows]
    if not ids:
        return
    stmt = select(ReconcileCorrection).where(
        ReconcileCorrection.target_id.in_(ids), ReconcileCorrection.source == source
    )
    corrections = {c.target_id: c for c in session.execute(stmt).scalars()}
    for row in rows:
        c = corrections.get(row.target_id)
        if c is None:
            continue
        target = session.get(Quantity, row.target_id)
        for attr in ("actual_id", "actual_text", "actual_evidence", "actual_value", "actual_unit", "note"):
            setattr(row, attr, None if attr in ("actual_id", "actual_value") else "")
        if c.state == "not_mentioned" or c.actual_id is None:
            row.state = "not_mentioned"
        else:
            actual = session.get(Quantity, c.actual_id)
            task = session.get(Task, actual.task_id) if actual.task_id else None
            _fill_actual(row, target, actual, task)
        row.method, row.score = "correction", 100.0
        row.corrected_by, row.corrected_at = c.corrected_by, c.corrected_at
        if c.note:
            row.note = f"{row.note}；{c.note}" if row.note else c.note


def correct(
    session: Session,
    *,
    actor: Actor,
    target_id: int,
    summary_id: int | None,
    actual_id: int | None = None,
    note: str = "",
) -> ReconcileCorrection:
    """A person's answer for one target: the summary's figure `actual_id`, or None for "not mentioned"."""
    require(actor, "reconcile.correct")  # leaders read, they change nothing
    with use_case(session):
        target = session.get(Quantity, target_id)
        if target is None or target.role != "target":
            raise NotFoundError(f"目标不存在：{target_id}")
        source = f"summary:{summary_id}" if summary_id is not None else "reports"
        if actual_id is not None:
            if summary_id is None:
                raise ValidationError("按进展报送对照时只能更正为“未提及”")
            actual = session.get(Quantity, actual_id)
            if actual is None or actual.plan_id != summary_id or actual.role != "actual":
                raise ValidationError(f"实际数值 {actual_id} 不属于总结 {summary_id}")
        row = session.execute(
            select(ReconcileCorrection).where(
                ReconcileCorrection.target_id == target_id, ReconcileCorrection.source == source
            )
        ).scalar_one_or_none()
        before = None
        if row is None:
            row = ReconcileCorrection(target_id=target_id, source=source)
            session.add(row)
        else:
            before = {"actual_id": row.actual_id, "state": row.state, "note": row.note}
        row.actual_id = actual_id
        row.state = "actual" if actual_id is not None else "not_mentioned"
        row.note = note.strip()
        row.corrected_by, row.corrected_at = actor.name, utcnow()
        session.flush()
        audit.record(
            session,
            actor=actor.name,
            action="reconcile.correct",
            entity="quantity",
            entity_id=target_id,
            before=before,
            after={"source": source, "actual_id": actual_id, "state": row.state, "note": row.note},
        )
    return row
