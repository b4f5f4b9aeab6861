"""任务分解: the plan as the bureau's task table, pre-filled from the parsed units and deadlines; bulk 交办.

Rows carry the parser's `responsible` names (the first is the lead unit: 列第一位的为牵头单位) and
`co_units_text`, matched to the ledger's units (exact, then the unit directory's aliases and
rapidfuzz for near names). A name that matches no unit is flagged on its row. Only leaf tasks
are assigned; headings are shown for orientation.

Bulk assignment is per row, each through `tasks.assign` (its own transaction, version-checked):
one row's failure is reported with its reason and does not undo or block the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from pydantic import computed_field
from sqlalchemy import select
from sqlalchemy.orm import Session

from duban.ledger import audit, tasks
from duban.ledger.errors import LedgerError, NotFoundError, ValidationError
from duban.ledger.models import UNIT_KINDS, Deadline, Plan, Quantity, Task, TaskUnit, Unit, UnitAlias
from duban.ledger.read.plans import get_plan
from duban.ledger.rights import require
from duban.ledger.uow import use_case
from duban.ledger.users import Actor, add_unit
from duban.plan.units import Unit as DirUnit
from duban.plan.units import UnitDirectory, load_directory


class UnitMatcher:
    """Ledger unit for a name as a document writes it: exact, a remembered 别名 (`UnitAlias`), alias of
    the directory, or near name."""

    def __init__(self, units: list[Unit], aliases: dict[str, int] | None = None) -> None:
        self.by_name = {u.name: u for u in units}
        by_id = {u.id: u for u in units}
        self.remembered = {a: by_id[uid] for a, uid in (aliases or {}).items() if uid in by_id}
        self._ledger = UnitDirectory([DirUnit(name=u.name) for u in units])
        try:
            self._aliases: UnitDirectory | None = load_directory()
        except Exception:  # a broken custom directory file must not break the page; ledger names still match
            self._aliases = None

    def match(self, name: str) -> Unit | None:
        name = (name or "").strip()
        if not name:
            return None
        if name in self.by_name:
            return self.by_name[name]
        if name in self.remembered:
            return self.remembered[name]
        hit = self._ledger.canonical(name)
        if hit is None and self._aliases is not None:
            alias = self._aliases.canonical(name)
            hit = self._ledger.canonical(alias) if alias else None
        return self.by_name.get(hit) if hit else None

    def suggest(self, text: str) -> tuple[Unit, str] | None:
        """The ledger unit the directory's topics point to for a task's text, with the reason."""
        if self._aliases is None:
            return None
        for s in self._aliases.suggest(text):
            unit = self.match(s.name)
            if unit is not None:
                return unit, s.reason
        return None


def unit_matcher(session: Session) -> UnitMatcher:
    """The matcher over the ledger's units and the 别名 remembered for them."""
    units = list(session.execute(select(Unit).order_by(Unit.id)).scalars())
    aliases = dict(session.execute(select(UnitAlias.alias, UnitAlias.unit_id)).all())
    return UnitMatcher(units, aliases)


@dataclass
class DecompositionRow:
    task_id: int
    path: str
    level: int
    number: str
    title: str
    leaf: bool
    status: str
    version: int
    targets: list[str] = field(default_factory=list)
    deadlines: list[str] = field(default_factory=list)
    responsible: list[str] = field(default_factory=list)  # as written in the plan
    co_units_text: list[str] = field(default_factory=list)
    lead_unit_id: int | None = None  # current assignment, else the suggestion
    co_unit_ids: list[int] = field(default_factory=list)
    due_date: date | None = None
    unmatched: list[str] = field(default_factory=list)  # names in the plan that match no unit
    suggestion: str = ""  # why the lead unit was proposed, when the plan names none (主题“…”属…)

    @property
    def assigned(self) -> bool:
        return self.status != "unassigned"

    @computed_field
    @property
    def status_name(self) -> str:
        return tasks.STATUS_NAMES.get(self.status, self.status)


def decomposition(session: Session, *, actor: Actor, plan_id: int) -> tuple[Plan, list[DecompositionRow]]:
    """The plan's task table with current or suggested lead unit, co-units and due date per row."""
    require(actor, "decomposition.read")
    plan = get_plan(session, plan_id)
    rows_ = list(
        session.execute(
            select(Task).where(Task.plan_id == plan_id, Task.removed_at.is_(None)).order_by(Task.position)
        ).scalars()
    )
    parents = {t.parent_id for t in rows_ if t.parent_id is not None}
    targets: dict[int, list[str]] = {}
    for tid, text in session.execute(
        select(Quantity.task_id, Quantity.text)
        .where(Quantity.plan_id == plan_id, Quantity.role == "target", Quantity.removed_at.is_(None))
        .order_by(Quantity.position)
    ):
        targets.setdefault(tid, []).append(text)
    deadlines: dict[int, list[tuple[str, date]]] = {}
    for tid, text, when in session.execute(
        select(Deadline.task_id, Deadline.text, Deadline.date).where(
            Deadline.plan_id == plan_id, Deadline.removed_at.is_(None)
        )
    ):
        deadlines.setdefault(tid, []).append((text, when))
    assigned: dict[int, list[tuple[str, int]]] = {}
    ids = [t.id for t in rows_]
    if ids:
        for tid, role, uid in session.execute(
            select(TaskUnit.task_id, TaskUnit.role, TaskUnit.unit_id)
            .where(TaskUnit.task_id.in_(ids))
            .order_by(TaskUnit.id)
        ):
            assigned.setdefault(tid, []).append((role, uid))
    matcher = unit_matcher(session)
    by_id = {t.id: t for t in rows_}
    out = []
    for t in rows_:
        row = DecompositionRow(
            task_id=t.id,
            path=t.path,
            level=t.level,
            number=t.number,
            title=t.title,
            leaf=t.id not in parents,
            status=t.status,
            version=t.version,
            targets=targets.get(t.id, []),
            deadlines=[text for text, _ in deadlines.get(t.id, [])],
            responsible=list(t.responsible or []),
            co_units_text=list(t.co_units_text or []),
        )
        if t.id in assigned:
            row.lead_unit_id = next((u for r, u in assigned[t.id] if r == "lead"), None)
            row.co_unit_ids = [u for r, u in assigned[t.id] if r == "co"]
            row.due_date = t.due_date
        elif row.leaf:
            _suggest(row, matcher)
            if row.lead_unit_id is None and not row.responsible:
                hit = matcher.suggest(f"{t.title}。{t.body or ''}")
                if hit is not None:
                    row.lead_unit_id, row.suggestion = hit[0].id, hit[1]
            row.due_date = _due(t, by_id, deadlines, plan)
        out.append(row)
    return plan, out


def _suggest(row: DecompositionRow, matcher: UnitMatcher) -> None:
    names = list(dict.fromkeys([*row.responsible, *row.co_units_text]))
    for i, name in enumerate(names):
        unit = matcher.match(name)
        if unit is None:
            row.unmatched.append(name)
        elif i == 0 and row.responsible:
            row.lead_unit_id = unit.id
        elif unit.id != row.lead_unit_id and unit.id not in row.co_unit_ids:
            row.co_unit_ids.append(unit.id)


def _due(
    task: Task, by_id: dict[int, Task], deadlines: dict[int, list[tuple[str, date]]], plan: Plan
) -> date | None:
    """Same rule as `tasks.default_due_date`, from the rows already loaded (no query per row)."""
    node: Task | None = task
    while node is not None:
        dates = [d for _, d in deadlines.get(node.id, [])]
        if dates:
            return max(dates)
        node = by_id.get(node.parent_id) if node.parent_id else None
    return date(plan.year, 12, 31) if plan.year else None


@dataclass
class AssignRow:
    task_id: int
    lead_unit_id: int | None
    co_unit_ids: list[int] = field(default_factory=list)
    due_date: date | None = None
    expected_version: int | None = None


@dataclass
class AssignOutcome:
    task_id: int
    ok: bool
    message: str = ""
    version: int | None = None


def assign_rows(session: Session, *, actor: Actor, rows: list[AssignRow]) -> list[AssignOutcome]:
    """交办 each row through `tasks.assign`; a failing row is reported, the others still go through."""
    require(actor, "task.assign")
    if not rows:
        raise ValidationError("请先选择要交办的任务")
    out = []
    for row in rows:
        try:
            if row.lead_unit_id is None:
                raise ValidationError("未指定牵头单位")
            has_child = session.execute(
                select(Task.id).where(Task.parent_id == row.task_id, Task.removed_at.is_(None)).limit(1)
            ).first()
            if has_child:
                raise ValidationError("该任务有下级任务，只交办下级任务")
            task = tasks.assign(
                session,
                actor=actor,
                task_id=row.task_id,
                lead_unit_id=row.lead_unit_id,
                co_unit_ids=row.co_unit_ids,
                due_date=row.due_date,
                expected_version=row.expected_version,
            )
            out.append(AssignOutcome(row.task_id, True, "已交办", task.version))
        except LedgerError as exc:
            out.append(AssignOutcome(row.task_id, False, str(exc)))
    return out


# ---------------------------------------------------------------- units the plan names


@dataclass
class MissingUnit:
    """A name the plan writes that matches no unit, with the tasks that name it."""

    name: str
    tasks: list[str] = field(default_factory=list)  # task paths
    lead: int = 0  # how many of them name it first (as lead unit)
    kind: str = "office"  # proposed kind for creation


def _kind_of(name: str) -> str:
    """A proposed kind from the name's ending (学校 / 县区教育局 / 科室), the clerk may change it."""
    if name.endswith(("学校", "中学", "小学", "幼儿园", "学院", "大学")):
        return "school"
    if name.endswith(("县教育局", "区教育局", "县教体局", "区教体局", "市教育局")):
        return "county"
    if name.endswith(("科", "处", "室", "办", "中心", "站", "所", "队")):
        return "office"
    return "other"


def missing_units(rows: list[DecompositionRow]) -> list[MissingUnit]:
    """The names of the decomposition that match no unit, most used first."""
    found: dict[str, MissingUnit] = {}
    for r in rows:
        if r.assigned:
            continue
        for name in r.unmatched:
            m = found.setdefault(name, MissingUnit(name, kind=_kind_of(name)))
            m.tasks.append(r.path)
            m.lead += bool(r.responsible) and r.responsible[0] == name
    return sorted(found.values(), key=lambda m: (-len(m.tasks), m.name))


@dataclass
class UnitChoice:
    """What the clerk chose for one missing name: create it (kind, parent) or map it to a unit (别名)."""

    name: str
    create: bool = False
    kind: str = "office"
    parent: str | None = None
    unit_id: int | None = None  # map to this unit when not creating


def resolve_units(session: Session, *, actor: Actor, choices: list[UnitChoice]) -> tuple[int, int]:
    """Create the chosen units and remember the chosen 别名, all in one transaction; (created, mapped).

    A mapping is remembered for every later plan: next year's plan writing the same name matches it.
    """
    require(actor, "unit.from_plan")
    choices = [c for c in choices if c.create or c.unit_id is not None]
    if not choices:
        raise ValidationError("请为至少一个单位选择“新建”或“对应到已有单位”")
    created = mapped = 0
    with use_case(session):
        for c in sorted(choices, key=lambda c: not c.create):  # new parents before the aliases to them
            name = c.name.strip()
            if c.create:
                if c.kind not in UNIT_KINDS:
                    raise ValidationError(f"单位类型无效：{c.kind}")
                add_unit(session, actor=actor, name=name, kind=c.kind, parent=c.parent or None)
                created += 1
                continue
            unit = session.get(Unit, c.unit_id)
            if unit is None:
                raise NotFoundError(f"单位不存在：{c.unit_id}")
            if not name or name == unit.name:
                raise ValidationError(f"别名无效：{name or '（空）'}")
            old = session.execute(select(UnitAlias).where(UnitAlias.alias == name)).scalar_one_or_none()
            before = {"alias": name, "unit_id": old.unit_id} if old else None
            if old is None:
                old = UnitAlias(alias=name, unit_id=unit.id, created_by=actor.name)
                session.add(old)
            else:
                old.unit_id = unit.id
            session.flush()
            audit.record(
                session,
                actor=actor.name,
                action="unit.alias",
                entity="unit",
                entity_id=unit.id,
                before=before,
                after={"alias": name, "unit_id": unit.id, "unit": unit.name},
            )
            mapped += 1
    return created, mapped
