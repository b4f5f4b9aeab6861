from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from duban.ledger import reports
from duban.ledger.errors import ConflictError, PermissionDenied, TransitionError, ValidationError
from duban.ledger.models import Attachment, AuditRecord, Blob, Quantity, ReportItem, Task

from .test_tasks import World


@pytest.fixture
def world(session):
    w = World(session)
    w.t12 = session.execute(select(Task.id).where(Task.path == "一/2")).scalar_one()
    w.do("assign", "supervisor", lead_unit_id=w.lead, co_unit_ids=[w.co])
    from duban.ledger import tasks

    tasks.assign(session, actor=w.actors["supervisor"], task_id=w.t12, lead_unit_id=w.lead)
    sup = w.actors["supervisor"]
    w.p1 = reports.create_period(
        session,
        actor=sup,
        name="2024-03",
        start=date(2024, 3, 1),
        end=date(2024, 3, 31),
        cutoff=datetime(2024, 4, 5),
    )
    w.p2 = reports.create_period(
        session,
        actor=sup,
        name="2024-04",
        start=date(2024, 4, 1),
        end=date(2024, 4, 30),
        cutoff=datetime(2024, 5, 5),
    )
    w.q11 = session.execute(select(Quantity.id).where(Quantity.text == "新建幼儿园10所")).scalar_one()
    return w


def test_one_report_per_unit_and_period_covering_all_tasks(world, session):
    me = world.actors["lead_member"]
    entries = [
        reports.Entry(
            task_id=world.task_id,
            work_done="已开工4所",
            percent=40,
            values={world.q11: 4},
            attachments=[("开工照片.jpg", b"\xff\xd8jpeg"), ("复制.jpg", b"\xff\xd8jpeg")],
        )
    ]
    rep = reports.submit(
        session,
        actor=me,
        unit_id=world.lead,
        period_id=world.p1.id,
        entries=entries,
        now=datetime(2024, 4, 3),
    )
    assert not rep.late
    assert {i.task_id for i in rep.items} == {world.task_id, world.t12}  # all the unit's tasks
    task = world.task()
    assert task.status == "in_progress" and task.last_percent == 40  # the first report starts the task
    # attachments stored once by content hash, names kept
    assert session.execute(select(Blob.sha256).where(Blob.size == 6)).scalars().all().__len__() == 1
    assert sorted(session.execute(select(Attachment.original_name)).scalars()) == ["复制.jpg", "开工照片.jpg"]
    with pytest.raises(ConflictError) as err:  # 409: a second report (or a lost race) is refused
        reports.submit(session, actor=me, unit_id=world.lead, period_id=world.p1.id, entries=[])
    assert "已报送" in str(err.value) and "每期只报一次" in str(err.value)


def test_draft_prefilled_from_last_report_and_carried_over(world, session):
    me = world.actors["lead_member"]
    reports.submit(
        session,
        actor=me,
        unit_id=world.lead,
        period_id=world.p1.id,
        entries=[
            reports.Entry(task_id=world.task_id, work_done="已开工4所", percent=40, values={world.q11: 4})
        ],
        now=datetime(2024, 4, 1),
    )
    draft = {e.task_id: e for e in reports.draft(session, unit_id=world.lead, period_id=world.p2.id)}
    assert draft[world.task_id].work_done == "已开工4所"
    assert draft[world.task_id].percent == 40 and draft[world.task_id].values == {world.q11: 4}
    assert draft[world.task_id].targets == [(world.q11, "新建幼儿园10所")]
    # the unit only states what changed; the rest is carried over, nothing asked twice
    rep = reports.submit(
        session,
        actor=me,
        unit_id=world.lead,
        period_id=world.p2.id,
        entries=[reports.Entry(task_id=world.task_id, percent=60)],
        now=datetime(2024, 5, 6),
    )
    assert rep.late  # after the cut-off of 2024-05-05
    item = next(i for i in rep.items if i.task_id == world.task_id)
    assert item.work_done == "已开工4所" and item.percent == 60
    assert {v.quantity_id: v.value for v in item.values} == {world.q11: 4}


def test_report_refused_for_others_and_bad_input(world, session):
    with pytest.raises(PermissionDenied):
        reports.submit(
            session, actor=world.actors["supervisor"], unit_id=world.lead, period_id=world.p1.id, entries=[]
        )
    with pytest.raises(PermissionDenied):
        reports.submit(
            session, actor=world.actors["co_member"], unit_id=world.lead, period_id=world.p1.id, entries=[]
        )
    me = world.actors["lead_member"]
    other_task = session.execute(select(Task.id).where(Task.path == "二/1")).scalar_one()
    with pytest.raises(ValidationError):
        reports.submit(
            session,
            actor=me,
            unit_id=world.lead,
            period_id=world.p1.id,
            entries=[reports.Entry(task_id=other_task)],
        )
    with pytest.raises(ValidationError):
        reports.submit(
            session,
            actor=me,
            unit_id=world.lead,
            period_id=world.p1.id,
            entries=[reports.Entry(task_id=world.task_id, percent=140)],
        )
    assert session.execute(select(ReportItem.id)).first() is None


def test_co_unit_reports_its_part_without_moving_the_task(world, session):
    rep = reports.submit(
        session,
        actor=world.actors["co_member"],
        unit_id=world.co,
        period_id=world.p1.id,
        entries=[reports.Entry(task_id=world.task_id, work_done="资金已拨付", percent=50)],
        now=datetime(2024, 4, 1),
    )
    assert [i.task_id for i in rep.items] == [world.task_id]
    assert world.task().status == "assigned" and world.task().last_percent is None
    assert [u.name for u in reports.missing_units(session, period_id=world.p1.id)] == ["基础教育科"]


def test_reading_reports_and_attachments_is_limited_to_the_unit(world, session):
    me = world.actors["lead_member"]
    rep = reports.submit(
        session,
        actor=me,
        unit_id=world.lead,
        period_id=world.p1.id,
        entries=[reports.Entry(task_id=world.task_id, attachments=[("图.png", b"\x89PNG-bytes")])],
        now=datetime(2024, 4, 3),
    )
    att = session.execute(select(Attachment.id)).scalar_one()
    for who in ("lead_member", "supervisor", "leader", "admin"):
        assert reports.read_attachment(session, actor=world.actors[who], attachment_id=att) == (
            "图.png",
            b"\x89PNG-bytes",
        )
        assert reports.get_report(session, actor=world.actors[who], report_id=rep.id) is rep
    for who in ("co_member", "other_member", "security_admin", "audit_admin"):
        with pytest.raises(PermissionDenied):
            reports.read_attachment(session, actor=world.actors[who], attachment_id=att)
        with pytest.raises(PermissionDenied):
            reports.get_report(session, actor=world.actors[who], report_id=rep.id)
    assert reports.list_reports(session, actor=world.actors["co_member"]) == []
    assert reports.list_reports(session, actor=world.actors["supervisor"]) == [rep]
    with pytest.raises(PermissionDenied):
        reports.list_reports(session, actor=world.actors["co_member"], unit_id=world.lead)
    states = {
        p.name: s
        for p, _, s in reports.unit_periods(session, actor=me, unit_id=world.lead, now=datetime(2024, 5, 6))
    }
    assert states == {"2024-03": "reported", "2024-04": "missing"}


def test_remind_missing_units_once_per_unit(world, session):
    from duban.ledger.models import Reminder

    sup = world.actors["supervisor"]
    with pytest.raises(PermissionDenied):
        reports.remind_missing(session, actor=world.actors["leader"], period_id=world.p1.id)
    ids = reports.remind_missing(
        session, actor=sup, period_id=world.p1.id, now=datetime(2024, 4, 6), co_direct=True
    )  # co-units report to the supervisor too (configuration): both are asked
    got = session.execute(select(Reminder.unit_id, Reminder.message)).all()
    assert len(ids) == 2 and {u for u, _ in got} == {world.lead, world.co}  # lead has 2 tasks, asked once
    assert all("2024-03" in m for _, m in got)
    with pytest.raises(ValidationError):
        reports.remind_missing(session, actor=sup, period_id=world.p1.id, unit_id=world.other)


def test_recent_reports_newest_first_for_readers_only(world, session):
    """The dashboard's "最近报送": newest submission first, with its task count and lateness."""
    submit = reports.submit
    submit(
        session,
        actor=world.actors["lead_member"],
        unit_id=world.lead,
        period_id=world.p1.id,
        entries=[reports.Entry(task_id=world.task_id, percent=40)],
        now=datetime(2024, 4, 3),
    )
    submit(
        session,
        actor=world.actors["co_member"],
        unit_id=world.co,
        period_id=world.p1.id,
        entries=[reports.Entry(task_id=world.task_id, work_done="资金已拨付")],
        now=datetime(2024, 4, 6),  # after the cut-off
    )
    rows = reports.recent_reports(session, actor=world.actors["leader"])
    assert [(r.unit_id, r.period, r.late) for r in rows] == [
        (world.co, "2024-03", True),
        (world.lead, "2024-03", False),
    ]
    assert rows[1].tasks == 2 and rows[0].tasks == 1  # the lead unit reports both its tasks
    only = reports.recent_reports(session, actor=world.actors["supervisor"], unit_id=world.lead, limit=1)
    assert [r.unit_id for r in only] == [world.lead]
    for who in ("lead_member", "security_admin", "audit_admin"):
        with pytest.raises(PermissionDenied):
            reports.recent_reports(session, actor=world.actors[who])


def _submit(session, world, when, **entry):
    return reports.submit(
        session,
        actor=world.actors["lead_member"],
        unit_id=world.lead,
        period_id=world.p1.id,
        entries=[reports.Entry(task_id=world.task_id, **entry)],
        now=when,
    )


def test_draft_is_kept_apart_and_dropped_on_submit(world, session):
    me = world.actors["lead_member"]
    reports.save_draft(
        session,
        actor=me,
        unit_id=world.lead,
        period_id=world.p1.id,
        fields={
            f"work_done_{world.task_id}": "写了一半",
            "csrf_token": "x",
            f"value_{world.task_id}_{world.q11}": "abc",
        },
    )
    d = reports.get_draft(session, unit_id=world.lead, period_id=world.p1.id)
    assert d.fields == {f"work_done_{world.task_id}": "写了一半", f"value_{world.task_id}_{world.q11}": "abc"}
    assert reports.missing_units(session, period_id=world.p1.id)  # a draft is not a report
    assert reports.list_reports(session, actor=world.actors["supervisor"]) == []
    with pytest.raises(PermissionDenied):
        reports.save_draft(
            session, actor=world.actors["co_member"], unit_id=world.lead, period_id=world.p1.id, fields={}
        )
    _submit(session, world, datetime(2024, 4, 3), work_done="写完了")
    assert reports.get_draft(session, unit_id=world.lead, period_id=world.p1.id) is None
    with pytest.raises(ValidationError):  # once submitted, the report is edited, not drafted
        reports.save_draft(session, actor=me, unit_id=world.lead, period_id=world.p1.id, fields={})


def test_edit_until_cutoff_or_read_and_late_report_until_read(world, session):
    me, sup = world.actors["lead_member"], world.actors["supervisor"]
    rep = _submit(
        session, world, datetime(2024, 4, 3), work_done="开工4所", percent=40, values={world.q11: 4}
    )
    edit = lambda when, **e: reports.edit(  # noqa: E731
        session,
        actor=me,
        unit_id=world.lead,
        period_id=world.p1.id,
        entries=[reports.Entry(task_id=world.task_id, **e)],
        now=when,
    )
    edit(datetime(2024, 4, 4), work_done="开工5所", values={world.q11: 5})
    item = next(i for i in rep.items if i.task_id == world.task_id)
    session.refresh(item)
    assert item.work_done == "开工5所" and item.percent == 40 and [v.value for v in item.values] == [5]
    assert world.task().last_percent == 40 and rep.edited_at == datetime(2024, 4, 4)
    with pytest.raises(TransitionError) as err:  # the period has closed
        edit(datetime(2024, 4, 6), work_done="太晚了")
    assert "已过报送截止时间" in str(err.value)
    # 补报 for the next period, after its cut-off: late, editable until a supervisor reads it
    late = reports.submit(
        session, actor=me, unit_id=world.lead, period_id=world.p2.id, entries=[], now=datetime(2024, 5, 9)
    )
    assert late.late and reports.period_state(world.p2, late, now=datetime(2024, 5, 9)) == "late"
    reports.edit(
        session, actor=me, unit_id=world.lead, period_id=world.p2.id, entries=[], now=datetime(2024, 5, 10)
    )
    reports.mark_read(
        session, actor=world.actors["leader"], report=late
    )  # a leader's reading does not close it
    assert late.read_at is None
    reports.mark_read(session, actor=sup, report=late, now=datetime(2024, 5, 11))
    assert late.read_by == "dc1"
    with pytest.raises(TransitionError) as err:
        reports.edit(
            session,
            actor=me,
            unit_id=world.lead,
            period_id=world.p2.id,
            entries=[],
            now=datetime(2024, 5, 12),
        )
    assert "督查已于" in str(err.value)
    actions = session.execute(select(AuditRecord.action).order_by(AuditRecord.seq)).scalars().all()
    assert actions.count("report.edit") == 2 and "report.read" in actions


def test_values_checked_against_the_targets_scale(world, session):
    pct = Quantity(
        plan_id=world.task().plan_id,
        task_id=world.task_id,
        text="毛入园率达到93%",
        comparator=">=",
        value=93,
        unit="%",
        role="target",
    )
    session.add(pct)
    session.commit()
    with pytest.raises(reports.ValueQuestions) as err:  # 8 for 93%: asked, nothing saved
        _submit(session, world, datetime(2024, 4, 3), values={pct.id: 8, world.q11: 4})
    assert err.value.questions == [(world.task_id, pct.id, err.value.questions[0][2])]
    assert "是否为 8%？" in str(err.value)
    assert reports.list_reports(session, actor=world.actors["supervisor"]) == []
    with pytest.raises(ValidationError) as err:  # 9000 for a rate: refused with the reason
        _submit(session, world, datetime(2024, 4, 3), values={pct.id: 9000}, confirmed={pct.id})
    assert "0 到 100" in str(err.value) and not isinstance(err.value, reports.ValueQuestions)
    rep = _submit(session, world, datetime(2024, 4, 3), values={pct.id: 8}, confirmed={pct.id})  # confirmed
    assert any(v.value == 8 for i in rep.items for v in i.values)


def test_co_unit_input_goes_to_the_lead_unit_which_folds_it_in(world, session):
    co, me = world.actors["co_member"], world.actors["lead_member"]
    assert [u.id for u in reports.missing_units(session, period_id=world.p1.id, co_direct=True)] == [
        world.lead,
        world.co,
    ]
    # by default a co-unit reports to the lead unit, not to the supervisor: it owes the supervisor nothing
    assert [u.id for u in reports.missing_units(session, period_id=world.p1.id)] == [world.lead]
    reports.submit(
        session,
        actor=co,
        unit_id=world.co,
        period_id=world.p1.id,
        entries=[
            reports.Entry(task_id=world.task_id, work_done="已拨付建设资金200万元", problems="二期资金未到位")
        ],
        now=datetime(2024, 4, 2),
    )
    inputs = reports.co_inputs(session, unit_id=world.lead, period_id=world.p1.id)
    [(item_id, name, text)] = inputs[world.task_id]
    assert name == "财务科" and text == "已拨付建设资金200万元；存在问题：二期资金未到位"
    assert reports.co_inputs(session, unit_id=world.co, period_id=world.p1.id) == {}  # only the lead sees it
    rep = _submit(session, world, datetime(2024, 4, 3), work_done="开工4所", folded={item_id})
    item = next(i for i in rep.items if i.task_id == world.task_id)
    assert item.work_done == "开工4所\n【财务科】已拨付建设资金200万元；存在问题：二期资金未到位"
    reports.edit(
        session,
        actor=me,
        unit_id=world.lead,
        period_id=world.p1.id,
        entries=[reports.Entry(task_id=world.task_id, folded={item_id})],
        now=datetime(2024, 4, 4),
    )
    assert item.work_done.count("【财务科】") == 1  # folded once, however often it is ticked
