"""The assess commands end to end through the Typer app (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from duban.cli import app
from tests.conftest import SEEDS


@pytest.fixture
def cli(engine, monkeypatch, tmp_path):
    monkeypatch.setenv("DUBAN_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("DUBAN_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("COLUMNS", "200")
    runner = CliRunner()

    def run(*args: str, ok: bool = True):
        result = runner.invoke(app, [str(a) for a in args])
        if ok:
            assert result.exit_code == 0, (args, result.output, result.stderr)
        else:
            assert result.exit_code == 1, (args, result.output)
            assert result.stderr.strip().splitlines()[-1].startswith("错误："), result.stderr
        return result

    return run


def test_reconcile_compare_indicators_assess(cli):
    seed = sorted(SEEDS.glob("002_*"))[0]
    cli("import", seed)
    plans = {p["kind"]: p for p in _plans(cli)}
    summary, plan = plans["summary"]["id"], plans["plan"]["id"]
    data = json.loads(cli("reconcile", "--plan", plan, "--summary", summary, "--format", "json").stdout)
    rows = {r["target_text"]: r for r in data["rows"]}
    row = rows["学前三年毛入园率达到92%"]
    assert (row["state"], row["state_name"]) == ("not_met", "未完成")
    table = cli("reconcile", "--plan", plan, "--summary", summary).stdout
    assert "未完成" in table and "学前三年毛入园率达到91%" in table
    cli("reconcile", "--plan", plan, "--summary", summary, "--correct", row["target_id"], ok=False)
    out = cli(
        "reconcile",
        "--plan",
        plan,
        "--summary",
        summary,
        "--correct",
        row["target_id"],
        "--not-mentioned",
        "--format",
        "json",
    ).stdout
    assert "已更正" in out
    fixed = json.loads(out[out.index("{") :])
    assert {r["target_id"]: r["state"] for r in fixed["rows"]}[row["target_id"]] == "not_mentioned"
    # by default, as on the page: the same bureau's summary of the year before
    data = json.loads(cli("reconcile", "--plan", plan, "--format", "json").stdout)
    assert data["source"] == f"summary:{summary}"
    # against the progress reports: none yet, so everything is "not mentioned"
    data = json.loads(cli("reconcile", "--plan", plan, "--reports", "--format", "json").stdout)
    assert data["source"] == "reports" and data["counts"]["not_mentioned"] == len(data["rows"])

    assert "91%" in cli("compare", "indicator", "毛入园率").stdout
    figures = json.loads(cli("compare", "indicator", "学前三年毛入园率", "--format", "json").stdout)
    assert {f["value"] for f in figures["figures"]} == {91.0, 92.0}
    cli("compare", "indicator", "没有这个指标", ok=False)
    assert "延续" in cli("compare", "plans", plan, plan).stdout

    assert "默认指标库" in cli("indicators", "list").stdout
    cli("indicators", "add", "市级名师", "--unit", "名", "--alias", "市级骨干名师")
    cli("indicators", "alias", "市级名师", "名师培树")
    cli("indicators", "alias", "学前三年毛入园率", "名师培树", ok=False)
    listed = {r["name"]: r for r in json.loads(cli("indicators", "list", "--format", "json").stdout)}
    assert listed["市级名师"]["targets"] == 1 and listed["市级名师"]["actuals"] == 1
    assert "市级名校" in cli("indicators", "candidates").stdout
    cli("indicators", "merge", "市级名师", "新招聘补充教师")

    cli(
        "report",
        "period",
        "2021-Q1",
        "--start",
        "2021-01-01",
        "--end",
        "2021-03-31",
        "--cutoff",
        "2021-04-05",
    )
    assert json.loads(cli("assess", "--period", "2021-Q1", "--format", "json").stdout) == []
    cli("assess", "--period", "2021-Q9", ok=False)
    cli("assess", "--period", "2021-Q1", "--format", "xml", ok=False)


def test_assess_csv_export(cli, session):
    from datetime import date

    from sqlalchemy import select

    from duban.ledger import plans as ledger_plans
    from duban.ledger import tasks
    from duban.ledger.models import Task, Unit
    from duban.ledger.users import Actor
    from tests.conftest import small_plan

    session.add(Unit(name="基础教育科"))
    session.commit()
    unit = session.execute(select(Unit.id)).scalar_one()
    ledger_plans.import_plan(session, plan=small_plan(), content=b"p", name="p.txt")
    task = session.execute(select(Task.id).where(Task.path == "一/1")).scalar_one()
    tasks.assign(
        session, actor=Actor("dc", "supervisor"), task_id=task, lead_unit_id=unit, due_date=date(2024, 3, 10)
    )
    cli(
        "report",
        "period",
        "2024-03",
        "--start",
        "2024-03-01",
        "--end",
        "2024-03-31",
        "--cutoff",
        "2024-04-05",
    )
    out = cli("assess", "--period", "2024-03", "--format", "csv", "--now", "2024-04-10").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["单位"] == "基础教育科" and rows[0]["逾期未办结"] == "1" and rows[0]["未报送"] == "1"
    assert float(rows[0]["得分"]) == -10
    details = cli(
        "assess", "--period", "2024-03", "--format", "csv", "--details", "--now", "2024-04-10"
    ).stdout
    assert "逾期未办结" in details and "尚未办结" in details
    assert "基础教育科" in cli("assess", "--period", "2024-03", "--details", "--now", "2024-04-10").stdout


def _plans(cli) -> list[dict]:
    out = cli("plans").stdout
    rows = []
    for line in out.splitlines():
        parts = line.split()
        if parts and parts[0].isdigit():
            rows.append({"id": int(parts[0]), "kind": "summary" if "总结" in line.split("《")[0] else "plan"})
    return rows
