"""Every reader of "is this reported value a hit?" gives the same answer, for every comparator.

The task page, the dashboard, the reconcile page, the summary draft and the scores each read
the latest reported value and judge it with `plan.attainment.reported`; this test submits real
reports and asks all five.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from duban.assess.reconcile import reconcile
from duban.assess.scoring import assess_period
from duban.exports.summary_draft import summary_results
from duban.ledger import reports, tasks
from duban.ledger.config import LightConfig
from duban.ledger.models import Quantity, Task, Unit
from duban.ledger.read.targets import plan_attainment
from duban.ledger.read.tasks import task_detail
from duban.ledger.reported import latest_reported, short_of_targets
from duban.ledger.users import Actor
from tests.assess.helpers import doc, load, q

SUP = Actor("dc1", "supervisor")
LEADER = Actor("ld", "leader")

ITEMS = [
    ("一", "重点任务", ""),
    ("一/1", "新建幼儿园", "新建幼儿园10所。"),
    ("一/2", "普及学前教育", "学前三年毛入园率达到94.5%以上。"),
    ("一/3", "消除大班额", "大班额比例控制在5%以内。"),
    ("一/4", "提高巩固率", "义务教育巩固率比上年提高2个百分点。"),
    ("一/5", "撤并薄弱校", "薄弱学校减少10所。"),
]
TARGETS = {  # task path -> (target text, comparator, value, unit)
    "一/1": ("新建幼儿园10所", "=", 10, "所"),
    "一/2": ("学前三年毛入园率达到94.5%以上", ">=", 94.5, "%"),
    "一/3": ("大班额比例控制在5%以内", "<=", 5, "%"),
    "一/4": ("义务教育巩固率比上年提高2个百分点", "delta+", 2, "个百分点"),
    "一/5": ("薄弱学校减少10所", "delta-", 10, "所"),
}
# comparator -> (a reported value that meets it, one that falls short)
CASES = {"=": (11, 9), ">=": (95, 94), "<=": (4, 6), "delta+": (3, 1), "delta-": (12, 8)}


@pytest.fixture
def year(session):
    unit = Unit(name="基础教育科")
    session.add(unit)
    session.commit()
    quantities = [q(p, t, t[:6], v, u, "target", c) for p, (t, c, v, u) in TARGETS.items()]
    (plan_id,) = load(session, doc("plan", 2024, ITEMS, quantities))
    ids = dict(session.execute(select(Task.path, Task.id)).all())
    for path in TARGETS:
        tasks.assign(session, actor=SUP, task_id=ids[path], lead_unit_id=unit.id)
    periods = [
        reports.create_period(
            session,
            actor=SUP,
            name=f"2024-0{m}",
            start=date(2024, m, 1),
            end=date(2024, m, 28),
            cutoff=datetime(2024, m + 1, 5),
        )
        for m in (6, 7)
    ]
    qids = {t: i for t, i in session.execute(select(Quantity.text, Quantity.id))}
    return plan_id, unit, ids, qids, periods


def _submit(session, unit, ids, qids, period, values: dict[str, float | None], when: datetime) -> None:
    member = Actor("jj", "unit_member", unit_id=unit.id)
    entries = [
        reports.Entry(task_id=ids[path], work_done="进展", values={qids[TARGETS[path][0]]: values[path]})
        for path in TARGETS
    ]
    reports.submit(session, actor=member, unit_id=unit.id, period_id=period.id, entries=entries, now=when)


def _every_reader(session, plan_id, ids, qids, period_name: str | None) -> dict[str, dict[str, str]]:
    """reader -> target text -> state, as each page or export shows it."""
    now = datetime(2024, 9, 1)
    out: dict[str, dict[str, str]] = {}
    page = {}
    for path in TARGETS:
        detail = task_detail(session, actor=LEADER, task_id=ids[path], now=now, cfg=LightConfig())
        page.update({t.text: t.attainment for t in detail.targets})
    out["task page"] = page
    board = plan_attainment(session, task_ids=list(ids.values()))
    out["dashboard"] = {r.target: r.state for r in board.rows}
    out["reconcile"] = {r.target_text: r.state for r in reconcile(session, plan_id=plan_id).rows}
    _, headings = summary_results(session, plan_id=plan_id)
    draft = {}
    for h in headings:
        draft.update({r.quantity.text: "not_met" for _, r in h.not_met})
        draft.update({r.quantity.text: "unknown" for _, r in h.unknown})
    out["summary draft"] = {t: draft.get(t, "met") for t in qids}
    # the ticker asks only which tasks are short of a target (one target a task here: short or met),
    # by ids and by a subquery of every task
    text_of = {i: t for t, i in qids.items()}
    by_task = {q.task_id: text_of[q.id] for q in session.execute(select(Quantity)).scalars()}
    for how, asked in (("ids", list(ids.values())), ("subquery", select(Task.id))):
        short = short_of_targets(session, task_ids=asked)
        out[f"ticker by {how}"] = {t: "not_met" if i in short else "met" for i, t in by_task.items()}
    if period_name:
        path_of = {v: k for k, v in ids.items()}
        points = [p for s in assess_period(session, period_name=period_name, now=now) for p in s.breakdown]
        out["scores"] = {
            TARGETS[path_of[p.task_id]][0]: "met" if p.rule == "target_met" else "not_met"
            for p in points
            if p.rule in ("target_met", "target_not_met")
        }
    return out


@pytest.mark.parametrize("outcome", ["met", "not_met"])
def test_every_comparator_is_judged_alike_everywhere(session, year, outcome):
    plan_id, unit, ids, qids, periods = year
    pick = 0 if outcome == "met" else 1
    values = {path: CASES[TARGETS[path][1]][pick] for path in TARGETS}
    _submit(session, unit, ids, qids, periods[0], values, datetime(2024, 7, 1))
    expected = {TARGETS[path][0]: outcome for path in TARGETS}
    for reader, states in _every_reader(session, plan_id, ids, qids, periods[0].name).items():
        assert states == expected, reader


def test_a_blank_leaves_the_last_figure_standing(session, year):
    plan_id, unit, ids, qids, periods = year
    met = {path: CASES[TARGETS[path][1]][0] for path in TARGETS}
    _submit(session, unit, ids, qids, periods[0], met, datetime(2024, 7, 1))
    _submit(session, unit, ids, qids, periods[1], dict.fromkeys(TARGETS), datetime(2024, 8, 1))
    latest = latest_reported(session, plan_id=plan_id)
    assert {qid: r.value for qid, r in latest.items()} == {qids[TARGETS[p][0]]: v for p, v in met.items()}
    assert {r.period for r in latest.values()} == {"2024-06"}
    assert latest_reported(session, quantity_ids=[]) == {}
    expected = {TARGETS[path][0]: "met" for path in TARGETS}
    for reader, states in _every_reader(session, plan_id, ids, qids, None).items():
        assert states == expected, reader
    # the blank period scores no target at all: a blank is no figure, neither hit nor miss
    points = [p for s in assess_period(session, period_name="2024-07") for p in s.breakdown]
    assert not [p for p in points if p.rule.startswith("target_")]


def test_a_later_figure_wins(session, year):
    plan_id, unit, ids, qids, periods = year
    short = {path: CASES[TARGETS[path][1]][1] for path in TARGETS}
    met = {path: CASES[TARGETS[path][1]][0] for path in TARGETS}
    _submit(session, unit, ids, qids, periods[0], met, datetime(2024, 7, 1))
    _submit(session, unit, ids, qids, periods[1], short, datetime(2024, 8, 1))
    expected = {TARGETS[path][0]: "not_met" for path in TARGETS}
    for reader, states in _every_reader(session, plan_id, ids, qids, None).items():
        assert states == expected, reader


def test_asking_about_more_ids_than_one_statement_takes(session, year, monkeypatch):
    """A bureau-wide question (every open task) runs in parts, on PostgreSQL beyond its 65,535
    parameters too, and the parts answer as one statement would."""
    from duban.ledger import reported as reported_module
    from duban.ledger.reported import target_states

    plan_id, unit, ids, qids, periods = year
    met = {path: CASES[TARGETS[path][1]][0] for path in TARGETS}
    _submit(session, unit, ids, qids, periods[0], met, datetime(2024, 7, 1))
    whole = latest_reported(session, quantity_ids=qids.values())
    states = target_states(session, task_ids=ids.values())
    short = short_of_targets(session, task_ids=ids.values())
    many = list(qids.values()) + list(range(10**6, 10**6 + 70_000))  # unknown ids: no rows
    assert latest_reported(session, quantity_ids=many) == whole
    monkeypatch.setattr(reported_module, "IN_CHUNK", 2)  # parts of two: targets split across parts
    assert latest_reported(session, quantity_ids=qids.values()) == whole
    assert target_states(session, task_ids=ids.values()) == states
    assert short_of_targets(session, task_ids=ids.values()) == short
