"""销号率, 按期办结率 and 报送率: computed here from the ledger's rows one plain way, then read off every
page and export that shows them (dashboard page, dashboard API, 督办通报 from the page and the API).

The ledger also holds a newer plan with nothing assigned and a summary: the picture must stay on
the plan being supervised, and the summary's sections are never tasks.
"""

from __future__ import annotations

import io
import re
from datetime import date, datetime

from docx import Document
from sqlalchemy import select

from duban.ledger import plans, reports, tasks
from duban.ledger.db import utcnow
from duban.ledger.models import Plan, Report, Task, TaskUnit
from duban.ledger.users import Actor
from tests.conftest import small_plan
from tests.exports.conftest import build_plan_only

SUP = Actor("dc1", "supervisor")


def _year(session) -> dict:
    """一/1 closed on time, 一/2 overdue open, 二/1 never assigned; 基础教育科 reported, 财务科 did not."""
    w = build_plan_only(session)
    u, t = w.units, w.tasks
    at = datetime(2024, 3, 1)
    tasks.transition(
        session,
        actor=SUP,
        task_id=t["一/1"],
        action="assign",
        lead_unit_id=u["基础教育科"],
        co_unit_ids=[u["财务科"]],
        now=at,
    )
    tasks.transition(
        session,
        actor=SUP,
        task_id=t["一/2"],
        action="assign",
        lead_unit_id=u["基础教育科"],
        co_unit_ids=[u["财务科"]],
        due_date=date(2024, 6, 30),
        now=at,
    )
    period = reports.create_period(
        session,
        actor=SUP,
        name="2024-06",
        start=date(2024, 6, 1),
        end=date(2024, 6, 30),
        cutoff=datetime(2024, 7, 5),
    )
    jj = Actor("jj1", "unit_member", unit_id=u["基础教育科"])
    reports.submit(
        session,
        actor=jj,
        unit_id=u["基础教育科"],
        period_id=period.id,
        entries=[reports.Entry(task_id=t["一/1"], percent=100), reports.Entry(task_id=t["一/2"], percent=50)],
        now=datetime(2024, 7, 1),
    )
    tasks.transition(
        session, actor=jj, task_id=t["一/1"], action="request_closeout", now=datetime(2024, 7, 1)
    )
    tasks.transition(session, actor=SUP, task_id=t["一/1"], action="close", now=datetime(2024, 7, 1))
    # the latest file imported: a newer plan nobody has assigned yet, and a summary
    later = small_plan(year=2025, title="某市教育局2025年工作要点")
    plans.import_plan(session, plan=later, content=b"plan 2025", name="plan2025.txt")
    summary = small_plan(year=2025, title="某市教育局2025年工作总结")
    summary.documents[0].kind = "summary"
    plans.import_plan(session, plan=summary, content=b"summary 2025", name="summary2025.txt")
    return {"plan_id": w.plan_id, "period": period}


def _expected(session, plan_id: int, period_id: int) -> dict[str, str]:
    """The three rates from the rows, the plain way: leaves of the plan, Python arithmetic."""
    rows = list(session.execute(select(Task).where(Task.plan_id == plan_id)).scalars())
    parents = {t.parent_id for t in rows}
    leaves = [t for t in rows if t.id not in parents and t.removed_at is None]
    assigned = [t for t in leaves if t.status != "unassigned"]
    closed = [t for t in assigned if t.status == "closed"]
    today = utcnow().date()
    due = [t for t in assigned if t.status == "closed" or (t.due_date and t.due_date < today)]
    on_time = [t for t in closed if t.due_date is None or t.closed_at.date() <= t.due_date]
    owing = {
        tu.unit_id
        for t in assigned
        if t.status != "closed"
        for tu in session.execute(select(TaskUnit).where(TaskUnit.task_id == t.id)).scalars()
        if tu.role == "lead"  # co-units send their input to the lead unit (the default policy)
    }
    sent = set(session.execute(select(Report.unit_id).where(Report.period_id == period_id)).scalars())

    def pct(a: int, b: int) -> str:
        return f"{a / b * 100:.1f}%"

    return {
        "unassigned": str(len(leaves) - len(assigned)),
        "closeout": pct(len(closed), len(assigned)),
        "ontime": pct(len(on_time), len(due)),
        "report": pct(len(owing & sent), len(owing)),
    }


def _kpi(page: str, key: str) -> str:
    m = re.search(rf'id="kpi-{key}"[^>]*>\s*<span class="kpi-value">([^<]*)</span>', page)
    assert m, f"kpi-{key} missing"
    return m.group(1).strip()


def _docx_rates(content: bytes) -> dict[str, str]:
    text = "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
    found = {}
    for key, word in (("closeout", "销号率"), ("ontime", "按期办结率"), ("report", "报送率")):
        m = re.search(rf"{word}([\d.]+%)", text)
        assert m, f"{word} missing from the bulletin"
        found[key] = m.group(1)
    found["unassigned"] = re.search(r"另有(\d+)项尚未交办", text).group(1)
    return found


def test_every_page_and_export_states_the_same_rates(signed_in, Session):  # noqa: N803
    with Session() as s:
        year = _year(s)
        want = _expected(s, year["plan_id"], year["period"].id)
        newest = s.execute(select(Plan.id).order_by(Plan.id.desc())).scalars().first()
    assert want == {"unassigned": "1", "closeout": "50.0%", "ontime": "50.0%", "report": "100.0%"}
    leader = signed_in("l1", "leader")

    page = leader.get("/dashboard").text
    assert f'<option value="{year["plan_id"]}" selected>' in page  # the supervised plan, not the newest file
    shown = {k: _kpi(page, k) for k in ("unassigned", "closeout", "ontime", "report")}
    assert shown == want

    api = leader.get("/api/v1/dashboard").json()
    assert api["plan"]["id"] == year["plan_id"] != newest
    r = api["rates"]
    assert {
        "unassigned": str(r["unassigned"]),
        "closeout": f"{r['closeout_rate']:.1f}%",
        "ontime": f"{r['on_time_rate']:.1f}%",
        "report": f"{r['report_rate']:.1f}%",
    } == want
    assert api["overall"]["rate"] == r["closeout_rate"]  # the KPI and the table's 全部 row agree

    from_page = leader.get("/exports/bulletin", params={"period": "2024-06"})
    assert from_page.status_code == 200
    assert _docx_rates(from_page.content) == want
    from_api = leader.get("/api/v1/exports/bulletin", params={"period": "2024-06"})
    assert _docx_rates(from_api.content) == want

    exports_page = leader.get("/exports").text
    assert f'<option value="{year["plan_id"]}" selected>' in exports_page


def test_summary_sections_are_never_tasks(signed_in, Session):  # noqa: N803
    with Session() as s:
        _year(s)
    page = signed_in("s1", "supervisor").get("/tasks", params={"per_page": 200}).text
    assert "2025年工作总结" not in page
    assert "某市教育局2025年工作要点" in page  # a plan's unassigned tasks are listed, a summary's are not
