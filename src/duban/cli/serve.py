"""`duban serve` (the web app) and `duban init-admin` (the first account of a new installation)."""

from __future__ import annotations

import os
import secrets
import string
from typing import Annotated

import typer

from duban.cli.common import handled, open_session, out


def _generated_password() -> str:
    """16 characters with every class the password policy knows."""
    alphabet = string.ascii_letters + string.digits
    core = "".join(secrets.choice(alphabet) for _ in range(13))
    return core + secrets.choice(string.ascii_uppercase) + secrets.choice(string.digits) + "#"


@handled
def init_admin(
    username: Annotated[str, typer.Option(help="管理员用户名")] = "admin",
) -> None:
    """创建第一个系统管理员（已存在则不变）；密码取自环境变量 DUBAN_ADMIN_PASSWORD，否则随机生成并只显示一次。"""
    from sqlalchemy import select

    from duban.ledger.models import User
    from duban.ledger.users import SYSTEM, create_user

    with open_session() as session:
        if session.execute(select(User.id).where(User.username == username)).first():
            out.print(f"管理员账户 {username} 已存在，未作更改")
            return
        given = os.environ.get("DUBAN_ADMIN_PASSWORD")
        password = given or _generated_password()
        create_user(
            session,
            actor=SYSTEM,
            username=username,
            password=password,
            role="admin",
            display_name="系统管理员",
        )
    if given:
        out.print(f"已创建管理员账户 {username}（密码取自 DUBAN_ADMIN_PASSWORD）")
    else:
        out.print(f"已创建管理员账户 {username}，初始密码（只显示这一次）：[bold]{password}[/bold]")


def serve(
    host: Annotated[str, typer.Option(help="监听地址")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="端口")] = 8000,
    workers: Annotated[int, typer.Option(help="工作进程数（生产环境配合 PostgreSQL 与反向代理）")] = 1,
    no_scheduler: Annotated[bool, typer.Option("--no-scheduler", help="不在本进程运行定时催办")] = False,
) -> None:
    """启动网页与接口服务（定时计算红黄绿灯并催办）。"""
    import uvicorn

    from duban.ledger.db import database_url

    url = database_url()
    if workers > 1 and url.startswith("sqlite"):
        out.print("[yellow]提示：[/yellow]多进程建议使用 PostgreSQL（DUBAN_DATABASE_URL）")
    os.environ["DUBAN_SERVE_SCHEDULER"] = "0" if no_scheduler else "1"
    out.print(f"督办已启动：http://{host}:{port}/  （接口文档：/api/docs）")
    uvicorn.run(
        "duban.web.serve:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
        log_level="info",
        access_log=os.environ.get("DUBAN_ACCESS_LOG", "1") != "0",  # off where the reverse proxy logs
    )


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("init-admin")(init_admin)
