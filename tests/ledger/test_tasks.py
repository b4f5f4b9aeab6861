"""Every lifecycle action, allowed and refused by role, by unit and by state."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import func, select

from duban.ledger import plans, tasks
from duban.ledger.errors import ConflictError, LedgerError, PermissionDenied, TransitionError, ValidationError
from duban.ledger.models import AuditRecord, Milestone, Task, TaskUnit, Unit
from duban.ledger.users import Actor

from .conftest import small_plan


class World:
    def __init__(self, session):
        self.session = session
        units = [Unit(name=n) for n in ("基础教育科", "财务科", "人事科")]
        session.add_all(units)
        session.commit()
        self.lead, self.co, self.other = (u.id for u in units)
        plans.import_plan(session, plan=small_plan(), content=b"plan", name="plan.txt")
        self.task_id = session.execute(select(Task.id).where(Task.path == "一/1")).scalar_one()
        self.actors = {
            "admin": Actor("admin1", "admin"),
            "supervisor": Actor("dc1", "supervisor"),
            "leader": Actor("ld1", "leader"),
            "security_admin": Actor("sec1", "security_admin"),
            "audit_admin": Actor("aud1", "audit_admin"),
            "lead_member": Actor("jj1", "unit_member", unit_id=self.lead),
            "co_member": Actor("cw1", "unit_member", unit_id=self.co),
            "other_member": Actor("rs1", "unit_member", unit_id=self.other),
        }

    def do(self, action, who, **params):
        return tasks.transition(
            self.session, actor=self.actors[who], task_id=self.task_id, action=action, **params
        )

    def task(self) -> Task:
        return tasks.get_task(self.session, task_id=self.task_id)


@pytest.fixture
def world(session):
    return World(session)


def _params(world, action):
    return {
        "assign": {"lead_unit_id": world.lead, "co_unit_ids": [world.co]},
        "reassign": {"lead_unit_id": world.other, "co_unit_ids": [world.lead]},
        "return": {"reason": "佐证材料不足"},
        "request_extension": {"due_date": date(2024, 10, 31), "reason": "工程延误"},
        "contest": {"contest_kind": "wording", "reason": "目标表述需调整"},
        "accept_contest": {"new_title": "新建和改扩建幼儿园10所"},
    }.get(action, {})


# the steps that bring a task into a state where the action is allowed
SETUP = {
    "assign": [],
    "reassign": [("assign", "supervisor")],
    "sign": [("assign", "supervisor")],
    "start": [("assign", "supervisor")],
    "request_closeout": [("assign", "supervisor"), ("start", "lead_member")],
    "close": [("assign", "supervisor"), ("start", "lead_member"), ("request_closeout", "lead_member")],
    "return": [("assign", "supervisor"), ("start", "lead_member"), ("request_closeout", "lead_member")],
    "resume": [
        ("assign", "supervisor"),
        ("start", "lead_member"),
        ("request_closeout", "lead_member"),
        ("return", "supervisor"),
    ],
    "request_extension": [("assign", "supervisor"), ("start", "lead_member")],
    "approve_extension": [("assign", "supervisor"), ("request_extension", "lead_member")],
    "reject_extension": [("assign", "supervisor"), ("request_extension", "lead_member")],
    "contest": [("assign", "supervisor")],
    "accept_contest": [("assign", "supervisor"), ("contest", "co_member")],
    "reject_contest": [("assign", "supervisor"), ("contest", "lead_member")],
}

ALLOWED = {
    "assign": {"admin", "supervisor"},
    "reassign": {"admin", "supervisor"},
    "start": {"lead_member"},
    "request_closeout": {"lead_member"},
    "sign": {"lead_member", "co_member"},
    "close": {"supervisor"},
    "return": {"supervisor"},
    "resume": {"lead_member"},
    "request_extension": {"lead_member"},
    "approve_extension": {"supervisor"},
    "reject_extension": {"supervisor"},
    "contest": {"lead_member", "co_member"},
    "accept_contest": {"supervisor"},
    "reject_contest": {"supervisor"},
}


def test_rule_table_is_what_the_tests_check():
    assert set(tasks.RULES) == set(ALLOWED) == set(SETUP)


def _audit_count(session) -> int:
    return session.execute(select(func.count()).select_from(AuditRecord)).scalar_one()


@pytest.mark.parametrize("action", sorted(ALLOWED))
def test_action_allowed_and_refused_by_role(world, action):
    for step, who in SETUP[action]:
        world.do(step, who, **_params(world, step))
    before = world.task()
    state, version = before.status, before.version
    n_audit = _audit_count(world.session)
    for who in world.actors:
        if who in ALLOWED[action]:
            continue
        with pytest.raises(PermissionDenied) as err:
            world.do(action, who, **_params(world, action))
        assert "无权" in str(err.value)
        assert world.task().version == version and world.task().status == state
    assert _audit_count(world.session) == n_audit  # refusals write nothing
    for who in sorted(ALLOWED[action])[:1]:
        task = world.do(action, who, expected_version=version, **_params(world, action))
        target = tasks.RULES[action].target
        assert task.status == (target or state)
        assert task.version == version + 1
    rec = world.session.execute(select(AuditRecord).order_by(AuditRecord.seq.desc()).limit(1)).scalar_one()
    assert rec.action == f"task.{action}" and rec.entity_id == str(world.task_id)
    assert f'"version":{version}' in rec.before and f'"version":{version + 1}' in rec.after


@pytest.mark.parametrize("action", sorted(ALLOWED))
def test_action_refused_from_wrong_state(world, action):
    wrong = {
        "assign": [("assign", "supervisor")],
        "close": [("assign", "supervisor"), ("start", "lead_member")],
        "return": [("assign", "supervisor")],
        "resume": [("assign", "supervisor"), ("start", "lead_member")],
        "start": SETUP["request_closeout"],
        "sign": [("assign", "supervisor"), ("sign", "co_member")],
        "request_closeout": [("assign", "supervisor")],
        "reassign": SETUP["close"] + [("close", "supervisor")],
        "request_extension": SETUP["close"],
        "approve_extension": SETUP["close"] + [("close", "supervisor")],
        "reject_extension": [],
        "contest": SETUP["close"],
        "accept_contest": [],
        "reject_contest": [],
    }[action]
    for step, who in wrong:
        world.do(step, who, **_params(world, step))
    who = sorted(ALLOWED[action])[0]
    with pytest.raises(TransitionError):
        world.do(action, who, **_params(world, action))


def test_assignment_due_date_from_plan_and_milestones(world):
    task = world.do(
        "assign",
        "supervisor",
        lead_unit_id=world.lead,
        co_unit_ids=[world.co],
        milestones=[("一季度", date(2024, 3, 31))],
    )
    assert task.due_date == date(2024, 8, 31)  # the plan's deadline 2024年8月底前
    assert task.lead_unit_id == world.lead
    assert {(u.role, u.unit_id) for u in task.units} == {("lead", world.lead), ("co", world.co)}
    assert world.session.execute(select(Milestone.title)).scalar_one() == "一季度"
    # a task without its own deadline takes the end of the plan's year
    other = world.session.execute(select(Task).where(Task.path == "一/2")).scalar_one()
    t2 = tasks.assign(world.session, actor=world.actors["admin"], task_id=other.id, lead_unit_id=world.lead)
    assert t2.due_date == date(2024, 12, 31)


def test_extension_changes_due_date_only_when_approved(world):
    world.do("assign", "supervisor", lead_unit_id=world.lead, due_date=date(2024, 6, 30))
    with pytest.raises(ValidationError):
        world.do("request_extension", "lead_member", due_date=date(2024, 5, 1), reason="x")
    world.do("request_extension", "lead_member", due_date=date(2024, 9, 30), reason="资金未到位")
    with pytest.raises(TransitionError):
        world.do("request_extension", "lead_member", due_date=date(2024, 10, 30), reason="again")
    world.do("reject_extension", "supervisor")
    assert world.task().due_date == date(2024, 6, 30)
    world.do("request_extension", "lead_member", due_date=date(2024, 9, 30), reason="资金未到位")
    world.do("approve_extension", "supervisor")
    assert world.task().due_date == date(2024, 9, 30)
    assert world.task().extension_status == "approved"


def test_return_needs_reason_and_resume(world):
    for step, who in SETUP["return"]:
        world.do(step, who, **_params(world, step))
    with pytest.raises(ValidationError):
        world.do("return", "supervisor", reason="  ")
    world.do("return", "supervisor", reason="缺少竣工验收材料")
    assert world.task().status == "returned" and world.task().return_reason == "缺少竣工验收材料"
    world.do("request_closeout", "lead_member")
    world.do("close", "supervisor")
    assert world.task().status == "closed" and world.task().closed_at is not None


def test_contest_not_our_duty_accepted_reassigns(world):
    world.do("assign", "supervisor", lead_unit_id=world.lead)
    world.do("start", "lead_member")
    world.do("contest", "lead_member", contest_kind="not_our_duty", reason="应由人事科牵头")
    world.do("accept_contest", "supervisor", lead_unit_id=world.other)
    task = world.task()
    assert (
        task.status == "assigned" and task.lead_unit_id == world.other and task.contest_status == "accepted"
    )
    with pytest.raises(PermissionDenied):
        world.do("start", "lead_member")
    world.do("start", "other_member")


def test_contest_long_term_and_bad_kind(world):
    world.do("assign", "supervisor", lead_unit_id=world.lead)
    with pytest.raises(ValidationError):
        world.do("contest", "lead_member", contest_kind="whatever", reason="x")
    world.do("contest", "lead_member", contest_kind="long_term", reason="跨年度工程")
    world.do("accept_contest", "supervisor")
    assert world.task().long_term is True


def test_stale_version_is_a_conflict(world):
    world.do("assign", "supervisor", lead_unit_id=world.lead)
    seen = world.task().version
    world.do("start", "lead_member", expected_version=seen)
    with pytest.raises(ConflictError) as err:
        world.do(
            "request_extension", "lead_member", expected_version=seen, due_date=date(2024, 12, 1), reason="x"
        )
    assert "已被他人修改" in str(err.value)


def test_concurrent_update_is_a_conflict_not_a_lost_update(world, Session):
    """Two sessions read the same version; the second write loses the race and gets ConflictError."""
    world.do("assign", "supervisor", lead_unit_id=world.lead)
    s1, s2 = Session(), Session()
    try:
        t1 = tasks.get_task(s1, task_id=world.task_id)
        t2 = tasks.get_task(s2, task_id=world.task_id)
        s1.rollback()
        s2.rollback()
        assert t1.version == t2.version
        # both apply on the object they read; the version column guards the UPDATE
        tasks.apply(s1, actor=world.actors["lead_member"], task=t1, action="start")
        s1.commit()
        errors = []

        def second():
            try:
                from duban.ledger.uow import use_case

                with use_case(s2):
                    tasks.apply(
                        s2,
                        actor=world.actors["lead_member"],
                        task=t2,
                        action="request_extension",
                        due_date=date(2024, 12, 1),
                        reason="x",
                    )
            except Exception as exc:  # noqa: BLE001
                errors.append(exc)

        th = threading.Thread(target=second)
        th.start()
        th.join(30)
        assert len(errors) == 1 and isinstance(errors[0], ConflictError)
        assert "已被他人修改" in str(errors[0])
    finally:
        s1.close()
        s2.close()
    task = world.task()
    assert task.status == "in_progress" and task.extension_status == ""


def test_refusal_is_what_the_service_raises(world):
    """The buttons (refusal) and the service (apply) give the same answer, with the same words."""
    states = {tuple(steps) for steps in SETUP.values()}
    for steps in sorted(states, key=len):
        world.session.execute(TaskUnit.__table__.delete().where(TaskUnit.task_id == world.task_id))
        world.session.execute(
            Task.__table__.update()
            .where(Task.id == world.task_id)
            .values(status="unassigned", extension_status="", contest_status="")
        )
        world.session.commit()
        for step, who in steps:
            world.do(step, who, **_params(world, step))
        task = world.task()
        for who, actor in world.actors.items():
            for action in tasks.RULES:
                reason = tasks.refusal(actor, task, action)
                if reason is None:
                    continue
                with pytest.raises(LedgerError) as err:
                    world.do(action, who, **_params(world, action))
                assert str(err.value) == reason, (steps, who, action)


def test_accepting_a_contest_keeps_the_status_unless_it_moves_the_task(world):
    world.do("assign", "supervisor", lead_unit_id=world.lead)
    world.do("start", "lead_member")
    world.do("contest", "lead_member", contest_kind="wording", reason="表述需调整")
    world.do("accept_contest", "supervisor", new_title="新建幼儿园8所")
    task = world.task()
    assert task.status == "in_progress" and task.title == "新建幼儿园8所"  # the rule's "status stays"
    world.do("contest", "lead_member", contest_kind="not_our_duty", reason="应由人事科牵头")
    world.do("accept_contest", "supervisor", lead_unit_id=world.other)
    assert world.task().status == tasks.RULES["reassign"].target  # moved: ends where 改派 ends


def test_sign_per_unit_kept_across_reassignment(world):
    world.do("assign", "supervisor", lead_unit_id=world.lead, co_unit_ids=[world.co])
    signed = lambda: {u.unit_id: u.signed_by for u in world.task().units if u.signed_at}  # noqa: E731
    assert signed() == {}
    world.do("sign", "co_member")
    assert signed() == {world.co: "cw1"}
    assert tasks.refusal(world.actors["co_member"], world.task(), "sign") == "本单位已签收该任务"
    assert tasks.refusal(world.actors["lead_member"], world.task(), "sign") is None
    assert world.task().status == "assigned"  # 签收 changes no status
    world.do("start", "lead_member")  # starting signs for the lead unit too
    assert signed() == {world.co: "cw1", world.lead: "jj1"}
    world.do("reassign", "supervisor", lead_unit_id=world.other, co_unit_ids=[world.co])
    assert signed() == {world.co: "cw1"}  # the co-unit stays and keeps its 签收; the new lead signs anew
    with pytest.raises(PermissionDenied):
        world.do("sign", "lead_member")
