"""督办通报: the progress bulletin of a reporting period, as an official .docx.

About the plan being supervised (`read.common.default_plan`, or the plan asked for): completion
figures (tasks, unassigned, closed, 销号率, 按期办结率, lights), the overdue tasks by lead unit,
each lead unit's completion, and the units that did not report (or reported late) in the
period (报送率). Every rate comes from `ledger.rates`, so the dashboard states the same figures.
Lights are computed as of `now` (the moment the bulletin is issued).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from docx.shared import Mm
from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from duban.exports import official_docx as od
from duban.exports.common import cn_date, safe_name
from duban.ledger import rates
from duban.ledger.clock import local_date
from duban.ledger.config import Config
from duban.ledger.db import utcnow
from duban.ledger.models import Period, Plan, Report, TaskUnit, Unit
from duban.ledger.read.common import default_plan
from duban.ledger.read.lights import StatusRow, status_rows
from duban.ledger.read.plans import get_plan
from duban.ledger.reports import get_period

UNIT_TABLE_COLUMNS = ("序号", "单位", "牵头任务", "已销号", "销号率", "平均进度")
UNIT_TABLE_WIDTHS_MM = (14, 52, 22, 22, 22, 24)


@dataclass
class BulletinFigures:
    """Everything the bulletin says, computed once (the web page can show the same figures)."""

    period: Period
    now: datetime
    plan: Plan | None = None
    rates: rates.Rates = field(
        default_factory=lambda: rates.Rates(tasks=0, unassigned=0, closed=0, due=0, closed_on_time=0)
    )
    overdue: int = 0
    lights: Counter[str] = field(default_factory=Counter)
    overdue_by_unit: dict[str, list[StatusRow]] = field(default_factory=dict)
    units: list[rates.Tally] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    late: list[str] = field(default_factory=list)

    @property
    def tasks(self) -> int:
        return self.rates.assigned

    @property
    def closed(self) -> int:
        return self.rates.closed

    @property
    def closed_on_time(self) -> int:
        return self.rates.closed_on_time

    @property
    def reported(self) -> int:
        return self.rates.units_reported


def _lead_units(session: Session, task_ids: list[int]) -> dict[int, tuple[int, str]]:
    """task id -> (lead unit id, name)."""
    if not task_ids:
        return {}
    stmt = (
        select(TaskUnit.task_id, Unit.id, Unit.name)
        .join(Unit, Unit.id == TaskUnit.unit_id)
        .where(and_(TaskUnit.task_id.in_(task_ids), TaskUnit.role == "lead"))
    )
    return {tid: (uid, name) for tid, uid, name in session.execute(stmt)}


def bulletin_figures(
    session: Session,
    *,
    period_name: str,
    now: datetime | None = None,
    cfg: Config | None = None,
    plan_id: int | None = None,
) -> BulletinFigures:
    period = get_period(session, name=period_name)
    now = now or utcnow()
    cfg = cfg or Config()
    co_direct = cfg.reports.co_units_report_directly
    plan = get_plan(session, plan_id=plan_id) if plan_id is not None else default_plan(session)
    fig = BulletinFigures(period=period, now=now, plan=plan)
    if plan is None:
        return fig
    tasks = rates.plan_tasks(session, plan_id=plan.id)
    fig.rates = rates.plan_rates(
        session, plan_id=plan.id, now=now, period=period, tasks=tasks, co_direct=co_direct
    )
    ids = {t.id for t in tasks}
    rows = [r for r in status_rows(session, now=now, cfg=cfg.lights) if r.task_id in ids]
    light_of = {r.task_id: r.light for r in rows}
    fig.lights = Counter(r.light for r in rows if r.light)
    by_unit: dict[str, list[StatusRow]] = defaultdict(list)
    for r in rows:
        if r.light == "red":
            by_unit[r.lead_unit or "未明确牵头单位"].append(r)
    fig.overdue = sum(len(v) for v in by_unit.values())
    fig.overdue_by_unit = dict(sorted(by_unit.items(), key=lambda kv: (-len(kv[1]), kv[0])))
    leads = _lead_units(session, sorted(ids))
    tallies: dict[int, rates.Tally] = {}
    for t in tasks:
        if t.status == "unassigned" or t.id not in leads:
            continue
        uid, name = leads[t.id]
        tallies.setdefault(uid, rates.Tally(key=str(uid), label=name, id=uid)).add(
            t.status, t.last_percent, light_of.get(t.id, "")
        )
    fig.units = sorted(tallies.values(), key=lambda u: (-u.tasks, u.label))
    owing, done = rates.reporting_units(session, plan_id=plan.id, period=period, co_direct=co_direct)
    names = dict(session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(owing))).all()) if owing else {}
    fig.missing = [names[u] for u in sorted(owing - done)]
    late = set(
        session.execute(select(Report.unit_id).where(Report.period_id == period.id, Report.late)).scalars()
    )
    fig.late = [names[u] for u in sorted(done & late)]
    return fig


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.1f}%"


def bulletin_title(period: Period) -> str:
    return f"关于{period.name}重点任务督办情况的通报"


def bulletin_filename(period: Period) -> str:
    return f"{safe_name(f'督办通报（{period.name}）')}.docx"


def bulletin_docx(
    session: Session,
    *,
    period_name: str,
    now: datetime | None = None,
    cfg: Config | None = None,
    issuer: str = "",
    plan_id: int | None = None,
) -> bytes:
    """The bulletin of a reporting period as a .docx file (GB/T 9704 layout)."""
    fig = bulletin_figures(session, period_name=period_name, now=now, cfg=cfg, plan_id=plan_id)
    period, rt = fig.period, fig.rates
    doc = od.new_document(title=bulletin_title(period))
    od.add_title(doc, bulletin_title(period))
    od.add_paragraph(
        doc,
        f"根据年度重点工作任务督办安排，现将{period.name}（{cn_date(period.start)}至{cn_date(period.end)}）"
        f"任务推进和进展报送情况通报如下。",
    )

    od.add_heading1(doc, "一、总体情况")
    lt = fig.lights
    plan = f"《{fig.plan.title}》" if fig.plan else "年度工作要点"
    unassigned = f"，另有{rt.unassigned}项尚未交办" if rt.unassigned else ""
    od.add_paragraph(
        doc,
        f"截至{cn_date(local_date(fig.now))}，{plan}共{rt.tasks}项任务，已交办督办任务{rt.assigned}项"
        f"{unassigned}；已销号{rt.closed}项，销号率{_percent(rt.closeout_rate)}。"
        f"已到期或已销号任务{rt.due}项，其中按期销号{rt.closed_on_time}项，按期办结率{_percent(rt.on_time_rate)}。"
        f"逾期未销号{fig.overdue}项。按督办灯色统计，红灯{lt['red']}项、黄灯{lt['yellow']}项、"
        f"蓝灯{lt['blue']}项、绿灯{lt['green']}项。",
    )

    od.add_heading1(doc, "二、逾期未销号任务")
    if not fig.overdue_by_unit:
        od.add_paragraph(doc, "本期无逾期未销号任务。")
    for i, (unit, rows) in enumerate(fig.overdue_by_unit.items(), start=1):
        od.add_heading2(doc, f"（{od.cn_number(i)}）{unit}（{len(rows)}项）")
        for j, r in enumerate(rows, start=1):
            due = f"，完成时限{cn_date(r.due_date)}" if r.due_date else ""
            progress = f"，最近报送进度{r.percent:g}%" if r.percent is not None else "，尚未报送进度"
            od.add_paragraph(doc, f"{j}. {r.title}（《{r.plan}》{due}{progress}）。")

    od.add_heading1(doc, "三、各单位任务完成情况")
    if not fig.units:
        od.add_paragraph(doc, "暂无已交办的任务。")
    else:
        od.add_paragraph(doc, f"共{len(fig.units)}个牵头单位承担已交办任务，各单位完成情况如下表。")
        table = od.add_table(doc, UNIT_TABLE_COLUMNS, [Mm(w) for w in UNIT_TABLE_WIDTHS_MM])
        for i, u in enumerate(fig.units, start=1):
            avg = "—" if u.avg_percent is None else f"{u.avg_percent:.0f}%"
            od.add_row(
                table,
                (str(i), u.label, str(u.tasks), str(u.closed), _percent(u.rate), avg),
                centered=(0, 2, 3, 4, 5),
            )

    od.add_heading1(doc, "四、进展报送情况")
    sent = f"本期应报送单位{rt.units_expected}个，已报送{rt.units_reported}个，报送率{_percent(rt.report_rate)}。"
    if fig.missing:
        od.add_paragraph(
            doc,
            f"{sent}截至通报时，以下{len(fig.missing)}个单位未报送本期进展：{'、'.join(fig.missing)}。",
        )
    else:
        od.add_paragraph(doc, f"{sent}各责任单位均已报送本期进展。" if rt.units_expected else sent)
    if fig.late:
        od.add_paragraph(doc, f"以下单位在截止时间后报送：{'、'.join(fig.late)}。")

    od.add_heading1(doc, "五、工作要求")
    od.add_paragraph(
        doc,
        "请各牵头单位对照通报情况，对逾期任务逐项分析原因、明确整改时限，确需延期的按程序申请；"
        "未按时报送的单位要及时补报，确保下期按时报送。",
    )
    od.add_signature(doc, [issuer, cn_date(local_date(fig.now))])
    return od.to_bytes(doc)
