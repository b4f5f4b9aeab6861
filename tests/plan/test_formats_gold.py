"""Spreadsheets, OFD and a table-only .docx built in the test, parsed and scored by
shared/eval/score.py against the hand-made gold files in tests/plan/gold/."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from duban.documents import read_bytes
from duban.plan.parser import parse_text
from tests.documents.ofd_files import make_ofd, make_package
from tests.documents.sheet_files import (
    convert,
    decomposition_xlsx,
    formatted_xlsx,
    table_only_docx,
    two_sheet_xlsx,
)

SHARED = Path(__file__).resolve().parents[3] / "shared"
GOLD = Path(__file__).parent / "gold"


def _ofd() -> bytes:
    left = ["一、党的建设", "1.加强基层党组织建设", "二、基础教育", "1.新建幼儿园5所，9月底前投用"]
    right = ["三、推进教育数字化", "1.建设智慧校园20所", "2.完成教师培训3000人次"]

    def page(n: int, body: list[tuple[float, float, str]]) -> list[tuple[float, float, str]]:
        return [(20.0, 12.0, "某市教育局文件"), *body, (100.0, 285.0, f"- {n} -")]

    first = [(50.0, 30.0, "某市教育局2025年工作要点")]
    first += [(110.0, 60.0 + 8 * i, t) for i, t in enumerate(right)]  # right column written first
    first += [(20.0, 60.0 + 8 * i, t) for i, t in enumerate(left)]
    second = [(20.0, 60.0, "四、保障措施"), (20.0, 68.0, "1.落实经费保障")]
    return make_ofd([page(1, first), page(2, second)])


def _ofd_package() -> bytes:
    """Two documents in one package (a cover notice, then the plan); the plan's second page is a
    landscape page, its text turned by the CTMs."""
    notice = [
        (40.0, 30.0, "关于印发《某市教育局2025年工作要点》的通知"),
        (20.0, 50.0, "各县（市、区）教育局："),
        (28.0, 58.0, "现将《某市教育局2025年工作要点》印发给你们，请认真贯彻落实。"),
        (140.0, 80.0, "某市教育局"),
        (136.0, 88.0, "2025年2月20日"),
    ]
    first = [
        (60.0, 30.0, "某市教育局2025年工作要点"),
        (20.0, 60.0, "一、党的建设"),
        (20.0, 68.0, "1.加强基层党组织建设，新建党建示范校10所。"),
        (20.0, 76.0, "二、基础教育"),
        (20.0, 84.0, "2.新建幼儿园5所，9月底前投用。"),
        (100.0, 285.0, "- 1 -"),
    ]
    landscape = [
        (30.0, 30.0, "三、教育数字化"),
        (30.0, 38.0, "3.建设智慧校园20所，年底前完成。"),
        (145.0, 200.0, "- 2 -"),
    ]
    return make_package([[notice], [first, landscape]], turns=[0, 90])


@pytest.fixture(scope="module")
def scores(tmp_path_factory: pytest.TempPathFactory) -> dict:
    tmp = tmp_path_factory.mktemp("formats")
    xlsx = decomposition_xlsx()
    xls = convert(xlsx, "xls", tmp)
    files = {
        "分解表.xlsx": xlsx,
        "分解表.xls": xls,
        "分解表.ods": convert(xlsx, "ods", tmp),
        "分解表.et": xls,  # WPS 表格's .et is a BIFF8 compound file like .xls
        "两表.xlsx": two_sheet_xlsx(),
        "目标表.xlsx": formatted_xlsx(),
        "目标表.xls": convert(formatted_xlsx(), "xls", tmp),
        "要点.ofd": _ofd(),
        "合订.ofd": _ofd_package(),
        "表.docx": table_only_docx(),
    }
    out = tmp / "plans"
    out.mkdir()
    for name, data in files.items():
        src = read_bytes(data, name)
        plan = parse_text(src.text, src.name)
        (out / f"{name}.json").write_text(json.dumps(plan.to_dict(), ensure_ascii=False), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(SHARED / "eval" / "score.py"), str(GOLD), str(out), "--json"],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return json.loads(result.stdout)


def test_every_file_is_scored(scores: dict) -> None:
    assert len(scores["files"]) == len(list(GOLD.glob("*.gold.json"))) >= 6


@pytest.mark.parametrize("gold", sorted(p.name for p in GOLD.glob("*.gold.json")))
def test_each_file_matches_its_gold(scores: dict, gold: str) -> None:
    s = scores["files"][gold]
    assert s["documents"]["found"] == s["documents"]["gold"]
    assert s["items"]["f1"] == 1.0
    assert s["item_level_accuracy"] == 1.0
    assert s["responsible"]["f1"] == 1.0
    assert s["metadata_accuracy"] == 1.0
    assert s["quantities"]["f1"] == 1.0
    assert s["deadlines"]["f1"] == 1.0
