"""The whole parse stage from real files: a .docx with Word numbering and a table, a .pdf with a text layer."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from duban.plan.parser import parse_file

W = nsdecls("w")
FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")


def _numbering(document) -> None:
    """Level 0 "一、" (chineseCounting), level 1 "1." (decimal): automatic numbers absent from the text."""
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
        f'<w:suff w:val="nothing"/></w:lvl>'
        for i, (fmt, text) in enumerate([("chineseCounting", "%1、"), ("decimal", "%2.")])
    )
    numbering = document.part.numbering_part.element
    numbering.append(parse_xml(f'<w:abstractNum {W} w:abstractNumId="7">{levels}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {W} w:numId="7"><w:abstractNumId w:val="7"/></w:num>'))


def _numbered(document, text: str, ilvl: int) -> None:
    p = document.add_paragraph(text)
    p._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {W}><w:ilvl w:val="{ilvl}"/><w:numId w:val="7"/></w:numPr>')
    )


def test_docx_with_word_numbering_and_a_task_table(tmp_path: Path) -> None:
    d = docx.Document()
    _numbering(d)
    d.add_paragraph("某县教育局2024年工作要点")
    _numbered(d, "加强党的建设", 0)
    _numbered(d, "压实从严治党责任。全年召开专题会议2次以上。", 1)
    d.add_paragraph("责任科室：机关党委、组织人事科")
    _numbered(d, "推进教育优质均衡", 0)
    _numbered(d, "新建幼儿园10所。", 1)
    d.add_paragraph("2024年重点任务分解表")
    table = d.add_table(rows=3, cols=4)
    for r, row in enumerate(
        [
            ["序号", "工作任务", "牵头单位", "完成时限"],
            ["1", "新建幼儿园", "基础教育科", "8月底前"],
            ["2", "招聘教师", "组织人事科", "9月"],
        ]
    ):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    path = tmp_path / "plan.docx"
    d.save(path)

    plan, table_doc = parse_file(path).documents
    assert (plan.title, plan.year, plan.issuer) == ("某县教育局2024年工作要点", 2024, "某县教育局")
    assert [(i.path, i.level, i.title) for i in plan.items] == [
        ("一", 1, "加强党的建设"),
        ("一/1", 2, "压实从严治党责任"),
        ("二", 1, "推进教育优质均衡"),
        ("二/1", 2, "新建幼儿园10所"),  # Word restarts level 1 when level 0 advances
    ]
    assert plan.items[1].responsible == ["机关党委", "组织人事科"]
    assert [(i.title, i.responsible, i.fields.get("完成时限")) for i in table_doc.items] == [
        ("新建幼儿园", ["基础教育科"], "8月底前"),
        ("招聘教师", ["组织人事科"], "9月"),
    ]


def test_pdf_with_a_text_layer(tmp_path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("WQY", str(FONT), subfontIndex=0))
    path = tmp_path / "plan.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    pages = [
        [
            "某县教育局2024年工作要点",
            "一、加强党的建设",
            "1.压实责任。全年召开专题会议2次。",
            "2.正风肃纪。严明纪律。",
        ],
        ["二、推进教育优质均衡", "3.新建幼儿园10所。", "责任科室：基础教育科"],
    ]
    for n, lines in enumerate(pages, 1):
        c.setFont("WQY", 10)
        c.drawString(72, 800, "某县教育局文件")
        c.setFont("WQY", 14)
        y = 740
        for line in lines:
            c.drawString(72, y, line)
            y -= 28
        c.setFont("WQY", 10)
        c.drawCentredString(297, 40, f"— {n} —")
        c.showPage()
    c.save()

    (doc,) = parse_file(path).documents
    assert doc.title == "某县教育局2024年工作要点"
    assert [(i.path, i.title) for i in doc.items] == [
        ("一", "加强党的建设"),
        ("一/1", "压实责任"),
        ("一/2", "正风肃纪"),
        ("二", "推进教育优质均衡"),
        ("二/3", "新建幼儿园10所"),
    ]
    assert doc.items[-1].responsible == ["基础教育科"]
    assert all("某县教育局文件" not in i.body and "—" not in i.body for i in doc.items)
