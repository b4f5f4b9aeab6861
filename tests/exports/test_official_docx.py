"""The GB/T 9704 page every .docx export shares: geometry, grid, fonts, page numbers."""

from __future__ import annotations

import io
import re

from docx import Document

from duban.exports import official_docx as od


def _mm(length: int) -> float:
    return round(length / 36000, 1)


def _reopen(doc):
    return Document(io.BytesIO(od.to_bytes(doc)))


def test_portrait_page_geometry_and_grid():
    doc = od.new_document()
    od.add_title(doc, "关于某事的通知")
    od.add_paragraph(doc, "正文。")
    doc = _reopen(doc)
    sec = doc.sections[0]
    assert (_mm(sec.page_width), _mm(sec.page_height)) == (210, 297)
    assert (_mm(sec.top_margin), _mm(sec.left_margin)) == (37, 28)
    assert _mm(sec.page_width - sec.left_margin - sec.right_margin) == 156
    assert _mm(sec.page_height - sec.top_margin - sec.bottom_margin) == 225
    grid = re.search(r"<w:docGrid [^>]*>", sec._sectPr.xml).group(0)
    assert 'w:linePitch="579"' in grid  # 28.95 pt: 22 lines in 225 mm
    body = doc.styles["Normal"]
    assert body.paragraph_format.line_spacing.pt == 28.95
    assert body.font.size.pt == 16
    # 28 characters of 16 pt condensed by 0.25 pt fit in 156 mm
    assert 28 * (16 - 0.25) <= 156 / 25.4 * 72 < 29 * (16 - 0.25)
    assert 'w:spacing w:val="-5"' in body.element.xml


def test_fonts_are_set_for_east_asian_text():
    doc = _reopen(od.new_document())
    expected = {
        od.TITLE: ("方正小标宋简体", 22),
        "Normal": ("仿宋_GB2312", 16),
        od.HEADING1: ("黑体", 16),
        od.HEADING2: ("楷体_GB2312", 16),
        od.FOOTER: ("宋体", 14),
    }
    for name, (font, size) in expected.items():
        style = doc.styles[name]
        assert f'w:eastAsia="{font}"' in style.element.xml, name
        assert style.font.size.pt == size, name
    assert "w:outlineLvl" in doc.styles[od.HEADING1].element.xml


def test_page_number_footers_odd_right_even_left():
    doc = _reopen(od.new_document())
    assert doc.settings.odd_and_even_pages_header_footer
    sec = doc.sections[0]
    for footer, align in ((sec.footer, "right"), (sec.even_page_footer, "left")):
        xml = footer._element.xml
        assert re.search(r"<w:instrText[^>]*> PAGE </w:instrText>", xml)
        assert 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml
        p = footer.paragraphs[0]
        assert p.text == "— 1 —"
        assert f'<w:jc w:val="{align}"/>' in xml
        assert all('w:eastAsia="宋体"' in r._r.xml and r.font.size.pt == 14 for r in p.runs)


def test_chinese_numbers():
    assert [od.cn_number(n) for n in (1, 9, 10, 11, 20, 23)] == ["一", "九", "十", "十一", "二十", "二十三"]


def test_long_titles_break_into_balanced_lines_not_inside_numbers():
    title_lines = od.title_lines
    assert title_lines("某市教育局2024年工作要点任务分解表", 28) == ["某市教育局2024年工作要点任务分解表"]
    lines = title_lines("关于2021年第三季度重点任务督办情况的通报", 19)
    assert len(lines) == 2 and "".join(lines) == "关于2021年第三季度重点任务督办情况的通报"
    assert min(len(x) for x in lines) >= 8  # balanced: never one stray character on a line
    many = title_lines(
        "中共某某市委教育工委、某某市教育局关于2021年第三季度重点任务督办情况的通报（第3期）", 19
    )
    assert len(many) == 3 and all(len(x) <= 19 for x in many)
    for a, b in zip(many, many[1:], strict=False):
        assert not (a[-1].isdigit() and (b[0].isdigit() or b[0] == "年"))  # 2021年 stays whole
        assert b[0] not in "）》，、。" and a[-1] not in "（《"


def test_title_paragraph_holds_line_breaks():
    from docx.oxml.ns import qn

    doc = od.new_document()
    od.add_title(doc, "关于2021年第三季度重点任务督办情况的通报")
    para = Document(io.BytesIO(od.to_bytes(doc))).paragraphs[0]
    assert para.style.name == od.TITLE and len(para._p.findall(".//" + qn("w:br"))) == 1
    assert para.text.replace("\n", "") == "关于2021年第三季度重点任务督办情况的通报"
