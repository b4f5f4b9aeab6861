"""The `duban` command line (Typer): parse now; ledger commands are registered from cli_ledger."""

from __future__ import annotations

import typer

from duban.cli_ledger import register as register_ledger

app = typer.Typer(help="督办：教育局年度工作要点的解析与督办", no_args_is_help=True, add_completion=False)


@app.callback()
def main() -> None:
    """督办：教育局年度工作要点的解析与督办。"""


register_ledger(app)
