"""`duban export ...`: the task decomposition table, the bulletin, the whole ledger, the summary draft.

Thin: each command calls one function of `duban.exports` and writes its bytes to a temporary
file next to the target, then renames it, so a failure never leaves a half-written file.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Annotated

import typer

from duban.cli.common import handled, open_session, out, parse_now

export_app = typer.Typer(
    help="导出：任务分解表、督办通报、目标对照表、台账数据、年度总结初稿", no_args_is_help=True
)

Out = Annotated[Path | None, typer.Option("--out", help="输出文件（默认：当前目录下的建议文件名）")]
PlanId = Annotated[int, typer.Option("--plan", help="计划编号（duban plans 可查看）")]


def write_atomic(path: Path, content: bytes) -> Path:
    """Write CONTENT to PATH through a temporary file in the same directory and a rename."""
    from duban.ledger.errors import LedgerError

    path = Path(path)
    if path.is_dir():
        raise LedgerError(f"无法写入文件：{path} 是一个目录，请给出文件名")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        with open(tmp, "wb") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        reason = {
            errno.ENOENT: "目录不存在",
            errno.EACCES: "没有写入权限",
            errno.EPERM: "没有写入权限",
            errno.EROFS: "文件系统只读",
            errno.ENOSPC: "磁盘空间不足",
        }.get(exc.errno or 0, exc.strerror or exc.__class__.__name__)
        raise LedgerError(f"无法写入文件：{path}（{reason}）") from None
    return path


def _check_format(fmt: str, allowed: tuple[str, ...]) -> str:
    from duban.ledger.errors import ValidationError

    fmt = fmt.lower().lstrip(".")
    if fmt not in allowed:
        raise ValidationError(f"导出格式无效：{fmt}（可选：{' / '.join(allowed)}）")
    return fmt


def _done(path: Path, content: bytes) -> None:
    written = write_atomic(path, content)
    out.print(f"已导出：{written}（{len(content)} 字节）", highlight=False)


@export_app.command("decomposition")
@handled
def export_decomposition(
    plan: PlanId,
    fmt: Annotated[str, typer.Option("--format", help="xlsx 或 docx")] = "xlsx",
    out_path: Out = None,
) -> None:
    """任务分解表（序号、工作任务、目标任务/具体措施、量化指标、牵头单位、配合单位、完成时限、备注）。"""
    from duban import exports
    from duban.ledger.read.plans import get_plan

    fmt = _check_format(fmt, ("xlsx", "docx"))
    with open_session() as s:
        p = get_plan(s, plan_id=plan)
        render = exports.decomposition_xlsx if fmt == "xlsx" else exports.decomposition_docx
        content = render(s, plan_id=plan)
        name = exports.decomposition_filename(p, fmt)
    _done(out_path or Path(name), content)


@export_app.command("bulletin")
@handled
def export_bulletin(
    period: Annotated[str, typer.Option("--period", help="报送周期名称")],
    out_path: Out = None,
    issuer: Annotated[str, typer.Option(help="落款单位")] = "",
    now: Annotated[str | None, typer.Option(help="通报时点（默认现在）")] = None,
) -> None:
    """督办通报：完成情况、逾期任务（按单位）、未报送单位。"""
    from duban import exports
    from duban.ledger.config import load_config
    from duban.ledger.reports import get_period

    cfg = load_config()
    with open_session() as s:
        p = get_period(s, name=period)
        content = exports.bulletin_docx(s, period_name=period, now=parse_now(now), cfg=cfg, issuer=issuer)
        name = exports.bulletin_filename(p)
    _done(out_path or Path(name), content)


@export_app.command("ledger")
@handled
def export_ledger(
    fmt: Annotated[str, typer.Option("--format", help="csv（每表一个 CSV 的 zip）或 json")] = "csv",
    out_path: Out = None,
) -> None:
    """导出全部台账数据供其他系统使用（不含密码散列、登录令牌和附件内容）。"""
    from duban import exports

    fmt = _check_format(fmt, ("csv", "json"))
    with open_session() as s:
        content = exports.ledger_csv_zip(s) if fmt == "csv" else exports.ledger_json(s)
    _done(out_path or Path(exports.ledger_filename(fmt)), content)


@export_app.command("summary-draft")
@handled
def export_summary_draft(plan: PlanId, out_path: Out = None) -> None:
    """年度工作总结初稿：按一级标题列出已销号任务及其报送数据、未完成的目标。"""
    from duban import exports
    from duban.ledger.read.plans import get_plan

    with open_session() as s:
        p = get_plan(s, plan_id=plan)
        content = exports.summary_draft_docx(s, plan_id=plan)
        name = exports.summary_filename(p)
    _done(out_path or Path(name), content)


@export_app.command("reconcile")
@handled
def export_reconcile(
    plan: PlanId,
    summary: Annotated[
        str | None,
        typer.Option(
            "--summary", help="对照的总结编号，或 reports（进展报送）；默认为评述该计划的第一份总结"
        ),
    ] = None,
    out_path: Out = None,
) -> None:
    """目标完成情况对照表（.xlsx）：计划的每个目标与总结或进展报送的实际数值及判断。"""
    from duban import exports
    from duban.ledger.read.plans import get_plan

    with open_session() as s:
        p = get_plan(s, plan_id=plan)
        content = exports.reconcile_xlsx(s, plan_id=plan, summary_id=exports.reconcile_source(s, p, summary))
        name = exports.reconcile_filename(p)
    _done(out_path or Path(name), content)


def register(app: typer.Typer) -> None:
    """Add `duban export ...` to the main CLI app."""
    app.add_typer(export_app, name="export")
