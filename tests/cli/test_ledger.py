"""The ledger commands end to end through the Typer app, on both backends."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from duban.cli import app
from tests.conftest import GOLD, SEEDS

PW = "Jiaoyu#2024"


@pytest.fixture
def cli(engine, monkeypatch, tmp_path):
    monkeypatch.setenv("DUBAN_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("DUBAN_PASSWORD", PW)
    monkeypatch.setenv("DUBAN_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("COLUMNS", "200")
    runner = CliRunner()

    def run(*args: str, ok: bool = True):
        result = runner.invoke(app, [str(a) for a in args])
        if ok:
            assert result.exit_code == 0, (args, result.output, result.stderr)
        else:
            assert result.exit_code == 1, (args, result.output)
            lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
            assert lines and lines[-1].startswith("错误："), result.stderr
        return result

    return run


def test_import_assign_lifecycle_status(cli, tmp_path):
    gold = sorted(GOLD.glob("000_*.gold.json"))[0]
    r = cli("import", gold)
    assert "新建计划《许昌市教育局2019年工作要点》" in r.stdout
    assert "任务 43 项，目标 13 个，实际数值 2 个" in r.stdout  # the gold file states two current figures
    assert "已导入过" in cli("import", gold).stdout
    assert "第1版  任务 43  目标 13  《许昌市教育局2019年工作要点》" in cli("plans").stdout
    cli("unit", "add", "市教育局", "--kind", "other")
    cli("unit", "add", "基础教育科", "--parent", "市教育局")
    cli("unit", "add", "基础教育科", ok=False)
    assert "  基础教育科" in cli("unit", "list").stdout
    cli("user", "add", "dc", "--role", "supervisor")
    cli("user", "add", "jj", "--role", "unit_member", "--unit", "基础教育科")
    cli("user", "add", "bad", "--role", "unit_member", ok=False)
    assert "jj  单位用户  基础教育科" in cli("user", "list").stdout
    cli("user", "passwd", "jj", "--as", "jj")
    cli("user", "passwd", "dc", "--as", "jj", ok=False)
    assert "一/1" in cli("tasks", "--plan", "1").stdout
    r = cli("assign", "2", "--lead", "基础教育科", "--due", "2019-06-30", "--milestone", "一季度=2019-03-31")
    assert "完成时限 2019-06-30" in r.stdout
    cli("task", "start", "2", "--as", "jj")
    r = cli("task", "close", "2", "--as", "jj", ok=False)
    assert "无权销号" in r.stderr
    cli("task", "request_closeout", "2", "--as", "jj", "--version", "1", ok=False)  # stale version
    cli("task", "request_closeout", "2", "--as", "jj")
    cli("task", "return", "2", "--as", "dc", ok=False)  # reason required
    cli("task", "return", "2", "--as", "dc", "--reason", "材料不全")
    cli("task", "fly", "2", "--as", "dc", ok=False)
    cli("assign", "999", "--lead", "基础教育科", ok=False)
    rows = json.loads(cli("status", "--format", "json", "--now", "2019-07-02").stdout)
    assert [(r["task_id"], r["light"], r["status"]) for r in rows] == [(2, "red", "returned")]
    assert (
        json.loads(cli("status", "--format", "json", "--light", "green", "--now", "2019-07-02").stdout) == []
    )
    assert "红灯" in cli("status", "--unit", "基础教育科", "--now", "2019-07-02").stdout
    cli("status", "--light", "purple", ok=False)
    cli("status", "--unit", "无此单位", ok=False)
    r1 = cli("tick", "--now", "2019-07-02")
    assert "新催办 1 条" in r1.stdout
    assert "新催办 0 条" in cli("tick", "--now", "2019-07-02T18:00").stdout
    assert "已逾期2天" in cli("inbox", "--unit", "基础教育科").stdout
    cli("remind", "2", "--as", "dc")
    cli("remind", "2", "--as", "jj", ok=False)
    assert "哈希链校验通过" in cli("audit", "verify").stdout


def test_reports_through_cli(cli, tmp_path):
    cli("import", sorted(GOLD.glob("000_*.gold.json"))[0])
    cli("unit", "add", "基础教育科")
    cli("user", "add", "jj", "--role", "unit_member", "--unit", "基础教育科")
    cli("assign", "2", "--lead", "基础教育科")
    cli(
        "report",
        "period",
        "2019-03",
        "--start",
        "2019-03-01",
        "--end",
        "2019-03-31",
        "--cutoff",
        "2019-04-05",
    )
    draft = json.loads(cli("report", "draft", "--unit", "基础教育科", "--period", "2019-03").stdout)
    assert [d["task_id"] for d in draft] == [2]
    draft[0]["work_done"] = "召开专题会议2次"
    draft[0]["percent"] = 30
    (tmp_path / "photo.jpg").write_bytes(b"jpeg")
    draft[0]["attachments"] = ["photo.jpg"]
    f = tmp_path / "r.json"
    f.write_text(json.dumps(draft, ensure_ascii=False), encoding="utf-8")
    r = cli("report", "submit", f, "--period", "2019-03", "--as", "jj", "--now", "2019-04-06T09:00")
    assert "已报送 2019-03：1 项任务（逾期报送）" in r.stdout
    r = cli("report", "submit", f, "--period", "2019-03", "--as", "jj", ok=False)
    assert "每期只报一次" in r.stderr
    assert "各单位均已报送" in cli("report", "missing", "--period", "2019-03").stdout
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    cli("report", "submit", tmp_path / "bad.json", "--period", "2019-03", "--as", "jj", ok=False)


def test_backup_restore_and_tampering_through_cli(cli, tmp_path, engine):
    cli("import", sorted(GOLD.glob("004_*.gold.json"))[0])
    path = tmp_path / "backup.json"
    assert "已备份到" in cli("backup", path).stdout
    cli("import", sorted(GOLD.glob("001_*.gold.json"))[0])
    cli("restore", path, ok=False)  # needs --yes
    r = cli("restore", path, "--yes")
    assert "任务 33 项" in r.stdout
    from sqlalchemy import text

    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET actor = 'x' WHERE seq = 1"))
    r = cli("audit", "verify", ok=False)
    assert "审计记录 1 的内容被修改" in r.stderr
    cli("restore", tmp_path / "missing.json", "--yes", ok=False)


def test_import_seed_through_parser(cli):
    r = cli("import", sorted(SEEDS.glob("002_*"))[0])
    assert "新建总结" in r.stdout and "新建计划" in r.stdout
    cli("import", SEEDS / "no-such-file.txt", ok=False)


def test_empty_and_unassigned_ledgers_say_what_next(cli):
    assert "尚未导入任何计划" in cli("plans").stdout
    assert "duban import" in cli("status").stdout
    cli("import", sorted(GOLD.glob("000_*.gold.json"))[0])
    r = cli("status")
    assert "任务状态（0 项）" in r.stdout
    assert "只统计已交办的任务" in r.stdout and "另有 43 项任务已导入、尚未交办" in r.stdout
    assert "任务分解" in r.stdout and "duban assign" in r.stdout
    cli("unit", "add", "基础教育科")
    cli("assign", "2", "--lead", "基础教育科", "--due", "2019-06-30")
    r = cli("status", "--now", "2019-05-01")
    assert "任务状态（1 项）" in r.stdout and "另有 42 项任务已导入、尚未交办" in r.stdout
    assert "下一步" not in r.stdout


def test_piped_output_is_not_wrapped_at_80_columns(engine, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    env |= {"DUBAN_DATABASE_URL": engine.url.render_as_string(hide_password=False)}
    env |= {"DUBAN_CONFIG": str(tmp_path / "none.toml"), "PYTHONPATH": os.pathsep.join(sys.path)}
    r = subprocess.run(
        [sys.executable, "-m", "duban", "import", *sorted(GOLD.glob("00[04]_*.gold.json"))],
        capture_output=True,
        text=True,
        env=env,
    )
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines and all("新建计划《" in ln and "个" in ln for ln in lines), lines
    assert max(len(ln) for ln in lines) > 40  # wider than 80 cells: Chinese characters count twice


def test_import_a_spreadsheet(cli, tmp_path):
    from tests.documents.sheet_files import decomposition_xlsx

    path = tmp_path / "分解表.xlsx"
    path.write_bytes(decomposition_xlsx())
    r = cli("import", path)
    assert "新建计划《某县教育局2025年教育工作重点任务分解表》" in r.stdout and "任务 7 项" in r.stdout
    assert "已导入过" in cli("import", path).stdout
