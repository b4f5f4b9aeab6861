"""Units the plan names but the directory lacks: created in one step or mapped as 别名, remembered."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from duban.ledger import decomposition as decomp
from duban.ledger import plans
from duban.ledger.errors import NotFoundError, PermissionDenied, ValidationError
from duban.ledger.models import AuditRecord, Plan, Unit, UnitAlias
from duban.ledger.users import SYSTEM, Actor, create_unit
from tests.conftest import small_plan

SUP = Actor("dc1", "supervisor")


@pytest.fixture
def plan_id(session):
    create_unit(session, actor=SYSTEM, name="人事科")
    create_unit(session, actor=SYSTEM, name="基础教育处")  # what the plan calls 基础教育科
    plans.import_plan(session, plan=small_plan(), content=b"v1", name="plan.txt")
    return session.execute(select(Plan.id)).scalar_one()


def _missing(session, plan_id):
    _, rows = decomp.decomposition(session, actor=SUP, plan_id=plan_id)
    return decomp.missing_units([r for r in rows if r.leaf]), {r.path: r for r in rows}


def test_missing_names_listed_with_their_tasks(session, plan_id):
    missing, _ = _missing(session, plan_id)
    assert [(m.name, m.tasks, m.lead, m.kind) for m in missing] == [
        ("基础教育科", ["一/1", "一/2"], 2, "office"),
        ("财务科", ["一/1"], 0, "office"),
    ]


def test_create_and_map_in_one_step_then_rows_match(session, plan_id):
    unit = session.execute(select(Unit).where(Unit.name == "基础教育处")).scalar_one()
    created, mapped = decomp.resolve_units(
        session,
        actor=SUP,
        choices=[
            decomp.UnitChoice("基础教育科", unit_id=unit.id),
            decomp.UnitChoice("财务科", create=True, kind="office", parent="基础教育处"),
        ],
    )
    assert (created, mapped) == (1, 1)
    finance = session.execute(select(Unit).where(Unit.name == "财务科")).scalar_one()
    assert finance.parent_id == unit.id
    missing, rows = _missing(session, plan_id)
    assert missing == []
    assert rows["一/1"].lead_unit_id == unit.id and rows["一/1"].co_unit_ids == [finance.id]
    assert rows["一/2"].lead_unit_id == unit.id
    actions = [a for (a,) in session.execute(select(AuditRecord.action).where(AuditRecord.entity == "unit"))]
    assert actions.count("unit.alias") == 1 and "unit.create" in actions


def test_the_mapping_is_remembered_for_next_years_plan(session, plan_id):
    unit = session.execute(select(Unit).where(Unit.name == "基础教育处")).scalar_one()
    decomp.resolve_units(session, actor=SUP, choices=[decomp.UnitChoice("基础教育科", unit_id=unit.id)])
    plans.import_plan(
        session, plan=small_plan(year=2025, title="某市教育局2025年工作要点"), content=b"v2", name="p25.txt"
    )
    later = session.execute(select(Plan.id).where(Plan.year == 2025)).scalar_one()
    missing, rows = _missing(session, later)
    assert [m.name for m in missing] == ["财务科"]
    assert rows["一/2"].lead_unit_id == unit.id
    assert session.execute(select(UnitAlias.alias, UnitAlias.created_by)).all() == [("基础教育科", "dc1")]


def test_refusals_leave_nothing_half_done(session, plan_id):
    with pytest.raises(PermissionDenied):
        decomp.resolve_units(
            session,
            actor=Actor("m", "unit_member", unit_id=1),
            choices=[decomp.UnitChoice("财务科", create=True)],
        )
    with pytest.raises(ValidationError, match="请为至少一个单位"):
        decomp.resolve_units(session, actor=SUP, choices=[decomp.UnitChoice("财务科")])
    with pytest.raises(NotFoundError):  # the second choice fails: the first is not kept either
        decomp.resolve_units(
            session,
            actor=SUP,
            choices=[
                decomp.UnitChoice("财务科", create=True),
                decomp.UnitChoice("基础教育科", unit_id=99999),
            ],
        )
    assert session.execute(select(Unit.id).where(Unit.name == "财务科")).first() is None
    with pytest.raises(ValidationError, match="单位已存在"):
        decomp.resolve_units(session, actor=SUP, choices=[decomp.UnitChoice("人事科", create=True)])
