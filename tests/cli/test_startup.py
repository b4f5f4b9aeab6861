"""`duban --help` imports no heavy module: the parser, the ledger, rich and the web stack load where used.

The time itself is printed by bench/cli.py (the target is < 0.2 s); this test pins the cause.
"""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("rich", "cn2an", "sqlalchemy", "fastapi", "uvicorn", "duban.plan", "duban.ledger", "duban.documents")

PROBE = """
import contextlib, io, json, sys
sys.argv = ["duban", *ARGS]
import duban.cli
with contextlib.redirect_stdout(io.StringIO()) as text:
    try:
        duban.cli.app(prog_name="duban")
    except SystemExit:
        pass
print(json.dumps({"help": text.getvalue(), "modules": sorted(sys.modules)}))
"""


def loaded(*args: str) -> tuple[str, list[str]]:
    code = PROBE.replace("ARGS", repr(list(args)))
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    data = json.loads(r.stdout)
    return data["help"], data["modules"]


def heavy(modules: list[str]) -> list[str]:
    return [m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY)]


def test_help_imports_nothing_heavy() -> None:
    text, modules = loaded("--help")
    assert "parse" in text and "import" in text and "serve" in text
    assert heavy(modules) == []


def test_subcommand_help_imports_nothing_heavy() -> None:
    text, modules = loaded("report", "--help")
    assert "submit" in text
    assert heavy(modules) == []


def test_the_probe_sees_a_heavy_import() -> None:
    # `parse` on a missing file imports the parser: the probe would notice a regression.
    _, modules = loaded("parse", "/nonexistent/plan.txt")
    assert "duban.plan.parser" in heavy(modules)
