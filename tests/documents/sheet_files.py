"""Real workbooks for the tests: openpyxl builds the .xlsx; LibreOffice converts it to .xls/.ods."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from pathlib import Path

import openpyxl

from duban.documents.legacy_reader import find_soffice

TITLE = "某县教育局2025年教育工作重点任务分解表"


def decomposition_xlsx() -> bytes:
    """Title rows, a two-row header (责任单位 over 牵头单位/配合单位), a category column merged
    down, a unit merged down over two tasks, a date cell, a date serial, 2025.06, 长期, a line
    break in a cell, a hidden row, a hidden sheet, empty trailing rows and columns."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务分解"
    ws.append([TITLE])
    ws.merge_cells("A1:G1")
    ws.append(["填报单位：某县教育局办公室", None, None, None, "填报日期：2025年3月1日"])
    ws.append(["类别", "序号", "重点任务", "责任单位", None, "完成时限", "备注"])
    ws.append([None, None, None, "牵头单位", "配合单位", None, None])
    for col in "ABCFG":
        ws.merge_cells(f"{col}3:{col}4")
    ws.merge_cells("D3:E3")
    rows = [
        [
            "党的建设",
            1,
            "深化党组织建设，完成支部标准化建设30个",
            "组织人事科",
            "机关党委",
            dt.date(2025, 6, 30),
            None,
        ],
        [None, 2, "开展党纪学习教育\n覆盖全体党员", "机关党委", None, "2025.06", None],
        ["基础教育", 3, "新建幼儿园5所", "基础教育科", "规划财务科、发展中心", "2025年9月底前", "重点"],
        [None, 4, "推进课后服务全覆盖", None, "体卫艺科", 45838, None],
        [None, 5, "隐藏的一行", "某科", None, "长期", None],
        [None, 6, "健全控辍保学长效机制", "基础教育科", None, "长期", None],
    ]
    for row in rows:
        ws.append(row)
    ws.merge_cells("A5:A6")  # 党的建设 over tasks 1-2
    ws.merge_cells("A7:A10")  # 基础教育 over tasks 3-6
    ws.merge_cells("D7:D8")  # one lead unit for tasks 3 and 4
    ws.row_dimensions[9].hidden = True
    ws["F5"].number_format = "yyyy-mm-dd"
    ws.append([])
    ws.append([])
    hidden = wb.create_sheet("旧版")
    hidden.sheet_state = "hidden"
    hidden.append(["序号", "重点任务", "牵头单位", "完成时限"])
    hidden.append([1, "不应读出的任务", "某科", "2025年1月"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def two_sheet_xlsx() -> bytes:
    """One plan across two sheets named by their category (no title rows, no category column)."""
    wb = openpyxl.Workbook()
    for k, (name, tasks) in enumerate(
        [
            ("党建工作", [("加强意识形态工作", "办公室", "2025年12月")]),
            (
                "教育教学",
                [("开展教学质量监测", "教研室", "2025年7月"), ("建设智慧教室20间", "电教站", "长期")],
            ),
        ]
    ):
        ws = wb.active if k == 0 else wb.create_sheet()
        ws.title = name
        ws.append(["序号", "工作任务", "责任单位", "时间节点"])
        for i, (task, unit, due) in enumerate(tasks, 1):
            ws.append([i, task, unit, due])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def formatted_xlsx() -> bytes:
    """A 民生实事 table whose targets and limits are in their number formats: 3 shown as 新建3所,
    1350 as 1,350个, 0.985 as 达到98.5%以上, dates shown as a month (2025年8月) or a day (9月1日前);
    category rows merged across the table."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "项目表"
    ws.append(["某区教育局2025年民生实事项目分解表"])
    ws.merge_cells("A1:E1")
    ws.append(["序号", "项目名称", "年度目标", "牵头单位", "完成时限"])
    rows: list[list[object] | str] = [
        "学位建设",
        [1, "新建公办幼儿园", 3, "基教科", dt.date(2025, 8, 1)],
        [2, "增加公办学位", 1350, "规划科", dt.date(2025, 9, 1)],
        "教育质量",
        [3, "提升学前三年毛入园率", 0.985, "基教科", dt.date(2025, 12, 1)],
    ]
    codes = ['"新建"0"所"', '#,##0"个"', '"达到"0.0%"以上"']
    dates = ['yyyy"年"m"月"', 'm"月"d"日"前', 'yyyy"年"m"月底前"']
    for row in rows:
        if isinstance(row, str):
            ws.append([row])
            ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=5)
            continue
        ws.append(row)
        k = int(row[0]) - 1
        ws.cell(row=ws.max_row, column=3).number_format = codes[k]
        ws.cell(row=ws.max_row, column=5).number_format = dates[k]
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def convert(data: bytes, ext: str, tmp: Path) -> bytes:
    """The .xlsx converted by LibreOffice Calc to `ext` (xls or ods)."""
    exe = find_soffice()
    assert exe, "LibreOffice (soffice, Calc) is a system dependency of the test suite"
    src = tmp / "book.xlsx"
    src.write_bytes(data)
    subprocess.run(
        [exe, f"-env:UserInstallation={(tmp / 'lo').as_uri()}", "--headless", "--convert-to", ext,
         "--outdir", str(tmp), str(src)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return (tmp / f"book.{ext}").read_bytes()


def table_only_docx() -> bytes:
    """A .docx whose body is one task table, with a column no header list knows (推进举措)."""
    import docx

    d = docx.Document()
    rows = [
        ["序号", "重点任务", "责任科室", "配合科室", "时间节点", "推进举措"],
        ["1", "新建幼儿园5所", "基教科", "规划科", "2025年6月底前", "分季度调度"],
        ["2", "推进课后服务", "体卫艺科", "", "持续推进", ""],
    ]
    table = d.add_table(rows=3, cols=6)
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            table.cell(r, c).text = v
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()
