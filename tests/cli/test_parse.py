"""`duban parse` as a user runs it: a real process, real files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

PLAN = "XX县教育局2024年工作要点\n一、党的建设\n1.加强领导。落实责任。\n责任科室：机关党委\n二、教育质量\n2.提升质量\n"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "duban", "parse", *args], capture_output=True, text=True)


def test_json_to_stdout(tmp_path: Path) -> None:
    f = tmp_path / "plan.txt"
    f.write_text(PLAN, encoding="utf-8")
    r = run(str(f), "--format", "json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["source"] == "plan.txt"
    (doc,) = data["documents"]
    assert [i["path"] for i in doc["items"]] == ["一", "一/1", "二", "二/2"]
    assert doc["items"][1]["responsible"] == ["机关党委"]
    assert set(doc) >= {
        "title",
        "kind",
        "year",
        "issuer",
        "doc_number",
        "date",
        "items",
        "quantities",
        "deadlines",
    }


def test_tree_shows_the_outline(tmp_path: Path) -> None:
    f = tmp_path / "plan.txt"
    f.write_text(PLAN, encoding="utf-8")
    r = run(str(f))
    assert r.returncode == 0, r.stderr
    assert "XX县教育局2024年工作要点" in r.stdout
    assert "加强领导" in r.stdout and "机关党委" in r.stdout


def test_bad_files_give_one_chinese_line_and_the_others_are_still_written(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(PLAN, encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n", encoding="utf-8")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    out = tmp_path / "out"
    r = run(
        str(tmp_path / "missing.txt"),
        str(empty),
        str(good),
        str(binary),
        "--format",
        "json",
        "--out",
        str(out),
    )
    assert r.returncode != 0
    assert "Traceback" not in r.stderr
    errors = [ln for ln in r.stderr.splitlines() if ln.startswith("错误")]
    assert len(errors) == 3
    assert any("missing.txt" in ln for ln in errors)
    assert sorted(p.name for p in out.iterdir()) == ["good.txt.json"]
    assert json.loads((out / "good.txt.json").read_text(encoding="utf-8"))["documents"][0]["items"]


def test_a_file_with_text_but_no_outline_is_one_document_and_says_so(tmp_path: Path) -> None:
    f = tmp_path / "notice.txt"
    f.write_text(
        "关于做好2025年暑期学生安全工作的通知\n各学校：\n各校要在7月10日前完成安全教育，家长签收率达到100%。\n"
        "某某区教育局\n2025年6月28日\n",
        encoding="utf-8",
    )
    r = run(str(f), "--format", "json")
    assert r.returncode == 0, r.stderr
    assert "未找到编号提纲" in r.stderr
    (doc,) = json.loads(r.stdout)["documents"]
    assert doc["title"] == "关于做好2025年暑期学生安全工作的通知" and doc["items"] == []
    assert [d["date"] for d in doc["deadlines"]] == ["2025-07-10"]
    tree = run(str(f))
    assert "共 1 篇文档" in tree.stdout and "未找到编号提纲" in tree.stderr


def test_spreadsheets_and_ofd_are_inputs_and_errors_name_the_file_once(tmp_path: Path) -> None:
    from tests.documents.ofd_files import make_ofd
    from tests.documents.sheet_files import decomposition_xlsx

    (tmp_path / "分解表.xlsx").write_bytes(decomposition_xlsx())
    (tmp_path / "要点.ofd").write_bytes(
        make_ofd(
            [
                [
                    (20.0, 30.0, "某市教育局2025年工作要点"),
                    (20.0, 40.0, "一、加强党的建设"),
                    (20.0, 48.0, "1.新建幼儿园5所"),
                ]
            ]
        )
    )
    (tmp_path / "坏表.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    r = run(str(tmp_path / "分解表.xlsx"), str(tmp_path / "要点.ofd"), str(tmp_path / "坏表.xls"))
    assert r.returncode == 1
    assert "某县教育局2025年教育工作重点任务分解表" in r.stdout and "新建幼儿园5所" in r.stdout
    assert "某市教育局2025年工作要点" in r.stdout
    (line,) = [ln for ln in r.stderr.splitlines() if "坏表.xls" in ln]
    assert line.startswith("错误：") and line.count("坏表.xls") == 1 and "Traceback" not in r.stderr
