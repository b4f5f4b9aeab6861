"""The task decomposition table as .docx in official-document layout (a landscape A4 section)."""

from __future__ import annotations

from docx.shared import Mm
from sqlalchemy.orm import Session

from duban.exports import official_docx as od
from duban.exports.decomposition import COLUMNS, decomposition_rows, table_title

# column widths summing to the landscape text block (225 mm)
WIDTHS_MM = (13, 28, 74, 30, 22, 22, 23, 13)  # the measures column carries most of the text
CENTERED = (0, 4, 5, 6, 7)


def decomposition_docx(session: Session, *, plan_id: int) -> bytes:
    """The plan's task decomposition table as a .docx file (GB/T 9704 page, fonts and page numbers)."""
    plan, rows = decomposition_rows(session, plan_id=plan_id)
    title = table_title(plan)
    doc = od.new_document(landscape=True, title=title)
    od.add_title(doc, title)
    table = od.add_table(doc, COLUMNS, [Mm(w) for w in WIDTHS_MM])
    for row in rows:
        if row.heading:
            od.add_merged_row(table, row.heading_text)
        else:
            od.add_row(table, row.values(), centered=CENTERED)
    return od.to_bytes(doc)
