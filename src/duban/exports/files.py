"""Every download as a file: task decomposition table, bulletin, summary draft, target reconciliation,
the whole ledger, assessment results.

One function (`export_file`) builds each kind from the modules of this package (and the assessment
rows of `duban.assess.scoring`); the API route and the /exports page both call it, so the file name,
content type and checks are the same whichever way a file is fetched.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from sqlalchemy.orm import Session

from duban import exports
from duban.assess import scoring
from duban.exports.common import DOCX_TYPE, JSON_TYPE, XLSX_TYPE, ZIP_TYPE, safe_name
from duban.ledger.config import Config
from duban.ledger.db import utcnow
from duban.ledger.errors import ValidationError
from duban.ledger.read.plans import get_plan
from duban.ledger.reports import get_period


@dataclass
class Download:
    filename: str
    media_type: str
    content: bytes


CSV_TYPE = "text/csv; charset=utf-8"

# kind -> (label, allowed formats (first is the default), needs)
KINDS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "decomposition": ("任务分解表", ("xlsx", "docx"), "plan"),
    "bulletin": ("督办通报", ("docx",), "period"),
    "summary-draft": ("年度总结初稿", ("docx",), "plan"),
    "reconcile": ("目标完成情况对照表", ("xlsx",), "plan"),
    "ledger": ("台账数据", ("csv", "json"), ""),
    "assessment": ("考核结果", ("csv",), "period"),
    "assessment-details": ("考核得分明细", ("csv",), "period"),
}


def _csv(rows: list[dict]) -> bytes:
    """UTF-8 with a BOM so that Excel on Windows reads the Chinese headers."""
    buf = io.StringIO()
    if rows:
        writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def export_file(
    db: Session,
    *,
    kind: str,
    cfg: Config,
    plan_id: int | None = None,
    period: str | None = None,
    fmt: str | None = None,
    issuer: str = "",
    summary: str | None = None,
) -> Download:
    """The file of one export kind; ValidationError for a missing parameter or an unknown format."""
    if kind not in KINDS:
        raise ValidationError(f"导出类型无效：{kind}（可选：{' / '.join(KINDS)}）")
    label, formats, needs = KINDS[kind]
    fmt = (fmt or formats[0]).lower().lstrip(".")
    if fmt not in formats:
        raise ValidationError(f"{label}的导出格式无效：{fmt}（可选：{' / '.join(formats)}）")
    if needs == "plan" and plan_id is None:
        raise ValidationError(f"导出{label}需要选择计划（plan_id）")
    if needs == "period" and not period:
        raise ValidationError(f"导出{label}需要选择报送周期（period）")
    now = utcnow()
    if kind == "decomposition":
        plan = get_plan(db, plan_id=plan_id)
        render = exports.decomposition_xlsx if fmt == "xlsx" else exports.decomposition_docx
        return Download(
            exports.decomposition_filename(plan, fmt),
            XLSX_TYPE if fmt == "xlsx" else DOCX_TYPE,
            render(db, plan_id=plan.id),
        )
    if kind == "summary-draft":
        plan = get_plan(db, plan_id=plan_id)
        return Download(
            exports.summary_filename(plan), DOCX_TYPE, exports.summary_draft_docx(db, plan_id=plan.id)
        )
    if kind == "reconcile":
        plan = get_plan(db, plan_id=plan_id)
        return Download(
            exports.reconcile_filename(plan),
            XLSX_TYPE,
            exports.reconcile_xlsx(
                db, plan_id=plan.id, summary_id=exports.reconcile_source(db, plan, summary)
            ),
        )
    if kind == "bulletin":
        p = get_period(db, name=period)
        content = exports.bulletin_docx(
            db, period_name=p.name, now=now, cfg=cfg, issuer=issuer.strip(), plan_id=plan_id
        )
        return Download(exports.bulletin_filename(p), DOCX_TYPE, content)
    if kind == "ledger":
        content = exports.ledger_csv_zip(db) if fmt == "csv" else exports.ledger_json(db, now=now)
        return Download(
            exports.ledger_filename(fmt, now=now), ZIP_TYPE if fmt == "csv" else JSON_TYPE, content
        )
    scores = scoring.assess_period(db, period_name=period, now=now)
    if kind == "assessment":
        rows = scoring.assessment_rows(scores)
        name = f"{safe_name(f'单位考核结果（{period}）')}.csv"
    else:
        rows = scoring.breakdown_rows(scores)
        name = f"{safe_name(f'单位考核得分明细（{period}）')}.csv"
    return Download(name, CSV_TYPE, _csv(rows))
