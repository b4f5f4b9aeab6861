"""`duban demo`: a living demo year on the imported plans (see duban.ledger.demo)."""

from __future__ import annotations

from typing import Annotated

import typer

from duban.cli.common import generated_password, handled, new_table, open_session, out, parse_now


@handled
def demo_command(
    seed: Annotated[int, typer.Option(help="随机种子：同一种子、同一天建出同样的示例年度")] = 2024,
    now: Annotated[
        str | None, typer.Option(help="以该时间为“现在”（YYYY-MM-DDTHH:MM，默认现在；用于测试）")
    ] = None,
) -> None:
    """建立示例年度：单位、用户、交办、三期报送（含逾期与缺报）、催办、延期、销号；只用于新数据库。"""
    from duban.ledger import demo
    from duban.ledger.clock import to_local
    from duban.ledger.config import load_config
    from duban.ledger.rights import ROLE_NAMES

    with open_session() as s:
        r = demo.build(s, cfg=load_config(), new_password=generated_password, seed=seed, now=parse_now(now))
    if r.already:
        out.print(
            f"示例年度已于 {to_local(r.already):%Y-%m-%d %H:%M} 建立，未做更改；各账户密码只在当时显示过一次。"
        )
        return
    out.print(
        f"已建立示例年度：计划《{r.plan.title}》交办 {r.assigned} 项任务，单位 {r.units} 个；"
        f"报送周期 {'、'.join(r.periods)}，报送 {r.reports} 份（逾期 {r.late} 份，"
        f"缺报：{'、'.join(r.missing) or '无'}）；催办 {r.reminders} 条，延期 {r.extensions} 项，销号 {r.closed} 项。",
        highlight=False,
    )
    table = new_table(title="示例账户（密码只显示这一次）")
    for col in ("用户名", "角色", "单位", "密码"):
        table.add_column(col)
    for a in r.accounts:
        table.add_row(a.username, ROLE_NAMES.get(a.role, a.role), a.unit, a.password)
    out.print(table)
    out.print(
        "启动网页：duban serve，然后用上面的账户登录（领导 lingdao 看督办总览，单位用户看收件箱）。",
        highlight=False,
    )


def register(app: typer.Typer) -> None:
    app.command("demo")(demo_command)
