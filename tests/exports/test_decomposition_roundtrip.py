"""duban's own 任务分解表 (.xlsx) imported back: the same tasks, units and deadlines."""

from __future__ import annotations

from sqlalchemy import select

from duban.documents import read_bytes
from duban.exports.decomposition_xlsx import decomposition_xlsx
from duban.ledger import plans
from duban.ledger.models import Deadline, Plan, Task
from duban.plan.parser import parse_text
from tests.conftest import SEEDS

SEED = SEEDS / "002_1ac5cf17bd611ec8.txt"  # a 2021 plan: headings, tasks with 责任科室, deadlines


def test_exported_table_imports_back_into_the_same_tasks_units_and_deadlines(session) -> None:
    plans.import_file(session, path=SEED)
    plan = session.execute(select(Plan).where(Plan.kind == "plan")).scalars().first()
    tasks = list(
        session.execute(select(Task).where(Task.plan_id == plan.id).order_by(Task.position)).scalars()
    )
    dates = {
        (path, d.date.isoformat())
        for path, d in session.execute(
            select(Task.path, Deadline)
            .join(Deadline, Deadline.task_id == Task.id)
            .where(Task.plan_id == plan.id)
        )
    }

    src = read_bytes(decomposition_xlsx(session, plan_id=plan.id), "任务分解表.xlsx")
    (doc,) = parse_text(src.text, src.name).documents

    assert doc.title == f"{plan.title}任务分解表" and doc.year == plan.year
    assert [(i.path, i.title) for i in doc.items] == [(t.path, t.title) for t in tasks]
    assert [i.responsible for i in doc.items] == [t.responsible for t in tasks]
    back = {(d.item, d.date) for d in doc.deadlines}
    assert dates and dates <= back  # every deadline of the ledger comes back on its task
