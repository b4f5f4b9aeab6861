"""Assessment commands: reconcile, compare, indicators, assess.

Thin: each command calls one function of `duban.assess`; errors go through cli.common's
`handled` (one Chinese line, exit code 1).
"""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from duban.cli.common import AsUser, Fmt, actor_of, handled, jsonable, new_table, open_session, out

STATE_STYLE = {"met": "green", "not_met": "red", "unknown": "yellow", "not_mentioned": "dim"}


def _check_format(fmt: str, allowed: tuple[str, ...] = ("table", "json")) -> None:
    from duban.ledger.errors import ValidationError

    if fmt not in allowed:
        raise ValidationError(f"输出格式无效：{fmt}（可选：{' / '.join(allowed)}）")


def _dump(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def _num(v: float | None, unit: str = "") -> str:
    return "" if v is None else f"{v:g}{unit}"


# ---------------------------------------------------------------- reconcile
@handled
def reconcile_command(
    plan: Annotated[int, typer.Option(help="计划编号")],
    summary: Annotated[
        int | None,
        typer.Option(help="总结/报告编号（默认：评述该计划的总结或本单位上一年度的总结，没有则用进展报送）"),
    ] = None,
    reports: Annotated[bool, typer.Option("--reports", help="按进展报送的实际数值对照")] = False,
    correct: Annotated[int | None, typer.Option(help="更正：目标编号")] = None,
    actual: Annotated[int | None, typer.Option(help="更正：选定的实际数值编号")] = None,
    not_mentioned: Annotated[bool, typer.Option("--not-mentioned", help="更正：总结未提及该目标")] = False,
    note: Annotated[str, typer.Option(help="更正说明")] = "",
    fmt: Fmt = "table",
    as_user: AsUser = None,
) -> None:
    """目标对照：计划的每个目标与总结（或进展报送）的实际数值，判断完成、未完成、未提及、无法判断。"""

    from duban.assess.reconcile import correct as correct_target
    from duban.assess.reconcile import reconcile, summaries_of
    from duban.ledger.errors import ValidationError
    from duban.ledger.models import Plan

    _check_format(fmt)
    with open_session() as s:
        if summary is None and not reports:
            # the same default as the page and the exports: a linked summary, else the bureau's
            # summary of the year before
            target = s.get(Plan, plan)
            found = summaries_of(s, target) if target is not None else []
            summary = found[0].id if found else None
        if reports:
            summary = None
        if correct is not None:
            if (actual is None) == (not not_mentioned):
                raise ValidationError("更正时请给出 --actual 编号或 --not-mentioned（二选一）")
            correct_target(
                s,
                actor=actor_of(s, as_user),
                target_id=correct,
                summary_id=summary,
                actual_id=actual,
                note=note,
            )
            out.print(f"已更正目标 {correct} 的对照结果")
        result = reconcile(s, plan_id=plan, summary_id=summary)
    if fmt == "json":
        _dump(
            {
                "plan_id": result.plan_id,
                "source": result.source,
                "counts": result.counts(),
                "rows": [jsonable(r) for r in result.rows],
            }
        )
        return
    c = result.counts()
    table = new_table(
        title=f"《{result.plan_title}》对照《{result.source_title}》：已完成 {c['met']}，未完成 {c['not_met']}，"
        f"未提及 {c['not_mentioned']}，无法判断 {c['unknown']}",
        show_lines=True,
    )
    for col in ("目标编号", "指标", "计划原文", "状态", "实际数值", "总结原文", "说明"):
        table.add_column(col, overflow="fold")
    for r in result.rows:
        state = f"[{STATE_STYLE[r.state]}]{r.state_name}[/]"
        actual_cell = f"{r.actual_text}" + (f"（编号 {r.actual_id}）" if r.actual_id else "")
        who = f"{r.corrected_by} 更正" if r.corrected_by else ""
        table.add_row(
            str(r.target_id),
            r.indicator,
            r.target_evidence,
            state,
            actual_cell,
            r.actual_evidence if r.actual_evidence != r.actual_text else "",
            "；".join(x for x in (r.note, who) if x),
        )
    out.print(table)


# ---------------------------------------------------------------- compare
compare_app = typer.Typer(help="对比：同一指标跨年度、跨地区；计划与计划", no_args_is_help=True)


@compare_app.command("indicator")
@handled
def compare_indicator(name: str, fmt: Fmt = "table") -> None:
    """某一指标在全部已导入文件中的目标与实际数值（按年份）。"""
    from duban.assess.compare import ROLE_NAMES, indicator_chart, indicator_figures
    from duban.plan.model import KIND_NAMES

    _check_format(fmt)
    with open_session() as s:
        figures = indicator_figures(s, name=name)
        chart = indicator_chart(s, name=name, figures=figures) if fmt == "json" else None
    if fmt == "json":
        _dump({"figures": [jsonable(f) for f in figures], "chart": jsonable(chart)})
        return
    title = figures[0].indicator if figures else name
    table = new_table(title=f"{title}：{len(figures)} 个数值")
    for col in ("年份", "发文单位", "文件", "类别", "数值", "原文"):
        table.add_column(col, overflow="fold")
    for f in figures:
        value = "x（隐去）" if f.placeholder else _num(f.value, f.unit)
        if f.comparator not in ("=", "range"):
            value = f"{f.comparator} {value}"
        elif f.comparator == "range":
            value = f"{_num(f.value)}-{_num(f.value_high, f.unit)}"
        table.add_row(
            str(f.year or ""),
            f.issuer,
            f"{KIND_NAMES.get(f.kind, f.kind)} {f.plan_id}",
            ROLE_NAMES.get(f.role, f.role),
            value,
            f.evidence,
        )
    out.print(table)


@compare_app.command("plans")
@handled
def compare_plans_command(a: int, b: int, fmt: Fmt = "table") -> None:
    """计划 A 与计划 B：哪些标题和任务延续、新增、未再列入。"""
    from duban.assess.compare import STATUS_NAMES, compare_plans

    _check_format(fmt)
    with open_session() as s:
        result = compare_plans(s, plan_a=a, plan_b=b)
    if fmt == "json":
        _dump(
            {
                "counts": result.counts(),
                "headings": [jsonable(m) for m in result.headings],
                "tasks": [jsonable(m) for m in result.tasks],
            }
        )
        return
    for label, rows in (("标题", result.headings), ("任务", result.tasks)):
        counts = {k: sum(r.status == k for r in rows) for k in STATUS_NAMES}
        table = new_table(
            title=f"{label}：延续 {counts['continued']}，新增 {counts['new']}，未再列入 {counts['dropped']}"
        )
        for col in ("状态", f"计划 {a}", f"计划 {b}", "相似度"):
            table.add_column(col, overflow="fold")
        for r in rows:
            table.add_row(
                STATUS_NAMES[r.status],
                f"{r.a_path} {r.a_title}".strip(),
                f"{r.b_path} {r.b_title}".strip(),
                f"{r.score:.0f}" if r.score else "",
            )
        out.print(table)


# ---------------------------------------------------------------- indicators
indicators_app = typer.Typer(help="指标库：规范指标及其别名", no_args_is_help=True)


@indicators_app.command("list")
@handled
def indicators_list(fmt: Fmt = "table") -> None:
    """列出规范指标、别名，以及已导入文件中关联的目标数、实际数。"""
    from dataclasses import asdict

    from duban.assess.indicators import list_indicators

    _check_format(fmt)
    with open_session() as s:
        rows = list_indicators(s)
    if fmt == "json":
        _dump([asdict(r) for r in rows])
        return
    table = new_table(
        title=f"指标库：{len(rows)} 个指标" + ("" if any(r.stored for r in rows) else "（默认指标库）")
    )
    for col in ("指标", "单位", "类别", "目标", "实际", "别名"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(r.name, r.unit, r.category, str(r.targets), str(r.actuals), "、".join(r.aliases))
    out.print(table)


@indicators_app.command("add")
@handled
def indicators_add(
    name: str,
    unit: Annotated[str, typer.Option(help="常用单位，如 % 人 所 元")] = "",
    category: Annotated[str, typer.Option(help="类别，如 学前教育")] = "",
    alias: Annotated[list[str] | None, typer.Option(help="别名，可多次给出")] = None,
    as_user: AsUser = None,
) -> None:
    """新增规范指标。"""
    from duban.assess.indicators import add_indicator

    with open_session() as s:
        row = add_indicator(
            s, actor=actor_of(s, as_user), name=name, unit=unit, category=category, aliases=alias
        )
        out.print(f"已新增指标：{row.name}")


@indicators_app.command("alias")
@handled
def indicators_alias(name: str, alias: str, as_user: AsUser = None) -> None:
    """为指标新增别名。"""
    from duban.assess.indicators import add_alias

    with open_session() as s:
        rec = add_alias(s, actor=actor_of(s, as_user), name=name, alias=alias)
        out.print(f"已为指标“{name}”新增别名：{rec.alias}")


@indicators_app.command("merge")
@handled
def indicators_merge(source: str, into: str, as_user: AsUser = None) -> None:
    """把指标 SOURCE 合并到 INTO（SOURCE 的名称和别名成为 INTO 的别名）。"""
    from duban.assess.indicators import merge_indicators

    with open_session() as s:
        row = merge_indicators(s, actor=actor_of(s, as_user), source=source, into=into)
        out.print(f"已把指标“{source}”合并到“{row.name}”")


@indicators_app.command("candidates")
@handled
def indicators_candidates(
    min_documents: Annotated[int, typer.Option(help="至少出现在几个文件中")] = 1,
) -> None:
    """列出已导入文件中尚未关联任何指标的指标性短语（新增指标的候选）。"""
    from duban.assess.indicators import candidates

    with open_session() as s:
        rows = candidates(s, min_documents=min_documents)
    table = new_table(title=f"候选指标：{len(rows)} 个")
    for col in ("短语", "单位", "文件数", "数值数", "示例"):
        table.add_column(col, overflow="fold")
    for c in rows:
        table.add_row(c.phrase, c.unit, str(c.documents), str(c.quantities), "；".join(c.examples))
    out.print(table)


@indicators_app.command("grow")
@handled
def indicators_grow(
    min_documents: Annotated[int, typer.Option(help="至少出现在几个文件中")] = 2,
    as_user: AsUser = None,
) -> None:
    """把出现在多个文件中的候选短语加入指标库。"""
    from duban.assess.indicators import grow_registry

    with open_session() as s:
        added = grow_registry(s, actor=actor_of(s, as_user), min_documents=min_documents)
    out.print(f"新增指标 {len(added)} 个" + (f"：{'、'.join(added)}" if added else ""))


# ---------------------------------------------------------------- assess
@handled
def assess_command(
    period: Annotated[str, typer.Option(help="报送周期名称")],
    fmt: Annotated[str, typer.Option("--format", help="输出格式：table / json / csv")] = "table",
    details: Annotated[bool, typer.Option("--details", help="表格或 CSV 输出每一项得分明细")] = False,
    now: Annotated[str | None, typer.Option(help="按该时间计算（默认现在）")] = None,
) -> None:
    """单位考核：按配置的考核细则计分（按时办结、按时报送、目标达成、延期），排名并列出明细。"""
    from duban.assess.scoring import RULE_NAMES, assess_period, assessment_rows, breakdown_rows
    from duban.cli.common import parse_now

    _check_format(fmt, ("table", "json", "csv"))
    with open_session() as s:
        scores = assess_period(s, period_name=period, now=parse_now(now))
    if fmt == "json":
        _dump([jsonable(sc) for sc in scores])
        return
    if fmt == "csv":
        rows = breakdown_rows(scores) if details else assessment_rows(scores)
        if rows:
            import csv

            writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        return
    table = new_table(title=f"{period} 考核排名（{len(scores)} 个单位）")
    for col in ("排名", "单位", "得分", "满分", "得分率", *(RULE_NAMES[r] for r in RULE_NAMES)):
        table.add_column(col, overflow="fold")
    for sc in scores:
        counts = sc.counts()
        table.add_row(
            str(sc.rank),
            sc.unit_name,
            f"{sc.total:g}",
            f"{sc.possible:g}",
            "" if sc.rate is None else f"{sc.rate:g}%",
            *(str(counts[r]) for r in RULE_NAMES),
        )
    out.print(table)
    if details:
        for sc in scores:
            out.print(f"[bold]{sc.unit_name}[/bold]")
            for p in sc.breakdown:
                out.print(f"  {p.rule_name} {p.points:+g}：{p.detail}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add the assessment commands to the main CLI app."""
    app.command("reconcile")(reconcile_command)
    app.add_typer(compare_app, name="compare")
    app.add_typer(indicators_app, name="indicators")
    app.command("assess")(assess_command)
