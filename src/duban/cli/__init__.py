"""The `duban` command line (Typer): parse, and the commands registered from the modules of this package."""

from __future__ import annotations

import typer

from duban.cli.assess import register as register_assess
from duban.cli.demo import register as register_demo
from duban.cli.export import register as register_export
from duban.cli.ledger import register as register_ledger
from duban.cli.parse import parse_command
from duban.cli.serve import register as register_serve

# Plain help (no rich_markup_mode): Typer's rich help imports rich, markdown-it and pygments,
# most of the start-up time of `duban --help`. The subcommand groups inherit this.
app = typer.Typer(
    help="督办：教育局年度工作要点的解析与督办",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)


@app.callback()
def main() -> None:
    """督办：教育局年度工作要点的解析与督办。"""


app.command("parse")(parse_command)
register_ledger(app)
register_serve(app)
register_assess(app)
register_export(app)
register_demo(app)
