"""`duban export ...` end to end: files written whole, clear Chinese errors, nothing half-written."""

from __future__ import annotations

import json
import zipfile

import openpyxl
import pytest
from docx import Document
from typer.testing import CliRunner

from duban.cli import app
from tests.exports.conftest import build_world


@pytest.fixture
def cli(engine, session, monkeypatch, tmp_path):
    build_world(session)
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


def test_every_export(cli, tmp_path):
    xlsx, docx = tmp_path / "分解表.xlsx", tmp_path / "分解表.docx"
    assert "已导出" in cli("export", "decomposition", "--plan", 1, "--out", xlsx).stdout
    assert openpyxl.load_workbook(xlsx).active["A1"].value == "某市教育局2024年工作要点任务分解表"
    cli("export", "decomposition", "--plan", 1, "--format", "docx", "--out", docx)
    assert Document(docx).tables[0].rows[0].cells[1].text == "工作任务"
    bulletin = tmp_path / "通报.docx"
    cli("export", "bulletin", "--period", "2024-06", "--now", "2024-07-10", "--out", bulletin)
    assert "人事科" in "\n".join(p.text for p in Document(bulletin).paragraphs)
    cli("export", "ledger", "--format", "csv", "--out", tmp_path / "l.zip")
    assert "tasks.csv" in zipfile.ZipFile(tmp_path / "l.zip").namelist()
    cli("export", "ledger", "--format", "json", "--out", tmp_path / "l.json")
    assert json.loads((tmp_path / "l.json").read_text(encoding="utf-8"))["tables"]["units"]
    cli("export", "summary-draft", "--plan", 1, "--out", tmp_path / "总结.docx")
    assert Document(tmp_path / "总结.docx").paragraphs[0].text == "某市教育局2024年工作总结"
    # no summary reviews the plan: its targets against the units' reported values
    cli("export", "reconcile", "--plan", 1, "--out", tmp_path / "对照.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "对照.xlsx").active
    assert ws["A1"].value == "某市教育局2024年工作要点目标完成情况对照表"
    states = {row[2]: row[6] for row in ws.iter_rows(min_row=4, values_only=True)}
    assert states["新建幼儿园10所"] == "已完成" and states["学前三年毛入园率达到94.5%以上"] == "未完成"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".part")) == []


def test_errors_leave_files_alone(cli, tmp_path):
    target = tmp_path / "分解表.xlsx"
    target.write_bytes(b"previous")
    r = cli("export", "decomposition", "--plan", 99, "--out", target, ok=False)
    assert "计划不存在：99" in r.stderr and target.read_bytes() == b"previous"
    assert (
        "导出格式无效：pdf" in cli("export", "decomposition", "--plan", 1, "--format", "pdf", ok=False).stderr
    )
    r = cli("export", "decomposition", "--plan", 1, "--out", tmp_path / "无此目录" / "x.xlsx", ok=False)
    assert "无法写入文件" in r.stderr and "目录不存在" in r.stderr
    r = cli("export", "ledger", "--out", tmp_path, ok=False)
    assert "是一个目录" in r.stderr
    assert "报送周期不存在" in cli("export", "bulletin", "--period", "2099-01", ok=False).stderr
    assert "对照依据无效" in cli("export", "reconcile", "--plan", 1, "--summary", "去年", ok=False).stderr
    assert [p.name for p in tmp_path.iterdir()] == ["分解表.xlsx"]  # no temporary file left behind
