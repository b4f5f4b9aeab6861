"""A task decomposition table (任务分解表) in the text, turned into numbered lines with fields.

Tables arrive as rows with pipes or tabs between cells (Word, HTML and spreadsheet tables are
rendered that way by the readers, and pasted tables often are), or one cell per line after a
header whose cells are each on their own line. The header names the columns (序号 / 任务 /
牵头单位 / 配合单位 / 完成时限 ...), possibly over two rows (责任单位 above 牵头单位 and 配合单位);
each row becomes "N.任务" followed by field lines ("牵头单位：…"), so the outline treats it like
any numbered task with field lines. A row holding only a heading ("一、党的建设", or a category
cell merged across) and a change of value in a category column (类别, merged down) become
parent items; a category without a number of its own is numbered 一、二、… in order.

Forms of pasted tables: a row whose number stands alone on its line ("57 |", its cells on the
next line); a progress table (序号|项目名称|年度目标|牵头单位|1-6月进展), whose header may be the
file's first line; a category column, whose cell may carry the heading of the rows it spans
("一、党的建设 | 1 | …") or be left empty on the rows below a merged cell ("| 3 | …").

A spreadsheet with several sheets gives one "工作表：<name>" line per sheet: a name that is a
document title starts a document, another name (not Sheet1) is a heading over its rows.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import cn2an

from duban.documents.source import CELL_BREAK, SHEET_MARK
from duban.plan.chinese import simplified_copy
from duban.plan.fields import FIELD_NAMES, UNIT_FIELDS, FieldLine, match_field_line
from duban.plan.labels import match_label
from duban.plan.lines import Line, make_line
from duban.plan.segment import title_like

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
    "任务事项",
    "目标任务",
    "任务",
    "事项",
    "项目",
)
_CATEGORY = (
    "类别",
    "分类",
    "工作类别",
    "任务类别",
    "项目类别",
    "类型",
    "领域",
    "工作领域",
    "重点领域",
    "板块",
    "模块",
)
CATEGORY = "类别"
_OTHER = {alias: canon for canon, aliases in FIELD_NAMES.items() for alias in aliases}
_OTHER.update(
    {
        "牵头": "牵头单位",
        "责任人": "责任人",
        "分管领导": "分管领导",
        "责任领导": "分管领导",
        "分管局领导": "分管领导",
        "局领导": "分管领导",
        "备注": "备注",
        "目标": "目标任务",
        "措施": "工作措施",
        "时限": "完成时限",
        "时间": "完成时限",
        "完成时限及要求": "完成时限",
        "年度目标": "目标任务",
        "量化指标": "量化指标",  # duban's own export: the targets, already in the task's text
    }
)
_BARE_NUMBER = re.compile(r"^\d{1,3}[.、．]?$")
_LONE_ROW = re.compile(r"^\d{1,3}\s*[|｜]?\s*$")  # "57 |": the row's other cells are on the next line
# a progress column: "进展情况", "1-6月进展", "上半年完成情况", "截至6月底进展"
_PROGRESS = re.compile(r"^[\w\-—～~至]{0,8}(?:进展|进度|完成情况|推进情况|落实情况)(?:情况)?$")
PROGRESS_FIELD = "进展情况"
_KNOWN_UNIT_OR_TIME = ("牵头单位", "责任单位", "配合单位", "完成时限", PROGRESS_FIELD)
_BARE_CN = re.compile(r"^[一二三四五六七八九十]{1,3}$")
_HEADER_NOTE = re.compile(r"[(（][^()（）]*[)）]$")  # "完成时限（年月）"
_DEFAULT_SHEET = re.compile(r"^(?:sheet|工作表|表|页)\s*\d{0,3}$", re.IGNORECASE)
# 2025.06 / 2025-06-30 / 2025/6/30 in a deadline cell -> 2025年6月(30日)
_NUMERIC_DATE = re.compile(r"(?<!\d)(20\d{2})[.\-/](\d{1,2})(?:[.\-/](\d{1,2}))?(?![\d.])")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def _header_name(cell: str) -> str | None:
    """The canonical column name of a header cell; "" for an empty cell; None when unknown."""
    c = re.sub(r"\s+", "", cell.replace(CELL_BREAK, ""))
    if not c:
        return ""
    for candidate in (c, _HEADER_NOTE.sub("", c), *re.split(r"[/、及和]", _HEADER_NOTE.sub("", c))):
        if candidate in _SERIAL:
            return "序号"
        if candidate in _TASK:
            return "任务"
        if candidate in _CATEGORY:
            return CATEGORY
        if candidate in _OTHER:
            return _OTHER[candidate]
        if _PROGRESS.match(candidate):
            return PROGRESS_FIELD
    return None


@dataclass
class _Columns:
    names: list[str]  # canonical name per column: "序号", "任务", "类别", a field name, or a header text

    @classmethod
    def from_header(cls, cells: list[str]) -> _Columns | None:
        names: list[str] = []
        known = unknown = 0
        if cells and not cells[0].strip():
            cells = cells[1:]  # "| 序号 | 任务 |"
        for cell in cells:
            name = _header_name(cell)
            if name is None:
                unknown += 1
                names.append(re.sub(r"\s+", "", cell))
                continue
            if name == "任务" and "任务" in names:
                name = "目标任务"  # a second task-like column holds the measures
            known += bool(name)
            names.append(name)
        if known < 3 or unknown > known or "任务" not in names:
            return None
        if not any(n in _KNOWN_UNIT_OR_TIME for n in names):
            return None
        return cls(names)


@dataclass
class _State:
    """What the rows of one table share: the current category and the heading numbering."""

    sheet_heading: bool = False  # the sheet name is a heading above the table's categories
    category: str = ""
    top_count: int = 0  # headings numbered here at the top level (一、二、)
    sub_count: int = 0  # categories numbered here below a sheet heading ((一)(二))
    serial: int = 0

    def heading(self, index: int, text: str, top: bool) -> Line:
        """A heading line: as written when it has a number, else the next number of its level."""
        if match_label(text):
            return make_line(index, text, simplified_copy(text))
        if top:
            self.top_count += 1
            self.sub_count = 0
            text = f"{cn2an.an2cn(self.top_count)}、{text}"
        else:
            self.sub_count += 1
            text = f"（{cn2an.an2cn(self.sub_count)}）{text}"
        return make_line(index, text, simplified_copy(text))


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


def deadline_value(value: str) -> str:
    """A deadline cell as a phrase the deadline grammar reads: Excel date serials and 2025.06."""
    v = value.strip()
    if re.fullmatch(r"\d{5}(?:\.0+)?", v) and 36000 <= float(v) <= 60000:  # a date cell left unformatted
        d = _EXCEL_EPOCH + dt.timedelta(days=int(float(v)))
        return f"{d.year}年{d.month}月{d.day}日"

    def repl(m: re.Match[str]) -> str:
        y, mo, d = m.group(1), int(m.group(2)), m.group(3)
        if not 1 <= mo <= 12:
            return m.group(0)
        return f"{y}年{mo}月{int(d)}日" if d else f"{y}年{mo}月"

    return _NUMERIC_DATE.sub(repl, v)


def _plain(index: int, text: str) -> Line:
    """A continuation line of a cell: never a number label or a field of its own."""
    return Line(index, text, simplified_copy(text))


def _field_lines(index: int, name: str, value: str) -> list[Line]:
    parts = [p for p in value.split(CELL_BREAK) if p.strip()]
    if name in UNIT_FIELDS:
        parts = ["、".join(parts)]
    elif name == "完成时限":
        parts = ["；".join(deadline_value(p) for p in parts)]
    out: list[Line] = []
    for k, part in enumerate(parts):
        match = simplified_copy(part)
        own = match_field_line(match, part) if ("：" in part or ":" in part) else None
        if own is not None:  # the cell already says "目标任务：…" (duban's own export)
            out.append(Line(index, part, match, field=own))
        elif k == 0:  # the column's name makes it a field line, as "牵头单位：…" in a plan's text
            text = f"{name}：{part}"
            out.append(Line(index, text, f"{name}：{match}", field=FieldLine(name, name, part)))
        else:
            out.append(Line(index, part, match))
    return out


_SENTENCE_END = re.compile(r"[。；;！!？?]")
MAX_CATEGORY_LEN = 30


def _heading_text(cell: str) -> bool:
    """A phrase that can name a group of tasks: short, one line, no sentence in it."""
    return 0 < len(cell) <= MAX_CATEGORY_LEN and CELL_BREAK not in cell and not _SENTENCE_END.search(cell)


def _serial_label(serial: str, task: str, hint: int) -> str:
    if not serial:
        return f"{hint}.{task}"
    if serial.isdigit():
        return f"{serial}.{task}"
    if _BARE_CN.match(serial):
        return f"{serial}、{task}"
    return f"{serial}{task}"


def _row_lines(index: int, cols: _Columns, cells: list[str], state: _State) -> list[Line]:
    """The lines for one row: a heading, or "N.任务" and its field lines ([] for an empty row)."""
    values: list[tuple[str, str]] = []
    for name, cell in zip(cols.names, cells, strict=False):
        if name and cell.strip():
            values.append((name, cell.strip()))
    if not values:
        return []
    get = dict(reversed(values)).get  # the first column of a name wins
    serial = get("序号", "").rstrip(".、．")
    task = get("任务", "")
    out: list[Line] = []
    category = get(CATEGORY, "")
    if category and category != state.category:
        state.category = category
        out.append(state.heading(index, category.replace(CELL_BREAK, ""), top=not state.sheet_heading))
    if len(values) == 1 and values[0][0] not in ("任务", CATEGORY) and not _BARE_NUMBER.match(values[0][1]):
        # one cell across the row: a heading ("一、党的建设", or a category merged across)
        text = values[0][1].replace(CELL_BREAK, "")
        return [*out, state.heading(index, text, top=not state.sheet_heading)]
    if not serial and not task:
        return out
    first, *more = task.split(CELL_BREAK) if task else [""]
    if not serial and match_label(first) and len(values) == 1 + bool(category):
        return [*out, make_line(index, first, simplified_copy(first))]  # a heading in the task column
    if not serial and len(values) == 1 and "序号" in cols.names and _heading_text(task):
        # in a numbered table, an unnumbered row holding only a short phrase (a category merged
        # across from the task column) is the parent of the rows below it, not a task of its own
        return [*out, state.heading(index, task.replace(CELL_BREAK, ""), top=not state.sheet_heading)]
    if serial and not task and match_label(serial) and len(values) == 1 + bool(category):
        return [*out, make_line(index, serial, simplified_copy(serial))]
    state.serial += 1
    text = _serial_label(serial, first, state.serial)
    row = [make_line(index, text, simplified_copy(text)), *(_plain(index, m) for m in more)]
    extras: list[FieldLine] = []
    for name, value in values:
        if name in ("序号", "任务", CATEGORY):
            continue
        if name in FIELD_NAMES:
            row += _field_lines(index, name, value)
        else:
            extras.append(FieldLine(name, name, value.replace(CELL_BREAK, "\n")))
    row[-1].extra_fields.extend(extras)
    return out + row


def _header(lines: list[Line], i: int) -> tuple[_Columns | None, int]:
    """The header at line i (one row, or two when the second names the parts of the first)."""
    cells = _cells(lines[i])
    if not cells:
        return None, i
    nxt = _cells(lines[i + 1]) if i + 1 < len(lines) else None
    if nxt and len(nxt) <= len(cells) and sum(1 for a in cells if _header_name(a)) >= 2:
        nxt += [""] * (len(cells) - len(nxt))  # trailing empty cells are lost with the line's spaces
        sub = [b for a, b in zip(cells, nxt, strict=True) if b and b != a]
        if sub and all(_header_name(b) for b in sub):
            combined = _Columns.from_header([b or a for a, b in zip(cells, nxt, strict=True)])
            if combined:
                return combined, i + 2
    cols = _Columns.from_header(cells)
    return (cols, i + 1) if cols else (None, i)


def expand_tables(lines: list[Line]) -> list[Line]:
    out: list[Line] = []
    i, n = 0, len(lines)
    state = _State()
    while i < n:
        line = lines[i]
        if line.text.startswith(SHEET_MARK):
            state = _sheet(lines, i, out, state)
            i += 1
            continue
        cols, next_i = _header(lines, i)
        if cols:
            state.category, state.serial = "", 0
            i = _expand_separated(lines, next_i, cols, out, state)
            continue
        cols, next_i = _vertical_header(lines, i)
        if cols:
            state.category, state.serial = "", 0
            i = _expand_vertical(lines, next_i, cols, out, state)
            continue
        out.append(line)
        i += 1
    return out


def _sheet(lines: list[Line], i: int, out: list[Line], state: _State) -> _State:
    """A sheet's name line: a title, a heading over its rows, or nothing (Sheet1, or a titled sheet)."""
    name = lines[i].text[len(SHEET_MARK) :].strip()
    j = i + 1
    while j < len(lines) and lines[j].blank:
        j += 1
    own_title = j < len(lines) and _cells(lines[j]) is None and title_like(lines[j].match)
    fresh = _State(top_count=state.top_count)
    if not name or _DEFAULT_SHEET.match(name) or own_title:
        return fresh
    if title_like(simplified_copy(name)):
        out.append(make_line(lines[i].index, name, simplified_copy(name)))
        return _State()
    out.append(fresh.heading(lines[i].index, name, top=True))
    fresh.sheet_heading = True
    return fresh


def _expand_separated(lines: list[Line], i: int, cols: _Columns, out: list[Line], state: _State) -> int:
    """Rows with pipes or tabs, until a line that is neither a row nor a heading."""
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
        out.extend(_row_lines(line.index, cols, _align(cols, cells), state))
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


def _vertical_header(lines: list[Line], i: int) -> tuple[_Columns | None, int]:
    """A header with one cell per line: at least three consecutive column names."""
    cells: list[str] = []
    j = i
    while j < len(lines) and not lines[j].blank and len(lines[j].match) <= 6:
        cells.append(lines[j].match)
        j += 1
    if len(cells) < 3:
        return None, i
    # the longest prefix of these lines that forms a header of known names only
    for k in range(len(cells), 2, -1):
        if any(_header_name(c) is None for c in cells[:k]):
            continue
        cols = _Columns.from_header(cells[:k])
        if cols:
            return cols, i + k
    return None, i


def _expand_vertical(lines: list[Line], i: int, cols: _Columns, out: list[Line], state: _State) -> int:
    """Rows given one cell per line: a row starts at a bare serial number (or a heading line)."""
    width = len(cols.names)
    row: list[Line] = []

    def flush() -> None:
        if row:
            out.extend(_row_lines(row[0].index, cols, [x.text for x in row], state))
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
