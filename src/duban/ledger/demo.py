"""A living demo year (`duban demo`): units, users, 交办, three monthly reports, 催办, 延期, 销号.

Built on imported plans through the same service functions people use, each as its actor (the
督查 assigns and approves, units sign and report), so every page shows what it is for. The year
runs up to today: 交办 about four months ago, three monthly periods whose cut-offs have passed,
due dates around today, so the lights are red, yellow, blue and green now.

Deterministic: the seed decides every choice and `now` anchors every date (passwords are the
caller's). Idempotent: a finished demo is recognised by its audit marker and left alone. It
refuses a database that holds anything but imported plans and administrator accounts.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from duban.ledger import audit, reminders, reports, tasks, users
from duban.ledger.clock import local_date, to_utc
from duban.ledger.config import Config
from duban.ledger.db import utcnow
from duban.ledger.decomposition import DecompositionRow, decomposition
from duban.ledger.errors import ValidationError
from duban.ledger.models import AuditRecord, Period, Plan, Quantity, Reminder, Report, Task, Unit, User
from duban.ledger.uow import use_case
from duban.ledger.users import SYSTEM, Actor
from duban.plan.units import load_directory

STARTED, FINISHED = "demo.start", "demo.build"
ROOT_UNIT = "市教育局"
# (username, role, display name): one account per role besides the units' own
ROLE_USERS = (
    ("ducha", "supervisor", "督查科 王督查"),
    ("lingdao", "leader", "分管局领导 李局长"),
    ("guanli", "admin", "系统管理员 赵工"),
    ("anquan", "security_admin", "安全管理员 钱工"),
    ("shenji", "audit_admin", "审计管理员 孙工"),
)
WORK = (
    "制定工作方案，明确责任分工和时间节点",
    "召开专题推进会，逐项部署落实",
    "完成阶段性任务，建立工作台账",
    "开展督导检查，梳理问题清单并督促整改",
    "会同相关单位调研，形成推进意见",
)
PROBLEMS = ("部分经费尚未到位", "个别学校推进较慢", "需相关部门协调配合", "")
CLOSE_NOTE = "经核查，主要工作已完成，佐证材料齐全，同意销号；未达标目标转入下一年度跟进。"
NEXT = ("加快推进，确保按期完成", "对照目标查漏补缺", "做好总结和佐证材料整理")


@dataclass
class Account:
    username: str
    role: str
    unit: str
    password: str


@dataclass
class DemoResult:
    plan: Plan | None = None
    accounts: list[Account] = field(default_factory=list)
    units: int = 0
    assigned: int = 0
    periods: list[str] = field(default_factory=list)
    reports: int = 0
    late: int = 0
    missing: list[str] = field(default_factory=list)
    reminders: int = 0
    closed: int = 0
    extensions: int = 0
    already: datetime | None = None  # when an earlier run built the demo


# --- the guard ---
def existing_data(session: Session) -> list[str]:
    """What in the database is more than imported plans and administrator accounts."""
    counts = {
        "单位": select(func.count()).select_from(Unit),
        "非管理员用户": select(func.count()).select_from(User).where(User.role != "admin"),
        "已交办任务": select(func.count()).select_from(Task).where(Task.status != "unassigned"),
        "报送周期": select(func.count()).select_from(Period),
        "报送": select(func.count()).select_from(Report),
        "催办": select(func.count()).select_from(Reminder),
    }
    found = []
    for name, stmt in counts.items():
        n = session.execute(stmt).scalar_one()
        if n:
            found.append(f"{name} {n}")
    return found


def _marker(session: Session, action: str) -> AuditRecord | None:
    return session.execute(
        select(AuditRecord).where(AuditRecord.action == action).order_by(AuditRecord.seq).limit(1)
    ).scalar_one_or_none()


def _mark(session: Session, action: str, after: dict) -> None:
    with use_case(session):
        audit.record(
            session, actor=SYSTEM.name, action=action, entity="system", entity_id="demo", after=after
        )


# --- the year's dates ---
@dataclass(frozen=True)
class Timeline:
    today: date
    periods: tuple[tuple[date, date], ...]  # three calendar months, the last cut off before today
    assigned_on: date

    @classmethod
    def ending(cls, today: date) -> Timeline:
        months = []
        end = (today - timedelta(days=8)).replace(day=1) - timedelta(days=1)
        for _ in range(3):
            months.append((end.replace(day=1), end))
            end = end.replace(day=1) - timedelta(days=1)
        months.reverse()
        return cls(today=today, periods=tuple(months), assigned_on=months[0][0] - timedelta(days=6))

    @staticmethod
    def cutoff(end: date) -> date:
        return end + timedelta(days=5)

    def elapsed(self, due: date) -> float:
        """Percent of the time from 交办 to the due date that has passed by today."""
        return min(100.0, (self.today - self.assigned_on).days / max(1, (due - self.assigned_on).days) * 100)


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """A local wall-clock moment as stored (naive UTC)."""
    return to_utc(datetime.combine(day, time(hour, minute)))


# --- the plan and its units ---
def unit_names(session: Session) -> list[str]:
    """The units the imported plans name (as the unit directory spells them), collectives left out."""
    directory = load_directory()
    names: dict[str, None] = {}
    for resp, co in session.execute(select(Task.responsible, Task.co_units_text).order_by(Task.id)):
        for name in [*(resp or []), *(co or [])]:
            if "各" in name:  # 局机关各科室, 各专项工作组: every unit, not one
                continue
            names.setdefault(directory.canonical(name) or name.strip(), None)
    return [n for n in names if n]


def _pick_plan(session: Session) -> tuple[Plan, list[DecompositionRow]] | None:
    """The plan whose 任务分解 proposes a lead unit for the most tasks (newest on a tie)."""
    best = None
    plans = session.execute(select(Plan).where(Plan.kind == "plan").order_by(Plan.year, Plan.id)).scalars()
    for plan in list(plans):
        _, rows = decomposition(session, actor=SYSTEM, plan_id=plan.id)
        ready = [r for r in rows if r.leaf and r.lead_unit_id is not None]
        if ready and (best is None or len(ready) >= len(best[1])):
            best = (plan, ready)
    return best


# --- the story of each task ---
# how many tasks get each story; every other task is on track ("green")
COUNTS = {
    "closed": 2,
    "returned_closed": 1,  # returned once for missing evidence, then closed
    "red": 3,
    "blue": 3,
    "yellow": 4,
    "extended": 1,  # 延期 approved
    "extension_asked": 1,  # 延期 waiting for the 督查
    "closeout_asked": 1,  # 销号 waiting for the 督查
    "contested": 1,  # 异议 waiting for the 督查
}


def _round5(x: float) -> float:
    return float(max(0, min(100, 5 * math.floor(x / 5))))


def _story(kind: str, tl: Timeline, rng: random.Random) -> tuple[date, float]:
    """(due date, percent reported in the last period) for a task of the kind."""
    t = tl.today
    if kind in ("closed", "returned_closed", "closeout_asked"):
        return t + timedelta(days=rng.randint(20, 60)), 100.0
    if kind == "red":
        return t - timedelta(days=rng.randint(3, 15)), _round5(rng.uniform(55, 80))
    if kind == "blue":
        return t + timedelta(days=rng.randint(2, 6)), _round5(rng.uniform(88, 96))
    if kind == "extension_asked":
        return t + timedelta(days=5), 90.0
    if kind == "extended":
        return tl.periods[2][1], 70.0  # the old date: moved to today + 45 days by the approval
    due = t + timedelta(days=rng.randint(60, 200))
    e = tl.elapsed(due)
    if kind == "yellow":
        return due, _round5(max(5.0, e - rng.uniform(30, 45)))
    return due, _round5(min(95.0, e + rng.uniform(5, 25)))  # green


def _value(q: Quantity, short: bool) -> float | None:
    """A reported figure for a target: met, or short of it."""
    if q.value is None or q.placeholder or q.comparator not in ("=", ">=", "<="):
        return None
    v = q.value * (1.1 if q.comparator == "<=" else 0.92) if short else q.value
    if q.unit in ("%", "％"):
        return round(min(v, 100.0), 1)
    return float(math.floor(v)) if float(q.value).is_integer() else round(v, 1)  # 所, 个, 人: whole


class _Year:
    """The demo year: schedules every action at its moment, then runs them in order of time."""

    def __init__(
        self, session: Session, tl: Timeline, rng: random.Random, rows: list[DecompositionRow]
    ) -> None:
        self.s, self.tl, self.rng, self.rows = session, tl, rng, rows
        self.events: list[tuple[datetime, int, Callable[[datetime], object]]] = []
        self.kinds: dict[int, str] = {}
        self.due: dict[int, date] = {}
        self.final: dict[int, float] = {}  # percent in the last report
        self.actors: dict[int, Actor] = {}
        self.ducha: Actor | None = None
        self.period_ids: list[int] = []

    def at(self, when: datetime, fn: Callable[[datetime], object]) -> None:
        self.events.append((when, len(self.events), fn))

    def run(self, now: datetime) -> None:
        for when, _, fn in sorted(self.events, key=lambda e: (e[0], e[1])):
            assert when < now, "the demo timeline must lie in the past"
            fn(when)

    # -- the story of each task: the first rows drawn get the rarer kinds, the rest are on track
    def cast(self) -> None:
        order = self.rows[:]
        self.rng.shuffle(order)
        pool = [k for k, n in COUNTS.items() for _ in range(n)]
        for i, row in enumerate(order):
            kind = pool[i] if i < len(pool) else "green"
            self.kinds[row.task_id] = kind
            self.due[row.task_id], self.final[row.task_id] = _story(kind, self.tl, self.rng)

    def lead_of(self, kind: str) -> list[DecompositionRow]:
        return [r for r in self.rows if self.kinds[r.task_id] == kind]

    def actor(self, row: DecompositionRow) -> Actor:
        return self.actors[row.lead_unit_id]

    # -- scheduling
    def assign_all(self) -> None:
        s, ducha, tl = self.s, self.ducha, self.tl
        self.at(at(tl.assigned_on, 9), self._create_periods)
        for row in self.rows:
            self.at(
                at(tl.assigned_on, 10),
                lambda when, r=row: tasks.transition(
                    s,
                    actor=ducha,
                    task_id=r.task_id,
                    action="assign",
                    lead_unit_id=r.lead_unit_id,
                    co_unit_ids=r.co_unit_ids,
                    due_date=self.due[r.task_id],
                    now=when,
                ),
            )
        for actor in self.actors.values():
            day = tl.assigned_on + timedelta(days=self.rng.randint(1, 2))
            self.at(at(day, 9, 30), lambda when, a=actor: tasks.sign_all(s, actor=a, now=when))

    def _create_periods(self, when: datetime) -> None:
        for start, end in self.tl.periods:
            cutoff = to_utc(datetime.combine(Timeline.cutoff(end), time(18)))
            period = reports.create_period(
                self.s,
                actor=self.ducha,
                name=f"{end.year}年{end.month}月",
                start=start,
                end=end,
                cutoff=cutoff,
            )
            self.period_ids.append(period.id)

    def report_all(self, missing: int | None, late: dict[int, set[int]]) -> None:
        for n, (_start, end) in enumerate(self.tl.periods, 1):
            cut = Timeline.cutoff(end)
            for uid, actor in self.actors.items():
                if n == 3 and uid == missing:
                    continue
                if uid in late[n]:
                    when = at(cut + timedelta(days=self.rng.randint(1, 3)), 10)
                else:
                    when = at(end + timedelta(days=self.rng.randint(1, 4)), 15)
                self.at(when, lambda w, a=actor, k=n: self._report(a, k, w))

    def _report(self, actor: Actor, n: int, when: datetime) -> None:
        period_id = self.period_ids[n - 1]
        entries = []
        for base in reports.draft(self.s, unit_id=actor.unit_id, period_id=period_id):
            task = self.s.get(Task, base.task_id)
            e = reports.Entry(task_id=base.task_id)
            if task.lead_unit_id != actor.unit_id:
                e.work_done = "配合牵头单位推进，按分工提供材料。"
                entries.append(e)
                continue
            final = self.final.get(task.id, 50.0)
            e.percent = final if n == 3 or final == 100 and n == 2 else _round5(final * n / 3)
            e.work_done = f"{self.rng.choice(WORK)}。"
            if e.percent + 15 < self.tl.elapsed(self.due.get(task.id, self.tl.today)):
                e.problems = f"{self.rng.choice(PROBLEMS[:-1])}。"
            e.next_steps = f"下一步{self.rng.choice(NEXT)}。"
            if n >= 2:
                for qid, _text in base.targets:
                    value = _value(self.s.get(Quantity, qid), short=self.rng.random() < 0.4)
                    if value is not None:
                        e.values[qid] = value
                        e.confirmed.add(qid)
            entries.append(e)
        reports.submit(
            self.s, actor=actor, unit_id=actor.unit_id, period_id=period_id, entries=entries, now=when
        )

    def closeouts(self) -> None:
        s, ducha, p3 = self.s, self.ducha, self.tl.periods[2][0]

        def step(row: DecompositionRow, day: int, action: str, who: Actor, **kw: object) -> None:
            self.at(
                at(p3 + timedelta(days=day), 11),
                lambda when: tasks.transition(
                    s, actor=who, task_id=row.task_id, action=action, now=when, **kw
                ),
            )

        for row in self.lead_of("closed"):
            step(row, 9, "request_closeout", self.actor(row))
            step(row, 11, "close", ducha, reason=CLOSE_NOTE)
        for row in self.lead_of("returned_closed"):
            step(row, 9, "request_closeout", self.actor(row))
            step(row, 10, "return", ducha, reason="佐证材料不全，请补充相关文件和数据后再申请销号")
            step(row, 12, "resume", self.actor(row))
            step(row, 16, "request_closeout", self.actor(row))
            step(row, 18, "close", ducha, reason=CLOSE_NOTE)
        today = self.tl.today
        for row in self.lead_of("closeout_asked"):
            self.at(
                at(today - timedelta(days=1), 9),
                lambda when, r=row: tasks.transition(
                    s, actor=self.actor(r), task_id=r.task_id, action="request_closeout", now=when
                ),
            )

    def extensions(self) -> None:
        s, ducha, p3, today = self.s, self.ducha, self.tl.periods[2][0], self.tl.today
        for row in self.lead_of("extended"):
            self.at(
                at(p3 + timedelta(days=5), 10),
                lambda when, r=row: tasks.transition(
                    s,
                    actor=self.actor(r),
                    task_id=r.task_id,
                    action="request_extension",
                    due_date=today + timedelta(days=45),
                    reason="受施工周期影响，需顺延完成",
                    now=when,
                ),
            )
            self.at(
                at(p3 + timedelta(days=7), 10),
                lambda when, r=row: tasks.transition(
                    s, actor=ducha, task_id=r.task_id, action="approve_extension", reason="同意", now=when
                ),
            )
        for row in self.lead_of("extension_asked"):
            self.at(
                at(today - timedelta(days=2), 10),
                lambda when, r=row: tasks.transition(
                    s,
                    actor=self.actor(r),
                    task_id=r.task_id,
                    action="request_extension",
                    due_date=today + timedelta(days=40),
                    reason="需等待上级部门批复，申请延期",
                    now=when,
                ),
            )

    def contests(self) -> None:
        s, today = self.s, self.tl.today
        for row in self.lead_of("contested"):
            self.at(
                at(today - timedelta(days=3), 14),
                lambda when, r=row: tasks.transition(
                    s,
                    actor=self.actor(r),
                    task_id=r.task_id,
                    action="contest",
                    contest_kind="long_term",
                    reason="该项为长期性工作，建议按年度持续跟进，不设一次性办结时限",
                    now=when,
                ),
            )

    def chase(self) -> None:
        """催办: the overdue tasks the day after their date, the units missing the last report."""
        s, ducha = self.s, self.ducha
        for row in self.lead_of("red"):
            day = self.due[row.task_id] + timedelta(days=1)
            self.at(
                at(day, 9), lambda when, r=row: reminders.remind(s, actor=ducha, task_id=r.task_id, now=when)
            )
        cut = Timeline.cutoff(self.tl.periods[2][1])
        self.at(
            at(cut + timedelta(days=1), 9),
            lambda when: reports.remind_missing(s, actor=ducha, period_id=self.period_ids[2], now=when),
        )

    def quiet_unit(self) -> int | None:
        """The unit that misses the last report: one whose own tasks are all on track (so it shows)."""
        on_track = sorted(
            uid
            for uid in {r.lead_unit_id for r in self.rows}
            if all(self.kinds[r.task_id] == "green" for r in self.rows if r.lead_unit_id == uid)
        )
        return self.rng.choice(on_track) if on_track else None


def _account(
    session: Session, new_password: Callable[[], str], username: str, role: str, display: str, unit: str = ""
) -> Account:
    password = new_password()
    users.create_user(
        session,
        actor=SYSTEM,
        username=username,
        password=password,
        role=role,
        unit=unit or None,
        display_name=display,
        must_change=False,  # the demo's runner is each account's owner: no forced change at first login
    )
    return Account(username=username, role=role, unit=unit, password=password)


def build(
    session: Session,
    *,
    cfg: Config,
    new_password: Callable[[], str],
    seed: int = 2024,
    now: datetime | None = None,
) -> DemoResult:
    """Build the demo year up to `now`, or report the earlier one; ValidationError on a database in use."""
    done = _marker(session, FINISHED)
    if done is not None:
        return DemoResult(already=done.at)
    if _marker(session, STARTED) is not None:
        raise ValidationError("上次建立示例年度时中断，数据不完整：请删除该数据库后重新运行 duban demo")
    found = existing_data(session)
    if found:
        raise ValidationError(
            f"数据库中已有业务数据（{'、'.join(found)}）；示例年度只建在仅导入了计划的新数据库上，"
            "可另指定一个：DUBAN_DATABASE_URL=sqlite:///demo.sqlite3 duban demo"
        )
    names = unit_names(session)
    if not names:
        raise ValidationError("没有写明责任单位的计划：请先导入工作要点（duban import 文件…）")
    now = now or utcnow()
    tl = Timeline.ending(local_date(now))
    rng = random.Random(seed)
    _mark(session, STARTED, {"seed": seed, "today": tl.today})

    users.create_unit(session, actor=SYSTEM, name=ROOT_UNIT, kind="other")
    for name in names:
        if name != ROOT_UNIT:
            users.create_unit(session, actor=SYSTEM, name=name, parent=ROOT_UNIT)
    picked = _pick_plan(session)
    if picked is None:
        raise ValidationError("导入的计划中没有能确定牵头单位的任务，无法建立示例年度")
    plan, rows = picked
    result = DemoResult(plan=plan, units=len(names) + 1, assigned=len(rows))
    year = _Year(session, tl, rng, rows)

    for username, role, display in ROLE_USERS:
        result.accounts.append(_account(session, new_password, username, role, display))
    year.ducha = users.actor_for(session, username="ducha")
    involved = sorted({r.lead_unit_id for r in rows} | {u for r in rows for u in r.co_unit_ids})
    for i, uid in enumerate(involved, 1):
        unit = session.get(Unit, uid)
        account = _account(
            session, new_password, f"danwei{i:02d}", "unit_member", f"{unit.name}联络员", unit.name
        )
        result.accounts.append(account)
        year.actors[uid] = users.actor_for(session, username=account.username)

    year.cast()
    missing = year.quiet_unit()
    reporting = sorted(year.actors)
    late = {
        n: set(rng.sample([u for u in reporting if u != missing], k)) for n, k in ((1, 1), (2, 2), (3, 1))
    }
    year.assign_all()
    year.report_all(missing, late)
    year.closeouts()
    year.extensions()
    year.contests()
    year.chase()
    year.run(now)
    reminders.tick(session, cfg=cfg, now=now)

    result.periods = [session.get(Period, pid).name for pid in year.period_ids]
    result.reports = session.execute(select(func.count()).select_from(Report)).scalar_one()
    result.late = session.execute(select(func.count()).select_from(Report).where(Report.late)).scalar_one()
    result.missing = [session.get(Unit, missing).name] if missing else []
    result.reminders = session.execute(select(func.count()).select_from(Reminder)).scalar_one()
    result.closed = len(year.lead_of("closed")) + len(year.lead_of("returned_closed"))
    result.extensions = len(year.lead_of("extended")) + len(year.lead_of("extension_asked"))
    _mark(session, FINISHED, {"seed": seed, "today": tl.today, "plan_id": plan.id})
    return result
