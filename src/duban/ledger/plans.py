"""Import parsed plans (and summaries/reports) into the ledger; revisions become diffs.

- The same file twice (same sha256) changes nothing.
- A document whose kind, year, issuer and title match a stored plan is a revision of it:
  tasks are matched (same path and title, then same title elsewhere, then same path
  reworded), targets by text then by indicator; unmatched old rows are marked removed,
  never deleted, so reports attached to unchanged tasks stay where they are.
- The whole file is one transaction: an error half-way leaves nothing behind.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from duban.documents import DocumentError
from duban.ledger import audit
from duban.ledger.db import utcnow
from duban.ledger.models import Blob, Deadline, Plan, PlanRevision, Quantity, SourceFile, Task
from duban.ledger.uow import use_case
from duban.ledger.users import SYSTEM, Actor
from duban.plan import model as pm


def plan_from_dict(data: dict[str, Any]) -> pm.Plan:
    """A Plan from Plan JSON (shared/gold/SCHEMA.md); extra keys optional."""

    def pick(cls: type, d: dict[str, Any]) -> dict[str, Any]:
        names = cls.__dataclass_fields__
        return {k: v for k, v in d.items() if k in names}

    docs = []
    for d in data.get("documents", []):
        items = []
        for i in d.get("items", []):
            kw = pick(pm.Item, i)
            kw["suggested_units"] = [pm.SuggestedUnit(**s) for s in i.get("suggested_units", [])]
            items.append(pm.Item(**kw))
        doc = pm.Document(
            **{k: v for k, v in pick(pm.Document, d).items() if k not in ("items", "quantities", "deadlines")}
        )
        doc.items = items
        doc.quantities = [pm.Quantity(**pick(pm.Quantity, q)) for q in d.get("quantities", [])]
        doc.deadlines = [pm.Deadline(**pick(pm.Deadline, x)) for x in d.get("deadlines", [])]
        docs.append(doc)
    return pm.Plan(source=data.get("source", ""), documents=docs)


def plan_key(doc: pm.Document) -> str:
    """What identifies a plan across revisions."""
    return "|".join([doc.kind, str(doc.year or ""), doc.issuer or "", " ".join(doc.title.split())])


@dataclass
class PlanChange:
    plan_id: int
    title: str
    kind: str
    year: int | None
    action: str  # created / revised / unchanged
    tasks: int = 0
    targets: int = 0
    actuals: int = 0  # figures a summary or report gives as results
    tasks_added: list[str] = field(default_factory=list)
    tasks_removed: list[str] = field(default_factory=list)
    tasks_reworded: list[str] = field(default_factory=list)
    tasks_moved: list[str] = field(default_factory=list)
    targets_added: list[str] = field(default_factory=list)
    targets_removed: list[str] = field(default_factory=list)
    targets_changed: list[str] = field(default_factory=list)

    def diff(self) -> dict[str, list[str]]:
        d = asdict(self)
        return {k: v for k, v in d.items() if isinstance(v, list)}


@dataclass
class ImportResult:
    source: str
    sha256: str
    duplicate: bool = False
    plans: list[PlanChange] = field(default_factory=list)


def import_file(session: Session, *, path: str | Path, actor: Actor = SYSTEM) -> ImportResult:
    """Parse a file (or read Plan JSON) and import it; a file seen before is skipped before parsing."""
    import json

    path = Path(path)
    content = path.read_bytes()
    sha = hashlib.sha256(content).hexdigest()
    if session.execute(select(SourceFile.id).where(SourceFile.sha256 == sha)).first():
        session.rollback()
        return ImportResult(source=path.name, sha256=sha, duplicate=True)
    if path.suffix.lower() == ".json":
        try:
            plan = plan_from_dict(json.loads(content.decode("utf-8")))
        except (ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
            raise DocumentError(
                f"Plan JSON 格式不正确，无法导入：{path.name}", f"{path.name}: {type(exc).__name__}: {exc}"
            ) from exc
    else:
        from duban.plan.boundary import parse_path

        plan = parse_path(path)  # any failure: DocumentError with the file's Chinese line
    return import_plan(session, plan=plan, content=content, name=path.name, actor=actor)


def import_plan(
    session: Session, *, plan: pm.Plan, content: bytes, name: str, actor: Actor = SYSTEM
) -> ImportResult:
    """Store a parsed Plan and its source file in one transaction."""
    sha = hashlib.sha256(content).hexdigest()
    result = ImportResult(source=name, sha256=sha)
    with use_case(session):
        if session.execute(select(SourceFile.id).where(SourceFile.sha256 == sha)).first():
            result.duplicate = True
            return result
        if session.get(Blob, sha) is None:
            session.add(Blob(sha256=sha, size=len(content), content=content))
            session.flush()
        src = SourceFile(sha256=sha, name=name, imported_by=actor.name)
        session.add(src)
        session.flush()
        for index, doc in enumerate(plan.documents):
            if not doc.items:
                continue  # text without an outline (a notice) holds no tasks to supervise
            key = plan_key(doc)
            # a compilation may hold several documents with the same key: never match a plan
            # already touched by this import, prefer the one at the same position in its file
            seen = {c.plan_id for c in result.plans}
            candidates = [
                p
                for p in session.execute(select(Plan).where(Plan.key == key).order_by(Plan.id)).scalars()
                if p.id not in seen
            ]
            existing = next(
                (p for p in candidates if p.doc_index == index), candidates[0] if candidates else None
            )
            if existing is None:
                change = _create(session, doc=doc, key=key, index=index, src=src)
            else:
                change = _revise(session, plan=existing, doc=doc, index=index, src=src)
            _link_summaries(session, plan_id=change.plan_id)
            result.plans.append(change)
            if change.action != "unchanged":
                session.add(
                    PlanRevision(
                        plan_id=change.plan_id,
                        revision=session.get(Plan, change.plan_id).revision,
                        source_file_id=src.id,
                        diff=change.diff(),
                    )
                )
                audit.record(
                    session,
                    actor=actor.name,
                    action=f"plan.{'import' if change.action == 'created' else 'revise'}",
                    entity="plan",
                    entity_id=change.plan_id,
                    after={"source": name, "sha256": sha, **change.diff(), "tasks": change.tasks},
                )
    return result


def _new_task(plan_id: int, item: pm.Item, position: int) -> Task:
    return Task(
        plan_id=plan_id,
        position=position,
        path=item.path,
        level=item.level,
        number=item.number,
        label=item.label,
        title=item.title,
        body=item.body,
        fields=dict(item.fields),
        responsible=list(item.responsible),
        co_units_text=list(item.co_units),
        line=item.line,
    )


def _set_parents(session: Session, by_path: dict[str, Task]) -> None:
    for path, task in by_path.items():
        parent = by_path.get(path.rsplit("/", 1)[0]) if "/" in path else None
        task.parent_id = parent.id if parent else None
    session.flush()


def _quantity(plan_id: int, task_id: int | None, q: pm.Quantity, position: int) -> Quantity:
    return Quantity(
        plan_id=plan_id,
        task_id=task_id,
        position=position,
        text=q.text,
        indicator=q.indicator,
        comparator=q.comparator,
        value=q.value,
        value_high=q.value_high,
        unit=q.unit,
        role=q.role,
        placeholder=q.placeholder,
        normalized_value=q.normalized_value,
        normalized_unit=q.normalized_unit,
    )


def _deadline(plan_id: int, task_id: int | None, d: pm.Deadline) -> Deadline:
    return Deadline(
        plan_id=plan_id, task_id=task_id, text=d.text, date=date.fromisoformat(d.date), precision=d.precision
    )


def _create(session: Session, *, doc: pm.Document, key: str, index: int, src: SourceFile) -> PlanChange:
    plan = Plan(
        key=key,
        kind=doc.kind,
        title=doc.title,
        year=doc.year,
        issuer=doc.issuer,
        doc_number=doc.doc_number,
        date=doc.date,
        doc_index=index,
        source_file_id=src.id,
    )
    session.add(plan)
    session.flush()
    by_path: dict[str, Task] = {}
    for pos, item in enumerate(doc.items):
        task = _new_task(plan.id, item, pos)
        session.add(task)
        by_path.setdefault(item.path, task)
    session.flush()
    _set_parents(session, by_path)
    for pos, q in enumerate(doc.quantities):
        t = by_path.get(q.item)
        session.add(_quantity(plan.id, t.id if t else None, q, pos))
    for d in doc.deadlines:
        t = by_path.get(d.item)
        session.add(_deadline(plan.id, t.id if t else None, d))
    session.flush()
    return PlanChange(
        plan_id=plan.id,
        title=plan.title,
        kind=plan.kind,
        year=plan.year,
        action="created",
        tasks=len(doc.items),
        targets=sum(q.role == "target" for q in doc.quantities),
        actuals=sum(q.role == "actual" for q in doc.quantities),
        tasks_added=[i.path for i in doc.items],
    )


def _revise(session: Session, *, plan: Plan, doc: pm.Document, index: int, src: SourceFile) -> PlanChange:
    now = utcnow()
    change = PlanChange(plan_id=plan.id, title=plan.title, kind=plan.kind, year=plan.year, action="revised")
    old = list(
        session.execute(
            select(Task).where(Task.plan_id == plan.id, Task.removed_at.is_(None)).order_by(Task.position)
        ).scalars()
    )
    unmatched_old = list(old)
    matched: dict[int, Task] = {}  # index of new item -> task

    def take(idx: int, pred) -> bool:  # noqa: ANN001
        for t in unmatched_old:
            if pred(t):
                matched[idx] = t
                unmatched_old.remove(t)
                return True
        return False

    items = list(enumerate(doc.items))
    rest = [
        (i, it) for i, it in items if not take(i, lambda t, it=it: t.path == it.path and t.title == it.title)
    ]
    rest = [(i, it) for i, it in rest if not take(i, lambda t, it=it: t.title == it.title)]
    rest = [(i, it) for i, it in rest if not take(i, lambda t, it=it: t.path == it.path)]

    by_path: dict[str, Task] = {}
    for pos, item in items:
        task = matched.get(pos)
        if task is None:
            task = _new_task(plan.id, item, pos)
            session.add(task)
            change.tasks_added.append(item.path)
        else:
            if task.path != item.path:
                change.tasks_moved.append(f"{task.path} -> {item.path}")
            if (
                task.title != item.title
                or (item.body and task.body != item.body)
                or (item.fields and task.fields != item.fields)
            ):
                change.tasks_reworded.append(item.path)
            task.position, task.path, task.level, task.number = pos, item.path, item.level, item.number
            task.label, task.title, task.line = item.label, item.title, item.line
            task.body, task.fields = item.body, dict(item.fields)
            task.responsible, task.co_units_text = list(item.responsible), list(item.co_units)
            task.updated_at = now
        by_path.setdefault(item.path, task)
    for t in unmatched_old:
        t.removed_at = now
        change.tasks_removed.append(t.path)
    session.flush()
    _set_parents(session, by_path)

    # targets (all quantities): same task and text, then same task and indicator (value changed)
    old_q = list(
        session.execute(
            select(Quantity).where(Quantity.plan_id == plan.id, Quantity.removed_at.is_(None))
        ).scalars()
    )
    for pos, q in enumerate(doc.quantities):
        t = by_path.get(q.item)
        tid = t.id if t else None
        hit = next((o for o in old_q if o.task_id == tid and o.text == q.text), None)
        if hit is None:
            hit = next(
                (o for o in old_q if o.task_id == tid and o.indicator == q.indicator and o.role == q.role),
                None,
            )
            if hit is not None:
                change.targets_changed.append(f"{hit.text} -> {q.text}")
        if hit is None:
            session.add(_quantity(plan.id, tid, q, pos))
            change.targets_added.append(q.text)
            continue
        old_q.remove(hit)
        fresh = _quantity(plan.id, tid, q, pos)
        for col in ("position", "text", "indicator", "comparator", "value", "value_high", "unit", "role"):
            setattr(hit, col, getattr(fresh, col))
        hit.placeholder, hit.normalized_value, hit.normalized_unit = (
            fresh.placeholder,
            fresh.normalized_value,
            fresh.normalized_unit,
        )
    for o in old_q:
        o.removed_at = now
        change.targets_removed.append(o.text)

    # deadlines: keep identical ones, mark the rest removed, add new
    old_d = list(
        session.execute(
            select(Deadline).where(Deadline.plan_id == plan.id, Deadline.removed_at.is_(None))
        ).scalars()
    )
    for d in doc.deadlines:
        t = by_path.get(d.item)
        tid = t.id if t else None
        hit = next(
            (o for o in old_d if o.task_id == tid and o.text == d.text and o.date.isoformat() == d.date), None
        )
        if hit is not None:
            old_d.remove(hit)
        else:
            session.add(_deadline(plan.id, tid, d))
    for o in old_d:
        o.removed_at = now

    change.tasks = len(doc.items)
    change.targets = sum(q.role == "target" for q in doc.quantities)
    change.actuals = sum(q.role == "actual" for q in doc.quantities)
    if any(change.diff().values()):
        plan.revision += 1
        plan.source_file_id = src.id
        plan.doc_number, plan.date, plan.doc_index, plan.updated_at = doc.doc_number, doc.date, index, now
    else:
        change.action = "unchanged"
    session.flush()
    return change


def _link_summaries(session: Session, *, plan_id: int) -> None:
    """Link summaries/reports to the plan of the year they review (both import orders)."""
    plan = session.get(Plan, plan_id)
    if plan.year is None:
        return
    if plan.kind in ("summary", "report") and plan.reviews_plan_id is None:
        candidates = session.execute(
            select(Plan).where(Plan.kind == "plan", Plan.year == plan.year).order_by(Plan.id)
        ).scalars()
        cands = list(candidates)
        same = [c for c in cands if c.issuer == plan.issuer] or cands
        if same:
            plan.reviews_plan_id = same[0].id
    elif plan.kind == "plan":
        for s in session.execute(
            select(Plan).where(
                Plan.kind.in_(("summary", "report")), Plan.year == plan.year, Plan.reviews_plan_id.is_(None)
            )
        ).scalars():
            if s.issuer in (None, plan.issuer):
                s.reviews_plan_id = plan.id
    session.flush()


def counts(session: Session, *, plan_id: int) -> tuple[int, int]:
    """(tasks, targets) of a plan, removed rows excluded."""
    tasks = session.execute(
        select(func.count()).select_from(Task).where(Task.plan_id == plan_id, Task.removed_at.is_(None))
    ).scalar_one()
    targets = session.execute(
        select(func.count())
        .select_from(Quantity)
        .where(Quantity.plan_id == plan_id, Quantity.role == "target", Quantity.removed_at.is_(None))
    ).scalar_one()
    return tasks, targets


def unassigned_tasks(session: Session) -> int:
    """Tasks imported but not yet assigned (they have no light and no place in the status)."""
    return session.execute(
        select(func.count()).select_from(Task).where(Task.status == "unassigned", Task.removed_at.is_(None))
    ).scalar_one()


def list_plans(session: Session) -> list[Plan]:
    return list(session.execute(select(Plan).order_by(Plan.year, Plan.id)).scalars())
