"""Ledger commands (import, unit, user, assign, task, report, status, tick, remind, inbox, audit, backup, restore).

Thin: each command calls one ledger service. Errors are one Chinese line on stderr and exit 1;
the services commit once per use case, so a failed command leaves nothing half-written.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from duban.cli.common import (
    AsUser,
    Fmt,
    actor_of,
    dispose_sessions,
    err,
    fail,
    handled,
    jsonable,
    log_to_file,
    new_table,
    open_session,
    out,
    parse_date,
    parse_now,
    unit_id_of,
)


# ---------------------------------------------------------------- import
@handled
def import_command(
    files: Annotated[list[Path], typer.Argument(help="工作要点/总结文件，或 Plan JSON")],
    as_user: AsUser = None,
) -> None:
    """解析并导入文件：同一文件重复导入不做任何更改，修订版显示差异。"""
    from duban.ledger import plans

    log_to_file()
    from duban.plan.model import KIND_NAMES

    with open_session() as s:
        actor = actor_of(s, as_user)
        for f in files:
            result = plans.import_file(s, path=f, actor=actor)
            if result.duplicate:
                out.print(f"{f.name}：已导入过（内容相同），未做更改")
                continue
            for c in result.plans:
                kind = KIND_NAMES.get(c.kind, c.kind)
                if c.action == "created":
                    figures = f"目标 {c.targets} 个" + (f"，实际数值 {c.actuals} 个" if c.actuals else "")
                    out.print(
                        f"{f.name}：新建{kind}《{c.title}》(编号 {c.plan_id})，任务 {c.tasks} 项，{figures}"
                    )
                elif c.action == "unchanged":
                    out.print(f"{f.name}：《{c.title}》内容未变化")
                else:
                    out.print(f"{f.name}：修订《{c.title}》(编号 {c.plan_id})")
                    for label, items in (
                        ("新增任务", c.tasks_added),
                        ("删除任务", c.tasks_removed),
                        ("改写任务", c.tasks_reworded),
                        ("移动任务", c.tasks_moved),
                        ("新增目标", c.targets_added),
                        ("删除目标", c.targets_removed),
                        ("变更目标", c.targets_changed),
                    ):
                        if items:
                            out.print(f"  {label} {len(items)}：{'；'.join(items)}", highlight=False)


@handled
def plans_command() -> None:
    """列出已导入的计划、总结（编号、年份、修订次数、任务数、目标数）。"""
    from duban.ledger import plans
    from duban.plan.model import KIND_NAMES

    with open_session() as s:
        found = plans.list_plans(s)
        if not found:
            out.print(
                "尚未导入任何计划。导入：duban import 文件…（txt、html、docx、pdf、doc、wps）",
                highlight=False,
            )
        for p in found:
            n_tasks, n_targets = plans.counts(s, plan_id=p.id)
            kind = KIND_NAMES.get(p.kind, p.kind)
            reviews = f"  总结对象：计划 {p.reviews_plan_id}" if p.reviews_plan_id else ""
            out.print(
                f"{p.id:>4}  {p.year or '':<5} {kind}  第{p.revision}版  任务 {n_tasks}  目标 {n_targets}  "
                f"《{p.title}》{reviews}",
                highlight=False,
            )


# ---------------------------------------------------------------- units and users
unit_app = typer.Typer(help="单位管理（科室、县区教育局、学校）", no_args_is_help=True)
user_app = typer.Typer(help="用户管理", no_args_is_help=True)


@unit_app.command("add")
@handled
def unit_add(
    name: str,
    kind: Annotated[str, typer.Option(help="office 科室 / county 县区 / school 学校 / other")] = "office",
    parent: Annotated[str | None, typer.Option(help="上级单位名称")] = None,
    email: Annotated[str, typer.Option(help="单位邮箱（催办邮件）")] = "",
    as_user: AsUser = None,
) -> None:
    """新增单位。"""
    from duban.ledger import users

    with open_session() as s:
        unit = users.create_unit(
            s, actor=actor_of(s, as_user), name=name, kind=kind, parent=parent, email=email
        )
        out.print(f"已新增单位：{unit.name}（编号 {unit.id}）")


@unit_app.command("list")
@handled
def unit_list() -> None:
    """列出单位（树形）。"""
    from duban.ledger import users

    with open_session() as s:
        for u in users.list_units(s):
            indent = "  " * users.unit_depth(s, u)
            out.print(
                f"{indent}{u.name}  [{users.UNIT_KIND_NAMES.get(u.kind, u.kind)}] #{u.id}", highlight=False
            )


@user_app.command("add")
@handled
def user_add(
    username: str,
    role: Annotated[
        str, typer.Option(help="admin / supervisor / leader / unit_member / security_admin / audit_admin")
    ],
    unit: Annotated[str | None, typer.Option(help="所属单位（单位用户必填）")] = None,
    email: str = "",
    name: Annotated[str, typer.Option(help="显示名")] = "",
    as_user: AsUser = None,
) -> None:
    """新增用户；密码从环境变量 DUBAN_PASSWORD 读取，或交互输入。"""
    from duban.ledger import users
    from duban.ledger.rights import ROLE_NAMES

    password = os.environ.get("DUBAN_PASSWORD") or typer.prompt(
        "密码", hide_input=True, confirmation_prompt=True
    )
    with open_session() as s:
        u = users.create_user(
            s,
            actor=actor_of(s, as_user),
            username=username,
            password=password,
            role=role,
            unit=unit,
            email=email,
            display_name=name,
        )
        out.print(f"已新增用户：{u.username}（{ROLE_NAMES[u.role]}）")


@user_app.command("passwd")
@handled
def user_passwd(username: str, as_user: AsUser = None) -> None:
    """修改密码；新密码从环境变量 DUBAN_PASSWORD 读取，或交互输入。"""
    from duban.ledger import users

    password = os.environ.get("DUBAN_PASSWORD") or typer.prompt(
        "新密码", hide_input=True, confirmation_prompt=True
    )
    with open_session() as s:
        users.set_password(s, actor=actor_of(s, as_user), username=username, password=password)
        out.print(f"已修改用户 {username} 的密码")


@user_app.command("list")
@handled
def user_list() -> None:
    """列出用户。"""
    from duban.ledger import users
    from duban.ledger.rights import ROLE_NAMES

    with open_session() as s:
        for u in users.list_users(s):
            unit = u.unit.name if u.unit else ""
            out.print(f"{u.username}  {ROLE_NAMES.get(u.role, u.role)}  {unit}  {u.email}", highlight=False)


# ---------------------------------------------------------------- assignment and lifecycle
@handled
def assign_command(
    task_id: int,
    lead: Annotated[str | None, typer.Option(help="牵头单位（默认：任务所列第一个单位）")] = None,
    co: Annotated[list[str] | None, typer.Option(help="配合单位，可多次给出")] = None,
    due: Annotated[str | None, typer.Option(help="完成时限 YYYY-MM-DD（默认取自计划）")] = None,
    milestone: Annotated[list[str] | None, typer.Option(help="节点：名称=YYYY-MM-DD，可多次给出")] = None,
    version: Annotated[int | None, typer.Option(help="所见版本号（防止覆盖他人修改）")] = None,
    as_user: AsUser = None,
) -> None:
    """交办任务：牵头单位、配合单位、完成时限、节点。"""
    from duban.ledger import tasks
    from duban.ledger.errors import ValidationError

    with open_session() as s:
        task = tasks.get_task(s, task_id=task_id)
        names = [lead] if lead else task.responsible[:1]
        if not names:
            raise ValidationError("任务未列责任单位，请用 --lead 指定牵头单位")
        co_names = co if co is not None else ([] if lead else task.responsible[1:])
        stones = []
        for m in milestone or []:
            title, _, when = m.partition("=")
            stones.append((title, parse_date(when)))
        t = tasks.assign(
            s,
            actor=actor_of(s, as_user),
            task_id=task_id,
            lead_unit_id=unit_id_of(s, names[0]),
            co_unit_ids=[unit_id_of(s, n) for n in co_names],
            due_date=parse_date(due),
            milestones=stones,
            expected_version=version,
        )
        out.print(f"已交办任务 {t.id}《{t.title}》：牵头 {names[0]}，完成时限 {t.due_date}，版本 {t.version}")


@handled
def task_command(
    action: Annotated[
        str,
        typer.Argument(
            help="start / request_closeout / close / return / resume / request_extension / approve_extension / reject_extension / contest / accept_contest / reject_contest"
        ),
    ],
    task_id: int,
    reason: Annotated[str, typer.Option(help="原因、理由或审批意见")] = "",
    due: Annotated[str | None, typer.Option(help="延期申请的新完成时限 YYYY-MM-DD")] = None,
    kind: Annotated[str, typer.Option(help="异议类型：wording / not_our_duty / long_term")] = "",
    title: Annotated[str, typer.Option(help="采纳异议时的新表述")] = "",
    lead: Annotated[str | None, typer.Option(help="采纳异议时改派的牵头单位")] = None,
    version: Annotated[int | None, typer.Option(help="所见版本号（防止覆盖他人修改）")] = None,
    as_user: AsUser = None,
) -> None:
    """办理任务：状态变更（每次变更记入审计日志）。"""
    from duban.ledger import tasks

    with open_session() as s:
        t = tasks.transition(
            s,
            actor=actor_of(s, as_user),
            task_id=task_id,
            action=action,
            expected_version=version,
            reason=reason,
            due_date=parse_date(due),
            contest_kind=kind,
            new_title=title,
            lead_unit_id=unit_id_of(s, lead) if lead else None,
        )
        out.print(
            f"任务 {t.id}：{tasks.ACTION_NAMES.get(action, action)}完成，当前状态 {tasks.STATUS_NAMES[t.status]}，版本 {t.version}"
        )


@handled
def tasks_command(
    plan: Annotated[int | None, typer.Option(help="计划编号")] = None,
    unit: Annotated[str | None, typer.Option(help="单位")] = None,
) -> None:
    """列出任务（编号、路径、状态、标题）。"""
    from sqlalchemy import select

    from duban.ledger import tasks
    from duban.ledger.models import Task

    with open_session() as s:
        if unit:
            rows = tasks.tasks_of_unit(s, unit_id=unit_id_of(s, unit))
        else:
            stmt = select(Task).where(Task.removed_at.is_(None)).order_by(Task.plan_id, Task.position)
            if plan:
                stmt = stmt.where(Task.plan_id == plan)
            rows = list(s.execute(stmt).scalars())
        for t in rows:
            out.print(f"{t.id:>6}  {t.path:<10} {tasks.STATUS_NAMES[t.status]:<6} {t.title}", highlight=False)


# ---------------------------------------------------------------- reports
report_app = typer.Typer(help="进展报送（最多报一次：每单位每期一份）", no_args_is_help=True)


@report_app.command("period")
@handled
def report_period(
    name: str,
    start: Annotated[str, typer.Option(help="开始日期 YYYY-MM-DD")],
    end: Annotated[str, typer.Option(help="结束日期 YYYY-MM-DD")],
    cutoff: Annotated[str, typer.Option(help="报送截止时间 YYYY-MM-DD[THH:MM]")],
    as_user: AsUser = None,
) -> None:
    """新增报送周期（截止时间按本地时间，见 DUBAN_TIMEZONE）。"""
    from duban.ledger import reports
    from duban.ledger.clock import to_local, to_utc

    cut = datetime.fromisoformat(cutoff)
    if len(cutoff) == 10:
        cut = cut.replace(hour=23, minute=59, second=59)
    cut = to_utc(cut)
    with open_session() as s:
        p = reports.create_period(
            s, actor=actor_of(s, as_user), name=name, start=parse_date(start), end=parse_date(end), cutoff=cut
        )
        out.print(f"已新增报送周期：{p.name}（截止 {to_local(p.cutoff):%Y-%m-%d %H:%M}）")


def _entry_dict(e) -> dict:  # noqa: ANN001
    return {
        "task_id": e.task_id,
        "title": e.title,
        "work_done": e.work_done,
        "problems": e.problems,
        "next_steps": e.next_steps,
        "percent": e.percent,
        "values": {str(k): v for k, v in e.values.items()},
        "targets": [{"id": q, "text": t} for q, t in e.targets],
        "attachments": [],
    }


@report_app.command("draft")
@handled
def report_draft(
    unit: Annotated[str, typer.Option(help="单位")],
    period: Annotated[str, typer.Option(help="报送周期")],
) -> None:
    """输出本单位本期报送草稿（JSON，已按上期预填），编辑后用 report submit 提交。"""
    from duban.ledger import reports

    with open_session() as s:
        entries = reports.draft(
            s, unit_id=unit_id_of(s, unit), period_id=reports.get_period(s, name=period).id
        )
        sys.stdout.write(json.dumps([_entry_dict(e) for e in entries], ensure_ascii=False, indent=2) + "\n")


@report_app.command("submit")
@handled
def report_submit(
    file: Annotated[Path, typer.Argument(help="报送内容 JSON（report draft 的输出）")],
    period: Annotated[str, typer.Option(help="报送周期")],
    as_user: Annotated[str, typer.Option("--as", help="报送人（本单位用户）")],
    now: Annotated[str | None, typer.Option(help="报送时间（补录用）")] = None,
) -> None:
    """提交本单位本期进展（每期一次）。"""
    from duban.ledger import reports
    from duban.ledger.errors import ValidationError

    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValidationError(f"报送文件不是有效的 JSON：第 {exc.lineno} 行") from None
    entries = []
    for d in data:
        atts = [(Path(p).name, (file.parent / p).read_bytes()) for p in d.get("attachments", [])]
        entries.append(
            reports.Entry(
                task_id=int(d["task_id"]),
                work_done=d.get("work_done", ""),
                problems=d.get("problems", ""),
                next_steps=d.get("next_steps", ""),
                percent=d.get("percent"),
                values={int(k): v for k, v in d.get("values", {}).items()},
                attachments=atts,
            )
        )
    with open_session() as s:
        actor = actor_of(s, as_user)
        rep = reports.submit(
            s,
            actor=actor,
            unit_id=actor.unit_id or 0,
            period_id=reports.get_period(s, name=period).id,
            entries=entries,
            now=parse_now(now),
        )
        late = "（逾期报送）" if rep.late else ""
        out.print(f"已报送 {period}：{len(rep.items)} 项任务{late}")


@report_app.command("missing")
@handled
def report_missing(period: Annotated[str, typer.Option(help="报送周期")]) -> None:
    """列出本期未报送的单位。"""
    from duban.ledger import reports
    from duban.ledger.config import load_config

    co_direct = load_config().reports.co_units_report_directly
    with open_session() as s:
        units = reports.missing_units(s, period_id=reports.get_period(s, name=period).id, co_direct=co_direct)
        for u in units:
            out.print(u.name)
        if not units:
            out.print("本期各单位均已报送")


# ---------------------------------------------------------------- status, tick, reminders
@handled
def status_command(
    unit: Annotated[str | None, typer.Option(help="只看该单位的任务")] = None,
    light: Annotated[str | None, typer.Option(help="只看该灯色：red / yellow / blue / green")] = None,
    fmt: Fmt = "table",
    now: Annotated[str | None, typer.Option(help="按该时间计算（默认现在）")] = None,
) -> None:
    """任务状态与红黄蓝绿灯。"""
    from duban.ledger import lights, plans
    from duban.ledger.config import load_config
    from duban.ledger.db import utcnow
    from duban.ledger.errors import ValidationError
    from duban.ledger.read.lights import status_rows
    from duban.ledger.tasks import STATUS_NAMES

    if light and light not in lights.LIGHTS:
        raise ValidationError(f"灯色无效：{light}（可选：{' / '.join(lights.LIGHTS)}）")
    if fmt not in ("table", "json"):
        raise ValidationError(f"输出格式无效：{fmt}（可选：table / json）")
    cfg = load_config()
    with open_session() as s:
        rows = status_rows(
            s,
            now=parse_now(now) or utcnow(),
            cfg=cfg.lights,
            unit_id=unit_id_of(s, unit) if unit else None,
            only_light=light,
        )
        unassigned = plans.unassigned_tasks(s)
        imported = bool(plans.list_plans(s))
    if fmt == "json":
        sys.stdout.write(json.dumps([jsonable(r) for r in rows], ensure_ascii=False, indent=2) + "\n")
        return
    colors = {"red": "red", "yellow": "yellow", "blue": "blue", "green": "green"}
    table = new_table(title=f"任务状态（{len(rows)} 项）")
    for col in ("编号", "灯", "状态", "牵头单位", "完成时限", "进度", "任务"):
        table.add_column(col)
    for r in rows:
        lt = lights.LIGHT_NAMES[r.light]
        table.add_row(
            str(r.task_id),
            f"[{colors[r.light]}]{lt}[/]" if r.light else lt,
            STATUS_NAMES[r.status],
            r.lead_unit,
            str(r.due_date or ""),
            "" if r.percent is None else f"{r.percent:g}%",
            f"{r.path} {r.title}",
        )
    out.print(table if rows else table.title, highlight=False)
    out.print(_status_footnote(len(rows), unassigned, imported=imported), highlight=False)


def _status_footnote(shown: int, unassigned: int, *, imported: bool) -> str:
    """Say what the table counts, and what to do next when it is empty."""
    if not imported:
        return "尚未导入任何计划。先导入：duban import 文件…；想先看一个完整的示例年度：duban demo"
    note = "只统计已交办的任务。"
    if unassigned:
        note += f"另有 {unassigned} 项任务已导入、尚未交办（无灯色）。"
    if shown == 0 and unassigned:
        note += (
            "\n下一步：在网页「任务分解」中交办；或在命令行先 duban unit add 单位名，"
            "再 duban assign 任务编号 --lead 单位名 --due YYYY-MM-DD（任务编号见 duban tasks）。"
        )
    return note


@handled
def tick_command(now: Annotated[str | None, typer.Option(help="按该时间运行（默认现在）")] = None) -> None:
    """定时任务：更新灯色、按阶梯自动催办、发送邮件；重复运行不会重复发送。"""
    from duban.ledger import reminders
    from duban.ledger.config import load_config

    with open_session() as s:
        r = reminders.tick(s, cfg=load_config(), now=parse_now(now))
    out.print(f"灯色变化 {r.lights_changed} 项，新催办 {len(r.reminders)} 条，发送邮件 {r.emailed} 封")


@handled
def remind_command(
    task_id: int,
    message: Annotated[str, typer.Option(help="催办内容（默认自动生成）")] = "",
    as_user: AsUser = None,
) -> None:
    """人工催办任务的牵头单位。"""
    from duban.ledger import reminders

    with open_session() as s:
        rem = reminders.remind(s, actor=actor_of(s, as_user), task_id=task_id, message=message)
        out.print(f"已催办：{rem.message}")


@handled
def inbox_command(
    unit: Annotated[str, typer.Option(help="单位")],
    unread: Annotated[bool, typer.Option(help="只看未读")] = False,
) -> None:
    """单位收件箱：催办提醒。"""
    from duban.ledger import reminders
    from duban.ledger.clock import to_local

    with open_session() as s:
        items = reminders.inbox(s, unit_id=unit_id_of(s, unit), unread_only=unread)
        for r in items:
            mark = " " if r.read_at else "●"
            out.print(
                f"{mark} {to_local(r.created_at):%Y-%m-%d %H:%M} 任务{r.task_id} {r.message}", highlight=False
            )
        if not items:
            out.print("收件箱为空")


# ---------------------------------------------------------------- audit, backup, restore
audit_app = typer.Typer(help="审计日志", no_args_is_help=True)


@audit_app.command("verify")
@handled
def audit_verify() -> None:
    """校验审计日志的哈希链：发现被修改或删除的记录。"""
    from duban.ledger import audit

    with open_session() as s:
        result = audit.verify(s)
    if result.ok:
        out.print(f"审计日志完整：共 {result.count} 条记录，哈希链校验通过")
        return
    for p in result.problems:
        err.print(p, highlight=False)
    fail(f"审计日志校验失败：发现 {len(result.problems)} 处问题")


@handled
def backup_command(path: Path) -> None:
    """备份数据库（SQLite 在线备份；以 .json 结尾或 PostgreSQL 时导出为 JSON）。"""
    from duban.ledger import backup
    from duban.ledger.db import make_engine, upgrade

    engine = make_engine()
    upgrade(engine)
    written = backup.backup(engine, path)
    engine.dispose()
    out.print(f"已备份到 {written}（{written.stat().st_size} 字节）")


@handled
def restore_command(
    path: Path,
    yes: Annotated[bool, typer.Option("--yes", help="确认用备份替换当前全部数据")] = False,
) -> None:
    """从备份恢复（替换当前全部数据）。"""
    from duban.ledger import backup
    from duban.ledger.db import make_engine
    from duban.ledger.errors import ValidationError

    if not yes:
        raise ValidationError("恢复会替换当前全部数据，请加 --yes 确认")
    engine = make_engine()
    counts = backup.restore(engine, path)
    engine.dispose()
    dispose_sessions()
    out.print(f"已从 {path} 恢复：任务 {counts.get('tasks', 0)} 项，审计记录 {counts.get('audit_log', 0)} 条")


def register(app: typer.Typer) -> None:
    """Add the ledger commands to the main CLI app."""
    app.command("import")(import_command)
    app.command("plans")(plans_command)
    app.add_typer(unit_app, name="unit")
    app.add_typer(user_app, name="user")
    app.command("assign")(assign_command)
    app.command("task")(task_command)
    app.command("tasks")(tasks_command)
    app.add_typer(report_app, name="report")
    app.command("status")(status_command)
    app.command("tick")(tick_command)
    app.command("remind")(remind_command)
    app.command("inbox")(inbox_command)
    app.add_typer(audit_app, name="audit")
    app.command("backup")(backup_command)
    app.command("restore")(restore_command)
