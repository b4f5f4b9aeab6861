"""Tables as bureaus print them from Excel: title row merged across, header row repeated on
every printed page, heading rows merged, wrapped text with borders, A4 landscape one page wide.

Shared by every .xlsx export (task decomposition, target reconciliation).
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

TITLE_FONT = Font(name="方正小标宋简体", size=18)
HEADER_FONT = Font(name="黑体", size=11)
HEADING_FONT = Font(name="黑体", size=11)
BODY_FONT = Font(name="仿宋_GB2312", size=11)
LINE_HEIGHT = 15.0  # points per wrapped line of 11 pt text
MAX_ROW_HEIGHT = 409.0  # Excel's limit
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TITLE_ROW, HEADER_ROW = 1, 2


def text_width(text: str) -> int:
    """Display width in character units: CJK and full-width characters count two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def wrapped_lines(text: str, width: int) -> int:
    """Wrapped lines of TEXT in a column WIDTH characters wide (an estimate: rows need a height)."""
    usable = max(1, width - 1)
    return sum(max(1, math.ceil(text_width(part) / usable)) for part in (text or "").split("\n"))


class Sheet:
    """One printed table: call `heading` and `row` in order, then `to_bytes`."""

    def __init__(
        self, *, name: str, title: str, columns: Sequence[str], widths: Sequence[int], centered: set[int]
    ) -> None:
        self.wb = Workbook()
        self.ws: Worksheet = self.wb.active
        self.ws.title = name
        self.title, self.widths, self.centered = title, tuple(widths), centered
        self.ncols = len(columns)
        for i, width in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(i)].width = width
        cell = self.ws.cell(row=TITLE_ROW, column=1, value=title)
        cell.font = TITLE_FONT
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.ws.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=self.ncols)
        self.ws.row_dimensions[TITLE_ROW].height = 40
        for col, text in enumerate(columns, start=1):
            cell = self.ws.cell(row=HEADER_ROW, column=col, value=text)
            cell.font = HEADER_FONT
            cell.border = BORDER
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.ws.row_dimensions[HEADER_ROW].height = 30
        self.r = HEADER_ROW

    def heading(self, text: str) -> None:
        """A heading row (一、…) merged across the table."""
        self.r += 1
        cell = self.ws.cell(row=self.r, column=1, value=text)
        cell.font = HEADING_FONT
        cell.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
        for col in range(1, self.ncols + 1):
            self.ws.cell(row=self.r, column=col).border = BORDER
        self.ws.merge_cells(start_row=self.r, start_column=1, end_row=self.r, end_column=self.ncols)
        self.ws.row_dimensions[self.r].height = wrapped_lines(text, sum(self.widths)) * LINE_HEIGHT + 8

    def row(self, values: Sequence[str]) -> None:
        self.r += 1
        for col, value in enumerate(values, start=1):
            cell = self.ws.cell(row=self.r, column=col, value=value)
            cell.font = BODY_FONT
            cell.border = BORDER
            cell.alignment = Alignment(
                horizontal="center" if col - 1 in self.centered else "left", vertical="center", wrap_text=True
            )
        lines = max(wrapped_lines(v, w) for v, w in zip(values, self.widths, strict=True))
        self.ws.row_dimensions[self.r].height = min(MAX_ROW_HEIGHT, max(1, lines) * LINE_HEIGHT + 6)

    def _page_setup(self) -> None:
        ws = self.ws
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

    def to_bytes(self) -> bytes:
        self._page_setup()
        self.wb.properties.title = self.title
        self.wb.properties.creator = "duban"
        buf = io.BytesIO()
        self.wb.save(buf)
        return buf.getvalue()
