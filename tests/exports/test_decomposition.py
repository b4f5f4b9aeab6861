"""The task decomposition table: rows from the ledger, .xlsx structure and .docx layout."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from docx import Document
from openpyxl.cell.cell import MergedCell

from duban.exports.decomposition import COLUMNS, decomposition_rows
from duban.exports.decomposition_docx import decomposition_docx
from duban.exports.decomposition_xlsx import decomposition_xlsx
from duban.ledger import plans
from duban.ledger.errors import NotFoundError
from tests.conftest import SEEDS

SEED = SEEDS / "002_1ac5cf17bd611ec8.txt"  # 2021年工作要点: field lines and 责任科室 per task


def _mm(length) -> float:
    """EMU to mm, to 0.1 mm (Word stores twips)."""
    return round(length / 36000, 1)


def _by_title(rows):
    return {r.title: r for r in rows}


def test_unassigned_rows_come_from_the_plan_text(session, plan_only):
    plan, rows = decomposition_rows(session, plan_id=plan_only.plan_id)
    assert plan.title == "某市教育局2024年工作要点"
    assert [r.heading for r in rows] == [True, False, False, True, False]
    assert [r.heading_text for r in rows if r.heading] == ["一、推进学前教育普惠发展", "二、加强教师队伍建设"]
    r = _by_title(rows)
    kids = r["新建幼儿园10所"]
    assert (kids.number, kids.lead, kids.co, kids.deadline) == ("1", "基础教育科", "财务科", "2024年8月底前")
    assert kids.targets == "新建幼儿园10所"
    assert r["新招聘补充教师3000人以上"].deadline == "年内"
    assert r["学前三年毛入园率达到94.5%以上"].deadline == ""


def test_assigned_rows_come_from_the_assignment(session, world):
    _, rows = decomposition_rows(session, plan_id=world.plan_id)
    r = _by_title(rows)
    assert (r["新建幼儿园10所"].lead, r["新建幼儿园10所"].co) == ("基础教育科", "财务科")
    assert r["新建幼儿园10所"].deadline == "2024年8月31日前"
    assert r["新建幼儿园10所"].note == "已销号"
    assert r["学前三年毛入园率达到94.5%以上"].deadline == "2024年6月30日前"
    assert r["新招聘补充教师3000人以上"].lead == "人事科"
    assert r["新招聘补充教师3000人以上"].deadline == "2024年12月31日前"


def test_unknown_plan_is_a_chinese_error(session):
    with pytest.raises(NotFoundError, match="计划不存在：42"):
        decomposition_xlsx(session, plan_id=42)


def test_xlsx_structure_and_content(session, world):
    wb = openpyxl.load_workbook(io.BytesIO(decomposition_xlsx(session, plan_id=world.plan_id)))
    ws = wb.active
    assert ws["A1"].value == "某市教育局2024年工作要点任务分解表"
    assert tuple(c.value for c in ws[2]) == COLUMNS
    merged = {str(m) for m in ws.merged_cells.ranges}
    assert {"A1:H1", "A3:H3", "A6:H6"} <= merged  # title and the two heading rows
    assert ws["A3"].value == "一、推进学前教育普惠发展" and ws["A6"].value == "二、加强教师队伍建设"
    row4 = [c.value for c in ws[4]]
    assert row4[:2] == ["1", "新建幼儿园10所"] and row4[4:7] == ["基础教育科", "财务科", "2024年8月31日前"]
    # layout: header repeated on every printed page, A4 landscape, one page wide, wrapped text
    assert ws.print_title_rows in ("2:2", "$2:$2")
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    cells = [c for row in ws.iter_rows(min_row=2) for c in row if not isinstance(c, MergedCell)]
    assert len(cells) == 8 * 4 + 2 and all(c.alignment.wrap_text for c in cells)
    assert all(c.border.left.style == "thin" for c in ws[4])
    assert ws["B4"].font.name == "仿宋_GB2312" and ws["A1"].font.name == "方正小标宋简体"
    assert ws.row_dimensions[4].height >= 15


def test_seed_plan_in_xlsx_and_docx(session):
    result = plans.import_file(session, path=SEED)
    plan = next(c for c in result.plans if c.kind == "plan")
    _, rows = decomposition_rows(session, plan_id=plan.plan_id)
    assert len(rows) == plan.tasks == 40
    headings = [r for r in rows if r.heading]
    assert headings[0].heading_text.startswith("一、学习贯彻党的十九届五中全会精神")
    first = next(r for r in rows if not r.heading)
    assert first.measures.startswith("目标任务：准确领会") and "\n工作措施：" in first.measures
    assert (first.lead, first.co) == ("党建办（巡察办）", "机关党委、规划财务（审计）科")

    ws = openpyxl.load_workbook(io.BytesIO(decomposition_xlsx(session, plan_id=plan.plan_id))).active
    assert ws.max_row == 2 + len(rows)
    merged_rows = {m.min_row for m in ws.merged_cells.ranges if m.min_col == 1 and m.max_col == 8}
    assert len(merged_rows) == 1 + len(headings)

    doc = Document(io.BytesIO(decomposition_docx(session, plan_id=plan.plan_id)))
    table = doc.tables[0]
    assert len(table.rows) == 1 + len(rows)
    assert table.rows[1].cells[0].text == headings[0].heading_text
    assert table.rows[2].cells[4].text == "党建办（巡察办）"


def test_docx_layout(session, world):
    data = decomposition_docx(session, plan_id=world.plan_id)
    doc = Document(io.BytesIO(data))
    sec = doc.sections[0]
    # landscape A4, the GB/T 9704 text block turned: 225 x 156 mm
    assert (_mm(sec.page_width), _mm(sec.page_height)) == (297, 210)
    assert (_mm(sec.left_margin), _mm(sec.top_margin)) == (37, 28)
    assert _mm(sec.page_width - sec.left_margin - sec.right_margin) == 225
    assert _mm(sec.page_height - sec.top_margin - sec.bottom_margin) == 156
    assert doc.paragraphs[0].text == "某市教育局2024年工作要点任务分解表"
    assert doc.paragraphs[0].style.font.size.pt == 22
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == list(COLUMNS)
    xml = table._tbl.xml
    assert "<w:tblHeader" in xml  # header row repeated on every page
    heading_tr = table.rows[1]._tr
    assert heading_tr.xml.count("<w:tc>") == 1 and 'w:gridSpan w:val="8"' in heading_tr.xml
    assert table.rows[1].cells[0].text == "一、推进学前教育普惠发展"
    assert [c.text for c in table.rows[2].cells][4:7] == ["基础教育科", "财务科", "2024年8月31日前"]
    styles = doc.styles.element.xml
    for font in ("方正小标宋简体", "仿宋_GB2312", "黑体"):
        assert re.search(rf'w:eastAsia="{font}"', styles), font
    footer = sec.footer._element.xml
    assert "PAGE" in footer and "— " in footer and " —" in footer
