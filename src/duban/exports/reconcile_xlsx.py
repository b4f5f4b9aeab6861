"""The target reconciliation (目标完成情况对照表) as .xlsx: each target of a plan beside what the
summary (or the units' progress reports) says, with the judgement and its reason."""

from __future__ import annotations

from sqlalchemy.orm import Session

from duban.assess.reconcile import reconcile, summaries_of
from duban.exports.common import safe_name
from duban.exports.official_xlsx import Sheet
from duban.ledger.errors import ValidationError
from duban.ledger.models import Plan
from duban.ledger.read.plans import get_plan
from duban.plan.attainment import STATE_NAMES

COLUMNS = ("序号", "工作任务", "计划目标", "计划原文", "实际情况", "总结（报送）原文", "判断", "说明")
WIDTHS = (7, 18, 20, 34, 18, 34, 9, 18)
CENTERED = {0, 6}
METHODS = {"indicator": "同一指标", "similar": "表述相近", "report": "进展报送", "correction": "人工更正"}


def reconcile_title(plan: Plan) -> str:
    return f"{plan.title}目标完成情况对照表"


def reconcile_filename(plan: Plan) -> str:
    return f"{safe_name(reconcile_title(plan))}.xlsx"


def reconcile_source(session: Session, plan: Plan, summary: str | None) -> int | None:
    """The summary a reconciliation reads: its id; "reports" for the progress reports; by default
    the first summary that reviews the plan (as the page opens), else the reports."""
    if summary == "reports":
        return None
    if summary:
        if not summary.isdigit():
            raise ValidationError(f"对照依据无效：{summary}（应为总结编号或 reports）")
        return int(summary)  # reconcile() refuses an id that is no document
    found = summaries_of(session, plan)
    return found[0].id if found else None


def reconcile_xlsx(session: Session, *, plan_id: int, summary_id: int | None = None) -> bytes:
    """Every target of the plan against the summary `summary_id`, or against the progress reports."""
    plan = get_plan(session, plan_id=plan_id)
    result = reconcile(session, plan_id=plan.id, summary_id=summary_id)
    sheet = Sheet(
        name="目标对照", title=reconcile_title(plan), columns=COLUMNS, widths=WIDTHS, centered=CENTERED
    )
    counts = result.counts()
    source = f"《{result.source_title}》" if summary_id is not None else "各单位进展报送的最新实际值"
    summary = "，".join(
        f"{STATE_NAMES[k]} {counts[k]} 项" for k in ("met", "not_met", "not_mentioned", "unknown")
    )
    sheet.heading(f"对照依据：{source}；目标 {len(result.rows)} 项：{summary}")
    for r in result.rows:
        reason = "；".join(
            x for x in (METHODS.get(r.method, ""), r.corrected_by and f"更正人 {r.corrected_by}", r.note) if x
        )
        sheet.row(
            (
                r.task_path,
                r.task_title,
                r.target_text,
                r.target_evidence,
                r.actual_text or "—",
                r.actual_evidence,
                STATE_NAMES[r.state],
                reason,
            )
        )
    return sheet.to_bytes()
