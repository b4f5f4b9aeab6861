"""Time to read and parse a 2,000-row task decomposition spreadsheet (.xlsx) built here.

    .venv/bin/python bench/sheet.py [--rows N] [--repeat N]

Prints the best time of the read (calamine + hidden rows + merges), of the parse (rows -> Plan),
and of both; target: under 1 s for 2,000 rows.
"""

from __future__ import annotations

import argparse
import io
import time

import openpyxl

from duban.documents import read_bytes
from duban.plan.parser import parse_text

UNITS = (
    "基础教育科",
    "组织人事科",
    "规划财务科",
    "体卫艺科",
    "职成教科",
    "督导室",
    "办公室",
    "电教站",
    "教研室",
)
AREAS = ("党的建设", "学前教育", "义务教育", "高中教育", "职业教育", "教师队伍", "教育信息化", "安全稳定")


def workbook(rows: int) -> bytes:
    """A title row, a two-row header, a category merged down over every 40 tasks (numbered 1-40)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["某县教育局2025年教育工作重点任务分解表"])
    ws.merge_cells("A1:G1")
    ws.append(["类别", "序号", "重点任务", "责任单位", None, "完成时限", "备注"])
    ws.append([None, None, None, "牵头单位", "配合单位", None, None])
    ws.merge_cells("D2:E2")
    for k in range(rows):
        n = k // 40
        category = f"{AREAS[n % len(AREAS)]}{'（续）' * (n // len(AREAS))}" if k % 40 == 0 else None
        ws.append([category, k % 40 + 1, f"推进第{k + 1}项重点工作，新建项目{k % 7 + 1}个", UNITS[k % len(UNITS)],
                   "办公室、督导室", f"2025年{k % 12 + 1}月底前", ""])  # fmt: skip
        if k % 40 == 0:
            ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row + 39, end_column=1)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    data = workbook(args.rows)
    best_read = best_parse = float("inf")
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        src = read_bytes(data, "分解表.xlsx")
        t1 = time.perf_counter()
        plan = parse_text(src.text, src.name)
        t2 = time.perf_counter()
        best_read, best_parse = min(best_read, t1 - t0), min(best_parse, t2 - t1)
    (doc,) = plan.documents
    print(f"spreadsheet: {args.rows} rows, {len(data) / 1e3:.0f} kB, {len(doc.items)} items, "
          f"{len(doc.deadlines)} deadlines, best of {args.repeat}")  # fmt: skip
    print(f"read (xlsx -> text):  {best_read:.3f} s")
    print(f"parse (text -> Plan): {best_parse:.3f} s")
    print(f"total:                {best_read + best_parse:.3f} s  (target < 1 s)")


if __name__ == "__main__":
    main()
