"""The task decomposition table as .xlsx, laid out the way bureaus issue it (see official_xlsx)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from duban.exports.decomposition import COLUMNS, decomposition_rows, table_title
from duban.exports.official_xlsx import Sheet

# column widths in Excel character units (one CJK character is about two)
WIDTHS = (6, 22, 56, 26, 14, 18, 14, 10)
CENTERED = {0, 4, 5, 6, 7}  # 序号 and the short columns


def decomposition_xlsx(session: Session, *, plan_id: int) -> bytes:
    """The plan's task decomposition table as an .xlsx file."""
    plan, rows = decomposition_rows(session, plan_id=plan_id)
    sheet = Sheet(
        name="任务分解表", title=table_title(plan), columns=COLUMNS, widths=WIDTHS, centered=CENTERED
    )
    for row in rows:
        if row.heading:
            sheet.heading(row.heading_text)
        else:
            sheet.row(row.values())
    return sheet.to_bytes()
