"""督办通报: the progress bulletin of a reporting period, as an official .docx.

Completion figures (tasks, closed, closed on time, overdue, lights), the overdue tasks by
lead unit, each unit's completion, and the units that did not report (or reported late)
in the period. Lights are computed as of `now` (the moment the bulletin is issued).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from docx.shared import Mm
from sqlalchemy import select
from sqlalchemy.orm import Session

from duban.exports import official_docx as od
from duban.exports.common import cn_date, safe_name
from duban.ledger.clock import local_date
from duban.ledger.config import Config
from duban.ledger.db import utcnow
from duban.ledger.lights import StatusRow, status_rows, unit_completion
from duban.ledger.models import Period, Task, Unit
from duban.ledger.reports import get_period, missing_units, report_counts

UNIT_TABLE_COLUMNS = ("序号", "单位", "牵头任务", "已销号", "销号率", "平均进度")
UNIT_TABLE_WIDTHS_MM = (14, 52, 22, 22, 22, 24)


@dataclass
class BulletinFigures:
    """Everything the bulletin says, computed once (the web page can show the same figures)."""

    period: Period
    now: datetime
    tasks: int = 0
    closed: int = 0
    closed_on_time: int = 0
    overdue: int = 0
    lights: Counter[str] = field(default_factory=Counter)
    overdue_by_unit: dict[str, list[StatusRow]] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    late: list[str] = field(default_factory=list)
    reported: int = 0


def bulletin_figures(
    session: Session, *, period_name: str, now: datetime | None = None, cfg: Config | None = None
) -> BulletinFigures:
    period = get_period(session, name=period_name)
    now = now or utcnow()
    cfg = cfg or Config()
    rows = status_rows(session, now=now, cfg=cfg.lights)
    fig = BulletinFigures(period=period, now=now, tasks=len(rows))
    fig.lights = Counter(r.light for r in rows if r.light)
    fig.closed = sum(r.status == "closed" for r in rows)
    closed_ids = [r.task_id for r in rows if r.status == "closed"]
    if closed_ids:
        # on time against the due date in force (an approved extension moves it)
        for closed_at, due in session.execute(
            select(Task.closed_at, Task.due_date).where(Task.id.in_(closed_ids))
        ):
            if closed_at is not None and (due is None or local_date(closed_at) <= due):
                fig.closed_on_time += 1
    by_unit: dict[str, list[StatusRow]] = defaultdict(list)
    for r in rows:
        if r.light == "red":
            by_unit[r.lead_unit or "未明确牵头单位"].append(r)
    fig.overdue = sum(len(v) for v in by_unit.values())
    fig.overdue_by_unit = dict(sorted(by_unit.items(), key=lambda kv: (-len(kv[1]), kv[0])))
    co_direct = cfg.reports.co_units_report_directly
    fig.missing = [u.name for u in missing_units(session, period_id=period.id, co_direct=co_direct)]
    counts = report_counts(session, period_id=period.id)
    fig.reported = len(counts)
    late_ids = [uid for uid, (_, _, late) in counts.items() if late]
    if late_ids:
        names = dict(session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(late_ids))).all())
        fig.late = [names[u] for u in sorted(late_ids)]
    return fig


def _percent(part: int, whole: int) -> str:
    return f"{part / whole * 100:.1f}%" if whole else "—"


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
) -> bytes:
    """The bulletin of a reporting period as a .docx file (GB/T 9704 layout)."""
    fig = bulletin_figures(session, period_name=period_name, now=now, cfg=cfg)
    period = fig.period
    doc = od.new_document(title=bulletin_title(period))
    od.add_title(doc, bulletin_title(period))
    od.add_paragraph(
        doc,
        f"根据年度重点工作任务督办安排，现将{period.name}（{cn_date(period.start)}至{cn_date(period.end)}）"
        f"任务推进和进展报送情况通报如下。",
    )

    od.add_heading1(doc, "一、总体情况")
    lt = fig.lights
    od.add_paragraph(
        doc,
        f"截至{cn_date(local_date(fig.now))}，已交办督办任务{fig.tasks}项，已销号{fig.closed}项，"
        f"销号率{_percent(fig.closed, fig.tasks)}；其中按期销号{fig.closed_on_time}项。"
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
    completion = unit_completion(session)
    if not completion:
        od.add_paragraph(doc, "暂无已交办的任务。")
    else:
        table = od.add_table(doc, UNIT_TABLE_COLUMNS, [Mm(w) for w in UNIT_TABLE_WIDTHS_MM])
        for i, c in enumerate(completion, start=1):
            avg = "—" if c.avg_percent is None else f"{c.avg_percent:.0f}%"
            od.add_row(
                table,
                (str(i), c.unit, str(c.tasks), str(c.closed), _percent(c.closed, c.tasks), avg),
                centered=(0, 2, 3, 4, 5),
            )

    od.add_heading1(doc, "四、进展报送情况")
    if fig.missing:
        od.add_paragraph(
            doc,
            f"本期已报送单位{fig.reported}个。截至通报时，以下{len(fig.missing)}个单位未报送本期进展："
            f"{'、'.join(fig.missing)}。",
        )
    else:
        od.add_paragraph(doc, f"本期已报送单位{fig.reported}个，各责任单位均已报送本期进展。")
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
