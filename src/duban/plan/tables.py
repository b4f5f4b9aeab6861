"""A task decomposition table (任务分解表) in the text, turned into numbered lines with fields.

Tables arrive as rows with pipes or tabs between cells (Word and HTML tables are rendered
that way by the readers, and pasted tables often are), or one cell per line after a header
whose cells are each on their own line. The header names the columns (序号 / 任务 / 牵头单位 /
配合单位 / 完成时限 ...); each row becomes "N.任务" with the other columns as its fields, so the
outline treats it like any numbered task. A row holding only a heading ("一、党的建设") stays
a heading.

Forms of pasted tables: a row whose number stands alone on its line ("57 |", its cells on the
next line); a progress table (序号|项目名称|年度目标|牵头单位|1-6月进展), whose header may be the
file's first line; a category column, whose cell may carry the heading of the rows it spans
("一、党的建设 | 1 | …") or be left empty on the rows below a merged cell ("| 3 | …").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from duban.plan.fields import FIELD_NAMES, FieldLine
from duban.plan.labels import match_label
from duban.plan.lines import Line, make_line

_SERIAL = ("序号", "编号", "序")
_TASK = (
    "工作任务",
    "重点任务",
    "主要任务",
    "具体任务",
    "任务内容",
    "工作内容",
    "工作事项",
    "重点工作",
    "任务名称",
    "项目名称",
    "任务",
    "事项",
    "项目",
)
_OTHER = {alias: canon for canon, aliases in FIELD_NAMES.items() for alias in aliases}
_OTHER.update(
    {
        "牵头": "牵头单位",
        "责任人": "责任人",
        "分管领导": "分管领导",
        "备注": "备注",
        "目标": "目标任务",
        "措施": "工作措施",
        "时限": "完成时限",
        "年度目标": "目标任务",
        "类别": "类别",
        "分类": "类别",
        "板块": "类别",
        "领域": "类别",
    }
)
_BARE_NUMBER = re.compile(r"^\d{1,3}[.、．]?$")
_LONE_ROW = re.compile(r"^\d{1,3}\s*[|｜]?\s*$")  # "57 |": the row's other cells are on the next line
# a progress column: "进展情况", "1-6月进展", "上半年完成情况", "截至6月底进展"
_PROGRESS = re.compile(r"^[\w\-—～~至]{0,8}(?:进展|进度|完成情况|推进情况|落实情况)(?:情况)?$")
PROGRESS_FIELD = "进展情况"
CATEGORY = "类别"


@dataclass
class _Columns:
    names: list[str]  # canonical name per column: "序号", "任务", or a field name

    @classmethod
    def from_header(cls, cells: list[str]) -> _Columns | None:
        names: list[str] = []
        if cells and not cells[0].strip():
            cells = cells[1:]  # "| 序号 | 任务 |"
        for cell in cells:
            c = re.sub(r"\s+", "", cell)
            if c in _SERIAL:
                names.append("序号")
            elif c in _TASK and "任务" not in names:
                names.append("任务")
            elif c in _OTHER:
                names.append(_OTHER[c])
            elif _PROGRESS.match(c):
                names.append(PROGRESS_FIELD)
            else:
                return None
        if len(names) < 3 or "任务" not in names:
            return None
        if not any(n in ("牵头单位", "责任单位", "配合单位", "完成时限", PROGRESS_FIELD) for n in names):
            return None
        return cls(names)


def _cells(line: Line) -> list[str] | None:
    if "|" not in line.match and "｜" not in line.match and "\t" not in line.match:
        return None
    if "|" in line.match or "｜" in line.match:
        cells = [c.strip() for c in re.split(r"[|｜]", line.text.strip())]
        if len(cells) > 1 and not cells[-1]:
            cells.pop()  # "| a | b |": the closing pipe opens no cell
    else:
        cells = [c.strip() for c in line.text.split("\t")]
    return cells if len(cells) >= 2 else None


def _row_line(index: int, cols: _Columns, cells: list[str], serial_hint: int) -> Line | None:
    """The numbered line for one row (None for an empty row)."""
    values = dict(zip(cols.names, cells, strict=False))
    serial = values.get("序号", "").strip().rstrip(".、．")
    task = values.get("任务", "").strip()
    if not serial and not task:
        return None
    heading = match_label(task) if task else None
    if not serial and heading:  # a heading row spanning the table
        return make_line(index, task)
    if serial and not task and match_label(serial):
        return make_line(index, serial)
    number = serial if serial.isdigit() else (serial or str(serial_hint))
    line = make_line(index, f"{number}.{task}" if number.isdigit() else f"{serial}{task}")
    for name, value in values.items():
        if name in ("序号", "任务") or not value.strip():
            continue
        line.extra_fields.append(FieldLine(name, name, value.strip()))
    return line


def expand_tables(lines: list[Line]) -> list[Line]:
    out: list[Line] = []
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        cells = _cells(line)
        cols = _Columns.from_header(cells) if cells else None
        if cols:
            i = _expand_separated(lines, i + 1, cols, out)
            continue
        cols, next_i = _vertical_header(lines, i)
        if cols:
            i = _expand_vertical(lines, next_i, cols, out)
            continue
        out.append(line)
        i += 1
    return out


def _expand_separated(lines: list[Line], i: int, cols: _Columns, out: list[Line]) -> int:
    """Rows with pipes or tabs, until a line that is neither a row nor a heading."""
    count = 0
    while i < len(lines):
        line = lines[i]
        cells = _cells(line)
        if cells is None and not _LONE_ROW.match(line.match):
            if line.blank or (line.label and line.label.family in ("cn", "cn_paren", "di")):
                out.append(line)
                i += 1
                continue
            break
        if cells is None:  # "57 |" alone, the row's other cells on the next line
            if i + 1 >= len(lines) or lines[i + 1].blank:
                break
            nxt = lines[i + 1]
            cells = [line.text.strip(" |｜"), *(_cells(nxt) or [nxt.text])]
            i += 1
        cells = _align(cols, cells)
        count += 1
        heading = _category_heading(line.index, cols, cells)
        if heading is not None:
            out.append(heading)
        row = _row_line(line.index, cols, cells, count)
        if row is not None:
            out.append(row)
        i += 1
    return i


def _align(cols: _Columns, cells: list[str]) -> list[str]:
    """Cells in column order: without the empty cell of an opening pipe ("| a | b |"), and with an
    empty category for the row below a merged category cell ("| 3 | …")."""
    if len(cells) > len(cols.names) and not cells[0]:
        cells = cells[1:]
    if len(cells) == len(cols.names) - 1 and cols.names[0] == CATEGORY:
        cells = ["", *cells]
    return cells


def _category_heading(index: int, cols: _Columns, cells: list[str]) -> Line | None:
    """A category cell that is a heading ("一、党的建设 | 1 | …"): the heading of the rows below it."""
    if CATEGORY not in cols.names or len(cells) < len(cols.names):
        return None
    cell = cells[cols.names.index(CATEGORY)].strip()
    label = match_label(cell) if cell else None
    if label and label.family in ("cn", "cn_paren", "di"):
        cells[cols.names.index(CATEGORY)] = ""
        return make_line(index, cell)
    return None


def _vertical_header(lines: list[Line], i: int) -> tuple[_Columns | None, int]:
    """A header with one cell per line: at least three consecutive column names."""
    cells: list[str] = []
    j = i
    while j < len(lines) and not lines[j].blank and len(lines[j].match) <= 6:
        cells.append(lines[j].match)
        j += 1
    if len(cells) < 3:
        return None, i
    # the longest prefix of these lines that forms a header
    for k in range(len(cells), 2, -1):
        cols = _Columns.from_header(cells[:k])
        if cols:
            return cols, i + k
    return None, i


def _expand_vertical(lines: list[Line], i: int, cols: _Columns, out: list[Line]) -> int:
    """Rows given one cell per line: a row starts at a bare serial number (or a heading line)."""
    width = len(cols.names)
    row: list[Line] = []
    count = 0

    def flush() -> None:
        nonlocal count
        if row:
            count += 1
            made = _row_line(row[0].index, cols, [x.text for x in row], count)
            if made is not None:
                out.append(made)
            row.clear()

    while i < len(lines):
        line = lines[i]
        if line.blank:
            i += 1
            continue
        starts_row = _BARE_NUMBER.match(line.match) is not None
        if starts_row:
            flush()
            row.append(line)
        elif line.label and line.label.family in ("cn", "cn_paren", "di") and not row:
            out.append(line)
        elif row and len(row) < width:
            row.append(line)
        elif line.label and line.label.family in ("cn", "cn_paren", "di"):
            flush()
            out.append(line)
        else:
            break
        i += 1
    flush()
    return i
