"""The task decomposition table as .xlsx, laid out the way bureaus issue it.

Title row merged across, header row repeated on every printed page, heading rows merged,
wrapped text with borders, A4 landscape fitted to one page wide.
"""

from __future__ import annotations

import io
import math

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy.orm import Session

from duban.exports.decomposition import COLUMNS, decomposition_rows, table_title

# column widths in Excel character units (one CJK character is about two)
WIDTHS = (6, 22, 56, 26, 14, 18, 14, 10)
CENTERED = {0, 4, 5, 6, 7}  # 序号 and the short columns
TITLE_FONT = Font(name="方正小标宋简体", size=18)
HEADER_FONT = Font(name="黑体", size=11)
HEADING_FONT = Font(name="黑体", size=11)
BODY_FONT = Font(name="仿宋_GB2312", size=11)
LINE_HEIGHT = 15.0  # points per wrapped line of 11 pt text
MAX_ROW_HEIGHT = 409.0  # Excel's limit
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TITLE_ROW, HEADER_ROW = 1, 2


def _text_width(text: str) -> int:
    """Display width in character units: CJK and full-width characters count two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _lines(text: str, width: int) -> int:
    """Wrapped lines of TEXT in a column WIDTH characters wide (an estimate: rows need a height)."""
    usable = max(1, width - 1)
    return sum(max(1, math.ceil(_text_width(part) / usable)) for part in (text or "").split("\n"))


def _row_height(values: tuple[str, ...]) -> float:
    lines = max(_lines(v, w) for v, w in zip(values, WIDTHS, strict=True))
    return min(MAX_ROW_HEIGHT, max(1, lines) * LINE_HEIGHT + 6)


def _page_setup(ws: Worksheet) -> None:
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top, ws.page_margins.bottom = 0.6, 0.7
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.font = "宋体"
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)


def decomposition_xlsx(session: Session, *, plan_id: int) -> bytes:
    """The plan's task decomposition table as an .xlsx file."""
    plan, rows = decomposition_rows(session, plan_id=plan_id)
    wb = Workbook()
    ws = wb.active
    ws.title = "任务分解表"
    ncols = len(COLUMNS)
    last = get_column_letter(ncols)
    for i, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width

    ws.cell(row=TITLE_ROW, column=1, value=table_title(plan)).font = TITLE_FONT
    ws.merge_cells(f"A{TITLE_ROW}:{last}{TITLE_ROW}")
    ws.cell(row=TITLE_ROW, column=1).alignment = Alignment(
        horizontal="center", vertical="center", wrap_text=True
    )
    ws.row_dimensions[TITLE_ROW].height = 40

    for col, name in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=HEADER_ROW, column=col, value=name)
        cell.font = HEADER_FONT
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[HEADER_ROW].height = 30

    r = HEADER_ROW
    for row in rows:
        r += 1
        if row.heading:
            cell = ws.cell(row=r, column=1, value=row.heading_text)
            cell.font = HEADING_FONT
            cell.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
            for col in range(1, ncols + 1):
                ws.cell(row=r, column=col).border = BORDER
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
            ws.row_dimensions[r].height = _lines(row.heading_text, sum(WIDTHS)) * LINE_HEIGHT + 8
            continue
        values = row.values()
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=col, value=value)
            cell.font = BODY_FONT
            cell.border = BORDER
            cell.alignment = Alignment(
                horizontal="center" if col - 1 in CENTERED else "left",
                vertical="center",
                wrap_text=True,
            )
        ws.row_dimensions[r].height = _row_height(values)
    _page_setup(ws)
    wb.properties.title = table_title(plan)
    wb.properties.creator = "duban"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
